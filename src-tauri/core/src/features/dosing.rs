//! The structured record of a dosing day: start checks, the medication as prescribed,
//! vitals, adverse events and discharge. It is kept apart from the narrative note, which
//! links to it instead of retyping dose and vitals.
//!
//! Times are the session's local wall clock (`HH:MM`): a dosing day is one afternoon in
//! the office, and that is the time the therapist reads and prints. The rows are in
//! `store::dosing`, the decisions (closed records, discharge, warnings) in
//! `rules::dosing`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::error::Result;
use crate::model::dosing::{
    AdverseEventInput, CheckState, DosingCheck, DosingPlan, DosingRecord, DosingSettings,
    DosingWatch, Medication, VitalsInput, opt_time, time,
};
use crate::model::session::{SessionStatus, SessionView};
use crate::rules::dosing as rules;
use crate::rules::gates::DosingSlot;
use crate::rules::{prescription, vitals_schedule};
use crate::store;
use crate::vault::Vault;

impl Vault {
    fn dosing_session(&self, session_id: &str) -> Result<SessionView> {
        let s = self.session(session_id)?;
        rules::check_is_dosing(&s)?;
        Ok(s)
    }

    /// The session, ready to be written to: a completed session's record is closed.
    fn open_dosing_session(&self, session_id: &str) -> Result<SessionView> {
        let s = self.session(session_id)?;
        rules::check_record_open(&s)?;
        Ok(s)
    }

    /// Creates the record's row if needed and runs `write` on it, in one transaction.
    fn write_dosing_row(
        &mut self,
        session_id: &str,
        now: DateTime<Utc>,
        write: impl FnOnce(&rusqlite::Connection) -> Result<()>,
    ) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        store::dosing::ensure_record(&tx, session_id, now)?;
        write(&tx)?;
        tx.commit()?;
        Ok(())
    }

    pub fn dosing_settings(&self) -> Result<DosingSettings> {
        store::dosing::settings(self.conn())
    }

    pub fn save_dosing_settings(
        &mut self,
        settings: DosingSettings,
        now: DateTime<Utc>,
    ) -> Result<DosingSettings> {
        let s = settings.validated()?;
        let tx = self.conn_mut().transaction()?;
        store::dosing::save_settings(&tx, &s)?;
        store::audit::record(&tx, now, "dosing_settings_saved", "")?;
        tx.commit()?;
        self.dosing_settings()
    }

    pub fn dosing_record(&self, session_id: &str) -> Result<DosingRecord> {
        let session = self.dosing_session(session_id)?;
        let client = self.client_of(&session)?;
        let conn = self.conn();
        let row = store::dosing::record(conn, session_id)?.unwrap_or_default();
        let ticked = store::dosing::checks(conn, session_id)?;
        let states = |checks: &[DosingCheck]| -> Vec<CheckState> {
            checks
                .iter()
                .map(|c| CheckState {
                    check: *c,
                    label: c.label().into(),
                    at: ticked.get(c.as_str()).cloned(),
                })
                .collect()
        };
        let start_checks = states(&DosingCheck::START);
        let discharge_checks = states(&DosingCheck::DISCHARGE);
        let vitals = store::dosing::vitals(conn, session_id)?;
        let events = store::dosing::events(conn, session_id)?;
        let settings = self.dosing_settings()?;
        let discharge_missing = rules::discharge_missing(
            &discharge_checks,
            row.discharged_at.as_deref(),
            vitals_schedule::discharge_reading_missing(&settings, &vitals),
        );
        let mut warnings = rules::pre_dose_bp_warnings(&vitals, &settings);
        let prescribed = store::prescriptions::latest(conn, &session.course_id)?;
        let prescription_differences = prescribed
            .as_ref()
            .map(|rx| prescription::differences(rx, &row.medication))
            .unwrap_or_default();
        warnings.extend(prescription::missing_reason_warning(
            &prescription_differences,
            &row.medication.difference_reason,
        ));
        let (ride_name, ride_phone) = rules::ride_home(&row.plan, &client.details.ride_home);
        let still_needed = if session.status == SessionStatus::Scheduled {
            let sessions = store::sessions::of_course(conn, &session.course_id)?;
            let facts = self.course_facts(&client, &session.course_id, &sessions)?;
            let day = session.local_date();
            crate::rules::open_gates_for_dosing(
                &facts,
                &self.protocol_settings()?,
                DosingSlot::booked(day, &session.id),
                day,
            )
        } else {
            Vec::new()
        };
        Ok(DosingRecord {
            still_needed,
            locked: session.status == SessionStatus::Completed,
            session,
            client_id: client.id.clone(),
            client_name: client.display_name.clone(),
            client_identity: client.identified(),
            plan: row.plan,
            ride_name,
            ride_phone,
            start_checks,
            medication: row.medication,
            prescribed,
            prescription_differences,
            vitals,
            events,
            discharge_checks,
            discharged_at: row.discharged_at,
            discharge_missing,
            warnings,
        })
    }

    /// Ticks (`at` = `HH:MM`) or unticks (`None`) one check.
    pub fn set_dosing_check(
        &mut self,
        session_id: &str,
        check: DosingCheck,
        at: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        match at {
            Some(at) => {
                let at = time("at", at)?;
                self.write_dosing_row(session_id, now, |conn| {
                    store::dosing::tick(conn, session_id, check, &at)
                })?;
            }
            None => store::dosing::untick(self.conn(), session_id, check)?,
        }
        self.dosing_record(session_id)
    }

    pub fn save_dosing_plan(
        &mut self,
        session_id: &str,
        plan: DosingPlan,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        let plan = plan.validated()?;
        self.write_dosing_row(session_id, now, |conn| {
            store::dosing::save_plan(conn, session_id, &plan)
        })?;
        self.dosing_record(session_id)
    }

    pub fn save_medication(
        &mut self,
        session_id: &str,
        m: Medication,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        let session = self.open_dosing_session(session_id)?;
        let mut m = m.validated()?;
        // Saved as typed even while it differs (the record shows the difference and asks
        // for the reason; completing waits for it), so nothing typed is ever lost.
        let differences = store::prescriptions::latest(self.conn(), &session.course_id)?
            .map(|rx| prescription::differences(&rx, &m))
            .unwrap_or_default();
        if differences.is_empty() {
            // A reason only ever explains a difference on the record.
            m.difference_reason.clear();
        }
        self.write_dosing_row(session_id, now, |conn| {
            store::dosing::save_medication(conn, session_id, &m)
        })?;
        self.dosing_record(session_id)
    }

    pub fn add_vitals(
        &mut self,
        session_id: &str,
        input: VitalsInput,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        let v = input.validated()?;
        self.write_dosing_row(session_id, now, |conn| {
            store::dosing::insert_vitals(conn, id, session_id, &v, now)
        })?;
        self.dosing_record(session_id)
    }

    /// Removes a reading entered by mistake, before the session is completed. The audit
    /// trail keeps which reading it was (its time and phase, not its values).
    pub fn remove_vitals(
        &mut self,
        session_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        let which = store::dosing::vitals(self.conn(), session_id)?
            .into_iter()
            .find(|v| v.id == id)
            .map(|v| format!("reading {id} at {} ({})", v.at, v.phase.label()));
        self.remove_dosing_row(session_id, which, "dosing_vitals_removed", now, |conn| {
            store::dosing::delete_vitals(conn, session_id, id)
        })
    }

    pub fn add_adverse_event(
        &mut self,
        session_id: &str,
        e: AdverseEventInput,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        let e = e.validated()?;
        self.write_dosing_row(session_id, now, |conn| {
            store::dosing::insert_event(conn, id, session_id, &e, now)
        })?;
        self.dosing_record(session_id)
    }

    /// Removes an adverse event entered by mistake, before the session is completed. The
    /// audit trail keeps which event it was (its time and kind, not the description).
    pub fn remove_adverse_event(
        &mut self,
        session_id: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        let which = store::dosing::events(self.conn(), session_id)?
            .into_iter()
            .find(|e| e.id == id)
            .map(|e| format!("event {id} at {} ({})", e.at, e.kind.label()));
        self.remove_dosing_row(session_id, which, "dosing_event_removed", now, |conn| {
            store::dosing::delete_event(conn, session_id, id)
        })
    }

    /// Deletes one row of an open dosing record and, when it existed, audits which one
    /// in the same transaction.
    fn remove_dosing_row(
        &mut self,
        session_id: &str,
        which: Option<String>,
        event: &str,
        now: DateTime<Utc>,
        delete: impl FnOnce(&rusqlite::Connection) -> Result<()>,
    ) -> Result<DosingRecord> {
        let tx = self.conn_mut().transaction()?;
        delete(&tx)?;
        if let Some(which) = which {
            store::audit::record(&tx, now, event, &format!("{session_id} {which}"))?;
        }
        tx.commit()?;
        self.dosing_record(session_id)
    }

    /// Sets or clears the discharge time.
    pub fn set_discharge_time(
        &mut self,
        session_id: &str,
        at: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        let session = self.open_dosing_session(session_id)?;
        let at = opt_time("dischargedAt", &at.map(str::to_owned))?;
        if at.is_some() {
            self.check_discharge_allowed(&session)?;
        }
        self.write_dosing_row(session_id, now, |conn| {
            store::dosing::set_discharged_at(conn, session_id, at.as_deref())
        })?;
        self.dosing_record(session_id)
    }

    /// The whole discharge at once: the three checks and the time, in one transaction.
    pub fn discharge(
        &mut self,
        session_id: &str,
        at: &str,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        let session = self.open_dosing_session(session_id)?;
        let at = time("at", at)?;
        self.check_discharge_allowed(&session)?;
        let tx = self.conn_mut().transaction()?;
        store::dosing::upsert_discharged_at(&tx, session_id, &at, now)?;
        for c in DosingCheck::DISCHARGE {
            store::dosing::tick(&tx, session_id, c, &at)?;
        }
        tx.commit()?;
        self.dosing_record(session_id)
    }

    fn check_discharge_allowed(&self, session: &SessionView) -> Result<()> {
        let vitals = store::dosing::vitals(self.conn(), &session.id)?;
        rules::check_discharge_allowed(
            session,
            vitals_schedule::discharge_reading_missing(&self.dosing_settings()?, &vitals),
        )
    }

    /// The live view of a dosing in progress at `now`: time since the dose and the
    /// vital-signs prompts. Times are live only on the session's own day while it is
    /// still open.
    pub fn dosing_watch(&self, session_id: &str, now: DateTime<Utc>) -> Result<DosingWatch> {
        let session = self.dosing_session(session_id)?;
        let conn = self.conn();
        let row = store::dosing::record(conn, session_id)?.unwrap_or_default();
        let vitals = store::dosing::vitals(conn, session_id)?;
        let tz: Tz = session.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let local = now.with_timezone(&tz);
        let live_now = (session.status == SessionStatus::Scheduled
            && local.date_naive() == session.local_date())
        .then(|| local.time());
        Ok(vitals_schedule::watch(
            &self.dosing_settings()?,
            row.medication.taken_at.as_deref(),
            &vitals,
            live_now,
            row.discharged_at.is_some(),
        ))
    }

    /// The rule `set_session_status` applies before a dosing session is completed.
    pub(crate) fn check_discharged(&self, session_id: &str) -> Result<()> {
        rules::check_discharged(&self.dosing_record(session_id)?)
    }
}
