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
    let mut out = Vec::new();
    json_to(&mut out, reports, errors)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// [`json`], written to `w` as it is produced: the output is never held whole in memory.
pub fn json_to(
    w: &mut dyn std::io::Write,
    reports: &[Report],
    errors: &[InputError],
) -> serde_json::Result<()> {
    if reports.len() == 1 && errors.is_empty() {
        return serde_json::to_writer_pretty(w, &reports[0]);
    }
    /// The array of a batch: each item as a JSON value, one at a time.
    struct Items<'a>(&'a [Report], &'a [InputError]);
    impl serde::Serialize for Items<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::{Error, SerializeSeq};
            let mut seq = s.serialize_seq(Some(self.0.len() + self.1.len()))?;
            for r in self.0 {
                seq.serialize_element(&serde_json::to_value(r).map_err(S::Error::custom)?)?;
            }
            for e in self.1 {
                seq.serialize_element(&serde_json::to_value(e).map_err(S::Error::custom)?)?;
            }
            seq.end()
        }
    }
    serde_json::to_writer_pretty(w, &Items(reports, errors))
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
