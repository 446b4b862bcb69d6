//! Writes the bundled demo files into an assets directory: `cargo run -p convo-demo -- assets/`.

use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let assets = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("assets"), PathBuf::from);
    let file = Path::new(convo_demo::CHATDASH_DEMO_FILE)
        .file_name()
        .ok_or("the demo file has no name")?;
    let path = assets.join(file);
    let text = convo_demo::chatdash_demo_jsonl();
    std::fs::write(&path, &text)?;
    eprintln!(
        "wrote {} conversations, {} bytes to {}",
        text.lines().count(),
        text.len(),
        path.display()
    );
    Ok(())
}
