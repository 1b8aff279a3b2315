//! HTML report: one self-contained file (inline CSS, JS and SVG; no network fetches).
//!
//! For each document: title and source, a summary, a completeness bar chart per section (SVG),
//! the plans found, the gap list grouped by rule with links to the rows, and the actions table
//! (sticky header, gap cells highlighted, provenance on each row). JavaScript adds a text filter
//! and sortable columns; without it everything is still readable. Several documents get an
//! overview table and a comparison chart first. All document text is HTML-escaped.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::report::{Action, Gap, Report, Severity};
use crate::write::shared::{
    completeness, completeness_by_section, rule_doc, rule_field, section_name, severity_counts,
    Completeness,
};
use crate::write::InputError;

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// Escape multi-line text, keeping line breaks.
fn esc_lines(s: &str) -> String {
    esc(s.trim()).replace('\n', "<br>")
}

const CSS: &str = r#"
:root{--fg:#1b1b1b;--muted:#4a4a4a;--bg:#fff;--line:#c8ccd2;--head:#e9edf2;--link:#0b4fb3;
--err:#fde4e1;--errb:#a4161a;--warn:#fff1c9;--warnb:#7a4d00;--info:#e6f0fb;--infob:#1d4f91}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1500px;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0 .3rem}h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}h3{font-size:1.08rem;margin:1.4rem 0 .4rem}
a{color:var(--link)}
.meta,.muted{color:var(--muted)}
dl.source{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.4rem 0}dl.source dt{font-weight:600}dl.source dd{margin:0;overflow-wrap:anywhere}
ul.cards{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.6rem;margin:.5rem 0}
ul.cards li{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem;min-width:9rem}
ul.cards .n{display:block;font-size:1.4rem;font-weight:700}
table{border-collapse:collapse;width:100%;margin:.4rem 0}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid var(--line);padding:.3rem .45rem;vertical-align:top;text-align:left}
thead th{position:sticky;top:0;background:var(--head);z-index:2}
th button{font:inherit;font-weight:700;background:none;border:0;padding:0;color:inherit;cursor:pointer;text-align:left}
th[aria-sort=ascending] button::after{content:" \25B2"}th[aria-sort=descending] button::after{content:" \25BC"}
td.num,th.num{text-align:right}
table.actions td{min-width:5rem}table.actions td.action{min-width:18rem}
td.gap-error{background:var(--err);box-shadow:inset 4px 0 var(--errb)}
td.gap-warning{background:var(--warn);box-shadow:inset 4px 0 var(--warnb)}
td.gap-info{background:var(--info);box-shadow:inset 4px 0 var(--infob)}
.missing{color:var(--errb);font-style:italic}
.rule{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;white-space:nowrap}
.sev-error{color:var(--errb);font-weight:600}.sev-warning{color:var(--warnb);font-weight:600}.sev-info{color:var(--infob)}
.src{color:var(--muted);font-size:.85em;white-space:nowrap}
tr:target,tr.flash{outline:3px solid var(--link);outline-offset:-3px}
details{margin:.3rem 0}summary{cursor:pointer}
.controls{display:flex;gap:1rem;align-items:center;margin:.5rem 0}
.controls input{font:inherit;padding:.25rem .4rem;min-width:18rem}
figure{margin:.5rem 0}svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}
.failed td{background:var(--err)}
p.nothing{background:var(--err);border-left:4px solid var(--errb);padding:.5rem .8rem}
td.nothing{background:var(--err);color:var(--errb);font-weight:600}
td.extra{font-size:.9em}
@page{size:A4 landscape;margin:10mm}
@media print{
 body{max-width:none;padding:0;font-size:8pt;line-height:1.3}
 .controls,nav{display:none!important}
 table{width:100%;max-width:100%}
 thead{display:table-header-group}thead th{position:static;background:var(--head)}
 th,td{padding:.12rem .22rem;overflow-wrap:break-word;hyphens:auto}
 th button{display:contents}
 table.actions{table-layout:fixed}table.actions col{width:var(--w)}
 table.actions td,table.actions td.action{min-width:0}
 table.actions td:first-child{white-space:nowrap}
 .src,.rule{white-space:normal}
 caption{break-after:avoid}
 tr{break-inside:avoid}
 a{color:inherit;text-decoration:none}
 svg.chart{max-height:60vh}
 td.gap-error,td.gap-warning,td.gap-info,td.nothing,p.nothing,thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h2,h3{break-after:avoid}
}
"#;

const JS: &str = r##"
(function(){
  function key(cell){
    var v = cell.getAttribute('data-sort'); if (v === null) v = cell.textContent.trim();
    return v;
  }
  function cmp(a, b){
    var na = parseFloat(a), nb = parseFloat(b);
    if (!isNaN(na) && !isNaN(nb) && /^-?[\d.]+$/.test(a) && /^-?[\d.]+$/.test(b)) return na - nb;
    if (a === '' && b !== '') return 1; if (b === '' && a !== '') return -1;
    return a.localeCompare(b, undefined, {numeric: true, sensitivity: 'base'});
  }
  document.querySelectorAll('table.sortable').forEach(function(table){
    var ths = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths, function(th, col){
      var b = document.createElement('button'); b.type = 'button';
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener('click', function(){
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(ths, function(t){ t.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir);
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function(r1, r2){ var c = cmp(key(r1.cells[col]), key(r2.cells[col])); return dir === 'ascending' ? c : -c; });
        rows.forEach(function(r){ body.appendChild(r); });
      });
    });
  });
  document.querySelectorAll('.controls').forEach(function(ctl){
    ctl.hidden = false;
    var table = document.getElementById(ctl.getAttribute('data-table'));
    var input = ctl.querySelector('input'), out = ctl.querySelector('output');
    function apply(){
      var q = input.value.trim().toLowerCase(), shown = 0, rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++){
        var hit = !q || rows[i].textContent.toLowerCase().indexOf(q) >= 0;
        rows[i].hidden = !hit; if (hit) shown++;
      }
      out.textContent = shown + ' of ' + rows.length + ' actions shown';
    }
    input.addEventListener('input', apply); apply();
  });
  document.addEventListener('click', function(e){
    var a = e.target.closest && e.target.closest('a[href^="#"]'); if (!a) return;
    var t = document.getElementById(a.getAttribute('href').slice(1));
    if (t && t.hidden){ var ctl = document.querySelector('.controls[data-table="' + t.closest('table').id + '"]');
      if (ctl){ var i = ctl.querySelector('input'); i.value = ''; i.dispatchEvent(new Event('input')); } }
  });
})();
"##;

/// Render reports (and failed inputs) as one self-contained HTML page.
pub fn html(reports: &[Report], failures: &[InputError]) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let page_title = if reports.len() == 1 && failures.is_empty() {
        let r = &reports[0];
        r.title.clone().unwrap_or_else(|| r.source.path.clone())
    } else {
        format!("{} documents", reports.len() + failures.len())
    };
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"carers-extract {}\">\n<title>{} – action plan report</title>\n<style>{}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&page_title),
        CSS
    );
    let _ = write!(
        o,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Action plan report by carers-extract {}: actions, leads, deadlines and evidence found in the document{}, with the gaps in them.</p>\n</header>\n",
        esc(&page_title),
        env!("CARGO_PKG_VERSION"),
        if reports.len() + failures.len() > 1 { "s" } else { "" }
    );
    // The overview lists failed inputs too, so it is shown whenever there is more than one
    // input or nothing could be read.
    let multi = reports.len() + failures.len() > 1 || reports.is_empty();
    o.push_str("<main>\n");
    if multi {
        overview(&mut o, reports, failures);
    }
    for (i, r) in reports.iter().enumerate() {
        document(&mut o, r, i + 1, multi);
    }
    o.push_str("</main>\n<script>");
    o.push_str(JS);
    o.push_str("</script>\n</body>\n</html>\n");
    o
}

fn pct(c: &Completeness, n: usize) -> String {
    c.percent(n)
}

fn overview(o: &mut String, reports: &[Report], failures: &[InputError]) {
    o.push_str("<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Documents</h2>\n");
    o.push_str("<table class=\"docs sortable\" id=\"docs\">\n<caption>One row per input document</caption>\n<thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Title</th><th scope=\"col\">Format</th><th scope=\"col\" class=\"num\">Plans</th><th scope=\"col\" class=\"num\">Actions</th><th scope=\"col\" class=\"num\">Named lead</th><th scope=\"col\" class=\"num\">Dated deadline</th><th scope=\"col\" class=\"num\">Evidence</th><th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num\">Warnings</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
    for (i, r) in reports.iter().enumerate() {
        let c = completeness(r);
        let (e, w, _) = severity_counts(r);
        let _ = writeln!(
            o,
            "<tr><td><a href=\"#d{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-sort=\"{:.1}\">{}</td><td class=\"num\" data-sort=\"{:.1}\">{}</td><td class=\"num\" data-sort=\"{:.1}\">{}</td><td class=\"num\">{e}</td><td class=\"num\">{w}</td><td{}>{}</td></tr>",
            i + 1,
            esc(&r.source.path),
            esc(r.title.as_deref().unwrap_or("")),
            esc(&r.source.format),
            r.tables.len(),
            c.actions,
            c.pct(c.named_lead),
            pct(&c, c.named_lead),
            c.pct(c.dated_due),
            pct(&c, c.dated_due),
            c.pct(c.evidence),
            pct(&c, c.evidence),
            if r.actions.is_empty() {
                " class=\"nothing\""
            } else {
                ""
            },
            r.status(),
        );
    }
    for f in failures {
        let _ = writeln!(
            o,
            "<tr class=\"failed\"><td>{}</td><td></td><td></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td>failed: {}</td></tr>",
            esc(&f.path),
            esc(&f.error)
        );
    }
    o.push_str("</tbody>\n</table>\n");
    let groups: Vec<(String, Completeness)> = reports
        .iter()
        .map(|r| {
            (
                r.title.clone().unwrap_or_else(|| r.source.path.clone()),
                completeness(r),
            )
        })
        .collect();
    if !groups.is_empty() {
        o.push_str("<h3>Comparison</h3>\n<figure>\n");
        o.push_str(&bar_chart("cmp", "Completeness by document", &groups));
        o.push_str("<figcaption class=\"muted\">Share of each document's actions with a named lead, a dated deadline and evidence.</figcaption>\n</figure>\n");
    }
    o.push_str("</section>\n");
}

/// A horizontal bar chart: for each group, three bars (named lead, dated deadline, evidence).
fn bar_chart(id: &str, title: &str, groups: &[(String, Completeness)]) -> String {
    const W: f64 = 820.0;
    const LABEL_W: f64 = 120.0;
    const BAR_MAX: f64 = 560.0; // leaves room for the "100% (10/10)" labels
    const BAR_H: f64 = 14.0;
    const GROUP_H: f64 = 20.0 + 3.0 * (BAR_H + 4.0) + 12.0;
    let h = 8.0 + GROUP_H * groups.len() as f64;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"chart-{id}\" role=\"img\" aria-labelledby=\"chart-{id}-t chart-{id}-d\" viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\" style=\"max-width:100%;height:auto\">"
    );
    let desc: Vec<String> = groups
        .iter()
        .map(|(name, c)| {
            format!(
                "{}: {} actions, named lead {}, dated deadline {}, evidence {}",
                name,
                c.actions,
                pct(c, c.named_lead),
                pct(c, c.dated_due),
                pct(c, c.evidence)
            )
        })
        .collect();
    let _ = writeln!(s, "<title id=\"chart-{id}-t\">{}</title>", esc(title));
    let _ = writeln!(
        s,
        "<desc id=\"chart-{id}-d\">{}</desc>",
        esc(&desc.join("; "))
    );
    let metrics: [(&str, &str); 3] = [
        ("Named lead", "#2457a6"),
        ("Dated deadline", "#2f7d4f"),
        ("Evidence", "#9a5b00"),
    ];
    for (gi, (name, c)) in groups.iter().enumerate() {
        let y0 = 8.0 + gi as f64 * GROUP_H;
        let short: String = if name.chars().count() > 110 {
            name.chars().take(108).collect::<String>() + "…"
        } else {
            name.clone()
        };
        let _ = writeln!(
            s,
            "<g class=\"group\"><text x=\"0\" y=\"{:.1}\" font-weight=\"600\">{}<title>{}</title></text><text x=\"{W}\" y=\"{:.1}\" text-anchor=\"end\">{} action{}</text>",
            y0 + 13.0,
            esc(&short),
            esc(name),
            y0 + 13.0,
            c.actions,
            if c.actions == 1 { "" } else { "s" }
        );
        for (mi, (label, colour)) in metrics.iter().enumerate() {
            let n = [c.named_lead, c.dated_due, c.evidence][mi];
            let p = c.pct(n);
            let y = y0 + 20.0 + mi as f64 * (BAR_H + 4.0);
            let w = BAR_MAX * p / 100.0;
            let _ = writeln!(
                s,
                "<text x=\"0\" y=\"{:.1}\">{label}</text><rect x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{BAR_MAX}\" height=\"{BAR_H}\" fill=\"#eceff3\"/><rect class=\"bar\" x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BAR_H}\" fill=\"{colour}\" data-metric=\"{label}\" data-pct=\"{p:.0}\"/><text x=\"{:.1}\" y=\"{:.1}\">{} ({n}/{})</text>",
                y + 11.0,
                LABEL_W + BAR_MAX + 6.0,
                y + 11.0,
                pct(c, n),
                c.actions
            );
        }
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

fn document(o: &mut String, r: &Report, i: usize, multi: bool) {
    let d = format!("d{i}");
    let heading = r.title.clone().unwrap_or_else(|| r.source.path.clone());
    let _ = writeln!(
        o,
        "<section class=\"doc\" id=\"{d}\" aria-labelledby=\"{d}-h\">"
    );
    if multi {
        let _ = writeln!(o, "<h2 id=\"{d}-h\">{}</h2>", esc(&heading));
    } else {
        let _ = writeln!(o, "<h2 id=\"{d}-h\">Source document</h2>");
    }
    let _ = writeln!(
        o,
        "<dl class=\"source\"><dt>File</dt><dd>{}</dd><dt>Format</dt><dd>{}</dd>{}<dt>SHA-256</dt><dd><code>{}</code></dd></dl>",
        esc(&r.source.path),
        esc(&r.source.format),
        r.source
            .pages
            .map(|p| format!("<dt>Pages</dt><dd>{p}</dd>"))
            .unwrap_or_default(),
        esc(&r.source.sha256)
    );

    if r.actions.is_empty() {
        let why: Vec<String> = r.document_gaps().map(|g| esc(&g.message)).collect();
        let _ = writeln!(
            o,
            "<p class=\"nothing\" role=\"alert\"><strong>No action plan was found in this document.</strong> {}</p>",
            why.join(" ")
        );
    }

    // Summary.
    let c = completeness(r);
    let (e, w, inf) = severity_counts(r);
    let _ = writeln!(
        o,
        "<h3 id=\"{d}-summary\">Summary</h3>\n<ul class=\"cards\" aria-label=\"Summary\">"
    );
    let _ = writeln!(
        o,
        "<li><span class=\"n\" data-k=\"actions\">{}</span> actions</li>",
        c.actions
    );
    let _ = writeln!(
        o,
        "<li><span class=\"n\" data-k=\"tables\">{}</span> action plan{}</li>",
        r.tables.len(),
        if r.tables.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        o,
        "<li><span class=\"n\" data-k=\"named-lead\">{}</span> with a named lead ({}/{})</li>",
        pct(&c, c.named_lead),
        c.named_lead,
        c.actions
    );
    let _ = writeln!(
        o,
        "<li><span class=\"n\" data-k=\"dated-due\">{}</span> with a dated deadline ({}/{})</li>",
        pct(&c, c.dated_due),
        c.dated_due,
        c.actions
    );
    let _ = writeln!(
        o,
        "<li><span class=\"n\" data-k=\"evidence\">{}</span> with evidence ({}/{})</li>",
        pct(&c, c.evidence),
        c.evidence,
        c.actions
    );
    let _ = writeln!(o, "<li><span class=\"n\" data-k=\"gaps\">{}</span> gaps: <span class=\"sev-error\">{e} error{}</span>, <span class=\"sev-warning\">{w} warning{}</span>, <span class=\"sev-info\">{inf} info</span></li>", r.gaps.len(), if e == 1 { "" } else { "s" }, if w == 1 { "" } else { "s" });
    o.push_str("</ul>\n");

    // Chart per section.
    let sections = completeness_by_section(r);
    if !sections.is_empty() {
        let _ = writeln!(
            o,
            "<h3 id=\"{d}-chart\">Completeness by section</h3>\n<figure>"
        );
        o.push_str(&bar_chart(&d, "Completeness by section", &sections));
        o.push_str("<figcaption class=\"muted\">Share of each section's actions with a named lead, a dated deadline and evidence.</figcaption>\n</figure>\n");
    }

    // Plans.
    if !r.tables.is_empty() {
        let _ = writeln!(o, "<h3 id=\"{d}-plans\">Action plans found</h3>\n<table class=\"plans\">\n<thead><tr><th scope=\"col\">Plan</th><th scope=\"col\">Kind</th><th scope=\"col\">Section</th><th scope=\"col\">Columns</th><th scope=\"col\">Not mapped (kept as they are)</th><th scope=\"col\" class=\"num\">Actions</th><th scope=\"col\" class=\"num\">Confidence</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>");
        for p in &r.tables {
            let cols: Vec<String> = if p.mappings.is_empty() {
                p.columns
                    .iter()
                    .map(|(f, h)| format!("{} → {}", esc(h), esc(f)))
                    .collect()
            } else {
                p.mappings
                    .iter()
                    .filter_map(|m| {
                        m.field.as_ref().map(|f| {
                            format!(
                                "<span title=\"{}\">{} → {}</span>",
                                esc(&m.reason),
                                esc(&m.header),
                                esc(f)
                            )
                        })
                    })
                    .collect()
            };
            let unmapped: Vec<String> = p
                .mappings
                .iter()
                .filter(|m| m.field.is_none() && !m.header.trim().is_empty())
                .map(|m| {
                    format!(
                        "<span title=\"{}\">{}</span>",
                        esc(&m.reason),
                        esc(&m.header)
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "<tr id=\"{d}-p{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td class=\"src\">{}</td></tr>",
                p.index,
                p.index,
                match p.kind {
                    crate::report::PlanKind::Table => "table",
                    crate::report::PlanKind::Prose => "prose list",
                    crate::report::PlanKind::Records => "records",
                    crate::report::PlanKind::List => "numbered list",
                },
                esc(p.section.as_deref().unwrap_or("")),
                cols.join("; "),
                unmapped.join("; "),
                p.actions,
                p.confidence,
                esc(&p.source.describe())
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }

    // Gaps grouped by rule.
    let _ = writeln!(o, "<h3 id=\"{d}-gaps\">Gaps</h3>");
    if let Some(h) = r.summary.known_gaps_hidden {
        let _ = writeln!(
            o,
            "<p class=\"muted\">{h} known gap{} hidden by the baseline.</p>",
            if h == 1 { "" } else { "s" }
        );
    }
    if r.gaps.is_empty() {
        o.push_str("<p>No gaps found.</p>\n");
    } else {
        let mut by_rule: BTreeMap<&str, Vec<&Gap>> = BTreeMap::new();
        for g in &r.gaps {
            by_rule.entry(g.rule.as_str()).or_default().push(g);
        }
        let mut rules: Vec<(&str, Vec<&Gap>)> = by_rule.into_iter().collect();
        rules.sort_by_key(|(id, gs)| (std::cmp::Reverse(gs.iter().map(|g| g.severity).max()), *id));
        o.push_str("<div class=\"gaps\">\n");
        for (rule, gs) in rules {
            let (short, help) = rule_doc(rule);
            let sev = gs
                .iter()
                .map(|g| g.severity)
                .max()
                .unwrap_or(Severity::Info);
            let _ = writeln!(
                o,
                "<details open class=\"rule-group\" data-rule=\"{}\"><summary><span class=\"rule\">{}</span> <span class=\"sev-{}\">{}</span> – {} ({})</summary>\n<p class=\"muted\">{}</p>\n<ul>",
                esc(rule),
                esc(rule),
                sev.name(),
                sev.name(),
                esc(short),
                gs.len(),
                esc(help)
            );
            for g in gs {
                let target = match (&g.action_id, g.table) {
                    (Some(id), _) => Some(format!("{d}-{id}")),
                    (None, Some(t)) => Some(format!("{d}-p{t}")),
                    _ => None,
                };
                let link = match (&target, &g.action_id) {
                    (Some(t), Some(id)) => format!("<a href=\"#{}\">{}</a>: ", esc(t), esc(id)),
                    (Some(t), None) => format!(
                        "<a href=\"#{}\">plan {}</a>: ",
                        esc(t),
                        g.table.unwrap_or(0)
                    ),
                    _ => String::new(),
                };
                let _ = writeln!(
                    o,
                    "<li>{link}{} <span class=\"src\">({})</span></li>",
                    esc(&g.message),
                    esc(&g.source.describe())
                );
            }
            o.push_str("</ul>\n</details>\n");
        }
        o.push_str("</div>\n");
    }

    // Actions table. Columns that map to no field get one more column, so nothing vanishes.
    let extras = r.actions.iter().any(|a| !a.extra.is_empty());
    let _ = writeln!(o, "<h3 id=\"{d}-actions-h\">Actions</h3>");
    if r.actions.is_empty() {
        o.push_str("<p>No actions found.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        o,
        "<div class=\"controls\" data-table=\"{d}-actions\" hidden><label>Filter actions <input type=\"search\" placeholder=\"text, lead, rule…\" aria-controls=\"{d}-actions\"></label><output aria-live=\"polite\"></output></div>"
    );
    let _ = writeln!(
        o,
        "<table class=\"actions sortable\" id=\"{d}-actions\">\n<caption>Actions of {} (gap cells highlighted; provenance in the last column)</caption>\n{}<thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Section</th><th scope=\"col\">Ref</th><th scope=\"col\">Action</th><th scope=\"col\">Lead</th><th scope=\"col\">Due</th><th scope=\"col\">Due date</th><th scope=\"col\">Evidence</th><th scope=\"col\">Cross-ref</th><th scope=\"col\">Status</th>{}<th scope=\"col\">Gaps</th><th scope=\"col\">Source</th></tr></thead>\n<tbody>",
        esc(&heading),
        colgroup(extras),
        if extras {
            "<th scope=\"col\">Other columns</th>"
        } else {
            ""
        }
    );
    let by_action = crate::write::shared::gaps_by_action(r);
    for a in &r.actions {
        let gaps = by_action.get(a.id.as_str()).cloned().unwrap_or_default();
        action_row(o, a, gaps, &d, extras);
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

/// Column widths of the actions table when printed (`table-layout: fixed` in the print CSS),
/// so that all columns fit the page width and none is squeezed to a letter per line.
fn colgroup(extras: bool) -> String {
    let mut cols: Vec<(&str, f64)> = vec![
        ("id", 5.5),
        ("section", 7.0),
        ("ref", 3.5),
        ("action", 20.0),
        ("lead", 9.0),
        ("due", 8.0),
        ("due-date", 6.5),
        ("evidence", 14.0),
        ("xref", 7.5),
        ("status", 5.0),
    ];
    if extras {
        cols[3].1 = 18.0;
        cols[7].1 = 11.0;
        cols.push(("extra", 9.0));
    }
    cols.push(("gaps", 8.0));
    cols.push(("source", 6.0));
    let total: f64 = cols.iter().map(|c| c.1).sum();
    let mut s = String::from("<colgroup>");
    for (name, w) in cols {
        let _ = write!(
            s,
            "<col class=\"c-{name}\" style=\"--w:{:.1}%\">",
            100.0 * w / total
        );
    }
    s.push_str("</colgroup>\n");
    s
}

fn action_row(o: &mut String, a: &Action, gaps: Vec<&Gap>, d: &str, extras: bool) {
    // Worst gap per field, and row-level gaps.
    let mut field_gaps: BTreeMap<&str, Vec<&Gap>> = BTreeMap::new();
    for g in &gaps {
        field_gaps
            .entry(rule_field(&g.rule).unwrap_or("id"))
            .or_default()
            .push(g);
    }
    let cell = |field: &str, class: &str, content: String, sort: Option<String>| -> String {
        let mut classes: Vec<String> = Vec::new();
        if !class.is_empty() {
            classes.push(class.to_string());
        }
        let mut title = String::new();
        if let Some(gs) = field_gaps.get(field) {
            let worst = gs
                .iter()
                .map(|g| g.severity)
                .max()
                .unwrap_or(Severity::Info);
            classes.push(format!("gap gap-{}", worst.name()));
            title = gs
                .iter()
                .map(|g| format!("{}: {}", g.rule, g.message))
                .collect::<Vec<_>>()
                .join("\n");
        }
        let mut s = String::from("<td");
        if !classes.is_empty() {
            let _ = write!(s, " class=\"{}\"", classes.join(" "));
        }
        if !title.is_empty() {
            let _ = write!(s, " title=\"{}\"", esc(&title));
        }
        if let Some(k) = sort {
            let _ = write!(s, " data-sort=\"{}\"", esc(&k));
        }
        s.push('>');
        s.push_str(&content);
        s.push_str("</td>");
        s
    };
    let text = |v: &Option<String>| -> String {
        match v.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => esc_lines(t),
            _ => String::new(),
        }
    };
    let text_or_missing = |v: &Option<String>, field: &str| -> String {
        let t = text(v);
        if t.is_empty() && field_gaps.contains_key(field) {
            "<span class=\"missing\">missing</span>".to_string()
        } else {
            t
        }
    };
    let rules: Vec<String> = gaps
        .iter()
        .map(|g| {
            format!(
                "<span class=\"rule sev-{}\" title=\"{}\">{}</span>",
                g.severity.name(),
                esc(&g.message),
                esc(&g.rule)
            )
        })
        .collect();
    let _ = writeln!(
        o,
        "<tr id=\"{d}-{}\" data-gaps=\"{}\">{}{}{}{}{}{}{}{}{}{}{}<td>{}</td><td class=\"src\" data-sort=\"{:06}{:06}\">{}</td></tr>",
        esc(&a.id),
        esc(&a.gaps.join(" ")),
        cell("id", "", esc(&a.id), Some(format!("{:06}{:06}", a.table, a.row))),
        cell("section", "", esc(&section_name(a)), None),
        cell("ref", "", text(&a.reference), None),
        cell("action", "action", text_or_missing(&a.action, "action"), None),
        cell("lead", "", text_or_missing(&a.lead, "lead"), None),
        cell("due", "", text_or_missing(&a.due, "due"), a.due_date.clone().or(Some(String::new()))),
        cell("due_date", "", a.due_date.as_deref().map(esc).unwrap_or_default(), None),
        cell("evidence", "", text_or_missing(&a.evidence, "evidence"), None),
        cell("xref", "", text(&a.xref), None),
        cell("status", "", text(&a.status), None),
        if extras {
            let kv: Vec<String> = a
                .extra
                .iter()
                .map(|(k, v)| format!("<b>{}</b>: {}", esc(k), esc_lines(v)))
                .collect();
            format!("<td class=\"extra\">{}</td>", kv.join("<br>"))
        } else {
            String::new()
        },
        rules.join(" "),
        a.table,
        a.row,
        esc(&a.source.describe())
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::shared::sample;

    #[test]
    fn escapes_and_structure() {
        let r = sample::report("a<b>.txt");
        let h = html(std::slice::from_ref(&r), &[]);
        assert!(
            !h.contains("<script>alert(1)"),
            "document text must be escaped"
        );
        assert!(h.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
        assert!(h.contains("<title>Carers &lt;Strategy&gt; 2008–2011 – action plan report</title>"));
        assert!(h.contains("id=\"d1-p1-r2\""));
        assert!(h.contains("href=\"#d1-p1-r2\""));
        assert!(h.contains("href=\"#d1-p2\""));
        assert!(h.contains("class=\"gap gap-warning\""));
        assert!(
            h.contains("class=\"action gap gap-error\""),
            "missing-action highlights the action cell"
        );
        assert!(h.contains("<span class=\"missing\">missing</span>"));
        assert!(
            h.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"chart-d1\"")
        );
        assert_eq!(h.matches("<script>").count(), 1);
        // No network fetches.
        for bad in ["src=\"http", "href=\"http", "@import", "url("] {
            assert!(!h.contains(bad), "{bad}");
        }
        // Exactly as many body rows as actions.
        assert_eq!(
            h.matches("<tr id=\"d1-p").count(),
            r.actions.len() + r.tables.len()
        );
    }

    #[test]
    fn several_documents() {
        let a = sample::report("a.txt");
        let mut b = sample::report("b.txt");
        b.title = None;
        let h = html(
            &[a, b],
            &[InputError {
                path: "c.pdf".into(),
                error: "no text <layer>".into(),
            }],
        );
        assert!(h.contains("<h2 id=\"overview-h\">Documents</h2>"));
        assert!(h.contains("id=\"chart-cmp\""));
        assert!(h.contains("id=\"d2-p1-r1\""));
        assert!(h.contains("failed: no text &lt;layer&gt;"));
    }
}
