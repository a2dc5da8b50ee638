//! Dates as the format writes them (`Date`: `2025-05-30`, `2025-05` or `2025`) and
//! ages as time quantities (`18 a`, `{value: 216, unit: mo}`), for the design rules.
//!
//! A partial date stands for its first possible day when dates are compared
//! (format.md, `Dates`): `2025-07` is 2025-07-01 and `2024` is 2024-01-01.

use std::cmp::Ordering;
use std::fmt;

use crate::syntax::{Node, ScalarKind};

/// A calendar date, full or partial, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Anything else, including a day that
    /// the month does not have (`2025-02-30`), is not a date.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let year = parts.next()?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: u16 = year.parse().ok()?;
        let two = |s: &str| -> Option<u8> {
            if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let month = match parts.next() {
            None => None,
            Some(m) => Some(two(m).filter(|m| (1..=12).contains(m))?),
        };
        let day = match parts.next() {
            None => None,
            Some(d) => {
                let d = two(d)?;
                let m = month?;
                if d == 0 || d > days_in_month(year, m) {
                    return None;
                }
                Some(d)
            }
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// A date value of the record, judged by its source text (`start: 2024` is the
    /// partial date 2024 although YAML reads an integer). `None` for anything that is
    /// not a date; the schema reports those.
    pub fn of(node: &Node) -> Option<Date> {
        let s = node.as_scalar()?;
        if matches!(s.kind, ScalarKind::Null | ScalarKind::Bool(_)) {
            return None;
        }
        Date::parse(&s.text)
    }

    /// The first possible day, for comparison.
    pub fn first_day(self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    pub fn is_partial(self) -> bool {
        self.day.is_none()
    }

    /// Compare by first possible day.
    pub fn cmp_first_day(self, other: Date) -> Ordering {
        self.first_day().cmp(&other.first_day())
    }

    /// `2025-07 (read as 2025-07-01)` for partial dates, `2025-07-15` otherwise.
    pub fn describe(self) -> String {
        if self.is_partial() {
            let (y, m, d) = self.first_day();
            format!("{self} (read as {y:04}-{m:02}-{d:02})")
        } else {
            self.to_string()
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

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

/// A number for a message: at most two decimals, no trailing zeros.
pub fn format_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Syntax};

    #[test]
    fn parses_full_and_partial_dates() {
        assert_eq!(
            Date::parse("2025-05-30"),
            Some(Date {
                year: 2025,
                month: Some(5),
                day: Some(30)
            })
        );
        assert_eq!(
            Date::parse("2025-07").map(|d| d.first_day()),
            Some((2025, 7, 1))
        );
        assert_eq!(
            Date::parse("2024").map(|d| d.first_day()),
            Some((2024, 1, 1))
        );
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()),
            Some("2024-02-29".into())
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "24",
            "20245",
            "2025-13",
            "2025-00",
            "2025-7",
            "2025-02-30",
            "2023-02-29",
            "2025-04-31",
            "2025-05-30-01",
            "2025-05-",
            "２０２５",
            "2025/05/30",
            "-2025",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn partial_dates_compare_by_their_first_day() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(d("2025-07").cmp_first_day(d("2025-07-15")), Ordering::Less);
        assert_eq!(d("2025-07").cmp_first_day(d("2025-07-01")), Ordering::Equal);
        assert_eq!(
            d("2025-07-15").cmp_first_day(d("2025-07")),
            Ordering::Greater
        );
        assert_eq!(d("2024").cmp_first_day(d("2024-01-01")), Ordering::Equal);
        assert_eq!(d("2025-07").describe(), "2025-07 (read as 2025-07-01)");
        assert_eq!(d("2025-07-15").describe(), "2025-07-15");
    }

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

    #[test]
    fn formats_numbers_for_messages() {
        assert_eq!(format_number(24.0), "24");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(format_number(2.0 / 3.0), "0.67");
        assert_eq!(format_number(-0.0001), "0");
    }
}
