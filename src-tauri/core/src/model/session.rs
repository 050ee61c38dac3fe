//! Sessions and treatment courses as the rest of the app sees them: what kind, what
//! state, when, and the labels people read ("Dosing 2").

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Intake,
    Preparation,
    Dosing,
    Integration,
    FollowUp,
    Other,
}

impl SessionKind {
    pub const ALL: [SessionKind; 6] = [
        SessionKind::Intake,
        SessionKind::Preparation,
        SessionKind::Dosing,
        SessionKind::Integration,
        SessionKind::FollowUp,
        SessionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Intake => "intake",
            SessionKind::Preparation => "preparation",
            SessionKind::Dosing => "dosing",
            SessionKind::Integration => "integration",
            SessionKind::FollowUp => "follow_up",
            SessionKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|k| k.as_str() == norm).ok_or_else(|| {
            Error::invalid(
                "kind",
                format!("\u{201c}{s}\u{201d} is not a session kind; use intake, preparation, dosing, integration, follow-up or other."),
            )
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            SessionKind::Intake => "Intake",
            SessionKind::Preparation => "Preparation",
            SessionKind::Dosing => "Dosing",
            SessionKind::Integration => "Integration",
            SessionKind::FollowUp => "Follow-up",
            SessionKind::Other => "Other",
        }
    }

    /// Dosing sessions run about three hours; everything else is a therapy hour.
    pub fn default_duration_min(self) -> u32 {
        match self {
            SessionKind::Dosing => 180,
            _ => 50,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Scheduled,
    Completed,
    Cancelled,
    NoShow,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Completed => "completed",
            SessionStatus::Cancelled => "cancelled",
            SessionStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            SessionStatus::Scheduled,
            SessionStatus::Completed,
            SessionStatus::Cancelled,
            SessionStatus::NoShow,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Cancelled and missed sessions do not count towards anything.
    pub fn counts(self) -> bool {
        matches!(self, SessionStatus::Scheduled | SessionStatus::Completed)
    }

    /// Whether a progress note may be written: anything but a cancelled session (a
    /// no-show gets a note saying so).
    pub fn may_have_note(self) -> bool {
        self != SessionStatus::Cancelled
    }
}

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
    /// Why a completion was undone, when it was (the latest time).
    pub reopen_reason: Option<String>,
    /// "Dosing 2", "Preparation 3", "Intake".
    pub label: String,
    /// Whether the session's progress note is written and signed.
    pub note: NoteState,
    /// Whether a progress note may be written for it (`rules::notes::may_have_note`).
    pub can_write_note: bool,
    /// Whether "Undo completion" (with a reason) is offered: a completed session other
    /// than a dosing whose note is not signed (`rules::dosing::check_reopen`).
    pub can_reopen: bool,
    #[serde(skip)]
    #[ts(skip)]
    pub starts_utc: DateTime<Utc>,
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
    /// `YYYY-MM-DD` when the prescription says when it ends; empty when it does not.
    #[serde(default)]
    pub valid_until: String,
    /// What the prescriber told this client to hold or take, and when, in their words,
    /// one instruction a line; printed on the dosing-day handout. Empty: the handout says
    /// not to stop or change any medicine unless the prescriber said so.
    #[serde(default)]
    pub medication_instructions: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Wet signature on the printed packet.
    #[default]
    Paper,
    Screen,
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
pub struct SuggestedBooking {
    pub kind: SessionKind,
    pub date: String,
    pub time: String,
}

/// The integration session a dosing just booked or moved should have, offered in the
/// same booking form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationOffer {
    pub booking: SuggestedBooking,
    /// "Integration after Dosing 2 is due from Sunday 6 December 2026 to Monday 7
    /// December 2026 (2 to 3 days after)."
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BookingOutcome {
    pub session: SessionView,
    pub warnings: Vec<String>,
    /// For a dosing without its integration booked in the window: the integration to
    /// book next, offered in the same form.
    pub integration_offer: Option<IntegrationOffer>,
}

/// Whether a session's progress note is written, and signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoteState {
    #[default]
    None,
    Draft,
    Signed,
}

/// A kind of session as the booking form offers it, with the duration Rust applies
/// when none is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionKindInfo {
    pub kind: SessionKind,
    pub label: String,
    pub default_duration_min: u32,
}

impl SessionKindInfo {
    pub fn all() -> Vec<SessionKindInfo> {
        SessionKind::ALL
            .into_iter()
            .map(|kind| SessionKindInfo {
                kind,
                label: kind.label().to_owned(),
                default_duration_min: kind.default_duration_min(),
            })
            .collect()
    }
}

impl SessionView {
    /// The session's local calendar date in its time zone.
    pub fn local_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").unwrap_or_default()
    }

    /// "Dosing 2": protocol sessions are numbered within their course among those that
    /// count (scheduled or completed); intake, other, cancelled and missed ones are not.
    pub fn label_for(kind: SessionKind, status: SessionStatus, ordinal: u32) -> String {
        match kind {
            SessionKind::Intake | SessionKind::Other => kind.label().to_owned(),
            _ if !status.counts() => kind.label().to_owned(),
            _ => format!("{} {ordinal}", kind.label()),
        }
    }
}

/// Labels one course's sessions, sorted by start: "Dosing 1", "Dosing 2", …
pub fn number_sessions(sessions: &mut [SessionView]) {
    let mut counts: std::collections::HashMap<SessionKind, u32> = Default::default();
    for s in sessions {
        let n = if s.status.counts() {
            let n = counts.entry(s.kind).or_insert(0);
            *n += 1;
            *n
        } else {
            0
        };
        s.label = SessionView::label_for(s.kind, s.status, n);
    }
}

impl Clearance {
    /// Trimmed and checked: a clinician, a date given not after `today`, and an end date
    /// (optional) not before it. Dates come back as `YYYY-MM-DD`.
    pub fn validated(mut self, today: NaiveDate) -> Result<Self> {
        validate::trimmed("clinician", &mut self.clinician, 120)?;
        validate::trimmed("organisation", &mut self.organisation, 120)?;
        if self.clinician.is_empty() {
            return Err(Error::invalid(
                "clinician",
                "Enter the clinician who gave the clearance.",
            ));
        }
        (self.cleared_on, self.valid_until) = validate::dated_span(
            "clearedOn",
            &self.cleared_on,
            &self.valid_until,
            today,
            "The clearance date is in the future.",
            "The clearance cannot end before the day it was given.",
        )?;
        Ok(self)
    }
}

impl Prescription {
    /// Trimmed and checked: every field given, dated not after `today`.
    pub fn validated(mut self, today: NaiveDate) -> Result<Self> {
        for (field, value) in [
            ("medication", &mut self.medication),
            ("route", &mut self.route),
            ("dose", &mut self.dose),
            ("prescriber", &mut self.prescriber),
        ] {
            validate::trimmed(field, value, 200)?;
            if value.is_empty() {
                return Err(Error::invalid(
                    field,
                    "This is needed for the prescription record.",
                ));
            }
        }
        let on = validate::date("prescribedOn", &self.prescribed_on)?;
        if on > today {
            return Err(Error::invalid(
                "prescribedOn",
                "The prescription date is in the future.",
            ));
        }
        self.prescribed_on = on.to_string();
        validate::trimmed(
            "medicationInstructions",
            &mut self.medication_instructions,
            1500,
        )?;
        self.valid_until = self.valid_until.trim().to_owned();
        if !self.valid_until.is_empty() {
            let until = validate::date("validUntil", &self.valid_until)?;
            if until < on {
                return Err(Error::invalid(
                    "validUntil",
                    "The prescription cannot end before the day it was written.",
                ));
            }
            self.valid_until = until.to_string();
        }
        Ok(self)
    }
}
