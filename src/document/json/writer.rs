//! Writes JSON in the shape Go's `encoding/json` gives protoc-gen-go structs: members in
//! declaration order, absent fields omitted, enums and 64-bit integers as numbers, bytes
//! as standard padded base64, and strings escaped as `json.Marshal` escapes them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Appends one JSON object member by member.
pub(crate) struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        out.push('{');
        Self { out, empty: true }
    }

    pub(crate) fn finish(self) {
        self.out.push('}');
    }

    /// Writes the key of the next member and returns the output for its value.
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, key);
        self.out.push(':');
        self.out
    }

    pub(crate) fn string(&mut self, key: &str, value: &str) {
        write_string(self.key(key), value);
    }

    pub(crate) fn opt_string(&mut self, key: &str, value: Option<&String>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    /// Writes a proto3 string, which Go omits when empty.
    pub(crate) fn nonempty_string(&mut self, key: &str, value: &str) {
        if !value.is_empty() {
            self.string(key, value);
        }
    }

    pub(crate) fn repeated_string(&mut self, key: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let out = self.key(key);
        write_array(out, values, |out, value| write_string(out, value));
    }

    /// Writes any integer, including enums, as a JSON number.
    pub(crate) fn number<N: std::fmt::Display>(&mut self, key: &str, value: Option<N>) {
        if let Some(value) = value {
            let out = self.key(key);
            let _ = write!(out, "{value}");
        }
    }

    /// Writes a proto3 integer, which Go omits when zero.
    pub(crate) fn nonzero_number(&mut self, key: &str, value: i64) {
        if value != 0 {
            self.number(key, Some(value));
        }
    }

    pub(crate) fn repeated_number(&mut self, key: &str, values: &[i32]) {
        if values.is_empty() {
            return;
        }
        let out = self.key(key);
        write_array(out, values, |out, value| {
            let _ = write!(out, "{value}");
        });
    }

    pub(crate) fn bool(&mut self, key: &str, value: Option<bool>) {
        if let Some(value) = value {
            self.key(key).push_str(if value { "true" } else { "false" });
        }
    }

    /// Writes bytes as standard padded base64. Go omits an empty `[]byte` field.
    pub(crate) fn bytes(&mut self, key: &str, value: &[u8]) {
        if !value.is_empty() {
            let encoded = STANDARD.encode(value);
            write_string(self.key(key), &encoded);
        }
    }

    pub(crate) fn repeated_bytes(&mut self, key: &str, values: &[Vec<u8>]) {
        if values.is_empty() {
            return;
        }
        let out = self.key(key);
        write_array(out, values, |out, value| {
            write_string(out, &STANDARD.encode(value))
        });
    }

    pub(crate) fn message<T>(&mut self, key: &str, value: Option<&T>, write: fn(&mut String, &T)) {
        if let Some(value) = value {
            write(self.key(key), value);
        }
    }

    pub(crate) fn repeated_message<T>(
        &mut self,
        key: &str,
        values: &[T],
        write: fn(&mut String, &T),
    ) {
        if values.is_empty() {
            return;
        }
        let out = self.key(key);
        write_array(out, values, write);
    }

    /// Writes a map as an object; Go sorts map keys by their bytes, as `BTreeMap` does.
    pub(crate) fn string_map(&mut self, key: &str, map: &BTreeMap<String, String>) {
        if map.is_empty() {
            return;
        }
        let mut object = ObjectWriter::new(self.key(key));
        for (name, value) in map {
            object.string(name, value);
        }
        object.finish();
    }
}

fn write_array<T>(out: &mut String, values: &[T], mut write: impl FnMut(&mut String, &T)) {
    out.push('[');
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write(out, value);
    }
    out.push(']');
}

/// Writes a JSON string as Go's `json.Marshal` does: `<`, `>` and `&` become `\u003c`,
/// `\u003e` and `\u0026`, U+2028 and U+2029 are escaped, and control characters use the
/// short escapes `\b \f \n \r \t` (Go 1.22 and later) or `\u00XX`.
pub(crate) fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\0'..='\u{1f}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(ch));
            }
            _ => out.push(ch),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(value: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, value);
        out
    }

    #[test]
    fn escapes_html_like_go() {
        assert_eq!(escaped("<a&b>"), r#""\u003ca\u0026b\u003e""#);
    }

    #[test]
    fn escapes_control_characters() {
        assert_eq!(escaped("\u{1}\n\t\u{8}"), r#""\u0001\n\t\b""#);
    }

    #[test]
    fn escapes_line_separators() {
        assert_eq!(escaped("a\u{2028}b\u{2029}"), r#""a\u2028b\u2029""#);
    }

    #[test]
    fn keeps_other_unicode() {
        assert_eq!(escaped("é✓\u{7f}"), "\"é✓\u{7f}\"");
    }

    #[test]
    fn omits_absent_members() {
        let mut out = String::new();
        let mut object = ObjectWriter::new(&mut out);
        object.opt_string("a", None);
        object.number("b", Some(u64::MAX));
        object.repeated_string("c", &[]);
        object.bool("d", Some(false));
        object.bytes("e", b"\xff");
        object.finish();
        assert_eq!(out, r#"{"b":18446744073709551615,"d":false,"e":"/w=="}"#);
    }
}
