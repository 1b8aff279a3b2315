//! PDF reader with layout analysis.
//!
//! pdf-extract's [`pdf_extract::OutputDev`] callbacks give positioned glyphs and the page's
//! paths ([`glyphs`]). Per page: ruled tables from the rules ([`ruled`]); running headers and
//! footers removed ([`pages`]); glyphs grouped into lines ([`lines`]); borderless tables from
//! text alignment ([`borderless`]); the rest into headings, paragraphs and list items in reading
//! order, two-column pages included ([`blocks`]). Tables continued over a page break are stitched
//! into one ([`ptable`]).
//!
//! Every page is parsed inside `catch_unwind`: a page that makes the parser panic is skipped,
//! the others are kept. A time budget (`limits.timeout_secs`) and a page limit apply.

pub mod batch;
pub mod blocks;
pub mod borderless;
pub mod fonts;
pub mod glyphs;
pub mod lines;
pub mod pages;
pub mod ptable;
pub mod ruled;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use crate::document::{Block, BlockKind, Document, Source};
use crate::error::{Error, Result};
use crate::Options;

use blocks::{PBlock, PKind};
use glyphs::{Collector, Glyph, PageData};
use lines::{group_lines, Line};
use ptable::PTable;

/// Read the bytes into a document.
pub fn read(bytes: &[u8], opts: &Options) -> Result<Document> {
    read_with(
        bytes,
        opts,
        std::env::var_os("CARERS_PDF_PER_PAGE").is_none(),
    )
}

/// Read without the batched fast path ([`batch`]): every page is its own pdf-extract call.
pub fn read_page_by_page(bytes: &[u8], opts: &Options) -> Result<Document> {
    read_with(bytes, opts, false)
}

fn read_with(bytes: &[u8], opts: &Options, batched: bool) -> Result<Document> {
    let start = Instant::now();
    // `--timeout 0` means no budget (it used to become a 1-second one).
    let deadline = (opts.limits.timeout_secs > 0)
        .then(|| start.checked_add(Duration::from_secs(opts.limits.timeout_secs)))
        .flatten();
    let mut doc = load(bytes)?;
    let page_ids = doc.get_pages();
    let npages = page_ids.len();
    if npages == 0 {
        return Err(Error::Corrupt {
            format: "PDF",
            detail: "the document has no pages".into(),
        });
    }
    if npages as u64 > u64::from(opts.limits.max_pages) {
        return Err(Error::Limit(format!(
            "the PDF has {npages} pages, over the limit of {} pages (raise it with --max-pages)",
            opts.limits.max_pages
        )));
    }
    let t_load = start.elapsed();
    let title = info_title(&doc);
    let nums: Vec<u32> = page_ids.keys().copied().collect();
    // Pages are independent for pdf-extract (it rebuilds its font table per page), so they are
    // parsed on a few threads, each page inside its own catch_unwind.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
        .min(nums.len().div_ceil(8))
        .max(1);
    let chunk = nums.len().div_ceil(threads);
    // Fast path: all pages in a few pdf-extract calls (fonts built once); falls back to
    // page-by-page parsing on anything unusual.
    let page_list: Vec<(u32, pdf_extract::ObjectId)> =
        page_ids.iter().map(|(&n, &id)| (n, id)).collect();
    let fast = if !batched {
        None
    } else {
        catch_unwind(AssertUnwindSafe(|| {
            batch::extract(&mut doc, &page_list, threads, deadline)
        }))
        .ok()
        .flatten()
    };
    let fast_path = fast.is_some();
    let results: Vec<(Collector, Vec<String>)> = match fast {
        Some((_, true)) => {
            return Err(Error::Limit(format!(
                "reading the PDF took longer than the {} s budget ({npages} pages)",
                opts.limits.timeout_secs
            )))
        }
        Some((pages, false)) => {
            let mut c = Collector::new(None);
            c.pages = pages;
            vec![(c, Vec::new())]
        }
        None => {
            let doc = &doc;
            std::thread::scope(|sc| {
                let handles: Vec<_> = nums
                    .chunks(chunk.max(1))
                    .map(|part| sc.spawn(move || extract_pages(doc, part, deadline)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            (Collector::new(None), vec!["page worker failed".to_string()])
                        })
                    })
                    .collect()
            })
        }
    };
    let mut col = Collector::new(None);
    let mut failures: Vec<String> = Vec::new();
    for (c, f) in results {
        if c.timed_out {
            return Err(Error::Limit(format!(
                "reading the PDF took longer than the {} s budget ({npages} pages)",
                opts.limits.timeout_secs
            )));
        }
        col.pages.extend(c.pages);
        failures.extend(f);
    }
    if col.pages.is_empty() {
        return Err(match failures.first() {
            Some(f) => Error::ParserPanic {
                format: "pdf",
                detail: f.clone(),
            },
            None => Error::NoText,
        });
    }
    if col
        .pages
        .iter()
        .all(|p| p.glyphs.iter().all(Glyph::is_space))
    {
        if failures.is_empty() {
            return Err(Error::NoText);
        }
        return Err(Error::ParserPanic {
            format: "pdf",
            detail: format!(
                "no text could be read; {} page(s) failed, first: {}",
                failures.len(),
                failures[0]
            ),
        });
    }
    let t_extract = start.elapsed();
    let mut document = assemble(col.pages);
    if std::env::var_os("CARERS_PDF_TIMING").is_some() {
        eprintln!(
            "pdf timing: load {:?}, glyphs {:?} ({}), layout {:?}",
            t_load,
            t_extract - t_load,
            if fast_path { "batched" } else { "page by page" },
            start.elapsed() - t_extract
        );
    }
    document.pages = Some(npages as u32);
    if title.is_some() {
        document.title = title;
    }
    Ok(document)
}

/// Parse the given pages into one collector, containing panics per page.
fn extract_pages(
    doc: &pdf_extract::Document,
    nums: &[u32],
    deadline: Option<Instant>,
) -> (Collector, Vec<String>) {
    let mut col = Collector::new(deadline);
    let mut failures = Vec::new();
    let ids = doc.get_pages();
    for &num in nums {
        col.rotation = ids.get(&num).map_or(0, |&id| batch::page_rotation(doc, id));
        let r = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(doc, &mut col, num)
        }));
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                col.abandon_page();
                if col.timed_out {
                    break;
                }
                failures.push(format!("page {num}: {e}"));
            }
            Err(p) => {
                col.abandon_page();
                failures.push(format!("page {num}: {}", panic_message(&p)));
            }
        }
    }
    (col, failures)
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "internal panic".to_string()
    }
}

pub fn load(bytes: &[u8]) -> Result<pdf_extract::Document> {
    let loaded = catch_unwind(|| pdf_extract::Document::load_mem(bytes));
    let mut doc = match loaded {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return Err(load_error(e)),
        Err(p) => {
            return Err(Error::ParserPanic {
                format: "pdf",
                detail: panic_message(&p),
            })
        }
    };
    if doc.is_encrypted() {
        let r = catch_unwind(AssertUnwindSafe(|| doc.decrypt("")));
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(load_error(e)),
            Err(p) => {
                return Err(Error::ParserPanic {
                    format: "pdf",
                    detail: panic_message(&p),
                })
            }
        }
    }
    fonts::fix_cid_widths(&mut doc);
    fonts::predecompress_cmaps(&mut doc);
    Ok(doc)
}

fn load_error(e: pdf_extract::Error) -> Error {
    let msg = e.to_string();
    let lower = msg.to_lowercase();
    if lower.contains("password") || lower.contains("decrypt") || lower.contains("encrypt") {
        Error::Encrypted(format!(
            "the PDF needs a password to open ({msg}); remove it first, e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`"
        ))
    } else {
        Error::Corrupt {
            format: "PDF",
            detail: msg,
        }
    }
}

fn info_title(doc: &pdf_extract::Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let dict = match info {
        pdf_extract::Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        pdf_extract::Object::Dictionary(d) => d,
        _ => return None,
    };
    let bytes = match dict.get(b"Title").ok()? {
        pdf_extract::Object::String(b, _) => b.clone(),
        _ => return None,
    };
    let s = if bytes.starts_with(&[0xFE, 0xFF]) {
        let u: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&u)
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

fn item_top(i: &Item) -> f32 {
    match i {
        Item::Table(t) => t.top,
        Item::Text(b, _) => b.top,
    }
}

/// Body text size: the most common glyph size.
fn body_size(pages: &[PageData]) -> f32 {
    let mut counts: std::collections::HashMap<i32, usize> = Default::default();
    for p in pages {
        for g in &p.glyphs {
            *counts.entry((g.size * 2.0).round() as i32).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(s, n)| (n, -s))
        .map(|(s, _)| s as f32 / 2.0)
        .unwrap_or(10.0)
}

/// Pages of glyphs and rules -> document.
pub fn assemble(pages: Vec<PageData>) -> Document {
    let body = body_size(&pages);
    // Per page: ruled tables first (their glyphs are consumed), then lines of the rest.
    let mut per_page: Vec<(u32, f32, f32, Vec<PTable>, Vec<glyphs::Rect>)> = Vec::new();
    let mut page_lines: Vec<(f32, Vec<Line>)> = Vec::new();
    for p in pages {
        let grids = ruled::find_grids(&p.segs, p.height);
        let mut inside: Vec<Vec<Glyph>> = vec![Vec::new(); grids.len()];
        let mut free = Vec::new();
        for g in p.glyphs {
            match grids
                .iter()
                .position(|gr| gr.cell_at(g.cx(), g.cy()).is_some())
            {
                Some(k) => inside[k].push(g),
                None => free.push(g),
            }
        }
        let tables: Vec<PTable> = grids
            .iter()
            .zip(inside)
            .map(|(gr, gs)| ruled::build(gr, gs, p.number))
            .filter(|t| !t.rows.is_empty())
            .collect();
        page_lines.push((p.height, group_lines(free)));
        per_page.push((p.number, p.width, p.height, tables, p.dots));
    }
    pages::remove_furniture(&mut page_lines);

    let mut items_per_page: Vec<Vec<Item>> = Vec::new();
    for ((number, width, _h, ruled_tables, dots), (_, lines)) in
        per_page.into_iter().zip(page_lines)
    {
        let (bl_tables, rest) = borderless::find(lines, number);
        let mut items: Vec<Item> = ruled_tables
            .into_iter()
            .chain(bl_tables)
            .map(Item::Table)
            .collect();
        let prose = blocks::blocks(rest, width, &dots);
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
            out.push(Item::Text(b, number));
        }
        out.extend(tables);
        items_per_page.push(out);
    }

    // Stitch tables over page breaks.
    let mut flat: Vec<Item> = Vec::new();
    for items in items_per_page {
        let mut first = true;
        for it in items {
            if first {
                first = false;
                if let (Some(Item::Table(prev)), Item::Table(next)) = (flat.last_mut(), &it) {
                    if ptable::continues(prev, next) {
                        if let Item::Table(next) = it {
                            ptable::stitch(prev, next);
                        }
                        continue;
                    }
                }
                // A paragraph or list item running over the page break.
                if let (Some(Item::Text(prev, _)), Item::Text(next, _)) = (flat.last_mut(), &it) {
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
            flat.push(it);
        }
    }

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

    let mut blocks_out = Vec::new();
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
                    kind: BlockKind::Table(ptable::to_table(&t, ntables)),
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
