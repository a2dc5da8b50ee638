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
use trls::registry::{import, Snapshot, Snapshots};

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
