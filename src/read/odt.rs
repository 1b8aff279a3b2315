//! OpenDocument text (`.odt`) reader: zip + streaming quick-xml over `content.xml`.
//!
//! What it produces, in body order:
//!
//! * headings: `text:h` (its `text:outline-level`), and paragraphs whose style (directly or
//!   through `style:parent-style-name`) has a `style:default-outline-level` or is named
//!   "Heading N" / "Title";
//! * list items: the first paragraph of each `text:list-item`, with the marker its list style
//!   prints at that level (`•` for bullet levels; prefix, number in its format, suffix for
//!   numbered levels, counting on through `text:continue-numbering` / `text:continue-list`);
//! * other paragraphs;
//! * tables (shared ODF table markup, see [`super::odf`]): `table:number-columns-spanned` and
//!   `table:number-rows-spanned` cells, covered cells filled from the cell above
//!   (`Cell::merged`), rows inside `table:table-header-rows` marked as headers, nested tables
//!   flattened into their cell (see [`super::grid`]);
//! * cell text: paragraphs joined with `\n`, list paragraphs prefixed with `• `.
//!
//! Skipped: tracked-change regions (deleted text), comments (`office:annotation`), notes,
//! drawings and text boxes (`draw:*`), hidden sections. The title comes from `meta.xml`
//! (`dc:title`), else the first Title-style paragraph. Sources: `paragraph` (1-based, among
//! the body's paragraphs, empty ones included) on prose, `table`/`row` on tables.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::grid::{self, GridCell, GridRow, VMerge};
use super::odf::{self, MAX_REPEAT};
use super::zipsafe::{self, Budget, SafeZip};
use crate::document::{Block, BlockKind, Document, Source};
use crate::error::{Error, Result};
use crate::Options;

const FORMAT: &str = "ODT";
/// Deepest table nesting read; deeper tables are skipped (their text is lost, not the file).
const MAX_TABLE_DEPTH: usize = 16;
/// Deepest list nesting tracked.
const MAX_LIST_DEPTH: usize = 10;

/// Read the bytes of an `.odt` into a document.
pub fn read(bytes: &[u8], opts: &Options) -> Result<Document> {
    let mut zip = SafeZip::open(bytes, FORMAT, opts.limits.max_decompressed_bytes)?;
    let budget = zip.budget();
    if let Some(m) = zip.read_entry("META-INF/manifest.xml")? {
        if m.windows(15).any(|w| w == b"encryption-data") {
            return Err(Error::Encrypted(
                "password-protected OpenDocument file: open it in LibreOffice, untick \"Save with password\" (File > Save As) and save again".into(),
            ));
        }
    }
    if !zip.has("content.xml") {
        return Err(Error::Corrupt {
            format: FORMAT,
            detail: "the zip has no content.xml: it is not an OpenDocument text (save it from LibreOffice or Word as .odt)".into(),
        });
    }
    let mut styles = Styles::default();
    if let Some(x) = zip.read_entry("styles.xml")? {
        let mut body = Body::new(&mut styles);
        body.run(x.as_slice(), &budget)?;
    }
    let meta_title = zip
        .read_entry("meta.xml")?
        .and_then(|x| super::docx::core_title(&x));
    let entry = zip.entry("content.xml")?.ok_or_else(|| Error::Corrupt {
        format: FORMAT,
        detail: "missing content.xml".into(),
    })?;
    let mut body = Body::new(&mut styles);
    body.run(BufReader::with_capacity(64 * 1024, entry), &budget)?;
    let title = meta_title.or(body.title_style_text.take());
    Ok(Document {
        title,
        pages: None,
        blocks: std::mem::take(&mut body.blocks),
    })
}

fn xml_error(budget: &Budget, e: quick_xml::Error) -> Error {
    if let quick_xml::Error::Io(io) = &e {
        return zipsafe::io_error(FORMAT, budget, io);
    }
    if budget.exceeded() {
        return budget.limit_error(FORMAT);
    }
    Error::Corrupt {
        format: FORMAT,
        detail: format!("malformed XML in the document: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// styles

#[derive(Debug, Default, Clone)]
struct ParaStyle {
    display: String,
    parent: Option<String>,
    outline: Option<u8>,
    list_style: Option<String>,
}

#[derive(Debug, Clone)]
enum Level {
    Bullet,
    Number {
        format: String,
        prefix: String,
        suffix: String,
        display_levels: usize,
        start: u32,
    },
}

#[derive(Debug, Default)]
struct Styles {
    paragraph: HashMap<String, ParaStyle>,
    /// list style name -> level (1-based) -> how it prints
    lists: HashMap<String, HashMap<usize, Level>>,
}

/// What a paragraph style makes of a paragraph.
#[derive(Debug, Default, Clone, Copy)]
struct Kind {
    heading: Option<u8>,
    title: bool,
}

impl Styles {
    fn kind(&self, name: &str) -> Kind {
        let mut cur = Some(name.to_string());
        for _ in 0..12 {
            let Some(n) = cur.take() else { break };
            let style = self.paragraph.get(&n);
            let display = style.map(|s| s.display.as_str()).unwrap_or(n.as_str());
            if let Some(k) = kind_from_name(display).or_else(|| kind_from_name(&n)) {
                return k;
            }
            if let Some(o) = style.and_then(|s| s.outline) {
                return Kind {
                    heading: Some(o.min(6)),
                    title: false,
                };
            }
            cur = style.and_then(|s| s.parent.clone());
        }
        Kind::default()
    }

    /// The list style a paragraph style attaches (`style:list-style-name`), through parents.
    fn list_of_style(&self, name: &str) -> Option<String> {
        let mut cur = Some(name.to_string());
        for _ in 0..12 {
            let s = self.paragraph.get(&cur.take()?)?;
            if let Some(l) = &s.list_style {
                return if l.is_empty() { None } else { Some(l.clone()) };
            }
            cur = s.parent.clone();
        }
        None
    }
}

/// "Heading 2", "Heading_20_2" -> heading 2; "Title" -> title.
fn kind_from_name(name: &str) -> Option<Kind> {
    let n: String = name
        .replace("_20_", " ")
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if n == "title" {
        return Some(Kind {
            heading: Some(1),
            title: true,
        });
    }
    let l: u8 = n.strip_prefix("heading")?.parse().ok()?;
    (1..=10).contains(&l).then_some(Kind {
        heading: Some(l.min(6)),
        title: false,
    })
}

fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    odf::attr_str(e, key)
}

// ---------------------------------------------------------------------------------------------
// body

#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    /// Marker when this paragraph is the labelled paragraph of a list item.
    marker: Option<String>,
    list_level: u8,
}

#[derive(Debug)]
struct ListCtx {
    style: Option<String>,
    /// The next paragraph of the current item is its labelled one.
    pending_label: bool,
    /// `text:list-header`: paragraphs without a label.
    header: bool,
    start_value: Option<u32>,
}

#[derive(Debug, Default)]
struct TableB {
    rows: Vec<GridRow>,
    row: Option<GridRow>,
    row_repeat: u64,
    in_header_rows: bool,
    /// Per grid column: rows still covered by a row span started above, and whether the
    /// column is the span's first (where the value shows).
    spans: Vec<(u64, bool)>,
    /// Grid column of the next cell in the current row.
    col: usize,
    /// Covered cells still to be skipped because a cell of this row spans them.
    h_skip: u64,
    /// Copies to add of the cell being read (`table:number-columns-repeated`).
    cell_repeat: u64,
    cell_open: bool,
}

#[derive(Debug, PartialEq)]
enum Mode {
    Other,
    Styles,
    Body,
}

struct Body<'s> {
    styles: &'s mut Styles,
    mode: Mode,
    blocks: Vec<Block>,
    title_style_text: Option<String>,
    para: Option<Para>,
    /// Nesting of paragraphs (a paragraph inside a paragraph, e.g. in a caption frame).
    para_stack: Vec<Para>,
    lists: Vec<ListCtx>,
    counters: HashMap<(String, usize), u32>,
    tables: Vec<TableB>,
    paragraph_index: u32,
    table_index: u32,
    /// Cells produced by the tables so far.
    cells: grid::CellBudget,
    /// The list style being defined.
    cur_list_style: Option<String>,
}

/// Elements whose whole subtree is skipped in the body.
fn skipped(qname: &[u8]) -> bool {
    qname.starts_with(b"draw:")
        || qname.starts_with(b"svg:")
        || qname.starts_with(b"office:annotation")
        || matches!(
            qname,
            b"text:tracked-changes"
                | b"text:note"
                | b"text:sequence-decls"
                | b"text:variable-decls"
                | b"text:user-field-decls"
                | b"office:forms"
                | b"office:event-listeners"
                | b"table:table-source"
                | b"text:index-title-template"
        )
}

impl<'s> Body<'s> {
    fn new(styles: &'s mut Styles) -> Body<'s> {
        Body {
            styles,
            mode: Mode::Other,
            blocks: Vec::new(),
            title_style_text: None,
            para: None,
            para_stack: Vec::new(),
            lists: Vec::new(),
            counters: HashMap::new(),
            tables: Vec::new(),
            paragraph_index: 0,
            table_index: 0,
            cells: grid::CellBudget::default(),
            cur_list_style: None,
        }
    }

    fn run<R: BufRead>(&mut self, input: R, budget: &Budget) -> Result<()> {
        let mut reader = Reader::from_reader(input);
        let mut buf = Vec::with_capacity(4096);
        let mut skip_buf = Vec::new();
        loop {
            let ev = reader
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(budget, e))?;
            match ev {
                Event::Start(e) => {
                    let name = e.name().as_ref().to_vec();
                    let hidden_section = name == b"text:section"
                        && attr(&e, b"text:display").as_deref() == Some("none");
                    let too_deep = name == b"table:table" && self.tables.len() >= MAX_TABLE_DEPTH;
                    if self.mode == Mode::Body && (skipped(&name) || hidden_section || too_deep) {
                        skip_buf.clear();
                        reader
                            .read_to_end_into(quick_xml::name::QName(&name), &mut skip_buf)
                            .map_err(|e| xml_error(budget, e))?;
                    } else {
                        self.start(&e, false);
                    }
                }
                Event::Empty(e) if !(self.mode == Mode::Body && skipped(e.name().as_ref())) => {
                    self.start(&e, true);
                }
                Event::End(e) => {
                    self.end(e.name().as_ref());
                    self.cells.check(FORMAT)?;
                }
                Event::Text(t) => {
                    if let Some(p) = self.para.as_mut() {
                        match t.unescape() {
                            Ok(s) => push_collapsed(&mut p.text, &s),
                            Err(_) => push_collapsed(&mut p.text, &String::from_utf8_lossy(&t)),
                        }
                    }
                }
                Event::CData(t) => {
                    if let Some(p) = self.para.as_mut() {
                        push_collapsed(&mut p.text, &String::from_utf8_lossy(&t));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        // A truncated part: keep what was read, closing what is open.
        if self.para.is_some() {
            self.end(b"text:p");
        }
        while !self.tables.is_empty() {
            self.end(b"table:table");
        }
        self.cells.check(FORMAT)
    }

    fn push_text(&mut self, s: &str) {
        if let Some(p) = self.para.as_mut() {
            p.text.push_str(s);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.name();
        let name = name.as_ref();
        match name {
            b"office:automatic-styles" | b"office:styles" if !empty => self.mode = Mode::Styles,
            b"office:body" if !empty => self.mode = Mode::Body,
            _ if self.mode == Mode::Styles => self.style_start(e, empty),
            _ if self.mode != Mode::Body => {}
            b"text:p" | b"text:h" => {
                if let Some(outer) = self.para.take() {
                    self.para_stack.push(outer);
                }
                let mut p = Para {
                    style: attr(e, b"text:style-name"),
                    ..Para::default()
                };
                if name == b"text:h" {
                    p.outline = Some(
                        odf::attr_u64(e, b"text:outline-level")
                            .unwrap_or(2)
                            .clamp(1, 6) as u8,
                    );
                }
                self.label(&mut p);
                self.para = Some(p);
                if empty {
                    self.end(name);
                }
            }
            b"text:s" => {
                let n = odf::attr_u64(e, b"text:c").unwrap_or(1).clamp(1, 64) as usize;
                self.push_text(&" ".repeat(n));
            }
            b"text:tab" => self.push_text(" "),
            b"text:line-break" => self.push_text("\n"),
            b"text:list" if !empty => {
                let inherited = self.lists.last().and_then(|l| l.style.clone());
                let style = attr(e, b"text:style-name").or(inherited);
                if self.lists.is_empty() {
                    let continues = attr(e, b"text:continue-numbering").as_deref() == Some("true")
                        || attr(e, b"text:continue-list").is_some();
                    if !continues {
                        if let Some(s) = &style {
                            self.counters.retain(|(n, _), _| n != s);
                        }
                    }
                }
                self.lists.push(ListCtx {
                    style,
                    pending_label: false,
                    header: false,
                    start_value: None,
                });
            }
            b"text:list-item" | b"text:list-header" if !empty => {
                if let Some(l) = self.lists.last_mut() {
                    l.pending_label = true;
                    l.header = name == b"text:list-header";
                    l.start_value = odf::attr_u64(e, b"text:start-value").map(|v| v as u32);
                }
            }
            b"table:table" => {
                if self.para.is_some() {
                    self.end(b"text:p");
                }
                self.tables.push(TableB::default());
                if empty {
                    self.end(name);
                }
            }
            b"table:table-header-rows" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_header_rows = true;
                }
            }
            b"table:table-row" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(GridRow {
                        header: t.in_header_rows,
                        ..GridRow::default()
                    });
                    t.row_repeat = odf::rows_repeated(e).min(MAX_REPEAT);
                    t.col = 0;
                    t.h_skip = 0;
                }
                if empty {
                    self.end(name);
                }
            }
            n if odf::is_cell(n) => {
                let layout = odf::cell_layout(e);
                let Some(t) = self.tables.last_mut() else {
                    return;
                };
                let row = t.row.get_or_insert_with(GridRow::default);
                let repeat = layout.repeat.min(MAX_REPEAT);
                if layout.covered {
                    for _ in 0..repeat {
                        if row.cells.len() >= grid::MAX_SPAN {
                            break;
                        }
                        if t.h_skip > 0 {
                            t.h_skip -= 1;
                            t.col += 1;
                            continue;
                        }
                        let (left, first) = t.spans.get(t.col).copied().unwrap_or((0, false));
                        let mut c = GridCell::new();
                        if left > 0 && first {
                            c.vmerge = VMerge::Continue;
                        }
                        row.cells.push(c);
                        t.col += 1;
                    }
                    return;
                }
                let cols = (layout.cols as usize).min(grid::MAX_SPAN);
                let mut c = GridCell::new();
                c.span = cols;
                if layout.rows > 1 {
                    c.vmerge = VMerge::Restart;
                    let left = layout.rows.min(u32::MAX as u64);
                    if t.spans.len() < t.col + cols {
                        t.spans.resize(t.col + cols, (0, false));
                    }
                    for (k, s) in t.spans[t.col..t.col + cols].iter_mut().enumerate() {
                        // counted down at the end of each row, this one included
                        *s = (left, k == 0);
                    }
                }
                t.h_skip = cols as u64 - 1;
                t.col += cols;
                t.cell_repeat = repeat - 1;
                if row.cells.len() < grid::MAX_SPAN {
                    row.cells.push(c);
                    t.cell_open = !empty;
                }
                if empty {
                    self.end(name);
                }
            }
            _ => {}
        }
    }

    /// Give `p` its list label if it is the first paragraph of a list item.
    fn label(&mut self, p: &mut Para) {
        let depth = self.lists.len();
        let Some(l) = self.lists.last_mut() else {
            return;
        };
        if !l.pending_label {
            return;
        }
        l.pending_label = false;
        if l.header {
            return;
        }
        let start = l.start_value.take();
        let style = l.style.clone().or_else(|| {
            p.style
                .as_deref()
                .and_then(|s| self.styles.list_of_style(s))
        });
        let level = depth.clamp(1, MAX_LIST_DEPTH);
        p.list_level = level as u8;
        let Some(style) = style else {
            p.marker = Some("•".into());
            return;
        };
        let levels = self.styles.lists.get(&style);
        let spec = levels.and_then(|m| m.get(&level)).cloned();
        match spec {
            None | Some(Level::Bullet) => p.marker = Some("•".into()),
            Some(Level::Number {
                format,
                prefix,
                suffix,
                display_levels,
                start: level_start,
            }) => {
                let key = (style.clone(), level);
                let n = match start {
                    Some(s) => s,
                    None => self
                        .counters
                        .get(&key)
                        .map_or(level_start, |c| c.saturating_add(1)),
                };
                self.counters.insert(key, n);
                // a new item at this level restarts the deeper levels
                self.counters.retain(|(s, l), _| s != &style || *l <= level);
                let mut parts = Vec::new();
                let first = level.saturating_sub(display_levels.max(1) - 1).max(1);
                for lv in first..=level {
                    let (f, v) = if lv == level {
                        (format.clone(), n)
                    } else {
                        let f = match levels.and_then(|m| m.get(&lv)) {
                            Some(Level::Number { format, .. }) => format.clone(),
                            _ => "1".into(),
                        };
                        (
                            f,
                            self.counters
                                .get(&(style.clone(), lv))
                                .copied()
                                .unwrap_or(1),
                        )
                    };
                    parts.push(format_number(v, &f));
                }
                let number = parts.join(".");
                p.marker = Some(
                    if number.is_empty() && prefix.is_empty() && suffix.is_empty() {
                        "•".into()
                    } else {
                        format!("{prefix}{number}{suffix}")
                    },
                );
            }
        }
    }

    fn style_start(&mut self, e: &BytesStart<'_>, empty: bool) {
        match e.name().as_ref() {
            b"style:style" => {
                if attr(e, b"style:family").as_deref() != Some("paragraph") {
                    return;
                }
                let Some(name) = attr(e, b"style:name") else {
                    return;
                };
                let s = ParaStyle {
                    display: attr(e, b"style:display-name").unwrap_or_else(|| name.clone()),
                    parent: attr(e, b"style:parent-style-name"),
                    outline: odf::attr_u64(e, b"style:default-outline-level")
                        .filter(|&o| o > 0)
                        .map(|o| o.min(10) as u8),
                    list_style: attr(e, b"style:list-style-name"),
                };
                self.styles.paragraph.insert(name, s);
            }
            b"text:list-style" => {
                self.cur_list_style = attr(e, b"style:name");
                if let Some(n) = &self.cur_list_style {
                    self.styles.lists.entry(n.clone()).or_default();
                }
                if empty {
                    self.cur_list_style = None;
                }
            }
            b"text:list-level-style-bullet"
            | b"text:list-level-style-image"
            | b"text:list-level-style-number" => {
                let Some(list) = &self.cur_list_style else {
                    return;
                };
                let level = odf::attr_u64(e, b"text:level").unwrap_or(1).clamp(1, 10) as usize;
                let spec = if e.name().as_ref() == b"text:list-level-style-number" {
                    Level::Number {
                        format: attr(e, b"style:num-format").unwrap_or_default(),
                        prefix: attr(e, b"style:num-prefix").unwrap_or_default(),
                        suffix: attr(e, b"style:num-suffix").unwrap_or_default(),
                        display_levels: odf::attr_u64(e, b"text:display-levels")
                            .unwrap_or(1)
                            .clamp(1, 10) as usize,
                        start: odf::attr_u64(e, b"text:start-value")
                            .unwrap_or(1)
                            .min(u32::MAX as u64) as u32,
                    }
                } else {
                    Level::Bullet
                };
                if let Some(m) = self.styles.lists.get_mut(list) {
                    m.insert(level, spec);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"office:automatic-styles" | b"office:styles" | b"office:master-styles" => {
                self.mode = Mode::Other
            }
            b"text:list-style" => self.cur_list_style = None,
            _ if self.mode != Mode::Body => {}
            b"text:p" | b"text:h" => {
                if let Some(p) = self.para.take() {
                    self.finish_para(p);
                }
                self.para = self.para_stack.pop();
            }
            b"text:list" => {
                self.lists.pop();
            }
            n if odf::is_cell(n) => {
                if self.para.is_some() {
                    self.end(b"text:p");
                }
                if let Some(t) = self.tables.last_mut() {
                    if t.cell_open {
                        t.cell_open = false;
                        if let Some(row) = t.row.as_mut() {
                            if let Some(last) = row.cells.last().cloned() {
                                for _ in 0..t.cell_repeat {
                                    if row.cells.len() >= grid::MAX_SPAN {
                                        break;
                                    }
                                    row.cells.push(last.clone());
                                    t.col += last.span;
                                }
                            }
                        }
                    }
                    t.cell_repeat = 0;
                }
            }
            b"table:table-row" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(r) = t.row.take() {
                        for _ in 0..t.row_repeat.max(1) {
                            // rows waiting to be laid out count too (repeats amplify)
                            if !self.cells.spend(r.cells.len()) {
                                break;
                            }
                            t.rows.push(r.clone());
                        }
                    }
                    // count down the row spans that covered this row
                    for s in t.spans.iter_mut() {
                        if s.0 > 0 {
                            s.0 -= 1;
                        }
                    }
                }
            }
            b"table:table-header-rows" => {
                if let Some(t) = self.tables.last_mut() {
                    t.in_header_rows = false;
                }
            }
            b"table:table" => {
                if self.para.is_some() {
                    self.end(b"text:p");
                }
                let Some(mut t) = self.tables.pop() else {
                    return;
                };
                if let Some(r) = t.row.take() {
                    t.rows.push(r);
                }
                if self.tables.is_empty() {
                    self.table_index += 1;
                    let table = grid::build_table(t.rows, self.table_index, &mut self.cells);
                    self.blocks.push(Block {
                        kind: BlockKind::Table(table),
                        source: Source {
                            table: Some(self.table_index),
                            ..Source::default()
                        },
                    });
                } else {
                    let lines = grid::flatten(t.rows, &mut self.cells);
                    if let Some(c) = self.current_cell() {
                        c.lines.extend(lines);
                    }
                }
            }
            _ => {}
        }
    }

    fn current_cell(&mut self) -> Option<&mut GridCell> {
        self.tables
            .last_mut()
            .and_then(|t| t.row.as_mut())
            .and_then(|r| r.cells.last_mut())
    }

    fn finish_para(&mut self, p: Para) {
        let in_table = !self.tables.is_empty();
        if !in_table {
            self.paragraph_index += 1;
        }
        let kind = p
            .style
            .as_deref()
            .map(|s| self.styles.kind(s))
            .unwrap_or_default();
        let text = grid::clean(&p.text);
        if text.is_empty() {
            return;
        }
        if in_table {
            let line = if p.marker.is_some() {
                format!("• {text}")
            } else {
                text
            };
            if let Some(c) = self.current_cell() {
                c.lines.push(line);
            }
            return;
        }
        let source = Source {
            paragraph: Some(self.paragraph_index),
            ..Source::default()
        };
        let heading = p.outline.or(kind.heading);
        let block = if let Some(level) = heading {
            let text = text.replace('\n', " ");
            if kind.title && self.title_style_text.is_none() {
                self.title_style_text = Some(text.clone());
            }
            BlockKind::Heading { level, text }
        } else if let Some(marker) = p.marker {
            BlockKind::ListItem {
                text,
                marker,
                level: p.list_level.max(1),
            }
        } else {
            BlockKind::Paragraph { text }
        };
        self.blocks.push(Block {
            kind: block,
            source,
        });
    }
}

/// Append XML character data the way ODF displays it: runs of white space collapse to one
/// space (explicit spaces, tabs and line breaks are elements).
fn push_collapsed(out: &mut String, s: &str) {
    for ch in s.chars() {
        if ch.is_whitespace() && ch != '\u{a0}' {
            if !out.ends_with(' ') && !out.ends_with('\n') {
                out.push(' ');
            }
        } else {
            out.push(ch);
        }
    }
}

/// A list number in an ODF `style:num-format` ("1", "a", "A", "i", "I"; "" prints none).
fn format_number(v: u32, fmt: &str) -> String {
    let ooxml = match fmt {
        "" => return String::new(),
        "a" => "lowerLetter",
        "A" => "upperLetter",
        "i" => "lowerRoman",
        "I" => "upperRoman",
        _ => "decimal",
    };
    super::docx::format_number(v, ooxml)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn odt(styles: &str, auto: &str, body: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file("mimetype", stored).unwrap();
        w.write_all(b"application/vnd.oasis.opendocument.text")
            .unwrap();
        w.start_file("styles.xml", stored).unwrap();
        write!(w, "<office:document-styles><office:styles>{styles}</office:styles></office:document-styles>").unwrap();
        w.start_file("content.xml", stored).unwrap();
        write!(
            w,
            "<office:document-content><office:automatic-styles>{auto}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"
        )
        .unwrap();
        w.finish().unwrap().into_inner()
    }

    fn kinds(d: &Document) -> Vec<String> {
        d.blocks.iter().map(|b| format!("{:?}", b.kind)).collect()
    }

    #[test]
    fn headings_lists_and_text() {
        let styles = r#"<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"/>
            <style:style style:name="Titel" style:display-name="Title" style:family="paragraph"/>
            <text:list-style style:name="Num"><text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/><text:list-level-style-number text:level="2" style:num-format="a" style:num-prefix="(" style:num-suffix=")"/></text:list-style>
            <text:list-style style:name="Dots"><text:list-level-style-bullet text:level="1" text:bullet-char="&#xF0B7;"/></text:list-style>
            <text:list-style style:name="Roman"><text:list-level-style-number text:level="1" style:num-format="I" style:num-suffix="." text:start-value="3"/></text:list-style>"#;
        let auto = r#"<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Heading_20_2"/>"#;
        let body = r#"<text:p text:style-name="Titel">The  <text:span>Title</text:span></text:p>
            <text:p text:style-name="P1">Styled heading</text:p>
            <text:h text:outline-level="3">Outline <text:s text:c="2"/>three</text:h>
            <text:p/>
            <text:list text:style-name="Num">
              <text:list-item><text:p>One</text:p><text:p>continuation paragraph</text:p></text:list-item>
              <text:list-item><text:p>Two</text:p>
                <text:list><text:list-item><text:p>Two a</text:p></text:list-item><text:list-item><text:p>Two b</text:p></text:list-item></text:list>
              </text:list-item>
            </text:list>
            <text:p>Between<text:line-break/>lines<text:tab/>tabbed<office:annotation><text:p>COMMENT</text:p></office:annotation><text:note><text:note-body><text:p>NOTE</text:p></text:note-body></text:note></text:p>
            <text:list text:style-name="Num" text:continue-numbering="true"><text:list-item><text:p>Three</text:p></text:list-item></text:list>
            <text:list text:style-name="Num"><text:list-item><text:p>Restarted</text:p></text:list-item></text:list>
            <text:list text:style-name="Dots"><text:list-item><text:p>Dot</text:p></text:list-item><text:list-header><text:p>Unlabelled</text:p></text:list-header></text:list>
            <text:list text:style-name="Roman"><text:list-item><text:p>Third</text:p></text:list-item></text:list>
            <text:tracked-changes><text:changed-region><text:deletion><text:p>DELETED</text:p></text:deletion></text:changed-region></text:tracked-changes>
            <text:section text:display="none"><text:p>HIDDEN</text:p></text:section>
            <draw:frame><draw:text-box><text:p>BOX</text:p></draw:text-box></draw:frame>"#;
        let d = read(&odt(styles, auto, body), &Options::default()).unwrap();
        let k = kinds(&d);
        assert_eq!(d.title.as_deref(), Some("The Title"));
        let want = [
            "Heading { level: 1, text: \"The Title\" }",
            "Heading { level: 2, text: \"Styled heading\" }",
            "Heading { level: 3, text: \"Outline three\" }",
            "ListItem { text: \"One\", marker: \"1.\", level: 1 }",
            "Paragraph { text: \"continuation paragraph\" }",
            "ListItem { text: \"Two\", marker: \"2.\", level: 1 }",
            "ListItem { text: \"Two a\", marker: \"(a)\", level: 2 }",
            "ListItem { text: \"Two b\", marker: \"(b)\", level: 2 }",
            "Paragraph { text: \"Between\\nlines tabbed\" }",
            "ListItem { text: \"Three\", marker: \"3.\", level: 1 }",
            "ListItem { text: \"Restarted\", marker: \"1.\", level: 1 }",
            "ListItem { text: \"Dot\", marker: \"•\", level: 1 }",
            "Paragraph { text: \"Unlabelled\" }",
            "ListItem { text: \"Third\", marker: \"III.\", level: 1 }",
        ];
        assert_eq!(k, want);
        assert_eq!(
            d.blocks[3].source.paragraph,
            Some(5),
            "empty paragraph counted"
        );
        let all = k.join(" ");
        for hidden in ["COMMENT", "NOTE", "DELETED", "HIDDEN", "BOX"] {
            assert!(!all.contains(hidden), "{hidden}");
        }
    }

    #[test]
    fn tables_spans_covered_cells_nesting() {
        let cell = |t: &str| format!("<table:table-cell><text:p>{t}</text:p></table:table-cell>");
        let body = format!(
            r#"<table:table><table:table-column table:number-columns-repeated="3"/>
            <table:table-header-rows><table:table-row>{}{}{}</table:table-row></table:table-header-rows>
            <table:table-row><table:table-cell table:number-columns-spanned="3"><text:p>Outcome 1</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
            <table:table-row>{}<table:table-cell table:number-rows-spanned="2" table:number-columns-spanned="2"><text:p>HHAS</text:p><text:list><text:list-item><text:p>also ICB</text:p></text:list-item></text:list></table:table-cell><table:covered-table-cell/></table:table-row>
            <table:table-row>{}<table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
            <table:table-row>{}<table:table-cell><table:table><table:table-row>{}{}</table:table-row><table:table-row>{}</table:table-row></table:table></table:table-cell>{}</table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"><text:p>x</text:p></table:table-cell></table:table-row>
            </table:table><text:p>After</text:p>"#,
            cell("Action"),
            cell("Lead"),
            cell("Due"),
            cell("Do a"),
            cell("Do b"),
            cell("Nested"),
            cell("a"),
            cell("b"),
            cell("c"),
            cell("2015"),
        );
        let d = read(&odt("", "", &body), &Options::default()).unwrap();
        let t = d.tables().next().unwrap();
        let rows: Vec<Vec<&str>> = t.rows.iter().map(|r| r.texts()).collect();
        assert_eq!(rows[0], vec!["Action", "Lead", "Due"]);
        assert!(t.rows[0].header && !t.rows[1].header);
        assert_eq!(rows[1], vec!["Outcome 1"]);
        assert_eq!(rows[2], vec!["Do a", "HHAS\n• also ICB", ""]);
        assert_eq!(rows[3], vec!["Do b", "HHAS\n• also ICB", ""]);
        assert!(t.rows[3].cells[1].merged && !t.rows[3].cells[2].merged);
        assert_eq!(rows[4], vec!["Nested", "a | b\nc", "2015"]);
        assert_eq!(rows[5], vec!["x", "x", "x"]);
        assert_eq!(rows[6], vec!["x", "x", "x"]);
        assert_eq!(t.rows[6].source.row, Some(7));
        assert!(matches!(&d.blocks[1].kind, BlockKind::Paragraph { text } if text == "After"));
    }

    #[test]
    fn bad_containers() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("foo.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"hi").unwrap();
        let z = w.finish().unwrap().into_inner();
        let e = read(&z, &Options::default()).unwrap_err();
        assert!(e.to_string().contains("no content.xml"), "{e}");
        let good = odt("", "", "<text:p>hello</text:p>");
        assert!(matches!(
            read(&good[..good.len() / 2], &Options::default()),
            Err(Error::Corrupt { .. })
        ));
        let bad_xml = odt("", "", "<text:p>x</text:h>");
        assert!(matches!(
            read(&bad_xml, &Options::default()),
            Err(Error::Corrupt { .. })
        ));
        let deep = odt(
            "",
            "",
            &format!(
                "{}deep{}",
                "<table:table><table:table-row><table:table-cell>".repeat(5000),
                "</table:table-cell></table:table-row></table:table>".repeat(5000)
            ),
        );
        assert!(read(&deep, &Options::default()).is_ok());
        let wide = odt(
            "",
            "",
            r#"<table:table><table:table-row table:number-rows-repeated="1000000000"><table:table-cell table:number-columns-repeated="1000000000" table:number-columns-spanned="99999"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
        );
        let d = read(&wide, &Options::default()).unwrap();
        let t = d.tables().next().unwrap();
        assert!(t.rows.len() <= MAX_REPEAT as usize);
        assert!(t.rows[0].cells.len() <= grid::MAX_SPAN * grid::MAX_SPAN);
    }
}
