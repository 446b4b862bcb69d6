//! SIGTERM and SIGHUP as a stream of messages, so the loop quits cleanly (terminal restored) instead of dying mid-frame.

use std::io;

use futures::Stream;
use futures::stream::{self, StreamExt};
use tokio::signal::unix::{SignalKind, signal};

/// A signal that asks the app to quit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGTERM: `kill`, a service manager, a closing terminal emulator.
    Terminate,
    /// SIGHUP: the terminal went away (an SSH connection dropped).
    Hangup,
}

impl Signal {
    /// The signal's name, for the log.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Terminate => "SIGTERM",
            Self::Hangup => "SIGHUP",
        }
    }
}

/// Every SIGTERM and SIGHUP the process receives from now on, in order.
///
/// Once this is called the signals no longer kill the process, so the app
/// must act on them: `select!` on the stream next to its message channel,
/// and on any item leave the loop, drop (or restore) the [`super::Tui`] and
/// return. After a hangup the terminal is gone: restoring fails quickly and
/// the error should be ignored.
///
/// Must be called from inside a tokio runtime.
///
/// # Errors
/// The signal handlers cannot be installed.
pub fn signal_stream() -> io::Result<impl Stream<Item = Signal> + Send + Unpin + 'static> {
    let terminate = listen(SignalKind::terminate(), Signal::Terminate)?;
    let hangup = listen(SignalKind::hangup(), Signal::Hangup)?;
    Ok(stream::select(terminate, hangup))
}

/// One kind of signal as a stream of `item`.
fn listen(
    kind: SignalKind,
    item: Signal,
) -> io::Result<impl Stream<Item = Signal> + Send + Unpin + 'static> {
    let mut receiver = signal(kind)?;
    Ok(stream::poll_fn(move |cx| receiver.poll_recv(cx)).map(move |()| item))
}
