//! Spreadsheet reader (`.xlsx`, `.xlsm`, `.xls`, `.ods`) on calamine.
//!
//! Every visible worksheet becomes a [`BlockKind::Heading`] (the sheet name) followed by its
//! tables; a sheet is split into tables at fully blank rows. Title rows above a header are kept
//! as rows (detection finds the header). Merged regions:
//!
//! * a merged range that spans several columns and is the only content of its row ("Outcome 2:
//!   ...") becomes a row of exactly ONE cell (detection reads it as a section heading);
//! * a merged range spanning several rows has its value filled down into the first column of
//!   every row it covers, with `Cell::merged = true`.
//!
//! Values print as displayed as far as the data allows: integers without ".0", dates (date cells
//! and Excel serials with a date format) as a UK sheet shows them, `31/03/2012` (the normaliser
//! turns that into the ISO `due_date`), booleans `TRUE`/`FALSE`, errors as
//! `#N/A` etc. Every row carries `sheet`, `cell` (address of its first cell, e.g. `B7`), `table`
//! and `row`; a cell's address is its row's moved right by its column (not stored per cell).
//!
//! Zip-based workbooks are first checked against the decompression budget (see
//! [`super::zipsafe`]) before calamine decompresses them itself.

use std::io::Cursor;

use calamine::{Data, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsx};
use quick_xml::events::Event;

use super::odf;
use super::zipsafe::{self, Budget, SafeZip};
use crate::document::{Block, BlockKind, Cell, Document, Format, Row, Source, Table};
use crate::error::{Error, Result};
use crate::Options;

/// Read the bytes of a workbook into a document.
pub fn read(bytes: &[u8], format: Format, opts: &Options) -> Result<Document> {
    let limit = opts.limits.max_decompressed_bytes;
    match format {
        Format::Xls => {
            if contains(bytes, &utf16le("EncryptedPackage")) {
                return Err(encrypted());
            }
            // Guard against crafted compound files that make calamine allocate without bound.
            super::cfbcheck::check_calamine(bytes).map_err(|d| Error::Corrupt {
                format: "XLS",
                detail: d,
            })?;
            xls_extent(bytes)?;
            let mut wb: Xls<_> =
                Xls::new(Cursor::new(bytes)).map_err(|e| calamine_error("XLS", &e.to_string()))?;
            let sheets = collect(&mut wb, "XLS", |wb, name| {
                wb.worksheet_merge_cells(name).unwrap_or_default()
            })?;
            Ok(build(None, sheets))
        }
        Format::Ods => {
            let mut zip = SafeZip::open(bytes, "ODS", limit)?;
            let budget = zip.budget();
            let mut title = None;
            let mut merges: Option<Vec<(String, Vec<Dimensions>)>> = None;
            zip.check_all_with(|name, r| {
                match name {
                    "meta.xml" => title = super::docx::core_title(&read_small(r, "ODS", &budget)?),
                    "content.xml" => merges = Some(ods_scan(std::io::BufReader::new(r), &budget)?),
                    _ => {}
                }
                Ok(())
            })?;
            let Some(merges) = merges else {
                return Err(Error::Corrupt {
                    format: "ODS",
                    detail: "the zip has no content.xml: not an OpenDocument spreadsheet".into(),
                });
            };
            let mut wb: Ods<_> =
                Ods::new(Cursor::new(bytes)).map_err(|e| calamine_error("ODS", &e.to_string()))?;
            let sheets = collect(&mut wb, "ODS", |_, name| {
                merges
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, m)| m.clone())
                    .unwrap_or_default()
            })?;
            Ok(build(title, sheets))
        }
        _ => {
            let mut zip = SafeZip::open(bytes, "XLSX", limit)?;
            if !zip.has("xl/workbook.xml") && !zip.has("xl/workbook.bin") {
                return Err(Error::Corrupt {
                    format: "XLSX",
                    detail: "the zip has no xl/workbook.xml: it is not an Excel workbook (save it from Excel or LibreOffice as .xlsx)".into(),
                });
            }
            if zip.has("xl/workbook.bin") && !zip.has("xl/workbook.xml") {
                return Err(Error::Unsupported(
                    "binary Excel workbook (.xlsb): save it as .xlsx".into(),
                ));
            }
            let budget = zip.budget();
            let mut title = None;
            zip.check_all_with(|name, r| {
                if name == "docProps/core.xml" {
                    title = super::docx::core_title(&read_small(r, "XLSX", &budget)?);
                } else if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
                    xlsx_extent(std::io::BufReader::new(r), name, &budget)?;
                }
                Ok(())
            })?;
            let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
                .map_err(|e| calamine_error("XLSX", &e.to_string()))?;
            let sheets = collect(&mut wb, "XLSX", |wb, name| {
                wb.worksheet_merge_cells(name)
                    .and_then(|r| r.ok())
                    .unwrap_or_default()
            })?;
            Ok(build(title, sheets))
        }
    }
}

/// Most cells a sheet's used area may span. calamine allocates the whole rectangle, so a tiny
/// file with one cell in A1 and one in XFD1048576 would ask for 17 billion cells.
pub const MAX_CELLS: u64 = 5_000_000;

fn read_small(r: &mut dyn std::io::Read, format: &'static str, budget: &Budget) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    r.read_to_end(&mut v)
        .map_err(|e| zipsafe::io_error(format, budget, &e))?;
    Ok(v)
}

#[derive(Default)]
struct Extent {
    min: Option<(u64, u64)>,
    max: (u64, u64),
}

impl Extent {
    fn add(&mut self, row: u64, col: u64) {
        let (r0, c0) = self.min.unwrap_or((row, col));
        self.min = Some((r0.min(row), c0.min(col)));
        self.max = (self.max.0.max(row), self.max.1.max(col));
    }

    fn cells(&self) -> u64 {
        match self.min {
            Some((r0, c0)) => (self.max.0 - r0 + 1).saturating_mul(self.max.1 - c0 + 1),
            None => 0,
        }
    }

    fn check(&self, format: &str, what: &str) -> Result<()> {
        if self.cells() > MAX_CELLS {
            return Err(Error::Limit(format!(
                "{format} file refused: {what} spans {} cells, over the limit of {MAX_CELLS} (a few cells far apart?)",
                self.cells()
            )));
        }
        Ok(())
    }
}

/// The used area each sheet of a `.xls` announces in its DIMENSIONS record, checked before
/// calamine reserves room for every cell of it (a record claiming 2^32 rows in a 5 KB file made
/// it ask for 22 TB; `fixtures/bad/crash/xls-dimensions-22tb.xls`). The sizes are computed as
/// calamine computes them, including its wrap-around when the last row is before the first.
fn xls_extent(bytes: &[u8]) -> Result<()> {
    use std::io::Read;
    // A container the `cfb` crate cannot open is left for calamine to report.
    let Ok(mut cf) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Some(path) = ["/Workbook", "/Book"].into_iter().find(|p| cf.is_stream(p)) else {
        return Ok(());
    };
    let mut data = Vec::new();
    if let Ok(s) = cf.open_stream(path) {
        // cfbcheck has bounded the stream by the file's size.
        let _ = s.take(bytes.len() as u64).read_to_end(&mut data);
    }
    let u16_at = |o: usize| data.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |o: usize| {
        data.get(o..o + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut at = 0usize;
    while let (Some(typ), Some(len)) = (u16_at(at), u16_at(at + 2)) {
        let body = at + 4;
        let len = len as usize;
        if typ == 0x0200 {
            let (rf, rl, cf, cl) = match len {
                10 => (
                    u16_at(body).map(u32::from),
                    u16_at(body + 2).map(u32::from),
                    u16_at(body + 4).map(u32::from),
                    u16_at(body + 6).map(u32::from),
                ),
                14 => (
                    u32_at(body),
                    u32_at(body + 4),
                    u16_at(body + 8).map(u32::from),
                    u16_at(body + 10).map(u32::from),
                ),
                _ => (None, None, None, None),
            };
            if let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) {
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                if rl >= 1 && cl >= 1 {
                    let rows = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
                    let cols = u64::from((cl - 1).wrapping_sub(cf).wrapping_add(1));
                    let cells = rows.saturating_mul(cols);
                    if cells > MAX_CELLS {
                        return Err(Error::Limit(format!(
                            "XLS file refused: a sheet announces {rows} rows x {cols} columns, over the limit of {MAX_CELLS} cells"
                        )));
                    }
                }
            }
        }
        at = body + len;
    }
    Ok(())
}

/// `C7` -> (row 6, col 2).
fn parse_ref(r: &[u8]) -> Option<(u64, u64)> {
    let split = r.iter().position(|b| b.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col: u64 = 0;
    for b in letters {
        let b = b.to_ascii_uppercase();
        if !b.is_ascii_uppercase() {
            return None;
        }
        col = col * 26 + u64::from(b - b'A' + 1);
    }
    let row: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// Stream a worksheet part and refuse it when its cells span too large a rectangle.
fn xlsx_extent<R: std::io::BufRead>(input: R, name: &str, budget: &Budget) -> Result<()> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut ext = Extent::default();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(ref e)) | Ok(Event::Empty(ref e))
                if e.local_name().as_ref() == b"c" =>
            {
                if let Some(a) = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"r")
                {
                    if let Some((r, c)) = parse_ref(&a.value) {
                        ext.add(r, c);
                    }
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(quick_xml::Error::Io(e)) => return Err(zipsafe::io_error("XLSX", budget, &e)),
            Err(_) => break, // malformed: calamine reports it
        }
        buf.clear();
    }
    ext.check("XLSX", &format!("worksheet part {name}"))
}

fn encrypted() -> Error {
    Error::Encrypted(
        "password-protected workbook: open it, remove the password (File > Info > Protect Workbook) and save again".into(),
    )
}

fn calamine_error(format: &'static str, msg: &str) -> Error {
    if msg.to_ascii_lowercase().contains("password") {
        return encrypted();
    }
    Error::Corrupt {
        format,
        detail: format!("cannot read the workbook ({msg})"),
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

type SheetData = (String, Range<Data>, Vec<Dimensions>);

fn collect<R, RS, F>(wb: &mut R, format: &'static str, mut merges: F) -> Result<Vec<SheetData>>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
    F: FnMut(&mut R, &str) -> Vec<Dimensions>,
{
    let names: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible && matches!(s.typ, SheetType::WorkSheet))
        .map(|s| s.name.clone())
        .collect();
    let mut out = Vec::new();
    for name in names {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| calamine_error(format, &format!("sheet '{name}': {e}")))?;
        let m = merges(wb, &name);
        out.push((name, range, m));
    }
    Ok(out)
}

/// The text of a cell as displayed (as far as the stored value tells).
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .trim()
            .to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => fmt_float(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                match dt.as_datetime() {
                    Some(t) => fmt_datetime(t, dt.as_f64() < 1.0),
                    None => fmt_float(dt.as_f64()),
                }
            } else {
                fmt_float(dt.as_f64())
            }
        }
        Data::DateTimeIso(s) => {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                fmt_datetime(d.and_time(chrono::NaiveTime::MIN), false)
            } else if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
                fmt_datetime(t, false)
            } else {
                s.clone()
            }
        }
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A date as a UK spreadsheet displays it (`31/03/2012`), with the time when it has one.
/// (calamine does not expose the cell's number format, so the UK default is used.)
fn fmt_datetime(t: chrono::NaiveDateTime, time_only: bool) -> String {
    if time_only {
        t.format("%H:%M").to_string()
    } else if t.time() == chrono::NaiveTime::MIN {
        t.format("%d/%m/%Y").to_string()
    } else {
        t.format("%d/%m/%Y %H:%M").to_string()
    }
}

fn fmt_float(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        // shortest round-trip form; trims the binary noise of 0.1 + 0.2 style values
        let s = format!("{:.10}", f);
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

/// `(row, col)` 0-based -> `C7`.
pub fn address(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        n -= 1;
        letters.insert(0, (b'A' + (n % 26) as u8) as char);
        n /= 26;
    }
    format!("{letters}{}", row + 1)
}

#[derive(Clone, Default)]
struct GridCell {
    text: String,
    merged: bool,
}

fn build(title: Option<String>, sheets: Vec<SheetData>) -> Document {
    let mut blocks = Vec::new();
    let mut table_index = 0u32;
    for (name, range, merges) in sheets {
        let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) else {
            continue;
        };
        if range.is_empty() {
            continue;
        }
        let height = (r1 - r0 + 1) as usize;
        let width = (c1 - c0 + 1) as usize;
        let mut grid: Vec<Vec<GridCell>> = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|d| GridCell {
                        text: cell_text(d),
                        merged: false,
                    })
                    .collect()
            })
            .collect();
        // rows that are a section (one merged range as the only content) and rows covered by it
        let mut section: Vec<Option<(String, u32)>> = vec![None; height];
        let mut covered = vec![false; height];
        for m in &merges {
            let (mr0, mc0) = m.start;
            let (mr1, mc1) = m.end;
            if mr1 < r0 || mr0 > r1 || mc1 < c0 || mc0 > c1 {
                continue;
            }
            let top = mr0.max(r0);
            let left = mc0.max(c0);
            let (ti, li) = ((top - r0) as usize, (left - c0) as usize);
            let bottom = (mr1.min(r1) - r0) as usize;
            let right = (mc1.min(c1) - c0) as usize;
            let Some(value) = grid.get(ti).and_then(|r| r.get(li)).map(|c| c.text.clone()) else {
                continue;
            };
            let alone = grid[ti]
                .iter()
                .enumerate()
                .all(|(j, c)| (j >= li && j <= right) || c.text.is_empty());
            if right > li && alone && !value.is_empty() {
                section[ti] = Some((value, left));
                for c in covered.iter_mut().take(bottom + 1).skip(ti + 1) {
                    *c = true;
                }
                continue;
            }
            if value.is_empty() {
                continue;
            }
            for row in grid.iter_mut().take(bottom + 1).skip(ti + 1) {
                if let Some(c) = row.get_mut(li) {
                    if c.text.is_empty() {
                        c.text = value.clone();
                        c.merged = true;
                    }
                }
            }
        }
        blocks.push(Block {
            kind: BlockKind::Heading {
                level: 2,
                text: name.clone(),
            },
            source: Source {
                sheet: Some(name.clone()),
                ..Source::default()
            },
        });
        let mut current: Vec<Row> = Vec::new();
        let flush = |rows: &mut Vec<Row>, blocks: &mut Vec<Block>, table_index: &mut u32| {
            if rows.is_empty() {
                return;
            }
            *table_index += 1;
            let first = rows[0].source.clone();
            for (i, r) in rows.iter_mut().enumerate() {
                r.source.table = Some(*table_index);
                r.source.row = Some(i as u32 + 1);
            }
            blocks.push(Block {
                kind: BlockKind::Table(Table {
                    rows: std::mem::take(rows),
                    wrapped_lines: false,
                }),
                source: Source {
                    table: Some(*table_index),
                    ..first
                },
            });
        };
        for (i, cells) in grid.iter_mut().enumerate() {
            if covered[i] {
                continue;
            }
            let row_no = r0 + i as u32;
            let cell_src = |col: u32| Source {
                sheet: Some(name.clone()),
                cell: Some(address(row_no, col)),
                ..Source::default()
            };
            if let Some((text, col)) = section[i].take() {
                current.push(Row {
                    cells: vec![Cell {
                        text,
                        merged: false,
                        source: Some(Box::new(cell_src(col))),
                    }],
                    source: cell_src(c0),
                    header: false,
                    continuation: false,
                });
                continue;
            }
            if cells.iter().all(|c| c.text.is_empty()) {
                flush(&mut current, &mut blocks, &mut table_index);
                continue;
            }
            let mut out = Vec::with_capacity(width);
            // A cell's address is the row's (`cell_src(c0)`) moved right by its column: not
            // stored per cell (a 100k-row sheet held 600k copies of the sheet name).
            for c in cells.iter_mut() {
                out.push(Cell {
                    text: std::mem::take(&mut c.text),
                    merged: c.merged,
                    source: None,
                });
            }
            current.push(Row {
                cells: out,
                source: cell_src(c0),
                header: false,
                continuation: false,
            });
        }
        flush(&mut current, &mut blocks, &mut table_index);
    }
    Document {
        title,
        pages: None,
        blocks,
    }
}

/// Merged ranges per sheet from an ODS `content.xml` (calamine does not report them), refusing
/// sheets whose non-empty cells (repeats expanded) span too large a rectangle.
fn ods_scan<R: std::io::BufRead>(
    input: R,
    budget: &Budget,
) -> Result<Vec<(String, Vec<Dimensions>)>> {
    let mut out: Vec<(String, Vec<Dimensions>)> = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut row: u64 = 0;
    let mut col: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut depth_table = 0usize;
    let mut ext = Extent::default();
    loop {
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(quick_xml::Error::Io(e)) => return Err(zipsafe::io_error("ODS", budget, &e)),
            Err(_) => break, // malformed: calamine reports it
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    b"table:table" if !empty => {
                        depth_table += 1;
                        if depth_table == 1 {
                            let name = odf::attr_str(e, b"table:name").unwrap_or_default();
                            if let Some((n, _)) = out.last() {
                                ext.check("ODS", &format!("sheet '{n}'"))?;
                            }
                            ext = Extent::default();
                            out.push((name, Vec::new()));
                            row = 0;
                        }
                    }
                    b"table:table-row" if depth_table == 1 => {
                        col = 0;
                        row_repeat = odf::rows_repeated(e);
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    name if odf::is_cell(name) && depth_table == 1 => {
                        let odf::CellLayout {
                            repeat: rep,
                            cols: cs,
                            rows: rs,
                            has_value,
                            ..
                        } = odf::cell_layout(e);
                        if has_value {
                            ext.add(row, col);
                            ext.add(
                                row.saturating_add(row_repeat - 1),
                                col.saturating_add(rep - 1),
                            );
                        }
                        if (cs > 1 || rs > 1) && row < u32::MAX as u64 && col < u32::MAX as u64 {
                            if let Some((_, m)) = out.last_mut() {
                                let end_r = (row + rs - 1).min(u32::MAX as u64);
                                let end_c = (col + cs - 1).min(u32::MAX as u64);
                                m.push(Dimensions::new(
                                    (row as u32, col as u32),
                                    (end_r as u32, end_c as u32),
                                ));
                            }
                        }
                        col = col.saturating_add(rep);
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                b"table:table" => depth_table = depth_table.saturating_sub(1),
                b"table:table-row" if depth_table == 1 => row = row.saturating_add(row_repeat),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if let Some((n, _)) = out.last() {
        ext.check("ODS", &format!("sheet '{n}'"))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_addresses() {
        assert_eq!(fmt_float(1.0), "1");
        assert_eq!(fmt_float(2.5), "2.5");
        assert_eq!(fmt_float(0.1 + 0.2), "0.3");
        assert_eq!(address(6, 2), "C7");
        assert_eq!(address(0, 26), "AA1");
        assert_eq!(address(0, 701), "ZZ1");
        assert_eq!(cell_text(&Data::Float(3.0)), "3");
        assert_eq!(cell_text(&Data::String(" x\r\ny ".into())), "x\ny");
        let d = calamine::ExcelDateTime::new(40999.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(d)), "31/03/2012");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2012-03-31T00:00:00".into())),
            "31/03/2012"
        );
        assert_eq!(
            cell_text(&Data::DateTimeIso("2012-03-31".into())),
            "31/03/2012"
        );
    }

    fn range(rows: &[&[&str]]) -> Range<Data> {
        let h = rows.len() as u32;
        let w = rows.iter().map(|r| r.len()).max().unwrap_or(1) as u32;
        let mut r = Range::new((0, 0), (h - 1, w - 1));
        for (i, row) in rows.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    r.set_value((i as u32, j as u32), Data::String(v.to_string()));
                }
            }
        }
        r
    }

    #[test]
    fn sections_merges_and_blank_row_split() {
        let r = range(&[
            &["Carers action plan 2012", "", ""],
            &["Action", "Lead", "Due"],
            &["Outcome 1: breaks", "", ""],
            &["Do a", "HHAS", "2012"],
            &["Do b", "", "2013"],
            &["", "", ""],
            &["Notes", "", ""],
        ]);
        let merges = vec![
            Dimensions::new((2, 0), (2, 2)),
            Dimensions::new((3, 1), (4, 1)),
            Dimensions::new((0, 0), (0, 2)),
        ];
        let d = build(None, vec![("Plan".into(), r, merges)]);
        assert!(matches!(&d.blocks[0].kind, BlockKind::Heading { text, .. } if text == "Plan"));
        let BlockKind::Table(t) = &d.blocks[1].kind else {
            panic!()
        };
        assert_eq!(t.rows.len(), 5);
        assert_eq!(t.rows[0].texts(), vec!["Carers action plan 2012"]);
        assert_eq!(t.rows[2].texts(), vec!["Outcome 1: breaks"]);
        assert_eq!(t.rows[4].texts(), vec!["Do b", "HHAS", "2013"]);
        assert!(t.rows[4].cells[1].merged);
        assert!(!t.rows[3].cells[1].merged);
        assert_eq!(t.rows[4].source.cell.as_deref(), Some("A5"));
        assert_eq!(t.rows[4].source.sheet.as_deref(), Some("Plan"));
        // Cells carry no address of their own (the row's, moved right by the column).
        assert!(t.rows[4].cells[2].source.is_none());
        assert_eq!(t.rows[4].source.row, Some(5));
        let BlockKind::Table(t2) = &d.blocks[2].kind else {
            panic!()
        };
        assert_eq!(t2.rows[0].source.cell.as_deref(), Some("A7"));
        assert_eq!(t2.rows[0].source.table, Some(2));
        assert_eq!(t2.rows[0].source.row, Some(1));
    }

    #[test]
    fn ods_merge_positions() {
        let xml = br#"<office:document-content><office:body><office:spreadsheet>
          <table:table table:name="Plan &amp; more">
            <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-columns-spanned="3"/><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
            <table:table-row><table:table-cell table:number-rows-spanned="2"/></table:table-row>
          </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let m = ods_scan(&xml[..], &Budget::unlimited()).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, "Plan & more");
        assert_eq!(
            m[0].1,
            vec![
                Dimensions::new((2, 2), (2, 4)),
                Dimensions::new((3, 0), (4, 0))
            ]
        );
    }

    #[test]
    fn far_apart_cells_are_refused() {
        assert_eq!(parse_ref(b"C7"), Some((6, 2)));
        assert_eq!(parse_ref(b"XFD1048576"), Some((1048575, 16383)));
        assert_eq!(parse_ref(b"7"), None);
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1"/></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
        let e =
            xlsx_extent(&xml[..], "xl/worksheets/sheet1.xml", &Budget::unlimited()).unwrap_err();
        assert!(matches!(e, Error::Limit(_)), "{e}");
        let ods = br#"<table:table table:name="S"><table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="string" table:number-columns-repeated="1000"/></table:table-row></table:table>"#;
        assert!(matches!(
            ods_scan(&ods[..], &Budget::unlimited()),
            Err(Error::Limit(_))
        ));
    }

    #[test]
    fn bad_workbooks() {
        let o = Options::default();
        assert!(matches!(
            read(b"PK\x03\x04garbage", Format::Xlsx, &o),
            Err(Error::Corrupt { .. })
        ));
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend(utf16le("EncryptedPackage"));
        assert!(matches!(
            read(&ole, Format::Xls, &o),
            Err(Error::Encrypted(_))
        ));
        assert!(matches!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3], Format::Xls, &o),
            Err(Error::Corrupt { .. })
        ));
    }
}
