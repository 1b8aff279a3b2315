//! Read a PDF into the document model and print counts and the reader's notes (no output
//! formatting): `cargo run --release --example pdf_read -- file.pdf`. For measuring the reader
//! alone (time, peak memory).
fn main() {
    let path = std::env::args().nth(1).expect("usage: pdf_read FILE.pdf");
    let bytes = std::fs::read(&path).expect("read file");
    let opts = carers_extract::Options::default();
    match carers_extract::read::pdf::read_with_notes(&bytes, &opts) {
        Ok((doc, notes)) => {
            let rows: usize = doc.tables().map(|t| t.rows.len()).sum();
            println!(
                "{} pages, {} blocks, {} tables, {} rows",
                doc.pages.unwrap_or(0),
                doc.blocks.len(),
                doc.tables().count(),
                rows
            );
            for n in notes {
                println!("note: {n}");
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2)
        }
    }
}
