//! Time quantities as ages, intervals and timepoints are written (`18 a`,
//! `{value: 216, unit: mo}`), in the time units UCUM defines, for the rules that
//! compare them.

use std::fmt;

use crate::syntax::{Node, ScalarKind};

/// Days in one of the time units an age or interval is written in, as UCUM defines
/// them (`a` is the Julian year of 365.25 d, `mo` the mean Julian month, a twelfth of
/// it). Other units (including valid UCUM ones such as `a_g`) are not compared.
pub fn time_unit_days(unit: &str) -> Option<f64> {
    Some(match unit {
        "a" => 365.25,
        "mo" => 30.4375,
        "wk" => 7.0,
        "d" => 1.0,
        "h" => 1.0 / 24.0,
        "min" => 1.0 / 1440.0,
        _ => return None,
    })
}

/// A time quantity as written: the number's text, its value and its unit.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeQuantity {
    pub number: String,
    pub value: f64,
    pub unit: String,
}

impl TimeQuantity {
    /// Read `"<number> <unit>"` or `{value: <number>, unit: <unit>}`. `None` when the
    /// value cannot be read (the schema reports that) or its unit is not a time unit
    /// of [`time_unit_days`].
    pub fn of(node: &Node) -> Option<TimeQuantity> {
        let (number, value, unit) = if let Some(s) = node.as_scalar() {
            if s.kind != ScalarKind::Str {
                return None;
            }
            let text = s.text.trim();
            let (number, unit) = text.split_once(' ')?;
            (number.to_string(), parse_number(number)?, unit.trim())
        } else {
            let v = node.get("value")?.as_scalar()?;
            if !matches!(v.kind, ScalarKind::Int(_) | ScalarKind::Float(_)) {
                return None;
            }
            let unit = node.get("unit")?.as_scalar()?;
            if unit.kind != ScalarKind::Str {
                return None;
            }
            (v.text.clone(), parse_number(&v.text)?, unit.text.trim())
        };
        time_unit_days(unit)?;
        Some(TimeQuantity {
            number,
            value,
            unit: unit.to_string(),
        })
    }

    pub fn days(&self) -> f64 {
        self.value * time_unit_days(&self.unit).unwrap_or(f64::NAN)
    }

    /// This quantity's value expressed in another time unit.
    pub fn in_unit(&self, unit: &str) -> Option<f64> {
        Some(self.days() / time_unit_days(unit)?)
    }
}

impl fmt::Display for TimeQuantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.number, self.unit)
    }
}

/// A finite decimal number as a quantity's number is written (`18`, `1.5`, `1e2`).
fn parse_number(text: &str) -> Option<f64> {
    let ok = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !ok {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Syntax};

    #[test]
    fn time_units_in_days() {
        assert_eq!(time_unit_days("a"), Some(365.25));
        assert_eq!(time_unit_days("mo"), Some(30.4375));
        assert_eq!(time_unit_days("wk"), Some(7.0));
        assert_eq!(time_unit_days("d"), Some(1.0));
        assert_eq!(time_unit_days("h").map(|h| h * 24.0), Some(1.0));
        assert_eq!(time_unit_days("min").map(|m| m * 1440.0), Some(1.0));
        for other in ["kg", "A", "mo_g", "a_j", "s", ""] {
            assert_eq!(time_unit_days(other), None, "{other}");
        }
        // 18 years are exactly 216 months in UCUM.
        assert_eq!(
            18.0 * time_unit_days("a").unwrap(),
            216.0 * time_unit_days("mo").unwrap()
        );
    }

    fn quantity(yaml: &str) -> Option<TimeQuantity> {
        let parsed = parse(&format!("q: {yaml}\n"), Syntax::Yaml);
        TimeQuantity::of(parsed.root.as_ref()?.get("q")?)
    }

    #[test]
    fn reads_time_quantities_in_both_forms() {
        let q = quantity("18 a").unwrap();
        assert_eq!(
            (q.value, q.unit.as_str(), q.to_string()),
            (18.0, "a", "18 a".into())
        );
        let q = quantity("{value: 216, unit: mo}").unwrap();
        assert_eq!(q.days(), 18.0 * 365.25);
        assert_eq!(q.in_unit("a"), Some(18.0));
        assert_eq!(quantity("\"6.5 mo\"").map(|q| q.value), Some(6.5));
        assert_eq!(quantity("1e1 wk").map(|q| q.days()), Some(70.0));
        for unreadable in [
            "18",
            "18 kg",
            "a 18",
            "{value: 18}",
            "{value: x, unit: a}",
            "{value: 18, unit: 1}",
            "[18, a]",
            "inf a",
            "NaN a",
            "1e999 a",
            "",
            "true",
        ] {
            assert_eq!(quantity(unreadable), None, "{unreadable}");
        }
    }
}
