//! Word 2007+ (`.docx`) reader: zip + streaming quick-xml.
//!
//! The main document part is streamed straight out of the zip (through the decompression
//! budget of [`super::zipsafe`]) into a pull parser; no DOM is built. What it produces:
//!
//! * body order: headings (style Heading 1-6 / Title / outline level, directly or through the
//!   style's `basedOn` chain), list items (`w:numPr`, directly or through the style), other
//!   paragraphs, tables;
//! * tables on the grid: `w:gridSpan` emits empty cells for the extra grid columns so column
//!   indices stay aligned, `w:gridBefore` emits leading empty cells; `w:vMerge` continuation
//!   cells receive the value of the cell above with `Cell::merged = true`; a row that is one
//!   cell spanning several columns ("Outcome 2: ...") is emitted as a row of exactly one cell;
//!   `w:tblHeader` rows, and later rows that repeat a header row word for word, get
//!   `Row::header = true`;
//! * cell text: paragraphs joined with `\n`, list paragraphs prefixed with `• `; a nested table
//!   is flattened into the containing cell, one line per nested row, cells joined with ` | `;
//! * tracked changes: `w:ins` / `w:moveTo` kept, `w:del` / `w:moveFrom` dropped; field codes
//!   (`w:instrText`), text boxes (`w:txbxContent`, drawings, VML), math and properties are
//!   skipped, and so is hidden text (`w:vanish`); comments, footnotes, headers and footers
//!   live in other parts and are never read;
//! * title from `docProps/core.xml` `dc:title`, else the first Title-style paragraph;
//! * sources: `table`/`row` (1-based) on tables and rows, `paragraph` (1-based index among the
//!   body's paragraphs, empty ones included) on prose blocks.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::zipsafe::{self, Budget, SafeZip};
use crate::document::{Block, BlockKind, Cell, Document, Row, Source, Table};
use crate::error::{Error, Result};
use crate::Options;

const FORMAT: &str = "DOCX";
/// Deepest table nesting read; deeper tables are skipped (their text is lost, not the file).
const MAX_TABLE_DEPTH: usize = 16;
/// Widest grid span honoured for one cell.
const MAX_SPAN: usize = 256;

/// Read the bytes of a `.docx` into a document.
pub fn read(bytes: &[u8], opts: &Options) -> Result<Document> {
    let mut zip = SafeZip::open(bytes, FORMAT, opts.limits.max_decompressed_bytes)?;
    let budget = zip.budget();
    let main = main_part(&mut zip)?;
    if !zip.has(&main) {
        return Err(Error::Corrupt {
            format: FORMAT,
            detail: format!(
                "the zip has no {main}: it is not a Word document (save it from Word or LibreOffice as .docx)"
            ),
        });
    }
    let dir = main
        .rsplit_once('/')
        .map(|(d, _)| format!("{d}/"))
        .unwrap_or_default();
    let styles = match zip.read_entry(&format!("{dir}styles.xml"))? {
        Some(x) => parse_styles(&x, &budget)?,
        None => HashMap::new(),
    };
    let numbering = match zip.read_entry(&format!("{dir}numbering.xml"))? {
        Some(x) => parse_numbering(&x, &budget)?,
        None => Numbering::default(),
    };
    let core_title = match zip.read_entry("docProps/core.xml")? {
        Some(x) => parse_core_title(&x, &budget)?,
        None => None,
    };
    let entry = zip.entry(&main)?.ok_or_else(|| Error::Corrupt {
        format: FORMAT,
        detail: format!("missing {main}"),
    })?;
    let reader = BufReader::with_capacity(64 * 1024, entry);
    let mut body = Body::new(&styles, numbering);
    body.run(reader, &budget)?;
    let title = core_title.or(body.title_style_text.take());
    Ok(Document {
        title,
        pages: None,
        blocks: body.blocks,
    })
}

// ---------------------------------------------------------------------------------------------
// small XML helpers

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

/// The value of the attribute with this local name (`w:val` -> `val`).
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    for a in e.attributes().flatten() {
        if a.key.local_name().as_ref() == local {
            let raw = String::from_utf8_lossy(&a.value);
            return Some(match quick_xml::escape::unescape(&raw) {
                Ok(v) => v.into_owned(),
                Err(_) => raw.into_owned(),
            });
        }
    }
    None
}

/// An OOXML on/off property: present without `w:val`, or with a true value.
fn on_off(e: &BytesStart<'_>) -> bool {
    match attr(e, b"val") {
        None => true,
        Some(v) => !matches!(v.as_str(), "0" | "false" | "off" | "none"),
    }
}

fn num_attr(e: &BytesStart<'_>) -> Option<usize> {
    attr(e, b"val").and_then(|v| v.trim().parse::<usize>().ok())
}

fn main_part(zip: &mut SafeZip<'_>) -> Result<String> {
    let budget = zip.budget();
    let Some(rels) = zip.read_entry("_rels/.rels")? else {
        return Ok("word/document.xml".into());
    };
    let mut reader = Reader::from_reader(rels.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == b"Relationship" =>
            {
                let typ = attr(&e, b"Type").unwrap_or_default();
                if typ.ends_with("/officeDocument") {
                    if let Some(t) = attr(&e, b"Target") {
                        let t = t.trim_start_matches('/').to_string();
                        if !t.is_empty() {
                            return Ok(t);
                        }
                    }
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(xml_error(&budget, e)),
        }
        buf.clear();
    }
    Ok("word/document.xml".into())
}

/// The `dc:title` of a core-properties part (`docProps/core.xml`, ODF `meta.xml`).
pub(crate) fn core_title(xml: &[u8]) -> Option<String> {
    parse_core_title(xml, &Budget::unlimited()).ok().flatten()
}

fn parse_core_title(xml: &[u8], budget: &Budget) -> Result<Option<String>> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"title" => in_title = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == b"title" => in_title = false,
            Ok(Event::Text(t)) if in_title => {
                if let Ok(s) = t.unescape() {
                    title.push_str(&s);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(xml_error(budget, e)),
        }
        buf.clear();
    }
    let t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(if t.is_empty() { None } else { Some(t) })
}

// ---------------------------------------------------------------------------------------------
// styles

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<usize>,
    num_id: Option<String>,
}

fn parse_styles(xml: &[u8], budget: &Budget) -> Result<HashMap<String, Style>> {
    let mut map = HashMap::new();
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut cur: Option<(String, Style)> = None;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(budget, e))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty_style = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"style" => {
                        let is_para = attr(e, b"type").is_none_or(|t| t == "paragraph");
                        if is_para && !empty_style {
                            cur = attr(e, b"styleId").map(|id| (id, Style::default()));
                        }
                    }
                    b"name" => {
                        if let Some((_, s)) = cur.as_mut() {
                            s.name = attr(e, b"val").unwrap_or_default();
                        }
                    }
                    b"basedOn" => {
                        if let Some((_, s)) = cur.as_mut() {
                            s.based_on = attr(e, b"val");
                        }
                    }
                    b"outlineLvl" => {
                        if let Some((_, s)) = cur.as_mut() {
                            s.outline = num_attr(e);
                        }
                    }
                    b"numId" => {
                        if let Some((_, s)) = cur.as_mut() {
                            s.num_id = attr(e, b"val");
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let Some((id, s)) = cur.take() {
                    map.insert(id, s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(map)
}

/// What a style makes of a paragraph.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct StyleKind {
    heading: Option<u8>,
    title: bool,
    list: bool,
}

fn style_kind(styles: &HashMap<String, Style>, id: &str) -> StyleKind {
    let mut kind = StyleKind::default();
    let mut cur = Some(id.to_string());
    let mut list_decided = false;
    for _ in 0..12 {
        let Some(id) = cur.take() else { break };
        let Some(s) = styles.get(&id) else {
            // Unknown id: judge by the id itself ("Heading2", "Title").
            if kind.heading.is_none() {
                kind = merge_kind(kind, kind_from_name(&id));
            }
            break;
        };
        if kind.heading.is_none() {
            let from_name = kind_from_name(&s.name);
            if from_name.heading.is_some() {
                kind.heading = from_name.heading;
                kind.title = from_name.title;
            } else if let Some(o) = s.outline {
                if o < 9 {
                    kind.heading = Some((o + 1).min(6) as u8);
                }
            }
        }
        if !list_decided {
            if let Some(n) = &s.num_id {
                kind.list = n != "0";
                list_decided = true;
            } else if kind_from_name(&s.name).list {
                kind.list = true;
                list_decided = true;
            }
        }
        cur = s.based_on.clone();
    }
    kind
}

fn merge_kind(a: StyleKind, b: StyleKind) -> StyleKind {
    StyleKind {
        heading: a.heading.or(b.heading),
        title: a.title || b.title,
        list: a.list || b.list,
    }
}

fn kind_from_name(name: &str) -> StyleKind {
    let n: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut k = StyleKind::default();
    if n == "title" {
        k.heading = Some(1);
        k.title = true;
    } else if let Some(rest) = n.strip_prefix("heading") {
        if let Ok(l) = rest.parse::<u8>() {
            if (1..=9).contains(&l) {
                k.heading = Some(l.min(6));
            }
        }
    } else if n.starts_with("listbullet") || n.starts_with("listnumber") || n == "listparagraph" {
        // "List Paragraph" is only a list when numbered; its numPr decides (see Body).
        k.list = n != "listparagraph";
    }
    k
}

// ---------------------------------------------------------------------------------------------
// numbering

#[derive(Debug, Default)]
struct Numbering {
    /// numId -> abstractNumId
    nums: HashMap<String, String>,
    /// (abstractNumId, ilvl) -> (numFmt, lvlText)
    levels: HashMap<(String, usize), (String, String)>,
    /// (numId, ilvl) -> current counter
    counters: HashMap<(String, usize), u32>,
}

fn parse_numbering(xml: &[u8], budget: &Budget) -> Result<Numbering> {
    let mut n = Numbering::default();
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut abs: Option<String> = None;
    let mut lvl: Option<usize> = None;
    let mut fmt = String::new();
    let mut text = String::new();
    let mut num: Option<String> = None;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_error(budget, e))?;
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"abstractNum" => abs = attr(&e, b"abstractNumId"),
                b"lvl" => {
                    lvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok());
                    fmt.clear();
                    text.clear();
                }
                b"numFmt" if lvl.is_some() => fmt = attr(&e, b"val").unwrap_or_default(),
                b"lvlText" if lvl.is_some() => text = attr(&e, b"val").unwrap_or_default(),
                b"num" => num = attr(&e, b"numId"),
                b"abstractNumId" => {
                    if let (Some(id), Some(a)) = (num.as_ref(), attr(&e, b"val")) {
                        n.nums.insert(id.clone(), a);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"lvl" => {
                    if let (Some(a), Some(l)) = (abs.as_ref(), lvl.take()) {
                        n.levels.insert((a.clone(), l), (fmt.clone(), text.clone()));
                    }
                }
                b"abstractNum" => abs = None,
                b"num" => num = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(n)
}

impl Numbering {
    /// The marker printed for the next item of list `num_id` at level `ilvl`.
    fn marker(&mut self, num_id: &str, ilvl: usize) -> String {
        let ilvl = ilvl.min(8);
        let abs = self.nums.get(num_id).cloned().unwrap_or_default();
        let (fmt, text) = self
            .levels
            .get(&(abs.clone(), ilvl))
            .cloned()
            .unwrap_or_else(|| ("bullet".into(), String::new()));
        if fmt == "bullet" || fmt == "none" || fmt.is_empty() {
            return "•".into();
        }
        let c = self.counters.entry((num_id.to_string(), ilvl)).or_insert(0);
        *c += 1;
        // a new item at this level restarts the deeper levels
        for deeper in ilvl + 1..9 {
            self.counters.remove(&(num_id.to_string(), deeper));
        }
        let mut out = if text.is_empty() {
            format!("%{}.", ilvl + 1)
        } else {
            text
        };
        for l in 0..=ilvl {
            let pat = format!("%{}", l + 1);
            if !out.contains(&pat) {
                continue;
            }
            let lfmt = self
                .levels
                .get(&(abs.clone(), l))
                .map(|(f, _)| f.clone())
                .unwrap_or_else(|| "decimal".into());
            let v = self
                .counters
                .get(&(num_id.to_string(), l))
                .copied()
                .unwrap_or(1);
            out = out.replace(&pat, &format_number(v, &lfmt));
        }
        out
    }
}

/// A list number in an OOXML number format (`decimal`, `lowerLetter`, `upperRoman`, ...).
pub(crate) fn format_number(v: u32, fmt: &str) -> String {
    match fmt {
        "lowerLetter" | "upperLetter" => {
            let mut s = String::new();
            let mut n = v.max(1);
            while n > 0 {
                n -= 1;
                s.insert(0, (b'a' + (n % 26) as u8) as char);
                n /= 26;
            }
            if fmt == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" => {
            let s = roman(v);
            if fmt == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            }
        }
        _ => v.to_string(),
    }
}

fn roman(mut v: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (n, r) in T {
        while v >= n {
            s.push_str(r);
            v -= n;
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// body

#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: usize,
    outline: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

#[derive(Debug)]
struct CellB {
    lines: Vec<String>,
    span: usize,
    vmerge: VMerge,
}

#[derive(Debug, Default)]
struct RowB {
    cells: Vec<CellB>,
    header: bool,
    before: usize,
}

#[derive(Debug, Default)]
struct TableB {
    rows: Vec<RowB>,
    row: Option<RowB>,
    cell_open: bool,
}

struct Body<'s> {
    styles: &'s HashMap<String, Style>,
    kinds: HashMap<String, StyleKind>,
    numbering: Numbering,
    blocks: Vec<Block>,
    title_style_text: Option<String>,
    para: Option<Para>,
    tables: Vec<TableB>,
    paragraph_index: u32,
    table_index: u32,
    in_ppr: bool,
    in_numpr: bool,
    in_trpr: bool,
    in_tcpr: bool,
    in_t: bool,
    in_rpr: bool,
    /// The current run is hidden text (`w:vanish`): Word does not show it.
    run_hidden: bool,
}

/// Elements whose whole subtree is skipped.
fn skipped(local: &[u8]) -> bool {
    matches!(
        local,
        b"del"
            | b"moveFrom"
            | b"instrText"
            | b"delInstrText"
            | b"delText"
            | b"txbxContent"
            | b"drawing"
            | b"pict"
            | b"object"
            | b"AlternateContent"
            | b"rPrChange"
            | b"pPrChange"
            | b"sectPr"
            | b"tblPr"
            | b"tblPrEx"
            | b"sdtPr"
            | b"sdtEndPr"
            | b"oMath"
            | b"oMathPara"
            | b"fldData"
            | b"customXmlPr"
            | b"footnoteReference"
            | b"endnoteReference"
            | b"commentReference"
            | b"annotationRef"
    )
}

impl<'s> Body<'s> {
    fn new(styles: &'s HashMap<String, Style>, numbering: Numbering) -> Body<'s> {
        Body {
            styles,
            kinds: HashMap::new(),
            numbering,
            blocks: Vec::new(),
            title_style_text: None,
            para: None,
            tables: Vec::new(),
            paragraph_index: 0,
            table_index: 0,
            in_ppr: false,
            in_numpr: false,
            in_trpr: false,
            in_tcpr: false,
            in_t: false,
            in_rpr: false,
            run_hidden: false,
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
                    let local = e.local_name();
                    let local = local.as_ref();
                    // paragraph-mark properties (pPr/rPr) carry no text; run properties are read
                    // for w:vanish
                    let mark_props = local == b"rPr" && self.in_ppr;
                    if mark_props
                        || skipped(local)
                        || (local == b"tbl" && self.tables.len() >= MAX_TABLE_DEPTH)
                    {
                        let name = e.name().as_ref().to_vec();
                        skip_buf.clear();
                        reader
                            .read_to_end_into(quick_xml::name::QName(&name), &mut skip_buf)
                            .map_err(|e| xml_error(budget, e))?;
                    } else {
                        self.start(&e, false);
                    }
                }
                Event::Empty(e) if !skipped(e.local_name().as_ref()) => {
                    self.start(&e, true);
                }
                Event::End(e) => self.end(e.local_name().as_ref()),
                Event::Text(t) if self.in_t && !self.run_hidden => {
                    if let Some(p) = self.para.as_mut() {
                        match t.unescape() {
                            Ok(s) => p.text.push_str(&s),
                            Err(_) => p.text.push_str(&String::from_utf8_lossy(&t)),
                        }
                    }
                }
                Event::CData(t) if self.in_t && !self.run_hidden => {
                    if let Some(p) = self.para.as_mut() {
                        p.text.push_str(&String::from_utf8_lossy(&t));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        // A truncated part: keep what was read, closing what is open.
        if self.para.is_some() {
            self.end(b"p");
        }
        while !self.tables.is_empty() {
            self.end(b"tbl");
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        match e.local_name().as_ref() {
            b"p" => {
                if self.para.is_some() {
                    self.end(b"p");
                }
                self.para = Some(Para::default());
                if empty {
                    self.end(b"p");
                }
            }
            b"pPr" if !empty => self.in_ppr = true,
            b"pStyle" if self.in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.style = attr(e, b"val");
                }
            }
            b"numPr" if self.in_ppr && !empty => self.in_numpr = true,
            b"numId" if self.in_numpr => {
                if let Some(p) = self.para.as_mut() {
                    p.num_id = attr(e, b"val");
                }
            }
            b"ilvl" if self.in_numpr => {
                if let Some(p) = self.para.as_mut() {
                    p.ilvl = num_attr(e).unwrap_or(0).min(8);
                }
            }
            b"outlineLvl" if self.in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.outline = num_attr(e);
                }
            }
            b"t" if !empty && !self.in_ppr => self.in_t = true,
            b"r" => self.run_hidden = false,
            b"rPr" if !empty && !self.in_ppr => self.in_rpr = true,
            b"vanish" if self.in_rpr => self.run_hidden = on_off(e),
            b"tab" | b"ptab" if !self.in_ppr => self.push_text(" "),
            b"br" | b"cr"
                if !self.in_ppr
                // a page break is layout, not a line of the text
                && attr(e, b"type").as_deref() != Some("page") =>
            {
                self.push_text("\n")
            }
            b"noBreakHyphen" if !self.in_ppr => self.push_text("-"),
            b"tbl" => {
                if self.para.is_some() {
                    self.end(b"p");
                }
                self.tables.push(TableB::default());
                if empty {
                    self.end(b"tbl");
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(RowB::default());
                }
                if empty {
                    self.end(b"tr");
                }
            }
            b"trPr" if !empty => self.in_trpr = true,
            b"tblHeader" if self.in_trpr => {
                if let Some(r) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    r.header = on_off(e);
                }
            }
            b"gridBefore" if self.in_trpr => {
                if let Some(r) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    r.before = num_attr(e).unwrap_or(0).min(MAX_SPAN);
                }
            }
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let row = t.row.get_or_insert_with(RowB::default);
                    row.cells.push(CellB {
                        lines: Vec::new(),
                        span: 1,
                        vmerge: VMerge::None,
                    });
                    t.cell_open = !empty;
                }
            }
            b"tcPr" if !empty => self.in_tcpr = true,
            b"gridSpan" if self.in_tcpr => {
                if let Some(c) = self.current_cell() {
                    c.span = num_attr(e).unwrap_or(1).clamp(1, MAX_SPAN);
                }
            }
            b"vMerge" if self.in_tcpr => {
                let restart = attr(e, b"val").as_deref() == Some("restart");
                if let Some(c) = self.current_cell() {
                    c.vmerge = if restart {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                }
            }
            _ => {}
        }
    }

    fn current_cell(&mut self) -> Option<&mut CellB> {
        let t = self.tables.last_mut()?;
        if !t.cell_open {
            return None;
        }
        t.row.as_mut()?.cells.last_mut()
    }

    fn push_text(&mut self, s: &str) {
        if self.run_hidden {
            return;
        }
        if let Some(p) = self.para.as_mut() {
            p.text.push_str(s);
        }
    }

    fn end(&mut self, local: &[u8]) {
        match local {
            b"p" => {
                if let Some(p) = self.para.take() {
                    self.finish_para(p);
                }
                self.in_ppr = false;
                self.in_numpr = false;
                self.in_t = false;
            }
            b"pPr" => {
                self.in_ppr = false;
                self.in_numpr = false;
            }
            b"numPr" => self.in_numpr = false,
            b"t" => self.in_t = false,
            b"rPr" => self.in_rpr = false,
            b"r" => self.run_hidden = false,
            b"trPr" => self.in_trpr = false,
            b"tcPr" => self.in_tcpr = false,
            b"tc" => {
                if self.para.is_some() {
                    self.end(b"p");
                }
                if let Some(t) = self.tables.last_mut() {
                    t.cell_open = false;
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell_open = false;
                    if let Some(r) = t.row.take() {
                        t.rows.push(r);
                    }
                }
            }
            b"tbl" => {
                if self.para.is_some() {
                    self.end(b"p");
                }
                let Some(mut t) = self.tables.pop() else {
                    return;
                };
                if let Some(r) = t.row.take() {
                    t.rows.push(r);
                }
                if self.tables.is_empty() {
                    self.table_index += 1;
                    let table = build_table(t.rows, self.table_index);
                    self.blocks.push(Block {
                        kind: BlockKind::Table(table),
                        source: Source {
                            table: Some(self.table_index),
                            ..Source::default()
                        },
                    });
                } else {
                    // nested: flatten into the containing cell, one line per row
                    let nested = build_table(t.rows, 0);
                    let lines: Vec<String> = nested
                        .rows
                        .iter()
                        .filter(|r| !r.is_blank())
                        .map(|r| {
                            r.cells
                                .iter()
                                .filter(|c| !c.is_empty())
                                .map(|c| c.text.replace('\n', "; "))
                                .collect::<Vec<_>>()
                                .join(" | ")
                        })
                        .collect();
                    if let Some(c) = self.current_cell() {
                        c.lines.extend(lines);
                    }
                }
            }
            _ => {}
        }
    }

    fn kind_of(&mut self, style: &str) -> StyleKind {
        if let Some(k) = self.kinds.get(style) {
            return *k;
        }
        let k = style_kind(self.styles, style);
        self.kinds.insert(style.to_string(), k);
        k
    }

    fn finish_para(&mut self, p: Para) {
        let in_table = !self.tables.is_empty();
        if !in_table {
            self.paragraph_index += 1;
        }
        let skind = p
            .style
            .as_deref()
            .map(|s| self.kind_of(s))
            .unwrap_or_default();
        let style_num = p
            .style
            .as_deref()
            .and_then(|s| self.styles.get(s))
            .and_then(|s| s.num_id.clone());
        let num_id = p.num_id.clone().or(style_num);
        let is_list = match &num_id {
            Some(n) => n != "0",
            None => skind.list,
        };
        let text = clean(&p.text);
        if text.is_empty() {
            return;
        }
        if in_table {
            let line = if is_list { format!("• {text}") } else { text };
            if let Some(c) = self.current_cell() {
                c.lines.push(line);
            }
            return;
        }
        let heading = match p.outline {
            Some(o) if o < 9 => Some((o + 1).min(6) as u8),
            _ => skind.heading,
        };
        let source = Source {
            paragraph: Some(self.paragraph_index),
            ..Source::default()
        };
        let kind = if let Some(level) = heading {
            let text = text.replace('\n', " ");
            if skind.title && self.title_style_text.is_none() {
                self.title_style_text = Some(text.clone());
            }
            BlockKind::Heading { level, text }
        } else if is_list {
            let marker = match &num_id {
                Some(n) => self.numbering.marker(n, p.ilvl),
                None => "•".to_string(),
            };
            BlockKind::ListItem {
                text,
                marker,
                level: (p.ilvl + 1) as u8,
            }
        } else {
            BlockKind::Paragraph { text }
        };
        self.blocks.push(Block { kind, source });
    }
}

/// Trim each line, collapse runs of spaces, drop empty lines.
fn clean(s: &str) -> String {
    s.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lay the rows out on the grid: spans padded, vertical merges filled down, one-cell section
/// rows collapsed, repeated header rows flagged.
fn build_table(rows: Vec<RowB>, table_index: u32) -> Table {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut prev_grid: Vec<Cell> = Vec::new();
    for (i, r) in rows.into_iter().enumerate() {
        let mut grid: Vec<Cell> = Vec::new();
        for _ in 0..r.before {
            grid.push(Cell::default());
        }
        let n_cells = r.cells.len();
        let first_span = r.cells.first().map_or(1, |c| c.span);
        for c in r.cells {
            let col = grid.len();
            let mut cell = Cell::new(c.lines.join("\n"));
            if c.vmerge == VMerge::Continue {
                if let Some(above) = prev_grid.get(col) {
                    cell.text = above.text.clone();
                    cell.merged = !cell.text.is_empty();
                }
            }
            grid.push(cell);
            for _ in 1..c.span {
                grid.push(Cell::default());
            }
        }
        let source = if table_index > 0 {
            Source {
                table: Some(table_index),
                row: Some(i as u32 + 1),
                ..Source::default()
            }
        } else {
            Source::default()
        };
        let section = n_cells == 1 && first_span > 1 && r.before == 0;
        let cells = if section {
            grid[..1].to_vec()
        } else {
            grid.clone()
        };
        out.push(Row {
            cells,
            source,
            header: r.header,
            continuation: false,
        });
        prev_grid = grid;
    }
    // A later row that repeats a header row word for word is a repeated header.
    let header_texts: Vec<Vec<String>> = out
        .iter()
        .filter(|r| r.header)
        .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
        .collect();
    let first: Option<Vec<String>> = out
        .first()
        .map(|r| r.cells.iter().map(|c| c.text.clone()).collect());
    let mut first_repeated = false;
    for r in out.iter_mut().skip(1) {
        if r.header || r.is_blank() || r.cells.len() < 2 {
            continue;
        }
        let t: Vec<String> = r.cells.iter().map(|c| c.text.clone()).collect();
        if header_texts.contains(&t) {
            r.header = true;
        } else if first.as_ref() == Some(&t) {
            r.header = true;
            first_repeated = true;
        }
    }
    if first_repeated {
        if let Some(r) = out.first_mut() {
            r.header = true;
        }
    }
    Table {
        rows: out,
        wrapped_lines: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn docx(body: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("[Content_Types].xml", o).unwrap();
        w.write_all(b"<Types/>").unwrap();
        w.start_file("word/document.xml", o).unwrap();
        write!(
            w,
            r#"<?xml version="1.0"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        w.start_file("word/styles.xml", o).unwrap();
        write!(
            w,
            r#"<w:styles {NS}><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
            <w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>
            <w:style w:type="paragraph" w:styleId="Kop"><w:name w:val="Kop"/><w:basedOn w:val="Heading2"/></w:style></w:styles>"#
        )
        .unwrap();
        w.finish().unwrap().into_inner()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn tc(inner: &str) -> String {
        format!("<w:tc>{inner}</w:tc>")
    }

    fn doc(body: &str) -> Document {
        read(&docx(body), &Options::default()).unwrap()
    }

    fn tables(d: &Document) -> Vec<&Table> {
        d.tables().collect()
    }

    #[test]
    fn body_order_and_kinds() {
        let body = format!(
            "{}{}{}<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr><w:r><w:t>item</w:t></w:r></w:p>\
             <w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:r><w:t>Outline</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Titel\"/></w:pPr><w:r><w:t>The Title</w:t></w:r></w:p>",
            "<w:p><w:pPr><w:pStyle w:val=\"Kop\"/></w:pPr><w:r><w:t>Employment</w:t></w:r></w:p>",
            p("Hello &amp; welcome"),
            "<w:p/>",
        );
        let d = doc(&body);
        let kinds: Vec<String> = d.blocks.iter().map(|b| format!("{:?}", b.kind)).collect();
        assert!(
            kinds[0].contains("Heading { level: 2, text: \"Employment\""),
            "{kinds:?}"
        );
        assert!(
            kinds[1].contains("Paragraph { text: \"Hello & welcome\""),
            "{kinds:?}"
        );
        assert!(
            kinds[2].contains("ListItem { text: \"item\", marker: \"•\", level: 2"),
            "{kinds:?}"
        );
        assert!(
            kinds[3].contains("Heading { level: 1, text: \"Outline\""),
            "{kinds:?}"
        );
        assert_eq!(d.title.as_deref(), Some("The Title"));
        assert_eq!(d.blocks[1].source.paragraph, Some(2));
        assert_eq!(
            d.blocks[2].source.paragraph,
            Some(4),
            "empty paragraphs are counted"
        );
    }

    #[test]
    fn tracked_changes_fields_and_boxes() {
        let body = "<w:p><w:r><w:t xml:space=\"preserve\">Keep </w:t></w:r>\
            <w:ins w:id=\"1\"><w:r><w:t>inserted</w:t></w:r></w:ins>\
            <w:del w:id=\"2\"><w:r><w:delText>deleted</w:delText></w:r></w:del>\
            <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
            <w:r><w:drawing><wp:inline><w:txbxContent><w:p><w:r><w:t>BOX</w:t></w:r></w:p></w:txbxContent></wp:inline></w:drawing></w:r>\
            <w:r><w:footnoteReference w:id=\"1\"/></w:r>\
            <w:r><w:rPr><w:vanish/><w:rPrChange><w:rPr/></w:rPrChange></w:rPr><w:t>HIDDEN</w:t></w:r>\
            <w:r><w:rPr><w:b/></w:rPr><w:t>!</w:t></w:r></w:p>";
        let d = doc(body);
        assert_eq!(d.blocks.len(), 1);
        match &d.blocks[0].kind {
            BlockKind::Paragraph { text } => assert_eq!(text, "Keep inserted7!"),
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn table_merges_headers_bullets_nested() {
        let hdr = format!(
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}{}</w:tr>",
            tc(&p("Action")),
            tc(&p("Lead")),
            tc(&p("By when"))
        );
        let section = format!(
            "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"3\"/></w:tcPr>{}</w:tc></w:tr>",
            p("Outcome 2: carers")
        );
        let r1 = format!(
            "<w:tr>{}<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>{}</w:tc>{}</w:tr>",
            tc(&format!(
                "{}<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>bullet one</w:t></w:r></w:p>",
                p("First action")
            )),
            p("HHAS"),
            tc(&p("2009"))
        );
        let nested = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr>\
                      <w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>";
        let r2 = format!(
            "<w:tr>{}<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>{}</w:tr>",
            tc(&format!("{}{}", p("Second"), nested)),
            tc(&p("2010"))
        );
        let r3 = format!(
            "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>{}</w:tc></w:tr>",
            p("wide")
        );
        let d = doc(&format!("{}<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>{hdr}{section}{r1}{r2}{hdr}{r3}</w:tbl>", p("intro")));
        let t = tables(&d);
        assert_eq!(t.len(), 1);
        let rows = &t[0].rows;
        assert_eq!(rows.len(), 6);
        assert!(rows[0].header);
        assert_eq!(rows[1].texts(), vec!["Outcome 2: carers"]);
        assert_eq!(
            rows[2].texts(),
            vec!["First action\n• bullet one", "HHAS", "2009"]
        );
        assert!(!rows[2].cells[1].merged);
        assert_eq!(rows[3].texts(), vec!["Second\na | b\nc", "HHAS", "2010"]);
        assert!(rows[3].cells[1].merged);
        assert!(rows[4].header, "repeated header row");
        assert_eq!(rows[5].texts(), vec!["", "wide", ""]);
        assert_eq!(rows[3].source.table, Some(1));
        assert_eq!(rows[3].source.row, Some(4));
        assert_eq!(d.blocks[1].source.table, Some(1));
    }

    #[test]
    fn bad_containers() {
        // a zip that is not Word
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("foo.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"hi").unwrap();
        let z = w.finish().unwrap().into_inner();
        let e = read(&z, &Options::default()).unwrap_err();
        assert!(matches!(e, Error::Corrupt { .. }), "{e}");
        assert!(e.to_string().contains("not a Word document"));
        // truncated
        let d = docx(&p("hello"));
        let e = read(&d[..d.len() - 30], &Options::default()).unwrap_err();
        assert!(matches!(e, Error::Corrupt { .. }), "{e}");
        // malformed XML
        let d = docx("<w:p><w:r><w:t>x</w:r></w:p>");
        assert!(matches!(
            read(&d, &Options::default()),
            Err(Error::Corrupt { .. })
        ));
    }

    #[test]
    fn bomb_in_document_part() {
        let big = "<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>".repeat(40_000);
        let d = docx(&big);
        let mut opts = Options::default();
        opts.limits.max_decompressed_bytes = 1 << 20;
        let e = read(&d, &opts).unwrap_err();
        assert!(matches!(e, Error::Limit(_)), "{e}");
    }
}
