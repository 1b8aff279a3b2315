//! Action-plan detection: which tables (and prose lists) of a [`Document`] are action plans,
//! which column holds which field, and which physical rows make one logical row.

pub mod assign;
pub mod explain;
pub mod header;
pub mod inline;
pub mod lists;
pub mod profile;
pub mod prose;
pub mod records;
pub mod rows;
pub mod table;

use std::collections::{BTreeMap, HashSet};

use crate::document::{BlockKind, Document, Source};
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
    /// What the header's words say for the mapped field, 0 to 1 (0 when unmapped).
    pub header_score: f64,
    /// How typical the column's content is of the mapped field, 0 to 1.
    pub content_score: f64,
    /// Why the column was mapped (or left unmapped), in words.
    pub reason: String,
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
    /// Why this was taken as an action plan, in words.
    pub reason: String,
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
    detect_explained(document, opts).plans
}

/// Find every action plan in the document, and say for every table and list whether it was
/// taken and why.
pub fn detect_explained(document: &Document, opts: &Options) -> explain::Detection {
    use explain::{Candidate, CandidateKind};
    let mut candidates: Vec<Candidate> = Vec::new();
    let definitions = definitions(document);
    let mut plans: Vec<Plan> = Vec::new();
    // Block index of each plan's start (document order), and blocks taken by plans.
    let mut order: Vec<usize> = Vec::new();
    let mut taken: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let mut list_blocks: Vec<usize> = Vec::new();
    let mut around = table::Surroundings::default();
    let mut heading: Option<String> = None;
    let mut table_index = 0u32;
    let mut list: Vec<prose::Item> = Vec::new();
    let mut list_section: (Option<String>, Option<String>) = (None, None);

    let flush = |list: &mut Vec<prose::Item>,
                 list_blocks: &mut Vec<usize>,
                 plans: &mut Vec<Plan>,
                 order: &mut Vec<usize>,
                 taken: &mut std::collections::HashSet<usize>,
                 candidates: &mut Vec<Candidate>,
                 heading: &Option<String>,
                 ctx: &(Option<String>, Option<String>)| {
        if list.is_empty() {
            return;
        }
        let blocks = std::mem::take(list_blocks);
        if !prose::is_action_list(list, heading.as_deref(), false) {
            candidates.push(Candidate::rejected(
                CandidateKind::List,
                list[0].source.clone(),
                list.len(),
                format!(
                    "{} list items{}: they do not read as commitments (\"We will ...\")",
                    list.len(),
                    heading
                        .as_deref()
                        .map(|h| format!(" under \"{h}\""))
                        .unwrap_or_default()
                ),
            ));
        } else {
            // Lists under a heading that is not about actions only count when the document has
            // no action-plan table (checked at the end).
            let confidence = if prose::is_action_list(list, heading.as_deref(), true) {
                0.8
            } else {
                0.6
            };
            // Consecutive lists under one heading form one plan.
            match plans.last_mut() {
                Some(p)
                    if p.kind == crate::report::PlanKind::Prose
                        && p.section == ctx.0
                        && p.rows.last().is_some_and(|r| r.section == ctx.0) =>
                {
                    let extra = prose::plan(list, ctx.0.clone(), ctx.1.clone(), 0, opts);
                    p.rows.extend(extra.rows);
                    taken.extend(blocks);
                }
                _ => {
                    let mut p = prose::plan(list, ctx.0.clone(), ctx.1.clone(), 0, opts);
                    p.confidence = confidence;
                    candidates.push(Candidate::taken(CandidateKind::List, &p));
                    order.push(blocks[0]);
                    taken.extend(blocks);
                    plans.push(p);
                }
            }
        }
        list.clear();
    };

    for (bi, block) in document.blocks.iter().enumerate() {
        match &block.kind {
            BlockKind::ListItem { text, .. } => {
                list_blocks.push(bi);
                if list.is_empty() {
                    list_section = (around.section.clone(), around.objective.clone());
                }
                list.push(prose::Item {
                    text,
                    source: &block.source,
                });
                continue;
            }
            _ => flush(
                &mut list,
                &mut list_blocks,
                &mut plans,
                &mut order,
                &mut taken,
                &mut candidates,
                &heading,
                &list_section,
            ),
        }
        match &block.kind {
            BlockKind::Heading { level, text } => {
                if let Some(outcome) = outcome_statement(text) {
                    // "Outcome: ..." names its theme when the document defines it elsewhere.
                    if let Some(name) = match_definition(&outcome, &definitions) {
                        around.section = Some(name);
                    }
                    around.objective = Some(outcome);
                } else if *level <= 3 {
                    let t = table::section_name(text);
                    around.section = Some(t.clone());
                    around.objective = None;
                    heading = Some(t);
                }
            }
            BlockKind::Table(t) => {
                table_index += 1;
                match table::plans(t, table_index, &around, opts) {
                    Ok(found) => {
                        if let Some(last) = found.last() {
                            around.previous_labels =
                                Some(last.columns.iter().map(|c| c.header.clone()).collect());
                        }
                        for p in &found {
                            candidates.push(Candidate::taken(CandidateKind::Table, p));
                            order.push(bi);
                        }
                        taken.insert(bi);
                        plans.extend(found);
                    }
                    Err(why) => candidates.push(Candidate::rejected(
                        CandidateKind::Table,
                        Source {
                            table: Some(table_index),
                            ..block.source.clone()
                        },
                        t.rows.len(),
                        why.unwrap_or_else(|| {
                            "no row reads as a header naming an action column and a lead, due or evidence column".to_string()
                        }),
                    )),
                }
            }
            _ => {}
        }
    }
    flush(
        &mut list,
        &mut list_blocks,
        &mut plans,
        &mut order,
        &mut taken,
        &mut candidates,
        &heading,
        &list_section,
    );
    // Records: actions printed as repeated sets of labels (mini-tables, label columns,
    // "Lead:" paragraphs), from blocks no table plan took.
    let (found, rejected) = records::find(&document.blocks, &|i| taken.contains(&i), opts);
    for r in found {
        candidates.push(Candidate::taken(CandidateKind::Records, &r.plan));
        taken.extend(r.blocks);
        order.push(r.block);
        plans.push(r.plan);
    }
    for r in rejected {
        if r.records >= 2 {
            candidates.push(Candidate::rejected(
                CandidateKind::Records,
                r.source,
                r.records,
                r.reason,
            ));
        }
    }
    // Numbered, lettered, bulleted and labelled action lists.
    let (found, rejected) = lists::find(&document.blocks, &|i| taken.contains(&i), opts);
    for l in found {
        candidates.push(Candidate::taken(CandidateKind::List, &l.plan));
        taken.extend(l.blocks);
        order.push(l.block);
        plans.push(l.plan);
    }
    for r in rejected {
        candidates.push(Candidate::rejected(
            CandidateKind::List,
            r.source,
            r.items,
            r.reason,
        ));
    }
    // Document order.
    let mut ordered: Vec<(usize, Plan)> = order.into_iter().zip(plans).collect();
    ordered.sort_by_key(|(b, _)| *b);
    let mut plans: Vec<Plan> = ordered.into_iter().map(|(_, p)| p).collect();
    use crate::report::PlanKind;
    // Lists under headings that do not name actions count only when the document has no
    // table or records plan.
    if plans
        .iter()
        .any(|p| matches!(p.kind, PlanKind::Table | PlanKind::Records))
    {
        plans.retain(|p| {
            matches!(p.kind, PlanKind::Table | PlanKind::Records) || p.confidence >= 0.8
        });
    }
    drop_summaries(&mut plans);
    for (k, p) in plans.iter_mut().enumerate() {
        let index = k as u32 + 1;
        if p.kind != PlanKind::Table {
            p.source.table = Some(index);
            for (r, row) in p.rows.iter_mut().enumerate() {
                row.source.table = Some(index);
                row.source.row = Some(r as u32 + 1);
            }
        }
    }
    explain::Detection { plans, candidates }
}

/// Lists that repeat a document's table or records plans are summaries of them (an executive
/// summary's "top priority actions", a list of the plan's goal areas): list items whose text is
/// an action, section or objective of such a plan are dropped, and a list that loses half its
/// items goes whole.
fn drop_summaries(plans: &mut Vec<Plan>) {
    use crate::report::PlanKind;
    let norm = |t: &str| -> String {
        let ws: Vec<String> = t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .take(12)
            .collect();
        ws.join(" ")
    };
    let mut known: HashSet<String> = HashSet::new();
    for p in plans
        .iter()
        .filter(|p| matches!(p.kind, PlanKind::Table | PlanKind::Records))
    {
        if let Some(s) = &p.section {
            known.insert(norm(s));
        }
        for r in &p.rows {
            for f in [Field::Action, Field::Objective] {
                if let Some(v) = r.values.get(&f) {
                    known.insert(norm(v));
                }
            }
            if let Some(s) = &r.section {
                known.insert(norm(s));
            }
        }
    }
    known.retain(|k| k.split(' ').count() >= 3);
    if known.is_empty() {
        return;
    }
    plans.retain_mut(|p| {
        if p.kind != PlanKind::List {
            return true;
        }
        let before = p.rows.len();
        // An item with a reference of its own ("All-1.2") is the plan's numbered statement of
        // the action, which a table may then detail; only unnumbered repeats are summaries.
        p.rows.retain(|r| {
            r.values.contains_key(&Field::Ref)
                || !r
                    .values
                    .get(&Field::Action)
                    .is_some_and(|a| known.contains(&norm(a)))
        });
        !p.rows.is_empty() && p.rows.len() * 2 > before
    });
}

/// The statement of an "Outcome: ..." heading.
fn outcome_statement(text: &str) -> Option<String> {
    let (name, outcome) = table::split_caption(text);
    if name.is_none() && outcome.is_some() {
        outcome
    } else {
        None
    }
}

/// "Name: description" paragraphs, such as a strategy's list of outcomes.
fn definitions(document: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in &document.blocks {
        if let BlockKind::Paragraph { text } | BlockKind::ListItem { text, .. } = &b.kind {
            if let Some((name, desc)) = text.split_once(':') {
                let name = name.trim();
                let words = name.split_whitespace().count();
                if (1..=6).contains(&words)
                    && name.chars().next().is_some_and(char::is_uppercase)
                    && desc.split_whitespace().count() >= 5
                {
                    out.push((name.to_string(), desc.trim().to_string()));
                }
            }
        }
    }
    out
}

fn match_definition(outcome: &str, defs: &[(String, String)]) -> Option<String> {
    let a = header::words(outcome);
    defs.iter()
        .map(|(n, d)| (n, token_f1(&a, &header::words(d))))
        .filter(|(_, s)| *s >= 0.6)
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .map(|(n, _)| n.clone())
}

fn token_f1(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut counts: std::collections::HashMap<&str, i32> = std::collections::HashMap::new();
    for t in a {
        *counts.entry(t).or_default() += 1;
    }
    let mut common = 0;
    for t in b {
        if let Some(c) = counts.get_mut(t.as_str()) {
            if *c > 0 {
                *c -= 1;
                common += 1;
            }
        }
    }
    if common == 0 {
        return 0.0;
    }
    let p = common as f64 / b.len() as f64;
    let r = common as f64 / a.len() as f64;
    2.0 * p * r / (p + r)
}
