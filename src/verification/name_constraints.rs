//! Name constraints (RFC 5280 section 4.2.1.10) over DNS names, IP addresses, e-mail
//! addresses and directory names, plus the syntax checks for those names.
//!
//! Constraints on other name forms (URI, otherName, x400Address, ediPartyName,
//! registeredID) are not evaluated. A chain is rejected when such a constraint meets a
//! name of the same form below it, as RFC 5280 requires of an implementation that does
//! not process that form.

use x509_parser::extensions::{GeneralName, NameConstraints as ParsedNameConstraints};

use super::der;

/// A name from a certificate's subject or subjectAltName, in the form constraints use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Name {
    /// A dNSName, possibly with a leading `*.` wildcard label.
    Dns(String),
    /// An iPAddress: 4 bytes for IPv4 or 16 bytes for IPv6.
    Ip(Vec<u8>),
    /// An rfc822Name, or an emailAddress attribute of the subject.
    Email(String),
    /// A directoryName or the subject itself, as the raw DER of each RDN.
    Directory(Vec<Vec<u8>>),
    /// A name form that constraints are not evaluated for, by its ASN.1 name.
    Other(&'static str),
}

/// One base name of a permitted or excluded subtree.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Subtree {
    /// Matches the name itself and every name with more labels on the left.
    Dns(String),
    /// Matches addresses of the same length whose masked bits equal the masked address.
    Ip { address: Vec<u8>, mask: Vec<u8> },
    /// A mailbox (contains `@`), a host (no leading period) or a domain (leading period).
    Email(String),
    /// Matches directory names that start with these RDNs.
    Directory(Vec<Vec<u8>>),
    /// A name form that is not evaluated.
    Unsupported(&'static str),
}

/// The parsed contents of a name constraints extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NameConstraints {
    permitted: Option<Vec<Subtree>>,
    excluded: Vec<Subtree>,
}

/// The result of checking one name against a set of constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The name is within the permitted subtrees and outside the excluded ones.
    Allowed,
    /// The name is outside the permitted subtrees or inside an excluded one.
    Violation,
    /// A constraint on this name's form cannot be evaluated.
    Unsupported(&'static str),
}

impl NameConstraints {
    /// Converts a parsed extension, or returns `None` when it is malformed: neither subtree
    /// list present, or a base name with invalid syntax.
    pub(crate) fn from_parsed(parsed: &ParsedNameConstraints<'_>) -> Option<Self> {
        if parsed.permitted_subtrees.is_none() && parsed.excluded_subtrees.is_none() {
            return None;
        }

        let convert = |subtrees: &Vec<x509_parser::extensions::GeneralSubtree<'_>>| {
            subtrees
                .iter()
                .map(|s| subtree_of(&s.base))
                .collect::<Option<Vec<_>>>()
        };
        let permitted = match &parsed.permitted_subtrees {
            Some(subtrees) => Some(convert(subtrees)?),
            None => None,
        };
        let excluded = match &parsed.excluded_subtrees {
            Some(subtrees) => convert(subtrees)?,
            None => Vec::new(),
        };
        Some(Self {
            permitted,
            excluded,
        })
    }

    /// The number of base names, which bounds the comparisons one name can cost.
    pub(crate) fn len(&self) -> usize {
        self.permitted.as_ref().map_or(0, Vec::len) + self.excluded.len()
    }

    /// Checks one name against the permitted and excluded subtrees.
    pub(crate) fn check(&self, name: &Name) -> Verdict {
        if let Name::Other(form) = name {
            return self.check_unevaluated(form);
        }

        for subtree in &self.excluded {
            if matches(subtree, name, true) == Some(true) {
                return Verdict::Violation;
            }
        }
        self.check_permitted(name)
    }

    fn check_permitted(&self, name: &Name) -> Verdict {
        let Some(permitted) = &self.permitted else {
            return Verdict::Allowed;
        };

        let mut same_form = false;
        for subtree in permitted {
            match matches(subtree, name, false) {
                Some(true) => return Verdict::Allowed,
                Some(false) => same_form = true,
                None => {}
            }
        }
        if same_form {
            Verdict::Violation
        } else {
            Verdict::Allowed
        }
    }

    fn check_unevaluated(&self, form: &'static str) -> Verdict {
        let all = self.permitted.iter().flatten().chain(&self.excluded);
        let constrained = all.into_iter().any(|s| *s == Subtree::Unsupported(form));
        if constrained {
            Verdict::Unsupported(form)
        } else {
            Verdict::Allowed
        }
    }
}

/// Returns whether `subtree` contains `name`, or `None` when they are of different forms.
///
/// A wildcard DNS name stands for every name it can match. It is inside a subtree only when
/// all those names are, and it meets an excluded subtree when any of them does.
fn matches(subtree: &Subtree, name: &Name, excluded: bool) -> Option<bool> {
    match (subtree, name) {
        (Subtree::Dns(base), Name::Dns(dns)) => Some(dns_matches(base, dns, excluded)),
        (Subtree::Ip { address, mask }, Name::Ip(ip)) => Some(ip_matches(address, mask, ip)),
        (Subtree::Email(base), Name::Email(email)) => Some(email_matches(base, email)),
        (Subtree::Directory(base), Name::Directory(rdns)) => Some(rdns.starts_with(base)),
        _ => None,
    }
}

fn dns_matches(base: &str, name: &str, excluded: bool) -> bool {
    let name = name.to_ascii_lowercase();
    if within_dns_subtree(base, &name) {
        return true;
    }

    // An excluded subtree one label below the wildcard's parent overlaps the wildcard.
    match name.strip_prefix("*.") {
        Some(parent) if excluded => base
            .split_once('.')
            .is_some_and(|(_, base_parent)| base_parent == parent),
        _ => false,
    }
}

fn within_dns_subtree(base: &str, name: &str) -> bool {
    if base.is_empty() || name == base {
        return true;
    }
    name.strip_suffix(base)
        .is_some_and(|prefix| prefix.ends_with('.'))
}

fn ip_matches(address: &[u8], mask: &[u8], ip: &[u8]) -> bool {
    if ip.len() != address.len() {
        return false;
    }
    let masked = |bytes: &[u8]| {
        bytes
            .iter()
            .zip(mask)
            .map(|(b, m)| b & m)
            .collect::<Vec<_>>()
    };
    masked(ip) == masked(address)
}

/// Compares per RFC 5280: a mailbox exactly (the host part without regard to case), a host
/// against the mailbox's host, and a domain against hosts below it. An asterisk is literal.
fn email_matches(base: &str, email: &str) -> bool {
    let Some((local, host)) = email.rsplit_once('@') else {
        return false;
    };

    if let Some((base_local, base_host)) = base.rsplit_once('@') {
        return local == base_local && host.eq_ignore_ascii_case(base_host);
    }
    if base.starts_with('.') {
        let host = host.to_ascii_lowercase();
        return host.ends_with(&base.to_ascii_lowercase());
    }
    host.eq_ignore_ascii_case(base)
}

fn subtree_of(base: &GeneralName<'_>) -> Option<Subtree> {
    match base {
        GeneralName::DNSName(dns) => dns_base(dns),
        GeneralName::IPAddress(bytes) => ip_base(bytes),
        GeneralName::RFC822Name(email) => email_base(email),
        GeneralName::DirectoryName(name) => der::name_rdns(name.as_raw()).map(Subtree::Directory),
        GeneralName::Invalid(..) => None,
        other => Some(Subtree::Unsupported(form_name(other))),
    }
}

/// Accepts an empty base (every name) or a host name without wildcard or leading period.
fn dns_base(dns: &str) -> Option<Subtree> {
    if dns.is_empty() || is_valid_dns_name(dns, false) {
        Some(Subtree::Dns(dns.to_ascii_lowercase()))
    } else {
        None
    }
}

/// Accepts an address followed by a mask of contiguous leading ones, with no host bits set.
fn ip_base(bytes: &[u8]) -> Option<Subtree> {
    if bytes.len() != 8 && bytes.len() != 32 {
        return None;
    }

    let (address, mask) = bytes.split_at(bytes.len() / 2);
    let mut bits = 0u128;
    for &byte in mask {
        bits = (bits << 8) | u128::from(byte);
    }
    bits <<= 128 - mask.len() * 8;
    let contiguous = bits.count_ones() == bits.leading_ones();
    let host_bits_clear = address.iter().zip(mask).all(|(a, m)| a & !m == 0);
    (contiguous && host_bits_clear).then(|| Subtree::Ip {
        address: address.to_vec(),
        mask: mask.to_vec(),
    })
}

fn email_base(email: &str) -> Option<Subtree> {
    let valid = match email.split_once('@') {
        Some(_) => is_valid_email(email),
        None => {
            let host = email.strip_prefix('.').unwrap_or(email);
            is_valid_dns_name(host, false)
        }
    };
    valid.then(|| Subtree::Email(email.to_owned()))
}

/// Returns the ASN.1 name of a general name's form.
pub(crate) fn form_name(name: &GeneralName<'_>) -> &'static str {
    match name {
        GeneralName::OtherName(..) => "otherName",
        GeneralName::RFC822Name(_) => "rfc822Name",
        GeneralName::DNSName(_) => "dNSName",
        GeneralName::X400Address(_) => "x400Address",
        GeneralName::DirectoryName(_) => "directoryName",
        GeneralName::EDIPartyName(_) => "ediPartyName",
        GeneralName::URI(_) => "uniformResourceIdentifier",
        GeneralName::IPAddress(_) => "iPAddress",
        GeneralName::RegisteredID(_) => "registeredID",
        GeneralName::Invalid(..) => "invalid",
    }
}

/// Checks the preferred name syntax of RFC 1034 as relaxed by RFC 1123: labels of 1 to 63
/// letters, digits and hyphens that neither start nor end with a hyphen, at most 253
/// characters in all. With `wildcard`, a leftmost label of exactly `*` is allowed.
pub(crate) fn is_valid_dns_name(name: &str, wildcard: bool) -> bool {
    let rest = match name.strip_prefix("*.") {
        Some(rest) if wildcard => rest,
        _ => name,
    };
    if rest.is_empty() || name.len() > 253 {
        return false;
    }
    rest.split('.').all(is_valid_label)
}

fn is_valid_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    let allowed = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-');
    let hyphen_edge = bytes.first() == Some(&b'-') || bytes.last() == Some(&b'-');
    !label.is_empty() && label.len() <= 63 && allowed && !hyphen_edge
}

/// Checks an addr-spec with exactly one `@`, a non-empty local part of printable ASCII
/// without spaces, and a host in preferred name syntax.
pub(crate) fn is_valid_email(email: &str) -> bool {
    let Some((local, host)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty() && local.bytes().all(|b| b.is_ascii_graphic() && b != b'@');
    local_ok && is_valid_dns_name(host, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constraints(permitted: Option<Vec<Subtree>>, excluded: Vec<Subtree>) -> NameConstraints {
        NameConstraints {
            permitted,
            excluded,
        }
    }

    fn dns(name: &str) -> Name {
        Name::Dns(name.to_owned())
    }

    #[test]
    fn dns_subtree_includes_subdomains() {
        let nc = constraints(Some(vec![Subtree::Dns("example.com".into())]), vec![]);
        assert_eq!(nc.check(&dns("example.com")), Verdict::Allowed);
        assert_eq!(nc.check(&dns("a.b.Example.COM")), Verdict::Allowed);
        assert_eq!(nc.check(&dns("badexample.com")), Verdict::Violation);
        assert_eq!(nc.check(&dns("*.example.com")), Verdict::Allowed);
    }

    #[test]
    fn excluded_dns_overlaps_wildcard() {
        let nc = constraints(None, vec![Subtree::Dns("bad.example.com".into())]);
        assert_eq!(nc.check(&dns("*.example.com")), Verdict::Violation);
        assert_eq!(nc.check(&dns("good.example.com")), Verdict::Allowed);
    }

    #[test]
    fn other_forms_are_unaffected_by_permitted_dns() {
        let nc = constraints(Some(vec![Subtree::Dns("example.com".into())]), vec![]);
        assert_eq!(nc.check(&Name::Ip(vec![10, 0, 0, 1])), Verdict::Allowed);
        assert_eq!(nc.check(&Name::Email("a@b.org".into())), Verdict::Allowed);
    }

    #[test]
    fn ip_subtree_uses_mask() {
        let base = ip_base(&[10, 1, 0, 0, 255, 255, 0, 0]);
        let nc = constraints(base.map(|s| vec![s]), vec![]);
        assert_eq!(nc.check(&Name::Ip(vec![10, 1, 200, 3])), Verdict::Allowed);
        assert_eq!(nc.check(&Name::Ip(vec![10, 2, 0, 1])), Verdict::Violation);
        assert_eq!(nc.check(&Name::Ip(vec![0; 16])), Verdict::Violation);
    }

    #[test]
    fn ip_base_must_be_cidr() {
        assert!(ip_base(&[10, 1, 0, 0, 255, 0, 255, 0]).is_none());
        assert!(ip_base(&[10, 1, 0, 1, 255, 255, 0, 0]).is_none());
        assert!(ip_base(&[10, 1, 0, 0]).is_none());
        assert!(ip_base(&[0; 32]).is_some());
    }

    #[test]
    fn email_forms_follow_rfc5280() {
        assert!(email_matches("user@example.com", "user@EXAMPLE.com"));
        assert!(!email_matches("user@example.com", "User@example.com"));
        assert!(email_matches("example.com", "any@example.com"));
        assert!(!email_matches("example.com", "any@sub.example.com"));
        assert!(email_matches(".example.com", "any@sub.example.com"));
        assert!(!email_matches(".example.com", "any@example.com"));
        assert!(!email_matches("*@example.com", "user@example.com"));
    }

    #[test]
    fn directory_subtree_is_rdn_prefix() {
        let base = vec![vec![0x31, 0x00]];
        let nc = constraints(None, vec![Subtree::Directory(base)]);
        let inside = Name::Directory(vec![vec![0x31, 0x00], vec![0x31, 0x01, 0x05]]);
        let outside = Name::Directory(vec![vec![0x31, 0x01, 0x05]]);
        assert_eq!(nc.check(&inside), Verdict::Violation);
        assert_eq!(nc.check(&outside), Verdict::Allowed);
    }

    #[test]
    fn unevaluated_forms_reject_only_matching_names() {
        let nc = constraints(None, vec![Subtree::Unsupported("otherName")]);
        assert_eq!(
            nc.check(&Name::Other("otherName")),
            Verdict::Unsupported("otherName")
        );
        assert_eq!(
            nc.check(&Name::Other("uniformResourceIdentifier")),
            Verdict::Allowed
        );
        assert_eq!(nc.check(&dns("example.com")), Verdict::Allowed);
    }

    #[test]
    fn dns_syntax() {
        assert!(is_valid_dns_name("a-1.example.com", false));
        assert!(is_valid_dns_name("*.example.com", true));
        assert!(!is_valid_dns_name("*.example.com", false));
        assert!(!is_valid_dns_name("under_score.example.com", false));
        assert!(!is_valid_dns_name(".example.com", false));
        assert!(!is_valid_dns_name("-a.example.com", false));
        assert!(!is_valid_dns_name("example.com.", false));
        assert!(!is_valid_dns_name("", false));
    }

    #[test]
    fn email_syntax() {
        assert!(is_valid_email("user*@example.com"));
        assert!(!is_valid_email("invalid@invalid@example.com"));
        assert!(!is_valid_email("@example.com"));
        assert!(!is_valid_email("user@.example.com"));
    }
}
