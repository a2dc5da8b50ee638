//! The results of `trls import ctgov`: a study's posted outcome measures
//! (`resultsSection.outcomeMeasuresModule`) as the record's `results` (format.md,
//! `Result`).
//!
//! One result per measure, class (a timepoint), group (an arm) and statistic. The
//! parameter types `MEAN`, `MEDIAN`, `NUMBER` and `COUNT_OF_PARTICIPANTS` are
//! `mean`, `median`, `value` and `count`; the other parameter types (geometric and
//! least-squares means, counts of units) are kept as `value` with a `# check:`
//! comment naming them. The dispersions `STANDARD_DEVIATION`, `STANDARD_ERROR`,
//! `INTER_QUARTILE_RANGE`, `FULL_RANGE` and `CONFIDENCE_*` are `sd`, `se`, `iqr`,
//! `range` and `ci` with its level. Units of measure are UCUM where they name a UCUM
//! unit, counts where they name participants, else a UCUM annotation with a
//! `# check:` comment. What cannot be placed (a group that is no arm, a measure
//! that is no outcome of the record, a time frame that is not one timepoint,
//! categories) is left out with a `# check:` comment above `results`, so that the
//! draft still checks with no error.

use std::collections::HashMap;

use super::ctgov::{Denom, MeasureClass, Measurement, ResultMeasure, Study};
use super::import::timepoints;
use crate::syntax::edit::emit::{Entry, Value};
use crate::units::{spelling, ucum};

/// An arm of the draft: its local id and label.
pub struct ArmRef {
    pub id: String,
    pub label: String,
}

/// An outcome of the draft: its local id, title and planned timepoints.
pub struct OutcomeRef {
    pub id: String,
    pub title: String,
    pub timepoints: Vec<String>,
}

/// The `results` entry of the draft (with its `# check:` lines above it), and the
/// `# check:` lines for the header when no result could be placed.
pub struct Drafted {
    pub entry: Option<Entry>,
    pub header: Vec<String>,
}

/// How a unit of measure reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A UCUM unit (`mL`, `%`, `{score}`).
    Ucum(String),
    /// Participants: the values are counts of participants.
    Participants,
    /// No UCUM unit: the annotation it is written as, with a `# check:` comment.
    Annotation(String),
}

/// The UCUM reading of a registry's unit of measure (`mL`, `percentage of
/// participants` → `%`, `Participants` → a count, `units on a scale` → `{score}`);
/// for anything else a UCUM annotation of its text, which the curator checks.
pub fn unit_of_measure(text: &str) -> Option<Unit> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let lower = t.to_lowercase();
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let participants = [
        "participants",
        "participant",
        "patients",
        "subjects",
        "number of participants",
        "count of participants",
    ];
    if participants.contains(&lower.as_str()) {
        return Some(Unit::Participants);
    }
    let percent = [
        "%",
        "percent",
        "percentage",
        "percentages",
        "percent of participants",
        "percentage of participants",
        "% of participants",
        "% participants",
    ];
    if percent.contains(&lower.as_str()) {
        return Some(Unit::Ucum("%".into()));
    }
    let score = [
        "units on a scale",
        "score on a scale",
        "scores on a scale",
        "score",
        "scores",
        "points",
        "points on a scale",
    ];
    if score.contains(&lower.as_str()) {
        return Some(Unit::Ucum("{score}".into()));
    }
    if let Some((_, code)) = WORDS.iter().find(|(w, _)| *w == lower) {
        return Some(Unit::Ucum(code.to_string()));
    }
    if ucum::is_valid(t) {
        // Valid but almost certainly not meant (`ml`, `u/L`): the intended code.
        return Some(Unit::Ucum(
            spelling::intended(t).map_or_else(|| t.to_string(), |(code, _)| code),
        ));
    }
    if let Some(code) = spelling::ucum_code(t, false) {
        return Some(Unit::Ucum(code));
    }
    // An annotation: printable ASCII without braces or spaces.
    let label: String = t
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('_'),
            '{' | '}' => None,
            c if c.is_ascii_graphic() => Some(c),
            _ => None,
        })
        .collect();
    let annotation = format!("{{{label}}}");
    (!label.is_empty() && ucum::is_valid(&annotation)).then_some(Unit::Annotation(annotation))
}

/// Units registries spell out in words that the unit spellings (`src/units/
/// spelling.rs`) do not read as a whole expression.
const WORDS: &[(&str, &str)] = &[
    ("meters", "m"),
    ("metres", "m"),
    ("meter", "m"),
    ("metre", "m"),
    ("centimeters", "cm"),
    ("centimetres", "cm"),
    ("millimeters", "mm"),
    ("millimetres", "mm"),
    ("kilograms", "kg"),
    ("kilogram", "kg"),
    ("milligrams", "mg"),
    ("micrograms", "ug"),
    ("beats per minute", "/min"),
    ("breaths per minute", "/min"),
    ("millimeters of mercury", "mm[Hg]"),
    ("degrees celsius", "Cel"),
];

/// `2.59`, `-0.4`, `12`: a registry value TRF reads as a number as it is written.
fn number(text: &Option<String>) -> Option<&str> {
    let t = text.as_deref()?.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let ok = !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(t)
}

fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn s(v: &str) -> Value {
    Value::Str(v.to_string())
}

/// A group that stands for every participant, not one arm.
fn is_total(title: &str) -> bool {
    matches!(
        key(title).as_str(),
        "total"
            | "overall"
            | "overall study"
            | "all participants"
            | "all subjects"
            | "all patients"
    )
}

/// The dispersion key and, for a confidence interval, its level.
enum Dispersion {
    None,
    Sd,
    Se,
    Iqr,
    Range,
    Ci(&'static str),
    /// Known to the registry, not to TRF: named in a `# check:` comment.
    Other(String),
}

fn dispersion(kind: Option<&str>) -> Dispersion {
    match kind.map(str::trim) {
        None | Some("" | "NA") => Dispersion::None,
        Some("STANDARD_DEVIATION") => Dispersion::Sd,
        Some("STANDARD_ERROR") => Dispersion::Se,
        Some("INTER_QUARTILE_RANGE") => Dispersion::Iqr,
        Some("FULL_RANGE") => Dispersion::Range,
        Some("CONFIDENCE_80") => Dispersion::Ci("80"),
        Some("CONFIDENCE_90") => Dispersion::Ci("90"),
        Some("CONFIDENCE_95") => Dispersion::Ci("95"),
        Some("CONFIDENCE_975") => Dispersion::Ci("97.5"),
        Some("CONFIDENCE_99") => Dispersion::Ci("99"),
        Some(other) => Dispersion::Other(other.to_string()),
    }
}

/// The estimate's key, and the `# check:` comment for a parameter type TRF has no
/// key for.
fn estimate(param: &str) -> (&'static str, Option<String>) {
    match param {
        "MEAN" => ("mean", None),
        "MEDIAN" => ("median", None),
        "NUMBER" => ("value", None),
        "COUNT_OF_PARTICIPANTS" => ("count", None),
        other => (
            "value",
            Some(format!(
                "check: the registry's parameter is {other}, which TRF has no key for"
            )),
        ),
    }
}

/// The posted results of `study` as the draft's `results`.
pub fn draft(study: &Study, arms: &[ArmRef], outcomes: &[OutcomeRef]) -> Drafted {
    let measures = study
        .results_section
        .as_ref()
        .and_then(|r| r.outcome_measures_module.as_ref())
        .map_or(&[][..], |m| &m.outcome_measures[..]);
    let mut results = Vec::new();
    let mut notes = Vec::new();
    let mut totals = Vec::new();
    for m in measures {
        measure(m, arms, outcomes, &mut results, &mut notes, &mut totals);
    }
    if !totals.is_empty() {
        totals.sort();
        totals.dedup();
        notes.insert(
            0,
            format!(
                "check: the registry's totals over all groups ({}) are left out: a result is of one arm",
                totals
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if results.is_empty() {
        return Drafted {
            entry: None,
            header: notes,
        };
    }
    let mut entry = Entry::new("results", Value::List(results));
    for n in notes {
        entry = entry.with_before(n);
    }
    Drafted {
        entry: Some(entry),
        header: Vec::new(),
    }
}

fn measure(
    m: &ResultMeasure,
    arms: &[ArmRef],
    outcomes: &[OutcomeRef],
    results: &mut Vec<Value>,
    notes: &mut Vec<String>,
    totals: &mut Vec<String>,
) {
    let title = m.title.as_deref().map(str::trim).unwrap_or("");
    if title.is_empty() {
        return;
    }
    if m.reporting_status.as_deref() == Some("NOT_POSTED") {
        notes.push(format!("check: results of `{title}` are not posted yet"));
        return;
    }
    let Some(outcome) = outcomes.iter().find(|o| key(&o.title) == key(title)) else {
        notes.push(format!(
            "check: results of `{title}` are left out: the record has no outcome of that title"
        ));
        return;
    };
    let Some(param) = m
        .param_type
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    else {
        notes.push(format!(
            "check: results of `{title}` are left out: the registry gives no parameter type"
        ));
        return;
    };
    let unit = match m.unit_of_measure.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => match unit_of_measure(text) {
            Some(u) => Some((text, u)),
            None => {
                notes.push(format!(
                    "check: results of `{title}` are left out: the unit of measure `{text}` \
                     cannot be written in UCUM"
                ));
                return;
            }
        },
    };
    // Groups to arms: by title, as arm groups are matched; a study's only arm is
    // the only group that is not a total.
    let parts: Vec<_> = m
        .groups
        .iter()
        .filter(|g| g.title.as_deref().is_some_and(|t| !is_total(t)))
        .collect();
    let mut group_arm: HashMap<&str, &ArmRef> = HashMap::new();
    let mut left_out = Vec::new();
    for g in &m.groups {
        let (Some(id), Some(gt)) = (g.id.as_deref(), g.title.as_deref()) else {
            continue;
        };
        let by_title = arms.iter().find(|a| key(&a.label) == key(gt));
        let only = (arms.len() == 1 && parts.len() == 1 && !is_total(gt)).then(|| &arms[0]);
        match by_title.or(only) {
            Some(arm) => {
                group_arm.insert(id, arm);
                if by_title.is_none() {
                    notes.push(format!(
                        "check: results of `{title}`: the registry's group `{}` is taken as the \
                         study's only arm",
                        gt.trim()
                    ));
                }
            }
            None if is_total(gt) => totals.push(gt.trim().to_string()),
            None => left_out.push(gt.trim().to_string()),
        }
    }
    if !left_out.is_empty() {
        notes.push(format!(
            "check: results of `{title}` for {} are left out: no arm of the record has that label",
            left_out
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let frame_points = m.time_frame.as_deref().and_then(timepoints);
    for class in &m.classes {
        let class_title = class.title.as_deref().map(str::trim).unwrap_or("");
        let timepoint = match class_timepoint(class_title, m, frame_points.as_deref(), outcome) {
            Ok(t) => t,
            Err(why) => {
                notes.push(format!("check: results of `{title}`{why}"));
                continue;
            }
        };
        let categories: Vec<_> = class.categories.iter().collect();
        let [category] = categories.as_slice() else {
            if categories.len() > 1 {
                let names: Vec<String> = categories
                    .iter()
                    .filter_map(|c| c.title.as_deref())
                    .map(|t| format!("`{}`", t.trim()))
                    .collect();
                notes.push(format!(
                    "check: results of `{title}` by category ({}) are left out: a result is one \
                     statistic of one arm",
                    names.join(", ")
                ));
            }
            continue;
        };
        if let Some(ct) = category
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            notes.push(format!(
                "check: results of `{title}` are of the category `{ct}`"
            ));
        }
        for measurement in &category.measurements {
            let Some(arm) = measurement
                .group_id
                .as_deref()
                .and_then(|g| group_arm.get(g))
            else {
                continue;
            };
            let denom = class_denom(class, &m.denoms, measurement.group_id.as_deref());
            match result(
                m,
                param,
                unit.as_ref(),
                measurement,
                denom,
                &outcome.id,
                &arm.id,
                &timepoint,
            ) {
                Ok(r) => results.push(r),
                Err(why) => notes.push(format!(
                    "check: the result of `{title}` for `{}` is left out: {why}",
                    arm.label
                )),
            }
        }
    }
}

/// The timepoint of one class of a measure: the class's title when it is a time,
/// else (for a measure's only row, or an untitled one) the measure's time frame when it is one time (or a change from baseline to
/// one time), else the outcome's only planned timepoint.
fn class_timepoint(
    class_title: &str,
    m: &ResultMeasure,
    frame: Option<&[String]>,
    outcome: &OutcomeRef,
) -> Result<String, String> {
    if !class_title.is_empty() {
        match timepoints(class_title).as_deref() {
            Some([one]) => return Ok(one.clone()),
            // The measure's only row, named for what it counts: the time frame's.
            _ if m.classes.len() == 1 => {}
            _ => {
                return Err(format!(
                    " for `{class_title}` are left out: that row is not one timepoint"
                ))
            }
        }
    }
    match frame {
        Some([one]) => Ok(one.clone()),
        Some([first, then]) if first == "baseline" && then != "baseline" => Ok(then.clone()),
        _ => match outcome.timepoints.as_slice() {
            [one] => Ok(one.clone()),
            _ => Err(format!(
                " are left out: the time frame `{}` is not one timepoint",
                m.time_frame.as_deref().unwrap_or("").trim()
            )),
        },
    }
}

/// The denominator of one group: the class's own, else the measure's.
fn class_denom<'a>(
    class: &'a MeasureClass,
    measure: &'a [Denom],
    group: Option<&str>,
) -> Option<(&'a str, &'a str)> {
    let group = group?;
    let find = |denoms: &'a [Denom]| {
        denoms.iter().find_map(|d| {
            let value = d
                .counts
                .iter()
                .find(|c| c.group_id.as_deref() == Some(group))
                .and_then(|c| c.value.as_deref())?;
            Some((d.units.as_deref().unwrap_or("Participants"), value.trim()))
        })
    };
    find(&class.denoms).or_else(|| find(measure))
}

/// A quantity of the result: `"<number> <unit>"`, or the reason it cannot be one.
fn quantity(number: &str, unit: Option<&(&str, Unit)>) -> Result<String, String> {
    let code = match unit {
        None => return Err("the registry gives no unit of measure".into()),
        Some((_, Unit::Ucum(code) | Unit::Annotation(code))) => code.clone(),
        Some((_, Unit::Participants)) => "{participants}".into(),
    };
    if code == "%" {
        let v: f64 = number.parse().unwrap_or(0.0);
        if !(0.0..=100.0).contains(&v) {
            return Err(format!(
                "`{number} %` is not a percentage between 0 and 100"
            ));
        }
    }
    Ok(format!("{number} {code}"))
}

#[allow(clippy::too_many_arguments)]
fn result(
    m: &ResultMeasure,
    param: &str,
    unit: Option<&(&str, Unit)>,
    at: &Measurement,
    denom: Option<(&str, &str)>,
    outcome: &str,
    arm: &str,
    timepoint: &str,
) -> Result<Value, String> {
    let value = number(&at.value).ok_or_else(|| {
        format!(
            "its value `{}`{} is not a number",
            at.value.as_deref().unwrap_or("").trim(),
            at.comment
                .as_deref()
                .map(|c| format!(" ({})", c.trim()))
                .unwrap_or_default()
        )
    })?;
    let mut e = vec![
        Entry::new("outcome", s(outcome)),
        Entry::new("arm", s(arm)),
        Entry::new("timepoint", s(timepoint)),
    ];
    match denom {
        Some((units, n)) if key(units) == "participants" => match n.parse::<u64>() {
            Ok(n) => e.push(Entry::new("n", Value::Lit(n.to_string()))),
            Err(_) => return Err(format!("its number analysed `{n}` is not a count")),
        },
        Some((units, n)) => {
            e[0] = e[0].clone().with_comment(format!(
                "check: n: the registry counts {n} {}, not participants",
                units.trim()
            ))
        }
        None => {}
    }
    let participants = matches!(unit, Some((_, Unit::Participants)));
    let (mut stat, mut check) = estimate(param);
    if participants && param == "NUMBER" {
        stat = "count";
    }
    if stat == "count" {
        let Ok(count) = value.parse::<u64>() else {
            return Err(format!("its count `{value}` is not a whole number"));
        };
        if !participants {
            if let Some((text, _)) = unit {
                check = Some(format!(
                    "check: the registry's unit of measure is `{text}`, counted here as participants"
                ));
            }
        }
        let mut entry = Entry::new("count", Value::Lit(count.to_string()));
        if let Some(c) = check {
            entry = entry.with_comment(c);
        }
        e.push(entry);
        e.push(Entry::new("source", s("registry")));
        return Ok(Value::Map(e));
    }
    let mut entry = Entry::new(stat, s(&quantity(value, unit)?));
    let annotation = match unit {
        Some((text, Unit::Annotation(code))) => Some(format!(
            "check: the registry's unit of measure `{text}` is not a UCUM unit; written as `{code}`"
        )),
        _ => None,
    };
    if let Some(c) = check
        .into_iter()
        .chain(annotation)
        .reduce(|a, b| format!("{a}; {}", b.trim_start_matches("check: ")))
    {
        entry = entry.with_comment(c);
    }
    e.push(entry);
    let bound = |v: &Option<String>| -> Option<Result<String, String>> {
        number(v).map(|n| quantity(n, unit))
    };
    match dispersion(m.dispersion_type.as_deref()) {
        Dispersion::None => {}
        Dispersion::Sd | Dispersion::Se => {
            let k = if matches!(dispersion(m.dispersion_type.as_deref()), Dispersion::Sd) {
                "sd"
            } else {
                "se"
            };
            if let Some(q) = bound(&at.spread) {
                e.push(Entry::new(k, s(&q?)));
            }
        }
        Dispersion::Iqr | Dispersion::Range => {
            let k = if matches!(dispersion(m.dispersion_type.as_deref()), Dispersion::Iqr) {
                "iqr"
            } else {
                "range"
            };
            if let (Some(lo), Some(hi)) = (bound(&at.lower_limit), bound(&at.upper_limit)) {
                e.push(Entry::new(
                    k,
                    Value::Map(vec![Entry::new("min", s(&lo?)), Entry::new("max", s(&hi?))]),
                ));
            }
        }
        Dispersion::Ci(level) => {
            if let (Some(lo), Some(hi)) = (bound(&at.lower_limit), bound(&at.upper_limit)) {
                e.push(Entry::new(
                    "ci",
                    Value::Map(vec![
                        Entry::new("low", s(&lo?)),
                        Entry::new("high", s(&hi?)),
                        Entry::new("level", Value::Lit(level.to_string())),
                    ]),
                ));
            }
        }
        Dispersion::Other(kind) => {
            let shown = [&at.spread, &at.lower_limit, &at.upper_limit]
                .iter()
                .filter_map(|v| number(v))
                .collect::<Vec<_>>()
                .join(" to ");
            if !shown.is_empty() {
                let last = e.len() - 1;
                let stat_entry = e[last].clone();
                let prior = stat_entry.comment.clone();
                let text = format!("the registry's dispersion is {kind} {shown}");
                e[last] = Entry {
                    comment: Some(match prior {
                        Some(p) => format!("{p}; {text}"),
                        None => format!("check: {text}"),
                    }),
                    ..stat_entry
                };
            }
        }
    }
    e.push(Entry::new("source", s("registry")));
    Ok(Value::Map(e))
}
