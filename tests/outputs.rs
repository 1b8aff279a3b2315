//! HTML and XLSX output and batch runs (folders, globs, --jobs, failures) through the CLI on
//! the real fixtures.

mod common;

use std::path::PathBuf;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cli() -> Command {
    let mut c = Command::cargo_bin("carers-extract").unwrap();
    c.current_dir(root()).arg("--no-config");
    c
}

/// A folder with the seeds (in a sub-folder), a file of unknown type and a broken PDF.
fn corpus() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("b/c")).unwrap();
    for (i, e) in std::fs::read_dir(root().join("fixtures/seeds"))
        .unwrap()
        .flatten()
        .enumerate()
    {
        if e.path().extension().is_some_and(|x| x == "txt") {
            let dest = if i % 2 == 0 {
                d.path().join("b/c")
            } else {
                d.path().join("b")
            };
            std::fs::copy(e.path(), dest.join(e.file_name())).unwrap();
        }
    }
    std::fs::write(d.path().join("b/notes.bin"), [0u8, 1, 2]).unwrap();
    std::fs::write(d.path().join("b/broken.pdf"), b"%PDF-1.4 not really").unwrap();
    d
}

#[test]
fn html_on_fixtures_is_self_contained() {
    let out = cli()
        .args(["--format", "html", "fixtures/seeds"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("id=\"overview-h\""),
        "several documents get an overview"
    );
    assert_eq!(html.matches("<script>").count(), 1);
    assert_eq!(html.matches("<script").count(), 1, "no other script");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(")
    );
    assert!(html.contains("class=\"actions sortable\""));
    assert!(html.contains("position:sticky"));
}

#[test]
fn xlsx_on_fixtures_with_a_failed_input() {
    let d = tempfile::tempdir().unwrap();
    let out_path = d.path().join("plans.xlsx");
    let out = cli()
        .args(["--format", "xlsx", "-o"])
        .arg(&out_path)
        .args(["fixtures/seeds/*.txt", "fixtures/seeds/missing.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a failed input is exit 2");
    let json = cli()
        .args(["--format", "json", "fixtures/seeds/*.txt"])
        .output()
        .unwrap();
    let reports: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let actions: usize = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actions"].as_array().unwrap().len())
        .sum();
    let dated: usize = reports
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["actions"].as_array().unwrap())
        .filter(|a| a["due_date"].is_string())
        .count();
    let mut wb: Xlsx<_> = calamine::open_workbook(&out_path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["Actions", "Gaps", "Summary", "Sources"]
    );
    let sheet = wb.worksheet_range("Actions").unwrap();
    assert_eq!(sheet.height(), actions + 1);
    let dates = (1..sheet.height())
        .filter(|&r| matches!(sheet.get((r, 12)), Some(Data::DateTime(_))))
        .count();
    assert_eq!(dates, dated, "every due_date is a real Excel date");
    let sources = wb.worksheet_range("Sources").unwrap();
    assert_eq!(sources.height(), 1 + 3 + 1);
    let failed: Vec<_> = (1..sources.height())
        .filter(|&r| sources.get((r, 1)) == Some(&Data::String("failed".into())))
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        sources.get((failed[0], 0)),
        Some(&Data::String("fixtures/seeds/missing.pdf".into()))
    );
}

#[test]
fn batch_is_deterministic_and_survives_bad_files() {
    let d = corpus();
    let run = |jobs: &str| {
        let mut c = Command::cargo_bin("carers-extract").unwrap();
        c.current_dir(d.path())
            .args(["--no-config", "--format", "json", "--jobs", jobs, "b"])
            .output()
            .unwrap()
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one.status.code(), Some(2), "the broken PDF fails the batch");
    assert_eq!(
        one.stdout, two.stdout,
        "same output whatever the number of jobs"
    );
    let v: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let items = v.as_array().unwrap();
    let paths: Vec<&str> = items
        .iter()
        .filter_map(|r| r["source"]["path"].as_str())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "sorted by path");
    assert_eq!(paths.len(), 3);
    assert!(items
        .iter()
        .any(|r| r["path"] == "b/broken.pdf" && r["error"].is_string()));
    let stderr = String::from_utf8_lossy(&one.stderr);
    assert!(stderr.contains("skipped b/notes.bin"), "{stderr}");
    assert!(stderr.contains("b/broken.pdf"), "{stderr}");
    // NDJSON streams in the same order.
    let mut c = Command::cargo_bin("carers-extract").unwrap();
    let nd = c
        .current_dir(d.path())
        .args(["--no-config", "--format", "ndjson", "-j", "2", "b"])
        .output()
        .unwrap();
    let records: Vec<serde_json::Value> = String::from_utf8(nd.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .collect();
    assert!(records
        .iter()
        .any(|r| r["record"] == "error" && r["source_path"] == "b/broken.pdf"));
    let order: Vec<String> = records
        .iter()
        .filter(|r| r["record"] != "error")
        .map(|r| r["source_path"].as_str().unwrap().to_string())
        .collect();
    let mut dedup = order.clone();
    dedup.dedup();
    assert_eq!(dedup, sorted);
}

#[test]
fn quiet_is_quiet() {
    let out = cli()
        .args(["--quiet", "--format", "html", "fixtures/seeds"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// Issue 16: one definition of each figure, XLSX charts / print / numbers, one JSON contract.

const SEED: &str = "fixtures/seeds/000_c3bf71b126cbf595.txt";

fn stdout_of(args: &[&str]) -> String {
    let out = cli().args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The `NN%` after `label` in `text`.
fn pct_after(text: &str, label: &str) -> String {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("{label:?} not in output"));
    let rest = &text[at + label.len()..];
    let start = rest.find(|c: char| c.is_ascii_digit()).unwrap();
    let end = start + rest[start..].find('%').unwrap();
    rest[start..=end].to_string()
}

#[test]
fn item6_one_named_lead_figure_in_every_output() {
    let report =
        carers_extract::extract_path(&root().join(SEED), &carers_extract::Options::default())
            .unwrap();
    let c = report.completeness();
    // The seed has vague leads, so "has a lead" and "named lead" differ: the trap of issue 16.
    assert!(c.with_lead > c.named_lead);
    let want = c.percent(c.named_lead);
    assert_eq!(report.summary.with_named_lead, c.named_lead);
    let text = stdout_of(&[SEED]);
    assert_eq!(pct_after(&text, "Named lead"), want, "text");
    let md = stdout_of(&["--format", "markdown", SEED]);
    assert_eq!(pct_after(&md, "Named lead"), want, "markdown");
    let html = stdout_of(&["--format", "html", SEED]);
    assert_eq!(pct_after(&html, "data-k=\"named-lead\">"), want, "html");
    let d = tempfile::tempdir().unwrap();
    let summary = d.path().join("summary.md");
    Command::cargo_bin("carers-extract")
        .unwrap()
        .current_dir(root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--no-config", "--format", "github", SEED])
        .output()
        .unwrap();
    let gh = std::fs::read_to_string(&summary).unwrap();
    let row = gh.lines().find(|l| l.contains("000_c3bf")).unwrap();
    assert_eq!(
        row.split('|').map(str::trim).nth(4).unwrap(),
        want,
        "job summary: {row}"
    );
    // XLSX: the whole-document row of the Summary sheet, as Excel would show it (0%).
    let xlsx = d.path().join("s.xlsx");
    cli().args(["-o"]).arg(&xlsx).arg(SEED).assert().success();
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = wb.worksheet_range("Summary").unwrap();
    assert_eq!(
        sheet.get((1, 1)),
        Some(&Data::String("(whole document)".into()))
    );
    let Some(Data::Float(share)) = sheet.get((1, 6)) else {
        panic!("{:?}", sheet.get((1, 6)))
    };
    // Excel rounds half away from zero, as Completeness::percent does.
    assert_eq!(format!("{}%", (share * 100.0).round() as i64), want, "xlsx");
}

/// Anchors of the drawings of a sheet: (from col, from row, to col, to row).
fn chart_anchors(xlsx: &std::path::Path) -> Vec<(u32, u32, u32, u32)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/drawings/drawing1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let num = |n: roxmltree::Node, tag: &str| -> u32 {
        n.children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text())
            .unwrap()
            .parse()
            .unwrap()
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("twoCellAnchor"))
        .map(|a| {
            let from = a.children().find(|c| c.has_tag_name("from")).unwrap();
            let to = a.children().find(|c| c.has_tag_name("to")).unwrap();
            (
                num(from, "col"),
                num(from, "row"),
                num(to, "col"),
                num(to, "row"),
            )
        })
        .collect()
}

fn sheet_xml(xlsx: &std::path::Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap(),
        &mut xml,
    )
    .unwrap();
    xml
}

#[test]
fn item7_xlsx_charts_print_setup_row_heights_and_numbers() {
    let d = tempfile::tempdir().unwrap();
    let xlsx = d.path().join("plans.xlsx");
    cli()
        .args(["-o"])
        .arg(&xlsx)
        .arg("fixtures/seeds")
        .assert()
        .success();
    // Two charts on the Summary sheet whose cell ranges do not overlap.
    let anchors = chart_anchors(&xlsx);
    assert_eq!(anchors.len(), 2, "{anchors:?}");
    let (a, b) = (anchors[0], anchors[1]);
    let overlap = a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3;
    assert!(!overlap, "charts overlap: {a:?} {b:?}");
    // Print setup on every sheet: A4 landscape, one page wide, header row repeated.
    for n in 1..=4 {
        let xml = sheet_xml(&xlsx, n);
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "sheet {n}");
        assert!(xml.contains("orientation=\"landscape\""), "sheet {n}");
        assert!(xml.contains("paperSize=\"9\""), "sheet {n}");
        assert!(xml.contains("fitToHeight=\"0\""), "sheet {n}");
    }
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut wbxml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut wbxml)
        .unwrap();
    assert_eq!(wbxml.matches("_xlnm.Print_Titles").count(), 4, "{wbxml}");
    // Rows tall enough for their wrapped text (LibreOffice draws overflow over the next rows).
    let xml = sheet_xml(&xlsx, 1);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let tall = doc
        .descendants()
        .filter(|n| n.has_tag_name("row"))
        .filter(|n| n.attribute("customHeight") == Some("1"))
        .filter_map(|n| n.attribute("ht")?.parse::<f64>().ok())
        .filter(|h| *h >= 30.0)
        .count();
    assert!(tall > 50, "only {tall} rows were given a height");
    // Whole-number references are numbers; plan and row too.
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let actions = wb.worksheet_range("Actions").unwrap();
    assert_eq!(actions.get((0, 5)), Some(&Data::String("Ref".into())));
    let numeric_refs = (1..actions.height())
        .filter(|&r| matches!(actions.get((r, 5)), Some(Data::Float(_))))
        .count();
    assert!(
        numeric_refs > 50,
        "refs stored as text ({numeric_refs} numbers)"
    );
    assert!(matches!(actions.get((1, 2)), Some(Data::Float(_))));
    assert!(matches!(actions.get((1, 3)), Some(Data::Float(_))));
}

/// A document with a plan-level gap (a header with no rows), one with no plan, one that fails.
fn mixed_corpus() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/layouts/empty-section.txt"),
        d.path().join("a-empty-section.txt"),
    )
    .unwrap();
    std::fs::write(
        d.path().join("b-nothing.txt"),
        "Carers strategy\n\nOur vision.\n\nIndicator\tBaseline\tTarget\nCarers assessed\t1200\t1500\n",
    )
    .unwrap();
    std::fs::write(d.path().join("c-broken.pdf"), b"%PDF-1.4 not really").unwrap();
    d
}

#[test]
fn item8_ndjson_and_csv_keep_every_document_plan_gap_and_failure() {
    let d = mixed_corpus();
    let run = |fmt: &str| {
        let mut c = Command::cargo_bin("carers-extract").unwrap();
        let out = c
            .current_dir(d.path())
            .args(["--no-config", "--format", fmt, "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "the broken PDF");
        String::from_utf8(out.stdout).unwrap()
    };
    // NDJSON: every line valid against the schema; a document record for every document.
    let nd = run("ndjson");
    let records: Vec<serde_json::Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for r in &records {
        let def = match r["record"].as_str().unwrap() {
            "document" => "ndjsonDocument",
            "action" => "ndjsonAction",
            "error" => "ndjsonError",
            other => panic!("record {other}"),
        };
        common::assert_valid(def, r);
    }
    let docs: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["record"] == "document")
        .collect();
    assert_eq!(docs.len(), 2);
    let nothing = docs
        .iter()
        .find(|r| r["source_path"].as_str().unwrap().contains("b-nothing"))
        .unwrap();
    assert_eq!(nothing["status"], "no action plan");
    let empty = docs
        .iter()
        .find(|r| r["source_path"].as_str().unwrap().contains("a-empty"))
        .unwrap();
    assert!(
        empty["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["rule"] == "empty-section"),
        "plan-level gap: {empty}"
    );
    assert!(
        records
            .iter()
            .any(|r| r["record"] == "error"
                && r["source_path"].as_str().unwrap().contains("c-broken"))
    );
    // CSV: a plan row, a document row and an error row.
    let csv_text = run("csv");
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        carers_extract::write::csv::COLUMNS
    );
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let kinds: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (&r[col("source_path")], &r[col("record")], &r[col("gaps")]))
        .collect();
    assert!(kinds
        .iter()
        .any(|k| k.0.contains("a-empty") && k.1 == "plan" && k.2.contains("empty-section")));
    assert!(kinds
        .iter()
        .any(|k| k.0.contains("b-nothing") && k.1 == "document" && k.2 == "no-action-plan"));
    assert!(kinds
        .iter()
        .any(|k| k.0.contains("c-broken") && k.1 == "error"));
    // JSON of the same folder: an array with an error entry, valid against the schema.
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    common::assert_valid("batch", &json);
    assert!(json
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["error"].is_string() && e["path"].is_string()));
}

#[test]
fn item8_schema_rejects_what_the_tool_never_writes() {
    // The validator is not a rubber stamp: a misspelt field, a wrong record kind and an error
    // entry without its message all fail.
    let out = cli()
        .args(["--format", "ndjson", "fixtures/layouts/pipe.md"])
        .output()
        .unwrap();
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap(),
    )
    .unwrap();
    common::assert_valid("ndjsonAction", &first);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let mut bad = first.clone();
    bad["leed"] = serde_json::json!("x");
    assert!(!v.is_valid(&bad));
    let mut bad = first.clone();
    bad["record"] = serde_json::json!("row");
    assert!(!v.is_valid(&bad));
    assert!(!v.is_valid(&serde_json::json!([{"path": "x.pdf"}])));
    assert!(v.is_valid(&serde_json::json!([{"path": "x.pdf", "error": "damaged"}])));
}
