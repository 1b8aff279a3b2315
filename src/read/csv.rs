//! Delimited text (`.csv`, `.tsv`) reader on the `csv` crate: one file is one table.
//!
//! * Encodings as for plain text (UTF-8 with or without BOM, UTF-16, Windows-1252; see
//!   [`super::text::decode`]).
//! * The delimiter is found from the content: comma, semicolon (continental Excel), tab or
//!   pipe, whichever splits the first records into the most consistent number of columns
//!   (quotes respected); Excel's `sep=;` first line is honoured.
//! * Quoted cells may hold delimiters, doubled quotes and line breaks.
//! * Rows that are entirely blank are dropped; every other row is kept as printed, header
//!   and title rows included (detection finds the header). Cell text is trimmed, line breaks
//!   inside a cell kept as `\n`.
//! * Provenance: each row has `line` (the first physical line of the record), `table` 1, `row`
//!   (1-based record number) and `cell` (the address a spreadsheet would show, `A7`); each
//!   cell has its own address.
//!
//! A file that no delimiter splits into columns is read as plain text instead.

use crate::document::{Block, BlockKind, Cell, Document, Row, Source, Table};
use crate::error::{Error, Result};
use crate::Options;

/// Delimiters tried, in order of preference when they split equally well.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Most cells read from one file (as many as the spreadsheet reader allows in one sheet).
pub const MAX_CELLS: usize = super::sheet::MAX_CELLS as usize;
/// Most columns kept in one row (Excel's limit); cells past it are dropped.
pub const MAX_COLUMNS: usize = 16_384;

/// Read delimited text into a document of one table.
pub fn read(bytes: &[u8], _opts: &Options) -> Result<Document> {
    let text = super::text::decode(bytes);
    let (body, line_offset, hinted) = strip_sep_hint(&text);
    let delimiter = match hinted {
        Some(d) => d,
        None => match sniff_delimiter(body) {
            Some(d) => d,
            None => return super::text::read(bytes),
        },
    };
    // A quote that opens a cell and is never closed would swallow the rest of the file into
    // that cell: take such quotes as literal text.
    let repaired;
    let body = match unclosed_quotes(body, delimiter) {
        Some(fixed) => {
            repaired = fixed;
            repaired.as_str()
        }
        None => body,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut rows: Vec<Row> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut cells_total = 0usize;
    // The row a spreadsheet shows the record on: blank lines (which the csv crate skips) are
    // rows too, and a record spans as many lines as its quoted line breaks make.
    let mut sheet_row = 0u32;
    let mut next_line = 1u32 + line_offset;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(Error::Corrupt {
                    format: "CSV",
                    detail: format!("cannot split the file into cells ({e})"),
                })
            }
        }
        let line = record
            .position()
            .map(|p| (p.line() as u32).saturating_add(line_offset))
            .unwrap_or(next_line);
        sheet_row = sheet_row
            .saturating_add(line.saturating_sub(next_line))
            .saturating_add(1);
        let breaks = record.iter().flatten().filter(|&&b| b == b'\n').count() as u32;
        next_line = line.saturating_add(breaks).saturating_add(1);
        let texts: Vec<String> = record
            .iter()
            .take(MAX_COLUMNS)
            .map(|f| {
                String::from_utf8_lossy(f)
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .trim()
                    .to_string()
            })
            .collect();
        if texts.iter().all(|t| t.is_empty()) {
            continue;
        }
        cells_total = cells_total.saturating_add(texts.len());
        if cells_total > MAX_CELLS {
            return Err(Error::Limit(format!(
                "CSV file refused: more than {MAX_CELLS} cells"
            )));
        }
        let row0 = sheet_row - 1;
        let src = |col: u32| Source {
            line: Some(line),
            cell: Some(super::sheet::address(row0, col)),
            ..Source::default()
        };
        // A cell's address is the row's moved right by its column (not stored per cell: memory
        // on long files, as in the spreadsheet reader).
        let cells = texts
            .into_iter()
            .map(|text| Cell {
                text,
                merged: false,
                source: None,
            })
            .collect();
        rows.push(Row {
            cells,
            source: Source {
                table: Some(1),
                row: Some(rows.len() as u32 + 1),
                ..src(0)
            },
            header: false,
            continuation: false,
        });
    }
    let mut blocks = Vec::new();
    if !rows.is_empty() {
        let first_line = rows[0].source.line;
        blocks.push(Block {
            kind: BlockKind::Table(Table {
                rows,
                wrapped_lines: false,
            }),
            source: Source {
                table: Some(1),
                line: first_line,
                ..Source::default()
            },
        });
    }
    Ok(Document {
        title: None,
        pages: None,
        blocks,
    })
}

/// The text with every quote that opens a cell but is never closed removed, or `None` when
/// all quoted cells are closed.
fn unclosed_quotes(text: &str, delimiter: u8) -> Option<String> {
    let mut out: Option<String> = None;
    for _ in 0..16 {
        let t = out.as_deref().unwrap_or(text);
        let b = t.as_bytes();
        let mut open: Option<usize> = None;
        let mut field_start = true;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            match open {
                Some(_) => {
                    if c == b'"' {
                        if b.get(i + 1) == Some(&b'"') {
                            i += 1;
                        } else {
                            open = None;
                        }
                    }
                }
                None => {
                    if c == b'"' && field_start {
                        open = Some(i);
                    }
                    field_start = c == delimiter || c == b'\n' || c == b'\r';
                }
            }
            i += 1;
        }
        let Some(at) = open else {
            break;
        };
        let mut fixed = t.to_string();
        fixed.remove(at);
        out = Some(fixed);
    }
    out
}

/// Excel writes `sep=X` as the first line to name the delimiter. Returns the text after it,
/// the number of lines skipped and the delimiter.
fn strip_sep_hint(text: &str) -> (&str, u32, Option<u8>) {
    let t = text.trim_start_matches('\u{feff}');
    if let Some(rest) = t.strip_prefix("sep=") {
        let mut chars = rest.chars();
        if let Some(d) = chars.next().filter(|c| c.is_ascii() && *c != '\n') {
            let after = chars.as_str();
            let after = after
                .strip_prefix("\r\n")
                .or_else(|| after.strip_prefix('\n'))
                .unwrap_or(after);
            return (after, 1, Some(d as u8));
        }
    }
    (t, 0, None)
}

/// The delimiter that splits the first records most consistently into two or more columns.
fn sniff_delimiter(text: &str) -> Option<u8> {
    // Whole lines from the first 64 KB.
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = match text[..end].rfind('\n') {
        Some(i) if end < text.len() => &text[..i],
        _ => &text[..end],
    };
    let mut best: Option<(u8, usize, usize)> = None; // (delimiter, consistent rows, columns)
    for d in DELIMITERS {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(sample.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while counts.len() < 200 {
            match r.read_byte_record(&mut rec) {
                Ok(true) => {
                    if rec.iter().any(|f| !f.iter().all(u8::is_ascii_whitespace)) {
                        counts.push(rec.len());
                    }
                }
                _ => break,
            }
        }
        if counts.is_empty() {
            continue;
        }
        // The most common column count above one, and how many records have it.
        let mut freq: std::collections::BTreeMap<usize, usize> = Default::default();
        for &c in counts.iter().filter(|&&c| c > 1) {
            *freq.entry(c).or_default() += 1;
        }
        let Some((&cols, &n)) = freq.iter().max_by_key(|(c, n)| (**n, **c)) else {
            continue;
        };
        // Most records must be split by it: a stray comma in prose does not make a table.
        if n * 2 < counts.len() {
            continue;
        }
        if best.is_none_or(|(_, bn, bc)| n > bn || (n == bn && cols > bc)) {
            best = Some((d, n, cols));
        }
    }
    best.map(|(d, _, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
        let d = read(bytes, &Options::default()).unwrap();
        d.tables()
            .flat_map(|t| t.rows.iter())
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn delimiters_quotes_and_newlines() {
        let comma = b"Action,Lead,By when\n\"Fund a centre, with staff\",ICB,March 2026\n\"Train\nstaff\",Council,\"say \"\"now\"\"\"\n";
        assert_eq!(
            rows(comma),
            vec![
                vec!["Action", "Lead", "By when"],
                vec!["Fund a centre, with staff", "ICB", "March 2026"],
                vec!["Train\nstaff", "Council", "say \"now\""],
            ]
        );
        let semi = "Action;Lead;Due\r\nFund, then review;ICB;31/03/2012\r\n".as_bytes();
        assert_eq!(
            rows(semi)[1],
            vec!["Fund, then review", "ICB", "31/03/2012"]
        );
        let tab = b"Action\tLead\nA, b and c\tICB\n";
        assert_eq!(rows(tab)[1], vec!["A, b and c", "ICB"]);
        let hinted = b"sep=|\nA|B\n1,2|3\n";
        assert_eq!(rows(hinted)[1], vec!["1,2", "3"]);
    }

    #[test]
    fn encodings_blank_rows_and_sources() {
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Action;Lead\n\n;\nCafé;ICB\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(
            rows(&utf16),
            vec![vec!["Action", "Lead"], vec!["Café", "ICB"]]
        );
        let cp1252 = b"Action,Lead\nCaf\xe9 \x96 bar,ICB\n";
        assert_eq!(rows(cp1252)[1][0], "Café – bar");
        let d = read(b"a,b\n\n\"x\ny\",z\nlast,row\n", &Options::default()).unwrap();
        let t = d.tables().next().unwrap();
        assert_eq!(t.rows.len(), 3, "one table, blank row dropped");
        let r = &t.rows[2];
        assert_eq!(r.source.line, Some(5));
        assert_eq!(r.source.row, Some(3));
        assert_eq!(r.source.cell.as_deref(), Some("A4"));
        // Cells carry no address of their own (the row's, moved right): compact long files.
        assert!(r.cells[1].source.is_none());
    }

    #[test]
    fn unclosed_quote_does_not_swallow_the_file() {
        let r = rows(b"Action,Lead\n\"Fund a centre,ICB\nTrain staff,Council\nOpen a hub,NHS\n");
        assert_eq!(
            r,
            vec![
                vec!["Action", "Lead"],
                vec!["Fund a centre", "ICB"],
                vec!["Train staff", "Council"],
                vec!["Open a hub", "NHS"],
            ]
        );
        assert_eq!(unclosed_quotes("a,\"b\"\"c\",\"d\ne\"\n", b','), None);
        assert_eq!(
            unclosed_quotes("a;\"b\n\"c\";\"d\n", b';').as_deref(),
            Some("a;\"b\n\"c\";d\n")
        );
    }

    #[test]
    fn prose_is_text() {
        let d = read(
            b"We will support carers.\nThis line has a comma, but it is prose.\nAnd this one does not.\n",
            &Options::default(),
        )
        .unwrap();
        assert_eq!(d.tables().count(), 0);
        assert!(!d.blocks.is_empty());
    }
}
