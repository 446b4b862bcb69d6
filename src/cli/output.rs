//! Writing to standard output for scripts: buffered, and quiet when the reader goes away (`convo list | head`).

use std::io::{self, Write};

use crate::failure::Failure;

/// Writes all of `text` to stdout. A closed pipe is not an error: the reader
/// has what it wanted.
///
/// # Errors
/// Any other write failure (a full disk behind a redirect).
pub(super) fn print(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    ok_unless_broken(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// Maps a write result: a broken pipe ends output quietly, anything else fails.
///
/// # Errors
/// Any write failure other than a broken pipe.
pub(super) fn ok_unless_broken(result: io::Result<()>) -> Result<(), Failure> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::runtime(format!("cannot write the output: {e}"))),
        Ok(()) => Ok(()),
    }
}

/// Pretty JSON of any serialisable value, with a trailing newline.
///
/// # Errors
/// Never for the model's types; reported rather than unwrapped all the same.
pub(super) fn pretty_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Failure::runtime(format!("cannot encode JSON: {e}")))
}

/// One line for the person at the terminal, on stderr (counts, hints), so
/// stdout stays the data. Not `eprintln!`: it panics when stderr is gone.
pub(super) fn note(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}
