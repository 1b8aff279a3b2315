//! `carers-extract check` as a CI tool: SARIF (validated against the SARIF 2.1.0 schema),
//! GitHub workflow commands, JUnit XML, exit codes, --max-warnings, carers-extract.toml and
//! baselines, on the real fixtures and on small drafts written here.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seeds() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/seeds"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

/// The binary, run in `dir` with no config file from the repository.
fn cli(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("carers-extract").unwrap();
    c.current_dir(dir);
    c
}

const DRAFT: &str =
    "Carers Strategy 2008-2011\n\nAction plan\n\nRef\tAction\tLead\tBy when\tEvidence\n\
1\tPublish a carers guide\tCarers Centre\tMarch 2009\tGuide published\n\
2\tReview respite provision\t\tOctober 2009\tReview report\n\
3\tTrain GP receptionists\tPCT\t\tTraining records\n";

/// The same plan with a new row at the top and the old rows moved.
const DRAFT_MOVED: &str =
    "Carers Strategy 2008-2011\n\nAction plan\n\nRef\tAction\tLead\tBy when\tEvidence\n\
1\tSet up a carers forum\t\tJune 2009\tForum minutes\n\
2\tTrain GP   receptionists\tPCT\t\tTraining records\n\
3\tPublish a carers guide\tCarers Centre\tMarch 2009\tGuide published\n\
4\tReview respite provision\t\tOctober 2009\tReview report\n";

const CLEAN: &str =
    "Carers Strategy 2008-2011\n\nAction plan\n\nRef\tAction\tLead\tBy when\tEvidence\n\
1\tPublish a carers guide\tCarers Centre\tMarch 2009\tGuide published\n\
2\tReview respite provision\tAdult Services\tOctober 2009\tReview report\n";

fn draft_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(d.path().join(name), text).unwrap();
    }
    d
}

#[test]
fn sarif_on_fixtures_is_valid_sarif_2_1_0() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let rel: Vec<PathBuf> = seeds()
        .iter()
        .map(|p| p.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    let out = cli(&root())
        .args(["check", "--no-config", "--format", "sarif"])
        .args(&rel)
        .arg("fixtures/seeds/no-such-file.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a missing input is exit 2");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &v["runs"][0];
    let results = run["results"].as_array().unwrap();
    // One result per gap, compared with the JSON report.
    let json = cli(&root())
        .args(["--no-config", "--format", "json"])
        .args(seeds())
        .output()
        .unwrap();
    let reports: Value = serde_json::from_slice(&json.stdout).unwrap();
    let gaps: usize = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["gaps"].as_array().unwrap().len())
        .sum();
    assert!(gaps > 0);
    assert_eq!(results.len(), gaps);
    for r in results {
        assert!(r["ruleId"]
            .as_str()
            .is_some_and(|id| carers_extract::gaps::rule(id).is_some()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("fixtures/seeds/"));
    }
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .is_some()
    ));
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), carers_extract::gaps::RULES.len());
    assert!(rules
        .iter()
        .all(|r| r["shortDescription"]["text"].is_string() && r["help"]["text"].is_string()));
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["level"],
        "error"
    );
}

#[test]
fn github_annotations_on_a_fixture() {
    let seed = &seeds()[0];
    let out = cli(&root())
        .args(["check", "--no-config", "--format", "github"])
        .arg(seed)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.is_empty());
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
        let (props, msg) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(!msg.contains('\n') && !msg.contains('\r'));
        assert!(
            props.contains(",line=") || props.contains("title="),
            "{props}"
        );
    }
    assert_eq!(out.status.code(), Some(1), "the fixture has error gaps");
}

#[test]
fn junit_one_case_per_action() {
    let d = draft_dir(&[("draft.txt", DRAFT)]);
    let out = cli(d.path())
        .args(["check", "--format", "junit", "draft.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 3);
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 2);
    assert_eq!(failures[0].attribute("type"), Some("missing-lead"));
    // On the fixtures too: well-formed, one case per action at least.
    let out = cli(&root())
        .args(["--no-config", "--format", "junit"])
        .args(seeds())
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    roxmltree::Document::parse(&xml).expect("well-formed JUnit on fixtures");
}

#[test]
fn exit_codes_and_max_warnings() {
    let d = draft_dir(&[
        ("draft.txt", DRAFT),
        ("clean.txt", CLEAN),
        (
            "vague.txt",
            &CLEAN.replace("Adult Services", "All partners"),
        ),
    ]);
    let code = |args: &[&str]| {
        cli(d.path())
            .arg("check")
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&["clean.txt"]), Some(0));
    assert_eq!(code(&["draft.txt"]), Some(1));
    assert_eq!(code(&["vague.txt"]), Some(0), "warnings alone pass");
    assert_eq!(code(&["--max-warnings", "0", "vague.txt"]), Some(1));
    assert_eq!(code(&["--max-warnings", "5", "vague.txt"]), Some(0));
    assert_eq!(code(&["--fail-on", "vague-lead", "vague.txt"]), Some(1));
    assert_eq!(code(&["--fail-on", "no-such-rule", "vague.txt"]), Some(2));
    assert_eq!(code(&["missing.txt"]), Some(2));
    assert_eq!(
        code(&["clean.txt", "missing.txt"]),
        Some(2),
        "a failed input wins"
    );
}

#[test]
fn config_file_is_found_and_applied() {
    let d = draft_dir(&[(
        "vague.txt",
        &CLEAN.replace("Adult Services", "All partners"),
    )]);
    let sub = d.path().join("drafts/2024");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(d.path().join("vague.txt"), sub.join("vague.txt")).unwrap();
    let code = |dir: &Path, args: &[&str]| cli(dir).arg("check").args(args).output().unwrap();
    assert_eq!(code(&sub, &["vague.txt"]).status.code(), Some(0));
    // Found in a parent folder: warnings fail.
    std::fs::write(
        d.path().join("carers-extract.toml"),
        "fail_on = [\"error\", \"warning\"]\n",
    )
    .unwrap();
    assert_eq!(code(&sub, &["vague.txt"]).status.code(), Some(1));
    assert_eq!(
        code(&sub, &["--no-config", "vague.txt"]).status.code(),
        Some(0)
    );
    // Per-rule level: turning the rule off removes the gap.
    std::fs::write(
        d.path().join("carers-extract.toml"),
        "fail_on = [\"warning\"]\n[rules]\nvague-lead = \"off\"\n",
    )
    .unwrap();
    let out = code(&sub, &["--format", "json", "vague.txt"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["rule"] != "vague-lead"));
    // --config PATH, and the example file in fixtures/config.
    let example = root().join("fixtures/config/carers-extract.toml");
    let out = code(&sub, &["--config", example.to_str().unwrap(), "vague.txt"]);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Unknown key: exit 2 and the key is named.
    std::fs::write(
        d.path().join("carers-extract.toml"),
        "[rules]\nmissing-lead = \"error\"\n\n[headrs]\nlead = [\"Owner\"]\n",
    )
    .unwrap();
    let out = code(&sub, &["vague.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("headrs"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Bad value.
    std::fs::write(
        d.path().join("carers-extract.toml"),
        "[rules]\nmissing-lead = \"fatal\"\n",
    )
    .unwrap();
    let out = code(&sub, &["vague.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fatal"));
}

#[test]
fn past_due_from_config_as_of() {
    let d = draft_dir(&[
        ("clean.txt", CLEAN),
        (
            "carers-extract.toml",
            "as_of = 2010-01-01\nfail_on = [\"error\", \"warning\"]\n",
        ),
    ]);
    let out = cli(d.path())
        .args(["check", "--format", "json", "clean.txt"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["rule"] == "past-due"),
        "{v}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn baseline_reports_only_new_gaps_when_rows_move() {
    let d = draft_dir(&[("draft.txt", DRAFT)]);
    let out = cli(d.path())
        .args(["--format", "json", "-o", "baseline.json", "draft.txt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(d.path().join("draft.txt"), DRAFT_MOVED).unwrap();
    let out = cli(d.path())
        .args([
            "check",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            "draft.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let gaps = v["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:#?}");
    assert_eq!(gaps[0]["rule"], "missing-lead");
    assert_eq!(gaps[0]["action_id"], "p1-r1");
    // Nothing new: passes.
    let out = cli(d.path())
        .args(["--format", "json", "-o", "baseline.json", "draft.txt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = cli(d.path())
        .args(["check", "--baseline", "baseline.json", "draft.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // A broken baseline is a usage error.
    std::fs::write(d.path().join("bad.json"), "{\"x\": 1}").unwrap();
    let out = cli(d.path())
        .args(["check", "--baseline", "bad.json", "draft.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Issue 16: CI that locates, and valid files when every input fails.

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn item5_every_sarif_result_has_a_start_line() {
    let validator = sarif_validator();
    for file in [
        "fixtures/office/plan.docx",
        "fixtures/office/plan.xlsx",
        "fixtures/pdf/001.pdf",
        "fixtures/layouts/pipe.md",
    ] {
        let out = cli(&root())
            .args(["check", "--no-config", "--format", "sarif", file])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(validator.is_valid(&v), "{file}");
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{file}");
        for r in results {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            let line = region["startLine"].as_u64();
            assert!(line.is_some_and(|l| l >= 1), "{file}: {r}");
            // Without a text line, the message and the properties say where.
            if file.ends_with(".pdf") && r["ruleId"] != "no-action-plan" {
                assert!(region["properties"]["page"].as_u64().is_some(), "{r}");
                assert!(
                    r["message"]["text"].as_str().unwrap().contains("page "),
                    "{r}"
                );
            }
            if file.ends_with(".xlsx") && r["ruleId"] != "no-action-plan" {
                assert!(region["properties"]["cell"].is_string(), "{r}");
                assert!(r["message"]["text"].as_str().unwrap().contains('!'), "{r}");
            }
        }
    }
}

#[test]
fn item5_github_job_summary() {
    let d = draft_dir(&[("draft.txt", DRAFT), ("clean.txt", CLEAN)]);
    let summary = d.path().join("step-summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = cli(d.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "check",
            "--format",
            "github",
            "draft.txt",
            "clean.txt",
            "gone.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("earlier step\n"), "appended, not replaced");
    assert!(md.contains("## carers-extract: 3 documents"), "{md}");
    assert!(md.contains("| `draft.txt` | ok | 3 |"), "{md}");
    assert!(md.contains("| `gone.txt` | failed: "), "{md}");
    assert!(md.contains("| `missing-lead` | error | 1 |"), "{md}");
    assert!(
        md.contains("- **error** `missing-lead` `draft.txt` (line 7)"),
        "{md}"
    );
    // Without the variable, nothing is written anywhere.
    let out = cli(d.path())
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["check", "--format", "github", "draft.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn item5_valid_files_when_every_input_fails() {
    let d = draft_dir(&[("empty.txt", "")]);
    std::fs::write(d.path().join("broken.pdf"), b"%PDF-1.4 not really").unwrap();
    // SARIF
    let out = cli(d.path())
        .args([
            "check",
            "--format",
            "sarif",
            "-o",
            "gaps.sarif",
            "broken.pdf",
            "empty.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("gaps.sarif")).unwrap())
            .unwrap();
    assert!(sarif_validator().is_valid(&v));
    let notes = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 2);
    // A single input that fails: still a file (the README workflow's upload step needs it).
    for (name, args) in [
        ("one.sarif", vec!["check", "-o", "one.sarif", "broken.pdf"]),
        ("report.html", vec!["-o", "report.html", "broken.pdf"]),
        ("junit.xml", vec!["check", "-o", "junit.xml", "broken.pdf"]),
    ] {
        let out = cli(d.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let text = std::fs::read_to_string(d.path().join(name))
            .unwrap_or_else(|_| panic!("{name} not written"));
        assert!(text.contains("broken.pdf"), "{name}");
        match name {
            "junit.xml" => {
                let doc = roxmltree::Document::parse(&text).unwrap();
                assert_eq!(doc.root_element().attribute("errors"), Some("1"));
            }
            "report.html" => assert!(text.contains("failed: ") && text.ends_with("</html>\n")),
            _ => assert!(sarif_validator().is_valid(&serde_json::from_str(&text).unwrap())),
        }
    }
    // JSON with nothing read still writes nothing (there is no report to give).
    let out = cli(d.path())
        .args(["--format", "json", "-o", "x.json", "broken.pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!d.path().join("x.json").exists());
}

#[test]
fn item8_baseline_refuses_ndjson_and_says_what_it_hid() {
    let d = draft_dir(&[("draft.txt", DRAFT)]);
    let out = cli(d.path())
        .args(["--format", "ndjson", "-o", "base.ndjson", "draft.txt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = cli(d.path())
        .args(["check", "--baseline", "base.ndjson", "draft.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("NDJSON") && err.contains("--format json"),
        "{err}"
    );
    // With a JSON baseline, every output says how many known gaps were hidden.
    cli(d.path())
        .args(["--format", "json", "-o", "base.json", "draft.txt"])
        .assert()
        .success();
    let out = cli(d.path())
        .args(["check", "--baseline", "base.json", "draft.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Gaps: 0 (0 errors, 0 warnings); 2 known gaps hidden by the baseline"),
        "{text}"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("2 known gap(s) hidden by the baseline"),
        "{err}"
    );
    let out = cli(d.path())
        .args([
            "check",
            "--format",
            "json",
            "--baseline",
            "base.json",
            "draft.txt",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["known_gaps_hidden"], 2);
}
