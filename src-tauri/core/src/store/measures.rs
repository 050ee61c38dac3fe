//! Outcome measures: administrations with their computed scores, the responses to
//! safety flags, and the practice's measure schedule (migration 0015).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::{Error, Result};
use crate::model::measures::{
    Administration, FilledBy, MeasureFact, MeasureSchedule, SafetyPlanAction, SafetyResponse,
};
use crate::store::Columns;

const SELECT: &str =
    "SELECT a.id, a.client_id, a.course_id, a.instrument, a.given_on, a.session_id,
        a.filled_by, a.answers, a.total, a.band, a.safety_flag, a.recorded_at,
        r.risk_note, r.safety_plan, r.recorded_at AS responded_at
    FROM measure_administrations a
    LEFT JOIN measure_safety_responses r ON r.administration_id = a.id";

const ORDER: &str = "ORDER BY a.given_on, a.recorded_at, a.id";

fn read(r: &Row<'_>, c: &Columns) -> rusqlite::Result<Administration> {
    let answers: String = c.get(r, "answers")?;
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("a stored measure's {what} is unreadable").into(),
        )
    };
    let response = match c.get::<Option<String>>(r, "risk_note")? {
        Some(risk_note) => Some(SafetyResponse {
            risk_note,
            safety_plan: SafetyPlanAction::parse(&c.get::<String>(r, "safety_plan")?)
                .ok_or_else(|| bad("safety plan"))?,
            recorded_at: c.get(r, "responded_at")?,
        }),
        None => None,
    };
    Ok(Administration {
        id: c.get(r, "id")?,
        client_id: c.get(r, "client_id")?,
        course_id: c.get(r, "course_id")?,
        instrument: c.get(r, "instrument")?,
        date: c.get(r, "given_on")?,
        session_id: c.get(r, "session_id")?,
        filled_by: FilledBy::parse(&c.get::<String>(r, "filled_by")?)
            .ok_or_else(|| bad("filler"))?,
        answers: serde_json::from_str(&answers).map_err(|_| bad("answers"))?,
        total: c.get(r, "total")?,
        band: c.get(r, "band")?,
        safety_flag: c.get::<i64>(r, "safety_flag")? != 0,
        safety_response: response,
        recorded_at: c.get(r, "recorded_at")?,
    })
}

fn query(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Administration>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let cols = Columns::of(&stmt);
    let rows = stmt.query_map(args, |r| read(r, &cols))?;
    rows.collect::<rusqlite::Result<_>>().map_err(|e| match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, m) => Error::damaged(m.to_string()),
        e => e.into(),
    })
}

/// `a` is scored and checked by the feature.
pub fn insert(conn: &Connection, a: &Administration) -> Result<()> {
    let answers = serde_json::to_string(&a.answers)
        .map_err(|e| Error::invalid("answers", format!("The answers could not be stored: {e}.")))?;
    conn.prepare_cached(
        "INSERT INTO measure_administrations (id, client_id, course_id, instrument, given_on,
             session_id, filled_by, answers, total, band, safety_flag, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        a.id,
        a.client_id,
        a.course_id,
        a.instrument,
        a.date,
        a.session_id,
        a.filled_by.as_str(),
        answers,
        a.total,
        a.band,
        a.safety_flag as i64,
        a.recorded_at,
    ])?;
    Ok(())
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Administration>> {
    Ok(query(conn, &format!("{SELECT} WHERE a.id = ?1"), [id])?
        .into_iter()
        .next())
}

/// A client's administrations, oldest first.
pub fn of_client(conn: &Connection, client_id: &str) -> Result<Vec<Administration>> {
    query(
        conn,
        &format!("{SELECT} WHERE a.client_id = ?1 {ORDER}"),
        [client_id],
    )
}

/// Every administration of the practice, by client then date (the CSV export).
pub fn all(conn: &Connection) -> Result<Vec<Administration>> {
    query(
        conn,
        &format!("{SELECT} ORDER BY a.client_id, a.given_on, a.recorded_at, a.id"),
        [],
    )
}

/// Raised flags with no response yet, any client, oldest first.
pub fn open_flags(conn: &Connection) -> Result<Vec<Administration>> {
    query(
        conn,
        &format!("{SELECT} WHERE a.safety_flag = 1 AND r.administration_id IS NULL {ORDER}"),
        [],
    )
}

/// What the rules need of one course's measures.
pub fn facts_of_course(conn: &Connection, course_id: &str) -> Result<Vec<MeasureFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT instrument, given_on FROM measure_administrations WHERE course_id = ?1
         ORDER BY given_on",
    )?;
    let rows = stmt.query_map([course_id], fact)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The same for the current course of every active client at once (the dashboard).
pub fn facts_per_course(conn: &Connection) -> Result<HashMap<String, Vec<MeasureFact>>> {
    // Only the current courses of active clients, as the dashboard shows them: reading
    // every administration of ten years and sorting them all was half the dashboard.
    // MATERIALIZED, as for the sessions, so the newest-course subquery runs once.
    let mut stmt = conn.prepare_cached(
        "WITH current AS MATERIALIZED (
            SELECT c.id AS client_id, k.id AS course_id
            FROM clients c JOIN current_courses k ON k.client_id = c.id
            WHERE c.archived_at IS NULL AND c.status NOT IN ('completed', 'discharged'))
         SELECT m.course_id, m.instrument, m.given_on
         FROM current JOIN measure_administrations m
           ON m.client_id = current.client_id AND m.course_id = current.course_id",
    )?;
    let mut out: HashMap<String, Vec<MeasureFact>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>("course_id")?, fact(r)?)))? {
        let (course, f) = row?;
        out.entry(course).or_default().push(f);
    }
    for facts in out.values_mut() {
        facts.sort_by_key(|f| f.date);
    }
    Ok(out)
}

fn fact(r: &Row<'_>) -> rusqlite::Result<MeasureFact> {
    let on: String = r.get("given_on")?;
    Ok(MeasureFact {
        instrument: r.get("instrument")?,
        date: crate::dates::iso_date(&on).unwrap_or(NaiveDate::MIN),
    })
}

pub fn insert_response(
    conn: &Connection,
    administration_id: &str,
    r: &SafetyResponse,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO measure_safety_responses (administration_id, risk_note, safety_plan, recorded_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        administration_id,
        r.risk_note,
        r.safety_plan.as_str(),
        r.recorded_at
    ])?;
    Ok(())
}

pub fn schedule(conn: &Connection) -> Result<MeasureSchedule> {
    let list = |s: String| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let row = conn
        .prepare_cached(
            "SELECT baseline_required, baseline, before_each_dosing, at_integration, follow_up,
                    follow_up_months
             FROM measure_settings WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok((
                r.get::<_, i64>("baseline_required")? != 0,
                r.get::<_, String>("baseline")?,
                r.get::<_, String>("before_each_dosing")?,
                r.get::<_, String>("at_integration")?,
                r.get::<_, String>("follow_up")?,
                r.get::<_, String>("follow_up_months")?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::damaged("the measure settings row is missing"))?;
    let months = list(row.5)
        .iter()
        .map(|m| m.parse::<u32>())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| Error::damaged("the stored follow-up months are unreadable"))?;
    Ok(MeasureSchedule {
        baseline_required: row.0,
        baseline: list(row.1),
        before_each_dosing: list(row.2),
        at_integration: list(row.3),
        follow_up: list(row.4),
        follow_up_months: months,
    })
}

/// `s` is validated.
pub fn save_schedule(conn: &Connection, s: &MeasureSchedule, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE measure_settings SET baseline_required = ?1, baseline = ?2,
             before_each_dosing = ?3, at_integration = ?4, follow_up = ?5,
             follow_up_months = ?6, updated_at = ?7
         WHERE id = 1",
        params![
            s.baseline_required as i64,
            s.baseline.join(","),
            s.before_each_dosing.join(","),
            s.at_integration.join(","),
            s.follow_up.join(","),
            s.follow_up_months
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(","),
            now.to_rfc3339(),
        ],
    )?;
    Ok(())
}
