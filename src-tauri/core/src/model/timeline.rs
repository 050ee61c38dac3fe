//! What the timeline and the dashboard show: a course's phase track, the next step,
//! the agenda and the items that need the therapist.

use serde::Serialize;
use ts_rs::TS;

use crate::model::client::{ClientSummary, ReleaseOfInformation};
use crate::model::measures::DueMeasures;
use crate::model::protocol::{Gate, IntegrationCheck};
use crate::model::session::{
    Clearance, CourseInfo, Prescription, SessionKindInfo, SessionView, SuggestedBooking,
};

/// Where the course's informed consent stands, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentSummary {
    pub done: u32,
    pub total: u32,
    pub signed_on: Option<String>,
    pub withdrawn_on: Option<String>,
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
    /// The client's newest release of information to the partner medical team.
    pub release_of_information: Option<ReleaseOfInformation>,
    pub prescription: Option<Prescription>,
    pub consent: Option<ConsentSummary>,
    /// What the booking form offers, with Rust's default durations.
    pub booking_kinds: Vec<SessionKindInfo>,
    /// Measures the practice's schedule asks for now or that are overdue.
    pub measures_due: Vec<DueMeasures>,
    /// PHQ-9 item 9 answered above 0 with no response recorded yet, any course.
    pub safety_flags: Vec<SafetyFlag>,
}

/// A raised safety flag still waiting for the therapist's response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SafetyFlag {
    pub administration_id: String,
    pub client_id: String,
    pub client_name: String,
    /// `YYYY-MM-DD`, the day the measure was given.
    pub date: String,
    /// "PHQ-9 item 9 answered 2 (More than half the days) on Monday 23 November 2026:
    /// record your response (risk note, safety plan)."
    pub message: String,
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
    /// PHQ-9 item 9 above 0 with no response recorded: listed first.
    SafetyFlag,
    MeasuresDue,
    MeasuresOverdue,
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
    /// The measure it is about, when there is one (a safety flag).
    pub administration_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub today: Vec<AgendaItem>,
    pub week: Vec<AgendaItem>,
    pub needs_action: Vec<ActionItem>,
}
