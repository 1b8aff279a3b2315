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
