//! Passphrases: held in memory that is wiped on drop, never printed, and checked
//! against the vault's policy before a vault is created or re-keyed.

use std::fmt;

use serde::Serialize;
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Twelve characters is the floor: with SQLCipher's PBKDF2 (256,000 rounds) a
/// twelve-character phrase is out of reach of offline guessing on a stolen laptop.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Refused below 10^10 estimated guesses: the vault file can be attacked offline, and
/// SQLCipher's key derivation slows each guess but does not make 10^8 of them safe.
const GUESSABLE_BELOW_LOG10: f64 = 10.0;
/// "Strong" from 10^14 guesses: years of an offline attack on one machine.
const STRONG_FROM_LOG10: f64 = 14.0;

/// A passphrase in zeroize-on-drop memory. `Debug` never shows it, and there is no
/// `Display` or `Serialize`, so it cannot end up in a log or an error by accident.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// A passphrase to try against an existing vault. No policy check here: the
    /// policy is public, so rejecting early would reveal nothing, but it would also
    /// lock out a vault created by another SQLCipher client with a shorter one.
    pub fn new(secret: impl Into<String>) -> Self {
        Passphrase(Zeroizing::new(secret.into()))
    }

    /// A new passphrase, typed twice: checks the policy and that both copies match.
    pub fn new_confirmed(
        secret: impl Into<String>,
        confirmation: impl Into<String>,
    ) -> Result<Self> {
        let secret = Zeroizing::new(secret.into());
        let confirmation = Zeroizing::new(confirmation.into());
        if secret.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(Error::WeakPassphrase {
                min: MIN_PASSPHRASE_CHARS,
            });
        }
        let assessment = assess(&secret);
        if !assessment.acceptable {
            return Err(Error::GuessablePassphrase {
                hint: assessment.hint,
            });
        }
        if *secret != *confirmation {
            return Err(Error::PassphraseMismatch);
        }
        Ok(Passphrase(secret))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<hidden>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PassphraseStrength {
    TooShort,
    Weak,
    Fair,
    Strong,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PassphraseAssessment {
    pub strength: PassphraseStrength,
    /// Whether the vault will accept it (the policy: length only).
    pub acceptable: bool,
    pub hint: String,
}

/// A strength hint for the first-run screen. It is advice, not policy: only the length
/// is enforced. Long phrases of ordinary words are encouraged over short symbol soup,
/// because a therapist has to remember this with no recovery possible.
pub fn assess(candidate: &str) -> PassphraseAssessment {
    let len = candidate.chars().count();
    if len < MIN_PASSPHRASE_CHARS {
        let missing = MIN_PASSPHRASE_CHARS - len;
        return PassphraseAssessment {
            strength: PassphraseStrength::TooShort,
            acceptable: false,
            hint: format!(
                "{missing} more character{} needed (at least {MIN_PASSPHRASE_CHARS}).",
                if missing == 1 { "" } else { "s" }
            ),
        };
    }

    // Guesses an attacker with the vault file would need, by zxcvbn's estimate; the
    // app's own name and subject are words anyone would try first.
    let estimate = zxcvbn::zxcvbn(candidate, &["kapdesk", "kap desk", "ketamine"]);
    let log10 = estimate.guesses_log10();
    if log10 < GUESSABLE_BELOW_LOG10 {
        let why = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({})", w.to_string().trim_end_matches('.')))
            .unwrap_or_default();
        return PassphraseAssessment {
            strength: PassphraseStrength::Weak,
            acceptable: false,
            hint: format!(
                "This passphrase would be easy to guess{why}. Try four or more ordinary words that only you would put together."
            ),
        };
    }
    let (strength, hint) = if log10 >= STRONG_FROM_LOG10 {
        (
            PassphraseStrength::Strong,
            "Strong. Write it down and keep it somewhere safe away from this laptop.",
        )
    } else {
        (
            PassphraseStrength::Fair,
            "Acceptable. Four or more ordinary words, or a longer sentence, would be stronger.",
        )
    };
    PassphraseAssessment {
        strength,
        acceptable: true,
        hint: hint.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passphrases_are_refused_with_the_minimum_named() {
        let err = Passphrase::new_confirmed("eleven char", "eleven char").unwrap_err();
        assert!(matches!(err, Error::WeakPassphrase { min: 12 }));
        assert!(err.to_string().contains("at least 12 characters"));
        // Twelve characters counted as characters, not bytes: accented names are fine.
        // Characters, not bytes: twelve accented letters are long enough.
        let twelve = "Éloïse Núñez";
        assert_eq!(twelve.chars().count(), 12);
        assert!(
            Passphrase::new_confirmed(twelve, twelve).is_ok(),
            "{:?}",
            assess(twelve)
        );
        assert!(matches!(
            Passphrase::new_confirmed("Éloïse Núñe", "Éloïse Núñe").unwrap_err(),
            Error::WeakPassphrase { .. }
        ));
    }

    #[test]
    fn mismatched_confirmation_is_refused() {
        let err = Passphrase::new_confirmed("correct horse battery", "correct horse battery!")
            .unwrap_err();
        assert!(matches!(err, Error::PassphraseMismatch));
    }

    #[test]
    fn debug_output_never_contains_the_secret() {
        let p = Passphrase::new("my secret passphrase 42");
        let shown = format!("{p:?}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn assessment_guides_towards_long_phrases_and_refuses_guessable_ones() {
        let short = assess("abc");
        assert_eq!(short.strength, PassphraseStrength::TooShort);
        assert!(!short.acceptable);
        assert!(short.hint.starts_with("9 more characters"));
        // Long enough, yet among the first guesses of any attacker.
        for guessable in [
            "aaaaaaaaaaaaaaaa",
            "password1234",
            "Summer2026!!",
            "kapdesk2026!",
            "qwertyuiop12",
        ] {
            let a = assess(guessable);
            assert_eq!(a.strength, PassphraseStrength::Weak, "{guessable}");
            assert!(!a.acceptable, "{guessable}");
            assert!(
                a.hint.starts_with("This passphrase would be easy to guess"),
                "{}",
                a.hint
            );
        }
        assert!(assess("password1234").hint.contains("very common password"));
        assert_eq!(assess("blue river 42x").strength, PassphraseStrength::Fair);
        assert_eq!(
            assess("quiet river morning lantern").strength,
            PassphraseStrength::Strong
        );
    }

    #[test]
    fn a_guessable_passphrase_is_refused_with_the_estimate_s_reason() {
        let err = Passphrase::new_confirmed("password1234", "password1234").unwrap_err();
        assert!(matches!(err, Error::GuessablePassphrase { .. }));
        assert!(err.to_string().contains("easy to guess"), "{err}");
        assert!(
            Passphrase::new_confirmed("willow creek morning light", "willow creek morning light")
                .is_ok()
        );
    }
}
