//! Which column is which: one joint assignment of fields to columns from the header's words and
//! the columns' content together, and whether the result is an action plan at all.
//!
//! Each (column, field) pair gets an evidence score from two sources:
//!
//! * the header ([`header::score`]), discounted by how far the content allows the field
//!   ([`Profile::compatible`]): a header word alone cannot map a column of codes to `action`;
//! * the content by itself ([`Profile::typical`]), capped below a strong header: a column whose
//!   header no vocabulary knows ("What we have committed to", "Shared Outcome") is mapped by
//!   what its cells look like.
//!
//! The assignment maximises the total evidence with one field per column and at most one
//! column per field (a small dynamic programme over columns and sets of fields), with the action
//! column weighted most. Columns left over stay unmapped (kept under `extra`). [`accept`] then
//! decides from the same evidence whether the table is an action plan.

use std::collections::BTreeMap;

use super::header;
use super::profile::Profile;
use super::{Column, Field};

/// Least evidence that maps a column.
const MIN_EVIDENCE: f64 = 0.4;
/// Content alone reaches at most this much evidence (a clear header says more).
const CONTENT_CAP: f64 = 0.78;

/// The fields a column can take, in the order of the assignment's bit set.
const FIELDS: [Field; 9] = Field::ALL;

/// Evidence for one (column, field) pair.
#[derive(Debug, Clone, Copy, Default)]
struct Pair {
    header: f64,
    content: f64,
    score: f64,
}

/// Evidence of every field for one column.
fn evidence(header_scores: &[(Field, f64)], profile: &Profile, column: usize) -> [Pair; 9] {
    let w = profile.weight();
    let mut out = [Pair::default(); 9];
    let h = |f: Field| {
        header_scores
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(0.0, |(_, v)| *v)
    };
    // How clearly the header names some field that the content allows ("Priority" over
    // "Identification", "Breaks"): content alone then speaks less for a different field.
    let named_elsewhere = |f: Field| {
        header_scores
            .iter()
            .filter(|(g, _)| *g != f)
            .map(|(g, v)| v * (1.0 - w * (1.0 - profile.compatible(*g))))
            .fold(0.0, f64::max)
    };
    for (k, &f) in FIELDS.iter().enumerate() {
        let mut hs = h(f);
        // A column named after the objective, outcome or priority a row serves, whose cells
        // are codes, refers to it: a cross-reference.
        if f == Field::Xref {
            let named = h(Field::Objective).max(h(Field::Section));
            hs = hs.max(named * profile.code);
        }
        let compat = 1.0 - w * (1.0 - profile.compatible(f));
        let typical = w * profile.typical(f);
        let from_header = hs * (0.3 + 0.7 * compat);
        // A header that names another field the content allows outweighs content alone: a
        // column of one-word topics under "Priority" is the priority, not a column of names.
        let mut from_content = CONTENT_CAP * typical * (1.0 - 0.5 * named_elsewhere(f));
        // Row numbers sit in the first column: there, single codes that do not repeat are
        // the numbering even in a short table.
        if f == Field::Ref {
            if column > 0 {
                from_content *= 0.6;
            } else if profile.distinct >= 0.99 && profile.code - profile.list >= 0.4 {
                from_content = from_content.max(0.8);
            }
        }
        // One cell says little about a column: without a header naming the field, content
        // alone maps only the action column of a one-row table.
        if hs == 0.0 && profile.filled < 2 && f != Field::Action {
            from_content = 0.0;
        }
        let mut score = from_header.max(from_content);
        if hs > 0.0 && typical > 0.5 {
            // Header and content agree.
            score += 0.08 * typical;
        }
        out[k] = Pair {
            header: hs,
            content: typical,
            score: score.min(1.0),
        };
    }
    out
}

/// Describe what a column's content looks like, for reasons.
pub fn describe(p: &Profile) -> String {
    if p.filled == 0 {
        return "no content".to_string();
    }
    let mut parts: Vec<(f64, &str)> = vec![
        (p.imperative, "start with a verb"),
        (
            p.org.max(p.person),
            "are names of organisations, roles or people",
        ),
        (p.due, "are dates or periods"),
        (p.code, "are codes or numbers"),
        (p.measure, "state targets or measures"),
        (p.status, "are status words"),
        (p.number, "are numbers"),
        (p.past, "report work done"),
    ];
    parts.sort_by(|a, b| b.0.total_cmp(&a.0));
    let top: Vec<String> = parts
        .iter()
        .filter(|(v, _)| *v >= 0.3)
        .take(2)
        .map(|(v, d)| format!("{:.0}% {d}", v * 100.0))
        .collect();
    if top.is_empty() {
        format!("{} cells of {:.0} words on average", p.filled, p.words)
    } else {
        format!("{} cells, {}", p.filled, top.join(", "))
    }
}

/// Map columns to fields from their headers and content profiles (one profile per header;
/// missing profiles count as no content). `synonyms` are the user's extra header words.
/// Every column is returned, mapped or not, with its evidence and a reason.
pub fn assign(
    headers: &[String],
    profiles: &[Profile],
    synonyms: &BTreeMap<String, Vec<String>>,
) -> Vec<Column> {
    let n = headers.len();
    let empty = Profile::default();
    let prof = |i: usize| profiles.get(i).unwrap_or(&empty);
    let mut scores: Vec<Vec<(Field, f64)>> =
        headers.iter().map(|h| header::score(h, synonyms)).collect();
    let mut ev: Vec<[Pair; 9]> = (0..n).map(|i| evidence(&scores[i], prof(i), i)).collect();
    outcome_by_position(headers, &mut scores, &mut ev, &|i| *prof(i));
    let chosen = best_assignment(&ev);
    (0..n)
        .map(|i| {
            let header = headers[i].trim().to_string();
            let p = prof(i);
            match chosen[i] {
                Some(k) => {
                    let pair = ev[i][k];
                    let f = FIELDS[k];
                    let how = if pair.header > 0.0 && pair.content > 0.5 {
                        "header and content"
                    } else if pair.header * 0.9 >= pair.content * CONTENT_CAP {
                        "header"
                    } else {
                        "content"
                    };
                    Column {
                        index: i,
                        header,
                        field: Some(f),
                        confidence: pair.score,
                        header_score: pair.header,
                        content_score: pair.content,
                        reason: format!("{} by {how}; {}", f.name(), describe(p)),
                    }
                }
                None => {
                    let best = (0..FIELDS.len())
                        .max_by(|&a, &b| ev[i][a].score.total_cmp(&ev[i][b].score))
                        .filter(|&k| ev[i][k].score > 0.2);
                    let reason = match best {
                        Some(k) if ev[i][k].score >= MIN_EVIDENCE => format!(
                            "unmapped: {} went to a column with more evidence; {}",
                            FIELDS[k].name(),
                            describe(p)
                        ),
                        Some(k) => format!(
                            "unmapped: weak evidence for {} ({:.2}); {}",
                            FIELDS[k].name(),
                            ev[i][k].score,
                            describe(p)
                        ),
                        None => format!(
                            "unmapped: neither header nor content names a field; {}",
                            describe(p)
                        ),
                    };
                    Column {
                        index: i,
                        header,
                        field: None,
                        confidence: 0.0,
                        header_score: 0.0,
                        content_score: 0.0,
                        reason,
                    }
                }
            }
        })
        .collect()
}

/// An "Outcome(s)" column left of the actions states the objective; right of them, the expected
/// result (evidence). Adjusts the header scores of such columns once the action column is known.
fn outcome_by_position(
    headers: &[String],
    scores: &mut [Vec<(Field, f64)>],
    ev: &mut [[Pair; 9]],
    prof: &dyn Fn(usize) -> Profile,
) {
    let ix = |f: Field| FIELDS.iter().position(|&g| g == f).unwrap_or(0);
    let (a, e) = (ix(Field::Action), ix(Field::Evidence));
    let Some(action_col) = (0..ev.len()).max_by(|&x, &y| ev[x][a].score.total_cmp(&ev[y][a].score))
    else {
        return;
    };
    for (i, h) in headers.iter().enumerate() {
        let outcome = header::words(h).iter().any(|w| w.starts_with("outcome"));
        if !outcome || ev[i][e].header > 0.6 || i == action_col {
            continue;
        }
        let left = i < action_col;
        scores[i].retain(|(f, _)| !matches!(f, Field::Objective | Field::Evidence));
        scores[i].push((Field::Objective, if left { 0.7 } else { 0.5 }));
        scores[i].push((Field::Evidence, if left { 0.5 } else { 0.7 }));
        ev[i] = evidence(&scores[i], &prof(i), i);
    }
}

/// One field per column, at most one column per field, maximising the total evidence (the
/// action field weighted most). Returns the field index chosen for each column.
fn best_assignment(ev: &[[Pair; 9]]) -> Vec<Option<usize>> {
    let n = ev.len();
    let states = 1usize << FIELDS.len();
    let weight = |k: usize| if FIELDS[k] == Field::Action { 1.4 } else { 1.0 };
    // best[i][mask]: best total for columns i.. given fields in `mask` are taken.
    let mut best = vec![vec![0.0f64; states]; n + 1];
    let mut pick = vec![vec![None::<usize>; states]; n + 1];
    for i in (0..n).rev() {
        for mask in 0..states {
            let mut b = best[i + 1][mask];
            let mut p = None;
            for k in 0..FIELDS.len() {
                if mask & (1 << k) != 0 || ev[i][k].score < MIN_EVIDENCE {
                    continue;
                }
                let v = ev[i][k].score * weight(k) + best[i + 1][mask | (1 << k)];
                if v > b + 1e-9 {
                    b = v;
                    p = Some(k);
                }
            }
            best[i][mask] = b;
            pick[i][mask] = p;
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut mask = 0usize;
    for row in pick.iter().take(n) {
        let p = row[mask];
        if let Some(k) = p {
            mask |= 1 << k;
        }
        out.push(p);
    }
    out
}

/// Is a table with these columns an action plan? `Ok((confidence, reason))` when it has an
/// action column (an objective column may stand in) whose content can be actions, and at least
/// one of lead, due or evidence; otherwise `Err(reason)`.
pub fn accept(columns: &[Column], profiles: &[Profile]) -> Result<(f64, String), String> {
    let find = |f: Field| columns.iter().find(|c| c.field == Some(f));
    let empty = Profile::default();
    let prof = |c: &Column| profiles.get(c.index).unwrap_or(&empty);
    let headers = || {
        let hs: Vec<String> = columns
            .iter()
            .filter(|c| !c.header.is_empty())
            .map(|c| format!("\"{}\"", c.header.replace('\n', " ")))
            .collect();
        if hs.is_empty() {
            "no header".to_string()
        } else {
            format!("headers were {}", hs.join(", "))
        }
    };
    let (action, stand_in) = match (find(Field::Action), find(Field::Objective)) {
        (Some(a), _) => (a, false),
        (None, Some(o)) => (o, true),
        (None, None) => return Err(format!("no action column ({})", headers())),
    };
    let ap = prof(action);
    let mut action_conf = if stand_in {
        action.confidence * 0.8
    } else {
        action.confidence
    };
    // The action column must hold text that can be actions: clauses, not names or numbers.
    if ap.filled > 0 {
        // Few cells say less: one odd cell does not veto a clear header.
        let can_act = 1.0 - ap.weight() * (1.0 - ap.compatible(Field::Action));
        if can_act < 0.35 {
            return Err(format!(
                "column \"{}\" is named like actions but its cells do not read as actions ({})",
                action.header,
                describe(ap)
            ));
        }
        if stand_in && ap.typical(Field::Action) < 0.15 && ap.words < 6.0 {
            return Err(format!(
                "no action column: \"{}\" holds objectives, not actions ({})",
                action.header,
                describe(ap)
            ));
        }
        action_conf *= 0.7 + 0.3 * can_act;
    }
    // Support counts when the header names it or the content is clear.
    let support: Vec<&Column> = [Field::Lead, Field::Due, Field::Evidence]
        .iter()
        .filter_map(|&f| find(f))
        .filter(|c| c.header_score >= 0.45 || c.confidence >= 0.55)
        .collect();
    // Actions that carry their lead or deadline in their own words stand for the missing
    // columns ("... (Lead: ICB, by March 2026)" under "What we will do").
    if support.is_empty() && ap.filled >= 2 && ap.inline >= 0.5 {
        return Ok((
            (action_conf * 0.75).min(0.7),
            format!(
                "action column \"{}\" whose cells name their lead or deadline ({:.0}% of them)",
                action.header.replace('\n', " "),
                ap.inline * 100.0
            ),
        ));
    }
    if support.is_empty() {
        return Err(format!(
            "action column \"{}\" but no lead, due or evidence column ({})",
            action.header,
            headers()
        ));
    }
    if action_conf < 0.6 && support.len() < 2 {
        return Err(format!(
            "weak evidence: action column \"{}\" ({:.2}) with only {}",
            action.header,
            action_conf,
            support[0].field.map_or("", Field::name)
        ));
    }
    let mean = (action_conf + support.iter().map(|c| c.confidence).sum::<f64>())
        / (1 + support.len()) as f64;
    let confidence = (mean * (0.7 + 0.1 * support.len() as f64)).min(1.0);
    let names: Vec<&str> = support
        .iter()
        .filter_map(|c| c.field.map(Field::name))
        .collect();
    let label = if action.header.is_empty() {
        format!("column {}", action.index + 1)
    } else {
        format!("\"{}\"", action.header.replace('\n', " "))
    };
    Ok((
        confidence,
        format!(
            "action column {label}{} with {}",
            if stand_in {
                " (objectives standing in)"
            } else {
                ""
            },
            names.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn profiles(rows: &[Vec<&str>]) -> Vec<Profile> {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        (0..width)
            .map(|k| Profile::of(rows.iter().filter_map(|r| r.get(k).copied())))
            .collect()
    }

    fn fields(cols: &[Column]) -> Vec<Option<Field>> {
        cols.iter().map(|c| c.field).collect()
    }

    fn kent_rows() -> Vec<Vec<&'static str>> {
        vec![
            vec![
                "Optimise the opportunity of family hubs to demonstrate improvement in outcomes",
                "Lead for Family Hubs",
                "Mar 2026",
                "Agreed metrics on core plus and MOU with PH",
                "SO1",
            ],
            vec![
                "Ensure a clear evidence-based approach to parenting",
                "FH workforce leads for parenting",
                "Mar 2026",
                "Agree metrics on core plus",
                "SO1, SO2",
            ],
            vec![
                "Deliver school support for healthy behaviours including the Daily Mile",
                "Active Kent",
                "Mar 2026",
                "Proportion of primary schools offering Daily Mile",
                "SO1, SO3",
            ],
        ]
    }

    #[test]
    fn unknown_action_header_and_outcome_codes() {
        let headers = h(&[
            "What we have committed to",
            "Led by",
            "Timescale",
            "Measure",
            "Shared Outcome",
        ]);
        let rows = kent_rows();
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(
            fields(&cols),
            vec![
                Some(Field::Action),
                Some(Field::Lead),
                Some(Field::Due),
                Some(Field::Evidence),
                Some(Field::Xref)
            ]
        );
        assert!(accept(&cols, &profiles(&rows)).is_ok());
    }

    #[test]
    fn headers_unknown_content_decides() {
        let headers = h(&["Col A", "Col B", "Col C", "Col D", "Col E"]);
        let rows = kent_rows();
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(cols[0].field, Some(Field::Action));
        assert_eq!(cols[1].field, Some(Field::Lead));
        assert_eq!(cols[2].field, Some(Field::Due));
        assert_eq!(cols[4].field, Some(Field::Xref));
        assert!(cols[0].reason.contains("content"), "{}", cols[0].reason);
    }

    #[test]
    fn shuffled_columns_map_the_same() {
        let headers = h(&[
            "Shared Outcome",
            "Timescale",
            "Measure",
            "What we have committed to",
            "Led by",
        ]);
        let rows: Vec<Vec<&str>> = kent_rows()
            .into_iter()
            .map(|r| vec![r[4], r[2], r[3], r[0], r[1]])
            .collect();
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(
            fields(&cols),
            vec![
                Some(Field::Xref),
                Some(Field::Due),
                Some(Field::Evidence),
                Some(Field::Action),
                Some(Field::Lead)
            ]
        );
    }

    #[test]
    fn misleading_header_loses_to_content() {
        // "Action" over a column of codes, the real actions under an unknown header.
        let headers = h(&["Action", "Description", "Owner", "Deadline"]);
        let rows = vec![
            vec![
                "A1",
                "Publish a directory of sitting services for carers",
                "Carers Hub",
                "March 2026",
            ],
            vec![
                "A2",
                "Sign up ten employers to a carer-friendly pledge",
                "Economic Development",
                "June 2026",
            ],
            vec![
                "A3",
                "Offer every carer a free emergency card",
                "Carers Hub",
                "2027",
            ],
        ];
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(cols[1].field, Some(Field::Action), "{:?}", cols);
        assert_ne!(cols[0].field, Some(Field::Action));
    }

    #[test]
    fn a_header_that_names_a_field_outweighs_content_alone() {
        // One-word topics look like names by content; "Priority" says what they are.
        let headers = h(&["Priority", "What we will do"]);
        let rows = vec![
            vec!["Identification", "Introduce a carers register"],
            vec!["Breaks", "Expand the sitting service to weekends"],
            vec!["Information", "Publish a carers guide"],
        ];
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(cols[0].field, Some(Field::Objective), "{cols:?}");
        assert_eq!(cols[1].field, Some(Field::Action), "{cols:?}");
    }

    #[test]
    fn what_how_who_when() {
        let headers = h(&["What", "How", "Who", "When"]);
        let rows = vec![
            vec![
                "Set up a monthly carers drop-in at the library.",
                "Book the room; advertise in the newsletter; count attendance each month.",
                "Library Services",
                "March 2026",
            ],
            vec![
                "Offer a free health check to every registered carer.",
                "At least 30 carers to have attended a check.",
                "Primary Care Network",
                "June 2026",
            ],
        ];
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(
            fields(&cols),
            vec![
                Some(Field::Action),
                Some(Field::Evidence),
                Some(Field::Lead),
                Some(Field::Due)
            ]
        );
    }

    #[test]
    fn objective_numbers_are_cross_references() {
        let headers = h(&["Objectives", "Action", "Lead", "Deadline", "Evidence"]);
        let rows = vec![
            vec![
                "1, 2",
                "Map every carers support group.",
                "Community Wellbeing Team",
                "31.03.26",
                "Directory published.",
            ],
            vec![
                "1, 3",
                "Run two awareness sessions.",
                "Pharmacy Network",
                "30.06.26",
                "Registers kept.",
            ],
            vec![
                "2",
                "Add a carer question to the checklist.",
                "Discharge Hub",
                "30.09.26",
                "Checklist reissued.",
            ],
            vec![
                "3",
                "Recruit ten volunteer befrienders.",
                "Volunteer Centre",
                "31.12.26",
                "Ten trained.",
            ],
        ];
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(cols[0].field, Some(Field::Xref), "{:?}", cols[0]);
        // The same header over statements is an objective.
        let rows2: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r[0] = "Carers are supported to stay well and connected";
                r
            })
            .collect();
        let cols = assign(&headers, &profiles(&rows2), &BTreeMap::new());
        assert_eq!(cols[0].field, Some(Field::Objective));
    }

    #[test]
    fn row_numbers_first() {
        let headers = h(&["", "Action", "Lead", "Milestone"]);
        let rows = vec![
            vec!["1", "Do a thing for carers", "HHAS", "March 2009"],
            vec![
                "2",
                "Do another thing for carers",
                "Carers Centre",
                "Ongoing",
            ],
            vec!["3", "Review the thing", "PCT", "2011"],
        ];
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(
            fields(&cols),
            vec![
                Some(Field::Ref),
                Some(Field::Action),
                Some(Field::Lead),
                Some(Field::Due)
            ]
        );
        assert!(accept(&cols, &profiles(&rows)).unwrap().0 > 0.6);
    }

    #[test]
    fn code_style_headers() {
        let headers = h(&[
            "action_id",
            "action_title",
            "owner_team",
            "target_qtr",
            "kpi",
        ]);
        let rows = vec![
            vec![
                "101",
                "Launch the carers card",
                "Comms",
                "Q3 2025/26",
                "Cards issued",
            ],
            vec![
                "102",
                "Train GP receptionists",
                "Primary Care",
                "Q4 2025/26",
                "200 staff trained",
            ],
        ];
        let cols = assign(&headers, &profiles(&rows), &BTreeMap::new());
        assert_eq!(
            fields(&cols),
            vec![
                Some(Field::Ref),
                Some(Field::Action),
                Some(Field::Lead),
                Some(Field::Due),
                Some(Field::Evidence)
            ]
        );
    }

    #[test]
    fn non_plans_are_rejected() {
        let reject = |headers: &[&str], rows: Vec<Vec<&str>>| {
            let ps = profiles(&rows);
            let cols = assign(&h(headers), &ps, &BTreeMap::new());
            assert!(accept(&cols, &ps).is_err(), "{headers:?} {cols:?}");
        };
        reject(
            &["Version", "Date", "Author", "Changes"],
            vec![vec!["0.1", "01/02/2024", "Jo Hart", "First draft"]],
        );
        reject(
            &[
                "Performance Measures",
                "Target for 2007-2008",
                "Target for 2008-2009",
            ],
            vec![vec!["Carers assessed", "300", "350"]],
        );
        reject(&["Elements", "Action taken", "Achievements"], vec![]);
        reject(&["Contents", "Page"], vec![vec!["Introduction", "3"]]);
        reject(
            &["Age Group", "Number of people", "TOTAL"],
            vec![vec!["18-24", "1,200", "3,400"]],
        );
        // People: names under "Task" / "Owner" words.
        reject(
            &["Name", "Task", "Owner"],
            vec![
                vec!["Jo Hart", "12", "Sam Osei"],
                vec!["Priya Nair", "7", "Amir Khan"],
                vec!["Ravi Shah", "3", "Mel Burns"],
            ],
        );
        // Indicators with a timescale are not actions.
        reject(
            &["Objectively Verifiable Indicators", "Timescale", "Progress"],
            vec![
                vec!["Pupil absence rates will have fallen from 7.9% to below 5%.", "2028", ""],
                vec!["The proportion of children who are a healthy weight will be maintained at 63%.", "2028", ""],
            ],
        );
        // Budget lines.
        reject(
            &["Project", "Budget", "Spend to date", "Variance"],
            vec![
                vec!["Carers hub", "£120,000", "£80,000", "£40,000"],
                vec!["Breaks", "£50,000", "£20,000", "£30,000"],
            ],
        );
    }

    #[test]
    fn one_row_and_many_rows() {
        let headers = h(&["Action", "Lead", "By when"]);
        let one = vec![vec!["Publish the carers guide", "Comms Team", "March 2026"]];
        let cols = assign(&headers, &profiles(&one), &BTreeMap::new());
        assert!(accept(&cols, &profiles(&one)).is_ok());
        let many: Vec<Vec<&str>> = (0..200)
            .map(|_| vec!["Publish the carers guide", "Comms Team", "March 2026"])
            .collect();
        let cols = assign(&headers, &profiles(&many), &BTreeMap::new());
        assert_eq!(
            fields(&cols),
            vec![Some(Field::Action), Some(Field::Lead), Some(Field::Due)]
        );
    }

    #[test]
    fn user_synonyms_map_unknown_headers() {
        let mut syn = BTreeMap::new();
        syn.insert("lead".to_string(), vec!["Head of Service".to_string()]);
        let headers = h(&["Action", "Head of Service", "By when"]);
        let rows = vec![vec!["Publish the guide", "Jo Hart", "2026"]];
        let cols = assign(&headers, &profiles(&rows), &syn);
        assert_eq!(cols[1].field, Some(Field::Lead));
    }
}
