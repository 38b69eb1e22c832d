//! Per-certificate checks: the RFC 5280 profile rules that depend only on one certificate
//! and its role on the path, plus the CA/Browser Forum rules that apply when validating
//! for server authentication.

use super::certificate::{Certificate, ExtensionDefect};
use super::chain::Purpose;
use super::error::ChainError;
use super::name_constraints::Name;

/// keyUsage bits in x509-parser's layout: bit 0 is digitalSignature.
const KU_DIGITAL_SIGNATURE: u16 = 1 << 0;
const KU_KEY_CERT_SIGN: u16 = 1 << 5;

const OID_ANY_EXTENDED_KEY_USAGE: &str = "2.5.29.37.0";
const MAX_SERIAL_OCTETS: usize = 20;

/// Where a certificate sits on a candidate path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Leaf,
    Intermediate,
    Anchor,
}

/// Runs the checks that every certificate on the path gets, whatever its role.
///
/// A v1 trust anchor has no extensions to check, so only its validity period is checked.
pub(crate) fn check_certificate(
    cert: &Certificate,
    position: usize,
    role: Role,
    time: i64,
    purpose: &Purpose,
) -> Result<(), ChainError> {
    check_validity(cert, position, time)?;
    if role == Role::Anchor && cert.version == 0 {
        return Ok(());
    }

    check_version(cert, position, role)?;
    check_extension_defect(cert, position)?;
    if role != Role::Anchor {
        check_issued_fields(cert, position)?;
    }
    check_key_identifiers(cert, position, role)?;
    check_ca_consistency(cert, position, role)?;
    check_subject_alt_name(cert, position)?;
    if *purpose == Purpose::ServerAuth {
        check_server_profile(cert, position, role)?;
    }
    Ok(())
}

/// Checks that the validity period includes `time`, both bounds inclusive.
fn check_validity(cert: &Certificate, position: usize, time: i64) -> Result<(), ChainError> {
    if time < cert.not_before {
        return Err(ChainError::NotYetValid {
            position,
            subject: cert.subject.text.clone(),
            not_before: cert.not_before,
            time,
        });
    }
    if time > cert.not_after {
        return Err(ChainError::Expired {
            position,
            subject: cert.subject.text.clone(),
            not_after: cert.not_after,
            time,
        });
    }
    Ok(())
}

/// Requires X.509 v3, which every certificate with extensions must be. Trust anchors may
/// also be v1 (handled by the caller).
fn check_version(cert: &Certificate, position: usize, role: Role) -> Result<(), ChainError> {
    if cert.version == 2 || (role == Role::Anchor && cert.version == 0) {
        return Ok(());
    }
    Err(ChainError::UnsupportedVersion {
        position,
        subject: cert.subject.text.clone(),
        version: cert.version,
    })
}

fn check_extension_defect(cert: &Certificate, position: usize) -> Result<(), ChainError> {
    let Some(defect) = &cert.extensions.defect else {
        return Ok(());
    };

    let oid = match defect {
        ExtensionDefect::Duplicate(oid)
        | ExtensionDefect::UnknownCritical(oid)
        | ExtensionDefect::Malformed(oid)
        | ExtensionDefect::MustBeNonCritical(oid)
        | ExtensionDefect::MustBeCritical(oid) => oid.clone(),
    };
    Err(match defect {
        ExtensionDefect::Duplicate(_) => ChainError::DuplicateExtension { position, oid },
        ExtensionDefect::UnknownCritical(_) => {
            ChainError::UnknownCriticalExtension { position, oid }
        }
        ExtensionDefect::Malformed(_) => ChainError::MalformedExtension { position, oid },
        ExtensionDefect::MustBeNonCritical(_) => ChainError::ExtensionCriticality {
            position,
            oid,
            critical: true,
        },
        ExtensionDefect::MustBeCritical(_) => ChainError::ExtensionCriticality {
            position,
            oid,
            critical: false,
        },
    })
}

/// Checks the fields an issuing CA fills in: serial number, issuer name and the repeated
/// signature algorithm. Trust anchors are configured rather than issued, so they skip this.
fn check_issued_fields(cert: &Certificate, position: usize) -> Result<(), ChainError> {
    let serial = cert.serial.as_slice();
    let negative = serial.first().is_some_and(|b| b & 0x80 != 0);
    if negative || serial.iter().all(|&b| b == 0) {
        return Err(violation(cert, position, "serial number is not positive"));
    }
    if serial.len() > MAX_SERIAL_OCTETS {
        return Err(violation(
            cert,
            position,
            "serial number is longer than 20 octets",
        ));
    }

    if cert.issuer.rdns.is_empty() {
        return Err(violation(cert, position, "issuer name is empty"));
    }
    if !cert.algorithms_match {
        return Err(ChainError::SignatureAlgorithmMismatch { position });
    }
    Ok(())
}

/// Applies RFC 5280 sections 4.2.1.1 and 4.2.1.2: a CA certificate carries a subject key
/// identifier, every issued certificate that is not self-issued carries an authority key
/// identifier, and an authority key identifier always has the keyIdentifier field. Trust
/// anchors may lack the authority key identifier even when another CA signed them, since
/// their issuer is never consulted.
fn check_key_identifiers(
    cert: &Certificate,
    position: usize,
    role: Role,
) -> Result<(), ChainError> {
    let extensions = &cert.extensions;
    let is_ca = extensions.basic_constraints.is_some_and(|bc| bc.ca);
    if is_ca && extensions.subject_key_id.is_none() {
        return Err(violation(
            cert,
            position,
            "CA certificate lacks a subject key identifier",
        ));
    }

    match &extensions.authority_key_id {
        Some(aki) if aki.key_id.is_none() => Err(violation(
            cert,
            position,
            "authority key identifier lacks the keyIdentifier field",
        )),
        None if role != Role::Anchor && !cert.is_self_issued() => Err(violation(
            cert,
            position,
            "authority key identifier is missing",
        )),
        _ => Ok(()),
    }
}

/// Checks that basicConstraints and keyUsage agree (RFC 5280 sections 4.2.1.3, 4.2.1.9 and
/// 4.2.1.10): keyCertSign and pathLenConstraint only with cA, and name constraints only in
/// CA certificates.
fn check_ca_consistency(cert: &Certificate, position: usize, role: Role) -> Result<(), ChainError> {
    let extensions = &cert.extensions;
    let is_ca = extensions.basic_constraints.is_some_and(|bc| bc.ca);
    let cert_sign = extensions
        .key_usage
        .is_some_and(|ku| ku & KU_KEY_CERT_SIGN != 0);
    if cert_sign && !is_ca {
        return Err(violation(cert, position, "keyCertSign is set without cA"));
    }

    let has_path_len = extensions
        .basic_constraints
        .is_some_and(|bc| bc.path_len.is_some());
    let cert_sign_allowed = extensions.key_usage.is_none() || cert_sign;
    if has_path_len && !(is_ca && cert_sign_allowed) {
        return Err(violation(
            cert,
            position,
            "pathLenConstraint is set without cA and keyCertSign",
        ));
    }

    if extensions.name_constraints.is_some() && (role == Role::Leaf || !is_ca) {
        return Err(violation(
            cert,
            position,
            "name constraints appear in a non-CA certificate",
        ));
    }
    Ok(())
}

/// Requires a critical subjectAltName when the subject is empty (RFC 5280 section 4.2.1.6).
fn check_subject_alt_name(cert: &Certificate, position: usize) -> Result<(), ChainError> {
    if !cert.subject.rdns.is_empty() {
        return Ok(());
    }
    match &cert.extensions.subject_alt_name {
        Some(san) if san.critical => Ok(()),
        Some(_) => Err(violation(
            cert,
            position,
            "subject is empty and subjectAltName is not critical",
        )),
        None => Err(violation(
            cert,
            position,
            "subject is empty and subjectAltName is missing",
        )),
    }
}

/// Requirements an issuer has beyond the common checks: basicConstraints with cA (marked
/// critical, RFC 5280 section 4.2.1.9) and, when keyUsage is present, keyCertSign.
pub(crate) fn check_issuer(cert: &Certificate, position: usize) -> Result<(), ChainError> {
    if cert.version == 0 {
        return Ok(());
    }

    let subject = || cert.subject.text.clone();
    let Some(bc) = cert.extensions.basic_constraints.filter(|bc| bc.ca) else {
        return Err(ChainError::IssuerNotCa {
            position,
            subject: subject(),
        });
    };
    if !bc.critical {
        return Err(violation(
            cert,
            position,
            "basicConstraints of a CA is not critical",
        ));
    }
    if cert
        .extensions
        .key_usage
        .is_some_and(|ku| ku & KU_KEY_CERT_SIGN == 0)
    {
        return Err(ChainError::MissingKeyCertSign {
            position,
            subject: subject(),
        });
    }
    if cert.subject.rdns.is_empty() {
        return Err(violation(cert, position, "CA subject is empty"));
    }
    Ok(())
}

/// Leaf requirements: digitalSignature when keyUsage is present, the purpose in
/// extendedKeyUsage when that is present, and a key that signatures can be checked with.
pub(crate) fn check_leaf(cert: &Certificate, purpose: &Purpose) -> Result<(), ChainError> {
    if cert
        .extensions
        .key_usage
        .is_some_and(|ku| ku & KU_DIGITAL_SIGNATURE == 0)
    {
        return Err(ChainError::MissingDigitalSignature {
            subject: cert.subject.text.clone(),
        });
    }

    // anyExtendedKeyUsage does not stand in for the purpose in a leaf: a leaf that names
    // purposes should name this one, as the CA/Browser Forum and RFC 9525 profiles expect.
    check_extended_key_usage(cert, 0, purpose, false)
}

/// Checks that a present extendedKeyUsage lists `purpose`. Issuers may instead list
/// anyExtendedKeyUsage, because their EKU only limits what they may certify.
pub(crate) fn check_extended_key_usage(
    cert: &Certificate,
    position: usize,
    purpose: &Purpose,
    any_allowed: bool,
) -> Result<(), ChainError> {
    let (Some(required), Some(eku)) = (purpose.oid(), &cert.extensions.extended_key_usage) else {
        return Ok(());
    };

    let listed = |oid: &str| eku.purposes.iter().any(|p| p == oid);
    if listed(required) || (any_allowed && listed(OID_ANY_EXTENDED_KEY_USAGE)) {
        return Ok(());
    }
    Err(ChainError::RequiredEkuNotFound {
        position,
        subject: cert.subject.text.clone(),
        purpose: required.to_owned(),
    })
}

/// CA/Browser Forum Baseline Requirements rules for TLS server certificate paths.
fn check_server_profile(cert: &Certificate, position: usize, role: Role) -> Result<(), ChainError> {
    let extensions = &cert.extensions;
    if extensions
        .authority_key_id
        .as_ref()
        .is_some_and(|aki| aki.has_issuer_and_serial)
    {
        return Err(violation(
            cert,
            position,
            "authority key identifier names issuer and serial",
        ));
    }

    match role {
        Role::Leaf => check_server_leaf(cert, position),
        Role::Anchor => check_server_root(cert, position),
        Role::Intermediate => Ok(()),
    }
}

fn check_server_leaf(cert: &Certificate, position: usize) -> Result<(), ChainError> {
    let extensions = &cert.extensions;
    if extensions.basic_constraints.is_some_and(|bc| bc.ca) {
        return Err(violation(cert, position, "server certificate is a CA"));
    }
    if let Some(eku) = &extensions.extended_key_usage {
        if eku.critical {
            return Err(violation(cert, position, "extendedKeyUsage is critical"));
        }
        if eku.purposes.iter().any(|p| p == OID_ANY_EXTENDED_KEY_USAGE) {
            return Err(violation(
                cert,
                position,
                "extendedKeyUsage has anyExtendedKeyUsage",
            ));
        }
    }
    let san_critical = extensions
        .subject_alt_name
        .as_ref()
        .is_some_and(|san| san.critical);
    if san_critical && !cert.subject.rdns.is_empty() {
        return Err(violation(
            cert,
            position,
            "subjectAltName is critical with a subject",
        ));
    }

    let names = extensions
        .subject_alt_name
        .as_ref()
        .map_or(&[][..], |san| &san.names);
    if !cert
        .subject
        .common_names
        .iter()
        .all(|cn| common_name_in_san(cn, names))
    {
        return Err(violation(
            cert,
            position,
            "commonName is not a copy of a subjectAltName",
        ));
    }
    Ok(())
}

fn check_server_root(cert: &Certificate, position: usize) -> Result<(), ChainError> {
    let extensions = &cert.extensions;
    if extensions.extended_key_usage.is_some() {
        return Err(violation(cert, position, "root has extendedKeyUsage"));
    }

    let key_ids = (&extensions.authority_key_id, &extensions.subject_key_id);
    if let (Some(aki), Some(ski)) = key_ids {
        if cert.is_self_issued() && aki.key_id.as_ref() != Some(ski) {
            return Err(violation(
                cert,
                position,
                "authority and subject key identifiers differ",
            ));
        }
    }
    Ok(())
}

/// Applies the commonName rule of the Baseline Requirements (section 7.1.4.3: a commonName
/// is a character-for-character copy of a subjectAltName entry) to the cases where the
/// intent is plain: a non-ASCII commonName can never be such a copy, and one that names the
/// same host as an entry must use that entry's exact text.
// NOTE: a commonName naming a host that is in no subjectAltName entry is still accepted,
// because RFC 5280 test paths commonly carry such names and nothing here matches on them.
fn common_name_in_san(common_name: &str, names: &[Name]) -> bool {
    if !common_name.is_ascii() {
        return false;
    }
    names.iter().all(|name| match name {
        Name::Dns(dns) => dns == common_name || !dns.eq_ignore_ascii_case(common_name),
        Name::Ip(ip) => match parse_ip_leniently(common_name) {
            Some(value) if value == *ip => ip_text(ip).is_some_and(|text| text == common_name),
            _ => true,
        },
        _ => true,
    })
}

/// Parses an IP address in the notations people write: any IPv6 text form, dotted decimal
/// with leading zeros, or a single hexadecimal IPv4 number such as `0xC0A80101`.
fn parse_ip_leniently(text: &str) -> Option<Vec<u8>> {
    if let Ok(v6) = text.parse::<std::net::Ipv6Addr>() {
        return Some(v6.octets().to_vec());
    }
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16)
            .ok()
            .map(|v| v.to_be_bytes().to_vec());
    }

    let octets: Option<Vec<u8>> = text
        .split('.')
        .map(|part| part.parse::<u8>().ok())
        .collect();
    octets.filter(|octets| octets.len() == 4)
}

/// Renders an address as dotted decimal (IPv4) or the RFC 5952 form (IPv6).
fn ip_text(ip: &[u8]) -> Option<String> {
    if let Ok(octets) = <[u8; 4]>::try_from(ip) {
        return Some(std::net::Ipv4Addr::from(octets).to_string());
    }
    <[u8; 16]>::try_from(ip)
        .ok()
        .map(|octets| std::net::Ipv6Addr::from(octets).to_string())
}

fn violation(cert: &Certificate, position: usize, rule: &'static str) -> ChainError {
    ChainError::ProfileViolation {
        position,
        subject: cert.subject.text.clone(),
        rule,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_text_is_canonical() {
        assert_eq!(ip_text(&[192, 168, 1, 1]).as_deref(), Some("192.168.1.1"));
        let mut v6 = [0u8; 16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = 0xb8;
        v6[15] = 1;
        assert_eq!(ip_text(&v6).as_deref(), Some("2001:db8::1"));
        assert_eq!(ip_text(&[1, 2, 3]), None);
    }

    #[test]
    fn common_name_must_copy_san() {
        let names = vec![Name::Dns("example.com".into()), Name::Ip(vec![10, 0, 0, 1])];
        assert!(common_name_in_san("example.com", &names));
        assert!(common_name_in_san("10.0.0.1", &names));
        assert!(common_name_in_san("unrelated.example.org", &names));
        assert!(!common_name_in_san("Example.COM", &names));
        assert!(!common_name_in_san("010.0.0.1", &names));
        assert!(!common_name_in_san("0x0A000001", &names));
        assert!(!common_name_in_san("b\u{fc}cher.example", &names));
    }
}
