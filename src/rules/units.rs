//! TRF200–TRF209: units and values. Every `Quantity` of a record (doses and their
//! ranges, cohorts' doses, volumes, ages, schedules, timepoints, results and their
//! `ci`, `iqr` and `range` bounds) is read with the spans of its number and unit; its
//! unit is checked against UCUM, the outcome it belongs to (`quantity`, `unit`) and the
//! other values of that outcome. The knowledge (UCUM, spellings, the `QuantityKind`
//! catalogue, conversions) is in `crate::units`.
//!
//! One finding per value: a unit that is not UCUM (`TRF200`) is reported once and the
//! value is not judged further; a suspicious spelling (`TRF206`) is judged as the unit
//! it almost certainly means; a value out of its plausible range (`TRF203`) is not also
//! asked to be converted (`TRF202`) or compared (`TRF207`).
//!
//! A bound of a `Range` or `ci` is a quantity like any other, and its unit must
//! convert to the estimate or dose it bounds, and a range's two bounds to each other
//! (`TRF201`, on the bound that does not fit: `max` when the bounds disagree). A
//! cohort's `dose` must convert to the dose of its arm's investigational intervention.
//! `TRF208` compares `dose_basis` with what the dose's unit is scaled to
//! (`crate::units::dose_scale`); `TRF209` compares a result's statistics with each
//! other after conversion.

use std::collections::{HashMap, HashSet};

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::model::{Arm, Record};
use crate::syntax::edit::Editor;
use crate::syntax::{Node, ScalarKind, Span};
use crate::units::quantity::{self, Quantity, Read};
use crate::units::{
    self, describe_unit, dose_scale, format_number, spelling, ucum, DoseScale, QuantityKind,
};

/// The statistics of a result that are quantities; the first three are values of the
/// outcome (range-checked and compared), `sd` and `se` are spreads.
const STATISTICS: [&str; 5] = ["mean", "median", "value", "sd", "se"];
const CENTRAL: [&str; 3] = ["mean", "median", "value"];

/// A result's intervals: the key, its lower and upper bound (key, name in messages),
/// and the estimates it may bound, the first given being the one it does.
struct Interval {
    key: &'static str,
    bounds: [(&'static str, &'static str); 2],
    bounds_estimates: &'static [&'static str],
}

const INTERVALS: [Interval; 3] = [
    Interval {
        key: "ci",
        bounds: [("low", "ci.low"), ("high", "ci.high")],
        bounds_estimates: &["mean", "median", "value"],
    },
    Interval {
        key: "iqr",
        bounds: [("min", "iqr.min"), ("max", "iqr.max")],
        bounds_estimates: &["median", "mean", "value"],
    },
    Interval {
        key: "range",
        bounds: [("min", "range.min"), ("max", "range.max")],
        bounds_estimates: &["mean", "median", "value"],
    },
];

/// Intervention types whose intervention is an arm's investigational one (rules.md:
/// a cohort's dose is a dose of it).
const INVESTIGATIONAL: [&str; 3] = ["BIOLOGICAL", "GENETIC", "COMBINATION_PRODUCT"];

/// Words in an outcome's title that make its values differences from baseline, which
/// may be negative: their plausible range is ±(high − low).
const CHANGE_WORDS: [&str; 7] = [
    "change",
    "difference",
    "reduction",
    "improvement",
    "decrease",
    "increase",
    "delta",
];

pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut c = Checker {
        edit: cx.editor(),
        out: Vec::new(),
    };
    c.eligibility(cx.root);
    let doses = c.interventions(cx.root);
    c.cohorts(cx.root, &doses);
    let outcomes = c.outcomes(cx.root);
    c.results(cx.root, &outcomes);
    c.out
}

/// What the unit checks need to know about an outcome (the record's entry is a
/// `crate::model::Outcome`).
struct OutcomeUnits<'a> {
    id: String,
    kind: Option<&'static QuantityKind>,
    /// The outcome's `unit` as meant (after `TRF206`), when it is valid UCUM and fits
    /// its quantity, with the span of the `unit` value.
    unit: Option<(String, Span)>,
    /// The outcome's `unit` was written but cannot be used (invalid, or does not fit).
    unit_written: bool,
    /// The values are changes from baseline (see [`CHANGE_WORDS`]).
    change: bool,
    node: &'a Node,
}

/// What the cohort check needs of an intervention: its type and its dose's unit.
struct InterventionDose<'a> {
    kind: Option<&'a str>,
    /// The dose's unit as meant (the lower bound's of a range), with the dose's node.
    dose: Option<(String, &'a Node)>,
    /// Its `dose_basis`, when it has one.
    basis: Option<&'a Node>,
}

/// A value that passed the unit checks.
#[derive(Clone)]
struct Valued<'a> {
    q: Quantity<'a>,
    /// The unit as meant: as written, or what `TRF206` says was meant.
    unit: String,
    /// `TRF205` fired on it.
    percent_out_of_range: bool,
}

/// A result's value, kept for the comparisons across results.
struct Kept<'a> {
    outcome: usize,
    statistic: &'static str,
    arm: Option<String>,
    timepoint: Option<Timepoint>,
    /// The timepoint as written, for messages.
    timepoint_text: String,
    v: Valued<'a>,
    /// `TRF203` fired on it.
    implausible: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Timepoint {
    Baseline,
    /// Seconds after the start.
    At(f64),
}

impl Timepoint {
    fn same(self, other: Timepoint) -> bool {
        match (self, other) {
            (Timepoint::Baseline, Timepoint::Baseline) => true,
            (Timepoint::At(a), Timepoint::At(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()),
            _ => false,
        }
    }
}

struct Checker<'t> {
    edit: Editor<'t>,
    out: Vec<Diagnostic>,
}

impl<'t> Checker<'t> {
    /// A fix of the edits `syntax::edit` could make; none when it could not.
    fn fix(&self, title: String, edits: Vec<TextEdit>, safe: bool) -> Option<Fix> {
        (!edits.is_empty()).then(|| Fix::new(title, edits, safe))
    }

    /// `TRF200`/`TRF206` on a unit. Returns the unit as meant, or `None` when it is not
    /// UCUM. `edits` makes the edits that put another unit in its place.
    fn unit(
        &mut self,
        unit: &str,
        // How the finding names the value, written only for a finding: most units
        // are fine, and the text was two allocations per quantity.
        shown: &dyn Fn() -> String,
        anchor: Span,
        enzyme: bool,
        edits: &dyn Fn(&str) -> Vec<TextEdit>,
    ) -> Option<String> {
        if let Err(reason) = &*ucum::analyse(unit) {
            let d = match spelling::ucum_code(unit, enzyme) {
                Some(code) => Diagnostic::new(
                    Code::InvalidUnit,
                    anchor,
                    format!(
                        "{}: `{unit}` is not a UCUM unit; the UCUM code is `{code}`",
                        shown()
                    ),
                )
                .with_fix(self.fix(format!("write `{code}`"), edits(&code), true)),
                None => Diagnostic::new(
                    Code::InvalidUnit,
                    anchor,
                    format!(
                        "{}: `{unit}` is not a valid UCUM unit ({}); write a UCUM code \
                         such as `mg/L`, `10*9/L` or `{{score}}`",
                        shown(),
                        reason.trim_end_matches('.')
                    ),
                ),
            };
            self.out.push(d);
            return None;
        }
        if let Some((meant, why)) = spelling::intended(unit) {
            let reasons = why
                .iter()
                .map(|w| w.explain())
                .collect::<Vec<_>>()
                .join("; ");
            let almost = if why.contains(&spelling::Suspicion::AtomicMassUnit) {
                "is valid UCUM but almost certainly not what is meant"
            } else {
                "is valid UCUM but not the canonical spelling"
            };
            self.out.push(
                Diagnostic::new(
                    Code::SuspiciousUnit,
                    anchor,
                    format!("{}: `{unit}` {almost}: {reasons}; write `{meant}`", shown()),
                )
                .with_fix(self.fix(
                    format!("write `{meant}`"),
                    edits(&meant),
                    true,
                )),
            );
            return Some(meant);
        }
        Some(unit.to_string())
    }

    /// Read and check the value of a `Quantity` slot: `TRF204` for a bare number (the
    /// fix appends `append` when given), `TRF200`/`TRF206` on its unit, `TRF205` for a
    /// percentage out of range.
    fn quantity<'a>(
        &mut self,
        node: &'a Node,
        key: &str,
        enzyme: bool,
        example: &str,
        append: Option<&str>,
    ) -> Option<Valued<'a>> {
        let q = match quantity::read(node) {
            Read::Quantity(q) => q,
            Read::Bare { number } => {
                let (msg, fix) = match append {
                    Some(unit) => (
                        format!(
                            "`{key}: {number}` has no unit; a quantity is a number with a UCUM \
                             unit, and the outcome is reported in `{unit}`: `{number} {unit}`"
                        ),
                        self.fix(
                            format!("append the outcome's unit `{unit}`"),
                            quantity::append_unit(&self.edit, node, &number, unit),
                            true,
                        ),
                    ),
                    None => (
                        format!(
                            "`{key}: {number}` has no unit; a quantity is a number with a UCUM \
                             unit, e.g. `{example}`"
                        ),
                        None,
                    ),
                };
                self.out
                    .push(Diagnostic::new(Code::MissingUnit, node.span, msg).with_fix(fix));
                return None;
            }
            Read::Other => return None,
        };
        let shown = || format!("`{key}: {}`", q.display());
        let unit = {
            let edit = self.edit;
            let edits = |new: &str| quantity::replace_unit(&edit, &q, new);
            self.unit(&q.unit, &shown, q.unit_anchor(), enzyme, &edits)?
        };
        let mut percent_out_of_range = false;
        if is_percent(&unit) && q.value.is_finite() && !(0.0..=100.0).contains(&q.value) {
            percent_out_of_range = true;
            self.out.push(Diagnostic::new(
                Code::PercentageOrPValueOutOfRange,
                q.value_anchor(),
                format!(
                    "{} is not a percentage: a `%` value lies between 0 and 100",
                    shown()
                ),
            ));
        }
        Some(Valued {
            q,
            unit,
            percent_out_of_range,
        })
    }

    /// A slot that needs a time (`min_age`, `interval`, `timepoint`): `TRF201` otherwise.
    /// Returns the time in seconds.
    fn time(&mut self, node: &Node, key: &str, example: &str) -> Option<f64> {
        let v = self.quantity(node, key, false, example, None)?;
        let info = ucum::info(&v.unit)?;
        if !info.dim.is_time() {
            self.out.push(Diagnostic::new(
                Code::UnitDimension,
                v.q.unit_anchor(),
                format!(
                    "`{key}: {}` is {}, not a time; `{key}` is a time such as `{example}` \
                     (`a`, `mo`, `wk`, `d`, `h`)",
                    v.q.display(),
                    describe_unit(&v.unit)
                ),
            ));
            return None;
        }
        ucum::convert(v.q.value, &v.unit, "s", None)
    }

    fn eligibility(&mut self, root: &Node) {
        let Some(e) = root.get("eligibility") else {
            return;
        };
        for key in ["min_age", "max_age"] {
            if let Some(n) = e.get(key) {
                self.time(n, key, "18 a");
            }
        }
    }

    /// The interventions' doses (quantities or ranges), volumes, `dose_basis` and
    /// schedules. Returns, by id (the first of an id), what the cohort check needs.
    fn interventions<'a>(&mut self, root: &'a Node) -> HashMap<&'a str, InterventionDose<'a>> {
        let mut doses = HashMap::new();
        for item in root
            .get("interventions")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            let mut dose_units: Vec<(String, &Node)> = Vec::new();
            if let Some(dose) = item.get("dose") {
                if is_range(dose) {
                    for v in self
                        .range(dose, "dose", "60 10*6{cells}")
                        .into_iter()
                        .flatten()
                    {
                        dose_units.push((v.unit, v.q.node));
                    }
                } else if let Some(v) = self.quantity(dose, "dose", false, "60 10*6{cells}", None) {
                    dose_units.push((v.unit, dose));
                }
            }
            if let Some(volume) = item.get("volume") {
                self.volume(volume);
            }
            if let Some(basis) = item.get("dose_basis") {
                self.dose_basis(basis, &dose_units);
            }
            if let Some(s) = item.get("schedule") {
                for key in ["interval", "duration"] {
                    let Some(n) = s.get(key) else { continue };
                    if key == "interval" && is_range(n) {
                        for bound in ["min", "max"] {
                            if let Some(b) = n.get(bound) {
                                self.time(b, &format!("interval.{bound}"), "3 d");
                            }
                        }
                    } else {
                        self.time(n, key, "1 wk");
                    }
                }
            }
            if let Some(id) = item.get("id").and_then(Node::text) {
                doses.entry(id).or_insert(InterventionDose {
                    kind: item.get("type").and_then(Node::text),
                    dose: dose_units.into_iter().next(),
                    basis: item.get("dose_basis"),
                });
            }
        }
        doses
    }

    /// The bounds of a `Range` of quantities: each checked as a quantity, and the
    /// upper bound against the lower (`TRF201` on `max` when they do not convert).
    /// Returns the bounds that passed.
    fn range<'a>(&mut self, node: &'a Node, key: &str, example: &str) -> [Option<Valued<'a>>; 2] {
        let mut out = [None, None];
        for (i, bound) in ["min", "max"].into_iter().enumerate() {
            if let Some(b) = node.get(bound) {
                out[i] = self
                    .quantity(b, &format!("{key}.{bound}"), false, example, None)
                    .filter(|v| v.q.value.is_finite());
            }
        }
        if let [Some(lo), Some(hi)] = &out {
            if !ucum::convertible(&hi.unit, &lo.unit, None) {
                self.bounds_disagree(key, "min", lo, "max", hi);
                out[1] = None;
            }
        }
        out
    }

    /// `TRF201`: an interval's two bounds that do not convert into each other,
    /// anchored on the upper.
    fn bounds_disagree(&mut self, key: &str, lower: &str, lo: &Valued, upper: &str, hi: &Valued) {
        self.out.push(
            Diagnostic::new(
                Code::UnitDimension,
                hi.q.unit_anchor(),
                format!(
                    "`{key}.{upper}: {}` is {}, but `{key}.{lower}: {}` is {}; the bounds of \
                     one range are in units that convert into each other",
                    hi.q.display(),
                    describe_unit(&hi.unit),
                    lo.q.display(),
                    describe_unit(&lo.unit)
                ),
            )
            .with_related(lo.q.node.span, format!("`{lower}` is `{}`", lo.q.display())),
        );
    }

    /// `volume`: a quantity, and a volume (`TRF201` otherwise).
    fn volume(&mut self, node: &Node) {
        let Some(v) = self.quantity(node, "volume", false, "3 mL", None) else {
            return;
        };
        let is_volume = ucum::info(&v.unit).is_some_and(|i| {
            i.dim.base == [3, 0, 0, 0, 0, 0, 0] && i.dim.amount == 0 && i.dim.arbitrary.is_empty()
        });
        if !is_volume {
            self.out.push(Diagnostic::new(
                Code::UnitDimension,
                v.q.unit_anchor(),
                format!(
                    "`volume: {}` is {}, not a volume; `volume` is the volume the dose is \
                     given in, such as `3 mL`",
                    v.q.display(),
                    describe_unit(&v.unit)
                ),
            ));
        }
    }

    /// `TRF208`: `dose_basis` against what the dose's unit is scaled to (the first
    /// bound of a range whose unit says).
    fn dose_basis(&mut self, basis: &Node, doses: &[(String, &Node)]) {
        let Some(term) = basis.as_scalar().filter(|s| s.kind == ScalarKind::Str) else {
            return;
        };
        let term = term.text.as_str();
        let weight = matches!(term, "ACTUAL_WEIGHT" | "PREDICTED_WEIGHT" | "IDEAL_WEIGHT");
        let known = weight || matches!(term, "BODY_SURFACE_AREA" | "FLAT");
        if !known {
            return; // TRF013's finding.
        }
        let Some((scale, (unit, dose))) =
            doses.iter().find_map(|d| dose_scale(&d.0).map(|s| (s, d)))
        else {
            return;
        };
        let (agrees, what, meant) = match scale {
            DoseScale::PerWeight => (
                weight,
                "per kilogram of body weight",
                "a per-kg dose is computed from a body weight: `ACTUAL_WEIGHT`, \
                 `PREDICTED_WEIGHT` or `IDEAL_WEIGHT`",
            ),
            DoseScale::PerArea => (
                term == "BODY_SURFACE_AREA",
                "per square metre of body surface area",
                "a per-m² dose is computed from the body surface area: `BODY_SURFACE_AREA`",
            ),
            DoseScale::Flat => (
                term == "FLAT",
                "a flat dose, not scaled to the patient",
                "a flat dose has the basis `FLAT`; a dose computed from a weight or an area \
                 is written per kg or per m² (`10*6{cells}/kg`)",
            ),
        };
        if agrees {
            return;
        }
        let shown = units::measured(dose).map_or_else(|| unit.clone(), |(q, _)| q.display());
        self.out.push(
            Diagnostic::new(
                Code::DoseBasisMismatch,
                basis.span,
                format!(
                    "`dose_basis: {term}` disagrees with the dose's unit `{unit}`, which is \
                     {what}; {meant}"
                ),
            )
            .with_related(dose.span, format!("the dose is `{shown}`")),
        );
    }

    /// Each cohort's `dose`: a quantity, in a unit that converts to the dose of its
    /// arm's investigational intervention (its one intervention of type `BIOLOGICAL`,
    /// `GENETIC` or `COMBINATION_PRODUCT`; not compared when there are none or several).
    /// An investigational intervention with a `dose_basis` but no dose of its own has
    /// its basis judged (`TRF208`) against its first cohort's dose, once.
    fn cohorts(&mut self, root: &Node, doses: &HashMap<&str, InterventionDose>) {
        let mut basis_judged: HashSet<&str> = HashSet::new();
        for arm in Record::new(root).arms() {
            let mut cohorts = arm
                .cohorts()
                .filter_map(|c| c.dose().map(|d| (c, d)))
                .peekable();
            if cohorts.peek().is_none() {
                continue;
            }
            let investigational = investigational(&arm, doses);
            for (cohort, dose) in cohorts {
                let Some(v) = self.quantity(dose, "dose", false, "1 10*6{cells}/kg", None) else {
                    continue;
                };
                if let Some((id, d)) = investigational {
                    if let (None, Some(basis)) = (&d.dose, d.basis) {
                        if basis_judged.insert(id) {
                            self.dose_basis(basis, &[(v.unit.clone(), dose)]);
                        }
                    }
                }
                let Some((id, (unit, node))) =
                    investigational.and_then(|(id, d)| d.dose.as_ref().map(|x| (id, x)))
                else {
                    continue;
                };
                if ucum::convertible(&v.unit, unit, None) {
                    continue;
                }
                let cohort_id = cohort.id().unwrap_or("?");
                self.out.push(
                    Diagnostic::new(
                        Code::UnitDimension,
                        v.q.unit_anchor(),
                        format!(
                            "cohort `{cohort_id}`'s `dose: {}` is {}, but its arm's \
                             investigational intervention `{id}` is dosed in `{unit}`, which \
                             is {}; a cohort's dose is a dose of that intervention",
                            v.q.display(),
                            describe_unit(&v.unit),
                            describe_unit(unit)
                        ),
                    )
                    .with_related(node.span, format!("intervention `{id}`'s dose")),
                );
            }
        }
    }

    /// Read the outcomes and check their own `unit`s.
    fn outcomes<'a>(&mut self, root: &'a Node) -> Vec<OutcomeUnits<'a>> {
        let mut out = Vec::new();
        for item in root.get("outcomes").and_then(Node::as_seq).unwrap_or(&[]) {
            let Some(id) = item.get("id").and_then(Node::text) else {
                continue;
            };
            let kind = item
                .get("quantity")
                .and_then(Node::text)
                .and_then(units::quantity_kind);
            let title = item.get("title").and_then(Node::text).unwrap_or("");
            let lower = title.to_lowercase();
            let change = CHANGE_WORDS.iter().any(|w| lower.contains(w)) || title.contains('Δ');
            let mut outcome = OutcomeUnits {
                id: id.to_string(),
                kind,
                unit: None,
                unit_written: false,
                change,
                node: item,
            };
            for t in item.get("timepoints").and_then(Node::as_seq).unwrap_or(&[]) {
                if t.text().map(str::trim) != Some("baseline") {
                    self.time(t, "timepoints", "24 wk");
                }
            }
            if let Some(u) = item.get("unit") {
                // An empty unit is the schema's finding (TRF014).
                if let Some(text) = u
                    .as_scalar()
                    .filter(|s| s.kind != ScalarKind::Null && !s.text.is_empty())
                {
                    outcome.unit_written = true;
                    let edit = self.edit;
                    let edits = |new: &str| edit.replace_scalar(u, new).into_iter().collect();
                    let shown = || format!("outcome `{id}`'s `unit`");
                    let enzyme = kind.is_some_and(|k| k.is_enzyme());
                    if let Some(meant) = self.unit(&text.text, &shown, u.span, enzyme, &edits) {
                        match kind {
                            Some(k) if !k.fits(&meant) => {
                                self.out.push(Diagnostic::new(
                                    Code::UnitDimension,
                                    u.span,
                                    format!(
                                        "outcome `{id}` measures {}, which is {}; its unit \
                                         `{}` is {}",
                                        label(k),
                                        k.describe(),
                                        text.text,
                                        describe_unit(&meant)
                                    ),
                                ));
                            }
                            _ => outcome.unit = Some((meant, u.span)),
                        }
                    }
                }
            }
            out.push(outcome);
        }
        out
    }

    fn results(&mut self, root: &Node, outcomes: &[OutcomeUnits]) {
        let mut kept: Vec<Kept> = Vec::new();
        // Outcome id → its first position, so a result finds its outcome at once.
        let mut position: HashMap<&str, usize> = HashMap::new();
        for (i, o) in outcomes.iter().enumerate() {
            position.entry(o.id.as_str()).or_insert(i);
        }
        for r in Record::new(root).results() {
            let r = r.node;
            let outcome_index = r
                .get("outcome")
                .and_then(Node::text)
                .and_then(|id| position.get(id).copied());
            let outcome = outcome_index.map(|i| &outcomes[i]);
            let arm = r.get("arm").and_then(Node::text).map(String::from);
            let timepoint_text = r
                .get("timepoint")
                .and_then(Node::text)
                .unwrap_or("")
                .to_string();
            let timepoint = r.get("timepoint").and_then(|t| {
                if t.text() == Some("baseline") {
                    Some(Timepoint::Baseline)
                } else {
                    self.time(t, "timepoint", "6 wk").map(Timepoint::At)
                }
            });
            if let Some(p) = r.get("p_value") {
                self.p_value(p);
            }
            let kind = outcome.and_then(|o| o.kind);
            let enzyme = kind.is_some_and(|k| k.is_enzyme());
            let append = outcome
                .and_then(|o| o.unit.as_ref())
                .map(|(u, _)| u.clone());
            // The estimates with usable units, for the intervals' checks.
            let mut estimates: Vec<(&'static str, Valued)> = Vec::new();
            for statistic in STATISTICS {
                let Some(node) = r.get(statistic) else {
                    continue;
                };
                let Some(v) = self.quantity(node, statistic, enzyme, "2.59 L", append.as_deref())
                else {
                    continue;
                };
                if CENTRAL.contains(&statistic) && v.q.value.is_finite() {
                    estimates.push((statistic, v.clone()));
                }
                let Some(o) = outcome else {
                    continue;
                };
                if !v.q.value.is_finite() {
                    continue;
                }
                if !self.fits_outcome(&v, o, statistic) {
                    continue;
                }
                let implausible = CENTRAL.contains(&statistic)
                    && !v.percent_out_of_range
                    && self.plausible(&v, o).is_err();
                kept.push(Kept {
                    outcome: outcome_index.unwrap_or(0),
                    statistic,
                    arm: arm.clone(),
                    timepoint,
                    timepoint_text: timepoint_text.clone(),
                    v,
                    implausible,
                });
            }
            for interval in &INTERVALS {
                let Some(node) = r.get(interval.key) else {
                    continue;
                };
                let estimate = interval
                    .bounds_estimates
                    .iter()
                    .find_map(|s| estimates.iter().find(|(e, _)| e == s));
                let mut bounds: [Option<Valued>; 2] = [None, None];
                for (i, (key, label)) in interval.bounds.into_iter().enumerate() {
                    let Some(b) = node.get(key) else { continue };
                    let Some(v) = self.quantity(b, label, enzyme, "2.59 L", append.as_deref())
                    else {
                        continue;
                    };
                    if !v.q.value.is_finite() {
                        continue;
                    }
                    let fits = match (estimate, outcome) {
                        (Some((name, e)), _) => self.bound_fits(&v, label, e, name, kind),
                        (None, Some(o)) => self.fits_outcome(&v, o, label),
                        (None, None) => true,
                    };
                    if fits {
                        bounds[i] = Some(v);
                    }
                }
                if estimate.is_none() {
                    if let [Some(lo), Some(hi)] = &bounds {
                        if convert_value(kind, 1.0, &hi.unit, &lo.unit).is_none() {
                            let [(lower, _), (upper, _)] = interval.bounds;
                            self.bounds_disagree(interval.key, lower, lo, upper, hi);
                            bounds[1] = None;
                        }
                    }
                }
                self.contradictions(interval, &bounds, &estimates, kind);
                if let Some(o) = outcome {
                    for (i, v) in bounds.into_iter().enumerate() {
                        let Some(v) = v else { continue };
                        let implausible = !v.percent_out_of_range && self.plausible(&v, o).is_err();
                        kept.push(Kept {
                            outcome: outcome_index.unwrap_or(0),
                            statistic: interval.bounds[i].1,
                            arm: arm.clone(),
                            timepoint,
                            timepoint_text: timepoint_text.clone(),
                            v,
                            implausible,
                        });
                    }
                }
            }
            self.count_of_n(r);
        }
        self.mixed_units(outcomes, &kept);
        self.fev1_fvc(outcomes, &kept);
    }

    /// `TRF201`: an interval's bound in a unit that does not convert to the estimate
    /// it bounds.
    fn bound_fits(
        &mut self,
        v: &Valued,
        label: &str,
        estimate: &Valued,
        name: &str,
        kind: Option<&QuantityKind>,
    ) -> bool {
        if convert_value(kind, 1.0, &v.unit, &estimate.unit).is_some() {
            return true;
        }
        self.out.push(
            Diagnostic::new(
                Code::UnitDimension,
                v.q.unit_anchor(),
                format!(
                    "`{label}: {}` is {}, but the `{name}` it bounds is `{}`, which is {}; a \
                     bound is in a unit of the value it bounds",
                    v.q.display(),
                    describe_unit(&v.unit),
                    estimate.q.display(),
                    describe_unit(&estimate.unit)
                ),
            )
            .with_related(
                estimate.q.node.span,
                format!("`{name}` is `{}`", estimate.q.display()),
            ),
        );
        false
    }

    /// `TRF209`: an estimate outside the interval that bounds it: the `ci`'s estimate
    /// (the first of `mean`, `median`, `value`), `median` outside `iqr`, `mean` or
    /// `median` outside `range`. An interval whose bounds are out of order is
    /// `TRF309`'s finding and is not compared.
    fn contradictions(
        &mut self,
        interval: &Interval,
        bounds: &[Option<Valued>; 2],
        estimates: &[(&'static str, Valued)],
        kind: Option<&QuantityKind>,
    ) {
        let [lo, hi] = bounds;
        if let (Some(lo), Some(hi)) = (lo, hi) {
            match convert_value(kind, hi.q.value, &hi.unit, &lo.unit) {
                Some(h) if h < lo.q.value => return,
                None => return,
                _ => {}
            }
        }
        let compared: &[&str] = match interval.key {
            "ci" => interval.bounds_estimates,
            "iqr" => &["median"],
            _ => &["mean", "median"],
        };
        let first_only = interval.key == "ci";
        let mut candidates = compared
            .iter()
            .filter_map(|s| estimates.iter().find(|(e, _)| e == s))
            .collect::<Vec<_>>();
        if first_only {
            candidates.truncate(1);
        }
        let slack = |x: f64| 1e-9 * x.abs();
        for (name, e) in candidates {
            for (i, bound) in bounds.iter().enumerate() {
                let Some(b) = bound else { continue };
                let Some(x) = convert_value(kind, e.q.value, &e.unit, &b.unit) else {
                    continue;
                };
                let outside = if i == 0 {
                    x < b.q.value - slack(b.q.value)
                } else {
                    x > b.q.value + slack(b.q.value)
                };
                if !outside {
                    continue;
                }
                let (key, label) = interval.bounds[i];
                let side = if i == 0 { "below" } else { "above" };
                let what = match interval.key {
                    "ci" => "an estimate lies inside its confidence interval",
                    "iqr" => "the median lies between the first and third quartile",
                    _ => "the mean and the median lie between the smallest and the largest value observed",
                };
                self.out.push(
                    Diagnostic::new(
                        Code::StatisticsContradict,
                        e.q.node.span,
                        format!(
                            "`{name}: {}` is {side} its `{}` (`{key}: {}`); {what} — check \
                             the values against the source",
                            e.q.display(),
                            interval.key,
                            b.q.display()
                        ),
                    )
                    .with_related(b.q.node.span, format!("`{label}` is `{}`", b.q.display())),
                );
                break;
            }
        }
    }

    /// `TRF209`: `count` (participants with the event) greater than `n`.
    fn count_of_n(&mut self, r: &Node) {
        let int = |n: &Node| match n.as_scalar()?.kind {
            ScalarKind::Int(i) if i >= 0 => Some(i),
            _ => None,
        };
        let (Some(count_node), Some(n_node)) = (r.get("count"), r.get("n")) else {
            return;
        };
        let (Some(count), Some(n)) = (int(count_node), int(n_node)) else {
            return;
        };
        if count > n {
            self.out.push(
                Diagnostic::new(
                    Code::StatisticsContradict,
                    count_node.span,
                    format!(
                        "`count: {count}` is more than `n: {n}`; `count` is the participants \
                         with the event, of the `n` the result is based on — correct one of \
                         them against the source"
                    ),
                )
                .with_related(n_node.span, format!("`n` is {n}")),
            );
        }
    }

    fn p_value(&mut self, node: &Node) {
        let Some(s) = node.as_scalar() else {
            return;
        };
        let p = match s.kind {
            ScalarKind::Int(i) => i as f64,
            ScalarKind::Float(f) => f,
            _ => return,
        };
        if p.is_nan() || !(0.0..=1.0).contains(&p) {
            self.out.push(Diagnostic::new(
                Code::PercentageOrPValueOutOfRange,
                node.span,
                format!(
                    "`p_value: {}` is not a probability: a p-value lies between 0 and 1",
                    s.text
                ),
            ));
        }
    }

    /// `TRF201`: a result's unit against its outcome's `quantity`, or against its
    /// outcome's `unit` when there is no quantity.
    fn fits_outcome(&mut self, v: &Valued, o: &OutcomeUnits, statistic: &str) -> bool {
        let shown = || format!("`{statistic}: {}`", v.q.display());
        if let Some(k) = o.kind {
            if k.fits(&v.unit) {
                return true;
            }
            self.out.push(
                Diagnostic::new(
                    Code::UnitDimension,
                    v.q.unit_anchor(),
                    format!(
                        "{} is {}, but outcome `{}` measures {}, which is {}",
                        shown(),
                        describe_unit(&v.unit),
                        o.id,
                        label(k),
                        k.describe()
                    ),
                )
                .with_related(o.node.span, format!("outcome `{}`", o.id)),
            );
            return false;
        }
        if let Some((ou, span)) = &o.unit {
            if ucum::convertible(&v.unit, ou, None) {
                return true;
            }
            self.out.push(
                Diagnostic::new(
                    Code::UnitDimension,
                    v.q.unit_anchor(),
                    format!(
                        "{} is {}, but outcome `{}` is reported in `{ou}`, which is {}",
                        shown(),
                        describe_unit(&v.unit),
                        o.id,
                        describe_unit(ou)
                    ),
                )
                .with_related(*span, format!("outcome `{}`'s unit", o.id)),
            );
            return false;
        }
        true
    }

    /// `TRF203`: the value against its quantity's plausible range. `Err` when it fired.
    fn plausible(&mut self, v: &Valued, o: &OutcomeUnits) -> Result<(), ()> {
        let Some(k) = o.kind else { return Ok(()) };
        let Some((lo, hi)) = k.range else {
            return Ok(());
        };
        let (lo, hi) = if o.change {
            (-(hi - lo), hi - lo)
        } else {
            (lo, hi)
        };
        let inside = |x: f64| x >= lo - 1e-9 * lo.abs() && x <= hi + 1e-9 * hi.abs();
        let Some(canonical) = k.to_canonical(v.q.value, &v.unit) else {
            return Ok(());
        };
        if !canonical.is_finite() || inside(canonical) {
            return Ok(());
        }
        let range = if o.change {
            format!(
                "{}–{} {} for a change",
                format_number(lo),
                format_number(hi),
                k.canonical_unit
            )
        } else {
            k.range_text().unwrap_or_default()
        };
        let shown = if v.unit == k.canonical_unit
            || ucum::info(&v.unit).is_some_and(|i| i.annotation_only)
        {
            format!("`{}`", v.q.display())
        } else {
            format!(
                "`{}` ({} {})",
                v.q.display(),
                format_number(canonical),
                k.canonical_unit
            )
        };
        let alternative = units::related_units(&v.unit).into_iter().find(|(u, _)| {
            k.to_canonical(v.q.value, u)
                .is_some_and(|c| inside(c) && c != 0.0)
        });
        let d = match alternative {
            Some((u, _)) => Diagnostic::new(
                Code::ImplausibleValue,
                v.q.value_anchor(),
                format!(
                    "{shown} is not a plausible {} ({range}); `{} {u}` would be",
                    label(k),
                    v.q.number
                ),
            )
            .with_fix(self.fix(
                format!("change the unit to `{u}`"),
                quantity::replace_unit(&self.edit, &v.q, &u),
                false,
            )),
            None => Diagnostic::new(
                Code::ImplausibleValue,
                v.q.value_anchor(),
                format!(
                    "{shown} is not a plausible {} ({range}); check the value and its unit \
                     against the source",
                    label(k)
                ),
            ),
        };
        self.out.push(d);
        Err(())
    }

    /// `TRF202`: each outcome's values in one unit: the outcome's own, else the first
    /// result's.
    fn mixed_units(&mut self, outcomes: &[OutcomeUnits], kept: &[Kept]) {
        let mut by_outcome: Vec<Vec<&Kept>> = vec![Vec::new(); outcomes.len()];
        for k in kept {
            if let Some(list) = by_outcome.get_mut(k.outcome) {
                list.push(k);
            }
        }
        for (o, mine) in outcomes.iter().zip(by_outcome) {
            let Some(first) = mine.first() else { continue };
            if o.unit.is_none() && o.unit_written {
                // The outcome's unit is wrong (TRF200/TRF201): fix that first.
                continue;
            }
            let (target, related, whose, note) = match &o.unit {
                Some((u, span)) => (
                    u.clone(),
                    *span,
                    format!("outcome `{}`", o.id),
                    format!("outcome `{}` is reported in `{u}`", o.id),
                ),
                None => (
                    first.v.unit.clone(),
                    first.v.q.node.span,
                    format!("the first result of outcome `{}`", o.id),
                    format!(
                        "the first result of outcome `{}` is in `{}`",
                        o.id, first.v.unit
                    ),
                ),
            };
            for k in &mine {
                if k.implausible || same_unit(&k.v.unit, &target) {
                    continue;
                }
                let converted = match o.kind {
                    Some(kind) => kind.convert(k.v.q.value, &k.v.unit, &target),
                    None => ucum::convert(k.v.q.value, &k.v.unit, &target, None),
                };
                let Some(converted) = converted else { continue };
                let number = format_number(converted);
                self.out.push(
                    Diagnostic::new(
                        Code::MixedUnits,
                        k.v.q.node.span,
                        format!(
                            "`{}: {}` is not in the unit of {whose} (`{target}`); in `{target}` \
                             it is `{number} {target}`",
                            k.statistic,
                            k.v.q.display()
                        ),
                    )
                    .with_related(related, note.clone())
                    .with_fix(self.fix(
                        format!("convert to `{number} {target}`"),
                        quantity::replace_quantity(&self.edit, &k.v.q, &number, &target),
                        true,
                    )),
                );
            }
        }
    }

    /// `TRF207`: FEV1 greater than FVC for the same arm, timepoint and statistic.
    fn fev1_fvc(&mut self, outcomes: &[OutcomeUnits], kept: &[Kept]) {
        let of = |k: &Kept, id: &str| {
            outcomes
                .get(k.outcome)
                .and_then(|o| o.kind)
                .is_some_and(|q| q.id == id)
        };
        let litres = |k: &Kept| {
            outcomes
                .get(k.outcome)
                .and_then(|o| o.kind)
                .and_then(|q| q.convert(k.v.q.value, &k.v.unit, "L"))
        };
        let usable = |k: &Kept| {
            CENTRAL.contains(&k.statistic)
                && !k.implausible
                && k.arm.is_some()
                && k.timepoint.is_some()
        };
        // The FVC values by (arm, statistic): the first at baseline, and the others
        // sorted by time, so each FEV1 finds its FVC by a binary search (the first
        // in document order among those at the same time) instead of a scan.
        #[derive(Default)]
        struct Fvcs {
            baseline: Option<usize>,
            at: Vec<(f64, usize)>,
        }
        let mut fvcs: HashMap<(&str, &str), Fvcs> = HashMap::new();
        for (i, k) in kept.iter().enumerate() {
            if !(of(k, "FVC") && usable(k)) {
                continue;
            }
            let entry = fvcs
                .entry((k.arm.as_deref().unwrap_or(""), k.statistic))
                .or_default();
            match k.timepoint {
                Some(Timepoint::Baseline) => {
                    entry.baseline.get_or_insert(i);
                }
                Some(Timepoint::At(t)) if t.is_finite() => entry.at.push((t, i)),
                _ => {}
            }
        }
        for entry in fvcs.values_mut() {
            entry
                .at
                .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        }
        let matching = |fev1: &Kept| -> Option<usize> {
            let entry = fvcs.get(&(fev1.arm.as_deref()?, fev1.statistic))?;
            match fev1.timepoint? {
                Timepoint::Baseline => entry.baseline,
                Timepoint::At(t) => {
                    // `same` allows a relative 1e-9; the window is wider, then `same`
                    // decides.
                    let slack = 2e-9 * t.abs();
                    let from = entry.at.partition_point(|(a, _)| *a < t - slack);
                    entry.at[from..]
                        .iter()
                        .take_while(|(a, _)| *a <= t + slack)
                        .filter(|(a, _)| Timepoint::At(*a).same(Timepoint::At(t)))
                        .map(|(_, i)| *i)
                        .min()
                }
            }
        };
        for fev1 in kept.iter().filter(|k| of(k, "FEV1") && usable(k)) {
            let Some(fev1_l) = litres(fev1) else { continue };
            let Some(fvc) = matching(fev1).map(|i| &kept[i]) else {
                continue;
            };
            let Some(fvc_l) = litres(fvc) else { continue };
            if fev1_l <= fvc_l * (1.0 + 1e-9) {
                continue;
            }
            let when = match fev1.timepoint {
                Some(Timepoint::Baseline) => "at baseline".to_string(),
                _ => format!("at `{}`", fev1.timepoint_text),
            };
            self.out.push(
                Diagnostic::new(
                    Code::Fev1ExceedsFvc,
                    fev1.v.q.node.span,
                    format!(
                        "FEV1 `{}` is greater than FVC `{}` (arm `{}`, {when}, {}); FEV1 is \
                         part of FVC, so it cannot exceed it: check both values against the \
                         source",
                        fev1.v.q.display(),
                        fvc.v.q.display(),
                        fev1.arm.as_deref().unwrap_or(""),
                        fev1.statistic
                    ),
                )
                .with_related(
                    fvc.v.q.node.span,
                    format!("FVC {} is `{}`", fvc.statistic, fvc.v.q.display()),
                ),
            );
        }
    }
}

/// A quantity's label inside a sentence: "hemoglobin", "white blood cell count", but
/// "FEV1", "eGFR", "Mayo score".
fn label(k: &QuantityKind) -> String {
    let first = k.label.split_whitespace().next().unwrap_or("");
    let mut chars = first.chars();
    let common_word = chars.next().is_some_and(char::is_uppercase)
        && first.chars().count() > 1
        && chars.all(char::is_lowercase)
        && first != "Mayo";
    if common_word {
        let mut s = k.label.clone();
        if let Some(c) = s.get(..1).map(str::to_lowercase) {
            s.replace_range(..1, &c);
        }
        s
    } else {
        k.label.clone()
    }
}

/// A `Range` rather than a quantity: a mapping with `min` or `max` (as the schema's
/// `QuantityOrRange` tells them apart).
fn is_range(node: &Node) -> bool {
    node.as_map().is_some() && (node.get("min").is_some() || node.get("max").is_some())
}

/// A value converted between units, through the quantity's molar mass when it has one.
fn convert_value(kind: Option<&QuantityKind>, value: f64, from: &str, to: &str) -> Option<f64> {
    match kind {
        Some(k) => k.convert(value, from, to),
        None => ucum::convert(value, from, to, None),
    }
}

/// An arm's investigational intervention: its one intervention of type `BIOLOGICAL`,
/// `GENETIC` or `COMBINATION_PRODUCT` (none when there are none or several).
fn investigational<'d, 'a>(
    arm: &Arm,
    doses: &'d HashMap<&'a str, InterventionDose<'a>>,
) -> Option<(&'a str, &'d InterventionDose<'a>)> {
    let mut found: Option<(&'a str, &'d InterventionDose<'a>)> = None;
    for r in arm.interventions() {
        let Some((&id, d)) = r.text().and_then(|id| doses.get_key_value(id)) else {
            continue;
        };
        if !d.kind.is_some_and(|k| INVESTIGATIONAL.contains(&k)) {
            continue;
        }
        match found {
            Some((f, _)) if f == id => {}
            Some(_) => return None,
            None => found = Some((id, d)),
        }
    }
    found
}

/// `%`, or `%` with an annotation.
fn is_percent(unit: &str) -> bool {
    strip_annotations(unit) == "%"
}

fn strip_annotations(unit: &str) -> String {
    let mut out = String::with_capacity(unit.len());
    let mut depth = 0;
    for c in unit.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The same unit but for annotations (`{score}` and `{points}` are both the unity).
fn same_unit(a: &str, b: &str) -> bool {
    a == b || strip_annotations(a) == strip_annotations(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_do_not_make_units_differ() {
        assert!(same_unit("{score}", "{points}"));
        assert!(same_unit("10*6{cells}", "10*6"));
        assert!(!same_unit("mL", "L"));
        assert!(is_percent("%"));
        assert!(is_percent("%{WBC}"));
        assert!(!is_percent("1"));
    }
}
