//! JSON reports printed by the subcommands.

use serde_json::{json, Value};
use titus_identity::document::json as document_json;
use titus_identity::verification::{LeafSummary, VerifiedIdentity};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

/// Formats Unix seconds as RFC 3339, or as the number when out of range.
pub(crate) fn time_text(seconds: i64) -> Value {
    match titus_identity::time::format_rfc3339(seconds, 0) {
        Some(text) => Value::String(text),
        None => Value::from(seconds),
    }
}

/// Formats the signer certificate fields of a verified document as a JSON object.
pub(crate) fn leaf_summary(leaf: &LeafSummary) -> String {
    object(&[
        ("subject", Value::from(leaf.subject.as_str()).to_string()),
        ("issuer", Value::from(leaf.issuer.as_str()).to_string()),
        ("serial", Value::from(leaf.serial.as_str()).to_string()),
        ("sans", Value::from(leaf.sans.clone()).to_string()),
        ("notBefore", time_text(leaf.not_before).to_string()),
        ("notAfter", time_text(leaf.not_after).to_string()),
    ])
}

/// The identity in Go `encoding/json` shape, members in declaration order.
pub(crate) fn identity_json(identity: &VerifiedIdentity) -> String {
    match identity {
        VerifiedIdentity::Task(task) => document_json::task_identity_to_json(task),
        VerifiedIdentity::Pod(pod) => document_json::task_pod_identity_to_json(pod),
        _ => String::from("null"),
    }
}

/// Joins members whose values are already JSON text into one object, in the given order.
/// serde_json's map would sort the keys, and the identity must keep Go's order.
pub(crate) fn object(members: &[(&str, String)]) -> String {
    let body: Vec<String> = members
        .iter()
        .map(|(key, value)| format!("{}:{value}", Value::from(*key)))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// Subject, issuer, serial, validity, key and signature algorithm of one certificate,
/// or the parse error.
pub(crate) fn certificate_summary(index: usize, der: &[u8]) -> Value {
    let certificate = match X509Certificate::from_der(der) {
        Ok(([], certificate)) => certificate,
        Ok(_) => return json!({"index": index, "error": "trailing bytes after the certificate"}),
        Err(error) => return json!({"index": index, "error": error.to_string()}),
    };

    let validity = certificate.validity();
    json!({
        "index": index,
        "subject": certificate.subject().to_string(),
        "issuer": certificate.issuer().to_string(),
        "serial": certificate.raw_serial_as_string().replace(':', ""),
        "notBefore": time_text(validity.not_before.timestamp()),
        "notAfter": time_text(validity.not_after.timestamp()),
        "key": key_description(&certificate),
        "signatureAlgorithm": signature_algorithm_name(&certificate),
    })
}

fn key_description(certificate: &X509Certificate<'_>) -> String {
    let spki = certificate.public_key();
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => format!("RSA {} bits", rsa.key_size()),
        Ok(PublicKey::EC(point)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| curve_name(&oid.to_id_string()))
                .unwrap_or_else(|| "unnamed curve".to_owned());
            format!("EC {curve} ({} bits)", point.key_size())
        }
        Ok(other) => format!("{other:?}")
            .split('(')
            .next()
            .unwrap_or("other")
            .to_owned(),
        Err(_) => format!("unparsed key {}", spki.algorithm.algorithm.to_id_string()),
    }
}

fn curve_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256".to_owned(),
        "1.3.132.0.34" => "P-384".to_owned(),
        "1.3.132.0.35" => "P-521".to_owned(),
        other => other.to_owned(),
    }
}

fn signature_algorithm_name(certificate: &X509Certificate<'_>) -> String {
    let oid = certificate.signature_algorithm.algorithm.to_id_string();
    let name = match oid.as_str() {
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        _ => return oid,
    };
    name.to_owned()
}

/// Prints JSON text on one line of stdout.
pub(crate) fn print(text: &str) {
    println!("{text}");
}
