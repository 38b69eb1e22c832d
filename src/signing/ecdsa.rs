//! ECDSA signing with ASN.1 DER signatures on P-256, P-384 and P-521 with any of the three
//! hashes.
//!
//! aws-lc-rs 1.19 has DER signing algorithms for P-256 only with SHA-256 and for P-384 only
//! with SHA-384. Each key is therefore loaded with its curve's native algorithm, and a hash
//! other than the native one goes through [`fit_digest`] and `EcdsaKeyPair::sign_digest`.

use std::fmt;

use aws_lc_rs::digest::{self, Digest};
use aws_lc_rs::error::Unspecified;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    EcdsaKeyPair, EcdsaSigningAlgorithm, ECDSA_P256_SHA256_ASN1_SIGNING,
    ECDSA_P384_SHA384_ASN1_SIGNING, ECDSA_P521_SHA512_ASN1_SIGNING,
};

use crate::algorithm::HashAlgorithm;

/// OID 1.2.840.10045.3.1.7 (prime256v1), content octets.
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// OID 1.3.132.0.34 (secp384r1), content octets.
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// OID 1.3.132.0.35 (secp521r1), content octets.
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];

/// A NIST curve that signing keys may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// Looks a curve up by the content octets of its named-curve OID.
    pub(crate) fn from_oid(oid: &[u8]) -> Option<Self> {
        match oid {
            OID_P256 => Some(Self::P256),
            OID_P384 => Some(Self::P384),
            OID_P521 => Some(Self::P521),
            _ => None,
        }
    }

    /// Guesses the curve from the length of a SEC1 private key octet string, which is the
    /// byte length of the curve order.
    pub(crate) fn from_private_key_len(len: usize) -> Option<Self> {
        match len {
            32 => Some(Self::P256),
            48 => Some(Self::P384),
            66 => Some(Self::P521),
            _ => None,
        }
    }

    /// Returns the aws-lc-rs algorithm the key pair is loaded with.
    pub(crate) fn native_algorithm(self) -> &'static EcdsaSigningAlgorithm {
        match self {
            Self::P256 => &ECDSA_P256_SHA256_ASN1_SIGNING,
            Self::P384 => &ECDSA_P384_SHA384_ASN1_SIGNING,
            Self::P521 => &ECDSA_P521_SHA512_ASN1_SIGNING,
        }
    }

    fn native_hash(self) -> HashAlgorithm {
        match self {
            Self::P256 => HashAlgorithm::Sha256,
            Self::P384 => HashAlgorithm::Sha384,
            Self::P521 => HashAlgorithm::Sha512,
        }
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
        })
    }
}

/// An ECDSA key pair and its curve.
pub(crate) struct EcdsaKey {
    pub(crate) curve: Curve,
    pub(crate) pair: EcdsaKeyPair,
}

impl EcdsaKey {
    /// Signs `message` over `hash` and returns the ASN.1 DER `ECDSA-Sig-Value`.
    pub(crate) fn sign(&self, hash: HashAlgorithm, message: &[u8]) -> Result<Vec<u8>, Unspecified> {
        let signature = if hash == self.curve.native_hash() {
            self.pair.sign(&SystemRandom::new(), message)?
        } else {
            let digest = digest::digest(hash.digest_algorithm(), message);
            self.pair.sign_digest(&fit_digest(self.curve, &digest)?)?
        };
        Ok(signature.as_ref().to_vec())
    }
}

/// Converts a digest to one of the curve's native hash length that ECDSA turns into the same
/// integer, so that `sign_digest` signs exactly what a verifier of the named hash checks.
///
/// ECDSA uses the leftmost `min(digest bits, order bits)` bits of the digest as the integer,
/// the `bits2int` conversion of FIPS 186 and RFC 6979. A longer digest is cut to its leftmost
/// bytes. That is exact on P-256 and P-384, whose 256- and 384-bit orders are as long as their
/// native digests. A shorter digest is left-padded with zero bytes, which keeps its integer
/// value. This covers P-521, whose 64-byte native digest is shorter than the 521-bit order, so
/// every supported digest is used whole there.
fn fit_digest(curve: Curve, digest: &Digest) -> Result<Digest, Unspecified> {
    let native = curve.native_hash().digest_algorithm();
    let native_len = native.output_len();
    let value = digest.as_ref();

    let mut fitted = [0u8; digest::MAX_OUTPUT_LEN];
    if value.len() >= native_len {
        fitted[..native_len].copy_from_slice(&value[..native_len]);
    } else {
        fitted[native_len - value.len()..native_len].copy_from_slice(value);
    }
    Digest::import_less_safe(&fitted[..native_len], native)
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::signature::{self, KeyPair, UnparsedPublicKey, VerificationAlgorithm};

    use super::*;

    const CURVES: [Curve; 3] = [Curve::P256, Curve::P384, Curve::P521];
    const HASHES: [HashAlgorithm; 3] = [
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ];

    fn verification(curve: Curve, hash: HashAlgorithm) -> &'static dyn VerificationAlgorithm {
        match (curve, hash) {
            (Curve::P256, HashAlgorithm::Sha256) => &signature::ECDSA_P256_SHA256_ASN1,
            (Curve::P256, HashAlgorithm::Sha384) => &signature::ECDSA_P256_SHA384_ASN1,
            (Curve::P256, HashAlgorithm::Sha512) => &signature::ECDSA_P256_SHA512_ASN1,
            (Curve::P384, HashAlgorithm::Sha256) => &signature::ECDSA_P384_SHA256_ASN1,
            (Curve::P384, HashAlgorithm::Sha384) => &signature::ECDSA_P384_SHA384_ASN1,
            (Curve::P384, HashAlgorithm::Sha512) => &signature::ECDSA_P384_SHA512_ASN1,
            (Curve::P521, HashAlgorithm::Sha256) => &signature::ECDSA_P521_SHA256_ASN1,
            (Curve::P521, HashAlgorithm::Sha384) => &signature::ECDSA_P521_SHA384_ASN1,
            (Curve::P521, HashAlgorithm::Sha512) => &signature::ECDSA_P521_SHA512_ASN1,
        }
    }

    #[test]
    fn every_curve_and_hash_verifies() {
        let message = b"task identity";
        for curve in CURVES {
            let pair = EcdsaKeyPair::generate(curve.native_algorithm()).expect("generate");
            let key = EcdsaKey { curve, pair };
            for hash in HASHES {
                let signature = key.sign(hash, message).expect("sign");
                let public_key = key.pair.public_key().as_ref();
                let verifier = UnparsedPublicKey::new(verification(curve, hash), public_key);
                assert!(
                    verifier.verify(message, &signature).is_ok(),
                    "{curve} {hash:?}"
                );

                let other_hash = HASHES.into_iter().find(|&other| other != hash);
                let other_hash = other_hash.expect("three hashes");
                let verifier = UnparsedPublicKey::new(verification(curve, other_hash), public_key);
                assert!(
                    verifier.verify(message, &signature).is_err(),
                    "{curve} {hash:?}"
                );
            }
        }
    }

    #[test]
    fn longer_digest_keeps_leftmost_bytes() {
        let digest = digest::digest(&digest::SHA512, b"x");
        let fitted = fit_digest(Curve::P256, &digest).expect("fit");
        assert_eq!(fitted.algorithm(), &digest::SHA256);
        assert_eq!(fitted.as_ref(), &digest.as_ref()[..32]);
    }

    #[test]
    fn shorter_digest_is_left_padded() {
        let digest = digest::digest(&digest::SHA256, b"x");
        let fitted = fit_digest(Curve::P384, &digest).expect("fit");
        assert_eq!(fitted.algorithm(), &digest::SHA384);
        assert_eq!(&fitted.as_ref()[..16], &[0u8; 16]);
        assert_eq!(&fitted.as_ref()[16..], digest.as_ref());

        let fitted = fit_digest(Curve::P521, &digest::digest(&digest::SHA384, b"x")).expect("fit");
        assert_eq!(fitted.as_ref().len(), 64);
        assert_eq!(&fitted.as_ref()[..16], &[0u8; 16]);
    }

    #[test]
    fn curve_lookup() {
        assert_eq!(Curve::from_oid(OID_P384), Some(Curve::P384));
        assert_eq!(Curve::from_oid(&[0x2b, 0x81, 0x04, 0x00, 0x0a]), None);
        assert_eq!(Curve::from_private_key_len(66), Some(Curve::P521));
        assert_eq!(Curve::from_private_key_len(28), None);
    }
}
