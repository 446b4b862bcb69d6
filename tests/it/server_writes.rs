//! Every write route of the local server through real HTTP: the documented answers, the exact refusals, what the read routes show afterwards, and the read key's 403 on each.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers as well as tests stop on the first surprise

use crate::support::common;

use convo::server::{DEMO_API_KEY, DEMO_READ_API_KEY, RunningServer, ServerConfig};
use reqwest::Method;
use serde_json::{Value, json};

/// Three conversations: one with a vote and conversation feedback, one with a ticket, one deleted.
fn records() -> Vec<Value> {
    vec![
        json!({
            "id": 42, "conversation_id": "conv-abc-123", "name": "Support Chat",
            "customer_id": "user-456", "device": "mobile", "language": "en",
            "environment": "production", "is_marked": false,
            "started_at": "2024-01-15T10:30:00Z",
            "metadata": {"tier": "premium"},
            "messages": [
                {"id": 101, "timestamp": "2024-01-15T10:30:05Z", "sender": "end_user", "content": "hi",
                 "metadata": {"channel": "web"}},
                {"id": 102, "timestamp": "2024-01-15T10:30:08Z", "sender": "agent", "content": "looking",
                 "action_name": "lookup_order",
                 "action_logs": [{"id": 301, "duration_ms": 12.5, "error_message": ""}]}
            ],
            "feedbacks": [{"id": 5, "sentiment": "positive", "comment": "Very helpful!",
                           "created_at": "2024-01-15T11:00:00Z"}]
        }),
        json!({
            "id": 43, "conversation_id": "conv-def-456", "name": "Refund",
            "environment": "development", "started_at": "2024-01-16T10:30:00Z",
            "messages": [{"id": 104, "content": "refund please", "sender": "end_user",
                          "timestamp": "2024-01-16T10:30:05Z"}],
            "tickets": [{"id": 7, "title": "Refund stuck", "status": "open", "priority": "high",
                         "tags": ["billing"], "created_at": "2024-01-16T12:00:00Z",
                         "comments": [{"id": 1, "author": "Ana", "role": "reporter", "body": "Twice",
                                       "created_at": "2024-01-16T12:05:00Z"}]}]
        }),
        json!({
            "id": 44, "conversation_id": "conv-gone", "name": "Gone",
            "is_deleted": true, "deleted_at": "2024-02-01T00:00:00Z",
            "started_at": "2024-01-17T10:30:00Z"
        }),
    ]
}

async fn server() -> RunningServer {
    common::start(common::conversations(&records()), ServerConfig::default()).await
}

/// A request with this key and a JSON body (none for `Value::Null`); the status and the body (`Null` if empty).
async fn send_as(
    server: &RunningServer,
    key: &str,
    method: Method,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let mut request = common::client()
        .request(method, format!("{}{path}", server.base_url()))
        .header("Authorization", format!("Api-Key {key}"));
    if !body.is_null() {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

async fn send(server: &RunningServer, method: Method, path: &str, body: &Value) -> (u16, Value) {
    send_as(server, DEMO_API_KEY, method, path, body).await
}

/// The ids of a list answer's rows.
fn ids(page: &Value) -> Vec<i64> {
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

/// A lean row of the conversation list, found by key.
async fn lean_row(server: &RunningServer, pk: i64) -> Value {
    let (status, page) = common::get(
        server,
        "/api/conversations/?full=false&include_deleted=true&page_size=100",
    )
    .await;
    assert_eq!(status, 200);
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == pk)
        .cloned()
        .unwrap_or_else(|| panic!("no row {pk} in {page}"))
}

#[tokio::test]
async fn mark_rename_and_update_answer_the_documented_shapes_and_reads_follow() {
    let server = server().await;
    let (status, answer) = send(
        &server,
        Method::POST,
        "/api/conversations/42/mark/",
        &json!({"is_marked": true}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            200,
            json!({"id": 42, "conversation_id": "conv-abc-123", "is_marked": true})
        )
    );
    let (_, marked) = common::get(&server, "/api/conversations/?is_marked=true&full=false").await;
    assert_eq!(ids(&marked), [42]);
    let (status, answer) = send(
        &server,
        Method::POST,
        "/api/conversations/42/mark/",
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (400, json!({"detail": "Missing field 'is_marked'."}))
    );

    let (status, answer) = send(
        &server,
        Method::PATCH,
        "/api/conversations/43/rename/",
        &json!({"name": "  Refund, again  "}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            200,
            json!({"id": 43, "conversation_id": "conv-def-456", "name": "Refund, again"})
        )
    );
    for name in ["", "   "] {
        let (status, answer) = send(
            &server,
            Method::PATCH,
            "/api/conversations/43/rename/",
            &json!({ "name": name }),
        )
        .await;
        assert_eq!(
            (status, answer),
            (400, json!({"detail": "Field 'name' cannot be empty."}))
        );
    }
    let (_, detail) = common::get(&server, "/api/conversations/43/").await;
    assert_eq!(detail["name"], "Refund, again");
    assert_eq!(
        detail["tickets"][0]["title"], "Refund stuck",
        "the detail still carries its tickets"
    );
    let (_, ticket) = common::get(&server, "/api/tickets/7/").await;
    assert_eq!(
        ticket["conversation"]["name"], "Refund, again",
        "ticket rows name the conversation as it is now"
    );

    // Changed fields only; `metadata` replaces the whole document.
    let (status, answer) = send(
        &server,
        Method::PATCH,
        "/api/conversations/42/update/",
        &json!({"name": "Support Chat", "device": "desktop", "language": null,
                "metadata": {"plan": "gold", "seats": 3}}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            200,
            json!({"id": 42, "conversation_id": "conv-abc-123",
                   "updated_fields": ["device", "language", "metadata"],
                   "device": "desktop", "language": null,
                   "metadata": {"plan": "gold", "seats": 3}})
        )
    );
    let (_, detail) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(detail["metadata"], json!({"plan": "gold", "seats": 3}));
    assert_eq!(detail["device"], "desktop");
    let (_, found) = common::get(&server, "/api/conversations/?metadata=seats:3&full=false").await;
    assert_eq!(
        ids(&found),
        [42],
        "the metadata filters read the new document"
    );
    let (_, gone) = common::get(&server, "/api/conversations/?metadata=tier:premium").await;
    assert_eq!(gone["count"], 0, "the old document is gone, not merged");

    let (status, answer) = send(
        &server,
        Method::PATCH,
        "/api/conversations/42/update/",
        &json!({"conversation_id": "other", "started_at": "2020-01-01T00:00:00Z", "name": "ok"}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            400,
            json!({"conversation_id": ["This field cannot be changed."],
                   "started_at": ["This field cannot be changed."]})
        )
    );
    let (status, answer) = send(
        &server,
        Method::PATCH,
        "/api/conversations/42/update/",
        &json!({"metadata": [1], "is_marked": "perhaps"}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            400,
            json!({"is_marked": ["Must be a valid boolean."],
                   "metadata": ["Expected a dictionary of items but got type \"list\"."]})
        )
    );
    let (_, detail) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(
        detail["name"], "Support Chat",
        "a refused update changes nothing"
    );
    let (status, _) = send(
        &server,
        Method::PATCH,
        "/api/conversations/999/update/",
        &json!({"name": "x"}),
    )
    .await;
    assert_eq!(status, 404);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn both_soft_deletes_hide_a_conversation_from_lists_but_not_from_its_detail() {
    let server = server().await;
    let (_, before) = common::get(&server, "/api/conversations/?full=false").await;
    assert_eq!(ids(&before), [43, 42]);

    let (status, answer) = send(
        &server,
        Method::DELETE,
        "/api/conversations/42/delete/",
        &Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (
            &answer["id"],
            &answer["conversation_id"],
            &answer["is_deleted"]
        ),
        (&json!(42), &json!("conv-abc-123"), &json!(true))
    );
    assert!(
        answer["deleted_at"].as_str().unwrap().ends_with('Z'),
        "{answer}"
    );
    assert_eq!(answer.as_object().unwrap().len(), 4, "{answer}");

    let first = answer;
    let (status, answer) = send(
        &server,
        Method::DELETE,
        "/api/conversations/43/",
        &Value::Null,
    )
    .await;
    assert_eq!(status, 200, "the plain DELETE is the same soft delete");
    assert_eq!(answer["is_deleted"], true);

    let (_, after) = common::get(&server, "/api/conversations/?full=false").await;
    assert_eq!(after["count"], 0);
    let (_, filtered) = common::get(
        &server,
        "/api/conversations/?full=false&customer_id=user-456",
    )
    .await;
    assert_eq!(filtered["count"], 0, "hidden from filtered lists too");
    let (_, all) = common::get(
        &server,
        "/api/conversations/?full=false&include_deleted=true",
    )
    .await;
    assert_eq!(ids(&all), [44, 43, 42]);
    let (status, detail) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(status, 200);
    assert_eq!(detail["is_deleted"], true);
    assert_eq!(detail["deleted_at"], first["deleted_at"]);
    assert_eq!(
        lean_row(&server, 42).await["deleted_at"],
        first["deleted_at"]
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_message_metadata_patch_replaces_the_document_and_answers_the_message() {
    let server = server().await;
    let (status, answer) = send(
        &server,
        Method::PATCH,
        "/api/track/101/",
        &json!({"metadata": {"image": "https://example.test/a.png"}}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["id"], 101);
    assert_eq!(answer["conversation"], 42);
    assert_eq!(
        answer["metadata"],
        json!({"image": "https://example.test/a.png"})
    );
    assert_eq!(answer["feedback"], Value::Null);
    let (_, read) = common::get(&server, "/api/track/101/").await;
    assert_eq!(read, answer, "the read shows what the write answered");
    let (_, keys) = common::get(&server, "/api/conversations/message-metadata-keys/").await;
    assert_eq!(
        keys,
        json!({"keys": ["image"]}),
        "channel was replaced, not merged"
    );

    for (body, expected) in [
        (json!({}), json!({"metadata": ["This field is required."]})),
        (
            json!({"metadata": "x"}),
            json!({"metadata": ["Expected a dictionary of items but got type \"str\"."]}),
        ),
    ] {
        let (status, answer) = send(&server, Method::PATCH, "/api/track/101/", &body).await;
        assert_eq!((status, answer), (400, expected));
    }
    let (status, _) = send(
        &server,
        Method::PATCH,
        "/api/track/999/",
        &json!({"metadata": {}}),
    )
    .await;
    assert_eq!(status, 404);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn conversation_and_agent_feedback_are_filed_and_the_lean_count_follows() {
    let server = server().await;
    assert_eq!(lean_row(&server, 43).await["feedback_count"], 0);
    let (_, unfed) =
        common::get(&server, "/api/conversations/?has_feedback=false&full=false").await;
    assert_eq!(ids(&unfed), [43]);

    let (status, by_id) = send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "conversation", "conversation_id": "conv-def-456",
                "sentiment": "negative", "comment": "Still no refund"}),
    )
    .await;
    assert_eq!(status, 201, "{by_id}");
    assert_eq!(
        (
            &by_id["kind"],
            &by_id["conversation"],
            &by_id["conversation_id"],
            &by_id["environment"]
        ),
        (
            &json!("conversation"),
            &json!(43),
            &json!("conv-def-456"),
            &json!("development")
        )
    );
    assert!(
        by_id.get("ticket").is_none(),
        "a create answers the row without `ticket`"
    );
    let (status, by_pk) = send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "conversation", "conversation": 43, "sentiment": "neutral"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(by_pk["comment"], Value::Null);
    assert_eq!(lean_row(&server, 43).await["feedback_count"], 2);
    let (_, negative) = common::get(
        &server,
        "/api/conversations/?feedback_sentiment=negative&full=false",
    )
    .await;
    assert_eq!(ids(&negative), [43]);
    let (_, detail) = common::get(&server, "/api/conversations/43/").await;
    assert_eq!(detail["feedbacks"].as_array().unwrap().len(), 2);

    for (body, expected) in [
        (
            json!({"kind": "conversation", "conversation": 43, "sentiment": "positive", "environment": "production"}),
            json!({"environment": ["Derived from the conversation."]}),
        ),
        (
            json!({"kind": "conversation", "conversation": 43, "sentiment": "meh"}),
            json!({"sentiment": ["\"meh\" is not a valid choice."]}),
        ),
        (
            json!({"kind": "conversation", "conversation": 999, "sentiment": "positive"}),
            json!({"conversation": ["Invalid pk \"999\" - object does not exist."]}),
        ),
        (
            json!({"kind": "agent", "agent": 2, "sentiment": "positive"}),
            json!({"agent": ["Invalid pk \"2\" - object does not exist."]}),
        ),
        (
            json!({"kind": "agent", "agent": 1, "sentiment": "positive", "environment": "staging"}),
            json!({"environment": ["Object with slug=staging does not exist."]}),
        ),
    ] {
        let (status, answer) = send(&server, Method::POST, "/api/feedbacks/", &body).await;
        assert_eq!((status, answer), (400, expected), "{body}");
    }
    let (status, answer) = send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "product", "sentiment": "positive"}),
    )
    .await;
    assert_eq!(status, 403, "{answer}");

    let (_, before) = common::get(&server, "/api/feedbacks/?kind=agent").await;
    let (status, agent) = send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "agent", "agent": 1, "sentiment": "positive",
                "comment": "Great week", "environment": "development"}),
    )
    .await;
    assert_eq!(status, 201, "{agent}");
    assert_eq!(
        (
            &agent["kind"],
            &agent["conversation"],
            &agent["environment"],
            &agent["environment_id"]
        ),
        (
            &json!("agent"),
            &Value::Null,
            &json!("development"),
            &json!(2)
        )
    );
    let (_, after) = common::get(&server, "/api/feedbacks/?kind=agent").await;
    assert_eq!(
        after["count"].as_i64().unwrap(),
        before["count"].as_i64().unwrap() + 1
    );
    assert_eq!(after["results"][0]["id"], agent["id"], "newest first");
    let (_, all) = common::get(&server, "/api/feedbacks/").await;
    assert_eq!(all["counts"]["all"], all["count"]);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_message_vote_is_one_per_message_created_then_updated() {
    let server = server().await;
    let (status, first) = send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "message", "message": 104, "sentiment": "negative",
                "comment": "Wrong order", "topic": "accuracy", "reason": "wrong_order"}),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(
        (
            &first["kind"],
            &first["message"],
            &first["conversation"],
            &first["topic"]
        ),
        (
            &json!("message"),
            &json!(104),
            &json!(43),
            &json!("accuracy")
        )
    );
    assert_eq!(lean_row(&server, 43).await["feedback_count"], 1);

    // A bare repeat keeps the slugs; an explicit null clears.
    let (status, second) = send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "message", "message": 104, "sentiment": "positive", "comment": null}),
    )
    .await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["id"], first["id"], "the same row");
    assert_eq!(
        (
            &second["sentiment"],
            &second["comment"],
            &second["topic"],
            &second["reason"]
        ),
        (
            &json!("positive"),
            &Value::Null,
            &json!("accuracy"),
            &json!("wrong_order")
        )
    );
    assert_eq!(
        lean_row(&server, 43).await["feedback_count"],
        1,
        "still one vote"
    );
    let (_, message) = common::get(&server, "/api/track/104/").await;
    assert_eq!(message["feedback"]["sentiment"], "positive");
    let (_, listed) = common::get(&server, "/api/feedbacks/?message=104").await;
    assert_eq!(listed["count"], 1);

    for (body, expected) in [
        (
            json!({"kind": "message", "message": 104, "sentiment": "positive", "environment": "production"}),
            json!({"environment": ["Derived from the conversation."]}),
        ),
        (
            json!({"kind": "message", "message": 9999, "sentiment": "positive"}),
            json!({"message": ["Invalid pk \"9999\" - object does not exist."]}),
        ),
        (
            json!({"kind": "message", "message": 104, "sentiment": "positive", "topic": "x".repeat(51)}),
            json!({"topic": ["Ensure this field has no more than 50 characters."]}),
        ),
    ] {
        let (status, answer) = send(&server, Method::POST, "/api/feedbacks/", &body).await;
        assert_eq!((status, answer), (400, expected), "{body}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_feedback_is_read_changed_and_deleted_by_id() {
    let server = server().await;
    let (status, row) = common::get(&server, "/api/feedbacks/5/").await;
    assert_eq!(status, 200);
    assert_eq!(row["ticket"], Value::Null, "the detail always has `ticket`");

    let (status, changed) = send(
        &server,
        Method::PATCH,
        "/api/feedbacks/5/",
        &json!({"sentiment": "negative", "comment": "Changed my mind"}),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (
            &changed["id"],
            &changed["sentiment"],
            &changed["comment"],
            &changed["ticket"]
        ),
        (
            &json!(5),
            &json!("negative"),
            &json!("Changed my mind"),
            &Value::Null
        )
    );
    let (_, read) = common::get(&server, "/api/feedbacks/5/").await;
    assert_eq!(read, changed);
    let (_, negative) = common::get(
        &server,
        "/api/conversations/?feedback_sentiment=negative&full=false",
    )
    .await;
    assert_eq!(ids(&negative), [42]);

    for (body, expected) in [
        (
            json!({"topic": "tone"}),
            json!({"topic": ["Only message feedback takes a topic."]}),
        ),
        (
            json!({"environment": "development"}),
            json!({"environment": ["Derived from the conversation."]}),
        ),
        (
            json!({"sentiment": "meh"}),
            json!({"sentiment": ["\"meh\" is not a valid choice."]}),
        ),
    ] {
        let (status, answer) = send(&server, Method::PATCH, "/api/feedbacks/5/", &body).await;
        assert_eq!((status, answer), (400, expected), "{body}");
    }

    // Agent feedback may move environment; a vote may change its slugs.
    let (_, agent) = common::get(&server, "/api/feedbacks/?kind=agent&page_size=1").await;
    let agent_id = agent["results"][0]["id"].as_i64().unwrap();
    let (status, moved) = send(
        &server,
        Method::PATCH,
        &format!("/api/feedbacks/{agent_id}/"),
        &json!({"environment": "development"}),
    )
    .await;
    assert_eq!(
        (status, &moved["environment"]),
        (200, &json!("development"))
    );
    let (_, vote) = send(
        &server,
        Method::POST,
        "/api/feedbacks/",
        &json!({"kind": "message", "message": 101, "sentiment": "negative", "topic": "tone"}),
    )
    .await;
    let vote_id = vote["id"].as_i64().unwrap();
    let (status, retopiced) = send(
        &server,
        Method::PATCH,
        &format!("/api/feedbacks/{vote_id}/"),
        &json!({"topic": "accuracy", "reason": null}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (&retopiced["topic"], &retopiced["reason"]),
        (&json!("accuracy"), &Value::Null)
    );

    assert_eq!(lean_row(&server, 42).await["feedback_count"], 2);
    let (_, promoted) = send(
        &server,
        Method::POST,
        "/api/tickets/",
        &json!({"title": "Look into it", "feedback_id": 5}),
    )
    .await;
    let (status, body) = send(&server, Method::DELETE, "/api/feedbacks/5/", &Value::Null).await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, _) = common::get(&server, "/api/feedbacks/5/").await;
    assert_eq!(status, 404);
    let (status, _) = send(&server, Method::DELETE, "/api/feedbacks/5/", &Value::Null).await;
    assert_eq!(status, 404);
    let (status, _) = send(
        &server,
        Method::PATCH,
        "/api/feedbacks/5/",
        &json!({"sentiment": "positive"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(lean_row(&server, 42).await["feedback_count"], 1);
    let (_, ticket) = common::get(&server, &format!("/api/tickets/{}/", promoted["id"])).await;
    assert_eq!(
        (&ticket["feedback"], &ticket["conversation"]["id"]),
        (&Value::Null, &json!(42)),
        "the ticket outlives the feedback it was promoted from"
    );
    send(
        &server,
        Method::DELETE,
        &format!("/api/feedbacks/{vote_id}/"),
        &Value::Null,
    )
    .await;
    assert_eq!(lean_row(&server, 42).await["feedback_count"], 0);
    let (_, unfed) =
        common::get(&server, "/api/conversations/?has_feedback=false&full=false").await;
    assert_eq!(ids(&unfed), [43, 42]);
    let (_, message) = common::get(&server, "/api/track/101/").await;
    assert_eq!(message["feedback"], Value::Null);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn tickets_are_filed_validated_changed_commented_and_deleted() {
    let server = server().await;
    for (body, expected) in [
        (json!({}), json!({"title": ["This field is required."]})),
        (
            json!({"title": "x", "status": "later", "priority": "urgent"}),
            json!({"status": ["\"later\" is not a valid choice."],
                   "priority": ["\"urgent\" is not a valid choice."]}),
        ),
        (
            json!({"title": "x", "conversation_id": 999}),
            json!({"conversation_id": ["Invalid pk \"999\" - object does not exist."]}),
        ),
        (
            json!({"title": "x", "feedback_id": 999}),
            json!({"feedback_id": ["Invalid pk \"999\" - object does not exist."]}),
        ),
        (
            json!({"title": "x", "environment": "staging"}),
            json!({"environment": ["\"staging\" is not a valid choice."]}),
        ),
    ] {
        let (status, answer) = send(&server, Method::POST, "/api/tickets/", &body).await;
        assert_eq!((status, answer), (400, expected), "{body}");
    }

    // Filed from conversation feedback, a ticket is about that conversation.
    let (status, ticket) = send(
        &server,
        Method::POST,
        "/api/tickets/",
        &json!({"title": "  Praise passed on  ", "feedback_id": 5, "tags": ["kudos"],
                "environment": "development", "priority": "low"}),
    )
    .await;
    assert_eq!(status, 201, "{ticket}");
    let id = ticket["id"].as_i64().unwrap();
    assert_eq!(
        (
            &ticket["title"],
            &ticket["status"],
            &ticket["priority"],
            &ticket["environment"]
        ),
        (
            &json!("Praise passed on"),
            &json!("open"),
            &json!("low"),
            &json!("development")
        )
    );
    assert_eq!(ticket["conversation"]["id"], 42);
    assert_eq!(ticket["feedback"]["id"], 5);
    assert_eq!(ticket["tags"], json!(["kudos"]));
    let (_, feedback) = common::get(&server, "/api/feedbacks/5/").await;
    assert_eq!(
        feedback["ticket"]["id"], id,
        "the feedback names its ticket"
    );
    let (_, ticketed) = common::get(
        &server,
        "/api/conversations/?include_tickets=true&full=false",
    )
    .await;
    assert_eq!(ids(&ticketed), [43, 42]);

    let (status, changed) = send(
        &server,
        Method::PATCH,
        &format!("/api/tickets/{id}/"),
        &json!({"status": "in_progress", "priority": null, "tags": ["kudos", "vip"]}),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (
            &changed["status"],
            &changed["priority"],
            &changed["tags"],
            &changed["title"]
        ),
        (
            &json!("in_progress"),
            &Value::Null,
            &json!(["kudos", "vip"]),
            &json!("Praise passed on")
        )
    );
    let (status, answer) = send(
        &server,
        Method::PATCH,
        &format!("/api/tickets/{id}/"),
        &json!({"environment": "production"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(answer["environment"][0].is_string(), "{answer}");
    let (_, progressing) = common::get(&server, "/api/tickets/?status=in_progress").await;
    assert_eq!(ids(&progressing), [id]);

    let (status, comment) = send(
        &server,
        Method::POST,
        &format!("/api/tickets/{id}/comments/"),
        &json!({"body": "Told the team", "role": "dev"}),
    )
    .await;
    assert_eq!(status, 201, "{comment}");
    assert_eq!(
        (&comment["body"], &comment["role"], &comment["author"]),
        (&json!("Told the team"), &json!("agent"), &json!("Demo key"))
    );
    let (status, answer) = send(
        &server,
        Method::POST,
        &format!("/api/tickets/{id}/comments/"),
        &json!({"body": "  "}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (400, json!({"body": ["This field may not be blank."]}))
    );
    let (_, thread) = common::get(&server, &format!("/api/tickets/{id}/comments/")).await;
    assert_eq!(thread["count"], 1);
    assert_eq!(thread["results"][0]["id"], comment["id"]);
    let (_, read) = common::get(&server, &format!("/api/tickets/{id}/")).await;
    assert_eq!(read["comments_count"], 1);
    let (_, detail) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(detail["tickets"][0]["comments"][0]["body"], "Told the team");

    let (status, body) = send(
        &server,
        Method::DELETE,
        &format!("/api/tickets/{id}/"),
        &Value::Null,
    )
    .await;
    assert_eq!((status, body), (204, Value::Null));
    for path in [
        format!("/api/tickets/{id}/"),
        format!("/api/tickets/{id}/comments/"),
    ] {
        let (status, _) = common::get(&server, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    let (_, detail) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(detail["tickets"], json!([]));
    let (_, feedback) = common::get(&server, "/api/feedbacks/5/").await;
    assert_eq!(feedback["ticket"], Value::Null);
    let (status, _) = send(
        &server,
        Method::PATCH,
        &format!("/api/tickets/{id}/"),
        &json!({"title": "x"}),
    )
    .await;
    assert_eq!(status, 404);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn actions_are_declared_and_renamed_with_unique_names_and_never_deleted() {
    let server = server().await;
    let (status, declared) = send(
        &server,
        Method::POST,
        "/api/actions/",
        &json!({"name": "issue_refund", "description": "Refunds an order"}),
    )
    .await;
    assert_eq!(status, 201, "{declared}");
    let id = declared["id"].as_i64().unwrap();
    assert_eq!(
        declared,
        json!({"id": id, "name": "issue_refund", "display_name": "issue_refund",
               "description": "Refunds an order", "agent": 1})
    );
    let (_, listed) = common::get(&server, "/api/actions/?name=issue_refund").await;
    assert_eq!(ids(&listed), [id]);

    let (status, answer) = send(
        &server,
        Method::POST,
        "/api/actions/",
        &json!({"name": "lookup_order"}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            400,
            json!({"name": ["An action named \"lookup_order\" already exists for this agent."]})
        )
    );
    let (status, answer) = send(
        &server,
        Method::PATCH,
        &format!("/api/actions/{id}/"),
        &json!({"name": "lookup_order"}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            400,
            json!({"name": ["An action named \"lookup_order\" already exists for this agent."]})
        )
    );

    // The derived action keeps its logs through a rename.
    let (_, lookup) = common::get(&server, "/api/actions/?name=lookup_order").await;
    let lookup_id = lookup["results"][0]["id"].as_i64().unwrap();
    let (status, renamed) = send(
        &server,
        Method::PATCH,
        &format!("/api/actions/{lookup_id}/"),
        &json!({"name": "find_order", "display_name": "Find an order"}),
    )
    .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(
        (&renamed["name"], &renamed["display_name"]),
        (&json!("find_order"), &json!("Find an order"))
    );
    let (_, read) = common::get(&server, &format!("/api/actions/{lookup_id}/")).await;
    assert_eq!(read, renamed);
    let (_, logs) = common::get(&server, &format!("/api/actions/{lookup_id}/logs/")).await;
    assert_eq!(logs.as_array().unwrap().len(), 1);

    let (status, answer) = send(
        &server,
        Method::DELETE,
        &format!("/api/actions/{id}/"),
        &Value::Null,
    )
    .await;
    assert_eq!(
        (status, answer),
        (405, json!({"detail": "Method \"DELETE\" not allowed."}))
    );
    let (status, _) = common::get(&server, &format!("/api/actions/{id}/")).await;
    assert_eq!(status, 200);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_read_key_reads_and_every_write_answers_403_before_its_body() {
    let server = server().await;
    let (status, me) = send_as(
        &server,
        DEMO_READ_API_KEY,
        Method::GET,
        "/api/me/",
        &Value::Null,
    )
    .await;
    assert_eq!((status, &me["role"]), (200, &json!("read")));
    let (_, me) = common::get(&server, "/api/me/").await;
    assert_eq!(me["role"], "write");
    let (status, page) = send_as(
        &server,
        DEMO_READ_API_KEY,
        Method::GET,
        "/api/conversations/",
        &Value::Null,
    )
    .await;
    assert_eq!((status, page["count"].clone()), (200, json!(2)));

    let forbidden = json!({"detail": "You do not have permission to perform this action."});
    let writes = [
        (Method::POST, "/api/conversations/42/mark/"),
        (Method::PATCH, "/api/conversations/42/rename/"),
        (Method::PATCH, "/api/conversations/42/update/"),
        (Method::DELETE, "/api/conversations/42/delete/"),
        (Method::DELETE, "/api/conversations/42/"),
        (Method::PATCH, "/api/track/101/"),
        (Method::POST, "/api/feedbacks/"),
        (Method::PATCH, "/api/feedbacks/5/"),
        (Method::DELETE, "/api/feedbacks/5/"),
        (Method::POST, "/api/tickets/"),
        (Method::PATCH, "/api/tickets/7/"),
        (Method::DELETE, "/api/tickets/7/"),
        (Method::POST, "/api/tickets/7/comments/"),
        (Method::POST, "/api/actions/"),
        (Method::PATCH, "/api/actions/1/"),
        // Forbidden comes before not-found.
        (Method::POST, "/api/conversations/999/mark/"),
        (Method::DELETE, "/api/tickets/999/"),
    ];
    for (method, path) in writes {
        // A body that would be refused, so only the role can explain the answer.
        for body in [
            json!({"name": "", "title": "", "sentiment": "meh"}),
            json!([1]),
        ] {
            let (status, answer) =
                send_as(&server, DEMO_READ_API_KEY, method.clone(), path, &body).await;
            assert_eq!((status, &answer), (403, &forbidden), "{method} {path}");
        }
    }
    let (_, c) = common::get(&server, "/api/conversations/42/").await;
    assert_eq!(
        (&c["is_marked"], &c["name"], &c["is_deleted"]),
        (&json!(false), &json!("Support Chat"), &Value::Null)
    );
    let (status, _) = common::get(&server, "/api/tickets/7/").await;
    assert_eq!(status, 200);
    let (status, _) = common::get(&server, "/api/feedbacks/5/").await;
    assert_eq!(status, 200);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_server_given_a_private_key_does_not_take_the_demo_read_key() {
    let secret = "ags_0123456789abcdef0123456789abcdef_abc123";
    let server = common::start(
        common::conversations(&records()),
        ServerConfig {
            api_key: secret.to_owned(),
            ..ServerConfig::default()
        },
    )
    .await;
    let (status, answer) = send_as(
        &server,
        DEMO_READ_API_KEY,
        Method::GET,
        "/api/me/",
        &Value::Null,
    )
    .await;
    assert_eq!(
        (status, answer),
        (401, json!({"detail": "Invalid API key."}))
    );
    let (status, me) = send_as(&server, secret, Method::GET, "/api/me/", &Value::Null).await;
    assert_eq!((status, &me["role"]), (200, &json!("write")));
    server.shutdown().await.unwrap();
}
