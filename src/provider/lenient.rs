//! Lenient reading of wire records: any field may be missing, `null` or of the wrong type, and none of that fails a parse.
//!
//! Records are declared with [`wire_record!`], which writes a map visitor by hand
//! instead of using `#[serde(flatten)]`: flatten buffers every record (and all it
//! contains) into an intermediate tree first, which made a 5,000-message
//! transcript several times slower to read. Unknown keys are kept in `extra` so
//! that the Raw view and `--format json` lose nothing.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// How one field of a record is read from the value under its key.
///
/// Every implementation accepts any JSON value: the right type as it is, a
/// convertible one converted (a number where a string was expected becomes its
/// text), and anything else as `None`.
pub trait WireField: Sized {
    /// Reads the value the map is positioned on.
    ///
    /// # Errors
    /// Only when the input is not JSON at all (a syntax error, a cut-off body).
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error>;
}

/// A record declared with [`wire_record!`]; its own reader is lenient too.
pub trait WireRecord: for<'de> Deserialize<'de> + Default {}

/// Drains a map or sequence the caller has no use for, so the parse can go on.
fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A string field: strings as they are, numbers and booleans as their text,
/// objects and arrays as compact JSON (so nothing is silently dropped), `null` as `None`.
pub struct LenientString(pub Option<String>);

impl<'de> Deserialize<'de> for LenientString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LenientString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LenientString(Some(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(LenientString(Some(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LenientString(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LenientString(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LenientString(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LenientString(Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientString(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientString(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(LenientString(Some(value.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(LenientString(Some(value.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

/// An integer field: integers, whole or fractional numbers (truncated), and
/// numeric strings; anything else is `None`.
pub struct LenientI64(pub Option<i64>);

impl<'de> Deserialize<'de> for LenientI64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LenientI64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LenientI64(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LenientI64(i64::try_from(v).ok()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LenientI64(f64_to_i64(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let v = v.trim();
                let parsed = v
                    .parse::<i64>()
                    .ok()
                    .or_else(|| v.parse::<f64>().ok().and_then(f64_to_i64));
                Ok(LenientI64(parsed))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(LenientI64(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientI64(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientI64(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq).map(|()| LenientI64(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map).map(|()| LenientI64(None))
            }
        }
        d.deserialize_any(V)
    }
}

#[allow(clippy::cast_possible_truncation)] // bounds are checked just above the cast
fn f64_to_i64(v: f64) -> Option<i64> {
    // 2^63: i64::MAX as f64 rounds up to it, so the upper bound must be strict.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (-LIMIT..LIMIT).contains(&v).then(|| v.trunc() as i64)
}

/// A floating-point field: any finite number or numeric string.
pub struct LenientF64(pub Option<f64>);

impl<'de> Deserialize<'de> for LenientF64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LenientF64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            #[allow(clippy::cast_precision_loss)] // a float field: precision is already approximate
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LenientF64(Some(v as f64)))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LenientF64(Some(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(LenientF64(v.is_finite().then_some(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LenientF64(
                    v.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
                ))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(LenientF64(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientF64(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientF64(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq).map(|()| LenientF64(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map).map(|()| LenientF64(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// A boolean field: booleans, `0`/`1`, and the strings `true`/`false`/`yes`/`no`/`1`/`0`.
pub struct LenientBool(pub Option<bool>);

impl<'de> Deserialize<'de> for LenientBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LenientBool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(LenientBool(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(LenientBool(match v {
                    0 => Some(false),
                    1 => Some(true),
                    _ => None,
                }))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LenientBool(match v {
                    0 => Some(false),
                    1 => Some(true),
                    _ => None,
                }))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(LenientBool(None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(LenientBool(parse_bool_text(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientBool(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientBool(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq).map(|()| LenientBool(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map).map(|()| LenientBool(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// The boolean a piece of text spells, if it spells one (`true`, `yes`, `1`, …).
#[must_use]
pub fn parse_bool_text(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "y" | "on" => Some(true),
        "false" | "no" | "0" | "n" | "off" => Some(false),
        _ => None,
    }
}

/// A list field: an array of items each read leniently; anything else is `None`.
pub struct LenientVec<T>(pub Option<Vec<T>>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for LenientVec<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = LenientVec<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element::<T>()? {
                    items.push(item);
                }
                Ok(LenientVec(Some(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map).map(|()| LenientVec(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientVec(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientVec(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(LenientVec(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(LenientVec(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(LenientVec(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(LenientVec(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(LenientVec(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl WireField for Option<String> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        Ok(map.next_value::<LenientString>()?.0)
    }
}

impl WireField for Option<i64> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        Ok(map.next_value::<LenientI64>()?.0)
    }
}

impl WireField for Option<f64> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        Ok(map.next_value::<LenientF64>()?.0)
    }
}

impl WireField for Option<bool> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        Ok(map.next_value::<LenientBool>()?.0)
    }
}

impl WireField for Option<Value> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        let value = map.next_value::<Value>()?;
        Ok((!value.is_null()).then_some(value))
    }
}

impl WireField for Option<Timestamp> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value::<Option<Timestamp>>()
    }
}

impl WireField for Option<Vec<String>> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        let items = map.next_value::<LenientVec<LenientString>>()?.0;
        Ok(items.map(|v| v.into_iter().filter_map(|s| s.0).collect()))
    }
}

impl<T: WireRecord> WireField for Option<Vec<T>> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        Ok(map.next_value::<LenientVec<T>>()?.0)
    }
}

impl<T: WireRecord> WireField for Option<T> {
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        map.next_value::<Option<T>>()
    }
}

/// A key of a record: one of the names it knows (no allocation) or another, kept.
pub enum WireKey {
    /// A declared field, by its wire name.
    Known(&'static str),
    /// A key this version does not know.
    Unknown(String),
}

/// Reads a key, matching it against a record's declared names.
pub struct WireKeySeed(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for WireKeySeed {
    type Value = WireKey;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<WireKey, D::Error> {
        struct V(&'static [&'static str]);
        impl Visitor<'_> for V {
            type Value = WireKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireKey, E> {
                Ok(match self.0.iter().find(|name| **name == v) {
                    Some(name) => WireKey::Known(name),
                    None => WireKey::Unknown(v.to_owned()),
                })
            }
        }
        d.deserialize_str(V(self.0))
    }
}

/// Declares a wire record: every field optional, read leniently, wire names
/// (and older aliases) explicit, unknown keys kept in `extra`.
///
/// A value that is not an object where a record was expected reads as an empty
/// record, so a stray string in place of `geo_location` cannot fail the page.
macro_rules! wire_record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty = $key:literal $(| $alias:literal)*
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $key, skip_serializing_if = "Option::is_none")]
                pub $field: $ty,
            )*
            /// Fields this version does not know, kept as they came so nothing is lost.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $crate::provider::lenient::WireRecord for $name {}

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($key, $($alias,)*)*];
                struct RecordVisitor;
                impl<'de> serde::de::Visitor<'de> for RecordVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        use $crate::provider::lenient::{WireField, WireKey, WireKeySeed};
                        let mut record = $name::default();
                        while let Some(key) = map.next_key_seed(WireKeySeed(NAMES))? {
                            match key {
                                $(
                                    WireKey::Known($key $(| $alias)*) => {
                                        record.$field = WireField::read(&mut map)?;
                                    }
                                )*
                                WireKey::Known(other) => {
                                    let value = map.next_value::<serde_json::Value>()?;
                                    record.extra.insert(other.to_owned(), value);
                                }
                                WireKey::Unknown(other) => {
                                    let value = map.next_value::<serde_json::Value>()?;
                                    record.extra.insert(other, value);
                                }
                            }
                        }
                        Ok(record)
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<$name, A::Error> {
                        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                        Ok($name::default())
                    }
                    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<$name, E> { Ok($name::default()) }
                    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<$name, E> { Ok($name::default()) }
                    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<$name, E> { Ok($name::default()) }
                    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<$name, E> { Ok($name::default()) }
                    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<$name, E> { Ok($name::default()) }
                    fn visit_unit<E: serde::de::Error>(self) -> Result<$name, E> { Ok($name::default()) }
                }
                d.deserialize_any(RecordVisitor)
            }
        }
    };
}
pub(crate) use wire_record;

/// A point in time as the server wrote it, with its parsed value when it parses.
///
/// The text is kept because the API's timestamps come in several spellings and
/// an unparseable one should still be shown, not dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    raw: String,
    parsed: Option<DateTime<Utc>>,
}

impl Timestamp {
    /// Parses a timestamp in any of the spellings the API uses; an unparseable
    /// one is kept as text with no instant.
    #[must_use]
    pub fn from_text(raw: &str) -> Self {
        Self {
            raw: raw.to_owned(),
            parsed: parse_instant(raw),
        }
    }

    /// A timestamp for an instant, spelled as the API does (`Z`, whole seconds
    /// unless there is a fraction).
    #[must_use]
    pub fn from_instant(instant: DateTime<Utc>) -> Self {
        Self {
            raw: format_instant(instant),
            parsed: Some(instant),
        }
    }

    /// The text as received.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The instant, when the text is a timestamp this reader understands.
    #[must_use]
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        self.parsed
    }
}

/// Spells an instant the way the API does: `2024-01-15T10:30:00Z`, with
/// microseconds only when they are not zero.
#[must_use]
pub fn format_instant(instant: DateTime<Utc>) -> String {
    if instant.timestamp_subsec_micros() == 0 {
        instant.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        instant.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }
}

/// Reads an instant from ISO 8601 text: `Z` or an offset, optional fraction,
/// `T` or a space, a naive time (taken as UTC, as the API documents), or a bare date.
#[must_use]
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Utc.from_utc_datetime(&t))
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Epoch numbers occur in hand-made exports; anything else is kept as text.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a timestamp")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::from_text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(epoch_timestamp(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                Ok(i64::try_from(v).map_or_else(
                    |_| Timestamp {
                        raw: v.to_string(),
                        parsed: None,
                    },
                    epoch_timestamp,
                ))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Ok(f64_to_i64(v).map_or_else(
                    || Timestamp {
                        raw: v.to_string(),
                        parsed: None,
                    },
                    epoch_timestamp,
                ))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Timestamp, E> {
                Ok(Timestamp {
                    raw: v.to_string(),
                    parsed: None,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Timestamp, A::Error> {
                let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Timestamp {
                    raw: value.to_string(),
                    parsed: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Timestamp, A::Error> {
                let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Timestamp {
                    raw: value.to_string(),
                    parsed: None,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Seconds since the epoch, or milliseconds when the number is too large to be seconds.
fn epoch_timestamp(v: i64) -> Timestamp {
    // `unsigned_abs`: `i64::MIN.abs()` overflows (a panic in debug builds).
    let parsed = if v.unsigned_abs() >= 100_000_000_000 {
        DateTime::from_timestamp_millis(v)
    } else {
        DateTime::from_timestamp(v, 0)
    };
    Timestamp {
        raw: v.to_string(),
        parsed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_every_documented_spelling_parse_to_the_same_instant() {
        let expected = parse_instant("2024-01-15T10:30:00Z").unwrap();
        for text in [
            "2024-01-15T10:30:00Z",
            "2024-01-15T10:30:00+00:00",
            "2024-01-15T10:30:00.000Z",
            "2024-01-15T11:30:00+01:00",
            "2024-01-15 10:30:00",
            "2024-01-15T10:30:00",
            "2024-01-15T10:30:00.000000+0000",
        ] {
            assert_eq!(parse_instant(text), Some(expected), "{text}");
        }
        assert_eq!(
            parse_instant("2024-01-15").unwrap().to_rfc3339(),
            "2024-01-15T00:00:00+00:00"
        );
        assert_eq!(parse_instant("yesterday"), None);
        assert_eq!(parse_instant("2024-13-45T99:00:00Z"), None);
    }

    #[test]
    fn an_unparseable_timestamp_keeps_its_text() {
        let t: Timestamp = serde_json::from_str("\"not a date\"").unwrap();
        assert_eq!(t.as_str(), "not a date");
        assert_eq!(t.instant(), None);
        let t: Timestamp = serde_json::from_str("1705314600").unwrap();
        assert_eq!(t.instant(), parse_instant("2024-01-15T10:30:00Z"));
        for extreme in [i64::MIN, i64::MAX] {
            let t: Timestamp = serde_json::from_str(&extreme.to_string()).unwrap();
            assert_eq!((t.as_str(), t.instant()), (&*extreme.to_string(), None));
        }
    }

    #[test]
    fn scalars_coerce_or_become_none() {
        let s: LenientString = serde_json::from_str("42").unwrap();
        assert_eq!(s.0.as_deref(), Some("42"));
        let s: LenientString = serde_json::from_str("{\"a\":[1]}").unwrap();
        assert_eq!(s.0.as_deref(), Some("{\"a\":[1]}"));
        let n: LenientI64 = serde_json::from_str("\"17\"").unwrap();
        assert_eq!(n.0, Some(17));
        let n: LenientI64 = serde_json::from_str("1e300").unwrap();
        assert_eq!(n.0, None);
        let n: LenientI64 = serde_json::from_str("[1,2]").unwrap();
        assert_eq!(n.0, None);
        let b: LenientBool = serde_json::from_str("\"True\"").unwrap();
        assert_eq!(b.0, Some(true));
        let v: LenientVec<LenientI64> = serde_json::from_str("\"x\"").unwrap();
        assert!(v.0.is_none());
    }
}
