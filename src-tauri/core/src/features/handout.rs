//! The dosing-day handout: one client, one dosing session, printed from a template the
//! practice can edit (`assets/templates/handout/dosing-day.toml`, or the vault's copy
//! in `store::templates`).
//!
//! Placeholders are filled from the record (`print::handout`). A missing required value
//! (no ride home) stops printing with a sentence (`rules::dosing`), because a blank on
//! paper is worse than no handout.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::print::handout::{DEFAULT_TEMPLATE, HandoutData};
pub use crate::print::handout::{HandoutSection, HandoutTemplate};
use crate::print::pdf::Document;
use crate::rules::dosing as rules;
use crate::store;
use crate::vault::Vault;

impl Vault {
    /// The template in use: the practice's edited copy, else the default.
    pub fn handout_template(&self) -> Result<String> {
        let saved = store::templates::get(self.conn(), store::templates::HANDOUT)?;
        Ok(saved.unwrap_or_else(|| DEFAULT_TEMPLATE.to_owned()))
    }

    /// Saves the practice's edit after checking it; `None` goes back to the default.
    pub fn save_handout_template(&mut self, body: Option<&str>, now: DateTime<Utc>) -> Result<()> {
        if let Some(body) = body {
            HandoutTemplate::parse(body)?;
        }
        let revision = HandoutTemplate::default_revision()?;
        let tx = self.conn_mut().transaction()?;
        match body {
            Some(body) => {
                store::templates::save(&tx, store::templates::HANDOUT, body, revision, now)?
            }
            None => store::templates::delete(&tx, store::templates::HANDOUT)?,
        }
        store::audit::record(&tx, now, "handout_template_saved", "")?;
        tx.commit()?;
        Ok(())
    }

    /// The handout's PDF bytes for one dosing session.
    pub fn dosing_handout(&mut self, session_id: &str, now: DateTime<Utc>) -> Result<Vec<u8>> {
        let (doc, title) = self.dosing_handout_document(session_id, now)?;
        let pdf = crate::print::pdf::render(&doc, &title)?;
        store::audit::record(self.conn(), now, "dosing_handout_printed", session_id)?;
        Ok(pdf)
    }

    /// The handout as a document to lay out, and its title.
    pub fn dosing_handout_document(
        &self,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(Document, String)> {
        let record = self.dosing_record(session_id)?;
        let settings = self.settings()?;
        rules::check_handout_printable(&record, &settings.phone)?;
        let dosing = self.dosing_settings()?;
        let protocol = self.protocol_settings()?;
        let template = HandoutTemplate::parse(&self.handout_template()?)?;
        let course = store::sessions::of_course(self.conn(), &record.session.course_id)?;
        let integration = rules::next_integration(&course, &record.session);
        let prescription = store::prescriptions::latest(self.conn(), &record.session.course_id)?;
        let client = self.client(&record.client_id)?;
        Ok(crate::print::handout::document(&HandoutData {
            template: &template,
            record: &record,
            client: &client,
            practice: &settings,
            dosing: &dosing,
            prescription: prescription.as_ref(),
            protocol: &protocol,
            integration,
            today: self.today(now)?,
        }))
    }
}
