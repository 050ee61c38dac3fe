//! The structured record of a dosing day: start checks, the medication as prescribed,
//! vitals, adverse events and discharge. It is kept apart from the narrative note, which
//! links to it instead of retyping dose and vitals.
//!
//! Times are the session's local wall clock (`HH:MM`): a dosing day is one afternoon in
//! the office, and that is the time the therapist reads and prints.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::protocol::{SessionKind, SessionStatus};
use crate::timeline::SessionView;
use crate::validate;
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DosingCheck {
    Fasting,
    SubstancesHeld,
    MedicationBrought,
    RideConfirmed,
    TouchReviewed,
    IntentionStated,
    EffectsSubsided,
    SteadyOnFeet,
    RidePresent,
}

impl DosingCheck {
    pub const START: [DosingCheck; 6] = [
        DosingCheck::Fasting,
        DosingCheck::SubstancesHeld,
        DosingCheck::MedicationBrought,
        DosingCheck::RideConfirmed,
        DosingCheck::TouchReviewed,
        DosingCheck::IntentionStated,
    ];
    pub const DISCHARGE: [DosingCheck; 3] = [
        DosingCheck::EffectsSubsided,
        DosingCheck::SteadyOnFeet,
        DosingCheck::RidePresent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DosingCheck::Fasting => "fasting",
            DosingCheck::SubstancesHeld => "substances_held",
            DosingCheck::MedicationBrought => "medication_brought",
            DosingCheck::RideConfirmed => "ride_confirmed",
            DosingCheck::TouchReviewed => "touch_reviewed",
            DosingCheck::IntentionStated => "intention_stated",
            DosingCheck::EffectsSubsided => "effects_subsided",
            DosingCheck::SteadyOnFeet => "steady_on_feet",
            DosingCheck::RidePresent => "ride_present",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::START
            .into_iter()
            .chain(Self::DISCHARGE)
            .find(|c| c.as_str() == s.replace('-', "_"))
    }

    pub fn label(self) -> &'static str {
        match self {
            DosingCheck::Fasting => "Fasted as instructed",
            DosingCheck::SubstancesHeld => "Substances held as instructed",
            DosingCheck::MedicationBrought => "Medication brought",
            DosingCheck::RideConfirmed => "Ride home confirmed",
            DosingCheck::TouchReviewed => "Consent to touch reviewed",
            DosingCheck::IntentionStated => "Intention stated",
            DosingCheck::EffectsSubsided => "Effects have subsided",
            DosingCheck::SteadyOnFeet => "Steady on feet",
            DosingCheck::RidePresent => "Ride home is here",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckState {
    pub check: DosingCheck,
    pub label: String,
    /// `HH:MM` when ticked.
    pub at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Sublingual,
    Oral,
    Intramuscular,
    Other,
}

impl Route {
    fn as_str(self) -> &'static str {
        match self {
            Route::Sublingual => "sublingual",
            Route::Oral => "oral",
            Route::Intramuscular => "intramuscular",
            Route::Other => "other",
        }
    }

    fn from_sql(s: &str) -> Option<Self> {
        [
            Route::Sublingual,
            Route::Oral,
            Route::Intramuscular,
            Route::Other,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Route::Sublingual => "sublingual (tablet or troche)",
            Route::Oral => "oral",
            Route::Intramuscular => "intramuscular injection",
            Route::Other => "other",
        }
    }
}

/// The medication taken, as the partner medical team prescribed it. The app records; it
/// never suggests a dose.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Medication {
    pub name: String,
    pub route: Option<Route>,
    /// Describes the route when it is `other`.
    pub route_other: String,
    pub dose_per_unit_mg: Option<f64>,
    pub units: Option<f64>,
    /// `HH:MM`.
    pub taken_at: Option<String>,
    pub booster_mg: Option<f64>,
    pub booster_at: Option<String>,
}

impl Medication {
    /// "Ketamine 100 mg × 2, sublingual (tablet or troche), taken 13:10 (200 mg in all)".
    pub fn summary(&self) -> Option<String> {
        if self.name.is_empty() {
            return None;
        }
        let mut s = self.name.clone();
        if let (Some(d), Some(u)) = (self.dose_per_unit_mg, self.units) {
            s.push_str(&format!(
                " {} mg \u{00d7} {} ({} mg in all)",
                num(d),
                num(u),
                num(d * u)
            ));
        }
        if let Some(r) = self.route {
            s.push_str(", ");
            s.push_str(if r == Route::Other && !self.route_other.is_empty() {
                &self.route_other
            } else {
                r.label()
            });
        }
        if let Some(t) = &self.taken_at {
            s.push_str(&format!(", taken at {t}"));
        }
        if let Some(b) = self.booster_mg {
            s.push_str(&format!("; booster {} mg", num(b)));
            if let Some(t) = &self.booster_at {
                s.push_str(&format!(" at {t}"));
            }
        }
        Some(s)
    }
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{}", (x * 100.0).round() / 100.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VitalsPhase {
    PreDose,
    During,
    Discharge,
}

impl VitalsPhase {
    fn as_str(self) -> &'static str {
        match self {
            VitalsPhase::PreDose => "pre_dose",
            VitalsPhase::During => "during",
            VitalsPhase::Discharge => "discharge",
        }
    }

    fn from_sql(s: &str) -> Self {
        match s {
            "pre_dose" => VitalsPhase::PreDose,
            "discharge" => VitalsPhase::Discharge,
            _ => VitalsPhase::During,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VitalsPhase::PreDose => "before the dose",
            VitalsPhase::During => "during",
            VitalsPhase::Discharge => "before discharge",
        }
    }
}

/// A reading as entered. Numbers are validated with a sentence, never clamped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VitalsInput {
    /// `HH:MM`; the UI fills the current time.
    pub at: String,
    pub phase: VitalsPhase,
    /// As typed: "128/82".
    pub blood_pressure: String,
    pub heart_rate: i64,
    pub spo2: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Vitals {
    pub id: String,
    pub at: String,
    pub phase: VitalsPhase,
    pub systolic: i64,
    pub diastolic: i64,
    pub heart_rate: i64,
    pub spo2: Option<i64>,
}

impl Vitals {
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} ({}): BP {}/{}, HR {}",
            self.at,
            self.phase.label(),
            self.systolic,
            self.diastolic,
            self.heart_rate
        );
        if let Some(o) = self.spo2 {
            s.push_str(&format!(", SpO2 {o}%"));
        }
        s
    }
}

/// A reading after validation, as stored.
#[derive(Debug)]
struct Reading {
    at: String,
    phase: VitalsPhase,
    systolic: i64,
    diastolic: i64,
    heart_rate: i64,
    spo2: Option<i64>,
}

impl VitalsInput {
    fn validated(self) -> Result<Reading> {
        let at = time("at", &self.at)?;
        let (s, d) = parse_blood_pressure(&self.blood_pressure)?;
        if !(60..=260).contains(&s) || !(30..=160).contains(&d) {
            return Err(Error::invalid(
                "bloodPressure",
                format!(
                    "A blood pressure of {s}/{d} is not a possible reading: the upper number \
                     (systolic) is between 60 and 260 mmHg and the lower (diastolic) between \
                     30 and 160. Please measure again."
                ),
            ));
        }
        if d >= s {
            return Err(Error::invalid(
                "bloodPressure",
                format!(
                    "A blood pressure of {s}/{d} has the lower number above the upper one; \
                     write systolic first, e.g. 128/82."
                ),
            ));
        }
        if !(25..=250).contains(&self.heart_rate) {
            return Err(Error::invalid(
                "heartRate",
                format!(
                    "A heart rate of {} beats a minute is not a possible reading; it is \
                     between 25 and 250.",
                    self.heart_rate
                ),
            ));
        }
        if let Some(o) = self.spo2
            && !(50..=100).contains(&o)
        {
            return Err(Error::invalid(
                "spo2",
                format!("An oxygen saturation of {o}% is not possible; it is between 50 and 100."),
            ));
        }
        Ok(Reading {
            at,
            phase: self.phase,
            systolic: s,
            diastolic: d,
            heart_rate: self.heart_rate,
            spo2: self.spo2,
        })
    }
}

/// Parses "128/82" as typed on the command line or in one field.
pub fn parse_blood_pressure(s: &str) -> Result<(i64, i64)> {
    let bad = || {
        Error::invalid(
            "bloodPressure",
            format!(
                "\u{201c}{}\u{201d} is not a blood pressure; write it as systolic/diastolic, e.g. 128/82.",
                s.trim()
            ),
        )
    };
    let (a, b) = s.trim().split_once('/').ok_or_else(bad)?;
    Ok((
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AdverseEventKind {
    Nausea,
    Vomiting,
    Anxiety,
    RaisedBp,
    Other,
}

impl AdverseEventKind {
    fn as_str(self) -> &'static str {
        match self {
            AdverseEventKind::Nausea => "nausea",
            AdverseEventKind::Vomiting => "vomiting",
            AdverseEventKind::Anxiety => "anxiety",
            AdverseEventKind::RaisedBp => "raised_bp",
            AdverseEventKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            AdverseEventKind::Nausea,
            AdverseEventKind::Vomiting,
            AdverseEventKind::Anxiety,
            AdverseEventKind::RaisedBp,
            AdverseEventKind::Other,
        ]
        .into_iter()
        .find(|k| k.as_str() == s.replace('-', "_"))
    }

    pub fn label(self) -> &'static str {
        match self {
            AdverseEventKind::Nausea => "Nausea",
            AdverseEventKind::Vomiting => "Vomiting",
            AdverseEventKind::Anxiety => "Anxiety",
            AdverseEventKind::RaisedBp => "Raised blood pressure",
            AdverseEventKind::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdverseEventInput {
    pub at: String,
    pub kind: AdverseEventKind,
    /// Required for `other`; optional detail otherwise.
    pub description: String,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdverseEvent {
    pub id: String,
    pub at: String,
    pub kind: AdverseEventKind,
    pub description: String,
    pub action: String,
}

impl AdverseEvent {
    pub fn summary(&self) -> String {
        let what = if self.description.is_empty() {
            self.kind.label().to_owned()
        } else {
            format!("{}: {}", self.kind.label(), self.description)
        };
        format!("{} {what}. Action: {}", self.at, self.action)
    }
}

/// What is prepared ahead of the day and printed on the handout.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DosingPlan {
    pub intentions: String,
    /// Empty means the client's usual ride-home person.
    pub ride_name: String,
    pub ride_phone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DosingRecord {
    pub session: SessionView,
    pub client_id: String,
    pub client_name: String,
    pub plan: DosingPlan,
    /// The ride home that applies: this day's, else the client's usual person.
    pub ride_name: String,
    pub ride_phone: String,
    pub start_checks: Vec<CheckState>,
    pub medication: Medication,
    pub vitals: Vec<Vitals>,
    pub events: Vec<AdverseEvent>,
    pub discharge_checks: Vec<CheckState>,
    pub discharged_at: Option<String>,
    /// What still stands between this session and "completed", in words.
    pub discharge_missing: Vec<String>,
    /// E.g. a pre-dose blood pressure above the practice's threshold.
    pub warnings: Vec<String>,
    /// A completed session's record is closed; corrections go in a note addendum.
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DosingSettings {
    pub bp_systolic_max: Option<i64>,
    pub bp_diastolic_max: Option<i64>,
    pub fasting_food_hours: i64,
    pub fasting_liquid_hours: Option<i64>,
}

impl Default for DosingSettings {
    fn default() -> Self {
        DosingSettings {
            bp_systolic_max: None,
            bp_diastolic_max: None,
            fasting_food_hours: 4,
            fasting_liquid_hours: None,
        }
    }
}

impl DosingSettings {
    fn validated(self) -> Result<Self> {
        if let Some(s) = self.bp_systolic_max
            && !(90..=220).contains(&s)
        {
            return Err(Error::invalid(
                "bpSystolicMax",
                "The systolic threshold is between 90 and 220 mmHg, or empty for none.",
            ));
        }
        if let Some(d) = self.bp_diastolic_max
            && !(50..=140).contains(&d)
        {
            return Err(Error::invalid(
                "bpDiastolicMax",
                "The diastolic threshold is between 50 and 140 mmHg, or empty for none.",
            ));
        }
        if !(0..=12).contains(&self.fasting_food_hours) {
            return Err(Error::invalid(
                "fastingFoodHours",
                "The fasting window for food is between 0 and 12 hours.",
            ));
        }
        if let Some(l) = self.fasting_liquid_hours
            && !(0..=12).contains(&l)
        {
            return Err(Error::invalid(
                "fastingLiquidHours",
                "The window for clear liquids is between 0 and 12 hours, or empty for none.",
            ));
        }
        Ok(self)
    }

    /// The fasting instruction in a client's words.
    pub fn fasting_sentence(&self) -> String {
        let food = match self.fasting_food_hours {
            0 => "You do not need to fast before the session".to_owned(),
            1 => "Please do not eat for 1 hour before the session".to_owned(),
            h => format!("Please do not eat for {h} hours before the session"),
        };
        match self.fasting_liquid_hours {
            Some(0) | None => format!("{food}, as instructed by your prescriber."),
            Some(l) => format!(
                "{food}, and drink only clear liquids (water, clear tea) until {l} hour{} before, as instructed by your prescriber.",
                if l == 1 { "" } else { "s" }
            ),
        }
    }
}

fn time(field: &'static str, s: &str) -> Result<String> {
    Ok(validate::time(field, s)?.format("%H:%M").to_string())
}

fn opt_time(field: &'static str, s: &Option<String>) -> Result<Option<String>> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => time(field, t).map(Some),
    }
}

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
        let client_id: String = self.conn().query_row(
            "SELECT client_id FROM courses WHERE id = ?1",
            [&session.course_id],
            |r| r.get(0),
        )?;
        let client = self.client(&client_id)?;
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
            client_id,
            client_name: client.display_name().to_owned(),
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

impl DosingRecord {
    /// The record in lines, for the session note and exports (linked, never retyped).
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let ticked: Vec<String> = self
            .start_checks
            .iter()
            .filter_map(|c| {
                c.at.as_ref()
                    .map(|at| format!("{} {at}", c.label.to_lowercase()))
            })
            .collect();
        if !ticked.is_empty() {
            lines.push(format!("Start checks: {}.", ticked.join("; ")));
        }
        if !self.plan.intentions.is_empty() {
            lines.push(format!("Intention: {}", self.plan.intentions));
        }
        if let Some(m) = self.medication.summary() {
            lines.push(format!("Medication (as prescribed): {m}."));
        }
        for v in &self.vitals {
            lines.push(format!("Vitals {}.", v.summary()));
        }
        for e in &self.events {
            lines.push(format!("Adverse event {}", e.summary()));
        }
        if let Some(at) = &self.discharged_at {
            let done: Vec<String> = self
                .discharge_checks
                .iter()
                .filter(|c| c.at.is_some())
                .map(|c| c.label.to_lowercase())
                .collect();
            lines.push(format!(
                "Discharged at {at} with {} (ride home: {}).",
                if done.is_empty() {
                    "no discharge checks recorded".to_owned()
                } else {
                    join_words(&done)
                },
                if self.ride_name.is_empty() {
                    "not recorded"
                } else {
                    &self.ride_name
                }
            ));
        }
        lines
    }
}

/// "a, b and c".
pub(crate) fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(s: i64, d: i64, hr: i64) -> VitalsInput {
        VitalsInput {
            at: "13:05".into(),
            phase: VitalsPhase::PreDose,
            blood_pressure: format!("{s}/{d}"),
            heart_rate: hr,
            spo2: None,
        }
    }

    #[test]
    fn impossible_vitals_are_refused_with_a_sentence() {
        let e = reading(400, 20, 70).validated().unwrap_err().to_string();
        assert!(e.contains("400/20 is not a possible reading"), "{e}");
        let e = reading(80, 120, 70).validated().unwrap_err().to_string();
        assert!(e.contains("lower number above the upper"), "{e}");
        let e = reading(120, 80, 400).validated().unwrap_err().to_string();
        assert!(e.contains("heart rate of 400"), "{e}");
        let mut r = reading(120, 80, 70);
        r.spo2 = Some(120);
        assert!(r.validated().is_err());
        let ok = reading(128, 82, 74).validated().unwrap();
        assert_eq!(ok.at, "13:05");
    }

    #[test]
    fn blood_pressure_is_parsed_as_typed() {
        assert_eq!(parse_blood_pressure(" 128/82 ").unwrap(), (128, 82));
        let e = parse_blood_pressure("128-82").unwrap_err().to_string();
        assert!(e.contains("write it as systolic/diastolic"), "{e}");
    }

    #[test]
    fn fasting_follows_the_settings_and_always_names_the_prescriber() {
        let mut s = DosingSettings::default();
        assert_eq!(
            s.fasting_sentence(),
            "Please do not eat for 4 hours before the session, as instructed by your prescriber."
        );
        s.fasting_food_hours = 6;
        s.fasting_liquid_hours = Some(2);
        let t = s.fasting_sentence();
        assert!(
            t.contains("6 hours") && t.contains("until 2 hours before"),
            "{t}"
        );
        assert!(t.ends_with("as instructed by your prescriber."));
    }

    #[test]
    fn the_medication_reads_as_one_line() {
        let m = Medication {
            name: "Ketamine".into(),
            route: Some(Route::Sublingual),
            dose_per_unit_mg: Some(100.0),
            units: Some(2.0),
            taken_at: Some("13:10".into()),
            booster_mg: Some(50.0),
            booster_at: Some("13:55".into()),
            ..Default::default()
        };
        assert_eq!(
            m.summary().unwrap(),
            "Ketamine 100 mg \u{00d7} 2 (200 mg in all), sublingual (tablet or troche), taken at 13:10; booster 50 mg at 13:55"
        );
    }
}
