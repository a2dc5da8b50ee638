//! Dates as the format writes them (`Date`: `2025-05-30`, `2025-05` or `2025`).
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
