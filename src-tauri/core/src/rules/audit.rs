//! Checking the audit trail's hash chain: the whole chain on its own (`check_chain`),
//! and against a reference that left the machine earlier, either an anchor printed on
//! an export (`check_against_anchor`) or a backup holding the entries themselves
//! (`check_against_copy`). Pure functions of the entries; the time zone only words the
//! sentences.
//!
//! On its own the chain shows an entry changed, inserted or removed anywhere before the
//! last one. Removing the latest entries, or rewriting the whole chain with fresh seals,
//! shows only against a reference made before: the anchor's entry must still be there,
//! with the same seal.

use std::collections::HashMap;

use chrono_tz::Tz;

use crate::dates::stamp_in;
use crate::model::audit::{AuditAnchor, AuditProblem, GENESIS, StoredEntry, grouped};

/// "entry 57 (Thursday 3 December 2026, 10:02, client_updated)".
pub fn describe(e: &StoredEntry, tz: Tz) -> String {
    format!(
        "entry {} ({}, {})",
        grouped(e.number),
        stamp_in(tz, &e.at),
        e.event
    )
}

fn problem(entry: i64, message: String) -> Option<AuditProblem> {
    Some(AuditProblem { entry, message })
}

/// The first entry whose seal, link or number is wrong, in order; `None` when every
/// entry is sealed to the one before and the numbers run 1, 2, 3… without a gap.
pub fn check_chain(entries: &[StoredEntry], tz: Tz) -> Option<AuditProblem> {
    let mut prev: Option<&StoredEntry> = None;
    for e in entries {
        let expected_number = prev.map_or(1, |p| p.number + 1);
        if e.number != expected_number {
            let removed = if e.number - expected_number == 1 {
                format!("entry {} was removed", grouped(expected_number))
            } else {
                format!(
                    "entries {} to {} were removed",
                    grouped(expected_number),
                    grouped(e.number - 1)
                )
            };
            let context = match prev {
                Some(p) => format!(
                    "the trail goes from {} straight to {}",
                    describe(p, tz),
                    describe(e, tz)
                ),
                None => format!("the trail starts at {}", describe(e, tz)),
            };
            return problem(
                expected_number,
                format!(
                    "The audit trail is broken at entry {}: {removed} ({context}).",
                    grouped(expected_number)
                ),
            );
        }
        let (Some(prev_hash), Some(hash)) = (&e.prev_hash, &e.hash) else {
            return problem(
                e.number,
                format!(
                    "The audit trail is broken at {}: it has no seal, so it was written outside KAP Desk.",
                    describe(e, tz)
                ),
            );
        };
        if &e.expected_seal(prev_hash) != hash {
            return problem(
                e.number,
                format!(
                    "The audit trail is broken at {}: it was changed after it was written.",
                    describe(e, tz)
                ),
            );
        }
        let prev_seal = prev.and_then(|p| p.hash.as_deref()).unwrap_or(GENESIS);
        if prev_hash != prev_seal {
            // This entry is whole, but the one before no longer carries the seal this
            // one was chained to: that one was changed and sealed again.
            return match prev {
                Some(p) => problem(
                    p.number,
                    format!(
                        "The audit trail is broken at {}: it was changed and sealed again after it was written (the entry after it still carries its original seal).",
                        describe(p, tz)
                    ),
                ),
                None => problem(
                    e.number,
                    format!(
                        "The audit trail is broken at {}: it is not chained to the start of the trail, so entries before it were removed or it was changed.",
                        describe(e, tz)
                    ),
                ),
            };
        }
        prev = Some(e);
    }
    None
}

/// The chain against an anchor printed on an export (`source` names it): the vault must
/// still hold the anchor's entry, with the anchor's seal. Assumes `check_chain` passed.
pub fn check_against_anchor(
    entries: &[StoredEntry],
    anchor: &AuditAnchor,
    source: &str,
    tz: Tz,
) -> Option<AuditProblem> {
    let last = entries.last().map_or(0, |e| e.number);
    match entries.iter().find(|e| e.number == anchor.entries) {
        None => {
            let first_missing = last + 1;
            problem(
                first_missing,
                format!(
                    "The audit trail is broken at entry {}: {source} recorded {} entries when it was made, and the vault now has {}, so entries were removed since.",
                    grouped(first_missing),
                    grouped(anchor.entries),
                    grouped(last),
                ),
            )
        }
        Some(e) if e.hash.as_deref() != Some(anchor.head.as_str()) => problem(
            e.number,
            format!(
                "The audit trail does not match {source} at {}: its seal there was {}, the vault's is now {}; the trail up to that entry was rewritten after {source} was made.",
                describe(e, tz),
                AuditAnchor::short(&anchor.head),
                AuditAnchor::short(e.hash.as_deref().unwrap_or("none"))
            ),
        ),
        Some(_) => None,
    }
}

fn removed_range(from: i64, to: i64) -> String {
    if from == to {
        format!("entry {} was removed", grouped(from))
    } else {
        format!("entries {} to {} were removed", grouped(from), grouped(to))
    }
}

/// The seals a copy's entries carry, or would carry: a backup made before entries were
/// sealed is sealed here the way the upgrade sealed the vault's own entries.
pub fn seals_of_copy(copy: &[StoredEntry]) -> Vec<String> {
    let mut prev = GENESIS.to_owned();
    copy.iter()
        .map(|e| {
            let s = e.hash.clone().unwrap_or_else(|| e.expected_seal(&prev));
            prev = s.clone();
            s
        })
        .collect()
}

/// The chain against a backup holding the entries themselves (`source` names it): the
/// backup's own chain must be whole, and every one of its entries must still be in the
/// vault, unchanged. Finds the first entry that differs or is gone. Assumes
/// `check_chain` passed for `entries`.
pub fn check_against_copy(
    entries: &[StoredEntry],
    copy: &[StoredEntry],
    source: &str,
    tz: Tz,
) -> Option<AuditProblem> {
    if copy.iter().any(|e| e.hash.is_some())
        && let Some(p) = check_chain(copy, tz)
    {
        return problem(
            p.entry,
            format!(
                "{source} cannot vouch for the vault: {}",
                p.message
                    .replacen("The audit trail", "its own audit trail", 1)
            ),
        );
    }
    let live: HashMap<i64, &StoredEntry> = entries.iter().map(|e| (e.number, e)).collect();
    let last = entries.last().map_or(0, |e| e.number);
    let seals = seals_of_copy(copy);
    for (c, seal) in copy.iter().zip(&seals) {
        let same_fields = |v: &StoredEntry| {
            (v.at.as_str(), v.event.as_str(), v.detail.as_str())
                == (c.at.as_str(), c.event.as_str(), c.detail.as_str())
        };
        match live.get(&c.number) {
            None => {
                let end = copy.last().map_or(c.number, |e| e.number);
                return problem(
                    c.number,
                    format!(
                        "The audit trail is broken at entry {} ({}, {}, in the backup): {source} holds {} entries, and the vault now has {}; {}.",
                        grouped(c.number),
                        stamp_in(tz, &c.at),
                        c.event,
                        grouped(end),
                        grouped(last),
                        removed_range(c.number, end)
                    ),
                );
            }
            Some(v) if !same_fields(v) => {
                return problem(
                    c.number,
                    format!(
                        "The audit trail is broken at {}: it differs from the same entry in {source} ({}, {}), so it was changed after {source} was made.",
                        describe(v, tz),
                        stamp_in(tz, &c.at),
                        c.event
                    ),
                );
            }
            Some(v) if v.hash.as_deref() != Some(seal.as_str()) => {
                return problem(
                    c.number,
                    format!(
                        "The audit trail does not match {source} at {}: its seal there was {}, the vault's is now {}; the trail up to that entry was rewritten after {source} was made.",
                        describe(v, tz),
                        AuditAnchor::short(seal),
                        AuditAnchor::short(v.hash.as_deref().unwrap_or("none"))
                    ),
                );
            }
            Some(_) => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: Tz = chrono_tz::America::New_York;

    /// A sealed chain of `n` entries, one a day at 14:00 UTC.
    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|i| {
                let mut e = StoredEntry {
                    number: i,
                    at: format!("2026-11-{i:02}T14:00:00+00:00"),
                    event: if i == 1 {
                        "vault_created".into()
                    } else {
                        "client_updated".into()
                    },
                    detail: format!("client-{i}"),
                    prev_hash: Some(prev.clone()),
                    hash: None,
                };
                let h = e.expected_seal(&prev);
                e.hash = Some(h.clone());
                prev = h;
                e
            })
            .collect()
    }

    /// Re-seals entries from `from` (an index) on, as someone with the passphrase and
    /// the published scheme would after editing one.
    fn reseal_from(entries: &mut [StoredEntry], from: usize) {
        let mut prev = if from == 0 {
            GENESIS.to_owned()
        } else {
            entries[from - 1].hash.clone().unwrap()
        };
        for e in &mut entries[from..] {
            e.prev_hash = Some(prev.clone());
            let h = e.expected_seal(&prev);
            e.hash = Some(h.clone());
            prev = h;
        }
    }

    fn anchor(entries: &[StoredEntry]) -> AuditAnchor {
        let last = entries.last().unwrap();
        AuditAnchor {
            entries: last.number,
            head: last.hash.clone().unwrap(),
        }
    }

    #[test]
    fn a_whole_chain_passes() {
        assert_eq!(check_chain(&chain(30), TZ), None);
        assert_eq!(check_chain(&[], TZ), None);
    }

    #[test]
    fn an_edited_entry_is_named_with_its_number_time_and_event() {
        let mut c = chain(10);
        c[4].detail = "someone-else".into();
        let p = check_chain(&c, TZ).unwrap();
        assert_eq!(p.entry, 5);
        assert_eq!(
            p.message,
            "The audit trail is broken at entry 5 (Thursday 5 November 2026, 09:00, client_updated): it was changed after it was written."
        );
    }

    #[test]
    fn an_edited_and_resealed_entry_is_named_not_its_neighbour() {
        let mut c = chain(10);
        c[4].event = "client_created".into();
        let h = c[4].expected_seal(c[4].prev_hash.as_deref().unwrap());
        c[4].hash = Some(h);
        let p = check_chain(&c, TZ).unwrap();
        assert_eq!(p.entry, 5);
        assert!(
            p.message.contains("changed and sealed again"),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_removed_entry_is_named_with_the_entries_around_it() {
        let mut c = chain(10);
        c.remove(6);
        let p = check_chain(&c, TZ).unwrap();
        assert_eq!(p.entry, 7);
        assert!(p.message.starts_with("The audit trail is broken at entry 7: entry 7 was removed (the trail goes from entry 6 (Friday 6 November 2026"), "{}", p.message);
        let mut c = chain(10);
        c.drain(0..3);
        let p = check_chain(&c, TZ).unwrap();
        assert_eq!(p.entry, 1);
        assert!(
            p.message
                .contains("entries 1 to 3 were removed (the trail starts at entry 4"),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_removed_entry_with_the_rest_renumbered_and_resealed_passes_alone() {
        // The limit of a chain on its own: a consistent rewrite. Anchors catch it.
        let original = chain(10);
        let mut c = original.clone();
        c.remove(6);
        for (i, e) in c.iter_mut().enumerate() {
            e.number = i as i64 + 1;
        }
        reseal_from(&mut c, 6);
        assert_eq!(check_chain(&c, TZ), None);
        let p = check_against_anchor(&c, &anchor(&original), "record.pdf", TZ).unwrap();
        assert_eq!(p.entry, 10);
        assert!(
            p.message
                .contains("recorded 10 entries when it was made, and the vault now has 9"),
            "{}",
            p.message
        );
        let p = check_against_copy(&c, &original[..8], "monday.vault", TZ).unwrap();
        assert_eq!(p.entry, 7, "{}", p.message);
        assert!(
            p.message
                .contains("differs from the same entry in monday.vault"),
            "{}",
            p.message
        );
    }

    #[test]
    fn an_unsealed_entry_is_reported() {
        let mut c = chain(3);
        c[2].hash = None;
        let p = check_chain(&c, TZ).unwrap();
        assert_eq!(p.entry, 3);
        assert!(p.message.contains("no seal"));
    }

    #[test]
    fn truncation_shows_against_an_anchor_and_a_copy_but_not_alone() {
        let full = chain(12);
        let cut = full[..9].to_vec();
        assert_eq!(check_chain(&cut, TZ), None);
        let p = check_against_anchor(&cut, &anchor(&full), "notes.md", TZ).unwrap();
        assert_eq!(p.entry, 10);
        assert_eq!(
            p.message,
            "The audit trail is broken at entry 10: notes.md recorded 12 entries when it was made, and the vault now has 9, so entries were removed since."
        );
        let p = check_against_copy(&cut, &full, "monday.vault", TZ).unwrap();
        assert_eq!(p.entry, 10);
        assert_eq!(
            p.message,
            "The audit trail is broken at entry 10 (Tuesday 10 November 2026, 09:00, client_updated, in the backup): monday.vault holds 12 entries, and the vault now has 9; entries 10 to 12 were removed."
        );
    }

    #[test]
    fn a_rewritten_chain_shows_against_an_anchor_at_the_anchor_entry() {
        let original = chain(8);
        let mut c = original.clone();
        c[2].detail = "rewritten".into();
        reseal_from(&mut c, 2);
        assert_eq!(check_chain(&c, TZ), None);
        let p = check_against_anchor(&c, &anchor(&original[..6]), "record.pdf", TZ).unwrap();
        assert_eq!(p.entry, 6);
        assert!(p.message.contains("rewritten after record.pdf was made"));
        // The backup has the entries themselves, so it names the first changed one.
        assert_eq!(
            p.message,
            format!(
                "The audit trail does not match record.pdf at entry 6 (Friday 6 November 2026, 09:00, client_updated): its seal there was {}, the vault's is now {}; the trail up to that entry was rewritten after record.pdf was made.",
                AuditAnchor::short(original[5].hash.as_deref().unwrap()),
                AuditAnchor::short(c[5].hash.as_deref().unwrap())
            )
        );
        let p = check_against_copy(&c, &original[..6], "monday.vault", TZ).unwrap();
        assert_eq!(p.entry, 3);
        assert_eq!(
            p.message,
            "The audit trail is broken at entry 3 (Tuesday 3 November 2026, 09:00, client_updated): it differs from the same entry in monday.vault (Tuesday 3 November 2026, 09:00, client_updated), so it was changed after monday.vault was made."
        );
    }

    #[test]
    fn later_entries_after_the_reference_are_fine() {
        let full = chain(12);
        assert_eq!(
            check_against_anchor(&full, &anchor(&full[..5]), "a", TZ),
            None
        );
        assert_eq!(check_against_copy(&full, &full[..5], "b", TZ), None);
    }

    #[test]
    fn a_backup_made_before_seals_existed_is_sealed_the_same_way() {
        let full = chain(6);
        let old: Vec<StoredEntry> = full[..4]
            .iter()
            .map(|e| StoredEntry {
                prev_hash: None,
                hash: None,
                ..e.clone()
            })
            .collect();
        assert_eq!(seals_of_copy(&old), seals_of_copy(&full[..4]));
        assert_eq!(check_against_copy(&full, &old, "old.vault", TZ), None);
        let mut edited = full.clone();
        edited[1].detail = "x".into();
        reseal_from(&mut edited, 1);
        assert_eq!(
            check_against_copy(&edited, &old, "old.vault", TZ)
                .unwrap()
                .entry,
            2
        );
    }

    #[test]
    fn a_tampered_backup_cannot_vouch() {
        let full = chain(6);
        let mut copy = full[..4].to_vec();
        copy[1].detail = "x".into();
        let p = check_against_copy(&full, &copy, "monday.vault", TZ).unwrap();
        assert_eq!(
            p.message,
            "monday.vault cannot vouch for the vault: its own audit trail is broken at entry 2 (Monday 2 November 2026, 09:00, client_updated): it was changed after it was written."
        );
    }
}
