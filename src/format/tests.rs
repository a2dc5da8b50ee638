//! The layout on small records; the fixtures in `tests/fixtures/fmt/` cover whole ones.

use super::*;

fn fmt(text: &str) -> String {
    format(text, Syntax::Yaml, &Schema::builtin())
        .unwrap_or_else(|e| panic!("{text}\n{e}"))
        .text
}

#[test]
fn keys_follow_the_schema_and_indentation_is_two_spaces() {
    let got = fmt("id: X\ntrf: 1\ndates:\n    updated: 2025-01-01\n    start: 2024-01-01\n");
    assert_eq!(
        got,
        "trf: 1\nid: X\ndates:\n  start: 2024-01-01\n  updated: 2025-01-01\n"
    );
}
