//! The formatter on arbitrary input: it never panics; what it returns parses,
//! holds no syntax error and formats to itself (document and range formatting);
//! its edits give its text; a record it refuses is left alone.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trls::format;
use trls::schema::Schema;
use trls::syntax::edit::apply;
use trls::syntax::{parse, Span, Syntax};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let schema = Schema::builtin();
    for syntax in [Syntax::Yaml, Syntax::Json] {
        let edits = format::document_edits(text, syntax, &schema);
        let Ok(f) = format::format(text, syntax, &schema) else {
            assert!(edits.is_err(), "document edits for a refused record");
            continue;
        };
        let edits = edits.expect("edits where format succeeds");
        assert_eq!(
            apply(text, &edits),
            f.text,
            "the edits do not give the layout"
        );
        if f.changed {
            let p = parse(&f.text, syntax);
            assert!(
                p.errors
                    .iter()
                    .all(|e| matches!(e.kind, trls::syntax::SyntaxErrorKind::DuplicateKey { .. })),
                "the layout does not parse: {:?}\n{}",
                p.errors,
                f.text
            );
        }
        let again = format::format(&f.text, syntax, &schema).expect("the layout formats");
        assert!(
            !again.changed,
            "not idempotent:\n{}\n---\n{}",
            f.text, again.text
        );
        // Range formatting, over a range in the middle: its result parses and
        // formats (as a whole) to the same layout.
        let mid = text.len() / 2;
        let mid = (0..=mid)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        let range = format::range_edits(text, syntax, &schema, Span::empty(mid))
            .expect("range formatting where document formatting works");
        let partial = apply(text, &range);
        let whole =
            format::format(&partial, syntax, &schema).expect("a range-formatted record formats");
        let keep_order =
            format::range_edits(&whole.text, syntax, &schema, Span::new(0, whole.text.len()))
                .expect("range formatting of the layout");
        assert!(
            keep_order.is_empty(),
            "range formatting changes the layout: {keep_order:?}"
        );
    }
});
