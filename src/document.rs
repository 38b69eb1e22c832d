//! The three signed document kinds, and the parts of each that a verifier checks.

pub mod json;

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::algorithm::SignatureAlgorithm;
use crate::codec::wire::{self, WireType};
use crate::codec::{
    self, CertificateSignature, DecodeLimits, TaskIdentity, TaskIdentityStringDocument,
};
use crate::error::DecodeError;

/// Field number of `unixTimestampSec` in TaskIdentity and `requestTimestamp` in
/// TaskPodIdentity. Its wire type distinguishes the two.
const TIMESTAMP_FIELD: u32 = 3;

/// The kind of a signed document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// `TaskIdentityDocument`: protobuf, signing `TaskIdentity` bytes.
    Identity,
    /// `TaskPodIdentityDocument`: protobuf, signing `TaskPodIdentity` bytes.
    Pod,
    /// `TaskIdentityStringDocument`: JSON, signing the deterministic encoding of the
    /// `TaskIdentity` it carries.
    String,
}

impl DocumentKind {
    /// The kind's short name: `identity`, `pod` or `string`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Pod => "pod",
            Self::String => "string",
        }
    }

    /// Tells the kind of a document from its bytes.
    ///
    /// JSON (first non-blank byte `{`) is a string document. Otherwise the identity bytes
    /// in field 1 are inspected: field 3 is a varint in TaskIdentity
    /// (`unixTimestampSec`) and length-delimited in TaskPodIdentity (`requestTimestamp`).
    /// Without a field 3 the document is taken as a TaskIdentityDocument.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UndeterminedKind`] when the bytes are empty or not a protobuf
    /// envelope, and the limit errors of [`DecodeLimits`] for oversized envelopes.
    pub fn detect(bytes: &[u8], limits: &DecodeLimits) -> Result<Self, DecodeError> {
        let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
        match first {
            None => Err(undetermined("the input is empty")),
            Some(b'{') => Ok(Self::String),
            Some(_) => detect_protobuf_kind(bytes, limits),
        }
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn undetermined(reason: &'static str) -> DecodeError {
    DecodeError::UndeterminedKind { reason }
}

/// Tells identity from pod by field 3 of the signed bytes. Limit errors are returned as
/// they are, and a document without field 3 is taken as an identity document, so that
/// verification reports the missing timestamp.
fn detect_protobuf_kind(bytes: &[u8], limits: &DecodeLimits) -> Result<DocumentKind, DecodeError> {
    let document = match codec::decode_identity_document(bytes, limits) {
        Ok(document) => document,
        Err(DecodeError::Protobuf { .. }) => {
            return Err(undetermined(
                "the input is neither JSON nor a protobuf document",
            ));
        }
        Err(limit_error) => return Err(limit_error),
    };
    let identity = document.identity.unwrap_or_default();

    match wire::wire_type_of_field(&identity, TIMESTAMP_FIELD) {
        Some(WireType::LengthDelimited) => Ok(DocumentKind::Pod),
        _ => Ok(DocumentKind::Identity),
    }
}

/// What a verifier needs from a document of any kind, before the identity is decoded.
#[derive(Clone, PartialEq)]
pub struct SignedDocument {
    /// The document's kind.
    pub kind: DocumentKind,
    /// The bytes the signature covers: the identity bytes as received, or for a string
    /// document the deterministic encoding of its identity.
    pub signed_bytes: Vec<u8>,
    /// The raw signature.
    pub signature: Vec<u8>,
    /// The signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// The certificate chain in DER, leaf first.
    pub cert_chain: Vec<Vec<u8>>,
    /// The identity a string document carries, already decoded.
    pub(crate) string_identity: Option<TaskIdentity>,
}

impl fmt::Debug for SignedDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedDocument")
            .field("kind", &self.kind)
            .field("signed_bytes", &self.signed_bytes.len())
            .field("algorithm", &self.algorithm)
            .field("cert_chain", &self.cert_chain.len())
            .finish_non_exhaustive()
    }
}

impl SignedDocument {
    /// Decodes the envelope of a document of the given kind and checks that the
    /// signature fields are present, the algorithm is known and the chain is within
    /// `limits`. The identity itself is not decoded, except in a string document.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] for oversized or malformed input,
    /// [`DecodeError::MissingField`] naming an absent field,
    /// [`DecodeError::UnknownSignatureAlgorithm`] for an algorithm number outside 0 to 5,
    /// and the chain limit errors.
    pub fn parse(
        bytes: &[u8],
        kind: DocumentKind,
        limits: &DecodeLimits,
    ) -> Result<Self, DecodeError> {
        match kind {
            DocumentKind::Identity => parse_identity(bytes, limits),
            DocumentKind::Pod => parse_pod(bytes, limits),
            DocumentKind::String => parse_string(bytes, limits),
        }
    }

    /// The identity carried by a string document, decoded from its JSON.
    pub fn string_identity(&self) -> Option<&TaskIdentity> {
        self.string_identity.as_ref()
    }
}

fn parse_identity(bytes: &[u8], limits: &DecodeLimits) -> Result<SignedDocument, DecodeError> {
    let document = codec::decode_identity_document(bytes, limits)?;
    let signed_bytes = document.identity.ok_or(DecodeError::MissingField {
        field: "TaskIdentityDocument.identity",
    })?;
    let signature = document.signature.ok_or(DecodeError::MissingField {
        field: "TaskIdentityDocument.signature",
    })?;
    from_signature(DocumentKind::Identity, signed_bytes, signature)
}

fn parse_pod(bytes: &[u8], limits: &DecodeLimits) -> Result<SignedDocument, DecodeError> {
    let document = codec::decode_pod_document(bytes, limits)?;
    let signed_bytes = document.pod_identity.ok_or(DecodeError::MissingField {
        field: "TaskPodIdentityDocument.podIdentity",
    })?;
    let signature = document.signature.ok_or(DecodeError::MissingField {
        field: "TaskPodIdentityDocument.signature",
    })?;
    from_signature(DocumentKind::Pod, signed_bytes, signature)
}

fn from_signature(
    kind: DocumentKind,
    signed_bytes: Vec<u8>,
    signature: CertificateSignature,
) -> Result<SignedDocument, DecodeError> {
    let algorithm = signature.algorithm.ok_or(DecodeError::MissingField {
        field: "CertificateSignature.algorithm",
    })?;
    let algorithm = SignatureAlgorithm::from_number(algorithm)?;
    let signature_bytes = signature.signature.ok_or(DecodeError::MissingField {
        field: "CertificateSignature.signature",
    })?;
    if signature.cert_chain.is_empty() {
        return Err(DecodeError::MissingField {
            field: "CertificateSignature.certChain",
        });
    }

    Ok(SignedDocument {
        kind,
        signed_bytes,
        signature: signature_bytes,
        algorithm,
        cert_chain: signature.cert_chain,
        string_identity: None,
    })
}

fn parse_string(bytes: &[u8], limits: &DecodeLimits) -> Result<SignedDocument, DecodeError> {
    let document: TaskIdentityStringDocument = json::string_document_from_json(bytes, limits)?;
    let identity = document.identity.ok_or(DecodeError::MissingField {
        field: "TaskIdentityStringDocument.identity",
    })?;
    let signature = document.signature.ok_or(DecodeError::MissingField {
        field: "TaskIdentityStringDocument.signature",
    })?;

    let algorithm = signature.algorithm.ok_or(DecodeError::MissingField {
        field: "CertificateStringSignature.algorithm",
    })?;
    let algorithm = SignatureAlgorithm::from_number(algorithm)?;
    let signature_text = signature.signature.ok_or(DecodeError::MissingField {
        field: "CertificateStringSignature.signature",
    })?;
    let cert_chain = decode_string_chain(&signature.cert_chain, limits)?;

    Ok(SignedDocument {
        kind: DocumentKind::String,
        signed_bytes: codec::encode_task_identity(&identity),
        signature: decode_base64(&signature_text, "signature.signature")?,
        algorithm,
        cert_chain,
        string_identity: Some(identity),
    })
}

/// Decodes the base64 certChain entries of a string document, checking the chain limits
/// before each entry is decoded.
fn decode_string_chain(
    entries: &[String],
    limits: &DecodeLimits,
) -> Result<Vec<Vec<u8>>, DecodeError> {
    if entries.is_empty() {
        return Err(DecodeError::MissingField {
            field: "CertificateStringSignature.certChain",
        });
    }
    let mut chain = Vec::with_capacity(entries.len().min(limits.max_chain_entries));
    for (index, entry) in entries.iter().enumerate() {
        let padding = entry
            .bytes()
            .rev()
            .take_while(|b| *b == b'=')
            .count()
            .min(2);
        let decoded_len = (entry.len() / 4 * 3).saturating_sub(padding);
        limits.check_chain_entry(index, decoded_len)?;
        chain.push(decode_base64(
            entry,
            &format!("signature.certChain[{index}]"),
        )?);
    }
    Ok(chain)
}

fn decode_base64(text: &str, path: &str) -> Result<Vec<u8>, DecodeError> {
    STANDARD
        .decode(text.as_bytes())
        .map_err(|e| DecodeError::InvalidBase64 {
            path: path.to_owned(),
            reason: e.to_string(),
        })
}
