//! Sign and verify Titus task identity documents.
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
