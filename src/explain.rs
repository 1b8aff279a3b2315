//! What detection made of a document, for people and scripts: `carers-extract explain` and the
//! reason of the `no-action-plan` finding.
//!
//! Detection itself records, for every table, list and group of records, whether it was taken
//! and why, and for every column of a taken table its field with the header and content evidence
//! ([`crate::detect::explain::Detection`], [`crate::detect::Column`]). This module turns that into
//! the [`Explanation`] that is printed and serialised: the plan each candidate became, the
//! header and column evidence of tables that were *not* taken (recomputed with detection's own
//! column assignment, [`crate::detect::assign::assign`], on the row that names the most
//! fields), and for every column the `carers-extract.toml` line that would map it otherwise.

use serde::Serialize;

use crate::detect::assign;
use crate::detect::explain::{Candidate as Seen, CandidateKind, Detection};
use crate::detect::profile::Profile;
use crate::detect::{Column, Field};
use crate::document::{BlockKind, Document, Source, Table};
use crate::Options;

/// What detection made of a whole document.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Every table, list and group of records looked at, in document order.
    pub candidates: Vec<Candidate>,
    /// Number of plans detection returned.
    pub plans: usize,
}

/// One table, list or group of records and what detection made of it.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// `table`, `list` or `records`.
    pub kind: CandidateKind,
    /// 1-based number among the candidates of its kind.
    pub number: u32,
    /// Where it starts.
    pub source: Source,
    /// Rows of the table (header included) or items of the list, as read.
    pub size: usize,
    /// Actions taken from it (0 when not taken).
    pub actions: usize,
    /// Whether it became a plan.
    pub taken: bool,
    /// The plan (1-based index, as in the report's `tables`) it became.
    pub plans: Vec<u32>,
    /// Why it was taken or not, in words.
    pub reason: String,
    /// The header row used (tables), as printed.
    pub header: Vec<String>,
    /// Each column of that header (tables).
    pub columns: Vec<ColumnEvidence>,
}

/// One column of a table candidate.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnEvidence {
    /// 0-based column index.
    pub column: usize,
    /// Header as printed.
    pub header: String,
    /// Field it maps to, or null (kept under `extra`).
    pub field: Option<String>,
    /// Confidence of the mapping, 0 to 1.
    pub confidence: f64,
    /// What the header's words say for the field, 0 to 1.
    pub header_score: f64,
    /// How typical the column's content is of the field, 0 to 1.
    pub content_score: f64,
    /// Why, in words.
    pub reason: String,
    /// A `carers-extract.toml` line that would map this column to another field (or to one at
    /// all).
    pub config: Option<String>,
}

/// Explain a document from detection's record of it.
pub fn explain(document: &Document, detection: &Detection, opts: &Options) -> Explanation {
    let tables: Vec<&Table> = document.tables().collect();
    let mut numbers = [0u32; 3];
    let mut candidates = Vec::new();
    for seen in &detection.candidates {
        let slot = match seen.kind {
            CandidateKind::Table => 0,
            CandidateKind::List => 1,
            CandidateKind::Records => 2,
        };
        numbers[slot] += 1;
        let number = seen
            .source
            .table
            .filter(|_| seen.kind == CandidateKind::Table)
            .unwrap_or(numbers[slot]);
        candidates.push(candidate(seen, number, detection, &tables, opts));
    }
    Explanation {
        candidates,
        plans: detection.plans.len(),
    }
}

fn candidate(
    seen: &Seen,
    number: u32,
    detection: &Detection,
    tables: &[&Table],
    opts: &Options,
) -> Candidate {
    // The plan it became: same starting point and columns. Lists are numbered as plans only
    // after detection has decided which to keep, so their table and row numbers are left out.
    let same_place = |p: &Source| match seen.kind {
        CandidateKind::Table => *p == seen.source,
        CandidateKind::List | CandidateKind::Records => {
            let bare = |s: &Source| Source {
                table: None,
                row: None,
                ..s.clone()
            };
            bare(p) == bare(&seen.source)
        }
    };
    let plan = seen
        .taken
        .then(|| {
            detection
                .plans
                .iter()
                .position(|p| same_place(&p.source) && p.columns.len() == seen.columns.len())
        })
        .flatten();
    let mut reason = seen.reason.clone();
    let taken = seen.taken && plan.is_some();
    if seen.taken && plan.is_none() {
        reason.push_str(
            "; then left out: the document has action-plan tables and this list is not under a heading that names actions",
        );
    }
    let table = (seen.kind == CandidateKind::Table)
        .then(|| seen.source.table.and_then(|t| t.checked_sub(1)))
        .flatten()
        .and_then(|t| tables.get(t as usize));
    let (header, columns): (Vec<String>, Vec<Column>) = if !seen.columns.is_empty() {
        (
            seen.columns.iter().map(|c| c.header.clone()).collect(),
            seen.columns.clone(),
        )
    } else if let Some(t) = table {
        likeliest_header(t, opts)
    } else {
        (Vec::new(), Vec::new())
    };
    let columns = columns
        .iter()
        .map(|c| column_evidence(c, &columns, opts))
        .collect();
    Candidate {
        kind: seen.kind,
        number,
        source: seen.source.clone(),
        size: table.map_or(seen.rows, |t| t.rows.len()),
        actions: if taken { seen.rows } else { 0 },
        taken,
        plans: plan.map(|i| vec![i as u32 + 1]).unwrap_or_default(),
        reason,
        header,
        columns,
    }
}

/// The row among a table's first ones whose columns detection maps best, with that mapping:
/// what the table would have been read as.
fn likeliest_header(t: &Table, opts: &Options) -> (Vec<String>, Vec<Column>) {
    let texts: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.trim().to_string()).collect())
        .collect();
    let mut best: Option<(usize, f64, Vec<Column>)> = None;
    for (r, cells) in texts.iter().enumerate().take(15) {
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let below = &texts[r + 1..texts.len().min(r + 40)];
        let profiles: Vec<Profile> = (0..cells.len())
            .map(|k| Profile::of(below.iter().filter_map(|c| c.get(k).map(String::as_str))))
            .collect();
        let cols = assign::assign(cells, &profiles, &opts.header_synonyms);
        let score: f64 = cols.iter().map(|c| c.header_score).sum();
        if best.as_ref().is_none_or(|b| score > b.1) {
            best = Some((r, score, cols));
        }
    }
    match best {
        Some((r, _, cols)) => (texts[r].clone(), cols),
        None => (Vec::new(), Vec::new()),
    }
}

fn column_evidence(c: &Column, all: &[Column], opts: &Options) -> ColumnEvidence {
    let scores = crate::detect::header::score(&c.header, &opts.header_synonyms);
    let config = (!c.header.trim().is_empty()).then(|| {
        let target = match c.field {
            // Mapped: the line that would send it to the next-best field by its header.
            Some(f) => scores.iter().map(|(g, _)| *g).find(|g| *g != f).unwrap_or(
                if f == Field::Evidence {
                    Field::Xref
                } else {
                    Field::Evidence
                },
            ),
            // Unmapped: its best field by its header, else the first of lead / due / evidence /
            // cross-reference the plan lacks.
            None => scores.first().map(|(g, _)| *g).unwrap_or_else(|| {
                [Field::Lead, Field::Due, Field::Evidence, Field::Xref]
                    .into_iter()
                    .find(|f| !all.iter().any(|o| o.field == Some(*f)))
                    .unwrap_or(Field::Evidence)
            }),
        };
        format!(
            "[headers] {} = [\"{}\"]",
            target.name(),
            c.header.trim().replace('\\', "\\\\").replace('"', "\\\"")
        )
    });
    let round = |v: f64| (v.clamp(0.0, 1.0) * 100.0).round() / 100.0;
    ColumnEvidence {
        column: c.index,
        header: c.header.clone(),
        field: c.field.map(|f| f.name().to_string()),
        confidence: round(c.confidence),
        header_score: round(c.header_score),
        content_score: round(c.content_score),
        reason: if c.reason.is_empty() {
            "no evidence recorded".into()
        } else {
            c.reason.clone()
        },
        config,
    }
}

/// Why a document yielded no action, in one sentence (the `no-action-plan` finding's reason).
pub fn no_plan_reason(document: &Document, detection: &Detection) -> String {
    if document.blocks.is_empty() {
        return "the document has no text".into();
    }
    let paragraphs = document
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph { .. }))
        .count();
    let prose = format!(
        "{paragraphs} paragraph{} of prose",
        if paragraphs == 1 { "" } else { "s" }
    );
    if let Some(why) = detection.why_none() {
        return format!("{why}; {prose}");
    }
    // Plans were found, but none has a row.
    let plans = &detection.plans;
    let mut where_: Vec<String> = plans.iter().map(|p| p.source.describe()).collect();
    where_.dedup();
    let mut s = format!(
        "{} action-plan header{} found ({}) but no row under {}",
        plans.len(),
        if plans.len() == 1 { "" } else { "s" },
        where_.join("; "),
        if plans.len() == 1 { "it" } else { "them" }
    );
    let others: Vec<&Seen> = detection
        .candidates
        .iter()
        .filter(|c| c.kind == CandidateKind::Table && !c.taken)
        .collect();
    if !others.is_empty() {
        let shown: Vec<String> = others
            .iter()
            .take(3)
            .map(|c| format!("{}: {}", c.source.describe(), c.reason))
            .collect();
        s.push_str(&format!(
            "; {} other table{}, none an action plan ({}{})",
            others.len(),
            if others.len() == 1 { "" } else { "s" },
            shown.join("; "),
            if others.len() > 3 { "; ..." } else { "" }
        ));
    }
    format!("{s}; {prose}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Row};

    fn table(rows: &[&[&str]]) -> Block {
        Block {
            kind: BlockKind::Table(Table {
                rows: rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| Row::from_texts(r.iter().copied(), Source::line(i as u32 + 1)))
                    .collect(),
                wrapped_lines: false,
            }),
            source: Source::line(1),
        }
    }

    #[test]
    fn a_table_without_an_action_column_is_explained() {
        let doc = Document {
            title: None,
            pages: None,
            blocks: vec![table(&[
                &["Indicator", "Baseline", "Target"],
                &["Carers assessed", "1200", "1500"],
                &["Carers in work", "300", "400"],
            ])],
        };
        let opts = Options::default();
        let d = crate::detect::detect_explained(&doc, &opts);
        assert!(d.plans.is_empty());
        let why = no_plan_reason(&doc, &d);
        assert!(why.starts_with("1 table, none an action plan"), "{why}");
        let e = explain(&doc, &d, &opts);
        assert_eq!(e.candidates.len(), 1);
        let c = &e.candidates[0];
        assert!(!c.taken);
        assert_eq!(c.header, ["Indicator", "Baseline", "Target"]);
        assert_eq!(c.columns.len(), 3);
        assert!(c.columns.iter().all(|k| !k.reason.is_empty()));
    }

    #[test]
    fn a_taken_table_names_its_plan_and_columns() {
        let doc = Document {
            title: None,
            pages: None,
            blocks: vec![table(&[
                &["Action", "Lead", "By when", "How"],
                &[
                    "Publish a guide",
                    "Carers Centre",
                    "March 2025",
                    "Guide out",
                ],
                &["Train staff", "ICB", "June 2025", "Records"],
            ])],
        };
        let opts = Options::default();
        let d = crate::detect::detect_explained(&doc, &opts);
        let e = explain(&doc, &d, &opts);
        let c = &e.candidates[0];
        assert!(c.taken, "{c:?}");
        assert_eq!(c.plans, vec![1]);
        let lead = c.columns.iter().find(|k| k.header == "Lead").unwrap();
        assert_eq!(lead.field.as_deref(), Some("lead"));
        assert!(lead.header_score > 0.5);
        let how = c.columns.iter().find(|k| k.header == "How").unwrap();
        if how.field.is_none() {
            assert!(how.config.as_deref().unwrap().ends_with("= [\"How\"]"));
        }
    }
}
