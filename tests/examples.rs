//! Runs the code of `examples/` on a PKI that the `demo` subcommand writes.

use std::path::Path;
use std::process::Command;

#[allow(dead_code)]
#[path = "../examples/agent_sign.rs"]
mod agent_sign;

#[allow(dead_code)]
#[path = "../examples/service_verify.rs"]
mod service_verify;

fn demo_dir(name: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let dir = dir.to_string_lossy().into_owned();
    let status = Command::new(env!("CARGO_BIN_EXE_titus-identity"))
        .args(["demo", "--dir", &dir])
        .output()
        .expect("run demo");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    dir
}

#[test]
fn agent_document_verifies_at_service() {
    let dir = demo_dir("examples");
    let signed = format!("{dir}/example.pb");
    for agent in ["rsa", "ec"] {
        let chain = format!("{dir}/chain-{agent}.pem");
        let key = format!("{dir}/key-{agent}.pem");
        let result = agent_sign::sign(&chain, &key, &signed);
        assert!(result.is_ok(), "{agent}: {result:?}");

        let result = service_verify::verify(&format!("{dir}/trust.pem"), &signed);
        assert!(result.is_ok(), "{agent}: {result:?}");
    }
}

#[test]
fn service_rejects_foreign_document() {
    let dir = demo_dir("examples-signer");
    let other = demo_dir("examples-other");
    let signed = format!("{dir}/example.pb");
    let result = agent_sign::sign(
        &format!("{dir}/chain-ec.pem"),
        &format!("{dir}/key-ec.pem"),
        &signed,
    );
    assert!(result.is_ok(), "{result:?}");

    let result = service_verify::verify(&format!("{other}/trust.pem"), &signed);
    assert!(result.is_err(), "a document from another PKI was accepted");
}
