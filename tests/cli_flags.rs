//! `trls check`'s flags beyond the basics (selection, statistics, output file,
//! standard input, quiet, fix summary, diff, baselines) and the commands that print
//! what trls knows (`rules`, `explain`, `completions`, `schema`), as a user runs
//! them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use trls::codes::Code;

const BIN: &str = env!("CARGO_BIN_EXE_trls");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run trls in `cwd`, with `stdin` as its standard input.
fn run(args: &[&str], cwd: &Path, stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A run that fails before reading its input closes the pipe: not a failure here.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn trls(args: &[&str], cwd: &Path) -> Output {
    run(args, cwd, "")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh folder under the system temp dir (no trls.toml, no git checkout above).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trls-flags-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A record with a missing-keys error (TRF010), an unknown key with a safe fix
/// (TRF011) and a route outside its vocabulary with a safe fix (TRF013), copied
/// from the fixtures.
fn fixable_record() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/TRF011/fires-misspelt-key.trial.yaml"))
        .unwrap()
}

fn codes(doc: &Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// A record with two findings of different families: TRF010 and TRF011.
const TWO_FINDINGS: &str = "trf: 1\nenrolment: 1\n";

#[test]
fn select_and_ignore_take_codes_and_prefixes_and_decide_the_exit_status() {
    let dir = scratch("select");
    std::fs::write(dir.join("r.trial.yaml"), TWO_FINDINGS).unwrap();
    let json = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend(extra);
        args.push("r.trial.yaml");
        let o = trls(&args, &dir);
        let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
        (o.status.code(), codes(&doc))
    };
    let (_, all) = json(&[]);
    assert!(
        all.contains(&"TRF010".into()) && all.contains(&"TRF011".into()),
        "{all:?}"
    );
    assert_eq!(json(&["--select", "TRF011"]).1, ["TRF011"]);
    assert_eq!(
        json(&["--select", "trf0", "--ignore", "TRF010"]).1,
        ["TRF011"]
    );
    assert_eq!(
        json(&["--select", "TRF010,TRF011", "--ignore", "TRF011"]).1,
        ["TRF010"]
    );
    // Everything ignored: nothing reported, so the run passes.
    assert_eq!(json(&["--ignore", "TRF01"]), (Some(0), vec![]));
    let o = trls(&["check", "--select", "TRF7", "r.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--select TRF7: not a rule code"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn statistics_count_per_code_most_frequent_first() {
    let dir = scratch("stats");
    std::fs::write(dir.join("a.trial.yaml"), TWO_FINDINGS).unwrap();
    std::fs::write(
        dir.join("b.trial.yaml"),
        "trf: 1\nenrolment: 1\nsponsr: x\n",
    )
    .unwrap();
    let o = trls(&["check", "--statistics", "."], &dir);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "3 TRF011 unknown-key", "{out}");
    assert_eq!(lines[1], "2 TRF010 missing-key", "{out}");
    assert!(
        lines[2].starts_with("5 errors, 0 warnings, 0 infos in 2 files"),
        "{out}"
    );
    assert_eq!(lines.len(), 3, "{out}");
    let o = trls(&["check", "--statistics", "--format", "json", "."], &dir);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["code"], "TRF011");
    assert_eq!(doc[0]["name"], "unknown-key");
    assert_eq!(doc[0]["count"], 3);
    assert_eq!(doc[1]["count"], 2);
}

#[test]
fn output_file_gets_the_report_and_stderr_the_summary_and_quiet_drops_it() {
    let dir = scratch("output");
    std::fs::write(dir.join("r.trial.yaml"), TWO_FINDINGS).unwrap();
    let o = trls(
        &["check", "--output-file", "report.txt", "r.trial.yaml"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    let report = std::fs::read_to_string(dir.join("report.txt")).unwrap();
    assert!(
        report.contains("r.trial.yaml:2:1: error[TRF011]"),
        "{report}"
    );
    assert!(!report.contains("errors,"), "{report}");
    assert!(
        stderr(&o).starts_with("2 errors, 0 warnings, 0 infos in 1 file"),
        "{}",
        stderr(&o)
    );
    let o = trls(
        &[
            "check",
            "--format",
            "json",
            "--output-file",
            "r.json",
            "r.trial.yaml",
        ],
        &dir,
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(doc["summary"]["errors"], 2);
    assert!(stderr(&o).contains("2 errors"));
    // Quiet: the diagnostics, no summary line anywhere.
    let o = trls(&["check", "-q", "r.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[TRF011]"));
    assert!(
        !stdout(&o).contains("errors,") && stderr(&o).is_empty(),
        "{}",
        stdout(&o)
    );
    let o = trls(
        &["check", "--quiet", "--format", "json", "r.trial.yaml"],
        &dir,
    );
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn standard_input_is_checked_as_the_file_it_names_in_that_file_s_workspace() {
    let dir = scratch("stdin");
    std::fs::create_dir_all(dir.join("records")).unwrap();
    std::fs::write(
        dir.join("records/other.trial.yaml"),
        "trf: 1\nid: NCT06853522\n",
    )
    .unwrap();
    let o = run(
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "records/new.trial.json",
            "-",
        ],
        &dir,
        "{\"trf\": 1, \"id\": \"NCT06853522\", \"enrolment\": 1}",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["summary"]["files"], 1);
    assert!(doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["path"] == "records/new.trial.json"));
    let found = codes(&doc);
    // JSON by its name's extension; a duplicate of the record beside it.
    assert!(
        found.contains(&"TRF011".into()) && found.contains(&"TRF105".into()),
        "{found:?}"
    );
    // Without a name: `-`, YAML, alone.
    let o = run(&["check", "-"], &dir, TWO_FINDINGS);
    assert!(
        stdout(&o).contains("-:2:1: error[TRF011]"),
        "{}",
        stdout(&o)
    );
    // Fixed: the fixed text on stdout, the report on stderr.
    let o = run(&["check", "--fix", "-"], &dir, TWO_FINDINGS);
    assert_eq!(stdout(&o), "trf: 1\nenrollment: 1\n");
    assert!(stderr(&o).contains("error[TRF010]") && stderr(&o).contains("fixed 1 in 1 file"));
    // `-` stands alone.
    let o = run(&["check", "-", "records"], &dir, TWO_FINDINGS);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_summary_counts_fixable_findings_and_fix_says_what_it_changed() {
    let dir = scratch("fixsummary");
    let text = fixable_record();
    std::fs::write(dir.join("a.trial.yaml"), &text).unwrap();
    std::fs::write(dir.join("b.trial.yaml"), &text).unwrap();
    std::fs::write(
        dir.join("c.trial.yaml"),
        TWO_FINDINGS.replace("enrolment", "enrollment"),
    )
    .unwrap();
    let o = trls(
        &["check", "a.trial.yaml", "b.trial.yaml", "c.trial.yaml"],
        &dir,
    );
    let out = stdout(&o);
    assert!(
        out.trim_end().ends_with("; 2 fixable with `--fix`"),
        "{out}"
    );
    let o = trls(
        &[
            "check",
            "--fix",
            "a.trial.yaml",
            "b.trial.yaml",
            "c.trial.yaml",
        ],
        &dir,
    );
    let out = stdout(&o);
    let tail: Vec<&str> = out.lines().rev().take(2).collect();
    assert_eq!(tail[1], "fixed 2 in 2 files", "{out}");
    assert!(!tail[0].contains("fixable"), "{out}");
    assert_ne!(
        std::fs::read_to_string(dir.join("a.trial.yaml")).unwrap(),
        text
    );
    // Another format keeps stdout to the report: the fix summary goes to stderr.
    std::fs::write(dir.join("a.trial.yaml"), &text).unwrap();
    let o = trls(
        &["check", "--fix", "--format", "json", "a.trial.yaml"],
        &dir,
    );
    serde_json::from_str::<Value>(&stdout(&o)).unwrap();
    assert!(stderr(&o).contains("fixed 1 in 1 file\n"), "{}", stderr(&o));
}

#[test]
fn diff_shows_the_fixes_as_a_unified_diff_and_writes_nothing() {
    let dir = scratch("diff");
    let text = fixable_record();
    std::fs::write(dir.join("r.trial.yaml"), &text).unwrap();
    let o = trls(&["check", "--fix", "--diff", "r.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("--- a/r.trial.yaml\n+++ b/r.trial.yaml\n@@ -4,7 +4,7 @@\n"),
        "{out}"
    );
    assert!(out.contains("\n-enrolment: {count: 40, type: ESTIMATED}\n+enrollment: {count: 40, type: ESTIMATED}\n"), "{out}");
    assert!(!out.contains("error["), "{out}");
    assert_eq!(stderr(&o), "trls: would fix 1 in 1 file\n");
    assert_eq!(
        std::fs::read_to_string(dir.join("r.trial.yaml")).unwrap(),
        text
    );
    // Nothing to fix: no diff, exit 0.
    std::fs::write(dir.join("r.trial.yaml"), "trf: 1\n").unwrap();
    let o = trls(&["check", "--diff", "r.trial.yaml"], &dir);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));
}

#[test]
fn a_baseline_hides_known_findings_wherever_they_move_and_counts_the_gone() {
    let dir = scratch("baseline");
    std::fs::create_dir_all(dir.join("records")).unwrap();
    let rec = dir.join("records/r.trial.yaml");
    std::fs::write(&rec, "trf: 1\nenrolment: 1\nsponsr: x\n").unwrap();
    let o = trls(
        &["check", "--write-baseline", "trls-baseline.json", "records"],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "trls: wrote 3 findings to trls-baseline.json\n");
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("trls-baseline.json")).unwrap())
            .unwrap();
    let f = &saved["findings"];
    assert!(
        f.as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == "records/r.trial.yaml"
                && e["code"] == "TRF011"
                && e["text"] == "sponsr"),
        "{saved}"
    );
    assert!(f
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e.get("line").is_none()));
    // Lines inserted above: the same findings, nothing new, exit 0. Run from
    // elsewhere: paths are the baseline's folder's.
    std::fs::write(&rec, "# a comment\n\ntrf: 1\nenrolment: 1\nsponsr: x\n").unwrap();
    let o = trls(
        &["check", "--baseline", "../trls-baseline.json", "."],
        &dir.join("records"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("0 errors"), "{}", stdout(&o));
    assert_eq!(
        stderr(&o),
        "trls: baseline ../trls-baseline.json: 3 findings hidden\n"
    );
    // A new finding is reported; one that was fixed is counted as gone.
    std::fs::write(&rec, "trf: 1\nenrolment: 1\nstatuss: y\n").unwrap();
    let o = trls(
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "trls-baseline.json",
            "records",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let new: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].contains("statuss"), "{new:?}");
    assert!(
        stderr(&o).contains("1 entry no longer occurs"),
        "{}",
        stderr(&o)
    );
    let o = trls(&["check", "--baseline", "missing.json", "records"], &dir);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn rules_lists_every_registry_code_with_its_metadata() {
    let o = trls(&["rules"], &root());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("code") && header.contains("fixable") && header.ends_with("summary")
    );
    for c in Code::ALL {
        let m = c.meta();
        let line = out
            .lines()
            .find(|l| l.starts_with(m.id))
            .unwrap_or_else(|| panic!("{} missing", m.id));
        assert!(
            line.contains(m.name)
                && line.contains(m.severity.as_str())
                && line.ends_with(m.summary),
            "{line}"
        );
    }
    let o = trls(&["rules", "--format", "json"], &root());
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let listed: Vec<&str> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, all);
    let r011 = doc
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "TRF011")
        .unwrap();
    assert_eq!(r011["name"], "unknown-key");
    assert_eq!(r011["severity"], "error");
    assert_eq!(r011["fixable"], "safe");
    assert_eq!(
        doc.as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "TRF010")
            .unwrap()["fixable"],
        "no"
    );
}

/// Codes rules.md lists that the registry does not have yet: other work in progress
/// adds them (empty this set as they land).
const PENDING: &[&str] = &[];

#[test]
fn the_rule_registry_and_rules_md_list_the_same_codes() {
    let spec = std::fs::read_to_string(root().join("../../shared/spec/rules.md"))
        .or_else(|_| std::fs::read_to_string("/work/shared/spec/rules.md"));
    let Ok(spec) = spec else {
        eprintln!("rules.md not found beside the checkout: comparison skipped");
        return;
    };
    let re = regex::Regex::new(r"`(TRF\d{3})`").unwrap();
    let documented: std::collections::BTreeSet<String> =
        re.captures_iter(&spec).map(|c| c[1].to_string()).collect();
    let registry: std::collections::BTreeSet<String> =
        Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    let missing: Vec<&String> = documented
        .difference(&registry)
        .filter(|c| !PENDING.contains(&c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "in rules.md, not in the registry: {missing:?}"
    );
    let undocumented: Vec<&String> = registry.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "in the registry, not in rules.md: {undocumented:?}"
    );
    let landed: Vec<&&str> = PENDING.iter().filter(|c| registry.contains(**c)).collect();
    assert!(
        landed.is_empty(),
        "now in the registry: drop from PENDING: {landed:?}"
    );
}

#[test]
fn explain_takes_a_code_or_a_name_and_all_prints_every_rule() {
    let by_code = stdout(&trls(&["explain", "TRF011"], &root()));
    let by_name = stdout(&trls(&["explain", "unknown-key"], &root()));
    assert_eq!(by_code, by_name);
    assert_eq!(by_code, Code::UnknownKey.meta().doc);
    let o = trls(&["explain", "no-such-rule"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`no-such-rule` is not a trls rule code or name"));
    let all = stdout(&trls(&["explain", "--all"], &root()));
    let mut at = 0;
    for c in Code::ALL {
        let doc = c.meta().doc.trim_end();
        let found = all[at..]
            .find(doc)
            .unwrap_or_else(|| panic!("{c} missing or out of order"));
        at += found + doc.len();
    }
    assert_eq!(trls(&["explain"], &root()).status.code(), Some(2));
}

#[test]
fn completions_for_bash_zsh_and_fish_know_the_commands_and_flags() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef trls"),
        ("fish", "complete -c trls"),
    ] {
        let o = trls(&["completions", shell], &root());
        assert_eq!(o.status.code(), Some(0));
        let out = stdout(&o);
        assert!(out.contains(marker), "{shell}: {out}");
        for word in [
            "check",
            "explain",
            "rules",
            "stdin-filename",
            "write-baseline",
        ] {
            assert!(out.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(
        trls(&["completions", "tcsh"], &root()).status.code(),
        Some(2)
    );
}

#[test]
fn the_exported_schema_validates_under_draft_07_and_says_what_a_pattern_wants() {
    let o = trls(&["schema"], &root());
    let schema: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(jsonschema::draft7::meta::is_valid(&schema));
    let d7 = jsonschema::draft7::new(&schema).expect("compiles as draft-07");
    let declared = jsonschema::validator_for(&schema).expect("compiles as declared");
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/records/NCT06853522.trial.json")).unwrap(),
    )
    .unwrap();
    assert!(d7.is_valid(&record) && declared.is_valid(&record));
    // The same verdict on a broken record, in both drafts.
    let mut broken = record.clone();
    broken["id"] = "NCT 0685".into();
    assert!(!d7.is_valid(&broken) && !declared.is_valid(&broken));
    let mut broken = record;
    broken["enrollment"]["count"] = "forty".into();
    assert!(!d7.is_valid(&broken) && !declared.is_valid(&broken));
    let id = &schema["definitions"]["RegistryId"];
    let m = id["patternErrorMessage"].as_str().unwrap();
    assert!(
        m.starts_with("Expected a registry id such as `NCT06853522`"),
        "{m}"
    );
    assert!(m.contains("trls explain TRF100"), "{m}");
    assert_eq!(id["errorMessage"], id["patternErrorMessage"]);
    // Every pattern says what it wants.
    fn patterns_without_message(v: &Value) -> usize {
        match v {
            Value::Object(o) => {
                usize::from(o.contains_key("pattern") && !o.contains_key("patternErrorMessage"))
                    + o.values().map(patterns_without_message).sum::<usize>()
            }
            Value::Array(a) => a.iter().map(patterns_without_message).sum(),
            _ => 0,
        }
    }
    assert_eq!(patterns_without_message(&schema), 0);
}

#[test]
fn a_tab_of_indentation_is_named_on_its_line_and_no_key_is_reported_missing() {
    let dir = scratch("tab");
    std::fs::write(
        dir.join("r.trial.yaml"),
        "trf: 1\nid: NCT06853522\ntitle: x\n\tstatus: COMPLETED\n",
    )
    .unwrap();
    let o = trls(&["check", "--format", "json", "r.trial.yaml"], &dir);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found = doc["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{doc}");
    let d = &found[0];
    assert_eq!(d["code"], "TRF001");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(d["end_column"], 2);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("a tab indents this line"),
        "{d}"
    );
}

#[test]
fn output_that_is_not_a_terminal_is_plain_even_without_no_color() {
    let dir = scratch("plain");
    std::fs::write(dir.join("r.trial.yaml"), TWO_FINDINGS).unwrap();
    let o = Command::new(BIN)
        .args(["check", "--fix", "--diff", "r.trial.yaml"])
        .current_dir(&dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(stdout(&o).contains("+enrollment: 1"), "{}", stdout(&o));
    let o = Command::new(BIN)
        .args(["check", "r.trial.yaml"])
        .current_dir(&dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(stdout(&o).contains("error[TRF011]"), "{}", stdout(&o));
    assert!(!stdout(&o).contains('\x1b'), "{}", stdout(&o));
}

#[test]
fn a_workspace_above_the_current_folder_is_named_with_dots() {
    let dir = scratch("dots");
    std::fs::write(dir.join("trls.toml"), "").unwrap();
    for (f, text) in [
        ("x/a.trial.yaml", "trf: 1\nid: NCT06853522\n"),
        ("y/b.trial.yaml", "trf: 1\nid: NCT06853522\n"),
    ] {
        std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
        std::fs::write(dir.join(f), text).unwrap();
    }
    let o = trls(&["check", "a.trial.yaml"], &dir.join("x"));
    assert!(
        stdout(&o).contains("(../y/b.trial.yaml:2:5)"),
        "{}",
        stdout(&o)
    );
}

/// `trls import ctgov`: a draft per snapshot, named by its id; an existing file is
/// kept; a malformed snapshot is one error line with its position, the rest go on.
#[test]
fn import_drafts_each_snapshot_keeps_existing_files_and_reports_bad_ones() {
    let dir = scratch("import");
    let fixtures = root().join("tests/fixtures/registry");
    let start = fixtures.join("NCT01775774.json");
    let bad = fixtures.join("malformed-truncated.json");
    let poseidon = fixtures.join("NCT01087996.json");
    let out = dir.join("records");
    let args = |files: &[&PathBuf]| -> Vec<String> {
        let mut a = vec!["import".to_string(), "ctgov".to_string()];
        a.extend(files.iter().map(|f| f.display().to_string()));
        a.extend(["--out".to_string(), out.display().to_string()]);
        a
    };
    let first = args(&[&start, &bad, &poseidon]);
    let o = trls(&first.iter().map(String::as_str).collect::<Vec<_>>(), &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote "), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("malformed-truncated.json:4:45: error:"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("drafted 2 records, 1 snapshot not read"),
        "{}",
        stderr(&o)
    );
    let draft = std::fs::read_to_string(out.join("NCT01775774.trial.yaml")).unwrap();
    assert!(draft.contains("status: COMPLETED"), "{draft}");
    // Never over an existing file, even one the curator has since edited.
    std::fs::write(out.join("NCT01775774.trial.yaml"), "edited\n").unwrap();
    let again = args(&[&start]);
    let o = trls(&again.iter().map(String::as_str).collect::<Vec<_>>(), &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("not overwritten"), "{}", stdout(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("NCT01775774.trial.yaml")).unwrap(),
        "edited\n"
    );
}

/// `check --registry`: a drafted record that drifts from its snapshot gets TRF120 on
/// the changed value; a `discrepancies` entry silences it; a bad snapshot in the
/// folder is one finding and the run goes on.
#[test]
fn check_cross_checks_records_against_registry_snapshots() {
    let dir = scratch("registry");
    let registry = dir.join("registry");
    std::fs::create_dir_all(&registry).unwrap();
    let fixtures = root().join("tests/fixtures/registry");
    for f in ["NCT01775774.json", "malformed-wrong-type.json"] {
        std::fs::copy(fixtures.join(f), registry.join(f)).unwrap();
    }
    let o = trls(
        &[
            "import",
            "ctgov",
            "registry/NCT01775774.json",
            "--out",
            "records",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = dir.join("records/NCT01775774.trial.yaml");
    let draft = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        draft.replace("status: COMPLETED", "status: RECRUITING"),
    )
    .unwrap();
    let o = trls(
        &[
            "check",
            "records",
            "--registry",
            "registry",
            "--format",
            "json",
        ],
        &dir,
    );
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .filter(|c| c.starts_with("TRF12") || c.starts_with("TRF0"))
        .collect();
    assert_eq!(codes, ["TRF120"], "{}", stdout(&o));
    assert!(
        stderr(&o).contains("malformed-wrong-type.json:4:58: error: registry snapshot"),
        "{}",
        stderr(&o)
    );
    assert_eq!(o.status.code(), Some(1));
    // The conflict recorded: nothing to report on the record.
    let edited = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!(
            "{edited}discrepancies:\n  - about: status\n    claims:\n      - {{value: RECRUITING, source: registry}}\n      - {{value: COMPLETED, source: registry}}\n"
        ),
    )
    .unwrap();
    std::fs::remove_file(registry.join("malformed-wrong-type.json")).unwrap();
    let o = trls(&["check", "records", "--registry", "registry"], &dir);
    assert!(!stdout(&o).contains("TRF120"), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}
