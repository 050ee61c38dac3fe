//! Session notes as shown and saved: formats, sections, signatures, addenda, search;
//! the checks a draft passes before it is saved (`NoteDraft::validated`), the rows a
//! note and its addenda are stored as, and Markdown read into a note's sections
//! (`fill_sections`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use chrono::{DateTime, NaiveDate, Utc};

use crate::dates::stamp_in;
use crate::error::{Error, Result};
pub use crate::model::session::NoteState;
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
    /// Legal name (with the name they go by) and date of birth, for the screen's header.
    pub client_identity: String,
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

/// The note's `template` sections with their text replaced by what `markdown` puts under
/// each: a line `## Section title` starts a section, and the lines up to the next such
/// line are its text.
///
/// A heading matches a section's title or key, ignoring ASCII case. Text before the
/// first heading belongs to the first section. Each section's text is trimmed of
/// leading and trailing blank lines, nothing else. A heading that names none of the
/// sections is an error that lists the note's section titles.
pub fn fill_sections(template: &[NoteSection], markdown: &str) -> Result<Vec<NoteSection>> {
    let mut sections = template.to_vec();
    for s in &mut sections {
        s.text.clear();
    }
    let mut current = 0;
    let mut lines: Vec<Vec<&str>> = vec![Vec::new(); sections.len()];
    for line in markdown.split_inclusive('\n') {
        if let Some(title) = line.strip_prefix("## ") {
            let title = title.trim();
            current = sections
                .iter()
                .position(|s| {
                    s.title.eq_ignore_ascii_case(title) || s.key.eq_ignore_ascii_case(title)
                })
                .ok_or_else(|| {
                    Error::invalid(
                        "text",
                        format!(
                            "\u{201c}## {title}\u{201d} is not a section of this note. Its sections: {}.",
                            sections
                                .iter()
                                .map(|s| s.title.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })?;
            continue;
        }
        // A note always has sections; with none there is nowhere to put the line.
        if let Some(l) = lines.get_mut(current) {
            l.push(line);
        }
    }
    for (s, l) in sections.iter_mut().zip(lines) {
        s.text = l.concat().trim_matches('\n').to_owned();
    }
    Ok(sections)
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

    fn texts(s: &[NoteSection]) -> Vec<&str> {
        s.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn each_heading_starts_its_section_and_old_text_is_replaced() {
        let md = "## Subjective\nSlept well.\n\nCalm.\n## Plan\nNext week.\n";
        let s = fill_sections(&soap(), md).unwrap();
        assert_eq!(texts(&s), ["Slept well.\n\nCalm.", "", "", "Next week."]);
        assert_eq!(s[0].title, "Subjective", "titles and keys are kept");
        assert_eq!(s[3].key, "plan");
    }

    #[test]
    fn a_heading_matches_a_title_or_a_key_in_any_case() {
        let md = "## ASSESSMENT\nSteady.\n##   objective  \nAlert.\n";
        let s = fill_sections(&soap(), md).unwrap();
        assert_eq!(texts(&s), ["", "Alert.", "Steady.", ""]);
    }

    #[test]
    fn text_before_the_first_heading_goes_to_the_first_section() {
        let s = fill_sections(&soap(), "No headings at all.\n").unwrap();
        assert_eq!(texts(&s), ["No headings at all.", "", "", ""]);
    }

    #[test]
    fn only_blank_lines_around_a_section_are_trimmed() {
        let md = "## Plan\n\n\n  indented line  \n\n- a list\n\n\n";
        let s = fill_sections(&soap(), md).unwrap();
        assert_eq!(s[3].text, "  indented line  \n\n- a list");
    }

    #[test]
    fn deeper_headings_and_hashes_inside_lines_are_text() {
        let md = "## Plan\n### Homework\nRead #2.\n##No space\n";
        let s = fill_sections(&soap(), md).unwrap();
        assert_eq!(s[3].text, "### Homework\nRead #2.\n##No space");
    }

    #[test]
    fn an_unknown_heading_is_refused_with_the_sections_it_could_be() {
        let e = fill_sections(&soap(), "## Feelings\nText\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\u{201c}## Feelings\u{201d} is not a section of this note. Its sections: Subjective, Objective, Assessment, Plan."
        );
        assert_eq!(e.field(), Some("text"));
    }

    #[test]
    fn a_note_without_sections_takes_no_text() {
        assert_eq!(fill_sections(&[], "Some text\n").unwrap(), []);
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
