//! Feeds arbitrary bytes to kind detection and to the envelope parser of every kind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use titus_identity::codec::{self, DecodeLimits};
use titus_identity::document::{DocumentKind, SignedDocument};

const KINDS: [DocumentKind; 3] = [DocumentKind::Identity, DocumentKind::Pod, DocumentKind::String];

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
