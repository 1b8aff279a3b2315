//! A content-stream interpreter that keeps what layout analysis needs.
//!
//! It runs a page's content (and the form XObjects it draws) through the PDF graphics and text
//! state: every shown character becomes a positioned [`Glyph`] with its marked-content id;
//! stroked and thin filled paths become ruling [`Seg`]ments; small filled shapes become bullet
//! dots; larger filled boxes become [`Fill`]s (cell shading). Clipping is tracked as a bounding
//! box, so that content drawn several times under different clips (tiled or clipped exports)
//! yields what is visible once. Images, shadings and Type 3 glyph procedures are not drawn.
//!
//! Fonts are handled by `hayro-font` (simple, composite and Type 3 fonts, ToUnicode and
//! predefined encodings, standard-14 metrics) and cached for the whole document.

use std::collections::HashMap;
use std::time::Instant;

use hayro_cmap::{BfString, CMap, CMapName, CidFamily};
use hayro_font::{
    CMapResolverFn, Font, FontCache, FontGlyph, FontQuery, FontResolverFn, StandardFont,
};
use hayro_syntax::content::ops::TypedInstruction;
use hayro_syntax::content::TypedIter;
use hayro_syntax::object::{Array, Dict, Name, Number, Object, Stream};
use hayro_syntax::page::{Page, Resources, Rotation};

use super::glyphs::{map_char, Fill, Glyph, PageData, Rect, Seg, ARTIFACT, BOLD, NO_MCID};

/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Most operators interpreted on one page (forms included); a page beyond it is cut short.
const MAX_OPS: usize = 20_000_000;
/// Most glyphs kept from one page.
const MAX_GLYPHS: usize = 2_000_000;

/// A 2-D affine matrix `[a b c d e f]`: `x' = a x + c y + e`, `y' = b x + d y + f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct M(pub [f64; 6]);

impl M {
    /// The identity.
    pub const ID: M = M([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    /// `self` then `n` (PDF's `self × n`).
    pub fn then(&self, n: &M) -> M {
        let [a, b, c, d, e, f] = self.0;
        let [na, nb, nc, nd, ne, nf] = n.0;
        M([
            a * na + b * nc,
            a * nb + b * nd,
            c * na + d * nc,
            c * nb + d * nd,
            e * na + f * nc + ne,
            e * nb + f * nd + nf,
        ])
    }
    /// Apply to a point.
    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
    fn translate(tx: f64, ty: f64) -> M {
        M([1.0, 0.0, 0.0, 1.0, tx, ty])
    }
    fn finite(&self) -> bool {
        self.0.iter().all(|v| v.is_finite())
    }
}

/// The matrix from a page's user space to its upright, top-down display space, and the display
/// width and height. `rotate` is the page's /Rotate (clockwise) in quarter turns.
pub fn page_matrix(bx: [f64; 4], rotate: u8) -> (M, f64, f64) {
    let [x0, y0, x1, y1] = bx;
    let (w, h) = (x1 - x0, y1 - y0);
    match rotate % 4 {
        1 => (M([0.0, 1.0, 1.0, 0.0, -y0, -x0]), h, w),
        2 => (M([-1.0, 0.0, 0.0, 1.0, x1, -y0]), w, h),
        3 => (M([0.0, -1.0, -1.0, 0.0, y1, x1]), h, w),
        _ => (M([1.0, 0.0, 0.0, -1.0, -x0, y1]), w, h),
    }
}

/// A glyph before orientation: origin, baseline direction, advance.
#[derive(Debug, Clone)]
pub struct RawGlyph {
    /// The character.
    pub ch: char,
    /// Origin (top-down display space).
    pub ox: f32,
    /// Origin.
    pub oy: f32,
    /// Quarter turns of the baseline clockwise from left-to-right (0..=3); 255: skewed.
    pub dir: u8,
    /// Advance along the baseline.
    pub w: f32,
    /// Font size.
    pub size: f32,
    /// Marked-content id.
    pub mcid: u32,
    /// Flags.
    pub flags: u8,
}

/// What the interpreter collected from a page, before orientation.
#[derive(Debug, Default)]
pub struct RawPage {
    /// Glyphs in content order.
    pub glyphs: Vec<RawGlyph>,
    /// Rules.
    pub segs: Vec<Seg>,
    /// Bullets.
    pub dots: Vec<Rect>,
    /// Filled boxes.
    pub fills: Vec<Fill>,
    /// Images drawn.
    pub images: u32,
    /// Display width.
    pub width: f32,
    /// Display height.
    pub height: f32,
    /// The operator budget ran out.
    pub truncated: bool,
    /// The page has content that could not be decoded (a damaged stream).
    pub damaged: bool,
}

struct FontEntry<'a> {
    font: Option<Font<'a>>,
    horizontal: bool,
    /// Multiplier from the Tf size to the visible size (Type 3 font matrices).
    scale: f64,
    bold: bool,
    /// code -> (characters, horizontal advance, vertical advance) in 1/1000 text space units.
    codes: rustc_hash::FxHashMap<u32, (Box<[char]>, f32, f32)>,
    /// Composite fonts without a ToUnicode map: how to still find the characters.
    cjk: Option<CjkText>,
}

/// Characters of a composite (CID) font that has no ToUnicode map: the encoding's codes are
/// Unicode themselves (`Uni...-UCS2-H`, `Uni...-UTF16-H`), or they are CIDs of a standard
/// character collection (Adobe-Japan1, -GB1, -CNS1, -Korea1) with a CID -> Unicode table.
struct CjkText {
    /// The codes are UTF-16.
    unicode_codes: bool,
    /// The encoding, to turn codes into CIDs (identity when `None`).
    encoding: Option<CMap>,
    /// CID -> Unicode.
    ucs2: Option<CMap>,
}

impl CjkText {
    fn new(dict: &Dict<'_>) -> Option<CjkText> {
        if dict.get::<Name<'_>>(b"Subtype").as_deref() != Some(&b"Type0"[..])
            || dict.contains_key(b"ToUnicode")
        {
            return None;
        }
        let enc = dict.get::<Name<'_>>(b"Encoding")?;
        let name = enc.as_ref().to_vec();
        let unicode_codes = name.starts_with(b"Uni")
            && (name.windows(4).any(|w| w == b"UCS2") || name.windows(5).any(|w| w == b"UTF16"));
        let load = |n: CMapName<'_>| {
            hayro_cmap::load_embedded(n).and_then(|d| CMap::parse(d, hayro_cmap::load_embedded))
        };
        let encoding = if name.starts_with(b"Identity") {
            None
        } else {
            load(CMapName::from_bytes(&name))
        };
        let family = dict
            .get::<Array<'_>>(b"DescendantFonts")
            .and_then(|a| a.iter::<Dict<'_>>().next())
            .and_then(|d| d.get::<Dict<'_>>(b"CIDSystemInfo"))
            .map(|ci| {
                let s = |k: &[u8]| {
                    ci.get::<hayro_syntax::object::String<'_>>(k)
                        .map(|v| v.as_bytes().to_vec())
                        .unwrap_or_default()
                };
                CidFamily::from_registry_ordering(&s(b"Registry"), &s(b"Ordering"))
            })
            .or_else(|| {
                encoding
                    .as_ref()
                    .and_then(|e| e.metadata().character_collection.clone())
                    .map(|c| c.family)
            });
        let ucs2 = family.and_then(|f| f.ucs2_cmap()).and_then(load);
        (unicode_codes || ucs2.is_some()).then_some(CjkText {
            unicode_codes,
            encoding,
            ucs2,
        })
    }

    fn chars(&self, code: u32, len: usize) -> Option<Box<[char]>> {
        if self.unicode_codes {
            let units: Vec<u16> = if len >= 4 {
                vec![(code >> 16) as u16, code as u16]
            } else {
                vec![code as u16]
            };
            let s: String = char::decode_utf16(units).filter_map(Result::ok).collect();
            return (!s.is_empty()).then(|| s.chars().collect());
        }
        let cid = match &self.encoding {
            Some(e) => e.lookup_cid_code(code, len as u8)?,
            None => code,
        };
        match self.ucs2.as_ref()?.lookup_bf_string(cid)? {
            BfString::Char(c) => Some(Box::new([c])),
            BfString::String(s) => Some(s.chars().collect()),
        }
    }
}

/// Fonts of one document, shared by all its pages (per thread: fonts are not `Send`).
pub struct Fonts<'a> {
    cache: FontCache<'a>,
    font_resolver: FontResolverFn,
    cmap_resolver: CMapResolverFn,
    entries: Vec<FontEntry<'a>>,
    by_key: HashMap<(u32, i32, usize), usize>,
}

impl<'a> Default for Fonts<'a> {
    fn default() -> Self {
        Fonts::new()
    }
}

impl<'a> Fonts<'a> {
    /// An empty font store.
    pub fn new() -> Fonts<'a> {
        let font_resolver: FontResolverFn = std::sync::Arc::new(|q: &FontQuery| match q {
            FontQuery::Standard(s) => Some(s.get_font_data()),
            FontQuery::Fallback(f) => Some(f.pick_standard_font().get_font_data()),
        });
        let cmap_resolver: CMapResolverFn = std::sync::Arc::new(hayro_cmap::load_embedded);
        Fonts {
            cache: FontCache::new(),
            font_resolver,
            cmap_resolver,
            entries: Vec::new(),
            by_key: HashMap::new(),
        }
    }

    fn get(&mut self, dict: &Dict<'a>) -> usize {
        let key = match dict.obj_id() {
            Some(id) => (id.obj_number, id.gen_number, 0),
            None => (u32::MAX, 0, dict.data().as_ptr() as usize),
        };
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        let font = (!unbounded_font(dict))
            .then(|| {
                self.cache
                    .font(dict, &self.font_resolver, &self.cmap_resolver)
            })
            .flatten()
            .or_else(|| {
                // An unreadable font still advances: fall back to Helvetica metrics.
                self.cache
                    .standard_font(StandardFont::Helvetica, &self.font_resolver)
            });
        let horizontal = font.as_ref().is_none_or(|f| f.is_horizontal());
        let scale = type3_scale(dict);
        let entry = FontEntry {
            font,
            horizontal,
            scale,
            bold: is_bold(dict),
            codes: Default::default(),
            cjk: CjkText::new(dict),
        };
        self.entries.push(entry);
        let i = self.entries.len() - 1;
        self.by_key.insert(key, i);
        i
    }
}

/// Most character ids a composite font's `W`/`W2` range may cover (CIDs are 16-bit).
const MAX_CID_RANGE: i64 = 65_536;

/// Does a font dictionary hold numbers that make `hayro-font` allocate or loop without bound?
/// It fills a simple font's widths table up to `/FirstChar` (a `/FirstChar` of 2^28 asked for
/// 4 GB; found by `scripts/mutate.py`) and inserts every CID of a `W`/`W2` range one by one
/// (`0 4294967295 500` is four billion inserts). Such a font is read with standard metrics.
fn unbounded_font(dict: &Dict<'_>) -> bool {
    // A simple font's codes are single bytes; hayro-font copes with a damaged /FirstChar of a
    // few thousand (a small table), not with one of millions.
    let code = |key: &[u8]| {
        dict.get::<f64>(key)
            .is_some_and(|v| !(0.0..MAX_CID_RANGE as f64).contains(&v))
    };
    if code(b"FirstChar") || code(b"LastChar") {
        return true;
    }
    let Some(descendant) = dict
        .get::<Array<'_>>(b"DescendantFonts")
        .and_then(|a| a.iter::<Dict<'_>>().next())
    else {
        return false;
    };
    // `c [w ...]` or `first last w` (W2: `first last w v1 v2`): a range is two numbers in a
    // row where an entry starts.
    for (key, tail) in [(&b"W"[..], 1usize), (&b"W2"[..], 3)] {
        let Some(w) = descendant.get::<Array<'_>>(key) else {
            continue;
        };
        let items: Vec<Object<'_>> = w.iter::<Object<'_>>().collect();
        let mut i = 0;
        while i < items.len() {
            match (&items[i], items.get(i + 1)) {
                (Object::Number(first), Some(Object::Number(last))) => {
                    let (a, b) = (first.as_f64(), last.as_f64());
                    let span = b - a;
                    if span.is_nan() || span >= MAX_CID_RANGE as f64 {
                        return true;
                    }
                    i += 2 + tail;
                }
                _ => i += 2,
            }
        }
    }
    false
}

fn type3_scale(dict: &Dict<'_>) -> f64 {
    if dict.get::<Name<'_>>(b"Subtype").as_deref() != Some(&b"Type3"[..]) {
        return 1.0;
    }
    let m: Vec<f64> = dict
        .get::<Array<'_>>(b"FontMatrix")
        .map(|a| a.iter::<f64>().collect())
        .unwrap_or_default();
    if m.len() == 6 {
        let s = (m[2] * m[2] + m[3] * m[3]).sqrt() * 1000.0;
        if s.is_finite() && (0.001..=1000.0).contains(&s) {
            return s;
        }
    }
    1.0
}

fn is_bold(dict: &Dict<'_>) -> bool {
    let name = |d: &Dict<'_>| {
        d.get::<Name<'_>>(b"BaseFont")
            .map(|n| n.as_str().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let mut n = name(dict);
    let mut desc = dict.get::<Dict<'_>>(b"FontDescriptor");
    if let Some(d) = dict
        .get::<Array<'_>>(b"DescendantFonts")
        .and_then(|a| a.iter::<Dict<'_>>().next())
    {
        if n.is_empty() {
            n = name(&d);
        }
        desc = desc.or_else(|| d.get::<Dict<'_>>(b"FontDescriptor"));
    }
    let style = n.rsplit(['-', ',']).next().unwrap_or("");
    if [
        "bold",
        "black",
        "heavy",
        "semibold",
        "demi",
        "extrabold",
        "ultrabold",
    ]
    .iter()
    .any(|w| style.contains(w) || n.ends_with(w))
    {
        return true;
    }
    if let Some(d) = desc {
        if d.get::<f32>(b"FontWeight").is_some_and(|w| w >= 600.0) {
            return true;
        }
        if d.get::<i64>(b"Flags").is_some_and(|f| f & (1 << 18) != 0) {
            return true;
        }
    }
    false
}

#[derive(Clone)]
struct GState {
    ctm: M,
    clip: Option<[f32; 4]>,
    fill_light: f32,
    stroke_light: f32,
    fill_ncomp: u8,
    stroke_ncomp: u8,
    font: Option<usize>,
    size: f64,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    rise: f64,
    render: u8,
}

impl GState {
    fn new(ctm: M) -> GState {
        GState {
            ctm,
            clip: None,
            fill_light: 0.0,
            stroke_light: 0.0,
            fill_ncomp: 1,
            stroke_ncomp: 1,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
            render: 0,
        }
    }
}

struct SubPath {
    pts: Vec<(f32, f32)>,
    curved: bool,
}

struct Mc {
    mcid: u32,
    artifact: bool,
}

/// The interpreter for one page.
struct Interp<'f, 'a> {
    fonts: &'f mut Fonts<'a>,
    gs: GState,
    stack: Vec<GState>,
    tm: M,
    tlm: M,
    path: Vec<SubPath>,
    cur: Vec<(f32, f32)>,
    cur_curved: bool,
    pending_clip: bool,
    mc: Vec<Mc>,
    /// Marked content opened inside forms is not looked up in the structure tree.
    form_depth: usize,
    form_ids: Vec<(u32, i32)>,
    out: RawPage,
    ops: usize,
    deadline: Option<Instant>,
    timed_out: bool,
    chars: Vec<char>,
}

/// Light (1) or dark (0) from colour components: gray, RGB or CMYK.
fn lightness(c: &[f64]) -> f32 {
    let v = match c.len() {
        1 => c[0],
        3 => 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2],
        4 => (1.0 - c[3]) * (1.0 - (0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2])),
        _ => 0.5,
    };
    if v.is_finite() {
        v.clamp(0.0, 1.0) as f32
    } else {
        0.5
    }
}

fn nums(ns: &[Number]) -> Vec<f64> {
    ns.iter().map(|n| n.as_f64()).collect()
}

/// Number of colour components of a colour space object (1, 3, 4; 0 for a pattern).
fn components(cs: &Object<'_>, res: &Resources<'_>, depth: u8) -> u8 {
    let name_n = |n: &[u8]| -> Option<u8> {
        match n {
            b"DeviceGray" | b"G" | b"CalGray" | b"Indexed" | b"I" => Some(1),
            b"DeviceRGB" | b"RGB" | b"CalRGB" | b"Lab" => Some(3),
            b"DeviceCMYK" | b"CMYK" => Some(4),
            b"Pattern" => Some(0),
            _ => None,
        }
    };
    match cs {
        Object::Name(n) => match name_n(n.as_ref()) {
            Some(k) => k,
            None if depth < 4 => res
                .get_color_space(n)
                .map_or(1, |o| components(&o, res, depth + 1)),
            None => 1,
        },
        Object::Array(a) => {
            let mut it = a.iter::<Object<'_>>();
            let Some(Object::Name(first)) = it.next() else {
                return 1;
            };
            match first.as_ref() {
                b"ICCBased" => it
                    .next()
                    .and_then(|o| match o {
                        Object::Stream(s) => s.dict().get::<i64>(b"N"),
                        _ => None,
                    })
                    .map_or(3, |n| n.clamp(1, 4) as u8),
                b"Separation" | b"Indexed" => 1,
                b"DeviceN" => it
                    .next()
                    .and_then(|o| o.into_array())
                    .map_or(1, |a| a.iter::<Object<'_>>().count().clamp(1, 4) as u8),
                b"Pattern" => 0,
                n => name_n(n).unwrap_or(1),
            }
        }
        _ => 1,
    }
}

impl<'f, 'a> Interp<'f, 'a> {
    fn time_check(&mut self) -> bool {
        self.ops += 1;
        if self.ops > MAX_OPS {
            self.out.truncated = true;
            return false;
        }
        if self.ops % 4096 == 0 {
            if let Some(d) = self.deadline {
                if Instant::now() > d {
                    self.timed_out = true;
                    return false;
                }
            }
        }
        true
    }

    fn point(&self, x: f64, y: f64) -> (f32, f32) {
        let (px, py) = self.gs.ctm.apply(x, y);
        (px as f32, py as f32)
    }

    fn flush_sub(&mut self) {
        if self.cur.len() > 1 {
            self.path.push(SubPath {
                pts: std::mem::take(&mut self.cur),
                curved: self.cur_curved,
            });
        }
        self.cur.clear();
        self.cur_curved = false;
    }

    fn mcid(&self) -> (u32, bool) {
        let mut mcid = NO_MCID;
        let mut artifact = false;
        for m in &self.mc {
            if m.mcid != NO_MCID {
                mcid = m.mcid;
            }
            artifact |= m.artifact;
        }
        (mcid, artifact)
    }

    fn visible(&self, x: f32, y: f32) -> bool {
        match self.gs.clip {
            Some([x0, y0, x1, y1]) => {
                x >= x0 - 2.0 && x <= x1 + 2.0 && y >= y0 - 2.0 && y <= y1 + 2.0
            }
            None => true,
        }
    }

    /// Paint the current path: `fill`, `stroke` (either may be false: `n` ends a clip path).
    fn paint(&mut self, fill: bool, stroke: bool) {
        self.flush_sub();
        let path = std::mem::take(&mut self.path);
        if self.pending_clip {
            self.pending_clip = false;
            let mut bb = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
            for s in &path {
                for &(x, y) in &s.pts {
                    bb[0] = bb[0].min(x);
                    bb[1] = bb[1].min(y);
                    bb[2] = bb[2].max(x);
                    bb[3] = bb[3].max(y);
                }
            }
            if bb[0] <= bb[2] && bb.iter().all(|v| v.is_finite()) {
                self.gs.clip = Some(match self.gs.clip {
                    Some(c) => {
                        let r = [
                            c[0].max(bb[0]),
                            c[1].max(bb[1]),
                            c[2].min(bb[2]),
                            c[3].min(bb[3]),
                        ];
                        [r[0], r[1], r[2].max(r[0]), r[3].max(r[1])]
                    }
                    None => bb,
                });
            }
        }
        if !fill && !stroke {
            return;
        }
        for s in &path {
            self.add_shape(&s.pts, s.curved, fill, stroke);
        }
    }

    fn add_shape(&mut self, pts: &[(f32, f32)], curved: bool, fill: bool, stroke: bool) {
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
        // Clipped away entirely.
        if let Some([cx0, cy0, cx1, cy1]) = self.gs.clip {
            if x1 < cx0 - 1.0 || x0 > cx1 + 1.0 || y1 < cy0 - 1.0 || y0 > cy1 + 1.0 {
                return;
            }
            x0 = x0.max(cx0);
            y0 = y0.max(cy0);
            x1 = x1.min(cx1).max(x0);
            y1 = y1.min(cy1).max(y0);
        }
        let (w, h) = (x1 - x0, y1 - y0);
        const THIN: f32 = 3.0;
        let fill_visible = fill && self.gs.fill_light < 0.97;
        let stroke_visible = stroke && self.gs.stroke_light < 0.97;
        let out = &mut self.out;
        if fill_visible && !curved && h <= THIN && w > THIN {
            out.segs.push(Seg {
                horizontal: true,
                pos: (y0 + y1) / 2.0,
                a: x0,
                b: x1,
            });
            return;
        }
        if fill_visible && !curved && w <= THIN && h > THIN {
            out.segs.push(Seg {
                horizontal: false,
                pos: (x0 + x1) / 2.0,
                a: y0,
                b: y1,
            });
            return;
        }
        if fill_visible && (1.0..=8.0).contains(&w) && (1.0..=8.0).contains(&h) {
            out.dots.push(Rect { x0, y0, x1, y1 });
            return;
        }
        if fill_visible && !curved && w > 8.0 && h > 8.0 && pts.len() <= 6 {
            out.fills.push(Fill {
                rect: Rect { x0, y0, x1, y1 },
                light: self.gs.fill_light,
            });
        }
        if stroke_visible {
            // Every axis-aligned edge of a stroked path is a rule.
            for pair in pts.windows(2) {
                let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
                if (ay - by).abs() < 1.0 && (ax - bx).abs() > 1.0 {
                    out.segs.push(Seg {
                        horizontal: true,
                        pos: (ay + by) / 2.0,
                        a: ax.min(bx),
                        b: ax.max(bx),
                    });
                } else if (ax - bx).abs() < 1.0 && (ay - by).abs() > 1.0 {
                    out.segs.push(Seg {
                        horizontal: false,
                        pos: (ax + bx) / 2.0,
                        a: ay.min(by),
                        b: ay.max(by),
                    });
                }
            }
        }
    }

    fn set_font(&mut self, dict: Option<Dict<'a>>, size: f64) {
        self.gs.font = dict.map(|d| self.fonts.get(&d));
        self.gs.size = size;
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some(fi) = self.gs.font else {
            return;
        };
        let (mcid, artifact) = self.mcid();
        let gs = &self.gs;
        let (size, tc, tw, th, rise) = (gs.size, gs.tc, gs.tw, gs.th, gs.rise);
        let ctm = gs.ctm;
        let mut i = 0;
        while i < bytes.len() {
            let entry = &mut self.fonts.entries[fi];
            let (code, len) = match &entry.font {
                Some(f) => f.read_code(bytes, i),
                None => (u32::from(bytes[i]), 1),
            };
            let len = len.max(1);
            i += len;
            let (chars, adv_x, adv_y) = {
                let font = &entry.font;
                let cjk = &entry.cjk;
                entry
                    .codes
                    .entry(code)
                    .or_insert_with(|| {
                        let mut info = code_info(font.as_ref(), code);
                        if info.0.first() == Some(&'\u{FFFD}') {
                            if let Some(c) = cjk.as_ref().and_then(|c| c.chars(code, len)) {
                                info.0 = c;
                            }
                        }
                        info
                    })
                    .clone()
            };
            let horizontal = entry.horizontal;
            let scale = entry.scale;
            let bold = entry.bold;
            let word = if len == 1 && code == 32 { tw } else { 0.0 };
            // Text rendering matrix.
            let tsm = M([size * th, 0.0, 0.0, size, 0.0, rise]);
            let trm = tsm.then(&self.tm).then(&ctm);
            if trm.finite() && self.out.glyphs.len() < MAX_GLYPHS {
                let (ox, oy) = if horizontal {
                    trm.apply(0.0, 0.0)
                } else {
                    // Vertical fonts: the origin sits above the glyph's centre.
                    trm.apply(-f64::from(adv_x) / 2000.0, 0.0)
                };
                // Baseline direction: text x axis, or down the text y axis for vertical fonts.
                let (ux, uy) = if horizontal {
                    (trm.0[0], trm.0[1])
                } else {
                    (-trm.0[2], -trm.0[3])
                };
                let (vx, vy) = if horizontal {
                    (trm.0[2], trm.0[3])
                } else {
                    (trm.0[0], trm.0[1])
                };
                let ulen = (ux * ux + uy * uy).sqrt();
                let vlen = (vx * vx + vy * vy).sqrt();
                let glyph_size = (vlen * scale) as f32;
                let adv = if horizontal {
                    f64::from(adv_x) / 1000.0 * ulen
                } else {
                    (f64::from(adv_y) / 1000.0).abs() * ulen
                };
                let dir = direction(ux, uy);
                if glyph_size.is_finite()
                    && (0.5..=2000.0).contains(&glyph_size)
                    && ox.is_finite()
                    && oy.is_finite()
                {
                    let (ox, oy) = (ox as f32, oy as f32);
                    // Visible under the clip? Judge by the glyph's centre.
                    let (cx, cy) = {
                        let h = 0.3 * f64::from(glyph_size);
                        let (dx, dy) = (ux / ulen.max(1e-9), uy / ulen.max(1e-9));
                        (
                            ox + (dx * adv / 2.0 + dy * h) as f32,
                            oy + (dy * adv / 2.0 - dx * h) as f32,
                        )
                    };
                    if self.visible(cx, cy) {
                        self.chars.clear();
                        for &c in chars.iter() {
                            map_char(c, &mut self.chars);
                        }
                        let n = self.chars.len().max(1) as f32;
                        let w = adv.max(0.0) as f32;
                        let (dx, dy) = ((ux / ulen.max(1e-9)) as f32, (uy / ulen.max(1e-9)) as f32);
                        let flags =
                            if bold { BOLD } else { 0 } | if artifact { ARTIFACT } else { 0 };
                        for (k, &c) in self.chars.iter().enumerate() {
                            let off = w * k as f32 / n;
                            self.out.glyphs.push(RawGlyph {
                                ch: c,
                                ox: ox + dx * off,
                                oy: oy + dy * off,
                                dir,
                                w: w / n,
                                size: glyph_size,
                                mcid,
                                flags,
                            });
                        }
                    }
                }
            }
            // Advance the text matrix.
            if horizontal {
                let tx = (f64::from(adv_x) / 1000.0 * size + tc + word) * th;
                self.tm = M::translate(tx, 0.0).then(&self.tm);
            } else {
                let ty = f64::from(adv_y) / 1000.0 * size + tc + word;
                self.tm = M::translate(0.0, ty).then(&self.tm);
            }
        }
    }

    fn adjust(&mut self, n: f64) {
        let Some(fi) = self.gs.font else {
            return;
        };
        let d = -n / 1000.0 * self.gs.size;
        if self.fonts.entries[fi].horizontal {
            self.tm = M::translate(d * self.gs.th, 0.0).then(&self.tm);
        } else {
            self.tm = M::translate(0.0, d).then(&self.tm);
        }
    }

    fn next_line(&mut self, tx: f64, ty: f64) {
        self.tlm = M::translate(tx, ty).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn ext_gstate(&mut self, d: &Dict<'a>) {
        if let Some(a) = d.get::<Array<'a>>(b"Font") {
            let mut it = a.iter::<Object<'a>>();
            let font = it.next().and_then(|o| o.into_dict());
            let size = it.next().and_then(|o| o.into_f32()).unwrap_or(0.0);
            self.set_font(font, f64::from(size));
        }
    }

    fn run(&mut self, data: &[u8], res: &Resources<'a>) {
        let mut it = TypedIter::new(data);
        while let Some(op) = it.next() {
            if !self.time_check() {
                return;
            }
            match op {
                TypedInstruction::SaveState(_) if self.stack.len() < 256 => {
                    self.stack.push(self.gs.clone());
                }
                TypedInstruction::SaveState(_) => {}
                TypedInstruction::RestoreState(_) => {
                    if let Some(g) = self.stack.pop() {
                        self.gs = g;
                    }
                }
                TypedInstruction::Transform(t) => {
                    let m = M([
                        t.0.as_f64(),
                        t.1.as_f64(),
                        t.2.as_f64(),
                        t.3.as_f64(),
                        t.4.as_f64(),
                        t.5.as_f64(),
                    ]);
                    let n = m.then(&self.gs.ctm);
                    if n.finite() {
                        self.gs.ctm = n;
                    }
                }
                TypedInstruction::SetGraphicsState(n) => {
                    if let Some(d) = res.get_ext_g_state(n.0) {
                        self.ext_gstate(&d);
                    }
                }
                TypedInstruction::MoveTo(m) => {
                    self.flush_sub();
                    let p = self.point(m.0.as_f64(), m.1.as_f64());
                    self.cur.push(p);
                }
                TypedInstruction::LineTo(l) => {
                    let p = self.point(l.0.as_f64(), l.1.as_f64());
                    self.cur.push(p);
                }
                TypedInstruction::CubicTo(c) => {
                    self.cur_curved = true;
                    let p = self.point(c.4.as_f64(), c.5.as_f64());
                    self.cur.push(p);
                }
                TypedInstruction::CubicStartTo(c) => {
                    self.cur_curved = true;
                    let p = self.point(c.2.as_f64(), c.3.as_f64());
                    self.cur.push(p);
                }
                TypedInstruction::CubicEndTo(c) => {
                    self.cur_curved = true;
                    let p = self.point(c.2.as_f64(), c.3.as_f64());
                    self.cur.push(p);
                }
                TypedInstruction::ClosePath(_) => {
                    if let Some(&f) = self.cur.first() {
                        self.cur.push(f);
                    }
                }
                TypedInstruction::RectPath(r) => {
                    self.flush_sub();
                    let (x, y, w, h) = (r.0.as_f64(), r.1.as_f64(), r.2.as_f64(), r.3.as_f64());
                    let pts = vec![
                        self.point(x, y),
                        self.point(x + w, y),
                        self.point(x + w, y + h),
                        self.point(x, y + h),
                        self.point(x, y),
                    ];
                    self.path.push(SubPath { pts, curved: false });
                }
                TypedInstruction::StrokePath(_) => self.paint(false, true),
                TypedInstruction::CloseAndStrokePath(_) => {
                    if let Some(&f) = self.cur.first() {
                        self.cur.push(f);
                    }
                    self.paint(false, true)
                }
                TypedInstruction::FillPathNonZero(_)
                | TypedInstruction::FillPathNonZeroCompatibility(_)
                | TypedInstruction::FillPathEvenOdd(_) => self.paint(true, false),
                TypedInstruction::FillAndStrokeNonZero(_)
                | TypedInstruction::FillAndStrokeEvenOdd(_) => self.paint(true, true),
                TypedInstruction::CloseFillAndStrokeNonZero(_)
                | TypedInstruction::CloseFillAndStrokeEvenOdd(_) => {
                    if let Some(&f) = self.cur.first() {
                        self.cur.push(f);
                    }
                    self.paint(true, true)
                }
                TypedInstruction::EndPath(_) => self.paint(false, false),
                TypedInstruction::ClipNonZero(_) | TypedInstruction::ClipEvenOdd(_) => {
                    self.pending_clip = true
                }
                TypedInstruction::ColorSpaceStroke(n) => {
                    self.gs.stroke_ncomp = components(&Object::Name(n.0.clone()), res, 0);
                    self.gs.stroke_light = 0.0;
                }
                TypedInstruction::ColorSpaceNonStroke(n) => {
                    self.gs.fill_ncomp = components(&Object::Name(n.0.clone()), res, 0);
                    self.gs.fill_light = 0.0;
                }
                TypedInstruction::StrokeColor(c) => {
                    self.gs.stroke_light = color_light(&nums(&c.0), self.gs.stroke_ncomp)
                }
                TypedInstruction::StrokeColorNamed(c) => {
                    self.gs.stroke_light = color_light(&nums(&c.0), self.gs.stroke_ncomp)
                }
                TypedInstruction::NonStrokeColor(c) => {
                    self.gs.fill_light = color_light(&nums(&c.0), self.gs.fill_ncomp)
                }
                TypedInstruction::NonStrokeColorNamed(c) => {
                    self.gs.fill_light = color_light(&nums(&c.0), self.gs.fill_ncomp)
                }
                TypedInstruction::StrokeColorDeviceGray(g) => {
                    self.gs.stroke_ncomp = 1;
                    self.gs.stroke_light = lightness(&[g.0.as_f64()]);
                }
                TypedInstruction::NonStrokeColorDeviceGray(g) => {
                    self.gs.fill_ncomp = 1;
                    self.gs.fill_light = lightness(&[g.0.as_f64()]);
                }
                TypedInstruction::StrokeColorDeviceRgb(c) => {
                    self.gs.stroke_ncomp = 3;
                    self.gs.stroke_light = lightness(&[c.0.as_f64(), c.1.as_f64(), c.2.as_f64()]);
                }
                TypedInstruction::NonStrokeColorDeviceRgb(c) => {
                    self.gs.fill_ncomp = 3;
                    self.gs.fill_light = lightness(&[c.0.as_f64(), c.1.as_f64(), c.2.as_f64()]);
                }
                TypedInstruction::StrokeColorCmyk(c) => {
                    self.gs.stroke_ncomp = 4;
                    self.gs.stroke_light =
                        lightness(&[c.0.as_f64(), c.1.as_f64(), c.2.as_f64(), c.3.as_f64()]);
                }
                TypedInstruction::NonStrokeColorCmyk(c) => {
                    self.gs.fill_ncomp = 4;
                    self.gs.fill_light =
                        lightness(&[c.0.as_f64(), c.1.as_f64(), c.2.as_f64(), c.3.as_f64()]);
                }
                TypedInstruction::XObject(n) => {
                    if let Some(s) = res.get_x_object(n.0) {
                        self.xobject(&s, res);
                    }
                }
                TypedInstruction::InlineImage(_) => self.out.images += 1,
                TypedInstruction::CharacterSpacing(n) => self.gs.tc = n.0.as_f64(),
                TypedInstruction::WordSpacing(n) => self.gs.tw = n.0.as_f64(),
                TypedInstruction::HorizontalScaling(n) => self.gs.th = n.0.as_f64() / 100.0,
                TypedInstruction::TextLeading(n) => self.gs.tl = n.0.as_f64(),
                TypedInstruction::TextFont(f) => {
                    let d = res.get_font(f.0);
                    self.set_font(d, f.1.as_f64());
                }
                TypedInstruction::TextRenderingMode(n) => {
                    self.gs.render = n.0.as_f64().clamp(0.0, 7.0) as u8
                }
                TypedInstruction::TextRise(n) => self.gs.rise = n.0.as_f64(),
                TypedInstruction::BeginText(_) => {
                    self.tm = M::ID;
                    self.tlm = M::ID;
                }
                TypedInstruction::EndText(_) => {}
                TypedInstruction::NextLine(n) => self.next_line(n.0.as_f64(), n.1.as_f64()),
                TypedInstruction::NextLineAndSetLeading(n) => {
                    self.gs.tl = -n.1.as_f64();
                    self.next_line(n.0.as_f64(), n.1.as_f64());
                }
                TypedInstruction::SetTextMatrix(t) => {
                    let m = M([
                        t.0.as_f64(),
                        t.1.as_f64(),
                        t.2.as_f64(),
                        t.3.as_f64(),
                        t.4.as_f64(),
                        t.5.as_f64(),
                    ]);
                    if m.finite() {
                        self.tm = m;
                        self.tlm = m;
                    }
                }
                TypedInstruction::NextLineUsingLeading(_) => self.next_line(0.0, -self.gs.tl),
                TypedInstruction::ShowText(s) => self.show(s.0.as_bytes()),
                TypedInstruction::NextLineAndShowText(s) => {
                    self.next_line(0.0, -self.gs.tl);
                    self.show(s.0.as_bytes());
                }
                TypedInstruction::ShowTextWithParameters(s) => {
                    self.gs.tw = s.0.as_f64();
                    self.gs.tc = s.1.as_f64();
                    self.next_line(0.0, -self.gs.tl);
                    self.show(s.2.as_bytes());
                }
                TypedInstruction::ShowTexts(a) => {
                    for o in a.0.iter::<Object<'_>>() {
                        match o {
                            Object::String(s) => self.show(s.as_bytes()),
                            Object::Number(n) => self.adjust(n.as_f64()),
                            _ => {}
                        }
                    }
                }
                TypedInstruction::BeginMarkedContent(n) => self.mc.push(Mc {
                    mcid: NO_MCID,
                    artifact: n.0.as_ref() == b"Artifact",
                }),
                TypedInstruction::BeginMarkedContentWithProperties(b) => {
                    let props = match b.1 {
                        Object::Dict(d) => Some(d.clone()),
                        Object::Name(n) => res.properties.get::<Dict<'_>>(n),
                        _ => None,
                    };
                    let mcid = if self.form_depth == 0 {
                        props
                            .as_ref()
                            .and_then(|p| p.get::<i64>(b"MCID"))
                            .and_then(|v| u32::try_from(v).ok())
                            .unwrap_or(NO_MCID)
                    } else {
                        NO_MCID
                    };
                    self.mc.push(Mc {
                        mcid,
                        artifact: b.0.as_ref() == b"Artifact",
                    });
                }
                TypedInstruction::EndMarkedContent(_) => {
                    self.mc.pop();
                }
                _ => {}
            }
        }
    }

    fn xobject(&mut self, s: &Stream<'a>, res: &Resources<'a>) {
        let d = s.dict();
        match d.get::<Name<'_>>(b"Subtype").as_deref() {
            Some(b"Image") => {
                self.out.images += 1;
                return;
            }
            Some(b"Form") => {}
            _ => return,
        }
        let id = s.obj_id();
        let key = (id.obj_number, id.gen_number);
        if self.form_depth >= MAX_FORM_DEPTH || self.form_ids.contains(&key) {
            return;
        }
        let Ok(data) = s.decoded() else {
            return;
        };
        let saved = self.gs.clone();
        let saved_stack = self.stack.len();
        let saved_mc = self.mc.len();
        if let Some(m) = d.get::<Array<'_>>(b"Matrix") {
            let v: Vec<f64> = m.iter::<f64>().collect();
            if v.len() == 6 {
                let m = M([v[0], v[1], v[2], v[3], v[4], v[5]]);
                let n = m.then(&self.gs.ctm);
                if n.finite() {
                    self.gs.ctm = n;
                }
            }
        }
        if let Some(b) = d.get::<Array<'_>>(b"BBox") {
            let v: Vec<f64> = b.iter::<f64>().collect();
            if v.len() == 4 {
                self.cur.clear();
                self.path.clear();
                let pts = vec![
                    self.point(v[0], v[1]),
                    self.point(v[2], v[1]),
                    self.point(v[2], v[3]),
                    self.point(v[0], v[3]),
                ];
                self.path.push(SubPath { pts, curved: false });
                self.pending_clip = true;
                self.paint(false, false);
            }
        }
        let form_res = d
            .get::<Dict<'a>>(b"Resources")
            .map(Resources::new)
            .unwrap_or_else(|| res.clone());
        self.form_depth += 1;
        self.form_ids.push(key);
        let (tm, tlm) = (self.tm, self.tlm);
        self.run(&data, &form_res);
        self.tm = tm;
        self.tlm = tlm;
        self.form_ids.pop();
        self.form_depth -= 1;
        self.stack.truncate(saved_stack);
        self.mc.truncate(saved_mc);
        self.gs = saved;
    }
}

fn color_light(c: &[f64], ncomp: u8) -> f32 {
    if ncomp == 0 || c.is_empty() {
        // Patterns: some visible paint.
        return 0.5;
    }
    lightness(c)
}

/// Quarter turns of a baseline direction (top-down space), 255 when not axis-aligned.
fn direction(ux: f64, uy: f64) -> u8 {
    let len = (ux * ux + uy * uy).sqrt();
    if !len.is_finite() || len < 1e-9 {
        return 255;
    }
    let (x, y) = (ux / len, uy / len);
    const T: f64 = 0.035; // about 2 degrees
    if y.abs() < T {
        if x > 0.0 {
            0
        } else {
            2
        }
    } else if x.abs() < T {
        if y > 0.0 {
            1
        } else {
            3
        }
    } else {
        255
    }
}

fn code_info(font: Option<&Font<'_>>, code: u32) -> (Box<[char]>, f32, f32) {
    let Some(f) = font else {
        let c = char::from_u32(code)
            .filter(|c| !c.is_control())
            .unwrap_or('\u{FFFD}');
        return (Box::new([c]), 500.0, 0.0);
    };
    let adv = f.code_advance(code);
    let gid = f.map_code(code);
    let uni = match f.glyph(gid, code) {
        FontGlyph::Outline(o) => o.as_unicode(),
        FontGlyph::Type3(t) => t.as_unicode(),
    };
    let chars: Box<[char]> = match uni {
        Some(BfString::Char(c)) => Box::new([c]),
        Some(BfString::String(s)) => s.chars().collect(),
        None => Box::new(['\u{FFFD}']),
    };
    let (ax, ay) = (adv.x as f32, adv.y as f32);
    (
        chars,
        if ax.is_finite() { ax } else { 0.0 },
        if ay.is_finite() { ay } else { 0.0 },
    )
}

/// The page's box as displayed (crop box within the media box) and its /Rotate in quarter turns.
pub fn page_box(page: &Page<'_>) -> ([f64; 4], u8) {
    let mut b = page.intersected_crop_box();
    if b.x1 - b.x0 < 1.0 || b.y1 - b.y0 < 1.0 {
        b = page.media_box();
    }
    let rot = match page.rotation() {
        Rotation::None => 0,
        Rotation::Horizontal => 1,
        Rotation::Flipped => 2,
        Rotation::FlippedHorizontal => 3,
    };
    ([b.x0, b.y0, b.x1, b.y1], rot)
}

/// Interpret one page. Returns the raw page and whether the deadline passed.
pub fn interpret<'a>(
    page: &Page<'a>,
    fonts: &mut Fonts<'a>,
    deadline: Option<Instant>,
) -> (RawPage, bool) {
    let (bx, rot) = page_box(page);
    let (m, w, h) = page_matrix(bx, rot);
    let mut it = Interp {
        fonts,
        gs: GState::new(m),
        stack: Vec::new(),
        tm: M::ID,
        tlm: M::ID,
        path: Vec::new(),
        cur: Vec::new(),
        cur_curved: false,
        pending_clip: false,
        mc: Vec::new(),
        form_depth: 0,
        form_ids: Vec::new(),
        out: RawPage {
            width: w as f32,
            height: h as f32,
            ..RawPage::default()
        },
        ops: 0,
        deadline,
        timed_out: false,
        chars: Vec::new(),
    };
    // The page box is the first clip.
    it.gs.clip = Some([0.0, 0.0, w as f32, h as f32]);
    let (data, damaged) = page_content(page);
    it.out.damaged = damaged;
    if let Some(data) = data {
        it.run(&data, page.resources());
    }
    let timed_out = it.timed_out;
    (it.out, timed_out)
}

/// The page's decoded content (not cached by the page, so memory does not grow with pages), and
/// whether some of it could not be decoded.
fn page_content(page: &Page<'_>) -> (Option<Vec<u8>>, bool) {
    let d = page.raw();
    if let Some(s) = d.get::<Stream<'_>>(b"Contents") {
        return match s.decoded() {
            Ok(c) => (Some(c.into_owned()), false),
            Err(_) => (None, true),
        };
    }
    let Some(a) = d.get::<Array<'_>>(b"Contents") else {
        // Contents that are there but are not a stream (a broken reference) are damage.
        return (None, d.contains_key(b"Contents"));
    };
    let mut out = Vec::new();
    let mut damaged = false;
    for s in a.iter::<Stream<'_>>() {
        match s.decoded() {
            Ok(c) => {
                out.extend_from_slice(&c);
                out.push(b'\n');
            }
            Err(_) => damaged = true,
        }
    }
    (Some(out), damaged)
}

/// Turn a raw page upright: the direction most of its text runs in becomes left-to-right.
/// Glyphs running in another direction (vertical labels) are laid out as short upright runs
/// where they stand; skewed glyphs (diagonal watermarks) are dropped.
pub fn orient(raw: RawPage, number: u32) -> PageData {
    let mut counts = [0usize; 4];
    for g in &raw.glyphs {
        if g.dir < 4 && g.ch != ' ' {
            counts[g.dir as usize] += 1;
        }
    }
    let mut turn = 0u8;
    for d in 1..4u8 {
        if counts[d as usize] > counts[turn as usize] {
            turn = d;
        }
    }
    let (w, h) = (raw.width, raw.height);
    // Point transform for `turn` quarter turns back.
    let tf = move |x: f32, y: f32| -> (f32, f32) {
        match turn {
            1 => (y, w - x),
            2 => (w - x, h - y),
            3 => (h - y, x),
            _ => (x, y),
        }
    };
    let (nw, nh) = if turn % 2 == 1 { (h, w) } else { (w, h) };
    let rect = |r: Rect| -> Rect {
        let (ax, ay) = tf(r.x0, r.y0);
        let (bx, by) = tf(r.x1, r.y1);
        Rect {
            x0: ax.min(bx),
            y0: ay.min(by),
            x1: ax.max(bx),
            y1: ay.max(by),
        }
    };
    let mut glyphs = Vec::with_capacity(raw.glyphs.len());
    let mut others: Vec<(u8, Glyph)> = Vec::new();
    for g in raw.glyphs {
        if g.dir >= 4 {
            continue;
        }
        let (x, y) = tf(g.ox, g.oy);
        let d = (g.dir + 4 - turn) % 4;
        let glyph = Glyph {
            ch: g.ch,
            x0: x,
            x1: x + g.w,
            y,
            size: g.size,
            mcid: g.mcid,
            flags: g.flags,
        };
        if d == 0 {
            glyphs.push(glyph);
        } else {
            others.push((d, glyph));
        }
    }
    glyphs.extend(upright_runs(others));
    dedupe(&mut glyphs);
    let segs = raw
        .segs
        .into_iter()
        .map(|s| {
            let r = if s.horizontal {
                rect(Rect {
                    x0: s.a,
                    y0: s.pos,
                    x1: s.b,
                    y1: s.pos,
                })
            } else {
                rect(Rect {
                    x0: s.pos,
                    y0: s.a,
                    x1: s.pos,
                    y1: s.b,
                })
            };
            if r.w() >= r.h() {
                Seg {
                    horizontal: true,
                    pos: r.y0,
                    a: r.x0,
                    b: r.x1,
                }
            } else {
                Seg {
                    horizontal: false,
                    pos: r.x0,
                    a: r.y0,
                    b: r.y1,
                }
            }
        })
        .collect();
    PageData {
        number,
        width: nw,
        height: nh,
        glyphs,
        segs,
        dots: raw.dots.into_iter().map(rect).collect(),
        fills: raw
            .fills
            .into_iter()
            .map(|f| Fill {
                rect: rect(f.rect),
                light: f.light,
            })
            .collect(),
        images: raw.images,
        turned: turn,
    }
}

/// Glyphs whose baseline runs in another direction (`d` quarter turns from upright; each given
/// as a provisional glyph at its origin): consecutive ones form a run, which is laid out as one
/// short upright word centred where the run stands, so that it lands in the right table cell.
fn upright_runs(others: Vec<(u8, Glyph)>) -> Vec<Glyph> {
    let mut out = Vec::new();
    let mut run: Vec<(u8, Glyph)> = Vec::new();
    let flush = |run: &mut Vec<(u8, Glyph)>, out: &mut Vec<Glyph>| {
        let Some(&(d, ref first)) = run.first() else {
            return;
        };
        let size = run.iter().map(|(_, g)| g.size).fold(first.size, f32::max);
        let (mut xmin, mut xmax, mut ymin, mut ymax) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for (_, g) in run.iter() {
            xmin = xmin.min(g.x0);
            xmax = xmax.max(g.x0);
            ymin = ymin.min(g.y);
            ymax = ymax.max(g.y);
        }
        // Centre of the run's ink and the width it may take.
        let (cx, cy, span) = match d {
            1 => (xmin + 0.3 * size, (ymin + ymax) / 2.0, size),
            3 => (xmin - 0.3 * size, (ymin + ymax) / 2.0, size),
            _ => (
                (xmin + xmax) / 2.0,
                ymin + 0.3 * size,
                (xmax - xmin).max(size),
            ),
        };
        let total: f32 = run.iter().map(|(_, g)| (g.x1 - g.x0).max(0.0)).sum();
        let k = if total > span { span / total } else { 1.0 };
        let mut x = cx - total * k / 2.0;
        let baseline = cy + 0.3 * size;
        for (_, g) in run.drain(..) {
            let w = (g.x1 - g.x0).max(0.0) * k;
            out.push(Glyph {
                x0: x,
                x1: x + w,
                y: baseline,
                size: g.size.min(size),
                ..g
            });
            x += w;
        }
    };
    for (d, g) in others {
        let continues = run.last().is_some_and(|(pd, p)| {
            *pd == d && {
                let (dx, dy) = (g.x0 - p.x0, g.y - p.y);
                let step = (p.x1 - p.x0).max(0.1) + p.size;
                let along = match d {
                    1 => dy,
                    2 => -dx,
                    3 => -dy,
                    _ => dx,
                };
                let across = match d {
                    1 | 3 => dx.abs(),
                    _ => dy.abs(),
                };
                along > -0.5 * p.size && along < 2.0 * step && across < 0.6 * p.size
            }
        });
        if !continues {
            flush(&mut run, &mut out);
        }
        run.push((d, g));
    }
    flush(&mut run, &mut out);
    out
}

/// Drop glyphs drawn twice at the same place (fake bold by overprinting, shadows, content
/// drawn again under another clip).
fn dedupe(glyphs: &mut Vec<Glyph>) {
    let mut seen: rustc_hash::FxHashSet<(char, i32, i32)> = Default::default();
    seen.reserve(glyphs.len());
    glyphs.retain(|g| {
        if g.ch == ' ' {
            return true;
        }
        let q = (g.size * 0.1).max(0.5);
        seen.insert((g.ch, (g.x0 / q).round() as i32, (g.y / q).round() as i32))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_matrix_rotations() {
        let b = [0.0, 0.0, 600.0, 800.0];
        // Upright: user (0, 800) is the top-left corner.
        let (m, w, h) = page_matrix(b, 0);
        assert_eq!((w, h), (600.0, 800.0));
        assert_eq!(m.apply(0.0, 800.0), (0.0, 0.0));
        // Rotated 90 clockwise: the user top-left corner is displayed top-right.
        let (m, w, h) = page_matrix(b, 1);
        assert_eq!((w, h), (800.0, 600.0));
        assert_eq!(m.apply(0.0, 800.0), (800.0, 0.0));
        let (m, _, _) = page_matrix(b, 2);
        assert_eq!(m.apply(0.0, 800.0), (600.0, 800.0));
        let (m, w, _) = page_matrix(b, 3);
        assert_eq!(w, 800.0);
        assert_eq!(m.apply(0.0, 800.0), (0.0, 600.0));
    }

    #[test]
    fn directions() {
        assert_eq!(direction(1.0, 0.0), 0);
        assert_eq!(direction(0.0, 1.0), 1);
        assert_eq!(direction(-1.0, 0.0), 2);
        assert_eq!(direction(0.0, -1.0), 3);
        assert_eq!(direction(1.0, 1.0), 255);
    }

    #[test]
    fn lightness_of_colours() {
        assert!(lightness(&[1.0]) > 0.99);
        assert!(lightness(&[0.0, 0.0, 0.0, 1.0]) < 0.01);
        assert!(lightness(&[0.0, 0.0, 0.0, 0.0]) > 0.99);
        assert!((lightness(&[0.85, 0.85, 0.85]) - 0.85).abs() < 0.01);
    }
}
