//! Property tests (proptest) for the deadline normaliser and the lead splitter: they never
//! panic on any text, a deadline date is a real date named by the text, and parties are
//! non-empty trimmed pieces of the lead.

use carers_extract::normalise::{due, lead};
use chrono::Datelike;
use proptest::prelude::*;

/// Deadline-like text: real phrasings with random numbers, words and separators mixed in.
fn due_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("by".to_string()),
        Just("end".to_string()),
        Just("to end".to_string()),
        Just("financial year".to_string()),
        Just("ongoing".to_string()),
        Just("annually".to_string()),
        Just("onwards".to_string()),
        Just("immediate".to_string()),
        Just("Q".to_string()),
        Just("and".to_string()),
        "(jan|feb|mar|april|may|june|jul|aug|sept|oct|nov|december|spring|summer|autumn|winter)",
        "[0-9]{1,4}",
        "[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4}",
        "[0-9]{4}/[0-9]{2,4}",
        "Q[0-9] [0-9]{4}/[0-9]{2}",
        "[A-Za-z]{1,8}-[0-9]{2}",
        "[ ,;()&\\-–—/.]{1,3}",
        any::<String>(),
    ];
    proptest::collection::vec(word, 0..8).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn due_never_panics_and_dates_are_named(text in due_text()) {
        let d = due::parse(&text);
        if let Some(date) = d.date {
            // A valid ISO date (four-digit year)...
            prop_assert!((1000..=9999).contains(&date.year()), "{text:?} -> {date}");
            let iso = date.format("%Y-%m-%d").to_string();
            prop_assert!(chrono::NaiveDate::parse_from_str(&iso, "%Y-%m-%d").is_ok());
            // ... whose year the text names (in full, or its last two digits as in 31.12.14,
            // Apr-12 and 2011/12).
            // A financial year or quarter, or a winter, ends in the next calendar year
            // ("financial year 2000" -> 2001-03-31, "Winter 2032" -> 2033-02-28), so there the
            // year before may be the one named.
            let named = |y: i32| text.contains(&format!("{:02}", y.rem_euclid(100)));
            let fy = matches!(
                d.precision,
                Some(
                    carers_extract::report::DuePrecision::FinancialYear
                        | carers_extract::report::DuePrecision::Quarter
                        | carers_extract::report::DuePrecision::Season
                )
            );
            prop_assert!(
                named(date.year()) || (fy && named(date.year() - 1)),
                "{text:?} -> {date} ({:?}): year not in the text", d.precision
            );
            prop_assert!(d.precision.is_some());
        } else {
            prop_assert!(d.precision.is_none());
        }
    }

    #[test]
    fn due_never_panics_on_any_string(text in any::<String>()) {
        let _ = due::parse(&text);
    }

    #[test]
    fn parties_are_trimmed_nonempty_substrings(text in lead_text()) {
        for p in lead::parties(&text) {
            prop_assert!(!p.is_empty(), "{text:?}");
            prop_assert_eq!(p.trim(), p.as_str(), "{:?}", text);
            // A piece of the input as cleaned (NFKC, inline markup): lines of one party are
            // joined and line-end hyphens repaired, so compare without spaces and hyphens.
            let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>();
            let cleaned: Vec<String> = text.lines().map(carers_extract::normalise::text::clean_line).collect();
            let flat = squash(&cleaned.join(" "));
            let pf = squash(&p);
            prop_assert!(flat.contains(&pf), "{text:?}: {p:?} is not in the input");
        }
    }

    #[test]
    fn parties_never_panic_on_any_string(text in any::<String>()) {
        let _ = lead::parties(&text);
    }
}

/// Lead-like text: names, acronyms, separators, bullets and line breaks.
fn lead_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[A-Z]{2,5}",
        "[A-Z][a-z]{2,9}( [A-Z][a-z]{2,9}){0,2}",
        Just("and".to_string()),
        Just("All partners".to_string()),
        "[ ,;/&\n\t]{1,3}",
        Just("\n• ".to_string()),
        Just("\n- ".to_string()),
        Just("· ".to_string()),
        Just("1. ".to_string()),
        Just("\u{a0}".to_string()),
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..10).prop_map(|w| w.concat())
}

/// Cases proptest found (kept as plain tests).
#[test]
fn found_by_proptest() {
    // An empty bullet line was glued onto the party above.
    assert_eq!(lead::parties("AA\n• \t"), vec!["AA"]);
    assert_eq!(lead::parties("ICB\n•\n• Council"), vec!["ICB", "Council"]);
    assert_eq!(lead::parties("AA\n• \nBB"), vec!["AA", "BB"]);
    // A financial year named by its first year ends the next March.
    let d = due::parse("financial year 2000");
    assert_eq!(d.date.map(|d| d.to_string()), Some("2001-03-31".into()));
}
