//! Identifier knowledge: the registries of `format.md` (formats read from
//! `schema/vocabularies.json`), recognising and canonicalising registry ids.

use std::sync::LazyLock;

use regex::Regex;

use crate::schema::Schema;

/// One registry: its `Registry` value, name, id format and record-page URL.
#[derive(Debug)]
pub struct Registry {
    pub code: String,
    pub name: String,
    pub pattern: Regex,
    pub url_template: Option<String>,
}

impl Registry {
    /// The record page of an id of this registry, where one is known.
    pub fn url(&self, id: &str) -> Option<String> {
        self.url_template.as_ref().map(|t| t.replace("{id}", id))
    }
}

static REGISTRIES: LazyLock<Vec<Registry>> = LazyLock::new(|| {
    let schema = Schema::builtin();
    let vocab = schema
        .vocabulary("Registry")
        .expect("vocabularies.json has Registry");
    vocab
        .terms
        .iter()
        .filter_map(|t| {
            let pattern = t.extra.get("pattern")?.as_str()?;
            Some(Registry {
                code: t.id.clone(),
                name: t.label.clone(),
                pattern: Regex::new(pattern).ok()?,
                url_template: t
                    .extra
                    .get("url_template")
                    .and_then(|u| u.as_str())
                    .map(String::from),
            })
        })
        .collect()
});

pub fn registries() -> &'static [Registry] {
    &REGISTRIES
}

pub fn registry(code: &str) -> Option<&'static Registry> {
    REGISTRIES.iter().find(|r| r.code == code)
}

/// The registries whose format an id matches exactly as written.
pub fn matching(id: &str) -> Vec<&'static Registry> {
    REGISTRIES
        .iter()
        .filter(|r| r.pattern.is_match(id))
        .collect()
}

/// A recognised registry id in its canonical spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canonical {
    pub registry: &'static str,
    pub id: String,
}

/// The canonical form of a registry id, if it is one (also when spelt
/// non-canonically: `nct03765957`, `NCT 03765957`).
pub fn canonical(id: &str) -> Option<Canonical> {
    let m = matching(id);
    match m.as_slice() {
        [r] => Some(Canonical {
            registry: &r.code,
            id: id.to_string(),
        }),
        _ => None,
    }
}
