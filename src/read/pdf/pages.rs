//! Page furniture: running headers and footers that repeat across pages, page numbers.

use std::collections::HashSet;

use regex::Regex;

use super::lines::Line;

/// Share of the page height at the top and bottom searched for headers and footers.
const BAND: f32 = 0.12;

fn key(text: &str) -> String {
    let t: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    // Runs of digits of any length are one token ("page 9" and "page 10").
    let mut out = String::new();
    for c in t.chars() {
        if c == '#' && out.ends_with('#') {
            continue;
        }
        out.push(c);
    }
    out
}

fn page_number_re() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:[-–—]\s*)?(?:page\s*)?#(?:\s*(?:of|/)\s*#)?(?:\s*[-–—])?$|page #(?: of #)?",
        )
        .expect("constant regex")
    })
}

/// Is the line in the top or bottom band of a page of height `h`?
fn in_band(l: &Line, h: f32) -> bool {
    l.y < BAND * h || l.top() > (1.0 - BAND) * h
}

/// The keys of a page's lines that could be running headers or footers: short lines (at most
/// two pieces) in the top and bottom bands.
pub fn band_keys(lines: &[Line], h: f32) -> HashSet<String> {
    lines
        .iter()
        .filter(|l| in_band(l, h) && l.pieces(1.5).len() <= 2)
        .map(|l| key(&l.text()))
        .filter(|k| !k.is_empty())
        .collect()
}

/// Remove running headers and footers from one page's lines. `repeated(key)` says whether a
/// line's key repeats on enough neighbouring pages to be furniture. Only the runs of furniture
/// lines at the very top and bottom of the page are removed, so a repeated table header just
/// below a running header stays.
pub fn remove_furniture(lines: &mut Vec<Line>, h: f32, repeated: &dyn Fn(&str) -> bool) {
    let pn = page_number_re();
    let is_furniture = |l: &Line| {
        if !in_band(l, h) || l.pieces(1.5).len() > 2 {
            return false;
        }
        let k = key(&l.text());
        pn.is_match(&k) || repeated(&k)
    };
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y));
    let mut drop = vec![false; lines.len()];
    for &i in &order {
        if lines[i].y < 0.5 * h && is_furniture(&lines[i]) {
            drop[i] = true;
        } else {
            break;
        }
    }
    for &i in order.iter().rev() {
        if lines[i].y >= 0.5 * h && is_furniture(&lines[i]) {
            drop[i] = true;
        } else {
            break;
        }
    }
    let mut it = drop.into_iter();
    lines.retain(|_| !it.next().unwrap_or(false));
}

/// Running-header detection over a neighbourhood of pages: a key is furniture on page `i` when
/// it appears on at least half of the pages within [`REACH`] pages of it (and on two or more).
/// A neighbourhood rather than the whole document keeps memory flat (pages are finished as the
/// reader goes) and follows running headers that change from chapter to chapter.
pub struct Furniture {
    keys: Vec<HashSet<String>>,
    npages: usize,
}

/// How many pages before and after a page are compared with it.
pub const REACH: usize = 8;

impl Furniture {
    /// For a document of `npages` pages.
    pub fn new(npages: usize) -> Furniture {
        Furniture {
            keys: Vec::new(),
            npages,
        }
    }
    /// Record the keys of the next page (pages come in order).
    pub fn add(&mut self, keys: HashSet<String>) {
        self.keys.push(keys);
    }
    /// Is `key` furniture on page index `i`? Needs pages up to `i + REACH` added (or all).
    pub fn repeated(&self, i: usize, key: &str) -> bool {
        let lo = i.saturating_sub(REACH);
        let hi = (i + REACH + 1).min(self.npages);
        let n = hi - lo;
        if n < 2 {
            return false;
        }
        let need = ((n as f32) * 0.5).ceil().max(2.0) as usize;
        let have = (lo..hi.min(self.keys.len()))
            .filter(|&p| self.keys[p].contains(key))
            .count();
        have >= need
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        let re = page_number_re();
        for s in [
            "page 3 of 12",
            "draft v3 - page 12 of 40",
            "12",
            "- 4 -",
            "3/12",
            "Page 2",
        ] {
            assert!(re.is_match(&key(s)), "{s}");
        }
        assert!(!re.is_match(&key("Employment")));
        assert!(!re.is_match(&key("2008 targets")));
    }
}
