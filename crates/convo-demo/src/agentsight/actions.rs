//! The tools the support agent calls, with what they are called on, what they answer and how they fail.

/// One tool the agent can call. Text fields are templates (see [`super::lang::fill`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionSpec {
    /// The `action_name` on the agent's message.
    pub(crate) name: &'static str,
    /// `tools_used`: tool → target or argument.
    pub(crate) tools: &'static [(&'static str, &'static str)],
    /// The response on success.
    pub(crate) response: &'static str,
    /// Ways it fails (empty: it never does).
    pub(crate) errors: &'static [&'static str],
    /// How long a success takes, in milliseconds.
    pub(crate) latency_ms: (i64, i64),
    /// When the caller gives up; a timeout's duration and error say this figure.
    pub(crate) timeout_ms: i64,
}

pub(crate) const LOOKUP_ORDER: ActionSpec = ActionSpec {
    name: "lookup_order",
    tools: &[("database", "orders_db"), ("query", "order_id={order}")],
    response: "Order #{order}: 1 × {item}, {amount_plain}, shipped {shipped_iso} via {carrier} ({tracking})",
    errors: &[
        "orders_db: connection reset by peer",
        "orders_db: canceling statement due to statement timeout",
    ],
    latency_ms: (35, 420),
    timeout_ms: 10_000,
};

pub(crate) const LOOKUP_CUSTOMER: ActionSpec = ActionSpec {
    name: "lookup_customer",
    tools: &[("database", "users_db"), ("query", "email={email}")],
    response: "Customer {customer} found: plan {plan_key}, verified email, 2FA off",
    errors: &["users_db: too many connections"],
    latency_ms: (25, 300),
    timeout_ms: 10_000,
};

pub(crate) const ISSUE_REFUND: ActionSpec = ActionSpec {
    name: "issue_refund",
    tools: &[
        ("payments", "stripe"),
        ("operation", "refunds.create"),
        ("amount", "{amount_plain}"),
        ("charge", "ch_{hex}"),
    ],
    response: "Refund re_{hex} created: {amount_plain}, status pending",
    errors: &[
        "stripe: charge_already_refunded",
        "stripe: balance_insufficient",
        "policy: refund above auto-approval limit, needs a human",
    ],
    latency_ms: (400, 2_600),
    timeout_ms: 30_000,
};

/// Refunding a subscription charge (the order refund names the order total).
pub(crate) const REFUND_CHARGE: ActionSpec = ActionSpec {
    tools: &[
        ("payments", "stripe"),
        ("operation", "refunds.create"),
        ("amount", "{plan_amount_plain}"),
        ("charge", "ch_{hex}"),
    ],
    response: "Refund re_{hex} created: {plan_amount_plain}, status pending",
    ..ISSUE_REFUND
};

pub(crate) const SEND_PASSWORD_RESET: ActionSpec = ActionSpec {
    name: "send_password_reset",
    tools: &[
        ("auth", "auth0"),
        ("template", "password_reset"),
        ("email", "{email}"),
    ],
    response: "Reset e-mail queued (message id msg_{hex}), link valid 30 min",
    errors: &[
        "auth0: too_many_requests (limit 3 per hour)",
        "sendgrid: 550 mailbox unavailable",
    ],
    latency_ms: (150, 1_200),
    timeout_ms: 30_000,
};

pub(crate) const TRACK_SHIPMENT: ActionSpec = ActionSpec {
    name: "track_shipment",
    tools: &[
        ("carrier_api", "{carrier_slug}"),
        ("tracking_number", "{tracking}"),
    ],
    response: "{carrier}: in transit, held at regional hub; new ETA {eta_iso}",
    errors: &[
        "{carrier_slug}: 502 Bad Gateway",
        "{carrier_slug}: tracking number not found",
    ],
    latency_ms: (300, 3_500),
    timeout_ms: 30_000,
};

pub(crate) const APPLY_VOUCHER: ActionSpec = ActionSpec {
    name: "apply_voucher",
    tools: &[
        ("promotions", "voucher_service"),
        ("code", "SORRY10-{order}"),
        ("percent_off", "10"),
    ],
    response: "Voucher SORRY10-{order} created for {customer}, expires in 90 days",
    errors: &["voucher_service: customer already has an active apology voucher"],
    latency_ms: (60, 500),
    timeout_ms: 10_000,
};

pub(crate) const FETCH_INVOICE: ActionSpec = ActionSpec {
    name: "fetch_invoice",
    tools: &[("billing", "chargebee"), ("invoice_id", "{invoice}")],
    response: "Invoice {invoice}: {plan_amount_plain}, paid by card ending {last4}",
    errors: &["chargebee: api_request_limit_exceeded"],
    latency_ms: (200, 1_500),
    timeout_ms: 30_000,
};

pub(crate) const LIST_PAYMENT_ATTEMPTS: ActionSpec = ActionSpec {
    name: "list_payment_attempts",
    tools: &[
        ("payments", "stripe"),
        ("operation", "payment_intents.list"),
        ("customer", "cus_{hex}"),
    ],
    response: "3 attempts in 14 min, all declined: card_declined / do_not_honor (card ending {last4})",
    errors: &["stripe: rate_limit"],
    latency_ms: (250, 1_800),
    timeout_ms: 30_000,
};

pub(crate) const GDPR_ERASURE: ActionSpec = ActionSpec {
    name: "request_data_erasure",
    tools: &[
        ("workflow", "gdpr_erasure"),
        ("customer_id", "{customer}"),
        ("request_id", "{ticket}"),
    ],
    response: "Erasure request {ticket} scheduled: account, devices, addresses; invoices retained (legal hold)",
    errors: &["gdpr_workflow: customer has an open order, erasure blocked"],
    latency_ms: (300, 2_000),
    timeout_ms: 30_000,
};

pub(crate) const ESCALATE: ActionSpec = ActionSpec {
    name: "escalate_to_human",
    tools: &[
        ("handoff", "zendesk"),
        ("queue", "tier2"),
        ("reason", "customer_requested_human"),
    ],
    response: "Handoff accepted: position 1 in queue tier2, estimated wait 2 min",
    errors: &[],
    latency_ms: (80, 600),
    timeout_ms: 10_000,
};

pub(crate) const CHECK_STATUS: ActionSpec = ActionSpec {
    name: "check_service_status",
    tools: &[(
        "http",
        "GET https://status.nimbushome.example/api/v2/summary.json",
    )],
    response: "Incident {incident}: Payments, degraded performance (investigating since {incident_since})",
    errors: &[],
    latency_ms: (90, 700),
    timeout_ms: 10_000,
};

/// The call an incident breaks: checkout payments.
pub(crate) const CREATE_PAYMENT: ActionSpec = ActionSpec {
    name: "create_payment_intent",
    tools: &[
        ("payments", "stripe"),
        ("operation", "payment_intents.create"),
        ("amount", "{amount_plain}"),
    ],
    response: "PaymentIntent pi_{hex} created: requires_confirmation",
    errors: &["stripe: api_connection_error (503 Service Unavailable)"],
    latency_ms: (300, 1_500),
    timeout_ms: 30_000,
};

pub(crate) const SEARCH_HELP: ActionSpec = ActionSpec {
    name: "search_help_center",
    tools: &[
        ("vector_store", "help_center"),
        ("query", "{kb_query}"),
        ("top_k", "5"),
    ],
    response: "5 articles, best match \"{kb_title}\" (score 0.{score})",
    errors: &["vector_store: index help_center is rebuilding"],
    latency_ms: (120, 900),
    timeout_ms: 10_000,
};

pub(crate) const SEARCH_KNOWN_ISSUES: ActionSpec = ActionSpec {
    name: "search_known_issues",
    tools: &[
        ("tracker", "linear"),
        ("query", "crash automations tab {os} {version}"),
    ],
    response: "1 match: {bug} \"Automations tab crashes when an automation uses a removed device\" (fix in {next_version})",
    errors: &["linear: 401 token expired"],
    latency_ms: (200, 1_400),
    timeout_ms: 30_000,
};

pub(crate) const CREATE_TICKET: ActionSpec = ActionSpec {
    name: "create_ticket",
    tools: &[
        ("helpdesk", "linear"),
        ("team", "SUP"),
        ("title", "{title}"),
    ],
    response: "Created {ticket}",
    errors: &["linear: 503 Service Unavailable"],
    latency_ms: (250, 1_600),
    timeout_ms: 30_000,
};

pub(crate) const FETCH_WEBHOOK_DELIVERIES: ActionSpec = ActionSpec {
    name: "fetch_webhook_deliveries",
    tools: &[
        ("database", "events_db"),
        ("query", "endpoint_id=we_{hex} status=failed since=24h"),
    ],
    response: "42 failed deliveries since {since}, all 401 invalid_signature",
    errors: &["events_db: replica lag too high, try again"],
    latency_ms: (150, 1_100),
    timeout_ms: 10_000,
};

pub(crate) const REPLAY_WEBHOOKS: ActionSpec = ActionSpec {
    name: "replay_webhooks",
    tools: &[
        ("http", "POST /v1/webhook_endpoints/we_{hex}/replay"),
        ("count", "42"),
    ],
    response: "42 events re-sent: 42 × 200 OK",
    errors: &["webhooks: endpoint returned 500 for 3 of 42 events"],
    latency_ms: (1_500, 6_000),
    timeout_ms: 30_000,
};

// Long conversations: the developer API, seat billing, bulk import.

pub(crate) const FETCH_API_LOGS: ActionSpec = ActionSpec {
    name: "fetch_api_logs",
    tools: &[
        ("logs", "loki"),
        ("query", "{client=\"{client}\"} |= \"{req}\""),
    ],
    response: "1 entry: POST /v2/devices/sync {status} in {ms} ms (shard eu-{shard})",
    errors: &["loki: query timed out after 10s"],
    latency_ms: (300, 4_000),
    timeout_ms: 30_000,
};

pub(crate) const LOOKUP_API_CLIENT: ActionSpec = ActionSpec {
    name: "lookup_api_client",
    tools: &[
        ("database", "developer_db"),
        ("query", "client_id={client}"),
    ],
    response: "Client {client}: tier partner, limit 600/min burst, 100/min sustained",
    errors: &[],
    latency_ms: (30, 250),
    timeout_ms: 10_000,
};

pub(crate) const REPLAY_REQUEST: ActionSpec = ActionSpec {
    name: "replay_request",
    tools: &[
        ("http", "POST /internal/replay/{req}"),
        ("shard", "eu-{shard}"),
    ],
    response: "Replayed {req}: 200 OK in {ms} ms",
    errors: &["replay: 504 Gateway Timeout from shard eu-{shard}"],
    latency_ms: (200, 2_500),
    timeout_ms: 30_000,
};

pub(crate) const LIST_SEATS: ActionSpec = ActionSpec {
    name: "list_seats",
    tools: &[("billing", "chargebee"), ("subscription", "sub_{hex}")],
    response: "{seats} seats billed: 12 active users, {extra} deactivated users still licensed",
    errors: &["chargebee: api_request_limit_exceeded"],
    latency_ms: (200, 1_400),
    timeout_ms: 30_000,
};

/// An older invoice a long billing dispute brings up.
pub(crate) const FETCH_OLD_INVOICE: ActionSpec = ActionSpec {
    tools: &[("billing", "chargebee"), ("invoice_id", "{old_invoice}")],
    response: "Invoice {old_invoice}: {plan_amount_plain}, paid by card ending {last4}",
    ..FETCH_INVOICE
};

pub(crate) const REMOVE_SEAT: ActionSpec = ActionSpec {
    name: "remove_seat",
    tools: &[
        ("billing", "chargebee"),
        ("subscription", "sub_{hex}"),
        ("user", "{colleague}"),
    ],
    response: "Seat released for {colleague}; next invoice prorated",
    errors: &["chargebee: subscription is locked while a credit note is pending"],
    latency_ms: (300, 1_800),
    timeout_ms: 30_000,
};

pub(crate) const ISSUE_CREDIT: ActionSpec = ActionSpec {
    name: "issue_credit_note",
    tools: &[
        ("billing", "chargebee"),
        ("invoice_id", "{invoice}"),
        ("amount", "{credit_plain}"),
    ],
    response: "Credit note {credit} created for {credit_plain} against {invoice}",
    errors: &[
        "chargebee: credit note amount exceeds invoice total",
        "policy: credits above 500.00 USD need finance approval",
    ],
    latency_ms: (400, 2_200),
    timeout_ms: 30_000,
};

pub(crate) const IMPORT_DEVICES: ActionSpec = ActionSpec {
    name: "import_devices",
    tools: &[
        ("importer", "bulk_devices"),
        ("file", "devices_batch_{n}.csv"),
        ("dry_run", "false"),
    ],
    response: "Batch {n}: {ok} devices imported, {bad} rows rejected",
    errors: &[
        "importer: row {ok}: invalid MAC address 'F0:9E:4A:ZZ:10:8B'",
        "importer: file is not UTF-8 (byte 0xE9 at offset 1834)",
    ],
    latency_ms: (2_000, 14_000),
    timeout_ms: 60_000,
};
