//! Fields written inside an action's own text.
//!
//! List items and sentences carry their lead, deadline and measure in the same line as the
//! action, in three shapes:
//!
//! * labelled, run together: "Expand the sitting service. Owner: Adult Social Care. Deadline:
//!   April 2027." (a label is one to three capitalised words before a colon that the header
//!   vocabulary knows);
//! * in a closing bracket: "Introduce a carers register (Lead: ICB Primary Care, by March
//!   2026)", "Review the offer (Commissioning; 2026/27)", "... (short term)";
//! * after spaced dashes: "Train 200 staff in carer awareness – Carers Centre – 2026/27".
//!
//! A bracket or a dashed tail is taken only when every part of it reads as a field: a label the
//! header vocabulary knows, a deadline (a date, period or term, after an optional "by" or "due"),
//! or a name of an organisation, team, role or person. Anything else ("(see page 4)", "– phase
//! 2") leaves the text whole, and the action keeps at least three words.

use std::sync::LazyLock;

use regex::Regex;

use super::profile;
use super::records;
use super::Field;
use crate::normalise::due;
use crate::report::DueKind;

/// Spaced dashes between the parts of an item ("Action – Lead – 2026/27").
static DASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+[–—-]\s+").expect("dash regex"));
/// A deadline closing a sentence: "... by April 2027", "... before the end of 2026".
static TRAILING_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s(?:by|before|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?(?P<due>[^,;()]{3,30})$")
        .expect("trailing deadline regex")
});
/// Words that open a deadline ("by March 2026", "due: Q3", "deadline 2027").
static DUE_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:to\s+be\s+)?(?:completed\s+)?(?:by|due(?:\s+by)?|deadline|before|no\s+later\s+than|target(?:\s+date)?|timescale|from|until|in|every|each)\b\s*:?\s*")
        .expect("due lead-in regex")
});

/// The fields an action's text may carry inside it. (A label naming a section or objective
/// inside a sentence is more often part of it: "Deliver the Carers Strategy: phase 2".)
const INLINE: [Field; 5] = [
    Field::Lead,
    Field::Due,
    Field::Evidence,
    Field::Status,
    Field::Xref,
];

/// Most parts a bracket or a dashed tail of fields has (lead, deadline, measure, status...).
const MAX_PARTS: usize = 5;
/// Longest bracket of fields, in bytes.
const MAX_BRACKET: usize = 300;

/// An item's action text and the fields found inside it (in the order found; a field found
/// twice keeps its first value).
pub fn split(text: &str, opts: &crate::Options) -> (String, Vec<(Field, String)>) {
    let mut fields: Vec<(Field, String)> = Vec::new();
    let add = |fields: &mut Vec<(Field, String)>, f: Field, v: &str| {
        let v = v.trim().trim_end_matches(['.', ';', ',']).trim();
        if v.is_empty() {
            return;
        }
        match fields.iter_mut().find(|(g, _)| *g == f) {
            // Two names in a bracket ("(Carers Centre, Public Health)") are one lead.
            Some((Field::Lead, old)) if f == Field::Lead => {
                old.push_str(", ");
                old.push_str(v);
            }
            Some(_) => {}
            None => fields.push((f, v.to_string())),
        }
    };
    // A bracket closing the item first (its parts may be labelled: "(Lead: X; Timescale: Y)"),
    // then labelled fields run together, then dashed parts, from the end.
    let mut text = text.trim().to_string();
    if let Some((body, parts)) = bracket(&text, opts) {
        text = body;
        for (f, v) in parts {
            add(&mut fields, f, &v);
        }
    }
    let pairs = records::split_fields(("Action".to_string(), text), opts);
    let mut action = pairs.first().map(|(_, v)| v.clone()).unwrap_or_default();
    for (label, value) in pairs.iter().skip(1) {
        match records::label_field(label, opts) {
            Some(f) if INLINE.contains(&f) => add(&mut fields, f, value),
            // Not a field after all: the text goes back to the action.
            _ => {
                action.push(' ');
                action.push_str(label);
                action.push_str(": ");
                action.push_str(value);
            }
        }
    }
    if let Some((body, parts)) = bracket(&action, opts) {
        action = body;
        for (f, v) in parts {
            add(&mut fields, f, &v);
        }
    }
    if let Some((body, parts)) = dashed(&action, opts) {
        action = body;
        for (f, v) in parts {
            add(&mut fields, f, &v);
        }
    }
    // A deadline that ends the sentence ("... by April 2027") stays in the action's words.
    if !fields.iter().any(|(f, _)| *f == Field::Due) {
        if let Some(c) = TRAILING_BY.captures(action.trim_end().trim_end_matches('.')) {
            let due = c["due"].trim();
            if due::parse(due).kind != DueKind::Unspecified && profile::is_due(due) {
                fields.push((Field::Due, due.to_string()));
            }
        }
    }
    (action.trim().to_string(), fields)
}

/// Does a cell's text carry a lead or a deadline inside it? (A cheap test first: brackets,
/// dashes or a colon must be there.)
pub fn carries_fields(text: &str) -> bool {
    let hint = text.trim_end().ends_with(')')
        || text.contains(" – ")
        || text.contains(" - ")
        || text.contains(" — ")
        || text.contains(':');
    hint && split(text, &DEFAULT)
        .1
        .iter()
        .any(|(f, _)| matches!(f, Field::Lead | Field::Due))
}

/// Default options, for callers that have none to pass (column profiles, table rows).
pub(crate) static DEFAULT: LazyLock<crate::Options> = LazyLock::new(crate::Options::default);

/// The columns of a plan whose rows carry fields in their text: the action, and each field
/// some row carries (so that a list whose items name their leads is not reported as having no
/// lead column). None when no row carries a field.
pub fn columns(rows: &[super::PlanRow]) -> Vec<super::Column> {
    if !INLINE
        .iter()
        .any(|f| rows.iter().any(|r| r.values.contains_key(f)))
    {
        return Vec::new();
    }
    let mut out = vec![super::Column {
        index: 0,
        header: "(item text)".to_string(),
        field: Some(Field::Action),
        confidence: 1.0,
        header_score: 0.0,
        content_score: 1.0,
        reason: "the items' text".to_string(),
    }];
    for f in INLINE {
        if rows.iter().any(|r| r.values.contains_key(&f)) {
            out.push(super::Column {
                index: out.len(),
                header: format!("({} in the item text)", f.name()),
                field: Some(f),
                confidence: 0.8,
                header_score: 0.0,
                content_score: 1.0,
                reason:
                    "written in the items' text: labelled, in a closing bracket or after a dash"
                        .to_string(),
            });
        }
    }
    out
}

/// What one part of a bracket or dashed tail is, if a field.
fn part_field(part: &str, before: &str, opts: &crate::Options) -> Option<(Field, String)> {
    let p = part.trim().trim_end_matches(['.', ';', ',']).trim();
    if p.is_empty() {
        return None;
    }
    if let Some((label, value)) = p.split_once(':') {
        let value = value.trim();
        if value.is_empty() || label.split_whitespace().count() > 3 {
            return None;
        }
        return match records::label_field(label.trim(), opts) {
            Some(f) if INLINE.contains(&f) => Some((f, value.to_string())),
            // A label the vocabulary does not know clearly ("Target: Q2 2026") over a date.
            _ if profile::is_due(value) => Some((Field::Due, value.to_string())),
            _ => None,
        };
    }
    let rest = DUE_LEAD_IN.replace(p, "");
    if profile::is_due(&rest) {
        return Some((Field::Due, rest.trim().to_string()));
    }
    if rest.len() < p.len() {
        // "by the Carers Centre" is not a deadline, nor a name.
        return None;
    }
    if abbreviates(before, p) {
        return None;
    }
    let words = p.split_whitespace().count();
    let k = profile::classify(p);
    let name = (profile::is_org(p) || profile::is_person(p)) && !k.imperative && words <= 8;
    name.then(|| (Field::Lead, p.to_string()))
}

/// "Action text (part, part)" -> the text and the parts, when every part is a field.
fn bracket(text: &str, opts: &crate::Options) -> Option<(String, Vec<(Field, String)>)> {
    let t = text.trim_end().trim_end_matches('.').trim_end();
    let inner = t.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let body = inner[..open].trim_end();
    let inside = &inner[open + 1..];
    if inside.len() > MAX_BRACKET || inside.split([',', ';']).count() > MAX_PARTS {
        return None;
    }
    let parts = fields_of(inside.split([',', ';']), body, opts)?;
    (body.split_whitespace().count() >= 3).then(|| (body.to_string(), parts))
}

/// "Action text – part – part" -> the text and the parts after it that are fields.
fn dashed(text: &str, opts: &crate::Options) -> Option<(String, Vec<(Field, String)>)> {
    let t = text.trim_end().trim_end_matches('.').trim_end();
    let cuts: Vec<(usize, usize)> = DASH.find_iter(t).map(|m| (m.start(), m.end())).collect();
    // The longest tail of dashed parts that are all fields, one of each kind (a tail holds a
    // few fields: only the last MAX_PARTS dashes are looked at, which keeps this linear).
    let mut best = None;
    let first = cuts.len().saturating_sub(MAX_PARTS);
    for (k, &(start, _)) in cuts.iter().enumerate().skip(first) {
        let tail: Vec<&str> = cuts[k..]
            .iter()
            .enumerate()
            .map(|(j, &(_, end))| {
                let stop = cuts.get(k + j + 1).map_or(t.len(), |c| c.0);
                &t[end..stop]
            })
            .collect();
        let Some(found) = fields_of(tail.into_iter(), &t[..start], opts) else {
            continue;
        };
        // "April 2026 – March 2027" is one period.
        let mut parts: Vec<(Field, String)> = Vec::new();
        for (f, v) in found {
            match parts.last_mut() {
                Some((Field::Due, last)) if f == Field::Due => {
                    last.push_str(" – ");
                    last.push_str(&v);
                }
                _ => parts.push((f, v)),
            }
        }
        let distinct = parts
            .iter()
            .enumerate()
            .all(|(i, (f, _))| !parts[..i].iter().any(|(g, _)| g == f));
        let body = &t[..start];
        if distinct && body.split_whitespace().count() >= 3 {
            best = Some((body.trim_end().to_string(), parts));
            break;
        }
    }
    best
}

fn fields_of<'a>(
    parts: impl Iterator<Item = &'a str>,
    before: &str,
    opts: &crate::Options,
) -> Option<Vec<(Field, String)>> {
    let mut out = Vec::new();
    for p in parts {
        if p.trim().is_empty() {
            continue;
        }
        out.push(part_field(p, before, opts)?);
    }
    (!out.is_empty()).then_some(out)
}

/// Is `part` an abbreviation of words in `before` ("Carers Emergency Plan (CEP)", "Surface
/// Water and Groundwater Dependent Ecosystems Workplan (SW/GDE Workplan)")? Each acronym in
/// it spells the initials of consecutive words (small words may be left out), and each other
/// word is one of the words before it.
fn abbreviates(before: &str, part: &str) -> bool {
    const SMALL: [&str; 8] = ["of", "and", "for", "the", "&", "to", "in", "on"];
    // The words just before the bracket are what it abbreviates.
    let start = before
        .char_indices()
        .rev()
        .nth(MAX_BRACKET)
        .map_or(0, |(i, _)| i);
    let words: Vec<String> = before[start..]
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let initials = |skip_small: bool| -> String {
        words
            .iter()
            .filter(|w| !skip_small || !SMALL.contains(&w.as_str()))
            .filter_map(|w| w.chars().next())
            .collect()
    };
    let (all, content) = (initials(false), initials(true));
    let mut acronyms = 0;
    for token in part.split(|c: char| c.is_whitespace() || c == '/' || c == '-') {
        let t = token.trim_matches(|c: char| !c.is_alphanumeric());
        if t.is_empty() {
            continue;
        }
        let caps = t.chars().filter(|c| c.is_uppercase()).count();
        if caps >= 2 {
            let letters = t.to_lowercase();
            if !(all.contains(&letters) || content.contains(&letters)) {
                return false;
            }
            acronyms += 1;
        } else if !words.contains(&t.to_lowercase()) {
            return false;
        }
    }
    acronyms > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(text: &str) -> (String, Vec<(Field, String)>) {
        split(text, &crate::Options::default())
    }

    fn field(fs: &[(Field, String)], f: Field) -> Option<&str> {
        fs.iter().find(|(g, _)| *g == f).map(|(_, v)| v.as_str())
    }

    #[test]
    fn labelled_fields_run_together() {
        let (a, fs) =
            get("Expand the sitting service to weekends. Owner: Adult Social Care. Deadline: April 2027.");
        assert_eq!(a, "Expand the sitting service to weekends.");
        assert_eq!(field(&fs, Field::Lead), Some("Adult Social Care"));
        assert_eq!(field(&fs, Field::Due), Some("April 2027"));
    }

    #[test]
    fn brackets_of_fields() {
        let (a, fs) = get("Introduce a carers register in every GP practice (Lead: ICB Primary Care, by March 2026)");
        assert_eq!(a, "Introduce a carers register in every GP practice");
        assert_eq!(field(&fs, Field::Lead), Some("ICB Primary Care"));
        assert_eq!(field(&fs, Field::Due), Some("March 2026"));
        let (a, fs) = get("Review the respite offer with carers (Commissioning Team; 2026/27)");
        assert_eq!(a, "Review the respite offer with carers");
        assert_eq!(field(&fs, Field::Lead), Some("Commissioning Team"));
        assert_eq!(field(&fs, Field::Due), Some("2026/27"));
        let (a, fs) = get("Improve annual health checks for carers (NHS England)");
        assert_eq!(field(&fs, Field::Lead), Some("NHS England"), "{a}");
        let (a, fs) =
            get("Set up a carers card scheme (Lead: Youth Service; Timescale: September 2026)");
        assert_eq!(a, "Set up a carers card scheme");
        assert_eq!(field(&fs, Field::Lead), Some("Youth Service"));
        assert_eq!(field(&fs, Field::Due), Some("September 2026"));
        let (a, fs) = get("Commission a young adult carers service (YACS) by April 2027");
        assert_eq!(
            a,
            "Commission a young adult carers service (YACS) by April 2027"
        );
        assert_eq!(field(&fs, Field::Due), Some("April 2027"));
        assert!(get("Fund advocacy delivered by the Carers Centre")
            .1
            .is_empty());
        let (_, fs) =
            get("Offer every family a support session (Owner: Memory Service; Target: Q2 2026)");
        assert_eq!(field(&fs, Field::Lead), Some("Memory Service"));
        assert_eq!(field(&fs, Field::Due), Some("Q2 2026"));
        let (a, fs) = get("Expand the sitting service (short term)");
        assert_eq!(a, "Expand the sitting service");
        assert_eq!(field(&fs, Field::Due), Some("short term"));
    }

    #[test]
    fn dashed_tails() {
        let (a, fs) = get("Train 200 frontline staff in carer awareness – Carers Centre – 2026/27");
        assert_eq!(a, "Train 200 frontline staff in carer awareness");
        assert_eq!(field(&fs, Field::Lead), Some("Carers Centre"));
        assert_eq!(field(&fs, Field::Due), Some("2026/27"));
        let (a, fs) =
            get("Run a carers forum in each district - Carers Hub - April 2026 - March 2027");
        assert_eq!(a, "Run a carers forum in each district");
        assert_eq!(field(&fs, Field::Due), Some("April 2026 – March 2027"));
    }

    #[test]
    fn long_text_is_read_in_linear_time() {
        // A 1 MB line of dashes and brackets (a mutant): only the tail is looked at.
        let long = "Train staff – Carers Centre (CC, ICB) ".repeat(25_000) + "– Carers Hub – 2026";
        let (_, fs) = get(&long);
        assert_eq!(field(&fs, Field::Due), Some("2026"));
    }

    #[test]
    fn text_that_is_not_fields_stays_whole() {
        for t in [
            "Publish the carers guide (see page 4 for details)",
            "Develop the young carers strategy – a whole-family approach",
            "Solar Survey - Inventory city buildings for solar potential",
            "Work with schools (and colleges) to identify young carers",
            "Carers Week - celebrate carers across the county",
            "Introduce a Carers Emergency Plan (CEP)",
            "Agree a Memorandum of Understanding (MoU)",
            "Implement the Surface Water and Groundwater Dependent Ecosystems Workplan (SW/GDE Workplan)",
        ] {
            let (a, fs) = get(t);
            assert!(fs.is_empty(), "{t}: {fs:?}");
            assert_eq!(a, t);
        }
    }
}
