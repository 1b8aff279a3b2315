//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per gap, so that
//! findings show on pull requests with no other tool.
//!
//! Escaping follows the runner's rules: in the message `%`, `\r` and `\n` become `%25`, `%0D`
//! and `%0A`; in property values `:` and `,` are escaped too (`%3A`, `%2C`).

use std::fmt::Write;

use crate::report::{Report, Severity};
use crate::write::shared::rule_doc;
use crate::write::InputError;

/// Render reports (and failed inputs) as workflow commands, one per line.
pub fn github(reports: &[Report], failures: &[InputError]) -> String {
    let mut out = String::new();
    for f in failures {
        let _ = writeln!(
            out,
            "::error file={},title={}::{}",
            escape_property(&f.path),
            escape_property("carers-extract: input failed"),
            escape_data(&f.error)
        );
    }
    for r in reports {
        for g in &r.gaps {
            let command = match g.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut props = vec![format!("file={}", escape_property(&r.source.path))];
            if let Some(l) = g.source.line.filter(|&l| l > 0) {
                props.push(format!("line={l}"));
                if let Some(e) = g.source.line_end.filter(|&e| e > l) {
                    props.push(format!("endLine={e}"));
                }
            }
            let (short, _) = rule_doc(&g.rule);
            props.push(format!(
                "title={}",
                escape_property(&format!("{} ({})", short, g.rule))
            ));
            let mut message = g.message.clone();
            if g.source.line.is_none() {
                // No line to point at (PDF page, spreadsheet cell): say where in the message.
                if let Some(w) = crate::write::sarif::known_position(&g.source) {
                    message.push_str(&format!(" [{w}]"));
                }
            }
            let _ = writeln!(
                out,
                "::{command} {}::{}",
                props.join(","),
                escape_data(&message)
            );
        }
    }
    out
}

/// Most gaps listed one by one in the job summary.
const SUMMARY_GAPS: usize = 100;

fn md(s: &str) -> String {
    s.replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Markdown job summary for `$GITHUB_STEP_SUMMARY`: one row per document (status, actions,
/// completeness, errors, warnings), gap counts per rule, and the gaps themselves with their
/// location (GitHub shows only 10 annotations of each type per step, so this is where every
/// gap can be read).
pub fn step_summary(reports: &[Report], failures: &[InputError]) -> String {
    let mut o = String::new();
    let gaps: usize = reports.iter().map(|r| r.gaps.len()).sum();
    let actions: usize = reports.iter().map(|r| r.actions.len()).sum();
    let count = |sev: Severity| -> usize { reports.iter().map(|r| r.summary.gaps_of(sev)).sum() };
    let _ = writeln!(
        o,
        "## carers-extract: {} document{}, {actions} actions, {gaps} gaps ({} errors, {} warnings)\n",
        reports.len() + failures.len(),
        if reports.len() + failures.len() == 1 { "" } else { "s" },
        count(Severity::Error),
        count(Severity::Warning)
    );
    let hidden: usize = reports
        .iter()
        .filter_map(|r| r.summary.known_gaps_hidden)
        .sum();
    if reports
        .iter()
        .any(|r| r.summary.known_gaps_hidden.is_some())
    {
        let _ = writeln!(o, "{hidden} known gap(s) hidden by the baseline.\n");
    }
    o.push_str("| Document | Status | Actions | Named lead | Dated deadline | Evidence | Errors | Warnings |\n");
    o.push_str("|---|---|--:|--:|--:|--:|--:|--:|\n");
    for r in reports {
        let c = r.completeness();
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            md(&r.source.path),
            r.status(),
            c.actions,
            c.percent(c.named_lead),
            c.percent(c.dated_due),
            c.percent(c.evidence),
            r.summary.gaps_of(Severity::Error),
            r.summary.gaps_of(Severity::Warning)
        );
    }
    for f in failures {
        let _ = writeln!(
            o,
            "| `{}` | failed: {} | | | | | | |",
            md(&f.path),
            md(&f.error)
        );
    }
    let mut by_rule: std::collections::BTreeMap<&str, (Severity, usize)> = Default::default();
    for g in reports.iter().flat_map(|r| &r.gaps) {
        let e = by_rule.entry(&g.rule).or_insert((g.severity, 0));
        e.0 = e.0.max(g.severity);
        e.1 += 1;
    }
    if !by_rule.is_empty() {
        o.push_str(
            "\n### Gaps by rule\n\n| Rule | Severity | Gaps | What it means |\n|---|---|--:|---|\n",
        );
        let mut rows: Vec<_> = by_rule.into_iter().collect();
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        for (rule, (sev, n)) in rows {
            let _ = writeln!(
                o,
                "| `{rule}` | {} | {n} | {} |",
                sev.name(),
                md(rule_doc(rule).0)
            );
        }
        o.push_str("\n### Gaps\n\n");
        let mut shown = 0;
        for r in reports {
            for g in &r.gaps {
                if shown == SUMMARY_GAPS {
                    break;
                }
                shown += 1;
                let _ = writeln!(
                    o,
                    "- **{}** `{}` `{}` ({}): {}",
                    g.severity.name(),
                    g.rule,
                    md(&r.source.path),
                    md(&g.source.describe()),
                    md(&g.message)
                );
            }
        }
        if gaps > shown {
            let _ = writeln!(
                o,
                "\n… and {} more: run with `--format html` or `--format json` for the full list.",
                gaps - shown
            );
        }
    }
    o.push('\n');
    o
}

/// Escape the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::shared::sample;

    #[test]
    fn lines_and_escaping() {
        let r = sample::report("plans/a,b:c.txt");
        let out = github(std::slice::from_ref(&r), &[]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), r.gaps.len());
        assert!(
            lines[0].starts_with("::warning file=plans/a%2Cb%3Ac.txt,line=12,title="),
            "{}",
            lines[0]
        );
        let ph = lines.iter().find(|l| l.contains("(placeholder)")).unwrap();
        assert!(ph.starts_with("::error "));
        assert!(
            ph.ends_with("::Placeholder \"TBC\" in row 2%0Asecond line: 100%25 done, a:b"),
            "{ph}"
        );
        let notice = lines.iter().find(|l| l.starts_with("::notice ")).unwrap();
        assert!(notice.contains("missing-evidence"));
        let pdf = lines.iter().find(|l| l.contains("missing-action")).unwrap();
        assert!(!pdf.contains("line="));
        assert!(pdf.contains("[Action Plan!C7, page 4]"), "{pdf}");
    }

    #[test]
    fn failures() {
        let out = github(
            &[],
            &[InputError {
                path: "x.pdf".into(),
                error: "bad\nfile".into(),
            }],
        );
        assert_eq!(
            out,
            "::error file=x.pdf,title=carers-extract%3A input failed::bad%0Afile\n"
        );
    }
}
