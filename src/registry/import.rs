//! `trls import ctgov`: a draft record from a ClinicalTrials.gov snapshot
//! (interfaces.md, *Registry snapshots*). Every fact the registry holds in
//! structured form is mapped; what it keeps only as free text (route, dose, cell
//! source, modality) is read only where the text names it unambiguously, otherwise
//! left out with a `# check:` comment, and required facts that cannot be read are
//! listed in `not_stated`.

use std::collections::{HashMap, HashSet};

use super::ctgov::{self, Study};
use super::results;
use crate::syntax::edit::emit::{yaml_document, Entry, Value};

/// A drafted record: its file name and text.
pub struct Draft {
    pub file_name: String,
    pub text: String,
}

fn s(v: &str) -> Value {
    Value::Str(v.trim().to_string())
}

fn lit(v: impl ToString) -> Value {
    Value::Lit(v.to_string())
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A registry date (`2013-07`, `2013-07-15`) if it is one TRF reads as a `Date`.
fn date(v: &str) -> Option<String> {
    let v = v.trim();
    let ok = match v.len() {
        4 => v.bytes().all(|b| b.is_ascii_digit()),
        7 => {
            v.as_bytes()[4] == b'-'
                && v[..4]
                    .bytes()
                    .chain(v[5..].bytes())
                    .all(|b| b.is_ascii_digit())
        }
        10 => {
            v.as_bytes()[4] == b'-'
                && v.as_bytes()[7] == b'-'
                && v.bytes()
                    .enumerate()
                    .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
        }
        _ => false,
    };
    ok.then(|| v.to_string())
}

/// `"18 Years"`, `"6 Months"` → `18 a`, `6 mo` (UCUM).
pub fn age(v: &str) -> Option<String> {
    let mut parts = v.split_whitespace();
    let n = parts.next()?;
    let unit = parts.next()?;
    if parts.next().is_some() || n.parse::<f64>().is_err() {
        return None;
    }
    Some(format!("{n} {}", time_unit(unit)?))
}

/// The UCUM unit of a time word as registries write it (`Years`, `week`, `days`).
fn time_unit(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().trim_end_matches('s') {
        "year" => "a",
        "month" => "mo",
        "week" => "wk",
        "day" => "d",
        "hour" => "h",
        "minute" => "min",
        _ => return None,
    })
}

/// A time frame that is a plain list of times (`Baseline, 24 weeks and 52 weeks`,
/// `Day 28`, `6 months`) as timepoints; `None` for anything else.
pub fn timepoints(frame: &str) -> Option<Vec<String>> {
    let normalised = frame.replace(" and ", ",").replace(';', ",");
    let mut out = Vec::new();
    for item in normalised.split(',') {
        let item = item.trim().trim_end_matches('.');
        if item.is_empty() {
            continue;
        }
        if item.eq_ignore_ascii_case("baseline") {
            out.push("baseline".to_string());
            continue;
        }
        let words: Vec<&str> = item.split_whitespace().collect();
        let (n, unit) = match words.as_slice() {
            [n, unit] if n.parse::<f64>().is_ok() => (*n, *unit),
            [unit, n] if n.parse::<f64>().is_ok() => (*n, *unit),
            _ => return None,
        };
        out.push(format!("{n} {}", time_unit(unit)?));
    }
    (!out.is_empty()).then_some(out)
}

/// A local id made of `text`: lowercase letters, digits and `-`, at most 32
/// characters, unique among `taken`.
fn local_id(text: &str, fallback: &str, taken: &mut HashSet<String>) -> String {
    let mut id = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
        if id.len() >= 32 {
            break;
        }
    }
    let mut id = id.trim_end_matches('-').to_string();
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id = format!("{fallback}-{id}").trim_end_matches('-').to_string();
    }
    let mut unique = id.clone();
    let mut n = 2;
    while !taken.insert(unique.clone()) {
        unique = format!("{id}-{n}");
        n += 1;
    }
    unique
}

/// A phrase that names a vocabulary term in free text.
struct Phrase {
    text: String,
    term: String,
    /// An abbreviation written in capitals (`TESI`, `SHED`) matches only so.
    case_sensitive: bool,
    /// A stem (`nebuliz`) may end inside a word; any other phrase ends at a word's
    /// end, or before `ly` (`intravenous` in `intravenously`).
    stem: bool,
}

/// The phrases of a vocabulary's terms: each term's label, its id as words and its
/// aliases (`schema/vocabularies.json`), then `extra`, the stems registries write that
/// the vocabulary does not list. Aliases of three characters or fewer (`IV`, `IT`,
/// `BM`, `fat`) are left out: in free text they are ordinary words or ambiguous.
fn phrases(vocabulary: &str, extra: &[(&str, &str)]) -> Vec<Phrase> {
    let schema = crate::schema::Schema::builtin();
    let mut out = Vec::new();
    for t in schema
        .vocabulary(vocabulary)
        .map_or(&[][..], |v| &v.terms[..])
        .iter()
        .filter(|t| t.id != "OTHER")
    {
        let words = [t.label.clone(), t.id.replace('_', " ")];
        let aliases = t.aliases.iter().filter(|a| a.chars().count() > 3);
        for (text, alias) in words
            .into_iter()
            .map(|w| (w, false))
            .chain(aliases.map(|a| (a.clone(), true)))
        {
            // `Respiratory (inhalation)` names no route in free text as a whole.
            if text.contains('(') {
                continue;
            }
            let case_sensitive =
                alias && !text.contains(' ') && !text.chars().any(char::is_lowercase);
            out.push(Phrase {
                text: if case_sensitive {
                    text
                } else {
                    text.to_lowercase()
                },
                term: t.id.clone(),
                case_sensitive,
                stem: false,
            });
        }
    }
    out.extend(extra.iter().map(|(text, term)| Phrase {
        text: text.to_string(),
        term: term.to_string(),
        case_sensitive: false,
        stem: true,
    }));
    out
}

fn starts_word(text: &str, at: usize) -> bool {
    !matches!(text[..at].chars().next_back(), Some(c) if c.is_alphanumeric())
}

fn ends_word(rest: &str) -> bool {
    let boundary = |r: &str| !matches!(r.chars().next(), Some(c) if c.is_alphanumeric());
    boundary(rest) || rest.strip_prefix("ly").is_some_and(boundary)
}

/// Where `text` names a term of `table`: the spans and terms, a phrase inside a
/// longer one left out (`umbilical cord` inside `umbilical cord blood`).
fn named<'t>(text: &str, table: &'t [Phrase]) -> Vec<&'t str> {
    let lower = text.to_lowercase();
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    for p in table {
        let hay = if p.case_sensitive { text } else { &lower };
        for (start, _) in hay.match_indices(p.text.as_str()) {
            let end = start + p.text.len();
            if starts_word(hay, start) && (p.stem || ends_word(&hay[end..])) {
                hits.push((start, end, p.term.as_str()));
            }
        }
    }
    hits.iter()
        .filter(|(s, e, _)| {
            !hits
                .iter()
                .any(|(s2, e2, _)| s2 <= s && e <= e2 && e2 - s2 > e - s)
        })
        .map(|(_, _, t)| *t)
        .collect()
}

/// The one term of `table` that `text` names, if exactly one does.
fn one_of(text: &str, table: &[Phrase]) -> Option<String> {
    let found: HashSet<&str> = named(text, table).into_iter().collect();
    match found.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// The term of `vocabulary` (`Route`, `CellSource`, `Donor`, `Modality`) that free
/// text names unambiguously, as the import reads it.
pub fn term_named(vocabulary: &str, text: &str) -> Option<String> {
    let extra = match vocabulary {
        "Route" => ROUTE_EXTRA,
        "CellSource" => CELL_SOURCE_EXTRA,
        "Modality" => MODALITY_EXTRA,
        _ => &[],
    };
    one_of(text, &phrases(vocabulary, extra))
}

/// Stems and spellings registries write that the vocabularies do not list.
const ROUTE_EXTRA: &[(&str, &str)] = &[
    ("i.v.", "INTRAVENOUS"),
    ("nebuliz", "INHALATION"),
    ("nebulis", "INHALATION"),
    ("inhal", "INHALATION"),
    ("intraarticular", "INTRA_ARTICULAR"),
    ("intraarterial", "INTRA_ARTERIAL"),
    ("eye drop", "OPHTHALMIC"),
];

const CELL_SOURCE_EXTRA: &[(&str, &str)] = &[
    ("wharton", "WHARTONS_JELLY"),
    ("amniotic", "AMNION"),
    ("bone-marrow", "BONE_MARROW"),
    ("induced pluripotent", "IPSC_DERIVED"),
];

const MODALITY_EXTRA: &[(&str, &str)] = &[
    ("extracellular vesicle", "EXOSOMES"),
    ("stem cell", "CELLS"),
    ("stromal cell", "CELLS"),
];

/// The TRF terms the registry's enumerations may hold; anything else is kept out
/// with a `# check:` comment.
const STATUS: &[&str] = &[
    "NOT_YET_RECRUITING",
    "RECRUITING",
    "ENROLLING_BY_INVITATION",
    "ACTIVE_NOT_RECRUITING",
    "SUSPENDED",
    "TERMINATED",
    "COMPLETED",
    "WITHDRAWN",
    "UNKNOWN",
];

/// Draft the record of one study.
pub fn draft(study: &Study) -> Draft {
    let p = &study.protocol_section;
    let ident = &p.identification_module;
    let nct = nonempty(&ident.nct_id).unwrap_or("NCT00000000").to_string();
    let mut top: Vec<Entry> = Vec::new();
    let mut not_stated: Vec<&str> = Vec::new();
    let mut header = vec![
        format!("{nct}.trial.yaml"),
        format!(
            "Drafted by `trls import ctgov` from the ClinicalTrials.gov snapshot of {nct}{}.",
            super::last_update(study).map_or_else(String::new, |d| format!(" (last updated {d})"))
        ),
        "Complete the `# check:` points from the registry's free text and the papers.".to_string(),
    ];

    top.push(Entry::new("trf", lit(1)));
    top.push(Entry::new("id", s(&nct)));
    top.push(Entry::new("registry", s("CTGOV")));

    // Identifiers: the organisation's study id and the secondary ids.
    let mut secondary = Vec::new();
    if let Some(org) = ident
        .org_study_id_info
        .as_ref()
        .and_then(|o| nonempty(&o.id))
    {
        secondary.push(Value::Map(vec![
            Entry::new("id", s(org)),
            Entry::new("type", s("ORG_STUDY_ID")),
        ]));
    }
    for info in &ident.secondary_id_infos {
        let Some(id) = nonempty(&info.id) else {
            continue;
        };
        match crate::ids::canonical(id).filter(|c| c.registry != "PUBLICATION") {
            Some(c) => secondary.push(Value::Map(vec![
                Entry::new("id", s(&c.id)),
                Entry::new("type", s("REGISTRY")),
                Entry::new("registry", s(c.registry)),
            ])),
            None => secondary.push(Value::Map(vec![
                Entry::new("id", s(id)),
                Entry::new("type", s("OTHER")),
            ])),
        }
    }
    if !secondary.is_empty() {
        top.push(Entry::new("secondary_ids", Value::List(secondary)));
    }
    match nonempty(&ident.official_title).or(nonempty(&ident.brief_title)) {
        Some(title) => top.push(Entry::new("title", s(title))),
        None => not_stated.push("title"),
    }
    if let Some(a) = nonempty(&ident.acronym) {
        top.push(Entry::new("acronym", s(a)));
    }
    let status_module = &p.status_module;
    match nonempty(&status_module.overall_status) {
        Some(st) if STATUS.contains(&st) => top.push(Entry::new("status", s(st))),
        Some(st) => top.push(
            Entry::new("status", s("UNKNOWN"))
                .with_comment(format!("check: the registry's status is `{st}`")),
        ),
        None => not_stated.push("status"),
    }
    let design = &p.design_module;
    let study_type = nonempty(&design.study_type);
    match study_type {
        Some(t) => top.push(Entry::new("study_type", s(t))),
        None => not_stated.push("study_type"),
    }
    let interventional = study_type == Some("INTERVENTIONAL");
    if !design.phases.is_empty() {
        top.push(Entry::new(
            "phases",
            Value::List(design.phases.iter().map(|ph| s(ph)).collect()),
        ));
    } else if interventional {
        not_stated.push("phases");
    }
    let conditions = &p.conditions_module.conditions;
    if conditions.is_empty() {
        not_stated.push("conditions");
    } else {
        top.push(Entry::new(
            "conditions",
            Value::List(conditions.iter().map(|c| s(c)).collect()),
        ));
    }
    if !p.conditions_module.keywords.is_empty() {
        top.push(Entry::new(
            "keywords",
            Value::List(p.conditions_module.keywords.iter().map(|c| s(c)).collect()),
        ));
    }

    // The product, from the interventions' names and descriptions (free text).
    let arms_module = &p.arms_interventions_module;
    let bio: Vec<&ctgov::Intervention> = arms_module
        .interventions
        .iter()
        .filter(|i| {
            matches!(
                i.kind.as_deref(),
                Some("BIOLOGICAL" | "GENETIC" | "COMBINATION_PRODUCT")
            )
        })
        .collect();
    let product_text: String = bio
        .iter()
        .flat_map(|i| [i.name.as_deref(), i.description.as_deref()])
        .flatten()
        .chain(ident.official_title.as_deref())
        .chain(ident.brief_title.as_deref())
        .collect::<Vec<_>>()
        .join(" ");
    if interventional || !bio.is_empty() {
        let mut product = Vec::new();
        // A name only when one intervention is the product.
        if let [only] = bio.as_slice() {
            if let Some(name) = nonempty(&only.name) {
                product.push(Entry::new("name", s(name)));
            }
        }
        // Vesicles or secretome when the text names one; else cells when it names
        // cells at all (a vesicle product's text names the cells it comes from).
        let modalities = phrases("Modality", MODALITY_EXTRA);
        let (cells, products): (Vec<Phrase>, Vec<Phrase>) =
            modalities.into_iter().partition(|p| p.term == "CELLS");
        let modality = one_of(&product_text, &products)
            .or_else(|| (!named(&product_text, &cells).is_empty()).then(|| "CELLS".to_string()));
        match &modality {
            Some(m) => product.push(Entry::new("modality", s(m))),
            None => not_stated.push("product.modality"),
        }
        let cell_source = one_of(&product_text, &phrases("CellSource", CELL_SOURCE_EXTRA));
        match &cell_source {
            Some(c) => product.push(Entry::new("cell_source", s(c))),
            None => not_stated.push("product.cell_source"),
        }
        if let Some(d) = one_of(&product_text, &phrases("Donor", &[])) {
            product.push(Entry::new("donor", s(&d)));
        }
        let mut entry = Entry::new("product", Value::Map(product));
        if modality.is_none() {
            entry = entry.with_before(
                "check: modality (CELLS, EXOSOMES, SECRETOME): the registry's free text does not name one unambiguously",
            );
        }
        if cell_source.is_none() {
            entry = entry.with_before(
                "check: cell_source: the registry's free text does not name one tissue unambiguously",
            );
        }
        top.push(entry);
    }

    if let Some(info) = &design.design_info {
        let mut d = Vec::new();
        for (key, value, required) in [
            ("allocation", &info.allocation, true),
            ("intervention_model", &info.intervention_model, true),
            (
                "masking",
                &info.masking_info.as_ref().and_then(|m| m.masking.clone()),
                true,
            ),
            ("primary_purpose", &info.primary_purpose, false),
        ] {
            match nonempty(value) {
                Some(v) => d.push(Entry::new(key, s(v))),
                None if required && interventional => not_stated.push(match key {
                    "allocation" => "design.allocation",
                    "intervention_model" => "design.intervention_model",
                    _ => "design.masking",
                }),
                None => {}
            }
        }
        if interventional {
            top.push(Entry::new("design", Value::Map(d)));
        }
    } else if interventional {
        not_stated.push("design");
    }

    match &design.enrollment_info {
        Some(ctgov::EnrollmentInfo {
            count: Some(count),
            kind,
        }) => {
            let kind = nonempty(kind).unwrap_or("ESTIMATED");
            top.push(Entry::new(
                "enrollment",
                Value::Map(vec![
                    Entry::new("count", lit(count)),
                    Entry::new("type", s(kind)),
                ]),
            ));
        }
        _ => not_stated.push("enrollment"),
    }

    // Dates, each with its registry type as a comment.
    let mut dates = Vec::new();
    for (key, d) in [
        ("start", &status_module.start_date_struct),
        (
            "primary_completion",
            &status_module.primary_completion_date_struct,
        ),
        ("completion", &status_module.completion_date_struct),
    ] {
        let Some(d) = d else { continue };
        let Some(value) = nonempty(&d.date).and_then(date) else {
            continue;
        };
        let mut e = Entry::new(key, lit(value));
        if let Some(kind) = nonempty(&d.kind) {
            e = e.with_comment(kind.to_string());
        }
        dates.push(e);
    }
    if dates.iter().all(|e| e.key != "start") {
        not_stated.push("dates.start");
    }
    if let Some(r) = nonempty(&status_module.study_first_submit_date).and_then(date) {
        dates.push(Entry::new("registered", lit(r)).with_comment("first submitted"));
    }
    let updated = super::last_update(study).and_then(date);
    if let Some(u) = updated {
        dates.push(Entry::new("updated", lit(u)).with_comment("the snapshot's last update"));
    }
    top.push(Entry::new("dates", Value::Map(dates)));

    let sponsors_module = &p.sponsor_collaborators_module;
    let mut sponsors = Vec::new();
    for (org, role) in sponsors_module
        .lead_sponsor
        .iter()
        .map(|o| (o, "LEAD"))
        .chain(
            sponsors_module
                .collaborators
                .iter()
                .map(|o| (o, "COLLABORATOR")),
        )
    {
        let Some(name) = nonempty(&org.name) else {
            continue;
        };
        let mut e = vec![Entry::new("name", s(name))];
        if let Some(class) = nonempty(&org.class) {
            e.push(Entry::new("class", s(class)));
        }
        e.push(Entry::new("role", s(role)));
        sponsors.push(Value::Map(e));
    }
    if !sponsors.is_empty() {
        top.push(Entry::new("sponsors", Value::List(sponsors)));
    }
    let contacts = &p.contacts_locations_module;
    let investigators: Vec<Value> = contacts
        .overall_officials
        .iter()
        .filter_map(|o| {
            let mut e = vec![Entry::new("name", s(nonempty(&o.name)?))];
            if let Some(role) = nonempty(&o.role).filter(|r| {
                [
                    "PRINCIPAL_INVESTIGATOR",
                    "SUB_INVESTIGATOR",
                    "STUDY_CHAIR",
                    "STUDY_DIRECTOR",
                ]
                .contains(r)
            }) {
                e.push(Entry::new("role", s(role)));
            }
            if let Some(a) = nonempty(&o.affiliation) {
                e.push(Entry::new("affiliation", s(a)));
            }
            Some(Value::Map(e))
        })
        .collect();
    if !investigators.is_empty() {
        top.push(Entry::new("investigators", Value::List(investigators)));
    }
    let locations: Vec<Value> = contacts
        .locations
        .iter()
        .filter_map(|l| {
            let mut e = vec![Entry::new("facility", s(nonempty(&l.facility)?))];
            if let Some(city) = nonempty(&l.city) {
                e.push(Entry::new("city", s(city)));
            }
            e.push(Entry::new("country", s(nonempty(&l.country)?)));
            Some(Value::Map(e))
        })
        .collect();
    if !locations.is_empty() {
        top.push(Entry::new("locations", Value::List(locations)));
    }

    let el = &p.eligibility_module;
    let mut eligibility = Vec::new();
    for (key, v) in [("min_age", &el.minimum_age), ("max_age", &el.maximum_age)] {
        if let Some(text) = nonempty(v) {
            match age(text) {
                Some(q) => eligibility.push(Entry::new(key, s(&q))),
                None => header.push(format!(
                    "check: eligibility {key}: the registry writes `{text}`"
                )),
            }
        }
    }
    if let Some(sex) = nonempty(&el.sex) {
        eligibility.push(Entry::new("sex", s(sex)));
    }
    if let Some(h) = el.healthy_volunteers {
        eligibility.push(Entry::new("healthy_volunteers", lit(h)));
    }
    if let Some(c) = nonempty(&el.eligibility_criteria) {
        eligibility.push(Entry::new("criteria", Value::Str(c.replace("\r\n", "\n"))));
    }
    if !eligibility.is_empty() {
        top.push(Entry::new("eligibility", Value::Map(eligibility)));
    }

    // Interventions first (arms refer to them by the names they list).
    let mut taken = HashSet::new();
    let mut by_name: HashMap<String, String> = HashMap::new();
    let mut interventions = Vec::new();
    let routes = phrases("Route", ROUTE_EXTRA);
    for i in &arms_module.interventions {
        let Some(name) = nonempty(&i.name) else {
            continue;
        };
        let kind = nonempty(&i.kind).unwrap_or("OTHER");
        let id = local_id(name, "intervention", &mut taken);
        // `"Biological: Allo-hMSCs"` is how arms list it.
        by_name.insert(
            format!("{}: {name}", title_case(kind)).to_lowercase(),
            id.clone(),
        );
        by_name
            .entry(name.to_lowercase())
            .or_insert_with(|| id.clone());
        let mut e = vec![
            Entry::new("id", s(&id)),
            Entry::new("type", s(kind)),
            Entry::new("name", s(name)),
        ];
        let text = format!("{name} {}", i.description.as_deref().unwrap_or(""));
        let mut entry_comment = None;
        match one_of(&text, &routes) {
            Some(route) => e.push(Entry::new("route", s(&route))),
            None if kind == "BIOLOGICAL" => {
                entry_comment = Some(
                    "check: route, dose and schedule are in the registry's free text only"
                        .to_string(),
                )
            }
            None => {}
        }
        if let Some(d) = nonempty(&i.description) {
            e.push(Entry::new("description", s(d)));
        }
        let mut first = e.remove(0);
        if let Some(c) = entry_comment {
            first = first.with_comment(c);
        }
        e.insert(0, first);
        interventions.push(Value::Map(e));
    }
    let mut arm_taken = HashSet::new();
    let mut arms = Vec::new();
    let mut arm_refs = Vec::new();
    for a in &arms_module.arm_groups {
        let Some(label) = nonempty(&a.label) else {
            continue;
        };
        let id = local_id(label, "arm", &mut arm_taken);
        arm_refs.push(results::ArmRef {
            id: id.clone(),
            label: label.to_string(),
        });
        let mut e = vec![Entry::new("id", s(&id))];
        match nonempty(&a.kind) {
            Some(k) => e.push(Entry::new("type", s(k))),
            None => e.push(
                Entry::new("type", s("OTHER"))
                    .with_comment("check: the registry gives no arm type"),
            ),
        }
        e.push(Entry::new("label", s(label)));
        if let Some(d) = nonempty(&a.description) {
            e.push(Entry::new("description", s(d)));
        }
        let refs: Vec<Value> = a
            .intervention_names
            .iter()
            .filter_map(|n| by_name.get(&n.trim().to_lowercase()).map(|id| s(id)))
            .collect();
        if !refs.is_empty() {
            e.push(Entry::new("interventions", Value::List(refs)));
        }
        arms.push(Value::Map(e));
    }
    if !arms.is_empty() {
        top.push(Entry::new("arms", Value::List(arms)));
    } else if interventional {
        not_stated.push("arms");
    }
    if !interventions.is_empty() {
        top.push(Entry::new("interventions", Value::List(interventions)));
    } else if interventional {
        not_stated.push("interventions");
    }

    let outcomes_module = &p.outcomes_module;
    let mut outcome_taken = HashSet::new();
    let mut outcomes = Vec::new();
    let mut outcome_refs = Vec::new();
    for (kind, list) in [
        ("PRIMARY", &outcomes_module.primary_outcomes),
        ("SECONDARY", &outcomes_module.secondary_outcomes),
        ("OTHER", &outcomes_module.other_outcomes),
    ] {
        for o in list {
            let Some(title) = nonempty(&o.measure) else {
                continue;
            };
            let short: String = title
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" ");
            let id = local_id(&short, "outcome", &mut outcome_taken);
            let mut e = vec![
                Entry::new("id", s(&id)),
                Entry::new("type", s(kind)),
                Entry::new("title", s(title)),
            ];
            let mut planned = Vec::new();
            if let Some(frame) = nonempty(&o.time_frame) {
                e.push(Entry::new("time_frame", s(frame)));
                if let Some(points) = timepoints(frame) {
                    e.push(Entry::new(
                        "timepoints",
                        Value::List(points.iter().map(|t| s(t)).collect()),
                    ));
                    planned = points;
                }
            }
            outcome_refs.push(results::OutcomeRef {
                id,
                title: title.to_string(),
                timepoints: planned,
            });
            outcomes.push(Value::Map(e));
        }
    }
    if !outcomes.is_empty() {
        top.push(Entry::new("outcomes", Value::List(outcomes)));
    }
    let posted = results::draft(study, &arm_refs, &outcome_refs);
    header.extend(posted.header);
    if let Some(entry) = posted.entry {
        top.push(entry);
    }

    top.push(Entry::new(
        "sources",
        Value::List(vec![Value::Map(vec![
            Entry::new("id", s("registry")),
            Entry::new("kind", s("REGISTRY")),
            Entry::new("url", s(&format!("https://clinicaltrials.gov/study/{nct}"))),
            Entry::new("registry_id", s(&nct)),
        ])]),
    ));
    if !not_stated.is_empty() {
        top.push(
            Entry::new(
                "not_stated",
                Value::List(not_stated.iter().map(|k| s(k)).collect()),
            )
            .with_before("check: facts the registry does not state in structured form"),
        );
    }
    Draft {
        file_name: format!("{nct}.trial.yaml"),
        text: yaml_document(&header, &top),
    }
}

/// `BIOLOGICAL` → `Biological`, `DIETARY_SUPPLEMENT` → `Dietary Supplement`: how
/// arm groups name an intervention's type.
fn title_case(kind: &str) -> String {
    kind.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}
