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
        let (number, action) = (
            format!("{n}."),
            format!("Deliver support item {n} for carers."),
        );
        t.push_str(&format!(
            "{number:<8}{action:<46}{:<20}{:<14}Report {n}\n",
            "Carers Hub", "March 2027"
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
    // The three seeds' plans (003: 47 actions, 001: 11, 000: 96) printed on landscape and on
    // portrait pages, where cells wrap over many lines, tables run over page breaks, headers
    // take two lines and repeat on every page, and one table follows another under a heading.
    // Seed 001 has one row whose action cell is empty ("As above" in the other cells).
    for (name, rows, without_action) in [
        ("003-landscape.txt", 47, 0),
        ("003-portrait.txt", 47, 0),
        ("001-landscape.txt", 11, 1),
        ("001-portrait.txt", 11, 1),
        ("000-landscape.txt", 96, 0),
        ("000-portrait.txt", 96, 0),
    ] {
        let r = rendered(name);
        assert_eq!(r.actions.len(), rows, "{name}");
        assert_eq!(
            r.actions.iter().filter(|a| a.action.is_none()).count(),
            without_action,
            "{name}: rows without an action"
        );
        // No line of a repeated header reads as a row.
        assert!(
            r.actions
                .iter()
                .all(|a| a.lead.as_deref().is_none_or(|l| !l.starts_with("Persons/"))),
            "{name}: a header line read as a row"
        );
    }
}

#[test]
fn a_two_line_header_repeated_on_every_page_is_one_header() {
    // The second header line starts with a capital in the first column; each page prints both
    // lines again, at other positions.
    let page = |w: [usize; 4], rows: &[[&str; 5]]| {
        let mut t = String::new();
        let line = |c: &[&str; 5]| {
            format!(
                "{:<a$}{:<b$}{:<c$}{:<d$}{}",
                c[0],
                c[1],
                c[2],
                c[3],
                c[4],
                a = w[0],
                b = w[1],
                c = w[2],
                d = w[3]
            )
            .trim_end()
            .to_string()
                + "\n"
        };
        t.push_str(&line(&[
            "Key",
            "Objectives",
            "Action",
            "Lead",
            "Evidence of",
        ]));
        t.push_str(&line(&["Areas", "", "", "Persons/Agencies", "Outcomes"]));
        t.push('\n');
        for r in rows {
            t.push_str(&line(r));
        }
        t
    };
    let mut text = String::from("Carers Delivery Plan\n\n");
    text.push_str(&page(
        [10, 22, 30, 22],
        &[
            [
                "Breaks",
                "More breaks",
                "Self assessments",
                "Carers workers",
                "More carers",
            ],
            ["", "for carers", "for all carers", "", "take a break"],
            ["", "", "", "", ""],
            [
                "Health",
                "Health checks",
                "Offer health checks",
                "GP practices",
                "Checks done",
            ],
        ],
    ));
    text.push('\u{c}');
    text.push_str(&page(
        [12, 20, 34, 20],
        &[
            [
                "Money",
                "Advice",
                "Benefit checks for",
                "Advice services",
                "Checks done",
            ],
            ["", "", "every carer", "", ""],
        ],
    ));
    let r = run("plan.txt", &text);
    let actions: Vec<&str> = r
        .actions
        .iter()
        .map(|a| a.action.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        actions,
        [
            "Self assessments for all carers",
            "Offer health checks",
            "Benefit checks for every carer"
        ]
    );
    assert_eq!(r.tables.len(), 1, "one plan over both pages");
    assert_eq!(r.tables[0].columns["lead"], "Lead Persons/Agencies");
    assert!(r
        .actions
        .iter()
        .all(|a| a.lead.as_deref() != Some("Persons/Agencies")));
}
