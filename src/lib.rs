//! Sign and verify Titus task identity documents.
//!
//! A Titus agent signs a statement of which task a container runs: a `TaskIdentity` (or a
//! `TaskPodIdentity`) encoded as protobuf, signed with the agent's X.509 key, with the
//! agent's certificate chain attached. A service that receives such a document verifies
//! the signature, validates the chain to its own trust anchors, checks that the document
//! is fresh, and then uses the identity.
//!
//! The documents are wire-compatible with the Titus Go agent: the same proto2 schema
//! (package `messages`), deterministic encoding byte for byte as protobuf-go writes it,
//! RSASSA-PSS with MGF1 and a 20-byte salt for RSA keys, ECDSA (ASN.1 DER) over the named
//! hash on P-256, P-384 and P-521 for EC keys, and the `encoding/json` shape for string
//! documents.
//!
//! # Modules
//!
//! - [`codec`]: the schema's message types, deterministic encoding, bounded decoding.
//! - [`document`]: the three document kinds and their JSON form.
//! - [`signing`]: credentials, [`Signer`] and the rotating signer.
//! - [`verification`]: trust anchors, chain validation and [`Verifier`].
//! - [`error`]: [`Error`] and one error enum per layer.
//!
//! # Example
//!
//! Sign a task identity with an agent certificate and verify it against the root that
//! issued it. The certificates come from rcgen here; in production they are the agent's
//! files and the service's configured anchors.
//!
//! ```
//! use titus_identity::codec::{self, TaskIdentity, TaskInfo};
//! use titus_identity::document::{json, DocumentKind};
//! use titus_identity::signing::stamp_now;
//! use titus_identity::{
//!     Credentials, Signer, SignerOptions, TrustAnchors, VerifiedIdentity, Verifier,
//!     VerifierPolicy,
//! };
//! # use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
//! # use rcgen::{ExtendedKeyUsagePurpose, KeyUsagePurpose};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let root_key = KeyPair::generate()?;
//! # let mut root_params = CertificateParams::new(Vec::<String>::new())?;
//! # root_params.distinguished_name.push(DnType::CommonName, "Example Root");
//! # root_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
//! # root_params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
//! # let root = root_params.self_signed(&root_key)?;
//! # let issuer = Issuer::new(root_params, root_key);
//! # let agent_key = KeyPair::generate()?;
//! # let mut agent_params = CertificateParams::new(vec!["agent.example".to_owned()])?;
//! # agent_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
//! # agent_params.use_authority_key_identifier_extension = true;
//! # let agent = agent_params.signed_by(&agent_key, &issuer)?;
//! # let (chain_pem, key_pem, root_pem) = (agent.pem(), agent_key.serialize_pem(), root.pem());
//!
//! // The agent: load its chain and key, then sign.
//! let credentials = Credentials::from_pem(chain_pem.as_bytes(), key_pem.as_bytes())?;
//! let signer = Signer::new(credentials, SignerOptions::new())?;
//!
//! let mut identity = TaskIdentity {
//!     task: Some(TaskInfo {
//!         task_id: Some("task-1".to_owned()),
//!         ..TaskInfo::default()
//!     }),
//!     ipv4_address: Some("192.0.2.1".to_owned()),
//!     ..TaskIdentity::default()
//! };
//! stamp_now(&mut identity)?;
//! let document = codec::encode_identity_document(&signer.sign_identity(&identity)?);
//! let string_document = json::string_document_to_json(&signer.sign_identity_string(&identity)?);
//!
//! // The service: build one verifier from its trust anchors and share it.
//! let anchors = TrustAnchors::from_pem(root_pem.as_bytes())?;
//! let verifier = Verifier::new(anchors, VerifierPolicy::default())?;
//!
//! let verified = verifier.verify(&document, Some(DocumentKind::Identity))?;
//! let VerifiedIdentity::Task(task) = verified.identity() else {
//!     unreachable!("an identity document carries a TaskIdentity");
//! };
//! assert_eq!(task.task.as_ref().and_then(|t| t.task_id.as_deref()), Some("task-1"));
//!
//! // `None` detects the kind; the string document verifies over the re-encoded identity.
//! let verified = verifier.verify(string_document.as_bytes(), None)?;
//! assert_eq!(verified.kind(), DocumentKind::String);
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

pub mod algorithm;
pub mod codec;
pub mod document;
pub mod error;
pub mod signing;
pub mod time;
pub mod verification;

pub use algorithm::{HashAlgorithm, KeyType, SignatureAlgorithm};
pub use document::DocumentKind;
pub use error::{DecodeError, Error};
pub use signing::{Credentials, Signer, SignerOptions};
pub use verification::{TrustAnchors, Verified, VerifiedIdentity, Verifier, VerifierPolicy};
