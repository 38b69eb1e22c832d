//! The document verifier: envelope, signature, chain, identity and policy checks, in that
//! order, failing closed at the first check that does not pass.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::cache::{chain_key, CachedPath, ChainCache};
use super::certificate::Certificate;
use super::chain::{validate_parsed_chain, ChainPolicy, LeafSummary};
use super::error::{ChainError, VerificationError};
use super::public_key::PublicKeyInfo;
use super::signature::verify_document_signature;
use super::trust_anchor::TrustAnchors;
use crate::algorithm::SignatureAlgorithm;
use crate::codec::wire::{self, WireType};
use crate::codec::{self, DecodeLimits, TaskIdentity, TaskPodIdentity};
use crate::document::{DocumentKind, SignedDocument};
use crate::error::Error;

/// Field number of `requestTimestamp` in TaskPodIdentity.
const POD_TIMESTAMP_FIELD: u32 = 3;

/// Requirements a [`Verifier`] applies beyond a valid signature and chain.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifierPolicy {
    /// Purpose, depth and work limits for the certificate chain.
    pub chain: ChainPolicy,
    /// The oldest a document may be, by its own timestamp; `None` turns the document
    /// time check off, for archival verification. Default 300 seconds.
    pub max_age: Option<Duration>,
    /// How far in the future a document's timestamp may lie, for clock skew. Default 60
    /// seconds. Ignored when `max_age` is `None`.
    pub future_skew: Duration,
    /// When set, the document's `ipv4Address` or `ipv6Address` must be this address.
    pub expected_ip: Option<IpAddr>,
    /// When set, the document's task id must be this value.
    pub expected_task_id: Option<String>,
    /// Size limits on documents.
    pub limits: DecodeLimits,
    /// How many validated chains to remember; 0 turns the cache off. Default 1,024.
    pub cache_size: usize,
}

impl Default for VerifierPolicy {
    fn default() -> Self {
        Self {
            chain: ChainPolicy::default(),
            max_age: Some(Duration::from_secs(300)),
            future_skew: Duration::from_secs(60),
            expected_ip: None,
            expected_task_id: None,
            limits: DecodeLimits::default(),
            cache_size: 1024,
        }
    }
}

/// The identity a verified document carries.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum VerifiedIdentity {
    /// From a `TaskIdentityDocument` or a `TaskIdentityStringDocument`.
    Task(Box<TaskIdentity>),
    /// From a `TaskPodIdentityDocument`.
    Pod(Box<TaskPodIdentity>),
}

/// A document that passed every check. Only [`Verifier`] creates values of this type.
#[derive(Clone, Debug)]
pub struct Verified {
    kind: DocumentKind,
    identity: VerifiedIdentity,
    leaf: LeafSummary,
    algorithm: SignatureAlgorithm,
    path_length: usize,
    document_time: i64,
    chain_from_cache: bool,
}

impl Verified {
    /// The document's kind.
    pub const fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// The decoded identity.
    pub const fn identity(&self) -> &VerifiedIdentity {
        &self.identity
    }

    /// Consumes the result, returning the identity.
    pub fn into_identity(self) -> VerifiedIdentity {
        self.identity
    }

    /// The signing certificate's subject, issuer, serial, SANs and validity.
    pub const fn leaf(&self) -> &LeafSummary {
        &self.leaf
    }

    /// The algorithm the document was signed with.
    pub const fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// Certificates on the validated path, leaf and trust anchor included.
    pub const fn path_length(&self) -> usize {
        self.path_length
    }

    /// The document's own timestamp in Unix seconds.
    pub const fn document_time(&self) -> i64 {
        self.document_time
    }

    /// Whether the chain was accepted from the verified-chain cache.
    pub const fn chain_from_cache(&self) -> bool {
        self.chain_from_cache
    }
}

/// Verifies task identity documents against a set of trust anchors.
///
/// Cloning is cheap and clones share the chain cache; a `Verifier` is `Send + Sync`.
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    anchors: TrustAnchors,
    policy: VerifierPolicy,
    cache: ChainCache,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("anchors", &self.inner.anchors.len())
            .field("policy", &self.inner.policy)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// Creates a verifier.
    ///
    /// # Errors
    ///
    /// [`VerificationError::NoTrustAnchors`] when `anchors` is empty.
    pub fn new(anchors: TrustAnchors, policy: VerifierPolicy) -> Result<Self, VerificationError> {
        if anchors.is_empty() {
            return Err(VerificationError::NoTrustAnchors);
        }
        let cache = ChainCache::new(policy.cache_size);
        let inner = Inner {
            anchors,
            policy,
            cache,
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The policy this verifier applies.
    pub fn policy(&self) -> &VerifierPolicy {
        &self.inner.policy
    }

    /// The number of chains in the verified-chain cache.
    pub fn cached_chains(&self) -> usize {
        self.inner.cache.len()
    }

    /// Verifies a document at the current system time. With `kind` `None`, the kind is
    /// detected from the bytes with [`DocumentKind::detect`].
    ///
    /// # Errors
    ///
    /// As [`Verifier::verify_at`].
    pub fn verify(&self, document: &[u8], kind: Option<DocumentKind>) -> Result<Verified, Error> {
        self.verify_at(document, kind, SystemTime::now())
    }

    /// Verifies a document as of `time`, which is both the chain validation time and the
    /// reference for the document's freshness.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] for malformed or oversized input and absent or unknown fields;
    /// [`Error::Verification`] for a bad signature, a chain that does not validate, a
    /// stale or missing document time, or a caller that does not match the policy.
    pub fn verify_at(
        &self,
        document: &[u8],
        kind: Option<DocumentKind>,
        time: SystemTime,
    ) -> Result<Verified, Error> {
        let limits = &self.inner.policy.limits;
        limits.check_size(document.len())?;
        let kind = match kind {
            Some(kind) => kind,
            None => DocumentKind::detect(document, limits)?,
        };
        let signed = SignedDocument::parse(document, kind, limits)?;
        self.verify_signed(signed, crate::time::unix_seconds(time))
    }

    fn verify_signed(&self, signed: SignedDocument, now: i64) -> Result<Verified, Error> {
        let key = chain_key(&signed.cert_chain);
        let cached = self.inner.cache.get(&key, now);

        let (path, chain_from_cache) = match cached {
            Some(path) => {
                verify_signature(&signed, &path.public_key)?;
                (path, true)
            }
            None => {
                // The leaf is parsed once, for its key and then for path building.
                let leaf = parse_leaf(&signed.cert_chain)?;
                verify_signature(&signed, &leaf.public_key)?;
                let path = self.validate(&leaf, &signed.cert_chain, key, now)?;
                (path, false)
            }
        };

        let (identity, document_time) = decode_identity(&signed, &self.inner.policy.limits)?;
        self.check_policy(&identity, document_time, now)?;

        Ok(Verified {
            kind: signed.kind,
            identity,
            leaf: path.leaf.clone(),
            algorithm: signed.algorithm,
            path_length: path.length,
            document_time,
            chain_from_cache,
        })
    }

    /// Builds and checks the path, and remembers it for later documents.
    fn validate(
        &self,
        leaf: &Certificate,
        chain: &[Vec<u8>],
        key: [u8; 32],
        now: i64,
    ) -> Result<Arc<CachedPath>, VerificationError> {
        let pool = parse_pool_strictly(chain.get(1..).unwrap_or_default())?;
        let policy = &self.inner.policy.chain;
        let path = validate_parsed_chain(&self.inner.anchors, leaf, &pool, now, policy)?;
        let cached = Arc::new(CachedPath::from_path(&path));
        self.inner.cache.insert(key, Arc::clone(&cached));
        Ok(cached)
    }

    fn check_policy(
        &self,
        identity: &VerifiedIdentity,
        document_time: i64,
        now: i64,
    ) -> Result<(), VerificationError> {
        let policy = &self.inner.policy;
        if let Some(max_age) = policy.max_age {
            check_freshness(document_time, now, max_age, policy.future_skew)?;
        }
        if let Some(expected) = policy.expected_ip {
            check_address(identity, expected)?;
        }
        if let Some(expected) = &policy.expected_task_id {
            check_task_id(identity, expected)?;
        }
        Ok(())
    }
}

fn verify_signature(signed: &SignedDocument, key: &PublicKeyInfo) -> Result<(), VerificationError> {
    verify_document_signature(
        signed.algorithm,
        key,
        &signed.signed_bytes,
        &signed.signature,
    )
}

/// Parses the pool, rejecting a document whose certChain has an entry that is not a
/// certificate. Path building would skip it, but a signer never sends one, so it marks a
/// tampered chain. Exact duplicates are dropped, as path building would drop them.
fn parse_pool_strictly(pool: &[Vec<u8>]) -> Result<Vec<Certificate>, ChainError> {
    let mut parsed: Vec<Certificate> = Vec::with_capacity(pool.len());
    for (offset, der) in pool.iter().enumerate() {
        let certificate = Certificate::from_der(der).map_err(|reason| ChainError::Malformed {
            position: offset + 1,
            reason,
        })?;
        if !parsed.iter().any(|seen| seen.der == certificate.der) {
            parsed.push(certificate);
        }
    }
    Ok(parsed)
}

/// Parses the leaf, `certChain[0]`.
fn parse_leaf(chain: &[Vec<u8>]) -> Result<Certificate, VerificationError> {
    let leaf = chain.first().ok_or(ChainError::Malformed {
        position: 0,
        reason: "certChain is empty".to_owned(),
    })?;
    let certificate = Certificate::from_der(leaf).map_err(|reason| ChainError::Malformed {
        position: 0,
        reason,
    })?;
    Ok(certificate)
}

/// Decodes the signed identity and reads its timestamp, which must be present.
fn decode_identity(
    signed: &SignedDocument,
    limits: &DecodeLimits,
) -> Result<(VerifiedIdentity, i64), Error> {
    match signed.kind {
        DocumentKind::Identity | DocumentKind::String => {
            let identity = match signed.string_identity() {
                Some(identity) => identity.clone(),
                None => codec::decode_task_identity(&signed.signed_bytes, limits)?,
            };
            let time = identity
                .unix_timestamp_sec
                .ok_or(VerificationError::MissingTimestamp {
                    field: "TaskIdentity.unixTimestampSec",
                })?;
            let time = i64::try_from(time).unwrap_or(i64::MAX);
            Ok((VerifiedIdentity::Task(Box::new(identity)), time))
        }
        DocumentKind::Pod => {
            let has_time = wire::wire_type_of_field(&signed.signed_bytes, POD_TIMESTAMP_FIELD)
                == Some(WireType::LengthDelimited);
            if !has_time {
                let field = "TaskPodIdentity.requestTimestamp";
                return Err(VerificationError::MissingTimestamp { field }.into());
            }
            let identity = codec::decode_task_pod_identity(&signed.signed_bytes, limits)?;
            let time = identity.request_timestamp.seconds;
            Ok((VerifiedIdentity::Pod(Box::new(identity)), time))
        }
    }
}

fn check_freshness(
    document_time: i64,
    now: i64,
    max_age: Duration,
    future_skew: Duration,
) -> Result<(), VerificationError> {
    let max_age = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
    let future_skew = i64::try_from(future_skew.as_secs()).unwrap_or(i64::MAX);
    let oldest = now.saturating_sub(max_age);
    let newest = now.saturating_add(future_skew);

    if document_time < oldest {
        return Err(VerificationError::DocumentTooOld {
            document_time,
            now,
            max_age,
        });
    }
    if document_time > newest {
        return Err(VerificationError::DocumentFromFuture {
            document_time,
            now,
            future_skew,
        });
    }
    Ok(())
}

/// Compares the expected caller address with the document's addresses as parsed
/// addresses, so that `2001:db8::1` and `2001:DB8:0::1` match. An IPv4-mapped IPv6
/// address matches its IPv4 form.
fn check_address(identity: &VerifiedIdentity, expected: IpAddr) -> Result<(), VerificationError> {
    let (ipv4, ipv6) = match identity {
        VerifiedIdentity::Task(task) => (&task.ipv4_address, &task.ipv6_address),
        VerifiedIdentity::Pod(pod) => (&pod.ipv4_address, &pod.ipv6_address),
    };
    let expected = expected.to_canonical();
    let matches = [ipv4, ipv6]
        .into_iter()
        .flatten()
        .filter_map(|text| text.parse::<IpAddr>().ok())
        .any(|address| address.to_canonical() == expected);
    if matches {
        return Ok(());
    }

    let found = [ipv4, ipv6]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>();
    Err(VerificationError::AddressMismatch {
        expected,
        found: found.join(", "),
    })
}

fn check_task_id(identity: &VerifiedIdentity, expected: &str) -> Result<(), VerificationError> {
    let found = match identity {
        VerifiedIdentity::Task(task) => task.task.as_ref().and_then(|t| t.task_id.clone()),
        VerifiedIdentity::Pod(pod) => pod.task_info.task_id.clone(),
    };
    if found.as_deref() == Some(expected) {
        return Ok(());
    }
    Err(VerificationError::TaskIdMismatch {
        expected: expected.to_owned(),
        found: found.unwrap_or_default(),
    })
}
