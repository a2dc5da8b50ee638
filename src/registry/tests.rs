use super::*;

fn fixture(name: &str) -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/registry")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

fn facts_of(name: &str) -> Vec<(String, String)> {
    let (path, text) = fixture(name);
    let snapshot = Snapshot::parse(&path, &text).unwrap();
    snapshot
        .facts()
        .into_iter()
        .map(|f| (f.path.to_string(), f.value.display()))
        .collect()
}

#[test]
fn real_study_gives_every_structured_fact() {
    let facts = facts_of("NCT01087996.json");
    let expect = [
        ("status", "COMPLETED"),
        ("study_type", "INTERVENTIONAL"),
        ("phases", "[PHASE1, PHASE2]"),
        ("enrollment.count", "31"),
        ("enrollment.type", "ACTUAL"),
        ("dates.start", "2010-03"),
        ("dates.primary_completion", "2011-04"),
        ("design.allocation", "RANDOMIZED"),
        ("design.intervention_model", "PARALLEL"),
        ("design.masking", "NONE"),
        ("design.primary_purpose", "TREATMENT"),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(facts, expect);
    let (path, text) = fixture("NCT01087996.json");
    let s = Snapshot::parse(&path, &text).unwrap();
    assert_eq!(s.id(), "NCT01087996");
    assert_eq!(s.arm_labels(), ["Allo-hMSCs", "Auto-hMSCs"]);
    assert_eq!(s.outcome_titles().len(), 1);
    assert_eq!(s.last_update(), Some("2015-05-27"));
}

#[test]
fn unknown_fields_and_missing_modules_are_tolerated() {
    let facts = facts_of("edge-no-arms-month-dates.json");
    assert_eq!(
        facts,
        [
            ("status".to_string(), "RECRUITING".to_string()),
            ("study_type".to_string(), "OBSERVATIONAL".to_string()),
            ("dates.start".to_string(), "2024-09".to_string()),
            ("dates.completion".to_string(), "2026-12".to_string()),
        ]
    );
    assert!(facts_of("edge-missing-modules.json").is_empty());
}

#[test]
fn malformed_snapshots_are_located_errors() {
    for (name, line) in [
        ("malformed-truncated.json", 4),
        ("malformed-wrong-type.json", 4),
    ] {
        let (path, text) = fixture(name);
        let e = Snapshot::parse(&path, &text).unwrap_err();
        assert_eq!(e.line, line, "{name}: {e:?}");
        assert!(e.column > 0, "{name}: {e:?}");
        assert!(
            e.message.starts_with("not a ClinicalTrials.gov study"),
            "{e:?}"
        );
    }
    // A JSON value that is not a study at all.
    let e = Snapshot::parse(Path::new("x.json"), "[1, 2]").unwrap_err();
    assert_eq!(e.line, 1);
    let e = Snapshot::parse(Path::new("x.json"), "{}").unwrap_err();
    assert!(e.message.contains("nctId"), "{e:?}");
}

#[test]
fn a_folder_with_a_bad_file_still_loads_the_others() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/registry");
    let set = Snapshots::load_dir(&dir);
    assert_eq!(set.len(), 7);
    assert_eq!(set.errors.len(), 2, "{:?}", set.errors);
    assert!(set.get("NCT01775774").is_some());
    assert!(set.get("NCT99999999").is_none());
    let missing = Snapshots::load_dir(&dir.join("no-such-folder"));
    assert_eq!(missing.errors.len(), 1);
}

#[test]
fn dates_agree_at_the_lesser_precision() {
    assert!(dates_agree("2013-07", "2013-07-15"));
    assert!(dates_agree("2013-07-15", "2013"));
    assert!(!dates_agree("2013-07", "2013-08-01"));
    assert!(!dates_agree("2013-07-15", "2013-07-16"));
    assert!(!dates_agree("", "2013"));
}

#[test]
fn phases_agree_as_sets_and_labels_ignore_case_and_spaces() {
    let a = FactValue::Terms(vec!["PHASE2".into(), "PHASE1".into()]);
    let b = FactValue::Terms(vec!["PHASE1".into(), "PHASE2".into()]);
    assert!(agrees(&a, &b));
    assert!(!agrees(&a, &FactValue::Terms(vec!["PHASE1".into()])));
    assert!(!agrees(&FactValue::Count(30), &FactValue::Count(31)));
    assert!(!agrees(
        &FactValue::Count(30),
        &FactValue::Term("30".into())
    ));
    assert!(same_label("Allo-hMSCs", "  allo-hmscs "));
    assert!(same_label("Placebo  Group", "placebo group"));
    assert!(!same_label("Allo-hMSCs", "Auto-hMSCs"));
}
