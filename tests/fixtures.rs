//! Fixture-driven rule tests. Each `tests/fixtures/<CODE>/<case>.trial.{yaml,yml,json}`
//! is a record; beside it `<file>.expected` is what `trls check` prints for it (every
//! code, position, message, related location and fix, with code frames and the fixes
//! as diffs, as a reviewer reads a terminal), and, where safe fixes exist, `<file>.fixed`
//! is the text `check --fix` must write. Cases named `fires*` must raise their
//! folder's code; cases named `quiet*` (near misses) must not. A `trls.toml` in a
//! folder configures its cases. A sub-folder named `fires-*` or `quiet-*` is one
//! case made of every record in it, checked together (for cross-record rules).
//! `TRLS_BLESS=1 cargo test` rewrites the expectations (review the diff before
//! committing).

mod common;

use common::compare;

use std::path::{Path, PathBuf};

use trls::config::Config;
use trls::engine;
use trls::render::{self, FileReport};

fn fixtures_root() -> PathBuf {
    // Relative (tests run in the package root), so that messages naming other
    // files are the same on every machine.
    PathBuf::from("tests/fixtures")
}

/// Each case: its name and the record files checked together.
fn cases() -> Vec<(String, Vec<PathBuf>)> {
    let records = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|f| f.unwrap().path())
            .filter(|f| trls::workspace::is_record(f))
            .collect();
        v.sort();
        v
    };
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixtures_root()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in records(&dir) {
            out.push((
                f.file_name().unwrap().to_str().unwrap().to_string(),
                vec![f],
            ));
        }
        for sub in std::fs::read_dir(&dir).unwrap() {
            let sub = sub.unwrap().path();
            let is_case = sub
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("fires") || n.starts_with("quiet"));
            // Other folders hold a case's data (registry snapshots).
            if sub.is_dir() && is_case {
                out.push((
                    sub.file_name().unwrap().to_str().unwrap().to_string(),
                    records(&sub),
                ));
            }
        }
    }
    out.sort();
    out
}

/// The path a case is checked as: its own, or the record file name its first line
/// gives as a comment (`# NCT01234567.trial.yaml`), for rules that judge file names
/// (TRF104) in cases that must still be named `fires-*`/`quiet-*`.
fn checked_as(case: &Path) -> PathBuf {
    let bytes = std::fs::read(case).unwrap_or_default();
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    std::str::from_utf8(first)
        .ok()
        .and_then(|l| l.strip_prefix("# "))
        .map(str::trim)
        .filter(|n| !n.contains(['/', '\\', ' ']) && trls::workspace::is_record(Path::new(n)))
        .map_or_else(|| case.to_path_buf(), |n| case.with_file_name(n))
}

fn config_for(case: &Path) -> Config {
    let config = match Config::find(case.parent().unwrap()) {
        Some(p) if p.to_string_lossy().contains("tests/fixtures") => {
            let (config, errors) = Config::load(&p).unwrap().with_registry_loaded();
            assert!(errors.is_empty(), "{errors:?}");
            config
        }
        _ => Config::default(),
    };
    // The completeness rules (TRF4xx) report what nearly every record's product
    // characterization leaves out, as information. Outside their own folders they are
    // switched off, so that the cases of other rules keep showing those rules'
    // findings (a first-edition record checks exactly as before).
    let completeness = case.ancestors().any(|a| {
        a.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("TRF4"))
    });
    if completeness {
        return config;
    }
    let off: std::collections::HashMap<String, Option<trls::severity::Severity>> =
        trls::codes::Code::with_prefix("TRF4")
            .map(|c| (c.as_str().to_string(), None))
            .collect();
    config.with_severities(&off)
}

/// A file's findings exactly as `trls check` prints them (colors off): header, code
/// frame, `= note:` lines for related locations and the fix as a diff, then the
/// summary line. Related locations in the case's other files are positioned in them.
fn render(report: &FileReport, case: &[FileReport]) -> String {
    render::text(
        std::slice::from_ref(report),
        case,
        render::TextOptions { color: false },
    )
}

#[test]
fn fixtures_produce_their_expected_diagnostics_and_fixes() {
    let mut failures = Vec::new();
    for (name, files) in cases() {
        let configs: Vec<Config> = files.iter().map(|f| config_for(f)).collect();
        let analyses = files
            .iter()
            .zip(&configs)
            .map(|(f, c)| engine::analyze(&std::fs::read(f).unwrap(), Some(&checked_as(f)), c))
            .collect();
        let all: Vec<FileReport> = engine::check_all(analyses, &configs.iter().collect::<Vec<_>>())
            .into_iter()
            .zip(&files)
            .map(|(checked, f)| FileReport {
                path: checked_as(f),
                checked,
            })
            .collect();
        let code = files[0]
            .ancestors()
            .find_map(|a| {
                a.file_name()
                    .and_then(|n| n.to_str())
                    .filter(|n| n.starts_with("TRF") || *n == "config")
            })
            .unwrap_or("");
        let codes: Vec<&str> = all
            .iter()
            .flat_map(|r| &r.checked.diagnostics)
            .map(|d| d.code.as_str())
            .collect();
        if name.starts_with("fires") && !codes.contains(&code) {
            failures.push(format!(
                "{name} ({code}): expected {code} to fire; got {codes:?}"
            ));
        }
        if name.starts_with("quiet") && codes.contains(&code) {
            failures.push(format!(
                "{name} ({code}): expected {code} to stay quiet; got {codes:?}"
            ));
        }
        for ((case, report), config) in files.iter().zip(&all).zip(&configs) {
            let checked = &report.checked;
            let file = case.file_name().unwrap().to_str().unwrap();
            // The registry's word on fixes holds for every finding.
            for d in &checked.diagnostics {
                use trls::codes::Fixable;
                let declared = d.code.meta().fix;
                let ok = match (&d.fix, declared) {
                    (None, _) => true,
                    (Some(_), Fixable::None) => false,
                    (Some(f), Fixable::Safe) => f.safe,
                    (Some(f), Fixable::Unsafe) => !f.safe,
                    (Some(_), Fixable::Sometimes) => true,
                };
                if !ok {
                    failures.push(format!(
                        "{}: {} has a fix (safe: {}) but the registry declares {declared:?}",
                        case.display(),
                        d.code,
                        d.fix.as_ref().is_some_and(|f| f.safe)
                    ));
                }
            }
            compare(
                &case.with_file_name(format!("{file}.expected")),
                &render(report, &all),
                &mut failures,
            );
            // Fixes: the fixed text is pinned, no longer has the fixed findings, and a
            // second pass changes nothing.
            let fixed_path = case.with_file_name(format!("{file}.fixed"));
            let as_file = checked_as(case);
            match engine::fix_all(&checked.text, &as_file, config) {
                Some(fixed) => {
                    compare(&fixed_path, &fixed, &mut failures);
                    if engine::fix_all(&fixed, &as_file, config).is_some() {
                        failures.push(format!(
                            "{}: a second --fix pass changed the text",
                            case.display()
                        ));
                    }
                    let after = engine::check_bytes(fixed.as_bytes(), &as_file, config);
                    for d in checked
                        .diagnostics
                        .iter()
                        .filter(|d| d.fix.as_ref().is_some_and(|f| f.safe))
                    {
                        if after
                            .diagnostics
                            .iter()
                            .any(|a| a.code == d.code && a.message == d.message)
                        {
                            failures.push(format!(
                                "{}: fixed text still has {} {}",
                                case.display(),
                                d.code,
                                d.message
                            ));
                        }
                    }
                }
                None if fixed_path.exists() => {
                    if common::blessing() {
                        std::fs::remove_file(&fixed_path).unwrap();
                    } else {
                        failures.push(format!(
                            "{}: has a .fixed file but no fix applies",
                            case.display()
                        ));
                    }
                }
                None => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_firing_and_a_quiet_fixture() {
    let cases = cases();
    let mut missing = Vec::new();
    for rule in trls::codes::Code::ALL.iter().map(|c| c.meta()) {
        let in_dir: Vec<&String> = cases
            .iter()
            .filter(|(_, files)| {
                files
                    .iter()
                    .any(|f| f.ancestors().any(|a| a.ends_with(rule.id)))
            })
            .map(|(name, _)| name)
            .collect();
        let has = |prefix: &str| in_dir.iter().any(|n| n.starts_with(prefix));
        if !has("fires") {
            missing.push(format!("{}: no fires* fixture", rule.id));
        }
        if !has("quiet") {
            missing.push(format!("{}: no quiet* fixture", rule.id));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
