//! Fixture-driven rule tests. Each `tests/fixtures/<CODE>/<case>.trial.{yaml,yml,json}`
//! is a record; beside it `<file>.expected` lists the diagnostics it must produce
//! (every code, position and message), and, where safe fixes exist, `<file>.fixed`
//! is the text `check --fix` must write. Cases named `fires*` must raise their
//! folder's code; cases named `quiet*` (near misses) must not. A `trls.toml` in a
//! folder configures its cases. `TRLS_BLESS=1 cargo test` rewrites the expectations
//! (review the diff before committing).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use trls::config::Config;
use trls::engine;

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixtures_root()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if trls::workspace::is_record(&f) {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// The path a case is checked as: its own, or the record file name its first line
/// gives as a comment (`# NCT01234567.trial.yaml`), for rules that judge file names
/// (TRF104) in cases that must still be named `fires-*`/`quiet-*`.
fn checked_as(case: &Path, bytes: &[u8]) -> PathBuf {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    std::str::from_utf8(first)
        .ok()
        .and_then(|l| l.strip_prefix("# "))
        .map(str::trim)
        .filter(|n| !n.contains(['/', '\\']) && trls::workspace::is_record(Path::new(n)))
        .map_or_else(|| case.to_path_buf(), |n| case.with_file_name(n))
}

fn config_for(case: &Path) -> Config {
    match Config::find(case.parent().unwrap()) {
        Some(p) if p.starts_with(fixtures_root()) => Config::load(&p).unwrap(),
        _ => Config::default(),
    }
}

/// `line:col-end_line:end_col severity[CODE] message`, then `  fix: title`.
fn render(checked: &engine::Checked) -> String {
    let mut out = String::new();
    for d in &checked.diagnostics {
        let (l, c) = checked.lines.line_col(&checked.text, d.span.start);
        let (el, ec) = checked.lines.line_col(&checked.text, d.span.end);
        writeln!(
            out,
            "{}:{}-{}:{} {}[{}] {}",
            l + 1,
            c + 1,
            el + 1,
            ec + 1,
            d.severity.as_str(),
            d.code,
            d.message
        )
        .unwrap();
        if let Some(fix) = &d.fix {
            writeln!(out, "  fix: {}", fix.title).unwrap();
        }
    }
    out
}

fn compare(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("TRLS_BLESS").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{}:\n--- expected\n{expected}--- actual\n{actual}",
            path.display()
        ));
    }
}

#[test]
fn fixtures_produce_their_expected_diagnostics_and_fixes() {
    let mut failures = Vec::new();
    for case in cases() {
        let bytes = std::fs::read(&case).unwrap();
        let config = config_for(&case);
        let as_file = checked_as(&case, &bytes);
        let checked = engine::check_bytes(&bytes, &as_file, &config);
        let name = case.file_name().unwrap().to_str().unwrap();
        let code = case
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
        if name.starts_with("fires") && !codes.contains(&code) {
            failures.push(format!(
                "{}: expected {code} to fire; got {codes:?}",
                case.display()
            ));
        }
        if name.starts_with("quiet") && codes.contains(&code) {
            failures.push(format!(
                "{}: expected {code} to stay quiet; got {codes:?}",
                case.display()
            ));
        }
        compare(
            &case.with_file_name(format!("{name}.expected")),
            &render(&checked),
            &mut failures,
        );
        // Fixes: the fixed text is pinned, no longer has the fixed findings, and a
        // second pass changes nothing.
        let fixed_path = case.with_file_name(format!("{name}.fixed"));
        match engine::fix_all(&checked.text, &as_file, &config) {
            Some(fixed) => {
                compare(&fixed_path, &fixed, &mut failures);
                if engine::fix_all(&fixed, &as_file, &config).is_some() {
                    failures.push(format!(
                        "{}: a second --fix pass changed the text",
                        case.display()
                    ));
                }
                let after = engine::check_bytes(fixed.as_bytes(), &as_file, &config);
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
            None => {
                if fixed_path.exists() && std::env::var_os("TRLS_BLESS").is_none() {
                    failures.push(format!(
                        "{}: has a .fixed file but no fix applies",
                        case.display()
                    ));
                }
                if fixed_path.exists() && std::env::var_os("TRLS_BLESS").is_some() {
                    std::fs::remove_file(&fixed_path).unwrap();
                }
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
    for rule in trls::rules::RULES.iter() {
        let in_dir: Vec<&PathBuf> = cases
            .iter()
            .filter(|c| c.parent().unwrap().ends_with(rule.code))
            .collect();
        let has = |prefix: &str| {
            in_dir
                .iter()
                .any(|c| c.file_name().unwrap().to_str().unwrap().starts_with(prefix))
        };
        if !has("fires") {
            missing.push(format!("{}: no fires* fixture", rule.code));
        }
        if !has("quiet") {
            missing.push(format!("{}: no quiet* fixture", rule.code));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
