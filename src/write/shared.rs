//! Pieces shared by the HTML, XLSX, SARIF, GitHub and JUnit writers: failed inputs of a batch,
//! rule descriptions, which field of an action a rule is about, and per-section completeness.

use std::collections::BTreeMap;

use crate::report::{Action, Gap, Report, Severity};

/// Short description and help text for a gap rule id (from [`crate::gaps::RULES`]).
pub fn rule_doc(id: &str) -> (&'static str, &'static str) {
    match crate::gaps::rule(id) {
        Some(r) => (r.summary.trim_end_matches('.'), r.help),
        None => ("Gap in the action plan", "See the message for details."),
    }
}

/// The action field a rule is about, used to highlight the right cell (`None`: the whole row).
pub fn rule_field(rule: &str) -> Option<&'static str> {
    match rule {
        "missing-action" | "duplicate-action" => Some("action"),
        "missing-lead" | "vague-lead" => Some("lead"),
        "missing-due" | "vague-due" | "past-due" | "due-outside-period" => Some("due"),
        "missing-evidence" => Some("evidence"),
        _ => None,
    }
}

/// Gaps of a report by the id of the action they concern, built in one pass (looking them up
/// per action is quadratic: minutes on a 100k-action report).
pub fn gaps_by_action(report: &Report) -> std::collections::HashMap<&str, Vec<&Gap>> {
    let mut m: std::collections::HashMap<&str, Vec<&Gap>> = std::collections::HashMap::new();
    for g in &report.gaps {
        if let Some(id) = g.action_id.as_deref() {
            m.entry(id).or_default().push(g);
        }
    }
    m
}

/// Actions of a report by id.
pub fn actions_by_id(report: &Report) -> std::collections::HashMap<&str, &Action> {
    report.actions.iter().map(|a| (a.id.as_str(), a)).collect()
}

/// Gaps of a report that concern the given action.
pub fn gaps_of<'a>(report: &'a Report, action: &Action) -> Vec<&'a Gap> {
    report
        .gaps
        .iter()
        .filter(|g| g.action_id.as_deref() == Some(action.id.as_str()))
        .collect()
}

pub use crate::report::Completeness;

/// Completeness of a whole report.
pub fn completeness(report: &Report) -> Completeness {
    report.completeness()
}

/// Completeness per section, in order of first appearance. Actions without a section are
/// grouped under "(no section)".
pub fn completeness_by_section(report: &Report) -> Vec<(String, Completeness)> {
    let mut order: Vec<String> = Vec::new();
    let mut map: BTreeMap<String, Completeness> = BTreeMap::new();
    for a in &report.actions {
        let name = section_name(a);
        if !map.contains_key(&name) {
            order.push(name.clone());
        }
        map.entry(name).or_default().add(a);
    }
    order
        .into_iter()
        .map(|n| {
            let c = map.remove(&n).unwrap_or_default();
            (n, c)
        })
        .collect()
}

/// The section an action is grouped under.
pub fn section_name(a: &Action) -> String {
    match a.section.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => "(no section)".to_string(),
    }
}

/// Count gaps of a report by severity: (errors, warnings, infos).
pub fn severity_counts(report: &Report) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for g in &report.gaps {
        match g.severity {
            Severity::Error => c.0 += 1,
            Severity::Warning => c.1 += 1,
            Severity::Info => c.2 += 1,
        }
    }
    c
}

/// Hand-built reports for writer unit tests.
#[cfg(test)]
pub(crate) mod sample {
    use std::collections::BTreeMap;

    use crate::document::Source;
    use crate::report::*;

    fn action(id: &str, table: u32, row: u32, section: &str, text: Option<&str>) -> Action {
        Action {
            id: id.to_string(),
            table,
            row,
            reference: Some(row.to_string()),
            section: Some(section.to_string()),
            objective: None,
            action: text.map(str::to_string),
            action_items: text.map(|t| vec![t.to_string()]).unwrap_or_default(),
            lead: None,
            leads: vec![],
            due: None,
            due_kind: None,
            due_date: None,
            due_precision: None,
            evidence: None,
            xref: None,
            xrefs: vec![],
            status: None,
            extra: BTreeMap::new(),
            source: Source {
                line: Some(10 + row),
                table: Some(table),
                row: Some(row),
                ..Source::default()
            },
            gaps: vec![],
        }
    }

    fn gap(rule: &str, sev: Severity, a: Option<&Action>, table: Option<u32>, msg: &str) -> Gap {
        Gap {
            rule: rule.to_string(),
            severity: sev,
            action_id: a.map(|a| a.id.clone()),
            table,
            message: msg.to_string(),
            source: a
                .map(|a| a.source.clone())
                .unwrap_or_else(|| Source::line(5)),
        }
    }

    /// A small report with hostile text, a dated and an undated action, and several gaps.
    pub fn report(path: &str) -> Report {
        let mut a1 = action(
            "p1-r1",
            1,
            1,
            "Theme 1: Information & advice",
            Some(
                "Publish a <b>carers'</b> guide & \"directory\" </script><script>alert(1)</script>",
            ),
        );
        a1.lead = Some("Carers Centre".into());
        a1.leads = vec!["Carers Centre".into()];
        a1.due = Some("31 October 2008".into());
        a1.due_kind = Some(DueKind::Date);
        a1.due_date = Some("2008-10-31".into());
        a1.due_precision = Some(DuePrecision::Day);
        a1.evidence = Some("Guide published".into());
        a1.xref = Some("O1, O2".into());
        a1.xrefs = vec!["O1".into(), "O2".into()];
        let mut a2 = action(
            "p1-r2",
            1,
            2,
            "Theme 1: Information & advice",
            Some("Review respite provision\nacross the county, TBC"),
        );
        a2.lead = Some("All partners".into());
        a2.leads = vec!["All partners".into()];
        a2.due = Some("When funding allows".into());
        a2.due_kind = Some(DueKind::Unspecified);
        a2.gaps = vec![
            "vague-lead".into(),
            "vague-due".into(),
            "missing-evidence".into(),
            "placeholder".into(),
        ];
        let mut a3 = action("p2-r1", 2, 1, "Theme 2: Breaks", None);
        a3.source = Source {
            page: Some(4),
            sheet: Some("Action Plan".into()),
            cell: Some("C7".into()),
            table: Some(2),
            row: Some(1),
            ..Source::default()
        };
        a3.gaps = vec!["missing-action".into(), "missing-lead".into()];
        let gaps = vec![
            gap(
                "vague-lead",
                Severity::Warning,
                Some(&a2),
                Some(1),
                "Lead \"All partners\" names no one (row 2)",
            ),
            gap(
                "vague-due",
                Severity::Warning,
                Some(&a2),
                Some(1),
                "Deadline \"When funding allows\" names no date",
            ),
            gap(
                "missing-evidence",
                Severity::Info,
                Some(&a2),
                Some(1),
                "No evidence for row 2",
            ),
            gap(
                "placeholder",
                Severity::Error,
                Some(&a2),
                Some(1),
                "Placeholder \"TBC\" in row 2\nsecond line: 100% done, a:b",
            ),
            gap(
                "missing-action",
                Severity::Error,
                Some(&a3),
                Some(2),
                "Row 1 of plan 2 has no action",
            ),
            gap(
                "missing-lead",
                Severity::Error,
                Some(&a3),
                Some(2),
                "Row 1 of plan 2 has no lead",
            ),
            gap(
                "no-due-column",
                Severity::Warning,
                None,
                Some(2),
                "Plan 2 has no deadline column",
            ),
        ];
        let tables = plans();
        let actions = vec![a1, a2, a3];
        Report {
            schema_version: SCHEMA_VERSION,
            source: SourceInfo {
                path: path.to_string(),
                format: "text".into(),
                sha256: "ab".repeat(32),
                pages: None,
            },
            title: Some("Carers <Strategy> 2008–2011".into()),
            tables: tables.clone(),
            summary: Summary::of(&tables, &actions, &gaps),
            actions,
            gaps,
        }
    }

    fn plans() -> Vec<PlanInfo> {
        vec![
            PlanInfo {
                index: 1,
                kind: PlanKind::Table,
                columns: BTreeMap::new(),
                mappings: vec![],
                confidence: 0.9,
                reason: "action column \"Action\" with lead, due".into(),
                section: Some("Action plan".into()),
                source: Source::line(9),
                actions: 2,
            },
            PlanInfo {
                index: 2,
                kind: PlanKind::Table,
                columns: BTreeMap::new(),
                mappings: vec![],
                confidence: 0.8,
                reason: "action column \"Action\" with lead".into(),
                section: None,
                source: Source::line(30),
                actions: 1,
            },
        ]
    }
}
