//! RFC 3339 timestamps, as protobuf JSON writes `google.protobuf.Timestamp`, converted to
//! and from Unix seconds and nanoseconds.

use crate::error::DecodeError;

/// Seconds of 0001-01-01T00:00:00Z, the earliest time protobuf JSON allows.
const MIN_SECONDS: i64 = -62_135_596_800;

/// Seconds of 9999-12-31T23:59:59Z, the latest time protobuf JSON allows.
const MAX_SECONDS: i64 = 253_402_300_799;

/// Converts a system time to whole Unix seconds, rounding toward zero and saturating at
/// the limits of `i64`.
pub fn unix_seconds(time: std::time::SystemTime) -> i64 {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// Parses an RFC 3339 date-time such as `2026-12-04T14:36:48Z` or
/// `2026-12-04T15:36:48.5+01:00` into Unix seconds and nanoseconds.
///
/// # Errors
///
/// [`DecodeError::InvalidJsonValue`] naming `path` when the text is not an RFC 3339
/// date-time between years 1 and 9999, or has more than nine fractional digits.
pub fn parse_rfc3339(text: &str, path: &str) -> Result<(i64, i32), DecodeError> {
    parse_parts(text.as_bytes()).ok_or_else(|| DecodeError::InvalidJsonValue {
        path: path.to_owned(),
        expected: "an RFC 3339 date-time",
        found: format!("{text:?}"),
    })
}

/// Formats Unix seconds and nanoseconds as protobuf JSON does: UTC with a `Z`, and 0, 3,
/// 6 or 9 fractional digits. Returns `None` outside years 1 to 9999 or for nanoseconds
/// outside 0 to 999,999,999.
pub fn format_rfc3339(seconds: i64, nanos: i32) -> Option<String> {
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) || !(0..1_000_000_000).contains(&nanos) {
        return None;
    }
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    );
    let fraction = match nanos {
        0 => String::new(),
        n if n % 1_000_000 == 0 => format!(".{:03}", n / 1_000_000),
        n if n % 1_000 == 0 => format!(".{:06}", n / 1_000),
        n => format!(".{n:09}"),
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}Z"
    ))
}

fn parse_parts(text: &[u8]) -> Option<(i64, i32)> {
    let year = digits(text, 0, 4)?;
    let month = digits(text, 5, 2)?;
    let day = digits(text, 8, 2)?;
    let hour = digits(text, 11, 2)?;
    let minute = digits(text, 14, 2)?;
    let second = digits(text, 17, 2)?;
    let separators_ok = text.get(4) == Some(&b'-')
        && text.get(7) == Some(&b'-')
        && matches!(text.get(10), Some(b'T' | b't'))
        && text.get(13) == Some(&b':')
        && text.get(16) == Some(&b':');
    let date_ok = year >= 1 && (1..=12).contains(&month) && day >= 1;
    if !separators_ok || !date_ok || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }

    let (nanos, rest) = parse_fraction(text.get(19..)?)?;
    let offset = parse_offset(rest)?;

    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    (MIN_SECONDS..=MAX_SECONDS)
        .contains(&seconds)
        .then_some((seconds, nanos))
}

fn digits(text: &[u8], start: usize, count: usize) -> Option<i64> {
    let slice = text.get(start..start + count)?;
    slice.iter().try_fold(0i64, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + i64::from(byte - b'0'))
    })
}

/// Parses an optional `.` and one to nine digits, returning nanoseconds and the rest.
fn parse_fraction(text: &[u8]) -> Option<(i32, &[u8])> {
    let Some(fraction) = text.strip_prefix(b".") else {
        return Some((0, text));
    };
    let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
    if count == 0 || count > 9 {
        return None;
    }
    let value = digits(fraction, 0, count)?;
    let nanos = value * 10i64.pow(u32::try_from(9 - count).ok()?);
    Some((i32::try_from(nanos).ok()?, fraction.get(count..)?))
}

/// Parses `Z` or `±hh:mm`, returning the offset east of UTC in seconds.
fn parse_offset(text: &[u8]) -> Option<i64> {
    match text {
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), ..] if text.len() == 6 && text.get(3) == Some(&b':') => {
            let hours = digits(text, 1, 2)?;
            let minutes = digits(text, 4, 2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            Some(if *sign == b'-' { -offset } else { offset })
        }
        _ => None,
    }
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, counting in 400-year eras that
/// start on March 1 so that the leap day falls at the end of each year.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_saturate_and_round_toward_zero() {
        use std::time::{Duration, UNIX_EPOCH};

        assert_eq!(unix_seconds(UNIX_EPOCH + Duration::from_millis(1_500)), 1);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_millis(1_500)), -1);
        assert_eq!(unix_seconds(UNIX_EPOCH), 0);
    }

    #[test]
    fn parses_utc() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z", "t"), Ok((0, 0)));
        assert_eq!(
            parse_rfc3339("2026-12-04T14:36:48Z", "t"),
            Ok((1_796_395_008, 0))
        );
    }

    #[test]
    fn parses_offsets_and_fractions() {
        assert_eq!(
            parse_rfc3339("1970-01-01T01:00:00.5+01:00", "t"),
            Ok((0, 500_000_000))
        );
        assert_eq!(
            parse_rfc3339("1969-12-31T23:59:59.000000001Z", "t"),
            Ok((-1, 1))
        );
    }

    #[test]
    fn rejects_malformed() {
        let bad = [
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01 00:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00.1234567890Z",
            "0000-01-01T00:00:00Z",
            "+2026-01-01T00:00:00Z",
        ];
        for text in bad {
            assert!(parse_rfc3339(text, "t").is_err(), "{text} was accepted");
        }
    }

    #[test]
    fn formats_like_protobuf_json() {
        assert_eq!(
            format_rfc3339(0, 0).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert_eq!(
            format_rfc3339(1, 20_000_000).as_deref(),
            Some("1970-01-01T00:00:01.020Z")
        );
        assert_eq!(
            format_rfc3339(MAX_SECONDS, 1).as_deref(),
            Some("9999-12-31T23:59:59.000000001Z")
        );
        assert_eq!(format_rfc3339(MAX_SECONDS + 1, 0), None);
    }

    #[test]
    fn round_trips_across_range() {
        let mut seconds = MIN_SECONDS;
        while seconds <= MAX_SECONDS {
            let text = format_rfc3339(seconds, 0).unwrap_or_default();
            assert_eq!(parse_rfc3339(&text, "t"), Ok((seconds, 0)), "{text}");
            seconds += 86_400 * 367 + 3_601;
        }
    }
}
