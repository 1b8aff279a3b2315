//! Deadlines: "31.12.14", "31 October 2008", "Dec 2008", "Apr-12", "End 2011", "2011",
//! "To end 2011/12 financial year", "Autumn 2008 onwards", "Q3 2009/10", "Ongoing", "Annually",
//! "Immediate", two dated milestones in one cell, ...
//!
//! [`parse`] finds every date or period the text names and classifies the whole cell. A period
//! resolves to its last day ("2011" -> 2011-12-31, "2011/12" -> 2012-03-31, "Autumn 2008" ->
//! 2008-11-30); several milestones resolve to the latest.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::report::{DueKind, DuePrecision};

/// A normalised deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    /// Kind of deadline.
    pub kind: DueKind,
    /// Last day of the named date or period (the latest, for several).
    pub date: Option<NaiveDate>,
    /// Precision of `date`.
    pub precision: Option<DuePrecision>,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const MONTH_RE: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})\b").unwrap());
static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b").unwrap());
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}\.?,?\s+('?\d{{4}}|'?\d{{2}})\b"
    ))
    .unwrap()
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b{MONTH_RE}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,\s+(\d{{4}})\b"
    ))
    .unwrap()
});
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b{MONTH_RE}\.?[\s\-/,']*('?\d{{4}}|'?\d{{2}})\b"
    ))
    .unwrap()
});
static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:q|quarter\s*)([1-4])\s*(?:of\s+)?(?:(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})|(\d{4}))\b",
    )
    .unwrap()
});
static SEASON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4}|'?\d{2})\b").unwrap()
});
static FINANCIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:fy\s*)?((?:19|20)\d{2})\s*[/\-–]\s*(\d{2}|(?:19|20)\d{2})\b").unwrap()
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b((?:19|20)\d{2})\b").unwrap());
static MID_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bmid[\s-]*((?:19|20)\d{2})\b").unwrap());

static ONGOING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(on[\s-]?going|continuous(ly)?|continuing|continual(ly)?|onwards?|throughout|as (and when )?(required|needed|necessary|appropriate)|rolling|existing work|in progress|permanent|indefinite)\b").unwrap()
});
static RECURRING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(annual(ly)?|yearly|every (year|month|quarter|\w+ (months|years))|quarterly|monthly|weekly|fortnightly|bi[\s-]?(monthly|annual(ly)?)|biannual(ly)?|six[\s-]monthly|half[\s-]yearly|(two|three|2|3)[\s-]yearly|twice (a|per) year|each year|per (year|annum)|reviewed? (annually|regularly)|regular(ly)?)\b").unwrap()
});
static IMMEDIATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(immediate(ly)?|now|asap|as soon as possible|with immediate effect|straight away|already (in place|started|underway))\b").unwrap()
});

struct Hit {
    date: NaiveDate,
    precision: DuePrecision,
    start: usize,
    end: usize,
}

fn year4(s: &str) -> Option<i32> {
    let s = s.trim_start_matches('\'');
    let y: i32 = s.parse().ok()?;
    let y = if s.len() == 2 { 2000 + y } else { y };
    (1990..=2100).contains(&y).then_some(y)
}

fn month_index(s: &str) -> Option<u32> {
    let s = s.to_lowercase();
    MONTHS
        .iter()
        .position(|m| s.starts_with(m))
        .map(|i| i as u32 + 1)
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn overlaps(hits: &[Hit], s: usize, e: usize) -> bool {
    hits.iter().any(|h| s < h.end && h.start < e)
}

/// Every date or period named in `lower` (lower-case text), most specific first, no overlaps.
fn find_dates(lower: &str) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let push =
        |hits: &mut Vec<Hit>, s: usize, e: usize, date: Option<NaiveDate>, p: DuePrecision| {
            if let Some(date) = date {
                if !overlaps(hits, s, e) {
                    hits.push(Hit {
                        date,
                        precision: p,
                        start: s,
                        end: e,
                    });
                }
            }
        };
    // Day-precision forms: (regex, day group, month group, month is a name, year group).
    let day_forms: [(&Regex, usize, usize, bool, usize); 4] = [
        (&ISO, 3, 2, false, 1),
        (&NUMERIC, 1, 2, false, 3),
        (&DAY_MONTH_YEAR, 1, 2, true, 3),
        (&MONTH_DAY_YEAR, 2, 1, true, 3),
    ];
    for (re, d, m, named, y) in day_forms {
        for c in re.captures_iter(lower) {
            let range = c.get(0).map_or(0..0, |m| m.range());
            let month = if named {
                month_index(&c[m])
            } else {
                c[m].parse::<u32>().ok()
            };
            let date = match (c[d].parse::<u32>().ok(), month, year4(&c[y])) {
                (Some(d), Some(mo), Some(y)) => NaiveDate::from_ymd_opt(y, mo, d),
                _ => None,
            };
            push(&mut hits, range.start, range.end, date, DuePrecision::Day);
        }
    }
    for c in QUARTER.captures_iter(lower) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let q: u32 = c[1].parse().unwrap_or(1);
        let date = if let (Some(a), Some(_)) = (c.get(2), c.get(3)) {
            // Financial quarter: Q1 = April to June of the first year.
            year4(a.as_str()).and_then(|y| {
                if q == 4 {
                    last_day(y + 1, 3)
                } else {
                    last_day(y, 3 + 3 * q)
                }
            })
        } else {
            c.get(4)
                .and_then(|y| year4(y.as_str()))
                .and_then(|y| last_day(y, 3 * q))
        };
        push(&mut hits, m.start, m.end, date, DuePrecision::Quarter);
    }
    for c in FINANCIAL.captures_iter(lower) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let (Some(a), b) = (year4(&c[1]), &c[2]) else {
            continue;
        };
        let b = if b.len() == 2 {
            (a / 100) * 100 + b.parse::<i32>().unwrap_or(0)
        } else {
            b.parse().unwrap_or(0)
        };
        if b == a + 1 {
            push(
                &mut hits,
                m.start,
                m.end,
                last_day(b, 3),
                DuePrecision::FinancialYear,
            );
        } else if b > a && b - a <= 30 {
            // A span of years ("2008-2011"): due by the end of the last.
            push(
                &mut hits,
                m.start,
                m.end,
                NaiveDate::from_ymd_opt(b, 12, 31),
                DuePrecision::Year,
            );
        }
    }
    for c in SEASON.captures_iter(lower) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let date = year4(&c[2]).and_then(|y| match &c[1] {
            "spring" => last_day(y, 5),
            "summer" => last_day(y, 8),
            "autumn" | "fall" => last_day(y, 11),
            _ => last_day(y + 1, 2),
        });
        push(&mut hits, m.start, m.end, date, DuePrecision::Season);
    }
    for c in MONTH_YEAR.captures_iter(lower) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let date = match (month_index(&c[1]), year4(&c[2])) {
            (Some(mo), Some(y)) => last_day(y, mo),
            _ => None,
        };
        push(&mut hits, m.start, m.end, date, DuePrecision::Month);
    }
    for c in MID_YEAR.captures_iter(lower) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let date = year4(&c[1]).and_then(|y| NaiveDate::from_ymd_opt(y, 6, 30));
        push(&mut hits, m.start, m.end, date, DuePrecision::Month);
    }
    for c in YEAR.captures_iter(lower) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        push(
            &mut hits,
            m.start,
            m.end,
            year4(&c[1]).and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31)),
            DuePrecision::Year,
        );
    }
    // "financial year 2011" / "2011 financial year" without a second year.
    if lower.contains("financial year") {
        for h in hits
            .iter_mut()
            .filter(|h| h.precision == DuePrecision::Year)
        {
            if let Some(d) = last_day(h.date.year() + 1, 3) {
                h.date = d;
                h.precision = DuePrecision::FinancialYear;
            }
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

/// Normalise a deadline cell.
pub fn parse(text: &str) -> Due {
    let lower = text.to_lowercase().replace(['\u{2013}', '\u{2014}'], "-");
    let hits = find_dates(&lower);
    let ongoing = ONGOING.is_match(&lower);
    let recurring = RECURRING.is_match(&lower);
    let immediate = IMMEDIATE.is_match(&lower);
    let mut dates: Vec<&Hit> = Vec::new();
    for h in &hits {
        if !dates.iter().any(|d| d.date == h.date) {
            dates.push(h);
        }
    }
    let latest = dates.iter().max_by_key(|h| h.date);
    let (date, precision) = match latest {
        Some(h) => (Some(h.date), Some(h.precision)),
        None => (None, None),
    };
    let kind = if dates.len() >= 2 {
        // Two years of one span ("2008 - 2011" is caught above) or several milestones.
        DueKind::Multiple
    } else if let Some(h) = latest {
        if ongoing {
            DueKind::Ongoing
        } else if recurring && !lower.contains("by ") {
            DueKind::Recurring
        } else if matches!(h.precision, DuePrecision::Day | DuePrecision::Month) {
            DueKind::Date
        } else {
            DueKind::Period
        }
    } else if immediate {
        DueKind::Immediate
    } else if ongoing {
        DueKind::Ongoing
    } else if recurring {
        DueKind::Recurring
    } else {
        DueKind::Unspecified
    };
    Due {
        kind,
        date,
        precision,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, kind: DueKind, date: Option<&str>, precision: Option<DuePrecision>) {
        let d = parse(text);
        assert_eq!(d.kind, kind, "{text}");
        assert_eq!(d.date.map(|d| d.to_string()).as_deref(), date, "{text}");
        assert_eq!(d.precision, precision, "{text}");
    }

    #[test]
    fn uk_forms() {
        use DueKind::*;
        use DuePrecision as P;
        check("31.12.14", Date, Some("2014-12-31"), Some(P::Day));
        check("31/03/2012", Date, Some("2012-03-31"), Some(P::Day));
        check("2012-03-31", Date, Some("2012-03-31"), Some(P::Day));
        check("31 October 2008", Date, Some("2008-10-31"), Some(P::Day));
        check("31st Oct 2008", Date, Some("2008-10-31"), Some(P::Day));
        check("Dec 2008", Date, Some("2008-12-31"), Some(P::Month));
        check("Apr-12", Date, Some("2012-04-30"), Some(P::Month));
        check("Feb 2012", Date, Some("2012-02-29"), Some(P::Month));
        check("End 2011", Period, Some("2011-12-31"), Some(P::Year));
        check("March 2009", Date, Some("2009-03-31"), Some(P::Month));
        check(
            "By end August 2008",
            Date,
            Some("2008-08-31"),
            Some(P::Month),
        );
        check("2011", Period, Some("2011-12-31"), Some(P::Year));
        check(
            "To end 2011/12 financial year",
            Period,
            Some("2012-03-31"),
            Some(P::FinancialYear),
        );
        check(
            "2011-12",
            Period,
            Some("2012-03-31"),
            Some(P::FinancialYear),
        );
        check("Q3 2009", Period, Some("2009-09-30"), Some(P::Quarter));
        check("Q4 2009/10", Period, Some("2010-03-31"), Some(P::Quarter));
        check("Autumn 2008", Period, Some("2008-11-30"), Some(P::Season));
        check("Winter 2008", Period, Some("2009-02-28"), Some(P::Season));
        check(
            "Autumn 2008 onwards",
            Ongoing,
            Some("2008-11-30"),
            Some(P::Season),
        );
        check(
            "July 08 - ongoing",
            Ongoing,
            Some("2008-07-31"),
            Some(P::Month),
        );
        check("Ongoing", Ongoing, None, None);
        check("On-going", Ongoing, None, None);
        check("Annually", Recurring, None, None);
        check(
            "Three yearly review, linked to funding streams",
            Recurring,
            None,
            None,
        );
        check("Immediate", Immediate, None, None);
        check("Now", Immediate, None, None);
        check(
            "(i) significant level of involvement by end March 2009 (ii) all carers engaged. March 2011",
            Multiple,
            Some("2011-03-31"),
            Some(P::Month),
        );
        check(
            "To be produced by March 2009 to be launched June 2009",
            Multiple,
            Some("2009-06-30"),
            Some(P::Month),
        );
        check("When funding allows", Unspecified, None, None);
        check("2008-2011", Period, Some("2011-12-31"), Some(P::Year));
        check("40 – 74 yr olds", Unspecified, None, None);
    }
}
