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
        .stdout(predicate::str::contains("6 actions in 1 action plan\n"))
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
    assert_eq!(v["schema_version"], "1.1");
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
    assert_eq!(
        lines.len(),
        7,
        "a document record, then one record per action"
    );
    assert_eq!(lines[0]["record"], "document");
    assert!(lines[1..].iter().all(|l| l["record"] == "action"));
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

// ---------------------------------------------------------------------------------------------
// Issue 16: trust and conventions.

/// A readable document with a table that is not an action plan and prose: nothing to find.
const NO_PLAN: &str = "Carers strategy 2024\n\nOur vision is that carers are supported.\n\n\
Indicator\tBaseline\tTarget\nCarers assessed\t1200\t1500\nCarers in work\t300\t400\n";

/// A plan with a column that maps to no field ("Budget").
const WITH_BUDGET: &str = "Action plan\n\nAction\tLead\tBy when\tBudget\n\
Publish a carers guide\tCarers Centre\tMarch 2025\t£5,000\n\
Train GP receptionists\tICB\tJune 2025\t£12,000\n";

fn write_tmp(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn item1_nothing_found_is_never_success() {
    let d = tempfile::tempdir().unwrap();
    let none = write_tmp(d.path(), "none.txt", NO_PLAN);
    // The text summary says so, with the reason, and the run warns on stderr.
    let out = bin().arg("--no-config").arg(&none).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(text.contains("No action plan was found"), "{text}");
    assert!(text.contains("no-action-plan (1)"), "{text}");
    assert!(text.contains("no action column"), "reason in words: {text}");
    assert!(
        ["Indicator", "Baseline", "Target"]
            .iter()
            .all(|h| text.contains(&format!("\"{h}\""))),
        "headers named: {text}"
    );
    assert!(!text.contains(" ok"), "{text}");
    assert!(
        stderr.contains("carers-extract: warning:") && stderr.contains("no action plan found"),
        "{stderr}"
    );
    // `check` fails on it, even when --fail-on names other rules.
    bin()
        .args(["check", "--no-config"])
        .arg(&none)
        .assert()
        .code(1);
    bin()
        .args(["check", "--no-config", "--fail-on", "missing-lead"])
        .arg(&none)
        .assert()
        .code(1);
    // JSON: a document-level error gap.
    let out = bin()
        .args(["--no-config", "--format", "json"])
        .arg(&none)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let gap = &v["gaps"][0];
    assert_eq!(gap["rule"], "no-action-plan");
    assert_eq!(gap["severity"], "error");
    assert!(gap["action_id"].is_null() && gap["table"].is_null());
    // CSV and NDJSON have a row / record for the document.
    let out = bin()
        .args(["--no-config", "--format", "csv"])
        .arg(&none)
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let rec = headers.iter().position(|h| h == "record").unwrap();
    let gaps = headers.iter().position(|h| h == "gaps").unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert_eq!(&rows[0][rec], "document");
    assert_eq!(&rows[0][gaps], "no-action-plan");
    let out = bin()
        .args(["--no-config", "--format", "ndjson"])
        .arg(&none)
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["record"], "document");
    assert_eq!(lines[0]["status"], "no action plan");
    assert_eq!(lines[0]["gaps"][0]["rule"], "no-action-plan");
    // HTML never says "ok" over nothing.
    let page = d.path().join("r.html");
    let other = write_tmp(d.path(), "plan.txt", WITH_BUDGET);
    bin()
        .args(["--no-config", "-o"])
        .arg(&page)
        .arg(&none)
        .arg(&other)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<td class=\"nothing\">no action plan</td>"),
        "overview status"
    );
    assert_eq!(
        html.matches("<td>ok</td>").count(),
        1,
        "only the real plan is ok"
    );
    assert!(html.contains("No action plan was found in this document."));
}

#[test]
fn item2_output_refuses_inputs_and_special_files() {
    let d = tempfile::tempdir().unwrap();
    let input = write_tmp(d.path(), "plan.txt", WITH_BUDGET);
    let before = std::fs::read(&input).unwrap();
    // Its own input.
    let out = bin()
        .args(["--no-config", "--format", "json", "-o"])
        .arg(&input)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("carers-extract: error: refusing to write"),
        "{err}"
    );
    assert!(err.contains("one of the inputs"), "{err}");
    assert_eq!(std::fs::read(&input).unwrap(), before, "input untouched");
    // An input found in a folder, reached through another spelling of its path.
    let sneaky = d.path().join(".").join("plan.txt");
    bin()
        .args(["--no-config", "-o"])
        .arg(&sneaky)
        .arg(d.path())
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&input).unwrap(), before);
    // A device node stays a device node.
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let out = bin()
            .args(["--no-config", "-o", "/dev/null"])
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("not a regular file"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        // A folder.
        let out = bin()
            .args(["--no-config", "-o"])
            .arg(d.path())
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
    }
}

#[cfg(unix)]
#[test]
fn item2_output_follows_symlinks_and_respects_modes() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let input = write_tmp(d.path(), "plan.txt", WITH_BUDGET);
    // A symlink: the target gets the report, the link stays a link.
    std::fs::create_dir(d.path().join("reports")).unwrap();
    let target = d.path().join("reports/latest.json");
    std::fs::write(&target, "old").unwrap();
    let link = d.path().join("latest.json");
    std::os::unix::fs::symlink("reports/latest.json", &link).unwrap();
    bin()
        .args(["--no-config", "-o"])
        .arg(&link)
        .arg(&input)
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(v["summary"]["actions"], 2, "written through the link");
    // A new file: 0666 less the umask (here 027 -> 0640).
    let new = d.path().join("new.json");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 027; exec \"$0\" --no-config -o '{}' '{}'",
            new.display(),
            input.display()
        ))
        .arg(env!("CARGO_BIN_EXE_carers-extract"))
        .status()
        .unwrap();
    assert!(status.success());
    let mode = std::fs::metadata(&new).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "{mode:o}");
    // An existing file keeps its mode.
    let shared = d.path().join("shared.json");
    std::fs::write(&shared, "x").unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
    bin()
        .args(["--no-config", "-o"])
        .arg(&shared)
        .arg(&input)
        .assert()
        .success();
    let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o664, "{mode:o}");
    // Only the files we made are there (no temporary file left behind).
    let mut names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "latest.json",
            "new.json",
            "plan.txt",
            "reports",
            "shared.json"
        ]
    );
}

#[test]
fn item3_format_from_extension_and_dash_is_stdout() {
    let d = tempfile::tempdir().unwrap();
    let input = write_tmp(d.path(), "plan.txt", WITH_BUDGET);
    for (name, check) in [
        ("report.html", "<!DOCTYPE html>"),
        ("plans.json", "\"schema_version\""),
        ("plans.csv", "source_path,id,table"),
        ("plans.md", "| id | section |"),
        ("gaps.sarif", "\"version\": \"2.1.0\""),
        ("junit.xml", "<testsuites"),
    ] {
        let out = d.path().join(name);
        bin()
            .args(["--no-config", "-o"])
            .arg(&out)
            .arg(&input)
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.contains(check),
            "{name}: {}",
            &text[..text.len().min(200)]
        );
    }
    let xlsx = d.path().join("plans.xlsx");
    bin()
        .args(["--no-config", "-o"])
        .arg(&xlsx)
        .arg(&input)
        .assert()
        .success();
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    // --format wins over the extension.
    let out = d.path().join("x.html");
    bin()
        .args(["--no-config", "--format", "json", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&out).unwrap().starts_with('{'));
    // An extension that names no format is a usage error, not a text file named .pdf.
    bin()
        .args(["--no-config", "-o"])
        .arg(d.path().join("report.pdf"))
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format"));
    // `-o -` is standard output.
    let out = bin()
        .current_dir(d.path())
        .args(["--no-config", "--format", "json", "-o", "-"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("\"schema_version\""));
    assert!(!d.path().join("-").exists());
}

#[test]
fn item4_explain_and_unmapped_columns() {
    let d = tempfile::tempdir().unwrap();
    let input = write_tmp(d.path(), "plan.txt", WITH_BUDGET);
    let none = write_tmp(d.path(), "none.txt", NO_PLAN);
    let out = bin()
        .args(["explain", "--no-config"])
        .arg(&input)
        .arg(&none)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Table 1 (line 3, 2 rows): TAKEN as plan 1"),
        "{text}"
    );
    assert!(text.contains("lead by header"), "{text}");
    assert!(
        text.contains("to map it: [headers] ") && text.contains(" = [\"Budget\"]"),
        "config line for the unmapped column: {text}"
    );
    assert!(text.contains("not taken"), "{text}");
    assert!(text.contains("no action column"), "{text}");
    // JSON form validates against the schema.
    let out = bin()
        .args(["explain", "--no-config", "--format", "json"])
        .arg(&input)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["candidates"][0]["taken"], true);
    let how = v["candidates"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["header"] == "Budget")
        .unwrap();
    assert!(how["field"].is_null());
    common::assert_valid("explanation", &v);
    // Unmapped columns appear in the text summary, Markdown and HTML.
    let text = String::from_utf8(
        bin()
            .arg("--no-config")
            .arg(&input)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(text.contains("\"Budget\" (plan 1)"), "{text}");
    let md = String::from_utf8(
        bin()
            .args(["--no-config", "--format", "markdown"])
            .arg(&input)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(md.contains("| Budget |") && md.contains("£12,000"), "{md}");
    let html = String::from_utf8(
        bin()
            .args(["--no-config", "--format", "html"])
            .arg(&input)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(html.contains("<th scope=\"col\">Other columns</th>"));
    assert!(html.contains("<b>Budget</b>: £12,000"));
    assert!(html.contains("Not mapped (kept as they are)"));
}

#[test]
fn item8_json_shape_depends_on_the_command_line() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("one")).unwrap();
    write_tmp(&d.path().join("one"), "plan.txt", WITH_BUDGET);
    // A folder of one file: still an array (the README's `.[]` recipe works).
    let out = bin()
        .args(["--no-config", "--format", "json"])
        .arg(d.path().join("one"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    common::assert_valid("batch", &v);
    // A glob that matches one file: an array too.
    let pattern = format!("{}/one/*.txt", d.path().display());
    let out = bin()
        .args(["--no-config", "--format", "json", &pattern])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_array());
    // One file named: one object.
    let out = bin()
        .args(["--no-config", "--format", "json"])
        .arg(d.path().join("one/plan.txt"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_object());
    common::assert_valid("report", &v);
}

#[test]
fn item9_completions_man_rules_and_help() {
    let out = bin().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.contains("complete -F _carers__extract") && script.contains("--format"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        bin().args(["completions", shell]).assert().success();
    }
    let out = bin().arg("man").output().unwrap();
    let man = String::from_utf8(out.stdout).unwrap();
    assert!(
        man.starts_with(".ie") || man.contains(".TH carers-extract"),
        "{man}"
    );
    assert!(man.contains("explain"));
    // Rules: listed, and one explained.
    let out = bin().arg("rules").output().unwrap();
    let list = String::from_utf8(out.stdout).unwrap();
    for r in carers_extract::gaps::RULES {
        assert!(list.contains(r.id), "{}", r.id);
    }
    bin()
        .args(["rules", "missing-lead"])
        .assert()
        .success()
        .stdout(predicate::str::contains("What to do: Name the person"));
    bin()
        .args(["rules", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "carers-extract: error: unknown rule",
        ));
    // Examples in `check --help`.
    bin()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("carers-extract check --fail-on"));
}

#[test]
fn item9_colour_width_and_one_error_style() {
    let d = tempfile::tempdir().unwrap();
    let input = fixture("layouts/pipe.md");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = bin();
        c.arg("--no-config").args(args).arg(&input);
        c.env_remove("NO_COLOR").env_remove("COLUMNS");
        for (k, v) in env {
            c.env(k, v);
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    let always = run(&["--color", "always"], &[]);
    assert!(always.contains("\x1b[1;31merror\x1b[0m"), "{always}");
    assert!(!run(&["--color", "never"], &[]).contains('\x1b'));
    // auto: standard output is not a terminal here, so no colour; NO_COLOR is honoured too.
    assert!(!run(&[], &[]).contains('\x1b'));
    assert!(!run(&["--color", "auto"], &[("NO_COLOR", "1")]).contains('\x1b'));
    // Text fits the width ($COLUMNS, else the terminal's).
    let narrow = run(&[], &[("COLUMNS", "60")]);
    for line in narrow.lines() {
        assert!(line.chars().count() <= 60, "too wide: {line:?}");
    }
    assert!(run(&[], &[]).lines().any(|l| l.chars().count() > 60));
    // One error style: clap's usage errors, bad input, bad -o, bad config.
    let cfg = write_tmp(d.path(), "bad.toml", "[headrs]\n");
    for args in [
        vec!["--format".to_string(), "yaml".into(), "x.txt".into()],
        vec!["missing.txt".into()],
        vec!["--pages".into(), "0".into(), "x.txt".into()],
        vec![
            "--config".into(),
            cfg.display().to_string(),
            input.display().to_string(),
        ],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("carers-extract: error: "),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn item9_as_of_today_pages_and_sheets() {
    let d = tempfile::tempdir().unwrap();
    let input = write_tmp(
        d.path(),
        "old.txt",
        "Action plan\n\nAction\tLead\tBy when\nPublish a guide\tCarers Centre\tMarch 2009\n",
    );
    bin()
        .args(["--no-config", "--as-of", "today", "--format", "json"])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains("past-due"));
    // --pages on a PDF: only those pages are read.
    let all =
        carers_extract::extract_path(&fixture("pdf/001.pdf"), &carers_extract::Options::default())
            .unwrap();
    let first_page = all.actions[0].source.page.unwrap();
    let out = bin()
        .args(["--no-config", "--format", "json", "--pages"])
        .arg(first_page.to_string())
        .arg(fixture("pdf/001.pdf"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pages: Vec<u64> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["source"]["page"].as_u64())
        .collect();
    assert!(!pages.is_empty());
    assert!(pages.iter().all(|&p| p == first_page as u64), "{pages:?}");
    // A page the document does not have: an error that says so.
    bin()
        .args(["--no-config", "--pages", "900-"])
        .arg(fixture("pdf/001.pdf"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing on those pages"));
    // --sheet: a sheet that is not there names the ones that are.
    let out = bin()
        .args(["--no-config", "--sheet", "No such sheet"])
        .arg(fixture("office/plan.xlsx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no sheet named \"No such sheet\" (sheets: \""),
        "{err}"
    );
    let sheet = err
        .split("(sheets: \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    bin()
        .args(["--no-config", "--sheet", &sheet])
        .arg(fixture("office/plan.xlsx"))
        .assert()
        .success();
}

#[test]
fn item10_setup_is_what_the_readme_says() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    // Quick start: exactly two commands, and .ci/run runs exactly them.
    let quick = readme
        .split("## Quick start")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let commands: Vec<&str> = quick
        .split("```sh\n")
        .skip(1)
        .flat_map(|b| b.split("```").next().unwrap().lines())
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run --release -- fixtures/seeds/000_c3bf71b126cbf595.txt",
            "cargo test --release"
        ]
    );
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    let ci_cargo: Vec<&str> = ci
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("cargo "))
        .collect();
    assert_eq!(
        ci_cargo, commands,
        ".ci/run runs exactly the README's commands"
    );
    assert!(readme.contains("## Install") && readme.contains("cargo install --locked --path ."));
    // rust-version is at least what every dependency (tests included) declares.
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let ours = manifest["package"]["rust-version"].as_str().unwrap();
    let version = |s: &str| -> Vec<u32> {
        let mut v: Vec<u32> = s.split('.').map(|x| x.parse().unwrap()).collect();
        v.resize(3, 0);
        v
    };
    let host = String::from_utf8(
        std::process::Command::new("rustc")
            .arg("-vV")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .lines()
    .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
    .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let meta = std::process::Command::new(cargo)
        .current_dir(root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--filter-platform",
            &host,
        ])
        .output()
        .unwrap();
    assert!(
        meta.status.success(),
        "{}",
        String::from_utf8_lossy(&meta.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&meta.stdout).unwrap();
    let mut needed = (vec![0u32], String::new());
    for p in meta["packages"].as_array().unwrap() {
        if let Some(rv) = p["rust_version"].as_str() {
            if p["name"] != "carers-extract" && version(rv) > needed.0 {
                needed = (version(rv), p["name"].as_str().unwrap().to_string());
            }
        }
    }
    assert!(
        version(ours) >= needed.0,
        "rust-version {ours} is lower than {:?} needed by {}",
        needed.0,
        needed.1
    );
    // The release binary carries no debug info.
    let profile = &manifest["profile"]["release"];
    assert_eq!(profile["debug"].as_bool(), Some(false));
    assert_eq!(profile["strip"].as_str(), Some("debuginfo"));
    if !cfg!(debug_assertions) {
        let size = std::fs::metadata(env!("CARGO_BIN_EXE_carers-extract"))
            .unwrap()
            .len();
        assert!(size < 30 * 1024 * 1024, "release binary is {size} bytes");
    }
}
