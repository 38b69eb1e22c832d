//! Path validation tests over PKIs that rcgen builds at test time.
#![allow(clippy::unwrap_used)]

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, CidrSubnet, CustomExtension,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, NameConstraints, PublicKeyData, SanType, PKCS_ECDSA_P256_SHA256,
    PKCS_RSA_SHA256,
};
use titus_identity::verification::{
    validate_chain, Budget, ChainError, ChainPolicy, EcCurve, PublicKeyType, Purpose, TrustAnchors,
    ValidatedPath, VerificationError,
};

/// 2030-01-01T00:00:00Z, inside every default validity period below.
const NOW: i64 = 1_893_456_000;

/// A CA: its parameters, key and certificate.
struct Ca {
    params: CertificateParams,
    key: KeyPair,
    der: Vec<u8>,
}

fn base_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    params.distinguished_name = name;
    params.not_before = date_time_ymd(2020, 1, 1);
    params.not_after = date_time_ymd(2040, 1, 1);
    params.use_authority_key_identifier_extension = true;
    params
}

fn ca_params(common_name: &str) -> CertificateParams {
    let mut params = base_params(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

fn new_key() -> KeyPair {
    KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("generate key")
}

fn root_with(common_name: &str, edit: impl FnOnce(&mut CertificateParams)) -> Ca {
    let mut params = ca_params(common_name);
    edit(&mut params);
    let key = new_key();
    let der = params.self_signed(&key).expect("self-sign").der().to_vec();
    Ca { params, key, der }
}

fn root(common_name: &str) -> Ca {
    root_with(common_name, |_| {})
}

fn sign(params: &CertificateParams, key: &impl PublicKeyData, issuer: &Ca) -> Vec<u8> {
    let issuer = Issuer::from_params(&issuer.params, &issuer.key);
    params.signed_by(key, &issuer).expect("sign").der().to_vec()
}

fn intermediate_with(name: &str, parent: &Ca, edit: impl FnOnce(&mut CertificateParams)) -> Ca {
    let mut params = ca_params(name);
    edit(&mut params);
    let key = new_key();
    let der = sign(&params, &key, parent);
    Ca { params, key, der }
}

fn intermediate(name: &str, parent: &Ca) -> Ca {
    intermediate_with(name, parent, |_| {})
}

fn leaf_params() -> CertificateParams {
    let mut params = base_params("agent");
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.subject_alt_names = vec![SanType::DnsName("agent.example.com".try_into().unwrap())];
    params
}

fn leaf_with(parent: &Ca, edit: impl FnOnce(&mut CertificateParams)) -> Vec<u8> {
    let mut params = leaf_params();
    edit(&mut params);
    sign(&params, &new_key(), parent)
}

fn leaf(parent: &Ca) -> Vec<u8> {
    leaf_with(parent, |_| {})
}

fn anchors(roots: &[&Ca]) -> TrustAnchors {
    TrustAnchors::from_der(roots.iter().map(|ca| ca.der.clone())).expect("anchors")
}

fn validate(
    roots: &[&Ca],
    leaf: &[u8],
    pool: &[&Ca],
    time: i64,
    policy: &ChainPolicy,
) -> Result<ValidatedPath, ChainError> {
    let pool: Vec<Vec<u8>> = pool.iter().map(|ca| ca.der.clone()).collect();
    validate_chain(&anchors(roots), leaf, &pool, time, policy)
}

fn validate_now(roots: &[&Ca], leaf: &[u8], pool: &[&Ca]) -> Result<ValidatedPath, ChainError> {
    validate(roots, leaf, pool, NOW, &ChainPolicy::default())
}

fn unix(year: i32, month: u8, day: u8) -> i64 {
    date_time_ymd(year, month, day).unix_timestamp()
}

#[test]
fn valid_chain_reports_path() {
    let root = root("root");
    let ica = intermediate("ica", &root);
    let leaf = leaf_with(&ica, |p| p.not_after = date_time_ymd(2035, 1, 1));

    let path = validate_now(&[&root], &leaf, &[&ica]).expect("valid chain");
    assert_eq!(path.length, 3);
    assert_eq!(path.not_before, unix(2020, 1, 1));
    assert_eq!(path.not_after, unix(2035, 1, 1));
    assert_eq!(path.leaf.subject, "CN=agent");
    assert_eq!(path.leaf.issuer, "CN=ica");
    assert_eq!(path.leaf.sans, vec!["DNS:agent.example.com".to_owned()]);
    assert!(!path.leaf.serial.is_empty());
    let ec = PublicKeyType::Ec {
        curve: EcCurve::P256,
    };
    assert_eq!(path.public_key.key_type(), &ec);
    assert_eq!(path.public_key.bytes().len(), 65);
}

#[test]
fn leaf_directly_under_anchor() {
    let root = root("root");
    let path = validate_now(&[&root], &leaf(&root), &[]).expect("valid chain");
    assert_eq!(path.length, 2);
}

#[test]
fn expired_leaf_is_rejected() {
    let root = root("root");
    let leaf = leaf_with(&root, |p| p.not_after = date_time_ymd(2025, 1, 1));
    let error = validate_now(&[&root], &leaf, &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::Expired { position: 0, .. }),
        "{error}"
    );
}

#[test]
fn expired_intermediate_is_rejected() {
    let root = root("root");
    let ica = intermediate_with("ica", &root, |p| p.not_after = date_time_ymd(2025, 1, 1));
    let error = validate_now(&[&root], &leaf(&ica), &[&ica]).unwrap_err();
    assert!(
        matches!(error, ChainError::Expired { position: 1, .. }),
        "{error}"
    );
}

#[test]
fn expired_anchor_is_rejected() {
    let root = root_with("root", |p| p.not_after = date_time_ymd(2025, 1, 1));
    let ica = intermediate("ica", &root);
    let error = validate_now(&[&root], &leaf(&ica), &[&ica]).unwrap_err();
    assert!(
        matches!(error, ChainError::Expired { position: 2, .. }),
        "{error}"
    );
}

#[test]
fn not_yet_valid_leaf_is_rejected() {
    let root = root("root");
    let leaf = leaf_with(&root, |p| p.not_before = date_time_ymd(2031, 1, 1));
    let error = validate_now(&[&root], &leaf, &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::NotYetValid { position: 0, .. }),
        "{error}"
    );
}

#[test]
fn validity_bounds_are_inclusive() {
    let root = root("root");
    let leaf = leaf_with(&root, |p| {
        p.not_before = date_time_ymd(2029, 1, 1);
        p.not_after = date_time_ymd(2031, 1, 1);
    });
    let policy = ChainPolicy::default();
    let (start, end) = (unix(2029, 1, 1), unix(2031, 1, 1));

    assert!(validate(&[&root], &leaf, &[], start, &policy).is_ok());
    assert!(validate(&[&root], &leaf, &[], end, &policy).is_ok());
    let before = validate(&[&root], &leaf, &[], start - 1, &policy).unwrap_err();
    assert!(matches!(before, ChainError::NotYetValid { .. }), "{before}");
    let after = validate(&[&root], &leaf, &[], end + 1, &policy).unwrap_err();
    assert!(matches!(after, ChainError::Expired { .. }), "{after}");
}

#[test]
fn unknown_critical_extension_is_rejected() {
    let root = root("root");
    let ica = intermediate_with("ica", &root, |p| {
        let mut extension =
            CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x05, 0x00]);
        extension.set_criticality(true);
        p.custom_extensions.push(extension);
    });
    let error = validate_now(&[&root], &leaf(&ica), &[&ica]).unwrap_err();
    let expected = "1.3.6.1.4.1.99999.1";
    let matched = matches!(&error, ChainError::UnknownCriticalExtension { position: 1, oid }
        if oid == expected);
    assert!(matched, "{error}");
}

#[test]
fn unknown_noncritical_extension_is_ignored() {
    let root = root("root");
    let leaf = leaf_with(&root, |p| {
        let extension =
            CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x05, 0x00]);
        p.custom_extensions.push(extension);
    });
    assert!(validate_now(&[&root], &leaf, &[]).is_ok());
}

#[test]
fn duplicate_extension_is_rejected() {
    let root = root("root");
    let leaf = leaf_with(&root, |p| {
        // A second keyUsage with digitalSignature only: BIT STRING 0x80.
        let second =
            CustomExtension::from_oid_content(&[2, 5, 29, 15], vec![0x03, 0x02, 0x07, 0x80]);
        p.custom_extensions.push(second);
    });
    let error = validate_now(&[&root], &leaf, &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::DuplicateExtension { position: 0, .. }),
        "{error}"
    );
}

/// Rewrites both signature algorithm fields of an RSA SHA-256 certificate to SHA-1. The two
/// OIDs differ only in their last byte.
fn downgrade_to_sha1(der: &[u8]) -> Vec<u8> {
    let sha256_rsa = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    let mut out = der.to_vec();
    let mut replaced = 0;
    let mut index = 0;
    while index + sha256_rsa.len() <= out.len() {
        if out[index..index + sha256_rsa.len()] == sha256_rsa {
            out[index + sha256_rsa.len() - 1] = 0x05;
            replaced += 1;
        }
        index += 1;
    }
    assert_eq!(replaced, 2, "expected inner and outer algorithm fields");
    out
}

fn rsa_root() -> Ca {
    let mut params = ca_params("rsa root");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    let key = KeyPair::generate_for(&PKCS_RSA_SHA256).expect("generate RSA key");
    let der = params.self_signed(&key).expect("self-sign").der().to_vec();
    Ca { params, key, der }
}

#[test]
fn sha1_signed_certificate_is_rejected() {
    let root = rsa_root();
    let leaf = downgrade_to_sha1(&leaf(&root));
    let error = validate_now(&[&root], &leaf, &[]).unwrap_err();
    assert!(
        matches!(
            error,
            ChainError::InsecureSignatureAlgorithm {
                position: 0,
                algorithm: "sha1WithRSAEncryption"
            }
        ),
        "{error}"
    );
}

#[test]
fn rsa_signed_chain_validates() {
    let root = rsa_root();
    let path = validate_now(&[&root], &leaf(&root), &[]).expect("valid chain");
    assert_eq!(path.length, 2);
}

/// An RSA public key of 1024 bits: it never signs, so the modulus need not be a real one.
struct WeakRsaKey(Vec<u8>);

impl WeakRsaKey {
    fn new() -> Self {
        let mut modulus = vec![0x00, 0xc1];
        modulus.extend([0x5a; 127]);
        let mut der = vec![0x30, 0x81, 0x89, 0x02, 0x81, 0x81];
        der.extend(modulus);
        der.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
        Self(der)
    }
}

impl PublicKeyData for WeakRsaKey {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &PKCS_RSA_SHA256
    }
}

#[test]
fn rsa_1024_leaf_key_is_rejected() {
    let root = root("root");
    let leaf = sign(&leaf_params(), &WeakRsaKey::new(), &root);
    let error = validate_now(&[&root], &leaf, &[]).unwrap_err();
    assert!(
        matches!(
            error,
            ChainError::KeyTooSmall {
                position: 0,
                bits: 1024
            }
        ),
        "{error}"
    );
}

#[test]
fn issuer_without_ca_flag_is_rejected() {
    let root = root("root");
    let ica = intermediate_with("ica", &root, |p| {
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    });
    let error = validate_now(&[&root], &leaf(&ica), &[&ica]).unwrap_err();
    assert!(
        matches!(error, ChainError::IssuerNotCa { position: 1, .. }),
        "{error}"
    );
}

#[test]
fn issuer_without_key_cert_sign_is_rejected() {
    let root = root("root");
    let ica = intermediate_with("ica", &root, |p| {
        p.key_usages = vec![KeyUsagePurpose::CrlSign]
    });
    let error = validate_now(&[&root], &leaf(&ica), &[&ica]).unwrap_err();
    assert!(
        matches!(error, ChainError::MissingKeyCertSign { position: 1, .. }),
        "{error}"
    );
}

#[test]
fn path_len_constraint_is_enforced() {
    let strict = root_with("root", |p| {
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0))
    });
    let ica = intermediate("ica", &strict);
    let error = validate_now(&[&strict], &leaf(&ica), &[&ica]).unwrap_err();
    assert!(
        matches!(
            error,
            ChainError::PathLenExceeded {
                position: 2,
                path_len: 0,
                found: 1,
                ..
            }
        ),
        "{error}"
    );

    let relaxed = root_with("root", |p| {
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(1))
    });
    let ica = intermediate("ica", &relaxed);
    assert!(validate_now(&[&relaxed], &leaf(&ica), &[&ica]).is_ok());
}

fn constrained_root(permitted: Vec<GeneralSubtree>, excluded: Vec<GeneralSubtree>) -> Ca {
    root_with("root", |p| {
        p.name_constraints = Some(NameConstraints {
            permitted_subtrees: permitted,
            excluded_subtrees: excluded,
        });
    })
}

fn leaf_with_sans(root: &Ca, sans: Vec<SanType>) -> Vec<u8> {
    leaf_with(root, |p| p.subject_alt_names = sans)
}

fn dns(name: &str) -> SanType {
    SanType::DnsName(name.try_into().unwrap())
}

fn assert_nc_violation(result: Result<ValidatedPath, ChainError>) {
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            ChainError::NameConstraintViolation { position: 0, .. }
        ),
        "{error}"
    );
}

#[test]
fn dns_name_constraints() {
    let permitted = constrained_root(vec![GeneralSubtree::DnsName("example.com".into())], vec![]);
    let inside = leaf_with_sans(&permitted, vec![dns("a.example.com")]);
    assert!(validate_now(&[&permitted], &inside, &[]).is_ok());
    let outside = leaf_with_sans(&permitted, vec![dns("example.org")]);
    assert_nc_violation(validate_now(&[&permitted], &outside, &[]));

    let excluded = constrained_root(
        vec![],
        vec![GeneralSubtree::DnsName("bad.example.com".into())],
    );
    let hit = leaf_with_sans(&excluded, vec![dns("x.bad.example.com")]);
    assert_nc_violation(validate_now(&[&excluded], &hit, &[]));
    let miss = leaf_with_sans(&excluded, vec![dns("good.example.com")]);
    assert!(validate_now(&[&excluded], &miss, &[]).is_ok());
}

#[test]
fn ip_name_constraints() {
    let subnet = CidrSubnet::V4([10, 1, 0, 0], [255, 255, 0, 0]);
    let permitted = constrained_root(vec![GeneralSubtree::IpAddress(subnet)], vec![]);
    let inside = leaf_with_sans(&permitted, vec![SanType::IpAddress([10, 1, 2, 3].into())]);
    assert!(validate_now(&[&permitted], &inside, &[]).is_ok());
    let outside = leaf_with_sans(&permitted, vec![SanType::IpAddress([10, 2, 0, 1].into())]);
    assert_nc_violation(validate_now(&[&permitted], &outside, &[]));

    let excluded = constrained_root(vec![], vec![GeneralSubtree::IpAddress(subnet)]);
    let hit = leaf_with_sans(&excluded, vec![SanType::IpAddress([10, 1, 9, 9].into())]);
    assert_nc_violation(validate_now(&[&excluded], &hit, &[]));
}

#[test]
fn email_name_constraints() {
    let email = |text: &str| SanType::Rfc822Name(text.try_into().unwrap());
    let permitted = constrained_root(
        vec![GeneralSubtree::Rfc822Name("example.com".into())],
        vec![],
    );
    let inside = leaf_with_sans(&permitted, vec![email("agent@example.com")]);
    assert!(validate_now(&[&permitted], &inside, &[]).is_ok());
    let outside = leaf_with_sans(&permitted, vec![email("agent@sub.example.com")]);
    assert_nc_violation(validate_now(&[&permitted], &outside, &[]));

    let excluded = constrained_root(
        vec![],
        vec![GeneralSubtree::Rfc822Name("bad@example.com".into())],
    );
    let hit = leaf_with_sans(&excluded, vec![email("bad@example.com")]);
    assert_nc_violation(validate_now(&[&excluded], &hit, &[]));
}

#[test]
fn directory_name_constraints() {
    let mut org = DistinguishedName::new();
    org.push(DnType::OrganizationName, "Titus");
    let permitted = constrained_root(vec![GeneralSubtree::DirectoryName(org.clone())], vec![]);

    let inside = leaf_with(&permitted, |p| {
        let mut name = DistinguishedName::new();
        name.push(DnType::OrganizationName, "Titus");
        name.push(DnType::CommonName, "agent");
        p.distinguished_name = name;
    });
    assert!(validate_now(&[&permitted], &inside, &[]).is_ok());
    assert_nc_violation(validate_now(&[&permitted], &leaf(&permitted), &[]));

    let excluded = constrained_root(vec![], vec![GeneralSubtree::DirectoryName(org)]);
    let hit = leaf_with(&excluded, |p| {
        let mut name = DistinguishedName::new();
        name.push(DnType::OrganizationName, "Titus");
        p.distinguished_name = name;
    });
    assert_nc_violation(validate_now(&[&excluded], &hit, &[]));
}

#[test]
fn leaf_key_usage_needs_digital_signature() {
    let root = root("root");
    let leaf = leaf_with(&root, |p| {
        p.key_usages = vec![KeyUsagePurpose::KeyEncipherment]
    });
    let error = validate_now(&[&root], &leaf, &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::MissingDigitalSignature { .. }),
        "{error}"
    );
}

#[test]
fn extended_key_usage_purposes() {
    let root = root("root");
    let server = leaf_with(&root, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth]
    });
    let error = validate_now(&[&root], &server, &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::RequiredEkuNotFound { position: 0, .. }),
        "{error}"
    );

    let any_purpose = ChainPolicy::default().with_purpose(Purpose::Any);
    assert!(validate(&[&root], &server, &[], NOW, &any_purpose).is_ok());

    let custom = leaf_with(&root, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::Other(vec![
            1, 3, 6, 1, 4, 1, 99999, 2,
        ])];
    });
    let oid = ChainPolicy::default().with_purpose(Purpose::Oid("1.3.6.1.4.1.99999.2".into()));
    assert!(validate(&[&root], &custom, &[], NOW, &oid).is_ok());

    let no_eku = leaf_with(&root, |p| p.extended_key_usages = vec![]);
    assert!(validate_now(&[&root], &no_eku, &[]).is_ok());
}

#[test]
fn any_extended_key_usage_does_not_satisfy_leaf() {
    let root = root("root");
    let leaf = leaf_with(&root, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::Any]
    });
    let error = validate_now(&[&root], &leaf, &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::RequiredEkuNotFound { .. }),
        "{error}"
    );
}

#[test]
fn max_depth_limits_intermediates() {
    let root = root("root");
    let upper = intermediate("upper", &root);
    let lower = intermediate("lower", &upper);
    let leaf = leaf(&lower);

    let one = ChainPolicy::default().with_max_depth(1);
    let error = validate(&[&root], &leaf, &[&upper, &lower], NOW, &one).unwrap_err();
    assert!(
        matches!(error, ChainError::MaxDepthExceeded { max_depth: 1 }),
        "{error}"
    );
    let two = ChainPolicy::default().with_max_depth(2);
    let path = validate(&[&root], &leaf, &[&upper, &lower], NOW, &two).expect("valid");
    assert_eq!(path.length, 4);
}

#[test]
fn unordered_pool_with_decoys() {
    let other_root = root("other root");
    let root = root("root");
    let upper = intermediate("upper", &root);
    let lower = intermediate("lower", &upper);
    let decoy = intermediate("upper", &other_root);
    let unrelated = intermediate("unrelated", &root);

    let pool = [&unrelated, &decoy, &lower, &upper];
    let path = validate_now(&[&root], &leaf(&lower), &pool).expect("valid chain");
    assert_eq!(path.length, 4);
}

#[test]
fn cycle_without_anchor_ends() {
    let anchor = root("anchor");
    let a_key = new_key();
    let b_key = new_key();
    let a_params = ca_params("a");
    let b_params = ca_params("b");
    let a = Ca {
        der: Vec::new(),
        params: a_params,
        key: a_key,
    };
    let b = Ca {
        der: Vec::new(),
        params: b_params,
        key: b_key,
    };
    let a_by_b = Ca {
        der: sign(&a.params, &a.key, &b),
        params: ca_params("a"),
        key: new_key(),
    };
    let b_by_a = Ca {
        der: sign(&b.params, &b.key, &a),
        params: ca_params("b"),
        key: new_key(),
    };

    let error = validate_now(&[&anchor], &leaf(&a), &[&a_by_b, &b_by_a]).unwrap_err();
    assert!(matches!(error, ChainError::UnknownIssuer { .. }), "{error}");
}

#[test]
fn budget_counts_same_name_decoys() {
    let root = root("root");
    let decoys: Vec<Ca> = (0..30).map(|_| intermediate("ica", &root)).collect();

    // The real issuer is missing, so every same-name decoy costs one signature check.
    let stray_parent = intermediate("ica", &root);
    let pool: Vec<&Ca> = decoys.iter().collect();

    let leaf = leaf(&stray_parent);
    let error = validate_now(&[&root], &leaf, &pool).unwrap_err();
    assert!(
        matches!(
            error,
            ChainError::BadCertificateSignature { position: 0, .. }
        ),
        "{error}"
    );

    let small = Budget {
        signature_checks: 10,
        ..Budget::default()
    };
    let policy = ChainPolicy::default().with_budget(small);
    let error = validate(&[&root], &leaf, &pool, NOW, &policy).unwrap_err();
    assert_eq!(
        error,
        ChainError::BudgetExceeded {
            resource: "signature checks",
            limit: 10
        }
    );

    let mut with_real: Vec<&Ca> = decoys.iter().collect();
    with_real.push(&stray_parent);
    let path = validate_now(&[&root], &leaf, &with_real).expect("valid chain");
    assert_eq!(
        path.work.signature_checks, 2,
        "key identifiers order the real issuer first"
    );
}

#[test]
fn most_specific_error_wins() {
    let root = root("root");
    let expired = intermediate_with("ica", &root, |p| p.not_after = date_time_ymd(2025, 1, 1));
    let decoy = intermediate("ica", &root);
    let leaf = leaf(&expired);
    let error = validate_now(&[&root], &leaf, &[&decoy, &expired]).unwrap_err();
    assert!(
        matches!(error, ChainError::Expired { position: 1, .. }),
        "{error}"
    );
}

#[test]
fn missing_issuer_is_unknown() {
    let root = root("root");
    let ica = intermediate("ica", &root);
    let error = validate_now(&[&root], &leaf(&ica), &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::UnknownIssuer { position: 0, .. }),
        "{error}"
    );
}

#[test]
fn malformed_leaf_is_rejected() {
    let root = root("root");
    let error = validate_now(&[&root], b"\x30\x03\x02\x01\x01", &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::Malformed { position: 0, .. }),
        "{error}"
    );
}

#[test]
fn trust_anchor_errors() {
    let empty: Vec<Vec<u8>> = Vec::new();
    assert!(matches!(
        TrustAnchors::from_der(empty),
        Err(VerificationError::NoTrustAnchors)
    ));
    let root = root("root");
    let list = vec![root.der.clone(), b"junk".to_vec()];
    let error = TrustAnchors::from_der(list).unwrap_err();
    assert!(
        matches!(
            error,
            VerificationError::MalformedTrustAnchor { index: 1, .. }
        ),
        "{error}"
    );
}

#[test]
fn trust_anchors_from_pem() {
    let first = root("first");
    let second = root("second");
    let pem: String = [&first, &second].iter().map(|ca| to_pem(&ca.der)).collect();
    let anchors = TrustAnchors::from_pem(pem.as_bytes()).expect("PEM anchors");
    assert_eq!(anchors.len(), 2);
}

fn to_pem(der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

#[test]
fn leaf_without_authority_key_id_rejected() {
    let root = root("root");
    let leaf = leaf_with(&root, |p| p.use_authority_key_identifier_extension = false);
    let error = validate_now(&[&root], &leaf, &[]).unwrap_err();
    assert!(
        matches!(error, ChainError::ProfileViolation { position: 0, .. }),
        "{error}"
    );
}
