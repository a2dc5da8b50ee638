//! Key paths (format.md `KeyPath`): dotted paths of mapping keys from the top of a
//! record, through no list. Which paths exist is read from the schema itself — its
//! `properties`, through `$ref`, object by object, never into a list's items — so
//! every key the schema gains is a key path at once. `not_stated`, discrepancies,
//! TRF010, TRF016, completion and hover all ask this table.

use super::deref;
use std::collections::{HashMap, HashSet};

use serde_json::Value;

/// One key path the format has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPathInfo {
    /// Dotted (`dates.start`).
    pub path: String,
    /// The schema's description where the key is declared, else its definition's.
    pub description: Option<String>,
    /// Required in its mapping whenever the mapping is there.
    pub required: bool,
    /// Required in its mapping under a condition of the schema (`phases` when the
    /// study is interventional).
    pub conditional: bool,
    /// Its value is a list (a key path may end at one, never go through one).
    pub list: bool,
}

impl KeyPathInfo {
    /// The last key (`start` of `dates.start`).
    pub fn key(&self) -> &str {
        self.path.rsplit('.').next().unwrap_or(&self.path)
    }

    /// The path of the mapping that holds the key (`""` at top level).
    pub fn parent(&self) -> &str {
        self.path.rfind('.').map_or("", |i| &self.path[..i])
    }
}

/// What a written key path is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution<'k> {
    /// A key path of the format.
    Valid(&'k KeyPathInfo),
    /// It goes through a list (`arms.size` through `arms`).
    ThroughList {
        /// The list it goes through (`arms`).
        list: String,
        /// The path as it would be spelt, where some key was misspelt.
        spelt: Option<String>,
    },
    /// Some key does not exist there.
    Unknown {
        /// The first key (by position) the format does not have there.
        key: String,
        /// The mapping it was looked up in (`""` at top level).
        parent: String,
        /// Every key corrected within edit distance 2, if that gives a key path.
        suggestion: Option<String>,
    },
}

/// Every key path of a schema.
#[derive(Clone, Debug, Default)]
pub struct KeyPaths {
    /// Depth first, in the schema's order of keys.
    entries: Vec<KeyPathInfo>,
    by_path: HashMap<String, usize>,
    /// Per mapping path (`""` for the top level), its keys in order.
    children: HashMap<String, Vec<usize>>,
}

/// Deepest nesting walked (the format nests four levels; a recursive schema stops).
const MAX_DEPTH: usize = 12;

impl KeyPaths {
    /// Walk a merged schema (with `$defs`).
    pub fn build(schema: &Value) -> KeyPaths {
        let mut out = KeyPaths::default();
        let mut stack = HashSet::new();
        out.walk(schema, schema, "", &mut stack, 0);
        out
    }

    fn walk<'s>(
        &mut self,
        root: &'s Value,
        node: &'s Value,
        prefix: &str,
        stack: &mut HashSet<&'s str>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(props) = node.get("properties").and_then(Value::as_object) else {
            return;
        };
        let names = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|k| k.as_str().map(String::from))
                .collect()
        };
        let required = names(node.get("required"));
        let mut conditional = Vec::new();
        for branch in node
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for k in ["then", "else"] {
                conditional.extend(names(branch.get(k).and_then(|b| b.get("required"))));
            }
        }
        for (key, raw) in props {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            let (target, def) = deref(root, raw);
            let description = raw
                .get("description")
                .or_else(|| target.get("description"))
                .and_then(Value::as_str)
                .map(String::from);
            let list = target.get("type").and_then(Value::as_str) == Some("array");
            let i = self.entries.len();
            self.entries.push(KeyPathInfo {
                path: path.clone(),
                description,
                required: required.contains(key),
                conditional: !required.contains(key) && conditional.contains(key),
                list,
            });
            self.by_path.insert(path.clone(), i);
            self.children.entry(prefix.to_string()).or_default().push(i);
            if list {
                continue;
            }
            if let Some(d) = def {
                if !stack.insert(d) {
                    continue;
                }
                self.walk(root, target, &path, stack, depth + 1);
                stack.remove(d);
            } else {
                self.walk(root, target, &path, stack, depth + 1);
            }
        }
    }

    /// Every key path, depth first in the schema's order.
    pub fn all(&self) -> &[KeyPathInfo] {
        &self.entries
    }

    pub fn get(&self, path: &str) -> Option<&KeyPathInfo> {
        self.by_path.get(path).map(|&i| &self.entries[i])
    }

    /// The keys of the mapping at `parent` (`""` for the top level).
    pub fn children<'k>(&'k self, parent: &str) -> impl Iterator<Item = &'k KeyPathInfo> + 'k {
        self.children
            .get(parent)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// What a written path is: valid, through a list, or unknown (with the path
    /// spelt right where every key is within edit distance 2 of one that exists).
    pub fn resolve(&self, written: &str) -> Resolution<'_> {
        let mut parent = String::new();
        let mut corrected = String::new();
        let mut unknown: Option<(String, String)> = None;
        let mut through: Option<String> = None;
        let segments: Vec<&str> = written.split('.').collect();
        for (n, seg) in segments.iter().enumerate() {
            if let Some(list) = &through {
                // Past a list: nothing more can be a key path.
                return Resolution::ThroughList {
                    list: list.clone(),
                    spelt: (corrected_differs(written, &corrected, &segments[n..]))
                        .then(|| join(&corrected, &segments[n..])),
                };
            }
            let exact = if parent.is_empty() {
                seg.to_string()
            } else {
                format!("{parent}.{seg}")
            };
            let found = match self.get(&exact) {
                Some(info) => Some(info),
                None => {
                    if unknown.is_none() {
                        unknown = Some((seg.to_string(), parent.clone()));
                    }
                    nearest(seg, self.children(&parent))
                }
            };
            let Some(info) = found else {
                let (key, parent) = unknown.unwrap_or_default();
                return Resolution::Unknown {
                    key,
                    parent,
                    suggestion: None,
                };
            };
            corrected = info.path.clone();
            parent = info.path.clone();
            if info.list && n + 1 < segments.len() {
                through = Some(info.path.clone());
            }
        }
        if let Some(list) = through {
            return Resolution::ThroughList { list, spelt: None };
        }
        match unknown {
            Some((key, parent)) => Resolution::Unknown {
                key,
                parent,
                suggestion: Some(corrected),
            },
            None => match self.get(&corrected) {
                Some(info) => Resolution::Valid(info),
                None => Resolution::Unknown {
                    key: written.to_string(),
                    parent: String::new(),
                    suggestion: None,
                },
            },
        }
    }
}

fn join(head: &str, rest: &[&str]) -> String {
    let mut s = head.to_string();
    for r in rest {
        s.push('.');
        s.push_str(r);
    }
    s
}

fn corrected_differs(written: &str, corrected: &str, rest: &[&str]) -> bool {
    join(corrected, rest) != written
}

/// The key nearest to `seg` within edit distance 2 (the first of equally near).
fn nearest<'k>(seg: &str, keys: impl Iterator<Item = &'k KeyPathInfo>) -> Option<&'k KeyPathInfo> {
    if seg.len() <= 2 || seg.len() > 64 {
        return None;
    }
    let lower = seg.to_ascii_lowercase().replace('-', "_");
    let mut best: Option<(usize, &KeyPathInfo)> = None;
    for k in keys {
        let name = k.key();
        if name.len().abs_diff(seg.len()) > 2 {
            continue;
        }
        let d = if name == lower {
            0
        } else {
            strsim::levenshtein(&lower, name)
        };
        if d <= 2 && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn paths() -> KeyPaths {
        KeyPaths::build(Schema::builtin().json())
    }

    #[test]
    fn paths_are_read_from_the_schema_through_objects_never_lists() {
        let k = paths();
        let info = k.get("dates.start").unwrap();
        assert!(info.required);
        assert_eq!(info.parent(), "dates");
        assert_eq!(info.key(), "start");
        assert!(k.get("enrollment").unwrap().required);
        assert!(k.get("product").unwrap().conditional);
        assert!(!k.get("product").unwrap().required);
        assert!(k.get("product.cell_source").is_some());
        assert!(k.get("eligibility.min_age").is_some());
        // A Quantity's `{value, unit}` form is a branch, not a key of the format.
        assert!(k.get("eligibility.min_age.value").is_none());
        assert!(k.get("arms").unwrap().list);
        assert!(k.get("arms.size").is_none());
        assert!(k.get("not_stated").is_some());
        assert!(k.get("discrepancies.about").is_none());
        let top: Vec<&str> = k.children("").map(KeyPathInfo::key).collect();
        assert_eq!(top.first(), Some(&"trf"));
        assert!(top.contains(&"sources"));
    }

    #[test]
    fn written_paths_resolve_with_suggestions_per_segment() {
        let k = paths();
        assert!(
            matches!(k.resolve("dates.start"), Resolution::Valid(i) if i.path == "dates.start")
        );
        assert_eq!(
            k.resolve("dates.strat"),
            Resolution::Unknown {
                key: "strat".into(),
                parent: "dates".into(),
                suggestion: Some("dates.start".into())
            }
        );
        assert_eq!(
            k.resolve("enrolment.cuont"),
            Resolution::Unknown {
                key: "enrolment".into(),
                parent: "".into(),
                suggestion: Some("enrollment.count".into())
            }
        );
        assert_eq!(
            k.resolve("arms.size"),
            Resolution::ThroughList {
                list: "arms".into(),
                spelt: None
            }
        );
        assert_eq!(
            k.resolve("arm.size"),
            Resolution::ThroughList {
                list: "arms".into(),
                spelt: Some("arms.size".into())
            }
        );
        assert!(matches!(
            k.resolve("dates.start.day"),
            Resolution::Unknown {
                suggestion: None,
                ..
            }
        ));
        assert!(matches!(
            k.resolve("zzzzzz"),
            Resolution::Unknown {
                suggestion: None,
                ..
            }
        ));
        assert!(matches!(k.resolve(""), Resolution::Unknown { .. }));
        assert!(matches!(
            k.resolve("dates..start"),
            Resolution::Unknown { .. }
        ));
    }
}
