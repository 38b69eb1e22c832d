//! `demo`: a throwaway PKI, a sample identity signed in all three document kinds with an
//! RSA and an EC agent key, and each document verified.

use std::fs;
use std::path::Path;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, RsaKeySize,
};
use time::{Duration, OffsetDateTime};
use titus_identity::codec::{
    self, container_info, task_info, ContainerInfo, TaskIdentity, TaskInfo, TaskPodIdentity,
};
use titus_identity::document::{json, DocumentKind};
use titus_identity::signing::{stamp_now, stamp_pod_now, Credentials, Signer, SignerOptions};
use titus_identity::verification::{TrustAnchors, Verifier, VerifierPolicy};

use super::io::{self, FileMode};
use super::Failure;

/// One agent's PEM chain (leaf, then intermediate) and private key.
struct Agent {
    name: &'static str,
    chain_pem: String,
    key_pem: String,
}

/// The throwaway PKI: a root anchor and two agents under one intermediate.
struct Pki {
    root_pem: String,
    agents: Vec<Agent>,
}

pub(crate) fn run(dir: Option<&Path>) -> Result<(), Failure> {
    println!("1. Creating a throwaway PKI: root CA, intermediate CA, RSA and EC agent keys");
    let pki = make_pki().map_err(|e| Failure::usage(format!("create demo PKI: {e}")))?;
    let verifier = demo_verifier(&pki)?;
    if let Some(dir) = dir {
        write_pki(dir, &pki)?;
    }

    println!("2. Signing a sample identity in each document kind with each agent key");
    for agent in &pki.agents {
        let signer = agent_signer(agent)?;
        for kind in [
            DocumentKind::Identity,
            DocumentKind::Pod,
            DocumentKind::String,
        ] {
            let document = sign_sample(&signer, kind)?;
            let file_name = document_file_name(agent, kind);
            verify_step(&verifier, &document, kind, &file_name)?;
            if let Some(dir) = dir {
                io::write_file(&dir.join(&file_name), &document, FileMode::Public)?;
            }
        }
    }

    println!("3. All six documents verified against the demo root");
    if let Some(dir) = dir {
        print_repeat_commands(dir);
    }
    Ok(())
}

fn make_pki() -> Result<Pki, rcgen::Error> {
    let root_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)?;
    let root_params = ca_params("Titus Demo Root CA", None)?;
    let root = root_params.self_signed(&root_key)?;
    let root_issuer = Issuer::new(root_params, root_key);

    let intermediate_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let intermediate_params = ca_params("Titus Demo Agent CA", Some(0))?;
    let intermediate = intermediate_params.signed_by(&intermediate_key, &root_issuer)?;
    let intermediate_issuer = Issuer::new(intermediate_params, intermediate_key);

    let rsa_key = KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_2048)?;
    let ec_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut agents = Vec::new();
    for (name, key) in [("rsa", rsa_key), ("ec", ec_key)] {
        let leaf = leaf_params(name)?.signed_by(&key, &intermediate_issuer)?;
        agents.push(Agent {
            name,
            chain_pem: format!("{}{}", leaf.pem(), intermediate.pem()),
            key_pem: key.serialize_pem(),
        });
    }
    Ok(Pki {
        root_pem: root.pem(),
        agents,
    })
}

fn ca_params(name: &str, path_len: Option<u8>) -> Result<CertificateParams, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = match path_len {
        Some(length) => IsCa::Ca(BasicConstraints::Constrained(length)),
        None => IsCa::Ca(BasicConstraints::Unconstrained),
    };
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.use_authority_key_identifier_extension = path_len.is_some();
    set_validity(&mut params, Duration::days(30));
    Ok(params)
}

fn leaf_params(name: &str) -> Result<CertificateParams, rcgen::Error> {
    let mut params = CertificateParams::new(vec![format!("agent-{name}.titus.invalid")])?;
    params
        .distinguished_name
        .push(DnType::CommonName, format!("Titus demo agent ({name})"));
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.use_authority_key_identifier_extension = true;
    set_validity(&mut params, Duration::days(1));
    Ok(params)
}

/// Valid from an hour ago, so that small clock differences do not matter.
fn set_validity(params: &mut CertificateParams, lifetime: Duration) {
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::hours(1);
    params.not_after = now + lifetime;
}

fn demo_verifier(pki: &Pki) -> Result<Verifier, Failure> {
    let anchors = TrustAnchors::from_pem(pki.root_pem.as_bytes()).map_err(Failure::usage)?;
    Verifier::new(anchors, VerifierPolicy::default()).map_err(Failure::usage)
}

fn agent_signer(agent: &Agent) -> Result<Signer, Failure> {
    let credentials = Credentials::from_pem(agent.chain_pem.as_bytes(), agent.key_pem.as_bytes())
        .map_err(Failure::usage)?;
    let signer = Signer::new(credentials, SignerOptions::new()).map_err(Failure::usage)?;
    println!("   {} agent signs with {}", agent.name, signer.algorithm());
    Ok(signer)
}

fn sample_task() -> TaskInfo {
    TaskInfo {
        container_id: Some("titus-demo-container".to_owned()),
        task_id: Some("demo-task-0001".to_owned()),
        host_name: Some("agent.titus.invalid".to_owned()),
        status: Some(task_info::Status::Running as i32),
        ..TaskInfo::default()
    }
}

/// The sample identity, also written as `identity.json` for the `sign` command.
fn sample_identity() -> TaskIdentity {
    let mut container = ContainerInfo {
        image_name: Some("titusops/demo".to_owned()),
        app_name: Some("demo".to_owned()),
        image_pull_policy: Some(container_info::ImagePullPolicy::Always as i32),
        ..ContainerInfo::default()
    };
    container
        .titus_provided_env
        .insert("TITUS_TASK_ID".to_owned(), "demo-task-0001".to_owned());
    TaskIdentity {
        task: Some(sample_task()),
        container: Some(container),
        unix_timestamp_sec: None,
        ipv4_address: Some("192.0.2.10".to_owned()),
        ipv6_address: None,
    }
}

/// The sample pod identity, also written as `pod.json` for the `sign` command.
fn sample_pod() -> TaskPodIdentity {
    TaskPodIdentity {
        task_info: sample_task(),
        pod: br#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"demo"}}"#.to_vec(),
        request_timestamp: codec::Timestamp::default(),
        ipv4_address: Some("192.0.2.10".to_owned()),
        ipv6_address: None,
    }
}

fn sign_sample(signer: &Signer, kind: DocumentKind) -> Result<Vec<u8>, Failure> {
    match kind {
        DocumentKind::Pod => {
            let mut pod = sample_pod();
            stamp_pod_now(&mut pod).map_err(Failure::usage)?;
            let document = signer.sign_pod_identity(&pod).map_err(Failure::usage)?;
            Ok(codec::encode_pod_document(&document))
        }
        DocumentKind::String => {
            let mut identity = sample_identity();
            stamp_now(&mut identity).map_err(Failure::usage)?;
            let document = signer
                .sign_identity_string(&identity)
                .map_err(Failure::usage)?;
            Ok(format!("{}\n", json::string_document_to_json(&document)).into_bytes())
        }
        _ => {
            let mut identity = sample_identity();
            stamp_now(&mut identity).map_err(Failure::usage)?;
            let document = signer.sign_identity(&identity).map_err(Failure::usage)?;
            Ok(codec::encode_identity_document(&document))
        }
    }
}

fn verify_step(
    verifier: &Verifier,
    document: &[u8],
    kind: DocumentKind,
    file_name: &str,
) -> Result<(), Failure> {
    let verified = verifier
        .verify(document, None)
        .map_err(|e| Failure::rejected(format!("{file_name}: {e}")))?;
    println!(
        "   {file_name}: {} document, {} bytes, verified (signer {}, path of {})",
        kind,
        document.len(),
        verified.leaf().subject,
        verified.path_length()
    );
    Ok(())
}

fn document_file_name(agent: &Agent, kind: DocumentKind) -> String {
    match kind {
        DocumentKind::String => format!("string-{}.json", agent.name),
        other => format!("{}-{}.pb", other.name(), agent.name),
    }
}

fn write_pki(dir: &Path, pki: &Pki) -> Result<(), Failure> {
    fs::create_dir_all(dir)
        .map_err(|e| Failure::usage(format!("create {}: {e}", dir.display())))?;
    let public = FileMode::Public;
    io::write_file(&dir.join("trust.pem"), pki.root_pem.as_bytes(), public)?;
    for agent in &pki.agents {
        let chain = dir.join(format!("chain-{}.pem", agent.name));
        io::write_file(&chain, agent.chain_pem.as_bytes(), public)?;
        let key = dir.join(format!("key-{}.pem", agent.name));
        io::write_file(&key, agent.key_pem.as_bytes(), FileMode::Private)?;
    }
    let identity = json::task_identity_to_json(&sample_identity()) + "\n";
    io::write_file(&dir.join("identity.json"), identity.as_bytes(), public)?;
    // Without requestTimestamp, `sign --kind pod` stamps the current time.
    let pod = json::task_pod_identity_to_json(&sample_pod());
    let pod = pod.replace(",\"requestTimestamp\":{}", "") + "\n";
    io::write_file(&dir.join("pod.json"), pod.as_bytes(), public)
}

fn print_repeat_commands(dir: &Path) {
    let d = dir.display();
    println!("Files are in {d}. To repeat the steps (from a source tree, put");
    println!("`cargo run --release --` in place of `titus-identity`):");
    println!("   titus-identity sign --cert {d}/chain-ec.pem --key {d}/key-ec.pem \\");
    println!("       --kind string --out {d}/mine.json {d}/identity.json");
    println!("   titus-identity verify --trust {d}/trust.pem {d}/mine.json");
    println!("   titus-identity verify --trust {d}/trust.pem {d}/pod-rsa.pb");
    println!("   titus-identity inspect {d}/identity-ec.pb");
}
