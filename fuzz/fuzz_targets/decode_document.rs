//! Feeds arbitrary bytes to kind detection and to the envelope parser of every kind,
//! decodes what parses, and verifies it against a fixed trust anchor.
#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use titus_identity::codec::{self, DecodeLimits};
use titus_identity::document::{DocumentKind, SignedDocument};
use titus_identity::verification::{Verifier, VerifierPolicy};
use titus_identity_fuzz::{anchors, VALIDATION_TIME};

const KINDS: [DocumentKind; 3] = [
    DocumentKind::Identity,
    DocumentKind::Pod,
    DocumentKind::String,
];

fuzz_target!(|data: &[u8]| {
    let limits = DecodeLimits::default();

    if let Ok(kind) = DocumentKind::detect(data, &limits) {
        let parsed = SignedDocument::parse(data, kind, &limits);
        if let Ok(document) = parsed {
            assert_eq!(document.kind, kind);
            assert!(!document.cert_chain.is_empty());
            assert!(document.cert_chain.len() <= limits.max_chain_entries);
        }
    }

    for kind in KINDS {
        if let Ok(document) = SignedDocument::parse(data, kind, &limits) {
            decode_signed_bytes(&document, &limits);
            verify(data, kind);
        }
    }
});

fn decode_signed_bytes(document: &SignedDocument, limits: &DecodeLimits) {
    match document.kind {
        DocumentKind::Pod => {
            let _ = codec::decode_task_pod_identity(&document.signed_bytes, limits);
        }
        DocumentKind::Identity | DocumentKind::String => {
            let _ = codec::decode_task_identity(&document.signed_bytes, limits);
        }
    }
}

/// Verifies the document as of the fixed validation time, with any document age allowed
/// so that the seeds stay valid.
fn verify(data: &[u8], kind: DocumentKind) {
    let verified = verifier().verify_at(data, Some(kind), validation_time());
    if let Ok(verified) = verified {
        assert_eq!(verified.kind(), kind);
        assert!(verified.path_length() >= 2);
    }
}

fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        let mut policy = VerifierPolicy::default();
        policy.max_age = None;
        Verifier::new(anchors().clone(), policy).expect("the seed anchor is valid")
    })
}

fn validation_time() -> SystemTime {
    let seconds = u64::try_from(VALIDATION_TIME).expect("positive time");
    UNIX_EPOCH + Duration::from_secs(seconds)
}
