//! Cell text cleaning: whitespace, hyphenation at line ends, inline markup, bullets, NFKC.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Bullet glyphs seen in extracted strategies (Word's Symbol-font bullets are private-use
/// characters). Shared with the text reader, which also takes dashes as list markers.
pub const BULLET_GLYPHS: &str = "-*•·▪◦‣⁃⇒➢►→✓■□❖➤\u{f0b7}\u{f0a7}\u{f076}\u{f0d8}";

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*((?:[{BULLET_GLYPHS}]|o\s)\s*)+")).unwrap());
static TAGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(u|i|b|em|strong|span|sup|sub|font)(\s[^>]*)?>|\*\*").unwrap()
});
static SPACES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+").unwrap());
/// Word endings that, after a line-end hyphen, show the hyphen split one word.
const SUFFIXES: &[&str] = &[
    "ing", "ed", "tion", "tions", "ment", "ments", "ness", "ly", "ity", "ities", "ance", "ence",
    "er", "ers", "al", "ation", "ations", "ive", "ised", "ized", "ise", "ize", "able", "ible",
];

/// Clean one line: NFKC (ligatures, non-breaking spaces), inline markup, runs of whitespace.
pub fn clean_line(s: &str) -> String {
    let s: String = s.nfkc().collect();
    let s = TAGS.replace_all(&s, "");
    SPACES.replace_all(s.trim(), " ").to_string()
}

/// Join wrapped lines into one string, repairing line-end hyphenation: a hyphen before a word
/// ending joins without a space ("commission-" + "ing"), other hyphens are kept ("well-" + "being").
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = clean_line(line);
        if line.is_empty() {
            continue;
        }
        if splits_code(&out, &line) {
            // "SO3,SO4,SO" + "5": a code broken by a narrow column.
            out.push_str(&line);
        } else if out.ends_with('-') && !out.ends_with(" -") {
            let first: String = line.chars().take_while(|c| c.is_alphabetic()).collect();
            if first.chars().next().is_some_and(char::is_lowercase)
                && SUFFIXES.contains(&first.as_str())
            {
                out.pop();
            }
            out.push_str(&line);
        } else {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&line);
        }
    }
    out
}

/// Does a line break fall inside a code of a list of codes ("SO1, SO" / "2", "S" / "O6")? The
/// text so far is a list of codes ending in the letters of one, and the line starts with the rest.
fn splits_code(before: &str, line: &str) -> bool {
    static LIST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[A-Z]{1,4}\s?[0-9]{1,3}\s*[,;/&]\s*)+([A-Z]{1,4})$")
            .expect("code list regex")
    });
    static REST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([A-Z]{0,3})[0-9]{1,3}(?:[,;/&\s]|$)").expect("code rest regex")
    });
    match (LIST.captures(before), REST.captures(line)) {
        (Some(a), Some(b)) => a[1].len() + b[1].len() <= 4,
        _ => false,
    }
}

/// Split a cell into items: each line starting with a bullet glyph starts an item; other lines
/// continue the item above. Without bullets the whole cell is one item.
pub fn items(cell: &str) -> Vec<String> {
    // A line that is only a bullet glyph (an empty bullet in Word), in a cell with other
    // content, starts an item of its own instead of being glued onto the item above ("AA •").
    let lone = |t: &str| BULLET.find(t).is_some_and(|m| m.end() == t.len());
    let content = cell
        .lines()
        .any(|l| !l.trim().is_empty() && !lone(l.trim()));
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut any_bullet = false;
    for line in cell.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if content && lone(t) {
            any_bullet = true;
            groups.push(Vec::new());
            continue;
        }
        if let Some(m) = BULLET.find(t).filter(|m| m.end() < t.len()) {
            any_bullet = true;
            groups.push(vec![t[m.end()..].to_string()]);
        } else if let Some(g) = groups.last_mut() {
            g.push(t.to_string());
        } else {
            groups.push(vec![t.to_string()]);
        }
    }
    if !any_bullet {
        let all = join_lines(cell.lines());
        return if all.is_empty() {
            Vec::new()
        } else {
            vec![all]
        };
    }
    groups
        .iter()
        .map(|g| join_lines(g.iter().map(String::as_str)))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The cell as one string: items joined with "; " (or the single item).
pub fn joined(cell: &str) -> Option<String> {
    let it = items(cell);
    if it.is_empty() {
        None
    } else {
        Some(it.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_broken_by_a_narrow_column_rejoin() {
        assert_eq!(join_lines(["SO3,SO4,SO", "5"]), "SO3,SO4,SO5");
        assert_eq!(
            join_lines(["SO1,SO2,SO3,SO4,SO5,S", "O6"]),
            "SO1,SO2,SO3,SO4,SO5,SO6"
        );
        assert_eq!(join_lines(["SO2,SO3,SO", "4,SO5,"]), "SO2,SO3,SO4,SO5,");
        // Not a code list: words stay apart.
        assert_eq!(
            join_lines(["Call NHS", "111 for advice"]),
            "Call NHS 111 for advice"
        );
        assert_eq!(join_lines(["NHS", "111"]), "NHS 111");
    }

    #[test]
    fn cleans_and_joins() {
        assert_eq!(
            join_lines(["Commission-", "ing of services"]),
            "Commissioning of services"
        );
        assert_eq!(
            join_lines(["health and well-", "being"]),
            "health and well-being"
        );
        assert_eq!(
            join_lines([
                "Carers will be involved <u>collectively</u>",
                "in  planning"
            ]),
            "Carers will be involved collectively in planning"
        );
        assert_eq!(clean_line("e\u{fb03}cient\u{a0}use"), "efficient use");
    }

    #[test]
    fn bullets_become_items() {
        assert_eq!(
            items("· Take A Break\n· Day services\nand more"),
            vec!["Take A Break", "Day services and more"]
        );
        assert_eq!(
            items("Increased numbers:\n· Take A Break"),
            vec!["Increased numbers:", "Take A Break"]
        );
        assert_eq!(items("Plain text\nwrapped"), vec!["Plain text wrapped"]);
        assert_eq!(joined("• A\n• B").as_deref(), Some("A; B"));
        assert_eq!(joined("  \n"), None);
    }
}
