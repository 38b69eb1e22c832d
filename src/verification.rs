//! Verifying task identity documents and their certificate chains.

mod error;

pub use error::{ChainError, VerificationError};
