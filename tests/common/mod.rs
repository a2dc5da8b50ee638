//! Shared by the fixture-driven test suites.

use std::path::Path;

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
