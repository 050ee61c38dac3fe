//! The structured record of a dosing day: its one row (plan, medication, discharge
//! time), its ticked checks, vitals and adverse events, and the practice's one-row
//! dosing settings. Times are stored as the session's local `HH:MM`, as validated.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;
use crate::model::dosing::{
    AdverseEvent, AdverseEventInput, AdverseEventKind, DosingCheck, DosingPlan, DosingSettings,
    Medication, Reading, Route, Severity, Vitals, VitalsPhase,
};

// --- Settings ---------------------------------------------------------------------------

pub fn settings(conn: &Connection) -> Result<DosingSettings> {
    Ok(conn
        .prepare_cached(
            "SELECT bp_systolic_max, bp_diastolic_max, fasting_food_hours, fasting_liquid_hours,
                    vitals_before_dose, vitals_after_dose_minutes, discharge_reading_required,
                    cancellation_notice_hours, cancellation_fee
             FROM dosing_settings WHERE id = 1",
        )?
        .query_row([], |r| {
            let minutes: String = r.get("vitals_after_dose_minutes")?;
            Ok(DosingSettings {
                bp_systolic_max: r.get("bp_systolic_max")?,
                bp_diastolic_max: r.get("bp_diastolic_max")?,
                fasting_food_hours: r.get("fasting_food_hours")?,
                fasting_liquid_hours: r.get("fasting_liquid_hours")?,
                vitals_before_dose: r.get("vitals_before_dose")?,
                // Written only from validated settings; anything unreadable is skipped
                // rather than guessed.
                vitals_after_dose_minutes: DosingSettings::parse_minutes(&minutes)
                    .unwrap_or_default(),
                discharge_reading_required: r.get("discharge_reading_required")?,
                cancellation_notice_hours: r.get("cancellation_notice_hours")?,
                cancellation_fee: r.get("cancellation_fee")?,
            })
        })?)
}

/// `s` is validated.
pub fn save_settings(conn: &Connection, s: &DosingSettings) -> Result<()> {
    conn.execute(
        "UPDATE dosing_settings SET bp_systolic_max = ?1, bp_diastolic_max = ?2,
                fasting_food_hours = ?3, fasting_liquid_hours = ?4, vitals_before_dose = ?5,
                vitals_after_dose_minutes = ?6, discharge_reading_required = ?7,
                cancellation_notice_hours = ?8, cancellation_fee = ?9
         WHERE id = 1",
        params![
            s.bp_systolic_max,
            s.bp_diastolic_max,
            s.fasting_food_hours,
            s.fasting_liquid_hours,
            s.vitals_before_dose,
            s.minutes_text(),
            s.discharge_reading_required,
            s.cancellation_notice_hours,
            s.cancellation_fee
        ],
    )?;
    Ok(())
}

// --- The record's row -------------------------------------------------------------------

/// The dosing record's own row; all empty before anything is written for the day.
#[derive(Debug, Clone, Default)]
pub struct RecordRow {
    pub plan: DosingPlan,
    pub medication: Medication,
    pub discharged_at: Option<String>,
}

pub fn record(conn: &Connection, session_id: &str) -> Result<Option<RecordRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT intentions, ride_name, ride_phone, medication, route, route_other,
                    dose_per_unit_mg, units, taken_at, booster_mg, booster_at, discharged_at,
                    prescription_difference
             FROM dosing_records WHERE session_id = ?1",
        )?
        .query_row([session_id], |r| {
            let route: Option<String> = r.get("route")?;
            Ok(RecordRow {
                plan: DosingPlan {
                    intentions: r.get("intentions")?,
                    ride_name: r.get("ride_name")?,
                    ride_phone: r.get("ride_phone")?,
                },
                medication: Medication {
                    name: r.get("medication")?,
                    route: route.as_deref().and_then(Route::from_sql),
                    route_other: r.get("route_other")?,
                    dose_per_unit_mg: r.get("dose_per_unit_mg")?,
                    units: r.get("units")?,
                    taken_at: r.get("taken_at")?,
                    booster_mg: r.get("booster_mg")?,
                    booster_at: r.get("booster_at")?,
                    difference_reason: r.get("prescription_difference")?,
                },
                discharged_at: r.get("discharged_at")?,
            })
        })
        .optional()?)
}

/// Creates the session's row if there is none, and marks it updated.
pub fn ensure_record(conn: &Connection, session_id: &str, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO dosing_records (session_id, updated_at) VALUES (?1, ?2)
         ON CONFLICT (session_id) DO UPDATE SET updated_at = excluded.updated_at",
    )?
    .execute(params![session_id, now.to_rfc3339()])?;
    Ok(())
}

/// `plan` is validated; the row exists (`ensure_record`).
pub fn save_plan(conn: &Connection, session_id: &str, plan: &DosingPlan) -> Result<()> {
    conn.execute(
        "UPDATE dosing_records SET intentions = ?2, ride_name = ?3, ride_phone = ?4
         WHERE session_id = ?1",
        params![session_id, plan.intentions, plan.ride_name, plan.ride_phone],
    )?;
    Ok(())
}

/// `m` is validated; the row exists (`ensure_record`).
pub fn save_medication(conn: &Connection, session_id: &str, m: &Medication) -> Result<()> {
    conn.execute(
        "UPDATE dosing_records SET medication = ?2, route = ?3, route_other = ?4,
                dose_per_unit_mg = ?5, units = ?6, taken_at = ?7, booster_mg = ?8, booster_at = ?9,
                prescription_difference = ?10
         WHERE session_id = ?1",
        params![
            session_id,
            m.name,
            m.route.map(Route::as_str),
            m.route_other,
            m.dose_per_unit_mg,
            m.units,
            m.taken_at,
            m.booster_mg,
            m.booster_at,
            m.difference_reason
        ],
    )?;
    Ok(())
}

/// Sets or clears the discharge time; the row exists (`ensure_record`).
pub fn set_discharged_at(conn: &Connection, session_id: &str, at: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE dosing_records SET discharged_at = ?2 WHERE session_id = ?1",
        params![session_id, at],
    )?;
    Ok(())
}

/// Creates or updates the row with its discharge time in one statement.
pub fn upsert_discharged_at(
    conn: &Connection,
    session_id: &str,
    at: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO dosing_records (session_id, updated_at, discharged_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (session_id) DO UPDATE SET discharged_at = excluded.discharged_at,
                                                updated_at = excluded.updated_at",
        params![session_id, now.to_rfc3339(), at],
    )?;
    Ok(())
}

// --- Checks -----------------------------------------------------------------------------

/// The ticked checks of a session: check id to `HH:MM`.
pub fn checks(conn: &Connection, session_id: &str) -> Result<HashMap<String, String>> {
    let mut stmt = conn
        .prepare_cached("SELECT check_id, checked_at FROM dosing_checks WHERE session_id = ?1")?;
    let rows = stmt.query_map([session_id], |r| {
        Ok((
            r.get::<_, String>("check_id")?,
            r.get::<_, String>("checked_at")?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ticks a check at `at` (`HH:MM`), or moves its time.
pub fn tick(conn: &Connection, session_id: &str, check: DosingCheck, at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO dosing_checks (session_id, check_id, checked_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (session_id, check_id) DO UPDATE SET checked_at = excluded.checked_at",
    )?
    .execute(params![session_id, check.as_str(), at])?;
    Ok(())
}

pub fn untick(conn: &Connection, session_id: &str, check: DosingCheck) -> Result<()> {
    conn.execute(
        "DELETE FROM dosing_checks WHERE session_id = ?1 AND check_id = ?2",
        params![session_id, check.as_str()],
    )?;
    Ok(())
}

// --- Vitals -----------------------------------------------------------------------------

/// A session's vitals in the order they were taken.
pub fn vitals(conn: &Connection, session_id: &str) -> Result<Vec<Vitals>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, taken_at, phase, systolic, diastolic, heart_rate, spo2
         FROM dosing_vitals WHERE session_id = ?1 ORDER BY taken_at, created_at",
    )?;
    let rows = stmt.query_map([session_id], |r| {
        Ok(Vitals {
            id: r.get("id")?,
            at: r.get("taken_at")?,
            phase: VitalsPhase::from_sql(&r.get::<_, String>("phase")?),
            systolic: r.get("systolic")?,
            diastolic: r.get("diastolic")?,
            heart_rate: r.get("heart_rate")?,
            spo2: r.get("spo2")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `v` is a validated reading.
pub fn insert_vitals(
    conn: &Connection,
    id: &str,
    session_id: &str,
    v: &Reading,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO dosing_vitals (id, session_id, taken_at, phase, systolic, diastolic,
                                    heart_rate, spo2, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            session_id,
            v.at,
            v.phase.as_str(),
            v.systolic,
            v.diastolic,
            v.heart_rate,
            v.spo2,
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}

pub fn delete_vitals(conn: &Connection, session_id: &str, id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM dosing_vitals WHERE id = ?1 AND session_id = ?2",
        params![id, session_id],
    )?;
    Ok(())
}

// --- Adverse events ---------------------------------------------------------------------

/// A session's adverse events in the order they occurred.
pub fn events(conn: &Connection, session_id: &str) -> Result<Vec<AdverseEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, occurred_at, kind, severity, description, action, prescriber_informed_at
         FROM dosing_events WHERE session_id = ?1 ORDER BY occurred_at, created_at",
    )?;
    let rows = stmt.query_map([session_id], |r| {
        Ok(AdverseEvent {
            id: r.get("id")?,
            at: r.get("occurred_at")?,
            kind: AdverseEventKind::parse(&r.get::<_, String>("kind")?)
                .unwrap_or(AdverseEventKind::Other),
            severity: r
                .get::<_, Option<String>>("severity")?
                .as_deref()
                .and_then(Severity::parse),
            description: r.get("description")?,
            action: r.get("action")?,
            prescriber_informed_at: r.get("prescriber_informed_at")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `e` is validated.
pub fn insert_event(
    conn: &Connection,
    id: &str,
    session_id: &str,
    e: &AdverseEventInput,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO dosing_events (id, session_id, occurred_at, kind, severity, description,
                                    action, prescriber_informed_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            session_id,
            e.at,
            e.kind.as_str(),
            e.severity.as_str(),
            e.description,
            e.action,
            e.prescriber_informed_at,
            now.to_rfc3339()
        ],
    )?;
    Ok(())
}

pub fn delete_event(conn: &Connection, session_id: &str, id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM dosing_events WHERE id = ?1 AND session_id = ?2",
        params![id, session_id],
    )?;
    Ok(())
}
