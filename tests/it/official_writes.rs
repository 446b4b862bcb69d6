//! Every write method of the official `AgentSight` Python client, unchanged, against the local server, each read back, and each refused for the read key (`tests/python/official_writes.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers as well as tests stop on the first surprise

use crate::official_client::have_official_client;
use crate::support::common;

use convo::server::{DEMO_API_KEY, DEMO_READ_API_KEY, ServerConfig};

#[tokio::test]
async fn the_official_python_client_writes_and_the_read_key_is_refused() {
    if !have_official_client("the_official_python_client_writes_and_the_read_key_is_refused").await
    {
        return;
    }
    let conversations = convo::server::data::bundled_demo().unwrap();
    let server = common::start(conversations, ServerConfig::default()).await;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/official_writes.py"
    );
    let output = tokio::process::Command::new("python3")
        .arg(script)
        .env("AGENTSIGHT_API_ENDPOINT", server.base_url())
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("AGENTSIGHT_READ_API_KEY", DEMO_READ_API_KEY)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .await
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "official_writes.py failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("official_writes.py: OK"), "{stdout}");
    server.shutdown().await.unwrap();
}
