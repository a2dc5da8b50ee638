//! `cargo bench --bench check -- [N]`: generate N synthetic records (default 10,000,
//! ~150 lines each), then time, on the same files and in the same run:
//!   parse  read every file and build its spanned tree (the baseline);
//!   schema parse and validate against the schema (TRF0xx: the engine before the
//!          domain rules);
//!   engine read and fully check every file in-process (every rule);
//!   cli    the real `trls check --format json` over the folder.
//! Prints wall times, records/s and each figure as a ratio to the baseline.
//! With `TRLS_BASELINE_BIN=path/to/another/trls`, that binary (an earlier build, say)
//! checks the same folder, interleaved with the others, and the run prints
//! `cli / baseline`: a same-run comparison of two versions.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use trls::config::Config;

fn record(i: usize) -> String {
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
        "related: [NCT02442037]
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
        i % 10,
        i % 100
    ));
    r
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn best_of<F: Fn() + ?Sized>(runs: usize, f: &F) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    // `TRLS_BENCH_DIR` keeps the generated records there (to profile them, say).
    let keep = std::env::var_os("TRLS_BENCH_DIR").map(std::path::PathBuf::from);
    let dir = keep
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("trls-bench-{n}")));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut lines = 0;
    for i in 0..n {
        let r = record(i);
        lines += r.lines().count();
        std::fs::write(dir.join(format!("NCT{:08}.trial.yaml", 10_000_000 + i)), r).unwrap();
    }
    let paths = files(&dir);
    let config = Config::default();
    let sample = trls::engine::check_bytes(&std::fs::read(&paths[0]).unwrap(), &paths[0], &config);
    assert!(
        sample
            .diagnostics
            .iter()
            .all(|d| d.severity < trls::diagnostic::Severity::Error),
        "synthetic record is not clean: {:?}",
        sample.diagnostics
    );
    // Steps interleaved, best of 5 each, so that drift of the machine hits all alike.
    let runs = 5;
    let step_parse = || {
        paths.par_iter().for_each(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            std::hint::black_box(trls::syntax::parse(&text, trls::syntax::Syntax::Yaml));
        })
    };
    let step_schema = || {
        paths.par_iter().for_each(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let parsed = trls::syntax::parse(&text, trls::syntax::Syntax::Yaml);
            std::hint::black_box(trls::rules::schema::check(&parsed, &text, config.schema()));
        })
    };
    let step_engine = || {
        paths.par_iter().for_each(|p| {
            let bytes = std::fs::read(p).unwrap();
            std::hint::black_box(trls::engine::check_bytes(&bytes, p, &config));
        })
    };
    let run_cli = |bin: &std::ffi::OsStr| {
        let out = Command::new(bin)
            .args(["check", "--format", "json"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{} check failed",
            bin.to_string_lossy()
        );
    };
    let step_cli = || run_cli(env!("CARGO_BIN_EXE_trls").as_ref());
    let baseline_bin = std::env::var_os("TRLS_BASELINE_BIN");
    let step_baseline = || {
        if let Some(bin) = &baseline_bin {
            run_cli(bin);
        }
    };
    let mut best = [Duration::MAX; 5];
    for _ in 0..runs {
        for (i, step) in [
            &step_parse as &dyn Fn(),
            &step_schema,
            &step_engine,
            &step_cli,
            &step_baseline,
        ]
        .iter()
        .enumerate()
        {
            best[i] = best[i].min(best_of(1, step));
        }
    }
    let [parse, schema, engine, cli, baseline] = best;
    let per_s = |d: Duration| n as f64 / d.as_secs_f64();
    println!("trls check benchmark: {n} records, {:.0} lines each on average, {} threads, best of {runs}", lines as f64 / n as f64, rayon::current_num_threads());
    println!(
        "{:<8} {:>10} {:>12} {:>8}",
        "step", "wall", "records/s", "ratio"
    );
    for (name, d) in [
        ("parse", parse),
        ("schema", schema),
        ("engine", engine),
        ("cli", cli),
    ] {
        println!(
            "{name:<8} {:>9.3}s {:>12.0} {:>7.2}x",
            d.as_secs_f64(),
            per_s(d),
            d.as_secs_f64() / parse.as_secs_f64()
        );
    }
    println!(
        "domain rules cost: engine / schema = {:.2}x per record",
        engine.as_secs_f64() / schema.as_secs_f64()
    );
    if let Some(bin) = &baseline_bin {
        println!(
            "baseline {:>9.3}s {:>12.0}   ({})",
            baseline.as_secs_f64(),
            per_s(baseline),
            std::path::Path::new(bin).display()
        );
        println!(
            "this build against the baseline: cli / baseline = {:.2}x",
            cli.as_secs_f64() / baseline.as_secs_f64()
        );
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
