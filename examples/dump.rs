//! Print the Document any reader builds (format sniffed as the CLI does), as JSON:
//! `cargo run --release --example dump -- file.odt`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let bytes = std::fs::read(&path).expect("read file");
    let opts = carers_extract::Options::default();
    let doc = carers_extract::read::sniff(&path, &bytes)
        .and_then(|f| carers_extract::read::read(f, &bytes, &opts));
    match doc {
        Ok(doc) => println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default()),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2)
        }
    }
}
