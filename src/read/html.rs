//! HTML reader (`.html`, `.htm`) on `scraper` (html5ever).
//!
//! html5ever is the WHATWG parsing algorithm (the one browsers use), so the tag soup councils
//! publish -- unclosed `<td>`/`<li>`/`<p>`, missing `<tbody>`, stray end tags -- gives the same
//! tree a browser shows. What it produces:
//!
//! * `h1`-`h6` -> Heading, `p`/`dt`/`dd`/`caption`/loose text -> Paragraph, `li` -> ListItem
//!   (`•` or `1.`, level = list nesting), `table` -> Table;
//! * table rows from `thead`/`tbody`/`tfoot`/`tr`; rows in `thead` or made only of `th` are
//!   headers (and a later row repeating a header word for word); `rowspan` fills the value down
//!   with `Cell::merged = true`; `colspan` emits empty padding cells so columns stay aligned; a
//!   row that is one cell spanning several columns is emitted as a one-cell row (a section);
//! * cell text: block children and `<br>` become `\n`, `li` inside a cell becomes `• item`, a
//!   nested table becomes one line per row with cells joined by ` | `;
//! * `script`, `style`, `noscript`, `template`, `svg`, form controls are ignored;
//! * title from `<title>`, else the first `h1`;
//! * sources: `table`/`row` on tables and rows, `paragraph` (1-based block count) on prose.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use crate::document::{Block, BlockKind, Cell, Document, Row, Source, Table};
use crate::error::Result;
use crate::Options;

/// Deepest element nesting followed; content deeper than this is ignored (hostile input).
const MAX_DEPTH: usize = 256;
const MAX_COLSPAN: usize = 1000;
const MAX_ROWSPAN: usize = 10_000;

/// Deepest nesting handed to html5ever: its tree builder scans the stack of open elements for
/// most tokens, so 50,000 unclosed `<ul>` took minutes (found by `scripts/mutate.py`).
const MAX_PARSE_DEPTH: usize = 2000;

/// Read the bytes of an HTML page into a document.
pub fn read(bytes: &[u8], _opts: &Options) -> Result<Document> {
    let text = decode(bytes);
    let depth = nesting_depth(&text);
    if depth > MAX_PARSE_DEPTH {
        return Err(crate::error::Error::Limit(format!(
            "the page nests elements {depth} levels deep (more than {MAX_PARSE_DEPTH}): a damaged or hostile file, not read"
        )));
    }
    let html = Html::parse_document(&text);
    let mut w = Walker::default();
    w.block(html.tree.root(), 0);
    w.flush();
    if let Some(reason) = w.budget.over.take() {
        return Err(crate::error::Error::Limit(format!(
            "page refused: {reason}, over the limit (a damaged or generated file, not a plan)"
        )));
    }
    let title = w.title.take().or(w.first_h1.take());
    Ok(Document {
        title,
        pages: None,
        blocks: w.blocks,
    })
}

/// How deep the open elements of `text` get, as the HTML parser will keep them: start tags
/// minus end tags of elements that stay open until closed (void elements, and those a sibling
/// closes implicitly such as `li`, `p`, `td`, `tr`, are not counted). Linear; an estimate made
/// before parsing.
pub fn nesting_depth(text: &str) -> usize {
    const NOT_NESTING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "li", "p", "td", "th", "tr", "dt", "dd", "option", "optgroup",
        "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "rtc", "html", "head",
        "body",
    ];
    let b = text.as_bytes();
    let mut open: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = find_from(b, i, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let start = i + usize::from(close);
        let mut end = start;
        while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'-' || b[end] == b':')
        {
            end += 1;
        }
        if end == start || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = text[start..end].to_ascii_lowercase();
        let gt = b[end..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |p| end + p);
        i = gt.min(b.len());
        if NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        if close {
            if let Some(n) = open.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                depth -= 1;
            }
        } else if gt > 0 && b.get(gt - 1) == Some(&b'/') {
            // `<x/>`: nothing stays open.
        } else if matches!(
            name.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp"
        ) {
            // Raw text up to the end tag.
            let endtag = format!("</{name}");
            i = find_from_ci(b, i, endtag.as_bytes()).unwrap_or(b.len());
        } else {
            *open.entry(name).or_default() += 1;
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_from_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// Bytes to text: BOM, then `<meta charset>`, then UTF-8, else Windows-1252.
fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    if let Some(i) = head.find("charset=") {
        let rest = head[i + 8..].trim_start_matches(['"', '\'']);
        let label: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return enc.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

fn ignored(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "select"
            | "button"
            | "input"
            | "textarea"
            | "head"
            | "canvas"
            | "audio"
            | "video"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "blockquote"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "address"
            | "figure"
            | "figcaption"
            | "form"
            | "fieldset"
            | "details"
            | "summary"
            | "hr"
            | "center"
            | "body"
            | "html"
            | "caption"
            | "legend"
            | "tr"
            | "tbody"
            | "thead"
            | "tfoot"
    )
}

/// Collapse whitespace within lines, drop empty lines.
fn clean(s: &str) -> String {
    s.split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn elem_name<'a>(n: &NodeRef<'a, Node>) -> Option<&'a str> {
    match n.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

fn attr_num(n: &NodeRef<'_, Node>, name: &str) -> Option<usize> {
    match n.value() {
        Node::Element(e) => e.attr(name).and_then(|v| v.trim().parse::<usize>().ok()),
        _ => None,
    }
}

/// The text of an element as one cell / paragraph: blocks and `<br>` make lines, list items
/// get `• `, nested tables become `a | b` lines. `skip_lists` leaves nested `ul`/`ol` out.
fn gather(
    n: NodeRef<'_, Node>,
    out: &mut String,
    depth: usize,
    skip_lists: bool,
    pre: bool,
    budget: &mut Budget,
) {
    if depth > MAX_DEPTH || budget.spent() {
        return;
    }
    for c in n.children() {
        match c.value() {
            Node::Text(t) => {
                if pre {
                    out.push_str(t);
                } else {
                    out.extend(
                        t.chars()
                            .map(|ch| if ch.is_whitespace() { ' ' } else { ch }),
                    );
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if ignored(name) {
                    continue;
                }
                match name {
                    "br" => out.push('\n'),
                    "ul" | "ol" if skip_lists => {}
                    "li" => {
                        out.push_str("\n• ");
                        gather(c, out, depth + 1, false, pre, budget);
                        out.push('\n');
                    }
                    "table" => {
                        out.push('\n');
                        let t = build_table(c, depth + 1, 0, budget);
                        for r in t.rows.iter().filter(|r| !r.is_blank()) {
                            let line = r
                                .cells
                                .iter()
                                .filter(|c| !c.is_empty())
                                .map(|c| c.text.replace('\n', "; "))
                                .collect::<Vec<_>>()
                                .join(" | ");
                            out.push_str(&line);
                            out.push('\n');
                        }
                    }
                    "td" | "th" => {
                        gather(c, out, depth + 1, skip_lists, pre, budget);
                        out.push(' ');
                    }
                    _ if is_block(name) => {
                        out.push('\n');
                        gather(c, out, depth + 1, skip_lists, pre || name == "pre", budget);
                        out.push('\n');
                    }
                    _ => gather(c, out, depth + 1, skip_lists, pre, budget),
                }
            }
            _ => {}
        }
    }
}

fn text_of(n: NodeRef<'_, Node>, skip_lists: bool, budget: &mut Budget) -> String {
    let mut s = String::new();
    gather(n, &mut s, 0, skip_lists, false, budget);
    clean(&s)
}

/// Rows of a table, laid out on the grid.
/// What the tables of one page may make. A table can multiply its input (a `rowspan` copies a
/// cell's text into the rows below, a `colspan` pads with empty cells), so the cells and their
/// text are counted across the page, and a page past the limits is refused -- as a spreadsheet
/// with too many cells is -- rather than read for minutes or cut short without a word.
struct Budget {
    cells: usize,
    bytes: usize,
    over: Option<String>,
}

/// Most cells the tables of one page may hold (as many as one spreadsheet sheet).
const MAX_CELLS: usize = super::sheet::MAX_CELLS as usize;
/// Most columns in one table row (Excel's limit, as for CSV).
const MAX_COLUMNS: usize = super::csv::MAX_COLUMNS;
/// Most text the cells of one page may hold, spans repeating it included.
const MAX_CELL_BYTES: usize = 256 << 20;

impl Default for Budget {
    fn default() -> Self {
        Budget {
            cells: MAX_CELLS,
            bytes: MAX_CELL_BYTES,
            over: None,
        }
    }
}

impl Budget {
    /// Account for `n` cells holding `bytes` of text that bring a row to `width` columns;
    /// false (and the reason kept) once a limit is passed.
    fn take(&mut self, width: usize, n: usize, bytes: usize) -> bool {
        if self.over.is_some() {
            return false;
        }
        let reason = if width > MAX_COLUMNS {
            format!("a table row has more than {MAX_COLUMNS} columns")
        } else if n > self.cells {
            format!("its tables hold more than {MAX_CELLS} cells")
        } else if bytes > self.bytes {
            format!(
                "its table cells hold more than {} MB of text",
                MAX_CELL_BYTES >> 20
            )
        } else {
            self.cells -= n;
            self.bytes -= bytes;
            return true;
        };
        self.over = Some(reason);
        false
    }

    fn spent(&self) -> bool {
        self.over.is_some()
    }
}

/// Push the values of the rowspans that cover the next columns of a row.
fn fill_down(cells: &mut Vec<Cell>, pending: &mut [(usize, String)], budget: &mut Budget) {
    while let Some(p) = pending.get_mut(cells.len()) {
        if p.0 == 0 || !budget.take(cells.len() + 1, 1, p.1.len()) {
            break;
        }
        p.0 -= 1;
        let text = p.1.clone();
        let merged = !text.is_empty();
        cells.push(Cell {
            text,
            merged,
            source: None,
        });
    }
}

fn build_table(table: NodeRef<'_, Node>, depth: usize, index: u32, budget: &mut Budget) -> Table {
    // (row node, in thead)
    let mut trs: Vec<(NodeRef<'_, Node>, bool)> = Vec::new();
    for c in table.children() {
        match elem_name(&c) {
            Some("tr") => trs.push((c, false)),
            Some(s @ ("thead" | "tbody" | "tfoot")) => {
                for r in c.children() {
                    if elem_name(&r) == Some("tr") {
                        trs.push((r, s == "thead"));
                    }
                }
            }
            _ => {}
        }
    }
    let mut rows: Vec<Row> = Vec::with_capacity(trs.len());
    // per grid column: rows still covered by a rowspan, and the value to fill down
    let mut pending: Vec<(usize, String)> = Vec::new();
    for (i, (tr, in_head)) in trs.into_iter().enumerate() {
        if budget.spent() {
            break;
        }
        let mut cells: Vec<Cell> = Vec::new();
        let mut n_cells = 0usize;
        let mut all_th = true;
        let mut first_span = 1usize;
        for td in tr.children() {
            let name = match elem_name(&td) {
                Some(n @ ("td" | "th")) => n,
                _ => continue,
            };
            fill_down(&mut cells, &mut pending, budget);
            if name == "td" {
                all_th = false;
            }
            let cs = attr_num(&td, "colspan").unwrap_or(1).clamp(1, MAX_COLSPAN);
            let rs = match attr_num(&td, "rowspan") {
                Some(0) => MAX_ROWSPAN, // "to the end of the table section"
                Some(r) => r.min(MAX_ROWSPAN),
                None => 1,
            };
            if n_cells == 0 {
                first_span = cs;
            }
            n_cells += 1;
            let mut s = String::new();
            if depth <= MAX_DEPTH {
                gather(td, &mut s, depth + 1, false, false, budget);
            }
            let text = clean(&s);
            if !budget.take(cells.len() + cs, cs, text.len()) {
                break;
            }
            let col = cells.len();
            if rs > 1 {
                if pending.len() < col + cs {
                    pending.resize(col + cs, (0, String::new()));
                }
                pending[col] = (rs - 1, text.clone());
                for p in pending.iter_mut().skip(col + 1).take(cs - 1) {
                    *p = (rs - 1, String::new());
                }
            }
            cells.push(Cell::new(text));
            for _ in 1..cs {
                cells.push(Cell::default());
            }
        }
        // columns still covered by rowspans at the end of the row (gaps between them empty);
        // spans that have run out are dropped from the end, so this stays linear in the cells
        while pending.last().is_some_and(|p| p.0 == 0) {
            pending.pop();
        }
        while cells.len() < pending.len() && !budget.spent() {
            fill_down(&mut cells, &mut pending, budget);
            if cells.len() < pending.len() && budget.take(cells.len() + 1, 1, 0) {
                cells.push(Cell::default());
            }
        }
        if n_cells == 1 && first_span > 1 && cells.len() == first_span {
            cells.truncate(1);
        }
        let source = if index > 0 {
            Source {
                table: Some(index),
                row: Some(i as u32 + 1),
                ..Source::default()
            }
        } else {
            Source::default()
        };
        rows.push(Row {
            header: in_head || (all_th && n_cells > 0),
            cells,
            source,
            continuation: false,
        });
    }
    // a later row repeating a header row word for word is a repeated header
    let headers: Vec<Vec<&str>> = rows
        .iter()
        .filter(|r| r.header)
        .map(|r| r.texts())
        .collect();
    let repeated: Vec<bool> = rows
        .iter()
        .map(|r| !r.header && r.cells.len() > 1 && headers.contains(&r.texts()))
        .collect();
    for (r, rep) in rows.iter_mut().zip(repeated) {
        if rep {
            r.header = true;
        }
    }
    Table {
        rows,
        wrapped_lines: false,
    }
}

#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    inline: String,
    paragraph: u32,
    tables: u32,
    title: Option<String>,
    first_h1: Option<String>,
    budget: Budget,
}

impl Walker {
    fn push_prose(&mut self, kind: BlockKind) {
        self.paragraph += 1;
        self.blocks.push(Block {
            kind,
            source: Source {
                paragraph: Some(self.paragraph),
                ..Source::default()
            },
        });
    }

    /// Loose inline text collected so far becomes a paragraph.
    fn flush(&mut self) {
        let text = clean(&std::mem::take(&mut self.inline));
        if !text.is_empty() {
            self.push_prose(BlockKind::Paragraph { text });
        }
    }

    fn block(&mut self, n: NodeRef<'_, Node>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for c in n.children() {
            match c.value() {
                Node::Text(t) => {
                    self.inline.extend(
                        t.chars()
                            .map(|ch| if ch.is_whitespace() { ' ' } else { ch }),
                    )
                }
                Node::Element(e) => {
                    let name = e.name();
                    if name == "head" {
                        for h in c.descendants() {
                            if elem_name(&h) == Some("title") && self.title.is_none() {
                                let t = text_of(h, false, &mut self.budget).replace('\n', " ");
                                if !t.is_empty() {
                                    self.title = Some(t);
                                }
                            }
                        }
                        continue;
                    }
                    if ignored(name) {
                        continue;
                    }
                    match name {
                        "br" => self.inline.push('\n'),
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                            self.flush();
                            let level = name[1..].parse::<u8>().unwrap_or(2);
                            let text = text_of(c, false, &mut self.budget).replace('\n', " ");
                            if !text.is_empty() {
                                if level == 1 && self.first_h1.is_none() {
                                    self.first_h1 = Some(text.clone());
                                }
                                self.push_prose(BlockKind::Heading { level, text });
                            }
                        }
                        "p" | "dt" | "dd" | "caption" | "figcaption" | "summary" | "legend"
                        | "address" | "pre" => {
                            self.flush();
                            let mut s = String::new();
                            gather(c, &mut s, depth + 1, false, name == "pre", &mut self.budget);
                            let text = clean(&s);
                            if !text.is_empty() {
                                self.push_prose(BlockKind::Paragraph { text });
                            }
                        }
                        "ul" | "ol" => {
                            self.flush();
                            self.list(c, 1, depth + 1);
                        }
                        "li" => {
                            self.flush();
                            let text = text_of(c, true, &mut self.budget);
                            if !text.is_empty() {
                                self.push_prose(BlockKind::ListItem {
                                    text,
                                    marker: "•".into(),
                                    level: 1,
                                });
                            }
                        }
                        "table" => {
                            self.flush();
                            for cap in c.children() {
                                if elem_name(&cap) == Some("caption") {
                                    let text = text_of(cap, false, &mut self.budget);
                                    if !text.is_empty() {
                                        self.push_prose(BlockKind::Paragraph { text });
                                    }
                                }
                            }
                            self.tables += 1;
                            let index = self.tables;
                            let table = build_table(c, depth + 1, index, &mut self.budget);
                            self.blocks.push(Block {
                                kind: BlockKind::Table(table),
                                source: Source {
                                    table: Some(index),
                                    ..Source::default()
                                },
                            });
                        }
                        _ if is_block(name) => {
                            self.flush();
                            self.block(c, depth + 1);
                            self.flush();
                        }
                        _ => {
                            // inline element: its text joins the running paragraph, unless it
                            // hides block structure (a table or list inside a link, say)
                            let has_block = c.descendants().skip(1).any(|d| {
                                matches!(
                                    elem_name(&d),
                                    Some(
                                        "table"
                                            | "ul"
                                            | "ol"
                                            | "p"
                                            | "div"
                                            | "h1"
                                            | "h2"
                                            | "h3"
                                            | "h4"
                                            | "h5"
                                            | "h6"
                                    )
                                )
                            });
                            if has_block {
                                self.block(c, depth + 1);
                            } else {
                                let mut s = String::new();
                                gather(c, &mut s, depth + 1, false, false, &mut self.budget);
                                self.inline.push_str(&s);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn list(&mut self, list: NodeRef<'_, Node>, level: u8, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let ordered = elem_name(&list) == Some("ol");
        let mut n = attr_num(&list, "start").unwrap_or(1);
        for li in list.children() {
            match elem_name(&li) {
                Some("li") => {
                    let text = text_of(li, true, &mut self.budget);
                    if !text.is_empty() {
                        let marker = if ordered {
                            let m = format!("{n}.");
                            n += 1;
                            m
                        } else {
                            "•".to_string()
                        };
                        self.push_prose(BlockKind::ListItem {
                            text,
                            marker,
                            level,
                        });
                    }
                    for sub in li.children() {
                        if matches!(elem_name(&sub), Some("ul" | "ol")) {
                            self.list(sub, level.saturating_add(1), depth + 1);
                        }
                    }
                }
                Some("ul" | "ol") => self.list(li, level.saturating_add(1), depth + 1),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        read(s.as_bytes(), &Options::default()).unwrap()
    }

    #[test]
    fn nesting_depth_counts_what_stays_open() {
        assert_eq!(nesting_depth("<div><ul><li>a<li>b</ul></div>"), 2);
        // Unclosed li / p / td / tr do not nest; void elements and comments do not count.
        let sloppy = "<table><tr><td>a<td>b<tr><td>c</table><p>x<p>y<br><img src=x>".repeat(500);
        assert_eq!(nesting_depth(&sloppy), 1);
        assert_eq!(
            nesting_depth("<!-- <div><div> --><script>'<div>'</script><b/>"),
            0
        );
        assert_eq!(nesting_depth(&"<ul>".repeat(5000)), 5000);
        assert_eq!(nesting_depth("</div></div><div>"), 1);
        // 50,000 unclosed lists: refused at once instead of minutes of parsing.
        let hostile = format!(
            "<html><body>{}<table><tr><td>x</table>",
            "<ul>".repeat(50_000)
        );
        let t = std::time::Instant::now();
        let e = read(hostile.as_bytes(), &Options::default()).unwrap_err();
        assert!(e.to_string().contains("levels deep"), "{e}");
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn blocks_in_order() {
        let d = doc("<!doctype html><html><head><title>Carers Plan</title><style>p{}</style><script>var x='<p>no</p>'</script></head>\
            <body><h1>Strategy</h1><p>Intro <b>bold</b><br>next line</p><div>loose text<ul><li>one<ul><li>sub</li></ul></li><li>two</ul></div>\
            <ol start=3><li>three</ol></body></html>");
        assert_eq!(d.title.as_deref(), Some("Carers Plan"));
        let k: Vec<String> = d.blocks.iter().map(|b| format!("{:?}", b.kind)).collect();
        assert!(
            k[0].contains("Heading { level: 1, text: \"Strategy\""),
            "{k:?}"
        );
        assert!(
            k[1].contains("Paragraph { text: \"Intro bold\\nnext line\""),
            "{k:?}"
        );
        assert!(k[2].contains("Paragraph { text: \"loose text\""), "{k:?}");
        assert!(
            k[3].contains("ListItem { text: \"one\", marker: \"•\", level: 1"),
            "{k:?}"
        );
        assert!(
            k[4].contains("ListItem { text: \"sub\", marker: \"•\", level: 2"),
            "{k:?}"
        );
        assert!(k[5].contains("ListItem { text: \"two\""), "{k:?}");
        assert!(
            k[6].contains("ListItem { text: \"three\", marker: \"3.\""),
            "{k:?}"
        );
        assert_eq!(k.len(), 7);
        assert_eq!(d.blocks[3].source.paragraph, Some(4));
    }

    #[test]
    fn tables_spans_headers() {
        let d = doc(
            "<table><caption>Plan</caption><thead><tr><th>Action<th>Lead<th>Due</thead>\
            <tr><td colspan=3>Outcome 1: breaks</td></tr>\
            <tr><td>Do a<ul><li>x</li><li>y</li></ul><td rowspan=2>HHAS<td>2012\
            <tr><td>Do b<table><tr><td>n1</td><td>n2</td></tr></table><td>2013\
            <tr><th>Action<th>Lead<th>Due\
            <tr><td colspan=2>wide<td>z</table>",
        );
        assert!(matches!(&d.blocks[0].kind, BlockKind::Paragraph { text } if text == "Plan"));
        let BlockKind::Table(t) = &d.blocks[1].kind else {
            panic!("{:?}", d.blocks)
        };
        assert_eq!(
            d.blocks
                .iter()
                .filter(|b| matches!(b.kind, BlockKind::Table(_)))
                .count(),
            1
        );
        let r = &t.rows;
        assert!(r[0].header);
        assert_eq!(r[1].texts(), vec!["Outcome 1: breaks"]);
        assert_eq!(r[2].texts(), vec!["Do a\n• x\n• y", "HHAS", "2012"]);
        assert_eq!(r[3].texts(), vec!["Do b\nn1 | n2", "HHAS", "2013"]);
        assert!(r[3].cells[1].merged && !r[2].cells[1].merged);
        assert!(r[4].header);
        assert_eq!(r[5].texts(), vec!["wide", "", "z"]);
        assert_eq!(r[3].source.table, Some(1));
        assert_eq!(r[3].source.row, Some(4));
    }

    #[test]
    fn rowspan_at_row_end_and_gaps() {
        let d = doc(
            "<table><tr><td>a<td>b<td rowspan=3>c</tr><tr><td>d<td>e</tr><tr><td>f</tr></table>",
        );
        let BlockKind::Table(t) = &d.blocks[0].kind else {
            panic!()
        };
        assert_eq!(t.rows[1].texts(), vec!["d", "e", "c"]);
        assert_eq!(t.rows[2].texts(), vec!["f", "", "c"]);
        // a span that has run out no longer pads the rows below it
        let d = doc("<table><tr><td>a<td>b<td rowspan=2>c<tr><td>d<tr><td>e<td>f</table>");
        let BlockKind::Table(t) = &d.blocks[0].kind else {
            panic!()
        };
        assert_eq!(t.rows[1].texts(), vec!["d", "", "c"]);
        assert_eq!(t.rows[2].texts(), vec!["e", "f"]);
    }

    #[test]
    fn hostile_inputs_do_not_crash() {
        let deep = "<div>".repeat(1_500) + "x";
        let _ = doc(&deep);
        let deeper = "<div>".repeat(3_000) + "x";
        let e = read(deeper.as_bytes(), &Options::default()).unwrap_err();
        assert!(e.to_string().contains("3000 levels deep"), "{e}");
        let _ = doc("<table><tr><td rowspan=999999999 colspan=999999999>x</table>");
        let d = read(b"<p>caf\xe9</p>", &Options::default()).unwrap();
        assert!(matches!(&d.blocks[0].kind, BlockKind::Paragraph { text } if text == "café"));
    }
}
