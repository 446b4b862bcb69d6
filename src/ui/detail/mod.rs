//! The detail pane's content: each tab of one open conversation laid out for a width, with scrolling and search.
