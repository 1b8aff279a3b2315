//! Column meaning from header and content together, on whole files in every format.
//!
//! Every table here is invented. Each layout is written as text (tab-separated), Markdown, HTML,
//! CSV, XLSX and DOCX from the same rows, and must read the same way in each.

mod common;

use carers_extract::{extract_bytes, extract_path, Options, Report};

type Table = Vec<Vec<&'static str>>;

fn tsv(rows: &Table) -> String {
    let mut s = String::from("Ashby Vale Council - Delivery Plan\n\n");
    for r in rows {
        s.push_str(&r.join("\t"));
        s.push('\n');
    }
    s
}

fn markdown(rows: &Table) -> String {
    let mut s = String::from("# Delivery plan\n\n");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(&format!("| {} |\n", r.join(" | ")));
        if i == 0 {
            s.push_str(&format!("|{}\n", "---|".repeat(r.len())));
        }
    }
    s
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html(rows: &Table) -> String {
    let mut s = String::from("<html><body><h1>Delivery plan</h1><table>");
    for (i, r) in rows.iter().enumerate() {
        s.push_str("<tr>");
        for c in r {
            let tag = if i == 0 { "th" } else { "td" };
            s.push_str(&format!("<{tag}>{}</{tag}>", esc(c)));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table></body></html>");
    s
}

fn csv(rows: &Table) -> String {
    let mut s = String::new();
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        s.push_str(&cells.join(","));
        s.push('\n');
    }
    s
}

fn xlsx(rows: &Table, path: &std::path::Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Delivery plan").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 2, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn docx(rows: &Table, path: &std::path::Path) {
    let mut body = String::from(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Delivery plan</w:t></w:r></w:p><w:tbl>"#,
    );
    for r in rows {
        body.push_str("<w:tr>");
        for c in r {
            body.push_str(&format!(
                "<w:tc><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:tc>",
                esc(c)
            ));
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    common::write_docx(path, &body);
}

/// The same table in every format: (format name, report).
fn every_format(rows: &Table) -> Vec<(&'static str, Report)> {
    let opts = Options::default();
    let dir = tempfile::tempdir().unwrap();
    let mut out = vec![
        (
            "txt",
            extract_bytes("plan.txt", tsv(rows).as_bytes(), &opts).unwrap(),
        ),
        (
            "md",
            extract_bytes("plan.md", markdown(rows).as_bytes(), &opts).unwrap(),
        ),
        (
            "html",
            extract_bytes("plan.html", html(rows).as_bytes(), &opts).unwrap(),
        ),
        (
            "csv",
            extract_bytes("plan.csv", csv(rows).as_bytes(), &opts).unwrap(),
        ),
    ];
    let x = dir.path().join("plan.xlsx");
    xlsx(rows, &x);
    out.push(("xlsx", extract_path(&x, &opts).unwrap()));
    let d = dir.path().join("plan.docx");
    docx(rows, &d);
    out.push(("docx", extract_path(&d, &opts).unwrap()));
    out
}

/// (header, field) of every mapping of the report's first plan.
fn mapping(r: &Report) -> Vec<(String, Option<String>)> {
    r.tables[0]
        .mappings
        .iter()
        .map(|m| (m.header.clone(), m.field.clone()))
        .collect()
}

fn field_of(r: &Report, header: &str) -> Option<String> {
    r.tables[0]
        .mappings
        .iter()
        .find(|m| m.header == header)
        .and_then(|m| m.field.clone())
}

#[test]
fn unknown_action_header_and_outcome_codes() {
    let rows: Table = vec![
        vec![
            "What we have committed to",
            "Led by",
            "Timescale",
            "Measure",
            "Shared Outcome",
        ],
        vec![
            "Open a carers corner in every library branch",
            "Library Services",
            "Mar 2026",
            "Number of carers using the corners",
            "SO1",
        ],
        vec![
            "Ensure every GP practice keeps a carers register",
            "Primary Care Network",
            "Sept 2026",
            "Registers in place in 30 practices",
            "SO1, SO2",
        ],
        vec![
            "Deliver carer awareness training to front-line housing staff",
            "Housing Options Team",
            "Q3 2026/27",
            "At least 80% of staff trained",
            "SO2, SO4",
        ],
    ];
    for (fmt, r) in every_format(&rows) {
        assert_eq!(r.actions.len(), 3, "{fmt}");
        assert_eq!(
            field_of(&r, "What we have committed to").as_deref(),
            Some("action"),
            "{fmt}"
        );
        assert_eq!(
            field_of(&r, "Shared Outcome").as_deref(),
            Some("xref"),
            "{fmt}"
        );
        assert_eq!(
            field_of(&r, "Measure").as_deref(),
            Some("evidence"),
            "{fmt}"
        );
        let a = &r.actions[1];
        assert_eq!(
            a.action.as_deref(),
            Some("Ensure every GP practice keeps a carers register"),
            "{fmt}"
        );
        assert_eq!(a.xref.as_deref(), Some("SO1, SO2"), "{fmt}");
        assert_eq!(a.lead.as_deref(), Some("Primary Care Network"), "{fmt}");
        // The evidence behind the mapping is reported.
        let m = &r.tables[0].mappings[0];
        assert!(
            m.content_score > 0.5 && m.reason.contains("content"),
            "{fmt}: {m:?}"
        );
        assert!(
            r.tables[0].reason.contains("What we have committed to"),
            "{fmt}"
        );
    }
}

#[test]
fn what_how_who_when_has_evidence() {
    let rows: Table = vec![
        vec!["What", "How", "Who", "When"],
        vec![
            "Set up a monthly carers drop-in at the town library.",
            "Count attendance each month; at least 30 carers to have attended by March.",
            "Library Services",
            "March 2026",
        ],
        vec![
            "Offer a free health check to every registered carer.",
            "Uptake reported every quarter; 500 checks completed.",
            "Primary Care Network",
            "June 2026",
        ],
    ];
    for (fmt, r) in every_format(&rows) {
        assert_eq!(
            mapping(&r).into_iter().map(|(_, f)| f).collect::<Vec<_>>(),
            ["action", "evidence", "lead", "due"].map(|s| Some(s.to_string())),
            "{fmt}"
        );
        assert!(
            r.gaps.iter().all(|g| g.rule != "missing-evidence"),
            "{fmt}: {:?}",
            r.gaps
        );
    }
}

#[test]
fn shuffled_columns_and_code_style_headers() {
    let rows: Table = vec![
        vec![
            "target_qtr",
            "owner_team",
            "action_title",
            "action_id",
            "kpi",
        ],
        vec![
            "Q3 2025/26",
            "Comms",
            "Launch the carers card",
            "101",
            "Cards issued",
        ],
        vec![
            "Q4 2025/26",
            "Primary Care",
            "Train GP receptionists",
            "102",
            "200 staff trained",
        ],
        vec![
            "Q1 2026/27",
            "Adult Social Care",
            "Review carers assessments",
            "103",
            "Audit report",
        ],
    ];
    for (fmt, r) in every_format(&rows) {
        assert_eq!(r.actions.len(), 3, "{fmt}");
        assert_eq!(field_of(&r, "target_qtr").as_deref(), Some("due"), "{fmt}");
        assert_eq!(field_of(&r, "owner_team").as_deref(), Some("lead"), "{fmt}");
        assert_eq!(
            field_of(&r, "action_title").as_deref(),
            Some("action"),
            "{fmt}"
        );
        assert_eq!(field_of(&r, "kpi").as_deref(), Some("evidence"), "{fmt}");
        assert_eq!(
            r.actions[2].action.as_deref(),
            Some("Review carers assessments")
        );
    }
}

#[test]
fn misleading_header_loses_to_content() {
    // "Action" heads a column of codes; the actions sit under "Detail".
    let rows: Table = vec![
        vec!["Action", "Detail", "Owner", "Deadline"],
        vec![
            "A1",
            "Publish a directory of sitting services for carers",
            "Carers Hub",
            "March 2026",
        ],
        vec![
            "A2",
            "Sign up ten employers to a carer-friendly pledge",
            "Economic Development",
            "June 2026",
        ],
        vec![
            "A3",
            "Offer every carer a free emergency card",
            "Carers Hub",
            "2027",
        ],
    ];
    for (fmt, r) in every_format(&rows) {
        assert_eq!(field_of(&r, "Detail").as_deref(), Some("action"), "{fmt}");
        assert_ne!(field_of(&r, "Action").as_deref(), Some("action"), "{fmt}");
        assert_eq!(
            r.actions[0].action.as_deref(),
            Some("Publish a directory of sitting services for carers")
        );
    }
}

#[test]
fn unknown_headers_mapped_by_content() {
    let rows: Table = vec![
        vec!["Column A", "Column B", "Column C"],
        vec![
            "Recruit ten volunteer befrienders for isolated carers",
            "Volunteer Centre",
            "31/03/2026",
        ],
        vec![
            "Map every carers support group in the district",
            "Community Wellbeing Team",
            "30/06/2026",
        ],
        vec![
            "Run two awareness sessions for pharmacy staff",
            "Pharmacy Network",
            "Ongoing",
        ],
    ];
    for (fmt, r) in every_format(&rows) {
        assert_eq!(r.actions.len(), 3, "{fmt}: {:?}", r.tables);
        assert_eq!(
            mapping(&r).into_iter().map(|(_, f)| f).collect::<Vec<_>>(),
            ["action", "lead", "due"].map(|s| Some(s.to_string())),
            "{fmt}"
        );
    }
}

fn no_plan(rows: &Table) {
    for (fmt, r) in every_format(rows) {
        assert!(
            r.actions.is_empty(),
            "{fmt}: {:?} {:?}",
            r.tables,
            r.actions.first()
        );
    }
}

#[test]
fn people_tables_are_not_plans() {
    no_plan(&vec![
        vec!["Name", "Role", "Team", "Task owner"],
        vec!["Jo Hart", "Carers Lead", "Adult Social Care", "Sam Osei"],
        vec!["Priya Nair", "Commissioner", "Commissioning", "Amir Khan"],
        vec!["Ravi Shah", "GP Liaison", "Primary Care", "Mel Burns"],
    ]);
}

#[test]
fn statistics_indicators_and_budgets_are_not_plans() {
    no_plan(&vec![
        vec!["Age group", "Number of carers", "% of population", "Target"],
        vec!["18-24", "1,200", "4.5%", "1,400"],
        vec!["25-64", "21,400", "11.2%", "23,000"],
        vec!["65+", "9,800", "14.0%", "10,500"],
    ]);
    no_plan(&vec![
        vec!["Indicator", "Baseline", "Target", "Timescale"],
        vec![
            "Carers reporting a good quality of life",
            "38%",
            "45%",
            "2027",
        ],
        vec!["Carers assessments completed", "1,250", "1,600", "2026"],
    ]);
    no_plan(&vec![
        vec!["Project", "Budget", "Spend to date", "Lead"],
        vec!["Carers hub", "£120,000", "£80,000", "ASC"],
        vec!["Breaks fund", "£50,000", "£20,000", "ASC"],
    ]);
}

#[test]
fn data_table_with_header_words_in_a_middle_row_is_not_a_plan() {
    let mut rows: Table = vec![vec!["Ward", "Households", "Carers", "Share"]];
    for i in 0..1000 {
        if i == 127 {
            rows.push(vec!["Task", "Owner", "Deadline", "Measure"]);
        } else {
            rows.push(vec!["Northfield", "1,204", "310", "25.7%"]);
        }
    }
    no_plan(&rows);
}

#[test]
fn running_text_over_three_columns_is_not_a_header() {
    let text = "Delivery\n\n\
        The partnership reviewed\tthe applicable actions identified as\tpriorities last year\n\
        and agreed that\tthe measures of success\twill be reported\n\
        to the board by\tthe lead officers\teach quarter\n";
    let r = extract_bytes("page.txt", text.as_bytes(), &Options::default()).unwrap();
    assert!(r.actions.is_empty(), "{:?}", r.tables);
}
