//! The one-row `vault_guard` table: idle lock and automatic backup settings.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::safeguards::GuardSettings;

pub fn settings(conn: &Connection) -> Result<GuardSettings> {
    conn.prepare_cached(
        "SELECT lock_after_minutes, backup_dir, keep_daily, keep_weekly, keep_monthly,
                warn_after_days
         FROM vault_guard WHERE id = 1",
    )?
    .query_row([], |r| {
        Ok(GuardSettings {
            lock_after_minutes: r.get("lock_after_minutes")?,
            backup_dir: r.get("backup_dir")?,
            keep_daily: r.get("keep_daily")?,
            keep_weekly: r.get("keep_weekly")?,
            keep_monthly: r.get("keep_monthly")?,
            warn_after_days: r.get("warn_after_days")?,
        })
    })
    .optional()?
    .ok_or_else(|| Error::damaged("the lock and backup settings row is missing"))
}

pub fn save(conn: &Connection, s: &GuardSettings, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE vault_guard SET lock_after_minutes = ?1, backup_dir = ?2, keep_daily = ?3,
             keep_weekly = ?4, keep_monthly = ?5, warn_after_days = ?6, updated_at = ?7
         WHERE id = 1",
        params![
            s.lock_after_minutes,
            s.backup_dir,
            s.keep_daily,
            s.keep_weekly,
            s.keep_monthly,
            s.warn_after_days,
            now.to_rfc3339(),
        ],
    )?;
    Ok(())
}

/// The backup folder of a vault at any schema version: `None` before the table existed
/// (a vault older than automatic backups has no folder to back up into).
pub fn backup_dir_any_version(conn: &Connection) -> Result<Option<String>> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'vault_guard'",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    Ok(conn
        .query_row("SELECT backup_dir FROM vault_guard WHERE id = 1", [], |r| {
            r.get::<_, Option<String>>("backup_dir")
        })
        .optional()?
        .flatten())
}

/// Marks the vault as the demo practice (migration 19). Set once, by the demo
/// generator, on a vault it has just created; never cleared.
pub fn mark_demo(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE vault_guard SET demo_practice = 1, updated_at = ?1 WHERE id = 1",
        [now.to_rfc3339()],
    )?;
    Ok(())
}

/// Whether the vault is the demo practice, at any schema version: a vault older than
/// the mark (migration 19) is a real one.
pub fn is_demo_any_version(conn: &Connection) -> Result<bool> {
    let has_mark: bool = conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('vault_guard') WHERE name = 'demo_practice'",
        [],
        |r| r.get(0),
    )?;
    if !has_mark {
        return Ok(false);
    }
    Ok(conn
        .query_row(
            "SELECT demo_practice FROM vault_guard WHERE id = 1",
            [],
            |r| r.get::<_, bool>("demo_practice"),
        )
        .optional()?
        .unwrap_or(false))
}

/// Counts shown before a restore: what a backup holds.
pub struct Counts {
    pub clients: u64,
    pub sessions: u64,
    pub signed_notes: u64,
}

pub fn counts(conn: &Connection) -> Result<Counts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM clients) AS clients,
                (SELECT count(*) FROM sessions) AS sessions,
                (SELECT count(*) FROM notes WHERE signed_at IS NOT NULL) AS signed_notes",
        [],
        |r| {
            Ok(Counts {
                clients: r.get::<_, i64>("clients")? as u64,
                sessions: r.get::<_, i64>("sessions")? as u64,
                signed_notes: r.get::<_, i64>("signed_notes")? as u64,
            })
        },
    )?)
}
