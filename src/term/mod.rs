//! The terminal and the process around it: raw mode and restore, panics, signals, suspend, clipboard, opening URLs, logs.
