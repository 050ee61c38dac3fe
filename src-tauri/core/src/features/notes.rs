//! Session notes: one progress note per session in SOAP, DAP, BIRP or free form, with
//! each phase's prompts from `assets/templates/notes/`. Drafts are saved as typed;
//! signing stores a SHA-256 of the canonical content, after which the store itself
//! refuses any change (triggers in migration 0005) and every read re-checks the hash.
//! Corrections are signed, append-only addenda. Psychotherapy notes live apart.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::dates::stamp_in;
use crate::error::{Error, Result};
use crate::model::notes::{
    Addendum, Note, NoteDraft, NoteFormat, NoteSection, NoteSignature, NoteState, OpenNote,
    SearchHit, SearchResults, SearchSource, SectionPrompt, SnippetPart,
};
use crate::model::session::{SessionKind, SessionStatus};
use crate::store::sessions::{COLUMNS as SESSION_COLUMNS, from_row as session_from_row};
use crate::vault::Vault;

const TEMPLATES: &str = include_str!("../../../../assets/templates/notes/note-templates.toml");

/// Generous for a 20-page note and still far from what a vault page cache minds.
const MAX_NOTE_BYTES: usize = 2 * 1024 * 1024;
const MAX_SECTIONS: usize = 24;

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
        SessionKind::Intake | SessionKind::Preparation => Some("preparation"),
        SessionKind::Dosing => Some("dosing"),
        SessionKind::Integration => Some("integration"),
        SessionKind::FollowUp | SessionKind::Other => None,
    }
}

/// The sections and prompts a new note of this format starts with, for this phase.
fn blank_sections(
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

// --- Hashing -------------------------------------------------------------------------

/// What a signature covers, serialised with a fixed field order. Changing this breaks
/// every stored hash: add a new schema version instead.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CanonicalNote<'a> {
    schema: &'static str,
    session_id: &'a str,
    format: &'a str,
    sections: &'a [NoteSection],
    signed_at: &'a str,
    signed_by: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CanonicalAddendum<'a> {
    schema: &'static str,
    session_id: &'a str,
    seq: u32,
    text: &'a str,
    signed_at: &'a str,
    signed_by: &'a str,
    /// Chains the addendum to the note it amends.
    note_sha256: &'a str,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn note_hash(
    session_id: &str,
    format: &str,
    sections: &[NoteSection],
    signed_at: &str,
    signed_by: &str,
) -> Result<String> {
    let c = CanonicalNote {
        schema: "kapdesk.note.v1",
        session_id,
        format,
        sections,
        signed_at,
        signed_by,
    };
    Ok(sha256_hex(&serde_json::to_vec(&c).map_err(|e| {
        Error::invalid("note", format!("The note could not be serialised: {e}"))
    })?))
}

fn addendum_hash(
    session_id: &str,
    seq: u32,
    text: &str,
    signed_at: &str,
    signed_by: &str,
    note_sha256: &str,
) -> Result<String> {
    let c = CanonicalAddendum {
        schema: "kapdesk.addendum.v1",
        session_id,
        seq,
        text,
        signed_at,
        signed_by,
        note_sha256,
    };
    Ok(sha256_hex(&serde_json::to_vec(&c).map_err(|e| {
        Error::invalid(
            "addendum",
            format!("The addendum could not be serialised: {e}"),
        )
    })?))
}

/// The stored row of a note, before it is checked.
pub(crate) struct StoredNote {
    pub format: String,
    pub sections_json: String,
    pub updated_at: String,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    pub sha256: Option<String>,
}

pub(crate) struct StoredAddendum {
    pub id: String,
    pub seq: u32,
    pub text: String,
    pub signed_at: String,
    pub signed_by: String,
    pub sha256: String,
}

impl StoredAddendum {
    /// As shown and exported, once checked.
    pub(crate) fn shown(self, tz: chrono_tz::Tz, intact: bool) -> Addendum {
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

/// A note as read back and checked: sections, its state, and whether its signature and
/// its addenda still match their hashes.
pub(crate) struct Checked {
    pub format: NoteFormat,
    pub sections: Vec<NoteSection>,
    pub state: NoteState,
    pub signed: Option<(String, String, String)>,
    pub intact: bool,
    pub problem: Option<String>,
    pub addenda: Vec<(StoredAddendum, bool)>,
}

pub(crate) fn check(
    session_id: &str,
    label: &str,
    note: StoredNote,
    addenda: Vec<StoredAddendum>,
) -> Checked {
    let mut problems = Vec::new();
    let format = NoteFormat::parse(&note.format).unwrap_or(NoteFormat::Free);
    let sections: Vec<NoteSection> = match serde_json::from_str(&note.sections_json) {
        Ok(s) => s,
        Err(_) => {
            problems.push(format!(
                "The text of the note for {label} is damaged and is shown as stored."
            ));
            vec![NoteSection {
                key: "note".into(),
                title: "Note (as stored)".into(),
                text: note.sections_json.clone(),
            }]
        }
    };
    let (state, signed) = match (note.signed_at, note.signed_by, note.sha256) {
        (Some(at), Some(by), Some(hash)) => {
            let now_hash = note_hash(session_id, &note.format, &sections, &at, &by).ok();
            if problems.is_empty() && now_hash.as_deref() != Some(hash.as_str()) {
                problems.push(format!(
                    "INTEGRITY CHECK FAILED: the signed note for {label} no longer matches the fingerprint (SHA-256) stored when it was signed. It may have been altered outside KAP Desk. Keep a backup and do not rely on this text without checking it."
                ));
            }
            (NoteState::Signed, Some((at, by, hash)))
        }
        (None, _, _) => (NoteState::Draft, None),
        _ => {
            problems.push(format!(
                "The signature of the note for {label} is incomplete."
            ));
            (NoteState::Signed, None)
        }
    };
    let note_sha = signed.as_ref().map(|s| s.2.clone()).unwrap_or_default();
    let addenda: Vec<(StoredAddendum, bool)> = addenda
        .into_iter()
        .map(|a| {
            let ok = addendum_hash(
                session_id,
                a.seq,
                &a.text,
                &a.signed_at,
                &a.signed_by,
                &note_sha,
            )
            .is_ok_and(|h| h == a.sha256);
            if !ok {
                problems.push(format!(
                    "INTEGRITY CHECK FAILED: addendum {} to the note for {label} no longer matches its fingerprint (SHA-256).",
                    a.seq
                ));
            }
            (a, ok)
        })
        .collect();
    Checked {
        format,
        sections,
        state,
        signed,
        intact: problems.is_empty(),
        problem: (!problems.is_empty()).then(|| problems.join(" ")),
        addenda,
    }
}

fn validate_draft(draft: &NoteDraft) -> Result<()> {
    if draft.sections.is_empty() {
        return Err(Error::invalid(
            "sections",
            "A note needs at least one section.",
        ));
    }
    if draft.sections.len() > MAX_SECTIONS {
        return Err(Error::invalid(
            "sections",
            format!("A note has at most {MAX_SECTIONS} sections."),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut size = 0;
    for s in &draft.sections {
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
    Ok(())
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

    pub(crate) fn stored_note(&self, session_id: &str) -> Result<Option<StoredNote>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT format, sections, updated_at, signed_at, signed_by, content_sha256
                 FROM notes WHERE session_id = ?1",
                [session_id],
                |r| {
                    Ok(StoredNote {
                        format: r.get(0)?,
                        sections_json: r.get(1)?,
                        updated_at: r.get(2)?,
                        signed_at: r.get(3)?,
                        signed_by: r.get(4)?,
                        sha256: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    pub(crate) fn stored_addenda(&self, session_id: &str) -> Result<Vec<StoredAddendum>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, seq, text, signed_at, signed_by, content_sha256
             FROM note_addenda WHERE session_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([session_id], |r| {
                Ok(StoredAddendum {
                    id: r.get(0)?,
                    seq: r.get(1)?,
                    text: r.get(2)?,
                    signed_at: r.get(3)?,
                    signed_by: r.get(4)?,
                    sha256: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn default_note_format(&self) -> Result<NoteFormat> {
        let f: String = self.conn().query_row(
            "SELECT note_format FROM practice_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        Ok(NoteFormat::parse(&f).unwrap_or_default())
    }

    /// The session's note, checked against its hash. A session without one gets the
    /// blank template of the practice's default format.
    pub fn note(&self, session_id: &str) -> Result<Note> {
        let session = self.session(session_id)?;
        let client = self.client_of(&session)?;
        let has_psychotherapy_note: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM psychotherapy_notes WHERE session_id = ?1 AND text <> '')",
            [session_id],
            |r| r.get(0),
        )?;
        let dosing_summary = if session.kind == SessionKind::Dosing {
            self.dosing_record(session_id)?.summary_lines()
        } else {
            Vec::new()
        };
        let stored = self.stored_note(session_id)?;
        let Some(stored) = stored else {
            let format = self.default_note_format()?;
            let (sections, prompts) = blank_sections(format, session.kind)?;
            return Ok(Note {
                session,
                client_id: client.id.clone(),
                client_name: client.display_name.clone(),
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
        let addenda = self.stored_addenda(session_id)?;
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
        let signed: Option<Option<String>> = self
            .conn()
            .query_row(
                "SELECT signed_at FROM notes WHERE session_id = ?1",
                [session_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(Some(at)) = signed {
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
        validate_draft(&draft)?;
        let json = serde_json::to_string(&draft.sections)
            .map_err(|e| Error::invalid("sections", format!("The note could not be saved: {e}")))?;
        let stamp = now.to_rfc3339_opts(SecondsFormat::Millis, true);
        self.conn().execute(
            "INSERT INTO notes (session_id, format, sections, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (session_id) DO UPDATE SET format = excluded.format,
                 sections = excluded.sections, updated_at = excluded.updated_at",
            params![session_id, draft.format.as_str(), json, stamp],
        )?;
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
        let Some(stored) = self.stored_note(session_id)? else {
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
        let changed = tx.execute(
            "UPDATE notes SET signed_at = ?2, signed_by = ?3, content_sha256 = ?4
             WHERE session_id = ?1 AND signed_at IS NULL AND sections = ?5",
            params![session_id, signed_at, signed_by, hash, stored.sections_json],
        )?;
        if changed != 1 {
            return Err(Error::invalid(
                "note",
                "The note changed while it was being signed; look it over and sign again.",
            ));
        }
        tx.execute(
            "INSERT INTO audit_log (at, event, detail) VALUES (?1, 'note_signed', ?2)",
            params![now.to_rfc3339(), session_id],
        )?;
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
        let Some(stored) = self.stored_note(session_id)? else {
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
        let seq: u32 = tx.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM note_addenda WHERE session_id = ?1",
            [session_id],
            |r| r.get(0),
        )?;
        let hash = addendum_hash(session_id, seq, text, &signed_at, &signed_by, &note_sha)?;
        tx.execute(
            "INSERT INTO note_addenda (id, session_id, seq, text, signed_at, signed_by, content_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, session_id, seq, text, signed_at, signed_by, hash],
        )?;
        tx.execute(
            "INSERT INTO audit_log (at, event, detail) VALUES (?1, 'note_addendum_added', ?2)",
            params![now.to_rfc3339(), session_id],
        )?;
        tx.commit()?;
        self.note(session_id)
    }

    pub fn psychotherapy_note(&self, session_id: &str) -> Result<String> {
        self.session(session_id)?;
        Ok(self
            .conn()
            .query_row(
                "SELECT text FROM psychotherapy_notes WHERE session_id = ?1",
                [session_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_default())
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
        self.conn().execute(
            "INSERT INTO psychotherapy_notes (session_id, text, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (session_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            params![session_id, text, now.to_rfc3339()],
        )?;
        Ok(())
    }

    /// Full-text search over notes and addenda (never psychotherapy notes), grouped by
    /// client then newest first. Each word matches as a prefix; all must appear.
    pub fn search_notes(&self, query: &str) -> Result<SearchResults> {
        let terms: Vec<String> = query
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .map(|w| w.trim_matches(|c: char| c == '\'' || c == '-'))
            .filter(|w| !w.is_empty())
            .take(12)
            .map(|w| format!("\"{}\"*", w.replace('"', "")))
            .collect();
        if terms.is_empty() {
            return Ok(SearchResults {
                hits: Vec::new(),
                more: false,
            });
        }
        let fts = terms.join(" ");
        let mut stmt = self.conn().prepare_cached(&format!(
            "WITH hits AS (
                 SELECT rowid AS r, snippet(note_search, 0, char(2), char(3), '\u{2026}', 24) AS snip,
                        rank AS score
                 FROM note_search WHERE note_search MATCH ?1 ORDER BY rank LIMIT ?2)
             SELECT {SESSION_COLUMNS}, a.seq, hits.snip, c.id,
                    CASE WHEN c.preferred_name <> '' THEN c.preferred_name || ' (' || c.legal_name || ')'
                         ELSE c.legal_name END,
                    hits.score
             FROM hits
             LEFT JOIN notes n ON hits.r > 0 AND n.rowid = hits.r
             LEFT JOIN note_addenda a ON hits.r < 0 AND a.rowid = -hits.r
             JOIN sessions s ON s.id = coalesce(n.session_id, a.session_id)
             JOIN courses k ON k.id = s.course_id
             JOIN clients c ON c.id = k.client_id
             ORDER BY c.legal_name COLLATE NOCASE, c.id, s.starts_utc DESC, a.seq"
        ))?;
        let rows = stmt
            .query_map(params![fts, SEARCH_LIMIT as i64 + 1], |r| {
                Ok((
                    session_from_row(r)?,
                    r.get::<_, Option<u32>>(12)?,
                    r.get::<_, String>(13)?,
                    r.get::<_, String>(14)?,
                    r.get::<_, String>(15)?,
                    r.get::<_, f64>(16)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // One row past the limit says there are more; the least relevant is not listed.
        let more = rows.len() > SEARCH_LIMIT;
        let worst = rows.iter().map(|r| r.5).fold(f64::NEG_INFINITY, f64::max);
        let mut dropped = !more;
        let mut out = Vec::with_capacity(rows.len());
        for (session, seq, snip, client_id, client_name, score) in rows {
            if !dropped && score == worst {
                dropped = true;
                continue;
            }
            out.push(SearchHit {
                session_id: session.id,
                client_id,
                client_name,
                date: session.date,
                session_label: session.label,
                source: if seq.is_some() {
                    SearchSource::Addendum
                } else {
                    SearchSource::Note
                },
                addendum_seq: seq,
                snippet: snippet_parts(&snip),
            });
        }
        Ok(SearchResults { hits: out, more })
    }

    /// Draft notes of completed sessions that started before `older_than`, any client
    /// not archived. Found through the partial index on unsigned notes: drafts are few.
    pub(crate) fn draft_notes_before(&self, older_than: DateTime<Utc>) -> Result<Vec<OpenNote>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.id, CASE WHEN c.preferred_name <> '' THEN c.preferred_name ELSE c.legal_name END,
                    s.id, s.kind, substr(s.starts_local, 1, 10), s.starts_utc
             FROM notes n INDEXED BY notes_unsigned
             JOIN sessions s ON s.id = n.session_id
             JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
             WHERE n.signed_at IS NULL AND s.status = 'completed' AND s.starts_utc < ?1
               AND c.archived_at IS NULL",
        )?;
        let rows = stmt
            .query_map([older_than.to_rfc3339()], |r| {
                Ok(OpenNote {
                    client_id: r.get(0)?,
                    client_name: r.get(1)?,
                    session_id: r.get(2)?,
                    kind: SessionKind::parse(&r.get::<_, String>(3)?).unwrap_or(SessionKind::Other),
                    date: NaiveDate::parse_from_str(&r.get::<_, String>(4)?, "%Y-%m-%d")
                        .unwrap_or_default(),
                    starts_utc: DateTime::parse_from_rfc3339(&r.get::<_, String>(5)?)
                        .map(|d| d.with_timezone(&Utc))
                        .unwrap_or_default(),
                    draft: true,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// Splits an FTS5 snippet marked with \u{2} … \u{3} into plain and highlighted parts.
fn snippet_parts(s: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find('\u{2}') {
        if start > 0 {
            parts.push(SnippetPart {
                text: rest[..start].to_owned(),
                hit: false,
            });
        }
        let after = &rest[start + 1..];
        let end = after.find('\u{3}').unwrap_or(after.len());
        parts.push(SnippetPart {
            text: after[..end].to_owned(),
            hit: true,
        });
        rest = after.get(end + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        parts.push(SnippetPart {
            text: rest.to_owned(),
            hit: false,
        });
    }
    parts
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
                "plan_of_action"
            ]
        );
        assert!(p[0].hint.contains("What came up"), "{:?}", p[0]);
        let (s, _) = blank_sections(NoteFormat::Birp, SessionKind::Preparation).unwrap();
        assert_eq!(s.last().unwrap().title, "Consent topics covered");
        let (s, p) = blank_sections(NoteFormat::Free, SessionKind::Dosing).unwrap();
        assert_eq!(s[0].title, "Note");
        assert!(p[0].hint.contains("linked from the dosing record"));
        let (s, _) = blank_sections(NoteFormat::Dap, SessionKind::FollowUp).unwrap();
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn a_snippet_is_split_into_highlighted_parts() {
        let parts = snippet_parts("\u{2026}the \u{2}grief\u{3} came \u{2}back\u{3}");
        assert_eq!(
            parts
                .iter()
                .map(|p| (p.text.as_str(), p.hit))
                .collect::<Vec<_>>(),
            [
                ("\u{2026}the ", false),
                ("grief", true),
                (" came ", false),
                ("back", true)
            ]
        );
    }

    #[test]
    fn the_hash_covers_every_byte_of_the_text() {
        let s = |t: &str| {
            vec![NoteSection {
                key: "note".into(),
                title: "Note".into(),
                text: t.into(),
            }]
        };
        let a = note_hash("s", "free", &s("calm"), "t", "me").unwrap();
        let b = note_hash("s", "free", &s("calm "), "t", "me").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }
}
