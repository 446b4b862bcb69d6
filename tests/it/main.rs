//! The integration tests, one binary: each module is what used to be a test file of its own (`tests/it/NAME.rs`, run alone with `cargo test --test it NAME::`), sharing the helpers under `support/`.
//!
//! One binary links the library and its dependencies once instead of once a
//! file. Tests that change what the whole process shares (the current
//! directory, the panic hook, the log subscriber, signals) run in a process of
//! their own through `support::alone`.

mod agentsight_client;
mod agentsight_planes;
mod app_update;
mod attachment_files;
mod attachment_loop;
mod attachment_preview;
mod bounded;
mod browser_config;
mod browser_screens;
mod browser_writes;
mod chatdash;
mod cli;
mod cli_planes;
mod clipboard_tmux;
mod columns;
mod config;
mod demo_data;
mod detail_view;
mod driven_loop;
mod e2e_tmux;
mod enrich;
mod faults;
mod files;
mod headless_writes;
mod hostile;
mod install;
mod keys;
mod layers;
mod list_finding;
mod official_client;
mod official_writes;
mod pagination;
mod process;
mod properties;
mod readable;
mod save_dir;
mod secrets;
mod server_filters;
mod server_planes;
mod server_routes;
mod server_writes;
mod support;
mod term;
mod trace_tab;
mod ui_snapshots;
mod usage_view;
