//! Debug: print lines (baseline, x-ranges of pieces) of one page: `pdf_glyphs FILE PAGE`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).expect("read");
    let page: u32 = a[2].parse().expect("page");
    let doc = carers_extract::read::pdf::load(&bytes).expect("load");
    let mut col = carers_extract::read::pdf::glyphs::Collector::new(None);
    pdf_extract::output_doc_page(&doc, &mut col, page).expect("page");
    let p = &col.pages[0];
    println!("segs {} dots {}", p.segs.len(), p.dots.len());
    for l in carers_extract::read::pdf::lines::group_lines(p.glyphs.clone()).iter() {
        let ps: Vec<String> = l
            .pieces(0.6)
            .iter()
            .map(|q| format!("[{:.1}-{:.1} {}]", q.x0, q.x1, q.text()))
            .collect();
        println!("y={:.1} s={:.1} {}", l.y, l.size, ps.join(" "));
        if let Ok(w) = std::env::var("PDF_GLYPHS") {
            if l.text().contains(&w) {
                for g in &l.glyphs {
                    print!("{}[{:.2},{:.2}] ", g.text, g.x0, g.x1);
                }
                println!();
            }
        }
    }
}
// (set PDF_GLYPHS=word to print glyph boxes of lines containing `word`)
