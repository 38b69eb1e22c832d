//! RSASSA-PSS signing with MGF1 over the signature hash.
//!
//! The deployed Titus agent signs in Java with `SHA512withRSAandMGF1` and the default
//! `PSSParameterSpec`, whose salt is 20 bytes regardless of the hash. Verifiers that expect
//! a salt as long as the digest reject such signatures, so the salt length is explicit.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    RsaKeyPair, RsaPssSaltLength, RsaSignatureEncoding, RSA_PSS_SHA256, RSA_PSS_SHA384,
    RSA_PSS_SHA512,
};

use crate::algorithm::HashAlgorithm;

/// The salt length of RSASSA-PSS signatures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PssSaltLength {
    /// A 20-byte salt for every hash, as the deployed agent and Java's
    /// `PSSParameterSpec.DEFAULT` use.
    #[default]
    Twenty,
    /// A salt as long as the digest: 32, 48 or 64 bytes.
    DigestLength,
}

/// The salt length of the deployed agent's signatures, in bytes.
pub const AGENT_PSS_SALT_LEN: u16 = 20;

const SALT_TWENTY: RsaPssSaltLength = RsaPssSaltLength::Custom(AGENT_PSS_SALT_LEN);

static PSS_SHA256_SALT_20: RsaSignatureEncoding = RSA_PSS_SHA256.with_pss_salt_length(SALT_TWENTY);
static PSS_SHA384_SALT_20: RsaSignatureEncoding = RSA_PSS_SHA384.with_pss_salt_length(SALT_TWENTY);
static PSS_SHA512_SALT_20: RsaSignatureEncoding = RSA_PSS_SHA512.with_pss_salt_length(SALT_TWENTY);

/// Selects the aws-lc-rs encoding for a hash and salt length. MGF1 uses the same hash.
fn encoding(hash: HashAlgorithm, salt: PssSaltLength) -> &'static RsaSignatureEncoding {
    match (hash, salt) {
        (HashAlgorithm::Sha256, PssSaltLength::Twenty) => &PSS_SHA256_SALT_20,
        (HashAlgorithm::Sha384, PssSaltLength::Twenty) => &PSS_SHA384_SALT_20,
        (HashAlgorithm::Sha512, PssSaltLength::Twenty) => &PSS_SHA512_SALT_20,
        (HashAlgorithm::Sha256, PssSaltLength::DigestLength) => &RSA_PSS_SHA256,
        (HashAlgorithm::Sha384, PssSaltLength::DigestLength) => &RSA_PSS_SHA384,
        (HashAlgorithm::Sha512, PssSaltLength::DigestLength) => &RSA_PSS_SHA512,
    }
}

/// Signs `message` with RSASSA-PSS and returns the signature, as long as the modulus.
pub(crate) fn sign(
    key: &RsaKeyPair,
    hash: HashAlgorithm,
    salt: PssSaltLength,
    message: &[u8],
) -> Result<Vec<u8>, aws_lc_rs::error::Unspecified> {
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(
        encoding(hash, salt),
        &SystemRandom::new(),
        message,
        &mut signature,
    )?;
    Ok(signature)
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::rsa::KeySize;
    use aws_lc_rs::signature::{
        KeyPair, RsaParameters, UnparsedPublicKey, RSA_PSS_2048_8192_SHA256,
        RSA_PSS_2048_8192_SHA384, RSA_PSS_2048_8192_SHA512,
    };

    use super::*;

    static VERIFY_SHA256_SALT_20: RsaParameters =
        RSA_PSS_2048_8192_SHA256.with_pss_salt_length(SALT_TWENTY);
    static VERIFY_SHA384_SALT_20: RsaParameters =
        RSA_PSS_2048_8192_SHA384.with_pss_salt_length(SALT_TWENTY);
    static VERIFY_SHA512_SALT_20: RsaParameters =
        RSA_PSS_2048_8192_SHA512.with_pss_salt_length(SALT_TWENTY);

    fn verification(hash: HashAlgorithm, salt: PssSaltLength) -> &'static RsaParameters {
        match (hash, salt) {
            (HashAlgorithm::Sha256, PssSaltLength::Twenty) => &VERIFY_SHA256_SALT_20,
            (HashAlgorithm::Sha384, PssSaltLength::Twenty) => &VERIFY_SHA384_SALT_20,
            (HashAlgorithm::Sha512, PssSaltLength::Twenty) => &VERIFY_SHA512_SALT_20,
            (HashAlgorithm::Sha256, PssSaltLength::DigestLength) => &RSA_PSS_2048_8192_SHA256,
            (HashAlgorithm::Sha384, PssSaltLength::DigestLength) => &RSA_PSS_2048_8192_SHA384,
            (HashAlgorithm::Sha512, PssSaltLength::DigestLength) => &RSA_PSS_2048_8192_SHA512,
        }
    }

    #[test]
    fn each_salt_verifies_only_with_itself() {
        let key = RsaKeyPair::generate(KeySize::Rsa2048).expect("generate RSA key");
        let public_key = key.public_key().as_ref();
        let message = b"task identity";
        let salts = [PssSaltLength::Twenty, PssSaltLength::DigestLength];

        for hash in [
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ] {
            for signed_with in salts {
                let signature = sign(&key, hash, signed_with, message).expect("sign");
                assert_eq!(signature.len(), 256);

                for verified_with in salts {
                    let verifier =
                        UnparsedPublicKey::new(verification(hash, verified_with), public_key);
                    let result = verifier.verify(message, &signature);
                    assert_eq!(
                        result.is_ok(),
                        signed_with == verified_with,
                        "{hash:?}: signed with {signed_with:?}, verified with {verified_with:?}"
                    );
                }
            }
        }
    }
}
