//! Every edit is applied and the result parsed again: it must be valid and hold
//! exactly the intended value, in YAML (block and flow) and JSON.

use super::*;
use crate::syntax::{parse, Parsed};

fn parsed(text: &str, syntax: Syntax) -> Parsed {
    let p = parse(text, syntax);
    assert!(p.errors.is_empty(), "{text:?}: {:?}", p.errors);
    p
}

/// Apply `edit` and parse the result, which must be free of errors.
fn after(text: &str, syntax: Syntax, edits: &[TextEdit]) -> (String, Node) {
    let out = apply(text, edits);
    let p = parse(&out, syntax);
    assert!(p.errors.is_empty(), "{out:?}: {:?}", p.errors);
    (out, p.root.expect("a root"))
}

fn at<'n>(root: &'n Node, path: &str) -> &'n Node {
    root.pointer(path).expect(path).0
}

/// Values that would read back as another type, or break plain or flow text.
const HOSTILE: &[&str] = &[
    "true",
    "false",
    "1.0",
    "null",
    "~",
    "2024",
    "-3",
    "0x1F",
    ".inf",
    "",
    "drug-[x",
    "drug,x",
    "drug]",
    "{x}",
    "[x]",
    "a: b",
    "a:b",
    "x:",
    "a #b",
    "#x",
    "-x",
    "- x",
    "--",
    "*x",
    "&x",
    "!x",
    "|x",
    ">x",
    "'x",
    "\"x",
    "%x",
    "@x",
    "`x",
    "?x",
    ":x",
    " x",
    "x ",
    "multi\nline",
    "tab\tx",
    "back\\slash",
    "it's",
    "say \"hi\"",
    "---",
    "...",
    "\u{2028}",
    "\u{85}",
    "\u{feff}x",
    "nul\0",
    "bell\u{7}",
    "µg/L",
    "plain text",
    "10*6{cells}",
    "NCT06853522",
];

#[test]
fn replaced_scalars_read_back_as_the_intended_string() {
    let cases: &[(&str, Syntax, &str)] = &[
        ("a: x\nb: 1\n", Syntax::Yaml, "/a"),
        ("a: 'x'\n", Syntax::Yaml, "/a"),
        ("a: \"x\"\n", Syntax::Yaml, "/a"),
        ("a: [x, y]\n", Syntax::Yaml, "/a/0"),
        ("a: [y, x]\n", Syntax::Yaml, "/a/1"),
        ("a: {b: x, c: y}\n", Syntax::Yaml, "/a/b"),
        ("a:\n  - x\n  - y\n", Syntax::Yaml, "/a/0"),
        ("- x\n", Syntax::Yaml, "/0"),
        ("a: |\n  x\n  more\nb: 1\n", Syntax::Yaml, "/a"),
        ("a: >-\n  x\nb: 1\n", Syntax::Yaml, "/a"),
        ("a: 12\n", Syntax::Yaml, "/a"),
        ("{\"a\": \"x\", \"b\": 1}", Syntax::Json, "/a"),
        ("{\"a\": [\"x\", 2]}", Syntax::Json, "/a/1"),
        ("{\"a\": 12855734}", Syntax::Json, "/a"),
    ];
    for (text, syntax, path) in cases {
        let p = parsed(text, *syntax);
        let root = p.root.as_ref().unwrap();
        let node = at(root, path);
        let edit = Editor::new(text, *syntax);
        for want in HOSTILE {
            let e = edit
                .replace_scalar(node, want)
                .unwrap_or_else(|| panic!("{text:?} {want:?}"));
            let (out, new_root) = after(text, *syntax, &[e]);
            assert!(
                reads_as_string(at(&new_root, path), want),
                "{text:?} with {want:?} gave {out:?}"
            );
            // Nothing else changed.
            let mut expect = root.to_json();
            *expect.pointer_mut(path).unwrap() = serde_json::Value::String(want.to_string());
            assert_eq!(new_root.to_json(), expect, "{out:?}");
        }
    }
}

#[test]
fn styles_are_kept_where_the_new_text_allows() {
    let e = |text: &str, path: &str, new: &str| {
        let p = parsed(text, Syntax::Yaml);
        let n = at(p.root.as_ref().unwrap(), path).clone();
        apply(
            text,
            &[Editor::new(text, Syntax::Yaml)
                .replace_scalar(&n, new)
                .unwrap()],
        )
    };
    assert_eq!(e("a: x\n", "/a", "plain text"), "a: plain text\n");
    assert_eq!(e("a: x\n", "/a", "10*6{cells}"), "a: 10*6{cells}\n");
    assert_eq!(
        e("a: [x]\n", "/a/0", "10*6{cells}"),
        "a: [\"10*6{cells}\"]\n"
    );
    assert_eq!(e("a: [x]\n", "/a/0", "drug-[x"), "a: [\"drug-[x\"]\n");
    assert_eq!(e("a: [x]\n", "/a/0", "drug,x"), "a: [\"drug,x\"]\n");
    assert_eq!(e("a: x\n", "/a", "2024"), "a: \"2024\"\n");
    assert_eq!(e("a: x\n", "/a", "-5 mg"), "a: -5 mg\n");
    assert_eq!(e("a: 'x'\n", "/a", "it's"), "a: 'it''s'\n");
    assert_eq!(e("a: 'x'\n", "/a", "true"), "a: 'true'\n");
    assert_eq!(e("a: \"x\"\n", "/a", "y"), "a: \"y\"\n");
    assert_eq!(e("a: |\n  x\nb: 1\n", "/a", "y"), "a: \"y\"\nb: 1\n");
    let json = "{\"a\": 12855734}";
    let p = parsed(json, Syntax::Json);
    let n = at(p.root.as_ref().unwrap(), "/a");
    let edit = Editor::new(json, Syntax::Json)
        .replace_scalar(n, "PMC1")
        .unwrap();
    assert_eq!(apply(json, &[edit]), "{\"a\": \"PMC1\"}");
}

#[test]
fn literals_are_written_bare_only_when_they_read_back_as_literals() {
    let text = "a: yes\nb: {c: \"x\"}\n";
    let p = parsed(text, Syntax::Yaml);
    let root = p.root.as_ref().unwrap();
    let edit = Editor::new(text, Syntax::Yaml);
    let e = edit.replace_literal(at(root, "/a"), "true").unwrap();
    let (_, r) = after(text, Syntax::Yaml, &[e]);
    assert_eq!(at(&r, "/a").to_json(), serde_json::json!(true));
    assert!(edit.replace_literal(at(root, "/a"), "yes").is_none());
    let e = edit.replace_literal(at(root, "/b/c"), "2.5").unwrap();
    let (_, r) = after(text, Syntax::Yaml, &[e]);
    assert_eq!(at(&r, "/b/c").to_json(), serde_json::json!(2.5));
    let json = "{\"v\": 2590}";
    let p = parsed(json, Syntax::Json);
    let edit = Editor::new(json, Syntax::Json);
    let v = at(p.root.as_ref().unwrap(), "/v");
    assert!(edit.replace_literal(v, ".5").is_none());
    assert!(edit.replace_literal(v, "0x1F").is_none());
    let e = edit.replace_literal(v, "2.59").unwrap();
    assert_eq!(apply(json, &[e]), "{\"v\": 2.59}");
}

#[test]
fn edits_through_an_alias_go_to_the_anchor() {
    let text = "x: &local intralesional\ny: *local\nz: [*local]\n";
    let p = parsed(text, Syntax::Yaml);
    let root = p.root.as_ref().unwrap();
    let y = at(root, "/y");
    let alias = y.alias.as_ref().expect("an alias");
    assert_eq!(alias.name, "local");
    assert_eq!(&text[alias.anchor.start..alias.anchor.end], "&local");
    assert_eq!(&text[y.span.start..y.span.end], "*local");
    let edit = Editor::new(text, Syntax::Yaml);
    for path in ["/x", "/y", "/z/0"] {
        let e = edit
            .replace_scalar(at(root, path), "INTRALESIONAL")
            .unwrap();
        let (out, r) = after(text, Syntax::Yaml, &[e]);
        assert_eq!(out, "x: &local INTRALESIONAL\ny: *local\nz: [*local]\n");
        for p in ["/x", "/y", "/z/0"] {
            assert!(reads_as_string(at(&r, p), "INTRALESIONAL"));
        }
    }
    // In a flow list, an alias's anchor in block context is still written plain only
    // where that is safe there.
    let e = edit.replace_scalar(at(root, "/z/0"), "a,b").unwrap();
    let (_, r) = after(text, Syntax::Yaml, &[e]);
    assert!(reads_as_string(at(&r, "/z/0"), "a,b"));

    // A list reached through an alias loses its item at the anchor.
    let text = "a: &l [p, q]\nb: *l\n";
    let p = parsed(text, Syntax::Yaml);
    let b = at(p.root.as_ref().unwrap(), "/b");
    let e = Editor::new(text, Syntax::Yaml).remove_item(b, 0).unwrap();
    assert_eq!(after(text, Syntax::Yaml, &[e]).0, "a: &l [q]\nb: *l\n");
}

#[test]
fn anchors_and_alias_styles_are_recorded() {
    let text = "a: &m {k: v}\nb: *m\nc:\n  - 'q'\n  - |\n    lit\n";
    let p = parsed(text, Syntax::Yaml);
    let root = p.root.as_ref().unwrap();
    assert!(at(root, "/a").is_flow());
    assert!(!root.is_flow());
    let b = at(root, "/b");
    assert!(b.is_flow());
    assert_eq!(b.alias.as_ref().unwrap().target, at(root, "/a").span);
    assert_eq!(at(root, "/b/k").span, at(root, "/a/k").span);
    assert!(at(root, "/a/k").is_flow(), "a scalar in a flow mapping");
    let style = |p: &str| at(root, p).as_scalar().unwrap().style;
    assert_eq!(style("/c/0"), ScalarStyle::SingleQuoted);
    assert_eq!(style("/c/1"), ScalarStyle::Literal);
    assert_eq!(style("/a/k"), ScalarStyle::Plain);
    let json = parsed("{\"a\": [\"s\", 1, true]}", Syntax::Json);
    let root = json.root.as_ref().unwrap();
    assert!(root.is_flow() && at(root, "/a").is_flow());
    let style = |p: &str| at(root, p).as_scalar().unwrap().style;
    assert_eq!(style("/a/0"), ScalarStyle::DoubleQuoted);
    assert_eq!(style("/a/1"), ScalarStyle::Plain);
}

fn remove_item(text: &str, syntax: Syntax, path: &str, index: usize) -> Option<String> {
    let p = parsed(text, syntax);
    let seq = at(p.root.as_ref().unwrap(), path);
    let e = Editor::new(text, syntax).remove_item(seq, index)?;
    let (out, r) = after(text, syntax, &[e]);
    let mut want = at(p.root.as_ref().unwrap(), path).to_json();
    want.as_array_mut().unwrap().remove(index);
    assert_eq!(at(&r, path).to_json(), want, "{out:?}");
    Some(out)
}

#[test]
fn list_items_are_removed_with_their_line_or_comma() {
    let block = "a:\n  - x\n  - y # note\n  - z\nb: 1\n";
    let y = Syntax::Yaml;
    assert_eq!(
        remove_item(block, y, "/a", 1).unwrap(),
        "a:\n  - x\n  - z\nb: 1\n"
    );
    assert_eq!(
        remove_item(block, y, "/a", 2).unwrap(),
        "a:\n  - x\n  - y # note\nb: 1\n"
    );
    let maps = "a:\n  - id: x\n    t: 1\n  - id: y\n";
    assert_eq!(remove_item(maps, y, "/a", 0).unwrap(), "a:\n  - id: y\n");
    let flow = "a: [x, y, z]\n";
    assert_eq!(remove_item(flow, y, "/a", 0).unwrap(), "a: [y, z]\n");
    assert_eq!(remove_item(flow, y, "/a", 1).unwrap(), "a: [x, z]\n");
    assert_eq!(remove_item(flow, y, "/a", 2).unwrap(), "a: [x, y]\n");
    assert_eq!(remove_item("a: [x]\n", y, "/a", 0).unwrap(), "a: []\n");
    let json = "{\"a\": [\"x\", {\"k\": 1}, 3]}";
    let j = Syntax::Json;
    assert_eq!(
        remove_item(json, j, "/a", 1).unwrap(),
        "{\"a\": [\"x\", 3]}"
    );
    assert_eq!(
        remove_item(json, j, "/a", 2).unwrap(),
        "{\"a\": [\"x\", {\"k\": 1}]}"
    );
    assert_eq!(
        remove_item("{\"a\": [1]}", j, "/a", 0).unwrap(),
        "{\"a\": []}"
    );
    // An item that defines an anchor is left alone.
    assert!(remove_item("a:\n  - &k x\n  - *k\n", y, "/a", 0).is_none());
    assert!(remove_item("a: [&k x, *k]\n", y, "/a", 0).is_none());
}

#[test]
fn retained_items_keep_their_text() {
    let text = "p: [PHASE1, 'PHASE2', PHASE1]\n";
    let p = parsed(text, Syntax::Yaml);
    let seq = at(p.root.as_ref().unwrap(), "/p");
    let e = Editor::new(text, Syntax::Yaml);
    let edits = e.retain_items(seq, &[true, true, false]).unwrap();
    assert_eq!(
        after(text, Syntax::Yaml, &edits).0,
        "p: [PHASE1, 'PHASE2']\n"
    );
    let text = "p:\n  - a\n  - b\n  - a\n  - a\n";
    let p = parsed(text, Syntax::Yaml);
    let seq = at(p.root.as_ref().unwrap(), "/p");
    let edits = Editor::new(text, Syntax::Yaml)
        .retain_items(seq, &[true, true, false, false])
        .unwrap();
    assert_eq!(after(text, Syntax::Yaml, &edits).0, "p:\n  - a\n  - b\n");
    let text = "p: [a, # why\n  a]\n";
    let p = parsed(text, Syntax::Yaml);
    let seq = at(p.root.as_ref().unwrap(), "/p");
    assert!(Editor::new(text, Syntax::Yaml)
        .retain_items(seq, &[true, false])
        .is_none());
}

fn remove_entry(text: &str, syntax: Syntax, path: &str, index: usize) -> Option<String> {
    let p = parsed(text, syntax);
    let map = at(p.root.as_ref().unwrap(), path);
    let key = map.as_map().unwrap()[index].key_text().unwrap().to_string();
    let e = Editor::new(text, syntax).remove_entry(map, index)?;
    let (out, r) = after(text, syntax, &[e]);
    let mut want = map.to_json();
    want.as_object_mut().unwrap().shift_remove(&key);
    assert_eq!(at(&r, path).to_json(), want, "{out:?}");
    Some(out)
}

#[test]
fn mapping_entries_are_removed_with_their_lines_or_comma() {
    let y = Syntax::Yaml;
    let block = "a: 1\nb:\n  - x\n  - y\nc: 3\n";
    assert_eq!(remove_entry(block, y, "", 1).unwrap(), "a: 1\nc: 3\n");
    assert_eq!(
        remove_entry(block, y, "", 2).unwrap(),
        "a: 1\nb:\n  - x\n  - y\n"
    );
    assert_eq!(remove_entry("a: 1\nb: 2", y, "", 1).unwrap(), "a: 1\n");
    let flow = "m: {a: 1, b: 2, c: 3}\n";
    assert_eq!(remove_entry(flow, y, "/m", 0).unwrap(), "m: {b: 2, c: 3}\n");
    assert_eq!(remove_entry(flow, y, "/m", 2).unwrap(), "m: {a: 1, b: 2}\n");
    assert_eq!(remove_entry("m: {a: 1}\n", y, "/m", 0).unwrap(), "m: {}\n");
    let json = "{\n  \"a\": 1,\n  \"b\": [2],\n  \"c\": {\"d\": 3}\n}\n";
    let j = Syntax::Json;
    assert_eq!(
        remove_entry(json, j, "", 1).unwrap(),
        "{\n  \"a\": 1,\n  \"c\": {\"d\": 3}\n}\n"
    );
    assert_eq!(
        remove_entry(json, j, "", 2).unwrap(),
        "{\n  \"a\": 1,\n  \"b\": [2]\n}\n"
    );
    assert_eq!(remove_entry("{\"a\": 1}", j, "", 0).unwrap(), "{}");
    assert!(remove_entry("a: &k 1\nb: *k\n", y, "", 0).is_none());
}

fn insert(text: &str, syntax: Syntax, path: &str, key: &str, value: &str) -> String {
    let order = ["id", "type", "name", "route", "dose"];
    let p = parsed(text, syntax);
    let map = at(p.root.as_ref().unwrap(), path);
    let e = Editor::new(text, syntax)
        .insert_entry(map, key, value, &order)
        .unwrap();
    let (out, r) = after(text, syntax, &[e]);
    let node = at(&r, path);
    assert!(reads_as_string(node.get(key).unwrap(), value), "{out:?}");
    let keys: Vec<&str> = node
        .as_map()
        .unwrap()
        .iter()
        .filter_map(|e| e.key_text())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by_key(|k| order.iter().position(|o| o == k));
    assert_eq!(keys, sorted, "{out:?}");
    out
}

#[test]
fn entries_are_inserted_in_key_order() {
    let y = Syntax::Yaml;
    let block = "i:\n  - id: a\n    route: IV\n";
    assert_eq!(
        insert(block, y, "/i/0", "type", "DRUG"),
        "i:\n  - id: a\n    type: DRUG\n    route: IV\n"
    );
    assert_eq!(
        insert(block, y, "/i/0", "dose", "1 mg"),
        "i:\n  - id: a\n    route: IV\n    dose: 1 mg\n"
    );
    let later = "i:\n  - type: x\n";
    assert_eq!(
        insert(later, y, "/i/0", "id", "a"),
        "i:\n  - id: a\n    type: x\n"
    );
    assert_eq!(
        insert("type: x\n", y, "", "id", "true"),
        "id: \"true\"\ntype: x\n"
    );
    assert_eq!(
        insert("id: a\r\n", y, "", "name", "n"),
        "id: a\r\nname: n\r\n"
    );
    assert_eq!(
        insert("id: a", y, "", "name", "a: b"),
        "id: a\nname: \"a: b\""
    );
    let flow = "m: {id: a, route: IV}\n";
    assert_eq!(
        insert(flow, y, "/m", "type", "x,y"),
        "m: {id: a, type: \"x,y\", route: IV}\n"
    );
    assert_eq!(
        insert(flow, y, "/m", "dose", "5"),
        "m: {id: a, route: IV, dose: \"5\"}\n"
    );
    assert_eq!(insert("m: {}\n", y, "/m", "id", "a"), "m: {id: a}\n");
    let json = "{\"id\": \"a\", \"route\": \"IV\"}";
    assert_eq!(
        insert(json, Syntax::Json, "", "name", "n\"q"),
        "{\"id\": \"a\", \"name\": \"n\\\"q\", \"route\": \"IV\"}"
    );
}

#[test]
fn keys_are_renamed_in_their_style() {
    let text = "tittle: x\n'stauts': y\n";
    let p = parsed(text, Syntax::Yaml);
    let m = p.root.as_ref().unwrap().as_map().unwrap();
    let e = Editor::new(text, Syntax::Yaml);
    let edits = [
        e.rename_key(&m[0], "title").unwrap(),
        e.rename_key(&m[1], "status").unwrap(),
    ];
    assert_eq!(
        after(text, Syntax::Yaml, &edits).0,
        "title: x\n'status': y\n"
    );
    let json = "{\"tittle\": 1}";
    let p = parsed(json, Syntax::Json);
    let m = p.root.as_ref().unwrap().as_map().unwrap();
    let edit = Editor::new(json, Syntax::Json)
        .rename_key(&m[0], "title")
        .unwrap();
    assert_eq!(apply(json, &[edit]), "{\"title\": 1}");
}

#[test]
fn parts_of_scalars_are_replaced_where_the_source_is_the_value() {
    let text = "a: 2.59 µmol/L\nb: [5 IU/L]\nc: '5 IU/L'\nd: \"5 \\u0049U/L\"\n";
    let p = parsed(text, Syntax::Yaml);
    let root = p.root.as_ref().unwrap();
    let e = Editor::new(text, Syntax::Yaml);
    let part = |path: &str, range: std::ops::Range<usize>, new: &str| {
        let n = at(root, path);
        let edit = e.replace_part(n, range.clone(), new).unwrap();
        let mut want = n.text().unwrap().to_string();
        want.replace_range(range, new);
        let (out, r) = after(text, Syntax::Yaml, std::slice::from_ref(&edit));
        assert!(reads_as_string(at(&r, path), &want), "{out:?}");
        edit
    };
    assert_eq!(part("/a", 5..12, "umol/L").new_text, "umol/L");
    assert_eq!(part("/b/0", 2..6, "[IU]/L").new_text, "\"5 [IU]/L\"");
    assert_eq!(part("/c", 2..6, "it's").new_text, "it''s");
    assert_eq!(part("/d", 2..6, "[IU]/L").new_text, "\"5 [IU]/L\"");
}

#[test]
fn comments_are_removed_with_their_line_or_their_spaces() {
    let text = "# alone\na: 1  # trailing\n";
    let p = parse(text, Syntax::Yaml);
    let e = Editor::new(text, Syntax::Yaml);
    let edits: Vec<TextEdit> = p
        .comments
        .iter()
        .map(|c| e.remove_comment(c.span))
        .collect();
    assert_eq!(apply(text, &edits), "a: 1\n");
}
