//! Rule family `design` (TRF300–TRF308, see rules.md): facts of one record that
//! disagree with each other — phases, design and arms, sizes, dates, status, ages.
//!
//! Every rule reads only values it can understand and skips the rest: a wrong type,
//! an unknown term or a malformed date is the schema's finding (TRF012–TRF014), not
//! a design finding.

use std::cmp::Ordering;

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::Date;
use crate::syntax::{Entry, Node, ScalarKind};
use crate::units::format_decimals;
use crate::units::time::TimeQuantity;

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
    out
}

const ALLOWED_PHASES: &str = "allowed are one phase, `[PHASE1, PHASE2]` or `[PHASE2, PHASE3]`";

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

/// Whether a list of distinct valid phases is a combination that exists.
fn phases_allowed(phases: &[&str]) -> bool {
    match phases {
        [_] => true,
        [a, b] => matches!(
            (*a, *b),
            ("PHASE1", "PHASE2")
                | ("PHASE2", "PHASE1")
                | ("PHASE2", "PHASE3")
                | ("PHASE3", "PHASE2")
        ),
        _ => false,
    }
}

/// TRF300: the phase list is one phase, `[PHASE1, PHASE2]` or `[PHASE2, PHASE3]`.
fn phase_combination(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(list) = cx.root.get("phases") else {
        return;
    };
    let Some(items) = list.as_seq() else {
        return;
    };
    if items.is_empty() {
        out.push(Diagnostic::new(
            Code::PhaseCombination,
            list.span,
            "`phases` is an empty list; list the study's phase (e.g. `[PHASE1]`), or write \
             `[NA]` when phases do not apply",
        ));
        return;
    }
    let vocab = cx.schema().vocabulary("Phase");
    let valid: Option<Vec<&str>> = items
        .iter()
        .map(|n| term(n).filter(|t| vocab.is_some_and(|v| v.term(t).is_some())))
        .collect();
    let shown_list = show_list(cx, items);

    // Duplicates are TRF300's whatever the items are.
    let mut unique: Vec<&Node> = Vec::new();
    let mut keep: Vec<bool> = Vec::with_capacity(items.len());
    let mut repeated: Vec<String> = Vec::new();
    for item in items {
        let key = shown(cx, item);
        if unique.iter().any(|u| shown(cx, u) == key) {
            keep.push(false);
            if !repeated.contains(&key) {
                repeated.push(key);
            }
        } else {
            keep.push(true);
            unique.push(item);
        }
    }
    if !repeated.is_empty() {
        let names = repeated
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let deduped: Vec<&str> = unique.iter().filter_map(|n| term(n)).collect();
        // Offered for flow lists (`[PHASE1, PHASE1]`), the way phases are written.
        let edits = list
            .is_flow()
            .then(|| cx.editor().retain_items(list, &keep))
            .flatten()
            .filter(|e| !e.is_empty());
        let fixable = edits.is_some()
            && valid.is_some()
            && deduped.len() == unique.len()
            && phases_allowed(&deduped);
        if let (true, Some(edits)) = (fixable, edits) {
            let fixed = format!("[{}]", deduped.join(", "));
            out.push(
                Diagnostic::new(
                    Code::PhaseCombination,
                    list.span,
                    format!(
                        "{names} is listed more than once in `{shown_list}`; list each phase \
                         once: `{fixed}`"
                    ),
                )
                .with_fix(Some(Fix::new(
                    format!("remove the repeated phase: `{fixed}`"),
                    edits,
                    true,
                ))),
            );
        } else {
            out.push(Diagnostic::new(
                Code::PhaseCombination,
                list.span,
                format!(
                    "{names} is listed more than once in `{shown_list}`; list each phase once \
                     ({ALLOWED_PHASES})"
                ),
            ));
        }
        return;
    }
    // Values that are not phase terms are TRF012/TRF013's.
    let Some(phases) = valid else {
        return;
    };
    if phases_allowed(&phases) {
        return;
    }
    let message = if phases.contains(&"NA") {
        let others: Vec<&str> = phases.iter().copied().filter(|p| *p != "NA").collect();
        format!(
            "`NA` means the study has no phase and cannot be combined with {}; write `[NA]`, \
             or leave `NA` out ({ALLOWED_PHASES})",
            others
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else if phases.len() > 2 {
        format!(
            "`{shown_list}` lists {} phases, a combination that does not exist; a study is in \
             one phase or spans two ({ALLOWED_PHASES})",
            phases.len()
        )
    } else {
        format!("`{shown_list}` is not a phase combination that exists; {ALLOWED_PHASES}")
    };
    out.push(Diagnostic::new(Code::PhaseCombination, list.span, message));
}

/// TRF301: only interventional studies have phases.
fn phases_not_interventional(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(study_type) = cx.root.get("study_type") else {
        return;
    };
    let Some(kind) = term(study_type) else {
        return;
    };
    let known = cx
        .schema()
        .vocabulary("StudyType")
        .is_some_and(|v| v.term(kind).is_some());
    if !known || kind == "INTERVENTIONAL" {
        return;
    }
    let Some(list) = cx.root.get("phases") else {
        return;
    };
    let Some(items) = list.as_seq() else {
        return;
    };
    let vocab = cx.schema().vocabulary("Phase");
    let real_phase = items
        .iter()
        .filter_map(term)
        .any(|t| t != "NA" && vocab.is_some_and(|v| v.term(t).is_some()));
    if !real_phase {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::PhasesNotInterventional,
            list.span,
            format!(
                "an `{kind}` study has no trial phase, but `phases` is `{}`; write `[NA]` or \
                 leave `phases` out — or, if the protocol assigns participants to the \
                 intervention, the study type is `INTERVENTIONAL`",
                show_list(cx, items)
            ),
        )
        .with_related(study_type.span, format!("the study type is `{kind}`")),
    );
}

/// TRF302: `allocation` and `intervention_model` agree with the number of arms
/// listed (only when `arms` is a list; decisions.md).
fn design_arms(cx: &Context, out: &mut Vec<Diagnostic>) {
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

/// An arm's `size` value and its count.
fn arm_size(arm: &Node) -> Option<(&Node, i64)> {
    arm.get("size").and_then(|s| count(s).map(|c| (s, c)))
}

/// A date found earlier in the order that sits after a later one: key, entry, date.
type Earlier<'n> = (&'static str, &'n Entry, Date);

/// The dates among `earlier` that fall after `later` (by first possible day).
fn after<'n>(
    later: Option<(&'n Entry, Date)>,
    earlier: &[(&'static str, Option<(&'n Entry, Date)>)],
) -> Option<(&'n Entry, Date, Vec<Earlier<'n>>)> {
    let (entry, d) = later?;
    let before: Vec<Earlier<'n>> = earlier
        .iter()
        .filter_map(|(k, e)| e.map(|(e, x)| (*k, e, x)))
        .filter(|(_, _, x)| x.cmp_first_day(d) == Ordering::Greater)
        .collect();
    (!before.is_empty()).then_some((entry, d, before))
}

/// TRF303: the arms fit into the enrollment, and each result's `n` into its arm.
fn sizes(cx: &Context, out: &mut Vec<Diagnostic>) {
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

/// A date of `dates` with its entry.
fn date<'n>(dates: &'n Node, key: &str) -> Option<(&'n Entry, Date)> {
    let entry = dates.entry(key)?;
    Date::of(&entry.value).map(|d| (entry, d))
}

/// TRF304: `start` ≤ `primary_completion` ≤ `completion`, and `start` ≤ `completion`.
fn dates_in_order(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(dates) = cx.root.get("dates") else {
        return;
    };
    let start = date(dates, "start");
    let primary = date(dates, "primary_completion");
    let completion = date(dates, "completion");
    let checks = [
        ("primary_completion", after(primary, &[("start", start)])),
        (
            "completion",
            after(
                completion,
                &[("start", start), ("primary_completion", primary)],
            ),
        ),
    ];
    for (key, found) in checks {
        let Some((entry, d, before)) = found else {
            continue;
        };
        let names = before
            .iter()
            .map(|(k, _, x)| format!("`{k}` {}", x.describe()))
            .collect::<Vec<_>>()
            .join(" and ");
        let keys = before
            .iter()
            .map(|(k, _, _)| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        let mut diag = Diagnostic::new(
            Code::DatesOutOfOrder,
            entry.value.span,
            format!(
                "`{key}` {} is before {names}; `{key}` comes on or after {keys} — \
                 correct whichever date is wrong",
                d.describe()
            ),
        );
        for (k, e, x) in &before {
            diag = diag.with_related(e.value.span, format!("`{k}` is {x}"));
        }
        out.push(diag);
    }
}

/// TRF305: the status agrees with the enrollment type and, as of `dates.updated`,
/// with the dates.
fn status_agrees(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(status_node) = cx.root.get("status") else {
        return;
    };
    let Some(status) = term(status_node) else {
        return;
    };
    let enrollment_type = cx
        .root
        .get("enrollment")
        .and_then(|e| e.get("type"))
        .and_then(|t| term(t).map(|s| (t, s)));
    let dates = cx.root.get("dates");
    let updated = dates.and_then(|d| date(d, "updated"));
    let said = format!("`status: {status}`");
    match status {
        "COMPLETED" | "TERMINATED" => {
            let ended = if status == "COMPLETED" {
                "a completed study"
            } else {
                "a terminated study"
            };
            if let Some((t, "ESTIMATED")) = enrollment_type {
                out.push(
                    Diagnostic::new(
                        Code::StatusDisagrees,
                        status_node.span,
                        format!(
                            "{said}, but the enrollment is `ESTIMATED`; {ended} knows how many \
                             took part: write that number with `type: ACTUAL`, or correct the \
                             status"
                        ),
                    )
                    .with_related(t.span, "the enrollment is estimated here"),
                );
            }
            let ending = dates.and_then(|d| {
                date(d, "completion")
                    .map(|c| ("completion", c))
                    .or_else(|| date(d, "primary_completion").map(|c| ("primary_completion", c)))
            });
            if let (Some((key, (entry, end))), Some((u_entry, u))) = (ending, updated) {
                if end.cmp_first_day(u) == Ordering::Greater {
                    out.push(
                        Diagnostic::new(
                            Code::StatusDisagrees,
                            status_node.span,
                            format!(
                                "{said}, but `{key}` {} is after `updated` {}: as of the \
                                 update the study had not ended; either the status is still an \
                                 earlier one (e.g. `ACTIVE_NOT_RECRUITING`), or `{key}` is an \
                                 anticipated date to be replaced by the actual one",
                                end.describe(),
                                u.describe()
                            ),
                        )
                        .with_related(entry.value.span, format!("`{key}` is {end}"))
                        .with_related(u_entry.value.span, format!("`updated` is {u}")),
                    );
                }
            }
        }
        "NOT_YET_RECRUITING" => {
            if let Some((t, "ACTUAL")) = enrollment_type {
                out.push(
                    Diagnostic::new(
                        Code::StatusDisagrees,
                        status_node.span,
                        format!(
                            "{said}, but the enrollment is `ACTUAL`; before recruitment starts \
                             the enrollment is `ESTIMATED` — correct the enrollment type or the \
                             status"
                        ),
                    )
                    .with_related(t.span, "the enrollment is actual here"),
                );
            }
            let start = dates.and_then(|d| date(d, "start"));
            if let (Some((entry, s)), Some((u_entry, u))) = (start, updated) {
                if s.cmp_first_day(u) == Ordering::Less {
                    out.push(
                        Diagnostic::new(
                            Code::StatusDisagrees,
                            status_node.span,
                            format!(
                                "{said}, but `start` {} is before `updated` {}: as of the \
                                 update the study had started; either the status is out of date \
                                 (e.g. `RECRUITING` by then), or `start` is wrong",
                                s.describe(),
                                u.describe()
                            ),
                        )
                        .with_related(entry.value.span, format!("`start` is {s}"))
                        .with_related(u_entry.value.span, format!("`updated` is {u}")),
                    );
                }
            }
        }
        _ => {}
    }
}

/// Whether `a` is greater than `b` beyond rounding (`18 a` and `216 mo` are equal).
fn clearly_greater(a: f64, b: f64) -> bool {
    a > b && (a - b) > 1e-9 * a.abs().max(b.abs())
}

/// TRF306: `min_age` ≤ `max_age`, compared across time units.
fn age_range(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(eligibility) = cx.root.get("eligibility") else {
        return;
    };
    let (Some(min_node), Some(max_node)) = (eligibility.get("min_age"), eligibility.get("max_age"))
    else {
        return;
    };
    let (Some(min), Some(max)) = (TimeQuantity::of(min_node), TimeQuantity::of(max_node)) else {
        return;
    };
    if !clearly_greater(min.days(), max.days()) {
        return;
    }
    let min_shown = if min.unit == max.unit {
        format!("{min}")
    } else {
        match min.in_unit(&max.unit) {
            Some(v) => format!("{min} ({} {})", format_decimals(v, 2), max.unit),
            None => format!("{min}"),
        }
    };
    out.push(
        Diagnostic::new(
            Code::AgeRange,
            min_node.span,
            format!(
                "`min_age` {min_shown} is greater than `max_age` {max}; the minimum age must not \
                 exceed the maximum — are the two swapped, or is a unit wrong?"
            ),
        )
        .with_related(max_node.span, format!("`max_age` is {max}")),
    );
}

/// TRF307: a `NO_INTERVENTION` arm lists no interventions; every other arm lists some.
fn arm_interventions(cx: &Context, out: &mut Vec<Diagnostic>) {
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

/// TRF308: registered after the study started.
fn registered_retrospectively(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(dates) = cx.root.get("dates") else {
        return;
    };
    let (Some((reg_entry, reg)), Some((start_entry, start))) =
        (date(dates, "registered"), date(dates, "start"))
    else {
        return;
    };
    if reg.cmp_first_day(start) == Ordering::Greater {
        out.push(
            Diagnostic::new(
                Code::RegisteredRetrospectively,
                reg_entry.value.span,
                format!(
                    "`registered` {} is after `start` {}: the trial was registered \
                     retrospectively, which is worth knowing when weighing its results (if it \
                     was not, one of the two dates is mistyped)",
                    reg.describe(),
                    start.describe()
                ),
            )
            .with_related(start_entry.value.span, format!("`start` is {start}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_phase_combinations() {
        for ok in [
            &["PHASE1"][..],
            &["NA"],
            &["EARLY_PHASE1"],
            &["PHASE4"],
            &["PHASE1", "PHASE2"],
            &["PHASE2", "PHASE1"],
            &["PHASE2", "PHASE3"],
            &["PHASE3", "PHASE2"],
        ] {
            assert!(phases_allowed(ok), "{ok:?}");
        }
        for bad in [
            &[][..],
            &["PHASE1", "PHASE3"],
            &["EARLY_PHASE1", "PHASE1"],
            &["PHASE3", "PHASE4"],
            &["NA", "PHASE1"],
            &["PHASE1", "PHASE2", "PHASE3"],
        ] {
            assert!(!phases_allowed(bad), "{bad:?}");
        }
    }

    #[test]
    fn equal_ages_are_not_greater() {
        assert!(!clearly_greater(18.0 * 365.25, 216.0 * 30.4375));
        assert!(!clearly_greater(1.0, 1.0 + 1e-12));
        assert!(clearly_greater(2.0 * 365.25, 18.0 * 30.4375));
        assert!(!clearly_greater(0.0, 0.0));
    }
}
