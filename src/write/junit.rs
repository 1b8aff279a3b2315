//! JUnit XML: one `<testsuite>` per document, one `<testcase>` per action, a `<failure>` for
//! each action that has gaps failing the check policy (other gaps are listed in
//! `<system-out>`). Plan-level gaps become a test case per plan; failed inputs a suite with an
//! `<error>`.

use std::fmt::Write;

use crate::config::CheckPolicy;
use crate::report::{Gap, Report};
use crate::write::InputError;

/// Render reports (and failed inputs) as JUnit XML.
pub fn junit(reports: &[Report], failures: &[InputError], policy: &CheckPolicy) -> String {
    let mut suites = String::new();
    let (mut total_tests, mut total_failures, mut total_errors) = (0usize, 0usize, 0usize);
    for r in reports {
        let mut cases = String::new();
        let (mut tests, mut fails) = (0usize, 0usize);
        let by_action = crate::write::shared::gaps_by_action(r);
        for a in &r.actions {
            let gaps: Vec<&Gap> = by_action.get(a.id.as_str()).cloned().unwrap_or_default();
            let text = a.action.as_deref().unwrap_or("(no action text)");
            let name = format!("{}: {}", a.id, truncate(&one_line(text), 100));
            let classname = format!(
                "{}.{}",
                r.source.path,
                a.section
                    .as_deref()
                    .map(one_line)
                    .unwrap_or_else(|| format!("plan {}", a.table))
            );
            tests += 1;
            if case(
                &mut cases,
                &name,
                &classname,
                &r.source.path,
                a.source.line,
                &gaps,
                policy,
            ) {
                fails += 1;
            }
        }
        // Plan- and document-level findings.
        let mut tables: Vec<Option<u32>> = r
            .gaps
            .iter()
            .filter(|g| g.action_id.is_none())
            .map(|g| g.table)
            .collect();
        tables.dedup();
        tables.sort();
        tables.dedup();
        for t in tables {
            let gaps: Vec<&Gap> = r
                .gaps
                .iter()
                .filter(|g| g.action_id.is_none() && g.table == t)
                .collect();
            let name = match t {
                Some(t) => format!("plan {t}: structure"),
                None => "document: structure".to_string(),
            };
            tests += 1;
            let line = gaps.first().and_then(|g| g.source.line);
            if case(
                &mut cases,
                &name,
                &r.source.path,
                &r.source.path,
                line,
                &gaps,
                policy,
            ) {
                fails += 1;
            }
        }
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{fails}\" errors=\"0\" skipped=\"0\">",
            attr(&r.source.path)
        );
        suites.push_str(&cases);
        suites.push_str("  </testsuite>\n");
        total_tests += tests;
        total_failures += fails;
    }
    for f in failures {
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{p}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"read\" classname=\"{p}\" file=\"{p}\">\n      <error type=\"input\" message=\"{m}\">{t}</error>\n    </testcase>\n  </testsuite>",
            p = attr(&f.path),
            m = attr(&f.error),
            t = text(&f.error)
        );
        total_tests += 1;
        total_errors += 1;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"carers-extract\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"{total_errors}\">\n{suites}</testsuites>\n"
    )
}

/// Write one test case; returns whether it failed.
fn case(
    out: &mut String,
    name: &str,
    classname: &str,
    file: &str,
    line: Option<u32>,
    gaps: &[&Gap],
    policy: &CheckPolicy,
) -> bool {
    let line_attr = line.map(|l| format!(" line=\"{l}\"")).unwrap_or_default();
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"{line_attr}",
        attr(name),
        attr(classname),
        attr(file)
    );
    if gaps.is_empty() {
        out.push_str("/>\n");
        return false;
    }
    out.push_str(">\n");
    let failing: Vec<&&Gap> = gaps.iter().filter(|g| policy.is_failing(g)).collect();
    if !failing.is_empty() {
        let rules: Vec<&str> = failing.iter().map(|g| g.rule.as_str()).collect();
        let body: Vec<String> = failing.iter().map(|g| gap_line(g)).collect();
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            attr(&rules.join(",")),
            attr(&one_line(&failing[0].message)),
            text(&body.join("\n"))
        );
    }
    let other: Vec<String> = gaps
        .iter()
        .filter(|g| !policy.is_failing(g))
        .map(|g| gap_line(g))
        .collect();
    if !other.is_empty() {
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            text(&other.join("\n"))
        );
    }
    out.push_str("    </testcase>\n");
    !failing.is_empty()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

/// Characters XML 1.0 allows; others are dropped.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escape element text.
fn text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| xml_char(c)) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            _ => o.push(c),
        }
    }
    o
}

/// Escape an attribute value (newlines kept as character references).
fn attr(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| xml_char(c)) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            '\t' => o.push_str("&#9;"),
            _ => o.push(c),
        }
    }
    o
}

/// One gap as a line of a JUnit body: `[severity] rule: message (where)`.
fn gap_line(g: &Gap) -> String {
    format!(
        "[{}] {}: {} ({})",
        g.severity.name(),
        g.rule,
        g.message,
        g.source.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::shared::sample;

    #[test]
    fn cases_and_failures() {
        let mut r = sample::report("a&b.txt");
        r.actions[0].action = Some("bad \u{1} char <x>".into());
        let xml = junit(
            std::slice::from_ref(&r),
            &[InputError {
                path: "z.pdf".into(),
                error: "no \"text\"".into(),
            }],
            &CheckPolicy::default(),
        );
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.attribute("tests"), Some("5"));
        assert_eq!(root.attribute("failures"), Some("2"));
        assert_eq!(root.attribute("errors"), Some("1"));
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(cases.len(), 5);
        assert_eq!(cases[0].attribute("name"), Some("p1-r1: bad  char <x>"));
        // p1-r2 has an error placeholder gap -> failure; warnings go to system-out.
        let f = cases[1]
            .children()
            .find(|n| n.has_tag_name("failure"))
            .unwrap();
        assert_eq!(f.attribute("type"), Some("placeholder"));
        assert!(cases[1].children().any(|n| n.has_tag_name("system-out")));
        // With warnings failing too, the plan-level no-due-column fails.
        let p = CheckPolicy {
            fail_on: [crate::Severity::Error, crate::Severity::Warning]
                .into_iter()
                .collect(),
            ..CheckPolicy::default()
        };
        let xml = junit(std::slice::from_ref(&r), &[], &p);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        assert_eq!(doc.root_element().attribute("failures"), Some("3"));
    }
}
