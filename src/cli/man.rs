//! `convo man`: the manual as roff — one page listing the subcommands on stdout, or with `--dir` one page per subcommand.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::CommandFactory as _;

use super::args::Cli;
use super::output;
use crate::failure::Failure;

/// The page for `convo` itself: its flags and the subcommands, each by name
/// and one line (`convo-list(1)`), the names `--dir` writes.
///
/// # Errors
/// Never for the command line as built; reported rather than unwrapped all the same.
pub fn page() -> Result<String, Failure> {
    render(&root())
}

/// Every page `--dir` writes: `convo.1`, then `convo-list.1`, `convo-ticket-new.1`, …
///
/// # Errors
/// Never for the command line as built; reported rather than unwrapped all the same.
pub fn pages() -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    collect(&root(), &mut out)?;
    Ok(out)
}

/// Prints the one page, or writes every page into `dir` (made if missing).
/// A page already there is left alone unless `force`.
///
/// # Errors
/// A page already in `dir` without `force` (exit 2), or a failed write (exit 1).
pub(super) fn run(dir: Option<&Path>, force: bool) -> Result<(), Failure> {
    let Some(dir) = dir else {
        return output::print(&page()?);
    };
    let pages = pages()?;
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::runtime(format!("cannot create {}: {e}", dir.display())))?;
    for (name, _) in &pages {
        let path = dir.join(name);
        if !force && std::fs::symlink_metadata(&path).is_ok() {
            return Err(Failure::usage(format!(
                "{} exists and is not overwritten: pass --force to replace the pages",
                path.display()
            )));
        }
    }
    for (name, text) in &pages {
        write(&dir.join(name), text)?;
    }
    output::note(&format!(
        "wrote {} to {} (read one with: man -l {})",
        crate::format::count::plural(pages.len(), "page"),
        dir.display(),
        dir.join("convo.1").display()
    ));
    Ok(())
}

/// The command line as the pages describe it: built, so every subcommand
/// knows its full name, and without clap's `help` subcommand (not a page).
fn root() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// This command's page, then its subcommands' (depth first), each named
/// by its display name (`convo-ticket-new`).
fn collect(command: &clap::Command, out: &mut Vec<(String, String)>) -> Result<(), Failure> {
    let man = clap_mangen::Man::new(command.clone());
    out.push((man.get_filename(), render(command)?));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, out)?;
    }
    Ok(())
}

fn render(command: &clap::Command) -> Result<String, Failure> {
    let title = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name())
        .to_uppercase();
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command.clone())
        .title(title)
        .render(&mut bytes)
        .map_err(|e| Failure::runtime(format!("cannot render the manual: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Failure::runtime(format!("the manual is not UTF-8: {e}")))
}

/// Writes one page. One already there (allowed by `--force`, checked by the
/// caller) is removed first, so a symlink in its place is replaced, not followed.
fn write(path: &PathBuf, text: &str) -> Result<(), Failure> {
    let fail =
        |e: std::io::Error| Failure::runtime(format!("cannot write {}: {e}", path.display()));
    if std::fs::symlink_metadata(path).is_ok() {
        std::fs::remove_file(path).map_err(fail)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.flush().map_err(fail)
}
