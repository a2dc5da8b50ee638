//! The schema as `trls schema` prints it for other tools (yaml-language-server, VS
//! Code's JSON support): the embedded schema, transformed at export time so that
//!
//! - it validates the same under draft-07 as under the draft it declares: `$defs`
//!   become `definitions` (a JSON pointer reaches them in either draft), and a
//!   `$ref` with validation keywords beside it (which draft-07 ignores) is moved
//!   into an `allOf`;
//! - a pattern that fails says what was expected, not the regular expression:
//!   `patternErrorMessage` (yaml-language-server, VS Code) and `errorMessage` on
//!   each schema that has a pattern, from its `x-trls-expected` and the rule that
//!   judges it.
//!
//! The validator inside trls uses the embedded schema as it is.

use serde_json::{Map, Value};

/// Keywords that only annotate; beside a `$ref` they may stay where they are.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "markdownDescription",
    "default",
    "examples",
    "deprecated",
    "$comment",
];

/// The schema for editors and other validators.
pub fn for_editors(schema: &Value) -> Value {
    let mut out = schema.clone();
    if let Some(obj) = out.as_object_mut() {
        if let Some(defs) = obj.remove("$defs") {
            obj.insert("definitions".into(), defs);
        }
    }
    transform(&mut out, None);
    out
}

/// What a failed pattern says: `Expected <what>`, and where the rule is explained.
fn pattern_message(expected: &str, judged_by: Option<&str>) -> String {
    let mut m = format!("Expected {expected}");
    if expected == "a registry id" {
        m.push_str(
            " such as `NCT06853522`, `ChiCTR2500105903`, `ISRCTN12345678` or `PMCID:PMC12855734`",
        );
    }
    if let Some(code) = judged_by {
        m.push_str(&format!(" (see `trls explain {code}`)"));
    }
    m.push('.');
    m
}

fn transform(v: &mut Value, context: Option<(&str, Option<&str>)>) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| transform(i, context)),
        Value::Object(obj) => {
            if let Some(Value::String(r)) = obj.get_mut("$ref") {
                if let Some(rest) = r.strip_prefix("#/$defs/") {
                    *r = format!("#/definitions/{rest}");
                }
            }
            let expected = obj
                .get("x-trls-expected")
                .and_then(Value::as_str)
                .map(str::to_string);
            let judged = obj
                .get("x-trls-judged-by")
                .and_then(Value::as_str)
                .map(str::to_string);
            let own = expected.as_deref().map(|e| (e, judged.as_deref()));
            let here = own.or(context);
            if obj.contains_key("pattern") {
                if let Some((expected, judged)) = here {
                    let m = Value::String(pattern_message(expected, judged));
                    obj.entry("patternErrorMessage").or_insert(m.clone());
                    obj.entry("errorMessage").or_insert(m);
                }
            }
            // Owned copies: the children are transformed with the context by value.
            let here: Option<(String, Option<String>)> =
                here.map(|(e, j)| (e.to_string(), j.map(str::to_string)));
            for (_, child) in obj.iter_mut() {
                transform(
                    child,
                    here.as_ref().map(|(e, j)| (e.as_str(), j.as_deref())),
                );
            }
            wrap_ref(obj);
        }
        _ => {}
    }
}

/// Draft-07 ignores every keyword beside `$ref`: move a `$ref` that has validation
/// keywords beside it into an `allOf`, so that both drafts apply both.
fn wrap_ref(obj: &mut Map<String, Value>) {
    let validating = obj
        .keys()
        .any(|k| k != "$ref" && !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"));
    if !validating {
        return;
    }
    let Some(r) = obj.remove("$ref") else {
        return;
    };
    let reference = Value::Object(Map::from_iter([("$ref".to_string(), r)]));
    match obj.get_mut("allOf") {
        Some(Value::Array(all)) => all.insert(0, reference),
        _ => {
            obj.insert("allOf".into(), Value::Array(vec![reference]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defs_become_definitions_and_refs_follow() {
        let s = json!({"$defs": {"A": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/A", "description": "d"}}});
        let out = for_editors(&s);
        assert!(out.get("$defs").is_none());
        assert_eq!(out["definitions"]["A"]["type"], "string");
        assert_eq!(out["properties"]["a"]["$ref"], "#/definitions/A");
        assert_eq!(out["properties"]["a"]["description"], "d");
    }

    #[test]
    fn a_ref_with_constraints_beside_it_moves_into_all_of() {
        let s = json!({"properties": {"a": {"$ref": "#/$defs/A", "minLength": 2}}});
        let out = for_editors(&s);
        let a = &out["properties"]["a"];
        assert!(a.get("$ref").is_none());
        assert_eq!(a["allOf"][0]["$ref"], "#/definitions/A");
        assert_eq!(a["minLength"], 2);
    }

    #[test]
    fn patterns_say_what_was_expected_inside_their_definition() {
        let s = json!({"$defs": {"Q": {"x-trls-expected": "a quantity", "x-trls-judged-by": "X1",
            "if": {"type": "string"}, "then": {"pattern": "^\\d+ \\S+$"}}}});
        let out = for_editors(&s);
        let then = &out["definitions"]["Q"]["then"];
        assert_eq!(
            then["patternErrorMessage"],
            "Expected a quantity (see `trls explain X1`)."
        );
        assert_eq!(then["errorMessage"], then["patternErrorMessage"]);
    }
}
