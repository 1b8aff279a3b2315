//! The command line: formats, exit codes, atomic output and bad input.

mod common;

use common::{bin, fixture};
use predicates::prelude::*;

#[test]
fn default_output_is_a_summary_for_people() {
    bin()
        .arg(fixture("layouts/pipe.md"))
        .assert()
        .success()
        .stdout(predicate::str::contains("6 actions in 1 action plans"))
        .stdout(predicate::str::contains("missing-lead (1)"));
}

#[test]
fn json_for_one_input_array_for_several() {
    let out = bin()
        .args(["--format", "json"])
        .arg(fixture("layouts/pipe.md"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], "1.0");
    assert_eq!(v["source"]["format"], "markdown");
    let out = bin()
        .args(["--format", "json"])
        .arg(fixture("layouts/pipe.md"))
        .arg(fixture("layouts/win1252.txt"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
}

#[test]
fn ndjson_one_action_per_line_with_its_source() {
    let out = bin()
        .args(["--format", "ndjson"])
        .arg(fixture("layouts/pipe.md"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert!(lines
        .iter()
        .all(|l| l["source_path"].as_str().unwrap().ends_with("pipe.md")));
}

#[test]
fn csv_has_stable_columns_bom_and_escaped_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("evil.md");
    std::fs::write(&evil, "| Action | Lead | By when |\n|---|---|---|\n| =HYPERLINK(\"http://x\") | @SUM(A1) | March 2025 |\n").unwrap();
    let out = bin()
        .args(["--format", "csv", "--bom"])
        .arg(&evil)
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(out.stdout[3..].to_vec()).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header.split(',').collect::<Vec<_>>(),
        carers_extract::write::csv::COLUMNS
    );
    assert!(text.contains("'=HYPERLINK"));
    assert!(text.contains("'@SUM(A1)"));
    let raw = bin()
        .args(["--format", "csv", "--no-escape-formulas"])
        .arg(&evil)
        .output()
        .unwrap();
    assert!(String::from_utf8(raw.stdout)
        .unwrap()
        .contains(",\"=HYPERLINK"));
}

#[test]
fn markdown_output() {
    bin()
        .args(["--format", "markdown"])
        .arg(fixture("layouts/pipe.md"))
        .assert()
        .success()
        .stdout(predicate::str::contains("| p1-r3 |"));
}

#[test]
fn check_exit_codes() {
    // Errors (missing lead, missing action) fail by default.
    bin()
        .arg("check")
        .arg(fixture("layouts/pipe.md"))
        .assert()
        .code(1);
    // Only the chosen rules fail the build.
    bin()
        .args(["check", "--fail-on", "empty-section"])
        .arg(fixture("layouts/pipe.md"))
        .assert()
        .code(0);
    bin()
        .args(["check", "--fail-on", "empty-section"])
        .arg(fixture("layouts/empty-section.txt"))
        .assert()
        .code(1);
    bin()
        .args(["check", "--fail-on", "no-such-rule"])
        .arg(fixture("layouts/pipe.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule"));
}

#[test]
fn usage_errors_exit_2() {
    bin().assert().code(2);
    bin().args(["--format", "yaml", "x.txt"]).assert().code(2);
    bin()
        .args(["--as-of", "31/12/2025", "x.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.json");
    bin()
        .args(["--format", "json", "-o"])
        .arg(&out)
        .arg(fixture("layouts/pipe.md"))
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["summary"]["actions"], 6);
    // Only the output file is left behind (no temporary files).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Bad input: one line on stderr naming the file and the problem, exit 2, no output file.
fn assert_bad_input(name: &str, bytes: &[u8], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, bytes).unwrap();
    let out_file = dir.path().join("out.json");
    let out = bin()
        .args(["--format", "json", "-o"])
        .arg(&out_file)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{name}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
    assert!(
        stderr.contains(name) && stderr.contains(needle),
        "{name}: {stderr}"
    );
    assert!(!out_file.exists(), "{name}: output written");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    assert_bad_input("empty.txt", b"", "empty");
    assert_bad_input(
        "random.bin",
        &[0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0, 7, 8],
        "unknown file type",
    );
    assert_bad_input(
        "noise.txt",
        &[0u8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 1, 1, 1],
        "binary",
    );
    assert_bad_input(
        "fake.docx",
        b"this is not a word file",
        "not of that format",
    );
    // Word 97-2003 files are read now; a cut-short one is damaged.
    assert_bad_input(
        "legacy.doc",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
        "DOC file is damaged",
    );
    let dir = tempfile::tempdir().unwrap();
    bin()
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.txt"));
}

#[test]
fn a_bad_file_does_not_stop_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = bin()
        .args(["--format", "json"])
        .arg(&empty)
        .arg(fixture("layouts/pipe.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["summary"]["actions"], 6);
    assert!(items[1]["error"].as_str().unwrap().contains("empty"));
}

#[test]
fn stdin_is_read_as_text() {
    bin()
        .args(["--format", "json", "-"])
        .write_stdin("Action\tLead\tBy when\nFund a carers centre\tICB\tMarch 2026\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("\"due_date\": \"2026-03-31\""));
}
