//! Treatment courses. A client's current course is their newest (the `current_courses`
//! view, migration 7, is the one place that rule is written).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::model::session::CourseInfo;

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CourseInfo> {
    Ok(CourseInfo {
        id: r.get("id")?,
        number: r.get("number")?,
        started_on: r.get("started_on")?,
    })
}

/// Every course of a client, oldest first.
pub fn list(conn: &Connection, client_id: &str) -> Result<Vec<CourseInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, number, started_on FROM courses WHERE client_id = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map([client_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The client's current course, or None when there is no such client.
pub fn current(conn: &Connection, client_id: &str) -> Result<Option<CourseInfo>> {
    Ok(conn
        .prepare_cached("SELECT id, number, started_on FROM current_courses WHERE client_id = ?1")?
        .query_row([client_id], from_row)
        .optional()?)
}

/// The client a course belongs to.
pub fn client_of(conn: &Connection, course_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT client_id FROM courses WHERE id = ?1")?
        .query_row([course_id], |r| r.get("client_id"))
        .optional()?)
}

pub fn insert(
    conn: &Connection,
    id: &str,
    client_id: &str,
    number: u32,
    started_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO courses (id, client_id, number, started_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, client_id, number, started_on.to_string(), now.to_rfc3339()],
    )?;
    Ok(())
}

/// (client id, current course id) of every active client (not archived, not finished),
/// by legal name.
pub fn current_of_active_clients(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id AS client_id, k.id AS course_id
         FROM clients c JOIN current_courses k ON k.client_id = c.id
         WHERE c.archived_at IS NULL AND c.status NOT IN ('completed', 'discharged')
         ORDER BY c.legal_name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get("client_id")?, r.get("course_id")?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
