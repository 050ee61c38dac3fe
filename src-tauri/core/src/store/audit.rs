//! The audit trail: one append-only table, written by every audited write inside that
//! write's own transaction, so an entry exists exactly when the change does.
//!
//! Each entry is sealed to the one before it (`model::audit::seal`, a SHA-256 hash
//! chain; migration 11). Entries are numbered 1, 2, 3… by their row id, written
//! explicitly: should two writers ever race, the second insert fails on the taken
//! number instead of forking the chain.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::model::audit::{AuditAnchor, GENESIS, StoredEntry, seal};
use crate::store::Columns;

/// Appends one entry, sealed to the current head. `detail` names what was touched (an
/// id, a file), never clinical content or secrets.
pub fn record(conn: &Connection, now: DateTime<Utc>, event: &str, detail: &str) -> Result<()> {
    let (last, prev) = match head(conn)? {
        Some(a) => (a.entries, a.head),
        None => (0, GENESIS.to_owned()),
    };
    let number = last + 1;
    let at = now.to_rfc3339();
    let hash = seal(&prev, number, &at, event, detail);
    conn.prepare_cached(
        "INSERT INTO audit_log (id, at, event, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute((number, at, event, detail, prev, hash))?;
    Ok(())
}

/// The last entry's number and seal; `None` for an empty trail. An unsealed last entry
/// (written outside KAP Desk) gives an empty seal, which verification reports.
pub fn head(conn: &Connection) -> Result<Option<AuditAnchor>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, coalesce(hash, '') AS hash FROM audit_log ORDER BY id DESC LIMIT 1",
        )?
        .query_row([], |r| {
            Ok(AuditAnchor {
                entries: r.get("id")?,
                head: r.get("hash")?,
            })
        })
        .optional()?)
}

/// Every entry, oldest first. Works on a vault of any schema version: a backup made
/// before entries were sealed has no seal columns, and its entries come back unsealed.
pub fn entries(conn: &Connection) -> Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare("SELECT * FROM audit_log ORDER BY id")?;
    let cols = Columns::of(&stmt);
    let sealed = stmt.column_index("hash").is_ok();
    let rows = stmt.query_map([], |r| {
        Ok(StoredEntry {
            number: cols.get(r, "id")?,
            at: cols.get(r, "at")?,
            event: cols.get(r, "event")?,
            detail: cols.get(r, "detail")?,
            prev_hash: if sealed {
                cols.get(r, "prev_hash")?
            } else {
                None
            },
            hash: if sealed { cols.get(r, "hash")? } else { None },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Up to `limit` entries numbered below `before` (or the newest), newest first: one page
/// of the viewer without reading the whole trail. Sealed vaults only (the app's own).
pub fn page(conn: &Connection, before: Option<i64>, limit: usize) -> Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, event, detail, prev_hash, hash FROM audit_log
         WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let cols = Columns::of(&stmt);
    let rows = stmt.query_map((before.unwrap_or(i64::MAX), limit as i64), |r| {
        sealed_entry(r, &cols)
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One row of `SELECT id, at, event, detail, prev_hash, hash`.
fn sealed_entry(r: &rusqlite::Row<'_>, cols: &Columns) -> rusqlite::Result<StoredEntry> {
    Ok(StoredEntry {
        number: cols.get(r, "id")?,
        at: cols.get(r, "at")?,
        event: cols.get(r, "event")?,
        detail: cols.get(r, "detail")?,
        prev_hash: cols.get(r, "prev_hash")?,
        hash: cols.get(r, "hash")?,
    })
}

/// Every entry's number and detail, oldest first: what filtering by client reads, without
/// the dates and seals of entries that will not be shown.
pub fn details(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, detail FROM audit_log ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get("id")?, r.get("detail")?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The entries with these numbers, in the order given.
pub fn numbered(conn: &Connection, numbers: &[i64]) -> Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, event, detail, prev_hash, hash FROM audit_log WHERE id = ?1",
    )?;
    let cols = Columns::of(&stmt);
    let mut out = Vec::with_capacity(numbers.len());
    for n in numbers {
        out.push(stmt.query_row([n], |r| sealed_entry(r, &cols))?);
    }
    Ok(out)
}

/// Whether any entry is numbered below `number`.
pub fn any_before(conn: &Connection, number: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM audit_log WHERE id < ?1) AS older")?
        .query_row([number], |r| r.get("older"))?)
}

/// The ids an entry's detail may name for one client: the client, their courses,
/// sessions, consent checklists and measures.
pub fn ids_of_client(conn: &Connection, client_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT ?1 AS id
         UNION SELECT id FROM courses WHERE client_id = ?1
         UNION SELECT s.id FROM sessions s JOIN courses c ON c.id = s.course_id WHERE c.client_id = ?1
         UNION SELECT k.id FROM consent_checklists k JOIN courses c ON c.id = k.course_id WHERE c.client_id = ?1
         UNION SELECT id FROM measure_administrations WHERE client_id = ?1",
    )?;
    let rows = stmt.query_map([client_id], |r| r.get::<_, String>("id"))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Seals every entry that has no seal yet, in order, each to the one before. Run once,
/// by migration 11, in the migration's own transaction: SQLite has no SHA-256, so the
/// entries written before seals existed are sealed here, by the same function that
/// seals every new entry.
pub fn seal_unsealed(conn: &Connection) -> Result<()> {
    let mut prev = GENESIS.to_owned();
    let mut update =
        conn.prepare("UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1")?;
    for e in entries(conn)? {
        let hash = match e.hash {
            Some(h) => h,
            None => {
                let h = e.expected_seal(&prev);
                update.execute((e.number, &prev, &h))?;
                h
            }
        };
        prev = hash;
    }
    Ok(())
}

/// When `event` last happened (RFC 3339), if ever.
pub fn last_at(conn: &Connection, event: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT at FROM audit_log WHERE event = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([event], |r| r.get("at"))
        .optional()?)
}
