//! Signing task identity documents with the agent's certificate and private key.
//!
//! [`Credentials`] loads a certificate chain and its leaf's private key, [`Signer`] signs
//! documents with them, and [`RotatingSigner`] lets many threads sign while the pair is
//! replaced. RSA keys sign with RSASSA-PSS and a 20-byte salt by default, as the deployed
//! agent does; EC keys sign with ECDSA and ASN.1 DER signatures.

mod credentials;
mod der;
mod ecdsa;
mod error;
mod key;
mod rotation;
mod rsa_pss;
mod signer;

pub use credentials::Credentials;
pub use error::SigningError;
pub use rotation::RotatingSigner;
pub use rsa_pss::{PssSaltLength, AGENT_PSS_SALT_LEN};
pub use signer::{stamp_now, stamp_pod_now, Signer, SignerOptions};
