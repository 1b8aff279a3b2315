//! Leads: split a lead cell into parties.
//!
//! "HHAS/PCT/ Children's Services" -> ["HHAS", "PCT", "Children's Services"]. Parties are split
//! on slashes, semicolons, bullets and line breaks between bullet items, and on commas unless the
//! comma list is one name ("Health, Housing and Adult Services").

use super::text;

/// Split a lead into parties (each a trimmed, non-empty piece of the input).
pub fn parties(lead: &str) -> Vec<String> {
    let mut out = Vec::new();
    for item in text::items(lead) {
        for part in item.split([';', '/']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let commas: Vec<&str> = part
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let one_name = commas
                .last()
                .is_some_and(|l| l.contains(" and ") || l.starts_with("and "));
            if commas.len() > 1 && !one_name {
                out.extend(commas.into_iter().map(str::to_string));
            } else {
                out.push(part.to_string());
            }
        }
    }
    out.retain(|p| p.chars().any(char::is_alphanumeric));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_parties() {
        assert_eq!(
            parties("HHAS/PCT/ Children's Services"),
            vec!["HHAS", "PCT", "Children's Services"]
        );
        assert_eq!(
            parties("Commissioners, HHAS/PCT/ Children's Services"),
            vec!["Commissioners", "HHAS", "PCT", "Children's Services"]
        );
        assert_eq!(
            parties("Health, Housing and Adult Services"),
            vec!["Health, Housing and Adult Services"]
        );
        assert_eq!(
            parties("· Contract Officers\n· Carers' Leads"),
            vec!["Contract Officers", "Carers' Leads"]
        );
        assert_eq!(parties("PCT (public health)"), vec!["PCT (public health)"]);
        assert!(parties(" / ").is_empty());
    }
}
