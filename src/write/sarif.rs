//! SARIF 2.1.0: one result per gap, rule metadata in `tool.driver.rules`, failed inputs as
//! tool execution notifications. Validated against the OASIS schema in `tests/check.rs`.
//!
//! Locations: the file as a URI (relative paths stay relative, absolute ones become
//! `file://` URIs); for text the line (and end line); for PDF the page in the region's
//! `properties`; for spreadsheets the cell, both as `sheet!cell` logical location and in the
//! region's `properties`.

use std::collections::BTreeSet;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::document::Source;
use crate::report::{Gap, Report, Severity};
use crate::write::shared::rule_doc;
use crate::write::InputError;

/// The schema URI written in `$schema`.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Render reports (and failed inputs) as one SARIF log with one run.
pub fn sarif(reports: &[Report], failures: &[InputError]) -> String {
    let mut out = Vec::new();
    sarif_to(&mut out, reports, failures).expect("SARIF is serialisable");
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

/// [`sarif`], written to `w` as it is produced: results are built and written one at a time,
/// so the log is never held whole in memory (150,000 gaps took 2 GB as one JSON value).
pub fn sarif_to(
    w: &mut dyn std::io::Write,
    reports: &[Report],
    failures: &[InputError],
) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(w, &Log { reports, failures })
}

/// The SARIF log as a JSON value.
pub fn sarif_value(reports: &[Report], failures: &[InputError]) -> Value {
    serde_json::to_value(Log { reports, failures }).expect("SARIF is serialisable")
}

/// The whole log; keys in the order a JSON object prints them (sorted), as `sarif_value` has them.
struct Log<'a> {
    reports: &'a [Report],
    failures: &'a [InputError],
}

impl Serialize for Log<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("$schema", SCHEMA_URI)?;
        m.serialize_entry("runs", &[Run(self.reports, self.failures)])?;
        m.serialize_entry("version", "2.1.0")?;
        m.end()
    }
}

/// The one run: tool, invocation, artifacts and the results, streamed.
struct Run<'a>(&'a [Report], &'a [InputError]);

impl Serialize for Run<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (reports, failures) = (self.0, self.1);
        let mut rule_ids: BTreeSet<&str> = crate::gaps::RULES.iter().map(|r| r.id).collect();
        for g in reports.iter().flat_map(|r| &r.gaps) {
            rule_ids.insert(g.rule.as_str());
        }
        let rule_ids: Vec<&str> = rule_ids.into_iter().collect();
        let rules: Vec<Value> = rule_ids
            .iter()
            .map(|id| {
                let (short, help) = rule_doc(id);
                json!({
                    "id": id,
                    "name": camel(id),
                    "shortDescription": { "text": short },
                    "fullDescription": { "text": format!("{short}. {help}") },
                    "help": { "text": help },
                    "defaultConfiguration": { "level": crate::gaps::rule(id).map(|r| level(r.severity)).unwrap_or("warning") },
                })
            })
            .collect();
        let artifacts: Vec<Value> = reports
            .iter()
            .map(|r| {
                json!({
                    "location": { "uri": path_uri(&r.source.path) },
                    "hashes": { "sha-256": r.source.sha256 },
                    "properties": { "format": r.source.format },
                })
            })
            .collect();
        let notifications: Vec<Value> = failures
            .iter()
            .map(|f| {
                json!({
                    "level": "error",
                    "message": { "text": f.error },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": path_uri(&f.path) } } }],
                })
            })
            .collect();
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("artifacts", &artifacts)?;
        m.serialize_entry("columnKind", "unicodeCodePoints")?;
        m.serialize_entry(
            "invocations",
            &json!([{
                "executionSuccessful": failures.is_empty(),
                "toolExecutionNotifications": notifications,
            }]),
        )?;
        m.serialize_entry("results", &Results(reports, &rule_ids))?;
        m.serialize_entry(
            "tool",
            &json!({ "driver": {
                "name": "carers-extract",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/carers-extract",
                "rules": rules,
            }}),
        )?;
        m.end()
    }
}

/// One result per gap, each built just before it is written.
struct Results<'a>(&'a [Report], &'a [&'a str]);

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.iter().map(|r| r.gaps.len()).sum()))?;
        for (ai, r) in self.0.iter().enumerate() {
            let actions = crate::write::shared::actions_by_id(r);
            for g in &r.gaps {
                let action = g
                    .action_id
                    .as_deref()
                    .and_then(|id| actions.get(id).copied());
                seq.serialize_element(&result(r, ai, g, action, self.1))?;
            }
        }
        seq.end()
    }
}

/// SARIF level for a gap severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(
    r: &Report,
    artifact: usize,
    g: &Gap,
    action: Option<&crate::report::Action>,
    rule_ids: &[&str],
) -> Value {
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({ "uri": path_uri(&r.source.path), "index": artifact }),
    );
    physical.insert("region".into(), region(&g.source));
    let mut location = Map::new();
    location.insert("physicalLocation".into(), Value::Object(physical));
    if let (Some(sheet), Some(cell)) = (&g.source.sheet, &g.source.cell) {
        location.insert(
            "logicalLocations".into(),
            json!([{ "fullyQualifiedName": format!("{sheet}!{cell}"), "name": cell, "kind": "element" }]),
        );
    }
    let text_key = action
        .and_then(|a| a.action.as_deref())
        .map(normalise)
        .unwrap_or_else(|| normalise(&g.message.replace(|c: char| c.is_ascii_digit(), "")));
    let fingerprint = {
        let d = Sha256::digest(format!("{}\u{1f}{}", g.rule, text_key).as_bytes());
        d.iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let mut props = Map::new();
    props.insert(
        "where".into(),
        json!(known_position(&g.source).unwrap_or_else(|| "the whole document".into())),
    );
    if let Some(id) = &g.action_id {
        props.insert("actionId".into(), json!(id));
    }
    if let Some(t) = g.table {
        props.insert("table".into(), json!(t));
    }
    if let Some(a) = action.and_then(|a| a.action.as_deref()) {
        props.insert("action".into(), json!(a));
    }
    let mut res = json!({
        "ruleId": g.rule,
        "level": level(g.severity),
        "message": { "text": match known_position(&g.source) {
            Some(w) => format!("{} ({w})", g.message),
            None => g.message.clone(),
        } },
        "locations": [Value::Object(location)],
        "partialFingerprints": { "carersExtractGap/v1": fingerprint },
        "properties": Value::Object(props),
    });
    if let Some(i) = rule_ids.iter().position(|id| *id == g.rule) {
        res["ruleIndex"] = json!(i);
    }
    res
}

/// Where a source points, in words, or `None` when it points nowhere in particular (a
/// document-level finding).
pub fn known_position(s: &Source) -> Option<String> {
    let d = s.describe();
    (d != "unknown position").then_some(d)
}

/// The region of a result. `startLine` is always there (GitHub code scanning needs it to place
/// a result): the text line when the format has lines, else 1, with the page / sheet / cell in
/// the region's `properties` (and in the message).
fn region(s: &Source) -> Value {
    let mut region = Map::new();
    match s.line.filter(|&l| l > 0) {
        Some(l) => {
            region.insert("startLine".into(), json!(l));
            if let Some(e) = s.line_end.filter(|&e| e >= l) {
                region.insert("endLine".into(), json!(e));
            }
        }
        None => {
            region.insert("startLine".into(), json!(1));
        }
    }
    let mut props = Map::new();
    if let Some(p) = s.page {
        props.insert("page".into(), json!(p));
    }
    if let Some(sheet) = &s.sheet {
        props.insert("sheet".into(), json!(sheet));
    }
    if let Some(cell) = &s.cell {
        props.insert("cell".into(), json!(cell));
    }
    if let Some(t) = s.table {
        props.insert("table".into(), json!(t));
    }
    if let Some(r) = s.row {
        props.insert("row".into(), json!(r));
    }
    if let Some(p) = s.paragraph {
        props.insert("paragraph".into(), json!(p));
    }
    if !props.is_empty() {
        region.insert("properties".into(), Value::Object(props));
    }
    Value::Object(region)
}

/// A URI reference for a path: relative paths stay relative (with `/` separators and
/// percent-encoding), absolute ones become `file://` URIs, stdin becomes `stdin`.
pub fn path_uri(path: &str) -> String {
    if path == "-" {
        return "stdin".to_string();
    }
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let encoded = percent_encode_path(p);
    if p.starts_with('/') {
        format!("file://{encoded}")
    } else if p.len() > 1 && p.as_bytes()[1] == b':' {
        format!("file:///{encoded}")
    } else {
        encoded
    }
}

fn percent_encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Text normalised for matching across runs: lower case, letters and digits only, single spaces.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        } else {
            space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::shared::sample;

    #[test]
    fn one_result_per_gap_with_locations() {
        let r = sample::report("docs/my strategy.txt");
        let v = sarif_value(std::slice::from_ref(&r), &[]);
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), r.gaps.len());
        let first = &results[0];
        assert_eq!(first["ruleId"], "vague-lead");
        assert_eq!(first["level"], "warning");
        let loc = &first["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "docs/my%20strategy.txt");
        assert_eq!(loc["region"]["startLine"], 12);
        // The spreadsheet/PDF one.
        let ma = results
            .iter()
            .find(|x| x["ruleId"] == "missing-action")
            .unwrap();
        assert_eq!(
            ma["locations"][0]["physicalLocation"]["region"]["properties"]["page"],
            4
        );
        assert_eq!(
            ma["locations"][0]["physicalLocation"]["region"]["properties"]["cell"],
            "C7"
        );
        assert_eq!(
            ma["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "Action Plan!C7"
        );
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert!(rules.iter().any(|x| x["id"] == "past-due"));
        let info = results
            .iter()
            .find(|x| x["ruleId"] == "missing-evidence")
            .unwrap();
        assert_eq!(info["level"], "note");
    }

    #[test]
    fn valid_against_sarif_schema() {
        let schema: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/sarif-2.1.0.json")).unwrap();
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let r = sample::report("/abs/path/plan 1.txt");
        let f = InputError {
            path: "bad.pdf".into(),
            error: "broken".into(),
        };
        for v in [
            sarif_value(std::slice::from_ref(&r), &[f]),
            sarif_value(&[], &[]),
        ] {
            let errors: Vec<String> = validator
                .iter_errors(&v)
                .map(|e| format!("{} at {}", e, e.instance_path))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}");
        }
        // And the validator does catch a broken log.
        let mut bad = sarif_value(std::slice::from_ref(&r), &[]);
        bad["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(!validator.is_valid(&bad));
    }

    #[test]
    fn uris() {
        assert_eq!(path_uri("./a b/c.txt"), "a%20b/c.txt");
        assert_eq!(path_uri("/tmp/x#1.pdf"), "file:///tmp/x%231.pdf");
        assert_eq!(path_uri("-"), "stdin");
        assert_eq!(normalise("  Publish the  Guide! "), "publish the guide");
    }

    #[test]
    fn failures_are_notifications() {
        let f = InputError {
            path: "bad.pdf".into(),
            error: "the PDF has no text layer".into(),
        };
        let v = sarif_value(&[], &[f]);
        let inv = &v["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
    }
}
