//! Control characters out of every text-like output.
//!
//! A document's text reaches terminals (text, Markdown, GitHub annotations), spreadsheets (CSV,
//! XLSX), browsers (HTML) and CI systems (JUnit, SARIF). A cell that holds `ESC [ 2 J`, an OSC
//! hyperlink or title sequence, a carriage return or a C1 control could rewrite the user's
//! terminal or forge output lines. [`strip_controls`] is the one function every writer relies
//! on: it removes C0 controls except tab and newline, DEL, C1 controls, and whole escape
//! sequences (CSI, OSC, DCS/SOS/PM/APC strings, two-character escapes), so that neither the
//! sequence nor its parameters are left behind.
//!
//! JSON and NDJSON keep the text as read (JSON escapes controls as `\u001b`); every other
//! output goes through [`clean_report`] / [`clean_errors`] first (the binary does this before
//! rendering).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::document::Source;
use crate::report::Report;
use crate::write::InputError;

/// True for a character no text-like output may carry: C0 except tab and newline, DEL, C1.
pub fn is_control(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// `s` without control characters and escape sequences (borrowed when it has none).
pub fn strip_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\u{1b}' => i = skip_escape(&chars, i),
            // C1 forms of CSI and of the string introducers.
            '\u{9b}' => i = skip_csi(&chars, i),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => i = skip_string(&chars, i),
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// After ESC at `i - 1`: the index just past the whole sequence.
fn skip_escape(chars: &[char], i: usize) -> usize {
    match chars.get(i) {
        None => i,
        Some('[') => skip_csi(chars, i + 1),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars, i + 1),
        Some(&c) => {
            // nF: intermediates 0x20-0x2F, then one final 0x30-0x7E; Fp/Fe/Fs: one final.
            let mut j = i;
            while chars
                .get(j)
                .is_some_and(|&c| ('\u{20}'..='\u{2f}').contains(&c))
            {
                j += 1;
            }
            match chars.get(j) {
                Some(&f) if ('\u{30}'..='\u{7e}').contains(&f) => j + 1,
                _ if ('\u{20}'..='\u{2f}').contains(&c) => j,
                _ => i,
            }
        }
    }
}

/// Control Sequence: parameters 0x30-0x3F, intermediates 0x20-0x2F, one final 0x40-0x7E.
fn skip_csi(chars: &[char], mut i: usize) -> usize {
    while chars
        .get(i)
        .is_some_and(|&c| ('\u{30}'..='\u{3f}').contains(&c))
    {
        i += 1;
    }
    while chars
        .get(i)
        .is_some_and(|&c| ('\u{20}'..='\u{2f}').contains(&c))
    {
        i += 1;
    }
    match chars.get(i) {
        Some(&f) if ('\u{40}'..='\u{7e}').contains(&f) => i + 1,
        _ => i,
    }
}

/// OSC / DCS / SOS / PM / APC: up to BEL or String Terminator (ESC \ or U+009C). Without a
/// terminator only the introducer goes (the text after it is kept).
fn skip_string(chars: &[char], i: usize) -> usize {
    let mut j = i;
    while j < chars.len() {
        match chars[j] {
            '\u{7}' | '\u{9c}' => return j + 1,
            '\u{1b}' if chars.get(j + 1) == Some(&'\\') => return j + 2,
            _ => j += 1,
        }
    }
    i
}

fn fix(s: &mut String) {
    if let Cow::Owned(clean) = strip_controls(s) {
        *s = clean;
    }
}

fn fix_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        fix(s);
    }
}

fn fix_all(v: &mut [String]) {
    v.iter_mut().for_each(fix);
}

fn fix_map<V>(m: &mut BTreeMap<String, V>, value: impl Fn(&mut V)) {
    if m.keys().any(|k| k.chars().any(is_control)) {
        let old = std::mem::take(m);
        for (mut k, v) in old {
            fix(&mut k);
            m.insert(k, v);
        }
    }
    m.values_mut().for_each(value);
}

fn fix_source(s: &mut Source) {
    fix_opt(&mut s.sheet);
    fix_opt(&mut s.cell);
}

/// Remove control characters from every string of a report, in place.
pub fn clean_report(r: &mut Report) {
    fix(&mut r.source.path);
    fix(&mut r.source.format);
    fix(&mut r.source.sha256);
    fix_opt(&mut r.title);
    for t in &mut r.tables {
        fix_map(&mut t.columns, fix);
        for m in &mut t.mappings {
            fix(&mut m.header);
            fix_opt(&mut m.field);
            fix(&mut m.reason);
        }
        fix(&mut t.reason);
        fix_opt(&mut t.section);
        fix_source(&mut t.source);
    }
    for a in &mut r.actions {
        fix(&mut a.id);
        fix_opt(&mut a.reference);
        fix_opt(&mut a.section);
        fix_opt(&mut a.objective);
        fix_opt(&mut a.action);
        fix_all(&mut a.action_items);
        fix_opt(&mut a.lead);
        fix_all(&mut a.leads);
        fix_opt(&mut a.due);
        fix_opt(&mut a.due_date);
        fix_opt(&mut a.evidence);
        fix_opt(&mut a.xref);
        fix_all(&mut a.xrefs);
        fix_opt(&mut a.status);
        fix_map(&mut a.extra, fix);
        fix_source(&mut a.source);
        fix_all(&mut a.gaps);
    }
    for g in &mut r.gaps {
        fix(&mut g.rule);
        fix_opt(&mut g.action_id);
        fix(&mut g.message);
        fix_source(&mut g.source);
    }
    fix_map(&mut r.summary.gaps_by_rule, |_| {});
    fix_map(&mut r.summary.gaps_by_severity, |_| {});
}

/// Remove control characters from failed inputs (their paths and messages), in place.
pub fn clean_errors(errors: &mut [InputError]) {
    for e in errors {
        fix(&mut e.path);
        fix(&mut e.error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_sequences_go() {
        let cases = [
            (
                "plain text\twith tab\nand newline",
                "plain text\twith tab\nand newline",
            ),
            ("red \u{1b}[31mALERT\u{1b}[0m done", "red ALERT done"),
            ("clear\u{1b}[2J\u{1b}[H screen", "clear screen"),
            ("title \u{1b}]0;pwned\u{7} x", "title  x"),
            (
                "link \u{1b}]8;;http://e.vil\u{1b}\\text\u{1b}]8;;\u{1b}\\ end",
                "link text end",
            ),
            ("cr\roverwrite", "croverwrite"),
            ("bell\u{7} nul\u{0} del\u{7f}", "bell nul del"),
            ("c1 \u{9b}31m csi \u{85} nel", "c1  csi  nel"),
            ("dcs \u{1b}Pq#0;2;0;0;0\u{1b}\\ after", "dcs  after"),
            ("charset \u{1b}(B ok \u{1b}7 save", "charset  ok  save"),
            (
                "unterminated \u{1b}]0;title kept",
                "unterminated 0;title kept",
            ),
            ("trailing \u{1b}", "trailing "),
            ("é ü 中文 ✓ — “quotes”", "é ü 中文 ✓ — “quotes”"),
        ];
        for (input, want) in cases {
            assert_eq!(strip_controls(input), want, "{input:?}");
            assert!(!strip_controls(input).chars().any(is_control), "{input:?}");
        }
        assert!(matches!(strip_controls("clean"), Cow::Borrowed(_)));
    }

    /// Every string field of a report, whatever fields it gains, is cleaned: a report whose
    /// every string (keys too) carries an escape sequence comes out with none.
    #[test]
    fn every_string_of_a_report_is_cleaned() {
        fn taint(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::String(s)
                    if s != crate::report::SCHEMA_VERSION && !is_enum_word(s) =>
                {
                    s.push_str("\u{1b}[31m\u{7}")
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(taint),
                serde_json::Value::Object(o) => o.values_mut().for_each(taint),
                _ => {}
            }
        }
        // Keys of the free-form maps (struct field names must stay as they are).
        fn taint_keys(v: &mut serde_json::Value) {
            if let serde_json::Value::Object(o) = v {
                let old = std::mem::take(o);
                for (k, val) in old {
                    o.insert(format!("{k}\u{9b}1m"), val);
                }
            }
        }
        // Enumerations (due_kind, severity, ...) cannot hold text.
        fn is_enum_word(s: &str) -> bool {
            [
                "table",
                "prose",
                "date",
                "period",
                "recurring",
                "ongoing",
                "immediate",
                "multiple",
                "unspecified",
                "day",
                "month",
                "quarter",
                "season",
                "year",
                "financial_year",
                "info",
                "warning",
                "error",
            ]
            .contains(&s)
        }
        let text = "Action plan\n\nRef\tAction\tLead\tBy when\tEvidence\tOutcome\tNotes\n\
                    1\tTrain staff\tCouncil\tMarch 2026\tStaff trained\tO1\tsee note\n\
                    2\tReview the offer\t\tsoon\t\tO2\t\n";
        let report =
            crate::extract_bytes("plan.txt", text.as_bytes(), &Default::default()).unwrap();
        let mut v = serde_json::to_value(&report).unwrap();
        taint(&mut v);
        for a in v["actions"].as_array_mut().unwrap() {
            taint_keys(&mut a["extra"]);
        }
        for t in v["tables"].as_array_mut().unwrap() {
            taint_keys(&mut t["columns"]);
        }
        taint_keys(&mut v["summary"]["gaps_by_rule"]);
        let mut dirty: Report = serde_json::from_value(v).unwrap();
        assert!(serde_json::to_string(&dirty).unwrap().contains("\\u001b"));
        clean_report(&mut dirty);
        let out = serde_json::to_string(&dirty).unwrap();
        assert!(
            !out.contains("\\u001b") && !out.contains("\\u0007"),
            "{out}"
        );
        assert!(!out.chars().any(is_control), "{out}");
        assert!(out.contains("Train staff"));
    }
}
