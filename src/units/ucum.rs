//! UCUM through `octofhir-ucum`, memoised per thread.
//!
//! Why this crate: it is maintained, validates expressions case-sensitively against the
//! UCUM tables (2.2), reports the dimension, magnitude and arbitrary atoms of any
//! expression, and converts clinical units correctly (`100 mg/dL` is `1 g/L`, `6600 /uL`
//! is `6.6 10*9/L`) while refusing what UCUM cannot convert (`mmol/L` to `mg/dL` has
//! no answer without a molar mass). Writing our own UCUM parser would mean re-keying
//! several hundred units and their definitions.
//!
//! Analysing an expression costs microseconds; a record repeats the same few units many
//! times and a workspace repeats them across records, so every thread keeps the
//! analyses it has made (bounded, so hostile input cannot grow it without limit).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use octofhir_ucum::{Case, UnitExpr};

/// What a unit measures: UCUM's seven base dimensions, plus the amount of substance
/// (UCUM counts `mol` as the number 6.02214076e23, which would make `umol/L` the same
/// kind of quantity as `10*9/L`; a curator sees a substance concentration and a count),
/// plus the arbitrary atoms (`[IU]`), which convert to nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dim {
    /// Exponents of m, s, g, rad, K, C, cd.
    pub base: [i8; 7],
    /// Exponent of amount of substance (`mol`, `eq`, `osm`; `U` and `kat` per time).
    pub amount: i8,
    pub arbitrary: Vec<(&'static str, i32)>,
}

/// Index of the gram in [`Dim::base`].
pub const MASS: usize = 2;
/// Index of the second in [`Dim::base`].
pub const TIME: usize = 1;
/// Index of the metre in [`Dim::base`].
pub const LENGTH: usize = 0;

impl Dim {
    pub fn is_dimensionless(&self) -> bool {
        self.base == [0; 7] && self.amount == 0 && self.arbitrary.is_empty()
    }
    /// The dimension after multiplying by a mass and dividing by an amount of substance
    /// (from a substance concentration to a mass concentration, by a molar mass).
    pub fn times_molar_mass(&self) -> Dim {
        let mut d = self.clone();
        d.base[MASS] = d.base[MASS].saturating_add(1);
        d.amount = d.amount.saturating_sub(1);
        d
    }
    /// Only time: `a`, `wk`, `h`.
    pub fn is_time(&self) -> bool {
        self.base == [0, 1, 0, 0, 0, 0, 0] && self.amount == 0 && self.arbitrary.is_empty()
    }
}

/// A valid UCUM expression, analysed.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitInfo {
    pub dim: Dim,
    /// Magnitude in base units (`mol` counted as 6.02214076e23). May be infinite for
    /// absurd expressions (`10*999`); conversions refuse those.
    pub factor: f64,
    /// A special unit (UCUM §21: `Cel`, `[pH]`, `B`): not on a ratio scale, so values in
    /// it are not converted here.
    pub special: bool,
    /// Nothing but an annotation (`{score}`, `{cells}`): the unity with a label.
    pub annotation_only: bool,
}

/// Most analyses a thread keeps before it starts over.
const MEMO_LIMIT: usize = 4096;
/// Longest unit analysed: clinical units are a few characters; this bounds the work a
/// hostile file can ask for (UCUM's error suggestions compare the whole text with
/// every unit).
pub const MAX_UNIT_LEN: usize = 200;

thread_local! {
    static MEMO: RefCell<HashMap<String, Rc<Result<UnitInfo, String>>>> =
        RefCell::new(HashMap::new());
}

/// Analyse a unit: `Ok` for valid UCUM, `Err` with the reason (one line) otherwise.
pub fn analyse(unit: &str) -> Rc<Result<UnitInfo, String>> {
    if let Some(hit) = MEMO.with(|m| m.borrow().get(unit).cloned()) {
        return hit;
    }
    let result = Rc::new(analyse_uncached(unit));
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_LIMIT {
            m.clear();
        }
        m.insert(unit.to_string(), result.clone());
    });
    result
}

/// The analysis of a valid unit, `None` for anything else.
pub fn info(unit: &str) -> Option<UnitInfo> {
    match &*analyse(unit) {
        Ok(i) => Some(i.clone()),
        Err(_) => None,
    }
}

pub fn is_valid(unit: &str) -> bool {
    analyse(unit).is_ok()
}

fn analyse_uncached(unit: &str) -> Result<UnitInfo, String> {
    if unit.is_empty() {
        return Err("an empty unit".into());
    }
    if unit.len() > MAX_UNIT_LEN {
        return Err(format!("longer than {MAX_UNIT_LEN} characters"));
    }
    let a = octofhir_ucum::analyse(unit).map_err(|e| first_line(&e.to_string()))?;
    let amount = amount_exponent(&a.parsed_ast).clamp(i8::MIN as i32, i8::MAX as i32) as i8;
    let factor = a.factor.to_f64();
    Ok(UnitInfo {
        dim: Dim {
            base: a.dimension.0,
            amount,
            arbitrary: a.arbitrary.clone(),
        },
        factor,
        special: a.special.is_some_and(|s| s.is_special()),
        annotation_only: matches!(a.parsed_ast, UnitExpr::Annotation(_)),
    })
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// The exponent of amount of substance in an expression (see [`Dim::amount`]).
fn amount_exponent(expr: &UnitExpr) -> i32 {
    match expr {
        UnitExpr::Symbol(code) => match octofhir_ucum::lookup_unit(code, Case::Sensitive) {
            Some((_, record))
                if record.property.starts_with("amount of substance")
                    || record.property == "catalytic activity" =>
            {
                1
            }
            _ => 0,
        },
        UnitExpr::Numeric(_) | UnitExpr::Annotation(_) => 0,
        UnitExpr::Power(base, exp) => amount_exponent(base).saturating_mul(*exp),
        UnitExpr::Annotated(inner, _) => amount_exponent(inner),
        UnitExpr::Product(terms) => terms
            .iter()
            .map(amount_exponent)
            .fold(0i32, i32::saturating_add),
        UnitExpr::Quotient(n, d) => amount_exponent(n).saturating_sub(amount_exponent(d)),
        UnitExpr::Reciprocal(inner) => amount_exponent(inner).saturating_neg(),
    }
}

/// The number UCUM gives one mole (Avogadro's), read from the tables.
fn mole() -> f64 {
    info("mol").map_or(6.022_140_76e23, |i| i.factor)
}

/// Whether values in `from` convert to `to` (with a molar mass in g/mol, mass and
/// substance concentrations convert too).
pub fn convertible(from: &str, to: &str, molar_mass: Option<f64>) -> bool {
    convert(1.0, from, to, molar_mass).is_some()
}

/// Convert a value between commensurable units; with a molar mass (g/mol), also
/// between mass and amount of substance (`mg/dL` ↔ `umol/L`). `None` when the units do
/// not convert (`mmol/L` to `mg/dL` without a molar mass) or the result is not finite.
pub fn convert(value: f64, from: &str, to: &str, molar_mass: Option<f64>) -> Option<f64> {
    if from == to {
        return Some(value);
    }
    let f = info(from)?;
    let t = info(to)?;
    if f.special || t.special {
        return None;
    }
    let ratio = if f.dim == t.dim {
        f.factor / t.factor
    } else {
        let m = molar_mass.filter(|m| m.is_finite() && *m > 0.0)?;
        if f.dim == t.dim.times_molar_mass() {
            // mass → substance: g/(g/mol) = mol, counted in UCUM's base units
            f.factor / m * mole() / t.factor
        } else if t.dim == f.dim.times_molar_mass() {
            f.factor / mole() * m / t.factor
        } else {
            return None;
        }
    };
    let v = value * ratio;
    (ratio.is_finite() && ratio != 0.0 && v.is_finite()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
    }

    #[test]
    fn validates_clinical_units() {
        for u in [
            "L",
            "mL",
            "%",
            "1",
            "mg/L",
            "10*9/L",
            "umol/L",
            "mL/min/{1.73_m2}",
            "U/L",
            "wk",
            "a",
            "{score}",
            "[IU]/L",
            "10*6{cells}/kg",
        ] {
            assert!(is_valid(u), "{u}");
        }
        for u in [
            "liters", "µmol/L", "mcg", "cc", "IU/L", "years", "bpm", "x10^9/L", "",
        ] {
            assert!(!is_valid(u), "{u}");
        }
        // Valid UCUM that is almost certainly not meant (TRF206): UCUM accepts them.
        for u in ["u/L", "ml", "dl", "10^9/L"] {
            assert!(is_valid(u), "{u}");
        }
    }

    #[test]
    fn substance_is_its_own_dimension() {
        let umol = info("umol/L").unwrap();
        let count = info("10*9/L").unwrap();
        assert_ne!(umol.dim, count.dim);
        assert_eq!(info("U/L").unwrap().dim.amount, 1);
        assert_eq!(info("mg/dL").unwrap().dim, umol.dim.times_molar_mass());
        assert!(info("{score}").unwrap().annotation_only);
        assert!(!info("%").unwrap().annotation_only);
        assert!(info("wk").unwrap().dim.is_time());
        assert!(info("Cel").unwrap().special);
    }

    #[test]
    fn converts_clinical_units() {
        assert!(close(convert(100.0, "mg/dL", "g/L", None).unwrap(), 1.0));
        assert!(close(convert(5.0, "mg/dL", "mg/L", None).unwrap(), 50.0));
        assert!(close(convert(13.5, "g/dL", "g/L", None).unwrap(), 135.0));
        assert!(close(convert(3.0, "ng/mL", "ug/L", None).unwrap(), 3.0));
        assert!(close(convert(6600.0, "/uL", "10*9/L", None).unwrap(), 6.6));
        assert!(close(convert(2590.0, "mL", "L", None).unwrap(), 2.59));
        assert!(close(convert(18.0, "a", "mo", None).unwrap(), 216.0));
        assert_eq!(convert(1.0, "mmol/L", "mg/dL", None), None);
        assert_eq!(convert(1.0, "L", "kg", None), None);
        assert_eq!(convert(1.0, "umol/L", "10*9/L", None), None);
        assert_eq!(convert(1.0, "Cel", "K", None), None);
        assert_eq!(convert(1.0, "nonsense", "L", None), None);
    }

    #[test]
    fn converts_with_a_molar_mass() {
        // Creatinine, 113.12 g/mol: 0.93 mg/dL ≈ 82.2 umol/L.
        let v = convert(0.93, "mg/dL", "umol/L", Some(113.12)).unwrap();
        assert!((v - 82.2136).abs() < 1e-3, "{v}");
        let back = convert(v, "umol/L", "mg/dL", Some(113.12)).unwrap();
        assert!(close(back, 0.93));
        // Total cholesterol, 386.65 g/mol: 5 mmol/L ≈ 193.3 mg/dL.
        let c = convert(5.0, "mmol/L", "mg/dL", Some(386.65)).unwrap();
        assert!((c - 193.325).abs() < 1e-3, "{c}");
        // A molar mass does not make a count a substance.
        assert_eq!(convert(1.0, "10*9/L", "mg/dL", Some(113.12)), None);
    }
}
