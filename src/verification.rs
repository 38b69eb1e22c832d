//! Verifying task identity documents and their certificate chains.
//!
//! [`Verifier`] checks a document end to end: its envelope, the signature with the leaf
//! certificate's key, the path from the leaf to a [`TrustAnchors`] set (with
//! [`validate_chain`]), the identity and the [`VerifierPolicy`]. It fails closed: the
//! [`Verified`] result exists only after every check passed.

mod algorithm_id;
mod cache;
mod certificate;
mod chain;
mod der;
mod error;
mod name_constraints;
mod profile;
mod public_key;
mod signature;
mod trust_anchor;
mod verifier;

pub use chain::{
    validate_chain, Budget, ChainPolicy, LeafSummary, Purpose, ValidatedPath, Work,
    MAX_INTERMEDIATES,
};
pub use error::{ChainError, VerificationError};
pub use public_key::{EcCurve, PublicKeyInfo, PublicKeyType, MAX_RSA_BITS, MIN_RSA_BITS};
pub use trust_anchor::TrustAnchors;
pub use verifier::{Verified, VerifiedIdentity, Verifier, VerifierPolicy};
