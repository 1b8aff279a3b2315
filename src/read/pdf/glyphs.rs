//! Collecting positioned glyphs and ruling lines from pdf-extract's [`OutputDev`] callbacks.
//!
//! Coordinates are converted to a top-down system in PDF points: `x` from the left edge of the
//! media box, `y` from its top edge.

use std::time::Instant;

use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};
use unicode_normalization::UnicodeNormalization;

/// One glyph (or ligature, already NFKC-expanded) with its box.
#[derive(Debug, Clone)]
pub struct Glyph {
    /// The character(s) this glyph stands for.
    pub text: String,
    /// Left edge.
    pub x0: f32,
    /// Right edge (origin + advance).
    pub x1: f32,
    /// Baseline, from the top of the page.
    pub y: f32,
    /// Font size in points after all transforms.
    pub size: f32,
}

impl Glyph {
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
        self.text.bytes().all(|b| b == b' ')
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

/// Everything collected from one page.
#[derive(Debug, Clone, Default)]
pub struct PageData {
    /// 1-based page number.
    pub number: u32,
    /// Media box width.
    pub width: f32,
    /// Media box height.
    pub height: f32,
    /// Glyphs in content-stream order.
    pub glyphs: Vec<Glyph>,
    /// Ruling segments.
    pub segs: Vec<Seg>,
    /// Small filled shapes (drawn bullets).
    pub dots: Vec<Rect>,
}

/// The [`OutputDev`] that records pages.
pub struct Collector {
    /// Finished pages.
    pub pages: Vec<PageData>,
    current: Option<PageData>,
    llx: f64,
    ury: f64,
    /// User space -> display space of the current page (applies /Rotate).
    rot: Transform,
    /// /Rotate of the next page (0, 90, 180, 270), set by the caller before each page.
    pub rotation: u32,
    deadline: Option<Instant>,
    counter: u32,
    /// Set when the time budget ran out.
    pub timed_out: bool,
}

impl Collector {
    /// A collector that gives up after `deadline`.
    pub fn new(deadline: Option<Instant>) -> Collector {
        Collector {
            pages: Vec::new(),
            current: None,
            llx: 0.0,
            ury: 0.0,
            rot: Transform::identity(),
            rotation: 0,
            deadline,
            counter: 0,
            timed_out: false,
        }
    }

    /// Drop a half-collected page (after a panic inside the parser).
    pub fn abandon_page(&mut self) {
        self.current = None;
    }

    fn check_time(&mut self) -> Result<(), OutputError> {
        self.counter = self.counter.wrapping_add(1);
        if self.counter % 256 == 0 {
            if let Some(d) = self.deadline {
                if Instant::now() > d {
                    self.timed_out = true;
                    return Err(OutputError::FormatError(std::fmt::Error));
                }
            }
        }
        Ok(())
    }

    fn point(&self, ctm: &Transform, x: f64, y: f64) -> (f32, f32) {
        let m = ctm.post_transform(&self.rot);
        let px = m.m11 * x + m.m21 * y + m.m31;
        let py = m.m12 * x + m.m22 * y + m.m32;
        ((px - self.llx) as f32, (self.ury - py) as f32)
    }

    /// Split a path into subpaths of transformed points; rectangles become closed 4-point paths.
    fn subpaths(&self, ctm: &Transform, path: &Path) -> Vec<(Vec<(f32, f32)>, bool)> {
        let mut out: Vec<(Vec<(f32, f32)>, bool)> = Vec::new();
        let mut cur: Vec<(f32, f32)> = Vec::new();
        let mut curved = false;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    if cur.len() > 1 {
                        out.push((std::mem::take(&mut cur), curved));
                    }
                    cur.clear();
                    curved = false;
                    cur.push(self.point(ctm, x, y));
                }
                PathOp::LineTo(x, y) => cur.push(self.point(ctm, x, y)),
                PathOp::CurveTo(_, _, _, _, x, y) => {
                    curved = true;
                    cur.push(self.point(ctm, x, y))
                }
                PathOp::Rect(x, y, w, h) => {
                    if cur.len() > 1 {
                        out.push((std::mem::take(&mut cur), curved));
                    }
                    cur.clear();
                    let pts = vec![
                        self.point(ctm, x, y),
                        self.point(ctm, x + w, y),
                        self.point(ctm, x + w, y + h),
                        self.point(ctm, x, y + h),
                        self.point(ctm, x, y),
                    ];
                    out.push((pts, false));
                }
                PathOp::Close => {
                    if let Some(&first) = cur.first() {
                        cur.push(first);
                    }
                }
            }
        }
        if cur.len() > 1 {
            out.push((cur, curved));
        }
        out
    }

    fn add_shape(&mut self, pts: &[(f32, f32)], curved: bool, stroked: bool) {
        let Some(page) = self.current.as_mut() else {
            return;
        };
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in pts {
            if !x.is_finite() || !y.is_finite() {
                return;
            }
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let (w, h) = (x1 - x0, y1 - y0);
        const THIN: f32 = 3.0;
        if !stroked && !curved && h <= THIN && w > THIN {
            page.segs.push(Seg {
                horizontal: true,
                pos: (y0 + y1) / 2.0,
                a: x0,
                b: x1,
            });
        } else if !stroked && !curved && w <= THIN && h > THIN {
            page.segs.push(Seg {
                horizontal: false,
                pos: (x0 + x1) / 2.0,
                a: y0,
                b: y1,
            });
        } else if !stroked && (1.0..=8.0).contains(&w) && (1.0..=8.0).contains(&h) {
            page.dots.push(Rect { x0, y0, x1, y1 });
        } else if stroked || (!curved && w > THIN && h > THIN && pts.len() <= 6) {
            // Stroked lines and rectangles: every axis-aligned edge is a rule. Filled large
            // rectangles (cell shading) are skipped unless stroked.
            if !stroked {
                return;
            }
            for pair in pts.windows(2) {
                let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
                if (ay - by).abs() < 1.0 && (ax - bx).abs() > 1.0 {
                    page.segs.push(Seg {
                        horizontal: true,
                        pos: (ay + by) / 2.0,
                        a: ax.min(bx),
                        b: ax.max(bx),
                    });
                } else if (ax - bx).abs() < 1.0 && (ay - by).abs() > 1.0 {
                    page.segs.push(Seg {
                        horizontal: false,
                        pos: (ax + bx) / 2.0,
                        a: ay.min(by),
                        b: ay.max(by),
                    });
                }
            }
        }
    }
}

/// The transform from user space to upright display space for a page rotated by `rotation`
/// degrees (clockwise, as /Rotate), with the display box's lower-left corner at the origin;
/// also returns the display width and height.
pub fn rotation_matrix(rotation: u32, llx: f64, lly: f64, w: f64, h: f64) -> (Transform, f64, f64) {
    match rotation % 360 {
        90 => (
            Transform::row_major(0.0, -1.0, 1.0, 0.0, -lly, w + llx),
            h,
            w,
        ),
        180 => (
            Transform::row_major(-1.0, 0.0, 0.0, -1.0, w + llx, h + lly),
            w,
            h,
        ),
        270 => (
            Transform::row_major(0.0, 1.0, -1.0, 0.0, h + lly, -llx),
            h,
            w,
        ),
        _ => (Transform::row_major(1.0, 0.0, 0.0, 1.0, -llx, -lly), w, h),
    }
}

/// Private-use bullets of the Symbol/Wingdings fonts, as Word and LibreOffice emit them.
fn map_char(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{F0B7}' | '\u{F06C}' | '\u{25CF}' => out.push('•'),
            '\u{F0A7}' | '\u{F06E}' => out.push('▪'),
            '\u{F0D8}' | '\u{F0E0}' => out.push('➢'),
            '\u{F0FC}' => out.push('✓'),
            '\u{F0B0}' => out.push('o'),
            '\u{F0D0}' => out.push('⇒'),
            '\u{0}'..='\u{8}' | '\u{B}' | '\u{E}'..='\u{1F}' | '\u{FFFD}' => {}
            '\u{9}' | '\u{A}' | '\u{C}' | '\u{D}' | '\u{A0}' => out.push(' '),
            '\u{AD}' => out.push('\u{AD}'),
            c if ('\u{FB00}'..='\u{FB06}').contains(&c)
                || ('\u{2000}'..='\u{200A}').contains(&c) =>
            {
                out.extend(std::iter::once(c).nfkc())
            }
            c => out.push(c),
        }
    }
    out
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        let (llx, lly) = (
            media_box.llx.min(media_box.urx),
            media_box.lly.min(media_box.ury),
        );
        let (w, h) = (
            (media_box.urx - media_box.llx).abs(),
            (media_box.ury - media_box.lly).abs(),
        );
        let (m, dw, dh) = rotation_matrix(self.rotation, llx, lly, w, h);
        self.rot = m;
        self.llx = 0.0;
        self.ury = dh;
        self.current = Some(PageData {
            number: page_num,
            width: dw as f32,
            height: dh as f32,
            ..PageData::default()
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if let Some(p) = self.current.take() {
            self.pages.push(p);
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        self.check_time()?;
        let trm = &trm.post_transform(&self.rot);
        // Only upright text: rotated glyphs (vertical labels, rotated pages) are skipped.
        if trm.m12.abs() > 1e-3 * trm.m11.abs().max(1e-9)
            || trm.m21.abs() > 1e-3 * trm.m22.abs().max(1e-9)
        {
            return Ok(());
        }
        let sx = (trm.m11 * font_size).abs();
        let sy = (trm.m22 * font_size).abs();
        let size = (sx * sy).sqrt() as f32;
        if !size.is_finite() || !(0.5..=500.0).contains(&size) {
            return Ok(());
        }
        let x0 = (trm.m31 - self.llx) as f32;
        let y = (self.ury - trm.m32) as f32;
        let adv = (width * sx) as f32;
        if !x0.is_finite() || !y.is_finite() || !adv.is_finite() {
            return Ok(());
        }
        let text = map_char(ch);
        if text.is_empty() {
            return Ok(());
        }
        if let Some(page) = self.current.as_mut() {
            page.glyphs.push(Glyph {
                text,
                x0,
                x1: x0 + adv.max(0.0),
                y,
                size,
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _cs: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.check_time()?;
        for (pts, curved) in self.subpaths(ctm, path) {
            self.add_shape(&pts, curved, true);
        }
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _cs: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.check_time()?;
        // White fills (backgrounds, knock-outs) are not rules.
        if !color.is_empty() && color.iter().all(|&c| c > 0.95) && color.len() != 4 {
            return Ok(());
        }
        for (pts, curved) in self.subpaths(ctm, path) {
            self.add_shape(&pts, curved, false);
        }
        Ok(())
    }
}
