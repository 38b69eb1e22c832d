//! Errors from loading signing credentials and signing documents.

use thiserror::Error;

use crate::algorithm::{KeyType, SignatureAlgorithm};

/// A failure to load signing credentials or to sign a document.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The private key input contains no private key.
    #[error(
        "no private key found: expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY \
         PEM block, or PKCS#8, PKCS#1 or SEC1 DER"
    )]
    NoKey,

    /// The private key input contains more than one private key.
    #[error("found {count} private keys, expected exactly one")]
    MultipleKeys {
        /// Number of private key blocks found.
        count: usize,
    },

    /// The private key is encrypted with a passphrase.
    #[error("the private key is encrypted, which is not supported: decrypt it first")]
    EncryptedKey,

    /// The private key bytes are malformed or were rejected by the crypto library.
    #[error("invalid {format} private key: {reason}")]
    InvalidKey {
        /// The key format being parsed: `PKCS#8`, `PKCS#1` or `SEC1`.
        format: &'static str,
        /// What was wrong with it.
        reason: String,
    },

    /// The PKCS#8 key is of an algorithm other than RSA or EC.
    #[error("unsupported private key algorithm {oid}: expected RSA or EC")]
    UnsupportedKeyAlgorithm {
        /// The algorithm OID in dotted-decimal form.
        oid: String,
    },

    /// The EC key is on a curve other than P-256, P-384 or P-521.
    #[error("unsupported elliptic curve {curve}: expected P-256, P-384 or P-521")]
    UnsupportedCurve {
        /// The curve OID in dotted-decimal form, or a description when it is not named.
        curve: String,
    },

    /// The RSA key is shorter than 2048 bits.
    #[error("RSA key is {bits} bits, less than the minimum of 2048")]
    RsaKeyTooSmall {
        /// The modulus length in bits.
        bits: usize,
    },

    /// The private key is not the one whose public key is in the leaf certificate.
    #[error(
        "the private key does not match the public key of the leaf certificate \
         (the first certificate of the chain)"
    )]
    KeyMismatch,

    /// The certificate chain input contains no certificate.
    #[error("the certificate chain is empty: expected at least the leaf certificate")]
    EmptyChain,

    /// A certificate in the chain could not be parsed.
    #[error("certificate {index} of the chain is malformed: {reason}")]
    MalformedCertificate {
        /// Position in the chain, 0 for the leaf.
        index: usize,
        /// What the X.509 parser reported.
        reason: String,
    },

    /// PEM text could not be parsed.
    #[error("invalid PEM in the {input}: {reason}")]
    InvalidPem {
        /// Which input: `certificate chain` or `private key`.
        input: &'static str,
        /// What the PEM parser reported.
        reason: String,
    },

    /// The leaf certificate is not valid at the signing time.
    #[error(
        "the leaf certificate is valid from {not_before} to {not_after} (Unix seconds) but the \
         signing time is {time}: load a current certificate or allow an invalid leaf time"
    )]
    LeafNotValid {
        /// The signing time, in Unix seconds.
        time: i64,
        /// Start of the leaf's validity period, in Unix seconds.
        not_before: i64,
        /// End of the leaf's validity period, in Unix seconds.
        not_after: i64,
    },

    /// The requested algorithm needs a different key type than the loaded key.
    #[error("algorithm {algorithm} needs an {needed} key, but the loaded key is {actual}")]
    AlgorithmKeyMismatch {
        /// The requested algorithm.
        algorithm: SignatureAlgorithm,
        /// The key type the algorithm needs.
        needed: KeyType,
        /// The key type of the loaded key.
        actual: KeyType,
    },

    /// A field that verifiers need is absent or empty in the message to sign.
    #[error("cannot sign: required field {field} is missing or empty")]
    MissingField {
        /// Field path, such as `TaskIdentity.unixTimestampSec`.
        field: &'static str,
    },

    /// A field of the message to sign has a value out of range.
    #[error("cannot sign: invalid value in {field}: {reason}")]
    InvalidField {
        /// Field path, such as `TaskPodIdentity.requestTimestamp`.
        field: &'static str,
        /// Why the value is invalid.
        reason: String,
    },

    /// The system clock or the configured time source is before 1970-01-01.
    #[error("the signing time is before the Unix epoch")]
    TimeBeforeEpoch,

    /// The crypto library failed to produce a signature.
    #[error("signing with {algorithm} failed")]
    SignatureFailed {
        /// The algorithm in use.
        algorithm: SignatureAlgorithm,
    },
}
