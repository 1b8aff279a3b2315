//! The deadline normaliser: never panics; a date is always a real date.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let due = carers_extract::normalise::due::parse(text);
    if let Some(d) = due.date {
        assert!(d.format("%Y-%m-%d").to_string().len() == 10, "{d}");
    }
});
