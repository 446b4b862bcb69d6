//! Plain-text tables for the headless commands: width-aware columns, every cell sanitised.

use crate::text::{self, Lines};

/// A column: its heading and the most columns it may take (`None`: as wide as its widest cell).
pub struct Column {
    /// The heading.
    pub heading: &'static str,
    /// The widest it may get; longer cells end in `…`.
    pub max: Option<usize>,
}

/// Lays rows out under headings, two spaces between columns, no trailing spaces.
/// Cells are sanitised here, so callers may pass raw API text.
#[must_use]
pub fn render(columns: &[Column], rows: &[Vec<String>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| text::sanitize(c, Lines::Join).into_owned())
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let widest = cells
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| text::width(c))
                .chain([text::width(col.heading)])
                .max()
                .unwrap_or(0);
            col.max.map_or(widest, |m| widest.min(m))
        })
        .collect();
    let mut out = String::new();
    let headings: Vec<String> = columns.iter().map(|c| c.heading.to_owned()).collect();
    for row in std::iter::once(&headings).chain(cells.iter()) {
        let line: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| text::fit(row.get(i).map_or("", String::as_str), *w))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width_and_cells_are_sanitised() {
        let columns = [
            Column {
                heading: "id",
                max: None,
            },
            Column {
                heading: "name",
                max: Some(6),
            },
        ];
        let rows = vec![
            vec!["a".to_owned(), "日本語テキスト".to_owned()],
            vec!["bb".to_owned(), "x\u{1b}[2Jy".to_owned()],
        ];
        let table = render(&columns, &rows);
        assert_eq!(table, "id  name\na   日本…\nbb  x␛[2Jy\n");
    }
}
