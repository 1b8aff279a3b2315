//! Laying out word-processor tables on their grid, shared by the ODT, RTF and `.doc` readers.
//!
//! Those formats describe a table as rows of cells where a cell may span several grid columns
//! and may continue (vertically merge with) the cell above. [`build_table`] turns that into the
//! document model's [`Table`] the same way the DOCX reader does:
//!
//! * a cell spanning `n` grid columns is followed by `n - 1` empty cells, so column indices stay
//!   aligned from row to row;
//! * a vertically merged continuation cell receives the text of the cell above, with
//!   [`Cell::merged`] set;
//! * a row that is one cell spanning several columns ("Outcome 2: ...") becomes a row of exactly
//!   one cell (detection reads it as a section heading);
//! * rows the format marks as headers keep [`Row::header`]; later rows that repeat a header row
//!   (or the first row) word for word are marked as headers too (a header repeated after a page
//!   break in the source).

use crate::document::{Block, BlockKind, Cell, Row, Source, Table};

/// Widest span honoured for one cell, and most grid columns kept in one row.
pub const MAX_SPAN: usize = 256;
/// Most cells (spans laid out) the tables of one document may hold, as many as the
/// spreadsheet reader accepts in one sheet.
pub const MAX_CELLS: usize = super::sheet::MAX_CELLS as usize;

/// Counts the cells a document's tables produce against [`MAX_CELLS`]: a few bytes of input
/// can ask for many cells (spans, repeats), so readers stop and refuse the file when it runs
/// out.
#[derive(Debug, Default)]
pub struct CellBudget {
    used: usize,
}

impl CellBudget {
    /// Count `n` more cells; false once the budget is spent.
    pub fn spend(&mut self, n: usize) -> bool {
        self.used = self.used.saturating_add(n);
        self.used <= MAX_CELLS
    }

    /// True once more cells were asked for than the budget allows.
    pub fn exceeded(&self) -> bool {
        self.used > MAX_CELLS
    }

    /// `Err` with a message naming the format once the budget is spent.
    pub fn check(&self, format: &str) -> crate::error::Result<()> {
        if self.exceeded() {
            return Err(crate::error::Error::Limit(format!(
                "{format} file refused: its tables hold more than {MAX_CELLS} cells, over the limit (cells repeated or spanned without end?)"
            )));
        }
        Ok(())
    }
}

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VMerge {
    /// Not merged vertically.
    #[default]
    None,
    /// First cell of a vertically merged region.
    Restart,
    /// Continues the region above: shows the value of the cell above.
    Continue,
}

/// A cell as a word processor stores it.
#[derive(Debug, Clone, Default)]
pub struct GridCell {
    /// Paragraphs (and flattened nested-table rows) of the cell, one per line.
    pub lines: Vec<String>,
    /// Grid columns covered (at least 1).
    pub span: usize,
    /// Vertical merge state.
    pub vmerge: VMerge,
}

impl GridCell {
    /// An empty cell spanning one column.
    pub fn new() -> GridCell {
        GridCell {
            lines: Vec::new(),
            span: 1,
            vmerge: VMerge::None,
        }
    }
}

/// A row as a word processor stores it.
#[derive(Debug, Clone, Default)]
pub struct GridRow {
    /// Cells left to right.
    pub cells: Vec<GridCell>,
    /// The format marks the row as a (repeating) header row.
    pub header: bool,
    /// Empty grid columns before the first cell.
    pub before: usize,
}

/// Lay the rows out on the grid; `table_index` 0 means a nested table (rows get no source).
/// Rows stop being added once `budget` is spent (the reader then refuses the file).
pub fn build_table(rows: Vec<GridRow>, table_index: u32, budget: &mut CellBudget) -> Table {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len().min(4096));
    let mut prev_grid: Vec<Cell> = Vec::new();
    for (i, r) in rows.into_iter().enumerate() {
        if budget.exceeded() {
            break;
        }
        let before = r.before.min(MAX_SPAN);
        let mut grid: Vec<Cell> = vec![Cell::default(); before];
        let n_cells = r.cells.len();
        let first_span = r.cells.first().map_or(1, |c| c.span);
        for c in r.cells.into_iter() {
            let col = grid.len();
            if col >= MAX_SPAN {
                break;
            }
            let mut cell = Cell::new(c.lines.join("\n"));
            if c.vmerge == VMerge::Continue {
                if let Some(above) = prev_grid.get(col) {
                    cell.text = above.text.clone();
                    cell.merged = !cell.text.is_empty();
                }
            }
            grid.push(cell);
            let pad = c.span.clamp(1, MAX_SPAN) - 1;
            grid.resize(grid.len() + pad.min(MAX_SPAN - col - 1), Cell::default());
        }
        budget.spend(grid.len());
        let source = if table_index > 0 {
            Source {
                table: Some(table_index),
                row: Some(i as u32 + 1),
                ..Source::default()
            }
        } else {
            Source::default()
        };
        let section = n_cells == 1 && first_span > 1 && before == 0;
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
    mark_repeated_headers(&mut out);
    Table {
        rows: out,
        wrapped_lines: false,
    }
}

/// A later row that repeats a header row (or the first row) word for word is a repeated header.
pub fn mark_repeated_headers(rows: &mut [Row]) {
    let texts = |r: &Row| -> Vec<String> { r.cells.iter().map(|c| c.text.clone()).collect() };
    let header_texts: Vec<Vec<String>> = rows.iter().filter(|r| r.header).map(texts).collect();
    let first: Option<Vec<String>> = rows.first().map(texts);
    let mut first_repeated = false;
    for r in rows.iter_mut().skip(1) {
        if r.header || r.is_blank() || r.cells.len() < 2 {
            continue;
        }
        let t = texts(r);
        if header_texts.contains(&t) {
            r.header = true;
        } else if first.as_ref() == Some(&t) {
            r.header = true;
            first_repeated = true;
        }
    }
    if first_repeated {
        if let Some(r) = rows.first_mut() {
            r.header = true;
        }
    }
}

/// A nested table flattened into lines of its containing cell: one line per non-blank row, the
/// row's non-empty cells joined with ` | ` (as the DOCX reader does).
pub fn flatten(rows: Vec<GridRow>, budget: &mut CellBudget) -> Vec<String> {
    build_table(rows, 0, budget)
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
        .collect()
}

/// Spans from cell boundaries: `rows[i]` lists the right edges of row `i`'s cells (in any unit,
/// increasing). The grid's columns are the union of all edges; each cell spans the grid columns
/// between its left and right edge. Used where a format stores widths, not spans (RTF `\cellx`,
/// Word 97 `rgdxaCenter`). Returns, per row, the span of each cell and the empty columns before
/// the first cell (non-empty `lefts` give each row's left edge).
pub fn spans_from_edges(rows: &[(i32, Vec<i32>)]) -> Vec<(usize, Vec<usize>)> {
    // Edges closer than this (in twips, 1/20 pt: about 1 mm) are the same column line.
    const SNAP: i32 = 60;
    let mut edges: Vec<i32> = Vec::new();
    for (left, rights) in rows {
        edges.push(*left);
        edges.extend(rights.iter().copied());
    }
    edges.sort_unstable();
    let mut grid: Vec<i32> = Vec::new();
    for e in edges {
        if grid.last().is_none_or(|&g| e - g > SNAP) {
            grid.push(e);
        }
        if grid.len() > 4 * MAX_SPAN {
            break;
        }
    }
    let col_of = |x: i32| -> usize {
        grid.iter()
            .enumerate()
            .min_by_key(|(_, &g)| (g - x).unsigned_abs())
            .map(|(i, _)| i)
            .unwrap_or(0)
    };
    rows.iter()
        .map(|(left, rights)| {
            let first = col_of(*left);
            let mut prev = first;
            let spans = rights
                .iter()
                .map(|&r| {
                    let c = col_of(r);
                    let span = c.saturating_sub(prev).max(1);
                    prev = prev.saturating_add(span);
                    span
                })
                .collect();
            (first, spans)
        })
        .collect()
}

/// A cell of a row whose layout is given by cell boundaries (RTF `\cellx`, Word 97
/// `sprmTDefTable`) rather than spans.
#[derive(Debug, Clone, Copy, Default)]
pub struct EdgeCell {
    /// Right boundary (twips from the margin).
    pub right: i32,
    /// Vertical merge state.
    pub vmerge: VMerge,
    /// Merged into the cell on its left (horizontal merge continuation).
    pub hmerge_cont: bool,
}

/// The definition of such a row: left boundary, header flag, cell boundaries.
#[derive(Debug, Clone, Default)]
pub struct EdgeDef {
    /// Left boundary of the first cell.
    pub left: i32,
    /// The format marks the row as a header row.
    pub header: bool,
    /// Cells left to right.
    pub cells: Vec<EdgeCell>,
}

/// A row read from such a format: the lines of each cell, and the row's definition.
#[derive(Debug, Clone, Default)]
pub struct EdgeRow {
    /// Lines of each cell, left to right.
    pub cells: Vec<Vec<String>>,
    /// The row's definition (it may list fewer or more cells than were read).
    pub def: EdgeDef,
}

/// Rows with boundary definitions -> grid rows: spans from the boundaries of all the table's
/// rows ([`spans_from_edges`]), horizontal merges folded into their first cell, vertical
/// merges kept for [`build_table`].
pub fn lay_out_edges(rows: Vec<EdgeRow>) -> Vec<GridRow> {
    let edges: Vec<(i32, Vec<i32>)> = rows
        .iter()
        .map(|r| {
            let mut rights: Vec<i32> = r.def.cells.iter().map(|c| c.right).collect();
            rights.truncate(r.cells.len().max(1));
            (r.def.left, rights)
        })
        .collect();
    let spans = spans_from_edges(&edges);
    rows.into_iter()
        .zip(spans)
        .map(|(mut r, (before, spans))| {
            // Empty cells past the ones the row defines cannot be placed on the grid (writers
            // emit stray cell marks after nested tables): drop them.
            let defined = r.def.cells.len();
            while defined > 0
                && r.cells.len() > defined
                && r.cells
                    .last()
                    .is_some_and(|c| c.iter().all(|l| l.trim().is_empty()))
            {
                r.cells.pop();
            }
            let mut out = GridRow {
                header: r.def.header,
                before,
                cells: Vec::new(),
            };
            for (k, lines) in r.cells.into_iter().enumerate() {
                let def = r.def.cells.get(k).copied().unwrap_or_default();
                let span = spans.get(k).copied().unwrap_or(1);
                if def.hmerge_cont {
                    if let Some(prev) = out.cells.last_mut() {
                        prev.span += span;
                        prev.lines.extend(lines);
                        continue;
                    }
                }
                out.cells.push(GridCell {
                    lines,
                    span,
                    vmerge: def.vmerge,
                });
            }
            out
        })
        .collect()
}

/// A table being read from a format whose rows come with boundary definitions (RTF, Word 97):
/// its finished rows, the finished cells of the current row and the lines of the open cell.
#[derive(Debug, Default)]
pub struct OpenTable {
    /// Finished rows.
    pub rows: Vec<EdgeRow>,
    /// Finished cells of the current row.
    pub cells: Vec<Vec<String>>,
    /// Lines of the open cell.
    pub lines: Vec<String>,
}

/// Close the innermost of the `open` tables: a row left open is kept (with `leftover_def`),
/// the rows are laid out; a nested table is flattened into its parent's open cell, an outer
/// one becomes the next table block.
pub fn close_edge_table(
    open: &mut Vec<OpenTable>,
    leftover_def: EdgeDef,
    blocks: &mut Vec<Block>,
    table_index: &mut u32,
    budget: &mut CellBudget,
) {
    let Some(mut t) = open.pop() else {
        return;
    };
    if !t.cells.is_empty() || !t.lines.is_empty() {
        let mut cells = std::mem::take(&mut t.cells);
        if !t.lines.is_empty() {
            cells.push(std::mem::take(&mut t.lines));
        }
        t.rows.push(EdgeRow {
            cells,
            def: leftover_def,
        });
    }
    let rows = lay_out_edges(t.rows);
    if rows.is_empty() {
        return;
    }
    if let Some(parent) = open.last_mut() {
        parent.lines.extend(flatten(rows, budget));
    } else {
        *table_index += 1;
        let table = build_table(rows, *table_index, budget);
        blocks.push(Block {
            kind: BlockKind::Table(table),
            source: Source {
                table: Some(*table_index),
                ..Source::default()
            },
        });
    }
}

/// Trim each line, collapse runs of white space, drop empty lines.
pub fn clean(s: &str) -> String {
    s.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, span: usize, vmerge: VMerge) -> GridCell {
        GridCell {
            lines: if text.is_empty() {
                vec![]
            } else {
                vec![text.to_string()]
            },
            span,
            vmerge,
        }
    }

    #[test]
    fn spans_merges_sections_headers() {
        let rows = vec![
            GridRow {
                cells: vec![
                    cell("Action", 1, VMerge::None),
                    cell("Lead", 1, VMerge::None),
                    cell("Due", 1, VMerge::None),
                ],
                header: true,
                before: 0,
            },
            GridRow {
                cells: vec![cell("Outcome 1", 3, VMerge::None)],
                header: false,
                before: 0,
            },
            GridRow {
                cells: vec![
                    cell("Do a", 1, VMerge::None),
                    cell("HHAS", 1, VMerge::Restart),
                    cell("2012", 1, VMerge::None),
                ],
                header: false,
                before: 0,
            },
            GridRow {
                cells: vec![
                    cell("Do b", 1, VMerge::None),
                    cell("", 1, VMerge::Continue),
                    cell("2013", 1, VMerge::None),
                ],
                header: false,
                before: 0,
            },
            GridRow {
                cells: vec![
                    cell("Action", 1, VMerge::None),
                    cell("Lead", 1, VMerge::None),
                    cell("Due", 1, VMerge::None),
                ],
                header: false,
                before: 0,
            },
            GridRow {
                cells: vec![cell("wide", 2, VMerge::None)],
                header: false,
                before: 1,
            },
        ];
        let t = build_table(rows, 3, &mut CellBudget::default());
        assert_eq!(t.rows[1].texts(), vec!["Outcome 1"]);
        assert_eq!(t.rows[3].texts(), vec!["Do b", "HHAS", "2013"]);
        assert!(t.rows[3].cells[1].merged);
        assert!(!t.rows[2].cells[1].merged);
        assert!(t.rows[4].header);
        assert_eq!(t.rows[5].texts(), vec!["", "wide", ""]);
        assert_eq!(t.rows[3].source.table, Some(3));
        assert_eq!(t.rows[3].source.row, Some(4));
    }

    #[test]
    fn wide_spans_and_the_cell_budget() {
        let wide = || GridRow {
            cells: (0..300)
                .map(|_| GridCell {
                    lines: vec!["x".into()],
                    span: 1000,
                    vmerge: VMerge::None,
                })
                .collect(),
            ..GridRow::default()
        };
        let mut b = CellBudget::default();
        let t = build_table(vec![wide(), wide()], 1, &mut b);
        assert!(t.rows.iter().all(|r| r.cells.len() == MAX_SPAN));
        assert!(b.check("X").is_ok());
        let rows: Vec<GridRow> = (0..MAX_CELLS / MAX_SPAN + 2).map(|_| wide()).collect();
        let t = build_table(rows, 1, &mut b);
        assert!(t.rows.len() <= MAX_CELLS / MAX_SPAN + 1);
        assert!(b
            .check("X")
            .unwrap_err()
            .to_string()
            .contains("X file refused"));
    }

    #[test]
    fn edges_to_spans() {
        // three columns; the second row merges the last two; the third starts one column in
        let rows = vec![
            (0, vec![1000, 2000, 3000]),
            (0, vec![1000, 3010]),
            (1000, vec![3000]),
        ];
        let s = spans_from_edges(&rows);
        assert_eq!(s[0], (0, vec![1, 1, 1]));
        assert_eq!(s[1], (0, vec![1, 2]));
        assert_eq!(s[2], (1, vec![2]));
        // hostile: decreasing or equal edges still give spans of at least 1
        let s = spans_from_edges(&[(0, vec![500, 100, 100])]);
        assert_eq!(s[0].1, vec![2, 1, 1]);
    }

    #[test]
    fn nested_tables_flatten() {
        let rows = vec![
            GridRow {
                cells: vec![cell("a", 1, VMerge::None), cell("b", 1, VMerge::None)],
                ..GridRow::default()
            },
            GridRow {
                cells: vec![cell("c", 1, VMerge::None), cell("", 1, VMerge::None)],
                ..GridRow::default()
            },
        ];
        assert_eq!(
            flatten(rows, &mut CellBudget::default()),
            vec!["a | b", "c"]
        );
        assert_eq!(clean("  a   b \n\n c "), "a b\nc");
    }
}
