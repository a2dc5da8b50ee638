//! TRF010–TRF015: the JSON Schema's verdict, mapped from instance paths to the ranges
//! `rules.md` names, in words a curator understands, one finding per problem.
//!
//! Scalars are judged by their source text (format.md): where the schema expects a
//! string and finds an unquoted number or boolean (`start: 2024`, `pmid: 35927231`),
//! the value is re-read as its text and validated again.
//!
//! A value reached through an alias is judged, and fixed, at its anchored node: one
//! finding however many aliases repeat it. Per mapping, keys are looked up in hash
//! sets, so a mapping of many unknown keys costs linear time.

use std::collections::{HashMap, HashSet};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix};
use crate::schema::{normalize, Schema};
use crate::syntax::edit::Editor;
use crate::syntax::{Node, NodeKind, Parsed, ScalarKind, Span};

/// The schema's findings, and per code how many more were counted but not kept.
#[derive(Debug, Default)]
pub struct Verdict {
    pub diagnostics: Vec<Diagnostic>,
    pub omitted: Vec<(Code, usize)>,
}

/// Findings of one code kept by the schema phase; the rest are only counted (the
/// engine lists `MAX_PER_CODE` of a code and counts the rest anyway), so a record
/// of 300,000 wrong values holds 800 findings, not 300,000.
const KEEP_PER_CODE: usize = 4 * crate::diagnostic::MAX_PER_CODE;

pub fn check(parsed: &Parsed, text: &str, schema: &Schema) -> Verdict {
    let empty = Node::map(
        Vec::new(),
        Span::empty(if text.starts_with('\u{feff}') { 3 } else { 0 }),
    );
    let root = parsed.root.as_ref().unwrap_or(&empty);
    if let Some(d) = unsupported_version(root) {
        return Verdict {
            diagnostics: vec![d],
            omitted: Vec::new(),
        };
    }
    // Most records are valid: one cheap pass over the tree itself says so, without
    // copying it into `serde_json` values or collecting anything.
    if crate::syntax::instance::judged_in_place(parsed)
        && schema
            .validator_for::<crate::syntax::instance::Tree>()
            .is_some_and(|v| v.is_valid(root))
    {
        return Verdict::default();
    }
    let mut instance = root.to_json();
    let Some(validator) = schema.validator() else {
        return Verdict::default();
    };
    if validator.is_valid(&instance) {
        return Verdict::default();
    }
    // The verdict is collected in pieces: the validator gathers each list's errors
    // at once (each holding paths and the value it is about), so a list of 100,000
    // wrong items would cost hundreds of bytes per item of the file. Lists longer
    // than `CHUNK` are cut to their first `CHUNK` items; the rest is judged `CHUNK`
    // items at a time, in place of the list, with paths shifted back.
    let mut tails = Vec::new();
    cut_long_lists(&mut instance, &mut String::new(), &mut tails);
    let mut mapper = Mapper {
        root,
        text,
        edit: Editor::new(text, parsed.syntax),
        schema,
        parsed,
        out: Vec::new(),
        seen: HashSet::new(),
        counts: HashMap::new(),
        omitted: HashMap::new(),
        missing_at: HashMap::new(),
        missing: Vec::new(),
        renamed: HashSet::new(),
        maps: HashMap::new(),
        known: HashMap::new(),
        shift: None,
    };
    judge(validator, root, &mut instance, &mut mapper);
    for (path, tail) in tails {
        let mut offset = CHUNK;
        let mut rest = tail.into_iter();
        loop {
            let chunk: Vec<Value> = rest.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len();
            let mut piece = instance.clone();
            if let Some(slot) = piece.pointer_mut(&path) {
                *slot = Value::Array(chunk);
                mapper.shift = Some((path.clone(), offset));
                judge(validator, root, &mut piece, &mut mapper);
            }
            offset += n;
        }
    }
    mapper.shift = None;
    mapper.finish()
}

/// Items of a list judged in one validation pass (see `check`).
const CHUNK: usize = 1000;

/// Cut every list longer than `CHUNK` (depth first), keeping each cut tail with the
/// list's JSON pointer.
fn cut_long_lists(value: &mut Value, path: &mut String, tails: &mut Vec<(String, Vec<Value>)>) {
    let len = path.len();
    match value {
        Value::Array(items) => {
            if items.len() > CHUNK {
                tails.push((path.clone(), items.split_off(CHUNK)));
            }
            for (i, item) in items.iter_mut().enumerate() {
                path.push('/');
                path.push_str(&i.to_string());
                cut_long_lists(item, path, tails);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                cut_long_lists(v, path, tails);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Validate one piece and map its errors. Unquoted numbers and booleans where a
/// string belongs are first re-read as their text (a patch can uncover another
/// below it, hence rounds). Errors are streamed, never collected.
fn judge(
    validator: &jsonschema::Validator,
    root: &Node,
    instance: &mut Value,
    mapper: &mut Mapper,
) {
    for _ in 0..3 {
        let mut patches: Vec<(String, String)> = Vec::new();
        for e in validator.iter_errors(instance) {
            if let ValidationErrorKind::Type { kind } = e.kind() {
                if expects(kind, JsonType::String) {
                    let path = e.instance_path().as_str();
                    if let Some((node, _)) = root.pointer(&mapper.shifted(path)) {
                        if let Some(s) = node.as_scalar() {
                            if !s.quoted() && s.kind != ScalarKind::Null {
                                patches.push((path.to_string(), s.text.clone()));
                            }
                        }
                    }
                }
            }
        }
        if patches.is_empty() {
            break;
        }
        for (path, text) in patches {
            if let Some(slot) = instance.pointer_mut(&path) {
                *slot = Value::String(text);
            }
        }
    }
    for e in validator.iter_errors(instance) {
        mapper.map(&e);
    }
}

/// `trf` other than 1: nothing else in the file can be judged against TRF 1.
fn unsupported_version(root: &Node) -> Option<Diagnostic> {
    let node = root.get("trf")?;
    let s = node.as_scalar()?;
    match s.kind {
        ScalarKind::Int(1) => None,
        ScalarKind::Int(_) | ScalarKind::Float(_) => Some(Diagnostic::new(
            Code::FormatVersion,
            node.span,
            format!(
                "`trf: {}` is not a supported format version; this trls reads `trf: 1`",
                s.text
            ),
        )),
        _ => None,
    }
}

fn expects(kind: &TypeKind, t: JsonType) -> bool {
    match kind {
        TypeKind::Single(k) => *k == t,
        TypeKind::Multiple(set) => set.contains(t),
    }
}

struct Mapper<'a> {
    root: &'a Node,
    text: &'a str,
    edit: Editor<'a>,
    schema: &'a Schema,
    parsed: &'a Parsed,
    out: Vec<Diagnostic>,
    /// (code, span, message) of every finding in `out`, to report each once.
    seen: HashSet<u64>,
    /// Findings per code so far, and those counted beyond `KEEP_PER_CODE`.
    counts: HashMap<Code, usize>,
    omitted: HashMap<Code, usize>,
    /// Position in `missing` of each mapping's entry.
    missing_at: HashMap<String, usize>,
    /// Per mapping (by span) its first entry for each key, built on first use.
    maps: HashMap<Span, HashMap<&'a str, usize>>,
    /// Per mapping and subschema, the schema's keys it lacks.
    known: HashMap<(Span, String), Known<'a>>,
    /// Missing keys per mapping (instance path), in the schema's order.
    missing: Vec<(String, Vec<String>)>,
    /// Keys a TRF011 fix renames into, per mapping: not reported missing as well.
    renamed: HashSet<(String, String)>,
    /// While a long list's tail is judged in its place: the list's pointer and the
    /// index of the piece's first item.
    shift: Option<(String, usize)>,
}

impl<'a> Mapper<'a> {
    /// An instance path of the piece being judged, as a path of the whole record.
    fn shifted<'p>(&self, path: &'p str) -> std::borrow::Cow<'p, str> {
        if let Some((list, offset)) = &self.shift {
            if let Some(rest) = path
                .strip_prefix(list.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                let (index, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                if let Ok(i) = index.parse::<usize>() {
                    return format!("{list}/{}{tail}", i + offset).into();
                }
            }
        }
        path.into()
    }

    fn map(&mut self, e: &ValidationError<'_>) {
        let path = self.shifted(e.instance_path().as_str()).into_owned();
        let schema_path = e.schema_path().as_str().to_string();
        let Some((node, key)) = self.root.pointer(&path) else {
            return;
        };
        let sub = parent_pointer(&schema_path);
        let judged_elsewhere = self.annotation(sub, "x-trls-judged-by").is_some();
        match e.kind() {
            ValidationErrorKind::Required { property } => {
                if let Some(p) = property.as_str() {
                    self.add_missing(&path, p);
                }
            }
            ValidationErrorKind::AnyOf { .. } if self.is_alternative_required(sub) => {
                let keys = self.alternative_keys(sub);
                if !keys.iter().any(|k| node.get(k).is_some()) {
                    let list = keys
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    if let Some(span) = self.missing_anchor(&path, node) {
                        self.push(Diagnostic::new(
                            Code::MissingKey,
                            span,
                            format!("needs at least one of {list}"),
                        ));
                    }
                }
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                // The branch that came closest speaks for the value.
                if let Some(best) = context.iter().min_by_key(|c| c.len()) {
                    for inner in best {
                        self.map(inner);
                    }
                }
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for k in unexpected {
                    if let Some(target) = self.unknown_key(node, sub, k) {
                        self.renamed.insert((path.clone(), target));
                    }
                }
            }
            // A value lost to a syntax error on the next line is TRF001's finding.
            ValidationErrorKind::Type { .. } if self.lost_to_syntax_error(node) => {}
            ValidationErrorKind::Type { kind } => {
                let d = self.wrong_type(node, key, kind, sub);
                self.push(d);
            }
            // A missing value is TRF012's "found no value", not also an unknown term.
            ValidationErrorKind::Enum { .. }
                if node.as_scalar().is_some_and(|s| s.kind == ScalarKind::Null) => {}
            ValidationErrorKind::Enum { .. } => {
                let d = self.unknown_term(node, sub);
                self.push(d);
            }
            ValidationErrorKind::Constant { expected_value } => {
                let code = if path == "/trf" {
                    Code::FormatVersion
                } else {
                    Code::Constraint
                };
                let msg = if code == Code::FormatVersion {
                    format!(
                        "`{}` is not a supported format version; this trls reads `trf: 1`",
                        source(self.text, node)
                    )
                } else {
                    format!("expected `{expected_value}`")
                };
                self.push(Diagnostic::new(code, node.span, msg));
            }
            _ if judged_elsewhere => {}
            kind => {
                if let Some(msg) = self.constraint_message(kind, node, sub) {
                    self.push(Diagnostic::new(Code::Constraint, node.source_span(), msg));
                }
            }
        }
    }

    fn push(&mut self, d: Diagnostic) {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (d.code, d.span, &d.message).hash(&mut h);
        if !self.seen.insert(h.finish()) {
            return;
        }
        let n = self.counts.entry(d.code).or_default();
        *n += 1;
        if *n > KEEP_PER_CODE {
            *self.omitted.entry(d.code).or_default() += 1;
        } else {
            self.out.push(d);
        }
    }

    fn add_missing(&mut self, path: &str, key: &str) {
        match self.missing_at.get(path) {
            Some(&i) => {
                let keys = &mut self.missing[i].1;
                if !keys.iter().any(|k| k == key) {
                    keys.push(key.to_string());
                }
            }
            None => {
                self.missing_at.insert(path.to_string(), self.missing.len());
                self.missing.push((path.to_string(), vec![key.to_string()]));
            }
        }
    }

    fn finish(mut self) -> Verdict {
        let not_stated = super::gaps::not_stated(self.root);
        for (path, mut keys) in std::mem::take(&mut self.missing) {
            // One finding, one code: a misspelt required key is TRF011 with a rename.
            keys.retain(|k| !self.renamed.contains(&(path.clone(), k.clone())));
            // A fact the record says no source states is not missing (format.md).
            if let Some(prefix) = key_path_of(&path) {
                keys.retain(|k| {
                    let full = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    !super::gaps::excuses(self.schema.keypaths(), &not_stated, &full)
                });
            }
            if keys.is_empty() {
                continue;
            }
            let Some((node, _)) = self.root.pointer(&path) else {
                continue;
            };
            // A mapping the parser could not read completely may hold the key.
            if self.parsed.is_damaged(node.span) && !self.parsed.damaged.is_empty() {
                continue;
            }
            let Some(span) = self.missing_anchor(&path, node) else {
                continue;
            };
            let list = keys
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let s = if keys.len() == 1 { "" } else { "s" };
            self.push(Diagnostic::new(
                Code::MissingKey,
                span,
                format!("missing required key{s} {list}"),
            ));
        }
        self.out.sort_by_key(|d| (d.span.start, d.code));
        let mut omitted: Vec<(Code, usize)> = self.omitted.into_iter().collect();
        omitted.sort();
        Verdict {
            diagnostics: self.out,
            omitted,
        }
    }

    /// The key of the mapping that lacks it; a list item's first key (or the item);
    /// at top level the first key of the document.
    fn missing_anchor(&self, path: &str, node: &Node) -> Option<Span> {
        let first_key = node.as_map().and_then(|m| m.first()).map(|e| e.key.span);
        if path.is_empty() {
            return Some(first_key.unwrap_or(node.span));
        }
        let last = path.rsplit('/').next().unwrap_or("");
        if last.parse::<usize>().is_ok() {
            return Some(first_key.unwrap_or(node.span));
        }
        self.root
            .pointer(path)
            .and_then(|(_, key)| key.map(|k| k.span))
    }

    /// Walk from a subschema up through applicators that stay at the same instance
    /// (`if`/`then`/`else`, `allOf`/`anyOf`/`oneOf` branches) looking for a keyword.
    fn annotation(&self, pointer: &str, name: &str) -> Option<&Value> {
        let mut p = pointer.to_string();
        loop {
            if let Some(v) = resolve(self.schema, &p).and_then(|s| s.get(name)) {
                return Some(v);
            }
            let last = p.rsplit('/').next().unwrap_or("").to_string();
            let parent = parent_pointer(&p).to_string();
            let grand = parent.rsplit('/').next().unwrap_or("");
            let applicator = matches!(last.as_str(), "then" | "else" | "if")
                || (last.parse::<usize>().is_ok() && matches!(grand, "allOf" | "anyOf" | "oneOf"));
            if !applicator || p.is_empty() {
                return None;
            }
            p = if last.parse::<usize>().is_ok() {
                parent_pointer(&parent).to_string()
            } else {
                parent
            };
        }
    }

    fn is_alternative_required(&self, sub: &str) -> bool {
        let Some(Value::Array(branches)) = resolve(self.schema, sub).and_then(|s| s.get("anyOf"))
        else {
            return false;
        };
        branches.iter().all(|b| {
            b.as_object()
                .is_some_and(|o| o.len() == 1 && o.contains_key("required"))
        })
    }

    fn alternative_keys(&self, sub: &str) -> Vec<String> {
        let Some(Value::Array(branches)) = resolve(self.schema, sub).and_then(|s| s.get("anyOf"))
        else {
            return Vec::new();
        };
        branches
            .iter()
            .filter_map(|b| b.get("required")?.as_array())
            .flatten()
            .filter_map(|k| k.as_str().map(String::from))
            .collect()
    }

    fn lost_to_syntax_error(&self, node: &Node) -> bool {
        node.as_scalar().is_some_and(|s| s.kind == ScalarKind::Null)
            && self.parsed.damaged.iter().any(|d| {
                d.start >= node.span.end
                    && self
                        .text
                        .get(node.span.end..d.start)
                        .is_some_and(|gap| gap.chars().all(|c| c.is_whitespace() || c == ':'))
            })
    }

    /// Report an unknown key; returns the key its fix renames it to, if any.
    fn unknown_key(&mut self, map: &'a Node, sub: &str, key: &str) -> Option<String> {
        let entries = map.as_map()?;
        let keys = self.maps.entry(map.span).or_insert_with(|| {
            let mut keys = HashMap::with_capacity(entries.len());
            for (i, e) in entries.iter().enumerate() {
                if let Some(k) = e.key_text() {
                    keys.entry(k).or_insert(i);
                }
            }
            keys
        });
        let entry = &entries[*keys.get(key)?];
        let schema = self.schema;
        // The keys the schema knows here but the mapping lacks, once per mapping.
        let known = self
            .known
            .entry((map.span, sub.to_string()))
            .or_insert_with(|| {
                let all: Vec<&str> = resolve(schema, sub)
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                let list = all.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>();
                let hint = if list.len() <= 12 {
                    format!("; expected one of {}", list.join(", "))
                } else {
                    String::new()
                };
                let absent = all
                    .into_iter()
                    .filter(|k| !keys.contains_key(k))
                    .map(|k| (k, normalize(k), k.chars().count()))
                    .collect();
                Known { absent, hint }
            });
        let suggestion = nearest_prepared(key, &known.absent);
        let renamed = suggestion.map(String::from);
        let d = match suggestion {
            Some(s) => Diagnostic::new(
                Code::UnknownKey,
                entry.key.span,
                format!("unknown key `{key}`; did you mean `{s}`?"),
            )
            .with_fix(
                self.edit
                    .rename_key(entry, s)
                    .map(|e| Fix::new(format!("rename to `{s}`"), vec![e], true)),
            ),
            None => Diagnostic::new(
                Code::UnknownKey,
                entry.key.span,
                format!("unknown key `{key}`{}", known.hint),
            ),
        };
        self.push(d);
        renamed
    }

    fn wrong_type(
        &self,
        node: &Node,
        key: Option<&Node>,
        kind: &TypeKind,
        sub: &str,
    ) -> Diagnostic {
        let vocabulary = resolve(self.schema, sub)
            .and_then(|s| s.get("x-trls-vocabulary"))
            .and_then(Value::as_str)
            .and_then(|name| self.schema.vocabulary(name));
        let expected = self
            .annotation(sub, "x-trls-expected")
            .and_then(Value::as_str)
            .map(String::from)
            .or_else(|| vocabulary.map(|v| with_article(&v.title.to_lowercase())))
            .unwrap_or_else(|| type_names(kind));
        let found = describe(self.text, node);
        let what = key
            .and_then(|k| k.as_scalar())
            .map(|k| format!("`{}`: ", k.text))
            .unwrap_or_default();
        // YAML 1.1 booleans are text in YAML 1.2: say so and offer the real one.
        if expects(kind, JsonType::Boolean) {
            if let Some(s) = node.as_scalar() {
                let b = match s.text.to_ascii_lowercase().as_str() {
                    "yes" | "y" | "on" => Some("true"),
                    "no" | "n" | "off" => Some("false"),
                    _ => None,
                };
                if let Some(b) = b {
                    return Diagnostic::new(
                        Code::WrongType,
                        node.source_span(),
                        format!(
                            "{what}`{}` is text in YAML 1.2, not a boolean; write `{b}`",
                            s.text
                        ),
                    )
                    .with_fix(
                        self.edit
                            .replace_literal(node, b)
                            .map(|e| Fix::new(format!("replace with `{b}`"), vec![e], true)),
                    );
                }
            }
        }
        Diagnostic::new(
            Code::WrongType,
            node.source_span(),
            format!("{what}expected {expected}, found {found}"),
        )
    }

    fn unknown_term(&self, node: &Node, sub: &str) -> Diagnostic {
        let vocab = resolve(self.schema, sub)
            .and_then(|s| s.get("x-trls-vocabulary"))
            .and_then(Value::as_str)
            .and_then(|name| self.schema.vocabulary(name));
        let value = node.text().unwrap_or("").to_string();
        let Some(vocab) = vocab else {
            return Diagnostic::new(
                Code::UnknownTerm,
                node.source_span(),
                format!("`{value}` is not an allowed value"),
            );
        };
        let noun = vocab.title.to_lowercase();
        match vocab.suggest(&value) {
            Some(term) => Diagnostic::new(
                Code::UnknownTerm,
                node.source_span(),
                if normalize(&term.label) == normalize(&term.id) {
                    format!(
                        "`{value}` is not a valid {noun}; did you mean `{}`?",
                        term.id
                    )
                } else {
                    format!(
                        "`{value}` is not a valid {noun}; did you mean `{}` ({})?",
                        term.id, term.label
                    )
                },
            )
            .with_fix(
                self.edit
                    .replace_scalar(node, &term.id)
                    .map(|e| Fix::new(format!("replace with `{}`", term.id), vec![e], true)),
            ),
            None => {
                let ids: Vec<String> = vocab.terms.iter().map(|t| format!("`{}`", t.id)).collect();
                let hint = if ids.len() <= 12 {
                    format!("; expected one of {}", ids.join(", "))
                } else {
                    format!(" ({} terms; the editor completes them)", ids.len())
                };
                Diagnostic::new(
                    Code::UnknownTerm,
                    node.source_span(),
                    format!("`{value}` is not a valid {noun}{hint}"),
                )
            }
        }
    }

    fn constraint_message(
        &self,
        kind: &ValidationErrorKind,
        node: &Node,
        sub: &str,
    ) -> Option<String> {
        let shown = source(self.text, node);
        let expected = || {
            self.annotation(sub, "x-trls-expected")
                .and_then(Value::as_str)
                .map(String::from)
        };
        let chars = node.text().map(|t| t.chars().count()).unwrap_or(0);
        let items = node.as_seq().map(|s| s.len()).unwrap_or(0);
        let plural = |n: u64, w: &str| {
            if n == 1 {
                format!("1 {w}")
            } else {
                format!("{n} {w}s")
            }
        };
        Some(match kind {
            ValidationErrorKind::Pattern { .. } => match expected() {
                Some(x) => format!("`{shown}` is not {x}"),
                None => format!("`{shown}` is not in the expected format"),
            },
            ValidationErrorKind::MinLength { limit: 1 } => "must not be empty".to_string(),
            ValidationErrorKind::MinLength { limit } => {
                format!(
                    "is too short: at least {} required",
                    plural(*limit, "character")
                )
            }
            ValidationErrorKind::MaxLength { limit } => {
                format!("is too long: {chars} characters where at most {limit} are allowed")
            }
            ValidationErrorKind::Minimum { limit } => {
                format!("`{shown}` is less than the minimum {limit}")
            }
            ValidationErrorKind::Maximum { limit } => {
                format!("`{shown}` is more than the maximum {limit}")
            }
            ValidationErrorKind::ExclusiveMinimum { limit } => {
                format!("`{shown}` must be more than {limit}")
            }
            ValidationErrorKind::ExclusiveMaximum { limit } => {
                format!("`{shown}` must be less than {limit}")
            }
            ValidationErrorKind::MinItems { limit } => {
                format!("needs at least {}, has {items}", plural(*limit, "item"))
            }
            ValidationErrorKind::MaxItems { limit } => {
                format!("allows at most {}, has {items}", plural(*limit, "item"))
            }
            ValidationErrorKind::UniqueItems => "lists the same item more than once".to_string(),
            ValidationErrorKind::FalseSchema => "is not allowed here".to_string(),
            other => format!(
                "does not satisfy the schema's `{}` constraint",
                other.keyword()
            ),
        })
    }
}

/// Resolve a schema pointer, following `$ref` segments if the path has any.
fn resolve<'s>(schema: &'s Schema, pointer: &str) -> Option<&'s Value> {
    if !pointer.contains("$ref") {
        return schema.at(pointer);
    }
    let mut node = schema.json();
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        node = if seg == "$ref" {
            let target = node.get("$ref")?.as_str()?.strip_prefix('#')?;
            schema.at(target)?
        } else if let Ok(i) = seg.parse::<usize>() {
            node.get(i).or_else(|| node.get(seg.as_str()))?
        } else {
            node.get(seg.as_str())?
        };
    }
    Some(node)
}

/// An instance path (JSON pointer) as a key path (`/dates` → `dates`); `None` when
/// it goes through a list item (a list item's keys are no key paths).
fn key_path_of(pointer: &str) -> Option<String> {
    let mut segs = Vec::new();
    for raw in pointer.split('/').skip(1) {
        if raw.parse::<usize>().is_ok() {
            return None;
        }
        segs.push(raw.replace("~1", "/").replace("~0", "~"));
    }
    Some(segs.join("."))
}

fn parent_pointer(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..i])
}

/// A lower bound of the edit distance of two ASCII strings (the larger count of
/// characters one has and the other lacks); 0 when either is not ASCII.
fn bag_distance(a: &str, b: &str) -> usize {
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i32; 128];
    for c in a.bytes() {
        counts[c as usize] += 1;
    }
    for c in b.bytes() {
        counts[c as usize] -= 1;
    }
    // Visit only the characters the strings hold (each once, then zeroed).
    let (mut more, mut fewer) = (0usize, 0usize);
    for c in a.bytes().chain(b.bytes()) {
        let n = std::mem::take(&mut counts[c as usize]);
        if n > 0 {
            more += n as usize;
        } else {
            fewer += n.unsigned_abs() as usize;
        }
    }
    more.max(fewer)
}

/// The schema's keys a mapping lacks (each with its normalized form and length in
/// chars), and the hint listing every key the schema knows there.
struct Known<'s> {
    absent: Vec<(&'s str, String, usize)>,
    hint: String,
}

/// The nearest candidate within edit distance 2, or equal but for case and separators.
pub fn nearest<'c>(value: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let prepared: Vec<(&str, String, usize)> = candidates
        .map(|c| (c, normalize(c), c.chars().count()))
        .collect();
    nearest_prepared(value, &prepared)
}

/// [`nearest`] over candidates normalized in advance. The first of equally near
/// candidates wins; the edit distance is at least the difference in length, so
/// only candidates within 2 of the value's length are measured.
fn nearest_prepared<'c>(value: &str, candidates: &[(&'c str, String, usize)]) -> Option<&'c str> {
    if value.len() <= 2 {
        return None;
    }
    let norm = normalize(value);
    let len = value.chars().count();
    let mut best: Option<(usize, &'c str)> = None;
    for (c, c_norm, c_len) in candidates {
        let d = if *c_norm == norm {
            0
        } else if c_len.abs_diff(len) > 2 || bag_distance(value, c) > 2 {
            continue;
        } else {
            strsim::levenshtein(value, c)
        };
        if d <= 2 && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// "an overall status", "a route".
fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// The node's source text, shortened for a message.
fn source(text: &str, node: &Node) -> String {
    let raw = node
        .as_scalar()
        .map(|s| s.text.as_str())
        .or_else(|| text.get(node.span.start..node.span.end))
        .unwrap_or("");
    let mut s: String = raw.chars().take(60).collect();
    if raw.chars().count() > 60 {
        s.push('…');
    }
    s.replace('\n', " ")
}

fn describe(text: &str, node: &Node) -> String {
    match &node.kind {
        NodeKind::Map(_) => "a mapping".into(),
        NodeKind::Seq(_) => "a list".into(),
        NodeKind::Scalar(s) => match s.kind {
            ScalarKind::Null => "no value".into(),
            ScalarKind::Bool(_) => format!("the boolean `{}`", s.text),
            ScalarKind::Int(_) | ScalarKind::Float(_) => format!("the number `{}`", s.text),
            ScalarKind::Str => format!("the text `{}`", source(text, node)),
        },
    }
}

fn type_names(kind: &TypeKind) -> String {
    let name = |t: &JsonType| match t {
        JsonType::String => "text",
        JsonType::Integer => "a whole number",
        JsonType::Number => "a number",
        JsonType::Boolean => "`true` or `false`",
        JsonType::Array => "a list",
        JsonType::Object => "a mapping",
        JsonType::Null => "nothing",
    };
    match kind {
        TypeKind::Single(t) => name(t).to_string(),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| name(&t))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}
