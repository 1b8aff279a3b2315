//! Robustness check: N byte-mutations of a PDF through the reader; counts outcomes.
//! `cargo run --release --example pdf_fuzz -- fixtures/pdf/001.pdf 300`
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let base = std::fs::read(&a[1]).expect("read");
    let n: usize = a.get(2).and_then(|s| s.parse().ok()).unwrap_or(300);
    std::panic::set_hook(Box::new(|_| {}));
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut opts = carers_extract::Options::default();
    opts.limits.timeout_secs = 10;
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let t = std::time::Instant::now();
    for _ in 0..n {
        let mut b = base.clone();
        for _ in 0..(1 + next() % 16) {
            let i = (next() as usize) % b.len();
            b[i] = next() as u8;
        }
        let k = match std::panic::catch_unwind(|| carers_extract::read::pdf::read(&b, &opts)) {
            Err(_) => "ESCAPED PANIC".to_string(),
            Ok(Ok(_)) => "ok".to_string(),
            Ok(Err(e)) => format!("{e}").split(':').next().unwrap_or("").to_string(),
        };
        *counts.entry(k).or_default() += 1;
    }
    for (k, v) in counts {
        println!("{v:5}  {k}");
    }
    println!("{:?} total", t.elapsed());
}
