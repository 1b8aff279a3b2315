//! Cross-references: split run-together outcome names against the document's own themes.
//!
//! "Information and Advice Recognising and Valuing Contribution" with themes "Information and
//! Advice" and "Recognising and Valuing Contribution" -> both names. Lines or bullets that match
//! no theme are kept as items of their own.

use super::text;

fn key(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Split a cross-reference cell into items.
pub fn split(raw: &str, themes: &[String]) -> Vec<String> {
    let theme_keys: Vec<(Vec<String>, &String)> = themes
        .iter()
        .map(|t| (key(t), t))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let joined = text::join_lines(raw.lines());
    let words: Vec<&str> = joined.split_whitespace().collect();
    let wkeys: Vec<String> = words.iter().map(|w| key(w).join("")).collect();
    let mut out: Vec<String> = Vec::new();
    let mut loose: Vec<&str> = Vec::new();
    let mut matched_any = false;
    let mut i = 0;
    while i < words.len() {
        let best = theme_keys
            .iter()
            .filter(|(k, _)| {
                i + k.len() <= words.len() && k.iter().zip(&wkeys[i..]).all(|(a, b)| a == b)
            })
            .max_by_key(|(k, _)| k.len());
        match best {
            Some((k, _)) => {
                if !loose.is_empty() {
                    out.push(loose.join(" "));
                    loose.clear();
                }
                out.push(words[i..i + k.len()].join(" "));
                matched_any = true;
                i += k.len();
            }
            None => {
                loose.push(words[i]);
                i += 1;
            }
        }
    }
    if !loose.is_empty() {
        out.push(loose.join(" "));
    }
    if !matched_any {
        // No theme list to match against: fall back to the cell's own lines / items.
        let mut items = text::items(raw);
        if items.len() == 1 {
            items = raw
                .lines()
                .map(text::clean_line)
                .filter(|l| !l.is_empty())
                .collect();
            if items.iter().any(|l| l.split(';').count() > 1) {
                items = items
                    .iter()
                    .flat_map(|l| l.split(';').map(|s| s.trim().to_string()))
                    .filter(|s| !s.is_empty())
                    .collect();
            }
        }
        return items;
    }
    out.into_iter()
        .map(|s| s.trim_matches([',', ';', ' ']).to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_against_themes() {
        let themes = vec![
            "Information and Advice".to_string(),
            "Recognising and Valuing Contribution".to_string(),
            "Health".to_string(),
        ];
        assert_eq!(
            split(
                "Information and Advice Recognising and Valuing Contribution",
                &themes
            ),
            vec![
                "Information and Advice",
                "Recognising and Valuing Contribution"
            ]
        );
        assert_eq!(
            split("Health\nInformation and\nAdvice", &themes),
            vec!["Health", "Information and Advice"]
        );
        assert_eq!(
            split("Objective 2; Objective 4", &[]),
            vec!["Objective 2", "Objective 4"]
        );
        assert_eq!(
            split("Outcome 1\nOutcome 3", &[]),
            vec!["Outcome 1", "Outcome 3"]
        );
    }
}
