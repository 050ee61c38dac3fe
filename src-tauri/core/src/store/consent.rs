//! Informed consent: templates, each course's checklist, signatures and withdrawals.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// The date of the course's standing consent: signed and not withdrawn. Signing is
/// refused on an incomplete checklist and the store locks it afterwards, so a
/// signature stands for a complete checklist.
pub fn standing_since(conn: &Connection, course_id: &str) -> Result<Option<NaiveDate>> {
    let on: Option<String> = conn
        .prepare_cached(
            "SELECT signed_on FROM consent_checklists k
             WHERE k.course_id = ?1 AND k.signed_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.checklist_id = k.id)
             ORDER BY k.created_at DESC LIMIT 1",
        )?
        .query_row([course_id], |r| r.get("signed_on"))
        .optional()?;
    Ok(on.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}

/// Every course's standing consent date, in one pass.
pub fn standing_per_course(
    conn: &Connection,
) -> Result<std::collections::HashMap<String, NaiveDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.course_id AS course_id, k.signed_on AS signed_on FROM consent_checklists k
         WHERE k.signed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.checklist_id = k.id)
         ORDER BY k.created_at",
    )?;
    let mut out = std::collections::HashMap::new();
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
                JOIN consent_checklists k ON k.id = w.checklist_id WHERE k.course_id = ?1)",
        )?
        .query_row([course_id], |r| r.get(0))?)
}

/// Every course with a withdrawn consent, in one pass.
pub fn courses_with_a_withdrawal(conn: &Connection) -> Result<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT k.course_id AS course_id FROM consent_withdrawals w
         JOIN consent_checklists k ON k.id = w.checklist_id",
    )?;
    let rows = stmt.query_map([], |r| r.get("course_id"))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
