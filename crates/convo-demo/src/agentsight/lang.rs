//! Languages of the generated data: dialogue lines per language, placeholder filling, and local spelling of money and dates.

use chrono::{Datelike, NaiveDate};

/// The languages customers write in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Lang {
    En,
    Es,
    De,
    Fr,
    Ja,
    Ar,
}

impl Lang {
    pub(crate) const ALL: [Lang; 6] = [Lang::En, Lang::Es, Lang::De, Lang::Fr, Lang::Ja, Lang::Ar];

    /// The code stored in `Conversation.language`.
    #[must_use]
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Ja => "ja",
            Lang::Ar => "ar",
        }
    }
}

/// One line of dialogue in every language it exists in; each language holds
/// interchangeable variants, one of which is picked per conversation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lines {
    pub(crate) en: &'static [&'static str],
    pub(crate) es: &'static [&'static str],
    pub(crate) de: &'static [&'static str],
    pub(crate) fr: &'static [&'static str],
    pub(crate) ja: &'static [&'static str],
    pub(crate) ar: &'static [&'static str],
}

impl Lines {
    /// One variant in `lang` (English when the line was not translated), `None` if there is none.
    pub(crate) fn pick(&self, rng: &mut rand_chacha::ChaCha8Rng, lang: Lang) -> Option<String> {
        let variants = match self.get(lang) {
            [] => self.en,
            some => some,
        };
        super::random::pick(rng, variants).map(|s| (*s).to_owned())
    }

    /// No line in any language; the base for English-only lines (`..Lines::NONE`).
    pub(crate) const NONE: Lines = Lines {
        en: &[],
        es: &[],
        de: &[],
        fr: &[],
        ja: &[],
        ar: &[],
    };

    /// The variants in one language (empty when the line was not translated).
    #[must_use]
    pub(crate) fn get(&self, lang: Lang) -> &'static [&'static str] {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
            Lang::De => self.de,
            Lang::Fr => self.fr,
            Lang::Ja => self.ja,
            Lang::Ar => self.ar,
        }
    }
}

/// Replaces every `{key}` the lookup knows; anything else in braces (code
/// samples, JSON) is left as written.
pub(crate) fn fill<'v>(template: &str, lookup: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .map(|close| &after[..close])
            .filter(|key| {
                !key.is_empty()
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            })
            .and_then(|key| lookup(key).map(|value| (key.len(), value)));
        if let Some((key_len, value)) = value {
            out.push_str(value);
            rest = &after[key_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The currencies the shop charges in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Currency {
    Usd,
    Eur,
    Gbp,
    Chf,
    Jpy,
    Aed,
}

impl Currency {
    #[must_use]
    pub(crate) fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Chf => "CHF",
            Currency::Jpy => "JPY",
            Currency::Aed => "AED",
        }
    }

    /// Digits after the decimal point (the yen has none).
    #[must_use]
    pub(crate) fn decimals(self) -> u32 {
        if self == Currency::Jpy { 0 } else { 2 }
    }

    fn symbol(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Currency::Usd, _) => "$",
            (Currency::Eur, _) => "€",
            (Currency::Gbp, _) => "£",
            (Currency::Chf, _) => "CHF",
            (Currency::Jpy, Lang::Ja) => "¥",
            (Currency::Jpy, _) => "JPY",
            (Currency::Aed, Lang::Ar) => "د.إ",
            (Currency::Aed, _) => "AED",
        }
    }
}

/// An amount in minor units as a machine would log it: `129.90 EUR`.
#[must_use]
pub(crate) fn money_plain(minor: i64, currency: Currency) -> String {
    format!("{} {}", number(minor, currency, "", "."), currency.code())
}

/// An amount in minor units as a person in `lang` writes it: `$129.90`, `129,90 €`, `¥12,990`.
#[must_use]
pub(crate) fn money(minor: i64, currency: Currency, lang: Lang) -> String {
    let symbol = currency.symbol(lang);
    match lang {
        Lang::En | Lang::Ja => {
            let n = number(minor, currency, ",", ".");
            if symbol.len() > 2 && symbol.is_ascii() {
                format!("{symbol} {n}")
            } else {
                format!("{symbol}{n}")
            }
        }
        Lang::Es | Lang::De => format!("{} {symbol}", number(minor, currency, ".", ",")),
        Lang::Fr => format!("{} {symbol}", number(minor, currency, " ", ",")),
        Lang::Ar => format!("{} {symbol}", number(minor, currency, ",", ".")),
    }
}

fn number(minor: i64, currency: Currency, thousands: &str, decimal: &str) -> String {
    let scale = 10_i64.pow(currency.decimals());
    let (whole, fraction) = (minor / scale, minor % scale);
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push_str(thousands);
        }
        grouped.push(c);
    }
    if currency.decimals() == 0 {
        grouped
    } else {
        format!("{grouped}{decimal}{fraction:02}")
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// A day as a person in `lang` writes it in a chat: `Nov 18`, `18 de noviembre`, `11月18日`.
#[must_use]
pub(crate) fn day_month(date: NaiveDate, lang: Lang) -> String {
    let (d, m) = (date.day(), date.month0() as usize);
    match lang {
        Lang::En => format!("{} {d}", MONTHS_EN[m]),
        Lang::Es => format!("{d} de {}", MONTHS_ES[m]),
        Lang::De => format!("{d}. {}", MONTHS_DE[m]),
        Lang::Fr => format!("{d} {}", MONTHS_FR[m]),
        Lang::Ja => format!("{}月{d}日", m + 1),
        Lang::Ar => format!("{d} {}", MONTHS_AR[m]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_keys_and_leaves_code_alone() {
        let lookup = |k: &str| match k {
            "order" => Some("8841"),
            _ => None,
        };
        assert_eq!(fill("Order #{order}.", lookup), "Order #8841.");
        assert_eq!(
            fill("fetch(`${API}/x`, {a: 1}) {order}", lookup),
            "fetch(`${API}/x`, {a: 1}) 8841"
        );
        assert_eq!(fill("{unknown} {", lookup), "{unknown} {");
    }

    #[test]
    fn money_is_spelled_locally() {
        assert_eq!(money(12990, Currency::Usd, Lang::En), "$129.90");
        assert_eq!(money(12990, Currency::Eur, Lang::De), "129,90 €");
        assert_eq!(money(129_900, Currency::Eur, Lang::Fr), "1 299,00 €");
        assert_eq!(money(12990, Currency::Jpy, Lang::Ja), "¥12,990");
        assert_eq!(money(12990, Currency::Chf, Lang::En), "CHF 129.90");
        assert_eq!(money_plain(129_900, Currency::Eur), "1299.00 EUR");
    }
}
