//! The `titus-identity` command line: every subcommand and exit code, driven on files the
//! `demo` subcommand writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_titus-identity");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run titus-identity")
}

fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;

    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn titus-identity");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("wait")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// A fresh directory under the target directory, holding a demo PKI and documents.
fn demo_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let output = run(&["demo", "--dir", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code(&output), 0, "demo failed: {}", stderr(&output));
    dir
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// Runs `sign` with the demo agent's chain and key, followed by `rest`.
fn sign_with(dir: &Path, agent: &str, rest: &[&str]) -> Output {
    let chain = path(dir, &format!("chain-{agent}.pem"));
    let key = path(dir, &format!("key-{agent}.pem"));
    let mut args = vec!["sign", "--cert", &chain, "--key", &key];
    args.extend_from_slice(rest);
    run(&args)
}

#[test]
fn demo_prints_steps() {
    let output = run(&["demo"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("verified"), "{text}");
    assert_eq!(text.matches(": identity document").count(), 2, "{text}");
    assert_eq!(text.matches(": pod document").count(), 2, "{text}");
    assert_eq!(text.matches(": string document").count(), 2, "{text}");
}

#[test]
fn demo_files_verify_again() {
    let dir = demo_dir("demo-files");
    let trust = path(&dir, "trust.pem");
    for name in [
        "identity-rsa.pb",
        "pod-rsa.pb",
        "string-rsa.json",
        "identity-ec.pb",
        "pod-ec.pb",
        "string-ec.json",
    ] {
        let output = run(&["verify", "--trust", &trust, &path(&dir, name)]);
        assert_eq!(code(&output), 0, "{name}: {}", stderr(&output));
        let text = stdout(&output);
        assert!(text.contains(r#""verified":true"#), "{name}: {text}");
        assert!(text.contains("demo-task-0001"), "{name}: {text}");
    }
}

#[test]
fn verify_reports_identity_and_signer() {
    let dir = demo_dir("verify-report");
    let output = run(&[
        "verify",
        "--trust",
        &path(&dir, "trust.pem"),
        &path(&dir, "identity-ec.pb"),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON report");
    assert_eq!(report["kind"], "identity");
    assert_eq!(report["algorithm"], "SHA512withECDSA");
    assert_eq!(report["pathLength"], 3);
    assert_eq!(report["identity"]["task"]["taskId"], "demo-task-0001");
    assert_eq!(report["identity"]["task"]["status"], 0);
    let subject = report["signer"]["subject"].as_str().unwrap_or_default();
    assert!(subject.contains("Titus demo agent (ec)"), "{subject}");
}

#[test]
fn sign_then_verify_each_kind() {
    let dir = demo_dir("sign-kinds");
    let trust = path(&dir, "trust.pem");
    for (agent, kind, input) in [
        ("rsa", "identity", "identity.json"),
        ("ec", "string", "identity.json"),
        ("rsa", "pod", "pod.json"),
        ("ec", "pod", "pod.json"),
    ] {
        let out = path(&dir, &format!("signed-{agent}-{kind}"));
        let output = run(&[
            "sign",
            "--cert",
            &path(&dir, &format!("chain-{agent}.pem")),
            "--key",
            &path(&dir, &format!("key-{agent}.pem")),
            "--kind",
            kind,
            "--out",
            &out,
            &path(&dir, input),
        ]);
        assert_eq!(code(&output), 0, "sign {agent} {kind}: {}", stderr(&output));

        let output = run(&["verify", "--trust", &trust, "--kind", kind, &out]);
        assert_eq!(
            code(&output),
            0,
            "verify {agent} {kind}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn sign_honours_algorithm_and_salt() {
    let dir = demo_dir("sign-options");
    let out = path(&dir, "sha256.pb");
    let output = sign_with(
        &dir,
        "rsa",
        &[
            "--algorithm",
            "SHA256withRSAandMGF1",
            "--salt",
            "digest",
            "--out",
            &out,
            &path(&dir, "identity.json"),
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = run(&["verify", "--trust", &path(&dir, "trust.pem"), &out]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).contains("SHA256withRSAandMGF1"));
}

#[test]
fn sign_rejects_algorithm_for_other_key_type() {
    let dir = demo_dir("sign-mismatch");
    let output = sign_with(
        &dir,
        "ec",
        &[
            "--algorithm",
            "SHA512withRSAandMGF1",
            &path(&dir, "identity.json"),
        ],
    );
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("error:"), "{}", stderr(&output));
}

#[test]
fn sign_reads_stdin_and_writes_stdout() {
    let dir = demo_dir("sign-stdin");
    let args = [
        "sign",
        "--cert",
        &path(&dir, "chain-ec.pem"),
        "--key",
        &path(&dir, "key-ec.pem"),
        "--kind",
        "string",
        "-",
    ];
    let output = run_with_stdin(&args, br#"{"task": {"taskId": "from-stdin"}}"#);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let document = output.stdout;
    let verify = run_with_stdin(
        &["verify", "--trust", &path(&dir, "trust.pem"), "-"],
        &document,
    );
    assert_eq!(code(&verify), 0, "{}", stderr(&verify));
    assert!(stdout(&verify).contains("from-stdin"));
}

#[test]
fn verify_enforces_expectations() {
    let dir = demo_dir("verify-expect");
    let trust = path(&dir, "trust.pem");
    let document = path(&dir, "identity-rsa.pb");

    let ok = run(&[
        "verify",
        "--trust",
        &trust,
        "--expect-ip",
        "192.0.2.10",
        "--expect-task",
        "demo-task-0001",
        &document,
    ]);
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));

    let wrong_ip = run(&[
        "verify",
        "--trust",
        &trust,
        "--expect-ip",
        "192.0.2.11",
        &document,
    ]);
    assert_eq!(code(&wrong_ip), 1);
    let wrong_task = run(&[
        "verify",
        "--trust",
        &trust,
        "--expect-task",
        "other",
        &document,
    ]);
    assert_eq!(code(&wrong_task), 1);
    let server = run(&[
        "verify",
        "--trust",
        &trust,
        "--purpose",
        "server",
        &document,
    ]);
    assert_eq!(code(&server), 1, "clientAuth leaf accepted for serverAuth");
    let any = run(&["verify", "--trust", &trust, "--purpose", "any", &document]);
    assert_eq!(code(&any), 0, "{}", stderr(&any));
}

#[test]
fn verify_checks_document_time() {
    let dir = demo_dir("verify-time");
    let trust = path(&dir, "trust.pem");
    let document = path(&dir, "identity-ec.pb");
    let later = (std::time::SystemTime::now() + std::time::Duration::from_secs(3600))
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        .to_string();

    let stale = run(&["verify", "--trust", &trust, "--at", &later, &document]);
    assert_eq!(code(&stale), 1);
    assert!(stderr(&stale).contains("rejected"), "{}", stderr(&stale));

    let archival = run(&[
        "verify",
        "--trust",
        &trust,
        "--at",
        &later,
        "--max-age",
        "off",
        &document,
    ]);
    assert_eq!(code(&archival), 0, "{}", stderr(&archival));

    let long_age = run(&[
        "verify",
        "--trust",
        &trust,
        "--at",
        &later,
        "--max-age",
        "7200",
        &document,
    ]);
    assert_eq!(code(&long_age), 0, "{}", stderr(&long_age));
}

#[test]
fn verify_rejects_wrong_anchor() {
    let dir = demo_dir("verify-anchor-a");
    let other = demo_dir("verify-anchor-b");
    let output = run(&[
        "verify",
        "--trust",
        &path(&other, "trust.pem"),
        &path(&dir, "identity-ec.pb"),
    ]);
    assert_eq!(code(&output), 1);
}

#[test]
fn verify_rejects_wrong_kind_and_bad_input() {
    let dir = demo_dir("verify-bad-input");
    let trust = path(&dir, "trust.pem");

    let wrong_kind = run(&[
        "verify",
        "--trust",
        &trust,
        "--kind",
        "pod",
        &path(&dir, "identity-ec.pb"),
    ]);
    assert_eq!(code(&wrong_kind), 1, "{}", stderr(&wrong_kind));
    let json_as_pb = run(&[
        "verify",
        "--trust",
        &trust,
        "--kind",
        "identity",
        &path(&dir, "string-ec.json"),
    ]);
    assert_eq!(code(&json_as_pb), 1);

    for input in [&b""[..], b"\x00\x01\x02", b"{", b"{}", b"not a document"] {
        let output = run_with_stdin(&["verify", "--trust", &trust, "-"], input);
        assert_eq!(code(&output), 1, "{input:?}: {}", stderr(&output));
        assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    }
}

#[test]
fn verify_usage_and_configuration_errors() {
    let dir = demo_dir("verify-usage");
    let document = path(&dir, "identity-ec.pb");

    let missing_trust = run(&["verify", &document]);
    assert_eq!(code(&missing_trust), 2);
    let no_such_file = run(&[
        "verify",
        "--trust",
        &path(&dir, "trust.pem"),
        &path(&dir, "absent.pb"),
    ]);
    assert_eq!(code(&no_such_file), 2);
    let bad_trust = run(&["verify", "--trust", &path(&dir, "identity.json"), &document]);
    assert_eq!(code(&bad_trust), 2, "{}", stderr(&bad_trust));
    let bad_time = run(&[
        "verify",
        "--trust",
        &path(&dir, "trust.pem"),
        "--at",
        "yesterday",
        &document,
    ]);
    assert_eq!(code(&bad_time), 2);
    let unknown = run(&["frobnicate"]);
    assert_eq!(code(&unknown), 2);
}

#[test]
fn huge_input_is_rejected_quickly() {
    let dir = demo_dir("verify-huge");
    let huge = dir.join("huge.bin");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(100 * 1024 * 1024).expect("size 100 MiB");
    let output = run(&[
        "verify",
        "--trust",
        &path(&dir, "trust.pem"),
        &huge.to_string_lossy(),
    ]);
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("limit"), "{}", stderr(&output));
}

#[test]
fn inspect_labels_unverified_output() {
    let dir = demo_dir("inspect");
    for name in ["identity-rsa.pb", "pod-ec.pb", "string-rsa.json"] {
        let output = run(&["inspect", &path(&dir, name)]);
        assert_eq!(code(&output), 0, "{name}: {}", stderr(&output));
        let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
        assert_eq!(report["verified"], false);
        assert_eq!(report["certificates"].as_array().map(Vec::len), Some(2));
        let key = report["certificates"][0]["key"]
            .as_str()
            .unwrap_or_default();
        assert!(
            key.starts_with("RSA 2048") || key.starts_with("EC P-256"),
            "{key}"
        );
    }
    let garbage = run_with_stdin(&["inspect", "-"], b"\xff\xff");
    assert_eq!(code(&garbage), 1);
}

#[test]
fn chain_validates_agent_certificates() {
    let dir = demo_dir("chain");
    let trust = path(&dir, "trust.pem");
    let ok = run(&["chain", "--trust", &trust, &path(&dir, "chain-rsa.pem")]);
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    assert!(stdout(&ok).contains(r#""pathLength":3"#), "{}", stdout(&ok));

    let too_deep = run(&[
        "chain",
        "--trust",
        &trust,
        "--max-depth",
        "0",
        &path(&dir, "chain-rsa.pem"),
    ]);
    assert_eq!(code(&too_deep), 1);
    let other = demo_dir("chain-other");
    let foreign = run(&[
        "chain",
        "--trust",
        &path(&other, "trust.pem"),
        &path(&dir, "chain-ec.pem"),
    ]);
    assert_eq!(code(&foreign), 1);
    let not_pem = run(&["chain", "--trust", &trust, &path(&dir, "identity.json")]);
    assert_eq!(code(&not_pem), 2);
}

#[test]
fn sign_out_follows_symlink_and_keeps_mode() {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = demo_dir("sign-out-link");
    let real = dir.join("real.pb");
    std::fs::write(&real, b"old").expect("write target");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let link = dir.join("link.pb");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");

    let args = [
        "sign",
        "--cert",
        &path(&dir, "chain-ec.pem"),
        "--key",
        &path(&dir, "key-ec.pem"),
        "--out",
        &link.to_string_lossy(),
        &path(&dir, "identity.json"),
    ];
    let output = run(&args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let link_type = std::fs::symlink_metadata(&link)
        .expect("link metadata")
        .file_type();
    assert!(link_type.is_symlink(), "the symlink was replaced");
    assert_ne!(std::fs::read(&real).expect("read target"), b"old");
    let mode = std::fs::metadata(&real)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn sign_out_to_full_device_fails() {
    let dir = demo_dir("sign-out-full");
    let output = sign_with(
        &dir,
        "ec",
        &["--out", "/dev/full", &path(&dir, "identity.json")],
    );
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let metadata = std::fs::metadata("/dev/full").expect("/dev/full");
    assert!(
        !metadata.is_file(),
        "/dev/full was replaced by a regular file"
    );
}

#[test]
fn demo_keys_are_private() {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = demo_dir("demo-key-mode");
    for name in ["key-rsa.pem", "key-ec.pem"] {
        let metadata = std::fs::metadata(dir.join(name)).expect("key file");
        assert_eq!(
            metadata.permissions().mode() & 0o077,
            0,
            "{name} is readable by others"
        );
    }
}

#[test]
fn malformed_key_pem_is_not_echoed() {
    let dir = demo_dir("pem-no-echo");
    let key = std::fs::read_to_string(dir.join("key-ec.pem")).expect("key");
    let one_line = key.replace('\n', " ") + "\n";
    std::fs::write(dir.join("one-line.pem"), &one_line).expect("write");
    let base64_body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();

    let output = run(&[
        "sign",
        "--cert",
        &path(&dir, "chain-ec.pem"),
        "--key",
        &path(&dir, "one-line.pem"),
        &path(&dir, "identity.json"),
    ]);
    assert_eq!(code(&output), 2);
    let message = stderr(&output);
    assert!(
        !message.contains(&base64_body[..20]),
        "key text in message: {message}"
    );
    assert!(
        !message.contains("[45, 45"),
        "key bytes in message: {message}"
    );

    let trust = run(&[
        "verify",
        "--trust",
        &path(&dir, "one-line.pem"),
        &path(&dir, "identity-ec.pb"),
    ]);
    assert_eq!(code(&trust), 2);
    assert!(
        !stderr(&trust).contains(", 45,"),
        "bytes in message: {}",
        stderr(&trust)
    );
}

#[test]
fn sign_rejects_auto_kind() {
    let dir = demo_dir("sign-auto");
    let output = sign_with(
        &dir,
        "ec",
        &["--kind", "auto", &path(&dir, "identity.json")],
    );
    assert_eq!(code(&output), 2);
}

#[test]
fn auto_kind_reports_limit_errors() {
    let dir = demo_dir("auto-limits");
    let mut document = std::fs::read(dir.join("identity-ec.pb")).expect("document");
    // Append an 11th and 12th certChain entry inside a second signature field.
    let mut signature = Vec::new();
    for _ in 0..11 {
        signature.extend_from_slice(&[0x1a, 0x01, 0x30]);
    }
    document.push(0x12);
    document.push(u8::try_from(signature.len()).expect("short"));
    document.extend_from_slice(&signature);

    let output = run_with_stdin(
        &["verify", "--trust", &path(&dir, "trust.pem"), "-"],
        &document,
    );
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("more than the limit of 10"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn config_files_are_bounded() {
    let dir = demo_dir("config-bounded");
    let output = run(&[
        "verify",
        "--trust",
        "/dev/zero",
        &path(&dir, "identity-ec.pb"),
    ]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("limit"), "{}", stderr(&output));
    let output = run(&[
        "sign",
        "--cert",
        "/dev/zero",
        "--key",
        &path(&dir, "key-ec.pem"),
        "-",
    ]);
    assert_eq!(code(&output), 2);
}
