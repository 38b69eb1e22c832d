//! Verification throughput: cold (full path building, cache off) and warm (chain cached),
//! each beside the raw aws-lc-rs verifications it needs, and warm verification on one and
//! two threads.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use criterion::{criterion_group, criterion_main, Criterion};
use titus_identity::codec::{self, TaskIdentity, TaskInfo};
use titus_identity::document::DocumentKind;
use titus_identity::signing::{Credentials, Signer, SignerOptions};
use titus_identity::verification::{TrustAnchors, Verifier, VerifierPolicy};
use x509_parser::prelude::{FromDer, X509Certificate};

const DOCUMENT_TIME: u64 = 1_800_000_000;

fn at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(DOCUMENT_TIME)
}

fn verifier(pki: &common::Pki, cache_size: usize) -> Verifier {
    let anchors = TrustAnchors::from_der([&pki.root_der]).expect("anchors");
    let mut policy = VerifierPolicy::default();
    policy.cache_size = cache_size;
    Verifier::new(anchors, policy).expect("verifier")
}

fn document(leaf: &common::Leaf) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let credentials = Credentials::from_pem(leaf.chain_pem.as_bytes(), leaf.key_pem.as_bytes())
        .expect("credentials");
    let signer = Signer::new(credentials, SignerOptions::new()).expect("signer");
    let identity = TaskIdentity {
        task: Some(TaskInfo {
            task_id: Some("bench".to_owned()),
            ..TaskInfo::default()
        }),
        unix_timestamp_sec: Some(DOCUMENT_TIME),
        ..TaskIdentity::default()
    };
    let document = signer.sign_identity(&identity).expect("sign");
    let signed = document.identity.clone().unwrap_or_default();
    let signature = document
        .signature
        .as_ref()
        .and_then(|s| s.signature.clone())
        .unwrap_or_default();
    (
        codec::encode_identity_document(&document),
        signed,
        signature,
    )
}

fn spki_key(der: &[u8]) -> Vec<u8> {
    let (_, certificate) = X509Certificate::from_der(der).expect("certificate");
    certificate.public_key().subject_public_key.data.to_vec()
}

/// A certificate's to-be-signed bytes and signature.
fn signed_parts(der: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (_, certificate) = X509Certificate::from_der(der).expect("certificate");
    let tbs = certificate.tbs_certificate.as_ref().to_vec();
    (tbs, certificate.signature_value.data.to_vec())
}

/// The raw verifications on the path: the document signature with the leaf key, the leaf
/// with the intermediate's P-256 key, and the intermediate with the root's P-384 key.
fn raw_path(pki: &common::Pki, leaf: &common::Leaf, signed: &[u8], signature: &[u8]) -> impl Fn() {
    let document_algorithm: &'static dyn VerificationAlgorithm = match leaf.name {
        "rsa2048" => &signature::RSA_PSS_2048_8192_SHA512,
        "p256" => &signature::ECDSA_P256_SHA512_ASN1,
        _ => &signature::ECDSA_P384_SHA512_ASN1,
    };
    let leaf_key = spki_key(&leaf.chain_der[0]);
    let (leaf_tbs, leaf_signature) = signed_parts(&leaf.chain_der[0]);
    let mid_key = spki_key(&leaf.chain_der[1]);
    let (mid_tbs, mid_signature) = signed_parts(&leaf.chain_der[1]);
    let root_key = spki_key(&pki.root_der);
    let (signed, signature) = (signed.to_vec(), signature.to_vec());

    move || {
        let document = UnparsedPublicKey::new(document_algorithm, &leaf_key);
        let _ = black_box(document.verify(&signed, &signature));
        let by_mid = UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, &mid_key);
        assert!(by_mid.verify(&leaf_tbs, &leaf_signature).is_ok());
        let by_root = UnparsedPublicKey::new(&signature::ECDSA_P384_SHA384_ASN1, &root_key);
        assert!(by_root.verify(&mid_tbs, &mid_signature).is_ok());
    }
}

fn bench_verification(c: &mut Criterion) {
    let pki = common::make_pki();
    let cold = verifier(&pki, 0);
    let warm = verifier(&pki, 64);

    let mut group = c.benchmark_group("verify");
    for leaf in &pki.leaves {
        let (document, signed, signature) = document(leaf);
        let kind = Some(DocumentKind::Identity);
        warm.verify_at(&document, kind, at())
            .expect("warm-up verify");

        group.bench_function(format!("{}/cold", leaf.name), |b| {
            b.iter(|| {
                cold.verify_at(black_box(&document), kind, at())
                    .expect("verify")
            });
        });
        group.bench_function(format!("{}/warm", leaf.name), |b| {
            b.iter(|| {
                warm.verify_at(black_box(&document), kind, at())
                    .expect("verify")
            });
        });

        let raw = raw_path(&pki, leaf, &signed, &signature);
        group.bench_function(format!("{}/raw-path", leaf.name), |b| b.iter(&raw));

        let leaf_key = spki_key(&leaf.chain_der[0]);
        let algorithm: &'static dyn VerificationAlgorithm = match leaf.name {
            "rsa2048" => &signature::RSA_PSS_2048_8192_SHA512,
            "p256" => &signature::ECDSA_P256_SHA512_ASN1,
            _ => &signature::ECDSA_P384_SHA512_ASN1,
        };
        group.bench_function(format!("{}/raw-document", leaf.name), |b| {
            let key = UnparsedPublicKey::new(algorithm, &leaf_key);
            b.iter(|| key.verify(black_box(&signed), &signature));
        });
    }
    group.finish();
}

/// Warm verifications by `threads` threads sharing one verifier, `per_thread` each.
fn run_threads(verifier: &Arc<Verifier>, document: &Arc<Vec<u8>>, threads: usize, per_thread: u64) {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let verifier = Arc::clone(verifier);
            let document = Arc::clone(document);
            std::thread::spawn(move || {
                for _ in 0..per_thread {
                    let kind = Some(DocumentKind::Identity);
                    verifier.verify_at(&document, kind, at()).expect("verify");
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("thread");
    }
}

/// Each iteration is one verification per thread, so with perfect scaling the time per
/// iteration stays the same from one thread to two.
fn bench_threads(c: &mut Criterion) {
    let pki = common::make_pki();
    let verifier = Arc::new(verifier(&pki, 64));
    let leaf = pki
        .leaves
        .iter()
        .find(|l| l.name == "p256")
        .expect("p256 leaf");
    let document = Arc::new(document(leaf).0);

    let mut group = c.benchmark_group("threads");
    for threads in [1usize, 2] {
        group.bench_function(format!("p256-warm/{threads}"), |b| {
            b.iter_custom(|iterations| {
                let start = Instant::now();
                run_threads(&verifier, &document, threads, iterations);
                start.elapsed()
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench_verification, bench_threads
}
criterion_main!(benches);
