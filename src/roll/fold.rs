//! Text folded for searching (issue 11): a committee member typing
//! "lopez" is looking for "López", and "MUÑOZ" for "Muñoz".

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// `text` in compatibility decomposition (NFKD, Unicode Standard Annex
/// #15), without its combining marks (the accents NFKD split off), in
/// lower case. The same function folds what is stored and what is
/// searched for, so the two always meet.
pub fn fold_for_search(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_compatibility_forms_fold_away() {
        assert_eq!(fold_for_search("L\u{f3}pez"), "lopez");
        assert_eq!(fold_for_search("MU\u{d1}OZ"), "munoz");
        // A decomposed accent (as macOS writes it) folds the same.
        assert_eq!(fold_for_search("Lo\u{301}pez"), "lopez");
        // Compatibility forms: the "fi" ligature, full-width letters.
        assert_eq!(fold_for_search("\u{fb01}ona"), "fiona");
        assert_eq!(fold_for_search("\u{ff21}na"), "ana");
        assert_eq!(fold_for_search("m-123@x.org"), "m-123@x.org");
    }
}
