//! The word typed in a block value: its spans, with or without quotes, and after a
//! number (`2.5 m`) the unit part only.

use super::lines::closing_quote;
use super::Cursor;
use crate::syntax::Span;

/// Fill the word and spans of a block value starting at `start` on a line ending at
/// `end`, with the cursor at `offset`.
pub(super) fn value_word(text: &str, c: &mut Cursor, start: usize, end: usize, offset: usize) {
    let b = text.as_bytes();
    // Inside quotes (a cursor at the opening quote is before the scalar).
    if start < end && offset > start && (b[start] == b'"' || b[start] == b'\'') {
        let q = b[start];
        let close = closing_quote(&text[..end], start, q);
        c.quote = Some(q as char);
        let inner_end = close.unwrap_or(end);
        c.scalar_span = Span::new(start, close.map_or(end, |i| i + 1));
        let inner = Span::new(start + 1, inner_end);
        let before = &text[inner.start.min(offset)..offset.clamp(inner.start, inner.end)];
        quantity_word(c, before, inner.start, inner, offset);
        return;
    }
    // A plain scalar runs to a comment or the end of the line.
    let line = &text[start..end];
    let stop = line.find(" #").map_or(end, |i| start + i);
    let value_end = start + text[start..stop].trim_end().len();
    let value_end = value_end.max(offset.min(end)).max(start);
    c.scalar_span = Span::new(start, value_end);
    let before = &text[start..offset.clamp(start, value_end)];
    quantity_word(c, before, start, c.scalar_span, offset);
}

/// Split what was typed into a number and the unit word after it, when it has that
/// shape (`2.5 m`); else the whole text is the word.
pub(super) fn quantity_word(
    c: &mut Cursor,
    before: &str,
    start: usize,
    whole: Span,
    offset: usize,
) {
    if let Some((number, unit_at)) = split_number(before) {
        c.number = Some(number.to_string());
        c.word = before[unit_at..].to_string();
        let unit_start = start + unit_at;
        // The unit runs to the next blank.
        let rest_end = whole.end.max(offset);
        c.word_span = Span::new(unit_start, rest_end);
    } else {
        c.word = before.to_string();
        c.word_span = whole;
    }
}

/// `2.5 m` → ("2.5", index of `m`); requires blanks after the number.
pub fn split_number(s: &str) -> Option<(&str, usize)> {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i == digits_start || !b[digits_start..i].iter().any(u8::is_ascii_digit) {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let exp = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp > 0 {
            i = j + exp;
        }
    }
    let num_end = i;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    if i == num_end {
        return None;
    }
    Some((&t[..num_end], lead + i))
}
