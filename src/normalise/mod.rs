//! Normalisation: a detected [`Plan`]'s rows become schema [`Action`]s.
//!
//! Text is cleaned ([`text`]), leads split into parties ([`lead`]), deadlines parsed
//! ([`due`]) and cross-references split against the document's own theme names ([`xref`]).

pub mod due;
pub mod lead;
pub mod text;
pub mod xref;

use std::collections::BTreeMap;

use crate::detect::{Field, Plan};
use crate::document::{BlockKind, Document};
use crate::report::{Action, ColumnMapping, PlanInfo};

/// Document-wide knowledge used while normalising (theme names for splitting cross-references).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Names of the document's themes / outcomes, as printed.
    pub themes: Vec<String>,
}

impl Context {
    /// Collect theme names: short headings and the names of "Name: description" paragraphs.
    pub fn from_document(document: &Document) -> Context {
        let mut themes: Vec<String> = Vec::new();
        let mut add = |t: &str| {
            let t = text::clean_line(t);
            let t = t.trim_end_matches([':', '.']).trim().to_string();
            let words = t.split_whitespace().count();
            if (1..=6).contains(&words) && !themes.contains(&t) {
                themes.push(t);
            }
        };
        for b in &document.blocks {
            match &b.kind {
                BlockKind::Heading { text, .. } => add(text),
                BlockKind::Paragraph { text } | BlockKind::ListItem { text, .. } => {
                    if let Some((name, rest)) = text.split_once(':') {
                        if rest.split_whitespace().count() >= 5 {
                            add(name);
                        }
                    }
                }
                _ => {}
            }
        }
        Context { themes }
    }
}

fn value(row: &crate::detect::PlanRow, f: Field) -> Option<&str> {
    row.values
        .get(&f)
        .map(String::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Normalise every plan: plan descriptions and actions (gaps are filled in by [`crate::gaps`]).
pub fn normalise_plans(plans: &[Plan], context: &Context) -> (Vec<PlanInfo>, Vec<Action>) {
    let mut infos = Vec::new();
    // Sized once: growing by doubling held up to three times the actions of a long table.
    let mut actions = Vec::with_capacity(plans.iter().map(|p| p.rows.len()).sum());
    for (k, plan) in plans.iter().enumerate() {
        let index = k as u32 + 1;
        let mut columns = BTreeMap::new();
        let mut mappings = Vec::new();
        for c in &plan.columns {
            if let Some(f) = c.field {
                columns.insert(f.name().to_string(), c.header.clone());
            }
            mappings.push(ColumnMapping {
                column: c.index,
                header: c.header.clone(),
                field: c.field.map(|f| f.name().to_string()),
                confidence: (c.confidence * 100.0).round() / 100.0,
                header_score: (c.header_score * 100.0).round() / 100.0,
                content_score: (c.content_score * 100.0).round() / 100.0,
                reason: c.reason.clone(),
            });
        }
        infos.push(PlanInfo {
            index,
            kind: plan.kind,
            columns,
            mappings,
            confidence: (plan.confidence * 100.0).round() / 100.0,
            reason: plan.reason.clone(),
            section: plan.section.clone(),
            source: crate::document::Source {
                table: Some(index),
                ..plan.source.clone()
            },
            actions: plan.rows.len(),
        });
        for (r, row) in plan.rows.iter().enumerate() {
            actions.push(action(index, r as u32 + 1, plan, row, context));
        }
    }
    (infos, actions)
}

fn action(
    plan_index: u32,
    row_index: u32,
    plan: &Plan,
    row: &crate::detect::PlanRow,
    context: &Context,
) -> Action {
    let action_items = value(row, Field::Action)
        .map(text::items)
        .unwrap_or_default();
    let lead = value(row, Field::Lead).and_then(text::joined);
    let due_raw = value(row, Field::Due).and_then(text::joined);
    let parsed = due_raw.as_deref().map(due::parse);
    let xref_raw = value(row, Field::Xref)
        .map(|x| text::join_lines(x.lines()))
        .filter(|s| !s.is_empty());
    let objective = value(row, Field::Objective)
        .and_then(text::joined)
        .map(|o| crate::detect::rows::without_outline_number(&o).to_string())
        .or_else(|| plan.objective.clone());
    let mut source = row.source.clone();
    source.table = source.table.or(Some(plan_index));
    Action {
        id: format!("p{plan_index}-r{row_index}"),
        table: plan_index,
        row: row_index,
        reference: value(row, Field::Ref)
            .map(|s| text::clean_line(s).trim_end_matches(['.', ')']).to_string()),
        section: row.section.clone().map(|s| text::clean_line(&s)),
        objective,
        action: if action_items.is_empty() {
            None
        } else {
            Some(action_items.join("; "))
        },
        action_items,
        leads: lead.as_deref().map(lead::parties).unwrap_or_default(),
        lead,
        due_kind: parsed.as_ref().map(|d| d.kind),
        due_date: parsed.as_ref().and_then(|d| d.date).map(|d| d.to_string()),
        due_precision: parsed.as_ref().and_then(|d| d.precision),
        due: due_raw,
        evidence: value(row, Field::Evidence).and_then(text::joined),
        xrefs: value(row, Field::Xref)
            .map(|x| xref::split(x, &context.themes))
            .unwrap_or_default(),
        xref: xref_raw,
        status: value(row, Field::Status).and_then(text::joined),
        extra: row
            .extra
            .iter()
            .filter_map(|(k, v)| text::joined(v).map(|v| (k.clone(), v)))
            .collect(),
        source,
        gaps: Vec::new(),
    }
}
