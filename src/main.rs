//! The `convo` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

/// How long blocking work still running at exit may take to finish.
const EXIT_GRACE: Duration = Duration::from_millis(250);

fn main() -> ExitCode {
    let cli = convo::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("convo: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(convo::cli::run(cli));
    // Dropping the runtime would wait for every blocking task still running,
    // however long: a DNS lookup on a dead resolver, a save to a hung network
    // file system. Quitting (q, SIGTERM, SIGHUP) must not wait on them.
    runtime.shutdown_timeout(EXIT_GRACE);
    code
}
