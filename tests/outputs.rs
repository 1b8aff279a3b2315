//! HTML and XLSX output and batch runs (folders, globs, --jobs, failures) through the CLI on
//! the real fixtures.

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
    let order: Vec<String> = String::from_utf8(nd.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["source_path"]
                .as_str()
                .unwrap()
                .to_string()
        })
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
