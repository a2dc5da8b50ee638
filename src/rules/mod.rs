//! The rule registry: every diagnostic code with its name, default severity, one-line
//! summary and documentation (what `trls explain` prints). The checks themselves live
//! in one file per family; each rule's fixtures live in `tests/fixtures/<CODE>/`.

mod dates;
pub mod design;
pub mod ids;
pub mod refs;
pub mod schema;
pub mod suppress;
pub mod syntax;
pub mod units;
pub mod workspace;

use std::path::Path;
use std::sync::LazyLock;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::LocalIndex;
use crate::schema::Schema;
use crate::syntax::{Node, Span};

pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown: what it means, why it matters, an example and its correction.
    pub doc: &'static str,
}

#[macro_export]
macro_rules! rule {
    ($code:literal, $name:literal, $sev:ident, $summary:literal) => {
        $crate::rules::Rule {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            doc: include_str!(concat!("docs/", $code, ".md")),
        }
    };
}

/// The families, each with its rules and its check.
static FAMILIES: &[&[Rule]] = &[
    syntax::RULES,
    schema::RULES,
    ids::RULES,
    refs::RULES,
    workspace::RULES,
    units::RULES,
    design::RULES,
    suppress::RULES,
];

/// Every rule, in code order.
pub static RULES: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    let mut all: Vec<&'static Rule> = FAMILIES.iter().flat_map(|f| f.iter()).collect();
    all.sort_by_key(|r| r.code);
    all
});

pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// What a single-record check sees.
pub struct Context<'a> {
    pub text: &'a str,
    /// The document's root (an empty mapping for an empty document).
    pub root: &'a Node,
    /// The file, where there is one (`TRF104` reads its name).
    pub path: Option<&'a Path>,
    pub config: &'a Config,
    pub index: &'a LocalIndex,
}

impl Context<'_> {
    pub fn schema(&self) -> &Schema {
        self.config.schema()
    }
}

/// Run every single-record family.
pub fn check_record(cx: &Context) -> Vec<Diagnostic> {
    let mut out = ids::check(cx);
    out.extend(refs::check(cx));
    out.extend(units::check(cx));
    out.extend(design::check(cx));
    out
}

/// "One finding, one code" (rules.md): where a specific rule and a generic one
/// describe the same finding (overlapping ranges), only the specific one stays.
const PRECEDENCE: &[(&str, &[&str])] = &[
    ("TRF204", &["TRF012", "TRF014"]),
    ("TRF205", &["TRF012", "TRF014", "TRF203"]),
    ("TRF300", &["TRF012", "TRF014"]),
    ("TRF206", &["TRF201"]),
    ("TRF100", &["TRF012", "TRF014", "TRF101"]),
    ("TRF102", &["TRF012", "TRF014", "TRF101"]),
    ("TRF110", &["TRF012", "TRF014"]),
    ("TRF103", &["TRF012", "TRF014"]),
];

pub fn apply_precedence(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let overlaps =
        |a: Span, b: Span| a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1);
    let beaten: Vec<bool> = diagnostics
        .iter()
        .map(|d| {
            PRECEDENCE.iter().any(|(winner, losers)| {
                losers.contains(&d.code)
                    && diagnostics
                        .iter()
                        .any(|w| w.code == *winner && overlaps(w.span, d.span))
            })
        })
        .collect();
    let mut i = 0;
    diagnostics.retain(|_| {
        i += 1;
        !beaten[i - 1]
    });
    diagnostics
}
