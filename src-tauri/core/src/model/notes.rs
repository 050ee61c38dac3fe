//! Session notes as shown and saved: formats, sections, signatures, addenda, search;
//! the checks a draft passes before it is saved (`NoteDraft::validated`), and the rows
//! a note and its addenda are stored as.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use chrono::{DateTime, NaiveDate, Utc};

use crate::dates::stamp_in;
use crate::error::{Error, Result};
use crate::model::session::{SessionKind, SessionView};

/// Generous for a 20-page note and still far from what a vault page cache minds. Also
/// the limit of one addendum and of one psychotherapy note.
pub const MAX_NOTE_BYTES: usize = 2 * 1024 * 1024;
/// The most sections one note has.
pub const MAX_SECTIONS: usize = 24;

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

impl NoteDraft {
    /// At least one section and at most `MAX_SECTIONS`, each named and under its own
    /// key, at most `MAX_NOTE_BYTES` in all. The text itself is kept exactly as typed.
    pub fn validated(self) -> Result<Self> {
        if self.sections.is_empty() {
            return Err(Error::invalid(
                "sections",
                "A note needs at least one section.",
            ));
        }
        if self.sections.len() > MAX_SECTIONS {
            return Err(Error::invalid(
                "sections",
                format!("A note has at most {MAX_SECTIONS} sections."),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        let mut size = 0;
        for s in &self.sections {
            if s.key.trim().is_empty() || s.title.trim().is_empty() {
                return Err(Error::invalid(
                    "sections",
                    "Each section of a note needs a name.",
                ));
            }
            if !seen.insert(s.key.as_str()) {
                return Err(Error::invalid(
                    "sections",
                    format!(
                        "The note has two sections called \u{201c}{}\u{201d}.",
                        s.title
                    ),
                ));
            }
            size += s.text.len() + s.title.len();
        }
        if size > MAX_NOTE_BYTES {
            return Err(Error::invalid(
                "sections",
                "This note is longer than 2 MB (about 600 pages) and was not saved. Split it into the note and an attachment kept elsewhere.",
            ));
        }
        Ok(self)
    }
}

/// A note's row as stored, before it is checked against its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNote {
    pub format: String,
    /// The sections as the JSON they were saved (and, once signed, hashed) as.
    pub sections_json: String,
    pub updated_at: String,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    pub sha256: Option<String>,
}

/// An addendum's row as stored, before it is checked against its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAddendum {
    pub id: String,
    pub seq: u32,
    pub text: String,
    pub signed_at: String,
    pub signed_by: String,
    pub sha256: String,
}

impl StoredAddendum {
    /// As shown and exported, once checked (`intact`), its signing time in `tz`.
    pub fn shown(self, tz: chrono_tz::Tz, intact: bool) -> Addendum {
        Addendum {
            signed_local: stamp_in(tz, &self.signed_at),
            id: self.id,
            seq: self.seq,
            text: self.text,
            signed_at: self.signed_at,
            signed_by: self.signed_by,
            sha256: self.sha256,
            intact,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn soap() -> Vec<NoteSection> {
        ["Subjective", "Objective", "Assessment", "Plan"]
            .iter()
            .map(|t| NoteSection {
                key: t.to_ascii_lowercase(),
                title: (*t).to_owned(),
                text: "old text".into(),
            })
            .collect()
    }

    #[test]
    fn a_draft_needs_named_distinct_sections() {
        let draft = |sections| NoteDraft {
            format: NoteFormat::Soap,
            sections,
        };
        assert!(draft(soap()).validated().is_ok());
        assert!(draft(Vec::new()).validated().is_err());
        let mut twice = soap();
        twice[1].key = "subjective".into();
        let e = draft(twice).validated().unwrap_err();
        assert!(e.to_string().contains("two sections called"), "{e}");
        let mut unnamed = soap();
        unnamed[2].title = "  ".into();
        assert!(draft(unnamed).validated().is_err());
        let many = (0..=MAX_SECTIONS)
            .map(|i| NoteSection {
                key: format!("k{i}"),
                title: format!("T{i}"),
                text: String::new(),
            })
            .collect();
        assert!(draft(many).validated().is_err());
    }
}
