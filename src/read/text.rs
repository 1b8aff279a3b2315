//! Plain-text reader: `.txt`, `.md` and standard input.
//!
//! Real strategies arrive as text extracted from PDF or Word files, with the extraction's
//! artefacts. This reader recognises, line by line:
//!
//! * tab-separated tables, one physical line per row (cells that wrapped continue on following
//!   lines; detection merges them back: [`Table::wrapped_lines`]);
//! * Word tables printed one cell per line (each cell starts with a tab, the header cells repeat
//!   per block, continuation lines of a cell carry no tab);
//! * Markdown pipe tables, and fixed-width columns as written by `pdftotext -layout`;
//! * headings, "Outcome: ..." statements, bullet and numbered list items, paragraphs;
//! * page furniture (page numbers, "Page N of M" footers), which is dropped; form feeds count pages.
//!
//! Encodings: UTF-8 (with or without BOM), UTF-16 (with BOM, or detected from NUL patterns) and
//! Windows-1252.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, BlockKind, Document, Row, Source, Table};
use crate::error::Result;

mod layout;

/// Read text bytes into a document.
pub fn read(bytes: &[u8]) -> Result<Document> {
    let text = decode(bytes);
    let lines = split_lines(&text);
    let pages = if text.contains('\u{c}') {
        lines.last().and_then(|l| l.page)
    } else {
        None
    };
    // The first line that is not furniture or a generic front-matter word.
    let title = lines
        .iter()
        .filter(|l| !l.text.trim().is_empty() && !is_furniture(&l.text))
        .find(|l| !GENERIC_TITLE.is_match(l.text.trim()))
        .map(|l| {
            clip(
                l.text
                    .replace('\t', " ")
                    .trim()
                    .trim_start_matches('#')
                    .trim(),
                200,
            )
        });
    let blocks = Parser::new(&lines).parse();
    Ok(Document {
        title,
        pages,
        blocks,
    })
}

/// Decode bytes to text: BOMs first, then UTF-16 by NUL pattern, UTF-8, else Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    let (text, _) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (String::from_utf8_lossy(rest).into_owned(), ())
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        (
            encoding_rs::UTF_16LE
                .decode_with_bom_removal(bytes)
                .0
                .into_owned(),
            (),
        )
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        (
            encoding_rs::UTF_16BE
                .decode_with_bom_removal(bytes)
                .0
                .into_owned(),
            (),
        )
    } else if let Some(enc) = utf16_without_bom(bytes) {
        (enc.decode_without_bom_handling(bytes).0.into_owned(), ())
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), ()),
            Err(_) => (
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
                (),
            ),
        }
    };
    text.chars()
        .filter(|&c| c == '\t' || c == '\n' || c == '\r' || c == '\u{c}' || !c.is_control())
        .collect()
}

pub(crate) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd * 10 > pairs * 4 && even * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 > pairs * 4 && odd * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// One physical line with its position.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    no: u32,
    page: Option<u32>,
}

fn split_lines(text: &str) -> Vec<Line> {
    let has_pages = text.contains('\u{c}');
    let mut page = 1u32;
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let mut line = raw.trim_end_matches('\r').to_string();
        let feeds = line.matches('\u{c}').count() as u32;
        if feeds > 0 {
            page += feeds;
            line = line.replace('\u{c}', "");
        }
        // Trailing spaces carry no meaning; trailing tabs mark empty cells, keep them.
        let trimmed = line.trim_end_matches([' ', '\u{a0}']).to_string();
        out.push(Line {
            text: trimmed,
            no: i as u32 + 1,
            page: has_pages.then_some(page),
        });
    }
    // A final newline makes an empty last line; drop it.
    if out.last().is_some_and(|l| l.text.is_empty()) {
        out.pop();
    }
    out
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars()
            .take(max)
            .collect::<String>()
            .trim_end()
            .to_string()
    }
}

static GENERIC_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(foreword|contents|table of contents|introduction|preface|draft|confidential|official|version\b.*|appendix\b.*|\d+)$").unwrap()
});
static GFM_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$").unwrap());
static ATX_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)\s*#*$").unwrap());
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[-–—]?\s*(page\s*)?\d{1,3}\s*((of|/)\s*\d{1,4})?\s*[-–—]?\s*$").unwrap()
});
static PAGE_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bpage\s+\d{1,4}\s+of\s+\d{1,4}\b").unwrap());

/// Page numbers and "Page N of M" footers: dropped wherever they appear (even inside tables).
fn is_furniture(line: &str) -> bool {
    if line.contains('\t') {
        return false;
    }
    let t = line.trim();
    PAGE_NUMBER.is_match(t) || (t.chars().count() < 120 && PAGE_OF.is_match(t))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// Exactly one leading tab and no other: one cell of a cell-per-line table.
    TabSingle,
    /// Tab-separated cells.
    TabMulti,
    /// A Markdown pipe-table line.
    Pipe,
    Text,
}

fn kind(line: &str) -> Kind {
    if line.contains('\t') {
        if line == "\t" {
            return Kind::TabSingle;
        }
        if line.trim().is_empty() {
            return Kind::Blank;
        }
        match line.strip_prefix('\t') {
            Some(rest) if !rest.contains('\t') => Kind::TabSingle,
            _ => Kind::TabMulti,
        }
    } else if line.trim().is_empty() {
        Kind::Blank
    } else {
        let t = line.trim();
        if t.starts_with('|') && t.matches('|').count() >= 2 {
            Kind::Pipe
        } else {
            Kind::Text
        }
    }
}

/// A line of only rule characters (`-----`, `=====`), possibly split by tabs.
fn is_rule_line(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().count() >= 3 && t.chars().all(|c| matches!(c, '-' | '=' | '_' | '–' | '—'))
}

static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    let glyphs = crate::normalise::text::BULLET_GLYPHS;
    Regex::new(&format!(
        r"^\s*((?:[{glyphs}\u{{2013}}\u{{2014}}]|o\b)\s*)+"
    ))
    .unwrap()
});
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\(?(\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)])\s+").unwrap());
static SECTION_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,2})((?:\.\d{1,2})*)\.?\s+\S").unwrap());
static KEYWORD_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(action\s+theme|theme|priority|outcome|objective|aim|section|chapter|appendix|part|strand|workstream|goal|key\s+(delivery\s+)?area)\b").unwrap()
});
/// A numbered paragraph ("3.4.", "12.1 "): it starts a paragraph of its own.
static PARAGRAPH_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}(\.\d{1,3})+\.?\s+\S").unwrap());
static OUTCOME_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(outcome|objective)s?\s*\d*\s*[:\-–]\s*\S").unwrap());

/// Is this (trimmed) line a bullet item? Returns the marker and the text after it.
fn bullet(line: &str) -> Option<(String, String)> {
    let m = BULLET.find(line)?;
    let rest = line[m.end()..].trim();
    if rest.is_empty() {
        return None;
    }
    let marker = m.as_str().trim().to_string();
    // A lone "o" or dash must be followed by a space to be a bullet ("o trial" still counts).
    Some((marker, rest.to_string()))
}

fn numbered(line: &str) -> Option<(String, String)> {
    let c = NUMBERED.captures(line)?;
    let m = c.get(0)?;
    Some((c[1].to_string(), line[m.end()..].trim().to_string()))
}

/// Heading level when the line looks like a heading on its own, given whether it stands alone.
fn heading_level(t: &str, isolated: bool) -> Option<u8> {
    let words = t.split_whitespace().count();
    if !t.chars().any(char::is_alphabetic) {
        return None;
    }
    if OUTCOME_LINE.is_match(t) {
        return Some(4);
    }
    let first = t.chars().next()?;
    if !(first.is_uppercase() || first.is_ascii_digit()) {
        return None;
    }
    let last = t.chars().last()?;
    if matches!(last, '.' | ',' | ';' | ':') || t.chars().count() > 100 || words > 14 {
        return None;
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.len() > 3 && letters.iter().all(|c| c.is_uppercase());
    if let Some(c) = SECTION_NUMBER.captures(t) {
        let depth = 1 + c[2].matches('.').count() as u8;
        return (isolated || all_caps).then_some(depth.min(4));
    }
    if KEYWORD_HEADING.is_match(t) {
        return Some(2);
    }
    if !isolated {
        return None;
    }
    if all_caps {
        return Some(1);
    }
    Some(2)
}

struct Parser<'a> {
    lines: &'a [Line],
    /// Kind of every line.
    kinds: Vec<Kind>,
    /// Characters of every line (fixed-width layout works in character positions).
    chars: Vec<Vec<char>>,
    /// Fixed-width tables found in the text.
    regions: Vec<layout::Region>,
    /// For every line, the fixed-width table starting there.
    region_at: Vec<Option<usize>>,
    /// How often each line's text occurs (computed when first needed).
    repeats: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

/// The last fixed-width table emitted, which the next part of a table may continue.
struct LastTable {
    /// Its block.
    block: usize,
    /// Its first part (region), whose columns are the table's.
    first: usize,
    /// Its last part (region).
    region: usize,
    /// For each column of that part, the table's column.
    columns: Vec<usize>,
    /// Number of columns of the table (those of its first part).
    width: usize,
    /// The lines of a header printed over several lines are marked as header rows.
    header_marked: bool,
}

/// How many lines two parts of a table open with alike (a header printed over several lines,
/// repeated on a new page): the first rows (already known to print the same header), then the
/// rows on the lines right under them that print the same words. At most three.
fn repeated_lines(a: &[Row], b: &[Row]) -> usize {
    let words = |r: &Row| -> Vec<String> {
        r.cells
            .iter()
            .flat_map(|c| c.text.split(|ch: char| !ch.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let next_line = |rows: &[Row], j: usize| match (rows[j - 1].source.line, rows[j].source.line) {
        (Some(p), Some(q)) => q == p + 1,
        _ => false,
    };
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let mut n = 1;
    while n < 3
        && n < a.len()
        && n < b.len()
        && next_line(a, n)
        && next_line(b, n)
        && !words(&a[n]).is_empty()
        && words(&a[n]) == words(&b[n])
    {
        n += 1;
    }
    n
}

/// A line's text for counting repeats (running headers): lower case, digits as `#`.
fn repeat_key(t: &str) -> String {
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

impl<'a> Parser<'a> {
    fn new(lines: &'a [Line]) -> Parser<'a> {
        let mut p = Parser {
            lines,
            kinds: Vec::new(),
            chars: lines.iter().map(|l| l.text.chars().collect()).collect(),
            regions: Vec::new(),
            region_at: vec![None; lines.len()],
            repeats: std::sync::OnceLock::new(),
        };
        p.kinds = (0..lines.len()).map(|i| p.line_kind(i)).collect();
        for i in p.running_lines() {
            p.kinds[i] = Kind::Blank;
        }
        let views: Vec<layout::LineView<'_>> = (0..lines.len())
            .map(|i| layout::LineView {
                chars: &p.chars[i],
                usable: matches!(p.kinds[i], Kind::Text | Kind::Blank),
                blank: p.kinds[i] == Kind::Blank,
                page: lines[i].page,
            })
            .collect();
        let regions = layout::regions(&views);
        drop(views);
        for (k, r) in regions.iter().enumerate() {
            p.region_at[r.start] = Some(k);
        }
        p.regions = regions;
        p.align_continued_parts();
        p
    }

    /// A table continued over several pages: lay the columns of its part with the most columns
    /// over every other part that fits them (shifted to where that page prints the table), so
    /// that a page showing a few rows, whose columns did not all show, splits like the rest.
    fn align_continued_parts(&mut self) {
        let mut k = 0;
        while k < self.regions.len() {
            let mut end = k;
            while end + 1 < self.regions.len() && self.continued(end, end + 1).is_some() {
                end += 1;
            }
            if end > k {
                let best = (k..=end)
                    .max_by_key(|&q| {
                        let r = &self.regions[q];
                        (r.bounds.len(), r.end - r.start)
                    })
                    .unwrap_or(k);
                let canon = self.regions[best].bounds.clone();
                for q in k..=end {
                    if q == best || self.regions[q].bounds.len() == canon.len() {
                        continue;
                    }
                    let r = &self.regions[q];
                    let lines: Vec<&[char]> = (r.start..=r.end)
                        .filter(|&i| self.kinds[i] != Kind::Blank)
                        .map(|i| self.chars[i].as_slice())
                        .collect();
                    if let Some(shifted) = layout::shift_onto(&canon, &r.bounds, &lines) {
                        self.regions[q].bounds = shifted;
                    }
                }
            }
            k = end + 1;
        }
    }

    fn kind(&self, i: usize) -> Kind {
        self.kinds[i]
    }

    /// Running headers and footers: lines at the top or bottom of pages (the first or last two
    /// lines with text) whose text, numbers aside, recurs there on several pages. Lines with
    /// three runs of text or more are table rows (a repeated header), never furniture.
    fn running_lines(&self) -> Vec<usize> {
        let Some(pages) = self.lines.last().and_then(|l| l.page) else {
            return Vec::new();
        };
        if pages < 2 {
            return Vec::new();
        }
        let mut edges: Vec<(usize, String)> = Vec::new();
        let mut i = 0;
        while i < self.lines.len() {
            let page = self.lines[i].page;
            let mut j = i;
            while j < self.lines.len() && self.lines[j].page == page {
                j += 1;
            }
            let text: Vec<usize> = (i..j).filter(|&k| self.kinds[k] == Kind::Text).collect();
            let mut picked: Vec<usize> = text.iter().take(2).copied().collect();
            picked.extend(text.iter().rev().take(2).copied());
            picked.sort_unstable();
            picked.dedup();
            for k in picked {
                if layout::segments(&self.chars[k]).len() <= 2 {
                    edges.push((k, repeat_key(&self.lines[k].text)));
                }
            }
            i = j;
        }
        let mut counts: std::collections::HashMap<&str, usize> = Default::default();
        for (_, key) in &edges {
            *counts.entry(key.as_str()).or_default() += 1;
        }
        let need = if pages == 2 {
            2
        } else {
            3.max((pages as usize).div_ceil(2))
        };
        edges
            .iter()
            .filter(|(_, key)| counts.get(key.as_str()).is_some_and(|&n| n >= need))
            .map(|(k, _)| *k)
            .collect()
    }

    fn line_kind(&self, i: usize) -> Kind {
        let text = &self.lines[i].text;
        if is_furniture(text) {
            return Kind::Blank;
        }
        match kind(text) {
            Kind::Text if text.contains('|') && self.in_gfm_table(i) => Kind::Pipe,
            k => k,
        }
    }

    /// A Markdown table written without outer pipes (`Action | Lead` / `--- | ---`): the line is
    /// its separator, its header (separator next) or a row below the separator.
    fn in_gfm_table(&self, i: usize) -> bool {
        let sep = |j: usize| GFM_SEPARATOR.is_match(&self.lines[j].text);
        if sep(i) || (i + 1 < self.lines.len() && sep(i + 1)) {
            return true;
        }
        (i.saturating_sub(50)..i)
            .rev()
            .take_while(|&j| self.lines[j].text.contains('|'))
            .any(sep)
    }

    fn src(&self, start: usize, end: usize) -> Source {
        let a = &self.lines[start];
        let b = &self.lines[end.max(start).min(self.lines.len() - 1)];
        Source {
            page: a.page,
            line: Some(a.no),
            line_end: (b.no > a.no).then_some(b.no),
            ..Source::default()
        }
    }

    fn blank_before(&self, i: usize) -> bool {
        i == 0 || self.kind(i - 1) == Kind::Blank
    }

    fn blank_after(&self, i: usize) -> bool {
        i + 1 >= self.lines.len() || self.kind(i + 1) == Kind::Blank
    }

    /// Is line `i` underlined by a rule line (setext-style heading, possibly tab-split)?
    fn underlined(&self, i: usize) -> bool {
        i + 1 < self.lines.len()
            && is_rule_line(&self.lines[i + 1].text)
            && !is_rule_line(&self.lines[i].text)
    }

    fn parse(&self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut i = 0;
        let mut last_table: Option<LastTable> = None;
        while i < self.lines.len() {
            let k = self.kind(i);
            if let Some(r) = self.region_at[i] {
                i = self.fixed_width(r, &mut blocks, &mut last_table);
                continue;
            }
            if k != Kind::Blank && self.underlined(i) {
                let text = self.lines[i]
                    .text
                    .split('\t')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                blocks.push(Block {
                    kind: BlockKind::Heading { level: 2, text },
                    source: self.src(i, i + 1),
                });
                i += 2;
                continue;
            }
            i = match k {
                Kind::Blank => i + 1,
                Kind::TabSingle => self.vertical(i, &mut blocks),
                Kind::TabMulti => self.horizontal(i, &mut blocks),
                Kind::Pipe => self.pipe(i, &mut blocks),
                Kind::Text => self.prose(i, &mut blocks),
            };
        }
        blocks
    }

    /// Tab-separated rows, one physical line per row.
    fn horizontal(&self, start: usize, blocks: &mut Vec<Block>) -> usize {
        let mut rows = Vec::new();
        let mut i = start;
        let mut last = start;
        while i < self.lines.len() {
            let k = self.kind(i);
            // A line without tabs between two tab rows is a wrapped piece of the row above.
            let sandwiched = k == Kind::Text
                && i > start
                && self.kind(i - 1) == Kind::TabMulti
                && i + 1 < self.lines.len()
                && self.kind(i + 1) == Kind::TabMulti;
            if sandwiched {
                let mut row = Row::from_texts([self.lines[i].text.trim()], self.src(i, i));
                row.continuation = true;
                rows.push(row);
                last = i;
                i += 1;
                continue;
            }
            if matches!(k, Kind::Text | Kind::Pipe)
                || (i > start && k != Kind::Blank && self.underlined(i))
            {
                break;
            }
            if k != Kind::Blank {
                let text = &self.lines[i].text;
                if !is_rule_line(text) && !text.split('\t').all(is_junk_cell) {
                    rows.push(Row::from_texts(
                        text.split('\t').map(str::trim),
                        self.src(i, i),
                    ));
                }
                last = i;
            }
            i += 1;
        }
        if !rows.is_empty() {
            blocks.push(Block {
                kind: BlockKind::Table(Table {
                    rows,
                    wrapped_lines: true,
                }),
                source: self.src(start, last),
            });
        }
        last + 1
    }

    /// Word tables printed one cell per line: each cell starts with a tab; lines without a tab
    /// continue the cell above; the header cells repeat for every block of rows.
    fn vertical(&self, start: usize, blocks: &mut Vec<Block>) -> usize {
        struct VCell {
            lines: Vec<String>,
            start: usize,
            end: usize,
        }
        let mut cells: Vec<VCell> = Vec::new();
        let mut i = start;
        let mut blanks = 0;
        while i < self.lines.len() {
            match self.kind(i) {
                Kind::TabSingle => {
                    let t = self.lines[i].text.trim_start_matches('\t').trim();
                    cells.push(VCell {
                        lines: if t.is_empty() {
                            vec![]
                        } else {
                            vec![t.to_string()]
                        },
                        start: i,
                        end: i,
                    });
                    blanks = 0;
                }
                Kind::Text if blanks < 2 => {
                    if let Some(c) = cells.last_mut() {
                        c.lines.push(self.lines[i].text.trim().to_string());
                        c.end = i;
                    }
                    blanks = 0;
                }
                Kind::Blank => blanks += 1,
                _ => break,
            }
            i += 1;
        }
        let end = cells.last().map_or(start, |c| c.end) + 1;

        // Header width: the first run of single-line cells on consecutive lines.
        let mut width = 0;
        let mut first = 0;
        for (p, c) in cells.iter().enumerate() {
            let single = c.lines.len() == 1 && c.lines[0].split_whitespace().count() <= 10;
            let run = p > 0 && width > 0 && c.start == cells[p - 1].end + 1 && single;
            if run {
                width += 1;
            } else if width >= 2 {
                break;
            } else if single {
                width = 1;
                first = p;
            } else {
                width = 0;
            }
        }
        if width < 2 {
            // Header cells separated by blank lines: the header is the opening run of short
            // cells that the table repeats later (as long as the repeat matches), and the repeat
            // must fall on a whole number of rows.
            let key = |c: &VCell| c.lines.join(" ").trim().to_lowercase();
            let k0 = key(&cells[0]);
            if !k0.is_empty() && k0.split_whitespace().count() <= 10 {
                for p in 2..cells.len() {
                    if key(&cells[p]) != k0 {
                        continue;
                    }
                    let run = (0..p)
                        .take_while(|&j| {
                            p + j < cells.len() && key(&cells[j]) == key(&cells[p + j])
                        })
                        .count();
                    if run >= 2 && p % run == 0 {
                        width = run;
                        first = 0;
                    }
                    break;
                }
            }
        }
        if width < 2 || cells.len() < width * 2 {
            // Not a table: indented paragraphs.
            for c in &cells {
                if !c.lines.is_empty() {
                    blocks.push(Block {
                        kind: BlockKind::Paragraph {
                            text: c.lines.join(" "),
                        },
                        source: self.src(c.start, c.end),
                    });
                }
            }
            return end;
        }
        for c in &cells[..first] {
            if !c.lines.is_empty() {
                blocks.push(Block {
                    kind: BlockKind::Paragraph {
                        text: c.lines.join(" "),
                    },
                    source: self.src(c.start, c.end),
                });
            }
        }
        let header: Vec<String> = cells[first..first + width]
            .iter()
            .map(|c| c.lines.join(" "))
            .collect();
        let header_key: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
        let is_header_at = |p: usize| {
            p + width <= cells.len()
                && (0..width)
                    .all(|k| cells[p + k].lines.join(" ").trim().to_lowercase() == header_key[k])
        };
        let mut rows = Vec::new();
        let mut p = first;
        while p < cells.len() {
            if is_header_at(p) {
                let mut row = Row::from_texts(
                    header.iter().cloned(),
                    self.src(cells[p].start, cells[p + width - 1].end),
                );
                row.header = true;
                rows.push(row);
                p += width;
                continue;
            }
            let next_header = (p + 1..cells.len())
                .find(|&q| is_header_at(q))
                .unwrap_or(cells.len());
            let take = width.min(next_header - p);
            let chunk = &cells[p..p + take];
            let mut texts: Vec<String> = chunk
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let mut lines: Vec<&str> = c.lines.iter().map(String::as_str).collect();
                    // Word's text export repeats a column's header label at the end of a cell.
                    if lines.len() > 1
                        && lines.last().is_some_and(|l| {
                            header_key.iter().any(|h| *h == l.trim().to_lowercase())
                        })
                    {
                        lines.pop();
                    }
                    let _ = k;
                    lines
                        .into_iter()
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect();
            texts.resize(width, String::new());
            let row_end = chunk.last().map_or(cells[p].end, |c| c.end);
            rows.push(Row::from_texts(texts, self.src(cells[p].start, row_end)));
            p += take;
        }
        blocks.push(Block {
            kind: BlockKind::Table(Table {
                rows,
                wrapped_lines: false,
            }),
            source: self.src(cells[first].start, end - 1),
        });
        end
    }

    /// Markdown pipe tables.
    fn pipe(&self, start: usize, blocks: &mut Vec<Block>) -> usize {
        static SEP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^:?-{2,}:?$").unwrap());
        static BR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").unwrap());
        let mut rows: Vec<Row> = Vec::new();
        let mut i = start;
        while i < self.lines.len() && self.kind(i) == Kind::Pipe {
            let t = self.lines[i].text.trim();
            let inner = t.strip_prefix('|').unwrap_or(t);
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let cells: Vec<String> = split_pipes(inner)
                .into_iter()
                .map(|c| BR.replace_all(c.trim(), "\n").to_string())
                .collect();
            if cells.iter().all(|c| SEP.is_match(c.trim())) {
                if let Some(prev) = rows.last_mut() {
                    prev.header = true;
                }
            } else {
                rows.push(Row::from_texts(cells, self.src(i, i)));
            }
            i += 1;
        }
        blocks.push(Block {
            kind: BlockKind::Table(Table {
                rows,
                wrapped_lines: false,
            }),
            source: self.src(start, i - 1),
        });
        i
    }

    /// The rows of a fixed-width table: one row per line, split at the columns; a line of one
    /// run of text crossing the columns (a heading spanning the table) is a row of one cell, and
    /// the lines that continue it in lower case join it.
    fn region_rows(&self, r: &layout::Region) -> Vec<Row> {
        let mut rows: Vec<Row> = Vec::new();
        let mut spanning: Option<usize> = None;
        for k in r.start..=r.end {
            if self.kind(k) == Kind::Blank || is_rule_line(&self.lines[k].text) {
                continue;
            }
            let chars = &self.chars[k];
            let t = self.lines[k].text.trim();
            if let Some(s) = spanning {
                let segs = layout::segments(chars);
                let indent = |c: &[char]| c.iter().take_while(|c| c.is_whitespace()).count();
                if segs.len() == 1
                    && indent(chars)
                        == indent(&self.chars[rows[s].source.line.map_or(k, |l| l as usize - 1)])
                    && t.chars().next().is_some_and(char::is_lowercase)
                {
                    let row = &mut rows[s];
                    row.cells[0].text.push(' ');
                    row.cells[0].text.push_str(t);
                    row.source.line_end = Some(self.lines[k].no);
                    continue;
                }
            }
            if layout::spans(chars, &r.bounds) {
                rows.push(Row::from_texts([t.to_string()], self.src(k, k)));
                spanning = Some(rows.len() - 1);
                continue;
            }
            spanning = None;
            rows.push(Row::from_texts(
                layout::cells(chars, &r.bounds),
                self.src(k, k),
            ));
        }
        rows
    }

    /// Emit the fixed-width table of region `r`; a table continued from the previous page (only
    /// blank lines, page furniture and running headers between) joins the part before it, its
    /// columns mapped by position relative to each part.
    fn fixed_width(
        &self,
        r: usize,
        blocks: &mut Vec<Block>,
        last_table: &mut Option<LastTable>,
    ) -> usize {
        let region = &self.regions[r];
        let mut rows = self.region_rows(region);
        let next = region.end + 1;
        if let Some(last) = last_table.as_mut() {
            if let Some(between) = self.continued(last.region, r) {
                let prev = &self.regions[last.region];
                let width = |g: &layout::Region| {
                    (g.start..=g.end)
                        .map(|k| self.chars[k].len())
                        .max()
                        .unwrap_or(0)
                };
                let texts = |rows: &[Row]| -> Vec<String> {
                    rows.first()
                        .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
                        .unwrap_or_default()
                };
                let next_head = texts(&rows);
                let first = &self.regions[last.first];
                let first_rows = self.region_rows(first);
                let first_head = texts(&first_rows);
                // A header printed over several lines repeats all of them on every page: the
                // lines the two parts open with alike, on consecutive lines, are the header.
                let header_lines = if layout::same_header(&first_head, &next_head) {
                    repeated_lines(&first_rows, &rows)
                } else {
                    0
                };
                let this = layout::Part {
                    bounds: &region.bounds,
                    width: width(region),
                    first_row: &next_head,
                };
                // A part that repeats the table's header maps onto the first part by it; any
                // other onto the part before it, then onto the table's columns.
                let map: Vec<usize> = if layout::same_header(&first_head, &next_head) {
                    layout::map_columns(
                        &layout::Part {
                            bounds: &first.bounds,
                            width: width(first),
                            first_row: &first_head,
                        },
                        &this,
                    )
                } else {
                    let prev_head = texts(&self.region_rows(prev));
                    layout::map_columns(
                        &layout::Part {
                            bounds: &prev.bounds,
                            width: width(prev),
                            first_row: &prev_head,
                        },
                        &this,
                    )
                    .into_iter()
                    .map(|c| last.columns.get(c).copied().unwrap_or(0))
                    .collect()
                };
                // Blocks made of the lines between (running headers) are dropped or kept as
                // rows of one cell.
                blocks.truncate(last.block + 1);
                if let Some(Block {
                    kind: BlockKind::Table(t),
                    source,
                }) = blocks.get_mut(last.block)
                {
                    for k in between {
                        t.rows.push(Row::from_texts(
                            [self.lines[k].text.trim().to_string()],
                            self.src(k, k),
                        ));
                    }
                    if header_lines >= 2 && !last.header_marked {
                        for row in t.rows.iter_mut().take(header_lines) {
                            row.header = true;
                        }
                        last.header_marked = true;
                    }
                    let w = last.width;
                    for (j, mut row) in rows.drain(..).enumerate() {
                        row.header = j < header_lines && header_lines >= 2;
                        // The repeated header lines print what the first part's header lines
                        // print, whatever columns this part's lines split into.
                        if let Some(h) = first_rows.get(j).filter(|_| j < header_lines) {
                            let mut copy =
                                Row::from_texts(h.cells.iter().map(|c| c.text.clone()), row.source);
                            copy.header = row.header;
                            t.rows.push(copy);
                            continue;
                        }
                        if row.cells.len() == 1 {
                            t.rows.push(row);
                            continue;
                        }
                        let mut cells = vec![String::new(); w];
                        for (c, cell) in row.cells.iter().enumerate() {
                            let to = map.get(c).copied().unwrap_or(0).min(w - 1);
                            if !cell.text.is_empty() {
                                if !cells[to].is_empty() {
                                    cells[to].push(' ');
                                }
                                cells[to].push_str(&cell.text);
                            }
                        }
                        let mut fitted = Row::from_texts(cells, row.source);
                        fitted.header = row.header;
                        t.rows.push(fitted);
                    }
                    source.line_end = Some(self.lines[region.end].no);
                    last.region = r;
                    last.columns = map;
                    return next;
                }
            }
        }
        if rows.is_empty() {
            return next;
        }
        blocks.push(Block {
            kind: BlockKind::Table(Table {
                rows,
                wrapped_lines: true,
            }),
            source: self.src(region.start, region.end),
        });
        *last_table = Some(LastTable {
            block: blocks.len() - 1,
            first: r,
            region: r,
            columns: (0..region.bounds.len()).collect(),
            width: region.bounds.len(),
            header_marked: false,
        });
        next
    }

    /// Does region `r` continue the table of region `q`, on the same page or the next? Only
    /// blank lines, furniture and a few short lines (running headers and footers, or a heading)
    /// may lie between. Returns the lines between that are kept (headings, not repeated furniture).
    fn continued(&self, q: usize, r: usize) -> Option<Vec<usize>> {
        let (a, b) = (&self.regions[q], &self.regions[r]);
        let (pa, pb) = (self.lines[a.end].page, self.lines[b.start].page);
        match (pa, pb) {
            (Some(x), Some(y)) if y == x || y == x + 1 => {}
            (None, None) => {}
            _ => return None,
        }
        let between: Vec<usize> = (a.end + 1..b.start)
            .filter(|&k| self.kind(k) != Kind::Blank)
            .collect();
        if pa == pb && !between.is_empty() {
            // On one page, text between two tables separates them.
            return None;
        }
        if between.len() > 3
            || between.iter().any(|&k| {
                self.kind(k) != Kind::Text
                    || layout::segments(&self.chars[k]).len() > 1
                    || self.lines[k].text.trim().chars().count() > 80
            })
        {
            return None;
        }
        let width = (b.start..=b.end)
            .map(|k| self.chars[k].len())
            .max()
            .unwrap_or(0);
        Some(
            between
                .into_iter()
                .filter(|&k| {
                    let indent = self.chars[k]
                        .iter()
                        .take_while(|c| c.is_whitespace())
                        .count();
                    // Running headers sit right or centre, or repeat on other pages.
                    indent * 3 < width && !self.repeated(k)
                })
                .collect(),
        )
    }

    /// Is line `k` printed again elsewhere in the text (a running header or footer)?
    fn repeated(&self, k: usize) -> bool {
        let counts = self.repeats.get_or_init(|| {
            let mut m: std::collections::HashMap<String, usize> = Default::default();
            for l in self.lines {
                if !l.text.trim().is_empty() {
                    *m.entry(repeat_key(&l.text)).or_default() += 1;
                }
            }
            m
        });
        counts
            .get(&repeat_key(&self.lines[k].text))
            .is_some_and(|&n| n > 1)
    }

    /// Headings, list items and paragraphs.
    fn prose(&self, i: usize, blocks: &mut Vec<Block>) -> usize {
        let t = self.lines[i].text.trim();
        if let Some(c) = ATX_HEADING.captures(t) {
            blocks.push(Block {
                kind: BlockKind::Heading {
                    level: c[1].len() as u8,
                    text: c[2].trim().to_string(),
                },
                source: self.src(i, i),
            });
            return i + 1;
        }
        if let Some((marker, text)) = bullet(t).or_else(|| {
            // A single-level number is a list item unless the line is a heading.
            numbered(t)
                .filter(|_| heading_level(t, self.blank_before(i) && self.blank_after(i)).is_none())
        }) {
            let (text, next) = self.continue_lines(i, text);
            let indent = self.lines[i].text.len() - self.lines[i].text.trim_start().len();
            blocks.push(Block {
                kind: BlockKind::ListItem {
                    text,
                    marker,
                    level: 1 + (indent / 4).min(3) as u8,
                },
                source: self.src(i, next - 1),
            });
            return next;
        }
        let isolated = self.blank_before(i) && self.blank_after(i);
        if let Some(level) = heading_level(t, isolated) {
            blocks.push(Block {
                kind: BlockKind::Heading {
                    level,
                    text: t.to_string(),
                },
                source: self.src(i, i),
            });
            return i + 1;
        }
        let (text, next) = self.continue_lines(i, t.to_string());
        blocks.push(Block {
            kind: BlockKind::Paragraph { text },
            source: self.src(i, next - 1),
        });
        next
    }

    /// Join the following plain text lines (wrapped prose) onto `text`.
    fn continue_lines(&self, i: usize, mut text: String) -> (String, usize) {
        let mut j = i + 1;
        while j < self.lines.len() && self.kind(j) == Kind::Text && self.region_at[j].is_none() {
            let t = self.lines[j].text.trim();
            if bullet(t).is_some()
                || numbered(t).is_some()
                || PARAGRAPH_NUMBER.is_match(t)
                || OUTCOME_LINE.is_match(t)
                || ATX_HEADING.is_match(t)
                || self.underlined(j)
            {
                break;
            }
            if heading_level(t, self.blank_after(j)).is_some() && self.blank_after(j) {
                break;
            }
            text.push(' ');
            text.push_str(t);
            j += 1;
        }
        (text, j)
    }
}

fn is_junk_cell(c: &str) -> bool {
    c.trim()
        .chars()
        .all(|ch| matches!(ch, '-' | '–' | '_' | '=' | '.' | '·' | '•') || ch.is_whitespace())
}

/// Split a Markdown row on unescaped pipes.
fn split_pipes(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            out.push(&s[from..i]);
            from = i + 1;
        }
    }
    out.push(&s[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        read(s.as_bytes()).unwrap()
    }

    fn tables(d: &Document) -> Vec<&Table> {
        d.tables().collect()
    }

    #[test]
    fn decodes_encodings() {
        assert_eq!(decode("caf\u{e9}".as_bytes()), "café");
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF, b'a']), "a");
        assert_eq!(decode(b"caf\xe9 \x93q\x94"), "café \u{201c}q\u{201d}");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Lead\tDue".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&le), "Lead\tDue");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Lead".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&be), "Lead");
        let nobom: Vec<u8> = "Action plan for carers"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode(&nobom), "Action plan for carers");
        assert_eq!(decode(b"a\0b"), "ab");
    }

    #[test]
    fn tab_rows_keep_continuation_lines_and_drop_page_numbers() {
        let d = doc("Employment\n\n\tAction\tLead\tBy when?\n1\tAssist carers\tPIE\tOngoing\n\tinto work\t\t\n12\nPage 3 of 40\n2\tWork with employers\tHHAS\tMarch 2009\n");
        let t = tables(&d);
        assert_eq!(t.len(), 1);
        assert!(t[0].wrapped_lines);
        let texts: Vec<Vec<&str>> = t[0].rows.iter().map(|r| r.texts()).collect();
        assert_eq!(texts.len(), 4);
        assert_eq!(texts[2], vec!["", "into work", "", ""]);
        assert_eq!(texts[3][1], "Work with employers");
        assert_eq!(t[0].rows[3].source.line, Some(8));
        assert!(
            matches!(&d.blocks[0].kind, BlockKind::Heading { text, .. } if text == "Employment")
        );
    }

    #[test]
    fn cell_per_line_tables_group_by_repeated_header() {
        let s = "\tArea\n\tAction\n\tLead\n\n\tBreaks\n\t· Assess needs\n\n· Review services\n\t· Social care\n\n\n\tArea\n\tAction\n\tLead\n\n\tBreaks\nCont'd\n\t\n\tSee above\nLead\n";
        let d = doc(s);
        let t = tables(&d);
        assert_eq!(t.len(), 1);
        let rows: Vec<Vec<&str>> = t[0].rows.iter().map(|r| r.texts()).collect();
        assert_eq!(rows[0], vec!["Area", "Action", "Lead"]);
        assert!(t[0].rows[0].header && t[0].rows[2].header);
        assert_eq!(
            rows[1],
            vec![
                "Breaks",
                "· Assess needs\n· Review services",
                "· Social care"
            ]
        );
        assert_eq!(rows[3], vec!["Breaks\nCont'd", "", "See above"]);
    }

    #[test]
    fn pipe_tables_mark_the_header() {
        let d = doc("| Action | Lead |\n|---|---|\n| Do it<br>now | HHAS \\| PCT |\n");
        let t = tables(&d);
        assert!(t[0].rows[0].header);
        assert_eq!(t[0].rows[1].texts(), vec!["Do it\nnow", "HHAS \\| PCT"]);
    }

    #[test]
    fn fixed_width_columns_are_split_at_gutters() {
        let s = "Action                      Lead          By when\nAssist carers into          PIE           March 2009\nemployment\nWork with employers         HHAS          Ongoing\nand partners\n";
        let d = doc(s);
        let t = tables(&d);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows[0].texts(), vec!["Action", "Lead", "By when"]);
        assert_eq!(
            t[0].rows[1].texts(),
            vec!["Assist carers into", "PIE", "March 2009"]
        );
        assert_eq!(t[0].rows[2].texts(), vec!["employment", "", ""]);
    }

    #[test]
    fn headings_lists_and_outcomes() {
        let d = doc("Action theme 1 – information\n\nSpecific actions will include the following.\n\n- ⇒ We will establish a baseline.\n- ⇒ We will agree a common set\nof products.\n\n5.4. We will address needs.\n\nOutcome: carers are supported\n\nCarers with\tLearning Disabilities\t\n-------\t------\t--\n");
        let kinds: Vec<String> = d
            .blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Heading { level, text } => format!("H{level}:{text}"),
                BlockKind::Paragraph { text } => format!("P:{text}"),
                BlockKind::ListItem { text, .. } => format!("L:{text}"),
                BlockKind::Table(_) => "T".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                "H2:Action theme 1 – information",
                "P:Specific actions will include the following.",
                "L:We will establish a baseline.",
                "L:We will agree a common set of products.",
                "P:5.4. We will address needs.",
                "H4:Outcome: carers are supported",
                "H2:Carers with Learning Disabilities",
            ]
        );
    }

    #[test]
    fn form_feeds_count_pages() {
        let d = doc("Title\n\nIntro\n\u{c}Second page\n");
        assert_eq!(d.pages, Some(2));
        assert_eq!(d.blocks.last().unwrap().source.page, Some(2));
    }
}
