//! Rule family `units` (see rules.md).

use super::{Context, Rule};
use crate::diagnostic::Diagnostic;

pub static RULES: &[Rule] = &[];

pub fn check(_cx: &Context) -> Vec<Diagnostic> {
    Vec::new()
}
