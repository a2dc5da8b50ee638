//! Unit knowledge: UCUM validation and conversion, common non-UCUM spellings, and the
//! `QuantityKind` catalogue (dimensions, canonical units, plausible ranges).
