//! A JSON tree that keeps every object member in input order, so that duplicate keys can
//! be reported instead of silently keeping the last one.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::codec::DecodeLimits;
use crate::error::DecodeError;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JsonValue {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Self>),
    Object(Vec<(String, Self)>),
}

impl JsonValue {
    /// A short description of the value for error messages, without its contents.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Null => "null".to_owned(),
            Self::Bool(value) => value.to_string(),
            Self::Number(number) => number.to_string(),
            Self::String(text) if text.len() <= 40 => format!("string {text:?}"),
            Self::String(text) => format!("string of {} bytes", text.len()),
            Self::Array(items) => format!("array of {} items", items.len()),
            Self::Object(_) => "object".to_owned(),
        }
    }

    /// Depth of nested arrays and objects; a scalar has depth 0.
    fn depth(&self) -> usize {
        match self {
            Self::Array(items) => 1 + items.iter().map(Self::depth).max().unwrap_or(0),
            Self::Object(members) => {
                1 + members
                    .iter()
                    .map(|(_, value)| value.depth())
                    .max()
                    .unwrap_or(0)
            }
            _ => 0,
        }
    }
}

/// Parses one JSON document after checking its size. serde_json stops at 128 levels of
/// nesting, so the stack stays bounded; the configured depth is checked after parsing.
pub(crate) fn parse(bytes: &[u8], limits: &DecodeLimits) -> Result<JsonValue, DecodeError> {
    limits.check_size(bytes.len())?;

    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = JsonValue::deserialize(&mut deserializer).map_err(|e| json_error(&e))?;
    deserializer.end().map_err(|e| json_error(&e))?;

    if value.depth() > limits.max_nesting_depth {
        return Err(DecodeError::NestingTooDeep {
            limit: limits.max_nesting_depth,
        });
    }
    Ok(value)
}

fn json_error(error: &serde_json::Error) -> DecodeError {
    DecodeError::Json {
        line: error.line(),
        column: error.column(),
        reason: error.to_string(),
    }
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.into()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<JsonValue, E> {
        serde_json::Number::from_f64(value)
            .map(JsonValue::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, JsonValue>()? {
            members.push((key, value));
        }
        Ok(JsonValue::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_default(text: &str) -> Result<JsonValue, DecodeError> {
        parse(text.as_bytes(), &DecodeLimits::default())
    }

    #[test]
    fn keeps_duplicate_keys() {
        let value = parse_default(r#"{"a":1,"a":2}"#);
        let Ok(JsonValue::Object(members)) = value else {
            panic!("expected an object, got {value:?}");
        };
        assert_eq!(members.len(), 2);
    }

    #[test]
    fn large_integers_stay_exact() {
        let value = parse_default("18446744073709551615");
        assert_eq!(value, Ok(JsonValue::Number(u64::MAX.into())));
    }

    #[test]
    fn trailing_text_is_rejected() {
        assert!(matches!(
            parse_default("{} x"),
            Err(DecodeError::Json { .. })
        ));
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let text = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(
            parse_default(&text),
            Err(DecodeError::NestingTooDeep { limit: 32 })
        );
    }

    #[test]
    fn very_deep_nesting_does_not_overflow() {
        let text = "[".repeat(100_000);
        assert!(matches!(
            parse_default(&text),
            Err(DecodeError::Json { .. })
        ));
    }
}
