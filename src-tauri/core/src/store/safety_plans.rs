//! Safety plans: one row per version of a client's plan. Rows are only ever added (a
//! trigger refuses any change), so every version reads as it was saved.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::{Error, Result};
use crate::model::safety_plan::{SafetyPlan, SafetyPlanPart, SafetyPlanSections};
use crate::store::Columns;

/// The column that holds each part, as a JSON array of lines.
fn column(part: SafetyPlanPart) -> &'static str {
    match part {
        SafetyPlanPart::WarningSigns => "warning_signs",
        SafetyPlanPart::CopingStrategies => "coping_strategies",
        SafetyPlanPart::Distractions => "distractions",
        SafetyPlanPart::PeopleToAsk => "people_to_ask",
        SafetyPlanPart::Professionals => "professionals",
        SafetyPlanPart::SafeEnvironment => "safe_environment",
        SafetyPlanPart::ReasonsToLive => "reasons_to_live",
    }
}

const COLUMNS: &str = "id, client_id, version, written_on, warning_signs, coping_strategies,
     distractions, people_to_ask, professionals, safe_environment, reasons_to_live, created_at";

fn read(r: &Row<'_>, c: &Columns) -> rusqlite::Result<SafetyPlan> {
    let lines = |part: SafetyPlanPart| -> rusqlite::Result<Vec<String>> {
        let json: String = c.get(r, column(part))?;
        serde_json::from_str(&json).map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("a stored safety plan's {} is unreadable", column(part)).into(),
            )
        })
    };
    Ok(SafetyPlan {
        id: c.get(r, "id")?,
        client_id: c.get(r, "client_id")?,
        version: c.get(r, "version")?,
        written_on: c.get(r, "written_on")?,
        sections: SafetyPlanSections {
            warning_signs: lines(SafetyPlanPart::WarningSigns)?,
            coping_strategies: lines(SafetyPlanPart::CopingStrategies)?,
            distractions: lines(SafetyPlanPart::Distractions)?,
            people_to_ask: lines(SafetyPlanPart::PeopleToAsk)?,
            professionals: lines(SafetyPlanPart::Professionals)?,
            safe_environment: lines(SafetyPlanPart::SafeEnvironment)?,
            reasons_to_live: lines(SafetyPlanPart::ReasonsToLive)?,
        },
        created_at: c.get(r, "created_at")?,
    })
}

fn damaged(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, m) => Error::damaged(m.to_string()),
        e => e.into(),
    }
}

/// Every version of the client's plan, newest first.
pub fn of_client(conn: &Connection, client_id: &str) -> Result<Vec<SafetyPlan>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM safety_plans WHERE client_id = ?1 ORDER BY version DESC"
    ))?;
    let cols = Columns::of(&stmt);
    let rows = stmt.query_map([client_id], |r| read(r, &cols))?;
    rows.collect::<rusqlite::Result<_>>().map_err(damaged)
}

/// One version of the client's plan; `None` for the newest.
pub fn get(conn: &Connection, client_id: &str, version: Option<u32>) -> Result<Option<SafetyPlan>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM safety_plans
         WHERE client_id = ?1 AND (?2 IS NULL OR version = ?2)
         ORDER BY version DESC LIMIT 1"
    ))?;
    let cols = Columns::of(&stmt);
    stmt.query_row(params![client_id, version], |r| read(r, &cols))
        .optional()
        .map_err(damaged)
}

/// The number the client's next version takes: one more than the newest, 1 for the first.
pub fn next_version(conn: &Connection, client_id: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM safety_plans WHERE client_id = ?1",
        )?
        .query_row([client_id], |r| r.get(0))?)
}

/// `p` is validated and numbered by the feature.
pub fn insert(conn: &Connection, p: &SafetyPlan) -> Result<()> {
    let json = |part: SafetyPlanPart| {
        serde_json::to_string(p.sections.lines(part)).map_err(|e| {
            Error::invalid(
                part.field(),
                format!("The safety plan could not be stored: {e}."),
            )
        })
    };
    conn.prepare_cached(
        "INSERT INTO safety_plans (id, client_id, version, written_on, warning_signs,
             coping_strategies, distractions, people_to_ask, professionals, safe_environment,
             reasons_to_live, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        p.id,
        p.client_id,
        p.version,
        p.written_on,
        json(SafetyPlanPart::WarningSigns)?,
        json(SafetyPlanPart::CopingStrategies)?,
        json(SafetyPlanPart::Distractions)?,
        json(SafetyPlanPart::PeopleToAsk)?,
        json(SafetyPlanPart::Professionals)?,
        json(SafetyPlanPart::SafeEnvironment)?,
        json(SafetyPlanPart::ReasonsToLive)?,
        p.created_at,
    ])?;
    Ok(())
}
