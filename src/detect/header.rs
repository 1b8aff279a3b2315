//! Header vocabulary: which canonical field a column header means.
//!
//! Councils word headers in endless ways ("Lead", "Lead Persons/Agencies", "Responsible
//! officer", "Who?"; "By when?", "Timescale", "Target date"; "How will we know when we get
//! there?", "Measures of success", "KPI"). Matching is by words, not by exact strings: each
//! vocabulary entry is a phrase of word stems (`responsib*` matches "responsible",
//! "responsibility"), scored by how telling it is. Entries starting with `=` only match when they
//! are the whole header (plain question words such as "Who?" or "When?"). The column's content
//! is weighed against the header in [`super::assign`].

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::Field;

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
    (Field::Action, "commit*", 0.75),
    (Field::Action, "=title", 0.55),
    (Field::Action, "action* title", 0.92),
    (Field::Action, "what we will", 0.85),
    (Field::Action, "what will", 0.7),
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
    (Field::Due, "end date*", 0.93),
    (Field::Due, "completion date*", 0.95),
    (Field::Due, "finish date*", 0.93),
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
    (Field::Due, "target quarter*", 0.92),
    (Field::Due, "target year*", 0.9),
    (Field::Due, "target month*", 0.92),
    (Field::Due, "=quarter*", 0.7),
    (Field::Due, "=month*", 0.6),
    (Field::Due, "delivery date*", 0.93),
    (Field::Due, "=term", 0.6),
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
    (Field::Evidence, "success look* like", 0.95),
    (Field::Evidence, "=how", 0.6),
    (Field::Evidence, "how will", 0.6),
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

/// Abbreviations that code-style headers use (`target_qtr`, `resp_officer`, `desc`).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("qtr", "quarter"),
    ("dt", "date"),
    ("desc", "description"),
    ("descr", "description"),
    ("resp", "responsible"),
    ("tgt", "target"),
    ("yr", "year"),
    ("mth", "month"),
    ("org", "organisation"),
    ("dept", "department"),
    ("kpis", "kpi"),
    ("xref", "xref"),
];

/// Lower-case words of a header (`#` is kept as a word). Code-style names are split on `_`,
/// `-`, `.` and case changes (`action_title`, `ownerTeam`, `TargetQtr`) and their common
/// abbreviations expanded (`qtr` -> `quarter`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    let push = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            let w = std::mem::take(cur);
            let w = ABBREVIATIONS
                .iter()
                .find(|(a, _)| *a == w)
                .map_or(w, |(_, full)| full.to_string());
            out.push(w);
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            // "ownerTeam": a capital after a lower-case letter starts a word.
            if c.is_uppercase() && prev_lower {
                push(&mut cur, &mut out);
            }
            cur.extend(c.to_lowercase());
            prev_lower = c.is_lowercase();
        } else {
            push(&mut cur, &mut out);
            prev_lower = false;
            if c == '#' {
                out.push("#".into());
            }
        }
    }
    push(&mut cur, &mut out);
    out
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        // A stem matches the word's forms, not an adverb made from it ("objective*" does not
        // match "objectively").
        Some(stem) => {
            word.starts_with(stem) && !(word.ends_with("ly") && word.len() > stem.len() + 2)
        }
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
    // A start date is when work begins, not when it is due.
    if ws.iter().any(|w| {
        matches!(
            w.as_str(),
            "start" | "starting" | "begin" | "commence" | "commencing"
        )
    }) {
        if let Some(v) = best.get_mut(&Field::Due) {
            *v = (*v * 0.6).min(0.44);
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

/// Is this a row number or code such as "1", "2.4", "3a", "(ii)", "A1"?
pub fn is_ref(text: &str) -> bool {
    static RE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^\(?([0-9]{1,3}(\.[0-9]{1,3}){0,3}[a-z]?|[A-Z]{1,3}[0-9]{1,3}(\.[0-9]{1,3})*|[ivx]{1,5}|[a-z])[.)]?$").unwrap()
    });
    RE.is_match(text.trim())
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
            ("End date", Field::Due),
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
    fn user_synonyms_win() {
        let mut extra = BTreeMap::new();
        extra.insert("lead".to_string(), vec!["Head of Service".to_string()]);
        assert_eq!(score("Head of service", &extra)[0].0, Field::Lead);
    }
}
