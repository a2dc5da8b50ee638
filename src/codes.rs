//! The rule-code registry, at the bottom of the crate: one declaration per rule, each
//! producing a [`Code`] variant and its [`Meta`] (code, name, default severity,
//! family, whether a fix exists and whether it is safe, tags, which codes it
//! supersedes, summary and documentation). Checks write `Code::UnknownKey`, never
//! `"TRF011"`; the engine, the shells and `trls explain` read the metadata.
//!
//! Imports nothing of the crate but [`Severity`]. The documentation of each rule is
//! `src/rules/docs/<CODE>.md`, included at compile time.

pub use crate::severity::Severity;

/// The check family a rule belongs to; the engine runs a family's check once, and
/// not at all when configuration switches off every rule of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// Reported by the parser (TRF001–TRF003).
    Syntax,
    /// Reported by schema validation (TRF010–TRF015).
    Schema,
    /// Identifier formats, canonical spellings and check digits.
    Ids,
    /// Local ids and references between entries of one record.
    Refs,
    /// Units, quantities and values.
    Units,
    /// Trial design and dates.
    Design,
    /// Reporting completeness of the product characterization (TRF4xx).
    Completeness,
    /// Cross-record findings, judged against the workspace index.
    Workspace,
    /// A record against its registry snapshot (TRF120–TRF122).
    Registry,
    /// Suppression comments.
    Suppress,
    /// Facts the sources leave open or disagree on (`not_stated`, `discrepancies`).
    Gaps,
}

/// Whether a rule's findings come with a fix, and whether `check --fix` and
/// `source.fixAll` may apply it without asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fixable {
    /// Never a fix.
    None,
    /// A fix where one can be derived, always safe.
    Safe,
    /// A fix where one can be derived, offered in the editor only (it guesses).
    Unsafe,
    /// Some findings have a safe fix, others an unsafe one.
    Sometimes,
}

/// Extra meaning an editor can show (LSP diagnostic tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    /// The flagged text is unused (editors grey it out).
    Unnecessary,
}

/// Everything known about a rule.
#[derive(Debug)]
pub struct Meta {
    pub code: Code,
    /// `TRFnnn`.
    pub id: &'static str,
    /// kebab-case name, accepted by `trls explain`.
    pub name: &'static str,
    pub severity: Severity,
    pub family: Family,
    pub fix: Fixable,
    pub tags: &'static [Tag],
    /// "One finding, one code" (rules.md): where this rule and one of these describe
    /// overlapping ranges, only this one is reported.
    pub supersedes: &'static [Code],
    pub summary: &'static str,
    /// Markdown: what it means, why it matters, an example and its correction.
    pub doc: &'static str,
}

macro_rules! declare_codes {
    ($(
        $variant:ident = $id:literal, $name:literal, $sev:ident, $family:ident,
        fix $fix:ident, tags [$($tag:ident),*], supersedes [$($sup:ident),*],
        $summary:literal;
    )*) => {
        /// A rule code. Declared in code order, so `Ord` is the order of the codes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        impl Code {
            /// Every code, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            pub fn meta(self) -> &'static Meta {
                match self {
                    $(Code::$variant => &Meta {
                        code: Code::$variant,
                        id: $id,
                        name: $name,
                        severity: Severity::$sev,
                        family: Family::$family,
                        fix: Fixable::$fix,
                        tags: &[$(Tag::$tag),*],
                        supersedes: &[$(Code::$sup),*],
                        summary: $summary,
                        doc: include_str!(concat!("rules/docs/", $id, ".md")),
                    },)*
                }
            }
        }
    };
}

declare_codes! {
    InvalidSyntax = "TRF001", "invalid-syntax", Error, Syntax, fix Safe, tags [], supersedes [],
        "not valid YAML/JSON";
    DuplicateKey = "TRF002", "duplicate-key", Error, Syntax, fix None, tags [], supersedes [],
        "the same key twice in one mapping";
    UnsupportedYaml = "TRF003", "unsupported-yaml", Error, Syntax, fix None, tags [], supersedes [],
        "unsupported YAML: several documents, a custom tag, or an alias expansion beyond 10,000 nodes";
    MissingKey = "TRF010", "missing-key", Error, Schema, fix None, tags [], supersedes [],
        "a required key is missing";
    UnknownKey = "TRF011", "unknown-key", Error, Schema, fix Safe, tags [], supersedes [],
        "unknown key";
    WrongType = "TRF012", "wrong-type", Error, Schema, fix Safe, tags [], supersedes [],
        "a value of the wrong type";
    UnknownTerm = "TRF013", "unknown-term", Error, Schema, fix Safe, tags [], supersedes [],
        "a value outside its controlled vocabulary";
    Constraint = "TRF014", "constraint", Error, Schema, fix None, tags [], supersedes [],
        "a constraint of the schema is violated (pattern, length, bounds, unique items, item count)";
    FormatVersion = "TRF015", "format-version", Error, Schema, fix None, tags [], supersedes [],
        "`trf` is not a supported format version";
    KeyPath = "TRF016", "key-path", Error, Gaps, fix Safe, tags [], supersedes [],
        "a `not_stated` or discrepancy key path the format does not have, a fact listed as not stated that the record gives, or a discrepancy about a fact it does not give";
    UnknownRegistryId = "TRF100", "unknown-registry-id", Error, Ids, fix Unsafe, tags [], supersedes [WrongType, Constraint, RegistryMismatch],
        "an id that is in no registry's format";
    RegistryMismatch = "TRF101", "registry-mismatch", Error, Ids, fix Sometimes, tags [], supersedes [],
        "the `registry` named disagrees with the id's format";
    NonCanonicalId = "TRF102", "non-canonical-id", Warning, Ids, fix Safe, tags [], supersedes [WrongType, Constraint, RegistryMismatch],
        "a registry id in a non-canonical spelling";
    CheckDigit = "TRF103", "check-digit", Error, Ids, fix None, tags [], supersedes [WrongType, Constraint],
        "a wrong check digit (ORCID iD)";
    FileNameMismatch = "TRF104", "file-name-mismatch", Warning, Ids, fix Unsafe, tags [], supersedes [],
        "the file name is a registry id other than the record's `id`";
    DuplicateRecord = "TRF105", "duplicate-record", Error, Workspace, fix None, tags [], supersedes [],
        "two records in the workspace describe the same trial";
    DuplicateLocalId = "TRF106", "duplicate-local-id", Error, Refs, fix None, tags [], supersedes [],
        "two entries of the same list share an `id`";
    UnknownReference = "TRF107", "unknown-reference", Error, Refs, fix Safe, tags [], supersedes [],
        "a reference to a local id that does not exist";
    RelatedNotRecorded = "TRF108", "related-not-recorded", Info, Workspace, fix None, tags [], supersedes [],
        "a `related` trial is not recorded in the workspace";
    UnusedIntervention = "TRF109", "unused-intervention", Warning, Refs, fix None, tags [Unnecessary], supersedes [],
        "an intervention that no arm uses";
    MalformedIdentifier = "TRF110", "malformed-identifier", Error, Ids, fix Safe, tags [], supersedes [WrongType, Constraint],
        "a malformed DOI, PMID, PMCID, ORCID iD or URL";
    SourceOfAnotherTrial = "TRF111", "source-of-another-trial", Warning, Ids, fix Unsafe, tags [], supersedes [],
        "a registry source that points at another trial";
    RepeatedPrimaryId = "TRF112", "repeated-primary-id", Warning, Ids, fix Safe, tags [], supersedes [],
        "a `secondary_ids` item repeats the primary `id`";
    CohortOfAnotherArm = "TRF113", "cohort-of-another-arm", Error, Refs, fix None, tags [], supersedes [],
        "a result's `cohort` is a cohort of another arm than the result's `arm`";
    RegistryDisagrees = "TRF120", "registry-disagrees", Warning, Registry, fix Unsafe, tags [], supersedes [],
        "the record disagrees with its registry snapshot on a fact the registry holds";
    SnapshotNewer = "TRF121", "snapshot-newer", Info, Registry, fix None, tags [], supersedes [],
        "the registry snapshot was updated after the record was last checked against it";
    RegistryEntryUnmatched = "TRF122", "registry-entry-unmatched", Warning, Registry, fix None, tags [], supersedes [],
        "an arm or outcome without a counterpart in the registry snapshot, or one the record lacks";
    InvalidUnit = "TRF200", "invalid-unit", Error, Units, fix Safe, tags [], supersedes [],
        "not a valid UCUM unit";
    UnitDimension = "TRF201", "unit-dimension", Error, Units, fix Unsafe, tags [], supersedes [],
        "a unit whose dimension does not fit the outcome's quantity, or a time where a time is required";
    MixedUnits = "TRF202", "mixed-units", Warning, Units, fix Safe, tags [], supersedes [],
        "one outcome's values in different but convertible units";
    ImplausibleValue = "TRF203", "implausible-value", Warning, Units, fix Unsafe, tags [], supersedes [],
        "a value outside the plausible range of its quantity";
    MissingUnit = "TRF204", "missing-unit", Error, Units, fix Safe, tags [], supersedes [WrongType, Constraint],
        "a number without a unit where a quantity is required";
    PercentageOrPValueOutOfRange = "TRF205", "percentage-or-p-value-out-of-range", Error, Units, fix None, tags [], supersedes [WrongType, Constraint, ImplausibleValue],
        "a `%` value outside 0–100, or a `p_value` outside 0–1";
    SuspiciousUnit = "TRF206", "suspicious-unit", Warning, Units, fix Safe, tags [], supersedes [UnitDimension],
        "valid UCUM that is almost certainly not what was meant, or a non-canonical spelling";
    Fev1ExceedsFvc = "TRF207", "fev1-exceeds-fvc", Warning, Units, fix None, tags [], supersedes [],
        "FEV1 greater than FVC for the same arm, timepoint and statistic";
    DoseBasisMismatch = "TRF208", "dose-basis-mismatch", Warning, Units, fix None, tags [], supersedes [],
        "`dose_basis` disagrees with the dose's unit";
    StatisticsContradict = "TRF209", "statistics-contradict", Warning, Units, fix None, tags [], supersedes [],
        "a result's statistics contradict each other";
    PhaseCombination = "TRF300", "phase-combination", Error, Design, fix Safe, tags [], supersedes [WrongType, Constraint],
        "a phase list that does not exist";
    PhasesNotInterventional = "TRF301", "phases-not-interventional", Warning, Design, fix None, tags [], supersedes [],
        "phases other than `[NA]` on a study that is not interventional";
    DesignArms = "TRF302", "design-arms", Warning, Design, fix None, tags [], supersedes [],
        "the design disagrees with the arms";
    SizesExceedEnrollment = "TRF303", "sizes-exceed-enrollment", Error, Design, fix None, tags [], supersedes [],
        "arm sizes or a result's `n` exceed the participants available";
    DatesOutOfOrder = "TRF304", "dates-out-of-order", Error, Design, fix None, tags [], supersedes [],
        "dates out of order";
    StatusDisagrees = "TRF305", "status-disagrees", Warning, Design, fix None, tags [], supersedes [],
        "`status` disagrees with the dates or the enrollment";
    AgeRange = "TRF306", "age-range", Error, Design, fix None, tags [], supersedes [],
        "`min_age` greater than `max_age`";
    ArmInterventions = "TRF307", "arm-interventions", Warning, Design, fix None, tags [], supersedes [],
        "an arm's type disagrees with its interventions";
    RegisteredRetrospectively = "TRF308", "registered-retrospectively", Info, Design, fix None, tags [], supersedes [],
        "registered after the study started";
    BoundsOutOfOrder = "TRF309", "bounds-out-of-order", Error, Design, fix None, tags [], supersedes [],
        "a range or confidence interval whose lower bound is above its upper bound";
    TimepointNotPlanned = "TRF310", "timepoint-not-planned", Warning, Design, fix None, tags [], supersedes [],
        "a result's `timepoint` that is not among its outcome's `timepoints`";
    IsctCriteria = "TRF400", "isct-criteria", Info, Completeness, fix None, tags [], supersedes [],
        "a `CELLS` product whose characterization does not show the ISCT minimal criteria";
    MisevItems = "TRF401", "misev-items", Info, Completeness, fix None, tags [], supersedes [],
        "an `EXOSOMES` or `SECRETOME` product whose characterization lacks a MISEV item";
    CharacterizationContradiction = "TRF402", "characterization-contradiction", Warning, Completeness, fix None, tags [], supersedes [],
        "a characterization that contradicts itself or its product";
    VesiclesTooLarge = "TRF403", "vesicles-too-large", Info, Completeness, fix None, tags [], supersedes [],
        "an `EXOSOMES` product whose `particle_size` reaches above 200 nm";
    UnusedSuppression = "TRF900", "unused-suppression", Hint, Suppress, fix Safe, tags [], supersedes [],
        "a `# trls: ignore[...]` comment that silences nothing";
}

impl Code {
    /// `TRFnnn`.
    pub fn as_str(self) -> &'static str {
        self.meta().id
    }
    pub fn severity(self) -> Severity {
        self.meta().severity
    }
    pub fn family(self) -> Family {
        self.meta().family
    }
    /// A code as written in configuration and suppressions (`TRF011`, any case).
    pub fn parse(s: &str) -> Option<Code> {
        let s = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
    /// A code or a rule name (`unknown-key`), as `trls explain` takes them.
    pub fn parse_code_or_name(s: &str) -> Option<Code> {
        Code::parse(s).or_else(|| {
            let s = s.trim();
            Code::ALL
                .iter()
                .copied()
                .find(|c| c.meta().name.eq_ignore_ascii_case(s))
        })
    }
    /// Codes whose id starts with `prefix` (`TRF1`, `TRF20`); case-insensitive.
    pub fn with_prefix(prefix: &str) -> impl Iterator<Item = Code> + '_ {
        Code::ALL.iter().copied().filter(move |c| {
            c.as_str()
                .get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        })
    }
    pub fn supersedes(self, other: Code) -> bool {
        self.meta().supersedes.contains(&other)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_ordered_and_named() {
        let ids: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted, "codes declared out of order or twice");
        for c in Code::ALL {
            let m = c.meta();
            assert_eq!(m.code, *c);
            assert_eq!(Code::parse(m.id), Some(*c));
            assert_eq!(Code::parse_code_or_name(m.name), Some(*c));
            assert_eq!(Code::parse(m.name), None);
            assert!(m.doc.starts_with('#'), "{} has no documentation", m.id);
            assert!(!m.supersedes.contains(c), "{} supersedes itself", m.id);
        }
    }

    #[test]
    fn prefixes_select_families_of_codes() {
        let ids: Vec<&str> = Code::with_prefix("trf20").map(Code::as_str).collect();
        assert_eq!(ids.first(), Some(&"TRF200"));
        assert_eq!(ids.last(), Some(&"TRF209"));
        assert_eq!(Code::with_prefix("TRF9").count(), 1);
        assert_eq!(Code::parse("TRF999"), None);
    }
}
