//! What to generate before generating it: the customers, the incidents, and one plan per conversation (when, who, which scenario).

use std::collections::HashSet;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::lang::Lang;
use super::marathons::MARATHONS;
use super::people::{LOCALES, Name, PLANS, Place, locale};
use super::random::{chance, hex, pick, weighted};
use super::scenarios::{CHECKOUT_INCIDENT, EVERYDAY, Scenario};

/// Someone who writes to support; a customer may come back several times.
#[derive(Debug)]
pub(crate) struct Customer {
    pub(crate) id: String,
    pub(crate) first: &'static Name,
    pub(crate) last: &'static Name,
    pub(crate) lang: Lang,
    pub(crate) place: &'static Place,
    pub(crate) ip: String,
    pub(crate) device: &'static str,
    pub(crate) tier: &'static str,
    /// Index into [`PLANS`].
    pub(crate) plan: usize,
    pub(crate) email: String,
}

/// A checkout outage: for about an hour, payments fail for everyone.
#[derive(Debug)]
pub(crate) struct Incident {
    pub(crate) id: String,
    pub(crate) start: DateTime<Utc>,
    /// What the failing call says when it does not time out.
    pub(crate) error: &'static str,
}

/// The errors an outage's failing call reports (besides timing out).
pub(crate) const INCIDENT_ERRORS: &[&str] = &[
    "stripe: api_connection_error (503 Service Unavailable)",
    "stripe: api_error (500 Internal Server Error)",
    "stripe: rate_limit_error (429 Too Many Requests)",
];

/// Conversation feedback verdicts as (sentiment, source) pairs; `source` is
/// `customer` (the customer's own) or `platform` (the QA judge's).
pub(crate) type Verdicts = &'static [(&'static str, &'static str)];

/// What a plan forces instead of leaving to chance (the demo's guaranteed coverage).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Features {
    pub(crate) marked: Option<bool>,
    pub(crate) deleted: Option<bool>,
    pub(crate) ticket: Option<bool>,
    pub(crate) usage: Option<UsageKind>,
    /// Exactly these feedbacks, as (sentiment, source).
    pub(crate) feedback: Option<Verdicts>,
    /// Votes on some of the agent's replies (`Some(false)`: none).
    pub(crate) votes: Option<bool>,
    /// A file in every customer message, cycling through every kind.
    pub(crate) files_everywhere: bool,
    pub(crate) environment: Option<&'static str>,
}

/// Forced shapes of token usage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UsageKind {
    /// Nothing recorded.
    Absent,
    /// Includes a model with no known price.
    Unpriced,
}

/// One conversation to generate.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) start: DateTime<Utc>,
    pub(crate) scenario: &'static Scenario,
    pub(crate) customer: usize,
    /// Seeds this conversation's own generator, so it can be rebuilt identically.
    pub(crate) seed: u64,
    pub(crate) conversation_id: String,
    pub(crate) incident: Option<usize>,
    /// Long conversations: the message count to reach.
    pub(crate) length: Option<usize>,
    /// Opened and never used: no messages.
    pub(crate) empty: bool,
    pub(crate) features: Features,
}

/// The span the conversations start in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
}

impl Window {
    /// A random instant, weighted towards working hours and weekdays.
    pub(crate) fn instant(&self, rng: &mut ChaCha8Rng) -> DateTime<Utc> {
        // Relative traffic per UTC hour: Europe's day, then the Americas'.
        const HOURS: [u32; 24] = [
            2, 1, 1, 1, 2, 3, 5, 8, 10, 11, 11, 10, 10, 11, 12, 13, 12, 11, 9, 7, 6, 5, 4, 3,
        ];
        let span = (self.end - self.start).num_seconds().max(1);
        for _ in 0..8 {
            let t = self.start + Duration::seconds(rng.random_range(0..span));
            let weekend = matches!(t.weekday(), Weekday::Sat | Weekday::Sun);
            let hour_weight = HOURS[t.hour() as usize % 24];
            let keep = hour_weight * if weekend { 6 } else { 10 };
            if rng.random_range(0..130) < keep {
                return t;
            }
        }
        self.start + Duration::seconds(rng.random_range(0..span))
    }
}

/// `count` customers, at least one per language, the rest by each language's share.
pub(crate) fn customers(rng: &mut ChaCha8Rng, count: usize) -> Vec<Customer> {
    let mut out = Vec::with_capacity(count.max(Lang::ALL.len()));
    let mut next_id = 10_000 + rng.random_range(0..500);
    for i in 0..count.max(Lang::ALL.len()) {
        let lang = match Lang::ALL.get(i) {
            Some(lang) => *lang,
            None => weighted(rng, &LOCALES, |l| l.weight).map_or(Lang::En, |l| l.lang),
        };
        next_id += rng.random_range(1..9);
        out.push(customer(rng, next_id, lang));
    }
    out
}

fn customer(rng: &mut ChaCha8Rng, number: u32, lang: Lang) -> Customer {
    let loc = locale(lang);
    let first = pick(rng, loc.first_names).unwrap_or(&loc.first_names[0]);
    let last = pick(rng, loc.last_names).unwrap_or(&loc.last_names[0]);
    let place = pick(rng, loc.places).unwrap_or(&loc.places[0]);
    // Documentation addresses only (RFC 5737 / RFC 3849).
    let ip = if chance(rng, 12) {
        format!(
            "2001:db8:{:x}:{:x}::{:x}",
            rng.random_range(1..0xffff_u32),
            rng.random_range(1..0xffff_u32),
            rng.random_range(1..0xfff_u32)
        )
    } else {
        format!("{}{}", place.net, rng.random_range(2..254))
    };
    let device = *weighted(
        rng,
        &[("desktop", 52), ("mobile", 38), ("tablet", 10)],
        |d| d.1,
    )
    .map_or(&"desktop", |d| &d.0);
    let tier = *weighted(rng, &[("standard", 70), ("premium", 25), ("vip", 5)], |t| {
        t.1
    })
    .map_or(&"standard", |t| &t.0);
    let plan = weighted(rng, PLANS, |p| p.2)
        .and_then(|p| PLANS.iter().position(|q| q.0 == p.0))
        .unwrap_or(0);
    let email = match rng.random_range(0..3) {
        0 => format!("{}.{}@example.com", first.ascii, last.ascii),
        1 => format!("{}{}@example.net", first.ascii, rng.random_range(1..99)),
        _ => format!("{}.{}@example.org", &first.ascii[..1], last.ascii),
    };
    Customer {
        id: format!("user-{number}"),
        first,
        last,
        lang,
        place,
        ip,
        device,
        tier,
        plan,
        email,
    }
}

/// Random checkout outages: one per ~250 conversations, on weekday working hours.
pub(crate) fn incidents(rng: &mut ChaCha8Rng, window: Window, count: usize) -> Vec<Incident> {
    let n = if count < 40 { 0 } else { (count / 250).max(1) };
    (0..n)
        .map(|_| {
            let mut start = window.instant(rng);
            if start + Duration::hours(3) > window.end {
                start = window.end - Duration::hours(3);
            }
            Incident {
                id: format!("INC-{}", rng.random_range(1000..9999)),
                start,
                error: pick(rng, INCIDENT_ERRORS)
                    .copied()
                    .unwrap_or(INCIDENT_ERRORS[0]),
            }
        })
        .collect()
}

/// Hands out unique conversation ids.
#[derive(Default)]
pub(crate) struct Ids(HashSet<String>);

impl Ids {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// `conv-` and ten hex digits, never one handed out before.
    pub(crate) fn next(&mut self, rng: &mut ChaCha8Rng) -> String {
        loop {
            let id = format!("conv-{}", hex(rng, 10));
            if self.0.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// The conversations an incident causes: 4–9 customers within the hour.
pub(crate) fn incident_plans(
    rng: &mut ChaCha8Rng,
    ids: &mut Ids,
    incidents: &[Incident],
    customers: &[Customer],
    budget: usize,
) -> Vec<Plan> {
    let mut plans = Vec::new();
    for (index, incident) in incidents.iter().enumerate() {
        for _ in 0..rng.random_range(4..=9) {
            if plans.len() >= budget {
                return plans;
            }
            let start = incident.start + Duration::seconds(rng.random_range(30..3_300));
            plans.push(Plan {
                start,
                scenario: &CHECKOUT_INCIDENT,
                customer: rng.random_range(0..customers.len()),
                seed: rng.random(),
                conversation_id: ids.next(rng),
                incident: Some(index),
                length: None,
                empty: false,
                features: Features::default(),
            });
        }
    }
    plans
}

/// How often the rare kinds of conversation occur, in permille.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rarity {
    pub(crate) marathon: u32,
    pub(crate) empty: u32,
}

/// One everyday conversation at a random time with a random customer.
pub(crate) fn random_plan(
    rng: &mut ChaCha8Rng,
    ids: &mut Ids,
    window: Window,
    customers: &[Customer],
    rarity: Rarity,
) -> Plan {
    let roll = rng.random_range(0..1000);
    let start = window.instant(rng);
    let mut customer = rng.random_range(0..customers.len());
    let (scenario, length, empty) = if roll < rarity.marathon {
        // The long conversations are with business accounts.
        customer = business_customer(rng, customers);
        let scenario = pick(rng, MARATHONS).copied().unwrap_or(&CHECKOUT_INCIDENT);
        (scenario, Some(rng.random_range(150..=500)), false)
    } else {
        let scenario = weighted(rng, everyday(customers[customer].lang), |s| s.weight)
            .copied()
            .unwrap_or(&CHECKOUT_INCIDENT);
        (scenario, None, roll < rarity.marathon + rarity.empty)
    };
    Plan {
        start,
        scenario,
        customer,
        seed: rng.random(),
        conversation_id: ids.next(rng),
        incident: None,
        length,
        empty,
        features: Features::default(),
    }
}

/// The everyday scenarios written in `lang` (computed once).
fn everyday(lang: Lang) -> &'static [&'static Scenario] {
    static MENUS: OnceLock<Vec<Vec<&'static Scenario>>> = OnceLock::new();
    let menus = MENUS.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|&l| EVERYDAY.iter().copied().filter(|s| s.speaks(l)).collect())
            .collect()
    });
    let index = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
    menus.get(index).map_or(&[], Vec::as_slice)
}

/// A random English-speaking customer in the UK or Ireland, whose working
/// day is the UTC one the long conversations follow (any English speaker when
/// the pool has none).
pub(crate) fn business_customer(rng: &mut ChaCha8Rng, customers: &[Customer]) -> usize {
    let european = |c: &Customer| c.lang == Lang::En && matches!(c.place.country, "GB" | "IE");
    for _ in 0..64 {
        let i = rng.random_range(0..customers.len());
        if european(&customers[i]) {
            return i;
        }
    }
    customers
        .iter()
        .position(european)
        .or_else(|| customers.iter().position(|c| c.lang == Lang::En))
        .unwrap_or(0)
}

/// A random customer writing in `lang`, if the pool has one.
pub(crate) fn customer_in(rng: &mut ChaCha8Rng, customers: &[Customer], lang: Lang) -> usize {
    let matching: Vec<usize> = (0..customers.len())
        .filter(|&i| customers[i].lang == lang)
        .collect();
    pick(rng, &matching).copied().unwrap_or(0)
}
