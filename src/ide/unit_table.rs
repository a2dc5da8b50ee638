//! The UCUM units the editor offers, per `QuantityKind` dimension, with what each
//! means. A small curated list for completion and hover; whether a unit is valid or
//! fits an outcome is the unit rules' business, not this table's.

pub struct UnitInfo {
    pub symbol: &'static str,
    pub meaning: &'static str,
}

const fn u(symbol: &'static str, meaning: &'static str) -> UnitInfo {
    UnitInfo { symbol, meaning }
}

pub static UNITS: &[UnitInfo] = &[
    u("L", "litre"),
    u("mL", "millilitre"),
    u("dL", "decilitre"),
    u("mg/L", "milligram per litre"),
    u("mg/dL", "milligram per decilitre"),
    u("g/L", "gram per litre"),
    u("g/dL", "gram per decilitre"),
    u("ug/L", "microgram per litre"),
    u("ng/mL", "nanogram per millilitre (equal to ug/L)"),
    u("10*9/L", "10⁹ (thousand million) per litre"),
    u("10*12/L", "10¹² (million million) per litre"),
    u("/uL", "per microlitre (1000 /uL is 1 10*9/L)"),
    u("umol/L", "micromole per litre"),
    u("mmol/L", "millimole per litre"),
    u("%", "percent"),
    u("1", "one: a plain ratio"),
    u("U/L", "enzyme unit per litre"),
    u("[IU]/L", "international unit per litre"),
    u("/min", "per minute"),
    u("kg", "kilogram"),
    u("g", "gram"),
    u("{score}", "points on a score (dimensionless)"),
    u(
        "mL/min/{1.73_m2}",
        "millilitre per minute per 1.73 m² of body surface area",
    ),
    u("mm", "millimetre"),
    u("a", "year"),
    u("mo", "month"),
    u("wk", "week"),
    u("d", "day"),
    u("h", "hour"),
    u("min", "minute"),
    u("10*6{cells}", "million cells"),
    u(
        "10*6{cells}/kg",
        "million cells per kilogram of body weight",
    ),
    u("{particles}", "particles (dimensionless count)"),
    u("mg", "milligram"),
    u("ug", "microgram"),
];

/// The units offered per dimension (as `QuantityKind` terms name them), in the
/// order completion offers them. `time` is for ages, timepoints and schedules;
/// `dose` for an intervention's dose.
pub static DIMENSIONS: &[(&str, &[&str])] = &[
    ("volume", &["L", "mL", "dL"]),
    (
        "mass_concentration",
        &["mg/L", "mg/dL", "g/L", "g/dL", "ug/L", "ng/mL"],
    ),
    ("number_concentration", &["10*9/L", "10*12/L", "/uL"]),
    // mg/dL is accepted and converted with the quantity's molar mass.
    ("substance_concentration", &["umol/L", "mmol/L", "mg/dL"]),
    ("fraction", &["%", "1"]),
    ("catalytic_concentration", &["U/L", "[IU]/L"]),
    ("frequency", &["/min"]),
    ("mass", &["kg", "g"]),
    ("score", &["{score}"]),
    ("volume_flow_per_bsa", &["mL/min/{1.73_m2}"]),
    ("length_or_score", &["mm", "{score}"]),
    ("time", &["a", "mo", "wk", "d", "h", "min"]),
    (
        "dose",
        &[
            "10*6{cells}",
            "10*6{cells}/kg",
            "{particles}",
            "mg",
            "ug",
            "mL",
        ],
    ),
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

/// The units of a dimension, in order.
pub fn for_dimension(dim: &str) -> impl Iterator<Item = &'static UnitInfo> {
    DIMENSIONS
        .iter()
        .find(|(d, _)| *d == dim)
        .map_or(&[][..], |(_, symbols)| *symbols)
        .iter()
        .filter_map(|s| lookup(s))
}

/// The dimensions a unit is offered for, in prose: `volume`, or `mass
/// concentration, substance concentration`. `dose` only when it is the only one.
pub fn dimensions_text(info: &UnitInfo) -> String {
    let dims: Vec<&str> = DIMENSIONS
        .iter()
        .filter(|(_, symbols)| symbols.contains(&info.symbol))
        .map(|(d, _)| *d)
        .collect();
    let shown: Vec<&str> = dims
        .iter()
        .filter(|d| **d != "dose" || dims.len() == 1)
        .map(|d| dimension_label(d))
        .collect();
    shown.join(", ")
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
    fn every_listed_unit_has_a_meaning() {
        for (dim, symbols) in DIMENSIONS {
            for s in *symbols {
                assert!(lookup(s).is_some(), "{dim}: {s}");
            }
        }
        for u in UNITS {
            assert!(
                DIMENSIONS.iter().any(|(_, s)| s.contains(&u.symbol)),
                "{} is offered for no dimension",
                u.symbol
            );
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
