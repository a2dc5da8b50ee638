//! The output formats of `trls check`: text, JSON, SARIF 2.1.0 and GitHub Actions
//! workflow commands. Positions are 1-based; columns count Unicode scalar values;
//! ends are exclusive.

use serde_json::{json, Value};

use super::FileReport;
use trls::codes::Code;
use trls::diagnostic::{Diagnostic, Severity};
use trls::engine::Checked;

/// 1-based (line, column, end_line, end_column) of a diagnostic.
fn position(c: &Checked, d: &Diagnostic) -> (usize, usize, usize, usize) {
    let (l, col) = c.lines.line_col(&c.text, d.span.start);
    let (el, ecol) = c.lines.line_col(&c.text, d.span.end);
    (l + 1, col + 1, el + 1, ecol + 1)
}

fn counts(files: &[FileReport]) -> [usize; 4] {
    let mut n = [0; 4];
    for d in files.iter().flat_map(|f| &f.checked.diagnostics) {
        n[d.severity as usize] += 1;
    }
    n
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn text(files: &[FileReport], color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    for f in files {
        let c = &f.checked;
        for d in &c.diagnostics {
            let (line, col, end_line, end_col) = position(c, d);
            let sev = d.severity.as_str();
            let sev_colored = match d.severity {
                Severity::Error => paint("1;31", sev),
                Severity::Warning => paint("1;33", sev),
                Severity::Info => paint("1;36", sev),
                Severity::Hint => paint("1;32", sev),
            };
            out.push_str(&format!(
                "{}:{line}:{col}: {sev_colored}[{}]: {}\n",
                f.path, d.code, d.message
            ));
            // Excerpt: the first line of the range, underlined.
            let src = c.lines.line_text(&c.text, line - 1);
            let width = line.to_string().len();
            let pad = " ".repeat(width);
            let src_shown = src.trim_start_matches('\u{feff}');
            let start = col - 1;
            let len = if end_line == line {
                end_col.saturating_sub(col).max(1)
            } else {
                src_shown.chars().count().saturating_sub(start).max(1)
            };
            let lead: String = src_shown
                .chars()
                .take(start)
                .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{pad} {}\n", paint("34", "|")));
            out.push_str(&format!(
                "{} {} {}\n",
                paint("34", &line.to_string()),
                paint("34", "|"),
                src_shown
            ));
            out.push_str(&format!(
                "{pad} {} {lead}{}\n",
                paint("34", "|"),
                paint("1;31", &"^".repeat(len))
            ));
            for r in &d.related {
                let (rl, rc) = c.lines.line_col(&c.text, r.span.start);
                let at = match &r.path {
                    Some(p) => format!("{}:{}:{}", p.display(), rl + 1, rc + 1),
                    None => format!("{}:{}", rl + 1, rc + 1),
                };
                out.push_str(&format!("{pad} = note: {} ({at})\n", r.message));
            }
            if let Some(fix) = &d.fix {
                out.push_str(&format!("{pad} = fix: {}\n", fix.title));
            }
            out.push('\n');
        }
    }
    let [hints, infos, warnings, errors] = counts(files);
    let _ = hints;
    out.push_str(&format!(
        "{}, {}, {} in {}\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(infos, "info"),
        plural(files.len(), "file")
    ));
    out
}

pub fn json(files: &[FileReport]) -> String {
    let [hints, infos, warnings, errors] = counts(files);
    let mut diagnostics = Vec::new();
    for f in files {
        let c = &f.checked;
        for d in &c.diagnostics {
            let (line, column, end_line, end_column) = position(c, d);
            let mut v = json!({
                "path": f.path, "code": d.code.as_str(), "severity": d.severity.as_str(),
                "line": line, "column": column, "end_line": end_line, "end_column": end_column,
                "message": d.message,
            });
            if let Some(fix) = &d.fix {
                let edits: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        let (l, col) = c.lines.line_col(&c.text, e.span.start);
                        let (el, ecol) = c.lines.line_col(&c.text, e.span.end);
                        json!({"line": l + 1, "column": col + 1, "end_line": el + 1, "end_column": ecol + 1, "new_text": e.new_text})
                    })
                    .collect();
                v["fix"] = json!({"title": fix.title, "edits": edits});
            }
            diagnostics.push(v);
        }
    }
    let doc = json!({
        "version": 1,
        "summary": {"files": files.len(), "errors": errors, "warnings": warnings, "infos": infos, "hints": hints},
        "diagnostics": diagnostics,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

pub fn sarif(files: &[FileReport]) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            let r = c.meta();
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc, "markdown": r.doc},
                "helpUri": format!("urn:trls:explain:{}", r.id),
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for f in files {
        let c = &f.checked;
        for d in &c.diagnostics {
            let (line, column, end_line, end_column) = position(c, d);
            let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": index,
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&f.path)},
                    "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
                }}],
            });
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        let (l, col) = c.lines.line_col(&c.text, e.span.start);
                        let (el, ecol) = c.lines.line_col(&c.text, e.span.end);
                        json!({
                            "deletedRegion": {"startLine": l + 1, "startColumn": col + 1, "endLine": el + 1, "endColumn": ecol + 1},
                            "insertedContent": {"text": e.new_text},
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": {"text": fix.title},
                    "artifactChanges": [{"artifactLocation": {"uri": uri(&f.path)}, "replacements": replacements}],
                }]);
            }
            results.push(result);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "trls",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

/// A relative URI reference for a path: forward slashes, reserved characters escaped.
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn github(files: &[FileReport]) -> String {
    // Workflow command escaping, as GitHub's toolkit does it.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in files {
        let c = &f.checked;
        for d in &c.diagnostics {
            let (line, col, end_line, end_col) = position(c, d);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            out.push_str(&format!(
                "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
                prop(&f.path),
                prop(d.code.as_str()),
                data(&d.message)
            ));
        }
    }
    out
}
