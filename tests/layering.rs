//! The layering of `docs/architecture.md`, enforced: every top-level module of `src`
//! imports only the modules its row of the table names, the table has no cycle, every
//! module is in the table, and no file but `src/codes.rs` writes a rule code as a
//! string literal. A file's `#[cfg(test)]` part (its unit tests) is not judged.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// module → the modules it may import, from the table between the layering markers.
fn table() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let start = doc
        .find("<!-- layering:begin -->")
        .expect("layering:begin marker");
    let end = doc
        .find("<!-- layering:end -->")
        .expect("layering:end marker");
    let mut out = BTreeMap::new();
    for line in doc[start..end].lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 3 || !cells[1].starts_with('`') {
            continue;
        }
        let name = cells[1].trim_matches('`').to_string();
        let may: BTreeSet<String> = cells[2]
            .split(',')
            .map(|s| s.trim().trim_matches('`').to_string())
            .filter(|s| !s.is_empty())
            .collect();
        assert!(
            out.insert(name.clone(), may).is_none(),
            "{name} is in the table twice"
        );
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src` belongs to (`None` for `lib.rs`/`main.rs`).
fn module_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root().join("src")).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    match first.strip_suffix(".rs") {
        Some("lib" | "main") => None,
        Some(m) => Some(m.to_string()),
        None => Some(first),
    }
}

/// Strip `//` comments (so doc links and prose do not count as imports).
fn code_only(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level modules a file names through `crate::` (or `trls::` from the binary),
/// including `crate::{a, b::c}` groups.
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let text = code_only(text);
    for prefix in ["crate::", "trls::"] {
        let mut rest = text.as_str();
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().last();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 0;
                let mut item = String::new();
                let mut items = Vec::new();
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                        _ if depth == 0 => item.push(c),
                        _ => {}
                    }
                }
                items.push(item);
                for it in items {
                    let name: String = it
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn every_module_imports_only_what_the_table_allows() {
    let table = table();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for file in &files {
        let Some(module) = module_of(file) else {
            continue;
        };
        seen.insert(module.clone());
        let Some(allowed) = table.get(&module) else {
            failures.push(format!(
                "{module}: not in the table of docs/architecture.md"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may reach further than the module itself.
        let text = &text[..text.find("#[cfg(test)]").unwrap_or(text.len())];
        for used in imports(text) {
            if used == module || used == "self" || used == "super" {
                continue;
            }
            if !table.contains_key(&used) {
                continue; // a macro or an item at the crate root, not a module
            }
            if !allowed.contains(&used) {
                failures.push(format!(
                    "{}: `{module}` imports `{used}`, which the table does not allow",
                    file.strip_prefix(root()).unwrap().display()
                ));
            }
        }
    }
    for module in table.keys() {
        if !seen.contains(module) && module != "render" {
            failures.push(format!("{module}: in the table but not in src/"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_has_no_cycle() {
    let table = table();
    // Depth-first search from every module; a module met again on the path is a cycle.
    fn visit(
        m: &str,
        table: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in table.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, table, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in table.keys() {
        if let Some(cycle) = visit(m, &table, &mut Vec::new(), &mut done) {
            panic!("the layering table has a cycle: {}", cycle.join(" → "));
        }
    }
    for (m, may) in &table {
        for dep in may {
            assert!(
                table.contains_key(dep),
                "{m} may import `{dep}`, not a module"
            );
        }
    }
}

#[test]
fn rule_codes_are_written_only_in_the_registry() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut failures = Vec::new();
    for file in files {
        if file.ends_with("src/codes.rs") {
            continue;
        }
        let text = code_only(&std::fs::read_to_string(&file).unwrap());
        let in_tests = text.find("#[cfg(test)]").unwrap_or(text.len());
        let bytes = &text.as_bytes()[..in_tests];
        for (i, w) in bytes.windows(8).enumerate() {
            if w[0] == b'"'
                && &w[1..4] == b"TRF"
                && w[4..7].iter().all(u8::is_ascii_digit)
                && w[7] == b'"'
            {
                let line = text[..i].lines().count();
                failures.push(format!(
                    "{}:{line}: a rule code as a string literal; use `Code::…`",
                    file.strip_prefix(root()).unwrap().display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_import_reader_reads_groups_and_ignores_comments() {
    let got = imports(
        "use crate::{a::X, b};\nuse crate::c::{d, e};\n// crate::f\nlet _ = trls::g::h();\nfoocrate::i",
    );
    let want: BTreeSet<String> = ["a", "b", "c", "g"].iter().map(|s| s.to_string()).collect();
    assert_eq!(got, want);
}
