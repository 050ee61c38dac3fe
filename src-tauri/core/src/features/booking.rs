//! Courses and sessions: starting a course, recording what the medical team sends
//! (clearance, prescription), booking sessions with the checks before a dosing, and
//! changing a session's status.

use chrono::{DateTime, Utc};

use crate::dates::{long_date, resolve_local};
use crate::error::{Error, Result};
use crate::model::client::{Client, ReleaseOfInformation};
use crate::model::session::{
    BookingOutcome, BookingRequest, Clearance, CourseInfo, Prescription, SessionKind,
    SessionStatus, SessionView,
};
use crate::rules::gates::{DosingSlot, refusal, still_needed};
use crate::rules::{self, CourseFacts};
use crate::store;
use crate::store::sessions::NewSession;
use crate::validate;
use crate::vault::Vault;

impl Vault {
    pub(crate) fn courses(&self, client_id: &str) -> Result<Vec<CourseInfo>> {
        store::courses::list(self.conn(), client_id)
    }

    pub(crate) fn current_course(&self, client_id: &str) -> Result<CourseInfo> {
        store::courses::current(self.conn(), client_id)?.ok_or_else(|| Error::NotFound {
            what: "That client".into(),
        })
    }

    /// The client a session belongs to.
    pub fn client_of(&self, session: &SessionView) -> Result<Client> {
        let id = store::courses::client_of(self.conn(), &session.course_id)?.ok_or_else(|| {
            Error::NotFound {
                what: "That session's client".into(),
            }
        })?;
        self.client(&id)
    }

    /// Starts a new treatment course (a client returning months later). Its checks
    /// start open again: a new clearance, prescription and consent are needed.
    pub fn start_course(
        &mut self,
        client_id: &str,
        course_id: &str,
        now: DateTime<Utc>,
    ) -> Result<CourseInfo> {
        let current = self.current_course(client_id)?;
        let today = self.today(now)?;
        let tx = self.conn_mut().transaction()?;
        store::courses::insert(&tx, course_id, client_id, current.number + 1, today, now)?;
        store::audit::record(&tx, now, "course_started", course_id)?;
        tx.commit()?;
        self.current_course(client_id)
    }

    pub fn record_clearance(
        &mut self,
        client_id: &str,
        c: Clearance,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let course = self.current_course(client_id)?;
        let c = c.validated(self.today(now)?)?;
        store::clearances::insert(self.conn(), id, &course.id, &c, now)
    }

    /// Records the client's signed release of information to the partner medical team,
    /// one of the checks before a first dosing.
    pub fn record_release_of_information(
        &mut self,
        client_id: &str,
        r: ReleaseOfInformation,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let client = self.client(client_id)?;
        let r = r.validated(self.today(now)?)?;
        let tx = self.conn_mut().transaction()?;
        store::releases::insert(&tx, id, &client.id, &r, now)?;
        store::audit::record(&tx, now, "release_of_information_recorded", &client.id)?;
        tx.commit()?;
        Ok(())
    }

    /// The client's newest release of information, if one is recorded.
    pub fn release_of_information(&self, client_id: &str) -> Result<Option<ReleaseOfInformation>> {
        store::releases::latest(self.conn(), client_id)
    }

    pub fn record_prescription(
        &mut self,
        client_id: &str,
        p: Prescription,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let course = self.current_course(client_id)?;
        let p = p.validated(self.today(now)?)?;
        store::prescriptions::insert(self.conn(), id, &course.id, &p, now)
    }

    /// What the rules need to know about one course of a client.
    pub(crate) fn course_facts(
        &self,
        client: &Client,
        course_id: &str,
        sessions: &[SessionView],
    ) -> Result<CourseFacts> {
        Ok(CourseFacts::new(
            client,
            sessions,
            store::clearances::latest(self.conn(), course_id)?.as_ref(),
            store::prescriptions::latest(self.conn(), course_id)?
                .map(|p| p.valid_until)
                .as_deref(),
            store::consent::standing_since(self.conn(), course_id)?,
            store::consent::any_withdrawn(self.conn(), course_id)?,
        )
        .with_release(store::releases::latest(self.conn(), &client.id)?.as_ref())
        .with_measures(
            store::measures::facts_of_course(self.conn(), course_id)?,
            &store::measures::schedule(self.conn())?,
        ))
    }

    /// Books a session in the client's current course. A dosing while any check is
    /// open is refused with the list of what is missing, unless a written reason is
    /// given, which is kept on the record.
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
            let sessions = store::sessions::of_course(self.conn(), &course.id)?;
            let facts = self.course_facts(&client, &course.id, &sessions)?;
            let today = self.today(now)?;
            let open =
                rules::open_gates_for_dosing(&facts, &settings, DosingSlot::new(date), today);
            if !open.is_empty() && reason.is_none() {
                return Err(refusal(&open));
            }
            if !open.is_empty() {
                warnings.push(format!(
                    "Booked while still needed before dosing: {}. Your reason is kept on the record and shown on the day.",
                    still_needed(&open)
                ));
            }
            warnings.extend(rules::dosing_warnings(&facts, &settings, date, None));
        }

        let tx = self.conn_mut().transaction()?;
        store::sessions::insert(
            &tx,
            &NewSession {
                id: session_id,
                course_id: &course.id,
                kind: req.kind,
                starts_local: date.and_time(time),
                time_zone: tz.name(),
                starts_utc,
                duration_min: duration,
                location: &location,
                gate_override: reason.as_deref(),
            },
            now,
        )?;
        if reason.is_some() {
            store::audit::record(&tx, now, "dosing_booked_with_open_gates", session_id)?;
        }
        tx.commit()?;
        self.outcome(session_id, warnings)
    }

    /// The booked or moved session with its warnings, and for a dosing the integration
    /// it still needs, offered in the same form.
    fn outcome(&self, session_id: &str, warnings: Vec<String>) -> Result<BookingOutcome> {
        let session = self.session(session_id)?;
        let integration_offer = if session.kind == SessionKind::Dosing {
            let course = store::sessions::of_course(self.conn(), &session.course_id)?;
            crate::rules::integration::offer_after(&course, &session, &self.protocol_settings()?)
        } else {
            None
        };
        Ok(BookingOutcome {
            session,
            warnings,
            integration_offer,
        })
    }

    /// Moves a booked session to another day or time, in the practice's time zone. The
    /// move is kept with the session. A dosing is checked again on its new date: if
    /// something is still needed then, the move is refused unless a written reason is
    /// given now or was given when it was booked (it stays on the record).
    pub fn move_session(
        &mut self,
        session_id: &str,
        date: &str,
        time: &str,
        override_reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<BookingOutcome> {
        let session = self.session(session_id)?;
        if session.status != SessionStatus::Scheduled {
            return Err(Error::invalid(
                "status",
                format!(
                    "{} on {} is {}; only a session still to come can be moved.",
                    session.label,
                    long_date(session.local_date()),
                    match session.status {
                        SessionStatus::Completed => "completed",
                        SessionStatus::Cancelled => "cancelled",
                        _ => "marked missed",
                    }
                ),
            ));
        }
        let tz = self.practice_time_zone()?;
        let new_date = validate::date("date", date)?;
        let new_time = validate::time("time", time)?;
        let starts_local = new_date.and_time(new_time);
        let starts_utc = resolve_local(tz, starts_local)?;
        let reason = override_reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());

        let mut warnings = Vec::new();
        if session.kind == SessionKind::Dosing {
            let client = self.client_of(&session)?;
            let settings = self.protocol_settings()?;
            // The course as it will be once moved, so "the dosing before" is right.
            let mut sessions = store::sessions::of_course(self.conn(), &session.course_id)?;
            if let Some(s) = sessions.iter_mut().find(|s| s.id == session.id) {
                s.date = new_date.to_string();
                s.time = new_time.format("%H:%M").to_string();
                s.starts_utc = starts_utc;
            }
            sessions.sort_by(|a, b| {
                a.starts_utc
                    .cmp(&b.starts_utc)
                    .then_with(|| a.id.cmp(&b.id))
            });
            let facts = self.course_facts(&client, &session.course_id, &sessions)?;
            let open = rules::open_gates_for_dosing(
                &facts,
                &settings,
                DosingSlot::booked(new_date, &session.id),
                self.today(now)?,
            );
            if !open.is_empty() && reason.is_none() && session.gate_override.is_none() {
                return Err(refusal(&open));
            }
            if !open.is_empty() {
                warnings.push(format!(
                    "Moved while still needed before dosing: {}. The reason on record is shown on the day.",
                    still_needed(&open)
                ));
            }
            warnings.extend(rules::dosing_warnings(
                &facts,
                &settings,
                new_date,
                Some(&session.id),
            ));
        }

        let from_local = format!("{}T{}", session.date, session.time);
        let tx = self.conn_mut().transaction()?;
        store::sessions::move_to(
            &tx,
            session_id,
            &from_local,
            starts_local,
            starts_utc,
            reason.as_deref(),
            now,
        )?;
        store::audit::record(
            &tx,
            now,
            "session_moved",
            &format!(
                "{session_id} {from_local} -> {}",
                starts_local.format("%Y-%m-%dT%H:%M")
            ),
        )?;
        tx.commit()?;
        self.outcome(session_id, warnings)
    }

    /// Every move of a session, oldest first, in words: "from Thursday 3 December 2026
    /// at 10:00 to Friday 4 December 2026 at 14:00".
    pub fn session_moves(&self, session_id: &str) -> Result<Vec<String>> {
        let words = |local: &str| {
            let date =
                chrono::NaiveDate::parse_from_str(local.get(..10).unwrap_or_default(), "%Y-%m-%d");
            match date {
                Ok(d) => format!(
                    "{} at {}",
                    long_date(d),
                    local.get(11..16).unwrap_or_default()
                ),
                Err(_) => local.to_owned(),
            }
        };
        Ok(store::sessions::moves(self.conn(), session_id)?
            .into_iter()
            .map(|(from, to)| format!("from {} to {}", words(&from), words(&to)))
            .collect())
    }

    /// Puts a session marked completed by mistake back to booked, with the reason. Not a
    /// dosing (closed for good) and not once its note is signed.
    pub fn reopen_session(
        &mut self,
        session_id: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<SessionView> {
        let session = self.session(session_id)?;
        let mut reason = reason.to_owned();
        crate::validate::trimmed("reason", &mut reason, 1000)?;
        rules::dosing::check_reopen(&session, &reason)?;
        let tx = self.conn_mut().transaction()?;
        store::sessions::reopen(&tx, session_id, &reason, now)?;
        store::audit::record(&tx, now, "session_reopened", session_id)?;
        tx.commit()?;
        self.session(session_id)
    }

    pub fn set_session_status(
        &mut self,
        session_id: &str,
        status: SessionStatus,
        now: DateTime<Utc>,
    ) -> Result<SessionView> {
        let session = self.session(session_id)?;
        rules::dosing::check_status_change(&session, status)?;
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
        let tx = self.conn_mut().transaction()?;
        store::sessions::set_status(&tx, session_id, status, now)?;
        store::audit::record(
            &tx,
            now,
            "session_status_changed",
            &format!(
                "{session_id} {} -> {}",
                session.status.as_str(),
                status.as_str()
            ),
        )?;
        tx.commit()?;
        self.session(session_id)
    }
}
