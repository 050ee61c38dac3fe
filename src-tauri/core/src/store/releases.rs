//! Releases of information: the client's signed permission for the therapist and the
//! partner medical team to share information, kept per client (it spans courses until
//! it ends).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;
use crate::model::client::ReleaseOfInformation;

fn from_row(r: &Row<'_>) -> rusqlite::Result<ReleaseOfInformation> {
    Ok(ReleaseOfInformation {
        recipient: r.get("recipient")?,
        may_share: r.get("may_share")?,
        signed_on: r.get("signed_on")?,
        valid_until: r
            .get::<_, Option<String>>("valid_until")?
            .unwrap_or_default(),
    })
}

/// The client's newest release (by date signed, then by entry).
pub fn latest(conn: &Connection, client_id: &str) -> Result<Option<ReleaseOfInformation>> {
    Ok(conn
        .prepare_cached(
            "SELECT recipient, may_share, signed_on, valid_until FROM releases_of_information
             WHERE client_id = ?1 ORDER BY signed_on DESC, created_at DESC LIMIT 1",
        )?
        .query_row([client_id], from_row)
        .optional()?)
}

/// The newest release of every client, in one pass.
pub fn latest_per_client(conn: &Connection) -> Result<HashMap<String, ReleaseOfInformation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, recipient, may_share, signed_on, valid_until
         FROM releases_of_information ORDER BY signed_on, created_at",
    )?;
    let mut out = HashMap::new();
    // Rows in date order: the last one of a client wins.
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>("client_id")?, from_row(r)?)))? {
        let (client, release) = row?;
        out.insert(client, release);
    }
    Ok(out)
}

/// `r` is validated; dates are `YYYY-MM-DD` (`valid_until` may be empty).
pub fn insert(
    conn: &Connection,
    id: &str,
    client_id: &str,
    r: &ReleaseOfInformation,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO releases_of_information
             (id, client_id, recipient, may_share, signed_on, valid_until, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            client_id,
            r.recipient,
            r.may_share,
            r.signed_on,
            (!r.valid_until.is_empty()).then_some(&r.valid_until),
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}
