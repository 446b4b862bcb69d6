//! Writes the bundled demo files into an assets directory: `cargo run -p convo-demo -- assets/`.

use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let assets = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("assets"), PathBuf::from);
    write(
        &assets,
        convo_demo::agentsight::DEMO_FILE,
        &convo_demo::agentsight::demo_jsonl()?,
    )?;
    write(
        &assets,
        convo_demo::CHATDASH_DEMO_FILE,
        &convo_demo::chatdash_demo_jsonl(),
    )?;
    Ok(())
}

/// Writes `text` under `assets` with the file name of `bundled` (a path relative to the product crate).
fn write(assets: &Path, bundled: &str, text: &str) -> Result<(), Box<dyn std::error::Error>> {
    let file = Path::new(bundled)
        .file_name()
        .ok_or("the demo file has no name")?;
    let path = assets.join(file);
    std::fs::write(&path, text)?;
    eprintln!(
        "wrote {} conversations, {} bytes to {}",
        text.lines().count(),
        text.len(),
        path.display()
    );
    Ok(())
}
