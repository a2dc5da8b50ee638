//! What a record on disk contributes to the workspace index, read cheaply for
//! indexing a workspace at start-up: of a block-style YAML record only the top-level
//! sections the summary reads (`id`, `title`, `secondary_ids`, `related`) are
//! parsed, with the same parser, and their spans mapped back to the file. Most of a
//! record's bytes (its results, outcomes and arms) are never parsed. Anything less
//! plain than one mapping with its keys at column 0 — JSON, flow style, document
//! markers, quoted or complex keys, aliases in a kept section, a syntax error in the
//! kept sections — is read whole, so the summary is always the whole record's
//! (`tests` compare the two on every record the repository holds). The language
//! server's start-up indexing reaches it through `engine::summarize_sections`.

use std::path::Path;

use crate::model::RecordSummary;
use crate::syntax::{self, Span, Syntax};

/// The top-level keys a summary reads (see `RecordSummary::build`).
const KEYS: [&str; 4] = ["id", "title", "secondary_ids", "related"];

/// The record's summary, read from as little of the text as it needs.
pub fn summarize(bytes: &[u8], path: &Path) -> RecordSummary {
    if Syntax::from_path(path) == Syntax::Yaml {
        if let Some(summary) = std::str::from_utf8(bytes).ok().and_then(from_sections) {
            return summary;
        }
    }
    whole(bytes, path)
}

/// The summary of the whole record, parsed (one that is not UTF-8 has none).
pub fn whole(bytes: &[u8], path: &Path) -> RecordSummary {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return RecordSummary::default();
    };
    let parsed = syntax::parse(text, Syntax::from_path(path));
    parsed
        .root
        .as_ref()
        .map(RecordSummary::build)
        .unwrap_or_default()
}

/// A kept section: where it starts in the fragment and in the file, and its length.
struct Piece {
    at: usize,
    from: usize,
    len: usize,
}

/// The top-level key of a line at column 0 (`key:` followed by a space or the
/// line's end); `None` when the line is anything else.
fn top_level_key(line: &str) -> Option<&str> {
    let end = line.find(':')?;
    let key = &line[..end];
    let after = line[end + 1..].chars().next();
    let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (plain && matches!(after, None | Some(' ' | '\n' | '\r'))).then_some(key)
}

/// The summary from the kept sections alone; `None` where the text is not plain
/// enough to cut into sections (the caller reads it whole).
fn from_sections(text: &str) -> Option<RecordSummary> {
    let mut fragment = String::new();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut keep = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let from = offset;
        offset += line.len();
        match line.as_bytes().first() {
            // Inside the current section: indented lines, blank lines, comments,
            // and a sequence's items at column 0 (`related:` then `- NCT…`).
            Some(b' ' | b'\n' | b'\r' | b'#') => {}
            Some(b'-') if matches!(line.as_bytes().get(1), None | Some(b' ' | b'\n' | b'\r')) => {}
            _ => keep = KEYS.contains(&top_level_key(line)?),
        }
        if keep {
            match pieces.last_mut() {
                Some(p) if p.from + p.len == from => p.len += line.len(),
                _ => pieces.push(Piece {
                    at: fragment.len(),
                    from,
                    len: line.len(),
                }),
            }
            fragment.push_str(line);
        }
    }
    // An alias may name an anchor in a section left out.
    if fragment.contains('*') {
        return None;
    }
    if !fragment.ends_with('\n') {
        fragment.push('\n');
    }
    let parsed = syntax::parse(&fragment, Syntax::Yaml);
    if !parsed.errors.is_empty() {
        return None;
    }
    let mut summary = parsed
        .root
        .as_ref()
        .map(RecordSummary::build)
        .unwrap_or_default();
    let map = |span: &mut Span| {
        let piece = pieces
            .iter()
            .rev()
            .find(|p| p.at <= span.start)
            .unwrap_or(&pieces[0]);
        let shift = |o: usize| o - piece.at + piece.from;
        *span = Span::new(shift(span.start), shift(span.end));
    };
    if pieces.is_empty() {
        return Some(summary);
    }
    for (_, span) in summary
        .id
        .iter_mut()
        .chain(summary.secondary.iter_mut())
        .chain(summary.related.iter_mut())
    {
        map(span);
    }
    Some(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn records(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                records(&p, out);
            } else if [".trial.yaml", ".trial.yml", ".trial.json"]
                .iter()
                .any(|e| p.to_string_lossy().ends_with(e))
            {
                out.push(p);
            }
        }
    }

    #[test]
    fn the_summary_is_the_engines_for_every_record_in_the_repository() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        for dir in ["examples", "tests"] {
            records(&root.join(dir), &mut found);
        }
        assert!(found.len() > 100, "{} records", found.len());
        let mut cut = 0;
        for path in &found {
            let bytes = std::fs::read(path).unwrap();
            assert_eq!(
                summarize(&bytes, path),
                whole(&bytes, path),
                "{}",
                path.display()
            );
            cut += std::str::from_utf8(&bytes)
                .ok()
                .and_then(from_sections)
                .is_some() as usize;
        }
        assert!(
            cut > found.len() / 2,
            "only {cut} of {} read in sections",
            found.len()
        );
    }

    #[test]
    fn sections_at_column_zero_and_what_is_read_whole() {
        let path = Path::new("/w/a.trial.yaml");
        let text = "trf: 1\n# note\nid: NCT00000001\nresults:\n  - {outcome: x}\nsecondary_ids:\n- {id: NCT00000002, type: REGISTRY}\ntitle: |\n  A title\nrelated: [NCT00000003]";
        let cut = from_sections(text).expect("plain enough");
        assert_eq!(cut, whole(text.as_bytes(), path));
        let id = cut.id.as_ref().unwrap();
        assert_eq!(&text[id.1.start..id.1.end], "NCT00000001");
        let rel = &cut.related[0];
        assert_eq!(&text[rel.1.start..rel.1.end], "NCT00000003");
        // Not cut: flow style, quoted keys, document markers, aliases, bad syntax.
        for text in [
            "{trf: 1, id: NCT00000001}\n",
            "\"id\": NCT00000001\n",
            "---\nid: NCT00000001\n",
            "x: &a NCT00000001\nrelated: [*a]\n",
            "id: [NCT00000001\n",
        ] {
            assert!(from_sections(text).is_none(), "{text}");
            assert_eq!(
                summarize(text.as_bytes(), path),
                whole(text.as_bytes(), path),
                "{text}"
            );
        }
    }
}
