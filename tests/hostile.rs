//! Hostile records that once took quadratic time in the keys of one mapping
//! (issue 8, item 7): 100,000 unknown keys and 100,000 duplicate keys must be
//! checked in linear or n·log n time, each finding counted: the first
//! `MAX_PER_CODE` listed, the rest in one closing "and N more". No timing is
//! asserted; a quadratic check would not finish within the suite.

use std::path::Path;

use trls::codes::Code;
use trls::config::Config;
use trls::diagnostic::{Diagnostic, MAX_PER_CODE};
use trls::engine;

/// The findings of `code`, checked to be the first `MAX_PER_CODE` of `n` and one
/// closing finding counting the rest; returns the listed ones.
fn counted(d: &[Diagnostic], code: Code, n: usize) -> Vec<&Diagnostic> {
    let of: Vec<&Diagnostic> = d.iter().filter(|d| d.code == code).collect();
    assert_eq!(of.len(), MAX_PER_CODE + 1, "{code}: listed and closing");
    let closing = of[MAX_PER_CODE];
    assert!(
        closing
            .message
            .starts_with(&format!("and {} more `{code}`", n - MAX_PER_CODE)),
        "{}",
        closing.message
    );
    of[..MAX_PER_CODE].to_vec()
}

fn check(text: &str) -> Vec<trls::diagnostic::Diagnostic> {
    let config = Config::default();
    let path = Path::new("hostile.trial.yaml");
    engine::check_one(
        engine::analyze(text.as_bytes(), Some(path), &config),
        &config,
    )
    .diagnostics
}

#[test]
fn one_hundred_thousand_unknown_keys_in_one_mapping() {
    let n = 100_000;
    let mut y = String::from("trf: 1\nid: NCT06853522\n");
    for i in 0..n {
        y.push_str(&format!("k{i}: {i}\n"));
    }
    let d = check(&y);
    counted(&d, Code::UnknownKey, n);
}

#[test]
fn one_hundred_thousand_duplicate_keys() {
    let n = 100_000;
    let mut y = String::from("trf: 1\nid: NCT06853522\n");
    for _ in 0..n {
        y.push_str("title: again\n");
    }
    let d = check(&y);
    let dups = counted(&d, Code::DuplicateKey, n - 1);
    assert!(dups
        .iter()
        .all(|d| d.related.len() == 1 && d.related[0].span.start == 23));
    // Distinct keys that repeat, in a flow mapping.
    let mut f = String::from("{\"trf\": 1, \"id\": \"NCT06853522\"");
    for i in 0..n / 2 {
        f.push_str(&format!(", \"k{i}\": 1, \"k{i}\": 2"));
    }
    f.push('}');
    let config = Config::default();
    let path = Path::new("hostile.trial.json");
    let d =
        engine::check_one(engine::analyze(f.as_bytes(), Some(path), &config), &config).diagnostics;
    counted(&d, Code::DuplicateKey, n / 2);
}
