//! The dosing-day handout: one client, one dosing session, printed from a template the
//! practice can edit (`assets/templates/handout/dosing-day.toml`, or the vault's copy).
//!
//! Placeholders are filled from the record. A missing required value (no ride home)
//! stops printing with a sentence, because a blank on paper is worse than no handout.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::dates::long_date;
use crate::error::{Error, Result};
use crate::model::session::{SessionKind, SessionStatus};
use crate::print::pdf::{Block, Document};
use crate::vault::Vault;

const DEFAULT_TEMPLATE: &str = include_str!("../../../../assets/templates/handout/dosing-day.toml");
const TEMPLATE_NAME: &str = "dosing-day-handout";

/// Every placeholder a template may use. Anything else is a typo, refused on save.
const PLACEHOLDERS: [&str; 15] = [
    "name",
    "date",
    "time",
    "place",
    "length",
    "fasting",
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
    pub title: String,
    pub introduction: String,
    pub sections: Vec<HandoutSection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoutSection {
    pub heading: String,
    pub text: String,
}

impl HandoutTemplate {
    /// Parses and checks a template: readable TOML, known placeholders only.
    pub fn parse(body: &str) -> Result<Self> {
        let t: HandoutTemplate = toml::from_str(body).map_err(|e| {
            Error::invalid(
                "template",
                format!("The handout template could not be read: {}", e.message()),
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

fn placeholders_in(text: &str) -> impl Iterator<Item = &str> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.trim()))
}

/// Fills `{{name}}` placeholders. A list line whose values are empty is dropped (an
/// optional medical-team phone); a paragraph line with an empty value keeps the rest.
fn fill(text: &str, values: &BTreeMap<&str, String>) -> String {
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

impl Vault {
    /// The template in use: the practice's edited copy, else the default.
    pub fn handout_template(&self) -> Result<String> {
        let saved: Option<String> = self
            .conn()
            .query_row(
                "SELECT body FROM document_templates WHERE name = ?1",
                [TEMPLATE_NAME],
                |r| r.get(0),
            )
            .optional()?;
        Ok(saved.unwrap_or_else(|| DEFAULT_TEMPLATE.to_owned()))
    }

    /// Saves the practice's edit after checking it; `None` goes back to the default.
    pub fn save_handout_template(&mut self, body: Option<&str>, now: DateTime<Utc>) -> Result<()> {
        match body {
            Some(body) => {
                HandoutTemplate::parse(body)?;
                self.conn().execute(
                    "INSERT INTO document_templates (name, body, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                    params![TEMPLATE_NAME, body, now.to_rfc3339()],
                )?;
            }
            None => {
                self.conn().execute(
                    "DELETE FROM document_templates WHERE name = ?1",
                    [TEMPLATE_NAME],
                )?;
            }
        }
        self.audit(now, "handout_template_saved", "")
    }

    /// The handout's PDF bytes for one dosing session.
    pub fn dosing_handout(&mut self, session_id: &str, now: DateTime<Utc>) -> Result<Vec<u8>> {
        let (doc, title) = self.dosing_handout_document(session_id, now)?;
        let pdf = crate::print::pdf::render(&doc, &title)?;
        self.audit(now, "dosing_handout_printed", session_id)?;
        Ok(pdf)
    }

    /// The handout as a document to lay out, and its title.
    pub fn dosing_handout_document(
        &self,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(Document, String)> {
        let record = self.dosing_record(session_id)?;
        let session = &record.session;
        if matches!(
            session.status,
            SessionStatus::Cancelled | SessionStatus::NoShow
        ) {
            return Err(Error::invalid(
                "session",
                format!(
                    "{} is {}; there is no dosing day to print a handout for.",
                    session.label,
                    if session.status == SessionStatus::Cancelled {
                        "cancelled"
                    } else {
                        "marked missed"
                    }
                ),
            ));
        }
        let settings = self.settings()?;
        let dosing = self.dosing_settings()?;
        let protocol = self.protocol_settings()?;
        let template = HandoutTemplate::parse(&self.handout_template()?)?;

        let mut missing = Vec::new();
        if record.ride_name.is_empty() || record.ride_phone.is_empty() {
            missing.push(
                "the ride-home person's name and phone (on the client's record or this dosing day)",
            );
        }
        if settings.phone.is_empty() {
            missing.push("the practice's phone number (in Settings)");
        }
        if !missing.is_empty() {
            return Err(Error::invalid(
                "handout",
                format!(
                    "The handout cannot be printed yet: add {} first. It tells the client how they get home and who to call.",
                    missing.join(" and ")
                ),
            ));
        }

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
        let integration = {
            let next: Option<(String, String)> = self
                .conn()
                .query_row(
                    "SELECT substr(starts_local, 1, 10), substr(starts_local, 12, 5)
                     FROM sessions
                     WHERE course_id = ?1 AND kind = ?2 AND status = 'scheduled'
                       AND starts_utc > (SELECT starts_utc FROM sessions WHERE id = ?3)
                       AND NOT EXISTS (
                           SELECT 1 FROM sessions d
                           WHERE d.course_id = ?1 AND d.kind = ?4 AND d.status IN ('scheduled', 'completed')
                             AND d.starts_utc > (SELECT starts_utc FROM sessions WHERE id = ?3)
                             AND d.starts_utc < sessions.starts_utc)
                     ORDER BY starts_utc LIMIT 1",
                    params![
                        session.course_id,
                        SessionKind::Integration.as_str(),
                        session_id,
                        SessionKind::Dosing.as_str()
                    ],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match next {
                Some((d, t)) => {
                    let d = NaiveDate::parse_from_str(&d, "%Y-%m-%d").unwrap_or_default();
                    format!(
                        "Your integration session is on {} at {t}. We will talk about what came up for you and what you want to take from it.",
                        long_date(d)
                    )
                }
                None => format!(
                    "We will book your integration session for {} to {} days after your dosing day (around {}). We will talk about what came up for you and what you want to take from it.",
                    protocol.integration_min_days,
                    protocol.integration_max_days,
                    long_date(date + Duration::days(i64::from(protocol.integration_min_days)))
                ),
            }
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
            ("name", record.client_name.clone()),
            ("date", long_date(date)),
            ("time", session.time.clone()),
            ("place", place.clone()),
            ("length", length.clone()),
            ("fasting", dosing.fasting_sentence()),
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

        let mut blocks = vec![
            Block::Title(fill(&template.title, &values)),
            Block::Fields(vec![
                ("For".into(), record.client_name.clone()),
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
            letterhead: crate::print::pdf::letterhead(&settings),
            // The name is on page one; a long one would crowd the footer.
            footer: format!(
                "Dosing-day handout \u{00b7} printed {}",
                long_date(self.today(now)?)
            ),
            blocks,
        };
        Ok((doc, fill(&template.title, &values)))
    }
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
    fn list_lines_without_a_value_are_left_out() {
        let values = BTreeMap::from([("medical_team", "Watershed".to_owned())]);
        let text = "- Team: {{medical_team}}.\n- Phone: {{medical_team_phone}}.\nPlain {{medical_team_phone}} line.";
        assert_eq!(fill(text, &values), "- Team: Watershed.\nPlain  line.");
    }
}
