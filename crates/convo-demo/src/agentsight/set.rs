//! Deterministic sets of `AgentSight` conversations: any size from a seed (`convo serve --generate N --seed S`), and the bundled demo set.
//!
//! The data is a support agent's weeks at *Nimbus Home*, a smart-home shop
//! with a companion app and a developer API: refunds, password resets,
//! shipping delays, billing disputes, GDPR deletions, escalations to humans,
//! bug reports, checkout outages that hit several customers in the same hour,
//! and a few marathons of hundreds of messages, in six languages.
//!
//! Generation happens in three passes: plan every conversation (who, when,
//! which scenario, its own seed), build each from its plan, then sort by start
//! and number every id. Each conversation has its own generator, so one that
//! would run past the end of the data set is rebuilt, identically, earlier.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::clock::whole_seconds;
use super::lang::{Lang, fill};
use super::marathons::{API_DEBUGGING, BULK_IMPORT, SEAT_DISPUTE};
use super::plan::{
    self, Customer, Features, Ids, Incident, Plan, Rarity, UsageKind, Verdicts, Window,
};
use super::random::weighted;
use super::scenarios::{
    ACCOUNT_DELETION, BUG_REPORT, CARD_DECLINED, CHECKOUT_INCIDENT, DOUBLE_CHARGE, ESCALATION,
    HOME_SHARING, PASSWORD_RESET, REFUND, SHIPPING_DELAY, Scenario, THANK_YOU, WEBHOOKS,
};
use super::transcript::{self, Setting};
use super::wire::{Conversation, TicketFeedback, instant};
use super::{record, tickets, usage, vars};

/// The end of all generated data: nothing happens after it.
#[must_use]
pub fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 15, 18, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// `count` conversations from `seed`: the same inputs give the same records.
pub(crate) fn generate(count: usize, seed: u64) -> Vec<Conversation> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let days = i64::try_from(count / 100).unwrap_or(90).clamp(7, 90);
    let window = Window {
        start: anchor() - Duration::days(days),
        end: anchor() - Duration::minutes(10),
    };
    let customers = plan::customers(&mut rng, count * 2 / 3 + 1);
    let incidents = plan::incidents(&mut rng, window, count);
    let mut ids = Ids::new();
    let mut plans = plan::incident_plans(&mut rng, &mut ids, &incidents, &customers, count);
    let rarity = Rarity {
        marathon: 10,
        empty: 8,
    };
    while plans.len() < count {
        plans.push(plan::random_plan(
            &mut rng, &mut ids, window, &customers, rarity,
        ));
    }
    assemble(&plans, &customers, &incidents)
}

/// How many conversations the bundled demo has.
pub(crate) const DEMO_SIZE: usize = 300;
const DEMO_SEED: u64 = 20_261_115;

/// The bundled demo: a week (2026-11-09 to 2026-11-15) of conversations
/// built from the same scenarios with a fixed seed, plus a showcase that
/// guarantees every feature appears whatever the draws: three marathons, a
/// Thursday-morning checkout outage, every language, conversation feedback
/// of every sentiment from the customer and the QA judge (those rows also in
/// the older shape, with `source`), votes on replies, every attachment type,
/// empty, deleted and marked conversations, unpriced and missing token usage.
pub(crate) fn demo_set() -> Vec<Conversation> {
    let mut rng = ChaCha8Rng::seed_from_u64(DEMO_SEED);
    let window = Window {
        start: at(2026, 11, 9, 0, 0),
        end: anchor() - Duration::minutes(10),
    };
    let customers = plan::customers(&mut rng, 220);
    let incidents = vec![Incident {
        id: "INC-2291".to_owned(),
        start: at(2026, 11, 12, 9, 5),
        error: plan::INCIDENT_ERRORS[0],
    }];
    let mut ids = Ids::new();
    let mut plans = showcase(&mut rng, &mut ids, window, &customers);
    let rarity = Rarity {
        marathon: 0,
        empty: 5,
    };
    while plans.len() < DEMO_SIZE {
        plans.push(plan::random_plan(
            &mut rng, &mut ids, window, &customers, rarity,
        ));
    }
    assemble(&plans, &customers, &incidents)
}

fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .unwrap_or_else(anchor)
}

/// The demo's plans that guarantee coverage whatever the draws.
struct Showcase<'a> {
    plans: Vec<Plan>,
    ids: &'a mut Ids,
    customers: &'a [Customer],
    window: Window,
}

impl Showcase<'_> {
    /// Plans `scenario` with `customer`, at `start` (a few random seconds
    /// after it, as real starts are) or at a random time of the week.
    fn add(
        &mut self,
        rng: &mut ChaCha8Rng,
        scenario: &'static Scenario,
        customer: usize,
        start: Option<DateTime<Utc>>,
        features: Features,
    ) -> &mut Plan {
        let jitter = Duration::seconds(rng.random_range(0..60));
        let start = start.map_or_else(|| self.window.instant(rng), |s| s + jitter);
        self.plans.push(Plan {
            start,
            scenario,
            customer,
            seed: rng.random(),
            conversation_id: self.ids.next(rng),
            incident: None,
            length: None,
            empty: false,
            features,
        });
        let last = self.plans.len() - 1;
        &mut self.plans[last]
    }

    /// The same, with a random customer writing in `lang`.
    fn add_in(
        &mut self,
        rng: &mut ChaCha8Rng,
        scenario: &'static Scenario,
        lang: Lang,
        start: Option<DateTime<Utc>>,
        features: Features,
    ) -> &mut Plan {
        let customer = plan::customer_in(rng, self.customers, lang);
        self.add(rng, scenario, customer, start, features)
    }
}

/// The demo's guaranteed coverage, as plans.
fn showcase(
    rng: &mut ChaCha8Rng,
    ids: &mut Ids,
    window: Window,
    customers: &[Customer],
) -> Vec<Plan> {
    let mut show = Showcase {
        plans: Vec::new(),
        ids,
        customers,
        window,
    };
    let none = Features::default();

    // The Thursday-morning outage (incident 0): eight customers within the hour.
    let outage = [
        (Lang::En, 3),
        (Lang::De, 7),
        (Lang::Fr, 11),
        (Lang::Es, 16),
        (Lang::En, 22),
        (Lang::Ja, 29),
        (Lang::En, 38),
        (Lang::Ar, 51),
    ];
    for (lang, minute) in outage {
        let start = at(2026, 11, 12, 9, 5) + Duration::minutes(minute);
        show.add_in(rng, &CHECKOUT_INCIDENT, lang, Some(start), none)
            .incident = Some(0);
    }

    // Three marathons of ~500 messages.
    let marathons = [
        (&API_DEBUGGING, at(2026, 11, 10, 12, 40), 500),
        (&SEAT_DISPUTE, at(2026, 11, 9, 8, 30), 480),
        (&BULK_IMPORT, at(2026, 11, 11, 9, 15), 460),
    ];
    for (scenario, start, length) in marathons {
        let features = Features {
            marked: Some(true),
            ticket: Some(true),
            usage: Some(UsageKind::Unpriced),
            ..none
        };
        let customer = plan::business_customer(rng, customers);
        show.add(rng, scenario, customer, Some(start), features)
            .length = Some(length);
    }

    // Every sentiment from the customer and the QA judge, votes, and every language.
    let feedback: [(&Scenario, Lang, Verdicts); 6] = [
        (&THANK_YOU, Lang::En, &[("positive", "customer")]),
        (&PASSWORD_RESET, Lang::De, &[("positive", "platform")]),
        (&SHIPPING_DELAY, Lang::Fr, &[("neutral", "customer")]),
        (&HOME_SHARING, Lang::Es, &[("neutral", "platform")]),
        (
            &ESCALATION,
            Lang::Ja,
            &[("negative", "customer"), ("negative", "platform")],
        ),
        (
            &DOUBLE_CHARGE,
            Lang::Ar,
            &[("positive", "customer"), ("neutral", "platform")],
        ),
    ];
    for (scenario, lang, list) in feedback {
        let features = Features {
            feedback: Some(list),
            ticket: Some(true),
            votes: Some(true),
            ..none
        };
        show.add_in(rng, scenario, lang, None, features);
    }

    // Flags, usage shapes, files in every message, a development conversation.
    let specials: [(&Scenario, Lang, Features); 9] = [
        (
            &REFUND,
            Lang::En,
            Features {
                deleted: Some(true),
                ..none
            },
        ),
        (
            &ACCOUNT_DELETION,
            Lang::De,
            Features {
                deleted: Some(true),
                ..none
            },
        ),
        (
            &ESCALATION,
            Lang::En,
            Features {
                marked: Some(true),
                ..none
            },
        ),
        (
            &BUG_REPORT,
            Lang::Ja,
            Features {
                marked: Some(true),
                ..none
            },
        ),
        (
            &WEBHOOKS,
            Lang::En,
            Features {
                usage: Some(UsageKind::Unpriced),
                ..none
            },
        ),
        (
            &REFUND,
            Lang::Fr,
            Features {
                usage: Some(UsageKind::Absent),
                ..none
            },
        ),
        (
            &PASSWORD_RESET,
            Lang::Ar,
            Features {
                usage: Some(UsageKind::Absent),
                ..none
            },
        ),
        (
            &BUG_REPORT,
            Lang::En,
            Features {
                files_everywhere: true,
                ticket: Some(true),
                ..none
            },
        ),
        (
            &CARD_DECLINED,
            Lang::En,
            Features {
                environment: Some("development"),
                ..none
            },
        ),
    ];
    for (scenario, lang, features) in specials {
        show.add_in(rng, scenario, lang, None, features);
    }

    // Two opened and never used.
    for lang in [Lang::En, Lang::De] {
        show.add_in(rng, &REFUND, lang, None, none).empty = true;
    }
    show.plans
}

/// Builds every plan, sorts by start, and numbers primary keys and ids.
fn assemble(plans: &[Plan], customers: &[Customer], incidents: &[Incident]) -> Vec<Conversation> {
    let mut built: Vec<Conversation> = plans
        .iter()
        .map(|plan| build(plan, customers, incidents))
        .collect();
    // Stable: conversations starting in the same second keep their plan order.
    built.sort_by_key(|c| instant(c.started_at.as_ref()));
    number(&mut built);
    built
}

fn build(plan: &Plan, customers: &[Customer], incidents: &[Incident]) -> Conversation {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let customer = &customers[plan.customer % customers.len().max(1)];
    let incident = plan.incident.and_then(|i| incidents.get(i));
    let mut vars = vars::Vars::new(&mut rng, customer, plan.start, incident);
    if plan.length.is_some() {
        vars.make_business(customer.lang, customer.place.currency);
    }
    let ticket_title = plan
        .scenario
        .ticket
        .map_or(plan.scenario.title, |t| t.title);
    vars.title = fill(ticket_title, |k| vars.get(k));
    let model = weighted(&mut rng, usage::PRIMARY, |m| m.1).map_or(&usage::PRIMARY[0].0, |m| &m.0);
    let setting = Setting {
        lang: customer.lang,
        mood: plan.scenario.mood,
        conversation_id: &plan.conversation_id,
        incident_error: incident.map(|i| i.error),
        files_everywhere: plan.features.files_everywhere,
        length: plan.length,
        model: model.model,
        origin: whole_seconds(plan.start),
    };
    let seed: u64 = rng.random();
    let transcript_from = |start| {
        if plan.empty {
            transcript::empty(&mut ChaCha8Rng::seed_from_u64(seed), start)
        } else {
            transcript::play(plan.scenario.steps, &setting, &vars, seed, start)
        }
    };
    let mut transcript = transcript_from(plan.start);
    if transcript.ended > anchor() {
        // Same seed, earlier start: the same conversation, ending before the anchor.
        let overshoot = transcript.ended - anchor() + Duration::minutes(1);
        transcript = transcript_from(plan.start - overshoot);
    }
    record::conversation(
        &mut rng,
        record::Parts {
            plan,
            customer,
            vars: &vars,
            transcript,
            model,
            anchor: anchor(),
        },
    )
}

/// Numbers primary keys 1..=n and every nested id, each kind from its own
/// base, and links what points at them: messages and feedback to their
/// conversation, logs, files and votes to their message, a ticket to the
/// feedback that prompted it. Votes and conversation feedback share one
/// sequence, as they share one table.
fn number(conversations: &mut [Conversation]) {
    let next = |counter: &mut i64| {
        *counter += 1;
        Some(*counter)
    };
    let (mut message, mut log, mut attachment) = (100_000_i64, 40_000_i64, 7_000_i64);
    let (mut feedback, mut ticket, mut comment) = (3_000_i64, 500_i64, 900_i64);
    for (pk, c) in (1_i64..).zip(conversations.iter_mut()) {
        c.id = Some(pk);
        let mut summaries: Vec<TicketFeedback> = Vec::new();
        for m in c.messages.iter_mut().flatten() {
            m.id = next(&mut message);
            m.conversation = Some(pk);
            for a in m.attachments.iter_mut().flatten() {
                a.id = next(&mut attachment);
                a.message = m.id;
            }
            for l in m.action_logs.iter_mut().flatten() {
                l.id = next(&mut log);
                l.message = m.id;
            }
            if let Some(vote) = m.feedback.as_mut() {
                vote.id = next(&mut feedback);
                vote.message = m.id;
                vote.conversation = Some(pk);
                summaries.push(numbered(tickets::summary(vote), vote.id));
            }
        }
        for f in c.feedbacks.iter_mut().flatten() {
            f.id = next(&mut feedback);
            f.conversation = Some(pk);
            summaries.push(numbered(tickets::summary(f), f.id));
        }
        for t in c.tickets.iter_mut().flatten() {
            t.id = next(&mut ticket);
            for tc in t.comments.iter_mut().flatten() {
                tc.id = next(&mut comment);
            }
            // The ticket holds a copy of its feedback: the row equal to it but for the id.
            t.feedback = t.feedback.take().and_then(|copy| {
                summaries
                    .iter()
                    .find(|s| numbered((*s).clone(), None) == copy)
                    .cloned()
            });
        }
    }
}

fn numbered(mut summary: TicketFeedback, id: Option<i64>) -> TicketFeedback {
    summary.id = id;
    summary
}
