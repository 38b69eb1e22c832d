//! A PKI made with rcgen at run time that passes the crate's chain validation: a root
//! CA, an intermediate CA and one leaf per key type, with key identifiers and key usages.
#![allow(dead_code)]

use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, RsaKeySize, SignatureAlgorithm,
};
use titus_identity::KeyType;

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

    pub(crate) fn key_type(self) -> KeyType {
        match self {
            Self::Rsa2048 | Self::Rsa3072 | Self::Rsa4096 => KeyType::Rsa,
            Self::P256 | Self::P384 | Self::P521 => KeyType::Ec,
        }
    }

    /// Returns the algorithms that sign with this key type.
    pub(crate) fn algorithms(self) -> Vec<titus_identity::SignatureAlgorithm> {
        titus_identity::SignatureAlgorithm::ALL
            .into_iter()
            .filter(|algorithm| algorithm.key_type() == self.key_type())
            .collect()
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
pub(crate) fn get() -> &'static TestPki {
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
    params.use_authority_key_identifier_extension = true;
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
