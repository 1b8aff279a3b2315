//! Fixed-width tables in text (`pdftotext -layout`, printed reports): where they are and where
//! their columns start, found from the text alone.
//!
//! A column shows as a **gutter**: character positions that are blank on (nearly) every line of
//! a block while text starts right after them on several lines. This is the projection profile
//! that Tabula's stream mode and pdftotext itself use: count, for every position, the lines with
//! text there ([`Profile`]); a column starts where that count rises from (almost) nothing and
//! several lines start a run of text. Nothing depends on where the columns sit on the page, so
//! every page is measured on its own and tables continued over a page break are joined by their
//! content ([`map_columns`]), not by character position.
//!
//! A table is a block of lines with at least three columns: it starts at its first line whose
//! text runs in columns, whatever precedes it (a paragraph, a list item, a heading), and ends at
//! the first line that crosses its gutters as prose does.

/// A run of text on a line: start and end (exclusive) in characters, and the text.
#[derive(Debug, Clone)]
pub(super) struct Seg {
    pub start: usize,
    pub end: usize,
}

/// Runs of text separated by two or more spaces.
pub(super) fn segments(chars: &[char]) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut x = 0;
    let n = chars.len();
    while x < n {
        while x < n && chars[x].is_whitespace() {
            x += 1;
        }
        if x >= n {
            break;
        }
        let s = x;
        let mut e = x;
        while e < n {
            if chars[e].is_whitespace() && (e + 1 >= n || chars[e + 1].is_whitespace()) {
                break;
            }
            e += 1;
        }
        out.push(Seg { start: s, end: e });
        x = e;
    }
    out
}

/// A table found in the text: its lines (indices, inclusive) and the character positions where
/// its columns start (the first is the table's left edge).
#[derive(Debug, Clone)]
pub(super) struct Region {
    pub start: usize,
    pub end: usize,
    pub bounds: Vec<usize>,
}

/// One line as the layout analysis sees it.
pub(super) struct LineView<'a> {
    /// Characters of the line (tabs never occur: tab lines are not fixed-width text).
    pub chars: &'a [char],
    /// The line can be part of a fixed-width table (plain text, not a tab or pipe row).
    pub usable: bool,
    /// The line is blank (or page furniture).
    pub blank: bool,
    /// Page of the line, when the text has form feeds.
    pub page: Option<u32>,
}

/// Column starts of a block of lines from its projection profile: a position where several
/// lines start a run of text, and where the position before is blank on all lines but a few
/// (lines that cross, such as a heading spanning the table or two cells printed one space apart).
pub(super) fn column_bounds(lines: &[&[char]]) -> Vec<usize> {
    let width = lines.iter().map(|l| l.len()).max().unwrap_or(0);
    if width == 0 {
        return Vec::new();
    }
    let mut occ = vec![0usize; width + 1];
    let mut starts = vec![0usize; width + 1];
    let mut n = 0;
    let mut all_segs: Vec<Seg> = Vec::new();
    for l in lines {
        let segs = segments(l);
        if segs.is_empty() {
            continue;
        }
        n += 1;
        for (x, c) in l.iter().enumerate() {
            if !c.is_whitespace() {
                occ[x] += 1;
            }
        }
        for s in &segs {
            starts[s.start] += 1;
        }
        all_segs.extend(segs);
    }
    let tol = n / 10;
    let Some(left) = (0..width).find(|&x| occ[x] > 0) else {
        return Vec::new();
    };
    let mut bounds = vec![left];
    for x in left + 2..width {
        let last = *bounds.last().unwrap_or(&left);
        if occ[x] > 0
            && occ[x - 1] <= tol
            && starts[x] >= 2
            && x >= last + 3
            // A real column keeps text on a good share of the lines.
            && (x..width).take(40).map(|k| occ[k]).max().unwrap_or(0) * 5 >= n
        {
            bounds.push(x);
        }
    }
    // A column whose runs of text mostly run on into the next column is no column: a few lines
    // that pdftotext placed a little left of their column (glyph widths drift).
    loop {
        let weak = (1..bounds.len().saturating_sub(1)).find(|&k| {
            let (x, next) = (bounds[k], bounds[k + 1]);
            let near: Vec<&Seg> = all_segs
                .iter()
                .filter(|s| s.start + SLACK >= x && s.start < x + SLACK)
                .collect();
            let over = near.iter().filter(|s| s.end >= next).count();
            !near.is_empty() && over * 2 > near.len()
        });
        match weak {
            Some(k) => {
                bounds.remove(k);
            }
            None => break,
        }
    }
    bounds
}

/// How far left of column `k`'s start a line may print its text (pdftotext rounds glyph widths
/// to character cells, and lines drift): a quarter of the column before, at most six.
fn drift(bounds: &[usize], k: usize) -> usize {
    if k == 0 {
        return 0;
    }
    ((bounds[k] - bounds[k - 1]) / 4).min(6)
}

/// Where to cut a run of text that runs over the start `b` of a column: at the word boundary
/// on `b`, or the nearest one at most `drift` characters before it (two cells printed one space
/// apart, the second drifted left).
fn cut_near(chars: &[char], start: usize, b: usize, drift: usize) -> Option<usize> {
    (b.saturating_sub(drift).max(start + 1)..=b)
        .rev()
        .find(|&x| x < chars.len() && chars[x - 1] == ' ' && chars[x] != ' ')
}

/// Like [`fits`], but a run may cross a column start where it could be cut ([`cut_near`]).
fn fits_loosely(chars: &[char], bounds: &[usize]) -> bool {
    segments(chars).iter().all(|s| {
        let col = column_of(s.start, bounds);
        (col + 1..bounds.len())
            .filter(|&k| bounds[k] <= s.end)
            .all(|k| cut_near(chars, s.start, bounds[k], drift(bounds, k)).is_some())
    })
}

/// The column a run of text starting at `start` belongs to: the last column starting at or
/// before it (allowing [`SLACK`]), or the next one when the run starts just before it (pdftotext
/// places some lines a few characters left of their column).
fn column_of(start: usize, bounds: &[usize]) -> usize {
    let k = bounds
        .iter()
        .rposition(|&b| b <= start + SLACK)
        .unwrap_or(0);
    match bounds.get(k + 1) {
        Some(&next) if next > start => {
            let drift = ((next - bounds[k]) / 4).min(6);
            if next - start <= drift {
                k + 1
            } else {
                k
            }
        }
        _ => k,
    }
}

/// How far before a column's start a run of text may begin and still belong to the column
/// (header cells are often centred, numbers right-aligned).
const SLACK: usize = 2;

/// Does every run of text of the line sit inside one column, leaving the gutters blank?
pub(super) fn fits(chars: &[char], bounds: &[usize]) -> bool {
    segments(chars).iter().all(|s| {
        let col = column_of(s.start, bounds);
        bounds.get(col + 1).is_none_or(|&b| b > s.end)
    })
}

/// A line of one run of text that crosses column starts: a heading or note spanning the table.
pub(super) fn spans(chars: &[char], bounds: &[usize]) -> bool {
    let segs = segments(chars);
    segs.len() == 1 && !fits(chars, bounds)
}

/// Split a line into cells at the column starts. A run that crosses a column start at a space
/// (two cells printed one space apart) is split there; a word running over a column start stays
/// in the column where it began.
pub(super) fn cells(chars: &[char], bounds: &[usize]) -> Vec<String> {
    let mut out = vec![String::new(); bounds.len().max(1)];
    let mut last_col = 0;
    for s in segments(chars) {
        let mut from = s.start;
        let first = column_of(s.start, bounds);
        let mut cuts: Vec<usize> = bounds
            .iter()
            .enumerate()
            .skip(first + 1)
            .filter(|&(_, &b)| b < s.end)
            .filter_map(|(k, &b)| cut_near(chars, s.start, b, drift(bounds, k)))
            .collect();
        cuts.dedup();
        cuts.push(s.end);
        for to in cuts {
            let text: String = chars[from..to].iter().collect();
            let text = text.trim();
            if !text.is_empty() {
                let col = column_of(from, bounds).max(last_col).min(out.len() - 1);
                last_col = col;
                if !out[col].is_empty() {
                    out[col].push(' ');
                }
                out[col].push_str(text);
            }
            from = to;
        }
    }
    out
}

/// Lines with text in at least two columns (runs separated by two or more spaces).
fn multi(l: &LineView<'_>) -> bool {
    l.usable && !l.blank && segments(l.chars).len() >= 2
}

/// The fixed-width tables of a text, in order. Each page is analysed on its own.
pub(super) fn regions(lines: &[LineView<'_>]) -> Vec<Region> {
    /// Lines between two lines with columns that a table may hold (wrapped cells, blank lines).
    const MAX_GAP: usize = 40;
    let mut out = Vec::new();
    let n = lines.len();
    let mut i = 0;
    while i < n {
        if !multi(&lines[i]) {
            i += 1;
            continue;
        }
        // A cluster of lines with columns, on one page, with only usable lines between.
        let page = lines[i].page;
        let first = i;
        let mut last = i;
        let mut j = i + 1;
        while j < n && j <= last + MAX_GAP {
            let l = &lines[j];
            if !l.usable || l.page != page {
                break;
            }
            if multi(l) {
                last = j;
            }
            j += 1;
        }
        match region(lines, first, last) {
            Ok(r) => {
                i = r.end + 1;
                out.push(r);
            }
            Err(resume) => i = resume.max(first + 1),
        }
    }
    out
}

/// The table in the cluster of lines `first..=last`, if it has at least three columns; else
/// where to look again.
fn region(lines: &[LineView<'_>], first: usize, last: usize) -> Result<Region, usize> {
    region_in(lines, first, last).ok_or(last + 1)
}

fn region_in(lines: &[LineView<'_>], first: usize, last: usize) -> Option<Region> {
    let multis = (first..=last).filter(|&k| multi(&lines[k])).count();
    if multis < 2 {
        return None;
    }
    // Columns from the lines that are clearly tabular (text in three columns or more), then
    // again from every line that fits them: prose or a list item caught in the block does not
    // fill the gutters, and columns that are often empty still show.
    let strong: Vec<&[char]> = (first..=last)
        .filter(|&k| lines[k].usable && segments(lines[k].chars).len() >= 3)
        .map(|k| lines[k].chars)
        .collect();
    let seed: Vec<&[char]> = if strong.len() >= 2 {
        strong
    } else {
        (first..=last)
            .filter(|&k| multi(&lines[k]))
            .map(|k| lines[k].chars)
            .collect()
    };
    let bounds = column_bounds(&seed);
    if bounds.len() < 3 {
        return None;
    }
    let fitting: Vec<&[char]> = (first..=last)
        .filter(|&k| !lines[k].blank && fits(lines[k].chars, &bounds))
        .map(|k| lines[k].chars)
        .collect();
    let bounds = column_bounds(&fitting);
    if bounds.len() < 3 {
        return None;
    }
    if std::env::var_os("CARERS_DEBUG_LAYOUT").is_some() {
        eprintln!("cluster {first}..={last} bounds {bounds:?}");
    }
    // The table starts at its first line that fits the columns and has text in two of them.
    let mut start = first;
    while start <= last && !(multi(&lines[start]) && fits(lines[start].chars, &bounds)) {
        start += 1;
    }
    // It ends at its last line that fits (two cells printed one space apart allowed); then
    // takes following lines that fit a column (wrapped cells of the last row), across at most
    // two blank lines.
    let mut end = last;
    while end > start && !(multi(&lines[end]) && fits_loosely(lines[end].chars, &bounds)) {
        end -= 1;
    }
    if end <= start {
        return None;
    }
    let page = lines[start].page;
    let mut k = end + 1;
    let mut blanks = 0;
    while k < lines.len() && lines[k].usable && lines[k].page == page {
        if lines[k].blank {
            blanks += 1;
            if blanks > 2 {
                break;
            }
        } else if fits(lines[k].chars, &bounds) && indented_or_short(lines[k].chars, &bounds) {
            blanks = 0;
            end = k;
        } else {
            break;
        }
        k += 1;
    }
    // Prose inside the cluster (a paragraph of lines crossing the columns) ends the table; a
    // line or three crossing them (a heading or note spanning the table) stays in it.
    let mut run = 0;
    let mut run_start = start;
    for k in start..=end {
        let l = &lines[k];
        if l.blank {
            continue;
        }
        if fits(l.chars, &bounds) || (multi(l) && fits_loosely(l.chars, &bounds)) {
            run = 0;
            continue;
        }
        if run == 0 {
            run_start = k;
        }
        run += 1;
        if run >= 4 {
            let mut cut = run_start - 1;
            while cut > start && lines[cut].blank {
                cut -= 1;
            }
            end = cut;
            break;
        }
    }
    if end <= start || (start..=end).filter(|&q| multi(&lines[q])).count() < 2 {
        return None;
    }
    let columns_used = (start..=end)
        .filter(|&k| multi(&lines[k]))
        .map(|k| cells(lines[k].chars, &bounds))
        .fold(vec![false; bounds.len()], |mut acc, cs| {
            for (a, c) in acc.iter_mut().zip(cs) {
                *a |= !c.is_empty();
            }
            acc
        });
    if columns_used.iter().filter(|&&u| u).count() < 3 {
        return None;
    }
    Some(Region { start, end, bounds })
}

/// A line after the table's last row that continues a cell: it does not start at the table's
/// left edge, or it is no longer than the first column is wide.
fn indented_or_short(chars: &[char], bounds: &[usize]) -> bool {
    let Some(s) = segments(chars).first().map(|s| (s.start, s.end)) else {
        return false;
    };
    s.0 > bounds[0] + 1 || bounds.get(1).is_some_and(|&b| s.1 < b)
}

/// The shift that lays the columns `canon` over a part of the same table printed elsewhere
/// (another page): the offset that makes most of the part's own column starts meet `canon`'s,
/// if every line of the part then fits the shifted columns but a few. Pages place a table at
/// different positions, and a page holding a few rows of it may not show every column.
pub(super) fn shift_onto(canon: &[usize], own: &[usize], lines: &[&[char]]) -> Option<Vec<usize>> {
    let mut best: Option<(usize, i64)> = None;
    for &a in own {
        for &b in canon {
            let d = a as i64 - b as i64;
            let hits = own
                .iter()
                .filter(|&&x| {
                    canon
                        .iter()
                        .any(|&c| (c as i64 + d - x as i64).abs() <= SLACK as i64)
                })
                .count();
            if best.is_none_or(|(h, bd)| hits > h || (hits == h && d.abs() < bd.abs())) {
                best = Some((hits, d));
            }
        }
    }
    let (hits, d) = best?;
    if hits * 2 < own.len() {
        return None;
    }
    let shifted: Vec<usize> = canon
        .iter()
        .map(|&c| (c as i64 + d).max(0) as usize)
        .collect();
    let body: Vec<&&[char]> = lines.iter().filter(|l| !segments(l).is_empty()).collect();
    let strict = body.iter().filter(|l| fits(l, &shifted)).count();
    let loose = body
        .iter()
        .filter(|l| fits(l, &shifted) || segments(l).len() >= 2 && fits_loosely(l, &shifted))
        .count();
    (strict * 10 >= body.len() * 6 && loose * 10 >= body.len() * 9).then_some(shifted)
}

/// Do two first rows print the same header: at least two cells, and most of the words of one in
/// the other?
pub(super) fn same_header(a: &[String], b: &[String]) -> bool {
    let words = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .flat_map(|c| c.split(|ch: char| !ch.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let filled = |cells: &[String]| cells.iter().filter(|c| !c.trim().is_empty()).count();
    let (wa, wb) = (words(a), words(b));
    if filled(a) < 2 || filled(b) < 2 || wa.is_empty() || wb.is_empty() {
        return false;
    }
    let common = wb.iter().filter(|w| wa.contains(w)).count();
    common * 4 >= wa.len().max(wb.len()) * 3
}

/// One part of a table (the lines of one page): its column starts, its width in characters and
/// the texts of its first row (the header, when the page repeats it).
pub(super) struct Part<'a> {
    pub bounds: &'a [usize],
    pub width: usize,
    pub first_row: &'a [String],
}

/// Map the columns of a table continued on a new page (`next`) to those of the part before
/// (`prev`), by content: the words of a repeated header, and the position of each column relative
/// to its own part's left edge (never the absolute position: pages place a table differently). The mapping keeps the order of the columns. Returns, for each column of `next`,
/// the column of `prev` it continues.
pub(super) fn map_columns(prev: &Part<'_>, next: &Part<'_>) -> Vec<usize> {
    // Positions from each part's left edge: pages shift a table and the last columns of a part
    // may be empty, but the columns keep roughly their widths.
    let rel = |p: &Part<'_>| -> Vec<(f64, f64)> {
        let left = p.bounds[0] as f64;
        p.bounds
            .iter()
            .enumerate()
            .map(|(k, &b)| {
                let e = p.bounds.get(k + 1).map_or(p.width.max(b + 1), |&x| x);
                (b as f64 - left, e as f64 - left)
            })
            .collect()
    };
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (p, q) = (rel(prev), rel(next));
    let (pn, qn) = (p.len(), q.len());
    let score = |j: usize, i: usize| -> f64 {
        let (a, b) = q[j];
        let overlap = (b.min(p[i].1) - a.max(p[i].0)).max(0.0) / (b - a).max(1e-6);
        let wa = words(next.first_row.get(j).map_or("", String::as_str));
        let wb = words(prev.first_row.get(i).map_or("", String::as_str));
        let same = if wa.is_empty() || wb.is_empty() {
            0.0
        } else {
            let common = wa.iter().filter(|w| wb.contains(w)).count() as f64;
            common / wa.len().max(wb.len()) as f64
        };
        overlap + 2.0 * same
    };
    // best[j][i]: best total for next columns 0..=j with column j mapped to prev column i, the
    // mapping never going left; two columns share one only when `next` has more columns.
    let strict = qn <= pn;
    let mut best = vec![vec![f64::NEG_INFINITY; pn]; qn];
    let mut from = vec![vec![0usize; pn]; qn];
    for j in 0..qn {
        let mut run = (f64::NEG_INFINITY, 0usize);
        for i in 0..pn {
            let base = if j == 0 {
                0.0
            } else {
                if strict {
                    // Columns before i only.
                    if i > 0 && best[j - 1][i - 1] > run.0 {
                        run = (best[j - 1][i - 1], i - 1);
                    }
                } else if best[j - 1][i] > run.0 {
                    run = (best[j - 1][i], i);
                }
                run.0
            };
            best[j][i] = base + score(j, i);
            from[j][i] = run.1;
        }
    }
    let mut out = vec![0; qn];
    if qn == 0 || pn == 0 {
        return out;
    }
    let mut i = (0..pn)
        .max_by(|&x, &y| best[qn - 1][x].total_cmp(&best[qn - 1][y]))
        .unwrap_or(0);
    for j in (0..qn).rev() {
        out[j] = i;
        i = from[j][i];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn gutters_of_a_block() {
        let text = [
            " Ref   Action                          Lead            By when",
            " 1     Extend the sitting service to   Home Support    April 2026",
            "       weekends.",
            " 2     Pilot an online booking page    Digital Team    July 2026",
        ];
        let ls: Vec<Vec<char>> = text.iter().map(|t| chars(t)).collect();
        let refs: Vec<&[char]> = ls.iter().map(|l| l.as_slice()).collect();
        assert_eq!(column_bounds(&refs), vec![1, 7, 39, 55]);
        assert_eq!(
            cells(&ls[1], &[1, 7, 39, 55]),
            vec![
                "1",
                "Extend the sitting service to",
                "Home Support",
                "April 2026"
            ]
        );
    }

    #[test]
    fn cells_printed_one_space_apart_are_split_at_the_column() {
        let bounds = [0, 10, 24];
        assert_eq!(
            cells(&chars("Promote   smoking. Work cigarettes"), &bounds),
            vec!["Promote", "smoking. Work", "cigarettes"]
        );
        // A word that starts a character or two before a column start (glyph widths drift)
        // belongs to that column.
        assert_eq!(
            cells(&chars("Promote   smoking. Work cigarettes"), &[0, 10, 20]),
            vec!["Promote", "smoking.", "Work cigarettes"]
        );
        // A word running over a column start stays where it began.
        assert_eq!(
            cells(&chars("Promote   Commissioning team"), &[0, 10, 20]),
            vec!["Promote", "Commissioning team", ""]
        );
    }

    #[test]
    fn columns_map_by_header_words_and_relative_position() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let part = |b: &'static [usize], w: usize, r: &'static [String]| Part {
            bounds: b,
            width: w,
            first_row: r,
        };
        let none: &'static [String] = &[];
        assert_eq!(
            map_columns(&part(&[0, 10, 20], 30, none), &part(&[4, 14, 24], 34, none)),
            vec![0, 1, 2]
        );
        assert_eq!(
            map_columns(
                &part(&[0, 10, 20, 30], 40, none),
                &part(&[0, 20, 30], 40, none)
            ),
            vec![0, 2, 3]
        );
        // Column widths differ between the pages: the repeated header decides.
        let prev_h: &'static [String] = Box::leak(
            h(&[
                "",
                "Action",
                "Lead",
                "By when?",
                "How will we know",
                "X Reference",
            ])
            .into_boxed_slice(),
        );
        let next_h: &'static [String] = Box::leak(
            h(&[
                "",
                "Action",
                "Lead",
                "By when?",
                "How will we know when we get there? X Reference",
            ])
            .into_boxed_slice(),
        );
        assert_eq!(
            map_columns(
                &part(&[0, 5, 42, 60, 77, 102], 115, prev_h),
                &part(&[0, 5, 60, 80, 93], 140, next_h)
            ),
            vec![0, 1, 2, 3, 4]
        );
    }
}
