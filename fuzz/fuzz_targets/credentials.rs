//! Loads arbitrary signing credentials and trust anchors.
//!
//! Input: a format byte (even: PEM, odd: DER), the key length as two big-endian bytes,
//! the key, then the chain (PEM text, or concatenated DER certificates).
#![no_main]

use libfuzzer_sys::fuzz_target;
use titus_identity::codec::{TaskIdentity, TaskInfo};
use titus_identity::signing::{Credentials, Signer, SignerOptions};
use titus_identity::verification::TrustAnchors;
use titus_identity_fuzz::split_der;

fuzz_target!(|data: &[u8]| {
    let Some((&format, rest)) = data.split_first() else {
        return;
    };
    let Some((length, rest)) = rest.split_first_chunk::<2>() else {
        return;
    };
    let key_length = usize::from(u16::from_be_bytes(*length)).min(rest.len());
    let (key, chain) = rest.split_at(key_length);

    let credentials = if format % 2 == 0 {
        let _ = TrustAnchors::from_pem(chain);
        Credentials::from_pem(chain, key)
    } else {
        let certificates = split_der(chain);
        let _ = TrustAnchors::from_der(&certificates);
        Credentials::from_der(&certificates, key)
    };

    if let Ok(credentials) = credentials {
        assert!(!credentials.chain().is_empty());
        sign_once(credentials);
    }
});

fn sign_once(credentials: Credentials) {
    let options = SignerOptions::new().allow_invalid_leaf_time(true);
    let Ok(signer) = Signer::new(credentials, options) else {
        return;
    };
    let identity = TaskIdentity {
        task: Some(TaskInfo {
            task_id: Some("fuzz".to_owned()),
            ..TaskInfo::default()
        }),
        unix_timestamp_sec: Some(1_700_000_000),
        ..TaskIdentity::default()
    };
    let document = signer.sign_identity(&identity);
    assert!(document.is_ok(), "{:?}", document.err());
}
