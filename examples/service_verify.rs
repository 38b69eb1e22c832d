//! The service side: load trust anchors, verify a caller's document, and use the
//! identity it carries.
//!
//! ```text
//! cargo run --example service_verify -- TRUST.pem DOCUMENT
//! ```

use std::process::ExitCode;

use titus_identity::verification::{TrustAnchors, VerifiedIdentity, Verifier, VerifierPolicy};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [trust, document] = args.as_slice() else {
        eprintln!("usage: service_verify TRUST.pem DOCUMENT");
        return ExitCode::from(2);
    };
    match verify(trust, document) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("service_verify: rejected: {error}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn verify(trust: &str, document: &str) -> Result<(), Box<dyn std::error::Error>> {
    // Build the verifier once and share it: it caches validated chains.
    let anchors = TrustAnchors::from_pem(&std::fs::read(trust)?)?;
    let verifier = Verifier::new(anchors, VerifierPolicy::default())?;

    // `None` detects the document kind from its bytes.
    let verified = verifier.verify(&std::fs::read(document)?, None)?;

    let task_id = match verified.identity() {
        VerifiedIdentity::Task(identity) => identity.task.as_ref().and_then(|t| t.task_id.clone()),
        VerifiedIdentity::Pod(pod) => pod.task_info.task_id.clone(),
        _ => None,
    };
    println!(
        "caller is task {} (signed by {}, {})",
        task_id.unwrap_or_default(),
        verified.leaf().subject,
        verified.algorithm()
    );
    Ok(())
}
