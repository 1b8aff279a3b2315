//! Page furniture: running headers and footers that repeat across pages, page numbers.

use std::collections::{HashMap, HashSet};

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

/// Remove running headers and footers from each page's lines (`pages[i]` = (height, lines)).
pub fn remove_furniture(pages: &mut [(f32, Vec<Line>)]) {
    let n = pages.len();
    let pn = page_number_re();
    let in_band = |l: &Line, h: f32| l.y < BAND * h || l.top() > (1.0 - BAND) * h;
    let mut counts: HashMap<String, HashSet<usize>> = HashMap::new();
    for (i, (h, lines)) in pages.iter().enumerate() {
        for l in lines.iter().filter(|l| in_band(l, *h)) {
            if l.pieces(1.5).len() <= 2 {
                counts.entry(key(&l.text())).or_default().insert(i);
            }
        }
    }
    let need = if n >= 2 {
        ((n as f32) * 0.5).ceil().max(2.0) as usize
    } else {
        usize::MAX
    };
    let repeated: HashSet<String> = counts
        .into_iter()
        .filter(|(k, p)| p.len() >= need && !k.is_empty())
        .map(|(k, _)| k)
        .collect();
    // Only the runs of furniture lines at the very top and bottom of each page are removed, so a
    // repeated table header just below a running header stays.
    for (h, lines) in pages.iter_mut() {
        let h = *h;
        let is_furniture = |l: &Line| {
            if !in_band(l, h) || l.pieces(1.5).len() > 2 {
                return false;
            }
            let k = key(&l.text());
            pn.is_match(&k) || repeated.contains(&k)
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
