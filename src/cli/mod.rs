//! Headless subcommands for scripts: list, show, attachments, export.
