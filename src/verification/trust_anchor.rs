//! Trust anchors: the certificates that end every valid path.

use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use super::certificate::Certificate;
use super::error::VerificationError;

/// A non-empty set of trust anchors, cheap to clone and safe to share between threads.
///
/// An anchor need not be self-signed, and X.509 v1 anchors are accepted. Anchors are
/// parsed when the set is built, but their contents (validity, basicConstraints, critical
/// extensions and so on) are only checked when a path ends at them, so one defective
/// anchor does not disable the others.
#[derive(Clone, Debug)]
pub struct TrustAnchors {
    certificates: Arc<[Certificate]>,
}

impl TrustAnchors {
    /// Reads every `CERTIFICATE` block of a PEM bundle. Other block types are skipped.
    ///
    /// # Errors
    ///
    /// [`VerificationError::MalformedTrustAnchor`] when the PEM framing or base64 of a block
    /// is invalid or a certificate does not parse, with the zero-based index of the
    /// certificate, and [`VerificationError::NoTrustAnchors`] when the bundle has none.
    pub fn from_pem(pem: &[u8]) -> Result<Self, VerificationError> {
        let mut ders = Vec::new();
        for (index, item) in CertificateDer::pem_slice_iter(pem).enumerate() {
            let der = item.map_err(|error| VerificationError::MalformedTrustAnchor {
                index,
                reason: crate::error::describe_pem_error(&error),
            })?;
            ders.push(der);
        }
        Self::from_der(ders)
    }

    /// Builds the set from DER certificates.
    ///
    /// # Errors
    ///
    /// [`VerificationError::MalformedTrustAnchor`] naming the first certificate that does
    /// not parse, and [`VerificationError::NoTrustAnchors`] when the list is empty.
    pub fn from_der<I>(certificates: I) -> Result<Self, VerificationError>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let parsed = certificates
            .into_iter()
            .enumerate()
            .map(|(index, der)| {
                Certificate::from_der(der.as_ref())
                    .map_err(|reason| VerificationError::MalformedTrustAnchor { index, reason })
            })
            .collect::<Result<Vec<_>, _>>()?;

        if parsed.is_empty() {
            return Err(VerificationError::NoTrustAnchors);
        }
        Ok(Self {
            certificates: parsed.into(),
        })
    }

    /// The number of anchors, always at least one.
    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    /// Always `false`: a set is never built empty.
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    pub(crate) fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_inputs_are_rejected() {
        let empty: [&[u8]; 0] = [];
        assert!(matches!(
            TrustAnchors::from_der(empty),
            Err(VerificationError::NoTrustAnchors)
        ));
        assert!(matches!(
            TrustAnchors::from_pem(b""),
            Err(VerificationError::NoTrustAnchors)
        ));
        let other = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert!(matches!(
            TrustAnchors::from_pem(other),
            Err(VerificationError::NoTrustAnchors)
        ));
    }

    #[test]
    fn malformed_anchor_is_named_by_index() {
        let result = TrustAnchors::from_der([&b"\x30\x00"[..]]);
        assert!(matches!(
            result,
            Err(VerificationError::MalformedTrustAnchor { index: 0, .. })
        ));
    }

    #[test]
    fn malformed_pem_is_rejected() {
        let pem = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        let result = TrustAnchors::from_pem(pem);
        assert!(matches!(
            result,
            Err(VerificationError::MalformedTrustAnchor { .. })
        ));
    }

    #[test]
    fn anchors_are_send_sync() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<TrustAnchors>();
    }
}
