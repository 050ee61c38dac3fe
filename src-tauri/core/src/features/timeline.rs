//! Treatment courses and sessions in the vault, and the timeline and dashboard built
//! from them with the rules in `protocol`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clients::{CLIENT_COLUMNS, Client, ClientStatus, ClientSummary, client_from_row};
use crate::error::{Error, Result};
use crate::notes::{NoteState, OpenNote};
use crate::protocol::{
    self, CourseFacts, Gate, IntegrationCheck, IntegrationState, ProtocolSettings, SessionFact,
    SessionKind, SessionStatus, long_date,
};
use crate::validate;
use crate::vault::Vault;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub id: String,
    pub course_id: String,
    pub kind: SessionKind,
    pub status: SessionStatus,
    /// Local date `YYYY-MM-DD` and time `HH:MM` in `time_zone`, as booked.
    pub date: String,
    pub time: String,
    pub time_zone: String,
    pub duration_min: u32,
    pub location: String,
    pub gate_override: Option<String>,
    /// "Dosing 2", "Preparation 3", "Intake".
    pub label: String,
    /// Whether the session's progress note is written and signed.
    pub note: NoteState,
    #[serde(skip)]
    #[ts(skip)]
    pub starts_utc: DateTime<Utc>,
}

pub(crate) const SESSION_COLUMNS: &str =
    "s.id, s.course_id, s.kind, s.status, s.starts_local, s.time_zone,
    s.duration_min, s.location, s.gate_override, s.starts_utc,
    (SELECT count(*) FROM sessions o WHERE o.course_id = s.course_id AND o.kind = s.kind
        AND o.status IN ('scheduled', 'completed')
        AND (o.starts_utc < s.starts_utc OR (o.starts_utc = s.starts_utc AND o.id <= s.id))),
    (SELECT CASE WHEN n.signed_at IS NULL THEN 'draft' ELSE 'signed' END
        FROM notes n WHERE n.session_id = s.id)";

/// The same columns without the per-row numbering subquery, for loading whole courses:
/// `number_sessions` then labels them in one pass (the subquery made the dashboard
/// over 300 clients take a second).
const WHOLE_COURSE_COLUMNS: &str =
    "s.id, s.course_id, s.kind, s.status, s.starts_local, s.time_zone,
    s.duration_min, s.location, s.gate_override, s.starts_utc, 0,
    (SELECT CASE WHEN n.signed_at IS NULL THEN 'draft' ELSE 'signed' END
        FROM notes n WHERE n.session_id = s.id)";

/// Labels one course's sessions, sorted by start: "Dosing 1", "Dosing 2", …
fn number_sessions(sessions: &mut [SessionView]) {
    let mut counts: HashMap<SessionKind, u32> = HashMap::new();
    for s in sessions {
        s.label = match s.kind {
            SessionKind::Intake | SessionKind::Other => s.kind.label().to_owned(),
            _ if !s.status.counts() => s.kind.label().to_owned(),
            kind => {
                let n = counts.entry(kind).or_insert(0);
                *n += 1;
                format!("{} {n}", kind.label())
            }
        };
    }
}

pub(crate) fn session_from_row(r: &Row<'_>) -> rusqlite::Result<SessionView> {
    let kind = SessionKind::parse(&r.get::<_, String>(2)?).unwrap_or(SessionKind::Other);
    let status = SessionStatus::parse(&r.get::<_, String>(3)?).unwrap_or(SessionStatus::Scheduled);
    let local: String = r.get(4)?;
    let utc: String = r.get(9)?;
    let ordinal: i64 = r.get(10)?;
    let note = match r.get::<_, Option<String>>(11)?.as_deref() {
        Some("signed") => NoteState::Signed,
        Some(_) => NoteState::Draft,
        None => NoteState::None,
    };
    let label = match kind {
        SessionKind::Intake | SessionKind::Other => kind.label().to_owned(),
        _ if !status.counts() => kind.label().to_owned(),
        _ => format!("{} {ordinal}", kind.label()),
    };
    Ok(SessionView {
        id: r.get(0)?,
        course_id: r.get(1)?,
        kind,
        status,
        date: local.get(..10).unwrap_or_default().to_owned(),
        time: local.get(11..16).unwrap_or_default().to_owned(),
        time_zone: r.get(5)?,
        duration_min: r.get(6)?,
        location: r.get(7)?,
        gate_override: r.get(8)?,
        label,
        note,
        starts_utc: DateTime::parse_from_rfc3339(&utc)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default(),
    })
}

impl SessionView {
    fn local_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").unwrap_or_default()
    }

    fn fact(&self) -> SessionFact {
        SessionFact {
            id: self.id.clone(),
            kind: self.kind,
            status: self.status,
            date: self.local_date(),
            starts_utc: self.starts_utc,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CourseInfo {
    pub id: String,
    pub number: u32,
    pub started_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Clearance {
    pub clinician: String,
    pub organisation: String,
    pub cleared_on: String,
    /// `YYYY-MM-DD`, or empty when the team gave no end date.
    pub valid_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Prescription {
    pub medication: String,
    pub route: String,
    /// As prescribed by the partner team, in their words. KAP Desk never suggests a dose.
    pub dose: String,
    pub prescriber: String,
    pub prescribed_on: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Wet signature on the printed packet.
    #[default]
    Paper,
    Screen,
}

/// Where the course's informed consent stands, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentSummary {
    pub done: u32,
    pub total: u32,
    pub signed_on: Option<String>,
    pub withdrawn_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookingRequest {
    pub client_id: String,
    pub kind: SessionKind,
    /// `YYYY-MM-DD` and `HH:MM`, local to the practice's time zone.
    pub date: String,
    pub time: String,
    /// None: the kind's default (dosing 180 min, others 50).
    pub duration_min: Option<u32>,
    pub location: String,
    /// Required to book a dosing while gates are open; kept on the record.
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookingOutcome {
    pub session: SessionView,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    Preparation,
    Dosing,
    Integration,
    FollowUp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Done,
    Current,
    Upcoming,
    Attention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrackStep {
    pub phase: PhaseKind,
    pub label: String,
    pub state: StepState,
    /// A short line under the label: "4 of 4 completed", "Integration booked".
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedBooking {
    pub kind: SessionKind,
    pub date: String,
    pub time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NextStep {
    pub title: String,
    pub detail: String,
    pub suggestion: Option<SuggestedBooking>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    pub client: ClientSummary,
    pub course: CourseInfo,
    pub courses: Vec<CourseInfo>,
    pub phase_label: String,
    pub track: Vec<TrackStep>,
    pub sessions: Vec<SessionView>,
    pub gates: Vec<Gate>,
    /// Whether booking a (first) dosing now would be refused without an override.
    pub dosing_blocked: bool,
    pub integration: Vec<IntegrationCheck>,
    pub warnings: Vec<String>,
    pub next_step: NextStep,
    pub clearance: Option<Clearance>,
    pub prescription: Option<Prescription>,
    pub consent: Option<ConsentSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem {
    pub client_id: String,
    pub client_name: String,
    pub session: SessionView,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    GateOpenBeforeDosing,
    IntegrationNotBooked,
    IntegrationOverdue,
    ClearanceExpiring,
    NoRecentSession,
    NoteUnsigned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionItem {
    pub client_id: String,
    pub client_name: String,
    pub kind: ActionKind,
    pub message: String,
    /// The session it is about, when there is one (an unsigned note).
    pub session_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub today: Vec<AgendaItem>,
    pub week: Vec<AgendaItem>,
    pub needs_action: Vec<ActionItem>,
}

/// A clearance this close to expiry shows on the dashboard.
const CLEARANCE_WARNING_DAYS: i64 = 30;
/// A completed session's note still unsigned after this long shows on the dashboard.
const UNSIGNED_NOTE_DAYS: i64 = 3;
/// A protocol session of the current course with no note at all is flagged for this
/// long; after that the timeline still shows it without a note, but sessions from before
/// notes were kept here do not crowd the dashboard forever. Drafts are flagged at any age.
const MISSING_NOTE_DAYS: i64 = 90;
/// An active client without a session for this long shows on the dashboard.
const QUIET_DAYS: i64 = 30;

impl Vault {
    /// The practice's time zone: the setting, else this computer's, else UTC.
    pub fn practice_time_zone(&self) -> Result<Tz> {
        let name: String = self.conn().query_row(
            "SELECT time_zone FROM protocol_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        if let Ok(tz) = name.parse::<Tz>() {
            return Ok(tz);
        }
        Ok(iana_time_zone::get_timezone()
            .ok()
            .and_then(|n| n.parse::<Tz>().ok())
            .unwrap_or(chrono_tz::UTC))
    }

    pub fn set_practice_time_zone(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        if !name.is_empty() && name.parse::<Tz>().is_err() {
            return Err(Error::invalid(
                "timeZone",
                format!(
                    "\u{201c}{name}\u{201d} is not a time zone name (for example America/New_York)."
                ),
            ));
        }
        self.conn().execute(
            "UPDATE protocol_settings SET time_zone = ?1 WHERE id = 1",
            [name],
        )?;
        Ok(())
    }

    /// Today's date where the practice is.
    pub fn today(&self, now: DateTime<Utc>) -> Result<NaiveDate> {
        Ok(now.with_timezone(&self.practice_time_zone()?).date_naive())
    }

    pub fn protocol_settings(&self) -> Result<ProtocolSettings> {
        Ok(self.conn().query_row(
            "SELECT min_preparation_sessions, integration_min_days, integration_max_days,
                    recommended_dosings, max_dosings_per_week
             FROM protocol_settings WHERE id = 1",
            [],
            |r| {
                Ok(ProtocolSettings {
                    min_preparation_sessions: r.get(0)?,
                    integration_min_days: r.get(1)?,
                    integration_max_days: r.get(2)?,
                    recommended_dosings: r.get(3)?,
                    max_dosings_per_week: r.get(4)?,
                })
            },
        )?)
    }

    pub fn save_protocol_settings(
        &mut self,
        s: ProtocolSettings,
        now: DateTime<Utc>,
    ) -> Result<ProtocolSettings> {
        let s = s.validated()?;
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "UPDATE protocol_settings SET min_preparation_sessions = ?1, integration_min_days = ?2,
                integration_max_days = ?3, recommended_dosings = ?4, max_dosings_per_week = ?5 WHERE id = 1",
            params![
                s.min_preparation_sessions,
                s.integration_min_days,
                s.integration_max_days,
                s.recommended_dosings,
                s.max_dosings_per_week
            ],
        )?;
        tx.execute(
            "INSERT INTO audit_log (at, event, detail) VALUES (?1, 'protocol_settings_saved', '')",
            [now.to_rfc3339()],
        )?;
        tx.commit()?;
        Ok(s)
    }

    fn courses(&self, client_id: &str) -> Result<Vec<CourseInfo>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, number, started_on FROM courses WHERE client_id = ?1 ORDER BY number",
        )?;
        let rows = stmt
            .query_map([client_id], |r| {
                Ok(CourseInfo {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    started_on: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn current_course(&self, client_id: &str) -> Result<CourseInfo> {
        self.courses(client_id)?
            .pop()
            .ok_or_else(|| Error::NotFound {
                what: "That client".into(),
            })
    }

    /// Starts a new treatment course (a client returning months later). Its gates start
    /// open again: a new clearance, prescription and consent are needed.
    pub fn start_course(
        &mut self,
        client_id: &str,
        course_id: &str,
        now: DateTime<Utc>,
    ) -> Result<CourseInfo> {
        let current = self.current_course(client_id)?;
        let today = self.today(now)?;
        self.conn().execute(
            "INSERT INTO courses (id, client_id, number, started_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![course_id, client_id, current.number + 1, today.to_string(), now.to_rfc3339()],
        )?;
        self.current_course(client_id)
    }

    fn course_sessions(&self, course_id: &str) -> Result<Vec<SessionView>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {WHOLE_COURSE_COLUMNS} FROM sessions s WHERE s.course_id = ?1 ORDER BY s.starts_utc, s.id"
        ))?;
        let mut rows = stmt
            .query_map([course_id], session_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        number_sessions(&mut rows);
        Ok(rows)
    }

    fn latest_clearance(&self, course_id: &str) -> Result<Option<Clearance>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT clinician, organisation, cleared_on, valid_until FROM clearances
                 WHERE course_id = ?1 ORDER BY cleared_on DESC, created_at DESC LIMIT 1",
                [course_id],
                |r| {
                    Ok(Clearance {
                        clinician: r.get(0)?,
                        organisation: r.get(1)?,
                        cleared_on: r.get(2)?,
                        valid_until: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    fn latest_prescription(&self, course_id: &str) -> Result<Option<Prescription>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT medication, route, dose, prescriber, prescribed_on FROM prescriptions
                 WHERE course_id = ?1 ORDER BY prescribed_on DESC, created_at DESC LIMIT 1",
                [course_id],
                |r| {
                    Ok(Prescription {
                        medication: r.get(0)?,
                        route: r.get(1)?,
                        dose: r.get(2)?,
                        prescriber: r.get(3)?,
                        prescribed_on: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn record_clearance(
        &mut self,
        client_id: &str,
        c: Clearance,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let course = self.current_course(client_id)?;
        let today = self.today(now)?;
        let mut c = c;
        validate::trimmed("clinician", &mut c.clinician, 120)?;
        validate::trimmed("organisation", &mut c.organisation, 120)?;
        if c.clinician.is_empty() {
            return Err(Error::invalid(
                "clinician",
                "Enter the clinician who gave the clearance.",
            ));
        }
        let on = validate::date("clearedOn", &c.cleared_on)?;
        if on > today {
            return Err(Error::invalid(
                "clearedOn",
                "The clearance date is in the future.",
            ));
        }
        let until = if c.valid_until.trim().is_empty() {
            String::new()
        } else {
            let u = validate::date("validUntil", &c.valid_until)?;
            if u < on {
                return Err(Error::invalid(
                    "validUntil",
                    "The clearance cannot end before the day it was given.",
                ));
            }
            u.to_string()
        };
        self.conn().execute(
            "INSERT INTO clearances (id, course_id, clinician, organisation, cleared_on, valid_until, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, course.id, c.clinician, c.organisation, on.to_string(), until, now.to_rfc3339()],
        )?;
        Ok(())
    }

    pub fn record_prescription(
        &mut self,
        client_id: &str,
        p: Prescription,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let course = self.current_course(client_id)?;
        let today = self.today(now)?;
        let mut p = p;
        for (field, value) in [
            ("medication", &mut p.medication),
            ("route", &mut p.route),
            ("dose", &mut p.dose),
            ("prescriber", &mut p.prescriber),
        ] {
            validate::trimmed(field, value, 200)?;
            if value.is_empty() {
                return Err(Error::invalid(
                    field,
                    "This is needed for the prescription record.",
                ));
            }
        }
        let on = validate::date("prescribedOn", &p.prescribed_on)?;
        if on > today {
            return Err(Error::invalid(
                "prescribedOn",
                "The prescription date is in the future.",
            ));
        }
        self.conn().execute(
            "INSERT INTO prescriptions (id, course_id, medication, route, dose, prescriber, prescribed_on, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, course.id, p.medication, p.route, p.dose, p.prescriber, on.to_string(), now.to_rfc3339()],
        )?;
        Ok(())
    }

    fn course_facts(
        &self,
        client: &Client,
        course_id: &str,
        sessions: &[SessionView],
    ) -> Result<CourseFacts> {
        let clearance = self.latest_clearance(course_id)?;
        Ok(CourseFacts {
            sessions: sessions.iter().map(SessionView::fact).collect(),
            clearance: clearance.and_then(|c| clearance_dates(&c)),
            prescription_on_file: self.latest_prescription(course_id)?.is_some(),
            consent_signed_on: self.consent_signed_on(course_id)?,
            has_ride_home: !client.details.ride_home.name.is_empty()
                && !client.details.ride_home.phone.is_empty(),
            has_emergency_contact: !client.details.emergency_contact.name.is_empty()
                && !client.details.emergency_contact.phone.is_empty(),
        })
    }

    /// Books a session in the client's current course. A dosing while any gate is open
    /// is refused with the list of open gates, unless a written reason is given.
    pub fn book_session(
        &mut self,
        req: BookingRequest,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<BookingOutcome> {
        let client = self.client(&req.client_id)?;
        if client.archived {
            return Err(Error::invalid(
                "client",
                "This client is archived; restore the record before booking.",
            ));
        }
        let course = self.current_course(&client.id)?;
        let tz = self.practice_time_zone()?;
        let date = validate::date("date", &req.date)?;
        let time = validate::time("time", &req.time)?;
        let starts_utc = resolve_local(tz, date.and_time(time))?;
        let duration = req
            .duration_min
            .unwrap_or_else(|| req.kind.default_duration_min());
        if !(5..=720).contains(&duration) {
            return Err(Error::invalid(
                "durationMin",
                "A session lasts from 5 minutes to 12 hours.",
            ));
        }
        let mut location = req.location;
        validate::trimmed("location", &mut location, 200)?;
        let reason = req
            .override_reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());

        let mut warnings = Vec::new();
        if req.kind == SessionKind::Dosing {
            let settings = self.protocol_settings()?;
            let sessions = self.course_sessions(&course.id)?;
            let facts = self.course_facts(&client, &course.id, &sessions)?;
            let open = protocol::open_gates_for_dosing(&facts, &settings, date);
            if !open.is_empty() && reason.is_none() {
                return Err(Error::GatesOpen {
                    gates: open
                        .iter()
                        .map(|g| format!("{} ({})", g.title, lowercase_first(&g.detail)))
                        .collect(),
                });
            }
            if !open.is_empty() {
                warnings.push(format!(
                    "Booked with {} open gate{}; your reason is kept on the record.",
                    open.len(),
                    if open.len() == 1 { "" } else { "s" }
                ));
            }
            warnings.extend(protocol::dosing_warnings(&facts, &settings, date, None));
        }

        let stamp = now.to_rfc3339();
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO sessions (id, course_id, kind, starts_local, time_zone, starts_utc, duration_min,
                location, gate_override, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![
                session_id,
                course.id,
                req.kind.as_str(),
                date.and_time(time).format("%Y-%m-%dT%H:%M").to_string(),
                tz.name(),
                starts_utc.to_rfc3339(),
                duration,
                location,
                reason,
                stamp,
            ],
        )?;
        if reason.is_some() {
            tx.execute(
                "INSERT INTO audit_log (at, event, detail) VALUES (?1, 'dosing_booked_with_open_gates', ?2)",
                params![stamp, session_id],
            )?;
        }
        tx.commit()?;
        Ok(BookingOutcome {
            session: self.session(session_id)?,
            warnings,
        })
    }

    pub fn set_session_status(
        &mut self,
        session_id: &str,
        status: SessionStatus,
        now: DateTime<Utc>,
    ) -> Result<SessionView> {
        let session = self.session(session_id)?;
        if matches!(status, SessionStatus::Completed | SessionStatus::NoShow)
            && session.starts_utc > now
        {
            return Err(Error::invalid(
                "status",
                format!(
                    "This session is on {} at {}, still to come; it can be marked {} once it has started.",
                    long_date(session.local_date()),
                    session.time,
                    if status == SessionStatus::Completed {
                        "completed"
                    } else {
                        "missed"
                    }
                ),
            ));
        }
        // The client must leave safely: a dosing session ends with the discharge checks.
        if session.kind == SessionKind::Dosing
            && status == SessionStatus::Completed
            && session.status != SessionStatus::Completed
        {
            self.check_discharged(session_id)?;
        }
        self.conn().execute(
            "UPDATE sessions SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![session_id, status.as_str(), now.to_rfc3339()],
        )?;
        self.session(session_id)
    }

    pub fn timeline(
        &self,
        client_id: &str,
        course_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Timeline> {
        let client = self.client(client_id)?;
        let courses = self.courses(client_id)?;
        let course = match course_id {
            Some(id) => courses
                .iter()
                .find(|c| c.id == id)
                .cloned()
                .ok_or_else(|| Error::NotFound {
                    what: "That treatment course".into(),
                })?,
            None => courses.last().cloned().ok_or_else(|| Error::NotFound {
                what: "That client's treatment course".into(),
            })?,
        };
        let settings = self.protocol_settings()?;
        let today = self.today(now)?;
        let sessions = self.course_sessions(&course.id)?;
        let facts = self.course_facts(&client, &course.id, &sessions)?;

        // Gates are judged for the next booked dosing, or for today if none is booked.
        let next_dosing = sessions.iter().find(|s| {
            s.kind == SessionKind::Dosing
                && s.status == SessionStatus::Scheduled
                && s.starts_utc >= now
        });
        let gate_date = next_dosing.map_or(today, SessionView::local_date);
        let gates = protocol::gates(&facts, &settings, gate_date);
        let dosing_blocked =
            !protocol::open_gates_for_dosing(&facts, &settings, gate_date).is_empty();
        let integration = protocol::integration_checks(&facts, &settings, today);

        let mut warnings = Vec::new();
        for s in sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Dosing && s.status == SessionStatus::Scheduled)
        {
            for w in protocol::dosing_warnings(&facts, &settings, s.local_date(), Some(&s.id)) {
                warnings.push(format!(
                    "{} on {}: {}",
                    s.label,
                    long_date(s.local_date()),
                    w
                ));
            }
        }
        if let Some(d) = next_dosing
            && dosing_blocked
            && d.gate_override.is_none()
        {
            warnings.push(format!(
                "{} on {} is booked while gates are open.",
                d.label,
                long_date(d.local_date())
            ));
        }

        let summary = ClientSummary {
            id: client.id.clone(),
            legal_name: client.details.legal_name.clone(),
            preferred_name: client.details.preferred_name.clone(),
            status: client.details.status,
            archived: client.archived,
            next_session: sessions
                .iter()
                .find(|s| s.status == SessionStatus::Scheduled && s.starts_utc >= now)
                .cloned(),
            last_session_date: sessions
                .iter()
                .rev()
                .find(|s| s.status == SessionStatus::Completed)
                .map(|s| s.date.clone()),
        };
        let (phase_label, track) = phase_and_track(&facts, &settings, &integration);
        let next_step = next_step(
            &facts,
            &settings,
            &gates,
            &integration,
            &sessions,
            today,
            now,
        );
        Ok(Timeline {
            client: summary,
            clearance: self.latest_clearance(&course.id)?,
            prescription: self.latest_prescription(&course.id)?,
            consent: self
                .consent_status_for_course(&course.id)?
                .map(|c| ConsentSummary {
                    done: c.done,
                    total: c.total,
                    signed_on: c.signature.map(|s| s.signed_on),
                    withdrawn_on: c.withdrawal.map(|w| w.withdrawn_on),
                }),
            course,
            courses,
            phase_label,
            track,
            sessions,
            gates,
            dosing_blocked,
            integration,
            warnings,
            next_step,
        })
    }

    /// Today's and the coming week's sessions, and the clients who need something done.
    pub fn dashboard(&self, now: DateTime<Utc>) -> Result<Dashboard> {
        let tz = self.practice_time_zone()?;
        let today = now.with_timezone(&tz).date_naive();
        let day_start = |d: NaiveDate| resolve_local(tz, d.and_time(NaiveTime::MIN)).unwrap_or(now);
        let agenda = |from: DateTime<Utc>,
                      to: DateTime<Utc>,
                      only_scheduled: bool|
         -> Result<Vec<AgendaItem>> {
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS}, c.id, c.legal_name, c.preferred_name FROM sessions s
                 JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
                 WHERE s.starts_utc >= ?1 AND s.starts_utc < ?2 AND c.archived_at IS NULL
                   AND (NOT ?3 OR s.status = 'scheduled') AND s.status != 'cancelled'
                 ORDER BY s.starts_utc"
            ))?;
            let rows = stmt
                .query_map(
                    params![from.to_rfc3339(), to.to_rfc3339(), only_scheduled],
                    |r| {
                        Ok(AgendaItem {
                            session: session_from_row(r)?,
                            client_id: r.get(12)?,
                            client_name: display(r.get::<_, String>(13)?, r.get::<_, String>(14)?),
                        })
                    },
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        };
        let tomorrow = today + Duration::days(1);
        let today_items = agenda(day_start(today), day_start(tomorrow), false)?;
        let week = agenda(
            day_start(tomorrow),
            day_start(today + Duration::days(7)),
            true,
        )?;

        let settings = self.protocol_settings()?;
        let mut needs_action = Vec::new();
        let activity = self.course_activity(now)?;
        // Notes are written while the session is fresh. Drafts left unsigned come from the
        // notes table (any client, any age, through a partial index); protocol sessions of
        // the current course without any note come from the sessions loaded here anyway,
        // so neither costs a scan of every session.
        let mut open_notes = self.draft_notes_before(now - Duration::days(UNSIGNED_NOTE_DAYS))?;
        for (client, course_id, sessions, facts) in self.active_courses()? {
            let name = client.display_name().to_owned();
            open_notes.extend(
                sessions
                    .iter()
                    .filter(|s| {
                        s.status == SessionStatus::Completed
                            && s.note == NoteState::None
                            && s.starts_utc < now - Duration::days(UNSIGNED_NOTE_DAYS)
                            && s.starts_utc >= now - Duration::days(MISSING_NOTE_DAYS)
                    })
                    .map(|s| OpenNote {
                        client_id: client.id.clone(),
                        client_name: name.clone(),
                        session_id: s.id.clone(),
                        kind: s.kind,
                        date: s.local_date(),
                        starts_utc: s.starts_utc,
                        draft: false,
                    }),
            );
            let mut push = |kind, message: String| {
                needs_action.push(ActionItem {
                    client_id: client.id.clone(),
                    client_name: name.clone(),
                    kind,
                    message,
                    session_id: None,
                })
            };
            if let Some(d) = sessions.iter().find(|s| {
                s.kind == SessionKind::Dosing
                    && s.status == SessionStatus::Scheduled
                    && s.starts_utc >= now
            }) {
                let open = protocol::open_gates_for_dosing(&facts, &settings, d.local_date());
                if !open.is_empty() && d.gate_override.is_none() {
                    push(
                        ActionKind::GateOpenBeforeDosing,
                        format!(
                            "{} on {} is booked, but {} still open: {}.",
                            d.label,
                            long_date(d.local_date()),
                            if open.len() == 1 {
                                "a gate is"
                            } else {
                                "gates are"
                            },
                            open.iter()
                                .map(|g| g.title.to_lowercase())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
            for check in protocol::integration_checks(&facts, &settings, today) {
                match check.state {
                    IntegrationState::NotBooked => push(
                        ActionKind::IntegrationNotBooked,
                        format!(
                            "Integration after dosing {} is not booked (window {} to {}).",
                            check.dosing_number,
                            long_date(check.window_start),
                            long_date(check.window_end)
                        ),
                    ),
                    IntegrationState::Overdue | IntegrationState::StronglyOverdue => push(
                        ActionKind::IntegrationOverdue,
                        format!(
                            "Integration after dosing {} is overdue: {} days since the dosing on {}.",
                            check.dosing_number,
                            check.days_since_dosing,
                            long_date(check.dosing_date)
                        ),
                    ),
                    IntegrationState::Booked | IntegrationState::BookedLate => {}
                }
            }
            if let Some((_, Some(until))) = facts.clearance
                && until >= today
                && (until - today).num_days() <= CLEARANCE_WARNING_DAYS
            {
                push(
                    ActionKind::ClearanceExpiring,
                    format!("Medical clearance expires on {}.", long_date(until)),
                );
            }
            let (last_completed, booked_ahead) =
                activity.get(&course_id).cloned().unwrap_or_default();
            if !booked_ahead
                && client.details.status != ClientStatus::Inquiry
                && let Some(last) = last_completed
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                && (today - last).num_days() > QUIET_DAYS
            {
                push(
                    ActionKind::NoRecentSession,
                    format!("No session since {} and none booked.", long_date(last)),
                );
            }
        }
        // One line per client, naming the oldest open note (the one a click opens): a
        // client with many must not push everything else off the list.
        open_notes.sort_by_key(|n| n.starts_utc);
        let mut per_client: Vec<(OpenNote, usize)> = Vec::new();
        for note in open_notes {
            match per_client
                .iter_mut()
                .find(|(n, _)| n.client_id == note.client_id)
            {
                Some((_, count)) => *count += 1,
                None => per_client.push((note, 1)),
            }
        }
        for (oldest, count) in per_client {
            let what = format!(
                "the {} session on {}",
                oldest.kind.label().to_lowercase(),
                long_date(oldest.date)
            );
            needs_action.push(ActionItem {
                client_id: oldest.client_id,
                client_name: oldest.client_name,
                kind: ActionKind::NoteUnsigned,
                message: match (count, oldest.draft) {
                    (1, true) => format!("The note for {what} is not signed."),
                    (1, false) => format!("The note for {what} is not written."),
                    (n, _) => format!(
                        "{n} session notes are not written or not signed; the oldest is for {what}."
                    ),
                },
                session_id: Some(oldest.session_id),
            });
        }
        Ok(Dashboard {
            today: today_items,
            week,
            needs_action,
        })
    }

    /// The date of the course's signed consent, unless withdrawn. Signing is refused
    /// on an incomplete checklist and the store locks it afterwards, so a signature
    /// stands for a complete checklist.
    fn consent_signed_on(&self, course_id: &str) -> Result<Option<NaiveDate>> {
        let on: Option<String> = self
            .conn()
            .query_row(
                "SELECT signed_on FROM consent_checklists k
                 WHERE k.course_id = ?1 AND k.signed_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.checklist_id = k.id)
                 ORDER BY k.created_at DESC LIMIT 1",
                [course_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(on.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
    }

    /// Every active client's current course with its sessions and gate facts, in a
    /// fixed number of queries whatever the size of the practice.
    /// Per current course of an active client: the date of the last completed session
    /// (of any kind) and whether anything is booked from now on. Two index seeks per
    /// course on (course_id, starts_utc), not a scan of every session.
    fn course_activity(
        &self,
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, (Option<String>, bool)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT k.id,
                    (SELECT substr(s.starts_local, 1, 10) FROM sessions s
                      WHERE s.course_id = k.id AND s.starts_utc <= ?1 AND s.status = 'completed'
                      ORDER BY s.starts_utc DESC LIMIT 1),
                    EXISTS (SELECT 1 FROM sessions s
                      WHERE s.course_id = k.id AND s.starts_utc >= ?1 AND s.status = 'scheduled')
             FROM clients c JOIN courses k ON k.client_id = c.id
             WHERE c.archived_at IS NULL AND c.status NOT IN ('completed', 'discharged')
               AND k.number = (SELECT max(number) FROM courses WHERE client_id = c.id)",
        )?;
        let rows = stmt.query_map([now.to_rfc3339()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get::<_, Option<String>>(1)?, r.get::<_, bool>(2)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Only the kinds the protocol rules look at: follow-ups and other sessions can be
    /// many and tell the gates and integration checks nothing.
    fn active_courses(&self) -> Result<Vec<ActiveCourse>> {
        let mut clients: HashMap<String, Client> = {
            let mut stmt = self.conn().prepare_cached(&format!(
                "SELECT {CLIENT_COLUMNS} FROM clients
                 WHERE archived_at IS NULL AND status NOT IN ('completed', 'discharged')"
            ))?;
            stmt.query_map([], client_from_row)?
                .map(|c| c.map(|c| (c.id.clone(), c)))
                .collect::<rusqlite::Result<_>>()?
        };
        let courses: Vec<(String, String)> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT c.id, k.id FROM clients c JOIN courses k ON k.client_id = c.id
                 WHERE c.archived_at IS NULL AND c.status NOT IN ('completed', 'discharged')
                   AND k.number = (SELECT max(number) FROM courses WHERE client_id = c.id)
                 ORDER BY c.legal_name COLLATE NOCASE",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut by_course: HashMap<String, Vec<SessionView>> = HashMap::new();
        {
            // MATERIALIZED and no ORDER BY: otherwise SQLite flattens the CTE, scans every
            // session in the vault re-running the newest-course subquery for each, and
            // sorts them all; that was two thirds of the dashboard. Each course's few
            // sessions are put in order below instead.
            let mut stmt = self.conn().prepare_cached(&format!(
                "WITH current AS MATERIALIZED (
                    SELECT k.id FROM clients c JOIN courses k ON k.client_id = c.id
                    WHERE c.archived_at IS NULL AND c.status NOT IN ('completed', 'discharged')
                      AND k.number = (SELECT max(number) FROM courses WHERE client_id = c.id))
                 SELECT {WHOLE_COURSE_COLUMNS} FROM current JOIN sessions s ON s.course_id = current.id
                 WHERE s.kind IN ('preparation', 'dosing', 'integration')"
            ))?;
            for s in stmt.query_map([], session_from_row)? {
                let s = s?;
                by_course.entry(s.course_id.clone()).or_default().push(s);
            }
        }
        // The latest clearance per course (rows in date order: the last one wins).
        let mut clearances: HashMap<String, Clearance> = HashMap::new();
        {
            let mut stmt = self.conn().prepare_cached(
                "SELECT course_id, clinician, organisation, cleared_on, valid_until FROM clearances
                 ORDER BY cleared_on, created_at",
            )?;
            for row in stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Clearance {
                        clinician: r.get(1)?,
                        organisation: r.get(2)?,
                        cleared_on: r.get(3)?,
                        valid_until: r.get(4)?,
                    },
                ))
            })? {
                let (course, c) = row?;
                clearances.insert(course, c);
            }
        }
        let prescribed: std::collections::HashSet<String> = {
            let mut stmt = self
                .conn()
                .prepare_cached("SELECT DISTINCT course_id FROM prescriptions")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut consents: HashMap<String, NaiveDate> = HashMap::new();
        {
            let mut stmt = self.conn().prepare_cached(
                "SELECT k.course_id, k.signed_on FROM consent_checklists k
                 WHERE k.signed_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM consent_withdrawals w WHERE w.checklist_id = k.id)
                 ORDER BY k.created_at",
            )?;
            for row in
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            {
                let (course, on) = row?;
                if let Ok(d) = NaiveDate::parse_from_str(&on, "%Y-%m-%d") {
                    consents.insert(course, d);
                }
            }
        }

        let mut out = Vec::with_capacity(courses.len());
        for (client_id, course_id) in courses {
            let Some(client) = clients.remove(&client_id) else {
                continue;
            };
            let mut sessions = by_course.remove(&course_id).unwrap_or_default();
            // The order the timeline uses, ties included, so labels agree with it.
            sessions.sort_by(|a, b| {
                a.starts_utc
                    .cmp(&b.starts_utc)
                    .then_with(|| a.id.cmp(&b.id))
            });
            number_sessions(&mut sessions);
            let facts = CourseFacts {
                sessions: sessions.iter().map(SessionView::fact).collect(),
                clearance: clearances.get(&course_id).and_then(clearance_dates),
                prescription_on_file: prescribed.contains(&course_id),
                consent_signed_on: consents.get(&course_id).copied(),
                has_ride_home: !client.details.ride_home.name.is_empty()
                    && !client.details.ride_home.phone.is_empty(),
                has_emergency_contact: !client.details.emergency_contact.name.is_empty()
                    && !client.details.emergency_contact.phone.is_empty(),
            };
            out.push((client, course_id, sessions, facts));
        }
        Ok(out)
    }
}

/// An active client's current course: client, course id, rule-relevant sessions, facts.
type ActiveCourse = (Client, String, Vec<SessionView>, CourseFacts);

fn display(legal: String, preferred: String) -> String {
    if preferred.is_empty() {
        legal
    } else {
        preferred
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn clearance_dates(c: &Clearance) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let on = NaiveDate::parse_from_str(&c.cleared_on, "%Y-%m-%d").ok()?;
    let until = NaiveDate::parse_from_str(&c.valid_until, "%Y-%m-%d").ok();
    Some((on, until))
}

/// The instant a local wall time names. A time skipped by a daylight-saving change is
/// refused with a sentence; a repeated one (clocks go back) means the first occurrence.
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(Error::invalid(
            "time",
            format!(
                "{} does not exist in {} on {}: the clocks go forward that night. Choose another time.",
                local.format("%H:%M"),
                tz.name(),
                long_date(local.date())
            ),
        )),
    }
}

fn phase_and_track(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    integration: &[IntegrationCheck],
) -> (String, Vec<TrackStep>) {
    let prep_done = facts.completed_preparation();
    let min = settings.min_preparation_sessions as usize;
    let dosings: Vec<&SessionFact> = facts
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Dosing && s.status.counts())
        .collect();
    let completed = dosings
        .iter()
        .filter(|s| s.status == SessionStatus::Completed)
        .count();
    let integrated = |n: usize| {
        // Integration n is done when a completed integration follows dosing n.
        integration
            .get(n - 1)
            .and_then(|c| c.integration_session_id.as_ref())
            .is_some_and(|id| {
                facts
                    .sessions
                    .iter()
                    .any(|s| &s.id == id && s.status == SessionStatus::Completed)
            })
    };
    let recommended = settings.recommended_dosings as usize;
    let total = recommended.max(dosings.len());

    // One step for preparation, then one per dosing with its integration folded in:
    // a track of 7 steps for a course of 6 fits the window without scrolling.
    let mut track = vec![TrackStep {
        phase: PhaseKind::Preparation,
        label: "Preparation".into(),
        state: if completed > 0 || prep_done >= min {
            StepState::Done
        } else {
            StepState::Current
        },
        detail: format!("{} of {min} completed", prep_done.min(99)),
    }];
    for n in 1..=total {
        let check = integration.get(n - 1);
        let (state, detail) = if n <= completed {
            match check.map(|c| c.state) {
                _ if integrated(n) => (StepState::Done, "Integration done".to_owned()),
                Some(IntegrationState::Overdue | IntegrationState::StronglyOverdue) => {
                    (StepState::Attention, "Integration overdue".to_owned())
                }
                Some(IntegrationState::NotBooked) => {
                    (StepState::Current, "Integration to book".to_owned())
                }
                Some(IntegrationState::BookedLate) => {
                    (StepState::Current, "Integration booked late".to_owned())
                }
                _ => (StepState::Current, "Integration booked".to_owned()),
            }
        } else if n <= dosings.len() {
            (StepState::Upcoming, "Booked".to_owned())
        } else if n == completed + 1
            && prep_done >= min
            && (completed == 0 || integrated(completed))
        {
            (StepState::Current, "Next".to_owned())
        } else {
            (StepState::Upcoming, String::new())
        };
        track.push(TrackStep {
            phase: PhaseKind::Dosing,
            label: format!("Dosing {n}"),
            state,
            detail,
        });
    }

    let label = if completed == 0 {
        format!("Preparation ({prep_done} of {min} sessions completed)")
    } else if !integrated(completed) {
        format!("Integration after dosing {completed} of {recommended}")
    } else if completed < recommended {
        format!("Dosing: {completed} of {recommended} completed")
    } else {
        "Follow-up: the recommended course is complete".to_owned()
    };
    (label, track)
}

fn next_step(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    gates: &[Gate],
    integration: &[IntegrationCheck],
    sessions: &[SessionView],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> NextStep {
    let suggest = |kind, date: NaiveDate| {
        Some(SuggestedBooking {
            kind,
            date: date.to_string(),
            time: "10:00".into(),
        })
    };
    let step = |title: String, detail: String, suggestion| NextStep {
        title,
        detail,
        suggestion,
    };
    let upcoming = |kind: SessionKind| {
        sessions
            .iter()
            .find(|s| s.kind == kind && s.status == SessionStatus::Scheduled && s.starts_utc >= now)
    };

    if let Some(c) = integration.iter().find(|c| {
        matches!(
            c.state,
            IntegrationState::Overdue | IntegrationState::StronglyOverdue
        )
    }) {
        return step(
            format!(
                "Book the integration session for dosing {}",
                c.dosing_number
            ),
            format!(
                "It was due by {}; {} days have passed since the dosing.",
                long_date(c.window_end),
                c.days_since_dosing
            ),
            suggest(SessionKind::Integration, today),
        );
    }
    if let Some(c) = integration
        .iter()
        .find(|c| c.state == IntegrationState::NotBooked)
    {
        return step(
            format!(
                "Book the integration session for dosing {}",
                c.dosing_number
            ),
            format!(
                "Within the window: {} to {}.",
                long_date(c.window_start),
                long_date(c.window_end)
            ),
            suggest(SessionKind::Integration, c.window_start.max(today)),
        );
    }
    let completed_dosings = facts
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Dosing && s.status == SessionStatus::Completed)
        .count() as u32;
    if let Some(d) = upcoming(SessionKind::Dosing) {
        return step(
            format!("{} on {} at {}", d.label, long_date(d.local_date()), d.time),
            if completed_dosings == 0 && gates.iter().any(|g| g.open) {
                "Gates are still open: close them before the day.".into()
            } else {
                "Print the dosing-day handout and confirm the ride home.".into()
            },
            None,
        );
    }
    if completed_dosings == 0 {
        let prep_done = facts.completed_preparation() as u32;
        if prep_done < settings.min_preparation_sessions {
            return match upcoming(SessionKind::Preparation) {
                Some(p) => step(
                    format!("{} on {} at {}", p.label, long_date(p.local_date()), p.time),
                    format!(
                        "{prep_done} of {} preparation sessions completed.",
                        settings.min_preparation_sessions
                    ),
                    None,
                ),
                None => step(
                    format!("Book preparation session {}", prep_done + 1),
                    format!(
                        "{prep_done} of {} preparation sessions completed.",
                        settings.min_preparation_sessions
                    ),
                    suggest(SessionKind::Preparation, today),
                ),
            };
        }
        let open: Vec<&Gate> = gates.iter().filter(|g| g.open).collect();
        if !open.is_empty() {
            return step(
                "Close the gates before the first dosing".into(),
                open.iter()
                    .map(|g| g.title.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                None,
            );
        }
        return step(
            "Ready for the first dosing".into(),
            "Every gate is closed. Book the first dosing session (about 3 hours).".into(),
            suggest(SessionKind::Dosing, today + Duration::days(1)),
        );
    }
    if completed_dosings < settings.recommended_dosings {
        return step(
            format!("Book dosing {}", completed_dosings + 1),
            format!(
                "{completed_dosings} of {} dosing sessions completed; at most {} a week.",
                settings.recommended_dosings, settings.max_dosings_per_week
            ),
            suggest(SessionKind::Dosing, today + Duration::days(7)),
        );
    }
    step(
        "Plan follow-up".into(),
        format!(
            "The recommended {} dosing sessions are complete.",
            settings.recommended_dosings
        ),
        suggest(SessionKind::FollowUp, today + Duration::days(30)),
    )
}
