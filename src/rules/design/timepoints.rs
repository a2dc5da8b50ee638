//! TRF310: a result's `timepoint` that is not among its outcome's `timepoints`, when
//! the outcome lists them. Durations compare after conversion (`4 wk` is `28 d`).
//! Each outcome's timepoints are read once and sorted; each result is a hash lookup
//! and a binary search.

use std::collections::HashMap;

use super::{seq, Context};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::{Node, Span};
use crate::units::{self, ucum};

/// An outcome's planned assessments.
struct Planned {
    baseline: bool,
    /// In seconds, sorted.
    at: Vec<f64>,
    /// The `timepoints` value.
    span: Span,
    /// As written, for messages.
    shown: Vec<String>,
}

/// A timepoint: `None` for `baseline`, else its time in seconds. `Err` when it cannot
/// be read as a time (the unit rules' finding).
fn read(node: &Node) -> Result<Option<f64>, ()> {
    if node.text().map(str::trim) == Some("baseline") {
        return Ok(None);
    }
    let (q, unit) = units::measured(node).ok_or(())?;
    ucum::convert(q.value, &unit, "s", None).map(Some).ok_or(())
}

fn shown(node: &Node) -> String {
    match node.text() {
        Some(t) => t.trim().to_string(),
        None => match units::measured(node) {
            Some((q, _)) => q.display(),
            None => "?".to_string(),
        },
    }
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

pub(super) fn timepoint_not_planned(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut planned: HashMap<&str, Option<Planned>> = HashMap::new();
    for outcome in seq(cx.root.get("outcomes")) {
        let Some(id) = outcome.get("id").and_then(Node::text) else {
            continue;
        };
        if planned.contains_key(id) {
            continue; // TRF106: the first outcome of an id is the one results name.
        }
        let Some(list) = outcome.get("timepoints").filter(|t| t.as_seq().is_some()) else {
            planned.insert(id, None);
            continue;
        };
        let mut p = Planned {
            baseline: false,
            at: Vec::new(),
            span: list.span,
            shown: Vec::new(),
        };
        let mut readable = true;
        for item in seq(Some(list)) {
            p.shown.push(shown(item));
            match read(item) {
                Ok(None) => p.baseline = true,
                Ok(Some(t)) => p.at.push(t),
                Err(()) => readable = false,
            }
        }
        // A list that cannot be read in full is not judged against (its items are
        // the unit rules' findings); an empty list plans nothing either.
        if !readable || p.shown.is_empty() {
            planned.insert(id, None);
            continue;
        }
        p.at.sort_by(f64::total_cmp);
        planned.insert(id, Some(p));
    }
    for result in seq(cx.root.get("results")) {
        let Some(p) = result
            .get("outcome")
            .and_then(Node::text)
            .and_then(|o| planned.get(o))
            .and_then(Option::as_ref)
        else {
            continue;
        };
        let Some(node) = result.get("timepoint") else {
            continue;
        };
        let Ok(t) = read(node) else {
            continue;
        };
        let listed = match t {
            None => p.baseline,
            Some(t) => {
                let slack = 2e-9 * t.abs();
                let from = p.at.partition_point(|a| *a < t - slack);
                p.at[from..]
                    .iter()
                    .take_while(|a| **a <= t + slack)
                    .any(|a| same(*a, t))
            }
        };
        if listed {
            continue;
        }
        let outcome = result.get("outcome").and_then(Node::text).unwrap_or("");
        let list = format!("[{}]", p.shown.join(", "));
        out.push(
            Diagnostic::new(
                Code::TimepointNotPlanned,
                node.span,
                format!(
                    "`timepoint: {}` is not among the `timepoints` of outcome `{outcome}` \
                     ({list}); use one of them, or add it to the outcome's `timepoints`",
                    shown(node)
                ),
            )
            .with_related(p.span, format!("outcome `{outcome}` plans {list}")),
        );
    }
}
