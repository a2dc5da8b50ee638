//! TRF306: the eligibility's `min_age` is not above its `max_age`, compared across
//! time units.

use super::Context;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::units::format_decimals;
use crate::units::time::TimeQuantity;

/// Whether `a` is greater than `b` beyond rounding (`18 a` and `216 mo` are equal).
fn clearly_greater(a: f64, b: f64) -> bool {
    a > b && (a - b) > 1e-9 * a.abs().max(b.abs())
}

/// TRF306: `min_age` ≤ `max_age`, compared across time units.
pub(super) fn age_range(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(eligibility) = cx.root.get("eligibility") else {
        return;
    };
    let (Some(min_node), Some(max_node)) = (eligibility.get("min_age"), eligibility.get("max_age"))
    else {
        return;
    };
    let (Some(min), Some(max)) = (TimeQuantity::of(min_node), TimeQuantity::of(max_node)) else {
        return;
    };
    if !clearly_greater(min.days(), max.days()) {
        return;
    }
    let min_shown = if min.unit == max.unit {
        format!("{min}")
    } else {
        match min.in_unit(&max.unit) {
            Some(v) => format!("{min} ({} {})", format_decimals(v, 2), max.unit),
            None => format!("{min}"),
        }
    };
    out.push(
        Diagnostic::new(
            Code::AgeRange,
            min_node.span,
            format!(
                "`min_age` {min_shown} is greater than `max_age` {max}; the minimum age must not \
                 exceed the maximum — are the two swapped, or is a unit wrong?"
            ),
        )
        .with_related(max_node.span, format!("`max_age` is {max}")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_ages_are_not_greater() {
        assert!(!clearly_greater(18.0 * 365.25, 216.0 * 30.4375));
        assert!(!clearly_greater(1.0, 1.0 + 1e-12));
        assert!(clearly_greater(2.0 * 365.25, 18.0 * 30.4375));
        assert!(!clearly_greater(0.0, 0.0));
    }
}
