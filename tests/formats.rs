//! ODT, RTF, legacy Word `.doc` and CSV readers on the fixtures of fixtures/office that
//! LibreOffice rendered from the DOCX/XLSX fixtures (`fixtures/office/convert_fixtures.py`):
//! each gives the document model and the actions of the file it came from.

use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use carers_extract::{read, BlockKind, Document, Error, Format, Options, Row, Table};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/office")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn doc_of(name: &str, b: &[u8]) -> Result<Document, Error> {
    let format = read::sniff(name, b)?;
    read::read(format, b, &Options::default())
}

fn doc(name: &str) -> Document {
    doc_of(name, &bytes(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn tables(d: &Document) -> Vec<&Table> {
    d.tables().collect()
}

fn find_row<'a>(d: &'a Document, starts: &str) -> &'a Row {
    d.tables()
        .flat_map(|t| t.rows.iter())
        .find(|r| {
            r.cells
                .iter()
                .any(|c| c.text.trim_start_matches("• ").starts_with(starts))
        })
        .unwrap_or_else(|| panic!("no row with a cell starting {starts:?}"))
}

const WORD_LIKE: [&str; 3] = ["odt", "rtf", "doc"];

#[test]
fn formats_are_sniffed_by_content() {
    let cases = [
        ("000.odt", Format::Odt),
        ("000.rtf", Format::Rtf),
        ("000.doc", Format::Doc),
        ("000.csv", Format::Csv),
        ("plan.xls", Format::Xls),
    ];
    for (name, want) in cases {
        assert_eq!(read::sniff(name, &bytes(name)).unwrap(), want, "{name}");
    }
    // Renamed: the content wins.
    assert_eq!(
        read::sniff("plan.docx", &bytes("plan.doc")).unwrap(),
        Format::Doc,
        "a .doc renamed .docx is a .doc, not a damaged XLS"
    );
    assert_eq!(
        read::sniff("plan.xls", &bytes("plan.doc")).unwrap(),
        Format::Doc
    );
    assert_eq!(
        read::sniff("plan.doc", &bytes("plan.xls")).unwrap(),
        Format::Xls
    );
    assert_eq!(
        read::sniff("plan.doc", &bytes("plan.rtf")).unwrap(),
        Format::Rtf,
        "Word's RTF saved as .doc"
    );
    assert_eq!(
        read::sniff("plan.zip", &bytes("plan.odt")).unwrap(),
        Format::Odt
    );
    assert_eq!(
        read::sniff("plan.ods", &bytes("plan.odt")).unwrap(),
        Format::Odt
    );
    assert_eq!(
        read::sniff("plan.odt", &bytes("plan.ods")).unwrap(),
        Format::Ods
    );
    // Delimited text is told by its name only: the same bytes named .txt are text.
    assert_eq!(
        read::sniff("plan.tsv", &bytes("plan.csv")).unwrap(),
        Format::Csv
    );
    assert_eq!(
        read::sniff("plan.txt", &bytes("plan.csv")).unwrap(),
        Format::Text
    );
    // A renamed .doc reads as a .doc through the whole pipeline.
    let r = carers_extract::extract_bytes("plan.docx", &bytes("plan.doc"), &Options::default())
        .unwrap();
    assert_eq!(r.actions.len(), 6);
}

/// The seed-000 strategy in a Word-like format: same structure as `000.docx`
/// (see tests/office.rs `docx_000_structure`).
fn word_like_000(ext: &str) {
    let name = format!("000.{ext}");
    let d = doc(&name);
    assert_eq!(
        d.title.as_deref(),
        Some("Recognising and Valuing Carers in Sunderland"),
        "{name}"
    );
    let t = tables(&d);
    assert_eq!(t.len(), 14, "{name}: 13 action tables + the empty one");
    let h: Vec<String> = d
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(
        h.contains(&"Employment".to_string()) && h.contains(&"BME Groups".to_string()),
        "{name}: {h:?}"
    );
    // LibreOffice writes header-row marks to ODT and DOC, not to RTF.
    if ext != "rtf" {
        assert!(t.iter().all(|t| t.rows[0].header), "{name}");
    }
    assert!(
        t[0].rows.iter().skip(1).any(|r| r.header),
        "{name}: repeated header row in table 1"
    );
    assert!(
        t.iter()
            .flat_map(|t| t.rows.iter())
            .all(|r| r.cells.len() == 6 || r.cells.len() == 1),
        "{name}: rows are 6 cells, or one for a merged Outcome row"
    );
    let outcome = find_row(&d, "Outcome: carers are aware of the benefits");
    assert_eq!(outcome.cells.len(), 1, "{name}");
    let r = find_row(&d, "Raise awareness of carers advice needs");
    assert_eq!(r.cells[2].text, "HHAS", "{name}");
    assert!(r.cells[2].merged, "{name}: vertical merge filled down");
    assert!(
        !find_row(&d, "Production of article for carers newsletter").cells[2].merged,
        "{name}"
    );
    let r = find_row(&d, "Work with Employers to develop policies");
    assert!(
        r.cells[4].text.contains("\n• "),
        "{name}: {:?}",
        r.cells[4].text
    );
    assert_eq!(
        r.cells[1].text,
        "Work with Employers to develop policies and practices that support Carers into and already in work",
        "{name}: tracked insertion kept, deletion dropped"
    );
    assert_eq!(r.source.table, Some(1), "{name}");
    assert!(r.source.row.is_some(), "{name}");
    let all = serde_json::to_string(&d.blocks).unwrap();
    assert!(
        !all.contains("DELETEDWORDS") && !all.contains("in draft form only"),
        "{name}"
    );
    assert!(
        all.contains("agreed by the Carers Partnership Board in June 2008."),
        "{name}"
    );
    assert!(
        !all.contains("PAGE") && !all.contains("COMMENT TEXT"),
        "{name}: field codes and comments do not leak"
    );
    assert!(d.blocks.iter().any(|b| matches!(&b.kind,
        BlockKind::ListItem { text, marker, .. } if text == "Aim 1: Prosperous City" && marker == "•")),
        "{name}");
    for b in &d.blocks {
        match &b.kind {
            BlockKind::Table(t) => {
                assert!(b.source.table.is_some(), "{name}");
                assert!(
                    t.rows
                        .iter()
                        .all(|r| r.source.table == b.source.table && r.source.row.is_some()),
                    "{name}"
                );
            }
            _ => assert!(b.source.paragraph.is_some(), "{name}"),
        }
    }
}

#[test]
fn odt_000_structure() {
    word_like_000("odt");
}

#[test]
fn rtf_000_structure() {
    word_like_000("rtf");
}

#[test]
fn doc_000_structure() {
    word_like_000("doc");
}

#[test]
fn vertical_table_001_in_word_like_formats() {
    for ext in WORD_LIKE {
        let name = format!("001.{ext}");
        let d = doc(&name);
        let t = tables(&d);
        assert_eq!(t.len(), 2, "{name}");
        assert_eq!(
            t[0].rows[0].texts(),
            vec![
                "Key Delivery Areas",
                "Objectives",
                "Action",
                "Lead Persons/Agencies",
                "Evidence of Outcomes"
            ],
            "{name}"
        );
        let r = find_row(&d, "Ensure separate parent/carer assessments");
        assert_eq!(r.cells[0].text, "Having a Break", "{name}");
        assert!(r.cells[0].merged, "{name}");
        assert_eq!(r.cells[2].text.matches("\n• ").count(), 2, "{name}");
        assert_eq!(t[1].rows[2].texts()[1], "10.2%", "{name}");
    }
}

/// Lists (numbered, bulleted, two levels), Title, headings, a header row, a cell spanning two
/// columns, a vertical merge and a nested table: every Word-like reader rebuilds
/// `features.docx` as the DOCX reader does.
#[test]
fn features_same_model_as_docx() {
    fn model(d: &Document, with_headers: bool) -> Vec<String> {
        d.blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Table(t) => t
                    .rows
                    .iter()
                    .map(|r| {
                        let cells: Vec<String> = r
                            .cells
                            .iter()
                            .map(|c| format!("{}{}", c.text, if c.merged { "*" } else { "" }))
                            .collect();
                        let h = if with_headers && r.header { "H " } else { "" };
                        format!("{h}[{}]", cells.join(" / "))
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                k => format!("{k:?}"),
            })
            .collect()
    }
    let want = doc("features.docx");
    assert!(
        model(&want, true)
            .iter()
            .any(|b| b.contains("ListItem { text: \"Second numbered priority\", marker: \"2.\"")),
        "{:#?}",
        model(&want, true)
    );
    for ext in WORD_LIKE {
        let name = format!("features.{ext}");
        let got = doc(&name);
        assert_eq!(got.title.as_deref(), Some("Feature test"), "{name}");
        // LibreOffice's RTF export drops the header-row mark.
        let headers = ext != "rtf";
        assert_eq!(model(&got, headers), model(&want, headers), "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// through the whole pipeline

type Fields = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Bullet items are joined with "; " in a cell that has them and printed as one run of text
/// where the format lost them: compare the words.
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
                a.due_date.clone(),
            )
        })
        .collect()
}

#[test]
fn seeds_same_actions_as_docx() {
    for (stem, n) in [("000", 96), ("001", 11)] {
        let want = actions_of(&format!("{stem}.docx"));
        assert_eq!(want.len(), n);
        for ext in WORD_LIKE {
            let name = format!("{stem}.{ext}");
            let got = actions_of(&name);
            assert_eq!(got.len(), want.len(), "{name}");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g, w, "{name}");
            }
        }
    }
    // A flat analyst export of the same plan (one row per action, theme column).
    let want = actions_of("000.docx");
    let got = actions_of("000-flat.csv");
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "000-flat.csv");
    }
}

#[test]
fn plan_same_actions_in_odt_rtf_doc() {
    let want = actions_of("plan.docx");
    assert_eq!(want.len(), 6);
    for ext in WORD_LIKE {
        assert_eq!(actions_of(&format!("plan.{ext}")), want, "plan.{ext}");
    }
}

/// A CSV saved from a spreadsheet keeps every value but loses merges: the lead of a merged
/// cell is printed on its first row only. Everything else matches the workbook.
#[test]
fn plan_csv_from_spreadsheet() {
    let xlsx = doc("plan.xlsx");
    let merged_leads: Vec<String> = xlsx
        .tables()
        .flat_map(|t| t.rows.iter())
        .filter(|r| r.cells.get(2).is_some_and(|c| c.merged))
        .map(|r| r.cells[1].text.clone())
        .collect();
    assert_eq!(merged_leads.len(), 2, "{merged_leads:?}");
    let want = actions_of("plan.xlsx");
    for name in ["plan.csv", "plan-semicolon.csv"] {
        let got = actions_of(name);
        assert_eq!(got.len(), want.len(), "{name}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!((&g.0, &g.2, &g.3, &g.4), (&w.0, &w.2, &w.3, &w.4), "{name}");
            let was_merged = merged_leads.iter().any(|m| Some(m) == w.0.as_ref());
            if was_merged {
                assert_eq!(g.1, None, "{name}: merged lead lost by CSV");
            } else {
                assert_eq!(g.1, w.1, "{name}");
            }
        }
        let r = carers_extract::extract_path(&fixture(name), &Options::default()).unwrap();
        let a = &r.actions[0];
        assert_eq!(a.due_date.as_deref(), Some("2012-03-31"), "{name}");
        assert_eq!(a.source.cell.as_deref(), Some("A4"), "{name}");
        assert_eq!(a.source.line, Some(4), "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// refused and damaged files

/// plan.doc with its WordDocument stream edited by `edit`.
fn edited_doc(edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes("plan.doc"))).unwrap();
    let mut word = Vec::new();
    cf.open_stream("/WordDocument")
        .unwrap()
        .read_to_end(&mut word)
        .unwrap();
    edit(&mut word);
    let mut s = cf.open_stream("/WordDocument").unwrap();
    s.seek(SeekFrom::Start(0)).unwrap();
    s.write_all(&word).unwrap();
    drop(s);
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

#[test]
fn refused_word_files_say_why() {
    let e = doc_of("x.doc", &edited_doc(|w| w[0x0B] |= 0x01)).unwrap_err();
    assert!(matches!(e, Error::Encrypted(_)), "{e}");
    assert!(e.to_string().contains("remove the password"), "{e}");
    let e = doc_of("x.doc", &edited_doc(|w| w[0x0A] |= 0x04)).unwrap_err();
    assert!(
        matches!(e, Error::Unsupported(_)) && e.to_string().contains("fast-saved"),
        "{e}"
    );
    let e = doc_of(
        "x.doc",
        &edited_doc(|w| w[2..4].copy_from_slice(&104u16.to_le_bytes())),
    )
    .unwrap_err();
    assert!(e.to_string().contains("Word 6.0/95"), "{e}");
    let e = doc_of("x.doc", &edited_doc(|w| w[0] = 0)).unwrap_err();
    assert!(matches!(e, Error::Corrupt { .. }), "{e}");
    // the unedited file still reads
    assert!(doc_of("x.doc", &edited_doc(|_| {})).is_ok());

    // An ODT saved with a password: its manifest lists encryption data.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.text")
        .unwrap();
    w.start_file("META-INF/manifest.xml", stored).unwrap();
    w.write_all(b"<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>").unwrap();
    w.start_file("content.xml", stored).unwrap();
    w.write_all(b"\x01\x02 encrypted bytes").unwrap();
    let odt = w.finish().unwrap().into_inner();
    let e = doc_of("secret.odt", &odt).unwrap_err();
    assert!(matches!(e, Error::Encrypted(_)), "{e}");
}

/// Damaged files (bytes flipped, cut short) give an error or a document, never a panic and
/// never a hang. Deterministic (xorshift), sixty variants per format.
#[test]
fn damaged_files_never_panic() {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for name in [
        "plan.odt",
        "plan.rtf",
        "plan.doc",
        "plan.csv",
        "features.doc",
        "features.rtf",
    ] {
        let orig = bytes(name);
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
            if let Err(Error::ParserPanic { detail, .. }) =
                read::read(format, &b, &Options::default())
            {
                panics.push(detail);
            }
        }
        assert!(panics.is_empty(), "{name}: {panics:?}");
    }
}
