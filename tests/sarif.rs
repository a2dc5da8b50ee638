//! `trls check --format sarif` validated against the SARIF 2.1.0 JSON schema, as
//! published by Microsoft in the `@microsoft/jest-sarif` npm package (installed by
//! `.ci/run` under tests/tools; not vendored). Without it the test says so on stderr
//! (outside the test harness's capture, so `cargo test` shows it) and passes, unless
//! `CI` is set.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let schema_path = root
        .join("tests/tools/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    let Ok(schema_text) = std::fs::read_to_string(&schema_path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install tests/tools (npm ci --prefix tests/tools)"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (sarif): no SARIF schema; run `npm ci --prefix tests/tools`"
        );
        return;
    };
    let mut schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    // The published rtm.5 schema has a typo in its `language` patterns (a stray `]`)
    // that ECMAScript regexes tolerate and Rust's do not; use the intended pattern.
    fn repair(v: &mut serde_json::Value) -> usize {
        match v {
            serde_json::Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                1
            }
            serde_json::Value::Array(a) => a.iter_mut().map(repair).sum(),
            serde_json::Value::Object(o) => o.values_mut().map(repair).sum(),
            _ => 0,
        }
    }
    assert!(
        repair(&mut schema) > 0,
        "the known typo is gone: remove this repair"
    );
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    // Fixtures with fixes, related locations, every severity and non-ASCII text.
    let out = Command::new(env!("CARGO_BIN_EXE_trls"))
        .args([
            "check",
            "--format",
            "sarif",
            "--show-hints",
            "tests/fixtures",
            "examples/records",
        ])
        .current_dir(&root)
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 100, "the fixtures produce many results");
    let levels: std::collections::BTreeSet<&str> =
        results.iter().filter_map(|r| r["level"].as_str()).collect();
    assert_eq!(
        levels.into_iter().collect::<Vec<_>>(),
        ["error", "note", "warning"]
    );
    assert!(results.iter().any(|r| r.get("fixes").is_some()));
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}
