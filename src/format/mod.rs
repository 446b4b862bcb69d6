//! Pure formatting of the domain model into text for people: human units, tables, transcripts as text and Markdown.

pub mod count;
pub mod human;
pub mod inert;
pub mod table;
pub mod ticket;
pub mod trace;
pub mod transcript;
pub mod usage;
