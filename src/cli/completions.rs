//! `convo completions SHELL`: the shell's completion script for every subcommand and flag, on stdout.

use clap::{CommandFactory as _, ValueEnum};

use super::args::Cli;
use super::output;
use crate::failure::Failure;

/// The shells a completion script is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// bash: `source <(convo completions bash)`
    Bash,
    /// zsh: save as `_convo` in a directory on `$fpath`
    Zsh,
    /// fish: save as `~/.config/fish/completions/convo.fish`
    Fish,
}

impl From<CompletionShell> for clap_complete::Shell {
    fn from(shell: CompletionShell) -> Self {
        match shell {
            CompletionShell::Bash => Self::Bash,
            CompletionShell::Zsh => Self::Zsh,
            CompletionShell::Fish => Self::Fish,
        }
    }
}

/// The script for `shell`, as text.
#[must_use]
pub fn script(shell: CompletionShell) -> String {
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(
        clap_complete::Shell::from(shell),
        &mut command,
        "convo",
        &mut bytes,
    );
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Prints the script for `shell` to stdout.
///
/// # Errors
/// Stdout cannot be written (not a closed pipe).
pub(super) fn run(shell: CompletionShell) -> Result<(), Failure> {
    output::print(&script(shell))
}
