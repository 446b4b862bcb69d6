//! Token usage and cost of a conversation's model calls, in the live `token_usage` shape, with costs as exact decimal strings.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::random::{between, chance};
use super::transcript::Stats;
use super::wire::{ModelUsage, TokenCounts, TokenUsage};

/// A model and what it costs, in US cents per million tokens.
///
/// Cents per million tokens times tokens is a whole number of 1e-8 dollars,
/// the unit of the API's eight-place cost strings, so every cost is exact.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Price {
    pub(crate) model: &'static str,
    pub(crate) input: i64,
    pub(crate) output: i64,
    /// Prompt tokens served from the provider's cache.
    pub(crate) cache_read: i64,
    /// Prompt tokens written to the provider's cache.
    pub(crate) cache_write: i64,
    /// `backend` (priced by the platform) or `reported` (cost sent by the SDK).
    pub(crate) source: &'static str,
}

/// The models that write the agent's replies.
pub(crate) const PRIMARY: &[(Price, u32)] = &[
    (
        Price {
            model: "gpt-4.1-mini",
            input: 40,
            output: 160,
            cache_read: 10,
            cache_write: 0,
            source: "backend",
        },
        75,
    ),
    (
        Price {
            model: "claude-sonnet-4-5",
            input: 300,
            output: 1_500,
            cache_read: 30,
            cache_write: 375,
            source: "reported",
        },
        25,
    ),
];

const EMBEDDING: Price = Price {
    model: "text-embedding-3-small",
    input: 2,
    output: 0,
    cache_read: 0,
    cache_write: 0,
    source: "backend",
};

/// A self-hosted intent classifier nobody has priced: its cost is unknown, not zero.
const UNPRICED_MODEL: &str = "nimbus-intent-v3";
const UNPRICED: &str = "unpriced";

/// The billable token columns of one model entry (`total_tokens` is their sum).
#[derive(Clone, Copy, Debug, Default)]
struct Columns {
    prompt: i64,
    completion: i64,
    embedding: i64,
    cache_read: i64,
    cache_write: i64,
}

impl Columns {
    fn total(self) -> i64 {
        self.prompt + self.completion + self.embedding + self.cache_read + self.cache_write
    }

    fn add(&mut self, other: Columns) {
        self.prompt += other.prompt;
        self.completion += other.completion;
        self.embedding += other.embedding;
        self.cache_read += other.cache_read;
        self.cache_write += other.cache_write;
    }

    /// What the columns cost at `price`, in 1e-8 dollars.
    fn cost(self, price: &Price) -> i64 {
        (self.prompt + self.embedding) * price.input
            + self.completion * price.output
            + self.cache_read * price.cache_read
            + self.cache_write * price.cache_write
    }

    fn of(entry: &ModelUsage) -> Columns {
        Columns {
            prompt: entry.prompt_tokens.unwrap_or(0),
            completion: entry.completion_tokens.unwrap_or(0),
            embedding: entry.embedding_tokens.unwrap_or(0),
            cache_read: entry.cache_read_tokens.unwrap_or(0),
            cache_write: entry.cache_write_tokens.unwrap_or(0),
        }
    }
}

/// A column as the live shape writes it: present only when non-zero.
fn nonzero(n: i64) -> Option<i64> {
    (n != 0).then_some(n)
}

/// The usage of a conversation whose agent used `primary`; `unpriced` adds the unpriced classifier.
pub(crate) fn token_usage(
    rng: &mut ChaCha8Rng,
    primary: &Price,
    stats: &Stats,
    unpriced: bool,
) -> TokenUsage {
    let calls = (stats.replies + stats.actions).max(1);
    // Some deployments turn on prompt caching: the stable head of the context is read from cache.
    let caching = chance(rng, 35);
    // Some calls of an SDK that reports costs arrive without one; the platform prices those.
    let split = primary.source == "reported" && calls > 3 && chance(rng, 30);
    let (mut reported, mut backend) = (Columns::default(), Columns::default());
    for i in 0..calls {
        // The context grows with every turn, up to the window the agent keeps.
        let context = (900 + 220 * i64::try_from(i).unwrap_or(0)).min(9_000) + between(rng, 0, 400);
        let mut call = Columns {
            completion: between(rng, 40, 380),
            ..Columns::default()
        };
        if caching && i > 0 {
            call.cache_read = context * 3 / 5;
            call.prompt = context - call.cache_read;
        } else {
            call.prompt = context;
        }
        if caching && i == 0 && primary.cache_write > 0 {
            call.cache_write = 600 + between(rng, 0, 200);
        }
        if split && i % 4 == 3 {
            backend.add(call);
        } else {
            reported.add(call);
        }
    }
    let mut models = vec![priced(primary, primary.source, reported)];
    if backend.total() > 0 {
        models.push(priced(primary, "backend", backend));
    }
    if stats.searches > 0 || chance(rng, 30) {
        let calls = i64::try_from(stats.searches.max(1)).unwrap_or(1);
        let embedding = Columns {
            embedding: between(rng, 12, 60) * calls,
            ..Columns::default()
        };
        models.push(priced(&EMBEDDING, EMBEDDING.source, embedding));
    }
    if unpriced {
        let n = i64::try_from(stats.user_messages.max(1)).unwrap_or(1);
        let columns = Columns {
            prompt: n * between(rng, 30, 200),
            completion: n * between(rng, 2, 8),
            ..Columns::default()
        };
        let mut entry = entry(UNPRICED_MODEL, UNPRICED, columns);
        // Some SDK versions send a zero, others leave it out; either way it means unknown.
        entry.cost_usd = rng.random_bool(0.5).then(|| dollars(0));
        models.push(entry);
    }
    summed(models)
}

/// The whole record from its model entries: totals, the priced cost, the sources in order.
fn summed(models: Vec<ModelUsage>) -> TokenUsage {
    let mut totals = Columns::default();
    for m in &models {
        totals.add(Columns::of(m));
    }
    let cost: i64 = models
        .iter()
        .filter(|m| m.cost_source.as_deref() != Some(UNPRICED))
        .filter_map(|m| m.cost_usd.as_deref().and_then(parse_units))
        .sum();
    let mut sources: Vec<Value> = Vec::new();
    for m in &models {
        if let Some(source) = &m.cost_source {
            let source = Value::String(source.clone());
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
    }
    TokenUsage {
        totals: Some(TokenCounts {
            prompt_tokens: nonzero(totals.prompt),
            completion_tokens: nonzero(totals.completion),
            embedding_tokens: nonzero(totals.embedding),
            cache_read_tokens: nonzero(totals.cache_read),
            cache_write_tokens: nonzero(totals.cache_write),
            total_tokens: Some(totals.total()),
        }),
        cost_usd: Some(dollars(cost)),
        cost_sources: Some(Value::Array(sources)),
        models: Some(models),
    }
}

fn priced(price: &Price, source: &str, columns: Columns) -> ModelUsage {
    let mut entry = entry(price.model, source, columns);
    entry.cost_usd = Some(dollars(columns.cost(price)));
    entry
}

fn entry(model: &str, source: &str, columns: Columns) -> ModelUsage {
    ModelUsage {
        model: Some(model.to_owned()),
        cost_source: Some(source.to_owned()),
        prompt_tokens: nonzero(columns.prompt),
        completion_tokens: nonzero(columns.completion),
        embedding_tokens: nonzero(columns.embedding),
        cache_read_tokens: nonzero(columns.cache_read),
        cache_write_tokens: nonzero(columns.cache_write),
        total_tokens: Some(columns.total()),
        ..ModelUsage::default()
    }
}

/// 1e-8 dollars as a decimal string with eight places: `0.05242500`.
fn dollars(units: i64) -> String {
    format!("{}.{:08}", units / 100_000_000, units % 100_000_000)
}

/// The inverse of [`dollars`].
fn parse_units(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.')?;
    if fraction.len() != 8 {
        return None;
    }
    Some(whole.parse::<i64>().ok()? * 100_000_000 + fraction.parse::<i64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn stats() -> Stats {
        Stats {
            replies: 6,
            actions: 3,
            searches: 1,
            user_messages: 5,
            ..Stats::default()
        }
    }

    #[test]
    fn costs_add_up_exactly_and_unpriced_is_not_counted() {
        assert_eq!(dollars(5_242_500), "0.05242500");
        assert_eq!(dollars(1_200_000_001), "12.00000001");
        assert_eq!(parse_units("0.05242500"), Some(5_242_500));
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let usage = token_usage(&mut rng, &PRIMARY[0].0, &stats(), true);
        let models = usage.models.as_deref().unwrap();
        let priced: i64 = models
            .iter()
            .filter(|m| m.cost_source.as_deref() != Some(UNPRICED))
            .map(|m| parse_units(m.cost_usd.as_deref().unwrap()).unwrap())
            .sum();
        assert!(priced > 0);
        assert_eq!(
            parse_units(usage.cost_usd.as_deref().unwrap()),
            Some(priced)
        );
        assert!(
            models
                .iter()
                .any(|m| m.cost_source.as_deref() == Some(UNPRICED))
        );
    }

    #[test]
    fn totals_are_the_sum_of_the_models_and_name_only_nonzero_columns() {
        for seed in 0..40 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let price = &PRIMARY[usize::try_from(seed % 2).unwrap()].0;
            let usage = token_usage(&mut rng, price, &stats(), seed % 3 == 0);
            let mut sum = Columns::default();
            let models = usage.models.as_deref().unwrap();
            for m in models {
                let columns = Columns::of(m);
                assert_eq!(m.total_tokens, Some(columns.total()));
                sum.add(columns);
            }
            let totals = usage.totals.as_ref().unwrap();
            assert_eq!(totals.prompt_tokens, nonzero(sum.prompt));
            assert_eq!(totals.completion_tokens, nonzero(sum.completion));
            assert_eq!(totals.embedding_tokens, nonzero(sum.embedding));
            assert_eq!(totals.cache_read_tokens, nonzero(sum.cache_read));
            assert_eq!(totals.cache_write_tokens, nonzero(sum.cache_write));
            assert_eq!(totals.total_tokens, Some(sum.total()));
            let keys: Vec<(Option<&str>, Option<&str>)> = models
                .iter()
                .map(|m| (m.model.as_deref(), m.cost_source.as_deref()))
                .collect();
            for (i, key) in keys.iter().enumerate() {
                assert!(!keys[..i].contains(key), "two entries for {key:?}");
            }
        }
    }
}
