//! The synthetic records every benchmark checks (included with `#[path]` by
//! `benches/check.rs` and `benches/floor.rs`, so the floor parses exactly what trls
//! checks): a ~150-line record like the examples, with no finding at all (as a
//! curated record ends up, and as the JSON Schema tools it is compared with see
//! it: valid), and one record grown to any number of lines by its results section.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// Record `i`: its own registry id, clean of errors.
pub fn record(i: usize) -> String {
    let id = format!("NCT{:08}", 10_000_000 + i);
    let mut r = format!(
        "# Synthetic record {i} for the benchmark.
trf: 1
id: {id}
registry: CTGOV
secondary_ids:
  - {{id: BENCH-{i}, type: ORG_STUDY_ID}}
title: Umbilical Cord Mesenchymal Stem Cell Exosomes for Condition {i}
acronym: UCX-{i}
status: COMPLETED
study_type: INTERVENTIONAL
phases: [PHASE1, PHASE2]
conditions: [Asthma, Chronic Obstructive Pulmonary Disease]
keywords: [exosomes, nebulized, MSC]
product:
  name: hUC-MSC exosomes
  modality: EXOSOMES
  cell_source: UMBILICAL_CORD
  donor: ALLOGENEIC
  manufacturer: Example Cell Therapy Co., Ltd
  gmp: true
  characterization:
    isolation: [SIZE_EXCLUSION_CHROMATOGRAPHY, ULTRAFILTRATION]
    quantification: [PARTICLE_COUNT, PROTEIN]
    single_vesicle: [NTA, CRYO_EM]
    particle_size: {{min: 50 nm, max: 180 nm}}
    ev_markers_positive: [CD63, CD81, TSG101]
    ev_markers_negative: [calnexin, APOA1]
design:
  allocation: RANDOMIZED
  intervention_model: PARALLEL
  masking: DOUBLE
  primary_purpose: TREATMENT
  centers: MULTI_CENTER
enrollment: {{count: 60, type: ACTUAL}}
dates:
  start: 2023-03
  primary_completion: 2024-06-30
  completion: 2024-12-31
  registered: 2023-01-15
  updated: 2025-04-27
sponsors:
  - {{name: Example University Hospital, class: OTHER, role: LEAD}}
  - {{name: 'Example Cell Therapy Co., Ltd', class: INDUSTRY, role: COLLABORATOR}}
investigators:
  - {{name: Example Investigator, role: PRINCIPAL_INVESTIGATOR, affiliation: Example University Hospital}}
locations:
  - {{facility: Example University Hospital, city: Yantai, country: China}}
  - {{facility: Second Example Hospital, city: Jinan, country: China}}
eligibility:
  min_age: 18 a
  max_age: 75 a
  sex: ALL
  healthy_volunteers: false
  criteria: Moderate to severe asthma or COPD with FEV1 between 30% and 80% predicted.
arms:
  - id: low
    type: EXPERIMENTAL
    label: Low dose
    size: 20
    interventions: [exo-low]
  - id: high
    type: EXPERIMENTAL
    label: High dose
    size: 20
    interventions: [exo-high]
  - id: placebo
    type: PLACEBO_COMPARATOR
    label: Saline
    size: 20
    interventions: [saline]
interventions:
  - id: exo-low
    type: BIOLOGICAL
    name: nebulized hUC-MSC exosomes, low dose
    route: INHALATION
    dose: 2e9 {{particles}}
    schedule: {{doses: 5, interval: 1 wk, duration: 5 wk}}
  - id: exo-high
    type: BIOLOGICAL
    name: nebulized hUC-MSC exosomes, high dose
    route: INHALATION
    dose: 8e9 {{particles}}
    schedule: {{doses: 5, interval: 1 wk, duration: 5 wk}}
  - id: saline
    type: OTHER
    name: nebulized saline
    route: INHALATION
outcomes:
  - {{id: fev1, type: PRIMARY, title: FEV1, quantity: FEV1, unit: L, time_frame: 6 weeks}}
  - {{id: fvc, type: SECONDARY, title: FVC, quantity: FVC, unit: L, time_frame: 6 weeks}}
  - {{id: crp, type: SECONDARY, title: C-reactive protein, quantity: CRP, unit: mg/L}}
results:
"
    );
    for arm in ["high", "placebo"] {
        for (outcome, base) in [("fev1", 2.1), ("fvc", 3.2)] {
            for (tp, delta) in [("baseline", 0.0), ("6 wk", 0.3)] {
                r.push_str(&format!(
                    "  - outcome: {outcome}\n    arm: {arm}\n    timepoint: {tp}\n    n: 20\n    mean: {:.2} {}\n    source: paper\n",
                    base + delta,
                    if outcome == "crp" { "mg/L" } else { "L" }
                ));
            }
        }
    }
    r.push_str(&format!(
        "related: [NCT{:08}]
sources:
  - id: registry
    kind: REGISTRY
    registry_id: {id}
    url: https://clinicaltrials.gov/study/{id}
    accessed: 2025-04-27
  - id: paper
    kind: JOURNAL_ARTICLE
    title: Nebulized exosomes in asthma and COPD, a randomized trial
    doi: 10.1177/2050313X2513865{}
    pmcid: PMC128557{:02}
    published: 2025-01-27
",
        // Record i's sibling (i + 1 for an even i, i - 1 for an odd one): a
        // reference the cross-record phase resolves in the corpus.
        10_000_000 + (i ^ 1),
        i % 10,
        i % 100
    ));
    r
}

/// A clean record of about `lines` lines: record 0 with its results section grown
/// (one FEV1 and one FVC result per arm and week).
pub fn big(lines: usize) -> String {
    let mut s = record(0);
    let mut n = s.lines().count();
    let related = s.find("related: ").unwrap_or(s.len());
    let tail = s.split_off(related);
    let mut week = 1;
    while n < lines {
        for arm in ["high", "placebo"] {
            for (outcome, v) in [("fev1", 2.4), ("fvc", 3.5)] {
                let _ = write!(
                    s,
                    "  - outcome: {outcome}\n    arm: {arm}\n    timepoint: {week} wk\n    n: 20\n    mean: {v:.2} L\n    source: paper\n"
                );
                n += 6;
            }
        }
        week += 1;
    }
    s.push_str(&tail);
    s
}

/// Write `n` records into `dir` (created), one file each; the number of lines.
pub fn write(dir: &Path, n: usize) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    let mut lines = 0;
    for i in 0..n {
        let r = record(i);
        lines += r.lines().count();
        std::fs::write(dir.join(format!("NCT{:08}.trial.yaml", 10_000_000 + i)), r).unwrap();
    }
    lines
}
