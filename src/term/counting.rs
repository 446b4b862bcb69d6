//! A writer that counts the bytes going through it: how much one keypress costs the terminal.
//!
//! ratatui's `CrosstermBackend` does not hand its writer back (that accessor
//! is unstable), so the count lives behind a shared [`ByteCount`] handle
//! taken before the writer is moved into the backend:
//!
//! ```
//! use convo::term::CountingWriter;
//! use ratatui::{Terminal, backend::CrosstermBackend};
//!
//! let writer = CountingWriter::new(std::io::sink());
//! let bytes = writer.count();
//! let mut terminal = Terminal::new(CrosstermBackend::new(writer))?;
//! # let _ = &mut terminal;
//! // … draw the first frame, then:
//! bytes.reset();
//! // … press `j`, draw again, then:
//! let cost = bytes.get();
//! # let _ = cost;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A shared count of bytes; clones see the same number.
#[derive(Clone, Debug, Default)]
pub struct ByteCount(Arc<AtomicU64>);

impl ByteCount {
    /// Bytes counted so far.
    #[must_use]
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Bytes counted so far, and starts again from zero.
    #[must_use]
    pub fn take(&self) -> u64 {
        self.0.swap(0, Ordering::Relaxed)
    }

    /// Starts again from zero.
    pub fn reset(&self) {
        self.0.store(0, Ordering::Relaxed);
    }

    fn add(&self, n: usize) {
        self.0
            .fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
}

/// Passes writes through to `W`, counting the bytes it accepted.
#[derive(Debug)]
pub struct CountingWriter<W> {
    inner: W,
    count: ByteCount,
}

impl<W> CountingWriter<W> {
    /// Wraps `inner`, counting from zero.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            count: ByteCount::default(),
        }
    }

    /// A handle on the count that stays readable after the writer is moved away.
    #[must_use]
    pub fn count(&self) -> ByteCount {
        self.count.clone()
    }

    /// The wrapped writer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The wrapped writer, back.
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count.add(n);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_byte_written_and_passes_them_through() {
        let mut writer = CountingWriter::new(Vec::new());
        let count = writer.count();
        writer.write_all(b"hello ").unwrap();
        let o = 'ö';
        write!(writer, "w{o}rld").unwrap();
        writer.flush().unwrap();
        assert_eq!(count.get(), 12);
        assert_eq!(writer.get_ref().as_slice(), "hello wörld".as_bytes());
        assert_eq!(count.take(), 12);
        assert_eq!(count.get(), 0);
        writer.write_all(b"!").unwrap();
        assert_eq!(count.get(), 1);
        assert_eq!(writer.into_inner(), "hello wörld!".as_bytes());
    }

    /// A writer that takes at most 3 bytes a call, like a full pipe.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(3);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn counts_what_the_inner_writer_accepted_not_what_was_offered() {
        let mut writer = CountingWriter::new(Trickle(Vec::new()));
        assert_eq!(writer.write(b"abcdef").unwrap(), 3);
        assert_eq!(writer.count().get(), 3);
        writer.write_all(b"abcdef").unwrap();
        assert_eq!(writer.count().get(), 9);
    }
}
