//! Debug: font resource names per page: `pdf_fonts FILE`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).expect("read");
    let doc = carers_extract::read::pdf::load(&bytes).expect("load");
    for (n, id) in doc.get_pages() {
        let f = doc.get_page_fonts(id).expect("fonts");
        let names: Vec<String> = f.iter().map(|(k, d)| format!("{}={:p}", String::from_utf8_lossy(k), *d)).collect();
        println!("{n}: {}", names.join(" "));
        if n > 3 { break; }
    }
}
