//! The document's outline (arms with their cohorts, interventions, outcomes, results,
//! sources), folding
//! ranges and links (URLs, DOIs, PMIDs, PMCIDs, registry record pages).

use super::context::Seg;
use super::doc;
use super::tree;
use super::{Link, OutlineItem, OutlineKind};
use crate::ids;
use crate::syntax::{LineIndex, Node, NodeKind, Span, Syntax};

const SECTIONS: [(&str, OutlineKind); 5] = [
    ("arms", OutlineKind::Arm),
    ("interventions", OutlineKind::Intervention),
    ("outcomes", OutlineKind::Outcome),
    ("results", OutlineKind::Result),
    ("sources", OutlineKind::Source),
];

/// A span without the whitespace at its end (block collections and scalars run on
/// to the next line's indentation).
fn trim(text: &str, span: Span) -> Span {
    let inner = text.get(span.start..span.end).unwrap_or("");
    Span::new(span.start, span.start + inner.trim_end().len())
}

/// One root item for the record, with a section per list and an item per entry.
pub fn document_symbols(text: &str, syntax: Syntax) -> Vec<OutlineItem> {
    let text = &*crate::ide::lf_lines(text);
    let Some(root) = doc::record(text, syntax).filter(|r| r.as_map().is_some()) else {
        return Vec::new();
    };
    let root = &root;
    let id = root.get("id");
    let name = id
        .and_then(Node::text)
        .filter(|t| !t.is_empty())
        .unwrap_or("record")
        .to_string();
    let selection = id.map_or(Span::empty(root.span.start), |n| tree::inner(text, n.span));
    let mut children = Vec::new();
    for (list, kind) in SECTIONS {
        let Some(entry) = root.entry(list) else {
            continue;
        };
        let Some(items) = entry.value.as_seq() else {
            continue;
        };
        let entries: Vec<OutlineItem> = items
            .iter()
            .enumerate()
            .map(|(i, item)| entry_item(text, kind, i, item))
            .collect();
        children.push(OutlineItem {
            name: list.to_string(),
            detail: Some(match items.len() {
                1 => "1 entry".to_string(),
                n => format!("{n} entries"),
            }),
            kind: OutlineKind::Section,
            span: trim(text, entry.key.span.cover(entry.value.span)),
            selection: tree::inner(text, entry.key.span),
            children: entries,
        });
    }
    vec![OutlineItem {
        name,
        detail: tree::text_of(root, "title").map(String::from),
        kind: OutlineKind::Record,
        span: trim(text, root.span),
        selection,
        children,
    }]
}

/// A quantity (`2.5 L` or `{value: 2.5, unit: L}`) as text.
fn quantity_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Scalar(s) if !s.text.is_empty() => Some(s.text.clone()),
        NodeKind::Map(_) => Some(format!(
            "{} {}",
            tree::text_of(node, "value")?,
            tree::text_of(node, "unit")?
        )),
        _ => None,
    }
}

fn entry_item(text: &str, kind: OutlineKind, index: usize, item: &Node) -> OutlineItem {
    let id = item
        .get("id")
        .filter(|n| n.text().is_some_and(|t| !t.is_empty()));
    let (name, selection) = match (kind, id) {
        (OutlineKind::Result, _) => {
            let part = |k: &str| {
                item.get(k)
                    .and_then(quantity_text)
                    .unwrap_or_else(|| "?".to_string())
            };
            let name = format!(
                "{} / {} @ {}",
                part("outcome"),
                part("arm"),
                part("timepoint")
            );
            let sel = item
                .get("outcome")
                .map_or(Span::empty(item.span.start), |n| tree::inner(text, n.span));
            (name, sel)
        }
        (_, Some(n)) => (
            n.text().unwrap_or("").to_string(),
            tree::inner(text, n.span),
        ),
        (_, None) => (format!("#{}", index + 1), Span::empty(item.span.start)),
    };
    let detail = match kind {
        OutlineKind::Arm | OutlineKind::Cohort => tree::text_of(item, "label").map(String::from),
        OutlineKind::Intervention => tree::text_of(item, "name").map(String::from),
        OutlineKind::Outcome => tree::text_of(item, "title").map(String::from),
        OutlineKind::Source => tree::text_of(item, "title")
            .or_else(|| tree::text_of(item, "kind"))
            .map(String::from),
        OutlineKind::Result => ["mean", "median", "value"].into_iter().find_map(|k| {
            item.get(k)
                .and_then(quantity_text)
                .map(|q| format!("{k} {q}"))
        }),
        _ => None,
    };
    let children = match kind {
        OutlineKind::Arm => item
            .get("cohorts")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .map(|(i, c)| entry_item(text, OutlineKind::Cohort, i, c))
            .collect(),
        _ => Vec::new(),
    };
    OutlineItem {
        name,
        detail,
        kind,
        span: trim(text, item.span),
        selection,
        children,
    }
}

/// Every mapping or list spanning more than one line (from its key's line when it
/// is a key's value), and YAML block scalars.
pub fn folding_ranges(text: &str, syntax: Syntax) -> Vec<Span> {
    let text = &*crate::ide::lf_lines(text);
    let Some(root) = doc::record(text, syntax) else {
        return Vec::new();
    };
    let root = &root;
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    fold(text, &lines, root, None, syntax == Syntax::Yaml, &mut out);
    out.sort();
    out.dedup();
    out
}

fn fold(
    text: &str,
    lines: &LineIndex,
    node: &Node,
    from: Option<usize>,
    skip_self: bool,
    out: &mut Vec<Span>,
) {
    let mut push = |start: usize, end: usize| {
        let end = start + text.get(start..end).unwrap_or("").trim_end().len();
        if end > start && lines.line_of(start) < lines.line_of(end) {
            out.push(Span::new(start, end));
        }
    };
    let start = from.unwrap_or(node.span.start);
    match &node.kind {
        NodeKind::Map(entries) => {
            if !skip_self {
                push(start, node.span.end);
            }
            for e in entries {
                fold(text, lines, &e.value, Some(e.key.span.start), false, out);
            }
        }
        NodeKind::Seq(items) => {
            if !skip_self {
                push(start, node.span.end);
            }
            for item in items {
                fold(text, lines, item, None, false, out);
            }
        }
        NodeKind::Scalar(s) => {
            // A block scalar is `quoted` without a quote; its span starts at its
            // content, below the `|` or `>`.
            let source = text.get(node.span.start..node.span.end).unwrap_or("");
            if s.quoted() && !source.starts_with(['"', '\'']) {
                push(start, node.span.end);
            }
        }
    }
}

/// Links: `url` values and any http(s) URL in text, DOIs, PMIDs, PMCIDs and
/// registry ids with a record page.
pub fn document_links(text: &str, syntax: Syntax) -> Vec<Link> {
    let text = &*crate::ide::lf_lines(text);
    let Some(root) = doc::record(text, syntax) else {
        return Vec::new();
    };
    let root = &root;
    let mut out = Vec::new();
    let mut path = Vec::new();
    links(text, root, &mut path, None, &mut out);
    out.sort_by_key(|l| l.span);
    out.dedup();
    out
}

fn links(text: &str, node: &Node, path: &mut Vec<Seg>, map: Option<&Node>, out: &mut Vec<Link>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                path.push(Seg::Key(e.key_text().unwrap_or("").to_string()));
                links(text, &e.value, path, Some(node), out);
                path.pop();
            }
        }
        NodeKind::Seq(items) => {
            for item in items {
                path.push(Seg::Item);
                links(text, item, path, None, out);
                path.pop();
            }
        }
        NodeKind::Scalar(s) => {
            let span = tree::inner(text, node.span);
            let value = s.text.trim();
            if !value.is_empty() {
                let key = match path.last() {
                    Some(Seg::Key(k)) => k.as_str(),
                    _ => "",
                };
                if let Some(target) = identifier_link(key, value, path, map) {
                    out.push(Link { span, target });
                }
            }
            let source = text.get(node.span.start..node.span.end).unwrap_or("");
            for (at, url) in urls(source) {
                out.push(Link {
                    span: Span::new(node.span.start + at, node.span.start + at + url.len()),
                    target: url.to_string(),
                });
            }
        }
    }
}

fn pubmed(pmid: &str) -> String {
    format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
}

fn pmc(pmcid: &str) -> String {
    format!("https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/")
}

fn doi(doi: &str) -> String {
    format!("https://doi.org/{doi}")
}

/// The page of a DOI, PMID, PMCID or registry id at this path.
fn identifier_link(key: &str, value: &str, path: &[Seg], map: Option<&Node>) -> Option<String> {
    match key {
        "doi" if value.starts_with("10.") => return Some(doi(value)),
        "pmid" if value.bytes().all(|b| b.is_ascii_digit()) => return Some(pubmed(value)),
        "pmcid" if value.starts_with("PMC") => return Some(pmc(value)),
        _ => {}
    }
    if !tree::registry_position(path) {
        return None;
    }
    if path.first() == Some(&Seg::Key("secondary_ids".into()))
        && map.and_then(|m| tree::text_of(m, "type")) != Some("REGISTRY")
        && ids::canonical(value).is_none()
    {
        return None;
    }
    let canon = ids::canonical(value)?;
    if let Some(url) = ids::registry(canon.registry).and_then(|r| r.url(&canon.id)) {
        return Some(url);
    }
    // Publications: their PubMed, PMC or DOI page.
    let id = canon.id.as_str();
    if let Some(p) = id.strip_prefix("PMID:") {
        return Some(pubmed(p));
    }
    if let Some(p) = id.strip_prefix("PMCID:") {
        return Some(pmc(p));
    }
    id.strip_prefix("DOI:").map(doi)
}

/// The http(s) URLs in a text, with their offsets.
fn urls(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find("http").map(|i| from + i) {
        let rest = &s[i..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            from = i + 4;
            continue;
        };
        // Not in the middle of a word (`xhttp://`).
        if i > 0
            && s[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            from = i + scheme;
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .unwrap_or(rest.len());
        let mut url = &rest[..end];
        // Trailing punctuation belongs to the sentence, an unmatched closer too.
        loop {
            let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
            let trimmed = match trimmed.chars().last() {
                Some(c @ (')' | ']' | '}')) => {
                    let open = match c {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    if trimmed.matches(open).count() < trimmed.matches(c).count() {
                        &trimmed[..trimmed.len() - 1]
                    } else {
                        trimmed
                    }
                }
                _ => trimmed,
            };
            if trimmed.len() == url.len() {
                break;
            }
            url = trimmed;
        }
        if url.len() > scheme {
            out.push((i, url));
        }
        from = i + end.max(scheme);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::urls;

    #[test]
    fn urls_in_text_leave_sentence_punctuation_out() {
        let s = "see https://a.org/x. and (http://b.org/y_(z)), also xhttp://no and https://";
        let found: Vec<&str> = urls(s).into_iter().map(|(_, u)| u).collect();
        assert_eq!(found, ["https://a.org/x", "http://b.org/y_(z)"]);
        let (at, u) = urls(s)[0];
        assert_eq!(&s[at..at + u.len()], u);
    }
}
