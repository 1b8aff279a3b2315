//! The report: what the tool outputs for one input file.
//!
//! These types are the output contract. `schemas/report.schema.json` describes their JSON form
//! and a test validates every fixture's output against it. Fields are `null` when absent, never
//! missing; bump [`SCHEMA_VERSION`] on any incompatible change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::Source;

/// Version of the JSON report schema.
pub const SCHEMA_VERSION: &str = "1.0";

/// The full result for one input file.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Version of this schema (`"1.0"`).
    pub schema_version: &'static str,
    /// The input file.
    pub source: SourceInfo,
    /// Document title, when one was found.
    pub title: Option<String>,
    /// Every action-plan table (or prose action list) found.
    pub tables: Vec<PlanInfo>,
    /// Every action, in document order.
    pub actions: Vec<Action>,
    /// Every gap found, in document order (plan-level findings first for each plan).
    pub gaps: Vec<Gap>,
    /// Counts.
    pub summary: Summary,
}

/// The input file.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    /// Path as given on the command line (`-` for stdin).
    pub path: String,
    /// Detected format name (`text`, `docx`, `xlsx`, `pdf`, ...).
    pub format: String,
    /// SHA-256 of the input bytes, lower-case hex.
    pub sha256: String,
    /// Page count for paged formats, else null.
    pub pages: Option<u32>,
}

/// Whether a plan came from a table or from a prose list of commitments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanKind {
    /// An action-plan table.
    Table,
    /// A bulleted list of commitments ("We will ...").
    Prose,
    /// Records: the same set of labels repeated once per action (cards, one small table per
    /// action, "Action:" / "Lead:" paragraphs).
    Records,
    /// A numbered, lettered or bulleted list of actions under a heading that names them.
    List,
}

/// One column of a plan, as mapped by header detection.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnMapping {
    /// 0-based column index in the source table.
    pub column: usize,
    /// Header text as printed.
    pub header: String,
    /// Canonical field (`action`, `lead`, `due`, `evidence`, `xref`, `ref`, `objective`,
    /// `section`, `status`), or null when the column is kept under `extra`.
    pub field: Option<String>,
    /// Confidence of the mapping, 0 to 1.
    pub confidence: f64,
    /// What the header's words say for the mapped field, 0 to 1.
    pub header_score: f64,
    /// How typical the column's content is of the mapped field, 0 to 1.
    pub content_score: f64,
    /// Why the column was mapped, or left unmapped, in words.
    pub reason: String,
}

/// An action-plan table or prose action list.
#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    /// 1-based index among the document's plans.
    pub index: u32,
    /// Table or prose list.
    pub kind: PlanKind,
    /// Canonical field -> header text, for every mapped column.
    pub columns: BTreeMap<String, String>,
    /// Every column with its mapping and confidence.
    pub mappings: Vec<ColumnMapping>,
    /// Overall confidence that this is an action plan, 0 to 1.
    pub confidence: f64,
    /// Why this was taken as an action plan, in words.
    pub reason: String,
    /// Section heading the plan sits under.
    pub section: Option<String>,
    /// Where the plan starts.
    pub source: Source,
    /// Number of actions in the plan.
    pub actions: usize,
}

/// Kinds of deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DueKind {
    /// A specific date or month/year ("31 October 2008", "Dec 2008").
    Date,
    /// A period such as a year, season, quarter or financial year ("2011", "Autumn 2008").
    Period,
    /// Recurring with no end ("Annually", "Quarterly").
    Recurring,
    /// Continuing ("Ongoing", "Autumn 2008 onwards").
    Ongoing,
    /// Now ("Immediate", "Now").
    Immediate,
    /// Several dated milestones in one cell.
    Multiple,
    /// Text that names no date ("When funding allows").
    Unspecified,
}

/// Precision of a normalised deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuePrecision {
    /// A calendar day.
    Day,
    /// A month.
    Month,
    /// A calendar quarter ("Q3 2009").
    Quarter,
    /// A season ("Autumn 2008").
    Season,
    /// A calendar year.
    Year,
    /// A UK financial year (April to March).
    FinancialYear,
}

/// One action, normalised.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// Stable id within the report: `p{plan}-r{row}` (e.g. `p2-r5`).
    pub id: String,
    /// 1-based plan index (see `tables`).
    pub table: u32,
    /// 1-based row (or list item) within the plan.
    pub row: u32,
    /// Row number or code as printed ("1", "2.4").
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Nearest theme / outcome heading.
    pub section: Option<String>,
    /// Objective or outcome column, when the plan has one.
    pub objective: Option<String>,
    /// The action text (bullets joined with "; ").
    pub action: Option<String>,
    /// The action's bullet items (one element when the cell has no bullets).
    pub action_items: Vec<String>,
    /// Lead as printed.
    pub lead: Option<String>,
    /// Lead split into parties.
    pub leads: Vec<String>,
    /// Deadline as printed.
    pub due: Option<String>,
    /// Kind of deadline, null when there is none.
    pub due_kind: Option<DueKind>,
    /// ISO date (last day of the named period), when the deadline names one.
    pub due_date: Option<String>,
    /// Precision of `due_date`.
    pub due_precision: Option<DuePrecision>,
    /// How success will be known, as printed.
    pub evidence: Option<String>,
    /// Cross-reference to outcomes / objectives, as printed.
    pub xref: Option<String>,
    /// Cross-reference split into items.
    pub xrefs: Vec<String>,
    /// Status / RAG rating.
    pub status: Option<String>,
    /// Columns that map to no canonical field: header -> value.
    pub extra: BTreeMap<String, String>,
    /// Where the action is.
    pub source: Source,
    /// Ids of the gap rules this action breaks.
    pub gaps: Vec<String>,
}

/// Severity of a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational; never fails a check.
    Info,
    /// Worth fixing.
    Warning,
    /// Must be fixed.
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    /// Rule id (`missing-lead`, ...): see `gaps::RULES`.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// The action concerned; null for plan- or document-level findings.
    pub action_id: Option<String>,
    /// The plan concerned, when there is one.
    pub table: Option<u32>,
    /// A sentence that says what is wrong and where.
    pub message: String,
    /// Where it is.
    pub source: Source,
}

/// Counts over the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Number of plans.
    pub tables: usize,
    /// Number of actions.
    pub actions: usize,
    /// Actions with a lead.
    pub with_lead: usize,
    /// Actions with any deadline text.
    pub with_due: usize,
    /// Actions whose deadline normalised to a date.
    pub with_due_date: usize,
    /// Actions with evidence.
    pub with_evidence: usize,
    /// Actions with a cross-reference.
    pub with_xref: usize,
    /// Number of gaps per rule id.
    pub gaps_by_rule: BTreeMap<String, usize>,
    /// Number of gaps per severity.
    pub gaps_by_severity: BTreeMap<String, usize>,
}
