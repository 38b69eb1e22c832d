//! Test PKI made with rcgen at run time, and sample identities, shared by the
//! integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, RsaKeySize, SignatureAlgorithm,
};
use titus_identity::codec::{
    container_info, task_info, ContainerInfo, TaskIdentity, TaskInfo, TaskPodIdentity, Timestamp,
};

/// The key types of the test leaves: every RSA size and curve the agent may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LeafKey {
    Rsa2048,
    Rsa3072,
    Rsa4096,
    P256,
    P384,
    P521,
}

impl LeafKey {
    pub(crate) const ALL: [Self; 6] = [
        Self::Rsa2048,
        Self::Rsa3072,
        Self::Rsa4096,
        Self::P256,
        Self::P384,
        Self::P521,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Rsa2048 => "rsa2048",
            Self::Rsa3072 => "rsa3072",
            Self::Rsa4096 => "rsa4096",
            Self::P256 => "p256",
            Self::P384 => "p384",
            Self::P521 => "p521",
        }
    }

    pub(crate) fn is_rsa(self) -> bool {
        matches!(self, Self::Rsa2048 | Self::Rsa3072 | Self::Rsa4096)
    }

    fn generate(self) -> KeyPair {
        let generated = match self {
            Self::Rsa2048 => KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_2048),
            Self::Rsa3072 => KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_3072),
            Self::Rsa4096 => KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_4096),
            Self::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
            Self::P384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
            Self::P521 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512),
        };
        generated.expect("generate leaf key")
    }
}

/// A leaf certificate with its chain and private key.
pub(crate) struct Leaf {
    pub(crate) key_type: LeafKey,
    /// Leaf then intermediate, DER.
    pub(crate) chain_der: Vec<Vec<u8>>,
    /// Leaf then intermediate, PEM.
    pub(crate) chain_pem: String,
    /// PKCS#8 PEM.
    pub(crate) key_pem: String,
    /// PKCS#8 DER.
    pub(crate) key_der: Vec<u8>,
}

/// A root CA, one intermediate CA, and one leaf per [`LeafKey`].
pub(crate) struct TestPki {
    pub(crate) root_der: Vec<u8>,
    pub(crate) root_pem: String,
    pub(crate) intermediate_der: Vec<u8>,
    pub(crate) leaves: Vec<Leaf>,
}

impl TestPki {
    pub(crate) fn leaf(&self, key_type: LeafKey) -> &Leaf {
        self.leaves
            .iter()
            .find(|leaf| leaf.key_type == key_type)
            .expect("every LeafKey has a leaf")
    }
}

/// Returns the PKI of this test binary, made on first use because RSA key generation is
/// slow in debug builds.
pub(crate) fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(make_pki)
}

fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::OrganizationName, "Titus Identity Tests");
    name.push(DnType::CommonName, common_name);
    name
}

/// Returns certificate parameters valid from 2020 to 2060.
pub(crate) fn base_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = name(common_name);
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2060, 1, 1);
    params
}

/// Returns CA parameters allowing `path_len` CAs below this one.
pub(crate) fn ca_params(common_name: &str, path_len: Option<u8>) -> CertificateParams {
    let mut params = base_params(common_name);
    params.is_ca = IsCa::Ca(match path_len {
        Some(length) => BasicConstraints::Constrained(length),
        None => BasicConstraints::Unconstrained,
    });
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

/// Returns leaf parameters with the digital-signature key usage.
pub(crate) fn leaf_params(common_name: &str) -> CertificateParams {
    let mut params = base_params(common_name);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params
}

pub(crate) fn ec_key(algorithm: &'static SignatureAlgorithm) -> KeyPair {
    KeyPair::generate_for(algorithm).expect("generate EC key")
}

fn make_pki() -> TestPki {
    let root_key = ec_key(&rcgen::PKCS_ECDSA_P384_SHA384);
    let root = CertifiedIssuer::self_signed(ca_params("Test Root CA", None), root_key)
        .expect("self-sign root");

    let intermediate_key = ec_key(&rcgen::PKCS_ECDSA_P256_SHA256);
    let intermediate = CertifiedIssuer::signed_by(
        ca_params("Test Intermediate CA", Some(0)),
        intermediate_key,
        &root,
    )
    .expect("sign intermediate");

    let leaves = LeafKey::ALL
        .into_iter()
        .map(|key_type| make_leaf(key_type, &intermediate))
        .collect();

    TestPki {
        root_der: root.der().to_vec(),
        root_pem: root.pem(),
        intermediate_der: intermediate.der().to_vec(),
        leaves,
    }
}

fn make_leaf(key_type: LeafKey, intermediate: &CertifiedIssuer<'_, KeyPair>) -> Leaf {
    let key = key_type.generate();
    let params = leaf_params(&format!("titus-agent-{}", key_type.name()));
    let certificate = params.signed_by(&key, intermediate).expect("sign leaf");

    Leaf {
        key_type,
        chain_der: vec![certificate.der().to_vec(), intermediate.der().to_vec()],
        chain_pem: format!("{}{}", certificate.pem(), intermediate.pem()),
        key_pem: key.serialize_pem(),
        key_der: key.serialize_der(),
    }
}

/// Returns a TaskIdentity with maps whose key orders differ between protobuf runtimes,
/// nested messages, negative enums and empty strings.
pub(crate) fn sample_identity(unix_timestamp_sec: u64) -> TaskIdentity {
    TaskIdentity {
        task: Some(sample_task_info()),
        container: Some(sample_container()),
        unix_timestamp_sec: Some(unix_timestamp_sec),
        ipv4_address: Some("192.0.2.20".to_owned()),
        ipv6_address: Some("2001:db8::20".to_owned()),
    }
}

/// Returns a TaskPodIdentity with opaque pod bytes and a nanosecond timestamp.
pub(crate) fn sample_pod_identity(seconds: i64) -> TaskPodIdentity {
    TaskPodIdentity {
        task_info: sample_task_info(),
        pod: b"{\"kind\":\"Pod\"}\x00\xff".to_vec(),
        request_timestamp: Timestamp {
            seconds,
            nanos: 987_654_321,
        },
        ipv4_address: Some("192.0.2.21".to_owned()),
        ipv6_address: None,
    }
}

fn sample_task_info() -> TaskInfo {
    TaskInfo {
        container_id: Some("titus-rust-container".to_owned()),
        task_id: Some("0f1e2d3c-4b5a-4968-8776-655443322110".to_owned()),
        host_name: Some("titusagent-2.example.test".to_owned()),
        status: Some(task_info::Status::Running as i32),
        environment_variable: vec![task_info::EnvironmentVariable {
            name: Some("EMPTY".to_owned()),
            value: Some(String::new()),
        }],
        ..TaskInfo::default()
    }
}

fn sample_container() -> ContainerInfo {
    let env = [
        "VAR10",
        "VAR100",
        "VAR2",
        "Z",
        "a",
        "\u{e9}t\u{e9}",
        "",
        "\u{1f600}",
    ]
    .iter()
    .enumerate()
    .map(|(index, key)| ((*key).to_owned(), format!("value-{index}")))
    .collect::<BTreeMap<_, _>>();

    ContainerInfo {
        image_name: Some("titusops/alpine".to_owned()),
        app_name: Some("interop".to_owned()),
        entrypoint_cmd: vec!["/bin/sh".to_owned(), "-c".to_owned(), "true".to_owned()],
        user_provided_env: env,
        titus_provided_env: BTreeMap::from([("EMPTY".to_owned(), String::new())]),
        capabilities: Some(container_info::Capabilities {
            add: vec![container_info::capabilities::Capability::NetAdmin as i32],
            drop: vec![container_info::capabilities::Capability::Chown as i32],
        }),
        oom_score_adj: Some(-1000),
        batch: Some(false),
        job_accepted_timestamp_ms: Some(1_700_000_000_123),
        ..ContainerInfo::default()
    }
}
