//! The official `AgentSight` Python client, unchanged, against the local server (`tests/python/official_client.py`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers as well as tests stop on the first surprise
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // small counts and sizes in test arithmetic

use crate::support::common;

use std::process::Stdio;

use convo::provider::model::Conversation;
use convo::server::{DEMO_API_KEY, ServerConfig};
use serde_json::{Value, json};

/// More than two pages of 100, with every field the script filters on.
fn records() -> Vec<Value> {
    let names = [
        "Refund request",
        "Password reset",
        "Outage report",
        "REFUND again",
        "Billing question",
    ];
    let contents = [
        "I forgot my PASSWORD",
        "Where is my refund?",
        "The site is down",
        "Thanks!",
    ];
    (0..230)
        .map(|i: i64| {
            let n = i as usize;
            let name = names[n % names.len()];
            let device = ["mobile", "desktop", "tablet"][n % 3];
            let language = ["en", "es", "de"][n % 3];
            let environment = if i % 4 == 0 {
                "development"
            } else {
                "production"
            };
            let priority = ["high", "low", "medium"][n % 3];
            let messages: Vec<Value> = (0..(i % 4))
                .map(|m| {
                    let attachments = if (i + m) % 7 == 0 {
                        json!([{"id": i * 100 + m, "type": "image", "filename": "shot.png"}])
                    } else {
                        json!([])
                    };
                    let sender = if m % 2 == 0 { "end_user" } else { "agent" };
                    let content = contents[((i + m) % 4) as usize];
                    let mut message = json!({"id": i * 10 + m, "sender": sender, "content": content,
                           "timestamp": format!("2024-01-01T00:{:02}:{:02}Z", i % 60, m),
                           "attachments": attachments});
                    if m % 2 == 1 {
                        let action = ["lookup_order", "Issue_Refund"][(i % 2) as usize];
                        message["action_name"] = json!(action);
                        message["action_logs"] = json!([{"id": i * 10 + m, "duration_ms": 12.5, "error_message": ""}]);
                    }
                    if (i + m) % 6 == 0 {
                        let channel = ["web", "sms"][(i % 2) as usize];
                        message["metadata"] = json!({"channel": channel, "nlu": {"intent": "refund"}});
                    }
                    if (i + m) % 7 == 3 {
                        let sentiment = ["negative", "positive"][(i % 2) as usize];
                        let topic = ["accuracy", "tone"][(m % 2) as usize];
                        message["feedback"] = json!({"id": 10_000 + i * 10 + m,
                            "sentiment": sentiment, "topic": topic, "reason": "wrong_answer",
                            "comment": if i % 3 == 0 { Value::Null } else { json!("Not what I asked") },
                            "created_at": format!("2024-02-{:02}T08:00:00Z", 1 + i % 28)});
                    }
                    message
                })
                .collect();
            let feedbacks = if i % 5 == 0 {
                let sentiment = ["negative", "positive", "neutral"][n % 3];
                json!([{"id": i + 1, "sentiment": sentiment, "source": "customer",
                        "comment": if i % 10 == 0 { Value::Null } else { json!("Fine, thanks") },
                        "created_at": format!("2024-01-{:02}T12:00:00Z", 1 + i % 28)}])
            } else {
                json!([])
            };
            let statuses = ["backlog", "open", "in_progress", "in_review", "done", "closed"];
            let tickets = if i % 13 == 0 {
                let status = statuses[n % 6];
                let ticket_priority = ["low", "medium", "high"][n % 3];
                let tags = [["billing", "refund"], ["auth", "vip"]][n % 2];
                json!([{"id": i + 1, "title": format!("Follow up {name}"), "status": status,
                        "priority": ticket_priority, "tags": tags,
                        "created_at": format!("2024-03-{:02}T09:00:00Z", 1 + i % 28),
                        "updated_at": format!("2024-03-{:02}T10:00:00Z", 1 + i % 28),
                        "feedback": if i % 5 == 0 { json!({"id": i + 1}) } else { Value::Null },
                        "comments": [
                            {"id": i * 2 + 2, "author": "Sam", "role": "dev", "body": "On it", "created_at": "2024-03-29T10:00:00Z"},
                            {"id": i * 2 + 1, "author": "Ana", "role": "reporter", "body": "Customer asked twice", "created_at": "2024-03-29T09:00:00Z"}
                        ]}])
            } else {
                json!([])
            };
            let mut r = json!({
                "id": i + 1,
                "conversation_id": format!("conv-{i:04}"),
                "name": name,
                "customer_id": format!("cust-{}", i % 17),
                "device": device,
                "language": language,
                "environment": environment,
                "is_marked": i % 9 == 0,
                "started_at": format!("2024-01-{:02}T{:02}:{:02}:00Z", 1 + i % 28, i % 24, i % 60),
                "metadata": {"priority": priority, "analysis": {"score": i % 5},
                             "plan": if i % 2 == 0 { json!(1) } else { json!("1") }},
                "messages": messages,
                "feedbacks": feedbacks,
                "tickets": tickets,
            });
            if i % 31 == 0 {
                r["is_deleted"] = json!(true);
            }
            r
        })
        .collect()
}

/// Whether `python3` can import the official client; without it the tests
/// fail in CI (`CI` set) and are skipped, loudly, elsewhere.
pub(crate) async fn have_official_client(test: &str) -> bool {
    let have = tokio::process::Command::new("python3")
        .args(["-c", "import agentsight.api"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .is_ok_and(|s| s.success());
    if !have {
        assert!(
            std::env::var_os("CI").is_none(),
            "the official client is missing: pip install agentsight==0.1.4"
        );
        // Straight to the process's stderr: libtest captures `eprintln!` of passing tests.
        let line = format!(
            "\n*** SKIPPED {test}: python3 cannot import agentsight (pip install agentsight==0.1.4) ***\n"
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    }
    have
}

/// Runs `tests/python/official_client.py` against a server over these conversations.
async fn run_script(conversations: Vec<Conversation>) {
    let server = common::start(conversations, ServerConfig::default()).await;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/official_client.py"
    );
    let output = tokio::process::Command::new("python3")
        .arg(script)
        .env("AGENTSIGHT_API_ENDPOINT", server.base_url())
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .await
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "official_client.py failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("official_client.py: OK"), "{stdout}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_official_python_client_works_unchanged() {
    if have_official_client("the_official_python_client_works_unchanged").await {
        run_script(common::conversations(&records())).await;
    }
}

#[tokio::test]
async fn the_official_python_client_reads_the_bundled_demo() {
    if have_official_client("the_official_python_client_reads_the_bundled_demo").await {
        run_script(convo::server::data::bundled_demo().unwrap()).await;
    }
}

/// The derived planes (usage, spans and traces, actions) through the official
/// client, checked against the served data in `tests/python/official_planes.py`.
#[tokio::test]
async fn the_official_python_client_reads_the_derived_planes() {
    if !have_official_client("the_official_python_client_reads_the_derived_planes").await {
        return;
    }
    let conversations = convo::server::generate::generate(80, 5);
    let server = common::start(conversations, ServerConfig::default()).await;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/official_planes.py"
    );
    let output = tokio::process::Command::new("python3")
        .arg(script)
        .env("AGENTSIGHT_API_ENDPOINT", server.base_url())
        .env("AGENTSIGHT_API_KEY", DEMO_API_KEY)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .await
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "official_planes.py failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("official_planes.py: OK"), "{stdout}");
    server.shutdown().await.unwrap();
}
