//! Markdown: a summary, the plans with their column mapping (unmapped columns included), the
//! actions as a pipe table and the gap list, for wikis and PRs.

use std::fmt::Write;

use crate::report::{PlanKind, Report};

fn cell(s: Option<&str>) -> String {
    s.unwrap_or("").replace('|', "\\|").replace('\n', "<br>")
}

/// Render one report as Markdown.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let c = r.completeness();
    let _ = writeln!(
        s,
        "# {}\n",
        cell(r.title.as_deref().or(Some(&r.source.path)))
    );
    let _ = writeln!(
        s,
        "Source: `{}` ({}). {} actions in {} plans.\n",
        r.source.path,
        r.source.format,
        c.actions,
        r.tables.len()
    );
    if c.actions == 0 {
        let _ = writeln!(
            s,
            "**No action plan was found in this document.** See the `no-action-plan` gap below.\n"
        );
    } else {
        let _ = writeln!(
            s,
            "Named lead {} ({}/{}) · dated deadline {} ({}/{}) · evidence {} ({}/{})\n",
            c.percent(c.named_lead),
            c.named_lead,
            c.actions,
            c.percent(c.dated_due),
            c.dated_due,
            c.actions,
            c.percent(c.evidence),
            c.evidence,
            c.actions
        );
    }
    if !r.tables.is_empty() {
        let _ = writeln!(s, "## Plans\n");
        let _ = writeln!(
            s,
            "| plan | kind | section | columns | not mapped (kept as `extra`) | actions | where |"
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|---|");
        for p in &r.tables {
            let mapped: Vec<String> = p
                .mappings
                .iter()
                .filter_map(|m| {
                    m.field
                        .as_ref()
                        .map(|f| format!("{} → {f}", cell(Some(&m.header))))
                })
                .collect();
            let unmapped: Vec<String> = p
                .mappings
                .iter()
                .filter(|m| m.field.is_none() && !m.header.trim().is_empty())
                .map(|m| cell(Some(&m.header)))
                .collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                p.index,
                match p.kind {
                    PlanKind::Table => "table",
                    PlanKind::Prose => "prose list",
                    PlanKind::Records => "records",
                    PlanKind::List => "numbered list",
                },
                cell(p.section.as_deref()),
                mapped.join("; "),
                unmapped.join("; "),
                p.actions,
                p.source.describe()
            );
        }
        s.push('\n');
    }
    // Unmapped columns get their own table column so that nothing in the plan vanishes.
    let extras: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for a in &r.actions {
            for k in a.extra.keys() {
                if !v.contains(&k.as_str()) {
                    v.push(k);
                }
            }
        }
        v
    };
    if !r.actions.is_empty() {
        let _ = writeln!(s, "## Actions\n");
        let mut head = "| id | section | ref | action | lead | due | evidence |".to_string();
        let mut rule = "|---|---|---|---|---|---|---|".to_string();
        for e in &extras {
            head.push_str(&format!(" {} |", cell(Some(e))));
            rule.push_str("---|");
        }
        head.push_str(" gaps | where |");
        rule.push_str("---|---|");
        let _ = writeln!(s, "{head}\n{rule}");
        for a in &r.actions {
            let mut line = format!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                a.id,
                cell(a.section.as_deref()),
                cell(a.reference.as_deref()),
                cell(a.action.as_deref()),
                cell(a.lead.as_deref()),
                cell(a.due.as_deref()),
                cell(a.evidence.as_deref()),
            );
            for e in &extras {
                line.push_str(&format!(" {} |", cell(a.extra.get(*e).map(String::as_str))));
            }
            line.push_str(&format!(
                " {} | {} |",
                a.gaps.join(", "),
                a.source.describe()
            ));
            let _ = writeln!(s, "{line}");
        }
    }
    let _ = writeln!(s, "\n## Gaps\n");
    if let Some(h) = r.summary.known_gaps_hidden {
        let _ = writeln!(s, "{h} known gap(s) hidden by the baseline.\n");
    }
    if r.gaps.is_empty() {
        let _ = writeln!(s, "No gaps found.");
    }
    for g in &r.gaps {
        let _ = writeln!(
            s,
            "- **{}** ({}): {}",
            g.rule,
            g.severity.name(),
            cell(Some(&g.message))
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::shared::sample;

    #[test]
    fn unmapped_columns_are_shown() {
        let mut r = sample::report("a.txt");
        r.actions[0].extra.insert("How".into(), "Survey".into());
        r.tables[0].mappings.push(crate::report::ColumnMapping {
            column: 5,
            header: "How".into(),
            field: None,
            confidence: 0.0,
            header_score: 0.0,
            content_score: 0.0,
            reason: "unmapped".into(),
        });
        let md = render(&r);
        assert!(md.contains("| How |"), "{md}");
        assert!(md.contains("| Survey |"), "{md}");
        assert!(md.contains("Named lead 33% (1/3)"), "{md}");
    }
}
