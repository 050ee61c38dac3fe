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
        let ids = match client {
            None => None,
            Some(c) => Some(match self.find_client(c) {
                Ok(found) => store::audit::ids_of_client(self.conn(), &found.id)?,
                Err(Error::NotFound { .. }) if looks_like_an_id(c.trim()) => {
                    vec![c.trim().to_owned()]
                }
                Err(e) => return Err(e),
            }),
        };
        let tz = self.practice_time_zone()?;
        Ok(store::audit::entries(self.conn())?
            .into_iter()
            .filter(|e| {
                ids.as_ref()
                    .is_none_or(|ids| ids.iter().any(|id| e.detail.contains(id.as_str())))
            })
            .map(|e| AuditEntry {
                at_local: DateTime::parse_from_rfc3339(&e.at)
                    .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_else(|_| e.at.clone()),
                number: e.number,
                at: e.at,
                label: event_label(&e.event),
                event: e.event,
                detail: e.detail,
                hash: e.hash,
            })
            .collect())
    }

    /// One page of the trail for the viewer in Settings: up to `limit` entries older
    /// than entry `before` (or the newest), newest first; with `client`, only theirs.
    pub fn audit_page(
        &self,
        client: Option<&str>,
        before: Option<i64>,
        limit: usize,
    ) -> Result<AuditPage> {
        let all = self.audit_entries(client)?;
        let matching = all.len() as i64;
        let mut older: Vec<AuditEntry> = all
            .into_iter()
            .filter(|e| before.is_none_or(|b| e.number < b))
            .collect();
        let start = older.len().saturating_sub(limit.max(1));
        let mut entries = older.split_off(start);
        entries.reverse();
        Ok(AuditPage {
            entries,
            matching,
            older: !older.is_empty(),
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
