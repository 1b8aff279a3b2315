//! What the interpreter ([`super::interp`]) collects from a page: positioned glyphs, ruling
//! segments, small filled shapes (drawn bullets) and filled boxes (cell shading).
//!
//! Coordinates are in PDF points in an upright, top-down system: `x` from the left edge of the
//! visible page box, `y` from its top edge, after the page's /Rotate and after turning the page
//! so that most of its text reads left to right ([`orient`]).

use unicode_normalization::UnicodeNormalization;

/// No marked-content id.
pub const NO_MCID: u32 = u32::MAX;

/// Glyph flag: drawn with a bold font.
pub const BOLD: u8 = 1;
/// Glyph flag: inside an `/Artifact` marked-content sequence (running headers and footers,
/// repeated table headers, decorations, as tagged PDF producers mark them).
pub const ARTIFACT: u8 = 2;

/// One glyph: a single character with its box.
#[derive(Debug, Clone)]
pub struct Glyph {
    /// The character. A glyph standing for several characters (a ligature, a multi-character
    /// ToUnicode entry) is split into one glyph per character over the same advance.
    pub ch: char,
    /// Left edge.
    pub x0: f32,
    /// Right edge (origin + advance).
    pub x1: f32,
    /// Baseline, from the top of the page.
    pub y: f32,
    /// Font size in points after all transforms.
    pub size: f32,
    /// Marked-content id of the innermost marked-content sequence with one ([`NO_MCID`]: none).
    pub mcid: u32,
    /// [`BOLD`], [`ARTIFACT`].
    pub flags: u8,
}

impl Glyph {
    /// A plain glyph (tests, synthetic text).
    pub fn new(ch: char, x0: f32, x1: f32, y: f32, size: f32) -> Glyph {
        Glyph {
            ch,
            x0,
            x1,
            y,
            size,
            mcid: NO_MCID,
            flags: 0,
        }
    }
    /// Horizontal centre.
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    /// Vertical centre of the glyph body (somewhat above the baseline).
    pub fn cy(&self) -> f32 {
        self.y - 0.3 * self.size
    }
    /// True for whitespace glyphs.
    pub fn is_space(&self) -> bool {
        self.ch == ' '
    }
    /// Drawn with a bold font.
    pub fn bold(&self) -> bool {
        self.flags & BOLD != 0
    }
}

/// An axis-aligned ruling segment. `pos` is y for a horizontal segment and x for a vertical one;
/// `a..b` is its extent along the other axis.
#[derive(Debug, Clone, Copy)]
pub struct Seg {
    /// Horizontal (true) or vertical.
    pub horizontal: bool,
    /// Position across the segment.
    pub pos: f32,
    /// Start along the segment.
    pub a: f32,
    /// End along the segment.
    pub b: f32,
}

/// A rectangle (top-down coordinates).
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    /// Left.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
}

impl Rect {
    /// Width.
    pub fn w(&self) -> f32 {
        self.x1 - self.x0
    }
    /// Height.
    pub fn h(&self) -> f32 {
        self.y1 - self.y0
    }
}

/// A filled, axis-aligned box larger than a bullet (cell shading, a card, a banner).
#[derive(Debug, Clone, Copy)]
pub struct Fill {
    /// Where.
    pub rect: Rect,
    /// Lightness of the fill colour, 0 (black) to 1 (white).
    pub light: f32,
}

/// Everything collected from one page.
#[derive(Debug, Clone, Default)]
pub struct PageData {
    /// 1-based page number.
    pub number: u32,
    /// Width of the page as displayed.
    pub width: f32,
    /// Height of the page as displayed.
    pub height: f32,
    /// Glyphs in content-stream order.
    pub glyphs: Vec<Glyph>,
    /// Ruling segments.
    pub segs: Vec<Seg>,
    /// Small filled shapes (drawn bullets).
    pub dots: Vec<Rect>,
    /// Filled boxes.
    pub fills: Vec<Fill>,
    /// Images drawn on the page.
    pub images: u32,
    /// Quarter turns applied to make the page's text upright (0 when it already was).
    pub turned: u8,
}

/// Private-use bullets of the Symbol/Wingdings fonts, as Word and LibreOffice emit them, and
/// control characters. Returns the characters to emit (possibly none, possibly several).
pub fn map_char(c: char, out: &mut Vec<char>) {
    match c {
        '\u{F0B7}' | '\u{F06C}' | '\u{25CF}' => out.push('•'),
        '\u{F0A7}' | '\u{F06E}' => out.push('▪'),
        '\u{F0D8}' | '\u{F0E0}' => out.push('➢'),
        '\u{F0FC}' => out.push('✓'),
        '\u{F0B0}' => out.push('o'),
        '\u{F0D0}' => out.push('⇒'),
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{E}'..='\u{1F}' | '\u{FFFD}' | '\u{FEFF}' => {}
        '\u{9}' | '\u{A}' | '\u{C}' | '\u{D}' | '\u{A0}' => out.push(' '),
        c if ('\u{FB00}'..='\u{FB06}').contains(&c) || ('\u{2000}'..='\u{200A}').contains(&c) => {
            out.extend(std::iter::once(c).nfkc())
        }
        // Other private-use characters are symbol-font glyphs (Wingdings diamonds, arrows,
        // icon fonts): in running text they are bullets.
        '\u{E000}'..='\u{F8FF}' => out.push('•'),
        c => out.push(c),
    }
}
