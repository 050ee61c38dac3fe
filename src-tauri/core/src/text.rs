//! Text as people search it. Pure helpers, no database.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds case and accents in every script, so "ковалёва" finds "Ковалёва" and "sofia"
/// finds "Σοφία"… and "Sofía": lower-case (full Unicode), decompose, drop the combining
/// marks. SQLite's `LIKE` folds ASCII only, so name search compares these in Rust.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `haystack` contains `needle` once both are folded. An empty needle matches.
pub fn contains_folded(haystack: &str, folded_needle: &str) -> bool {
    folded_needle.is_empty() || fold(haystack).contains(folded_needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_fold_in_every_script() {
        assert!(contains_folded("Ковалёва", &fold("ковалёва")));
        assert!(contains_folded("Ковалёва", &fold("КОВАЛЕВА")));
        assert!(contains_folded("Σοφία Παπαδοπούλου", &fold("σοφια")));
        assert!(contains_folded("Zoë Ångström", &fold("angstrom")));
        assert!(contains_folded("José", &fold("JOSE")));
        assert!(!contains_folded("Ковалёва", &fold("петрова")));
        assert!(contains_folded("anyone", ""));
    }
}
