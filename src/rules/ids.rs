//! Rule family `ids` (see rules.md): registry ids (TRF100–TRF102, TRF104, TRF111,
//! TRF112), ORCID check digits (TRF103) and publication identifiers and URLs
//! (TRF110). The knowledge (formats, canonical spellings, check digits, repairs)
//! lives in [`crate::ids`]; this file finds the values and words the findings.
//!
//! Identifier values are judged only here: the schema marks their patterns
//! `x-trls-judged-by`. Values that are not scalars are the schema's (`TRF012`) and
//! are skipped, as are nulls.

use std::path::Path;

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::ids::formats::{orcid_check, orcid_check_digit, IdKind};
use crate::ids::{self, Canonical, Likeness};
use crate::model::{Record, SecondaryId};
use crate::syntax::{Node, ScalarKind, Span};

pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let root = cx.root;
    let primary = root
        .get("id")
        .and_then(scalar_text)
        .map(|(n, t)| (n, t, judge(t)));

    // The record's own id, with the registry it names.
    if let Some((node, text, judged)) = &primary {
        let named = root.get("registry");
        registry_id(cx, node, text, judged, named, &mut out);
    }
    // Secondary ids.
    let record = Record::new(root);
    let secondary: Vec<&Node> = record.secondary_ids().map(|s| s.node).collect();
    for item in &secondary {
        let Some((node, text)) = item.get("id").and_then(scalar_text) else {
            continue;
        };
        let judged = judge(text);
        let named = item.get("registry");
        if SecondaryId::new(item).is_registry() {
            registry_id(cx, node, text, &judged, named, &mut out);
        } else if let Judged::Valid(c) = &judged {
            mismatch(cx, node, c, named, &mut out);
        }
    }
    repeated_primary(cx, primary.as_ref(), &mut out);
    // Related trials.
    for item in record.related() {
        if let Some((node, text)) = scalar_text(item) {
            registry_id(cx, node, text, &judge(text), None, &mut out);
        }
    }
    // Sources.
    for source in record.sources() {
        if let Some((node, text)) = source.registry_id().and_then(scalar_text) {
            registry_id(cx, node, text, &judge(text), None, &mut out);
        }
        for (key, kind) in [
            ("doi", IdKind::Doi),
            ("pmid", IdKind::Pmid),
            ("pmcid", IdKind::Pmcid),
            ("url", IdKind::Url),
        ] {
            if let Some((node, text)) = source.get(key).and_then(scalar_text) {
                malformed(cx, node, text, kind, &mut out);
            }
        }
    }
    for investigator in list(root, "investigators") {
        if let Some((node, text)) = investigator.get("orcid").and_then(scalar_text) {
            if IdKind::Orcid.is_valid(text) {
                check_digit(node, text, &mut out);
            } else {
                malformed(cx, node, text, IdKind::Orcid, &mut out);
            }
        }
    }
    other_trial_sources(cx, primary.as_ref(), &secondary, &mut out);
    file_name(cx, primary.as_ref(), &mut out);
    out
}

/// The items of a top-level list (none when it is missing or not a list).
fn list<'n>(root: &'n Node, key: &str) -> Vec<&'n Node> {
    root.get(key)
        .and_then(Node::as_seq)
        .map(|items| items.iter().collect())
        .unwrap_or_default()
}

/// A scalar's source text; nulls and collections are not judged here.
fn scalar_text(node: &Node) -> Option<(&Node, &str)> {
    let s = node.as_scalar()?;
    (s.kind != ScalarKind::Null).then_some((node, s.text.as_str()))
}

enum Judged {
    /// In exactly one registry's format, as written.
    Valid(Canonical),
    /// Recognisable, but not spelt canonically.
    NonCanonical(Canonical),
    /// No registry id.
    Invalid,
}

impl Judged {
    fn canonical(&self) -> Option<&Canonical> {
        match self {
            Judged::Valid(c) | Judged::NonCanonical(c) => Some(c),
            Judged::Invalid => None,
        }
    }
}

fn judge(text: &str) -> Judged {
    match ids::canonical(text) {
        Some(c) if c.id == text => Judged::Valid(c),
        Some(c) => Judged::NonCanonical(c),
        None => Judged::Invalid,
    }
}

/// The text ids are compared by: the canonical id, else the value as written.
fn comparable(text: &str, judged: &Judged) -> String {
    judged
        .canonical()
        .map_or_else(|| text.trim().to_string(), |c| c.id.clone())
}

/// TRF100, TRF102, and TRF101 against the `registry` named beside the id.
fn registry_id(
    cx: &Context,
    node: &Node,
    text: &str,
    judged: &Judged,
    named: Option<&Node>,
    out: &mut Vec<Diagnostic>,
) {
    match judged {
        Judged::Valid(c) => mismatch(cx, node, c, named, out),
        Judged::NonCanonical(c) => {
            out.push(
                Diagnostic::new(
                    Code::NonCanonicalId,
                    node.span,
                    format!(
                        "`{}` is a non-canonical spelling of the `{}` id `{}`; write `{}`",
                        shorten(text),
                        c.registry,
                        c.id,
                        c.id
                    ),
                )
                .with_fix(Some(Fix {
                    title: format!("write `{}`", c.id),
                    edits: vec![replace_value(cx.text, node, &c.id)],
                    safe: true,
                })),
            );
        }
        Judged::Invalid => out.push(not_a_registry_id(cx, node, text, named)),
    }
}

fn not_a_registry_id(cx: &Context, node: &Node, text: &str, named: Option<&Node>) -> Diagnostic {
    let shown = quote(text);
    let rows = ids::matching(text);
    if rows.len() > 1 {
        let names: Vec<String> = rows.iter().map(|r| format!("`{}`", r.code)).collect();
        return Diagnostic::new(
            Code::UnknownRegistryId,
            node.span,
            format!(
                "{shown} matches the formats of {}; a registry id must match exactly one",
                names.join(" and ")
            ),
        );
    }
    let named = named.and_then(Node::text);
    match ids::looks_like(text, named) {
        Some(Likeness::Suggestion(c)) => Diagnostic::new(
            Code::UnknownRegistryId,
            node.span,
            format!(
                "{shown} is not a registry id; did you mean the `{}` id `{}`?",
                c.registry, c.id
            ),
        )
        .with_fix(Some(Fix {
            title: format!("write `{}`", c.id),
            edits: vec![replace_value(cx.text, node, &c.id)],
            safe: false,
        })),
        Some(Likeness::Registry(r)) => Diagnostic::new(
            Code::UnknownRegistryId,
            node.span,
            format!("{shown} is not a registry id; {}", r.format_hint()),
        ),
        None => {
            let registries = ids::registries();
            let examples: Vec<String> = registries
                .iter()
                .filter(|r| r.code != ids::PUBLICATION)
                .filter_map(|r| r.examples.first())
                .take(2)
                .map(|e| format!("`{e}`"))
                .collect();
            let publication = ids::registry(ids::PUBLICATION)
                .and_then(|r| r.examples.first())
                .map(|e| format!(", an unregistered case report's like `{e}`"))
                .unwrap_or_default();
            Diagnostic::new(
                Code::UnknownRegistryId,
                node.span,
                format!(
                    "{shown} is not in any registry's format; a registry id looks like {}{publication}",
                    examples.join(" or ")
                ),
            )
        }
    }
}

/// TRF101: a valid id whose `registry` names another registry.
fn mismatch(
    cx: &Context,
    id: &Node,
    canonical: &Canonical,
    named: Option<&Node>,
    out: &mut Vec<Diagnostic>,
) {
    let Some((node, code)) = named.and_then(scalar_text) else {
        return;
    };
    // An unknown term is TRF013's; a project's own registry has no format to judge.
    let Some(claimed) = ids::registry(code) else {
        return;
    };
    if claimed.code == canonical.registry {
        return;
    }
    let Some(actual) = canonical.registry() else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::RegistryMismatch,
            node.span,
            format!(
                "`registry: {code}` disagrees with the id: `{}` is in the `{}` format ({}), \
                 not in `{}`'s ({})",
                canonical.id, actual.code, actual.name, claimed.code, claimed.format
            ),
        )
        .with_related(
            id.span,
            format!("`{}` is in the `{}` format", canonical.id, actual.code),
        )
        .with_fix(Some(Fix {
            title: format!("Set `registry` to `{}`", actual.code),
            edits: vec![replace_value(cx.text, node, &actual.code)],
            safe: true,
        })),
    );
}

/// TRF112: `secondary_ids` items that repeat the primary id.
fn repeated_primary(
    cx: &Context,
    primary: Option<&(&Node, &str, Judged)>,
    out: &mut Vec<Diagnostic>,
) {
    let Some((primary_node, primary_text, primary_judged)) = primary else {
        return;
    };
    let want = comparable(primary_text, primary_judged);
    let Some(entry) = cx.root.entry("secondary_ids") else {
        return;
    };
    let Some(items) = entry.value.as_seq() else {
        return;
    };
    let repeats: Vec<bool> = items
        .iter()
        .map(|item| {
            item.get("id")
                .and_then(scalar_text)
                .is_some_and(|(_, t)| comparable(t, &judge(t)) == want)
        })
        .collect();
    let all = repeats.iter().all(|r| *r);
    for (i, item) in items.iter().enumerate() {
        if !repeats[i] {
            continue;
        }
        let Some((node, text)) = item.get("id").and_then(scalar_text) else {
            continue;
        };
        // An item written as an alias (`- *same`) keeps its anchor's spans inside:
        // report it at the alias.
        let at = if item.span.start <= node.span.start && node.span.end <= item.span.end {
            node.span
        } else {
            item.span
        };
        let edit = if all {
            remove_list(cx.text, entry, &entry.value)
        } else {
            remove_item(cx.text, &entry.value, i)
        };
        let d = Diagnostic::new(
            Code::RepeatedPrimaryId,
            at,
            format!(
                "`{}` repeats the primary `id` (`{want}`); secondary ids list only the \
                 trial's other identifiers, so remove this item",
                shorten(text)
            ),
        )
        .with_related(primary_node.span, "the primary `id`")
        .with_fix(
            edit.filter(|e| !defines_anchor(cx.text, e.span))
                .map(|e| Fix {
                    title: "Remove the repeated id".into(),
                    edits: vec![e],
                    safe: true,
                }),
        );
        out.push(d);
    }
}

/// TRF110: a malformed DOI, PMID, PMCID, ORCID iD or URL, with the repair where
/// one is clear.
fn malformed(cx: &Context, node: &Node, text: &str, kind: IdKind, out: &mut Vec<Diagnostic>) {
    if kind.is_valid(text) {
        return;
    }
    let shown = quote(text);
    let noun = kind.noun();
    let d = match kind.repair(text) {
        Some(fixed) => Diagnostic::new(
            Code::MalformedIdentifier,
            node.span,
            format!("{shown} is not a well-formed {noun}; write `{fixed}`"),
        )
        .with_fix(Some(Fix {
            title: format!("write `{fixed}`"),
            edits: vec![replace_value(cx.text, node, &fixed)],
            safe: true,
        })),
        None => {
            let mut message = format!("{shown} is not a well-formed {noun}; {}", kind.form());
            // A PMCID under `pmid` and the like: say where it belongs.
            let publication = [IdKind::Doi, IdKind::Pmid, IdKind::Pmcid];
            if publication.contains(&kind) {
                for other in publication {
                    if other != kind && other.is_valid(text.trim()) {
                        message.push_str(&format!(
                            "; {shown} is a {}, which goes under `{}`",
                            other.noun(),
                            other.noun().to_ascii_lowercase()
                        ));
                    }
                }
            }
            Diagnostic::new(Code::MalformedIdentifier, node.span, message)
        }
    };
    out.push(d);
}

/// TRF103: a well-formed ORCID iD whose check digit is wrong.
fn check_digit(node: &Node, text: &str, out: &mut Vec<Diagnostic>) {
    if let Err(expected) = orcid_check(text) {
        let base = &text[..text.len().saturating_sub(1)];
        debug_assert_eq!(orcid_check_digit(base), Some(expected));
        out.push(Diagnostic::new(
            Code::CheckDigit,
            node.span,
            format!(
                "`{text}` is not a valid ORCID iD: its check digit (ISO 7064 MOD 11-2) \
                 should be `{expected}` for `{base}`, so one of its digits is wrong; \
                 copy the iD from the investigator's ORCID record"
            ),
        ));
    }
}

/// TRF111: a `REGISTRY` source whose `registry_id`, or the id in whose `url`, is
/// neither the record's `id` nor one of its `secondary_ids`.
fn other_trial_sources(
    cx: &Context,
    primary: Option<&(&Node, &str, Judged)>,
    secondary: &[&Node],
    out: &mut Vec<Diagnostic>,
) {
    let Some((primary_node, primary_text, primary_judged)) = primary else {
        return;
    };
    let mut known = vec![comparable(primary_text, primary_judged)];
    known.extend(secondary.iter().filter_map(|item| {
        let (_, t) = item.get("id").and_then(scalar_text)?;
        Some(comparable(t, &judge(t)))
    }));
    let primary_shown = known[0].clone();
    for source in list(cx.root, "sources") {
        if source.get("kind").and_then(Node::text) != Some("REGISTRY") {
            continue;
        }
        let found = [
            source
                .get("registry_id")
                .and_then(scalar_text)
                .and_then(|(n, t)| Some((n, ids::canonical(t)?, "`registry_id`"))),
            source
                .get("url")
                .and_then(scalar_text)
                .and_then(|(n, t)| Some((n, ids::find_in_url(t)?, "`url`"))),
        ];
        for (node, c, what) in found.into_iter().flatten() {
            if known.contains(&c.id) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::SourceOfAnotherTrial,
                    node.span,
                    format!(
                        "this registry source's {what} points at `{id}`, which is neither this \
                         record's `id` (`{primary_shown}`) nor one of its `secondary_ids`; \
                         cite this trial's own registry entry, and list `{id}` under \
                         `related` (or under `secondary_ids` if it is the same trial)",
                        id = c.id
                    ),
                )
                .with_related(primary_node.span, "this record's `id`"),
            );
        }
    }
}

/// TRF104: the file is named after another registry id than the record's.
fn file_name(cx: &Context, primary: Option<&(&Node, &str, Judged)>, out: &mut Vec<Diagnostic>) {
    let (Some(path), Some((node, text, judged))) = (cx.path, primary) else {
        return;
    };
    let Some(readings) = file_name_ids(path) else {
        return;
    };
    let id = comparable(text, judged);
    if readings.iter().any(|c| c.id == id) {
        return;
    }
    let Some(named) = readings.first() else {
        return;
    };
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = record_extension(file).unwrap_or(".trial.yaml");
    let recommended = format!("{}{ext}", id.replace(['/', ':'], "_"));
    out.push(Diagnostic::new(
        Code::FileNameMismatch,
        node.span,
        format!(
            "the file name `{file}` names `{}`, but this record's `id` is `{id}`; rename the \
             file to `{recommended}` or correct the `id`",
            named.id
        ),
    ));
}

fn record_extension(file: &str) -> Option<&'static str> {
    [".trial.yaml", ".trial.yml", ".trial.json"]
        .into_iter()
        .find(|ext| file.len() > ext.len() && file.ends_with(ext))
}

/// Most underscores whose readings (`_`, `/` or `:`) are all tried.
const MAX_UNDERSCORES: u32 = 5;

/// The registry ids a record's file name can be read as: the name without
/// `.trial.*`, with each `_` read back as `/` or `:` (or kept). `None` when the
/// name is no registry id.
pub fn file_name_ids(path: &Path) -> Option<Vec<Canonical>> {
    let file = path.file_name()?.to_str()?;
    let stem = &file[..file.len() - record_extension(file)?.len()];
    let mut found: Vec<Canonical> = Vec::new();
    let mut add = |c: Option<Canonical>| {
        if let Some(c) = c {
            if !found.contains(&c) {
                found.push(c);
            }
        }
    };
    add(ids::canonical(stem));
    let underscores = stem.matches('_').count() as u32;
    if underscores <= MAX_UNDERSCORES {
        for mut n in 0..3u32.pow(underscores) {
            let name: String = stem
                .chars()
                .map(|ch| {
                    if ch != '_' {
                        return ch;
                    }
                    let pick = ['_', '/', ':'][(n % 3) as usize];
                    n /= 3;
                    pick
                })
                .collect();
            add(ids::canonical(&name));
        }
    }
    (!found.is_empty()).then_some(found)
}

/// Replace a scalar, keeping its quotes; an unquoted value is quoted where the
/// new text could not stand plain (JSON, flow collections, YAML indicators).
fn replace_value(text: &str, node: &Node, new: &str) -> TextEdit {
    let src = text.get(node.span.start..node.span.end).unwrap_or("");
    let quoted = src.starts_with(['"', '\'']);
    if quoted {
        return super::schema::replace_keeping_quotes(text, node, new);
    }
    let json_like = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let needs_quotes = new.is_empty()
        || new.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', ' ',
        ])
        || new.ends_with([' ', ':'])
        || new.contains(": ")
        || new.contains(" #")
        || new.contains([',', '[', ']', '{', '}']);
    let is_number = matches!(
        crate::syntax::resolve_plain(new),
        ScalarKind::Int(_) | ScalarKind::Float(_)
    );
    let new_text = if (json_like && !is_number) || needs_quotes {
        serde_json::to_string(new).unwrap_or_else(|_| new.to_string())
    } else {
        new.to_string()
    };
    TextEdit {
        span: node.span,
        new_text,
    }
}

/// A value quoted for a message: `` `x` ``, or "an empty value".
fn quote(s: &str) -> String {
    if s.trim().is_empty() {
        "an empty value".into()
    } else {
        format!("`{}`", shorten(s))
    }
}

/// A value shortened for a message.
fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out.replace('\n', " ")
}

/// Delete item `index` of a list, with its line (block list) or its comma (flow
/// list). `None` where that cannot be done cleanly.
fn remove_item(text: &str, seq: &Node, index: usize) -> Option<TextEdit> {
    let items = seq.as_seq()?;
    let item = items.get(index)?;
    if !(seq.span.start <= item.span.start && item.span.end <= seq.span.end) {
        return None;
    }
    if is_flow(text, seq) {
        let between = |a: usize, b: usize| {
            text.get(a..b).is_some_and(|s| {
                s.chars().all(|c| c.is_whitespace() || c == ',') && s.matches(',').count() == 1
            })
        };
        let span = if let Some(next) = items.get(index + 1) {
            between(item.span.end, next.span.start)
                .then(|| Span::new(item.span.start, next.span.start))
        } else if index > 0 {
            let prev = &items[index - 1];
            between(prev.span.end, item.span.start).then(|| Span::new(prev.span.end, item.span.end))
        } else {
            Some(seq.span)
        }?;
        let new_text = if span == seq.span { "[]" } else { "" };
        return Some(TextEdit {
            span,
            new_text: new_text.into(),
        });
    }
    // Block list: from the start of the item's `-` line to the end of its last line.
    let before = text.get(..item.span.start)?;
    let dash = before.trim_end_matches([' ', '\t']);
    let dash_at = dash.len().checked_sub(1)?;
    if !dash.ends_with('-') {
        return None;
    }
    let line_start = text[..dash_at].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..dash_at].chars().all(|c| c == ' ') {
        return None;
    }
    let end = line_end(text, item.span.end)?;
    Some(TextEdit {
        span: Span::new(line_start, end),
        new_text: String::new(),
    })
}

/// Delete a whole list: the key and its value when the key starts its line in a
/// block mapping, else the list becomes `[]`.
fn remove_list(text: &str, entry: &crate::syntax::Entry, seq: &Node) -> Option<TextEdit> {
    let key_start = entry.key.span.start;
    let line_start = text.get(..key_start)?.rfind('\n').map_or(0, |i| i + 1);
    let key_leads_line = text[line_start..key_start].chars().all(|c| c == ' ');
    if key_leads_line && !is_flow_mapping_member(text, entry) {
        if let Some(end) = line_end(text, seq.span.end.max(entry.key.span.end)) {
            return Some(TextEdit {
                span: Span::new(line_start, end),
                new_text: String::new(),
            });
        }
    }
    Some(TextEdit {
        span: seq.span,
        new_text: "[]".into(),
    })
}

/// A key inside `{…}` (JSON, or a YAML flow mapping) is followed by `,` or `}`
/// rather than ending its line.
fn is_flow_mapping_member(text: &str, entry: &crate::syntax::Entry) -> bool {
    let after = text.get(entry.value.span.end..).unwrap_or("");
    let next = after.trim_start_matches([' ', '\t', '\r', '\n']);
    next.starts_with([',', '}'])
        || text
            .get(entry.key.span.start..)
            .is_some_and(|k| k.starts_with('"'))
}

/// Whether deleting `span` could remove an anchor (`&name`) used elsewhere; such
/// deletions are not offered.
fn defines_anchor(text: &str, span: Span) -> bool {
    text.get(span.start..span.end)
        .is_none_or(|s| s.contains('&'))
}

fn is_flow(text: &str, seq: &Node) -> bool {
    text.get(seq.span.start..)
        .is_some_and(|s| s.starts_with('['))
}

/// The offset just past the line break ending the line at `at` (allowing only
/// spaces and a comment before it), or the end of the text.
fn line_end(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let line = rest.split('\n').next().unwrap_or("");
    let content = line.trim_end_matches('\r').trim_start_matches([' ', '\t']);
    if !(content.is_empty() || content.starts_with('#')) {
        return None;
    }
    Some((at + line.len() + 1).min(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str) -> Vec<String> {
        file_name_ids(Path::new(name))
            .unwrap_or_default()
            .into_iter()
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn file_names_are_read_back_as_registry_ids() {
        assert_eq!(read("NCT06853522.trial.yaml"), ["NCT06853522"]);
        assert_eq!(read("records/NCT06853522.trial.json"), ["NCT06853522"]);
        assert_eq!(
            read("CTRI_2020_05_025235.trial.yml"),
            ["CTRI/2020/05/025235"]
        );
        assert_eq!(read("PMCID_PMC12855734.trial.yaml"), ["PMCID:PMC12855734"]);
        assert_eq!(
            read("DOI_10.1177_2050313X251386547.trial.yaml"),
            ["DOI:10.1177/2050313X251386547"]
        );
        assert!(read("my-draft.trial.yaml").is_empty());
        assert!(read("NCT06853522.yaml").is_empty());
        assert!(read(".trial.yaml").is_empty());
        assert!(read("a_b_c_d_e_f_g_h_i.trial.yaml").is_empty());
    }

    #[test]
    fn replacements_are_quoted_where_plain_text_would_break() {
        let node = |text: &str, start: usize, end: usize| {
            Node::scalar(
                &text[start..end],
                ScalarKind::Str,
                false,
                Span::new(start, end),
            )
        };
        let yaml = "doi: x\n";
        assert_eq!(
            replace_value(yaml, &node(yaml, 5, 6), "10.1/a").new_text,
            "10.1/a"
        );
        assert_eq!(
            replace_value(yaml, &node(yaml, 5, 6), "10.1/a,b").new_text,
            "\"10.1/a,b\""
        );
        let json = "{\"pmcid\": 12855734}";
        assert_eq!(
            replace_value(json, &node(json, 10, 18), "PMC12855734").new_text,
            "\"PMC12855734\""
        );
        assert_eq!(
            replace_value(json, &node(json, 10, 18), "123").new_text,
            "123"
        );
        let quoted = "id: 'nct03765957'";
        assert_eq!(
            replace_value(quoted, &node(quoted, 4, 17), "NCT03765957").new_text,
            "'NCT03765957'"
        );
    }
}
