//! Embedded, append-only schema migrations.
//!
//! Each migration runs in its own transaction together with the `user_version` bump and
//! its ledger row, so a crash leaves the vault at the previous version, never between.
//! The ledger keeps each migration's SHA-256: a vault whose history differs from this
//! binary's (an edited migration) is refused instead of silently diverging.
//!
//! A migration is SQL, plus at most one step SQLite cannot do itself (`then`: sealing
//! the audit trail needs SHA-256). That step runs right after the SQL, in the same
//! transaction, so the vault never exists half-migrated; like the SQL it is
//! append-only: it must do the same thing forever, because the ledger's checksum
//! covers the SQL alone.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
    /// Work SQL cannot express, run after `sql` in the same transaction.
    pub then: Option<fn(&Connection) -> Result<()>>,
}

/// In order; `version` is the position starting at 1. Append only.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "practice",
        sql: include_str!("../../migrations/0001_practice.sql"),
        then: None,
    },
    Migration {
        version: 2,
        name: "clients_timeline",
        sql: include_str!("../../migrations/0002_clients_timeline.sql"),
        then: None,
    },
    Migration {
        version: 3,
        name: "consent",
        sql: include_str!("../../migrations/0003_consent.sql"),
        then: None,
    },
    Migration {
        version: 4,
        name: "dosing",
        sql: include_str!("../../migrations/0004_dosing.sql"),
        then: None,
    },
    Migration {
        version: 5,
        name: "notes",
        sql: include_str!("../../migrations/0005_notes.sql"),
        then: None,
    },
    Migration {
        version: 6,
        name: "unsigned_notes_index",
        sql: include_str!("../../migrations/0006_unsigned_notes_index.sql"),
        then: None,
    },
    Migration {
        version: 7,
        name: "current_courses",
        sql: include_str!("../../migrations/0007_current_courses.sql"),
        then: None,
    },
    Migration {
        version: 8,
        name: "completed_dosing_is_closed",
        sql: include_str!("../../migrations/0008_completed_dosing_is_closed.sql"),
        then: None,
    },
    Migration {
        version: 9,
        name: "session_moves",
        sql: include_str!("../../migrations/0009_session_moves.sql"),
        then: None,
    },
    Migration {
        version: 10,
        name: "dosing_watch",
        sql: include_str!("../../migrations/0010_dosing_watch.sql"),
        then: None,
    },
    Migration {
        version: 11,
        name: "audit_chain",
        sql: include_str!("../../migrations/0011_audit_chain.sql"),
        then: Some(crate::store::audit::seal_unsealed),
    },
    Migration {
        version: 12,
        name: "vault_guard",
        sql: include_str!("../../migrations/0013_vault_guard.sql"),
        then: None,
    },
    Migration {
        version: 13,
        name: "clinical_texts",
        sql: include_str!("../../migrations/0014_clinical_texts.sql"),
        then: None,
    },
    Migration {
        version: 14,
        name: "measures",
        sql: include_str!("../../migrations/0015_measures.sql"),
        then: None,
    },
    Migration {
        version: 15,
        name: "open_after_saving",
        sql: include_str!("../../migrations/0016_open_after_saving.sql"),
        then: None,
    },
    Migration {
        version: 16,
        name: "safety_plans",
        sql: include_str!("../../migrations/0017_safety_plans.sql"),
        then: None,
    },
    Migration {
        version: 17,
        name: "search_secure_delete",
        sql: include_str!("../../migrations/0018_search_secure_delete.sql"),
        then: None,
    },
    Migration {
        version: 18,
        name: "demo_practice",
        sql: include_str!("../../migrations/0019_demo_practice.sql"),
        then: None,
    },
    Migration {
        version: 19,
        name: "draft_saves_and_measure_reads",
        sql: include_str!("../../migrations/0020_draft_saves_and_measure_reads.sql"),
        then: None,
    },
];

/// The schema version this binary writes and the newest it can read.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

const LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT";

fn checksum(sql: &str) -> String {
    Sha256::digest(sql.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn user_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))?)
}

/// Refuses vaults from the future and vaults whose applied history differs from ours.
/// Reads only: safe to call on a vault we must not write to.
pub(crate) fn check_compatible(conn: &Connection) -> Result<u32> {
    let found = user_version(conn)?;
    if found > latest_version() {
        return Err(Error::NewerVault {
            found,
            supported: latest_version(),
        });
    }
    if found == 0 {
        return Ok(0);
    }
    for m in MIGRATIONS.iter().take(found as usize) {
        let stored: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM schema_migrations WHERE version = ?1",
                [m.version],
                |r| r.get(0),
            )
            .optional()?;
        match stored {
            Some(sum) if sum == checksum(m.sql) => {}
            Some(_) => {
                return Err(Error::damaged(format!(
                    "its schema step {} ({}) differs from this version of KAP Desk",
                    m.version, m.name
                )));
            }
            None => {
                return Err(Error::damaged(format!(
                    "its schema history is missing step {}",
                    m.version
                )));
            }
        }
    }
    Ok(found)
}

/// Brings the vault up to `latest_version()`. Returns the versions applied.
pub(crate) fn migrate(conn: &mut Connection, now: DateTime<Utc>) -> Result<Vec<u32>> {
    migrate_to(conn, now, latest_version())
}

/// Brings the vault up to `target` (tests build vaults as an older version left them).
pub(crate) fn migrate_to(
    conn: &mut Connection,
    now: DateTime<Utc>,
    target: u32,
) -> Result<Vec<u32>> {
    let current = check_compatible(conn)?;
    let mut applied = Vec::new();
    for m in MIGRATIONS
        .iter()
        .skip(current as usize)
        .take_while(|m| m.version <= target)
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(LEDGER)?;
        tx.execute_batch(m.sql)?;
        if let Some(step) = m.then {
            step(&tx)?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?1, ?2, ?3, ?4)",
            (m.version, m.name, checksum(m.sql), now.to_rfc3339()),
        )?;
        // PRAGMA takes no bound parameters; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {}", m.version))?;
        tx.commit()?;
        applied.push(m.version);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                m.version as usize,
                i + 1,
                "migration {} is out of order",
                m.name
            );
        }
    }

    #[test]
    fn every_migration_applies_to_an_empty_database_and_yields_the_expected_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        let applied = migrate(&mut conn, Utc::now()).unwrap();
        assert_eq!(applied, (1..=latest_version()).collect::<Vec<_>>());
        assert_eq!(user_version(&conn).unwrap(), latest_version());

        let mut stmt = conn
            .prepare(
                "SELECT type, name FROM sqlite_schema
                 WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
            )
            .unwrap();
        let objects: Vec<String> = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        drop(stmt);
        assert_eq!(
            objects,
            [
                "index clients_by_name",
                "index consent_checklists_by_course",
                "index dosing_events_by_session",
                "index dosing_vitals_by_session",
                "index measure_administrations_by_client",
                "index measure_administrations_by_course",
                "index notes_unsigned",
                "index releases_by_client",
                "index session_moves_by_session",
                "index sessions_by_course",
                "index sessions_by_start",
                "table audit_log",
                "table clearances",
                "table clients",
                "table consent_checklists",
                "table consent_items",
                "table consent_template_origins",
                "table consent_templates",
                "table consent_withdrawals",
                "table courses",
                "table document_templates",
                "table dosing_checks",
                "table dosing_events",
                "table dosing_records",
                "table dosing_settings",
                "table dosing_vitals",
                "table form_drafts",
                "table measure_administrations",
                "table measure_safety_responses",
                "table measure_settings",
                "table note_addenda",
                "table note_search",
                "table note_search_config",
                "table note_search_content",
                "table note_search_data",
                "table note_search_docsize",
                "table note_search_idx",
                "table notes",
                "table practice_settings",
                "table prescriptions",
                "table protocol_settings",
                "table psychotherapy_notes",
                "table releases_of_information",
                "table safety_plans",
                "table schema_migrations",
                "table session_moves",
                "table sessions",
                "table vault_guard",
                "trigger addenda_are_kept",
                "trigger addenda_follow_a_signed_note",
                "trigger addenda_never_change",
                "trigger addendum_search_delete",
                "trigger addendum_search_insert",
                "trigger audit_log_entries_are_sealed",
                "trigger audit_log_is_append_only_delete",
                "trigger audit_log_is_append_only_update",
                "trigger completed_dosing_checks_delete",
                "trigger completed_dosing_checks_insert",
                "trigger completed_dosing_checks_update",
                "trigger completed_dosing_events_delete",
                "trigger completed_dosing_events_insert",
                "trigger completed_dosing_events_update",
                "trigger completed_dosing_is_closed",
                "trigger completed_dosing_is_kept",
                "trigger completed_dosing_record_delete",
                "trigger completed_dosing_record_insert",
                "trigger completed_dosing_record_update",
                "trigger completed_dosing_vitals_delete",
                "trigger completed_dosing_vitals_insert",
                "trigger completed_dosing_vitals_update",
                "trigger consent_templates_never_change",
                "trigger measure_administrations_never_change",
                "trigger measure_safety_responses_never_change",
                "trigger note_search_delete",
                "trigger note_search_insert",
                "trigger note_search_update",
                "trigger safety_plans_never_change",
                "trigger signed_consent_is_locked",
                "trigger signed_consent_items_are_locked_insert",
                "trigger signed_consent_items_are_locked_update",
                "trigger signed_note_is_kept",
                "trigger signed_note_is_locked",
                "view current_courses",
            ]
        );
        // A second run is a no-op.
        assert!(migrate(&mut conn, Utc::now()).unwrap().is_empty());
    }

    #[test]
    fn a_vault_from_a_newer_version_is_refused_with_a_sentence() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Utc::now()).unwrap();
        conn.execute_batch(&format!("PRAGMA user_version = {}", latest_version() + 1))
            .unwrap();
        let err = migrate(&mut conn, Utc::now()).unwrap_err();
        assert!(matches!(err, Error::NewerVault { .. }));
        assert!(
            err.to_string().contains("newer version of KAP Desk"),
            "{err}"
        );
    }

    #[test]
    fn the_clinical_texts_step_knows_which_consent_versions_are_the_shipped_default() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, Utc::now(), 12).unwrap();
        // A vault as version 12 left it: the seeded default (v1), a practice's edit (v2),
        // an edited handout, and no clear-liquids window set.
        conn.execute_batch(
            "INSERT INTO consent_templates (template_id, version, body, created_at) VALUES
                 ('kap-informed-consent', 1, '{}', '2026-01-01T00:00:00Z'),
                 ('kap-informed-consent', 2, '{}', '2026-02-01T00:00:00Z');
             INSERT INTO document_templates (name, body, updated_at)
                 VALUES ('dosing-day-handout', 'title = \"x\"', '2026-02-01T00:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn, Utc::now()).unwrap();
        let origins: Vec<(u32, Option<u32>, u32)> = conn
            .prepare(
                "SELECT version, default_revision, based_on_revision
                 FROM consent_template_origins ORDER BY version",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(origins, [(1, Some(1), 1), (2, None, 1)]);
        let (revision, liquids, notice): (u32, i64, i64) = conn
            .query_row(
                "SELECT (SELECT based_on_revision FROM document_templates),
                        fasting_liquid_hours, cancellation_notice_hours
                 FROM dosing_settings",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((revision, liquids, notice), (1, 2, 48));
    }

    #[test]
    fn an_edited_migration_is_detected() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Utc::now()).unwrap();
        conn.execute(
            "UPDATE schema_migrations SET sha256 = 'x' WHERE version = 1",
            [],
        )
        .unwrap();
        assert!(matches!(
            check_compatible(&conn),
            Err(Error::Damaged { .. })
        ));
    }

    #[test]
    fn the_audit_log_cannot_be_rewritten() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Utc::now()).unwrap();
        crate::store::audit::record(&conn, Utc::now(), "e", "").unwrap();
        let upd = conn
            .execute("UPDATE audit_log SET event = 'x'", [])
            .unwrap_err();
        assert!(upd.to_string().contains("append-only"));
        // Not even the seal, once it is there.
        let reseal = conn
            .execute("UPDATE audit_log SET hash = 'x'", [])
            .unwrap_err();
        assert!(reseal.to_string().contains("append-only"));
        assert!(conn.execute("DELETE FROM audit_log", []).is_err());
        // An entry written around the store, without its seal, is refused.
        let unsealed = conn
            .execute("INSERT INTO audit_log (at, event) VALUES ('t', 'e')", [])
            .unwrap_err();
        assert!(unsealed.to_string().contains("seal"), "{unsealed}");
    }

    #[test]
    fn entries_written_before_seals_existed_are_sealed_in_order_by_the_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, Utc::now(), 10).unwrap();
        for (at, event, detail) in [
            ("2026-11-01T09:00:00+00:00", "vault_created", ""),
            ("2026-11-02T10:00:00+00:00", "client_created", "c1"),
            (
                "2026-11-03T11:00:00+00:00",
                "backup_written",
                "/tmp/a, b.vault",
            ),
        ] {
            conn.execute(
                "INSERT INTO audit_log (at, event, detail) VALUES (?1, ?2, ?3)",
                (at, event, detail),
            )
            .unwrap();
        }
        assert_eq!(migrate(&mut conn, Utc::now()).unwrap().first(), Some(&11));

        let entries = crate::store::audit::entries(&conn).unwrap();
        assert_eq!(entries.len(), 3);
        let mut prev = crate::model::audit::GENESIS.to_owned();
        for e in &entries {
            assert_eq!(e.prev_hash.as_deref(), Some(prev.as_str()));
            assert_eq!(e.hash, Some(e.expected_seal(&prev)), "entry {}", e.number);
            prev = e.hash.clone().unwrap();
        }
        // New entries continue the same chain.
        crate::store::audit::record(&conn, Utc::now(), "schema_upgraded", "to version 11").unwrap();
        let last = crate::store::audit::entries(&conn).unwrap().pop().unwrap();
        assert_eq!((last.number, last.prev_hash), (4, Some(prev)));
        // And the entries themselves still cannot change.
        assert!(
            conn.execute("UPDATE audit_log SET detail = 'x' WHERE id = 2", [])
                .is_err()
        );
    }
}
