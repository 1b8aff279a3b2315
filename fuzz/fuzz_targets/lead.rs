//! The lead splitter: never panics; parties are non-empty and trimmed.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for p in carers_extract::normalise::lead::parties(text) {
        assert!(!p.is_empty());
        assert_eq!(p.trim(), p);
    }
});
