//! The default output: a readable summary and gap list for a person.
//!
//! [`render_styled`] colours severities (ANSI) and wraps long lines to a width (the terminal's);
//! [`render`] is the plain form. A document where nothing was found says so, with the reason,
//! and never reads as a success.

use std::fmt::Write;

use crate::report::{Completeness, PlanKind, Report, Severity};

/// How to lay the text out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Colour severities with ANSI escapes.
    pub color: bool,
    /// Wrap lines to this many columns (`None`: no wrapping).
    pub width: Option<usize>,
}

/// ANSI colour of a severity.
pub fn paint(text: &str, sev: Severity, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let code = match sev {
        Severity::Error => "1;31",
        Severity::Warning => "33",
        Severity::Info => "36",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

fn bold(text: &str, color: bool) -> String {
    if color {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Render one report as plain text (no colour, no wrapping).
pub fn render(r: &Report) -> String {
    render_styled(r, Style::default())
}

/// Wrap `text` to `width` with `indent` before every line (the first included).
fn wrap(out: &mut String, text: &str, indent: usize, width: Option<usize>) {
    let pad = " ".repeat(indent);
    match width {
        Some(w) if w > indent + 20 => {
            let opts = textwrap::Options::new(w)
                .initial_indent(&pad)
                .subsequent_indent(&pad)
                .break_words(true);
            for line in textwrap::wrap(text, opts) {
                let _ = writeln!(out, "{line}");
            }
        }
        _ => {
            let _ = writeln!(out, "{pad}{text}");
        }
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!(
            "{}…",
            s.chars().take(n.saturating_sub(1)).collect::<String>()
        )
    }
}

/// Render one report as text with a style.
pub fn render_styled(r: &Report, style: Style) -> String {
    let mut s = String::new();
    let c = r.completeness();
    let mut head = String::new();
    wrap(
        &mut head,
        &format!("{} ({})", r.source.path, r.source.format),
        0,
        style.width,
    );
    for line in head.lines() {
        let _ = writeln!(s, "{}", bold(line, style.color));
    }
    if let Some(t) = &r.title {
        wrap(&mut s, &format!("Title: {t}"), 0, style.width);
    }
    let _ = writeln!(
        s,
        "{} action{} in {} action plan{}",
        c.actions,
        if c.actions == 1 { "" } else { "s" },
        r.tables.len(),
        if r.tables.len() == 1 { "" } else { "s" }
    );
    if c.actions == 0 {
        let _ = writeln!(
            s,
            "{}",
            paint(
                "No action plan was found in this document (see the no-action-plan gap below).",
                Severity::Error,
                style.color
            )
        );
    } else {
        wrap(
            &mut s,
            &format!(
                "Named lead {} · deadline {} (dated {}) · evidence {}",
                c.percent(c.named_lead),
                c.percent(c.with_due),
                c.percent(c.dated_due),
                c.percent(c.evidence)
            ),
            0,
            style.width,
        );
    }
    if !r.tables.is_empty() {
        plans(&mut s, r, style);
    }
    let unmapped = r.unmapped_columns();
    if !unmapped.is_empty() {
        let list: Vec<String> = unmapped
            .iter()
            .map(|(p, h)| format!("\"{h}\" (plan {p})"))
            .collect();
        let _ = writeln!(s);
        wrap(
            &mut s,
            &format!(
                "Columns kept as they are (no field; under `extra` in JSON/CSV): {}. See `carers-extract explain` to map them.",
                list.join(", ")
            ),
            0,
            style.width,
        );
    }
    gaps(&mut s, r, style);
    s
}

fn plans(s: &mut String, r: &Report, style: Style) {
    let _ = writeln!(s, "\nPlans");
    // The section column takes what the terminal leaves.
    let fixed = 4 + 1 + 6 + 12 + 10 + 9 + 14 + 2;
    let section_w = style
        .width
        .map(|w| w.saturating_sub(fixed + 16).clamp(12, 40))
        .unwrap_or(40);
    for p in &r.tables {
        let c = Completeness::of(r.actions.iter().filter(|a| a.table == p.index));
        let kind = match p.kind {
            PlanKind::Table => "table",
            PlanKind::Prose => "list",
            PlanKind::Records => "records",
            PlanKind::List => "numbered list",
        };
        let section = clip(p.section.as_deref().unwrap_or("(no section)"), section_w);
        let line = format!(
            "{:>4}. {:<section_w$} {kind:<5} {:>3} actions  lead {:>4}  due {:>4}  evidence {:>4}  ({})",
            p.index,
            section,
            c.actions,
            c.percent(c.named_lead),
            c.percent(c.with_due),
            c.percent(c.evidence),
            p.source.describe()
        );
        match style.width {
            Some(w) if line.chars().count() > w => {
                let _ = writeln!(s, "{}", clip(&line, w));
            }
            _ => {
                let _ = writeln!(s, "{line}");
            }
        }
    }
}

fn gaps(s: &mut String, r: &Report, style: Style) {
    let sm = &r.summary;
    let (e, w, i) = (
        sm.gaps_of(Severity::Error),
        sm.gaps_of(Severity::Warning),
        sm.gaps_of(Severity::Info),
    );
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let mut head = format!(
        "\nGaps: {} ({}, {}",
        r.gaps.len(),
        paint(&plural(e, "error"), Severity::Error, style.color && e > 0),
        paint(
            &plural(w, "warning"),
            Severity::Warning,
            style.color && w > 0
        )
    );
    if i > 0 {
        head.push_str(&format!(", {i} info"));
    }
    head.push(')');
    if let Some(h) = sm.known_gaps_hidden {
        head.push_str(&format!(
            "; {} known gap{} hidden by the baseline",
            h,
            if h == 1 { "" } else { "s" }
        ));
    }
    let _ = writeln!(s, "{head}");
    // Rules in order of severity, then id.
    let mut rules: Vec<(&String, &usize, Severity)> = sm
        .gaps_by_rule
        .iter()
        .map(|(rule, n)| {
            let sev = r
                .gaps
                .iter()
                .filter(|g| &g.rule == rule)
                .map(|g| g.severity)
                .max()
                .unwrap_or(Severity::Info);
            (rule, n, sev)
        })
        .collect();
    rules.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    for (rule, count, sev) in rules {
        let _ = writeln!(
            s,
            "  {} {} ({count})",
            paint(sev.name(), sev, style.color),
            bold(rule, style.color)
        );
        for g in r.gaps.iter().filter(|g| &g.rule == rule).take(8) {
            wrap(s, &g.message, 4, style.width);
        }
        if *count > 8 {
            let _ = writeln!(s, "    … and {} more (see --format json)", count - 8);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::shared::sample;

    #[test]
    fn colour_and_width() {
        let r = sample::report("a.txt");
        let plain = render(&r);
        assert!(!plain.contains('\x1b'));
        let coloured = render_styled(
            &r,
            Style {
                color: true,
                width: None,
            },
        );
        assert!(coloured.contains("\x1b[1;31merror\x1b[0m"), "{coloured}");
        let narrow = render_styled(
            &r,
            Style {
                color: false,
                width: Some(50),
            },
        );
        for line in narrow.lines() {
            assert!(line.chars().count() <= 50, "too wide: {line:?}");
        }
        assert!(plain.lines().any(|l| l.chars().count() > 50));
    }
}
