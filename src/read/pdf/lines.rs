//! Glyphs -> lines -> pieces, and joining wrapped lines into text.

use unicode_normalization::UnicodeNormalization;

use super::glyphs::Glyph;

/// A run of glyphs on one baseline, sorted left to right.
#[derive(Debug, Clone)]
pub struct Line {
    /// Baseline.
    pub y: f32,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Largest font size on the line.
    pub size: f32,
    /// Glyphs, left to right.
    pub glyphs: Vec<Glyph>,
}

impl Line {
    /// Top of the line box.
    pub fn top(&self) -> f32 {
        self.y - 0.8 * self.size
    }
    /// Bottom of the line box.
    pub fn bottom(&self) -> f32 {
        self.y + 0.25 * self.size
    }
    /// The line ends with a space glyph.
    pub fn space_after(&self) -> bool {
        self.glyphs.last().is_some_and(Glyph::is_space)
    }
    /// The line's text with spaces where the glyphs leave gaps.
    pub fn text(&self) -> String {
        glyph_text(&self.glyphs)
    }
    /// Split into pieces where the horizontal gap exceeds `factor` x font size.
    pub fn pieces(&self, factor: f32) -> Vec<Line> {
        let mut out: Vec<Line> = Vec::new();
        let mut cur: Vec<Glyph> = Vec::new();
        let mut last_x1 = f32::MIN;
        for g in &self.glyphs {
            if g.is_space() {
                continue;
            }
            if !cur.is_empty() && g.x0 - last_x1 > factor * g.size.max(1.0) {
                out.push(Line::from_glyphs(std::mem::take(&mut cur)));
            }
            last_x1 = last_x1.max(g.x1);
            if cur.is_empty() {
                last_x1 = g.x1;
            }
            cur.push(g.clone());
        }
        if !cur.is_empty() {
            out.push(Line::from_glyphs(cur));
        }
        out
    }

    /// A line from glyphs (sorted here).
    pub fn from_glyphs(mut glyphs: Vec<Glyph>) -> Line {
        glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let x0 = glyphs
            .iter()
            .filter(|g| !g.is_space())
            .map(|g| g.x0)
            .fold(f32::MAX, f32::min);
        let x1 = glyphs
            .iter()
            .filter(|g| !g.is_space())
            .map(|g| g.x1)
            .fold(f32::MIN, f32::max);
        let size = glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
        // Baseline: the most common one (superscripts sit higher).
        let mut ys: Vec<f32> = glyphs
            .iter()
            .filter(|g| (g.size - size).abs() < 0.5)
            .map(|g| g.y)
            .collect();
        ys.sort_by(f32::total_cmp);
        let y = ys.get(ys.len() / 2).copied().unwrap_or(0.0);
        let (x0, x1) = if x0 <= x1 { (x0, x1) } else { (0.0, 0.0) };
        Line {
            y,
            x0,
            x1,
            size,
            glyphs,
        }
    }
}

/// Group glyphs into lines by baseline (top to bottom), each sorted left to right.
pub fn group_lines(glyphs: Vec<Glyph>) -> Vec<Line> {
    let mut gs: Vec<Glyph> = glyphs;
    gs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    let mut base = f32::MIN;
    let mut base_size = 0.0f32;
    for g in gs {
        let tol = 0.4 * base_size.min(g.size).max(1.0);
        if lines.is_empty() || (g.y - base).abs() > tol {
            base = g.y;
            base_size = g.size;
            lines.push(vec![g]);
        } else if let Some(l) = lines.last_mut() {
            base_size = base_size.max(g.size);
            l.push(g);
        }
    }
    lines
        .into_iter()
        .filter(|l| l.iter().any(|g| !g.is_space()))
        .map(Line::from_glyphs)
        .collect()
}

/// Text of glyphs sorted left to right: a space where the gap is wider than a fraction of the
/// font size or where the PDF has a space glyph.
pub fn glyph_text(glyphs: &[Glyph]) -> String {
    let mut s = String::new();
    let mut last_x1: Option<f32> = None;
    for g in glyphs {
        if g.is_space() {
            if !s.is_empty() && !s.ends_with(' ') {
                s.push(' ');
            }
            last_x1 = Some(g.x1);
            continue;
        }
        if let Some(lx) = last_x1 {
            if g.x0 - lx > 0.15 * g.size && !s.ends_with(' ') && !s.is_empty() {
                s.push(' ');
            }
        }
        s.push(g.ch);
        last_x1 = Some(g.x1);
    }
    if !s.is_ascii() {
        // A soft hyphen that is drawn inside a line is a visible hyphen (some producers map
        // the hyphen glyph to U+00AD); only at the end of a line is it a hyphenation break.
        if s.contains('\u{AD}') {
            let t = s.trim_end();
            let keep = t.len();
            s = t
                .char_indices()
                .map(|(i, c)| {
                    if c == '\u{AD}' && i + c.len_utf8() < keep {
                        '-'
                    } else {
                        c
                    }
                })
                .collect();
        }
        s = s.nfkc().collect();
    }
    if s.contains("  ") || s.starts_with(' ') || s.ends_with(' ') {
        s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    s
}

/// Bullet characters that start a list item.
pub fn bullet_prefix(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let mut chars = t.chars();
    let c = chars.next()?;
    if matches!(
        c,
        '•' | '·'
            | '▪'
            | '◦'
            | '‣'
            | '⁃'
            | '○'
            | '■'
            | '□'
            | '➢'
            | '⇒'
            | '►'
            | '▶'
            | '✓'
            | '❖'
            | '→'
            | '●'
            | '*'
    ) {
        let rest = chars.as_str().trim_start();
        if !rest.is_empty() {
            return Some((c.to_string(), rest.to_string()));
        }
    }
    if matches!(c, '-' | '–' | 'o') {
        let rest = chars.as_str();
        if rest.starts_with(' ') && !rest.trim().is_empty() {
            return Some((c.to_string(), rest.trim_start().to_string()));
        }
    }
    None
}

/// One physical line of text with its horizontal extent, for joining.
#[derive(Debug, Clone)]
pub struct TextLine {
    /// Text of the line.
    pub text: String,
    /// Right edge of the line's ink.
    pub x1: f32,
    /// Font size.
    pub size: f32,
    /// The line ends with a space glyph (an ordinary wrap in LibreOffice/Word output).
    pub space_after: bool,
}

/// Join the physical lines of one cell or paragraph. `right` is the right edge of the text area
/// (cell or column inner edge).
///
/// - a line ending in a soft hyphen joins the next without space and drops the hyphen;
/// - a line ending in a hyphen after a letter joins the next without space and keeps the hyphen
///   (`co-` + `production`);
/// - a single word that fills the line to the right edge, followed by a line starting with a
///   lower-case letter, was broken mid-word (`Commissionin` + `g`): join without space;
/// - otherwise the lines are separated by `sep`.
pub fn join_lines(lines: &[TextLine], right: f32, sep: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<&TextLine> = None;
    for l in lines {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(p) = prev {
            out.push_str(&glue(p, t, right, sep));
        }
        out.push_str(t);
        prev = Some(l);
    }
    out.replace('\u{AD}', "")
}

/// Common short words: a line starting with one is an ordinary wrap, not the tail of a word.
const COMMON: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "their", "they", "this", "to", "was", "we", "were", "will", "with",
];

/// The text to put between the previous line `p` and the next line's text `next`.
pub fn glue(p: &TextLine, next: &str, right: f32, sep: &str) -> String {
    let pt = p.text.trim_end();
    let first = next.chars().next().unwrap_or(' ');
    if bullet_prefix(next).is_some() {
        return "\n".to_string();
    }
    if pt.ends_with('\u{AD}') {
        return String::new();
    }
    let mut rev = pt.chars().rev();
    let last = rev.next().unwrap_or(' ');
    let before = rev.next().unwrap_or(' ');
    if matches!(last, '-' | '\u{2010}') && before.is_alphabetic() && first.is_alphanumeric() {
        return String::new();
    }
    if p.space_after {
        return sep.to_string();
    }
    // A word too long for its cell broken at the cell's edge: the line is that one word and
    // reaches the edge; the next line goes on in the same case (or is lower case).
    let goes_on = first.is_lowercase() || (last.is_uppercase() && first.is_uppercase());
    if (last.is_alphabetic() || (matches!(last, '\'' | '’') && before.is_alphabetic()))
        && goes_on
        && !pt.contains([' ', '-'])
        && pt.chars().count() >= 3
        && !COMMON.contains(&pt.to_lowercase().as_str())
        && !COMMON.contains(
            &next
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or(""),
        )
        && p.x1 >= right - 0.6 * p.size
    {
        return String::new();
    }
    sep.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tl(t: &str, x1: f32) -> TextLine {
        TextLine {
            text: t.into(),
            x1,
            size: 10.0,
            space_after: false,
        }
    }

    #[test]
    fn wraps_join_right() {
        assert_eq!(
            join_lines(
                &[tl("work on co-", 90.0), tl("production", 60.0)],
                100.0,
                "\n"
            ),
            "work on co-production"
        );
        assert_eq!(
            join_lines(
                &[tl("Commissionin", 98.0), tl("g plans", 30.0)],
                100.0,
                "\n"
            ),
            "Commissioning plans"
        );
        assert_eq!(
            join_lines(&[tl("Ongoing", 50.0), tl("review", 30.0)], 100.0, "\n"),
            "Ongoing\nreview"
        );
        assert_eq!(
            join_lines(&[tl("the", 98.0), tl("provision", 30.0)], 100.0, " "),
            "the provision"
        );
        assert_eq!(
            join_lines(&[tl("recog\u{AD}", 98.0), tl("nised", 30.0)], 100.0, " "),
            "recognised"
        );
        assert_eq!(
            join_lines(&[tl("items:", 98.0), tl("• one", 30.0)], 100.0, " "),
            "items:\n• one"
        );
    }

    #[test]
    fn ligatures_are_expanded() {
        let g = |t: char, x: f32| Glyph::new(t, x, x + 5.0, 10.0, 10.0);
        assert_eq!(
            glyph_text(&[g('\u{FB01}', 0.0), g('n', 5.0), g('e', 10.0)]),
            "fine"
        );
        assert_eq!(glyph_text(&[g('a', 0.0), g('b', 12.0)]), "a b");
        // A drawn soft hyphen inside a line is a hyphen; at the end it stays a break.
        assert_eq!(
            glyph_text(&[g('e', 0.0), g('\u{AD}', 5.0), g('c', 10.0)]),
            "e-c"
        );
        assert_eq!(glyph_text(&[g('e', 0.0), g('\u{AD}', 5.0)]), "e\u{AD}");
    }
}
