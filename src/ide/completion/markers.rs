//! Markers (`markers_*`, `ev_markers_*` lists): the known markers of the open
//! `Marker` vocabulary, with their class as the detail, the classes the list asks
//! for first (ISCT positive markers in `markers_positive`, transmembrane and
//! cytosolic ones in `ev_markers_positive`, ...). A marker already listed, in any
//! spelling, is not offered again.

use super::{Candidate, Ctx};
use crate::ide::context::Seg;
use crate::ide::ItemKind;
use crate::schema::{marker_key, Vocabulary};

use super::values::term_documentation;

/// The classes each list asks for, in the order they are offered.
fn wanted(list: &str) -> &'static [&'static str] {
    match list {
        "markers_positive" => &["ISCT_POSITIVE"],
        "markers_negative" => &["ISCT_NEGATIVE"],
        "ev_markers_positive" => &["TRANSMEMBRANE", "CYTOSOLIC"],
        "ev_markers_negative" => &["NON_EV"],
        _ => &[],
    }
}

pub(super) fn marker_candidates(c: &Ctx, path: &[Seg], v: &Vocabulary) -> Vec<Candidate> {
    let list = match path {
        [.., Seg::Key(k), Seg::Item] => k.as_str(),
        _ => "",
    };
    let wanted = wanted(list);
    let listed: Vec<String> = c
        .cur
        .items
        .iter()
        .map(|i| {
            v.marker(i)
                .map_or_else(|| marker_key(i), |t| marker_key(&t.id))
        })
        .collect();
    let mut out = Vec::new();
    for (i, t) in v.terms.iter().enumerate() {
        if listed.contains(&marker_key(&t.id)) {
            continue;
        }
        let class = t.class();
        let rank = class
            .and_then(|k| wanted.iter().position(|w| *w == k))
            .unwrap_or(wanted.len());
        out.push(Candidate {
            label: t.id.clone(),
            kind: ItemKind::Term,
            name: super::readable(&t.id, &t.label),
            detail: class.and_then(|k| v.class_label(k)).map(String::from),
            documentation: Some(term_documentation(v, t)),
            value: t.id.clone(),
            sort: format!("{rank}{i:03}"),
            literal: false,
        });
    }
    out
}
