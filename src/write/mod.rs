//! Writers: one file per output format. Each renders finished [`Report`]s; none re-parses input.

use crate::report::Report;

/// Render reports as pretty JSON (one object for one report, an array for several).
pub fn json(reports: &[Report]) -> serde_json::Result<String> {
    if reports.len() == 1 {
        serde_json::to_string_pretty(&reports[0])
    } else {
        serde_json::to_string_pretty(reports)
    }
}

pub mod github;
pub mod html;
pub mod junit;
pub mod sarif;
pub mod shared;
pub mod xlsx;
