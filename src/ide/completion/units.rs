//! Units: what the units at the cursor measure (a time, a dose, or the quantity of
//! the outcome a result or an outcome declares), and the UCUM units that fit it.

use super::{Candidate, Ctx};
use crate::ide::context::Seg;
use crate::ide::tree;
use crate::ide::unit_table;
use crate::ide::ItemKind;
use crate::model::LocalKind;
use crate::syntax::Node;

/// The keys whose quantities are times.
const TIME_KEYS: &[&str] = &[
    "timepoint",
    "timepoints",
    "min_age",
    "max_age",
    "interval",
    "duration",
];

/// What the units at the cursor measure: (dimension, canonical unit, the unit the
/// outcome declares).
fn unit_context(c: &Ctx) -> (Option<String>, Option<String>, Option<String>) {
    let cur = c.cur;
    let keys: Vec<&str> = cur
        .path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Item => None,
        })
        .collect();
    // The quantity's own key (`mean` of `mean: {value, unit}`); a range's bound is
    // a quantity of its range's key (`interval` of `interval: {min: 3 d}`).
    let own = match keys.as_slice() {
        [.., k, "min" | "max", "unit"] if keys.len() > 3 => *k,
        [.., k, "min" | "max"] if keys.len() > 2 => *k,
        [.., k, "unit"] if keys.len() > 2 => *k,
        [.., k] => *k,
        [] => "",
    };
    if TIME_KEYS.contains(&own) {
        return (Some("time".into()), None, None);
    }
    if own == "dose" {
        return (Some("dose".into()), None, None);
    }
    if own == "volume" {
        return (Some("volume".into()), None, None);
    }
    let quantity_of = |quantity: Option<&str>| -> (Option<String>, Option<String>) {
        let term = quantity.and_then(|q| c.schema.vocabulary("QuantityKind")?.term(q));
        let s = |k: &str| {
            term.and_then(|t| t.extra.get(k))
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        (s("dimension"), s("canonical_unit"))
    };
    let first = keys.first().copied();
    if first == Some("outcomes") && own == "unit" {
        let quantity = cur.sibling("quantity").map(String::from).or_else(|| {
            entry_at(c, "outcomes").and_then(|o| tree::text_of(&o, "quantity").map(String::from))
        });
        let (dim, canonical) = quantity_of(quantity.as_deref());
        return (dim, canonical, None);
    }
    if first == Some("results") {
        let outcome_id = cur.sibling("outcome").map(String::from).or_else(|| {
            entry_at(c, "results").and_then(|r| tree::text_of(&r, "outcome").map(String::from))
        });
        let outcome = outcome_id.as_deref().and_then(|id| {
            c.doc
                .definitions(LocalKind::Outcome)
                .into_iter()
                .find(|(d, _)| d == id)
                .map(|(_, n)| n)
        });
        let outcome = outcome.as_ref();
        let (dim, canonical) = quantity_of(outcome.and_then(|o| tree::text_of(o, "quantity")));
        let declared = outcome
            .and_then(|o| tree::text_of(o, "unit"))
            .map(String::from);
        return (dim, canonical, declared);
    }
    (None, None, None)
}

/// The item of a top-level list the cursor is in (or the last one starting before
/// it, when the cursor's line did not parse).
fn entry_at(c: &Ctx, list: &str) -> Option<Node> {
    let (node, base) = c.doc.section(list)?;
    node.as_seq()?
        .iter()
        .take_while(|i| i.span.start + base <= c.offset)
        .last()
        .cloned()
}

pub(super) fn unit_candidates(c: &Ctx) -> Vec<Candidate> {
    let (dim, canonical, declared) = unit_context(c);
    let mut out: Vec<Candidate> = Vec::new();
    let mut add = |symbol: &str, group: u8, idx: usize, note: Option<&str>| {
        if out.iter().any(|o| o.label == symbol) {
            return;
        }
        let info = unit_table::lookup(symbol);
        let meaning = info.map(|i| i.meaning.to_string());
        let mut doc = match info {
            Some(i) => format!(
                "UCUM `{symbol}`: {}. Dimension: {}.",
                i.meaning,
                unit_table::dimensions_text(i)
            ),
            None => format!("UCUM unit `{symbol}`."),
        };
        if let Some(n) = note {
            doc.push_str(&format!("\n\n{n}"));
        }
        out.push(Candidate {
            label: symbol.to_string(),
            kind: ItemKind::Unit,
            name: meaning.as_deref().and_then(|m| super::readable(symbol, m)),
            detail: note.map(String::from),
            documentation: Some(doc),
            value: symbol.to_string(),
            sort: format!("{group}{idx:03}"),
            literal: false,
        });
    };
    if let Some(d) = &declared {
        add(d, 0, 0, Some("The unit the outcome declares."));
    }
    if let Some(u) = &canonical {
        add(
            u,
            1,
            0,
            Some("The canonical unit of the outcome's quantity."),
        );
    }
    match &dim {
        Some(d) => {
            for (i, u) in unit_table::for_dimension(d).enumerate() {
                add(u.symbol, 2, i, None);
            }
        }
        None => {
            let all = unit_table::DIMENSIONS
                .iter()
                .filter(|(d, _)| *d != "dose")
                .flat_map(|(d, _)| unit_table::for_dimension(d));
            for (i, u) in all.enumerate() {
                add(u.symbol, 2, i, None);
            }
        }
    }
    out
}
