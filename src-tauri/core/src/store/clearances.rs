//! Medical clearances from the partner medical team, per treatment course.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;
use crate::model::session::Clearance;

fn from_row(r: &Row<'_>) -> rusqlite::Result<Clearance> {
    Ok(Clearance {
        clinician: r.get("clinician")?,
        organisation: r.get("organisation")?,
        cleared_on: r.get("cleared_on")?,
        valid_until: r.get("valid_until")?,
    })
}

/// The course's newest clearance (by date given, then by entry).
pub fn latest(conn: &Connection, course_id: &str) -> Result<Option<Clearance>> {
    Ok(conn
        .prepare_cached(
            "SELECT clinician, organisation, cleared_on, valid_until FROM clearances
             WHERE course_id = ?1 ORDER BY cleared_on DESC, created_at DESC LIMIT 1",
        )?
        .query_row([course_id], from_row)
        .optional()?)
}

/// The newest clearance of every course, in one pass.
pub fn latest_per_course(conn: &Connection) -> Result<HashMap<String, Clearance>> {
    let mut stmt = conn.prepare_cached(
        "SELECT course_id, clinician, organisation, cleared_on, valid_until FROM clearances
         ORDER BY cleared_on, created_at",
    )?;
    let mut out = HashMap::new();
    // Rows in date order: the last one of a course wins.
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>("course_id")?, from_row(r)?)))? {
        let (course, c) = row?;
        out.insert(course, c);
    }
    Ok(out)
}

/// `c` is validated; dates are `YYYY-MM-DD` (`valid_until` may be empty).
pub fn insert(
    conn: &Connection,
    id: &str,
    course_id: &str,
    c: &Clearance,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO clearances (id, course_id, clinician, organisation, cleared_on, valid_until, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, course_id, c.clinician, c.organisation, c.cleared_on, c.valid_until, now.to_rfc3339()],
    )?;
    Ok(())
}
