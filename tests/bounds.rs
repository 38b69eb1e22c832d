//! Hostile inputs: each must end in a typed error after bounded work, and without
//! exhausting the stack. Every case runs on a thread with a 256 KiB stack, well below
//! the 2 MiB default of test threads, so deep recursion fails the test as a crash.

mod common;
mod pki;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use prost::Message;
use rcgen::{CertifiedIssuer, KeyIdMethod};
use titus_identity::codec::{
    self, CertificateSignature, DecodeLimits, TaskIdentityDocument, TaskPodIdentityDocument,
};
use titus_identity::document::{DocumentKind, SignedDocument};
use titus_identity::signing::{Credentials, Signer, SignerOptions};
use titus_identity::verification::{
    validate_chain, Budget, ChainError, ChainPolicy, TrustAnchors, VerificationError, Verifier,
    VerifierPolicy,
};
use titus_identity::{DecodeError, Error};

const SMALL_STACK: usize = 256 * 1024;

/// Runs `check` on a thread with a small stack and fails if it panics or overflows.
fn on_small_stack(check: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(check)
        .expect("spawn test thread")
        .join()
        .expect("check panicked");
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn push_key(out: &mut Vec<u8>, field: u32, wire_type: u8) {
    push_varint(out, u64::from(field) << 3 | u64::from(wire_type));
}

fn signature_with_chain(chain: Vec<Vec<u8>>) -> CertificateSignature {
    CertificateSignature {
        signature: Some(vec![0x30, 0x00]),
        algorithm: Some(5),
        cert_chain: chain,
    }
}

fn identity_document(identity: Vec<u8>, chain: Vec<Vec<u8>>) -> Vec<u8> {
    TaskIdentityDocument {
        identity: Some(identity),
        signature: Some(signature_with_chain(chain)),
    }
    .encode_to_vec()
}

fn pod_document(pod_identity: Vec<u8>, chain: Vec<Vec<u8>>) -> Vec<u8> {
    TaskPodIdentityDocument {
        pod_identity: Some(pod_identity),
        signature: Some(signature_with_chain(chain)),
    }
    .encode_to_vec()
}

fn string_document(chain: &[Vec<u8>]) -> Vec<u8> {
    let entries: Vec<String> = chain.iter().map(|der| STANDARD.encode(der)).collect();
    let document = serde_json::json!({
        "identity": {"unixTimestampSec": 1_700_000_000u64},
        "signature": {"signature": "MAA=", "algorithm": 5, "certChain": entries},
    });
    serde_json::to_vec(&document).expect("serialize JSON")
}

fn identity_bytes() -> Vec<u8> {
    codec::encode_task_identity(&common::sample_identity())
}

fn pod_bytes() -> Vec<u8> {
    codec::encode_task_pod_identity(&common::sample_pod_identity())
}

fn parse(bytes: &[u8], kind: DocumentKind, limits: &DecodeLimits) -> Result<(), DecodeError> {
    SignedDocument::parse(bytes, kind, limits).map(|_| ())
}

fn too_many(limits: &DecodeLimits) -> Result<(), DecodeError> {
    Err(DecodeError::TooManyCertificates {
        count: limits.max_chain_entries + 1,
        limit: limits.max_chain_entries,
    })
}

#[test]
fn chain_of_10000_small_entries() {
    on_small_stack(|| {
        let limits = DecodeLimits::default();
        let chain = vec![vec![0x30, 0x00]; 10_000];

        let identity = identity_document(identity_bytes(), chain.clone());
        let pod = pod_document(pod_bytes(), chain.clone());
        let string = string_document(&chain);

        assert_eq!(
            parse(&identity, DocumentKind::Identity, &limits),
            too_many(&limits)
        );
        assert_eq!(parse(&pod, DocumentKind::Pod, &limits), too_many(&limits));
        assert_eq!(
            parse(&string, DocumentKind::String, &limits),
            too_many(&limits)
        );
    });
}

#[test]
fn chain_of_10000_certificates() {
    on_small_stack(|| {
        let leaf = common::cached_pair(common::KeyKind::P256);
        let chain = vec![leaf.chain_der[0].clone(); 10_000];
        let document = identity_document(identity_bytes(), chain.clone());
        let string = string_document(&chain);

        let default_limits = DecodeLimits::default();
        let too_large = parse(&document, DocumentKind::Identity, &default_limits);
        assert!(
            matches!(too_large, Err(DecodeError::TooLarge { .. })),
            "{too_large:?}"
        );
        let too_large = parse(&string, DocumentKind::String, &default_limits);
        assert!(
            matches!(too_large, Err(DecodeError::TooLarge { .. })),
            "{too_large:?}"
        );

        let roomy = DecodeLimits {
            max_document_bytes: 64 << 20,
            ..DecodeLimits::default()
        };
        assert_eq!(
            parse(&document, DocumentKind::Identity, &roomy),
            too_many(&roomy)
        );
        assert_eq!(
            parse(&string, DocumentKind::String, &roomy),
            too_many(&roomy)
        );
    });
}

#[test]
fn chain_of_201_entries_in_document() {
    on_small_stack(|| {
        let limits = DecodeLimits::default();
        let chain = vec![vec![0x30, 0x00]; 201];
        let document = identity_document(identity_bytes(), chain);

        assert_eq!(
            parse(&document, DocumentKind::Identity, &limits),
            too_many(&limits)
        );
    });
}

const ROOT_NAME: &str = "Bounds Root CA";
const INTERMEDIATE_NAME: &str = "Bounds Intermediate CA";
const DECOY_COUNT: usize = 200;

/// A leaf, its genuine intermediate, the root, and 200 decoy intermediates.
///
/// Every decoy has the genuine intermediate's subject, issuer name and subject key
/// identifier, but its own key, and is signed by a fake root with the real root's name.
/// Neither names nor key identifiers can tell the genuine issuer apart, so a path builder
/// must check signatures to find it.
struct LookAlikeChain {
    root: Vec<u8>,
    leaf: Vec<u8>,
    leaf_key: Vec<u8>,
    intermediate: Vec<u8>,
    decoys: Vec<Vec<u8>>,
}

fn look_alike_chain() -> LookAlikeChain {
    let key_id = KeyIdMethod::PreSpecified(vec![0x42; 20]);
    let root = CertifiedIssuer::self_signed(
        pki::ca_params(ROOT_NAME, None),
        pki::ec_key(&rcgen::PKCS_ECDSA_P256_SHA256),
    )
    .expect("self-sign root");
    let fake_root = CertifiedIssuer::self_signed(
        pki::ca_params(ROOT_NAME, None),
        pki::ec_key(&rcgen::PKCS_ECDSA_P256_SHA256),
    )
    .expect("self-sign fake root");

    let mut params = pki::ca_params(INTERMEDIATE_NAME, Some(0));
    params.key_identifier_method = key_id;
    let intermediate = CertifiedIssuer::signed_by(
        params.clone(),
        pki::ec_key(&rcgen::PKCS_ECDSA_P256_SHA256),
        &root,
    )
    .expect("sign intermediate");

    let leaf_key = pki::ec_key(&rcgen::PKCS_ECDSA_P256_SHA256);
    let leaf = pki::leaf_params("bounds-leaf")
        .signed_by(&leaf_key, &intermediate)
        .expect("sign leaf");

    let decoys = (0..DECOY_COUNT)
        .map(|_| {
            let key = pki::ec_key(&rcgen::PKCS_ECDSA_P256_SHA256);
            let decoy = params.signed_by(&key, &fake_root).expect("sign decoy");
            decoy.der().to_vec()
        })
        .collect();

    LookAlikeChain {
        root: root.der().to_vec(),
        leaf: leaf.der().to_vec(),
        leaf_key: leaf_key.serialize_der(),
        intermediate: intermediate.der().to_vec(),
        decoys,
    }
}

fn unix_now() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970");
    i64::try_from(now.as_secs()).expect("time fits i64")
}

/// Returns the default policy with room for `work` signature checks and build steps.
fn budget(work: usize) -> ChainPolicy {
    ChainPolicy::default().with_budget(Budget {
        signature_checks: work,
        build_steps: work,
        ..Budget::default()
    })
}

#[test]
fn look_alike_intermediates_exhaust_budget() {
    let chain = look_alike_chain();
    let anchors = TrustAnchors::from_der([&chain.root]).expect("anchor");
    let mut pool = chain.decoys.clone();
    pool.push(chain.intermediate.clone());

    let policy = ChainPolicy::default();
    let result = validate_chain(&anchors, &chain.leaf, &pool, unix_now(), &policy);

    let limit = policy.budget.signature_checks;
    assert!(
        limit < DECOY_COUNT,
        "the default budget must end the search"
    );
    assert!(
        matches!(result, Err(ChainError::BudgetExceeded { .. })),
        "{result:?}"
    );
}

#[test]
fn look_alike_intermediates_without_issuer() {
    let chain = look_alike_chain();
    let anchors = TrustAnchors::from_der([&chain.root]).expect("anchor");

    let result = validate_chain(
        &anchors,
        &chain.leaf,
        &chain.decoys,
        unix_now(),
        &budget(10 * DECOY_COUNT),
    );

    let error = result.expect_err("no decoy issued the leaf");
    assert!(
        !matches!(error, ChainError::BudgetExceeded { .. }),
        "each decoy should cost one failed check: {error:?}"
    );
}

#[test]
fn look_alike_intermediates_work_is_linear() {
    let chain = look_alike_chain();
    let anchors = TrustAnchors::from_der([&chain.root]).expect("anchor");
    let mut pool = chain.decoys.clone();
    pool.push(chain.intermediate.clone());

    let path = validate_chain(
        &anchors,
        &chain.leaf,
        &pool,
        unix_now(),
        &budget(10 * DECOY_COUNT),
    )
    .expect("the genuine intermediate is in the pool");

    assert_eq!(path.length, 3);
    assert!(
        path.work.signature_checks <= DECOY_COUNT + 2,
        "{:?}",
        path.work
    );
    assert!(
        path.work.build_steps <= 2 * (DECOY_COUNT + 2),
        "{:?}",
        path.work
    );
}

/// Signs a document whose certChain is the leaf, the 200 decoys and then the genuine
/// intermediate.
fn look_alike_document(chain: &LookAlikeChain) -> Vec<u8> {
    let mut certificates = vec![chain.leaf.clone()];
    certificates.extend(chain.decoys.iter().cloned());
    certificates.push(chain.intermediate.clone());
    let credentials = Credentials::from_der(&certificates, &chain.leaf_key).expect("load");
    let signer = Signer::new(credentials, SignerOptions::new()).expect("signer");

    let mut identity = common::sample_identity();
    identity.unix_timestamp_sec = Some(u64::try_from(unix_now()).expect("time fits"));
    let document = signer.sign_identity(&identity).expect("sign");
    codec::encode_identity_document(&document)
}

fn look_alike_verifier(chain: &LookAlikeChain, limits: DecodeLimits) -> Verifier {
    let anchors = TrustAnchors::from_der([&chain.root]).expect("anchor");
    let mut policy = VerifierPolicy::default();
    policy.limits = limits;
    Verifier::new(anchors, policy).expect("verifier")
}

#[test]
fn look_alike_document_is_rejected() {
    let chain = look_alike_chain();
    let document = look_alike_document(&chain);

    let verifier = look_alike_verifier(&chain, DecodeLimits::default());
    for kind in [Some(DocumentKind::Identity), None] {
        let result = verifier.verify(&document, kind);
        assert!(
            matches!(
                result,
                Err(Error::Decode(DecodeError::TooManyCertificates { .. }))
            ),
            "{kind:?}: {result:?}"
        );
    }

    let roomy = DecodeLimits {
        max_chain_entries: 256,
        ..DecodeLimits::default()
    };
    let verifier = look_alike_verifier(&chain, roomy);
    let result = verifier.verify(&document, Some(DocumentKind::Identity));
    assert!(
        matches!(
            result,
            Err(Error::Verification(VerificationError::Chain(
                ChainError::BudgetExceeded { .. }
            )))
        ),
        "{result:?}"
    );
}

/// Returns TaskIdentity bytes with a varint timestamp (field 3) and then `depth` nested
/// groups of an unknown field, all closed.
fn identity_with_nested_groups(depth: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    push_key(&mut bytes, 3, 0);
    push_varint(&mut bytes, 1_700_000_000);
    for _ in 0..depth {
        push_key(&mut bytes, 99, 3);
    }
    for _ in 0..depth {
        push_key(&mut bytes, 99, 4);
    }
    bytes
}

#[test]
fn identity_with_10000_nested_groups() {
    on_small_stack(|| {
        let limits = DecodeLimits::default();
        let identity = identity_with_nested_groups(10_000);
        let nesting = Err(DecodeError::NestingTooDeep {
            limit: limits.max_nesting_depth,
        });

        assert_eq!(
            codec::decode_task_identity(&identity, &limits).map(|_| ()),
            nesting
        );
        assert_eq!(
            codec::decode_task_pod_identity(&identity, &limits).map(|_| ()),
            nesting
        );

        let document = identity_document(identity.clone(), vec![vec![0x30, 0x00]]);
        let kind = DocumentKind::detect(&document, &limits);
        assert_eq!(kind, Ok(DocumentKind::Identity));
        let parsed =
            SignedDocument::parse(&document, DocumentKind::Identity, &limits).expect("parse");
        assert_eq!(parsed.signed_bytes, identity);
    });
}

#[test]
fn document_with_10000_nested_groups() {
    on_small_stack(|| {
        let limits = DecodeLimits::default();
        let mut document = identity_document(identity_bytes(), vec![vec![0x30, 0x00]]);
        for _ in 0..10_000 {
            push_key(&mut document, 99, 3);
        }
        for _ in 0..10_000 {
            push_key(&mut document, 99, 4);
        }
        let nesting = Err(DecodeError::NestingTooDeep {
            limit: limits.max_nesting_depth,
        });

        assert_eq!(parse(&document, DocumentKind::Identity, &limits), nesting);
        assert_eq!(parse(&document, DocumentKind::Pod, &limits), nesting);
        assert!(DocumentKind::detect(&document, &limits).is_err());
    });
}

#[test]
fn unclosed_nested_groups() {
    on_small_stack(|| {
        let limits = DecodeLimits::default();
        let mut identity = Vec::new();
        for _ in 0..10_000 {
            push_key(&mut identity, 7, 3);
        }

        let result = codec::decode_task_identity(&identity, &limits);
        assert!(
            matches!(result, Err(DecodeError::NestingTooDeep { .. })),
            "{result:?}"
        );
    });
}

#[test]
fn json_nested_10000_levels() {
    on_small_stack(|| {
        let limits = DecodeLimits::default();
        let mut json = String::from("{\"identity\":");
        json.push_str(&"[".repeat(10_000));
        json.push_str(&"]".repeat(10_000));
        json.push('}');

        let result = SignedDocument::parse(json.as_bytes(), DocumentKind::String, &limits);
        assert!(
            matches!(
                result,
                Err(DecodeError::Json { .. } | DecodeError::NestingTooDeep { .. })
            ),
            "{result:?}"
        );
    });
}

/// Returns the bytes of `field` with wire type 2 and a length prefix of 0xFFFFFFFF, and
/// only `tail` after it.
fn huge_length_prefix(field: u32, tail: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    push_key(&mut bytes, field, 2);
    push_varint(&mut bytes, 0xFFFF_FFFF);
    bytes.extend_from_slice(tail);
    bytes
}

#[test]
fn length_prefix_of_u32_max() {
    on_small_stack(|| {
        let limits = DecodeLimits::default();
        let envelope = huge_length_prefix(1, b"abc");

        for kind in [DocumentKind::Identity, DocumentKind::Pod] {
            let result = parse(&envelope, kind, &limits);
            assert!(
                matches!(result, Err(DecodeError::Protobuf { .. })),
                "{kind}: {result:?}"
            );
        }
        assert!(DocumentKind::detect(&envelope, &limits).is_err());

        let identity = huge_length_prefix(2, b"abc");
        let result = codec::decode_task_identity(&identity, &limits);
        assert!(
            matches!(result, Err(DecodeError::Protobuf { .. })),
            "{result:?}"
        );
    });
}

#[test]
fn certificate_length_prefix_of_u32_max() {
    on_small_stack(|| {
        let limits = DecodeLimits::default();
        let mut signature = Vec::new();
        push_key(&mut signature, 2, 0);
        push_varint(&mut signature, 5);
        signature.extend(huge_length_prefix(3, &[0x30; 16]));

        let mut document = Vec::new();
        push_key(&mut document, 1, 2);
        let identity = identity_bytes();
        push_varint(&mut document, identity.len() as u64);
        document.extend(identity);
        push_key(&mut document, 2, 2);
        push_varint(&mut document, signature.len() as u64);
        document.extend(signature);

        let result = parse(&document, DocumentKind::Identity, &limits);
        assert!(
            matches!(result, Err(DecodeError::Protobuf { .. })),
            "{result:?}"
        );
    });
}
