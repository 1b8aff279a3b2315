//! `carers-extract.toml`: per-rule severities, what fails a check, a council's own header
//! words, extra vague-lead phrases and placeholder patterns, the strategy period and `as_of`.
//!
//! The file is found in the current directory or its parents (or given with `--config PATH`).
//! Unknown keys are an error that names the key. Every key:
//!
//! ```toml
//! as_of = 2009-04-01            # or "today"; judges `past-due`
//! fail_on = ["error"]           # severities that fail `check` (default: ["error"])
//! max_warnings = 25             # more warnings than this fail `check` too
//! vague_leads = ["Partnership board"]
//! placeholders = ['\bTBD\b', '\?\?\?']
//!
//! [period]                      # strategy period, for `due-outside-period`
//! start = 2008-04-01
//! end = 2011-03-31
//!
//! [rules]                       # per-rule level: "error", "warning", "info" or "off"
//! missing-evidence = "off"
//! vague-due = "error"
//!
//! [headers]                     # extra header synonyms per canonical field
//! lead = ["Accountable manager"]
//! due = ["Target date"]
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::report::{Gap, Report, Severity};
use crate::{Options, RuleLevel};

/// The file name searched for.
pub const FILE_NAME: &str = "carers-extract.toml";

/// A configuration problem: the message names the file and the key or value at fault.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    /// The configuration file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The parsed `carers-extract.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Date against which `past-due` is judged: a TOML date, `"YYYY-MM-DD"` or `"today"`.
    #[serde(default)]
    pub as_of: Option<toml::Value>,
    /// Severities that fail `check`.
    #[serde(default)]
    pub fail_on: Option<Vec<SeverityName>>,
    /// More warnings than this fail `check`.
    #[serde(default)]
    pub max_warnings: Option<usize>,
    /// Extra phrases that make a lead vague.
    #[serde(default)]
    pub vague_leads: Vec<String>,
    /// Extra placeholder patterns (regular expressions, case-insensitive).
    #[serde(default)]
    pub placeholders: Vec<String>,
    /// Strategy period.
    #[serde(default)]
    pub period: Option<Period>,
    /// Rule id -> level.
    #[serde(default)]
    pub rules: BTreeMap<String, LevelName>,
    /// Extra header synonyms per canonical field.
    #[serde(default)]
    pub headers: Headers,
}

/// `[period]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day of the strategy.
    pub start: toml::Value,
    /// Last day of the strategy.
    pub end: toml::Value,
}

/// `[headers]`: extra header texts that map to each canonical field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headers {
    #[serde(default)]
    action: Vec<String>,
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    due: Vec<String>,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default)]
    xref: Vec<String>,
    #[serde(default, rename = "ref")]
    reference: Vec<String>,
    #[serde(default)]
    objective: Vec<String>,
    #[serde(default)]
    section: Vec<String>,
    #[serde(default)]
    status: Vec<String>,
}

/// A severity as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    /// `"error"`
    Error,
    /// `"warning"`
    Warning,
    /// `"info"`
    Info,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Severity {
        match s {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// A rule level as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LevelName {
    /// `"error"`
    Error,
    /// `"warning"`
    Warning,
    /// `"info"`
    Info,
    /// `"off"`
    Off,
}

impl From<LevelName> for RuleLevel {
    fn from(l: LevelName) -> RuleLevel {
        match l {
            LevelName::Error => RuleLevel::On(Severity::Error),
            LevelName::Warning => RuleLevel::On(Severity::Warning),
            LevelName::Info => RuleLevel::On(Severity::Info),
            LevelName::Off => RuleLevel::Off,
        }
    }
}

/// What makes `check` fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckPolicy {
    /// Gaps of these severities fail (when `fail_rules` is empty).
    pub fail_on: BTreeSet<Severity>,
    /// When not empty, exactly the gaps of these rules fail, whatever their severity
    /// (`check --fail-on RULES`).
    pub fail_rules: BTreeSet<String>,
    /// More warnings than this fail.
    pub max_warnings: Option<usize>,
}

impl Default for CheckPolicy {
    fn default() -> Self {
        CheckPolicy {
            fail_on: [Severity::Error].into_iter().collect(),
            fail_rules: BTreeSet::new(),
            max_warnings: None,
        }
    }
}

/// The outcome of `check` over a set of reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CheckOutcome {
    /// Gaps whose severity fails.
    pub failing: usize,
    /// Warnings (failing or not).
    pub warnings: usize,
    /// Whether the warnings exceed `max_warnings`.
    pub too_many_warnings: bool,
}

impl CheckOutcome {
    /// True when the check fails (exit code 1).
    pub fn failed(&self) -> bool {
        self.failing > 0 || self.too_many_warnings
    }
}

impl CheckPolicy {
    /// Whether this gap fails the check: by its severity, or by `--fail-on` rules; an error
    /// `no-action-plan` always fails.
    pub fn is_failing(&self, gap: &Gap) -> bool {
        // A document in which nothing was found never passes a check quietly (unless the rule
        // was set below error in the configuration).
        if gap.rule == crate::gaps::NO_ACTION_PLAN && gap.severity == Severity::Error {
            return true;
        }
        if self.fail_rules.is_empty() {
            self.fail_on.contains(&gap.severity)
        } else {
            self.fail_rules.contains(&gap.rule)
        }
    }

    /// Evaluate reports against the policy.
    pub fn evaluate(&self, reports: &[Report]) -> CheckOutcome {
        let mut o = CheckOutcome::default();
        for g in reports.iter().flat_map(|r| &r.gaps) {
            if self.is_failing(g) {
                o.failing += 1;
            }
            if g.severity == Severity::Warning {
                o.warnings += 1;
            }
        }
        o.too_many_warnings = self.max_warnings.is_some_and(|m| o.warnings > m);
        o
    }
}

impl Config {
    /// Parse the text of a configuration file. `path` is used in messages only.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            path: path.to_string(),
            message,
        };
        let config: Config = toml::from_str(text).map_err(|e| err(one_line(&e.to_string())))?;
        // Validate everything now, so that a bad value is reported with its key.
        for id in config.rules.keys() {
            if crate::gaps::rule(id).is_none() {
                let known: Vec<&str> = crate::gaps::RULES.iter().map(|r| r.id).collect();
                return Err(err(format!(
                    "unknown rule `{id}` in [rules] (known rules: {})",
                    known.join(", ")
                )));
            }
        }
        for p in &config.placeholders {
            regex::RegexBuilder::new(p)
                .case_insensitive(true)
                .build()
                .map_err(|e| {
                    err(format!(
                        "placeholders: invalid pattern `{p}`: {}",
                        one_line(&e.to_string())
                    ))
                })?;
        }
        if let Some(v) = &config.as_of {
            date_value(v, "as_of", true).map_err(err)?;
        }
        if let Some(p) = &config.period {
            let s = date_value(&p.start, "period.start", false).map_err(err)?;
            let e = date_value(&p.end, "period.end", false).map_err(err)?;
            if let (Some(s), Some(e)) = (s, e) {
                if s > e {
                    return Err(err(format!("period.start ({s}) is after period.end ({e})")));
                }
            }
        }
        Ok(config)
    }

    /// Read and parse a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.display().to_string(),
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(&text, &path.display().to_string())
    }

    /// Find `carers-extract.toml` in `dir` or its parents.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        let mut d = Some(dir);
        while let Some(here) = d {
            let p = here.join(FILE_NAME);
            if p.is_file() {
                return Some(p);
            }
            d = here.parent();
        }
        None
    }

    /// Apply the configuration to extraction options (`today` resolves `as_of = "today"`).
    pub fn apply(&self, opts: &mut Options, today: NaiveDate) {
        if let Some(v) = &self.as_of {
            opts.as_of = date_value(v, "as_of", true)
                .ok()
                .map(|d| d.unwrap_or(today));
        }
        if let Some(p) = &self.period {
            if let (Ok(Some(s)), Ok(Some(e))) = (
                date_value(&p.start, "period.start", false),
                date_value(&p.end, "period.end", false),
            ) {
                opts.period = Some((s, e));
            }
        }
        for (field, list) in self.headers.fields() {
            if !list.is_empty() {
                opts.header_synonyms
                    .entry(field.to_string())
                    .or_default()
                    .extend(list.iter().cloned());
            }
        }
        opts.vague_leads.extend(self.vague_leads.iter().cloned());
        opts.placeholders.extend(self.placeholders.iter().cloned());
        for (id, level) in &self.rules {
            opts.rules.insert(id.clone(), (*level).into());
        }
    }

    /// The check policy the file sets.
    pub fn policy(&self) -> CheckPolicy {
        let mut p = CheckPolicy::default();
        if let Some(list) = &self.fail_on {
            p.fail_on = list.iter().map(|&s| s.into()).collect();
        }
        p.max_warnings = self.max_warnings;
        p
    }
}

impl Headers {
    fn fields(&self) -> [(&'static str, &Vec<String>); 9] {
        [
            ("action", &self.action),
            ("lead", &self.lead),
            ("due", &self.due),
            ("evidence", &self.evidence),
            ("xref", &self.xref),
            ("ref", &self.reference),
            ("objective", &self.objective),
            ("section", &self.section),
            ("status", &self.status),
        ]
    }
}

/// A date from a TOML date or a `"YYYY-MM-DD"` string; `Ok(None)` means `"today"` (when allowed).
fn date_value(v: &toml::Value, key: &str, allow_today: bool) -> Result<Option<NaiveDate>, String> {
    let bad = || {
        format!(
            "{key}: expected a date such as 2009-04-01{}, found {v}",
            if allow_today { " or \"today\"" } else { "" }
        )
    };
    match v {
        toml::Value::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32)
                .map(Some)
                .ok_or_else(bad),
            _ => Err(bad()),
        },
        toml::Value::String(s) if allow_today && s.trim().eq_ignore_ascii_case("today") => Ok(None),
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad()),
        _ => Err(bad()),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
as_of = 2009-04-01
fail_on = ["error", "warning"]
max_warnings = 3
vague_leads = ["Partnership board"]
placeholders = ['\bTBD\b']

[period]
start = 2008-04-01
end = "2011-03-31"

[rules]
missing-evidence = "off"
vague-due = "error"

[headers]
lead = ["Accountable manager"]
ref = ["No."]
"#;

    #[test]
    fn full_file_applies() {
        let c = Config::parse(FULL, "x.toml").unwrap();
        let mut o = Options::default();
        c.apply(&mut o, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        assert_eq!(o.as_of, NaiveDate::from_ymd_opt(2009, 4, 1));
        assert_eq!(
            o.period,
            Some((
                NaiveDate::from_ymd_opt(2008, 4, 1).unwrap(),
                NaiveDate::from_ymd_opt(2011, 3, 31).unwrap()
            ))
        );
        assert_eq!(o.rules["missing-evidence"], RuleLevel::Off);
        assert_eq!(o.rules["vague-due"], RuleLevel::On(Severity::Error));
        assert_eq!(o.header_synonyms["lead"], vec!["Accountable manager"]);
        assert_eq!(o.header_synonyms["ref"], vec!["No."]);
        assert_eq!(o.vague_leads, vec!["Partnership board"]);
        assert_eq!(o.placeholders, vec![r"\bTBD\b"]);
        let p = c.policy();
        assert!(p.fail_on.contains(&Severity::Warning));
        assert_eq!(p.max_warnings, Some(3));
    }

    #[test]
    fn empty_file_is_default() {
        let c = Config::parse("", "x.toml").unwrap();
        assert_eq!(c.policy(), CheckPolicy::default());
    }

    #[test]
    fn today() {
        let c = Config::parse("as_of = \"today\"", "x.toml").unwrap();
        let mut o = Options::default();
        let d = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
        c.apply(&mut o, d);
        assert_eq!(o.as_of, Some(d));
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = Config::parse("as_off = 2009-01-01", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("as_off"), "{e}");
        let e = Config::parse("[headers]\nowner = [\"x\"]", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("owner"), "{e}");
        let e = Config::parse("[rules]\nmissing-leed = \"off\"", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing-leed"), "{e}");
        let e = Config::parse(
            "[period]\nstart = 2008-01-01\nend = 2009-01-01\nmid = 1",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("mid"), "{e}");
    }

    #[test]
    fn bad_values() {
        let e = Config::parse("[rules]\nmissing-lead = \"fatal\"", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("fatal"), "{e}");
        let e = Config::parse("as_of = \"next week\"", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("as_of"), "{e}");
        let e = Config::parse("placeholders = ['(']", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("placeholders"), "{e}");
        let e = Config::parse("[period]\nstart = 2011-01-01\nend = 2009-01-01", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("after"), "{e}");
        let e = Config::parse("max_warnings = -1", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("max_warnings"), "{e}");
    }

    #[test]
    fn example_file_parses() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/config")
            .join(FILE_NAME);
        let c = Config::load(&p).unwrap();
        let mut o = Options::default();
        c.apply(&mut o, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        assert_eq!(o.rules["duplicate-action"], RuleLevel::Off);
        assert_eq!(o.header_synonyms["evidence"], vec!["How we will know"]);
        assert_eq!(c.policy().max_warnings, Some(50));
    }

    #[test]
    fn discover_walks_up() {
        let d = tempfile::tempdir().unwrap();
        let sub = d.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(Config::discover(&sub), None);
        std::fs::write(d.path().join(FILE_NAME), "").unwrap();
        assert_eq!(Config::discover(&sub), Some(d.path().join(FILE_NAME)));
    }
}
