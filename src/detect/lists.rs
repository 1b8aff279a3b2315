//! Action lists: numbered, lettered, bulleted or labelled items that state actions.
//!
//! Many plans are not tables: "1. Collaborate among departments ...", "• Develop a carers
//! card", or labelled items such as "Action All-4.1: Adopt a ..." and "Action 3B (short term):
//! Plant ...", often grouped under parent items ("Measure All-4: ...") or headings. An item is
//! read into an [`Entry`] (marker, label, code, qualifier, text); a run of entries is an action
//! list when its items read as actions (they open with a verb, or "we will"), under a heading or
//! a label that names actions, measures, commitments, priorities or recommendations. Lists of
//! background facts, aims or achievements are not plans. The numbering is kept as `ref`, the
//! parent item or heading as `section`; a qualifier that reads as a deadline ("short term")
//! becomes `due`.

use std::sync::LazyLock;

use regex::Regex;

use super::header;
use super::profile;
use super::{Field, Plan, PlanRow};
use crate::document::{Block, BlockKind, Source};
use crate::report::PlanKind;

/// "Action All-4.1:", "Measure Fire-1:", "Action 3B (short term):", "Recommendation 4 -".
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<label>[A-Z][A-Za-z]{2,20}(?:\s[A-Z][a-z]{2,20})?)\s+(?P<code>(?:[A-Za-z]{1,8}[-–.])?[0-9]{1,3}(?:[.\-–][0-9]{1,3}){0,3}[A-Za-z]?|[A-Z])\s*(?:\((?P<q>[^)]{1,40})\))?\s*[:.–—-]\s*(?P<text>\S.*)$",
    )
    .expect("labelled item regex")
});
/// "1.", "2)", "(a)", "iv.", "3.2" before the text.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<n>\(?[0-9]{1,3}(?:\.[0-9]{1,3}){0,3}[.)]?|\(?[a-z][.)]|\(?[ivx]{1,5}[.)])\s+(?P<text>\S.*)$")
        .expect("numbered item regex")
});
/// Running page furniture ("... Page 5", "Page 3 of 12").
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bpage\s+[0-9]+(\s+of\s+[0-9]+)?\s*$").expect("furniture regex")
});
/// Headings that name a list of actions.
static ACTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(actions?|we will|will do|next steps|commitments?|recommendations?|priorit(y|ies)|measures?|deliverables?|initiatives?|tasks?|activities|interventions?|what we (will|are going to) do|how we will)\b")
        .expect("action heading regex")
});

/// One item of a list.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Label word(s) before a code ("Action", "Measure"), if any.
    pub label: Option<String>,
    /// The item's number or code as printed ("All-4.1", "3B", "2."), if any.
    pub code: Option<String>,
    /// A parenthesised qualifier after the code ("short term").
    pub qualifier: Option<String>,
    /// A bullet opened the item.
    pub bullet: bool,
    /// The item's text, without marker, label and code.
    pub text: String,
}

/// Read an item: `marker` is the list marker a reader kept (empty for paragraphs).
pub fn entry(text: &str, marker: &str) -> Option<Entry> {
    let t = text.trim();
    let bullets = crate::normalise::text::BULLET_GLYPHS;
    // Symbol-font bullets come through as private-use characters.
    let is_bullet =
        |c: char| bullets.contains(c) || c == '●' || ('\u{e000}'..='\u{f8ff}').contains(&c);
    let stripped = t.trim_start_matches(|c: char| is_bullet(c) || c.is_whitespace());
    let bullet = stripped.len() < t.len() || marker.chars().any(|c| is_bullet(c) || c == 'o');
    let t = stripped;
    if let Some(c) = LABELLED.captures(t) {
        let label = c["label"].to_string();
        // The label must be a word that names items ("Action", "Measure"), not the start of a
        // sentence ("Since 2019: ...").
        if !header::score(&label, &Default::default()).is_empty() || label_names_items(&label) {
            return Some(Entry {
                label: Some(label),
                code: Some(c["code"].to_string()),
                qualifier: c.name("q").map(|q| q.as_str().trim().to_string()),
                bullet,
                text: c["text"].trim().to_string(),
            });
        }
    }
    let numbered_marker = marker
        .trim()
        .trim_end_matches(['.', ')'])
        .chars()
        .any(|c| c.is_ascii_alphanumeric());
    if numbered_marker {
        return Some(Entry {
            label: None,
            code: Some(marker.trim().trim_end_matches(['.', ')']).to_string()),
            qualifier: None,
            bullet: false,
            text: t.to_string(),
        });
    }
    if let Some(c) = NUMBERED.captures(t) {
        return Some(Entry {
            label: None,
            code: Some(
                c["n"]
                    .trim_end_matches(['.', ')'])
                    .trim_start_matches('(')
                    .to_string(),
            ),
            qualifier: None,
            bullet: false,
            text: c["text"].trim().to_string(),
        });
    }
    if bullet && !t.is_empty() {
        return Some(Entry {
            label: None,
            code: None,
            qualifier: None,
            bullet: true,
            text: t.to_string(),
        });
    }
    None
}

/// Words that label items of a plan's hierarchy.
fn label_names_items(label: &str) -> bool {
    ACTION_HEADING.is_match(label)
        || matches!(
            label.to_lowercase().as_str(),
            "strategy" | "goal" | "objective" | "outcome" | "theme" | "policy" | "step" | "item"
        )
}

/// How strongly a label names actions ("Action" 0.9, "Recommendation" 0.65).
fn action_score(label: &str) -> f64 {
    header::score(label, &Default::default())
        .iter()
        .find(|(f, _)| *f == Field::Action)
        .map_or(0.0, |(_, v)| *v)
}

/// Does a label name actions (more than anything else)?
fn names_actions(label: &str) -> bool {
    header::score(label, &Default::default())
        .first()
        .is_some_and(|(f, v)| *f == Field::Action && *v >= 0.6)
}

/// Does an item state an action (a verb first, or "we will ...")?
fn states_action(text: &str) -> bool {
    profile::is_imperative(text) && !profile::is_past(text)
}

/// An entry found in the document, with where it is and the section in force.
struct Found<'a> {
    entry: Entry,
    source: &'a Source,
    block: usize,
    heading: Option<String>,
}

/// One action list found: the plan, its first block (for document order) and the blocks it
/// used.
pub struct ListPlan {
    /// The plan (kind [`PlanKind::List`]).
    pub plan: Plan,
    /// Index of its first block.
    pub block: usize,
    /// Every block it took.
    pub blocks: Vec<usize>,
}

/// A list looked at and not taken: where, how many items, why.
pub struct Rejected {
    /// Where the list starts.
    pub source: Source,
    /// Items in it.
    pub items: usize,
    /// Why it is not an action list.
    pub reason: String,
}

/// Find action lists among the blocks, skipping blocks already `taken` by other plans.
pub fn find(
    blocks: &[Block],
    taken: &dyn Fn(usize) -> bool,
    opts: &crate::Options,
) -> (Vec<ListPlan>, Vec<Rejected>) {
    let mut runs: Vec<Vec<Found>> = Vec::new();
    let mut run: Vec<Found> = Vec::new();
    let mut heading: Option<String> = None;
    // The number of the section in force ("5" under "5. What we intend to do"): paragraphs
    // numbered "5.1.", "5.2." are the document's numbered paragraphs, not list items.
    let mut section_number: Option<String> = None;
    for (i, b) in blocks.iter().enumerate() {
        let e = match &b.kind {
            BlockKind::ListItem { text, marker, .. } if !taken(i) => entry(text, marker),
            BlockKind::Paragraph { text } if !taken(i) => entry(text, ""),
            BlockKind::Paragraph { text } if FURNITURE.is_match(text) => continue,
            _ => None,
        };
        let e = e.filter(|e| {
            let numbered_paragraph = e.label.is_none()
                && !e.bullet
                && section_number.as_deref().is_some_and(|n| {
                    e.code
                        .as_deref()
                        .is_some_and(|c| c.strip_prefix(n).is_some_and(|r| r.starts_with('.')))
                });
            !numbered_paragraph
        });
        match e {
            Some(entry) => run.push(Found {
                entry,
                source: &b.source,
                block: i,
                heading: heading.clone(),
            }),
            None => {
                if let BlockKind::Paragraph { text } = &b.kind {
                    if FURNITURE.is_match(text) || text.split_whitespace().count() <= 3 {
                        continue;
                    }
                }
                if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
                if let BlockKind::Heading { text, .. } = &b.kind {
                    heading = Some(crate::detect::table::section_name(text));
                    if let Some(n) = NUMBERED
                        .captures(text.trim())
                        .map(|c| c["n"].trim_end_matches(['.', ')']).to_string())
                    {
                        section_number = Some(n);
                    }
                }
            }
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    // Labels form one hierarchy in a document ("Strategy 1" > "Measure All-1" > "Action
    // All-1.1"): when some label names actions, runs labelled otherwise are other levels.
    let action_label = runs
        .iter()
        .flatten()
        .filter_map(|f| f.entry.label.as_deref())
        .filter(|l| names_actions(l))
        .max_by(|a, b| action_score(a).total_cmp(&action_score(b)))
        .map(str::to_string);
    let mut plans = Vec::new();
    let mut rejected = Vec::new();
    for run in runs {
        let labelled: Vec<&str> = run
            .iter()
            .filter_map(|f| f.entry.label.as_deref())
            .collect();
        if let Some(a) = &action_label {
            if !labelled.is_empty() && !labelled.contains(&a.as_str()) {
                rejected.push(Rejected {
                    source: run[0].source.clone(),
                    items: run.len(),
                    reason: format!(
                        "items labelled \"{}\" are a level above the actions (labelled \"{a}\")",
                        labelled[0]
                    ),
                });
                continue;
            }
        }
        match judge(&run, opts) {
            Ok(p) => plans.push(p),
            Err(reason) => {
                if run.len() >= 2 {
                    rejected.push(Rejected {
                        source: run[0].source.clone(),
                        items: run.len(),
                        reason,
                    });
                }
            }
        }
    }
    (plans, rejected)
}

/// Is a run of entries an action list? Labelled runs: the label whose items read as actions
/// (the deepest level when codes nest) is the action; other labels are sections. Unlabelled
/// runs: numbered or bulleted items that read as actions under a heading that names actions.
fn judge(run: &[Found], opts: &crate::Options) -> Result<ListPlan, String> {
    let labels: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for f in run {
            if let Some(l) = &f.entry.label {
                if !v.contains(l) {
                    v.push(l.clone());
                }
            }
        }
        v
    };
    // The action label: the one whose items most read as actions (ties: the deeper codes).
    let share = |pick: &dyn Fn(&Found) -> bool| {
        let items: Vec<&Found> = run.iter().filter(|f| pick(f)).collect();
        let n = items.len();
        let acts = items
            .iter()
            .filter(|f| states_action(&f.entry.text))
            .count();
        (n, if n == 0 { 0.0 } else { acts as f64 / n as f64 })
    };
    let depth = |f: &Found| {
        f.entry
            .code
            .as_deref()
            .map_or(0, |c| c.matches(['.', '-', '–']).count())
    };
    let action_label = labels
        .iter()
        .map(|l| {
            let (n, s) = share(&|f: &Found| f.entry.label.as_deref() == Some(l));
            let named = action_score(l);
            let deep = run
                .iter()
                .filter(|f| f.entry.label.as_deref() == Some(l))
                .map(depth)
                .max()
                .unwrap_or(0);
            (l.clone(), n, s + 0.3 * named + 0.05 * deep as f64)
        })
        .filter(|(_, n, _)| *n >= 1)
        .max_by(|a, b| a.2.total_cmp(&b.2));
    let (members, is_labelled): (Vec<&Found>, bool) = match &action_label {
        Some((l, _, _)) => (
            run.iter()
                .filter(|f| f.entry.label.as_deref() == Some(l.as_str()))
                .collect(),
            true,
        ),
        None => (run.iter().collect(), false),
    };
    let n = members.len();
    let acts = members
        .iter()
        .filter(|f| states_action(&f.entry.text))
        .count();
    let past = members
        .iter()
        .filter(|f| profile::is_past(&f.entry.text))
        .count();
    let share = acts as f64 / n.max(1) as f64;
    let heading = run[0].heading.as_deref();
    let heading_names = heading.is_some_and(|h| ACTION_HEADING.is_match(h));
    let label_names = action_label
        .as_ref()
        .is_some_and(|(l, _, _)| names_actions(l));
    let numbered = members.iter().all(|f| f.entry.code.is_some());
    let what = if is_labelled {
        "labelled items"
    } else if numbered {
        "numbered items"
    } else {
        "bulleted items"
    };
    if past * 2 > n {
        return Err(format!(
            "{n} {what} report work done (past tense), not actions"
        ));
    }
    let ok = if is_labelled {
        (label_names && share >= 0.5) || share >= 0.7
    } else {
        n >= 2
            && ((heading_names && share >= 0.6)
                || (numbered
                    && n >= 3
                    && share >= 0.8
                    && members
                        .iter()
                        .all(|f| f.entry.text.split_whitespace().count() >= 5)))
    };
    if !ok {
        return Err(format!(
            "{n} {what}{}: {:.0}% open with a verb, not enough to read as actions{}",
            heading
                .map(|h| format!(" under \"{h}\""))
                .unwrap_or_default(),
            share * 100.0,
            if heading_names || label_names {
                ""
            } else {
                " (and no heading or label names actions)"
            }
        ));
    }
    // Rows: each member; the nearest preceding entry with another label is its section.
    let mut rows = Vec::new();
    let mut parent: Option<String> = None;
    let mut blocks = Vec::new();
    for f in run {
        blocks.push(f.block);
        let is_member = match &action_label {
            Some((l, _, _)) => f.entry.label.as_deref() == Some(l.as_str()),
            None => true,
        };
        if !is_member {
            let full = match (&f.entry.label, &f.entry.code) {
                (Some(l), Some(c)) => format!("{l} {c}: {}", f.entry.text),
                _ => f.entry.text.clone(),
            };
            parent = Some(full);
            continue;
        }
        let mut row = PlanRow {
            section: parent.clone().or_else(|| f.heading.clone()),
            source: f.source.clone(),
            ..PlanRow::default()
        };
        // Fields written in the item ("... (Lead: ICB, by March 2026)", "... Owner: X.").
        let (text, fields) = super::inline::split(&f.entry.text, opts);
        row.values.insert(Field::Action, text);
        for (field, value) in fields {
            row.values.insert(field, value);
        }
        if let Some(c) = &f.entry.code {
            row.values.insert(Field::Ref, c.clone());
        }
        if let Some(q) = &f.entry.qualifier {
            if profile::classify(q).due {
                row.values.insert(Field::Due, q.clone());
            } else {
                row.extra.insert("qualifier".to_string(), q.clone());
            }
        }
        rows.push(row);
    }
    let confidence = if label_names || heading_names {
        0.85
    } else {
        0.65
    };
    let reason = format!(
        "{n} {what}{}, {:.0}% open with a verb{}",
        action_label
            .as_ref()
            .map(|(l, _, _)| format!(" labelled \"{l}\""))
            .unwrap_or_default(),
        share * 100.0,
        heading
            .filter(|_| heading_names)
            .map(|h| format!(", under \"{h}\""))
            .unwrap_or_default()
    );
    let first = members.first().map(|f| f.block).unwrap_or(run[0].block);
    Ok(ListPlan {
        plan: Plan {
            kind: PlanKind::List,
            columns: super::inline::columns(&rows),
            confidence,
            reason,
            section: heading.map(str::to_string),
            objective: None,
            source: members
                .first()
                .map(|f| f.source.clone())
                .unwrap_or_default(),
            rows,
        },
        block: first,
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        let e = entry(
            "\u{f075} Action All-4.1: Adopt a \"Health in All Policies\" approach",
            "",
        )
        .unwrap();
        assert_eq!(e.label.as_deref(), Some("Action"));
        assert_eq!(e.code.as_deref(), Some("All-4.1"));
        assert!(e.text.starts_with("Adopt"));
        let e = entry("Action 3B (short term): Plant 500 street trees", "").unwrap();
        assert_eq!(e.code.as_deref(), Some("3B"));
        assert_eq!(e.qualifier.as_deref(), Some("short term"));
        let e = entry("Measure Fire-1: Map and identify locations", "").unwrap();
        assert_eq!(e.label.as_deref(), Some("Measure"));
        let e = entry("12. Collaborate among departments", "").unwrap();
        assert_eq!(e.code.as_deref(), Some("12"));
        assert_eq!(e.text, "Collaborate among departments");
        let e = entry("Publish the guide", "b)").unwrap();
        assert_eq!(e.code.as_deref(), Some("b"));
        assert!(entry("• Develop a carers card", "").unwrap().bullet);
        assert!(entry("Since 2019: we have grown", "").is_none());
        assert!(entry("The council will review its plan.", "").is_none());
    }
}
