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
                message.push_str(&format!(" [{}]", g.source.describe()));
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
