//! Validates arbitrary DER pools under a fixed trust anchor, with the first element as
//! the leaf and the rest as the pool. Each element is also loaded as a trust anchor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use titus_identity::verification::{validate_chain, ChainPolicy, Purpose, TrustAnchors};
use titus_identity_fuzz::{anchors, split_der, VALIDATION_TIME};

fuzz_target!(|data: &[u8]| {
    let elements = split_der(data);
    let Some((leaf, pool)) = elements.split_first() else {
        return;
    };

    for policy in [
        ChainPolicy::default(),
        ChainPolicy::default().with_purpose(Purpose::Any),
    ] {
        if let Ok(path) = validate_chain(anchors(), leaf, pool, VALIDATION_TIME, &policy) {
            assert!(path.length >= 2);
            assert!(path.work.signature_checks <= policy.budget.signature_checks);
            assert!(path.not_before <= VALIDATION_TIME);
            assert!(VALIDATION_TIME <= path.not_after);
        }
    }

    if let Ok(own) = TrustAnchors::from_der(&elements) {
        let _ = validate_chain(&own, leaf, pool, VALIDATION_TIME, &ChainPolicy::default());
    }
});
