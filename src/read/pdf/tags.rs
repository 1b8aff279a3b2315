//! Tagged PDF: table structure from the document's structure tree.
//!
//! Word, PowerPoint, InDesign and most accessible exports carry a structure tree
//! (`/StructTreeRoot`) whose `Table` / `TR` / `TH` / `TD` elements point at the marked content
//! (`/MCID`) that draws each cell. Where it is there, rows and cells are known exactly, including
//! rows split by a page break and cells spanning rows or columns. [`read`] walks the tree once and
//! keeps, per page, which marked-content id belongs to which cell; the page assembler
//! ([`super::assemble`]) takes those glyphs out of the geometric analysis when the tagged table
//! is consistent with the page's geometry, and falls back to geometry when it is not.

use std::collections::{HashMap, HashSet};

use hayro_syntax::object::{Dict, MaybeRef, Name, Object, ObjectIdentifier};
use hayro_syntax::Pdf;

/// Most structure elements visited.
const MAX_ELEMENTS: usize = 2_000_000;
/// Deepest nesting followed.
const MAX_DEPTH: usize = 256;

/// A cell of a tagged table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRef {
    /// Index into [`Tags::tables`].
    pub table: u32,
    /// Row within the table (0-based, header rows included).
    pub row: u32,
    /// Column of the cell's first grid column.
    pub col: u32,
}

/// Shape of a tagged table.
#[derive(Debug, Clone, Default)]
pub struct TagTable {
    /// Number of grid columns.
    pub ncols: u32,
    /// Number of rows.
    pub nrows: u32,
    /// Rows that are header rows (all cells `TH`, or inside `THead`).
    pub header_rows: HashSet<u32>,
    /// Cells spanning more than one row or column: (row, col) -> (rowspan, colspan).
    pub spans: HashMap<(u32, u32), (u32, u32)>,
    /// Rows whose cell elements cover fewer grid columns than the table has (producers that
    /// leave empty cells out): their columns are placed by geometry.
    pub short_rows: HashSet<u32>,
    /// Rows made of a single cell element (a full-width section row).
    pub single_rows: HashSet<u32>,
}

/// What the structure tree says about the document's marked content.
#[derive(Debug, Default)]
pub struct Tags {
    /// Tables in document order.
    pub tables: Vec<TagTable>,
    /// Per page index (0-based): marked-content id -> cell.
    pub cells: HashMap<u32, HashMap<u32, CellRef>>,
}

impl Tags {
    /// The cell a marked-content id on a page belongs to.
    pub fn cell(&self, page: u32, mcid: u32) -> Option<CellRef> {
        self.cells.get(&page)?.get(&mcid).copied()
    }
    /// True when some page has tagged table cells.
    pub fn has_tables(&self) -> bool {
        !self.cells.is_empty()
    }
}

struct Walker<'a> {
    pdf: &'a Pdf,
    pages: HashMap<(u32, i32), u32>,
    role_map: Option<Dict<'a>>,
    visited: HashSet<(u32, i32)>,
    count: usize,
    tags: Tags,
}

/// An element reached while walking: the resolved object and its reference, if indirect.
fn resolve<'a>(pdf: &'a Pdf, m: MaybeRef<Object<'a>>) -> Option<(Object<'a>, Option<(u32, i32)>)> {
    match m {
        MaybeRef::Ref(r) => {
            let id: ObjectIdentifier = r.into();
            let o = pdf.xref().get::<Object<'a>>(id)?;
            Some((o, Some((id.obj_number, id.gen_number))))
        }
        MaybeRef::NotRef(o) => Some((o, None)),
    }
}

impl<'a> Walker<'a> {
    fn role(&self, s: &[u8]) -> Vec<u8> {
        let mut cur = s.to_vec();
        for _ in 0..8 {
            if is_standard(&cur) {
                return cur;
            }
            let Some(m) = &self.role_map else {
                return cur;
            };
            match m.get::<Name<'_>>(&cur[..]) {
                Some(n) if n.as_ref() != &cur[..] => cur = n.as_ref().to_vec(),
                _ => return cur,
            }
        }
        cur
    }

    fn page_of(&self, d: &Dict<'_>, inherited: Option<u32>) -> Option<u32> {
        match d.get_ref(b"Pg") {
            Some(r) => {
                let id: ObjectIdentifier = r.into();
                self.pages.get(&(id.obj_number, id.gen_number)).copied()
            }
            None => inherited,
        }
    }

    /// The children of an element's /K, resolved.
    fn kids(&mut self, d: &Dict<'a>) -> Vec<Object<'a>> {
        let mut out = Vec::new();
        let Some(k) = d.get_raw::<Object<'a>>(b"K") else {
            return out;
        };
        let Some((k, id)) = resolve(self.pdf, k) else {
            return out;
        };
        if let Some(id) = id {
            if !self.visited.insert(id) {
                return out;
            }
        }
        match k {
            Object::Array(a) => {
                for m in a.raw_iter() {
                    if let Some((o, id)) = resolve(self.pdf, m) {
                        if let Some(id) = id {
                            if !self.visited.insert(id) {
                                continue;
                            }
                        }
                        out.push(o);
                    }
                }
            }
            o => out.push(o),
        }
        out
    }

    /// Every marked-content id under an element, with its page.
    fn mcids(&mut self, d: &Dict<'a>, page: Option<u32>, depth: usize, out: &mut Vec<(u32, u32)>) {
        if depth > MAX_DEPTH || self.count > MAX_ELEMENTS {
            return;
        }
        self.count += 1;
        let page = self.page_of(d, page);
        for k in self.kids(d) {
            match k {
                Object::Number(n) => {
                    if let (Some(p), Ok(m)) = (page, u32::try_from(n.as_i64())) {
                        out.push((p, m));
                    }
                }
                Object::Dict(c) => {
                    let ty = c.get::<Name<'_>>(b"Type");
                    match ty.as_deref() {
                        Some(b"MCR") => {
                            if c.contains_key(b"Stm") {
                                continue;
                            }
                            let p = self.page_of(&c, page);
                            if let (Some(p), Some(m)) = (p, c.get::<i64>(b"MCID")) {
                                if let Ok(m) = u32::try_from(m) {
                                    out.push((p, m));
                                }
                            }
                        }
                        Some(b"OBJR") => {}
                        _ => self.mcids(&c, page, depth + 1, out),
                    }
                }
                _ => {}
            }
        }
    }

    /// Walk an element looking for tables.
    fn walk(&mut self, d: &Dict<'a>, page: Option<u32>, depth: usize) {
        if depth > MAX_DEPTH || self.count > MAX_ELEMENTS {
            return;
        }
        self.count += 1;
        let page = self.page_of(d, page);
        let s = d
            .get::<Name<'_>>(b"S")
            .map(|n| self.role(n.as_ref()))
            .unwrap_or_default();
        if s == b"Table" {
            self.table(d, page, depth);
            return;
        }
        for k in self.kids(d) {
            if let Object::Dict(c) = k {
                if c.contains_key(b"S") {
                    self.walk(&c, page, depth + 1);
                }
            }
        }
    }

    fn struct_kids(&mut self, d: &Dict<'a>) -> Vec<(Vec<u8>, Dict<'a>)> {
        self.kids(d)
            .into_iter()
            .filter_map(|k| match k {
                Object::Dict(c) if c.contains_key(b"S") => {
                    let s = c
                        .get::<Name<'_>>(b"S")
                        .map(|n| self.role(n.as_ref()))
                        .unwrap_or_default();
                    Some((s, c))
                }
                _ => None,
            })
            .collect()
    }

    fn table(&mut self, d: &Dict<'a>, page: Option<u32>, depth: usize) {
        // Rows: TR children, directly or inside THead / TBody / TFoot.
        let mut rows: Vec<(bool, Dict<'a>, Option<u32>)> = Vec::new();
        for (s, c) in self.struct_kids(d) {
            match &s[..] {
                b"TR" => rows.push((false, c, page)),
                b"THead" | b"TBody" | b"TFoot" => {
                    let p = self.page_of(&c, page);
                    for (s2, r) in self.struct_kids(&c) {
                        if s2 == b"TR" {
                            rows.push((&s[..] == b"THead", r, p));
                        }
                    }
                }
                // A caption or anything else: not cells.
                _ => {}
            }
        }
        if rows.is_empty() {
            return;
        }
        let index = self.tags.tables.len() as u32;
        let mut table = TagTable::default();
        // Grid occupancy from row spans: (row, col) taken by a cell above.
        let mut taken: HashSet<(u32, u32)> = HashSet::new();
        let mut assigned: Vec<(u32, u32, CellRef)> = Vec::new();
        let mut widths: Vec<u32> = Vec::new();
        for (r, (head, row, rpage)) in rows.into_iter().enumerate() {
            let r = r as u32;
            let rpage = self.page_of(&row, rpage);
            let cells = self.struct_kids(&row);
            let mut col = 0u32;
            let mut all_th = !cells.is_empty();
            let nelems = cells
                .iter()
                .filter(|(s, _)| s == b"TD" || s == b"TH")
                .count();
            if nelems == 1 {
                table.single_rows.insert(r);
            }
            for (s, cell) in cells {
                if s != b"TD" && s != b"TH" {
                    continue;
                }
                all_th &= s == b"TH";
                while taken.contains(&(r, col)) {
                    col += 1;
                }
                let (rs, cs) = spans(&cell);
                if rs > 1 || cs > 1 {
                    table.spans.insert((r, col), (rs, cs));
                }
                for dr in 0..rs {
                    for dc in 0..cs {
                        taken.insert((r + dr, col + dc));
                    }
                }
                let mut ms = Vec::new();
                self.mcids(&cell, rpage, depth + 2, &mut ms);
                let cref = CellRef {
                    table: index,
                    row: r,
                    col,
                };
                for (p, m) in ms {
                    assigned.push((p, m, cref));
                }
                col += cs;
                table.ncols = table.ncols.max(col);
            }
            if head || all_th {
                table.header_rows.insert(r);
            }
            while taken.contains(&(r, col)) {
                col += 1;
            }
            widths.push(col);
            table.nrows = r + 1;
        }
        table.ncols = table
            .ncols
            .max(taken.iter().map(|&(_, c)| c + 1).max().unwrap_or(0));
        for (r, w) in widths.into_iter().enumerate() {
            if w < table.ncols && !table.single_rows.contains(&(r as u32)) {
                table.short_rows.insert(r as u32);
            }
        }
        self.tags.tables.push(table);
        for (p, m, c) in assigned {
            self.tags.cells.entry(p).or_default().entry(m).or_insert(c);
        }
    }
}

fn spans(cell: &Dict<'_>) -> (u32, u32) {
    let mut rs = 1;
    let mut cs = 1;
    let mut read = |d: &Dict<'_>| {
        if let Some(v) = d.get::<i64>(b"RowSpan") {
            rs = v.clamp(1, 1000) as u32;
        }
        if let Some(v) = d.get::<i64>(b"ColSpan") {
            cs = v.clamp(1, 1000) as u32;
        }
    };
    match cell.get::<Object<'_>>(b"A") {
        Some(Object::Dict(d)) => read(&d),
        Some(Object::Array(a)) => {
            for o in a.iter::<Object<'_>>() {
                if let Object::Dict(d) = o {
                    read(&d);
                }
            }
        }
        _ => {}
    }
    (rs, cs)
}

fn is_standard(s: &[u8]) -> bool {
    matches!(
        s,
        b"Document"
            | b"Part"
            | b"Art"
            | b"Sect"
            | b"Div"
            | b"BlockQuote"
            | b"Caption"
            | b"TOC"
            | b"TOCI"
            | b"Index"
            | b"NonStruct"
            | b"Private"
            | b"P"
            | b"H"
            | b"H1"
            | b"H2"
            | b"H3"
            | b"H4"
            | b"H5"
            | b"H6"
            | b"L"
            | b"LI"
            | b"Lbl"
            | b"LBody"
            | b"Table"
            | b"TR"
            | b"TH"
            | b"TD"
            | b"THead"
            | b"TBody"
            | b"TFoot"
            | b"Span"
            | b"Quote"
            | b"Note"
            | b"Reference"
            | b"BibEntry"
            | b"Code"
            | b"Link"
            | b"Annot"
            | b"Ruby"
            | b"Warichu"
            | b"Figure"
            | b"Formula"
            | b"Form"
    )
}

/// Read the structure tree. `None` when the document has none (or no tables in it).
pub fn read(pdf: &Pdf) -> Option<Tags> {
    let xref = pdf.xref();
    let root = xref.get::<Dict<'_>>(xref.root_id())?;
    let tree = root.get::<Dict<'_>>(b"StructTreeRoot")?;
    let mut pages = HashMap::new();
    for (i, p) in pdf.pages().iter().enumerate() {
        if let Some(id) = p.raw().obj_id() {
            pages.insert((id.obj_number, id.gen_number), i as u32);
        }
    }
    let mut w = Walker {
        pdf,
        pages,
        role_map: tree.get::<Dict<'_>>(b"RoleMap"),
        visited: HashSet::new(),
        count: 0,
        tags: Tags::default(),
    };
    w.walk(&tree, None, 0);
    if w.tags.has_tables() {
        Some(w.tags)
    } else {
        None
    }
}
