//! Row segmentation: which physical lines of a table start a logical row, and which continue the
//! row above.
//!
//! Text extracted from PDF or Word files prints a table row over several physical lines whenever
//! a cell wraps; page breaks split rows; some extractions keep blank lines between rows, others
//! do not. No single property of a line tells whether it starts a row, so [`segment`] weighs all
//! the evidence the table gives:
//!
//! * a **marker** (row number of any length, with or without dots, a code such as `A1` or
//!   `3.2.1`, a bullet in a column of its own) when the table numbers its rows; lines without one
//!   then continue the row above, unless the numbering shows that a row lost its number;
//! * a **new value in the first column** when that column labels rows (it is empty on the lines
//!   that continue them), and an empty first column as the opposite;
//! * **blank lines**, when the table separates its rows by them;
//! * a cell that **re-enters**: text in a column that was empty on the line above although the
//!   row already had text there (cells are printed as one block each, so a second block is the
//!   next row's), or that appears late;
//! * the **join** of a cell with the line above: a cell that ends on a dangling word (`and`,
//!   `of`, a comma or a hyphen) or a cell that starts in lower case continues; a cell that ends a
//!   sentence followed by one that starts with a capital hints at a new row;
//! * the table's own habits: in a table whose cells wrap a lot, a line with no evidence either
//!   way continues the row above; in a table whose lines are mostly rows, it starts one.
//!
//! The input is plain cell texts and a few flags ([`Line`]), so any reader's rows can be
//! segmented: text tables (tab-separated and fixed-width), line-based PDF tables, HTML or Word
//! tables whose rows were split by their producer.

use std::sync::LazyLock;

use regex::Regex;

/// One physical line of a table, as far as row segmentation needs to know it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Line<'a> {
    /// Cell texts, fitted to the table's columns (empty strings for empty cells).
    pub cells: &'a [String],
    /// The row marker printed on the line (see [`is_marker`] and [`leading_marker`]), if any.
    pub marker: Option<&'a str>,
    /// A visible vertical gap (a blank line) separates this line from the one above.
    pub gap_before: bool,
    /// This line is the first of the table on a new page.
    pub page_break_before: bool,
    /// The reader knows this line continues the row above.
    pub continues: bool,
    /// The caller knows this line starts a row (first line after a section row).
    pub starts: bool,
}

/// What the columns of the table hold, as far as segmentation uses it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Roles {
    /// The column of row numbers / codes, if the table has one.
    pub marker: Option<usize>,
    /// The column holding the action (the row's main text).
    pub action: Option<usize>,
    /// The column of deadlines.
    pub due: Option<usize>,
}

/// Words that cannot end a complete cell: a line ending on one was wrapped.
const DANGLING: &[&str] = &[
    "and",
    "or",
    "of",
    "the",
    "to",
    "for",
    "with",
    "in",
    "on",
    "a",
    "an",
    "between",
    "by",
    "from",
    "that",
    "which",
    "their",
    "its",
    "is",
    "are",
    "be",
    "as",
    "at",
    "into",
    "through",
    "will",
    "who",
    "our",
    "&",
    "including",
    "such",
    "than",
    "via",
    "per",
    "this",
    "these",
    "those",
    "all",
];

/// Does the text end on a word or sign that cannot end a cell (`and`, `of`, `,`, `-`, `/`)?
pub fn ends_dangling(text: &str) -> bool {
    let t = text.trim_end();
    if t.ends_with(['-', ',', '/', '(', '&', '+']) {
        return true;
    }
    t.rsplit(|c: char| c.is_whitespace())
        .next()
        .is_some_and(|w| DANGLING.contains(&w.to_lowercase().as_str()))
}

/// Does the text end a sentence (`.`, `!`, `?`, `;`, `:` or a closing bracket after one)?
pub fn ends_sentence(text: &str) -> bool {
    let t = text
        .trim_end()
        .trim_end_matches(['"', '\'', '’', '”', ')', ']']);
    t.ends_with(['.', '!', '?', ';', ':'])
}

/// Does the text start with a lower-case letter?
pub fn starts_lower(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Does the text start with a bullet glyph?
pub fn starts_bullet(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(|c| crate::normalise::text::BULLET_GLYPHS.contains(c))
}

/// Does the text start the way a new cell starts: a capital, a digit, a bullet or a quote?
pub fn starts_upper(text: &str) -> bool {
    text.trim_start().chars().next().is_some_and(|c| {
        c.is_uppercase()
            || c.is_ascii_digit()
            || crate::normalise::text::BULLET_GLYPHS.contains(c)
            || "\"'‘“([".contains(c)
    })
}

static CODE: &str = r"(?:\(?\d+(?:\.\d+)*[a-z]?[.)]?|[A-Z]{1,4}[\-.]?\d+(?:\.\d+)*[a-z]?|[A-Za-z]{2,8}-\d+(?:\.\d+)*|\(?[ivx]{1,5}[.)]?|\(?[a-z][.)]?|\(?[A-Z][.)])";

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:{CODE}(?:\s*(?:,|&|/|and)\s*{CODE})*[,;]?|[{}]+)$",
        crate::normalise::text::BULLET_GLYPHS
    ))
    .unwrap()
});

static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,4}[.)]?|\d{5,}[.)]|[A-Z]{1,3}\d{1,3}(?:\.\d{1,3})*)(\s*[\-–—:]\s+|\s+)(<|["'‘“(\[]?\p{Lu})"#,
    )
    .unwrap()
});

/// A label and code in front of a cell's text, set off by a colon or dash ("Action All-1.1:
/// Adhere to ...", "Measure 3.2 - Review ..."): the code is the row's reference.
static LABELLED_LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^[A-Z][a-z]{2,15}\s+((?:[A-Za-z]{1,8}[\-–.])?\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?)\s*[:\-–—]\s+(\p{Lu}|["'‘“(\[])"#,
    )
    .unwrap()
});

/// Is the whole cell a row marker: a number of any length with or without dots (`12`, `3.`,
/// `2.4.1`, `1000`), a code (`A1`, `All-1.2`, `(ii)`, `b)`), a list of them (`1, 2`), or bullets?
pub fn is_marker(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().count() <= 40 && MARKER.is_match(t)
}

/// Is the whole cell one row number or code (a marker that is neither a list nor a bullet)?
pub fn is_code(text: &str) -> bool {
    static ONE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!("^{CODE}$")).unwrap());
    let t = text.trim();
    !t.is_empty() && t.chars().count() <= 20 && ONE.is_match(t)
}

/// A marker printed at the start of a cell (`3.1 Carers get ...`, `12. Review ...`,
/// `1 - Integrated services`): the marker (without its trailing dot) and the text after it. The
/// text must start with a capital, so that "10 carers trained" stays a sentence.
pub fn leading_marker(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    if let Some(c) = LABELLED_LEADING.captures(t) {
        let code = c.get(1)?.as_str().to_string();
        let rest_start = c.get(2)?.start();
        return Some((code, t[rest_start..].trim().to_string()));
    }
    let c = LEADING.captures(t)?;
    let m = c.get(1)?;
    let marker = m.as_str().trim_end_matches(['.', ')']);
    // Plain four-digit numbers are years ("2011 Review ...") unless punctuated as a number.
    if marker.len() == 4
        && marker.chars().all(|ch| ch.is_ascii_digit())
        && (marker.starts_with("19") || marker.starts_with("20"))
        && !m.as_str().ends_with(['.', ')'])
    {
        return None;
    }
    let rest_start = c.get(3)?.start();
    Some((marker.to_string(), t[rest_start..].trim().to_string()))
}

/// A heading or outcome without the outline number printed in front of it ("3.2 Carers stay
/// in work" -> "Carers stay in work"): the number places the text in the document's outline,
/// it is not part of its name. Only numbers ("3", "3.", "3.2", "3.2.1") are taken off.
pub fn without_outline_number(text: &str) -> &str {
    let t = text.trim_start();
    match leading_marker(t) {
        Some((marker, _)) if marker.chars().all(|c| c.is_ascii_digit() || c == '.') => {
            let c = LEADING.captures(t);
            c.and_then(|c| c.get(3)).map_or(t, |m| &t[m.start()..])
        }
        _ => t,
    }
}

/// A marker as a position in a numbering: its prefix and last number ("3.2" -> ("3.", 2),
/// "A12" -> ("A", 12), "7" -> ("", 7)).
pub fn ordinal(marker: &str) -> Option<(String, u64)> {
    let t = marker.trim().trim_end_matches(['.', ')']);
    let t = t.trim_start_matches('(');
    let digits = t
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let n = t[digits..].parse().ok()?;
    Some((t[..digits].to_string(), n))
}

/// How many rows the numbering says lie between two markers (0 when unknown or consecutive).
/// A numbering that starts again (`8` then `3`) counts from its start.
fn missing_between(a: &str, b: &str) -> u64 {
    match (ordinal(a), ordinal(b)) {
        (Some((pa, na)), Some((pb, nb))) if pa == pb && nb > na + 1 => (nb - na - 1).min(20),
        (Some((pa, na)), Some((pb, nb))) if pa == pb && nb <= na => nb.saturating_sub(1).min(20),
        _ => 0,
    }
}

/// What the whole table says about its lines.
struct Habits {
    /// Most row starts carry a marker.
    numbered: bool,
    /// Cells wrap: many lines continue a cell of the line above mid-sentence.
    wrapped: bool,
    /// The leftmost text column, and whether it labels rows (filled on few lines).
    first: Option<usize>,
    first_labels: bool,
    /// Blank lines separate rows often enough to count as evidence.
    gaps_separate: bool,
}

fn filled(l: &Line<'_>, c: usize) -> bool {
    l.cells.get(c).is_some_and(|t| !t.trim().is_empty())
}

fn blank(l: &Line<'_>) -> bool {
    l.cells.iter().all(|c| c.trim().is_empty())
}

fn habits(lines: &[Line<'_>], roles: &Roles) -> Habits {
    let width = lines.iter().map(|l| l.cells.len()).max().unwrap_or(0);
    let body: Vec<&Line<'_>> = lines.iter().filter(|l| !blank(l)).collect();
    let n = body.len().max(1);
    let marked = body.iter().filter(|l| l.marker.is_some()).count();
    // Lines that continue the row above: the main cell continues mid-sentence, or is empty while
    // other cells go on.
    let main = roles.action.or(first_text_column(&body, width, roles));
    let mut wraps = 0;
    for w in body.windows(2) {
        let (p, l) = (w[0], w[1]);
        let wrap = match main {
            Some(a) if filled(l, a) => {
                filled(p, a) && (starts_lower(&l.cells[a]) || ends_dangling(&p.cells[a]))
            }
            Some(_) => true,
            None => false,
        };
        if wrap {
            wraps += 1;
        }
    }
    let first = first_text_column(&body, width, roles);
    let first_filled = first.map_or(0, |f| body.iter().filter(|l| filled(l, f)).count());
    let gaps = body.iter().skip(1).filter(|l| l.gap_before).count();
    Habits {
        numbered: marked >= 2 && marked * 10 >= n,
        wrapped: body.len() >= 2 && wraps * 100 >= (body.len() - 1) * 15,
        first,
        first_labels: first_filled >= 2 && first_filled * 4 <= n * 3,
        gaps_separate: gaps * 100 >= n * 6,
    }
}

/// The leftmost column with text that is not the marker column.
fn first_text_column(body: &[&Line<'_>], width: usize, roles: &Roles) -> Option<usize> {
    (0..width).find(|&c| Some(c) != roles.marker && body.iter().any(|l| filled(l, c)))
}

/// Per-column state of the row being built.
#[derive(Clone, Default)]
struct Col {
    /// The row has text in this column.
    has: bool,
    /// Index of the last line of the row with text here.
    last: usize,
    /// Text of that line.
    text: String,
    /// A page break came after that line.
    broken: bool,
    /// The row's text here is a list (a line of it starts with a bullet).
    list: bool,
}

/// For every line, whether it starts a logical row. Blank lines never start one; the first
/// non-blank line always does.
pub fn segment(lines: &[Line<'_>], roles: &Roles) -> Vec<bool> {
    segment_scored(lines, roles)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// [`segment`] with the weight of evidence for each line (positive: a new row).
pub fn segment_scored(lines: &[Line<'_>], roles: &Roles) -> Vec<(bool, f64)> {
    let n = lines.len();
    let mut out = vec![(false, 0.0); n];
    let h = habits(lines, roles);
    let width = lines.iter().map(|l| l.cells.len()).max().unwrap_or(0);
    // The next marked line after each line (one backward pass).
    let mut next_marker: Vec<Option<usize>> = vec![None; n];
    let mut after = None;
    for i in (0..n).rev() {
        next_marker[i] = after;
        if lines[i].marker.is_some() {
            after = Some(i);
        }
    }
    let mut cols: Vec<Col> = vec![Col::default(); width];
    let mut in_row = false;
    let mut last_marker: Option<&str> = None;
    let mut unnumbered_since = 0u64;
    let mut prev: Option<usize> = None;
    let mut first_fill = 0;
    for i in 0..n {
        let l = &lines[i];
        if blank(l) {
            continue;
        }
        let (start, score) = if !in_row || l.starts {
            (true, f64::INFINITY)
        } else if l.continues {
            (false, f64::NEG_INFINITY)
        } else {
            let s = score(l, first_fill, prev, &cols, &h, roles, || {
                // Rows the numbering says lost their number, not yet seen.
                match (last_marker, next_marker[i].and_then(|j| lines[j].marker)) {
                    (Some(a), Some(b)) => missing_between(a, b).saturating_sub(unnumbered_since),
                    // Rows before the first printed number: "3" first means two rows lost theirs.
                    (None, Some(b)) => ordinal(b)
                        .map_or(0, |(_, n)| n.saturating_sub(1).min(20))
                        .saturating_sub(unnumbered_since),
                    _ => 0,
                }
            });
            (s > 0.0, s)
        };
        out[i] = (start, score);
        if l.page_break_before {
            for c in cols.iter_mut() {
                c.broken = true;
            }
        }
        if start {
            for c in cols.iter_mut() {
                *c = Col::default();
            }
            in_row = true;
            first_fill = l.cells.iter().filter(|c| !c.trim().is_empty()).count();
            match l.marker {
                Some(m) => {
                    last_marker = Some(m);
                    unnumbered_since = 0;
                }
                None => unnumbered_since += 1,
            }
        }
        for (c, col) in cols.iter_mut().enumerate() {
            if filled(l, c) {
                let t = l.cells[c].trim();
                *col = Col {
                    has: true,
                    last: i,
                    text: t.to_string(),
                    broken: false,
                    list: col.list || starts_bullet(t),
                };
            }
        }
        prev = Some(i);
    }
    out
}

fn is_date(t: &str) -> bool {
    crate::normalise::due::parse(t).date.is_some()
}

#[allow(clippy::too_many_arguments)]
fn score(
    l: &Line<'_>,
    first_fill: usize,
    prev: Option<usize>,
    cols: &[Col],
    h: &Habits,
    roles: &Roles,
    missing: impl Fn() -> u64,
) -> f64 {
    let mut s = if h.wrapped { -0.5 } else { 0.5 };
    let adjacent = |c: usize| cols.get(c).is_some_and(|k| k.has && Some(k.last) == prev);
    let action = roles
        .action
        .and_then(|a| l.cells.get(a))
        .map_or("", |t| t.trim());
    let n_filled = l.cells.iter().filter(|c| !c.trim().is_empty()).count();
    // Markers.
    if h.numbered {
        if l.marker.is_some() {
            s += 4.0;
        } else {
            s -= if h.wrapped { 2.5 } else { 1.5 };
            // The numbering skips: rows lost their numbers (an extraction artefact).
            if missing() > 0 && !action.is_empty() && (!starts_lower(action) || n_filled >= 2) {
                s += 3.5;
            }
        }
    } else if l.marker.is_some() {
        s += 2.0;
    }
    // The first column.
    if let Some(f) = h.first {
        if !filled(l, f) {
            s -= if h.first_labels && h.wrapped {
                2.0
            } else if h.first_labels || h.wrapped {
                1.0
            } else {
                0.5
            };
        } else if h.first_labels && !adjacent(f) {
            s += if h.wrapped { 1.0 } else { 0.5 };
        }
    }
    // Blank lines.
    if l.gap_before {
        s += if h.gaps_separate { 1.5 } else { 0.3 };
    }
    // Each cell against the row so far.
    let mut cells = 0.0f64;
    for (c, t) in l.cells.iter().enumerate() {
        let t = t.trim();
        if t.is_empty() || Some(c) == roles.marker {
            continue;
        }
        let Some(col) = cols.get(c) else { continue };
        // The action cell says most: other cells may start in lower case or with a fragment.
        let w = if Some(c) == roles.action { 1.0 } else { 0.5 };
        if !col.has {
            // Cells start on a row's first line; text appearing late is the next row's.
            cells += 0.6;
        } else if ends_dangling(&col.text) {
            cells -= 2.0 * w;
        } else if !adjacent(c) && !col.broken && !l.page_break_before {
            // Text again after blank lines in this column: the next row's cell, unless the cell
            // is a list going on or the text goes on in lower case.
            if starts_lower(t) {
                cells -= 0.6 * w;
            } else if !(col.list && starts_bullet(t)) {
                cells += 1.2;
            }
        } else if starts_lower(t) {
            cells -= 1.2 * w;
        } else if ends_sentence(&col.text) && starts_upper(t) {
            cells += 0.4 * w;
        } else if Some(c) == roles.due && is_date(&col.text) && is_date(t) {
            // Two complete deadlines, one under the other: two rows.
            cells += 0.8;
        }
    }
    // A line filling half the cells the row's first line filled, or fewer: shaped like a cell
    // that goes on (a list inside the cell, a wrapped line), not like a row.
    if first_fill >= 3 && n_filled * 2 <= first_fill {
        cells -= 0.8;
    }
    // An item of a list that the row's main cell already holds.
    if starts_bullet(action)
        && roles
            .action
            .and_then(|a| cols.get(a))
            .is_some_and(|k| k.has && (starts_bullet(&k.text) || k.text.ends_with(':')))
    {
        cells -= 0.6;
    }
    // A line as full as the row's first line, starting a new action: shaped like a row.
    if !action.is_empty()
        && starts_upper(action)
        && first_fill >= 2
        && n_filled >= first_fill
        && !roles
            .action
            .and_then(|a| cols.get(a))
            .is_some_and(|k| k.has && ends_dangling(&k.text))
    {
        cells += 1.2;
    }
    s += cells.clamp(-3.0, 3.0);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    /// Segment rows given as cell texts; markers are read from column `marker` or the first cell.
    fn seg(rows: &[&[&str]], roles: Roles) -> Vec<bool> {
        let cells = lines(rows);
        let markers: Vec<Option<String>> = cells
            .iter()
            .map(|c| match roles.marker {
                Some(m) => c.get(m).filter(|t| is_marker(t)).cloned(),
                None => c.first().and_then(|t| leading_marker(t)).map(|(m, _)| m),
            })
            .collect();
        let ls: Vec<Line<'_>> = cells
            .iter()
            .zip(&markers)
            .map(|(c, m)| Line {
                cells: c,
                marker: m.as_deref(),
                ..Line::default()
            })
            .collect();
        segment(&ls, &roles)
    }

    #[test]
    fn markers_of_any_length() {
        for m in [
            "1", "12", "1000", "10000", "3.", "3.1", "2.4.1", "A1", "B12", "(ii)", "b)", "1, 2",
            "2,", "1,3", "•", "All-1.2",
        ] {
            assert!(is_marker(m), "{m}");
        }
        for m in ["Lead", "March 2026", "10 carers", "Ongoing", ""] {
            assert!(!is_marker(m), "{m}");
        }
        assert_eq!(
            leading_marker("3.1 Carers get breaks"),
            Some(("3.1".into(), "Carers get breaks".into()))
        );
        assert_eq!(
            leading_marker("12. Review the plan"),
            Some(("12".into(), "Review the plan".into()))
        );
        assert_eq!(
            leading_marker("1 - Integrated stop smoking"),
            Some(("1".into(), "Integrated stop smoking".into()))
        );
        assert_eq!(leading_marker("10 carers trained"), None);
        assert_eq!(leading_marker("2011 Review of services"), None);
        assert_eq!(ordinal("3.12"), Some(("3.".into(), 12)));
        assert_eq!(ordinal("10000"), Some(("".into(), 10000)));
    }

    #[test]
    fn outline_numbers_come_off_names() {
        assert_eq!(
            without_outline_number("3.2 Carers stay in work"),
            "Carers stay in work"
        );
        assert_eq!(without_outline_number("4. Young carers"), "Young carers");
        assert_eq!(
            without_outline_number("10 carers trained"),
            "10 carers trained"
        );
        assert_eq!(without_outline_number("A1 Housing"), "A1 Housing");
        assert_eq!(without_outline_number("Carers first"), "Carers first");
    }

    #[test]
    fn numbered_rows_start_at_their_numbers_whatever_the_text() {
        let roles = Roles {
            marker: Some(0),
            action: Some(1),
            due: Some(3),
        };
        let got = seg(
            &[
                &["1", "Publish a directory", "Carers Hub", "2026"],
                &["", "Nurses will refer pupils", "", ""],
                &["2", "continue the pledge", "Economic Development", "2027"],
                &["3", "", "Carers Hub", "2026"],
                &["", "and more", "", ""],
            ],
            roles,
        );
        assert_eq!(got, [true, false, true, true, false]);
    }

    #[test]
    fn rows_whose_numbers_were_lost_still_count() {
        let roles = Roles {
            marker: Some(0),
            action: Some(1),
            due: Some(3),
        };
        let got = seg(
            &[
                &["1", "Run a forum", "Carers Centre", "2026"],
                &["", "Train staff", "HR", "2027"],
                &["3", "Publish a guide", "Comms", "2026"],
                &["", "in three languages", "", ""],
            ],
            roles,
        );
        assert_eq!(got, [true, true, true, false]);
    }

    #[test]
    fn a_labelling_first_column_marks_the_rows() {
        let roles = Roles {
            marker: None,
            action: Some(1),
            due: None,
        };
        let got = seg(
            &[
                &[
                    "Young carers",
                    "Train school nurses to spot young",
                    "School Nursing",
                    "More young carers",
                ],
                &["", "carers.", "Service", "referred by schools"],
                &["", "Nurses will refer pupils to the Young", "", ""],
                &["", "Carers Hub.", "", ""],
                &[
                    "Hospital",
                    "• Give ward staff a carer prompt",
                    "Acute Trust",
                    "Carers named on",
                ],
                &["discharge", "  card", "", "discharge plans"],
                &["", "• Tell carers about the discharge", "Discharge Hub", ""],
                &["", "  lounge", "", ""],
                &[
                    "Money advice",
                    "Hold benefit checks at four libraries.",
                    "Welfare Rights",
                    "Number of checks",
                ],
                &[
                    "",
                    "Book slots through the council contact",
                    "Team",
                    "completed",
                ],
                &["", "centre.", "", ""],
            ],
            roles,
        );
        let starts: Vec<usize> = got
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(starts, [0, 4, 8]);
    }

    #[test]
    fn unnumbered_wrapped_rows_start_where_cells_start_again() {
        let roles = Roles {
            marker: None,
            action: Some(0),
            due: Some(2),
        };
        let got = seg(
            &[
                &[
                    "Review all services in receipt of the grant. This includes",
                    "AD Integrated",
                    "March",
                    "Revised service models",
                    "SO1",
                ],
                &[
                    "internal and external grants and contracts.",
                    "Commissioning",
                    "2026",
                    "by Sept 24",
                    "",
                ],
                &["", "", "", "Key decisions taken by July 2025", ""],
                &[
                    "Support opportunities and maximise impact through",
                    "DPH /",
                    "March",
                    "Cross cutting themes reflected",
                    "SO3",
                ],
                &[
                    "better supporting cross cutting themes.",
                    "PH Consultant",
                    "2026",
                    "in specifications",
                    "",
                ],
                &[
                    "Support and enhance our prevention offer.",
                    "PH Consultant",
                    "March",
                    "New models to include",
                    "SO3, SO5",
                ],
                &["", "", "2026", "measure improvements", ""],
            ],
            roles,
        );
        assert_eq!(got, [true, false, false, true, false, true, false]);
    }

    #[test]
    fn one_line_rows_stay_rows() {
        let roles = Roles {
            marker: None,
            action: Some(0),
            due: Some(2),
        };
        let got = seg(
            &[
                &[
                    "Ensure the check is accessible to carers",
                    "PCT",
                    "2011",
                    "Checks promoted",
                ],
                &[
                    "Plan a social marketing campaign",
                    "PCT",
                    "2011",
                    "the vascular pathway",
                ],
                &[
                    "Commission an evaluation",
                    "PCT",
                    "2010",
                    "Evaluation commissioned",
                ],
                &[
                    "To strengthen links between carers and",
                    "Safer",
                    "April 2009",
                    "A joint approach is",
                ],
                &[
                    "Drug and Alcohol Treatment Providers",
                    "Communities",
                    "",
                    "consistent across all",
                ],
            ],
            roles,
        );
        assert_eq!(got, [true, true, true, true, false]);
    }

    #[test]
    fn blank_lines_separate_rows_when_the_table_uses_them() {
        let roles = Roles {
            marker: None,
            action: Some(0),
            due: Some(2),
        };
        let cells = lines(&[
            &[
                "Integrated stop",
                "Integrated services",
                "Partners work",
                "Complete",
            ],
            &["smoking services", "across the system", "together.", ""],
            &[
                "Pilot project",
                "Pilot a project",
                "Smokers referred",
                "Incomplete",
            ],
            &["Actively Quitting", "using activity", "", ""],
            &[
                "Promote e-",
                "Promote e-cigarettes",
                "More smokers",
                "Complete",
            ],
            &["cigarettes", "as safer", "", ""],
        ]);
        let gaps = [false, false, true, false, true, false];
        let ls: Vec<Line<'_>> = cells
            .iter()
            .zip(gaps)
            .map(|(c, g)| Line {
                cells: c,
                gap_before: g,
                ..Line::default()
            })
            .collect();
        assert_eq!(
            segment(&ls, &roles),
            [true, false, true, false, true, false]
        );
    }

    #[test]
    fn a_row_continued_after_a_page_break_is_joined() {
        let roles = Roles {
            marker: Some(0),
            action: Some(1),
            due: Some(3),
        };
        let cells = lines(&[
            &[
                "1",
                "Pilot an online booking page for",
                "Digital Team",
                "July 2026",
            ],
            &["", "short breaks.", "", ""],
            &[
                "2",
                "Extend the sitting service to",
                "Home Support",
                "April 2026",
            ],
            &["", "evenings and to", "", ""],
            &["", "Saturday mornings.", "", ""],
            &["3", "Fund two beds", "Commissioning", "October 2026"],
        ]);
        let ls: Vec<Line<'_>> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| Line {
                cells: c,
                marker: is_marker(&c[0]).then_some(c[0].as_str()),
                page_break_before: i == 4,
                ..Line::default()
            })
            .collect();
        assert_eq!(
            segment(&ls, &roles),
            [true, false, true, false, false, true]
        );
    }
}
