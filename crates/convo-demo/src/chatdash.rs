//! The bundled `ChatDash` demo data, `assets/chatdash-demo.jsonl`: one `ChatDash` conversation per line, its messages embedded.
//!
//! Deterministic (seeded): generating again gives the same bytes. The local
//! server splits `messages` off and rebases every time to "this week".
#![allow(clippy::cast_precision_loss)] // call lengths of minutes: far inside f64's exact range

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use crate::vocabulary::{DEVICES, PEOPLE};

const CONVERSATIONS: usize = 96;
const AGENT: &str = "demo-agent";

/// One kind of conversation: what it is about and how it goes.
struct Scenario {
    topic: &'static str,
    subtopic: &'static str,
    /// `u` user, `b` bot, `a` human live agent.
    turns: &'static [(char, &'static str)],
    summary: &'static str,
    success: bool,
    reason: &'static str,
    misunderstood: &'static [&'static str],
}

const fn s(
    topic: &'static str,
    subtopic: &'static str,
    turns: &'static [(char, &'static str)],
    summary: &'static str,
    success: bool,
    reason: &'static str,
    misunderstood: &'static [&'static str],
) -> Scenario {
    Scenario {
        topic,
        subtopic,
        turns,
        summary,
        success,
        reason,
        misunderstood,
    }
}

const SCENARIOS: &[Scenario] = &[
    s(
        "Billing",
        "Refund",
        &[
            (
                'b',
                "Hi! I'm Dash, the assistant for Northwind Store. How can I help?",
            ),
            ('u', "I was charged twice for order 48213"),
            (
                'b',
                "Sorry about that. I can see two charges of $59.90 on May 12. I've requested a refund for the duplicate; it takes 3–5 business days.",
            ),
            ('u', "great, thanks"),
            ('b', "You're welcome! Anything else?"),
        ],
        "Customer was double-charged for order 48213; the bot requested a refund of the duplicate charge.",
        true,
        "The duplicate charge was identified and a refund was issued.",
        &[],
    ),
    s(
        "Account",
        "Password reset",
        &[
            ('b', "Hello! How can I help you today?"),
            ('u', "cant log in, forgot my password"),
            (
                'b',
                "No problem. I've sent a reset link to the email on file (a•••@example.com). It expires in 30 minutes.",
            ),
            ('u', "got it, worked"),
        ],
        "User forgot their password; a reset link was sent and worked.",
        true,
        "The user confirmed the reset worked.",
        &[],
    ),
    s(
        "Orders",
        "Delivery delay",
        &[
            ('b', "¡Hola! Soy Dash. ¿En qué puedo ayudarte?"),
            ('u', "Mi pedido no ha llegado, debía llegar el lunes"),
            (
                'b',
                "Lo siento. El pedido 77120 está retenido en el centro de Zaragoza por el clima; la nueva fecha estimada es el jueves.",
            ),
            ('u', "vale, gracias"),
        ],
        "Spanish-speaking customer asked about a late order; the bot explained the weather delay and the new ETA.",
        true,
        "The customer got the status and a new delivery date.",
        &[],
    ),
    s(
        "Bookings",
        "Reschedule",
        &[
            ('b', "Hallo! Wie kann ich helfen?"),
            ('u', "Ich möchte meinen Termin am Freitag verschieben"),
            (
                'b',
                "Gern. Freie Termine: Montag 10:00, Montag 14:30, Dienstag 09:15. Welcher passt?",
            ),
            ('u', "Dienstag 9:15"),
            (
                'b',
                "Erledigt: Dienstag, 09:15. Sie erhalten eine Bestätigung per E-Mail.",
            ),
        ],
        "German customer moved a Friday appointment to Tuesday 09:15.",
        true,
        "The appointment was rebooked and confirmed.",
        &[],
    ),
    s(
        "Technical",
        "App crash",
        &[
            ('b', "Hi! How can I help?"),
            ('u', "the app crashes every time i open the camera screen"),
            (
                'b',
                "Sorry! Could you tell me your phone model and app version?",
            ),
            ('u', "pixel 8, whatever the latest is"),
            (
                'b',
                "Thanks. I'm handing you to a specialist who can look at the crash logs.",
            ),
            (
                'a',
                "Hi, Maria here from support. I see the crash report from your device — it's a known bug in 4.2.0. A fix ships tomorrow; until then, clearing the app cache avoids it.",
            ),
            ('u', "ok that worked, thanks maria"),
        ],
        "App crashed on the camera screen (Pixel 8, v4.2.0); a live agent identified a known bug and a workaround.",
        true,
        "Resolved by a live agent with a workaround.",
        &["whatever the latest is"],
    ),
    s(
        "Pricing",
        "Plan comparison",
        &[
            ('b', "Bonjour ! Comment puis-je vous aider ?"),
            ('u', "Quelle est la différence entre Pro et Business ?"),
            (
                'b',
                "Business ajoute le SSO, 10 sièges inclus et un support prioritaire. Pro inclut 3 sièges.",
            ),
            ('u', "et le prix annuel ?"),
            ('b', "Désolé, je n'ai pas cette information."),
        ],
        "French prospect compared Pro and Business plans; the bot could not give the annual price.",
        false,
        "The bot did not know the annual pricing.",
        &["et le prix annuel ?"],
    ),
    s(
        "Orders",
        "Shipping",
        &[
            ('b', "こんにちは！ご用件をどうぞ。"),
            ('u', "注文した商品はいつ届きますか？"),
            (
                'b',
                "ご注文 55012 は本日発送済みです。明後日のお届け予定です。",
            ),
            ('u', "ありがとう 🙏"),
        ],
        "Japanese customer asked for a delivery date; the order shipped today.",
        true,
        "The customer got the delivery date.",
        &[],
    ),
    s(
        "Returns",
        "Return request",
        &[
            ('b', "مرحبا! كيف يمكنني مساعدتك؟"),
            ('u', "أريد إرجاع الحذاء، المقاس صغير"),
            (
                'b',
                "بالتأكيد. أرسلت لك ملصق الإرجاع عبر البريد الإلكتروني. لديك 30 يوما.",
            ),
        ],
        "Arabic-speaking customer returned shoes that were too small; a return label was sent.",
        true,
        "Return label issued.",
        &[],
    ),
    s(
        "Complaint",
        "Escalation",
        &[
            ('b', "Hi! How can I help?"),
            (
                'u',
                "this is the third time my internet has dropped this week. I want to cancel",
            ),
            (
                'b',
                "I'm sorry to hear that. Have you tried restarting your router?",
            ),
            ('u', "yes obviously. get me a human"),
            ('b', "Connecting you to a team member now."),
            (
                'a',
                "Hi, Tom here. I'm sorry for the trouble. I see three outages on your line; I've credited this month and booked a technician for Thursday.",
            ),
            ('u', "fine. if it happens again I'm leaving"),
        ],
        "Customer angry about repeated outages asked to cancel; a live agent credited the month and booked a technician.",
        false,
        "The customer remained dissatisfied and threatened to cancel.",
        &["get me a human"],
    ),
    s(
        "Promotions",
        "Discount code",
        &[
            (
                'u',
                "hiii 😍 do u have any discount for the summer collection??",
            ),
            ('b', "Hi! 👋 Yes — use SUMMER15 for 15% off until Sunday ☀️"),
            ('u', "omg thank u 💕"),
        ],
        "Instagram user asked for a discount; the bot gave the SUMMER15 code.",
        true,
        "A valid code was provided.",
        &[],
    ),
    s(
        "Account",
        "Delete account",
        &[
            ('b', "Hi! How can I help?"),
            ('u', "how do i delete my account and all my data"),
            (
                'b',
                "I can't do that from chat. Could you rephrase what you need?",
            ),
            ('u', "DELETE. MY. ACCOUNT."),
            ('b', "Sorry, I didn't understand that."),
        ],
        "User wanted their account and data deleted; the bot could not handle the request.",
        false,
        "The bot failed to route a data deletion request.",
        &[
            "how do i delete my account and all my data",
            "DELETE. MY. ACCOUNT.",
        ],
    ),
];

const VOICE: &[Scenario] = &[
    s(
        "Bookings",
        "New appointment",
        &[
            (
                'b',
                "Thanks for calling Bright Smile Dental, this is Ava. How can I help?",
            ),
            ('u', "Hi, I'd like to book a cleaning next week."),
            ('b', "Sure. I have Tuesday at 3 PM or Wednesday at 10 AM."),
            ('u', "Wednesday at ten works."),
            (
                'b',
                "You're booked for Wednesday at 10 AM. You'll get a text confirmation.",
            ),
        ],
        "Caller booked a cleaning for Wednesday 10 AM.",
        true,
        "Appointment booked.",
        &[],
    ),
    s(
        "Billing",
        "Invoice question",
        &[
            (
                'b',
                "Hello, you've reached Acme Utilities. What can I do for you?",
            ),
            ('u', "My bill is way higher than usual this month."),
            (
                'b',
                "I see a meter reading estimate for April. I can request an actual reading.",
            ),
            (
                'u',
                "Yes please, and can I talk to someone about a payment plan?",
            ),
            ('b', "I'll transfer you to our billing team."),
        ],
        "Caller disputed a high bill (estimated reading) and asked for a payment plan; transferred to billing.",
        false,
        "Transferred: the assistant could not set up a payment plan.",
        &["can I talk to someone about a payment plan"],
    ),
    s(
        "Sales",
        "Outbound follow-up",
        &[
            (
                'b',
                "Hi, this is Sam from SolarPeak following up on your quote request. Is now a good time?",
            ),
            ('u', "Uh, sure, quickly."),
            (
                'b',
                "Your roof fits about 14 panels; the estimate is $18,400 before incentives. Want an on-site survey?",
            ),
            ('u', "Send me the details by email first."),
            ('b', "Will do. Have a great day!"),
        ],
        "Outbound follow-up on a solar quote; lead asked for details by email.",
        true,
        "Lead engaged and asked for the quote by email.",
        &[],
    ),
];

const LIVE_AGENTS: &[(&str, &str)] = &[("Maria Lopez", "la-01"), ("Tom Becker", "la-02")];

fn hex(rng: &mut ChaCha8Rng, len: usize) -> String {
    (0..len)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect()
}

fn millis(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn messages(
    rng: &mut ChaCha8Rng,
    turns: &[(char, &str)],
    start: DateTime<Utc>,
    voice: bool,
) -> (Vec<Value>, DateTime<Utc>) {
    let mut at = start;
    let mut out = Vec::new();
    for (who, text) in turns {
        at += Duration::seconds(rng.random_range(if voice { 4..15 } else { 8..95 }));
        let sender = match who {
            'u' => "user",
            'a' => "agent",
            _ => "bot",
        };
        let mut message = json!({
            "_id": hex(rng, 24),
            "sender": sender,
            "type": "text",
            "content": {"text": text},
            "createdAt": millis(at),
        });
        if *who == 'b' {
            let total = rng.random_range(180..1400);
            message["metadata"] = json!({"model": "gpt-4o-mini", "total": total});
        }
        out.push(message);
    }
    (out, at + Duration::seconds(rng.random_range(5..40)))
}

fn conversation(rng: &mut ChaCha8Rng, index: usize, week: DateTime<Utc>) -> Value {
    let created = week + Duration::minutes(rng.random_range(0..7 * 24 * 60));
    let (name, country, phone) = *pick(rng, PEOPLE);
    let kind = index % 8;
    let channel = match kind {
        0..=2 => "Webchat",
        3 | 4 => "WhatsApp",
        5 => "Instagram",
        _ => "Voice",
    };
    let voice = channel == "Voice";
    let no_answer = voice && index % 5 == 0;
    let scenario = if voice {
        pick(rng, VOICE)
    } else {
        match channel {
            "Instagram" if rng.random_bool(0.5) => &SCENARIOS[9],
            _ => pick(rng, SCENARIOS),
        }
    };
    let id = hex(rng, 24);
    let mut c = Map::new();
    c.insert("_id".into(), json!(id));
    c.insert("agentId".into(), json!(AGENT));
    let platform_id = match channel {
        "Voice" => format!("call_{}-{}-{}", hex(rng, 8), hex(rng, 4), hex(rng, 12)),
        "WhatsApp" => format!("wamid.{}", hex(rng, 20).to_uppercase()),
        _ if index % 2 == 0 => hex(rng, 24),
        _ => format!("thread_{}", hex(rng, 24)),
    };
    c.insert("platformId".into(), json!(platform_id));
    c.insert("name".into(), json!(name));
    c.insert("read".into(), json!(rng.random_bool(0.6)));
    c.insert("channel".into(), json!(channel));
    let hidden_unrecorded = index % 17 == 3;
    let hidden_untouched = index % 19 == 5 && !voice;
    c.insert("record".into(), json!(!hidden_unrecorded));
    c.insert("interacted".into(), json!(!hidden_untouched));
    match channel {
        "Webchat" => {
            let (device, browser, os) = *pick(rng, DEVICES);
            c.insert("device".into(), json!(device));
            c.insert("browser".into(), json!(browser));
            c.insert("os".into(), json!(os));
            c.insert("countryCode".into(), json!(country));
            let ip = format!("203.0.113.{}", rng.random_range(1..255));
            c.insert("ipAddress".into(), json!(ip));
        }
        "WhatsApp" => {
            c.insert("phone".into(), json!(phone));
            c.insert("countryCode".into(), json!(country));
        }
        "Instagram" => {
            let handle = name
                .to_lowercase()
                .replace(' ', "_")
                .replace(['é', 'í', 'á'], "e");
            c.insert("instagramUsername".into(), json!(handle));
            c.insert(
                "instagramId".into(),
                json!(format!(
                    "1784{}",
                    rng.random_range(10_000_000_u64..99_999_999)
                )),
            );
        }
        _ => {
            c.insert("phone".into(), json!(phone));
            c.insert("phoneSecondary".into(), json!("+1 888 555 0100"));
            c.insert("countryCode".into(), json!(country));
        }
    }
    let turns: &[(char, &str)] = if hidden_untouched {
        &scenario.turns[..1]
    } else {
        scenario.turns
    };
    let (msgs, ended) = if no_answer {
        (Vec::new(), created + Duration::seconds(32))
    } else {
        messages(rng, turns, created, voice)
    };
    let human = msgs.iter().any(|m| m["sender"] == "agent");
    c.insert("createdAt".into(), json!(millis(created)));
    c.insert(
        "updatedAt".into(),
        json!(millis(ended + Duration::minutes(1))),
    );
    let live = index % 23 == 7 && !voice;
    if !live {
        c.insert("endedAt".into(), json!(millis(ended)));
    }
    c.insert("isLive".into(), json!(live));
    let status = if human {
        "human"
    } else if live {
        "pending"
    } else {
        "ai"
    };
    c.insert("status".into(), json!(status));
    if human {
        let (agent, agent_id) = if scenario.turns.iter().any(|(_, t)| t.contains("Tom")) {
            LIVE_AGENTS[1]
        } else {
            LIVE_AGENTS[0]
        };
        c.insert("liveAgentName".into(), json!(agent));
        c.insert("liveAgentId".into(), json!(agent_id));
    }
    if voice {
        let minutes = if no_answer {
            0.0
        } else {
            (ended - created).num_seconds() as f64 / 60.0
        };
        let minutes = (minutes * 100.0).round() / 100.0;
        let cost = if no_answer {
            0.01
        } else {
            ((minutes * 0.11 + 0.02) * 1000.0).round() / 1000.0
        };
        c.insert("duration".into(), json!(minutes));
        c.insert("cost".into(), json!(cost));
        let reason = if no_answer {
            "customer-did-not-answer"
        } else if scenario.subtopic == "Invoice question" {
            "assistant-forwarded-call"
        } else {
            "customer-ended-call"
        };
        c.insert("endedReason".into(), json!(reason));
        c.insert("noAnswer".into(), json!(no_answer));
        if !no_answer {
            c.insert(
                "url".into(),
                json!(format!(
                    "https://storage.vapi.ai/recordings/{}.wav",
                    hex(rng, 32)
                )),
            );
            c.insert(
                "customAnalysis".into(),
                json!({
                    "callbackRequested": scenario.subtopic == "Invoice question",
                    "sentiment": if scenario.success { "positive" } else { "negative" },
                }),
            );
        }
        if scenario.subtopic == "Outbound follow-up" {
            c.insert("campaignId".into(), json!("cmp-solar-q2"));
            c.insert("leadId".into(), json!(format!("lead-{}", hex(rng, 8))));
        }
    }
    if !no_answer && !hidden_untouched {
        c.insert("topic".into(), json!(scenario.topic));
        c.insert("subtopic".into(), json!(scenario.subtopic));
        c.insert("summary".into(), json!(scenario.summary));
        c.insert(
            "evaluation".into(),
            json!({"isSuccess": scenario.success, "reason": scenario.reason}),
        );
        let queries: Vec<Value> = scenario
            .misunderstood
            .iter()
            .map(|q| json!({"question": q}))
            .collect();
        c.insert("mistunderstoodQueries".into(), json!(queries));
    }
    if index % 11 == 4 {
        c.insert(
            "note".into(),
            json!("Follow up on Monday — customer asked for a call back."),
        );
    }
    c.insert(
        "metadata".into(),
        json!({"source": channel.to_lowercase(), "locale": country.to_lowercase()}),
    );
    c.insert("messages".into(), Value::Array(msgs));
    Value::Object(c)
}

/// Where the bundled `ChatDash` demo file lives, relative to the product crate's root.
pub const CHATDASH_DEMO_FILE: &str = "assets/chatdash-demo.jsonl";

/// The bundled `ChatDash` demo file's exact contents: one JSON conversation per line.
///
/// # Panics
/// Never: the start of the demo week is a valid constant date.
#[must_use]
pub fn chatdash_demo_jsonl() -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let week = Utc
        .with_ymd_and_hms(2024, 5, 13, 6, 0, 0)
        .single()
        .unwrap_or_default();
    let mut out = String::new();
    for index in 0..CONVERSATIONS {
        out.push_str(&conversation(&mut rng, index, week).to_string());
        out.push('\n');
    }
    out
}
