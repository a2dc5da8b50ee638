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

#[path = "common/corpus.rs"]
mod corpus;

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
    let lines = corpus::write(&dir, n);
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
            // Every run checks (an older binary of TRLS_BASELINE_BIN ignores it).
            .env("TRLS_NO_CACHE", "1")
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
