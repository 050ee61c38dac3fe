//! Informed consent as data: the versioned template and a course's checklist.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::session::ConsentMethod;
use crate::validate;

const DEFAULT_TEMPLATE: &str =
    include_str!("../../../../assets/templates/consent/kap-informed-consent.toml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentItemTemplate {
    pub id: String,
    pub title: String,
    pub text: String,
    /// Whether the client initials this item.
    pub initials: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentSection {
    pub title: String,
    pub items: Vec<ConsentItemTemplate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentTemplate {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub introduction: String,
    /// What the client confirms by signing.
    pub closing: String,
    /// What the therapist confirms.
    pub attestation: String,
    pub sections: Vec<ConsentSection>,
}

impl ConsentTemplate {
    pub fn default_template() -> Result<Self> {
        toml::from_str(DEFAULT_TEMPLATE).map_err(|e| {
            Error::invalid(
                "template",
                format!("The default consent template is unreadable: {e}"),
            )
        })
    }

    pub fn items(&self) -> impl Iterator<Item = (&ConsentSection, &ConsentItemTemplate)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    pub fn validated(mut self) -> Result<Self> {
        validate::trimmed("title", &mut self.title, 200)?;
        if self.title.is_empty() {
            return Err(Error::invalid(
                "title",
                "The consent document needs a title.",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for section in &mut self.sections {
            validate::trimmed("sections", &mut section.title, 200)?;
            for item in &mut section.items {
                validate::trimmed("items", &mut item.title, 200)?;
                item.text = item.text.trim().to_owned();
                if item.id.trim().is_empty() || item.title.is_empty() || item.text.is_empty() {
                    return Err(Error::invalid(
                        "items",
                        "Every consent item needs an id, a title and its text.",
                    ));
                }
                if !seen.insert(item.id.clone()) {
                    return Err(Error::invalid(
                        "items",
                        format!(
                            "Two consent items share the id \u{201c}{}\u{201d}.",
                            item.id
                        ),
                    ));
                }
            }
        }
        if seen.is_empty() {
            return Err(Error::invalid(
                "items",
                "The consent document needs at least one item.",
            ));
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentItemStatus {
    pub id: String,
    pub section: String,
    pub title: String,
    pub text: String,
    pub initials_required: bool,
    pub discussed_on: Option<String>,
    pub session_id: Option<String>,
    pub initialled: bool,
    pub note: String,
    /// Discussed, and initialled where initials are required.
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentSignature {
    pub signed_on: String,
    pub method: ConsentMethod,
    pub attested_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentWithdrawal {
    pub withdrawn_on: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentStatus {
    pub checklist_id: String,
    pub template_id: String,
    pub template_version: u32,
    pub title: String,
    pub items: Vec<ConsentItemStatus>,
    pub done: u32,
    pub total: u32,
    pub complete: bool,
    pub signature: Option<ConsentSignature>,
    pub withdrawal: Option<ConsentWithdrawal>,
    /// Signed records never change.
    pub locked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentItemUpdate {
    pub item_id: String,
    /// `YYYY-MM-DD`, or None to mark it not yet discussed.
    pub discussed_on: Option<String>,
    pub session_id: Option<String>,
    pub initialled: bool,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignConsent {
    pub signed_on: String,
    pub method: ConsentMethod,
    /// The therapist's name, attesting that each item was discussed.
    pub attested_by: String,
}
