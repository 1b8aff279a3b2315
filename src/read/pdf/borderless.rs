//! Borderless tables: columns from the left edges of aligned text, rows from row-number anchors
//! and vertical gaps.

use super::lines::{join_lines, Line, TextLine};
use super::ptable::{PCell, PRow, PTable};

/// Gap (in font sizes) that separates cells on one line.
const CELL_GAP: f32 = 0.6;
/// Left-edge alignment tolerance in points.
const ALIGN: f32 = 3.0;

fn col_of(cols: &[f32], x0: f32) -> Option<usize> {
    let k = cols.iter().rposition(|&c| c <= x0 + ALIGN)?;
    Some(k)
}

/// Does the line fit the columns? Returns the pieces' columns, or None.
fn fit(cols: &[f32], pieces: &[Line]) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for p in pieces {
        let k = col_of(cols, p.x0)?;
        if (p.x0 - cols[k]).abs() > ALIGN {
            return None;
        }
        if let Some(&next) = cols.get(k + 1) {
            if p.x1 > next + ALIGN {
                return None;
            }
        }
        if out.last().is_some_and(|&l| l >= k) {
            return None;
        }
        out.push(k);
    }
    Some(out)
}

fn is_ref(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars().count() <= 6
        && t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == ')')
        && t.chars().any(|c| c.is_ascii_digit())
}

/// Find borderless tables among a page's lines (top to bottom). Returns the tables and the lines
/// that are not in any table. `text_right` is where the page's text area ends on the right (the
/// last column's text may reach it), when known.
pub fn find(lines: Vec<Line>, page: u32, text_right: Option<f32>) -> (Vec<PTable>, Vec<Line>) {
    let pieces: Vec<Vec<Line>> = lines.iter().map(|l| l.pieces(CELL_GAP)).collect();
    let mut used = vec![false; lines.len()];
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if pieces[i].len() < 3 {
            i += 1;
            continue;
        }
        let size = lines[i].size;
        let mut cols: Vec<f32> = pieces[i].iter().map(|p| p.x0).collect();
        let mut members = vec![i];
        let mut anchors = 1;
        let mut j = i + 1;
        while j < lines.len() {
            let prev = &lines[*members.last().unwrap_or(&i)];
            let l = &lines[j];
            if l.top() - prev.bottom() > 2.5 * size || (l.size - size).abs() > 0.15 * size {
                break;
            }
            let ps = &pieces[j];
            if fit(&cols, ps).is_some() {
                members.push(j);
                if ps.len() >= 3 {
                    anchors += 1;
                }
                j += 1;
                continue;
            }
            // A line with several cells may add a column (an empty header cell above it).
            if ps.len() >= 3 {
                let aligned = ps
                    .iter()
                    .filter(|p| cols.iter().any(|c| (p.x0 - c).abs() <= ALIGN))
                    .count();
                if aligned + 1 >= ps.len() && aligned >= 2 {
                    let mut nc = cols.clone();
                    for p in ps {
                        if !nc.iter().any(|c| (p.x0 - c).abs() <= ALIGN) {
                            nc.push(p.x0);
                        }
                    }
                    nc.sort_by(f32::total_cmp);
                    let earlier_ok = members.iter().all(|&m| fit(&nc, &pieces[m]).is_some());
                    if earlier_ok && fit(&nc, ps).is_some() {
                        cols = nc;
                        members.push(j);
                        anchors += 1;
                        j += 1;
                        continue;
                    }
                }
            }
            break;
        }
        if anchors >= 2 && cols.len() >= 3 {
            tables.push(build(&lines, &pieces, &members, &cols, page, text_right));
            for &m in &members {
                used[m] = true;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    let rest = lines
        .into_iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|(l, _)| l)
        .collect();
    (tables, rest)
}

fn build(
    lines: &[Line],
    pieces: &[Vec<Line>],
    members: &[usize],
    cols: &[f32],
    page: u32,
    text_right: Option<f32>,
) -> PTable {
    let nc = cols.len();
    // Each member line as cells.
    let mut grid: Vec<Vec<Vec<&Line>>> = Vec::new();
    for &m in members {
        let mut row: Vec<Vec<&Line>> = vec![Vec::new(); nc];
        if let Some(ks) = fit(cols, &pieces[m]) {
            for (p, k) in pieces[m].iter().zip(ks) {
                row[k].push(p);
            }
        }
        grid.push(row);
    }
    let with0: Vec<String> = grid
        .iter()
        .filter_map(|r| r[0].first().map(|l| l.text()))
        .collect();
    let ref_column =
        !with0.is_empty() && with0.iter().filter(|t| is_ref(t)).count() * 10 >= with0.len() * 8;
    // Base line pitch: lower quartile of baseline steps.
    let mut steps: Vec<f32> = members
        .windows(2)
        .map(|w| lines[w[1]].y - lines[w[0]].y)
        .collect();
    steps.sort_by(f32::total_cmp);
    let base = steps.get(steps.len() / 4).copied().unwrap_or(f32::MAX);
    let mut starts = vec![true];
    for w in 1..members.len() {
        let step = lines[members[w]].y - lines[members[w - 1]].y;
        let gap = step > base * 1.25;
        let anchor = ref_column && !grid[w][0].is_empty();
        starts.push(gap || anchor);
    }
    // No row boundary found (no row numbers, even line spacing): keep physical lines as rows
    // and let detection merge the wrapped ones.
    let wrapped_lines = members.len() > 1 && starts.iter().filter(|&&s| s).count() == 1;
    if wrapped_lines {
        starts.iter_mut().for_each(|s| *s = true);
    }
    let rights: Vec<f32> = (0..nc)
        .map(|k| match cols.get(k + 1) {
            Some(&n) => n - CELL_GAP * lines[members[0]].size,
            // The last column may run to the text area's right edge: its widest line does not
            // tell how much room its cells had.
            None => grid
                .iter()
                .flat_map(|r| r[k].iter().map(|l| l.x1))
                .fold(0.0, f32::max)
                .max(text_right.unwrap_or(0.0)),
        })
        .collect();
    let mut rows: Vec<PRow> = Vec::new();
    let mut w = 0;
    while w < members.len() {
        let mut e = w + 1;
        while e < members.len() && !starts[e] {
            e += 1;
        }
        let mut cells = Vec::new();
        for k in 0..nc {
            let tl: Vec<TextLine> = (w..e)
                .flat_map(|r| grid[r][k].iter())
                .map(|l| TextLine {
                    text: l.text(),
                    x1: l.x1,
                    size: l.size,
                    space_after: l.space_after(),
                })
                .collect();
            cells.push(PCell {
                text: join_lines(&tl, rights[k], "\n"),
                region: rows.len() * nc + k,
                first_row: true,
                ..PCell::default()
            });
        }
        rows.push(PRow {
            cells,
            top: lines[members[w]].top(),
            page,
            tag_row: None,
            header: false,
        });
        w = e;
    }
    let first = &lines[members[0]];
    let last = &lines[*members.last().unwrap_or(&members[0])];
    PTable {
        rows,
        ncols: nc,
        page,
        top: first.top(),
        bottom: last.bottom(),
        x0: cols[0],
        x1: rights.last().copied().unwrap_or(0.0),
        ruled: false,
        ref_column,
        wrapped_lines,
        tag: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::pdf::glyphs::Glyph;

    /// A line with the given (x, text) cells at baseline y; 5pt per character.
    fn line(y: f32, cells: &[(f32, &str)]) -> Line {
        let mut gs = Vec::new();
        for &(x, t) in cells {
            for (i, c) in t.chars().enumerate() {
                let x0 = x + 5.0 * i as f32;
                gs.push(Glyph::new(c, x0, x0 + 5.0, y, 10.0));
            }
        }
        Line::from_glyphs(gs)
    }

    #[test]
    fn rows_from_row_numbers_and_gaps() {
        let lines = vec![
            line(100.0, &[(50.0, "Action"), (200.0, "Lead"), (300.0, "Due")]),
            line(
                120.0,
                &[
                    (10.0, "1"),
                    (50.0, "Do a thing"),
                    (200.0, "HHAS"),
                    (300.0, "2009"),
                ],
            ),
            line(132.0, &[(50.0, "and more")]),
            line(
                150.0,
                &[
                    (10.0, "2"),
                    (50.0, "Another"),
                    (200.0, "PCT"),
                    (300.0, "2010"),
                ],
            ),
        ];
        let (tables, rest) = find(lines, 1, None);
        assert!(rest.is_empty());
        let t = &tables[0];
        assert!(t.ref_column && !t.wrapped_lines);
        let texts: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(texts[1], vec!["1", "Do a thing\nand more", "HHAS", "2009"]);
        assert_eq!(texts.len(), 3);
    }

    #[test]
    fn even_spacing_without_numbers_gives_physical_lines() {
        let lines = vec![
            line(100.0, &[(50.0, "Action"), (200.0, "Lead"), (300.0, "Due")]),
            line(
                112.0,
                &[(50.0, "Do a thing"), (200.0, "HHAS"), (300.0, "2009")],
            ),
            line(124.0, &[(50.0, "and more")]),
            line(136.0, &[(50.0, "Another"), (200.0, "PCT"), (300.0, "2010")]),
        ];
        let (tables, _) = find(lines, 1, None);
        assert!(tables[0].wrapped_lines);
        assert_eq!(tables[0].rows.len(), 4);
    }
}
