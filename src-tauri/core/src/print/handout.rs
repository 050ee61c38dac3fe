//! The dosing-day handout as a document: the practice's template (TOML, the default in
//! `assets/templates/handout/dosing-day.toml`), its `{{placeholders}}`, and filling them
//! from one dosing day's record and the practice's settings.
//!
//! Whether the handout may print at all (a ride home, the practice's phone) is
//! `rules::dosing::check_handout_printable`; this file only lays it out.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::long_date;
use crate::error::{Error, Result};
use crate::model::client::Client;
use crate::model::dosing::{DosingRecord, DosingSettings};
use crate::model::protocol::ProtocolSettings;
use crate::model::session::{Prescription, SessionView};
use crate::model::settings::PracticeSettings;
use crate::print::pdf::{Block, Document, letterhead};

/// The template shipped with the app, used until the practice saves its own.
pub const DEFAULT_TEMPLATE: &str =
    include_str!("../../../../assets/templates/handout/dosing-day.toml");

/// Every placeholder a template may use. Anything else is a typo, refused on save.
pub const PLACEHOLDERS: [&str; 16] = [
    "name",
    "date",
    "time",
    "place",
    "length",
    "fasting",
    "medication_instructions",
    "intentions",
    "ride_name",
    "ride_phone",
    "integration",
    "therapist",
    "therapist_phone",
    "medical_team",
    "medical_team_phone",
    "crisis_lines",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoutTemplate {
    /// The revision of the shipped default this text is (or was copied from); 1 when a
    /// template does not say.
    #[serde(default = "first_revision")]
    pub revision: u32,
    pub title: String,
    pub introduction: String,
    pub sections: Vec<HandoutSection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoutSection {
    pub heading: String,
    pub text: String,
}

fn first_revision() -> u32 {
    1
}

impl HandoutTemplate {
    /// The revision of the default shipped with this build.
    pub fn default_revision() -> Result<u32> {
        Ok(Self::parse(DEFAULT_TEMPLATE)?.revision)
    }

    /// Parses and checks a template: readable TOML, known placeholders only.
    pub fn parse(body: &str) -> Result<Self> {
        let t: HandoutTemplate = toml::from_str(body).map_err(|e| {
            Error::invalid(
                "template",
                format!(
                    "The handout template could not be read ({}). Check the quotes and brackets near there, or go back to the default template.",
                    e.message().trim_end_matches('.')
                ),
            )
        })?;
        let texts = std::iter::once(t.title.as_str())
            .chain(std::iter::once(t.introduction.as_str()))
            .chain(
                t.sections
                    .iter()
                    .flat_map(|s| [s.heading.as_str(), s.text.as_str()]),
            );
        for text in texts {
            for name in placeholders_in(text) {
                if !PLACEHOLDERS.contains(&name) {
                    return Err(Error::invalid(
                        "template",
                        format!(
                            "The handout template uses {{{{{name}}}}}, which KAP Desk does not know. Known placeholders: {}.",
                            PLACEHOLDERS.join(", ")
                        ),
                    ));
                }
            }
        }
        if t.sections.is_empty() {
            return Err(Error::invalid(
                "template",
                "The handout template has no sections.",
            ));
        }
        Ok(t)
    }
}

/// The names of the `{{placeholders}}` in `text`, in order.
pub fn placeholders_in(text: &str) -> impl Iterator<Item = &str> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.trim()))
}

/// Fills `{{name}}` placeholders. A list line whose values are empty is dropped (an
/// optional medical-team phone); a paragraph line with an empty value keeps the rest.
pub fn fill(text: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = Vec::new();
    for line in text.lines() {
        let names: Vec<&str> = placeholders_in(line).collect();
        if line.trim_start().starts_with("- ")
            && names
                .iter()
                .any(|n| values.get(n).is_none_or(|v| v.trim().is_empty()))
        {
            continue;
        }
        let mut filled = line.to_owned();
        for n in names {
            let value = values.get(n).map(String::as_str).unwrap_or("");
            filled = filled.replace(&format!("{{{{{n}}}}}"), value);
        }
        out.push(filled);
    }
    out.join("\n").trim().to_owned()
}

/// What one dosing day's handout is made of.
pub struct HandoutData<'a> {
    pub template: &'a HandoutTemplate,
    pub record: &'a DosingRecord,
    /// Who the handout is for: addressed by the name they use, identified on the page by
    /// legal name and date of birth.
    pub client: &'a Client,
    pub practice: &'a PracticeSettings,
    pub dosing: &'a DosingSettings,
    /// The course's newest prescription: its medication instructions go on the page.
    pub prescription: Option<&'a Prescription>,
    pub protocol: &'a ProtocolSettings,
    /// The integration session booked after this dosing, if any
    /// (`rules::dosing::next_integration`).
    pub integration: Option<&'a SessionView>,
    /// The practice's date, for the footer.
    pub today: NaiveDate,
}

/// Said when the prescriber recorded no instructions about the client's medicines. Never
/// a list of drugs to avoid: for a client on a daily benzodiazepine or opioid that
/// would contradict the prescriber.
pub const NO_MEDICATION_INSTRUCTIONS: &str =
    "Do not stop or change any medicine unless your prescriber has told you to.";

/// The prescriber's instructions as list lines ("- Hold ..."), or the default sentence.
pub fn medication_instructions(p: Option<&Prescription>) -> String {
    let lines: Vec<&str> = p
        .map(|p| {
            p.medication_instructions
                .lines()
                .map(|l| l.trim().trim_start_matches("- ").trim())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default();
    match (p, lines.is_empty()) {
        (Some(p), false) => {
            let who = if p.prescriber.is_empty() {
                "your prescriber".to_owned()
            } else {
                format!("your prescriber, {},", p.prescriber)
            };
            format!(
                "What {who} asked you to do with your medicines:\n- {}",
                lines.join("\n- ")
            )
        }
        _ => format!("- {NO_MEDICATION_INSTRUCTIONS}"),
    }
}

/// The handout as a document to lay out, and its title.
pub fn document(d: &HandoutData<'_>) -> (Document, String) {
    let (record, settings) = (d.record, d.practice);
    let session = &record.session;
    let date = NaiveDate::parse_from_str(&session.date, "%Y-%m-%d").unwrap_or_default();
    let place = if !session.location.is_empty() {
        session.location.clone()
    } else if !settings.address.is_empty() {
        settings.address.lines().collect::<Vec<_>>().join(", ")
    } else {
        "our office".into()
    };
    let hours = f64::from(session.duration_min) / 60.0;
    let length = if session.duration_min % 60 == 0 {
        format!("{} hour{}", hours, if hours == 1.0 { "" } else { "s" })
    } else {
        format!("{:.1} hours", hours)
    };
    let integration = match d.integration {
        Some(next) => {
            let on = NaiveDate::parse_from_str(&next.date, "%Y-%m-%d").unwrap_or_default();
            format!(
                "Your integration session is on {} at {}. We will talk about what came up for you and what you want to take from it.",
                long_date(on),
                next.time
            )
        }
        None => format!(
            "We will book your integration session for {} to {} days after your dosing day (around {}). We will talk about what came up for you and what you want to take from it.",
            d.protocol.integration_min_days,
            d.protocol.integration_max_days,
            long_date(date + Duration::days(i64::from(d.protocol.integration_min_days)))
        ),
    };
    let therapist = if settings.credentials.is_empty() {
        settings.therapist_name.clone()
    } else {
        format!("{}, {}", settings.therapist_name, settings.credentials)
    };
    let intentions = if record.plan.intentions.is_empty() {
        "We will put your intention into words together at the start of the session.".into()
    } else {
        record.plan.intentions.clone()
    };
    let crisis_lines = settings
        .crisis_contacts
        .iter()
        .map(|c| format!("- {}: {}.", c.label, c.phone))
        .collect::<Vec<_>>()
        .join("\n");
    let values: BTreeMap<&str, String> = BTreeMap::from([
        ("name", d.client.addressed_name().to_owned()),
        ("date", long_date(date)),
        ("time", session.time.clone()),
        ("place", place.clone()),
        ("length", length.clone()),
        ("fasting", d.dosing.fasting_sentence()),
        (
            "medication_instructions",
            medication_instructions(d.prescription),
        ),
        ("intentions", intentions),
        ("ride_name", record.ride_name.clone()),
        ("ride_phone", record.ride_phone.clone()),
        ("integration", integration),
        (
            "therapist",
            if therapist.is_empty() {
                "your therapist".into()
            } else {
                therapist
            },
        ),
        ("therapist_phone", settings.phone.clone()),
        ("medical_team", settings.medical_team_name.clone()),
        ("medical_team_phone", settings.medical_team_phone.clone()),
        ("crisis_lines", crisis_lines),
    ]);

    let template = d.template;
    let mut blocks = vec![
        Block::Title(fill(&template.title, &values)),
        Block::Fields(vec![
            ("For".into(), d.client.identified()),
            (
                "When".into(),
                format!("{}, {}", long_date(date), session.time),
            ),
            ("Where".into(), place),
            ("How long".into(), format!("about {length}")),
        ]),
        Block::Space(6.0),
        Block::Paragraph(fill(&template.introduction, &values)),
    ];
    for section in &template.sections {
        let text = fill(&section.text, &values);
        if text.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(fill(&section.heading, &values)));
        blocks.push(Block::Paragraph(text));
    }

    let doc = Document {
        paper: settings.paper_size,
        letterhead: letterhead(settings),
        // The name is on page one; a long one would crowd the footer.
        footer: format!("Dosing-day handout \u{00b7} printed {}", long_date(d.today)),
        blocks,
    };
    (doc, fill(&template.title, &values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_template_is_valid_and_uses_only_known_placeholders() {
        let t = HandoutTemplate::parse(DEFAULT_TEMPLATE).unwrap();
        assert!(t.sections.len() >= 7);
        let e = HandoutTemplate::parse(
            "title = \"x\"\nintroduction = \"{{nmae}}\"\n[[sections]]\nheading = \"h\"\ntext = \"t\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("{{nmae}}"), "{e}");
    }

    #[test]
    fn medication_instructions_come_from_the_prescriber_or_say_to_change_nothing() {
        assert_eq!(
            medication_instructions(None),
            "- Do not stop or change any medicine unless your prescriber has told you to."
        );
        let mut p = Prescription {
            prescriber: "Dr. Lee".into(),
            ..Default::default()
        };
        assert_eq!(
            medication_instructions(Some(&p)),
            medication_instructions(None),
            "a prescription without instructions"
        );
        p.medication_instructions =
            "Skip your evening clonazepam the night before.\n\n- Take your sertraline as usual."
                .into();
        assert_eq!(
            medication_instructions(Some(&p)),
            "What your prescriber, Dr. Lee, asked you to do with your medicines:\n- Skip your evening clonazepam the night before.\n- Take your sertraline as usual."
        );
    }

    #[test]
    fn list_lines_without_a_value_are_left_out() {
        let values = BTreeMap::from([("medical_team", "Watershed".to_owned())]);
        let text = "- Team: {{medical_team}}.\n- Phone: {{medical_team_phone}}.\nPlain {{medical_team_phone}} line.";
        assert_eq!(fill(text, &values), "- Team: Watershed.\nPlain  line.");
    }
}
