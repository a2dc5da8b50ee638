//! Rule family `design` (TRF300–TRF310, see rules.md): facts of one record that
//! disagree with each other — phases, design and arms, sizes, dates, status, ages.
//! One file per rule or small group of rules; this file runs them and holds the
//! readers they share.
//!
//! Every rule reads only values it can understand and skips the rest: a wrong type,
//! an unknown term or a malformed date is the schema's finding (TRF012–TRF014), not
//! a design finding.

mod ages;
mod arms;
mod dates;
mod phases;
mod ranges;
mod sizes;
mod timepoints;

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::syntax::{Node, ScalarKind};
use ages::age_range;
use arms::{arm_interventions, design_arms};
use dates::{dates_in_order, registered_retrospectively, status_agrees};
use phases::{phase_combination, phases_not_interventional};
use ranges::bounds_out_of_order;
use sizes::sizes;
use timepoints::timepoint_not_planned;

pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    phase_combination(cx, &mut out);
    phases_not_interventional(cx, &mut out);
    design_arms(cx, &mut out);
    sizes(cx, &mut out);
    dates_in_order(cx, &mut out);
    status_agrees(cx, &mut out);
    age_range(cx, &mut out);
    arm_interventions(cx, &mut out);
    registered_retrospectively(cx, &mut out);
    bounds_out_of_order(cx, &mut out);
    timepoint_not_planned(cx, &mut out);
    out
}

/// A vocabulary value's text (a plain or quoted string; never null, a number or a
/// boolean).
fn term(node: &Node) -> Option<&str> {
    let s = node.as_scalar()?;
    (s.kind == ScalarKind::Str).then_some(s.text.as_str())
}

/// A count (an integer ≥ 0).
fn count(node: &Node) -> Option<i64> {
    match node.as_scalar()?.kind {
        ScalarKind::Int(i) if i >= 0 => Some(i),
        _ => None,
    }
}

/// The items of a list value, when the value is a list.
fn seq(node: Option<&Node>) -> &[Node] {
    node.and_then(Node::as_seq).unwrap_or(&[])
}

/// A list written for a message: `[PHASE1, PHASE2]`.
fn show_list(cx: &Context, items: &[Node]) -> String {
    let shown: Vec<String> = items.iter().map(|n| shown(cx, n)).collect();
    format!("[{}]", shown.join(", "))
}

/// A value written for a message: a scalar's text, anything else as in the source.
fn shown(cx: &Context, node: &Node) -> String {
    match node.as_scalar() {
        Some(s) => s.text.clone(),
        None => cx
            .text
            .get(node.span.start..node.span.end)
            .unwrap_or("")
            .trim()
            .to_string(),
    }
}
