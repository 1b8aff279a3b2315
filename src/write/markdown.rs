//! Markdown: a summary, the actions as a pipe table and the gap list, for wikis and PRs.

use std::fmt::Write;

use crate::report::Report;

fn cell(s: Option<&str>) -> String {
    s.unwrap_or("").replace('|', "\\|").replace('\n', "<br>")
}

/// Render one report as Markdown.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {}\n",
        cell(r.title.as_deref().or(Some(&r.source.path)))
    );
    let _ = writeln!(
        s,
        "Source: `{}` ({}). {} actions in {} plans; {} with a lead, {} with a deadline, {} with evidence.\n",
        r.source.path, r.source.format, r.summary.actions, r.summary.tables, r.summary.with_lead, r.summary.with_due, r.summary.with_evidence
    );
    let _ = writeln!(
        s,
        "| id | section | ref | action | lead | due | evidence | gaps | where |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
    for a in &r.actions {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            a.id,
            cell(a.section.as_deref()),
            cell(a.reference.as_deref()),
            cell(a.action.as_deref()),
            cell(a.lead.as_deref()),
            cell(a.due.as_deref()),
            cell(a.evidence.as_deref()),
            a.gaps.join(", "),
            a.source.describe()
        );
    }
    let _ = writeln!(s, "\n## Gaps\n");
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
