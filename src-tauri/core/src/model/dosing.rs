//! The structured record of a dosing day: start checks, the medication as prescribed,
//! vitals, adverse events and discharge. It is kept apart from the narrative note, which
//! links to it instead of retyping dose and vitals.
//!
//! Times are the session's local wall clock (`HH:MM`): a dosing day is one afternoon in
//! the office, and that is the time the therapist reads and prints.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::protocol::Gate;
use crate::model::session::{Prescription, SessionView};
use crate::validate;

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
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Sublingual => "sublingual",
            Route::Oral => "oral",
            Route::Intramuscular => "intramuscular",
            Route::Other => "other",
        }
    }

    pub fn from_sql(s: &str) -> Option<Self> {
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
    /// Why what was taken differs from the prescription on file; required when it does
    /// (the prescriber's instruction on the day, for example) and kept on the record.
    #[serde(default)]
    pub difference_reason: String,
}

impl Medication {
    /// Trims the text and checks the numbers and times as entered; never clamps a dose.
    pub fn validated(mut self) -> Result<Self> {
        validate::trimmed("medicationName", &mut self.name, 120)?;
        validate::trimmed("routeOther", &mut self.route_other, 120)?;
        validate::trimmed("differenceReason", &mut self.difference_reason, 1000)?;
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
            self.dose_per_unit_mg,
            1000.0,
            "The dose per unit in mg",
        )?;
        positive("units", self.units, 20.0, "The number of units")?;
        positive("boosterMg", self.booster_mg, 1000.0, "The booster in mg")?;
        self.taken_at = opt_time("takenAt", &self.taken_at)?;
        self.booster_at = opt_time("boosterAt", &self.booster_at)?;
        if self.route == Some(Route::Other) && self.route_other.is_empty() {
            return Err(Error::invalid(
                "routeOther",
                "Describe the route when it is \u{201c}other\u{201d}.",
            ));
        }
        if self.booster_at.is_some() && self.booster_mg.is_none() {
            return Err(Error::invalid(
                "boosterMg",
                "Write the booster's dose in mg along with its time.",
            ));
        }
        Ok(self)
    }

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
    pub fn as_str(self) -> &'static str {
        match self {
            VitalsPhase::PreDose => "pre_dose",
            VitalsPhase::During => "during",
            VitalsPhase::Discharge => "discharge",
        }
    }

    pub fn from_sql(s: &str) -> Self {
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
pub struct Reading {
    pub at: String,
    pub phase: VitalsPhase,
    pub systolic: i64,
    pub diastolic: i64,
    pub heart_rate: i64,
    pub spo2: Option<i64>,
}

impl VitalsInput {
    pub fn validated(self) -> Result<Reading> {
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
    pub fn as_str(self) -> &'static str {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Mild,
    Moderate,
    Severe,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Mild, Severity::Moderate, Severity::Severe];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }

    /// A moderate or severe event is reported to the prescriber, and the record says when.
    pub fn prescriber_informed(self) -> bool {
        self != Severity::Mild
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdverseEventInput {
    pub at: String,
    pub kind: AdverseEventKind,
    pub severity: Severity,
    /// Required for `other`; optional detail otherwise.
    pub description: String,
    pub action: String,
    /// `HH:MM`; required when the event is moderate or severe.
    #[serde(default)]
    pub prescriber_informed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdverseEvent {
    pub id: String,
    pub at: String,
    pub kind: AdverseEventKind,
    /// `None` for events recorded before severities were kept.
    pub severity: Option<Severity>,
    pub description: String,
    pub action: String,
    pub prescriber_informed_at: Option<String>,
}

impl AdverseEventInput {
    /// Trims the text and checks the time; `other` needs a description, and every
    /// event needs the action taken.
    pub fn validated(mut self) -> Result<Self> {
        self.at = time("at", &self.at)?;
        validate::trimmed("description", &mut self.description, 1000)?;
        validate::trimmed("action", &mut self.action, 1000)?;
        if self.kind == AdverseEventKind::Other && self.description.is_empty() {
            return Err(Error::invalid(
                "description",
                "Describe what happened when the event is \u{201c}other\u{201d}.",
            ));
        }
        if self.action.is_empty() {
            return Err(Error::invalid(
                "action",
                "Write the action taken, even if it was \u{201c}monitored; no action needed\u{201d}.",
            ));
        }
        self.prescriber_informed_at =
            opt_time("prescriberInformedAt", &self.prescriber_informed_at)?;
        if self.severity.prescriber_informed() && self.prescriber_informed_at.is_none() {
            return Err(Error::invalid(
                "prescriberInformedAt",
                format!(
                    "A {} adverse event is reported to the prescriber: write the time they were informed (HH:MM).",
                    self.severity.as_str()
                ),
            ));
        }
        Ok(self)
    }
}

impl AdverseEvent {
    pub fn summary(&self) -> String {
        let what = if self.description.is_empty() {
            self.kind.label().to_owned()
        } else {
            format!("{}: {}", self.kind.label(), self.description)
        };
        let severity = match self.severity {
            Some(s) => format!(" ({})", s.as_str()),
            None => " (severity not recorded)".to_owned(),
        };
        let informed = self
            .prescriber_informed_at
            .as_ref()
            .map(|t| format!(" Prescriber informed at {t}."))
            .unwrap_or_default();
        format!(
            "{} {what}{severity}. Action: {}.{informed}",
            self.at,
            self.action.trim_end_matches('.')
        )
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

impl DosingPlan {
    /// Trims the text; a ride-home phone needs the driver's name with it.
    pub fn validated(mut self) -> Result<Self> {
        validate::trimmed("intentions", &mut self.intentions, 2000)?;
        validate::trimmed("rideName", &mut self.ride_name, 120)?;
        validate::trimmed("ridePhone", &mut self.ride_phone, 40)?;
        validate::phone("ridePhone", &self.ride_phone)?;
        if self.ride_name.is_empty() && !self.ride_phone.is_empty() {
            return Err(Error::invalid(
                "rideName",
                "Add the name of the person driving the client home, with their phone.",
            ));
        }
        Ok(self)
    }
}

/// Where one reading of the practice's vital-signs schedule stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PromptState {
    /// A reading of this kind is recorded.
    Done,
    /// Due now (from 5 minutes before to 15 minutes after its time).
    Due,
    /// More than 15 minutes past its time and still missing.
    Late,
    /// Later in the session.
    Upcoming,
    /// Timed from the dose, which is not recorded yet.
    WaitingForDose,
    /// Needed before the client leaves.
    BeforeDischarge,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VitalsPrompt {
    pub phase: VitalsPhase,
    /// "Before the dose", "About 40 minutes after the dose (13:50)", "Before discharge".
    pub label: String,
    /// `HH:MM` when timed from the dose and the dose time is known.
    pub due_at: Option<String>,
    pub state: PromptState,
    /// `HH:MM` of the reading that answers it.
    pub done_at: Option<String>,
}

/// The live view of a dosing in progress, asked for again every few seconds by the
/// dosing-day screen: time since the dose and the vital-signs prompts, judged at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DosingWatch {
    /// Whether the session is today and still open, so times are live.
    pub live: bool,
    /// "42 minutes since the dose (taken at 13:10)"; `None` before the dose is recorded
    /// or when the session is not today.
    pub since_dose: Option<String>,
    pub prompts: Vec<VitalsPrompt>,
    /// A sentence per reading due or late now, for the banner; empty when none is.
    pub due_now: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DosingRecord {
    pub session: SessionView,
    pub client_id: String,
    pub client_name: String,
    /// Legal name (with the name they go by) and date of birth, for the screen's header.
    pub client_identity: String,
    pub plan: DosingPlan,
    /// The ride home that applies: this day's, else the client's usual person.
    pub ride_name: String,
    pub ride_phone: String,
    pub start_checks: Vec<CheckState>,
    pub medication: Medication,
    /// The prescription on file for the course, shown next to what is recorded.
    pub prescribed: Option<Prescription>,
    /// Where what is recorded differs from the prescription, one sentence each; saving
    /// such a medication needs `medication.difference_reason`.
    pub prescription_differences: Vec<String>,
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
    /// What is still needed before this dosing, checked again when the screen opens
    /// (judged on the session's day: booked sessions no longer count, only completed).
    /// Empty once the session is no longer scheduled.
    pub still_needed: Vec<Gate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DosingSettings {
    pub bp_systolic_max: Option<i64>,
    pub bp_diastolic_max: Option<i64>,
    pub fasting_food_hours: i64,
    pub fasting_liquid_hours: Option<i64>,
    /// The vital-signs schedule: a reading before the dose, readings at these minutes
    /// after it, and one before discharge (the REMS pattern for esketamine by default:
    /// before, about 40 minutes after, and before discharge).
    pub vitals_before_dose: bool,
    /// Increasing, between 5 and 240; empty for none.
    pub vitals_after_dose_minutes: Vec<i64>,
    /// Discharge is refused until a reading before discharge is recorded.
    pub discharge_reading_required: bool,
    /// How long before a dosing session a client must cancel or move it (the consent's
    /// cancellation terms for a 3-hour slot).
    pub cancellation_notice_hours: i64,
    /// The late-cancellation fee as the practice writes it ("$150"); empty: the consent
    /// points to the fee schedule.
    pub cancellation_fee: String,
}

impl Default for DosingSettings {
    fn default() -> Self {
        DosingSettings {
            bp_systolic_max: None,
            bp_diastolic_max: None,
            fasting_food_hours: 4,
            fasting_liquid_hours: Some(2),
            vitals_before_dose: true,
            vitals_after_dose_minutes: vec![40],
            discharge_reading_required: true,
            cancellation_notice_hours: 48,
            cancellation_fee: String::new(),
        }
    }
}

impl DosingSettings {
    pub fn validated(mut self) -> Result<Self> {
        if !(1..=336).contains(&self.cancellation_notice_hours) {
            return Err(Error::invalid(
                "cancellationNoticeHours",
                "The notice for cancelling a dosing session is between 1 and 336 hours (two weeks).",
            ));
        }
        validate::trimmed("cancellationFee", &mut self.cancellation_fee, 80)?;
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
        if self.vitals_after_dose_minutes.len() > 6
            || self
                .vitals_after_dose_minutes
                .iter()
                .any(|m| !(5..=240).contains(m))
            || self
                .vitals_after_dose_minutes
                .windows(2)
                .any(|w| w[0] >= w[1])
        {
            return Err(Error::invalid(
                "vitalsAfterDoseMinutes",
                "Readings after the dose are given in minutes after it, between 5 and 240, in increasing order and at most six (for example 40, 90).",
            ));
        }
        Ok(self)
    }

    /// "40, 90", as stored and typed.
    pub fn minutes_text(&self) -> String {
        self.vitals_after_dose_minutes
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Parses "40, 90" (commas or spaces) with a sentence for anything else.
    pub fn parse_minutes(s: &str) -> Result<Vec<i64>> {
        s.split([',', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<i64>().map_err(|_| {
                    Error::invalid(
                        "vitalsAfterDoseMinutes",
                        format!(
                            "\u{201c}{p}\u{201d} is not a number of minutes; write the minutes after the dose, for example 40, 90."
                        ),
                    )
                })
            })
            .collect()
    }

    /// The values the consent template's placeholders take
    /// (`model::consent::PLACEHOLDERS`): the cancellation terms in a client's words.
    pub fn consent_values(&self) -> Vec<(&'static str, String)> {
        let h = self.cancellation_notice_hours;
        let notice = match h {
            1 => "1 hour".to_owned(),
            h if h >= 48 && h % 24 == 0 => format!("{h} hours ({} days)", h / 24),
            h => format!("{h} hours"),
        };
        let fee = if self.cancellation_fee.trim().is_empty() {
            "the late-cancellation fee in my fee schedule".to_owned()
        } else {
            self.cancellation_fee.trim().to_owned()
        };
        vec![("cancellation_notice", notice), ("cancellation_fee", fee)]
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

pub(crate) fn time(field: &'static str, s: &str) -> Result<String> {
    Ok(validate::time(field, s)?.format("%H:%M").to_string())
}

pub(crate) fn opt_time(field: &'static str, s: &Option<String>) -> Result<Option<String>> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => time(field, t).map(Some),
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
            if self.medication.difference_reason.is_empty() {
                lines.push(format!("Medication (as prescribed): {m}."));
            } else {
                lines.push(format!(
                    "Medication: {m}. It differs from the prescription on file; reason: {}",
                    self.medication.difference_reason
                ));
            }
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
pub fn join_words(words: &[String]) -> String {
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
            "Please do not eat for 4 hours before the session, and drink only clear liquids (water, clear tea) until 2 hours before, as instructed by your prescriber."
        );
        s.fasting_liquid_hours = None;
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
    fn cancellation_terms_read_as_a_client_would_say_them() {
        let mut s = DosingSettings::default();
        assert_eq!(
            s.consent_values(),
            vec![
                ("cancellation_notice", "48 hours (2 days)".to_owned()),
                (
                    "cancellation_fee",
                    "the late-cancellation fee in my fee schedule".to_owned()
                ),
            ]
        );
        s.cancellation_notice_hours = 24;
        s.cancellation_fee = " $150 ".into();
        let s = s.validated().unwrap();
        assert_eq!(s.consent_values()[0].1, "24 hours");
        assert_eq!(s.consent_values()[1].1, "$150");
        let bad = DosingSettings {
            cancellation_notice_hours: 0,
            ..Default::default()
        };
        let e = bad.validated().unwrap_err().to_string();
        assert!(e.contains("between 1 and 336 hours"), "{e}");
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
