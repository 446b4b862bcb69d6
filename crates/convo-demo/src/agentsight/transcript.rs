//! Plays a script into timestamped messages: dialogue at human pace, tool calls with their logs, files with names and sizes.

use chrono::{DateTime, Duration, Timelike, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use super::actions::{self, ActionSpec};
use super::clock::{stamp, whole_seconds};
use super::dialogue::{
    EMOJI_MIXED, EMOJI_PLEASED, EMOJI_UPSET, FOLLOW_UPS, GAVE_UP, ONE_MOMENT, RETRY,
};
use super::files::{FileKind, doublings, file_url, size_between};
use super::lang::{Lang, Lines, fill};
use super::random::{between, chance, digits, hex, pick, weighted};
use super::scenarios::{Attach, Mood, Step, file};
use super::vars::{Round, Vars};
use super::wire::{ActionLog, Attachment, Message, instant};

/// What the conversation-level record needs to know about the transcript.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Stats {
    /// Messages the customer wrote.
    pub(crate) user_messages: usize,
    /// Replies the AI agent wrote (each one a model call).
    pub(crate) replies: usize,
    /// Tool calls (each one decided by a model call).
    pub(crate) actions: usize,
    /// Tool runs that failed or timed out.
    pub(crate) failures: usize,
    /// Knowledge-base searches (each one an embedding call).
    pub(crate) searches: usize,
    /// A human agent took part.
    pub(crate) handoff: bool,
}

/// The messages and the span they cover.
#[derive(Debug)]
pub(crate) struct Transcript {
    pub(crate) messages: Vec<Message>,
    pub(crate) started: DateTime<Utc>,
    pub(crate) ended: DateTime<Utc>,
    pub(crate) stats: Stats,
}

/// Who the transcript is with, and how it goes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Setting<'a> {
    pub(crate) lang: Lang,
    pub(crate) mood: Mood,
    pub(crate) conversation_id: &'a str,
    /// The error the current incident's failing call reports.
    pub(crate) incident_error: Option<&'static str>,
    /// A file in every customer message, cycling through every kind.
    pub(crate) files_everywhere: bool,
    /// Long conversations: the message count to reach.
    pub(crate) length: Option<usize>,
    /// The model that writes the agent's replies (named in some message metadata).
    pub(crate) model: &'static str,
    /// When the conversation was planned to start. Day and night are judged
    /// from it, not from the actual start, so that moving a conversation
    /// earlier does not change what happens in it.
    pub(crate) origin: DateTime<Utc>,
}

/// Plays `steps` from `start`. The same seed gives the same transcript
/// whatever `start` is, so a conversation can be moved by rebuilding it.
pub(crate) fn play(
    steps: &[Step],
    setting: &Setting,
    vars: &Vars,
    seed: u64,
    start: DateTime<Utc>,
) -> Transcript {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let started = whole_seconds(start);
    let first = started + Duration::milliseconds(rng.random_range(0..3_000));
    let mut player = Player {
        rng,
        setting,
        started,
        vars,
        round: Round::default(),
        now: first,
        // Messages are large records: growing the vector would move them all.
        messages: Vec::with_capacity(setting.length.map_or(32, |n| n + 16)),
        stats: Stats::default(),
        files_sent: 0,
        asked: Vec::new(),
    };
    if setting.length.is_some() {
        // The opening of a long conversation already names a request, a shard…
        player.round.next(&mut player.rng, 0, first);
    }
    player.run(steps);
    let last = player
        .messages
        .last()
        .and_then(|m| instant(m.timestamp.as_ref()))
        .unwrap_or(started);
    let tail = between(&mut player.rng, 3, 120);
    Transcript {
        ended: last + Duration::seconds(tail),
        started,
        messages: player.messages,
        stats: player.stats,
    }
}

/// A conversation that was opened and never used.
pub(crate) fn empty(rng: &mut ChaCha8Rng, start: DateTime<Utc>) -> Transcript {
    let started = whole_seconds(start);
    Transcript {
        messages: Vec::new(),
        started,
        ended: started + Duration::seconds(between(rng, 20, 900)),
        stats: Stats::default(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sender {
    EndUser,
    Agent,
    Human,
    System,
}

impl Sender {
    fn wire(self) -> &'static str {
        match self {
            Sender::EndUser => "end_user",
            Sender::Agent => "agent",
            Sender::Human => "human_agent",
            Sender::System => "system",
        }
    }
}

enum Outcome {
    Success,
    Failure(String),
    Timeout,
}

struct Player<'a> {
    rng: ChaCha8Rng,
    setting: &'a Setting<'a>,
    started: DateTime<Utc>,
    vars: &'a Vars,
    round: Round,
    /// The current instant, to the millisecond.
    now: DateTime<Utc>,
    messages: Vec<Message>,
    stats: Stats,
    files_sent: usize,
    /// Follow-up questions already asked (never twice in one conversation).
    asked: Vec<usize>,
}

impl Player<'_> {
    fn run(&mut self, steps: &[Step]) {
        for step in steps {
            match *step {
                Step::User(lines) => self.user(&lines, None),
                Step::UserFile(lines, attach) => self.user(&lines, Some(attach)),
                Step::Agent(lines) => self.say(Sender::Agent, &lines, None),
                Step::AgentFile(lines, attach) => self.say(Sender::Agent, &lines, Some(attach)),
                Step::Human(lines) => self.say(Sender::Human, &lines, None),
                Step::System(template) => {
                    let text = self.fill(template);
                    self.post(Sender::System, text, Vec::new());
                }
                Step::Action(spec) => self.action(&spec),
                Step::IncidentAction => self.incident_action(),
                Step::Maybe(percent, inner) => {
                    if chance(&mut self.rng, u32::from(percent)) {
                        self.run(inner);
                    }
                }
                Step::Either(percent, first, second) => {
                    if chance(&mut self.rng, u32::from(percent)) {
                        self.run(first);
                    } else {
                        self.run(second);
                    }
                }
                Step::Block(inner) => self.run(inner),
                Step::FollowUps => self.follow_ups(),
                Step::Idle { minutes, note } => self.idle(minutes, note),
                Step::Rounds { story, routine } => self.rounds(story, routine),
            }
        }
    }

    fn fill(&self, template: &str) -> String {
        fill(template, |key| self.lookup(key))
    }

    fn lookup(&self, key: &str) -> Option<&str> {
        self.round.get(key).or_else(|| self.vars.get(key))
    }

    /// One of the line's variants in the customer's language, filled in.
    fn line(&mut self, lines: &Lines) -> String {
        let variants = match lines.get(self.setting.lang) {
            [] => lines.en,
            some => some,
        };
        let template = pick(&mut self.rng, variants).copied().unwrap_or_default();
        self.fill(template)
    }

    fn user(&mut self, lines: &Lines, attach: Option<Attach>) {
        let mut text = self.line(lines);
        if chance(&mut self.rng, 12) && !has_emoji(&text) {
            let pool = match self.setting.mood {
                Mood::Pleased => EMOJI_PLEASED,
                Mood::Mixed => EMOJI_MIXED,
                Mood::Upset => EMOJI_UPSET,
            };
            if let Some(emoji) = pick(&mut self.rng, pool) {
                text.push(' ');
                text.push_str(emoji);
            }
        }
        self.advance(Sender::EndUser);
        let attach = attach.or_else(|| {
            self.setting.files_everywhere.then(|| {
                let kind = FileKind::ALL[self.files_sent % FileKind::ALL.len()];
                file(kind)
            })
        });
        let files = match attach {
            Some(attach) => {
                // Screenshots and photos often come in pairs.
                let pair = attach.name.is_none()
                    && matches!(attach.kind, FileKind::Screenshot | FileKind::Photo)
                    && chance(&mut self.rng, 20);
                self.files(attach, if pair { 2 } else { 1 })
            }
            None => Vec::new(),
        };
        self.stats.user_messages += 1;
        self.push(Sender::EndUser, text, files, None);
    }

    fn say(&mut self, sender: Sender, lines: &Lines, attach: Option<Attach>) {
        let text = self.line(lines);
        self.advance(sender);
        let files = attach.map(|a| self.files(a, 1)).unwrap_or_default();
        match sender {
            Sender::Agent => self.stats.replies += 1,
            Sender::Human => self.stats.handoff = true,
            _ => {}
        }
        self.push(sender, text, files, None);
    }

    fn post(&mut self, sender: Sender, text: String, files: Vec<Attachment>) {
        self.advance(sender);
        self.push(sender, text, files, None);
    }

    /// Moves the clock by how long `sender` takes to write (the first message is immediate).
    fn advance(&mut self, sender: Sender) {
        if self.messages.is_empty() {
            return;
        }
        let rng = &mut self.rng;
        let ms = match sender {
            Sender::EndUser if chance(rng, 10) => between(rng, 120_000, 480_000),
            Sender::EndUser => between(rng, 6_000, 90_000),
            Sender::Agent => between(rng, 1_500, 9_000),
            Sender::Human => between(rng, 20_000, 150_000),
            Sender::System => between(rng, 200, 2_000),
        };
        self.now += Duration::milliseconds(ms);
    }

    fn push(
        &mut self,
        sender: Sender,
        content: String,
        files: Vec<Attachment>,
        action: Option<(&'static str, Vec<ActionLog>)>,
    ) {
        // Many replies carry what the tracking SDK recorded about the model call.
        let metadata = (sender == Sender::Agent && action.is_none() && chance(&mut self.rng, 35))
            .then(|| {
                let input = between(&mut self.rng, 900, 7_000);
                json!({
                    "model": self.setting.model,
                    "latency_ms": between(&mut self.rng, 600, 4_800),
                    "tokens": { "input": input, "output": between(&mut self.rng, 40, 380) },
                })
            });
        let (action_name, action_logs) = match action {
            Some((name, logs)) => (Some(name.to_owned()), Some(logs)),
            None => (None, None),
        };
        self.messages.push(Message {
            timestamp: Some(stamp(whole_seconds(self.now))),
            sender: Some(sender.wire().to_owned()),
            content: Some(content),
            action_name,
            metadata,
            attachments: (!files.is_empty()).then_some(files),
            action_logs,
            ..Message::default()
        });
    }

    fn files(&mut self, attach: Attach, count: usize) -> Vec<Attachment> {
        let spec = attach.kind.spec();
        let date = self.now.format("%Y-%m-%d").to_string();
        let time = self.now.format("%H.%M.%S").to_string();
        let stamp = self.now.format("%Y%m%d_%H%M%S").to_string();
        // A pair of files comes from the same device, so with the same kind of name.
        // Two files in one message need names that differ (the ones with a number).
        let names: Vec<&'static str> = spec
            .names
            .iter()
            .copied()
            .filter(|name| count == 1 || name.contains("{n}"))
            .collect();
        let template = attach
            .name
            .or_else(|| pick(&mut self.rng, &names).copied())
            .unwrap_or("file");
        (0..count)
            .map(|_| {
                self.files_sent += 1;
                let n = digits(&mut self.rng, 4);
                let filename = fill(template, |key| match key {
                    // A name the script chose may mean the round's `{n}` (a batch number).
                    "n" if attach.name.is_none() => Some(n.as_str()),
                    "date" => Some(date.as_str()),
                    "time" => Some(time.as_str()),
                    "stamp" => Some(stamp.as_str()),
                    _ => self.lookup(key),
                });
                // The same file sent twice has the same size: derive it from the name.
                let (min, max) = spec.size;
                let hash = fnv1a(self.setting.conversation_id, &filename);
                let doubling = u32::try_from(hash % u64::from(doublings(min, max))).unwrap_or(0);
                let fraction = i64::try_from((hash >> 16) % 1_000).unwrap_or(0);
                let size = size_between(min, max, doubling, fraction);
                Attachment {
                    kind: Some(spec.kind.to_owned()),
                    file_url: Some(file_url(self.setting.conversation_id, &filename)),
                    filename: Some(filename),
                    mime_type: Some(spec.mime.to_owned()),
                    size_bytes: Some(size),
                    ..Attachment::default()
                }
            })
            .collect()
    }

    /// A tool call; on failure the agent apologises and tries once more.
    fn action(&mut self, spec: &ActionSpec) {
        let after_customer =
            self.messages.last().and_then(|m| m.sender.as_deref()) == Some("end_user");
        if after_customer && chance(&mut self.rng, 30) {
            self.say(Sender::Agent, &ONE_MOMENT, None);
        }
        let outcome = self.draw(spec, 88);
        if !self.call(spec, outcome, true) {
            self.say(Sender::Agent, &RETRY, None);
            let outcome = self.draw(spec, 85);
            if !self.call(spec, outcome, true) {
                self.say(Sender::Agent, &GAVE_UP, None);
            }
        }
    }

    /// The incident's failing call: an error or a timeout, never a success.
    fn incident_action(&mut self) {
        let error = self
            .setting
            .incident_error
            .unwrap_or(actions::CREATE_PAYMENT.errors[0]);
        let outcome = if chance(&mut self.rng, 35) {
            Outcome::Timeout
        } else {
            Outcome::Failure(error.to_owned())
        };
        self.call(&actions::CREATE_PAYMENT, outcome, false);
    }

    fn draw(&mut self, spec: &ActionSpec, success_percent: u32) -> Outcome {
        let roll = self.rng.random_range(0..100);
        if spec.errors.is_empty() || roll < success_percent {
            Outcome::Success
        } else if roll < success_percent + (100 - success_percent) * 2 / 3 {
            let error = pick(&mut self.rng, spec.errors)
                .copied()
                .unwrap_or_default();
            Outcome::Failure(self.fill(error))
        } else {
            Outcome::Timeout
        }
    }

    /// Runs the tool and posts the action message; true when it ended in success.
    /// With `may_retry`, a timeout is sometimes retried inside the same action.
    fn call(&mut self, spec: &ActionSpec, outcome: Outcome, may_retry: bool) -> bool {
        let tools = self.tools(spec);
        let start = self.now + Duration::milliseconds(between(&mut self.rng, 300, 1_500));
        let timed_out = matches!(outcome, Outcome::Timeout);
        let (first, mut end, mut ok) = self.log(spec, &tools, outcome, start, 1);
        let mut logs = vec![first];
        if timed_out && may_retry && chance(&mut self.rng, 40) {
            let again = end + Duration::milliseconds(between(&mut self.rng, 200, 800));
            let (second, second_end, second_ok) =
                self.log(spec, &tools, Outcome::Success, again, 2);
            logs.push(second);
            (end, ok) = (second_end, second_ok);
        }
        self.now = end;
        self.stats.actions += 1;
        if spec.name.starts_with("search_") {
            self.stats.searches += 1;
        }
        self.push(
            Sender::Agent,
            format!("Action {} performed", spec.name),
            Vec::new(),
            Some((spec.name, logs)),
        );
        ok
    }

    fn tools(&self, spec: &ActionSpec) -> Value {
        let mut tools = Map::new();
        for (tool, template) in spec.tools {
            let text = self.fill(template);
            // Small counts and flags are numbers and booleans, as an SDK would report them.
            let value = match text.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                t if t.len() < 6 && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => t
                    .parse::<u64>()
                    .map_or(Value::String(text.clone()), Value::from),
                _ => Value::String(text),
            };
            tools.insert((*tool).to_owned(), value);
        }
        Value::Object(tools)
    }

    fn log(
        &mut self,
        spec: &ActionSpec,
        tools: &Value,
        outcome: Outcome,
        start: DateTime<Utc>,
        attempt: u32,
    ) -> (ActionLog, DateTime<Utc>, bool) {
        let (lo, hi) = spec.latency_ms;
        // Durations are measured to the microsecond, as the tracker reports them.
        let (micros, response, error, ok) = match outcome {
            // Now and then a read is answered from a cache in well under a millisecond.
            Outcome::Success if spec.name.starts_with("lookup_") && chance(&mut self.rng, 6) => (
                between(&mut self.rng, 40, 950),
                Some(self.fill(spec.response)),
                String::new(),
                true,
            ),
            Outcome::Success => (
                between(&mut self.rng, lo * 1_000, hi * 1_000),
                Some(self.fill(spec.response)),
                String::new(),
                true,
            ),
            Outcome::Failure(error) => (
                between(&mut self.rng, lo * 1_000, hi * 2_000),
                None,
                error,
                false,
            ),
            Outcome::Timeout => (
                (spec.timeout_ms + between(&mut self.rng, 0, 40)) * 1_000
                    + between(&mut self.rng, 1, 999),
                None,
                format!("upstream timeout after {} ms", spec.timeout_ms),
                false,
            ),
        };
        if !ok {
            self.stats.failures += 1;
        }
        let metadata = (!ok || attempt > 1)
            .then(|| json!({ "attempt": attempt, "trace_id": hex(&mut self.rng, 16) }));
        let end = start + Duration::microseconds(micros);
        let log = ActionLog {
            started_at: Some(stamp(start)),
            ended_at: Some(stamp(end)),
            #[allow(clippy::cast_precision_loss)] // a tool call lasts far less than 2^53 µs
            duration_ms: Some(micros as f64 / 1_000.0),
            tools_used: Some(tools.clone()),
            response,
            error_message: Some(error),
            metadata,
            ..ActionLog::default()
        };
        (log, end, ok)
    }

    /// Zero to four side questions, never the same one twice.
    fn follow_ups(&mut self) {
        let count = weighted(
            &mut self.rng,
            &[(0, 10), (1, 22), (2, 30), (3, 24), (4, 14)],
            |c| c.1,
        )
        .map_or(0, |c| c.0);
        for _ in 0..count {
            let fresh: Vec<usize> = (0..FOLLOW_UPS.len())
                .filter(|i| !self.asked.contains(i))
                .collect();
            let Some(&i) = pick(&mut self.rng, &fresh) else {
                return;
            };
            self.asked.push(i);
            let (question, answer) = FOLLOW_UPS[i];
            self.user(&question, None);
            self.say(Sender::Agent, &answer, None);
        }
    }

    fn idle(&mut self, (lo, hi): (i64, i64), note: Option<&'static str>) {
        let before = self.now;
        let minutes = between(&mut self.rng, lo, hi);
        self.now += Duration::minutes(minutes) + Duration::seconds(between(&mut self.rng, 0, 59));
        // Nobody comes back to a support chat at 3 a.m.: a gap that ends in the
        // night (UTC, where the business accounts are) ends the next morning.
        let wall = self.setting.origin + (self.now - self.started);
        let hour = i64::from(wall.hour());
        if !(7..20).contains(&hour) {
            let to_morning = (24 + 7 - hour) % 24;
            self.now += Duration::hours(to_morning)
                + Duration::minutes(between(&mut self.rng, 0, 90) - i64::from(wall.minute()));
        }
        let minutes = (self.now - before).num_minutes();
        self.round.idle = minutes.to_string();
        if let Some(note) = note {
            let text = self.fill(note);
            self.post(Sender::System, text, Vec::new());
        }
    }

    /// Rounds until the planned length: each story round once and in order,
    /// spread evenly, and routine rounds in between, dealt like cards (each
    /// once, reshuffled) so that repeats are spread out.
    fn rounds(&mut self, story: &[&[Step]], routine: &[&[Step]]) {
        // The closing block still follows: stop a few messages short.
        const CLOSING: usize = 3;
        let target = self.setting.length.unwrap_or(0).max(1);
        let mut told = 0;
        let mut deck: Vec<usize> = Vec::new();
        let mut last = usize::MAX;
        let mut n = 0;
        while told < story.len() || self.messages.len() + CLOSING < target {
            n += 1;
            self.round.next(&mut self.rng, n, self.now);
            let due = self.messages.len() * story.len() / target;
            if told < story.len() && (told <= due || routine.is_empty()) {
                self.run(story[told]);
                told += 1;
                continue;
            }
            if deck.is_empty() {
                deck = (0..routine.len()).collect();
                deck.shuffle(&mut self.rng);
                if deck.last() == Some(&last) {
                    deck.swap(0, routine.len() - 1);
                }
            }
            let Some(index) = deck.pop() else {
                return;
            };
            last = index;
            let before = self.messages.len();
            self.run(routine[index]);
            if self.messages.len() == before {
                // A round that said nothing would loop forever.
                return;
            }
        }
    }
}

/// A stable 64-bit hash (FNV-1a) of a conversation id and a name.
fn fnv1a(conversation_id: &str, name: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in conversation_id.bytes().chain([b'/']).chain(name.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn has_emoji(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{1F300}'..='\u{1FAFF}').contains(&c) || ('\u{2600}'..='\u{27BF}').contains(&c))
}
