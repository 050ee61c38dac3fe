//! What exports read: the notes and addenda in an export's scope (a client or the whole
//! practice, a range of session dates) with their clients, and the scheduled sessions
//! a calendar file lists.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use crate::error::Result;
use crate::model::notes::{StoredAddendum, StoredNote};
use crate::model::session::SessionView;
use crate::store::notes::{NOTE_COLUMNS, addendum_from_row, note_from_row};
use crate::store::sessions::{
    COLUMNS as SESSION_COLUMNS, Cols as SessionCols, read as read_session,
};

/// Which notes an export covers. Dates are local session dates, `YYYY-MM-DD`, inclusive.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    /// `None`: every client.
    pub client_id: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// The addenda of the notes in scope, by session id, each session's in order.
pub fn addenda_in_scope(
    conn: &Connection,
    scope: Scope<'_>,
) -> Result<HashMap<String, Vec<StoredAddendum>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.session_id AS session_id, a.id AS id, a.seq AS seq, a.text AS text,
                a.signed_at AS signed_at, a.signed_by AS signed_by,
                a.content_sha256 AS content_sha256
         FROM note_addenda a JOIN sessions s ON s.id = a.session_id
         JOIN courses k ON k.id = s.course_id
         WHERE (?1 IS NULL OR k.client_id = ?1)
           AND (?2 IS NULL OR substr(s.starts_local, 1, 10) >= ?2)
           AND (?3 IS NULL OR substr(s.starts_local, 1, 10) <= ?3)
         ORDER BY a.session_id, a.seq",
    )?;
    let rows = stmt.query_map(params![scope.client_id, scope.from, scope.to], |r| {
        Ok((r.get::<_, String>("session_id")?, addendum_from_row(r)?))
    })?;
    let mut by_session: HashMap<String, Vec<StoredAddendum>> = HashMap::new();
    for row in rows {
        let (session, a) = row?;
        by_session.entry(session).or_default().push(a);
    }
    Ok(by_session)
}

/// The client a note in scope belongs to, as the export names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteClient {
    pub id: String,
    pub legal_name: String,
    pub preferred_name: String,
    pub date_of_birth: String,
}

/// One note in scope, with its session and client, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopedNote {
    pub session: SessionView,
    pub client: NoteClient,
    pub note: StoredNote,
    /// Read only when asked for (`None` otherwise, and when there is none).
    pub psychotherapy_note: Option<String>,
}

/// The notes in scope, by client (legal name, then id), oldest session first.
pub fn notes_in_scope(
    conn: &Connection,
    scope: Scope<'_>,
    with_psychotherapy_notes: bool,
) -> Result<Vec<ScopedNote>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS}, c.id AS client_id, c.legal_name AS legal_name,
                c.preferred_name AS preferred_name, c.date_of_birth AS date_of_birth,
                {NOTE_COLUMNS},
                CASE WHEN ?4 THEN (SELECT p.text FROM psychotherapy_notes p WHERE p.session_id = s.id) END
                    AS psychotherapy_note
         FROM notes n JOIN sessions s ON s.id = n.session_id
         JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
         WHERE (?1 IS NULL OR c.id = ?1)
           AND (?2 IS NULL OR substr(s.starts_local, 1, 10) >= ?2)
           AND (?3 IS NULL OR substr(s.starts_local, 1, 10) <= ?3)
         ORDER BY c.legal_name COLLATE NOCASE, c.id, s.starts_utc, s.id"
    ))?;
    let cols = SessionCols::of(&stmt)?;
    let rows = stmt.query_map(
        params![
            scope.client_id,
            scope.from,
            scope.to,
            with_psychotherapy_notes
        ],
        |r| {
            Ok(ScopedNote {
                session: read_session(r, &cols)?,
                client: NoteClient {
                    id: r.get("client_id")?,
                    legal_name: r.get("legal_name")?,
                    preferred_name: r.get("preferred_name")?,
                    date_of_birth: r.get("date_of_birth")?,
                },
                note: note_from_row(r)?,
                psychotherapy_note: r.get("psychotherapy_note")?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Scheduled sessions starting from `since` on, of clients not archived, in order of
/// start, each with its client's legal name.
pub fn scheduled_since(
    conn: &Connection,
    since: DateTime<Utc>,
) -> Result<Vec<(SessionView, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS}, c.legal_name AS legal_name FROM sessions s
         JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
         WHERE s.status = 'scheduled' AND s.starts_utc >= ?1 AND c.archived_at IS NULL
         ORDER BY s.starts_utc"
    ))?;
    let cols = SessionCols::of(&stmt)?;
    let rows = stmt.query_map(params![since.to_rfc3339()], |r| {
        Ok((read_session(r, &cols)?, r.get::<_, String>("legal_name")?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
