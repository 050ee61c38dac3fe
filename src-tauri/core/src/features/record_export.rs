//! Handing the record over: notes exported as PDF (one file per client), Markdown (one
//! readable file per client) or JSON (one versioned file another program can import),
//! and the record-request PDF with everything a client is entitled to receive.
//!
//! Psychotherapy notes are left out unless the therapist explicitly asks. Every note
//! is re-checked against its hash on the way out, and a failure is printed, not hidden.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;

use crate::dates::{long_date, stamp_in};
use crate::error::{Error, Result};
use crate::features::notes::{StoredAddendum, StoredNote, check};
use crate::model::export::{
    EXPORT_SCHEMA, EXPORT_VERSION, ExportClient, ExportDosing, ExportFormat, ExportNote,
    ExportOutcome, ExportProgress, ExportRequest, NotesExport, SavedFile,
};
use crate::model::notes::NoteState;
use crate::model::session::SessionKind;
use crate::print::files::write_private_file;
use crate::print::pdf::{Block, Document};
use crate::store::sessions::{COLUMNS as SESSION_COLUMNS, from_row as session_from_row};
use crate::validate;
use crate::vault::Vault;

/// A file name fit for any file system: lower-case letters, digits and dashes.
pub fn file_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    s.chars().take(60).collect()
}

/// `dir/name.ext`, or `dir/name-2.ext` … when that exists: an export never overwrites.
fn free_path(dir: &Path, name: &str, ext: &str) -> PathBuf {
    let mut p = dir.join(format!("{name}.{ext}"));
    let mut n = 2;
    while p.exists() {
        p = dir.join(format!("{name}-{n}.{ext}"));
        n += 1;
    }
    p
}

impl Vault {
    /// The notes in scope, checked, grouped by client, oldest session first.
    pub fn collect_notes(&self, req: &ExportRequest, now: DateTime<Utc>) -> Result<NotesExport> {
        let from = req
            .from
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| validate::date("from", s))
            .transpose()?;
        let to = req
            .to
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| validate::date("to", s))
            .transpose()?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(Error::invalid(
                "to",
                "The end of the date range is before its start.",
            ));
        }
        if let Some(id) = &req.client_id {
            self.client(id)?;
        }
        let (from, to) = (
            from.map(|d| d.format("%Y-%m-%d").to_string()),
            to.map(|d| d.format("%Y-%m-%d").to_string()),
        );

        let mut addenda: HashMap<String, Vec<StoredAddendum>> = HashMap::new();
        {
            let mut stmt = self.conn().prepare(
                "SELECT a.session_id, a.id, a.seq, a.text, a.signed_at, a.signed_by, a.content_sha256
                 FROM note_addenda a JOIN sessions s ON s.id = a.session_id
                 JOIN courses k ON k.id = s.course_id
                 WHERE (?1 IS NULL OR k.client_id = ?1)
                   AND (?2 IS NULL OR substr(s.starts_local, 1, 10) >= ?2)
                   AND (?3 IS NULL OR substr(s.starts_local, 1, 10) <= ?3)
                 ORDER BY a.session_id, a.seq",
            )?;
            let rows = stmt.query_map(params![req.client_id, from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    StoredAddendum {
                        id: r.get(1)?,
                        seq: r.get(2)?,
                        text: r.get(3)?,
                        signed_at: r.get(4)?,
                        signed_by: r.get(5)?,
                        sha256: r.get(6)?,
                    },
                ))
            })?;
            for row in rows {
                let (session, a) = row?;
                addenda.entry(session).or_default().push(a);
            }
        }

        let mut stmt = self.conn().prepare(&format!(
            "SELECT {SESSION_COLUMNS}, c.id, c.legal_name, c.preferred_name, c.date_of_birth,
                    n.format, n.sections, n.updated_at, n.signed_at, n.signed_by, n.content_sha256,
                    CASE WHEN ?4 THEN (SELECT p.text FROM psychotherapy_notes p WHERE p.session_id = s.id) END
             FROM notes n JOIN sessions s ON s.id = n.session_id
             JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
             WHERE (?1 IS NULL OR c.id = ?1)
               AND (?2 IS NULL OR substr(s.starts_local, 1, 10) >= ?2)
               AND (?3 IS NULL OR substr(s.starts_local, 1, 10) <= ?3)
             ORDER BY c.legal_name COLLATE NOCASE, c.id, s.starts_utc, s.id"
        ))?;
        let rows = stmt.query_map(
            params![req.client_id, from, to, req.include_psychotherapy_notes],
            |r| {
                Ok((
                    session_from_row(r)?,
                    [r.get::<_, String>(12)?, r.get(13)?, r.get(14)?, r.get(15)?],
                    StoredNote {
                        format: r.get(16)?,
                        sections_json: r.get(17)?,
                        updated_at: r.get(18)?,
                        signed_at: r.get(19)?,
                        signed_by: r.get(20)?,
                        sha256: r.get(21)?,
                    },
                    r.get::<_, Option<String>>(22)?,
                ))
            },
        )?;
        let tz = self.practice_time_zone()?;
        let mut clients: Vec<ExportClient> = Vec::new();
        for row in rows {
            let (session, [cid, legal, preferred, dob], stored, pn) = row?;
            let format = stored.format.clone();
            let c = check(
                &session.id,
                &session.label,
                stored,
                addenda.remove(&session.id).unwrap_or_default(),
            );
            let (dosing_record, dosing) = if session.kind == SessionKind::Dosing {
                let record = self.dosing_record(&session.id)?;
                (record.summary_lines(), Some(ExportDosing::from(record)))
            } else {
                (Vec::new(), None)
            };
            let note = ExportNote {
                session_kind: session.kind.as_str().to_owned(),
                session_label: session.label.clone(),
                session_status: session.status.as_str().to_owned(),
                date: session.date.clone(),
                time: session.time.clone(),
                time_zone: session.time_zone.clone(),
                format,
                state: if c.state == NoteState::Signed {
                    "signed".into()
                } else {
                    "draft".into()
                },
                sections: c.sections,
                signed_at: c.signed.as_ref().map(|s| s.0.clone()),
                signed_local: c.signed.as_ref().map(|s| stamp_in(tz, &s.0)),
                signed_by: c.signed.as_ref().map(|s| s.1.clone()),
                sha256: c.signed.as_ref().map(|s| s.2.clone()),
                intact: c.intact,
                integrity_message: c.problem,
                addenda: c
                    .addenda
                    .into_iter()
                    .map(|(a, intact)| a.shown(tz, intact))
                    .collect(),
                dosing_record,
                dosing,
                psychotherapy_note: if req.include_psychotherapy_notes {
                    Some(pn.unwrap_or_default())
                } else {
                    None
                },
                session_id: session.id,
            };
            match clients.last_mut() {
                Some(last) if last.id == cid => last.notes.push(note),
                _ => clients.push(ExportClient {
                    id: cid,
                    legal_name: legal,
                    preferred_name: preferred,
                    date_of_birth: dob,
                    notes: vec![note],
                }),
            }
        }
        Ok(NotesExport {
            schema: EXPORT_SCHEMA.into(),
            version: EXPORT_VERSION,
            exported_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            includes_psychotherapy_notes: req.include_psychotherapy_notes,
            from,
            to,
            clients,
        })
    }

    /// Writes the export into `dir` (0600 files, never overwriting), calling `progress`
    /// after each note; when it returns false the export stops and removes its files.
    pub fn export_notes(
        &mut self,
        req: &ExportRequest,
        dir: &Path,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ExportProgress) -> bool,
    ) -> Result<ExportOutcome> {
        if !dir.is_dir() {
            return Err(Error::invalid(
                "folder",
                format!("{} is not a folder.", dir.display()),
            ));
        }
        let data = self.collect_notes(req, now)?;
        let total: u32 = data.clients.iter().map(|c| c.notes.len() as u32).sum();
        let integrity_failures = data
            .clients
            .iter()
            .flat_map(|c| &c.notes)
            .filter(|n| !n.intact)
            .count() as u32;
        let settings = self.settings()?;
        let today = self.today(now)?;
        let stamp = today.format("%Y-%m-%d").to_string();
        let mut files: Vec<SavedFile> = Vec::new();
        let mut done = 0;
        let mut cancelled = !progress(ExportProgress { done, total });
        let write = |path: PathBuf, bytes: &[u8], files: &mut Vec<SavedFile>| -> Result<()> {
            write_private_file(&path, bytes)?;
            files.push(SavedFile {
                path: path.display().to_string(),
                bytes: bytes.len() as u64,
            });
            Ok(())
        };
        let result = (|| -> Result<()> {
            match req.format {
                ExportFormat::Json => {
                    if cancelled {
                        return Ok(());
                    }
                    let json = serde_json::to_vec_pretty(&data).map_err(|e| {
                        Error::invalid("format", format!("The export could not be written: {e}"))
                    })?;
                    let name = match (&req.client_id, data.clients.first()) {
                        (Some(_), Some(c)) => {
                            format!("notes-{}-{stamp}", file_safe(&c.legal_name))
                        }
                        _ => format!("kapdesk-notes-{stamp}"),
                    };
                    write(free_path(dir, &name, "json"), &json, &mut files)?;
                    done = total;
                    cancelled = !progress(ExportProgress { done, total });
                }
                ExportFormat::Pdf | ExportFormat::Markdown => {
                    for client in &data.clients {
                        if cancelled {
                            break;
                        }
                        let name = format!("notes-{}-{stamp}", file_safe(&client.legal_name));
                        match req.format {
                            ExportFormat::Pdf => {
                                let doc = notes_document(client, &data, &settings, today);
                                let pdf = crate::print::pdf::render(
                                    &doc,
                                    &format!("Progress notes: {}", client.legal_name),
                                )?;
                                write(free_path(dir, &name, "pdf"), &pdf, &mut files)?;
                            }
                            _ => {
                                let md = notes_markdown(client, &data, today);
                                write(free_path(dir, &name, "md"), md.as_bytes(), &mut files)?;
                            }
                        }
                        done += client.notes.len() as u32;
                        cancelled = !progress(ExportProgress { done, total });
                    }
                }
            }
            Ok(())
        })();
        if result.is_err() || cancelled {
            for f in &files {
                let _ = std::fs::remove_file(&f.path);
            }
        }
        result?;
        self.audit(
            now,
            if cancelled {
                "notes_export_cancelled"
            } else {
                "notes_exported"
            },
            &format!(
                "{} notes, {:?}, psychotherapy notes {}",
                total,
                req.format,
                if req.include_psychotherapy_notes {
                    "included"
                } else {
                    "excluded"
                }
            ),
        )?;
        Ok(ExportOutcome {
            folder: dir.display().to_string(),
            files: if cancelled { Vec::new() } else { files },
            notes: if cancelled { 0 } else { total },
            clients: data.clients.len() as u32,
            cancelled,
            integrity_failures,
        })
    }

    /// One PDF of everything a client is entitled to receive (45 CFR 164.524): the
    /// timeline, consent, dosing records and progress notes; never psychotherapy notes.
    pub fn record_request(&mut self, client_id: &str, now: DateTime<Utc>) -> Result<Vec<u8>> {
        let client = self.client(client_id)?;
        let settings = self.settings()?;
        let today = self.today(now)?;
        let notes = self.collect_notes(
            &ExportRequest {
                client_id: Some(client_id.to_owned()),
                from: None,
                to: None,
                format: ExportFormat::Pdf,
                include_psychotherapy_notes: false,
            },
            now,
        )?;
        let consent = self.consent_checklist(client_id, now).ok();
        let sessions = crate::store::sessions::of_client(self.conn(), client_id)?;

        let mut blocks = vec![
            Block::Title("Client record".into()),
            Block::Fields(client_fields(
                &client.details.legal_name,
                &client.details.date_of_birth,
                today,
            )),
            Block::Space(6.0),
            Block::Paragraph(
                "This record is provided in response to a request for records. It contains the treatment timeline, informed-consent records, dosing-session records and progress notes. Psychotherapy notes are kept apart from the record and are not included (45 CFR 164.501, 164.524)."
                    .into(),
            ),
            Block::Heading("Treatment timeline".into()),
        ];
        if sessions.is_empty() {
            blocks.push(Block::Paragraph("No sessions are recorded.".into()));
        } else {
            let lines: Vec<String> = sessions
                .iter()
                .map(|s| {
                    format!(
                        "- {}, {}: {} ({}){}",
                        long_date(parse_date(&s.date)),
                        s.time,
                        s.label,
                        status_words(s.status),
                        if s.location.is_empty() {
                            String::new()
                        } else {
                            format!(", {}", s.location)
                        }
                    )
                })
                .collect();
            blocks.push(Block::Paragraph(lines.join("\n")));
        }

        blocks.push(Block::Heading("Informed consent".into()));
        match &consent {
            Some(c) => {
                let mut text = match (&c.signature, &c.withdrawal) {
                    (Some(sig), w) => {
                        let mut t = format!(
                            "{} (version {}): signed on {}, attested by {}.",
                            c.title,
                            c.template_version,
                            long_date(parse_date(&sig.signed_on)),
                            sig.attested_by
                        );
                        if let Some(w) = w {
                            t.push_str(&format!(
                                " Consent withdrawn on {}.",
                                long_date(parse_date(&w.withdrawn_on))
                            ));
                        }
                        t
                    }
                    (None, _) => format!(
                        "{} (version {}): not signed; {} of {} items discussed.",
                        c.title, c.template_version, c.done, c.total
                    ),
                };
                let discussed: Vec<String> = c
                    .items
                    .iter()
                    .filter_map(|i| {
                        i.discussed_on.as_ref().map(|d| {
                            format!(
                                "- {}: discussed {}{}",
                                i.title,
                                long_date(parse_date(d)),
                                if i.initialled { ", initialled" } else { "" }
                            )
                        })
                    })
                    .collect();
                if !discussed.is_empty() {
                    text.push_str("\n\n");
                    text.push_str(&discussed.join("\n"));
                }
                blocks.push(Block::Paragraph(text));
            }
            None => blocks.push(Block::Paragraph("No consent record.".into())),
        }

        blocks.push(Block::Heading("Dosing-session records".into()));
        let mut any_dosing = false;
        for s in sessions.iter().filter(|s| s.kind == SessionKind::Dosing) {
            let lines = self.dosing_record(&s.id)?.summary_lines();
            if lines.is_empty() {
                continue;
            }
            any_dosing = true;
            blocks.push(Block::Item {
                title: format!("{}, {} {}", s.label, long_date(parse_date(&s.date)), s.time),
                text: lines
                    .iter()
                    .map(|l| format!("- {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                initials: false,
                meta: None,
            });
        }
        if !any_dosing {
            blocks.push(Block::Paragraph("No dosing sessions are recorded.".into()));
        }

        blocks.push(Block::Heading("Progress notes".into()));
        match notes.clients.first() {
            Some(c) => note_blocks(c, &mut blocks),
            None => blocks.push(Block::Paragraph("No progress notes are recorded.".into())),
        }

        let doc = Document {
            paper: settings.paper_size,
            letterhead: crate::print::pdf::letterhead(&settings),
            footer: format!(
                "Client record \u{00b7} prepared {} \u{00b7} confidential",
                long_date(today)
            ),
            blocks,
        };
        let pdf = crate::print::pdf::render(&doc, "Client record")?;
        self.audit(now, "record_request_exported", client_id)?;
        Ok(pdf)
    }
}

fn status_words(s: crate::model::session::SessionStatus) -> &'static str {
    use crate::model::session::SessionStatus::*;
    match s {
        Scheduled => "scheduled",
        Completed => "completed",
        Cancelled => "cancelled",
        NoShow => "missed",
    }
}

fn parse_date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn client_fields(legal: &str, dob: &str, today: NaiveDate) -> Vec<(String, String)> {
    let mut f = vec![("Client".to_owned(), legal.to_owned())];
    if !dob.is_empty() {
        f.push(("Date of birth".into(), long_date(parse_date(dob))));
    }
    f.push(("Prepared".into(), long_date(today)));
    f
}

fn signature_line(n: &ExportNote) -> String {
    let format = crate::model::notes::NoteFormat::parse(&n.format)
        .map(|f| f.label())
        .unwrap_or("Free-form");
    match (&n.signed_local, &n.signed_by, &n.sha256) {
        (Some(at), Some(by), Some(h)) => {
            format!("{format} note \u{00b7} signed {at} by {by} \u{00b7} SHA-256 {h}")
        }
        _ => format!("{format} note \u{00b7} DRAFT, not signed"),
    }
}

/// The blocks of one client's notes: shared by the notes PDF and the record request.
fn note_blocks(client: &ExportClient, blocks: &mut Vec<Block>) {
    for n in &client.notes {
        blocks.push(Block::Heading(format!(
            "{} \u{00b7} {}, {}",
            n.session_label,
            long_date(parse_date(&n.date)),
            n.time
        )));
        blocks.push(Block::Meta(signature_line(n)));
        // Sets the signature line apart from the first section's title.
        blocks.push(Block::Space(8.0));
        if let Some(problem) = &n.integrity_message {
            blocks.push(Block::Paragraph(problem.clone()));
        }
        if !n.dosing_record.is_empty() {
            blocks.push(Block::Item {
                title: "From the dosing record".into(),
                text: n
                    .dosing_record
                    .iter()
                    .map(|l| format!("- {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                initials: false,
                meta: None,
            });
        }
        for s in &n.sections {
            if s.text.trim().is_empty() {
                continue;
            }
            blocks.push(Block::Item {
                title: s.title.clone(),
                text: s.text.clone(),
                initials: false,
                meta: None,
            });
        }
        for a in &n.addenda {
            blocks.push(Block::Item {
                title: format!("Addendum {}", a.seq),
                text: a.text.clone(),
                initials: false,
                meta: Some(format!(
                    "Signed {} by {} \u{00b7} SHA-256 {}{}",
                    a.signed_local,
                    a.signed_by,
                    a.sha256,
                    if a.intact {
                        ""
                    } else {
                        " \u{00b7} INTEGRITY CHECK FAILED"
                    }
                )),
            });
        }
        if let Some(pn) = &n.psychotherapy_note
            && !pn.trim().is_empty()
        {
            blocks.push(Block::Item {
                title: "Psychotherapy note (not part of the record)".into(),
                text: pn.clone(),
                initials: false,
                meta: None,
            });
        }
    }
}

/// One client's notes as a PDF document.
pub fn notes_document(
    client: &ExportClient,
    data: &NotesExport,
    settings: &crate::model::settings::PracticeSettings,
    today: NaiveDate,
) -> Document {
    let mut fields = client_fields(&client.legal_name, &client.date_of_birth, today);
    fields.push(("Notes".into(), range_words(data)));
    let mut blocks = vec![
        Block::Title("Progress notes".into()),
        Block::Fields(fields),
        Block::Space(4.0),
    ];
    if data.includes_psychotherapy_notes {
        blocks.push(Block::Paragraph(
            "This export includes psychotherapy notes at the therapist's explicit choice. They are not part of the client's record."
                .into(),
        ));
    }
    note_blocks(client, &mut blocks);
    Document {
        paper: settings.paper_size,
        letterhead: crate::print::pdf::letterhead(settings),
        footer: format!("Progress notes \u{00b7} exported {}", long_date(today)),
        blocks,
    }
}

fn range_words(data: &NotesExport) -> String {
    match (&data.from, &data.to) {
        (None, None) => "all sessions".into(),
        (Some(f), None) => format!("sessions from {}", long_date(parse_date(f))),
        (None, Some(t)) => format!("sessions up to {}", long_date(parse_date(t))),
        (Some(f), Some(t)) => format!(
            "sessions from {} to {}",
            long_date(parse_date(f)),
            long_date(parse_date(t))
        ),
    }
}

/// One client's notes as a readable Markdown file.
pub fn notes_markdown(client: &ExportClient, data: &NotesExport, today: NaiveDate) -> String {
    let mut md = String::with_capacity(client.notes.len() * 2048);
    md.push_str(&format!("# Progress notes: {}\n\n", client.legal_name));
    if !client.date_of_birth.is_empty() {
        md.push_str(&format!(
            "Date of birth: {}  \n",
            long_date(parse_date(&client.date_of_birth))
        ));
    }
    md.push_str(&format!(
        "Exported {} ({}).  \nThis file is not encrypted: keep it somewhere safe.\n",
        long_date(today),
        range_words(data)
    ));
    if data.includes_psychotherapy_notes {
        md.push_str("\n**This export includes psychotherapy notes at the therapist's explicit choice. They are not part of the client's record.**\n");
    }
    for n in &client.notes {
        md.push_str(&format!(
            "\n---\n\n## {} · {}, {}\n\n*{}*\n",
            n.session_label,
            long_date(parse_date(&n.date)),
            n.time,
            signature_line(n)
        ));
        if let Some(p) = &n.integrity_message {
            md.push_str(&format!("\n> **{p}**\n"));
        }
        if !n.dosing_record.is_empty() {
            md.push_str("\n### From the dosing record\n\n");
            for l in &n.dosing_record {
                md.push_str(&format!("- {l}\n"));
            }
        }
        for s in &n.sections {
            if s.text.trim().is_empty() {
                continue;
            }
            md.push_str(&format!("\n### {}\n\n{}\n", s.title, s.text.trim_end()));
        }
        for a in &n.addenda {
            md.push_str(&format!(
                "\n### Addendum {}\n\n*Signed {} by {} · SHA-256 `{}`{}*\n\n{}\n",
                a.seq,
                a.signed_local,
                a.signed_by,
                a.sha256,
                if a.intact {
                    ""
                } else {
                    " · INTEGRITY CHECK FAILED"
                },
                a.text.trim_end()
            ));
        }
        if let Some(pn) = &n.psychotherapy_note
            && !pn.trim().is_empty()
        {
            md.push_str(&format!(
                "\n### Psychotherapy note (not part of the record)\n\n{}\n",
                pn.trim_end()
            ));
        }
    }
    md
}
