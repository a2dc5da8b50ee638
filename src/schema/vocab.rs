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
    /// An open vocabulary (`Marker`): its terms are known names for completion, hover
    /// and the rules that judge them, but any other value is accepted.
    #[serde(default)]
    pub open: bool,
    /// The classes an open vocabulary's terms belong to (`class` of each term): class
    /// id → readable name.
    #[serde(default)]
    pub classes: std::collections::BTreeMap<String, String>,
    pub terms: Vec<Term>,
    /// [`marker_key`] of every term's id and aliases → the term's index, built on
    /// first use (a lookup is one hash, however many markers a record lists).
    #[serde(skip)]
    marker_index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

impl Term {
    /// The class of a term of an open vocabulary (`TRANSMEMBRANE`, `ISCT_POSITIVE`).
    pub fn class(&self) -> Option<&str> {
        self.extra.get("class").and_then(|c| c.as_str())
    }
    /// The FDA/NCI Thesaurus term (routes), e.g. `RESPIRATORY (INHALATION)`.
    pub fn nci_term(&self) -> Option<&str> {
        self.extra.get("nci_term").and_then(|c| c.as_str())
    }
}

/// The form marker names are compared in (`format.md`, *Marker*): lowercase, without
/// `-` or whitespace, Greek letters in their Latin spelling, so `CD79α`, `cd79a` and
/// `CD 79-a` are one marker, as are `HLA-DR` and `HLA DR`. Other characters stay
/// (`CD11b` and `CD11c` stay apart; `/` or `.` are kept).
pub fn marker_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '-' || c.is_whitespace() || matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}') {
            continue;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match greek_to_latin(c) {
            Some(l) => out.push(l),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The Latin letter a Greek letter (either case) is spelt with in marker names.
fn greek_to_latin(c: char) -> Option<char> {
    const GREEK: &str = "αβγδεζικλμνοπρστυφω";
    const LATIN: &str = "abgdeziklmnoprstufo";
    if !('\u{0370}'..='\u{03FF}').contains(&c) {
        return None;
    }
    let lower = c.to_lowercase().next()?;
    let lower = if lower == 'ς' { 'σ' } else { lower };
    let i = GREEK.chars().position(|g| g == lower)?;
    LATIN.chars().nth(i)
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

    /// The known marker a name means, by [`marker_key`] of its id or an alias
    /// (`cd 73`, `NT5E` → `CD73`; `CD79α` → `CD79a`). For open vocabularies.
    pub fn marker(&self, name: &str) -> Option<&Term> {
        let key = marker_key(name);
        if key.is_empty() {
            return None;
        }
        let index = self.marker_index.get_or_init(|| {
            let mut index = std::collections::HashMap::new();
            // Ids first, so that an alias never shadows another marker's id.
            for (i, t) in self.terms.iter().enumerate() {
                index.entry(marker_key(&t.id)).or_insert(i);
            }
            for (i, t) in self.terms.iter().enumerate() {
                for a in &t.aliases {
                    index.entry(marker_key(a)).or_insert(i);
                }
            }
            index
        });
        index.get(&key).map(|&i| &self.terms[i])
    }

    /// The readable name of a class of an open vocabulary.
    pub fn class_label(&self, class: &str) -> Option<&str> {
        self.classes.get(class).map(String::as_str)
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

#[cfg(test)]
mod tests {
    use super::marker_key;

    #[test]
    fn marker_keys_ignore_case_hyphens_spaces_and_greek_spelling() {
        for (a, b) in [
            ("CD79α", "CD79a"),
            ("CD79Α", "cd79a"),
            ("HLA-DR", "hla dr"),
            ("HLA\u{2010}DR", "HLADR"),
            ("Syntenin 1", "syntenin-1"),
            ("TGF-β", "tgfb"),
            ("CD 73", "cd73"),
        ] {
            assert_eq!(marker_key(a), marker_key(b), "{a} vs {b}");
        }
        assert_ne!(marker_key("CD11b"), marker_key("CD11c"));
        assert_ne!(marker_key("CD4/CD8"), marker_key("CD4CD8"));
        assert_eq!(marker_key(" - "), "");
    }
}
