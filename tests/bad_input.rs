//! Hostile and broken input (issue 7): the CLI on every file of `fixtures/bad/` (made by
//! `scripts/make_bad_fixtures.py`) and on large inputs generated here. A file that cannot be
//! read gives exit 2, exactly one line on stderr naming the file and the problem, and no output
//! file; a file that can be read (owner-only PDF, UTF-16 without BOM, ...) is read. Nothing
//! panics, hangs or leaves a half-written output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_carers-extract"))
}

fn bad(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/bad")
        .join(name)
}

/// What the tool must do with an input.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Exit 2, one stderr line naming the file and containing one of these (lower-case).
    Fail(&'static [&'static str]),
    /// Exit 0, no stderr, an output file with at least this many actions.
    Read(usize),
    /// Either of the above (a reader may recover or refuse), but never a panic or a hang.
    Either,
}
use Expect::*;

struct Outcome {
    json: Option<serde_json::Value>,
    stderr: String,
}

/// Run the CLI on `input` with `-o` into a temporary folder and check `expect`.
fn run(input: &Path, extra: &[&str], expect: Expect) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.json");
    let name = input.file_name().unwrap().to_string_lossy().to_string();
    let start = Instant::now();
    let out = bin()
        .args(["--format", "json", "--no-config", "-o"])
        .arg(&out_file)
        .args(extra)
        .arg(input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{name}: took {:?}",
        start.elapsed()
    );
    assert!(!stderr.contains("panicked at"), "{name}: {stderr}");
    let code = out.status.code();
    let failed = match expect {
        Fail(_) => true,
        Read(_) => false,
        Either => code == Some(2),
    };
    if failed {
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr}");
        assert!(stderr.contains(&name), "{name}: names the file: {stderr}");
        if let Fail(needles) = expect {
            let low = stderr.to_lowercase();
            assert!(
                needles.iter().any(|n| low.contains(n)),
                "{name}: says the problem ({needles:?}): {stderr}"
            );
        }
        assert!(!out_file.exists(), "{name}: output written");
        // No temporary file left behind either.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{name}");
        Outcome { json: None, stderr }
    } else {
        assert_eq!(code, Some(0), "{name}: {stderr}");
        // Read without error; the only message allowed is the warning that nothing was found.
        assert!(
            stderr
                .lines()
                .all(|l| l.starts_with("carers-extract: warning: ")
                    && l.contains("no action plan found")),
            "{name}: {stderr}"
        );
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
        if let Read(n) = expect {
            let got = v["actions"].as_array().unwrap().len();
            assert!(got >= n, "{name}: {got} actions, wanted {n}");
        }
        Outcome {
            json: Some(v),
            stderr,
        }
    }
}

const EMPTY: &[&str] = &["empty"];
const NOT_TEXT: &[&str] = &["binary", "unknown file type"];
const DAMAGED: &[&str] = &[
    "damaged",
    "truncated",
    "corrupt",
    "not of that format",
    "invalid",
];
const LIMIT: &[&str] = &["limit", "decompress", "too large", "expands"];

#[test]
fn empty_random_and_text_encodings() {
    for ext in ["txt", "pdf", "docx", "xlsx"] {
        run(&bad(&format!("empty.{ext}")), &[], Fail(EMPTY));
    }
    run(&bad("random.txt"), &[], Fail(NOT_TEXT));
    run(&bad("random.md"), &[], Fail(NOT_TEXT));
    run(&bad("random.bin"), &[], Fail(NOT_TEXT));
    run(&bad("random.csv"), &[], Fail(NOT_TEXT));
    run(&bad("all-nul.txt"), &[], Fail(NOT_TEXT));
    for ext in ["pdf", "docx", "xlsx", "xls", "ods", "odt", "rtf", "doc"] {
        run(&bad(&format!("random.{ext}")), &[], Fail(DAMAGED));
    }
    // Readable text, whatever its bytes: NULs dropped, bad UTF-8 as Windows-1252, UTF-16
    // detected from its NUL pattern.
    for f in [
        "nul-bytes.txt",
        "invalid-utf8.txt",
        "utf16le-no-bom.txt",
        "utf16be-no-bom.txt",
    ] {
        let o = run(&bad(f), &[], Read(2));
        let first = o.json.unwrap()["actions"][0]["action"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            first.starts_with("Fund a ") && first.contains("tre"),
            "{f}: {first}"
        );
        assert!(!first.contains('\0'), "{f}");
    }
}

#[test]
fn extremely_long_lines_and_many_rows_are_fast() {
    let dir = tempfile::tempdir().unwrap();
    // One 10 MB line.
    let long = dir.path().join("long-line.txt");
    let mut s = String::from("We will ");
    while s.len() < 10 << 20 {
        s.push_str("support carers ");
    }
    std::fs::write(&long, &s).unwrap();
    let t = Instant::now();
    run(&long, &[], Either);
    assert!(t.elapsed() < Duration::from_secs(60), "{:?}", t.elapsed());
    // A 10 MB line inside a table cell, and 100k rows (quadratic before: minutes).
    let rows = dir.path().join("rows.txt");
    let mut s = String::from("Action plan\nAction\tLead\tBy when\n");
    s.push_str(&"x".repeat(10 << 20));
    s.push_str("\tICB\tMarch 2026\n");
    for i in 0..100_000 {
        s.push_str(&format!("Do thing {i}\tCouncil\tMarch 2026\n"));
    }
    std::fs::write(&rows, &s).unwrap();
    let t = Instant::now();
    run(&rows, &[], Read(100_000));
    assert!(t.elapsed() < Duration::from_secs(90), "{:?}", t.elapsed());
}

/// Inputs whose reading once grew faster than their size (found by `scripts/mutate.py`): they
/// must be read, not stopped by the time or memory budget.
#[test]
fn inputs_that_multiplied_their_size_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // A 2 MB paragraph of colons after a field label: each colon re-read the text before it.
    let colons = dir.path().join("colons.md");
    let mut s = String::from("# Plan\n\nAction: Support carers. ");
    s.push_str(&"Note: ".repeat(350_000));
    std::fs::write(&colons, &s).unwrap();
    run(&colons, &[], Read(0));
    // A one-cell row of 2.5 MB over 10,000 rows: its text was copied into every row below as
    // the section name (25 GB).
    let section = dir.path().join("section.csv");
    let mut s = String::from("Ref;Action;Lead officer;Target date;Measure of success\n");
    s.push_str(&"Carers are supported ".repeat(120_000));
    s.push('\n');
    for i in 0..10_000 {
        s.push_str(&format!(
            "{i}.1;Train staff to identify carers;Carers Centre;31/03/2026;Staff trained\n"
        ));
    }
    std::fs::write(&section, &s).unwrap();
    let o = run(&section, &[], Read(10_000));
    let json = o.json.unwrap();
    let name = json["actions"][0]["section"].as_str().unwrap_or_default();
    assert!(
        name.starts_with("Carers are supported") && name.len() < 1100,
        "{}",
        name.len()
    );
}

#[test]
fn size_limit_flag() {
    run(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/layouts/pipe.md"),
        &["--max-input-size", "100"],
        Fail(&["100-byte limit"]),
    );
    let out = bin()
        .args(["--max-input-size", "lots", "x.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Standard input that never ends: the time budget stops waiting for it.
#[test]
fn timeout_stops_a_file_that_never_ends() {
    let mut child = bin()
        .args(["--format", "json", "--no-config", "--timeout", "1", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"Action\tLead\n").unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("--timeout 1 did not stop the run");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("-: ") && stderr.contains("1-second time budget"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// A batch of every bad file plus a good one: every bad file is named once, the good one is
/// written, exit 2.
#[test]
fn a_batch_of_bad_files_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.json");
    let mut files: Vec<PathBuf> = std::fs::read_dir(bad(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/layouts/pipe.md"));
    let out = bin()
        .args([
            "--format",
            "json",
            "--no-config",
            "--max-decompressed-size",
            "16M",
            "-o",
        ])
        .arg(&out_file)
        .args(&files)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked at"), "{stderr}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), files.len());
    let mut failed = 0;
    for item in items {
        if let Some(e) = item.get("error") {
            failed += 1;
            let path = item["path"].as_str().unwrap();
            let lines = stderr
                .lines()
                .filter(|l| l.contains(&format!("{path}: ")))
                .count();
            assert_eq!(lines, 1, "{path}: {stderr}");
            assert!(!e.as_str().unwrap().contains('\n'));
        }
    }
    assert!(failed >= 10, "{stderr}");
    assert!(items.iter().any(|i| i["summary"]["actions"] == 6));
}

#[test]
fn document_text_cannot_inject_script_or_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let out = bin()
        .args(["--format", "html", "--no-config", "-o"])
        .arg(&html)
        .arg(bad("script.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(
        h.contains("Fund &lt;script&gt;alert(&#39;doc&#39;)&lt;/script&gt; a centre"),
        "document text shown, escaped"
    );
    assert!(
        !h.contains("alert('doc')"),
        "no live script from the document"
    );
    assert!(!h.contains("<img"), "no live markup from the document");
    // The report's own script only.
    let own = h.matches("<script").count();
    assert!(own <= 1, "{own} script elements");
    // CSV: formula cells escaped by default.
    let csv = dir.path().join("r.csv");
    bin()
        .args(["--format", "csv", "--no-config", "-o"])
        .arg(&csv)
        .arg(bad("script.txt"))
        .output()
        .unwrap();
    let c = std::fs::read_to_string(&csv).unwrap();
    assert!(c.contains("'=HYPERLINK"), "{c}");
    assert!(c.contains("'@SUM(A1)"), "{c}");
    assert!(!c.contains(",=HYPERLINK") && !c.contains(",@SUM"), "{c}");
}

// ---- Per reader. ----

#[test]
fn pdf_hostile_input() {
    run(&bad("good.pdf"), &[], Read(5));
    run(&bad("truncated.pdf"), &[], Either);
    run(&bad("broken-xref.pdf"), &[], Either);
    run(&bad("no-xref.pdf"), &[], Either);
    run(
        &bad("encrypted-user.pdf"),
        &[],
        Fail(&["password", "encrypted"]),
    );
    run(&bad("encrypted-owner-only.pdf"), &[], Read(5));
    run(&bad("scanned.pdf"), &[], Fail(&["ocr"]));
    run(&bad("pdf-named.docx"), &[], Read(5));
}

#[test]
fn docx_hostile_input() {
    run(&bad("good.docx"), &[], Read(2));
    run(&bad("truncated.docx"), &[], Fail(DAMAGED));
    run(&bad("docx-named.pdf"), &[], Read(2));
    run(
        &bad("bomb.docx"),
        &["--max-decompressed-size", "16M"],
        Fail(LIMIT),
    );
    run(&bad("bomb.docx"), &[], Either);
    run(&bad("nested-tables.docx"), &[], Either);
    let o = run(&bad("billion-laughs.docx"), &[], Either);
    assert!(
        !format!("{:?}", o.json).contains("lollollol"),
        "entities must not expand"
    );
    let o = run(&bad("external-entity.docx"), &[], Either);
    assert!(
        !format!("{:?}", o.json).contains("root:"),
        "external entities must not be read"
    );
    let _ = o.stderr;
}

#[test]
fn sheet_hostile_input() {
    run(&bad("good.xlsx"), &[], Read(1));
    run(&bad("truncated.xlsx"), &[], Fail(DAMAGED));
    run(&bad("xlsx-named.docx"), &[], Read(1));
    run(
        &bad("bomb.xlsx"),
        &["--max-decompressed-size", "16M"],
        Fail(LIMIT),
    );
    let o = run(&bad("billion-laughs.xlsx"), &[], Either);
    assert!(!format!("{:?}", o.json).contains("lollollol"));
    let o = run(&bad("external-entity.xlsx"), &[], Either);
    assert!(!format!("{:?}", o.json).contains("root:"));
    // 100k rows.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("100k-rows.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Action", "Lead", "By when"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=100_000u32 {
        ws.write_string(r, 0, format!("Action number {r}")).unwrap();
        ws.write_string(r, 1, "ICB").unwrap();
        ws.write_string(r, 2, "March 2026").unwrap();
    }
    wb.save(&big).unwrap();
    let t = Instant::now();
    run(&big, &[], Read(100_000));
    assert!(t.elapsed() < Duration::from_secs(90), "{:?}", t.elapsed());
}

#[test]
fn odt_hostile_input() {
    run(&bad("good.odt"), &[], Read(2));
    run(&bad("truncated.odt"), &[], Fail(DAMAGED));
    run(&bad("odt-named.docx"), &[], Read(2));
    run(&bad("encrypted.odt"), &[], Fail(&["password"]));
    run(
        &bad("bomb.odt"),
        &["--max-decompressed-size", "16M"],
        Fail(LIMIT),
    );
    run(&bad("bomb.odt"), &[], Fail(LIMIT));
    let o = run(&bad("billion-laughs.odt"), &[], Either);
    assert!(!format!("{:?}", o.json).contains("lollollol"));
    let o = run(&bad("external-entity.odt"), &[], Either);
    assert!(!format!("{:?}", o.json).contains("root:"));
    run(&bad("nested-tables.odt"), &[], Either);
    // Repeat counts of a billion: the cell budget refuses the file.
    let t = Instant::now();
    run(&bad("repeat-bomb.odt"), &[], Fail(LIMIT));
    assert!(t.elapsed() < Duration::from_secs(60), "{:?}", t.elapsed());
}

#[test]
fn rtf_hostile_input() {
    run(&bad("good.rtf"), &[], Read(2));
    run(&bad("truncated.rtf"), &[], Either);
    run(&bad("rtf-named.doc"), &[], Read(2));
    run(&bad("deep-groups.rtf"), &[], Fail(&["nested deeper"]));
    run(&bad("rtf-bin-overflow.rtf"), &[], Either);
    run(&bad("rtf-many-cells.rtf"), &[], Either);
}

#[test]
fn doc_hostile_input() {
    run(&bad("truncated.doc"), &[], Fail(DAMAGED));
    // A .doc under another office name is read as what it is (it used to be "a damaged XLS").
    run(&bad("doc-named.docx"), &[], Read(6));
    run(&bad("doc-named.xls"), &[], Read(6));
    run(&bad("encrypted.doc"), &[], Fail(&["password"]));
    run(&bad("fast-saved.doc"), &[], Fail(&["fast-saved"]));
    run(&bad("doc-huge-text-count.doc"), &[], Either);
}

#[test]
fn csv_hostile_input() {
    run(&bad("good.csv"), &[], Read(2));
    run(&bad("truncated.csv"), &[], Either);
    // An unclosed quote does not swallow the rest of the file.
    run(&bad("csv-unclosed-quote.csv"), &[], Read(2));
    run(&bad("csv-wide.csv"), &[], Either);
}

#[test]
fn html_hostile_input() {
    run(&bad("random.html"), &[], Either);
    run(&bad("nested-tables.html"), &[], Either);
    // Tables that would multiply their input are refused at the cell limits, quickly.
    run(&bad("html-wide-row.html"), &[], Fail(LIMIT));
    run(&bad("html-span-bomb.html"), &[], Fail(LIMIT));
    let o = run(&bad("billion-laughs.html"), &[], Either);
    assert!(!format!("{:?}", o.json).contains("lollollol"));
    run(&bad("html-script.html"), &[], Read(2));
}

/// A minimal PDF with `pages` pages of the same action plan.
fn pdf_pages(pages: usize) -> Vec<u8> {
    let mut objs: Vec<String> = vec!["<< /Type /Catalog /Pages 2 0 R >>".into()];
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objs.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    ));
    objs.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    for i in 0..pages {
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        let rows = [
            ["Action".to_string(), "Lead".into(), "By when".into()],
            [
                format!("Task {i} for carers"),
                "ICB".into(),
                "March 2026".into(),
            ],
            [
                format!("Review {i} with carers"),
                "Council".into(),
                "June 2026".into(),
            ],
        ];
        let mut s = String::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let x = [50, 300, 440][c];
                s.push_str(&format!(
                    "BT /F1 11 Tf {x} {} Td ({cell}) Tj ET\n",
                    780 - 16 * r
                ));
            }
        }
        objs.push(format!("<< /Length {} >>\nstream\n{s}\nendstream", s.len()));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn five_hundred_pages_and_the_page_limit() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("500-pages.pdf");
    std::fs::write(&p, pdf_pages(500)).unwrap();
    let t = Instant::now();
    run(&p, &[], Read(400));
    assert!(t.elapsed() < Duration::from_secs(90), "{:?}", t.elapsed());
    run(&p, &["--max-pages", "100"], Fail(&["page"]));
}

/// Inputs that crashed a fuzz target (`fixtures/bad/fuzz-regressions/`, named after the target):
/// each must be read or refused in one line, never panic out.
#[test]
fn fuzz_regressions() {
    let dir = bad("fuzz-regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        run(&f, &[], Either);
    }
}
