//! The result cache of `trls check` (`.trls_cache/`): a second run over unchanged
//! files parses none of them and prints the same, and every change that can change
//! a result invalidates what it must: the file, the configuration, the registry
//! snapshots, the build, and another record a cross-record rule reads. Each run
//! says how the cache served it (`TRLS_CACHE_STATS`), so a test sees both that an
//! entry was not used and that the output is the fresh one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_trls");

/// A fresh folder under the system temp dir (its own workspace: it has a trls.toml).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trls-cache-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("trls.toml"), "").unwrap();
    dir
}

/// A record with this id (its file is named after it), related to `related`.
fn record(dir: &Path, id: &str, related: &str) -> PathBuf {
    let path = dir.join(format!("{id}.trial.yaml"));
    std::fs::write(
        &path,
        format!(
            "trf: 1
id: {id}
title: A trial for the cache tests
status: NOT_YET_RECRUITING
study_type: OBSERVATIONAL
conditions: [Ulcerative Colitis]
enrollment: {{count: 40, type: ESTIMATED}}
dates: {{start: 2025-05-30}}
related: [{related}]
sources:
  - {{id: ctgov, kind: REGISTRY, registry_id: {id}}}
"
        ),
    )
    .unwrap();
    path
}

struct Run {
    out: String,
    /// (from cache, checked) of the checked files.
    files: (usize, usize),
    /// (from cache, read) of the workspace's other records.
    context: (usize, usize),
    status: Option<i32>,
}

fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TRLS_CACHE_STATS", "1")
        .env_remove("TRLS_NO_CACHE")
        .env_remove("TRLS_CACHE_KEY_SALT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o: Output = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let stats = err
        .lines()
        .find_map(|l| l.strip_prefix("trls: cache: "))
        .unwrap_or_else(|| panic!("no cache statistics in {err}"));
    let n: Vec<usize> = stats
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    Run {
        out: String::from_utf8_lossy(&o.stdout).into_owned(),
        files: (n[0], n[1]),
        context: (n[2], n[3]),
        status: o.status.code(),
    }
}

fn run(dir: &Path) -> Run {
    run_with(dir, &["."], &[])
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let version = dir.join(".trls_cache").join(env!("CARGO_PKG_VERSION"));
    let mut v: Vec<PathBuf> = std::fs::read_dir(version)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_second_run_takes_every_record_from_the_cache_and_prints_the_same() {
    let dir = scratch("second");
    record(&dir, "NCT06853522", "NCT02442037");
    record(&dir, "NCT01087996", "NCT06853522");
    let cold = run(&dir);
    assert_eq!(cold.files, (0, 2));
    assert!(
        cold.out
            .contains("related trial `NCT02442037` is not recorded"),
        "{}",
        cold.out
    );
    let warm = run(&dir);
    assert_eq!(warm.files, (2, 0), "nothing parsed the second time");
    assert_eq!(warm.out, cold.out);
    assert_eq!(warm.status, cold.status);
    // Beside the trls.toml, ignored by git and by backup tools.
    let cache = dir.join(".trls_cache");
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        ["*"]
    );
    assert!(std::fs::read_to_string(cache.join("CACHEDIR.TAG"))
        .unwrap()
        .starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
    // The JSON report too, from the cache.
    let json = run_with(&dir, &[".", "--format", "json"], &[]);
    assert_eq!(json.files, (2, 0));
    assert!(json.out.contains("\"TRF108\""));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_file_is_checked_again_and_only_it() {
    let dir = scratch("content");
    let a = record(&dir, "NCT06853522", "NCT02442037");
    record(&dir, "NCT01087996", "NCT06853522");
    run(&dir);
    // Same length, another id: a stale entry would still name NCT02442037.
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(
        &a,
        text.replace("related: [NCT02442037]", "related: [NCT02442038]"),
    )
    .unwrap();
    let r = run(&dir);
    assert_eq!(r.files, (1, 1));
    assert!(r.out.contains("`NCT02442038` is not recorded"), "{}", r.out);
    assert!(!r.out.contains("NCT02442037"), "{}", r.out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn another_record_appearing_or_disappearing_changes_the_cross_record_findings() {
    let dir = scratch("other");
    record(&dir, "NCT06853522", "NCT02442037");
    let alone = run(&dir);
    assert!(
        alone.out.contains("`NCT02442037` is not recorded"),
        "{}",
        alone.out
    );
    assert!(!alone.out.contains("TRF105"));
    // The related trial is recorded now: TRF108 goes, though the first record is
    // unchanged and comes from the cache.
    let b = record(&dir, "NCT02442037", "NCT06853522");
    let r = run(&dir);
    assert_eq!(r.files, (1, 1));
    assert!(!r.out.contains("is not recorded"), "{}", r.out);
    // A second record of the same trial: TRF105 on the cached one.
    let dup = dir.join("copy.trial.yaml");
    std::fs::copy(dir.join("NCT06853522.trial.yaml"), &dup).unwrap();
    let r = run(&dir);
    assert_eq!(r.files, (2, 1));
    assert!(
        r.out.contains("NCT06853522.trial.yaml:2:5: error[TRF105]"),
        "{}",
        r.out
    );
    // Both gone again: the findings of the record alone come back, from the cache.
    std::fs::remove_file(&dup).unwrap();
    std::fs::remove_file(&b).unwrap();
    let r = run(&dir);
    assert_eq!(r.files, (1, 0));
    assert_eq!(r.out, alone.out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_record_named_alone_is_judged_against_its_workspace_read_through_the_cache() {
    let dir = scratch("context");
    record(&dir, "NCT06853522", "NCT02442037");
    let other = record(&dir, "NCT01087996", "NCT06853522");
    let first = run_with(&dir, &["NCT06853522.trial.yaml"], &[]);
    assert_eq!((first.files, first.context), ((0, 1), (0, 1)));
    let again = run_with(&dir, &["NCT06853522.trial.yaml"], &[]);
    assert_eq!((again.files, again.context), ((1, 0), (1, 0)));
    assert_eq!(again.out, first.out);
    // The other record now records the related trial (as a secondary id would
    // not do: as its own id): the named record's TRF108 goes.
    std::fs::remove_file(&other).unwrap();
    record(&dir, "NCT02442037", "NCT06853522");
    let r = run_with(&dir, &["NCT06853522.trial.yaml"], &[]);
    assert_eq!((r.files, r.context), ((1, 0), (0, 1)));
    assert!(!r.out.contains("is not recorded"), "{}", r.out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_configuration_invalidates_every_entry() {
    let dir = scratch("config");
    let a = dir.join("NCT06853522.trial.yaml");
    record(&dir, "NCT06853522", "NCT02442037");
    // A route of the project's vocabulary: unknown without it.
    let text = std::fs::read_to_string(&a).unwrap().replace(
        "sources:",
        "interventions:\n  - {id: x, type: BIOLOGICAL, name: X, route: INTRACEREBROVENTRICULAR}\nsources:",
    );
    std::fs::write(&a, text).unwrap();
    let without = run(&dir);
    assert!(
        without.out.contains("INTRACEREBROVENTRICULAR"),
        "{}",
        without.out
    );
    std::fs::write(
        dir.join("trls.toml"),
        "[vocabularies]\nroutes = [\"INTRACEREBROVENTRICULAR\"]\n",
    )
    .unwrap();
    let with = run(&dir);
    assert_eq!(with.files, (0, 1));
    assert!(
        !with.out.contains("INTRACEREBROVENTRICULAR"),
        "{}",
        with.out
    );
    let again = run(&dir);
    assert_eq!(again.files, (1, 0));
    assert_eq!(again.out, with.out);
    // `--config` is another configuration, with its own entries.
    let other = dir.join("other.toml");
    std::fs::write(&other, "").unwrap();
    let r = run_with(&dir, &[".", "--config", other.to_str().unwrap()], &[]);
    assert_eq!(r.files, (0, 1));
    assert_eq!(r.out, without.out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_registry_snapshot_invalidates_every_entry() {
    let dir = scratch("registry");
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/TRF120");
    std::fs::create_dir_all(dir.join("registry")).unwrap();
    let snapshot = dir.join("registry/NCT01087996.json");
    std::fs::copy(fixtures.join("registry/NCT01087996.json"), &snapshot).unwrap();
    std::fs::copy(
        fixtures.join("fires-arm-count.trial.yaml"),
        dir.join("NCT01087996.trial.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("trls.toml"),
        "[registry]\nsnapshots = \"registry/\"\n",
    )
    .unwrap();
    let first = run(&dir);
    assert!(first.out.contains("warning[TRF120]"), "{}", first.out);
    assert_eq!(run(&dir).files, (1, 0));
    // Any change to a snapshot's text is a new key (TRF120-122 read them).
    let mut text = std::fs::read_to_string(&snapshot).unwrap();
    text.push('\n');
    std::fs::write(&snapshot, &text).unwrap();
    let r = run(&dir);
    assert_eq!(r.files, (0, 1));
    assert_eq!(r.out, first.out);
    // No snapshot of the trial any more: its finding goes.
    std::fs::remove_file(&snapshot).unwrap();
    let r = run(&dir);
    assert_eq!(r.files, (0, 1));
    assert!(!r.out.contains("TRF120"), "{}", r.out);
    // `--registry` is another set of snapshots.
    std::fs::create_dir_all(dir.join("other")).unwrap();
    std::fs::copy(
        fixtures.join("registry/NCT01087996.json"),
        dir.join("other/a.json"),
    )
    .unwrap();
    let r = run_with(&dir, &[".", "--registry", "other"], &[]);
    assert_eq!(r.files, (0, 1));
    assert!(r.out.contains("warning[TRF120]"), "{}", r.out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn another_build_does_not_read_this_builds_entries() {
    let dir = scratch("binary");
    record(&dir, "NCT06853522", "NCT02442037");
    let first = run(&dir);
    assert_eq!(run(&dir).files, (1, 0));
    // The salt stands for another build (tests only).
    let other = run_with(&dir, &["."], &[("TRLS_CACHE_KEY_SALT", "another build")]);
    assert_eq!(other.files, (0, 1));
    assert_eq!(other.out, first.out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_or_truncated_cache_file_is_ignored_and_rewritten() {
    let dir = scratch("corrupt");
    record(&dir, "NCT06853522", "NCT02442037");
    record(&dir, "NCT01087996", "NCT06853522");
    let first = run(&dir);
    let files = cache_files(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    let bytes = std::fs::read(&files[0]).unwrap();
    for damaged in [
        bytes[..bytes.len() / 2].to_vec(),
        b"not a cache".to_vec(),
        Vec::new(),
        bytes.iter().map(|b| b ^ 0x55).collect(),
    ] {
        std::fs::write(&files[0], &damaged).unwrap();
        let r = run(&dir);
        assert_eq!(r.files.0, 0);
        assert_eq!(r.out, first.out);
        assert_eq!(r.status, first.status);
        assert_eq!(run(&dir).files, (2, 0), "rewritten");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_cache_and_fixes_neither_read_nor_write_it() {
    let dir = scratch("nocache");
    let a = record(&dir, "NCT06853522", "NCT02442037");
    let r = run_with(&dir, &[".", "--no-cache"], &[]);
    assert_eq!(r.files, (0, 1));
    let r = run_with(&dir, &["."], &[("TRLS_NO_CACHE", "1")]);
    assert_eq!(r.files, (0, 1));
    assert!(!dir.join(".trls_cache").exists());
    // With a cache in place, --no-cache does not read it.
    run(&dir);
    assert_eq!(run_with(&dir, &[".", "--no-cache"], &[]).files, (0, 1));
    // --fix checks what it fixes, not what was cached: a non-canonical id is fixed.
    let text = std::fs::read_to_string(&a).unwrap();
    std::fs::write(
        &a,
        text.replace("registry_id: NCT06853522", "registry_id: nct06853522"),
    )
    .unwrap();
    let fixed = run_with(&dir, &[".", "--fix"], &[]);
    assert_eq!(fixed.files.0, 0);
    let after = std::fs::read_to_string(&a).unwrap();
    assert_eq!(after, text, "the fix was applied");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clean_removes_the_cache_folders_and_says_so() {
    let dir = scratch("clean");
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("trls.toml"), "").unwrap();
    record(&dir, "NCT06853522", "NCT02442037");
    record(&sub, "NCT01087996", "NCT06853522");
    run(&dir);
    run(&sub);
    assert!(dir.join(".trls_cache").is_dir() && sub.join(".trls_cache").is_dir());
    let o = Command::new(BIN)
        .arg("clean")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("removed ./.trls_cache"), "{err}");
    assert!(err.contains("removed ./sub/.trls_cache"), "{err}");
    assert!(!dir.join(".trls_cache").exists() && !sub.join(".trls_cache").exists());
    assert!(dir.join("NCT06853522.trial.yaml").exists());
    let o = Command::new(BIN)
        .arg("clean")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no cache"));
    assert_eq!(run(&dir).files, (0, 2));
    let _ = std::fs::remove_dir_all(&dir);
}
