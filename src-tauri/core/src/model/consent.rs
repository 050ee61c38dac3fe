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

/// Every placeholder a consent template may use, filled from the practice's dosing
/// settings (`DosingSettings::consent_values`). Anything else is a typo, refused on save.
pub const PLACEHOLDERS: [&str; 2] = ["cancellation_notice", "cancellation_fee"];

/// The names of the `{{placeholders}}` in `text`, in order.
fn placeholders_in(text: &str) -> impl Iterator<Item = &str> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.trim()))
}

/// Gives every new item (an empty id: added in the template editor) a stable id made
/// from its title, never one already in the document: "Massage chair" becomes
/// `massage-chair`, or `massage-chair-2` when that is taken. A checklist records each
/// item under its id, so existing ids are kept exactly.
fn assign_item_ids(sections: &mut [ConsentSection]) {
    let mut taken: std::collections::HashSet<String> = sections
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|i| i.id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    for item in sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
        if !item.id.trim().is_empty() {
            continue;
        }
        let base = slug(&item.title);
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(id.clone());
        item.id = id;
    }
}

/// Lower-case ASCII letters and digits joined by single hyphens, at most 48 characters;
/// "item" when the title has none (a title in another script).
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "item".to_owned()
    } else {
        out.to_owned()
    }
}

impl ConsentTemplate {
    /// The revision of the default shipped with this build (its `version`).
    pub fn default_revision() -> Result<u32> {
        Ok(Self::default_template()?.version)
    }

    /// The text a client is shown: every `{{placeholder}}` replaced by its value. A
    /// checklist keeps this filled copy, so what was signed never changes afterwards.
    pub fn filled(mut self, values: &[(&str, String)]) -> Self {
        let fill = |text: &mut String| {
            for (name, value) in values {
                *text = text.replace(&format!("{{{{{name}}}}}"), value);
            }
        };
        fill(&mut self.introduction);
        fill(&mut self.closing);
        for section in &mut self.sections {
            fill(&mut section.title);
            for item in &mut section.items {
                fill(&mut item.title);
                fill(&mut item.text);
            }
        }
        self
    }

    /// The whole template as plain text, section by section, for comparing two versions.
    pub fn plain_text(&self) -> String {
        let mut out = format!("{}\n\n{}\n", self.title, self.introduction.trim());
        let mut n = 0;
        for section in &self.sections {
            out.push_str(&format!("\n== {} ==\n", section.title));
            for item in &section.items {
                n += 1;
                out.push_str(&format!(
                    "\n{n}. {}{}\n{}\n",
                    item.title,
                    if item.initials { " [initials]" } else { "" },
                    item.text.trim()
                ));
            }
        }
        out.push_str(&format!(
            "\n== Signatures ==\n{}\n\n{}\n",
            self.closing.trim(),
            self.attestation.trim()
        ));
        out
    }

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
        assign_item_ids(&mut self.sections);
        let mut seen = std::collections::HashSet::new();
        for (s, section) in self.sections.iter_mut().enumerate() {
            validate::trimmed("sections", &mut section.title, 200)?;
            if section.title.is_empty() {
                return Err(Error::invalid(
                    "sections",
                    format!("Section {} needs a title.", s + 1),
                ));
            }
            if section.items.is_empty() {
                return Err(Error::invalid(
                    "sections",
                    format!(
                        "The section \u{201c}{}\u{201d} has no items: add one, or remove the section.",
                        section.title
                    ),
                ));
            }
            for item in &mut section.items {
                validate::trimmed("items", &mut item.title, 200)?;
                item.text = item.text.trim().to_owned();
                item.id = item.id.trim().to_owned();
                if item.title.is_empty() || item.text.is_empty() {
                    return Err(Error::invalid(
                        "items",
                        format!(
                            "Every consent item needs a title and its text; one in \u{201c}{}\u{201d} is missing {}.",
                            section.title,
                            if item.title.is_empty() {
                                "its title"
                            } else {
                                "its text"
                            }
                        ),
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
        let texts = [&self.introduction, &self.closing, &self.attestation]
            .into_iter()
            .chain(self.sections.iter().flat_map(|s| {
                std::iter::once(&s.title).chain(s.items.iter().flat_map(|i| [&i.title, &i.text]))
            }));
        for text in texts {
            if let Some(name) = placeholders_in(text).find(|n| !PLACEHOLDERS.contains(n)) {
                return Err(Error::invalid(
                    "items",
                    format!(
                        "The consent text uses {{{{{name}}}}}, which KAP Desk does not know. Known placeholders: {}.",
                        PLACEHOLDERS.join(", ")
                    ),
                ));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_template_is_valid_and_carries_every_item_the_review_asked_for() {
        let t = ConsentTemplate::default_template()
            .unwrap()
            .validated()
            .unwrap();
        let ids: Vec<&str> = t.items().map(|(_, i)| i.id.as_str()).collect();
        for id in [
            "sedation-and-breathing",
            "mood-after-sessions",
            "anti-nausea",
            "recording",
            "suggestibility-and-boundaries",
            "drug-test",
            "leaving-early",
            "release-of-information",
        ] {
            assert!(ids.contains(&id), "{id} is missing");
        }
        let initialled = |id: &str| t.items().any(|(_, i)| i.id == id && i.initials);
        // Every item that carries a risk, or a term the client accepts, is initialled.
        for id in [
            "treatment-length",
            "sedation-and-breathing",
            "mood-after-sessions",
            "suggestibility-and-boundaries",
            "drug-test",
            "leaving-early",
            "recording",
            "release-of-information",
        ] {
            assert!(initialled(id), "{id} is not initialled");
        }
        // The anti-nausea medicine is an option offered, not a risk taken.
        assert!(!initialled("anti-nausea"));
        assert!(
            t.sections
                .iter()
                .any(|s| s.title == "Questions people often ask" && s.items.len() >= 3)
        );
    }

    fn item(id: &str, title: &str) -> ConsentItemTemplate {
        ConsentItemTemplate {
            id: id.into(),
            title: title.into(),
            text: "Some words.".into(),
            initials: false,
        }
    }

    #[test]
    fn new_items_get_ids_from_their_titles_and_existing_ids_are_kept() {
        let mut t = ConsentTemplate::default_template().unwrap();
        t.sections[0]
            .items
            .insert(0, item("", "Risks of the chair"));
        t.sections[1].items.push(item("", "Risks of the chair"));
        t.sections[2].items.push(item(" ", "Ünïcode — and spaces!"));
        t.sections[2].items.push(item("", "Γεια σου"));
        t.sections[2].items.push(item("", "Risks"));
        let before: Vec<String> = ConsentTemplate::default_template()
            .unwrap()
            .items()
            .map(|(_, i)| i.id.clone())
            .collect();
        let t = t.validated().unwrap();
        let ids: Vec<&str> = t.items().map(|(_, i)| i.id.as_str()).collect();
        assert_eq!(ids[0], "risks-of-the-chair");
        assert!(ids.contains(&"risks-of-the-chair-2"));
        assert!(ids.contains(&"n-code-and-spaces"));
        assert!(ids.contains(&"item"));
        // "risks" is a shipped item's id: the new one takes the next free name.
        assert!(ids.contains(&"risks-2"));
        for id in before {
            assert_eq!(ids.iter().filter(|i| **i == id).count(), 1, "{id}");
        }
    }

    #[test]
    fn an_empty_section_or_an_item_without_text_is_refused_with_where_it_is() {
        let mut t = ConsentTemplate::default_template().unwrap();
        t.sections.push(ConsentSection {
            title: "Aftercare".into(),
            items: vec![],
        });
        let e = t.validated().unwrap_err().to_string();
        assert!(e.contains("\u{201c}Aftercare\u{201d} has no items"), "{e}");

        let mut t = ConsentTemplate::default_template().unwrap();
        t.sections[1].items[0].text = "  ".into();
        let e = t.validated().unwrap_err().to_string();
        assert!(e.contains("is missing its text"), "{e}");

        let mut t = ConsentTemplate::default_template().unwrap();
        t.sections[0].title = " ".into();
        let e = t.validated().unwrap_err().to_string();
        assert!(e.contains("Section 1 needs a title"), "{e}");
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_refused() {
        let t = ConsentTemplate::default_template().unwrap();
        assert!(t.plain_text().contains("{{cancellation_fee}}"));
        let filled = t.clone().filled(&[
            ("cancellation_notice", "48 hours".into()),
            ("cancellation_fee", "$150".into()),
        ]);
        let text = filled.plain_text();
        assert!(
            text.contains("at least 48 hours before it starts"),
            "{text}"
        );
        assert!(text.contains("you will be charged $150."), "{text}");
        assert!(!text.contains("{{"));

        let mut typo = t;
        typo.sections[0].items[0]
            .text
            .push_str(" {{cancelation_fee}}");
        let e = typo.validated().unwrap_err().to_string();
        assert!(e.contains("{{cancelation_fee}}"), "{e}");
    }
}
