//! Reporting completeness of the product characterization (TRF400–TRF403): what a
//! record's `product.characterization` leaves out against the minimal criteria the
//! field reports by (ISCT 2006 for MSCs, MISEV2018/2023 for extracellular vesicles),
//! and where it contradicts itself or its product.
//!
//! Markers are compared by [`marker_key`] (case, `-`, spaces and Greek letters
//! ignored) of the known marker they name (an alias such as `endoglin` is `CD105`),
//! else of the name as written; the known markers and their classes are the open
//! `Marker` vocabulary of `schema/vocabularies.json`. Every check is one pass over the
//! characterization's lists (markers by key in a hash map).
//!
//! `not_stated: [product.characterization]` silences TRF400 and TRF401 (the sources
//! never characterised the product); `product.characterization.<key>` silences the
//! items of that key only.

use std::collections::{HashMap, HashSet};

use super::Context;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::schema::{marker_key, Term, Vocabulary};
use crate::syntax::{Entry, Node, ScalarKind, Span};
use crate::units;
use crate::units::quantity::{self, Read};

/// The key path that says the sources never characterised the product.
const PATH: &str = "product.characterization";

/// The keys that describe vesicles, not cells (TRF402 on a `CELLS` product).
const VESICLE_KEYS: [&str; 5] = [
    "isolation",
    "particle_size",
    "single_vesicle",
    "ev_markers_positive",
    "ev_markers_negative",
];

/// MISEV2023: small EVs are under 200 nm.
const SMALL_EV_NM: f64 = 200.0;

pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(product) = cx.root.entry("product") else {
        return out;
    };
    if product.value.as_map().is_none() {
        return out;
    }
    let modality = product.value.get("modality");
    let Some(modality_text) = modality.and_then(Node::text).map(str::trim) else {
        return out;
    };
    let entry = product.value.entry("characterization");
    // A characterization that is not a mapping is the schema's finding; an empty
    // value (`characterization:`) states nothing.
    let ch = match entry.map(|e| &e.value) {
        Some(v) if v.as_map().is_some() => Some(v),
        Some(v) if v.as_scalar().is_some_and(|s| s.kind == ScalarKind::Null) => None,
        Some(_) => return out,
        None => None,
    };
    let cx = Chara {
        ch,
        anchor: entry.map_or(product.key.span, |e| e.key.span),
        markers: cx.schema().vocabulary("Marker"),
        unstated: NotStated::read(cx.root),
    };
    match modality_text {
        "CELLS" => {
            cx.isct(&mut out);
            if let Some(modality) = modality {
                cx.vesicle_keys_on_cells(modality, &mut out);
            }
        }
        "EXOSOMES" | "SECRETOME" => {
            cx.misev(&mut out);
            if modality_text == "EXOSOMES" {
                cx.particle_size(&mut out);
            }
        }
        _ => {}
    }
    cx.contradictions(&mut out);
    out
}

/// What `not_stated` says of the characterization.
struct NotStated {
    /// `product.characterization` itself.
    all: bool,
    /// `product.characterization.<key>` items: their keys.
    keys: Vec<String>,
}

impl NotStated {
    fn read(root: &Node) -> NotStated {
        let mut all = false;
        let mut keys = Vec::new();
        for item in root.get("not_stated").and_then(Node::as_seq).unwrap_or(&[]) {
            let Some(path) = item.text().map(str::trim) else {
                continue;
            };
            if path == PATH {
                all = true;
            } else if let Some(key) = path.strip_prefix(PATH).and_then(|k| k.strip_prefix('.')) {
                keys.push(key.to_string());
            }
        }
        NotStated { all, keys }
    }
    fn silences(&self, key: &str) -> bool {
        self.all || self.keys.iter().any(|k| k == key)
    }
}

/// A marker as listed.
struct Listed<'n> {
    node: &'n Node,
    name: &'n str,
    /// What it is compared by: the key of the known marker it names, else its own.
    key: String,
    /// The class of the known marker (`TRANSMEMBRANE`, `ISCT_POSITIVE`).
    class: Option<&'n str>,
}

struct Chara<'a> {
    ch: Option<&'a Node>,
    /// `characterization`, or `product` when there is none.
    anchor: Span,
    markers: Option<&'a Vocabulary>,
    unstated: NotStated,
}

impl<'a> Chara<'a> {
    fn entry(&self, key: &str) -> Option<&'a Entry> {
        self.ch.and_then(|c| c.entry(key))
    }

    fn items(&self, key: &str) -> &'a [Node] {
        self.ch
            .and_then(|c| c.get(key))
            .and_then(Node::as_seq)
            .unwrap_or(&[])
    }

    /// The distinct non-empty texts of a list of terms.
    fn terms(&self, key: &str) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for t in self.items(key).iter().filter_map(Node::text).map(str::trim) {
            if !t.is_empty() && !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    fn listed(&self, key: &str) -> Vec<Listed<'a>> {
        self.items(key)
            .iter()
            .filter_map(|node| {
                let name = node.text()?.trim();
                let known: Option<&'a Term> = self.markers.and_then(|v| v.marker(name));
                let key = known.map_or_else(|| marker_key(name), |t| marker_key(&t.id));
                (!key.is_empty()).then(|| Listed {
                    node,
                    name,
                    key,
                    class: known.and_then(Term::class),
                })
            })
            .collect()
    }

    /// TRF400: the ISCT minimal criteria for MSCs.
    fn isct(&self, out: &mut Vec<Diagnostic>) {
        if self.unstated.all {
            return;
        }
        let mut missing: Vec<String> = Vec::new();
        let groups: [(&str, &[&[&str]]); 2] = [
            ("markers_positive", &[&["CD73"], &["CD90"], &["CD105"]]),
            (
                "markers_negative",
                &[
                    &["CD34"],
                    &["CD45"],
                    &["HLA-DR"],
                    &["CD14", "CD11b"],
                    &["CD79a", "CD19"],
                ],
            ),
        ];
        for (key, wanted) in groups {
            if self.unstated.silences(key) {
                continue;
            }
            let keys: HashSet<String> = self.listed(key).into_iter().map(|m| m.key).collect();
            let lacking: Vec<String> = wanted
                .iter()
                .filter(|any_of| !any_of.iter().any(|m| keys.contains(&marker_key(m))))
                .map(|any_of| match any_of {
                    [one, rest @ ..] if !rest.is_empty() => {
                        format!("{one} (or {})", rest.join(" or "))
                    }
                    _ => any_of.join(""),
                })
                .collect();
            if !lacking.is_empty() {
                missing.push(format!("{} among `{key}`", and_list(&lacking)));
            }
        }
        if !self.unstated.silences("differentiation") {
            let shown = self.terms("differentiation");
            let lacking: Vec<String> = ["OSTEOGENIC", "ADIPOGENIC", "CHONDROGENIC"]
                .iter()
                .filter(|l| !shown.contains(l))
                .map(|l| format!("`{l}`"))
                .collect();
            if !lacking.is_empty() {
                missing.push(format!("{} in `differentiation`", and_list(&lacking)));
            }
        }
        if missing.is_empty() {
            return;
        }
        out.push(Diagnostic::new(
            Code::IsctCriteria,
            self.anchor,
            format!(
                "{}the ISCT minimal criteria for MSCs are not shown: {}{}",
                self.none_prefix("CELLS"),
                missing.join("; "),
                self.none_suffix()
            ),
        ));
    }

    /// TRF401: the MISEV items for extracellular vesicles.
    fn misev(&self, out: &mut Vec<Diagnostic>) {
        if self.unstated.all {
            return;
        }
        let mut missing: Vec<String> = Vec::new();
        if !self.unstated.silences("isolation") && self.terms("isolation").is_empty() {
            missing.push("an `isolation` method".into());
        }
        if !self.unstated.silences("quantification") {
            match self.terms("quantification").len() {
                0 => missing.push("two or more `quantification` methods".into()),
                1 => missing.push("a second `quantification` method".into()),
                _ => {}
            }
        }
        let classes: [(&str, &str, &str); 3] = [
            (
                "ev_markers_positive",
                "TRANSMEMBRANE",
                "a transmembrane or GPI-anchored marker",
            ),
            ("ev_markers_positive", "CYTOSOLIC", "a cytosolic marker"),
            ("ev_markers_negative", "NON_EV", "a non-EV co-isolate"),
        ];
        for (key, class, what) in classes {
            if self.unstated.silences(key) {
                continue;
            }
            if !self.listed(key).iter().any(|m| m.class == Some(class)) {
                missing.push(format!("{what} ({}) among `{key}`", self.examples(class)));
            }
        }
        if !self.unstated.silences("single_vesicle") && self.terms("single_vesicle").is_empty() {
            missing.push("a `single_vesicle` method".into());
        }
        if missing.is_empty() {
            return;
        }
        out.push(Diagnostic::new(
            Code::MisevItems,
            self.anchor,
            format!(
                "{}the MISEV items for extracellular vesicles are not shown: {}{}",
                self.none_prefix("vesicle"),
                missing.join("; "),
                self.none_suffix()
            ),
        ));
    }

    /// The known markers of a class, for a message: `CD9, CD63, CD81, …`.
    fn examples(&self, class: &str) -> String {
        let mut names: Vec<&str> = self
            .markers
            .into_iter()
            .flat_map(|v| &v.terms)
            .filter(|t| t.class() == Some(class))
            .map(|t| t.id.as_str())
            .take(3)
            .collect();
        names.push("…");
        names.join(", ")
    }

    fn none_prefix(&self, what: &str) -> String {
        if self.ch.is_some() {
            String::new()
        } else if what == "CELLS" {
            "the `CELLS` product has no `characterization`, so ".into()
        } else {
            "the product has no `characterization`, so ".into()
        }
    }

    fn none_suffix(&self) -> String {
        if self.ch.is_some() {
            String::new()
        } else {
            format!(
                "; record what the sources state, or `not_stated: [{PATH}]` if they never \
                 characterised the product"
            )
        }
    }

    /// TRF402: vesicle keys on a `CELLS` product.
    fn vesicle_keys_on_cells(&self, modality: &Node, out: &mut Vec<Diagnostic>) {
        for key in VESICLE_KEYS {
            if let Some(e) = self.entry(key) {
                out.push(
                    Diagnostic::new(
                        Code::CharacterizationContradiction,
                        e.key.span,
                        format!(
                            "`{key}` describes extracellular vesicles, but the product is `CELLS`; \
                             remove it, or correct `modality` if vesicles are given"
                        ),
                    )
                    .with_related(modality.span, "the product's `modality` is `CELLS`"),
                );
            }
        }
    }

    /// TRF402: one marker both positive and negative (of the cells, or of the
    /// vesicles), on the later of the two.
    fn contradictions(&self, out: &mut Vec<Diagnostic>) {
        for (pos_key, neg_key) in [
            ("markers_positive", "markers_negative"),
            ("ev_markers_positive", "ev_markers_negative"),
        ] {
            let mut all: Vec<(bool, Listed)> = self
                .listed(pos_key)
                .into_iter()
                .map(|m| (true, m))
                .chain(self.listed(neg_key).into_iter().map(|m| (false, m)))
                .collect();
            all.sort_by_key(|(_, m)| m.node.span.start);
            let mut first: [HashMap<String, &Listed>; 2] = [HashMap::new(), HashMap::new()];
            for (positive, m) in &all {
                let (mine, other) = if *positive { (0, 1) } else { (1, 0) };
                let (here, there) = if *positive {
                    (pos_key, neg_key)
                } else {
                    (neg_key, pos_key)
                };
                if let Some(f) = first[other].get(&m.key) {
                    let same = if f.name == m.name {
                        String::new()
                    } else {
                        format!(" (as `{}`)", f.name)
                    };
                    out.push(
                        Diagnostic::new(
                            Code::CharacterizationContradiction,
                            m.node.span,
                            format!(
                                "`{}` is in `{here}`, but also in `{there}`{same}; a marker is \
                                 either shown or shown absent: keep the one the sources state",
                                m.name
                            ),
                        )
                        .with_related(f.node.span, format!("`{}` is in `{there}` here", f.name)),
                    );
                }
                first[mine].entry(m.key.clone()).or_insert(m);
            }
        }
    }

    /// TRF403: an `EXOSOMES` product with vesicles above 200 nm.
    fn particle_size(&self, out: &mut Vec<Diagnostic>) {
        let Some(range) = self.ch.and_then(|c| c.get("particle_size")) else {
            return;
        };
        let bound = |k: &str| -> Option<(&'a Entry, f64, String)> {
            let e = range.entry(k)?;
            let Read::Quantity(q) = quantity::read(&e.value) else {
                return None;
            };
            let nm = units::convert(q.value, &q.unit, "nm", None)?;
            let shown = if q.unit == "nm" {
                q.display()
            } else {
                format!("{} ({} nm)", q.display(), units::format_decimals(nm, 1))
            };
            Some((e, nm, shown))
        };
        // The upper bound, else a lower bound already above the limit.
        let Some((e, nm, shown)) = bound("max").or_else(|| bound("min")) else {
            return;
        };
        if nm <= SMALL_EV_NM || !nm.is_finite() {
            return;
        }
        let span = if e.value.as_scalar().is_some() {
            e.value.span
        } else {
            e.key.span
        };
        out.push(Diagnostic::new(
            Code::VesiclesTooLarge,
            span,
            format!(
                "`particle_size` reaches {shown}, above 200 nm: MISEV2023 counts only vesicles \
                 under 200 nm as small EVs, and calls a product \"exosomes\" only with evidence \
                 of endosomal origin"
            ),
        ));
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::LocalIndex;
    use crate::syntax::{self, Syntax};

    fn codes(yaml: &str) -> Vec<(Code, String)> {
        let parsed = syntax::parse(yaml, Syntax::Yaml);
        let root = parsed.root.expect("parses");
        let config = Config::default();
        let index = LocalIndex::build(&root);
        let cx = Context {
            text: yaml,
            syntax: Syntax::Yaml,
            root: &root,
            path: None,
            config: &config,
            index: &index,
        };
        check(&cx)
            .into_iter()
            .map(|d| (d.code, d.message))
            .collect()
    }

    const ISCT: &str = "product:\n  modality: CELLS\n  cell_source: BONE_MARROW\n  \
        characterization:\n    markers_positive: [cd 73, Thy-1, CD-105]\n    \
        markers_negative: [CD34, CD45, HLA DR, CD11B, CD79α]\n    \
        differentiation: [OSTEOGENIC, ADIPOGENIC, CHONDROGENIC]\n";

    #[test]
    fn isct_markers_match_by_key_and_alias() {
        assert_eq!(codes(ISCT), vec![]);
        let partial = ISCT.replace("CD79α", "CD80").replace("Thy-1", "CD44");
        let found = codes(&partial);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Code::IsctCriteria);
        assert!(
            found[0].1.contains("CD90 among `markers_positive`"),
            "{}",
            found[0].1
        );
        assert!(found[0]
            .1
            .contains("CD79a (or CD19) among `markers_negative`"));
        assert!(!found[0].1.contains("CD73"));
    }

    #[test]
    fn not_stated_silences_the_completeness_rules() {
        let bare = "product: {modality: EXOSOMES, cell_source: UMBILICAL_CORD}\n";
        assert_eq!(codes(bare).len(), 1);
        assert_eq!(codes(bare)[0].0, Code::MisevItems);
        let silenced = format!("{bare}not_stated: [product.characterization]\n");
        assert_eq!(codes(&silenced), vec![]);
        let cells = "product: {modality: CELLS, cell_source: UMBILICAL_CORD}\n\
                     not_stated: [product.characterization]\n";
        assert_eq!(codes(cells), vec![]);
        // One key not stated: only that key's items are left out of the message.
        let one = format!("{bare}not_stated: [product.characterization.isolation]\n");
        let found = codes(&one);
        assert_eq!(found.len(), 1);
        assert!(!found[0].1.contains("`isolation`"), "{}", found[0].1);
        assert!(found[0].1.contains("`single_vesicle`"), "{}", found[0].1);
    }

    #[test]
    fn contradictions_compare_cells_and_vesicles_apart() {
        let yaml = "product:\n  modality: EXOSOMES\n  cell_source: UMBILICAL_CORD\n  \
            characterization:\n    markers_positive: [calnexin]\n    \
            ev_markers_positive: [CD63, TSG101, endoglin]\n    ev_markers_negative: [CANX, CD105]\n";
        let found: Vec<_> = codes(yaml)
            .into_iter()
            .filter(|(c, _)| *c == Code::CharacterizationContradiction)
            .collect();
        // calnexin in the cells and absent from the vesicles is no contradiction; endoglin
        // and CD105 are one marker.
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0]
            .1
            .starts_with("`CD105` is in `ev_markers_negative`"));
        assert!(found[0].1.contains("(as `endoglin`)"));
    }

    #[test]
    fn particle_size_converts_units() {
        let exo = |size: &str| {
            format!(
                "product:\n  modality: EXOSOMES\n  cell_source: UMBILICAL_CORD\n  \
                 characterization: {{particle_size: {size}}}\n"
            )
        };
        let large = |size: &str| {
            codes(&exo(size))
                .iter()
                .any(|(c, _)| *c == Code::VesiclesTooLarge)
        };
        assert!(!large("{min: 30 nm, max: 150 nm}"));
        assert!(!large("{min: 30 nm, max: 200 nm}"));
        assert!(large("{min: 30 nm, max: 0.25 um}"));
        assert!(large("{min: 220 nm}"));
        assert!(!large("{max: 250 mg}"));
        assert!(!large("[30 nm]"));
    }

    #[test]
    fn lists_read_as_prose() {
        let s = |v: &[&str]| and_list(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["a"]), "a");
        assert_eq!(s(&["a", "b"]), "a and b");
        assert_eq!(s(&["a", "b", "c"]), "a, b and c");
    }
}
