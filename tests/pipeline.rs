//! Whole-pipeline tests on the shipped fixtures: layouts, gap rules, the output schema, and a
//! scorer-style accuracy test against the gold annotations of the real seed strategies.

mod common;

use std::collections::HashMap;

use common::{extract, fixture};
use serde_json::Value;

fn action<'a>(r: &'a carers_extract::Report, reference: &str) -> &'a carers_extract::Action {
    r.actions
        .iter()
        .find(|a| a.reference.as_deref() == Some(reference))
        .unwrap_or_else(|| panic!("no action {reference}"))
}

#[test]
fn markdown_pipe_table_every_action_gap() {
    let r = extract("layouts/pipe.md");
    assert_eq!(r.actions.len(), 6);
    assert_eq!(r.tables[0].columns["lead"], "Owner");
    assert_eq!(r.tables[0].columns["due"], "Deadline");
    assert_eq!(r.tables[0].columns["evidence"], "Measures of success");
    assert_eq!(r.tables[0].columns["xref"], "Links to");
    assert_eq!(
        r.actions[0].section.as_deref(),
        Some("Priority 1: Information and advice")
    );
    assert_eq!(
        r.title.as_deref(),
        Some("Draft carers action plan 2024-2027")
    );
    let gaps = |reference: &str| action(&r, reference).gaps.clone();
    assert!(gaps("1.1").is_empty());
    assert_eq!(gaps("1.2"), ["vague-lead", "vague-due"]);
    assert_eq!(gaps("1.3"), ["missing-lead", "vague-due", "placeholder"]);
    assert_eq!(gaps("1.4"), ["missing-action"]);
    assert_eq!(gaps("1.5"), ["vague-due", "duplicate-action"]);
    assert_eq!(gaps("1.6"), ["missing-evidence"]);
    let a = action(&r, "1.6");
    assert_eq!(a.leads, ["ICB", "Adult Social Care"]);
    assert_eq!(a.xrefs, ["Health", "Breaks"]);
    assert_eq!(a.due_date.as_deref(), Some("2025-12-31"));
    // Every gap message says where the action is.
    assert!(
        r.gaps.iter().all(|g| g.message.starts_with("line ")),
        "{:?}",
        r.gaps
    );
}

#[test]
fn past_due_only_with_as_of() {
    let opts = carers_extract::Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2025, 6, 1),
        ..Default::default()
    };
    let r = carers_extract::extract_path(&fixture("layouts/pipe.md"), &opts).unwrap();
    assert!(action(&r, "1.1").gaps.contains(&"past-due".to_string()));
    assert!(action(&r, "1.4").gaps.contains(&"past-due".to_string()));
    assert!(!action(&r, "1.6").gaps.contains(&"past-due".to_string()));
    assert!(extract("layouts/pipe.md")
        .gaps
        .iter()
        .all(|g| g.rule != "past-due"));
}

#[test]
fn rules_can_be_turned_off_or_changed() {
    let mut opts = carers_extract::Options::default();
    opts.rules
        .insert("vague-due".into(), carers_extract::RuleLevel::Off);
    opts.rules.insert(
        "missing-evidence".into(),
        carers_extract::RuleLevel::On(carers_extract::Severity::Error),
    );
    let r = carers_extract::extract_path(&fixture("layouts/pipe.md"), &opts).unwrap();
    assert!(r.gaps.iter().all(|g| g.rule != "vague-due"));
    let ev = r
        .gaps
        .iter()
        .find(|g| g.rule == "missing-evidence")
        .unwrap();
    assert_eq!(ev.severity, carers_extract::Severity::Error);
}

#[test]
fn fixed_width_columns_with_wrapped_cells() {
    let r = extract("layouts/fixed-width.txt");
    assert_eq!(r.actions.len(), 2);
    assert_eq!(
        r.actions[0].action.as_deref(),
        Some("Set up a carers forum with carers from every ward")
    );
    assert_eq!(
        r.actions[0].evidence.as_deref(),
        Some("Forum meets quarterly")
    );
    assert_eq!(r.actions[1].lead.as_deref(), Some("Children's Services"));
    assert_eq!(r.actions[1].due_date.as_deref(), Some("2026-03-31"));
}

#[test]
fn empty_section_is_reported() {
    let r = extract("layouts/empty-section.txt");
    assert_eq!(r.tables.len(), 2);
    let g: Vec<_> = r
        .gaps
        .iter()
        .filter(|g| g.rule == "empty-section")
        .collect();
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].table, Some(1));
    assert_eq!(r.tables[0].section.as_deref(), Some("Young Carers"));
    assert_eq!(r.actions.len(), 1);
}

#[test]
fn encodings_decode_to_the_same_actions() {
    let a = extract("layouts/win1252.txt");
    let b = extract("layouts/utf16.txt");
    assert_eq!(
        a.actions[0].action.as_deref(),
        Some("Set up a \u{201c}carers\u{2019} card\u{201d} worth \u{a3}10")
    );
    let key = |r: &carers_extract::Report| {
        r.actions
            .iter()
            .map(|a| (a.action.clone(), a.lead.clone(), a.due_date.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&a), key(&b));
    assert_eq!(a.actions[1].due_date.as_deref(), Some("2026-03-31"));
}

#[test]
fn tab_tables_with_wrapped_rows_and_sections() {
    let r = extract("seeds/000_c3bf71b126cbf595.txt");
    // Row 16 of "Personalised Support" wraps over five lines; its cells are joined column by column.
    let a = r
        .actions
        .iter()
        .find(|a| {
            a.action
                .as_deref()
                .is_some_and(|t| t.starts_with("Adults and Children's Services"))
        })
        .unwrap();
    assert_eq!(a.lead.as_deref(), Some("HHAS/ Children's Services"));
    assert_eq!(
        a.xrefs,
        [
            "Young Carers??",
            "Information and Advice",
            "Recognising and Valuing Carers",
            "Emotional Support",
            "Parent Carers"
        ]
    );
    assert!(a.gaps.contains(&"placeholder".to_string()));
    assert_eq!(a.section.as_deref(), Some("Personalised Support"));
    assert_eq!(a.source.line, Some(329));
    // "Outcome: ..." before the BME plan names its theme through the document's outcome list.
    assert_eq!(
        r.tables.last().unwrap().section.as_deref(),
        Some("BME Groups")
    );
    // A header with no rows.
    assert!(r
        .gaps
        .iter()
        .any(|g| g.rule == "empty-section" && g.message.contains("Young Carers")));
    // Section rows that name the outcome of the next table.
    assert!(r
        .tables
        .iter()
        .any(|t| t.section.as_deref() == Some("Parent Carers")));
}

#[test]
fn word_tables_printed_one_cell_per_line() {
    let r = extract("seeds/001_ee69fd1c9acfa693.txt");
    assert_eq!(
        r.tables.len(),
        1,
        "the performance-targets and achievements tables are not plans"
    );
    assert_eq!(r.actions.len(), 11);
    let first = &r.actions[0];
    assert_eq!(first.section.as_deref(), Some("Having a Break"));
    assert_eq!(first.action_items.len(), 3);
    assert_eq!(first.leads.len(), 4);
    assert!(first
        .objective
        .as_deref()
        .unwrap()
        .starts_with("To extend the range"));
    assert_eq!(
        r.actions[1].section.as_deref(),
        Some("Having a Break"),
        "Cont'd rows keep their section"
    );
    assert!(r.gaps.iter().any(|g| g.rule == "no-due-column"));
}

#[test]
fn prose_action_lists_under_theme_headings() {
    let r = extract("seeds/003_d444ba2963d45661.txt");
    assert_eq!(r.tables.len(), 10);
    assert!(r
        .tables
        .iter()
        .all(|t| t.kind == carers_extract::report::PlanKind::Prose));
    assert_eq!(r.actions.len(), 47);
    assert_eq!(
        r.actions[0].section.as_deref(),
        Some("Action theme 1 – information")
    );
    assert!(r
        .actions
        .iter()
        .all(|a| a.lead.is_none() && a.gaps.contains(&"missing-lead".to_string())));
}

/// Token F1 as in the shared scorer.
fn f1(a: &str, b: &str) -> f64 {
    let tok = |s: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (ta, tb) = (tok(a), tok(b));
    if ta.is_empty() && tb.is_empty() {
        return 1.0;
    }
    let mut counts: HashMap<&str, i32> = HashMap::new();
    for t in &ta {
        *counts.entry(t).or_default() += 1;
    }
    let mut common = 0;
    for t in &tb {
        if let Some(c) = counts.get_mut(t.as_str()) {
            if *c > 0 {
                *c -= 1;
                common += 1;
            }
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

#[test]
fn accuracy_against_gold_annotations() {
    for seed in [
        "000_c3bf71b126cbf595",
        "001_ee69fd1c9acfa693",
        "003_d444ba2963d45661",
    ] {
        let gold: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(&format!("seeds/gold/{seed}.json"))).unwrap(),
        )
        .unwrap();
        let gold = gold["actions"].as_array().unwrap();
        let r = extract(&format!("seeds/{seed}.txt"));
        let key = |g: &Value| {
            g["action"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!(
                        "{} {}",
                        g["objective"].as_str().unwrap_or(""),
                        g["evidence"].as_str().unwrap_or("")
                    )
                })
        };
        let pkey = |a: &carers_extract::Action| {
            a.action.clone().unwrap_or_else(|| {
                format!(
                    "{} {}",
                    a.objective.clone().unwrap_or_default(),
                    a.evidence.clone().unwrap_or_default()
                )
            })
        };
        let mut pairs = Vec::new();
        for (i, g) in gold.iter().enumerate() {
            for (j, a) in r.actions.iter().enumerate() {
                let s = f1(&key(g), &pkey(a));
                if s >= 0.5 {
                    pairs.push((s, i, j));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (mut gi, mut pj, mut matched) = (
            vec![false; gold.len()],
            vec![false; r.actions.len()],
            Vec::new(),
        );
        for (_, i, j) in pairs {
            if !gi[i] && !pj[j] {
                gi[i] = true;
                pj[j] = true;
                matched.push((i, j));
            }
        }
        let recall = matched.len() as f64 / gold.len() as f64;
        let precision = matched.len() as f64 / r.actions.len() as f64;
        assert!(
            recall >= 0.95 && precision >= 0.95,
            "{seed}: recall {recall} precision {precision}"
        );
        for field in ["lead", "due", "evidence"] {
            let ok = matched
                .iter()
                .filter(|(i, j)| {
                    let g = gold[*i][field].as_str().unwrap_or("");
                    let a = &r.actions[*j];
                    let p = match field {
                        "lead" => a.lead.clone(),
                        "due" => a.due.clone(),
                        _ => a.evidence.clone(),
                    }
                    .unwrap_or_default();
                    (g.is_empty() && p.is_empty())
                        || (!g.is_empty() && !p.is_empty() && f1(g, &p) >= 0.8)
                })
                .count();
            let acc = ok as f64 / matched.len() as f64;
            assert!(acc >= 0.95, "{seed}: {field} accuracy {acc}");
        }
    }
}

#[test]
fn every_fixture_validates_against_the_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("../schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut checked = 0;
    for dir in ["seeds", "layouts"] {
        for entry in std::fs::read_dir(fixture(dir)).unwrap() {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "txt" | "md") || path.file_name().is_some_and(|n| n == "README.md") {
                continue;
            }
            let opts = carers_extract::Options {
                as_of: chrono::NaiveDate::from_ymd_opt(2010, 1, 1),
                ..Default::default()
            };
            let report = carers_extract::extract_path(&path, &opts).unwrap();
            let json = serde_json::to_value(&report).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| format!("{} at {}", e, e.instance_path))
                .take(5)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 8);
}
