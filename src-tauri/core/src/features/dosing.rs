//! The structured record of a dosing day: start checks, the medication as prescribed,
//! vitals, adverse events and discharge. It is kept apart from the narrative note, which
//! links to it instead of retyping dose and vitals.
//!
//! Times are the session's local wall clock (`HH:MM`): a dosing day is one afternoon in
//! the office, and that is the time the therapist reads and prints.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::dosing::{
    AdverseEvent, AdverseEventInput, AdverseEventKind, CheckState, DosingCheck, DosingPlan,
    DosingRecord, DosingSettings, Medication, Route, Vitals, VitalsInput, VitalsPhase, join_words,
    opt_time, time,
};
use crate::model::session::{SessionKind, SessionStatus, SessionView};
use crate::validate;
use crate::vault::Vault;

impl Vault {
    fn dosing_session(&self, session_id: &str) -> Result<SessionView> {
        let s = self.session(session_id)?;
        if s.kind != SessionKind::Dosing {
            return Err(Error::invalid(
                "session",
                format!(
                    "{} is not a dosing session; only dosing sessions have a dosing record.",
                    s.label
                ),
            ));
        }
        Ok(s)
    }

    /// The session, ready to be written to: a completed session's record is closed.
    fn open_dosing_session(&self, session_id: &str) -> Result<SessionView> {
        let s = self.dosing_session(session_id)?;
        if s.status == SessionStatus::Completed {
            return Err(Error::invalid(
                "session",
                format!(
                    "{} is completed, so its dosing record is closed. Add a correction as an addendum to the session note.",
                    s.label
                ),
            ));
        }
        Ok(s)
    }

    fn ensure_dosing_row(&self, session_id: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO dosing_records (session_id, updated_at) VALUES (?1, ?2)
             ON CONFLICT (session_id) DO UPDATE SET updated_at = excluded.updated_at",
            params![session_id, now.to_rfc3339()],
        )?;
        Ok(())
    }

    pub fn dosing_settings(&self) -> Result<DosingSettings> {
        Ok(self.conn().query_row(
            "SELECT bp_systolic_max, bp_diastolic_max, fasting_food_hours, fasting_liquid_hours
             FROM dosing_settings WHERE id = 1",
            [],
            |r| {
                Ok(DosingSettings {
                    bp_systolic_max: r.get(0)?,
                    bp_diastolic_max: r.get(1)?,
                    fasting_food_hours: r.get(2)?,
                    fasting_liquid_hours: r.get(3)?,
                })
            },
        )?)
    }

    pub fn save_dosing_settings(
        &mut self,
        settings: DosingSettings,
        now: DateTime<Utc>,
    ) -> Result<DosingSettings> {
        let s = settings.validated()?;
        self.conn().execute(
            "UPDATE dosing_settings SET bp_systolic_max = ?1, bp_diastolic_max = ?2,
                    fasting_food_hours = ?3, fasting_liquid_hours = ?4 WHERE id = 1",
            params![
                s.bp_systolic_max,
                s.bp_diastolic_max,
                s.fasting_food_hours,
                s.fasting_liquid_hours
            ],
        )?;
        self.audit(now, "dosing_settings_saved", "")?;
        self.dosing_settings()
    }

    pub fn dosing_record(&self, session_id: &str) -> Result<DosingRecord> {
        let session = self.dosing_session(session_id)?;
        let client = self.client_of(&session)?;
        type Row = (DosingPlan, Medication, Option<String>);
        let row: Option<Row> = self
            .conn()
            .query_row(
                "SELECT intentions, ride_name, ride_phone, medication, route, route_other,
                        dose_per_unit_mg, units, taken_at, booster_mg, booster_at, discharged_at
                 FROM dosing_records WHERE session_id = ?1",
                [session_id],
                |r| {
                    let route: Option<String> = r.get(4)?;
                    Ok((
                        DosingPlan {
                            intentions: r.get(0)?,
                            ride_name: r.get(1)?,
                            ride_phone: r.get(2)?,
                        },
                        Medication {
                            name: r.get(3)?,
                            route: route.as_deref().and_then(Route::from_sql),
                            route_other: r.get(5)?,
                            dose_per_unit_mg: r.get(6)?,
                            units: r.get(7)?,
                            taken_at: r.get(8)?,
                            booster_mg: r.get(9)?,
                            booster_at: r.get(10)?,
                        },
                        r.get(11)?,
                    ))
                },
            )
            .optional()?;
        let (plan, medication, discharged_at) = row.unwrap_or_default();

        let mut ticked = std::collections::HashMap::new();
        {
            let mut stmt = self
                .conn()
                .prepare("SELECT check_id, checked_at FROM dosing_checks WHERE session_id = ?1")?;
            let rows = stmt.query_map([session_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (id, at) = row?;
                ticked.insert(id, at);
            }
        }
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

        let vitals = {
            let mut stmt = self.conn().prepare(
                "SELECT id, taken_at, phase, systolic, diastolic, heart_rate, spo2
                 FROM dosing_vitals WHERE session_id = ?1 ORDER BY taken_at, created_at",
            )?;
            stmt.query_map([session_id], |r| {
                Ok(Vitals {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    phase: VitalsPhase::from_sql(&r.get::<_, String>(2)?),
                    systolic: r.get(3)?,
                    diastolic: r.get(4)?,
                    heart_rate: r.get(5)?,
                    spo2: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let events = {
            let mut stmt = self.conn().prepare(
                "SELECT id, occurred_at, kind, description, action
                 FROM dosing_events WHERE session_id = ?1 ORDER BY occurred_at, created_at",
            )?;
            stmt.query_map([session_id], |r| {
                Ok(AdverseEvent {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    kind: AdverseEventKind::parse(&r.get::<_, String>(2)?)
                        .unwrap_or(AdverseEventKind::Other),
                    description: r.get(3)?,
                    action: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };

        let mut discharge_missing: Vec<String> = discharge_checks
            .iter()
            .filter(|c| c.at.is_none())
            .map(|c| c.label.to_lowercase())
            .collect();
        if discharged_at.is_none() {
            discharge_missing.push("the discharge time".into());
        }

        let settings = self.dosing_settings()?;
        let mut warnings = Vec::new();
        for v in vitals.iter().filter(|v| v.phase == VitalsPhase::PreDose) {
            let over_sys = settings.bp_systolic_max.is_some_and(|m| v.systolic > m);
            let over_dia = settings.bp_diastolic_max.is_some_and(|m| v.diastolic > m);
            if over_sys || over_dia {
                warnings.push(format!(
                    "The pre-dose blood pressure at {} ({}/{}) is above the practice threshold of {}/{}. Check with the prescriber before dosing.",
                    v.at,
                    v.systolic,
                    v.diastolic,
                    settings
                        .bp_systolic_max
                        .map_or("\u{2013}".into(), |m| m.to_string()),
                    settings
                        .bp_diastolic_max
                        .map_or("\u{2013}".into(), |m| m.to_string()),
                ));
            }
        }

        let (ride_name, ride_phone) = if plan.ride_name.is_empty() {
            (
                client.details.ride_home.name.clone(),
                client.details.ride_home.phone.clone(),
            )
        } else {
            (plan.ride_name.clone(), plan.ride_phone.clone())
        };
        Ok(DosingRecord {
            locked: session.status == SessionStatus::Completed,
            session,
            client_id: client.id.clone(),
            client_name: client.display_name.clone(),
            plan,
            ride_name,
            ride_phone,
            start_checks,
            medication,
            vitals,
            events,
            discharge_checks,
            discharged_at,
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
                self.ensure_dosing_row(session_id, now)?;
                self.conn().execute(
                    "INSERT INTO dosing_checks (session_id, check_id, checked_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (session_id, check_id) DO UPDATE SET checked_at = excluded.checked_at",
                    params![session_id, check.as_str(), at],
                )?;
            }
            None => {
                self.conn().execute(
                    "DELETE FROM dosing_checks WHERE session_id = ?1 AND check_id = ?2",
                    params![session_id, check.as_str()],
                )?;
            }
        }
        self.dosing_record(session_id)
    }

    pub fn save_dosing_plan(
        &mut self,
        session_id: &str,
        mut plan: DosingPlan,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        validate::trimmed("intentions", &mut plan.intentions, 2000)?;
        validate::trimmed("rideName", &mut plan.ride_name, 120)?;
        validate::trimmed("ridePhone", &mut plan.ride_phone, 40)?;
        validate::phone("ridePhone", &plan.ride_phone)?;
        if plan.ride_name.is_empty() && !plan.ride_phone.is_empty() {
            return Err(Error::invalid(
                "rideName",
                "Add the name of the person driving the client home, with their phone.",
            ));
        }
        self.ensure_dosing_row(session_id, now)?;
        self.conn().execute(
            "UPDATE dosing_records SET intentions = ?2, ride_name = ?3, ride_phone = ?4
             WHERE session_id = ?1",
            params![session_id, plan.intentions, plan.ride_name, plan.ride_phone],
        )?;
        self.dosing_record(session_id)
    }

    pub fn save_medication(
        &mut self,
        session_id: &str,
        mut m: Medication,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        validate::trimmed("medicationName", &mut m.name, 120)?;
        validate::trimmed("routeOther", &mut m.route_other, 120)?;
        let positive = |field: &'static str, v: Option<f64>, max: f64, what: &str| -> Result<()> {
            match v {
                Some(x) if !(x > 0.0 && x <= max) => Err(Error::invalid(
                    field,
                    format!("{what} is more than 0 and at most {max}; check the prescription."),
                )),
                _ => Ok(()),
            }
        };
        positive(
            "dosePerUnitMg",
            m.dose_per_unit_mg,
            1000.0,
            "The dose per unit in mg",
        )?;
        positive("units", m.units, 20.0, "The number of units")?;
        positive("boosterMg", m.booster_mg, 1000.0, "The booster in mg")?;
        m.taken_at = opt_time("takenAt", &m.taken_at)?;
        m.booster_at = opt_time("boosterAt", &m.booster_at)?;
        if m.route == Some(Route::Other) && m.route_other.is_empty() {
            return Err(Error::invalid(
                "routeOther",
                "Describe the route when it is \u{201c}other\u{201d}.",
            ));
        }
        if m.booster_at.is_some() && m.booster_mg.is_none() {
            return Err(Error::invalid(
                "boosterMg",
                "Write the booster's dose in mg along with its time.",
            ));
        }
        self.ensure_dosing_row(session_id, now)?;
        self.conn().execute(
            "UPDATE dosing_records SET medication = ?2, route = ?3, route_other = ?4,
                    dose_per_unit_mg = ?5, units = ?6, taken_at = ?7, booster_mg = ?8, booster_at = ?9
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
                m.booster_at
            ],
        )?;
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
        self.ensure_dosing_row(session_id, now)?;
        self.conn().execute(
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
        self.dosing_record(session_id)
    }

    pub fn remove_vitals(&mut self, session_id: &str, id: &str) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        self.conn().execute(
            "DELETE FROM dosing_vitals WHERE id = ?1 AND session_id = ?2",
            params![id, session_id],
        )?;
        self.dosing_record(session_id)
    }

    pub fn add_adverse_event(
        &mut self,
        session_id: &str,
        mut e: AdverseEventInput,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        e.at = time("at", &e.at)?;
        validate::trimmed("description", &mut e.description, 1000)?;
        validate::trimmed("action", &mut e.action, 1000)?;
        if e.kind == AdverseEventKind::Other && e.description.is_empty() {
            return Err(Error::invalid(
                "description",
                "Describe what happened when the event is \u{201c}other\u{201d}.",
            ));
        }
        if e.action.is_empty() {
            return Err(Error::invalid(
                "action",
                "Write the action taken, even if it was \u{201c}monitored; no action needed\u{201d}.",
            ));
        }
        self.ensure_dosing_row(session_id, now)?;
        self.conn().execute(
            "INSERT INTO dosing_events (id, session_id, occurred_at, kind, description, action, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                session_id,
                e.at,
                e.kind.as_str(),
                e.description,
                e.action,
                now.to_rfc3339()
            ],
        )?;
        self.dosing_record(session_id)
    }

    pub fn remove_adverse_event(&mut self, session_id: &str, id: &str) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        self.conn().execute(
            "DELETE FROM dosing_events WHERE id = ?1 AND session_id = ?2",
            params![id, session_id],
        )?;
        self.dosing_record(session_id)
    }

    /// Sets or clears the discharge time.
    pub fn set_discharge_time(
        &mut self,
        session_id: &str,
        at: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        let at = opt_time("dischargedAt", &at.map(str::to_owned))?;
        self.ensure_dosing_row(session_id, now)?;
        self.conn().execute(
            "UPDATE dosing_records SET discharged_at = ?2 WHERE session_id = ?1",
            params![session_id, at],
        )?;
        self.dosing_record(session_id)
    }

    /// The whole discharge at once: the three checks and the time, in one transaction.
    pub fn discharge(
        &mut self,
        session_id: &str,
        at: &str,
        now: DateTime<Utc>,
    ) -> Result<DosingRecord> {
        self.open_dosing_session(session_id)?;
        let at = time("at", at)?;
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO dosing_records (session_id, updated_at, discharged_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (session_id) DO UPDATE SET discharged_at = excluded.discharged_at,
                                                    updated_at = excluded.updated_at",
            params![session_id, now.to_rfc3339(), at],
        )?;
        for c in DosingCheck::DISCHARGE {
            tx.execute(
                "INSERT INTO dosing_checks (session_id, check_id, checked_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (session_id, check_id) DO UPDATE SET checked_at = excluded.checked_at",
                params![session_id, c.as_str(), at],
            )?;
        }
        tx.commit()?;
        self.dosing_record(session_id)
    }

    /// The rule `set_session_status` applies before a dosing session is completed.
    pub(crate) fn check_discharged(&self, session_id: &str) -> Result<()> {
        let r = self.dosing_record(session_id)?;
        if r.discharge_missing.is_empty() {
            return Ok(());
        }
        Err(Error::invalid(
            "status",
            format!(
                "{} cannot be marked completed before the discharge checklist is done. Still missing: {}.",
                r.session.label,
                join_words(&r.discharge_missing)
            ),
        ))
    }

    // --- Drafts of half-typed forms ----------------------------------------------------

    pub fn save_form_draft(&mut self, key: &str, body: &str, now: DateTime<Utc>) -> Result<()> {
        if key.is_empty() || key.len() > 200 {
            return Err(Error::invalid("key", "A draft needs a short name."));
        }
        if body.len() > 256 * 1024 {
            return Err(Error::invalid(
                "body",
                "This draft is larger than 256 KB and was not saved.",
            ));
        }
        self.conn().execute(
            "INSERT INTO form_drafts (key, body, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            params![key, body, now.to_rfc3339()],
        )?;
        Ok(())
    }

    pub fn form_draft(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT body FROM form_drafts WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn clear_form_draft(&mut self, key: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM form_drafts WHERE key = ?1", [key])?;
        Ok(())
    }
}
