//! Publication identifiers, ORCID iDs and URLs: their formats (read from the
//! schema's `$defs`, so that the printed schema and the checker agree), the ORCID
//! check digit, and the repairs of common mis-spellings (`https://doi.org/10.…` in a
//! `doi`, a PMCID without `PMC`, `PMID: 123`).

use std::sync::LazyLock;

use regex::Regex;

use crate::schema::Schema;

/// The identifier kinds `TRF110` judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    Doi,
    Pmid,
    Pmcid,
    Orcid,
    Url,
}

impl IdKind {
    pub const ALL: [IdKind; 5] = [
        IdKind::Doi,
        IdKind::Pmid,
        IdKind::Pmcid,
        IdKind::Orcid,
        IdKind::Url,
    ];

    /// The schema's `$defs` entry.
    fn def(self) -> &'static str {
        match self {
            IdKind::Doi => "Doi",
            IdKind::Pmid => "Pmid",
            IdKind::Pmcid => "Pmcid",
            IdKind::Orcid => "Orcid",
            IdKind::Url => "Url",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            IdKind::Doi => "DOI",
            IdKind::Pmid => "PMID",
            IdKind::Pmcid => "PMCID",
            IdKind::Orcid => "ORCID iD",
            IdKind::Url => "URL",
        }
    }

    /// The form in words, with an example.
    pub fn form(self) -> &'static str {
        match self {
            IdKind::Doi => {
                "a DOI is `10.` + 4–9 digits + `/` + a suffix (e.g. `10.1177/2050313X251386547`)"
            }
            IdKind::Pmid => "a PMID is 1–9 digits without a leading zero (e.g. `35927231`)",
            IdKind::Pmcid => "a PMCID is `PMC` + 1–9 digits (e.g. `PMC12855734`)",
            IdKind::Orcid => {
                "an ORCID iD is four groups of four digits joined by `-`, the last digit \
                 possibly `X` (e.g. `0000-0002-1825-0097`)"
            }
            IdKind::Url => {
                "a URL is `http://` or `https://`, a host name and a path, without spaces"
            }
        }
    }

    /// Whether `s` is well-formed (for an ORCID iD: in form; the check digit is
    /// [`orcid_check`]'s).
    pub fn is_valid(self, s: &str) -> bool {
        FORMATS[self as usize]
            .pattern
            .as_ref()
            .is_some_and(|p| p.is_match(s))
            && (self != IdKind::Url || url_has_host(s))
    }

    /// The well-formed value a malformed one stands for, where that is clear.
    pub fn repair(self, s: &str) -> Option<String> {
        let fixed = match self {
            IdKind::Doi => repair_doi(s),
            IdKind::Pmid => repair_pmid(s),
            IdKind::Pmcid => repair_pmcid(s),
            IdKind::Orcid => repair_orcid(s),
            IdKind::Url => repair_url(s),
        }?;
        (fixed != s && self.is_valid(&fixed)).then_some(fixed)
    }
}

struct Def {
    pattern: Option<Regex>,
}

static FORMATS: LazyLock<Vec<Def>> = LazyLock::new(|| {
    let schema = Schema::builtin();
    IdKind::ALL
        .iter()
        .map(|k| {
            let pattern = schema
                .at(&format!("/$defs/{}/pattern", k.def()))
                .and_then(|p| p.as_str())
                .and_then(|p| Regex::new(&super::ascii_digits(p)).ok());
            Def { pattern }
        })
        .collect()
});

/// An `http`/`https` URL must name a host: `https://example.org/…`, not
/// `https:///x` or `https://.org`.
fn url_has_host(s: &str) -> bool {
    let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = host_port.strip_prefix('[') {
        return v6.split_once(']').is_some_and(|(addr, port)| {
            !addr.is_empty()
                && addr
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
                && (port.is_empty()
                    || port
                        .strip_prefix(':')
                        .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit())))
        });
    }
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
    if !port.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Strip a case-insensitive prefix.
fn strip_prefix_ci<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Strip a label such as `PMID`, `doi` with an optional `:` and spaces after it.
fn strip_label<'s>(s: &'s str, label: &str) -> &'s str {
    match strip_prefix_ci(s, label) {
        Some(rest) if rest.starts_with([':', ' ', '\t']) => {
            rest.trim_start_matches([':', ' ', '\t'])
        }
        _ => s,
    }
}

/// The part after `http(s)://` (and `www.`), when `s` is a URL.
fn after_scheme(s: &str) -> Option<&str> {
    let rest = strip_prefix_ci(s, "https://").or_else(|| strip_prefix_ci(s, "http://"))?;
    Some(strip_prefix_ci(rest, "www.").unwrap_or(rest))
}

fn repair_doi(s: &str) -> Option<String> {
    let t = s.trim();
    let t = match after_scheme(t) {
        Some(rest) => strip_prefix_ci(rest, "dx.doi.org/")
            .or_else(|| strip_prefix_ci(rest, "doi.org/"))?
            .to_string(),
        None => {
            let t = strip_prefix_ci(t, "dx.doi.org/")
                .or_else(|| strip_prefix_ci(t, "doi.org/"))
                .unwrap_or(t);
            strip_label(t, "doi").to_string()
        }
    };
    // A DOI copied from a link may be percent-encoded (`10.1177%2F…`).
    let t = if t.contains('%') {
        super::percent_decode(&t)
    } else {
        t
    };
    Some(t.trim().to_string())
}

fn repair_pmid(s: &str) -> Option<String> {
    let t = s.trim();
    let t = match after_scheme(t) {
        // https://pubmed.ncbi.nlm.nih.gov/35927231/, …/pubmed/35927231
        Some(rest) if rest.to_ascii_lowercase().contains("pubmed") => rest
            .trim_end_matches('/')
            .rsplit('/')
            .next()?
            .split(['?', '#'])
            .next()?,
        Some(_) => return None,
        None => strip_label(t, "pmid"),
    };
    let t = t.trim().trim_start_matches('0');
    Some(t.to_string())
}

fn repair_pmcid(s: &str) -> Option<String> {
    let t = s.trim();
    if after_scheme(t).is_some() {
        // https://pmc.ncbi.nlm.nih.gov/articles/PMC12855734/
        static IN_URL: LazyLock<Option<Regex>> =
            LazyLock::new(|| Regex::new(r"/(PMC\d{1,9})(?:[/?#]|$)").ok());
        let re = IN_URL.as_ref()?;
        return re.captures(t)?.get(1).map(|m| m.as_str().to_string());
    }
    let t = strip_label(t, "pmcid");
    let digits = match strip_prefix_ci(t, "pmc") {
        Some(rest) => rest.trim_start_matches([' ', '-', ':', '_']),
        None => t,
    };
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("PMC{digits}"))
}

fn repair_orcid(s: &str) -> Option<String> {
    let t = s.trim();
    let t = match after_scheme(t) {
        Some(rest) => strip_prefix_ci(rest, "orcid.org/")?,
        None => {
            let t = strip_prefix_ci(t, "orcid.org/").unwrap_or(t);
            strip_label(t, "orcid")
        }
    };
    let chars: Vec<char> = t
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}'..='\u{2015}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = chars.len() == 16
        && chars[..15].iter().all(|c| c.is_ascii_digit())
        && (chars[15].is_ascii_digit() || chars[15] == 'X');
    if !ok {
        return None;
    }
    let groups: Vec<String> = chars.chunks(4).map(|g| g.iter().collect()).collect();
    Some(groups.join("-"))
}

fn repair_url(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(t)
        .trim();
    if t.chars().any(char::is_whitespace) {
        return None;
    }
    for scheme in ["https://", "http://"] {
        if let Some(rest) = strip_prefix_ci(t, scheme) {
            return Some(format!("{scheme}{rest}"));
        }
    }
    // A bare host (`www.example.org/…`): the web is https now.
    let host = t.split(['/', '?', '#']).next().unwrap_or("");
    let looks_like_host = !t.contains("://")
        && host.contains('.')
        && host
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    looks_like_host.then(|| format!("https://{t}"))
}

/// The ORCID check digit (ISO 7064 MOD 11-2) of the first 15 digits of an iD.
pub fn orcid_check_digit(base: &str) -> Option<char> {
    let digits: Vec<u32> = base
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 15 {
        return None;
    }
    let total = digits.iter().fold(0u32, |t, d| (t + d) * 2);
    let result = (12 - total % 11) % 11;
    Some(if result == 10 {
        'X'
    } else {
        char::from_digit(result, 10)?
    })
}

/// For a well-formed ORCID iD: `Ok` when its check digit is right, else the digit
/// it should have.
pub fn orcid_check(id: &str) -> Result<(), char> {
    let (base, last) = id.split_at(id.len().saturating_sub(1));
    match orcid_check_digit(base) {
        Some(c) if last.starts_with(c) => Ok(()),
        Some(c) => Err(c),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_schema() {
        for k in IdKind::ALL {
            assert!(FORMATS[k as usize].pattern.is_some(), "{k:?}");
            assert!(k.form().contains(k.noun()), "{k:?}: {}", k.form());
        }
    }

    #[test]
    fn validation() {
        use IdKind::*;
        for (k, s) in [
            (Doi, "10.1177/2050313X251386547"),
            (Doi, "10.1002/(SICI)1097-4636"),
            (Pmid, "35927231"),
            (Pmid, "1"),
            (Pmcid, "PMC12855734"),
            (Orcid, "0000-0002-1825-0097"),
            (Orcid, "0000-0002-1694-233X"),
            (Url, "https://clinicaltrials.gov/study/NCT06853522"),
            (Url, "http://localhost:8080/x?y=1#z"),
            (Url, "https://user@example.org"),
            (Url, "https://[::1]:80/"),
            (Url, "https://例え.jp/"),
        ] {
            assert!(k.is_valid(s), "{k:?} {s}");
        }
        for (k, s) in [
            (Doi, "10.1038"),
            (Doi, "https://doi.org/10.1177/x"),
            (Doi, "10.12/x"),
            (Pmid, "３５９２７２３１"),
            (Pmid, "0123"),
            (Pmid, "1234567890"),
            (Pmid, "PMID: 123"),
            (Pmcid, "12855734"),
            (Pmcid, "pmc12855734"),
            (Orcid, "0000-0002-1825-009"),
            (Orcid, "0000000218250097"),
            (Url, "www.example.org"),
            (Url, "https://"),
            (Url, "https:///path"),
            (Url, "https://.org"),
            (Url, "https://exa mple.org"),
            (Url, "ftp://example.org"),
            (Url, "https://example.org:port/"),
            (Url, "HTTPS://example.org"),
        ] {
            assert!(!k.is_valid(s), "{k:?} {s}");
        }
    }

    #[test]
    fn repairs() {
        use IdKind::*;
        let cases = [
            (
                Doi,
                "https://doi.org/10.1177/2050313X251386547",
                Some("10.1177/2050313X251386547"),
            ),
            (Doi, "http://dx.doi.org/10.1177/abc", Some("10.1177/abc")),
            (Doi, "doi.org/10.1177/abc", Some("10.1177/abc")),
            (Doi, "doi: 10.1177/abc", Some("10.1177/abc")),
            (Doi, "DOI:10.1177/abc", Some("10.1177/abc")),
            (Doi, "https://doi.org/10.1177%2Fabc", Some("10.1177/abc")),
            (Doi, "10.1038", None),
            (Doi, "https://example.org/10.1177/abc", None),
            (Pmid, "PMID: 123", Some("123")),
            (Pmid, "pmid 35927231", Some("35927231")),
            (Pmid, "0035927231", Some("35927231")),
            (
                Pmid,
                "https://pubmed.ncbi.nlm.nih.gov/35927231/",
                Some("35927231"),
            ),
            (
                Pmid,
                "https://www.ncbi.nlm.nih.gov/pubmed/35927231",
                Some("35927231"),
            ),
            (Pmid, "PMC123", None),
            (Pmcid, "12855734", Some("PMC12855734")),
            (Pmcid, "pmc12855734", Some("PMC12855734")),
            (Pmcid, "PMCID: PMC12855734", Some("PMC12855734")),
            (Pmcid, "PMC 12855734", Some("PMC12855734")),
            (
                Pmcid,
                "https://pmc.ncbi.nlm.nih.gov/articles/PMC12855734/",
                Some("PMC12855734"),
            ),
            (Pmcid, "PMC", None),
            (
                Orcid,
                "https://orcid.org/0000-0002-1825-0097",
                Some("0000-0002-1825-0097"),
            ),
            (Orcid, "0000000218250097", Some("0000-0002-1825-0097")),
            (Orcid, "0000-0002-1694-233x", Some("0000-0002-1694-233X")),
            (Orcid, "0000 0002 1825 0097", Some("0000-0002-1825-0097")),
            (Orcid, "0000-0002-1825-009", None),
            (
                Url,
                "www.example.org/trial",
                Some("https://www.example.org/trial"),
            ),
            (Url, "HTTPS://example.org", Some("https://example.org")),
            (Url, "<https://example.org>", Some("https://example.org")),
            (Url, " https://example.org ", Some("https://example.org")),
            (Url, "see the registry", None),
            (Url, "ftp://example.org", None),
        ];
        for (k, input, want) in cases {
            assert_eq!(k.repair(input).as_deref(), want, "{k:?} {input:?}");
        }
    }

    #[test]
    fn orcid_check_digits() {
        assert_eq!(orcid_check("0000-0002-1825-0097"), Ok(()));
        assert_eq!(orcid_check("0000-0002-1825-0098"), Err('7'));
        assert_eq!(orcid_check("0000-0002-1694-233X"), Ok(()));
        assert_eq!(orcid_check("0000-0002-1694-2330"), Err('X'));
        assert_eq!(orcid_check("0000-0001-5109-3700"), Ok(()));
        assert_eq!(orcid_check_digit("000000021825009"), Some('7'));
        assert_eq!(orcid_check_digit("0000-0002-1825"), None);
        assert_eq!(orcid_check(""), Ok(()));
    }
}
