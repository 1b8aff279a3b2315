//! Prose action lists: bulleted commitments ("We will ...") under a heading, when a plan is
//! written as text rather than as a table.

use std::sync::LazyLock;

use regex::Regex;

use super::{Field, Plan, PlanRow};
use crate::document::Source;
use crate::report::PlanKind;

static COMMITMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(we|the (council|partnership|board|trust|ccg|icb)|partners|all (partners|agencies))\s+(will|shall|'ll|are going to|intend to|plan to|commit to|aim to|undertake to|must)\b|^we'll\b").unwrap()
});
static WILL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(\S+\s+){0,6}(will|shall)\s+\w+").unwrap());
static IMPERATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(to\s+)?(develop|review|establish|ensure|improve|provide|work|create|deliver|implement|promote|increase|support|identify|commission|introduce|explore|raise|consult|produce|agree|undertake|continue|expand|monitor|train|set up|extend|build|carry out|publish|map|strengthen|embed|launch|reduce|offer|involve|engage|invest|recruit|pilot|evaluate|update|refresh|design|co-produce|coproduce)\b").unwrap()
});
static ACTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(action|actions|we will|will do|next steps|commitments?|priorities for|plan|delivery|what we (will|are going to) do)\b").unwrap()
});

/// A list item as seen by the prose detector.
pub struct Item<'a> {
    /// Item text.
    pub text: &'a str,
    /// Where it is.
    pub source: &'a Source,
}

/// Is this run of list items an action list? `heading` is the nearest heading; `strict` is set
/// when the document also has action-plan tables (then only lists under an action-like heading
/// count).
pub fn is_action_list(items: &[Item], heading: Option<&str>, strict: bool) -> bool {
    if items.is_empty() {
        return false;
    }
    let strong = items.iter().filter(|i| COMMITMENT.is_match(i.text)).count();
    let weak = items
        .iter()
        .filter(|i| {
            !COMMITMENT.is_match(i.text) && (WILL.is_match(i.text) || IMPERATIVE.is_match(i.text))
        })
        .count();
    let action_heading = heading.is_some_and(|h| ACTION_HEADING.is_match(h));
    if strict && !action_heading {
        return false;
    }
    let n = items.len();
    if n == 1 {
        return strong == 1 && action_heading;
    }
    strong * 2 >= n || (action_heading && (strong + weak) * 10 >= n * 7)
}

/// Build a prose plan from its items.
pub fn plan(
    items: &[Item],
    section: Option<String>,
    objective: Option<String>,
    index: u32,
    opts: &crate::Options,
) -> Plan {
    let rows: Vec<PlanRow> = items
        .iter()
        .enumerate()
        .map(|(k, it)| {
            let mut row = PlanRow {
                section: section.clone(),
                source: Source {
                    table: Some(index),
                    row: Some(k as u32 + 1),
                    ..it.source.clone()
                },
                ..PlanRow::default()
            };
            let (text, fields) = super::inline::split(it.text, opts);
            row.values.insert(Field::Action, text);
            for (field, value) in fields {
                row.values.insert(field, value);
            }
            row
        })
        .collect();
    Plan {
        kind: PlanKind::Prose,
        columns: super::inline::columns(&rows),
        confidence: 0.7,
        reason: "a list of commitments (\"We will ...\") under a heading".to_string(),
        section,
        objective,
        source: items.first().map(|i| i.source.clone()).unwrap_or_default(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitments_make_a_list() {
        let s = Source::default();
        let mk = |t: &'static str| Item {
            text: t,
            source: &s,
        };
        let list = [
            mk("We will ensure the core products include advice."),
            mk("Statutory sector employers will review their guidance."),
        ];
        assert!(is_action_list(
            &list,
            Some("Action theme 9 – economic wellbeing"),
            false
        ));
        let facts = [
            mk("There are 6 million carers."),
            mk("Carers save £87 billion."),
        ];
        assert!(!is_action_list(&facts, Some("Carers in the UK"), false));
        let imperative = [
            mk("Develop a carers register"),
            mk("Review respite provision"),
            mk("Publish a guide"),
        ];
        assert!(is_action_list(&imperative, Some("Actions for 2024"), false));
        assert!(!is_action_list(&imperative, Some("Background"), false));
        assert!(!is_action_list(&list, Some("Our vision"), true));
    }
}
