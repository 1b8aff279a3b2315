//! Plans that are not one table: records (one small table or one set of "Label: value"
//! paragraphs per action) and action lists (numbered, bulleted, labelled), each written in
//! several formats from the same invented content, and lists that must not be taken.

mod common;

use carers_extract::{extract_bytes, extract_path, Options, Report};

/// A block of an invented document.
enum B {
    H(&'static str),
    P(&'static str),
    /// A list item: (marker, text); marker "" for a bullet.
    Li(&'static str, &'static str),
    T(Vec<Vec<&'static str>>),
    /// A page break.
    Page,
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn markdown(blocks: &[B]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            B::H(t) => s.push_str(&format!("## {t}\n\n")),
            B::P(t) => s.push_str(&format!("{t}\n\n")),
            B::Li("", t) => s.push_str(&format!("- {t}\n")),
            B::Li(m, t) => s.push_str(&format!("{m} {t}\n")),
            B::T(rows) => {
                // Markdown tables need a header row; records are written as label/value lines.
                for r in rows {
                    let filled: Vec<&&str> = r.iter().filter(|c| !c.is_empty()).collect();
                    s.push_str(&format!(
                        "| {} |\n",
                        filled
                            .iter()
                            .map(|c| c.to_string())
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ));
                }
                s.push('\n');
            }
            B::Page => s.push('\u{c}'),
        }
    }
    s
}

fn html(blocks: &[B]) -> String {
    let mut s = String::from("<html><body>");
    let mut in_list: Option<&str> = None;
    for b in blocks {
        let list = match b {
            B::Li("", _) => Some("ul"),
            B::Li(_, _) => Some("ol"),
            _ => None,
        };
        if in_list.is_some() && list != in_list {
            s.push_str(&format!("</{}>", in_list.unwrap_or("ul")));
            in_list = None;
        }
        if list.is_some() && in_list.is_none() {
            s.push_str(&format!("<{}>", list.unwrap_or("ul")));
            in_list = list;
        }
        match b {
            B::H(t) => s.push_str(&format!("<h2>{}</h2>", esc(t))),
            B::P(t) => s.push_str(&format!("<p>{}</p>", esc(t))),
            B::Li(_, t) => s.push_str(&format!("<li>{}</li>", esc(t))),
            B::T(rows) => {
                s.push_str("<table>");
                for r in rows {
                    s.push_str("<tr>");
                    // A first row with one filled cell spans the table.
                    let filled = r.iter().filter(|c| !c.is_empty()).count();
                    for (k, c) in r.iter().enumerate() {
                        if c.is_empty() && filled < r.len() && k > 0 {
                            continue;
                        }
                        let span = if k == 1 && filled == 2 && r.len() > 2 {
                            format!(" colspan=\"{}\"", r.len() - 1)
                        } else {
                            String::new()
                        };
                        s.push_str(&format!("<td{span}>{}</td>", esc(c)));
                    }
                    s.push_str("</tr>");
                }
                s.push_str("</table>");
            }
            B::Page => {}
        }
    }
    if let Some(l) = in_list {
        s.push_str(&format!("</{l}>"));
    }
    s.push_str("</body></html>");
    s
}

fn docx(blocks: &[B], path: &std::path::Path) {
    let para = |style: Option<&str>, t: &str| {
        let ppr = style
            .map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"))
            .unwrap_or_default();
        format!(
            "<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(t)
        )
    };
    let mut body = String::new();
    for b in blocks {
        match b {
            B::H(t) => body.push_str(&para(Some("Heading2"), t)),
            B::P(t) => body.push_str(&para(None, t)),
            B::Li("", t) => body.push_str(&para(None, &format!("\u{2022} {t}"))),
            B::Li(m, t) => body.push_str(&para(None, &format!("{m} {t}"))),
            B::T(rows) => {
                body.push_str("<w:tbl>");
                for r in rows {
                    body.push_str("<w:tr>");
                    for c in r {
                        body.push_str(&format!("<w:tc>{}</w:tc>", para(None, c)));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
            B::Page => body.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#),
        }
    }
    common::write_docx(path, &body);
}

/// The same document as HTML, DOCX and (when `md`) Markdown.
fn formats(blocks: &[B], md: bool) -> Vec<(&'static str, Report)> {
    let opts = Options::default();
    let mut out = vec![(
        "html",
        extract_bytes("plan.html", html(blocks).as_bytes(), &opts).unwrap(),
    )];
    if md {
        out.push((
            "md",
            extract_bytes("plan.md", markdown(blocks).as_bytes(), &opts).unwrap(),
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("plan.docx");
    docx(blocks, &d);
    out.push(("docx", extract_path(&d, &opts).unwrap()));
    out
}

fn card(strategy: &'static str, due: &'static str, lead: &'static str, partner: &'static str) -> B {
    B::T(vec![
        vec!["Strategy", strategy, "", ""],
        vec!["Timeline", "Impact", "Lead Agency", "Partner Agency"],
        vec![due, "Moderate", lead, partner],
    ])
}

#[test]
fn one_table_per_action_cards() {
    let blocks = vec![
        B::H("Climate action plan"),
        B::P("The strategies below were agreed by the panel in March."),
        B::T(vec![
            vec!["Goal", "Energy: Increase local renewable energy"],
            vec!["Target", "Double rooftop solar capacity by 2030"],
        ]),
        card(
            "Solar Survey - Inventory all school rooftops for solar potential",
            "Short-term",
            "Estates Department",
            "Schools",
        ),
        card(
            "Community Energy - Support a community-owned solar cooperative",
            "Medium-term",
            "Climate Team",
            "Not Applicable",
        ),
        B::T(vec![
            vec!["Goal", "Transport: Reduce car journeys in the town"],
            vec!["Target", "A fifth fewer car journeys by 2030"],
        ]),
        card(
            "Cycle Lanes - Build a protected cycle lane on the ring road",
            "Long-term",
            "Highways Authority",
            "Cycling Forum",
        ),
    ];
    for (fmt, r) in formats(&blocks, false) {
        let got: Vec<(&str, Option<&str>, Option<&str>, Option<&str>)> = r
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.as_deref().unwrap_or(""),
                    a.lead.as_deref(),
                    a.due.as_deref(),
                    a.section.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Solar Survey - Inventory all school rooftops for solar potential",
                    Some("Estates Department"),
                    Some("Short-term"),
                    Some("Energy: Increase local renewable energy")
                ),
                (
                    "Community Energy - Support a community-owned solar cooperative",
                    Some("Climate Team"),
                    Some("Medium-term"),
                    Some("Energy: Increase local renewable energy")
                ),
                (
                    "Cycle Lanes - Build a protected cycle lane on the ring road",
                    Some("Highways Authority"),
                    Some("Long-term"),
                    Some("Transport: Reduce car journeys in the town")
                ),
            ],
            "{fmt}"
        );
        // The partner agency is kept, not dropped.
        assert_eq!(
            r.actions[0].extra.get("Partner Agency").map(String::as_str),
            Some("Schools"),
            "{fmt}"
        );
        assert!(
            r.tables
                .iter()
                .all(|t| format!("{:?}", t.kind).contains("Records")),
            "{fmt}: {:?}",
            r.tables.iter().map(|t| &t.kind).collect::<Vec<_>>()
        );
    }
}

#[test]
fn label_value_paragraphs_with_a_page_break_inside_a_record() {
    let blocks = vec![
        B::H("Our commitments"),
        B::P("Action: Recruit two more carer support workers for rural areas"),
        B::P("Lead: Carers Support Service"),
        B::Page,
        B::P("Deadline: March 2027"),
        B::P("Evidence: Caseload per worker below forty"),
        B::P("Action: Publish a carers' guide to local short breaks"),
        B::P("Lead: Communications Team"),
        B::P("Deadline: June 2026"),
        B::P("Evidence: Guide downloaded by 500 carers"),
    ];
    let mut txt = String::new();
    for b in &blocks {
        match b {
            B::H(t) => txt.push_str(&format!("{t}\n\n")),
            B::P(t) => txt.push_str(&format!("{t}\n")),
            B::Page => txt.push('\u{c}'),
            _ => {}
        }
    }
    let mut all = formats(&blocks, true);
    all.push((
        "txt",
        extract_bytes("plan.txt", txt.as_bytes(), &Options::default()).unwrap(),
    ));
    for (fmt, r) in all {
        let got: Vec<(&str, Option<&str>, Option<&str>, Option<&str>)> = r
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.as_deref().unwrap_or(""),
                    a.lead.as_deref(),
                    a.due.as_deref(),
                    a.evidence.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Recruit two more carer support workers for rural areas",
                    Some("Carers Support Service"),
                    Some("March 2027"),
                    Some("Caseload per worker below forty")
                ),
                (
                    "Publish a carers' guide to local short breaks",
                    Some("Communications Team"),
                    Some("June 2026"),
                    Some("Guide downloaded by 500 carers")
                ),
            ],
            "{fmt}"
        );
    }
}

#[test]
fn numbered_and_labelled_action_lists() {
    let blocks = vec![
        B::H("What we will do"),
        B::P("Over the next three years we will:"),
        B::Li(
            "1.",
            "Expand the carers' assessment service to GP surgeries (short term)",
        ),
        B::Li("2.", "Develop a young carers' card with schools by 2027"),
        B::Li("3.", "Review respite provision with carers every year"),
        B::H("Priority 2: Health"),
        B::Li(
            "Action 2.1:",
            "Offer every carer a health check at their surgery",
        ),
        B::Li("Action 2.2:", "Train pharmacy staff to identify carers"),
    ];
    for (fmt, r) in formats(&blocks, true) {
        let got: Vec<&str> = r
            .actions
            .iter()
            .map(|a| a.action.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(
            got,
            vec![
                "Expand the carers' assessment service to GP surgeries",
                "Develop a young carers' card with schools by 2027",
                "Review respite provision with carers every year",
                "Offer every carer a health check at their surgery",
                "Train pharmacy staff to identify carers",
            ],
            "{fmt}"
        );
        // A qualifier in brackets is the deadline; so is one that ends the sentence ("by
        // 2027"), which stays in the action's words.
        assert_eq!(r.actions[0].due.as_deref(), Some("short term"), "{fmt}");
        assert_eq!(r.actions[1].due.as_deref(), Some("2027"), "{fmt}");
        assert_eq!(r.actions[2].due.as_deref(), None, "{fmt}");
    }
}

#[test]
fn list_items_that_carry_their_lead_and_deadline() {
    let blocks = vec![
        B::H("Our commitments"),
        B::Li(
            "1.",
            "Introduce a carers register in every GP practice (Lead: ICB Primary Care, by March 2026)",
        ),
        B::Li(
            "2.",
            "Train 200 frontline staff in carer awareness – Carers Centre – 2026/27",
        ),
        B::Li(
            "3.",
            "Expand the sitting service to weekends. Owner: Adult Social Care. Deadline: April 2027.",
        ),
        B::Li(
            "4.",
            "Agree a Memorandum of Understanding (MoU) with the hospital trust",
        ),
        B::Li("5.", "Introduce a Carers Emergency Plan (CEP)"),
    ];
    for (fmt, r) in formats(&blocks, true) {
        let got: Vec<(&str, Option<&str>, Option<&str>)> = r
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.as_deref().unwrap_or(""),
                    a.lead.as_deref(),
                    a.due.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Introduce a carers register in every GP practice",
                    Some("ICB Primary Care"),
                    Some("March 2026")
                ),
                (
                    "Train 200 frontline staff in carer awareness",
                    Some("Carers Centre"),
                    Some("2026/27")
                ),
                (
                    "Expand the sitting service to weekends.",
                    Some("Adult Social Care"),
                    Some("April 2027")
                ),
                (
                    "Agree a Memorandum of Understanding (MoU) with the hospital trust",
                    None,
                    None
                ),
                ("Introduce a Carers Emergency Plan (CEP)", None, None),
            ],
            "{fmt}"
        );
        // The list has a lead and a deadline column now: no plan-level gap says otherwise.
        let gaps: Vec<&str> = r.gaps.iter().map(|g| g.rule.as_str()).collect();
        assert!(!gaps.contains(&"no-lead-column"), "{fmt}: {gaps:?}");
        assert!(!gaps.contains(&"no-due-column"), "{fmt}: {gaps:?}");
    }
}

#[test]
fn a_table_whose_action_cells_carry_their_lead_and_deadline() {
    let blocks = vec![
        B::H("Carers plan"),
        B::T(vec![
            vec!["Priority", "What we will do"],
            vec![
                "Identification",
                "Introduce a carers register in every GP practice (Lead: ICB Primary Care, by March 2026)",
            ],
            vec![
                "Breaks",
                "Expand the sitting service to weekends – Adult Social Care – April 2027",
            ],
            vec![
                "Information",
                "Publish a carers guide (Owner: Communications Team; Target: June 2026)",
            ],
        ]),
    ];
    for (fmt, r) in formats(&blocks, false) {
        let got: Vec<(&str, Option<&str>, Option<&str>, Option<&str>)> = r
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.as_deref().unwrap_or(""),
                    a.lead.as_deref(),
                    a.due.as_deref(),
                    a.objective.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Introduce a carers register in every GP practice",
                    Some("ICB Primary Care"),
                    Some("March 2026"),
                    Some("Identification")
                ),
                (
                    "Expand the sitting service to weekends",
                    Some("Adult Social Care"),
                    Some("April 2027"),
                    Some("Breaks")
                ),
                (
                    "Publish a carers guide",
                    Some("Communications Team"),
                    Some("June 2026"),
                    Some("Information")
                ),
            ],
            "{fmt}"
        );
    }
}

#[test]
fn achievements_and_aims_are_not_action_lists() {
    let blocks = vec![
        B::H("What we achieved last year"),
        B::Li("", "Supported 1,200 carers through the advice line"),
        B::Li(
            "",
            "Opened two new carers' centres in the north of the county",
        ),
        B::Li("", "Trained 300 staff in carer awareness"),
        B::H("Our vision"),
        B::P("Our aims are that carers:"),
        B::Li("", "are recognised and valued for the care they give"),
        B::Li("", "have a life of their own alongside caring"),
        B::Li("", "are not financially disadvantaged"),
        B::H("Who we spoke to"),
        B::Li("1.", "Carers' Forum members"),
        B::Li("2.", "Young Carers Group"),
        B::Li("3.", "Parent Carer Council"),
    ];
    for (fmt, r) in formats(&blocks, true) {
        assert!(
            r.actions.is_empty(),
            "{fmt}: {:?}",
            r.actions.iter().map(|a| &a.action).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_summary_list_repeating_the_plan_is_not_a_second_plan() {
    let blocks = vec![
        B::H("Executive summary"),
        B::P("Top priority actions include:"),
        B::Li(
            "",
            "Solar Survey - Inventory all school rooftops for solar potential",
        ),
        B::Li(
            "",
            "Cycle Lanes - Build a protected cycle lane on the ring road",
        ),
        B::H("The plan"),
        card(
            "Solar Survey - Inventory all school rooftops for solar potential",
            "Short-term",
            "Estates Department",
            "Schools",
        ),
        card(
            "Community Energy - Support a community-owned solar cooperative",
            "Medium-term",
            "Climate Team",
            "Not Applicable",
        ),
        card(
            "Cycle Lanes - Build a protected cycle lane on the ring road",
            "Long-term",
            "Highways Authority",
            "Cycling Forum",
        ),
    ];
    for (fmt, r) in formats(&blocks, false) {
        let leads: Vec<Option<&str>> = r.actions.iter().map(|a| a.lead.as_deref()).collect();
        assert_eq!(
            leads,
            vec![
                Some("Estates Department"),
                Some("Climate Team"),
                Some("Highways Authority")
            ],
            "{fmt}"
        );
    }
}

#[test]
fn labels_on_lines_of_their_own_and_definition_lists() {
    let page = r#"<html><body><h2>Commitments</h2>
<dl><dt>Action</dt><dd>Recruit two more carer support workers for rural areas</dd>
<dt>Lead</dt><dd>Carers Support Service</dd><dt>Deadline</dt><dd>March 2027</dd></dl>
<dl><dt>Action</dt><dd>Publish a carers' guide to local short breaks</dd>
<dt>Lead</dt><dd>Communications Team</dd><dt>Deadline</dt><dd>June 2026</dd></dl>
</body></html>"#;
    let blocks = vec![
        B::H("Commitments"),
        B::P("Action"),
        B::P("Recruit two more carer support workers for rural areas"),
        B::P("Lead"),
        B::P("Carers Support Service"),
        B::P("Deadline"),
        B::P("March 2027"),
        B::P("Action"),
        B::P("Publish a carers' guide to local short breaks"),
        B::P("Lead"),
        B::P("Communications Team"),
        B::P("Deadline"),
        B::P("June 2026"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("plan.docx");
    docx(&blocks, &d);
    let opts = Options::default();
    for (fmt, r) in [
        (
            "html dl",
            extract_bytes("plan.html", page.as_bytes(), &opts).unwrap(),
        ),
        ("docx", extract_path(&d, &opts).unwrap()),
    ] {
        let got: Vec<(&str, Option<&str>, Option<&str>)> = r
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.as_deref().unwrap_or(""),
                    a.lead.as_deref(),
                    a.due.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Recruit two more carer support workers for rural areas",
                    Some("Carers Support Service"),
                    Some("March 2027")
                ),
                (
                    "Publish a carers' guide to local short breaks",
                    Some("Communications Team"),
                    Some("June 2026")
                ),
            ],
            "{fmt}"
        );
    }
}

#[test]
fn one_sheet_row_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("plan.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows = [
        [
            "Action",
            "Offer every carer a health check at their surgery",
        ],
        ["Lead", "Primary Care Board"],
        ["By when", "April 2026"],
        ["Action", "Train pharmacy staff to identify carers"],
        ["Lead", "Local Pharmacy Committee"],
        ["By when", "Autumn 2026"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&x).unwrap();
    let csv: String = rows
        .iter()
        .map(|r| format!("{},\"{}\"\n", r[0], r[1]))
        .collect();
    let opts = Options::default();
    for (fmt, r) in [
        ("xlsx", extract_path(&x, &opts).unwrap()),
        (
            "csv",
            extract_bytes("plan.csv", csv.as_bytes(), &opts).unwrap(),
        ),
    ] {
        let got: Vec<(&str, Option<&str>, Option<&str>)> = r
            .actions
            .iter()
            .map(|a| {
                (
                    a.action.as_deref().unwrap_or(""),
                    a.lead.as_deref(),
                    a.due.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Offer every carer a health check at their surgery",
                    Some("Primary Care Board"),
                    Some("April 2026")
                ),
                (
                    "Train pharmacy staff to identify carers",
                    Some("Local Pharmacy Committee"),
                    Some("Autumn 2026")
                ),
            ],
            "{fmt}"
        );
    }
}

#[test]
fn a_labelled_code_in_the_action_cell_is_the_rows_reference() {
    let page = r#"<html><body><h2>Implementation</h2><table>
<tr><th>Strategy</th><th>Action No. &amp; Description</th><th>Responsible Party</th><th>Time Frame</th></tr>
<tr><td>Strategy 1: Resilience</td><td>Action Heat-2.1: Plant shade trees along school walking routes</td><td>Parks Department</td><td>Ongoing</td></tr>
<tr><td>Strategy 1: Resilience</td><td>Action Heat-2.2: Open cooling centres in every library</td><td>Library Service</td><td>Summer 2026</td></tr>
</table></body></html>"#;
    let r = extract_bytes("plan.html", page.as_bytes(), &Options::default()).unwrap();
    let got: Vec<(Option<&str>, &str, Option<&str>)> = r
        .actions
        .iter()
        .map(|a| {
            (
                a.reference.as_deref(),
                a.action.as_deref().unwrap_or(""),
                a.lead.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("Heat-2.1"),
                "Plant shade trees along school walking routes",
                Some("Parks Department")
            ),
            (
                Some("Heat-2.2"),
                "Open cooling centres in every library",
                Some("Library Service")
            ),
        ]
    );
}
