//! Every route of the local server through real HTTP: auth, roles, errors, single fetches, attachments, metadata, writes read back, and injected faults.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers as well as tests stop on the first surprise

use crate::support::common;

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use convo::server::{DEMO_API_KEY, Role, RunningServer, ServerConfig};
use reqwest::Method;
use serde_json::{Value, json};

/// A small set with every shape the routes care about.
fn records() -> Vec<Value> {
    vec![
        json!({
            "id": 42, "conversation_id": "conv-abc-123", "name": "Support Chat",
            "customer_id": "user-456", "environment": "production", "is_marked": false,
            "started_at": "2024-01-15T10:30:00Z",
            "metadata": {"priority": "high", "tier": "premium", "analysis": {"sentiment": "positive", "score": 3}},
            "brand_new_field": {"kept": true},
            "messages": [
                {"id": 101, "timestamp": "2024-01-15T10:30:05Z", "sender": "end_user", "content": "hi",
                 "attachments": [{"id": 201, "type": "image", "filename": "s.png"}, {"id": 202, "type": "document", "filename": "r.pdf"}]},
                {"id": 102, "timestamp": "2024-01-15T10:30:08Z", "sender": "agent", "content": "looking",
                 "action_name": "database_lookup", "attachments": [],
                 "metadata": {"channel": "web", "nlu": {"intent": "greet"}},
                 "action_logs": [{"id": 301, "duration_ms": 12.5, "error_message": ""}],
                 "feedback": {"id": 900, "sentiment": "negative", "topic": "accuracy", "reason": "wrong_order"}},
                {"id": 103, "timestamp": "2024-01-15T10:31:00Z", "sender": "agent", "content": "here",
                 "attachments": [{"id": 203, "type": "text", "filename": "n.txt"}]}
            ],
            "feedbacks": [{"id": 5, "sentiment": "positive", "source": "customer", "comment": "Very helpful!"}],
            "token_usage": {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15, "cost_usd": "0.0012",
                            "cost_sources": ["backend"], "by_model": []}
        }),
        json!({
            "id": 43, "conversation_id": "conv-def-456", "name": "Refund",
            "environment": "development", "started_at": "2024-01-16T10:30:00Z",
            "metadata": {"priority": "low", "count": 2, "flag": true},
            "messages": [{"id": 104, "content": "refund please", "sender": "end_user"}],
            "tickets": [
                {"id": 7, "title": "Refund stuck", "status": "open", "priority": "high", "tags": ["billing"]},
                {"id": 8, "title": "Wrong order looked up", "status": "done", "priority": "low",
                 "tags": ["orders", "vip"], "created_at": "2024-01-16T12:00:00Z", "updated_at": "2024-01-18T09:00:00Z",
                 "feedback": {"id": 900},
                 "comments": [
                     {"id": 2, "author": "Sam", "role": "dev", "body": "Fixed the lookup", "created_at": "2024-01-17T10:00:00Z"},
                     {"id": 1, "author": "Ana", "role": "reporter", "body": "Customer saw the wrong order", "created_at": "2024-01-16T12:05:00Z"}
                 ]}
            ]
        }),
        json!({
            "id": 44, "conversation_id": "conv-deleted", "name": "Gone",
            "is_deleted": true, "deleted_at": "2024-02-01T00:00:00Z", "started_at": "2024-01-17T10:30:00Z",
            "metadata": {"secret": "only-here"}
        }),
        json!({"conversation_id": "12345", "name": "Numeric business id", "started_at": "2024-01-14T10:30:00Z"}),
        json!({"name": "No ids at all"}),
    ]
}

async fn server_with(config: ServerConfig) -> RunningServer {
    common::start(common::conversations(&records()), config).await
}

async fn server() -> RunningServer {
    server_with(ServerConfig::default()).await
}

async fn raw_get(server: &RunningServer, path: &str, auth: Option<&str>) -> reqwest::Response {
    let mut request = common::client().get(format!("{}{path}", server.base_url()));
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn auth_needs_the_api_key_scheme_and_the_right_key() {
    let server = server().await;
    for (auth, detail) in [
        (None, "Authentication credentials were not provided."),
        (
            Some(format!("Bearer {DEMO_API_KEY}")),
            "Authentication credentials were not provided.",
        ),
        (
            Some("Api-Key ags_22222222222222222222222222222222_222222".to_owned()),
            "Invalid API key.",
        ),
        (
            Some("Api-Key".to_owned()),
            "Invalid API key header. No credentials provided.",
        ),
    ] {
        for path in [
            "/api/me/",
            "/api/conversations/",
            "/api/conversations/42/",
            "/api/nope/",
        ] {
            let response = raw_get(&server, path, auth.as_deref()).await;
            assert_eq!(response.status(), 401, "{auth:?} {path}");
            assert_eq!(response.headers()["www-authenticate"], "Api-Key");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body, json!({"detail": detail}), "{auth:?} {path}");
        }
    }
    let response = raw_get(
        &server,
        "/api/me/",
        Some(&format!("Api-Key {DEMO_API_KEY}")),
    )
    .await;
    assert_eq!(response.status(), 200);
    // The scheme is matched without regard to case, as DRF does.
    let response = raw_get(
        &server,
        "/api/me/",
        Some(&format!("api-key {DEMO_API_KEY}")),
    )
    .await;
    assert_eq!(response.status(), 200);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_custom_key_replaces_the_demo_key() {
    let key = "ags_0123456789abcdef0123456789abcdef_abc123";
    let server = server_with(ServerConfig {
        api_key: key.to_owned(),
        ..ServerConfig::default()
    })
    .await;
    assert_eq!(
        raw_get(&server, "/api/me/", Some(&format!("Api-Key {key}")))
            .await
            .status(),
        200
    );
    assert_eq!(
        raw_get(
            &server,
            "/api/me/",
            Some(&format!("Api-Key {DEMO_API_KEY}"))
        )
        .await
        .status(),
        401
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_inactive_subscription_answers_401_naming_the_subscription() {
    let server = server_with(ServerConfig {
        subscription_inactive: true,
        ..ServerConfig::default()
    })
    .await;
    for path in ["/api/me/", "/api/conversations/", "/api/conversations/42/"] {
        let (status, body) = common::get(&server, path).await;
        assert_eq!(status, 401, "{path}");
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("subscription"),
            "{body}"
        );
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn me_names_the_agent_role_and_both_environments() {
    for role in [Role::Read, Role::Write] {
        let server = server_with(ServerConfig {
            role,
            ..ServerConfig::default()
        })
        .await;
        let (status, body) = common::get(&server, "/api/me/").await;
        assert_eq!(status, 200);
        assert_eq!(body["role"], role.as_str());
        assert!(body["agent_id"].is_i64() && body["agent_name"].is_string());
        let envs = body["environments"].as_array().unwrap();
        let slugs: Vec<&str> = envs.iter().map(|e| e["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["production", "development"]);
        assert_eq!(envs[0]["is_production"], true);
        assert_eq!(envs[1]["is_production"], false);
        for e in envs {
            for key in [
                "id",
                "slug",
                "name",
                "is_production",
                "created_at",
                "updated_at",
            ] {
                assert!(e.get(key).is_some(), "{key}");
            }
        }
        server.shutdown().await.unwrap();
    }
}

#[tokio::test]
async fn a_read_key_gets_403_on_every_write_and_changes_nothing() {
    let server = server_with(ServerConfig {
        role: Role::Read,
        ..ServerConfig::default()
    })
    .await;
    let writes = [
        (
            Method::POST,
            "/api/conversations/42/mark/",
            json!({"is_marked": true}),
        ),
        (
            Method::PATCH,
            "/api/conversations/42/rename/",
            json!({"name": "x"}),
        ),
        (
            Method::POST,
            "/api/feedbacks/",
            json!({"kind": "conversation", "conversation": 42, "sentiment": "negative"}),
        ),
        (
            Method::POST,
            "/api/tickets/",
            json!({"title": "t", "conversation_id": 42}),
        ),
        // Forbidden comes before not-found, as DRF checks permissions first.
        (
            Method::POST,
            "/api/conversations/999/mark/",
            json!({"is_marked": true}),
        ),
    ];
    for (method, path, body) in writes {
        let (status, answer) = common::send(&server, method.clone(), path, &body).await;
        assert_eq!(status, 403, "{method} {path}");
        assert_eq!(
            answer,
            json!({"detail": "You do not have permission to perform this action."})
        );
    }
    let (_, c) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(c["is_marked"], false);
    assert_eq!(c["name"], "Support Chat");
    assert_eq!(c["feedbacks"].as_array().unwrap().len(), 1);
    assert_eq!(c["tickets"], json!([]));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn unknown_things_are_404_and_wrong_methods_405() {
    let server = server().await;
    for path in [
        "/api/conversations/999/",
        "/api/conversations/no-such-id/",
        "/api/conversations/999/attachments/",
        "/api/nope/",
        "/api/conversations/42/nope/",
        "/elsewhere",
    ] {
        let (status, body) = common::get(&server, path).await;
        assert_eq!(
            (status, body),
            (404, json!({"detail": "Not found."})),
            "{path}"
        );
    }
    for (method, path) in [
        (Method::PUT, "/api/conversations/42/"),
        (Method::PUT, "/api/feedbacks/"),
        (Method::GET, "/api/conversations/42/mark/"),
        (Method::POST, "/api/conversations/"),
    ] {
        let (status, body) = common::send(&server, method.clone(), path, &json!({})).await;
        assert_eq!(status, 405, "{method} {path}");
        assert_eq!(body["detail"], format!("Method \"{method}\" not allowed."));
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_list_parameters_are_a_field_map_naming_every_one() {
    let server = server().await;
    let (status, body) = common::get(
        &server,
        "/api/conversations/?feedback_sentiment=angry&is_marked=maybe&started_at_after=yesterday&environment=staging&customer_ip_address=1.2.3&ordering=newest&device=mobile&include_tickets=maybe",
    )
    .await;
    assert_eq!(status, 400);
    let map = body.as_object().unwrap();
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "feedback_sentiment",
            "is_marked",
            "started_at_after",
            "customer_ip_address",
            "environment",
            "include_tickets"
        ]
    );
    assert_eq!(
        body["environment"],
        json!(["Select a valid choice. staging is not one of the available choices."])
    );
    assert_eq!(
        body["feedback_sentiment"],
        json!(["Select a valid choice. angry is not one of the available choices."])
    );
    for messages in map.values() {
        let messages = messages.as_array().unwrap();
        assert!(!messages.is_empty() && messages.iter().all(Value::is_string));
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn pages_past_the_end_are_invalid_but_an_empty_first_page_is_not() {
    let server = server().await;
    for path in [
        "/api/conversations/?page=2",
        "/api/conversations/?page=0",
        "/api/conversations/?page=x",
        "/api/conversations/?device=none&page=2",
    ] {
        let (status, body) = common::get(&server, path).await;
        assert_eq!(
            (status, body),
            (404, json!({"detail": "Invalid page."})),
            "{path}"
        );
    }
    let (status, body) = common::get(&server, "/api/conversations/?device=none").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"count": 0, "page_size": 15, "total_pages": 1, "current_page": 1, "next": null, "previous": null, "results": []})
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn links_are_built_from_the_host_the_client_used() {
    let server = server().await;
    let response = common::client()
        .get(format!(
            "{}/api/conversations/?page_size=1&full=false",
            server.base_url()
        ))
        .header("Authorization", format!("Api-Key {DEMO_API_KEY}"))
        // A loopback name: any other is refused on a loopback bind (DNS rebinding).
        .header("Host", "localhost:9000")
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["next"],
        "http://localhost:9000/api/conversations/?full=false&page=2&page_size=1"
    );
    assert_eq!(body["previous"], Value::Null);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_single_fetch_takes_a_pk_or_a_string_id_and_carries_tickets_and_usage() {
    let server = server().await;
    let (status, by_pk) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(status, 200);
    let (_, by_id) = common::get(&server, "/api/conversations/conv-abc-123/").await;
    assert_eq!(by_pk, by_id);
    assert_eq!(by_pk["messages"].as_array().unwrap().len(), 3);
    assert_eq!(by_pk["feedbacks"][0]["comment"], "Very helpful!");
    assert_eq!(
        by_pk["tickets"],
        json!([]),
        "tickets are always there on a single fetch"
    );
    // Restated as the live service writes costs: a decimal string with 8 places.
    assert_eq!(by_pk["token_usage"]["cost_usd"], "0.00120000");
    assert_eq!(
        by_pk["brand_new_field"],
        json!({"kept": true}),
        "unknown fields are kept"
    );

    let (_, other) = common::get(&server, "/api/conversations/43/?full=true").await;
    assert_eq!(other["token_usage"], Value::Null);
    assert!(
        other.as_object().unwrap().contains_key("token_usage"),
        "an explicit null"
    );
    assert_eq!(
        other["tickets"][0]["title"], "Refund stuck",
        "no creation time sorts first"
    );

    // The detail ignores `full`: always the whole conversation.
    let (_, light) = common::get(&server, "/api/conversations/42/?full=false").await;
    assert_eq!(light, by_pk);
    assert_eq!(light["message_count"], 3);
    assert_eq!(light["feedback_count"], 2, "a feedback and a message vote");
    assert_eq!(light["messages"][1]["conversation"], 42);

    // A deleted conversation is still there by direct fetch.
    let (status, gone) = common::get(&server, "/api/conversations/conv-deleted/").await;
    assert_eq!(status, 200);
    assert_eq!(gone["is_deleted"], true);

    // An all-digit business id that is not a pk still resolves.
    let (status, numeric) = common::get(&server, "/api/conversations/12345/").await;
    assert_eq!(status, 200);
    assert_eq!(numeric["name"], "Numeric business id");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn missing_ids_are_assigned_at_load() {
    let server = server().await;
    let (_, page) = common::get(
        &server,
        "/api/conversations/?full=false&include_deleted=true&ordering=id",
    )
    .await;
    let rows = page["results"].as_array().unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [42, 43, 44, 45, 46]);
    let no_ids = rows.iter().find(|r| r["name"] == "No ids at all").unwrap();
    assert_eq!(no_ids["conversation_id"], "conv-46");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn attachments_are_one_flat_list_naming_their_messages() {
    let server = server().await;
    let (status, by_pk) = common::get(&server, "/api/conversations/42/attachments/").await;
    assert_eq!(status, 200);
    let (_, by_id) = common::get(&server, "/api/conversations/conv-abc-123/attachments/").await;
    assert_eq!(by_pk, by_id);
    assert_eq!(by_pk["conversation_id"], "conv-abc-123");
    assert_eq!(by_pk["conversation"], 42);
    assert_eq!(by_pk["attachment_count"], 3);
    let files = by_pk["attachments"].as_array().unwrap();
    let pairs: Vec<(i64, i64)> = files
        .iter()
        .map(|a| (a["id"].as_i64().unwrap(), a["message"].as_i64().unwrap()))
        .collect();
    assert_eq!(pairs, [(201, 101), (202, 101), (203, 103)]);
    assert_eq!(files[1]["filename"], "r.pdf");
    assert_eq!(files[0]["type"], "image");
    assert!(by_pk.get("messages").is_none() && by_pk.get("total_attachments").is_none());

    let (_, none) = common::get(&server, "/api/conversations/43/attachments/").await;
    assert_eq!(
        none,
        json!({"conversation_id": "conv-def-456", "conversation": 43, "attachment_count": 0, "attachments": []})
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn metadata_discovery_answers_objects_of_dotted_keys_and_typed_values() {
    let server = server().await;
    let (status, keys) = common::get(&server, "/api/conversations/metadata-keys/").await;
    assert_eq!(status, 200);
    assert_eq!(
        keys,
        json!({"keys": ["analysis.score", "analysis.sentiment", "count", "flag", "priority", "tier"]}),
        "nested keys as dotted paths; deleted rows' keys are left out"
    );
    let (_, values) =
        common::get(&server, "/api/conversations/metadata-values/?key=priority").await;
    assert_eq!(
        values,
        json!({"key": "priority", "values": ["high", "low"]})
    );
    let (_, values) = common::get(
        &server,
        "/api/conversations/metadata-values/?key=analysis.score",
    )
    .await;
    assert_eq!(
        values,
        json!({"key": "analysis.score", "values": [3]}),
        "numbers stay numbers; dotted keys reach nested values"
    );
    let (_, values) = common::get(&server, "/api/conversations/metadata-values/?key=nope").await;
    assert_eq!(values, json!({"key": "nope", "values": []}));
    for path in [
        "/api/conversations/metadata-values/",
        "/api/conversations/metadata-values/?key=",
    ] {
        let (status, body) = common::get(&server, path).await;
        assert_eq!(
            (status, body),
            (400, json!({"key": ["This field is required."]})),
            "{path}"
        );
    }
    let (status, keys) = common::get(&server, "/api/conversations/message-metadata-keys/").await;
    assert_eq!(status, 200);
    assert_eq!(keys, json!({"keys": ["channel", "nlu.intent"]}));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn mark_and_rename_change_what_later_reads_see() {
    let server = server().await;
    let (status, row) = common::send(
        &server,
        Method::POST,
        "/api/conversations/42/mark/",
        &json!({"is_marked": true}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (row["id"].clone(), row["is_marked"].clone()),
        (json!(42), json!(true))
    );
    let (_, marked) = common::get(&server, "/api/conversations/?is_marked=true&full=false").await;
    let ids: Vec<i64> = marked["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [42]);

    let (status, row) = common::send(
        &server,
        Method::PATCH,
        "/api/conversations/conv-def-456/rename/",
        &json!({"name": "  Überweisung zurück  "}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(row["name"], "Überweisung zurück", "trimmed, as DRF does");
    assert_eq!(row["conversation_id"], "conv-def-456");
    let (_, found) = common::get(
        &server,
        "/api/conversations/?search=%C3%9CBERWEISUNG&full=false",
    )
    .await;
    assert_eq!(found["count"], 1, "the new name is searchable");
    let (_, c) = common::get(&server, "/api/conversations/43/").await;
    assert_eq!(c["name"], "Überweisung zurück");

    for (body, message) in [
        (json!({"name": ""}), "Field 'name' cannot be empty."),
        (json!({"name": "   "}), "Field 'name' cannot be empty."),
        (json!({}), "Field 'name' cannot be empty."),
        (
            json!({"name": "x".repeat(256)}),
            "Field 'name' cannot be longer than 255 characters.",
        ),
        (json!({"name": ["a"]}), "Field 'name' must be a string."),
    ] {
        let (status, answer) = common::send(
            &server,
            Method::PATCH,
            "/api/conversations/43/rename/",
            &body,
        )
        .await;
        assert_eq!((status, answer), (400, json!({"detail": message})));
    }
    let (status, _) = common::send(
        &server,
        Method::PATCH,
        "/api/conversations/43/rename/",
        &json!({"name": "é".repeat(255)}),
    )
    .await;
    assert_eq!(status, 200, "255 characters (not bytes) is the limit");
    let (status, answer) = common::send(
        &server,
        Method::POST,
        "/api/conversations/42/mark/",
        &json!({"is_marked": "perhaps"}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (400, json!({"is_marked": ["Must be a valid boolean."]}))
    );
    let (status, _) = common::send(
        &server,
        Method::POST,
        "/api/conversations/999/mark/",
        &json!({"is_marked": true}),
    )
    .await;
    assert_eq!(status, 404);
    let response = common::client()
        .post(format!("{}/api/conversations/42/mark/", server.base_url()))
        .header("Authorization", format!("Api-Key {DEMO_API_KEY}"))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("JSON parse error"),
        "{body}"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn feedback_is_filed_by_string_id_or_pk_and_then_filters_see_it() {
    let server = server().await;
    let (status, fb) = common::send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "conversation", "conversation_id": "conv-def-456", "sentiment": "negative", "comment": "Still no refund"}),
    )
    .await;
    assert_eq!(status, 201, "{fb}");
    assert_eq!(fb["kind"], "conversation");
    assert_eq!(fb["conversation"], 43);
    assert_eq!(fb["conversation_id"], "conv-def-456");
    assert_eq!(fb["sentiment"], "negative");
    assert_eq!(fb["comment"], "Still no refund");
    assert!(
        fb["id"].as_i64().unwrap() > 5,
        "new ids follow the existing ones"
    );
    let created: DateTime<Utc> = fb["created_at"].as_str().unwrap().parse().unwrap();
    assert!((Utc::now() - created).num_seconds().abs() < 3600);

    let (status, fb2) = common::send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "conversation", "conversation": 42, "sentiment": "neutral"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_ne!(fb2["id"], fb["id"]);

    let (_, negative) = common::get(
        &server,
        "/api/conversations/?feedback_sentiment=negative&full=false",
    )
    .await;
    // 43 by its new feedback, 42 by a message vote.
    assert_eq!(negative["count"], 2);
    assert_eq!(negative["results"][0]["id"], 43);
    assert_eq!(
        negative["results"][0]["feedback_count"], 1,
        "lean counts follow writes"
    );
    assert_eq!(negative["results"][1]["id"], 42);
    assert_eq!(
        negative["results"][1]["feedback_count"], 3,
        "two feedbacks and a vote"
    );
    let (_, c) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(c["feedbacks"].as_array().unwrap().len(), 2);
    let (_, listed) = common::get(&server, "/api/feedbacks/?conversation=43").await;
    assert_eq!(listed["count"], 1);
    assert_eq!(listed["results"][0]["id"], fb["id"]);

    let (status, errors) = common::send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "conversation", "conversation_id": "nope", "sentiment": "angry"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        errors["sentiment"],
        json!(["\"angry\" is not a valid choice."])
    );
    assert!(
        errors["conversation_id"][0]
            .as_str()
            .unwrap()
            .contains("nope")
    );
    let (status, errors) = common::send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"conversation": 42}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(errors["sentiment"], json!(["This field is required."]));
    let (status, errors) = common::send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"sentiment": "positive"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(errors.get("conversation").is_some(), "{errors}");
    let (status, errors) =
        common::send(&server, Method::POST, "/api/feedbacks/", &json!([1, 2])).await;
    assert_eq!(
        (status, errors),
        (
            400,
            json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]})
        )
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn tickets_are_filed_validated_and_then_listed() {
    let server = server().await;
    let (status, ticket) = common::send(
        &server,
        Method::POST,
        "/api/tickets/",
        &json!({"title": "Customer charged twice", "status": "in_progress", "priority": "high", "tags": ["billing", "urgent"], "conversation_id": 42}),
    )
    .await;
    assert_eq!(status, 201, "{ticket}");
    assert_eq!(ticket["title"], "Customer charged twice");
    assert_eq!(ticket["status"], "in_progress");
    assert_eq!(ticket["priority"], "high");
    assert_eq!(ticket["tags"], json!(["billing", "urgent"]));
    assert_eq!(ticket["environment"], "production");
    assert_eq!(ticket["conversation"]["id"], 42);
    assert_eq!(ticket["conversation"]["conversation_id"], "conv-abc-123");
    assert_eq!(ticket["comments"], json!([]));
    assert!(ticket["id"].as_i64().unwrap() > 7);

    let (_, with_tickets) = common::get(
        &server,
        "/api/conversations/?include_tickets=true&full=false&ordering=id",
    )
    .await;
    let ids: Vec<i64> = with_tickets["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [42, 43]);
    assert_eq!(
        with_tickets["results"][0]["tickets"][0]["title"],
        "Customer charged twice"
    );
    let (_, c) = common::get(&server, "/api/conversations/conv-abc-123/").await;
    assert_eq!(c["tickets"][0]["status"], "in_progress");

    // Defaults, and a ticket filed from feedback inherits its conversation.
    let (status, from_feedback) = common::send(
        &server,
        Method::POST,
        "/api/tickets/",
        &json!({"title": "From feedback", "feedback_id": 5}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        (
            from_feedback["status"].clone(),
            from_feedback["priority"].clone()
        ),
        (json!("open"), json!("medium"))
    );
    assert_eq!(from_feedback["conversation"]["id"], 42);
    assert_eq!(from_feedback["feedback"]["id"], 5);
    assert_eq!(from_feedback["feedback"]["kind"], "conversation");
    assert_eq!(from_feedback["feedback"]["comment"], "Very helpful!");

    let (status, loose) = common::send(
        &server,
        Method::POST,
        "/api/tickets/",
        &json!({"title": "Not about a conversation"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(loose["conversation"], Value::Null);

    // Every filed ticket is on the ticket routes, the loose one too, newest first.
    let (_, listed) = common::get(&server, "/api/tickets/").await;
    // ("Refund stuck" has no creation time, so it sorts first, as nulls do descending.)
    let titles: Vec<&str> = listed["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .filter(|t| *t != "Refund stuck")
        .collect();
    assert_eq!(
        titles[..3],
        [
            "Not about a conversation",
            "From feedback",
            "Customer charged twice"
        ]
    );
    let (_, promoted) = common::get(
        &server,
        "/api/feedbacks/?include_tickets=true&kind=conversation",
    )
    .await;
    assert_eq!(promoted["count"], 1);
    assert_eq!(promoted["results"][0]["id"], 5);
    assert_eq!(promoted["results"][0]["ticket"]["title"], "From feedback");

    let (status, errors) = common::send(
        &server,
        Method::POST,
        "/api/tickets/",
        &json!({"status": "doing", "priority": "urgent", "tags": "billing", "conversation_id": 999, "feedback_id": 999, "environment": "staging"}),
    )
    .await;
    assert_eq!(status, 400);
    let keys: Vec<&str> = errors
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "title",
            "status",
            "priority",
            "environment",
            "tags",
            "feedback_id",
            "conversation_id"
        ]
    );
    assert_eq!(errors["title"], json!(["This field is required."]));
    assert_eq!(
        errors["status"],
        json!(["\"doing\" is not a valid choice."])
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_failing_server_answers_5xx_after_auth_and_sometimes_html() {
    let server = server_with(ServerConfig {
        fail_rate: 1.0,
        fault_seed: 3,
        ..ServerConfig::default()
    })
    .await;
    let mut html = 0;
    for _ in 0..20 {
        let response = raw_get(
            &server,
            "/api/conversations/",
            Some(&format!("Api-Key {DEMO_API_KEY}")),
        )
        .await;
        assert!(response.status().is_server_error(), "{}", response.status());
        let is_html = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html");
        let text = response.text().await.unwrap();
        if is_html {
            html += 1;
            assert!(text.contains("<html"), "{text}");
        } else {
            let body: Value = serde_json::from_str(&text).unwrap();
            assert!(body["detail"].is_string());
        }
    }
    assert!(html > 0 && html < 20, "both kinds of body show up: {html}");
    // Auth is judged before any fault.
    assert_eq!(raw_get(&server, "/api/me/", None).await.status(), 401);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_throttling_server_answers_429_with_both_retry_after_spellings() {
    let server = server_with(ServerConfig {
        throttle_rate: 1.0,
        ..ServerConfig::default()
    })
    .await;
    let mut seconds = 0;
    let mut dates = 0;
    for _ in 0..4 {
        let response = raw_get(
            &server,
            "/api/me/",
            Some(&format!("Api-Key {DEMO_API_KEY}")),
        )
        .await;
        assert_eq!(response.status(), 429);
        let retry_after = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .to_owned();
        if let Ok(n) = retry_after.parse::<u64>() {
            assert!(n >= 1);
            seconds += 1;
        } else {
            let when = DateTime::parse_from_rfc2822(&retry_after)
                .unwrap_or_else(|e| panic!("{retry_after}: {e}"));
            assert!(retry_after.ends_with(" GMT"));
            assert!((when.with_timezone(&Utc) - Utc::now()).num_seconds() < 60);
            dates += 1;
        }
        let body: Value = response.json().await.unwrap();
        assert!(body["detail"].as_str().unwrap().contains("throttled"));
    }
    assert_eq!((seconds, dates), (2, 2));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_slow_server_still_answers() {
    let server = server_with(ServerConfig {
        latency: Duration::from_millis(30),
        ..ServerConfig::default()
    })
    .await;
    let (status, body) = common::get(&server, "/api/conversations/42/?full=false").await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], 42);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let server = server().await;
    let url = format!("{}/api/me/", server.base_url());
    drop(server);
    let mut refused = false;
    for _ in 0..50 {
        let result = common::client()
            .get(&url)
            .header("Authorization", format!("Api-Key {DEMO_API_KEY}"))
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        if result.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "the port no longer answers");
}

#[tokio::test]
async fn a_message_is_one_row_with_its_parents_and_its_vote_or_null() {
    let server = server().await;
    let (status, voted) = common::get(&server, "/api/track/102/").await;
    assert_eq!(status, 200, "{voted}");
    assert_eq!(voted["id"], 102);
    assert_eq!(voted["conversation"], 42);
    assert_eq!(voted["sender"], "agent");
    assert_eq!(voted["action_name"], "database_lookup");
    assert_eq!(voted["action_logs"][0]["message"], 102);
    assert_eq!(voted["action_logs"][0]["duration_ms"], 12.5);
    assert_eq!(voted["feedback"]["sentiment"], "negative");
    assert_eq!(voted["feedback"]["kind"], "message");
    assert_eq!(voted["metadata"]["nlu"]["intent"], "greet");

    let (_, plain) = common::get(&server, "/api/track/101/").await;
    assert_eq!(plain["feedback"], Value::Null);
    assert!(
        plain.as_object().unwrap().contains_key("feedback"),
        "an explicit null"
    );
    assert_eq!(plain["action_name"], Value::Null);
    assert_eq!(plain["attachments"][0]["message"], 101);
    assert_eq!(plain["action_logs"], json!([]));

    for path in ["/api/track/9999/", "/api/track/abc/"] {
        let (status, body) = common::get(&server, path).await;
        assert_eq!(
            (status, body),
            (404, json!({"detail": "Not found."})),
            "{path}"
        );
    }
    server.shutdown().await.unwrap();
}

/// The ids of a list answer's rows.
fn row_ids(body: &Value) -> Vec<i64> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn conversation_gates_are_strict_and_unknown_names_are_ignored() {
    let server = server().await;
    let (_, all) = common::get(&server, "/api/conversations/?full=false").await;
    assert_eq!(all["count"], 4);
    for spelling in ["1", "true", "yes", "on", "ON"] {
        let (status, body) = common::get(
            &server,
            &format!("/api/conversations/?full=false&include_tickets={spelling}"),
        )
        .await;
        assert_eq!(status, 200, "{spelling}");
        assert_eq!(row_ids(&body), [43], "{spelling} narrows to ticketed rows");
        assert_eq!(body["results"][0]["tickets"].as_array().unwrap().len(), 2);
    }
    for spelling in ["0", "false", "no", "off"] {
        let (_, body) = common::get(
            &server,
            &format!("/api/conversations/?full=false&include_tickets={spelling}"),
        )
        .await;
        assert_eq!(body["count"], 4, "{spelling}");
        assert!(body["results"][0].get("tickets").is_none());
    }
    for spelling in ["", "y", "maybe"] {
        let (status, body) = common::get(
            &server,
            &format!("/api/conversations/?include_tickets={spelling}"),
        )
        .await;
        assert_eq!(status, 400, "{spelling:?}");
        assert!(body.get("include_tickets").is_some(), "{body}");
    }
    for (name, value, count) in [
        ("env", "prod", 1),
        ("environment", "dev", 1),
        ("env", "production", 1),
    ] {
        let (status, body) = common::get(
            &server,
            &format!("/api/conversations/?full=false&{name}={value}"),
        )
        .await;
        assert_eq!(
            (status, body["count"].clone()),
            (200, json!(count)),
            "{name}={value}"
        );
    }
    for name in ["env", "environment"] {
        let (status, body) =
            common::get(&server, &format!("/api/conversations/?{name}=staging")).await;
        assert_eq!(
            (status, body),
            (
                400,
                json!({"environment": ["Select a valid choice. staging is not one of the available choices."]})
            )
        );
    }
    // Unknown names and retired ones widen nothing and refuse nothing.
    for ignored in [
        "has_tickets=true",
        "feedback_source=customer",
        "ordering=name",
        "ordering=-bogus",
        "metadata_key=priority",
        "metadata_value=high",
    ] {
        let (status, body) = common::get(
            &server,
            &format!("/api/conversations/?full=false&{ignored}"),
        )
        .await;
        assert_eq!(status, 200, "{ignored}");
        assert_eq!(row_ids(&body), row_ids(&all), "{ignored}");
    }
    // Typed metadata, and the key with its value.
    for (query, want) in [
        ("metadata=count:2", vec![43]),
        ("metadata=count:%222%22", vec![]),
        ("metadata=flag:true", vec![43]),
        ("metadata=analysis.score:3", vec![42]),
        ("metadata_key=priority&metadata_value=low", vec![43]),
        ("action_name=DATABASE", vec![42]),
        ("action_name=lookup", vec![42]),
        ("search=refund%20please", vec![43]),
    ] {
        let (_, body) =
            common::get(&server, &format!("/api/conversations/?full=false&{query}")).await;
        assert_eq!(row_ids(&body), want, "{query}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn feedback_of_every_kind_is_listed_newest_first_with_counts() {
    let server = server().await;
    let (status, body) = common::get(&server, "/api/feedbacks/?page_size=100").await;
    assert_eq!(status, 200, "{body}");
    let rows = body["results"].as_array().unwrap();
    assert_eq!(body["count"], rows.len());
    assert_eq!(body["counts"], json!({"all": rows.len()}));
    let kinds: BTreeSet<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, BTreeSet::from(["agent", "conversation", "message"]));
    let ids: BTreeSet<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), rows.len(), "ids are unique across kinds");
    for row in rows {
        for key in [
            "id",
            "kind",
            "agent",
            "conversation",
            "conversation_id",
            "message",
            "environment",
            "environment_id",
            "sentiment",
            "comment",
            "topic",
            "reason",
            "category",
            "user",
            "created_at",
        ] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
        assert!(
            row.get("ticket").is_none(),
            "no ticket key without the gate"
        );
        assert!(
            row.get("source").is_none(),
            "the older shape's fields are gone"
        );
        assert_eq!(row["agent"], 1);
    }
    let times: Vec<DateTime<Utc>> = rows
        .iter()
        .filter_map(|r| r["created_at"].as_str()?.parse().ok())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let (_, vote) = common::get(&server, "/api/feedbacks/?kind=message").await;
    assert_eq!(row_ids(&vote), [900]);
    let v = &vote["results"][0];
    assert_eq!(
        (
            v["message"].clone(),
            v["conversation"].clone(),
            v["conversation_id"].clone()
        ),
        (json!(102), json!(42), json!("conv-abc-123"))
    );
    assert_eq!(
        (v["topic"].clone(), v["reason"].clone()),
        (json!("accuracy"), json!("wrong_order"))
    );
    assert_eq!(v["environment_id"], 1);

    let (_, agent) = common::get(&server, "/api/feedbacks/?kind=agent").await;
    assert!(
        agent["count"].as_u64().unwrap() >= 3,
        "agent feedback is made up when the data has none"
    );
    assert!(
        agent["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["conversation"].is_null() && r["environment"].is_string())
    );

    for (query, want) in [
        ("conversation_id=conv-abc-123", vec![900, 5]),
        ("conversation=42&kind=conversation", vec![5]),
        ("message=102", vec![900]),
        ("topic=accuracy", vec![900]),
        ("reason=nope", vec![]),
        ("comment_contains=HELPFUL", vec![5]),
        ("search=helpful", vec![5]),
        ("conversation=42&agent=999", vec![900, 5]),
        ("conversation=42&ordering=id", vec![5, 900]),
        ("conversation=42&unknown_filter=1", vec![900, 5]),
    ] {
        let (status, body) = common::get(&server, &format!("/api/feedbacks/?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        let mut got = row_ids(&body);
        if !query.contains("ordering") {
            // The vote and the feedback have no dates in the data; compare as sets.
            got.sort_unstable_by(|a, b| b.cmp(a));
        }
        assert_eq!(got, want, "{query}");
    }
    let (_, with_comment) =
        common::get(&server, "/api/feedbacks/?has_comment=true&page_size=100").await;
    assert!(
        with_comment["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["comment"].is_string())
    );

    for query in [
        "has_ticket=true",
        "ticket_status=open",
        "has_ticket=false&include_tickets=false",
    ] {
        let (status, body) = common::get(&server, &format!("/api/feedbacks/?{query}")).await;
        assert_eq!(
            (status, body),
            (
                400,
                json!({"has_ticket": "Ticket filters need ?include_tickets=true on the API-key plane."})
            ),
            "{query}"
        );
    }
    let (status, body) = common::get(&server, "/api/feedbacks/?env=staging").await;
    assert_eq!(status, 400);
    assert_eq!(
        body["environment"][0],
        "Select a valid choice. staging is not one of the available choices."
    );
    let (status, _) = common::get(&server, "/api/feedbacks/?kind=product").await;
    assert_eq!(status, 403);
    let (status, body) = common::get(&server, "/api/feedbacks/?page=9").await;
    assert_eq!((status, body), (404, json!({"detail": "Invalid page."})));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_ticket_gate_narrows_feedback_and_carries_whole_tickets() {
    let server = server().await;
    let (status, gated) = common::get(&server, "/api/feedbacks/?include_tickets=true").await;
    assert_eq!(status, 200, "{gated}");
    assert_eq!(row_ids(&gated), [900], "only promoted feedback");
    let ticket = &gated["results"][0]["ticket"];
    assert_eq!(ticket["id"], 8);
    assert_eq!(ticket["comments_count"], 2);
    let bodies: Vec<&str> = ticket["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        ["Customer saw the wrong order", "Fixed the lookup"],
        "oldest first"
    );
    let counts = &gated["counts"];
    assert_eq!(counts["all"], 1);
    assert_eq!(counts["tickets"], 1);
    assert_eq!(counts["open_tickets"], 0);
    assert_eq!(counts["done"], 1);
    assert_eq!(counts["open"], 0);

    // ticket_status narrows the rows, not the tallies; repeats are OR.
    let (_, open) = common::get(
        &server,
        "/api/feedbacks/?include_tickets=1&ticket_status=open",
    )
    .await;
    assert_eq!(open["count"], 0);
    assert_eq!(open["counts"]["done"], 1);
    let (_, either) = common::get(
        &server,
        "/api/feedbacks/?include_tickets=on&ticket_status=open&ticket_status=done",
    )
    .await;
    assert_eq!(row_ids(&either), [900]);
    let (_, none) = common::get(
        &server,
        "/api/feedbacks/?include_tickets=true&has_ticket=false",
    )
    .await;
    assert_eq!(none["count"], 0);

    let (status, one) = common::get(&server, "/api/feedbacks/900/").await;
    assert_eq!(status, 200);
    assert_eq!(one["ticket"]["title"], "Wrong order looked up");
    let (_, unpromoted) = common::get(&server, "/api/feedbacks/5/").await;
    assert_eq!(unpromoted["ticket"], Value::Null);
    assert!(unpromoted.as_object().unwrap().contains_key("ticket"));
    for path in ["/api/feedbacks/123456/", "/api/feedbacks/x/"] {
        let (status, _) = common::get(&server, path).await;
        assert_eq!(status, 404, "{path}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn tickets_are_listed_with_summaries_threads_and_filters() {
    let server = server().await;
    let (status, body) = common::get(&server, "/api/tickets/").await;
    assert_eq!(status, 200, "{body}");
    // Ticket 7 has no creation time: nulls come first, newest first.
    assert_eq!(row_ids(&body), [7, 8]);
    let t = &body["results"][1];
    assert_eq!(
        t["conversation"],
        json!({"id": 43, "conversation_id": "conv-def-456", "name": "Refund", "environment": "development", "environment_id": 2})
    );
    assert_eq!(
        t["feedback"],
        json!({"id": 900, "kind": "message", "sentiment": "negative", "comment": null, "created_at": "2024-01-15T10:30:08Z"})
    );
    assert_eq!(
        (
            t["agent"].clone(),
            t["environment"].clone(),
            t["environment_id"].clone()
        ),
        (json!(1), json!("development"), json!(2))
    );
    assert_eq!(t["comments_count"], 2);
    assert_eq!(t["comments"][0]["id"], 1, "threads oldest first");
    assert_eq!(t["updated_at"], "2024-01-18T09:00:00Z");
    assert_eq!(body["results"][0]["feedback"], Value::Null);
    assert_eq!(body["results"][0]["comments"], json!([]));

    for (query, want) in [
        ("status=done", vec![8]),
        ("status=open&status=done", vec![7, 8]),
        ("priority=high", vec![7]),
        ("tags=vip,nothing", vec![8]),
        ("tags=billing,orders", vec![7, 8]),
        ("has_feedback=true", vec![8]),
        ("has_feedback=false", vec![7]),
        ("has_conversation=false", vec![]),
        ("conversation=43", vec![7, 8]),
        ("conversation_id=conv-abc-123", vec![]),
        ("search=WRONG", vec![8]),
        ("created_at_after=2024-01-16", vec![8]),
        ("updated_at_before=2024-01-17T00:00:00Z", vec![]),
        ("environment=staging", vec![7, 8]),
        ("ordering=title", vec![7, 8]),
        ("ordering=-title", vec![8, 7]),
        ("ordering=priority", vec![7, 8]),
    ] {
        let (status, body) = common::get(&server, &format!("/api/tickets/?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(row_ids(&body), want, "{query}");
    }

    let (status, one) = common::get(&server, "/api/tickets/8/").await;
    assert_eq!(status, 200);
    assert_eq!(one, body["results"][1]);
    let (status, thread) = common::get(&server, "/api/tickets/8/comments/?page_size=1").await;
    assert_eq!(status, 200);
    assert_eq!(
        (thread["count"].clone(), thread["total_pages"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(thread["results"][0]["author"], "Ana");
    let (_, second) = common::get(&server, "/api/tickets/8/comments/?page_size=1&page=2").await;
    assert_eq!(second["results"][0]["author"], "Sam");
    for path in [
        "/api/tickets/99/",
        "/api/tickets/99/comments/",
        "/api/tickets/x/",
    ] {
        let (status, _) = common::get(&server, path).await;
        assert_eq!(status, 404, "{path}");
    }
    // The conversation's own view: newest first, threads oldest first.
    let (_, c) = common::get(&server, "/api/conversations/43/").await;
    let nested: Vec<i64> = c["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(nested, [7, 8]);
    assert_eq!(c["tickets"][1]["comments"][0]["id"], 1);
    server.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------
// A server that others can reach: slow clients, too many clients, foreign names
// ---------------------------------------------------------------------------

/// A raw connection that sends the start of a request and never finishes its headers.
async fn half_sent_request(server: &RunningServer) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt as _;
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(b"GET /api/me/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    stream
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    use tokio::io::AsyncReadExt as _;
    let server = server_with(ServerConfig {
        limits: convo::server::listen::ConnectionLimits {
            header_read_timeout: Duration::from_millis(300),
            ..Default::default()
        },
        ..ServerConfig::default()
    })
    .await;
    let mut stream = half_sent_request(&server).await;
    // The server answers 408 or just closes; either way the read ends, long
    // before this generous bound.
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server to close a connection whose headers never end");
    assert!(read.is_ok() || answer.is_empty(), "{read:?}");
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let server = server_with(ServerConfig {
        limits: convo::server::listen::ConnectionLimits {
            max_connections: 2,
            header_read_timeout: Duration::from_secs(60),
        },
        ..ServerConfig::default()
    })
    .await;
    let first = half_sent_request(&server).await;
    let _second = half_sent_request(&server).await;
    // Give the server the moment it needs to take both.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let me = format!("{}/api/me/", server.base_url());
    let auth = format!("Api-Key {DEMO_API_KEY}");
    let held_back = common::client()
        .get(&me)
        .header("Authorization", &auth)
        .timeout(Duration::from_millis(700))
        .send()
        .await;
    assert!(
        held_back.is_err(),
        "a third connection was served while two held the cap: {held_back:?}"
    );
    drop(first);
    let answered = common::client()
        .get(&me)
        .header("Authorization", &auth)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 200);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn on_loopback_a_request_for_a_foreign_host_name_is_refused() {
    let server = server().await;
    let port = server.addr().port();
    let auth = format!("Api-Key {DEMO_API_KEY}");
    for (host, status) in [
        ("attacker.example".to_owned(), 403),
        (format!("attacker.example:{port}"), 403),
        (format!("10.0.0.1:{port}"), 403),
        (format!("localhost:{port}"), 200),
        (format!("127.0.0.1:{port}"), 200),
    ] {
        for path in ["/api/me/", "/agents/demo-agent/conversations"] {
            let auth = if path.starts_with("/api/") {
                auth.clone()
            } else {
                convo::server::chatdash::DEMO_CHATDASH_KEY.to_owned()
            };
            let response = common::client()
                .get(format!("{}{path}", server.base_url()))
                .header("Host", &host)
                .header("Authorization", auth)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), status, "{host} {path}");
            if status == 403 {
                let body: Value = response.json().await.unwrap();
                assert!(
                    body["detail"].as_str().unwrap().contains("loopback"),
                    "{body}"
                );
            }
        }
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_private_api_key_also_guards_the_chatdash_routes() {
    use clap::Parser as _;
    #[derive(clap::Parser)]
    struct Serve {
        #[command(flatten)]
        args: convo::server::ServeArgs,
    }
    let secret = "ags_0123456789abcdef0123456789abcdef_abc123";
    let config = Serve::try_parse_from(["serve", "--api-key", secret])
        .unwrap()
        .args
        .config()
        .unwrap();
    let server = server_with(config).await;
    let url = format!("{}/agents/demo-agent/conversations", server.base_url());
    for (key, status) in [
        (convo::server::chatdash::DEMO_CHATDASH_KEY, 401),
        (secret, 200),
    ] {
        let response = common::client()
            .get(&url)
            .header("Authorization", key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{key}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn serving_every_address_with_the_demo_key_warns_loudly() {
    use tokio::io::AsyncBufReadExt as _;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .args(["serve", "--addr", "0.0.0.0:0", "--generate", "3"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let mut said = String::new();
    for _ in 0..2 {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("convo serve to say something")
            .unwrap()
            .unwrap_or_default();
        said.push_str(&line);
        said.push('\n');
    }
    assert!(
        said.contains("WARNING") && said.contains("public demo key"),
        "{said}"
    );
    child.kill().await.unwrap();
}
