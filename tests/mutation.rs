//! Mutation test: 10,000 bit flips, truncations, insertions and splices of valid signed
//! documents of every kind. No mutant may panic a parser, and a mutant may verify only
//! when its signed bytes, algorithm, signature and chain are those of a valid document.

mod pki;
mod samples;

use std::time::{SystemTime, UNIX_EPOCH};

use titus_identity::codec::{self, encode_identity_document, encode_pod_document, DecodeLimits};
use titus_identity::document::{json, DocumentKind, SignedDocument};
use titus_identity::signing::{Credentials, Signer, SignerOptions};
use titus_identity::verification::{
    validate_chain, ChainError, ChainPolicy, TrustAnchors, Verifier, VerifierPolicy,
};
use titus_identity::SignatureAlgorithm;

const MUTANTS: usize = 10_000;
const KINDS: [DocumentKind; 3] = [
    DocumentKind::Identity,
    DocumentKind::Pod,
    DocumentKind::String,
];

/// xorshift64*: a fixed seed makes every run test the same mutants.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Returns a number in `0..bound`, or 0 when `bound` is 0.
    fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            return 0;
        }
        (self.next() % bound as u64) as usize
    }
}

/// A valid document and what it signs.
struct Original {
    bytes: Vec<u8>,
    parsed: SignedDocument,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

fn signer(key_type: pki::LeafKey, algorithm: SignatureAlgorithm) -> Signer {
    let leaf = pki::get().leaf(key_type);
    let credentials = Credentials::from_der(&leaf.chain_der, &leaf.key_der).expect("load");
    Signer::new(credentials, SignerOptions::new().with_algorithm(algorithm)).expect("signer")
}

/// Signs one document of each kind with an RSA and an EC key.
fn originals() -> Vec<Original> {
    let now = unix_now();
    let identity = samples::rich_identity(now);
    let pod_identity = samples::rich_pod_identity(i64::try_from(now).expect("time fits"));
    let signers = [
        signer(
            pki::LeafKey::Rsa2048,
            SignatureAlgorithm::Sha512WithRsaAndMgf1,
        ),
        signer(pki::LeafKey::P256, SignatureAlgorithm::Sha256WithEcdsa),
    ];

    let mut documents = Vec::new();
    for signer in &signers {
        let document = signer.sign_identity(&identity).expect("sign identity");
        documents.push((DocumentKind::Identity, encode_identity_document(&document)));
        let document = signer.sign_pod_identity(&pod_identity).expect("sign pod");
        documents.push((DocumentKind::Pod, encode_pod_document(&document)));
        let document = signer.sign_identity_string(&identity).expect("sign string");
        let text = json::string_document_to_json(&document);
        documents.push((DocumentKind::String, text.into_bytes()));
    }

    documents
        .into_iter()
        .map(|(kind, bytes)| {
            let parsed = SignedDocument::parse(&bytes, kind, &DecodeLimits::default())
                .expect("parse original");
            let verified = verifier().verify(&bytes, Some(kind));
            assert!(
                verified.is_ok(),
                "original {kind} must verify: {verified:?}"
            );
            Original { bytes, parsed }
        })
        .collect()
}

/// Returns a verifier that trusts the test root CA and accepts any document age, so
/// the test does not depend on how long it runs.
fn verifier() -> Verifier {
    let anchors = TrustAnchors::from_der([&pki::get().root_der]).expect("anchor");
    let mut policy = VerifierPolicy::default();
    policy.max_age = None;
    Verifier::new(anchors, policy).expect("verifier")
}

fn flip_bit(rng: &mut Rng, bytes: &mut [u8]) {
    let index = rng.below(bytes.len());
    bytes[index] ^= 1 << rng.below(8);
}

fn truncate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let length = rng.below(bytes.len());
    bytes.truncate(length);
}

fn insert(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let at = rng.below(bytes.len() + 1);
    let count = 1 + rng.below(16);
    let inserted: Vec<u8> = (0..count).map(|_| rng.next() as u8).collect();
    bytes.splice(at..at, inserted);
}

/// Joins a prefix of `bytes` to a suffix of `other`.
fn splice(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    let cut = rng.below(bytes.len() + 1);
    let from = rng.below(other.len() + 1);
    bytes.truncate(cut);
    bytes.extend_from_slice(&other[from..]);
}

/// Copies a range of the document over another place in it.
fn duplicate_range(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let start = rng.below(bytes.len());
    let length = 1 + rng.below(64.min(bytes.len() - start));
    let copied = bytes[start..start + length].to_vec();
    let at = rng.below(bytes.len() + 1);
    bytes.splice(at..at, copied);
}

fn mutate(rng: &mut Rng, originals: &[Original]) -> Vec<u8> {
    let mut bytes = originals[rng.below(originals.len())].bytes.clone();
    match rng.below(5) {
        0 => flip_bit(rng, &mut bytes),
        1 => truncate(rng, &mut bytes),
        2 => insert(rng, &mut bytes),
        3 => {
            let other = rng.below(originals.len());
            splice(rng, &mut bytes, &originals[other].bytes);
        }
        _ => duplicate_range(rng, &mut bytes),
    }
    bytes
}

/// Checks that a parsed mutant carries what a valid original signed: the same signed bytes,
/// algorithm, signature and leaf, and no certificate outside the original chain.
///
/// Repeats are allowed because protobuf appends a repeated field that occurs twice, so a
/// splice can list the same certificates again, and path building skips exact duplicates.
fn matches_original(parsed: &SignedDocument, originals: &[Original]) -> bool {
    originals.iter().any(|original| {
        let signed = &original.parsed;
        parsed.signed_bytes == signed.signed_bytes
            && parsed.algorithm == signed.algorithm
            && parsed.signature == signed.signature
            && parsed.cert_chain[0] == signed.cert_chain[0]
            && parsed.cert_chain[1..]
                .iter()
                .all(|entry| signed.cert_chain.contains(entry) || is_malformed(entry))
    })
}

/// Checks that the crate rejects `der` as a malformed certificate.
///
/// The verifier rejects a certChain with a malformed entry, so a verified mutant never
/// has one. The check still allows it, so that it fails only on a real escape.
fn is_malformed(der: &[u8]) -> bool {
    let anchors = TrustAnchors::from_der([&pki::get().root_der]).expect("anchor");
    let result = validate_chain(&anchors, der, &[] as &[Vec<u8>], 0, &ChainPolicy::default());
    matches!(result, Err(ChainError::Malformed { position: 0, .. }))
}

/// What happened to the mutants, for the summary and the sanity checks.
#[derive(Debug, Default)]
struct Tally {
    parsed: usize,
    verified: usize,
    rejected_after_parse: usize,
}

/// Runs every decoder on a mutant. They may fail but must not panic.
fn decode_everything(bytes: &[u8], limits: &DecodeLimits) {
    let _ = DocumentKind::detect(bytes, limits);
    let _ = json::string_document_from_json(bytes, limits);
    let _ = json::task_identity_from_json(bytes, limits);
    let _ = json::task_pod_identity_from_json(bytes, limits);
    let _ = json::identity_document_from_json(bytes, limits);
    let _ = json::pod_document_from_json(bytes, limits);
    let _ = codec::decode_task_identity(bytes, limits);
    let _ = codec::decode_task_pod_identity(bytes, limits);
}

fn check_mutant(bytes: &[u8], originals: &[Original], verifier: &Verifier, tally: &mut Tally) {
    let limits = DecodeLimits::default();
    decode_everything(bytes, &limits);

    for kind in KINDS {
        let Ok(parsed) = SignedDocument::parse(bytes, kind, &limits) else {
            continue;
        };
        tally.parsed += 1;
        let _ = codec::decode_task_identity(&parsed.signed_bytes, &limits);
        let _ = codec::decode_task_pod_identity(&parsed.signed_bytes, &limits);

        if verifier.verify(bytes, Some(kind)).is_ok() {
            tally.verified += 1;
            assert!(
                matches_original(&parsed, originals),
                "a changed {kind} document verified: {parsed:?}, input {}",
                String::from_utf8_lossy(bytes)
            );
        } else {
            tally.rejected_after_parse += 1;
        }
    }
}

#[test]
fn mutants_never_verify_when_changed() {
    let originals = originals();
    let verifier = verifier();
    let mut rng = Rng(0x7469_7475_735f_6964);
    let mut tally = Tally::default();

    for _ in 0..MUTANTS {
        let mutant = mutate(&mut rng, &originals);
        check_mutant(&mutant, &originals, &verifier, &mut tally);
    }

    println!("{MUTANTS} mutants: {tally:?}");
    assert!(tally.parsed > 0, "no mutant parsed: {tally:?}");
    assert!(
        tally.rejected_after_parse > 0,
        "no parsed mutant was rejected"
    );
}
