//! Subcommands other than the main run (binary side): `rules`, `completions`, `man`, and the
//! rendering of `explain`.

use std::fmt::Write;

use anyhow::{bail, Result};
use carers_extract::detect::explain::CandidateKind;
use carers_extract::explain::Explanation;
use carers_extract::gaps::{Check, RULES};
use carers_extract::report::Report;
use clap::{Args, CommandFactory, ValueEnum};

/// `carers-extract rules [RULE]`.
#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule id: explain this rule (default: list every rule).
    pub rule: Option<String>,
}

/// Output of `explain`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// For people.
    Text,
    /// For scripts: `{source, plans, candidates[]}` per input.
    Json,
}

fn applies_to(check: &Check) -> &'static str {
    match check {
        Check::Action(_) => "each action",
        Check::Plan(_) => "each plan",
        Check::Document(_) => "the whole document",
    }
}

/// List or explain the gap rules.
pub fn rules(args: &RulesArgs) -> Result<u8> {
    let mut s = String::new();
    match &args.rule {
        None => {
            let w = RULES.iter().map(|r| r.id.len()).max().unwrap_or(10);
            for r in RULES {
                let _ = writeln!(s, "{:<w$}  {:<7}  {}", r.id, r.severity.name(), r.summary);
            }
            let _ = writeln!(
                s,
                "\n`carers-extract rules RULE` explains one; change a severity or turn a rule off in carers-extract.toml:\n  [rules]\n  missing-evidence = \"info\"   # error, warning, info or off"
            );
        }
        Some(id) => {
            let Some(r) = carers_extract::gaps::rule(id) else {
                let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
                bail!("unknown rule '{id}' (rules: {})", ids.join(", "));
            };
            let _ = writeln!(s, "{} ({} by default)\n", r.id, r.severity.name());
            let _ = writeln!(s, "{}\n", r.summary);
            let _ = writeln!(s, "What to do: {}\n", r.help);
            let _ = writeln!(s, "Looks at: {}.", applies_to(&r.check));
            let _ = writeln!(
                s,
                "Fails `check` when its severity is in fail_on (default: error), or with --fail-on {}.",
                r.id
            );
            if r.id == carers_extract::gaps::NO_ACTION_PLAN {
                let _ = writeln!(
                    s,
                    "It fails `check` whatever --fail-on says, as long as it is an error."
                );
            }
            let _ = writeln!(
                s,
                "\nIn carers-extract.toml:\n  [rules]\n  {} = \"warning\"   # error, warning, info or off",
                r.id
            );
        }
    }
    crate::output::write(&crate::output::Sink::Stdout, s.as_bytes())?;
    Ok(0)
}

/// Print a completion script for `shell`.
pub fn completions<C: CommandFactory>(shell: clap_complete::Shell) {
    let mut cmd = C::command();
    let name = cmd.get_name().to_string();
    clap_complete::generate(shell, &mut cmd, name, &mut std::io::stdout());
}

/// Print the manual page.
pub fn man<C: CommandFactory>() -> Result<u8> {
    let cmd = C::command();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    crate::output::write(&crate::output::Sink::Stdout, &buf)?;
    Ok(0)
}

/// `explain` for people.
pub fn explain_text(report: &Report, e: &Explanation) -> String {
    let mut s = String::new();
    let count = |k: CandidateKind| e.candidates.iter().filter(|c| c.kind == k).count();
    let (tables, lists, records) = (
        count(CandidateKind::Table),
        count(CandidateKind::List),
        count(CandidateKind::Records),
    );
    let records = if records > 0 {
        format!(", {records} group(s) of records")
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "{} ({}): {tables} table(s), {lists} list(s){records}; {} plan(s), {} action(s)",
        report.source.path,
        report.source.format,
        report.tables.len(),
        report.actions.len()
    );
    for c in &e.candidates {
        let what = match c.kind {
            CandidateKind::Table => format!("Table {}", c.number),
            CandidateKind::List => format!("List {}", c.number),
            CandidateKind::Records => format!("Records {}", c.number),
        };
        let plural = if c.size == 1 { "" } else { "s" };
        let size = match c.kind {
            CandidateKind::Table | CandidateKind::Records => format!("{} row{plural}", c.size),
            CandidateKind::List => format!("{} item{plural}", c.size),
        };
        let verdict = if c.taken {
            let plans: Vec<String> = c.plans.iter().map(|p| p.to_string()).collect();
            format!("TAKEN as plan {}", plans.join(", "))
        } else {
            "not taken".to_string()
        };
        let _ = writeln!(
            s,
            "\n{what} ({}, {size}): {verdict}\n  why: {}",
            c.source.describe(),
            c.reason
        );
        if !c.columns.is_empty() {
            let hw = c
                .columns
                .iter()
                .map(|k| k.header.chars().count().min(28))
                .max()
                .unwrap_or(6)
                .max(6);
            let _ = writeln!(
                s,
                "  {:>3}  {:<hw$}  {:<9}  {:>4}  {:>11}  reason",
                "col", "header", "field", "conf", "hdr/content"
            );
            for k in &c.columns {
                let header: String = if k.header.chars().count() > 28 {
                    k.header.chars().take(27).collect::<String>() + "…"
                } else {
                    k.header.clone()
                };
                let mapped = k.field.is_some();
                let _ = writeln!(
                    s,
                    "  {:>3}  {:<hw$}  {:<9}  {:>4}  {:>11}  {}",
                    k.column + 1,
                    header,
                    k.field.as_deref().unwrap_or("-"),
                    if mapped {
                        format!("{:.2}", k.confidence)
                    } else {
                        "-".into()
                    },
                    if mapped {
                        format!("{:.2}/{:.2}", k.header_score, k.content_score)
                    } else {
                        "-".into()
                    },
                    k.reason
                );
                if let Some(cfg) = &k.config {
                    let verb = if k.field.is_some() {
                        "to map it otherwise"
                    } else {
                        "to map it"
                    };
                    let _ = writeln!(s, "  {:>3}  {:<hw$}  {verb}: {cfg}", "", "");
                }
            }
        }
    }
    if e.candidates.is_empty() {
        let _ = writeln!(s, "\nNo tables and no lists in this document.");
    }
    for g in report.document_gaps() {
        let _ = writeln!(s, "\n{}: {}", g.rule, g.message);
    }
    s
}

/// `explain` for scripts.
pub fn explain_json(report: &Report, e: &Explanation) -> serde_json::Value {
    serde_json::json!({
        "source": report.source,
        "plans": report.tables,
        "candidates": e.candidates,
    })
}
