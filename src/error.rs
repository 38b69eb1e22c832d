//! The crate's error types: one enum per layer, and [`enum@Error`] that wraps them all.

use thiserror::Error;

pub use crate::signing::SigningError;
pub use crate::verification::{ChainError, VerificationError};

/// Any error this crate returns.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// Protobuf or JSON input could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),

    /// A document could not be signed, or signing credentials could not be loaded.
    #[error(transparent)]
    Signing(#[from] SigningError),

    /// A document or certificate chain failed verification.
    #[error(transparent)]
    Verification(#[from] VerificationError),

    /// A file could not be read or written.
    #[error("{operation} {path}: {source}")]
    Io {
        /// The operation, such as `read` or `write`.
        operation: &'static str,
        /// The file's path.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Protobuf or JSON input that is malformed, too large, or not of the expected shape.
///
/// Field paths are written as `Message.field`, for example `CertificateSignature.algorithm`
/// or, for JSON, the path of keys from the root such as `identity.container.shmSizeMB`.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is larger than the configured maximum.
    #[error("input is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The configured maximum in bytes.
        limit: usize,
    },

    /// `certChain` contains more certificates than the configured maximum.
    #[error("certChain has {count} entries, more than the limit of {limit}")]
    TooManyCertificates {
        /// Number of entries seen (counting stops just past the limit).
        count: usize,
        /// The configured maximum.
        limit: usize,
    },

    /// One `certChain` entry is larger than the configured maximum.
    #[error("certChain[{index}] is {size} bytes, more than the limit of {limit} bytes")]
    CertificateTooLarge {
        /// Position in `certChain`, 0 for the leaf.
        index: usize,
        /// Size of the entry in bytes.
        size: usize,
        /// The configured maximum in bytes.
        limit: usize,
    },

    /// Messages are nested deeper than the configured maximum.
    #[error("messages are nested more than {limit} levels deep")]
    NestingTooDeep {
        /// The configured maximum depth.
        limit: usize,
    },

    /// The protobuf bytes of a message are malformed.
    #[error("invalid {message} protobuf: {reason}")]
    Protobuf {
        /// The message type being decoded, such as `TaskIdentityDocument`.
        message: &'static str,
        /// The protobuf decoder's message.
        reason: String,
    },

    /// A field that the document needs is absent.
    #[error("missing required field {field}")]
    MissingField {
        /// Field path, such as `TaskIdentityDocument.signature`.
        field: &'static str,
    },

    /// `algorithm` contains a number that is not a known `SignatureAlgorithm`.
    #[error("unknown SignatureAlgorithm number {number}")]
    UnknownSignatureAlgorithm {
        /// The number found.
        number: i32,
    },

    /// An algorithm name is not one of the six `SignatureAlgorithm` names.
    #[error("unknown SignatureAlgorithm name {name:?}")]
    UnknownSignatureAlgorithmName {
        /// The name found.
        name: String,
    },

    /// The input is not well-formed JSON.
    #[error("invalid JSON at line {line}, column {column}: {reason}")]
    Json {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The JSON parser's message.
        reason: String,
    },

    /// A JSON object has a key that the schema does not define.
    #[error("unknown JSON field {path}")]
    UnknownJsonField {
        /// Path of the unknown key.
        path: String,
    },

    /// A JSON object has the same key twice.
    #[error("duplicate JSON field {path}")]
    DuplicateJsonField {
        /// Path of the repeated key.
        path: String,
    },

    /// A JSON value has the wrong type or is out of range for its field.
    #[error("invalid value for {path}: expected {expected}, found {found}")]
    InvalidJsonValue {
        /// Path of the field.
        path: String,
        /// The values the field accepts.
        expected: &'static str,
        /// A short description of the value found.
        found: String,
    },

    /// A bytes field is not standard, padded base64 without whitespace.
    #[error("invalid base64 in {path}: {reason}")]
    InvalidBase64 {
        /// Path of the field.
        path: String,
        /// The base64 decoder's message.
        reason: String,
    },

    /// The kind of a document could not be detected from its bytes.
    #[error("cannot tell the document kind: {reason}")]
    UndeterminedKind {
        /// The reason the kind is unclear.
        reason: &'static str,
    },

    /// A required JSON field is absent or `null`.
    #[error("missing required JSON field {path}")]
    MissingJsonField {
        /// Path of the field.
        path: String,
    },
}

/// Describes a PEM parsing error without the input bytes, which rustls-pki-types puts in
/// its own messages and which may be key material.
#[must_use]
pub fn describe_pem_error(error: &rustls_pki_types::pem::Error) -> String {
    use rustls_pki_types::pem::Error as PemError;

    match error {
        PemError::MissingSectionEnd { .. } => "a PEM block has no END line".to_owned(),
        PemError::IllegalSectionStart { .. } => "a PEM BEGIN line is malformed".to_owned(),
        PemError::Base64Decode(_) => "a PEM block is not valid base64".to_owned(),
        PemError::NoItemsFound => "no PEM block found".to_owned(),
        PemError::SectionTooLarge => "a PEM block is too large".to_owned(),
        other => format!("PEM input could not be read ({})", pem_error_kind(other)),
    }
}

fn pem_error_kind(error: &rustls_pki_types::pem::Error) -> &'static str {
    match error {
        rustls_pki_types::pem::Error::Io(_) => "I/O error",
        _ => "unknown error",
    }
}

impl DecodeError {
    pub(crate) fn protobuf(message: &'static str, error: &prost::DecodeError) -> Self {
        Self::Protobuf {
            message,
            reason: error.to_string(),
        }
    }
}
