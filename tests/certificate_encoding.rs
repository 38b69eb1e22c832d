//! Certificates whose bytes outside tbsCertificate were changed must not validate.
//!
//! The signature covers only tbsCertificate, so the outer SEQUENCE, signatureAlgorithm and
//! signatureValue wrappers are checked by parsing alone. x509-parser 0.18 compares only
//! tag numbers there, which let a flipped class bit, a wrong OID tag or a non-zero
//! unused-bits count through as a second encoding of the same certificate.

mod pki;

use titus_identity::verification::{validate_chain, ChainPolicy, TrustAnchors};

/// 2030-01-01, inside the test PKI's validity.
const TIME: i64 = 1_893_456_000;

/// Returns the offsets of the bytes outside tbsCertificate: the outer header and
/// everything after tbsCertificate. Both headers have two-byte lengths in the test PKI.
fn unsigned_offsets(der: &[u8]) -> Vec<usize> {
    assert_eq!(der[1], 0x82, "Certificate length takes two bytes");
    assert_eq!(der[5], 0x82, "tbsCertificate length takes two bytes");
    let outer_header = 4;
    let tbs_length = usize::from(der[6]) << 8 | usize::from(der[7]);
    let tbs_end = outer_header + 4 + tbs_length;
    (0..outer_header).chain(tbs_end..der.len()).collect()
}

fn flips(der: &[u8]) -> Vec<Vec<u8>> {
    let mut variants = Vec::new();
    for offset in unsigned_offsets(der) {
        for bit in 0..8 {
            let mut variant = der.to_vec();
            variant[offset] ^= 1 << bit;
            variants.push(variant);
        }
    }
    variants
}

fn validates(anchors: &TrustAnchors, leaf: &[u8], pool: &[Vec<u8>]) -> bool {
    validate_chain(anchors, leaf, pool, TIME, &ChainPolicy::default()).is_ok()
}

#[test]
fn unchanged_chains_validate() {
    let pki = pki::get();
    let anchors = TrustAnchors::from_der([&pki.root_der]).expect("anchor");
    for leaf in &pki.leaves {
        let valid = validates(&anchors, &leaf.chain_der[0], &leaf.chain_der[1..]);
        assert!(valid, "{:?}", leaf.key_type);
    }
}

#[test]
fn changed_leaf_wrapper_is_rejected() {
    let pki = pki::get();
    let anchors = TrustAnchors::from_der([&pki.root_der]).expect("anchor");
    for key_type in [pki::LeafKey::P256, pki::LeafKey::Rsa2048] {
        let leaf = pki.leaf(key_type);
        for variant in flips(&leaf.chain_der[0]) {
            let valid = validates(&anchors, &variant, &leaf.chain_der[1..]);
            assert!(!valid, "{key_type:?}: {variant:02x?}");
        }
    }
}

#[test]
fn changed_intermediate_wrapper_is_rejected() {
    let pki = pki::get();
    let anchors = TrustAnchors::from_der([&pki.root_der]).expect("anchor");
    let leaf = pki.leaf(pki::LeafKey::P256);
    for variant in flips(&pki.intermediate_der) {
        let valid = validates(&anchors, &leaf.chain_der[0], std::slice::from_ref(&variant));
        assert!(!valid, "{variant:02x?}");
    }
}
