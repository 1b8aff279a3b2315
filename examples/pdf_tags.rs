//! Print the tagged tables a PDF's structure tree describes (shape, header, single-cell,
//! short rows and spans): `cargo run --release --example pdf_tags -- file.pdf`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: pdf_tags FILE.pdf");
    let bytes = std::fs::read(&path).expect("read file");
    let pdf = match carers_extract::read::pdf::open(&bytes) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2)
        }
    };
    let Some(tags) = carers_extract::read::pdf::tags::read(&pdf) else {
        println!("no tagged tables");
        return;
    };
    let mut pages: Vec<_> = tags.cells.iter().collect();
    pages.sort_by_key(|(p, _)| **p);
    for (i, t) in tags.tables.iter().enumerate() {
        let on: Vec<u32> = pages
            .iter()
            .filter(|(_, m)| m.values().any(|c| c.table == i as u32))
            .map(|(p, _)| *p + 1)
            .collect();
        let sorted = |s: &std::collections::HashSet<u32>| {
            let mut v: Vec<u32> = s.iter().copied().collect();
            v.sort_unstable();
            v
        };
        println!(
            "table {i}: pages {on:?}, {} rows x {} cols, header {:?}, single {:?}, short {:?}, spans {:?}",
            t.nrows,
            t.ncols,
            sorted(&t.header_rows),
            sorted(&t.single_rows),
            sorted(&t.short_rows),
            t.spans
        );
    }
}
