//! `cargo bench --bench hostile -- [SCALE]`: the hostile records of the robustness
//! issue, each checked in a fresh child process (this binary re-run with `--child`)
//! so that its peak memory (VmHWM) is its own. Prints, per case: file size, wall
//! time, peak RSS, the budget (96 MiB + 50 × the file) and the findings. SCALE (default
//! 1.0) shrinks or grows every case, for a smoke run in CI.
//!
//! Cases: 100,000 keys in one mapping; 100,000 duplicate keys; a 1 MB flow list of
//! numbers and one of empty lists (each a finding); a 5 MB record of 70,000 arms with
//! dangling references; a 200,000-line results section (TRF207 pairs FEV1 with FVC).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use trls::config::Config;
use trls::engine;

fn head() -> String {
    "trf: 1\nid: NCT01234567\ntitle: Hostile record\nstatus: COMPLETED\nstudy_type: INTERVENTIONAL\n"
        .to_string()
}

fn many_keys(n: usize) -> String {
    let mut s = head();
    s.push_str("design:\n");
    for i in 0..n {
        let _ = writeln!(s, "  key_{i}: v");
    }
    s
}

fn duplicate_keys(n: usize) -> String {
    let mut s = head();
    for _ in 0..n {
        s.push_str("acronym: X\n");
    }
    s
}

fn flow_numbers(bytes: usize) -> String {
    let mut s = head();
    s.push_str("keywords: [");
    while s.len() < bytes {
        s.push_str("1, ");
    }
    s.push_str("1]\n");
    s
}

fn flow_empty_lists(bytes: usize) -> String {
    let mut s = head();
    s.push_str("conditions: [");
    while s.len() < bytes {
        s.push_str("[], ");
    }
    s.push_str("[]]\n");
    s
}

fn many_arms(n: usize) -> String {
    let mut s = head();
    s.push_str("arms:\n");
    for i in 0..n {
        let _ = write!(
            s,
            "  - id: arm-{i}\n    label: Arm {i}\n    type: EXPERIMENTAL\n    interventions: [drug-{i}, x-{i}]\n"
        );
    }
    s.push_str("interventions:\n");
    for i in 0..n / 2 {
        let _ = writeln!(s, "  - {{id: drug-{i}, type: BIOLOGICAL, name: D}}");
    }
    s
}

fn many_results(lines: usize) -> String {
    let mut s = head();
    s.push_str(
        "arms:\n  - id: a\n    label: A\n    type: EXPERIMENTAL\noutcomes:\n  - id: fev1\n    title: FEV1\n    type: PRIMARY\n    unit: L\n  - id: fvc\n    title: FVC\n    type: PRIMARY\n    unit: L\nresults:\n",
    );
    let mut i = 0;
    while s.lines().count() < lines && i < lines {
        for (o, v) in [("fev1", "3.1"), ("fvc", "3.0")] {
            let _ = write!(
                s,
                "  - outcome: {o}\n    arm: a\n    timepoint: week {i}\n    mean: {{value: {v}, unit: L}}\n"
            );
        }
        i += 1;
    }
    s
}

/// A case that runs longer than this is reported as not finishing.
const LIMIT_SECS: u64 = 60;

fn child(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let start = Instant::now();
    let checked = engine::check_bytes(&bytes, path, &Config::default());
    let secs = start.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let mut codes: Vec<String> = Vec::new();
    for d in &checked.diagnostics {
        let c = d.code.to_string();
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    println!(
        "{secs:.3} {hwm} {} {}",
        checked.diagnostics.len(),
        codes.join(",")
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(Path::new(&args[1]));
        return;
    }
    let scale: f64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let n = |x: f64| ((x * scale) as usize).max(10);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let cases: Vec<(&str, String)> = vec![
        ("100,000 keys in one mapping", many_keys(n(100_000.0))),
        ("100,000 duplicate keys", duplicate_keys(n(100_000.0))),
        ("1 MB flow list of numbers", flow_numbers(n(1_000_000.0))),
        (
            "1 MB flow list of empty lists",
            flow_empty_lists(n(1_000_000.0)),
        ),
        ("70,000 arms", many_arms(n(70_000.0))),
        ("200,000-line results", many_results(n(200_000.0))),
    ];
    println!("hostile records, each checked in its own process (scale {scale})");
    println!(
        "{:<32} {:>9} {:>9} {:>10} {:>10} {:>9}  codes",
        "case", "size MB", "time s", "peak MiB", "budget", "findings"
    );
    for (i, (name, text)) in cases.iter().enumerate() {
        let path = dir.join(format!("case-{i}.trial.yaml"));
        std::fs::write(&path, text).unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .arg("--child")
            .arg(&path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() && started.elapsed().as_secs() < LIMIT_SECS {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if child.try_wait().unwrap().is_none() {
            let _ = child.kill();
            let _ = child.wait();
            println!(
                "{name:<32} {:>9.2} did not finish in {LIMIT_SECS} s",
                text.len() as f64 / 1e6
            );
            continue;
        }
        let out = child.wait_with_output().unwrap();
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = line.split_whitespace().collect();
        let mb = text.len() as f64 / 1e6;
        let budget = 96.0 + 50.0 * text.len() as f64 / (1024.0 * 1024.0);
        if f.len() < 3 || !out.status.success() {
            println!(
                "{name:<32} {mb:>9.2} FAILED: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            );
            continue;
        }
        let peak = f[1].parse::<f64>().unwrap_or(0.0) / 1024.0;
        println!(
            "{name:<32} {mb:>9.2} {:>9} {peak:>10.1} {budget:>10.1} {:>9}  {}",
            f[0],
            f[2],
            f.get(3).unwrap_or(&"")
        );
    }
}
