//! The audit trail as a user sees it: its entries (`audit_entries`), its head
//! (`audit_anchor`, printed on exports), and verifying its hash chain, alone or against
//! an earlier backup or export (`verify_audit`). The chain rules are `rules::audit`;
//! the seal is `model::audit::seal`.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use chrono::DateTime;

use crate::error::{Error, Result};
use crate::model::audit::{
    AuditAnchor, AuditEntry, AuditPage, AuditReport, GENESIS, StoredEntry, event_label, grouped,
};
use crate::passphrase::Passphrase;
use crate::print::anchor::find_anchor;
use crate::rules::audit::{check_against_anchor, check_against_copy, check_chain};
use crate::store;
use crate::vault::Vault;

/// What the trail is checked against.
enum Reference {
    /// An anchor printed on an export: the number and seal of the last entry then.
    Anchor(AuditAnchor),
    /// A backup: the entries themselves.
    Copy(Vec<StoredEntry>),
}

impl Vault {
    /// The head of the audit trail now: printed on exports so that a later rewrite of
    /// the trail shows against them.
    pub fn audit_anchor(&self) -> Result<AuditAnchor> {
        Ok(
            store::audit::head(self.conn())?.unwrap_or_else(|| AuditAnchor {
                entries: 0,
                head: GENESIS.to_owned(),
            }),
        )
    }

    /// The audit trail, oldest first; with `client` (an id or a name, as `find_client`
    /// takes it), only the entries about that client, their courses, sessions and
    /// consent. A deleted client is found by their id alone.
    pub fn audit_entries(&self, client: Option<&str>) -> Result<Vec<AuditEntry>> {
        let tz = self.practice_time_zone()?;
        Ok(self
            .stored_entries_about(client)?
            .into_iter()
            .map(|e| entry_view(e, tz))
            .collect())
    }

    /// The stored entries, oldest first, only those naming the client when one is given.
    fn stored_entries_about(&self, client: Option<&str>) -> Result<Vec<StoredEntry>> {
        let all = store::audit::entries(self.conn())?;
        match client {
            None => Ok(all),
            Some(c) => {
                let about = Naming::new(self.ids_about(c)?);
                Ok(all
                    .into_iter()
                    .filter(|e| about.named_in(&e.detail))
                    .collect())
            }
        }
    }

    /// The ids an entry about this client may name: theirs, their courses, sessions,
    /// consent and measures. A deleted client is found by their id alone.
    fn ids_about(&self, client: &str) -> Result<Vec<String>> {
        match self.find_client(client) {
            Ok(found) => store::audit::ids_of_client(self.conn(), &found.id),
            Err(Error::NotFound { .. }) if looks_like_an_id(client.trim()) => {
                Ok(vec![client.trim().to_owned()])
            }
            Err(e) => Err(e),
        }
    }

    /// One page of the trail for the viewer in Settings: up to `limit` entries older
    /// than entry `before` (or the newest), newest first; with `client`, only theirs.
    /// Only the page is dated and labelled; the whole trail is read only for a client.
    pub fn audit_page(
        &self,
        client: Option<&str>,
        before: Option<i64>,
        limit: usize,
    ) -> Result<AuditPage> {
        let tz = self.practice_time_zone()?;
        let limit = limit.max(1);
        let (entries, matching, older) = match client {
            None => {
                let page = store::audit::page(self.conn(), before, limit)?;
                let older = match page.last() {
                    Some(last) => store::audit::any_before(self.conn(), last.number)?,
                    None => false,
                };
                let matching = self.audit_anchor()?.entries;
                (page, matching, older)
            }
            Some(c) => {
                // Numbers and details only, then the page's entries whole: a client's
                // page of a ten-year trail without dating or copying every entry.
                let about = Naming::new(self.ids_about(c)?);
                let mut numbers: Vec<i64> = store::audit::details(self.conn())?
                    .into_iter()
                    .filter(|(_, detail)| about.named_in(detail))
                    .map(|(n, _)| n)
                    .collect();
                let matching = numbers.len() as i64;
                numbers.retain(|n| before.is_none_or(|b| *n < b));
                let start = numbers.len().saturating_sub(limit);
                let mut page = numbers.split_off(start);
                page.reverse();
                (
                    store::audit::numbered(self.conn(), &page)?,
                    matching,
                    !numbers.is_empty(),
                )
            }
        };
        Ok(AuditPage {
            entries: entries.into_iter().map(|e| entry_view(e, tz)).collect(),
            matching,
            older,
        })
    }

    /// `verify_audit` with nothing to compare against: the chain alone, as the viewer
    /// in Settings checks it.
    pub fn check_audit(&self) -> Result<AuditReport> {
        // No backup is opened, so no passphrase is read.
        self.verify_audit(None, &Passphrase::new(String::new()))
    }

    /// Checks every entry's seal and link, and, with `against`, that the trail still
    /// holds what an earlier backup (opened with `passphrase`) or export recorded. A
    /// broken chain is a finding, not an error: it comes back as `problem`.
    pub fn verify_audit(
        &self,
        against: Option<&Path>,
        passphrase: &Passphrase,
    ) -> Result<AuditReport> {
        let tz = self.practice_time_zone()?;
        let entries = store::audit::entries(self.conn())?;
        let anchor = self.audit_anchor()?;
        let reference = against
            .map(|path| Ok::<_, Error>((path, self.read_reference(path, passphrase)?)))
            .transpose()?;
        let whole = format!(
            "The audit trail is intact: {} {}, each sealed to the one before",
            grouped(anchor.entries),
            if anchor.entries == 1 {
                "entry"
            } else {
                "entries"
            },
        );
        let mut problem = check_chain(&entries, tz);
        let summary = match &reference {
            None => format!("{whole}; head {}.", anchor.head),
            Some((path, r)) => {
                let source = path.display().to_string();
                let (found, matched) = match r {
                    Reference::Anchor(a) => (
                        check_against_anchor(&entries, a, &source, tz),
                        format!(
                            "and entry {} still carries the seal {source} recorded",
                            grouped(a.entries)
                        ),
                    ),
                    Reference::Copy(copy) => (
                        check_against_copy(&entries, copy, &source, tz),
                        format!(
                            "and the {} entries in {source} are all still there, unchanged",
                            grouped(copy.last().map_or(0, |e| e.number))
                        ),
                    ),
                };
                if problem.is_none() {
                    problem = found.map(|mut p| {
                        if let Some(note) = restore_note(&entries, &source, tz) {
                            p.message.push(' ');
                            p.message.push_str(&note);
                        }
                        p
                    });
                }
                format!("{whole}, {matched}; head {}.", anchor.head)
            }
        };
        Ok(AuditReport {
            anchor,
            summary,
            problem,
        })
    }

    fn read_reference(&self, path: &Path, passphrase: &Passphrase) -> Result<Reference> {
        let source = path.display();
        let mut head = Vec::with_capacity(4096);
        File::open(path)
            .and_then(|f| f.take(4096).read_to_end(&mut head))
            .map_err(|e| Error::io("read", path, e))?;
        let is_text = match std::str::from_utf8(&head) {
            Ok(_) => true,
            // Cut inside a character at the 4 KiB mark: still text.
            Err(e) => e.error_len().is_none(),
        };
        if head.starts_with(b"%PDF") || is_text {
            let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
            return find_anchor(&bytes).map(Reference::Anchor).ok_or_else(|| {
                Error::invalid(
                    "against",
                    format!(
                        "{source} holds no audit-trail anchor. Give a backup of the vault, or a PDF, Markdown or JSON file KAP Desk exported."
                    ),
                )
            });
        }
        let copy = self
            .audit_entries_of_copy(path, passphrase)
            .map_err(|e| match e {
                Error::WrongPassphrase => Error::invalid(
                    "against",
                    format!(
                        "The backup {source} does not open with the vault's passphrase. If it was made before the passphrase was changed, restore it elsewhere with its own passphrase and check from there."
                    ),
                ),
                Error::Damaged { .. } => Error::invalid(
                    "against",
                    format!(
                        "{source} is neither a backup of a KAP Desk vault nor a file KAP Desk exported, or it is damaged."
                    ),
                ),
                other => other,
            })?;
        // A backup carries its own head: the entries themselves, checked one by one.
        Ok(Reference::Copy(copy))
    }
}

/// A restore puts back the trail the backup held: a reference made between that backup
/// and the restore then no longer matches, and the user should be told why it may not.
fn restore_note(entries: &[StoredEntry], source: &str, tz: chrono_tz::Tz) -> Option<String> {
    let restored = entries
        .iter()
        .rev()
        .find(|e| e.event == "restored_from_backup")?;
    Some(format!(
        "The vault was restored from a backup on {}: if {source} was made between that backup and the restore, this is why (the vault the restore replaced was kept beside it).",
        crate::dates::stamp_in(tz, &restored.at)
    ))
}

/// A record id as KAP Desk writes them (a UUID), to look up a deleted client.
fn looks_like_an_id(s: &str) -> bool {
    s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// An entry as the viewer and `kapdesk audit list` show it: dated in the practice's time.
fn entry_view(e: StoredEntry, tz: chrono_tz::Tz) -> AuditEntry {
    AuditEntry {
        at_local: DateTime::parse_from_rfc3339(&e.at)
            .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|_| e.at.clone()),
        number: e.number,
        at: e.at,
        label: event_label(&e.event),
        event: e.event,
        detail: e.detail,
        hash: e.hash,
    }
}

/// Which entries name one of a client's ids. Ids are UUIDs: a detail's UUID-shaped words
/// are looked up in a set, one pass over the detail, instead of searching it for each of
/// the client's dozens of ids. Any other id is searched for as text.
struct Naming {
    uuids: std::collections::HashSet<String>,
    others: Vec<String>,
}

impl Naming {
    fn new(ids: Vec<String>) -> Naming {
        let (uuids, others): (Vec<String>, Vec<String>) =
            ids.into_iter().partition(|id| is_uuid(id));
        Naming {
            uuids: uuids.into_iter().collect(),
            others,
        }
    }

    /// The same answer as searching the detail for each id: a UUID, made of hex digits
    /// and dashes only, lies inside one such word, at any of its offsets.
    fn named_in(&self, detail: &str) -> bool {
        detail
            .split(|ch: char| !(ch.is_ascii_hexdigit() || ch == '-'))
            .filter(|word| word.len() >= 36)
            .any(|word| {
                (0..=word.len() - 36).any(|i| {
                    let w = &word[i..i + 36];
                    is_uuid(w) && self.uuids.contains(w)
                })
            })
            || self.others.iter().any(|id| detail.contains(id.as_str()))
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, ch)| match i {
            8 | 13 | 18 | 23 => ch == '-',
            _ => ch.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_finds_an_id_wherever_searching_for_it_would() {
        let a = "0b6c2f1e-7d3a-4c5b-9e8f-1a2b3c4d5e6f";
        let b = "ffffffff-0000-4000-8000-000000000001";
        let naming = Naming::new(vec![a.into(), b.into(), "legacy-7".into()]);
        for detail in [
            a.to_owned(),
            format!("session {a}"),
            format!("vitals:{a}"),
            format!("c-{a}-x"),
            format!("{b},{a}"),
            format!("moved 3f-{b}"),
            "an entry about legacy-7".to_owned(),
        ] {
            assert!(naming.named_in(&detail), "{detail}");
        }
        for detail in [
            "",
            "0b6c2f1e-7d3a-4c5b-9e8f-1a2b3c4d5e6",
            "0b6c2f1e 7d3a 4c5b 9e8f 1a2b3c4d5e6f",
            "11111111-2222-4333-8444-555555555555",
        ] {
            assert!(!naming.named_in(detail), "{detail}");
        }
    }
}
