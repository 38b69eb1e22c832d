//! Reads JSON objects field by field into prost messages, accepting both the Go
//! `encoding/json` shape and the protobuf JSON shape (enum names, integers as strings).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::value::JsonValue;
use crate::error::DecodeError;

/// Reads one message from a function of the JSON value and its path.
pub(crate) type ReadFn<T> = fn(&JsonValue, &str) -> Result<T, DecodeError>;

/// Takes the members of one JSON object by key, then rejects any member left over.
pub(crate) struct ObjectReader<'a> {
    path: &'a str,
    members: Vec<(&'a str, &'a JsonValue)>,
}

/// Joins a parent path and a key: `identity` and `task` give `identity.task`.
pub(crate) fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn invalid(path: &str, expected: &'static str, value: &JsonValue) -> DecodeError {
    DecodeError::InvalidJsonValue {
        path: path.to_owned(),
        expected,
        found: value.describe(),
    }
}

impl<'a> ObjectReader<'a> {
    /// Starts reading `value`, which must be an object without duplicate keys.
    pub(crate) fn new(value: &'a JsonValue, path: &'a str) -> Result<Self, DecodeError> {
        let JsonValue::Object(entries) = value else {
            return Err(invalid(path, "an object", value));
        };

        let mut members: Vec<(&str, &JsonValue)> = Vec::with_capacity(entries.len());
        for (key, member) in entries {
            if members.iter().any(|(seen, _)| *seen == key) {
                return Err(DecodeError::DuplicateJsonField {
                    path: child_path(path, key),
                });
            }
            members.push((key.as_str(), member));
        }
        Ok(Self { path, members })
    }

    /// Fails on the first member that no field read.
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        match self.members.first() {
            Some((key, _)) => Err(DecodeError::UnknownJsonField {
                path: child_path(self.path, key),
            }),
            None => Ok(()),
        }
    }

    /// Removes a member, returning it unless it is absent or `null`.
    fn take(&mut self, key: &str) -> Option<(String, &'a JsonValue)> {
        let index = self.members.iter().position(|(name, _)| *name == key)?;
        let (_, value) = self.members.remove(index);
        if *value == JsonValue::Null {
            return None;
        }
        Some((child_path(self.path, key), value))
    }

    /// Reads a field with `read`, or returns `None` when it is absent or `null`.
    pub(crate) fn optional<T>(
        &mut self,
        key: &str,
        read: ReadFn<T>,
    ) -> Result<Option<T>, DecodeError> {
        match self.take(key) {
            Some((path, value)) => read(value, &path).map(Some),
            None => Ok(None),
        }
    }

    /// Reads a proto2 `required` field, failing when it is absent or `null`.
    pub(crate) fn required<T>(&mut self, key: &str, read: ReadFn<T>) -> Result<T, DecodeError> {
        match self.take(key) {
            Some((path, value)) => read(value, &path),
            None => Err(DecodeError::MissingJsonField {
                path: child_path(self.path, key),
            }),
        }
    }

    /// Reads a proto3 field, which takes its zero value when absent.
    pub(crate) fn or_default<T: Default>(
        &mut self,
        key: &str,
        read: ReadFn<T>,
    ) -> Result<T, DecodeError> {
        Ok(self.optional(key, read)?.unwrap_or_default())
    }

    /// Reads a repeated field from an array; absent or `null` is empty.
    pub(crate) fn repeated<T>(
        &mut self,
        key: &str,
        read: ReadFn<T>,
    ) -> Result<Vec<T>, DecodeError> {
        let Some((path, value)) = self.take(key) else {
            return Ok(Vec::new());
        };
        let JsonValue::Array(items) = value else {
            return Err(invalid(&path, "an array", value));
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| read(item, &format!("{path}[{index}]")))
            .collect()
    }

    /// Reads a `map<string, string>` from an object.
    pub(crate) fn string_map(
        &mut self,
        key: &str,
    ) -> Result<BTreeMap<String, String>, DecodeError> {
        let Some((path, value)) = self.take(key) else {
            return Ok(BTreeMap::new());
        };
        let mut object = ObjectReader::new(value, &path)?;
        let mut map = BTreeMap::new();
        for (name, member) in std::mem::take(&mut object.members) {
            let text = string(member, &child_path(&path, name))?;
            map.insert(name.to_owned(), text);
        }
        Ok(map)
    }
}

pub(crate) fn string(value: &JsonValue, path: &str) -> Result<String, DecodeError> {
    match value {
        JsonValue::String(text) => Ok(text.clone()),
        other => Err(invalid(path, "a string", other)),
    }
}

pub(crate) fn boolean(value: &JsonValue, path: &str) -> Result<bool, DecodeError> {
    match value {
        JsonValue::Bool(flag) => Ok(*flag),
        other => Err(invalid(path, "true or false", other)),
    }
}

/// Reads standard, padded base64 with no whitespace.
pub(crate) fn bytes(value: &JsonValue, path: &str) -> Result<Vec<u8>, DecodeError> {
    let text = string(value, path)?;
    STANDARD
        .decode(text.as_bytes())
        .map_err(|e| DecodeError::InvalidBase64 {
            path: path.to_owned(),
            reason: e.to_string(),
        })
}

/// Reads a string that must hold standard base64, keeping the text as it is.
pub(crate) fn base64_text(value: &JsonValue, path: &str) -> Result<String, DecodeError> {
    bytes(value, path)?;
    string(value, path)
}

/// Reads an integer given as a JSON number or as a decimal string, exactly.
fn integer(value: &JsonValue, path: &str, expected: &'static str) -> Result<i128, DecodeError> {
    let parsed = match value {
        JsonValue::Number(number) => number
            .as_u64()
            .map(i128::from)
            .or_else(|| number.as_i64().map(i128::from)),
        JsonValue::String(text) => parse_decimal(text),
        _ => None,
    };
    parsed.ok_or_else(|| invalid(path, expected, value))
}

/// Parses an optional `-` followed by ASCII digits, as protobuf JSON writes 64-bit
/// integers.
fn parse_decimal(text: &str) -> Option<i128> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

macro_rules! integer_reader {
    ($name:ident, $ty:ty, $expected:literal) => {
        pub(crate) fn $name(value: &JsonValue, path: &str) -> Result<$ty, DecodeError> {
            let wide = integer(value, path, $expected)?;
            <$ty>::try_from(wide).map_err(|_| invalid(path, $expected, value))
        }
    };
}

integer_reader!(uint32, u32, "an integer from 0 to 4294967295");
integer_reader!(uint64, u64, "an integer from 0 to 18446744073709551615");
integer_reader!(int32, i32, "an integer from -2147483648 to 2147483647");
integer_reader!(int64, i64, "a 64-bit signed integer");

/// Reads an enum given as its number or, in protobuf JSON, its name. Numbers the schema
/// does not define are kept, as protobuf keeps them.
pub(crate) fn enumeration(
    value: &JsonValue,
    path: &str,
    from_name: fn(&str) -> Option<i32>,
) -> Result<i32, DecodeError> {
    if let JsonValue::String(name) = value {
        if let Some(number) = from_name(name) {
            return Ok(number);
        }
    }
    if let JsonValue::Number(_) = value {
        return int32(value, path);
    }
    Err(invalid(path, "an enum number or name", value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_accept_numbers_and_strings() {
        let number = JsonValue::Number(u64::MAX.into());
        let text = JsonValue::String("18446744073709551615".to_owned());
        assert_eq!(uint64(&number, "x"), Ok(u64::MAX));
        assert_eq!(uint64(&text, "x"), Ok(u64::MAX));
    }

    #[test]
    fn integers_reject_out_of_range() {
        let value = JsonValue::Number(4_294_967_296u64.into());
        assert!(matches!(
            uint32(&value, "x"),
            Err(DecodeError::InvalidJsonValue { .. })
        ));
        let negative = JsonValue::Number((-1i64).into());
        assert!(uint64(&negative, "x").is_err());
    }

    #[test]
    fn integers_reject_fractions_and_padding() {
        let fraction = serde_json::Number::from_f64(1.0).map(JsonValue::Number);
        assert!(fraction.is_some_and(|value| uint32(&value, "x").is_err()));
        for text in ["+1", " 1", "1 ", "", "-", "0x10", "1e3"] {
            let value = JsonValue::String(text.to_owned());
            assert!(uint64(&value, "x").is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn base64_must_be_standard_and_padded() {
        for text in ["AQ", "AQ=", "A Q==", "-_8=", "AQ==\n"] {
            let value = JsonValue::String(text.to_owned());
            let err = bytes(&value, "signature.signature");
            assert!(
                matches!(err, Err(DecodeError::InvalidBase64 { .. })),
                "{text:?}"
            );
        }
        let value = JsonValue::String("AQ==".to_owned());
        assert_eq!(bytes(&value, "x"), Ok(vec![1]));
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let value = JsonValue::Object(vec![
            ("a".to_owned(), JsonValue::Null),
            ("a".to_owned(), JsonValue::Null),
        ]);
        let err = ObjectReader::new(&value, "root").err();
        assert_eq!(
            err,
            Some(DecodeError::DuplicateJsonField {
                path: "root.a".to_owned()
            })
        );
    }

    #[test]
    fn leftover_keys_are_unknown() {
        let value = JsonValue::Object(vec![("extra".to_owned(), JsonValue::Bool(true))]);
        let reader = ObjectReader::new(&value, "");
        let err = reader.and_then(ObjectReader::finish).err();
        assert_eq!(
            err,
            Some(DecodeError::UnknownJsonField {
                path: "extra".to_owned()
            })
        );
    }
}
