//! A test PKI for the benchmarks: a P-384 root, a P-256 intermediate and agent leaves with
//! RSA-2048, P-256 and P-384 keys.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, RsaKeySize,
};

pub(crate) struct Leaf {
    pub(crate) name: &'static str,
    pub(crate) chain_pem: String,
    pub(crate) key_pem: String,
    /// The private key as PKCS#8, for the raw aws-lc-rs signing comparison.
    #[allow(dead_code, reason = "only the signing benchmark signs raw")]
    pub(crate) pkcs8: Vec<u8>,
    #[allow(dead_code, reason = "only the verification benchmark reads it")]
    pub(crate) chain_der: Vec<Vec<u8>>,
}

pub(crate) struct Pki {
    #[allow(dead_code, reason = "only the verification benchmark reads it")]
    pub(crate) root_der: Vec<u8>,
    pub leaves: Vec<Leaf>,
}

fn ca(name: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    params.use_authority_key_identifier_extension = true;
    params
}

fn leaf_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::new(vec![format!("{name}.bench.invalid")]).expect("leaf");
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.use_authority_key_identifier_extension = true;
    params
}

pub(crate) fn make_pki() -> Pki {
    let root_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).expect("root key");
    let root_params = ca("Bench Root");
    let root = root_params.self_signed(&root_key).expect("root");
    let root_issuer = Issuer::new(root_params, root_key);

    let mid_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("mid key");
    let mid_params = ca("Bench Intermediate");
    let mid = mid_params
        .signed_by(&mid_key, &root_issuer)
        .expect("intermediate");
    let mid_issuer = Issuer::new(mid_params, mid_key);

    let keys = [
        (
            "rsa2048",
            KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_2048),
        ),
        (
            "p256",
            KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
        ),
        (
            "p384",
            KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
        ),
    ];
    let leaves = keys
        .into_iter()
        .map(|(name, key)| {
            let key = key.expect("leaf key");
            let leaf = leaf_params(name)
                .signed_by(&key, &mid_issuer)
                .expect("leaf");
            Leaf {
                name,
                chain_pem: format!("{}{}", leaf.pem(), mid.pem()),
                key_pem: key.serialize_pem(),
                pkcs8: key.serialize_der(),
                chain_der: vec![leaf.der().to_vec(), mid.der().to_vec()],
            }
        })
        .collect();

    Pki {
        root_der: root.der().to_vec(),
        leaves,
    }
}
