//! Test certificates, keys, identities and an in-process signature check.
//!
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code, unreachable_pub)]

use std::sync::OnceLock;

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, RsaKeySize,
};
use titus_identity::codec::{
    task_info, CertificateSignature, ContainerInfo, TaskIdentity, TaskInfo, TaskPodIdentity,
    Timestamp,
};
use titus_identity::{HashAlgorithm, KeyType, SignatureAlgorithm};

/// The key types and sizes a signer supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Rsa2048,
    Rsa3072,
    Rsa4096,
    P256,
    P384,
    P521,
}

impl KeyKind {
    pub const ALL: [Self; 6] = [
        Self::Rsa2048,
        Self::Rsa3072,
        Self::Rsa4096,
        Self::P256,
        Self::P384,
        Self::P521,
    ];

    pub fn key_type(self) -> KeyType {
        match self {
            Self::Rsa2048 | Self::Rsa3072 | Self::Rsa4096 => KeyType::Rsa,
            Self::P256 | Self::P384 | Self::P521 => KeyType::Ec,
        }
    }

    fn generate(self) -> KeyPair {
        let rsa = |size| KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, size);
        let key = match self {
            Self::Rsa2048 => rsa(RsaKeySize::_2048),
            Self::Rsa3072 => rsa(RsaKeySize::_3072),
            Self::Rsa4096 => rsa(RsaKeySize::_4096),
            Self::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
            Self::P384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
            Self::P521 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512),
        };
        key.expect("generate test key")
    }
}

/// A leaf certificate signed by a test CA, and the leaf's private key.
#[derive(Clone)]
pub struct TestPair {
    pub kind: KeyKind,
    /// Leaf first, then the CA.
    pub chain_der: Vec<Vec<u8>>,
    pub chain_pem: String,
    /// PKCS#8 `PrivateKeyInfo`.
    pub key_der: Vec<u8>,
    pub key_pem: String,
}

/// Validity of the test leaves: 2020-01-01 to 2100-01-01.
pub fn make_pair(kind: KeyKind) -> TestPair {
    make_pair_valid(kind, (2020, 1, 1), (2100, 1, 1))
}

/// Makes a CA and a leaf with the given validity, from and to (year, month, day).
pub fn make_pair_valid(kind: KeyKind, from: (i32, u8, u8), to: (i32, u8, u8)) -> TestPair {
    let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "titus test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = kind.generate();
    let mut leaf_params =
        CertificateParams::new(vec!["agent.titus.test".to_owned()]).expect("leaf params");
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "titus-agent");
    leaf_params.not_before = date_time_ymd(from.0, from.1, from.2);
    leaf_params.not_after = date_time_ymd(to.0, to.1, to.2);
    let leaf_cert = leaf_params
        .signed_by(&leaf_key, &issuer)
        .expect("leaf certificate");

    TestPair {
        kind,
        chain_der: vec![leaf_cert.der().to_vec(), ca_cert.der().to_vec()],
        chain_pem: format!("{}{}", leaf_cert.pem(), ca_cert.pem()),
        key_der: leaf_key.serialize_der(),
        key_pem: leaf_key.serialize_pem(),
    }
}

/// Returns one pair per kind, made once per test binary because RSA 4096 generation is slow.
pub fn cached_pair(kind: KeyKind) -> &'static TestPair {
    static PAIRS: OnceLock<Vec<TestPair>> = OnceLock::new();
    let pairs = PAIRS.get_or_init(|| KeyKind::ALL.into_iter().map(make_pair).collect());
    pairs
        .iter()
        .find(|pair| pair.kind == kind)
        .expect("a pair for every kind")
}

/// Returns every algorithm that fits the key kind.
pub fn fitting_algorithms(kind: KeyKind) -> Vec<SignatureAlgorithm> {
    SignatureAlgorithm::ALL
        .into_iter()
        .filter(|algorithm| algorithm.key_type() == kind.key_type())
        .collect()
}

/// Wraps DER in PEM armour with 64-character lines.
pub fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut text = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        text.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        text.push('\n');
    }
    text.push_str(&format!("-----END {label}-----\n"));
    text
}

/// Encodes one DER element with a definite length.
pub fn der_element(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&byte| byte == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend(content);
    out
}

/// Splits DER SEQUENCE content into whole elements (tag, length and content included).
pub fn der_children(content: &[u8]) -> Vec<&[u8]> {
    let mut children = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (header, len) = der_header(rest);
        children.push(&rest[..header + len]);
        rest = &rest[header + len..];
    }
    children
}

/// Returns the header length and content length of the element at the start of `der`.
pub fn der_header(der: &[u8]) -> (usize, usize) {
    let first = der[1] as usize;
    if first < 0x80 {
        return (2, first);
    }
    let count = first & 0x7f;
    let len = der[2..2 + count]
        .iter()
        .fold(0usize, |len, &byte| (len << 8) | byte as usize);
    (2 + count, len)
}

fn der_content(element: &[u8]) -> &[u8] {
    let (header, len) = der_header(element);
    &element[header..header + len]
}

/// The elements of a PKCS#8 `PrivateKeyInfo`: version, AlgorithmIdentifier, privateKey.
fn pkcs8_parts(pkcs8: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let children = der_children(der_content(pkcs8));
    let algorithm = children[1].to_vec();
    let private_key = der_content(children[2]).to_vec();
    (children[0].to_vec(), algorithm, private_key)
}

/// Extracts the key inside a PKCS#8 `PrivateKeyInfo`: a PKCS#1 `RSAPrivateKey` for RSA, a SEC1
/// `ECPrivateKey` for EC.
pub fn pkcs8_inner_key(pkcs8: &[u8]) -> Vec<u8> {
    pkcs8_parts(pkcs8).2
}

/// Extracts the named-curve OID element of an EC PKCS#8 key.
pub fn pkcs8_curve_oid(pkcs8: &[u8]) -> Vec<u8> {
    let algorithm = pkcs8_parts(pkcs8).1;
    der_children(der_content(&algorithm))[1].to_vec()
}

/// Builds SEC1 keys with and without the `[0]` curve parameters from an EC PKCS#8 key.
pub fn sec1_with_and_without_curve(pkcs8: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let inner = pkcs8_inner_key(pkcs8);
    let children = der_children(der_content(&inner));
    let version = children[0];
    let private_key = children[1];
    let public_key: Vec<u8> = children
        .iter()
        .filter(|child| child[0] == 0xa1)
        .flat_map(|child| child.to_vec())
        .collect();

    let curve = der_element(0xa0, &pkcs8_curve_oid(pkcs8));
    let with = [version, private_key, &curve, &public_key].concat();
    let without = [version, private_key, &public_key].concat();
    (der_element(0x30, &with), der_element(0x30, &without))
}

pub fn sample_identity() -> TaskIdentity {
    TaskIdentity {
        task: Some(TaskInfo {
            container_id: Some("container-1".to_owned()),
            task_id: Some("6a6c9d8e-task".to_owned()),
            host_name: Some("titus-host-1".to_owned()),
            status: Some(task_info::Status::Running as i32),
            ..Default::default()
        }),
        container: Some(ContainerInfo {
            app_name: Some("identity".to_owned()),
            image_name: Some("titusops/alpine".to_owned()),
            ..Default::default()
        }),
        unix_timestamp_sec: Some(1_700_000_000),
        ipv4_address: Some("100.66.1.2".to_owned()),
        ipv6_address: None,
    }
}

pub fn sample_pod_identity() -> TaskPodIdentity {
    TaskPodIdentity {
        task_info: TaskInfo {
            task_id: Some("6a6c9d8e-task".to_owned()),
            ..Default::default()
        },
        pod: br#"{"kind":"Pod","metadata":{"name":"6a6c9d8e-task"}}"#.to_vec(),
        request_timestamp: Timestamp {
            seconds: 1_700_000_000,
            nanos: 5,
        },
        ipv4_address: Some("100.66.1.2".to_owned()),
        ipv6_address: Some("2600:1f18::1".to_owned()),
    }
}

/// Selects the aws-lc-rs verification algorithm for a signature algorithm and a curve.
fn verification(
    algorithm: SignatureAlgorithm,
    curve_oid: Option<&[u8]>,
) -> &'static dyn VerificationAlgorithm {
    const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];

    static RSA_SHA256: signature::RsaParameters = signature::RSA_PSS_2048_8192_SHA256
        .with_pss_salt_length(signature::RsaPssSaltLength::Custom(20));
    static RSA_SHA384: signature::RsaParameters = signature::RSA_PSS_2048_8192_SHA384
        .with_pss_salt_length(signature::RsaPssSaltLength::Custom(20));
    static RSA_SHA512: signature::RsaParameters = signature::RSA_PSS_2048_8192_SHA512
        .with_pss_salt_length(signature::RsaPssSaltLength::Custom(20));

    let hash = algorithm.hash();
    match (algorithm.key_type(), curve_oid, hash) {
        (KeyType::Rsa, _, HashAlgorithm::Sha256) => &RSA_SHA256,
        (KeyType::Rsa, _, HashAlgorithm::Sha384) => &RSA_SHA384,
        (KeyType::Rsa, _, HashAlgorithm::Sha512) => &RSA_SHA512,
        (KeyType::Ec, Some(P256), HashAlgorithm::Sha256) => &signature::ECDSA_P256_SHA256_ASN1,
        (KeyType::Ec, Some(P256), HashAlgorithm::Sha384) => &signature::ECDSA_P256_SHA384_ASN1,
        (KeyType::Ec, Some(P256), HashAlgorithm::Sha512) => &signature::ECDSA_P256_SHA512_ASN1,
        (KeyType::Ec, Some(P384), HashAlgorithm::Sha256) => &signature::ECDSA_P384_SHA256_ASN1,
        (KeyType::Ec, Some(P384), HashAlgorithm::Sha384) => &signature::ECDSA_P384_SHA384_ASN1,
        (KeyType::Ec, Some(P384), HashAlgorithm::Sha512) => &signature::ECDSA_P384_SHA512_ASN1,
        (KeyType::Ec, _, HashAlgorithm::Sha256) => &signature::ECDSA_P521_SHA256_ASN1,
        (KeyType::Ec, _, HashAlgorithm::Sha384) => &signature::ECDSA_P521_SHA384_ASN1,
        (KeyType::Ec, _, HashAlgorithm::Sha512) => &signature::ECDSA_P521_SHA512_ASN1,
    }
}

/// Verifies `signature` over `message` with the public key of the leaf in its own
/// `certChain`, using the algorithm it names and a 20-byte PSS salt.
pub fn verify_with_own_leaf(
    signature: &CertificateSignature,
    message: &[u8],
) -> Result<(), String> {
    let number = signature.algorithm.ok_or("algorithm is not set")?;
    let algorithm = SignatureAlgorithm::from_number(number).map_err(|e| e.to_string())?;
    let leaf = signature.cert_chain.first().ok_or("certChain is empty")?;
    let (_, certificate) = x509_parser::parse_x509_certificate(leaf).map_err(|e| e.to_string())?;

    let spki = certificate.public_key();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .map(|parameters| parameters.data);
    let verifier = UnparsedPublicKey::new(
        verification(algorithm, curve),
        spki.subject_public_key.data.as_ref(),
    );
    let bytes = signature
        .signature
        .as_deref()
        .ok_or("signature is not set")?;
    verifier
        .verify(message, bytes)
        .map_err(|_| format!("{algorithm} signature does not verify"))
}
