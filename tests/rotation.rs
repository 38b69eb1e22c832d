//! Replacing the certificate and key of a `RotatingSigner` while threads sign.

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use common::{make_pair, sample_identity, sample_pod_identity, verify_with_own_leaf, KeyKind};
use titus_identity::codec::encode_task_identity;
use titus_identity::signing::{Credentials, RotatingSigner, SignerOptions, SigningError};
use titus_identity::Error;

const SWAPS: usize = 1_000;
const SIGNING_THREADS: usize = 3;

fn credentials(pair: &common::TestPair) -> Credentials {
    Credentials::from_der(&pair.chain_der, &pair.key_der).expect("load")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("titus-rotation-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

#[test]
fn documents_stay_consistent_across_swaps() {
    // An RSA and an EC pair, so a document mixing the two could not verify.
    let pairs = [make_pair(KeyKind::Rsa2048), make_pair(KeyKind::P256)];
    let signer = Arc::new(
        RotatingSigner::new(credentials(&pairs[0]), SignerOptions::new()).expect("signer"),
    );
    let done = Arc::new(AtomicBool::new(false));
    let signed = Arc::new(AtomicUsize::new(0));

    let workers: Vec<_> = (0..SIGNING_THREADS)
        .map(|_| {
            let (signer, done, signed) = (signer.clone(), done.clone(), signed.clone());
            thread::spawn(move || sign_until_done(&signer, &done, &signed))
        })
        .collect();

    for swap in 0..SWAPS {
        // Every 100 swaps, wait for new signatures so that signing overlaps the swaps.
        if swap % 100 == 0 {
            wait_for_more_signatures(&signed);
        }
        let pair = &pairs[(swap + 1) % pairs.len()];
        signer.replace(credentials(pair)).expect("replace");
    }
    done.store(true, Ordering::Relaxed);

    let mut chains_seen = 0;
    for worker in workers {
        chains_seen |= worker.join().expect("signing thread panicked");
    }
    assert_eq!(chains_seen, 0b11, "every thread combined saw both pairs");
    assert!(signed.load(Ordering::Relaxed) >= SIGNING_THREADS);
}

fn wait_for_more_signatures(signed: &AtomicUsize) {
    let start = signed.load(Ordering::Relaxed);
    while signed.load(Ordering::Relaxed) < start + SIGNING_THREADS {
        thread::yield_now();
    }
}

/// Signs and verifies until `done`; returns a bit set of the key types seen (1 RSA, 2 EC).
fn sign_until_done(signer: &RotatingSigner, done: &AtomicBool, signed: &AtomicUsize) -> u8 {
    let identity = sample_identity();
    let message = encode_task_identity(&identity);
    let mut seen = 0;
    while !done.load(Ordering::Relaxed) || seen == 0 {
        let document = signer.sign_identity(&identity).expect("sign");
        let signature = document.signature.expect("signature");
        assert_eq!(document.identity.as_deref(), Some(message.as_slice()));
        verify_with_own_leaf(&signature, &message).expect("verifies against its own chain");

        seen |= if signature.algorithm == Some(2) { 1 } else { 2 };
        signed.fetch_add(1, Ordering::Relaxed);
    }
    seen
}

#[test]
fn reload_keeps_old_pair_on_error() {
    let dir = temp_dir("reload");
    let first = make_pair(KeyKind::P384);
    let second = make_pair(KeyKind::P384);
    let expired = common::make_pair_valid(KeyKind::P384, (2001, 1, 1), (2002, 1, 1));

    let write = |name: &str, contents: &str| {
        let path = dir.join(name);
        std::fs::write(&path, contents).expect("write");
        path
    };
    let chain1 = write("chain1.pem", &first.chain_pem);
    let key1 = write("key1.pem", &first.key_pem);
    let chain2 = write("chain2.pem", &second.chain_pem);
    let key2 = write("key2.pem", &second.key_pem);
    let expired_chain = write("expired-chain.pem", &expired.chain_pem);
    let expired_key = write("expired-key.pem", &expired.key_pem);

    let signer = RotatingSigner::from_files(&chain1, &key1, SignerOptions::new()).expect("load");
    let leaf_of = |signer: &RotatingSigner| {
        let document = signer
            .sign_pod_identity(&sample_pod_identity())
            .expect("sign");
        document.signature.expect("signature").cert_chain[0].clone()
    };
    assert_eq!(leaf_of(&signer), first.chain_der[0]);

    let mismatched = signer.reload_from_files(&chain2, &key1);
    assert!(matches!(
        mismatched,
        Err(Error::Signing(SigningError::KeyMismatch))
    ));
    let missing = signer.reload_from_files(dir.join("absent.pem"), &key2);
    assert!(matches!(missing, Err(Error::Io { .. })));
    let outdated = signer.reload_from_files(&expired_chain, &expired_key);
    assert!(matches!(
        outdated,
        Err(Error::Signing(SigningError::LeafNotValid { .. }))
    ));
    assert_eq!(
        leaf_of(&signer),
        first.chain_der[0],
        "old pair kept after errors"
    );

    signer.reload_from_files(&chain2, &key2).expect("reload");
    assert_eq!(leaf_of(&signer), second.chain_der[0]);

    std::fs::remove_dir_all(&dir).expect("remove temp dir");
}

#[test]
fn current_signer_outlives_a_swap() {
    let first = make_pair(KeyKind::P256);
    let second = make_pair(KeyKind::P256);
    let signer = RotatingSigner::new(credentials(&first), SignerOptions::new()).expect("signer");

    let previous = signer.current();
    signer.replace(credentials(&second)).expect("replace");

    let old = previous
        .sign_identity(&sample_identity())
        .expect("sign with previous signer");
    assert_eq!(
        old.signature.expect("signature").cert_chain,
        first.chain_der
    );
    let new = signer.sign_identity(&sample_identity()).expect("sign");
    assert_eq!(
        new.signature.expect("signature").cert_chain,
        second.chain_der
    );
}
