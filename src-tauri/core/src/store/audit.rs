//! The audit trail: one append-only table, written by every audited write inside that
//! write's own transaction, so an entry exists exactly when the change does.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;

/// Appends one entry. `detail` names what was touched (an id, a file), never clinical
/// content or secrets.
pub fn record(conn: &Connection, now: DateTime<Utc>, event: &str, detail: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO audit_log (at, event, detail) VALUES (?1, ?2, ?3)")?
        .execute((now.to_rfc3339(), event, detail))?;
    Ok(())
}
