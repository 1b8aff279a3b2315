//! What a column's content looks like.
//!
//! Real plans use headers no vocabulary contains ("What we have committed to", "Shared Outcome",
//! `owner_team`), so the header alone cannot say which column is which. The cells can: an action
//! is a clause that starts with a verb ("Deliver", "Ensure", "Review"); a lead is a short name of
//! an organisation, team, role or person; a deadline is a date, period or term ("Q3 2025/26",
//! "short term", "Ongoing"); a cross-reference is a code or a list of codes ("SO1, SO2", "1, 4");
//! evidence is a target or measure ("At least 30 carers", "Directory published online").
//!
//! [`classify`] reads one cell into a [`CellKind`] of independent signals; [`Profile`] sums them
//! over a column; [`Profile::typical`] says how typical the column is of a field (content alone
//! can map a column), and [`Profile::compatible`] says how far the content allows a field (a
//! header word cannot map a column whose cells contradict it). Nothing here knows a document:
//! the word lists are general English and public-sector vocabulary.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::Field;
use crate::normalise::due;
use crate::report::DueKind;

/// Verbs that open an action ("Deliver ...", "Ensure ...") in their base form.
const VERBS: &[&str] = &[
    "accelerate",
    "accept",
    "access",
    "achieve",
    "act",
    "adapt",
    "add",
    "address",
    "adhere",
    "adjust",
    "administer",
    "adopt",
    "advance",
    "advertise",
    "advise",
    "advocate",
    "agree",
    "align",
    "allocate",
    "amend",
    "analyse",
    "analyze",
    "answer",
    "appoint",
    "apply",
    "approve",
    "arrange",
    "ask",
    "assess",
    "assign",
    "assist",
    "attend",
    "audit",
    "author",
    "award",
    "become",
    "begin",
    "benchmark",
    "bid",
    "book",
    "boost",
    "bring",
    "broaden",
    "build",
    "campaign",
    "capture",
    "carry",
    "celebrate",
    "challenge",
    "champion",
    "change",
    "check",
    "circulate",
    "clarify",
    "close",
    "co-design",
    "co-produce",
    "coordinate",
    "co-ordinate",
    "collaborate",
    "collate",
    "collect",
    "combine",
    "commence",
    "commission",
    "commit",
    "communicate",
    "compile",
    "complete",
    "conduct",
    "confirm",
    "connect",
    "consider",
    "consolidate",
    "consult",
    "contact",
    "continue",
    "contribute",
    "convene",
    "convert",
    "cooperate",
    "create",
    "cut",
    "decide",
    "decrease",
    "define",
    "deliver",
    "demonstrate",
    "deploy",
    "design",
    "determine",
    "develop",
    "devise",
    "disseminate",
    "distribute",
    "document",
    "do",
    "draft",
    "drive",
    "educate",
    "embed",
    "empower",
    "enable",
    "encourage",
    "engage",
    "enhance",
    "enlist",
    "enrol",
    "ensure",
    "enter",
    "establish",
    "evaluate",
    "examine",
    "expand",
    "explore",
    "extend",
    "facilitate",
    "find",
    "finalise",
    "finalize",
    "focus",
    "follow",
    "form",
    "formalise",
    "foster",
    "fund",
    "further",
    "gather",
    "generate",
    "get",
    "give",
    "grow",
    "guide",
    "halve",
    "harness",
    "help",
    "highlight",
    "hold",
    "host",
    "identify",
    "implement",
    "improve",
    "incentivise",
    "incentivize",
    "include",
    "incorporate",
    "increase",
    "influence",
    "inform",
    "initiate",
    "install",
    "integrate",
    "introduce",
    "invest",
    "investigate",
    "invite",
    "involve",
    "issue",
    "join",
    "keep",
    "launch",
    "learn",
    "lobby",
    "look",
    "maintain",
    "make",
    "manage",
    "map",
    "market",
    "maximise",
    "maximize",
    "measure",
    "meet",
    "minimise",
    "minimize",
    "mitigate",
    "mobilise",
    "model",
    "modernise",
    "monitor",
    "motivate",
    "move",
    "negotiate",
    "nominate",
    "notify",
    "obtain",
    "offer",
    "open",
    "operate",
    "optimise",
    "optimize",
    "organise",
    "organize",
    "oversee",
    "participate",
    "partner",
    "pilot",
    "place",
    "plan",
    "plant",
    "pool",
    "prepare",
    "present",
    "preserve",
    "prevent",
    "prioritise",
    "prioritize",
    "procure",
    "produce",
    "progress",
    "promote",
    "propose",
    "protect",
    "provide",
    "publicise",
    "publish",
    "pursue",
    "put",
    "raise",
    "reach",
    "recognise",
    "recognize",
    "recommend",
    "reconfigure",
    "record",
    "recruit",
    "redesign",
    "reduce",
    "refer",
    "refresh",
    "register",
    "reinforce",
    "relaunch",
    "remove",
    "renew",
    "replace",
    "report",
    "represent",
    "require",
    "research",
    "reshape",
    "resource",
    "respond",
    "restore",
    "retain",
    "retrofit",
    "review",
    "revise",
    "roll",
    "run",
    "safeguard",
    "scope",
    "secure",
    "seek",
    "select",
    "send",
    "set",
    "share",
    "shape",
    "showcase",
    "sign",
    "signpost",
    "simplify",
    "source",
    "specify",
    "sponsor",
    "stage",
    "standardise",
    "start",
    "strengthen",
    "streamline",
    "study",
    "submit",
    "support",
    "survey",
    "sustain",
    "tackle",
    "take",
    "target",
    "teach",
    "test",
    "track",
    "train",
    "transform",
    "transition",
    "translate",
    "trial",
    "undertake",
    "update",
    "upgrade",
    "use",
    "utilise",
    "utilize",
    "validate",
    "verify",
    "visit",
    "widen",
    "win",
    "work",
    "write",
];

/// Words that name organisations, teams and roles.
const ORG_WORDS: &[&str] = &[
    "agency",
    "agencies",
    "alliance",
    "assembly",
    "association",
    "authority",
    "authorities",
    "board",
    "boards",
    "bureau",
    "cabinet",
    "ccg",
    "ccgs",
    "centre",
    "center",
    "chair",
    "chief",
    "clinic",
    "coalition",
    "college",
    "commission",
    "commissioner",
    "commissioners",
    "commissioning",
    "committee",
    "communications",
    "company",
    "consortium",
    "coordinator",
    "co-ordinator",
    "council",
    "councils",
    "department",
    "departments",
    "dept",
    "directorate",
    "director",
    "directors",
    "division",
    "executive",
    "federation",
    "forum",
    "foundation",
    "group",
    "groups",
    "head",
    "hospital",
    "hub",
    "hubs",
    "icb",
    "institute",
    "lead",
    "leads",
    "manager",
    "managers",
    "ministry",
    "network",
    "nhs",
    "office",
    "officer",
    "officers",
    "organisation",
    "organisations",
    "organization",
    "organizations",
    "panel",
    "partner",
    "partners",
    "partnership",
    "partnerships",
    "practice",
    "practices",
    "programme",
    "provider",
    "providers",
    "school",
    "schools",
    "secretariat",
    "service",
    "services",
    "society",
    "staff",
    "steering",
    "surgery",
    "taskforce",
    "team",
    "teams",
    "trust",
    "trusts",
    "unit",
    "university",
    "volunteers",
    "worker",
    "workers",
    "workforce",
    "working",
];

/// Words of RAG ratings and progress states.
const STATUS_WORDS: &[&str] = &[
    "red",
    "amber",
    "green",
    "rag",
    "complete",
    "completed",
    "done",
    "achieved",
    "delayed",
    "overdue",
    "closed",
    "open",
    "started",
    "progress",
    "track",
    "risk",
    "hold",
    "blue",
    "slipped",
    "paused",
    "cancelled",
    "superseded",
    "met",
    // Ratings on an ordinal scale (impact, priority, risk): "High", "Small/Moderate".
    "low",
    "medium",
    "high",
    "small",
    "moderate",
    "large",
    "minor",
    "major",
];

/// Words that say a cell states a target or a measure of success.
const MEASURE_WORDS: &[&str] = &[
    "increase",
    "increased",
    "increases",
    "increasing",
    "decrease",
    "decreased",
    "reduce",
    "reduced",
    "reduction",
    "reductions",
    "improve",
    "improved",
    "improvement",
    "improvements",
    "number",
    "numbers",
    "proportion",
    "percentage",
    "rate",
    "rates",
    "target",
    "targets",
    "metric",
    "metrics",
    "kpi",
    "kpis",
    "indicator",
    "indicators",
    "baseline",
    "survey",
    "surveys",
    "feedback",
    "evaluation",
    "evaluated",
    "report",
    "reports",
    "reported",
    "monitored",
    "monitoring",
    "uptake",
    "outcome",
    "outcomes",
    "data",
    "evidence",
    "measured",
    "satisfaction",
    "level",
    "levels",
    "least",
    "fewer",
    "more",
    "less",
    "all",
    "every",
    "each",
];

/// Determiners and pronouns: a capitalised sentence starting with one is prose, not a name.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "we", "our", "it", "its", "they", "their",
    "there", "he", "she", "his", "her", "i", "you", "your", "is", "are", "was", "were", "be",
    "been", "has", "have", "had", "will", "would", "can", "could", "should", "may", "must",
];

/// Connectors allowed inside a name ("Head of Service", "Health and Wellbeing Board").
const NAME_GLUE: &[&str] = &[
    "of", "and", "for", "the", "&", "in", "with", "on", "to", "at", "/", "-", "–", "(", ")",
];

static VERB_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| VERBS.iter().copied().collect());
static ORG_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ORG_WORDS.iter().copied().collect());
static STATUS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STATUS_WORDS.iter().copied().collect());
static MEASURE_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| MEASURE_WORDS.iter().copied().collect());

/// A code or a list of codes: "1", "3.2", "SO1", "S02, S03,", "1, 2 & 4", "A1/B2", "(ii)".
static CODE_LIST: LazyLock<Regex> = LazyLock::new(|| {
    let code = r"(?:\(?[0-9]{1,3}(?:\.[0-9]{1,3}){0,3}[a-z]?\)?|[A-Za-z]{1,4}\s?[0-9]{1,3}(?:\.[0-9]{1,3}){0,3}[a-z]?|\(?[ivx]{1,5}\)?|\(?[a-hA-H]\)?)";
    Regex::new(&format!(
        r"^(?:{code})\.?(?:(?:\s*(?:[,;/&+]|\band\b|–|-)\s*|\s+)(?:{code})\.?)*\s*[,;]?$"
    ))
    .expect("code regex")
});
/// A plain integer (a row number).
static INTEGER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(?([0-9]{1,6})[.)]?$").expect("integer regex"));
/// A number, amount or percentage standing alone ("1,200", "£3.5m", "45%", "-2.1").
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[<>≤≥~]?\s*[-+]?[£$€]?\s*[0-9][0-9,]*(\.[0-9]+)?\s*(%|k|m|bn|million|billion)?$")
        .expect("number regex")
});
/// Terms a deadline column uses besides dates.
static DUE_TERM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            (?:short|medium|long|near|mid)[\s-]*(?:to[\s-]*(?:medium|long)[\s-]*)?term
          | [sml](?:\s*[/,&-]\s*[sml])*
          | (?:year|yr|phase|stage|wave)s?\s*[0-9]+(?:\s*(?:-|–|to|and|&)\s*[0-9]+)?
          | (?:within|in|over|next|first)\s+(?:the\s+)?(?:[0-9]+|one|two|three|four|five|six|twelve|eighteen)?\s*(?:-\s*[0-9]+\s*)?(?:months?|years?|weeks?|quarters?)
          | [0-9]+\s*(?:-|–|to)?\s*[0-9]*\s*(?:months?|years?|weeks?)
          | tb[cda]|to\s+be\s+(?:confirmed|agreed|determined)
          | continuous|continual|throughout|rolling|as\s+required|as\s+needed|when\s+required
        )\.?$",
    )
    .expect("due term regex")
});

/// What one cell looks like: independent signals, any number of which may hold.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CellKind {
    /// Words in the cell.
    pub words: usize,
    /// Opens with a verb in its base form ("Deliver ...", "We will ...", "To ...").
    pub imperative: bool,
    /// Reports work done: an item opens with a verb in the past ("Developed ...", "We have
    /// set up ...", "Sought ..."), as achievements and progress tables do.
    pub past: bool,
    /// Ends like a sentence, or holds several clauses.
    pub sentence: bool,
    /// A name of an organisation, team or role ("Carers Hub", "Head of Service", "NHS").
    pub org: bool,
    /// A person's name ("Jo Hart", "J. Smith").
    pub person: bool,
    /// A date, period or deadline term ("March 2026", "Q3 2025/26", "Ongoing", "short term").
    pub due: bool,
    /// A code or list of codes ("SO1, SO2", "1, 4", "3.2").
    pub code: bool,
    /// A list of several codes ("SO1, SO2", "1 & 4").
    pub list: bool,
    /// A single integer (a row number when the column counts up).
    pub integer: Option<u32>,
    /// A bare number, amount or percentage.
    pub number: bool,
    /// States a target or measure ("At least 30 carers", "Directory published online").
    pub measure: bool,
    /// A RAG rating or progress state ("Amber", "On track", "Complete").
    pub status: bool,
}

fn strip_marker(text: &str) -> &str {
    let t = text.trim_start();
    let t = t.trim_start_matches(|c: char| {
        crate::normalise::text::BULLET_GLYPHS.contains(c)
            || matches!(c, '●' | '○' | '–' | '—' | '>')
            || c.is_whitespace()
    });
    // "1." / "a)" / "(iii)" before the text.
    static MARK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]|\(?[a-z][.)]|\([ivx]{1,5}\))\s+")
            .expect("marker regex")
    });
    match MARK.find(t) {
        Some(m) => &t[m.end()..],
        None => t,
    }
}

/// Lower-case word tokens (letters, digits, inner hyphens and apostrophes).
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’' || c == '&'))
        .map(|w| w.trim_matches(|c| c == '-' || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Does the text open with a pronoun, determiner or auxiliary ("We ...", "The ...", "It is")?
/// Such text is a sentence, not a name or a label.
pub fn opens_sentence(text: &str) -> bool {
    tokens(text)
        .first()
        .is_some_and(|w| FUNCTION_WORDS.contains(&w.as_str()))
}

/// Is `w` (lower case) a verb in its base form?
pub fn is_verb(w: &str) -> bool {
    if VERB_SET.contains(w) {
        return true;
    }
    // -ise/-ize/-ify verbs ("prioritise", "formalise", "simplify") are rarely anything else.
    let nouns = [
        "enterprise",
        "exercise",
        "expertise",
        "franchise",
        "premise",
        "size",
    ];
    (w.len() > 5 && (w.ends_with("ise") || w.ends_with("ize") || w.ends_with("ify")))
        && !nouns.contains(&w)
}

/// Does the text open with a verb in its base form, or "we will" / "to" + verb? A short title
/// set off by a dash or colon counts by what follows it ("Solar Survey - Inventory all
/// rooftops ...", "PACE: Implement ...").
pub fn is_imperative(text: &str) -> bool {
    opens_imperative(text) || titled_body(text).is_some_and(opens_imperative)
}

/// The text after a short title and a dash or colon ("Solar Survey – Inventory ..." ->
/// "Inventory ..."), when the title is at most six words.
fn titled_body(text: &str) -> Option<&str> {
    let t = strip_marker(text);
    let (at, sep) = [" - ", " – ", " — ", ": "]
        .iter()
        .filter_map(|s| t.find(s).map(|i| (i, s.len())))
        .min()?;
    let title = &t[..at];
    let n = title.split_whitespace().count();
    (n >= 1 && n <= 6 && !title.ends_with(|c: char| c.is_ascii_digit()))
        .then(|| t[at + sep..].trim_start())
}

fn opens_imperative(text: &str) -> bool {
    let t = strip_marker(text);
    let first_raw = t.split_whitespace().next().unwrap_or("");
    // A verb that opens an action is capitalised (or the whole cell is lower case).
    let capital = first_raw.chars().next().is_some_and(char::is_uppercase);
    let ws = tokens(t);
    let Some(first) = ws.first() else {
        return false;
    };
    let second = ws.get(1).map(String::as_str).unwrap_or("");
    match first.as_str() {
        "we" | "i" => {
            return matches!(second, "will" | "shall" | "are" | "aim" | "plan" | "intend")
                && ws.get(2).is_some();
        }
        "to" | "will" => return is_verb(second),
        // "Keep Norfolk Beautiful" is a name, "Keep carers informed" an action.
        "continue" | "keep" => {
            return t
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| !w.starts_with(char::is_uppercase))
        }
        _ => {}
    }
    if !capital && t.chars().any(char::is_uppercase) {
        return false;
    }
    // "Lead officer", "Review Group": a verb directly followed by an organisation word is a name.
    if ws.len() <= 3 && ORG_SET.contains(second) {
        return false;
    }
    // "Review of services": the verb's form used as a noun.
    is_verb(first) && ws.len() >= 2 && !matches!(second, "of" | "is" | "are" | "was" | "will")
}

/// Irregular past forms that open reports of work done.
const PAST_IRREGULAR: &[&str] = &[
    "began",
    "brought",
    "built",
    "chose",
    "drew",
    "found",
    "gave",
    "grew",
    "held",
    "kept",
    "led",
    "learnt",
    "made",
    "met",
    "ran",
    "sought",
    "spent",
    "taught",
    "took",
    "undertook",
    "won",
    "wrote",
    "went",
];

/// Does an item open with a verb in the past tense ("Developed ...", "We have set up ...")?
pub fn is_past(text: &str) -> bool {
    let ws = tokens(strip_marker(text));
    let mut i = 0;
    if ws
        .first()
        .is_some_and(|w| w == "we" || w == "i" || w == "they")
    {
        i = 1;
        if ws
            .get(1)
            .is_some_and(|w| w == "have" || w == "has" || w == "had")
        {
            return ws.len() > 3;
        }
    }
    let Some(w) = ws.get(i) else { return false };
    let regular = w.len() > 4
        && w.ends_with("ed")
        && !VERB_SET.contains(w.as_str())
        && ![
            "need", "feed", "seed", "speed", "proceed", "exceed", "succeed",
        ]
        .contains(&w.as_str());
    (regular || PAST_IRREGULAR.contains(&w.as_str())) && ws.len() > i + 1
}

/// Acronym-shaped token: "NHS", "CCG", "PH", "SSS", "ICB".
fn is_acronym(raw: &str) -> bool {
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    (2..=6).contains(&letters.len())
        && letters.iter().all(|c| c.is_uppercase())
        && raw
            .chars()
            .all(|c| c.is_alphanumeric() || "&/().-".contains(c))
}

fn capitalised(raw: &str) -> bool {
    raw.trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// Is the text a name of an organisation, team or role (or a list of them)?
pub fn is_org(text: &str) -> bool {
    let t = strip_marker(text);
    let raws: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    if raws.is_empty() || raws.len() > 16 {
        return false;
    }
    let ws = tokens(t);
    if ws
        .first()
        .is_some_and(|w| FUNCTION_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    let orgish = ws.iter().filter(|w| ORG_SET.contains(w.as_str())).count();
    let acronyms = raws.iter().filter(|w| is_acronym(w)).count();
    let glue = raws
        .iter()
        .filter(|w| NAME_GLUE.contains(&w.to_lowercase().as_str()))
        .count();
    let caps = raws.iter().filter(|w| capitalised(w)).count();
    let content = raws.len() - glue;
    if content == 0 {
        return false;
    }
    // Names are mostly capitalised words and acronyms; a few lower-case words are fine when an
    // organisation word says what it is ("FH workforce leads for parenting").
    let cap_share = caps as f64 / content as f64;
    let long_sentence = t.trim_end().ends_with('.') && raws.len() > 6;
    if long_sentence {
        return false;
    }
    (acronyms + orgish >= 1 && (cap_share >= 0.5 || raws.len() <= 6))
        || (cap_share >= 0.85 && raws.len() <= 8 && !is_imperative(t))
}

/// Is the text a person's name ("Jo Hart", "J. Smith", "Dr Amir Khan")?
pub fn is_person(text: &str) -> bool {
    let raws: Vec<&str> = text.split_whitespace().collect();
    if !(2..=4).contains(&raws.len()) {
        return false;
    }
    let ws = tokens(text);
    if ws
        .iter()
        .any(|w| ORG_SET.contains(w.as_str()) || VERB_SET.contains(w.as_str()))
    {
        return false;
    }
    raws.iter().all(|w| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        !letters.is_empty()
            && letters[0].is_uppercase()
            && (letters.len() == 1 || letters[1..].iter().all(|c| c.is_lowercase() || *c == '\''))
            && w.chars().all(|c| c.is_alphabetic() || "'.-’".contains(c))
    })
}

/// Is the text a deadline: a date, a period, or a term such as "Ongoing" or "short term"?
pub fn is_due(text: &str) -> bool {
    let t = strip_marker(text).trim();
    if t.is_empty() || t.split_whitespace().count() > 14 {
        return false;
    }
    if DUE_TERM.is_match(t) {
        return true;
    }
    if due::parse(t).kind == DueKind::Unspecified {
        return false;
    }
    // A long sentence that mentions a year is not a deadline cell.
    t.split_whitespace().count() <= 8 || !t.ends_with('.')
}

/// Is the text a code or a list of codes?
pub fn is_code(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().count() <= 60 && CODE_LIST.is_match(t)
}

fn is_status(ws: &[String]) -> bool {
    !ws.is_empty()
        && ws.len() <= 4
        && ws.iter().any(|w| STATUS_SET.contains(w.as_str()))
        && ws
            .iter()
            .all(|w| STATUS_SET.contains(w.as_str()) || w.len() <= 3 || w == "ongoing")
}

fn is_measure(text: &str, ws: &[String]) -> bool {
    if ws.len() < 2 {
        return false;
    }
    let digits = text.chars().any(|c| c.is_ascii_digit());
    let percent = text.contains('%');
    let words = ws
        .iter()
        .filter(|w| MEASURE_SET.contains(w.as_str()))
        .count();
    // "Directory published online", "Ten volunteers trained": a state reached, told by a past
    // participle after the subject.
    let participle = ws
        .iter()
        .skip(1)
        .any(|w| w.len() > 4 && w.ends_with("ed") && !VERB_SET.contains(w.as_str()));
    let will_be =
        text.to_lowercase().contains("will be") || text.to_lowercase().contains("will have");
    percent || (digits && ws.len() >= 3) || words >= 1 || participle || will_be
}

/// Cells of at most this many bytes are remembered by [`classify`].
const MEMO_TEXT: usize = 256;
/// [`classify`] remembers at most this many cells per thread (then starts again).
const MEMO_CELLS: usize = 1 << 16;

thread_local! {
    static MEMO: std::cell::RefCell<std::collections::HashMap<String, CellKind>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Read one cell. Results are remembered for short texts: detection reads the same cells
/// many times (each candidate header profiles the rows under it), and long tables repeat
/// their cells; a file of 50,000 repeated rows took minutes without it.
pub fn classify(text: &str) -> CellKind {
    if text.len() > MEMO_TEXT {
        return classify_cell(text);
    }
    if let Some(k) = MEMO.with(|m| m.borrow().get(text).copied()) {
        return k;
    }
    let k = classify_cell(text);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_CELLS {
            m.clear();
        }
        m.insert(text.to_string(), k);
    });
    k
}

fn classify_cell(text: &str) -> CellKind {
    let t = text.trim();
    let body = strip_marker(t);
    let ws = tokens(body);
    // "Mar 26" and "31.03.26" are dates, not codes.
    let due_hit = is_due(t);
    let code = is_code(t)
        && !(due_hit
            && (t.chars().any(char::is_alphabetic)
                || due::parse(t).precision == Some(crate::report::DuePrecision::Day)));
    let number = NUMBER.is_match(t);
    let integer = INTEGER
        .captures(t)
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse().ok());
    let due = due_hit && (!code && !number || (number && t.len() == 4));
    // Any item of a bulleted cell may report past work.
    let past = t.lines().filter(|l| !l.trim().is_empty()).any(is_past);
    let sentence =
        t.ends_with('.') && ws.len() >= 4 || t.matches(". ").count() >= 1 && ws.len() >= 8;
    CellKind {
        words: ws.len(),
        imperative: !code && is_imperative(t),
        past,
        sentence,
        org: !code && !due && is_org(t),
        person: !code && is_person(t),
        due,
        code,
        list: code
            && t.split(|c: char| ",;/&+".contains(c) || c.is_whitespace())
                .filter(|w| !w.is_empty() && *w != "and")
                .count()
                >= 2,
        integer,
        number,
        measure: !code && !due && is_measure(t, &ws),
        status: is_status(&ws),
    }
}

/// What a column's cells look like: shares of non-empty cells with each signal.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Profile {
    /// Non-empty cells.
    pub filled: usize,
    /// All cells looked at (empty ones included).
    pub cells: usize,
    /// Mean words per non-empty cell.
    pub words: f64,
    /// Share of cells of 8 words or more.
    pub long: f64,
    /// Share opening with a verb ("Deliver ...", "We will ...").
    pub imperative: f64,
    /// Share reporting work done (past tense).
    pub past: f64,
    /// Share that end like sentences.
    pub sentence: f64,
    /// Share of organisation, team or role names.
    pub org: f64,
    /// Share of person names.
    pub person: f64,
    /// Share of dates, periods and deadline terms.
    pub due: f64,
    /// Share of codes and lists of codes.
    pub code: f64,
    /// Share of lists of several codes.
    pub list: f64,
    /// Share of bare numbers, amounts and percentages.
    pub number: f64,
    /// Share stating targets or measures.
    pub measure: f64,
    /// Share of RAG / status words.
    pub status: f64,
    /// Share of consecutive single-integer cells that count up by one (row numbering).
    pub sequential: f64,
    /// Distinct values / non-empty cells.
    pub distinct: f64,
    /// Share of cells that carry a lead or deadline inside their text ("... (Lead: X, by
    /// March 2026)", "... – Carers Centre – 2026/27"; see [`super::inline`]).
    pub inline: f64,
}

impl Profile {
    /// Profile the cells of one column.
    pub fn of<'a>(cells: impl IntoIterator<Item = &'a str>) -> Profile {
        let mut p = Profile::default();
        let mut n = [0usize; 12];
        let mut words = 0usize;
        let mut ints: Vec<Option<u32>> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut n_inline = 0usize;
        for c in cells {
            p.cells += 1;
            let c = c.trim();
            if c.is_empty() {
                continue;
            }
            p.filled += 1;
            seen.insert(c);
            let k = classify(c);
            words += k.words;
            for (i, on) in [
                k.words >= 8,
                k.imperative,
                k.sentence,
                k.org,
                k.person,
                k.due,
                k.code,
                k.number,
                k.measure,
                k.status,
                k.list,
                k.past,
            ]
            .into_iter()
            .enumerate()
            {
                n[i] += on as usize;
            }
            ints.push(k.integer);
            if k.words >= 5 && super::inline::carries_fields(c) {
                n_inline += 1;
            }
        }
        if p.filled == 0 {
            return p;
        }
        let f = p.filled as f64;
        p.words = words as f64 / f;
        p.long = n[0] as f64 / f;
        p.imperative = n[1] as f64 / f;
        p.sentence = n[2] as f64 / f;
        p.org = n[3] as f64 / f;
        p.person = n[4] as f64 / f;
        p.due = n[5] as f64 / f;
        p.code = n[6] as f64 / f;
        p.number = n[7] as f64 / f;
        p.measure = n[8] as f64 / f;
        p.status = n[9] as f64 / f;
        p.list = n[10] as f64 / f;
        p.past = n[11] as f64 / f;
        p.distinct = seen.len() as f64 / f;
        p.inline = n_inline as f64 / f;
        let steps = ints
            .windows(2)
            .filter(|w| matches!(w, [Some(a), Some(b)] if *b == a + 1))
            .count();
        p.sequential = if ints.len() >= 2 {
            steps as f64 / (ints.len() - 1) as f64
        } else if ints.first().is_some_and(|i| i.is_some()) {
            0.5
        } else {
            0.0
        };
        p
    }

    /// How far the content allows `field`, 0 (contradicts it) to 1 (nothing against it).
    pub fn compatible(&self, field: Field) -> f64 {
        if self.filled == 0 {
            return 1.0;
        }
        let short =
            |max_words: f64| (1.0 - (self.words - max_words).max(0.0) / max_words).clamp(0.0, 1.0);
        let c = match field {
            Field::Action => {
                let other = self.code.max(self.number).max(self.due).max(self.status);
                // Very short cells are names or labels, not actions.
                let brief = (1.0 - (self.words - 1.0) / 2.5).clamp(0.0, 1.0);
                let names = self.org.max(self.person) * (1.0 - self.imperative);
                // Work already done is an achievement, not an action.
                (1.0 - 0.95 * other)
                    * (1.0 - 0.7 * brief)
                    * (1.0 - 0.8 * self.past)
                    * (1.0 - 0.6 * names)
            }
            Field::Lead => {
                let other = self.code.max(self.number).max(self.status);
                (1.0 - 0.9 * other) * (1.0 - 0.6 * self.long * (1.0 - self.org.max(self.person)))
            }
            Field::Due => {
                (1.0 - 0.9 * self.code.max(self.number) * (1.0 - self.due))
                    * short(8.0).max(self.due)
            }
            Field::Evidence => {
                1.0 - 0.9 * self.code.max(self.due).max(self.status).max(self.person)
            }
            Field::Xref => (1.0 - 0.8 * self.long) * (1.0 - 0.8 * self.due),
            Field::Ref => self.code.max(self.number),
            Field::Objective => {
                1.0 - 0.9 * self.code.max(self.number).max(self.due).max(self.status)
            }
            Field::Section => (1.0 - 0.9 * self.number.max(self.due).max(self.code)) * short(8.0),
            Field::Status => (1.0 - 0.9 * self.long) * (1.0 - 0.5 * self.code),
        };
        c.clamp(0.0, 1.0)
    }

    /// How typical the content is of `field` by itself, 0 to 1 (for columns whose header says
    /// nothing, or says something else).
    pub fn typical(&self, field: Field) -> f64 {
        if self.filled == 0 {
            return 0.0;
        }
        let wordy = ((self.words - 2.0) / 6.0).clamp(0.0, 1.0);
        let t = match field {
            Field::Action => {
                0.65 * self.imperative + 0.35 * wordy * self.imperative.max(self.sentence)
            }
            Field::Lead => self.org.max(self.person) * (1.0 - self.imperative),
            Field::Due => self.due,
            Field::Evidence => self.measure * wordy.max(0.5) * (1.0 - 0.6 * self.imperative),
            // References repeat and list; row numbers count up and are unique.
            Field::Xref => {
                self.code * self.list.max(1.0 - self.distinct).max(0.6) * (1.0 - self.sequential)
            }
            Field::Ref => {
                let unique = if self.distinct >= 0.99 { 1.0 } else { 0.3 };
                (self.code - self.list).max(0.0) * self.sequential.max(0.7 * unique)
            }
            Field::Status => self.status,
            Field::Objective | Field::Section => 0.0,
        };
        (t * self.compatible(field)).clamp(0.0, 1.0)
    }

    /// How much the content counts against the header: more cells, more say (2/3 for one cell).
    pub fn weight(&self) -> f64 {
        (self.filled as f64 / (self.filled as f64 + 0.5)).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert!(is_imperative(
            "Deliver school support for healthy behaviours"
        ));
        assert!(is_imperative("• Ensure a clear evidence-based approach"));
        assert!(is_imperative("1. Collaborate among departments"));
        assert!(is_imperative("We will publish a guide"));
        assert!(is_imperative("To review the register"));
        assert!(is_imperative("Prioritise carers in discharge planning"));
        assert!(!is_imperative("Lead for Family Hubs"));
        assert!(!is_imperative("Agreed metrics on core plus"));
        assert!(!is_imperative("The proportion of children in Year 6"));
        assert!(!is_imperative("Review Group"));
        assert!(!is_imperative("Review of services provided to carers"));
        assert!(is_past("Developed new services to give carers a break"));
        assert!(is_past("· We have developed our Direct Payments Scheme"));
        assert!(is_past("Sought to develop links with schools"));
        assert!(!is_past("Develop new services"));
        assert!(!is_past("Need for new services"));

        for org in [
            "Lead for Family Hubs",
            "FH workforce leads for parenting",
            "Head of Service Community Learning and Skills",
            "NHS Sussex",
            "PIE & Job Linkage",
            "Carers Hub",
            "Library Services, Communications Team",
            "Active Kent",
        ] {
            assert!(is_org(org), "{org}");
        }
        for not in [
            "Set up a monthly carers drop-in at the library.",
            "the applicable actions identified as",
            "March 2026",
        ] {
            assert!(!classify(not).org, "{not}");
        }
        assert!(is_person("Jo Hart"));
        assert!(is_person("J. Smith"));
        assert!(!is_person("Carers Hub"));
        assert!(!is_person("Publish guide"));

        for due in [
            "March 2026",
            "Q3 2025/26",
            "short term",
            "Medium-term",
            "S/M",
            "Ongoing",
            "Annually",
            "31.03.26",
            "2025-2027",
            "Year 2",
            "Within 6 months",
            "TBC",
        ] {
            assert!(classify(due).due, "{due}");
        }
        assert!(
            !classify("Agree a voucher scheme with three GP practices in 2026, then report.").due
        );

        for code in [
            "SO1",
            "SO1, SO2",
            "S02,S03,S04,S05,",
            "1, 2 & 4",
            "3.2",
            "1, 3",
            "(ii)",
        ] {
            assert!(classify(code).code, "{code}");
        }
        assert!(!classify("Carers Hub").code);
        assert!(classify("45%").number);
        assert!(classify("£3.5m").number);
        for m in [
            "At least 30 carers to have attended",
            "Directory published online",
            "Increase in number of bed bound smokers using E-cigs",
            "Smokers will be referred to leisure provision",
        ] {
            assert!(classify(m).measure, "{m}");
        }
        assert!(classify("Amber").status);
        assert!(classify("On track").status);
        assert!(!classify("Complete the carers register by March").status);
    }

    fn col(cells: &[&str]) -> Profile {
        Profile::of(cells.iter().copied())
    }

    #[test]
    fn columns_are_typical_of_their_field() {
        let action = col(&[
            "Optimise the opportunity of family hubs to improve outcomes",
            "Encourage healthy behaviours within families",
            "Ensure a clear evidence-based approach to parenting",
        ]);
        let lead = col(&[
            "Lead for Family Hubs",
            "Active Kent",
            "Early years lead The Education People",
        ]);
        let due = col(&["Mar 2026", "Mar 2026", "Ongoing"]);
        let xref = col(&["SO1", "SO1, SO2", "SO1, SO3"]);
        let refs = col(&["1", "2", "3", "4"]);
        let measure = col(&[
            "Agreed metrics on core plus and MOU with PH",
            "Proportion of primary schools offering Daily Mile",
            "Increased target group families utilising early years provision",
        ]);
        let best = |p: &Profile| {
            [
                Field::Action,
                Field::Lead,
                Field::Due,
                Field::Evidence,
                Field::Xref,
                Field::Ref,
                Field::Status,
            ]
            .into_iter()
            .max_by(|a, b| p.typical(*a).total_cmp(&p.typical(*b)))
            .unwrap()
        };
        assert_eq!(best(&action), Field::Action);
        assert_eq!(best(&lead), Field::Lead);
        assert_eq!(best(&due), Field::Due);
        assert_eq!(best(&xref), Field::Xref);
        assert_eq!(best(&refs), Field::Ref);
        assert_eq!(best(&measure), Field::Evidence);
        // Codes contradict an action header; dates contradict a lead header.
        assert!(xref.compatible(Field::Action) < 0.2);
        assert!(due.compatible(Field::Action) < 0.2);
        assert!(action.compatible(Field::Action) > 0.9);
        assert!(col(&["1", "2", "3"]).compatible(Field::Lead) < 0.2);
        // Objective numbers repeat and list: a cross-reference, not row numbers.
        let objectives = col(&["1, 2", "1, 3", "2", "3"]);
        assert!(objectives.typical(Field::Xref) > objectives.typical(Field::Ref));
    }

    #[test]
    fn names_are_not_actions() {
        let people = col(&["Jo Hart", "Sam Osei", "Priya Nair", "Amir Khan"]);
        assert!(people.typical(Field::Action) < 0.1);
        assert!(people.compatible(Field::Action) < 0.5);
        assert!(people.typical(Field::Lead) > 0.8);
    }
}
