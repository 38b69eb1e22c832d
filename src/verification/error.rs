//! Errors from verifying documents and certificate chains.
//!
//! Chain positions count from the leaf: position 0 is the leaf, 1 its issuer, and so on up
//! to the trust anchor. No message contains key material.

use thiserror::Error;

use crate::algorithm::SignatureAlgorithm;

/// A failure to verify a document.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum VerificationError {
    /// The certificate chain did not validate.
    #[error(transparent)]
    Chain(#[from] ChainError),

    /// A trust anchor set was built from input that contains no certificates.
    #[error("no trust anchors configured")]
    NoTrustAnchors,

    /// A trust anchor could not be parsed.
    #[error("trust anchor {index} is malformed: {reason}")]
    MalformedTrustAnchor {
        /// Zero-based position of the anchor in the PEM bundle or DER list.
        index: usize,
        /// What the parser reported.
        reason: String,
    },

    /// The document signature does not verify with the leaf key.
    #[error("bad document signature")]
    BadSignature,

    /// The document's signature algorithm needs a different key type than the leaf has.
    #[error("signature algorithm {algorithm} does not fit the leaf's {key} key")]
    AlgorithmKeyMismatch {
        /// The document's signature algorithm.
        algorithm: SignatureAlgorithm,
        /// A description of the leaf key type, such as `EC P-256`.
        key: String,
    },

    /// The leaf's RSA key is smaller than the minimum.
    #[error("leaf RSA key has {bits} bits, fewer than the minimum of {minimum}")]
    KeyTooSmall {
        /// The key's modulus length.
        bits: u32,
        /// The smallest accepted modulus length.
        minimum: u32,
    },

    /// The leaf key's type, curve or size is not supported for document signatures.
    #[error("unsupported leaf key: {key}")]
    UnsupportedKey {
        /// A description of the key type.
        key: String,
    },

    /// The identity carries no timestamp, so its freshness cannot be checked.
    #[error("document has no timestamp: {field} is missing")]
    MissingTimestamp {
        /// The absent field, such as `TaskIdentity.unixTimestampSec`.
        field: &'static str,
    },

    /// The document's timestamp is older than the maximum age allows.
    #[error("document is too old: signed at {document_time}, now {now}, maximum age {max_age} s")]
    DocumentTooOld {
        /// The document's timestamp in Unix seconds.
        document_time: i64,
        /// The validation time in Unix seconds.
        now: i64,
        /// The maximum age in seconds.
        max_age: i64,
    },

    /// The document's timestamp is further in the future than the allowed clock skew.
    #[error(
        "document is from the future: signed at {document_time}, now {now}, allowed skew \
         {future_skew} s"
    )]
    DocumentFromFuture {
        /// The document's timestamp in Unix seconds.
        document_time: i64,
        /// The validation time in Unix seconds.
        now: i64,
        /// The allowed skew in seconds.
        future_skew: i64,
    },

    /// Neither of the document's addresses is the expected caller address.
    #[error("caller address {expected} does not match the document's addresses [{found}]")]
    AddressMismatch {
        /// The expected address.
        expected: std::net::IpAddr,
        /// The document's ipv4Address and ipv6Address, comma separated.
        found: String,
    },

    /// The document's task id is not the expected one.
    #[error("task id {found:?} does not match the expected {expected:?}")]
    TaskIdMismatch {
        /// The expected task id.
        expected: String,
        /// The document's task id, empty when absent.
        found: String,
    },
}

/// A failure to validate a certificate chain to a trust anchor.
///
/// When every candidate path fails, validation returns the most specific failure it saw:
/// a concrete defect of a certificate whose signature verified beats a signature failure,
/// which beats [`ChainError::UnknownIssuer`].
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainError {
    /// A certificate on the path could not be parsed.
    #[error("certificate {position} is malformed: {reason}")]
    Malformed {
        /// Chain position.
        position: usize,
        /// What the parser reported.
        reason: String,
    },

    /// No certificate in the pool or the trust anchors issued this certificate.
    #[error("no issuer found for certificate {position} ({subject}), issued by {issuer}")]
    UnknownIssuer {
        /// Chain position of the certificate whose issuer is missing.
        position: usize,
        /// That certificate's subject.
        subject: String,
        /// The issuer name it carries.
        issuer: String,
    },

    /// The validation time is after the certificate's notAfter.
    #[error("certificate {position} ({subject}) expired at {}, validation time {}",
        format_time(*not_after), format_time(*time))]
    Expired {
        /// Chain position.
        position: usize,
        /// The certificate's subject.
        subject: String,
        /// notAfter in Unix seconds.
        not_after: i64,
        /// The validation time in Unix seconds.
        time: i64,
    },

    /// The validation time is before the certificate's notBefore.
    #[error("certificate {position} ({subject}) is not valid before {}, validation time {}",
        format_time(*not_before), format_time(*time))]
    NotYetValid {
        /// Chain position.
        position: usize,
        /// The certificate's subject.
        subject: String,
        /// notBefore in Unix seconds.
        not_before: i64,
        /// The validation time in Unix seconds.
        time: i64,
    },

    /// The certificate's signature does not verify with its issuer's key.
    #[error("signature of certificate {position} ({subject}) does not verify")]
    BadCertificateSignature {
        /// Chain position of the signed certificate.
        position: usize,
        /// The signed certificate's subject.
        subject: String,
    },

    /// The certificate is signed with an algorithm that is not supported.
    #[error("certificate {position} is signed with unsupported algorithm {oid}")]
    UnsupportedSignatureAlgorithm {
        /// Chain position of the signed certificate.
        position: usize,
        /// The algorithm OID, with a note on its parameters where those are the problem.
        oid: String,
    },

    /// The certificate is signed with SHA-1 or MD5.
    #[error("certificate {position} is signed with insecure algorithm {algorithm}")]
    InsecureSignatureAlgorithm {
        /// Chain position of the signed certificate.
        position: usize,
        /// The algorithm's name, such as `sha1WithRSAEncryption`.
        algorithm: &'static str,
    },

    /// The certificate's signature algorithm needs a different key type than its issuer has.
    #[error("signature algorithm of certificate {position} does not fit its issuer's key")]
    AlgorithmKeyMismatch {
        /// Chain position of the signed certificate.
        position: usize,
    },

    /// The TBS signature field differs from the outer signatureAlgorithm field.
    #[error("certificate {position} has different inner and outer signature algorithms")]
    SignatureAlgorithmMismatch {
        /// Chain position.
        position: usize,
    },

    /// An RSA key is smaller than 2048 bits.
    #[error("certificate {position} has an RSA key of {bits} bits, fewer than 2048")]
    KeyTooSmall {
        /// Chain position of the certificate holding the key.
        position: usize,
        /// The key's modulus length.
        bits: u32,
    },

    /// A key's type, curve or size is not supported.
    #[error("certificate {position} has an unsupported key: {key}")]
    UnsupportedKey {
        /// Chain position of the certificate holding the key.
        position: usize,
        /// A description of the key type.
        key: String,
    },

    /// The certificate is not X.509 v3 (v1 trust anchors excepted).
    #[error("certificate {position} ({subject}) is X.509 v{}, not v3", *version + 1)]
    UnsupportedVersion {
        /// Chain position.
        position: usize,
        /// The certificate's subject.
        subject: String,
        /// The encoded version number: 0 for v1, 1 for v2.
        version: u32,
    },

    /// A critical extension that the validator does not process.
    #[error("certificate {position} has unknown critical extension {oid}")]
    UnknownCriticalExtension {
        /// Chain position.
        position: usize,
        /// The extension OID.
        oid: String,
    },

    /// The same extension appears twice.
    #[error("certificate {position} has extension {oid} more than once")]
    DuplicateExtension {
        /// Chain position.
        position: usize,
        /// The extension OID.
        oid: String,
    },

    /// A known extension could not be parsed or has invalid contents.
    #[error("certificate {position} has a malformed extension {oid}")]
    MalformedExtension {
        /// Chain position.
        position: usize,
        /// The extension OID.
        oid: String,
    },

    /// An extension is marked critical when it must not be, or the reverse.
    #[error(
        "certificate {position} has extension {oid} with the wrong criticality \
        (critical: {critical})"
    )]
    ExtensionCriticality {
        /// Chain position.
        position: usize,
        /// The extension OID.
        oid: String,
        /// Whether the extension was marked critical.
        critical: bool,
    },

    /// An issuing certificate lacks basicConstraints with cA set.
    #[error("issuer certificate {position} ({subject}) is not a CA")]
    IssuerNotCa {
        /// Chain position of the issuer.
        position: usize,
        /// The issuer's subject.
        subject: String,
    },

    /// An issuing certificate has keyUsage without keyCertSign.
    #[error("issuer certificate {position} ({subject}) lacks the keyCertSign key usage")]
    MissingKeyCertSign {
        /// Chain position of the issuer.
        position: usize,
        /// The issuer's subject.
        subject: String,
    },

    /// More CA certificates sit below an issuer than its pathLenConstraint allows.
    #[error(
        "issuer certificate {position} ({subject}) allows {path_len} intermediates \
        below it, found {found}"
    )]
    PathLenExceeded {
        /// Chain position of the constraining issuer.
        position: usize,
        /// The issuer's subject.
        subject: String,
        /// The pathLenConstraint value.
        path_len: u32,
        /// Non-self-issued intermediates below the issuer.
        found: usize,
    },

    /// The path needs more intermediates than the policy's maximum depth.
    #[error("path needs more than the maximum of {max_depth} intermediates")]
    MaxDepthExceeded {
        /// The configured maximum number of intermediates.
        max_depth: usize,
    },

    /// A name is outside the permitted subtrees or inside an excluded subtree of an issuer.
    #[error(
        "name {name} in certificate {position} violates the name constraints of \
        certificate {constraint_position}"
    )]
    NameConstraintViolation {
        /// Chain position of the certificate carrying the name.
        position: usize,
        /// Chain position of the certificate carrying the constraints.
        constraint_position: usize,
        /// The offending name.
        name: String,
    },

    /// A name constraint on a name form that is not evaluated meets a name of that form.
    #[error(
        "certificate {constraint_position} constrains {form} names, which are not \
        supported, and certificate {position} has one"
    )]
    UnsupportedNameConstraint {
        /// Chain position of the certificate carrying the name.
        position: usize,
        /// Chain position of the certificate carrying the constraints.
        constraint_position: usize,
        /// The name form, such as `otherName`.
        form: &'static str,
    },

    /// The leaf's keyUsage lacks digitalSignature.
    #[error("leaf ({subject}) keyUsage lacks digitalSignature")]
    MissingDigitalSignature {
        /// The leaf's subject.
        subject: String,
    },

    /// A certificate's extendedKeyUsage does not include the required purpose.
    #[error("certificate {position} ({subject}) extendedKeyUsage lacks {purpose}")]
    RequiredEkuNotFound {
        /// Chain position.
        position: usize,
        /// The certificate's subject.
        subject: String,
        /// The required purpose OID.
        purpose: String,
    },

    /// A certificate breaks a rule of the RFC 5280 profile, or of the CA/Browser Forum
    /// Baseline Requirements when validating for [`super::Purpose::ServerAuth`].
    #[error("certificate {position} ({subject}) is invalid: {rule}")]
    ProfileViolation {
        /// Chain position.
        position: usize,
        /// The certificate's subject.
        subject: String,
        /// The rule that was broken, in a few words.
        rule: &'static str,
    },

    /// Path building ran out of budget before finding a valid path.
    #[error("path building exceeded the limit of {limit} {resource}")]
    BudgetExceeded {
        /// The exhausted resource, such as `signature checks`.
        resource: &'static str,
        /// The configured limit.
        limit: usize,
    },
}

/// Formats Unix seconds as an RFC 3339 UTC timestamp, such as `2024-03-01T00:00:00Z`.
pub(crate) fn format_time(seconds: i64) -> String {
    crate::time::format_rfc3339(seconds, 0).unwrap_or_else(|| format!("{seconds} Unix seconds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_time(1_709_251_200), "2024-03-01T00:00:00Z");
        assert_eq!(format_time(951_782_400 - 1), "2000-02-28T23:59:59Z");
        assert_eq!(format_time(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn messages_are_lowercase_without_period() {
        let errors = [
            ChainError::MaxDepthExceeded { max_depth: 2 }.to_string(),
            ChainError::BudgetExceeded {
                resource: "signature checks",
                limit: 100,
            }
            .to_string(),
            VerificationError::BadSignature.to_string(),
            VerificationError::NoTrustAnchors.to_string(),
        ];
        for message in errors {
            assert!(!message.ends_with('.'), "{message}");
            assert!(message.starts_with(|c: char| c.is_lowercase()), "{message}");
        }
    }

    #[test]
    fn expired_message_names_position_and_times() {
        let error = ChainError::Expired {
            position: 1,
            subject: "CN=ica".into(),
            not_after: 0,
            time: 60,
        };
        assert_eq!(
            error.to_string(),
            "certificate 1 (CN=ica) expired at 1970-01-01T00:00:00Z, \
             validation time 1970-01-01T00:01:00Z"
        );
    }
}
