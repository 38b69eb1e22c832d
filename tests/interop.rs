//! Whole documents exchanged with independent implementations, in both directions:
//! tests/interop/python/titus_agent.py (Python `cryptography` and `protobuf`) signs
//! documents that this crate parses and verifies, and this crate's signer makes documents
//! that the Python program and tests/interop/godocs (Go standard library and protobuf-go)
//! verify. Every key type and size, every algorithm that fits it and all three document
//! kinds are covered.
//!
//! The Python program runs when `TITUS_INTEROP_PYTHON` names an interpreter with
//! tests/interop/python/requirements.txt installed. The Go program runs when `go` (or
//! `TITUS_INTEROP_GO`) and `protoc` are found. Otherwise each test prints why it skipped,
//! unless `TITUS_INTEROP_REQUIRED=1`, which makes a missing program a failure.
//! tests/interop/setup.sh installs both.

mod pki;
mod samples;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

use pki::{Leaf, LeafKey};
use titus_identity::codec::{self, encode_identity_document, encode_pod_document, DecodeLimits};
use titus_identity::document::{json, DocumentKind, SignedDocument};
use titus_identity::signing::{Credentials, Signer, SignerOptions};
use titus_identity::verification::{TrustAnchors, Verifier, VerifierPolicy};
use titus_identity::SignatureAlgorithm;

const INTEROP_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop");

/// Documents per direction: 3 RSA and 3 EC keys, 3 algorithms each, 3 document kinds.
const DOCUMENT_COUNT: usize = 6 * 3 * 3;

fn required() -> bool {
    std::env::var("TITUS_INTEROP_REQUIRED").is_ok_and(|value| value == "1")
}

fn skip(reason: &str) {
    assert!(!required(), "TITUS_INTEROP_REQUIRED=1 but {reason}");
    eprintln!("SKIPPED: {reason}; run tests/interop/setup.sh to install it");
}

fn python() -> Option<OsString> {
    let python = std::env::var_os("TITUS_INTEROP_PYTHON");
    if python.is_none() {
        skip("TITUS_INTEROP_PYTHON is not set");
    }
    python
}

fn go() -> Option<OsString> {
    let go = std::env::var_os("TITUS_INTEROP_GO").unwrap_or_else(|| "go".into());
    let found = |program: &OsString, flag: &str| Command::new(program).arg(flag).output().is_ok();
    if !found(&go, "version") {
        skip("the go command was not found (set TITUS_INTEROP_GO or install Go)");
        return None;
    }
    if !found(&"protoc".into(), "--version") {
        skip("protoc was not found");
        return None;
    }
    Some(go)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// Creates an empty scratch folder for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("titus-interop-{test}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear scratch folder");
    }
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("run {command:?}: {e}"))
}

/// Asserts that a verifier exited with success and printed one OK line per document.
fn assert_all_ok(verifier: &str, output: &Output, expected: usize) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "{verifier} failed:\n{stdout}\n{stderr}"
    );

    let ok_lines = stdout
        .lines()
        .filter(|line| line.starts_with("OK "))
        .count();
    assert_eq!(ok_lines, expected, "{verifier} output:\n{stdout}\n{stderr}");
    assert!(!stdout.contains("FAIL"), "{verifier} output:\n{stdout}");
}

// --- Python signs, this crate verifies ------------------------------------------------

/// Has the Python program sign every kind with every algorithm for one key, and returns
/// the document files.
fn python_sign(python: &OsString, leaf: &Leaf, dir: &Path) -> Vec<PathBuf> {
    let name = leaf.key_type.name();
    let chain = dir.join(format!("{name}-chain.pem"));
    let key = dir.join(format!("{name}-key.pem"));
    std::fs::write(&chain, &leaf.chain_pem).expect("write chain");
    std::fs::write(&key, &leaf.key_pem).expect("write key");

    let out_dir = dir.join(name);
    let output = run(Command::new(python)
        .arg(Path::new(INTEROP_DIR).join("python/titus_agent.py"))
        .arg("sign")
        .args(["--algorithm", "all", "--timestamp", &now().to_string()])
        .arg("--chain")
        .arg(&chain)
        .arg("--key")
        .arg(&key)
        .arg("--out-dir")
        .arg(&out_dir));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "Python sign failed:\n{stderr}");

    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(PathBuf::from)
        .collect()
}

/// Returns the kind and algorithm a Python document's file name states, such as
/// `string-SHA512withECDSA.json`.
fn expected_from_name(path: &Path) -> (DocumentKind, SignatureAlgorithm) {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("UTF-8 name");
    let (kind, algorithm) = stem.split_once('-').expect("KIND-ALGORITHM file name");
    let kind = match kind {
        "identity" => DocumentKind::Identity,
        "pod" => DocumentKind::Pod,
        _ => DocumentKind::String,
    };
    let algorithm = SignatureAlgorithm::from_name(algorithm).expect("algorithm name");
    (kind, algorithm)
}

/// Returns a verifier that trusts the test root CA, with the default policy.
fn verifier() -> Verifier {
    let anchors = TrustAnchors::from_der([&pki::get().root_der]).expect("anchor");
    Verifier::new(anchors, VerifierPolicy::default()).expect("verifier")
}

fn check_python_document(path: &Path, leaf: &Leaf, verifier: &Verifier) {
    let bytes = std::fs::read(path).expect("read document");
    let limits = DecodeLimits::default();
    let (kind, algorithm) = expected_from_name(path);
    let context = path.display();

    let detected = DocumentKind::detect(&bytes, &limits);
    assert_eq!(detected, Ok(kind), "{context}");
    let document = SignedDocument::parse(&bytes, kind, &limits)
        .unwrap_or_else(|e| panic!("{context}: parse: {e}"));
    assert_eq!(document.algorithm, algorithm, "{context}");
    assert_eq!(document.cert_chain, leaf.chain_der, "{context}");

    if kind == DocumentKind::Pod {
        let pod = codec::decode_task_pod_identity(&document.signed_bytes, &limits);
        assert!(pod.is_ok(), "{context}: {pod:?}");
    } else {
        let identity = codec::decode_task_identity(&document.signed_bytes, &limits);
        assert!(identity.is_ok(), "{context}: {identity:?}");
    }

    let verified = verifier
        .verify(&bytes, None)
        .unwrap_or_else(|e| panic!("{context}: verify: {e}"));
    assert_eq!(verified.kind(), kind, "{context}");
    assert_eq!(verified.algorithm(), algorithm, "{context}");
    assert_eq!(verified.path_length(), 3, "{context}");
}

#[test]
fn python_documents_verify_here() {
    let Some(python) = python() else { return };
    let dir = scratch("python-signed");
    let verifier = verifier();
    let mut checked = 0;

    for key_type in LeafKey::ALL {
        let leaf = pki::get().leaf(key_type);
        for path in python_sign(&python, leaf, &dir) {
            check_python_document(&path, leaf, &verifier);
            checked += 1;
        }
    }

    assert_eq!(checked, DOCUMENT_COUNT);
    std::fs::remove_dir_all(&dir).expect("remove scratch folder");
}

// --- This crate signs, Python and Go verify ----------------------------------------------

fn make_signer(leaf: &Leaf, algorithm: SignatureAlgorithm) -> Signer {
    let credentials = Credentials::from_der(&leaf.chain_der, &leaf.key_der).expect("load");
    let options = SignerOptions::new().with_algorithm(algorithm);
    Signer::new(credentials, options).expect("signer")
}

/// Writes the three document kinds signed by one signer, and returns their paths.
fn write_documents(signer: &Signer, prefix: &Path) -> [PathBuf; 3] {
    let identity = samples::rich_identity(now());
    let seconds = i64::try_from(now()).expect("time fits i64");
    let pod_identity = samples::rich_pod_identity(seconds);
    let paths = ["identity.bin", "pod.bin", "string.json"]
        .map(|suffix| PathBuf::from(format!("{}-{suffix}", prefix.display())));

    let document = signer.sign_identity(&identity).expect("sign identity");
    std::fs::write(&paths[0], encode_identity_document(&document)).expect("write");
    let document = signer.sign_pod_identity(&pod_identity).expect("sign pod");
    std::fs::write(&paths[1], encode_pod_document(&document)).expect("write");
    let document = signer.sign_identity_string(&identity).expect("sign string");
    std::fs::write(&paths[2], json::string_document_to_json(&document)).expect("write");
    paths
}

/// Signs every document kind with every key and fitting algorithm into `dir`.
fn sign_all(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for key_type in LeafKey::ALL {
        let leaf = pki::get().leaf(key_type);
        for algorithm in key_type.algorithms() {
            let signer = make_signer(leaf, algorithm);
            let prefix = dir.join(format!("{}-{algorithm}", key_type.name()));
            paths.extend(write_documents(&signer, &prefix));
        }
    }
    assert_eq!(paths.len(), DOCUMENT_COUNT);
    paths
}

#[test]
fn python_verifies_our_documents() {
    let Some(python) = python() else { return };
    let dir = scratch("python-verify");
    let documents = sign_all(&dir);

    let output = run(Command::new(python)
        .arg(Path::new(INTEROP_DIR).join("python/titus_agent.py"))
        .arg("verify")
        .args(&documents));

    assert_all_ok("titus_agent.py verify", &output, DOCUMENT_COUNT);
    std::fs::remove_dir_all(&dir).expect("remove scratch folder");
}

/// Builds tests/interop/godocs in a GOPATH workspace made by go-env.sh.
fn build_godocs(go: &OsString, dir: &Path) -> PathBuf {
    let workspace = dir.join("gopath");
    let env = run(Command::new("bash")
        .arg(Path::new(INTEROP_DIR).join("go-env.sh"))
        .arg(&workspace));
    let stderr = String::from_utf8_lossy(&env.stderr);
    assert!(env.status.success(), "go-env.sh failed:\n{stderr}");

    let binary = dir.join("godocs");
    let mut gopath = workspace.clone().into_os_string();
    gopath.push(":/usr/share/gocode");
    let build = run(Command::new(go)
        .args(["build", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(workspace.join("src/titus-identity/interop/godocs"))
        .env("GOPATH", gopath)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env(
            "GOCACHE",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-build"),
        ));
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "go build failed:\n{stderr}");
    binary
}

#[test]
fn go_verifies_our_documents() {
    let Some(go) = go() else { return };
    let dir = scratch("go-verify");
    let binary = build_godocs(&go, &dir);
    let documents = sign_all(&dir);

    let output = run(Command::new(&binary).args(&documents));

    assert_all_ok("godocs", &output, DOCUMENT_COUNT);
    std::fs::remove_dir_all(&dir).expect("remove scratch folder");
}
