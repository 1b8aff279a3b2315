//! Print every detection candidate (taken or not, with reasons): `cargo run --example candidates -- FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: candidates FILE");
    let bytes = std::fs::read(&path).expect("read file");
    let opts = carers_extract::Options::default();
    let doc = carers_extract::read::sniff(&path, &bytes)
        .and_then(|f| carers_extract::read::read(f, &bytes, &opts))
        .expect("readable");
    let d = carers_extract::detect::detect_explained(&doc, &opts);
    for c in &d.candidates {
        println!(
            "{:?} {} [{}] rows={} {}",
            c.kind,
            if c.taken { "TAKEN" } else { "no" },
            c.source.describe(),
            c.rows,
            c.reason
        );
        for col in &c.columns {
            println!(
                "    {:?} -> {:?} {:.2} ({})",
                col.header, col.field, col.confidence, col.reason
            );
        }
    }
}
