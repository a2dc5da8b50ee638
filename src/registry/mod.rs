//! Registry snapshots: studies as their registry publishes them, saved as files the
//! user keeps (interfaces.md, *Registry snapshots*). trls never fetches them.
//!
//! This module reads ClinicalTrials.gov API v2 study JSON (`ctgov`) and states the
//! facts a record is cross-checked against (`TRF120`–`TRF122`). A malformed
//! snapshot is a [`SnapshotError`] with its line and column, never a stopped run.

pub mod ctgov;
pub mod import;
pub mod results;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One fact the registry holds in structured form, at the record's `KeyPath`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// Where the record holds it: `status`, `enrollment.count`, `dates.start`, ...
    pub path: &'static str,
    pub value: FactValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    /// A vocabulary term (`COMPLETED`, `RANDOMIZED`).
    Term(String),
    /// A set of terms, order free (`phases`).
    Terms(Vec<String>),
    Count(u64),
    /// A full or partial ISO date as the registry writes it.
    Date(String),
}

impl FactValue {
    /// The value as the record would write it.
    pub fn display(&self) -> String {
        match self {
            FactValue::Term(t) | FactValue::Date(t) => t.clone(),
            FactValue::Terms(ts) => format!("[{}]", ts.join(", ")),
            FactValue::Count(n) => n.to_string(),
        }
    }
}

/// A snapshot that could not be read: the file, where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotError {
    pub path: PathBuf,
    /// 1-based; 0 when the error has no position (an unreadable file).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A study read from a ClinicalTrials.gov snapshot file.
#[derive(Debug)]
pub struct Snapshot {
    pub path: PathBuf,
    pub study: ctgov::Study,
}

impl Snapshot {
    /// Reads API v2 study JSON. The error's line and column are 1-based.
    pub fn parse(path: &Path, text: &str) -> Result<Snapshot, SnapshotError> {
        let error = |line: usize, column: usize, message: String| SnapshotError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        };
        // The top must be an object holding `protocolSection`: anything else (an
        // API search page, a record, an empty file) is not a study.
        let study: ctgov::Study = serde_json::from_str(text).map_err(|e| {
            error(
                e.line(),
                e.column(),
                format!("not a ClinicalTrials.gov study: {e}"),
            )
        })?;
        if study
            .protocol_section
            .identification_module
            .nct_id
            .is_none()
        {
            return Err(error(
                1,
                1,
                "not a ClinicalTrials.gov study: `protocolSection.identificationModule.nctId` is missing"
                    .to_string(),
            ));
        }
        Ok(Snapshot {
            path: path.to_path_buf(),
            study,
        })
    }

    pub fn id(&self) -> &str {
        self.study
            .protocol_section
            .identification_module
            .nct_id
            .as_deref()
            .unwrap_or("")
    }

    /// The registry ids of the same trial the snapshot names besides its NCT id
    /// (secondary ids of registry type).
    pub fn secondary_registry_ids(&self) -> impl Iterator<Item = &str> {
        self.study
            .protocol_section
            .identification_module
            .secondary_id_infos
            .iter()
            .filter(|s| {
                matches!(
                    s.kind.as_deref(),
                    Some("REGISTRY" | "EUDRACT_NUMBER" | "CTIS")
                )
            })
            .filter_map(|s| s.id.as_deref())
    }

    /// When the registry entry was last updated (`lastUpdatePostDateStruct`, else
    /// the submit date).
    pub fn last_update(&self) -> Option<&str> {
        last_update(&self.study)
    }

    /// The structured facts `TRF120` compares, in the order rules.md lists them.
    /// A fact the snapshot does not hold is absent (never compared).
    pub fn facts(&self) -> Vec<Fact> {
        let p = &self.study.protocol_section;
        let mut facts = Vec::new();
        let mut term = |path: &'static str, value: Option<&String>| {
            if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                facts.push(Fact {
                    path,
                    value: FactValue::Term(v.trim().to_string()),
                });
            }
        };
        term("status", p.status_module.overall_status.as_ref());
        term("study_type", p.design_module.study_type.as_ref());
        if !p.design_module.phases.is_empty() {
            facts.push(Fact {
                path: "phases",
                value: FactValue::Terms(p.design_module.phases.clone()),
            });
        }
        if let Some(e) = &p.design_module.enrollment_info {
            if let Some(count) = e.count {
                facts.push(Fact {
                    path: "enrollment.count",
                    value: FactValue::Count(count),
                });
            }
            if let Some(kind) = e.kind.as_ref().filter(|k| !k.is_empty()) {
                facts.push(Fact {
                    path: "enrollment.type",
                    value: FactValue::Term(kind.clone()),
                });
            }
        }
        let s = &p.status_module;
        for (path, date) in [
            ("dates.start", &s.start_date_struct),
            (
                "dates.primary_completion",
                &s.primary_completion_date_struct,
            ),
            ("dates.completion", &s.completion_date_struct),
        ] {
            if let Some(d) = date.as_ref().and_then(|d| d.date.as_ref()) {
                facts.push(Fact {
                    path,
                    value: FactValue::Date(d.trim().to_string()),
                });
            }
        }
        if let Some(info) = &p.design_module.design_info {
            let mut term = |path: &'static str, value: Option<&String>| {
                if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                    facts.push(Fact {
                        path,
                        value: FactValue::Term(v.trim().to_string()),
                    });
                }
            };
            term("design.allocation", info.allocation.as_ref());
            term(
                "design.intervention_model",
                info.intervention_model.as_ref(),
            );
            term(
                "design.masking",
                info.masking_info.as_ref().and_then(|m| m.masking.as_ref()),
            );
            term("design.primary_purpose", info.primary_purpose.as_ref());
        }
        facts
    }

    /// The arm group labels, as the registry writes them.
    pub fn arm_labels(&self) -> Vec<&str> {
        self.study
            .protocol_section
            .arms_interventions_module
            .arm_groups
            .iter()
            .filter_map(|a| a.label.as_deref())
            .collect()
    }

    /// The outcome measures' titles: primary, secondary, then other.
    pub fn outcome_titles(&self) -> Vec<&str> {
        let o = &self.study.protocol_section.outcomes_module;
        o.primary_outcomes
            .iter()
            .chain(&o.secondary_outcomes)
            .chain(&o.other_outcomes)
            .filter_map(|m| m.measure.as_deref())
            .collect()
    }
}

/// When a study was last updated: `lastUpdatePostDateStruct`, else the submit date
/// (an empty date counts as none).
pub fn last_update(study: &ctgov::Study) -> Option<&str> {
    fn nonempty(d: Option<&String>) -> Option<&str> {
        d.map(|d| d.trim()).filter(|d| !d.is_empty())
    }
    let status = &study.protocol_section.status_module;
    nonempty(
        status
            .last_update_post_date_struct
            .as_ref()
            .and_then(|d| d.date.as_ref()),
    )
    .or(nonempty(status.last_update_submit_date.as_ref()))
}

/// Whether a record's value agrees with the registry's. Terms compare exactly,
/// term sets as sets, dates at the precision of the less precise of the two
/// (`2013-07` agrees with `2013-07-15`).
pub fn agrees(registry: &FactValue, record: &FactValue) -> bool {
    match (registry, record) {
        (FactValue::Term(a), FactValue::Term(b)) => a == b,
        (FactValue::Terms(a), FactValue::Terms(b)) => {
            let mut a: Vec<&String> = a.iter().collect();
            let mut b: Vec<&String> = b.iter().collect();
            a.sort();
            a.dedup();
            b.sort();
            b.dedup();
            a == b
        }
        (FactValue::Count(a), FactValue::Count(b)) => a == b,
        (FactValue::Date(a), FactValue::Date(b)) => dates_agree(a, b),
        _ => false,
    }
}

/// Dates agree at the precision of the less precise: compare the common prefix of
/// whole components (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
pub fn dates_agree(a: &str, b: &str) -> bool {
    let a: Vec<&str> = a.trim().split('-').collect();
    let b: Vec<&str> = b.trim().split('-').collect();
    let n = a.len().min(b.len());
    n > 0 && a[..n] == b[..n]
}

/// Label or title matching for `TRF122`: case- and space-insensitive.
pub fn same_label(a: &str, b: &str) -> bool {
    label_key(a) == label_key(b)
}

/// The form labels are matched in: words separated by one space, lower case.
pub fn label_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The snapshots of a run: by registry id (NCT id and the secondary registry ids
/// a snapshot names), and the files that could not be read.
#[derive(Debug, Default)]
pub struct Snapshots {
    by_id: HashMap<String, usize>,
    snapshots: Vec<Snapshot>,
    pub errors: Vec<SnapshotError>,
    /// A hash of every snapshot file's path and text added, in order (and of the
    /// files that could not be read): part of the result cache's key, as TRF120-122
    /// read the snapshots.
    fingerprint: u128,
}

impl Snapshots {
    /// Reads every `*.json` file in `dir` (not recursive; sorted, so the run is
    /// deterministic). An unreadable folder is one error.
    pub fn load_dir(dir: &Path) -> Snapshots {
        let mut set = Snapshots::default();
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
                .collect(),
            Err(e) => {
                set.fingerprint = 1;
                set.errors.push(SnapshotError {
                    path: dir.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read the registry snapshot folder: {e}"),
                });
                return set;
            }
        };
        files.sort();
        for path in files {
            match std::fs::read_to_string(&path) {
                Ok(text) => set.add(&path, &text),
                Err(e) => {
                    set.mix(&path, format!("unreadable: {e}").as_bytes());
                    set.errors.push(SnapshotError {
                        path,
                        line: 0,
                        column: 0,
                        message: format!("cannot read the snapshot: {e}"),
                    })
                }
            }
        }
        set
    }

    /// Adds one snapshot's text (the language server passes open or changed files).
    pub fn add(&mut self, path: &Path, text: &str) {
        self.mix(path, text.as_bytes());
        match Snapshot::parse(path, text) {
            Ok(snapshot) => {
                let index = self.snapshots.len();
                let ids: Vec<String> = std::iter::once(snapshot.id().to_string())
                    .chain(snapshot.secondary_registry_ids().map(str::to_string))
                    .collect();
                for id in ids {
                    self.by_id.entry(id).or_insert(index);
                }
                self.snapshots.push(snapshot);
            }
            Err(e) => self.errors.push(e),
        }
    }

    fn mix(&mut self, path: &Path, bytes: &[u8]) {
        self.fingerprint = crate::hash::Hasher::new()
            .write_u128(self.fingerprint)
            .write(path.as_os_str().as_encoded_bytes())
            .write(bytes)
            .finish();
    }

    /// What the result cache keys on: changes with any snapshot file added.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// The snapshot of a registry id (canonical form).
    pub fn get(&self, id: &str) -> Option<&Snapshot> {
        self.by_id.get(id).map(|&i| &self.snapshots[i])
    }

    pub fn is_empty(&self) -> bool {
        self.snapshots.is_empty() && self.errors.is_empty()
    }

    pub fn len(&self) -> usize {
        self.snapshots.len()
    }
}

#[cfg(test)]
mod tests;
