//! TRF200–TRF207: units and values. Every `Quantity` of a record (doses, ages,
//! schedules, timepoints, results) is read with the spans of its number and unit; its
//! unit is checked against UCUM, the outcome it belongs to (`quantity`, `unit`) and the
//! other values of that outcome. The knowledge (UCUM, spellings, the `QuantityKind`
//! catalogue, conversions) is in `crate::units`.
//!
//! One finding per value: a unit that is not UCUM (`TRF200`) is reported once and the
//! value is not judged further; a suspicious spelling (`TRF206`) is judged as the unit
//! it almost certainly means; a value out of its plausible range (`TRF203`) is not also
//! asked to be converted (`TRF202`) or compared (`TRF207`).

use std::collections::HashMap;

use super::Context;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::model::Record;
use crate::syntax::edit::Editor;
use crate::syntax::{Node, ScalarKind, Span};
use crate::units::quantity::{self, Quantity, Read};
use crate::units::{self, describe_unit, format_number, spelling, ucum, QuantityKind};

/// The statistics of a result that are quantities; the first three are values of the
/// outcome (range-checked and compared), `sd` and `se` are spreads.
const STATISTICS: [&str; 5] = ["mean", "median", "value", "sd", "se"];
const CENTRAL: [&str; 3] = ["mean", "median", "value"];

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
    c.interventions(cx.root);
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

/// A value that passed the unit checks.
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
        shown: &str,
        anchor: Span,
        enzyme: bool,
        edits: &dyn Fn(&str) -> Vec<TextEdit>,
    ) -> Option<String> {
        if let Err(reason) = &*ucum::analyse(unit) {
            let d = match spelling::ucum_code(unit, enzyme) {
                Some(code) => Diagnostic::new(
                    Code::InvalidUnit,
                    anchor,
                    format!("{shown}: `{unit}` is not a UCUM unit; the UCUM code is `{code}`"),
                )
                .with_fix(self.fix(format!("write `{code}`"), edits(&code), true)),
                None => Diagnostic::new(
                    Code::InvalidUnit,
                    anchor,
                    format!(
                        "{shown}: `{unit}` is not a valid UCUM unit ({}); write a UCUM code \
                         such as `mg/L`, `10*9/L` or `{{score}}`",
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
                    format!("{shown}: `{unit}` {almost}: {reasons}; write `{meant}`"),
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
        let shown = format!("`{key}: {}`", q.display());
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
                format!("{shown} is not a percentage: a `%` value lies between 0 and 100"),
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

    fn interventions(&mut self, root: &Node) {
        for item in root
            .get("interventions")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(dose) = item.get("dose") {
                self.quantity(dose, "dose", false, "60 10*6{cells}", None);
            }
            if let Some(s) = item.get("schedule") {
                for key in ["interval", "duration"] {
                    if let Some(n) = s.get(key) {
                        self.time(n, key, "1 wk");
                    }
                }
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
            if let Some(u) = item.get("unit") {
                // An empty unit is the schema's finding (TRF014).
                if let Some(text) = u
                    .as_scalar()
                    .filter(|s| s.kind != ScalarKind::Null && !s.text.is_empty())
                {
                    outcome.unit_written = true;
                    let edit = self.edit;
                    let edits = |new: &str| edit.replace_scalar(u, new).into_iter().collect();
                    let shown = format!("outcome `{id}`'s `unit`");
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
            for statistic in STATISTICS {
                let Some(node) = r.get(statistic) else {
                    continue;
                };
                let Some(v) = self.quantity(node, statistic, enzyme, "2.59 L", append.as_deref())
                else {
                    continue;
                };
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
        }
        self.mixed_units(outcomes, &kept);
        self.fev1_fvc(outcomes, &kept);
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
        let shown = format!("`{statistic}: {}`", v.q.display());
        if let Some(k) = o.kind {
            if k.fits(&v.unit) {
                return true;
            }
            self.out.push(
                Diagnostic::new(
                    Code::UnitDimension,
                    v.q.unit_anchor(),
                    format!(
                        "{shown} is {}, but outcome `{}` measures {}, which is {}",
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
                        "{shown} is {}, but outcome `{}` is reported in `{ou}`, which is {}",
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
