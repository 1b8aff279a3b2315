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
                Event::Empty(e) => {
                    if !(self.mode == Mode::Body && skipped(e.name().as_ref())) {
                        self.start(&e, true);
                    }
                }
                Event::End(e) => self.end(e.name().as_ref()),
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
        Ok(())
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
                    let table = grid::build_table(t.rows, self.table_index);
                    self.blocks.push(Block {
                        kind: BlockKind::Table(table),
                        source: Source {
                            table: Some(self.table_index),
                            ..Source::default()
                        },
                    });
                } else {
                    let lines = grid::flatten(t.rows);
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
