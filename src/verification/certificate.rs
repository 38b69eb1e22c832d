//! An owned, pre-digested view of one X.509 certificate: the fields path validation reads,
//! plus the defects found while parsing, which only matter if the certificate ends up on a
//! candidate path.

use std::collections::HashSet;

use x509_parser::asn1_rs::ToDer;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension, X509Extension};
use x509_parser::prelude::FromDer;
use x509_parser::x509::{AlgorithmIdentifier, X509Name};

use super::algorithm_id::{self, AlgorithmProblem, CertSignatureAlgorithm};
use super::der;
use super::name_constraints::{self, Name, NameConstraints};
use super::public_key::PublicKeyInfo;

/// The universal tag of a BIT STRING.
const TAG_BIT_STRING: u8 = 0x03;

/// The tag of tbsCertificate's explicitly tagged `[0] version` field.
const TAG_VERSION: u8 = 0xa0;

const OID_BASIC_CONSTRAINTS: &str = "2.5.29.19";
const OID_KEY_USAGE: &str = "2.5.29.15";
const OID_EXTENDED_KEY_USAGE: &str = "2.5.29.37";
const OID_SUBJECT_ALT_NAME: &str = "2.5.29.17";
const OID_NAME_CONSTRAINTS: &str = "2.5.29.30";
const OID_CERTIFICATE_POLICIES: &str = "2.5.29.32";
const OID_SUBJECT_KEY_ID: &str = "2.5.29.14";
const OID_AUTHORITY_KEY_ID: &str = "2.5.29.35";
const OID_POLICY_CONSTRAINTS: &str = "2.5.29.36";
const OID_AUTHORITY_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";

/// Extensions this validator processes, and so may accept when marked critical.
/// Certificate policies are accepted without policy processing, as most verifiers do.
const UNDERSTOOD_CRITICAL: [&str; 6] = [
    OID_BASIC_CONSTRAINTS,
    OID_KEY_USAGE,
    OID_EXTENDED_KEY_USAGE,
    OID_SUBJECT_ALT_NAME,
    OID_NAME_CONSTRAINTS,
    OID_CERTIFICATE_POLICIES,
];

/// Extensions that RFC 5280 requires to be non-critical.
const MUST_BE_NONCRITICAL: [&str; 3] = [
    OID_SUBJECT_KEY_ID,
    OID_AUTHORITY_KEY_ID,
    OID_AUTHORITY_INFO_ACCESS,
];

/// A distinguished name in the forms validation compares and reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DistinguishedName {
    /// The DER encoding, compared byte for byte when chaining.
    pub(crate) raw: Vec<u8>,
    /// The raw DER of each RDN, for directory name constraints.
    pub(crate) rdns: Vec<Vec<u8>>,
    /// A one-line rendering for messages, such as `CN=example, O=Org`.
    pub(crate) text: String,
    /// The commonName attribute values that are strings.
    pub(crate) common_names: Vec<String>,
    /// The emailAddress attribute values that are strings.
    pub(crate) emails: Vec<String>,
}

/// The basicConstraints extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BasicConstraints {
    pub(crate) ca: bool,
    pub(crate) path_len: Option<u32>,
    pub(crate) critical: bool,
}

/// The extendedKeyUsage extension, as dotted OIDs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExtendedKeyUsage {
    pub(crate) purposes: Vec<String>,
    pub(crate) critical: bool,
}

/// The authorityKeyIdentifier extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AuthorityKeyId {
    pub(crate) key_id: Option<Vec<u8>>,
    /// Whether authorityCertIssuer or authorityCertSerialNumber is present.
    pub(crate) has_issuer_and_serial: bool,
}

/// The subjectAltName extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SubjectAltName {
    pub(crate) names: Vec<Name>,
    /// Each entry rendered for display, such as `DNS:example.com` or `URI:spiffe://a/b`.
    pub(crate) rendered: Vec<String>,
    pub(crate) critical: bool,
}

/// A problem with one extension, found while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ExtensionDefect {
    Duplicate(String),
    UnknownCritical(String),
    Malformed(String),
    MustBeNonCritical(String),
    MustBeCritical(String),
}

/// The extensions of a certificate that validation reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Extensions {
    pub(crate) basic_constraints: Option<BasicConstraints>,
    /// The keyUsage bits, bit 0 (digitalSignature) in the least significant place.
    pub(crate) key_usage: Option<u16>,
    pub(crate) extended_key_usage: Option<ExtendedKeyUsage>,
    pub(crate) subject_alt_name: Option<SubjectAltName>,
    pub(crate) name_constraints: Option<NameConstraints>,
    pub(crate) subject_key_id: Option<Vec<u8>>,
    pub(crate) authority_key_id: Option<AuthorityKeyId>,
    /// The first extension problem, if any.
    pub(crate) defect: Option<ExtensionDefect>,
}

/// An owned summary of one parsed certificate.
#[derive(Clone, Debug)]
pub(crate) struct Certificate {
    pub(crate) der: Vec<u8>,
    pub(crate) tbs: Vec<u8>,
    /// The X.509 version number as encoded: 0 for v1, 2 for v3.
    pub(crate) version: u32,
    /// The serial number's INTEGER contents, sign byte included.
    pub(crate) serial: Vec<u8>,
    pub(crate) subject: DistinguishedName,
    pub(crate) issuer: DistinguishedName,
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    pub(crate) signature_algorithm: Result<CertSignatureAlgorithm, AlgorithmProblem>,
    /// Whether the TBS signature field equals the outer signatureAlgorithm field.
    pub(crate) algorithms_match: bool,
    pub(crate) signature: Vec<u8>,
    pub(crate) public_key: PublicKeyInfo,
    /// The DER of the subjectPublicKeyInfo, used to recognise the same key twice.
    pub(crate) spki: Vec<u8>,
    pub(crate) extensions: Extensions,
}

impl Certificate {
    /// Parses a DER certificate. Returns the parser's message when the encoding is invalid.
    pub(crate) fn from_der(der: &[u8]) -> Result<Self, String> {
        let (rest, parsed) = X509Certificate::from_der(der).map_err(|e| e.to_string())?;
        if !rest.is_empty() {
            return Err(format!(
                "{} trailing bytes after the certificate",
                rest.len()
            ));
        }
        let algorithm_bytes_match = check_unsigned_encoding(der)?;

        let tbs = &parsed.tbs_certificate;
        let subject = distinguished_name(&tbs.subject)?;
        let issuer = distinguished_name(&tbs.issuer)?;
        Ok(Self {
            der: der.to_vec(),
            tbs: tbs.as_ref().to_vec(),
            version: tbs.version.0,
            serial: parsed.raw_serial().to_vec(),
            subject,
            issuer,
            not_before: tbs.validity.not_before.timestamp(),
            not_after: tbs.validity.not_after.timestamp(),
            signature_algorithm: signature_algorithm(&parsed.signature_algorithm),
            algorithms_match: algorithm_bytes_match
                && same_algorithm(&tbs.signature, &parsed.signature_algorithm),
            signature: parsed.signature_value.data.to_vec(),
            public_key: PublicKeyInfo::from_spki(&tbs.subject_pki),
            spki: tbs.subject_pki.raw.to_vec(),
            extensions: extensions(tbs.extensions()),
        })
    }

    /// Whether subject and issuer are the same name (RFC 5280 "self-issued").
    pub(crate) fn is_self_issued(&self) -> bool {
        self.subject.raw == self.issuer.raw
    }

    /// Whether this and `other` have the same subject and the same key, so that one may
    /// stand for the other on a path.
    pub(crate) fn same_identity(&self, other: &Self) -> bool {
        self.subject.raw == other.subject.raw && self.spki == other.spki
    }

    /// The names that name constraints apply to: the subject when not empty, its
    /// emailAddress attributes and every subjectAltName entry.
    pub(crate) fn constrained_names(&self) -> Vec<Name> {
        let mut names = Vec::new();
        if !self.subject.rdns.is_empty() {
            names.push(Name::Directory(self.subject.rdns.clone()));
        }
        names.extend(self.subject.emails.iter().cloned().map(Name::Email));
        if let Some(san) = &self.extensions.subject_alt_name {
            names.extend(san.names.iter().cloned());
        }
        names
    }
}

fn distinguished_name(name: &X509Name<'_>) -> Result<DistinguishedName, String> {
    let raw = name.as_raw().to_vec();
    let rdns = der::name_rdns(&raw).ok_or("malformed distinguished name")?;
    let strings = |values: Vec<Result<&str, _>>| {
        values
            .into_iter()
            .filter_map(Result::ok)
            .map(str::to_owned)
            .collect()
    };
    Ok(DistinguishedName {
        text: name.to_string(),
        common_names: strings(name.iter_common_name().map(|a| a.as_str()).collect()),
        emails: strings(name.iter_email().map(|a| a.as_str()).collect()),
        raw,
        rdns,
    })
}

fn signature_algorithm(
    identifier: &AlgorithmIdentifier<'_>,
) -> Result<CertSignatureAlgorithm, AlgorithmProblem> {
    let oid = identifier.algorithm.to_id_string();
    let parameters = identifier.parameters.as_ref().map(|any| any.to_der_vec());
    match parameters {
        Some(Ok(raw)) => algorithm_id::parse_signature_algorithm(&oid, Some(&raw)),
        Some(Err(_)) => Err(AlgorithmProblem::Unsupported(oid)),
        None => algorithm_id::parse_signature_algorithm(&oid, None),
    }
}

/// Checks the encoding outside tbsCertificate, which the signature does not cover: one
/// Certificate SEQUENCE, a signatureAlgorithm SEQUENCE and a signatureValue BIT STRING
/// with no unused bits. Returns whether signatureAlgorithm is byte for byte the
/// algorithm inside tbsCertificate, as Go's crypto/x509 requires.
///
/// x509-parser 0.18 compares only the tag numbers of these elements, not their class or
/// form, and accepts any tag for the algorithm OID. Without this check a certificate
/// with such a changed byte is a different encoding that still validates.
fn check_unsigned_encoding(der_bytes: &[u8]) -> Result<bool, String> {
    let malformed = |part: &str| format!("malformed {part} outside tbsCertificate");
    let certificate = der::single(der_bytes)
        .filter(|element| element.tag == der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("Certificate SEQUENCE"))?;

    let mut fields = der::Reader::new(certificate.contents);
    let tbs = fields
        .read()
        .filter(|element| element.tag == der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("tbsCertificate"))?;
    let outer_algorithm = fields
        .read()
        .filter(|element| element.tag == der::TAG_SEQUENCE)
        .ok_or_else(|| malformed("signatureAlgorithm"))?;
    fields
        .read_tagged(TAG_BIT_STRING)
        .filter(|contents| contents.first() == Some(&0) && fields.is_empty())
        .ok_or_else(|| malformed("signatureValue"))?;

    Ok(tbs_signature_algorithm(tbs.contents) == Some(outer_algorithm.raw))
}

/// Returns the raw `signature` AlgorithmIdentifier of tbsCertificate's contents.
fn tbs_signature_algorithm(tbs: &[u8]) -> Option<&[u8]> {
    let mut reader = der::Reader::new(tbs);
    reader.read_optional(TAG_VERSION).ok()?;
    reader.read_tagged(der::TAG_INTEGER)?;
    let algorithm = reader.read()?;
    (algorithm.tag == der::TAG_SEQUENCE).then_some(algorithm.raw)
}

fn same_algorithm(inner: &AlgorithmIdentifier<'_>, outer: &AlgorithmIdentifier<'_>) -> bool {
    let encode = |identifier: &AlgorithmIdentifier<'_>| {
        identifier
            .parameters
            .as_ref()
            .map(|any| any.to_der_vec().ok())
    };
    inner.algorithm == outer.algorithm && encode(inner) == encode(outer)
}

fn extensions(list: &[X509Extension<'_>]) -> Extensions {
    let mut result = Extensions::default();
    let mut seen = HashSet::new();
    for extension in list {
        let oid = extension.oid.to_id_string();
        if !seen.insert(oid.clone()) {
            result.defect.get_or_insert(ExtensionDefect::Duplicate(oid));
            continue;
        }
        if let Err(defect) = read_extension(&mut result, extension, &oid) {
            result.defect.get_or_insert(defect);
        }
    }
    result
}

fn read_extension(
    result: &mut Extensions,
    extension: &X509Extension<'_>,
    oid: &str,
) -> Result<(), ExtensionDefect> {
    check_criticality(extension, oid)?;

    let malformed = || ExtensionDefect::Malformed(oid.to_owned());
    match extension.parsed_extension() {
        ParsedExtension::ParseError { .. } => return Err(malformed()),
        ParsedExtension::BasicConstraints(bc) => {
            result.basic_constraints = Some(BasicConstraints {
                ca: bc.ca,
                path_len: bc.path_len_constraint,
                critical: extension.critical,
            });
        }
        ParsedExtension::KeyUsage(usage) => result.key_usage = Some(usage.flags),
        ParsedExtension::ExtendedKeyUsage(eku) => {
            result.extended_key_usage = Some(extended_key_usage(eku, extension.critical)?);
        }
        ParsedExtension::SubjectAlternativeName(san) => {
            let names = subject_alt_names(&san.general_names).ok_or_else(malformed)?;
            result.subject_alt_name = Some(SubjectAltName {
                names,
                rendered: san.general_names.iter().map(render_general_name).collect(),
                critical: extension.critical,
            });
        }
        ParsedExtension::NameConstraints(nc) => {
            let constraints = NameConstraints::from_parsed(nc).ok_or_else(malformed)?;
            result.name_constraints = Some(constraints);
        }
        ParsedExtension::SubjectKeyIdentifier(id) => result.subject_key_id = Some(id.0.to_vec()),
        ParsedExtension::AuthorityKeyIdentifier(aki) => {
            result.authority_key_id = Some(AuthorityKeyId {
                key_id: aki.key_identifier.as_ref().map(|id| id.0.to_vec()),
                has_issuer_and_serial: aki.authority_cert_issuer.is_some()
                    || aki.authority_cert_serial.is_some(),
            });
        }
        _ => {}
    }
    Ok(())
}

fn check_criticality(extension: &X509Extension<'_>, oid: &str) -> Result<(), ExtensionDefect> {
    if extension.critical && !UNDERSTOOD_CRITICAL.contains(&oid) {
        if MUST_BE_NONCRITICAL.contains(&oid) {
            return Err(ExtensionDefect::MustBeNonCritical(oid.to_owned()));
        }
        return Err(ExtensionDefect::UnknownCritical(oid.to_owned()));
    }

    // Policy constraints are not enforced, and RFC 5280 requires them to be critical, so a
    // non-critical instance marks a certificate that does not follow the profile.
    if oid == OID_POLICY_CONSTRAINTS && !extension.critical {
        return Err(ExtensionDefect::MustBeCritical(oid.to_owned()));
    }
    Ok(())
}

fn extended_key_usage(
    eku: &x509_parser::extensions::ExtendedKeyUsage<'_>,
    critical: bool,
) -> Result<ExtendedKeyUsage, ExtensionDefect> {
    let known = [
        (eku.any, "2.5.29.37.0"),
        (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
        (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
        (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
        (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
        (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
        (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
    ];
    let mut purposes: Vec<String> = known
        .iter()
        .filter(|(present, _)| *present)
        .map(|(_, oid)| (*oid).to_owned())
        .collect();
    purposes.extend(eku.other.iter().map(|oid| oid.to_id_string()));

    // RFC 5280 defines the extension as a SEQUENCE SIZE (1..MAX).
    if purposes.is_empty() {
        return Err(ExtensionDefect::Malformed(
            OID_EXTENDED_KEY_USAGE.to_owned(),
        ));
    }
    Ok(ExtendedKeyUsage { purposes, critical })
}

/// Converts subjectAltName entries, or returns `None` when the extension is empty or an
/// entry is not well formed.
fn subject_alt_names(names: &[GeneralName<'_>]) -> Option<Vec<Name>> {
    if names.is_empty() {
        return None;
    }
    names.iter().map(subject_alt_name).collect()
}

fn subject_alt_name(name: &GeneralName<'_>) -> Option<Name> {
    match name {
        GeneralName::DNSName(dns) if name_constraints::is_valid_dns_name(dns, true) => {
            Some(Name::Dns((*dns).to_owned()))
        }
        GeneralName::IPAddress(ip) if ip.len() == 4 || ip.len() == 16 => {
            Some(Name::Ip(ip.to_vec()))
        }
        GeneralName::RFC822Name(email) if name_constraints::is_valid_email(email) => {
            Some(Name::Email((*email).to_owned()))
        }
        GeneralName::DirectoryName(dn) => der::name_rdns(dn.as_raw()).map(Name::Directory),
        GeneralName::DNSName(_)
        | GeneralName::IPAddress(_)
        | GeneralName::RFC822Name(_)
        | GeneralName::Invalid(..) => None,
        other => Some(Name::Other(name_constraints::form_name(other))),
    }
}

/// Renders a subjectAltName entry with the prefixes OpenSSL uses, such as `DNS:` and `IP:`.
fn render_general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(dns) => format!("DNS:{dns}"),
        GeneralName::RFC822Name(email) => format!("email:{email}"),
        GeneralName::URI(uri) => format!("URI:{uri}"),
        GeneralName::IPAddress(ip) => match <[u8; 4]>::try_from(*ip) {
            Ok(v4) => format!("IP:{}", std::net::Ipv4Addr::from(v4)),
            Err(_) => match <[u8; 16]>::try_from(*ip) {
                Ok(v6) => format!("IP:{}", std::net::Ipv6Addr::from(v6)),
                Err(_) => "IP:<invalid>".to_owned(),
            },
        },
        GeneralName::DirectoryName(dn) => format!("DirName:{dn}"),
        GeneralName::RegisteredID(oid) => format!("RID:{}", oid.to_id_string()),
        GeneralName::OtherName(oid, _) => format!("othername:{}", oid.to_id_string()),
        other => name_constraints::form_name(other).to_owned(),
    }
}
