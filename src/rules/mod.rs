//! The rule registry: every diagnostic code with its name, default severity, one-line
//! summary and documentation (what `trls explain` prints). The checks themselves live
//! in one file per family; each rule's fixtures live in `tests/fixtures/<CODE>/`.

pub mod schema;
pub mod suppress;

use crate::diagnostic::Severity;

pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown: what it means, why it matters, an example and its correction.
    pub doc: &'static str,
}

macro_rules! rule {
    ($code:literal, $name:literal, $sev:ident, $summary:literal) => {
        Rule {
            code: $code,
            name: $name,
            severity: Severity::$sev,
            summary: $summary,
            doc: include_str!(concat!("docs/", $code, ".md")),
        }
    };
}

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    // Syntax (checked while parsing, in `crate::syntax`).
    rule!("TRF001", "invalid-syntax", Error, "not valid YAML/JSON"),
    rule!("TRF002", "duplicate-key", Error, "the same key twice in one mapping"),
    rule!("TRF003", "unsupported-yaml", Error, "unsupported YAML: several documents, a custom tag, or an alias expansion beyond 10,000 nodes"),
    // Schema (`schema.rs`).
    rule!("TRF010", "missing-key", Error, "a required key is missing"),
    rule!("TRF011", "unknown-key", Error, "unknown key"),
    rule!("TRF012", "wrong-type", Error, "a value of the wrong type"),
    rule!("TRF013", "unknown-term", Error, "a value outside its controlled vocabulary"),
    rule!("TRF014", "constraint", Error, "a constraint of the schema is violated (pattern, length, bounds, unique items, item count)"),
    rule!("TRF015", "format-version", Error, "`trf` is not a supported format version"),
    // Suppressions (`suppress.rs`).
    rule!("TRF900", "unused-suppression", Hint, "a `# trls: ignore[...]` comment that silences nothing"),
];

pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}
