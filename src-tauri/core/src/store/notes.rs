//! Session notes (migrations 5 and 6): a note's row and its addenda as stored, saving a
//! draft, signing, adding an addendum, psychotherapy notes, the FTS5 search over notes
//! and addenda, and the drafts left unsigned for the dashboard.
//!
//! The store enforces what signing means (triggers refuse any change to a signed note
//! or an addendum); whether the text still matches its hash is `rules::notes::check`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;
use crate::model::client::display_name;
use crate::model::notes::{NoteFormat, OpenNote, SnippetPart, StoredAddendum, StoredNote};
use crate::model::session::{SessionKind, SessionView};
use crate::store::sessions::{
    COLUMNS as SESSION_COLUMNS, Cols as SessionCols, read as read_session,
};

/// Reads an addendum by the column names of `note_addenda`.
pub(crate) fn addendum_from_row(r: &Row<'_>) -> rusqlite::Result<StoredAddendum> {
    Ok(StoredAddendum {
        id: r.get("id")?,
        seq: r.get("seq")?,
        text: r.get("text")?,
        signed_at: r.get("signed_at")?,
        signed_by: r.get("signed_by")?,
        sha256: r.get("content_sha256")?,
    })
}

/// The columns `note_from_row` reads, from `notes n`.
pub(crate) const NOTE_COLUMNS: &str = "n.format AS format, n.sections AS sections,
    n.updated_at AS updated_at, n.signed_at AS signed_at, n.signed_by AS signed_by,
    n.content_sha256 AS content_sha256";

pub(crate) fn note_from_row(r: &Row<'_>) -> rusqlite::Result<StoredNote> {
    Ok(StoredNote {
        format: r.get("format")?,
        sections_json: r.get("sections")?,
        updated_at: r.get("updated_at")?,
        signed_at: r.get("signed_at")?,
        signed_by: r.get("signed_by")?,
        sha256: r.get("content_sha256")?,
    })
}

/// The session's note as stored, if one was ever saved.
pub fn get(conn: &Connection, session_id: &str) -> Result<Option<StoredNote>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {NOTE_COLUMNS} FROM notes n WHERE n.session_id = ?1"
        ))?
        .query_row([session_id], note_from_row)
        .optional()?)
}

/// When the session's note was signed; `None` for a draft or no note.
pub fn signed_at(conn: &Connection, session_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT signed_at FROM notes WHERE session_id = ?1")?
        .query_row([session_id], |r| r.get::<_, Option<String>>("signed_at"))
        .optional()?
        .flatten())
}

/// The note's addenda as stored, in order.
pub fn addenda(conn: &Connection, session_id: &str) -> Result<Vec<StoredAddendum>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, seq, text, signed_at, signed_by, content_sha256
         FROM note_addenda WHERE session_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([session_id], addendum_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Saves a draft's sections (as JSON) and format, creating the note or replacing the
/// draft. `stamp` is both the creation time of a new note and the update time.
pub fn save_draft(
    conn: &Connection,
    session_id: &str,
    format: NoteFormat,
    sections_json: &str,
    stamp: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO notes (session_id, format, sections, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (session_id) DO UPDATE SET format = excluded.format,
             sections = excluded.sections, updated_at = excluded.updated_at",
    )?
    .execute(params![session_id, format.as_str(), sections_json, stamp])?;
    Ok(())
}

/// A signature to store on a draft.
pub struct Signing<'a> {
    pub session_id: &'a str,
    pub signed_at: &'a str,
    pub signed_by: &'a str,
    pub sha256: &'a str,
    /// The sections JSON the hash was computed over: the note is signed only if its
    /// draft is still exactly this.
    pub sections_json: &'a str,
}

/// Signs the draft if it is still unsigned and unchanged; false when it was not.
pub fn sign(conn: &Connection, s: &Signing<'_>) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE notes SET signed_at = ?2, signed_by = ?3, content_sha256 = ?4
             WHERE session_id = ?1 AND signed_at IS NULL AND sections = ?5",
        )?
        .execute(params![
            s.session_id,
            s.signed_at,
            s.signed_by,
            s.sha256,
            s.sections_json
        ])?;
    Ok(changed == 1)
}

/// The number the next addendum of this note takes: one past the last, from 1.
pub fn next_addendum_seq(conn: &Connection, session_id: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(max(seq), 0) + 1 AS seq FROM note_addenda WHERE session_id = ?1",
        )?
        .query_row([session_id], |r| r.get("seq"))?)
}

pub fn insert_addendum(conn: &Connection, session_id: &str, a: &StoredAddendum) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO note_addenda (id, session_id, seq, text, signed_at, signed_by, content_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        a.id,
        session_id,
        a.seq,
        a.text,
        a.signed_at,
        a.signed_by,
        a.sha256
    ])?;
    Ok(())
}

/// Whether the session has a psychotherapy note with any text.
pub fn has_psychotherapy_note(conn: &Connection, session_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM psychotherapy_notes WHERE session_id = ?1 AND text <> '')
                 AS present",
        )?
        .query_row([session_id], |r| r.get("present"))?)
}

pub fn psychotherapy_note(conn: &Connection, session_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT text FROM psychotherapy_notes WHERE session_id = ?1")?
        .query_row([session_id], |r| r.get("text"))
        .optional()?)
}

pub fn save_psychotherapy_note(
    conn: &Connection,
    session_id: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO psychotherapy_notes (session_id, text, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (session_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
    )?
    .execute(params![session_id, text, now.to_rfc3339()])?;
    Ok(())
}

// --- Search --------------------------------------------------------------------------

/// The FTS5 query for what the therapist typed: each word (letters, digits, inner
/// apostrophes and dashes) quoted as a prefix, all required, at most 12. `None` when
/// there is no word to look for.
pub fn match_expression(query: &str) -> Option<String> {
    let terms: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Whether deleting from the search index rewrites the pages that held the words at
/// once (FTS5 'secure-delete'), for the transaction of a permanent deletion.
pub fn set_search_secure_delete(conn: &Connection, on: bool) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO note_search (note_search, rank) VALUES ('secure-delete', ?1)",
    )?
    .execute([i64::from(on)])?;
    Ok(())
}

/// Merges the search index into one segment, dropping every deleted or replaced entry
/// (earlier versions of drafts included) from its pages.
pub fn merge_search_index(conn: &Connection) -> Result<()> {
    conn.prepare_cached("INSERT INTO note_search (note_search) VALUES ('optimize')")?
        .execute([])?;
    Ok(())
}

/// One note or addendum that matches a search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRow {
    pub session: SessionView,
    /// The addendum's number when the match is in an addendum.
    pub addendum_seq: Option<u32>,
    pub snippet: Vec<SnippetPart>,
    pub client_id: String,
    /// `model::client::display_name`.
    pub client_name: String,
    /// FTS5's rank: lower is more relevant.
    pub score: f64,
}

/// The `limit` most relevant matches of `expression` (see `match_expression`) among
/// notes and addenda, never psychotherapy notes, grouped by client (by legal name),
/// then newest session first.
pub fn search(conn: &Connection, expression: &str, limit: usize) -> Result<Vec<SearchRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "WITH hits AS (
             SELECT rowid AS r, snippet(note_search, 0, char(2), char(3), '\u{2026}', 24) AS snip,
                    rank AS score
             FROM note_search WHERE note_search MATCH ?1 ORDER BY rank LIMIT ?2)
         SELECT {SESSION_COLUMNS}, a.seq AS addendum_seq, hits.snip AS snippet,
                c.id AS client_id, c.legal_name AS legal_name,
                c.preferred_name AS preferred_name, hits.score AS score
         FROM hits
         LEFT JOIN notes n ON hits.r > 0 AND n.rowid = hits.r
         LEFT JOIN note_addenda a ON hits.r < 0 AND a.rowid = -hits.r
         JOIN sessions s ON s.id = coalesce(n.session_id, a.session_id)
         JOIN courses k ON k.id = s.course_id
         JOIN clients c ON c.id = k.client_id
         ORDER BY c.legal_name COLLATE NOCASE, c.id, s.starts_utc DESC, a.seq"
    ))?;
    let cols = SessionCols::of(&stmt)?;
    let rows = stmt.query_map(params![expression, limit as i64], |r| {
        Ok(SearchRow {
            session: read_session(r, &cols)?,
            addendum_seq: r.get("addendum_seq")?,
            snippet: snippet_parts(&r.get::<_, String>("snippet")?),
            client_id: r.get("client_id")?,
            client_name: display_name(
                &r.get::<_, String>("legal_name")?,
                &r.get::<_, String>("preferred_name")?,
            ),
            score: r.get("score")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Splits an FTS5 snippet marked with \u{2} … \u{3} (as `search` asks for it) into plain
/// and highlighted parts.
fn snippet_parts(s: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find('\u{2}') {
        if start > 0 {
            parts.push(SnippetPart {
                text: rest[..start].to_owned(),
                hit: false,
            });
        }
        let after = &rest[start + 1..];
        let end = after.find('\u{3}').unwrap_or(after.len());
        parts.push(SnippetPart {
            text: after[..end].to_owned(),
            hit: true,
        });
        rest = after.get(end + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        parts.push(SnippetPart {
            text: rest.to_owned(),
            hit: false,
        });
    }
    parts
}

// --- Drafts left unsigned ------------------------------------------------------------

/// Draft notes of completed sessions that started before `older_than`, any client not
/// archived. Found through the partial index on unsigned notes: drafts are few.
pub fn drafts_before(conn: &Connection, older_than: DateTime<Utc>) -> Result<Vec<OpenNote>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id AS client_id, c.legal_name AS legal_name, c.preferred_name AS preferred_name,
                s.id AS session_id, s.kind AS kind, substr(s.starts_local, 1, 10) AS date,
                s.starts_utc AS starts_utc
         FROM notes n INDEXED BY notes_unsigned
         JOIN sessions s ON s.id = n.session_id
         JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
         WHERE n.signed_at IS NULL AND s.status = 'completed' AND s.starts_utc < ?1
           AND c.archived_at IS NULL",
    )?;
    let rows = stmt.query_map([older_than.to_rfc3339()], |r| {
        Ok(OpenNote {
            client_id: r.get("client_id")?,
            client_name: display_name(
                &r.get::<_, String>("legal_name")?,
                &r.get::<_, String>("preferred_name")?,
            ),
            session_id: r.get("session_id")?,
            kind: SessionKind::parse(&r.get::<_, String>("kind")?).unwrap_or(SessionKind::Other),
            date: crate::dates::iso_date(&r.get::<_, String>("date")?).unwrap_or_default(),
            starts_utc: DateTime::parse_from_rfc3339(&r.get::<_, String>("starts_utc")?)
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default(),
            draft: true,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_is_split_into_highlighted_parts() {
        let parts = snippet_parts("\u{2026}the \u{2}grief\u{3} came \u{2}back\u{3}");
        assert_eq!(
            parts
                .iter()
                .map(|p| (p.text.as_str(), p.hit))
                .collect::<Vec<_>>(),
            [
                ("\u{2026}the ", false),
                ("grief", true),
                (" came ", false),
                ("back", true)
            ]
        );
    }

    #[test]
    fn each_typed_word_becomes_a_quoted_prefix() {
        assert_eq!(
            match_expression("  grief, \"back\" o'neil -x- ").as_deref(),
            Some("\"grief\"* \"back\"* \"o'neil\"* \"x\"*")
        );
        assert_eq!(match_expression(" ,;- '' "), None);
        let many = (0..20)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(match_expression(&many).unwrap().matches('*').count(), 12);
    }
}
