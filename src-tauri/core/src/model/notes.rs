//! Session notes as shown and saved: formats, sections, signatures, addenda, search.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::session::{SessionKind, SessionView};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoteFormat {
    #[default]
    Soap,
    Dap,
    Birp,
    Free,
}

impl NoteFormat {
    pub const ALL: [NoteFormat; 4] = [
        NoteFormat::Soap,
        NoteFormat::Dap,
        NoteFormat::Birp,
        NoteFormat::Free,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoteFormat::Soap => "soap",
            NoteFormat::Dap => "dap",
            NoteFormat::Birp => "birp",
            NoteFormat::Free => "free",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s.to_ascii_lowercase())
    }

    pub fn label(self) -> &'static str {
        match self {
            NoteFormat::Soap => "SOAP",
            NoteFormat::Dap => "DAP",
            NoteFormat::Birp => "BIRP",
            NoteFormat::Free => "Free-form",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoteState {
    #[default]
    None,
    Draft,
    Signed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteSection {
    pub key: String,
    pub title: String,
    /// Exactly as typed: never trimmed, so exports give back every byte.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SectionPrompt {
    pub key: String,
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteSignature {
    pub signed_at: String,
    /// In the practice's time zone, for people: "Wednesday 25 November 2026, 15:04".
    pub signed_local: String,
    pub signed_by: String,
    pub sha256: String,
}

/// A signed addendum as shown and exported (the JSON export uses this shape too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Addendum {
    pub id: String,
    pub seq: u32,
    pub text: String,
    pub signed_at: String,
    pub signed_local: String,
    pub signed_by: String,
    pub sha256: String,
    /// False when the stored hash does not match the text.
    pub intact: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub session: SessionView,
    pub client_id: String,
    pub client_name: String,
    pub format: NoteFormat,
    pub sections: Vec<NoteSection>,
    pub prompts: Vec<SectionPrompt>,
    pub state: NoteState,
    pub signature: Option<NoteSignature>,
    /// False when a signed note or an addendum no longer matches its hash.
    pub intact: bool,
    pub integrity_message: Option<String>,
    pub addenda: Vec<Addendum>,
    /// For a dosing session: dose, vitals and events, linked from the dosing record.
    pub dosing_summary: Vec<String>,
    pub has_psychotherapy_note: bool,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteDraft {
    pub format: NoteFormat,
    pub sections: Vec<NoteSection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SearchSource {
    Note,
    Addendum,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub session_id: String,
    pub client_id: String,
    pub client_name: String,
    pub date: String,
    pub session_label: String,
    pub source: SearchSource,
    pub addendum_seq: Option<u32>,
    pub snippet: Vec<SnippetPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    /// The best matches, grouped by client then newest first.
    pub hits: Vec<SearchHit>,
    /// True when more notes match than are listed: add words to narrow the search.
    pub more: bool,
}

/// A completed session whose note is a draft, or not written at all, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenNote {
    pub client_id: String,
    pub client_name: String,
    pub session_id: String,
    pub kind: SessionKind,
    pub date: NaiveDate,
    pub starts_utc: DateTime<Utc>,
    pub draft: bool,
}
