//! Identifier knowledge: the registries of `format.md` (formats, names, examples and
//! record-page URLs read from `schema/vocabularies.json`, the single source of that
//! table), recognising and canonicalising registry ids, finding them in URLs, and
//! the publication identifiers (DOI, PMID, PMCID), ORCID iDs and URLs of `formats`.

pub mod formats;
mod pattern;

use std::sync::LazyLock;

use regex::Regex;

use crate::schema::Schema;
use pattern::{Form, Format};

/// One registry: its `Registry` value, name, id format and record-page URL.
#[derive(Debug)]
pub struct Registry {
    pub code: String,
    pub name: String,
    /// The whole-id format (anchored).
    pub pattern: Regex,
    pub url_template: Option<String>,
    /// Example ids, canonical.
    pub examples: Vec<String>,
    /// The format in words: `` `NCT` + 8 digits ``.
    pub format: String,
    /// The format's flat alternatives with their lenient matchers.
    forms: Vec<Form>,
    /// The format without anchors, case-insensitive, between non-alphanumerics: for
    /// finding an id inside a URL or text.
    search: Option<Regex>,
}

/// The registry whose ids are publications, not registrations.
pub const PUBLICATION: &str = "PUBLICATION";

impl Registry {
    /// The record page of an id of this registry, where one is known. A
    /// `PUBLICATION` id links to its PubMed, PubMed Central or DOI page.
    pub fn url(&self, id: &str) -> Option<String> {
        match &self.url_template {
            Some(t) => Some(t.replace("{id}", id)),
            None if self.code == PUBLICATION => publication(id).map(|p| p.url()),
            None => None,
        }
    }

    /// Whether `id` is in this registry's format exactly as written.
    pub fn is_match(&self, id: &str) -> bool {
        self.pattern.is_match(id)
    }

    /// "ClinicalTrials.gov id", "publication id".
    pub fn noun(&self) -> String {
        if self.code == PUBLICATION {
            "publication id".into()
        } else {
            format!("{} id", self.name)
        }
    }

    /// "ClinicalTrials.gov ids are `NCT` + 8 digits (e.g. `NCT03765957`)".
    pub fn format_hint(&self) -> String {
        let example = self
            .examples
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if example.is_empty() {
            format!("{}s are {}", self.noun(), self.format)
        } else {
            format!("{}s are {} (e.g. {example})", self.noun(), self.format)
        }
    }
}

static REGISTRIES: LazyLock<Vec<Registry>> = LazyLock::new(|| {
    let schema = Schema::builtin();
    let Some(vocab) = schema.vocabulary("Registry") else {
        return Vec::new();
    };
    vocab
        .terms
        .iter()
        .filter_map(|t| {
            let source = ascii_digits(t.extra.get("pattern")?.as_str()?);
            let source = source.as_str();
            let format = Format::parse(source);
            let inner = source.trim_start_matches('^').trim_end_matches('$');
            let search = (t.id != PUBLICATION)
                .then(|| {
                    Regex::new(&format!(
                        "(?i)(?:^|[^A-Za-z0-9])({inner})(?:$|[^A-Za-z0-9])"
                    ))
                    .ok()
                })
                .flatten();
            Some(Registry {
                code: t.id.clone(),
                name: t.label.clone(),
                pattern: Regex::new(source).ok()?,
                url_template: t
                    .extra
                    .get("url_template")
                    .and_then(|u| u.as_str())
                    .map(String::from),
                examples: t
                    .extra
                    .get("examples")
                    .and_then(|e| e.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|e| e.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                format: format
                    .as_ref()
                    .map(|f| f.description.clone())
                    .unwrap_or_else(|| format!("`{source}`")),
                forms: format.map(|f| f.forms).unwrap_or_default(),
                search,
            })
        })
        .collect()
});

/// `\d` in Rust's regex syntax is any Unicode decimal digit (`٣`, `３`); ids are
/// written with ASCII digits, so formats are compiled with `[0-9]`.
pub(crate) fn ascii_digits(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('d') => out.push_str("[0-9]"),
            Some(e) => {
                out.push('\\');
                out.push(e);
            }
            None => out.push('\\'),
        }
    }
    out
}

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

impl Canonical {
    pub fn registry(&self) -> Option<&'static Registry> {
        registry(self.registry)
    }
}

/// Longest text judged as a possible id (longer text is not an id, and regexes
/// need not see it).
const MAX_ID_LEN: usize = 1000;

/// The canonical form of a registry id, if it is one: an id in exactly one
/// registry's format, or one that is right except for case, surrounding spaces or
/// a missing, extra or different separator (`nct03765957`, `NCT 03765957`,
/// `ChiCTR 2500105903`, `ctri/2020/05/025235`, `PMCID: PMC12855734`). An id matching
/// two registries' formats is not valid (`format.md`: exactly one row).
///
/// A purely numeric format (EudraCT, CTIS) is recognised only where the input keeps
/// at least one separator: a bare run of digits could be anything.
pub fn canonical(id: &str) -> Option<Canonical> {
    let t = id.trim();
    if t.is_empty() || t.len() > MAX_ID_LEN {
        return None;
    }
    match matching(t).as_slice() {
        [r] => {
            return Some(Canonical {
                registry: &r.code,
                id: t.to_string(),
            })
        }
        [] => {}
        _ => return None,
    }
    let separated = t.chars().any(|c| !c.is_alphanumeric());
    unique(lenient(t, |f| f.has_letters || separated)).or_else(|| eudract_number(t))
}

/// The `Registry` value of EudraCT numbers.
const EUCTR: &str = "EUCTR";

/// A EudraCT number as the registers decorate it: with the country suffix of one
/// national protocol page (`2011-006064-43-ES`, `2011-006064-43/ES`, `-3RD` for a
/// protocol outside the EU) and the `EUCTR` prefix of the WHO portal
/// (`EUCTR2011-006064-43-ES`). The trial is the number without them (format.md). A
/// CTIS number (`2022-501549-57-00`) ends in digits, never letters, so it is never
/// read as a decorated EudraCT number.
fn eudract_number(t: &str) -> Option<Canonical> {
    let (core, _) = eudract_parts(t)?;
    let found = matching(core);
    let exact = match found.as_slice() {
        [r] if r.code == EUCTR => Some(Canonical {
            registry: &r.code,
            id: core.to_string(),
        }),
        _ => None,
    };
    exact.or_else(|| {
        let separated = core.chars().any(|c| !c.is_alphanumeric());
        unique(lenient(core, |f| f.has_letters || separated)).filter(|c| c.registry == EUCTR)
    })
}

/// The text of `t` without an `EUCTR` prefix and a country suffix, and the suffix as
/// written (`-ES`), when at least one of them was there.
fn eudract_parts(t: &str) -> Option<(&str, Option<&str>)> {
    let mut core = t.trim();
    let mut prefixed = false;
    if core
        .get(..EUCTR.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(EUCTR))
    {
        core = core[EUCTR.len()..].trim_start_matches([' ', '-', ':']);
        prefixed = true;
    }
    let mut suffix = None;
    if let Some(at) = core.rfind(['-', '/', ' ']) {
        let tail = &core[at + 1..];
        let country = tail.len() == 2 && tail.chars().all(|c| c.is_ascii_alphabetic());
        if country || tail.eq_ignore_ascii_case("3RD") {
            suffix = Some(&core[at..]);
            core = core[..at].trim_end();
        }
    }
    (prefixed || suffix.is_some()).then_some((core, suffix))
}

/// The country suffix (`-ES`, `/ES`) of a EudraCT number written with one, when
/// `id` is such a number.
pub fn eudract_suffix(id: &str) -> Option<&str> {
    let t = id.trim();
    if t.len() > MAX_ID_LEN || !matching(t).is_empty() {
        return None;
    }
    eudract_number(t)?;
    eudract_parts(t)?.1
}

/// Every (registry, canonical id) a lenient matcher accepts, both checked against
/// the exact formats.
fn lenient(t: &str, use_form: impl Fn(&Form) -> bool) -> Vec<Canonical> {
    let mut out: Vec<Canonical> = Vec::new();
    for r in REGISTRIES.iter() {
        for f in r.forms.iter().filter(|f| use_form(f)) {
            if let Some(id) = f.canonical(t) {
                push_checked(&mut out, r, id);
            }
        }
    }
    out
}

fn push_checked(out: &mut Vec<Canonical>, r: &'static Registry, id: String) {
    let rows = matching(&id);
    if rows.len() == 1 && rows[0].code == r.code && !out.iter().any(|c| c.id == id) {
        out.push(Canonical {
            registry: &r.code,
            id,
        });
    }
}

fn unique(mut found: Vec<Canonical>) -> Option<Canonical> {
    (found.len() == 1).then(|| found.remove(0))
}

/// What an id that is in no registry's format looks closest to, for messages.
#[derive(Clone, Debug)]
pub enum Likeness {
    /// Probably this id: digits without any separator (`200400271411`), or the
    /// registry's prefix missing (`PMC12855734` for `PMCID:PMC12855734`).
    Suggestion(Canonical),
    /// An attempt at this registry's format (`NCT0376595`).
    Registry(&'static Registry),
}

/// What `s` (not a registry id) looks closest to, if anything: a probable id; else
/// the registry whose letter prefix it has; else `named`, the registry the record
/// says it belongs to; else a registry whose example has nearly its shape.
pub fn looks_like(s: &str, named: Option<&str>) -> Option<Likeness> {
    let t = s.trim();
    if t.is_empty() || t.len() > MAX_ID_LEN {
        return None;
    }
    if let Some(c) = unique(lenient(t, |_| true)) {
        return Some(Likeness::Suggestion(c));
    }
    let mut with_prefix = Vec::new();
    for r in REGISTRIES.iter() {
        for f in &r.forms {
            if let Some(id) = f.with_prefix(t) {
                push_checked(&mut with_prefix, r, id);
            }
        }
    }
    if let Some(c) = unique(with_prefix) {
        return Some(Likeness::Suggestion(c));
    }
    // The same letter prefix (`NCT…`, `ChiCTR…`), longest first.
    let letters: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '/' | ':' | '_' | '.'))
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut best: Option<(usize, &'static Registry)> = None;
    for r in REGISTRIES.iter() {
        for f in &r.forms {
            let p = f.letter_prefix();
            let shared = if p == letters || (p.len() >= 3 && letters.starts_with(&p)) {
                p.len()
            } else if letters.len() >= 3 && p.starts_with(&letters) {
                letters.len()
            } else {
                0
            };
            if shared > 0 && best.is_none_or(|(n, _)| shared > n) {
                best = Some((shared, r));
            }
        }
    }
    if let Some((_, r)) = best {
        return Some(Likeness::Registry(r));
    }
    if let Some(r) = named.and_then(registry) {
        return Some(Likeness::Registry(r));
    }
    // The same shape as an example (digits and letters in the same places).
    let shape = |s: &str| -> Vec<char> {
        s.chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    '9'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    };
    if t.chars().count() < 4 {
        return None;
    }
    let mine = shape(t);
    let mine = &mine;
    REGISTRIES
        .iter()
        .flat_map(|r| {
            r.examples
                .iter()
                .map(move |e| (r, edit_distance(mine, &shape(e))))
        })
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(r, _)| Likeness::Registry(r))
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Every registry's search pattern in one set, with the registry each belongs to.
static SEARCH_SET: LazyLock<(regex::RegexSet, Vec<usize>)> = LazyLock::new(|| {
    let (patterns, owners): (Vec<&str>, Vec<usize>) = REGISTRIES
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.search.as_ref().map(|s| (s.as_str(), i)))
        .unzip();
    // The patterns each compiled on their own above, so the set compiles too.
    let set = regex::RegexSet::new(patterns).unwrap_or_else(|_| regex::RegexSet::empty());
    (set, owners)
});

/// The first registry id inside a text (a URL, after percent-decoding), canonical.
/// Where ids overlap the longest wins, so a CTIS number (`2022-501549-57-00`) is
/// never read as the EudraCT number that is its first 14 characters. `PUBLICATION`
/// ids are not searched for.
pub fn find_in_text(text: &str) -> Option<Canonical> {
    if text.len() > 10 * MAX_ID_LEN {
        return None;
    }
    let mut hits: Vec<(usize, usize, &'static Registry)> = Vec::new();
    // One pass over the text tells which registries can match at all; only those are
    // searched with captures (most texts hold at most one registry's id).
    let (set, owners) = &*SEARCH_SET;
    for &i in set.matches(text).iter().map(|k| &owners[k]) {
        let r = &REGISTRIES[i];
        let Some(search) = &r.search else { continue };
        let mut at = 0;
        while let Some(caps) = search.captures_at(text, at) {
            let Some(m) = caps.get(1) else { break };
            hits.push((m.start(), m.end(), r));
            // Continue from inside the match so that overlapping ids are seen too.
            at = m.start() + 1;
            while at < text.len() && !text.is_char_boundary(at) {
                at += 1;
            }
            if at >= text.len() {
                break;
            }
        }
    }
    hits.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    hits.into_iter()
        .find_map(|(s, e, _)| canonical(text.get(s..e)?))
}

/// The registry id a URL points at (`https://clinicaltrials.gov/study/NCT…`,
/// `…/ct2/show/NCT…`, `https://www.isrctn.com/ISRCTN…`, a query such as
/// `?regno=ChiCTR…` or `?trialno=CTRI%2F2020%2F05%2F025235`).
pub fn find_in_url(url: &str) -> Option<Canonical> {
    find_in_text(&percent_decode(url))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The publication a `PUBLICATION` id names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Publication {
    Pmid(String),
    Pmcid(String),
    Doi(String),
}

impl Publication {
    pub fn url(&self) -> String {
        match self {
            Publication::Pmid(p) => format!("https://pubmed.ncbi.nlm.nih.gov/{p}/"),
            Publication::Pmcid(p) => format!("https://pmc.ncbi.nlm.nih.gov/articles/{p}/"),
            Publication::Doi(d) => format!("https://doi.org/{d}"),
        }
    }
}

/// `PMID:35927231`, `PMCID:PMC12855734`, `DOI:10.1177/…` (canonical spelling).
pub fn publication(id: &str) -> Option<Publication> {
    if !registry(PUBLICATION)?.is_match(id) {
        return None;
    }
    let (kind, value) = id.split_once(':')?;
    let value = value.to_string();
    match kind {
        "PMID" => Some(Publication::Pmid(value)),
        "PMCID" => Some(Publication::Pmcid(value)),
        "DOI" => Some(Publication::Doi(value)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> Option<(String, String)> {
        canonical(s).map(|c| (c.registry.to_string(), c.id))
    }

    fn is(s: &str, registry: &str, id: &str) {
        assert_eq!(
            canon(s),
            Some((registry.to_string(), id.to_string())),
            "canonical({s:?})"
        );
    }

    #[test]
    fn every_registry_is_loaded_with_a_readable_format() {
        let codes: Vec<&str> = registries().iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), 15, "{codes:?}");
        for r in registries() {
            assert!(!r.forms.is_empty(), "{}: pattern not understood", r.code);
            assert!(!r.examples.is_empty(), "{}: no example", r.code);
            for e in &r.examples {
                is(e, &r.code, e);
            }
        }
        assert_eq!(registry("CTGOV").unwrap().format, "`NCT` + 8 digits");
        assert_eq!(
            registry("CTRI").unwrap().format,
            "`CTRI/` + 4 digits + `/` + 2–3 digits + `/` + 6 digits"
        );
    }

    #[test]
    fn eudract_numbers_with_a_country_suffix_are_the_number() {
        for input in [
            "2011-006064-43-ES",
            "2011-006064-43/ES",
            "2011-006064-43-es",
            "2011-006064-43 ES",
            "2011-006064-43-3RD",
            "EUCTR2011-006064-43-ES",
            "EUCTR2011-006064-43",
            "euctr 2011-006064-43/IT",
            "2011 006064 43-ES",
        ] {
            is(input, "EUCTR", "2011-006064-43");
        }
        assert_eq!(eudract_suffix("2011-006064-43/ES"), Some("/ES"));
        assert_eq!(eudract_suffix("EUCTR2011-006064-43-ES"), Some("-ES"));
        assert_eq!(eudract_suffix("EUCTR2011-006064-43"), None);
        assert_eq!(eudract_suffix("2011-006064-43"), None);
        // CTIS numbers end in digits: never a suffix, never shortened.
        is("2022-501549-57-00", "CTIS", "2022-501549-57-00");
        assert_eq!(eudract_suffix("2022-501549-57-00"), None);
        // Not a EudraCT number, with or without something that looks like a suffix.
        for input in [
            "201100606443-ES",
            "EUCTR201100606443",
            "NCT03765957-ES",
            "EUCTR",
            "-ES",
            "ES",
            "2011-006064-4-ES",
            "EUCTRé-ES",
        ] {
            assert_eq!(canon(input), None, "{input:?}");
        }
    }

    #[test]
    fn non_canonical_spellings_of_every_registry() {
        for (input, registry, id) in [
            ("nct03765957", "CTGOV", "NCT03765957"),
            ("NCT 03765957", "CTGOV", "NCT03765957"),
            (" NCT03765957 ", "CTGOV", "NCT03765957"),
            ("NCT-03765957", "CTGOV", "NCT03765957"),
            ("ChiCTR 2500105903", "CHICTR", "ChiCTR2500105903"),
            ("CHICTR2500105903", "CHICTR", "ChiCTR2500105903"),
            ("chictr-ior-17013242", "CHICTR", "ChiCTR-IOR-17013242"),
            ("ChiCTR IOR 17013242", "CHICTR", "ChiCTR-IOR-17013242"),
            ("mr-13-24-017929", "CN_MR", "MR-13-24-017929"),
            ("MR 13 24 017929", "CN_MR", "MR-13-24-017929"),
            ("isrctn 12345678", "ISRCTN", "ISRCTN12345678"),
            ("2004 002714 11", "EUCTR", "2004-002714-11"),
            ("2004-002714 -11", "EUCTR", "2004-002714-11"),
            ("2022 501549 57 00", "CTIS", "2022-501549-57-00"),
            ("2022-501549-5700", "CTIS", "2022-501549-57-00"),
            ("actrn12619000123456", "ANZCTR", "ACTRN12619000123456"),
            ("jrct2080223886", "JRCT", "jRCT2080223886"),
            ("JRCTS031180159", "JRCT", "jRCTs031180159"),
            ("umin000012345", "UMIN", "UMIN000012345"),
            ("ctri/2020/05/025235", "CTRI", "CTRI/2020/05/025235"),
            ("CTRI 2020 05 025235", "CTRI", "CTRI/2020/05/025235"),
            ("CTRI_2020_05_025235", "CTRI", "CTRI/2020/05/025235"),
            ("CTRI/2020/005/025235", "CTRI", "CTRI/2020/005/025235"),
            ("drks00012345", "DRKS", "DRKS00012345"),
            ("kct 0001234", "CRIS", "KCT0001234"),
            ("irct20180101038213n1", "IRCT", "IRCT20180101038213N1"),
            ("u1111 1316 3012", "WHO_UTN", "U1111-1316-3012"),
            ("pmcid:pmc12855734", "PUBLICATION", "PMCID:PMC12855734"),
            ("PMCID: PMC12855734", "PUBLICATION", "PMCID:PMC12855734"),
            ("PMCID_PMC12855734", "PUBLICATION", "PMCID:PMC12855734"),
            ("pmid 35927231", "PUBLICATION", "PMID:35927231"),
            (
                "doi:10.1177/2050313X251386547",
                "PUBLICATION",
                "DOI:10.1177/2050313X251386547",
            ),
        ] {
            is(input, registry, id);
        }
    }

    #[test]
    fn what_is_not_a_registry_id() {
        for s in [
            "",
            "NCT0376595",
            "NCT037659570",
            "2025YS-004",
            "200400271411",
            "12345678",
            "PMC12855734",
            "NCT０３７６５９５７",
            "NCT٠٣٧٦٥٩٥٧",
            "PMID:0123",
            "DOI:10.1177 x",
            "jRCT20802238",
            "NCT 0376 5957",
            "my-draft",
        ] {
            assert_eq!(canon(s), None, "{s:?}");
        }
    }

    #[test]
    fn eudract_and_ctis_are_told_apart() {
        is("2004-002714-11", "EUCTR", "2004-002714-11");
        is("2022-501549-57-00", "CTIS", "2022-501549-57-00");
        // CTIS has no year restriction; EudraCT does.
        assert_eq!(canon("1804-002714-11"), None);
    }

    #[test]
    fn likeness_names_the_nearest_format() {
        let reg = |s: &str, named: Option<&str>| match looks_like(s, named) {
            Some(Likeness::Registry(r)) => Some(r.code.clone()),
            Some(Likeness::Suggestion(c)) => Some(format!("{}={}", c.registry, c.id)),
            None => None,
        };
        assert_eq!(reg("NCT0376595", None).as_deref(), Some("CTGOV"));
        assert_eq!(reg("ChiCTR-IOR-1701324", None).as_deref(), Some("CHICTR"));
        assert_eq!(
            reg("PMC12855734", None).as_deref(),
            Some("PUBLICATION=PMCID:PMC12855734")
        );
        assert_eq!(
            reg("10.1177/2050313X251386547", None).as_deref(),
            Some("PUBLICATION=DOI:10.1177/2050313X251386547")
        );
        assert_eq!(
            reg("200400271411", None).as_deref(),
            Some("EUCTR=2004-002714-11")
        );
        assert_eq!(reg("2004-002714-1", None).as_deref(), Some("EUCTR"));
        assert_eq!(reg("12345678", Some("ISRCTN")).as_deref(), Some("ISRCTN"));
        assert_eq!(reg("hello world", None), None);
        assert_eq!(
            registry("CTGOV").unwrap().format_hint(),
            "ClinicalTrials.gov ids are `NCT` + 8 digits (e.g. `NCT03765957`)"
        );
    }

    #[test]
    fn ids_are_found_in_urls() {
        let found = |u: &str| find_in_url(u).map(|c| (c.registry.to_string(), c.id));
        let is = |u: &str, r: &str, id: &str| {
            assert_eq!(found(u), Some((r.to_string(), id.to_string())), "{u}")
        };
        is(
            "https://clinicaltrials.gov/study/NCT06853522",
            "CTGOV",
            "NCT06853522",
        );
        is(
            "https://clinicaltrials.gov/ct2/show/NCT03765957?term=msc",
            "CTGOV",
            "NCT03765957",
        );
        is(
            "https://www.isrctn.com/ISRCTN12345678",
            "ISRCTN",
            "ISRCTN12345678",
        );
        is(
            "https://www.chictr.org.cn/searchprojEN.html?regno=ChiCTR2500105903",
            "CHICTR",
            "ChiCTR2500105903",
        );
        is(
            "https://ctri.nic.in/Clinicaltrials/advsearch.php?trialno=CTRI%2F2020%2F05%2F025235",
            "CTRI",
            "CTRI/2020/05/025235",
        );
        is(
            "https://euclinicaltrials.eu/search-for-clinical-trials/?EUCT=2022-501549-57-00",
            "CTIS",
            "2022-501549-57-00",
        );
        is(
            "https://www.clinicaltrialsregister.eu/ctr-search/trial/2004-002714-11/GB",
            "EUCTR",
            "2004-002714-11",
        );
        is(
            "https://jrct.mhlw.go.jp/en-latest-detail/jRCTs031180159",
            "JRCT",
            "jRCTs031180159",
        );
        is(
            "https://clinicaltrials.gov/ct2/show/nct03765957",
            "CTGOV",
            "NCT03765957",
        );
        assert_eq!(
            found("https://www.chictr.org.cn/showproj.html?proj=12345"),
            None
        );
        assert_eq!(found("https://example.com/NCT037659571"), None);
        assert_eq!(found("%"), None);
        assert_eq!(found("%4"), None);
    }

    #[test]
    fn every_template_makes_a_record_page() {
        for r in registries() {
            if r.code == "WHO_UTN" {
                continue;
            }
            let url = r.url(&r.examples[0]).unwrap();
            assert!(url.starts_with("https://"), "{url}");
            if r.code != PUBLICATION {
                // The URL leads back to the id.
                assert_eq!(
                    find_in_url(&url).map(|c| c.id),
                    Some(r.examples[0].clone()),
                    "{url}"
                );
            }
        }
        assert_eq!(
            registry("CTGOV").unwrap().url("NCT03765957").as_deref(),
            Some("https://clinicaltrials.gov/study/NCT03765957")
        );
        assert_eq!(
            registry(PUBLICATION)
                .unwrap()
                .url("PMCID:PMC12855734")
                .as_deref(),
            Some("https://pmc.ncbi.nlm.nih.gov/articles/PMC12855734/")
        );
    }

    #[test]
    fn odd_input_is_judged_without_panicking() {
        let long = "NCT".repeat(5000);
        for s in [
            "",
            " ",
            "%",
            "%%",
            "%4",
            "%é",
            "é%C3%A9",
            "\u{0}",
            "ｎｃｔ",
            "NCT\u{2013}03765957",
            "-",
            "/",
            ":",
            "__",
            "PMCID:",
            "DOI:",
            "DOI:10.",
            "jRCT",
            "ChiCTR--",
            long.as_str(),
            "2022-501549-57-00-00",
            "NCT03765957NCT03765957",
        ] {
            let _ = canonical(s);
            let _ = looks_like(s, Some("CTGOV"));
            let _ = looks_like(s, Some("NO_SUCH"));
            let _ = find_in_url(s);
            let _ = publication(s);
            for k in formats::IdKind::ALL {
                let _ = k.is_valid(s);
                let _ = k.repair(s);
            }
        }
        // A typographic dash is a separator.
        is("NCT\u{2013}03765957", "CTGOV", "NCT03765957");
    }

    #[test]
    fn publication_ids() {
        assert_eq!(
            publication("PMID:35927231"),
            Some(Publication::Pmid("35927231".into()))
        );
        assert_eq!(
            publication("PMCID:PMC12855734"),
            Some(Publication::Pmcid("PMC12855734".into()))
        );
        assert_eq!(
            publication("DOI:10.1177/2050313X251386547"),
            Some(Publication::Doi("10.1177/2050313X251386547".into()))
        );
        assert_eq!(publication("NCT03765957"), None);
        assert_eq!(publication("PMID:0"), None);
    }
}
