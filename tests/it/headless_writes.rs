//! The headless writes as a script uses them: the real `convo` binary marking, renaming, deleting, filing feedback, votes and tickets on `convo serve` in-process, each read back from the server — and every way a write can fail, with its exit code and the number of requests the server saw.
#![allow(clippy::expect_used)] // test helpers outside #[test] fns; a failure should stop the test

use std::process::Output;

use convo::server::{DEMO_API_KEY, DEMO_READ_API_KEY, Role, RunningServer, ServerConfig};
use serde_json::{Value, json};

use crate::support::common;
use crate::support::misbehave::{Behaviour, Misbehaving, refused_addr};

/// Five conversations of two messages each (message pks 10·i and 10·i+1).
fn records() -> Vec<Value> {
    (1..=5)
        .map(|i| {
            json!({
                "id": i,
                "conversation_id": format!("conv-{i}"),
                "name": format!("Order question {i}"),
                "environment": "production",
                "is_marked": false,
                "started_at": format!("2026-11-0{i}T10:00:00Z"),
                "messages": [
                    {"id": i * 10, "timestamp": format!("2026-11-0{i}T10:00:05Z"),
                     "sender": "end_user", "content": format!("Where is order {i}?")},
                    {"id": i * 10 + 1, "timestamp": format!("2026-11-0{i}T10:00:09Z"),
                     "sender": "agent", "content": "It shipped yesterday."}
                ],
            })
        })
        .collect()
}

async fn server_with(config: ServerConfig) -> RunningServer {
    common::start(common::conversations(&records()), config).await
}

async fn server() -> RunningServer {
    server_with(ServerConfig::default()).await
}

/// Runs `convo ARGS` against `endpoint` with `key`, never the user's config.
async fn convo_at(endpoint: &str, key: &str, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"));
    command
        .args(args)
        .env("AGENTSIGHT_API_ENDPOINT", endpoint)
        .env("AGENTSIGHT_API_KEY", key)
        .env("TZ", "UTC")
        .env("CONVO_CONFIG", "/nonexistent/convo-test/config.toml")
        .env_remove("CONVO_PROFILE")
        .env_remove("CONVO_TIMEOUT");
    for (name, value) in extra_env {
        command.env(name, value);
    }
    command.output().await.expect("run convo")
}

async fn convo(server: &RunningServer, args: &[&str]) -> Output {
    convo_at(&server.base_url(), DEMO_API_KEY, args, &[]).await
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Exit 0 and the one line printed.
fn succeeded(o: &Output) -> String {
    assert_eq!(code(o), 0, "stderr: {}", stderr(o));
    stdout(o).trim_end().to_owned()
}

/// Requests the server has taken in so far.
fn seen(server: &RunningServer) -> u64 {
    server.requests().received()
}

#[tokio::test(flavor = "multi_thread")]
async fn mark_rename_and_feedback_land_and_read_back() {
    let server = server().await;

    let marked = convo(&server, &["mark", "conv-3"]).await;
    assert_eq!(succeeded(&marked), "marked conv-3 ★");
    let (_, row) = common::get(&server, "/api/conversations/3/").await;
    assert_eq!(row["is_marked"], true);
    let unmarked = convo(&server, &["mark", "3", "--off"]).await;
    assert_eq!(succeeded(&unmarked), "unmarked conv-3");
    let (_, row) = common::get(&server, "/api/conversations/3/").await;
    assert_eq!(row["is_marked"], false);

    let renamed = convo(&server, &["rename", "conv-2", "  Refund loop  "]).await;
    assert_eq!(succeeded(&renamed), "renamed conv-2 to \"Refund loop\"");
    let (_, row) = common::get(&server, "/api/conversations/2/").await;
    assert_eq!(row["name"], "Refund loop", "trimmed before it was sent");

    let json = convo(&server, &["rename", "2", "Second name", "--format", "json"]).await;
    let record: Value = serde_json::from_str(&succeeded(&json)).expect("the record as JSON");
    assert_eq!(
        (record["id"].as_i64(), record["name"].as_str()),
        (Some(2), Some("Second name"))
    );

    let feedback = convo(
        &server,
        &[
            "feedback",
            "conv-4",
            "--sentiment",
            "Negative",
            "--comment",
            "looped on refunds",
        ],
    )
    .await;
    let line = succeeded(&feedback);
    assert!(
        line.starts_with("feedback #") && line.ends_with(" on conv-4: negative"),
        "{line}"
    );
    let (_, rows) = common::get(&server, "/api/feedbacks/?conversation=4").await;
    let filed = &rows["results"][0];
    assert_eq!(
        (filed["sentiment"].as_str(), filed["comment"].as_str()),
        (Some("negative"), Some("looped on refunds"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ticket_is_filed_commented_and_changed() {
    let server = server().await;
    let filed = convo(
        &server,
        &[
            "ticket",
            "new",
            "conv-1",
            "--title",
            "Refund loop",
            "--priority",
            "high",
            "--tag",
            "billing",
            "--tag",
            "refunds",
            "--format",
            "json",
        ],
    )
    .await;
    let ticket: Value = serde_json::from_str(&succeeded(&filed)).expect("the ticket as JSON");
    let id = ticket["id"].as_i64().expect("the new ticket's id");
    let (status, read) = common::get(&server, &format!("/api/tickets/{id}/")).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            read["title"].as_str(),
            read["status"].as_str(),
            read["priority"].as_str(),
            read["conversation"]["id"].as_i64()
        ),
        (Some("Refund loop"), Some("open"), Some("high"), Some(1))
    );
    assert_eq!(read["tags"], json!(["billing", "refunds"]));

    let line = succeeded(
        &convo(
            &server,
            &[
                "ticket",
                "new",
                "2",
                "--title",
                "Wrong size",
                "--status",
                "backlog",
                "--priority",
                "LOW",
            ],
        )
        .await,
    );
    assert!(
        line.starts_with("ticket #")
            && line.ends_with(" filed on conv-2: \"Wrong size\" (backlog, low)"),
        "{line}"
    );

    let id_text = id.to_string();
    let commented = convo(
        &server,
        &["ticket", "comment", &id_text, "Customer called again"],
    )
    .await;
    let line = succeeded(&commented);
    assert!(line.starts_with("comment #"), "{line}");
    assert!(line.contains(&format!("added to ticket #{id}")), "{line}");
    let (_, thread) = common::get(&server, &format!("/api/tickets/{id}/comments/")).await;
    assert_eq!(thread["results"][0]["body"], "Customer called again");

    let changed = convo(
        &server,
        &[
            "ticket",
            "set",
            &id_text,
            "--status",
            "In Progress",
            "--priority",
            "low",
        ],
    )
    .await;
    assert_eq!(
        succeeded(&changed),
        format!("ticket #{id}: \"Refund loop\" (in_progress, low)")
    );
    let (_, read) = common::get(&server, &format!("/api/tickets/{id}/")).await;
    assert_eq!(
        (
            read["status"].as_str(),
            read["priority"].as_str(),
            read["title"].as_str()
        ),
        (Some("in_progress"), Some("low"), Some("Refund loop")),
        "only the fields given were changed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_needs_yes_and_then_hides_the_conversation() {
    let server = server().await;
    let refused = convo(&server, &["delete", "conv-5"]).await;
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
    assert_eq!(seen(&server), 0, "nothing is sent without --yes");

    let deleted = convo(&server, &["delete", "conv-5", "--yes"]).await;
    assert_eq!(
        succeeded(&deleted),
        "deleted conv-5 (hidden from lists; it still opens by id)"
    );
    let (_, listed) = common::get(&server, "/api/conversations/?full=false").await;
    assert_eq!(listed["count"], 4, "hidden from the list");
    let (status, row) = common::get(&server, "/api/conversations/5/").await;
    assert_eq!((status, row["is_deleted"].as_bool()), (200, Some(true)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vote_lands_and_a_second_one_replaces_it() {
    let server = server().await;
    let first = convo(
        &server,
        &[
            "vote",
            "31",
            "--sentiment",
            "negative",
            "--topic",
            "shipping",
            "--reason",
            "wrong_answer",
        ],
    )
    .await;
    let line = succeeded(&first);
    assert!(
        line.starts_with("vote #")
            && line.ends_with(" on message 31: negative · topic shipping · reason wrong_answer"),
        "{line}"
    );
    let again = convo(&server, &["vote", "31", "--sentiment", "positive"]).await;
    assert_eq!(code(&again), 0, "a repeat is an update: {}", stderr(&again));
    let (_, votes) = common::get(&server, "/api/feedbacks/?message=31").await;
    assert_eq!(votes["count"], 1, "one vote per message: {votes}");
    assert_eq!(votes["results"][0]["sentiment"], "positive");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_values_are_refused_before_anything_is_sent() {
    let server = server().await;
    let long = "x".repeat(256);
    let long_slug = "a".repeat(51);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["feedback", "conv-1", "--sentiment", "meh"],
            "positive, neutral, negative",
        ),
        (
            vec!["vote", "10", "--sentiment", "great"],
            "positive, neutral, negative",
        ),
        (vec!["rename", "conv-1", "   "], "cannot be empty"),
        (vec!["rename", "conv-1", &long], "at most 255"),
        (
            vec!["ticket", "new", "conv-1", "--title", " "],
            "cannot be empty",
        ),
        (
            vec![
                "ticket",
                "new",
                "conv-1",
                "--title",
                "T",
                "--priority",
                "urgent",
            ],
            "low, medium, high",
        ),
        (
            vec![
                "ticket", "new", "conv-1", "--title", "T", "--status", "stuck",
            ],
            "in_progress",
        ),
        (
            vec!["ticket", "set", "1", "--status", "stuck"],
            "in_progress",
        ),
        (vec!["ticket", "set", "1"], "nothing to set"),
        (vec!["ticket", "comment", "1", "  "], "cannot be empty"),
        (
            vec![
                "vote",
                "10",
                "--sentiment",
                "negative",
                "--topic",
                "two words",
            ],
            "not a slug",
        ),
        (
            vec![
                "vote",
                "10",
                "--sentiment",
                "negative",
                "--reason",
                &long_slug,
            ],
            "1–50",
        ),
        (vec!["mark", "  "], "conversation id is needed"),
        (vec!["delete", "conv-1"], "add --yes"),
    ];
    for (args, says) in cases {
        let out = convo(&server, &args).await;
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(says),
            "{args:?} should say {says:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
    assert_eq!(seen(&server), 0, "no refused value reached the server");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_key_is_told_it_needs_a_write_key() {
    let read_only = server_with(ServerConfig {
        role: Role::Read,
        ..ServerConfig::default()
    })
    .await;
    let writes = [
        vec!["mark", "1"],
        vec!["rename", "conv-1", "New"],
        vec!["delete", "conv-1", "--yes"],
        vec!["feedback", "conv-1", "--sentiment", "positive"],
        vec!["vote", "10", "--sentiment", "positive"],
        vec!["ticket", "new", "1", "--title", "T"],
    ];
    for args in &writes {
        let out = convo(&read_only, args).await;
        assert_eq!(code(&out), 3, "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("read-only key: needs a write key"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let (_, row) = common::get(&read_only, "/api/conversations/1/").await;
    assert_eq!(
        (row["is_marked"].as_bool(), row["name"].as_str()),
        (Some(false), Some("Order question 1"))
    );

    // The demo's second key has the read role on a server that takes writes.
    let server = server().await;
    let out = convo_at(&server.base_url(), DEMO_READ_API_KEY, &writes[0], &[]).await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("read-only key: needs a write key"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_conversation_or_ticket_is_exit_4() {
    let server = server().await;
    for (args, names) in [
        (vec!["mark", "conv-nope"], "conv-nope"),
        (vec!["rename", "999", "New"], "conversation 999"),
        (
            vec!["feedback", "999", "--sentiment", "positive"],
            "conversation 999",
        ),
        (
            vec!["ticket", "new", "999", "--title", "T"],
            "conversation 999",
        ),
        (vec!["ticket", "comment", "999", "hello"], "ticket #999"),
        (
            vec!["ticket", "set", "999", "--status", "done"],
            "ticket #999",
        ),
    ] {
        let out = convo(&server, &args).await;
        assert_eq!(code(&out), 4, "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("not found") && stderr(&out).contains(names),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_the_server_fails_is_sent_once() {
    let server = server_with(ServerConfig {
        fail_rate: 1.0,
        ..ServerConfig::default()
    })
    .await;
    let out = convo(&server, &["mark", "1"]).await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the server failed ("),
        "{}",
        stderr(&out)
    );
    assert_eq!(seen(&server), 1, "a failed write is never sent again");

    let out = convo(&server, &["ticket", "new", "1", "--title", "T"]).await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(seen(&server), 2, "one more request, not three");

    // A vote replaces any earlier one, so it is retried like a read.
    let out = convo(&server, &["vote", "10", "--sentiment", "positive"]).await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(seen(&server), 5, "the vote was tried three times");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_that_gets_no_answer_says_so_and_is_not_repeated() {
    let silent = Misbehaving::start(Behaviour::Hang).await;
    let out = convo_at(
        &silent.url(),
        DEMO_API_KEY,
        &["mark", "7"],
        &[("CONVO_TIMEOUT", "1")],
    )
    .await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("no answer from 127.0.0.1:")
            && said
                .contains("to the mark of 7: it may have been applied; check before repeating it"),
        "{said}"
    );
    assert_eq!(
        silent.requests(),
        1,
        "sent once: {:?}",
        silent.request_lines()
    );
    assert!(
        silent.request_lines()[0].starts_with("POST /api/conversations/7/mark/ "),
        "{:?}",
        silent.request_lines()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_connection_sent_nothing_and_says_so() {
    let endpoint = format!("http://{}", refused_addr());
    let out = convo_at(&endpoint, DEMO_API_KEY, &["rename", "7", "New"], &[]).await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot reach 127.0.0.1:"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains("may have been applied"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_takes_writes_and_chatdash_says_it_has_none() {
    let demo = convo_at(
        "",
        DEMO_API_KEY,
        &["--demo", "ticket", "new", "1", "--title", "Demo ticket"],
        &[],
    )
    .await;
    let line = succeeded(&demo);
    assert!(
        line.contains("filed on") && line.contains("\"Demo ticket\""),
        "{line}"
    );

    let chatdash = convo_at(
        "",
        DEMO_API_KEY,
        &["--demo", "--provider", "chatdash", "mark", "1"],
        &[],
    )
    .await;
    assert_eq!(code(&chatdash), 2, "{}", stderr(&chatdash));
    assert!(
        stderr(&chatdash).contains("ChatDash has no marking"),
        "{}",
        stderr(&chatdash)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_throttled_or_cut_off_write_is_not_repeated() {
    let throttled = Misbehaving::start(Behaviour::ThrottledSeconds(30)).await;
    let out = convo_at(&throttled.url(), DEMO_API_KEY, &["mark", "7"], &[]).await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("throttled by the server (429") && stderr(&out).contains("wait 30s"),
        "the wait is the person's to take: {}",
        stderr(&out)
    );
    assert_eq!(throttled.requests(), 1, "{:?}", throttled.request_lines());

    // The answer starts and the connection is reset inside its body.
    let cut = Misbehaving::start(Behaviour::ResetMidBody).await;
    let out = convo_at(
        &cut.url(),
        DEMO_API_KEY,
        &["ticket", "comment", "3", "Hi"],
        &[],
    )
    .await;
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("to the comment on ticket #3: it may have been applied"),
        "{}",
        stderr(&out)
    );
    assert_eq!(cut.requests(), 1, "{:?}", cut.request_lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_that_echoes_the_key_never_shows_it() {
    let echo = Misbehaving::start(Behaviour::EchoAuthorization(403)).await;
    let out = convo_at(&echo.url(), DEMO_API_KEY, &["rename", "7", "New"], &[]).await;
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let said = stderr(&out);
    let secret = &DEMO_API_KEY[4..36];
    assert!(said.contains("read-only key"), "{said}");
    assert!(!said.contains(secret), "the key leaked: {said}");
    assert!(
        said.contains(&convo::provider::http::mask_key(DEMO_API_KEY)),
        "the echo was masked, not lost: {said}"
    );
    echo.set(Behaviour::EchoAuthorization(400));
    let out = convo_at(
        &echo.url(),
        DEMO_API_KEY,
        &["ticket", "set", "3", "--status", "done"],
        &[],
    )
    .await;
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        !stderr(&out).contains(secret),
        "the key leaked: {}",
        stderr(&out)
    );
    assert_eq!(echo.requests(), 2);
}
