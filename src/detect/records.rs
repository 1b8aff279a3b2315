//! Records: plans printed one action at a time, as the same set of labels repeated.
//!
//! Three shapes carry records in the document model:
//!
//! * a small table per action: label/value rows ("Strategy | Solar survey ...") and/or a row of
//!   labels over one row of values ("Timeline | Lead Agency" / "Short-term | City");
//! * a two-column table whose first column repeats a set of labels ("Action | ...", "Lead |
//!   ...", "Action | ...": one sheet row per field);
//! * "Label: value" paragraphs ("Action: ...", "Lead: ...", "Deadline: ..."), a record ending
//!   where a label comes round again; a heading before a record is its title.
//!
//! Consecutive records whose label sets agree form a group; the group's labels are mapped to
//! fields with the same header-and-content evidence as table columns ([`super::assign`]), a
//! record's title standing in as the action when no label names one. Each record is one action.

use std::collections::HashSet;

use super::assign;
use super::header;
use super::profile::{self, Profile};
use super::{Field, Plan, PlanRow};
use crate::document::{Block, BlockKind, Source, Table};
use crate::report::PlanKind;

/// One action printed as labelled fields.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// (label, value) pairs in printed order.
    pub pairs: Vec<(String, String)>,
    /// A title printed over the fields (a spanning first row, a heading).
    pub title: Option<String>,
    /// Where the record starts.
    pub source: Source,
    /// The block it starts in.
    pub block: usize,
}

impl Record {
    fn labels(&self) -> HashSet<String> {
        self.pairs.iter().map(|(l, _)| key(l)).collect()
    }
}

fn key(label: &str) -> String {
    header::words(label).join(" ")
}

/// Is a cell a label: a short name, not a sentence, not data?
fn is_label(text: &str) -> bool {
    let t = text.trim().trim_end_matches(':').trim();
    let words = t.split_whitespace().count();
    if words == 0 || words > 6 || t.chars().count() > 50 || t.ends_with('.') {
        return false;
    }
    let k = profile::classify(t);
    !(k.due || k.code || k.number)
        && t.chars().next().is_some_and(|c| c.is_uppercase())
        // "Lead Agency", "Impact on GHG" open with words that can be verbs; a label that is an
        // instruction is a longer clause.
        && !(k.imperative && words > 3)
        && !profile::opens_sentence(t)
}

fn texts(t: &Table, r: usize) -> Vec<String> {
    t.rows[r]
        .cells
        .iter()
        .map(|c| c.text.trim().to_string())
        .collect()
}

/// A small table read as one record, or `None` when it is not one.
pub fn from_table(t: &Table, block: usize, source: &Source) -> Option<Record> {
    if t.rows.is_empty() || t.rows.len() > 12 {
        return None;
    }
    // A first column that names the same label twice holds several records (one row per
    // field): that is `from_label_column`'s shape.
    let mut seen = HashSet::new();
    for row in &t.rows {
        let first = row.cells.first().map(|c| key(&c.text)).unwrap_or_default();
        if !first.is_empty() && !seen.insert(first) {
            return None;
        }
    }
    let mut rec = Record {
        source: source.clone(),
        block,
        ..Record::default()
    };
    let mut r = 0;
    while r < t.rows.len() {
        let cells = texts(t, r);
        let filled: Vec<(usize, &String)> = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .collect();
        match filled.len() {
            0 => {}
            1 => {
                // A spanning first row is the record's title.
                if rec.pairs.is_empty() && rec.title.is_none() {
                    rec.title = Some(filled[0].1.clone());
                } else {
                    return None;
                }
            }
            _ => {
                let all_labels = filled.iter().all(|(_, c)| is_label(c));
                let next = (r + 1 < t.rows.len()).then(|| texts(t, r + 1));
                // Labels over one row of values.
                if all_labels && filled.len() >= 2 {
                    let values = next?;
                    if values.iter().filter(|v| !v.is_empty()).count() == 0
                        || values
                            .iter()
                            .filter(|v| !v.is_empty())
                            .all(|v| is_label(v) && !profile::classify(v).org)
                            && r + 2 < t.rows.len()
                    {
                        return None;
                    }
                    for (k, label) in &filled {
                        let v = values.get(*k).cloned().unwrap_or_default();
                        rec.pairs.push((label.to_string(), v));
                    }
                    r += 2;
                    continue;
                }
                // A label and its value (one value, perhaps spanning the rest of the row).
                if is_label(filled[0].1) && filled[0].0 == 0 && filled.len() == 2 {
                    let value = filled[1..]
                        .iter()
                        .map(|(_, c)| c.as_str())
                        .collect::<Vec<_>>()
                        .join("\n");
                    rec.pairs.push((filled[0].1.clone(), value));
                } else {
                    return None;
                }
            }
        }
        r += 1;
    }
    (rec.pairs.len() >= 2 || (rec.pairs.len() == 1 && rec.title.is_some())).then_some(rec)
}

/// A two-column table whose first column repeats its labels: one record per repetition.
pub fn from_label_column(t: &Table, block: usize) -> Vec<Record> {
    let rows: Vec<Vec<String>> = (0..t.rows.len()).map(|r| texts(t, r)).collect();
    let labelled = rows
        .iter()
        .filter(|c| c.len() >= 2 && is_label(&c[0]) && c[1..].iter().any(|x| !x.is_empty()))
        .count();
    if labelled < 4
        || labelled * 10
            < rows
                .iter()
                .filter(|c| c.iter().any(|x| !x.is_empty()))
                .count()
                * 8
    {
        return Vec::new();
    }
    let mut out: Vec<Record> = Vec::new();
    let mut cur = Record::default();
    for (r, cells) in rows.iter().enumerate() {
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if cells.len() < 2 || !is_label(&cells[0]) {
            // A lone line between records is the next record's title.
            if cells.iter().filter(|c| !c.is_empty()).count() == 1 {
                if !cur.pairs.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.title = cells.iter().find(|c| !c.is_empty()).cloned();
                cur.source = t.rows[r].source.clone();
                cur.block = block;
                continue;
            }
            return Vec::new();
        }
        let label = cells[0].trim_end_matches(':').trim().to_string();
        if cur.pairs.iter().any(|(l, _)| key(l) == key(&label)) {
            out.push(std::mem::take(&mut cur));
        }
        if cur.pairs.is_empty() && cur.title.is_none() {
            cur.source = t.rows[r].source.clone();
            cur.block = block;
        }
        let value = cells[1..]
            .iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        cur.pairs.push((label, value));
    }
    if !cur.pairs.is_empty() {
        out.push(cur);
    }
    // The labels must come round again.
    if out.len() < 2 {
        return Vec::new();
    }
    out
}

/// "Label: value" of a paragraph, when the part before the colon is a label.
pub fn label_pair(text: &str) -> Option<(String, String)> {
    let (label, value) = text.split_once(':')?;
    let label = label.trim();
    let value = value.trim();
    // A label with a number ("Action 3.2:", "Measure Temp-4:") names an entry of a labelled
    // list (see `lists`), not a field of a record.
    let numbered = label.chars().any(|c| c.is_ascii_digit());
    (is_label(label) && !numbered && !value.is_empty() && label.split_whitespace().count() <= 4)
        .then(|| (label.to_string(), value.to_string()))
}

/// A paragraph that holds several fields run together ("Action: Recruit ... Lead: Carers
/// Service Deadline: March 2027", as text and Markdown join lines): the value of a label pair
/// is cut again wherever one to three capitalised words before a colon name a field by the
/// header vocabulary ("Lead:", "By when:").
pub(crate) fn split_fields(
    (label, value): (String, String),
    opts: &crate::Options,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut label = label;
    // The value of `label` runs from `from` to the next colon that ends a field label. Offsets,
    // not copies of the rest, and only the last words before each colon are looked at: linear
    // in the paragraph (a 2 MB paragraph of colons took a minute; found by scripts/mutate.py).
    let mut from = 0;
    let mut search = 0;
    while let Some(off) = value[search..].find(':') {
        let colon = search + off;
        search = colon + 1;
        let before = &value[from..colon];
        // The last four words (three for the label, and one to show a value precedes it).
        let mut words: Vec<(usize, &str)> = before
            .split_whitespace()
            .rev()
            .take(4)
            .map(|w| (w.as_ptr() as usize - before.as_ptr() as usize, w))
            .collect();
        words.reverse();
        for n in 1..=3usize.min(words.len().saturating_sub(1)) {
            let (start, first) = words[words.len() - n];
            let candidate = before[start..].trim();
            let names = first.starts_with(char::is_uppercase)
                && !candidate
                    .chars()
                    .any(|c| c.is_ascii_digit() || "()[]".contains(c))
                && label_field(candidate, opts).is_some();
            if !names {
                continue;
            }
            let field_value = before[..start].trim();
            if field_value.is_empty() || value[colon + 1..].trim().is_empty() {
                continue;
            }
            out.push((label, field_value.to_string()));
            label = candidate.to_string();
            from = colon + 1;
            break;
        }
    }
    out.push((label, value[from..].trim().to_string()));
    out
}

/// Does a label name a field of a row (action, lead, due, evidence, status), not a section?
fn names_row_field(label: &str, opts: &crate::Options) -> bool {
    matches!(
        label_field(label, opts),
        Some(Field::Action | Field::Lead | Field::Due | Field::Evidence | Field::Status)
    )
}

/// The field a label names clearly by the header vocabulary, if any.
pub(crate) fn label_field(label: &str, opts: &crate::Options) -> Option<Field> {
    header::score(label, &opts.header_synonyms)
        .first()
        .filter(|(_, v)| *v >= 0.6)
        .map(|(f, _)| *f)
}

/// One group of records taken as a plan.
pub struct RecordPlan {
    /// The plan (kind [`PlanKind::Records`]).
    pub plan: Plan,
    /// Block of its first record.
    pub block: usize,
    /// Blocks it took.
    pub blocks: Vec<usize>,
}

/// A group of records not taken, with the reason.
pub struct Rejected {
    /// Where it starts.
    pub source: Source,
    /// Records in it.
    pub records: usize,
    /// Why not.
    pub reason: String,
}

/// Records in document order from blocks not `taken` by other plans.
pub fn collect(
    blocks: &[Block],
    taken: &dyn Fn(usize) -> bool,
    opts: &crate::Options,
) -> Vec<(Record, Option<String>)> {
    // A field label on a line of its own ("Lead" over "Carers Service", HTML definition lists,
    // bold labels in Word) is read with the paragraph under it as "Label: value".
    let mut joined: std::collections::HashMap<usize, String> = std::collections::HashMap::new();
    let mut consumed: HashSet<usize> = HashSet::new();
    for (i, b) in blocks.iter().enumerate() {
        let text = match &b.kind {
            BlockKind::Paragraph { text } | BlockKind::Heading { text, .. } => text,
            _ => continue,
        };
        let label = text.trim().trim_end_matches(':').trim();
        if consumed.contains(&i) || !is_label(label) || !names_row_field(label, opts) {
            continue;
        }
        if let Some(BlockKind::Paragraph { text: value }) = blocks.get(i + 1).map(|n| &n.kind) {
            let v = value.trim().trim_end_matches(':').trim();
            let another_label = is_label(v) && names_row_field(v, opts);
            if !v.is_empty() && !another_label && label_pair(value).is_none() {
                joined.insert(i, format!("{label}: {}", value.trim()));
                consumed.insert(i + 1);
            }
        }
    }
    let mut out: Vec<(Record, Option<String>)> = Vec::new();
    let mut heading: Option<String> = None;
    let mut para: Option<Record> = None;
    let mut para_title: Option<String> = None;
    let flush =
        |para: &mut Option<Record>, out: &mut Vec<(Record, Option<String>)>, h: &Option<String>| {
            if let Some(r) = para.take() {
                if r.pairs.len() >= 2 {
                    out.push((r, h.clone()));
                }
            }
        };
    for (i, b) in blocks.iter().enumerate() {
        if consumed.contains(&i) && !taken(i) {
            continue;
        }
        let owned;
        let kind: &BlockKind = match joined.get(&i) {
            Some(text) if !taken(i) => {
                owned = BlockKind::Paragraph { text: text.clone() };
                &owned
            }
            _ => &b.kind,
        };
        // "Label: value" (several fields run together are cut apart). Text readers take a short
        // "Lead: Carers Service" line standing alone for a heading; a heading whose label names
        // a row field is a field of a record.
        let field_pair = match kind {
            BlockKind::Heading { text, .. } => {
                label_pair(text).filter(|(l, _)| names_row_field(l, opts))
            }
            BlockKind::Paragraph { text } | BlockKind::ListItem { text, .. } => label_pair(text),
            _ => None,
        };
        if let Some(first) = field_pair.filter(|_| !taken(i)) {
            for (l, v) in split_fields(first, opts) {
                let repeat = para
                    .as_ref()
                    .is_some_and(|r| r.pairs.iter().any(|(x, _)| key(x) == key(&l)));
                if repeat {
                    flush(&mut para, &mut out, &heading);
                }
                let rec = para.get_or_insert_with(|| Record {
                    title: para_title.take(),
                    source: b.source.clone(),
                    block: i,
                    ..Record::default()
                });
                rec.pairs.push((l, v));
            }
            continue;
        }
        match kind {
            BlockKind::Table(t) if !taken(i) => {
                flush(&mut para, &mut out, &heading);
                if let Some(r) = from_table(t, i, &b.source) {
                    // A small table that opens with a goal, theme or outcome and names no action
                    // ("Goal | Renewable energy ..." / "Target | ...") heads the records after it.
                    match section_of(&r, opts) {
                        Some(name) => heading = Some(name),
                        None => out.push((r, heading.clone())),
                    }
                } else {
                    for r in from_label_column(t, i) {
                        out.push((r, heading.clone()));
                    }
                }
            }
            BlockKind::Paragraph { text } | BlockKind::ListItem { text, .. } if !taken(i) => {
                // A paragraph right after a label continues its value ("Actions:" and the
                // bullets under it).
                match para.as_mut().and_then(|r| r.pairs.last_mut()) {
                    Some((_, v)) if matches!(b.kind, BlockKind::ListItem { .. }) => {
                        v.push('\n');
                        v.push_str(text);
                    }
                    _ => {
                        flush(&mut para, &mut out, &heading);
                        para_title = None;
                    }
                }
            }
            BlockKind::Heading { text, .. } => {
                flush(&mut para, &mut out, &heading);
                let name = crate::detect::table::section_name(text);
                para_title = Some(name.clone());
                heading = Some(name);
            }
            _ => {}
        }
    }
    flush(&mut para, &mut out, &heading);
    out
}

/// The section a record names, when its first label is a section, objective or outcome and
/// none of its labels names an action.
fn section_of(r: &Record, opts: &crate::Options) -> Option<String> {
    let field = |l: &str| label_field(l, opts);
    let (first, value) = r.pairs.first()?;
    let heads = matches!(field(first), Some(Field::Section | Field::Objective));
    let names_action = r.pairs.iter().any(|(l, _)| field(l) == Some(Field::Action));
    (heads && !names_action && !value.trim().is_empty()).then(|| value.trim().to_string())
}

/// Group consecutive records with agreeing labels and take the groups that are plans.
pub fn find(
    blocks: &[Block],
    taken: &dyn Fn(usize) -> bool,
    opts: &crate::Options,
) -> (Vec<RecordPlan>, Vec<Rejected>) {
    let records = collect(blocks, taken, opts);
    let mut groups: Vec<Vec<(Record, Option<String>)>> = Vec::new();
    for (r, h) in records {
        let fits = groups.last().is_some_and(|g| {
            let union: HashSet<String> = g.iter().flat_map(|(x, _)| x.labels()).collect();
            let mine = r.labels();
            let common = mine.intersection(&union).count();
            common * 2 >= mine.len().max(1) && common >= 1
        });
        if fits {
            if let Some(g) = groups.last_mut() {
                g.push((r, h));
            }
        } else {
            groups.push(vec![(r, h)]);
        }
    }
    let mut plans = Vec::new();
    let mut rejected = Vec::new();
    for g in groups {
        match group_plan(&g, opts) {
            Ok(p) => plans.push(p),
            Err(reason) => rejected.push(Rejected {
                source: g[0].0.source.clone(),
                records: g.len(),
                reason,
            }),
        }
    }
    (plans, rejected)
}

/// Map a group's labels to fields and build its plan.
fn group_plan(g: &[(Record, Option<String>)], opts: &crate::Options) -> Result<RecordPlan, String> {
    // Columns: a title column when records have titles, then every label in order of first use.
    let titled = g.iter().filter(|(r, _)| r.title.is_some()).count();
    let mut labels: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    if titled * 2 >= g.len() {
        labels.push(String::new());
        keys.push(String::new());
    }
    for (r, _) in g {
        for (l, _) in &r.pairs {
            if !keys.contains(&key(l)) {
                keys.push(key(l));
                labels.push(l.clone());
            }
        }
    }
    let value = |r: &Record, k: usize| -> String {
        if keys[k].is_empty() {
            return r.title.clone().unwrap_or_default();
        }
        r.pairs
            .iter()
            .filter(|(l, _)| key(l) == keys[k])
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let table: Vec<Vec<String>> = g
        .iter()
        .map(|(r, _)| (0..keys.len()).map(|k| value(r, k)).collect())
        .collect();
    let profiles: Vec<Profile> = (0..keys.len())
        .map(|k| Profile::of(table.iter().map(|row| row[k].as_str())))
        .collect();
    let mut columns = assign::assign(&labels, &profiles, &opts.header_synonyms);
    let (confidence, reason) = assign::accept(&columns, &profiles)?;
    // One record alone must name its action by a label.
    if g.len() == 1 {
        let named = columns
            .iter()
            .any(|c| c.field == Some(Field::Action) && c.header_score >= 0.6);
        if !named {
            return Err("a single set of labels with no label naming the action".to_string());
        }
        // ... and state one: a value going on in lower case ("Action No. & Description:
        // numbers and descriptions of actions;") defines the label, as a legend does.
        let defines = columns
            .iter()
            .filter(|c| c.field == Some(Field::Action))
            .filter_map(|c| table[0].get(c.index))
            .any(|v| {
                v.trim_start()
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase)
            });
        if defines {
            return Err(
                "a single set of labels whose action value defines the label (a legend)"
                    .to_string(),
            );
        }
    }
    if !columns.iter().any(|c| c.field == Some(Field::Action)) {
        if let Some(o) = columns
            .iter_mut()
            .find(|c| c.field == Some(Field::Objective))
        {
            o.field = Some(Field::Action);
        }
    }
    let rows: Vec<PlanRow> = g
        .iter()
        .zip(&table)
        .map(|((r, heading), cells)| {
            let mut row = PlanRow {
                section: heading.clone(),
                source: r.source.clone(),
                ..PlanRow::default()
            };
            for (c, text) in columns.iter().zip(cells) {
                if text.trim().is_empty() {
                    continue;
                }
                match c.field {
                    Some(f) => {
                        row.values.insert(f, text.clone());
                    }
                    None => {
                        let name = if c.header.is_empty() {
                            "title".to_string()
                        } else {
                            c.header.clone()
                        };
                        row.extra.insert(name, text.clone());
                    }
                }
            }
            row
        })
        .collect();
    let blocks: Vec<usize> = g.iter().map(|(r, _)| r.block).collect();
    Ok(RecordPlan {
        plan: Plan {
            kind: PlanKind::Records,
            columns,
            confidence,
            reason: format!("{} records with the same labels; {reason}", g.len()),
            section: g[0].1.clone(),
            objective: None,
            source: g[0].0.source.clone(),
            rows,
        },
        block: g[0].0.block,
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Cell, Row};

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            rows: rows
                .iter()
                .map(|r| Row {
                    cells: r.iter().map(|c| Cell::new(*c)).collect(),
                    ..Row::default()
                })
                .collect(),
            wrapped_lines: false,
        }
    }

    #[test]
    fn mini_table_is_a_record() {
        let t = table(&[
            &[
                "Strategy",
                "Solar survey - Inventory all rooftops for solar potential",
                "",
                "",
            ],
            &["Timeline", "Impact", "Lead Agency", "Partner Agency"],
            &[
                "Short-term",
                "Moderate",
                "Municipal Government",
                "Private Sector",
            ],
        ]);
        let r = from_table(&t, 0, &Source::default()).unwrap();
        assert_eq!(r.pairs.len(), 5);
        assert_eq!(r.pairs[0].0, "Strategy");
        assert_eq!(
            r.pairs[3],
            (
                "Lead Agency".to_string(),
                "Municipal Government".to_string()
            )
        );
        // A table of many data rows is not a record.
        let t = table(&[
            &["Action", "Lead", "By when"],
            &["Publish the guide", "Comms", "2026"],
            &["Train staff", "HR", "2027"],
        ]);
        assert!(from_table(&t, 0, &Source::default()).is_none());
    }

    #[test]
    fn label_column_repeats() {
        let t = table(&[
            &["Action", "Publish a carers guide"],
            &["Lead", "Comms Team"],
            &["Deadline", "March 2026"],
            &["Action", "Train GP receptionists"],
            &["Lead", "Primary Care"],
            &["Deadline", "June 2026"],
        ]);
        let rs = from_label_column(&t, 0);
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[1].pairs[1].1, "Primary Care");
    }

    #[test]
    fn paragraphs_pair() {
        assert_eq!(
            label_pair("Lead: Carers Hub"),
            Some(("Lead".to_string(), "Carers Hub".to_string()))
        );
        assert!(label_pair("We met on Tuesday: it went well").is_none());
        assert!(label_pair("Note that the following applies to all partners: none").is_none());
    }

    #[test]
    fn a_legend_of_the_labels_is_not_a_record() {
        let item = |t: &str| Block {
            kind: BlockKind::ListItem {
                text: t.to_string(),
                marker: "•".to_string(),
                level: 1,
            },
            source: Source::default(),
        };
        let legend = [
            item("Action No. & Description: numbers and descriptions of adaptation actions;"),
            item("Lead Agency: agencies identified to implement a certain action;"),
            item("Time Frame: estimated time frame for a certain action, such as 3-5 years;"),
        ];
        let (plans, _) = find(&legend, &|_| false, &crate::Options::default());
        assert!(plans.is_empty());
        let record = [
            item("Action: Recruit ten carer champions in GP surgeries"),
            item("Lead Agency: Carers Hub"),
            item("Time Frame: March 2027"),
        ];
        let (plans, _) = find(&record, &|_| false, &crate::Options::default());
        assert_eq!(plans.len(), 1);
    }
}
