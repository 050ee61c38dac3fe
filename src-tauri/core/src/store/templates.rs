//! The practice's edited copies of printed templates (e.g. the dosing-day handout), by
//! name. No row means the default shipped in `assets/templates/` applies.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// The name the dosing-day handout's template is stored under.
pub const HANDOUT: &str = "dosing-day-handout";

/// The practice's copy of a template, if it edited one.
pub fn get(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(get_with_revision(conn, name)?.map(|(body, _)| body))
}

/// The practice's copy and the revision of the shipped default it was saved against.
pub fn get_with_revision(conn: &Connection, name: &str) -> Result<Option<(String, u32)>> {
    Ok(conn
        .prepare_cached("SELECT body, based_on_revision FROM document_templates WHERE name = ?1")?
        .query_row([name], |r| {
            Ok((r.get("body")?, r.get("based_on_revision")?))
        })
        .optional()?)
}

/// Saves a checked template body under `name`, replacing any earlier copy; `revision`
/// is the newest shipped default at the time (the one the practice could compare).
pub fn save(
    conn: &Connection,
    name: &str,
    body: &str,
    revision: u32,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO document_templates (name, body, updated_at, based_on_revision)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
             based_on_revision = excluded.based_on_revision",
        params![name, body, now.to_rfc3339(), revision],
    )?;
    Ok(())
}

/// Records that the practice saw the default of `revision` and kept its own copy.
pub fn keep_own(conn: &Connection, name: &str, revision: u32) -> Result<()> {
    conn.execute(
        "UPDATE document_templates SET based_on_revision = ?2 WHERE name = ?1",
        params![name, revision],
    )?;
    Ok(())
}

/// Drops the practice's copy, so the default applies again.
pub fn delete(conn: &Connection, name: &str) -> Result<()> {
    conn.execute("DELETE FROM document_templates WHERE name = ?1", [name])?;
    Ok(())
}
