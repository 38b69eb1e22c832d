//! Helpers shared by the fuzz targets.

use std::sync::OnceLock;

use titus_identity::verification::TrustAnchors;

/// 2030-01-01 in Unix seconds: inside the validity of the seed certificates.
pub const VALIDATION_TIME: i64 = 1_893_456_000;

/// Returns the trust anchor that issued the seed certificates, made by
/// `seeds/generate.sh`.
pub fn anchors() -> &'static TrustAnchors {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        TrustAnchors::from_der([include_bytes!("../seeds/anchor.der")])
            .expect("seeds/anchor.der is a valid certificate")
    })
}

/// Splits concatenated DER elements, stopping at the first one whose header is
/// malformed or whose length runs past the input. The rest is returned as one last
/// element, so no input byte is dropped.
pub fn split_der(mut input: &[u8]) -> Vec<&[u8]> {
    let mut elements = Vec::new();
    while !input.is_empty() {
        match element_length(input) {
            Some(length) if length <= input.len() => {
                elements.push(&input[..length]);
                input = &input[length..];
            }
            _ => {
                elements.push(input);
                break;
            }
        }
    }
    elements
}

/// Returns the total length (header and contents) of the DER element at the start.
fn element_length(input: &[u8]) -> Option<usize> {
    let first = usize::from(*input.get(1)?);
    if first < 0x80 {
        return Some(2 + first);
    }
    let count = first & 0x7f;
    if count == 0 || count > 3 {
        return None;
    }
    let bytes = input.get(2..2 + count)?;
    let contents = bytes
        .iter()
        .fold(0usize, |length, byte| length << 8 | usize::from(*byte));
    Some(2 + count + contents)
}
