//! Prescriptions from the partner medical team, per treatment course. KAP Desk records
//! them in the prescriber's words and never suggests a dose.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::model::session::Prescription;

/// The course's newest prescription.
pub fn latest(conn: &Connection, course_id: &str) -> Result<Option<Prescription>> {
    Ok(conn
        .prepare_cached(
            "SELECT medication, route, dose, prescriber, prescribed_on, valid_until,
                    medication_instructions FROM prescriptions
             WHERE course_id = ?1 ORDER BY prescribed_on DESC, created_at DESC LIMIT 1",
        )?
        .query_row([course_id], |r| {
            Ok(Prescription {
                medication: r.get("medication")?,
                route: r.get("route")?,
                dose: r.get("dose")?,
                prescriber: r.get("prescriber")?,
                prescribed_on: r.get("prescribed_on")?,
                valid_until: r
                    .get::<_, Option<String>>("valid_until")?
                    .unwrap_or_default(),
                medication_instructions: r.get("medication_instructions")?,
            })
        })
        .optional()?)
}

/// Every course with a prescription on file, with the end date of its newest one
/// (empty when it gives none), in one pass.
pub fn valid_until_per_course(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT course_id, valid_until FROM prescriptions ORDER BY prescribed_on, created_at",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>("course_id")?,
            r.get::<_, Option<String>>("valid_until")?
                .unwrap_or_default(),
        ))
    })?;
    // Later rows are newer: the last one per course stays.
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `p` is validated; `prescribed_on` is `YYYY-MM-DD`.
pub fn insert(
    conn: &Connection,
    id: &str,
    course_id: &str,
    p: &Prescription,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO prescriptions (id, course_id, medication, route, dose, prescriber, prescribed_on,
                                    created_at, valid_until, medication_instructions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            course_id,
            p.medication,
            p.route,
            p.dose,
            p.prescriber,
            p.prescribed_on,
            now.to_rfc3339(),
            (!p.valid_until.is_empty()).then_some(&p.valid_until),
            p.medication_instructions
        ],
    )?;
    Ok(())
}
