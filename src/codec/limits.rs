//! Decoding limits, checked on the raw bytes before any message is decoded.

use super::wire::{self, ScanError, WireType};
use crate::error::DecodeError;

/// Field number of `signature` in the three document messages.
const DOCUMENT_SIGNATURE_FIELD: u32 = 2;

/// Field number of `certChain` in `CertificateSignature`.
const CERT_CHAIN_FIELD: u32 = 3;

/// Bounds on the input a decoder accepts.
///
/// Every limit is checked before decoding starts, so oversized input costs one scan of its
/// bytes and no allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest document, in bytes, protobuf or JSON. Default 1 MiB.
    pub max_document_bytes: usize,
    /// Most `certChain` entries in one document. Default 10.
    pub max_chain_entries: usize,
    /// Largest single `certChain` entry, in bytes (DER). Default 64 KiB.
    pub max_certificate_bytes: usize,
    /// Deepest nesting of protobuf groups, or of JSON objects and arrays. Default 32.
    ///
    /// Messages of the schema nest at most 5 levels. Inside length-delimited fields prost
    /// also stops at 100 levels of recursion, which bounds the stack for any input.
    pub max_nesting_depth: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_document_bytes: 1 << 20,
            max_chain_entries: 10,
            max_certificate_bytes: 64 << 10,
            max_nesting_depth: 32,
        }
    }
}

impl DecodeLimits {
    /// Checks the input size alone.
    pub(crate) fn check_size(&self, size: usize) -> Result<(), DecodeError> {
        if size > self.max_document_bytes {
            return Err(DecodeError::TooLarge {
                size,
                limit: self.max_document_bytes,
            });
        }
        Ok(())
    }

    /// Checks the size and wire structure of a message.
    pub(crate) fn check_message(&self, bytes: &[u8]) -> Result<(), DecodeError> {
        self.check_size(bytes.len())?;
        wire::scan_message(bytes, self.max_nesting_depth, |_| Ok(()))
            .map_err(|e| self.scan_error("message", e))
    }

    /// Checks a protobuf document: its size, its structure, and the count and size of the
    /// `certChain` entries inside its `signature`.
    pub(crate) fn check_document(&self, bytes: &[u8]) -> Result<(), DecodeError> {
        self.check_size(bytes.len())?;

        let mut chain = ChainCounter::new(self);
        wire::scan_message(bytes, self.max_nesting_depth, |field| {
            let is_signature = field.number == DOCUMENT_SIGNATURE_FIELD
                && field.wire_type == WireType::LengthDelimited;
            if is_signature {
                wire::scan_message(field.payload, self.max_nesting_depth, |inner| {
                    chain.visit(inner)
                })?;
            }
            Ok(())
        })
        .map_err(|e| self.scan_error("document", e))?;

        chain.into_result()
    }

    /// Checks the number of chain entries and the size of the entry at `index`.
    pub(crate) fn check_chain_entry(&self, index: usize, size: usize) -> Result<(), DecodeError> {
        if index >= self.max_chain_entries {
            return Err(DecodeError::TooManyCertificates {
                count: index + 1,
                limit: self.max_chain_entries,
            });
        }
        if size > self.max_certificate_bytes {
            return Err(DecodeError::CertificateTooLarge {
                index,
                size,
                limit: self.max_certificate_bytes,
            });
        }
        Ok(())
    }

    fn scan_error(&self, message: &'static str, error: ScanError) -> DecodeError {
        match error {
            ScanError::TooDeep => DecodeError::NestingTooDeep {
                limit: self.max_nesting_depth,
            },
            other => DecodeError::Protobuf {
                message,
                reason: other.reason(),
            },
        }
    }
}

/// Counts `certChain` entries across every `signature` field of a document, because
/// protobuf merges repeated occurrences of a message field.
struct ChainCounter<'a> {
    limits: &'a DecodeLimits,
    entries: usize,
    failure: Option<DecodeError>,
}

impl<'a> ChainCounter<'a> {
    fn new(limits: &'a DecodeLimits) -> Self {
        Self {
            limits,
            entries: 0,
            failure: None,
        }
    }

    fn visit(&mut self, field: wire::Field<'_>) -> Result<(), ScanError> {
        if self.failure.is_some() || field.number != CERT_CHAIN_FIELD {
            return Ok(());
        }
        if let Err(error) = self
            .limits
            .check_chain_entry(self.entries, field.payload.len())
        {
            self.failure = Some(error);
        }
        self.entries += 1;
        Ok(())
    }

    fn into_result(self) -> Result<(), DecodeError> {
        match self.failure {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document_with_chain(entries: usize, entry_size: usize) -> Vec<u8> {
        let mut signature = Vec::new();
        for _ in 0..entries {
            signature.push(0x1a);
            push_varint(&mut signature, entry_size);
            signature.extend(std::iter::repeat_n(0x30, entry_size));
        }
        let mut document = vec![0x0a, 0x00, 0x12];
        push_varint(&mut document, signature.len());
        document.extend(signature);
        document
    }

    fn push_varint(out: &mut Vec<u8>, mut value: usize) {
        while value >= 0x80 {
            out.push(u8::try_from(value & 0x7f).unwrap_or(0) | 0x80);
            value >>= 7;
        }
        out.push(u8::try_from(value).unwrap_or(0));
    }

    #[test]
    fn chain_at_limit_passes() {
        let limits = DecodeLimits::default();
        assert_eq!(limits.check_document(&document_with_chain(10, 100)), Ok(()));
    }

    #[test]
    fn chain_over_limit_is_rejected() {
        let limits = DecodeLimits::default();
        let err = limits.check_document(&document_with_chain(11, 100));
        assert_eq!(
            err,
            Err(DecodeError::TooManyCertificates {
                count: 11,
                limit: 10
            })
        );
    }

    #[test]
    fn ten_thousand_entries_are_rejected() {
        let limits = DecodeLimits::default();
        let err = limits.check_document(&document_with_chain(10_000, 3));
        assert_eq!(
            err,
            Err(DecodeError::TooManyCertificates {
                count: 11,
                limit: 10
            })
        );
    }

    #[test]
    fn large_certificate_is_rejected() {
        let limits = DecodeLimits::default();
        let err = limits.check_document(&document_with_chain(1, 65 * 1024));
        let expected = DecodeError::CertificateTooLarge {
            index: 0,
            size: 65 * 1024,
            limit: 64 * 1024,
        };
        assert_eq!(err, Err(expected));
    }

    #[test]
    fn oversized_document_is_rejected() {
        let limits = DecodeLimits {
            max_document_bytes: 4,
            ..DecodeLimits::default()
        };
        let err = limits.check_document(&[0x08, 0x01, 0x08, 0x01, 0x08]);
        assert_eq!(err, Err(DecodeError::TooLarge { size: 5, limit: 4 }));
    }

    #[test]
    fn length_prefix_of_u32_max_is_rejected() {
        let limits = DecodeLimits::default();
        let bytes = [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f];
        let err = limits.check_document(&bytes);
        assert!(matches!(err, Err(DecodeError::Protobuf { .. })), "{err:?}");
    }
}
