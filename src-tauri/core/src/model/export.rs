//! What exports hand over: the request, the outcome, and the JSON schema (version 1,
//! documented in `docs/notes-export.md`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::audit::AuditAnchor;
use crate::model::dosing::{AdverseEvent, CheckState, DosingRecord, Medication, Vitals};
use crate::model::measures::SafetyResponse;
use crate::model::notes::{Addendum, NoteSection};

pub const EXPORT_SCHEMA: &str = "kapdesk.notes-export";
pub const EXPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Pdf,
    Markdown,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    /// `None`: the whole practice.
    pub client_id: Option<String>,
    /// Session dates, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: ExportFormat,
    pub include_psychotherapy_notes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportOutcome {
    pub folder: String,
    pub files: Vec<SavedFile>,
    pub notes: u32,
    pub clients: u32,
    pub cancelled: bool,
    pub integrity_failures: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    pub done: u32,
    pub total: u32,
}

// --- The JSON export schema, version 1 (documented in docs/notes-export.md) ---------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotesExport {
    pub schema: String,
    pub version: u32,
    pub exported_at: String,
    pub includes_psychotherapy_notes: bool,
    pub from: Option<String>,
    pub to: Option<String>,
    pub clients: Vec<ExportClient>,
    /// The vault's audit trail when the export was made: its number of entries and the
    /// last one's seal. Absent from exports made before the trail was sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_trail: Option<AuditAnchor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportClient {
    pub id: String,
    pub legal_name: String,
    pub preferred_name: String,
    pub date_of_birth: String,
    pub notes: Vec<ExportNote>,
    /// Outcome measures given in the date range, oldest first. Absent from files made
    /// before KAP Desk kept measures.
    #[serde(default)]
    pub measures: Vec<ExportMeasure>,
}

/// One administration of a questionnaire, as recorded: answers in item order and the
/// score computed when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportMeasure {
    pub id: String,
    /// `phq9`, `gad7`, `pcl5`, `who5`.
    pub instrument: String,
    /// "PHQ-9".
    pub instrument_name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub session_id: Option<String>,
    /// `client` or `therapist` (read aloud).
    pub filled_by: String,
    pub answers: Vec<u32>,
    pub total: u32,
    pub max_total: u32,
    pub band: String,
    pub safety_flag: bool,
    pub safety_response: Option<SafetyResponse>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportNote {
    pub session_id: String,
    pub session_kind: String,
    pub session_label: String,
    pub session_status: String,
    /// Local date and time as booked, in `time_zone`.
    pub date: String,
    pub time: String,
    pub time_zone: String,
    pub format: String,
    /// "draft" or "signed".
    pub state: String,
    pub sections: Vec<NoteSection>,
    pub signed_at: Option<String>,
    /// `signed_at` in the practice's time zone, as printed.
    pub signed_local: Option<String>,
    pub signed_by: Option<String>,
    pub sha256: Option<String>,
    /// False when the note or an addendum no longer matches its hash.
    pub intact: bool,
    pub integrity_message: Option<String>,
    pub addenda: Vec<Addendum>,
    /// For dosing sessions: the dosing record in words, as printed.
    pub dosing_record: Vec<String>,
    /// For dosing sessions: the same record as data, for a program to import.
    pub dosing: Option<ExportDosing>,
    /// Present only when the therapist chose to include psychotherapy notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psychotherapy_note: Option<String>,
}

/// A dosing session's record as data. Times are `HH:MM` on the session's date, in
/// its time zone, as the therapist entered them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportDosing {
    pub intentions: String,
    /// The ride home that applied: that day's, else the client's usual person.
    pub ride_name: String,
    pub ride_phone: String,
    pub start_checks: Vec<CheckState>,
    /// As prescribed by the partner medical team and recorded on the day.
    pub medication: Medication,
    pub vitals: Vec<Vitals>,
    pub adverse_events: Vec<AdverseEvent>,
    pub discharge_checks: Vec<CheckState>,
    pub discharged_at: Option<String>,
}

impl From<DosingRecord> for ExportDosing {
    fn from(r: DosingRecord) -> Self {
        ExportDosing {
            intentions: r.plan.intentions,
            ride_name: r.ride_name,
            ride_phone: r.ride_phone,
            start_checks: r.start_checks,
            medication: r.medication,
            vitals: r.vitals,
            adverse_events: r.events,
            discharge_checks: r.discharge_checks,
            discharged_at: r.discharged_at,
        }
    }
}

pub struct CalendarExport {
    pub ics: String,
    pub events: usize,
}

/// What the UI is told after an export: where the file went and how many events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CalendarOutcome {
    pub path: String,
    pub events: u32,
}

/// A file written where the therapist chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}
