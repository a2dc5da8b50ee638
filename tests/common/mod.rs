//! Shared by the fixture-driven test suites.

use std::path::{Path, PathBuf};

/// Every record file of the project: rule fixtures, examples, protocol cases and
/// fuzz seeds.
#[allow(dead_code)] // Not every suite that shares this module walks the records.
pub fn project_records() -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        if p.is_dir() {
            for e in std::fs::read_dir(p).unwrap() {
                walk(&e.unwrap().path(), out);
            }
        } else if trls::workspace::is_record(p) {
            out.push(p.to_path_buf());
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in [
        "tests/fixtures",
        "examples/records",
        "tests/lsp/cases",
        "fuzz/seeds",
    ] {
        walk(&root.join(d), &mut files);
    }
    files
}

/// Whether the run rewrites expectations (`TRLS_BLESS=1`) instead of checking them.
pub fn blessing() -> bool {
    std::env::var_os("TRLS_BLESS").is_some()
}

/// Compare `actual` with the expectation file at `path` (or, when blessing, write it).
/// A mismatch is added to `failures` with both texts.
pub fn compare(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if blessing() {
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
