//! Every rule's documentation (what `trls explain` prints) is tested: its
//! `## Example` record raises the rule and its `## Corrected` record does not.

use std::path::Path;

use trls::config::Config;
use trls::engine;

/// The first fenced block after a heading.
fn block<'d>(doc: &'d str, heading: &str) -> Option<(&'d str, &'d str)> {
    let rest = &doc[doc.find(heading)? + heading.len()..];
    let open = rest.find("```")?;
    let lang_end = rest[open..].find('\n')? + open;
    let lang = rest[open + 3..lang_end].trim();
    let body_start = lang_end + 1;
    let close = rest[body_start..].find("\n```")? + body_start;
    Some((lang, &rest[body_start..=close]))
}

#[test]
fn rule_docs_examples_fire_and_corrections_do_not() {
    let config = Config::default();
    let mut failures = Vec::new();
    for rule in trls::rules::RULES.iter() {
        let doc = rule.doc;
        if !doc.starts_with(&format!("# {}: {}\n", rule.code, rule.name)) {
            failures.push(format!(
                "{}: doc must start with `# {}: {}`",
                rule.code, rule.code, rule.name
            ));
        }
        for section in ["## What it means", "## Why it matters"] {
            if !doc.contains(section) {
                failures.push(format!("{}: no `{section}`", rule.code));
            }
        }
        for (heading, should_fire) in [("## Example", true), ("## Corrected", false)] {
            let Some((lang, body)) = block(doc, heading) else {
                failures.push(format!("{}: no fenced block after `{heading}`", rule.code));
                continue;
            };
            // A first line `# NAME.trial.yaml` names the file (as in format.md's
            // complete record); TRF104 judges file names.
            let named = body
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# "))
                .filter(|n| trls::workspace::is_record(Path::new(n.trim())));
            let name = match named {
                Some(n) => n.trim(),
                None if lang == "json" => "doc.trial.json",
                None => "doc.trial.yaml",
            };
            let checked = engine::check_bytes(body.as_bytes(), Path::new(name), &config);
            let fired = checked.diagnostics.iter().any(|d| d.code == rule.code);
            if fired != should_fire {
                let got: Vec<_> = checked
                    .diagnostics
                    .iter()
                    .map(|d| format!("{} {}", d.code, d.message))
                    .collect();
                failures.push(format!(
                    "{} {heading}: expected the rule {}; got {got:?}",
                    rule.code,
                    if should_fire { "to fire" } else { "quiet" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
