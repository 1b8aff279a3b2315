//! Fast path: parse many pages in one pdf-extract call so fonts are built once.
//!
//! pdf-extract clears its font table at the start of every page (font resource names are only
//! unique per page), so a 50-page document rebuilds - and re-parses the ToUnicode CMaps of - the
//! same fonts 50 times; that was about 30% of the whole pipeline's time. When every page
//! resource name means the same font object on all pages (true for LibreOffice, Word and Chromium
//! output), we instead wrap each page's content in a Form XObject and draw them all, stacked
//! vertically, on one synthetic page added to the document. The glyphs and rules collected from
//! it are split back into pages by their vertical position. Anything unusual (name clashes, a
//! panic, an error, glyphs outside every page band) makes the caller fall back to page-by-page
//! parsing, which keeps per-page panic containment.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

use super::glyphs::{Collector, PageData};

/// Vertical gap between stacked pages, in points.
const GAP: f64 = 400.0;

fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut id = page;
    for _ in 0..32 {
        let d = doc.get_dictionary(id).ok()?;
        if let Ok(v) = d.get(key) {
            return Some(v.clone());
        }
        id = d.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

/// The page's /Rotate, normalised to 0, 90, 180 or 270.
pub fn page_rotation(doc: &Document, page: ObjectId) -> u32 {
    let r = match inherited(doc, page, b"Rotate") {
        Some(Object::Integer(i)) => i,
        Some(Object::Real(f)) => f as i64,
        _ => 0,
    };
    let r = r.rem_euclid(360);
    if r % 90 == 0 {
        r as u32
    } else {
        0
    }
}

fn media_box(doc: &Document, page: ObjectId) -> Option<[f64; 4]> {
    let o = inherited(doc, page, b"MediaBox")?;
    let arr = match &o {
        Object::Reference(r) => doc.get_object(*r).ok()?.as_array().ok()?.clone(),
        Object::Array(a) => a.clone(),
        _ => return None,
    };
    let n: Vec<f64> = arr
        .iter()
        .filter_map(|x| match x {
            Object::Integer(i) => Some(*i as f64),
            Object::Real(r) => Some(f64::from(*r)),
            _ => None,
        })
        .collect();
    if n.len() != 4 || n.iter().any(|v| !v.is_finite()) {
        return None;
    }
    Some([
        n[0].min(n[2]),
        n[1].min(n[3]),
        n[0].max(n[2]),
        n[1].max(n[3]),
    ])
}

/// Split pages into runs in which every font resource name means one font object (a merged
/// document starts a new run where its fonts clash with the previous part's). `None` when the
/// fonts of a page cannot be read.
fn font_runs(doc: &Document, pages: &[(u32, ObjectId)]) -> Option<Vec<Vec<(u32, ObjectId)>>> {
    let mut runs: Vec<Vec<(u32, ObjectId)>> = Vec::new();
    let mut seen: HashMap<Vec<u8>, *const Dictionary> = HashMap::new();
    for &(n, id) in pages {
        let fonts = doc.get_page_fonts(id).ok()?;
        let clash = fonts
            .iter()
            .any(|(name, d)| seen.get(name).is_some_and(|&p| !std::ptr::eq(p, *d)));
        if clash || runs.is_empty() {
            seen.clear();
            runs.push(Vec::new());
        }
        for (name, d) in fonts {
            seen.insert(name, d as *const Dictionary);
        }
        if let Some(r) = runs.last_mut() {
            r.push((n, id));
        }
    }
    Some(runs)
}

/// Placement of one original page on the synthetic page.
struct Slot {
    number: u32,
    width: f32,
    height: f32,
    /// Top of the page on the synthetic page, top-down.
    top: f32,
}

/// Add a synthetic page drawing `pages`; returns its page number and the slots.
fn build(doc: &mut Document, pages: &[(u32, ObjectId)], tag: usize) -> Option<(u32, Vec<Slot>)> {
    let mut slots = Vec::new();
    let mut content = String::new();
    let mut xobjects = Dictionary::new();
    let mut boxes = Vec::new();
    let mut total = 0.0f64;
    let mut wmax = 0.0f64;
    for &(num, id) in pages {
        let mb = media_box(doc, id)?;
        let (w, h) = (mb[2] - mb[0], mb[3] - mb[1]);
        if !(1.0..=20_000.0).contains(&w) || !(1.0..=20_000.0).contains(&h) {
            return None;
        }
        // /Rotate is ignored here as in the page-by-page path.
        let rot = page_rotation(doc, id);
        let (dw, dh) = if rot == 90 || rot == 270 {
            (h, w)
        } else {
            (w, h)
        };
        boxes.push((num, id, mb, total, rot));
        total += dh + GAP;
        wmax = wmax.max(dw);
    }
    let height = total;
    for (k, &(num, id, mb, top, rot)) in boxes.iter().enumerate() {
        let (m, w, h) =
            super::glyphs::rotation_matrix(rot, mb[0], mb[1], mb[2] - mb[0], mb[3] - mb[1]);
        // pdf-extract draws a form with a fresh graphics state (the caller's `cm` is not
        // applied), so the placement goes inside the form's own content.
        // Page content -> upright display space (origin at its lower-left) -> its slot.
        let ty = height - top - h;
        let mut data = format!(
            "q 1 0 0 1 0 {:.3} cm {:.6} {:.6} {:.6} {:.6} {:.3} {:.3} cm\n",
            ty, m.m11, m.m12, m.m21, m.m22, m.m31, m.m32
        )
        .into_bytes();
        data.extend(doc.get_page_content(id).ok()?);
        data.extend_from_slice(b"\nQ\n");
        let resources = inherited(doc, id, b"Resources")
            .unwrap_or_else(|| Object::Dictionary(Dictionary::new()));
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Form".to_vec()));
        d.set(
            "BBox",
            Object::Array(mb.iter().map(|&v| Object::Real(v as f32)).collect()),
        );
        d.set("Resources", resources);
        let xid = doc.add_object(Stream::new(d, data));
        let name = format!("CxP{tag}_{k}");
        xobjects.set(name.as_bytes().to_vec(), Object::Reference(xid));
        content.push_str(&format!("/{name} Do\n"));
        slots.push(Slot {
            number: num,
            width: w as f32,
            height: h as f32,
            top: top as f32,
        });
    }
    let contents = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
    let root = doc
        .catalog()
        .ok()?
        .get(b"Pages")
        .and_then(Object::as_reference)
        .ok()?;
    let mut res = Dictionary::new();
    res.set("XObject", Object::Dictionary(xobjects));
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(root));
    page.set(
        "MediaBox",
        Object::Array(vec![
            Object::Integer(0),
            Object::Integer(0),
            Object::Real(wmax as f32),
            Object::Real(height as f32),
        ]),
    );
    page.set("Resources", Object::Dictionary(res));
    page.set("Contents", Object::Reference(contents));
    let pid = doc.add_object(Object::Dictionary(page));
    match doc.get_object_mut(root).ok()? {
        Object::Dictionary(d) => {
            match d.get_mut(b"Kids").ok()? {
                Object::Array(kids) => kids.push(Object::Reference(pid)),
                _ => return None,
            }
            let count = d.get(b"Count").and_then(Object::as_i64).unwrap_or(0);
            d.set("Count", Object::Integer(count + 1));
        }
        _ => return None,
    }
    let number = doc
        .get_pages()
        .into_iter()
        .find(|&(_, id)| id == pid)
        .map(|(n, _)| n)?;
    Some((number, slots))
}

/// Split the synthetic page back into the original pages.
fn split(all: PageData, slots: &[Slot]) -> Option<Vec<PageData>> {
    let mut out: Vec<PageData> = slots
        .iter()
        .map(|s| PageData {
            number: s.number,
            width: s.width,
            height: s.height,
            ..PageData::default()
        })
        .collect();
    let find = |y: f32| {
        slots
            .iter()
            .position(|s| y >= s.top - 50.0 && y <= s.top + s.height + 50.0)
    };
    for mut g in all.glyphs {
        let k = find(g.y)?;
        g.y -= slots[k].top;
        out[k].glyphs.push(g);
    }
    for mut s in all.segs {
        let y = if s.horizontal {
            s.pos
        } else {
            (s.a + s.b) / 2.0
        };
        let Some(k) = find(y) else { continue };
        let t = slots[k].top;
        if s.horizontal {
            s.pos -= t;
        } else {
            s.a -= t;
            s.b -= t;
        }
        out[k].segs.push(s);
    }
    for mut d in all.dots {
        let Some(k) = find((d.y0 + d.y1) / 2.0) else {
            continue;
        };
        d.y0 -= slots[k].top;
        d.y1 -= slots[k].top;
        out[k].dots.push(d);
    }
    Some(out)
}

/// Parse `pages` (number, id) on synthetic pages, `workers` at a time. `None`: use the slow path.
pub fn extract(
    doc: &mut Document,
    pages: &[(u32, ObjectId)],
    workers: usize,
    deadline: Option<Instant>,
) -> Option<(Vec<PageData>, bool)> {
    if pages.len() < 2 {
        return None;
    }
    // Runs of pages with consistent fonts, cut into pieces so that every worker has some.
    let runs = font_runs(doc, pages)?;
    let per = pages.len().div_ceil(workers.max(1)).max(1);
    let mut groups: Vec<Vec<(u32, ObjectId)>> = Vec::new();
    for r in runs {
        for c in r.chunks(per) {
            groups.push(c.to_vec());
        }
    }
    let mut built = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        built.push(build(doc, g, i)?);
    }
    let doc: &Document = doc;
    let workers = workers.clamp(1, built.len().max(1));
    let results: Vec<Option<(Vec<(usize, Vec<PageData>)>, bool)>> = std::thread::scope(|sc| {
        let built = &built;
        let hs: Vec<_> = (0..workers)
            .map(|w| {
                sc.spawn(move || {
                    let mut done = Vec::new();
                    for (i, (num, slots)) in built.iter().enumerate().skip(w).step_by(workers) {
                        let mut col = Collector::new(deadline);
                        let r = catch_unwind(AssertUnwindSafe(|| {
                            pdf_extract::output_doc_page(doc, &mut col, *num)
                        }));
                        if col.timed_out {
                            return Some((Vec::new(), true));
                        }
                        if !matches!(r, Ok(Ok(()))) {
                            return None;
                        }
                        let page = col.pages.pop()?;
                        done.push((i, split(page, slots)?));
                    }
                    Some((done, false))
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().ok().flatten()).collect()
    });
    let mut parts: Vec<(usize, Vec<PageData>)> = Vec::new();
    for r in results {
        let (p, timed_out) = r?;
        if timed_out {
            return Some((Vec::new(), true));
        }
        parts.extend(p);
    }
    parts.sort_by_key(|(i, _)| *i);
    Some((parts.into_iter().flat_map(|(_, p)| p).collect(), false))
}
