//! Loading certificate chains and private keys in every supported form, and every error.

mod common;

use common::{
    cached_pair, der_element, make_pair, make_pair_valid, pem, pkcs8_inner_key,
    sec1_with_and_without_curve, KeyKind,
};
use titus_identity::signing::{Credentials, Signer, SignerOptions, SigningError};
use titus_identity::{Error, KeyType};

const EC_KINDS: [KeyKind; 3] = [KeyKind::P256, KeyKind::P384, KeyKind::P521];
const RSA_KINDS: [KeyKind; 3] = [KeyKind::Rsa2048, KeyKind::Rsa3072, KeyKind::Rsa4096];

fn signing_error(result: Result<Credentials, Error>) -> SigningError {
    match result {
        Err(Error::Signing(error)) => error,
        Err(other) => panic!("expected a signing error, got {other:?}"),
        Ok(credentials) => panic!("expected an error, got {credentials:?}"),
    }
}

fn assert_loaded(credentials: &Credentials, kind: KeyKind) {
    let pair = cached_pair(kind);
    assert_eq!(credentials.key_type(), kind.key_type(), "{kind:?}");
    let chain: Vec<&[u8]> = credentials.chain().iter().map(|der| der.as_ref()).collect();
    let expected: Vec<&[u8]> = pair.chain_der.iter().map(Vec::as_slice).collect();
    assert_eq!(chain, expected, "{kind:?} chain order");
    assert_eq!(credentials.leaf_subject(), "CN=titus-agent");
}

#[test]
fn pkcs8_pem_every_kind() {
    for kind in KeyKind::ALL {
        let pair = cached_pair(kind);
        let credentials = Credentials::from_pem(pair.chain_pem.as_bytes(), pair.key_pem.as_bytes())
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_loaded(&credentials, kind);
    }
}

#[test]
fn pkcs8_der_every_kind() {
    for kind in KeyKind::ALL {
        let pair = cached_pair(kind);
        let credentials = Credentials::from_der(&pair.chain_der, &pair.key_der)
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_loaded(&credentials, kind);
    }
}

#[test]
fn pkcs1_pem_and_der() {
    for kind in RSA_KINDS {
        let pair = cached_pair(kind);
        let pkcs1 = pkcs8_inner_key(&pair.key_der);
        let key_pem = pem("RSA PRIVATE KEY", &pkcs1);

        let from_pem = Credentials::from_pem(pair.chain_pem.as_bytes(), key_pem.as_bytes());
        assert_loaded(
            &from_pem.unwrap_or_else(|e| panic!("{kind:?} PEM: {e}")),
            kind,
        );

        let from_der = Credentials::from_der(&pair.chain_der, &pkcs1);
        assert_loaded(
            &from_der.unwrap_or_else(|e| panic!("{kind:?} DER: {e}")),
            kind,
        );
    }
}

#[test]
fn sec1_with_and_without_curve_parameters() {
    for kind in EC_KINDS {
        let pair = cached_pair(kind);
        let (with_curve, without_curve) = sec1_with_and_without_curve(&pair.key_der);
        for sec1 in [with_curve, without_curve] {
            let key_pem = pem("EC PRIVATE KEY", &sec1);
            let from_pem = Credentials::from_pem(pair.chain_pem.as_bytes(), key_pem.as_bytes());
            assert_loaded(
                &from_pem.unwrap_or_else(|e| panic!("{kind:?} PEM: {e}")),
                kind,
            );

            let from_der = Credentials::from_der(&pair.chain_der, &sec1);
            assert_loaded(
                &from_der.unwrap_or_else(|e| panic!("{kind:?} DER: {e}")),
                kind,
            );
        }
    }
}

#[test]
fn sec1_after_ec_parameters_block() {
    for kind in EC_KINDS {
        let pair = cached_pair(kind);
        let (sec1, _) = sec1_with_and_without_curve(&pair.key_der);
        let curve = common::pkcs8_curve_oid(&pair.key_der);
        let key_pem = format!(
            "{}{}",
            pem("EC PARAMETERS", &curve),
            pem("EC PRIVATE KEY", &sec1)
        );
        let credentials = Credentials::from_pem(pair.chain_pem.as_bytes(), key_pem.as_bytes());
        assert_loaded(
            &credentials.unwrap_or_else(|e| panic!("{kind:?}: {e}")),
            kind,
        );
    }
}

#[test]
fn crlf_and_text_outside_armour() {
    let pair = cached_pair(KeyKind::P256);
    let chain = format!(
        "Bag Attributes\n  friendlyName: agent\n{}trailing text\n",
        pair.chain_pem
    )
    .replace('\n', "\r\n");
    let key = format!(
        "Key for the agent\r\n{}\r\n# end\r\n",
        pair.key_pem.replace('\n', "\r\n")
    );

    let credentials = Credentials::from_pem(chain.as_bytes(), key.as_bytes());
    assert_loaded(&credentials.expect("CRLF PEM loads"), KeyKind::P256);
}

#[test]
fn combined_pem_file_with_chain_and_key() {
    let pair = cached_pair(KeyKind::Rsa2048);
    let combined = format!("{}{}", pair.key_pem, pair.chain_pem);
    let credentials = Credentials::from_pem(combined.as_bytes(), combined.as_bytes());
    assert_loaded(&credentials.expect("combined PEM loads"), KeyKind::Rsa2048);
}

#[test]
fn from_files_pem_and_der() {
    let pair = cached_pair(KeyKind::P384);
    let dir = std::env::temp_dir().join(format!("titus-credentials-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");

    let (chain_pem, key_pem) = (dir.join("chain.pem"), dir.join("key.pem"));
    std::fs::write(&chain_pem, &pair.chain_pem).expect("write chain");
    std::fs::write(&key_pem, &pair.key_pem).expect("write key");
    let credentials = Credentials::from_files(&chain_pem, &key_pem).expect("PEM files load");
    assert_loaded(&credentials, KeyKind::P384);

    let (leaf_der, key_der) = (dir.join("leaf.der"), dir.join("key.der"));
    std::fs::write(&leaf_der, &pair.chain_der[0]).expect("write leaf");
    std::fs::write(&key_der, &pair.key_der).expect("write key");
    let credentials = Credentials::from_files(&leaf_der, &key_der).expect("DER files load");
    assert_eq!(credentials.chain().len(), 1);

    let missing = Credentials::from_files(dir.join("absent.pem"), &key_pem);
    assert!(
        matches!(
            missing,
            Err(Error::Io {
                operation: "read",
                ..
            })
        ),
        "{missing:?}"
    );

    std::fs::remove_dir_all(&dir).expect("remove temp dir");
}

#[test]
fn encrypted_keys_are_rejected() {
    let pair = cached_pair(KeyKind::P256);
    let chain = pair.chain_pem.as_bytes();

    let pkcs8 = pem("ENCRYPTED PRIVATE KEY", &[0x30, 0x00]);
    let error = signing_error(Credentials::from_pem(chain, pkcs8.as_bytes()));
    assert!(matches!(error, SigningError::EncryptedKey), "{error:?}");

    let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
                  DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n\
                  -----END RSA PRIVATE KEY-----\n";
    let error = signing_error(Credentials::from_pem(chain, legacy.as_bytes()));
    assert!(matches!(error, SigningError::EncryptedKey), "{error:?}");

    let algorithm = der_element(0x30, &der_element(0x06, &[0x2a, 0x86, 0x48]));
    let encrypted = der_element(0x30, &[algorithm, der_element(0x04, &[1, 2, 3])].concat());
    let error = signing_error(Credentials::from_der(&pair.chain_der, &encrypted));
    assert!(matches!(error, SigningError::EncryptedKey), "{error:?}");
}

#[test]
fn more_than_one_key() {
    let pair = cached_pair(KeyKind::P256);
    let other = cached_pair(KeyKind::P384);
    let keys = format!("{}{}", pair.key_pem, other.key_pem);
    let error = signing_error(Credentials::from_pem(
        pair.chain_pem.as_bytes(),
        keys.as_bytes(),
    ));
    assert!(
        matches!(error, SigningError::MultipleKeys { count: 2 }),
        "{error:?}"
    );
}

#[test]
fn no_key() {
    let pair = cached_pair(KeyKind::P256);
    let chain = pair.chain_pem.as_bytes();
    for key in ["", "not a key", pair.chain_pem.as_str()] {
        let error = signing_error(Credentials::from_pem(chain, key.as_bytes()));
        assert!(matches!(error, SigningError::NoKey), "{key:?}: {error:?}");
    }

    let error = signing_error(Credentials::from_der(&pair.chain_der, b"garbage"));
    assert!(matches!(error, SigningError::NoKey), "{error:?}");
}

#[test]
fn key_not_matching_leaf() {
    let pair = cached_pair(KeyKind::P256);
    let same_type = make_pair(KeyKind::P256);
    let error = signing_error(Credentials::from_der(&pair.chain_der, &same_type.key_der));
    assert!(matches!(error, SigningError::KeyMismatch), "{error:?}");

    let rsa = cached_pair(KeyKind::Rsa2048);
    let error = signing_error(Credentials::from_der(&pair.chain_der, &rsa.key_der));
    assert!(matches!(error, SigningError::KeyMismatch), "{error:?}");

    let other_curve = cached_pair(KeyKind::P384);
    let error = signing_error(Credentials::from_der(&pair.chain_der, &other_curve.key_der));
    assert!(matches!(error, SigningError::KeyMismatch), "{error:?}");

    // The key matches the CA, the second certificate, but not the leaf.
    let swapped = vec![pair.chain_der[1].clone(), pair.chain_der[0].clone()];
    let error = signing_error(Credentials::from_der(&swapped, &pair.key_der));
    assert!(matches!(error, SigningError::KeyMismatch), "{error:?}");
}

#[test]
fn empty_chain() {
    let pair = cached_pair(KeyKind::P256);
    let error = signing_error(Credentials::from_pem(b"", pair.key_pem.as_bytes()));
    assert!(matches!(error, SigningError::EmptyChain), "{error:?}");

    let error = signing_error(Credentials::from_der(Vec::<Vec<u8>>::new(), &pair.key_der));
    assert!(matches!(error, SigningError::EmptyChain), "{error:?}");
}

#[test]
fn malformed_certificate_names_its_index() {
    let pair = cached_pair(KeyKind::P256);
    let mut chain = pair.chain_der.clone();
    chain[1].truncate(40);
    let error = signing_error(Credentials::from_der(&chain, &pair.key_der));
    assert!(
        matches!(error, SigningError::MalformedCertificate { index: 1, .. }),
        "{error:?}"
    );

    let mut chain = pair.chain_der.clone();
    chain[0].push(0);
    let error = signing_error(Credentials::from_der(&chain, &pair.key_der));
    assert!(
        matches!(error, SigningError::MalformedCertificate { index: 0, .. }),
        "{error:?}"
    );
}

#[test]
fn invalid_pem() {
    let pair = cached_pair(KeyKind::P256);
    let truncated = &pair.key_pem[..pair.key_pem.len() / 2];
    let error = signing_error(Credentials::from_pem(
        pair.chain_pem.as_bytes(),
        truncated.as_bytes(),
    ));
    assert!(
        matches!(
            error,
            SigningError::InvalidPem {
                input: "private key",
                ..
            }
        ),
        "{error:?}"
    );

    let bad_chain = "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n";
    let error = signing_error(Credentials::from_pem(
        bad_chain.as_bytes(),
        pair.key_pem.as_bytes(),
    ));
    assert!(matches!(
        error,
        SigningError::InvalidPem {
            input: "certificate chain",
            ..
        }
    ));
}

#[test]
fn rsa_key_under_2048_bits() {
    let pair = cached_pair(KeyKind::Rsa2048);
    let key_pem = include_str!("fixtures/rsa-1024-pkcs8.pem");
    let error = signing_error(Credentials::from_pem(
        pair.chain_pem.as_bytes(),
        key_pem.as_bytes(),
    ));
    assert!(
        matches!(error, SigningError::RsaKeyTooSmall { bits: 1024 }),
        "{error:?}"
    );
}

#[test]
fn unsupported_curve() {
    // secp256k1 (1.3.132.0.10) has an OID as long as P-384's (1.3.132.0.34), so patching the
    // OID bytes keeps every DER length valid.
    let pair = cached_pair(KeyKind::P384);
    let p384 = [0x2b, 0x81, 0x04, 0x00, 0x22];
    let mut key = pair.key_der.clone();
    let at = key
        .windows(5)
        .position(|window| window == p384)
        .expect("P-384 OID");
    key[at + 4] = 0x0a;

    let error = signing_error(Credentials::from_der(&pair.chain_der, &key));
    let SigningError::UnsupportedCurve { curve } = error else {
        panic!("expected UnsupportedCurve, got {error:?}");
    };
    assert_eq!(curve, "1.3.132.0.10");
}

#[test]
fn unsupported_key_algorithm() {
    let ed25519 = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).expect("Ed25519 key");
    let pair = cached_pair(KeyKind::P256);
    let error = signing_error(Credentials::from_der(
        &pair.chain_der,
        &ed25519.serialize_der(),
    ));
    let SigningError::UnsupportedKeyAlgorithm { oid } = error else {
        panic!("expected UnsupportedKeyAlgorithm, got {error:?}");
    };
    assert_eq!(oid, "1.3.101.112");
}

#[test]
fn leaf_validity_is_checked_at_signing_time() {
    let expired = make_pair_valid(KeyKind::P256, (2001, 1, 1), (2002, 1, 1));
    let credentials = Credentials::from_der(&expired.chain_der, &expired.key_der);
    let credentials = credentials.expect("an expired leaf still loads");
    let (not_before, not_after) = credentials.leaf_validity();
    assert_eq!(not_before, 978_307_200);
    assert_eq!(not_after, 1_009_843_200);

    let result = Signer::new(credentials, SignerOptions::new());
    let Err(Error::Signing(SigningError::LeafNotValid { time, .. })) = result else {
        panic!("expected LeafNotValid, got {result:?}");
    };
    assert!(time > not_after);

    let credentials = Credentials::from_der(&expired.chain_der, &expired.key_der).expect("load");
    let options = SignerOptions::new().allow_invalid_leaf_time(true);
    assert!(Signer::new(credentials, options).is_ok());
}

#[test]
fn not_yet_valid_leaf() {
    let future = make_pair_valid(KeyKind::P256, (2090, 1, 1), (2091, 1, 1));
    let credentials = Credentials::from_der(&future.chain_der, &future.key_der).expect("load");
    let result = Signer::new(credentials, SignerOptions::new());
    assert!(matches!(
        result,
        Err(Error::Signing(SigningError::LeafNotValid { .. }))
    ));
}

#[test]
fn debug_output_has_no_key_material() {
    for kind in [KeyKind::Rsa2048, KeyKind::P521] {
        let pair = cached_pair(kind);
        let credentials = Credentials::from_der(&pair.chain_der, &pair.key_der).expect("load");
        let signer = Signer::new(credentials, SignerOptions::new()).expect("signer");
        let debug = format!("{signer:?} {:?}", signer.credentials());

        assert!(debug.contains("titus-agent"), "{debug}");
        assert!(debug.contains("Sha512With"), "{debug}");
        let key_body: String = pair
            .key_pem
            .lines()
            .nth(2)
            .expect("a base64 line")
            .to_owned();
        assert!(!debug.contains(&key_body), "{debug}");
        assert!(!debug.contains("PRIVATE"), "{debug}");
        assert!(debug.len() < 300, "{debug}");
    }
}

#[test]
fn key_type_is_reported() {
    let rsa = cached_pair(KeyKind::Rsa3072);
    let credentials = Credentials::from_der(&rsa.chain_der, &rsa.key_der).expect("load");
    assert_eq!(credentials.key_type(), KeyType::Rsa);
}
