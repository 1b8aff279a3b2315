//! `extract_bytes` on arbitrary bytes under each file name: the first byte picks the name, so
//! one corpus exercises sniffing and every reader (PDF, DOCX, ODT, RTF, DOC, XLSX/XLS/ODS, CSV,
//! HTML, text).
#![no_main]
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "f.txt", "f.md", "f.pdf", "f.docx", "f.xlsx", "f.xls", "f.ods", "f.html", "f", "f.bin",
    "f.odt", "f.rtf", "f.doc", "f.csv",
];

fuzz_target!(|data: &[u8]| {
    // Panics that the library contains (catch_unwind around each reader, as in the CLI) are not
    // crashes: silence libFuzzer's abort-on-panic hook. An uncaught panic still aborts, because
    // fuzz_target! aborts when the closure unwinds.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Some((&pick, bytes)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    let mut opts = carers_extract::Options::default();
    opts.limits.max_input_bytes = 1 << 20;
    opts.limits.max_decompressed_bytes = 16 << 20;
    opts.limits.max_pages = 50;
    let _ = carers_extract::extract_bytes(name, bytes, &opts);
});
