//! Runs the x509-limbo path-validation cases through `validate_chain` and compares each
//! verdict with the expected one.
//!
//! The cases file lives outside the repository, next to it, and the test is skipped when
//! it is absent. Divergences are allowed only when listed, with a reason, in
//! `testdata/x509-limbo-exceptions.json`, and a listed case that now agrees fails the test
//! so that the list stays accurate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use serde_json::Value;
use titus_identity::verification::{validate_chain, ChainPolicy, Purpose, TrustAnchors};

/// Verdicts one case can end in, in the harness's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Agree,
    FalseAccept,
    FalseReject,
}

fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    CertificateDer::from_pem_slice(pem.as_bytes())
        .ok()
        .map(|der| der.to_vec())
}

fn parse_time(value: &Value) -> i64 {
    let Some(text) = value.as_str() else {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        return i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    };
    rfc3339_seconds(text).unwrap_or_else(|| panic!("invalid validation_time {text}"))
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|+00:00)`, flooring fractional seconds.
fn rfc3339_seconds(text: &str) -> Option<i64> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let offset = text
        .get(19..)?
        .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    if offset != "Z" && offset != "+00:00" {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn purpose_of(case: &Value) -> Purpose {
    let ekus = case["extended_key_usage"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    match ekus.first().and_then(Value::as_str) {
        Some("serverAuth") => Purpose::ServerAuth,
        Some("clientAuth") => Purpose::ClientAuth,
        Some(other) => panic!("unexpected extended_key_usage {other}"),
        None => Purpose::Any,
    }
}

/// Runs one case and returns whether the chain was accepted, with the error if not.
fn run_case(case: &Value) -> Result<(), String> {
    let pems = |key: &str| -> Vec<Vec<u8>> {
        let list = case[key].as_array().cloned().unwrap_or_default();
        list.iter()
            .filter_map(Value::as_str)
            .filter_map(pem_to_der)
            .collect()
    };
    let anchors = TrustAnchors::from_der(pems("trusted_certs")).map_err(|e| e.to_string())?;
    let leaf_pem = case["peer_certificate"].as_str().unwrap_or_default();
    let leaf = pem_to_der(leaf_pem).ok_or("invalid leaf PEM")?;
    let pool = pems("untrusted_intermediates");

    let mut policy = ChainPolicy::default().with_purpose(purpose_of(case));
    if let Some(depth) = case["max_chain_depth"].as_u64() {
        policy = policy.with_max_depth(usize::try_from(depth).unwrap_or(usize::MAX));
    }
    let time = parse_time(&case["validation_time"]);
    validate_chain(&anchors, &leaf, &pool, time, &policy)
        .map(drop)
        .map_err(|e| e.to_string())
}

fn classify(expected: &str, result: &Result<(), String>) -> Outcome {
    match (expected, result.is_ok()) {
        ("SUCCESS", true) | ("FAILURE", false) => Outcome::Agree,
        ("FAILURE", true) => Outcome::FalseAccept,
        _ => Outcome::FalseReject,
    }
}

fn load_exceptions() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/x509-limbo-exceptions.json");
    let text = std::fs::read_to_string(&path).expect("read x509-limbo-exceptions.json");
    serde_json::from_str(&text).expect("exceptions file maps case ids to reasons")
}

#[test]
fn x509_limbo_cases() {
    let path = match std::env::var_os("TITUS_LIMBO_CASES") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/x509-limbo/cases.jsonl"),
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED x509-limbo: {} not found; set TITUS_LIMBO_CASES to the cases.jsonl file",
            path.display()
        );
        return;
    };
    let exceptions = load_exceptions();

    let mut counts = BTreeMap::<&str, usize>::new();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("cases are JSON lines");
        let id = case["id"].as_str().unwrap_or_default().to_owned();
        let expected = case["expected"].as_str().unwrap_or_default();
        let result = run_case(&case);
        let outcome = classify(expected, &result);

        let label = match outcome {
            Outcome::Agree => "agree",
            Outcome::FalseAccept => "false accept",
            Outcome::FalseReject => "false reject",
        };
        *counts.entry(label).or_default() += 1;

        let listed = exceptions.contains_key(&id);
        match (outcome, listed) {
            (Outcome::Agree, true) => stale.push(id),
            (Outcome::Agree, false) | (_, true) => {}
            (_, false) => unexpected.push(format!("{label}: {id}: {result:?}")),
        }
    }

    println!("x509-limbo: {counts:?}");
    assert!(
        unexpected.is_empty(),
        "unlisted divergences:\n{}",
        unexpected.join("\n")
    );
    assert!(stale.is_empty(), "listed cases that now agree: {stale:?}");

    let agreements = counts.get("agree").copied().unwrap_or_default();
    let false_accepts = counts.get("false accept").copied().unwrap_or_default();
    assert!(
        agreements >= 3160,
        "only {agreements} agreements, expected at least 3,160"
    );
    assert!(
        false_accepts <= 10,
        "{false_accepts} false accepts, expected at most 10"
    );
}
