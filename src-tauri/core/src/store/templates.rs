//! The practice's edited copies of printed templates (e.g. the dosing-day handout), by
//! name. No row means the default shipped in `assets/templates/` applies.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// The name the dosing-day handout's template is stored under.
pub const HANDOUT: &str = "dosing-day-handout";

/// The practice's copy of a template, if it edited one.
pub fn get(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT body FROM document_templates WHERE name = ?1")?
        .query_row([name], |r| r.get("body"))
        .optional()?)
}

/// Saves a checked template body under `name`, replacing any earlier copy.
pub fn save(conn: &Connection, name: &str, body: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO document_templates (name, body, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        params![name, body, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Drops the practice's copy, so the default applies again.
pub fn delete(conn: &Connection, name: &str) -> Result<()> {
    conn.execute("DELETE FROM document_templates WHERE name = ?1", [name])?;
    Ok(())
}
