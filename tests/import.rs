//! `trls import ctgov`: each snapshot fixture drafts the record beside it
//! (`tests/fixtures/registry/expected/<id>.trial.yaml`), and a drafted record checks
//! with no error and no TRF12x finding against its own snapshot (the round trip).
//! `TRLS_BLESS=1` rewrites the expected drafts.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use trls::codes::{Code, Severity};
use trls::config::Config;
use trls::engine;
use trls::registry::{import, results as import_results, Snapshot, Snapshots};

fn snapshots() -> Vec<PathBuf> {
    let dir = Path::new("tests/fixtures/registry");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_snapshot_drafts_its_expected_record_which_checks_clean() {
    let mut failures = Vec::new();
    let mut drafted = 0;
    for path in snapshots() {
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(snapshot) = Snapshot::parse(&path, &text) else {
            continue; // the malformed fixtures
        };
        let draft = import::draft(&snapshot.study);
        drafted += 1;
        // Written in the canonical layout: `trls fmt` changes nothing.
        match trls::format::format(
            &draft.text,
            trls::syntax::Syntax::Yaml,
            Config::default().schema(),
        ) {
            Ok(f) if f.changed => failures.push(format!(
                "{}: not in the canonical layout:\n{}",
                draft.file_name, f.text
            )),
            Ok(_) => {}
            Err(e) => failures.push(format!(
                "{}: the formatter refuses it: {e}",
                draft.file_name
            )),
        }
        let expected = path.with_file_name("expected").join(&draft.file_name);
        std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
        common::compare(&expected, &draft.text, &mut failures);
        let mut set = Snapshots::default();
        set.add(&path, &text);
        let config = Config::default().with_snapshots(Arc::new(set));
        let analysis = engine::analyze(
            draft.text.as_bytes(),
            Some(Path::new(&draft.file_name)),
            &config,
        );
        let checked = engine::check_all(vec![analysis], &[&config]);
        for d in &checked[0].diagnostics {
            let registry = matches!(
                d.code,
                Code::RegistryDisagrees | Code::SnapshotNewer | Code::RegistryEntryUnmatched
            );
            // A snapshot without an update date leaves nothing to set `updated` to.
            let undated = d.code == Code::SnapshotNewer && snapshot.last_update().is_none();
            if (d.severity == Severity::Error || registry) && !undated {
                failures.push(format!(
                    "{}: {} {}",
                    draft.file_name,
                    d.code.as_str(),
                    d.message
                ));
            }
        }
    }
    assert!(drafted >= 4, "only {drafted} snapshots drafted");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn registry_free_text_is_read_only_where_unambiguous() {
    assert_eq!(import::age("18 Years").as_deref(), Some("18 a"));
    assert_eq!(import::age("6 Months").as_deref(), Some("6 mo"));
    assert_eq!(import::age("1 Week").as_deref(), Some("1 wk"));
    assert_eq!(import::age("N/A"), None);
    assert_eq!(
        import::timepoints("Baseline, 24 weeks and 52 weeks"),
        Some(vec!["baseline".into(), "24 wk".into(), "52 wk".into()])
    );
    assert_eq!(import::timepoints("Day 28"), Some(vec!["28 d".into()]));
    assert_eq!(import::timepoints("24 hours"), Some(vec!["24 h".into()]));
    assert_eq!(import::timepoints("One month post-catheterization"), None);
    assert_eq!(import::timepoints("up to 12 months"), None);
}

#[test]
fn units_of_measure_read_as_ucum_counts_or_checked_annotations() {
    use import_results::{unit_of_measure, Unit};
    let ucum = |u: &str| Some(Unit::Ucum(u.to_string()));
    assert_eq!(unit_of_measure("mL"), ucum("mL"));
    assert_eq!(unit_of_measure("ml"), ucum("mL"));
    assert_eq!(unit_of_measure("percent"), ucum("%"));
    assert_eq!(unit_of_measure("Percentage of Participants"), ucum("%"));
    assert_eq!(unit_of_measure("days"), ucum("d"));
    assert_eq!(unit_of_measure("mmHg"), ucum("mm[Hg]"));
    assert_eq!(unit_of_measure("meters"), ucum("m"));
    assert_eq!(unit_of_measure("units on a scale"), ucum("{score}"));
    assert_eq!(unit_of_measure("Participants"), Some(Unit::Participants));
    assert_eq!(
        unit_of_measure("Fatigue Severity Scale units"),
        Some(Unit::Annotation("{Fatigue_Severity_Scale_units}".into()))
    );
    assert_eq!(unit_of_measure(""), None);
}

/// The hand-made snapshot with posted results maps every parameter and dispersion
/// type, and an unknown unit gets a `# check:` comment.
#[test]
fn every_parameter_and_dispersion_type_is_mapped() {
    let path = Path::new("tests/fixtures/registry/edge-results-mappings.json");
    let text = std::fs::read_to_string(path).unwrap();
    let snapshot = Snapshot::parse(path, &text).unwrap();
    let measures = &snapshot
        .study
        .results_section
        .as_ref()
        .unwrap()
        .outcome_measures_module
        .as_ref()
        .unwrap()
        .outcome_measures;
    let params: std::collections::BTreeSet<&str> = measures
        .iter()
        .filter_map(|m| m.param_type.as_deref())
        .collect();
    let dispersions: std::collections::BTreeSet<&str> = measures
        .iter()
        .filter_map(|m| m.dispersion_type.as_deref())
        .collect();
    for p in [
        "MEAN",
        "MEDIAN",
        "NUMBER",
        "COUNT_OF_PARTICIPANTS",
        "GEOMETRIC_MEAN",
        "LEAST_SQUARES_MEAN",
        "LOG_MEAN",
        "GEOMETRIC_LEAST_SQUARES_MEAN",
        "COUNT_OF_UNITS",
    ] {
        assert!(params.contains(p), "the fixture lacks {p}");
    }
    for d in [
        "NA",
        "STANDARD_DEVIATION",
        "STANDARD_ERROR",
        "INTER_QUARTILE_RANGE",
        "FULL_RANGE",
        "CONFIDENCE_80",
        "CONFIDENCE_90",
        "CONFIDENCE_95",
        "CONFIDENCE_975",
        "CONFIDENCE_99",
        "CONFIDENCE_OTHER",
        "GEOMETRIC_COEFFICIENT",
    ] {
        assert!(dispersions.contains(d), "the fixture lacks {d}");
    }
    let draft = import::draft(&snapshot.study).text;
    for line in [
        "    mean: 2590 mL\n    sd: 410 mL\n",
        "    median: 12 d\n    iqr:\n      min: 9 d\n      max: 15 d\n",
        "    median: 30 h\n    range:\n      min: 6 h\n      max: 96 h\n",
        "    value: 60 %\n    ci:\n      low: 26.2 %\n      high: 87.8 %\n      level: 95\n",
        "    n: 10\n    count: 1\n",
        "    mean: 1.1 mg/dL\n    se: 0.1 mg/dL\n",
        "    value: 8.4 pg/mL  # check: the registry's parameter is GEOMETRIC_MEAN",
        "dispersion is GEOMETRIC_COEFFICIENT 35.2",
        "    value: 62.1 {score}  # check: the registry's parameter is LEAST_SQUARES_MEAN",
        "      level: 90\n",
        "parameter is LOG_MEAN",
        "      level: 80\n",
        "parameter is GEOMETRIC_LEAST_SQUARES_MEAN",
        "      level: 97.5\n",
        "parameter is COUNT_OF_UNITS",
        "      level: 99\n",
        "dispersion is CONFIDENCE_OTHER 380 to 440",
        // An unknown unit: an annotation, and a point to check.
        "mean: 4.2 {Fatigue_Severity_Scale_units}  # check: the registry's unit of measure \
         `Fatigue Severity Scale units` is not a UCUM unit",
        // What cannot be placed is named above `results`.
        "# check: the registry's totals over all groups (`Total`) are left out",
        "by category (`Mild`, `Severe`) are left out",
        "`A post hoc analysis` are left out: the record has no outcome of that title",
        "`Body weight by sex` for `Female` are left out: that row is not one timepoint",
        "`Long-term survival` are not posted yet",
        "`-1.5 %` is not a percentage between 0 and 100",
        "its value `NA` (Not estimable: no events) is not a number",
    ] {
        assert!(draft.contains(line), "the draft lacks {line:?}:\n{draft}");
    }
    // Baseline and week 12 rows of one measure are two timepoints.
    assert!(draft.contains("outcome: serum-creatinine\n    arm: cells\n    timepoint: baseline\n"));
    assert!(draft.contains("outcome: serum-creatinine\n    arm: cells\n    timepoint: 12 wk\n"));
}

/// Free text is read with the vocabularies' labels and aliases, whole words only,
/// the longest phrase winning.
#[test]
fn free_text_is_read_with_the_vocabulary_aliases() {
    let route = |t: &str| import::term_named("Route", t);
    let source = |t: &str| import::term_named("CellSource", t);
    assert_eq!(
        route("administered intravenously").as_deref(),
        Some("INTRAVENOUS")
    );
    assert_eq!(
        route("given by systemic infusion").as_deref(),
        Some("INTRAVENOUS")
    );
    assert_eq!(route("nebulized exosomes").as_deref(), Some("INHALATION"));
    assert_eq!(route("by lumbar puncture").as_deref(), Some("INTRATHECAL"));
    assert_eq!(
        route("TESI with a helical catheter").as_deref(),
        Some("TRANSENDOCARDIAL")
    );
    // Short aliases (`IT`, `IV`) and words inside other words name nothing.
    assert_eq!(route("it is given as IT"), None);
    assert_eq!(route("tesi"), None);
    assert_eq!(route("intravenous or intrathecal"), None);
    assert_eq!(
        source("human umbilical cord blood MSCs").as_deref(),
        Some("CORD_BLOOD")
    );
    assert_eq!(source("hUC-MSC").as_deref(), Some("UMBILICAL_CORD"));
    assert_eq!(
        source("lipoaspirate-derived cells").as_deref(),
        Some("ADIPOSE_TISSUE")
    );
    assert_eq!(source("fat"), None);
    assert_eq!(
        import::term_named("Donor", "allogenic cells").as_deref(),
        Some("ALLOGENEIC")
    );
    assert_eq!(
        import::term_named("Modality", "MSC-Exo eye drops").as_deref(),
        Some("EXOSOMES")
    );
}
