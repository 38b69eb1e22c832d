//! Errors from verifying documents and certificate chains.

use thiserror::Error;

/// A failure to verify a document.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum VerificationError {
    /// The certificate chain did not validate.
    #[error(transparent)]
    Chain(#[from] ChainError),
}

/// A failure to validate a certificate chain to a trust anchor.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ChainError {
    /// No path leads from the leaf to a trust anchor.
    #[error("no path to a trust anchor")]
    UnknownIssuer,
}
