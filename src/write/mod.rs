//! Writers: one file per output format. Each renders finished [`Report`]s; none re-parses input.

pub mod csv;
pub mod markdown;
pub mod text;

use crate::report::Report;

/// A failed input, reported beside the successful ones.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputError {
    /// Path as given.
    pub path: String,
    /// One-line description of what went wrong.
    pub error: String,
}

/// Render reports as pretty JSON: one object for one input, an array for several. Failed inputs
/// of a batch appear in the array as `{"path": ..., "error": ...}` objects.
pub fn json(reports: &[Report], errors: &[InputError]) -> serde_json::Result<String> {
    if reports.len() == 1 && errors.is_empty() {
        return serde_json::to_string_pretty(&reports[0]);
    }
    let mut items: Vec<serde_json::Value> = Vec::new();
    for r in reports {
        items.push(serde_json::to_value(r)?);
    }
    for e in errors {
        items.push(serde_json::to_value(e)?);
    }
    serde_json::to_string_pretty(&items)
}

/// One JSON object per action per line, each with `source_path` and `title` of its document.
pub fn ndjson(report: &Report) -> serde_json::Result<String> {
    let mut out = String::new();
    for a in &report.actions {
        let mut v = serde_json::to_value(a)?;
        if let serde_json::Value::Object(map) = &mut v {
            map.insert("source_path".into(), report.source.path.clone().into());
            map.insert("title".into(), report.title.clone().into());
        }
        out.push_str(&serde_json::to_string(&v)?);
        out.push('\n');
    }
    Ok(out)
}

pub mod escape;
pub mod github;
pub mod html;
pub mod junit;
pub mod sarif;
pub mod shared;
pub mod xlsx;
