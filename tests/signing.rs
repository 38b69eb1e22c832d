//! Signing the three document kinds with every algorithm and checking the results.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::{
    cached_pair, fitting_algorithms, sample_identity, sample_pod_identity, verify_with_own_leaf,
    KeyKind,
};
use titus_identity::codec::{
    encode_task_identity, encode_task_pod_identity, CertificateSignature, TaskIdentity,
    TaskPodIdentity, Timestamp,
};
use titus_identity::signing::{
    stamp_now, stamp_pod_now, Credentials, PssSaltLength, Signer, SignerOptions, SigningError,
};
use titus_identity::{Error, SignatureAlgorithm};

fn signer(kind: KeyKind, options: SignerOptions) -> Signer {
    let pair = cached_pair(kind);
    let credentials = Credentials::from_der(&pair.chain_der, &pair.key_der).expect("load");
    Signer::new(credentials, options).expect("signer")
}

fn signing_error<T: std::fmt::Debug>(result: Result<T, Error>) -> SigningError {
    match result {
        Err(Error::Signing(error)) => error,
        other => panic!("expected a signing error, got {other:?}"),
    }
}

#[test]
fn every_algorithm_key_and_document_kind_verifies() {
    let identity = sample_identity();
    let pod_identity = sample_pod_identity();

    for kind in KeyKind::ALL {
        for algorithm in fitting_algorithms(kind) {
            let signer = signer(kind, SignerOptions::new().with_algorithm(algorithm));
            let case = format!("{kind:?} {algorithm}");

            let document = signer.sign_identity(&identity).expect(&case);
            let signature = document.signature.expect("signature");
            let message = document.identity.expect("identity");
            assert_eq!(message, encode_task_identity(&identity), "{case}");
            assert_eq!(signature.algorithm, Some(algorithm.number()), "{case}");
            verify_with_own_leaf(&signature, &message).expect(&case);

            let document = signer.sign_pod_identity(&pod_identity).expect(&case);
            let signature = document.signature.expect("signature");
            let message = document.pod_identity.expect("podIdentity");
            assert_eq!(message, encode_task_pod_identity(&pod_identity), "{case}");
            verify_with_own_leaf(&signature, &message).expect(&case);

            let document = signer.sign_identity_string(&identity).expect(&case);
            assert_eq!(document.identity.as_ref(), Some(&identity), "{case}");
            let signature = decode_string_signature(document.signature.expect("signature"));
            verify_with_own_leaf(&signature, &encode_task_identity(&identity)).expect(&case);
        }
    }
}

fn decode_string_signature(
    signature: titus_identity::codec::CertificateStringSignature,
) -> CertificateSignature {
    let decode = |text: &str| STANDARD.decode(text).expect("standard padded base64");
    CertificateSignature {
        signature: signature.signature.as_deref().map(decode),
        algorithm: signature.algorithm,
        cert_chain: signature.cert_chain.iter().map(|der| decode(der)).collect(),
    }
}

#[test]
fn defaults_follow_the_agent() {
    for kind in KeyKind::ALL {
        let signer = signer(kind, SignerOptions::new());
        let expected = SignatureAlgorithm::default_for(kind.key_type());
        assert_eq!(signer.algorithm(), expected, "{kind:?}");

        let document = signer.sign_identity(&sample_identity()).expect("sign");
        let algorithm = document.signature.and_then(|signature| signature.algorithm);
        assert_eq!(algorithm, Some(expected.number()), "{kind:?}");
    }
}

#[test]
fn algorithm_for_other_key_type_is_rejected() {
    let pair = cached_pair(KeyKind::P256);
    let credentials = Credentials::from_der(&pair.chain_der, &pair.key_der).expect("load");
    let options = SignerOptions::new().with_algorithm(SignatureAlgorithm::Sha256WithRsaAndMgf1);
    let error = signing_error(Signer::new(credentials, options));
    assert!(
        matches!(error, SigningError::AlgorithmKeyMismatch { .. }),
        "{error:?}"
    );

    let pair = cached_pair(KeyKind::Rsa2048);
    let credentials = Credentials::from_der(&pair.chain_der, &pair.key_der).expect("load");
    let options = SignerOptions::new().with_algorithm(SignatureAlgorithm::Sha384WithEcdsa);
    let error = signing_error(Signer::new(credentials, options));
    assert!(
        matches!(error, SigningError::AlgorithmKeyMismatch { .. }),
        "{error:?}"
    );
}

#[test]
fn cert_chain_is_the_loaded_chain_in_order() {
    let pair = cached_pair(KeyKind::Rsa2048);
    let document = signer(KeyKind::Rsa2048, SignerOptions::new())
        .sign_identity(&sample_identity())
        .expect("sign");
    let signature = document.signature.expect("signature");
    assert_eq!(signature.cert_chain, pair.chain_der);

    let document = signer(KeyKind::Rsa2048, SignerOptions::new())
        .sign_identity_string(&sample_identity())
        .expect("sign");
    let chain = document.signature.expect("signature").cert_chain;
    let expected: Vec<String> = pair
        .chain_der
        .iter()
        .map(|der| STANDARD.encode(der))
        .collect();
    assert_eq!(chain, expected);
}

#[test]
fn string_signature_is_padded_standard_base64() {
    let document = signer(KeyKind::P521, SignerOptions::new())
        .sign_identity_string(&sample_identity())
        .expect("sign");
    let signature = document
        .signature
        .expect("signature")
        .signature
        .expect("bytes");
    assert!(signature.len().is_multiple_of(4), "{signature}");
    assert!(!signature.contains(['-', '_', '\n']), "{signature}");
}

#[test]
fn digest_length_salt_option() {
    let options = SignerOptions::new().with_pss_salt_length(PssSaltLength::DigestLength);
    let signer = signer(KeyKind::Rsa2048, options);
    let document = signer.sign_identity(&sample_identity()).expect("sign");
    let signature = document.signature.expect("signature");
    let message = document.identity.expect("identity");
    assert!(
        verify_with_own_leaf(&signature, &message).is_err(),
        "a 64-byte salt must not verify as a 20-byte salt"
    );
}

#[test]
fn identity_required_fields() {
    let signer = signer(KeyKind::P256, SignerOptions::new());

    let mut identity = sample_identity();
    identity.task = None;
    let error = signing_error(signer.sign_identity(&identity));
    assert!(matches!(
        error,
        SigningError::MissingField {
            field: "TaskIdentity.task"
        }
    ));
    let error = signing_error(signer.sign_identity_string(&identity));
    assert!(matches!(
        error,
        SigningError::MissingField {
            field: "TaskIdentity.task"
        }
    ));

    let mut identity = sample_identity();
    identity.unix_timestamp_sec = None;
    let error = signing_error(signer.sign_identity(&identity));
    let expected = "TaskIdentity.unixTimestampSec";
    assert!(matches!(error, SigningError::MissingField { field } if field == expected));
}

#[test]
fn pod_identity_required_fields() {
    let signer = signer(KeyKind::P256, SignerOptions::new());
    let check = |identity: &TaskPodIdentity, expected: &str| {
        let error = signing_error(signer.sign_pod_identity(identity));
        match error {
            SigningError::MissingField { field } | SigningError::InvalidField { field, .. } => {
                assert_eq!(field, expected);
            }
            other => panic!("expected a field error for {expected}, got {other:?}"),
        }
    };

    let mut identity = sample_pod_identity();
    identity.task_info = Default::default();
    check(&identity, "TaskPodIdentity.taskInfo");

    let mut identity = sample_pod_identity();
    identity.pod.clear();
    check(&identity, "TaskPodIdentity.pod");

    let mut identity = sample_pod_identity();
    identity.request_timestamp = Timestamp::default();
    check(&identity, "TaskPodIdentity.requestTimestamp");

    let mut identity = sample_pod_identity();
    identity.request_timestamp.nanos = 1_000_000_000;
    check(&identity, "TaskPodIdentity.requestTimestamp");
}

#[test]
fn stamp_sets_current_time() {
    let before = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();

    let mut identity = TaskIdentity::default();
    stamp_now(&mut identity).expect("stamp");
    let stamped = identity.unix_timestamp_sec.expect("timestamp set");
    assert!(
        stamped >= before && stamped <= before + 5,
        "{stamped} vs {before}"
    );

    let mut pod = sample_pod_identity();
    stamp_pod_now(&mut pod).expect("stamp");
    let seconds = u64::try_from(pod.request_timestamp.seconds).expect("positive");
    assert!(
        seconds >= before && seconds <= before + 5,
        "{seconds} vs {before}"
    );
    assert!((0..1_000_000_000).contains(&pod.request_timestamp.nanos));
}

#[test]
fn time_source_decides_leaf_validity() {
    let pair = cached_pair(KeyKind::P384);
    let load = || Credentials::from_der(&pair.chain_der, &pair.key_der).expect("load");
    let after_expiry = UNIX_EPOCH + Duration::from_secs(4_200_000_000);

    let options = SignerOptions::new().with_time_source(move || after_expiry);
    let error = signing_error(Signer::new(load(), options));
    assert!(matches!(
        error,
        SigningError::LeafNotValid {
            time: 4_200_000_000,
            ..
        }
    ));

    let options = SignerOptions::new()
        .with_time_source(move || after_expiry)
        .allow_invalid_leaf_time(true);
    let signer = Signer::new(load(), options).expect("allowed");
    assert!(signer.sign_identity(&sample_identity()).is_ok());

    let before_epoch = UNIX_EPOCH - Duration::from_secs(1);
    let options = SignerOptions::new().with_time_source(move || before_epoch);
    let error = signing_error(Signer::new(load(), options));
    assert!(matches!(error, SigningError::TimeBeforeEpoch), "{error:?}");
}

/// Returns the content of the DER element at the start of `der` and the bytes after it.
fn der_element(der: &[u8], tag: u8) -> (&[u8], &[u8]) {
    assert_eq!(der[0], tag, "tag");
    let (header, len) = common::der_header(der);
    (&der[header..header + len], &der[header + len..])
}

/// Checks that a DER INTEGER is minimally encoded and positive.
fn assert_minimal_positive(integer: &[u8], context: &str) {
    assert!(!integer.is_empty(), "{context}: empty INTEGER");
    assert!(integer[0] & 0x80 == 0, "{context}: negative INTEGER");
    if integer.len() > 1 {
        let redundant = integer[0] == 0 && integer[1] & 0x80 == 0;
        assert!(!redundant, "{context}: non-minimal INTEGER");
    }
    assert!(
        integer.iter().any(|&byte| byte != 0),
        "{context}: zero INTEGER"
    );
}

#[test]
fn ecdsa_signatures_are_minimal_der() {
    for kind in [KeyKind::P256, KeyKind::P384, KeyKind::P521] {
        let signer = signer(kind, SignerOptions::new());
        let long_form_expected = kind == KeyKind::P521;

        for index in 0..5_000u32 {
            let signature = signer.sign_message(&index.to_be_bytes()).expect("sign");
            let der = signature.signature.expect("signature");
            let context = format!("{kind:?} message {index}");

            assert_eq!(der[1] == 0x81, long_form_expected, "{context}: length form");
            let (sequence, rest) = der_element(&der, 0x30);
            assert!(rest.is_empty(), "{context}: bytes after the SEQUENCE");
            let (r, rest) = der_element(sequence, 0x02);
            let (s, rest) = der_element(rest, 0x02);
            assert!(rest.is_empty(), "{context}: more than two INTEGERs");
            assert_minimal_positive(r, &format!("{context} r"));
            assert_minimal_positive(s, &format!("{context} s"));
        }
    }
}
