//! Feeds arbitrary bytes to every JSON reader, and checks that what a reader accepts
//! is written back as JSON that reads to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use titus_identity::codec::DecodeLimits;
use titus_identity::document::json;

fuzz_target!(|data: &[u8]| {
    let limits = DecodeLimits::default();

    if let Ok(identity) = json::task_identity_from_json(data, &limits) {
        let written = json::task_identity_to_json(&identity);
        let reread = json::task_identity_from_json(written.as_bytes(), &limits);
        assert_eq!(reread.as_ref(), Ok(&identity), "{written}");
    }
    if let Ok(identity) = json::task_pod_identity_from_json(data, &limits) {
        let written = json::task_pod_identity_to_json(&identity);
        let reread = json::task_pod_identity_from_json(written.as_bytes(), &limits);
        assert_eq!(reread.as_ref(), Ok(&identity), "{written}");
    }
    if let Ok(document) = json::string_document_from_json(data, &limits) {
        let written = json::string_document_to_json(&document);
        let reread = json::string_document_from_json(written.as_bytes(), &limits);
        assert_eq!(reread.as_ref(), Ok(&document), "{written}");
    }
    if let Ok(document) = json::identity_document_from_json(data, &limits) {
        let written = json::identity_document_to_json(&document);
        let reread = json::identity_document_from_json(written.as_bytes(), &limits);
        assert_eq!(reread.as_ref(), Ok(&document), "{written}");
    }
    if let Ok(document) = json::pod_document_from_json(data, &limits) {
        let written = json::pod_document_to_json(&document);
        let reread = json::pod_document_from_json(written.as_bytes(), &limits);
        assert_eq!(reread.as_ref(), Ok(&document), "{written}");
    }
});
