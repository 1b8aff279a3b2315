//! Action-plan tables: find the header row, skip repeated headers, turn section rows into
//! sections, align short rows to the columns they resemble, and merge wrapped continuation
//! lines back into their row.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::assign;
use super::header::{self, is_ref};
use super::profile::{self, Profile};
use super::{Column, Field, Plan, PlanRow};
use crate::document::{Row, Source, Table};
use crate::normalise::due;
use crate::report::{DueKind, PlanKind};
use crate::Options;

/// What the surrounding document says about a table.
#[derive(Debug, Clone, Default)]
pub struct Surroundings {
    /// Nearest section heading.
    pub section: Option<String>,
    /// "Outcome: ..." statement between that heading and the table.
    pub objective: Option<String>,
    /// Header labels of the last plan found before this table: a later table of the same
    /// layout may leave a label out.
    pub previous_labels: Option<Vec<String>>,
}

static SECTION_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(outcome|objective|priority|theme|aim|section|strand|workstream|goal|key\s+area|area)s?\b").unwrap()
});
static REF_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,3}(?:\.\d{1,2})?)(?:\.|\s*[-–—:)])?\s+([A-Z<(\[‘'\x22])").unwrap()
});
static CONTD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\(\-–]?\s*\b(cont(inued|['’]?d)?\.?|contd)\s*\)?\s*$").unwrap()
});
static OUTCOME_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(.*?)\b(outcome|objective)s?\s*\d*\s*:\s*(.*)$").unwrap());

/// Words that cannot end a complete cell: a line ending on one was wrapped.
const DANGLING: &[&str] = &[
    "and", "or", "of", "the", "to", "for", "with", "in", "on", "a", "an", "between", "by", "from",
    "that", "which", "their", "its", "is", "are", "be", "as", "at", "into", "through", "will",
    "who", "our", "&",
];

fn header_key(cells: &[String]) -> Vec<String> {
    cells
        .iter()
        .map(|c| header::words(c).join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

fn texts(row: &Row) -> Vec<String> {
    row.cells
        .iter()
        .map(|c| c.text.trim().to_string())
        .collect()
}

/// The row as a header candidate: short cells, at least two of them.
fn header_shaped(cells: &[String]) -> bool {
    let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
    filled.len() >= 2
        && filled
            .iter()
            .all(|c| c.split_whitespace().count() <= 12 && c.chars().count() <= 100)
}

/// A leading integer reference of a row, as printed in the first cell ("3" or "3 To ...").
fn leading_ref(cells: &[String]) -> Option<u32> {
    let first = cells.first()?.trim();
    if let Ok(n) = first.parse::<u32>() {
        return Some(n);
    }
    REF_PREFIX.captures(first).and_then(|c| c[1].parse().ok())
}

fn ends_dangling(text: &str) -> bool {
    let t = text.trim_end();
    if t.ends_with('-') || t.ends_with(',') || t.ends_with('/') {
        return true;
    }
    t.rsplit(|c: char| c.is_whitespace())
        .next()
        .is_some_and(|w| DANGLING.contains(&w.to_lowercase().as_str()))
}

fn starts_lower(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Align `cells` (fewer than `width`) to the columns they resemble, keeping their order.
fn align(cells: &[String], width: usize, sim: &dyn Fn(&str, usize) -> f64) -> Vec<String> {
    let w = cells.len();
    // f[i][j]: best score placing the first i cells in the first j columns.
    let mut f = vec![vec![f64::NEG_INFINITY; width + 1]; w + 1];
    f[0].fill(0.0);
    for i in 1..=w {
        for j in i..=width {
            let skip = f[i][j - 1];
            let place = f[i - 1][j - 1] + sim(&cells[i - 1], j - 1);
            f[i][j] = skip.max(place);
        }
    }
    let mut out = vec![String::new(); width];
    let (mut i, mut j) = (w, width);
    while i > 0 && j > 0 {
        if j > i && f[i][j] == f[i][j - 1] {
            j -= 1;
        } else {
            out[j - 1] = cells[i - 1].clone();
            i -= 1;
            j -= 1;
        }
    }
    out
}

/// A logical row being built: cells fitted to the columns, the first physical row, the printed
/// reference and the section row in force.
struct BRow {
    cells: Vec<String>,
    row: Row,
    reference: Option<String>,
    section: Option<String>,
}

struct Builder {
    columns: Vec<Column>,
    key: Vec<String>,
    /// Keys of every line of the header (a header printed over several lines repeats them all).
    header_keys: Vec<Vec<String>>,
    /// Content profiles of the columns under the header.
    profiles: Vec<Profile>,
    confidence: f64,
    reason: String,
    section: Option<String>,
    objective: Option<String>,
    source: Source,
    wrapped: bool,
    ref_col: Option<usize>,
    action_col: Option<usize>,
    due_col: Option<usize>,
    bags: Vec<HashSet<String>>,
    rows: Vec<BRow>,
    row_section: Option<String>,
    last_ref: Option<u32>,
    since_ref: usize,
    repeated_header: bool,
    /// A section row seen after the last data row: the caption of a following new header.
    pending_caption: Option<String>,
    /// User header synonyms (for re-mapping a header that wrapped onto two lines).
    synonyms: std::collections::BTreeMap<String, Vec<String>>,
}

impl Builder {
    fn width(&self) -> usize {
        self.columns.len()
    }

    fn col(&self, f: Field) -> Option<usize> {
        self.columns.iter().position(|c| c.field == Some(f))
    }

    /// The column whose numbers number the rows: the number column, else the first column when
    /// it is the action column or unmapped.
    fn numbering_col(&self) -> Option<usize> {
        self.ref_col.or_else(|| {
            self.columns
                .first()
                .filter(|c| matches!(c.field, None | Some(Field::Action)))
                .map(|_| 0)
        })
    }

    fn sim(&self, cell: &str, col: usize) -> f64 {
        if cell.is_empty() {
            return 0.0;
        }
        let words = header::words(cell);
        let mut s = if words.is_empty() {
            0.0
        } else {
            words.iter().filter(|w| self.bags[col].contains(*w)).count() as f64 / words.len() as f64
        };
        match self.columns[col].field {
            Some(Field::Due) if due::parse(cell).kind != DueKind::Unspecified => s += 1.0,
            Some(Field::Ref) if is_ref(cell) => s += 1.0,
            _ => {}
        }
        s + 0.01
    }

    /// Cells of a physical row, fitted to the header's width.
    fn fit(&self, mut cells: Vec<String>) -> (Vec<String>, Option<String>) {
        let width = self.width();
        // Cells as printed, before trailing empty cells are trimmed: only a line with fewer
        // cells than the header has lost separators and needs aligning by content.
        let mut printed = cells.len();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        let mut reference = None;
        // A wrapped line may keep the tab of an unheaded number column: drop that empty first
        // cell when the rest then fits the columns' vocabulary better.
        if self.wrapped && self.ref_col.is_none() && cells.len() >= 2 && cells[0].is_empty() {
            let fit_score = |cs: &[String]| {
                cs.iter()
                    .take(width)
                    .enumerate()
                    .map(|(j, c)| if c.is_empty() { 0.0 } else { self.sim(c, j) })
                    .sum::<f64>()
                    - if cs.len() > width { 1.0 } else { 0.0 }
            };
            if fit_score(&cells[1..]) > fit_score(&cells) + 0.05 {
                cells.remove(0);
                printed -= 1;
            }
        }
        if self.ref_col.is_none()
            && cells.len() >= 2
            && cells.len() <= width + 1
            && is_ref(&cells[0])
            && self.action_col == Some(0)
        {
            // A number before the first column: the row's reference (header has no number column).
            reference = Some(cells.remove(0));
            printed -= 1;
        }
        if cells.len() > width {
            {
                let tail = cells
                    .split_off(width - 1)
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                cells.push(tail);
            }
        }
        if cells.len() < width && cells.len() >= 2 && self.ref_col == Some(0) {
            if let Some(c) = REF_PREFIX.captures(&cells[0].clone()) {
                let rest = cells[0][c.get(1).map_or(0, |m| m.end())..]
                    .trim()
                    .trim_start_matches(['.', '-', '–', '—', ':', ')'])
                    .trim()
                    .to_string();
                cells[0] = c[1].to_string();
                cells.insert(1, rest);
                printed += 1;
            }
        }
        // A row that prints every labelled column keeps its positions: only the unlabelled
        // trailing columns are missing, not a separator.
        let labelled = self
            .columns
            .iter()
            .rposition(|c| !c.header.is_empty())
            .map_or(width, |p| p + 1);
        if printed < labelled && cells.len() >= 2 && self.wrapped {
            cells = align(&cells, width, &|c, j| self.sim(c, j));
        }
        cells.resize(width, String::new());
        // "1 Individual carers ..." in a table without a number column.
        if let Some(a) = self.action_col {
            let has_ref = self.ref_col.is_some_and(|r| !cells[r].is_empty()) || reference.is_some();
            if !has_ref && a == 0 {
                if let Some(c) = REF_PREFIX.captures(&cells[a].clone()) {
                    let end = c.get(1).map_or(0, |m| m.end());
                    reference = Some(c[1].to_string());
                    cells[a] = cells[a][end..]
                        .trim_start()
                        .trim_start_matches(['.', '-', '–', '—', ':', ')'])
                        .trim()
                        .to_string();
                }
            }
        }
        if reference.is_none() {
            if let Some(r) = self.ref_col {
                if is_ref(&cells[r]) {
                    reference = Some(cells[r].clone());
                } else if !cells[r].is_empty()
                    && self.action_col.is_some_and(|a| cells[a].is_empty())
                {
                    // Text in the number column of a row without action: the action slipped left.
                    if let Some(a) = self.action_col {
                        cells[a] = std::mem::take(&mut cells[r]);
                    }
                }
            }
        }
        (cells, reference)
    }

    /// The second line of a header whose cells wrapped ("How will we know" / "when we get
    /// there?"): short pieces under named columns, continuing them in lower case or as a question.
    fn header_continuation(&self, raw: &[String]) -> bool {
        let filled: Vec<(usize, &String)> = raw
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .collect();
        !filled.is_empty()
            && filled.iter().all(|(k, c)| {
                c.split_whitespace().count() <= 4
                    && !is_ref(c)
                    && self
                        .columns
                        .get(*k)
                        .is_some_and(|col| !col.header.is_empty())
            })
            && filled
                .iter()
                .all(|(_, c)| starts_lower(c) || c.ends_with('?') || c.ends_with(')'))
    }

    fn is_continuation(
        &self,
        cells: &[String],
        reference: &Option<String>,
        next_ref: Option<u32>,
    ) -> bool {
        let Some(prev) = self.rows.last().map(|b| &b.cells) else {
            return false;
        };
        if reference.is_some() {
            return false;
        }
        let action = self.action_col.map(|a| cells[a].as_str()).unwrap_or("");
        let numbered = self.last_ref.is_some() || next_ref.is_some();
        if numbered {
            let expected = match next_ref {
                Some(n) => n
                    .saturating_sub(1)
                    .saturating_sub(self.last_ref.unwrap_or(0)) as usize,
                None => 0,
            };
            // Rows whose numbers the extraction lost still count as rows until the numbering
            // catches up with the next printed number.
            let filled = cells.iter().filter(|c| !c.is_empty()).count();
            let lost_number_row = self.since_ref < expected
                && !action.is_empty()
                && (!starts_lower(action) || filled >= 2);
            return !lost_number_row;
        }
        if action.is_empty() || starts_lower(action) {
            return true;
        }
        let prev_action = self.action_col.map(|a| prev[a].as_str()).unwrap_or("");
        if ends_dangling(prev_action) {
            return true;
        }
        // Every filled cell of the row continues a cell of the row above that was cut short.
        let due_empty = self.due_col.is_none_or(|d| cells[d].is_empty());
        due_empty
            && self.due_col.is_some_and(|d| !prev[d].is_empty())
            && cells
                .iter()
                .zip(prev)
                .filter(|(c, _)| !c.is_empty())
                .all(|(_, p)| !p.is_empty() && !p.trim_end().ends_with('.'))
    }

    fn add(&mut self, row: &Row, next_ref: Option<u32>) {
        let raw = texts(row);
        // A line the reader knows continues the row above but could not place in a column:
        // it goes to the column it resembles (the action column when nothing stands out).
        if row.continuation && raw.len() == 1 && !self.rows.is_empty() {
            let width = self.width();
            let best = (0..width)
                .map(|j| (j, self.sim(&raw[0], j)))
                .filter(|(j, s)| *s > 0.3 || Some(*j) == self.action_col)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(j, _)| j);
            if let (Some(j), Some(prev)) = (best, self.rows.last_mut()) {
                if !prev.cells[j].is_empty() {
                    prev.cells[j].push('\n');
                }
                prev.cells[j].push_str(&raw[0]);
                prev.row.source.line_end = row.source.line;
            }
            return;
        }
        let filled: Vec<&String> = raw.iter().filter(|c| !c.is_empty()).collect();
        if filled.is_empty() {
            return;
        }
        // A row with one cell (a merged row spanning the table), or a lone first cell that names
        // an outcome / theme, is a section heading for the rows below it.
        let lone_first = filled.len() == 1 && !raw[0].is_empty();
        let lone_outcome = filled.len() == 1 && OUTCOME_SPLIT.is_match(filled[0]);
        if (raw.len() == 1 && self.width() > 2)
            || lone_outcome
            || (lone_first
                && !is_ref(&raw[0])
                && (SECTION_ROW.is_match(&raw[0])
                    // Words alone in the number column: a heading between numbered rows
                    // (in line-based tables, one word may be a wrapped fragment).
                    || (self.ref_col == Some(0)
                        && (!self.wrapped || raw[0].split_whitespace().count() >= 2)
                        && !starts_lower(&raw[0]))))
        {
            let text = raw
                .iter()
                .find(|c| !c.is_empty())
                .cloned()
                .unwrap_or_default();
            self.row_section = Some(section_name(&text));
            self.pending_caption = Some(text);
            return;
        }
        self.pending_caption = None;
        if self.rows.is_empty() && self.header_continuation(&raw) {
            let headers: Vec<String> = self
                .columns
                .iter()
                .zip(raw.iter().chain(std::iter::repeat(&String::new())))
                .map(|(c, extra)| format!("{} {}", c.header, extra).trim().to_string())
                .collect();
            let remapped = assign::assign(&headers, &self.profiles, &self.synonyms);
            if let Ok((confidence, reason)) = assign::accept(&remapped, &self.profiles) {
                self.columns = remapped;
                self.confidence = confidence;
                self.reason = reason;
                self.ref_col = self.col(Field::Ref);
                self.action_col = self.col(Field::Action);
                self.due_col = self.col(Field::Due);
            }
            self.header_keys.push(header_key(&raw));
            return;
        }
        let (cells, reference) = self.fit(raw);
        if self.wrapped && self.is_continuation(&cells, &reference, next_ref) {
            if let Some(prev) = self.rows.last_mut() {
                let prow = &mut prev.row;
                for (p, c) in prev.cells.iter_mut().zip(cells) {
                    if !c.is_empty() {
                        if !p.is_empty() {
                            p.push('\n');
                        }
                        p.push_str(&c);
                    }
                }
                prow.source.line_end = row
                    .source
                    .line_end
                    .or(row.source.line)
                    .or(prow.source.line_end);
            }
            return;
        }
        if let Some(n) = reference
            .as_deref()
            .and_then(|r| r.trim_end_matches(['.', ')']).parse::<u32>().ok())
        {
            self.last_ref = Some(n);
            self.since_ref = 0;
        } else {
            self.since_ref += 1;
        }
        self.rows.push(BRow {
            cells,
            row: row.clone(),
            reference,
            section: self.row_section.clone(),
        });
        self.repeated_header = false;
    }

    fn finish(self, table_index: u32) -> Plan {
        let mut rows = Vec::new();
        let mut last_section = self.section.clone();
        for (
            k,
            BRow {
                cells,
                row,
                reference,
                section: row_section,
            },
        ) in self.rows.iter().enumerate()
        {
            let mut pr = PlanRow {
                source: Source {
                    table: Some(table_index),
                    row: Some(k as u32 + 1),
                    ..row.source.clone()
                },
                ..PlanRow::default()
            };
            for (col, text) in self.columns.iter().zip(cells) {
                if text.trim().is_empty() {
                    continue;
                }
                match col.field {
                    Some(f) => {
                        pr.values.insert(f, text.clone());
                        if row.cells.get(col.index).is_some_and(|c| c.merged) {
                            pr.merged.push(f);
                        }
                    }
                    None => {
                        let name = if col.header.is_empty() {
                            format!("column {}", col.index + 1)
                        } else {
                            col.header.clone()
                        };
                        pr.extra.insert(name, text.clone());
                    }
                }
            }
            if let Some(r) = reference {
                pr.values.insert(Field::Ref, r.clone());
            }
            // Grouping columns left blank under a merged cell repeat the row above (a blank lead
            // or deadline is a gap, not a merge, unless the reader saw the merge).
            for f in [Field::Objective, Field::Section] {
                if let std::collections::btree_map::Entry::Vacant(e) = pr.values.entry(f) {
                    if let Some(prev) = rows.last().and_then(|p: &PlanRow| p.values.get(&f)) {
                        if self.col(f).is_some() {
                            e.insert(prev.clone());
                        }
                    }
                }
            }
            // The row's section: a section column ("As above" keeps the one before), else the
            // last section row, else the plan's.
            let section = match pr.values.get(&Field::Section) {
                Some(s) if !is_as_above(s) => Some(section_name(s)),
                Some(_) => last_section.clone(),
                None => None,
            };
            pr.section = section
                .or_else(|| row_section.clone())
                .or_else(|| self.section.clone());
            last_section = pr.section.clone();
            rows.push(pr);
        }
        Plan {
            kind: PlanKind::Table,
            columns: self.columns,
            confidence: self.confidence,
            reason: self.reason,
            section: self.section,
            objective: self.objective,
            source: self.source,
            rows,
        }
    }
}

/// `As above` / `See above` / `Ditto`: the value repeats the row above.
pub fn is_as_above(s: &str) -> bool {
    let w = header::words(s).join(" ");
    matches!(
        w.as_str(),
        "as above" | "see above" | "ditto" | "as per above" | "same as above"
    )
}

/// A section name from a section cell or row: "Having a Break\nCont'd" -> "Having a Break".
pub fn section_name(s: &str) -> String {
    let joined = crate::normalise::text::join_lines(s.lines());
    let joined = CONTD.replace(&joined, "").trim().to_string();
    joined.trim_end_matches([':', '-', '–']).trim().to_string()
}

/// Split a caption such as "Information and Advice Outcome: carers receive ..." into a section
/// name and an outcome statement.
pub fn split_caption(text: &str) -> (Option<String>, Option<String>) {
    if let Some(c) = OUTCOME_SPLIT.captures(text) {
        let name = c[1]
            .trim()
            .trim_end_matches([':', '-', '–'])
            .trim()
            .to_string();
        let outcome = c[3].trim().to_string();
        let name = (!name.is_empty() && name.split_whitespace().count() <= 8).then_some(name);
        return (name, (!outcome.is_empty()).then_some(outcome));
    }
    let words = text.split_whitespace().count();
    ((1..=10).contains(&words))
        .then(|| section_name(text))
        .map_or((None, None), |s| (Some(s), None))
}

/// Find the action plans in one table. When the table holds none, `Err` says why (in words),
/// or is `Err(None)` when no row of it reads as a header at all.
pub fn plans(
    table: &Table,
    table_index: u32,
    around: &Surroundings,
    opts: &Options,
) -> Result<Vec<Plan>, Option<String>> {
    let rows = &table.rows;
    let all: Vec<Vec<String>> = rows.iter().map(texts).collect();
    // Header keys once per row, and memoised lookahead scans (see `scan_ahead`): without them a
    // long table was quadratic (200k rows did not finish in minutes).
    let keys: Vec<Vec<String>> = all.iter().map(|c| header_key(c)).collect();
    let mut memo_ref = Ahead::default();
    let mut memo_num = Ahead::default();
    let mut out = Vec::new();
    let mut cur: Option<Builder> = None;
    let mut caption: Vec<String> = Vec::new();
    let mut skip = 0usize;
    let mut rejected: Option<String> = None;
    let first_row = all
        .iter()
        .position(|c| c.iter().filter(|x| !x.is_empty()).count() >= 2)
        .unwrap_or(0);
    for (r, row) in rows.iter().enumerate() {
        let cells = &all[r];
        let key = keys[r].clone();
        if skip > 0 {
            // A further line of a header printed over several lines.
            skip -= 1;
            continue;
        }
        if let Some(b) = cur.as_mut() {
            if !key.is_empty() && b.header_keys.contains(&key) && b.pending_caption.is_none() {
                b.repeated_header = true;
                continue;
            }
            // The header repeated with some labels left out: every label it prints is the
            // current header's label in the same column.
            if repeats_labels(cells, &b.columns) {
                if b.pending_caption.is_none() {
                    b.repeated_header = true;
                    continue;
                }
                // After a caption: a new plan with the same columns, under the caption.
                let mut done = cur.take().expect("current plan");
                let caption = done.pending_caption.take().unwrap_or_default();
                let m = HeaderMatch {
                    columns: done.columns.clone(),
                    confidence: done.confidence,
                    reason: done.reason.clone(),
                    lines: 1,
                    profiles: done.profiles.clone(),
                    keys: done.header_keys.clone(),
                };
                out.push(done.finish(table_index));
                let (section, objective) = split_caption(&caption);
                cur = Some(new_builder(
                    m,
                    section.or_else(|| around.section.clone()),
                    objective.or_else(|| around.objective.clone()),
                    row.source.clone(),
                    table.wrapped_lines,
                    &all,
                    r,
                    &opts.header_synonyms,
                ));
                continue;
            }
        }
        if row.header || header_shaped(cells) {
            if let Some(m) = header_mapping(
                &all,
                rows,
                r,
                opts,
                cur.is_some(),
                r <= first_row + 2,
                around.previous_labels.as_deref(),
            )
            .map_err(|why| {
                if let Some(w) = why {
                    rejected.get_or_insert(w);
                }
            })
            .ok()
            .filter(
                |HeaderMatch {
                     columns: cols,
                     confidence: conf,
                     ..
                 }| {
                    // Inside a plan, a wrapped line can look like a header: a real new header maps
                    // most of its cells and starts with capitals.
                    cur.is_none()
                        || row.header
                        || (*conf >= 0.7
                            && !cur
                                .as_ref()
                                .is_some_and(|b| fits_columns(cells, &b.columns))
                            && cells
                                .iter()
                                .filter(|c| !c.is_empty())
                                .all(|c| !starts_lower(c))
                            && cols.iter().filter(|c| c.field.is_some()).count() >= 3)
                },
            ) {
                // The header repeated with other wording ("Lead Person/Agencies" for "Lead
                // Persons/Agencies"): same fields in the same columns, same plan.
                if let Some(b) = cur.as_mut() {
                    let fields = |cols: &[Column]| cols.iter().map(|c| c.field).collect::<Vec<_>>();
                    if b.pending_caption.is_none() && fields(&m.columns) == fields(&b.columns) {
                        b.repeated_header = true;
                        for k in m.keys {
                            if !b.header_keys.contains(&k) {
                                b.header_keys.push(k);
                            }
                        }
                        skip = m.lines - 1;
                        continue;
                    }
                }
                if let Some(mut b) = cur.take() {
                    if let Some(c) = b.pending_caption.take() {
                        caption.push(c);
                    }
                    out.push(b.finish(table_index));
                }
                let (mut section, objective) = split_caption(&caption.join(" "));
                let objective = objective.or_else(|| around.objective.clone());
                if section.is_none() {
                    section = around.section.clone();
                }
                caption.clear();
                skip = m.lines - 1;
                let first_data = r + m.lines - 1;
                cur = Some(new_builder(
                    m,
                    section,
                    objective,
                    row.source.clone(),
                    table.wrapped_lines,
                    &all,
                    first_data,
                    &opts.header_synonyms,
                ));
                continue;
            }
        }
        match cur.as_mut() {
            None => {
                let t: Vec<&str> = cells
                    .iter()
                    .map(String::as_str)
                    .filter(|c| !c.is_empty())
                    .collect();
                if !t.is_empty() {
                    caption.push(t.join(" "));
                }
            }
            Some(b) => {
                let stop = |q: usize| keys[q] == b.key;
                // Row numbers are read from the number column, or from the first column when it
                // is the action (numbers fused into it) or unmapped; a first column that holds
                // something else (objective numbers, codes) does not number the rows.
                let numbered = b.numbering_col().is_some();
                let ref_at = |q: usize| {
                    leading_ref(&all[q])
                        .filter(|_| numbered && (!all[q][0].is_empty() || b.ref_col.is_none()))
                };
                let num_at = |q: usize| {
                    b.numbering_col()
                        .and_then(|k| all[q].get(k))
                        .and_then(|c| c.parse::<u32>().ok())
                };
                let next_ref = memo_ref
                    .scan(r, rows.len(), &b.key, b.ref_col, stop, |q| {
                        ref_at(q).is_some()
                    })
                    .and_then(ref_at);
                let next_ref = next_ref.or_else(|| {
                    memo_num
                        .scan(r, rows.len(), &b.key, b.ref_col, stop, |q| {
                            num_at(q).is_some()
                        })
                        .and_then(num_at)
                });
                // A repeated header followed by a row numbered 1 starts a new plan.
                if b.repeated_header
                    && !b.rows.is_empty()
                    && b.numbering_col().is_some()
                    && leading_ref(cells) == Some(1)
                    && b.last_ref.is_some_and(|n| n > 1)
                {
                    let m = HeaderMatch {
                        columns: b.columns.clone(),
                        confidence: b.confidence,
                        reason: b.reason.clone(),
                        lines: 1,
                        profiles: b.profiles.clone(),
                        keys: b.header_keys.clone(),
                    };
                    let wrapped = b.wrapped;
                    let source = row.source.clone();
                    if let Some(done) = cur.take() {
                        out.push(done.finish(table_index));
                    }
                    let mut nb = new_builder(
                        m,
                        around.section.clone(),
                        None,
                        source,
                        wrapped,
                        &all,
                        r,
                        &opts.header_synonyms,
                    );
                    nb.add(row, next_ref);
                    cur = Some(nb);
                } else {
                    b.add(row, next_ref);
                }
            }
        }
    }
    if let Some(b) = cur.take() {
        out.push(b.finish(table_index));
    }
    if out.is_empty() {
        return Err(rejected);
    }
    Ok(out)
}

/// A memoised lookahead: the first row `q > r` where `hit(q)`, unless a row where `stop(q)`
/// comes first. Successive rows of one plan reuse the previous answer while it is still ahead,
/// so a whole table costs one pass instead of one pass per row.
#[derive(Default)]
struct Ahead {
    /// (plan key, ref column, scan started at, first row where the scan ended or `n`).
    last: Option<(Vec<String>, Option<usize>, usize, usize)>,
}

impl Ahead {
    fn scan(
        &mut self,
        r: usize,
        n: usize,
        key: &[String],
        ref_col: Option<usize>,
        stop: impl Fn(usize) -> bool,
        hit: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let end = match &self.last {
            Some((k, c, from, end)) if k == key && *c == ref_col && *from <= r + 1 && *end > r => {
                *end
            }
            _ => {
                let end = (r + 1..n).find(|&q| stop(q) || hit(q)).unwrap_or(n);
                self.last = Some((key.to_vec(), ref_col, r + 1, end));
                end
            }
        };
        (end < n && !stop(end)).then_some(end)
    }
}

/// A header found at some row: its columns and evidence.
struct HeaderMatch {
    columns: Vec<Column>,
    confidence: f64,
    reason: String,
    /// Lines the header takes (a header printed over two lines takes two).
    lines: usize,
    /// Content profiles of the columns under the header.
    profiles: Vec<Profile>,
    /// Keys of the header's lines.
    keys: Vec<Vec<String>>,
}

#[allow(clippy::too_many_arguments)]
fn new_builder(
    m: HeaderMatch,
    section: Option<String>,
    objective: Option<String>,
    source: Source,
    wrapped: bool,
    all: &[Vec<String>],
    header_row: usize,
    synonyms: &std::collections::BTreeMap<String, Vec<String>>,
) -> Builder {
    let HeaderMatch {
        columns,
        confidence,
        reason,
        profiles,
        keys,
        ..
    } = m;
    let width = columns.len();
    let mut bags = vec![HashSet::new(); width];
    for cells in all.iter().skip(header_row + 1) {
        let filled = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |p| p + 1);
        if filled == width {
            for (k, c) in cells.iter().enumerate().take(width) {
                bags[k].extend(header::words(c));
            }
        }
    }
    let mut b = Builder {
        columns,
        key: keys.first().cloned().unwrap_or_default(),
        header_keys: keys,
        profiles,
        confidence,
        reason,
        section,
        objective,
        source,
        wrapped,
        ref_col: None,
        action_col: None,
        due_col: None,
        bags,
        rows: Vec::new(),
        row_section: None,
        last_ref: None,
        since_ref: 0,
        repeated_header: false,
        pending_caption: None,
        synonyms: synonyms.clone(),
    };
    b.ref_col = b.col(Field::Ref);
    b.action_col = b.col(Field::Action).or_else(|| b.col(Field::Objective));
    if b.col(Field::Action).is_none() {
        // An objective column stands in for a missing action column.
        if let Some(o) = b.col(Field::Objective) {
            b.columns[o].field = Some(Field::Action);
        }
    }
    b.due_col = b.col(Field::Due);
    b
}

/// Does a row repeat the current header with some labels left out? Every label it prints is
/// the label of the same column, and it prints at least two.
fn repeats_labels(cells: &[String], columns: &[Column]) -> bool {
    let mut same = 0;
    for (k, c) in cells.iter().enumerate() {
        if c.is_empty() {
            continue;
        }
        let label = columns
            .get(k)
            .map(|c| header::words(&c.header))
            .unwrap_or_default();
        if label.is_empty() || header::words(c) != label {
            return false;
        }
        same += 1;
    }
    same >= 2
}

/// Does a row read as header labels: short cells, not a clause that starts in lower case or
/// ends a sentence, not data (dates, codes, numbers)?
fn label_like(cells: &[String], flagged: bool) -> bool {
    let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
    if filled.is_empty() {
        return false;
    }
    let data = filled
        .iter()
        .filter(|c| {
            let k = profile::classify(c);
            (k.code || k.number || k.due) && !c.chars().any(|ch| ch == '?' || ch == '#')
        })
        .count();
    filled.iter().all(|c| {
        let words = c.split_whitespace().count();
        words <= 12
            && c.chars().count() <= 100
            // A clause in lower case is running text; a lone lower-case word is a code-style
            // label ("owner_team", "kpi").
            && (flagged || !(starts_lower(c) && c.trim().contains(' ')))
            && !(words > 4 && c.trim_end().ends_with('.'))
            // An instruction of several words is a row's action, not a column's label.
            && !(words > 5 && !flagged && profile::is_imperative(c))
    }) && data * 3 < filled.len().max(2)
}

/// A further header line: short labels that are not data, either filling columns the lines
/// above left empty or continuing their labels.
fn header_line_continues(above: &[String], cells: &[String], flagged: bool) -> bool {
    let filled: Vec<(usize, &String)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if filled.is_empty() || !label_like(cells, true) {
        return false;
    }
    if filled.iter().any(|(_, c)| c.split_whitespace().count() > 6) {
        return false;
    }
    let under_label = filled
        .iter()
        .filter(|(k, _)| above.get(*k).is_some_and(|a| !a.is_empty()))
        .count();
    // Continuing labels in lower case or ending a question ("when we get there?").
    let continues = filled.iter().all(|(k, c)| {
        above.get(*k).is_some_and(|a| !a.is_empty())
            && (starts_lower(c) || c.ends_with('?') || c.ends_with(')') || {
                let a = above[*k].trim_end();
                a.ends_with('/') || a.ends_with('&') || a.ends_with(',') || ends_dangling(a)
            })
    });
    // Labels in columns the line above left empty, or a mix.
    let complements = under_label * 2 <= filled.len();
    // Second words of labels ("Lead" / "Officer", "Timescale /" / "Key Dates"): short pieces
    // under labels, none in the first column (where a section row would start).
    let sublabels = under_label == filled.len()
        && filled
            .iter()
            .all(|(k, c)| *k > 0 && c.split_whitespace().count() <= 3);
    flagged || continues || complements || sublabels
}

/// Does a row read as data of the current plan: at least two of its cells, and most of those
/// under mapped columns, hold content typical of their column's field (an organisation under
/// the lead, a date under the due column, a sentence under the action)? A row of data that
/// happens to contain header words ("All agencies", "Commissioners will demonstrate ...") is
/// then not taken for a new header.
fn fits_columns(cells: &[String], columns: &[Column]) -> bool {
    let (mut fit, mut mapped) = (0, 0);
    for (c, col) in cells.iter().zip(columns) {
        let Some(field) = col.field else { continue };
        if c.trim().is_empty() {
            continue;
        }
        mapped += 1;
        if Profile::of([c.as_str()]).typical(field) >= 0.5 {
            fit += 1;
        }
    }
    fit >= 2 && fit * 2 >= mapped
}

/// Does the header row look like the rows under it (then it is a data row that happens to
/// hold header words)? Compared by kind of content, column by column.
fn resembles_data(labels: &[String], profiles: &[Profile]) -> bool {
    let (mut like, mut comparable) = (0, 0);
    for (label, p) in labels.iter().zip(profiles) {
        if label.is_empty() || p.filled < 2 {
            continue;
        }
        comparable += 1;
        let k = profile::classify(label);
        let typed = (k.due && p.due >= 0.5)
            || (k.code && p.code >= 0.5)
            || (k.number && p.number >= 0.5)
            || (k.imperative && p.imperative >= 0.5 && k.words >= 4);
        if typed {
            like += 1;
        }
    }
    comparable >= 2 && like * 2 > comparable
}

/// For a header whose labels name no field: the content alone must carry the plan (an action
/// column of actions and a lead, due or evidence column of its kind), and the labels must be
/// short names over longer cells, not a row of the same data.
fn content_carries(labels: &[String], profiles: &[Profile], columns: &[Column]) -> bool {
    let strong = |f: Field| {
        columns
            .iter()
            .find(|c| c.field == Some(f))
            .filter(|c| c.content_score >= 0.5)
    };
    let Some(action) = strong(Field::Action) else {
        return false;
    };
    let label_words = labels
        .get(action.index)
        .map_or(0, |l| l.split_whitespace().count()) as f64;
    let short_labels = labels.iter().all(|l| l.split_whitespace().count() <= 4);
    let over_longer = profiles
        .get(action.index)
        .is_some_and(|p| label_words * 2.0 <= p.words);
    short_labels
        && over_longer
        && [Field::Lead, Field::Due, Field::Evidence]
            .iter()
            .any(|&f| strong(f).is_some())
}

/// The header mapping of row `r`, if it (with the lines that continue it) is an action-plan
/// header.
fn header_mapping(
    all: &[Vec<String>],
    rows: &[Row],
    r: usize,
    opts: &Options,
    inside: bool,
    near_top: bool,
    previous: Option<&[String]>,
) -> Result<HeaderMatch, Option<String>> {
    let flagged = rows[r].header;
    let mut first = all[r].clone();
    while first.last().is_some_and(|h| h.is_empty()) {
        first.pop();
    }
    if first.iter().filter(|c| !c.is_empty()).count() < 2 && !flagged {
        return Err(None);
    }
    if !label_like(&first, flagged) {
        return Err(None);
    }
    // Cheap test first: a header names at least one field by its words.
    let named = |hs: &[String]| {
        hs.iter()
            .filter(|h| {
                header::score(h, &opts.header_synonyms)
                    .first()
                    .is_some_and(|(_, v)| *v >= 0.45)
            })
            .count()
    };
    // Inside a plan a new header must name at least two fields (a data row that mentions a
    // header word is not one).
    let need = if inside { 2 } else { 1 };
    let n = named(&first);
    // A header whose labels no vocabulary knows ("Column A", "Ref 2") is tried only at the top
    // of a table, and must then be clearly unlike the rows under it (see `mapping_at`).
    let weak = n == 0 && !flagged && !inside && near_top;
    if n < need && !flagged && !weak {
        return Err(None);
    }
    let mut best: Option<(f64, HeaderMatch)> = None;
    let mut why: Option<String> = None;
    let mut labels = first.clone();
    let mut keys = vec![header_key(&all[r])];
    for lines in 1..=3usize {
        if lines > 1 {
            let q = r + lines - 1;
            let Some(next) = all.get(q) else { break };
            if !header_line_continues(&labels, next, rows[q].header) {
                break;
            }
            if labels.len() < next.len() {
                labels.resize(next.len(), String::new());
            }
            for (k, c) in next.iter().enumerate() {
                if !c.is_empty() {
                    labels[k] = if labels[k].is_empty() {
                        c.clone()
                    } else {
                        format!("{} {}", labels[k], c)
                    };
                }
            }
            while labels.last().is_some_and(|h| h.is_empty()) {
                labels.pop();
            }
            keys.push(header_key(next));
        }
        match mapping_at(all, r + lines, &labels, opts, lines, &keys, previous, weak) {
            Ok((score, m)) => {
                // A further line may not make the header worse.
                let better = best.as_ref().is_none_or(|(s, _)| score >= *s - 0.01);
                if better {
                    best = Some((score, m));
                }
            }
            Err(reason) => {
                why.get_or_insert(reason);
            }
        }
    }
    best.map(|(_, m)| m).ok_or(why)
}

/// Map `labels` as the header of the rows from `start` on; `Some((total evidence, match))`
/// when they make an action-plan header.
fn mapping_at(
    all: &[Vec<String>],
    start: usize,
    labels: &[String],
    opts: &Options,
    lines: usize,
    keys: &[Vec<String>],
    previous: Option<&[String]>,
    weak: bool,
) -> Result<(f64, HeaderMatch), String> {
    let below = &all[start.min(all.len())..all.len().min(start + 40)];
    let width = |c: &Vec<String>| c.iter().rposition(|x| !x.is_empty()).map_or(0, |p| p + 1);
    let typical = below.iter().map(width).max().unwrap_or(0);
    // Rows below may fill more columns than the header labels: an unlabelled number column in
    // front, or unlabelled columns at the end. Each way of lining the labels up with the cells
    // is tried, and the one the content supports best is taken.
    // Layouts that give every cell a column come first; the labels as printed win only with
    // clearly more evidence.
    let mut layouts: Vec<Vec<String>> = Vec::new();
    if typical > labels.len() && !labels.is_empty() {
        // A number column in front: most rows start with a number and every row is wider.
        let rows_with_ref = below
            .iter()
            .filter(|c| c.first().is_some_and(|x| is_ref(x)))
            .count();
        if !labels[0].is_empty()
            && rows_with_ref * 2 > below.len().max(1)
            && below
                .iter()
                .all(|c| c.len() > labels.len() || c.iter().all(|x| x.is_empty()))
        {
            let mut front = labels.to_vec();
            front.insert(0, String::new());
            if typical > front.len() {
                front.resize(typical, String::new());
            }
            layouts.push(front);
        }
        let mut back = labels.to_vec();
        back.resize(typical, String::new());
        layouts.push(back);
    }
    layouts.push(labels.to_vec());
    // The same header as the last plan's with labels left out: the missing labels are the
    // last plan's (a later table of one layout that dropped "X Reference").
    if let Some(prev) = previous {
        let same = labels
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .all(|(k, l)| {
                prev.get(k)
                    .is_some_and(|p| header::words(p) == header::words(l))
            });
        let named = labels.iter().filter(|l| !l.is_empty()).count();
        if same
            && named >= 2
            && prev.len() >= labels.len()
            && prev.len() <= typical.max(labels.len())
        {
            let filled: Vec<String> = prev.to_vec();
            if filled != labels {
                layouts.insert(0, filled);
            }
        }
    }
    let mut best: Option<(f64, Vec<String>, Vec<Profile>, Vec<Column>, (f64, String))> = None;
    let mut why = String::new();
    for headers in layouts {
        // Profiles of the cells each label would sit over. A row wider than the labels that
        // starts with a number has the number in front of the first column (its reference).
        let w = headers.len();
        let fitted: Vec<&[String]> = below
            .iter()
            .map(|c| {
                if width(c) > w && !headers[0].is_empty() && c.first().is_some_and(|x| is_ref(x)) {
                    &c[1..]
                } else {
                    &c[..]
                }
            })
            .collect();
        let profiles: Vec<Profile> = (0..w)
            .map(|k| Profile::of(fitted.iter().filter_map(|c| c.get(k).map(String::as_str))))
            .collect();
        let columns = assign::assign(&headers, &profiles, &opts.header_synonyms);
        let accepted = match assign::accept(&columns, &profiles) {
            Ok(a) => a,
            Err(reason) => {
                if why.is_empty() {
                    why = reason;
                }
                continue;
            }
        };
        // How well the labels agree with the content under them; columns without a label
        // count for less.
        let total: f64 = columns
            .iter()
            .map(|c| c.confidence * if c.header.is_empty() { 0.5 } else { 1.0 })
            .sum::<f64>();
        if best.as_ref().is_none_or(|b| total > b.0 + 0.05) {
            best = Some((total, headers, profiles, columns, accepted));
        }
    }
    let Some((_, headers, profiles, columns, (confidence, reason))) = best else {
        return Err(why);
    };
    if weak && !content_carries(&headers, &profiles, &columns) {
        return Err(
            "labels name no field and the content under them does not clearly read as a plan"
                .to_string(),
        );
    }
    if resembles_data(&headers, &profiles) {
        return Err(format!(
            "the row with header words ({}) looks like the rows under it: a data row, not a header",
            labels
                .iter()
                .filter(|l| !l.is_empty())
                .map(|l| format!("\"{l}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let total: f64 = columns.iter().map(|c| c.confidence).sum();
    Ok((
        total,
        HeaderMatch {
            columns,
            confidence,
            reason,
            lines,
            profiles,
            keys: keys.to_vec(),
        },
    ))
}
