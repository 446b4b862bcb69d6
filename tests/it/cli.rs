//! The headless commands as a script uses them: the real `convo` binary against `convo serve`'s routes on 127.0.0.1.
#![allow(clippy::expect_used)] // test helpers outside #[test] fns; a failure should stop the test

use crate::support::common;

use std::path::Path;
use std::process::Output;

use convo::server::{DEMO_API_KEY, RunningServer, ServerConfig};
use serde_json::{Value, json};

/// 250 conversations (three pages of 100 for export), with a few that matter:
/// an escape sequence in a message, nulls and wrong types, attachments, a deleted row.
fn records() -> Vec<Value> {
    let mut records: Vec<Value> = (1..=250)
        .map(|i| {
            json!({
                "id": i,
                "conversation_id": format!("conv-{i:04}"),
                "name": format!("Order question {i}"),
                "customer_id": format!("cust-{}", i % 17),
                "device": if i % 3 == 0 { "mobile" } else { "desktop" },
                "language": if i % 5 == 0 { "es" } else { "en" },
                "environment": "production",
                "is_marked": i % 10 == 0,
                "is_deleted": false,
                "started_at": format!("2026-11-{:02}T{:02}:{:02}:00Z", 1 + i % 14, i % 24, i % 60),
                "messages": [
                    {"id": i * 10, "timestamp": format!("2026-11-{:02}T{:02}:{:02}:05Z", 1 + i % 14, i % 24, i % 60),
                     "sender": "end_user", "content": format!("Where is order {i}?")},
                    {"id": i * 10 + 1, "timestamp": format!("2026-11-{:02}T{:02}:{:02}:09Z", 1 + i % 14, i % 24, i % 60),
                     "sender": "agent", "content": "Action lookup_order performed", "action_name": "lookup_order",
                     "action_logs": [{"id": i, "duration_ms": 150, "tools_used": {"database": "orders_db"},
                                      "response": "shipped", "error_message": if i % 7 == 0 { "timeout" } else { "" }}]}
                ],
                "feedbacks": if i % 4 == 0 { json!([{"id": i, "sentiment": "negative", "source": "customer", "comment": "slow"}]) } else { json!([]) },
            })
        })
        .collect();
    records.push(json!({
        "id": 900, "conversation_id": "conv-hostile", "name": "Hostile \u{1b}]0;pwned\u{7} title",
        "customer_id": null, "device": 7, "is_marked": "yes", "started_at": "2026-11-15T09:00:00Z",
        "messages": [{"id": 9000, "sender": "end_user", "content": "\u{1b}[2J\u{1b}[31mred\u{9b}1m \u{202e}evil",
                      "attachments": [{"id": 1, "type": "image", "filename": "screen.png", "mime_type": "image/png", "size_bytes": 245_680,
                                       "file_url": "https://cdn.agentsight.io/files/conv-hostile/screen.png"}]}]
    }));
    records.push(json!({"id": 901, "conversation_id": "conv-deleted", "name": "Gone", "is_deleted": true,
                        "started_at": "2026-11-15T10:00:00Z", "deleted_at": "2026-11-16T10:00:00Z"}));
    records
}

async fn server() -> RunningServer {
    common::start_json(&records()).await
}

/// Runs `convo ARGS` against the server (or a given endpoint), with the demo key.
async fn convo_at(endpoint: &str, key: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", endpoint)
        .env("AGENTSIGHT_API_KEY", key)
        .env("TZ", "UTC")
        .env_remove("AGENTSIGHT_APP_URL")
        // Never the real user's config: a path that does not exist means defaults.
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .expect("run convo")
}

async fn convo(server: &RunningServer, args: &[&str]) -> Output {
    convo_at(&server.base_url(), DEMO_API_KEY, args).await
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_a_table_json_and_jsonl() {
    let server = server().await;
    let table = convo(&server, &["list", "--page-size", "5"]).await;
    assert_eq!(code(&table), 0, "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.starts_with("started"), "{text}");
    let heading = text.lines().next().unwrap_or_default();
    assert!(
        heading.contains("  msgs  fb  "),
        "message and feedback counts: {heading}"
    );
    assert_eq!(text.lines().count(), 6, "a heading and five rows:\n{text}");
    assert!(
        stderr(&table).contains("251 conversations · page 1/51 · next: --page 2"),
        "{}",
        stderr(&table)
    );

    let json = convo(
        &server,
        &[
            "list",
            "--page-size",
            "3",
            "--page",
            "2",
            "--format",
            "json",
        ],
    )
    .await;
    let doc: Value = serde_json::from_str(&stdout(&json)).expect("valid JSON");
    assert_eq!(
        (
            doc["count"].as_u64(),
            doc["page"].as_u64(),
            doc["total_pages"].as_u64()
        ),
        (Some(251), Some(2), Some(84))
    );
    assert_eq!(doc["results"].as_array().map(Vec::len), Some(3));
    assert!(
        doc["results"][0].get("messages").is_none(),
        "list rows carry no transcript"
    );

    let jsonl = convo(
        &server,
        &["list", "--all", "--format", "jsonl", "--language", "es"],
    )
    .await;
    let rows: Vec<Value> = stdout(&jsonl)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(rows.len(), 50);
    assert!(rows.iter().all(|r| r["language"] == "es"));
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_results_are_still_valid_output() {
    let server = server().await;
    let json = convo(
        &server,
        &["list", "--format", "json", "--customer-id", "nobody"],
    )
    .await;
    assert_eq!(code(&json), 0);
    let doc: Value = serde_json::from_str(&stdout(&json)).expect("valid JSON even when empty");
    assert_eq!(doc["results"], json!([]));
    let table = convo(&server, &["list", "--customer-id", "nobody"]).await;
    assert!(
        stderr(&table).contains("no conversations match"),
        "{}",
        stderr(&table)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_are_flags_named_like_the_api_parameters() {
    let server = server().await;
    let kebab = convo(
        &server,
        &[
            "list",
            "--all",
            "--format",
            "jsonl",
            "--feedback-sentiment",
            "negative",
            "--device",
            "mobile",
        ],
    )
    .await;
    let snake = convo(
        &server,
        &[
            "list",
            "--all",
            "--format",
            "jsonl",
            "--feedback_sentiment",
            "negative",
            "--device",
            "mobile",
        ],
    )
    .await;
    assert_eq!(code(&kebab), 0, "{}", stderr(&kebab));
    assert_eq!(stdout(&kebab), stdout(&snake));
    // Every 4th has negative feedback, every 3rd is mobile: the 12ths, 1..=250.
    assert_eq!(stdout(&kebab).lines().count(), 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_flags_and_values_are_refused_with_the_reason() {
    let server = server().await;
    let cases: [(&[&str], &str); 6] = [
        (
            &["list", "--feedback-sentiment", "angry"],
            "is not one of positive, neutral, negative",
        ),
        (
            &["list", "--started-at-after", "last tuesday"],
            "is not a date",
        ),
        (&["list", "--is-marked", "maybe"], "is not yes/no"),
        (
            &["list", "--customer-ip-address", "1.2.3"],
            "is not an IP address",
        ),
        (&["list", "--page-size", "500"], "500 is not in 1..=100"),
        (
            &["list", "--no-such-flag"],
            "unexpected argument '--no-such-flag'",
        ),
    ];
    for (args, reason) in cases {
        let out = convo(&server, args).await;
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(reason), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "nothing on stdout for {args:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn show_prints_text_json_and_markdown_by_pk_or_string_id() {
    let server = server().await;
    let by_id = convo(&server, &["show", "conv-0004"]).await;
    assert_eq!(code(&by_id), 0, "{}", stderr(&by_id));
    let text = stdout(&by_id);
    assert!(text.starts_with("Order question 4\n"), "{text}");
    assert!(
        text.contains("⚙ lookup_order · 150 ms · ✓ · database=orders_db → shipped"),
        "{text}"
    );
    assert!(text.contains("☹ negative · customer"), "{text}");

    let by_pk = convo(&server, &["show", "7", "--format", "json"]).await;
    let record: Value = serde_json::from_str(&stdout(&by_pk)).expect("valid JSON");
    assert_eq!(record["conversation_id"], "conv-0007");
    assert_eq!(
        record["messages"][1]["action_logs"][0]["error_message"],
        "timeout"
    );

    let md = convo(&server, &["show", "conv-0007", "--format", "markdown"]).await;
    assert!(stdout(&md).starts_with("# Order question 7\n"));
    assert!(stdout(&md).contains("error: timeout"));
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_from_the_data_reaches_the_terminal_as_a_control() {
    let server = server().await;
    for args in [
        &["show", "conv-hostile"][..],
        &["list", "--search", "hostile"],
        &["attachments", "conv-hostile"],
    ] {
        let out = convo(&server, args).await;
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?} let a control through: {text:?}"
        );
        if args[0] != "attachments" {
            assert!(
                text.contains('␛'),
                "{args:?} shows the escape as a visible stand-in: {text}"
            );
        }
    }
    // JSON output is data for programs: escapes stay, encoded, as the API sent them.
    let json = convo(&server, &["show", "conv-hostile", "--format", "json"]).await;
    assert!(stdout(&json).contains("\\u001b[2J"));
}

#[tokio::test(flavor = "multi_thread")]
async fn not_found_is_exit_4_and_auth_errors_are_exit_3() {
    let server = server().await;
    let missing = convo(&server, &["show", "conv-nope"]).await;
    assert_eq!(code(&missing), 4, "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("conv-nope"),
        "{}",
        stderr(&missing)
    );
    let missing_pk = convo(&server, &["show", "123456"]).await;
    assert_eq!(code(&missing_pk), 4);

    let wrong_key = convo_at(
        &server.base_url(),
        "ags_ffffffffffffffffffffffffffffffff_ffffff",
        &["list"],
    )
    .await;
    assert_eq!(code(&wrong_key), 3, "{}", stderr(&wrong_key));
    assert!(stderr(&wrong_key).contains("401"), "{}", stderr(&wrong_key));
    assert!(
        !stderr(&wrong_key).contains("ffffffffffffffff"),
        "the key is never printed"
    );

    let bad_key = convo_at(&server.base_url(), "not-a-key", &["list"]).await;
    assert_eq!(code(&bad_key), 3);
    assert!(
        stderr(&bad_key).contains("ags_ + 32 hex + _ + 6 hex"),
        "{}",
        stderr(&bad_key)
    );
    assert!(
        !stderr(&bad_key).contains("not-a-key"),
        "the key is never printed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_server_is_a_clear_runtime_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let out = convo_at(&format!("http://127.0.0.1:{port}"), DEMO_API_KEY, &["list"]).await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot reach 127.0.0.1"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn attachments_list_type_name_mime_and_size() {
    let server = server().await;
    let table = convo(&server, &["attachments", "conv-hostile"]).await;
    assert_eq!(code(&table), 0, "{}", stderr(&table));
    assert!(
        stdout(&table).contains("screen.png  image/png  240 KB"),
        "{}",
        stdout(&table)
    );
    let json = convo(&server, &["attachments", "900", "--format", "json"]).await;
    let doc: Value = serde_json::from_str(&stdout(&json)).expect("valid JSON");
    // Older servers say `total_attachments`; the record prints the live name.
    assert_eq!(doc["attachment_count"], 1);
    assert!(
        stderr(&table).starts_with("1 attachment ·"),
        "{}",
        stderr(&table)
    );
    let none = convo(&server, &["attachments", "conv-0001"]).await;
    assert_eq!(code(&none), 0);
    assert!(stderr(&none).contains("no attachments"));
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("export file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_every_row_exactly_once_in_either_format() {
    let server = server().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let jsonl = dir.path().join("all.jsonl");
    let out = convo(
        &server,
        &[
            "export",
            "--output",
            jsonl.to_str().expect("path"),
            "--full",
        ],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("exported 251 conversations"),
        "{}",
        stderr(&out)
    );
    let rows = read_jsonl(&jsonl);
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r["id"].as_i64()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 251, "every row once");
    assert!(
        rows.iter().all(|r| r["messages"].is_array()),
        "--full carries transcripts"
    );
    assert!(!dir.path().join("all.jsonl.part").exists());

    let json = dir.path().join("marked.json");
    let out = convo(
        &server,
        &[
            "export",
            "-o",
            json.to_str().expect("path"),
            "--format",
            "json",
            "--is-marked",
            "yes",
        ],
    )
    .await;
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("file")).expect("valid JSON");
    assert_eq!(
        doc.as_array().map(Vec::len),
        Some(26),
        "25 marked, and the hostile row's \"yes\""
    );
    assert!(
        doc[0].get("messages").is_none(),
        "without --full, list rows"
    );

    let empty = dir.path().join("empty.json");
    let out = convo(
        &server,
        &[
            "export",
            "-o",
            empty.to_str().expect("path"),
            "--format",
            "json",
            "--customer-id",
            "nobody",
        ],
    )
    .await;
    assert_eq!(code(&out), 0);
    assert_eq!(std::fs::read_to_string(&empty).expect("file"), "[]\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_export_keeps_what_it_fetched_in_a_part_file() {
    let config = ServerConfig {
        fail_rate: 1.0,
        ..ServerConfig::default()
    };
    let server = common::start(common::conversations(&records()), config).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.jsonl");
    let out = convo(&server, &["export", "-o", path.to_str().expect("path")]).await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the server failed (5"),
        "{}",
        stderr(&out)
    );
    assert!(!path.exists(), "an incomplete export never looks finished");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_flag_needs_no_key_and_no_network() {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(["--demo", "list", "--format", "json", "--page-size", "100"])
        .env_remove("AGENTSIGHT_API_KEY")
        .env_remove("AGENTSIGHT_API_ENDPOINT")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .output()
        .await
        .expect("run convo");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert!(
        doc["count"].as_u64().unwrap_or(0) >= 250,
        "the bundled demo has a few hundred conversations"
    );
}
