//! Certification path building and validation.
//!
//! The leaf is the first certificate of a document's chain and the rest form an unordered
//! pool. Paths are built depth first from the leaf towards a trust anchor. At each step
//! the candidates are the anchors, then the pool certificates, whose subject equals the
//! current certificate's issuer name, byte for byte. Key identifiers only order the
//! candidates. A certificate never appears twice on one path, so cycles end.
//!
//! Names are compared as DER rather than with the RFC 5280 section 7.1 normalisation: a CA
//! copies its subject into the certificates it issues, byte-exact comparison is what Go
//! crypto/x509 and rustls-webpki do, and it cannot be fooled by case-folding or
//! whitespace rules that different implementations apply differently.

use super::algorithm_id::{self, AlgorithmProblem, SignatureCheckError};
use super::certificate::Certificate;
use super::error::ChainError;
use super::name_constraints::{Name, Verdict};
use super::profile::{self, Role};
use super::public_key::{KeyProblem, PublicKeyInfo};
use super::trust_anchor::TrustAnchors;

/// Intermediates allowed on any path, whatever the policy sets. This bounds recursion.
pub const MAX_INTERMEDIATES: usize = 16;

/// The purpose the leaf must be valid for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// TLS client authentication (`id-kp-clientAuth`, 1.3.6.1.5.5.7.3.2).
    #[default]
    ClientAuth,
    /// TLS server authentication (`id-kp-serverAuth`, 1.3.6.1.5.5.7.3.1). This also applies
    /// the CA/Browser Forum Baseline Requirements certificate profile.
    ServerAuth,
    /// Any other purpose, as a dotted OID.
    Oid(String),
    /// No purpose requirement: extendedKeyUsage is not checked.
    Any,
}

impl Purpose {
    /// The purpose's OID in dotted form, or `None` for [`Purpose::Any`].
    pub fn oid(&self) -> Option<&str> {
        match self {
            Self::ClientAuth => Some("1.3.6.1.5.5.7.3.2"),
            Self::ServerAuth => Some("1.3.6.1.5.5.7.3.1"),
            Self::Oid(oid) => Some(oid),
            Self::Any => None,
        }
    }
}

/// Limits on the work one validation may do, so that hostile pools cannot make path
/// building take exponential time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Certificate signature verifications.
    pub signature_checks: usize,
    /// Candidate issuers considered.
    pub build_steps: usize,
    /// Comparisons of one name with one name constraint subtree.
    pub name_constraint_checks: usize,
}

impl Default for Budget {
    /// Returns 100 signature checks, 200 build steps and 250,000 name constraint comparisons.
    fn default() -> Self {
        Self {
            signature_checks: 100,
            build_steps: 200,
            name_constraint_checks: 250_000,
        }
    }
}

/// What a chain must satisfy beyond the RFC 5280 rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChainPolicy {
    /// The purpose the leaf's extendedKeyUsage must allow.
    pub purpose: Purpose,
    /// The maximum number of intermediates between leaf and anchor, not counting
    /// self-issued ones. `None` leaves only the hard limit of [`MAX_INTERMEDIATES`].
    pub max_depth: Option<usize>,
    /// Work limits for path building.
    pub budget: Budget,
}

impl ChainPolicy {
    /// Returns the policy with `purpose` required of the leaf.
    #[must_use]
    pub fn with_purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    /// Returns the policy with at most `max_depth` intermediates.
    #[must_use]
    pub const fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = Some(max_depth);
        self
    }

    /// Returns the policy with different work limits.
    #[must_use]
    pub const fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }
}

/// The work one validation did, counted against the [`Budget`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Certificate signature verifications run.
    pub signature_checks: usize,
    /// Candidate issuers considered.
    pub build_steps: usize,
    /// Name-to-subtree comparisons made.
    pub name_constraint_checks: usize,
}

/// The leaf's identifying fields, for logs and for callers that authorise by name.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeafSummary {
    /// The subject in one-line form, such as `CN=agent, O=Example`.
    pub subject: String,
    /// The issuer in the same form.
    pub issuer: String,
    /// The serial number as lowercase hex, without a sign byte.
    pub serial: String,
    /// The subjectAltName entries, such as `DNS:example.com` or `URI:spiffe://a/b`.
    pub sans: Vec<String>,
    /// notBefore in Unix seconds.
    pub not_before: i64,
    /// notAfter in Unix seconds.
    pub not_after: i64,
}

/// A chain that validated, with what callers need to use and cache the result.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ValidatedPath {
    /// The number of certificates on the path, leaf and trust anchor included.
    pub length: usize,
    /// The latest notBefore on the path, anchor included, in Unix seconds.
    pub not_before: i64,
    /// The earliest notAfter on the path, anchor included, in Unix seconds. The result
    /// may be cached until then.
    pub not_after: i64,
    /// The leaf's identifying fields.
    pub leaf: LeafSummary,
    /// The leaf's public key, which document signatures are checked with.
    pub public_key: PublicKeyInfo,
    /// The work path building did.
    pub work: Work,
}

/// Validates `leaf_der` up to one of `anchors` through certificates from `pool`.
///
/// `time` is the validation time in Unix seconds. Malformed pool certificates are ignored,
/// since they could not issue anything.
///
/// # Errors
///
/// [`ChainError::Malformed`] when the leaf cannot be parsed, a leaf defect such as
/// [`ChainError::Expired`] or [`ChainError::RequiredEkuNotFound`], or, when every candidate
/// path fails, the most specific failure seen. [`ChainError::BudgetExceeded`] ends path
/// building at once.
pub fn validate_chain(
    anchors: &TrustAnchors,
    leaf_der: &[u8],
    pool: &[impl AsRef<[u8]>],
    time: i64,
    policy: &ChainPolicy,
) -> Result<ValidatedPath, ChainError> {
    let leaf = Certificate::from_der(leaf_der).map_err(|reason| ChainError::Malformed {
        position: 0,
        reason,
    })?;
    validate_parsed_chain(anchors, &leaf, &parse_pool(pool), time, policy)
}

/// Validates an already parsed leaf through an already parsed pool, so that a caller that
/// parsed the certificates for other checks does not parse them again.
pub(crate) fn validate_parsed_chain(
    anchors: &TrustAnchors,
    leaf: &Certificate,
    pool: &[Certificate],
    time: i64,
    policy: &ChainPolicy,
) -> Result<ValidatedPath, ChainError> {
    check_leaf(leaf, time, policy)?;

    let mut builder = Builder {
        anchors: anchors.certificates(),
        pool,
        leaf,
        time,
        policy,
        path: Vec::new(),
        work: Work::default(),
        best: None,
    };
    builder.build()
}

fn check_leaf(leaf: &Certificate, time: i64, policy: &ChainPolicy) -> Result<(), ChainError> {
    profile::check_certificate(leaf, 0, Role::Leaf, time, &policy.purpose)?;
    profile::check_leaf(leaf, &policy.purpose)?;
    check_key(&leaf.public_key, 0)
}

/// Parses the pool, dropping malformed certificates and exact duplicates.
fn parse_pool(pool: &[impl AsRef<[u8]>]) -> Vec<Certificate> {
    let mut parsed: Vec<Certificate> = Vec::new();
    for der in pool {
        let der = der.as_ref();
        if parsed.iter().any(|cert| cert.der == der) {
            continue;
        }
        if let Ok(cert) = Certificate::from_der(der) {
            parsed.push(cert);
        }
    }
    parsed
}

fn check_key(key: &PublicKeyInfo, position: usize) -> Result<(), ChainError> {
    key.check_usable().map_err(|problem| match problem {
        KeyProblem::TooSmall { bits } => ChainError::KeyTooSmall { position, bits },
        KeyProblem::Unsupported => ChainError::UnsupportedKey {
            position,
            key: key.key_type().to_string(),
        },
    })
}

/// A candidate issuer: a trust anchor or a pool certificate.
#[derive(Clone, Copy)]
enum Candidate<'a> {
    Anchor(&'a Certificate),
    Pool(&'a Certificate),
}

impl<'a> Candidate<'a> {
    const fn certificate(self) -> &'a Certificate {
        match self {
            Self::Anchor(cert) | Self::Pool(cert) => cert,
        }
    }
}

/// Depth-first path search state.
struct Builder<'a> {
    anchors: &'a [Certificate],
    pool: &'a [Certificate],
    leaf: &'a Certificate,
    time: i64,
    policy: &'a ChainPolicy,
    /// The intermediates chosen so far, nearest the leaf first.
    path: Vec<&'a Certificate>,
    work: Work,
    /// The most specific failure so far.
    best: Option<ChainError>,
}

impl<'a> Builder<'a> {
    fn build(&mut self) -> Result<ValidatedPath, ChainError> {
        match self.extend()? {
            Some(path) => Ok(path),
            None => Err(self
                .best
                .take()
                .unwrap_or_else(|| unknown_issuer(self.leaf, 0))),
        }
    }

    /// The certificate at the top of the current path, whose issuer is searched for next.
    fn top(&self) -> &'a Certificate {
        self.path.last().copied().unwrap_or(self.leaf)
    }

    /// Tries every candidate issuer of the top certificate. Returns `Ok(None)` when none
    /// leads to an anchor, and `Err` only when the budget runs out.
    fn extend(&mut self) -> Result<Option<ValidatedPath>, ChainError> {
        let child = self.top();
        let position = self.path.len();
        let candidates = self.candidates(child);
        if candidates.is_empty() {
            self.record(unknown_issuer(child, position));
            return Ok(None);
        }

        for candidate in candidates {
            self.spend_step()?;
            if let Some(path) = self.try_candidate(child, position, candidate)? {
                return Ok(Some(path));
            }
        }
        Ok(None)
    }

    /// Lists the anchors, then the pool certificates, named as the child's issuer. Within
    /// each group, those whose subject key identifier matches the child's authority key
    /// identifier come first and those with a different identifier last.
    fn candidates(&self, child: &Certificate) -> Vec<Candidate<'a>> {
        let issued_child = |cert: &&'a Certificate| cert.subject.raw == child.issuer.raw;
        let mut anchors: Vec<_> = self.anchors.iter().filter(issued_child).collect();
        let mut pool: Vec<_> = self
            .pool
            .iter()
            .filter(issued_child)
            .filter(|cert| !self.on_path(cert))
            .collect();

        let expected_key_id = child
            .extensions
            .authority_key_id
            .as_ref()
            .and_then(|a| a.key_id.as_ref());
        let order = |cert: &&Certificate| match (expected_key_id, &cert.extensions.subject_key_id) {
            (Some(expected), Some(have)) if expected == have => 0,
            (Some(_), Some(_)) => 2,
            _ => 1,
        };
        anchors.sort_by_key(order);
        pool.sort_by_key(order);

        let anchors = anchors.into_iter().map(Candidate::Anchor);
        anchors
            .chain(pool.into_iter().map(Candidate::Pool))
            .collect()
    }

    /// Whether a certificate with the same subject and key is already on the path.
    fn on_path(&self, cert: &Certificate) -> bool {
        cert.same_identity(self.leaf) || self.path.iter().any(|on| on.same_identity(cert))
    }

    fn try_candidate(
        &mut self,
        child: &Certificate,
        position: usize,
        candidate: Candidate<'a>,
    ) -> Result<Option<ValidatedPath>, ChainError> {
        let issuer = candidate.certificate();
        if let Err(error) = self.check_signature(child, issuer, position)? {
            self.record(error);
            return Ok(None);
        }
        if let Err(error) = self.check_issuer(candidate, position + 1) {
            self.record(error);
            return Ok(None);
        }

        match candidate {
            Candidate::Anchor(anchor) => self.complete(anchor),
            Candidate::Pool(intermediate) => {
                self.path.push(intermediate);
                let result = self.extend();
                self.path.pop();
                result
            }
        }
    }

    /// Verifies the child's signature with the issuer's key. The outer `Result` carries
    /// budget exhaustion and the inner one the check's outcome.
    fn check_signature(
        &mut self,
        child: &Certificate,
        issuer: &Certificate,
        position: usize,
    ) -> Result<Result<(), ChainError>, ChainError> {
        let algorithm = match &child.signature_algorithm {
            Ok(algorithm) => *algorithm,
            Err(problem) => return Ok(Err(algorithm_error(problem, position))),
        };
        if let Err(error) = check_key(&issuer.public_key, position + 1) {
            return Ok(Err(error));
        }

        self.work.signature_checks += 1;
        if self.work.signature_checks > self.policy.budget.signature_checks {
            return Err(budget_exceeded(
                "signature checks",
                self.policy.budget.signature_checks,
            ));
        }

        let verified = algorithm_id::verify_certificate_signature(
            algorithm,
            &issuer.public_key,
            &child.tbs,
            &child.signature,
        );
        Ok(verified.map_err(|error| match error {
            SignatureCheckError::KeyMismatch => ChainError::AlgorithmKeyMismatch { position },
            SignatureCheckError::BadSignature => ChainError::BadCertificateSignature {
                position,
                subject: child.subject.text.clone(),
            },
        }))
    }

    /// Checks a candidate as an issuer at `position`: its own validity and profile, CA
    /// status, purpose, every pathLenConstraint above, and the maximum depth.
    fn check_issuer(&self, candidate: Candidate<'_>, position: usize) -> Result<(), ChainError> {
        let (cert, role) = match candidate {
            Candidate::Anchor(cert) => (cert, Role::Anchor),
            Candidate::Pool(cert) => (cert, Role::Intermediate),
        };
        let purpose = &self.policy.purpose;
        profile::check_certificate(cert, position, role, self.time, purpose)?;
        profile::check_issuer(cert, position)?;
        profile::check_extended_key_usage(cert, position, purpose, true)?;
        self.check_path_len(cert, position)?;
        if role == Role::Intermediate {
            self.check_depth(cert)?;
        }
        Ok(())
    }

    /// Applies the issuer's pathLenConstraint to the intermediates already on the path,
    /// where self-issued ones do not count (RFC 5280 section 6.1.4).
    fn check_path_len(&self, issuer: &Certificate, position: usize) -> Result<(), ChainError> {
        let Some(path_len) = issuer
            .extensions
            .basic_constraints
            .and_then(|bc| bc.path_len)
        else {
            return Ok(());
        };

        let found = self
            .path
            .iter()
            .filter(|cert| !cert.is_self_issued())
            .count();
        if found > path_len as usize {
            return Err(ChainError::PathLenExceeded {
                position,
                subject: issuer.subject.text.clone(),
                path_len,
                found,
            });
        }
        Ok(())
    }

    /// Checks that adding `intermediate` keeps the path within the policy's maximum depth
    /// and the hard limit.
    fn check_depth(&self, intermediate: &Certificate) -> Result<(), ChainError> {
        if self.path.len() >= MAX_INTERMEDIATES {
            return Err(ChainError::MaxDepthExceeded {
                max_depth: MAX_INTERMEDIATES,
            });
        }

        let Some(max_depth) = self.policy.max_depth else {
            return Ok(());
        };
        let counted = self.path.iter().chain([&intermediate]);
        let depth = counted.filter(|cert| !cert.is_self_issued()).count();
        if depth > max_depth {
            return Err(ChainError::MaxDepthExceeded { max_depth });
        }
        Ok(())
    }

    /// Finishes a path at `anchor` once the name constraints along it hold.
    fn complete(&mut self, anchor: &'a Certificate) -> Result<Option<ValidatedPath>, ChainError> {
        let mut chain = vec![self.leaf];
        chain.extend(self.path.iter().copied());
        chain.push(anchor);

        if let Err(error) = self.check_name_constraints(&chain)? {
            self.record(error);
            return Ok(None);
        }
        Ok(Some(self.validated(&chain)))
    }

    /// Checks each constraining certificate's name constraints over the certificates below
    /// it. Self-issued intermediates are exempt, as RFC 5280 section 6.1.3 allows.
    fn check_name_constraints(
        &mut self,
        chain: &[&Certificate],
    ) -> Result<Result<(), ChainError>, ChainError> {
        for (constraint_position, constraining) in chain.iter().enumerate().skip(1) {
            let Some(constraints) = &constraining.extensions.name_constraints else {
                continue;
            };
            let below = chain.iter().take(constraint_position).enumerate();
            for (position, cert) in below {
                if position > 0 && cert.is_self_issued() {
                    continue;
                }
                for name in cert.constrained_names() {
                    self.spend_name_checks(constraints.len())?;
                    let verdict = constraints.check(&name);
                    if let Some(error) = nc_error(verdict, &name, position, constraint_position) {
                        return Ok(Err(error));
                    }
                }
            }
        }
        Ok(Ok(()))
    }

    fn validated(&self, chain: &[&Certificate]) -> ValidatedPath {
        let not_before = chain.iter().map(|c| c.not_before).max().unwrap_or(i64::MIN);
        let not_after = chain.iter().map(|c| c.not_after).min().unwrap_or(i64::MAX);
        ValidatedPath {
            length: chain.len(),
            not_before,
            not_after,
            leaf: summarize(self.leaf),
            public_key: self.leaf.public_key.clone(),
            work: self.work,
        }
    }

    fn spend_step(&mut self) -> Result<(), ChainError> {
        self.work.build_steps += 1;
        if self.work.build_steps > self.policy.budget.build_steps {
            return Err(budget_exceeded(
                "path-building steps",
                self.policy.budget.build_steps,
            ));
        }
        Ok(())
    }

    fn spend_name_checks(&mut self, count: usize) -> Result<(), ChainError> {
        self.work.name_constraint_checks += count;
        let limit = self.policy.budget.name_constraint_checks;
        if self.work.name_constraint_checks > limit {
            return Err(budget_exceeded("name constraint comparisons", limit));
        }
        Ok(())
    }

    /// Keeps `error` when it is more specific than the best failure so far.
    fn record(&mut self, error: ChainError) {
        if self
            .best
            .as_ref()
            .is_none_or(|best| rank(&error) > rank(best))
        {
            self.best = Some(error);
        }
    }
}

/// Orders failures by how specific they are. An unknown issuer is the least specific, and
/// a signature failure may only mean the candidate was a different CA with the same name.
fn rank(error: &ChainError) -> u8 {
    match error {
        ChainError::UnknownIssuer { .. } => 0,
        ChainError::BadCertificateSignature { .. } | ChainError::AlgorithmKeyMismatch { .. } => 1,
        _ => 2,
    }
}

fn unknown_issuer(cert: &Certificate, position: usize) -> ChainError {
    ChainError::UnknownIssuer {
        position,
        subject: cert.subject.text.clone(),
        issuer: cert.issuer.text.clone(),
    }
}

const fn budget_exceeded(resource: &'static str, limit: usize) -> ChainError {
    ChainError::BudgetExceeded { resource, limit }
}

fn algorithm_error(problem: &AlgorithmProblem, position: usize) -> ChainError {
    match problem {
        AlgorithmProblem::Insecure(algorithm) => ChainError::InsecureSignatureAlgorithm {
            position,
            algorithm,
        },
        AlgorithmProblem::Unsupported(oid) => ChainError::UnsupportedSignatureAlgorithm {
            position,
            oid: oid.clone(),
        },
    }
}

fn nc_error(
    verdict: Verdict,
    name: &Name,
    position: usize,
    constraint_position: usize,
) -> Option<ChainError> {
    match verdict {
        Verdict::Allowed => None,
        Verdict::Violation => Some(ChainError::NameConstraintViolation {
            position,
            constraint_position,
            name: describe_name(name),
        }),
        Verdict::Unsupported(form) => Some(ChainError::UnsupportedNameConstraint {
            position,
            constraint_position,
            form,
        }),
    }
}

fn describe_name(name: &Name) -> String {
    match name {
        Name::Dns(dns) => format!("DNS:{dns}"),
        Name::Ip(ip) => format!("IP:{}", hex(ip)),
        Name::Email(email) => format!("email:{email}"),
        Name::Directory(rdns) => format!("directory name with {} RDNs", rdns.len()),
        Name::Other(form) => (*form).to_owned(),
    }
}

fn summarize(leaf: &Certificate) -> LeafSummary {
    let serial = match leaf.serial.as_slice() {
        [0, rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    let sans = leaf.extensions.subject_alt_name.as_ref();
    LeafSummary {
        subject: leaf.subject.text.clone(),
        issuer: leaf.issuer.text.clone(),
        serial: hex(serial),
        sans: sans.map_or_else(Vec::new, |san| san.rendered.clone()),
        not_before: leaf.not_before,
        not_after: leaf.not_after,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
