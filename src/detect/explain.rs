//! Why detection took (or did not take) each table and list of a document: the evidence behind
//! `carers-extract explain` and the reason given by the `no-action-plan` finding.
//!
//! Every table of the document and every run of list items is a *candidate*. For each, the
//! explanation says whether it became a plan (and which), why, and for tables each column's
//! header, the field it maps to, the confidence, the reason in words and the configuration line
//! that would map it otherwise. The column evidence is recomputed here from the detector's own
//! public scoring functions ([`header::score`], [`header::profile`], [`header::map_columns`]),
//! so it cannot drift from what detection does; when detection grows richer evidence of its own,
//! [`explain`] is the one place to read it from.

use serde::Serialize;

use crate::detect::header::{self, Profile};
use crate::detect::{prose, table, Column, Field, Plan};
use crate::document::{Block, BlockKind, Document, Source, Table};
use crate::report::PlanKind;
use crate::Options;

/// What detection made of a whole document.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Every table and list candidate, in document order.
    pub candidates: Vec<Candidate>,
    /// Number of plans detection returned.
    pub plans: usize,
}

/// Table or list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateKind {
    /// A table of the document.
    Table,
    /// A run of consecutive list items.
    List,
}

/// One table or list of the document and what detection made of it.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Table or list.
    pub kind: CandidateKind,
    /// 1-based number among the document's tables (or lists).
    pub number: u32,
    /// Where it starts.
    pub source: Source,
    /// Rows (tables) or items (lists).
    pub size: usize,
    /// Whether it became one or more plans.
    pub taken: bool,
    /// The plans (1-based indices, as in the report's `tables`) it became.
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
    /// Why, in words.
    pub reason: String,
    /// A `carers-extract.toml` line that would map this column to another field (or to one at
    /// all).
    pub config: Option<String>,
}

/// Explain detection on a document. `plans` is what [`crate::detect::detect`] returned for it.
pub fn explain(document: &Document, plans: &[Plan], opts: &Options) -> Explanation {
    let mut candidates = Vec::new();
    let mut table_number = 0u32;
    let mut list_number = 0u32;
    let mut heading: Option<String> = None;
    let mut list: Vec<&Block> = Vec::new();
    let mut list_heading: Option<String> = None;
    // Table plans in detection order; each table candidate takes the next ones it yields.
    let mut table_plans = plans
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PlanKind::Table)
        .map(|(i, p)| (i as u32 + 1, p))
        .peekable();
    let any_table_plan = plans.iter().any(|p| p.kind == PlanKind::Table);
    let mut flush = |list: &mut Vec<&Block>, heading: &Option<String>, out: &mut Vec<Candidate>| {
        if list.is_empty() {
            return;
        }
        list_number += 1;
        out.push(list_candidate(
            list,
            heading.as_deref(),
            list_number,
            plans,
            any_table_plan,
        ));
        list.clear();
    };
    for block in &document.blocks {
        if let BlockKind::ListItem { .. } = block.kind {
            if list.is_empty() {
                list_heading = heading.clone();
            }
            list.push(block);
            continue;
        }
        flush(&mut list, &list_heading, &mut candidates);
        match &block.kind {
            BlockKind::Heading { level, text } if *level <= 3 => {
                heading = Some(table::section_name(text));
            }
            BlockKind::Table(t) => {
                table_number += 1;
                let found = table::plans(t, table_number, &table::Surroundings::default(), opts);
                let mut taken = Vec::new();
                for _ in &found {
                    if let Some((i, p)) = table_plans.next() {
                        taken.push((i, p));
                    }
                }
                candidates.push(table_candidate(t, block, table_number, &taken, opts));
            }
            _ => {}
        }
    }
    flush(&mut list, &list_heading, &mut candidates);
    Explanation {
        candidates,
        plans: plans.len(),
    }
}

fn list_candidate(
    items: &[&Block],
    heading: Option<&str>,
    number: u32,
    plans: &[Plan],
    any_table_plan: bool,
) -> Candidate {
    let texts: Vec<&str> = items
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::ListItem { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let sources: Vec<&Source> = items.iter().map(|b| &b.source).collect();
    let same = |a: &Source, b: &Source| {
        a.line == b.line && a.page == b.page && a.paragraph == b.paragraph && a.y == b.y
    };
    let taken: Vec<u32> = plans
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PlanKind::Prose)
        .filter(|(_, p)| {
            p.rows
                .iter()
                .any(|r| sources.iter().any(|s| same(&r.source, s)))
        })
        .map(|(i, _)| i as u32 + 1)
        .collect();
    let prose_items: Vec<prose::Item> = texts
        .iter()
        .zip(&sources)
        .map(|(t, s)| prose::Item { text: t, source: s })
        .collect();
    let under = heading
        .map(|h| format!("under \"{}\"", short(h, 60)))
        .unwrap_or_else(|| "under no heading".into());
    let reason = if !taken.is_empty() {
        format!(
            "{} item(s) {under} read as commitments (\"We will ...\", or imperatives under an action heading)",
            texts.len()
        )
    } else if !prose::is_action_list(&prose_items, heading, false) {
        format!(
            "{} item(s) {under}: too few read as commitments (\"We will ...\", \"... will ...\"), and the heading does not name actions",
            texts.len()
        )
    } else if any_table_plan {
        format!(
            "{} item(s) {under} read as commitments, but the document has action-plan tables and the heading does not name actions",
            texts.len()
        )
    } else {
        format!("{} item(s) {under} were not taken", texts.len())
    };
    Candidate {
        kind: CandidateKind::List,
        number,
        source: items.first().map(|b| b.source.clone()).unwrap_or_default(),
        size: texts.len(),
        taken: !taken.is_empty(),
        plans: taken,
        reason,
        header: Vec::new(),
        columns: Vec::new(),
    }
}

fn table_candidate(
    t: &Table,
    block: &Block,
    number: u32,
    taken: &[(u32, &Plan)],
    opts: &Options,
) -> Candidate {
    let source = t
        .rows
        .first()
        .map(|r| r.source.clone())
        .unwrap_or_else(|| block.source.clone());
    let rows_of = |p: &Plan| p.rows.len();
    if let Some((_, first)) = taken.first() {
        let header: Vec<String> = first.columns.iter().map(|c| c.header.clone()).collect();
        let values = column_values(t, first);
        let columns = first
            .columns
            .iter()
            .map(|c| column_evidence(c, &first.columns, values.get(c.index), opts))
            .collect();
        let n: usize = taken.iter().map(|(_, p)| rows_of(p)).sum();
        let reason = if n == 0 {
            format!(
                "its header has {} but no row under it",
                fields_phrase(&first.columns)
            )
        } else {
            format!(
                "its header has {} (plan confidence {:.2}); {n} row(s) taken",
                fields_phrase(&first.columns),
                first.confidence
            )
        };
        return Candidate {
            kind: CandidateKind::Table,
            number,
            source,
            size: t.rows.len(),
            taken: true,
            plans: taken.iter().map(|(i, _)| *i).collect(),
            reason,
            header,
            columns,
        };
    }
    // Not taken: the row among the first ones that names the most fields stands for the header.
    let texts: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.trim().to_string()).collect())
        .collect();
    let mut best: Option<(usize, Vec<Column>)> = None;
    for (r, cells) in texts.iter().enumerate().take(15) {
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let below = &texts[r + 1..texts.len().min(r + 40)];
        let profiles: Vec<Profile> = (0..cells.len())
            .map(|k| header::profile(below.iter().filter_map(|c| c.get(k).map(String::as_str))))
            .collect();
        let cols = header::map_columns(cells, &profiles, &opts.header_synonyms);
        let named = cols.iter().filter(|c| c.field.is_some()).count();
        if best
            .as_ref()
            .is_none_or(|(_, b)| named > b.iter().filter(|c| c.field.is_some()).count())
        {
            best = Some((r, cols));
        }
    }
    let Some((r, cols)) = best else {
        return Candidate {
            kind: CandidateKind::Table,
            number,
            source,
            size: t.rows.len(),
            taken: false,
            plans: Vec::new(),
            reason: "the table is empty".into(),
            header: Vec::new(),
            columns: Vec::new(),
        };
    };
    let header = texts[r].clone();
    let has = |f: Field| cols.iter().any(|c| c.field == Some(f));
    let shown = quoted_row(&header);
    let reason = if !cols.iter().any(|c| c.field.is_some()) {
        format!("no row reads as an action-plan header; the likeliest, {shown}, names no field")
    } else if !has(Field::Action) && !has(Field::Objective) {
        format!(
            "no action column: the likeliest header, {shown}, has {}",
            fields_phrase(&cols)
        )
    } else if !has(Field::Lead) && !has(Field::Due) && !has(Field::Evidence) {
        format!(
            "no lead, deadline or evidence column: the likeliest header, {shown}, has {}",
            fields_phrase(&cols)
        )
    } else {
        format!(
            "the likeliest header, {shown}, has {} but too weakly to be taken as an action plan",
            fields_phrase(&cols)
        )
    };
    let values: Vec<Vec<String>> = (0..header.len())
        .map(|k| {
            texts[r + 1..]
                .iter()
                .filter_map(|c| c.get(k).cloned())
                .collect()
        })
        .collect();
    let columns = cols
        .iter()
        .map(|c| column_evidence(c, &cols, values.get(c.index), opts))
        .collect();
    Candidate {
        kind: CandidateKind::Table,
        number,
        source,
        size: t.rows.len(),
        taken: false,
        plans: Vec::new(),
        reason,
        header,
        columns,
    }
}

/// The texts of each column of a taken table, from the plan's rows.
fn column_values(t: &Table, plan: &Plan) -> Vec<Vec<String>> {
    let width = plan.columns.iter().map(|c| c.index + 1).max().unwrap_or(0);
    let mut out = vec![Vec::new(); width];
    for row in &t.rows {
        for (k, cell) in row.cells.iter().enumerate().take(width) {
            let text = cell.text.trim();
            // Header cells (the first and any repeated one) are not content.
            if plan
                .columns
                .iter()
                .any(|c| c.index == k && c.header == text)
            {
                continue;
            }
            out[k].push(text.to_string());
        }
    }
    out
}

fn column_evidence(
    c: &Column,
    all: &[Column],
    values: Option<&Vec<String>>,
    opts: &Options,
) -> ColumnEvidence {
    let scores = header::score(&c.header, &opts.header_synonyms);
    let prof = values
        .map(|v| header::profile(v.iter().map(String::as_str)))
        .unwrap_or_default();
    let header_score = |f: Field| {
        scores
            .iter()
            .find(|(g, _)| *g == f)
            .map(|(_, v)| *v)
            .unwrap_or(0.0)
    };
    let shown = if c.header.is_empty() {
        "(no header)".to_string()
    } else {
        format!("\"{}\"", short(&c.header, 40))
    };
    let reason = match c.field {
        Some(f) => {
            let hs = header_score(f);
            if hs >= 0.45 {
                let mut r = format!("header {shown} reads as {} (score {hs:.2})", f.name());
                if f == Field::Due && prof.due > 0.0 {
                    r.push_str(&format!(
                        "; {:.0}% of its cells are deadlines",
                        100.0 * prof.due
                    ));
                }
                r
            } else if f == Field::Action && header_score(Field::Objective) >= 0.45 {
                format!(
                    "header {shown} reads as objective ({:.2}); with no action column, the objective column stands in for the actions",
                    header_score(Field::Objective)
                )
            } else if f == Field::Due {
                format!(
                    "content: {:.0}% of its cells are deadlines",
                    100.0 * prof.due
                )
            } else if f == Field::Ref {
                format!(
                    "content: {:.0}% of its cells are row numbers or codes",
                    100.0 * prof.reference
                )
            } else {
                format!("mapped to {} by the column's content", f.name())
            }
        }
        None => match scores.first() {
            None if c.header.trim().is_empty() => {
                "no header and nothing telling in its cells".into()
            }
            None => format!("header {shown} matches no field's vocabulary"),
            Some((f, v)) => {
                let owner = all
                    .iter()
                    .find(|o| o.field == Some(*f) && o.index != c.index);
                match owner {
                    Some(o) => format!(
                        "header {shown} reads as {} ({v:.2}), but column {} (\"{}\") took {} with {:.2}",
                        f.name(),
                        o.index + 1,
                        short(&o.header, 30),
                        f.name(),
                        o.confidence
                    ),
                    None => format!(
                        "header {shown} reads as {} too weakly ({v:.2}, below 0.45)",
                        f.name()
                    ),
                }
            }
        },
    };
    let config = (!c.header.trim().is_empty()).then(|| {
        let target = match c.field {
            // Mapped: the line that would send it to the next-best field.
            Some(f) => scores.iter().map(|(g, _)| *g).find(|g| *g != f).unwrap_or(
                if f == Field::Evidence {
                    Field::Xref
                } else {
                    Field::Evidence
                },
            ),
            // Unmapped: its best field, else the first of lead / due / evidence the plan lacks.
            None => scores.first().map(|(g, _)| *g).unwrap_or_else(|| {
                if prof.due >= 0.5 {
                    Field::Due
                } else {
                    [Field::Lead, Field::Due, Field::Evidence, Field::Xref]
                        .into_iter()
                        .find(|f| !all.iter().any(|o| o.field == Some(*f)))
                        .unwrap_or(Field::Evidence)
                }
            }),
        };
        format!(
            "[headers] {} = [\"{}\"]",
            target.name(),
            c.header.trim().replace('\\', "\\\\").replace('"', "\\\"")
        )
    });
    ColumnEvidence {
        column: c.index,
        header: c.header.clone(),
        field: c.field.map(|f| f.name().to_string()),
        confidence: (c.confidence * 100.0).round() / 100.0,
        reason,
        config,
    }
}

fn fields_phrase(cols: &[Column]) -> String {
    let fields: Vec<String> = cols
        .iter()
        .filter_map(|c| {
            c.field
                .map(|f| format!("{} (\"{}\")", f.name(), short(&c.header, 24)))
        })
        .collect();
    if fields.is_empty() {
        "no mapped column".into()
    } else {
        fields.join(", ")
    }
}

fn quoted_row(cells: &[String]) -> String {
    let shown: Vec<String> = cells
        .iter()
        .filter(|c| !c.trim().is_empty())
        .take(8)
        .map(|c| short(c, 30))
        .collect();
    format!("\"{}\"", shown.join(" | "))
}

fn short(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Why a document yielded no action, in one sentence (the `no-action-plan` finding's reason):
/// how many tables and lists there were, and for the first few what kept them out.
pub fn no_plan_reason(document: &Document, plans: &[Plan], opts: &Options) -> String {
    if document.blocks.is_empty() {
        return "the document has no text".into();
    }
    let e = explain(document, plans, opts);
    let tables: Vec<&Candidate> = e
        .candidates
        .iter()
        .filter(|c| c.kind == CandidateKind::Table && !c.taken)
        .collect();
    let lists: Vec<&Candidate> = e
        .candidates
        .iter()
        .filter(|c| c.kind == CandidateKind::List && !c.taken)
        .collect();
    let mut parts = Vec::new();
    if !plans.is_empty() {
        let mut where_: Vec<String> = plans.iter().map(|p| p.source.describe()).collect();
        where_.dedup();
        parts.push(format!(
            "{} action-plan header{} found ({}) but no row under {}",
            plans.len(),
            if plans.len() == 1 { "" } else { "s" },
            where_.join("; "),
            if plans.len() == 1 { "it" } else { "them" }
        ));
    }
    if tables.is_empty() {
        if plans.is_empty() {
            parts.push("no tables".to_string());
        }
    } else {
        let mut t = format!(
            "{} {}table{}, none an action plan",
            tables.len(),
            if plans.is_empty() { "" } else { "other " },
            if tables.len() == 1 { "" } else { "s" }
        );
        let shown: Vec<String> = tables
            .iter()
            .take(3)
            .map(|c| format!("table {} ({}): {}", c.number, c.source.describe(), c.reason))
            .collect();
        t.push_str(": ");
        t.push_str(&shown.join("; "));
        if tables.len() > 3 {
            t.push_str(&format!("; and {} more", tables.len() - 3));
        }
        parts.push(t);
    }
    if lists.is_empty() {
        parts.push("no bulleted or numbered lists".into());
    } else {
        let items: usize = lists.iter().map(|c| c.size).sum();
        parts.push(format!(
            "{} list{} ({items} item{}), none reading as a list of actions",
            lists.len(),
            if lists.len() == 1 { "" } else { "s" },
            if items == 1 { "" } else { "s" }
        ));
    }
    let paragraphs = document
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph { .. }))
        .count();
    format!(
        "{}; {paragraphs} paragraph{} of prose",
        parts.join("; "),
        if paragraphs == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Row, Table};

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
        let plans = crate::detect::detect(&doc, &opts);
        assert!(plans.is_empty());
        let why = no_plan_reason(&doc, &plans, &opts);
        assert!(why.starts_with("1 table, none an action plan"), "{why}");
        assert!(why.contains("no action column"), "{why}");
        assert!(why.contains("Indicator | Baseline | Target"), "{why}");
        let e = explain(&doc, &plans, &opts);
        assert_eq!(e.candidates.len(), 1);
        assert!(!e.candidates[0].taken);
        let target = &e.candidates[0].columns[2];
        assert_eq!(target.field, None);
        assert!(target
            .config
            .as_deref()
            .unwrap()
            .ends_with("= [\"Target\"]"));
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
        let plans = crate::detect::detect(&doc, &opts);
        let e = explain(&doc, &plans, &opts);
        let c = &e.candidates[0];
        assert!(c.taken, "{c:?}");
        assert_eq!(c.plans, vec![1]);
        let how = c.columns.iter().find(|k| k.header == "How").unwrap();
        assert_eq!(how.field, None);
        assert!(how.config.as_deref().unwrap().ends_with("= [\"How\"]"));
        let lead = c.columns.iter().find(|k| k.header == "Lead").unwrap();
        assert_eq!(lead.field.as_deref(), Some("lead"));
        assert!(lead.reason.contains("reads as lead"), "{}", lead.reason);
    }
}
