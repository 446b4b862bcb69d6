//! Token usage and cost of a conversation's model calls, with costs as exact decimal strings.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::random::{between, chance};
use super::transcript::Stats;
use crate::provider::model::{ModelUsage, TokenCounts, TokenUsage};

/// A model and what it costs, in US cents per million tokens.
#[derive(Clone, Copy, Debug)]
pub struct Price {
    pub model: &'static str,
    pub input: i64,
    pub output: i64,
    /// `backend` (priced by the platform) or `reported` (cost sent by the SDK).
    pub source: &'static str,
}

/// The models that write the agent's replies.
pub const PRIMARY: &[(Price, u32)] = &[
    (
        Price {
            model: "gpt-4.1-mini",
            input: 40,
            output: 160,
            source: "backend",
        },
        75,
    ),
    (
        Price {
            model: "claude-sonnet-4-5",
            input: 300,
            output: 1_500,
            source: "reported",
        },
        25,
    ),
];

const EMBEDDING: Price = Price {
    model: "text-embedding-3-small",
    input: 2,
    output: 0,
    source: "backend",
};

/// A self-hosted intent classifier nobody has priced: its cost is unknown, not zero.
const UNPRICED_MODEL: &str = "nimbus-intent-v3";

/// The usage of a conversation whose agent used `primary`; `unpriced` adds the unpriced classifier.
pub fn token_usage(
    rng: &mut ChaCha8Rng,
    primary: &Price,
    stats: &Stats,
    unpriced: bool,
) -> TokenUsage {
    let calls = (stats.replies + stats.actions).max(1);
    let (mut input, mut output) = (0_i64, 0_i64);
    for i in 0..calls {
        // The context grows with every turn, up to the window the agent keeps.
        let context = 900 + 220 * i64::try_from(i).unwrap_or(0);
        input += context.min(9_000) + between(rng, 0, 400);
        output += between(rng, 40, 380);
    }
    let mut models = vec![priced(primary, calls, input, output)];
    if stats.searches > 0 || chance(rng, 30) {
        let calls = stats.searches.max(1);
        let tokens = between(rng, 12, 60) * i64::try_from(calls).unwrap_or(1);
        models.push(priced(&EMBEDDING, calls, tokens, 0));
    }
    if unpriced {
        let calls = stats.user_messages.max(1);
        let n = i64::try_from(calls).unwrap_or(1);
        let (input, output) = (n * between(rng, 30, 200), n * between(rng, 2, 8));
        models.push(ModelUsage {
            model: Some(UNPRICED_MODEL.to_owned()),
            calls: i64::try_from(calls).ok(),
            prompt_tokens: Some(input),
            completion_tokens: Some(output),
            total_tokens: Some(input + output),
            // Some SDK versions send "0", others leave it out; either way it means unknown.
            cost_usd: rng.random_bool(0.5).then(|| "0".to_owned()),
            cost_source: Some("unpriced".to_owned()),
            ..ModelUsage::default()
        });
    }
    let sum = |f: fn(&ModelUsage) -> Option<i64>| models.iter().filter_map(f).sum::<i64>();
    let (input, output) = (sum(|m| m.prompt_tokens), sum(|m| m.completion_tokens));
    let micros: i64 = models
        .iter()
        .filter(|m| m.cost_source.as_deref() != Some("unpriced"))
        .filter_map(|m| m.cost_usd.as_deref().and_then(parse_micros))
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
            prompt_tokens: Some(input),
            completion_tokens: Some(output),
            total_tokens: Some(input + output),
            ..TokenCounts::default()
        }),
        cost_usd: Some(dollars(micros)),
        cost_sources: Some(Value::Array(sources)),
        models: Some(models),
        ..TokenUsage::default()
    }
}

fn priced(price: &Price, calls: usize, input: i64, output: i64) -> ModelUsage {
    // cents per million tokens × tokens = 1e-8 dollars; round to micro-dollars.
    let micros = (input * price.input + output * price.output + 50) / 100;
    ModelUsage {
        model: Some(price.model.to_owned()),
        calls: i64::try_from(calls).ok(),
        prompt_tokens: Some(input),
        completion_tokens: Some(output),
        total_tokens: Some(input + output),
        cost_usd: Some(dollars(micros)),
        cost_source: Some(price.source.to_owned()),
        ..ModelUsage::default()
    }
}

/// Micro-dollars as a decimal string with six places: `0.004123`.
fn dollars(micros: i64) -> String {
    format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000)
}

fn parse_micros(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.')?;
    Some(whole.parse::<i64>().ok()? * 1_000_000 + fraction.parse::<i64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn costs_add_up_exactly_and_unpriced_is_not_counted() {
        assert_eq!(dollars(4_123), "0.004123");
        assert_eq!(dollars(12_000_001), "12.000001");
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let stats = Stats {
            replies: 6,
            actions: 3,
            searches: 1,
            user_messages: 5,
            ..Stats::default()
        };
        let usage = token_usage(&mut rng, &PRIMARY[0].0, &stats, true);
        let models = usage.models.as_ref().unwrap();
        let priced: i64 = models
            .iter()
            .filter(|m| m.cost_source.as_deref() != Some("unpriced"))
            .map(|m| parse_micros(m.cost_usd.as_deref().unwrap()).unwrap())
            .sum();
        assert_eq!(
            parse_micros(usage.cost_usd.as_deref().unwrap()),
            Some(priced)
        );
        assert!(
            usage
                .cost_sources
                .as_ref()
                .unwrap()
                .to_string()
                .contains("unpriced")
        );
        let totals = usage.counts();
        assert_eq!(
            totals.total_tokens,
            Some(totals.prompt_tokens.unwrap() + totals.completion_tokens.unwrap())
        );
    }
}
