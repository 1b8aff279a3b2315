//! XLSX workbook (rust_xlsxwriter): sheets `Actions` (one row per action: frozen header,
//! autofilter, wrapped text, widths, gap cells highlighted, `due_date` as a real Excel date),
//! `Gaps`, `Summary` (completeness per section and gap counts per rule, with a chart) and
//! `Sources` (one row per input, including inputs that failed, with their error).

use std::collections::{BTreeMap, HashMap};

use rust_xlsxwriter::{
    Chart, ChartType, Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use crate::report::{Action, Gap, Report, Severity};
use crate::write::shared::{completeness_by_section, rule_doc, rule_field, severity_counts};
use crate::write::InputError;

/// Longest text Excel keeps in one cell.
const MAX_CELL: usize = 32_767;

struct Formats {
    header: Format,
    wrap: Format,
    date: Format,
    pct: Format,
    gap_wrap: [Format; 3],
    gap_date: [Format; 3],
}

fn fill(sev: Severity) -> Color {
    match sev {
        Severity::Error => Color::RGB(0xFDE4E1),
        Severity::Warning => Color::RGB(0xFFF1C9),
        Severity::Info => Color::RGB(0xE6F0FB),
    }
}

fn sev_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

impl Formats {
    fn new() -> Formats {
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let date = Format::new()
            .set_num_format("yyyy-mm-dd")
            .set_align(FormatAlign::Top);
        let sevs = [Severity::Error, Severity::Warning, Severity::Info];
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xE9EDF2))
                .set_border_bottom(FormatBorder::Thin),
            gap_wrap: sevs.map(|s| wrap.clone().set_background_color(fill(s))),
            gap_date: sevs.map(|s| date.clone().set_background_color(fill(s))),
            pct: Format::new().set_num_format("0%"),
            wrap,
            date,
        }
    }
}

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.len() <= MAX_CELL {
        return s.to_string();
    }
    let mut end = MAX_CELL - 3;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn put(ws: &mut Worksheet, row: u32, col: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
    if text.trim().is_empty() {
        ws.write_blank(row, col, f)?;
    } else {
        ws.write_string_with_format(row, col, clip(text), f)?;
    }
    Ok(())
}

fn headers(ws: &mut Worksheet, cols: &[(&str, f64)], f: &Formats) -> Result<(), XlsxError> {
    for (i, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *name, &f.header)?;
        ws.set_column_width(i as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws)?;
    Ok(())
}

/// Lines a wrapped text needs in a column `width` characters wide (Excel's width unit is about
/// one digit of the default font; prose averages a little wider).
fn lines_needed(text: &str, width: f64) -> usize {
    let per_line = (width * 1.05).max(1.0);
    text.trim()
        .split('\n')
        .map(|l| ((l.chars().count() as f64) / per_line).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// Give a row the height its wrapped cells need, so that no program (LibreOffice draws text
/// over the rows below when the height is left to it) lets text spill out of its cell.
fn fit_row(ws: &mut Worksheet, row: u32, cells: &[(f64, &str)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(w, t)| lines_needed(t, *w))
        .max()
        .unwrap_or(1);
    if lines > 1 {
        ws.set_row_height(row, (15.0 * lines as f64).min(409.0))?;
    }
    Ok(())
}

/// Print setup: A4 landscape, every column on one page width, the header row repeated on each
/// page, and the sheet name and page number in the footer.
fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.4, 0.4, 0.5, 0.5, 0.2, 0.2)
        .set_footer("&L&A&RPage &P of &N");
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Write a reference as printed: a whole number ("12") as a number, so that sorting and
/// filtering work; codes ("2.4", "3a") as text, since 2.10 is not 2.1.
fn put_ref(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    let t = text.trim();
    match t.parse::<u32>() {
        Ok(n) if !t.starts_with('0') || t == "0" => {
            ws.write_number_with_format(row, col, n as f64, f)?;
        }
        _ => put(ws, row, col, t, f)?,
    }
    Ok(())
}

/// Render reports (and failed inputs) as an XLSX workbook.
pub fn xlsx(reports: &[Report], failures: &[InputError]) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    // The two long sheets stream their rows to a temporary file (rows are written in order):
    // a 100k-action workbook stays within a few hundred MB.
    actions_sheet(wb.add_worksheet_with_constant_memory(), reports, &f)?;
    gaps_sheet(wb.add_worksheet_with_constant_memory(), reports, &f)?;
    summary_sheet(wb.add_worksheet(), reports, &f)?;
    sources_sheet(wb.add_worksheet(), reports, failures, &f)?;
    wb.save_to_buffer()
}

const ACTION_COLS: &[(&str, f64)] = &[
    ("Document", 24.0),
    ("ID", 9.0),
    ("Plan", 6.0),
    ("Row", 6.0),
    ("Section", 24.0),
    ("Ref", 7.0),
    ("Objective", 28.0),
    ("Action", 60.0),
    ("Lead", 24.0),
    ("Parties", 24.0),
    ("Due", 16.0),
    ("Due kind", 11.0),
    ("Due date", 12.0),
    ("Precision", 11.0),
    ("Evidence", 36.0),
    ("Cross-ref", 14.0),
    ("Status", 10.0),
    ("Gaps", 22.0),
    ("Source", 18.0),
    ("Other columns", 30.0),
];

fn enum_name<T: serde::Serialize>(v: &Option<T>) -> String {
    v.as_ref()
        .and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn actions_sheet(ws: &mut Worksheet, reports: &[Report], f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Actions")?;
    headers(ws, ACTION_COLS, f)?;
    let mut row = 1u32;
    for r in reports {
        // Gaps by action, once per report (a scan per action was quadratic: minutes for 100k).
        let mut by_action: HashMap<&str, Vec<&Gap>> = HashMap::new();
        for g in &r.gaps {
            if let Some(id) = g.action_id.as_deref() {
                by_action.entry(id).or_default().push(g);
            }
        }
        for a in &r.actions {
            let gaps = by_action.get(a.id.as_str()).map_or(&[][..], Vec::as_slice);
            action_row(ws, row, r, a, gaps, f)?;
            row += 1;
        }
    }
    ws.autofilter(0, 0, row.saturating_sub(1), ACTION_COLS.len() as u16 - 1)?;
    Ok(())
}

fn action_row(
    ws: &mut Worksheet,
    row: u32,
    r: &Report,
    a: &Action,
    gaps: &[&Gap],
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut worst: BTreeMap<&str, Severity> = BTreeMap::new();
    for g in gaps {
        let field = rule_field(&g.rule).unwrap_or("id");
        let e = worst.entry(field).or_insert(g.severity);
        *e = (*e).max(g.severity);
    }
    let fmt = |field: &str| -> &Format {
        match worst.get(field) {
            Some(&s) => &f.gap_wrap[sev_index(s)],
            None => &f.wrap,
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    put(ws, row, 0, &r.source.path, &f.wrap)?;
    put(ws, row, 1, &a.id, fmt("id"))?;
    ws.write_number_with_format(row, 2, a.table as f64, &f.wrap)?;
    ws.write_number_with_format(row, 3, a.row as f64, &f.wrap)?;
    put(ws, row, 4, &opt(&a.section), &f.wrap)?;
    put_ref(ws, row, 5, &opt(&a.reference), &f.wrap)?;
    put(ws, row, 6, &opt(&a.objective), &f.wrap)?;
    put(ws, row, 7, &opt(&a.action), fmt("action"))?;
    put(ws, row, 8, &opt(&a.lead), fmt("lead"))?;
    put(ws, row, 9, &a.leads.join("; "), &f.wrap)?;
    put(ws, row, 10, &opt(&a.due), fmt("due"))?;
    put(ws, row, 11, &enum_name(&a.due_kind), &f.wrap)?;
    let date_fmt = match worst.get("due") {
        Some(&s) => &f.gap_date[sev_index(s)],
        None => &f.date,
    };
    match a.due_date.as_deref().and_then(excel_date) {
        Some(d) => {
            ws.write_datetime_with_format(row, 12, &d, date_fmt)?;
        }
        None => {
            ws.write_blank(row, 12, date_fmt)?;
        }
    }
    put(ws, row, 13, &enum_name(&a.due_precision), &f.wrap)?;
    put(ws, row, 14, &opt(&a.evidence), fmt("evidence"))?;
    put(ws, row, 15, &opt(&a.xref), &f.wrap)?;
    put(ws, row, 16, &opt(&a.status), &f.wrap)?;
    put(ws, row, 17, &a.gaps.join(", "), &f.wrap)?;
    put(ws, row, 18, &a.source.describe(), &f.wrap)?;
    let extra: Vec<String> = a.extra.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let extra = extra.join("\n");
    put(ws, row, 19, &extra, &f.wrap)?;
    let width = |name: &str| {
        ACTION_COLS
            .iter()
            .find(|c| c.0 == name)
            .map_or(10.0, |c| c.1)
    };
    let leads = a.leads.join("; ");
    fit_row(
        ws,
        row,
        &[
            (width("Document"), &r.source.path),
            (width("Section"), a.section.as_deref().unwrap_or("")),
            (width("Objective"), a.objective.as_deref().unwrap_or("")),
            (width("Action"), a.action.as_deref().unwrap_or("")),
            (width("Lead"), a.lead.as_deref().unwrap_or("")),
            (width("Parties"), &leads),
            (width("Due"), a.due.as_deref().unwrap_or("")),
            (width("Evidence"), a.evidence.as_deref().unwrap_or("")),
            (width("Cross-ref"), a.xref.as_deref().unwrap_or("")),
            (width("Other columns"), &extra),
        ],
    )?;
    Ok(())
}

/// An ISO date (`YYYY-MM-DD`) as an Excel date.
fn excel_date(s: &str) -> Option<ExcelDateTime> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        d.month() as u8,
        d.day() as u8,
    )
    .ok()
}

const GAP_COLS: &[(&str, f64)] = &[
    ("Document", 24.0),
    ("Rule", 18.0),
    ("Severity", 9.0),
    ("Action ID", 9.0),
    ("Plan", 6.0),
    ("Action", 50.0),
    ("Message", 60.0),
    ("Where", 20.0),
    ("Page", 6.0),
    ("Line", 7.0),
    ("Sheet", 14.0),
    ("Cell", 7.0),
];

fn gaps_sheet(ws: &mut Worksheet, reports: &[Report], f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Gaps")?;
    headers(ws, GAP_COLS, f)?;
    let mut row = 1u32;
    for r in reports {
        let actions: HashMap<&str, &Action> =
            r.actions.iter().map(|a| (a.id.as_str(), a)).collect();
        for g in &r.gaps {
            let action = g
                .action_id
                .as_deref()
                .and_then(|id| actions.get(id).copied());
            gap_row(ws, row, r, g, action, f)?;
            row += 1;
        }
    }
    ws.autofilter(0, 0, row.saturating_sub(1), GAP_COLS.len() as u16 - 1)?;
    Ok(())
}

fn gap_row(
    ws: &mut Worksheet,
    row: u32,
    r: &Report,
    g: &Gap,
    action: Option<&Action>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let action = action.and_then(|a| a.action.clone()).unwrap_or_default();
    put(ws, row, 0, &r.source.path, &f.wrap)?;
    put(ws, row, 1, &g.rule, &f.wrap)?;
    put(
        ws,
        row,
        2,
        g.severity.name(),
        &f.gap_wrap[sev_index(g.severity)],
    )?;
    put(ws, row, 3, g.action_id.as_deref().unwrap_or(""), &f.wrap)?;
    if let Some(t) = g.table {
        ws.write_number_with_format(row, 4, t as f64, &f.wrap)?;
    }
    put(ws, row, 5, &action, &f.wrap)?;
    put(ws, row, 6, &g.message, &f.wrap)?;
    put(ws, row, 7, &g.source.describe(), &f.wrap)?;
    if let Some(p) = g.source.page {
        ws.write_number(row, 8, p as f64)?;
    }
    if let Some(l) = g.source.line {
        ws.write_number(row, 9, l as f64)?;
    }
    put(
        ws,
        row,
        10,
        g.source.sheet.as_deref().unwrap_or(""),
        &f.wrap,
    )?;
    put(ws, row, 11, g.source.cell.as_deref().unwrap_or(""), &f.wrap)?;
    fit_row(
        ws,
        row,
        &[
            (GAP_COLS[0].1, &r.source.path),
            (GAP_COLS[5].1, &action),
            (GAP_COLS[6].1, &g.message),
        ],
    )?;
    Ok(())
}

/// First column of the Summary charts, right of the tables.
const CHART_COL: u16 = 10;
/// Width of each Summary chart, in pixels.
const CHART_WIDTH: u32 = 720;

/// Rows of default height (20 pixels) a chart of `height` pixels spans.
fn chart_rows_spanned(height: u32) -> u32 {
    height.div_ceil(20)
}

fn summary_sheet(ws: &mut Worksheet, reports: &[Report], f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    let cols: &[(&str, f64)] = &[
        ("Document", 24.0),
        ("Section", 36.0),
        ("Actions", 9.0),
        ("Named lead", 11.0),
        ("Dated deadline", 11.0),
        ("Evidence", 11.0),
        ("Named lead %", 11.0),
        ("Dated deadline %", 11.0),
        ("Evidence %", 11.0),
    ];
    headers(ws, cols, f)?;
    let mut row = 1u32;
    for r in reports {
        // The whole document first (the figure the text summary and the HTML report print),
        // then each section.
        let whole = std::iter::once(("(whole document)".to_string(), r.completeness()));
        for (section, c) in whole.chain(completeness_by_section(r)) {
            put(ws, row, 0, &r.source.path, &f.wrap)?;
            put(ws, row, 1, &section, &f.wrap)?;
            fit_row(
                ws,
                row,
                &[(cols[0].1, &r.source.path), (cols[1].1, &section)],
            )?;
            for (i, n) in [c.actions, c.named_lead, c.dated_due, c.evidence]
                .into_iter()
                .enumerate()
            {
                ws.write_number(row, 2 + i as u16, n as f64)?;
            }
            for (i, n) in [c.named_lead, c.dated_due, c.evidence]
                .into_iter()
                .enumerate()
            {
                ws.write_number_with_format(row, 6 + i as u16, c.pct(n) / 100.0, &f.pct)?;
            }
            row += 1;
        }
    }
    let last_section_row = row - 1;
    let mut next_free_row = 0u32;
    if last_section_row >= 1 {
        let chart_rows = last_section_row.min(40);
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("Completeness by section");
        for (i, name) in ["Named lead", "Dated deadline", "Evidence"]
            .iter()
            .enumerate()
        {
            chart
                .add_series()
                .set_name(*name)
                .set_categories(("Summary", 1, 1, chart_rows, 1))
                .set_values(("Summary", 1, 6 + i as u16, chart_rows, 6 + i as u16));
        }
        chart.x_axis().set_num_format("0%");
        let height = 320 + 18 * chart_rows;
        chart.set_width(CHART_WIDTH).set_height(height);
        ws.insert_chart(1, CHART_COL, &chart)?;
        next_free_row = 1 + chart_rows_spanned(height) + 2;
    }

    // Gaps per rule.
    row += 2;
    let rule_header = row;
    for (i, name) in ["Rule", "Description", "Errors", "Warnings", "Info", "Total"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, i as u16, *name, &f.header)?;
    }
    row += 1;
    let mut by_rule: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for g in reports.iter().flat_map(|r| &r.gaps) {
        by_rule.entry(&g.rule).or_default()[sev_index(g.severity)] += 1;
    }
    for (rule, counts) in &by_rule {
        put(ws, row, 0, rule, &f.wrap)?;
        put(ws, row, 1, rule_doc(rule).0, &f.wrap)?;
        fit_row(ws, row, &[(cols[1].1, rule_doc(rule).0)])?;
        for (i, n) in counts.iter().enumerate() {
            ws.write_number(row, 2 + i as u16, *n as f64)?;
        }
        ws.write_number(row, 5, counts.iter().sum::<usize>() as f64)?;
        row += 1;
    }
    if !by_rule.is_empty() {
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("Gaps by rule");
        chart
            .add_series()
            .set_name("Gaps")
            .set_categories(("Summary", rule_header + 1, 0, row - 1, 0))
            .set_values(("Summary", rule_header + 1, 5, row - 1, 5));
        chart.set_width(CHART_WIDTH).set_height(360);
        // Below the first chart, two rows clear of the rows it spans. Charts move and size
        // with their cells, so if a program grows the rows (wrapped text), both charts grow
        // with them and still do not overlap.
        ws.insert_chart(rule_header.max(next_free_row), CHART_COL, &chart)?;
    }
    Ok(())
}

fn sources_sheet(
    ws: &mut Worksheet,
    reports: &[Report],
    failures: &[InputError],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Sources")?;
    let cols: &[(&str, f64)] = &[
        ("Path", 36.0),
        ("Status", 8.0),
        ("Error", 40.0),
        ("Format", 9.0),
        ("Title", 36.0),
        ("Pages", 7.0),
        ("Plans", 7.0),
        ("Actions", 8.0),
        ("Gaps", 7.0),
        ("Errors", 7.0),
        ("Warnings", 9.0),
        ("SHA-256", 66.0),
    ];
    headers(ws, cols, f)?;
    // One row per input, sorted by path (reports and failures interleaved).
    enum Item<'a> {
        Ok(&'a Report),
        Failed(&'a InputError),
    }
    let mut items: Vec<(&str, Item)> = reports
        .iter()
        .map(|r| (r.source.path.as_str(), Item::Ok(r)))
        .chain(failures.iter().map(|x| (x.path.as_str(), Item::Failed(x))))
        .collect();
    items.sort_by(|a, b| a.0.cmp(b.0));
    for (i, (path, item)) in items.iter().enumerate() {
        let row = i as u32 + 1;
        put(ws, row, 0, path, &f.wrap)?;
        let text = match item {
            Item::Ok(r) => r.title.clone().unwrap_or_default(),
            Item::Failed(x) => x.error.clone(),
        };
        fit_row(
            ws,
            row,
            &[(cols[0].1, path), (cols[2].1, &text), (cols[4].1, &text)],
        )?;
        match item {
            Item::Ok(r) => {
                let (e, w, _) = severity_counts(r);
                let status_fmt = if r.actions.is_empty() {
                    &f.gap_wrap[0]
                } else {
                    &f.wrap
                };
                put(ws, row, 1, r.status(), status_fmt)?;
                put(ws, row, 3, &r.source.format, &f.wrap)?;
                put(ws, row, 4, r.title.as_deref().unwrap_or(""), &f.wrap)?;
                if let Some(p) = r.source.pages {
                    ws.write_number(row, 5, p as f64)?;
                }
                for (c, n) in [r.tables.len(), r.actions.len(), r.gaps.len(), e, w]
                    .into_iter()
                    .enumerate()
                {
                    ws.write_number(row, 6 + c as u16, n as f64)?;
                }
                put(ws, row, 11, &r.source.sha256, &f.wrap)?;
            }
            Item::Failed(x) => {
                put(ws, row, 1, "failed", &f.gap_wrap[0])?;
                put(ws, row, 2, &x.error, &f.gap_wrap[0])?;
            }
        }
    }
    ws.autofilter(0, 0, items.len() as u32, cols.len() as u16 - 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::shared::sample;

    #[test]
    fn workbook_builds() {
        let r = sample::report("a.txt");
        let bytes = xlsx(
            &[r],
            &[InputError {
                path: "0.pdf".into(),
                error: "bad".into(),
            }],
        )
        .unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let empty = xlsx(&[], &[]).unwrap();
        assert_eq!(&empty[..2], b"PK");
    }

    #[test]
    fn read_back_with_calamine() {
        use calamine::{Data, Reader, Xlsx};
        let r = sample::report("a.txt");
        let bytes = xlsx(
            std::slice::from_ref(&r),
            &[InputError {
                path: "0.pdf".into(),
                error: "no text layer".into(),
            }],
        )
        .unwrap();
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            wb.sheet_names(),
            vec!["Actions", "Gaps", "Summary", "Sources"]
        );
        let actions = wb.worksheet_range("Actions").unwrap();
        assert_eq!(actions.height(), 1 + r.actions.len());
        assert_eq!(actions.get((0, 12)), Some(&Data::String("Due date".into())));
        match actions.get((1, 12)) {
            Some(Data::DateTime(d)) => {
                let want = chrono::NaiveDate::from_ymd_opt(2008, 10, 31).unwrap()
                    - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                assert_eq!(d.as_f64(), want.num_days() as f64);
            }
            other => panic!("due date is not an Excel date: {other:?}"),
        }
        // Hostile text is kept as text, not a formula.
        assert!(
            matches!(actions.get((1, 7)), Some(Data::String(s)) if s.starts_with("Publish a <b>"))
        );
        let gaps = wb.worksheet_range("Gaps").unwrap();
        assert_eq!(gaps.height(), 1 + r.gaps.len());
        let sources = wb.worksheet_range("Sources").unwrap();
        assert_eq!(sources.get((1, 0)), Some(&Data::String("0.pdf".into())));
        assert_eq!(sources.get((1, 1)), Some(&Data::String("failed".into())));
        assert_eq!(
            sources.get((1, 2)),
            Some(&Data::String("no text layer".into()))
        );
        assert_eq!(sources.get((2, 1)), Some(&Data::String("ok".into())));
    }
}
