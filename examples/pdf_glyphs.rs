//! Print the lines of one page as the PDF reader sees them:
//! `cargo run --example pdf_glyphs -- file.pdf PAGE`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: pdf_glyphs FILE.pdf PAGE");
    let page: usize = args.next().and_then(|p| p.parse().ok()).unwrap_or(1);
    let bytes = std::fs::read(&path).expect("read file");
    let pdf = carers_extract::read::pdf::open(&bytes).expect("open");
    let pages = pdf.pages();
    let p = pages.get(page.saturating_sub(1)).expect("no such page");
    let mut fonts = carers_extract::read::pdf::interp::Fonts::new();
    let (raw, _) = carers_extract::read::pdf::interp::interpret(p, &mut fonts, None);
    let pd = carers_extract::read::pdf::interp::orient(raw, page as u32);
    println!(
        "page {} {}x{} turned {} glyphs {} segs {} fills {} dots {}",
        pd.number,
        pd.width,
        pd.height,
        pd.turned,
        pd.glyphs.len(),
        pd.segs.len(),
        pd.fills.len(),
        pd.dots.len()
    );
    if std::env::var_os("SEGS").is_some() {
        for s in &pd.segs {
            println!(
                "seg {} pos={:.1} {:.1}-{:.1}",
                if s.horizontal { "H" } else { "V" },
                s.pos,
                s.a,
                s.b
            );
        }
        for f in &pd.fills {
            println!(
                "fill {:.1},{:.1}-{:.1},{:.1} light={:.2}",
                f.rect.x0, f.rect.y0, f.rect.x1, f.rect.y1, f.light
            );
        }
    }
    for l in carers_extract::read::pdf::lines::group_lines(pd.glyphs.clone()).iter() {
        let mcids: std::collections::BTreeSet<u32> = l.glyphs.iter().map(|g| g.mcid).collect();
        println!(
            "y={:7.1} x={:6.1}-{:6.1} size={:4.1} mcid={:?} | {}",
            l.y,
            l.x0,
            l.x1,
            l.size,
            mcids,
            l.text()
        );
    }
}
