//! A small strict DER reader for the structures that x509-parser does not expose in the
//! form the validator needs: RSASSA-PSS parameters, ECDSA signatures and the RDNs of a
//! distinguished name.
//!
//! Only single-byte tags and definite, minimally encoded lengths up to four bytes are
//! accepted, which covers every structure read here. Any other encoding is malformed.

/// The universal tag of an INTEGER.
pub(crate) const TAG_INTEGER: u8 = 0x02;

/// The universal tag of a NULL.
pub(crate) const TAG_NULL: u8 = 0x05;

/// The universal tag of an OBJECT IDENTIFIER.
pub(crate) const TAG_OID: u8 = 0x06;

/// The universal tag of a constructed SEQUENCE.
pub(crate) const TAG_SEQUENCE: u8 = 0x30;

/// One tag-length-value element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Element<'a> {
    /// The identifier octet.
    pub(crate) tag: u8,
    /// The contents octets.
    pub(crate) contents: &'a [u8],
    /// The whole encoding: identifier, length and contents.
    pub(crate) raw: &'a [u8],
}

/// A cursor over a sequence of DER elements.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    input: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) const fn new(input: &'a [u8]) -> Self {
        Self { input }
    }

    pub(crate) const fn is_empty(&self) -> bool {
        self.input.is_empty()
    }

    /// Reads the next element, or returns `None` when the input is exhausted or malformed.
    pub(crate) fn read(&mut self) -> Option<Element<'a>> {
        let (&tag, rest) = self.input.split_first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }

        let (length, rest) = read_length(rest)?;
        let contents = rest.get(..length)?;
        let total = self.input.len() - rest.len() + length;
        let raw = self.input.get(..total)?;
        self.input = rest.get(length..)?;
        Some(Element { tag, contents, raw })
    }

    /// Reads the next element and returns its contents when its tag is `tag`.
    pub(crate) fn read_tagged(&mut self, tag: u8) -> Option<&'a [u8]> {
        let element = self.read()?;
        (element.tag == tag).then_some(element.contents)
    }

    /// Reads the next element only when it has tag `tag`, leaving the cursor unchanged
    /// otherwise. Returns `Err(())` when the next element is malformed.
    pub(crate) fn read_optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, ()> {
        if self.input.first() != Some(&tag) {
            return Ok(None);
        }
        self.read_tagged(tag).map(Some).ok_or(())
    }
}

/// Parses a definite length in its minimal encoding.
fn read_length(input: &[u8]) -> Option<(usize, &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first < 0x80 {
        return Some((usize::from(first), rest));
    }

    let count = usize::from(first & 0x7f);
    if count == 0 || count > 4 {
        return None;
    }

    let bytes = rest.get(..count)?;
    if bytes.first() == Some(&0) {
        return None;
    }

    let length = bytes
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    if length < 0x80 {
        return None;
    }
    Some((length, rest.get(count..)?))
}

/// Returns the single element that `input` consists of, or `None` when there is trailing data.
pub(crate) fn single(input: &[u8]) -> Option<Element<'_>> {
    let mut reader = Reader::new(input);
    let element = reader.read()?;
    reader.is_empty().then_some(element)
}

/// Checks that `contents` is the minimal encoding of a positive INTEGER.
pub(crate) fn is_minimal_positive_integer(contents: &[u8]) -> bool {
    match contents {
        [] => false,
        [first, ..] if first & 0x80 != 0 => false,
        [0] => false,
        [0, second, ..] => second & 0x80 != 0,
        _ => true,
    }
}

/// Splits a DER Name (a SEQUENCE of SETs) into the raw encodings of its RDNs.
pub(crate) fn name_rdns(name: &[u8]) -> Option<Vec<Vec<u8>>> {
    let sequence = single(name)?;
    if sequence.tag != TAG_SEQUENCE {
        return None;
    }

    let mut reader = Reader::new(sequence.contents);
    let mut rdns = Vec::new();
    while !reader.is_empty() {
        let rdn = reader.read()?;
        if rdn.tag != 0x31 {
            return None;
        }
        rdns.push(rdn.raw.to_vec());
    }
    Some(rdns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        let element = single(&long);
        assert_eq!(element.map(|e| e.contents.len()), Some(0x80));
        assert_eq!(single(&[0x05, 0x00]).map(|e| e.tag), Some(TAG_NULL));
    }

    #[test]
    fn rejects_non_minimal_lengths() {
        assert!(single(&[0x04, 0x81, 0x01, 0x00]).is_none());
        assert!(single(&[0x04, 0x82, 0x00, 0x81]).is_none());
        assert!(single(&[0x04, 0x80]).is_none());
    }

    #[test]
    fn rejects_truncated_and_trailing_input() {
        assert!(single(&[0x04, 0x02, 0x00]).is_none());
        assert!(single(&[0x05, 0x00, 0x00]).is_none());
        assert!(single(&[]).is_none());
        assert!(single(&[0x1f, 0x00]).is_none());
    }

    #[test]
    fn checks_integer_minimality() {
        assert!(is_minimal_positive_integer(&[0x01]));
        assert!(is_minimal_positive_integer(&[0x00, 0x80]));
        assert!(!is_minimal_positive_integer(&[0x00, 0x7f]));
        assert!(!is_minimal_positive_integer(&[0x80]));
        assert!(!is_minimal_positive_integer(&[0x00]));
        assert!(!is_minimal_positive_integer(&[]));
    }

    #[test]
    fn splits_name_into_rdns() {
        let name = [0x30, 0x06, 0x31, 0x01, 0x00, 0x31, 0x01, 0x01];
        let rdns = name_rdns(&name);
        assert_eq!(
            rdns,
            Some(vec![vec![0x31, 0x01, 0x00], vec![0x31, 0x01, 0x01]])
        );
        assert_eq!(name_rdns(&[0x30, 0x00]), Some(vec![]));
        assert!(name_rdns(&[0x30, 0x02, 0x04, 0x00]).is_none());
    }
}
