//! Session notes: one progress note per session in SOAP, DAP, BIRP or free form, with
//! each phase's prompts from `assets/templates/notes/`. Drafts are saved as typed;
//! signing stores a SHA-256 of the canonical content, after which the store itself
//! refuses any change (triggers in migration 0005) and every read re-checks the hash.
//! Corrections are signed, append-only addenda. Psychotherapy notes live apart.
//!
//! The rows are `store::notes`; the hashes and the check `rules::notes`; a draft's own
//! checks and Markdown into sections `model::notes`. The templates stay here: they are
//! read from the assets.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;

use crate::dates::stamp_in;
use crate::error::{Error, Result};
use crate::model::notes::{
    MAX_NOTE_BYTES, Note, NoteDraft, NoteFormat, NoteSection, NoteSignature, NoteState, OpenNote,
    SearchHit, SearchResults, SearchSource, SectionPrompt, StoredAddendum,
};
use crate::model::session::{SessionKind, SessionStatus};
use crate::rules::notes::{addendum_hash, check, note_hash};
use crate::store;
use crate::store::notes::Signing;
use crate::vault::Vault;

const TEMPLATES: &str = include_str!("../../../../assets/templates/notes/note-templates.toml");

/// How many matches a search lists, the most relevant first.
const SEARCH_LIMIT: usize = 200;

// --- Templates -----------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Templates {
    formats: HashMap<String, FormatTemplate>,
    phases: HashMap<String, PhaseTemplate>,
}

#[derive(Debug, Deserialize)]
struct FormatTemplate {
    sections: Vec<SectionTemplate>,
}

#[derive(Debug, Clone, Deserialize)]
struct SectionTemplate {
    key: String,
    title: String,
    hint: String,
}

#[derive(Debug, Deserialize)]
struct PhaseTemplate {
    #[serde(default)]
    hints: HashMap<String, String>,
    #[serde(default)]
    extra: Vec<SectionTemplate>,
}

fn templates() -> Result<&'static Templates> {
    static PARSED: OnceLock<std::result::Result<Templates, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| toml::from_str(TEMPLATES).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| {
            Error::invalid(
                "template",
                format!("The note templates in assets/templates/notes are unreadable: {e}"),
            )
        })
}

fn phase_of(kind: SessionKind) -> Option<&'static str> {
    match kind {
        SessionKind::Intake => Some("intake"),
        SessionKind::Preparation => Some("preparation"),
        SessionKind::Dosing => Some("dosing"),
        SessionKind::Integration => Some("integration"),
        SessionKind::FollowUp => Some("follow_up"),
        SessionKind::Other => None,
    }
}

/// The sections and prompts a new note of this format starts with, for this phase.
pub(crate) fn blank_sections(
    format: NoteFormat,
    kind: SessionKind,
) -> Result<(Vec<NoteSection>, Vec<SectionPrompt>)> {
    let t = templates()?;
    let f = t.formats.get(format.as_str()).ok_or_else(|| {
        Error::invalid(
            "format",
            format!("The note templates have no {} format.", format.label()),
        )
    })?;
    let phase = phase_of(kind).and_then(|p| t.phases.get(p));
    let mut sections = Vec::new();
    let mut prompts = Vec::new();
    for s in f
        .sections
        .iter()
        .chain(phase.map(|p| p.extra.iter()).into_iter().flatten())
    {
        sections.push(NoteSection {
            key: s.key.clone(),
            title: s.title.clone(),
            text: String::new(),
        });
        let hint = phase
            .and_then(|p| p.hints.get(&s.key))
            .unwrap_or(&s.hint)
            .clone();
        prompts.push(SectionPrompt {
            key: s.key.clone(),
            hint,
        });
    }
    Ok((sections, prompts))
}

impl Vault {
    fn signer(&self) -> Result<String> {
        let s = self.settings()?;
        Ok(
            match (s.therapist_name.is_empty(), s.credentials.is_empty()) {
                (true, _) => "the therapist".into(),
                (false, true) => s.therapist_name,
                (false, false) => format!("{}, {}", s.therapist_name, s.credentials),
            },
        )
    }

    fn local_stamp(&self, rfc3339: &str) -> String {
        match self.practice_time_zone() {
            Ok(tz) => stamp_in(tz, rfc3339),
            Err(_) => stamp_in(chrono_tz::UTC, rfc3339),
        }
    }

    /// The session's note, checked against its hash. A session without one gets the
    /// blank template of the practice's default format.
    pub fn note(&self, session_id: &str) -> Result<Note> {
        let session = self.session(session_id)?;
        let client = self.client_of(&session)?;
        let has_psychotherapy_note = store::notes::has_psychotherapy_note(self.conn(), session_id)?;
        let dosing_summary = if session.kind == SessionKind::Dosing {
            self.dosing_record(session_id)?.summary_lines()
        } else {
            Vec::new()
        };
        let stored = store::notes::get(self.conn(), session_id)?;
        let Some(stored) = stored else {
            let format = self.settings()?.note_format;
            let (sections, prompts) = blank_sections(format, session.kind)?;
            return Ok(Note {
                session,
                client_id: client.id.clone(),
                client_name: client.display_name.clone(),
                client_identity: client.identified(),
                format,
                sections,
                prompts,
                state: NoteState::None,
                signature: None,
                intact: true,
                integrity_message: None,
                addenda: Vec::new(),
                dosing_summary,
                has_psychotherapy_note,
                updated_at: None,
            });
        };
        let updated_at = stored.updated_at.clone();
        let addenda = store::notes::addenda(self.conn(), session_id)?;
        let c = check(session_id, &session.label, stored, addenda);
        let (_, template_prompts) = blank_sections(c.format, session.kind)?;
        // Prompts for the sections the note has (a note keeps its own sections).
        let prompts = c
            .sections
            .iter()
            .filter_map(|s| template_prompts.iter().find(|p| p.key == s.key).cloned())
            .collect();
        let tz = self.practice_time_zone()?;
        let signature = c.signed.as_ref().map(|(at, by, hash)| NoteSignature {
            signed_at: at.clone(),
            signed_local: stamp_in(tz, at),
            signed_by: by.clone(),
            sha256: hash.clone(),
        });
        let addenda = c
            .addenda
            .into_iter()
            .map(|(a, intact)| a.shown(tz, intact))
            .collect();
        Ok(Note {
            session,
            client_id: client.id.clone(),
            client_name: client.display_name.clone(),
            client_identity: client.identified(),
            format: c.format,
            sections: c.sections,
            prompts,
            state: c.state,
            signature,
            intact: c.intact,
            integrity_message: c.problem,
            addenda,
            dosing_summary,
            has_psychotherapy_note,
            updated_at: Some(updated_at),
        })
    }

    fn refuse_if_signed(&self, session_id: &str) -> Result<()> {
        if let Some(at) = store::notes::signed_at(self.conn(), session_id)? {
            return Err(Error::invalid(
                "note",
                format!(
                    "This note was signed on {} and is locked. Add an addendum to correct or add to it.",
                    self.local_stamp(&at)
                ),
            ));
        }
        Ok(())
    }

    /// Saves the draft as typed (called as the therapist types).
    pub fn save_note_draft(
        &mut self,
        session_id: &str,
        draft: NoteDraft,
        now: DateTime<Utc>,
    ) -> Result<Note> {
        let session = self.session(session_id)?;
        if session.status == SessionStatus::Cancelled {
            return Err(Error::invalid(
                "note",
                format!(
                    "{} was cancelled; there is no session to write a note for.",
                    session.label
                ),
            ));
        }
        self.refuse_if_signed(session_id)?;
        let draft = draft.validated()?;
        let json = serde_json::to_string(&draft.sections)
            .map_err(|e| Error::invalid("sections", format!("The note could not be saved: {e}")))?;
        let stamp = now.to_rfc3339_opts(SecondsFormat::Millis, true);
        store::notes::save_draft(self.conn(), session_id, draft.format, &json, &stamp)?;
        self.note(session_id)
    }

    /// Moves a draft to another format, keeping every word: text under a key the new
    /// format also has stays there; the rest goes to the new format's last section,
    /// under its old title.
    pub fn switch_note_format(
        &mut self,
        session_id: &str,
        format: NoteFormat,
        now: DateTime<Utc>,
    ) -> Result<Note> {
        self.refuse_if_signed(session_id)?;
        let current = self.note(session_id)?;
        if current.format == format {
            return Ok(current);
        }
        let (mut sections, _) = blank_sections(format, current.session.kind)?;
        let mut orphans = Vec::new();
        for old in current.sections {
            if old.text.is_empty() {
                continue;
            }
            match sections.iter_mut().find(|s| s.key == old.key) {
                Some(s) => s.text = old.text,
                None => orphans.push(old),
            }
        }
        if !orphans.is_empty() {
            // The last format section (before the phase's extras) takes what has no place.
            let format_len = templates()?
                .formats
                .get(format.as_str())
                .map_or(1, |f| f.sections.len());
            let target = &mut sections[format_len.saturating_sub(1)];
            for o in orphans {
                if !target.text.is_empty() {
                    target.text.push_str("\n\n");
                }
                target.text.push_str(&format!("{}:\n{}", o.title, o.text));
            }
        }
        self.save_note_draft(session_id, NoteDraft { format, sections }, now)
    }

    /// Signs and locks the note. From here on only addenda can add to it.
    pub fn sign_note(&mut self, session_id: &str, now: DateTime<Utc>) -> Result<Note> {
        let session = self.session(session_id)?;
        if session.starts_utc > now {
            return Err(Error::invalid(
                "note",
                format!(
                    "{} has not happened yet; sign its note after the session.",
                    session.label
                ),
            ));
        }
        self.refuse_if_signed(session_id)?;
        let Some(stored) = store::notes::get(self.conn(), session_id)? else {
            return Err(Error::invalid(
                "note",
                "There is no note to sign yet; write it first.",
            ));
        };
        let sections: Vec<NoteSection> =
            serde_json::from_str(&stored.sections_json).map_err(|_| Error::Damaged {
                reason: "a draft note's text could not be read".into(),
            })?;
        if sections.iter().all(|s| s.text.trim().is_empty()) {
            return Err(Error::invalid(
                "note",
                "The note is empty; write it before signing.",
            ));
        }
        let signed_by = self.signer()?;
        let signed_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let hash = note_hash(
            session_id,
            &stored.format,
            &sections,
            &signed_at,
            &signed_by,
        )?;
        let tx = self.conn_mut().transaction()?;
        let signed = store::notes::sign(
            &tx,
            &Signing {
                session_id,
                signed_at: &signed_at,
                signed_by: &signed_by,
                sha256: &hash,
                sections_json: &stored.sections_json,
            },
        )?;
        if !signed {
            return Err(Error::invalid(
                "note",
                "The note changed while it was being signed; look it over and sign again.",
            ));
        }
        store::audit::record(&tx, now, "note_signed", session_id)?;
        tx.commit()?;
        self.note(session_id)
    }

    /// Adds a dated, signed addendum under a signed note.
    pub fn add_addendum(
        &mut self,
        session_id: &str,
        text: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Note> {
        if text.trim().is_empty() {
            return Err(Error::invalid(
                "text",
                "Write the addendum before adding it.",
            ));
        }
        if text.len() > MAX_NOTE_BYTES {
            return Err(Error::invalid(
                "text",
                "This addendum is longer than 2 MB and was not added.",
            ));
        }
        let Some(stored) = store::notes::get(self.conn(), session_id)? else {
            return Err(Error::invalid(
                "text",
                "There is no signed note to add to; write and sign the note first.",
            ));
        };
        let Some(note_sha) = stored.sha256 else {
            return Err(Error::invalid(
                "text",
                "The note is still a draft; edit it directly, and add addenda after signing.",
            ));
        };
        let signed_by = self.signer()?;
        let signed_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let tx = self.conn_mut().transaction()?;
        let seq = store::notes::next_addendum_seq(&tx, session_id)?;
        let hash = addendum_hash(session_id, seq, text, &signed_at, &signed_by, &note_sha)?;
        store::notes::insert_addendum(
            &tx,
            session_id,
            &StoredAddendum {
                id: id.to_owned(),
                seq,
                text: text.to_owned(),
                signed_at,
                signed_by,
                sha256: hash,
            },
        )?;
        store::audit::record(&tx, now, "note_addendum_added", session_id)?;
        tx.commit()?;
        self.note(session_id)
    }

    /// The session's psychotherapy note. Reading one that exists is audited (the
    /// session, never the text): who read these notes is what a reviewer asks first.
    pub fn psychotherapy_note(&mut self, session_id: &str, now: DateTime<Utc>) -> Result<String> {
        self.session(session_id)?;
        let tx = self.conn_mut().transaction()?;
        let text = store::notes::psychotherapy_note(&tx, session_id)?;
        if text.is_some() {
            store::audit::record(&tx, now, "psychotherapy_note_viewed", session_id)?;
        }
        tx.commit()?;
        Ok(text.unwrap_or_default())
    }

    pub fn save_psychotherapy_note(
        &mut self,
        session_id: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.session(session_id)?;
        if text.len() > MAX_NOTE_BYTES {
            return Err(Error::invalid(
                "text",
                "This psychotherapy note is longer than 2 MB and was not saved.",
            ));
        }
        store::notes::save_psychotherapy_note(self.conn(), session_id, text, now)
    }

    /// Full-text search over notes and addenda (never psychotherapy notes), grouped by
    /// client then newest first. Each word matches as a prefix; all must appear.
    pub fn search_notes(&self, query: &str) -> Result<SearchResults> {
        let Some(expression) = store::notes::match_expression(query) else {
            return Ok(SearchResults {
                hits: Vec::new(),
                more: false,
            });
        };
        let rows = store::notes::search(self.conn(), &expression, SEARCH_LIMIT + 1)?;
        // One row past the limit says there are more; the least relevant is not listed.
        let more = rows.len() > SEARCH_LIMIT;
        let worst = rows
            .iter()
            .map(|r| r.score)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut dropped = !more;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            if !dropped && row.score == worst {
                dropped = true;
                continue;
            }
            out.push(SearchHit {
                session_id: row.session.id,
                client_id: row.client_id,
                client_name: row.client_name,
                date: row.session.date,
                session_label: row.session.label,
                source: if row.addendum_seq.is_some() {
                    SearchSource::Addendum
                } else {
                    SearchSource::Note
                },
                addendum_seq: row.addendum_seq,
                snippet: row.snippet,
            });
        }
        Ok(SearchResults { hits: out, more })
    }

    /// Draft notes of completed sessions that started before `older_than`, any client
    /// not archived. Found through the partial index on unsigned notes: drafts are few.
    pub(crate) fn draft_notes_before(&self, older_than: DateTime<Utc>) -> Result<Vec<OpenNote>> {
        store::notes::drafts_before(self.conn(), older_than)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_its_sections_and_each_phase_its_prompts() {
        let (s, p) = blank_sections(NoteFormat::Soap, SessionKind::Integration).unwrap();
        let keys: Vec<_> = s.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "subjective",
                "objective",
                "assessment",
                "plan",
                "risk_check",
                "since_dosing",
                "touch_and_events",
                "plan_of_action"
            ]
        );
        assert!(p[0].hint.contains("What came up"), "{:?}", p[0]);
        let since = &p[5].hint;
        for asked in ["Sleep", "mood", "urinary symptoms", "substance use"] {
            assert!(since.contains(asked), "{asked}: {since}");
        }
        assert!(p[6].hint.contains("adverse events") && p[6].hint.contains("touch"));
        let (s, _) = blank_sections(NoteFormat::Birp, SessionKind::Preparation).unwrap();
        assert_eq!(s.last().unwrap().title, "Consent topics covered");
        let (s, p) = blank_sections(NoteFormat::Free, SessionKind::Dosing).unwrap();
        assert_eq!(s[0].title, "Note");
        assert!(p[0].hint.contains("linked from the dosing record"));
        assert!(s.iter().any(|s| s.key == "touch_used"));
        let (s, _) = blank_sections(NoteFormat::Dap, SessionKind::FollowUp).unwrap();
        assert_eq!(
            s.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(),
            ["data", "assessment", "plan", "risk_check", "next_steps"]
        );
        let (_, p) = blank_sections(NoteFormat::Dap, SessionKind::Other).unwrap();
        assert_eq!(
            p.len(),
            3,
            "a session of another kind gets the format alone"
        );
    }

    #[test]
    fn every_phase_starts_with_a_risk_check_that_asks_for_the_action_taken() {
        for kind in [
            SessionKind::Intake,
            SessionKind::Preparation,
            SessionKind::Dosing,
            SessionKind::Integration,
            SessionKind::FollowUp,
        ] {
            for format in [
                NoteFormat::Soap,
                NoteFormat::Dap,
                NoteFormat::Birp,
                NoteFormat::Free,
            ] {
                let (s, p) = blank_sections(format, kind).unwrap();
                let i = s
                    .iter()
                    .position(|s| s.key == "risk_check")
                    .unwrap_or_else(|| panic!("{kind:?} {format:?} has no risk check"));
                assert_eq!(s[i].title, "Risk check");
                let hint = p[i].hint.to_lowercase();
                assert!(
                    hint.contains("suicidal thoughts")
                        && hint.contains("self-harm")
                        && hint.contains("safety concerns")
                        && hint.contains("action taken"),
                    "{kind:?}: {hint}"
                );
            }
        }
    }

    #[test]
    fn the_intake_note_asks_for_history_why_kap_fit_and_the_referral() {
        let (s, _) = blank_sections(NoteFormat::Soap, SessionKind::Intake).unwrap();
        let titles: Vec<&str> = s.iter().map(|s| s.title.as_str()).collect();
        for title in [
            "History",
            "Why KAP",
            "Fit decision",
            "Referral to the partner medical team",
        ] {
            assert!(titles.contains(&title), "{title}: {titles:?}");
        }
        let (_, p) = blank_sections(NoteFormat::Soap, SessionKind::Intake).unwrap();
        assert!(p[0].hint.starts_with("Presenting concerns"));
    }
}
