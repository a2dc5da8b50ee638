//! TRF016: the key paths of `not_stated` and of discrepancies' `about` (format.md,
//! *Facts the sources leave open, or disagree on*). A path must be one the format
//! has (read from the schema: `crate::schema::KeyPaths`); a `not_stated` path must
//! not be given by the record anyway, and a discrepancy must be about a fact the
//! record gives. Linear in the lists: each path is resolved segment by segment
//! against hashed keys, and walked once through the record.
//!
//! What `not_stated` excuses from `TRF010` is [`excuses`], read by the schema phase.

use std::collections::HashSet;

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix};
use crate::schema::{KeyPaths, Resolution};
use crate::syntax::{Node, ScalarKind};

/// The value a key path names in a record, with the key it is under, if the
/// record gives it (a key whose value is null gives nothing).
pub fn given<'n>(root: &'n Node, path: &str) -> Option<(&'n Node, &'n Node)> {
    let mut node = root;
    let mut key = None;
    for seg in path.split('.') {
        let entry = node.entry(seg)?;
        key = Some(&entry.key);
        node = &entry.value;
    }
    let is_null = node
        .as_scalar()
        .is_some_and(|s| s.kind == ScalarKind::Null && !s.quoted());
    (!is_null).then_some((node, key?))
}

/// The `not_stated` paths a record writes (text items only).
pub fn not_stated(root: &Node) -> HashSet<&str> {
    root.get("not_stated")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::text)
        .map(str::trim)
        .collect()
}

/// Whether a missing key at `path` is excused by `not_stated`: the path is named
/// there, or it is a mapping every required key of which is excused (so that
/// `not_stated: [dates.start]` covers a record without `dates` when `start` is the
/// only key `dates` requires).
pub fn excuses(paths: &KeyPaths, named: &HashSet<&str>, path: &str) -> bool {
    fn go(paths: &KeyPaths, named: &HashSet<&str>, path: &str, depth: usize) -> bool {
        if named.contains(path) {
            return true;
        }
        if depth > 8 {
            return false;
        }
        let mut required = paths.children(path).filter(|k| k.required).peekable();
        required.peek().is_some() && required.all(|k| go(paths, named, &k.path, depth + 1))
    }
    !named.is_empty() && go(paths, named, path, 0)
}

pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let paths = cx.schema().keypaths();
    if let Some(list) = cx.root.get("not_stated").and_then(Node::as_seq) {
        // Items the record gives anyway; when that is every item, the first fix
        // removes the whole `not_stated` entry (an empty block list reads as null).
        let mut stale: Vec<(usize, &Node, &Node)> = Vec::new();
        let mut texts = 0;
        for (i, item) in list.iter().enumerate() {
            let Some(text) = item.text() else { continue };
            texts += 1;
            let text = text.trim();
            match paths.resolve(text) {
                Resolution::Valid(_) => {
                    if let Some((_, key)) = given(cx.root, text) {
                        stale.push((i, item, key));
                    }
                }
                other => out.push(invalid(item, text, &other)),
            }
        }
        let remove_all = !stale.is_empty() && stale.len() == list.len() && texts == list.len();
        let root_index = cx
            .root
            .as_map()
            .and_then(|m| m.iter().position(|e| e.key_text() == Some("not_stated")));
        for (n, (i, item, key)) in stale.into_iter().enumerate() {
            let text = shown(item.text().unwrap_or("").trim());
            // The first finding's fix removes the entry; the others' their item, which
            // overlaps it, so that `--fix` applies the entry's removal alone (and a
            // long list is not rewritten once per item).
            let edit = if remove_all && n == 0 {
                root_index.and_then(|r| cx.editor().remove_entry(cx.root, r))
            } else {
                cx.editor().remove_item(list_node(cx.root), i)
            };
            out.push(
                Diagnostic::new(
                    Code::KeyPath,
                    item.span,
                    format!(
                        "`{text}` is listed as not stated, but the record gives it; remove it from `not_stated`"
                    ),
                )
                .with_related(key.span, format!("`{text}` is given here"))
                .with_fix(edit.map(|e| {
                    let title = if remove_all && n == 0 {
                        "remove `not_stated`: the record gives every item".to_string()
                    } else {
                        format!("remove `{text}` from `not_stated`")
                    };
                    Fix::new(title, vec![e], true)
                })),
            );
        }
    }
    for item in cx
        .root
        .get("discrepancies")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        let Some(about) = item.get("about") else {
            continue;
        };
        let Some(text) = about.text() else { continue };
        let text = text.trim();
        match paths.resolve(text) {
            Resolution::Valid(_) => {
                if given(cx.root, text).is_none() {
                    out.push(Diagnostic::new(
                        Code::KeyPath,
                        about.span,
                        format!(
                            "this discrepancy is about `{}`, which the record does not give; record the value the curator chose",
                            shown(text)
                        ),
                    ));
                }
            }
            other => out.push(invalid(about, text, &other)),
        }
    }
    out
}

/// The `not_stated` list node (a list: checked by the caller).
fn list_node(root: &Node) -> &Node {
    root.get("not_stated").unwrap_or(root)
}

/// A written path as a message shows it: at most 80 characters.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

fn invalid(node: &Node, text: &str, r: &Resolution) -> Diagnostic {
    let text = shown(text);
    let message = match r {
        Resolution::ThroughList { list, spelt } => {
            let mut m = format!(
                "`{text}` is not a key path: `{list}` is a list, and a key path goes through no list"
            );
            if let Some(s) = spelt {
                m.push_str(&format!(" (`{text}` reads as `{}`)", shown(s)));
            }
            m
        }
        Resolution::Unknown {
            suggestion: Some(s),
            ..
        } => format!("`{text}` is not a key path of TRF 1; did you mean `{s}`?"),
        Resolution::Unknown { key, parent, .. } if parent.is_empty() => {
            format!("`{text}` is not a key path of TRF 1: a record has no top-level key `{key}`")
        }
        Resolution::Unknown { key, parent, .. } => {
            format!("`{text}` is not a key path of TRF 1: `{parent}` has no key `{key}`")
        }
        Resolution::Valid(_) => format!("`{text}` is a key path"),
    };
    Diagnostic::new(Code::KeyPath, node.span, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    #[test]
    fn not_stated_excuses_a_mapping_only_when_all_it_requires_is_excused() {
        let schema = Schema::builtin();
        let paths = schema.keypaths();
        let named = |list: &[&'static str]| list.iter().copied().collect::<HashSet<&str>>();
        let n = named(&["dates.start", "enrollment.count", "design.masking"]);
        assert!(excuses(paths, &n, "dates.start"));
        // `dates` requires only `start`.
        assert!(excuses(paths, &n, "dates"));
        // `enrollment` also requires `type`.
        assert!(!excuses(paths, &n, "enrollment"));
        assert!(excuses(
            paths,
            &named(&["enrollment.count", "enrollment.type"]),
            "enrollment"
        ));
        // A mapping that requires nothing (`eligibility`) is not excused by its keys.
        assert!(!excuses(paths, &named(&["eligibility.sex"]), "eligibility"));
        assert!(!excuses(paths, &n, "design"));
        assert!(!excuses(paths, &HashSet::new(), "dates"));
        assert!(!excuses(paths, &n, "sources"));
    }
}
