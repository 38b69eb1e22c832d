//! `verify`: check a document and print the identity it carries.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use clap::Args;
use serde_json::Value;
use titus_identity::verification::{TrustAnchors, Verified, Verifier, VerifierPolicy};
use titus_identity::Error;

use super::{io, report, Failure, KindArg, MaxAge, PurposeArg, TimeArg};

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// PEM file with the trust anchors (root certificates).
    #[arg(long, value_name = "ANCHORS.pem")]
    trust: PathBuf,
    /// Document kind; `auto` detects JSON or protobuf, and identity or pod.
    #[arg(long, value_enum, default_value = "auto")]
    kind: KindArg,
    /// Validation time, as Unix seconds or RFC 3339 [default: now].
    #[arg(long, value_name = "UNIX_SECONDS|RFC3339")]
    at: Option<TimeArg>,
    /// Maximum document age in seconds, or `off` to skip the document time check.
    #[arg(long, value_name = "SECONDS|off", default_value = "300")]
    max_age: MaxAge,
    /// Require the document's ipv4Address or ipv6Address to be this address.
    #[arg(long, value_name = "ADDR")]
    expect_ip: Option<IpAddr>,
    /// Require the document's task id to be this value.
    #[arg(long, value_name = "ID")]
    expect_task: Option<String>,
    /// Extended key usage the signing certificate must allow: client, server, any or an
    /// OID.
    #[arg(long, value_name = "client|server|any|OID", default_value = "client")]
    purpose: PurposeArg,
    /// The document file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    input: Option<PathBuf>,
}

pub(crate) fn run(args: &VerifyArgs) -> Result<(), Failure> {
    let verifier = build_verifier(args)?;
    let limit = verifier.policy().limits.max_document_bytes;
    let document = io::read_input(args.input.as_deref(), limit)?;
    let at = args.at.map_or_else(SystemTime::now, |at| at.0);

    let verified = verifier
        .verify_at(&document, args.kind.kind(), at)
        .map_err(|error| classify(&error))?;
    report::print(&verified_report(&verified));
    Ok(())
}

fn build_verifier(args: &VerifyArgs) -> Result<Verifier, Failure> {
    let anchors = load_anchors(&args.trust)?;
    let mut policy = VerifierPolicy::default();
    policy.chain = policy.chain.with_purpose(args.purpose.0.clone());
    policy.max_age = args.max_age.0;
    policy.expected_ip = args.expect_ip;
    policy.expected_task_id.clone_from(&args.expect_task);
    Verifier::new(anchors, policy).map_err(Failure::usage)
}

pub(crate) fn load_anchors(path: &Path) -> Result<TrustAnchors, Failure> {
    let pem = io::read_file(path)?;
    TrustAnchors::from_pem(&pem)
        .map_err(|e| Failure::usage(format!("trust anchors {}: {e}", path.display())))
}

/// Maps a verification error to exit code 1 (rejected), except file errors, which are
/// usage errors.
fn classify(error: &Error) -> Failure {
    match error {
        Error::Io { .. } => Failure::usage(error),
        _ => Failure::rejected(error),
    }
}

fn verified_report(verified: &Verified) -> String {
    report::object(&[
        ("verified", "true".to_owned()),
        ("kind", Value::from(verified.kind().name()).to_string()),
        (
            "algorithm",
            Value::from(verified.algorithm().name()).to_string(),
        ),
        (
            "documentTime",
            report::time_text(verified.document_time()).to_string(),
        ),
        ("pathLength", verified.path_length().to_string()),
        ("signer", report::leaf_summary(verified.leaf())),
        ("identity", report::identity_json(verified.identity())),
    ])
}
