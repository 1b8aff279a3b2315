//! Header vocabulary: which canonical field a column header means.
//!
//! Councils word headers in endless ways ("Lead", "Lead Persons/Agencies", "Responsible
//! officer", "Who?"; "By when?", "Timescale", "Target date"; "How will we know when we get
//! there?", "Measures of success", "KPI"). Matching is by words, not by exact strings: each
//! vocabulary entry is a phrase of word stems (`responsib*` matches "responsible",
//! "responsibility"), scored by how telling it is. Entries starting with `=` only match when they
//! are the whole header (plain question words such as "Who?" or "When?"). The column's content
//! breaks ties (dates and "Ongoing" say `due`; short numbers say `ref`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::{Column, Field};
use crate::normalise::due;

/// Vocabulary: (field, phrase, score).
const VOCABULARY: &[(Field, &str, f64)] = &[
    // ref
    (Field::Ref, "=#", 0.95),
    (Field::Ref, "=no", 0.9),
    (Field::Ref, "=ref", 0.9),
    (Field::Ref, "=ref no", 0.95),
    (Field::Ref, "=reference no", 0.9),
    (Field::Ref, "=item", 0.7),
    (Field::Ref, "=id", 0.85),
    (Field::Ref, "=number", 0.7),
    (Field::Ref, "=action no", 0.95),
    (Field::Ref, "=action ref", 0.95),
    // action
    (Field::Action, "action*", 0.9),
    (Field::Action, "action* taken", 0.55),
    (Field::Action, "task*", 0.85),
    (Field::Action, "activit*", 0.8),
    (Field::Action, "what we will do", 0.92),
    (Field::Action, "what will we do", 0.92),
    (Field::Action, "what are we going to do", 0.92),
    (Field::Action, "what we are going to do", 0.92),
    (Field::Action, "=what", 0.75),
    (Field::Action, "how will we do", 0.75),
    (Field::Action, "how will we achieve", 0.7),
    (Field::Action, "how we will achieve", 0.7),
    (Field::Action, "initiative*", 0.7),
    (Field::Action, "intervention*", 0.7),
    (Field::Action, "deliverable*", 0.65),
    (Field::Action, "step*", 0.6),
    (Field::Action, "commitment*", 0.75),
    (Field::Action, "we will", 0.8),
    (Field::Action, "proposal*", 0.6),
    (Field::Action, "recommendation*", 0.65),
    (Field::Action, "project*", 0.5),
    (Field::Action, "=description", 0.5),
    (Field::Action, "work programme", 0.5),
    (Field::Action, "=plan", 0.45),
    // lead
    (Field::Lead, "lead*", 0.9),
    (Field::Lead, "owner*", 0.9),
    (Field::Lead, "responsib*", 0.9),
    (Field::Lead, "accountab*", 0.85),
    (Field::Lead, "=who", 0.85),
    (Field::Lead, "by whom", 0.9),
    (Field::Lead, "who will", 0.85),
    (Field::Lead, "who is", 0.85),
    (Field::Lead, "who leads", 0.9),
    (Field::Lead, "delivered by", 0.85),
    (Field::Lead, "led by", 0.9),
    (Field::Lead, "officer*", 0.6),
    (Field::Lead, "agenc*", 0.55),
    (Field::Lead, "partner*", 0.5),
    (Field::Lead, "champion*", 0.6),
    (Field::Lead, "sponsor*", 0.7),
    (Field::Lead, "=contact", 0.55),
    (Field::Lead, "organisation*", 0.5),
    (Field::Lead, "manager*", 0.5),
    (Field::Lead, "=service", 0.4),
    // due
    (Field::Due, "by when", 0.95),
    (Field::Due, "=when", 0.9),
    (Field::Due, "deadline*", 0.95),
    (Field::Due, "target date*", 0.95),
    (Field::Due, "date*", 0.7),
    (Field::Due, "timescal*", 0.95),
    (Field::Due, "time scal*", 0.95),
    (Field::Due, "timeframe*", 0.9),
    (Field::Due, "time frame*", 0.9),
    (Field::Due, "timeline*", 0.9),
    (Field::Due, "timing*", 0.85),
    (Field::Due, "=time", 0.6),
    (Field::Due, "completion", 0.75),
    (Field::Due, "complete by", 0.9),
    (Field::Due, "achieve* by", 0.9),
    (Field::Due, "=due", 0.9),
    (Field::Due, "due date", 0.95),
    (Field::Due, "due by", 0.95),
    (Field::Due, "milestone*", 0.6),
    (Field::Due, "=year", 0.5),
    (Field::Due, "=period", 0.45),
    (Field::Due, "when will", 0.85),
    // evidence
    (Field::Evidence, "evidenc*", 0.95),
    (Field::Evidence, "how will we know", 0.95),
    (Field::Evidence, "how we will know", 0.95),
    (Field::Evidence, "how will you know", 0.9),
    (Field::Evidence, "how will we measure", 0.95),
    (Field::Evidence, "how will it be measured", 0.95),
    (Field::Evidence, "measur*", 0.85),
    (Field::Evidence, "success*", 0.8),
    (Field::Evidence, "=kpi*", 0.9),
    (Field::Evidence, "kpi*", 0.85),
    (Field::Evidence, "indicator*", 0.85),
    (Field::Evidence, "output*", 0.7),
    (Field::Evidence, "outcome*", 0.55),
    (Field::Evidence, "expected outcome*", 0.75),
    (Field::Evidence, "expected result*", 0.75),
    (Field::Evidence, "=target*", 0.55),
    (Field::Evidence, "monitor*", 0.6),
    (Field::Evidence, "impact*", 0.6),
    (Field::Evidence, "result*", 0.6),
    (Field::Evidence, "difference", 0.5),
    (Field::Evidence, "what will success look like", 0.95),
    // xref
    (Field::Xref, "x ref*", 0.95),
    (Field::Xref, "xref*", 0.95),
    (Field::Xref, "cross ref*", 0.95),
    (Field::Xref, "link*", 0.85),
    (Field::Xref, "relat*", 0.6),
    (Field::Xref, "contribut*", 0.6),
    (Field::Xref, "align*", 0.6),
    (Field::Xref, "=reference", 0.5),
    (Field::Xref, "ref* to", 0.8),
    (Field::Xref, "strategic priorit*", 0.6),
    (Field::Xref, "national indicator*", 0.5),
    // objective
    (Field::Objective, "objective*", 0.9),
    (Field::Objective, "aim*", 0.8),
    (Field::Objective, "goal*", 0.8),
    (Field::Objective, "outcome*", 0.6),
    (Field::Objective, "priorit*", 0.6),
    (Field::Objective, "purpose", 0.6),
    (Field::Objective, "=why", 0.6),
    (Field::Objective, "what we want to achieve", 0.9),
    (Field::Objective, "desired outcome*", 0.7),
    (Field::Objective, "intended outcome*", 0.7),
    // section
    (Field::Section, "key delivery area*", 0.92),
    (Field::Section, "delivery area*", 0.9),
    (Field::Section, "=area*", 0.6),
    (Field::Section, "area* of", 0.6),
    (Field::Section, "key area*", 0.8),
    (Field::Section, "theme*", 0.75),
    (Field::Section, "strand*", 0.75),
    (Field::Section, "workstream*", 0.75),
    (Field::Section, "work stream*", 0.75),
    (Field::Section, "domain*", 0.6),
    (Field::Section, "=category", 0.6),
    (Field::Section, "=section", 0.6),
    (Field::Section, "=topic", 0.6),
    (Field::Section, "=element*", 0.5),
    // status
    (Field::Status, "status", 0.9),
    (Field::Status, "rag*", 0.9),
    (Field::Status, "progress*", 0.8),
    (Field::Status, "=update*", 0.6),
    (Field::Status, "current position", 0.8),
    (Field::Status, "=rating", 0.6),
];

/// Words ignored when deciding whether an `=` entry is the whole header.
const FILLER: &[&str] = &[
    "the", "a", "an", "is", "are", "be", "will", "it", "this", "s", "to",
];

struct Entry {
    field: Field,
    words: Vec<String>,
    whole: bool,
    score: f64,
}

static ENTRIES: LazyLock<Vec<Entry>> =
    LazyLock::new(|| VOCABULARY.iter().map(|&(f, p, s)| entry(f, p, s)).collect());

fn entry(field: Field, phrase: &str, score: f64) -> Entry {
    let (whole, phrase) = match phrase.strip_prefix('=') {
        Some(p) => (true, p),
        None => (false, phrase),
    };
    Entry {
        field,
        words: phrase.split_whitespace().map(str::to_string).collect(),
        whole,
        score,
    }
}

/// Lower-case words of a header (`#` is kept as a word).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if c == '#' {
                out.push("#".into());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == pattern || word.strip_suffix('s') == Some(pattern),
    }
}

fn matches(e: &Entry, ws: &[String]) -> bool {
    if e.whole {
        let content: Vec<&String> = ws
            .iter()
            .filter(|w| !FILLER.contains(&w.as_str()))
            .collect();
        return content.len() == e.words.len()
            && e.words.iter().zip(content).all(|(p, w)| word_matches(p, w));
    }
    ws.windows(e.words.len())
        .any(|win| e.words.iter().zip(win).all(|(p, w)| word_matches(p, w)))
}

/// Score every field for one header text, best first. `extra` holds user synonyms per field
/// (whole-phrase matches scoring 0.97).
pub fn score(text: &str, extra: &BTreeMap<String, Vec<String>>) -> Vec<(Field, f64)> {
    let ws = words(text);
    let mut best: BTreeMap<Field, f64> = BTreeMap::new();
    if ws.is_empty() {
        return Vec::new();
    }
    for (name, phrases) in extra {
        if let Some(field) = Field::from_name(name) {
            for p in phrases {
                if words(p) == ws {
                    best.insert(field, 0.97);
                }
            }
        }
    }
    for e in ENTRIES.iter() {
        if matches(e, &ws) {
            // A long header that merely contains a weak word is less telling.
            let mut s = e.score;
            if !e.whole && e.words.len() == 1 && ws.len() > 4 {
                s -= 0.1;
            }
            let slot = best.entry(e.field).or_insert(0.0);
            if s > *slot {
                *slot = s;
            }
        }
    }
    // "action* taken" describes past work (an achievements table), not a plan column.
    if ws
        .windows(2)
        .any(|w| w[0].starts_with("action") && w[1] == "taken")
    {
        best.insert(Field::Action, 0.55);
    }
    let mut out: Vec<(Field, f64)> = best.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

/// What the values of a column look like.
#[derive(Debug, Clone, Copy, Default)]
pub struct Profile {
    /// Share of non-empty values that read as deadlines.
    pub due: f64,
    /// Share of non-empty values that read as row numbers / codes.
    pub reference: f64,
    /// Mean words per non-empty value.
    pub words: f64,
    /// Number of non-empty values.
    pub filled: usize,
}

/// Is this a row number or code such as "1", "2.4", "3a", "(ii)", "A1"?
pub fn is_ref(text: &str) -> bool {
    static RE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^\(?([0-9]{1,3}(\.[0-9]{1,3}){0,3}[a-z]?|[A-Z]{1,3}[0-9]{1,3}(\.[0-9]{1,3})*|[ivx]{1,5}|[a-z])[.)]?$").unwrap()
    });
    RE.is_match(text.trim())
}

/// Profile the values of one column.
pub fn profile<'a>(values: impl Iterator<Item = &'a str>) -> Profile {
    let mut p = Profile::default();
    let (mut due_n, mut ref_n, mut words_n) = (0usize, 0usize, 0usize);
    for v in values {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        p.filled += 1;
        words_n += v.split_whitespace().count();
        if is_ref(v) {
            ref_n += 1;
        } else if v.split_whitespace().count() <= 12
            && due::parse(v).kind != crate::report::DueKind::Unspecified
        {
            due_n += 1;
        }
    }
    if p.filled > 0 {
        let n = p.filled as f64;
        p.due = due_n as f64 / n;
        p.reference = ref_n as f64 / n;
        p.words = words_n as f64 / n;
    }
    p
}

/// Map the columns of a header row to fields, one column per field at most. `profiles` (one per
/// column, possibly empty) break ties. Returns every column, mapped or not.
pub fn map_columns(
    headers: &[String],
    profiles: &[Profile],
    extra: &BTreeMap<String, Vec<String>>,
) -> Vec<Column> {
    let mut candidates: Vec<(usize, Field, f64)> = Vec::new();
    let scores: Vec<Vec<(Field, f64)>> = headers.iter().map(|h| score(h, extra)).collect();
    let action_col = scores
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.iter()
                .find(|(f, _)| *f == Field::Action)
                .map(|(_, v)| (i, *v))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i);
    for (i, s) in scores.iter().enumerate() {
        let prof = profiles.get(i).copied().unwrap_or_default();
        let only_outcome = words(&headers[i]).iter().any(|w| w.starts_with("outcome"))
            && !s.iter().any(|(f, v)| *f == Field::Evidence && *v > 0.6);
        for &(f, mut v) in s {
            // An "Outcome" column left of the actions states the objective; right of them, the
            // expected result (evidence).
            if only_outcome && matches!(f, Field::Objective | Field::Evidence) {
                let left = action_col.is_some_and(|a| i < a);
                v = match (f, left) {
                    (Field::Objective, true) | (Field::Evidence, false) => 0.7,
                    _ => 0.5,
                };
            }
            if f == Field::Due && prof.filled > 0 {
                v += 0.2 * prof.due;
            }
            if f == Field::Ref && prof.filled > 0 && prof.reference < 0.3 {
                v -= 0.3;
            }
            candidates.push((i, f, v));
        }
        // Headerless columns: decide by content.
        if headers[i].trim().is_empty() && prof.filled > 0 {
            if prof.reference >= 0.6 || (i == 0 && prof.reference >= 0.4) {
                candidates.push((i, Field::Ref, 0.8));
            } else if prof.due >= 0.6 {
                candidates.push((i, Field::Due, 0.6));
            }
        }
        // A column whose values are mostly deadlines is the due column, whatever its header.
        if prof.filled >= 3 && prof.due >= 0.7 && !s.iter().any(|(f, _)| *f == Field::Due) {
            candidates.push((i, Field::Due, 0.5 + 0.3 * prof.due));
        }
    }
    candidates.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut columns: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| Column {
            index: i,
            header: h.trim().to_string(),
            field: None,
            confidence: 0.0,
        })
        .collect();
    let mut taken: Vec<Field> = Vec::new();
    for (i, f, v) in candidates {
        if v < 0.45 || columns[i].field.is_some() || taken.contains(&f) {
            continue;
        }
        columns[i].field = Some(f);
        columns[i].confidence = v.min(1.0);
        taken.push(f);
    }
    columns
}

/// How much a row looks like a header of an action plan: `Some(confidence)` when it has an
/// action column (or an objective standing in for one) and at least one of lead / due / evidence.
pub fn plan_confidence(columns: &[Column]) -> Option<f64> {
    let conf = |f: Field| {
        columns
            .iter()
            .find(|c| c.field == Some(f))
            .map(|c| c.confidence)
    };
    let action = conf(Field::Action).or_else(|| conf(Field::Objective).map(|v| v * 0.8))?;
    let support: Vec<f64> = [Field::Lead, Field::Due, Field::Evidence]
        .iter()
        .filter_map(|&f| conf(f))
        .collect();
    if support.is_empty() {
        return None;
    }
    if action < 0.6 && support.len() < 2 {
        return None;
    }
    let mean = (action + support.iter().sum::<f64>()) / (1 + support.len()) as f64;
    Some((mean * (0.7 + 0.1 * support.len() as f64)).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(h: &str) -> Option<Field> {
        score(h, &BTreeMap::new()).first().map(|x| x.0)
    }

    #[test]
    fn vocabulary_covers_council_wordings() {
        for (h, f) in [
            ("Action", Field::Action),
            ("Actions to be taken", Field::Action),
            ("Task", Field::Action),
            ("What will we do?", Field::Action),
            ("Lead", Field::Lead),
            ("Lead Persons/Agencies", Field::Lead),
            ("Lead officer", Field::Lead),
            ("Owner", Field::Lead),
            ("Accountable", Field::Lead),
            ("Responsible officer", Field::Lead),
            ("Who?", Field::Lead),
            ("By when?", Field::Due),
            ("Deadline", Field::Due),
            ("Target date", Field::Due),
            ("Timescale", Field::Due),
            ("When?", Field::Due),
            ("How will we know when we get there?", Field::Evidence),
            ("Evidence of Outcomes", Field::Evidence),
            ("Measures of success", Field::Evidence),
            ("KPI", Field::Evidence),
            ("X Reference", Field::Xref),
            ("Links to", Field::Xref),
            ("Objectives", Field::Objective),
            ("Key Delivery Areas", Field::Section),
            ("RAG status", Field::Status),
            ("#", Field::Ref),
        ] {
            assert_eq!(best(h), Some(f), "{h}");
        }
        assert_eq!(best("Budget"), None);
    }

    #[test]
    fn content_breaks_ties_and_headerless_columns() {
        let headers: Vec<String> = ["", "Action", "Lead", "Milestone"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let profiles = vec![
            profile(["1", "2", "3"].into_iter()),
            profile(["Do a thing for carers"].into_iter()),
            profile(["HHAS"].into_iter()),
            profile(["March 2009", "Ongoing", "2011"].into_iter()),
        ];
        let cols = map_columns(&headers, &profiles, &BTreeMap::new());
        let fields: Vec<Option<Field>> = cols.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            vec![
                Some(Field::Ref),
                Some(Field::Action),
                Some(Field::Lead),
                Some(Field::Due)
            ]
        );
        assert!(plan_confidence(&cols).unwrap() > 0.6);
    }

    #[test]
    fn non_plans_are_rejected() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for headers in [
            h(&["Version", "Date", "Author", "Changes"]),
            h(&[
                "Performance Measures",
                "Target for 2007-2008",
                "Target for 2008-2009",
            ]),
            h(&["Elements", "Action taken", "Achievements"]),
            h(&["Contents", "Page"]),
            h(&["Age Group", "Number of people", "TOTAL"]),
        ] {
            let cols = map_columns(&headers, &[], &BTreeMap::new());
            assert_eq!(plan_confidence(&cols), None, "{headers:?}");
        }
    }

    #[test]
    fn user_synonyms_win() {
        let mut extra = BTreeMap::new();
        extra.insert("lead".to_string(), vec!["Head of Service".to_string()]);
        assert_eq!(score("Head of service", &extra)[0].0, Field::Lead);
    }
}
