//! Signing task identity documents with the agent's certificate and private key.

mod error;

pub use error::SigningError;
