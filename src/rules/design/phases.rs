//! TRF300 and TRF301: the phase list is a combination that exists, and only
//! interventional studies have phases.

use super::{show_list, shown, term, Context};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix};
use crate::syntax::Node;

const ALLOWED_PHASES: &str = "allowed are one phase, `[PHASE1, PHASE2]` or `[PHASE2, PHASE3]`";

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
pub(super) fn phase_combination(cx: &Context, out: &mut Vec<Diagnostic>) {
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
pub(super) fn phases_not_interventional(cx: &Context, out: &mut Vec<Diagnostic>) {
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
}
