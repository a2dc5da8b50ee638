//! Completion: keys valid at the cursor, vocabulary terms, units fitting the
//! outcome's quantity, local ids at references, workspace record ids in `related`,
//! and snippets for a new list item or a whole record. The cursor's context comes
//! from the text ([`super::context`]), so this works while the document does not
//! parse; other parts of the record (local ids, an outcome's quantity) are read
//! from the top-level entries that hold them ([`super::doc`]).

use super::context::{self, Cursor, Seg, Slot};
use super::doc::Doc;
use super::schema_walk::{self, Prop};
use super::tree;
use super::unit_table;
use super::{Completion, ItemKind, WorkspaceView};
use crate::ids;
use crate::model::LocalKind;
use crate::schema::{Schema, Term, Vocabulary};
use crate::syntax::{Node, Span, Syntax};

struct Ctx<'a> {
    schema: &'a Schema,
    ws: &'a WorkspaceView<'a>,
    cur: &'a Cursor,
    doc: Doc<'a>,
    offset: usize,
}

/// A value to offer, before quoting and placing.
struct Candidate {
    label: String,
    kind: ItemKind,
    detail: Option<String>,
    documentation: Option<String>,
    value: String,
    sort: String,
    /// Inserted as is (a number or boolean), never quoted.
    literal: bool,
}

/// Completions at `offset`. Never fails: nothing to offer is an empty list.
pub fn completion(
    text: &str,
    syntax: Syntax,
    offset: usize,
    schema: &Schema,
    ws: &WorkspaceView,
) -> Vec<Completion> {
    let offset = context::position(text, offset);
    let Some(cur) = context::cursor(text, syntax, offset) else {
        return Vec::new();
    };
    let c = Ctx {
        schema,
        ws,
        cur: &cur,
        doc: Doc::new(text, syntax),
        offset,
    };
    let mut out = Vec::new();
    if cur.empty_document && cur.path.is_empty() {
        out.push(skeleton(&c));
        if syntax == Syntax::Json {
            return out;
        }
    }
    match cur.slot {
        Slot::Key => {
            if let Some(prop) = schema_walk::at(schema, &cur.path) {
                if schema_walk::type_name(&prop) == Some("array") {
                    new_item(&c, &prop, &mut out);
                } else {
                    keys(&c, &prop, &mut out);
                }
            }
        }
        Slot::Value => values(&c, &mut out),
    }
    out
}

// ---------------------------------------------------------------------------
// Keys

fn keys(c: &Ctx, prop: &Prop, out: &mut Vec<Completion>) {
    let cur = c.cur;
    let required = schema_walk::required(prop, &cur.siblings);
    let one_of = schema_walk::one_of_required(prop);
    for (i, (name, p)) in schema_walk::properties(c.schema, prop)
        .into_iter()
        .enumerate()
    {
        if cur.siblings.iter().any(|(k, _)| k == name) {
            continue;
        }
        let group = if required.contains(&name) {
            0
        } else if one_of.contains(&name) {
            1
        } else {
            2
        };
        let colon = if cur.colon_follows { "" } else { ": " };
        let lead = if cur.space_before { " " } else { "" };
        let (insert, replace) = match (cur.quote, cur.syntax) {
            // Inside quotes: from after the opening one, so that the editor filters
            // by the word typed.
            (Some(q), _) => (format!("{name}{q}{colon}"), after_quote(cur)),
            (None, Syntax::Yaml) => (format!("{lead}{name}{colon}"), cur.scalar_span),
            (None, Syntax::Json) => (format!("\"{name}\"{colon}"), cur.scalar_span),
        };
        let mut path = cur.path.clone();
        path.push(Seg::Key(name.to_string()));
        let detail = match tree::reference_kind(&path) {
            Some(kind) => format!("{} id", kind.noun()),
            None => {
                path.push(Seg::Item);
                match tree::reference_kind(&path) {
                    Some(kind) => format!("list of {} ids", kind.noun()),
                    None => schema_walk::short_type(c.schema, &p),
                }
            }
        };
        out.push(Completion {
            label: name.to_string(),
            kind: ItemKind::Key,
            detail: Some(detail),
            documentation: p.description().map(String::from),
            insert,
            snippet: false,
            replace,
            sort: format!("{group}{i:03}"),
        });
    }
}

// ---------------------------------------------------------------------------
// Values

fn values(c: &Ctx, out: &mut Vec<Completion>) {
    let cur = c.cur;
    let path = &cur.path;
    let Some(prop) = schema_walk::at(c.schema, path) else {
        return;
    };
    let at_item = path.last() == Some(&Seg::Item);

    // A new item of a list of mappings: its keys, and the whole item as a snippet.
    if at_item && schema_walk::is_object(c.schema, &prop) {
        if !cur.flow {
            keys(c, &prop, out);
        }
        let layout = if cur.flow { Layout::Flow } else { Layout::Item };
        if cur.siblings.is_empty() || cur.flow {
            out.extend(item_snippet(c, &prop, layout, false));
        }
        return;
    }

    // The value of a list key (`arms: |`, `phases: |`).
    if schema_walk::type_name(&prop) == Some("array") && !at_item {
        if !cur.word.is_empty() {
            return;
        }
        let Some(item) = schema_walk::child(c.schema, &prop, &Seg::Item) else {
            return;
        };
        if schema_walk::is_object(c.schema, &item) {
            let layout = if cur.flow {
                Layout::Flow
            } else {
                Layout::ListValue
            };
            out.extend(item_snippet(c, &item, layout, cur.flow));
            return;
        }
        let mut item_path = path.clone();
        item_path.push(Seg::Item);
        for cand in scalar_candidates(c, &item_path, &item) {
            out.push(place(c, cand, Wrap::List, false));
        }
        return;
    }

    if schema_walk::is_quantity(c.schema, &prop) && prop.def != Some("Unit") && cur.number.is_some()
    {
        for cand in unit_candidates(c) {
            out.push(place(c, cand, Wrap::Plain, true));
        }
        return;
    }
    for cand in scalar_candidates(c, path, &prop) {
        out.push(place(c, cand, Wrap::Plain, false));
    }
}

/// A blank line under a list key, before its `- `: a new item, with its marker.
fn new_item(c: &Ctx, list: &Prop, out: &mut Vec<Completion>) {
    let cur = c.cur;
    if cur.flow || cur.syntax != Syntax::Yaml || !cur.word.is_empty() {
        return;
    }
    let Some(item) = schema_walk::child(c.schema, list, &Seg::Item) else {
        return;
    };
    if schema_walk::is_object(c.schema, &item) {
        out.extend(item_snippet(c, &item, Layout::NewItem, false));
        return;
    }
    let mut path = cur.path.clone();
    path.push(Seg::Item);
    for cand in scalar_candidates(c, &path, &item) {
        out.push(place(c, cand, Wrap::Item, false));
    }
}

/// Every scalar value that fits at `path`.
fn scalar_candidates(c: &Ctx, path: &[Seg], prop: &Prop) -> Vec<Candidate> {
    let cur = c.cur;
    if let Some(kind) = tree::reference_kind(path) {
        return local_ids(c, kind);
    }
    if path == [Seg::Key("related".into()), Seg::Item] {
        return record_ids(c);
    }
    if prop.def == Some("Unit") {
        return unit_candidates(c);
    }
    // A source's registry record is usually the record's own.
    if path
        == [
            Seg::Key("sources".into()),
            Seg::Item,
            Seg::Key("registry_id".into()),
        ]
    {
        let own = c
            .doc
            .section("id")
            .and_then(|(n, _)| n.text().map(String::from));
        return own
            .filter(|id| !id.is_empty())
            .map(|id| Candidate {
                label: id.clone(),
                kind: ItemKind::RecordId,
                detail: Some("this record's id".into()),
                documentation: None,
                value: id,
                sort: "000".into(),
                literal: false,
            })
            .into_iter()
            .collect();
    }
    let listed = |id: &str| cur.items.iter().any(|i| i == id);
    let mut out = Vec::new();
    if let Some(v) = schema_walk::vocabulary(c.schema, prop) {
        for (i, t) in v.terms.iter().enumerate() {
            if listed(&t.id) {
                continue;
            }
            out.push(Candidate {
                label: t.id.clone(),
                kind: ItemKind::Term,
                detail: Some(t.label.clone()),
                documentation: Some(term_documentation(v, t)),
                value: t.id.clone(),
                sort: format!("{i:03}"),
                literal: false,
            });
        }
        return out;
    }
    for (i, v) in schema_walk::enum_values(prop).into_iter().enumerate() {
        out.push(Candidate {
            label: v.clone(),
            kind: ItemKind::Term,
            detail: None,
            documentation: None,
            value: v,
            sort: format!("{i:03}"),
            literal: false,
        });
    }
    let is_const = prop.node.get("const").is_some();
    for v in schema_walk::constants(prop) {
        let literal = is_const && prop.node.get("const").is_some_and(|k| !k.is_string());
        out.push(Candidate {
            label: v.clone(),
            kind: ItemKind::Term,
            detail: prop
                .description()
                .map(|_| schema_walk::short_type(c.schema, prop)),
            documentation: prop.description().map(String::from),
            value: v,
            sort: "000".into(),
            literal,
        });
    }
    if schema_walk::type_name(prop) == Some("boolean") {
        for (i, v) in ["true", "false"].into_iter().enumerate() {
            out.push(Candidate {
                label: v.into(),
                kind: ItemKind::Term,
                detail: Some("boolean".into()),
                documentation: None,
                value: v.into(),
                sort: format!("{i:03}"),
                literal: true,
            });
        }
    }
    out
}

/// A term's documentation: its definition, and what else its vocabulary knows.
pub(super) fn term_documentation(v: &Vocabulary, t: &Term) -> String {
    let mut doc = t.definition.clone();
    if let Some(nci) = &t.nci {
        doc.push_str(&format!("\n\nNCI code {nci}"));
    }
    if v.name == "QuantityKind" {
        let s = |k: &str| t.extra.get(k).and_then(|v| v.as_str());
        if let (Some(dim), Some(unit)) = (s("dimension"), s("canonical_unit")) {
            doc.push_str(&format!(
                "\n\nDimension: {} · canonical unit `{unit}`",
                unit_table::dimension_label(dim)
            ));
            if let Some([lo, hi]) = t
                .extra
                .get("range")
                .and_then(|r| r.as_array())
                .map(Vec::as_slice)
            {
                doc.push_str(&format!(" · plausible range {lo}–{hi} {unit}"));
            }
        }
    }
    if v.name == "Registry" {
        let examples: Vec<String> = t
            .extra
            .get("examples")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
            .filter_map(|e| e.as_str())
            .map(|e| format!("`{e}`"))
            .collect();
        if !examples.is_empty() {
            doc.push_str(&format!("\n\nIds look like {}", examples.join(", ")));
        }
    }
    doc
}

fn local_ids(c: &Ctx, kind: LocalKind) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for (i, (id, item)) in c.doc.definitions(kind).into_iter().enumerate() {
        if c.cur.items.contains(&id) || out.iter().any(|o| o.label == id) {
            continue;
        }
        let (detail, md) = tree::summary(kind, &item);
        out.push(Candidate {
            label: id.clone(),
            kind: ItemKind::LocalId,
            detail,
            documentation: Some(md),
            value: id,
            sort: format!("{i:04}"),
            literal: false,
        });
    }
    out
}

fn canonical(id: &str) -> String {
    let id = id.trim();
    ids::canonical(id).map_or_else(|| id.to_string(), |c| c.id)
}

fn record_ids(c: &Ctx) -> Vec<Candidate> {
    let own = c
        .doc
        .section("id")
        .and_then(|(n, _)| n.text().map(canonical));
    let listed: Vec<String> = c.cur.items.iter().map(|i| canonical(i)).collect();
    let mut out: Vec<Candidate> = Vec::new();
    for r in &c.ws.records {
        let Some((id, _)) = &r.summary.id else {
            continue;
        };
        let canon = canonical(id);
        if canon.is_empty()
            || Some(&canon) == own.as_ref()
            || listed.contains(&canon)
            || out.iter().any(|o| o.value == canon)
        {
            continue;
        }
        let registry = ids::canonical(&canon).and_then(|k| ids::registry(k.registry));
        let mut doc = match registry {
            Some(reg) => format!("{} record in this workspace", reg.name),
            None => "Record in this workspace".to_string(),
        };
        doc.push_str(&format!(": `{}`", r.path.display()));
        out.push(Candidate {
            label: canon.clone(),
            kind: ItemKind::RecordId,
            detail: r.summary.title.clone(),
            documentation: Some(doc),
            value: canon.clone(),
            sort: canon,
            literal: false,
        });
    }
    out
}

/// The keys whose quantities are times.
const TIME_KEYS: &[&str] = &["timepoint", "min_age", "max_age", "interval", "duration"];

/// What the units at the cursor measure: (dimension, canonical unit, the unit the
/// outcome declares).
fn unit_context(c: &Ctx) -> (Option<String>, Option<String>, Option<String>) {
    let cur = c.cur;
    let keys: Vec<&str> = cur
        .path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Item => None,
        })
        .collect();
    // The quantity's own key (`mean` of `mean: {value, unit}`).
    let own = match keys.as_slice() {
        [.., k, "unit"] if keys.len() > 2 => *k,
        [.., k] => *k,
        [] => "",
    };
    if TIME_KEYS.contains(&own) {
        return (Some("time".into()), None, None);
    }
    if own == "dose" {
        return (Some("dose".into()), None, None);
    }
    let quantity_of = |quantity: Option<&str>| -> (Option<String>, Option<String>) {
        let term = quantity.and_then(|q| c.schema.vocabulary("QuantityKind")?.term(q));
        let s = |k: &str| {
            term.and_then(|t| t.extra.get(k))
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        (s("dimension"), s("canonical_unit"))
    };
    let first = keys.first().copied();
    if first == Some("outcomes") && own == "unit" {
        let quantity = cur.sibling("quantity").map(String::from).or_else(|| {
            entry_at(c, "outcomes").and_then(|o| tree::text_of(&o, "quantity").map(String::from))
        });
        let (dim, canonical) = quantity_of(quantity.as_deref());
        return (dim, canonical, None);
    }
    if first == Some("results") {
        let outcome_id = cur.sibling("outcome").map(String::from).or_else(|| {
            entry_at(c, "results").and_then(|r| tree::text_of(&r, "outcome").map(String::from))
        });
        let outcome = outcome_id.as_deref().and_then(|id| {
            c.doc
                .definitions(LocalKind::Outcome)
                .into_iter()
                .find(|(d, _)| d == id)
                .map(|(_, n)| n)
        });
        let outcome = outcome.as_ref();
        let (dim, canonical) = quantity_of(outcome.and_then(|o| tree::text_of(o, "quantity")));
        let declared = outcome
            .and_then(|o| tree::text_of(o, "unit"))
            .map(String::from);
        return (dim, canonical, declared);
    }
    (None, None, None)
}

/// The item of a top-level list the cursor is in (or the last one starting before
/// it, when the cursor's line did not parse).
fn entry_at(c: &Ctx, list: &str) -> Option<Node> {
    let (node, base) = c.doc.section(list)?;
    node.as_seq()?
        .iter()
        .take_while(|i| i.span.start + base <= c.offset)
        .last()
        .cloned()
}

fn unit_candidates(c: &Ctx) -> Vec<Candidate> {
    let (dim, canonical, declared) = unit_context(c);
    let mut out: Vec<Candidate> = Vec::new();
    let mut add = |symbol: &str, group: u8, idx: usize, note: Option<&str>| {
        if out.iter().any(|o| o.label == symbol) {
            return;
        }
        let info = unit_table::lookup(symbol);
        let meaning = info.map(|i| i.meaning.to_string());
        let mut doc = match info {
            Some(i) => format!(
                "UCUM `{symbol}`: {}. Dimension: {}.",
                i.meaning,
                unit_table::dimensions_text(i)
            ),
            None => format!("UCUM unit `{symbol}`."),
        };
        if let Some(n) = note {
            doc.push_str(&format!("\n\n{n}"));
        }
        out.push(Candidate {
            label: symbol.to_string(),
            kind: ItemKind::Unit,
            detail: meaning.or_else(|| note.map(String::from)),
            documentation: Some(doc),
            value: symbol.to_string(),
            sort: format!("{group}{idx:03}"),
            literal: false,
        });
    };
    if let Some(d) = &declared {
        add(d, 0, 0, Some("The unit the outcome declares."));
    }
    if let Some(u) = &canonical {
        add(
            u,
            1,
            0,
            Some("The canonical unit of the outcome's quantity."),
        );
    }
    match &dim {
        Some(d) => {
            for (i, u) in unit_table::for_dimension(d).enumerate() {
                add(u.symbol, 2, i, None);
            }
        }
        None => {
            let all = unit_table::DIMENSIONS
                .iter()
                .filter(|(d, _)| *d != "dose")
                .flat_map(|(d, _)| unit_table::for_dimension(d));
            for (i, u) in all.enumerate() {
                add(u.symbol, 2, i, None);
            }
        }
    }
    out
}

/// Whether a YAML plain scalar cannot hold this text (the edit layer's rule).
fn yaml_needs_quotes(v: &str, flow: bool) -> bool {
    !crate::syntax::edit::plain_ok(v, flow)
}

/// A quoted scalar's span from just after its opening quote (through the closing
/// one, if any).
fn after_quote(cur: &Cursor) -> Span {
    let s = cur.scalar_span;
    Span::new((s.start + 1).min(s.end), s.end)
}

/// How a value is written where the cursor is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrap {
    /// As it is.
    Plain,
    /// As a one-item flow list (`[X]`): the value of a list key.
    List,
    /// As a block list item (`- X`): a blank line under a list key.
    Item,
}

/// A candidate as a completion at the cursor: quoted as the syntax needs, replacing
/// the whole scalar (or only the unit after a number, `partial`), or wrapped.
fn place(c: &Ctx, cand: Candidate, wrap: Wrap, partial: bool) -> Completion {
    let cur = c.cur;
    let (insert, replace) = if partial {
        (cand.value.clone(), cur.word_span)
    } else if let (Some(q), Wrap::Plain, false) = (cur.quote, wrap, cand.literal) {
        // Inside quotes: the value and the closing quote, from after the opening
        // one, so that the editor filters by the word typed.
        let escaped = match q {
            '\'' => cand.value.replace('\'', "''"),
            _ => {
                let json = serde_json::to_string(&cand.value).unwrap_or_default();
                json[1..json.len() - 1].to_string()
            }
        };
        (format!("{escaped}{q}"), after_quote(cur))
    } else {
        let quoted = if cand.literal {
            cand.value.clone()
        } else {
            match cur.syntax {
                Syntax::Json => serde_json::to_string(&cand.value).unwrap_or_default(),
                Syntax::Yaml => match cur.quote {
                    Some(q) if wrap == Wrap::Plain => format!("{q}{}{q}", cand.value),
                    _ if yaml_needs_quotes(&cand.value, cur.flow || wrap == Wrap::List) => {
                        serde_json::to_string(&cand.value).unwrap_or_default()
                    }
                    _ => cand.value.clone(),
                },
            }
        };
        let value = match wrap {
            Wrap::Plain => quoted,
            Wrap::List => format!("[{quoted}]"),
            Wrap::Item => format!("- {quoted}"),
        };
        let lead = if cur.space_before { " " } else { "" };
        (format!("{lead}{value}"), cur.scalar_span)
    };
    Completion {
        label: cand.label,
        kind: cand.kind,
        detail: cand.detail,
        documentation: cand.documentation,
        insert,
        snippet: false,
        replace,
        sort: cand.sort,
    }
}

// ---------------------------------------------------------------------------
// Snippets

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// On an empty `- ` line: the first key inline, the rest below it.
    Item,
    /// At the value of a list key in YAML block style: a new line, `- `, the item.
    ListValue,
    /// On a blank line under a list key: `- ` and the item.
    NewItem,
    /// Inline `{…}` (JSON, YAML flow).
    Flow,
}

/// Escape snippet syntax in placeholder text.
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}

fn esc_choice(s: &str) -> String {
    esc(s).replace(',', "\\,").replace('|', "\\|")
}

/// The keys a new mapping is written with: the required ones, then the first of an
/// "at least one of" group.
fn fields<'s>(prop: &Prop<'s>) -> Vec<&'s str> {
    let mut keys = schema_walk::required(prop, &[]);
    let one_of = schema_walk::one_of_required(prop);
    if !one_of.iter().any(|k| keys.contains(k)) {
        keys.extend(one_of.first());
    }
    keys
}

/// The noun of a mapping's definition: `arm`, `secondary id`.
fn noun(prop: &Prop) -> String {
    prop.node
        .get("title")
        .and_then(|t| t.as_str())
        .or(prop.def)
        .unwrap_or("item")
        .to_lowercase()
}

/// A scalar field's value as snippet text: a tab stop (a choice of terms or ids, or
/// a placeholder) or a constant. Nested mappings and lists of mappings are laid out
/// by the caller.
fn field(c: &Ctx, owner: &str, key: &str, prop: &Prop, n: &mut usize, json: bool) -> String {
    let q = |s: String| if json { format!("\"{s}\"") } else { s };
    if let Some(k) = prop.node.get("const") {
        return k.to_string();
    }
    *n += 1;
    let i = *n;
    // A reference: the ids this record defines.
    let owner_list = match owner {
        "result" => Some("results"),
        "arm" => Some("arms"),
        _ => None,
    };
    if let Some(list) = owner_list {
        let path = [Seg::Key(list.into()), Seg::Item, Seg::Key(key.into())];
        if let Some(kind) = tree::reference_kind(&path) {
            let ids: Vec<String> = c
                .doc
                .definitions(kind)
                .iter()
                .map(|(id, _)| esc_choice(id))
                .collect();
            if !ids.is_empty() {
                return q(format!("${{{i}|{}|}}", ids.join(",")));
            }
            return q(format!("${{{i}:{}-id}}", kind.noun()));
        }
    }
    if let Some(v) = schema_walk::vocabulary(c.schema, prop) {
        let terms: Vec<String> = v.terms.iter().map(|t| esc_choice(&t.id)).collect();
        return q(format!("${{{i}|{}|}}", terms.join(",")));
    }
    if let Some(first) = schema_walk::constants(prop).first() {
        return q(format!("${{{i}:{}}}", esc(first)));
    }
    let placeholder = match prop.def {
        Some("LocalId") if key == "id" => Some(format!("{}-id", owner.replace(' ', "-"))),
        Some("RegistryId") => Some("NCT00000000".to_string()),
        Some("Date") => Some("YYYY-MM-DD".to_string()),
        Some("Url") => Some("https://".to_string()),
        _ => None,
    };
    match (placeholder, schema_walk::type_name(prop)) {
        (Some(p), _) => q(format!("${{{i}:{}}}", esc(&p))),
        (None, Some("integer" | "number")) => format!("${{{i}:0}}"),
        (None, Some("boolean")) => format!("${{{i}|true,false|}}"),
        (None, Some("array")) => {
            if json {
                format!("[\"${{{i}}}\"]")
            } else {
                format!("[${{{i}}}]")
            }
        }
        _ => q(format!("${{{i}}}")),
    }
}

fn list_of_objects<'s>(c: &Ctx<'s>, prop: &Prop<'s>) -> Option<Prop<'s>> {
    if schema_walk::type_name(prop) != Some("array") {
        return None;
    }
    let item = schema_walk::child(c.schema, prop, &Seg::Item)?;
    schema_walk::is_object(c.schema, &item).then_some(item)
}

fn is_mapping(c: &Ctx, prop: &Prop) -> bool {
    schema_walk::type_name(prop) == Some("object") && !schema_walk::is_quantity(c.schema, prop)
}

/// A mapping's required fields in YAML block style at `indent`; the first on the
/// current line when `first_inline`.
fn block(c: &Ctx, prop: &Prop, indent: usize, first_inline: bool, n: &mut usize) -> String {
    let owner = noun(prop);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (j, key) in fields(prop).into_iter().enumerate() {
        if j > 0 || !first_inline {
            out.push('\n');
            out.push_str(&pad);
        }
        out.push_str(key);
        out.push(':');
        let Some(p) = schema_walk::child(c.schema, prop, &Seg::Key(key.into())) else {
            out.push_str(&format!(" ${{{}}}", {
                *n += 1;
                *n
            }));
            continue;
        };
        if let Some(item) = list_of_objects(c, &p) {
            out.push('\n');
            out.push_str(&pad);
            out.push_str("  - ");
            out.push_str(&block(c, &item, indent + 4, true, n));
        } else if is_mapping(c, &p) {
            out.push_str(&block(c, &p, indent + 2, false, n));
        } else {
            out.push(' ');
            out.push_str(&field(c, &owner, key, &p, n, false));
        }
    }
    out
}

/// A mapping's required fields inline: `{"id": "…", …}` or `{ id: …, … }`.
fn inline(c: &Ctx, prop: &Prop, json: bool, n: &mut usize) -> String {
    let owner = noun(prop);
    let mut parts = Vec::new();
    for key in fields(prop) {
        let value = match schema_walk::child(c.schema, prop, &Seg::Key(key.into())) {
            Some(p) => {
                if let Some(item) = list_of_objects(c, &p) {
                    format!("[{}]", inline(c, &item, json, n))
                } else if is_mapping(c, &p) {
                    inline(c, &p, json, n)
                } else {
                    field(c, &owner, key, &p, n, json)
                }
            }
            None => {
                *n += 1;
                format!("${{{}}}", *n)
            }
        };
        if json {
            parts.push(format!("\"{key}\": {value}"));
        } else {
            parts.push(format!("{key}: {value}"));
        }
    }
    if json {
        format!("{{{}}}", parts.join(", "))
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}

fn item_snippet(c: &Ctx, item: &Prop, layout: Layout, wrap: bool) -> Option<Completion> {
    let cur = c.cur;
    let required = fields(item);
    if required.is_empty() {
        return None;
    }
    let noun = noun(item);
    let mut n = 0;
    let (insert, replace) = match layout {
        Layout::Item => {
            let lead = if cur.space_before { " " } else { "" };
            (
                format!("{lead}{}", block(c, item, cur.indent, true, &mut n)),
                cur.scalar_span,
            )
        }
        Layout::NewItem => (
            format!("- {}", block(c, item, cur.indent + 2, true, &mut n)),
            cur.scalar_span,
        ),
        Layout::ListValue => {
            let pad = " ".repeat(cur.indent + 2);
            let body = block(c, item, cur.indent + 4, true, &mut n);
            let start = cur.after_colon.unwrap_or(cur.scalar_span.start);
            (
                format!("\n{pad}- {body}"),
                Span::new(start, cur.scalar_span.end),
            )
        }
        Layout::Flow => {
            let json = cur.syntax == Syntax::Json;
            let body = inline(c, item, json, &mut n);
            let lead = if cur.space_before { " " } else { "" };
            let body = if wrap { format!("[{body}]") } else { body };
            (format!("{lead}{body}"), cur.scalar_span)
        }
    };
    Some(Completion {
        label: format!("new {noun}"),
        kind: ItemKind::Snippet,
        detail: Some(format!("{} with {}", noun, required.join(", "))),
        documentation: item.description().map(String::from),
        insert,
        snippet: true,
        replace,
        sort: "0".into(),
    })
}

/// A whole record with its required keys, for an empty document.
fn skeleton(c: &Ctx) -> Completion {
    let root = Prop::root(c.schema);
    let mut n = 0;
    let insert = match c.cur.syntax {
        Syntax::Yaml => block(c, &root, 0, true, &mut n),
        Syntax::Json => {
            let mut lines = Vec::new();
            for key in fields(&root) {
                let value = match schema_walk::child(c.schema, &root, &Seg::Key(key.into())) {
                    Some(p) => {
                        if let Some(item) = list_of_objects(c, &p) {
                            format!("[{}]", inline(c, &item, true, &mut n))
                        } else if is_mapping(c, &p) {
                            inline(c, &p, true, &mut n)
                        } else {
                            field(c, "record", key, &p, &mut n, true)
                        }
                    }
                    None => String::new(),
                };
                lines.push(format!("  \"{key}\": {value}"));
            }
            format!("{{\n{}\n}}", lines.join(",\n"))
        }
    };
    Completion {
        label: "new trial record".into(),
        kind: ItemKind::Snippet,
        detail: Some("a TRF 1 record with its required keys".into()),
        documentation: Prop::root(c.schema).description().map(String::from),
        insert,
        snippet: true,
        replace: c.cur.scalar_span,
        sort: "0".into(),
    }
}
