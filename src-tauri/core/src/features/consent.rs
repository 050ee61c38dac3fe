//! Informed consent: versioned templates (data, in `assets/templates/consent/`), a
//! checklist per treatment course that keeps the exact text the client saw, signing
//! that locks the record, withdrawal as a dated event, and the printable packet.
//! The rows are in `store::consent`, the rules in `rules::consent`, the packet's
//! layout in `print::consent_packet`.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::consent::{
    ConsentItemStatus, ConsentItemUpdate, ConsentSignature, ConsentStatus, ConsentTemplate,
    ConsentWithdrawal, SignConsent,
};
use crate::print::consent_packet::PacketData;
use crate::rules::consent as rules;
use crate::store;
use crate::store::consent::ItemRecord;
use crate::validate;
use crate::vault::Vault;

impl Vault {
    /// The newest version of the practice's consent template.
    pub fn consent_template(&self) -> Result<ConsentTemplate> {
        store::consent::latest_template(self.conn())
    }

    /// Saves an edit as a new version. Checklists already started keep the text they
    /// were created with; new checklists use the new version.
    pub fn save_consent_template(
        &mut self,
        template: ConsentTemplate,
        now: DateTime<Utc>,
    ) -> Result<ConsentTemplate> {
        let mut t = template.validated()?;
        let tx = self.conn_mut().transaction()?;
        let current = store::consent::latest_template(&tx)?;
        t.id = current.id.clone();
        t.version = current.version + 1;
        // Saved while this build's default was there to compare: not offered again.
        let origin = store::consent::TemplateOrigin {
            default_revision: None,
            based_on_revision: ConsentTemplate::default_revision()?,
        };
        store::consent::insert_template(&tx, &t, origin, now)?;
        store::audit::record(
            &tx,
            now,
            "consent_template_saved",
            &format!("{} v{}", t.id, t.version),
        )?;
        tx.commit()?;
        Ok(t)
    }

    /// The newest template with the practice's cancellation terms filled in: the text a
    /// client is shown and a checklist keeps.
    fn consent_template_filled(&self) -> Result<ConsentTemplate> {
        let values = store::dosing::settings(self.conn())?.consent_values();
        Ok(self.consent_template()?.filled(&values))
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
        let id = match store::consent::checklist_of_course(self.conn(), &course)? {
            Some(id) => id,
            None => {
                // One checklist per course, so its id follows from the course's.
                let id = format!("{course}-consent");
                let t = self.consent_template_filled()?;
                store::consent::insert_checklist(self.conn(), &id, &course, &t, now)?;
                id
            }
        };
        self.consent_status_by_id(&id)
    }

    /// The current course's consent, without starting one. None if not started.
    pub(crate) fn consent_status_for_course(
        &self,
        course_id: &str,
    ) -> Result<Option<ConsentStatus>> {
        store::consent::checklist_of_course(self.conn(), course_id)?
            .map(|id| self.consent_status_by_id(&id))
            .transpose()
    }

    /// Every consent of the client, oldest first (a withdrawn one and its successor).
    pub(crate) fn consent_history(&self, client_id: &str) -> Result<Vec<ConsentStatus>> {
        store::consent::checklist_ids_of_client(self.conn(), client_id)?
            .iter()
            .map(|id| self.consent_status_by_id(id))
            .collect()
    }

    fn consent_status_by_id(&self, id: &str) -> Result<ConsentStatus> {
        let conn = self.conn();
        let checklist = store::consent::checklist(conn, id)?;
        let mut records = store::consent::items(conn, id)?;
        let template = checklist.snapshot;
        let items: Vec<ConsentItemStatus> = template
            .items()
            .map(|(section, item)| {
                let r = records.remove(&item.id).unwrap_or_default();
                let done = rules::item_done(r.discussed_on.is_some(), r.initialled, item.initials);
                ConsentItemStatus {
                    id: item.id.clone(),
                    section: section.title.clone(),
                    title: item.title.clone(),
                    text: item.text.clone(),
                    initials_required: item.initials,
                    discussed_on: r.discussed_on,
                    session_id: r.session_id,
                    initialled: r.initialled,
                    note: r.note,
                    done,
                }
            })
            .collect();
        let done = items.iter().filter(|i| i.done).count() as u32;
        let total = items.len() as u32;
        let withdrawal = store::consent::withdrawal(conn, id)?;
        let signature = checklist.signature;
        Ok(ConsentStatus {
            checklist_id: id.to_owned(),
            template_id: checklist.template_id,
            template_version: checklist.template_version,
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
        rules::check_changeable(&status)?;
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
        let record = ItemRecord {
            initialled: update.initialled && discussed.is_some(),
            discussed_on: discussed,
            session_id: update.session_id,
            note,
        };
        store::consent::save_item(
            self.conn(),
            &status.checklist_id,
            &update.item_id,
            &record,
            now,
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
        rules::check_signable(&status)?;
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
        let signature = ConsentSignature {
            signed_on: on.to_string(),
            method: sign.method,
            attested_by,
        };
        let tx = self.conn_mut().transaction()?;
        store::consent::sign(&tx, &status.checklist_id, &signature, now)?;
        store::audit::record(&tx, now, "consent_signed", &status.checklist_id)?;
        tx.commit()?;
        self.consent_status_by_id(&status.checklist_id)
    }

    /// After a withdrawal, starts a new consent checklist for the course on the current
    /// template; the withdrawn one stays as it was, and dosing waits for the new signature.
    pub fn start_new_consent(
        &mut self,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<ConsentStatus> {
        let course = self.current_course_id(client_id)?;
        rules::check_renewable(self.consent_status_for_course(&course)?.as_ref())?;
        let n = store::consent::count_of_course(self.conn(), &course)?;
        let id = format!("{course}-consent-{}", n + 1);
        let t = self.consent_template_filled()?;
        let tx = self.conn_mut().transaction()?;
        store::consent::insert_checklist(&tx, &id, &course, &t, now)?;
        store::audit::record(&tx, now, "consent_renewal_started", &id)?;
        tx.commit()?;
        self.consent_status_by_id(&id)
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
        let status = rules::check_withdrawable(self.consent_status_for_course(&course)?)?;
        let on = validate::date("withdrawnOn", withdrawn_on)?;
        let withdrawal = ConsentWithdrawal {
            withdrawn_on: on.to_string(),
            note: note.trim().to_owned(),
        };
        let tx = self.conn_mut().transaction()?;
        store::consent::insert_withdrawal(&tx, id, &status.checklist_id, &withdrawal, now)?;
        store::audit::record(&tx, now, "consent_withdrawn", &status.checklist_id)?;
        tx.commit()?;
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
            (self.consent_template_filled()?, None)
        } else {
            let s = self.consent_checklist(client_id, now)?;
            let snapshot = store::consent::checklist(self.conn(), &s.checklist_id)?.snapshot;
            (snapshot, Some(s))
        };
        let doc = crate::print::consent_packet::document(&PacketData {
            client: &client,
            practice: &settings,
            template: &template,
            status: status.as_ref(),
            today,
        });
        let pdf = crate::print::pdf::render(&doc, &template.title)?;
        store::audit::record(
            self.conn(),
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
