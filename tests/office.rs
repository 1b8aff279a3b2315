//! Office and HTML readers on the fixtures of fixtures/office (see its README).

use std::path::{Path, PathBuf};

use carers_extract::{read, Block, BlockKind, Document, Error, Format, Options, Row, Table};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/office")
        .join(name)
}

fn doc(name: &str) -> Document {
    doc_with(name, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn doc_with(name: &str, opts: &Options) -> Result<Document, Error> {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap();
    let format = read::sniff(name, &bytes)?;
    read::read(format, &bytes, opts)
}

fn tables(d: &Document) -> Vec<&Table> {
    d.tables().collect()
}

fn all_text(d: &Document) -> String {
    serde_json::to_string(&d.blocks).unwrap()
}

fn find_row<'a>(d: &'a Document, starts: &str) -> &'a Row {
    tables(d)
        .into_iter()
        .flat_map(|t| t.rows.iter())
        .find(|r| {
            r.cells
                .iter()
                .any(|c| c.text.trim_start_matches("• ").starts_with(starts))
        })
        .unwrap_or_else(|| panic!("no row with a cell starting {starts:?}"))
}

fn headings(d: &Document) -> Vec<String> {
    d.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// `DUMP=fixtures/office/000.docx cargo test --test office dump -- --ignored --nocapture`
#[test]
#[ignore]
fn dump() {
    let path = std::env::var("DUMP").expect("DUMP=path");
    let bytes = std::fs::read(&path).unwrap();
    let format = read::sniff(&path, &bytes).unwrap();
    let d = read::read(format, &bytes, &Options::default()).unwrap();
    println!("{}", serde_json::to_string_pretty(&d).unwrap());
}

#[test]
fn docx_000_structure() {
    let d = doc("000.docx");
    assert_eq!(
        d.title.as_deref(),
        Some("Recognising and Valuing Carers in Sunderland")
    );
    let t = tables(&d);
    assert_eq!(
        t.len(),
        14,
        "13 action tables + the empty Young Carers table"
    );
    let h = headings(&d);
    assert!(
        h.contains(&"Employment".to_string()) && h.contains(&"BME Groups".to_string()),
        "{h:?}"
    );
    // header rows flagged, and the repeated header in the middle of a long table too
    assert!(t.iter().all(|t| t.rows[0].header));
    assert!(
        t[0].rows.iter().skip(1).any(|r| r.header),
        "repeated header row in table 1"
    );
    let width_ok = t
        .iter()
        .flat_map(|t| t.rows.iter())
        .all(|r| r.cells.len() == 6 || r.cells.len() == 1);
    assert!(
        width_ok,
        "rows are 6 cells, or one cell for a merged Outcome row"
    );
    // a merged full-width Outcome row is one cell
    let outcome = find_row(&d, "Outcome: carers are aware of the benefits");
    assert_eq!(outcome.cells.len(), 1);
    // vertical merge: HHAS leads of Economic Well Being filled down
    let r = find_row(&d, "Raise awareness of carers advice needs");
    assert_eq!(r.cells[2].text, "HHAS");
    assert!(r.cells[2].merged);
    let r0 = find_row(&d, "Production of article for carers newsletter");
    assert!(!r0.cells[2].merged);
    // bullets in the evidence cell
    let r = find_row(&d, "Work with Employers to develop policies");
    assert!(r.cells[4].text.contains("\n• "), "{:?}", r.cells[4].text);
    // tracked change: insertion kept, deletion dropped
    assert_eq!(
        r.cells[1].text,
        "Work with Employers to develop policies and practices that support Carers into and already in work"
    );
    let all = all_text(&d);
    assert!(!all.contains("DELETEDWORDS") && !all.contains("in draft form only"));
    assert!(all.contains("agreed by the Carers Partnership Board in June 2008."));
    // field codes and comments do not leak
    assert!(!all.contains("PAGE") && !all.contains("COMMENT TEXT"));
    assert!(all.contains("Version 0.7 Page 3"));
    // sources
    assert_eq!(r.source.table, Some(1));
    assert!(r.source.row.is_some());
    let p = d
        .blocks
        .iter()
        .find(|b| matches!(b.kind, BlockKind::Paragraph { .. }))
        .unwrap();
    assert!(p.source.paragraph.is_some());
    // list items in the body
    assert!(d.blocks.iter().any(
        |b| matches!(&b.kind, BlockKind::ListItem { text, .. } if text == "Aim 1: Prosperous City")
    ));
}

#[test]
fn docx_001_vertical_table() {
    let d = doc("001.docx");
    let t = tables(&d);
    assert_eq!(t.len(), 2, "action plan + performance targets");
    let plan = t[0];
    assert!(plan.rows[0].header);
    assert_eq!(
        plan.rows[0].texts(),
        vec![
            "Key Delivery Areas",
            "Objectives",
            "Action",
            "Lead Persons/Agencies",
            "Evidence of Outcomes"
        ]
    );
    assert!(
        plan.rows.iter().skip(1).any(|r| r.header),
        "repeated header rows"
    );
    let r = find_row(&d, "Ensure separate parent/carer assessments");
    assert_eq!(r.cells[0].text, "Having a Break");
    assert!(r.cells[0].merged, "key delivery area filled down");
    assert!(
        r.cells[2].text.starts_with("• Ensure separate")
            && r.cells[2].text.matches("\n• ").count() == 2
    );
    let perf = t[1];
    assert_eq!(perf.rows[2].texts()[1], "10.2%");
}

#[test]
fn xlsx_000_structure() {
    let d = doc("000.xlsx");
    assert_eq!(
        d.title.as_deref(),
        Some("Recognising and Valuing Carers in Sunderland")
    );
    let h = headings(&d);
    assert_eq!(h, vec!["Action Plan", "Notes"], "hidden sheet skipped");
    let t = tables(&d);
    let plan = t[0];
    assert_eq!(plan.rows[0].cells.len(), 1, "merged title row is one cell");
    assert_eq!(plan.rows[1].texts()[1], "Action");
    assert_eq!(
        plan.rows[2].texts(),
        vec!["Employment"],
        "merged section row"
    );
    let r = find_row(&d, "Assist carers & ex-carers into employment");
    assert_eq!(r.cells[0].text, "1", "numbers print without .0");
    assert_eq!(r.source.sheet.as_deref(), Some("Action Plan"));
    assert_eq!(r.source.cell.as_deref(), Some("A4"));
    // Cells of a regular row carry no address of their own (it is the row's, moved right by
    // the column index): compact rows for large sheets.
    assert!(r.cells[1].source.is_none());
    let r = find_row(&d, "Raise awareness of carers advice needs");
    assert_eq!(r.cells[2].text, "HHAS");
    assert!(r.cells[2].merged);
    assert!(!all_text(&d).contains("HIDDEN SHEET"));
    // the Notes sheet's date cell
    assert!(all_text(&d).contains("01/06/2008"));
}

#[test]
fn ods_000_structure() {
    let d = doc("000.ods");
    assert_eq!(
        d.title.as_deref(),
        Some("Recognising and Valuing Carers in Sunderland")
    );
    let plan = tables(&d)[0];
    assert_eq!(plan.rows[0].cells.len(), 1, "merged title row is one cell");
    assert_eq!(
        plan.rows[2].texts(),
        vec!["Employment"],
        "merged section row"
    );
    let r = find_row(&d, "Assist carers & ex-carers into employment");
    assert_eq!(r.source.cell.as_deref(), Some("A4"));
}

#[test]
fn html_000_structure() {
    let d = doc("000.html");
    assert_eq!(
        d.title.as_deref(),
        Some("Recognising and Valuing Carers in Sunderland")
    );
    let t = tables(&d);
    assert_eq!(t.len(), 13);
    assert!(t.iter().all(|t| t.rows[0].header));
    let r = find_row(&d, "Raise awareness of carers advice needs");
    assert_eq!(r.cells[2].text, "HHAS");
    assert!(r.cells[2].merged);
    assert!(!all_text(&d).contains("NOT AN ACTION"));
    let outcome = find_row(&d, "Outcome: carers are aware of the benefits");
    assert_eq!(outcome.cells.len(), 1);
}

fn plan_rows(d: &Document) -> Vec<Vec<String>> {
    // data rows of every table (not headers, not one-cell rows), trimmed to 5 columns
    tables(d)
        .into_iter()
        .flat_map(|t| t.rows.iter())
        .filter(|r| !r.header && r.cells.len() >= 5 && r.cells[0].text != "Ref")
        .map(|r| r.cells.iter().take(5).map(|c| c.text.clone()).collect())
        .collect()
}

#[test]
fn plan_same_rows_in_every_office_format() {
    let want = plan_rows(&doc("plan.docx"));
    assert_eq!(want.len(), 6, "{want:?}");
    assert_eq!(want[0][3], "31/03/2012", "dates as displayed");
    assert_eq!(want[1][2], "Carers Centre", "merged lead filled down");
    for f in ["plan.xlsx", "plan.xls", "plan.ods", "plan.html"] {
        assert_eq!(plan_rows(&doc(f)), want, "{f}");
    }
}

#[test]
fn bad_inputs_give_clear_errors() {
    let o = Options::default();
    let e = doc_with("bad/truncated.docx", &o).unwrap_err();
    assert!(matches!(e, Error::Corrupt { .. }), "{e}");
    let e = doc_with("bad/not-office.docx", &o).unwrap_err();
    assert!(
        matches!(e, Error::Corrupt { .. }) && e.to_string().contains("not a Word document"),
        "{e}"
    );
    let e = doc_with("bad/not-office.zip", &o).unwrap_err();
    assert!(matches!(e, Error::Unsupported(_)), "{e}");
    let e = doc_with("bad/encrypted.xlsx", &o).unwrap_err();
    assert!(matches!(e, Error::Encrypted(_)), "{e}");
    assert!(e.to_string().contains("remove the password"));
    let bytes = std::fs::read(fixture("bad/really-a-pdf.docx")).unwrap();
    assert_eq!(
        read::sniff("really-a-pdf.docx", &bytes).unwrap(),
        Format::Pdf
    );
    // zip bomb: 64 MiB of XML from a small file, refused under a 16 MiB budget
    let mut small = Options::default();
    small.limits.max_decompressed_bytes = 16 << 20;
    let e = doc_with("bad/bomb.docx", &small).unwrap_err();
    assert!(matches!(e, Error::Limit(_)), "{e}");
    assert!(e.to_string().contains("zip bomb"), "{e}");
}

#[test]
fn blocks_carry_sources() {
    for f in ["000.docx", "000.xlsx", "000.html", "001.docx"] {
        let d = doc(f);
        for b in &d.blocks {
            let Block { kind, source } = b;
            if let BlockKind::Table(t) = kind {
                assert!(source.table.is_some(), "{f}");
                for r in &t.rows {
                    assert!(r.source.table.is_some() && r.source.row.is_some(), "{f}");
                    if f.ends_with("xlsx") {
                        assert!(r.source.sheet.is_some() && r.source.cell.is_some());
                    }
                }
            }
        }
    }
}

/// Reader speed, not a test: `benches/office_bench.sh` runs it in release mode.
/// `BENCH_FILES=a.docx,b.xlsx cargo test --release --test office bench_readers -- --ignored --nocapture`
#[test]
#[ignore]
fn bench_readers() {
    let files = std::env::var("BENCH_FILES").unwrap_or_else(|_| {
        ["000.docx", "001.docx", "000.xlsx", "000.ods", "000.html"]
            .iter()
            .map(|f| fixture(f).to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(",")
    });
    let opts = Options::default();
    for f in files.split(',').filter(|f| !f.is_empty()) {
        let bytes = std::fs::read(f).unwrap();
        let format = read::sniff(f, &bytes).unwrap();
        let rounds = (20_000_000 / bytes.len().max(1)).clamp(3, 500);
        let start = std::time::Instant::now();
        let mut rows = 0usize;
        for _ in 0..rounds {
            let d = read::read(format, &bytes, &opts).unwrap();
            rows = tables(&d).iter().map(|t| t.rows.len()).sum();
        }
        let secs = start.elapsed().as_secs_f64();
        let mb = bytes.len() as f64 * rounds as f64 / 1e6;
        println!(
            "{:<40} {:>9} bytes {:>6} rows  {:>7.1} MB/s  {:>8.2} ms/file",
            f.rsplit('/').next().unwrap_or(f),
            bytes.len(),
            rows,
            mb / secs,
            secs * 1000.0 / rounds as f64
        );
    }
}

// ---------------------------------------------------------------------------------------------
// through the whole pipeline

type Fields = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Bullet items are joined with "; " when a cell has them (docx, html) and printed as one run
/// of text when it does not (the same evidence in one spreadsheet cell): compare the words.
fn words(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| s.replace("; ", " "))
}

fn actions_of(name: &str) -> Vec<Fields> {
    let r = carers_extract::extract_path(&fixture(name), &Options::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    r.actions
        .iter()
        .map(|a| {
            (
                words(&a.action),
                words(&a.lead),
                words(&a.due),
                words(&a.evidence),
            )
        })
        .collect()
}

#[test]
fn same_plan_same_actions_in_txt_docx_xlsx_ods_html() {
    let want = actions_of("plan.txt");
    assert_eq!(want.len(), 6, "{want:#?}");
    for f in [
        "plan.docx",
        "plan.xlsx",
        "plan.xls",
        "plan.ods",
        "plan.html",
    ] {
        assert_eq!(actions_of(f), want, "{f}");
    }
    let r = carers_extract::extract_path(&fixture("plan.xlsx"), &Options::default()).unwrap();
    let a = &r.actions[0];
    assert_eq!(a.due.as_deref(), Some("31/03/2012"));
    assert_eq!(a.due_date.as_deref(), Some("2012-03-31"));
    assert_eq!(a.source.sheet.as_deref(), Some("Action Plan"));
    assert!(a.source.cell.is_some());
}

#[test]
fn seed_000_same_actions_in_docx_xlsx_ods_html() {
    let want = actions_of("000.docx");
    assert_eq!(want.len(), 96);
    for f in ["000.xlsx", "000.ods", "000.html"] {
        let got = actions_of(f);
        assert_eq!(got.len(), want.len(), "{f}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "{f}");
        }
    }
}

fn cli_bad(file: &str, opts: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let name = file.rsplit('/').next().unwrap();
    let input = dir.path().join(name);
    std::fs::copy(fixture(file), &input).unwrap();
    let out_file = dir.path().join("out.json");
    let out = assert_cmd::Command::cargo_bin("carers-extract")
        .unwrap()
        .args(opts)
        .args(["--format", "json", "-o"])
        .arg(&out_file)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{file}: {stderr}");
    assert!(
        stderr.contains(name) && stderr.contains(needle),
        "{file}: {stderr}"
    );
    assert!(!out_file.exists(), "{file}: output written");
}

#[test]
fn cli_bad_office_inputs() {
    cli_bad("bad/truncated.docx", &[], "damaged");
    cli_bad("bad/not-office.docx", &[], "not a Word document");
    cli_bad("bad/not-office.zip", &[], "not a Word (.docx)");
    cli_bad("bad/encrypted.xlsx", &[], "remove the password");
    cli_bad("bad/bomb.docx", &[], "zip bomb");
}

/// Damaged files (bytes flipped, cut short) give an error or a document, never a panic of our
/// readers and never a hang. Deterministic (xorshift), sixty variants per format.
#[test]
fn damaged_files_never_panic() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let opts = Options::default();
    for name in [
        "plan.docx",
        "plan.xlsx",
        "plan.ods",
        "plan.html",
        "001.docx",
    ] {
        let orig = std::fs::read(fixture(name)).unwrap();
        let mut panics = Vec::new();
        for i in 0..60 {
            let mut b = orig.clone();
            if i % 5 == 0 {
                b.truncate((next() as usize) % b.len());
            } else {
                for _ in 0..(1 + next() % 8) {
                    let p = (next() as usize) % b.len();
                    b[p] = next() as u8;
                }
            }
            let Ok(format) = read::sniff(name, &b) else {
                continue;
            };
            if let Err(Error::ParserPanic { detail, .. }) = read::read(format, &b, &opts) {
                panics.push(detail);
            }
        }
        // calamine is a third-party parser: its panics are contained by read::read and reported
        // as errors; our own readers must not panic at all.
        if name.ends_with(".docx") || name.ends_with(".html") {
            assert!(panics.is_empty(), "{name}: {panics:?}");
        } else if !panics.is_empty() {
            eprintln!(
                "{name}: {} contained calamine panics, e.g. {}",
                panics.len(),
                panics[0]
            );
        }
    }
}
