//! Informed consent: the versioned templates (stored as JSON), each course's checklist
//! with its copy of the text the client saw, its items, signature and withdrawals.
//! Whether an item is done or the consent may be signed is `rules::consent`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::consent::{ConsentSignature, ConsentTemplate, ConsentWithdrawal};
use crate::model::session::ConsentMethod;

/// The date of the course's standing consent: signed and not withdrawn. Signing is
/// refused on an incomplete checklist and the store locks it afterwards, so a
/// signature stands for a complete checklist.
pub fn standing_since(conn: &Connection, course_id: &str) -> Result<Option<NaiveDate>> {
    let on: Option<String> = conn
        .prepare_cached(
            "SELECT signed_on FROM consent_checklists k
             WHERE k.course_id = ?1 AND k.signed_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.checklist_id = k.id)
             ORDER BY k.created_at DESC, k.rowid DESC LIMIT 1",
        )?
        .query_row([course_id], |r| r.get("signed_on"))
        .optional()?;
    Ok(on.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}

/// Every course's standing consent date, in one pass.
pub fn standing_per_course(conn: &Connection) -> Result<HashMap<String, NaiveDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.course_id AS course_id, k.signed_on AS signed_on FROM consent_checklists k
         WHERE k.signed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.checklist_id = k.id)
         ORDER BY k.created_at, k.rowid",
    )?;
    let mut out = HashMap::new();
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>("course_id")?,
            r.get::<_, String>("signed_on")?,
        ))
    })? {
        let (course, on) = row?;
        if let Ok(d) = NaiveDate::parse_from_str(&on, "%Y-%m-%d") {
            out.insert(course, d);
        }
    }
    Ok(out)
}

/// Whether any consent of the course was withdrawn.
pub fn any_withdrawn(conn: &Connection, course_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM consent_withdrawals w
                JOIN consent_checklists k ON k.id = w.checklist_id WHERE k.course_id = ?1)
             AS withdrawn",
        )?
        .query_row([course_id], |r| r.get("withdrawn"))?)
}

/// Every course with a withdrawn consent, in one pass.
pub fn courses_with_a_withdrawal(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT k.course_id AS course_id FROM consent_withdrawals w
         JOIN consent_checklists k ON k.id = w.checklist_id",
    )?;
    let rows = stmt.query_map([], |r| r.get("course_id"))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// --- Templates --------------------------------------------------------------------------

fn to_json(t: &ConsentTemplate) -> Result<String> {
    serde_json::to_string(t)
        .map_err(|e| Error::invalid("template", format!("The template could not be stored: {e}")))
}

fn from_json(s: &str) -> Result<ConsentTemplate> {
    serde_json::from_str(s).map_err(|_| Error::damaged("a stored consent template is unreadable"))
}

/// Where a stored template version came from (`consent_template_origins`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateOrigin {
    /// Some(r): this version is the shipped default of revision `r`. None: an edit.
    pub default_revision: Option<u32>,
    /// The newest shipped default there was when this version was saved.
    pub based_on_revision: u32,
}

impl TemplateOrigin {
    /// The shipped default of revision `r`, stored as is.
    pub fn shipped(r: u32) -> Self {
        TemplateOrigin {
            default_revision: Some(r),
            based_on_revision: r,
        }
    }
}

/// Seeds the default template the first time a vault is opened at this schema.
pub(crate) fn seed_default_template(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    let count: i64 = conn
        .prepare_cached("SELECT count(*) AS n FROM consent_templates")?
        .query_row([], |r| r.get("n"))?;
    if count == 0 {
        let t = ConsentTemplate::default_template()?;
        let origin = TemplateOrigin::shipped(t.version);
        insert_template(conn, &t, origin, now)?;
    }
    Ok(())
}

/// The newest version of the practice's template.
pub fn latest_template(conn: &Connection) -> Result<ConsentTemplate> {
    Ok(latest_template_with_origin(conn)?.0)
}

/// The newest version and where it came from (a version stored before origins were
/// kept counts as an edit made against revision 1).
pub fn latest_template_with_origin(conn: &Connection) -> Result<(ConsentTemplate, TemplateOrigin)> {
    let (body, origin) = conn
        .prepare_cached(
            "SELECT t.body AS body, o.default_revision AS default_revision,
                    o.based_on_revision AS based_on_revision
             FROM consent_templates t LEFT JOIN consent_template_origins o
               ON o.template_id = t.template_id AND o.version = t.version
             ORDER BY t.version DESC LIMIT 1",
        )?
        .query_row([], |r| {
            Ok((
                r.get::<_, String>("body")?,
                TemplateOrigin {
                    default_revision: r.get("default_revision")?,
                    based_on_revision: r.get::<_, Option<u32>>("based_on_revision")?.unwrap_or(1),
                },
            ))
        })?;
    Ok((from_json(&body)?, origin))
}

/// Stores `t` as its own (id, version), with where it came from; versions never change
/// once stored.
pub fn insert_template(
    conn: &Connection,
    t: &ConsentTemplate,
    origin: TemplateOrigin,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO consent_templates (template_id, version, body, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![t.id, t.version, to_json(t)?, now.to_rfc3339()],
    )?;
    conn.execute(
        "INSERT INTO consent_template_origins (template_id, version, default_revision, based_on_revision)
         VALUES (?1, ?2, ?3, ?4)",
        params![t.id, t.version, origin.default_revision, origin.based_on_revision],
    )?;
    Ok(())
}

/// Records that the practice saw the default of revision `r` and kept its own version.
pub fn keep_own_template(conn: &Connection, t: &ConsentTemplate, r: u32) -> Result<()> {
    conn.execute(
        "INSERT INTO consent_template_origins (template_id, version, default_revision, based_on_revision)
         VALUES (?1, ?2, NULL, ?3)
         ON CONFLICT (template_id, version) DO UPDATE SET based_on_revision = excluded.based_on_revision",
        params![t.id, t.version, r],
    )?;
    Ok(())
}

// --- Checklists -------------------------------------------------------------------------

/// The id of the course's newest checklist, if one was started.
pub fn checklist_of_course(conn: &Connection, course_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM consent_checklists WHERE course_id = ?1
             ORDER BY created_at DESC, rowid DESC LIMIT 1",
        )?
        .query_row([course_id], |r| r.get("id"))
        .optional()?)
}

/// Every consent checklist of a client, course by course and oldest first: a withdrawn
/// consent and the one signed after it both belong to the record.
pub fn checklist_ids_of_client(conn: &Connection, client_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id AS id FROM consent_checklists k JOIN courses c ON c.id = k.course_id
         WHERE c.client_id = ?1 ORDER BY c.number, k.created_at, k.rowid",
    )?;
    let rows = stmt.query_map([client_id], |r| r.get("id"))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many consent checklists the course has had (a new one follows a withdrawal).
pub fn count_of_course(conn: &Connection, course_id: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached("SELECT count(*) AS n FROM consent_checklists WHERE course_id = ?1")?
        .query_row([course_id], |r| r.get("n"))?)
}

/// Starts a checklist on a copy of `t`.
pub fn insert_checklist(
    conn: &Connection,
    id: &str,
    course_id: &str,
    t: &ConsentTemplate,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO consent_checklists (id, course_id, template_id, template_version, snapshot, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, course_id, t.id, t.version, to_json(t)?, now.to_rfc3339()],
    )?;
    Ok(())
}

/// A checklist's own row.
pub struct Checklist {
    pub template_id: String,
    pub template_version: u32,
    /// The text the client was shown, as it was when the checklist started.
    pub snapshot: ConsentTemplate,
    pub signature: Option<ConsentSignature>,
}

pub fn checklist(conn: &Connection, id: &str) -> Result<Checklist> {
    let (template_id, template_version, snapshot, signed_on, method, attested_by): (
        String,
        u32,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = conn
        .prepare_cached(
            "SELECT template_id, template_version, snapshot, signed_on, signed_method, attested_by
             FROM consent_checklists WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get("template_id")?,
                r.get("template_version")?,
                r.get("snapshot")?,
                r.get("signed_on")?,
                r.get("signed_method")?,
                r.get("attested_by")?,
            ))
        })?;
    let signature = match (signed_on, method, attested_by) {
        (Some(signed_on), Some(method), Some(attested_by)) => Some(ConsentSignature {
            signed_on,
            method: if method == "screen" {
                ConsentMethod::Screen
            } else {
                ConsentMethod::Paper
            },
            attested_by,
        }),
        _ => None,
    };
    Ok(Checklist {
        template_id,
        template_version,
        snapshot: from_json(&snapshot)?,
        signature,
    })
}

/// Records the signature; the store refuses any change to the checklist afterwards.
pub fn sign(
    conn: &Connection,
    id: &str,
    signature: &ConsentSignature,
    now: DateTime<Utc>,
) -> Result<()> {
    let method = match signature.method {
        ConsentMethod::Paper => "paper",
        ConsentMethod::Screen => "screen",
    };
    conn.execute(
        "UPDATE consent_checklists SET signed_on = ?2, signed_method = ?3, attested_by = ?4, signed_at = ?5
         WHERE id = ?1",
        params![id, signature.signed_on, method, signature.attested_by, now.to_rfc3339()],
    )?;
    Ok(())
}

// --- Items ------------------------------------------------------------------------------

/// What was recorded for one item; all empty until it is discussed.
#[derive(Debug, Clone, Default)]
pub struct ItemRecord {
    pub discussed_on: Option<String>,
    pub session_id: Option<String>,
    pub initialled: bool,
    pub note: String,
}

/// A checklist's recorded items, by item id.
pub fn items(conn: &Connection, checklist_id: &str) -> Result<HashMap<String, ItemRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT item_id, discussed_on, session_id, initialled, note
         FROM consent_items WHERE checklist_id = ?1",
    )?;
    let rows = stmt.query_map([checklist_id], |r| {
        Ok((
            r.get::<_, String>("item_id")?,
            ItemRecord {
                discussed_on: r.get("discussed_on")?,
                session_id: r.get("session_id")?,
                initialled: r.get("initialled")?,
                note: r.get("note")?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn save_item(
    conn: &Connection,
    checklist_id: &str,
    item_id: &str,
    item: &ItemRecord,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO consent_items (checklist_id, item_id, discussed_on, session_id, initialled, note, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (checklist_id, item_id) DO UPDATE SET discussed_on = ?3, session_id = ?4,
             initialled = ?5, note = ?6, updated_at = ?7",
        params![
            checklist_id,
            item_id,
            item.discussed_on,
            item.session_id,
            item.initialled,
            item.note,
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}

// --- Withdrawals ------------------------------------------------------------------------

/// The checklist's latest withdrawal, if the client withdrew.
pub fn withdrawal(conn: &Connection, checklist_id: &str) -> Result<Option<ConsentWithdrawal>> {
    Ok(conn
        .prepare_cached(
            "SELECT withdrawn_on, note FROM consent_withdrawals WHERE checklist_id = ?1
             ORDER BY withdrawn_on DESC LIMIT 1",
        )?
        .query_row([checklist_id], |r| {
            Ok(ConsentWithdrawal {
                withdrawn_on: r.get("withdrawn_on")?,
                note: r.get("note")?,
            })
        })
        .optional()?)
}

pub fn insert_withdrawal(
    conn: &Connection,
    id: &str,
    checklist_id: &str,
    w: &ConsentWithdrawal,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO consent_withdrawals (id, checklist_id, withdrawn_on, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, checklist_id, w.withdrawn_on, w.note, now.to_rfc3339()],
    )?;
    Ok(())
}
