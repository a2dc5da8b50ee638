//! The UCUM units the editor offers, per `QuantityKind` dimension, with what each
//! means. A small curated list for completion and hover; whether a unit is valid or
//! fits an outcome is the unit rules' business, not this table's.

pub struct UnitInfo {
    pub symbol: &'static str,
    pub meaning: &'static str,
    /// The dimensions (as `QuantityKind` terms name them) it is offered for.
    pub dimensions: &'static [&'static str],
}

const fn u(
    symbol: &'static str,
    meaning: &'static str,
    dimensions: &'static [&'static str],
) -> UnitInfo {
    UnitInfo {
        symbol,
        meaning,
        dimensions,
    }
}

/// In the order completion offers them within a dimension.
pub static UNITS: &[UnitInfo] = &[
    u("L", "litre", &["volume"]),
    u("mL", "millilitre", &["volume", "dose"]),
    u("dL", "decilitre", &["volume"]),
    u("mg/L", "milligram per litre", &["mass_concentration"]),
    u(
        "mg/dL",
        "milligram per decilitre",
        &["mass_concentration", "substance_concentration"],
    ),
    u("g/L", "gram per litre", &["mass_concentration"]),
    u("g/dL", "gram per decilitre", &["mass_concentration"]),
    u("ug/L", "microgram per litre", &["mass_concentration"]),
    u(
        "ng/mL",
        "nanogram per millilitre (equal to ug/L)",
        &["mass_concentration"],
    ),
    u(
        "10*9/L",
        "10⁹ (thousand million) per litre",
        &["number_concentration"],
    ),
    u(
        "10*12/L",
        "10¹² (million million) per litre",
        &["number_concentration"],
    ),
    u(
        "/uL",
        "per microlitre (1000 /uL is 1 10*9/L)",
        &["number_concentration"],
    ),
    u(
        "umol/L",
        "micromole per litre",
        &["substance_concentration"],
    ),
    u(
        "mmol/L",
        "millimole per litre",
        &["substance_concentration"],
    ),
    u("%", "percent", &["fraction"]),
    u("1", "one: a plain ratio", &["fraction"]),
    u("U/L", "enzyme unit per litre", &["catalytic_concentration"]),
    u(
        "[IU]/L",
        "international unit per litre",
        &["catalytic_concentration"],
    ),
    u("/min", "per minute", &["frequency"]),
    u("kg", "kilogram", &["mass"]),
    u("g", "gram", &["mass"]),
    u(
        "{score}",
        "points on a score (dimensionless)",
        &["score", "length_or_score"],
    ),
    u(
        "mL/min/{1.73_m2}",
        "millilitre per minute per 1.73 m² of body surface area",
        &["volume_flow_per_bsa"],
    ),
    u("mm", "millimetre", &["length_or_score"]),
    u("a", "year", &["time"]),
    u("mo", "month", &["time"]),
    u("wk", "week", &["time"]),
    u("d", "day", &["time"]),
    u("h", "hour", &["time"]),
    u("min", "minute", &["time"]),
    u("10*6{cells}", "million cells", &["dose"]),
    u(
        "10*6{cells}/kg",
        "million cells per kilogram of body weight",
        &["dose"],
    ),
    u("{particles}", "particles (dimensionless count)", &["dose"]),
    u("mg", "milligram", &["dose"]),
    u("ug", "microgram", &["dose"]),
];

/// How a dimension reads in prose.
pub fn dimension_label(dim: &str) -> &str {
    match dim {
        "volume" => "volume",
        "mass_concentration" => "mass concentration",
        "number_concentration" => "number concentration (count per volume)",
        "substance_concentration" => "substance concentration (amount per volume)",
        "fraction" => "fraction",
        "catalytic_concentration" => "catalytic concentration (enzyme activity per volume)",
        "frequency" => "frequency",
        "mass" => "mass",
        "score" => "score (dimensionless)",
        "volume_flow_per_bsa" => "volume flow per body surface area",
        "length_or_score" => "length or score",
        "time" => "time",
        "dose" => "dose",
        other => other,
    }
}

pub fn lookup(symbol: &str) -> Option<&'static UnitInfo> {
    UNITS.iter().find(|u| u.symbol == symbol)
}

/// The units of a dimension, in table order.
pub fn for_dimension(dim: &str) -> impl Iterator<Item = &'static UnitInfo> + '_ {
    UNITS.iter().filter(move |u| u.dimensions.contains(&dim))
}

/// Where the unit is offered, in prose: `volume` or `mass concentration, substance
/// concentration`. The pseudo-dimension `dose` is left out when others exist.
pub fn dimensions_text(info: &UnitInfo) -> String {
    let dims: Vec<&str> = info
        .dimensions
        .iter()
        .filter(|d| **d != "dose" || info.dimensions.len() == 1)
        .map(|d| dimension_label(d))
        .collect();
    dims.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    #[test]
    fn every_quantity_kind_has_its_canonical_unit_in_its_dimension() {
        let schema = Schema::builtin();
        let kinds = schema.vocabulary("QuantityKind").unwrap();
        for t in &kinds.terms {
            let dim = t.extra["dimension"].as_str().unwrap();
            let canonical = t.extra["canonical_unit"].as_str().unwrap();
            assert!(
                for_dimension(dim).any(|u| u.symbol == canonical),
                "{}: {canonical} is not listed for {dim}",
                t.id
            );
            assert_ne!(dimension_label(dim), "", "{dim}");
        }
    }

    #[test]
    fn symbols_are_unique() {
        for (i, a) in UNITS.iter().enumerate() {
            assert!(
                UNITS[i + 1..].iter().all(|b| b.symbol != a.symbol),
                "{}",
                a.symbol
            );
        }
        assert_eq!(lookup("mg/dL").unwrap().meaning, "milligram per decilitre");
        assert_eq!(
            dimensions_text(lookup("mg/dL").unwrap()),
            "mass concentration, substance concentration (amount per volume)"
        );
        assert_eq!(dimensions_text(lookup("mL").unwrap()), "volume");
        assert_eq!(dimensions_text(lookup("mg").unwrap()), "dose");
    }
}
