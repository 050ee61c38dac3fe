//! Clients: the record of who the client is, who to call and who drives them home.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use crate::error::Result;
use crate::model::client::{
    Client, ClientDetails, ClientStatus, ClientSummary, EmergencyContact, Prescriber, RideHome,
    display_name,
};
use crate::store::Columns;

/// Every column `from_row` reads, unqualified (for queries on `clients` alone).
pub const COLUMNS: &str = "id, legal_name, preferred_name, pronouns, date_of_birth, phone, email,
    address, emergency_name, emergency_relation, emergency_phone, ride_name, ride_phone,
    prescriber_name, prescriber_org, prescriber_phone, referral_source, presenting_concerns,
    status, archived_at, created_at, updated_at";

/// A client from a row of a statement selecting `COLUMNS`.
pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    read(r, &Columns::of(r.as_ref()))
}

/// The same, with the columns found once for the statement.
pub fn read(r: &Row<'_>, c: &Columns) -> rusqlite::Result<Client> {
    let details = ClientDetails {
        legal_name: c.get(r, "legal_name")?,
        preferred_name: c.get(r, "preferred_name")?,
        pronouns: c.get(r, "pronouns")?,
        date_of_birth: c.get(r, "date_of_birth")?,
        phone: c.get(r, "phone")?,
        email: c.get(r, "email")?,
        address: c.get(r, "address")?,
        emergency_contact: EmergencyContact {
            name: c.get(r, "emergency_name")?,
            relation: c.get(r, "emergency_relation")?,
            phone: c.get(r, "emergency_phone")?,
        },
        ride_home: RideHome {
            name: c.get(r, "ride_name")?,
            phone: c.get(r, "ride_phone")?,
        },
        prescriber: Prescriber {
            name: c.get(r, "prescriber_name")?,
            organisation: c.get(r, "prescriber_org")?,
            phone: c.get(r, "prescriber_phone")?,
        },
        referral_source: c.get(r, "referral_source")?,
        presenting_concerns: c.get(r, "presenting_concerns")?,
        status: ClientStatus::parse(&c.get::<String>(r, "status")?).unwrap_or_default(),
    };
    Ok(Client {
        id: c.get(r, "id")?,
        display_name: display_name(&details.legal_name, &details.preferred_name),
        details,
        archived: c.get::<Option<String>>(r, "archived_at")?.is_some(),
        created_at: c.get(r, "created_at")?,
        updated_at: c.get(r, "updated_at")?,
    })
}

/// For SQL parameters: a `&'static str` lives as long as any statement.
fn status_sql(status: ClientStatus) -> &'static dyn ToSql {
    match status {
        ClientStatus::Inquiry => &"inquiry",
        ClientStatus::Preparation => &"preparation",
        ClientStatus::Dosing => &"dosing",
        ClientStatus::Integration => &"integration",
        ClientStatus::Completed => &"completed",
        ClientStatus::Discharged => &"discharged",
    }
}

/// The editable fields in the order of `?2` to `?19` in the insert and the update.
fn details_params(d: &ClientDetails) -> [&dyn ToSql; 18] {
    [
        &d.legal_name,
        &d.preferred_name,
        &d.pronouns,
        &d.date_of_birth,
        &d.phone,
        &d.email,
        &d.address,
        &d.emergency_contact.name,
        &d.emergency_contact.relation,
        &d.emergency_contact.phone,
        &d.ride_home.name,
        &d.ride_home.phone,
        &d.prescriber.name,
        &d.prescriber.organisation,
        &d.prescriber.phone,
        &d.referral_source,
        &d.presenting_concerns,
        status_sql(d.status),
    ]
}

pub fn insert(conn: &Connection, id: &str, d: &ClientDetails, now: DateTime<Utc>) -> Result<()> {
    let stamp = now.to_rfc3339();
    conn.execute(
        "INSERT INTO clients (id, legal_name, preferred_name, pronouns, date_of_birth, phone, email, address,
            emergency_name, emergency_relation, emergency_phone, ride_name, ride_phone,
            prescriber_name, prescriber_org, prescriber_phone, referral_source, presenting_concerns,
            status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20)",
        rusqlite::params_from_iter(
            std::iter::once(&id as &dyn ToSql)
                .chain(details_params(d))
                .chain([&stamp as &dyn ToSql]),
        ),
    )?;
    Ok(())
}

/// Returns whether a client with that id existed.
pub fn update(conn: &Connection, id: &str, d: &ClientDetails, now: DateTime<Utc>) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE clients SET legal_name = ?2, preferred_name = ?3, pronouns = ?4, date_of_birth = ?5,
            phone = ?6, email = ?7, address = ?8, emergency_name = ?9, emergency_relation = ?10,
            emergency_phone = ?11, ride_name = ?12, ride_phone = ?13, prescriber_name = ?14,
            prescriber_org = ?15, prescriber_phone = ?16, referral_source = ?17,
            presenting_concerns = ?18, status = ?19, updated_at = ?20
         WHERE id = ?1",
        rusqlite::params_from_iter(
            std::iter::once(&id as &dyn ToSql)
                .chain(details_params(d))
                .chain([&now.to_rfc3339() as &dyn ToSql]),
        ),
    )?;
    Ok(changed > 0)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Client>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM clients WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Returns whether a client with that id existed.
pub fn set_archived(
    conn: &Connection,
    id: &str,
    archived: bool,
    now: DateTime<Utc>,
) -> Result<bool> {
    let stamp = now.to_rfc3339();
    let changed = conn.execute(
        "UPDATE clients SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, archived.then_some(stamp.clone()), stamp],
    )?;
    Ok(changed > 0)
}

/// Deletes the client; their courses, sessions and records go with them (foreign keys
/// cascade).
pub fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM clients WHERE id = ?1", [id])?;
    Ok(())
}

/// Active (not archived, not finished) clients, for the dashboard.
pub fn active(conn: &Connection) -> Result<Vec<Client>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM clients
         WHERE archived_at IS NULL AND status NOT IN ('completed', 'discharged')"
    ))?;
    let cols = Columns::of(&stmt);
    let rows = stmt.query_map([], |r| read(r, &cols))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A row of the client list: the client, and the id of their next booked session.
pub struct ListRow {
    pub summary: ClientSummary,
    pub next_session_id: Option<String>,
}

/// Every client (archived ones when asked, one status when given) by legal name, each
/// with their next booked session's id and last completed session's date. Filtering
/// by name is the caller's: SQLite folds case for ASCII only.
pub fn list(
    conn: &Connection,
    status: Option<ClientStatus>,
    include_archived: bool,
    now: DateTime<Utc>,
) -> Result<Vec<ListRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id AS id, c.legal_name AS legal_name, c.preferred_name AS preferred_name,
                c.status AS status, c.archived_at IS NOT NULL AS archived,
                (SELECT s.id FROM sessions s JOIN courses k ON k.id = s.course_id
                  WHERE k.client_id = c.id AND s.status = 'scheduled' AND s.starts_utc >= ?1
                  ORDER BY s.starts_utc LIMIT 1) AS next_id,
                (SELECT max(substr(s.starts_local, 1, 10)) FROM sessions s JOIN courses k ON k.id = s.course_id
                  WHERE k.client_id = c.id AND s.status = 'completed') AS last_date
         FROM clients c
         WHERE (?2 IS NULL OR c.status = ?2) AND (?3 OR c.archived_at IS NULL)
         ORDER BY c.legal_name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map(
        params![
            now.to_rfc3339(),
            status.map(ClientStatus::as_str),
            include_archived
        ],
        |r| {
            let legal: String = r.get("legal_name")?;
            let preferred: String = r.get("preferred_name")?;
            Ok(ListRow {
                summary: ClientSummary {
                    id: r.get("id")?,
                    display_name: display_name(&legal, &preferred),
                    legal_name: legal,
                    preferred_name: preferred,
                    status: ClientStatus::parse(&r.get::<_, String>("status")?).unwrap_or_default(),
                    archived: r.get("archived")?,
                    next_session: None,
                    last_session_date: r.get("last_date")?,
                },
                next_session_id: r.get("next_id")?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
