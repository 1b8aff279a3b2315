//! Legacy Word 97-2003 (`.doc`) reader: the `cfb` crate opens the OLE container; the Word
//! binary format ([MS-DOC]) is read here, as far as a strategy's text and tables need:
//!
//! * the FIB (file information block) at the start of the `WordDocument` stream: version,
//!   encryption and fast-save flags, which table stream (`0Table`/`1Table`) holds the
//!   structures, and where each structure is;
//! * the piece table (`Clx`) that maps the main document's character positions to 8-bit
//!   (Windows-1252) or UTF-16 text in the `WordDocument` stream;
//! * paragraph properties (`PlcBtePapx` -> PAPX FKP pages): in-table, table-row-end and
//!   nesting depth, outline level, list membership (`ilfo`/`ilvl`), the paragraph style, and
//!   on each row-end paragraph the row's cell boundaries and merge flags (`sprmTDefTable`,
//!   `sprmTVertMerge`, `sprmTTableHeader`);
//! * character properties (`PlcBteChpx` -> CHPX FKP pages): tracked deletions and hidden text
//!   are dropped, special characters (pictures, note references) skipped;
//! * the style sheet (`STSH`): built-in heading styles (sti 1-9), Title, and styles named
//!   "Heading N";
//! * list formats (`PlfLst`/`PlfLfo`): the marker each list paragraph prints (bullets become
//!   `•`, numbers are counted and formatted as the level says);
//! * the title from the `\x05SummaryInformation` property set.
//!
//! Text marks: `0x0D` ends a paragraph, `0x07` ends a cell (or, on a row-end paragraph, a
//! row), `0x0B` is a line break, `0x13`/`0x14`/`0x15` delimit fields (instructions are dropped,
//! results kept). Tables are rebuilt with the same grid rules as the RTF and ODT readers (see
//! [`super::grid`]). Sources: `paragraph` on prose, `table`/`row` on tables.
//!
//! Refused with a clear message: encrypted or obfuscated files, fast-saved files (their piece
//! table carries property changes this reader does not apply), and Word 6/95 files.
//! Hostile input: the container is checked by [`super::cfbcheck`] and the `cfb` crate, every
//! offset and length read from the file is bounds-checked, text is capped at the stream size.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::grid::{self, EdgeCell, EdgeDef, EdgeRow, VMerge};
use crate::document::{Block, BlockKind, Document, Source};
use crate::error::{Error, Result};
use crate::Options;

const FORMAT: &str = "DOC";
/// Deepest table nesting kept.
const MAX_TABLE_DEPTH: usize = 16;

fn corrupt(detail: impl Into<String>) -> Error {
    Error::Corrupt {
        format: FORMAT,
        detail: detail.into(),
    }
}

/// Read the bytes of a `.doc` into a document.
pub fn read(bytes: &[u8], opts: &Options) -> Result<Document> {
    super::cfbcheck::check(bytes).map_err(corrupt)?;
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| corrupt(format!("cannot read the OLE container ({e})")))?;
    let limit = opts.limits.max_input_bytes;
    let word = stream(&mut cf, "/WordDocument", limit)?
        .ok_or_else(|| corrupt("it has no WordDocument stream: it is not a Word document"))?;
    let fib = Fib::parse(&word)?;
    if fib.encrypted {
        return Err(Error::Encrypted(
            "password-protected Word document: open it in Word, remove the password (File > Info > Protect Document) and save again".into(),
        ));
    }
    if fib.nfib < 0xC1 {
        return Err(Error::Unsupported(format!(
            "Word 6.0/95 document (version {}): open it in Word or LibreOffice and save it as .docx",
            fib.nfib
        )));
    }
    if fib.complex {
        return Err(Error::Unsupported(
            "fast-saved Word document: open it in Word or LibreOffice and save it again (Word: untick \"Allow fast saves\"), or save it as .docx".into(),
        ));
    }
    let table_name = if fib.which_table {
        "/1Table"
    } else {
        "/0Table"
    };
    let table = stream(&mut cf, table_name, limit)?.ok_or_else(|| {
        corrupt(format!(
            "the {} stream the document needs is missing",
            &table_name[1..]
        ))
    })?;
    let title = stream(&mut cf, "/\u{5}SummaryInformation", limit)
        .ok()
        .flatten()
        .and_then(|s| summary_title(&s));

    let clx = fib
        .slice(&table, 33)
        .ok_or_else(|| corrupt("the piece table is missing"))?;
    let pieces = parse_clx(clx)?;
    let chars = main_text(&word, &pieces, fib.ccp_text);
    let chpx = bte_runs(&table, fib.fc_lcb(12), &word, Kind::Chp);
    let papx = bte_runs(&table, fib.fc_lcb(13), &word, Kind::Pap);
    let styles = fib.slice(&table, 1).map(parse_styles).unwrap_or_default();
    let lists = Lists::parse(&table, fib.fc_lcb(73), fib.fc_lcb(74));

    let mut b = Builder {
        blocks: Vec::new(),
        tables: Vec::new(),
        paragraph_index: 0,
        table_index: 0,
        cells: grid::CellBudget::default(),
        title_style_text: None,
        styles,
        lists,
        counters: HashMap::new(),
    };
    b.run(&chars, &chpx, &papx);
    b.cells.check(FORMAT)?;
    let title = title.or(b.title_style_text.take());
    Ok(Document {
        title,
        pages: None,
        blocks: b.blocks,
    })
}

/// A whole stream, or `None` when there is none of that name.
fn stream<F: Read + std::io::Seek>(
    cf: &mut cfb::CompoundFile<F>,
    path: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>> {
    if !cf.is_stream(path) {
        return Ok(None);
    }
    let mut s = cf
        .open_stream(path)
        .map_err(|e| corrupt(format!("cannot open its {path} stream ({e})")))?;
    let mut v = Vec::new();
    s.by_ref()
        .take(limit)
        .read_to_end(&mut v)
        .map_err(|e| corrupt(format!("cannot read its {path} stream ({e})")))?;
    Ok(Some(v))
}

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    b.get(o..o.checked_add(2)?)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    b.get(o..o.checked_add(4)?)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn i16_at(b: &[u8], o: usize) -> Option<i16> {
    u16_at(b, o).map(|v| v as i16)
}

// ---------------------------------------------------------------------------------------------
// FIB

#[derive(Debug)]
struct Fib {
    nfib: u16,
    complex: bool,
    encrypted: bool,
    which_table: bool,
    ccp_text: u32,
    /// (fc, lcb) pairs of FibRgFcLcb.
    fc_lcb: Vec<(u32, u32)>,
}

impl Fib {
    fn parse(w: &[u8]) -> Result<Fib> {
        let short = || corrupt("the Word header (FIB) is cut short");
        if u16_at(w, 0).ok_or_else(short)? != 0xA5EC {
            return Err(corrupt(
                "the WordDocument stream does not start with a Word header",
            ));
        }
        let nfib = u16_at(w, 2).ok_or_else(short)?;
        let flags = u16_at(w, 0x0A).ok_or_else(short)?;
        let csw = u16_at(w, 0x20).ok_or_else(short)? as usize;
        let lw_at = 0x22 + csw * 2;
        let cslw = u16_at(w, lw_at).ok_or_else(short)? as usize;
        let rg_lw = lw_at + 2;
        let ccp_text = u32_at(w, rg_lw + 3 * 4).ok_or_else(short)?;
        let fc_at = rg_lw + cslw * 4;
        let cb = u16_at(w, fc_at).ok_or_else(short)? as usize;
        let fc_lcb = (0..cb)
            .map_while(|k| {
                let o = fc_at + 2 + k * 8;
                Some((u32_at(w, o)?, u32_at(w, o + 4)?))
            })
            .collect();
        Ok(Fib {
            nfib,
            complex: flags & 0x0004 != 0,
            encrypted: flags & 0x0100 != 0 || flags & 0x8000 != 0,
            which_table: flags & 0x0200 != 0,
            ccp_text,
            fc_lcb,
        })
    }

    fn fc_lcb(&self, index: usize) -> Option<(u32, u32)> {
        self.fc_lcb.get(index).copied().filter(|&(_, l)| l > 0)
    }

    /// The bytes of structure `index` in the table stream.
    fn slice<'t>(&self, table: &'t [u8], index: usize) -> Option<&'t [u8]> {
        let (fc, lcb) = self.fc_lcb(index)?;
        let start = fc as usize;
        table.get(start..start.checked_add(lcb as usize)?)
    }
}

// ---------------------------------------------------------------------------------------------
// piece table and text

#[derive(Debug, Clone, Copy)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    /// Byte offset of the first character in the WordDocument stream.
    fc: u32,
    compressed: bool,
}

fn parse_clx(clx: &[u8]) -> Result<Vec<Piece>> {
    let mut i = 0usize;
    while i < clx.len() {
        match clx[i] {
            0x01 => {
                let cb =
                    u16_at(clx, i + 1).ok_or_else(|| corrupt("the piece table is cut short"))?;
                i += 3 + cb as usize;
            }
            0x02 => {
                let lcb = u32_at(clx, i + 1)
                    .ok_or_else(|| corrupt("the piece table is cut short"))?
                    as usize;
                let plc = clx
                    .get(i + 5..(i + 5).saturating_add(lcb))
                    .ok_or_else(|| corrupt("the piece table is cut short"))?;
                if plc.len() < 16 {
                    return Err(corrupt("the piece table is empty"));
                }
                let n = (plc.len() - 4) / 12;
                let mut pieces = Vec::with_capacity(n);
                for k in 0..n {
                    let (Some(cp_start), Some(cp_end), Some(fc_raw)) = (
                        u32_at(plc, k * 4),
                        u32_at(plc, (k + 1) * 4),
                        u32_at(plc, (n + 1) * 4 + k * 8 + 2),
                    ) else {
                        break;
                    };
                    let compressed = fc_raw & 0x4000_0000 != 0;
                    let fc = fc_raw & 0x3FFF_FFFF;
                    pieces.push(Piece {
                        cp_start,
                        cp_end,
                        fc: if compressed { fc / 2 } else { fc },
                        compressed,
                    });
                }
                return Ok(pieces);
            }
            _ => return Err(corrupt("the piece table is damaged")),
        }
    }
    Err(corrupt("the piece table has no pieces"))
}

/// One character of the main text with the stream offset it was read from.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: u16,
    fc: u32,
}

/// The main document's characters (CP 0 .. ccpText), at most one per stream byte.
fn main_text(word: &[u8], pieces: &[Piece], ccp_text: u32) -> Vec<Ch> {
    let mut out: Vec<Ch> = Vec::new();
    let cap = word.len();
    for p in pieces {
        if p.cp_start >= ccp_text {
            break;
        }
        let end = p.cp_end.min(ccp_text);
        for k in 0..end.saturating_sub(p.cp_start) {
            if out.len() >= cap {
                return out;
            }
            let ch = if p.compressed {
                let fc = p.fc.saturating_add(k);
                match word.get(fc as usize) {
                    Some(&b) => Ch { c: cp1252(b), fc },
                    None => break,
                }
            } else {
                let fc = p.fc.saturating_add(k.saturating_mul(2));
                match u16_at(word, fc as usize) {
                    Some(c) => Ch { c, fc },
                    None => break,
                }
            };
            out.push(ch);
        }
    }
    out
}

/// A Windows-1252 byte as UTF-16 (8-bit pieces are stored in that code page).
fn cp1252(b: u8) -> u16 {
    let one = [b];
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&one);
    s.encode_utf16().next().unwrap_or(u16::from(b))
}

// ---------------------------------------------------------------------------------------------
// property runs

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Chp,
    Pap,
}

/// Properties of a run of text (characters or paragraph marks).
#[derive(Debug, Clone, Default)]
struct Props {
    // characters
    deleted: bool,
    hidden: bool,
    special: bool,
    // paragraphs
    istd: u16,
    in_table: bool,
    ttp: bool,
    itap: Option<u32>,
    inner_cell: bool,
    inner_ttp: bool,
    outline: Option<u8>,
    ilfo: u16,
    ilvl: u8,
    row: Option<EdgeDef>,
    header: bool,
    vmerges: Vec<(usize, VMerge)>,
}

#[derive(Debug)]
struct Run {
    start: u32,
    end: u32,
    props: Props,
}

/// The runs of a bin table (`PlcBteChpx` / `PlcBtePapx`), sorted by start.
fn bte_runs(table: &[u8], at: Option<(u32, u32)>, word: &[u8], kind: Kind) -> Vec<Run> {
    let mut runs = Vec::new();
    let Some((fc, lcb)) = at else {
        return runs;
    };
    let Some(plc) = table.get(fc as usize..(fc as usize).saturating_add(lcb as usize)) else {
        return runs;
    };
    if plc.len() < 8 {
        return runs;
    }
    let n = (plc.len() - 4) / 8;
    for k in 0..n {
        let Some(pn) = u32_at(plc, (n + 1) * 4 + k * 4) else {
            break;
        };
        let pn = (pn & 0x003F_FFFF) as usize;
        let Some(page) = word.get(pn * 512..pn * 512 + 512) else {
            continue;
        };
        fkp_runs(page, kind, &mut runs);
    }
    runs.sort_by_key(|r| r.start);
    runs
}

fn fkp_runs(page: &[u8], kind: Kind, out: &mut Vec<Run>) {
    let crun = page[511] as usize;
    for k in 0..crun {
        let (Some(start), Some(end)) = (u32_at(page, k * 4), u32_at(page, (k + 1) * 4)) else {
            break;
        };
        let props = match kind {
            Kind::Chp => {
                let b = page.get((crun + 1) * 4 + k).copied().unwrap_or(0) as usize * 2;
                if b == 0 {
                    Props::default()
                } else {
                    let cb = page.get(b).copied().unwrap_or(0) as usize;
                    let grpprl = page.get(b + 1..(b + 1 + cb).min(511)).unwrap_or(&[]);
                    sprms(grpprl, Props::default())
                }
            }
            Kind::Pap => {
                let b = page.get((crun + 1) * 4 + k * 13).copied().unwrap_or(0) as usize * 2;
                if b == 0 {
                    Props::default()
                } else {
                    let cb = page.get(b).copied().unwrap_or(0) as usize;
                    let (from, len) = if cb == 0 {
                        (b + 2, page.get(b + 1).copied().unwrap_or(0) as usize * 2)
                    } else {
                        (b + 1, (cb * 2).saturating_sub(1))
                    };
                    let data = page.get(from..(from + len).min(511)).unwrap_or(&[]);
                    let istd = u16_at(data, 0).unwrap_or(0);
                    let mut p = sprms(data.get(2..).unwrap_or(&[]), Props::default());
                    p.istd = istd;
                    p
                }
            }
        };
        out.push(Run { start, end, props });
    }
}

/// The run containing stream offset `fc`.
fn run_at(runs: &[Run], fc: u32) -> Option<&Props> {
    let i = runs.partition_point(|r| r.start <= fc);
    let r = runs.get(i.checked_sub(1)?)?;
    (fc < r.end).then_some(&r.props)
}

/// Apply a grpprl (list of sprms) to `p`.
fn sprms(g: &[u8], mut p: Props) -> Props {
    let mut i = 0usize;
    while let Some(sprm) = u16_at(g, i) {
        let op = i + 2;
        let len = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => {
                if sprm == 0xD608 {
                    // sprmTDefTable: a 2-byte length, counting itself minus one
                    u16_at(g, op).map_or(0, |n| (n as usize).saturating_add(1))
                } else {
                    g.get(op).map_or(0, |&n| n as usize + 1)
                }
            }
        };
        let Some(v) = g.get(op..op.saturating_add(len)) else {
            break;
        };
        let on = |v: &[u8]| matches!(v.first(), Some(1) | Some(0x81));
        match sprm {
            0x0800 => p.deleted = on(v),
            0x083C => p.hidden = on(v),
            0x0855 => p.special = on(v),
            0x2416 => p.in_table = on(v),
            0x2417 => p.ttp = on(v),
            0x6649 => p.itap = u32_at(v, 0),
            0x244B => p.inner_cell = on(v),
            0x244C => p.inner_ttp = on(v),
            0x2640 => p.outline = v.first().copied().filter(|&l| l < 9),
            0x460B => p.ilfo = u16_at(v, 0).unwrap_or(0),
            0x260A => p.ilvl = v.first().copied().unwrap_or(0).min(8),
            0x3404 => p.header = on(v),
            0xD608 => p.row = tdef_table(v.get(2..).unwrap_or(&[])),
            0xD62B => {
                // sprmTVertMerge: cb, itc, flags
                if let (Some(&itc), Some(&f)) = (v.get(1), v.get(2)) {
                    let m = match f {
                        1 => VMerge::Continue,
                        3 => VMerge::Restart,
                        _ => VMerge::None,
                    };
                    p.vmerges.push((itc as usize, m));
                }
            }
            _ => {}
        }
        i = op + len;
    }
    p
}

/// `sprmTDefTable`: cell count, boundaries (`rgdxaCenter`) and per-cell merge flags (TC80).
fn tdef_table(v: &[u8]) -> Option<EdgeDef> {
    let n = *v.first()? as usize;
    let centers: Vec<i32> = (0..=n)
        .map_while(|k| i16_at(v, 1 + k * 2))
        .map(i32::from)
        .collect();
    if centers.len() < 2 {
        return None;
    }
    let tc_at = 1 + (n + 1) * 2;
    let cells = centers
        .iter()
        .skip(1)
        .enumerate()
        .map(|(k, &right)| {
            let flags = u16_at(v, tc_at + k * 20).unwrap_or(0);
            let vmerge = match (flags & 0x20 != 0, flags & 0x40 != 0) {
                (true, true) => VMerge::Restart,
                (true, false) => VMerge::Continue,
                _ => VMerge::None,
            };
            EdgeCell {
                right,
                vmerge,
                hmerge_cont: flags & 0x02 != 0,
            }
        })
        .collect();
    Some(EdgeDef {
        left: centers[0],
        header: false,
        cells,
    })
}

// ---------------------------------------------------------------------------------------------
// styles

#[derive(Debug, Clone, Default)]
struct Style {
    sti: u16,
    base: Option<u16>,
    name: String,
}

/// The style sheet: index (istd) -> style.
fn parse_styles(stsh: &[u8]) -> Vec<Option<Style>> {
    let mut out = Vec::new();
    let Some(cb_stshi) = u16_at(stsh, 0) else {
        return out;
    };
    let cstd = u16_at(stsh, 2).unwrap_or(0) as usize;
    let cb_base = u16_at(stsh, 4).unwrap_or(10) as usize;
    let mut o = 2 + cb_stshi as usize;
    for _ in 0..cstd.min(4096) {
        let Some(cb) = u16_at(stsh, o) else { break };
        let cb = cb as usize;
        let std = stsh.get(o + 2..(o + 2 + cb).min(stsh.len())).unwrap_or(&[]);
        o += 2 + cb;
        if std.len() < 4 {
            out.push(None);
            continue;
        }
        let sti = u16_at(std, 0).unwrap_or(0) & 0x0FFF;
        let base = u16_at(std, 2).map(|v| v >> 4).filter(|&b| b != 0x0FFF);
        let name = u16_at(std, cb_base)
            .map(|cch| {
                let units: Vec<u16> = (0..cch as usize)
                    .map_while(|k| u16_at(std, cb_base + 2 + k * 2))
                    .collect();
                String::from_utf16_lossy(&units)
            })
            .unwrap_or_default();
        out.push(Some(Style { sti, base, name }));
    }
    out
}

/// Heading level (and whether it is the Title style) of a paragraph style, through its bases.
fn style_heading(styles: &[Option<Style>], istd: u16) -> Option<(u8, bool)> {
    let mut cur = Some(istd);
    for _ in 0..10 {
        let s = styles.get(cur? as usize)?.as_ref()?;
        match s.sti {
            1..=9 => return Some(((s.sti as u8).min(6), false)),
            62 => return Some((1, true)),
            _ => {}
        }
        let n: String = s
            .name
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if n == "title" {
            return Some((1, true));
        }
        if let Some(l) = n.strip_prefix("heading").and_then(|r| r.parse::<u8>().ok()) {
            if (1..=9).contains(&l) {
                return Some((l.min(6), false));
            }
        }
        cur = s.base;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// lists

#[derive(Debug, Clone, Default)]
struct Lvl {
    start: u32,
    nfc: u8,
    /// Number text with level placeholders (0..=8).
    text: Vec<u16>,
}

#[derive(Debug, Default)]
struct Lists {
    /// lsid -> levels
    by_lsid: HashMap<i32, Vec<Lvl>>,
    /// ilfo - 1 -> lsid
    lfo: Vec<i32>,
}

impl Lists {
    fn parse(table: &[u8], lst: Option<(u32, u32)>, lfo: Option<(u32, u32)>) -> Lists {
        let mut out = Lists::default();
        if let Some((fc, _)) = lst {
            let base = fc as usize;
            let count = u16_at(table, base).unwrap_or(0) as usize;
            let mut lstfs = Vec::new();
            for k in 0..count.min(4096) {
                let o = base + 2 + k * 28;
                let (Some(lsid), Some(flags)) = (u32_at(table, o), table.get(o + 26)) else {
                    break;
                };
                lstfs.push((lsid as i32, flags & 1 != 0));
            }
            let mut o = base + 2 + lstfs.len() * 28;
            'lists: for (lsid, simple) in lstfs {
                let mut levels = Vec::new();
                for _ in 0..if simple { 1 } else { 9 } {
                    let Some(lvlf) = table.get(o..o + 28) else {
                        break 'lists;
                    };
                    let start = u32_at(lvlf, 0).unwrap_or(1);
                    let nfc = lvlf[4];
                    let cb_chpx = lvlf[24] as usize;
                    let cb_papx = lvlf[25] as usize;
                    o += 28 + cb_papx + cb_chpx;
                    let cch = u16_at(table, o).unwrap_or(0) as usize;
                    let text: Vec<u16> = (0..cch.min(64))
                        .map_while(|k| u16_at(table, o + 2 + k * 2))
                        .collect();
                    o += 2 + cch * 2;
                    levels.push(Lvl { start, nfc, text });
                }
                out.by_lsid.insert(lsid, levels);
            }
        }
        if let Some((fc, _)) = lfo {
            let base = fc as usize;
            let n = u32_at(table, base).unwrap_or(0) as usize;
            for k in 0..n.min(4096) {
                match u32_at(table, base + 4 + k * 16) {
                    Some(lsid) => out.lfo.push(lsid as i32),
                    None => break,
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// building the document

struct Builder {
    blocks: Vec<Block>,
    tables: Vec<grid::OpenTable>,
    paragraph_index: u32,
    table_index: u32,
    /// Cells produced by the tables so far.
    cells: grid::CellBudget,
    title_style_text: Option<String>,
    styles: Vec<Option<Style>>,
    lists: Lists,
    /// (lsid, level) -> current number
    counters: HashMap<(i32, usize), u32>,
}

impl Builder {
    fn run(&mut self, chars: &[Ch], chpx: &[Run], papx: &[Run]) {
        let default = Props::default();
        let mut text: Vec<u16> = Vec::new();
        // field nesting: true while in a field's instructions
        let mut fields: Vec<bool> = Vec::new();
        for ch in chars {
            let cp = run_at(chpx, ch.fc).unwrap_or(&default);
            match ch.c {
                0x13 => {
                    if fields.len() < 64 {
                        fields.push(true);
                    }
                    continue;
                }
                0x14 => {
                    if let Some(f) = fields.last_mut() {
                        *f = false;
                    }
                    continue;
                }
                0x15 => {
                    fields.pop();
                    continue;
                }
                _ => {}
            }
            let structural = matches!(ch.c, 0x07 | 0x0D | 0x0C);
            if fields.iter().any(|&f| f) && !structural {
                continue;
            }
            if (cp.deleted || cp.hidden) && ch.c != 0x07 {
                continue;
            }
            match ch.c {
                0x0D | 0x0C | 0x07 => {
                    let pp = run_at(papx, ch.fc).unwrap_or(&default);
                    let s = String::from_utf16_lossy(&text);
                    text.clear();
                    self.mark(ch.c, &s, pp);
                }
                0x09 | 0x0E => text.push(u16::from(b' ')),
                0x0B => text.push(u16::from(b'\n')),
                0x1E => text.push(u16::from(b'-')),
                0x1F => {}
                c if c < 0x20 => {}
                c if cp.special && c < 0x100 => {}
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            let s = String::from_utf16_lossy(&text);
            self.mark(0x0D, &s, &default);
        }
        self.ensure_depth(0);
    }

    /// A paragraph, cell or row ends with `mark`; `raw` is its text, `pp` its properties.
    fn mark(&mut self, mark: u16, raw: &str, pp: &Props) {
        let depth = match pp.itap {
            Some(n) => (n as usize).min(MAX_TABLE_DEPTH),
            None if pp.in_table || mark == 0x07 => 1,
            None => 0,
        };
        let text = grid::clean(raw);
        if depth == 0 {
            self.ensure_depth(0);
            self.paragraph(text, pp);
            return;
        }
        self.ensure_depth(depth);
        let row_end = if depth == 1 {
            mark == 0x07 && pp.ttp
        } else {
            pp.inner_ttp
        };
        let cell_end = if depth == 1 {
            mark == 0x07 && !pp.ttp
        } else {
            pp.inner_cell && !pp.inner_ttp
        };
        let list = pp.ilfo > 0;
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        if !row_end && !text.is_empty() {
            t.lines.push(if list { format!("• {text}") } else { text });
        }
        if cell_end {
            let lines = std::mem::take(&mut t.lines);
            if t.cells.len() < grid::MAX_SPAN {
                t.cells.push(lines);
            }
        }
        if row_end {
            let mut def = pp.row.clone().unwrap_or_default();
            def.header = pp.header;
            for &(itc, m) in &pp.vmerges {
                if let Some(c) = def.cells.get_mut(itc) {
                    c.vmerge = m;
                }
            }
            let cells = std::mem::take(&mut t.cells);
            t.lines.clear();
            t.rows.push(EdgeRow { cells, def });
        }
    }

    fn paragraph(&mut self, text: String, pp: &Props) {
        self.paragraph_index += 1;
        if text.is_empty() {
            return;
        }
        let source = Source {
            paragraph: Some(self.paragraph_index),
            ..Source::default()
        };
        let style = style_heading(&self.styles, pp.istd);
        let heading = pp.outline.map(|o| (o + 1).min(6)).or(style.map(|s| s.0));
        let kind = if let Some(level) = heading {
            let text = text.replace('\n', " ");
            if style.is_some_and(|s| s.1) && self.title_style_text.is_none() {
                self.title_style_text = Some(text.clone());
            }
            BlockKind::Heading { level, text }
        } else if pp.ilfo > 0 {
            BlockKind::ListItem {
                text,
                marker: self.marker(pp.ilfo, pp.ilvl),
                level: pp.ilvl + 1,
            }
        } else {
            BlockKind::Paragraph { text }
        };
        self.blocks.push(Block { kind, source });
    }

    /// The marker list `ilfo` prints at level `ilvl` for its next item.
    fn marker(&mut self, ilfo: u16, ilvl: u8) -> String {
        let Some(&lsid) = self.lists.lfo.get(ilfo as usize - 1) else {
            return "•".into();
        };
        let Some(levels) = self.lists.by_lsid.get(&lsid) else {
            return "•".into();
        };
        let ilvl = (ilvl as usize).min(levels.len().saturating_sub(1));
        let Some(lvl) = levels.get(ilvl) else {
            return "•".into();
        };
        if lvl.nfc == 23 {
            return "•".into();
        }
        let n = self
            .counters
            .get(&(lsid, ilvl))
            .map_or(lvl.start, |c| c.saturating_add(1));
        self.counters.insert((lsid, ilvl), n);
        self.counters.retain(|(l, k), _| *l != lsid || *k <= ilvl);
        let mut out = String::new();
        for &u in &lvl.text {
            if u <= 8 {
                let k = u as usize;
                let (nfc, start) = levels.get(k).map_or((0, 1), |l| (l.nfc, l.start));
                let v = self.counters.get(&(lsid, k)).copied().unwrap_or(start);
                out.push_str(&super::docx::format_number(v, nfc_name(nfc)));
            } else if let Some(c) = char::from_u32(u32::from(u)) {
                out.push(c);
            }
        }
        let out = out.trim().to_string();
        if out.chars().any(char::is_alphanumeric) {
            out
        } else {
            "•".into()
        }
    }

    fn ensure_depth(&mut self, depth: usize) {
        while self.tables.len() > depth {
            self.close_table();
        }
        while self.tables.len() < depth {
            self.tables.push(grid::OpenTable::default());
        }
    }

    fn close_table(&mut self) {
        grid::close_edge_table(
            &mut self.tables,
            EdgeDef::default(),
            &mut self.blocks,
            &mut self.table_index,
            &mut self.cells,
        );
    }
}

/// A Word number format code (`nfc`) as the OOXML name the list formatter knows.
fn nfc_name(nfc: u8) -> &'static str {
    match nfc {
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        _ => "decimal",
    }
}

// ---------------------------------------------------------------------------------------------
// document properties

/// `PIDSI_TITLE` from a `\x05SummaryInformation` property set stream.
fn summary_title(s: &[u8]) -> Option<String> {
    let section = u32_at(s, 44)? as usize;
    let count = u32_at(s, section + 4)? as usize;
    let mut codepage = 1252i32;
    let mut title_at = None;
    for k in 0..count.min(1024) {
        let id = u32_at(s, section + 8 + k * 8)?;
        let off = u32_at(s, section + 12 + k * 8)? as usize;
        match id {
            1 => codepage = i32::from(u16_at(s, section + off + 4)?),
            2 => title_at = Some(section + off),
            _ => {}
        }
    }
    let at = title_at?;
    let typ = u32_at(s, at)?;
    let len = u32_at(s, at + 4)? as usize;
    let title = match typ {
        0x1E => {
            let bytes = s.get(at + 8..(at + 8).checked_add(len)?)?;
            let enc = if codepage == 1200 {
                encoding_rs::UTF_16LE
            } else {
                super::rtf::codepage_encoding(codepage).unwrap_or(encoding_rs::WINDOWS_1252)
            };
            enc.decode_without_bom_handling(bytes).0.into_owned()
        }
        0x1F => {
            let units: Vec<u16> = (0..len.min(4096))
                .map_while(|k| u16_at(s, at + 8 + k * 2))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let t = title
        .trim_matches('\0')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprms_and_row_definitions() {
        // in table, row end, itap 1, outline 2, list 3 level 1, header row
        let mut g = vec![0x16, 0x24, 1, 0x17, 0x24, 1, 0x49, 0x66, 1, 0, 0, 0];
        g.extend([
            0x40, 0x26, 1, 0x0B, 0x46, 3, 0, 0x0A, 0x26, 1, 0x04, 0x34, 1,
        ]);
        // sprmTDefTable: 2 cells at 0..1000..3000, the second vertically merged (continue)
        let mut tdef = vec![2u8];
        for x in [0i16, 1000, 3000] {
            tdef.extend(x.to_le_bytes());
        }
        for flags in [0x0060u16, 0x0020] {
            tdef.extend(flags.to_le_bytes());
            tdef.extend([0u8; 18]);
        }
        g.extend([0x08, 0xD6]);
        g.extend(((tdef.len() + 1) as u16).to_le_bytes());
        g.extend(&tdef);
        // sprmTVertMerge: cell 0 restarts
        g.extend([0x2B, 0xD6, 2, 0, 3]);
        // unknown variable-length sprm, then a cut-short one
        g.extend([0x99, 0xC6, 3, 9, 9, 9, 0x16]);
        let p = sprms(&g, Props::default());
        assert!(p.in_table && p.ttp && p.header);
        assert_eq!(p.itap, Some(1));
        assert_eq!(p.outline, Some(1));
        assert_eq!((p.ilfo, p.ilvl), (3, 1));
        let row = p.row.unwrap();
        assert_eq!(row.left, 0);
        assert_eq!(
            row.cells
                .iter()
                .map(|c| (c.right, c.vmerge))
                .collect::<Vec<_>>(),
            vec![(1000, VMerge::Restart), (3000, VMerge::Continue)]
        );
        assert_eq!(p.vmerges, vec![(0, VMerge::Restart)]);
        // character properties: deleted, hidden via "opposite of style"
        let c = sprms(&[0x00, 0x08, 1, 0x3C, 0x08, 0x81], Props::default());
        assert!(c.deleted && c.hidden);
        // garbage never panics
        for n in 0..g.len() {
            let _ = sprms(&g[..n], Props::default());
        }
        assert!(tdef_table(&[200, 1]).is_none());
    }

    #[test]
    fn pieces_and_text() {
        // one 8-bit piece (CP 0-3 at byte 0x10) and one UTF-16 piece (CP 3-5 at byte 0x20)
        let mut plc = Vec::new();
        for cp in [0u32, 3, 5] {
            plc.extend(cp.to_le_bytes());
        }
        for (fc, compressed) in [(0x10u32 * 2, true), (0x20, false)] {
            plc.extend([0, 0]);
            plc.extend((fc | if compressed { 0x4000_0000 } else { 0 }).to_le_bytes());
            plc.extend([0, 0]);
        }
        let mut clx = vec![0x01, 2, 0, 0xAA, 0xBB, 0x02];
        clx.extend((plc.len() as u32).to_le_bytes());
        clx.extend(&plc);
        let pieces = parse_clx(&clx).unwrap();
        assert_eq!(pieces.len(), 2);
        let mut word = vec![0u8; 0x30];
        word[0x10..0x13].copy_from_slice(b"Ca\x96");
        word[0x20..0x24].copy_from_slice(&[0xE9, 0, 0x0D, 0]);
        let text: Vec<u16> = main_text(&word, &pieces, 5).iter().map(|c| c.c).collect();
        assert_eq!(String::from_utf16_lossy(&text), "Ca\u{2013}\u{e9}\r");
        // ccpText shorter than the pieces, and pieces past the stream
        assert_eq!(main_text(&word, &pieces, 2).len(), 2);
        assert_eq!(main_text(&word[..0x11], &pieces, 5).len(), 1);
        assert!(parse_clx(&[0x05]).is_err());
        assert!(parse_clx(&[0x02, 0xFF, 0xFF, 0, 0]).is_err());
        assert!(parse_clx(&[]).is_err());
    }

    #[test]
    fn summary_information_title() {
        // property set: header (28) + one FMTID/offset (20) -> section at 48
        let mut s = vec![0u8; 48];
        s[44..48].copy_from_slice(&48u32.to_le_bytes());
        let mut sec = Vec::new();
        let props: Vec<(u32, Vec<u8>)> = vec![
            (
                1,
                [
                    2u32.to_le_bytes().to_vec(),
                    1252u16.to_le_bytes().to_vec(),
                    vec![0, 0],
                ]
                .concat(),
            ),
            (
                2,
                [
                    0x1Eu32.to_le_bytes().to_vec(),
                    6u32.to_le_bytes().to_vec(),
                    b"Plan\xe9\0".to_vec(),
                    vec![0, 0],
                ]
                .concat(),
            ),
        ];
        let mut off = 8 + 8 * props.len();
        let mut body: Vec<u8> = Vec::new();
        sec.extend(0u32.to_le_bytes());
        sec.extend((props.len() as u32).to_le_bytes());
        for (id, v) in &props {
            sec.extend(id.to_le_bytes());
            sec.extend((off as u32).to_le_bytes());
            off += v.len();
            body.extend_from_slice(v);
        }
        s.extend(sec);
        s.extend(body);
        assert_eq!(summary_title(&s).as_deref(), Some("Plané"));
        for n in 0..s.len() {
            let _ = summary_title(&s[..n]);
        }
    }

    #[test]
    fn not_a_word_file() {
        let o = Options::default();
        assert!(matches!(
            read(b"\xD0\xCF\x11\xE0 short", &o),
            Err(Error::Corrupt { .. })
        ));
        // a real compound file without a WordDocument stream (the XLS fixture's shape)
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/Workbook").unwrap();
        let bytes = cf.into_inner().into_inner();
        let e = read(&bytes, &o).unwrap_err();
        assert!(e.to_string().contains("no WordDocument stream"), "{e}");
    }
}
