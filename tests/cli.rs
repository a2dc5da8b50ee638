//! `trls` as a user runs it: exit statuses, output formats, configuration, file
//! selection, `--fix`, and hostile input answered with diagnostics, never a crash.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_trls");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run trls; a hang is a failure (generous limit: this guards against hangs, it
/// does not measure speed).
fn trls(args: &[&str], cwd: &Path) -> Output {
    let child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output().unwrap()));
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(out) => out,
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("trls {args:?} did not finish");
        }
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh folder under the system temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trls-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(rel: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn example_records_check_clean() {
    let o = trls(&["check", "examples/records"], &root());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 errors"), "{}", stdout(&o));
}

#[test]
fn exit_status_one_for_errors_two_for_a_failed_run() {
    let o = trls(
        &["check", &fixture("TRF011/fires-misspelt-key.trial.yaml")],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let o = trls(&["check", "no/such/records"], &root());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no/such/records"), "{err}");
}

#[test]
fn strict_fails_on_warnings_and_hints_are_opt_in() {
    let f = fixture("config/case-extra-route-and-severity.trial.yaml");
    assert_eq!(trls(&["check", &f], &root()).status.code(), Some(0));
    assert_eq!(
        trls(&["check", "--strict", &f], &root()).status.code(),
        Some(1)
    );
    let hint = fixture("TRF900/fires-unused-suppression.trial.yaml");
    assert!(!stdout(&trls(&["check", &hint], &root())).contains("TRF900"));
    assert!(stdout(&trls(&["check", "--show-hints", &hint], &root())).contains("hint[TRF900]"));
}

#[test]
fn text_format_has_location_excerpt_and_summary() {
    let f = fixture("TRF011/fires-misspelt-key.trial.yaml");
    let out = stdout(&trls(&["check", &f], &root()));
    assert!(
        out.contains(&format!(
            "{f}:7:1: error[TRF011]: unknown key `enrolment`; did you mean `enrollment`?"
        )),
        "{out}"
    );
    assert!(
        out.contains("7 | enrolment: {count: 40, type: ESTIMATED}\n  | ^^^^^^^^^\n"),
        "{out}"
    );
    assert!(
        out.trim_end()
            .ends_with("1 error, 0 warnings, 0 infos in 1 file"),
        "{out}"
    );
}

#[test]
fn json_format_has_exactly_the_specified_fields() {
    let f = fixture("TRF013/fires-columns-after-chinese.trial.json");
    let out = stdout(&trls(&["check", "--format", "json", &f], &root()));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&doc), ["version", "summary", "diagnostics"]);
    assert_eq!(doc["version"], 1);
    assert_eq!(
        keys(&doc["summary"]),
        ["files", "errors", "warnings", "infos", "hints"]
    );
    let d = &doc["diagnostics"][0];
    assert_eq!(
        keys(d),
        [
            "path",
            "code",
            "severity",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
            "fix"
        ]
    );
    // The Chinese title before the error counts one column per character.
    let text = std::fs::read_to_string(&f).unwrap();
    let col = text[..text.find("\"Recruiting\"").unwrap()].chars().count() + 1;
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("TRF013"), Some(1), Some(col as u64))
    );
    assert_eq!(d["end_column"].as_u64(), Some(col as u64 + 12));
    assert_eq!(keys(&d["fix"]), ["title", "edits"]);
    assert_eq!(
        keys(&d["fix"]["edits"][0]),
        ["line", "column", "end_line", "end_column", "new_text"]
    );
    assert_eq!(d["fix"]["edits"][0]["new_text"], "\"RECRUITING\"");
}

#[test]
fn sarif_is_2_1_0_with_rules_and_one_based_regions() {
    let f = fixture("TRF011/fires-misspelt-key.trial.yaml");
    let out = stdout(&trls(&["check", "--format", "sarif", &f], &root()));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), trls::codes::Code::ALL.len());
    for r in rules {
        assert!(r["id"].as_str().unwrap().starts_with("TRF"));
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(r["helpUri"].as_str().is_some());
    }
    let results = run["results"].as_array().unwrap();
    let r = results.iter().find(|r| r["ruleId"] == "TRF011").unwrap();
    assert_eq!(r["level"], "error");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(7), Some(1))
    );
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "TRF011"
    );
}

#[test]
fn github_format_is_workflow_commands() {
    let f = fixture("TRF011/fires-misspelt-key.trial.yaml");
    let out = stdout(&trls(&["check", "--format", "github", &f], &root()));
    let line = out.lines().find(|l| l.contains("title=TRF011")).unwrap();
    assert!(line.starts_with("::error file="), "{line}");
    assert!(
        line.contains(",line=7,col=1,endLine=7,endColumn=10,title=TRF011::unknown key `enrolment`"),
        "{line}"
    );
}

#[test]
fn explain_prints_every_code_and_refuses_unknown_ones() {
    for rule in trls::codes::Code::ALL.iter().map(|c| c.meta()) {
        let o = trls(&["explain", rule.id], &root());
        assert_eq!(o.status.code(), Some(0));
        assert!(
            stdout(&o).starts_with(&format!("# {}", rule.id)),
            "{}",
            stdout(&o)
        );
    }
    let o = trls(&["explain", "TRF999"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("TRF999"));
}

#[test]
fn schema_is_json_schema_with_vocabularies() {
    let o = trls(&["schema"], &root());
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        doc["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let routes = doc["$defs"]["Route"]["enum"].as_array().unwrap();
    assert!(routes.iter().any(|r| r == "INTRAVENOUS"));
    assert_eq!(
        routes.len(),
        doc["$defs"]["Route"]["markdownEnumDescriptions"]
            .as_array()
            .unwrap()
            .len()
    );
}

#[test]
fn bad_configuration_is_exit_2_with_its_line() {
    let dir = scratch("badconfig");
    std::fs::write(dir.join("trls.toml"), "[rules]\nTRF011 = \"loud\"\n").unwrap();
    std::fs::copy(
        fixture("TRF015/quiet-version-1.trial.yaml"),
        dir.join("a.trial.yaml"),
    )
    .unwrap();
    let o = trls(&["check", "."], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("trls.toml:2:"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`loud` is not a severity"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        dir.join("trls.toml"),
        "[files]\ninclude = [\"x\"]\n[misc]\n",
    )
    .unwrap();
    let o = trls(&["check", "."], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("trls.toml:3:"), "{}", stderr(&o));
}

#[test]
fn folders_honour_gitignore_and_file_globs() {
    let dir = scratch("walk");
    let bad = "trf: 1\nenrolment: 1\n";
    for f in [
        "records/a.trial.yaml",
        "records/drafts/b.trial.yaml",
        "ignored/c.trial.yaml",
        "records/not-a-record.yaml",
    ] {
        std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
        std::fs::write(dir.join(f), bad).unwrap();
    }
    std::fs::write(dir.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::write(
        dir.join("trls.toml"),
        "[files]\ninclude = [\"records/**\"]\nexclude = [\"records/drafts/**\"]\n",
    )
    .unwrap();
    let out = stdout(&trls(&["check", "--format", "json", "."], &dir));
    let doc: Value = serde_json::from_str(&out).unwrap();
    let paths: std::collections::BTreeSet<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        ["./records/a.trial.yaml"]
    );
    // A file named explicitly is checked whatever the globs say.
    let o = trls(&["check", "records/drafts/b.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn fix_rewrites_in_place_keeps_comments_and_is_idempotent() {
    let dir = scratch("fix");
    let src =
        std::fs::read_to_string(fixture("TRF013/fires-aliases-and-typos.trial.yaml")).unwrap();
    let src = format!("# curated by hand\n{src}");
    let f = dir.join("r.trial.yaml");
    std::fs::write(&f, &src).unwrap();
    let o = trls(&["check", "--fix", "r.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let once = std::fs::read_to_string(&f).unwrap();
    assert!(once.starts_with("# curated by hand\n"));
    assert!(
        once.contains("status: \"NOT_YET_RECRUITING\"")
            && once.contains("phases: [PHASE1, PHASE2]")
    );
    let o = trls(&["check", "--fix", "r.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        once,
        "second --fix changed the file"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "temporary files left behind: {leftovers:?}"
    );
}

/// Write a hostile file, check it, and expect diagnostics (exit 1) with the code.
fn hostile(name: &str, bytes: &[u8], code: &str) {
    let dir = scratch(name);
    let f = dir.join(name);
    std::fs::write(&f, bytes).unwrap();
    let o = trls(&["check", "--format", "json", name], &dir);
    assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&code), "{name}: {codes:?}");
}

#[test]
fn alias_bomb_is_refused_not_expanded() {
    let mut y =
        String::from("trf: 1\nbomb:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        y.push_str(&format!("  l{i}: &l{i} [{refs}]\n"));
    }
    hostile("bomb.trial.yaml", y.as_bytes(), "TRF003");
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let n = 100_000;
    let flow = format!("trf: 1\nx: {}{}\n", "[".repeat(n), "]".repeat(n));
    hostile("deep-flow.trial.yaml", flow.as_bytes(), "TRF001");
    let mut block = String::from("trf: 1\n");
    for i in 0..5_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    hostile("deep-block.trial.yaml", block.as_bytes(), "TRF001");
    let json = format!("{{\"trf\": 1, \"x\": {}{}}}", "[".repeat(n), "]".repeat(n));
    hostile("deep.trial.json", json.as_bytes(), "TRF001");
}

#[test]
fn ten_megabyte_record_is_checked() {
    let mut y = String::from("trf: 1\nid: NCT06853522\nkeywords:\n");
    while y.len() < 10 << 20 {
        y.push_str("  - mesenchymal stromal cell exosome keyword\n");
    }
    y.push_str("statuss: RECRUITING\n");
    hostile("big.trial.yaml", y.as_bytes(), "TRF011");
}

#[test]
fn invalid_utf8_bom_and_crlf() {
    hostile("latin1.trial.yaml", b"trf: 1\ntitle: caf\xe9\n", "TRF001");
    let bom = "\u{feff}trf: 1\r\nid: NCT06853522\r\nstatus: RECRUITNG\r\n";
    let dir = scratch("bom");
    std::fs::write(dir.join("b.trial.yaml"), bom).unwrap();
    let doc: Value = serde_json::from_str(&stdout(&trls(
        &["check", "--format", "json", "b.trial.yaml"],
        &dir,
    )))
    .unwrap();
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "TRF013")
        .unwrap();
    assert_eq!(
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["end_column"].as_u64()
        ),
        (Some(3), Some(9), Some(18))
    );
    let first = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "TRF010")
        .unwrap();
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(1)),
        "BOM counted as a column"
    );
}
