//! PDF reader tests on the fixtures in fixtures/pdf (built by fixtures/pdf/make.sh).

use carers_extract::read::pdf;
use carers_extract::{BlockKind, Document, Error, Options, Table};

fn fixture(name: &str) -> Vec<u8> {
    let p = format!("{}/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn read(name: &str) -> Document {
    pdf::read(&fixture(name), &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn tables(d: &Document) -> Vec<&Table> {
    d.tables().collect()
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gold actions of a seed: (action, lead, due, evidence, xref).
fn gold(stem: &str) -> Vec<serde_json::Value> {
    let p = format!(
        "{}/fixtures/seeds/gold/{stem}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).expect("gold")).expect("json");
    v["actions"].as_array().cloned().unwrap_or_default()
}

fn s(v: &serde_json::Value) -> String {
    norm(v.as_str().unwrap_or(""))
}

/// Every gold row of seed 000 is one table row with the same five cells (action..xref).
fn check_000(d: &Document) {
    let rows: Vec<Vec<String>> = tables(d)
        .iter()
        .flat_map(|t| t.rows.iter())
        .filter(|r| r.cells.len() >= 5)
        .map(|r| {
            r.cells[r.cells.len() - 5..]
                .iter()
                .map(|c| norm(&c.text))
                .collect()
        })
        .collect();
    let g = gold("000_c3bf71b126cbf595");
    assert_eq!(g.len(), 96);
    let mut missing = Vec::new();
    for a in &g {
        let want: Vec<String> = ["action", "lead", "due", "evidence", "xref"]
            .iter()
            .map(|k| s(&a[*k]))
            .collect();
        if !rows.contains(&want) {
            missing.push(want);
        }
    }
    assert!(
        missing.is_empty(),
        "{} rows not recovered exactly, first: {:?}",
        missing.len(),
        missing.first()
    );
}

#[test]
fn ruled_libreoffice_tables_recover_every_row() {
    let d = read("000.pdf");
    assert_eq!(d.pages, Some(19));
    check_000(&d);
    // Every row has a page and a y.
    for t in tables(&d) {
        for r in &t.rows {
            assert!(r.source.page.is_some() && r.source.y.is_some());
        }
    }
}

#[test]
fn borderless_chromium_tables_recover_every_row() {
    check_000(&read("000b.pdf"));
}

#[test]
fn table_over_three_pages_is_one_table_with_split_rows_joined() {
    let d = read("000.pdf");
    let ts = tables(&d);
    // Personalised Support: 17 actions over pages 5-8, one table.
    let t = personalised_support(&ts);
    let pages: std::collections::BTreeSet<u32> =
        t.rows.iter().filter_map(|r| r.source.page).collect();
    assert!(pages.len() >= 3, "pages {pages:?}");
    let refs: Vec<&str> = t
        .rows
        .iter()
        .filter(|r| r.cells.len() == 6)
        .map(|r| r.cells[0].text.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        refs,
        (1..=17)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    // Row 11 is split by a page break: one row, text complete.
    let r11 = t
        .rows
        .iter()
        .find(|r| r.cells[0].text == "11")
        .expect("row 11");
    assert!(
        norm(&r11.cells[1].text).ends_with("process to improve the take up of services"),
        "{}",
        r11.cells[1].text
    );
    // No data row with an empty first cell remains (all continuation pieces were joined).
    assert!(t
        .rows
        .iter()
        .filter(|r| r.cells.len() == 6)
        .all(|r| !r.cells[0].text.is_empty() || r.cells[1].text == "Action"));
    // Repeated header rows stay as rows.
    assert!(
        t.rows
            .iter()
            .filter(|r| r.cells.len() == 6 && r.cells[1].text == "Action")
            .count()
            >= 3
    );
}

#[test]
fn vertically_merged_cells_are_filled_down_and_marked() {
    let d = read("000.pdf");
    let ts = tables(&d);
    let t = personalised_support(&ts);
    let row = |n: &str| t.rows.iter().find(|r| r.cells[0].text == n).expect("row");
    // Rows 12-14 sit on a new page under a lead merged from row 11 (page before).
    for n in ["12", "13", "14"] {
        let c = &row(n).cells[2];
        assert_eq!(norm(&c.text), "HHAS Children's Services", "row {n}");
        assert!(c.merged, "row {n} lead should be marked merged");
    }
    assert!(!row("1").cells[2].merged);
    assert!(row("2").cells[2].merged);
    assert!(
        row("3").cells[3].merged,
        "by-when 'Ongoing' merged down from row 2"
    );
}

#[test]
fn full_width_merged_row_is_one_cell() {
    let d = read("000.pdf");
    let one: Vec<String> = tables(&d)
        .iter()
        .flat_map(|t| t.rows.iter())
        .filter(|r| r.cells.len() == 1)
        .map(|r| r.cells[0].text.clone())
        .collect();
    assert_eq!(one.len(), 2, "{one:?}");
    assert!(one.iter().all(|t| t.starts_with("Outcome:")));
}

#[test]
fn running_headers_and_footers_are_removed() {
    for f in ["000.pdf", "000b.pdf", "001.pdf"] {
        let d = read(f);
        let all = serde_json::to_string(&d).expect("json");
        assert!(!all.contains("Draft v3 - Page"), "{f}: footer left");
        assert!(!all.contains("file:///"), "{f}: chromium footer left");
        assert!(
            !all.contains(" AM\"") && !all.contains(" PM\""),
            "{f}: chromium header left"
        );
        let heads = d
            .blocks
            .iter()
            .filter(|b| matches!(&b.kind, BlockKind::Paragraph { text } if text == "Recognising and Valuing Carers in Sunderland"))
            .count();
        assert_eq!(heads, 0, "{f}: running title left");
    }
}

#[test]
fn headings_and_paragraphs() {
    let d = read("000.pdf");
    let h: Vec<(u8, String)> = d
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { level, text } => Some((*level, text.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(h[0].0, 1);
    assert!(h.iter().any(|(l, t)| *l == 2 && t == "Employment"));
    assert!(h.iter().any(|(l, t)| *l == 2 && t == "Economic Well Being"));
    assert!(d
        .title
        .as_deref()
        .is_some_and(|t| t.starts_with("Recognising and Valuing Carers")));
}

#[test]
fn delivery_plan_with_bullets_in_cells() {
    let d = read("001.pdf");
    let ts = tables(&d);
    assert_eq!(ts.len(), 1, "one table over all pages");
    let t = ts[0];
    let data: Vec<_> = t
        .rows
        .iter()
        .filter(|r| r.cells[0].text != "Key Delivery Areas")
        .collect();
    assert_eq!(data.len(), 11);
    assert!(data[0].cells[2].text.starts_with("• Self assessments"));
    assert!(data[0].cells[2]
        .text
        .contains("\n• Carers need for a break"));
}

#[test]
fn two_column_prose_keeps_reading_order() {
    let d = read("003.pdf");
    let items: Vec<String> = d
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::ListItem { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let g: Vec<String> = gold("003_d444ba2963d45661")
        .iter()
        .map(|a| s(&a["action"]))
        .collect();
    assert_eq!(items, g);
    // Headings in order.
    let h: Vec<String> = d
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Heading { text, .. } if text.starts_with("Action theme") => {
                Some(text.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(h.len(), 10);
    assert!(h[3].starts_with("Action theme 4"));
}

#[test]
fn encrypted_with_user_password_is_a_clear_error() {
    match pdf::read(&fixture("encrypted-user.pdf"), &Options::default()) {
        Err(Error::Encrypted(m)) => assert!(m.contains("password")),
        other => panic!("expected Encrypted, got {other:?}"),
    }
}

#[test]
fn encrypted_with_empty_password_reads() {
    let d = read("encrypted-empty.pdf");
    assert_eq!(tables(&d).len(), 1);
}

#[test]
fn no_text_layer_is_a_clear_error() {
    assert!(matches!(
        pdf::read(&fixture("notext.pdf"), &Options::default()),
        Err(Error::NoText)
    ));
}

#[test]
fn damaged_files_give_errors_not_panics() {
    for f in ["truncated.pdf", "mangled.pdf"] {
        let r = pdf::read(&fixture(f), &Options::default());
        assert!(
            matches!(
                r,
                Err(Error::Corrupt { .. }) | Err(Error::ParserPanic { .. })
            ),
            "{f}: {r:?}"
        );
    }
    for junk in [
        &b"%PDF-1.7\n"[..],
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-\xff\xff\xff",
    ] {
        assert!(pdf::read(junk, &Options::default()).is_err());
    }
}

#[test]
fn mutated_files_never_panic() {
    // Deterministic byte mutations of a real PDF: every result is Ok or a typed error.
    let base = fixture("001.pdf");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut opts = Options::default();
    opts.limits.timeout_secs = 5;
    for _ in 0..30 {
        let mut b = base.clone();
        for _ in 0..8 {
            let i = (next() as usize) % b.len();
            b[i] = next() as u8;
        }
        let r = std::panic::catch_unwind(|| pdf::read(&b, &opts));
        assert!(r.is_ok(), "reader panicked out");
    }
}

#[test]
fn page_limit_is_enforced() {
    let mut opts = Options::default();
    opts.limits.max_pages = 3;
    assert!(matches!(
        pdf::read(&fixture("001.pdf"), &opts),
        Err(Error::Limit(_))
    ));
}

// ---------------------------------------------------------------- whole pipeline

fn tokens(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn f1(a: &str, b: &str) -> f64 {
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() && tb.is_empty() {
        return 1.0;
    }
    let mut pool = ta.clone();
    let mut common = 0;
    for t in &tb {
        if let Some(i) = pool.iter().position(|x| x == t) {
            pool.swap_remove(i);
            common += 1;
        }
    }
    if common == 0 {
        return 0.0;
    }
    let (p, r) = (
        common as f64 / tb.len() as f64,
        common as f64 / ta.len() as f64,
    );
    2.0 * p * r / (p + r)
}

fn actions(path: &str) -> Vec<carers_extract::Action> {
    let p = std::path::PathBuf::from(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")));
    carers_extract::extract_path(&p, &Options::default())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .actions
}

fn key(a: &carers_extract::Action) -> String {
    a.action.clone().unwrap_or_default()
}

/// The same strategy as extracted text (.txt seed) and as PDF gives the same actions.
#[test]
fn same_actions_from_text_and_pdf() {
    for (txt, pdfs) in [
        (
            "fixtures/seeds/000_c3bf71b126cbf595.txt",
            &["fixtures/pdf/000.pdf", "fixtures/pdf/000b.pdf"][..],
        ),
        (
            "fixtures/seeds/001_ee69fd1c9acfa693.txt",
            &["fixtures/pdf/001.pdf"][..],
        ),
        (
            "fixtures/seeds/003_d444ba2963d45661.txt",
            &["fixtures/pdf/003.pdf"][..],
        ),
    ] {
        let t = actions(txt);
        for pdf in pdfs {
            let p = actions(pdf);
            assert_eq!(t.len(), p.len(), "{txt} vs {pdf}: action count");
            // Pair in order; the text seed keeps extraction artefacts the PDF does not have
            // (clipped or split words), so compare by token F1.
            let mut same = 0;
            for (a, b) in t.iter().zip(&p) {
                let ok = f1(&key(a), &key(b)) >= 0.9
                    && f1(
                        a.lead.as_deref().unwrap_or(""),
                        b.lead.as_deref().unwrap_or(""),
                    ) >= 0.8
                    && f1(
                        a.due.as_deref().unwrap_or(""),
                        b.due.as_deref().unwrap_or(""),
                    ) >= 0.8;
                same += usize::from(ok);
            }
            assert!(
                same * 100 >= t.len() * 95,
                "{txt} vs {pdf}: only {same}/{} actions agree",
                t.len()
            );
        }
    }
}

#[test]
fn pipeline_errors_for_bad_pdfs() {
    let p = |f: &str| {
        std::path::PathBuf::from(format!("{}/fixtures/pdf/{f}", env!("CARGO_MANIFEST_DIR")))
    };
    let o = Options::default();
    assert!(matches!(
        carers_extract::extract_path(&p("encrypted-user.pdf"), &o),
        Err(Error::Encrypted(_))
    ));
    assert!(matches!(
        carers_extract::extract_path(&p("notext.pdf"), &o),
        Err(Error::NoText)
    ));
    assert!(carers_extract::extract_path(&p("truncated.pdf"), &o).is_err());
}

#[test]
fn rotated_page_reads_upright() {
    let d = read("rotated.pdf");
    assert_eq!(d.title.as_deref(), Some("Rotated Action Plan"));
    let ts = tables(&d);
    assert_eq!(ts.len(), 1);
    let rows: Vec<Vec<&str>> = ts[0].rows.iter().map(|r| r.texts()).collect();
    assert_eq!(
        rows[1],
        vec!["Develop a carers emergency card", "HHAS", "March 2010"]
    );
    assert_eq!(rows.len(), 3);
}

/// The "Personalised Support" table of seed 000 (17 actions over several pages).
fn personalised_support<'a>(ts: &[&'a carers_extract::Table]) -> &'a carers_extract::Table {
    ts.iter()
        .find(|t| {
            t.rows.iter().any(|r| {
                r.cells.len() == 6
                    && norm(&r.cells[1].text)
                        .starts_with("To ensure that carers are aware of their right")
            })
        })
        .copied()
        .expect("personalised support table")
}

// ------------------------------------------------- generated variants (fixtures/pdf/gen)

/// The actions of a generated fixture as (action, lead, due, evidence), whitespace-normalised.
fn plan_actions(name: &str) -> Vec<[String; 4]> {
    let p = std::path::PathBuf::from(format!(
        "{}/fixtures/pdf/gen/{name}",
        env!("CARGO_MANIFEST_DIR")
    ));
    carers_extract::extract_path(&p, &Options::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .actions
        .iter()
        .map(|a| {
            [&a.action, &a.lead, &a.due, &a.evidence].map(|f| norm(f.as_deref().unwrap_or("")))
        })
        .collect()
}

fn assert_same_plan(variants: &[&str]) {
    let upright = plan_actions("plan.pdf");
    assert!(upright.len() >= 40, "{} actions", upright.len());
    assert!(upright.iter().all(|a| a.iter().all(|f| !f.is_empty())));
    for v in variants {
        let got = plan_actions(v);
        assert_eq!(got.len(), upright.len(), "{v}: action count");
        for (g, u) in got.iter().zip(&upright) {
            assert_eq!(g, u, "{v}");
        }
    }
}

#[test]
fn rotated_pages_give_the_same_actions_as_upright() {
    assert_same_plan(&[
        // /Rotate on upright content (displayed sideways or upside down)
        "plan-rotate90.pdf",
        "plan-rotate180.pdf",
        "plan-rotate270.pdf",
        // content drawn turned, /Rotate turning it back
        "plan-turned90.pdf",
        "plan-turned180.pdf",
        "plan-turned270.pdf",
        // content drawn turned, no /Rotate
        "plan-sideways90.pdf",
        "plan-sideways180.pdf",
        "plan-sideways270.pdf",
        // only the first page turned
        "plan-page1-rotate90.pdf",
    ]);
}

#[test]
fn glyph_order_giant_pages_and_clipped_copies_do_not_change_the_actions() {
    assert_same_plan(&["plan-shuffled.pdf", "plan-giant.pdf", "plan-tiled.pdf"]);
}

/// Word shades a cell with three boxes of one colour (cell, paragraph, line of words): only the
/// cell's edges are seen, the others must not split the columns.
#[test]
fn cell_shading_drawn_as_nested_boxes_keeps_the_columns() {
    assert_same_plan(&["plan-word-shading.pdf"]);
}

#[test]
fn damaged_cross_reference_tables_are_repaired() {
    assert_same_plan(&[
        "plan-xref-shifted.pdf",
        "plan-xref-gone.pdf",
        "plan-startxref-wrong.pdf",
    ]);
}

#[test]
fn empty_user_password_opens_with_every_encryption_method() {
    assert_same_plan(&[
        "plan-encrypted-rc4-40.pdf",
        "plan-encrypted-rc4-128.pdf",
        "plan-encrypted-aes-128.pdf",
        "plan-encrypted-aes-256.pdf",
    ]);
}

/// Messages are one line, in the user's terms: what is wrong and what to do.
fn user_message(e: &Error) {
    let m = e.to_string();
    assert!(!m.contains('\n'), "{m}");
    for internal in [
        "panic",
        "Dict",
        "ObjectId",
        "lopdf",
        "hayro",
        "Some(",
        "{",
        "ExtGState",
    ] {
        assert!(!m.contains(internal), "{m}");
    }
}

#[test]
fn a_password_is_a_clear_one_line_error() {
    let b = std::fs::read(format!(
        "{}/fixtures/pdf/gen/plan-encrypted-password.pdf",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    match pdf::read(&b, &Options::default()) {
        Err(e @ Error::Encrypted(_)) => {
            user_message(&e);
            assert!(e.to_string().contains("qpdf --decrypt"));
            assert!(!e.to_string().contains("incorrect"));
        }
        other => panic!("expected Encrypted, got {other:?}"),
    }
    for f in ["truncated.pdf", "mangled.pdf", "notext.pdf"] {
        if let Err(e) = pdf::read(&fixture(f), &Options::default()) {
            user_message(&e);
        }
    }
}

#[test]
fn a_damaged_page_is_noted_and_the_others_are_read() {
    let b = std::fs::read(format!(
        "{}/fixtures/pdf/gen/plan-page2-damaged.pdf",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    let (d, notes) = pdf::read_with_notes(&b, &Options::default()).expect("read");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("page 2 could not be read"),
        "{notes:?}"
    );
    let pages: std::collections::BTreeSet<u32> = tables(&d)
        .iter()
        .flat_map(|t| t.rows.iter().filter_map(|r| r.source.page))
        .collect();
    assert_eq!(pages, [1, 3].into_iter().collect());
    // Undamaged files have no notes.
    let (_, none) = pdf::read_with_notes(&fixture("001.pdf"), &Options::default()).expect("read");
    assert!(none.is_empty(), "{none:?}");
}

#[test]
fn japanese_text_without_a_tounicode_map_reads_horizontal_and_vertical() {
    for f in ["cjk-horizontal.pdf", "cjk-vertical.pdf"] {
        let b = std::fs::read(format!(
            "{}/fixtures/pdf/gen/{f}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture");
        let d = pdf::read(&b, &Options::default()).unwrap_or_else(|e| panic!("{f}: {e}"));
        let texts: Vec<String> = d
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Paragraph { text } | BlockKind::Heading { text, .. } => {
                    Some(text.clone())
                }
                _ => None,
            })
            .collect();
        assert_eq!(texts, vec!["介護者支援計画", "行動計画と担当者"], "{f}");
    }
}
