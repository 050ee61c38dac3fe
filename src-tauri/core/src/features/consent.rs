//! Informed consent: versioned templates (data, in `assets/templates/consent/`), a
//! checklist per treatment course that keeps the exact text the client saw, signing
//! that locks the record, withdrawal as a dated event, and the printable packet.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use crate::dates::long_date;
use crate::error::{Error, Result};
use crate::model::consent::{
    ConsentItemStatus, ConsentItemUpdate, ConsentSignature, ConsentStatus, ConsentTemplate,
    ConsentWithdrawal, SignConsent,
};
use crate::model::session::ConsentMethod;
use crate::print::pdf::{Block, Document};
use crate::validate;
use crate::vault::Vault;

/// Seeds the default template the first time a vault is opened at this schema.
pub(crate) fn seed_default_template(conn: &rusqlite::Connection, now: DateTime<Utc>) -> Result<()> {
    let count: i64 = conn.query_row("SELECT count(*) FROM consent_templates", [], |r| r.get(0))?;
    if count == 0 {
        let t = ConsentTemplate::default_template()?;
        conn.execute(
            "INSERT INTO consent_templates (template_id, version, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![t.id, t.version, to_json(&t)?, now.to_rfc3339()],
        )?;
    }
    Ok(())
}

fn to_json(t: &ConsentTemplate) -> Result<String> {
    serde_json::to_string(t)
        .map_err(|e| Error::invalid("template", format!("The template could not be stored: {e}")))
}

fn from_json(s: &str) -> Result<ConsentTemplate> {
    serde_json::from_str(s).map_err(|_| Error::damaged("a stored consent template is unreadable"))
}

impl Vault {
    /// The newest version of the practice's consent template.
    pub fn consent_template(&self) -> Result<ConsentTemplate> {
        let body: String = self.conn().query_row(
            "SELECT body FROM consent_templates ORDER BY created_at DESC, version DESC LIMIT 1",
            [],
            |r| r.get(0),
        )?;
        from_json(&body)
    }

    /// Saves an edit as a new version. Checklists already started keep the text they
    /// were created with; new checklists use the new version.
    pub fn save_consent_template(
        &mut self,
        template: ConsentTemplate,
        now: DateTime<Utc>,
    ) -> Result<ConsentTemplate> {
        let mut t = template.validated()?;
        let current = self.consent_template()?;
        t.id = current.id.clone();
        t.version = current.version + 1;
        self.conn().execute(
            "INSERT INTO consent_templates (template_id, version, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![t.id, t.version, to_json(&t)?, now.to_rfc3339()],
        )?;
        self.audit(
            now,
            "consent_template_saved",
            &format!("{} v{}", t.id, t.version),
        )?;
        Ok(t)
    }

    fn current_course_id(&self, client_id: &str) -> Result<String> {
        Ok(self.current_course(client_id)?.id)
    }

    /// The consent checklist of the client's current course, started from the newest
    /// template if there is none yet.
    pub fn consent_checklist(
        &mut self,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<ConsentStatus> {
        let course = self.current_course_id(client_id)?;
        // One checklist per course, so its id follows from the course's.
        let checklist_id = format!("{course}-consent");
        let existing: Option<String> = self
            .conn()
            .query_row(
                "SELECT id FROM consent_checklists WHERE course_id = ?1 ORDER BY created_at DESC LIMIT 1",
                [&course],
                |r| r.get(0),
            )
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                let t = self.consent_template()?;
                self.conn().execute(
                    "INSERT INTO consent_checklists (id, course_id, template_id, template_version, snapshot, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![checklist_id, course, t.id, t.version, to_json(&t)?, now.to_rfc3339()],
                )?;
                checklist_id
            }
        };
        self.consent_status_by_id(&id)
    }

    /// The current course's consent, without starting one. None if not started.
    pub(crate) fn consent_status_for_course(
        &self,
        course_id: &str,
    ) -> Result<Option<ConsentStatus>> {
        let id: Option<String> = self
            .conn()
            .query_row(
                "SELECT id FROM consent_checklists WHERE course_id = ?1 ORDER BY created_at DESC LIMIT 1",
                [course_id],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.consent_status_by_id(&id)).transpose()
    }

    fn consent_status_by_id(&self, id: &str) -> Result<ConsentStatus> {
        type Row = (
            String,
            u32,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let (template_id, version, snapshot, signed_on, method, attested_by): Row = self
            .conn()
            .query_row(
            "SELECT template_id, template_version, snapshot, signed_on, signed_method, attested_by
             FROM consent_checklists WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        let template = from_json(&snapshot)?;
        let mut records = std::collections::HashMap::new();
        {
            let mut stmt = self.conn().prepare_cached(
                "SELECT item_id, discussed_on, session_id, initialled, note FROM consent_items WHERE checklist_id = ?1",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, String>(4)?,
                    ),
                ))
            })?;
            for row in rows {
                let (k, v) = row?;
                records.insert(k, v);
            }
        }
        let items: Vec<ConsentItemStatus> = template
            .items()
            .map(|(section, item)| {
                let (discussed_on, session_id, initialled, note) =
                    records.remove(&item.id).unwrap_or_default();
                let done = discussed_on.is_some() && (initialled || !item.initials);
                ConsentItemStatus {
                    id: item.id.clone(),
                    section: section.title.clone(),
                    title: item.title.clone(),
                    text: item.text.clone(),
                    initials_required: item.initials,
                    discussed_on,
                    session_id,
                    initialled,
                    note,
                    done,
                }
            })
            .collect();
        let done = items.iter().filter(|i| i.done).count() as u32;
        let total = items.len() as u32;
        let withdrawal = self
            .conn()
            .query_row(
                "SELECT withdrawn_on, note FROM consent_withdrawals WHERE checklist_id = ?1 ORDER BY withdrawn_on DESC LIMIT 1",
                [id],
                |r| {
                    Ok(ConsentWithdrawal {
                        withdrawn_on: r.get(0)?,
                        note: r.get(1)?,
                    })
                },
            )
            .optional()?;
        let signature = match (signed_on, method, attested_by) {
            (Some(signed_on), Some(method), Some(attested_by)) => Some(ConsentSignature {
                signed_on,
                method: if method == "screen" {
                    ConsentMethod::Screen
                } else {
                    ConsentMethod::Paper
                },
                attested_by,
            }),
            _ => None,
        };
        Ok(ConsentStatus {
            checklist_id: id.to_owned(),
            template_id,
            template_version: version,
            title: template.title,
            complete: done == total,
            locked: signature.is_some(),
            items,
            done,
            total,
            signature,
            withdrawal,
        })
    }

    /// Records that an item was discussed (and initialled). Refused once signed.
    pub fn update_consent_item(
        &mut self,
        client_id: &str,
        update: ConsentItemUpdate,
        now: DateTime<Utc>,
    ) -> Result<ConsentStatus> {
        let status = self.consent_checklist(client_id, now)?;
        if status.locked {
            return Err(Error::invalid(
                "consent",
                "This consent is signed and locked; it cannot be changed.",
            ));
        }
        if !status.items.iter().any(|i| i.id == update.item_id) {
            return Err(Error::NotFound {
                what: format!("The consent item \u{201c}{}\u{201d}", update.item_id),
            });
        }
        let discussed = match update
            .discussed_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(d) => {
                let d = validate::date("discussedOn", d)?;
                if d > self.today(now)? {
                    return Err(Error::invalid("discussedOn", "That date is in the future."));
                }
                Some(d.to_string())
            }
            None => None,
        };
        let mut note = update.note;
        validate::trimmed("note", &mut note, 2000)?;
        self.conn().execute(
            "INSERT INTO consent_items (checklist_id, item_id, discussed_on, session_id, initialled, note, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (checklist_id, item_id) DO UPDATE SET discussed_on = ?3, session_id = ?4,
                 initialled = ?5, note = ?6, updated_at = ?7",
            params![status.checklist_id, update.item_id, discussed, update.session_id, update.initialled && discussed.is_some(), note, now.to_rfc3339()],
        )?;
        self.consent_status_by_id(&status.checklist_id)
    }

    /// Signs the consent. Refused unless every item is discussed and initialled where
    /// required; afterwards the record is locked by the store itself.
    pub fn sign_consent(
        &mut self,
        client_id: &str,
        sign: SignConsent,
        now: DateTime<Utc>,
    ) -> Result<ConsentStatus> {
        let status = self.consent_checklist(client_id, now)?;
        if status.locked {
            return Err(Error::invalid("consent", "This consent is already signed."));
        }
        if !status.complete {
            let missing: Vec<&str> = status
                .items
                .iter()
                .filter(|i| !i.done)
                .map(|i| i.title.as_str())
                .collect();
            return Err(Error::invalid(
                "consent",
                format!(
                    "{} of {} items are not yet discussed and initialled: {}.",
                    missing.len(),
                    status.total,
                    missing.join("; ")
                ),
            ));
        }
        let on = validate::date("signedOn", &sign.signed_on)?;
        if on > self.today(now)? {
            return Err(Error::invalid(
                "signedOn",
                "The signature date is in the future.",
            ));
        }
        let mut attested_by = sign.attested_by;
        validate::trimmed("attestedBy", &mut attested_by, 120)?;
        if attested_by.is_empty() {
            return Err(Error::invalid(
                "attestedBy",
                "Enter the therapist's name for the attestation.",
            ));
        }
        let method = match sign.method {
            ConsentMethod::Paper => "paper",
            ConsentMethod::Screen => "screen",
        };
        self.conn().execute(
            "UPDATE consent_checklists SET signed_on = ?2, signed_method = ?3, attested_by = ?4, signed_at = ?5 WHERE id = ?1",
            params![status.checklist_id, on.to_string(), method, attested_by, now.to_rfc3339()],
        )?;
        self.audit(now, "consent_signed", &status.checklist_id)?;
        self.consent_status_by_id(&status.checklist_id)
    }

    /// Records that the client withdrew consent: a dated event beside the signed record.
    pub fn withdraw_consent(
        &mut self,
        client_id: &str,
        withdrawn_on: &str,
        note: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<ConsentStatus> {
        let course = self.current_course_id(client_id)?;
        let status = self
            .consent_status_for_course(&course)?
            .filter(|s| s.locked)
            .ok_or_else(|| {
                Error::invalid(
                    "consent",
                    "There is no signed consent to withdraw for this course.",
                )
            })?;
        let on = validate::date("withdrawnOn", withdrawn_on)?;
        self.conn().execute(
            "INSERT INTO consent_withdrawals (id, checklist_id, withdrawn_on, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, status.checklist_id, on.to_string(), note.trim(), now.to_rfc3339()],
        )?;
        self.audit(now, "consent_withdrawn", &status.checklist_id)?;
        self.consent_status_by_id(&status.checklist_id)
    }

    /// The consent packet as PDF. `blank`: the text to hand out before a session, with
    /// empty initials boxes; otherwise the record, with when each item was discussed.
    pub fn consent_packet(
        &mut self,
        client_id: &str,
        blank: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>> {
        let client = self.client(client_id)?;
        let settings = self.settings()?;
        let today = self.today(now)?;
        let (template, status) = if blank {
            (self.consent_template()?, None)
        } else {
            let s = self.consent_checklist(client_id, now)?;
            let body: String = self.conn().query_row(
                "SELECT snapshot FROM consent_checklists WHERE id = ?1",
                [&s.checklist_id],
                |r| r.get(0),
            )?;
            (from_json(&body)?, Some(s))
        };

        let mut blocks = vec![
            Block::Title(template.title.clone()),
            Block::Fields({
                let mut f = vec![("Client".to_owned(), client.details.legal_name.clone())];
                if !client.details.date_of_birth.is_empty()
                    && let Ok(d) =
                        NaiveDate::parse_from_str(&client.details.date_of_birth, "%Y-%m-%d")
                {
                    f.push(("Date of birth".into(), long_date(d)));
                }
                if !settings.therapist_name.is_empty() {
                    let who = if settings.credentials.is_empty() {
                        settings.therapist_name.clone()
                    } else {
                        format!("{}, {}", settings.therapist_name, settings.credentials)
                    };
                    f.push(("Therapist".into(), who));
                }
                f
            }),
            Block::Space(8.0),
            Block::Paragraph(template.introduction.clone()),
        ];
        if let Some(s) = &status {
            let state = match (&s.signature, &s.withdrawal) {
                (Some(sig), Some(w)) => format!(
                    "Record: signed on {} ({}); consent withdrawn on {}.",
                    long_date(parse_date(&sig.signed_on)),
                    method_words(sig.method),
                    long_date(parse_date(&w.withdrawn_on))
                ),
                (Some(sig), None) => format!(
                    "Record: signed on {} ({}), attested by {}.",
                    long_date(parse_date(&sig.signed_on)),
                    method_words(sig.method),
                    sig.attested_by
                ),
                _ => format!(
                    "Record: {} of {} items discussed; not yet signed.",
                    s.done, s.total
                ),
            };
            blocks.push(Block::Meta(state));
        }
        let mut n = 0;
        for section in &template.sections {
            blocks.push(Block::Heading(section.title.clone()));
            for item in &section.items {
                n += 1;
                let meta = status
                    .as_ref()
                    .and_then(|s| s.items.iter().find(|i| i.id == item.id))
                    .map(|i| match &i.discussed_on {
                        Some(d) => {
                            let mut m = format!("Discussed {}", long_date(parse_date(d)));
                            if i.initials_required {
                                m.push_str(if i.initialled {
                                    "; initialled."
                                } else {
                                    "; not yet initialled."
                                });
                            }
                            if !i.note.is_empty() {
                                m.push_str(&format!(" Note: {}", i.note));
                            }
                            m
                        }
                        None => "Not yet discussed.".into(),
                    });
                blocks.push(Block::Item {
                    title: format!("{n}. {}", item.title),
                    text: item.text.clone(),
                    initials: item.initials,
                    meta,
                });
            }
        }
        blocks.push(Block::Heading("Signatures".into()));
        blocks.push(Block::Signatures {
            statement: template.closing.clone(),
            lines: vec![
                format!("Client signature \u{2014} {}", client.details.legal_name),
                "Date".into(),
            ],
        });
        blocks.push(Block::Space(14.0));
        blocks.push(Block::Signatures {
            statement: template.attestation.clone(),
            lines: vec![
                format!(
                    "Therapist signature \u{2014} {}",
                    if settings.therapist_name.is_empty() {
                        "therapist"
                    } else {
                        &settings.therapist_name
                    }
                ),
                "Date".into(),
            ],
        });

        let doc = Document {
            paper: settings.paper_size,
            letterhead: crate::print::pdf::letterhead(&settings),
            footer: format!(
                "{} v{} \u{00b7} {} \u{00b7} printed {}",
                template.id,
                template.version,
                if blank { "blank" } else { "record" },
                long_date(today)
            ),
            blocks,
        };
        let pdf = crate::print::pdf::render(&doc, &template.title)?;
        self.audit(
            now,
            if blank {
                "consent_packet_printed_blank"
            } else {
                "consent_packet_printed"
            },
            client_id,
        )?;
        Ok(pdf)
    }
}

fn parse_date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn method_words(m: ConsentMethod) -> &'static str {
    match m {
        ConsentMethod::Paper => "on the printed packet",
        ConsentMethod::Screen => "on screen",
    }
}
