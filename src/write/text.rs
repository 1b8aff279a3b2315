//! The default output: a readable summary and gap list for a person.

use std::fmt::Write;

use crate::report::{PlanKind, Report};

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * n as f64 / d as f64)
    }
}

/// Render one report as text.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let s_ = &r.summary;
    let _ = writeln!(s, "{} ({})", r.source.path, r.source.format);
    if let Some(t) = &r.title {
        let _ = writeln!(s, "Title: {t}");
    }
    let _ = writeln!(s, "{} actions in {} action plans", s_.actions, s_.tables);
    if s_.tables == 0 {
        let _ = writeln!(s, "No action-plan table or action list was found.");
        return s;
    }
    let _ = writeln!(
        s,
        "Named lead {} · deadline {} (dated {}) · evidence {}",
        pct(s_.with_lead, s_.actions),
        pct(s_.with_due, s_.actions),
        pct(s_.with_due_date, s_.actions),
        pct(s_.with_evidence, s_.actions)
    );
    let _ = writeln!(s, "\nPlans");
    for p in &r.tables {
        let acts: Vec<_> = r.actions.iter().filter(|a| a.table == p.index).collect();
        let n = acts.len();
        let kind = match p.kind {
            PlanKind::Table => "table",
            PlanKind::Prose => "list",
            PlanKind::Records => "records",
            PlanKind::List => "numbered list",
        };
        let _ =
            writeln!(
            s,
            "  {:>2}. {:<40} {kind:<5} {:>3} actions  lead {:>4}  due {:>4}  evidence {:>4}  ({})",
            p.index,
            p.section.as_deref().unwrap_or("(no section)").chars().take(40).collect::<String>(),
            n,
            pct(acts.iter().filter(|a| a.lead.is_some()).count(), n),
            pct(acts.iter().filter(|a| a.due.is_some()).count(), n),
            pct(acts.iter().filter(|a| a.evidence.is_some()).count(), n),
            p.source.describe()
        );
    }
    let errors = s_.gaps_by_severity.get("error").copied().unwrap_or(0);
    let warnings = s_.gaps_by_severity.get("warning").copied().unwrap_or(0);
    let _ = writeln!(
        s,
        "\nGaps: {} ({errors} errors, {warnings} warnings)",
        r.gaps.len()
    );
    for (rule, count) in &s_.gaps_by_rule {
        let _ = writeln!(s, "  {rule} ({count})");
        for g in r.gaps.iter().filter(|g| &g.rule == rule).take(8) {
            let _ = writeln!(s, "    {}", g.message);
        }
        if *count > 8 {
            let _ = writeln!(s, "    … and {} more (see --format json)", count - 8);
        }
    }
    s
}
