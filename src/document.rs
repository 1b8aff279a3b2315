//! The format-free document model.
//!
//! Every reader (text, docx, odt, rtf, doc, csv, spreadsheet, html, pdf) turns bytes into a [`Document`]: an ordered
//! list of [`Block`]s, each carrying a [`Source`] so that anything extracted from it can be found
//! again in the original file. Nothing downstream of the readers knows which format a document
//! came from; detection, normalisation and gap rules see only this model.

use serde::{Deserialize, Serialize};

/// The input formats the tool can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (`.txt`, stdin), including text extracted from PDF or Word files.
    Text,
    /// Markdown (`.md`); read by the text reader.
    Markdown,
    /// Word 2007+ (`.docx`).
    Docx,
    /// Excel 2007+ (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Legacy Excel (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
    /// HTML (`.html`, `.htm`).
    Html,
    /// PDF.
    Pdf,
    /// OpenDocument text (`.odt`).
    Odt,
    /// Rich Text Format (`.rtf`).
    Rtf,
    /// Delimited text (`.csv`, `.tsv`): comma, semicolon, tab or pipe separated; one table.
    Csv,
    /// Legacy Word 97-2003 (`.doc`).
    Doc,
}

impl Format {
    /// The lower-case name used in reports (`"text"`, `"docx"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Odt => "odt",
            Format::Rtf => "rtf",
            Format::Csv => "csv",
            Format::Doc => "doc",
        }
    }
}

/// Where something is in the source file. Every field is optional because formats differ:
/// text has lines, PDFs have pages (and a y coordinate), spreadsheets have a sheet and cell,
/// Word documents have paragraph and table indices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// 1-based page number (PDF; paged formats).
    pub page: Option<u32>,
    /// 1-based first line in the source text.
    pub line: Option<u32>,
    /// 1-based last line in the source text, when the item spans several lines.
    pub line_end: Option<u32>,
    /// Worksheet name (spreadsheets).
    pub sheet: Option<String>,
    /// Cell address such as `C7` (spreadsheets).
    pub cell: Option<String>,
    /// 1-based index of the table in the document, in reading order.
    pub table: Option<u32>,
    /// 1-based index of the row within its table.
    pub row: Option<u32>,
    /// 1-based paragraph index (Word/HTML prose).
    pub paragraph: Option<u32>,
    /// Top coordinate of the row on its page, in PDF points from the top (PDF only).
    pub y: Option<f32>,
}

impl Source {
    /// A source for a line of text.
    pub fn line(line: u32) -> Source {
        Source {
            line: Some(line),
            ..Source::default()
        }
    }

    /// A short human form: `page 3, line 120`, `Action Plan!C7`, `table 2 row 5`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let (Some(sheet), Some(cell)) = (&self.sheet, &self.cell) {
            parts.push(format!("{sheet}!{cell}"));
        } else if let Some(sheet) = &self.sheet {
            parts.push(format!("sheet {sheet}"));
        }
        if let Some(p) = self.page {
            parts.push(format!("page {p}"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        if parts.is_empty() {
            if let Some(t) = self.table {
                parts.push(format!("table {t}"));
                if let Some(r) = self.row {
                    parts.push(format!("row {r}"));
                }
            } else if let Some(p) = self.paragraph {
                parts.push(format!("paragraph {p}"));
            }
        }
        if parts.is_empty() {
            "unknown position".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// A parsed document: a title (if the format carries one) and its blocks in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Title from document properties, a Title style, or the first heading-like line.
    pub title: Option<String>,
    /// Number of pages, for paged formats.
    pub pages: Option<u32>,
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
}

impl Document {
    /// The document's tables, in reading order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some(t),
            _ => None,
        })
    }
}

/// One block of the document.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Where it starts (and, for text, ends).
    pub source: Source,
}

/// The kinds of block a reader can produce.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading. `level` is 1 for the largest; readers that cannot tell use 2.
    Heading { level: u8, text: String },
    /// A paragraph of prose.
    Paragraph { text: String },
    /// An item of a bulleted or numbered list. `marker` is the bullet or number as printed.
    ListItem {
        text: String,
        marker: String,
        level: u8,
    },
    /// A table.
    Table(Table),
}

/// A table as laid out in the source: rows of cells, before any interpretation.
///
/// Readers keep every row, including header rows, repeated headers and rows that are only the
/// wrapped continuation of the row above (as text extraction produces them); detection decides
/// what they mean.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    /// Rows in source order.
    pub rows: Vec<Row>,
    /// Rows are physical lines of text: a cell that wrapped continues on the following
    /// row(s), which detection merges back (text tables, line-based PDF tables). False when
    /// the format delimits rows itself (Word, spreadsheets, HTML, ruled PDF tables).
    pub wrapped_lines: bool,
}

/// A table row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    /// Cells left to right.
    pub cells: Vec<Cell>,
    /// Where the row is.
    pub source: Source,
    /// The format marked this row as a header (Word `w:tblHeader`, HTML `<th>`/`<thead>`).
    pub header: bool,
    /// This row physically continues the row above in the source (a text reader saw a
    /// wrapped line, or a PDF row was split by a page break), when the reader knows it.
    pub continuation: bool,
}

/// A table cell.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cell {
    /// The cell's text. Lines (paragraphs, wrapped lines) are separated by `\n`; bullet glyphs
    /// are kept as printed so that normalisation can split items.
    pub text: String,
    /// The value was filled in from a merged region (vertical merge / merged range) rather than
    /// printed in this row.
    pub merged: bool,
    /// Cell-level position, where it is not the row's moved right by the column index (a
    /// spreadsheet section row's merged cell). Boxed: most cells have none, and a large table
    /// holds millions of cells.
    pub source: Option<Box<Source>>,
}

impl Cell {
    /// A plain cell with the given text.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            merged: false,
            source: None,
        }
    }

    /// True when the cell holds no visible text.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

impl Row {
    /// A row from plain cell texts.
    pub fn from_texts<I, S>(texts: I, source: Source) -> Row
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Row {
            cells: texts.into_iter().map(Cell::new).collect(),
            source,
            header: false,
            continuation: false,
        }
    }

    /// Texts of the cells.
    pub fn texts(&self) -> Vec<&str> {
        self.cells.iter().map(|c| c.text.as_str()).collect()
    }

    /// True when every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}
