//! A signer whose certificate and key can be replaced while other threads sign.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use super::credentials::Credentials;
use super::signer::{Signer, SignerOptions};
use crate::codec::{
    TaskIdentity, TaskIdentityDocument, TaskIdentityStringDocument, TaskPodIdentity,
    TaskPodIdentityDocument,
};
use crate::error::Error;

/// A [`Signer`] that can be shared between threads and given a new certificate chain and key.
///
/// Each signing call takes the current [`Signer`] and uses only it, so every document's
/// signature and `certChain` come from the same pair. The lock is held only to clone or
/// replace an `Arc`, never while signing, so a swap waits for no signature.
pub struct RotatingSigner {
    options: SignerOptions,
    current: RwLock<Arc<Signer>>,
}

impl RotatingSigner {
    /// Creates a rotating signer with the given credentials; later pairs use the same
    /// options.
    ///
    /// # Errors
    ///
    /// Any error of [`Signer::new`].
    pub fn new(credentials: Credentials, options: SignerOptions) -> Result<Self, Error> {
        let signer = Signer::new(credentials, options.clone())?;
        Ok(Self {
            options,
            current: RwLock::new(Arc::new(signer)),
        })
    }

    /// Loads the first pair from files.
    ///
    /// # Errors
    ///
    /// Any error of [`Credentials::from_files`] or [`Signer::new`].
    pub fn from_files(
        chain_path: impl AsRef<Path>,
        key_path: impl AsRef<Path>,
        options: SignerOptions,
    ) -> Result<Self, Error> {
        Self::new(Credentials::from_files(chain_path, key_path)?, options)
    }

    /// Returns the signer in use now. It stays usable after a swap, with the old pair.
    pub fn current(&self) -> Arc<Signer> {
        let guard = self.current.read().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(&guard)
    }

    /// Checks the new pair as [`Signer::new`] does and, only if it passes, makes it the one
    /// that later signing calls use.
    ///
    /// # Errors
    ///
    /// Any error of [`Signer::new`]; the previous pair then stays in use.
    pub fn replace(&self, credentials: Credentials) -> Result<(), Error> {
        let signer = Arc::new(Signer::new(credentials, self.options.clone())?);
        let mut guard = self.current.write().unwrap_or_else(PoisonError::into_inner);
        *guard = signer;
        Ok(())
    }

    /// Loads a new pair from files, checks it completely and swaps it in.
    ///
    /// # Errors
    ///
    /// Any error of [`Credentials::from_files`] or [`Signer::new`]; the previous pair then
    /// stays in use.
    pub fn reload_from_files(
        &self,
        chain_path: impl AsRef<Path>,
        key_path: impl AsRef<Path>,
    ) -> Result<(), Error> {
        self.replace(Credentials::from_files(chain_path, key_path)?)
    }

    /// Signs with the current pair; see [`Signer::sign_identity`].
    ///
    /// # Errors
    ///
    /// The errors of [`Signer::sign_identity`].
    pub fn sign_identity(&self, identity: &TaskIdentity) -> Result<TaskIdentityDocument, Error> {
        self.current().sign_identity(identity)
    }

    /// Signs with the current pair; see [`Signer::sign_identity_string`].
    ///
    /// # Errors
    ///
    /// The errors of [`Signer::sign_identity_string`].
    pub fn sign_identity_string(
        &self,
        identity: &TaskIdentity,
    ) -> Result<TaskIdentityStringDocument, Error> {
        self.current().sign_identity_string(identity)
    }

    /// Signs with the current pair; see [`Signer::sign_pod_identity`].
    ///
    /// # Errors
    ///
    /// The errors of [`Signer::sign_pod_identity`].
    pub fn sign_pod_identity(
        &self,
        identity: &TaskPodIdentity,
    ) -> Result<TaskPodIdentityDocument, Error> {
        self.current().sign_pod_identity(identity)
    }
}

impl fmt::Debug for RotatingSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RotatingSigner")
            .field("current", &self.current())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn rotating_signer_is_send_and_sync() {
        assert_send_sync::<RotatingSigner>();
        assert_send_sync::<Signer>();
    }
}
