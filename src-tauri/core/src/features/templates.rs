//! Following the shipped default templates (`rules::templates`): the consent template
//! (versions in `store::consent`) and the dosing-day handout (the practice's copy in
//! `store::templates`). Untouched templates move to a newer default when the vault is
//! opened; edited ones keep their text and are offered the newer default.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::model::consent::ConsentTemplate;
use crate::model::templates::{TemplateDocument, TemplateOffer};
use crate::print::handout::{DEFAULT_TEMPLATE, HandoutTemplate};
use crate::rules::templates::{DefaultFollow, follow_default};
use crate::store;
use crate::store::consent::TemplateOrigin;
use crate::vault::Vault;

impl Vault {
    /// On open: an untouched consent template becomes the newer shipped default, as a
    /// new version (checklists already started keep the text they were created with).
    /// The handout needs nothing: with no edited copy the default in use is always the
    /// shipped one.
    pub(crate) fn follow_default_templates(&mut self, now: DateTime<Utc>) -> Result<()> {
        let shipped = ConsentTemplate::default_revision()?;
        let tx = self.conn_mut().transaction()?;
        let (current, origin) = store::consent::latest_template_with_origin(&tx)?;
        let edited = origin.default_revision.is_none();
        if follow_default(edited, origin.based_on_revision, shipped) == DefaultFollow::Follow {
            let t = insert_shipped_consent(&tx, &current, now)?;
            store::audit::record(
                &tx,
                now,
                "consent_template_upgraded",
                &format!("{} v{} (default revision {shipped})", t.id, t.version),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// "A newer default template is available", for each edited template this version of
    /// KAP Desk ships a newer default of.
    pub fn template_offers(&self) -> Result<Vec<TemplateOffer>> {
        let mut out = Vec::new();
        let shipped = ConsentTemplate::default_revision()?;
        let (current, origin) = store::consent::latest_template_with_origin(self.conn())?;
        if follow_default(
            origin.default_revision.is_none(),
            origin.based_on_revision,
            shipped,
        ) == DefaultFollow::Offer
        {
            out.push(TemplateOffer {
                document: TemplateDocument::Consent,
                message: offer_message(TemplateDocument::Consent),
                revision: shipped,
                current: current.plain_text(),
                newer_default: ConsentTemplate::default_template()?.plain_text(),
            });
        }
        let shipped = HandoutTemplate::default_revision()?;
        if let Some((body, based_on)) =
            store::templates::get_with_revision(self.conn(), store::templates::HANDOUT)?
            && follow_default(true, based_on, shipped) == DefaultFollow::Offer
        {
            out.push(TemplateOffer {
                document: TemplateDocument::Handout,
                message: offer_message(TemplateDocument::Handout),
                revision: shipped,
                current: body,
                newer_default: DEFAULT_TEMPLATE.to_owned(),
            });
        }
        Ok(out)
    }

    /// Takes the newer default in place of the practice's edit: the consent as a new
    /// version, the handout by dropping the edited copy.
    pub fn adopt_default_template(
        &mut self,
        document: TemplateDocument,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        match document {
            TemplateDocument::Consent => {
                let current = store::consent::latest_template(&tx)?;
                insert_shipped_consent(&tx, &current, now)?;
            }
            TemplateDocument::Handout => {
                store::templates::delete(&tx, store::templates::HANDOUT)?;
            }
        }
        store::audit::record(&tx, now, "default_template_adopted", document.label())?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps the practice's edit after it has looked at the newer default: the offer is
    /// not shown again until an even newer default ships.
    pub fn keep_own_template(
        &mut self,
        document: TemplateDocument,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        match document {
            TemplateDocument::Consent => {
                let current = store::consent::latest_template(&tx)?;
                store::consent::keep_own_template(
                    &tx,
                    &current,
                    ConsentTemplate::default_revision()?,
                )?;
            }
            TemplateDocument::Handout => {
                store::templates::keep_own(
                    &tx,
                    store::templates::HANDOUT,
                    HandoutTemplate::default_revision()?,
                )?;
            }
        }
        store::audit::record(&tx, now, "own_template_kept", document.label())?;
        tx.commit()?;
        Ok(())
    }
}

/// Stores the shipped default consent as the version after `current`, marked as the
/// default of its revision.
fn insert_shipped_consent(
    conn: &rusqlite::Connection,
    current: &ConsentTemplate,
    now: DateTime<Utc>,
) -> Result<ConsentTemplate> {
    let mut t = ConsentTemplate::default_template()?;
    let origin = TemplateOrigin::shipped(t.version);
    t.id = current.id.clone();
    t.version = current.version + 1;
    store::consent::insert_template(conn, &t, origin, now)?;
    Ok(t)
}

fn offer_message(document: TemplateDocument) -> String {
    format!(
        "A newer default {} is available. Your practice edited its own, which stays in use until you compare the two and choose.",
        document.label()
    )
}
