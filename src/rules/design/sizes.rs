//! TRF303: the arms' sizes fit into the enrollment, each arm's cohorts' sizes into
//! the arm, and each result's `n` into its cohort, else its arm. Arms and cohorts
//! are looked up by id (no scan per result).

use std::collections::HashMap;

use super::{count, seq, term, Context};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::Node;

/// An arm's (or a cohort's) `size` value and its count.
fn arm_size(arm: &Node) -> Option<(&Node, i64)> {
    arm.get("size").and_then(|s| count(s).map(|c| (s, c)))
}

/// "cohort `low-dose`", for messages.
fn cohort_label(cohort: &Node) -> String {
    cohort
        .get("id")
        .and_then(Node::text)
        .map_or_else(|| "a cohort".to_string(), |id| format!("cohort `{id}`"))
}

/// TRF303: the arms fit into the enrollment, and each result's `n` into its arm.
pub(super) fn sizes(cx: &Context, out: &mut Vec<Diagnostic>) {
    let count_node = cx.root.get("enrollment").and_then(|e| e.get("count"));
    let enrolled = count_node.and_then(|n| count(n).map(|c| (n, c)));
    let arms = seq(cx.root.get("arms"));
    let arm_label = |arm: &Node| {
        arm.get("id")
            .and_then(Node::text)
            .map_or_else(|| "an arm".to_string(), |id| format!("arm `{id}`"))
    };

    if let Some((count_node, enrolled)) = enrolled {
        let sized: Vec<(&Node, &Node, i64)> = arms
            .iter()
            .filter_map(|a| arm_size(a).map(|(s, c)| (a, s, c)))
            .collect();
        let total: i128 = sized.iter().map(|(_, _, c)| i128::from(*c)).sum();
        if total > i128::from(enrolled) {
            let terms = sized
                .iter()
                .map(|(_, _, c)| c.to_string())
                .collect::<Vec<_>>()
                .join(" + ");
            let sum = if sized.len() > 1 {
                format!("add up to {total} ({terms})")
            } else {
                format!("add up to {total}")
            };
            let mut d = Diagnostic::new(
                Code::SizesExceedEnrollment,
                count_node.span,
                format!(
                    "`enrollment.count` is {enrolled}, but the arms' sizes {sum}; the \
                     enrollment counts every participant, so it is at least {total} — correct \
                     the count or the arm sizes"
                ),
            );
            for (arm, size, c) in &sized {
                d = d.with_related(size.span, format!("{} has size {c}", arm_label(arm)));
            }
            out.push(d);
        }
    }

    // Each arm's cohorts fit into it.
    for arm in arms {
        let Some((size_node, size)) = arm_size(arm) else {
            continue;
        };
        let sized: Vec<(&Node, &Node, i64)> = seq(arm.get("cohorts"))
            .iter()
            .filter_map(|c| arm_size(c).map(|(s, n)| (c, s, n)))
            .collect();
        let total: i128 = sized.iter().map(|(_, _, c)| i128::from(*c)).sum();
        if total > i128::from(size) {
            let terms = sized
                .iter()
                .map(|(_, _, c)| c.to_string())
                .collect::<Vec<_>>()
                .join(" + ");
            let mut d = Diagnostic::new(
                Code::SizesExceedEnrollment,
                size_node.span,
                format!(
                    "{} has size {size}, but its cohorts' sizes add up to {total} ({terms}); \
                     the arm counts every participant of its cohorts — correct the arm's \
                     `size` or the cohorts' sizes",
                    arm_label(arm)
                ),
            );
            for (cohort, cohort_size, c) in &sized {
                d = d.with_related(
                    cohort_size.span,
                    format!("{} has size {c}", cohort_label(cohort)),
                );
            }
            out.push(d);
        }
    }

    // Arms and cohorts by id, the first of each id (a duplicate is TRF106).
    let mut arm_by_id: HashMap<&str, &Node> = HashMap::new();
    let mut cohort_by_id: HashMap<&str, &Node> = HashMap::new();
    for arm in arms {
        if let Some(id) = arm.get("id").and_then(Node::text) {
            arm_by_id.entry(id).or_insert(arm);
        }
        for cohort in seq(arm.get("cohorts")) {
            if let Some(id) = cohort.get("id").and_then(Node::text) {
                cohort_by_id.entry(id).or_insert(cohort);
            }
        }
    }

    for result in seq(cx.root.get("results")) {
        let Some(n_node) = result.get("n") else {
            continue;
        };
        let Some(n) = count(n_node) else {
            continue;
        };
        // A cohort with a size bounds `n` more tightly than its arm (and its size is
        // judged against the arm's above).
        let cohort = result
            .get("cohort")
            .and_then(term)
            .and_then(|r| cohort_by_id.get(r).copied())
            .and_then(|c| arm_size(c).map(|s| (c, s)));
        if let Some((cohort, (size_node, size))) = cohort {
            if n > size {
                out.push(n_above_size(
                    n,
                    n_node,
                    size,
                    size_node,
                    &cohort_label(cohort),
                    "cohort",
                ));
            }
            continue;
        }
        let arm_ref = result.get("arm").and_then(term);
        let arm = arm_ref.and_then(|r| arm_by_id.get(r).copied());
        match arm.and_then(|a| arm_size(a).map(|s| (a, s))) {
            Some((arm, (size_node, size))) => {
                if n > size {
                    out.push(n_above_size(
                        n,
                        n_node,
                        size,
                        size_node,
                        &arm_label(arm),
                        "arm",
                    ));
                }
            }
            None => {
                let Some((count_node, enrolled)) = enrolled else {
                    continue;
                };
                if n > enrolled {
                    let which = match arm_ref {
                        Some(r) => format!("arm `{r}` gives no size"),
                        None => "the result names no arm".to_string(),
                    };
                    out.push(
                        Diagnostic::new(
                            Code::SizesExceedEnrollment,
                            n_node.span,
                            format!(
                                "`n: {n}` is more than the {enrolled} participants enrolled \
                                 ({which}); a result cannot count more participants than the \
                                 trial has — correct `n` or `enrollment.count`"
                            ),
                        )
                        .with_related(count_node.span, format!("enrollment count is {enrolled}")),
                    );
                }
            }
        }
    }
}

/// TRF303: a result's `n` above the `size` of the arm or cohort (`group`) it
/// reports on, anchored on `n` with the size as related information.
fn n_above_size(
    n: i64,
    n_node: &Node,
    size: i64,
    size_node: &Node,
    label: &str,
    group: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::SizesExceedEnrollment,
        n_node.span,
        format!(
            "`n: {n}` is more than the {size} participants of {label}; a result cannot count \
             more participants than its {group} has — correct `n` or the {group}'s `size`"
        ),
    )
    .with_related(size_node.span, format!("{label} has size {size}"))
}
