//! The document verifier end to end, on a PKI built at test time: each document kind,
//! freshness, caller binding, the verified-chain cache and tampered documents.

use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prost::Message;
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, RsaKeySize,
};
use titus_identity::codec::{
    self, CertificateSignature, TaskIdentity, TaskIdentityDocument, TaskInfo, TaskPodIdentity,
    Timestamp,
};
use titus_identity::document::{json, DocumentKind};
use titus_identity::signing::{Credentials, Signer, SignerOptions};
use titus_identity::verification::{
    ChainError, TrustAnchors, VerificationError, VerifiedIdentity, Verifier, VerifierPolicy,
};
use titus_identity::{DecodeError, Error, SignatureAlgorithm};

const T: u64 = 1_800_000_000;

struct Pki {
    root_der: Vec<u8>,
    rsa: Signer,
    ec: Signer,
}

fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    params.use_authority_key_identifier_extension = true;
    params
}

fn make_pki(name: &str) -> Pki {
    let root_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).expect("root key");
    let root_params = ca_params(&format!("{name} root"));
    let root = root_params.self_signed(&root_key).expect("root");
    let root_issuer = Issuer::new(root_params, root_key);

    let mid_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("mid key");
    let mid_params = ca_params(&format!("{name} intermediate"));
    let mid = mid_params
        .signed_by(&mid_key, &root_issuer)
        .expect("intermediate");
    let mid_issuer = Issuer::new(mid_params, mid_key);

    let signer = |key: KeyPair, leaf_name: &str| {
        let mut params = CertificateParams::new(vec![format!("{leaf_name}.test")]).expect("leaf");
        params
            .distinguished_name
            .push(DnType::CommonName, leaf_name);
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.use_authority_key_identifier_extension = true;
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2100, 1, 1);
        let leaf = params.signed_by(&key, &mid_issuer).expect("leaf");
        let chain = format!("{}{}", leaf.pem(), mid.pem());
        let credentials = Credentials::from_pem(chain.as_bytes(), key.serialize_pem().as_bytes())
            .expect("credentials");
        let options = SignerOptions::new().with_time_source(|| UNIX_EPOCH + Duration::from_secs(T));
        Signer::new(credentials, options).expect("signer")
    };

    let rsa_key = KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_2048);
    let ec_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256);
    Pki {
        root_der: root.der().to_vec(),
        rsa: signer(rsa_key.expect("RSA key"), "agent-rsa"),
        ec: signer(ec_key.expect("EC key"), "agent-ec"),
    }
}

fn pki() -> &'static Pki {
    static PKI: std::sync::OnceLock<Pki> = std::sync::OnceLock::new();
    PKI.get_or_init(|| make_pki("verifier test"))
}

fn make_verifier(policy: VerifierPolicy) -> Verifier {
    let anchors = TrustAnchors::from_der([&pki().root_der]).expect("anchors");
    Verifier::new(anchors, policy).expect("verifier")
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn identity() -> TaskIdentity {
    TaskIdentity {
        task: Some(TaskInfo {
            task_id: Some("task-7".to_owned()),
            status: Some(0),
            ..TaskInfo::default()
        }),
        unix_timestamp_sec: Some(T),
        ipv4_address: Some("192.0.2.7".to_owned()),
        ipv6_address: Some("2001:db8::7".to_owned()),
        ..TaskIdentity::default()
    }
}

fn pod() -> TaskPodIdentity {
    TaskPodIdentity {
        task_info: TaskInfo {
            task_id: Some("task-7".to_owned()),
            ..TaskInfo::default()
        },
        pod: b"{\"kind\":\"Pod\"}".to_vec(),
        request_timestamp: Timestamp {
            seconds: i64::try_from(T).expect("fits"),
            nanos: 0,
        },
        ipv4_address: Some("192.0.2.7".to_owned()),
        ipv6_address: None,
    }
}

fn sign(signer: &Signer, kind: DocumentKind) -> Vec<u8> {
    match kind {
        DocumentKind::Identity => {
            codec::encode_identity_document(&signer.sign_identity(&identity()).expect("sign"))
        }
        DocumentKind::Pod => {
            codec::encode_pod_document(&signer.sign_pod_identity(&pod()).expect("sign"))
        }
        _ => {
            let document = signer.sign_identity_string(&identity()).expect("sign");
            json::string_document_to_json(&document).into_bytes()
        }
    }
}

const KINDS: [DocumentKind; 3] = [
    DocumentKind::Identity,
    DocumentKind::Pod,
    DocumentKind::String,
];

fn verification_error(result: Result<titus_identity::Verified, Error>) -> VerificationError {
    match result {
        Err(Error::Verification(error)) => error,
        other => panic!("expected a verification error, got {other:?}"),
    }
}

#[test]
fn every_kind_verifies_with_both_keys() {
    let verifier = make_verifier(VerifierPolicy::default());
    for signer in [&pki().rsa, &pki().ec] {
        for kind in KINDS {
            let document = sign(signer, kind);
            let verified = verifier.verify_at(&document, Some(kind), at(T));
            let verified = verified.unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(verified.kind(), kind);
            assert_eq!(verified.algorithm(), signer.algorithm());
            assert_eq!(verified.path_length(), 3);
            assert_eq!(
                verified.document_time(),
                i64::try_from(T).unwrap_or_default()
            );
            assert!(
                verified.leaf().subject.contains("agent-"),
                "{}",
                verified.leaf().subject
            );
        }
    }
}

#[test]
fn kind_is_detected() {
    let verifier = make_verifier(VerifierPolicy::default());
    for kind in KINDS {
        let document = sign(&pki().ec, kind);
        let verified = verifier.verify_at(&document, None, at(T)).expect("verify");
        assert_eq!(verified.kind(), kind);
        match (kind, verified.identity()) {
            (DocumentKind::Pod, VerifiedIdentity::Pod(pod)) => {
                assert_eq!(pod.task_info.task_id.as_deref(), Some("task-7"));
            }
            (_, VerifiedIdentity::Task(task)) => assert_eq!(**task, identity()),
            (kind, other) => panic!("{kind}: unexpected identity {other:?}"),
        }
    }
}

#[test]
fn freshness_bounds_are_inclusive() {
    let verifier = make_verifier(VerifierPolicy::default());
    let document = sign(&pki().ec, DocumentKind::Identity);
    let kind = Some(DocumentKind::Identity);

    assert!(verifier.verify_at(&document, kind, at(T + 300)).is_ok());
    assert!(verifier.verify_at(&document, kind, at(T - 60)).is_ok());

    let old = verification_error(verifier.verify_at(&document, kind, at(T + 301)));
    assert!(
        matches!(old, VerificationError::DocumentTooOld { max_age: 300, .. }),
        "{old:?}"
    );
    let future = verification_error(verifier.verify_at(&document, kind, at(T - 61)));
    assert!(
        matches!(future, VerificationError::DocumentFromFuture { .. }),
        "{future:?}"
    );
}

#[test]
fn freshness_is_configurable_and_can_be_off() {
    let mut policy = VerifierPolicy::default();
    policy.max_age = Some(Duration::from_secs(10));
    policy.future_skew = Duration::from_secs(0);
    let strict = make_verifier(policy);
    let document = sign(&pki().rsa, DocumentKind::Pod);
    let kind = Some(DocumentKind::Pod);
    assert!(strict.verify_at(&document, kind, at(T + 11)).is_err());
    assert!(strict.verify_at(&document, kind, at(T - 1)).is_err());
    assert!(strict.verify_at(&document, kind, at(T + 10)).is_ok());

    let mut archival = VerifierPolicy::default();
    archival.max_age = None;
    let archival = make_verifier(archival);
    assert!(archival
        .verify_at(&document, kind, at(T + 86_400 * 365))
        .is_ok());
}

#[test]
fn missing_timestamp_is_rejected() {
    let verifier = make_verifier(VerifierPolicy::default());
    let mut unstamped = identity();
    unstamped.unix_timestamp_sec = None;
    let bytes = codec::encode_task_identity(&unstamped);
    let signature = pki().ec.sign_message(&bytes).expect("sign bytes");
    let document = TaskIdentityDocument {
        identity: Some(bytes),
        signature: Some(signature),
    };
    let encoded = codec::encode_identity_document(&document);

    let error =
        verification_error(verifier.verify_at(&encoded, Some(DocumentKind::Identity), at(T)));
    assert!(
        matches!(error, VerificationError::MissingTimestamp { .. }),
        "{error:?}"
    );
}

#[test]
fn caller_address_is_compared_as_address() {
    let document = sign(&pki().ec, DocumentKind::Identity);
    let kind = Some(DocumentKind::Identity);
    for (expected, accepted) in [
        ("192.0.2.7", true),
        ("2001:DB8:0:0::7", true),
        ("::ffff:192.0.2.7", true),
        ("192.0.2.8", false),
        ("2001:db8::8", false),
    ] {
        let mut policy = VerifierPolicy::default();
        policy.expected_ip = Some(expected.parse::<IpAddr>().expect("address"));
        let result = make_verifier(policy).verify_at(&document, kind, at(T));
        assert_eq!(result.is_ok(), accepted, "{expected}: {result:?}");
        if !accepted {
            let error = verification_error(result);
            assert!(
                matches!(error, VerificationError::AddressMismatch { .. }),
                "{error:?}"
            );
        }
    }
}

#[test]
fn expected_task_id_is_enforced() {
    for kind in KINDS {
        let document = sign(&pki().rsa, kind);
        let mut policy = VerifierPolicy::default();
        policy.expected_task_id = Some("task-7".to_owned());
        assert!(make_verifier(policy.clone())
            .verify_at(&document, Some(kind), at(T))
            .is_ok());

        policy.expected_task_id = Some("task-8".to_owned());
        let error =
            verification_error(make_verifier(policy).verify_at(&document, Some(kind), at(T)));
        assert!(
            matches!(error, VerificationError::TaskIdMismatch { .. }),
            "{error:?}"
        );
    }
}

#[test]
fn cache_skips_path_building_within_window() {
    let verifier = make_verifier(VerifierPolicy::default());
    let document = sign(&pki().ec, DocumentKind::Identity);
    let kind = Some(DocumentKind::Identity);

    let first = verifier.verify_at(&document, kind, at(T)).expect("first");
    assert!(!first.chain_from_cache());
    let second = verifier
        .verify_at(&document, kind, at(T + 1))
        .expect("second");
    assert!(second.chain_from_cache());
    assert_eq!(verifier.cached_chains(), 1);

    let mut archival = VerifierPolicy::default();
    archival.max_age = None;
    let archival = make_verifier(archival);
    archival.verify_at(&document, kind, at(T)).expect("warm");
    let after_expiry = 4_200_000_000;
    let error = verification_error(archival.verify_at(&document, kind, at(after_expiry)));
    assert!(
        matches!(error, VerificationError::Chain(ChainError::Expired { .. })),
        "{error:?}"
    );
}

#[test]
fn cache_is_bounded() {
    let mut policy = VerifierPolicy::default();
    policy.cache_size = 1;
    let verifier = make_verifier(policy);
    let rsa = sign(&pki().rsa, DocumentKind::Identity);
    let ec = sign(&pki().ec, DocumentKind::Identity);
    let kind = Some(DocumentKind::Identity);

    verifier.verify_at(&rsa, kind, at(T)).expect("rsa");
    verifier.verify_at(&ec, kind, at(T)).expect("ec");
    assert_eq!(verifier.cached_chains(), 1);
    let again = verifier.verify_at(&rsa, kind, at(T)).expect("rsa again");
    assert!(
        !again.chain_from_cache(),
        "evicted chain came from the cache"
    );

    let mut off = VerifierPolicy::default();
    off.cache_size = 0;
    let uncached = make_verifier(off);
    uncached.verify_at(&rsa, kind, at(T)).expect("first");
    assert!(!uncached
        .verify_at(&rsa, kind, at(T))
        .expect("second")
        .chain_from_cache());
}

#[test]
fn tampered_identity_fails_signature() {
    let verifier = make_verifier(VerifierPolicy::default());
    let document = pki().ec.sign_identity(&identity()).expect("sign");
    let mut tampered = document.clone();
    if let Some(bytes) = tampered.identity.as_mut() {
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
    }
    let encoded = codec::encode_identity_document(&tampered);
    let error = verification_error(verifier.verify_at(&encoded, None, at(T)));
    assert!(
        matches!(error, VerificationError::BadSignature),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "bad document signature");
}

#[test]
fn tampered_string_document_fails_signature() {
    let verifier = make_verifier(VerifierPolicy::default());
    let text = String::from_utf8(sign(&pki().rsa, DocumentKind::String)).expect("utf-8");
    let tampered = text.replace("task-7", "task-8");
    assert_ne!(text, tampered);
    let error = verification_error(verifier.verify_at(tampered.as_bytes(), None, at(T)));
    assert!(
        matches!(error, VerificationError::BadSignature),
        "{error:?}"
    );

    let extra = text.replacen("{\"task\":", "{\"extra\":1,\"task\":", 1);
    let result = verifier.verify_at(extra.as_bytes(), None, at(T));
    assert!(
        matches!(
            result,
            Err(Error::Decode(DecodeError::UnknownJsonField { .. }))
        ),
        "{result:?}"
    );
}

fn with_signature(edit: impl FnOnce(&mut CertificateSignature)) -> Vec<u8> {
    let mut document = pki().ec.sign_identity(&identity()).expect("sign");
    if let Some(signature) = document.signature.as_mut() {
        edit(signature);
    }
    document.encode_to_vec()
}

#[test]
fn algorithm_must_be_present_known_and_fit_the_key() {
    let verifier = make_verifier(VerifierPolicy::default());
    let kind = Some(DocumentKind::Identity);

    let missing = with_signature(|s| s.algorithm = None);
    let result = verifier.verify_at(&missing, kind, at(T));
    let expected = DecodeError::MissingField {
        field: "CertificateSignature.algorithm",
    };
    assert!(
        matches!(result, Err(Error::Decode(ref e)) if *e == expected),
        "{result:?}"
    );

    for number in [6, 99, -1] {
        let unknown = with_signature(|s| s.algorithm = Some(number));
        let result = verifier.verify_at(&unknown, kind, at(T));
        let expected = DecodeError::UnknownSignatureAlgorithm { number };
        assert!(
            matches!(result, Err(Error::Decode(ref e)) if *e == expected),
            "{result:?}"
        );
    }

    let rsa_number = SignatureAlgorithm::Sha512WithRsaAndMgf1.number();
    let wrong_type = with_signature(|s| s.algorithm = Some(rsa_number));
    let error = verification_error(verifier.verify_at(&wrong_type, kind, at(T)));
    assert!(
        matches!(error, VerificationError::AlgorithmKeyMismatch { .. }),
        "{error:?}"
    );

    let other_hash = SignatureAlgorithm::Sha256WithEcdsa.number();
    let wrong_hash = with_signature(|s| s.algorithm = Some(other_hash));
    let error = verification_error(verifier.verify_at(&wrong_hash, kind, at(T)));
    assert!(
        matches!(error, VerificationError::BadSignature),
        "{error:?}"
    );
}

#[test]
fn chain_must_be_present_and_trusted() {
    let verifier = make_verifier(VerifierPolicy::default());
    let kind = Some(DocumentKind::Identity);

    let empty = with_signature(|s| s.cert_chain.clear());
    let result = verifier.verify_at(&empty, kind, at(T));
    let expected = DecodeError::MissingField {
        field: "CertificateSignature.certChain",
    };
    assert!(
        matches!(result, Err(Error::Decode(ref e)) if *e == expected),
        "{result:?}"
    );

    let leaf_only = with_signature(|s| s.cert_chain.truncate(1));
    let error = verification_error(verifier.verify_at(&leaf_only, kind, at(T)));
    assert!(
        matches!(
            error,
            VerificationError::Chain(ChainError::UnknownIssuer { .. })
        ),
        "{error:?}"
    );

    let stranger = make_pki("stranger");
    let foreign = sign(&stranger.ec, DocumentKind::Identity);
    let error = verification_error(verifier.verify_at(&foreign, kind, at(T)));
    assert!(matches!(error, VerificationError::Chain(_)), "{error:?}");
}

#[test]
fn malformed_extra_chain_entry_is_rejected() {
    let verifier = make_verifier(VerifierPolicy::default());
    let padded = with_signature(|s| s.cert_chain.push(vec![0x30, 0x03, 0x02, 0x01, 0x00]));
    let error = verification_error(verifier.verify_at(&padded, None, at(T)));
    let is_malformed = matches!(
        error,
        VerificationError::Chain(ChainError::Malformed { position: 2, .. })
    );
    assert!(is_malformed, "{error:?}");
}

#[test]
fn no_anchors_is_a_configuration_error() {
    let error = TrustAnchors::from_pem(b"").err();
    assert!(
        matches!(error, Some(VerificationError::NoTrustAnchors)),
        "{error:?}"
    );
    let error = TrustAnchors::from_der(Vec::<Vec<u8>>::new()).err();
    assert!(
        matches!(error, Some(VerificationError::NoTrustAnchors)),
        "{error:?}"
    );
}

#[test]
fn verifier_is_shareable() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Verifier>();

    let verifier = make_verifier(VerifierPolicy::default());
    let document = sign(&pki().ec, DocumentKind::Pod);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let verifier = verifier.clone();
            let document = &document;
            scope.spawn(move || {
                for _ in 0..50 {
                    verifier.verify_at(document, None, at(T)).expect("verify");
                }
            });
        }
    });
    assert_eq!(verifier.cached_chains(), 1);
}

#[test]
fn oversized_document_is_rejected_first() {
    let verifier = make_verifier(VerifierPolicy::default());
    let huge = vec![0u8; (1 << 20) + 1];
    let result = verifier.verify_at(&huge, None, at(T));
    assert!(
        matches!(result, Err(Error::Decode(DecodeError::TooLarge { .. }))),
        "{result:?}"
    );
}
