//! TRF303: the arms' sizes fit into the enrollment, and each result's `n` into
//! its arm.

use super::{count, seq, term, Context};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::Node;

/// An arm's `size` value and its count.
fn arm_size(arm: &Node) -> Option<(&Node, i64)> {
    arm.get("size").and_then(|s| count(s).map(|c| (s, c)))
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

    for result in seq(cx.root.get("results")) {
        let Some(n_node) = result.get("n") else {
            continue;
        };
        let Some(n) = count(n_node) else {
            continue;
        };
        let arm_ref = result.get("arm").and_then(term);
        let arm = arm_ref.and_then(|r| {
            arms.iter()
                .find(|a| a.get("id").and_then(Node::text) == Some(r))
        });
        match arm.and_then(|a| arm_size(a).map(|s| (a, s))) {
            Some((arm, (size_node, size))) => {
                if n > size {
                    out.push(
                        Diagnostic::new(
                            Code::SizesExceedEnrollment,
                            n_node.span,
                            format!(
                                "`n: {n}` is more than the {size} participants of {}; a result \
                                 cannot count more participants than its arm has — correct `n` \
                                 or the arm's `size`",
                                arm_label(arm)
                            ),
                        )
                        .with_related(
                            size_node.span,
                            format!("{} has size {size}", arm_label(arm)),
                        ),
                    );
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
