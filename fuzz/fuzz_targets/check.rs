//! Check arbitrary bytes as YAML and as JSON: never a panic, and every diagnostic's
//! span, related span and fix edit lies inside the text on char boundaries. The
//! schema's verdict on the tree itself (`syntax::instance`) is its verdict on the
//! tree's `serde_json` copy. The language server's sectioned summary reader
//! (`engine::summarize_sections`) gives exactly the whole record's summary
//! (`engine::summarize`), spans included.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use trls::config::Config;
use trls::engine;

fuzz_target!(|data: &[u8]| {
    let config = Config::default();
    if let Ok(text) = std::str::from_utf8(data) {
        use trls::syntax::{instance, parse, Syntax};
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let parsed = parse(text, syntax);
            if let (Some(root), true) = (&parsed.root, instance::judged_in_place(&parsed)) {
                let schema = config.schema();
                let in_place = schema.validator_for::<instance::Tree>().unwrap().is_valid(root);
                let copied = schema.validator().unwrap().is_valid(&root.to_json());
                assert_eq!(in_place, copied, "verdicts differ on {text:?}");
            }
        }
    }
    let yaml = Path::new("fuzz.trial.yaml");
    assert_eq!(
        engine::summarize_sections(data, yaml),
        engine::summarize(data, yaml),
        "the sectioned summary differs on {:?}",
        String::from_utf8_lossy(data)
    );
    for name in ["fuzz.trial.yaml", "fuzz.trial.json"] {
        let checked = engine::check_bytes(data, Path::new(name), &config);
        let text = &checked.text;
        let inside = |s: trls::syntax::Span| {
            s.start <= s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        };
        for d in &checked.diagnostics {
            assert!(inside(d.span), "{} span {:?} outside the text", d.code, d.span);
            for r in d.related.iter().filter(|r| r.path.is_none()) {
                assert!(inside(r.span), "{} related {:?}", d.code, r.span);
            }
            for e in d.fix.iter().flat_map(|f| &f.edits) {
                assert!(inside(e.span), "{} edit {:?}", d.code, e.span);
            }
            // Positions for every shell.
            let _ = checked.lines.line_col(text, d.span.start);
            let _ = checked.lines.line_col_utf16(text, d.span.end);
        }
    }
});
