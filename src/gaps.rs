//! Gap rules: the findings a reviewer looks for.
//!
//! Every rule is one row of [`RULES`]: a stable id, a default severity, a one-line description,
//! help text, and a predicate over an action or a plan. A new rule is a new row. Users change
//! severities (or turn rules off) through [`crate::Options::rules`].

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use crate::detect::Plan;
use crate::normalise::due;
use crate::report::{
    Action, DueKind, Gap, PlanInfo, PlanKind, Report, Severity, SourceInfo, Summary, SCHEMA_VERSION,
};
use crate::{Options, RuleLevel};

/// What a rule looks at.
pub enum Check {
    /// A predicate over one action; returns the problem, phrased for a message, when it fails.
    Action(fn(&Action, &Ctx) -> Option<String>),
    /// A predicate over a whole plan.
    Plan(fn(&PlanInfo, &Ctx) -> Option<String>),
}

/// One gap rule.
pub struct Rule {
    /// Stable id, used in output and configuration.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One-line description.
    pub summary: &'static str,
    /// What to do about it.
    pub help: &'static str,
    /// The predicate.
    pub check: Check,
}

/// What the predicates may consult besides the action.
pub struct Ctx<'a> {
    /// Options (as-of date, strategy period, extra phrases).
    pub opts: &'a Options,
    placeholders: Vec<Regex>,
    duplicates: HashMap<String, String>,
}

/// The rules table.
pub static RULES: &[Rule] = &[
    Rule {
        id: "missing-action",
        severity: Severity::Error,
        summary: "A row has other cells filled but no action.",
        help: "Write the action the row is about, or delete the row.",
        check: Check::Action(|a, _| a.action.is_none().then(|| "has no action text".into())),
    },
    Rule {
        id: "missing-lead",
        severity: Severity::Error,
        summary: "An action has no named lead.",
        help: "Name the person, team or organisation that owns the action.",
        check: Check::Action(|a, _| a.lead.is_none().then(|| "has no lead".into())),
    },
    Rule {
        id: "vague-lead",
        severity: Severity::Warning,
        summary: "The lead is everyone (\"All partners\"), a reference to another row, or not a lead at all.",
        help: "Name one accountable owner; shared work still needs a lead.",
        check: Check::Action(vague_lead),
    },
    Rule {
        id: "missing-due",
        severity: Severity::Error,
        summary: "An action has no deadline.",
        help: "Give a date or period by which the action will be done.",
        check: Check::Action(|a, _| a.due.is_none().then(|| "has no deadline".into())),
    },
    Rule {
        id: "vague-due",
        severity: Severity::Warning,
        summary: "The deadline is ongoing, recurring with no end, or names no date.",
        help: "Add an end date or a first milestone (\"Ongoing; first review March 2025\").",
        check: Check::Action(|a, _| match (a.due_kind, a.due.as_deref()) {
            (Some(DueKind::Ongoing), Some(d)) => Some(format!("has an open-ended deadline \"{d}\"")),
            (Some(DueKind::Recurring), Some(d)) => Some(format!("has a recurring deadline with no end \"{d}\"")),
            (Some(DueKind::Unspecified), Some(d)) => Some(format!("has a deadline that names no date \"{d}\"")),
            _ => None,
        }),
    },
    Rule {
        id: "past-due",
        severity: Severity::Warning,
        summary: "The deadline is before the as-of date (only with --as-of).",
        help: "Update the deadline, or record the action as complete.",
        check: Check::Action(|a, ctx| {
            let as_of = ctx.opts.as_of?;
            let date = chrono::NaiveDate::parse_from_str(a.due_date.as_deref()?, "%Y-%m-%d").ok()?;
            let done = a.status.as_deref().is_some_and(|s| {
                let s = s.to_lowercase();
                s.contains("complete") || s.contains("done") || s.contains("achieved") || s.trim() == "green"
            });
            let dated = matches!(a.due_kind, Some(DueKind::Date | DueKind::Period | DueKind::Multiple));
            (dated && date < as_of && !done).then(|| format!("was due {date}, before {as_of}"))
        }),
    },
    Rule {
        id: "due-outside-period",
        severity: Severity::Warning,
        summary: "The deadline falls outside the strategy period (only with a configured period).",
        help: "Check the date, or the strategy period in carers-extract.toml.",
        check: Check::Action(|a, ctx| {
            let (start, end) = ctx.opts.period?;
            let date = chrono::NaiveDate::parse_from_str(a.due_date.as_deref()?, "%Y-%m-%d").ok()?;
            (date < start || date > end).then(|| format!("is due {date}, outside the strategy period {start} to {end}"))
        }),
    },
    Rule {
        id: "missing-evidence",
        severity: Severity::Warning,
        summary: "An action says nothing about how we will know it is done.",
        help: "Add a measure, output or evidence of completion.",
        check: Check::Action(|a, _| a.evidence.is_none().then(|| "has no evidence of completion".into())),
    },
    Rule {
        id: "placeholder",
        severity: Severity::Warning,
        summary: "A cell holds a placeholder (\"TBC\", \"to be agreed\", \"??\", \"[Awaiting figures]\").",
        help: "Replace the placeholder with the real content before publishing.",
        check: Check::Action(placeholder),
    },
    Rule {
        id: "duplicate-action",
        severity: Severity::Warning,
        summary: "The same action appears more than once.",
        help: "Merge the duplicates, or say how they differ.",
        check: Check::Action(|a, ctx| {
            let first = ctx.duplicates.get(&a.id)?;
            Some(format!("repeats action {first}"))
        }),
    },
    Rule {
        id: "empty-section",
        severity: Severity::Warning,
        summary: "An action-plan table has a header but no rows.",
        help: "Fill in the section's actions or remove the empty table.",
        check: Check::Plan(|p, _| (p.actions == 0).then(|| "has a header but no actions".into())),
    },
    Rule {
        id: "no-lead-column",
        severity: Severity::Warning,
        summary: "A plan has no lead column at all.",
        help: "Add a lead (owner) column to the plan.",
        check: Check::Plan(|p, _| (p.actions > 0 && !p.columns.contains_key("lead")).then(|| "has no lead column".into())),
    },
    Rule {
        id: "no-due-column",
        severity: Severity::Warning,
        summary: "A plan has no deadline column at all.",
        help: "Add a deadline (by when) column to the plan.",
        check: Check::Plan(|p, _| (p.actions > 0 && !p.columns.contains_key("due")).then(|| "has no deadline column".into())),
    },
];

/// Look a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

static VAGUE_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(all|all partners|all agencies|all organisations|all services|all staff|all teams|everyone.*|everybody.*|various|various partners|partners|the partnership|as above|see above|ditto|n/?a|none|tbc|tba|unknown|(all|every)\b.*\b(agencies|partners|organisations)\b.*)\s*\.?$").unwrap()
});
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(tbc|tba|tbd|to be (agreed|confirmed|completed|determined|decided|added|inserted|finalised|finalized|updated)|need(s)? to check|awaiting\b[^\]]*|insert\b[^\]]*|xx+)\b|\?\?|\[[^\]]*\]").unwrap()
});

fn vague_lead(a: &Action, ctx: &Ctx) -> Option<String> {
    let lead = a.lead.as_deref()?;
    let lower = lead.trim().to_lowercase();
    if ctx
        .opts
        .vague_leads
        .iter()
        .any(|v| v.trim().to_lowercase() == lower)
        || VAGUE_LEAD.is_match(lead)
    {
        return Some(format!("has a vague lead \"{lead}\""));
    }
    if lead.split_whitespace().count() <= 4 && due::parse(lead).kind != DueKind::Unspecified {
        return Some(format!(
            "has a deadline (\"{lead}\") where the lead should be"
        ));
    }
    None
}

fn placeholder(a: &Action, ctx: &Ctx) -> Option<String> {
    let fields = [
        ("action", &a.action),
        ("lead", &a.lead),
        ("due", &a.due),
        ("evidence", &a.evidence),
        ("xref", &a.xref),
    ];
    let extra = a.extra.iter().map(|(k, v)| (k.as_str(), Some(v.clone())));
    let fields = fields.into_iter().map(|(k, v)| (k, v.clone())).chain(extra);
    for (name, v) in fields {
        let Some(v) = v.as_deref() else { continue };
        if let Some(m) = PLACEHOLDER.find(v) {
            return Some(format!(
                "has a placeholder \"{}\" in its {name}",
                m.as_str()
            ));
        }
        if let Some(m) = ctx.placeholders.iter().find_map(|re| re.find(v)) {
            return Some(format!(
                "has a placeholder \"{}\" in its {name}",
                m.as_str()
            ));
        }
    }
    None
}

fn dedupe_key(text: &str) -> String {
    crate::detect::header::words(text).join(" ")
}

fn short(text: Option<&str>) -> String {
    match text {
        Some(t) if t.chars().count() > 60 => {
            format!("\"{}…\"", t.chars().take(57).collect::<String>().trim_end())
        }
        Some(t) => format!("\"{t}\""),
        None => "(no action text)".into(),
    }
}

/// Apply the rules and assemble the report.
pub fn build_report(
    source: SourceInfo,
    title: Option<String>,
    tables: Vec<PlanInfo>,
    mut actions: Vec<Action>,
    plans: &[Plan],
    opts: &Options,
) -> Report {
    let _ = plans;
    let mut duplicates = HashMap::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for a in &actions {
        if let Some(t) = a.action.as_deref() {
            let k = dedupe_key(t);
            if k.split(' ').count() >= 4 {
                match seen.get(&k) {
                    Some(first) => {
                        duplicates.insert(a.id.clone(), first.clone());
                    }
                    None => {
                        seen.insert(k, a.id.clone());
                    }
                }
            }
        }
    }
    let ctx = Ctx {
        opts,
        placeholders: opts
            .placeholders
            .iter()
            .filter_map(|p| Regex::new(&format!("(?i){p}")).ok())
            .collect(),
        duplicates,
    };
    let level = |r: &Rule| match opts.rules.get(r.id) {
        Some(RuleLevel::Off) => None,
        Some(RuleLevel::On(s)) => Some(*s),
        None => Some(r.severity),
    };
    let mut gaps = Vec::new();
    for plan in &tables {
        for r in RULES {
            let (Check::Plan(f), Some(sev)) = (&r.check, level(r)) else {
                continue;
            };
            if let Some(problem) = f(plan, &ctx) {
                let what = match plan.kind {
                    PlanKind::Table => "action-plan table",
                    PlanKind::Prose => "action list",
                    PlanKind::Records => "set of action records",
                    PlanKind::List => "numbered action list",
                };
                let section = plan
                    .section
                    .as_deref()
                    .map(|s| format!(" (\"{s}\")"))
                    .unwrap_or_default();
                gaps.push(Gap {
                    rule: r.id.into(),
                    severity: sev,
                    action_id: None,
                    table: Some(plan.index),
                    message: format!(
                        "{}: {what} {}{section} {problem}",
                        plan.source.describe(),
                        plan.index
                    ),
                    source: plan.source.clone(),
                });
            }
        }
        for a in actions.iter_mut().filter(|a| a.table == plan.index) {
            for r in RULES {
                let (Check::Action(f), Some(sev)) = (&r.check, level(r)) else {
                    continue;
                };
                if let Some(problem) = f(a, &ctx) {
                    a.gaps.push(r.id.to_string());
                    let reference = a
                        .reference
                        .as_deref()
                        .map(|r| format!(" {r}"))
                        .unwrap_or_default();
                    gaps.push(Gap {
                        rule: r.id.into(),
                        severity: sev,
                        action_id: Some(a.id.clone()),
                        table: Some(a.table),
                        message: format!(
                            "{}: action{reference} {} {problem}",
                            a.source.describe(),
                            short(a.action.as_deref())
                        ),
                        source: a.source.clone(),
                    });
                }
            }
        }
    }
    let summary = summarise(&tables, &actions, &gaps);
    Report {
        schema_version: SCHEMA_VERSION,
        source,
        title,
        tables,
        actions,
        gaps,
        summary,
    }
}

fn summarise(tables: &[PlanInfo], actions: &[Action], gaps: &[Gap]) -> Summary {
    let mut by_rule = BTreeMap::new();
    let mut by_sev = BTreeMap::new();
    for g in gaps {
        *by_rule.entry(g.rule.clone()).or_insert(0) += 1;
        *by_sev.entry(g.severity.name().to_string()).or_insert(0) += 1;
    }
    Summary {
        tables: tables.len(),
        actions: actions.len(),
        with_lead: actions.iter().filter(|a| a.lead.is_some()).count(),
        with_due: actions.iter().filter(|a| a.due.is_some()).count(),
        with_due_date: actions.iter().filter(|a| a.due_date.is_some()).count(),
        with_evidence: actions.iter().filter(|a| a.evidence.is_some()).count(),
        with_xref: actions.iter().filter(|a| a.xref.is_some()).count(),
        gaps_by_rule: by_rule,
        gaps_by_severity: by_sev,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert!(ids
            .iter()
            .all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
    }

    #[test]
    fn placeholders_and_vague_leads() {
        for t in [
            "TBC",
            "to be agreed",
            "Lead: to be completed",
            "need to check",
            "Young Carers??",
            "[Awaiting figures]",
        ] {
            assert!(PLACEHOLDER.is_match(t), "{t}");
        }
        assert!(!PLACEHOLDER.is_match("Carers Centre"));
        for t in [
            "All",
            "All partners",
            "All agencies",
            "Everyone involved in providing advice",
            "See above",
        ] {
            assert!(VAGUE_LEAD.is_match(t), "{t}");
        }
        assert!(!VAGUE_LEAD.is_match("HHAS/all partners"));
        assert!(!VAGUE_LEAD.is_match("Children's Services/ All partners x"));
    }
}
