//! How the plane and write commands print: rows, tables, one record.

use clap::ValueEnum;

/// How a list of records prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RowsFormat {
    /// Aligned columns for people
    Table,
    /// One JSON document: {"count", "page", "`page_size`", "`total_pages`", "results"}
    Json,
    /// One record per line
    Jsonl,
}

/// How a table or its records print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Aligned columns for people
    Table,
    /// The records as JSON
    Json,
}

/// How one record prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    /// Readable text
    Text,
    /// The record as the API returned it (pretty JSON, unknown fields kept)
    Json,
}
