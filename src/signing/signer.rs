//! Signing task identity documents with loaded credentials.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::credentials::Credentials;
use super::error::SigningError;
use super::rsa_pss::PssSaltLength;
use crate::algorithm::SignatureAlgorithm;
use crate::codec::{
    encode_task_identity, encode_task_pod_identity, CertificateSignature,
    CertificateStringSignature, TaskIdentity, TaskIdentityDocument, TaskIdentityStringDocument,
    TaskPodIdentity, TaskPodIdentityDocument, Timestamp,
};
use crate::error::Error;

/// A source of the current time, used to check the leaf certificate's validity period.
type TimeSource = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Settings for a [`Signer`].
#[derive(Clone)]
pub struct SignerOptions {
    algorithm: Option<SignatureAlgorithm>,
    pss_salt_length: PssSaltLength,
    allow_invalid_leaf_time: bool,
    time_source: TimeSource,
}

impl SignerOptions {
    /// The agent's settings: the default algorithm for the key type, a 20-byte PSS salt, a
    /// leaf that must be valid at signing time, and the system clock.
    pub fn new() -> Self {
        Self {
            algorithm: None,
            pss_salt_length: PssSaltLength::Twenty,
            allow_invalid_leaf_time: false,
            time_source: Arc::new(SystemTime::now),
        }
    }

    /// Signs with `algorithm` instead of the default for the key type, which is
    /// [`SignatureAlgorithm::default_for`].
    #[must_use]
    pub fn with_algorithm(mut self, algorithm: SignatureAlgorithm) -> Self {
        self.algorithm = Some(algorithm);
        self
    }

    /// Sets the RSASSA-PSS salt length; it has no effect on ECDSA.
    #[must_use]
    pub fn with_pss_salt_length(mut self, salt_length: PssSaltLength) -> Self {
        self.pss_salt_length = salt_length;
        self
    }

    /// Signs even when the leaf certificate is expired or not yet valid.
    #[must_use]
    pub fn allow_invalid_leaf_time(mut self, allow: bool) -> Self {
        self.allow_invalid_leaf_time = allow;
        self
    }

    /// Takes the signing time from `time_source` instead of the system clock.
    #[must_use]
    pub fn with_time_source(
        mut self,
        time_source: impl Fn() -> SystemTime + Send + Sync + 'static,
    ) -> Self {
        self.time_source = Arc::new(time_source);
        self
    }

    /// Returns the RSASSA-PSS salt length.
    pub fn pss_salt_length(&self) -> PssSaltLength {
        self.pss_salt_length
    }
}

impl Default for SignerOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SignerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignerOptions")
            .field("algorithm", &self.algorithm)
            .field("pss_salt_length", &self.pss_salt_length)
            .field("allow_invalid_leaf_time", &self.allow_invalid_leaf_time)
            .finish_non_exhaustive()
    }
}

/// Signs task identity documents with one certificate chain and private key.
pub struct Signer {
    credentials: Credentials,
    algorithm: SignatureAlgorithm,
    options: SignerOptions,
}

impl Signer {
    /// Creates a signer, checking that the algorithm fits the key and, unless allowed
    /// otherwise, that the leaf certificate is valid now.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] with [`SigningError::AlgorithmKeyMismatch`],
    /// [`SigningError::LeafNotValid`] or [`SigningError::TimeBeforeEpoch`].
    pub fn new(credentials: Credentials, options: SignerOptions) -> Result<Self, Error> {
        let key_type = credentials.key_type();
        let algorithm = options
            .algorithm
            .unwrap_or_else(|| SignatureAlgorithm::default_for(key_type));
        if algorithm.key_type() != key_type {
            return Err(SigningError::AlgorithmKeyMismatch {
                algorithm,
                needed: algorithm.key_type(),
                actual: key_type,
            }
            .into());
        }

        let signer = Self {
            credentials,
            algorithm,
            options,
        };
        signer.check_leaf_time()?;
        Ok(signer)
    }

    /// Loads credentials with [`Credentials::from_files`] and creates a signer.
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

    /// Returns the algorithm every signature of this signer uses.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// Returns the certificate chain and key.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Returns the settings the signer was created with.
    pub fn options(&self) -> &SignerOptions {
        &self.options
    }

    /// Signs the deterministic protobuf encoding of `identity`.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] with [`SigningError::MissingField`] when `task` or
    /// `unixTimestampSec` is absent, and any error of [`Signer::sign_message`].
    pub fn sign_identity(&self, identity: &TaskIdentity) -> Result<TaskIdentityDocument, Error> {
        check_identity(identity)?;
        let encoded = encode_task_identity(identity);
        let signature = self.sign_message(&encoded)?;
        Ok(TaskIdentityDocument {
            identity: Some(encoded),
            signature: Some(signature),
        })
    }

    /// Signs `identity` like [`Signer::sign_identity`] and returns the document with the
    /// identity as a message and the signature and each certificate in standard, padded
    /// base64.
    ///
    /// # Errors
    ///
    /// The errors of [`Signer::sign_identity`].
    pub fn sign_identity_string(
        &self,
        identity: &TaskIdentity,
    ) -> Result<TaskIdentityStringDocument, Error> {
        check_identity(identity)?;
        let signature = self.sign_message(&encode_task_identity(identity))?;
        let signature = CertificateStringSignature {
            signature: signature.signature.map(|bytes| STANDARD.encode(bytes)),
            algorithm: signature.algorithm,
            cert_chain: signature
                .cert_chain
                .iter()
                .map(|der| STANDARD.encode(der))
                .collect(),
        };
        Ok(TaskIdentityStringDocument {
            identity: Some(identity.clone()),
            signature: Some(signature),
        })
    }

    /// Signs the deterministic protobuf encoding of `identity`.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] with [`SigningError::MissingField`] when `taskInfo` has no field
    /// set, `pod` is empty or `requestTimestamp` is zero, [`SigningError::InvalidField`] when
    /// `requestTimestamp` is out of the protobuf `Timestamp` range, and any error of
    /// [`Signer::sign_message`].
    pub fn sign_pod_identity(
        &self,
        identity: &TaskPodIdentity,
    ) -> Result<TaskPodIdentityDocument, Error> {
        check_pod_identity(identity)?;
        let encoded = encode_task_pod_identity(identity);
        let signature = self.sign_message(&encoded)?;
        Ok(TaskPodIdentityDocument {
            pod_identity: Some(encoded),
            signature: Some(signature),
        })
    }

    /// Signs `message` and returns the signature with the algorithm and certificate chain.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] with [`SigningError::LeafNotValid`] when the leaf is not valid at
    /// the signing time and that is not allowed, [`SigningError::TimeBeforeEpoch`], or
    /// [`SigningError::SignatureFailed`].
    pub fn sign_message(&self, message: &[u8]) -> Result<CertificateSignature, Error> {
        self.check_leaf_time()?;
        let signature =
            self.credentials
                .key()
                .sign(self.algorithm, self.options.pss_salt_length, message)?;
        Ok(CertificateSignature {
            signature: Some(signature),
            algorithm: Some(self.algorithm.number()),
            cert_chain: self
                .credentials
                .chain()
                .iter()
                .map(|der| der.to_vec())
                .collect(),
        })
    }

    fn check_leaf_time(&self) -> Result<(), SigningError> {
        if self.options.allow_invalid_leaf_time {
            return Ok(());
        }
        let now = unix_seconds((self.options.time_source)())?;
        self.credentials.check_leaf_time(now)
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("algorithm", &self.algorithm)
            .field("leaf_subject", &self.credentials.leaf_subject())
            .finish_non_exhaustive()
    }
}

fn check_identity(identity: &TaskIdentity) -> Result<(), SigningError> {
    if identity.task.is_none() {
        return Err(SigningError::MissingField {
            field: "TaskIdentity.task",
        });
    }
    if identity.unix_timestamp_sec.is_none() {
        return Err(SigningError::MissingField {
            field: "TaskIdentity.unixTimestampSec",
        });
    }
    Ok(())
}

/// Checks the pod identity's required fields. prost stores proto2 `required` fields without
/// `Option`, so an absent field reads as its empty default and is treated as missing.
fn check_pod_identity(identity: &TaskPodIdentity) -> Result<(), SigningError> {
    if identity.task_info == Default::default() {
        return Err(SigningError::MissingField {
            field: "TaskPodIdentity.taskInfo",
        });
    }
    if identity.pod.is_empty() {
        return Err(SigningError::MissingField {
            field: "TaskPodIdentity.pod",
        });
    }

    let timestamp = &identity.request_timestamp;
    if *timestamp == Timestamp::default() {
        return Err(SigningError::MissingField {
            field: "TaskPodIdentity.requestTimestamp",
        });
    }
    check_timestamp_range(timestamp).map_err(|reason| SigningError::InvalidField {
        field: "TaskPodIdentity.requestTimestamp",
        reason,
    })
}

/// Checks the range that `google.protobuf.Timestamp` defines: 0001-01-01T00:00:00Z to
/// 9999-12-31T23:59:59.999999999Z, with `nanos` in 0 to 999,999,999.
fn check_timestamp_range(timestamp: &Timestamp) -> Result<(), String> {
    const MIN_SECONDS: i64 = -62_135_596_800;
    const MAX_SECONDS: i64 = 253_402_300_799;

    if !(0..1_000_000_000).contains(&timestamp.nanos) {
        return Err(format!(
            "nanos is {}, outside 0 to 999999999",
            timestamp.nanos
        ));
    }
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&timestamp.seconds) {
        return Err(format!(
            "seconds is {}, outside years 1 to 9999",
            timestamp.seconds
        ));
    }
    Ok(())
}

fn unix_seconds(time: SystemTime) -> Result<i64, SigningError> {
    let since_epoch = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::TimeBeforeEpoch)?;
    Ok(i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX))
}

/// Sets `unixTimestampSec` to the current system time.
///
/// # Errors
///
/// [`Error::Signing`] with [`SigningError::TimeBeforeEpoch`] when the clock is before 1970.
pub fn stamp_now(identity: &mut TaskIdentity) -> Result<(), Error> {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::TimeBeforeEpoch)?;
    identity.unix_timestamp_sec = Some(since_epoch.as_secs());
    Ok(())
}

/// Sets `requestTimestamp` to the current system time, with nanoseconds.
///
/// # Errors
///
/// [`Error::Signing`] with [`SigningError::TimeBeforeEpoch`] when the clock is before 1970.
pub fn stamp_pod_now(identity: &mut TaskPodIdentity) -> Result<(), Error> {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::TimeBeforeEpoch)?;
    identity.request_timestamp = Timestamp {
        seconds: i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(since_epoch.subsec_nanos()).unwrap_or(0),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn timestamp_range_limits() {
        let valid = Timestamp {
            seconds: 253_402_300_799,
            nanos: 999_999_999,
        };
        assert!(check_timestamp_range(&valid).is_ok());

        let negative_nanos = Timestamp {
            seconds: 1,
            nanos: -1,
        };
        assert!(check_timestamp_range(&negative_nanos).is_err());

        let year_10000 = Timestamp {
            seconds: 253_402_300_800,
            nanos: 0,
        };
        assert!(check_timestamp_range(&year_10000).is_err());
    }

    #[test]
    fn unix_seconds_rejects_times_before_epoch() {
        let after = UNIX_EPOCH + Duration::from_millis(1_500);
        assert_eq!(unix_seconds(after).ok(), Some(1));

        let before = UNIX_EPOCH - Duration::from_secs(1);
        assert!(matches!(
            unix_seconds(before),
            Err(SigningError::TimeBeforeEpoch)
        ));
    }

    #[test]
    fn identity_check_names_first_missing_field() {
        let error = check_identity(&TaskIdentity::default());
        assert!(matches!(
            error,
            Err(SigningError::MissingField {
                field: "TaskIdentity.task"
            })
        ));
    }
}
