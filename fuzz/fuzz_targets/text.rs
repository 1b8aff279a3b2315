//! The text reader and the whole pipeline on arbitrary bytes read as text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Panics that the library contains (catch_unwind around each reader, as in the CLI) are not
    // crashes: silence libFuzzer's abort-on-panic hook. An uncaught panic still aborts, because
    // fuzz_target! aborts when the closure unwinds.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
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
