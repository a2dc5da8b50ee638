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
use crate::diagnostic::{Diagnostic, Fix};
use crate::ids::formats::{orcid_check, orcid_check_digit, IdKind};
use crate::ids::{self, Canonical, Likeness};
use crate::model::{Record, SecondaryId};
use crate::syntax::{Node, ScalarKind};

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
                        "`{}` is a non-canonical spelling of the `{}` id `{}`{}; write `{}`",
                        shorten(text),
                        c.registry,
                        c.id,
                        ids::eudract_suffix(text)
                            .map(|s| format!(
                                " (`{s}` is the country suffix of one national protocol page: \
                                 the trial is the number without it)"
                            ))
                            .unwrap_or_default(),
                        c.id
                    ),
                )
                .with_fix(fix(cx, node, &c.id, format!("write `{}`", c.id), true)),
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
        .with_fix(fix(cx, node, &c.id, format!("write `{}`", c.id), false)),
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
        .with_fix(fix(
            cx,
            node,
            &actual.code,
            format!("Set `registry` to `{}`", actual.code),
            true,
        )),
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
        // The whole list goes when every item repeats: its entry in a block
        // mapping, else the list becomes `[]`.
        let edit = cx.editor();
        let edit = if !all {
            edit.remove_item(&entry.value, i)
        } else if cx.root.is_flow() {
            edit.clear_list(&entry.value)
        } else {
            cx.root
                .as_map()
                .and_then(|m| m.iter().position(|e| std::ptr::eq(e, entry)))
                .and_then(|at| edit.remove_entry(cx.root, at))
                .or_else(|| edit.clear_list(&entry.value))
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
        .with_fix(edit.map(|e| Fix::new("Remove the repeated id", vec![e], true)));
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
        .with_fix(fix(cx, node, &fixed, format!("write `{fixed}`"), true)),
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

/// A fix writing `new` in place of an id value (through `syntax::edit`, which keeps
/// its style or quotes it where it must).
fn fix(cx: &Context, node: &Node, new: &str, title: String, safe: bool) -> Option<Fix> {
    cx.editor()
        .replace_scalar(node, new)
        .map(|e| Fix::new(title, vec![e], safe))
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
}
