//! Unit knowledge: UCUM validation and conversion ([`ucum`], through `octofhir-ucum`),
//! common non-UCUM spellings ([`spelling`]), reading quantities from the tree
//! ([`quantity`]), and the `QuantityKind` catalogue (dimensions, canonical units,
//! plausible ranges, molar masses) read from `schema/vocabularies.json`; time
//! quantities ([`time`]) and the one number formatter for messages and fixes
//! ([`number`]). The rules that use it are in `rules/units.rs` and `rules/design/`.

pub mod number;
pub mod quantity;
pub mod spelling;
pub mod time;
pub mod ucum;

use std::sync::LazyLock;

use crate::schema::Schema;
pub use number::{format_decimals, format_number};
pub use ucum::{convert, Dim, UnitInfo};

/// One `QuantityKind` term: what the checker knows about a measure.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantityKind {
    pub id: String,
    pub label: String,
    /// `volume`, `mass_concentration`, `fraction`, `score`, `length_or_score`, ...
    pub dimension: String,
    pub canonical_unit: String,
    /// Plausible values in the canonical unit, inclusive.
    pub range: Option<(f64, f64)>,
    /// g/mol, where mass and substance concentrations both fit.
    pub molar_mass: Option<f64>,
}

static CATALOGUE: LazyLock<Vec<QuantityKind>> = LazyLock::new(|| {
    let schema = Schema::builtin();
    let Some(vocab) = schema.vocabulary("QuantityKind") else {
        return Vec::new();
    };
    vocab
        .terms
        .iter()
        .filter_map(|t| {
            let num = |v: &serde_json::Value| v.as_f64();
            let range = t
                .extra
                .get("range")
                .and_then(|r| r.as_array())
                .and_then(|r| Some((num(r.first()?)?, num(r.get(1)?)?)));
            Some(QuantityKind {
                id: t.id.clone(),
                // Messages name a measure as the field abbreviates it (`FEV1`).
                label: t
                    .extra
                    .get("abbreviation")
                    .and_then(|a| a.as_str())
                    .map_or_else(|| t.label.clone(), String::from),
                dimension: t.extra.get("dimension")?.as_str()?.to_string(),
                canonical_unit: t.extra.get("canonical_unit")?.as_str()?.to_string(),
                range,
                molar_mass: t.extra.get("molar_mass").and_then(num),
            })
        })
        .collect()
});

pub fn catalogue() -> &'static [QuantityKind] {
    &CATALOGUE
}

pub fn quantity_kind(id: &str) -> Option<&'static QuantityKind> {
    CATALOGUE.iter().find(|k| k.id == id)
}

impl QuantityKind {
    /// An enzyme activity (`ALT`, `AST`, `ALP`, `GGT`, `LDH`): `IU` means `U` here.
    pub fn is_enzyme(&self) -> bool {
        self.dimension == "catalytic_concentration"
    }

    fn takes_scores(&self) -> bool {
        matches!(self.dimension.as_str(), "score" | "length_or_score")
    }

    /// Whether values in `unit` can be values of this quantity: the unit converts to
    /// the canonical unit (with the molar mass, where there is one); for fractions
    /// `%`, `1` and other pure numbers; for scores an annotation (`{score}`).
    pub fn fits(&self, unit: &str) -> bool {
        let Some(u) = ucum::info(unit) else {
            return false;
        };
        if u.special {
            return false;
        }
        match self.dimension.as_str() {
            "fraction" => u.dim.is_dimensionless() && !u.annotation_only,
            "score" => u.annotation_only,
            "length_or_score" if u.annotation_only => true,
            _ => ucum::convertible(unit, &self.canonical_unit, self.molar_mass),
        }
    }

    /// A value in `unit` in this quantity's canonical unit. Scores are not converted.
    pub fn to_canonical(&self, value: f64, unit: &str) -> Option<f64> {
        self.convert(value, unit, &self.canonical_unit)
    }

    /// Convert between two units that fit this quantity (using its molar mass).
    pub fn convert(&self, value: f64, from: &str, to: &str) -> Option<f64> {
        if self.takes_scores() {
            let ann = |u: &str| ucum::info(u).is_some_and(|i| i.annotation_only);
            match (ann(from), ann(to)) {
                (true, true) => return Some(value),
                (false, false) => {}
                _ => return None,
            }
        }
        if !self.fits(from) || !self.fits(to) {
            return None;
        }
        ucum::convert(value, from, to, self.molar_mass)
    }

    /// What the quantity is, for messages: "a volume (`L`)".
    pub fn describe(&self) -> String {
        let what = match self.dimension.as_str() {
            "fraction" => return "a fraction (`%` or `1`)".to_string(),
            "score" => return "a score (an annotation such as `{score}`)".to_string(),
            "length_or_score" => {
                return format!(
                    "a length (`{}`) or a score (`{{score}}`)",
                    self.canonical_unit
                )
            }
            "substance_concentration" => match self.molar_mass {
                Some(m) => {
                    return format!(
                        "a substance concentration (`{}`), or a mass concentration with \
                         its molar mass {} g/mol",
                        self.canonical_unit,
                        format_number(m)
                    )
                }
                None => "a substance concentration".to_string(),
            },
            "volume_flow_per_bsa" => "a volume flow per body surface area".to_string(),
            other => article(&other.replace('_', " ")),
        };
        format!("{what} (`{}`)", self.canonical_unit)
    }

    /// "0.2–8 L"
    pub fn range_text(&self) -> Option<String> {
        let (lo, hi) = self.range?;
        Some(format!(
            "{}–{} {}",
            format_number(lo),
            format_number(hi),
            self.canonical_unit
        ))
    }
}

fn article(noun: &str) -> String {
    match noun.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {noun}"),
        _ => format!("a {noun}"),
    }
}

/// What a unit measures, for messages: "a mass concentration", "a time".
pub fn describe_unit(unit: &str) -> String {
    let Some(u) = ucum::info(unit) else {
        return "not a UCUM unit".to_string();
    };
    if u.annotation_only {
        return "an annotation (a count or score)".to_string();
    }
    if !u.dim.arbitrary.is_empty() {
        return "in arbitrary units".to_string();
    }
    let name = match (u.dim.base, u.dim.amount) {
        ([0, 0, 0, 0, 0, 0, 0], 0) => "a pure number",
        ([3, 0, 0, 0, 0, 0, 0], 0) => "a volume",
        ([2, 0, 0, 0, 0, 0, 0], 0) => "an area",
        ([1, 0, 0, 0, 0, 0, 0], 0) => "a length",
        ([0, 1, 0, 0, 0, 0, 0], 0) => "a time",
        ([0, -1, 0, 0, 0, 0, 0], 0) => "a frequency",
        ([0, 0, 1, 0, 0, 0, 0], 0) => "a mass",
        ([0, 0, -1, 0, 0, 0, 0], 0) => "a count per mass",
        ([0, 0, 0, 0, 1, 0, 0], 0) => "a temperature",
        ([-3, 0, 1, 0, 0, 0, 0], 0) => "a mass concentration",
        ([-3, 0, 0, 0, 0, 0, 0], 0) => "a number concentration",
        ([-3, 0, 0, 0, 0, 0, 0], 1) => "a substance concentration",
        ([-3, -1, 0, 0, 0, 0, 0], 1) => "a catalytic concentration",
        ([0, -1, 0, 0, 0, 0, 0], 1) => "a catalytic activity",
        ([0, 0, 0, 0, 0, 0, 0], 1) => "an amount of substance",
        ([3, -1, 0, 0, 0, 0, 0], 0) => "a volume flow",
        ([-1, -2, 1, 0, 0, 0, 0], 0) => "a pressure",
        _ => "",
    };
    if name.is_empty() {
        let d = octofhir_ucum::Dimension(u.dim.base);
        format!("of dimension {d}")
    } else {
        name.to_string()
    }
}

/// Units one prefix step away from `unit` (`L` → `mL`, `dL`; `g/L` → `g/dL`, `mg/L`;
/// `10*9/L` → `10*6/L`), with the factor a value changes by when the unit is read as
/// the other (`2590 mL` is `2.59 L`: from `L` to `mL` the factor is 1e-3). Steps of 10³
/// come first, then steps of 10.
pub fn related_units(unit: &str) -> Vec<(String, f64)> {
    let Some(base) = ucum::info(unit) else {
        return Vec::new();
    };
    if base.special || base.annotation_only || !base.factor.is_finite() {
        return Vec::new();
    }
    let mut out: Vec<(String, f64)> = Vec::new();
    for candidate in spelling::prefix_variants(unit) {
        let Some(c) = ucum::info(&candidate) else {
            continue;
        };
        if c.dim != base.dim || c.special {
            continue;
        }
        let ratio = c.factor / base.factor;
        let step = [1e3, 1e-3, 10.0, 0.1]
            .into_iter()
            .find(|s| (ratio / s - 1.0).abs() < 1e-9);
        if let Some(step) = step {
            if !out.iter().any(|(u, _)| *u == candidate) {
                out.push((candidate, step));
            }
        }
    }
    out.sort_by_key(|(_, step)| if step.log10().abs() > 2.0 { 0 } else { 1 });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_read_from_the_vocabulary() {
        let fev1 = quantity_kind("FEV1").unwrap();
        assert_eq!(fev1.canonical_unit, "L");
        assert_eq!(fev1.range, Some((0.2, 8.0)));
        assert_eq!(
            quantity_kind("CREATININE").unwrap().molar_mass,
            Some(113.12)
        );
        assert_eq!(
            quantity_kind("TOTAL_CHOLESTEROL").unwrap().molar_mass,
            Some(386.65)
        );
        assert!(quantity_kind("ALT").unwrap().is_enzyme());
        assert!(!quantity_kind("CRP").unwrap().is_enzyme());
        assert_eq!(catalogue().len(), 27);
        // Every canonical unit is valid UCUM and fits its own quantity.
        for k in catalogue() {
            assert!(k.fits(&k.canonical_unit), "{}", k.id);
        }
    }

    #[test]
    fn units_fit_quantities() {
        let fits = |q: &str, u: &str| quantity_kind(q).unwrap().fits(u);
        assert!(fits("FEV1", "mL"));
        assert!(!fits("FEV1", "mg/L"));
        assert!(fits("CRP", "mg/dL"));
        assert!(fits("WBC", "/uL"));
        assert!(!fits("WBC", "umol/L"));
        assert!(fits("CREATININE", "mg/dL"));
        assert!(fits("CREATININE", "mmol/L"));
        assert!(!fits("CRP", "mmol/L"));
        assert!(fits("TOTAL_CHOLESTEROL", "mg/dL"));
        assert!(fits("EOSINOPHILS_PCT", "%"));
        assert!(fits("EOSINOPHILS_PCT", "1"));
        assert!(!fits("EOSINOPHILS_PCT", "{score}"));
        assert!(fits("MAYO_SCORE", "{score}"));
        assert!(fits("MAYO_SCORE", "{points}"));
        assert!(!fits("MAYO_SCORE", "%"));
        assert!(fits("VAS_PAIN", "mm"));
        assert!(fits("VAS_PAIN", "cm"));
        assert!(fits("VAS_PAIN", "{score}"));
        assert!(!fits("VAS_PAIN", "kg"));
        assert!(fits("ALT", "U/L"));
        assert!(fits("ALT", "ukat/L"));
        assert!(!fits("ALT", "[IU]/L"));
        assert!(fits("EGFR", "mL/min/{1.73_m2}"));
        assert!(fits("HEART_RATE", "/min"));
        assert!(!fits("FEV1", "nonsense"));
    }

    #[test]
    fn converts_to_canonical_units() {
        let canon = |q: &str, v: f64, u: &str| quantity_kind(q).unwrap().to_canonical(v, u);
        let near =
            |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-6 * b.abs().max(1.0));
        assert!(near(canon("CRP", 5.0, "mg/dL"), 50.0));
        assert!(near(canon("HEMOGLOBIN", 13.5, "g/dL"), 135.0));
        assert!(near(canon("CEA", 3.0, "ng/mL"), 3.0));
        assert!(near(canon("WBC", 6600.0, "/uL"), 6.6));
        assert!(near(canon("FEV1_FVC", 0.8, "1"), 80.0));
        assert!(near(canon("MAYO_SCORE", 7.0, "{points}"), 7.0));
        let creat = canon("CREATININE", 0.93, "mg/dL").unwrap();
        assert!((creat - 82.2136).abs() < 1e-3);
        assert_eq!(canon("CRP", 1.0, "mmol/L"), None);
    }

    #[test]
    fn related_units_are_one_prefix_step_away() {
        let r = related_units("L");
        assert_eq!(r.first().map(|(u, s)| (u.as_str(), *s)), Some(("mL", 1e-3)));
        assert!(r.iter().any(|(u, s)| u == "dL" && *s == 0.1));
        assert!(!r.iter().any(|(u, _)| u == "kL"));
        let g = related_units("g/L");
        assert!(g.iter().any(|(u, s)| u == "g/dL" && *s == 10.0));
        assert!(g.iter().any(|(u, s)| u == "mg/L" && *s == 1e-3));
        let c = related_units("10*9/L");
        assert!(c.iter().any(|(u, s)| u == "10*6/L" && *s == 1e-3));
        assert!(related_units("{score}").is_empty());
    }

    #[test]
    fn describes_units_and_quantities() {
        assert_eq!(describe_unit("mg/L"), "a mass concentration");
        assert_eq!(describe_unit("umol/L"), "a substance concentration");
        assert_eq!(describe_unit("10*9/L"), "a number concentration");
        assert_eq!(describe_unit("kg"), "a mass");
        assert_eq!(describe_unit("wk"), "a time");
        assert_eq!(describe_unit("U/L"), "a catalytic concentration");
        assert_eq!(describe_unit("m2/s"), "of dimension L2.T-1");
        assert_eq!(quantity_kind("FEV1").unwrap().describe(), "a volume (`L`)");
        assert_eq!(
            quantity_kind("FEV1").unwrap().range_text().as_deref(),
            Some("0.2–8 L")
        );
    }
}

/// A quantity whose number is finite and whose unit, as meant (what `TRF206` says a
/// suspicious spelling means, else as written), is valid UCUM: what the rules that
/// compare values read. `None` for anything the unit rules report instead.
pub fn measured(node: &crate::syntax::Node) -> Option<(quantity::Quantity<'_>, String)> {
    let quantity::Read::Quantity(q) = quantity::read(node) else {
        return None;
    };
    if !q.value.is_finite() {
        return None;
    }
    let unit = spelling::intended(&q.unit).map_or_else(|| q.unit.clone(), |(meant, _)| meant);
    ucum::is_valid(&unit).then_some((q, unit))
}

/// Per-kg, per-m² or flat: what a dose's unit says it is scaled to (TRF208).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoseScale {
    /// Divided by a mass (`{cells}/kg`, `mg/kg`, `10*6{cells}.kg-1`).
    PerWeight,
    /// Divided by an area (`mg/m2`, `10*6{cells}/m2`).
    PerArea,
    /// Divided by neither: an amount given as such (`mg`, `10*6{cells}`, `mL`).
    Flat,
}

/// What a dose unit is scaled to, read from its divisors: a term after `/`, or a term
/// with a negative exponent (`kg-1`), that is a mass makes it per weight, one that is
/// an area per area (annotations are ignored). A rate per time (`mg/h`) is flat.
/// `None` when the unit is not valid UCUM, or divides by both.
pub fn dose_scale(unit: &str) -> Option<DoseScale> {
    if !ucum::is_valid(unit) {
        return None;
    }
    let (mut weight, mut area) = (false, false);
    for term in divisors(unit) {
        let Some(info) = ucum::info(&term) else {
            continue;
        };
        let d = &info.dim;
        let only = |i: usize, e: i8| {
            d.amount == 0
                && d.arbitrary.is_empty()
                && d.base
                    .iter()
                    .enumerate()
                    .all(|(j, x)| *x == if j == i { e } else { 0 })
        };
        weight |= only(ucum::MASS, 1);
        area |= only(ucum::LENGTH, 2);
    }
    match (weight, area) {
        (true, true) => None,
        (true, false) => Some(DoseScale::PerWeight),
        (false, true) => Some(DoseScale::PerArea),
        (false, false) => Some(DoseScale::Flat),
    }
}

/// The terms a UCUM expression divides by, each as a unit with a positive exponent
/// (`kg` of `/kg`, `m2` of `/m2`, `kg` of `.kg-1`); annotations dropped. Parenthesised
/// groups are not opened (clinical dose units do not use them).
fn divisors(unit: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut term = String::new();
    let mut divided = unit.starts_with('/');
    let mut depth_brace = 0usize;
    let mut depth_bracket = 0usize;
    let flush = |term: &mut String, divided: bool, out: &mut Vec<String>| {
        let t = std::mem::take(term);
        // The exponent: trailing digits with an optional sign.
        let digits = t.trim_end_matches(|c: char| c.is_ascii_digit());
        let (base, negative, exponent) = match digits.strip_suffix('-') {
            Some(b) => (b, true, &t[digits.len()..]),
            None => (digits, false, &t[digits.len()..]),
        };
        let base = base.strip_suffix('+').unwrap_or(base);
        if !base.is_empty() && divided != negative {
            out.push(format!("{base}{exponent}"));
        }
    };
    for c in unit.chars() {
        match c {
            '{' => depth_brace += 1,
            '}' => depth_brace = depth_brace.saturating_sub(1),
            _ if depth_brace > 0 => {}
            '[' => {
                depth_bracket += 1;
                term.push(c);
            }
            ']' => {
                depth_bracket = depth_bracket.saturating_sub(1);
                term.push(c);
            }
            '.' | '/' if depth_bracket == 0 => {
                flush(&mut term, divided, &mut out);
                divided = c == '/';
            }
            _ => term.push(c),
        }
    }
    flush(&mut term, divided, &mut out);
    out
}

#[cfg(test)]
mod dose_tests {
    use super::*;

    #[test]
    fn dose_units_say_what_they_are_scaled_to() {
        use DoseScale::*;
        for (unit, scale) in [
            ("{cells}/kg", Some(PerWeight)),
            ("10*6{cells}/kg", Some(PerWeight)),
            ("mg/kg", Some(PerWeight)),
            ("10*6{cells}.kg-1", Some(PerWeight)),
            ("ug/[lb_av]", Some(PerWeight)),
            ("mg/m2", Some(PerArea)),
            ("10*6{cells}/cm2", Some(PerArea)),
            ("mg", Some(Flat)),
            ("10*6{cells}", Some(Flat)),
            ("mL", Some(Flat)),
            ("mg/h", Some(Flat)),
            ("10*8{particles}", Some(Flat)),
            ("mg/kg/m2", None),
            ("kilos", None),
        ] {
            assert_eq!(dose_scale(unit), scale, "{unit}");
        }
    }
}
