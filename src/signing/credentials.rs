//! The agent's certificate chain and private key, loaded and checked against each other.

use std::fmt;
use std::path::Path;

use rustls_pki_types::pem::{PemObject, SectionKind};
use rustls_pki_types::CertificateDer;
use x509_parser::asn1_rs::Tag;
use x509_parser::certificate::X509Certificate;
use zeroize::Zeroizing;

use super::ecdsa::Curve;
use super::error::SigningError;
use super::key::{self, KeyFormat, PrivateKey};
use crate::algorithm::KeyType;
use crate::error::Error;

/// A certificate chain, leaf first, with the private key of the leaf.
///
/// Loading checks that the key is supported and matches the leaf's public key. Whether the
/// leaf is valid at a given time is checked when signing, by [`super::Signer`].
pub struct Credentials {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKey,
    leaf: Leaf,
}

/// What signing needs to know about the leaf certificate.
struct Leaf {
    subject: String,
    not_before: i64,
    not_after: i64,
}

/// The leaf's public key as its `SubjectPublicKeyInfo` states it.
struct LeafPublicKey {
    key_type: Option<KeyType>,
    curve: Option<Curve>,
    bytes: Vec<u8>,
}

impl Credentials {
    /// Loads a PEM certificate chain and a PEM private key.
    ///
    /// `chain_pem` contains `CERTIFICATE` blocks, leaf first, and the order is kept. `key_pem`
    /// contains one `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1) or `EC PRIVATE KEY`
    /// (SEC1) block. Other blocks, such as `EC PARAMETERS`, text outside the blocks and CRLF
    /// line endings are accepted.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] with [`SigningError::InvalidPem`] for malformed PEM, and any error
    /// of [`Credentials::from_der`].
    pub fn from_pem(chain_pem: &[u8], key_pem: &[u8]) -> Result<Self, Error> {
        let chain = chain_from_pem(chain_pem)?;
        let (format, key_der) = key_from_pem(key_pem)?;
        Self::load(chain, &key_der, Some(format))
    }

    /// Loads a DER certificate chain, leaf first, and a DER private key in PKCS#8, PKCS#1 or
    /// SEC1 form, which is detected from its structure.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] with [`SigningError::EmptyChain`],
    /// [`SigningError::MalformedCertificate`], [`SigningError::NoKey`],
    /// [`SigningError::EncryptedKey`], [`SigningError::InvalidKey`],
    /// [`SigningError::UnsupportedKeyAlgorithm`], [`SigningError::UnsupportedCurve`],
    /// [`SigningError::RsaKeyTooSmall`] or [`SigningError::KeyMismatch`].
    pub fn from_der<I>(chain: I, key_der: &[u8]) -> Result<Self, Error>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let chain = chain
            .into_iter()
            .map(|certificate| CertificateDer::from(certificate.as_ref().to_vec()))
            .collect();
        Self::load(chain, key_der, None)
    }

    /// Reads the chain and the key from files, each in PEM or, when the file contains no
    /// `-----BEGIN` line, in DER (a DER chain file contains only the leaf).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when a file cannot be read, and any error of
    /// [`Credentials::from_pem`] or [`Credentials::from_der`].
    pub fn from_files(
        chain_path: impl AsRef<Path>,
        key_path: impl AsRef<Path>,
    ) -> Result<Self, Error> {
        let chain_bytes = read_file(chain_path.as_ref())?;
        let key_bytes = read_file(key_path.as_ref())?;

        let chain = if is_pem(&chain_bytes) {
            chain_from_pem(&chain_bytes)?
        } else {
            vec![CertificateDer::from(chain_bytes.to_vec())]
        };

        if is_pem(&key_bytes) {
            let (format, key_der) = key_from_pem(&key_bytes)?;
            Self::load(chain, &key_der, Some(format))
        } else {
            Self::load(chain, &key_bytes, None)
        }
    }

    fn load(
        chain: Vec<CertificateDer<'static>>,
        key_der: &[u8],
        format: Option<KeyFormat>,
    ) -> Result<Self, Error> {
        let (leaf, leaf_key) = parse_chain(&chain)?;

        let format = match format {
            Some(format) => format,
            None => KeyFormat::detect(key_der)?,
        };
        let key = PrivateKey::from_der(key_der, format, leaf_key.curve)?;

        let matches = leaf_key.key_type == Some(key.key_type())
            && leaf_key.curve == key.curve()
            && leaf_key.bytes == key.public_key();
        if !matches {
            return Err(SigningError::KeyMismatch.into());
        }

        Ok(Self { chain, key, leaf })
    }

    /// The certificate chain in the order loaded, leaf first.
    pub fn chain(&self) -> &[CertificateDer<'static>] {
        &self.chain
    }

    /// The type of the private key.
    pub fn key_type(&self) -> KeyType {
        self.key.key_type()
    }

    /// The leaf certificate's subject, such as `CN=titus-agent`.
    pub fn leaf_subject(&self) -> &str {
        &self.leaf.subject
    }

    /// The leaf's `notBefore` and `notAfter`, in Unix seconds.
    pub fn leaf_validity(&self) -> (i64, i64) {
        (self.leaf.not_before, self.leaf.not_after)
    }

    pub(crate) fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// Checks that the leaf is valid at `time`, in Unix seconds, bounds included.
    pub(crate) fn check_leaf_time(&self, time: i64) -> Result<(), SigningError> {
        let (not_before, not_after) = self.leaf_validity();
        if time < not_before || time > not_after {
            return Err(SigningError::LeafNotValid {
                time,
                not_before,
                not_after,
            });
        }
        Ok(())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("key", &self.key.description())
            .field("leaf_subject", &self.leaf.subject)
            .field("chain_len", &self.chain.len())
            .finish_non_exhaustive()
    }
}

/// Largest credential file read, so that a path such as `/dev/zero` cannot exhaust
/// memory. Certificate chains and keys are a few KiB.
const MAX_CREDENTIAL_FILE_BYTES: u64 = 1 << 20;

fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, Error> {
    use std::io::Read as _;

    let io_error = |source| Error::Io {
        operation: "read",
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_CREDENTIAL_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;

    if bytes.len() as u64 > MAX_CREDENTIAL_FILE_BYTES {
        let message = format!("file is larger than {MAX_CREDENTIAL_FILE_BYTES} bytes");
        return Err(io_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            message,
        )));
    }
    Ok(bytes)
}

fn is_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).any(|window| window == b"-----BEGIN ")
}

fn invalid_pem(input: &'static str, error: &rustls_pki_types::pem::Error) -> SigningError {
    SigningError::InvalidPem {
        input,
        reason: crate::error::describe_pem_error(error),
    }
}

/// Collects the `CERTIFICATE` blocks in order and skips every other block.
fn chain_from_pem(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, SigningError> {
    let mut chain = Vec::new();
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
        let (kind, der) = section.map_err(|e| invalid_pem("certificate chain", &e))?;
        let der = Zeroizing::new(der);
        if kind == SectionKind::Certificate {
            chain.push(CertificateDer::from(der.to_vec()));
        }
    }
    Ok(chain)
}

/// Finds the one private key block and returns its format and DER.
///
/// Encrypted keys are looked for in the text first: a PKCS#8 `ENCRYPTED PRIVATE KEY` block
/// would otherwise be skipped as unknown, and the `Proc-Type` header of a legacy OpenSSL
/// encrypted key would otherwise fail base64 decoding.
fn key_from_pem(pem: &[u8]) -> Result<(KeyFormat, Zeroizing<Vec<u8>>), SigningError> {
    let encrypted = [
        &b"-----BEGIN ENCRYPTED PRIVATE KEY-----"[..],
        b"Proc-Type: 4,ENCRYPTED",
    ];
    if encrypted.iter().any(|marker| contains(pem, marker)) {
        return Err(SigningError::EncryptedKey);
    }

    // NOTE: the decoded DER is wiped on drop, but rustls-pki-types 1.16 keeps the base64
    // text of each block in an internal buffer that it frees without wiping.
    let mut keys = Vec::new();
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
        let (kind, der) = section.map_err(|e| invalid_pem("private key", &e))?;
        let der = Zeroizing::new(der);
        let format = match kind {
            SectionKind::PrivateKey => KeyFormat::Pkcs8,
            SectionKind::RsaPrivateKey => KeyFormat::Pkcs1,
            SectionKind::EcPrivateKey => KeyFormat::Sec1,
            _ => continue,
        };
        keys.push((format, der));
    }

    match keys.len() {
        0 => Err(SigningError::NoKey),
        1 => keys.pop().ok_or(SigningError::NoKey),
        count => Err(SigningError::MultipleKeys { count }),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Parses every certificate of the chain and returns what signing needs from the leaf.
fn parse_chain(chain: &[CertificateDer<'_>]) -> Result<(Leaf, LeafPublicKey), SigningError> {
    if chain.is_empty() {
        return Err(SigningError::EmptyChain);
    }

    let mut leaf = None;
    for (index, certificate) in chain.iter().enumerate() {
        let parsed = parse_certificate(index, certificate)?;
        if index == 0 {
            leaf = Some(leaf_from(&parsed));
        }
    }
    leaf.ok_or(SigningError::EmptyChain)
}

fn parse_certificate<'a>(
    index: usize,
    certificate: &'a CertificateDer<'_>,
) -> Result<X509Certificate<'a>, SigningError> {
    let malformed = |reason: String| SigningError::MalformedCertificate { index, reason };
    match x509_parser::parse_x509_certificate(certificate.as_ref()) {
        Ok(([], parsed)) => Ok(parsed),
        Ok((rest, _)) => Err(malformed(format!(
            "{} bytes after the certificate",
            rest.len()
        ))),
        Err(error) => Err(malformed(error.to_string())),
    }
}

fn leaf_from(certificate: &X509Certificate<'_>) -> (Leaf, LeafPublicKey) {
    let validity = certificate.validity();
    let leaf = Leaf {
        subject: certificate.subject().to_string(),
        not_before: validity.not_before.timestamp(),
        not_after: validity.not_after.timestamp(),
    };

    let spki = certificate.public_key();
    let algorithm = spki.algorithm.algorithm.as_bytes();
    let key_type = match algorithm {
        key::OID_RSA_ENCRYPTION => Some(KeyType::Rsa),
        key::OID_EC_PUBLIC_KEY => Some(KeyType::Ec),
        _ => None,
    };
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .filter(|parameters| parameters.header.tag() == Tag::Oid)
        .and_then(|parameters| Curve::from_oid(parameters.data))
        .filter(|_| key_type == Some(KeyType::Ec));

    // NOTE: an EC leaf key in compressed point form never matches, because aws-lc-rs
    // returns the uncompressed point of the private key.
    let public_key = LeafPublicKey {
        key_type,
        curve,
        bytes: spki.subject_public_key.data.to_vec(),
    };
    (leaf, public_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_BLOCK: &str = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";

    #[test]
    fn one_key_block_is_found() {
        let text = format!("comment\r\n{}", KEY_BLOCK.replace('\n', "\r\n"));
        let (format, der) = key_from_pem(text.as_bytes()).expect("one key");
        assert_eq!(format, KeyFormat::Pkcs8);
        assert_eq!(der.as_slice(), &[0x30, 0x00]);
    }

    #[test]
    fn key_blocks_are_counted() {
        let two = KEY_BLOCK.repeat(2);
        let result = key_from_pem(two.as_bytes());
        assert!(matches!(
            result,
            Err(SigningError::MultipleKeys { count: 2 })
        ));
        assert!(matches!(key_from_pem(b""), Err(SigningError::NoKey)));
    }

    #[test]
    fn pem_is_detected_apart_from_der() {
        assert!(is_pem(KEY_BLOCK.as_bytes()));
        assert!(!is_pem(&[0x30, 0x82, 0x01, 0x00]));
    }

    #[test]
    fn chain_skips_other_blocks() {
        let chain = chain_from_pem(KEY_BLOCK.as_bytes()).expect("valid PEM");
        assert!(chain.is_empty());
        assert!(matches!(parse_chain(&chain), Err(SigningError::EmptyChain)));
    }
}
