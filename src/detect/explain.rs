//! Why each candidate was taken as an action plan or not.
//!
//! Detection looks at every table and list of a document. [`Candidate`] records, for each,
//! whether it became a plan and why (or why not), with the column mappings and their evidence,
//! so that `explain`, the `no-action-plan` finding and the JSON mappings can say in words what
//! was read.

use serde::Serialize;

use super::{Column, Plan};
use crate::document::Source;

/// What kind of thing a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateKind {
    /// A table of the document.
    Table,
    /// A run of list items (bulleted or numbered).
    List,
    /// A group of repeated labelled records.
    Records,
}

/// One table or list of the document, taken as a plan or not.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Table, list or records.
    pub kind: CandidateKind,
    /// Where it starts.
    pub source: Source,
    /// It became (at least part of) a plan.
    pub taken: bool,
    /// Why it was taken or not, in words.
    pub reason: String,
    /// Column mappings with their evidence (taken tables only).
    pub columns: Vec<Column>,
    /// Rows (or items) it holds.
    pub rows: usize,
}

impl Candidate {
    /// A candidate that became `plan`.
    pub fn taken(kind: CandidateKind, plan: &Plan) -> Candidate {
        Candidate {
            kind,
            source: plan.source.clone(),
            taken: true,
            reason: plan.reason.clone(),
            columns: plan.columns.clone(),
            rows: plan.rows.len(),
        }
    }

    /// A candidate left out, with the reason.
    pub fn rejected(kind: CandidateKind, source: Source, rows: usize, reason: String) -> Candidate {
        Candidate {
            kind,
            source,
            taken: false,
            reason,
            columns: Vec::new(),
            rows,
        }
    }
}

/// Every plan found, and every candidate looked at.
#[derive(Debug, Clone, Default)]
pub struct Detection {
    /// The action plans, in document order.
    pub plans: Vec<Plan>,
    /// Every table and list looked at, in document order, taken or not.
    pub candidates: Vec<Candidate>,
}

impl Detection {
    /// One sentence on why no plan was found (for the `no-action-plan` finding), or `None` when
    /// there are plans.
    pub fn why_none(&self) -> Option<String> {
        if !self.plans.is_empty() {
            return None;
        }
        let tables: Vec<&Candidate> = self
            .candidates
            .iter()
            .filter(|c| c.kind == CandidateKind::Table)
            .collect();
        let lists = self
            .candidates
            .iter()
            .filter(|c| c.kind == CandidateKind::List)
            .count();
        if tables.is_empty() && lists == 0 {
            return Some("the document has no tables or lists".to_string());
        }
        let mut parts = Vec::new();
        if !tables.is_empty() {
            let reasons: Vec<String> = tables
                .iter()
                .filter(|c| !c.reason.is_empty())
                .take(3)
                .map(|c| format!("{}: {}", c.source.describe(), c.reason))
                .collect();
            parts.push(format!(
                "{} table{}, none an action plan{}",
                tables.len(),
                if tables.len() == 1 { "" } else { "s" },
                if reasons.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", reasons.join("; "))
                }
            ));
        }
        if lists > 0 {
            parts.push(format!(
                "{lists} list{} whose items do not state actions",
                if lists == 1 { "" } else { "s" }
            ));
        }
        Some(parts.join("; "))
    }
}
