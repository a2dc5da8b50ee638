//! TRF120–TRF122: a record cross-checked against its registry snapshot
//! (interfaces.md, *Registry snapshots*). Judged only when the run has a snapshot
//! for the record's `id` (or one of its `secondary_ids`); a fact the record lists
//! in `discrepancies` is not reported, since the curator has recorded the conflict.

use std::collections::HashSet;

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::Date;
use crate::registry::{agrees, label_key, FactValue, Snapshot};
use crate::syntax::{Node, ScalarKind};

/// Every TRF12x finding of one record against its snapshot.
pub fn check(cx: &Context, snapshot: &Snapshot) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let recorded = discrepancy_paths(cx.root);
    let when = snapshot
        .last_update()
        .map_or_else(String::new, |d| format!(", updated {d}"));
    let from = format!("the registry snapshot ({}{when})", snapshot.id());
    if !cx.config.is_off(Code::RegistryDisagrees) {
        facts(cx, snapshot, &recorded, &from, &mut out);
    }
    if !cx.config.is_off(Code::SnapshotNewer) {
        newer(cx, snapshot, &mut out);
    }
    if !cx.config.is_off(Code::RegistryEntryUnmatched) {
        for (key, field, theirs) in [
            ("arms", "label", snapshot.arm_labels()),
            ("outcomes", "title", snapshot.outcome_titles()),
        ] {
            if !recorded.contains(key) {
                unmatched(cx, key, field, &theirs, &from, &mut out);
            }
        }
    }
    out
}

/// The `about` paths of the record's `discrepancies`.
fn discrepancy_paths(root: &Node) -> HashSet<&str> {
    root.get("discrepancies")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|d| d.get("about").and_then(Node::text))
        .map(str::trim)
        .collect()
}

/// The node at a dotted `KeyPath` (through mappings only).
fn at_path<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    path.split('.').try_fold(root, |node, key| node.get(key))
}

/// The record's value as a fact of the same kind as the registry's, or `None` when
/// it is not of a comparable form (the schema's finding, not this rule's).
fn record_value(node: &Node, like: &FactValue) -> Option<FactValue> {
    let text = |n: &Node| -> Option<String> {
        let s = n.as_scalar()?;
        (s.kind != ScalarKind::Null).then(|| s.text.trim().to_string())
    };
    Some(match like {
        FactValue::Term(_) => FactValue::Term(text(node)?),
        FactValue::Date(_) => FactValue::Date(text(node)?),
        FactValue::Count(_) => FactValue::Count(text(node)?.parse().ok()?),
        FactValue::Terms(_) => FactValue::Terms(
            node.as_seq()?
                .iter()
                .map(text)
                .collect::<Option<Vec<_>>>()?,
        ),
    })
}

/// TRF120 on each structured fact, and on the number of arms.
fn facts(
    cx: &Context,
    snapshot: &Snapshot,
    recorded: &HashSet<&str>,
    from: &str,
    out: &mut Vec<Diagnostic>,
) {
    for fact in snapshot.facts() {
        if recorded.contains(fact.path) {
            continue;
        }
        // A fact the record leaves out is TRF010's (or `not_stated`), not a
        // disagreement.
        let Some(node) = at_path(cx.root, fact.path) else {
            continue;
        };
        let Some(ours) = record_value(node, &fact.value) else {
            continue;
        };
        if agrees(&fact.value, &ours) {
            continue;
        }
        let theirs = fact.value.display();
        let message = format!(
            "`{}` is `{}`, but {from} has `{theirs}`; take the registry's value, or record \
             the conflict and its resolution in `discrepancies`",
            fact.path,
            ours.display()
        );
        let fix = registry_value_fix(cx, node, &fact.value).map(|edit| {
            Fix::new(
                format!("Take the registry's value `{theirs}`"),
                vec![edit],
                false,
            )
        });
        out.push(Diagnostic::new(Code::RegistryDisagrees, node.span, message).with_fix(fix));
    }
    let theirs = snapshot.arm_labels().len();
    if theirs > 0 && !recorded.contains("arms") {
        if let Some(entry) = cx.root.entry("arms") {
            if let Some(ours) = entry.value.as_seq().map(<[Node]>::len) {
                if ours != theirs {
                    out.push(Diagnostic::new(
                        Code::RegistryDisagrees,
                        entry.key.span,
                        format!(
                            "the record lists {ours} arm{}, but {from} has {theirs}; add or \
                             merge arms to match the registry's groups (dose levels inside \
                             one group are `cohorts`), or record the conflict in \
                             `discrepancies`",
                            if ours == 1 { "" } else { "s" }
                        ),
                    ));
                }
            }
        }
    }
}

/// The edit that writes the registry's value in place of the record's.
fn registry_value_fix(
    cx: &Context,
    node: &Node,
    value: &FactValue,
) -> Option<crate::syntax::edit::TextEdit> {
    let editor = cx.editor();
    match value {
        FactValue::Term(t) | FactValue::Date(t) => editor.replace_scalar(node, t),
        FactValue::Count(n) => editor.replace_literal(node, &n.to_string()),
        FactValue::Terms(ts) => {
            let items: Vec<&str> = ts.iter().map(String::as_str).collect();
            editor.replace_list(node, &items)
        }
    }
}

/// TRF121: the snapshot was updated after the record was last checked against it.
fn newer(cx: &Context, snapshot: &Snapshot, out: &mut Vec<Diagnostic>) {
    let Some(dates) = cx.root.entry("dates") else {
        return;
    };
    let theirs = snapshot.last_update().and_then(Date::parse);
    match dates.value.get("updated") {
        Some(updated) => {
            let (Some(ours), Some(theirs)) = (Date::of(updated), theirs) else {
                return;
            };
            if theirs.cmp_first_day(ours).is_gt() {
                out.push(Diagnostic::new(
                    Code::SnapshotNewer,
                    updated.span,
                    format!(
                        "the registry entry {} was updated on {}, after this record was last \
                         checked against its sources ({}); compare the record with the \
                         snapshot, then set `updated`",
                        snapshot.id(),
                        theirs.describe(),
                        ours.describe()
                    ),
                ));
            }
        }
        None => out.push(Diagnostic::new(
            Code::SnapshotNewer,
            dates.key.span,
            format!(
                "nothing says when this record was last checked against the registry entry {}{}; \
                 add `dates.updated` with the date you compared them",
                snapshot.id(),
                theirs.map_or_else(String::new, |d| format!(" (updated {})", d.describe()))
            ),
        )),
    }
}

/// TRF122: entries of `key` (arms by `label`, outcomes by `title`) without a
/// counterpart in the snapshot, and the snapshot's entries the record lacks.
/// Compared only when the snapshot lists some (a snapshot without an arms module
/// says nothing about arms).
fn unmatched(
    cx: &Context,
    key: &str,
    field: &str,
    theirs: &[&str],
    from: &str,
    out: &mut Vec<Diagnostic>,
) {
    if theirs.is_empty() {
        return;
    }
    let Some(entry) = cx.root.entry(key) else {
        return;
    };
    let Some(items) = entry.value.as_seq() else {
        return;
    };
    let singular = &key[..key.len() - 1];
    let ours: Vec<(&Node, &str)> = items
        .iter()
        .filter_map(|item| Some((item, item.get(field).and_then(Node::text)?)))
        .collect();
    // Matched labels in sets: linear in both lists.
    let their_set: HashSet<String> = theirs.iter().map(|s| label_key(s)).collect();
    let our_set: HashSet<String> = ours.iter().map(|(_, s)| label_key(s)).collect();
    for (item, label) in &ours {
        if their_set.contains(&label_key(label)) {
            continue;
        }
        let anchor = item
            .as_map()
            .and_then(|m| m.first())
            .map_or(item.span, |e| e.key.span);
        out.push(Diagnostic::new(
            Code::RegistryEntryUnmatched,
            anchor,
            format!(
                "{singular} `{label}` has no counterpart in {from}, whose {key} are {}; use \
                 the registry's {field}, or record the conflict in `discrepancies`",
                listed(theirs)
            ),
        ));
    }
    for label in theirs {
        if !our_set.contains(&label_key(label)) {
            out.push(Diagnostic::new(
                Code::RegistryEntryUnmatched,
                entry.key.span,
                format!(
                    "{from} has the {singular} `{label}`, which the record lacks; add it \
                     (with the registry's {field}), or record the conflict in `discrepancies`"
                ),
            ));
        }
    }
}

fn listed(labels: &[&str]) -> String {
    let shown: Vec<String> = labels.iter().take(5).map(|l| format!("`{l}`")).collect();
    let more = labels.len().saturating_sub(5);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
