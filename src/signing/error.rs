//! Errors from loading signing credentials and signing documents.

use thiserror::Error;

/// A failure to load signing credentials or to sign a document.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The private key PEM or DER holds no private key.
    #[error("no private key found")]
    NoKey,
}
