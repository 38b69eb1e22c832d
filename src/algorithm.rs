//! The six `SignatureAlgorithm` values of the Titus schema and their hash functions.

use std::fmt;

use crate::error::DecodeError;

/// A document signature algorithm, as carried in `CertificateSignature.algorithm`.
///
/// The RSA variants are RSASSA-PSS with MGF1 over the same hash. The ECDSA variants are
/// ASN.1 DER signatures over the named hash, on any supported curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PSS, SHA-256, MGF1 with SHA-256 (wire number 0).
    Sha256WithRsaAndMgf1,
    /// RSASSA-PSS, SHA-384, MGF1 with SHA-384 (wire number 1).
    Sha384WithRsaAndMgf1,
    /// RSASSA-PSS, SHA-512, MGF1 with SHA-512 (wire number 2).
    Sha512WithRsaAndMgf1,
    /// ECDSA with SHA-256 (wire number 3).
    Sha256WithEcdsa,
    /// ECDSA with SHA-384 (wire number 4).
    Sha384WithEcdsa,
    /// ECDSA with SHA-512 (wire number 5).
    Sha512WithEcdsa,
}

/// The hash function a [`SignatureAlgorithm`] signs over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// SHA-256, 32-byte digest.
    Sha256,
    /// SHA-384, 48-byte digest.
    Sha384,
    /// SHA-512, 64-byte digest.
    Sha512,
}

/// The key type a [`SignatureAlgorithm`] needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// An RSA key.
    Rsa,
    /// An elliptic-curve key.
    Ec,
}

impl SignatureAlgorithm {
    /// All six algorithms, in wire-number order.
    pub const ALL: [Self; 6] = [
        Self::Sha256WithRsaAndMgf1,
        Self::Sha384WithRsaAndMgf1,
        Self::Sha512WithRsaAndMgf1,
        Self::Sha256WithEcdsa,
        Self::Sha384WithEcdsa,
        Self::Sha512WithEcdsa,
    ];

    /// Maps a wire number to an algorithm.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnknownSignatureAlgorithm`] for any number other than 0 to 5. The
    /// proto2 default is never substituted for an unknown value.
    pub fn from_number(number: i32) -> Result<Self, DecodeError> {
        match number {
            0 => Ok(Self::Sha256WithRsaAndMgf1),
            1 => Ok(Self::Sha384WithRsaAndMgf1),
            2 => Ok(Self::Sha512WithRsaAndMgf1),
            3 => Ok(Self::Sha256WithEcdsa),
            4 => Ok(Self::Sha384WithEcdsa),
            5 => Ok(Self::Sha512WithEcdsa),
            _ => Err(DecodeError::UnknownSignatureAlgorithm { number }),
        }
    }

    /// Looks an algorithm up by its schema name, such as `SHA512withRSAandMGF1`.
    ///
    /// # Errors
    ///
    /// [`DecodeError::UnknownSignatureAlgorithmName`] when the name is not one of the six.
    pub fn from_name(name: &str) -> Result<Self, DecodeError> {
        Self::ALL
            .into_iter()
            .find(|algorithm| algorithm.name() == name)
            .ok_or_else(|| DecodeError::UnknownSignatureAlgorithmName {
                name: name.to_owned(),
            })
    }

    /// The wire number of the algorithm.
    pub const fn number(self) -> i32 {
        match self {
            Self::Sha256WithRsaAndMgf1 => 0,
            Self::Sha384WithRsaAndMgf1 => 1,
            Self::Sha512WithRsaAndMgf1 => 2,
            Self::Sha256WithEcdsa => 3,
            Self::Sha384WithEcdsa => 4,
            Self::Sha512WithEcdsa => 5,
        }
    }

    /// The schema name of the algorithm, such as `SHA512withECDSA`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha256WithRsaAndMgf1 => "SHA256withRSAandMGF1",
            Self::Sha384WithRsaAndMgf1 => "SHA384withRSAandMGF1",
            Self::Sha512WithRsaAndMgf1 => "SHA512withRSAandMGF1",
            Self::Sha256WithEcdsa => "SHA256withECDSA",
            Self::Sha384WithEcdsa => "SHA384withECDSA",
            Self::Sha512WithEcdsa => "SHA512withECDSA",
        }
    }

    /// The hash function the algorithm signs over.
    pub const fn hash(self) -> HashAlgorithm {
        match self {
            Self::Sha256WithRsaAndMgf1 | Self::Sha256WithEcdsa => HashAlgorithm::Sha256,
            Self::Sha384WithRsaAndMgf1 | Self::Sha384WithEcdsa => HashAlgorithm::Sha384,
            Self::Sha512WithRsaAndMgf1 | Self::Sha512WithEcdsa => HashAlgorithm::Sha512,
        }
    }

    /// The key type that can make and check this algorithm's signatures.
    pub const fn key_type(self) -> KeyType {
        match self {
            Self::Sha256WithRsaAndMgf1
            | Self::Sha384WithRsaAndMgf1
            | Self::Sha512WithRsaAndMgf1 => KeyType::Rsa,
            Self::Sha256WithEcdsa | Self::Sha384WithEcdsa | Self::Sha512WithEcdsa => KeyType::Ec,
        }
    }

    /// The algorithm the deployed Titus agent uses for a key type: SHA-512 for both.
    pub const fn default_for(key_type: KeyType) -> Self {
        match key_type {
            KeyType::Rsa => Self::Sha512WithRsaAndMgf1,
            KeyType::Ec => Self::Sha512WithEcdsa,
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl HashAlgorithm {
    /// The digest length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The matching aws-lc-rs digest algorithm.
    pub fn digest_algorithm(self) -> &'static aws_lc_rs::digest::Algorithm {
        match self {
            Self::Sha256 => &aws_lc_rs::digest::SHA256,
            Self::Sha384 => &aws_lc_rs::digest::SHA384,
            Self::Sha512 => &aws_lc_rs::digest::SHA512,
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Rsa => "RSA",
            Self::Ec => "EC",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        for algorithm in SignatureAlgorithm::ALL {
            let number = algorithm.number();
            assert_eq!(
                SignatureAlgorithm::from_number(number).ok(),
                Some(algorithm)
            );
        }
    }

    #[test]
    fn unknown_numbers_are_rejected() {
        for number in [6, 99, -1, i32::MAX, i32::MIN] {
            let err = SignatureAlgorithm::from_number(number).err();
            assert_eq!(err, Some(DecodeError::UnknownSignatureAlgorithm { number }));
        }
    }

    #[test]
    fn names_round_trip() {
        for algorithm in SignatureAlgorithm::ALL {
            assert_eq!(
                SignatureAlgorithm::from_name(algorithm.name()).ok(),
                Some(algorithm)
            );
        }
        assert!(SignatureAlgorithm::from_name("SHA1withRSA").is_err());
    }

    #[test]
    fn defaults_match_agent() {
        assert_eq!(
            SignatureAlgorithm::default_for(KeyType::Rsa),
            SignatureAlgorithm::Sha512WithRsaAndMgf1
        );
        assert_eq!(
            SignatureAlgorithm::default_for(KeyType::Ec),
            SignatureAlgorithm::Sha512WithEcdsa
        );
    }
}
