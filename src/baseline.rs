//! Baselines: `check --baseline previous.json` reports only the gaps that are new since a
//! previous run, so a long-standing gap does not block every draft.
//!
//! Gaps are matched by rule and by the action's normalised text (lower case, letters and
//! digits only), never by row number, so moving, inserting or deleting rows does not make old
//! gaps look new. A gap with no action text (e.g. `missing-action`) is matched by the rest of
//! its row (objective, lead, deadline, evidence); a plan-level gap by its plan's section and its
//! message with digits removed. Matching counts: if the baseline had a gap twice and the draft
//! has it three times, one is new.
//!
//! The baseline is a JSON report the tool wrote (`--format json`): one report, an array of
//! reports, or an object with a `reports` array. NDJSON is refused: its records do not carry
//! what matching needs. Documents are matched by path, then by
//! file name, and a baseline with a single document applies to a single input whatever its name.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::report::Report;
use crate::write::sarif::normalise;

/// A problem with the baseline file.
#[derive(Debug, thiserror::Error)]
#[error("baseline {path}: {message}")]
pub struct BaselineError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

type Key = (String, String);

/// Gaps of a previous run, by document.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    docs: Vec<(String, HashMap<Key, usize>)>,
}

impl Baseline {
    /// Read a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError {
            path: path.display().to_string(),
            message: format!("cannot read: {e}"),
        })?;
        Baseline::parse(&text).map_err(|message| BaselineError {
            path: path.display().to_string(),
            message,
        })
    }

    /// Parse the JSON (or NDJSON) of a previous run.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let values: Vec<Value> = match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(a)) => a,
            Ok(Value::Object(mut o)) => match o.remove("reports") {
                Some(Value::Array(a)) => a,
                Some(_) => return Err("`reports` is not an array".into()),
                None => vec![Value::Object(o)],
            },
            Ok(_) => return Err("expected a JSON report (object) or an array of reports".into()),
            Err(first) => {
                // One JSON value per line is NDJSON: its action records do not carry the gaps'
                // messages, so it cannot serve as a baseline.
                let mut lines = text.lines().filter(|l| !l.trim().is_empty());
                let ndjson = lines
                    .next()
                    .is_some_and(|l| serde_json::from_str::<Value>(l).is_ok());
                if ndjson {
                    return Err(
                        "this is NDJSON (one record per line), not a JSON report: make the baseline with `--format json -o baseline.json`"
                            .into(),
                    );
                }
                return Err(format!("not JSON: {first}"));
            }
        };
        let mut docs = Vec::new();
        for v in values {
            if v.get("record").is_some() {
                return Err(
                    "this is an NDJSON record, not a JSON report: make the baseline with `--format json -o baseline.json`"
                        .into(),
                );
            }
            // Error entries of a batch (no gaps) are skipped.
            let Some(gaps) = v.get("gaps").and_then(Value::as_array) else {
                if v.get("error").is_some() {
                    continue;
                }
                return Err(
                    "a report has no `gaps` array: is this a carers-extract JSON report?".into(),
                );
            };
            let path = v
                .pointer("/source/path")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let actions: HashMap<&str, &Value> = v
                .get("actions")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| Some((x.get("id")?.as_str()?, x)))
                        .collect()
                })
                .unwrap_or_default();
            let sections: HashMap<u64, &str> = v
                .get("tables")
                .and_then(Value::as_array)
                .map(|t| {
                    t.iter()
                        .filter_map(|x| {
                            Some((x.get("index")?.as_u64()?, x.get("section")?.as_str()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut keys: HashMap<Key, usize> = HashMap::new();
            for g in gaps {
                let rule = g
                    .get("rule")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let text = match g.get("action_id").and_then(Value::as_str) {
                    Some(id) => {
                        let a = actions.get(id);
                        let s = |f: &str| a.and_then(|a| a.get(f)).and_then(Value::as_str);
                        action_key(
                            s("action"),
                            [s("objective"), s("lead"), s("due"), s("evidence")],
                        )
                    }
                    None => {
                        let section = g
                            .get("table")
                            .and_then(Value::as_u64)
                            .and_then(|t| sections.get(&t).copied());
                        plan_key(
                            section,
                            g.get("message").and_then(Value::as_str).unwrap_or(""),
                        )
                    }
                };
                *keys.entry((rule, text)).or_default() += 1;
            }
            docs.push((path, keys));
        }
        Ok(Baseline { docs })
    }

    /// Number of documents in the baseline.
    pub fn documents(&self) -> usize {
        self.docs.len()
    }

    fn find(&self, path: &str) -> Option<&HashMap<Key, usize>> {
        let clean = |p: &str| p.replace('\\', "/").trim_start_matches("./").to_string();
        let name = |p: &str| clean(p).rsplit('/').next().unwrap_or("").to_string();
        if let Some((_, k)) = self.docs.iter().find(|(p, _)| clean(p) == clean(path)) {
            return Some(k);
        }
        let by_name: Vec<_> = self
            .docs
            .iter()
            .filter(|(p, _)| name(p) == name(path))
            .collect();
        if by_name.len() == 1 {
            return Some(&by_name[0].1);
        }
        if self.docs.len() == 1 {
            return Some(&self.docs[0].1);
        }
        None
    }

    /// Remove from `report` every gap already in the baseline; returns how many were removed.
    /// The summary's gap counts and each action's `gaps` list are updated to match.
    pub fn filter(&self, report: &mut Report, single_input: bool) -> usize {
        let found = if single_input && self.docs.len() == 1 {
            Some(&self.docs[0].1)
        } else {
            self.find(&report.source.path)
        };
        let Some(known) = found else {
            report.summary.known_gaps_hidden = Some(0);
            return 0;
        };
        let mut remaining = known.clone();
        let before = report.gaps.len();
        let keys: Vec<Key> = report.gaps.iter().map(|g| gap_key(report, g)).collect();
        let mut keep = Vec::with_capacity(before);
        for (g, k) in report.gaps.drain(..).zip(keys) {
            match remaining.get_mut(&k) {
                Some(n) if *n > 0 => *n -= 1,
                _ => keep.push(g),
            }
        }
        report.gaps = keep;
        let removed = before - report.gaps.len();
        if removed > 0 {
            recount(report);
        }
        report.summary.known_gaps_hidden = Some(removed);
        removed
    }
}

/// Recompute each action's gap list and the summary from `report.gaps`.
pub fn recount(report: &mut Report) {
    for a in &mut report.actions {
        let rules: Vec<&String> = report
            .gaps
            .iter()
            .filter(|g| g.action_id.as_deref() == Some(a.id.as_str()))
            .map(|g| &g.rule)
            .collect();
        a.gaps.retain(|r| rules.contains(&r));
    }
    let hidden = report.summary.known_gaps_hidden;
    report.summary = crate::report::Summary::of(&report.tables, &report.actions, &report.gaps);
    report.summary.known_gaps_hidden = hidden;
}

fn gap_key(report: &Report, g: &crate::report::Gap) -> Key {
    let text = match g.action_id.as_deref() {
        Some(id) => {
            let a = report.actions.iter().find(|a| a.id == id);
            action_key(
                a.and_then(|a| a.action.as_deref()),
                [
                    a.and_then(|a| a.objective.as_deref()),
                    a.and_then(|a| a.lead.as_deref()),
                    a.and_then(|a| a.due.as_deref()),
                    a.and_then(|a| a.evidence.as_deref()),
                ],
            )
        }
        None => {
            let section = g
                .table
                .and_then(|t| report.tables.iter().find(|p| p.index == t))
                .and_then(|p| p.section.as_deref());
            plan_key(section, &g.message)
        }
    };
    (g.rule.clone(), text)
}

fn action_key(action: Option<&str>, rest: [Option<&str>; 4]) -> String {
    match action.map(normalise).filter(|s| !s.is_empty()) {
        Some(t) => format!("a:{t}"),
        None => {
            let parts: Vec<String> = rest
                .iter()
                .map(|p| p.map(normalise).unwrap_or_default())
                .collect();
            format!("r:{}", parts.join("|"))
        }
    }
}

fn plan_key(section: Option<&str>, message: &str) -> String {
    let msg: String = message.chars().filter(|c| !c.is_ascii_digit()).collect();
    format!(
        "p:{}|{}",
        section.map(normalise).unwrap_or_default(),
        normalise(&msg)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Severity;
    use crate::write::shared::sample;

    #[test]
    fn unchanged_report_has_no_new_gaps() {
        let r = sample::report("s.txt");
        let b = Baseline::parse(&serde_json::to_string(&r).unwrap()).unwrap();
        let mut now = r.clone();
        assert_eq!(b.filter(&mut now, true), r.gaps.len());
        assert!(now.gaps.is_empty());
        assert!(now.summary.gaps_by_rule.is_empty());
        assert!(now.actions.iter().all(|a| a.gaps.is_empty()));
    }

    #[test]
    fn moved_rows_still_match_and_new_gaps_show() {
        let old = sample::report("s.txt");
        let b = Baseline::parse(&serde_json::to_string(&vec![old.clone()]).unwrap()).unwrap();
        let mut now = old.clone();
        // Row 2 moves to row 7 (ids and lines change) and its text gets re-wrapped.
        let a = &mut now.actions[1];
        a.id = "p1-r7".into();
        a.row = 7;
        a.source.line = Some(99);
        a.action = Some("Review respite provision across the county,  TBC".into());
        for g in now
            .gaps
            .iter_mut()
            .filter(|g| g.action_id.as_deref() == Some("p1-r2"))
        {
            g.action_id = Some("p1-r7".into());
            g.message = g.message.replace("row 2", "row 7");
        }
        // One genuinely new gap on a changed action.
        now.actions[0].action = Some("Publish a new guide".into());
        now.gaps.push(crate::report::Gap {
            rule: "missing-evidence".into(),
            severity: Severity::Warning,
            action_id: Some("p1-r1".into()),
            table: Some(1),
            message: "No evidence".into(),
            source: now.actions[0].source.clone(),
        });
        let removed = b.filter(&mut now, false);
        assert_eq!(removed, old.gaps.len());
        assert_eq!(now.gaps.len(), 1);
        assert_eq!(now.gaps[0].action_id.as_deref(), Some("p1-r1"));
        assert_eq!(now.summary.gaps_by_rule["missing-evidence"], 1);
    }

    #[test]
    fn counts_duplicates_and_refuses_ndjson() {
        let old = sample::report("dir/s.txt");
        let nd = crate::write::ndjson(&old).unwrap();
        let e = Baseline::parse(&nd).unwrap_err();
        assert!(e.contains("NDJSON"), "{e}");
        let one_line = nd.lines().next().unwrap();
        assert!(Baseline::parse(one_line).unwrap_err().contains("NDJSON"));
        let batch = format!(
            "[{}, {{\"path\":\"x\",\"error\":\"bad\"}}]",
            serde_json::to_string(&old).unwrap()
        );
        let b = Baseline::parse(&batch).unwrap();
        assert_eq!(b.documents(), 1);
        let mut now = old.clone();
        let dup = now.gaps[0].clone();
        now.gaps.push(dup);
        now.source.path = "other/dir/s.txt".into();
        assert_eq!(b.filter(&mut now, false), old.gaps.len());
        assert_eq!(now.gaps.len(), 1);
        assert!(Baseline::parse("{\"x\": 1}").is_err());
        assert!(Baseline::parse("nonsense").is_err());
    }
}
