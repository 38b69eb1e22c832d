//! Document signature verification with the leaf's public key.
//!
//! RSA documents are signed with RSASSA-PSS, MGF1 over the same hash. The PSS parameters
//! default to a 20-byte salt (RFC 8017 appendix A.2.3) and many signers use a salt of
//! digest length instead, so both are accepted and nothing else. ECDSA signatures must be
//! strict DER.

use aws_lc_rs::signature::{self, RsaParameters, RsaPssSaltLength, UnparsedPublicKey};

use super::algorithm_id;
use super::der::{self, Reader, TAG_INTEGER, TAG_SEQUENCE};
use super::error::VerificationError;
use super::public_key::{KeyProblem, PublicKeyInfo, PublicKeyType, MIN_RSA_BITS};
use crate::algorithm::{HashAlgorithm, KeyType, SignatureAlgorithm};

const PSS_SHA256_SALT_20: RsaParameters =
    signature::RSA_PSS_2048_8192_SHA256.with_pss_salt_length(RsaPssSaltLength::Custom(20));
const PSS_SHA384_SALT_20: RsaParameters =
    signature::RSA_PSS_2048_8192_SHA384.with_pss_salt_length(RsaPssSaltLength::Custom(20));
const PSS_SHA512_SALT_20: RsaParameters =
    signature::RSA_PSS_2048_8192_SHA512.with_pss_salt_length(RsaPssSaltLength::Custom(20));

/// Verifies a document signature made with `algorithm` by the holder of `key`.
///
/// # Errors
///
/// [`VerificationError::AlgorithmKeyMismatch`] when the algorithm needs another key type,
/// [`VerificationError::KeyTooSmall`] or [`VerificationError::UnsupportedKey`] for keys that
/// cannot be used, and [`VerificationError::BadSignature`] for any signature that does not
/// verify, including a malformed one.
pub(crate) fn verify_document_signature(
    algorithm: SignatureAlgorithm,
    key: &PublicKeyInfo,
    message: &[u8],
    signature: &[u8],
) -> Result<(), VerificationError> {
    check_key(algorithm, key)?;
    let hash = algorithm.hash();
    match key.key_type() {
        PublicKeyType::Rsa { .. } => verify_pss(hash, key.bytes(), message, signature),
        PublicKeyType::Ec { curve } => {
            if !is_strict_der_signature(signature) {
                return Err(VerificationError::BadSignature);
            }
            let verifier = algorithm_id::ecdsa_asn1(*curve, hash);
            UnparsedPublicKey::new(verifier, key.bytes())
                .verify(message, signature)
                .map_err(|_| VerificationError::BadSignature)
        }
        _ => Err(mismatch(algorithm, key)),
    }
}

/// Checks that the key fits the algorithm and is strong enough.
fn check_key(algorithm: SignatureAlgorithm, key: &PublicKeyInfo) -> Result<(), VerificationError> {
    let fits = matches!(
        (algorithm.key_type(), key.key_type()),
        (KeyType::Rsa, PublicKeyType::Rsa { .. }) | (KeyType::Ec, PublicKeyType::Ec { .. })
    );
    if !fits {
        return Err(mismatch(algorithm, key));
    }

    key.check_usable().map_err(|problem| match problem {
        KeyProblem::TooSmall { bits } => VerificationError::KeyTooSmall {
            bits,
            minimum: MIN_RSA_BITS,
        },
        KeyProblem::Unsupported => VerificationError::UnsupportedKey {
            key: key.key_type().to_string(),
        },
    })
}

fn mismatch(algorithm: SignatureAlgorithm, key: &PublicKeyInfo) -> VerificationError {
    VerificationError::AlgorithmKeyMismatch {
        algorithm,
        key: key.key_type().to_string(),
    }
}

/// Tries a 20-byte salt, then a salt of digest length.
fn verify_pss(
    hash: HashAlgorithm,
    key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), VerificationError> {
    let salt_20: &'static RsaParameters = match hash {
        HashAlgorithm::Sha256 => &PSS_SHA256_SALT_20,
        HashAlgorithm::Sha384 => &PSS_SHA384_SALT_20,
        HashAlgorithm::Sha512 => &PSS_SHA512_SALT_20,
    };
    if UnparsedPublicKey::new(salt_20, key)
        .verify(message, signature)
        .is_ok()
    {
        return Ok(());
    }

    UnparsedPublicKey::new(algorithm_id::pss(hash), key)
        .verify(message, signature)
        .map_err(|_| VerificationError::BadSignature)
}

/// Checks that an ECDSA signature is exactly one DER SEQUENCE of two minimally encoded
/// positive INTEGERs, with nothing after it. A raw `r || s` signature fails this check.
fn is_strict_der_signature(signature: &[u8]) -> bool {
    let Some(sequence) = der::single(signature) else {
        return false;
    };
    if sequence.tag != TAG_SEQUENCE {
        return false;
    }

    let mut reader = Reader::new(sequence.contents);
    let r = reader.read_tagged(TAG_INTEGER);
    let s = reader.read_tagged(TAG_INTEGER);
    match (r, s) {
        (Some(r), Some(s)) => {
            reader.is_empty()
                && der::is_minimal_positive_integer(r)
                && der::is_minimal_positive_integer(s)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::KeySize;
    use aws_lc_rs::signature::{EcdsaKeyPair, EcdsaSigningAlgorithm, KeyPair, RsaKeyPair};

    use super::super::public_key::EcCurve;

    const MESSAGE: &[u8] = b"task identity document";

    fn rsa_key() -> (RsaKeyPair, PublicKeyInfo) {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).expect("generate RSA key");
        let public = PublicKeyInfo::for_tests_with_bytes(
            PublicKeyType::Rsa { bits: 2048 },
            pair.public_key().as_ref().to_vec(),
        );
        (pair, public)
    }

    fn pss_sign(pair: &RsaKeyPair, encoding: &'static dyn signature::RsaEncoding) -> Vec<u8> {
        let mut signature = vec![0; pair.public_modulus_len()];
        pair.sign(encoding, &SystemRandom::new(), MESSAGE, &mut signature)
            .expect("sign with RSA-PSS");
        signature
    }

    const SHA256_SALT_20: signature::RsaSignatureEncoding =
        signature::RSA_PSS_SHA256.with_pss_salt_length(RsaPssSaltLength::Custom(20));
    const SHA512_SALT_20: signature::RsaSignatureEncoding =
        signature::RSA_PSS_SHA512.with_pss_salt_length(RsaPssSaltLength::Custom(20));
    const SHA512_SALT_0: signature::RsaSignatureEncoding =
        signature::RSA_PSS_SHA512.with_pss_salt_length(RsaPssSaltLength::Custom(0));
    const SHA512_SALT_32: signature::RsaSignatureEncoding =
        signature::RSA_PSS_SHA512.with_pss_salt_length(RsaPssSaltLength::Custom(32));

    #[test]
    fn pss_accepts_salt_20_and_digest_length() {
        let (pair, key) = rsa_key();
        let cases: [(SignatureAlgorithm, &'static dyn signature::RsaEncoding); 4] = [
            (SignatureAlgorithm::Sha256WithRsaAndMgf1, &SHA256_SALT_20),
            (SignatureAlgorithm::Sha512WithRsaAndMgf1, &SHA512_SALT_20),
            (
                SignatureAlgorithm::Sha256WithRsaAndMgf1,
                &signature::RSA_PSS_SHA256,
            ),
            (
                SignatureAlgorithm::Sha384WithRsaAndMgf1,
                &signature::RSA_PSS_SHA384,
            ),
        ];
        for (algorithm, encoding) in cases {
            let signed = pss_sign(&pair, encoding);
            let result = verify_document_signature(algorithm, &key, MESSAGE, &signed);
            assert!(result.is_ok(), "{algorithm}: {result:?}");
        }
    }

    #[test]
    fn pss_rejects_other_salts() {
        let (pair, key) = rsa_key();
        for encoding in [&SHA512_SALT_0, &SHA512_SALT_32] {
            let signed = pss_sign(&pair, encoding);
            let algorithm = SignatureAlgorithm::Sha512WithRsaAndMgf1;
            let result = verify_document_signature(algorithm, &key, MESSAGE, &signed);
            assert!(
                matches!(result, Err(VerificationError::BadSignature)),
                "{result:?}"
            );
        }
    }

    #[test]
    fn pss_rejects_wrong_hash_and_message() {
        let (pair, key) = rsa_key();
        let signed = pss_sign(&pair, &signature::RSA_PSS_SHA512);
        let wrong_hash = SignatureAlgorithm::Sha256WithRsaAndMgf1;
        let result = verify_document_signature(wrong_hash, &key, MESSAGE, &signed);
        assert!(matches!(result, Err(VerificationError::BadSignature)));
        let right = SignatureAlgorithm::Sha512WithRsaAndMgf1;
        let result = verify_document_signature(right, &key, b"other", &signed);
        assert!(matches!(result, Err(VerificationError::BadSignature)));
    }

    fn ec_key(
        signing: &'static EcdsaSigningAlgorithm,
        curve: EcCurve,
    ) -> (EcdsaKeyPair, PublicKeyInfo) {
        let pair = EcdsaKeyPair::generate(signing).expect("generate EC key");
        let public = PublicKeyInfo::for_tests_with_bytes(
            PublicKeyType::Ec { curve },
            pair.public_key().as_ref().to_vec(),
        );
        (pair, public)
    }

    fn ec_sign(pair: &EcdsaKeyPair) -> Vec<u8> {
        let signed = pair
            .sign(&SystemRandom::new(), MESSAGE)
            .expect("sign with ECDSA");
        signed.as_ref().to_vec()
    }

    #[test]
    fn ecdsa_accepts_curve_and_hash_pairs() {
        let cases = [
            (
                &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
                EcCurve::P256,
                SignatureAlgorithm::Sha256WithEcdsa,
            ),
            (
                &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
                EcCurve::P384,
                SignatureAlgorithm::Sha384WithEcdsa,
            ),
            (
                &signature::ECDSA_P521_SHA256_ASN1_SIGNING,
                EcCurve::P521,
                SignatureAlgorithm::Sha256WithEcdsa,
            ),
            (
                &signature::ECDSA_P521_SHA384_ASN1_SIGNING,
                EcCurve::P521,
                SignatureAlgorithm::Sha384WithEcdsa,
            ),
            (
                &signature::ECDSA_P521_SHA512_ASN1_SIGNING,
                EcCurve::P521,
                SignatureAlgorithm::Sha512WithEcdsa,
            ),
        ];
        for (signing, curve, algorithm) in cases {
            let (pair, key) = ec_key(signing, curve);
            let signed = ec_sign(&pair);
            let result = verify_document_signature(algorithm, &key, MESSAGE, &signed);
            assert!(result.is_ok(), "{curve} {algorithm}: {result:?}");
        }
    }

    #[test]
    fn ecdsa_rejects_wrong_hash() {
        let (pair, key) = ec_key(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, EcCurve::P256);
        let signed = ec_sign(&pair);
        let algorithm = SignatureAlgorithm::Sha512WithEcdsa;
        let result = verify_document_signature(algorithm, &key, MESSAGE, &signed);
        assert!(matches!(result, Err(VerificationError::BadSignature)));
    }

    #[test]
    fn ecdsa_rejects_loose_encodings() {
        let (pair, key) = ec_key(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, EcCurve::P256);
        let signed = ec_sign(&pair);
        let algorithm = SignatureAlgorithm::Sha256WithEcdsa;

        let mut trailing = signed.clone();
        trailing.push(0);
        let raw = EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)
            .and_then(|fixed| fixed.sign(&SystemRandom::new(), MESSAGE))
            .map(|s| s.as_ref().to_vec())
            .expect("sign with fixed encoding");
        for bad in [trailing, padded_r(&signed), raw] {
            let result = verify_document_signature(algorithm, &key, MESSAGE, &bad);
            assert!(
                matches!(result, Err(VerificationError::BadSignature)),
                "{result:?}"
            );
        }
    }

    /// Re-encodes the signature with a redundant leading zero on `r`.
    fn padded_r(signature: &[u8]) -> Vec<u8> {
        let mut reader = Reader::new(der::single(signature).expect("DER").contents);
        let r = reader.read_tagged(TAG_INTEGER).expect("r");
        let s = reader.read_tagged(TAG_INTEGER).expect("s");
        let mut r_padded = vec![0];
        r_padded.extend_from_slice(r);
        let mut body = vec![TAG_INTEGER, r_padded.len() as u8];
        body.extend(r_padded);
        body.extend([TAG_INTEGER, s.len() as u8]);
        body.extend_from_slice(s);
        let mut out = vec![TAG_SEQUENCE, body.len() as u8];
        out.extend(body);
        out
    }

    #[test]
    fn strict_der_accepts_minimal_integers() {
        assert!(is_strict_der_signature(&[
            0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02
        ]));
        let high_bit = [0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x02];
        assert!(is_strict_der_signature(&high_bit));
    }

    #[test]
    fn strict_der_rejects_non_canonical_forms() {
        let padded = [0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02];
        assert!(!is_strict_der_signature(&padded));
        let negative = [0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x02];
        assert!(!is_strict_der_signature(&negative));
        let trailing = [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00];
        assert!(!is_strict_der_signature(&trailing));
        let extra = [
            0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x02, 0x01, 0x03,
        ];
        assert!(!is_strict_der_signature(&extra));
        let long_length = [0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02];
        assert!(!is_strict_der_signature(&long_length));
        assert!(!is_strict_der_signature(&[0x01; 64]));
        assert!(!is_strict_der_signature(&[]));
    }

    #[test]
    fn algorithm_must_fit_key() {
        let key = PublicKeyInfo::for_tests(PublicKeyType::Ec {
            curve: super::super::public_key::EcCurve::P256,
        });
        let result =
            verify_document_signature(SignatureAlgorithm::Sha256WithRsaAndMgf1, &key, b"m", b"s");
        assert!(matches!(
            result,
            Err(VerificationError::AlgorithmKeyMismatch { .. })
        ));
    }

    #[test]
    fn small_rsa_key_is_rejected() {
        let key = PublicKeyInfo::for_tests(PublicKeyType::Rsa { bits: 1024 });
        let result =
            verify_document_signature(SignatureAlgorithm::Sha512WithRsaAndMgf1, &key, b"m", b"s");
        assert!(matches!(
            result,
            Err(VerificationError::KeyTooSmall { bits: 1024, .. })
        ));
    }
}
