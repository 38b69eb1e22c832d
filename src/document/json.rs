//! The JSON form of identities and documents.
//!
//! Output has the shape the deployed Titus Go agent writes with `encoding/json` over
//! protoc-gen-go structs: proto field names as keys in declaration order, enums and 64-bit
//! integers as JSON numbers, bytes as standard padded base64, maps as objects, absent
//! fields omitted, and `google.protobuf.Timestamp` as `{"seconds":…,"nanos":…}`.
//!
//! Input accepts that shape and the protobuf JSON shape: enum names, integers as decimal
//! strings, Timestamp as an RFC 3339 string, and `null` for an absent field. Unknown and
//! duplicate keys are errors, because a string document whose fields are not all known
//! cannot be re-encoded to the bytes that were signed.

mod messages;
mod reader;
mod value;
mod writer;

use crate::codec::{
    DecodeLimits, TaskIdentity, TaskIdentityDocument, TaskIdentityStringDocument, TaskPodIdentity,
    TaskPodIdentityDocument,
};
use crate::error::DecodeError;

/// Writes a `TaskIdentity` as JSON.
pub fn task_identity_to_json(identity: &TaskIdentity) -> String {
    let mut out = String::new();
    messages::write_task_identity(&mut out, identity);
    out
}

/// Reads a `TaskIdentity` from JSON in either input shape.
///
/// # Errors
///
/// A [`DecodeError`] naming the field path for malformed JSON, unknown or duplicate keys,
/// values of the wrong type or range, and invalid base64; [`DecodeError::TooLarge`] or
/// [`DecodeError::NestingTooDeep`] when `limits` are exceeded.
pub fn task_identity_from_json(
    json: &[u8],
    limits: &DecodeLimits,
) -> Result<TaskIdentity, DecodeError> {
    let value = value::parse(json, limits)?;
    messages::read_task_identity(&value, "")
}

/// Writes a `TaskPodIdentity` as JSON.
pub fn task_pod_identity_to_json(identity: &TaskPodIdentity) -> String {
    let mut out = String::new();
    messages::write_task_pod_identity(&mut out, identity);
    out
}

/// Reads a `TaskPodIdentity` from JSON in either input shape.
///
/// # Errors
///
/// As [`task_identity_from_json`], and [`DecodeError::MissingJsonField`] when `taskInfo`
/// or `requestTimestamp` is absent. An absent `pod` reads as empty, because Go's
/// `encoding/json` omits an empty `pod`.
pub fn task_pod_identity_from_json(
    json: &[u8],
    limits: &DecodeLimits,
) -> Result<TaskPodIdentity, DecodeError> {
    let value = value::parse(json, limits)?;
    messages::read_task_pod_identity(&value, "")
}

/// Writes a `TaskIdentityStringDocument` as JSON: the string document itself.
pub fn string_document_to_json(document: &TaskIdentityStringDocument) -> String {
    let mut out = String::new();
    messages::write_string_document(&mut out, document);
    out
}

/// Reads a `TaskIdentityStringDocument` from JSON.
///
/// `signature.signature` and each `signature.certChain` entry must be standard padded
/// base64; they are kept as text.
///
/// # Errors
///
/// As [`task_identity_from_json`].
pub fn string_document_from_json(
    json: &[u8],
    limits: &DecodeLimits,
) -> Result<TaskIdentityStringDocument, DecodeError> {
    let value = value::parse(json, limits)?;
    messages::read_string_document(&value, "")
}

/// Writes a `TaskIdentityDocument` as JSON, with `identity` as base64.
pub fn identity_document_to_json(document: &TaskIdentityDocument) -> String {
    let mut out = String::new();
    messages::write_identity_document(&mut out, document);
    out
}

/// Reads a `TaskIdentityDocument` from JSON.
///
/// # Errors
///
/// As [`task_identity_from_json`].
pub fn identity_document_from_json(
    json: &[u8],
    limits: &DecodeLimits,
) -> Result<TaskIdentityDocument, DecodeError> {
    let value = value::parse(json, limits)?;
    messages::read_identity_document(&value, "")
}

/// Writes a `TaskPodIdentityDocument` as JSON, with `podIdentity` as base64.
pub fn pod_document_to_json(document: &TaskPodIdentityDocument) -> String {
    let mut out = String::new();
    messages::write_pod_document(&mut out, document);
    out
}

/// Reads a `TaskPodIdentityDocument` from JSON.
///
/// # Errors
///
/// As [`task_identity_from_json`].
pub fn pod_document_from_json(
    json: &[u8],
    limits: &DecodeLimits,
) -> Result<TaskPodIdentityDocument, DecodeError> {
    let value = value::parse(json, limits)?;
    messages::read_pod_document(&value, "")
}
