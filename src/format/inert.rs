//! Untrusted text made inert for a Markdown file: no raw HTML and no link that runs code wherever the file is rendered, code spans and blocks kept byte for byte.
//!
//! Message content is light Markdown and is kept as written, except that every
//! `<` outside code becomes `&lt;` (no tag, no comment, no autolink that is not
//! plain `http(s)`/`mailto`), and a link, image or link definition whose
//! destination is not `http`, `https`, `mailto`, `tel` or relative has its
//! brackets escaped, so it shows as the text it was. The destination is judged
//! as a renderer sees it: pulldown-cmark decodes entities and backslash
//! escapes, and tabs, newlines and case are ignored as a browser ignores them.
//! Since escaping one construct can change how its neighbours parse, the text
//! is parsed again after each rewrite until nothing is left to escape. A
//! brace right after a code span is escaped too: pandoc reads `` `x`{=html} ``
//! as raw HTML.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

/// Rewrites tried before every bracket and angle bracket is escaped outright.
const MAX_PASSES: usize = 8;

/// Schemes a rendered link may keep.
const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// One line of plain text (a name, a comment, a file name) for Markdown: every
/// character that could start markup, HTML or a table cell is escaped, so it
/// renders as written.
#[must_use]
pub fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Light Markdown kept as written, made inert (see the module's comment).
#[must_use]
pub fn markdown(source: &str) -> String {
    let mut current = source.to_owned();
    for _ in 0..MAX_PASSES {
        match rewrite(&current) {
            Some(next) => current = next,
            None => return current,
        }
    }
    escape_everything(&current)
}

/// Whether a link's destination (as the parser decoded it) is safe to follow.
#[must_use]
pub fn is_safe_destination(dest: &str) -> bool {
    // A browser drops tabs and newlines anywhere and controls and spaces at
    // the ends; dropping every one of them can only make more look unsafe.
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return true;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // Without a scheme (a `:` after a `/`, `?` or `#`), the link is relative.
    !is_scheme || SAFE_SCHEMES.contains(&scheme)
}

/// The two ways a renderer may read the text: footnotes change what a
/// `[^label]: …` line is, so both readings are checked.
fn readings() -> [Options; 2] {
    let common = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    [common, common | Options::ENABLE_FOOTNOTES]
}

/// Byte ranges, sorted and merged, to ask quickly whether one holds a byte.
struct Spans(Vec<Range<usize>>);

impl Spans {
    fn new(mut ranges: Vec<Range<usize>>) -> Self {
        ranges.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Self(merged)
    }

    fn contains(&self, at: usize) -> bool {
        let after = self.0.partition_point(|r| r.start <= at);
        after > 0 && self.0[after - 1].contains(&at)
    }
}

/// One pass: the text with everything found escaped, or `None` when it is inert.
fn rewrite(source: &str) -> Option<String> {
    let mut escape: Vec<usize> = readings()
        .into_iter()
        .flat_map(|options| find(source, options))
        .collect();
    if escape.is_empty() {
        return None;
    }
    escape.sort_unstable();
    escape.dedup();
    let mut out = String::with_capacity(source.len() + escape.len() * 4);
    let mut from = 0;
    for at in escape {
        out.push_str(&source[from..at]);
        out.push_str(match source.as_bytes()[at] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'[' => "\\[",
            b'{' => "\\{",
            _ => "\\]",
        });
        from = at + 1;
    }
    out.push_str(&source[from..]);
    Some(out)
}

/// The bytes to escape in one reading of `source`.
fn find(source: &str, options: Options) -> Vec<usize> {
    let mut code = Vec::new();
    let mut after_code = Vec::new();
    let mut html = Vec::new();
    let mut kept_links = Vec::new();
    let mut unsafe_links = Vec::new();
    let mut events = Parser::new_ext(source, options).into_offset_iter();
    for (event, range) in events.by_ref() {
        match event {
            Event::Code(_) => {
                // `` `<b>`{=html} `` is raw HTML to pandoc: the brace goes.
                if source.as_bytes().get(range.end) == Some(&b'{') {
                    after_code.push(range.end);
                }
                code.push(range);
            }
            Event::Start(Tag::CodeBlock(_)) => code.push(range),
            Event::Html(_) | Event::InlineHtml(_) => html.push(range),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if !is_safe_destination(&dest_url) {
                    unsafe_links.push(range);
                } else if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    kept_links.push(range);
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if !is_safe_destination(&dest_url) => {
                unsafe_links.push(range);
            }
            _ => {}
        }
    }
    for (_, definition) in events.reference_definitions().iter() {
        if !is_safe_destination(&definition.dest) {
            unsafe_links.push(definition.span.clone());
        }
    }
    let (code, html) = (Spans::new(code), Spans::new(html));
    let (kept_links, unsafe_links) = (Spans::new(kept_links), Spans::new(unsafe_links));
    source
        .bytes()
        .enumerate()
        .filter(|&(at, byte)| match byte {
            b'<' => !kept_links.contains(at),
            b'>' => html.contains(at),
            b'[' | b']' => unsafe_links.contains(at),
            _ => false,
        })
        .map(|(at, _)| at)
        .filter(|&at| !code.contains(at) && !is_escaped(source, at, &code))
        .chain(after_code)
        .collect()
}

/// Whether the byte at `at` follows an odd run of backslashes outside code
/// (then it is already literal).
fn is_escaped(source: &str, at: usize, code: &Spans) -> bool {
    let run = source.as_bytes()[..at]
        .iter()
        .enumerate()
        .rev()
        .take_while(|&(i, &b)| b == b'\\' && !code.contains(i))
        .count();
    run % 2 == 1
}

/// The last resort after [`MAX_PASSES`]: no bracket or angle bracket left
/// anywhere, code included, so nothing can be a tag or a link.
fn escape_everything(source: &str) -> String {
    source
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('[', "&#91;")
        .replace(']', "&#93;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every HTML event and every link destination a renderer would see.
    fn rendered(markdown: &str) -> (Vec<String>, Vec<String>) {
        let mut html = Vec::new();
        let mut links = Vec::new();
        for options in readings() {
            for event in Parser::new_ext(markdown, options) {
                match event {
                    Event::Html(h) | Event::InlineHtml(h) => html.push(h.to_string()),
                    Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                        links.push(dest_url.to_string());
                    }
                    _ => {}
                }
            }
        }
        (html, links)
    }

    fn assert_inert(source: &str) -> String {
        let out = markdown(source);
        let (html, links) = rendered(&out);
        assert!(html.is_empty(), "{source:?} → {out:?}: HTML {html:?}");
        assert!(
            links.iter().all(|l| is_safe_destination(l)),
            "{source:?} → {out:?}: links {links:?}"
        );
        out
    }

    #[test]
    fn raw_html_is_escaped_outside_code() {
        let out = assert_inert("hi <script>alert(1)</script> and <img src=x onerror=alert(1)>");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        assert_inert("<div>\nblock\n</div>\n\n<!-- comment -->\n<?php x ?>");
    }

    #[test]
    fn code_spans_and_blocks_keep_their_bytes() {
        let source = "see `<b>` here\n\n```html\n<script>x</script>\n[a](javascript:x)\n```\n\n    <i>indented</i>\n";
        let out = assert_inert(source);
        assert!(out.contains("`<b>`"), "{out}");
        assert!(
            out.contains("```html\n<script>x</script>\n[a](javascript:x)\n```"),
            "{out}"
        );
        assert!(out.contains("    <i>indented</i>"), "{out}");
        assert_eq!(markdown("`<b>`{=html}"), "`<b>`\\{=html}");
    }

    #[test]
    fn unsafe_links_in_every_disguise_are_defanged() {
        for source in [
            "[a](javascript:alert(1))",
            "[a](JaVaScRiPt:alert(1))",
            "[a](java\tscript:alert(1))",
            "[a](<java script:alert(1)>)",
            "[a](&#106;avascript:alert(1))",
            "[a](&#x6A;avascript&#58;alert(1))",
            "[a](javascript\\:alert(1))",
            "[a]( \u{1}javascript:alert(1))",
            "[a](vbscript:msgbox(1))",
            "[a](data:text/html;base64,PHNjcmlwdD4=)",
            "![i](javascript:alert(1))",
            "<javascript:alert(1)>",
            "[a][r]\n\n[r]: javascript:alert(1)",
            "[r]\n\n[r]: javascript:alert(1)",
            "[^n]: javascript:alert(1)\n\n[^n]",
            "[y [x](javascript:a)](javascript:b)",
            "[x](javascript:<img src=x onerror=y>)",
        ] {
            assert_inert(source);
        }
    }

    #[test]
    fn a_definition_alone_is_defanged_for_a_use_elsewhere_in_the_file() {
        // A definition in one message and its use in another: the use is
        // plain text in its own message, so the definition must go.
        let out = assert_inert("[r]: javascript:alert(1)");
        assert!(out.starts_with("\\[r\\]"), "{out}");
    }

    #[test]
    fn plain_links_and_text_are_kept() {
        for source in [
            "[docs](https://example.com/a?b=c)",
            "<https://example.com>",
            "<help@example.com>",
            "[rel](../page#x:y)",
            "a **bold** _move_, a list:\n\n- one\n- two",
        ] {
            assert_eq!(markdown(source), source);
        }
    }

    #[test]
    fn plain_text_is_escaped_to_render_as_written() {
        assert_eq!(
            text("<b>[x](javascript:y)</b> | a"),
            "&lt;b&gt;\\[x\\](javascript:y)&lt;/b&gt; \\| a"
        );
    }
}
