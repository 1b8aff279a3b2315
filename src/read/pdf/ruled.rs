//! Ruled tables: a grid from vertical and horizontal rules, merged cells from missing segments.

use super::glyphs::{Glyph, Seg};
use super::lines::{group_lines, join_lines, TextLine};
use super::ptable::{PCell, PRow, PTable};

const TOL: f32 = 2.0;

/// A table grid found on a page.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Column edges, left to right.
    pub xs: Vec<f32>,
    /// Row edges, top to bottom.
    pub ys: Vec<f32>,
    /// `vb[r][c]`: a vertical rule at `xs[c]` along row `r`.
    pub vb: Vec<Vec<bool>>,
    /// `hb[r][c]`: a horizontal rule at `ys[r]` along column `c`.
    pub hb: Vec<Vec<bool>>,
}

impl Grid {
    fn ncols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }
    fn nrows(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }
    /// The cell holding a point, if inside the grid.
    pub fn cell_at(&self, x: f32, y: f32) -> Option<(usize, usize)> {
        let c = locate(&self.xs, x)?;
        let r = locate(&self.ys, y)?;
        Some((r, c))
    }
}

fn locate(edges: &[f32], v: f32) -> Option<usize> {
    let first = *edges.first()?;
    let last = *edges.last()?;
    if v < first || v > last {
        return None;
    }
    let i = edges.partition_point(|&e| e <= v);
    Some(i.saturating_sub(1).min(edges.len().saturating_sub(2)))
}

struct Dsu(Vec<usize>);
impl Dsu {
    fn new(n: usize) -> Dsu {
        Dsu((0..n).collect())
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

fn touches(s: &Seg, t: &Seg) -> bool {
    if s.horizontal != t.horizontal {
        let (h, v) = if s.horizontal { (s, t) } else { (t, s) };
        v.pos >= h.a - TOL && v.pos <= h.b + TOL && h.pos >= v.a - TOL && h.pos <= v.b + TOL
    } else {
        (s.pos - t.pos).abs() <= TOL && s.a <= t.b + TOL && t.a <= s.b + TOL
    }
}

fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((c, n)) if x - (*c / *n as f32) <= TOL => {
                *c += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(s, n)| s / n as f32).collect()
}

fn covered(segs: &[&Seg], pos: f32, a: f32, b: f32) -> bool {
    let len = b - a;
    if len <= 0.0 {
        return true;
    }
    let mut iv: Vec<(f32, f32)> = segs
        .iter()
        .filter(|s| (s.pos - pos).abs() <= TOL)
        .map(|s| (s.a.max(a), s.b.min(b)))
        .filter(|(x, y)| y > x)
        .collect();
    iv.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut total = 0.0;
    let mut end = a;
    for (x, y) in iv {
        let x = x.max(end);
        if y > x {
            total += y - x;
            end = y;
        }
    }
    total >= 0.6 * len
}

/// Find table grids among a page's rules (`page_height` rules out page frames: a single
/// two-column "row" taller than half the page is a layout box: text columns split by a rule).
pub fn find_grids(segs: &[Seg], page_height: f32) -> Vec<Grid> {
    let segs: Vec<&Seg> = segs.iter().filter(|s| s.b - s.a > 1.0).take(5000).collect();
    let n = segs.len();
    let mut dsu = Dsu::new(n);
    for i in 0..n {
        for j in (i + 1)..n {
            if touches(segs[i], segs[j]) {
                dsu.union(i, j);
            }
        }
    }
    let mut comps: std::collections::BTreeMap<usize, Vec<&Seg>> = Default::default();
    for (i, s) in segs.iter().enumerate() {
        comps.entry(dsu.find(i)).or_default().push(s);
    }
    let mut grids = Vec::new();
    for (_, comp) in comps {
        let hs: Vec<&Seg> = comp.iter().copied().filter(|s| s.horizontal).collect();
        let vs: Vec<&Seg> = comp.iter().copied().filter(|s| !s.horizontal).collect();
        if hs.len() < 2 || vs.len() < 2 {
            continue;
        }
        let xs = cluster(vs.iter().map(|s| s.pos).collect());
        let ys = cluster(hs.iter().map(|s| s.pos).collect());
        if xs.len() < 3 || ys.len() < 2 {
            continue;
        }
        if ys.len() == 2 && xs.len() == 3 && ys[1] - ys[0] > 0.5 * page_height {
            continue;
        }
        let (nr, nc) = (ys.len() - 1, xs.len() - 1);
        let vb = (0..nr)
            .map(|r| {
                (0..=nc)
                    .map(|c| covered(&vs, xs[c], ys[r], ys[r + 1]))
                    .collect()
            })
            .collect();
        let hb = (0..=nr)
            .map(|r| {
                (0..nc)
                    .map(|c| covered(&hs, ys[r], xs[c], xs[c + 1]))
                    .collect()
            })
            .collect();
        grids.push(Grid { xs, ys, vb, hb });
    }
    grids.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    grids
}

struct Region {
    r0: usize,
    r1: usize,
    c0: usize,
    c1: usize,
    glyphs: Vec<Glyph>,
    text: String,
}

/// Build a table from a grid and the glyphs inside it.
pub fn build(grid: &Grid, glyphs: Vec<Glyph>, page: u32) -> PTable {
    let (nr, nc) = (grid.nrows(), grid.ncols());
    let mut dsu = Dsu::new(nr * nc);
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc && !grid.vb[r][c + 1] {
                dsu.union(r * nc + c, r * nc + c + 1);
            }
            if r + 1 < nr && !grid.hb[r + 1][c] {
                dsu.union(r * nc + c, (r + 1) * nc + c);
            }
        }
    }
    let mut region_of = vec![0usize; nr * nc];
    let mut regions: Vec<Region> = Vec::new();
    let mut index: std::collections::HashMap<usize, usize> = Default::default();
    for r in 0..nr {
        for c in 0..nc {
            let root = dsu.find(r * nc + c);
            let id = *index.entry(root).or_insert_with(|| {
                regions.push(Region {
                    r0: r,
                    r1: r,
                    c0: c,
                    c1: c,
                    glyphs: Vec::new(),
                    text: String::new(),
                });
                regions.len() - 1
            });
            let reg = &mut regions[id];
            reg.r0 = reg.r0.min(r);
            reg.r1 = reg.r1.max(r);
            reg.c0 = reg.c0.min(c);
            reg.c1 = reg.c1.max(c);
            region_of[r * nc + c] = id;
        }
    }
    for g in glyphs {
        if let Some((r, c)) = grid.cell_at(g.cx(), g.cy()) {
            regions[region_of[r * nc + c]].glyphs.push(g);
        }
    }
    for reg in regions.iter_mut() {
        let lines = group_lines(std::mem::take(&mut reg.glyphs));
        if lines.is_empty() {
            continue;
        }
        let left = grid.xs[reg.c0];
        let pad = (lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min) - left).clamp(0.0, 12.0);
        let right = grid.xs[reg.c1 + 1] - pad;
        let tl: Vec<TextLine> = lines
            .iter()
            .map(|l| TextLine {
                text: l.text(),
                x1: l.x1,
                size: l.size,
                space_after: l.space_after(),
            })
            .collect();
        reg.text = join_lines(&tl, right, "\n");
    }
    let mut rows = Vec::new();
    for r in 0..nr {
        let mut cells = Vec::new();
        for c in 0..nc {
            let id = region_of[r * nc + c];
            let reg = &regions[id];
            if c != reg.c0 {
                cells.push(PCell {
                    region: usize::MAX,
                    ..PCell::default()
                });
                continue;
            }
            cells.push(PCell {
                text: reg.text.clone(),
                merged: r != reg.r0 && !reg.text.is_empty(),
                region: id,
                vspan: reg.r1 > reg.r0,
                first_row: reg.r0 == r,
                touches_bottom: reg.r1 == nr - 1,
            });
        }
        // A region spanning the whole width is a one-cell row (section heading inside a table).
        if let Some(first) = cells.first() {
            let reg = &regions[region_of[r * nc]];
            if reg.c0 == 0 && reg.c1 == nc - 1 {
                cells = vec![first.clone()];
            }
        }
        if cells.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }
        rows.push(PRow {
            cells,
            top: grid.ys[r],
            page,
            tag_row: None,
            header: false,
        });
    }
    PTable {
        rows,
        ncols: nc,
        page,
        top: grid.ys[0],
        bottom: *grid.ys.last().unwrap_or(&0.0),
        x0: grid.xs[0],
        x1: *grid.xs.last().unwrap_or(&0.0),
        ruled: true,
        ref_column: false,
        wrapped_lines: false,
        tag: None,
    }
}
