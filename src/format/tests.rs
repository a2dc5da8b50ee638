//! The layout on small records; the fixtures in `tests/fixtures/fmt/` cover whole ones.

use super::*;

fn try_fmt(text: &str) -> Result<String, FormatError> {
    format(text, Syntax::Yaml, &Schema::builtin()).map(|f| f.text)
}

fn fmt(text: &str) -> String {
    try_fmt(text).unwrap_or_else(|e| panic!("{text}\n{e}"))
}

#[test]
fn keys_follow_the_schema_and_indentation_is_two_spaces() {
    let got = fmt("id: X\ntrf: 1\ndates:\n    updated: 2025-01-01\n    start: 2024-01-01\n");
    assert_eq!(
        got,
        "trf: 1\nid: X\ndates:\n  start: 2024-01-01\n  updated: 2025-01-01\n"
    );
}

#[test]
fn unknown_keys_follow_the_known_ones_in_their_order() {
    let got = fmt("zeta: 1\nid: X\nalpha: 2\ntrf: 1\n");
    assert_eq!(got, "trf: 1\nid: X\nzeta: 1\nalpha: 2\n");
}

#[test]
fn nested_orders_come_from_the_schema_through_refs_and_items() {
    // `arms` items are `$ref: #/$defs/Arm`: id, type, label, …
    let got = fmt("arms:\n- label: A\n  type: OTHER\n  id: a\n");
    assert_eq!(got, "arms:\n  - id: a\n    type: OTHER\n    label: A\n");
    let schema = Schema::builtin();
    let order = SchemaOrder::new(schema.json());
    let arm = order.key("arms").item();
    assert!(arm.rank("id") < arm.rank("label"));
    assert_eq!(arm.rank("no-such-key"), None);
}

#[test]
fn crlf_line_ends_and_a_byte_order_mark_are_kept() {
    let got = fmt("\u{feff}id: X\r\ntrf: 1\r\ndates:\r\n    start: 2024-01-01\r\n");
    assert_eq!(
        got,
        "\u{feff}trf: 1\r\nid: X\r\ndates:\r\n  start: 2024-01-01\r\n"
    );
}

#[test]
fn a_document_start_marker_and_directives_stay_on_top() {
    let got = fmt("%YAML 1.2\n---\n# header\nid: X\ntrf: 1\n");
    assert_eq!(got, "%YAML 1.2\n---\n# header\ntrf: 1\nid: X\n");
}

#[test]
fn block_scalars_in_lists_and_with_keep_chomping() {
    let got =
        fmt("notes:\n    -   |\n          two\n            indented\n    - >-\n       folded\n");
    assert_eq!(
        got,
        "notes:\n  - |\n    two\n      indented\n  - >-\n    folded\n"
    );
    let got = fmt("notes: |+\n    kept\n\ntrf: 1\n");
    assert_eq!(got, "trf: 1\nnotes: |+\n  kept\n\n");
}

#[test]
fn anchors_tags_and_aliases_are_copied_as_written() {
    let got = fmt("b: &x !!str value\na: *x\n");
    // `a` and `b` are unknown: their order stays, and so does the alias after its anchor.
    assert_eq!(got, "b: &x !!str value\na: *x\n");
    // Where the schema's order would put an alias before its anchor, the top-level
    // sections keep their order (and are laid out inside).
    let got = fmt("design: &p {masking: NONE}\nproduct: *p\nid: X\n");
    assert_eq!(got, "design: &p {masking: NONE}\nproduct: *p\nid: X\n");
    let e = try_fmt("dates: {updated: &d 2025-01-01, start: *d}\n").unwrap_err();
    assert!(e.to_string().contains("alias before its anchor"), "{e}");
    let got = fmt("product: &p\n    name: n\n    modality: CELLS\ndesign: *p\n");
    assert_eq!(
        got,
        "product: &p\n  name: n\n  modality: CELLS\ndesign: *p\n"
    );
}

#[test]
fn multi_line_scalars_are_re_indented_without_changing_their_value() {
    let got = fmt("title: \"a long\n      title\"\nnotes: plain\n        continued\n");
    assert_eq!(
        got,
        "title: \"a long\n  title\"\nnotes: plain\n  continued\n"
    );
}

#[test]
fn long_flow_collections_and_lists_of_mappings_become_block() {
    let long = format!("conditions: [{}]\n", ["Ulcerative Colitis"; 6].join(", "));
    let got = fmt(&long);
    assert!(
        got.starts_with("conditions:\n  - Ulcerative Colitis\n"),
        "{got}"
    );
    let got = fmt("arms: [{id: a, type: OTHER}, {id: b, type: OTHER}]\n");
    assert_eq!(
        got,
        "arms:\n  - {id: a, type: OTHER}\n  - {id: b, type: OTHER}\n"
    );
    // Short flow collections stay, their keys in order and spacing made regular.
    let got = fmt("enrollment: {type: ACTUAL,count:   12}\nphases: [ PHASE1 ,PHASE2 ]\n");
    assert_eq!(
        got,
        "phases: [PHASE1, PHASE2]\nenrollment: {count: 12, type: ACTUAL}\n"
    );
}

#[test]
fn blank_lines_only_around_top_level_lists() {
    let got = fmt("trf: 1\n\n\nid: X\narms:\n  - id: a\n\n  - id: b\nnotes: n\n");
    assert_eq!(
        got,
        "trf: 1\nid: X\n\narms:\n  - id: a\n  - id: b\n\nnotes: n\n"
    );
}

#[test]
fn refused_layouts_change_nothing_and_say_why() {
    for (text, why) in [
        ("- a\n- b\n", "not a mapping"),
        ("notes: |2\n    x\n", "indentation indicator"),
        ("trf: 1\rid: X\r", "lone CR"),
        ("trf: 1\n...\n", "after the last key"),
    ] {
        let e = try_fmt(text).unwrap_err();
        assert!(e.to_string().contains(why), "{text:?}: {e}");
    }
    // Empty and comment-only documents are left as they are.
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("# only a comment\n"), "# only a comment\n");
}

#[test]
fn json_is_two_space_indented_with_the_same_order_and_texts() {
    let text = "{\"id\": \"X\", \"trf\": 1.0, \"dates\": {}, \"phases\": [], \"conditions\": [\"a\\u00e9\"]}";
    let got = format(text, Syntax::Json, &Schema::builtin()).unwrap().text;
    assert_eq!(
        got,
        "{\n  \"trf\": 1.0,\n  \"id\": \"X\",\n  \"phases\": [],\n  \"conditions\": [\n    \"a\\u00e9\"\n  ],\n  \"dates\": {}\n}\n"
    );
}

#[test]
fn edits_between_leave_common_lines_out() {
    let e = edits_between("a\nb\nc\n", "a\nB\nc\n");
    assert_eq!(e, vec![TextEdit::new(Span::new(2, 4), "B\n")]);
    assert!(edits_between("x", "x").is_empty());
    let e = edits_between("a\n", "a\nb\n");
    assert_eq!(crate::syntax::edit::apply("a\n", &e), "a\nb\n");
}

#[test]
fn a_comment_after_a_flow_collection_laid_out_as_block_is_kept() {
    let long = "{id: a, type: EXPERIMENTAL, label: A label long enough to go over the line width}";
    let got = fmt(&format!(
        "arms:\n  - {long}  # first\nnotes: {long}  # second\n"
    ));
    assert!(got.starts_with("arms:\n  # first\n  - id: a\n"), "{got}");
    assert!(got.contains("notes:  # second\n  id: a\n"), "{got}");
}

#[test]
fn no_blank_line_joins_a_keep_chomped_block_scalar() {
    let text = "trf: 1\ntitle: |+\n    kept\n\nconditions:\n  - a\n";
    let got = fmt(text);
    assert_eq!(got, "trf: 1\ntitle: |+\n  kept\n\nconditions:\n  - a\n");
    let got = fmt("trf: 1\narms:\n  - id: a\n    description: >+ # kept\n      x\n\nnotes: n\n");
    assert_eq!(
        got,
        "trf: 1\n\narms:\n  - id: a\n    description: >+  # kept\n      x\n\nnotes: n\n"
    );
}
