//! "Ignore CODE on this line": the `# trls: ignore[CODE]` suppression that silences
//! one code on the line holding a finding. It joins a suppression already applying
//! to that line (`# trls: ignore[TRF013]` becomes `# trls: ignore[TRF013, TRF203]`);
//! otherwise it is a new comment at the end of the line, or on a line of its own
//! before it where the line cannot take one (the edit layer decides and proves it).
//! YAML only: JSON has no comments.

use crate::codes::Code;
use crate::syntax::edit::{Editor, TextEdit};
use crate::syntax::{directive_line, parse, LineIndex, Span, Syntax};

/// The edit that silences `code` on the line holding the offset `at`, if it can
/// be written there.
pub fn ignore_edit(text: &str, syntax: Syntax, code: Code, at: usize) -> Option<TextEdit> {
    if syntax != Syntax::Yaml {
        return None;
    }
    let editor = Editor::new(text, syntax);
    let lines = LineIndex::new(text);
    let line = lines.line_of(at.min(text.len()));
    let parsed = parse(text, syntax);
    for c in &parsed.comments {
        let Some(directive) = c.ignore_directive() else {
            continue;
        };
        let (Some(list), rest) = (directive.codes, directive.rest) else {
            continue;
        };
        if directive_line(text, &lines, c.span) != line {
            continue;
        }
        if list.iter().any(|l| l.eq_ignore_ascii_case(code.as_str())) {
            return None; // already silenced: the finding would not be shown
        }
        let mut codes = list;
        codes.push(code.as_str());
        let body = format!("trls: ignore[{}]{rest}", codes.join(", "));
        let span = Span::new(c.span.start, c.span.start + 1 + c.text.trim_end().len());
        return editor.reword_comment(span, body.trim_end());
    }
    editor.comment_line(at, &format!("trls: ignore[{}]", code.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::edit::apply;

    fn ignore(text: &str, at: &str, code: Code) -> Option<String> {
        let edit = ignore_edit(text, Syntax::Yaml, code, text.find(at).unwrap())?;
        Some(apply(text, &[edit]))
    }

    #[test]
    fn a_new_suppression_trails_the_line() {
        assert_eq!(
            ignore("a: 1\nstatus: X\n", "X", Code::UnknownTerm).as_deref(),
            Some("a: 1\nstatus: X # trls: ignore[TRF013]\n")
        );
    }

    #[test]
    fn an_existing_suppression_of_the_line_takes_the_code() {
        let text = "a: 1\nv: 9 # trls: ignore[TRF013] checked by hand\n";
        assert_eq!(
            ignore(text, "9", Code::ImplausibleValue).as_deref(),
            Some("a: 1\nv: 9 # trls: ignore[TRF013, TRF203] checked by hand\n")
        );
        let text = "a: 1\n  # trls: ignore[TRF013]\nv: 9\n";
        assert_eq!(
            ignore(text, "9", Code::ImplausibleValue).as_deref(),
            Some("a: 1\n  # trls: ignore[TRF013, TRF203]\nv: 9\n")
        );
        // Already silenced there: nothing to add.
        assert_eq!(
            ignore("v: 9 # trls: ignore[trf203]\n", "9", Code::ImplausibleValue),
            None
        );
    }

    #[test]
    fn another_comment_on_the_line_moves_it_to_the_line_before() {
        assert_eq!(
            ignore("arms:\n  - id: a # first\n", "id", Code::UnknownKey).as_deref(),
            Some("arms:\n  # trls: ignore[TRF011]\n  - id: a # first\n")
        );
    }

    #[test]
    fn json_has_no_suppressions() {
        assert_eq!(
            ignore_edit("{\"a\": 1}", Syntax::Json, Code::UnknownKey, 1),
            None
        );
    }
}
