//! A minimal DER reader for telling private key formats apart before aws-lc-rs parses them.
//!
//! It reads only single-byte tags and definite lengths of up to four length bytes, which
//! covers PKCS#8 `PrivateKeyInfo`, PKCS#1 `RSAPrivateKey` and SEC1 `ECPrivateKey`. It
//! borrows from its input and copies no key bytes.

pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;

/// Context-specific, constructed tag `[0]`, which contains the curve in a SEC1 `ECPrivateKey`.
pub(crate) const TAG_CONTEXT_0: u8 = 0xa0;

/// One DER element: its tag byte and its content octets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Element<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
}

/// Reads the element at the start of `input` and returns it with the bytes that follow.
///
/// Returns `None` for truncated input, multi-byte tags, indefinite or non-minimal
/// long-form lengths, and lengths that need more than four bytes.
pub(crate) fn read_element(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }

    let (length, rest) = read_length(rest)?;
    if rest.len() < length {
        return None;
    }

    let (content, rest) = rest.split_at(length);
    Some((Element { tag, content }, rest))
}

fn read_length(input: &[u8]) -> Option<(usize, &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), rest));
    }

    let count = usize::from(first & 0x7f);
    if count == 0 || count > 4 || rest.len() < count {
        return None;
    }

    let (bytes, rest) = rest.split_at(count);
    if bytes[0] == 0 {
        return None;
    }
    let length = bytes
        .iter()
        .fold(0usize, |length, &byte| (length << 8) | usize::from(byte));
    if length < 0x80 {
        return None;
    }
    Some((length, rest))
}

/// Reads the whole of `input` as one element with the given tag.
pub(crate) fn read_exact(input: &[u8], tag: u8) -> Option<&[u8]> {
    match read_element(input)? {
        (element, []) if element.tag == tag => Some(element.content),
        _ => None,
    }
}

/// Reads the content of a SEQUENCE and returns its elements in order.
pub(crate) fn sequence_elements(content: &[u8]) -> Option<Vec<Element<'_>>> {
    let mut elements = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (element, next) = read_element(rest)?;
        elements.push(element);
        rest = next;
    }
    Some(elements)
}

/// Returns the bit length of a non-negative DER INTEGER's content octets.
pub(crate) fn unsigned_bit_length(integer: &[u8]) -> usize {
    let significant = match integer.iter().position(|&byte| byte != 0) {
        Some(start) => &integer[start..],
        None => return 0,
    };
    let leading_zeros = significant[0].leading_zeros() as usize;
    significant.len() * 8 - leading_zeros
}

/// Formats OID content octets in dotted-decimal form, such as `1.3.132.0.10`.
pub(crate) fn oid_to_string(content: &[u8]) -> String {
    let oid = x509_parser::der_parser::oid::Oid::new(std::borrow::Cow::Borrowed(content));
    oid.to_id_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lengths() {
        let short = [0x04, 0x02, 0xaa, 0xbb, 0xff];
        let (element, rest) = read_element(&short).expect("short form");
        assert_eq!(element.tag, TAG_OCTET_STRING);
        assert_eq!(element.content, &[0xaa, 0xbb]);
        assert_eq!(rest, &[0xff]);

        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        let (element, rest) = read_element(&long).expect("long form");
        assert_eq!(element.content.len(), 0x80);
        assert!(rest.is_empty());
    }

    #[test]
    fn malformed_lengths_are_rejected() {
        assert_eq!(read_element(&[]), None);
        assert_eq!(read_element(&[0x04, 0x03, 0x00]), None);
        assert_eq!(read_element(&[0x04, 0x80]), None);
        assert_eq!(read_element(&[0x04, 0x81, 0x05, 0, 0, 0, 0, 0]), None);
        assert_eq!(read_element(&[0x04, 0x82, 0x00, 0x80]), None);
        assert_eq!(read_element(&[0x1f, 0x01, 0x00]), None);
    }

    #[test]
    fn bit_length_of_integers() {
        assert_eq!(unsigned_bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(unsigned_bit_length(&[0x01, 0xff]), 9);
        assert_eq!(unsigned_bit_length(&[0x00]), 0);
    }

    #[test]
    fn oid_formatting() {
        assert_eq!(
            oid_to_string(&[0x2b, 0x81, 0x04, 0x00, 0x0a]),
            "1.3.132.0.10"
        );
    }

    #[test]
    fn sequence_with_trailing_garbage() {
        assert_eq!(read_exact(&[0x30, 0x00, 0x00], TAG_SEQUENCE), None);
        assert_eq!(read_exact(&[0x30, 0x00], TAG_SEQUENCE), Some(&[][..]));
        assert_eq!(sequence_elements(&[0x02, 0x01, 0x00, 0x04]), None);
    }
}
