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
