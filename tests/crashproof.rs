//! Issue 14: no input may kill the process or the batch, every write error is an error, and no
//! control character reaches a text-like output.
//!
//! The crashing inputs are in `fixtures/bad/crash/` (made by `scripts/make_crash_fixtures.py`)
//! and `fixtures/bad/mutants/` (found by `scripts/mutate.py`).

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::fixture;

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_carers-extract")
}

fn run(args: &[&str], dir: Option<&Path>) -> Output {
    run_env(args, dir, None)
}

/// Run with a fault injected into the worker that reads inputs whose name contains a string
/// (`CARERS_EXTRACT_FAULT=stack:NAME`, see `isolate.rs`): the PDFs that once overflowed the
/// parser's stack are read safely by the current reader.
fn run_env(args: &[&str], dir: Option<&Path>, fault: Option<&str>) -> Output {
    let mut c = Command::new(exe());
    if let Some(f) = fault {
        c.env("CARERS_EXTRACT_FAULT", f);
    }
    c.arg("--no-config").args(args);
    if let Some(d) = dir {
        c.current_dir(d);
    }
    c.output().unwrap()
}

fn stderr_lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The good files of the batch tests: one plan in every format.
const GOOD: &[&str] = &[
    "office/plan.txt",
    "office/plan.docx",
    "office/plan.xlsx",
    "office/plan.xls",
    "office/plan.ods",
    "office/plan.html",
    "pdf/001.pdf",
];

/// A folder of good files plus the given bad ones (copied under their own names).
fn batch_dir(bad: &[&str]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (i, g) in GOOD.iter().enumerate() {
        let src = fixture(g);
        let name = format!("good{i}-{}", src.file_name().unwrap().to_string_lossy());
        std::fs::copy(&src, d.path().join(name)).unwrap();
    }
    for b in bad {
        let src = fixture(b);
        std::fs::copy(&src, d.path().join(src.file_name().unwrap())).unwrap();
    }
    d
}

fn assert_no_crash_text(stderr: &str) {
    for bad in [
        "panicked",
        "overflowed",
        "memory allocation",
        "fatal runtime",
        "stack backtrace",
    ] {
        assert!(!stderr.contains(bad), "raw crash text on stderr: {stderr}");
    }
}

#[test]
fn a_stack_overflow_and_an_allocation_bomb_do_not_stop_the_batch() {
    let d = batch_dir(&[
        "bad/crash/deep-forms.pdf",
        "bad/crash/xls-dimensions-22tb.xls",
    ]);
    for jobs in ["1", "2"] {
        let o = run_env(
            &["-f", "json", "-j", jobs, "."],
            Some(d.path()),
            // The two files are read safely now (the PDF by the own reader, the XLS refused
            // by a pre-check): the faults their parsers once had are injected.
            Some("stack:deep-forms,alloc:xls-dimensions"),
        );
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_no_crash_text(&err);
        assert_eq!(o.status.code(), Some(2), "{err}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let items = v.as_array().unwrap();
        let read: Vec<&str> = items
            .iter()
            .filter_map(|i| i["source"]["path"].as_str())
            .collect();
        assert_eq!(
            read.len(),
            GOOD.len(),
            "every good file is reported: {read:?}"
        );
        for r in items.iter().filter(|i| i.get("source").is_some()) {
            assert!(
                !r["actions"].as_array().unwrap().is_empty(),
                "{}",
                r["source"]["path"]
            );
        }
        let failed: Vec<&str> = items.iter().filter_map(|i| i["path"].as_str()).collect();
        assert_eq!(failed.len(), 2, "{failed:?}");
        let lines = stderr_lines(&o);
        assert_eq!(
            lines.len(),
            3,
            "one line per bad file and the summary: {err}"
        );
        let pdf = lines.iter().find(|l| l.contains("deep-forms.pdf")).unwrap();
        assert!(
            pdf.contains("the file could not be read (it made the PDF parser crash"),
            "{pdf}"
        );
        let xls = lines
            .iter()
            .find(|l| l.contains("xls-dimensions-22tb.xls"))
            .unwrap();
        assert!(
            xls.contains("needed more than the 1 GiB memory budget")
                && xls.contains("--max-memory"),
            "{xls}"
        );
        assert!(lines[2].contains(&format!("{} file(s) read, 2 failed", GOOD.len())));
    }
}

#[test]
fn streamed_ndjson_keeps_every_good_file_around_a_crash() {
    let d = batch_dir(&[
        "bad/crash/form-draws-itself.pdf",
        "bad/crash/deep-forms.pdf",
    ]);
    let o = run_env(
        &["-f", "ndjson", "-j", "2", "."],
        Some(d.path()),
        Some("stack:form"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_no_crash_text(&String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut paths: Vec<String> = records
        .iter()
        .map(|v| v["source_path"].as_str().unwrap().to_string())
        .collect();
    let in_order = paths.clone();
    paths.dedup();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "path order kept: {in_order:?}");
    // The crashed files are `error` records; every good file has its records.
    let failed: Vec<&str> = records
        .iter()
        .filter(|v| v["record"] == "error")
        .map(|v| v["source_path"].as_str().unwrap())
        .collect();
    assert_eq!(
        failed,
        ["./deep-forms.pdf", "./form-draws-itself.pdf"],
        "{in_order:?}"
    );
    assert_eq!(paths.len(), GOOD.len() + failed.len(), "{paths:?}");
}

/// Every crash fixture alone: exit 2 with one line naming the file, or read.
#[test]
fn every_crash_and_mutant_fixture_is_one_line_or_read() {
    let mut files: Vec<PathBuf> = Vec::new();
    for sub in ["bad/crash", "bad/mutants"] {
        if let Ok(rd) = std::fs::read_dir(fixture(sub)) {
            files.extend(
                rd.map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e != "md")),
            );
        }
    }
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let start = Instant::now();
        let o = Command::new(exe())
            .args(["--no-config", "-f", "json", "--timeout", "30"])
            .arg(f)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_no_crash_text(&err);
        assert!(start.elapsed() < Duration::from_secs(60), "{name}");
        match o.status.code() {
            Some(0) => {
                // Read: nothing on stderr but the warning that no action plan was found.
                assert!(
                    err.lines()
                        .all(|l| l.starts_with("carers-extract: warning: ")
                            && l.contains("no action plan found")),
                    "{name}: {err}"
                );
                serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap();
            }
            Some(2) => {
                assert_eq!(err.lines().count(), 1, "{name}: {err}");
                assert!(err.contains(&name), "{name}: {err}");
            }
            other => panic!("{name}: exit {other:?}: {err}"),
        }
    }
}

#[test]
fn crafted_xls_headers_are_refused_before_the_parser() {
    for f in [
        "bad/crash/xls-dir-sectors-2tb.xls",
        "bad/crash/xls-fat-sectors-16gb.xls",
        "bad/crash/xls-dimensions-22tb.xls",
    ] {
        // In-process too: the pre-check stops them, no worker needed.
        let o = Command::new(exe())
            .env("CARERS_EXTRACT_IN_PROCESS", "1")
            .args(["--no-config", "-f", "json"])
            .arg(fixture(f))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{f}: {err}");
        assert!(
            err.contains("sectors in a file of") || err.contains("over the limit of"),
            "{f}: {err}"
        );
    }
}

/// Every kept mutant with this extension, run in-process (no worker to catch an allocation
/// failure): (path, output).
fn mutants_in_process(ext: &str) -> Vec<(PathBuf, Output)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(fixture("bad/mutants")).unwrap() {
        let f = e.unwrap().path();
        if f.extension().is_none_or(|x| x != ext) {
            continue;
        }
        let o = Command::new(exe())
            .env("CARERS_EXTRACT_IN_PROCESS", "1")
            .args(["--no-config", "-f", "json"])
            .arg(&f)
            .output()
            .unwrap();
        out.push((f, o));
    }
    out
}

/// The compound-file mutants that made calamine ask for terabytes are refused by the pre-check.
#[test]
fn xls_mutants_are_refused_before_the_parser() {
    let runs = mutants_in_process("xls");
    for (f, o) in &runs {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{f:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{f:?}: {err}");
        assert!(
            err.contains("past the end of the file") || err.contains("FAT sectors in a file of"),
            "{f:?}: {err}"
        );
    }
    assert!(runs.len() >= 7, "{}", runs.len());
}

/// PDF mutants whose fonts made hayro-font ask for gigabytes are read.
#[test]
fn pdf_mutants_with_unbounded_fonts_are_read() {
    let runs = mutants_in_process("pdf");
    for (f, o) in &runs {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{f:?}: {err}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(!v["actions"].as_array().unwrap().is_empty(), "{f:?}");
    }
    assert!(!runs.is_empty());
}

#[test]
fn isolated_and_in_process_runs_give_the_same_output() {
    let d = batch_dir(&[]);
    for fmt in ["json", "csv", "sarif"] {
        let iso = run(&["-f", fmt, "-j", "2", "."], Some(d.path()));
        let inp = Command::new(exe())
            .current_dir(d.path())
            .env("CARERS_EXTRACT_IN_PROCESS", "1")
            .args(["--no-config", "-f", fmt, "-j", "2", "."])
            .output()
            .unwrap();
        assert_eq!(iso.status.code(), Some(0));
        assert_eq!(inp.status.code(), Some(0));
        assert!(
            iso.stdout == inp.stdout,
            "{fmt}: worker output differs from in-process output"
        );
    }
}

/// A report of more than 20,000 actions comes back from its worker through a temporary file:
/// the same report, and no file left behind.
#[test]
fn a_large_report_crosses_from_the_worker_intact() {
    let d = tempfile::tempdir().unwrap();
    let mut s = String::from("Action plan\n\nRef\tAction\tLead\tBy when\n");
    for i in 1..=20_500 {
        s.push_str(&format!(
            "{i}\tTrain staff group {i}\tCouncil\tMarch 2026\n"
        ));
    }
    let plan = d.path().join("big.txt");
    std::fs::write(&plan, s).unwrap();
    let tmp = d.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = |in_process: bool| {
        let mut c = Command::new(exe());
        c.env("TMPDIR", &tmp)
            .args(["--no-config", "-f", "json", "--timeout", "0"])
            .arg(&plan);
        if in_process {
            c.env("CARERS_EXTRACT_IN_PROCESS", "1");
        }
        let o = c.output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    let isolated = out(false);
    assert!(
        isolated == out(true),
        "the report changed on its way from the worker"
    );
    let v: serde_json::Value = serde_json::from_slice(&isolated).unwrap();
    assert!(v["actions"].as_array().unwrap().len() > 20_000);
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "temporary report left"
    );
}

/// One stray row of thousands of cells (a separator repeated in its text) does not widen a plan:
/// every row is held at the plan's width, so a 5,000-column plan would multiply the memory of
/// a long table. The stray cells stay in the last column; nothing is lost.
#[test]
fn a_stray_wide_row_does_not_widen_the_plan() {
    let d = tempfile::tempdir().unwrap();
    let mut s = String::from("Ref,Action,Lead,By when,Evidence\n");
    for i in 1..=5 {
        s.push_str(&format!(
            "{i},Train staff {i},Council,March 2026,Staff trained\n"
        ));
        if i == 2 {
            s.push_str("9,Review the offer");
            s.push_str(&",stray".repeat(5000));
            s.push('\n');
        }
    }
    let plan = d.path().join("plan.csv");
    std::fs::write(&plan, s).unwrap();
    let o = run(&["-f", "json", plan.to_str().unwrap()], None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0]["mappings"].as_array().unwrap().len(), 5);
    let actions = v["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 6);
    let stray = &actions[2];
    assert_eq!(stray["action"], "Review the offer");
    assert_eq!(
        stray["evidence"].as_str().unwrap().matches("stray").count(),
        4998
    );
}

#[test]
fn standard_input_is_read_by_a_worker() {
    let mut child = Command::new(exe())
        .args(["--no-config", "-f", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(fixture("office/plan.txt")).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"]["path"], "-");
    assert_eq!(v["actions"].as_array().unwrap().len(), 6);
}

const FORMATS: &[&str] = &[
    "text", "json", "ndjson", "csv", "markdown", "html", "xlsx", "sarif", "github", "junit",
];

/// Output to a full disk is an error in every format (NDJSON used to exit 0).
#[test]
fn a_full_disk_is_an_error_in_every_format() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    for fmt in FORMATS {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Command::new(exe())
            .args(["--no-config", "-f", fmt])
            .arg(fixture("office/plan.txt"))
            .arg(fixture("office/plan.html"))
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{fmt}: {err}");
        assert!(
            err.contains("cannot write to standard output") && err.contains("No space left"),
            "{fmt}: {err}"
        );
    }
}

/// `>&-`: standard output closed. Every format says so and exits 2 (it used to exit 0
/// having written nothing).
#[test]
fn a_closed_standard_output_is_an_error_in_every_format() {
    for fmt in FORMATS {
        let o = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" --no-config -f "$1" "$2" >&-"#)
            .arg(exe())
            .arg(fmt)
            .arg(fixture("office/plan.txt"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{fmt}: {err}");
        assert!(err.contains("standard output is closed"), "{fmt}: {err}");
    }
    // With -o the output does not need standard output.
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out.json");
    let o = Command::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" --no-config -f json -o "$1" "$2" >&-"#)
        .arg(exe())
        .arg(&out)
        .arg(fixture("office/plan.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(out.exists());
}

/// A reader that goes away (`| head`) ends the run quietly, and a streamed batch stops early.
#[test]
fn a_broken_pipe_ends_the_run_quietly() {
    let d = tempfile::tempdir().unwrap();
    let text = std::fs::read(fixture("seeds/000_c3bf71b126cbf595.txt")).unwrap();
    for i in 0..40 {
        std::fs::write(d.path().join(format!("f{i:02}.txt")), &text).unwrap();
    }
    let few: Vec<PathBuf> = (0..3)
        .map(|i| d.path().join(format!("f{i:02}.txt")))
        .collect();
    for fmt in FORMATS.iter().filter(|f| **f != "xlsx") {
        let mut cmd = Command::new(exe());
        cmd.args(["--no-config", "-q", "-j", "1", "-f", fmt]);
        if *fmt == "ndjson" {
            cmd.arg(d.path());
        } else {
            cmd.args(&few);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then hang up.
        let mut out = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        let _ = out.read(&mut one);
        drop(out);
        let start = Instant::now();
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{fmt}: {err}");
        assert!(err.is_empty(), "{fmt}: {err}");
        if *fmt == "ndjson" {
            // The 39 files left take seconds; the streamed batch stops at the failed write.
            assert!(
                start.elapsed() < Duration::from_secs(3),
                "{fmt}: {:?}",
                start.elapsed()
            );
        }
    }
}

/// A Word file whose table cells carry terminal escape sequences and controls.
fn docx_with_controls(dir: &Path) -> PathBuf {
    let src = std::fs::File::open(fixture("office/plan.docx")).unwrap();
    let mut zin = zip::ZipArchive::new(src).unwrap();
    let path = dir.join("controls.docx");
    let mut zout = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).unwrap();
            let evil = "\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}[31m";
            let xml = xml
                .replacen(
                    "Publish a carers",
                    &format!("{evil}Publish\r\u{9b}1m a carers"),
                    1,
                )
                .replacen(
                    "Carers Centre",
                    "Carers Centre\u{1b}[0m\u{8}\u{8}::error::forged",
                    1,
                );
            assert!(xml.contains("pwned"));
            data = xml.into_bytes();
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&data).unwrap();
    }
    zout.finish().unwrap();
    path
}

fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| (c < ' ' && c != '\t' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c))
}

#[test]
fn control_characters_never_reach_a_text_like_output() {
    let d = tempfile::tempdir().unwrap();
    let docx = docx_with_controls(d.path());
    for fmt in FORMATS {
        let out = d.path().join(format!("out.{fmt}"));
        let o = Command::new(exe())
            .args(["--no-config", "-f", fmt, "-o"])
            .arg(&out)
            .arg(&docx)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{fmt}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = if *fmt == "xlsx" {
            // Every XML part of the workbook.
            let mut z = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
            let mut all = String::new();
            for i in 0..z.len() {
                let mut s = String::new();
                let _ = z.by_index(i).unwrap().read_to_string(&mut s);
                all.push_str(&s);
            }
            assert!(!all.contains("_x001B_"), "{fmt}: escaped control kept");
            all
        } else {
            std::fs::read_to_string(&out).unwrap()
        };
        assert!(text.contains("Publish"), "{fmt}: the cell is still there");
        match *fmt {
            // JSON escapes controls as JSON does; the text itself is kept.
            "json" | "ndjson" => assert!(text.contains("\\u001b[2J"), "{fmt}"),
            _ => {
                assert!(!has_control(&text.replace("\r\n", "\n")), "{fmt}: {text}");
                // Whole sequences go, parameters included (not just the ESC byte).
                assert!(!text.contains("pwned"), "{fmt}: {text}");
            }
        }
        if *fmt == "github" {
            // No forged workflow command at the start of a line.
            assert!(text.lines().all(|l| l.starts_with("::")), "{fmt}: {text}");
            assert_eq!(text.matches("\n::error::forged").count(), 0);
        }
    }
    // Standard output too (the terminal case).
    let o = Command::new(exe())
        .args(["--no-config", "-f", "text"])
        .arg(&docx)
        .output()
        .unwrap();
    assert!(!has_control(&String::from_utf8_lossy(&o.stdout)));
}

#[test]
fn a_file_name_with_escape_sequences_is_cleaned_on_stderr() {
    let d = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J.txt";
    std::fs::write(d.path().join(name), b"").unwrap();
    let o = run(&["-f", "json", "."], Some(d.path()));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(!has_control(&err), "{err:?}");
    assert!(err.contains("evil.txt: the file is empty"), "{err}");
}
