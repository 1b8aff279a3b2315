//! Text that is not in a table: columns, reading order, headings, paragraphs and list items.

use super::glyphs::Rect;
use super::lines::{bullet_prefix, join_lines, Line, TextLine};

/// Gap (in font sizes) that separates text columns on one baseline.
const COLUMN_GAP: f32 = 1.5;

/// A prose block before conversion to the document model.
#[derive(Debug, Clone)]
pub struct PBlock {
    /// Heading / paragraph / list item.
    pub kind: PKind,
    /// Text.
    pub text: String,
    /// Font size of the first line.
    pub size: f32,
    /// Top of the first line.
    pub top: f32,
    /// Bottom of the last line.
    pub bottom: f32,
    /// Number of physical lines.
    pub lines: usize,
}

/// Kinds of prose block.
#[derive(Debug, Clone, PartialEq)]
pub enum PKind {
    /// Paragraph.
    Paragraph,
    /// List item with its marker.
    ListItem(String),
}

/// Find a text gutter between two columns: an x position in the middle of the page crossed by
/// few line pieces, with several pieces on each side.
fn gutter(units: &[Line], width: f32) -> Option<f32> {
    if units.len() < 8 || width <= 0.0 {
        return None;
    }
    let lo = (0.3 * width) as usize;
    let hi = (0.7 * width) as usize;
    let mut cover = vec![0usize; width as usize + 2];
    for u in units {
        let a = u.x0.max(0.0) as usize;
        let b = (u.x1.max(0.0) as usize).min(cover.len() - 1);
        for c in cover.iter_mut().take(b + 1).skip(a) {
            *c += 1;
        }
    }
    let allowed = (units.len() / 10).max(1);
    let (mut best, mut best_len, mut run_start) = (None, 0usize, None);
    let end = hi.min(cover.len() - 1);
    for (x, &c) in cover.iter().enumerate().take(end + 1).skip(lo) {
        if c <= allowed {
            let s = *run_start.get_or_insert(x);
            if x + 1 - s > best_len {
                best_len = x + 1 - s;
                best = Some((s + x) as f32 / 2.0);
            }
        } else {
            run_start = None;
        }
    }
    let g = best?;
    if best_len < 8 {
        return None;
    }
    let left = units.iter().filter(|u| u.x1 < g).count();
    let right = units.iter().filter(|u| u.x0 > g).count();
    if left >= 4 && right >= 4 {
        Some(g)
    } else {
        None
    }
}

/// Lines of a page (top to bottom, not in tables) -> prose blocks in reading order, each with
/// the column it came from (0 = full width / single column, 1 = left, 2 = right).
pub fn blocks(lines: Vec<Line>, width: f32, dots: &[Rect]) -> Vec<PBlock> {
    let units: Vec<Line> = lines.iter().flat_map(|l| l.pieces(COLUMN_GAP)).collect();
    let g = gutter(&units, width);
    // Flow: a sequence of (column, line).
    let mut flow: Vec<(u8, Line)> = Vec::new();
    match g {
        None => {
            for l in lines {
                flow.push((0, l));
            }
        }
        Some(g) => {
            let mut units = units;
            units.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
            let mut seg: Vec<(u8, Line)> = Vec::new();
            let flush = |seg: &mut Vec<(u8, Line)>, flow: &mut Vec<(u8, Line)>| {
                let mut s = std::mem::take(seg);
                s.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.y.total_cmp(&b.1.y)));
                flow.extend(merge_same_baseline(s));
            };
            for u in units {
                if u.x0 < g && u.x1 > g {
                    flush(&mut seg, &mut flow);
                    flow.push((0, u));
                } else {
                    let col = if u.x1 <= g { 1 } else { 2 };
                    seg.push((col, u));
                }
            }
            flush(&mut seg, &mut flow);
        }
    }
    let mut out: Vec<PBlock> = Vec::new();
    let mut cur: Vec<Line> = Vec::new();
    let mut cur_col = 0u8;
    let mut cur_marker: Option<String> = None;
    let mut text_x0 = 0.0f32;
    for (col, line) in flow {
        let text = line.text();
        let dot = dots.iter().any(|d| {
            d.x1 <= line.x0
                && line.x0 - d.x1 < 3.0 * line.size
                && (d.y0 + d.y1) / 2.0 > line.top()
                && (d.y0 + d.y1) / 2.0 < line.bottom()
        });
        let bullet = if dot {
            Some("•".to_string())
        } else {
            bullet_prefix(&text).map(|(m, _)| m)
        };
        let new_block = match cur.last() {
            None => true,
            Some(prev) => {
                let flows_on = col != cur_col
                    && bullet.is_none()
                    && (line.size - prev.size).abs() <= 0.1 * prev.size
                    && text.chars().next().is_some_and(|c| c.is_lowercase());
                (col != cur_col && !flows_on)
                    || bullet.is_some()
                    || (line.size - prev.size).abs() > 0.1 * prev.size
                    || (col == cur_col && line.top() - prev.bottom() > 0.5 * line.size)
                    || (col == cur_col && line.top() < prev.top())
                    || (cur_marker.is_some() && line.x0 < text_x0 - 2.0)
            }
        };
        if new_block && !cur.is_empty() {
            out.push(finish(std::mem::take(&mut cur), cur_marker.take()));
        }
        cur_col = col;
        if new_block {
            cur_marker = bullet;
            text_x0 = if dot {
                line.x0
            } else if cur_marker.is_some() {
                line.glyphs
                    .iter()
                    .filter(|g| !g.is_space())
                    .nth(1)
                    .map(|g| g.x0)
                    .unwrap_or(line.x0)
            } else {
                line.x0
            };
        }
        cur.push(line);
    }
    if !cur.is_empty() {
        out.push(finish(cur, cur_marker.take()));
    }
    out
}

/// Lines of one column segment that share a baseline become one line.
fn merge_same_baseline(s: Vec<(u8, Line)>) -> Vec<(u8, Line)> {
    let mut out: Vec<(u8, Line)> = Vec::new();
    for (c, l) in s {
        if let Some((pc, pl)) = out.last_mut() {
            if *pc == c && (pl.y - l.y).abs() < 0.3 * l.size {
                let mut g = std::mem::take(&mut pl.glyphs);
                g.extend(l.glyphs);
                *pl = Line::from_glyphs(g);
                continue;
            }
        }
        out.push((c, l));
    }
    out
}

fn finish(lines: Vec<Line>, marker: Option<String>) -> PBlock {
    let right = lines.iter().map(|l| l.x1).fold(0.0, f32::max);
    let tl: Vec<TextLine> = lines
        .iter()
        .map(|l| TextLine {
            text: l.text(),
            x1: l.x1,
            size: l.size,
            space_after: l.space_after(),
        })
        .collect();
    let mut text = join_lines(&tl, right, " ");
    text = text.replace('\n', " ");
    let kind = match marker {
        Some(m) => {
            if let Some((_, rest)) = bullet_prefix(&text) {
                if text.trim_start().starts_with(m.as_str()) {
                    text = rest;
                }
            }
            PKind::ListItem(m)
        }
        None => PKind::Paragraph,
    };
    PBlock {
        kind,
        text,
        size: lines.first().map(|l| l.size).unwrap_or(0.0),
        top: lines.first().map(|l| l.top()).unwrap_or(0.0),
        bottom: lines.last().map(|l| l.bottom()).unwrap_or(0.0),
        lines: lines.len(),
    }
}
