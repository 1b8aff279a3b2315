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

/// Render reports as pretty JSON: one report object when `array` is false and there is exactly
/// one report and no failure; otherwise an array of reports, with `{"path": ..., "error": ...}`
/// entries for inputs that failed. The binary asks for the array whenever the command line names
/// a folder, a glob or several inputs, so that the shape depends on the command, not on how
/// many files a folder happens to hold.
pub fn json(reports: &[Report], errors: &[InputError], array: bool) -> serde_json::Result<String> {
    let mut out = Vec::new();
    json_to(&mut out, reports, errors, array)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// [`json`], written to `w` as it is produced: the output is never held whole in memory.
pub fn json_to(
    w: &mut dyn std::io::Write,
    reports: &[Report],
    errors: &[InputError],
    array: bool,
) -> serde_json::Result<()> {
    if !array && reports.len() == 1 && errors.is_empty() {
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

/// NDJSON records of one report: first a `document` record (source, title, plans, summary and
/// the document- and plan-level gaps), then one `action` record per action (the action's fields
/// with `source_path` and `title`). Every record has `record` and `source_path`, so a document
/// with no action still has a line.
pub fn ndjson(report: &Report) -> serde_json::Result<String> {
    let mut out = String::new();
    let doc = serde_json::json!({
        "record": "document",
        "source_path": report.source.path,
        "title": report.title,
        "source": report.source,
        "status": report.status(),
        "tables": report.tables,
        "summary": report.summary,
        "gaps": report.gaps.iter().filter(|g| g.action_id.is_none()).collect::<Vec<_>>(),
    });
    out.push_str(&serde_json::to_string(&doc)?);
    out.push('\n');
    for a in &report.actions {
        let mut v = serde_json::to_value(a)?;
        if let serde_json::Value::Object(map) = &mut v {
            map.insert("record".into(), "action".into());
            map.insert("source_path".into(), report.source.path.clone().into());
            map.insert("title".into(), report.title.clone().into());
        }
        out.push_str(&serde_json::to_string(&v)?);
        out.push('\n');
    }
    Ok(out)
}

/// The NDJSON record of an input that could not be read.
pub fn ndjson_error(e: &InputError) -> serde_json::Result<String> {
    let v = serde_json::json!({"record": "error", "source_path": e.path, "error": e.error});
    Ok(serde_json::to_string(&v)? + "\n")
}

pub mod escape;
pub mod github;
pub mod html;
pub mod junit;
pub mod sarif;
pub mod shared;
pub mod xlsx;
