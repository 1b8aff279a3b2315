//! Row segmentation of text plans: long numbered plans in every text layout (tab-separated,
//! fixed-width, wrapped cells) and the fixed-width renderings of the seeds' plans that
//! `fixtures/layouts/rendered/render.py` made with LibreOffice and `pdftotext -layout`.

mod common;

use carers_extract::{extract_bytes, Options, Report};
use common::extract;

const ROWS: usize = 10_000;

fn run(name: &str, text: &str) -> Report {
    extract_bytes(name, text.as_bytes(), &Options::default()).expect("generated plan extracts")
}

/// Every row numbered 1..=ROWS, in order, with its own action, lead and deadline.
fn assert_numbered(r: &Report, wrapped: bool) {
    assert_eq!(r.actions.len(), ROWS, "one action per numbered row");
    for (k, a) in r.actions.iter().enumerate() {
        let n = k + 1;
        assert_eq!(
            a.reference.as_deref(),
            Some(n.to_string().as_str()),
            "row {n}"
        );
        let action = a.action.as_deref().unwrap_or_default();
        assert!(
            action.starts_with(&format!("Deliver support item {n} ")),
            "row {n}: {action}"
        );
        if wrapped {
            assert!(action.ends_with("in every locality."), "row {n}: {action}");
        }
        assert_eq!(a.lead.as_deref(), Some("Carers Hub"), "row {n}");
        assert_eq!(a.due.as_deref(), Some("March 2027"), "row {n}");
    }
}

#[test]
fn ten_thousand_tab_separated_rows_give_ten_thousand_actions() {
    let mut t = String::from("Carers Action Plan\n\nNo\tAction\tLead\tBy when\tEvidence\n");
    for n in 1..=ROWS {
        t.push_str(&format!(
            "{n}\tDeliver support item {n} for carers.\tCarers Hub\tMarch 2027\tReport {n}\n"
        ));
    }
    assert_numbered(&run("plan.txt", &t), false);
}

#[test]
fn ten_thousand_fixed_width_rows_with_dotted_numbers() {
    let mut t = String::from("Carers Action Plan\n\n");
    t.push_str(&format!(
        "{:<8}{:<46}{:<20}{:<14}{}\n",
        "No", "Action", "Lead", "By when", "Evidence"
    ));
    for n in 1..=ROWS {
        t.push_str(&format!(
            "{:<8}{:<46}{:<20}{:<14}{}\n",
            format!("{n}."),
            format!("Deliver support item {n} for carers."),
            "Carers Hub",
            "March 2027",
            format!("Report {n}")
        ));
    }
    assert_numbered(&run("plan.txt", &t), false);
}

#[test]
fn ten_thousand_fixed_width_rows_whose_actions_wrap() {
    // The second line of each action starts with a capital, as wrapped text often does: the
    // numbers, not the capitals, say where rows start.
    let mut t = String::from("Carers Action Plan\n\n");
    let line = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        format!("{a:<8}{b:<46}{c:<20}{d:<14}{e}")
            .trim_end()
            .to_string()
            + "\n"
    };
    t.push_str(&line("No", "Action", "Lead", "By when", "Evidence"));
    for n in 1..=ROWS {
        t.push_str(&line(
            &n.to_string(),
            &format!("Deliver support item {n} for carers"),
            "Carers Hub",
            "March 2027",
            &format!("Report {n}"),
        ));
        t.push_str(&line(
            "",
            "Across the county in every locality.",
            "",
            "",
            "",
        ));
    }
    assert_numbered(&run("plan.txt", &t), true);
}

/// Actions of a rendered plan: how many, and the leads they name.
fn rendered(name: &str) -> Report {
    extract(&format!("layouts/rendered/{name}"))
}

#[test]
fn rendered_seed_plans_keep_their_rows() {
    // Seed 003 (47 actions) and seed 001 (11 actions) printed on landscape pages; seed 003 and
    // seed 000 (96 actions) on portrait pages, where cells wrap over many lines and tables
    // run over page breaks.
    for (name, rows) in [
        ("003-landscape.txt", 47),
        ("003-portrait.txt", 47),
        ("001-landscape.txt", 11),
        ("000-portrait.txt", 96),
    ] {
        let r = rendered(name);
        assert_eq!(r.actions.len(), rows, "{name}");
        assert!(
            r.actions.iter().all(|a| a.action.is_some()),
            "{name}: every row has its action"
        );
    }
}
