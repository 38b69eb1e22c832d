//! Verifying task identity documents and their certificate chains.
//!
//! [`validate_chain`] builds and checks a path from a document's leaf certificate to a
//! [`TrustAnchors`] set, and returns the leaf's public key, with which document
//! signatures are then checked.

mod algorithm_id;
mod certificate;
mod chain;
mod der;
mod error;
mod name_constraints;
mod profile;
mod public_key;
// The document verifier is the only caller, and it lives in another module.
#[cfg_attr(not(test), allow(dead_code))]
mod signature;
mod trust_anchor;

pub use chain::{
    validate_chain, Budget, ChainPolicy, LeafSummary, Purpose, ValidatedPath, Work,
    MAX_INTERMEDIATES,
};
pub use error::{ChainError, VerificationError};
pub use public_key::{EcCurve, PublicKeyInfo, PublicKeyType, MAX_RSA_BITS, MIN_RSA_BITS};
#[allow(unused_imports)]
pub(crate) use signature::verify_document_signature;
pub use trust_anchor::TrustAnchors;
