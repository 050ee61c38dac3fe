//! The audit trail's entries and their seals.
//!
//! Every entry is sealed with a SHA-256 over the seal of the entry before it and its
//! own fields, so the entries form a hash chain: changing, inserting or removing an
//! entry anywhere but at the very end breaks every seal after it. The head of the chain
//! (the number and seal of the last entry) is printed on exports and carried by every
//! backup, so that even someone who holds the passphrase and rewrites the whole chain
//! is caught by any anchor that left the machine before.
//!
//! The seal is plain SHA-256 over a documented byte string (`seal`), so anyone can
//! recompute it from the vault with a SQLCipher client and a few lines of script.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The "seal before the first entry": 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The seal of entry `number`, chained to `prev` (the previous entry's seal, or
/// `GENESIS` for entry 1). Lower-case hex SHA-256 of
///
/// ```text
/// "kapdesk.audit.v1," prev "," number "," at "," event "," detail ","
/// ```
///
/// where each field is written as a netstring, `<byte length>:<UTF-8 bytes>`, so no
/// choice of text can make two different entries hash the same bytes. `at` is the
/// entry's time exactly as stored (RFC 3339). Changing this breaks every stored seal:
/// a new scheme needs a new name and a migration.
pub fn seal(prev: &str, number: i64, at: &str, event: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"kapdesk.audit.v1,");
    let number = number.to_string();
    for field in [prev, number.as_str(), at, event, detail] {
        h.update(field.len().to_string().as_bytes());
        h.update(b":");
        h.update(field.as_bytes());
        h.update(b",");
    }
    let mut hex = String::with_capacity(64);
    for b in h.finalize() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// One entry as stored. `prev_hash` and `hash` are `None` only when a row was written
/// outside KAP Desk (or read from a backup made before entries were sealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    /// The entry's number: 1 for the first, one more for each after (its row id).
    pub number: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub event: String,
    pub detail: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl StoredEntry {
    /// The seal this entry should carry after `prev`.
    pub fn expected_seal(&self, prev: &str) -> String {
        seal(prev, self.number, &self.at, &self.event, &self.detail)
    }
}

/// The head of the chain: how many entries, and the last one's seal. Printed on every
/// export and carried by every backup; `kapdesk audit verify --against` checks the
/// vault still holds exactly this prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditAnchor {
    /// The number of the last entry (which is also how many there are).
    pub entries: i64,
    /// The last entry's seal, lower-case hex.
    pub head: String,
}

const LINE_START: &str = "Audit trail: ";

impl AuditAnchor {
    /// The line printed at the end of exports, e.g. "Audit trail: 1,234 entries, head
    /// 3f9a… (check: kapdesk audit verify --against FILE)". The seal is printed whole:
    /// a shortened one could be matched by a forged chain.
    pub fn line(&self) -> String {
        format!(
            "{LINE_START}{} {}, head {} (check: kapdesk audit verify --against FILE)",
            grouped(self.entries),
            if self.entries == 1 {
                "entry"
            } else {
                "entries"
            },
            self.head
        )
    }

    /// Finds an anchor line (`line`) in text, such as a Markdown export, a PDF's
    /// keywords, or a note the therapist typed. The last one wins.
    pub fn find_in_text(text: &str) -> Option<AuditAnchor> {
        text.match_indices(LINE_START)
            .filter_map(|(i, _)| Self::parse_at(&text[i + LINE_START.len()..]))
            .last()
    }

    fn parse_at(rest: &str) -> Option<AuditAnchor> {
        let digits: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',')
            .collect();
        let entries: i64 = digits.replace(',', "").parse().ok()?;
        let rest = &rest[digits.len()..];
        let rest = rest
            .strip_prefix(" entries, head ")
            .or_else(|| rest.strip_prefix(" entry, head "))?;
        let rest = rest.trim_start_matches(['`', ' ']);
        let head: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        (head.len() == 64 && entries > 0).then(|| AuditAnchor {
            entries,
            head: head.to_ascii_lowercase(),
        })
    }

    /// "3f9a1c…0c21": enough to tell seals apart when reading, never to check one.
    pub fn short(hash: &str) -> String {
        if hash.len() > 12 {
            format!("{}\u{2026}{}", &hash[..6], &hash[hash.len() - 4..])
        } else {
            hash.to_owned()
        }
    }
}

/// 1234567 → "1,234,567".
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An entry as the audit list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub number: i64,
    /// RFC 3339, UTC, as stored.
    pub at: String,
    /// The same moment in the practice's time zone, "YYYY-MM-DD HH:MM".
    pub at_local: String,
    pub event: String,
    /// The event in words: "Client created" for `client_created`.
    pub label: String,
    /// What was touched (an id, a file), never clinical content.
    pub detail: String,
    pub hash: Option<String>,
}

/// `client_created` → "Client created": an event's stored name, as a reader says it.
pub fn event_label(event: &str) -> String {
    let words = event.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One page of the audit trail as the Settings viewer shows it: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// How many entries match (the whole trail, or one client's).
    pub matching: i64,
    /// Older entries than the last one shown exist: ask again with `before` its number.
    pub older: bool,
}

/// What `Vault::verify_audit` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditReport {
    /// The chain's head as the vault holds it now.
    pub anchor: AuditAnchor,
    /// One sentence: what was checked and found whole. Meaningful when `problem` is
    /// `None`.
    pub summary: String,
    /// The first entry found wrong; `None` when the chain is whole (and matches the
    /// reference, when one was given).
    pub problem: Option<AuditProblem>,
}

/// The first entry found wrong, and what is wrong with it, as a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditProblem {
    pub entry: i64,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reads_as_words() {
        assert_eq!(event_label("client_created"), "Client created");
        assert_eq!(event_label("unlock_failed"), "Unlock failed");
        assert_eq!(event_label("x"), "X");
        assert_eq!(event_label(""), "");
    }

    #[test]
    fn a_seal_is_sha256_of_the_documented_bytes() {
        // Recomputed by hand from the format in `seal`'s documentation: anyone can.
        let bytes = format!(
            "kapdesk.audit.v1,64:{GENESIS},1:1,25:2026-11-01T09:00:00+00:00,13:vault_created,0:,"
        );
        let expected: String = Sha256::digest(bytes.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            seal(GENESIS, 1, "2026-11-01T09:00:00+00:00", "vault_created", ""),
            expected
        );
        assert_eq!(expected.len(), 64);
    }

    #[test]
    fn every_field_and_the_previous_seal_change_the_seal() {
        let base = seal(
            GENESIS,
            7,
            "2026-11-01T09:00:00+00:00",
            "client_created",
            "abc",
        );
        let others = [
            seal(
                &"1".repeat(64),
                7,
                "2026-11-01T09:00:00+00:00",
                "client_created",
                "abc",
            ),
            seal(
                GENESIS,
                8,
                "2026-11-01T09:00:00+00:00",
                "client_created",
                "abc",
            ),
            seal(
                GENESIS,
                7,
                "2026-11-01T09:00:01+00:00",
                "client_created",
                "abc",
            ),
            seal(
                GENESIS,
                7,
                "2026-11-01T09:00:00+00:00",
                "client_updated",
                "abc",
            ),
            seal(
                GENESIS,
                7,
                "2026-11-01T09:00:00+00:00",
                "client_created",
                "abd",
            ),
        ];
        for o in others {
            assert_ne!(o, base);
        }
    }

    #[test]
    fn moving_text_between_fields_changes_the_seal() {
        // Without lengths these two would hash the same concatenation.
        assert_ne!(
            seal(GENESIS, 1, "t", "a,b", "c"),
            seal(GENESIS, 1, "t", "a", "b,c")
        );
    }

    #[test]
    fn the_anchor_line_reads_back_from_any_text_around_it() {
        let a = AuditAnchor {
            entries: 1234,
            head: "3f9a".repeat(16),
        };
        let line = a.line();
        assert!(
            line.starts_with("Audit trail: 1,234 entries, head 3f9a3f9a"),
            "{line}"
        );
        let md = format!("# Notes\n\n---\n\n{line}\n");
        assert_eq!(AuditAnchor::find_in_text(&md), Some(a.clone()));
        let one = AuditAnchor {
            entries: 1,
            head: "0c".repeat(32),
        };
        assert!(one.line().contains("1 entry, head"));
        assert_eq!(AuditAnchor::find_in_text(&one.line()), Some(one));
        // A shortened seal is not an anchor: it cannot be checked.
        assert_eq!(
            AuditAnchor::find_in_text("Audit trail: 12 entries, head 3f9a\u{2026}0c21"),
            None
        );
        assert_eq!(AuditAnchor::find_in_text("no anchor here"), None);
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(AuditAnchor::short(&"ab".repeat(32)), "ababab\u{2026}abab");
    }
}
