//! Hostile records for the record model's checks (issue 8.7): long lists of arms,
//! references and results that a quadratic check would take minutes over. Each
//! test builds its record, checks it and counts the findings; none times anything
//! (a quadratic check shows as a test that does not finish).

use std::fmt::Write as _;
use std::path::Path;

use trls::codes::Code;
use trls::config::Config;
use trls::engine;
use trls::model::LocalIndex;
use trls::syntax::{self, Syntax};

const HEAD: &str = "trf: 1\nid: NCT06853522\ntitle: Hostile\nstatus: COMPLETED\n\
    study_type: INTERVENTIONAL\nphases: [PHASE2]\nconditions: [Asthma]\n\
    enrollment: {count: 40, type: ACTUAL}\ndates: {start: 2024-01}\n\
    sources:\n  - {id: reg, kind: REGISTRY, registry_id: NCT06853522}\n";

fn check(text: &str) -> Vec<Code> {
    let checked = engine::check_bytes(
        text.as_bytes(),
        Path::new("NCT06853522.trial.yaml"),
        &Config::default(),
    );
    checked.diagnostics.iter().map(|d| d.code).collect()
}

fn count(codes: &[Code], code: Code) -> usize {
    codes.iter().filter(|c| **c == code).count()
}

/// `arms` of `n` arms, every arm giving one of the interventions; `results` of one
/// result per arm; a few duplicate ids and misspelt references among them.
fn many_arms(n: usize) -> String {
    let mut s = String::from(HEAD);
    s.push_str("interventions:\n  - {id: drug, type: BIOLOGICAL, name: Cells}\n");
    s.push_str("  - {id: unused, type: BIOLOGICAL, name: Unused}\n");
    s.push_str("outcomes:\n  - {id: fev1, type: PRIMARY, title: FEV1}\narms:\n");
    for i in 0..n {
        // Every thousandth arm repeats the previous one's id (TRF106).
        let id = if i % 1000 == 999 { i - 1 } else { i };
        writeln!(
            s,
            "  - {{id: arm-{id:06}, type: EXPERIMENTAL, label: A{i}, interventions: [drug]}}"
        )
        .unwrap();
    }
    s.push_str("results:\n");
    for i in 0..n {
        // Every thousandth result names an arm that is not there (TRF107); half of
        // those are close to an arm id, half to none.
        let arm = match i % 1000 {
            500 => format!("arm-{i:06}x"),
            501 => format!("zz{i}"),
            _ => format!("arm-{:06}", i % n),
        };
        writeln!(
            s,
            "  - {{outcome: fev1, arm: {arm}, timepoint: 1 wk, value: 2 L}}"
        )
        .unwrap();
    }
    s
}

#[test]
fn a_record_of_many_arms_is_checked_in_linear_time() {
    let n = 20_000;
    let text = many_arms(n);
    let root = syntax::parse(&text, Syntax::Yaml).root.unwrap();
    let index = LocalIndex::build(&root);
    assert_eq!(index.definitions.len(), n + 2 + 1 + 1);
    // Every arm's intervention and every result's outcome and arm.
    assert_eq!(index.references.len(), 3 * n);
    let codes = check(&text);
    assert_eq!(count(&codes, Code::DuplicateLocalId), n / 1000);
    // A misspelt reference per thousand results of each of the two kinds.
    // And the results naming the arm ids the duplicates took the place of.
    assert_eq!(count(&codes, Code::UnknownReference), 3 * (n / 1000));
    assert_eq!(count(&codes, Code::UnusedIntervention), 1);
}

#[test]
fn many_misspelt_references_to_many_ids_stay_linear() {
    // Every result names an arm that is not there, each one close to many ids of
    // the same length: the suggestion search is bounded.
    let n = 10_000;
    let mut s = String::from(HEAD);
    s.push_str("outcomes:\n  - {id: fev1, type: PRIMARY, title: FEV1}\narms:\n");
    for i in 0..n {
        writeln!(s, "  - {{id: a{i:06}, type: EXPERIMENTAL, label: A}}").unwrap();
    }
    s.push_str("results:\n");
    for i in 0..n {
        writeln!(
            s,
            "  - {{outcome: fev1, arm: b{i:06}, timepoint: 1 wk, value: 2 L}}"
        )
        .unwrap();
    }
    let codes = check(&s);
    // The first `MAX_PER_CODE` are listed, the rest counted in one closing finding.
    assert_eq!(
        count(&codes, Code::UnknownReference),
        trls::diagnostic::MAX_PER_CODE + 1
    );
}

#[test]
fn fev1_is_paired_with_fvc_without_a_scan_per_result() {
    // Per arm and week: FEV1 and FVC means; FEV1 exceeds FVC in every hundredth
    // pair (TRF207). One FVC at 7 d pairs with FEV1 at 1 wk (the same time).
    let (arms, weeks) = (50, 400);
    let mut s = String::from(HEAD);
    s.push_str(
        "outcomes:\n  - {id: fev1, type: PRIMARY, title: FEV1, quantity: FEV1, unit: L}\n  \
         - {id: fvc, type: SECONDARY, title: FVC, quantity: FVC, unit: L}\n\
         interventions:\n  - {id: drug, type: BIOLOGICAL, name: Cells}\narms:\n",
    );
    for a in 0..arms {
        writeln!(
            s,
            "  - {{id: arm{a}, type: EXPERIMENTAL, label: A{a}, interventions: [drug]}}"
        )
        .unwrap();
    }
    s.push_str("results:\n");
    let mut expected = 0;
    for a in 0..arms {
        for w in 1..=weeks {
            let high = (a * weeks + w) % 100 == 0;
            expected += usize::from(high);
            let fev1 = if high { "3.5" } else { "2.5" };
            let when = if w == 1 {
                "7 d".to_string()
            } else {
                format!("{w} wk")
            };
            writeln!(
                s,
                "  - {{outcome: fev1, arm: arm{a}, timepoint: {w} wk, mean: {fev1} L}}\n  \
                 - {{outcome: fvc, arm: arm{a}, timepoint: {when}, mean: 3.0 L}}"
            )
            .unwrap();
        }
    }
    let codes = check(&s);
    assert_eq!(count(&codes, Code::Fev1ExceedsFvc), expected);
    assert!(expected > 0);
}

#[test]
fn many_cohorts_and_their_results_are_checked_without_a_scan_per_result() {
    // 100 arms of 100 cohorts each; one result per cohort, with an interval and a
    // timepoint among many planned ones. Every hundredth result names a cohort of
    // another arm (TRF113), its median outside its iqr (TRF209) and an unplanned
    // timepoint (TRF310); every arm's cohorts add up to one more than the arm (TRF303).
    let (arms, per_arm) = (100, 100);
    let mut s = String::from(HEAD);
    s.push_str("interventions:\n  - {id: drug, type: BIOLOGICAL, name: Cells, dose: 1 mg}\n");
    s.push_str(
        "outcomes:\n  - id: il6\n    type: PRIMARY\n    title: IL-6\n    timepoints: [baseline",
    );
    for d in 1..=1000 {
        write!(s, ", {d} d").unwrap();
    }
    s.push_str("]\narms:\n");
    for a in 0..arms {
        writeln!(
            s,
            "  - id: arm{a}\n    type: EXPERIMENTAL\n    label: A{a}\n    size: {}\n    \
             interventions: [drug]\n    cohorts:",
            per_arm - 1
        )
        .unwrap();
        for c in 0..per_arm {
            writeln!(s, "      - {{id: c{a}-{c}, label: C, size: 1, dose: 2 mg}}").unwrap();
        }
    }
    s.push_str("results:\n");
    let mut odd = 0;
    for a in 0..arms {
        for c in 0..per_arm {
            let wrong = (a * per_arm + c) % 100 == 7;
            odd += usize::from(wrong);
            let (arm, median, when) = if wrong {
                ((a + 1) % arms, 30, "1001 d")
            } else {
                (a, 12, "4 wk")
            };
            writeln!(
                s,
                "  - {{outcome: il6, arm: arm{arm}, cohort: c{a}-{c}, timepoint: {when}, \
                 n: 1, median: {median} pg/mL, iqr: {{min: 8 pg/mL, max: 15 pg/mL}}}}"
            )
            .unwrap();
        }
    }
    let codes = check(&s);
    let listed = |n: usize| n.min(trls::diagnostic::MAX_PER_CODE + 1);
    assert_eq!(odd, arms * per_arm / 100);
    assert_eq!(count(&codes, Code::CohortOfAnotherArm), listed(odd));
    assert_eq!(count(&codes, Code::StatisticsContradict), listed(odd));
    assert_eq!(count(&codes, Code::TimepointNotPlanned), listed(odd));
    assert_eq!(count(&codes, Code::SizesExceedEnrollment), listed(arms + 1));
    assert_eq!(count(&codes, Code::DuplicateLocalId), 0);
    assert_eq!(count(&codes, Code::UnitDimension), 0);
}
