//! Drafts of half-typed forms (a vitals reading, an adverse event), kept in the vault
//! by key so closing the app loses nothing. The body is the UI's own text.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT body FROM form_drafts WHERE key = ?1")?
        .query_row([key], |r| r.get("body"))
        .optional()?)
}

pub fn save(conn: &Connection, key: &str, body: &str, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO form_drafts (key, body, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )?
    .execute(params![key, body, now.to_rfc3339()])?;
    Ok(())
}

pub fn delete(conn: &Connection, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM form_drafts WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

/// Removes every draft whose key names `id` (a client's, course's or session's id, as
/// the UI builds keys: `vitals:<session>`, `measure:<client>:phq9`). Ids are UUIDs, so
/// a key never names one by accident. Returns how many were removed.
pub fn delete_mentioning(conn: &Connection, id: &str) -> Result<usize> {
    Ok(conn
        .prepare_cached("DELETE FROM form_drafts WHERE instr(key, ?1) > 0")?
        .execute([id])?)
}
