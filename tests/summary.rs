//! The language server's start-up indexing reads a record's summary from its
//! top-level sections alone (`engine::summarize_sections`); it must be exactly the
//! whole record's (`engine::summarize`), spans included. Each record in
//! `tests/summary/` is an input on which the two once differed (found by reading
//! and by the `check` fuzz target, which asserts the same on every input).

use std::path::{Path, PathBuf};

use trls::engine;

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/summary");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".trial.yaml"))
        .collect();
    found.sort();
    found
}

#[test]
fn the_sectioned_summary_is_the_whole_records_on_every_case() {
    let found = cases();
    assert!(found.len() >= 6, "{} cases", found.len());
    let mut failures = Vec::new();
    for path in &found {
        let bytes = std::fs::read(path).unwrap();
        let sections = engine::summarize_sections(&bytes, path);
        let whole = engine::summarize(&bytes, path);
        if sections != whole {
            failures.push(format!(
                "{}:\n  sections {sections:?}\n  whole    {whole:?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
