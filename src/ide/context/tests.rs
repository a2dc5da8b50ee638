//! Unit tests of the cursor's context: YAML block paths, slots and words, flow
//! collections on one line and across lines, JSON with recovery, and the small
//! line readers.

use super::lines::{below, comment_start, find_key, split_line, Below, LineKind};
use super::*;

/// The cursor's context in a text with `‸` marking the cursor.
fn at(text: &str, syntax: Syntax) -> Option<Cursor> {
    let offset = text.find('‸').expect("marker");
    cursor(&text.replace('‸', ""), syntax, offset)
}

fn path(c: &Cursor) -> String {
    c.path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.as_str(),
            Seg::Item => "[]",
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn keys(c: &Cursor) -> Vec<&str> {
    c.siblings.iter().map(|(k, _)| k.as_str()).collect()
}

#[test]
fn yaml_block_paths_slots_and_words() {
    let c = at(
        "arms:\n  - id: a\n    type: X\n    la‸\n    size: 2\n",
        Syntax::Yaml,
    )
    .unwrap();
    assert_eq!(
        (path(&c), c.slot, c.word.as_str()),
        ("arms.[]".into(), Slot::Key, "la")
    );
    assert_eq!(keys(&c), ["type", "id", "size"]);

    let c = at("arms:\n- id: a\n  type: EXP‸ERIMENTAL # c\n", Syntax::Yaml).unwrap();
    assert_eq!(
        (path(&c), c.slot, c.word.as_str()),
        ("arms.[].type".into(), Slot::Value, "EXP")
    );
    assert_eq!(c.scalar_span, Span::new(22, 34));

    let c = at("results:\n  - outcome: x\n    mean: 2.5 m‸\n", Syntax::Yaml).unwrap();
    assert_eq!((c.number.as_deref(), c.word.as_str()), (Some("2.5"), "m"));
    assert_eq!(c.sibling("outcome"), Some("x"));

    let c = at(
        "a:\n  b:\n    - c: 1\n      d:\n        - ‸\n",
        Syntax::Yaml,
    )
    .unwrap();
    assert_eq!(
        (path(&c), c.slot, c.empty_item),
        ("a.b.[].d.[]".into(), Slot::Value, true)
    );

    let c = at("notes: |\n  text\n  more ‸\n", Syntax::Yaml);
    assert!(c.is_none(), "inside a block scalar");
    let c = at("trf: 1 # a ‸ comment\n", Syntax::Yaml);
    assert!(c.is_none(), "inside a comment");
}

#[test]
fn yaml_flow_collections_on_one_line_and_across_lines() {
    let c = at("arms:\n  - interventions: [a, ‸]\n", Syntax::Yaml).unwrap();
    assert_eq!(
        (path(&c), c.slot),
        ("arms.[].interventions.[]".into(), Slot::Value)
    );
    assert_eq!(c.items, ["a"]);

    let c = at("x: 1\nenrollment: {count: 3, t‸ }\n", Syntax::Yaml).unwrap();
    assert_eq!(
        (path(&c), c.slot, c.word.as_str()),
        ("enrollment".into(), Slot::Key, "t")
    );
    assert_eq!(keys(&c), ["count"]);

    let c = at("phases: [\n  PHASE1,\n  PH‸\n]\n", Syntax::Yaml).unwrap();
    assert_eq!((path(&c), c.word.as_str()), ("phases.[]".into(), "PH"));

    // An unclosed bracket above does not swallow the lines below it.
    let c = at("conditions: [a\nstatus: R‸\n", Syntax::Yaml).unwrap();
    assert_eq!((path(&c), c.word.as_str()), ("status".into(), "R"));
    let c = at("phases: [PHASE1] ‸\n", Syntax::Yaml);
    assert!(c.is_none(), "after a closed collection");
}

#[test]
fn json_paths_with_recovery() {
    let c = at("{\"a\": [1, {\"b\": \"x\", \"‸\"}]}", Syntax::Json).unwrap();
    assert_eq!((path(&c), c.slot), ("a.[]".into(), Slot::Key));
    assert_eq!(keys(&c), ["b"]);
    assert_eq!(c.scalar_span, Span::new(21, 23));

    // An unclosed list: the `:` after its last item shows it ended there.
    let c = at("{\"c\": [\"x\",\n \"route\": \"IN‸", Syntax::Json).unwrap();
    assert_eq!(
        (path(&c), c.word.as_str(), c.quote),
        ("route".into(), "IN", Some('"'))
    );

    // A missing comma does not hide the next key.
    let c = at("{\"a\": 1\n \"b‸\": 2}", Syntax::Json).unwrap();
    assert_eq!(
        (path(&c), c.slot, c.colon_follows),
        ("".into(), Slot::Key, true)
    );

    assert!(at("{\"a\": 1}\n‸", Syntax::Json).is_none());
    assert!(at("  ‸  ", Syntax::Json).unwrap().empty_document);
}

#[test]
fn small_readers() {
    assert_eq!(split_number("2.5 mL"), Some(("2.5", 4)));
    assert_eq!(split_number("  -1e9  x"), Some(("-1e9", 8)));
    assert_eq!(split_number("10*9/L"), None);
    assert_eq!(split_number("2.5"), None);
    assert_eq!(split_number(". x"), None);
    assert_eq!(find_key("id: a"), Some(("id".into(), 2, 2)));
    assert_eq!(find_key("\"a b\" : c"), Some(("a b".into(), 5, 6)));
    assert_eq!(find_key("url: https://x.org"), Some(("url".into(), 3, 3)));
    assert_eq!(find_key("https://x.org"), None);
    assert_eq!(find_key("a # b: c"), None);
    assert!(below(" |-") == Below::Text);
    assert!(below(" >2 # c") == Below::Text);
    assert!(below(" &anchor") == Below::Collection);
    assert!(below(" # c") == Below::Collection);
    assert!(below(" |x|") == Below::Inline);
    let p = split_line("  - - key: v");
    assert_eq!((p.markers, p.content), (vec![2, 4], 6));
    assert!(matches!(split_line("---").kind, LineKind::DocMarker));
    assert_eq!(comment_start("a: \"x # y\" # z"), Some(11));
    assert_eq!(comment_start("url: http://x.org/#frag"), None);
    assert_eq!(comment_start("title: O'Brien # c"), Some(15));
    assert_eq!(
        yaml_section("a: 1\nab:\n  - x\nc: 2\n", "ab"),
        Some((5, "ab:\n  - x\n"))
    );
}
