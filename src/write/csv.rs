//! CSV: one row per action, in the stable column order [`COLUMNS`]; list fields joined with "; ".
//!
//! Besides one row per action (`record` = `action`), a document where no action was found or
//! that has document-level findings gets a `document` row, a plan with plan-level findings
//! (`empty-section`, `no-lead-column`, ...) a `plan` row before its actions, and an input that
//! could not be read an `error` row; their findings are in `gaps` and `message`.
//!
//! Cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return are prefixed with `'` so
//! that spreadsheets do not run them as formulas (turn off with `escape_formulas = false`).

use crate::report::{Action, Gap, Report};
use crate::write::InputError;

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
    "record",
    "message",
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
        "action".into(),
        String::new(),
    ]
}

/// A row that is not an action: `record` kind, plan number, section, where, the findings.
fn other_record(
    path: &str,
    record: &str,
    plan: Option<u32>,
    section: Option<&str>,
    source: Option<&crate::document::Source>,
    gaps: &[&Gap],
    message: &str,
) -> Vec<String> {
    let mut row = vec![String::new(); COLUMNS.len()];
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
    row[col("source_path")] = path.to_string();
    if let Some(p) = plan {
        row[col("table")] = p.to_string();
    }
    row[col("section")] = section.unwrap_or("").to_string();
    if let Some(s) = source {
        row[col("page")] = s.page.map(|n| n.to_string()).unwrap_or_default();
        row[col("line")] = s.line.map(|n| n.to_string()).unwrap_or_default();
        row[col("sheet")] = s.sheet.clone().unwrap_or_default();
        row[col("cell")] = s.cell.clone().unwrap_or_default();
    }
    row[col("gaps")] = gaps
        .iter()
        .map(|g| g.rule.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    row[col("record")] = record.to_string();
    row[col("message")] = message.to_string();
    row
}

/// Render the actions of several reports as one CSV document.
pub fn render(reports: &[Report], opts: CsvOptions) -> csv::Result<Vec<u8>> {
    render_all(reports, &[], opts)
}

/// Render reports and failed inputs as one CSV document: document, plan, action and error rows
/// (see the module documentation).
pub fn render_all(
    reports: &[Report],
    errors: &[InputError],
    opts: CsvOptions,
) -> csv::Result<Vec<u8>> {
    let mut out = Vec::new();
    if opts.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::Writer::from_writer(out);
    if opts.header {
        w.write_record(COLUMNS)?;
    }
    let put = |w: &mut csv::Writer<Vec<u8>>, row: Vec<String>| {
        w.write_record(row.into_iter().map(|s| escape(s, opts.escape_formulas)))
    };
    for r in reports {
        let path = &r.source.path;
        let doc_gaps: Vec<&Gap> = r.document_gaps().collect();
        if r.actions.is_empty() || !doc_gaps.is_empty() {
            let message = doc_gaps
                .iter()
                .map(|g| g.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            put(
                &mut w,
                other_record(path, "document", None, None, None, &doc_gaps, &message),
            )?;
        }
        for p in &r.tables {
            let plan_gaps: Vec<&Gap> = r.plan_gaps(p.index).collect();
            if !plan_gaps.is_empty() {
                let message = plan_gaps
                    .iter()
                    .map(|g| g.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                put(
                    &mut w,
                    other_record(
                        path,
                        "plan",
                        Some(p.index),
                        p.section.as_deref(),
                        Some(&p.source),
                        &plan_gaps,
                        &message,
                    ),
                )?;
            }
            for a in r.actions.iter().filter(|a| a.table == p.index) {
                put(&mut w, record(path, a))?;
            }
        }
        // Actions of no listed plan (not produced today, but never dropped).
        for a in r
            .actions
            .iter()
            .filter(|a| !r.tables.iter().any(|p| p.index == a.table))
        {
            put(&mut w, record(path, a))?;
        }
    }
    for e in errors {
        put(
            &mut w,
            other_record(&e.path, "error", None, None, None, &[], &e.error),
        )?;
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
