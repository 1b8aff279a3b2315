//! OpenDocument table markup, shared by the ODS (spreadsheet) and ODT (text) readers.
//!
//! Both formats lay tables out the same way: `table:table-row` elements (optionally repeated
//! with `table:number-rows-repeated`) of `table:table-cell` and `table:covered-table-cell`
//! elements (optionally repeated with `table:number-columns-repeated`); a cell that spans
//! several columns or rows says so with `table:number-columns-spanned` /
//! `table:number-rows-spanned`, and the grid positions it covers are filled with covered cells.

use quick_xml::events::BytesStart;

/// Most repeats of a row or cell honoured by the text reader (a spreadsheet reader counts them
/// against its own cell limit instead).
pub const MAX_REPEAT: u64 = 1024;

/// What a `table:table-cell` or `table:covered-table-cell` start tag says about its place on
/// the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellLayout {
    /// `table:number-columns-repeated` (at least 1).
    pub repeat: u64,
    /// `table:number-columns-spanned` (at least 1).
    pub cols: u64,
    /// `table:number-rows-spanned` (at least 1).
    pub rows: u64,
    /// The element is a `table:covered-table-cell` (a grid position inside another cell's span).
    pub covered: bool,
    /// The cell declares a value type (`office:value-type`): it has content in a spreadsheet.
    pub has_value: bool,
}

/// The value of an attribute as a non-negative number.
pub fn attr_u64(e: &BytesStart<'_>, key: &[u8]) -> Option<u64> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| {
            std::str::from_utf8(&a.value)
                .ok()
                .and_then(|v| v.trim().parse().ok())
        })
}

/// The text of an attribute (unescaped), by its qualified name (`table:name`).
pub fn attr_str(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            quick_xml::escape::unescape(&raw)
                .map(|c| c.into_owned())
                .unwrap_or(raw)
        })
}

/// True for the two cell elements of ODF table markup.
pub fn is_cell(qname: &[u8]) -> bool {
    qname == b"table:table-cell" || qname == b"table:covered-table-cell"
}

/// The grid layout of a cell element.
pub fn cell_layout(e: &BytesStart<'_>) -> CellLayout {
    CellLayout {
        repeat: attr_u64(e, b"table:number-columns-repeated")
            .unwrap_or(1)
            .max(1),
        cols: attr_u64(e, b"table:number-columns-spanned")
            .unwrap_or(1)
            .max(1),
        rows: attr_u64(e, b"table:number-rows-spanned")
            .unwrap_or(1)
            .max(1),
        covered: e.name().as_ref() == b"table:covered-table-cell",
        has_value: e
            .attributes()
            .flatten()
            .any(|a| a.key.as_ref() == b"office:value-type"),
    }
}

/// `table:number-rows-repeated` of a row element (at least 1).
pub fn rows_repeated(e: &BytesStart<'_>) -> u64 {
    attr_u64(e, b"table:number-rows-repeated")
        .unwrap_or(1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_of_cells() {
        let mut r = quick_xml::Reader::from_str(
            r#"<x><table:table-cell table:number-columns-spanned="3" table:number-rows-spanned="2" office:value-type="string"/><table:covered-table-cell table:number-columns-repeated=" 2"/><table:table-row table:number-rows-repeated="0"/></x>"#,
        );
        let mut got = Vec::new();
        loop {
            match r.read_event().unwrap() {
                quick_xml::events::Event::Empty(e) => got.push(e.into_owned()),
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        let a = cell_layout(&got[0]);
        assert_eq!(
            (a.repeat, a.cols, a.rows, a.covered, a.has_value),
            (1, 3, 2, false, true)
        );
        let b = cell_layout(&got[1]);
        assert_eq!(
            (b.repeat, b.cols, b.covered, b.has_value),
            (2, 1, true, false)
        );
        assert!(is_cell(got[1].name().as_ref()));
        assert_eq!(rows_repeated(&got[2]), 1);
    }
}
