//! Controlled vocabularies: every term's id, label, definition and aliases, read from
//! `schema/vocabularies.json`. Validation, completion and hover all read this data.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct Term {
    pub id: String,
    pub label: String,
    pub definition: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// NCI Thesaurus code (routes).
    #[serde(default)]
    pub nci: Option<String>,
    /// Vocabulary-specific data (registry patterns, quantity ranges, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Vocabulary {
    #[serde(skip)]
    pub name: String,
    pub title: String,
    pub description: String,
    /// The `[vocabularies]` key of `trls.toml` that may add terms, if any.
    #[serde(default)]
    pub config_key: Option<String>,
    pub terms: Vec<Term>,
}

/// Lowercase, letters and digits only: `Phase 1`, `phase-1` and `PHASE1` are alike.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Vocabulary {
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }

    /// The term a mistyped value most likely means: a known alias or case/separator
    /// variant, else the unique nearest id within edit distance 2.
    pub fn suggest(&self, value: &str) -> Option<&Term> {
        let norm = normalize(value);
        if norm.is_empty() {
            return None;
        }
        let exact = self
            .terms
            .iter()
            .find(|t| normalize(&t.id) == norm || t.aliases.iter().any(|a| normalize(a) == norm));
        if exact.is_some() {
            return exact;
        }
        let mut best: Option<(&Term, usize)> = None;
        let mut tie = false;
        for t in &self.terms {
            let d = strsim::levenshtein(&norm, &normalize(&t.id));
            match best {
                Some((_, b)) if d > b => {}
                Some((_, b)) if d == b => tie = true,
                _ => {
                    best = Some((t, d));
                    tie = false;
                }
            }
        }
        match best {
            Some((t, d)) if d <= 2 && !tie && norm.len() > 2 => Some(t),
            _ => None,
        }
    }
}
