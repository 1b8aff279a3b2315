//! CSV: one row per action, in the stable column order [`COLUMNS`]; list fields joined with "; ".
//!
//! Cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return are prefixed with `'` so
//! that spreadsheets do not run them as formulas (turn off with `escape_formulas = false`).

use crate::report::{Action, Report};

/// Column order of the CSV output (stable; new columns are only ever appended).
pub const COLUMNS: &[&str] = &[
    "source_path",
    "id",
    "table",
    "row",
    "ref",
    "section",
    "objective",
    "action",
    "lead",
    "leads",
    "due",
    "due_kind",
    "due_date",
    "due_precision",
    "evidence",
    "xref",
    "xrefs",
    "status",
    "page",
    "line",
    "sheet",
    "cell",
    "gaps",
    "extra",
];

/// CSV options.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark (Excel then opens UTF-8 correctly).
    pub bom: bool,
    /// Escape cells that a spreadsheet would run as formulas.
    pub escape_formulas: bool,
    /// Write the header row.
    pub header: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            bom: false,
            escape_formulas: true,
            header: true,
        }
    }
}

fn escape(s: String, on: bool) -> String {
    if on && s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

fn enum_name<T: serde::Serialize>(v: &Option<T>) -> String {
    v.as_ref()
        .and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn record(path: &str, a: &Action) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    vec![
        path.to_string(),
        a.id.clone(),
        a.table.to_string(),
        a.row.to_string(),
        opt(&a.reference),
        opt(&a.section),
        opt(&a.objective),
        opt(&a.action),
        opt(&a.lead),
        a.leads.join("; "),
        opt(&a.due),
        enum_name(&a.due_kind),
        opt(&a.due_date),
        enum_name(&a.due_precision),
        opt(&a.evidence),
        opt(&a.xref),
        a.xrefs.join("; "),
        opt(&a.status),
        num(a.source.page),
        num(a.source.line),
        opt(&a.source.sheet),
        opt(&a.source.cell),
        a.gaps.join("; "),
        a.extra
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; "),
    ]
}

/// Render the actions of several reports as one CSV document.
pub fn render(reports: &[Report], opts: CsvOptions) -> csv::Result<Vec<u8>> {
    let mut out = Vec::new();
    if opts.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::Writer::from_writer(out);
    if opts.header {
        w.write_record(COLUMNS)?;
    }
    for r in reports {
        for a in &r.actions {
            w.write_record(
                record(&r.source.path, a)
                    .into_iter()
                    .map(|s| escape(s, opts.escape_formulas)),
            )?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_escaped() {
        assert_eq!(
            escape("=HYPERLINK(\"x\")".into(), true),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(escape("-1".into(), true), "'-1");
        assert_eq!(escape("=1".into(), false), "=1");
        assert_eq!(escape("HHAS".into(), true), "HHAS");
    }
}
