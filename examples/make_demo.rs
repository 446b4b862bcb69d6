//! Writes the bundled demo data, `assets/demo.jsonl`: one conversation per line, shaped like `GET /api/conversations/{pk}/?full=true`.
#![allow(clippy::cast_precision_loss)] // small counts and sizes in test arithmetic

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use convo::server::generate::demo_set;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo.jsonl");
    let conversations = demo_set();
    let mut out = BufWriter::new(File::create(&path)?);
    let mut messages = 0;
    for conversation in &conversations {
        serde_json::to_writer(&mut out, conversation)?;
        out.write_all(b"\n")?;
        messages += conversation.messages().len();
    }
    out.flush()?;
    drop(out);
    let bytes = std::fs::metadata(&path)?.len();
    eprintln!(
        "wrote {} conversations ({messages} messages), {bytes} bytes ({:.2} MiB) to {}",
        conversations.len(),
        bytes as f64 / 1_048_576.0,
        path.display()
    );
    Ok(())
}
