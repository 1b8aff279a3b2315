//! Reading part of a document: `--pages 5-23` and `--sheet "Action plan"`.
//!
//! Selection runs on the [`Document`] model, after the reader and before detection, so it works
//! the same for every paged format (PDF, text with form feeds) and every spreadsheet format. A
//! selection that matches nothing is an error that says what the document has, never an empty
//! (and so "successful") result.

use std::fmt;

use crate::document::{BlockKind, Document};
use crate::error::Error;

/// A set of 1-based page numbers: `3`, `5-23`, `1,4-6`, `10-` (to the end).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PageSet {
    ranges: Vec<(u32, u32)>,
}

impl PageSet {
    /// Parse `1,4-6,10-`.
    pub fn parse(s: &str) -> Result<PageSet, String> {
        let bad = || format!("'{s}' is not a page list such as 3, 5-23 or 1,4-6,10-");
        let mut ranges = Vec::new();
        for part in s.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(bad());
            }
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => {
                    let a: u32 = a.trim().parse().map_err(|_| bad())?;
                    let b: u32 = if b.trim().is_empty() {
                        u32::MAX
                    } else {
                        b.trim().parse().map_err(|_| bad())?
                    };
                    (a, b)
                }
                None => {
                    let a: u32 = part.parse().map_err(|_| bad())?;
                    (a, a)
                }
            };
            if a == 0 || a > b {
                return Err(bad());
            }
            ranges.push((a, b));
        }
        Ok(PageSet { ranges })
    }

    /// Whether page `p` is selected.
    pub fn contains(&self, p: u32) -> bool {
        self.ranges.iter().any(|&(a, b)| a <= p && p <= b)
    }
}

impl fmt::Display for PageSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .ranges
            .iter()
            .map(|&(a, b)| match (a, b) {
                (a, b) if a == b => a.to_string(),
                (a, u32::MAX) => format!("{a}-"),
                (a, b) => format!("{a}-{b}"),
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// What part of a document to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Selection {
    /// Pages to read (paged formats).
    pub pages: Option<PageSet>,
    /// Sheets to read (spreadsheets), compared case-insensitively.
    pub sheets: Vec<String>,
}

impl Selection {
    /// True when everything is read.
    pub fn is_all(&self) -> bool {
        self.pages.is_none() && self.sheets.is_empty()
    }
}

/// Keep only the selected pages and sheets of `doc`. Table rows on unselected pages are dropped
/// (header rows are kept so that a table continued onto a selected page is still recognised).
pub fn apply(doc: &mut Document, sel: &Selection) -> Result<(), Error> {
    if let Some(pages) = &sel.pages {
        let paged = doc.pages.is_some() || doc.blocks.iter().any(|b| b.source.page.is_some());
        if !paged {
            return Err(Error::Unsupported(
                "--pages: this document has no pages (it applies to PDF and to text with form feeds)"
                    .into(),
            ));
        }
        doc.blocks.retain_mut(|b| {
            if let BlockKind::Table(t) = &mut b.kind {
                t.rows.retain(|r| {
                    r.header
                        || r.source
                            .page
                            .or(b.source.page)
                            .is_none_or(|p| pages.contains(p))
                });
                t.rows.iter().any(|r| !r.header)
            } else {
                b.source.page.is_none_or(|p| pages.contains(p))
            }
        });
        if doc.blocks.is_empty() {
            let n = doc
                .pages
                .map(|n| format!("{n} pages"))
                .unwrap_or_else(|| "pages".into());
            return Err(Error::Unsupported(format!(
                "--pages {pages}: nothing on those pages (the document has {n})"
            )));
        }
    }
    if !sel.sheets.is_empty() {
        let mut names: Vec<String> = Vec::new();
        for b in &doc.blocks {
            if let Some(s) = &b.source.sheet {
                if !names.contains(s) {
                    names.push(s.clone());
                }
            }
        }
        if names.is_empty() {
            return Err(Error::Unsupported(
                "--sheet: this document has no sheets (it applies to .xlsx, .xls and .ods)".into(),
            ));
        }
        let wanted = |s: &str| {
            sel.sheets
                .iter()
                .any(|w| w.trim().eq_ignore_ascii_case(s.trim()))
        };
        if let Some(missing) = sel.sheets.iter().find(|w| {
            !names
                .iter()
                .any(|n| n.trim().eq_ignore_ascii_case(w.trim()))
        }) {
            return Err(Error::Unsupported(format!(
                "--sheet: no sheet named \"{missing}\" (sheets: {})",
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        doc.blocks
            .retain(|b| b.source.sheet.as_deref().is_some_and(wanted));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Source};

    fn para(text: &str, page: Option<u32>, sheet: Option<&str>) -> Block {
        Block {
            kind: BlockKind::Paragraph { text: text.into() },
            source: Source {
                page,
                sheet: sheet.map(str::to_string),
                ..Source::default()
            },
        }
    }

    #[test]
    fn page_lists() {
        let p = PageSet::parse("1, 4-6,10-").unwrap();
        assert!(p.contains(1) && p.contains(5) && p.contains(99) && !p.contains(7));
        assert_eq!(p.to_string(), "1,4-6,10-");
        for bad in ["", "0", "5-3", "a", "1,,2"] {
            assert!(PageSet::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn selects_pages_and_sheets() {
        let mut d = Document {
            title: None,
            pages: Some(3),
            blocks: vec![para("a", Some(1), None), para("b", Some(3), None)],
        };
        let sel = Selection {
            pages: Some(PageSet::parse("2-3").unwrap()),
            sheets: vec![],
        };
        apply(&mut d, &sel).unwrap();
        assert_eq!(d.blocks.len(), 1);
        let mut d2 = d.clone();
        let none = Selection {
            pages: Some(PageSet::parse("7").unwrap()),
            sheets: vec![],
        };
        let e = apply(&mut d2, &none).unwrap_err().to_string();
        assert!(e.contains("3 pages"), "{e}");
        let mut s = Document {
            title: None,
            pages: None,
            blocks: vec![
                para("a", None, Some("Plan")),
                para("b", None, Some("Notes")),
            ],
        };
        let sel = Selection {
            pages: None,
            sheets: vec!["plan".into()],
        };
        apply(&mut s.clone(), &sel).unwrap();
        apply(&mut s, &sel).unwrap();
        assert_eq!(s.blocks.len(), 1);
        let e = apply(
            &mut s,
            &Selection {
                pages: None,
                sheets: vec!["Budget".into()],
            },
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("\"Plan\""), "{e}");
    }
}
