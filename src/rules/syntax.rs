//! TRF001–TRF003. The checks run while parsing (`crate::syntax`); this file
//! registers the rules.

use super::Rule;
use crate::rule;

pub static RULES: &[Rule] = &[
    rule!("TRF001", "invalid-syntax", Error, "not valid YAML/JSON"),
    rule!("TRF002", "duplicate-key", Error, "the same key twice in one mapping"),
    rule!("TRF003", "unsupported-yaml", Error, "unsupported YAML: several documents, a custom tag, or an alias expansion beyond 10,000 nodes"),
];
