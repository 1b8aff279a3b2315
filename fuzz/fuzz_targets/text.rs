//! The text reader and the whole pipeline on arbitrary bytes read as text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = carers_extract::read::text::read(data) {
        let source = carers_extract::report::SourceInfo {
            path: "fuzz.txt".into(),
            format: "text".into(),
            sha256: String::new(),
            pages: doc.pages,
        };
        let _ = carers_extract::analyse(&doc, source, &carers_extract::Options::default());
    }
});
