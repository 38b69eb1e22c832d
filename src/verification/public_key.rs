//! Subject public keys: their type, size and the raw bytes that aws-lc-rs verifies with.

use std::fmt;

use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

/// The smallest RSA modulus, in bits, that any signature is checked with.
pub const MIN_RSA_BITS: u32 = 2048;

/// The largest RSA modulus, in bits, that aws-lc-rs verifies with.
pub const MAX_RSA_BITS: u32 = 8192;

const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const OID_RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_P521: &str = "1.3.132.0.35";

/// A named elliptic curve that signatures can be checked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EcCurve {
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
}

/// The type of a subject public key, with its size where that matters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PublicKeyType {
    /// An RSA key, from an `rsaEncryption` or `id-RSASSA-PSS` subject public key info.
    Rsa {
        /// The modulus length in bits.
        bits: u32,
    },
    /// An elliptic-curve key on a supported named curve.
    Ec {
        /// The named curve.
        curve: EcCurve,
    },
    /// An Ed25519 key.
    Ed25519,
    /// Any other key: another algorithm, another curve, or explicit curve parameters.
    Other {
        /// The algorithm OID, followed by the curve OID or `explicit parameters` for EC keys.
        description: String,
    },
}

/// A certificate's subject public key, ready for `aws_lc_rs::signature::UnparsedPublicKey`.
///
/// The bytes are the contents of the `subjectPublicKey` BIT STRING: a DER `RSAPublicKey` for
/// RSA, an uncompressed or compressed SEC 1 point for EC and the 32-byte key for Ed25519.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PublicKeyInfo {
    key_type: PublicKeyType,
    bytes: Vec<u8>,
}

impl PublicKeyInfo {
    /// The key's type and size.
    pub const fn key_type(&self) -> &PublicKeyType {
        &self.key_type
    }

    /// The raw key bytes in the form aws-lc-rs verifies with.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Reads the key type and bytes from a parsed subject public key info.
    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfo<'_>) -> Self {
        let bytes = spki.subject_public_key.data.to_vec();
        let key_type = key_type_of(spki);
        Self { key_type, bytes }
    }

    /// Checks that signatures can be verified with this key.
    pub(crate) fn check_usable(&self) -> Result<(), KeyProblem> {
        match &self.key_type {
            PublicKeyType::Rsa { bits } if *bits < MIN_RSA_BITS => {
                Err(KeyProblem::TooSmall { bits: *bits })
            }
            PublicKeyType::Rsa { bits } if *bits > MAX_RSA_BITS || bits % 8 != 0 => {
                Err(KeyProblem::Unsupported)
            }
            PublicKeyType::Other { .. } => Err(KeyProblem::Unsupported),
            _ => Ok(()),
        }
    }
}

impl fmt::Debug for PublicKeyInfo {
    // The key bytes are left out so that logs and error reports never carry key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKeyInfo")
            .field("key_type", &self.key_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl fmt::Display for PublicKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rsa { bits } => write!(f, "RSA {bits}-bit"),
            Self::Ec { curve } => write!(f, "EC {curve}"),
            Self::Ed25519 => f.write_str("Ed25519"),
            Self::Other { description } => write!(f, "unsupported key {description}"),
        }
    }
}

impl fmt::Display for EcCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
        })
    }
}

/// Why a key cannot be used to verify signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyProblem {
    /// An RSA key below [`MIN_RSA_BITS`].
    TooSmall { bits: u32 },
    /// A key of an unsupported type, curve or size.
    Unsupported,
}

fn key_type_of(spki: &SubjectPublicKeyInfo<'_>) -> PublicKeyType {
    let algorithm = spki.algorithm.algorithm.to_id_string();
    match algorithm.as_str() {
        OID_RSA_ENCRYPTION | OID_RSASSA_PSS => rsa_key_type(spki, algorithm),
        OID_EC_PUBLIC_KEY => ec_key_type(spki, algorithm),
        OID_ED25519 if spki.subject_public_key.data.len() == 32 => PublicKeyType::Ed25519,
        _ => PublicKeyType::Other {
            description: algorithm,
        },
    }
}

fn rsa_key_type(spki: &SubjectPublicKeyInfo<'_>, algorithm: String) -> PublicKeyType {
    match spki.parsed() {
        Ok(PublicKey::RSA(key)) => PublicKeyType::Rsa {
            bits: modulus_bits(key.modulus),
        },
        _ => PublicKeyType::Other {
            description: format!("{algorithm} with a malformed key"),
        },
    }
}

fn ec_key_type(spki: &SubjectPublicKeyInfo<'_>, algorithm: String) -> PublicKeyType {
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|parameters| parameters.as_oid().ok())
        .map(|oid| oid.to_id_string());

    match curve.as_deref() {
        Some(OID_P256) => PublicKeyType::Ec {
            curve: EcCurve::P256,
        },
        Some(OID_P384) => PublicKeyType::Ec {
            curve: EcCurve::P384,
        },
        Some(OID_P521) => PublicKeyType::Ec {
            curve: EcCurve::P521,
        },
        Some(other) => PublicKeyType::Other {
            description: format!("{algorithm} on curve {other}"),
        },
        None => PublicKeyType::Other {
            description: format!("{algorithm} with explicit parameters"),
        },
    }
}

/// Counts the bits of a big-endian unsigned modulus, ignoring leading zero bytes.
fn modulus_bits(modulus: &[u8]) -> u32 {
    let Some(start) = modulus.iter().position(|&b| b != 0) else {
        return 0;
    };

    let significant = &modulus[start..];
    let leading = significant.first().map_or(0, |b| b.leading_zeros());
    let bytes = u32::try_from(significant.len()).unwrap_or(u32::MAX / 8);
    bytes.saturating_mul(8).saturating_sub(leading)
}

#[cfg(test)]
impl PublicKeyInfo {
    /// Builds a key with no bytes, for tests that stop before any cryptography.
    pub(crate) const fn for_tests(key_type: PublicKeyType) -> Self {
        Self::for_tests_with_bytes(key_type, Vec::new())
    }

    /// Builds a key from raw bytes, for tests that sign with aws-lc-rs directly.
    pub(crate) const fn for_tests_with_bytes(key_type: PublicKeyType, bytes: Vec<u8>) -> Self {
        Self { key_type, bytes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_bits_ignores_leading_zeros() {
        assert_eq!(modulus_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(modulus_bits(&[0x01, 0x00]), 9);
        assert_eq!(modulus_bits(&[0x00, 0x00]), 0);
        assert_eq!(modulus_bits(&[]), 0);
    }

    #[test]
    fn small_rsa_keys_are_unusable() {
        let key = PublicKeyInfo {
            key_type: PublicKeyType::Rsa { bits: 1024 },
            bytes: vec![],
        };
        assert_eq!(key.check_usable(), Err(KeyProblem::TooSmall { bits: 1024 }));
    }

    #[test]
    fn odd_rsa_sizes_are_unsupported() {
        let key = PublicKeyInfo {
            key_type: PublicKeyType::Rsa { bits: 2047 + 8 },
            bytes: vec![],
        };
        assert_eq!(key.check_usable(), Err(KeyProblem::Unsupported));
    }

    #[test]
    fn debug_hides_key_bytes() {
        let key = PublicKeyInfo {
            key_type: PublicKeyType::Ed25519,
            bytes: vec![0xab; 32],
        };
        let text = format!("{key:?}");
        assert!(!text.contains("171"), "{text}");
        assert!(text.contains("len: 32"), "{text}");
    }
}
