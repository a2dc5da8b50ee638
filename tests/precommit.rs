//! The shipped pre-commit hooks, run by real pre-commit (`pip install pre-commit`) on
//! real commits, with the hook environment installed as users get it: from the hook
//! mirror (`editors/pre-commit/mirror.sh`), whose `pip install .` pulls in the trls
//! wheel (`maturin build --release`, in `target/wheels/`, or the file `TRLS_WHEEL`
//! names). Offline: pip sees only a folder holding that wheel and the setuptools wheel
//! that virtualenv ships (`PIP_NO_INDEX`). Without pre-commit or the wheel the tests
//! say so on stderr (outside the test harness's capture) and pass, unless `CI` is set.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Under CI a missing tool fails the test; elsewhere it is a visible skip.
fn skip(reason: &str) {
    assert!(std::env::var_os("CI").is_none(), "CI must have {reason}");
    let _ = writeln!(std::io::stderr(), "SKIPPED (precommit): {reason}");
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn git(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .args([
            "-c",
            "user.name=trls test",
            "-c",
            "user.email=test@trls.invalid",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    c
}

/// The newest `target/wheels/trls-*.whl`, or `TRLS_WHEEL`.
fn wheel() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TRLS_WHEEL") {
        return Some(PathBuf::from(p));
    }
    let dir = root().join("target/wheels");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("trls-") && n.ends_with(".whl"))
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
}

/// A setuptools wheel (the mirror's build backend): the one virtualenv, a dependency
/// of pre-commit, ships.
fn setuptools_wheel() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import os, virtualenv.seed.wheels.embed as e; print(os.path.dirname(e.__file__))",
        ])
        .output()
        .ok()?;
    let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("setuptools-") && n.ends_with(".whl"))
        })
        .max()
}

/// A project repository with the committed record `records/NCT03765957.trial.yaml` and
/// the trls hook installed (`pre-commit install`) from a mirror of this tree's hooks.
/// None (after saying why) when pre-commit or a wheel is missing.
struct Project {
    tmp: PathBuf,
    dir: PathBuf,
    home: PathBuf,
    wheelhouse: PathBuf,
}

impl Project {
    fn new(name: &str) -> Option<Project> {
        if Command::new("pre-commit")
            .arg("--version")
            .output()
            .is_err()
        {
            skip("pre-commit (pip install pre-commit)");
            return None;
        }
        let Some(wheel) = wheel() else {
            skip("the trls wheel (maturin build --release, into target/wheels)");
            return None;
        };
        let Some(setuptools) = setuptools_wheel() else {
            skip("virtualenv's setuptools wheel (pip install pre-commit)");
            return None;
        };
        let tmp =
            std::env::temp_dir().join(format!("trls-precommit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let (mirror, dir, home, wheelhouse) = (
            tmp.join("mirror"),
            tmp.join("project"),
            tmp.join("pre-commit-home"),
            tmp.join("wheelhouse"),
        );
        for d in [&mirror, &dir, &home, &wheelhouse] {
            std::fs::create_dir_all(d).unwrap();
        }
        for w in [&wheel, &setuptools] {
            std::fs::copy(w, wheelhouse.join(w.file_name().unwrap())).unwrap();
        }

        // The hook mirror, as published: its own repository, tagged with the version.
        run(Command::new("bash")
            .arg(root().join("editors/pre-commit/mirror.sh"))
            .arg(&mirror));
        let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
        run(&mut git(&mirror, &["init", "-q"]));
        run(&mut git(&mirror, &["add", "-A"]));
        run(&mut git(&mirror, &["commit", "-q", "-m", "hooks"]));
        run(&mut git(&mirror, &["tag", &tag]));

        // The user's project: the README's configuration, with the mirror's path.
        std::fs::write(
            dir.join(".pre-commit-config.yaml"),
            format!(
                "repos:\n  - repo: {}\n    rev: {tag}\n    hooks:\n      - id: trls\n",
                mirror.display()
            ),
        )
        .unwrap();
        std::fs::create_dir_all(dir.join("records")).unwrap();
        std::fs::copy(
            root().join("examples/records/NCT03765957.trial.yaml"),
            dir.join("records/NCT03765957.trial.yaml"),
        )
        .unwrap();
        let p = Project {
            tmp,
            dir,
            home,
            wheelhouse,
        };
        run(&mut git(&p.dir, &["init", "-q"]));
        run(&mut p.pre_commit(&["install"]));
        run(&mut git(&p.dir, &["add", "-A"]));
        // The first commit goes through the hook too: the record is clean.
        run(&mut p.git_commit("the first record"));
        Some(p)
    }

    /// Removes the temporary folder (kept when a test fails, to look at).
    fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.tmp);
    }

    fn env(&self, c: &mut Command) {
        c.env("PRE_COMMIT_HOME", &self.home)
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &self.wheelhouse)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("VIRTUALENV_NO_PERIODIC_UPDATE", "1")
            .env("NO_COLOR", "1");
    }

    fn pre_commit(&self, args: &[&str]) -> Command {
        let mut c = Command::new("pre-commit");
        c.current_dir(&self.dir).args(args);
        self.env(&mut c);
        c
    }

    fn git_commit(&self, message: &str) -> Command {
        let mut c = git(&self.dir, &["commit", "-m", message]);
        self.env(&mut c);
        c
    }

    fn head(&self) -> String {
        let out = run(&mut git(&self.dir, &["rev-parse", "HEAD"]));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Stage `text` as `records/NAME` and commit it: the commit's output and whether
    /// it was made.
    fn commit_record(&self, name: &str, text: &str) -> (String, bool) {
        std::fs::write(self.dir.join("records").join(name), text).unwrap();
        run(&mut git(&self.dir, &["add", "-A"]));
        let before = self.head();
        let out = self.git_commit("add a record").output().unwrap();
        let output = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        println!("git commit (adding records/{name}):\n{output}");
        let made = self.head() != before;
        assert_eq!(made, out.status.success(), "{output}");
        (output, made)
    }
}

fn committed_record() -> String {
    std::fs::read_to_string(root().join("examples/records/NCT03765957.trial.yaml")).unwrap()
}

#[test]
fn hook_installs_the_wheel_and_rejects_a_commit_with_a_bad_record() {
    let Some(p) = Project::new("bad") else { return };
    // The hook's trls is the wheel's binary, in pre-commit's environment.
    let bins: Vec<PathBuf> = walk(&p.home)
        .into_iter()
        .filter(|f| f.ends_with("bin/trls"))
        .collect();
    assert_eq!(bins.len(), 1, "one trls in the hook environment: {bins:?}");

    let bad = committed_record()
        .replacen("id: NCT03765957", "id: NCT03765958", 1)
        .replacen("status: COMPLETED", "status: Completed", 1);
    assert_ne!(bad, committed_record());
    let (output, made) = p.commit_record("NCT03765958.trial.yaml", &bad);
    assert!(!made, "the commit must be refused:\n{output}");
    assert!(output.contains("TRF013"), "{output}");
    assert!(
        output.contains("records/NCT03765958.trial.yaml"),
        "{output}"
    );
    p.remove();
}

// pre-commit passes only the staged file; `trls check FILE` judges it in its workspace
// (here the git root: issue 13 item 2, merged from branch `cli`), so the committed
// record is seen too.
#[test]
fn hook_rejects_a_commit_that_adds_a_duplicate_of_a_committed_record() {
    let Some(p) = Project::new("duplicate") else {
        return;
    };
    let (output, made) = p.commit_record("duplicate.trial.yaml", &committed_record());
    assert!(!made, "the commit must be refused:\n{output}");
    assert!(output.contains("TRF105"), "{output}");
    assert!(output.contains("records/duplicate.trial.yaml"), "{output}");
    p.remove();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for e in entries.flatten() {
        let path = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
