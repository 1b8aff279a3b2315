//! Tables as found on one page, and stitching them across page breaks.

use crate::document::{Cell, Row, Source, Table};

/// A cell of a page table.
#[derive(Debug, Clone, Default)]
pub struct PCell {
    /// Text, wrapped lines separated by `\n`.
    pub text: String,
    /// Filled in from a vertically merged cell above.
    pub merged: bool,
    /// Id of the merged region within its page table (`usize::MAX` for padding cells).
    pub region: usize,
    /// The region spans more than one row.
    pub vspan: bool,
    /// This row is the region's first.
    pub first_row: bool,
    /// The region reaches the bottom of the page table.
    pub touches_bottom: bool,
}

/// A row of a page table.
#[derive(Debug, Clone)]
pub struct PRow {
    /// Cells.
    pub cells: Vec<PCell>,
    /// Top of the row.
    pub top: f32,
    /// Page.
    pub page: u32,
    /// Tagged tables: the row's index in the structure tree's table.
    pub tag_row: Option<u32>,
    /// The row is a header row (tagged `TH` / `THead`).
    pub header: bool,
}

/// A table on one page.
#[derive(Debug, Clone)]
pub struct PTable {
    /// Rows.
    pub rows: Vec<PRow>,
    /// Number of columns.
    pub ncols: usize,
    /// Page.
    pub page: u32,
    /// Top edge.
    pub top: f32,
    /// Bottom edge.
    pub bottom: f32,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Found from rules (true) or from text alignment.
    pub ruled: bool,
    /// Borderless tables: the first column holds short row numbers only.
    pub ref_column: bool,
    /// Rows are physical lines (row boundaries could not be recovered); detection merges
    /// continuation lines back ([`Table::wrapped_lines`]).
    pub wrapped_lines: bool,
    /// Tagged tables: index of the structure tree's table this page's part belongs to.
    pub tag: Option<u32>,
}

fn row_texts(r: &PRow) -> Vec<String> {
    r.cells
        .iter()
        .map(|c| {
            c.text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect()
}

/// `row` repeats the header `head` (cells equal, or cut short where a wrapped line was lost).
fn repeats(head: &[String], row: &[String]) -> bool {
    head.len() == row.len()
        && row.iter().filter(|c| !c.is_empty()).count() >= 2
        && head
            .iter()
            .zip(row)
            .all(|(h, r)| h == r || (!r.is_empty() && h.starts_with(r.as_str())))
}

fn starts_lower(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase())
}

/// Can `next` (first table on the following page) continue `prev` (last table on its page)?
pub fn continues(prev: &PTable, next: &PTable) -> bool {
    let last_page = prev.rows.last().map_or(prev.page, |r| r.page);
    next.page == last_page + 1
        && prev.ncols == next.ncols
        && prev.ruled == next.ruled
        && prev.ncols >= 2
}

/// Append `next` to `prev`: repeated header rows stay as rows; a row split by the page break is
/// joined to the last row; vertically merged cells running over the break are filled down.
/// `prev_full`: `prev` runs down to the bottom of the page's text area (else its last row
/// ended before the break and cannot have been split by it).
pub fn stitch(prev: &mut PTable, mut next: PTable, prev_full: bool) {
    let heads: Vec<Vec<String>> = prev.rows.iter().take(2).map(row_texts).collect();
    // Leading rows of `next` that repeat the header.
    let mut k = 0;
    while k < next.rows.len() && heads.iter().any(|h| repeats(h, &row_texts(&next.rows[k]))) {
        k += 1;
    }
    let ncols = prev.ncols;
    // Does the first column anchor rows (row numbers)? Judged on the data rows of both parts
    // (the last 60 of a long table: stitching stays linear in the number of pages).
    let recent = prev.rows.len().saturating_sub(60).max(1);
    let data: Vec<&PRow> = prev
        .rows
        .iter()
        .skip(recent)
        .chain(next.rows.iter().skip(k + 1))
        .filter(|r| r.cells.len() == ncols)
        .collect();
    let col0_filled = data
        .iter()
        .filter(|r| !r.cells[0].text.trim().is_empty())
        .count();
    let first_col_is_anchor = !data.is_empty() && col0_filled * 10 >= data.len() * 6;
    if k < next.rows.len() {
        if let Some(last) = prev.rows.last() {
            let cand = &next.rows[k];
            if last.cells.len() == ncols && cand.cells.len() == ncols {
                // Fill down merged regions over the break first.
                let mut fill_regions = Vec::new();
                for c in 0..ncols {
                    let lc = &last.cells[c];
                    let cc = &cand.cells[c];
                    if cc.text.trim().is_empty()
                        && !lc.text.trim().is_empty()
                        && cc.region != usize::MAX
                        && (cc.vspan || ((lc.vspan || lc.merged) && lc.touches_bottom))
                    {
                        fill_regions.push((c, cc.region, lc.text.clone()));
                    }
                }
                let non_empty: Vec<&PCell> = cand
                    .cells
                    .iter()
                    .filter(|c| {
                        !c.text.trim().is_empty() && !fill_regions.iter().any(|f| f.1 == c.region)
                    })
                    .collect();
                let split = prev_full
                    && !non_empty.is_empty()
                    && ((first_col_is_anchor
                        && cand.cells[0].text.trim().is_empty()
                        && !last.cells[0].text.trim().is_empty())
                        || non_empty.iter().filter(|c| starts_lower(&c.text)).count() * 2
                            > non_empty.len());
                // Apply fill-down to every row of the region in `next`.
                for (c, region, text) in &fill_regions {
                    for r in next.rows.iter_mut().skip(k) {
                        if r.cells.len() == ncols
                            && r.cells[*c].region == *region
                            && r.cells[*c].text.trim().is_empty()
                        {
                            r.cells[*c].text = text.clone();
                            r.cells[*c].merged = true;
                        }
                    }
                }
                if split {
                    let cand = next.rows.remove(k);
                    if let Some(last) = prev.rows.last_mut() {
                        for (c, cell) in cand.cells.into_iter().enumerate() {
                            let t = cell.text.trim();
                            if t.is_empty() || cell.merged {
                                continue;
                            }
                            let dst = &mut last.cells[c];
                            if dst.text.trim().is_empty() {
                                dst.text = t.to_string();
                            } else {
                                let p = super::lines::TextLine {
                                    text: dst.text.lines().last().unwrap_or("").to_string(),
                                    x1: 0.0,
                                    size: 10.0,
                                    space_after: false,
                                };
                                let g = super::lines::glue(&p, t, f32::MAX, "\n");
                                dst.text.push_str(&g);
                                dst.text.push_str(t);
                            }
                            dst.touches_bottom = cell.touches_bottom;
                            dst.vspan |= cell.vspan;
                        }
                    }
                }
            }
        }
    }
    prev.bottom = next.bottom;
    prev.wrapped_lines |= next.wrapped_lines;
    prev.rows.extend(next.rows);
}

/// Append the next page's part of a tagged table: a row that the structure tree says is the
/// same row (split by the page break) is joined cell by cell, the others (and a header row
/// repeated on the new page) are appended.
pub fn stitch_tagged(prev: &mut PTable, next: PTable) {
    for row in next.rows {
        let same = if row.tag_row.is_some() {
            prev.rows
                .iter()
                .rposition(|r| r.tag_row == row.tag_row)
                .filter(|&i| i + 4 >= prev.rows.len())
                // A header drawn again at the top of the page (a repeated `THead`, tagged as
                // the same row) is a repeated header row, not the rest of a split one.
                .filter(|&i| !repeats(&row_texts(&prev.rows[i]), &row_texts(&row)))
        } else {
            None
        };
        match same {
            Some(i) => {
                let dst = &mut prev.rows[i];
                for (c, cell) in row.cells.into_iter().enumerate() {
                    let t = cell.text.trim();
                    if t.is_empty() || cell.merged {
                        continue;
                    }
                    if let Some(d) = dst.cells.get_mut(c) {
                        if d.text.trim().is_empty() || d.merged {
                            d.text = t.to_string();
                            d.merged = false;
                        } else {
                            let p = super::lines::TextLine {
                                text: d.text.lines().last().unwrap_or("").to_string(),
                                x1: 0.0,
                                size: 10.0,
                                space_after: false,
                            };
                            let g = super::lines::glue(&p, t, f32::MAX, "\n");
                            d.text.push_str(&g);
                            d.text.push_str(t);
                        }
                    }
                }
            }
            None => prev.rows.push(row),
        }
    }
    prev.bottom = next.bottom;
}

/// Convert a (stitched) table to the document model.
pub fn to_table(t: PTable, index: u32) -> Table {
    let wrapped_lines = t.wrapped_lines;
    let rows = t
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| Row {
            cells: r
                .cells
                .into_iter()
                .map(|c| Cell {
                    text: c.text,
                    merged: c.merged,
                    source: None,
                })
                .collect(),
            source: Source {
                page: Some(r.page),
                table: Some(index),
                row: Some(i as u32 + 1),
                y: Some((r.top * 10.0).round() / 10.0),
                ..Source::default()
            },
            header: r.header,
            continuation: false,
        })
        .collect();
    Table {
        rows,
        wrapped_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(page: u32, rows: &[&[&str]]) -> PTable {
        PTable {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| PRow {
                    cells: r
                        .iter()
                        .enumerate()
                        .map(|(k, x)| PCell {
                            text: x.to_string(),
                            region: i * 10 + k,
                            first_row: true,
                            ..PCell::default()
                        })
                        .collect(),
                    top: 100.0 + 50.0 * i as f32,
                    page,
                    tag_row: None,
                    header: false,
                })
                .collect(),
            ncols: rows[0].len(),
            page,
            top: 100.0,
            bottom: 700.0,
            x0: 50.0,
            x1: 500.0,
            ruled: true,
            ref_column: false,
            wrapped_lines: false,
            tag: None,
        }
    }

    #[test]
    fn split_row_without_row_numbers_is_joined_after_repeated_header() {
        let mut a = t(
            1,
            &[
                &["Action", "Lead", "By when?"],
                &["Plan a social marketing", "PCT (public", "2011"],
            ],
        );
        let b = t(
            2,
            &[
                &["Action", "Lead", "By when?"],
                &["campaign for carers", "health)", ""],
                &["Next action", "HHAS", "2012"],
            ],
        );
        assert!(continues(&a, &b));
        stitch(&mut a, b, true);
        let texts: Vec<Vec<&str>> = a
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            texts[1],
            vec![
                "Plan a social marketing\ncampaign for carers",
                "PCT (public\nhealth)",
                "2011"
            ]
        );
        assert_eq!(
            texts.len(),
            4,
            "header, joined row, repeated header, next row"
        );
        assert_eq!(texts[2][0], "Action");
    }

    #[test]
    fn a_new_row_after_the_break_stays_a_row() {
        let mut a = t(1, &[&["Action", "Lead"], &["Do this", "HHAS"]]);
        let b = t(2, &[&["Do that", "PCT"]]);
        stitch(&mut a, b, true);
        assert_eq!(a.rows.len(), 3);
    }

    /// Tags `(row index, header)` onto a page table's rows.
    fn tagged(mut t: PTable, rows: &[(u32, bool)]) -> PTable {
        for (r, &(i, h)) in t.rows.iter_mut().zip(rows) {
            r.tag_row = Some(i);
            r.header = h;
        }
        t
    }

    #[test]
    fn tagged_rows_split_by_the_break_join_and_a_repeated_header_stays_a_row() {
        // Chromium tags the `thead` it repeats on every page as the table's first row again.
        let mut a = tagged(
            t(1, &[&["Action", "Lead"], &["Do this and", "HHAS"]]),
            &[(0, true), (1, false)],
        );
        let b = tagged(
            t(
                2,
                &[&["Action", "Lead"], &["that", ""], &["Do more", "PCT"]],
            ),
            &[(0, true), (1, false), (2, false)],
        );
        stitch_tagged(&mut a, b);
        let texts: Vec<Vec<String>> = a.rows.iter().map(row_texts).collect();
        assert_eq!(
            texts,
            [
                ["action", "lead"],
                ["do this and that", "hhas"],
                ["action", "lead"],
                ["do more", "pct"]
            ]
        );
    }
}
