//! The printed templates a practice can edit, and the offer of a newer shipped default.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TemplateDocument {
    /// The informed-consent packet.
    Consent,
    /// The dosing-day handout.
    Handout,
}

impl TemplateDocument {
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "consent" => Ok(TemplateDocument::Consent),
            "handout" => Ok(TemplateDocument::Handout),
            other => Err(Error::invalid(
                "document",
                format!("\u{201c}{other}\u{201d} is not a template; choose consent or handout."),
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TemplateDocument::Consent => "informed-consent template",
            TemplateDocument::Handout => "dosing-day handout template",
        }
    }
}

/// "A newer default template is available": the practice edited this template, and this
/// version of KAP Desk ships a newer default. Both texts are given in full to compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateOffer {
    pub document: TemplateDocument,
    /// "A newer default informed-consent template is available."
    pub message: String,
    /// The revision of the newer default.
    pub revision: u32,
    /// The practice's template in use, as plain text.
    pub current: String,
    /// The newer default, as plain text.
    pub newer_default: String,
}
