//! TRF304, TRF305 and TRF308: the record's dates are in order, the status agrees
//! with the enrollment type and the dates, and the record was registered before the
//! study started.

use std::cmp::Ordering;

use super::{term, Context};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::Date;
use crate::syntax::{Entry, Node};

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

/// A date of `dates` with its entry.
fn date<'n>(dates: &'n Node, key: &str) -> Option<(&'n Entry, Date)> {
    let entry = dates.entry(key)?;
    Date::of(&entry.value).map(|d| (entry, d))
}

/// TRF304: `start` ≤ `primary_completion` ≤ `completion`, and `start` ≤ `completion`.
pub(super) fn dates_in_order(cx: &Context, out: &mut Vec<Diagnostic>) {
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
pub(super) fn status_agrees(cx: &Context, out: &mut Vec<Diagnostic>) {
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

/// TRF308: registered after the study started.
pub(super) fn registered_retrospectively(cx: &Context, out: &mut Vec<Diagnostic>) {
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
