//! Action-plan tables: find the header row, skip repeated headers, turn section rows into
//! sections, align short rows to the columns they resemble, and merge wrapped continuation
//! lines back into their row.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::assign;
use super::header::{self, is_ref};
use super::profile::{self, Profile};
use super::rows;
use super::{Column, Field, Plan, PlanRow};
use crate::document::{Cell, Row, Source, Table};
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
static CONTD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\(\-–]?\s*\b(cont(inued|['’]?d)?\.?|contd)\s*\)?\s*$").unwrap()
});
static OUTCOME_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(.*?)\b(outcome|objective)s?\s*\d*\s*:\s*(.*)$").unwrap());

/// Most columns a plan may have. Every row of a plan is held at its header's width, so a header
/// (or a row under it) of thousands of cells would multiply the memory of a long table; no
/// action plan has this many columns.
const MAX_PLAN_COLUMNS: usize = 128;

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

/// The number of a row's marker as printed in its first cell ("3", "3 To ...", "2.1").
fn first_ordinal(cells: &[String]) -> Option<u64> {
    let first = cells.first()?.trim();
    let marker = if rows::is_marker(first) {
        first.to_string()
    } else {
        rows::leading_marker(first)?.0
    };
    rows::ordinal(&marker).map(|(_, n)| n)
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

/// One physical row of the plan body, fitted to the columns, with what row segmentation
/// ([`rows::segment`]) needs to know about it.
struct Piece {
    cells: Vec<String>,
    row: Row,
    reference: Option<String>,
    marker: Option<String>,
    section: Option<String>,
    gap_before: bool,
    page_break_before: bool,
    continues: bool,
    starts: bool,
}

struct Builder {
    columns: Vec<Column>,
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
    /// Physical rows of the body in order; [`Builder::finish`] segments them into logical rows.
    pieces: Vec<Piece>,
    row_section: Option<String>,
    /// The last row marker printed ("12", "3.4").
    last_marker: Option<String>,
    /// The next physical row starts a logical row (it follows a section row).
    next_starts: bool,
    /// Last source line and page the plan has accounted for (rows, skipped headers): a row
    /// further down follows a blank line.
    accounted: Option<(Option<u32>, u32)>,
    /// Page of the last physical row of the body.
    data_page: Option<u32>,
    /// A header was skipped since the last row (the blank line under it is layout, not a gap).
    after_header: bool,
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
        // A wrapped line may keep the tab of an unheaded number column (it prints more cells than
        // the header): drop that empty first cell when the rest then fits the columns' vocabulary
        // better. A line as wide as the header keeps its cells where they are.
        if self.wrapped
            && self.ref_col.is_none()
            && printed > width
            && cells.len() >= 2
            && cells[0].is_empty()
        {
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
            && rows::is_code(&cells[0])
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
            if let Some((marker, rest)) = rows::leading_marker(&cells[0]) {
                cells[0] = marker;
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
        // "1 Individual carers ..." or "12 - Review ..." in a table without a number column whose
        // action column comes first: the number is the row's reference. (The number of an
        // objective or outcome in a first column of its own is not the row's.)
        // Elsewhere, only a labelled code in the action cell itself ("Action All-1.1: ...", in
        // an "Action No. & Description" column) is the row's.
        if self.ref_col.is_none() && reference.is_none() {
            if let Some(a) = self.action_col {
                let labelled = a > 0 && cells[a].trim_start().starts_with(char::is_alphabetic);
                if a == 0 || labelled {
                    if let Some((marker, rest)) = rows::leading_marker(&cells[a]) {
                        reference = Some(marker);
                        cells[a] = rest;
                    }
                }
            }
        }
        if reference.is_none() {
            if let Some(r) = self.ref_col {
                if rows::is_code(&cells[r]) {
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

    /// Record that the plan has seen `row` (a data row, or a header it skipped), so that the
    /// next row knows whether blank lines came between.
    fn account(&mut self, row: &Row) {
        if let Some(line) = row.source.line_end.or(row.source.line) {
            self.accounted = Some((row.source.page, line));
        }
    }

    /// The plan's header is printed again at `row`. At the top of a page that is page layout;
    /// on the page of the last row it opens a new part of the table (a table of the same layout
    /// under its own heading): the next row starts a logical row, and a lone short line printed
    /// after a blank line right above the header is that part's heading, not the end of a cell.
    fn repeat_header(&mut self, row: &Row) {
        self.repeated_header = true;
        let same_page = self.data_page.is_some() && row.source.page == self.data_page;
        if same_page && !self.after_header {
            self.next_starts = true;
            let heading = self.pieces.last().filter(|p| {
                let filled: Vec<&String> = p.cells.iter().filter(|c| !c.is_empty()).collect();
                let near = match (p.row.source.line, row.source.line) {
                    (Some(a), Some(b)) => b > a && b - a <= 3,
                    _ => false,
                };
                near && p.gap_before
                    && p.marker.is_none()
                    && p.reference.is_none()
                    && filled.len() == 1
                    && filled[0].split_whitespace().count() <= 8
                    && !rows::ends_sentence(filled[0])
                    && !starts_lower(filled[0])
            });
            if let Some(text) = heading.and_then(|p| p.cells.iter().find(|c| !c.is_empty())) {
                self.row_section = Some(section_name(text));
                self.pieces.pop();
            }
        }
        self.skip_header(row);
    }

    /// A header repeated inside the plan (top of a page) was skipped.
    fn skip_header(&mut self, row: &Row) {
        self.account(row);
        self.after_header = true;
    }

    /// Blank lines, and a page break, between the last row of the body and `row`.
    fn spacing(&self, row: &Row) -> (bool, bool) {
        let page_break = self.data_page.is_some()
            && row.source.page.is_some()
            && row.source.page != self.data_page;
        let gap = match (self.accounted, row.source.line) {
            (Some((_, last)), Some(line)) => line > last + 1,
            _ => false,
        };
        (gap && !page_break && !self.after_header, page_break)
    }

    fn push(&mut self, row: &Row, cells: Vec<String>, reference: Option<String>, continues: bool) {
        let marker = reference.clone().or_else(|| self.marker_of(&cells));
        let (gap_before, page_break_before) = self.spacing(row);
        self.after_header = false;
        if row.source.page.is_some() {
            self.data_page = row.source.page;
        }
        if marker.is_some() {
            self.last_marker = marker.clone();
        }
        let starts = std::mem::take(&mut self.next_starts);
        self.pieces.push(Piece {
            cells,
            // The row's texts are in `cells` already: keep only what `finish` reads (merged
            // flags, source), not a second copy of every cell (memory on 100k-row tables).
            row: Row {
                cells: row
                    .cells
                    .iter()
                    .map(|c| Cell {
                        merged: c.merged,
                        ..Cell::default()
                    })
                    .collect(),
                source: row.source.clone(),
                header: row.header,
                continuation: row.continuation,
            },
            reference,
            marker,
            section: self.row_section.clone(),
            gap_before,
            page_break_before,
            continues: continues || row.continuation,
            starts,
        });
        self.account(row);
        self.repeated_header = false;
    }

    /// The number of the last row marker printed.
    fn last_ordinal(&self) -> Option<u64> {
        self.last_marker
            .as_deref()
            .and_then(rows::ordinal)
            .map(|(_, n)| n)
    }

    /// The row marker of a fitted row: a marker in the number column, a first cell that is only
    /// a marker ("1, 2"), or a marker at the start of the first cell ("3.1 Carers get ...").
    fn marker_of(&self, cells: &[String]) -> Option<String> {
        if let Some(r) = self.ref_col {
            if let Some(t) = cells.get(r).filter(|t| rows::is_marker(t)) {
                return Some(t.trim().to_string());
            }
        }
        let first = cells.first()?;
        if rows::is_marker(first) {
            return Some(first.trim().to_string());
        }
        rows::leading_marker(first).map(|(m, _)| m)
    }

    /// Where, in the rows printed before the first header (`before`, indices into `all`), the
    /// rows of this plan start: after the last row that is neither shaped like a row of the plan
    /// nor a section row between such rows. `before.len()` when none belongs to the plan.
    fn rows_before(&self, before: &[usize], all: &[Vec<String>]) -> usize {
        let width = self.width();
        let data_like = |cells: &[String]| {
            let filled = cells.iter().filter(|c| !c.is_empty()).count();
            if filled < 2.min(width) || filled < 3.min(width) || cells.len() + 1 < width {
                return false;
            }
            let (fitted, _) = self.fit(cells.to_vec());
            let has = |c: Option<usize>| c.is_some_and(|c| !fitted[c].is_empty());
            has(self.action_col)
                && [Field::Lead, Field::Due, Field::Evidence]
                    .iter()
                    .any(|&f| has(self.col(f)))
        };
        let lone = |cells: &[String]| cells.iter().filter(|c| !c.is_empty()).count() == 1;
        let mut k = before.len();
        let mut first_data = before.len();
        while k > 0 {
            let cells = &all[before[k - 1]];
            if data_like(cells) {
                first_data = k - 1;
            } else if !lone(cells) {
                break;
            }
            k -= 1;
        }
        first_data
    }

    /// A section heading printed across several cells of a row, as text extraction leaves a
    /// merged heading row: "Outcome 3. Carers get | help quickly | in an emergency", or the
    /// merged cell repeated in each cell it spans ("Outcome 3. Carers get help" | "Outcome 3.
    /// Carers get help quickly in an emergency"). The first piece names a section; every other
    /// piece continues or repeats it; no piece reads as a deadline. Returns the heading.
    fn spanning_heading(&self, raw: &[String]) -> Option<String> {
        let filled: Vec<&str> = raw
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if filled.len() < 2 || self.width() < 3 {
            return None;
        }
        let first = filled[0];
        if raw.first().is_none_or(|c| c.trim().is_empty())
            || !(SECTION_ROW.is_match(first) || OUTCOME_SPLIT.is_match(first))
        {
            return None;
        }
        if let Some(d) = self.due_col {
            if raw.get(d).is_some_and(|c| due::parse(c).date.is_some()) {
                return None;
            }
        }
        let norm = |s: &str| header::words(s).join(" ");
        // Repeats: every piece is a prefix of the longest.
        let longest = filled.iter().max_by_key(|c| c.len()).copied()?;
        if filled.iter().all(|c| norm(longest).starts_with(&norm(c))) {
            return Some(longest.to_string());
        }
        // Continues: each later piece goes on mid-phrase.
        let continues = filled
            .windows(2)
            .all(|w| rows::starts_lower(w[1]) && !rows::ends_sentence(w[0]));
        if !continues {
            return None;
        }
        let text = filled.join("\n");
        Some(text)
    }

    fn add(&mut self, row: &Row) {
        let raw = texts(row);
        // A line the reader knows continues the row above but could not place in a column:
        // it goes to the column it resembles (the action column when nothing stands out).
        if row.continuation && raw.len() == 1 && !self.pieces.is_empty() {
            let width = self.width();
            let best = (0..width)
                .map(|j| (j, self.sim(&raw[0], j)))
                .filter(|(j, s)| *s > 0.3 || Some(*j) == self.action_col)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(j, _)| j);
            if let Some(j) = best {
                let mut cells = vec![String::new(); width];
                cells[j] = raw[0].clone();
                self.push(row, cells, None, true);
            }
            return;
        }
        let filled: Vec<&String> = raw.iter().filter(|c| !c.is_empty()).collect();
        if filled.is_empty() {
            return;
        }
        // A section heading whose text ran across the cells of its row.
        if let Some(text) = self.spanning_heading(&raw) {
            self.row_section = Some(section_name(&text));
            self.pending_caption = Some(text);
            self.next_starts = true;
            self.account(row);
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
            self.next_starts = true;
            self.account(row);
            return;
        }
        self.pending_caption = None;
        if self.pieces.is_empty() && self.header_continuation(&raw) {
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
            self.account(row);
            self.header_keys.push(header_key(&raw));
            return;
        }
        let (cells, reference) = self.fit(raw);
        self.push(row, cells, reference, false);
    }

    /// The logical rows: physical rows segmented by [`rows::segment`] (text and other
    /// line-based tables) or taken one by one (tables whose format delimits rows), joined.
    /// The pieces move into the rows (a copy would double a large table for a moment).
    fn logical_rows(&mut self) -> Vec<BRow> {
        let starts: Vec<bool> = if self.wrapped {
            let lines: Vec<rows::Line<'_>> = self
                .pieces
                .iter()
                .map(|p| rows::Line {
                    cells: &p.cells,
                    marker: p.marker.as_deref(),
                    gap_before: p.gap_before,
                    page_break_before: p.page_break_before,
                    continues: p.continues,
                    starts: p.starts,
                })
                .collect();
            let roles = rows::Roles {
                marker: self.ref_col,
                action: self.action_col,
                due: self.due_col,
            };
            let scored = rows::segment_scored(&lines, &roles);
            if std::env::var_os("CARERS_DEBUG_ROWS").is_some() {
                for (p, (start, score)) in self.pieces.iter().zip(&scored) {
                    eprintln!(
                        "{:>6} {} {:>6.2} {}",
                        p.row.source.line.unwrap_or(0),
                        if *start { "NEW" } else { "   " },
                        score,
                        p.cells.join(" | ")
                    );
                }
            }
            scored.into_iter().map(|(s, _)| s).collect()
        } else {
            self.pieces
                .iter()
                .enumerate()
                .map(|(k, p)| k == 0 || p.starts || !p.continues)
                .collect()
        };
        let mut out: Vec<BRow> = Vec::new();
        for (p, start) in std::mem::take(&mut self.pieces).into_iter().zip(starts) {
            match out.last_mut() {
                Some(prev) if !start => {
                    for (c, t) in prev.cells.iter_mut().zip(&p.cells) {
                        if !t.is_empty() {
                            if !c.is_empty() {
                                c.push('\n');
                            }
                            c.push_str(t);
                        }
                    }
                    if prev.reference.is_none() {
                        prev.reference = p.reference;
                    }
                    let prow = &mut prev.row;
                    prow.source.line_end = p
                        .row
                        .source
                        .line_end
                        .or(p.row.source.line)
                        .or(prow.source.line_end);
                }
                _ => {
                    if p.cells.iter().all(|c| c.is_empty()) {
                        continue;
                    }
                    out.push(BRow {
                        cells: p.cells,
                        row: p.row,
                        reference: p.reference,
                        section: p.section,
                    })
                }
            }
        }
        out
    }

    fn finish(mut self, table_index: u32) -> Plan {
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
        ) in self.logical_rows().into_iter().enumerate()
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
                        pr.values.insert(f, text);
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
                        pr.extra.insert(name, text);
                    }
                }
            }
            if let Some(r) = reference {
                pr.values.insert(Field::Ref, r);
            }
            // A lead or deadline written in the action cell, where the table has no column
            // for it ("... (Lead: ICB, by March 2026)").
            let missing: Vec<Field> = [Field::Lead, Field::Due, Field::Evidence]
                .into_iter()
                .filter(|&f| self.col(f).is_none())
                .collect();
            if let (false, Some(text)) = (missing.is_empty(), pr.values.get(&Field::Action)) {
                let (action, fields) = super::inline::split(text, &super::inline::DEFAULT);
                let found: Vec<(Field, String)> = fields
                    .into_iter()
                    .filter(|(f, _)| missing.contains(f))
                    .collect();
                if found
                    .iter()
                    .any(|(f, _)| matches!(f, Field::Lead | Field::Due))
                {
                    pr.values.insert(Field::Action, action);
                    for (f, v) in found {
                        pr.values.insert(f, v);
                    }
                }
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
            pr.section = section.or(row_section).or_else(|| self.section.clone());
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

/// Longest section name kept, in characters. Every action under a section carries its name,
/// so a long one is copied once per row: a one-cell row of 2.7 MB above 10,000 rows asked for
/// 27 GB (found by `scripts/mutate.py`). The longest real one measured is 435 characters.
const MAX_SECTION_CHARS: usize = 1000;

/// A section name from a section cell or row: "Having a Break\nCont'd" -> "Having a Break".
/// Past [`MAX_SECTION_CHARS`] the name is cut at a word and ends in "…".
pub fn section_name(s: &str) -> String {
    // Only the start can be kept: do not join the lines of a whole book to cut it.
    let head = match s.char_indices().nth(MAX_SECTION_CHARS * 2) {
        Some((i, _)) => &s[..i],
        None => s,
    };
    let joined = crate::normalise::text::join_lines(head.lines());
    let joined = CONTD.replace(&joined, "").trim().to_string();
    let name = joined.trim_end_matches([':', '-', '–']).trim();
    match name.char_indices().nth(MAX_SECTION_CHARS) {
        None => name.to_string(),
        Some((cut, _)) => {
            let kept = &name[..cut];
            let at_word = kept.rfind(' ').map_or(kept, |i| &kept[..i]);
            format!("{}…", at_word.trim_end())
        }
    }
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
    // Header keys once per row (a long table compares every row with its header).
    let keys: Vec<Vec<String>> = all.iter().map(|c| header_key(c)).collect();
    let mut header_memo = HeaderMemo::default();
    let mut out = Vec::new();
    let mut cur: Option<Builder> = None;
    let mut caption: Vec<String> = Vec::new();
    // Rows before the table's first header (their caption texts are `caption`).
    let mut before: Vec<usize> = Vec::new();
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
            if let Some(b) = cur.as_mut() {
                b.skip_header(row);
            }
            continue;
        }
        if let Some(b) = cur.as_mut() {
            if !key.is_empty() && b.header_keys.contains(&key) && b.pending_caption.is_none() {
                b.repeat_header(row);
                continue;
            }
            // The header repeated with some labels left out: every label it prints is the
            // current header's label in the same column.
            if repeats_labels(cells, &b.columns) {
                if b.pending_caption.is_none() {
                    b.repeat_header(row);
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
                &mut header_memo,
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
                        b.repeat_header(row);
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
                skip = m.lines - 1;
                let first_data = r + m.lines - 1;
                let mut nb = new_builder(
                    m,
                    None,
                    None,
                    row.source.clone(),
                    table.wrapped_lines,
                    &all,
                    first_data,
                    &opts.header_synonyms,
                );
                // Rows printed before the table's first header belong to it when they are shaped
                // like its rows: the header is the repeat of one printed on an earlier page.
                let k = nb.rows_before(&before, &all);
                if !before.is_empty() {
                    caption.truncate(k.min(caption.len()));
                }
                let (mut section, objective) = split_caption(&caption.join(" "));
                nb.objective = objective.or_else(|| around.objective.clone());
                if section.is_none() {
                    section = around.section.clone();
                }
                nb.section = section;
                for &q in &before[k.min(before.len())..] {
                    nb.add(&rows[q]);
                }
                before.clear();
                caption.clear();
                cur = Some(nb);
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
                    before.push(r);
                }
            }
            Some(b) => {
                // A repeated header followed by a row numbered 1 starts a new plan.
                if b.repeated_header
                    && !b.pieces.is_empty()
                    && b.numbering_col().is_some()
                    && first_ordinal(cells) == Some(1)
                    && b.last_ordinal().is_some_and(|n| n > 1)
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
                    nb.add(row);
                    cur = Some(nb);
                } else {
                    b.add(row);
                }
            }
        }
    }
    // The per-row copies are not needed to finish the last plan (memory on long tables).
    drop(all);
    drop(keys);
    if let Some(b) = cur.take() {
        out.push(b.finish(table_index));
    }
    if out.is_empty() {
        return Err(rejected);
    }
    Ok(out)
}

/// A header found at some row: its columns and evidence.
#[derive(Clone)]
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
        pieces: Vec::new(),
        row_section: None,
        last_marker: None,
        next_starts: false,
        accounted: None,
        data_page: None,
        after_header: false,
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
                a.ends_with('/') || a.ends_with('&') || a.ends_with(',') || rows::ends_dangling(a)
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

/// Rows [`header_mapping`] reads from its header row on: up to three header lines, then the
/// 40 rows [`mapping_at`] profiles under them.
const HEADER_WINDOW: usize = 3 + 40;
/// Windows [`HeaderMemo`] remembers (then it starts again).
const HEADER_MEMO: usize = 4096;

/// Results of [`header_mapping`] by the rows it reads. A candidate header is judged only by its
/// window of rows (and the plan state), so the same window gives the same answer: a table that
/// repeats one header row or block of rows thousands of times is judged once per distinct window,
/// not once per row (50,000 repeated header rows took over 20 s).
#[derive(Default)]
struct HeaderMemo {
    seen: std::collections::HashMap<u64, (usize, Result<HeaderMatch, Option<String>>)>,
}

impl HeaderMemo {
    fn window(all: &[Vec<String>], r: usize) -> &[Vec<String>] {
        &all[r..all.len().min(r + HEADER_WINDOW)]
    }

    fn flags(rows: &[Row], r: usize) -> [bool; 3] {
        [0, 1, 2].map(|k| rows.get(r + k).is_some_and(|x| x.header))
    }

    /// The result for the header candidate at `r`, computed by `run` unless a row with the same
    /// window (compared in full, not only by hash) was judged in the same state.
    fn get_or(
        &mut self,
        all: &[Vec<String>],
        rows: &[Row],
        r: usize,
        state: (bool, bool),
        run: impl FnOnce() -> Result<HeaderMatch, Option<String>>,
    ) -> Result<HeaderMatch, Option<String>> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        Self::window(all, r).hash(&mut h);
        Self::flags(rows, r).hash(&mut h);
        state.hash(&mut h);
        let key = h.finish();
        if let Some((r0, result)) = self.seen.get(&key) {
            if Self::window(all, *r0) == Self::window(all, r)
                && Self::flags(rows, *r0) == Self::flags(rows, r)
            {
                return result.clone();
            }
        }
        let result = run();
        if self.seen.len() >= HEADER_MEMO {
            self.seen.clear();
        }
        self.seen.insert(key, (r, result.clone()));
        result
    }
}

/// The header mapping of row `r`, if it (with the lines that continue it) is an action-plan
/// header. The cheap tests on the row itself come first; the mapping of the rows under it is
/// remembered in `memo`.
#[allow(clippy::too_many_arguments)]
fn header_mapping(
    all: &[Vec<String>],
    rows: &[Row],
    r: usize,
    opts: &Options,
    inside: bool,
    near_top: bool,
    previous: Option<&[String]>,
    memo: &mut HeaderMemo,
) -> Result<HeaderMatch, Option<String>> {
    let flagged = rows[r].header;
    let mut first = all[r].clone();
    while first.last().is_some_and(|h| h.is_empty()) {
        first.pop();
    }
    if first.iter().filter(|c| !c.is_empty()).count() < 2 && !flagged {
        return Err(None);
    }
    if first.len() > MAX_PLAN_COLUMNS {
        return Err(Some(format!(
            "a header of {} columns is not an action plan's (at most {MAX_PLAN_COLUMNS})",
            first.len()
        )));
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
    memo.get_or(all, rows, r, (inside, near_top), || {
        header_lines(all, rows, r, opts, previous, weak, first)
    })
}

/// [`header_mapping`] past its tests on the header row: the header as one, two or three lines,
/// each mapped over the rows under it; the best that holds.
fn header_lines(
    all: &[Vec<String>],
    rows: &[Row],
    r: usize,
    opts: &Options,
    previous: Option<&[String]>,
    weak: bool,
    first: Vec<String>,
) -> Result<HeaderMatch, Option<String>> {
    let mut best: Option<(f64, HeaderMatch)> = None;
    let mut why: Option<String> = None;
    let mut labels = first;
    let mut keys = vec![header_key(&all[r])];
    for lines in 1..=3usize {
        if lines > 1 {
            let q = r + lines - 1;
            let Some(next) = all.get(q) else { break };
            if next.len() > MAX_PLAN_COLUMNS
                || !header_line_continues(&labels, next, rows[q].header)
            {
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
    // Columns beyond the labels count when at least two rows fill them (one stray long row,
    // cells split on a separator in its text, is folded into the last column, not a
    // thousand columns for every row of the table).
    let mut widths: Vec<usize> = below.iter().map(width).filter(|&w| w > 0).collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    let typical = widths
        .get(widths.len().min(2).saturating_sub(1))
        .copied()
        .unwrap_or(0)
        .min(MAX_PLAN_COLUMNS);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_are_joined_and_bounded() {
        assert_eq!(section_name("Having a Break\nCont'd"), "Having a Break");
        assert_eq!(section_name("Outcome 2:"), "Outcome 2");
        // A one-cell row of a whole page is not copied whole into every action below it.
        let long = "Carers are supported to look after their own health ".repeat(2000);
        let name = section_name(&long);
        assert!(
            name.chars().count() <= MAX_SECTION_CHARS + 1,
            "{}",
            name.len()
        );
        assert!(name.ends_with("their…") || name.ends_with('…'), "{name}");
        assert!(name.starts_with("Carers are supported"));
        assert!(!name.contains("  "));
    }
}
