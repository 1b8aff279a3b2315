//! Debug: try the batched fast path: `pdf_batch FILE`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).expect("read");
    let mut doc = carers_extract::read::pdf::load(&bytes).expect("load");
    let pages: Vec<(u32, pdf_extract::ObjectId)> = doc.get_pages().into_iter().collect();
    let r = carers_extract::read::pdf::batch::extract(&mut doc, &pages, 1, None);
    println!("{:?}", r.map(|(p, t)| (p.len(), t, p.iter().map(|x| x.glyphs.len()).sum::<usize>())));
    println!("pages now {}", doc.get_pages().len());
    let mut col = carers_extract::read::pdf::glyphs::Collector::new(None);
    let n = doc.get_pages().len() as u32;
    let r = pdf_extract::output_doc_page(&doc, &mut col, n);
    println!("{r:?} {}", col.pages.len());
    let p = &col.pages[0];
    let mut ys: Vec<f32> = p.glyphs.iter().map(|g| g.y).collect();
    ys.sort_by(f32::total_cmp);
    println!("h={} glyphs={} y {:?} .. {:?}", p.height, ys.len(), ys.first(), ys.last());
    for q in ys.chunks(ys.len() / 20 + 1) { print!("{:.0} ", q[0]); }
    println!();
}
// y range printed below
