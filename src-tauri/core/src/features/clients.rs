//! Client records: who the client is, who to call, who drives them home.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, ToSql, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::timeline::{SESSION_COLUMNS, SessionView, session_from_row};
use crate::validate;
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    #[default]
    Inquiry,
    Preparation,
    Dosing,
    Integration,
    Completed,
    Discharged,
}

impl ClientStatus {
    pub const ALL: [ClientStatus; 6] = [
        ClientStatus::Inquiry,
        ClientStatus::Preparation,
        ClientStatus::Dosing,
        ClientStatus::Integration,
        ClientStatus::Completed,
        ClientStatus::Discharged,
    ];

    /// For SQL parameters: a `&'static str` lives as long as any statement.
    fn as_sql(self) -> &'static dyn ToSql {
        match self {
            ClientStatus::Inquiry => &"inquiry",
            ClientStatus::Preparation => &"preparation",
            ClientStatus::Dosing => &"dosing",
            ClientStatus::Integration => &"integration",
            ClientStatus::Completed => &"completed",
            ClientStatus::Discharged => &"discharged",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::Inquiry => "inquiry",
            ClientStatus::Preparation => "preparation",
            ClientStatus::Dosing => "dosing",
            ClientStatus::Integration => "integration",
            ClientStatus::Completed => "completed",
            ClientStatus::Discharged => "discharged",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                Error::invalid(
                    "status",
                    format!("\u{201c}{s}\u{201d} is not a client status."),
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyContact {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RideHome {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Prescriber {
    pub name: String,
    pub organisation: String,
    pub phone: String,
}

/// The editable part of a client record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientDetails {
    pub legal_name: String,
    pub preferred_name: String,
    pub pronouns: String,
    /// `YYYY-MM-DD`, or empty when unknown. A string, so an impossible date reaches the
    /// validation and gets a sentence instead of a deserialisation error.
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub emergency_contact: EmergencyContact,
    pub ride_home: RideHome,
    pub prescriber: Prescriber,
    pub referral_source: String,
    pub presenting_concerns: String,
    pub status: ClientStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Client {
    pub id: String,
    pub details: ClientDetails,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl Client {
    /// The name to use with the client: preferred name if given.
    pub fn display_name(&self) -> &str {
        if self.details.preferred_name.is_empty() {
            &self.details.legal_name
        } else {
            &self.details.preferred_name
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    Name,
    NextSession,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientQuery {
    pub search: String,
    pub status: Option<ClientStatus>,
    pub include_archived: bool,
    pub sort: ClientSort,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientSummary {
    pub id: String,
    pub legal_name: String,
    pub preferred_name: String,
    pub status: ClientStatus,
    pub archived: bool,
    pub next_session: Option<SessionView>,
    pub last_session_date: Option<String>,
}

impl ClientDetails {
    /// Trims, then checks every field; errors name the field. `today` bounds the birth date.
    pub fn validated(mut self, today: NaiveDate) -> Result<Self> {
        for (field, value, max) in [
            ("legalName", &mut self.legal_name, 200),
            ("preferredName", &mut self.preferred_name, 100),
            ("pronouns", &mut self.pronouns, 40),
            ("dateOfBirth", &mut self.date_of_birth, 10),
            ("phone", &mut self.phone, 40),
            ("email", &mut self.email, 254),
            ("address", &mut self.address, 400),
            ("emergencyContact", &mut self.emergency_contact.name, 120),
            ("emergencyContact", &mut self.emergency_contact.relation, 60),
            ("emergencyContact", &mut self.emergency_contact.phone, 40),
            ("rideHome", &mut self.ride_home.name, 120),
            ("rideHome", &mut self.ride_home.phone, 40),
            ("prescriber", &mut self.prescriber.name, 120),
            ("prescriber", &mut self.prescriber.organisation, 120),
            ("prescriber", &mut self.prescriber.phone, 40),
            ("referralSource", &mut self.referral_source, 200),
            ("presentingConcerns", &mut self.presenting_concerns, 4000),
        ] {
            validate::trimmed(field, value, max)?;
        }
        if self.legal_name.is_empty() {
            return Err(Error::invalid(
                "legalName",
                "Enter the client's legal name.",
            ));
        }
        if !self.date_of_birth.is_empty() {
            let dob = validate::date("dateOfBirth", &self.date_of_birth)?;
            if dob > today {
                return Err(Error::invalid(
                    "dateOfBirth",
                    "The date of birth is in the future.",
                ));
            }
            if dob < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
                return Err(Error::invalid(
                    "dateOfBirth",
                    "The date of birth is before 1900; check the year.",
                ));
            }
        }
        validate::phone("phone", &self.phone)?;
        validate::email("email", &self.email)?;
        let e = &self.emergency_contact;
        if !(e.name.is_empty() && e.phone.is_empty() && e.relation.is_empty())
            && (e.name.is_empty() || e.phone.is_empty())
        {
            return Err(Error::invalid(
                "emergencyContact",
                "An emergency contact needs both a name and a phone number.",
            ));
        }
        validate::phone("emergencyContact", &e.phone)?;
        let r = &self.ride_home;
        if (r.name.is_empty()) != (r.phone.is_empty()) {
            return Err(Error::invalid(
                "rideHome",
                "The ride-home person needs both a name and a phone number.",
            ));
        }
        validate::phone("rideHome", &r.phone)?;
        validate::phone("prescriber", &self.prescriber.phone)?;
        Ok(self)
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
        d.status.as_sql(),
    ]
}

pub(crate) const CLIENT_COLUMNS: &str =
    "id, legal_name, preferred_name, pronouns, date_of_birth, phone, email, address,
    emergency_name, emergency_relation, emergency_phone, ride_name, ride_phone,
    prescriber_name, prescriber_org, prescriber_phone, referral_source, presenting_concerns,
    status, archived_at, created_at, updated_at";

pub(crate) fn client_from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    let status: String = r.get(18)?;
    Ok(Client {
        id: r.get(0)?,
        details: ClientDetails {
            legal_name: r.get(1)?,
            preferred_name: r.get(2)?,
            pronouns: r.get(3)?,
            date_of_birth: r.get(4)?,
            phone: r.get(5)?,
            email: r.get(6)?,
            address: r.get(7)?,
            emergency_contact: EmergencyContact {
                name: r.get(8)?,
                relation: r.get(9)?,
                phone: r.get(10)?,
            },
            ride_home: RideHome {
                name: r.get(11)?,
                phone: r.get(12)?,
            },
            prescriber: Prescriber {
                name: r.get(13)?,
                organisation: r.get(14)?,
                phone: r.get(15)?,
            },
            referral_source: r.get(16)?,
            presenting_concerns: r.get(17)?,
            status: ClientStatus::parse(&status).unwrap_or_default(),
        },
        archived: r.get::<_, Option<String>>(19)?.is_some(),
        created_at: r.get(20)?,
        updated_at: r.get(21)?,
    })
}

impl Vault {
    /// Adds a client and opens their first treatment course.
    pub fn add_client(
        &mut self,
        details: ClientDetails,
        client_id: &str,
        course_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let today = self.today(now)?;
        let d = details.validated(today)?;
        let stamp = now.to_rfc3339();
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO clients (id, legal_name, preferred_name, pronouns, date_of_birth, phone, email, address,
                emergency_name, emergency_relation, emergency_phone, ride_name, ride_phone,
                prescriber_name, prescriber_org, prescriber_phone, referral_source, presenting_concerns,
                status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20)",
            rusqlite::params_from_iter(
                std::iter::once(&client_id as &dyn ToSql)
                    .chain(details_params(&d))
                    .chain([&stamp as &dyn ToSql]),
            ),
        )?;
        tx.execute(
            "INSERT INTO courses (id, client_id, number, started_on, created_at) VALUES (?1, ?2, 1, ?3, ?4)",
            params![course_id, client_id, today.to_string(), stamp],
        )?;
        tx.commit()?;
        self.client(client_id)
    }

    pub fn update_client(
        &mut self,
        id: &str,
        details: ClientDetails,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let today = self.today(now)?;
        let d = details.validated(today)?;
        let changed = self.conn().execute(
            "UPDATE clients SET legal_name = ?2, preferred_name = ?3, pronouns = ?4, date_of_birth = ?5,
                phone = ?6, email = ?7, address = ?8, emergency_name = ?9, emergency_relation = ?10,
                emergency_phone = ?11, ride_name = ?12, ride_phone = ?13, prescriber_name = ?14,
                prescriber_org = ?15, prescriber_phone = ?16, referral_source = ?17,
                presenting_concerns = ?18, status = ?19, updated_at = ?20
             WHERE id = ?1",
            rusqlite::params_from_iter(
                std::iter::once(&id as &dyn ToSql)
                    .chain(details_params(&d))
                    .chain([&now.to_rfc3339() as &dyn ToSql]),
            ),
        )?;
        if changed == 0 {
            return Err(not_found());
        }
        self.client(id)
    }

    pub fn client(&self, id: &str) -> Result<Client> {
        self.conn()
            .query_row(
                &format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = ?1"),
                [id],
                client_from_row,
            )
            .optional()?
            .ok_or_else(not_found)
    }

    /// Finds a client by id, or by a name that matches exactly one client (legal or
    /// preferred, case-insensitive, whole or part). For the CLI and scripts.
    pub fn find_client(&self, id_or_name: &str) -> Result<Client> {
        if let Ok(c) = self.client(id_or_name) {
            return Ok(c);
        }
        let needle = id_or_name.trim().to_lowercase();
        let all = self.list_clients(
            &ClientQuery {
                include_archived: true,
                ..Default::default()
            },
            Utc::now(),
        )?;
        let exact: Vec<&ClientSummary> = all
            .iter()
            .filter(|c| {
                c.legal_name.to_lowercase() == needle || c.preferred_name.to_lowercase() == needle
            })
            .collect();
        let matches: Vec<&ClientSummary> = if exact.is_empty() {
            all.iter()
                .filter(|c| {
                    c.legal_name.to_lowercase().contains(&needle)
                        || c.preferred_name.to_lowercase().contains(&needle)
                })
                .collect()
        } else {
            exact
        };
        match matches.as_slice() {
            [one] => self.client(&one.id),
            [] => Err(Error::NotFound {
                what: format!("No client named \u{201c}{id_or_name}\u{201d}"),
            }),
            many => Err(Error::invalid(
                "client",
                format!(
                    "\u{201c}{id_or_name}\u{201d} matches {} clients ({}); use the client's id or a longer name.",
                    many.len(),
                    many.iter()
                        .map(|c| c.legal_name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    pub fn set_client_archived(
        &mut self,
        id: &str,
        archived: bool,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let stamp = now.to_rfc3339();
        let changed = self.conn().execute(
            "UPDATE clients SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, archived.then_some(stamp.clone()), stamp],
        )?;
        if changed == 0 {
            return Err(not_found());
        }
        self.audit(
            now,
            if archived {
                "client_archived"
            } else {
                "client_restored"
            },
            id,
        )?;
        self.client(id)
    }

    /// Deletes a client and everything recorded about them. Deliberate: the caller must
    /// type the client's legal name exactly. Records are normally kept for years.
    pub fn delete_client_permanently(
        &mut self,
        id: &str,
        confirm_name: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let client = self.client(id)?;
        if confirm_name != client.details.legal_name {
            return Err(Error::invalid(
                "confirmName",
                "To delete permanently, type the client's legal name exactly as it is on the record.",
            ));
        }
        let tx = self.conn_mut().transaction()?;
        tx.execute("DELETE FROM clients WHERE id = ?1", [id])?;
        // The audit trail keeps that a record was deleted, not whose it was.
        tx.execute(
            "INSERT INTO audit_log (at, event, detail) VALUES (?1, 'client_deleted', ?2)",
            params![now.to_rfc3339(), id],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn list_clients(&self, q: &ClientQuery, now: DateTime<Utc>) -> Result<Vec<ClientSummary>> {
        let now_s = now.to_rfc3339();
        let search = format!(
            "%{}%",
            q.search
                .trim()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        // One query: each client with their next counting session and last completed date.
        // One query: each client with their next booked session and last completed date.
        let sql = "SELECT c.id, c.legal_name, c.preferred_name, c.status, c.archived_at IS NOT NULL,
                    (SELECT s.id FROM sessions s JOIN courses k ON k.id = s.course_id
                      WHERE k.client_id = c.id AND s.status = 'scheduled' AND s.starts_utc >= ?1
                      ORDER BY s.starts_utc LIMIT 1) AS next_id,
                    (SELECT max(substr(s.starts_local, 1, 10)) FROM sessions s JOIN courses k ON k.id = s.course_id
                      WHERE k.client_id = c.id AND s.status = 'completed') AS last_date
             FROM clients c
             WHERE (c.legal_name LIKE ?2 ESCAPE '\\' OR c.preferred_name LIKE ?2 ESCAPE '\\')
               AND (?3 IS NULL OR c.status = ?3)
               AND (?4 OR c.archived_at IS NULL)
             ORDER BY c.legal_name COLLATE NOCASE";
        let rows: Vec<(ClientSummary, Option<String>)> = {
            let mut stmt = self.conn().prepare_cached(sql)?;
            stmt.query_map(
                params![
                    now_s,
                    search,
                    q.status.map(ClientStatus::as_str),
                    q.include_archived
                ],
                |r| {
                    let summary = ClientSummary {
                        id: r.get(0)?,
                        legal_name: r.get(1)?,
                        preferred_name: r.get(2)?,
                        status: ClientStatus::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
                        archived: r.get(4)?,
                        next_session: None,
                        last_session_date: r.get(6)?,
                    };
                    Ok((summary, r.get(5)?))
                },
            )?
            .collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (mut summary, next_id) in rows {
            if let Some(sid) = next_id {
                summary.next_session = Some(self.session(&sid)?);
            }
            out.push(summary);
        }
        if q.sort == ClientSort::NextSession {
            // Clients with a next session first, soonest first; the rest by name.
            out.sort_by(|a, b| match (&a.next_session, &b.next_session) {
                (Some(x), Some(y)) => (&x.date, &x.time).cmp(&(&y.date, &y.time)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        }
        Ok(out)
    }

    pub(crate) fn session(&self, id: &str) -> Result<SessionView> {
        self.conn()
            .query_row(
                &format!("SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.id = ?1"),
                [id],
                session_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "That session".into(),
            })
    }
}

fn not_found() -> Error {
    Error::NotFound {
        what: "That client".into(),
    }
}
