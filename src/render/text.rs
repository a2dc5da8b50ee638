//! The text format, for people: per diagnostic a header line
//! `path:line:column: severity[CODE]: message`, a code frame with the range
//! underlined, its related locations as `= note:` lines and its fix as a diff of the
//! lines it changes; then a summary line. The fixture expectations are this format.

use std::fmt::Write as _;

use super::{related, summary, FileReport, Files, Source, Summary};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::syntax::LineIndex;

#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// ANSI colors (a terminal without `NO_COLOR`).
    pub color: bool,
}

struct Paint(bool);

impl Paint {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.0 && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Every diagnostic of every report, then the summary line
/// `N errors, N warnings, N infos in N files`.
pub fn text<F: Files + ?Sized>(reports: &[FileReport], files: &F, options: TextOptions) -> String {
    let mut out = text_diagnostics(reports, files, options);
    out.push_str(&summary_line(&summary(reports)));
    out.push('\n');
    out
}

/// Every diagnostic of every report, each followed by a blank line (no summary).
pub fn text_diagnostics<F: Files + ?Sized>(
    reports: &[FileReport],
    files: &F,
    options: TextOptions,
) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.checked.diagnostics {
            out.push_str(&diagnostic(report, d, files, options));
            out.push('\n');
        }
    }
    out
}

/// `N errors, N warnings, N infos in N files` (no line end).
pub fn summary_line(s: &Summary) -> String {
    format!(
        "{}, {}, {} in {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info"),
        plural(s.files, "file")
    )
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A line of the file as shown: no line break, no byte order mark.
fn shown<'a>(source: Source<'a>, line: usize) -> &'a str {
    source
        .lines
        .line_text(source.text, line)
        .trim_start_matches('\u{feff}')
}

/// One diagnostic: header, code frame, notes and fix.
fn diagnostic<F: Files + ?Sized>(
    report: &FileReport,
    d: &Diagnostic,
    files: &F,
    options: TextOptions,
) -> String {
    let p = Paint(options.color);
    let source = report.checked.source();
    let range = source.range(d.span);
    let hunks = d.fix.as_ref().map(|f| hunks(source, f)).unwrap_or_default();
    let widest = hunks
        .iter()
        .map(|h| h.first + h.old.len().max(h.new.len()))
        .chain([range.line])
        .max()
        .unwrap_or(1);
    let width = widest.to_string().len();
    let pad = " ".repeat(width);
    let bar = p.paint("34", "|");
    let sev = d.severity.as_str();
    // Errors red, warnings yellow, infos blue, hints dim: label and underline.
    let tone = match d.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;34",
        Severity::Hint => "2",
    };
    let sev = p.paint(tone, sev);
    let (finding, help) = split_message(&d.message);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}:{}:{}: {sev}[{}]: {}",
        report.path.display(),
        range.line,
        range.column,
        d.code,
        finding
    );
    // The frame: the first line of the range, underlined (to its end when the range
    // goes on to later lines).
    let src = shown(source, range.line - 1);
    let start = range.column - 1;
    let taken = if range.end_line == range.line {
        range.end_column.saturating_sub(range.column)
    } else {
        usize::MAX
    };
    let len = src
        .chars()
        .skip(start)
        .take(taken)
        .map(char_width)
        .sum::<usize>()
        .max(1);
    let lead: String = src
        .chars()
        .take(start)
        .map(|ch| {
            if ch == '\t' {
                "\t"
            } else if char_width(ch) == 2 {
                "  "
            } else {
                " "
            }
        })
        .collect();
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(
        out,
        "{} {bar}{}",
        p.paint("34", &format!("{:>width$}", range.line)),
        prefixed(src)
    );
    let _ = writeln!(out, "{pad} {bar} {lead}{}", p.paint(tone, &"^".repeat(len)));
    for r in related(report, d, files) {
        let at = match r.range {
            Some(at) => format!("{}:{}:{}", r.path.display(), at.line, at.column),
            None => r.path.display().to_string(),
        };
        let _ = writeln!(
            out,
            "{pad} = {}: {} ({at})",
            p.paint("1", "note"),
            r.message
        );
    }
    if let Some(help) = help {
        let _ = writeln!(out, "{pad} = {}: {help}", p.paint("1", "help"));
    }
    if let Some(fix) = &d.fix {
        let unsafe_ = if fix.safe { "" } else { " (unsafe)" };
        let _ = writeln!(
            out,
            "{pad} = {}{unsafe_}: {}",
            p.paint("1", "fix"),
            fix.title
        );
        for h in &hunks {
            let _ = writeln!(out, "{pad} {bar}");
            for (i, l) in h.old.iter().enumerate() {
                let n = format!("{:>width$} -", h.first + i);
                let _ = writeln!(out, "{}", p.paint("31", &format!("{n}{}", prefixed(l))));
            }
            for (i, l) in h.new.iter().enumerate() {
                let n = format!("{:>width$} +", h.first + i);
                let _ = writeln!(out, "{}", p.paint("32", &format!("{n}{}", prefixed(l))));
            }
        }
    }
    out
}

/// Messages longer than this are shown as the finding and a `help:` line.
const LONG_MESSAGE: usize = 100;

/// A long message split at its first `; ` outside backticks: the finding, then
/// what to do (`= help:`). A short one, or one without such a break, is whole.
fn split_message(message: &str) -> (&str, Option<&str>) {
    if message.chars().count() <= LONG_MESSAGE {
        return (message, None);
    }
    let mut quoted = false;
    for (i, ch) in message.char_indices() {
        match ch {
            '`' => quoted = !quoted,
            ';' if !quoted && message[i + 1..].starts_with(' ') => {
                let rest = message[i + 2..].trim();
                if !rest.is_empty() {
                    return (&message[..i], Some(rest));
                }
            }
            _ => {}
        }
    }
    (message, None)
}

/// Columns a character takes in a terminal: two for East Asian wide and fullwidth
/// characters (and emoji), so that the underline stands under them.
fn char_width(ch: char) -> usize {
    match ch as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// ` text`, or nothing for an empty line (no trailing space).
fn prefixed(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" {s}")
    }
}

/// The lines a fix changes: the old ones and the new ones, from 1-based line
/// `first` (both sides are numbered from there).
#[derive(Debug, PartialEq, Eq)]
struct Hunk {
    first: usize,
    old: Vec<String>,
    new: Vec<String>,
}

/// The lines of a piece of text, as the line index splits them; a final line break
/// does not open another line.
fn lines_of(text: &str) -> Vec<String> {
    let index = LineIndex::new(text);
    let mut lines: Vec<String> = (0..index.line_count())
        .map(|l| {
            index
                .line_text(text, l)
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    if index.line_count() > 0 && index.line_start(index.line_count() - 1) >= text.len() {
        lines.pop();
    }
    lines
}

/// Group a fix's edits by the lines they touch (edits on the same or adjacent lines
/// make one hunk) and show each group's lines before and after.
fn hunks(source: Source, fix: &Fix) -> Vec<Hunk> {
    let text = source.text;
    let lines = source.lines;
    let mut edits: Vec<_> = fix
        .edits
        .iter()
        .filter(|e| {
            e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        })
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    // (first line, last line, edits), 0-based lines.
    let mut groups: Vec<(usize, usize, Vec<&crate::diagnostic::TextEdit>)> = Vec::new();
    for e in edits {
        let first = lines.line_of(e.span.start);
        let mut last = lines.line_of(e.span.end);
        // A range that ends where a line starts (a removed line with its line break)
        // does not touch that line.
        if e.span.end > e.span.start && lines.line_start(last) == e.span.end && last > first {
            last -= 1;
        }
        match groups.last_mut() {
            Some(g) if first <= g.1 + 1 => {
                g.1 = g.1.max(last);
                g.2.push(e);
            }
            _ => groups.push((first, last, vec![e])),
        }
    }
    let mut out = Vec::new();
    for (first, last, edits) in groups {
        let start = lines.line_start(first);
        let end = if last + 1 < lines.line_count() {
            lines.line_start(last + 1)
        } else {
            text.len()
        };
        let end = edits.iter().map(|e| e.span.end).fold(end, usize::max);
        let mut new = String::new();
        let mut at = start;
        for e in edits {
            if e.span.start < at {
                continue; // overlapping edits: the first wins, as `--fix` does
            }
            new.push_str(&text[at..e.span.start]);
            new.push_str(&e.new_text);
            at = e.span.end;
        }
        new.push_str(&text[at..end]);
        let mut old = lines_of(&text[start..end]);
        let mut new = lines_of(&new);
        // Lines the fix leaves as they were are not part of its diff.
        let mut first = first + 1;
        while !old.is_empty() && !new.is_empty() && old[0] == new[0] {
            old.remove(0);
            new.remove(0);
            first += 1;
        }
        while !old.is_empty() && !new.is_empty() && old.last() == new.last() {
            old.pop();
            new.pop();
        }
        if !old.is_empty() || !new.is_empty() {
            out.push(Hunk { first, old, new });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::TextEdit;
    use crate::syntax::Span;

    fn hunks_of(text: &str, edits: &[(usize, usize, &str)]) -> Vec<Hunk> {
        let lines = LineIndex::new(text);
        let fix = Fix {
            title: String::new(),
            edits: edits
                .iter()
                .map(|&(s, e, t)| TextEdit {
                    span: Span::new(s, e),
                    new_text: t.into(),
                })
                .collect(),
            safe: true,
        };
        hunks(
            Source {
                text,
                lines: &lines,
            },
            &fix,
        )
    }

    fn hunk(first: usize, old: &[&str], new: &[&str]) -> Hunk {
        Hunk {
            first,
            old: old.iter().map(|s| s.to_string()).collect(),
            new: new.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_replacement_shows_its_line_before_and_after() {
        let text = "a: 1\nb: x\nc: 3\n";
        assert_eq!(
            hunks_of(text, &[(8, 9, "2")]),
            [hunk(2, &["b: x"], &["b: 2"])]
        );
    }

    #[test]
    fn a_removed_line_and_an_inserted_one() {
        let text = "a: 1\nb: 2\nc: 3\n";
        assert_eq!(hunks_of(text, &[(5, 10, "")]), [hunk(2, &["b: 2"], &[])]);
        assert_eq!(
            hunks_of(text, &[(5, 5, "x: 0\n")]),
            [hunk(2, &[], &["x: 0"])]
        );
        // At the end of a file without a final line break.
        assert_eq!(
            hunks_of("a: 1", &[(4, 4, "\nb: 2")]),
            [hunk(2, &[], &["b: 2"])]
        );
    }

    #[test]
    fn distant_edits_are_separate_hunks_near_ones_one() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\n";
        let h = hunks_of(text, &[(3, 4, "9"), (18, 19, "8")]);
        assert_eq!(
            h,
            [hunk(1, &["a: 1"], &["a: 9"]), hunk(4, &["d: 4"], &["d: 8"])]
        );
        let h = hunks_of(text, &[(3, 4, "9"), (8, 9, "8")]);
        assert_eq!(h, [hunk(1, &["a: 1", "b: 2"], &["a: 9", "b: 8"])]);
    }

    fn one(severity: Severity, message: &str) -> FileReport {
        let text = "trf: 1\n";
        let mut d = Diagnostic::new(crate::codes::Code::UnknownKey, Span::new(0, 3), message);
        d.severity = severity;
        FileReport {
            path: "r.trial.yaml".into(),
            checked: crate::engine::Checked {
                text: text.into(),
                lines: LineIndex::new(text),
                diagnostics: vec![d],
            },
        }
    }

    #[test]
    fn severities_have_their_colors_and_plain_output_has_none() {
        for (severity, tone) in [
            (Severity::Error, "\x1b[1;31m"),
            (Severity::Warning, "\x1b[1;33m"),
            (Severity::Info, "\x1b[1;34m"),
            (Severity::Hint, "\x1b[2m"),
        ] {
            let reports = [one(severity, "m")];
            let shown = text(
                &reports,
                &super::super::NoFiles,
                TextOptions { color: true },
            );
            let label = format!("{tone}{}\x1b[0m[", severity.as_str());
            assert!(shown.contains(&label), "{shown:?}");
            assert!(shown.contains(&format!("{tone}^^^\x1b[0m")), "{shown:?}");
            let plain = text(
                &reports,
                &super::super::NoFiles,
                TextOptions { color: false },
            );
            assert!(!plain.contains('\x1b'), "{plain:?}");
        }
    }

    #[test]
    fn a_long_message_is_the_finding_and_a_help_line() {
        let long = format!(
            "the `{}` is wrong; here; and `a; b` kept",
            "x".repeat(LONG_MESSAGE)
        );
        assert_eq!(
            split_message(&long),
            (
                &long[..long.find(';').unwrap()],
                Some("here; and `a; b` kept")
            )
        );
        assert_eq!(split_message("short; message"), ("short; message", None));
        let quoted = format!("`{}; y`", "x".repeat(LONG_MESSAGE));
        assert_eq!(split_message(&quoted), (quoted.as_str(), None));
        let reports = [one(Severity::Error, &long)];
        let shown = text(&reports, &super::super::NoFiles, TextOptions::default());
        assert!(
            shown.contains("\n  = help: here; and `a; b` kept\n"),
            "{shown}"
        );
        assert!(!shown.lines().next().unwrap().contains("here"), "{shown}");
    }

    #[test]
    fn edits_out_of_the_text_are_not_shown() {
        assert_eq!(hunks_of("a: µ", &[(4, 5, "x"), (3, 99, "y")]), []);
    }
}
