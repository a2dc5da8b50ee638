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

/// A fixture record, copied (with its folder's `trls.toml`) into a folder of its
/// own: named on the command line, a record is judged within its workspace, and
/// the fixtures' workspace (this checkout) holds many records of the same trial.
fn fixture(rel: &str) -> String {
    let from = root().join("tests/fixtures").join(rel);
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = scratch(&format!("fixture-{n}-{}", rel.replace('/', "-")));
    let to = dir.join(from.file_name().unwrap());
    std::fs::copy(&from, &to).unwrap();
    let config = from.parent().unwrap().join("trls.toml");
    if config.exists() {
        std::fs::copy(&config, dir.join("trls.toml")).unwrap();
    }
    to.display().to_string()
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
            .ends_with("1 error, 0 warnings, 0 infos in 1 file; 1 fixable with `--fix`"),
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
    // `$defs` are exported as `definitions`, which draft-07 reads too.
    let routes = doc["definitions"]["Route"]["enum"].as_array().unwrap();
    assert!(routes.iter().any(|r| r == "INTRAVENOUS"));
    assert_eq!(
        routes.len(),
        doc["definitions"]["Route"]["markdownEnumDescriptions"]
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
    let doc = json_report(&dir, "b.trial.yaml");
    let d = first_of(&doc, "TRF013");
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

/// A record with safe fixes (TRF013), and the text `--fix` makes of it.
fn fixable() -> (String, &'static str) {
    let src =
        std::fs::read_to_string(fixture("TRF013/fires-aliases-and-typos.trial.yaml")).unwrap();
    (src, "status: \"NOT_YET_RECRUITING\"")
}

/// The same record as another trial (so that two copies are not duplicates).
fn other_trial(src: &str) -> String {
    src.replace("id: NCT06853522", "id: NCT06853523")
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn fix_never_follows_a_link_planted_at_a_temporary_name() {
    let dir = scratch("planted");
    let (src, fixed) = fixable();
    let f = dir.join("r.trial.yaml");
    std::fs::write(&f, &src).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me\n").unwrap();
    // Process ids are handed out in order: plant a link at the temporary name of
    // every process id the next run may get (`.<name>.trls-<pid>.tmp`).
    let next = Command::new("true").spawn().unwrap().id();
    for pid in next..next + 3000 {
        let _ =
            std::os::unix::fs::symlink(&victim, dir.join(format!(".r.trial.yaml.trls-{pid}.tmp")));
    }
    let o = trls(&["check", "--fix", "r.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert!(!std::fs::symlink_metadata(&f)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&f).unwrap().contains(fixed));
    let planted = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".trls-"))
        .filter(|p| {
            std::fs::symlink_metadata(p)
                .unwrap()
                .file_type()
                .is_symlink()
        })
        .count();
    assert_eq!(planted, 3000, "a planted link was replaced or removed");
}

#[cfg(unix)]
#[test]
fn fix_respects_a_read_only_file_and_goes_on() {
    let dir = scratch("readonly");
    let (src, fixed) = fixable();
    let ro = dir.join("a.trial.yaml");
    let rw = dir.join("b.trial.yaml");
    std::fs::write(&ro, &src).unwrap();
    std::fs::write(&rw, other_trial(&src)).unwrap();
    set_mode(&ro, 0o444);
    let o = trls(&["check", "--fix", "a.trial.yaml", "b.trial.yaml"], &dir);
    assert_eq!(
        std::fs::read_to_string(&ro).unwrap(),
        src,
        "read-only file rewritten"
    );
    assert_eq!(mode(&ro), 0o444);
    assert!(
        stderr(&o).contains("a.trial.yaml: the file is read-only; fixes not written"),
        "{}",
        stderr(&o)
    );
    assert!(std::fs::read_to_string(&rw).unwrap().contains(fixed));
    // The read-only file's findings are still reported, and judge the exit status.
    assert!(
        stdout(&o).contains("a.trial.yaml:4:9: error[TRF013]"),
        "{}",
        stdout(&o)
    );
    assert_eq!(o.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn fix_writes_the_target_of_a_symlinked_record_and_keeps_the_link() {
    let dir = scratch("fixlink");
    let (src, fixed) = fixable();
    std::fs::create_dir_all(dir.join("real")).unwrap();
    let target = dir.join("real/r.trial.yaml");
    std::fs::write(&target, &src).unwrap();
    let link = dir.join("link.trial.yaml");
    std::os::unix::fs::symlink("real/r.trial.yaml", &link).unwrap();
    let o = trls(&["check", "--fix", "link.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("real/r.trial.yaml")
    );
    assert!(std::fs::read_to_string(&target).unwrap().contains(fixed));
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("real")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
}

#[cfg(unix)]
#[test]
fn fix_keeps_hard_links_and_modes() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch("hardlink");
    let (src, fixed) = fixable();
    let a = dir.join("a.trial.yaml");
    std::fs::write(&a, &src).unwrap();
    set_mode(&a, 0o640);
    let other = dir.join("elsewhere.yaml");
    std::fs::hard_link(&a, &other).unwrap();
    let single = dir.join("s.trial.yaml");
    std::fs::write(&single, other_trial(&src)).unwrap();
    set_mode(&single, 0o604);
    let inode = std::fs::metadata(&a).unwrap().ino();
    let o = trls(&["check", "--fix", "a.trial.yaml", "s.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(std::fs::read_to_string(&a).unwrap().contains(fixed));
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        std::fs::read_to_string(&a).unwrap(),
        "the other hard link kept the old text"
    );
    assert_eq!(std::fs::metadata(&a).unwrap().ino(), inode);
    assert_eq!(std::fs::metadata(&a).unwrap().nlink(), 2);
    assert_eq!(mode(&a), 0o640);
    assert!(std::fs::read_to_string(&single).unwrap().contains(fixed));
    assert_eq!(mode(&single), 0o604);
}

#[cfg(unix)]
#[test]
fn walk_checks_records_with_non_utf8_names_and_symlinked_records() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("walklinks");
    let bad = "trf: 1\nenrolment: 1\n";
    std::fs::create_dir_all(dir.join("records")).unwrap();
    std::fs::create_dir_all(dir.join("outside/more")).unwrap();
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.trial.yaml");
    std::fs::write(dir.join("records").join(latin1), bad).unwrap();
    std::fs::write(dir.join("outside/r.trial.yaml"), bad).unwrap();
    std::fs::write(dir.join("outside/more/m.trial.yaml"), bad).unwrap();
    std::os::unix::fs::symlink(
        "../outside/r.trial.yaml",
        dir.join("records/link.trial.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../outside/more", dir.join("records/more")).unwrap();
    let o = trls(&["check", "--format", "json", "records"], &dir);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: std::collections::BTreeSet<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        ["records/caf\u{fffd}.trial.yaml", "records/link.trial.yaml"]
    );
    assert!(
        stderr(&o).contains("records/more: a symbolic link to a folder, not followed"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn walk_checks_a_record_and_a_link_to_it_once() {
    let dir = scratch("walktwice");
    std::fs::write(dir.join("a.trial.yaml"), "trf: 1\nid: NCT06853522\n").unwrap();
    std::os::unix::fs::symlink("a.trial.yaml", dir.join("b.trial.yaml")).unwrap();
    let o = trls(&["check", "--format", "json", "."], &dir);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["summary"]["files"], 1);
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"TRF105"),
        "a file is a duplicate of itself: {codes:?}"
    );
    assert!(
        stderr(&o).contains("./b.trial.yaml: the same file as ./a.trial.yaml"),
        "{}",
        stderr(&o)
    );
}

/// Run trls with its standard output closed before it writes.
fn with_closed_stdout(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    for args in [
        &["schema"][..],
        &["explain", "TRF011"],
        &["check", "examples/records"],
    ] {
        let o = with_closed_stdout(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
    let o = with_closed_stdout(&["check", &fixture("TRF011/fires-misspelt-key.trial.yaml")]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the findings still judge the status"
    );
}

/// Whether this process runs as root (which permissions do not stop).
#[cfg(unix)]
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = std::env::temp_dir().join(format!("trls-test-{}-uid", std::process::id()));
    std::fs::write(&probe, "").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    let _ = std::fs::remove_file(&probe);
    uid == 0
}

#[cfg(unix)]
#[test]
fn a_permission_denied_folder_is_reported_as_such() {
    use std::os::unix::process::CommandExt;
    let dir = scratch("denied");
    std::fs::create_dir_all(dir.join("denied")).unwrap();
    std::fs::write(dir.join("denied/a.trial.yaml"), "trf: 1\n").unwrap();
    set_mode(&dir.join("denied"), 0o000);
    let run = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(&dir).env("NO_COLOR", "1");
        // Root reads everything: run as `nobody` to meet the permission.
        if is_root() {
            cmd.uid(65534).gid(65534);
        }
        cmd.output().unwrap()
    };
    let o = run(&["check", "denied"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "trls: denied: permission denied\n");
    let o = run(&["check", "denied/a.trial.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "trls: denied/a.trial.yaml: permission denied\n");
    set_mode(&dir.join("denied"), 0o755);
}

#[test]
fn related_locations_in_every_format_are_positioned_in_their_own_file() {
    let dir = scratch("related");
    std::fs::write(dir.join("a.trial.yaml"), "trf: 1\nid: NCT06853522\n").unwrap();
    // The other file's `id` is further down, after lines of another length: its
    // position must come from that file's lines.
    std::fs::write(
        dir.join("b.trial.yaml"),
        "# a comment line of some length, to move the id away\n# and another\ntrf: 1\nid:   NCT06853522\n",
    )
    .unwrap();
    let args = |format: &'static str| ["check", "--format", format, "a.trial.yaml", "b.trial.yaml"];
    let doc: Value = serde_json::from_str(&stdout(&trls(&args("json"), &dir))).unwrap();
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "TRF105")
        .unwrap();
    assert_eq!(d["path"], "a.trial.yaml");
    assert_eq!(
        d["message"],
        "this trial is also recorded in another record; keep one record per trial"
    );
    let r = &d["related"][0];
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "message"
        ]
    );
    assert_eq!(
        (
            r["path"].as_str(),
            r["line"].as_u64(),
            r["column"].as_u64(),
            r["end_line"].as_u64(),
            r["end_column"].as_u64()
        ),
        (Some("b.trial.yaml"), Some(4), Some(7), Some(4), Some(18))
    );
    assert_eq!(r["message"], "also recorded here, with the same `id`");

    let text = stdout(&trls(&args("text"), &dir));
    assert!(
        text.contains("  = note: also recorded here, with the same `id` (b.trial.yaml:4:7)\n"),
        "{text}"
    );

    let sarif: Value = serde_json::from_str(&stdout(&trls(&args("sarif"), &dir))).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "TRF105")
        .unwrap();
    let loc = &result["relatedLocations"][0];
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uri"],
        "b.trial.yaml"
    );
    assert_eq!(loc["physicalLocation"]["region"]["startLine"], 4);
    assert_eq!(loc["physicalLocation"]["region"]["startColumn"], 7);
    assert_eq!(
        loc["message"]["text"],
        "also recorded here, with the same `id`"
    );

    let github = stdout(&trls(&args("github"), &dir));
    assert!(
        github.contains("keep one record per trial%0Anote: also recorded here, with the same `id` (b.trial.yaml:4:7)"),
        "{github}"
    );
}

#[test]
fn text_format_shows_the_fix_as_a_diff() {
    let f = fixture("TRF013/fires-aliases-and-typos.trial.yaml");
    let out = stdout(&trls(&["check", &f], &root()));
    assert!(
        out.contains(
            "  = fix: replace with `NOT_YET_RECRUITING`\n  |\n4 - status: \"Not yet recruiting\"\n4 + status: \"NOT_YET_RECRUITING\"\n"
        ),
        "{out}"
    );
}

/// `trls check --format json FILE` in `dir`.
fn json_report(dir: &Path, file: &str) -> Value {
    serde_json::from_str(&stdout(&trls(&["check", "--format", "json", file], dir))).unwrap()
}

/// The first diagnostic of `code` in a JSON report.
fn first_of<'v>(doc: &'v Value, code: &str) -> &'v Value {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {doc}"))
}

/// Issue 8.3: a file with lone CR line ends had every finding on line 1.
#[test]
fn cr_only_line_ends_put_findings_on_their_lines() {
    let dir = scratch("cr-only");
    std::fs::write(
        dir.join("c.trial.yaml"),
        "trf: 1\rid: NCT06853522\rstatus: RECRUITNG\r",
    )
    .unwrap();
    let doc = json_report(&dir, "c.trial.yaml");
    let d = first_of(&doc, "TRF013");
    assert_eq!(
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["end_line"].as_u64()
        ),
        (Some(3), Some(9), Some(3))
    );
}

/// Write files (path, text) under `dir`, creating folders.
fn write_all(dir: &Path, files: &[(&str, &str)]) {
    for (f, text) in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

const RECORD_A: &str = "trf: 1\nid: NCT06853522\n";
const RECORD_B: &str = "trf: 1\ntitle: another record\nid: NCT 06853522\n";

fn codes_by_path(doc: &Value) -> Vec<(String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_named_file_is_judged_against_the_records_of_its_trls_toml_folder() {
    let dir = scratch("ws-config");
    write_all(
        &dir,
        &[
            ("trls.toml", "[rules]\n"),
            ("records/a.trial.yaml", RECORD_A),
            ("records/old/b.trial.yaml", RECORD_B),
        ],
    );
    let o = trls(&["check", "--format", "json", "records/a.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Reported on the named file only; the other is named in the related location,
    // positioned in its own file.
    let found = codes_by_path(&doc);
    assert!(
        found.iter().all(|(p, _)| p == "records/a.trial.yaml"),
        "{found:?}"
    );
    let dup = first_of(&doc, "TRF105");
    let r = &dup["related"][0];
    assert_eq!(r["path"], "records/old/b.trial.yaml");
    assert_eq!(
        (r["line"].as_u64(), r["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(doc["summary"]["files"], 1);
    // The same from inside a subfolder (the workspace is still the trls.toml's).
    let o = trls(&["check", "a.trial.yaml"], &dir.join("records"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[TRF105]"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("(old/b.trial.yaml:3:5)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_named_file_without_trls_toml_is_judged_in_its_git_checkout_else_its_folder() {
    let dir = scratch("ws-git");
    write_all(
        &dir,
        &[("x/a.trial.yaml", RECORD_A), ("y/b.trial.yaml", RECORD_B)],
    );
    // Neither a trls.toml nor a git checkout: the file's folder only.
    let o = trls(&["check", "x/a.trial.yaml"], &dir);
    assert!(stdout(&o).contains("[TRF010]"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("TRF105"), "{}", stdout(&o));
    // A git checkout: every record in it (honouring its .gitignore).
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    let o = trls(&["check", "x/a.trial.yaml"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("error[TRF105]"), "{}", stdout(&o));
    assert!(stdout(&o).contains("in 1 file"), "{}", stdout(&o));
    std::fs::write(dir.join(".gitignore"), "y/\n").unwrap();
    let o = trls(&["check", "x/a.trial.yaml"], &dir);
    assert!(stdout(&o).contains("[TRF010]"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("TRF105"), "{}", stdout(&o));
    // Both named: both reported, each once.
    std::fs::remove_file(dir.join(".gitignore")).unwrap();
    let o = trls(
        &[
            "check",
            "--format",
            "json",
            "x/a.trial.yaml",
            "y/b.trial.yaml",
        ],
        &dir,
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let dups: Vec<_> = codes_by_path(&doc)
        .into_iter()
        .filter(|(_, c)| c == "TRF105")
        .map(|(p, _)| p)
        .collect();
    assert_eq!(dups, ["x/a.trial.yaml", "y/b.trial.yaml"]);
}

#[test]
fn paths_without_records_fail_the_run_and_look_alikes_are_named() {
    let dir = scratch("no-records");
    write_all(
        &dir,
        &[
            ("empty/README.md", "no records here\n"),
            ("named/NCT06853522.yaml", RECORD_A),
            ("named/data.json", "{\"trf\": 1}"),
            ("named/other.yaml", "title: x\n  trf: 1\n"),
        ],
    );
    let o = trls(&["check", "empty"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "trls: no trial records under empty; record files end in `.trial.yaml`, `.trial.yml` or `.trial.json`\n"
    );
    let o = trls(&["check", "named"], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("trls: warning: named/NCT06853522.yaml looks like a trial record"),
        "{err}"
    );
    assert!(
        lines[0].contains("rename it `NCT06853522.trial.yaml`"),
        "{err}"
    );
    assert!(
        lines[1].starts_with("trls: warning: named/data.json looks like"),
        "{err}"
    );
    assert!(
        lines[2].starts_with("trls: no trial records under named;"),
        "{err}"
    );
    // Beside a record, the run goes on and still names the look-alike.
    std::fs::write(dir.join("named/r.trial.yaml"), RECORD_A).unwrap();
    let o = trls(&["check", "named"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("in 1 file"), "{}", stdout(&o));
    assert!(stderr(&o).contains("named/data.json looks like a trial record"));
}

/// A link beside its target is one record, checked once under the name that is not
/// a link; a folder named twice (`a` and `./a`) is walked once. (The walk resolves
/// each folder once and only links whole: this guards that shortcut.)
#[test]
fn a_record_under_two_names_is_checked_once() {
    let dir = scratch("two-names");
    let src = root().join("examples/records");
    let first = std::fs::read_dir(&src)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".trial.yaml"))
        .min()
        .unwrap();
    let a = dir.join("a");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::copy(&first, a.join("r.trial.yaml")).unwrap();
    std::os::unix::fs::symlink("r.trial.yaml", a.join("s.trial.yaml")).unwrap();
    let o = trls(
        &["check", "--no-cache", "--format", "json", "a", "./a"],
        &dir,
    );
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["summary"]["files"], 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("s.trial.yaml: the same file as"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The JSON and GitHub reports are written a chunk of records at a time (512): over
/// the fixtures (more than one chunk) they are the very reports the whole-run path
/// writes, which a `--baseline` run takes (a baseline of another folder hides
/// nothing here).
#[test]
fn chunked_reports_are_the_whole_run_reports() {
    let dir = scratch("chunked");
    let clean = dir.join("other");
    std::fs::create_dir_all(&clean).unwrap();
    std::fs::copy(
        root().join("examples/records/NCT01087996.trial.yaml"),
        clean.join("NCT01087996.trial.yaml"),
    )
    .unwrap();
    let baseline = dir.join("baseline.json");
    let o = trls(
        &[
            "check",
            "--no-cache",
            "--write-baseline",
            baseline.to_str().unwrap(),
            clean.to_str().unwrap(),
        ],
        &root(),
    );
    assert!(baseline.exists(), "{}", stderr(&o));
    // More records than a chunk holds, each with a finding (a misspelt status).
    let tree = dir.join("tree");
    std::fs::create_dir_all(&tree).unwrap();
    for i in 0..600 {
        let id = format!("NCT{:08}", 10_000_000 + i);
        std::fs::write(
            tree.join(format!("{id}.trial.yaml")),
            format!(
                "trf: 1\nid: {id}\ntitle: Trial {i}\nstatus: RECRUITNG\nstudy_type: OBSERVATIONAL\n\
                 conditions: [Ulcerative Colitis]\nenrollment: {{count: 40, type: ESTIMATED}}\n\
                 dates: {{start: 2025-05-30}}\nsources:\n  - {{id: ctgov, kind: REGISTRY, registry_id: {id}}}\n"
            ),
        )
        .unwrap();
    }
    for format in ["json", "github"] {
        let args = ["check", "--no-cache", "--format", format, "tree"];
        let chunked = trls(&args, &dir);
        let whole = trls(
            &[&args[..], &["--baseline", baseline.to_str().unwrap()]].concat(),
            &dir,
        );
        assert!(!chunked.stdout.is_empty(), "{}", stderr(&chunked));
        assert_eq!(chunked.status.code(), whole.status.code());
        assert!(
            stdout(&chunked) == stdout(&whole),
            "--format {format}: the chunked report differs"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
