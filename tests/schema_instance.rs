//! The schema's verdict on the spanned tree itself (`syntax::instance`) is the
//! verdict on its `serde_json` copy, for every record of the project and for the
//! scalars where the two could part: numbers, floats that are not finite, booleans,
//! nulls, keys that are not scalars.

#[allow(dead_code)] // Only `project_records` is used here.
mod common;

use trls::schema::Schema;
use trls::syntax::instance::{judged_in_place, Tree};
use trls::syntax::{parse, Syntax};

fn verdicts(text: &str, syntax: Syntax, schema: &Schema) -> Option<(bool, bool)> {
    let parsed = parse(text, syntax);
    let root = parsed.root.as_ref()?;
    if !judged_in_place(&parsed) {
        return None;
    }
    let in_place = schema.validator_for::<Tree>().unwrap().is_valid(root);
    let copied = schema.validator().unwrap().is_valid(&root.to_json());
    Some((in_place, copied))
}

#[test]
fn every_record_of_the_project_gets_the_same_verdict_in_place() {
    let files = common::project_records();
    let schema = Schema::builtin();
    let (mut valid, mut invalid, mut differ) = (0, 0, Vec::new());
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let Some((in_place, copied)) = verdicts(&text, Syntax::from_path(f), &schema) else {
            continue;
        };
        if in_place != copied {
            differ.push(format!(
                "{}: in place {in_place}, copied {copied}",
                f.display()
            ));
        }
        if copied {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // Both verdicts occur often enough for the comparison to mean something.
    assert!(
        valid > 30 && invalid > 30,
        "{valid} valid, {invalid} invalid"
    );
}

#[test]
fn scalars_are_read_alike_in_place_and_copied() {
    let schema = Schema::builtin();
    // A valid observational record (tests/fixtures/TRF010) without its enrollment.
    let head = "trf: 1\nid: NCT06853522\ntitle: T\nstatus: NOT_YET_RECRUITING\n\
                study_type: OBSERVATIONAL\nconditions: [Ulcerative Colitis]\n\
                dates: {start: 2025-05-30}\n\
                sources:\n  - {id: ctgov, kind: REGISTRY, registry_id: NCT06853522}\n";
    let cases = [
        "enrollment: {count: 20, type: ACTUAL}\n",
        "enrollment: {count: 20.5, type: ACTUAL}\n",
        "enrollment: {count: 20.0, type: ACTUAL}\n",
        "enrollment: {count: -3, type: ACTUAL}\n",
        "enrollment: {count: .inf, type: ACTUAL}\n",
        "enrollment: {count: .nan, type: ACTUAL}\n",
        "enrollment: {count: '20', type: ACTUAL}\n",
        "enrollment: {count: 1e400, type: ACTUAL}\n",
        "enrollment: {count: 9223372036854775808, type: ACTUAL}\n",
        "acronym: 2024\n",
        "acronym: true\n",
        "acronym: null\n",
        "acronym: ~\n",
        "acronym: .inf\n",
        "acronym:\n",
        "keywords: [a, 1, true]\n",
        "keywords: []\n",
        "? [a, b]\n: c\n",
        "design: {}\n",
        "product: {gmp: yes}\n",
        "product: {gmp: false}\n",
    ];
    let mut both = [0, 0];
    for case in cases {
        let text = format!("{head}{case}");
        if let Some((in_place, copied)) = verdicts(&text, Syntax::Yaml, &schema) {
            assert_eq!(in_place, copied, "{case}");
            both[usize::from(copied)] += 1;
        }
    }
    assert!(both[0] > 5 && both[1] >= 3, "{both:?}");
    // JSON numbers too.
    for json in [
        r#"{"trf": 1, "id": "NCT06853522", "title": "T", "status": "NOT_YET_RECRUITING", "study_type": "OBSERVATIONAL", "conditions": ["UC"], "dates": {"start": "2025-05-30"}, "enrollment": {"count": 2e1, "type": "ACTUAL"}, "sources": [{"id": "ctgov", "kind": "REGISTRY", "registry_id": "NCT06853522"}]}"#,
        r#"{"trf": 1.0, "id": "NCT06853522", "title": "T", "status": "NOT_YET_RECRUITING", "study_type": "OBSERVATIONAL", "conditions": ["UC"], "dates": {"start": "2025-05-30"}, "enrollment": {"count": 40, "type": "ACTUAL"}, "sources": [{"id": "ctgov", "kind": "REGISTRY", "registry_id": "NCT06853522"}]}"#,
    ] {
        let (in_place, copied) = verdicts(json, Syntax::Json, &schema).unwrap();
        assert_eq!(in_place, copied, "{json}");
    }
}

#[test]
fn a_schema_with_extra_terms_compiles_for_both_representations() {
    let mut extra = trls::schema::ExtraTerms::new();
    extra.insert(
        "routes".to_string(),
        vec![("NEW ROUTE, \"odd\" [x]".to_string(), "label".to_string())],
    );
    let schema = Schema::build(&extra).unwrap();
    assert!(schema.validator().is_some());
    assert!(schema.validator_for::<Tree>().is_some());
}
