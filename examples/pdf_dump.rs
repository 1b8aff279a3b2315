//! Print the Document the PDF reader builds, as JSON: `cargo run --example pdf_dump -- file.pdf`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: pdf_dump FILE.pdf");
    let bytes = std::fs::read(&path).expect("read file");
    let opts = carers_extract::Options::default();
    match carers_extract::read::pdf::read(&bytes, &opts) {
        Ok(doc) => println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default()),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2)
        }
    }
}
