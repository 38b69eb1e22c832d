//! Certificate signature algorithms: parsing `AlgorithmIdentifier`s and checking a
//! certificate's signature with its issuer's key.

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};

use super::der::{self, Reader, TAG_NULL, TAG_OID, TAG_SEQUENCE};
use super::public_key::{EcCurve, PublicKeyInfo, PublicKeyType};
use crate::algorithm::HashAlgorithm;

const OID_SHA256_RSA: &str = "1.2.840.113549.1.1.11";
const OID_SHA384_RSA: &str = "1.2.840.113549.1.1.12";
const OID_SHA512_RSA: &str = "1.2.840.113549.1.1.13";
const OID_RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
const OID_ECDSA_SHA512: &str = "1.2.840.10045.4.3.4";
const OID_ED25519: &str = "1.3.101.112";

/// Signature algorithms built on SHA-1 or MD5, with the names used in error messages.
const INSECURE: [(&str, &str); 8] = [
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
    ("1.3.14.3.2.29", "sha1WithRSASignature"),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
    ("1.2.840.10040.4.3", "dsa-with-sha1"),
    ("1.2.840.113549.1.1.3", "md4WithRSAEncryption"),
    ("1.3.14.3.2.27", "dsaWithSHA1"),
];

/// DER contents of the hash algorithm OIDs that may appear in RSASSA-PSS parameters.
const OID_SHA1_BYTES: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
const OID_SHA256_BYTES: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const OID_SHA384_BYTES: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const OID_SHA512_BYTES: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
const OID_MGF1_BYTES: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];

/// A certificate signature algorithm that the validator can check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CertSignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with the given hash.
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS with the given hash, MGF1 over the same hash and a salt of digest length.
    RsaPss(HashAlgorithm),
    /// ECDSA with the given hash, on any supported curve.
    Ecdsa(HashAlgorithm),
    /// Ed25519.
    Ed25519,
}

/// Why a certificate signature algorithm cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AlgorithmProblem {
    /// A SHA-1 or MD5 based algorithm, with its name.
    Insecure(&'static str),
    /// An algorithm or parameter set that is not supported, described by OID.
    Unsupported(String),
}

/// Why a signature check failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SignatureCheckError {
    /// The issuer key's type does not fit the signature algorithm.
    KeyMismatch,
    /// The signature does not verify.
    BadSignature,
}

/// Maps an algorithm OID and its raw parameters (the whole TLV, if present) to an algorithm.
pub(crate) fn parse_signature_algorithm(
    oid: &str,
    parameters: Option<&[u8]>,
) -> Result<CertSignatureAlgorithm, AlgorithmProblem> {
    if let Some((_, name)) = INSECURE.iter().find(|(insecure, _)| *insecure == oid) {
        return Err(AlgorithmProblem::Insecure(name));
    }

    let unsupported = || AlgorithmProblem::Unsupported(oid.to_owned());
    let algorithm = match oid {
        OID_SHA256_RSA => CertSignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
        OID_SHA384_RSA => CertSignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha384),
        OID_SHA512_RSA => CertSignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha512),
        OID_ECDSA_SHA256 => CertSignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
        OID_ECDSA_SHA384 => CertSignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384),
        OID_ECDSA_SHA512 => CertSignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
        OID_ED25519 => CertSignatureAlgorithm::Ed25519,
        OID_RSASSA_PSS => return parse_pss_parameters(parameters).map_err(|()| unsupported()),
        _ => return Err(unsupported()),
    };

    if parameters_allowed(algorithm, parameters) {
        Ok(algorithm)
    } else {
        Err(AlgorithmProblem::Unsupported(format!(
            "{oid} with unexpected parameters"
        )))
    }
}

/// PKCS#1 v1.5 takes NULL or absent parameters (RFC 4055); ECDSA and Ed25519 take none.
fn parameters_allowed(algorithm: CertSignatureAlgorithm, parameters: Option<&[u8]>) -> bool {
    match (algorithm, parameters) {
        (_, None) => true,
        (CertSignatureAlgorithm::RsaPkcs1(_), Some(raw)) => raw == [TAG_NULL, 0x00],
        _ => false,
    }
}

/// Accepts RSASSA-PSS parameters that name SHA-256, SHA-384 or SHA-512, MGF1 over the same
/// hash, a salt as long as the digest and the default trailer field.
fn parse_pss_parameters(parameters: Option<&[u8]>) -> Result<CertSignatureAlgorithm, ()> {
    let sequence = der::single(parameters.ok_or(())?).ok_or(())?;
    if sequence.tag != TAG_SEQUENCE {
        return Err(());
    }

    let mut reader = Reader::new(sequence.contents);
    let hash_field = reader.read_optional(0xa0)?.ok_or(())?;
    let hash = hash_of_identifier(hash_field)?;

    let mgf = reader.read_optional(0xa1)?.ok_or(())?;
    check_mgf1(mgf, hash)?;

    let salt = reader.read_optional(0xa2)?.ok_or(())?;
    check_salt(salt, hash)?;

    if let Some(trailer) = reader.read_optional(0xa3)? {
        if trailer != [der::TAG_INTEGER, 0x01, 0x01] {
            return Err(());
        }
    }

    if !reader.is_empty() {
        return Err(());
    }
    Ok(CertSignatureAlgorithm::RsaPss(hash))
}

/// Reads a hash `AlgorithmIdentifier` (parameters NULL or absent).
fn hash_of_identifier(encoded: &[u8]) -> Result<HashAlgorithm, ()> {
    let identifier = der::single(encoded).ok_or(())?;
    if identifier.tag != TAG_SEQUENCE {
        return Err(());
    }

    let mut reader = Reader::new(identifier.contents);
    let oid = reader.read_tagged(TAG_OID).ok_or(())?;
    if !reader.is_empty() && reader.read_tagged(TAG_NULL) != Some(&[]) {
        return Err(());
    }
    if !reader.is_empty() {
        return Err(());
    }

    match oid {
        OID_SHA256_BYTES => Ok(HashAlgorithm::Sha256),
        OID_SHA384_BYTES => Ok(HashAlgorithm::Sha384),
        OID_SHA512_BYTES => Ok(HashAlgorithm::Sha512),
        OID_SHA1_BYTES => Err(()),
        _ => Err(()),
    }
}

fn check_mgf1(encoded: &[u8], hash: HashAlgorithm) -> Result<(), ()> {
    let identifier = der::single(encoded).ok_or(())?;
    if identifier.tag != TAG_SEQUENCE {
        return Err(());
    }

    let mut reader = Reader::new(identifier.contents);
    if reader.read_tagged(TAG_OID) != Some(OID_MGF1_BYTES) {
        return Err(());
    }

    let inner = reader.read().ok_or(())?;
    if !reader.is_empty() || hash_of_identifier(inner.raw)? != hash {
        return Err(());
    }
    Ok(())
}

fn check_salt(encoded: &[u8], hash: HashAlgorithm) -> Result<(), ()> {
    let integer = der::single(encoded).ok_or(())?;
    let expected = u8::try_from(hash.output_len()).map_err(|_| ())?;
    if integer.tag == der::TAG_INTEGER && integer.contents == [expected] {
        Ok(())
    } else {
        Err(())
    }
}

/// Checks `signature` over `message` with `key` under a certificate signature algorithm.
///
/// The key must already have passed `PublicKeyInfo::check_usable`.
pub(crate) fn verify_certificate_signature(
    algorithm: CertSignatureAlgorithm,
    key: &PublicKeyInfo,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureCheckError> {
    let verifier =
        verifier_for(algorithm, key.key_type()).ok_or(SignatureCheckError::KeyMismatch)?;
    UnparsedPublicKey::new(verifier, key.bytes())
        .verify(message, signature)
        .map_err(|_| SignatureCheckError::BadSignature)
}

/// Picks the aws-lc-rs algorithm for a certificate algorithm and an issuer key type.
fn verifier_for(
    algorithm: CertSignatureAlgorithm,
    key_type: &PublicKeyType,
) -> Option<&'static dyn VerificationAlgorithm> {
    match (algorithm, key_type) {
        (CertSignatureAlgorithm::RsaPkcs1(hash), PublicKeyType::Rsa { .. }) => Some(pkcs1(hash)),
        (CertSignatureAlgorithm::RsaPss(hash), PublicKeyType::Rsa { .. }) => Some(pss(hash)),
        (CertSignatureAlgorithm::Ecdsa(hash), PublicKeyType::Ec { curve }) => {
            Some(ecdsa_asn1(*curve, hash))
        }
        (CertSignatureAlgorithm::Ed25519, PublicKeyType::Ed25519) => Some(&signature::ED25519),
        _ => None,
    }
}

fn pkcs1(hash: HashAlgorithm) -> &'static dyn VerificationAlgorithm {
    match hash {
        HashAlgorithm::Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        HashAlgorithm::Sha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        HashAlgorithm::Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
    }
}

/// RSASSA-PSS with MGF1 over `hash` and a salt as long as the digest.
pub(crate) fn pss(hash: HashAlgorithm) -> &'static dyn VerificationAlgorithm {
    match hash {
        HashAlgorithm::Sha256 => &signature::RSA_PSS_2048_8192_SHA256,
        HashAlgorithm::Sha384 => &signature::RSA_PSS_2048_8192_SHA384,
        HashAlgorithm::Sha512 => &signature::RSA_PSS_2048_8192_SHA512,
    }
}

/// ECDSA with an ASN.1 DER signature, for any pairing of supported curve and hash.
pub(crate) fn ecdsa_asn1(
    curve: EcCurve,
    hash: HashAlgorithm,
) -> &'static dyn VerificationAlgorithm {
    match (curve, hash) {
        (EcCurve::P256, HashAlgorithm::Sha256) => &signature::ECDSA_P256_SHA256_ASN1,
        (EcCurve::P256, HashAlgorithm::Sha384) => &signature::ECDSA_P256_SHA384_ASN1,
        (EcCurve::P256, HashAlgorithm::Sha512) => &signature::ECDSA_P256_SHA512_ASN1,
        (EcCurve::P384, HashAlgorithm::Sha256) => &signature::ECDSA_P384_SHA256_ASN1,
        (EcCurve::P384, HashAlgorithm::Sha384) => &signature::ECDSA_P384_SHA384_ASN1,
        (EcCurve::P384, HashAlgorithm::Sha512) => &signature::ECDSA_P384_SHA512_ASN1,
        (EcCurve::P521, HashAlgorithm::Sha256) => &signature::ECDSA_P521_SHA256_ASN1,
        (EcCurve::P521, HashAlgorithm::Sha384) => &signature::ECDSA_P521_SHA384_ASN1,
        (EcCurve::P521, HashAlgorithm::Sha512) => &signature::ECDSA_P521_SHA512_ASN1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RSASSA-PSS parameters for SHA-256, MGF1-SHA-256 and a 32-byte salt.
    const PSS_SHA256: &[u8] = &[
        0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
        0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
        0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
        0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
    ];

    #[test]
    fn parses_pss_sha256() {
        let parsed = parse_signature_algorithm(OID_RSASSA_PSS, Some(PSS_SHA256));
        assert_eq!(
            parsed,
            Ok(CertSignatureAlgorithm::RsaPss(HashAlgorithm::Sha256))
        );
    }

    #[test]
    fn rejects_pss_with_other_salt() {
        let mut params = PSS_SHA256.to_vec();
        if let Some(last) = params.last_mut() {
            *last = 0x14;
        }
        let parsed = parse_signature_algorithm(OID_RSASSA_PSS, Some(&params));
        assert!(matches!(parsed, Err(AlgorithmProblem::Unsupported(_))));
    }

    #[test]
    fn rejects_pss_with_default_parameters() {
        let parsed = parse_signature_algorithm(OID_RSASSA_PSS, Some(&[0x30, 0x00]));
        assert!(matches!(parsed, Err(AlgorithmProblem::Unsupported(_))));
        let absent = parse_signature_algorithm(OID_RSASSA_PSS, None);
        assert!(matches!(absent, Err(AlgorithmProblem::Unsupported(_))));
    }

    #[test]
    fn flags_sha1_and_md5_as_insecure() {
        let sha1 = parse_signature_algorithm("1.2.840.113549.1.1.5", Some(&[0x05, 0x00]));
        assert_eq!(
            sha1,
            Err(AlgorithmProblem::Insecure("sha1WithRSAEncryption"))
        );
        let md5 = parse_signature_algorithm("1.2.840.113549.1.1.4", None);
        assert_eq!(md5, Err(AlgorithmProblem::Insecure("md5WithRSAEncryption")));
    }

    #[test]
    fn checks_parameters_per_algorithm() {
        let rsa = parse_signature_algorithm(OID_SHA256_RSA, Some(&[0x05, 0x00]));
        assert_eq!(
            rsa,
            Ok(CertSignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256))
        );
        let ecdsa_with_null = parse_signature_algorithm(OID_ECDSA_SHA256, Some(&[0x05, 0x00]));
        assert!(ecdsa_with_null.is_err());
    }

    #[test]
    fn key_type_must_fit_algorithm() {
        let ec = PublicKeyType::Ec {
            curve: EcCurve::P256,
        };
        let rsa_algorithm = CertSignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256);
        assert!(verifier_for(rsa_algorithm, &ec).is_none());
        let ecdsa = CertSignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512);
        assert!(verifier_for(ecdsa, &ec).is_some());
    }
}
