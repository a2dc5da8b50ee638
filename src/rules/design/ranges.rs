//! TRF309: a `Range` (`{min, max}`) or a `ci` (`{low, high}`) whose lower bound is
//! above its upper bound, compared after unit conversion (anchored on `min`/`low`,
//! the upper bound as related information). Bounds whose units are not UCUM or do not
//! convert into each other are the unit rules' findings (TRF200, TRF201) and are not
//! compared here.

use super::{seq, Context};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::Node;
use crate::units::{self, format_number, ucum};

/// Every range of a record: the node holding the bounds and the bounds' keys.
pub(super) fn bounds_out_of_order(cx: &Context, out: &mut Vec<Diagnostic>) {
    const RANGE: (&str, &str) = ("min", "max");
    const CI: (&str, &str) = ("low", "high");
    for item in seq(cx.root.get("interventions")) {
        if let Some(dose) = item.get("dose") {
            judge(dose, "dose", RANGE, out);
        }
        if let Some(interval) = item.get("schedule").and_then(|s| s.get("interval")) {
            judge(interval, "interval", RANGE, out);
        }
    }
    for result in seq(cx.root.get("results")) {
        for key in ["iqr", "range"] {
            if let Some(r) = result.get(key) {
                judge(r, key, RANGE, out);
            }
        }
        if let Some(ci) = result.get("ci") {
            judge(ci, "ci", CI, out);
        }
    }
    if let Some(size) = cx
        .root
        .get("product")
        .and_then(|p| p.get("characterization"))
        .and_then(|c| c.get("particle_size"))
    {
        judge(size, "particle_size", RANGE, out);
    }
}

fn judge(node: &Node, key: &str, (lower, upper): (&str, &str), out: &mut Vec<Diagnostic>) {
    let (Some(lo_node), Some(hi_node)) = (node.get(lower), node.get(upper)) else {
        return;
    };
    let (Some((lo, lo_unit)), Some((hi, hi_unit))) =
        (units::measured(lo_node), units::measured(hi_node))
    else {
        return;
    };
    // The upper bound in the lower bound's unit.
    let Some(hi_value) = ucum::convert(hi.value, &hi_unit, &lo_unit, None) else {
        return;
    };
    if lo.value <= hi_value + 1e-9 * hi_value.abs().max(lo.value.abs()) {
        return;
    }
    let converted = if hi_unit == lo_unit {
        String::new()
    } else {
        format!(" ({} {lo_unit})", format_number(hi_value))
    };
    out.push(
        Diagnostic::new(
            Code::BoundsOutOfOrder,
            lo_node.span,
            format!(
                "`{key}`: the lower bound `{lower}: {}` is above the upper bound `{upper}: \
                 {}`{converted}; `{lower}` is at most `{upper}` — swap them or correct one \
                 against the source",
                lo.display(),
                hi.display()
            ),
        )
        .with_related(hi_node.span, format!("`{upper}` is `{}`", hi.display())),
    );
}
