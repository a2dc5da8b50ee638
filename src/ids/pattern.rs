//! Reading a registry's id format (a regular expression from
//! `schema/vocabularies.json`) as a sequence of literal characters and character
//! classes, so that the same table yields:
//!
//! - a *lenient* matcher that accepts the id with any case, with its separators
//!   missing, doubled or replaced by spaces, and with a separator or space between
//!   a letter prefix and digits (`nct03765957`, `NCT 03765957`, `CTRI 2020 05 025235`,
//!   `PMCID: PMC12855734`), and that rebuilds the canonical spelling from the
//!   pattern's literals and the captured classes;
//! - a human description of the format (`` `NCT` + 8 digits ``).
//!
//! Only the small part of regex syntax that id formats use is understood: literals,
//! escapes (`\d`, `\S`, `\.`), bracket classes, counted repetition, `+`, `*`, `?` on
//! classes, and groups with `|`. A pattern using anything else is still matched
//! exactly, it just gets no lenient matcher.

use regex::Regex;

/// Characters that separate the parts of an id in a format (`NCT`-less formats such
/// as `2004-002714-11`, `CTRI/2020/05/025235`, `PMCID:PMC…`).
const FORMAT_SEPARATORS: &[char] = &['-', '/', ':', '_', ' '];

/// What a lenient matcher accepts where a format has a separator, or between a
/// letter prefix and digits: nothing, or any run of spaces, dashes (also typographic
/// ones), slashes, colons, underscores and dots.
const INPUT_SEPARATOR: &str = r"[\s\-/:_.\u{2010}-\u{2015}]*";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fold {
    /// Case is kept as written (digits, `\S`).
    Keep,
    /// The class holds only capital letters: any case is accepted, capitals written.
    Upper,
    /// The class holds only small letters.
    Lower,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Letter,
    Digit,
    Separator,
    Other,
}

#[derive(Clone, Debug, PartialEq)]
struct Class {
    /// The class as written in the pattern (`\d`, `[A-Z]`, `\S`).
    src: String,
    kind: Kind,
    fold: Fold,
    min: usize,
    max: Option<usize>,
}

impl Class {
    fn quantifier(&self) -> String {
        match (self.min, self.max) {
            (1, Some(1)) => String::new(),
            (n, Some(m)) if n == m => format!("{{{n}}}"),
            (n, Some(m)) => format!("{{{n},{m}}}"),
            (0, None) => "*".into(),
            (1, None) => "+".into(),
            (n, None) => format!("{{{n},}}"),
        }
    }
    fn lenient_src(&self) -> String {
        match self.fold {
            Fold::Keep => self.src.clone(),
            Fold::Upper | Fold::Lower => "[A-Za-z]".into(),
        }
    }
    fn describe(&self) -> String {
        let (one, many) = match (self.kind, self.fold) {
            (Kind::Digit, _) if self.src == "[0-9]" => {
                ("a digit".to_string(), "digits".to_string())
            }
            (Kind::Digit, _) => {
                let inner = self.src.trim_start_matches('[').trim_end_matches(']');
                let inner = inner.replace('-', "–");
                (format!("a digit {inner}"), format!("digits {inner}"))
            }
            (_, Fold::Upper) => ("a capital letter".into(), "capital letters".into()),
            (_, Fold::Lower) => ("a lowercase letter".into(), "lowercase letters".into()),
            _ if self.src == r"\S" => (
                "a character other than a space".into(),
                "any text without spaces".into(),
            ),
            _ => (format!("`{}`", self.src), format!("`{}`", self.src)),
        };
        match (self.min, self.max) {
            (1, Some(1)) => one,
            (0, Some(1)) => format!("optionally {one}"),
            (n, Some(m)) if n == m => format!("{n} {many}"),
            (0, Some(m)) => format!("up to {m} {many}"),
            (n, Some(m)) => format!("{n}–{m} {many}"),
            (1, None) if self.src == r"\S" => many,
            (1, None) => format!("one or more {many}"),
            (0, None) => format!("any number of {many}"),
            (n, None) => format!("{n} or more {many}"),
        }
    }
}

/// One item of a parsed pattern.
#[derive(Clone, Debug, PartialEq)]
enum Item {
    Lit(char),
    Class(Class),
    Group(Vec<Vec<Item>>),
}

/// A flat alternative of a format: literals and classes, no groups.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Lit(char),
    Class(Class),
}

fn char_kind(c: char) -> Kind {
    if c.is_ascii_alphabetic() {
        Kind::Letter
    } else if c.is_ascii_digit() {
        Kind::Digit
    } else if FORMAT_SEPARATORS.contains(&c) {
        Kind::Separator
    } else {
        Kind::Other
    }
}

impl Tok {
    fn kind(&self) -> Kind {
        match self {
            Tok::Lit(c) => char_kind(*c),
            Tok::Class(c) => c.kind,
        }
    }
}

struct Parser<'p> {
    chars: std::iter::Peekable<std::str::Chars<'p>>,
}

impl Parser<'_> {
    /// Alternatives up to a closing `)` (consumed) or the end.
    fn alternatives(&mut self, depth: usize) -> Option<Vec<Vec<Item>>> {
        if depth > 8 {
            return None;
        }
        let mut alts = vec![Vec::new()];
        loop {
            let Some(c) = self.chars.next() else {
                return (depth == 0).then_some(alts);
            };
            let item = match c {
                ')' => return (depth > 0).then_some(alts),
                '|' => {
                    alts.push(Vec::new());
                    continue;
                }
                '(' => {
                    if self.chars.peek() == Some(&'?') {
                        self.chars.next();
                        if self.chars.next() != Some(':') {
                            return None;
                        }
                    }
                    Item::Group(self.alternatives(depth + 1)?)
                }
                '\\' => match self.chars.next()? {
                    'd' => Item::Class(class("[0-9]", Kind::Digit, Fold::Keep)),
                    'S' => Item::Class(class(r"\S", Kind::Other, Fold::Keep)),
                    e if e.is_ascii_alphanumeric() => return None,
                    e => Item::Lit(e),
                },
                '[' => Item::Class(self.bracket()?),
                '.' => Item::Class(class(".", Kind::Other, Fold::Keep)),
                '^' | '$' => continue,
                '{' | '}' | '+' | '*' | '?' | ']' => return None,
                c => Item::Lit(c),
            };
            let item = self.quantified(item)?;
            alts.last_mut()?.push(item);
        }
    }

    fn bracket(&mut self) -> Option<Class> {
        let mut src = String::from("[");
        let mut members = String::new();
        loop {
            let c = self.chars.next()?;
            src.push(c);
            match c {
                ']' => break,
                '\\' | '^' => return None,
                c => members.push(c),
            }
        }
        let mut upper = true;
        let mut lower = true;
        let mut digit = true;
        let bytes: Vec<char> = members.chars().collect();
        let mut i = 0;
        while i < bytes.len() {
            let (a, b) = if i + 2 < bytes.len() && bytes[i + 1] == '-' {
                i += 3;
                (bytes[i - 3], bytes[i - 1])
            } else {
                i += 1;
                (bytes[i - 1], bytes[i - 1])
            };
            upper &= a.is_ascii_uppercase() && b.is_ascii_uppercase();
            lower &= a.is_ascii_lowercase() && b.is_ascii_lowercase();
            digit &= a.is_ascii_digit() && b.is_ascii_digit();
        }
        let (kind, fold) = if members.is_empty() {
            return None;
        } else if upper {
            (Kind::Letter, Fold::Upper)
        } else if lower {
            (Kind::Letter, Fold::Lower)
        } else if digit {
            (Kind::Digit, Fold::Keep)
        } else {
            (Kind::Other, Fold::Keep)
        };
        Some(class(&src, kind, fold))
    }

    fn quantified(&mut self, item: Item) -> Option<Item> {
        let (min, max) = match self.chars.peek() {
            Some('+') => (1, None),
            Some('*') => (0, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.chars.next();
                let mut body = String::new();
                loop {
                    match self.chars.next()? {
                        '}' => break,
                        c => body.push(c),
                    }
                }
                let (lo, hi) = match body.split_once(',') {
                    Some((lo, "")) => (lo.parse().ok()?, None),
                    Some((lo, hi)) => (lo.parse().ok()?, Some(hi.parse().ok()?)),
                    None => {
                        let n = body.parse().ok()?;
                        (n, Some(n))
                    }
                };
                return match item {
                    Item::Class(c) => Some(Item::Class(Class {
                        min: lo,
                        max: hi,
                        ..c
                    })),
                    _ => None,
                };
            }
            _ => return Some(item),
        };
        self.chars.next();
        match item {
            Item::Class(c) => Some(Item::Class(Class { min, max, ..c })),
            _ => None,
        }
    }
}

fn class(src: &str, kind: Kind, fold: Fold) -> Class {
    Class {
        src: src.into(),
        kind,
        fold,
        min: 1,
        max: Some(1),
    }
}

/// Most flat alternatives one format may expand to.
const MAX_ALTERNATIVES: usize = 64;

fn expand(seq: &[Item]) -> Option<Vec<Vec<Tok>>> {
    let mut out: Vec<Vec<Tok>> = vec![Vec::new()];
    for item in seq {
        match item {
            Item::Lit(c) => out.iter_mut().for_each(|s| s.push(Tok::Lit(*c))),
            Item::Class(c) => out.iter_mut().for_each(|s| s.push(Tok::Class(c.clone()))),
            Item::Group(alts) => {
                let mut tails = Vec::new();
                for alt in alts {
                    tails.extend(expand(alt)?);
                }
                let mut next = Vec::new();
                for head in &out {
                    for tail in &tails {
                        let mut s = head.clone();
                        s.extend(tail.iter().cloned());
                        next.push(s);
                    }
                }
                out = next;
            }
        }
        if out.len() > MAX_ALTERNATIVES {
            return None;
        }
    }
    Some(out)
}

/// One flat alternative of a format, with its lenient matcher.
#[derive(Debug)]
pub struct Form {
    toks: Vec<Tok>,
    lenient: Regex,
    /// The same without all or part of the leading literal prefix (`PMC12855734`
    /// and `12855734` for `PMCID:PMC\d{1,9}`), to suggest the prefix that is missing.
    unprefixed: Vec<Regex>,
    /// Letters occur in the format (`NCT…`); a purely numeric format
    /// (`2004-002714-11`) is not recognised from digits alone.
    pub has_letters: bool,
}

/// Leading letters of the format, upper-cased, ignoring separators (`NCT`,
/// `PMCIDPMC`), for "looks like" messages.
impl Form {
    pub fn letter_prefix(&self) -> String {
        self.toks
            .iter()
            .map_while(|t| match t {
                Tok::Lit(c) if c.is_ascii_alphabetic() => Some(Some(c.to_ascii_uppercase())),
                Tok::Lit(c) if char_kind(*c) == Kind::Separator => Some(None),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The canonical spelling of `input` if the lenient matcher accepts it.
    pub fn canonical(&self, input: &str) -> Option<String> {
        rebuild(&self.toks, &self.lenient, input)
    }

    /// The canonical spelling of `input` with the format's literal prefix added,
    /// when `input` is the rest of an id of this form.
    pub fn with_prefix(&self, input: &str) -> Option<String> {
        self.unprefixed
            .iter()
            .find_map(|re| rebuild(&self.toks, re, input))
    }
}

fn rebuild(toks: &[Tok], re: &Regex, input: &str) -> Option<String> {
    let caps = re.captures(input)?;
    // Captures are numbered in class order; the unprefixed matcher skips no class
    // (the prefix is literals only), so numbering is shared.
    let mut out = String::new();
    let mut group = 0;
    for t in toks {
        match t {
            Tok::Lit(c) => out.push(*c),
            Tok::Class(c) => {
                group += 1;
                let text = caps.get(group)?.as_str();
                match c.fold {
                    Fold::Keep => out.push_str(text),
                    Fold::Upper => out.push_str(&text.to_ascii_uppercase()),
                    Fold::Lower => out.push_str(&text.to_ascii_lowercase()),
                }
            }
        }
    }
    Some(out)
}

/// The lenient regular expression of a flat alternative, from token `from` on.
fn lenient_regex(toks: &[Tok], from: usize) -> Option<Regex> {
    let mut re = String::from("^");
    // Where the prefix was dropped, the classes before `from` still need their
    // capture groups for numbering: there are none (the prefix is literals only).
    for (i, t) in toks.iter().enumerate().skip(from) {
        if i > from {
            let (a, b) = (toks[i - 1].kind(), t.kind());
            if a != b
                && matches!(a, Kind::Letter | Kind::Digit)
                && matches!(b, Kind::Letter | Kind::Digit)
            {
                re.push_str(INPUT_SEPARATOR);
            }
        }
        match t {
            Tok::Lit(c) if char_kind(*c) == Kind::Separator => {
                // Next to free text (a DOI's suffix) a separator stays as written.
                let beside_other = [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|j| toks.get(j))
                    .any(|n| n.kind() == Kind::Other);
                if beside_other {
                    re.push_str(&regex::escape(&c.to_string()));
                } else {
                    re.push_str(INPUT_SEPARATOR);
                }
            }
            Tok::Lit(c) if c.is_ascii_alphabetic() => {
                re.push_str(&format!(
                    "[{}{}]",
                    c.to_ascii_uppercase(),
                    c.to_ascii_lowercase()
                ));
            }
            Tok::Lit(c) => re.push_str(&regex::escape(&c.to_string())),
            Tok::Class(c) => {
                re.push('(');
                re.push_str(&c.lenient_src());
                re.push_str(&c.quantifier());
                re.push(')');
            }
        }
    }
    re.push('$');
    Regex::new(&re).ok()
}

/// A format read from its regular expression.
#[derive(Debug)]
pub struct Format {
    pub forms: Vec<Form>,
    pub description: String,
}

impl Format {
    /// `None` when the pattern uses syntax this reader does not understand.
    pub fn parse(pattern: &str) -> Option<Format> {
        let mut parser = Parser {
            chars: pattern.chars().peekable(),
        };
        let alts = parser.alternatives(0)?;
        let mut forms = Vec::new();
        for alt in &alts {
            for toks in expand(alt)? {
                let lenient = lenient_regex(&toks, 0)?;
                let prefix_len = toks
                    .iter()
                    .take_while(|t| matches!(t.kind(), Kind::Letter | Kind::Separator))
                    .take_while(|t| matches!(t, Tok::Lit(_)))
                    .count();
                // Drop the prefix up to a boundary between its parts (`PMCID:` or
                // all of `PMCID:PMC`), never inside a run of letters.
                let unprefixed = (1..=prefix_len)
                    .filter(|&k| k < toks.len() && toks[k - 1].kind() != toks[k].kind())
                    // What is left must not start with a class of letters: any
                    // letters would do there (`ChiCTR-` + `PMC` + 8 digits).
                    .filter(|&k| {
                        let next = toks[k..].iter().find(|t| t.kind() != Kind::Separator);
                        !matches!(next, Some(Tok::Class(c)) if c.kind == Kind::Letter)
                    })
                    .filter_map(|k| lenient_regex(&toks, k))
                    .collect();
                let has_letters = toks.iter().any(|t| t.kind() == Kind::Letter);
                forms.push(Form {
                    toks,
                    lenient,
                    unprefixed,
                    has_letters,
                });
            }
        }
        Some(Format {
            forms,
            description: describe_alternatives(&top_level(alts), true),
        })
    }
}

/// `^(A|B)$` is read as the alternatives `A`, `B`.
fn top_level(alts: Vec<Vec<Item>>) -> Vec<Vec<Item>> {
    match alts.as_slice() {
        [seq] => match seq.as_slice() {
            [Item::Group(inner)] => inner.clone(),
            _ => alts,
        },
        _ => alts,
    }
}

fn describe_alternatives(alts: &[Vec<Item>], top: bool) -> String {
    let parts: Vec<String> = alts.iter().map(|s| describe_seq(s)).collect();
    if top {
        match parts.len() {
            0 | 1 => parts.concat(),
            _ => {
                let (last, rest) = parts.split_last().unwrap_or((&parts[0], &[]));
                format!("{}, or {last}", rest.join(", "))
            }
        }
    } else {
        parts.join(" or ")
    }
}

fn describe_seq(seq: &[Item]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut literal = String::new();
    for item in seq {
        match item {
            Item::Lit(c) => literal.push(*c),
            other => {
                if !literal.is_empty() {
                    parts.push(format!("`{literal}`"));
                    literal.clear();
                }
                parts.push(match other {
                    Item::Class(c) => c.describe(),
                    // `(19|20)`: `19`/`20`.
                    Item::Group(alts)
                        if alts.len() > 1
                            && alts.iter().flatten().all(|i| matches!(i, Item::Lit(_))) =>
                    {
                        alts.iter()
                            .map(|a| describe_seq(a))
                            .collect::<Vec<_>>()
                            .join("/")
                    }
                    Item::Group(alts) if alts.len() > 1 => {
                        format!("({})", describe_alternatives(alts, false))
                    }
                    Item::Group(alts) => describe_alternatives(alts, false),
                    Item::Lit(_) => String::new(),
                });
            }
        }
    }
    if !literal.is_empty() {
        parts.push(format!("`{literal}`"));
    }
    parts.join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(pattern: &str, input: &str) -> Vec<String> {
        Format::parse(pattern)
            .unwrap()
            .forms
            .iter()
            .filter_map(|f| f.canonical(input))
            .collect()
    }

    #[test]
    fn describes_formats() {
        let d = |p: &str| Format::parse(p).unwrap().description;
        assert_eq!(d(r"^(NCT\d{8})$"), "`NCT` + 8 digits");
        assert_eq!(
            d(r"^((19|20)\d{2}-\d{6}-\d{2})$"),
            "`19`/`20` + 2 digits + `-` + 6 digits + `-` + 2 digits"
        );
        assert_eq!(
            d(r"^(ChiCTR\d{10}|ChiCTR-[A-Z]{3,4}-\d{8})$"),
            "`ChiCTR` + 10 digits, or `ChiCTR-` + 3–4 capital letters + `-` + 8 digits"
        );
        assert_eq!(
            d(r"^(jRCT([a-z]\d{9}|\d{10}))$"),
            "`jRCT` + (a lowercase letter + 9 digits or 10 digits)"
        );
        assert_eq!(
            d(r"^(PMID:[1-9]\d{0,8}|DOI:10\.\d{4,9}/\S+)$"),
            "`PMID:` + a digit 1–9 + up to 8 digits, or `DOI:10.` + 4–9 digits + `/` + \
             any text without spaces"
        );
    }

    #[test]
    fn lenient_forms_rebuild_the_canonical_spelling() {
        assert_eq!(
            canon(r"^(NCT\d{8})$", " nct 03765957"),
            Vec::<String>::new()
        );
        assert_eq!(canon(r"^(NCT\d{8})$", "nct 03765957"), ["NCT03765957"]);
        assert_eq!(canon(r"^(NCT\d{8})$", "NCT-03765957"), ["NCT03765957"]);
        assert_eq!(
            canon(r"^(jRCT([a-z]\d{9}|\d{10}))$", "JRCTS031180159"),
            ["jRCTs031180159"]
        );
        assert_eq!(
            canon(r"^(CTRI/\d{4}/\d{2,3}/\d{6})$", "ctri 2020 05 025235"),
            ["CTRI/2020/05/025235"]
        );
        assert_eq!(
            canon(r"^(DOI:10\.\d{4,9}/\S+)$", "doi: 10.1177/AbC"),
            ["DOI:10.1177/AbC"]
        );
        // A DOI's slash is not a separator that may go missing.
        assert!(canon(r"^(DOI:10\.\d{4,9}/\S+)$", "DOI:10.1177 AbC").is_empty());
    }

    #[test]
    fn unsupported_syntax_gives_no_format() {
        assert!(Format::parse(r"^(\w+)$").is_none());
        assert!(Format::parse(r"^((ab)+)$").is_none());
        assert!(Format::parse(r"^([^a])$").is_none());
    }
}
