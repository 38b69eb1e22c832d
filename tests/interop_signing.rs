//! Cross-checks signatures with independent verifiers: Python `cryptography`
//! (tests/interop/verify_signatures.py) and the Go standard library (tests/interop/goverify).
//!
//! The Python check runs when `TITUS_INTEROP_PYTHON` names an interpreter with
//! `cryptography` installed; the Go check runs when `go` (or `TITUS_INTEROP_GO`) is found.
//! Otherwise each test prints why it skipped, unless `TITUS_INTEROP_REQUIRED=1`, which makes
//! a missing verifier a failure. `tests/interop/setup.sh` installs both.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::{cached_pair, fitting_algorithms, sample_identity, sample_pod_identity, KeyKind};
use serde_json::{json, Value};
use titus_identity::codec::{encode_task_identity, CertificateSignature};
use titus_identity::signing::{Credentials, PssSaltLength, Signer, SignerOptions};
use titus_identity::{KeyType, SignatureAlgorithm};

const INTEROP_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop");

fn required() -> bool {
    std::env::var("TITUS_INTEROP_REQUIRED").is_ok_and(|value| value == "1")
}

fn skip(reason: &str) {
    assert!(!required(), "TITUS_INTEROP_REQUIRED=1 but {reason}");
    eprintln!("SKIPPED: {reason}; run tests/interop/setup.sh to install the verifiers");
}

fn make_signer(kind: KeyKind, algorithm: SignatureAlgorithm, salt: PssSaltLength) -> Signer {
    let pair = cached_pair(kind);
    let credentials = Credentials::from_der(&pair.chain_der, &pair.key_der).expect("load");
    let options = SignerOptions::new()
        .with_algorithm(algorithm)
        .with_pss_salt_length(salt);
    Signer::new(credentials, options).expect("signer")
}

fn manifest_case(
    name: String,
    algorithm: SignatureAlgorithm,
    salt: PssSaltLength,
    signature: &CertificateSignature,
    message: &[u8],
) -> Value {
    let salt_length = match (algorithm.key_type(), salt) {
        (KeyType::Ec, _) => Value::Null,
        (KeyType::Rsa, PssSaltLength::DigestLength) => json!(algorithm.hash().output_len()),
        (KeyType::Rsa, _) => json!(20),
    };
    json!({
        "name": name,
        "algorithm": algorithm.name(),
        "certificate": STANDARD.encode(&signature.cert_chain[0]),
        "message": STANDARD.encode(message),
        "signature": STANDARD.encode(signature.signature.as_deref().expect("signature")),
        "pss_salt_length": salt_length,
    })
}

/// Signs every document kind with every algorithm and fitting key, with a 20-byte salt,
/// and each RSA algorithm once more with a digest-length salt.
fn manifest_cases() -> Vec<Value> {
    let identity = sample_identity();
    let pod_identity = sample_pod_identity();
    let mut cases = Vec::new();

    for kind in KeyKind::ALL {
        for algorithm in fitting_algorithms(kind) {
            let salt = PssSaltLength::Twenty;
            let signer = make_signer(kind, algorithm, salt);
            let name = |document: &str| format!("{kind:?} {algorithm} {document}");

            let document = signer.sign_identity(&identity).expect("sign identity");
            let message = document.identity.expect("identity");
            let signature = document.signature.expect("signature");
            cases.push(manifest_case(
                name("TaskIdentityDocument"),
                algorithm,
                salt,
                &signature,
                &message,
            ));

            let document = signer.sign_pod_identity(&pod_identity).expect("sign pod");
            let message = document.pod_identity.expect("podIdentity");
            let signature = document.signature.expect("signature");
            cases.push(manifest_case(
                name("TaskPodIdentityDocument"),
                algorithm,
                salt,
                &signature,
                &message,
            ));

            let document = signer.sign_identity_string(&identity).expect("sign string");
            let signature = decode_string_signature(document.signature.expect("signature"));
            let message = encode_task_identity(&document.identity.expect("identity"));
            cases.push(manifest_case(
                name("TaskIdentityStringDocument"),
                algorithm,
                salt,
                &signature,
                &message,
            ));

            if kind.key_type() == KeyType::Rsa {
                let salt = PssSaltLength::DigestLength;
                let signer = make_signer(kind, algorithm, salt);
                let document = signer.sign_identity(&identity).expect("sign identity");
                let message = document.identity.expect("identity");
                let signature = document.signature.expect("signature");
                let name = name("TaskIdentityDocument digest-length salt");
                cases.push(manifest_case(name, algorithm, salt, &signature, &message));
            }
        }
    }
    cases
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

/// Writes the manifest to a fresh directory and returns the directory, the manifest path and
/// the number of cases.
fn write_manifest(verifier: &str) -> (PathBuf, PathBuf, usize) {
    let dir = std::env::temp_dir().join(format!("titus-interop-{verifier}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let cases = manifest_cases();
    let path = dir.join("manifest.json");
    let text = serde_json::to_string_pretty(&json!({ "cases": cases })).expect("serialize");
    std::fs::write(&path, text).expect("write manifest");
    (dir, path, cases.len())
}

fn assert_all_verified(verifier: &str, output: &std::process::Output, cases: usize) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "{verifier} failed:\n{stdout}\n{stderr}"
    );

    let summary = format!("{verifier}: checked {cases} cases, 0 failures");
    assert!(
        stdout.contains(&summary),
        "expected {summary:?} in:\n{stdout}\n{stderr}"
    );
}

#[test]
fn python_cryptography_verifies() {
    let Some(python) = std::env::var_os("TITUS_INTEROP_PYTHON") else {
        skip("TITUS_INTEROP_PYTHON is not set");
        return;
    };

    let (dir, manifest, cases) = write_manifest("python");
    let script = Path::new(INTEROP_DIR).join("verify_signatures.py");
    let output = Command::new(&python)
        .arg(&script)
        .arg(&manifest)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", Path::new(&python).display()));

    assert_all_verified("python-cryptography", &output, cases);
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
}

#[test]
fn go_stdlib_verifies() {
    let go = std::env::var_os("TITUS_INTEROP_GO").unwrap_or_else(|| "go".into());
    if Command::new(&go).arg("version").output().is_err() {
        skip("the go command was not found (set TITUS_INTEROP_GO or install Go)");
        return;
    }

    let (dir, manifest, cases) = write_manifest("go");
    let binary = dir.join("goverify");
    let build = Command::new(&go)
        .args(["build", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(Path::new(INTEROP_DIR).join("goverify"))
        .output()
        .expect("run go build");
    let build_errors = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "go build failed:\n{build_errors}");

    let output = Command::new(&binary)
        .arg(&manifest)
        .output()
        .expect("run goverify");
    assert_all_verified("go-stdlib", &output, cases);
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
}
