//! The `ChatDash` provider end to end against the local server's `ChatDash` routes on 127.0.0.1: list, filters, local paging and search, ids, messages, errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed step should stop the test on the spot

use crate::support::common;
use crate::support::misbehave;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use convo::provider::chatdash::{ChatDash, ChatDashConfig};
use convo::provider::http::RetryPolicy;
use convo::provider::model::{Flag, Number, When};
use convo::provider::{ConversationRef, Error, Provider};
use convo::server::chatdash::{ChatDashSettings, DEMO_AGENT, DEMO_CHATDASH_KEY, DEMO_PROJECT};
use convo::server::{RunningServer, ServerConfig};
use serde_json::{Value, json};

const NO_RETRY: fn() -> RetryPolicy = || RetryPolicy {
    attempts: 1,
    backoff: Vec::new(),
    max_retry_after: Duration::ZERO,
};

/// Six conversations covering every filterable field, two hidden by default.
fn records() -> Vec<Value> {
    vec![
        json!({"_id": "c1", "agentId": "demo-agent", "platformId": "vf-aaa", "name": "Ana García", "channel": "Webchat",
               "record": true, "interacted": true, "read": true, "isLive": false, "device": "mobile", "browser": "Safari",
               "os": "iOS", "countryCode": "ES", "ipAddress": "203.0.113.5", "createdAt": "2024-05-13T09:00:00.000Z",
               "endedAt": "2024-05-13T09:05:00.000Z", "summary": "Refund for a double charge",
               "evaluation": {"isSuccess": true, "reason": "refunded"}, "topic": "Billing", "subtopic": "Refund",
               "messages": [
                   {"sender": "bot", "type": "text", "content": {"text": "Hi!"}, "createdAt": "2024-05-13T09:00:01.000Z",
                    "metadata": {"model": "gpt-4o-mini", "total": 123}},
                   {"sender": "user", "type": "text", "content": {"text": "charged twice"}, "createdAt": "2024-05-13T09:00:30.000Z"},
                   {"sender": "agent", "type": "text", "content": {"text": "Maria here, refunded."}, "createdAt": "2024-05-13T09:02:00.000Z"}]}),
        json!({"_id": "c2", "platformId": "wamid.B", "name": "John", "channel": "WhatsApp", "phone": "+1 415 555 0142",
               "record": true, "interacted": true, "read": false, "isLive": true, "countryCode": "US",
               "createdAt": "2024-05-14T09:00:00.000Z", "status": "pending"}),
        json!({"_id": "c3", "platformId": "call_x", "name": "Lena", "channel": "Voice", "phone": "+49 151 2",
               "record": true, "interacted": true, "countryCode": "DE", "createdAt": "2024-05-15T09:00:00.000Z",
               "cost": 0.42, "duration": 3.5, "url": "https://rec.example/x.wav", "noAnswer": false}),
        json!({"_id": "c4", "name": "Yuki", "channel": "Instagram", "instagramId": "1784", "instagramUsername": "yuki_t",
               "record": true, "interacted": true, "createdAt": "2024-05-16T09:00:00.000Z"}),
        json!({"_id": "c5", "name": "Hidden unrecorded", "channel": "Webchat", "record": false, "interacted": true,
               "createdAt": "2024-05-17T09:00:00.000Z"}),
        json!({"_id": "c6", "name": "Hidden untouched", "channel": "Webchat", "record": true, "interacted": false,
               "createdAt": "2024-05-17T10:00:00.000Z"}),
    ]
}

async fn server_with(records: Vec<Value>, tweak: impl FnOnce(&mut ServerConfig)) -> RunningServer {
    let mut config = ServerConfig {
        chatdash: ChatDashSettings {
            records: Some(Arc::new(records)),
            ..ChatDashSettings::default()
        },
        ..ServerConfig::default()
    };
    tweak(&mut config);
    common::start(Vec::new(), config).await
}

fn provider(server: &RunningServer, key: &str, agent: &str) -> ChatDash {
    let mut config = ChatDashConfig::new(
        server.base_url(),
        Some(key.to_owned()),
        Some(agent.to_owned()),
    );
    config.retry = NO_RETRY();
    ChatDash::new(config).unwrap()
}

fn demo_provider(server: &RunningServer) -> ChatDash {
    provider(server, DEMO_CHATDASH_KEY, DEMO_AGENT)
}

/// `GET` a `ChatDash` path with a raw key; status and JSON body.
async fn raw_get(server: &RunningServer, path: &str, key: &str) -> (u16, Value) {
    let response = common::client()
        .get(format!("{}{path}", server.base_url()))
        .header("Authorization", key)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn ids(page: &convo::provider::Page) -> Vec<String> {
    page.conversations
        .iter()
        .map(convo::provider::Conversation::display_id)
        .collect()
}

#[tokio::test]
async fn the_list_applies_the_documented_record_and_interacted_default() {
    let server = server_with(records(), |_| {}).await;
    let (status, body) = raw_get(
        &server,
        "/agents/demo-agent/conversations",
        DEMO_CHATDASH_KEY,
    )
    .await;
    assert_eq!(status, 200);
    let listed: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["c4", "c3", "c2", "c1"],
        "newest first, hidden rows absent"
    );
    assert!(body[0].get("messages").is_none(), "messages are split off");
    let cd = demo_provider(&server);
    let page = cd.list(&cd.new_query(), 1, 50).await.unwrap();
    assert_eq!(
        (ids(&page), page.total, page.total_pages),
        (
            vec!["c4".into(), "c3".into(), "c2".into(), "c1".into()],
            4,
            1
        )
    );
    let (_, projects) = raw_get(
        &server,
        "/projects/demo-project/conversations",
        DEMO_CHATDASH_KEY,
    )
    .await;
    assert_eq!(projects.as_array().unwrap().len(), 4);
    assert_eq!(DEMO_PROJECT, "demo-project");
}

/// Filters set, and the ids expected back.
type Case = (
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

#[tokio::test]
async fn each_filter_narrows_the_list() {
    let server = server_with(records(), |_| {}).await;
    let cd = demo_provider(&server);
    let cases: &[Case] = &[
        (&[("record", "false")], &["c5"]),
        (&[("interacted", "no")], &["c6"]),
        (&[("record", "false"), ("interacted", "false")], &[]),
        (
            &[("startDate", "2024-05-14T09:00:00.000Z")],
            &["c4", "c3", "c2"],
        ),
        (&[("endDate", "2024-05-14T09:00:00.000Z")], &["c2", "c1"]),
        (
            &[("startDate", "2024-05-14"), ("endDate", "2024-05-15")],
            &["c3", "c2"],
        ),
        (&[("_id", "c3")], &["c3"]),
        (&[("platformId", "vf-aaa")], &["c1"]),
        (&[("name", "John")], &["c2"]),
        (&[("name", "Joh")], &[]),
        (&[("read", "yes")], &["c1"]),
        (&[("endedAt", "2024-05-13T09:05:00Z")], &["c1"]),
        (&[("browser", "Safari")], &["c1"]),
        (&[("device", "mobile")], &["c1"]),
        (&[("os", "iOS")], &["c1"]),
        (&[("countryCode", "DE")], &["c3"]),
        (&[("ipAddress", "203.0.113.5")], &["c1"]),
        (&[("isLive", "true")], &["c2"]),
        (&[("channel", "Voice")], &["c3"]),
        (&[("phone", "+1 415 555 0142")], &["c2"]),
        (&[("instagramId", "1784")], &["c4"]),
        (&[("instagramUsername", "yuki_t")], &["c4"]),
    ];
    for (pairs, expected) in cases {
        let mut query = cd.new_query();
        query.set_all(pairs.iter().copied()).unwrap();
        let page = cd.list(&query, 1, 50).await.unwrap();
        assert_eq!(ids(&page), *expected, "{pairs:?}");
        assert_eq!(page.total, expected.len() as u64, "{pairs:?}");
    }
}

#[tokio::test]
async fn local_paging_covers_the_array_once_and_search_is_local() {
    // The bundled demo: dozens of rows, several pages.
    let server = common::start(Vec::new(), ServerConfig::default()).await;
    let cd = demo_provider(&server);
    let query = cd.new_query();
    let first = cd.list(&query, 1, 7).await.unwrap();
    assert!(first.total > 30, "{}", first.total);
    assert_eq!(u64::from(first.total_pages), first.total.div_ceil(7));
    let mut seen = Vec::new();
    for page in 1..=first.total_pages {
        let listed = cd.list(&query, page, 7).await.unwrap();
        assert_eq!(
            (listed.total, listed.page, listed.total_pages),
            (first.total, page, first.total_pages)
        );
        seen.extend(ids(&listed));
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(seen.len() as u64, first.total);
    assert_eq!(unique.len(), seen.len(), "no row twice");
    let mut search = cd.new_query();
    search.set("search", "REFUND").unwrap();
    let found = cd.list(&search, 1, 100).await.unwrap();
    assert!(
        found.total > 0 && found.total < first.total,
        "{}",
        found.total
    );
    for row in &found.conversations {
        let text = serde_json::to_string(row).unwrap().to_lowercase();
        assert!(text.contains("refund"), "{text}");
    }
    let mut nothing = cd.new_query();
    nothing.set("search", "no such words anywhere").unwrap();
    let none = cd.list(&nothing, 1, 10).await.unwrap();
    assert_eq!((none.total, none.total_pages), (0, 1));
}

#[tokio::test]
async fn the_demo_has_every_kind_of_conversation() {
    let server = common::start(Vec::new(), ServerConfig::default()).await;
    let (status, body) = raw_get(
        &server,
        "/agents/demo-agent/conversations?record=true&interacted=true",
        DEMO_CHATDASH_KEY,
    )
    .await;
    assert_eq!(status, 200);
    let rows = body.as_array().unwrap();
    let channels: HashSet<&str> = rows.iter().filter_map(|r| r["channel"].as_str()).collect();
    for channel in ["Webchat", "WhatsApp", "Instagram", "Voice"] {
        assert!(channels.contains(channel), "{channel}");
    }
    assert!(rows.iter().any(|r| r["noAnswer"] == true));
    assert!(
        rows.iter()
            .any(|r| r["status"] == "human" && r["liveAgentName"].is_string())
    );
    assert!(rows.iter().any(|r| r["evaluation"]["isSuccess"] == false));
    assert!(
        rows.iter()
            .any(|r| r["url"].is_string() && r["cost"].is_number())
    );
    let newest = rows[0]["createdAt"].as_str().unwrap();
    let age = chrono::Utc::now() - convo::provider::model::parse_instant(newest).unwrap();
    assert!(
        age < chrono::Duration::days(1),
        "rebased to this week: {newest}"
    );
    let (_, hidden) = raw_get(
        &server,
        "/agents/demo-agent/conversations?record=false",
        DEMO_CHATDASH_KEY,
    )
    .await;
    assert!(!hidden.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_conversation_opens_by_id_and_by_platform_id_with_its_messages() {
    let server = server_with(records(), |_| {}).await;
    let cd = demo_provider(&server);
    let by_id = cd
        .conversation(&ConversationRef::Id("c1".into()))
        .await
        .unwrap();
    let by_platform = cd.conversation_by_platform_id("vf-aaa").await.unwrap();
    assert_eq!(by_id, by_platform);
    assert_eq!(by_id.conversation_id.as_deref(), Some("c1"));
    assert_eq!(by_id.id, None);
    assert_eq!(by_id.extra["summary"], "Refund for a double charge");
    assert_eq!(by_id.extra["evaluation"]["isSuccess"], true);
    assert_eq!(by_id.extra["platformId"], "vf-aaa");
    assert_eq!(
        by_id.geo_location.as_ref().unwrap().country.as_deref(),
        Some("ES")
    );
    let senders: Vec<&str> = by_id
        .messages()
        .iter()
        .map(|m| m.sender.as_deref().unwrap())
        .collect();
    assert_eq!(senders, ["agent", "end_user", "human_agent"]);
    assert_eq!(
        by_id.messages()[1].content.as_deref(),
        Some("charged twice")
    );
    assert_eq!(by_id.messages()[0].metadata.as_ref().unwrap()["total"], 123);
    let voice = cd
        .conversation(&ConversationRef::Id("c3".into()))
        .await
        .unwrap();
    assert_eq!(
        (
            voice.extra["cost"].as_f64(),
            voice.extra["duration"].as_f64()
        ),
        (Some(0.42), Some(3.5))
    );
    assert!(voice.messages().is_empty());
    let (status, _) = raw_get(
        &server,
        "/projects/demo-project/conversations/vf-aaa?isPlatformId=true",
        DEMO_CHATDASH_KEY,
    )
    .await;
    assert_eq!(status, 200);
    let (status, messages) = raw_get(
        &server,
        "/projects/demo-project/conversations/c1/messages",
        DEMO_CHATDASH_KEY,
    )
    .await;
    assert_eq!((status, messages.as_array().map(Vec::len)), (200, Some(3)));
    let attachments = cd
        .attachments(&ConversationRef::Id("c1".into()))
        .await
        .unwrap();
    assert_eq!(attachments.attachment_count, Some(0));
    assert_eq!(
        cd.whoami().await.unwrap().agent_name.as_deref(),
        Some(DEMO_AGENT)
    );
}

#[tokio::test]
async fn errors_are_classified_and_never_show_the_key() {
    let server = server_with(records(), |_| {}).await;
    let wrong_key = "cd_secret_0123456789abcdefSECRET";
    let (status, body) = raw_get(&server, "/agents/demo-agent/conversations", wrong_key).await;
    assert_eq!((status, body), (401, json!({"error": "Unauthorized"})));
    let err = provider(&server, wrong_key, DEMO_AGENT)
        .list(&convo::provider::chatdash::new_query(), 1, 10)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert!(
        !err.to_string().contains(wrong_key) && !format!("{err:?}").contains("SECRET"),
        "{err}"
    );
    let cd = demo_provider(&server);
    let missing = cd
        .conversation(&ConversationRef::Id("nope".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(&missing, Error::NotFound { what, .. } if what.contains("nope")),
        "{missing:?}"
    );
    assert!(
        cd.conversation_by_platform_id("c1").await.is_err(),
        "an _id is not a platform id"
    );
    let stranger = provider(&server, DEMO_CHATDASH_KEY, "someone-else");
    let err = stranger
        .list(&stranger.new_query(), 1, 10)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what, .. } if what.contains("someone-else")),
        "{err:?}"
    );
    let (status, _) = raw_get(&server, "/projects/other/conversations", DEMO_CHATDASH_KEY).await;
    assert_eq!(status, 404);
    let no_key = ChatDash::new(ChatDashConfig::new(
        server.base_url(),
        None,
        Some(DEMO_AGENT.into()),
    ))
    .unwrap_err();
    assert_eq!(
        no_key,
        Error::MissingKey {
            env: "CHATDASH_API_KEY"
        }
    );
}

#[tokio::test]
async fn a_failing_server_answers_the_documented_500() {
    let server = server_with(records(), |c| c.fail_rate = 1.0).await;
    let (status, body) = raw_get(
        &server,
        "/agents/demo-agent/conversations",
        DEMO_CHATDASH_KEY,
    )
    .await;
    assert_eq!(
        (status, body),
        (500, json!({"error": "An unexpected error occurred"}))
    );
    let cd = demo_provider(&server);
    let err = cd.list(&cd.new_query(), 1, 10).await.unwrap_err();
    assert_eq!(
        err,
        Error::Server {
            status: 500,
            detail: "An unexpected error occurred".into()
        }
    );
}

#[tokio::test]
async fn records_with_nulls_and_wrong_types_still_read() {
    let odd = vec![
        json!({"_id": "odd", "record": "true", "interacted": 1, "name": null, "cost": "1.5", "duration": "x",
               "createdAt": 1_715_590_800, "evaluation": "great", "mistunderstoodQueries": {"q": 1},
               "countryCode": 49, "isLive": null, "summary": ["a", "b"],
               "messages": [null, {"sender": 3, "content": null}, {"sender": "user", "content": {"text": 7}}]}),
        json!({"_id": 42, "record": true, "interacted": true, "createdAt": "garbage"}),
    ];
    let server = server_with(odd, |_| {}).await;
    let cd = demo_provider(&server);
    let page = cd.list(&cd.new_query(), 1, 10).await.unwrap();
    assert_eq!(page.total, 2);
    let row = cd
        .conversation(&ConversationRef::Id("odd".into()))
        .await
        .unwrap();
    assert_eq!(row.name, None);
    assert_eq!(row.extra["cost"], 1.5);
    assert!(row.extra.get("duration").is_none());
    assert!(
        row.started_at.as_ref().unwrap().instant().is_some(),
        "epoch seconds read"
    );
    assert_eq!(
        row.geo_location.as_ref().unwrap().country.as_deref(),
        Some("49")
    );
    assert_eq!(row.messages().len(), 3);
    assert_eq!(row.messages()[1].sender.as_deref(), Some("3"));
    assert_eq!(row.messages()[2].content.as_deref(), Some(r#"{"text":7}"#));
    let numeric = cd
        .conversation(&ConversationRef::parse("42").unwrap())
        .await
        .unwrap();
    assert_eq!(numeric.conversation_id.as_deref(), Some("42"));
}

/// Wrongly typed `ChatDash` fields read, through the HTTP stack, into the
/// typed facts the screens show: converted where they convert, kept as their
/// text where they do not, nothing where `null` — and a record saved as JSON
/// and read back has the same facts.
#[tokio::test]
async fn odd_types_read_into_the_typed_facts() {
    let odd = vec![json!({
        "_id": "odd", "record": "yes", "interacted": 1, "read": "no", "channel": 7, "cost": "0.42",
        "duration": "long", "isLive": "yes", "noAnswer": 0, "summary": {"text": "hi"}, "topic": ["a", "b"],
        "subtopic": null, "status": "HUMAN", "liveAgentName": 12, "note": "  ", "url": true,
        "evaluation": {"isSuccess": "false", "reason": 3}, "mistunderstoodQueries": [{"question": 5}, null],
        "phone": 4915, "customAnalysis": "plain", "updatedAt": "soon", "brandNew": {"k": 1},
        "createdAt": "2024-05-13T09:00:00.000Z"
    })];
    let server = server_with(odd, |_| {}).await;
    let cd = demo_provider(&server);
    let row = cd
        .conversation(&ConversationRef::Id("odd".into()))
        .await
        .unwrap();
    let facts = row.facts();
    assert_eq!(facts.channel.as_deref(), Some("7"));
    assert_eq!(
        facts.cost,
        Some(Number::Value(0.42)),
        "a number as a string"
    );
    assert_eq!(facts.duration, None, "not a number: never a made-up one");
    assert_eq!(facts.is_live, Some(Flag::Yes), "\"yes\" is yes");
    assert_eq!(facts.no_answer, Some(Flag::No));
    assert_eq!(
        (&facts.read, &facts.recorded, &facts.interacted),
        (&Some(Flag::No), &Some(Flag::Yes), &Some(Flag::Yes))
    );
    assert_eq!(
        facts.summary.as_deref(),
        Some(r#"{"text":"hi"}"#),
        "an object as its text"
    );
    assert_eq!(facts.topic.as_deref(), Some(r#"["a","b"]"#));
    assert_eq!(
        (&facts.subtopic, &facts.note),
        (&None, &None),
        "null and blank are nothing"
    );
    assert!(
        facts.is_with_a_person(),
        "status words are read whatever their case"
    );
    assert_eq!(facts.live_agent_name.as_deref(), Some("12"));
    assert_eq!(facts.recording.as_deref(), Some("true"));
    assert!(facts.is_call, "a call by its call facts");
    let evaluation = facts.evaluation.clone().unwrap();
    assert_eq!(evaluation.succeeded(), Some(false));
    assert_eq!(evaluation.reason.as_deref(), Some("3"));
    assert_eq!(facts.misunderstood, Some(vec!["5".to_owned()]));
    assert_eq!(facts.phone.as_deref(), Some("4915"));
    assert_eq!(facts.custom_analysis, Some(json!("plain")));
    assert!(
        matches!(&facts.updated_at, Some(When::At(t)) if t.as_str() == "soon" && t.instant().is_none())
    );
    assert_eq!(row.other_fields().keys().collect::<Vec<_>>(), ["brandNew"]);

    let saved = serde_json::to_string(&row).unwrap();
    let read_back: convo::provider::Conversation = serde_json::from_str(&saved).unwrap();
    assert_eq!(
        read_back.facts(),
        facts,
        "a saved record reads back to the same facts"
    );
}

#[tokio::test]
async fn paging_reuses_the_fetched_array() {
    let server = server_with(records(), |_| {}).await;
    let cd = demo_provider(&server);
    let query = cd.new_query();
    let first = cd.list(&query, 1, 2).await.unwrap();
    assert_eq!(first.total_pages, 2);
    // With the server gone, page 2 still comes from the kept array.
    drop(server);
    let second = cd.list(&query, 2, 2).await.unwrap();
    assert_eq!(ids(&second), ["c2", "c1"]);
    assert!(cd.list(&query, 1, 2).await.is_err(), "page 1 asks again");
}

/// `r` on page 2 asks the provider for page 2 again: that must reach the
/// server, not the array page 1 fetched. A forwarder switched from one server
/// to another stands for the server's data changing between the two asks.
#[tokio::test]
async fn asking_for_a_shown_page_again_refetches_it() {
    let before = server_with(records(), |_| {}).await;
    let mut changed = records();
    changed[0]["name"] = json!("Ana Renamed");
    changed[0]["_id"] = json!("c1-new");
    let after = server_with(changed, |_| {}).await;
    let front = misbehave::Misbehaving::start(misbehave::Behaviour::Forward(before.addr())).await;
    let mut config = ChatDashConfig::new(
        front.url(),
        Some(DEMO_CHATDASH_KEY.to_owned()),
        Some(DEMO_AGENT.to_owned()),
    );
    config.retry = NO_RETRY();
    let cd = ChatDash::new(config).unwrap();
    let query = cd.new_query();

    cd.list(&query, 1, 2).await.unwrap();
    let shown = cd.list(&query, 2, 2).await.unwrap();
    assert_eq!(ids(&shown), ["c2", "c1"]);
    assert_eq!(
        front.requests(),
        1,
        "page 2 comes from the array page 1 fetched"
    );

    front.set(misbehave::Behaviour::Forward(after.addr()));
    let refreshed = cd.list(&query, 2, 2).await.unwrap();
    assert_eq!(front.requests(), 2, "the refresh of page 2 asks the server");
    assert_eq!(ids(&refreshed), ["c2", "c1-new"]);
    assert_eq!(
        refreshed.conversations[1].name.as_deref(),
        Some("Ana Renamed")
    );
    // The page after it, not yet served from the new array, reuses it.
    cd.list(&query, 3, 2).await.ok();
    assert_eq!(
        front.requests(),
        2,
        "a page not yet served reuses the array"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_platform_id_goes_through_the_trait_and_the_command_line() {
    let server = server_with(records(), |_| {}).await;
    let cd = demo_provider(&server);
    let by_trait = cd
        .conversation(&ConversationRef::Platform("vf-aaa".into()))
        .await
        .unwrap();
    assert_eq!(by_trait.conversation_id.as_deref(), Some("c1"));

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"voice\"\n[profiles.voice]\nprovider = \"chatdash\"\nendpoint = \"{}\"\nagent_id = \"{DEMO_AGENT}\"\napi_key_env = \"VOICE_KEY\"\n",
            server.base_url()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"));
        cmd.arg("--config")
            .arg(&config)
            .args(args)
            .env("VOICE_KEY", DEMO_CHATDASH_KEY)
            .env_remove("CHATDASH_API_KEY")
            .env_remove("CONVO_PROFILE")
            .env("TZ", "UTC");
        async move { cmd.output().await.unwrap() }
    };
    let out = run(&["show", "--platform-id", "vf-aaa", "--format", "json"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["_id"].as_str().or(doc["conversation_id"].as_str()),
        Some("c1"),
        "{doc}"
    );

    // The same text without the flag is a ChatDash id, which this is not.
    let out = run(&["show", "vf-aaa"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("vf-aaa"), "{stderr}");
}
