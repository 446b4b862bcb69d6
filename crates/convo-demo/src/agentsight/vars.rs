//! The facts of one conversation that its lines mention: order, amounts, tracking, invoice, staff, and per-round details of long ones.

use chrono::{DateTime, Datelike, Duration, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::lang::{Currency, Lang, day_month, money, money_plain};
use super::people::{COMPANIES, PLANS, PRODUCTS, local_price, locale};
use super::plan::{Customer, Incident};
use super::random::{between, digits, hex, pick};

/// Everything a template can name, as text.
#[derive(Clone, Debug, Default)]
pub(crate) struct Vars {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) customer: String,
    pub(crate) order: String,
    /// The order number with a digit missing, as mistyped.
    pub(crate) order_short: String,
    pub(crate) item: String,
    pub(crate) amount: String,
    pub(crate) amount_plain: String,
    /// The order total in minor units and its currency code, for the metadata.
    pub(crate) amount_minor: i64,
    pub(crate) currency: &'static str,
    pub(crate) tracking: String,
    pub(crate) carrier: String,
    pub(crate) carrier_slug: String,
    pub(crate) shipped_iso: String,
    pub(crate) eta: String,
    pub(crate) eta_iso: String,
    /// The first of next month, when subscriptions renew.
    pub(crate) renewal: String,
    pub(crate) renewal_iso: String,
    pub(crate) plan: String,
    pub(crate) plan_key: String,
    /// The plan a charge is for: free customers are billed for Pro.
    pub(crate) paid_plan: String,
    pub(crate) paid_plan_key: String,
    pub(crate) plan_amount: String,
    pub(crate) plan_amount_plain: String,
    pub(crate) invoice: String,
    pub(crate) last4: String,
    pub(crate) hex: String,
    pub(crate) agent: String,
    pub(crate) ticket: String,
    pub(crate) incident: String,
    pub(crate) incident_since: String,
    pub(crate) incident_end: String,
    pub(crate) version: String,
    pub(crate) next_version: String,
    pub(crate) bug: String,
    pub(crate) os: String,
    pub(crate) device_model: String,
    pub(crate) kb_query: String,
    pub(crate) kb_title: String,
    pub(crate) score: String,
    pub(crate) title: String,
    pub(crate) since: String,
    pub(crate) company: String,
    /// The company's e-mail domain (a reserved `.example` name).
    pub(crate) company_domain: String,
    pub(crate) client: String,
    pub(crate) seats: String,
    pub(crate) extra: String,
    pub(crate) credit: String,
    pub(crate) credit_amount: String,
    pub(crate) credit_plain: String,
    pub(crate) month: String,
}

/// Details drawn afresh for every round of a long conversation (and the last idle time).
#[derive(Clone, Debug, Default)]
pub(crate) struct Round {
    pub(crate) n: String,
    /// An earlier round's number (a batch sent before).
    pub(crate) prev: String,
    /// An older invoice, and a colleague who left (long billing disputes).
    pub(crate) old_invoice: String,
    pub(crate) colleague: String,
    pub(crate) req: String,
    pub(crate) status: String,
    pub(crate) ms: String,
    pub(crate) rows: String,
    pub(crate) ok: String,
    pub(crate) bad: String,
    pub(crate) pct: String,
    pub(crate) code: String,
    pub(crate) shard: String,
    pub(crate) k: String,
    pub(crate) total: String,
    pub(crate) idle: String,
    pub(crate) log_time: String,
}

const MODELS_MOBILE: &[(&str, &str)] = &[
    ("iOS", "iPhone 15"),
    ("iOS", "iPhone 13 mini"),
    ("Android", "Pixel 8"),
    ("Android", "Galaxy S24"),
];
const MODELS_TABLET: &[(&str, &str)] = &[("iOS", "iPad Air"), ("Android", "Galaxy Tab S9")];

impl Vars {
    /// Draws the facts of a conversation with `customer` starting at `start`.
    pub(crate) fn new(
        rng: &mut ChaCha8Rng,
        customer: &Customer,
        start: DateTime<Utc>,
        incident: Option<&Incident>,
    ) -> Self {
        let lang = customer.lang;
        let loc = locale(lang);
        let currency = customer.place.currency;
        let product = pick(rng, PRODUCTS).unwrap_or(&PRODUCTS[0]);
        let amount_minor = local_price(product.cents, currency);
        let today = start.date_naive();
        let eta = today + Duration::days(between(rng, 1, 4));
        let shipped = today - Duration::days(between(rng, 2, 6));
        let renewal = (today.with_day(1).unwrap_or(today) + Duration::days(32))
            .with_day(1)
            .unwrap_or(today);
        let (plan_key, plan) = PLANS
            .get(customer.plan)
            .map_or(("pro", "Pro"), |p| (p.0, p.1));
        let minor = rng.random_range(10..15);
        let patch = rng.random_range(0..4);
        let (os, model) = match customer.device {
            "tablet" => pick(rng, MODELS_TABLET),
            _ => pick(rng, MODELS_MOBILE),
        }
        .copied()
        .unwrap_or(("iOS", "iPhone 15"));
        let company = pick(rng, COMPANIES).copied().unwrap_or("Acme");
        let seats = rng.random_range(14..=26_i64);
        let (paid_plan_key, paid_plan) = if plan_key == "free" {
            ("pro", "Pro")
        } else {
            (plan_key, plan)
        };
        let plan_minor = local_price(plan_cents(paid_plan_key, seats), currency);
        let order = rng.random_range(40_000..99_999);
        let credit_minor = (seats - 12) * 1_200;
        let since = start - Duration::hours(between(rng, 14, 30));
        let previous_month = (today - Duration::days(i64::from(today.day()) + 1)).format("%Y-%m");
        let (incident_id, incident_since, incident_end) = match incident {
            Some(i) => (
                i.id.clone(),
                i.start.format("%H:%M UTC").to_string(),
                (i.start + Duration::minutes(75))
                    .format("%H:%M")
                    .to_string(),
            ),
            None => (
                format!("INC-{}", rng.random_range(1000..9999)),
                String::new(),
                String::new(),
            ),
        };
        Vars {
            name: if lang == Lang::Ja {
                customer.last.shown.to_owned()
            } else {
                customer.first.shown.to_owned()
            },
            email: customer.email.clone(),
            customer: customer.id.clone(),
            order: order.to_string(),
            order_short: (order / 10).to_string(),
            item: product.name.to_owned(),
            amount: money(amount_minor, currency, lang),
            amount_plain: money_plain(amount_minor, currency),
            amount_minor,
            currency: currency.code(),
            tracking: format!("{}{}", loc.carrier.prefix, digits(rng, loc.carrier.digits)),
            carrier: loc.carrier.name.to_owned(),
            carrier_slug: loc.carrier.slug.to_owned(),
            shipped_iso: shipped.to_string(),
            eta: day_month(eta, lang),
            eta_iso: eta.to_string(),
            renewal: day_month(renewal, lang),
            renewal_iso: renewal.to_string(),
            plan: plan.to_owned(),
            plan_key: plan_key.to_owned(),
            paid_plan: paid_plan.to_owned(),
            paid_plan_key: paid_plan_key.to_owned(),
            plan_amount: money(plan_minor, currency, lang),
            plan_amount_plain: money_plain(plan_minor, currency),
            invoice: format!("INV-{}-{:05}", today.year(), rng.random_range(1..40_000)),
            last4: digits(rng, 4),
            hex: hex(rng, 14),
            agent: pick(rng, loc.staff)
                .copied()
                .unwrap_or("Sam Carter")
                .to_owned(),
            ticket: format!("SUP-{}", rng.random_range(1000..9999)),
            incident: incident_id,
            incident_since,
            incident_end,
            version: format!("4.{minor}.{patch}"),
            next_version: format!("4.{minor}.{}", patch + 1),
            bug: format!("BUG-{}", rng.random_range(1000..2999)),
            os: os.to_owned(),
            device_model: model.to_owned(),
            kb_query: "invite household members to a home".to_owned(),
            kb_title: "Sharing your home".to_owned(),
            score: rng.random_range(71..97).to_string(),
            title: String::new(),
            since: since.format("%H:%M UTC on %b %-d").to_string(),
            company: company.to_owned(),
            company_domain: format!(
                "{}.example",
                company
                    .split_whitespace()
                    .next()
                    .unwrap_or("acme")
                    .to_ascii_lowercase()
            ),
            client: format!("cli_{}", hex(rng, 10)),
            seats: seats.to_string(),
            extra: (seats - 12).to_string(),
            credit: format!("CN-{}-{:04}", today.year(), rng.random_range(1..9999)),
            credit_amount: money(credit_minor, currency, lang),
            credit_plain: money_plain(credit_minor, currency),
            month: previous_month.to_string(),
        }
    }

    /// Turns the customer into the admin of a business account on the Team plan
    /// (the long conversations are with business accounts).
    pub(crate) fn make_business(&mut self, lang: Lang, currency: Currency) {
        let seats = self.seats.parse::<i64>().unwrap_or(12);
        let minor = local_price(plan_cents("team", seats), currency);
        "Team".clone_into(&mut self.plan);
        "team".clone_into(&mut self.plan_key);
        "Team".clone_into(&mut self.paid_plan);
        "team".clone_into(&mut self.paid_plan_key);
        self.plan_amount = money(minor, currency, lang);
        self.plan_amount_plain = money_plain(minor, currency);
    }

    /// The text for a placeholder, `None` for names it does not know.
    #[must_use]
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        let value = match key {
            "name" => &self.name,
            "email" => &self.email,
            "customer" => &self.customer,
            "order" => &self.order,
            "order_short" => &self.order_short,
            "item" => &self.item,
            "amount" => &self.amount,
            "amount_plain" => &self.amount_plain,
            "tracking" => &self.tracking,
            "carrier" => &self.carrier,
            "carrier_slug" => &self.carrier_slug,
            "shipped_iso" => &self.shipped_iso,
            "eta" => &self.eta,
            "eta_iso" => &self.eta_iso,
            "renewal" => &self.renewal,
            "renewal_iso" => &self.renewal_iso,
            "plan" => &self.plan,
            "plan_key" => &self.plan_key,
            "paid_plan" => &self.paid_plan,
            "paid_plan_key" => &self.paid_plan_key,
            "plan_amount" => &self.plan_amount,
            "plan_amount_plain" => &self.plan_amount_plain,
            "invoice" => &self.invoice,
            "last4" => &self.last4,
            "hex" => &self.hex,
            "agent" => &self.agent,
            "ticket" => &self.ticket,
            "incident" => &self.incident,
            "incident_since" => &self.incident_since,
            "incident_end" => &self.incident_end,
            "version" => &self.version,
            "next_version" => &self.next_version,
            "bug" => &self.bug,
            "os" => &self.os,
            "device_model" => &self.device_model,
            "kb_query" => &self.kb_query,
            "kb_title" => &self.kb_title,
            "score" => &self.score,
            "title" => &self.title,
            "since" => &self.since,
            "company" => &self.company,
            "company_domain" => &self.company_domain,
            "client" => &self.client,
            "seats" => &self.seats,
            "extra" => &self.extra,
            "credit" => &self.credit,
            "credit_amount" => &self.credit_amount,
            "credit_plain" => &self.credit_plain,
            "month" => &self.month,
            _ => return None,
        };
        Some(value)
    }
}

/// A month of a plan, in US cents (Team is billed per seat).
fn plan_cents(plan_key: &str, seats: i64) -> i64 {
    match plan_key {
        "starter" => 499,
        "team" => 1_200 * seats,
        _ => 999,
    }
}

impl Round {
    /// New details for round `n` of a long conversation, happening at `now`.
    pub(crate) fn next(&mut self, rng: &mut ChaCha8Rng, n: usize, now: DateTime<Utc>) {
        const STATUSES: &[&str] = &["429", "504", "429", "502", "500"];
        const COLLEAGUES: &[&str] = &[
            "Marta Kowalski",
            "Ben Ortiz",
            "Lea Novak",
            "Tom Fischer",
            "Aisha Rahman",
            "Jonas Berg",
            "Chloe Martin",
            "Ravi Iyer",
            "Nina Petrova",
            "Sam O'Neill",
        ];
        let rows = rng.random_range(180..=500);
        let bad = rng.random_range(0..=40).min(rows);
        self.n = n.to_string();
        self.prev = n.saturating_sub(rng.random_range(1..4)).max(1).to_string();
        self.old_invoice = format!(
            "INV-{}-{:05}",
            now.year() - i32::from(rng.random_bool(0.2)),
            rng.random_range(1..40_000)
        );
        pick(rng, COLLEAGUES)
            .copied()
            .unwrap_or("Ben Ortiz")
            .clone_into(&mut self.colleague);
        self.req = format!("req_{}", hex(rng, 12));
        pick(rng, STATUSES)
            .copied()
            .unwrap_or("429")
            .clone_into(&mut self.status);
        self.ms = rng.random_range(900..=29_000).to_string();
        self.rows = rows.to_string();
        self.ok = (rows - bad).to_string();
        self.bad = bad.to_string();
        self.pct = rng.random_range(3..=45).to_string();
        self.code = rng.random_range(1001..=4999).to_string();
        self.shard = rng.random_range(1..=9).to_string();
        self.k = rng.random_range(2..=9).to_string();
        self.total = (n * 350 + rng.random_range(0..300)).to_string();
        self.log_time = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }

    /// The text for a round placeholder, `None` for other names (and rounds not yet drawn).
    #[must_use]
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        let value = match key {
            "n" => &self.n,
            "prev" => &self.prev,
            "old_invoice" => &self.old_invoice,
            "colleague" => &self.colleague,
            "req" => &self.req,
            "status" => &self.status,
            "ms" => &self.ms,
            "rows" => &self.rows,
            "ok" => &self.ok,
            "bad" => &self.bad,
            "pct" => &self.pct,
            "code" => &self.code,
            "shard" => &self.shard,
            "k" => &self.k,
            "total" => &self.total,
            "idle" => &self.idle,
            "log_time" => &self.log_time,
            _ => return None,
        };
        (!value.is_empty()).then_some(value.as_str())
    }
}
