//! Comments written into YAML: a comment that applies to one line (at the end of
//! that line, or on a line of its own just before it) and the rewording of a
//! comment. Each edit is proven by parsing its result: the document reads as the
//! same values, with no new syntax error, and the comment is where it was meant to
//! be; an edit that cannot be proven is not offered.

use super::{apply, Editor, TextEdit};
use crate::syntax::{clamp_to_char_boundary, parse, LineIndex, Parsed, Span, Syntax};

impl Editor<'_> {
    /// `# body` applying to the line that holds `at`: at the end of that line when
    /// it can take a trailing comment, else (it ends inside a scalar, or it has a
    /// comment already) on a line of its own just before it, with its indentation.
    /// YAML only; `None` for JSON, a blank line, or where neither placement reads
    /// back as the same document with the comment in place.
    pub fn comment_line(&self, at: usize, body: &str) -> Option<TextEdit> {
        if self.syntax != Syntax::Yaml || body.contains(['\n', '\r']) {
            return None;
        }
        let text = self.text;
        let lines = LineIndex::new(text);
        let line = lines.line_of(clamp_to_char_boundary(text, at.min(text.len())));
        let start = lines.line_start(line);
        let content = lines.line_text(text, line);
        let kept = content.trim_end_matches([' ', '\t']);
        if kept.trim().is_empty() {
            return None;
        }
        let before = parse(text, Syntax::Yaml);
        // At the end of the line.
        let end = start + kept.len();
        let trailing = TextEdit::new(Span::new(end, start + content.len()), format!(" # {body}"));
        if self.proven(&before, &trailing, end + 1, body) {
            return Some(trailing);
        }
        // On a line of its own before it, with the document's line break.
        let indent = &content[..content.len() - content.trim_start_matches([' ', '\t']).len()];
        let after = &text[start + content.len()..];
        let brk = if after.starts_with("\r\n") {
            "\r\n"
        } else if after.starts_with('\r') {
            "\r"
        } else {
            "\n"
        };
        let own = TextEdit::new(Span::empty(start), format!("{indent}# {body}{brk}"));
        self.proven(&before, &own, start + indent.len(), body)
            .then_some(own)
    }

    /// The comment at `comment` (its `#` through the end of its text) reworded to
    /// `# body`; `None` where the result would not read back as the same document
    /// with that comment.
    pub fn reword_comment(&self, comment: Span, body: &str) -> Option<TextEdit> {
        if self.syntax != Syntax::Yaml
            || body.contains(['\n', '\r'])
            || !self.text.get(comment.start..comment.end)?.starts_with('#')
        {
            return None;
        }
        let before = parse(self.text, Syntax::Yaml);
        let edit = TextEdit::new(comment, format!("# {body}"));
        self.proven(&before, &edit, comment.start, body)
            .then_some(edit)
    }

    /// Whether the text with `edit` reads as the same values as `before`, with no
    /// more syntax errors, and holds the comment `body` starting at `at`.
    fn proven(&self, before: &Parsed, edit: &TextEdit, at: usize, body: &str) -> bool {
        let new = apply(self.text, std::slice::from_ref(edit));
        let after = parse(&new, Syntax::Yaml);
        after.errors.len() <= before.errors.len()
            && after.root.as_ref().map(|r| r.to_json()) == before.root.as_ref().map(|r| r.to_json())
            && after
                .comments
                .iter()
                .any(|c| c.span.start == at && c.text.trim() == body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(text: &str, at: &str, body: &str) -> Option<String> {
        let offset = text.find(at).unwrap();
        let edit = Editor::new(text, Syntax::Yaml).comment_line(offset, body)?;
        Some(apply(text, &[edit]))
    }

    #[test]
    fn a_comment_goes_at_the_end_of_the_line() {
        let text = "a: 1\nb: [x, y]   \nc: 3\n";
        assert_eq!(
            comment(text, "y", "note").as_deref(),
            Some("a: 1\nb: [x, y] # note\nc: 3\n")
        );
    }

    #[test]
    fn a_line_that_cannot_take_one_gets_it_on_the_line_before_with_its_indentation() {
        // The line has a comment already.
        let text = "a:\n  b: 1 # why\n";
        assert_eq!(
            comment(text, "b", "note").as_deref(),
            Some("a:\n  # note\n  b: 1 # why\n")
        );
        // The line ends inside a multi-line plain scalar.
        let text = "a: 1\nt: two\n  lines\n";
        assert_eq!(
            comment(text, "t:", "note").as_deref(),
            Some("a: 1\n# note\nt: two\n  lines\n")
        );
        // CRLF stays CRLF.
        let text = "a: 1\r\nb: 'x\r\n  y'\r\n";
        assert_eq!(
            comment(text, "b:", "note").as_deref(),
            Some("a: 1\r\n# note\r\nb: 'x\r\n  y'\r\n")
        );
    }

    #[test]
    fn no_comment_where_it_would_change_the_document() {
        // Inside a block scalar, neither placement is a comment.
        let text = "d: |\n  one\n  two\n";
        assert_eq!(comment(text, "two", "note"), None);
        // JSON has no comments.
        let json = "{\"a\": 1}";
        assert_eq!(
            Editor::new(json, Syntax::Json).comment_line(1, "note"),
            None
        );
        // A blank line has nothing to apply to.
        let text = "a: 1\n\nb: 2\n";
        assert_eq!(Editor::new(text, Syntax::Yaml).comment_line(5, "x"), None);
    }

    #[test]
    fn a_comment_is_reworded_in_place() {
        let text = "a: 1 # trls: ignore[TRF013]\n";
        let at = text.find('#').unwrap();
        let edit = Editor::new(text, Syntax::Yaml)
            .reword_comment(
                Span::new(at, text.len() - 1),
                "trls: ignore[TRF013, TRF203]",
            )
            .unwrap();
        assert_eq!(
            apply(text, &[edit]),
            "a: 1 # trls: ignore[TRF013, TRF203]\n"
        );
    }
}
