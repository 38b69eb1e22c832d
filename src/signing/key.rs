//! Private keys in PKCS#8, PKCS#1 and SEC1 form, and signing with them.
//!
//! The format, key type, RSA modulus size and curve are read from the DER structure first,
//! so that each unsupported case gets its own error before aws-lc-rs parses the key.

use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, RsaKeyPair};

use super::der::{self, Element};
use super::ecdsa::{Curve, EcdsaKey};
use super::error::SigningError;
use super::rsa_pss::{self, PssSaltLength};
use crate::algorithm::{KeyType, SignatureAlgorithm};

/// OID 1.2.840.113549.1.1.1 (rsaEncryption), content octets.
pub(crate) const OID_RSA_ENCRYPTION: &[u8] =
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// OID 1.2.840.10045.2.1 (id-ecPublicKey), content octets.
pub(crate) const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

/// The smallest RSA modulus accepted, in bits.
const MIN_RSA_BITS: usize = 2048;

/// The DER structure a private key is encoded in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyFormat {
    /// PKCS#8 `PrivateKeyInfo` (RFC 5208), PEM label `PRIVATE KEY`.
    Pkcs8,
    /// PKCS#1 `RSAPrivateKey` (RFC 8017), PEM label `RSA PRIVATE KEY`.
    Pkcs1,
    /// SEC1 `ECPrivateKey` (RFC 5915), PEM label `EC PRIVATE KEY`.
    Sec1,
}

impl KeyFormat {
    fn name(self) -> &'static str {
        match self {
            Self::Pkcs8 => "PKCS#8",
            Self::Pkcs1 => "PKCS#1",
            Self::Sec1 => "SEC1",
        }
    }

    fn invalid(self, reason: impl Into<String>) -> SigningError {
        SigningError::InvalidKey {
            format: self.name(),
            reason: reason.into(),
        }
    }

    /// Tells the format of unlabeled DER from the second element of its outer SEQUENCE.
    ///
    /// # Errors
    ///
    /// [`SigningError::EncryptedKey`] for a PKCS#8 `EncryptedPrivateKeyInfo`, whose first
    /// element is a SEQUENCE; [`SigningError::NoKey`] for anything else unrecognized.
    pub(crate) fn detect(der: &[u8]) -> Result<Self, SigningError> {
        let content = der::read_exact(der, der::TAG_SEQUENCE).ok_or(SigningError::NoKey)?;
        let (first, rest) = der::read_element(content).ok_or(SigningError::NoKey)?;
        if first.tag == der::TAG_SEQUENCE {
            return Err(SigningError::EncryptedKey);
        }

        let (second, _) = der::read_element(rest).ok_or(SigningError::NoKey)?;
        match (first.tag, second.tag) {
            (der::TAG_INTEGER, der::TAG_SEQUENCE) => Ok(Self::Pkcs8),
            (der::TAG_INTEGER, der::TAG_INTEGER) => Ok(Self::Pkcs1),
            (der::TAG_INTEGER, der::TAG_OCTET_STRING) => Ok(Self::Sec1),
            _ => Err(SigningError::NoKey),
        }
    }
}

/// A loaded private key.
pub(crate) enum PrivateKey {
    Rsa(RsaKeyPair),
    Ec(EcdsaKey),
}

impl PrivateKey {
    /// Parses a private key. `curve_hint` is used for a SEC1 key that names no curve, since
    /// such a key can only be used with a certificate that does.
    pub(crate) fn from_der(
        der: &[u8],
        format: KeyFormat,
        curve_hint: Option<Curve>,
    ) -> Result<Self, SigningError> {
        match format {
            KeyFormat::Pkcs8 => Self::from_pkcs8(der),
            KeyFormat::Pkcs1 => Self::from_pkcs1(der),
            KeyFormat::Sec1 => Self::from_sec1(der, curve_hint),
        }
    }

    fn from_pkcs8(der: &[u8]) -> Result<Self, SigningError> {
        let format = KeyFormat::Pkcs8;
        let elements = der::read_exact(der, der::TAG_SEQUENCE)
            .and_then(der::sequence_elements)
            .ok_or_else(|| format.invalid("not a DER PrivateKeyInfo"))?;
        let [_version, algorithm, private_key, ..] = elements.as_slice() else {
            return Err(format.invalid("PrivateKeyInfo has fewer than three elements"));
        };

        let algorithm = der::sequence_elements(algorithm.content)
            .ok_or_else(|| format.invalid("malformed AlgorithmIdentifier"))?;
        let (oid, parameters) = match algorithm.as_slice() {
            [oid, rest @ ..] if oid.tag == der::TAG_OID => (oid.content, rest.first()),
            _ => return Err(format.invalid("AlgorithmIdentifier has no OID")),
        };

        match oid {
            OID_RSA_ENCRYPTION => {
                check_rsa_size(private_key.content, format)?;
                let pair =
                    RsaKeyPair::from_pkcs8(der).map_err(|e| format.invalid(e.to_string()))?;
                Ok(Self::Rsa(pair))
            }
            OID_EC_PUBLIC_KEY => {
                let curve = curve_from_parameters(parameters)?;
                let pair = EcdsaKeyPair::from_pkcs8(curve.native_algorithm(), der)
                    .map_err(|e| format.invalid(e.to_string()))?;
                Ok(Self::Ec(EcdsaKey { curve, pair }))
            }
            other => Err(SigningError::UnsupportedKeyAlgorithm {
                oid: der::oid_to_string(other),
            }),
        }
    }

    fn from_pkcs1(der: &[u8]) -> Result<Self, SigningError> {
        let format = KeyFormat::Pkcs1;
        check_rsa_size(der, format)?;
        let pair = RsaKeyPair::from_der(der).map_err(|e| format.invalid(e.to_string()))?;
        Ok(Self::Rsa(pair))
    }

    fn from_sec1(der: &[u8], curve_hint: Option<Curve>) -> Result<Self, SigningError> {
        let format = KeyFormat::Sec1;
        let elements = der::read_exact(der, der::TAG_SEQUENCE)
            .and_then(der::sequence_elements)
            .ok_or_else(|| format.invalid("not a DER ECPrivateKey"))?;
        let Some(private_key) = elements.get(1).filter(|e| e.tag == der::TAG_OCTET_STRING) else {
            return Err(format.invalid("ECPrivateKey has no privateKey octet string"));
        };

        let named = elements.iter().find(|e| e.tag == der::TAG_CONTEXT_0);
        let curve = match named {
            Some(parameters) => curve_from_explicit_tag(parameters)?,
            None => curve_hint
                .or_else(|| Curve::from_private_key_len(private_key.content.len()))
                .ok_or_else(|| SigningError::UnsupportedCurve {
                    curve: "a curve not named in the key".to_owned(),
                })?,
        };

        let pair = EcdsaKeyPair::from_private_key_der(curve.native_algorithm(), der)
            .map_err(|e| format.invalid(e.to_string()))?;
        Ok(Self::Ec(EcdsaKey { curve, pair }))
    }

    /// Returns the key type.
    pub(crate) fn key_type(&self) -> KeyType {
        match self {
            Self::Rsa(_) => KeyType::Rsa,
            Self::Ec(_) => KeyType::Ec,
        }
    }

    /// Returns the curve of an EC key.
    pub(crate) fn curve(&self) -> Option<Curve> {
        match self {
            Self::Rsa(_) => None,
            Self::Ec(key) => Some(key.curve),
        }
    }

    /// Returns the public key as a certificate's `subjectPublicKey` contains it: the DER
    /// `RSAPublicKey` for RSA and the uncompressed point for EC.
    pub(crate) fn public_key(&self) -> &[u8] {
        match self {
            Self::Rsa(pair) => pair.public_key().as_ref(),
            Self::Ec(key) => key.pair.public_key().as_ref(),
        }
    }

    /// Describes the key briefly, such as `RSA 2048` or `EC P-256`, without key material.
    pub(crate) fn description(&self) -> String {
        match self {
            Self::Rsa(pair) => format!("RSA {}", pair.public_modulus_len() * 8),
            Self::Ec(key) => format!("EC {}", key.curve),
        }
    }

    /// Signs `message` with `algorithm`, whose key type the caller has checked.
    pub(crate) fn sign(
        &self,
        algorithm: SignatureAlgorithm,
        salt: PssSaltLength,
        message: &[u8],
    ) -> Result<Vec<u8>, SigningError> {
        let result = match self {
            Self::Rsa(pair) if algorithm.key_type() == KeyType::Rsa => {
                rsa_pss::sign(pair, algorithm.hash(), salt, message)
            }
            Self::Ec(key) if algorithm.key_type() == KeyType::Ec => {
                key.sign(algorithm.hash(), message)
            }
            _ => {
                return Err(SigningError::AlgorithmKeyMismatch {
                    algorithm,
                    needed: algorithm.key_type(),
                    actual: self.key_type(),
                })
            }
        };
        result.map_err(|_| SigningError::SignatureFailed { algorithm })
    }
}

/// Rejects an RSA key whose modulus, the second element of `RSAPrivateKey`, is too short.
fn check_rsa_size(pkcs1: &[u8], format: KeyFormat) -> Result<(), SigningError> {
    let elements = der::read_exact(pkcs1, der::TAG_SEQUENCE)
        .and_then(der::sequence_elements)
        .ok_or_else(|| format.invalid("not a DER RSAPrivateKey"))?;
    let Some(modulus) = elements.get(1).filter(|e| e.tag == der::TAG_INTEGER) else {
        return Err(format.invalid("RSAPrivateKey has no modulus"));
    };

    let bits = der::unsigned_bit_length(modulus.content);
    if bits < MIN_RSA_BITS {
        return Err(SigningError::RsaKeyTooSmall { bits });
    }
    Ok(())
}

/// Reads the curve from EC `AlgorithmIdentifier` parameters, which must be a named curve.
pub(crate) fn curve_from_parameters(
    parameters: Option<&Element<'_>>,
) -> Result<Curve, SigningError> {
    match parameters {
        Some(oid) if oid.tag == der::TAG_OID => {
            Curve::from_oid(oid.content).ok_or_else(|| SigningError::UnsupportedCurve {
                curve: der::oid_to_string(oid.content),
            })
        }
        _ => Err(SigningError::UnsupportedCurve {
            curve: "explicit or missing curve parameters".to_owned(),
        }),
    }
}

fn curve_from_explicit_tag(parameters: &Element<'_>) -> Result<Curve, SigningError> {
    let inner = der::read_element(parameters.content).map(|(element, _)| element);
    curve_from_parameters(inner.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detect_formats() {
        let pkcs8 = [0x30, 0x08, 0x02, 0x01, 0x00, 0x30, 0x00, 0x04, 0x01, 0x00];
        assert_eq!(KeyFormat::detect(&pkcs8).ok(), Some(KeyFormat::Pkcs8));

        let pkcs1 = [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x05];
        assert_eq!(KeyFormat::detect(&pkcs1).ok(), Some(KeyFormat::Pkcs1));

        let sec1 = [0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x05];
        assert_eq!(KeyFormat::detect(&sec1).ok(), Some(KeyFormat::Sec1));
    }

    #[test]
    fn detect_encrypted_and_garbage() {
        let encrypted = [0x30, 0x05, 0x30, 0x00, 0x04, 0x01, 0x00];
        assert!(matches!(
            KeyFormat::detect(&encrypted),
            Err(SigningError::EncryptedKey)
        ));
        assert!(matches!(
            KeyFormat::detect(b"not DER"),
            Err(SigningError::NoKey)
        ));
        assert!(matches!(
            KeyFormat::detect(&[0x30, 0x00]),
            Err(SigningError::NoKey)
        ));
    }

    #[test]
    fn small_modulus_is_rejected() {
        let mut modulus = vec![0x00, 0x80];
        modulus.extend([0u8; 127]);
        let mut pkcs1 = vec![0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x02, 0x81, 0x81];
        pkcs1.extend(&modulus);
        let result = PrivateKey::from_der(&pkcs1, KeyFormat::Pkcs1, None);
        assert!(matches!(
            result,
            Err(SigningError::RsaKeyTooSmall { bits: 1024 })
        ));
    }

    #[test]
    fn unsupported_curve_names_the_oid() {
        let secp256k1 = Element {
            tag: der::TAG_OID,
            content: &[0x2b, 0x81, 0x04, 0x00, 0x0a],
        };
        let result = curve_from_parameters(Some(&secp256k1));
        let Err(SigningError::UnsupportedCurve { curve }) = result else {
            panic!("expected UnsupportedCurve, got {result:?}");
        };
        assert_eq!(curve, "1.3.132.0.10");
    }
}
