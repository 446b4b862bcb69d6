//! Runs one test alone in a fresh process of this test binary: for the few tests that change what a whole process shares (the current directory, the panic hook, the log subscriber, signal handling), which the other tests running beside them must never see.
// A test helper: a binary that cannot be started should stop the test on the spot.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

/// Set in the test's own process to the test's name, so there it runs its body.
const OWN_PROCESS: &str = "CONVO_TEST_OWN_PROCESS";

/// Whether this is `test`'s own process, where the test goes on with its body.
///
/// Otherwise starts that process (in `dir`, if given), waits for it, fails
/// with its output unless the test passed there, and returns false: the test
/// is done. `test` is the name libtest knows it by (`term::name`); a wrong
/// name runs nothing and fails here.
#[must_use]
pub(crate) fn in_own_process(test: &str, dir: Option<&Path>) -> bool {
    if std::env::var(OWN_PROCESS).is_ok_and(|running| running == test) {
        return true;
    }
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(OWN_PROCESS, test);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{test} failed in its own process ({})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
    false
}
