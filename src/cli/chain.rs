//! `chain`: validate a certificate chain with the verifier's path validation.

use std::path::PathBuf;
use std::time::SystemTime;

use clap::Args;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use serde_json::Value;
use titus_identity::verification::{validate_chain, ChainPolicy};

use super::verify::load_anchors;
use super::{io, report, Failure, PurposeArg, TimeArg};

#[derive(Debug, Args)]
pub(crate) struct ChainArgs {
    /// PEM file with the trust anchors (root certificates).
    #[arg(long, value_name = "ANCHORS.pem")]
    trust: PathBuf,
    /// PEM file with intermediate certificates to build the path from, in any order.
    #[arg(long, value_name = "POOL.pem")]
    intermediates: Option<PathBuf>,
    /// Validation time, as Unix seconds or RFC 3339 [default: now].
    #[arg(long, value_name = "UNIX_SECONDS|RFC3339")]
    at: Option<TimeArg>,
    /// Extended key usage the leaf must allow: client, server, any or an OID.
    #[arg(long, value_name = "client|server|any|OID", default_value = "client")]
    purpose: PurposeArg,
    /// Maximum number of intermediates between the leaf and the anchor.
    #[arg(long, value_name = "N")]
    max_depth: Option<usize>,
    /// PEM file whose first certificate is the leaf; any others join the pool.
    #[arg(value_name = "LEAF.pem")]
    leaf: PathBuf,
}

pub(crate) fn run(args: &ChainArgs) -> Result<(), Failure> {
    let anchors = load_anchors(&args.trust)?;
    let mut certificates = read_certificates(&args.leaf)?;
    if certificates.is_empty() {
        let name = args.leaf.display();
        return Err(Failure::usage(format!(
            "{name} contains no PEM certificate"
        )));
    }
    let leaf = certificates.remove(0);
    let mut pool = certificates;
    if let Some(path) = &args.intermediates {
        pool.extend(read_certificates(path)?);
    }

    let mut policy = ChainPolicy::default().with_purpose(args.purpose.0.clone());
    if let Some(depth) = args.max_depth {
        policy = policy.with_max_depth(depth);
    }
    let at = args.at.map_or_else(SystemTime::now, |at| at.0);
    let time = titus_identity::time::unix_seconds(at);

    let path = validate_chain(&anchors, &leaf, &pool, time, &policy).map_err(Failure::rejected)?;
    report::print(&report::object(&[
        ("valid", "true".to_owned()),
        ("pathLength", path.length.to_string()),
        ("validFrom", report::time_text(path.not_before).to_string()),
        ("validUntil", report::time_text(path.not_after).to_string()),
        ("leaf", report::leaf_summary(&path.leaf)),
        (
            "signatureChecks",
            Value::from(path.work.signature_checks).to_string(),
        ),
    ]));
    Ok(())
}

fn read_certificates(path: &std::path::Path) -> Result<Vec<Vec<u8>>, Failure> {
    let pem = io::read_file(path)?;
    CertificateDer::pem_slice_iter(&pem)
        .map(|certificate| certificate.map(|der| der.to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            let reason = titus_identity::error::describe_pem_error(&e);
            Failure::usage(format!("{}: invalid PEM: {reason}", path.display()))
        })
}
