//! The checks, one file per family. What each code means (name, severity, docs,
//! fix, precedence) is declared in `crate::codes`; each rule's fixtures live in
//! `tests/fixtures/<CODE>/`.

pub mod completeness;
pub mod design;
pub mod gaps;
pub mod ids;
pub mod refs;
pub mod registry;
pub mod schema;
pub mod suppress;
pub mod units;
pub mod workspace;

use std::path::Path;

use crate::codes::{Code, Family};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::LocalIndex;
use crate::schema::Schema;
use crate::syntax::edit::Editor;
use crate::syntax::{Node, Span, Syntax};

/// What a single-record check sees.
pub struct Context<'a> {
    pub text: &'a str,
    /// The syntax the document was parsed as (and fixes are written in).
    pub syntax: Syntax,
    /// The document's root (an empty mapping for an empty document).
    pub root: &'a Node,
    /// The file, where there is one (`TRF104` reads its name).
    pub path: Option<&'a Path>,
    pub config: &'a Config,
    pub index: &'a LocalIndex,
}

impl<'a> Context<'a> {
    pub fn schema(&self) -> &Schema {
        self.config.schema()
    }
    /// The edit builder every fix goes through.
    pub fn editor(&self) -> Editor<'a> {
        Editor::new(self.text, self.syntax)
    }
}

/// A single-record family's check.
type Check = fn(&Context) -> Vec<Diagnostic>;

/// The one table from family to check. The code registry says which family each
/// code belongs to; a family whose every code is switched off is not run.
fn family_check(family: Family) -> Option<Check> {
    Some(match family {
        Family::Ids => ids::check,
        Family::Refs => refs::check,
        Family::Units => units::check,
        Family::Design => design::check,
        Family::Completeness => completeness::check,
        Family::Gaps => gaps::check,
        // Phases of the engine with inputs of their own.
        Family::Syntax
        | Family::Schema
        | Family::Workspace
        | Family::Registry
        | Family::Suppress => return None,
    })
}

/// Run every single-record family that has a rule switched on.
pub fn check_record(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<Family> = Vec::new();
    for code in Code::ALL {
        let family = code.family();
        if seen.contains(&family) {
            continue;
        }
        seen.push(family);
        let Some(check) = family_check(family) else {
            continue;
        };
        let on = Code::ALL
            .iter()
            .any(|c| c.family() == family && !cx.config.is_off(*c));
        if on {
            out.extend(check(cx));
        }
    }
    out
}

/// "One finding, one code" (rules.md): where a specific rule and a generic one
/// describe the same finding (overlapping ranges), only the specific one stays. Which
/// rule beats which is declared beside each rule (`supersedes` in `crate::codes`).
pub fn apply_precedence(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let overlaps =
        |a: Span, b: Span| a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1);
    // Winners by start offset, so that each finding looks only at winners that can
    // overlap it (n·log n rather than n² on a record with many findings).
    let mut winners: Vec<(Span, Code)> = diagnostics
        .iter()
        .filter(|d| !d.code.meta().supersedes.is_empty())
        .map(|d| (d.span, d.code))
        .collect();
    winners.sort_by_key(|(s, _)| s.start);
    let longest = winners
        .iter()
        .map(|(s, _)| s.end.max(s.start + 1) - s.start)
        .max()
        .unwrap_or(0);
    diagnostics.retain(|d| {
        let from = winners.partition_point(|(s, _)| s.start + longest < d.span.start);
        !winners[from..]
            .iter()
            .take_while(|(s, _)| s.start < d.span.end.max(d.span.start + 1))
            .any(|(s, w)| w.supersedes(d.code) && overlaps(*s, d.span))
    });
    diagnostics
}
