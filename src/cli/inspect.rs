//! `inspect`: decode a document without verifying it.

use std::path::PathBuf;

use clap::Args;
use serde_json::Value;
use titus_identity::codec::{self, DecodeLimits};
use titus_identity::document::{json, DocumentKind, SignedDocument};

use super::{io, report, Failure, KindArg};

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// Document kind; `auto` detects JSON or protobuf, and identity or pod.
    #[arg(long, value_enum, default_value = "auto")]
    kind: KindArg,
    /// The document file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    input: Option<PathBuf>,
}

pub(crate) fn run(args: &InspectArgs) -> Result<(), Failure> {
    let limits = DecodeLimits::default();
    let document = io::read_input(args.input.as_deref(), limits.max_document_bytes)?;
    let kind = match args.kind.kind() {
        Some(kind) => kind,
        None => DocumentKind::detect(&document, &limits).map_err(Failure::rejected)?,
    };
    let signed = SignedDocument::parse(&document, kind, &limits).map_err(Failure::rejected)?;

    let identity = identity_json(&signed, &limits)?;
    let certificates: Vec<Value> = signed
        .cert_chain
        .iter()
        .enumerate()
        .map(|(index, der)| report::certificate_summary(index, der))
        .collect();

    report::print(&report::object(&[
        ("verified", "false".to_owned()),
        (
            "warning",
            Value::from("decoded without verification; do not trust").to_string(),
        ),
        ("kind", Value::from(kind.name()).to_string()),
        (
            "algorithm",
            Value::from(signed.algorithm.name()).to_string(),
        ),
        ("identity", identity),
        ("certificates", Value::from(certificates).to_string()),
    ]));
    Ok(())
}

fn identity_json(signed: &SignedDocument, limits: &DecodeLimits) -> Result<String, Failure> {
    if let Some(identity) = signed.string_identity() {
        return Ok(json::task_identity_to_json(identity));
    }
    match signed.kind {
        DocumentKind::Pod => codec::decode_task_pod_identity(&signed.signed_bytes, limits)
            .map(|pod| json::task_pod_identity_to_json(&pod)),
        _ => codec::decode_task_identity(&signed.signed_bytes, limits)
            .map(|identity| json::task_identity_to_json(&identity)),
    }
    .map_err(Failure::rejected)
}
