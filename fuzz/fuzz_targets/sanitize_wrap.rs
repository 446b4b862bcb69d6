//! Any text → the sanitiser, the detail pane's wrapper and the list's fit/truncate: no control survives, printable text is kept as it was, and no row is wider than asked, as ratatui draws it.
#![no_main]

#[path = "common.rs"]
mod common;

use std::borrow::Cow;

use common::{assert_inert, drawn_columns, grapheme_starts, is_forbidden};
use convo::fuzzing::{clusters, columns, wrap_rows};
use convo::text::{self, Lines};
use libfuzzer_sys::fuzz_target;

/// Every run of text the sanitiser must leave alone appears in `clean`, in order.
fn keeps_printable_runs(raw: &str, clean: &str) {
    let mut at = 0;
    for run in raw
        .split(|c: char| is_forbidden(c))
        .filter(|r| !r.is_empty())
    {
        match clean[at..].find(run) {
            Some(i) => at += i + run.len(),
            None => panic!("{run:?} of {raw:?} is missing from {clean:?}"),
        }
    }
}

/// The wrapper's contract: rows in order, on char boundaries, none wider
/// than its row allows unless it is one cluster, only spaces dropped.
fn check_wrap(text: &str, first: usize, rest: usize) {
    let rows = wrap_rows(text, first, rest);
    assert!(!rows.is_empty(), "no row for {text:?}");
    let mut end = 0;
    let mut kept = String::new();
    for (i, &(s, e)) in rows.iter().enumerate() {
        assert!(
            s >= end && s <= e && e <= text.len(),
            "row {i} {s}..{e} after {end}"
        );
        assert!(
            text[end..s].chars().all(|c| c == ' '),
            "dropped more than spaces: {:?}",
            &text[end..s]
        );
        let row = &text[s..e];
        let avail = if i == 0 { first.max(1) } else { rest.max(1) };
        let width = columns(row);
        // A cluster wider than the row has a row of its own (with any
        // zero-width cluster before it).
        let single = clusters(row).iter().filter(|c| c.2 > 0).count() == 1;
        assert!(
            width <= avail || single,
            "row {row:?} is {width} wide, allowed {avail}"
        );
        // Where convo's clusters are ratatui's graphemes, both must measure
        // alike. (Malformed emoji sequences are cut differently; see
        // fuzz/README.md.)
        let starts: Vec<usize> = clusters(row).iter().map(|c| c.0).collect();
        if starts == grapheme_starts(row) {
            assert_eq!(drawn_columns(row), width, "ratatui draws {row:?} otherwise");
        }
        kept.push_str(row);
        end = e;
    }
    assert!(
        text[end..].chars().all(|c| c == ' '),
        "lost the tail of {text:?}"
    );
    let squeezed = |t: &str| t.chars().filter(|c| *c != ' ').collect::<String>();
    assert_eq!(squeezed(&kept), squeezed(text), "text lost in wrapping");
}

fuzz_target!(|data: &[u8]| {
    let (first, rest, bytes) = match data {
        [a, b, tail @ ..] => (usize::from(*a % 64), usize::from(*b % 64), tail),
        _ => (10, 10, data),
    };
    let raw = String::from_utf8_lossy(bytes);

    let keep = text::sanitize(&raw, Lines::Keep);
    assert_inert(&keep.replace('\n', ""), "sanitize(Keep)");
    let join = text::sanitize(&raw, Lines::Join);
    assert_inert(&join, "sanitize(Join)");
    keeps_printable_runs(&raw, &join);
    if !raw.chars().any(is_forbidden) {
        assert!(
            matches!(join, Cow::Borrowed(_)),
            "printable text was changed"
        );
        assert_eq!(join, raw);
    }

    for line in keep.split('\n') {
        check_wrap(line, first, rest);
    }

    let cut = text::truncate(&join, first);
    assert!(
        text::width(&cut) <= first,
        "truncate({join:?}, {first}) = {cut:?}"
    );
    assert!(
        join.starts_with(cut.trim_end_matches('…')),
        "truncate keeps a prefix"
    );
    let fitted = text::fit(&join, first);
    assert_eq!(
        text::width(&fitted),
        first,
        "fit({join:?}, {first}) = {fitted:?}"
    );
    let starts: Vec<usize> = clusters(&fitted).iter().map(|c| c.0).collect();
    if starts == grapheme_starts(&fitted) {
        assert_eq!(
            drawn_columns(&fitted),
            first,
            "ratatui draws fit({join:?}, {first}) otherwise"
        );
    }
});
