//! Handing the record over: notes exported as PDF (one file per client), Markdown (one
//! readable file per client) or JSON (one versioned file another program can import),
//! and the record-request PDF with everything a client is entitled to receive.
//!
//! Psychotherapy notes are left out unless the therapist explicitly asks. Every note
//! is re-checked against its hash on the way out (`rules::notes::check`), and a
//! failure is printed, not hidden. The documents themselves are `print::notes` and
//! `print::record_request`; the queries `store::exports`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::dates::stamp_in;
use crate::error::{Error, Result};
use crate::model::export::{
    EXPORT_SCHEMA, EXPORT_VERSION, ExportClient, ExportDosing, ExportFormat, ExportMeasure,
    ExportNote, ExportOutcome, ExportProgress, ExportRequest, NotesExport, SavedFile,
};
use crate::model::measures::instrument;
use crate::model::notes::NoteState;
use crate::model::session::SessionKind;
use crate::print;
use crate::print::files::{free_path, initials, write_private_file};
use crate::print::notes::{notes_document, notes_markdown};
use crate::print::record_request::RecordRequest;
use crate::rules::notes::check;
use crate::store;
use crate::store::exports::{Scope, ScopedNote};
use crate::validate;
use crate::vault::Vault;

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

        let scope = Scope {
            client_id: req.client_id.as_deref(),
            from: from.as_deref(),
            to: to.as_deref(),
        };
        let mut addenda = store::exports::addenda_in_scope(self.conn(), scope)?;
        let rows =
            store::exports::notes_in_scope(self.conn(), scope, req.include_psychotherapy_notes)?;
        let tz = self.practice_time_zone()?;
        let mut clients: Vec<ExportClient> = Vec::new();
        for ScopedNote {
            session,
            client,
            note: stored,
            psychotherapy_note: pn,
        } in rows
        {
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
                Some(last) if last.id == client.id => last.notes.push(note),
                _ => clients.push(ExportClient {
                    id: client.id,
                    legal_name: client.legal_name,
                    preferred_name: client.preferred_name,
                    date_of_birth: client.date_of_birth,
                    notes: vec![note],
                    measures: Vec::new(),
                }),
            }
        }
        self.add_measures(&mut clients, scope)?;
        Ok(NotesExport {
            schema: EXPORT_SCHEMA.into(),
            version: EXPORT_VERSION,
            exported_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            includes_psychotherapy_notes: req.include_psychotherapy_notes,
            from,
            to,
            clients,
            audit_trail: Some(self.audit_anchor()?),
        })
    }

    /// The measures in scope, each under its client; a client with measures and no
    /// notes in scope is added, and the list stays sorted by legal name.
    fn add_measures(&self, clients: &mut Vec<ExportClient>, scope: Scope<'_>) -> Result<()> {
        let all = match scope.client_id {
            Some(id) => store::measures::of_client(self.conn(), id)?,
            None => store::measures::all(self.conn())?,
        };
        for a in all {
            if scope.from.is_some_and(|f| a.date.as_str() < f)
                || scope.to.is_some_and(|t| a.date.as_str() > t)
            {
                continue;
            }
            let inst = instrument(&a.instrument)?;
            let m = ExportMeasure {
                instrument_name: inst.name.clone(),
                max_total: inst.max_total(),
                id: a.id,
                instrument: a.instrument,
                date: a.date,
                session_id: a.session_id,
                filled_by: a.filled_by.as_str().to_owned(),
                answers: a.answers,
                total: a.total,
                band: a.band,
                safety_flag: a.safety_flag,
                safety_response: a.safety_response,
            };
            match clients.iter_mut().find(|c| c.id == a.client_id) {
                Some(c) => c.measures.push(m),
                None => {
                    let c = self.client(&a.client_id)?;
                    clients.push(ExportClient {
                        id: c.id,
                        legal_name: c.details.legal_name,
                        preferred_name: c.details.preferred_name,
                        date_of_birth: c.details.date_of_birth,
                        notes: Vec::new(),
                        measures: vec![m],
                    });
                }
            }
        }
        // The notes query's order (legal name, NOCASE, then id).
        clients.sort_by(|a, b| {
            a.legal_name
                .to_ascii_lowercase()
                .cmp(&b.legal_name.to_ascii_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(())
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
                            format!("notes-{}-{stamp}", initials(&c.legal_name))
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
                        let name = format!("notes-{}-{stamp}", initials(&client.legal_name));
                        match req.format {
                            ExportFormat::Pdf => {
                                let doc = notes_document(client, &data, &settings, today);
                                let pdf = print::pdf::render_with_keywords(
                                    &doc,
                                    &format!("Progress notes: {}", client.legal_name),
                                    &data
                                        .audit_trail
                                        .as_ref()
                                        .map(|a| a.line())
                                        .unwrap_or_default(),
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
        let consents = self.consent_history(client_id)?;
        let sessions = store::sessions::of_client(self.conn(), client_id)?;
        let dosing = sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Dosing)
            .map(|s| Ok((s.clone(), self.dosing_record(&s.id)?.summary_lines())))
            .collect::<Result<Vec<_>>>()?;
        let audit_trail = self.audit_anchor()?;
        let mut safety_plans = self.safety_plan_versions(&client.id)?;
        safety_plans.sort_by_key(|p| p.version);
        let safety_plan_wording = self.safety_plan_wording()?;
        let doc = print::record_request::document(&RecordRequest {
            client: &client,
            settings: &settings,
            today,
            sessions: &sessions,
            consents: &consents,
            dosing: &dosing,
            notes: notes.clients.first().filter(|c| !c.notes.is_empty()),
            measures: notes
                .clients
                .first()
                .map(|c| c.measures.as_slice())
                .unwrap_or_default(),
            safety_plans: &safety_plans,
            safety_plan_wording: &safety_plan_wording,
            audit_trail: &audit_trail,
        });
        let pdf = print::pdf::render_with_keywords(&doc, "Client record", &audit_trail.line())?;
        self.audit(now, "record_request_exported", client_id)?;
        Ok(pdf)
    }
}
