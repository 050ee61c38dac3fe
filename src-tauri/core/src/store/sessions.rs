//! Sessions: reading them with their label and note state, and writing bookings and
//! status changes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Statement, params};

use crate::error::{Error, Result};
use crate::model::client::display_name;
use crate::model::notes::NoteState;
use crate::model::session::{SessionKind, SessionStatus, SessionView, number_sessions};
use crate::model::timeline::AgendaItem;

/// A session's columns, for `from_row`, with its number among the course's sessions of
/// its kind (`ordinal`) and its note's state (`note_state`). Other columns a query adds
/// after these must be aliased, since `from_row` reads by name.
pub const COLUMNS: &str = "s.id AS id, s.course_id AS course_id, s.kind AS kind,
    s.status AS status, s.starts_local AS starts_local, s.time_zone AS time_zone,
    s.duration_min AS duration_min, s.location AS location, s.gate_override AS gate_override,
    s.starts_utc AS starts_utc, s.reopen_reason AS reopen_reason,
    (SELECT count(*) FROM sessions o WHERE o.course_id = s.course_id AND o.kind = s.kind
        AND o.status IN ('scheduled', 'completed')
        AND (o.starts_utc < s.starts_utc OR (o.starts_utc = s.starts_utc AND o.id <= s.id)))
        AS ordinal,
    (SELECT CASE WHEN n.signed_at IS NULL THEN 'draft' ELSE 'signed' END
        FROM notes n WHERE n.session_id = s.id) AS note_state";

/// The same columns without the per-row numbering subquery, for loading whole courses:
/// `model::session::number_sessions` then labels them in one pass (the subquery made
/// the dashboard over 300 clients take a second).
pub const WHOLE_COURSE_COLUMNS: &str = "s.id AS id, s.course_id AS course_id, s.kind AS kind,
    s.status AS status, s.starts_local AS starts_local, s.time_zone AS time_zone,
    s.duration_min AS duration_min, s.location AS location, s.gate_override AS gate_override,
    s.starts_utc AS starts_utc, s.reopen_reason AS reopen_reason, 0 AS ordinal,
    (SELECT CASE WHEN n.signed_at IS NULL THEN 'draft' ELSE 'signed' END
        FROM notes n WHERE n.session_id = s.id) AS note_state";

/// Where the columns of `COLUMNS` are in a statement, found by name once per statement:
/// a by-name lookup for every value (an FFI call and a string scan per column) cost the
/// dashboard a third of its time over 15,000 sessions.
pub struct Cols {
    id: usize,
    course_id: usize,
    kind: usize,
    status: usize,
    starts_local: usize,
    time_zone: usize,
    duration_min: usize,
    location: usize,
    gate_override: usize,
    starts_utc: usize,
    reopen_reason: usize,
    ordinal: usize,
    note_state: usize,
}

impl Cols {
    pub fn of(stmt: &Statement<'_>) -> rusqlite::Result<Cols> {
        Ok(Cols {
            id: stmt.column_index("id")?,
            course_id: stmt.column_index("course_id")?,
            kind: stmt.column_index("kind")?,
            status: stmt.column_index("status")?,
            starts_local: stmt.column_index("starts_local")?,
            time_zone: stmt.column_index("time_zone")?,
            duration_min: stmt.column_index("duration_min")?,
            location: stmt.column_index("location")?,
            gate_override: stmt.column_index("gate_override")?,
            starts_utc: stmt.column_index("starts_utc")?,
            reopen_reason: stmt.column_index("reopen_reason")?,
            ordinal: stmt.column_index("ordinal")?,
            note_state: stmt.column_index("note_state")?,
        })
    }
}

/// A session from a row of a statement selecting `COLUMNS` (or `WHOLE_COURSE_COLUMNS`).
pub fn from_row(r: &Row<'_>) -> rusqlite::Result<SessionView> {
    read(r, &Cols::of(r.as_ref())?)
}

/// The same, with the columns found once for the statement.
pub fn read(r: &Row<'_>, c: &Cols) -> rusqlite::Result<SessionView> {
    let kind = SessionKind::parse(&r.get::<_, String>(c.kind)?).unwrap_or(SessionKind::Other);
    let status =
        SessionStatus::parse(&r.get::<_, String>(c.status)?).unwrap_or(SessionStatus::Scheduled);
    let local: String = r.get(c.starts_local)?;
    let utc: String = r.get(c.starts_utc)?;
    let ordinal: u32 = r.get(c.ordinal)?;
    let note = match r.get::<_, Option<String>>(c.note_state)?.as_deref() {
        Some("signed") => NoteState::Signed,
        Some(_) => NoteState::Draft,
        None => NoteState::None,
    };
    Ok(SessionView {
        id: r.get(c.id)?,
        course_id: r.get(c.course_id)?,
        kind,
        status,
        date: local.get(..10).unwrap_or_default().to_owned(),
        time: local.get(11..16).unwrap_or_default().to_owned(),
        time_zone: r.get(c.time_zone)?,
        duration_min: r.get(c.duration_min)?,
        location: r.get(c.location)?,
        gate_override: r.get(c.gate_override)?,
        reopen_reason: r.get(c.reopen_reason)?,
        label: SessionView::label_for(kind, status, ordinal),
        note,
        can_write_note: status.may_have_note(),
        can_reopen: status == SessionStatus::Completed
            && kind != SessionKind::Dosing
            && note != NoteState::Signed,
        starts_utc: DateTime::parse_from_rfc3339(&utc)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default(),
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<SessionView> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sessions s WHERE s.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "That session".into(),
        })
}

/// A course's sessions in order of start (ties by id, as everywhere), labelled.
pub fn of_course(conn: &Connection, course_id: &str) -> Result<Vec<SessionView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {WHOLE_COURSE_COLUMNS} FROM sessions s WHERE s.course_id = ?1 ORDER BY s.starts_utc, s.id"
    ))?;
    let cols = Cols::of(&stmt)?;
    let mut rows = stmt
        .query_map([course_id], |r| read(r, &cols))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    number_sessions(&mut rows);
    Ok(rows)
}

/// Every session of a client, any course, oldest first.
pub fn of_client(conn: &Connection, client_id: &str) -> Result<Vec<SessionView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sessions s JOIN courses k ON k.id = s.course_id
         WHERE k.client_id = ?1 ORDER BY s.starts_utc, s.id"
    ))?;
    let cols = Cols::of(&stmt)?;
    let rows = stmt.query_map([client_id], |r| read(r, &cols))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A session to be booked; times already resolved in the practice's zone.
pub struct NewSession<'a> {
    pub id: &'a str,
    pub course_id: &'a str,
    pub kind: SessionKind,
    pub starts_local: NaiveDateTime,
    pub time_zone: &'a str,
    pub starts_utc: DateTime<Utc>,
    pub duration_min: u32,
    pub location: &'a str,
    /// The written reason when booked while checks were open.
    pub gate_override: Option<&'a str>,
}

pub fn insert(conn: &Connection, s: &NewSession<'_>, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO sessions (id, course_id, kind, starts_local, time_zone, starts_utc, duration_min,
            location, gate_override, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        params![
            s.id,
            s.course_id,
            s.kind.as_str(),
            s.starts_local.format("%Y-%m-%dT%H:%M").to_string(),
            s.time_zone,
            s.starts_utc.to_rfc3339(),
            s.duration_min,
            s.location,
            s.gate_override,
            now.to_rfc3339(),
        ],
    )?;
    Ok(())
}

/// Puts a completed session back to booked, keeping why.
pub fn reopen(conn: &Connection, id: &str, reason: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET status = 'scheduled', reopen_reason = ?2, updated_at = ?3
         WHERE id = ?1 AND status = 'completed'",
        params![id, reason, now.to_rfc3339()],
    )?;
    Ok(())
}

pub fn set_status(
    conn: &Connection,
    id: &str,
    status: SessionStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), now.to_rfc3339()],
    )?;
    Ok(())
}

/// Sessions starting in `[from, to)` of clients not archived, not cancelled (and only
/// scheduled ones when asked), each with its client.
pub fn agenda(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    only_scheduled: bool,
) -> Result<Vec<AgendaItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, c.id AS client_id, c.legal_name AS legal_name,
                c.preferred_name AS preferred_name
         FROM sessions s JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
         WHERE s.starts_utc >= ?1 AND s.starts_utc < ?2 AND c.archived_at IS NULL
           AND (NOT ?3 OR s.status = 'scheduled') AND s.status != 'cancelled'
         ORDER BY s.starts_utc"
    ))?;
    let cols = Cols::of(&stmt)?;
    let rows = stmt.query_map(
        params![from.to_rfc3339(), to.to_rfc3339(), only_scheduled],
        |r| {
            Ok(AgendaItem {
                session: read(r, &cols)?,
                client_id: r.get("client_id")?,
                client_name: display_name(
                    &r.get::<_, String>("legal_name")?,
                    &r.get::<_, String>("preferred_name")?,
                ),
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The protocol sessions (preparation, dosing, integration) of every active client's
/// current course, by course, in no particular order: the caller sorts each course's few.
pub fn protocol_sessions_of_active_courses(
    conn: &Connection,
) -> Result<HashMap<String, Vec<SessionView>>> {
    // MATERIALIZED and no ORDER BY: otherwise SQLite flattens the CTE, scans every
    // session in the vault re-running the newest-course subquery for each, and sorts
    // them all; that was two thirds of the dashboard.
    let mut stmt = conn.prepare_cached(&format!(
        "WITH current AS MATERIALIZED (
            SELECT k.id FROM clients c JOIN current_courses k ON k.client_id = c.id
            WHERE c.archived_at IS NULL AND c.status NOT IN ('completed', 'discharged'))
         SELECT {WHOLE_COURSE_COLUMNS} FROM current JOIN sessions s ON s.course_id = current.id
         WHERE s.kind IN ('preparation', 'dosing', 'integration')"
    ))?;
    let mut by_course: HashMap<String, Vec<SessionView>> = HashMap::new();
    let cols = Cols::of(&stmt)?;
    for s in stmt.query_map([], |r| read(r, &cols))? {
        let s = s?;
        by_course.entry(s.course_id.clone()).or_default().push(s);
    }
    Ok(by_course)
}

/// Per current course of an active client: the date of the last completed session (of
/// any kind) and whether anything is booked from `now` on. Two index seeks per course
/// on (course_id, starts_utc), not a scan of every session.
pub fn activity_of_active_courses(
    conn: &Connection,
    now: DateTime<Utc>,
) -> Result<HashMap<String, (Option<String>, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id AS course_id,
                (SELECT substr(s.starts_local, 1, 10) FROM sessions s
                  WHERE s.course_id = k.id AND s.starts_utc <= ?1 AND s.status = 'completed'
                  ORDER BY s.starts_utc DESC LIMIT 1) AS last_completed,
                EXISTS (SELECT 1 FROM sessions s
                  WHERE s.course_id = k.id AND s.starts_utc >= ?1 AND s.status = 'scheduled')
                  AS booked_ahead
         FROM clients c JOIN current_courses k ON k.client_id = c.id
         WHERE c.archived_at IS NULL AND c.status NOT IN ('completed', 'discharged')",
    )?;
    let rows = stmt.query_map([now.to_rfc3339()], |r| {
        Ok((
            r.get::<_, String>("course_id")?,
            (
                r.get::<_, Option<String>>("last_completed")?,
                r.get::<_, bool>("booked_ahead")?,
            ),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Moves a booked session to another start, keeping the move in `session_moves`.
pub fn move_to(
    conn: &Connection,
    id: &str,
    from_local: &str,
    starts_local: NaiveDateTime,
    starts_utc: DateTime<Utc>,
    gate_override: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let to_local = starts_local.format("%Y-%m-%dT%H:%M").to_string();
    conn.execute(
        "UPDATE sessions SET starts_local = ?2, starts_utc = ?3,
            gate_override = coalesce(?4, gate_override), updated_at = ?5
         WHERE id = ?1",
        params![
            id,
            to_local,
            starts_utc.to_rfc3339(),
            gate_override,
            now.to_rfc3339()
        ],
    )?;
    conn.execute(
        "INSERT INTO session_moves (session_id, from_local, to_local, moved_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![id, from_local, to_local, now.to_rfc3339()],
    )?;
    Ok(())
}

/// Every move of a session, oldest first: (from, to) as `YYYY-MM-DDTHH:MM`.
pub fn moves(conn: &Connection, id: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_local, to_local FROM session_moves WHERE session_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get("from_local")?, r.get("to_local")?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
