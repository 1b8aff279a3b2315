//! Action-plan detection: which tables (and prose lists) of a [`Document`] are action plans,
//! which column holds which field, and which physical rows make one logical row.

pub mod header;
pub mod prose;
pub mod table;

use std::collections::BTreeMap;

use crate::document::{Document, Source};
use crate::report::PlanKind;
use crate::Options;

/// Canonical fields a column can map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Row number or code ("1", "2.4").
    Ref,
    /// The action itself.
    Action,
    /// Who leads.
    Lead,
    /// By when.
    Due,
    /// How we will know it is done.
    Evidence,
    /// Which outcome / objective / priority it serves.
    Xref,
    /// Objective or outcome the row belongs to.
    Objective,
    /// Theme / key area column: the row's section.
    Section,
    /// Status or RAG rating.
    Status,
}

impl Field {
    /// Every field, in output order.
    pub const ALL: [Field; 9] = [
        Field::Ref,
        Field::Section,
        Field::Objective,
        Field::Action,
        Field::Lead,
        Field::Due,
        Field::Evidence,
        Field::Xref,
        Field::Status,
    ];

    /// The field's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Field::Ref => "ref",
            Field::Action => "action",
            Field::Lead => "lead",
            Field::Due => "due",
            Field::Evidence => "evidence",
            Field::Xref => "xref",
            Field::Objective => "objective",
            Field::Section => "section",
            Field::Status => "status",
        }
    }

    /// Parse a field name as used in configuration files.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One column of a detected plan.
#[derive(Debug, Clone)]
pub struct Column {
    /// 0-based index in the source table.
    pub index: usize,
    /// Header text as printed.
    pub header: String,
    /// Canonical field, or `None` for a column kept under `extra`.
    pub field: Option<Field>,
    /// Confidence of the mapping, 0 to 1.
    pub confidence: f64,
}

/// One logical row of a plan (wrapped lines already joined).
#[derive(Debug, Clone, Default)]
pub struct PlanRow {
    /// Field -> raw text (lines separated by `\n`, as in the source cells).
    pub values: BTreeMap<Field, String>,
    /// Fields whose value came from a merged cell spanning several rows.
    pub merged: Vec<Field>,
    /// Unmapped columns: header -> text.
    pub extra: BTreeMap<String, String>,
    /// Section heading in force for this row (a section row inside the table, or the plan's).
    pub section: Option<String>,
    /// Where the row starts.
    pub source: Source,
}

/// An action plan: a table (or prose list) whose rows are actions.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Table or prose list.
    pub kind: PlanKind,
    /// Columns with their mappings.
    pub columns: Vec<Column>,
    /// Confidence that this is an action plan.
    pub confidence: f64,
    /// Section heading the plan sits under.
    pub section: Option<String>,
    /// An "Outcome: ..." statement introducing the plan, if any.
    pub objective: Option<String>,
    /// Where the plan starts.
    pub source: Source,
    /// The action rows.
    pub rows: Vec<PlanRow>,
}

impl Plan {
    /// True when some column maps to `field`.
    pub fn has(&self, field: Field) -> bool {
        self.columns.iter().any(|c| c.field == Some(field))
    }
}

/// Find every action plan in the document, in document order.
pub fn detect(document: &Document, opts: &Options) -> Vec<Plan> {
    let _ = (document, opts);
    Vec::new()
}
