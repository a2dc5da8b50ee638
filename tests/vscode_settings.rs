//! The VS Code extension's `trls.rules` setting (editors/vscode/package.json) lists
//! exactly the codes of the rule registry (`Code::ALL`), each with its name, summary
//! and default severity. When a rule is added or changed, regenerate the setting:
//!
//! ```sh
//! TRLS_BLESS=1 cargo test --test vscode_settings
//! ```
//!
//! which rewrites only the `"trls.rules"` value in package.json, leaving the rest of
//! the file as it is.

use serde_json::{json, Value};
use std::path::PathBuf;
use trls::codes::Code;

const SEVERITIES: [&str; 5] = ["off", "hint", "info", "warning", "error"];

fn expected() -> Value {
    let mut properties = serde_json::Map::new();
    for code in Code::ALL {
        let m = code.meta();
        properties.insert(
            m.id.to_string(),
            json!({
                "type": "string",
                "enum": SEVERITIES,
                "markdownDescription": format!(
                    "`{}`: {} (default: {}; `trls explain {}`)",
                    m.name,
                    m.summary,
                    m.severity.as_str(),
                    m.id
                ),
            }),
        );
    }
    json!({
        "type": "object",
        "default": {},
        "properties": properties,
        "additionalProperties": false,
        "markdownDescription": "Severity per rule code, over `trls.toml`'s `[rules]`, e.g. `{\"TRF108\": \"off\"}`.",
    })
}

/// The byte range of the JSON value that follows `"trls.rules":` in `text`.
fn rules_value_range(text: &str) -> (usize, usize) {
    let key = "\"trls.rules\":";
    let at = text
        .find(key)
        .expect("package.json has a \"trls.rules\" setting")
        + key.len();
    let start = at + text[at..].find('{').expect("trls.rules is an object");
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text[start..].char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return (start, start + i + 1);
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced braces in package.json");
}

/// The setting as package.json holds it: one line per key, and one line per code
/// (so adding a rule adds one line), indented under `indent`.
fn render(value: &Value, indent: &str) -> String {
    let one = |v: &Value| serde_json::to_string(v).unwrap();
    let mut out = String::from("{\n");
    let object = value.as_object().unwrap();
    for (i, (key, v)) in object.iter().enumerate() {
        out += &format!("{indent}  {}: ", one(&Value::String(key.clone())));
        if key == "properties" {
            out += "{\n";
            let codes = v.as_object().unwrap();
            for (j, (code, p)) in codes.iter().enumerate() {
                let comma = if j + 1 < codes.len() { "," } else { "" };
                out += &format!("{indent}    \"{code}\": {}{comma}\n", one(p));
            }
            out += &format!("{indent}  }}");
        } else {
            out += &one(v);
        }
        out += if i + 1 < object.len() { ",\n" } else { "\n" };
    }
    out + indent + "}"
}

#[test]
fn vscode_rules_setting_lists_every_registry_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("editors/vscode/package.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let manifest: Value = serde_json::from_str(&text).expect("package.json is JSON");
    let actual = &manifest["contributes"]["configuration"]["properties"]["trls.rules"];
    let expected = expected();
    if *actual == expected {
        return;
    }
    if std::env::var_os("TRLS_BLESS").is_some() {
        let (start, end) = rules_value_range(&text);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[line_start..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let pretty = render(&expected, &indent);
        let blessed = format!("{}{}{}", &text[..start], pretty, &text[end..]);
        let reparsed: Value = serde_json::from_str(&blessed).unwrap();
        assert_eq!(
            reparsed["contributes"]["configuration"]["properties"]["trls.rules"],
            expected
        );
        std::fs::write(&path, blessed).unwrap();
        eprintln!("blessed: rewrote trls.rules in {}", path.display());
        return;
    }
    let listed: Vec<&str> = actual["properties"]
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let registry: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let missing: Vec<&&str> = registry.iter().filter(|c| !listed.contains(c)).collect();
    let extra: Vec<&&str> = listed.iter().filter(|c| !registry.contains(c)).collect();
    panic!(
        "editors/vscode/package.json's trls.rules is out of date with src/codes.rs \
         (missing: {missing:?}, not in the registry: {extra:?}, or a name, summary or \
         severity changed); regenerate it: TRLS_BLESS=1 cargo test --test vscode_settings"
    );
}
