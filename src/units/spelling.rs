//! Unit spellings: common non-UCUM ones and the UCUM code they stand for (`TRF200`),
//! and valid UCUM that is almost certainly not what was meant or not the canonical
//! spelling (`TRF206`).
//!
//! Both work on the atoms of an expression, so a spelling is also recognised inside a
//! compound unit (`µg/kg` → `ug/kg`, `mg/dl` → `mg/dL`); annotations (`{...}`) are
//! left alone.

use std::sync::LazyLock;

use regex::Regex;

use super::ucum;

/// Whole expressions that are recognised as they stand (after spaces are removed).
const WHOLE: &[(&str, &str)] = &[
    ("bpm", "/min"),
    ("beats/min", "/min"),
    ("beats/minute", "/min"),
    ("breaths/min", "/min"),
    ("mmHg", "mm[Hg]"),
    ("cmH2O", "cm[H2O]"),
    ("°C", "Cel"),
    ("℃", "Cel"),
    ("degC", "Cel"),
];

/// Atoms (case-sensitive first, then lowercased) and their UCUM codes. `IU` is handled
/// apart: it depends on what is measured.
const ATOMS: &[(&str, &str)] = &[
    ("liter", "L"),
    ("liters", "L"),
    ("litre", "L"),
    ("litres", "L"),
    ("ltr", "L"),
    ("milliliter", "mL"),
    ("milliliters", "mL"),
    ("millilitre", "mL"),
    ("millilitres", "mL"),
    ("microliter", "uL"),
    ("microliters", "uL"),
    ("microlitre", "uL"),
    ("microlitres", "uL"),
    ("deciliter", "dL"),
    ("deciliters", "dL"),
    ("decilitre", "dL"),
    ("decilitres", "dL"),
    ("cc", "mL"),
    ("mcg", "ug"),
    ("mcl", "uL"),
    ("mcL", "uL"),
    ("mcmol", "umol"),
    ("gm", "g"),
    ("gms", "g"),
    ("grams", "g"),
    ("kgs", "kg"),
    ("y", "a"),
    ("yr", "a"),
    ("yrs", "a"),
    ("year", "a"),
    ("years", "a"),
    ("mon", "mo"),
    ("mos", "mo"),
    ("month", "mo"),
    ("months", "mo"),
    ("wks", "wk"),
    ("week", "wk"),
    ("weeks", "wk"),
    ("day", "d"),
    ("days", "d"),
    ("hr", "h"),
    ("hrs", "h"),
    ("hour", "h"),
    ("hours", "h"),
    ("mins", "min"),
    ("minute", "min"),
    ("minutes", "min"),
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("mmHg", "mm[Hg]"),
    ("cell", "{cells}"),
    ("cells", "{cells}"),
    ("copies", "{copies}"),
    ("particles", "{particles}"),
    ("bpm", "/min"),
];

static EGFR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)/\s*1\.73\s*m\s*(2|²|\^2)$").expect("valid regex"));
static SUPERSCRIPT_POWER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)").expect("valid regex"));
static MULTIPLIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[xX×]\s*)?10\s*(?:\^|\*|\*\*|E|e)\s*([-+]?\d+)\s*").expect("valid regex")
});
static PER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+per\s+").expect("valid regex"));
static SPACE_AROUND_OPERATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*([/.])\s*").expect("valid regex"));

fn ascii_superscripts(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '⁰' => '0',
            '¹' => '1',
            '²' => '2',
            '³' => '3',
            '⁴' => '4',
            '⁵' => '5',
            '⁶' => '6',
            '⁷' => '7',
            '⁸' => '8',
            '⁹' => '9',
            '⁻' => '-',
            '⁺' => '+',
            c => c,
        })
        .collect()
}

/// One piece of a unit expression.
#[derive(Debug, PartialEq)]
enum Tok<'a> {
    /// A simple unit with its exponent: `m2` is (`m`, `2`), `10*9` is (`10*`, `9`).
    Atom(&'a str, &'a str),
    /// `/`, `.`, `(`, `)`.
    Op(char),
    /// `{...}` with its braces.
    Annotation(&'a str),
}

fn tokens(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        match bytes[i] {
            b'/' | b'.' | b'(' | b')' => {
                out.push(Tok::Op(bytes[i] as char));
                i += 1;
            }
            b'{' => {
                let end = s[i..].find('}').map_or(s.len(), |e| i + e + 1);
                out.push(Tok::Annotation(&s[i..end]));
                i = end;
            }
            _ => {
                let end = s[i..]
                    .find(['/', '.', '(', ')', '{'])
                    .map_or(s.len(), |e| i + e);
                let atom = &s[i..end];
                out.push(split_exponent(atom));
                i = end;
            }
        }
    }
    out
}

fn split_exponent(atom: &str) -> Tok<'_> {
    let digits = atom
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits == atom.len() {
        return Tok::Atom(atom, "");
    }
    let mut at = atom.len() - digits;
    if at > 0 && matches!(atom.as_bytes()[at - 1], b'-' | b'+') {
        at -= 1;
    }
    if at == 0 {
        return Tok::Atom(atom, "");
    }
    Tok::Atom(&atom[..at], &atom[at..])
}

/// Rebuild an expression, replacing atoms where `map` says.
fn rewrite(s: &str, mut map: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for t in tokens(s) {
        match t {
            Tok::Op(c) => out.push(c),
            Tok::Annotation(a) => out.push_str(a),
            Tok::Atom(base, exp) => {
                match map(base) {
                    Some(new) => out.push_str(&new),
                    None => out.push_str(base),
                }
                out.push_str(exp);
            }
        }
    }
    out
}

fn atom_code(atom: &str, enzyme: bool) -> Option<String> {
    if let Some(prefix) = atom
        .strip_suffix("IU")
        .or_else(|| atom.strip_suffix("iu"))
        .or_else(|| atom.strip_suffix("Iu"))
    {
        if matches!(prefix, "" | "m" | "k" | "u" | "M") {
            let unit = if enzyme { "U" } else { "[IU]" };
            return Some(format!("{prefix}{unit}"));
        }
    }
    if ucum::is_valid(atom) {
        return None;
    }
    ATOMS
        .iter()
        .find(|(from, _)| *from == atom)
        .or_else(|| {
            let lower = atom.to_lowercase();
            ATOMS.iter().find(|(from, _)| *from == lower)
        })
        .map(|(_, to)| to.to_string())
}

/// The UCUM code for a common non-UCUM spelling (`liters` → `L`, `µmol/L` → `umol/L`,
/// `x10^9/L` → `10*9/L`, `IU/L` → `U/L` for an enzyme (`enzyme`), else `[IU]/L`), when
/// the spelling is recognised and the result is valid UCUM.
pub fn ucum_code(spelling: &str, enzyme: bool) -> Option<String> {
    let s = spelling.trim();
    if s.is_empty() || s.len() > ucum::MAX_UNIT_LEN {
        return None;
    }
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some((_, to)) = WHOLE.iter().find(|(from, _)| *from == compact) {
        return Some(to.to_string());
    }
    let mut s = s.replace(['µ', 'μ'], "u");
    s = SUPERSCRIPT_POWER
        .replace_all(&s, |c: &regex::Captures| {
            format!("10*{}", ascii_superscripts(&c[1]))
        })
        .into_owned();
    s = ascii_superscripts(&s);
    s = EGFR.replace(&s, "/{1.73_m2}").into_owned();
    let mut lead = String::new();
    if let Some(m) = MULTIPLIER.captures(&s) {
        let exp = m[1].trim_start_matches('+').to_string();
        let rest = s[m.get(0).map_or(0, |g| g.end())..].to_string();
        lead = format!("10*{exp}");
        if !rest.is_empty() && !rest.starts_with(['/', '.']) {
            lead.push('.');
        }
        s = rest;
    }
    s = PER.replace_all(&s, "/").into_owned();
    s = SPACE_AROUND_OPERATOR.replace_all(&s, "$1").into_owned();
    let s: String = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(".")
        .to_string();
    let mut candidate = lead + &rewrite(&s, |atom| atom_code(atom, enzyme));
    // An annotation after a unit belongs to it: `10*6.{cells}` is `10*6{cells}`.
    candidate = candidate.replace(".{", "{");
    if let Some((canonical, _)) = intended(&candidate) {
        candidate = canonical;
    }
    (candidate != spelling && ucum::is_valid(&candidate)).then_some(candidate)
}

/// Why a valid spelling is suspicious.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suspicion {
    /// `u` (unified atomic mass unit, the dalton) where enzyme units `U` are meant.
    AtomicMassUnit,
    /// `l` for the litre: valid, but `L` is the spelling clinical UCUM uses.
    LowercaseLitre,
    /// `10^` for powers of ten: valid, but `10*` is the canonical form.
    Caret,
}

impl Suspicion {
    pub fn explain(self) -> &'static str {
        match self {
            Suspicion::AtomicMassUnit => {
                "`u` is the unified atomic mass unit (the dalton), not the enzyme unit `U`"
            }
            Suspicion::LowercaseLitre => "UCUM's canonical symbol for the litre is `L`",
            Suspicion::Caret => "UCUM's canonical form for powers of ten is `10*`",
        }
    }
}

/// For valid UCUM that is almost certainly not meant or not canonical (`u/L` → `U/L`,
/// `ml` → `mL`, `dl` → `dL`, `10^9/L` → `10*9/L`): the intended code and why.
pub fn intended(unit: &str) -> Option<(String, Vec<Suspicion>)> {
    let mut why = Vec::new();
    let out = rewrite(unit, |atom| {
        if atom == "10^" {
            why.push(Suspicion::Caret);
            return Some("10*".into());
        }
        if atom == "u" {
            why.push(Suspicion::AtomicMassUnit);
            return Some("U".into());
        }
        if let Some(prefix) = atom.strip_suffix('l') {
            let is_litre = octofhir_ucum::lookup_unit(atom, octofhir_ucum::Case::Sensitive)
                .is_some_and(|(p, r)| {
                    r.code == "l" && p.map_or(prefix.is_empty(), |p| p.symbol == prefix)
                });
            if is_litre {
                why.push(Suspicion::LowercaseLitre);
                return Some(format!("{prefix}L"));
            }
        }
        None
    });
    why.dedup();
    (out != unit && ucum::is_valid(&out)).then_some((out, why))
}

/// `unit` with one simple unit's prefix changed (`mg/L` → `ug/L`, `mg/dL`, `g/L`...)
/// or one power of ten moved by 3 (`10*9/L` → `10*6/L`). Prefixes tried: `k`, `m`,
/// `u`, `n`, none, and `d` for the litre; no `kL`.
pub fn prefix_variants(unit: &str) -> Vec<String> {
    let toks = tokens(unit);
    let mut out = Vec::new();
    // Clinical units have a few atoms; more is not worth guessing about.
    if toks.iter().filter(|t| matches!(t, Tok::Atom(..))).count() > 4 {
        return out;
    }
    // `toks` with atom `at` (and its exponent) replaced.
    let rebuild = |at: usize, atom: &str, exp: &str| {
        let mut s = String::new();
        for (i, t) in toks.iter().enumerate() {
            match t {
                Tok::Op(c) => s.push(*c),
                Tok::Annotation(a) => s.push_str(a),
                Tok::Atom(_, _) if i == at => {
                    s.push_str(atom);
                    s.push_str(exp);
                }
                Tok::Atom(base, e) => {
                    s.push_str(base);
                    s.push_str(e);
                }
            }
        }
        s
    };
    for (i, t) in toks.iter().enumerate() {
        let Tok::Atom(base, exp) = t else { continue };
        if matches!(*base, "10*" | "10^") {
            if let Ok(n) = exp.parse::<i32>() {
                for m in [n - 3, n + 3] {
                    if m > 0 {
                        out.push(rebuild(i, &format!("10*{m}"), ""));
                    }
                }
            }
            continue;
        }
        let Some((_, record)) = octofhir_ucum::lookup_unit(base, octofhir_ucum::Case::Sensitive)
        else {
            continue;
        };
        if !record.is_metric {
            continue;
        }
        let litre = matches!(record.code, "L" | "l");
        for p in ["k", "m", "u", "n", "", "d"] {
            if (litre && p == "k") || (!litre && p == "d") {
                continue;
            }
            let candidate = format!("{p}{}", record.code);
            if candidate != *base {
                out.push(rebuild(i, &candidate, exp));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_atoms_exponents_and_annotations() {
        assert_eq!(
            tokens("10*6{cells}/kg"),
            vec![
                Tok::Atom("10*", "6"),
                Tok::Annotation("{cells}"),
                Tok::Op('/'),
                Tok::Atom("kg", "")
            ]
        );
        assert_eq!(
            tokens("mL/min/{1.73_m2}"),
            vec![
                Tok::Atom("mL", ""),
                Tok::Op('/'),
                Tok::Atom("min", ""),
                Tok::Op('/'),
                Tok::Annotation("{1.73_m2}")
            ]
        );
        assert_eq!(tokens("m-2"), vec![Tok::Atom("m", "-2")]);
        assert_eq!(tokens("1"), vec![Tok::Atom("1", "")]);
    }

    #[test]
    fn recognises_the_spellings_of_rules_md() {
        let cases = [
            ("liters", "L"),
            ("litre", "L"),
            ("µmol/L", "umol/L"),
            ("μmol/L", "umol/L"),
            ("mcg", "ug"),
            ("µg", "ug"),
            ("cc", "mL"),
            ("x10^9/L", "10*9/L"),
            ("×10⁹/L", "10*9/L"),
            ("×10^9/L", "10*9/L"),
            ("cells/kg", "{cells}/kg"),
            ("years", "a"),
            ("yrs", "a"),
            ("months", "mo"),
            ("weeks", "wk"),
            ("days", "d"),
            ("bpm", "/min"),
            ("mL/min/1.73m2", "mL/min/{1.73_m2}"),
            ("mL/min/1.73 m²", "mL/min/{1.73_m2}"),
            ("year", "a"),
            ("month", "mo"),
            ("week", "wk"),
            ("day", "d"),
            ("hours", "h"),
            ("µg/kg", "ug/kg"),
            ("µl", "uL"),
            ("mg / dl", "mg/dL"),
            ("x10^6 cells/kg", "10*6{cells}/kg"),
            ("Years", "a"),
        ];
        for (from, to) in cases {
            assert_eq!(ucum_code(from, false).as_deref(), Some(to), "{from}");
        }
    }

    #[test]
    fn international_units_depend_on_the_quantity() {
        assert_eq!(ucum_code("IU/L", true).as_deref(), Some("U/L"));
        assert_eq!(ucum_code("IU/L", false).as_deref(), Some("[IU]/L"));
        assert_eq!(ucum_code("mIU/mL", false).as_deref(), Some("m[IU]/mL"));
        assert_eq!(ucum_code("IU", false).as_deref(), Some("[IU]"));
    }

    #[test]
    fn unknown_spellings_get_no_code() {
        for s in ["foo", "mg per", "", "blood cells per what"] {
            assert_eq!(ucum_code(s, false), None, "{s}");
        }
    }

    #[test]
    fn suspicious_valid_spellings() {
        let cases = [
            ("u/L", "U/L", Suspicion::AtomicMassUnit),
            ("ml", "mL", Suspicion::LowercaseLitre),
            ("dl", "dL", Suspicion::LowercaseLitre),
            ("mg/dl", "mg/dL", Suspicion::LowercaseLitre),
            ("l", "L", Suspicion::LowercaseLitre),
            ("10^9/L", "10*9/L", Suspicion::Caret),
        ];
        for (from, to, why) in cases {
            assert!(ucum::is_valid(from), "{from} is valid UCUM");
            let (got, reasons) = intended(from).unwrap();
            assert_eq!(got, to, "{from}");
            assert_eq!(reasons, vec![why], "{from}");
        }
        for ok in [
            "U/L", "mL", "10*9/L", "L", "{score}", "mg/dL", "kg", "ug", "Cel",
        ] {
            assert_eq!(intended(ok), None, "{ok}");
        }
    }
}
