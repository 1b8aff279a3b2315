//! PDF reader with layout analysis.
//!
//! `hayro-syntax` parses the file lazily (repairing a broken cross-reference table and opening
//! files encrypted with an empty user password); our interpreter ([`interp`]) runs each page's
//! content and collects positioned glyphs, rules and filled boxes ([`glyphs`]), turned upright.
//! Pages are then analysed one at a time and released, so memory does not grow with the page
//! count: tables from the structure tree when the PDF is tagged and its tags agree with the
//! page ([`tags`]); ruled tables from the rules ([`ruled`]); running headers and footers removed
//! by comparing a page with its neighbours ([`pages`]); glyphs grouped into lines ([`lines`]);
//! borderless tables from text alignment ([`borderless`]); the rest into headings, paragraphs
//! and list items in reading order, two-column pages included ([`blocks`]). Tables continued
//! over a page break are stitched into one ([`ptable`]).
//!
//! Every page is interpreted inside `catch_unwind`: a page that cannot be read is reported in
//! [`read_with_notes`]'s notes, the others are kept. A time budget (`limits.timeout_secs`) and a
//! page limit apply.

pub mod banded;
pub mod blocks;
pub mod borderless;
pub mod glyphs;
pub mod interp;
pub mod lines;
pub mod pages;
pub mod ptable;
pub mod ruled;
pub mod tags;

use std::collections::{HashMap, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use hayro_syntax::{LoadPdfError, Pdf};

use crate::document::{Block, BlockKind, Document, Source};
use crate::error::{Error, Result};
use crate::Options;

use blocks::{PBlock, PKind};
use glyphs::{Glyph, PageData, ARTIFACT, NO_MCID};
use lines::{group_lines, join_lines, Line, TextLine};
use ptable::{PCell, PRow, PTable};
use tags::Tags;

/// Read the bytes into a document.
pub fn read(bytes: &[u8], opts: &Options) -> Result<Document> {
    read_with_notes(bytes, opts).map(|(d, _)| d)
}

/// Read the bytes into a document, with notes on pages that could not be read or were cut
/// short (one line each, in the user's terms).
pub fn read_with_notes(bytes: &[u8], opts: &Options) -> Result<(Document, Vec<String>)> {
    let start = Instant::now();
    // `--timeout 0` means no budget.
    let deadline = (opts.limits.timeout_secs > 0)
        .then(|| start.checked_add(Duration::from_secs(opts.limits.timeout_secs)))
        .flatten();
    let budget = || {
        Error::Limit(format!(
            "reading the PDF took longer than the {} s budget (raise it with --timeout)",
            opts.limits.timeout_secs
        ))
    };
    let pdf = open(bytes)?;
    let pages = pdf.pages();
    let npages = pages.len();
    if npages == 0 {
        return Err(Error::Corrupt {
            format: "PDF",
            detail: "it has no pages".into(),
        });
    }
    if npages as u64 > u64::from(opts.limits.max_pages) {
        return Err(Error::Limit(format!(
            "the PDF has {npages} pages, over the limit of {} pages (raise it with --max-pages)",
            opts.limits.max_pages
        )));
    }
    let t_load = start.elapsed();
    // CARERS_PDF_NO_TAGS=1 ignores the structure tree (to measure the geometric analysis).
    let tags = if std::env::var_os("CARERS_PDF_NO_TAGS").is_some() {
        None
    } else {
        catch_unwind(AssertUnwindSafe(|| tags::read(&pdf)))
            .ok()
            .flatten()
    };
    let t_tags = start.elapsed();
    let mut asm = Assembler::new(npages, tags.as_ref());
    let mut fonts = interp::Fonts::new();
    let mut failed: Vec<u32> = Vec::new();
    let mut t_interp = Duration::ZERO;
    for (i, page) in pages.iter().enumerate() {
        let number = i as u32 + 1;
        if deadline.is_some_and(|d| Instant::now() > d) {
            return Err(budget());
        }
        let t0 = Instant::now();
        let r = catch_unwind(AssertUnwindSafe(|| {
            interp::interpret(page, &mut fonts, deadline)
        }));
        t_interp += t0.elapsed();
        match r {
            Ok((_, true)) => return Err(budget()),
            Ok((raw, false)) => {
                if raw.damaged {
                    failed.push(number);
                }
                if raw.truncated {
                    asm.notes.push(format!(
                        "page {number} draws too much to read in full; only its first part was read"
                    ));
                }
                let pd = interp::orient(raw, number);
                asm.push(pd);
            }
            Err(_) => {
                // The font cache may be half-built: start afresh.
                fonts = interp::Fonts::new();
                failed.push(number);
                asm.push(PageData {
                    number,
                    ..PageData::default()
                });
            }
        }
    }
    if !failed.is_empty() {
        asm.notes.push(format!(
            "{} could not be read (damaged content); the other pages were read",
            page_list(&failed)
        ));
    }
    let any_text = asm.any_text;
    if any_text && (asm.garbled_ink * 10 >= asm.ink * 9 || asm.alnum * 10 < asm.ink * 4) {
        return Err(Error::Corrupt {
            format: "PDF",
            detail: "its text cannot be decoded (the fonts' character maps are damaged or missing); try re-saving it from the program that made it, or run OCR on it".into(),
        });
    }
    if !asm.garbled.is_empty() {
        let list = page_list(&asm.garbled);
        asm.notes.push(format!(
            "the text of {list} could not be decoded (damaged or missing character maps) and may read as symbols"
        ));
    }
    let images = asm.image_pages.clone();
    let t_pages = start.elapsed();
    let (mut document, mut notes) = asm.finish();
    if !any_text {
        if failed.len() == npages {
            return Err(Error::Corrupt {
                format: "PDF",
                detail: "none of its pages could be read".into(),
            });
        }
        return Err(Error::NoText);
    }
    if !images.is_empty() {
        notes.push(format!(
            "{} {} no text, only images (scanned?): run OCR to read {}, e.g. `ocrmypdf in.pdf out.pdf`",
            page_list(&images),
            if images.len() == 1 { "has" } else { "have" },
            if images.len() == 1 { "it" } else { "them" },
        ));
    }
    if std::env::var_os("CARERS_PDF_TIMING").is_some() {
        eprintln!(
            "pdf timing: load {:?}, tags {:?}, interpret {:?}, layout {:?}, total {:?}",
            t_load,
            t_tags - t_load,
            t_interp,
            start.elapsed() - t_tags - t_interp,
            start.elapsed()
        );
        let _ = t_pages;
    }
    document.pages = Some(npages as u32);
    if let Some(t) = info_title(&pdf) {
        document.title = Some(t);
    }
    Ok((document, notes))
}

/// "page 3", "pages 3, 5 and 9", "pages 3-40" style list.
fn page_list(pages: &[u32]) -> String {
    match pages {
        [] => String::new(),
        [p] => format!("page {p}"),
        _ => {
            let contiguous = pages.windows(2).all(|w| w[1] == w[0] + 1);
            if contiguous {
                format!("pages {}-{}", pages[0], pages[pages.len() - 1])
            } else if pages.len() <= 6 {
                let (last, rest) = pages.split_last().unwrap_or((&0, &[]));
                let rest: Vec<String> = rest.iter().map(u32::to_string).collect();
                format!("pages {} and {last}", rest.join(", "))
            } else {
                format!("{} pages (first: page {})", pages.len(), pages[0])
            }
        }
    }
}

/// Open a PDF: repaired if its cross-reference table is damaged, decrypted if it only has an
/// owner password.
pub fn open(bytes: &[u8]) -> Result<Pdf> {
    let data = bytes.to_vec();
    match catch_unwind(AssertUnwindSafe(|| Pdf::new(data))) {
        Ok(Ok(pdf)) => Ok(pdf),
        Ok(Err(LoadPdfError::Decryption(e))) => Err(match e {
            hayro_syntax::DecryptionError::PasswordProtected => Error::Encrypted(
                "the PDF needs a password to open; remove it first, e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`".into(),
            ),
            hayro_syntax::DecryptionError::UnsupportedAlgorithm => Error::Encrypted(
                "the PDF is encrypted with a method this tool cannot open; save an unencrypted copy first (e.g. `qpdf --decrypt in.pdf out.pdf`)".into(),
            ),
            _ => Error::Corrupt {
                format: "PDF",
                detail: "its encryption settings are damaged".into(),
            },
        }),
        Ok(Err(LoadPdfError::Invalid)) | Err(_) => Err(Error::Corrupt {
            format: "PDF",
            detail: "no readable page structure was found, even after scanning the whole file for objects".into(),
        }),
    }
}

fn info_title(pdf: &Pdf) -> Option<String> {
    let bytes = pdf.metadata().title.as_deref()?;
    let s = if bytes.starts_with(&[0xFE, 0xFF]) {
        let u: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&u)
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(&bytes[3..]).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    };
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() || s.to_lowercase() == "untitled" {
        None
    } else {
        Some(s)
    }
}

/// One item of a page in reading order.
enum Item {
    Table(PTable),
    Text(PBlock, u32),
}

/// The most common glyph size (from counts by half points); 10 when there are none.
fn body_size(sizes: &[usize]) -> f32 {
    sizes
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .max_by_key(|&(s, &n)| (n, std::cmp::Reverse(s)))
        .map_or(10.0, |(s, _)| s as f32 / 2.0)
}

fn item_bottom(i: &Item) -> f32 {
    match i {
        Item::Table(t) => t.bottom,
        Item::Text(b, _) => b.bottom,
    }
}

fn item_top(i: &Item) -> f32 {
    match i {
        Item::Table(t) => t.top,
        Item::Text(b, _) => b.top,
    }
}

/// A page after the first analysis steps, waiting for its neighbours (running headers).
struct Prepared {
    number: u32,
    width: f32,
    height: f32,
    tables: Vec<PTable>,
    lines: Vec<Line>,
    dots: Vec<glyphs::Rect>,
}

/// Turns pages, as they come, into document items; keeps only a few pages at a time.
struct Assembler<'t> {
    tags: Option<&'t Tags>,
    furniture: pages::Furniture,
    pending: VecDeque<Prepared>,
    flat: Vec<Item>,
    /// Glyph counts by size in half points.
    sizes: Vec<usize>,
    notes: Vec<String>,
    any_text: bool,
    image_pages: Vec<u32>,
    finished: usize,
    ink: usize,
    alnum: usize,
    garbled: Vec<u32>,
    garbled_ink: usize,
    bottoms: HashMap<(i32, i32), f32>,
    last_size: Option<(i32, i32)>,
}

impl<'t> Assembler<'t> {
    fn new(npages: usize, tags: Option<&'t Tags>) -> Assembler<'t> {
        Assembler {
            tags,
            furniture: pages::Furniture::new(npages),
            pending: VecDeque::new(),
            flat: Vec::new(),
            sizes: vec![0; 2001],
            notes: Vec::new(),
            any_text: false,
            image_pages: Vec::new(),
            finished: 0,
            ink: 0,
            alnum: 0,
            garbled: Vec::new(),
            garbled_ink: 0,
            bottoms: HashMap::new(),
            last_size: None,
        }
    }

    fn push(&mut self, p: PageData) {
        let ink = p.glyphs.iter().filter(|g| !g.is_space()).count();
        // Leader and rule characters (dot leaders in a contents page) are neither.
        let leaders = p
            .glyphs
            .iter()
            .filter(|g| matches!(g.ch, '.' | '_' | '-' | '–' | '—' | '·' | '…' | '=' | '*'))
            .count();
        let alnum = p.glyphs.iter().filter(|g| g.ch.is_alphanumeric()).count();
        let ink = ink - leaders;
        let text = ink + leaders > 0;
        self.any_text |= text;
        self.ink += ink;
        self.alnum += alnum;
        // Text that is mostly punctuation and symbols was not decoded (damaged or missing
        // character maps): say so rather than pass it on as if it were the page's text.
        if ink >= 50 && alnum * 10 < ink * 4 {
            self.garbled.push(p.number);
            self.garbled_ink += ink;
        }
        if !text && p.images > 0 {
            self.image_pages.push(p.number);
        }
        for g in &p.glyphs {
            let k = ((g.size * 2.0).round() as usize).min(self.sizes.len() - 1);
            self.sizes[k] += 1;
        }
        let prepared = self.prepare(p);
        self.furniture
            .add(pages::band_keys(&prepared.lines, prepared.height));
        self.pending.push_back(prepared);
        while self.pending.len() > pages::REACH {
            self.finish_page();
        }
    }

    /// Tagged tables, ruled tables, lines.
    fn prepare(&mut self, p: PageData) -> Prepared {
        let PageData {
            number,
            width,
            height,
            glyphs,
            segs,
            dots,
            fills,
            ..
        } = p;
        // Artifacts (running headers, repeated table headers) are dropped in tagged documents,
        // unless a page is mostly artifacts (then its tagging is not to be trusted).
        let mut glyphs = glyphs;
        if self.tags.is_some() {
            let ink = glyphs.iter().filter(|g| !g.is_space()).count();
            let art = glyphs
                .iter()
                .filter(|g| !g.is_space() && g.flags & ARTIFACT != 0)
                .count();
            if art * 10 < ink * 6 {
                glyphs.retain(|g| g.flags & ARTIFACT == 0);
            }
        }
        // The edges of filled boxes are rules too: tables drawn as shaded cells without lines
        // (PowerPoint, designed documents) get their grid from them.
        let mut segs = segs;
        let hidden = hidden_fills(&fills);
        for (f, hide) in fills.iter().zip(hidden) {
            let r = f.rect;
            if !hide && r.w() > 8.0 && r.h() > 8.0 && r.w() < 0.95 * width.max(1.0) * 2.0 {
                segs.extend(fill_edges(r));
            }
        }
        let (mut tables, glyphs) = match self.tags {
            Some(t) => tagged_tables(t, number, glyphs, &segs),
            None => (Vec::new(), glyphs),
        };
        let grids = ruled::find_grids(&segs, height);
        let mut inside: Vec<Vec<Glyph>> = vec![Vec::new(); grids.len()];
        let mut free = Vec::new();
        for g in glyphs {
            match grids
                .iter()
                .position(|gr| gr.cell_at(g.cx(), g.cy()).is_some())
            {
                Some(k) => inside[k].push(g),
                None => free.push(g),
            }
        }
        tables.extend(
            grids
                .iter()
                .zip(inside)
                .map(|(gr, gs)| ruled::build(gr, gs, number))
                .filter(|t| !t.rows.is_empty()),
        );
        let (banded, free) = banded::find(&segs, free, number);
        tables.extend(banded);
        Prepared {
            number,
            width,
            height,
            tables,
            lines: group_lines(free),
            dots,
        }
    }

    /// Finish the oldest pending page: furniture, borderless tables, prose; stitch.
    fn finish_page(&mut self) {
        let Some(mut p) = self.pending.pop_front() else {
            return;
        };
        let i = self.finished;
        self.finished += 1;
        let furniture = &self.furniture;
        pages::remove_furniture(&mut p.lines, p.height, &|k| furniture.repeated(i, k));
        // Right edge of the text area, taking the margins as equal on both sides.
        let left = p.lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
        let text_right = (left < p.width / 2.0).then_some(p.width - left);
        let (bl_tables, rest) = borderless::find(p.lines, p.number, text_right);
        let mut items: Vec<Item> = p
            .tables
            .into_iter()
            .chain(bl_tables)
            .map(Item::Table)
            .collect();
        let prose = blocks::blocks(rest, p.width, &p.dots);
        // Tables go into the flow by their top; prose keeps its own (column) order.
        let mut out: Vec<Item> = Vec::new();
        items.sort_by(|a, b| item_top(a).total_cmp(&item_top(b)));
        let mut tables = items.into_iter().peekable();
        for b in prose {
            while tables.peek().is_some_and(|t| item_top(t) <= b.top) {
                if let Some(t) = tables.next() {
                    out.push(t);
                }
            }
            out.push(Item::Text(b, p.number));
        }
        out.extend(tables);
        // How low content goes on the pages so far: a table that stops well above that did not
        // run out of room, so its last row was not split by the page break.
        // (Pages of another size, such as a landscape section, have their own.)
        let bottom = out.iter().map(item_bottom).fold(0.0, f32::max);
        let size_key = (p.width.round() as i32, p.height.round() as i32);
        let b = self.bottoms.entry(size_key).or_insert(0.0);
        *b = b.max(bottom);
        self.stitch(out);
        self.last_size = Some(size_key);
    }

    /// The most common glyph size so far.
    fn body_size(&self) -> f32 {
        body_size(&self.sizes)
    }

    /// Append a page's items to the document, joining tables and paragraphs continued from the
    /// page before.
    fn stitch(&mut self, items: Vec<Item>) {
        let mut first = true;
        for it in items {
            // Parts of a tagged table join their table wherever it is.
            if let Item::Table(t) = &it {
                if let Some(tag) = t.tag {
                    let back = self.flat.iter_mut().rev().take(64).find_map(|x| match x {
                        Item::Table(p) if p.tag == Some(tag) => Some(p),
                        _ => None,
                    });
                    if let Some(prev) = back {
                        if let Item::Table(next) = it {
                            ptable::stitch_tagged(prev, next);
                        }
                        first = false;
                        continue;
                    }
                }
            }
            if first {
                first = false;
                let room = 3.0 * self.body_size();
                let body_bottom = self
                    .last_size
                    .and_then(|k| self.bottoms.get(&k))
                    .copied()
                    .unwrap_or(0.0);
                if let (Some(Item::Table(prev)), Item::Table(next)) = (self.flat.last_mut(), &it) {
                    if prev.tag.is_none() && ptable::continues(prev, next) {
                        let full = prev.bottom >= body_bottom - room;
                        if let Item::Table(next) = it {
                            ptable::stitch(prev, next, full);
                        }
                        continue;
                    }
                }
                // A paragraph or list item running over the page break.
                if let (Some(Item::Text(prev, _)), Item::Text(next, _)) =
                    (self.flat.last_mut(), &it)
                {
                    let ends = prev.text.trim_end().ends_with(['.', ':', ';', '!', '?']);
                    let lower = next.text.chars().next().is_some_and(char::is_lowercase);
                    if next.kind == PKind::Paragraph
                        && lower
                        && !ends
                        && (next.size - prev.size).abs() <= 0.1 * prev.size
                    {
                        prev.text.push(' ');
                        prev.text.push_str(&next.text);
                        continue;
                    }
                }
            }
            self.flat.push(it);
        }
    }

    fn finish(mut self) -> (Document, Vec<String>) {
        while !self.pending.is_empty() {
            self.finish_page();
        }
        let body = body_size(&self.sizes);
        (to_document(self.flat, body), self.notes)
    }
}

/// The four edges of a filled box, as rules.
/// Fills whose edges cannot be seen: a box inside another box of the same colour (Word shades
/// a cell, then the paragraph inside it with its padding, then the words' line, all in the
/// cell's colour), or a second copy of a box. Their edges are no cell boundaries. Pages with
/// very many fills (vector art) are not compared pairwise.
fn hidden_fills(fills: &[glyphs::Fill]) -> Vec<bool> {
    if fills.len() > 3000 {
        return vec![false; fills.len()];
    }
    fills
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let r = f.rect;
            fills.iter().enumerate().any(|(j, o)| {
                let q = o.rect;
                j != i
                    && (o.light - f.light).abs() < 0.03
                    && q.x0 <= r.x0 + 0.5
                    && q.x1 >= r.x1 - 0.5
                    && q.y0 <= r.y0 + 0.5
                    && q.y1 >= r.y1 - 0.5
                    && (j < i || q.w() > r.w() + 0.5 || q.h() > r.h() + 0.5)
            })
        })
        .collect()
}

fn fill_edges(r: glyphs::Rect) -> [glyphs::Seg; 4] {
    let h = |pos: f32| glyphs::Seg {
        horizontal: true,
        pos,
        a: r.x0,
        b: r.x1,
    };
    let v = |pos: f32| glyphs::Seg {
        horizontal: false,
        pos,
        a: r.y0,
        b: r.y1,
    };
    [h(r.y0), h(r.y1), v(r.x0), v(r.x1)]
}

/// Take the glyphs of tagged table cells out of a page and build the tables' parts on it, when
/// they agree with the page's geometry. Returns the tables and the remaining glyphs.
fn tagged_tables(
    tags: &Tags,
    number: u32,
    glyphs: Vec<Glyph>,
    segs: &[glyphs::Seg],
) -> (Vec<PTable>, Vec<Glyph>) {
    let page = number - 1;
    if !tags.cells.contains_key(&page) {
        return (Vec::new(), glyphs);
    }
    // (table, row, col) -> glyphs
    let mut by_cell: HashMap<(u32, u32, u32), Vec<Glyph>> = HashMap::new();
    let mut rest = Vec::new();
    for g in glyphs {
        match (g.mcid != NO_MCID)
            .then(|| tags.cell(page, g.mcid))
            .flatten()
        {
            Some(c) => by_cell.entry((c.table, c.row, c.col)).or_default().push(g),
            None => rest.push(g),
        }
    }
    let mut tables_here: Vec<u32> = by_cell.keys().map(|k| k.0).collect();
    tables_here.sort_unstable();
    tables_here.dedup();
    let mut out = Vec::new();
    for t in tables_here {
        let meta = &tags.tables[t as usize];
        let keys: Vec<(u32, u32, u32)> = by_cell.keys().filter(|k| k.0 == t).copied().collect();
        let mut cells: Vec<((u32, u32), Vec<Glyph>)> = keys
            .into_iter()
            .map(|k| ((k.1, k.2), by_cell.remove(&k).unwrap_or_default()))
            .collect();
        cells.sort_by_key(|(rc, _)| *rc);
        match build_tagged(t, meta, number, &cells, segs) {
            Some(pt) => out.push(pt),
            None => {
                for (_, gs) in cells {
                    rest.extend(gs);
                }
            }
        }
    }
    (out, rest)
}

/// Bounding box of glyphs: (x0, top, x1, bottom).
/// A box as (left, top, right, bottom).
type BBox = (f32, f32, f32, f32);

fn bbox(gs: &[Glyph]) -> BBox {
    gs.iter()
        .filter(|g| !g.is_space())
        .fold((f32::MAX, f32::MAX, f32::MIN, f32::MIN), |a, g| {
            (
                a.0.min(g.x0),
                a.1.min(g.y - 0.8 * g.size),
                a.2.max(g.x1),
                a.3.max(g.y + 0.25 * g.size),
            )
        })
}

/// True when a vertical separator (rule or edge of a filled box) stands between `lo` and `hi`
/// across the whole band `top..bottom`.
fn crosses(segs: &[glyphs::Seg], lo: f32, hi: f32, top: f32, bottom: f32) -> bool {
    segs.iter().any(|s| {
        !s.horizontal && s.pos > lo && s.pos < hi && s.a <= top + 1.0 && s.b >= bottom - 1.0
    })
}

/// Right edge of a cell's text area from the drawing: the separator on the cell's right less
/// the padding the column's text (starting at `left`) keeps from the separator on its left.
/// A word too long for the cell is broken there. `None` without separators on both sides.
fn padded_right(segs: &[glyphs::Seg], left: f32, b: (f32, f32, f32, f32)) -> Option<f32> {
    let across = |s: &&glyphs::Seg| !s.horizontal && s.a <= b.1 + 1.0 && s.b >= b.3 - 1.0;
    let lsep = segs
        .iter()
        .filter(across)
        .filter(|s| s.pos <= left + 0.5 && s.pos > left - 30.0)
        .map(|s| s.pos)
        .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))))?;
    let rsep = segs
        .iter()
        .filter(across)
        .filter(|s| s.pos >= b.2 - 0.5)
        .map(|s| s.pos)
        .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.min(x))))?;
    let pad = left - lsep;
    (0.0..25.0).contains(&pad).then_some(rsep - pad)
}

/// One page's part of a tagged table, or `None` when the tags do not fit the page: fewer than
/// two columns or rows in the whole table, cells of a row not left to right, or rows not top
/// to bottom. Rows whose tags leave cells out (empty cells not tagged) get their columns from
/// the cells' positions; a row of one cell as wide as the table is a one-cell (section) row.
fn build_tagged(
    index: u32,
    meta: &tags::TagTable,
    page: u32,
    cells: &[((u32, u32), Vec<Glyph>)],
    segs: &[glyphs::Seg],
) -> Option<PTable> {
    if meta.ncols < 2 || meta.nrows < 2 {
        return None;
    }
    let ncols = meta.ncols as usize;
    // (row, tagged col, bbox, glyphs) of cells with ink.
    let inked: Vec<(u32, u32, BBox, &Vec<Glyph>)> = cells
        .iter()
        .filter(|(_, gs)| gs.iter().any(|g| !g.is_space()))
        .map(|((r, c), gs)| (*r, *c, bbox(gs), gs))
        .collect();
    if inked.is_empty() {
        return None;
    }
    let x0 = inked.iter().map(|c| c.2 .0).fold(f32::MAX, f32::min);
    let x1 = inked.iter().map(|c| c.2 .2).fold(f32::MIN, f32::max);
    let top = inked.iter().map(|c| c.2 .1).fold(f32::MAX, f32::min);
    let bottom = inked.iter().map(|c| c.2 .3).fold(f32::MIN, f32::max);
    let full = |r: u32| !meta.short_rows.contains(&r) && !meta.single_rows.contains(&r);
    // Left edge of each column, from rows whose tags cover every column.
    let mut lefts: Vec<Vec<f32>> = vec![Vec::new(); ncols];
    for &(r, c, b, _) in &inked {
        if full(r) && (c as usize) < ncols {
            lefts[c as usize].push(b.0);
        }
    }
    let col_left: Vec<Option<f32>> = lefts
        .iter_mut()
        .map(|v| {
            v.sort_by(f32::total_cmp);
            v.get(v.len() / 2).copied()
        })
        .collect();
    // Where the columns' separators (rules, edges of cell shading) may stand: between the
    // first and the last column's text.
    let known: Vec<f32> = col_left.iter().flatten().copied().collect();
    let inner = match (known.first(), known.last()) {
        (Some(&a), Some(&z)) if known.len() >= 2 => Some((a + 1.0, z - 0.5)),
        _ => None,
    };
    // Does the drawing separate the columns of full rows? Then a row of one tagged cell spans
    // the table exactly when no separator crosses it (a merged section row), and is an
    // ordinary row with empty cells left untagged when one does.
    let separated = inner.is_some_and(|(lo, hi)| {
        let mut bands: Vec<(u32, f32, f32)> = Vec::new();
        for &(r, _, b, _) in inked.iter().filter(|c| full(c.0)) {
            match bands.last_mut() {
                Some(x) if x.0 == r => {
                    x.1 = x.1.min(b.1);
                    x.2 = x.2.max(b.3);
                }
                _ => bands.push((r, b.1, b.3)),
            }
        }
        let crossed = bands
            .iter()
            .filter(|&&(_, t, btm)| crosses(segs, lo, hi, t, btm))
            .count();
        crossed * 2 > bands.len()
    });
    let spans_table = |b: (f32, f32, f32, f32)| -> bool {
        match inner {
            Some((lo, hi)) if separated => !crosses(segs, lo, hi, b.1, b.3),
            // No separators drawn: the text itself runs over a column's start.
            Some(_) => known.get(1).is_some_and(|&x| b.2 > x + 2.0),
            None => (b.2 - b.0) > 0.5 * (x1 - x0),
        }
    };
    // Final placement: (row, col, one_cell_row).
    let mut placed: Vec<(u32, usize, bool, BBox, &Vec<Glyph>)> = Vec::new();
    let mut last: Option<(u32, usize)> = None;
    for &(r, c, b, gs) in &inked {
        let single = meta.single_rows.contains(&r) && spans_table(b);
        let mut col = c as usize;
        if !full(r) && !single && col_left.iter().any(Option::is_some) {
            let min = match last {
                Some((lr, lc)) if lr == r => lc + 1,
                _ => 0,
            };
            col = col_left
                .iter()
                .enumerate()
                .filter(|(_, x)| x.is_some_and(|x| x <= b.0 + 3.0))
                .map(|(k, _)| k)
                .next_back()
                .unwrap_or(col)
                .max(min);
        }
        if col >= ncols {
            continue;
        }
        last = Some((r, col));
        placed.push((r, col, single, b, gs));
    }
    // Geometry checks: within a row, cells left to right; rows top to bottom.
    let mut checks = 0usize;
    let mut bad = 0usize;
    for w in placed.windows(2) {
        let (r0, c0, _, a, _) = w[0];
        let (r1, c1, _, b, _) = w[1];
        if r0 == r1 && c1 > c0 {
            checks += 1;
            if b.0 < a.0 - 1.0 {
                bad += 1;
            }
        }
    }
    let mut row_tops: Vec<(u32, f32)> = Vec::new();
    for &(r, _, _, b, _) in &placed {
        match row_tops.last_mut() {
            Some((lr, top)) if *lr == r => *top = top.min(b.1),
            _ => row_tops.push((r, b.1)),
        }
    }
    for w in row_tops.windows(2) {
        checks += 1;
        if w[1].1 < w[0].1 - 1.0 {
            bad += 1;
        }
    }
    if checks > 0 && bad * 5 > checks {
        return None;
    }
    // Right edge of a column's text: where the next column's ink starts.
    let mut ink_left = vec![f32::MAX; ncols + 1];
    for &(_, c, _, b, _) in &placed {
        ink_left[c] = ink_left[c].min(b.0);
    }
    let right_of = |c: usize, own: f32| -> f32 {
        ink_left[c + 1..]
            .iter()
            .copied()
            .find(|&x| x < f32::MAX)
            .map_or(own, |x| x - 2.0)
    };
    let mut rows: Vec<PRow> = Vec::new();
    for &(r, c, single, b, gs) in &placed {
        if rows.last().is_none_or(|x| x.tag_row != Some(r)) {
            let n = if single { 1 } else { ncols };
            rows.push(PRow {
                cells: (0..n)
                    .map(|k| PCell {
                        region: (r as usize) * ncols + k,
                        first_row: true,
                        ..PCell::default()
                    })
                    .collect(),
                top: b.1,
                page,
                tag_row: Some(r),
                header: meta.header_rows.contains(&r),
            });
        }
        let Some(row) = rows.last_mut() else { continue };
        row.top = row.top.min(b.1);
        let lines = group_lines(gs.clone());
        let tl: Vec<TextLine> = lines
            .iter()
            .map(|l| TextLine {
                text: l.text(),
                x1: l.x1,
                size: l.size,
                space_after: l.space_after(),
            })
            .collect();
        let right = if single {
            b.2
        } else {
            let next = right_of(c, b.2);
            padded_right(segs, col_left.get(c).copied().flatten().unwrap_or(b.0), b)
                .map_or(next, |x| x.min(next))
        };
        let k = if row.cells.len() == 1 { 0 } else { c };
        if let Some(cell) = row.cells.get_mut(k) {
            let t = join_lines(&tl, right, "\n");
            if cell.text.is_empty() {
                cell.text = t;
            } else {
                cell.text.push('\n');
                cell.text.push_str(&t);
            }
        }
    }
    // Cells spanning rows: fill the text down, marked as merged.
    for (&(r, c), &(rs, _)) in &meta.spans {
        if rs < 2 {
            continue;
        }
        let Some(text) = rows
            .iter()
            .find(|x| x.tag_row == Some(r) && x.cells.len() == ncols)
            .and_then(|x| x.cells.get(c as usize))
            .map(|x| x.text.clone())
        else {
            continue;
        };
        for row in rows.iter_mut() {
            if let Some(tr) = row.tag_row {
                if tr > r && tr < r + rs && row.cells.len() == ncols {
                    if let Some(cell) = row.cells.get_mut(c as usize) {
                        if cell.text.is_empty() {
                            cell.text = text.clone();
                            cell.merged = true;
                        }
                    }
                }
            }
        }
    }
    Some(PTable {
        rows,
        ncols,
        page,
        top,
        bottom,
        x0,
        x1,
        ruled: true,
        ref_column: false,
        wrapped_lines: false,
        tag: Some(index),
    })
}

/// Stitched items -> document, with heading levels from font sizes.
fn to_document(flat: Vec<Item>, body: f32) -> Document {
    // Heading levels from sizes larger than the body text.
    let mut heading_sizes: Vec<i32> = flat
        .iter()
        .filter_map(|i| match i {
            Item::Text(b, _) if is_heading(b, body) => Some((b.size * 2.0).round() as i32),
            _ => None,
        })
        .collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    heading_sizes.dedup();

    let mut blocks_out = Vec::with_capacity(flat.len());
    let mut title = None;
    let mut ntables = 0u32;
    let mut npara = 0u32;
    for it in flat {
        match it {
            Item::Table(t) => {
                ntables += 1;
                let source = Source {
                    page: Some(t.page),
                    table: Some(ntables),
                    y: Some((t.top * 10.0).round() / 10.0),
                    ..Source::default()
                };
                blocks_out.push(Block {
                    kind: BlockKind::Table(ptable::to_table(t, ntables)),
                    source,
                });
            }
            Item::Text(b, page) => {
                npara += 1;
                let source = Source {
                    page: Some(page),
                    paragraph: Some(npara),
                    y: Some((b.top * 10.0).round() / 10.0),
                    ..Source::default()
                };
                let kind = if is_minor_heading(&b) && !is_heading(&b, body) {
                    BlockKind::Heading {
                        level: (heading_sizes.len() as u8 + 1).clamp(2, 6),
                        text: b.text,
                    }
                } else if is_heading(&b, body) {
                    let s = (b.size * 2.0).round() as i32;
                    let level = heading_sizes.iter().position(|&x| x == s).unwrap_or(1) as u8 + 1;
                    if title.is_none() && level == 1 {
                        title = Some(b.text.clone());
                    }
                    BlockKind::Heading {
                        level: level.min(6),
                        text: b.text,
                    }
                } else {
                    match b.kind {
                        PKind::ListItem(marker) => BlockKind::ListItem {
                            text: b.text,
                            marker,
                            level: 1,
                        },
                        PKind::Paragraph => BlockKind::Paragraph { text: b.text },
                    }
                };
                blocks_out.push(Block { kind, source });
            }
        }
    }
    Document {
        title,
        pages: None,
        blocks: blocks_out,
    }
}

fn is_heading(b: &PBlock, body: f32) -> bool {
    b.kind == PKind::Paragraph && b.size >= body * 1.15 && b.text.chars().count() <= 200
}

/// A body-size heading: one short line, numbered ("5.", "2.1", "Appendix 3", "Section 4") or in
/// capitals, not ending like a sentence.
fn is_minor_heading(b: &PBlock) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.|(?i:appendix|section|part|chapter|annex)\s+\w{1,4}[.:]?)\s+\S")
            .expect("constant regex")
    });
    let t = b.text.trim();
    let n = t.chars().count();
    if b.kind != PKind::Paragraph
        || b.lines != 1
        || !(3..=80).contains(&n)
        || t.ends_with(['.', ',', ';', ':'])
    {
        return false;
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let caps = letters.len() >= 6
        && letters.iter().all(|c| c.is_uppercase())
        && t.split_whitespace().count() >= 2;
    let numbered = re.is_match(t)
        && t.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase);
    caps || numbered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_lists() {
        assert_eq!(page_list(&[3]), "page 3");
        assert_eq!(page_list(&[3, 4, 5]), "pages 3-5");
        assert_eq!(page_list(&[3, 5, 9]), "pages 3, 5 and 9");
    }

    #[test]
    fn boxes_inside_a_box_of_their_colour_draw_no_edges() {
        let f = |x0: f32, y0: f32, x1: f32, y1: f32, light: f32| glyphs::Fill {
            rect: glyphs::Rect { x0, y0, x1, y1 },
            light,
        };
        // Word: a shaded cell, the paragraph inside it (padding), the words' line; a second
        // copy of the next cell; then a cell of another colour and a white box on the shading.
        let fills = [
            f(54.5, 197.0, 153.6, 237.2, 0.17),
            f(59.6, 197.0, 148.4, 210.5, 0.17),
            f(68.6, 197.0, 97.8, 210.5, 0.17),
            f(154.1, 197.0, 253.2, 237.2, 0.17),
            f(154.1, 197.0, 253.2, 237.2, 0.17),
            f(253.7, 197.0, 352.8, 237.2, 0.59),
            f(260.0, 200.0, 300.0, 220.0, 1.0),
        ];
        assert_eq!(
            hidden_fills(&fills),
            [false, true, true, false, true, false, false]
        );
    }
}
