//! Rich Text Format (`.rtf`) reader: a small tokenizer and a group-state machine.
//!
//! No RTF crate on crates.io reads tables (rtf-parser 0.4, the most used, keeps paragraphs and
//! character styles only), so this is a careful reader of the parts of RTF 1.9 a strategy
//! needs. It produces, in body order:
//!
//! * paragraphs (`\par`), headings (a paragraph whose style, `\sN` in the `\stylesheet`, is
//!   named "heading N" / "Title" or carries `\outlinelevelN`, or that has `\outlinelevelN`
//!   itself), list items (a `\listtext` / `\pntext` marker group, or `\lsN`; bullet glyphs
//!   become `•`, numbers are kept as printed);
//! * tables: `\trowd` ... `\cellx` row definitions, `\cell` / `\row` (and `\nestcell` /
//!   `\nestrow` with `\itapN` for nested tables, flattened into their cell); column spans
//!   from the `\cellx` boundaries of all rows ([`grid::spans_from_edges`]); `\clmgf` /
//!   `\clmrg` horizontal merges; `\clvmgf` / `\clvmrg` vertical merges filled down
//!   (`Cell::merged`); `\trhdr` header rows;
//! * text: `\'hh` in the font's or document's code page (`\ansicpgN`, `\fcharsetN`), `\uN`
//!   with `\ucN` fallback skipping, symbols (`\emdash`, `\bullet`, quotes, `\~`, `\_`),
//!   `\line` as a line break, `\tab` as a space;
//! * skipped: font, colour, style, list and revision tables (read for what they tell), `\*`
//!   destinations, pictures, objects, shapes, headers, footers, footnotes, comments, field
//!   instructions (field results are kept), hidden text (`\v`), tracked deletions
//!   (`\deleted`), `\binN` data.
//!
//! Title: `{\info{\title ...}}`, else the first Title-style paragraph. Sources: `paragraph`
//! (1-based among the body's paragraphs, empty ones included) on prose, `table`/`row` on
//! tables.
//!
//! Hostile input: groups may nest at most [`MAX_GROUP_DEPTH`] deep (deeper is refused),
//! tables [`MAX_TABLE_DEPTH`]; numbers are clamped, control words bounded, `\bin` lengths
//! checked against the input, and the work is one pass over the bytes (no recursion).

use std::collections::HashMap;

use encoding_rs::Encoding;

use super::grid::{self, EdgeCell, EdgeDef, EdgeRow, VMerge};
use crate::document::{Block, BlockKind, Document, Source};
use crate::error::{Error, Result};
use crate::Options;

/// Deepest group nesting accepted. Real documents stay under 30.
pub const MAX_GROUP_DEPTH: usize = 512;
/// Deepest table nesting kept (`\itapN`); deeper levels are read as this level.
pub const MAX_TABLE_DEPTH: usize = 16;
/// Most `\cellx` boundaries kept for one row.
const MAX_CELL_DEFS: usize = grid::MAX_SPAN;

/// Read the bytes of an `.rtf` into a document.
pub fn read(bytes: &[u8], _opts: &Options) -> Result<Document> {
    let start = bytes
        .windows(5)
        .take(1024)
        .position(|w| w == b"{\\rtf")
        .ok_or_else(|| Error::Corrupt {
            format: "RTF",
            detail: "it does not start with {\\rtf".into(),
        })?;
    let mut p = Parser::new();
    p.run(&bytes[start..])?;
    p.finish();
    p.cells.check("RTF")?;
    let title = p.info_title.take().or(p.title_style_text.take());
    Ok(Document {
        title,
        pages: None,
        blocks: p.blocks,
    })
}

// ---------------------------------------------------------------------------------------------
// state

/// Where the text of a group goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    /// Document text.
    Body,
    /// Ignored.
    Skip,
    /// `\fonttbl`: font numbers and their character sets.
    FontTable,
    /// `\stylesheet`: style numbers and names.
    StyleSheet,
    /// `\info`: document properties (only `\title` is kept).
    Info,
    /// `\title` inside `\info`.
    Title,
    /// `\listtext` / `\pntext`: the printed list marker of the paragraph.
    Marker,
    /// `\nesttableprops`: row definitions of a nested table (no text).
    Props,
}

/// Paragraph properties (reset by `\pard`).
#[derive(Debug, Clone, Copy, Default)]
struct ParaProps {
    in_table: bool,
    itap: usize,
    style: i32,
    outline: Option<u8>,
    list: bool,
}

/// Character properties (reset by `\plain`).
#[derive(Debug, Clone, Copy, Default)]
struct CharProps {
    font: Option<i32>,
    hidden: bool,
    deleted: bool,
}

#[derive(Debug, Clone, Copy)]
struct Group {
    dest: Dest,
    uc: u32,
    para: ParaProps,
    chars: CharProps,
}

/// A row definition being read: its boundaries, and the cell whose `\cellx` has not come.
#[derive(Debug, Clone, Default)]
struct RowDef {
    def: EdgeDef,
    pending: EdgeCell,
}

#[derive(Debug, Default, Clone)]
struct StyleDef {
    name: String,
    outline: Option<u8>,
    paragraph: bool,
}

struct Parser {
    groups: Vec<Group>,
    /// Document code page (`\ansicpgN`).
    doc_encoding: &'static Encoding,
    default_font: Option<i32>,
    /// font number -> charset-derived encoding (`None`: symbol font)
    fonts: HashMap<i32, Option<&'static Encoding>>,
    styles: HashMap<i32, StyleDef>,
    // font / style table entry being read
    cur_font: Option<(i32, Option<&'static Encoding>)>,
    cur_style: Option<(i32, StyleDef)>,
    /// Bytes of `\'hh` and literal text not yet decoded, with the encoding they are in.
    pending: Vec<u8>,
    pending_enc: Option<Option<&'static Encoding>>,
    /// Characters still to skip after a `\uN`.
    skip_chars: u32,
    para_text: String,
    marker: Option<String>,
    info_title: Option<String>,
    title_buf: String,
    title_style_text: Option<String>,
    /// Row definition per table depth (index 0 = top-level table).
    row_defs: Vec<RowDef>,
    tables: Vec<grid::OpenTable>,
    blocks: Vec<Block>,
    paragraph_index: u32,
    table_index: u32,
    /// Cells produced by the tables so far.
    cells: grid::CellBudget,
    high_surrogate: Option<u16>,
}

impl Parser {
    fn new() -> Parser {
        Parser {
            groups: vec![Group {
                dest: Dest::Body,
                uc: 1,
                para: ParaProps::default(),
                chars: CharProps::default(),
            }],
            doc_encoding: encoding_rs::WINDOWS_1252,
            default_font: None,
            fonts: HashMap::new(),
            styles: HashMap::new(),
            cur_font: None,
            cur_style: None,
            pending: Vec::new(),
            pending_enc: None,
            skip_chars: 0,
            para_text: String::new(),
            marker: None,
            info_title: None,
            title_buf: String::new(),
            title_style_text: None,
            row_defs: Vec::new(),
            tables: Vec::new(),
            blocks: Vec::new(),
            paragraph_index: 0,
            table_index: 0,
            cells: grid::CellBudget::default(),
            high_surrogate: None,
        }
    }

    fn g(&self) -> Group {
        // the outermost group is never popped, so there is always one
        self.groups.last().copied().unwrap_or(Group {
            dest: Dest::Body,
            uc: 1,
            para: ParaProps::default(),
            chars: CharProps::default(),
        })
    }

    fn g_mut(&mut self) -> Option<&mut Group> {
        self.groups.last_mut()
    }

    // -----------------------------------------------------------------------------------------
    // tokenizer

    fn run(&mut self, b: &[u8]) -> Result<()> {
        let mut i = 0usize;
        // The first group is the document itself: its `{` opens the body group.
        let mut opened_doc = false;
        while i < b.len() {
            let c = b[i];
            match c {
                b'{' => {
                    self.flush_pending();
                    self.skip_chars = 0;
                    if !opened_doc {
                        opened_doc = true;
                        i += 1;
                        continue;
                    }
                    if self.groups.len() >= MAX_GROUP_DEPTH {
                        return Err(Error::Limit(format!(
                            "RTF file refused: groups nested deeper than {MAX_GROUP_DEPTH}"
                        )));
                    }
                    let g = self.g();
                    self.groups.push(g);
                    // `{\*\dest ...}`: an optional destination, skipped unless known
                    if b.get(i + 1..i + 3) == Some(b"\\*") {
                        let (word, _, _) = control_word(b, i + 3);
                        let dest = match word {
                            b"\\nesttableprops" => Dest::Props,
                            _ => Dest::Skip,
                        };
                        if let Some(g) = self.g_mut() {
                            g.dest = dest;
                        }
                    }
                    i += 1;
                }
                b'}' => {
                    self.flush_pending();
                    self.skip_chars = 0;
                    i += 1;
                    self.cells.check("RTF")?;
                    if self.groups.len() > 1 {
                        self.end_group();
                    } else {
                        // the document group is closed: anything after it is not RTF
                        break;
                    }
                }
                b'\\' => {
                    let next = b.get(i + 1).copied().unwrap_or(b' ');
                    if next.is_ascii_alphabetic() {
                        let (word, param, end) = control_word(b, i);
                        let name = &word[1..];
                        i = end;
                        if self.skip_chars > 0 {
                            self.skip_chars -= 1;
                            continue;
                        }
                        if name == b"bin" {
                            let n = param.unwrap_or(0).max(0) as usize;
                            i = i.saturating_add(n).min(b.len());
                            continue;
                        }
                        self.control(name, param);
                    } else if next == b'\'' {
                        let hex = b.get(i + 2..i + 4).unwrap_or(b"");
                        i += 2 + hex.len();
                        let v = std::str::from_utf8(hex)
                            .ok()
                            .and_then(|h| u8::from_str_radix(h, 16).ok());
                        if self.skip_chars > 0 {
                            self.skip_chars -= 1;
                            continue;
                        }
                        if let Some(v) = v {
                            self.byte(v);
                        }
                    } else {
                        i += 2;
                        if self.skip_chars > 0 {
                            self.skip_chars -= 1;
                            continue;
                        }
                        match next {
                            b'\\' | b'{' | b'}' => self.byte(next),
                            b'~' => self.text("\u{a0}"),
                            b'_' => self.text("-"),
                            b'-' => {}
                            b'\n' | b'\r' => self.control(b"par", None),
                            b'*' => {}
                            _ => {}
                        }
                    }
                }
                b'\r' | b'\n' => i += 1,
                _ => {
                    if self.skip_chars > 0 {
                        self.skip_chars -= 1;
                    } else {
                        self.byte(c);
                    }
                    i += 1;
                }
            }
        }
        self.flush_pending();
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // text

    fn encoding_now(&self) -> Option<&'static Encoding> {
        let font = self.g().chars.font.or(self.default_font);
        match font.and_then(|f| self.fonts.get(&f)) {
            Some(e) => *e,
            None => Some(self.doc_encoding),
        }
    }

    fn byte(&mut self, v: u8) {
        let enc = self.encoding_now();
        if self.pending_enc != Some(enc) {
            self.flush_pending();
            self.pending_enc = Some(enc);
        }
        self.pending.push(v);
    }

    fn flush_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.pending);
        let s: String = match self.pending_enc.flatten() {
            Some(enc) => enc.decode_without_bom_handling(&bytes).0.into_owned(),
            // symbol fonts: Word maps their bytes to the private-use area U+F0xx
            None => bytes
                .iter()
                .map(|&b| char::from_u32(0xF000 + u32::from(b)).unwrap_or(' '))
                .collect(),
        };
        self.emit(&s);
    }

    fn text(&mut self, s: &str) {
        self.flush_pending();
        self.emit(s);
    }

    /// Send decoded text to the current destination.
    fn emit(&mut self, s: &str) {
        let g = self.g();
        match g.dest {
            Dest::Body => {
                if g.chars.hidden || g.chars.deleted {
                    return;
                }
                for ch in s.chars() {
                    if ch.is_control() && ch != '\n' {
                        continue;
                    }
                    self.para_text.push(ch);
                }
            }
            Dest::Marker => self.marker.get_or_insert_with(String::new).push_str(s),
            Dest::Title => self.title_buf.push_str(s),
            Dest::FontTable => {
                if s.contains(';') {
                    if let Some((n, e)) = self.cur_font.take() {
                        self.fonts.insert(n, e);
                    }
                }
            }
            Dest::StyleSheet => {
                if let Some((_, st)) = self.cur_style.as_mut() {
                    st.name.push_str(s);
                }
            }
            Dest::Skip | Dest::Info | Dest::Props => {}
        }
    }

    fn unicode(&mut self, v: i32) {
        let u = if v < 0 { v + 65536 } else { v };
        let u = u.clamp(0, 0xFFFF) as u16;
        self.flush_pending();
        let ch = if (0xD800..0xDC00).contains(&u) {
            self.high_surrogate = Some(u);
            None
        } else if (0xDC00..0xE000).contains(&u) {
            self.high_surrogate
                .take()
                .and_then(|h| char::decode_utf16([h, u]).next().and_then(|r| r.ok()))
        } else {
            self.high_surrogate = None;
            char::from_u32(u32::from(u))
        };
        if let Some(ch) = ch {
            let mut buf = [0u8; 4];
            let s: &str = ch.encode_utf8(&mut buf);
            self.emit(s);
        }
        self.skip_chars = self.g().uc;
    }

    // -----------------------------------------------------------------------------------------
    // control words

    fn control(&mut self, name: &[u8], param: Option<i32>) {
        self.flush_pending();
        let dest = self.g().dest;
        // destinations (the first word of a group)
        let new_dest = match name {
            b"fonttbl" => Some(Dest::FontTable),
            b"stylesheet" => Some(Dest::StyleSheet),
            b"info" => Some(Dest::Info),
            b"title" if dest == Dest::Info => Some(Dest::Title),
            b"listtext" | b"pntext" => Some(Dest::Marker),
            b"colortbl"
            | b"listtable"
            | b"listoverridetable"
            | b"revtbl"
            | b"rsidtbl"
            | b"pict"
            | b"object"
            | b"header"
            | b"headerl"
            | b"headerr"
            | b"headerf"
            | b"footer"
            | b"footerl"
            | b"footerr"
            | b"footerf"
            | b"footnote"
            | b"annotation"
            | b"pn"
            | b"shp"
            | b"shpinst"
            | b"shprslt"
            | b"nonshppict"
            | b"do"
            | b"xe"
            | b"tc"
            | b"txe"
            | b"rxe"
            | b"fldinst"
            | b"datafield"
            | b"objdata"
            | b"nonesttables"
            | b"upr"
            | b"filetbl"
            | b"template"
            | b"author"
            | b"operator"
            | b"comment"
            | b"doccomm"
            | b"keywords"
            | b"subject"
            | b"company"
            | b"category"
            | b"manager"
            | b"hlinkbase"
            | b"atnid"
            | b"atnauthor"
            | b"atndate"
            | b"atnref"
            | b"atrfstart"
            | b"atrfend"
            | b"bkmkstart"
            | b"bkmkend"
            | b"ftnsep"
            | b"ftnsepc"
            | b"ftncn"
            | b"aftnsep"
            | b"aftnsepc"
            | b"aftncn"
            | b"themedata"
            | b"colorschememapping"
            | b"latentstyles"
            | b"datastore"
            | b"xmlnstbl"
            | b"mmathPr"
            | b"pgdsctbl"
            | b"generator"
            | b"userprops"
            | b"docvar"
            | b"fchars"
            | b"lchars"
            | b"passwordhash" => Some(Dest::Skip),
            _ => None,
        };
        if let Some(d) = new_dest {
            if dest != Dest::Skip {
                if let Some(g) = self.g_mut() {
                    g.dest = d;
                }
                if d == Dest::Marker {
                    self.marker = Some(String::new());
                }
            }
            return;
        }
        match dest {
            Dest::Skip => {}
            Dest::FontTable => match name {
                b"f" => {
                    if let Some((n, e)) = self.cur_font.take() {
                        self.fonts.insert(n, e);
                    }
                    self.cur_font = Some((param.unwrap_or(0), Some(self.doc_encoding)));
                }
                b"fcharset" => {
                    if let Some((_, e)) = self.cur_font.as_mut() {
                        *e = charset_encoding(param.unwrap_or(0), self.doc_encoding);
                    }
                }
                _ => {}
            },
            Dest::StyleSheet => match name {
                b"s" => {
                    self.cur_style = Some((
                        param.unwrap_or(0),
                        StyleDef {
                            paragraph: true,
                            ..StyleDef::default()
                        },
                    ))
                }
                b"cs" | b"ds" | b"ts" => {
                    self.cur_style = Some((param.unwrap_or(0), StyleDef::default()))
                }
                b"outlinelevel" => {
                    if let Some((_, st)) = self.cur_style.as_mut() {
                        st.outline = outline(param);
                    }
                }
                _ => {}
            },
            _ => self.body_control(name, param),
        }
    }

    fn body_control(&mut self, name: &[u8], param: Option<i32>) {
        let in_body = self.g().dest == Dest::Body;
        match name {
            // document
            b"ansicpg" => {
                if let Some(e) = codepage_encoding(param.unwrap_or(1252)) {
                    self.doc_encoding = e;
                }
            }
            b"mac" => self.doc_encoding = encoding_rs::MACINTOSH,
            b"deff" => self.default_font = param,
            b"uc" => {
                if let Some(g) = self.g_mut() {
                    g.uc = param.unwrap_or(1).clamp(0, 8) as u32;
                }
            }
            b"u" => self.unicode(param.unwrap_or(0)),
            // characters
            b"f" => {
                if let Some(g) = self.g_mut() {
                    g.chars.font = param;
                }
            }
            b"plain" => {
                if let Some(g) = self.g_mut() {
                    g.chars = CharProps::default();
                }
            }
            b"v" => {
                if let Some(g) = self.g_mut() {
                    g.chars.hidden = param != Some(0);
                }
            }
            b"deleted" => {
                if let Some(g) = self.g_mut() {
                    g.chars.deleted = param != Some(0);
                }
            }
            // symbols
            b"tab" => self.text(" "),
            b"line" => self.text("\n"),
            b"emdash" => self.text("\u{2014}"),
            b"endash" => self.text("\u{2013}"),
            b"bullet" => self.text("\u{2022}"),
            b"lquote" => self.text("\u{2018}"),
            b"rquote" => self.text("\u{2019}"),
            b"ldblquote" => self.text("\u{201c}"),
            b"rdblquote" => self.text("\u{201d}"),
            b"emspace" | b"enspace" | b"qmspace" => self.text(" "),
            // paragraphs
            b"pard" => {
                if let Some(g) = self.g_mut() {
                    g.para = ParaProps::default();
                }
            }
            b"s" => {
                if let Some(g) = self.g_mut() {
                    g.para.style = param.unwrap_or(0);
                }
            }
            b"outlinelevel" => {
                if let Some(g) = self.g_mut() {
                    g.para.outline = outline(param);
                }
            }
            b"ls" => {
                if let Some(g) = self.g_mut() {
                    g.para.list = param.unwrap_or(0) > 0;
                }
            }
            b"intbl" => {
                if let Some(g) = self.g_mut() {
                    g.para.in_table = true;
                    g.para.itap = g.para.itap.max(1);
                }
            }
            b"itap" => {
                if let Some(g) = self.g_mut() {
                    let n = param.unwrap_or(1).clamp(0, MAX_TABLE_DEPTH as i32) as usize;
                    g.para.itap = n;
                    g.para.in_table = n > 0;
                }
            }
            b"par" | b"sect" if in_body => self.end_paragraph(),
            // tables
            b"trowd" => {
                let d = self.def_depth();
                if let Some(def) = self.row_def(d) {
                    *def = RowDef::default();
                }
            }
            b"trleft" => {
                let d = self.def_depth();
                if let Some(def) = self.row_def(d) {
                    def.def.left = param.unwrap_or(0);
                }
            }
            b"trhdr" => {
                let d = self.def_depth();
                if let Some(def) = self.row_def(d) {
                    def.def.header = param != Some(0);
                }
            }
            b"clvmgf" | b"clvmrg" | b"clmgf" | b"clmrg" => {
                let d = self.def_depth();
                if let Some(def) = self.row_def(d) {
                    match name {
                        b"clvmgf" => def.pending.vmerge = VMerge::Restart,
                        b"clvmrg" => def.pending.vmerge = VMerge::Continue,
                        b"clmrg" => def.pending.hmerge_cont = true,
                        _ => {}
                    }
                }
            }
            b"cellx" => {
                let d = self.def_depth();
                if let Some(def) = self.row_def(d) {
                    let mut c = std::mem::take(&mut def.pending);
                    c.right = param.unwrap_or(0);
                    if def.def.cells.len() < MAX_CELL_DEFS {
                        def.def.cells.push(c);
                    }
                }
            }
            b"cell" => self.end_cell(1),
            b"nestcell" => {
                let d = self.g().para.itap.max(2);
                self.end_cell(d);
            }
            b"row" => self.end_row(1),
            b"nestrow" => {
                let d = self.g().para.itap.max(2);
                self.end_row(d);
            }
            _ => {}
        }
    }

    /// Depth (1-based) of the table a row definition applies to: the current paragraph's.
    fn def_depth(&self) -> usize {
        self.g().para.itap.clamp(1, MAX_TABLE_DEPTH)
    }

    fn row_def(&mut self, depth: usize) -> Option<&mut RowDef> {
        if self.row_defs.len() < depth {
            self.row_defs.resize(depth, RowDef::default());
        }
        self.row_defs.get_mut(depth - 1)
    }

    fn end_group(&mut self) {
        let g = self.g();
        match g.dest {
            Dest::FontTable => {
                if let Some((n, e)) = self.cur_font.take() {
                    self.fonts.insert(n, e);
                }
            }
            Dest::StyleSheet => {
                if let Some((n, mut st)) = self.cur_style.take().filter(|(_, st)| st.paragraph) {
                    st.name = st.name.trim().trim_end_matches(';').trim().to_string();
                    self.styles.insert(n, st);
                }
            }
            Dest::Title => {
                let t = self
                    .title_buf
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !t.is_empty() {
                    self.info_title = Some(t);
                }
            }
            _ => {}
        }
        if self.groups.len() > 1 {
            self.groups.pop();
        }
    }

    // -----------------------------------------------------------------------------------------
    // structure

    /// Open or close tables so that `depth` tables are open.
    fn ensure_depth(&mut self, depth: usize) {
        while self.tables.len() > depth {
            self.close_table();
        }
        while self.tables.len() < depth {
            self.tables.push(grid::OpenTable::default());
        }
    }

    fn take_paragraph(&mut self) -> (String, Option<String>) {
        self.flush_pending();
        let text = grid::clean(&std::mem::take(&mut self.para_text));
        let marker = self.marker.take().map(|m| marker_text(&m));
        (text, marker)
    }

    fn end_paragraph(&mut self) {
        let props = self.g().para;
        let (text, marker) = self.take_paragraph();
        if props.in_table {
            let d = props.itap.clamp(1, MAX_TABLE_DEPTH);
            self.ensure_depth(d);
            if !text.is_empty() {
                let line = if marker.is_some() || props.list {
                    format!("• {text}")
                } else {
                    text
                };
                if let Some(t) = self.tables.last_mut() {
                    t.lines.push(line);
                }
            }
            return;
        }
        self.ensure_depth(0);
        self.paragraph_index += 1;
        if text.is_empty() {
            return;
        }
        let style = self.styles.get(&props.style).cloned().unwrap_or_default();
        let named = kind_from_name(&style.name);
        let heading = props.outline.or(named.map(|(l, _)| l)).or(style.outline);
        let source = Source {
            paragraph: Some(self.paragraph_index),
            ..Source::default()
        };
        let kind = if let Some(level) = heading {
            let text = text.replace('\n', " ");
            if named.is_some_and(|(_, title)| title) && self.title_style_text.is_none() {
                self.title_style_text = Some(text.clone());
            }
            BlockKind::Heading { level, text }
        } else if marker.is_some() || props.list {
            BlockKind::ListItem {
                text,
                marker: marker.unwrap_or_else(|| "•".into()),
                level: 1,
            }
        } else {
            BlockKind::Paragraph { text }
        };
        self.blocks.push(Block { kind, source });
    }

    fn end_cell(&mut self, depth: usize) {
        let props = self.g().para;
        let (text, marker) = self.take_paragraph();
        self.ensure_depth(depth);
        if let Some(t) = self.tables.last_mut() {
            if !text.is_empty() {
                t.lines.push(if marker.is_some() || props.list {
                    format!("• {text}")
                } else {
                    text
                });
            }
            let lines = std::mem::take(&mut t.lines);
            if t.cells.len() < grid::MAX_SPAN {
                t.cells.push(lines);
            }
        }
    }

    fn end_row(&mut self, depth: usize) {
        self.ensure_depth(depth);
        let def = self.row_defs.get(depth - 1).cloned().unwrap_or_default();
        if let Some(t) = self.tables.last_mut() {
            let mut cells = std::mem::take(&mut t.cells);
            if !t.lines.is_empty() {
                cells.push(std::mem::take(&mut t.lines));
            }
            t.rows.push(EdgeRow {
                cells,
                def: def.def,
            });
        }
    }

    fn close_table(&mut self) {
        let def = self
            .row_defs
            .get(self.tables.len().saturating_sub(1))
            .map(|d| d.def.clone())
            .unwrap_or_default();
        grid::close_edge_table(
            &mut self.tables,
            def,
            &mut self.blocks,
            &mut self.table_index,
            &mut self.cells,
        );
    }

    fn finish(&mut self) {
        self.flush_pending();
        if !self.para_text.trim().is_empty() {
            self.end_paragraph();
        }
        self.ensure_depth(0);
    }
}

/// `\backslash word [-]digits [space]` starting at `b[i] == '\\'`: the word (with the
/// backslash), its parameter, and the index after it (a single space delimiter is consumed).
fn control_word(b: &[u8], i: usize) -> (&[u8], Option<i32>, usize) {
    let mut j = i + 1;
    while j < b.len() && b[j].is_ascii_alphabetic() && j - i <= 32 {
        j += 1;
    }
    let word = &b[i..j];
    let mut neg = false;
    if b.get(j) == Some(&b'-') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        neg = true;
        j += 1;
    }
    let mut param: Option<i64> = None;
    let mut digits = 0;
    while j < b.len() && b[j].is_ascii_digit() {
        if digits < 10 {
            param = Some(param.unwrap_or(0) * 10 + i64::from(b[j] - b'0'));
        }
        digits += 1;
        j += 1;
    }
    if b.get(j) == Some(&b' ') {
        j += 1;
    }
    let param = param.map(|p| {
        let p = if neg { -p } else { p };
        p.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    });
    (word, param, j)
}

/// `\outlinelevelN` (0-based; 9 and over is body text) -> heading level.
fn outline(param: Option<i32>) -> Option<u8> {
    match param {
        Some(n @ 0..=8) => Some((n as u8 + 1).min(6)),
        _ => None,
    }
}

/// "heading 2" -> (2, false); "Title" -> (1, true).
fn kind_from_name(name: &str) -> Option<(u8, bool)> {
    let n: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if n == "title" {
        return Some((1, true));
    }
    let l: u8 = n.strip_prefix("heading")?.parse().ok()?;
    (1..=9).contains(&l).then_some((l.min(6), false))
}

/// The printed marker of a list paragraph: bullets (no letter or digit) become `•`, numbers
/// are kept as printed ("1.", "(a)").
fn marker_text(raw: &str) -> String {
    let m = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if m.chars().any(char::is_alphanumeric) {
        m
    } else {
        "•".into()
    }
}

/// The encoding of an RTF font character set (`\fcharsetN`); `None` for symbol fonts.
fn charset_encoding(charset: i32, doc: &'static Encoding) -> Option<&'static Encoding> {
    let cp = match charset {
        2 => return None,
        77 => 10000,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return Some(doc),
    };
    Some(codepage_encoding(cp).unwrap_or(doc))
}

/// A Windows code page number -> encoding (those encoding_rs knows).
pub(crate) fn codepage_encoding(cp: i32) -> Option<&'static Encoding> {
    Some(match cp {
        874 => encoding_rs::WINDOWS_874,
        932 => encoding_rs::SHIFT_JIS,
        936 => encoding_rs::GBK,
        949 => encoding_rs::EUC_KR,
        950 => encoding_rs::BIG5,
        866 => encoding_rs::IBM866,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1252 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        10000 => encoding_rs::MACINTOSH,
        65001 => encoding_rs::UTF_8,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(rtf: &str) -> Document {
        read(rtf.as_bytes(), &Options::default()).unwrap()
    }

    fn kinds(d: &Document) -> Vec<String> {
        d.blocks.iter().map(|b| format!("{:?}", b.kind)).collect()
    }

    #[test]
    fn text_encodings_and_symbols() {
        let d = doc(
            r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fnil\fcharset0 Arial;}{\f1\fnil\fcharset204 Arial Cyr;}{\f2\fnil\fcharset2 Symbol;}}
{\info{\title The {\i plan} title}{\author Nobody}}
Caf\'e9 \emdash  \ldblquote quoted\rdblquote\tab x\~y\_z opt\-hyph {\f1 \'cf\'f0\'e8}\par
\uc1\u8364?uro and \u-10179?\u-8704? wide \uc0\u8220 no-skip\u8221\par
{\v hidden }{\deleted gone }kept {\*\unknown dest }{\field{\*\fldinst PAGE}{\fldrslt 7}}\par
{\pict\pngblip 89504e47}{\object{\*\objdata 0102}}\bin4 {}{}after bin\par
}",
        );
        assert_eq!(d.title.as_deref(), Some("The plan title"));
        let k = kinds(&d);
        assert!(k[0].contains("Café — “quoted” x y-z opthyph При"), "{k:?}");
        assert!(k[1].contains("€uro and 😀 wide “no-skip”"), "{k:?}");
        assert!(k[2].contains("text: \"kept 7\""), "{k:?}");
        assert!(k[3].contains("text: \"after bin\""), "{k:?}");
    }

    #[test]
    fn headings_lists_and_paragraph_sources() {
        let d = doc(
            r"{\rtf1{\stylesheet{\s0 Normal;}{\s1\outlinelevel0 heading 1;}{\s2 Heading 2;}{\s5 Title;}{\*\cs10 Heading 9 Char;}}
\pard\s5 My Title\par
\pard\s1 Chapter\par
\pard\par
\pard\s2 Section\par
\pard\outlinelevel2 Outline three\par
\pard{\listtext\pard\plain 1.\tab}\ls1\ilvl0 First\par
\pard{\listtext\pard\plain \f2\'b7\tab}\ls2 Bullet\par
\pard{\pntext\f3 a)\tab}Old style\par
\pard\ls3 No marker text\par
\pard\s10 Char style number is not a paragraph style\par
}",
        );
        let k = kinds(&d);
        assert!(
            k[0].contains("Heading { level: 1, text: \"My Title\""),
            "{k:?}"
        );
        assert_eq!(d.title.as_deref(), Some("My Title"));
        assert!(
            k[1].contains("Heading { level: 1, text: \"Chapter\""),
            "{k:?}"
        );
        assert!(
            k[2].contains("Heading { level: 2, text: \"Section\""),
            "{k:?}"
        );
        assert!(
            k[3].contains("Heading { level: 3, text: \"Outline three\""),
            "{k:?}"
        );
        assert!(k[4].contains("text: \"First\", marker: \"1.\""), "{k:?}");
        assert!(k[5].contains("text: \"Bullet\", marker: \"•\""), "{k:?}");
        assert!(
            k[6].contains("text: \"Old style\", marker: \"a)\""),
            "{k:?}"
        );
        assert!(
            k[7].contains("text: \"No marker text\", marker: \"•\""),
            "{k:?}"
        );
        assert!(k[8].starts_with("Paragraph"), "{k:?}");
        assert_eq!(
            d.blocks[2].source.paragraph,
            Some(4),
            "empty paragraphs count"
        );
    }

    #[test]
    fn tables_spans_merges_nesting() {
        let d = doc(r"{\rtf1
Intro\par
\trowd\trhdr\trleft0\cellx2000\cellx4000\cellx6000
\pard\intbl Action\cell Lead\cell Due\cell\row
\trowd\trleft0\cellx6000
\pard\intbl Outcome 1\cell\row
\trowd\trleft0\cellx2000\clvmgf\cellx4000\cellx6000
\pard\intbl Do a\par {\listtext \'95\tab}\ls1 detail\cell\pard\intbl HHAS\cell 2012\cell\row
\trowd\trleft0\cellx2000\clvmrg\cellx4000\cellx6000
\pard\intbl Do b\cell\cell 2013\cell\row
\trowd\trleft0\clmgf\cellx2000\clmrg\cellx4000\cellx6000
\pard\intbl Wide\cell\cell 2014\cell\row
\trowd\trleft0\cellx2000\cellx4000\cellx6000
\pard\intbl Nested\par
\pard\intbl\itap2 a\nestcell b\nestcell{\*\nesttableprops\trowd\cellx1000\cellx2000\nestrow}{\nonesttables\par}
\pard\intbl\itap2 c\nestcell\nestcell{\*\nesttableprops\trowd\cellx1000\cellx2000\nestrow}{\nonesttables\par}
\pard\intbl\itap1 tail\cell ICB\cell 2015\cell\row
\pard After\par
}");
        let k = kinds(&d);
        assert!(k[0].contains("Intro") && k[2].contains("After"), "{k:?}");
        let t = d.tables().next().unwrap();
        let rows: Vec<Vec<&str>> = t.rows.iter().map(|r| r.texts()).collect();
        assert_eq!(rows[0], vec!["Action", "Lead", "Due"]);
        assert!(t.rows[0].header);
        assert_eq!(rows[1], vec!["Outcome 1"], "a cell spanning the row");
        assert_eq!(rows[2], vec!["Do a\n• detail", "HHAS", "2012"]);
        assert_eq!(rows[3], vec!["Do b", "HHAS", "2013"]);
        assert!(t.rows[3].cells[1].merged);
        assert_eq!(rows[4], vec!["Wide", "", "2014"], "horizontal merge");
        assert_eq!(rows[5], vec!["Nested\na | b\nc\ntail", "ICB", "2015"]);
        assert_eq!(t.rows[5].source.row, Some(6));
        assert_eq!(d.blocks[1].source.table, Some(1));
    }

    #[test]
    fn hostile_input() {
        let deep = format!("{{\\rtf1 {}x{}}}", "{".repeat(100_000), "}".repeat(100_000));
        assert!(matches!(
            read(deep.as_bytes(), &Options::default()),
            Err(Error::Limit(_))
        ));
        // cut short anywhere: no panic, text so far kept
        let full =
            br"{\rtf1{\fonttbl{\f0 A;}}\trowd\cellx100\pard\intbl a\cell b\'e9\u1234?\bin99999 ";
        for n in 0..full.len() {
            let _ = read(&full[..n], &Options::default());
        }
        let d = read(br"{\rtf1 unclosed {\b bold", &Options::default()).unwrap();
        assert!(kinds(&d)[0].contains("unclosed bold"));
        assert!(matches!(
            read(b"not rtf", &Options::default()),
            Err(Error::Corrupt { .. })
        ));
        // huge numbers are clamped, many cellx are capped
        let many = format!(
            "{{\\rtf1\\trowd{}\\pard\\intbl x\\cell\\row\\u99999999999 }}",
            "\\cellx99999999999".repeat(5000)
        );
        assert!(read(many.as_bytes(), &Options::default()).is_ok());
    }
}
