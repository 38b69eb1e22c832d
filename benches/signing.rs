//! Signing throughput per algorithm and key type, each beside the raw aws-lc-rs signing
//! operation on the same key and message, so the library's overhead reads as a ratio.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    self, EcdsaKeyPair, EcdsaSigningAlgorithm, RsaKeyPair, RsaSignatureEncoding,
};
use criterion::{criterion_group, criterion_main, Criterion};
use titus_identity::codec::{self, TaskIdentity, TaskInfo};
use titus_identity::signing::{Credentials, Signer, SignerOptions};
use titus_identity::SignatureAlgorithm;

static PSS_SHA256_SALT20: RsaSignatureEncoding =
    signature::RSA_PSS_SHA256.with_pss_salt_length(signature::RsaPssSaltLength::Custom(20));
static PSS_SHA384_SALT20: RsaSignatureEncoding =
    signature::RSA_PSS_SHA384.with_pss_salt_length(signature::RsaPssSaltLength::Custom(20));
static PSS_SHA512_SALT20: RsaSignatureEncoding =
    signature::RSA_PSS_SHA512.with_pss_salt_length(signature::RsaPssSaltLength::Custom(20));

/// A raw signing operation: message in, signature out.
type RawSign = Box<dyn Fn(&[u8]) -> Vec<u8>>;

fn identity() -> TaskIdentity {
    TaskIdentity {
        task: Some(TaskInfo {
            task_id: Some("bench-task".to_owned()),
            status: Some(0),
            ..TaskInfo::default()
        }),
        unix_timestamp_sec: Some(1_800_000_000),
        ipv4_address: Some("192.0.2.10".to_owned()),
        ..TaskIdentity::default()
    }
}

/// The raw operation the signer performs for `algorithm` with a key of this leaf.
fn raw_signer(pkcs8: &[u8], algorithm: SignatureAlgorithm) -> RawSign {
    let rng = SystemRandom::new();
    match algorithm {
        SignatureAlgorithm::Sha256WithRsaAndMgf1
        | SignatureAlgorithm::Sha384WithRsaAndMgf1
        | SignatureAlgorithm::Sha512WithRsaAndMgf1 => {
            let key = RsaKeyPair::from_pkcs8(pkcs8).expect("RSA key");
            let padding: &'static RsaSignatureEncoding = match algorithm {
                SignatureAlgorithm::Sha256WithRsaAndMgf1 => &PSS_SHA256_SALT20,
                SignatureAlgorithm::Sha384WithRsaAndMgf1 => &PSS_SHA384_SALT20,
                _ => &PSS_SHA512_SALT20,
            };
            Box::new(move |message| {
                let mut out = vec![0; key.public_modulus_len()];
                key.sign(padding, &rng, message, &mut out)
                    .expect("RSA sign");
                out
            })
        }
        _ => raw_ecdsa(pkcs8, algorithm, rng),
    }
}

/// Signs with ECDSA as the signer does. With the curve's own hash this uses aws-lc-rs's
/// signing constant, and other pairs hash with the named hash and sign the digest.
fn raw_ecdsa(pkcs8: &[u8], algorithm: SignatureAlgorithm, rng: SystemRandom) -> RawSign {
    let curves: [(&'static EcdsaSigningAlgorithm, usize); 2] = [
        (&signature::ECDSA_P256_SHA256_ASN1_SIGNING, 32),
        (&signature::ECDSA_P384_SHA384_ASN1_SIGNING, 48),
    ];
    let (curve, key) = curves
        .into_iter()
        .find_map(|(curve, size)| {
            EcdsaKeyPair::from_pkcs8(curve, pkcs8)
                .ok()
                .map(|k| (size, k))
        })
        .expect("EC key on P-256 or P-384");
    let native = algorithm.hash().output_len() == curve;
    Box::new(move |message| {
        if native {
            return key
                .sign(&rng, message)
                .expect("ECDSA sign")
                .as_ref()
                .to_vec();
        }
        let hashed = digest::digest(algorithm.hash().digest_algorithm(), message);
        let native_digest = if curve == 32 {
            &digest::SHA256
        } else {
            &digest::SHA384
        };
        let mut bytes = vec![0u8; curve];
        let take = curve.min(hashed.as_ref().len());
        bytes[curve - take..].copy_from_slice(&hashed.as_ref()[..take]);
        let imported = digest::Digest::import_less_safe(&bytes, native_digest).expect("digest");
        key.sign_digest(&imported)
            .expect("ECDSA sign")
            .as_ref()
            .to_vec()
    })
}

fn bench_signing(c: &mut Criterion) {
    let pki = common::make_pki();
    let identity = identity();
    let message = codec::encode_task_identity(&identity);
    let cases = [
        ("rsa2048", SignatureAlgorithm::Sha256WithRsaAndMgf1),
        ("rsa2048", SignatureAlgorithm::Sha384WithRsaAndMgf1),
        ("rsa2048", SignatureAlgorithm::Sha512WithRsaAndMgf1),
        ("p256", SignatureAlgorithm::Sha256WithEcdsa),
        ("p256", SignatureAlgorithm::Sha512WithEcdsa),
        ("p384", SignatureAlgorithm::Sha384WithEcdsa),
        ("p384", SignatureAlgorithm::Sha512WithEcdsa),
    ];

    let mut group = c.benchmark_group("sign");
    for (leaf_name, algorithm) in cases {
        let leaf = pki
            .leaves
            .iter()
            .find(|l| l.name == leaf_name)
            .expect("leaf");
        let credentials = Credentials::from_pem(leaf.chain_pem.as_bytes(), leaf.key_pem.as_bytes())
            .expect("credentials");
        let options = SignerOptions::new().with_algorithm(algorithm);
        let signer = Signer::new(credentials, options).expect("signer");
        let raw = raw_signer(&leaf.pkcs8, algorithm);

        let id = format!("{leaf_name}/{algorithm}");
        group.bench_function(format!("{id}/library"), |b| {
            b.iter(|| signer.sign_identity(black_box(&identity)).expect("sign"));
        });
        group.bench_function(format!("{id}/raw"), |b| b.iter(|| raw(black_box(&message))));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench_signing
}
criterion_main!(benches);
