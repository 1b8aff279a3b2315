//! The report: what the tool outputs for one input file.
//!
//! These types are the output contract. `schemas/report.schema.json` describes their JSON form
//! and a test validates every fixture's output against it. Fields are `null` when absent, never
//! missing; bump [`SCHEMA_VERSION`] on any incompatible change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::Source;

/// Version of the JSON report schema.
pub const SCHEMA_VERSION: &str = "1.1";

/// The full result for one input file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// Version of this schema (`"1.1"`).
    #[serde(deserialize_with = "schema_version")]
    pub schema_version: SchemaVersion,
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

/// The type of [`Report::schema_version`] (an alias, so that serde does not try to borrow it
/// from the input when a report is read back).
pub type SchemaVersion = &'static str;

/// Reads `schema_version` back (reports cross a process boundary, see `crate::isolate`): only
/// the version this build writes is accepted.
fn schema_version<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let v = String::deserialize(d)?;
    if v == SCHEMA_VERSION {
        Ok(SCHEMA_VERSION)
    } else {
        Err(serde::de::Error::custom(format!(
            "schema version {v}, expected {SCHEMA_VERSION}"
        )))
    }
}

/// The input file.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Number of plans.
    pub tables: usize,
    /// Number of actions.
    pub actions: usize,
    /// Actions with a lead.
    pub with_lead: usize,
    /// Actions with a named lead: a lead that the `vague-lead` rule did not flag (see
    /// [`Completeness`]).
    pub with_named_lead: usize,
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
    /// Gaps left out because a `--baseline` already had them; null when no baseline was used.
    pub known_gaps_hidden: Option<usize>,
}

impl Summary {
    /// Count plans, actions and gaps: the one place where the summary figures are defined.
    pub fn of(tables: &[PlanInfo], actions: &[Action], gaps: &[Gap]) -> Summary {
        let mut by_rule = BTreeMap::new();
        let mut by_sev = BTreeMap::new();
        for g in gaps {
            *by_rule.entry(g.rule.clone()).or_insert(0) += 1;
            *by_sev.entry(g.severity.name().to_string()).or_insert(0) += 1;
        }
        let c = Completeness::of(actions);
        Summary {
            tables: tables.len(),
            actions: c.actions,
            with_lead: c.with_lead,
            with_named_lead: c.named_lead,
            with_due: c.with_due,
            with_due_date: c.dated_due,
            with_evidence: c.evidence,
            with_xref: c.xref,
            gaps_by_rule: by_rule,
            gaps_by_severity: by_sev,
            known_gaps_hidden: None,
        }
    }

    /// Number of gaps of one severity.
    pub fn gaps_of(&self, severity: Severity) -> usize {
        self.gaps_by_severity
            .get(severity.name())
            .copied()
            .unwrap_or(0)
    }
}

/// Completeness of a group of actions (a document, a section, a plan). Every writer takes its
/// percentages from here, so that the text summary, HTML, XLSX, Markdown and the GitHub job
/// summary report the same figure for the same document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Completeness {
    /// Number of actions.
    pub actions: usize,
    /// Actions with any lead text.
    pub with_lead: usize,
    /// Actions with a named lead: lead text that the `vague-lead` rule did not flag.
    pub named_lead: usize,
    /// Actions with any deadline text.
    pub with_due: usize,
    /// Actions whose deadline normalised to a date.
    pub dated_due: usize,
    /// Actions with evidence.
    pub evidence: usize,
    /// Actions with a cross-reference.
    pub xref: usize,
}

fn filled(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

impl Completeness {
    /// Figures over a group of actions.
    pub fn of<'a>(actions: impl IntoIterator<Item = &'a Action>) -> Completeness {
        let mut c = Completeness::default();
        for a in actions {
            c.add(a);
        }
        c
    }

    /// Add one action.
    pub fn add(&mut self, a: &Action) {
        self.actions += 1;
        if filled(&a.lead) {
            self.with_lead += 1;
            if !a.gaps.iter().any(|g| g == "vague-lead") {
                self.named_lead += 1;
            }
        }
        if filled(&a.due) {
            self.with_due += 1;
        }
        if a.due_date.is_some() {
            self.dated_due += 1;
        }
        if filled(&a.evidence) {
            self.evidence += 1;
        }
        if filled(&a.xref) {
            self.xref += 1;
        }
    }

    /// Share of `n` in the actions, 0 to 100 (0 when there are no actions).
    pub fn pct(&self, n: usize) -> f64 {
        if self.actions == 0 {
            0.0
        } else {
            100.0 * n as f64 / self.actions as f64
        }
    }

    /// Share of `n` as printed: whole per cent rounded half up (as spreadsheets round), or
    /// "–" when there are no actions.
    pub fn percent(&self, n: usize) -> String {
        match (100 * n + self.actions / 2).checked_div(self.actions) {
            Some(p) => format!("{p}%"),
            None => "–".to_string(),
        }
    }
}

impl Report {
    /// Completeness of the whole document.
    pub fn completeness(&self) -> Completeness {
        Completeness::of(&self.actions)
    }

    /// Columns of the plans that map to no field (kept under `extra`): (plan index, header).
    pub fn unmapped_columns(&self) -> Vec<(u32, &str)> {
        self.tables
            .iter()
            .flat_map(|p| {
                p.mappings
                    .iter()
                    .filter(|m| m.field.is_none() && !m.header.trim().is_empty())
                    .map(move |m| (p.index, m.header.as_str()))
            })
            .collect()
    }

    /// Gaps about the whole document (no plan, no action), such as `no-action-plan`.
    pub fn document_gaps(&self) -> impl Iterator<Item = &Gap> {
        self.gaps
            .iter()
            .filter(|g| g.action_id.is_none() && g.table.is_none())
    }

    /// Gaps about one plan as a whole (no action).
    pub fn plan_gaps(&self, plan: u32) -> impl Iterator<Item = &Gap> {
        self.gaps
            .iter()
            .filter(move |g| g.action_id.is_none() && g.table == Some(plan))
    }

    /// One word for the state of the document: `ok` when actions were found, `no action plan`
    /// when the document was read but none was found (never "ok" over nothing).
    pub fn status(&self) -> &'static str {
        if self.actions.is_empty() {
            "no action plan"
        } else {
            "ok"
        }
    }
}
