//! What every check produces: a diagnostic with a code, a severity, a byte range,
//! a message, optional related locations and an optional fix made of text edits.
//! The shells translate these; they never create their own. Edits come from
//! [`crate::syntax::edit`].

pub use crate::codes::Code;
pub use crate::severity::Severity;
pub use crate::syntax::edit::TextEdit;
use crate::syntax::Span;

/// A fix is data: a title and the edits that carry it out. `safe` fixes are the
/// ones `check --fix` and `source.fixAll` apply without asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    pub safe: bool,
}

impl Fix {
    /// A fix of edits built by [`crate::syntax::edit`], the only code writing text.
    pub fn new(title: impl Into<String>, edits: Vec<TextEdit>, safe: bool) -> Fix {
        Fix {
            title: title.into(),
            edits,
            safe,
        }
    }
}

/// Another location that explains a diagnostic (the first occurrence of a
/// duplicate, the other side of a contradiction). `path` is `None` for the same file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub path: Option<std::path::PathBuf>,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the rule's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        let severity = code.severity();
        Diagnostic {
            code,
            severity,
            span,
            message: message.into(),
            related: Vec::new(),
            fix: None,
        }
    }
    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            path: None,
            span,
            message: message.into(),
        });
        self
    }
}

/// Most findings of one code listed for one file. Beyond it, one closing finding of
/// that code says how many more there are: a file with 100,000 wrong values gets a
/// readable report and a bounded one (memory, editor, terminal).
pub const MAX_PER_CODE: usize = 200;

/// Keep the first [`MAX_PER_CODE`] findings of each code (in the given order), then
/// one closing "and N more" finding per capped code, at the first one left out (or
/// after the last one listed). `omitted` counts findings a check counted but did
/// not keep.
pub fn cap_per_code(diagnostics: Vec<Diagnostic>, omitted: &[(Code, usize)]) -> Vec<Diagnostic> {
    if omitted.is_empty() && diagnostics.len() <= MAX_PER_CODE {
        return diagnostics;
    }
    let mut counts: std::collections::HashMap<Code, usize> = std::collections::HashMap::new();
    for d in &diagnostics {
        *counts.entry(d.code).or_default() += 1;
    }
    let listed_counts = counts.clone();
    for (c, n) in omitted {
        *counts.entry(*c).or_default() += n;
    }
    if counts.values().all(|n| *n <= MAX_PER_CODE) {
        return diagnostics;
    }
    let mut kept = Vec::with_capacity(diagnostics.len().min(counts.len() * (MAX_PER_CODE + 1)));
    let mut listed: std::collections::HashMap<Code, usize> = std::collections::HashMap::new();
    let closing = |d: &Diagnostic, more: usize| {
        let code = d.code;
        Diagnostic {
            message: format!(
                "and {more} more `{code}` finding{} in this file, not listed (the first {MAX_PER_CODE} are)",
                if more == 1 { "" } else { "s" }
            ),
            related: Vec::new(),
            fix: None,
            ..d.clone()
        }
    };
    for d in diagnostics {
        let n = listed.entry(d.code).or_default();
        *n += 1;
        if *n <= MAX_PER_CODE {
            // The last one listed of a code whose extra findings were all only
            // counted: the closing finding follows it.
            let last = *n == listed_counts[&d.code] && counts[&d.code] > MAX_PER_CODE;
            let more = counts[&d.code] - *n;
            kept.push(d);
            if last {
                let c = closing(kept.last().expect("just pushed"), more);
                kept.push(c);
            }
        } else if *n == MAX_PER_CODE + 1 {
            kept.push(closing(&d, counts[&d.code] - MAX_PER_CODE));
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_beyond_the_cap_become_one_closing_finding() {
        let many: Vec<Diagnostic> = (0..MAX_PER_CODE + 5)
            .map(|i| Diagnostic::new(Code::WrongType, Span::new(i, i + 1), "wrong"))
            .chain([Diagnostic::new(Code::UnknownKey, Span::new(0, 1), "key")])
            .collect();
        let capped = cap_per_code(many, &[]);
        assert_eq!(capped.len(), MAX_PER_CODE + 2);
        let last = capped.iter().rfind(|d| d.code == Code::WrongType).unwrap();
        assert_eq!(last.span, Span::new(MAX_PER_CODE, MAX_PER_CODE + 1));
        assert!(
            last.message.starts_with("and 5 more `TRF012` findings"),
            "{}",
            last.message
        );
        assert!(capped.iter().any(|d| d.code == Code::UnknownKey));
        let few = vec![Diagnostic::new(Code::WrongType, Span::new(0, 1), "wrong")];
        assert_eq!(cap_per_code(few.clone(), &[]), few);
        // Findings only counted by a check still count.
        let capped = cap_per_code(few.clone(), &[(Code::WrongType, MAX_PER_CODE)]);
        assert_eq!(capped.len(), 2);
        assert!(capped[1]
            .message
            .starts_with(&format!("and {MAX_PER_CODE} more")));
    }
}
