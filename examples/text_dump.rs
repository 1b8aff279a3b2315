//! Print the blocks the text reader finds, one line each (tables row by row, cells between
//! `|`): `cargo run --release --example text_dump -- file.txt`.
use carers_extract::BlockKind;

fn main() {
    let path = std::env::args().nth(1).expect("usage: text_dump FILE.txt");
    let bytes = std::fs::read(&path).expect("read file");
    let doc = match carers_extract::read::text::read(&bytes) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2)
        }
    };
    for b in &doc.blocks {
        let at = b.source.describe();
        match &b.kind {
            BlockKind::Heading { level, text } => println!("[{at}] H{level} {text}"),
            BlockKind::Paragraph { text } => println!("[{at}] P {text}"),
            BlockKind::ListItem { text, marker, .. } => println!("[{at}] L {marker} {text}"),
            BlockKind::Table(t) => {
                println!("[{at}] TABLE ({} rows)", t.rows.len());
                for r in &t.rows {
                    let cells: Vec<&str> = r.cells.iter().map(|c| c.text.as_str()).collect();
                    println!(
                        "    {:>5} | {}",
                        r.source.line.unwrap_or(0),
                        cells.join(" | ")
                    );
                }
            }
        }
    }
}
