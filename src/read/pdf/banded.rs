//! Tables whose rows are separated by horizontal rules but whose columns have no vertical
//! rules (Word's "plain" and many house styles, booktabs-like tables with a rule under every
//! row).
//!
//! A stack of horizontal rules of the same extent cuts the page into bands; each band is a row.
//! Column edges come from where the rules break: producers that draw each cell's border on its
//! own leave a small gap (or a new segment) at every column edge, at the same x on every rule.
//! Without such breaks, columns come from the left edges of text that line up across bands.
//! A stack whose bands do not read as rows of cells (prose between separator lines, a single
//! column) is not a table.

use super::glyphs::{Glyph, Seg};
use super::lines::{group_lines, join_lines, TextLine};
use super::ptable::{PCell, PRow, PTable};

/// A horizontal rule merged from collinear segments, with the x positions where it broke.
#[derive(Debug, Clone)]
struct Rule {
    y: f32,
    a: f32,
    b: f32,
    breaks: Vec<f32>,
}

/// Merge collinear horizontal segments (gaps up to 4 pt) into rules, remembering the breaks.
fn rules(segs: &[Seg]) -> Vec<Rule> {
    let mut hs: Vec<&Seg> = segs
        .iter()
        .filter(|s| s.horizontal && s.b - s.a > 2.0)
        .collect();
    hs.sort_by(|p, q| p.pos.total_cmp(&q.pos).then(p.a.total_cmp(&q.a)));
    let mut out: Vec<Rule> = Vec::new();
    // Rules of the current y, open for extension.
    let mut row_start = 0usize;
    for s in hs {
        if out
            .get(row_start)
            .is_some_and(|r| (s.pos - r.y).abs() > 1.0)
        {
            row_start = out.len();
        }
        let ext = out[row_start..]
            .iter_mut()
            .find(|r| s.a <= r.b + 4.0 && s.b >= r.a - 4.0);
        match ext {
            Some(r) => {
                if s.a > r.b - 1.0 && r.b - r.a > 8.0 && s.b - s.a > 8.0 {
                    r.breaks.push((r.b + s.a) / 2.0);
                }
                r.a = r.a.min(s.a);
                r.b = r.b.max(s.b);
            }
            None => out.push(Rule {
                y: s.pos,
                a: s.a,
                b: s.b,
                breaks: Vec::new(),
            }),
        }
    }
    // Touching duplicates (a rule drawn twice, double lines) count once.
    out.sort_by(|p, q| p.y.total_cmp(&q.y));
    let mut dedup: Vec<Rule> = Vec::new();
    for r in out {
        if let Some(last) = dedup.iter_mut().rev().take(4).find(|l| {
            (l.y - r.y).abs() <= 2.5 && (l.a - r.a).abs() < 6.0 && (l.b - r.b).abs() < 6.0
        }) {
            last.breaks.extend(r.breaks);
            continue;
        }
        dedup.push(r);
    }
    dedup
}

/// Cluster values within `tol`; returns (centre, count) sorted.
fn cluster(mut v: Vec<f32>, tol: f32) -> Vec<(f32, usize)> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize, f32)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((_, n, sum)) if x - *sum / *n as f32 <= tol => {
                *n += 1;
                *sum += x;
            }
            _ => out.push((x, 1, x)),
        }
    }
    out.into_iter()
        .map(|(_, n, sum)| (sum / n as f32, n))
        .collect()
}

/// Find rule-banded tables. Returns the tables and the glyphs not in them.
pub fn find(segs: &[Seg], glyphs: Vec<Glyph>, page: u32) -> (Vec<PTable>, Vec<Glyph>) {
    let rules = rules(segs);
    if rules.len() < 3 {
        return (Vec::new(), glyphs);
    }
    // Stacks of rules with the same extent.
    let mut stacks: Vec<Vec<Rule>> = Vec::new();
    for r in rules {
        if r.b - r.a < 60.0 {
            continue;
        }
        let tol = 6.0f32.max(0.02 * (r.b - r.a));
        match stacks
            .iter_mut()
            .find(|s| (s[0].a - r.a).abs() <= tol && (s[0].b - r.b).abs() <= tol)
        {
            Some(s) => s.push(r),
            None => stacks.push(vec![r]),
        }
    }
    let mut glyphs = glyphs;
    let mut tables = Vec::new();
    for stack in stacks {
        if stack.len() < 3 {
            continue;
        }
        if let Some((t, rest)) = build(&stack, glyphs.clone(), page) {
            tables.push(t);
            glyphs = rest;
        }
    }
    (tables, glyphs)
}

/// Column edges of a stack from the breaks its rules share.
fn break_edges(stack: &[Rule]) -> Vec<f32> {
    let all: Vec<f32> = stack
        .iter()
        .flat_map(|r| r.breaks.iter().copied())
        .collect();
    let need = (stack.len() / 2).max(2);
    cluster(all, 4.0)
        .into_iter()
        .filter(|&(_, n)| n >= need)
        .map(|(x, _)| x)
        .collect()
}

fn build(stack: &[Rule], glyphs: Vec<Glyph>, page: u32) -> Option<(PTable, Vec<Glyph>)> {
    let a = stack.iter().map(|r| r.a).fold(f32::MAX, f32::min);
    let b = stack.iter().map(|r| r.b).fold(f32::MIN, f32::max);
    let ys: Vec<f32> = stack.iter().map(|r| r.y).collect();
    let nb = ys.len() - 1;
    // Glyphs per band.
    let mut bands: Vec<Vec<Glyph>> = vec![Vec::new(); nb];
    let mut rest = Vec::new();
    for g in glyphs {
        let (x, y) = (g.cx(), g.cy());
        let k = if x >= a - 3.0 && x <= b + 3.0 && y > ys[0] && y < ys[nb] {
            ys.partition_point(|&e| e <= y).checked_sub(1)
        } else {
            None
        };
        match k {
            Some(k) if k < nb => bands[k].push(g),
            _ => rest.push(g),
        }
    }
    let inked: Vec<usize> = (0..nb)
        .filter(|&k| bands[k].iter().any(|g| !g.is_space()))
        .collect();
    if inked.len() < 2 {
        return None;
    }
    // Column edges: shared rule breaks, else aligned left edges of text.
    let mut edges = break_edges(stack);
    if edges.is_empty() {
        let mut starts = Vec::new();
        for &k in &inked {
            let mut seen: Vec<f32> = Vec::new();
            for l in group_lines(bands[k].clone()) {
                for p in l.pieces(0.8) {
                    if !seen.iter().any(|s| (s - p.x0).abs() < 3.0) {
                        seen.push(p.x0);
                    }
                }
            }
            starts.extend(seen);
        }
        let need = ((inked.len() as f32 * 0.3).ceil() as usize).max(2);
        edges = cluster(starts, 3.0)
            .into_iter()
            .filter(|&(_, n)| n >= need)
            .map(|(x, _)| x - 2.0)
            .filter(|&x| x > a + 8.0)
            .collect();
    }
    if edges.is_empty() {
        return None;
    }
    let mut xs = vec![a];
    xs.extend(edges);
    xs.push(b);
    xs.dedup_by(|p, q| (*p - *q).abs() < 4.0);
    let nc = xs.len() - 1;
    if nc < 2 {
        return None;
    }
    let col_of = |x: f32| -> usize {
        xs.partition_point(|&e| e <= x)
            .saturating_sub(1)
            .min(nc - 1)
    };
    // Tabular: most bands have text in two or more columns.
    let multi = inked
        .iter()
        .filter(|&&k| {
            let mut cols: Vec<usize> = bands[k]
                .iter()
                .filter(|g| !g.is_space())
                .map(|g| col_of(g.x0 + 0.5))
                .collect();
            cols.sort_unstable();
            cols.dedup();
            cols.len() >= 2
        })
        .count();
    if multi < 2 || multi * 2 < inked.len() {
        return None;
    }
    let mut rows = Vec::new();
    for &k in &inked {
        let band = std::mem::take(&mut bands[k]);
        // Text running across a column edge without a gap: a merged (full-width) row.
        let lines = group_lines(band.clone());
        let spans = lines.iter().any(|l| {
            l.glyphs.windows(2).any(|w| {
                !w[0].is_space()
                    && !w[1].is_space()
                    && w[1].x0 - w[0].x1 < 0.1 * w[0].size
                    && col_of(w[0].x0 + 0.5) != col_of(w[1].x0 + 0.5)
            })
        });
        let mut per_col: Vec<Vec<Glyph>> = vec![Vec::new(); if spans { 1 } else { nc }];
        for g in band {
            let c = if spans { 0 } else { col_of(g.x0 + 0.5) };
            per_col[c].push(g);
        }
        let cells: Vec<PCell> = per_col
            .into_iter()
            .enumerate()
            .map(|(c, gs)| {
                let lines = group_lines(gs);
                let right = if spans { b } else { xs[c + 1] } - 2.0;
                let tl: Vec<TextLine> = lines
                    .iter()
                    .map(|l| TextLine {
                        text: l.text(),
                        x1: l.x1,
                        size: l.size,
                        space_after: l.space_after(),
                    })
                    .collect();
                PCell {
                    text: join_lines(&tl, right, "\n"),
                    region: k * nc + c,
                    first_row: true,
                    ..PCell::default()
                }
            })
            .collect();
        rows.push(PRow {
            cells,
            top: ys[k],
            page,
            tag_row: None,
            header: false,
        });
    }
    for (k, band) in bands.into_iter().enumerate() {
        if !inked.contains(&k) {
            rest.extend(band);
        }
    }
    Some((
        PTable {
            rows,
            ncols: nc,
            page,
            top: ys[0],
            bottom: ys[nb],
            x0: a,
            x1: b,
            ruled: true,
            ref_column: false,
            wrapped_lines: false,
            tag: None,
        },
        rest,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, a: f32, b: f32) -> Seg {
        Seg {
            horizontal: true,
            pos: y,
            a,
            b,
        }
    }

    fn word(x: f32, y: f32, t: &str) -> Vec<Glyph> {
        t.chars()
            .enumerate()
            .map(|(i, c)| {
                let x0 = x + 5.0 * i as f32;
                Glyph::new(c, x0, x0 + 5.0, y, 10.0)
            })
            .collect()
    }

    #[test]
    fn rows_between_rules_columns_from_rule_breaks() {
        // Three columns drawn as separate segments per cell: breaks at 150 and 300.
        let mut segs = Vec::new();
        for y in [100.0, 130.0, 200.0, 230.0] {
            segs.push(h(y, 50.0, 149.0));
            segs.push(h(y, 151.0, 299.0));
            segs.push(h(y, 301.0, 450.0));
        }
        let mut gs = Vec::new();
        gs.extend(word(55.0, 120.0, "Action"));
        gs.extend(word(155.0, 120.0, "Lead"));
        gs.extend(word(305.0, 120.0, "When"));
        gs.extend(word(55.0, 145.0, "Do"));
        gs.extend(word(55.0, 190.0, "more"));
        gs.extend(word(155.0, 145.0, "HHAS"));
        gs.extend(word(305.0, 145.0, "2026"));
        gs.extend(word(55.0, 220.0, "Next"));
        let (ts, rest) = find(&segs, gs, 1);
        assert!(rest.is_empty());
        assert_eq!(ts.len(), 1);
        let t = &ts[0];
        assert_eq!(t.ncols, 3);
        let texts: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(texts[0], vec!["Action", "Lead", "When"]);
        // A tall row with a gap inside stays one row.
        assert_eq!(texts[1], vec!["Do\nmore", "HHAS", "2026"]);
        assert_eq!(texts[2], vec!["Next", "", ""]);
    }

    #[test]
    fn prose_between_separator_lines_is_not_a_table() {
        let segs = vec![
            h(100.0, 50.0, 450.0),
            h(200.0, 50.0, 450.0),
            h(300.0, 50.0, 450.0),
        ];
        let mut gs = word(55.0, 120.0, "Some text here and more");
        gs.extend(word(55.0, 220.0, "Another paragraph of text"));
        let (ts, rest) = find(&segs, gs, 1);
        assert!(ts.is_empty());
        assert!(!rest.is_empty());
    }
}
