//! A minimal protobuf wire-format scanner, used to enforce limits before prost decodes.
//!
//! The scanner walks fields iteratively, so hostile input cannot exhaust the stack. It
//! descends into groups but treats length-delimited payloads as opaque.

/// The wire types of the protobuf encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WireType {
    Varint,
    Fixed64,
    LengthDelimited,
    StartGroup,
    EndGroup,
    Fixed32,
}

/// One field of a message: its number, wire type and, for length-delimited fields, the
/// payload.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field<'a> {
    pub(crate) number: u32,
    pub(crate) wire_type: WireType,
    pub(crate) payload: &'a [u8],
}

/// Why a scan stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScanError {
    Truncated,
    InvalidVarint,
    InvalidWireType(u64),
    InvalidFieldNumber,
    UnmatchedEndGroup,
    UnterminatedGroup,
    TooDeep,
}

impl ScanError {
    pub(crate) fn reason(self) -> String {
        match self {
            Self::Truncated => "input ends inside a field".to_owned(),
            Self::InvalidVarint => "invalid varint".to_owned(),
            Self::InvalidWireType(value) => format!("invalid wire type {value}"),
            Self::InvalidFieldNumber => "invalid field number 0".to_owned(),
            Self::UnmatchedEndGroup => "end-group tag without a matching start".to_owned(),
            Self::UnterminatedGroup => "group is not terminated".to_owned(),
            Self::TooDeep => "groups nested too deeply".to_owned(),
        }
    }
}

/// Reads a varint at the start of `input`, returning it and the bytes that follow.
pub(crate) fn read_varint(input: &[u8]) -> Result<(u64, &[u8]), ScanError> {
    let mut value: u64 = 0;
    for (index, byte) in input.iter().enumerate().take(10) {
        let low_bits = u64::from(byte & 0x7f);
        if index == 9 && *byte > 1 {
            return Err(ScanError::InvalidVarint);
        }
        value |= low_bits << (7 * index);
        if byte & 0x80 == 0 {
            return Ok((value, input.get(index + 1..).unwrap_or_default()));
        }
    }
    if input.len() >= 10 {
        Err(ScanError::InvalidVarint)
    } else {
        Err(ScanError::Truncated)
    }
}

/// Splits `count` bytes off the front of `input`.
fn take(input: &[u8], count: u64) -> Result<(&[u8], &[u8]), ScanError> {
    let count = usize::try_from(count).map_err(|_| ScanError::Truncated)?;
    if count > input.len() {
        return Err(ScanError::Truncated);
    }
    Ok(input.split_at(count))
}

/// Reads one field at the start of `input`, returning it and the bytes that follow. The
/// payload of a group field is empty: its contents follow as separate fields.
pub(crate) fn read_field(input: &[u8]) -> Result<(Field<'_>, &[u8]), ScanError> {
    let (key, rest) = read_varint(input)?;
    let number = u32::try_from(key >> 3).map_err(|_| ScanError::InvalidFieldNumber)?;
    if number == 0 || number > 536_870_911 {
        return Err(ScanError::InvalidFieldNumber);
    }

    let (wire_type, payload, rest) = match key & 7 {
        0 => {
            let (_, rest) = read_varint(rest)?;
            (WireType::Varint, &[][..], rest)
        }
        1 => (WireType::Fixed64, &[][..], take(rest, 8)?.1),
        2 => {
            let (len, rest) = read_varint(rest)?;
            let (payload, rest) = take(rest, len)?;
            (WireType::LengthDelimited, payload, rest)
        }
        3 => (WireType::StartGroup, &[][..], rest),
        4 => (WireType::EndGroup, &[][..], rest),
        5 => (WireType::Fixed32, &[][..], take(rest, 4)?.1),
        other => return Err(ScanError::InvalidWireType(other)),
    };

    let field = Field {
        number,
        wire_type,
        payload,
    };
    Ok((field, rest))
}

/// Calls `visit` for each top-level field of a message, checking the structure of the
/// whole message and that groups nest at most `max_depth` levels.
pub(crate) fn scan_message<'a>(
    mut input: &'a [u8],
    max_depth: usize,
    mut visit: impl FnMut(Field<'a>) -> Result<(), ScanError>,
) -> Result<(), ScanError> {
    let mut open_groups: Vec<u32> = Vec::new();

    while !input.is_empty() {
        let (field, rest) = read_field(input)?;
        input = rest;

        match field.wire_type {
            WireType::StartGroup => {
                if open_groups.len() >= max_depth {
                    return Err(ScanError::TooDeep);
                }
                open_groups.push(field.number);
            }
            WireType::EndGroup if open_groups.pop() != Some(field.number) => {
                return Err(ScanError::UnmatchedEndGroup);
            }
            WireType::EndGroup => {}
            _ if open_groups.is_empty() => visit(field)?,
            _ => {}
        }
    }

    if open_groups.is_empty() {
        Ok(())
    } else {
        Err(ScanError::UnterminatedGroup)
    }
}

/// The wire type of the first top-level occurrence of field `number`, or `None` when the
/// field is absent or the message is malformed. Fields inside groups are not top level.
pub(crate) fn wire_type_of_field(message: &[u8], number: u32) -> Option<WireType> {
    let mut rest = message;
    let mut group_depth = 0usize;
    while !rest.is_empty() {
        let (field, next) = read_field(rest).ok()?;
        rest = next;
        match field.wire_type {
            WireType::StartGroup => group_depth += 1,
            WireType::EndGroup => group_depth = group_depth.checked_sub(1)?,
            wire_type if group_depth == 0 && field.number == number => return Some(wire_type),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_reads_max_u64() {
        let bytes = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(read_varint(&bytes), Ok((u64::MAX, &[][..])));
    }

    #[test]
    fn varint_rejects_overflow() {
        let bytes = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(read_varint(&bytes), Err(ScanError::InvalidVarint));
    }

    #[test]
    fn varint_reports_truncation() {
        assert_eq!(read_varint(&[0x80, 0x80]), Err(ScanError::Truncated));
    }

    #[test]
    fn length_prefix_beyond_input_is_truncated() {
        let bytes = [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00];
        assert_eq!(
            scan_message(&bytes, 8, |_| Ok(())),
            Err(ScanError::Truncated)
        );
    }

    #[test]
    fn deep_groups_are_rejected() {
        let mut bytes = vec![0x0b; 10_000];
        bytes.extend(std::iter::repeat_n(0x0c, 10_000));
        assert_eq!(
            scan_message(&bytes, 32, |_| Ok(())),
            Err(ScanError::TooDeep)
        );
    }

    #[test]
    fn balanced_groups_within_limit_pass() {
        let bytes = [0x0b, 0x0b, 0x08, 0x01, 0x0c, 0x0c];
        let mut visited = 0;
        let result = scan_message(&bytes, 2, |_| {
            visited += 1;
            Ok(())
        });
        assert_eq!(result, Ok(()));
        assert_eq!(visited, 0);
    }

    #[test]
    fn mismatched_end_group_is_rejected() {
        let bytes = [0x0b, 0x14];
        assert_eq!(
            scan_message(&bytes, 8, |_| Ok(())),
            Err(ScanError::UnmatchedEndGroup)
        );
    }

    #[test]
    fn field_inside_group_is_not_top_level() {
        let grouped = [0x4b, 0x1a, 0x00, 0x4c];
        assert_eq!(wire_type_of_field(&grouped, 3), None);
        let top_level = [0x4b, 0x4c, 0x1a, 0x00];
        assert_eq!(
            wire_type_of_field(&top_level, 3),
            Some(WireType::LengthDelimited)
        );
    }

    #[test]
    fn visits_top_level_fields() {
        let bytes = [0x08, 0x05, 0x12, 0x01, 0x41];
        let mut numbers = Vec::new();
        let result = scan_message(&bytes, 8, |field| {
            numbers.push((field.number, field.wire_type, field.payload.to_vec()));
            Ok(())
        });
        assert_eq!(result, Ok(()));
        assert_eq!(numbers[0], (1, WireType::Varint, vec![]));
        assert_eq!(numbers[1], (2, WireType::LengthDelimited, vec![0x41]));
    }
}
