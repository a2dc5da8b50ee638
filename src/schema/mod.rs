//! The TRF 1 JSON Schema and its vocabularies: the single source of truth for
//! validation, completion and hover. Both files under `schema/` are embedded at
//! build time; each vocabulary's `$defs` entry (an `enum` with descriptions) is
//! generated from its terms, plus any extra terms a project configures.

pub mod export;
pub mod keypath;
mod vocab;

pub use keypath::{KeyPathInfo, KeyPaths, Resolution};
pub use vocab::{marker_key, normalize, Term, Vocabulary};

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde_json::{json, Value};

const SCHEMA: &str = include_str!("../../schema/trf-1.schema.json");
const VOCABULARIES: &str = include_str!("../../schema/vocabularies.json");

/// Extra terms from configuration: vocabulary config key → (term id, label).
pub type ExtraTerms = BTreeMap<String, Vec<(String, String)>>;

pub struct Schema {
    json: Value,
    vocabularies: Vec<Vocabulary>,
    /// The validators are compiled on first use, each once: a run that finds every
    /// record in its cache compiles neither, and one of valid records only the
    /// spanned tree's. (A schema that builds compiles: the extra terms a project
    /// adds are strings in an `enum`; a test compiles both.)
    validator: OnceLock<Option<jsonschema::Validator>>,
    /// The validator for one other representation of instances (the spanned tree,
    /// which this layer does not know).
    other: OnceLock<Box<dyn std::any::Any + Send + Sync>>,
    keypaths: KeyPaths,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema").finish_non_exhaustive()
    }
}

impl Schema {
    /// The schema with only the built-in vocabularies.
    pub fn builtin() -> Arc<Schema> {
        static BUILTIN: OnceLock<Arc<Schema>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // The embedded files are tested; failing here is a build defect.
                Arc::new(Schema::build(&ExtraTerms::new()).expect("embedded schema is valid"))
            })
            .clone()
    }

    /// The schema with a project's extra vocabulary terms.
    pub fn build(extra: &ExtraTerms) -> Result<Schema, String> {
        let mut json: Value =
            serde_json::from_str(SCHEMA).map_err(|e| format!("schema/trf-1.schema.json: {e}"))?;
        let mut vocabularies = load_vocabularies()?;
        for (key, terms) in extra {
            let vocab = vocabularies
                .iter_mut()
                .find(|v| v.config_key.as_deref() == Some(key))
                .ok_or_else(|| format!("no vocabulary takes extra terms under `{key}`"))?;
            for (id, label) in terms {
                if vocab.term(id).is_none() {
                    vocab.terms.push(Term {
                        id: id.clone(),
                        label: label.clone(),
                        definition: "Project term (added in trls.toml).".into(),
                        aliases: Vec::new(),
                        nci: None,
                        extra: Default::default(),
                    });
                }
            }
        }
        let defs = json
            .get_mut("$defs")
            .and_then(Value::as_object_mut)
            .ok_or("schema has no $defs")?;
        for v in &vocabularies {
            defs.insert(v.name.clone(), vocabulary_def(v));
        }
        // Registry ids: any registry's format (judged in detail by TRF100).
        if let (Some(registry), Some(Value::Object(id_def))) = (
            vocabularies.iter().find(|v| v.name == "Registry"),
            defs.get_mut("RegistryId"),
        ) {
            let alternatives: Vec<&str> = registry
                .terms
                .iter()
                .filter_map(|t| t.extra.get("pattern").and_then(Value::as_str))
                .map(|p| p.trim_start_matches('^').trim_end_matches('$'))
                .collect();
            id_def.insert(
                "pattern".into(),
                Value::String(format!("^(?:{})$", alternatives.join("|"))),
            );
        }
        let keypaths = KeyPaths::build(&json);
        Ok(Schema {
            json,
            vocabularies,
            validator: OnceLock::new(),
            other: OnceLock::new(),
            keypaths,
        })
    }

    /// The merged schema, as `trls schema` prints it.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The validator for `serde_json` instances.
    pub fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| {
                jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .build(&self.json)
                    .ok()
            })
            .as_ref()
    }

    /// The validator for instances in the representation `F`; `None` for a second
    /// representation (one is all the engine uses) or if it does not compile.
    pub fn validator_for<F: jsonschema::json::Json>(&self) -> Option<&jsonschema::Validator<F>> {
        self.other
            .get_or_init(|| {
                match jsonschema::options_for::<F>()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .build(&self.json)
                {
                    Ok(v) => Box::new(v),
                    Err(_) => Box::new(()),
                }
            })
            .downcast_ref()
    }

    /// Every key path of the format (`not_stated`, discrepancies' `about`).
    pub fn keypaths(&self) -> &KeyPaths {
        &self.keypaths
    }

    pub fn vocabularies(&self) -> &[Vocabulary] {
        &self.vocabularies
    }

    pub fn vocabulary(&self, name: &str) -> Option<&Vocabulary> {
        self.vocabularies.iter().find(|v| v.name == name)
    }

    /// The subschema at a JSON pointer (as in a validation error's schema path).
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.json.pointer(pointer)
    }
}

fn load_vocabularies() -> Result<Vec<Vocabulary>, String> {
    let map: serde_json::Map<String, Value> =
        serde_json::from_str(VOCABULARIES).map_err(|e| format!("schema/vocabularies.json: {e}"))?;
    map.into_iter()
        .map(|(name, v)| {
            let mut vocab: Vocabulary = serde_json::from_value(v)
                .map_err(|e| format!("schema/vocabularies.json: {name}: {e}"))?;
            vocab.name = name;
            Ok(vocab)
        })
        .collect()
}

fn vocabulary_def(v: &Vocabulary) -> Value {
    if v.open {
        // Known names, not a closed list: any non-empty text is valid.
        let ids: Vec<&str> = v.terms.iter().map(|t| t.id.as_str()).collect();
        return json!({
            "title": v.title,
            "description": v.description,
            "x-trls-vocabulary": v.name,
            "x-trls-expected": format!("a {} name", v.title.to_lowercase()),
            "type": "string",
            "minLength": 1,
            "examples": ids,
        });
    }
    let ids: Vec<&str> = v.terms.iter().map(|t| t.id.as_str()).collect();
    let plain: Vec<String> = v
        .terms
        .iter()
        .map(|t| format!("{}: {}", t.label, t.definition))
        .collect();
    let markdown: Vec<String> = v
        .terms
        .iter()
        .map(|t| match (&t.nci, t.nci_term()) {
            (Some(code), Some(term)) => {
                format!("**{}** (NCI {term}, {code}): {}", t.label, t.definition)
            }
            (Some(code), None) => format!("**{}** (NCI {}): {}", t.label, code, t.definition),
            _ => format!("**{}**: {}", t.label, t.definition),
        })
        .collect();
    json!({
        "title": v.title,
        "description": v.description,
        "x-trls-vocabulary": v.name,
        "type": "string",
        "enum": ids,
        "enumDescriptions": plain,
        "markdownEnumDescriptions": markdown,
    })
}

/// Follow `$ref` (local `#/$defs/…` only, at most 16 deep): the schema node a
/// value's schema stands for, with the last definition's name (key paths and the
/// editor's schema walk share it).
pub fn deref<'s>(root: &'s Value, v: &'s Value) -> (&'s Value, Option<&'s str>) {
    let mut cur = v;
    let mut def = None;
    for _ in 0..16 {
        let Some(name) = cur
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        else {
            break;
        };
        match root.get("$defs").and_then(|d| d.get(name)) {
            Some(target) => {
                cur = target;
                def = Some(name);
            }
            None => break,
        }
    }
    (cur, def)
}
