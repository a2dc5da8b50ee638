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

/// A block is one record, or several checked together, each after a line
/// `# file: NAME` (for the cross-record rules).
fn check_files(body: &str, lang: &str, config: &Config) -> Vec<engine::Checked> {
    // A first line `# NAME.trial.yaml` names the file (as in format.md's complete
    // record); TRF104 judges file names.
    let named = body
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map(str::trim)
        .filter(|n| !n.contains(' ') && trls::workspace::is_record(Path::new(n)));
    let default = match named {
        Some(n) => n,
        None if lang == "json" => "doc.trial.json",
        None => "doc.trial.yaml",
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for line in body.split_inclusive('\n') {
        match line.trim_end().strip_prefix("# file: ") {
            Some(name) => files.push((name.to_string(), String::new())),
            None => match files.last_mut() {
                Some((_, text)) => text.push_str(line),
                None => files.push((default.to_string(), line.to_string())),
            },
        }
    }
    // A `.json` file that is not a record is a registry snapshot (TRF12x).
    let (snapshots, records): (Vec<_>, Vec<_>) = files
        .iter()
        .partition(|(name, _)| !trls::workspace::is_record(Path::new(name)));
    let with_snapshots;
    let config = if snapshots.is_empty() {
        config
    } else {
        let mut set = trls::registry::Snapshots::default();
        for (name, text) in &snapshots {
            set.add(Path::new(name), text);
        }
        assert!(
            set.errors.is_empty(),
            "a doc snapshot does not read: {:?}",
            set.errors
        );
        with_snapshots = config.clone().with_snapshots(std::sync::Arc::new(set));
        &with_snapshots
    };
    let analyses = records
        .iter()
        .map(|(name, text)| engine::analyze(text.as_bytes(), Some(Path::new(name)), config))
        .collect();
    let configs = vec![config; records.len()];
    engine::check_all(analyses, &configs)
}

#[test]
fn rule_docs_examples_fire_and_corrections_do_not() {
    let config = Config::default();
    let mut failures = Vec::new();
    for rule in trls::codes::Code::ALL.iter().map(|c| c.meta()) {
        let doc = rule.doc;
        if !doc.starts_with(&format!("# {}: {}\n", rule.id, rule.name)) {
            failures.push(format!(
                "{}: doc must start with `# {}: {}`",
                rule.id, rule.id, rule.name
            ));
        }
        for section in ["## What it means", "## Why it matters"] {
            if !doc.contains(section) {
                failures.push(format!("{}: no `{section}`", rule.id));
            }
        }
        for (heading, should_fire) in [("## Example", true), ("## Corrected", false)] {
            let Some((lang, body)) = block(doc, heading) else {
                failures.push(format!("{}: no fenced block after `{heading}`", rule.id));
                continue;
            };
            let checked = check_files(body, lang, &config);
            let all = checked.iter().flat_map(|c| &c.diagnostics);
            let fired = all.clone().any(|d| d.code == rule.code);
            if fired != should_fire {
                let got: Vec<_> = all.map(|d| format!("{} {}", d.code, d.message)).collect();
                failures.push(format!(
                    "{} {heading}: expected the rule {}; got {got:?}",
                    rule.id,
                    if should_fire { "to fire" } else { "quiet" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
