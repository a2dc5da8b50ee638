//! TRF302 and TRF307: the design agrees with the arms listed (allocation and
//! intervention model against their number), and each arm's type with its
//! interventions.

use super::{seq, show_list, term, Context};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::{Node, ScalarKind};

/// TRF302: `allocation` and `intervention_model` agree with the number of arms
/// listed (only when `arms` is a list; decisions.md).
pub(super) fn design_arms(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(design) = cx.root.get("design") else {
        return;
    };
    let Some(arms_entry) = cx.root.entry("arms") else {
        return;
    };
    let Some(arms) = arms_entry.value.as_seq() else {
        return;
    };
    let arm_ids: Vec<String> = arms
        .iter()
        .map(|a| {
            a.get("id")
                .and_then(Node::text)
                .map_or_else(|| "(no id)".to_string(), |id| format!("`{id}`"))
        })
        .collect();
    if let Some(allocation) = design.get("allocation") {
        if term(allocation) == Some("RANDOMIZED") && arms.len() < 2 {
            let has = match arm_ids.first() {
                None => "no arms".to_string(),
                Some(id) => format!("a single arm ({id})"),
            };
            out.push(
                Diagnostic::new(
                    Code::DesignArms,
                    allocation.span,
                    format!(
                        "`allocation: RANDOMIZED`, but the trial lists {has}; randomization \
                         needs at least two arms to allocate between — list the other arms, \
                         or write `allocation: NA` for a single-arm trial"
                    ),
                )
                .with_related(
                    arms_entry.key.span,
                    if arms.is_empty() {
                        "`arms` is empty".to_string()
                    } else {
                        "the only arm is listed under `arms`".to_string()
                    },
                ),
            );
        }
    }
    if let Some(model) = design.get("intervention_model") {
        if term(model) == Some("SINGLE_GROUP") && arms.len() > 1 {
            out.push(
                Diagnostic::new(
                    Code::DesignArms,
                    model.span,
                    format!(
                        "`intervention_model: SINGLE_GROUP`, but the trial lists {} arms ({}); \
                         a single-group trial has one arm — use `PARALLEL` (or `CROSSOVER`, \
                         `FACTORIAL`, `SEQUENTIAL`), or merge the arms",
                        arms.len(),
                        arm_ids.join(", ")
                    ),
                )
                .with_related(arms[1].span, "the second arm is here"),
            );
        }
    }
}

/// TRF307: a `NO_INTERVENTION` arm lists no interventions; every other arm lists some.
pub(super) fn arm_interventions(cx: &Context, out: &mut Vec<Diagnostic>) {
    let vocab = cx.schema().vocabulary("ArmType");
    for arm in seq(cx.root.get("arms")) {
        let Some(type_node) = arm.get("type") else {
            continue;
        };
        let Some(kind) = term(type_node) else {
            continue;
        };
        let known = vocab.is_some_and(|v| v.term(kind).is_some());
        if !known {
            continue;
        }
        let listed = match arm.get("interventions") {
            None => Some(&[][..]),
            Some(n) if n.as_scalar().is_some_and(|s| s.kind == ScalarKind::Null) => Some(&[][..]),
            Some(n) => n.as_seq(),
        };
        // Not a list: the schema's finding.
        let Some(listed) = listed else {
            continue;
        };
        let name = arm
            .get("id")
            .and_then(Node::text)
            .map_or_else(|| "this arm".to_string(), |id| format!("arm `{id}`"));
        if kind == "NO_INTERVENTION" && !listed.is_empty() {
            let list = arm.get("interventions").map_or(type_node.span, |n| n.span);
            out.push(
                Diagnostic::new(
                    Code::ArmInterventions,
                    type_node.span,
                    format!(
                        "{name} is of type `NO_INTERVENTION` but lists interventions `{}`; \
                         remove them, or give the arm the type that fits what it receives \
                         (e.g. `PLACEBO_COMPARATOR`, `ACTIVE_COMPARATOR`)",
                        show_list(cx, listed)
                    ),
                )
                .with_related(list, "the interventions are listed here"),
            );
        } else if kind != "NO_INTERVENTION" && listed.is_empty() {
            out.push(Diagnostic::new(
                Code::ArmInterventions,
                type_node.span,
                format!(
                    "{name} is of type `{kind}` but lists no interventions; list what it \
                     receives in `interventions`, or use type `NO_INTERVENTION` if it receives \
                     nothing"
                ),
            ));
        }
    }
}
