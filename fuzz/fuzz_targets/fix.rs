//! Safe fixes on arbitrary input: a document that parsed still parses after
//! `--fix`, and a second pass changes nothing.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use trls::codes::Code;
use trls::config::Config;
use trls::engine;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let config = Config::default();
    for name in ["fuzz.trial.yaml", "fuzz.trial.json"] {
        let path = Path::new(name);
        let parses = |t: &str| {
            !engine::check_bytes(t.as_bytes(), path, &config)
                .diagnostics
                .iter()
                .any(|d| matches!(d.code, Code::InvalidSyntax | Code::UnsupportedYaml))
        };
        if !parses(text) {
            continue;
        }
        let Some(fixed) = engine::fix_all(text, path, &config) else {
            continue;
        };
        assert!(parses(&fixed), "a safe fix broke the document:\n{fixed}");
        if let Some(again) = engine::fix_all(&fixed, path, &config) {
            assert_eq!(again, fixed, "a second --fix pass changed the text");
        }
    }
});
