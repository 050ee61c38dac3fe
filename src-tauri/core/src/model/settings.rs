//! Practice settings: the letterhead, contacts and defaults printed on every page.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaperSize {
    #[default]
    Letter,
    A4,
}

impl PaperSize {
    pub fn as_str(self) -> &'static str {
        match self {
            PaperSize::Letter => "letter",
            PaperSize::A4 => "a4",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CrisisContact {
    pub label: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeSettings {
    pub therapist_name: String,
    pub credentials: String,
    pub practice_name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub medical_team_name: String,
    pub medical_team_phone: String,
    pub crisis_contacts: Vec<CrisisContact>,
    pub paper_size: PaperSize,
    /// The format a new session note starts in.
    #[serde(default)]
    pub note_format: crate::model::notes::NoteFormat,
    /// Whether the app opens a PDF right after saving it. Opening puts the file in the
    /// desktop's recent-files list, so a practice may prefer to open it by hand.
    #[serde(default = "opens_after_saving")]
    pub open_after_saving: bool,
}

fn opens_after_saving() -> bool {
    true
}

impl Default for PracticeSettings {
    fn default() -> Self {
        PracticeSettings {
            therapist_name: String::new(),
            credentials: String::new(),
            practice_name: String::new(),
            address: String::new(),
            phone: String::new(),
            email: String::new(),
            medical_team_name: String::new(),
            medical_team_phone: String::new(),
            crisis_contacts: Vec::new(),
            paper_size: PaperSize::default(),
            note_format: Default::default(),
            open_after_saving: opens_after_saving(),
        }
    }
}

const MAX_CRISIS_CONTACTS: usize = 8;

impl PracticeSettings {
    /// Trims every field, drops blank crisis-contact rows, and checks what would print
    /// wrongly or mislead a client in a crisis. Errors name the field.
    pub fn validated(mut self) -> Result<Self> {
        for (field, value, max) in [
            ("therapistName", &mut self.therapist_name, 120),
            ("credentials", &mut self.credentials, 120),
            ("practiceName", &mut self.practice_name, 120),
            ("address", &mut self.address, 400),
            ("phone", &mut self.phone, 40),
            ("email", &mut self.email, 254),
            ("medicalTeamName", &mut self.medical_team_name, 120),
            ("medicalTeamPhone", &mut self.medical_team_phone, 40),
        ] {
            validate::trimmed(field, value, max)?;
        }
        validate::phone("phone", &self.phone)?;
        validate::phone("medicalTeamPhone", &self.medical_team_phone)?;
        validate::email("email", &self.email)?;

        self.crisis_contacts = self
            .crisis_contacts
            .into_iter()
            .map(|c| CrisisContact {
                label: c.label.trim().to_owned(),
                phone: c.phone.trim().to_owned(),
            })
            .filter(|c| !(c.label.is_empty() && c.phone.is_empty()))
            .collect();
        if self.crisis_contacts.is_empty() {
            return Err(Error::invalid(
                "crisisContacts",
                "Keep at least one crisis contact: handouts tell clients who to call in an emergency.",
            ));
        }
        if self.crisis_contacts.len() > MAX_CRISIS_CONTACTS {
            return Err(Error::invalid(
                "crisisContacts",
                format!("At most {MAX_CRISIS_CONTACTS} crisis contacts fit on a handout."),
            ));
        }
        for c in &self.crisis_contacts {
            if c.label.is_empty() || c.phone.is_empty() {
                return Err(Error::invalid(
                    "crisisContacts",
                    "Each crisis contact needs both a name and a phone number.",
                ));
            }
            if c.label.chars().count() > 80 {
                return Err(Error::invalid(
                    "crisisContacts",
                    "A crisis contact's name is longer than 80 characters.",
                ));
            }
            validate::phone("crisisContacts", &c.phone)?;
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> PracticeSettings {
        PracticeSettings {
            therapist_name: "  Dr. Ana Núñez ".into(),
            crisis_contacts: vec![CrisisContact {
                label: "988 Suicide & Crisis Lifeline".into(),
                phone: "988".into(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn fields_are_trimmed_and_blank_contact_rows_dropped() {
        let mut s = base();
        s.crisis_contacts.push(CrisisContact {
            label: " ".into(),
            phone: "".into(),
        });
        let v = s.validated().unwrap();
        assert_eq!(v.therapist_name, "Dr. Ana Núñez");
        assert_eq!(v.crisis_contacts.len(), 1);
    }

    #[test]
    fn errors_name_the_field_that_is_wrong() {
        let mut s = base();
        s.email = "ana at clinic".into();
        let e = s.validated().unwrap_err();
        assert_eq!(e.field(), Some("email"));

        let mut s = base();
        s.medical_team_phone = "call me".into();
        assert_eq!(s.validated().unwrap_err().field(), Some("medicalTeamPhone"));

        let mut s = base();
        s.crisis_contacts.clear();
        let e = s.validated().unwrap_err();
        assert_eq!(e.field(), Some("crisisContacts"));
        assert!(e.to_string().contains("at least one crisis contact"));

        let mut s = base();
        s.crisis_contacts[0].phone.clear();
        assert!(
            s.validated()
                .unwrap_err()
                .to_string()
                .contains("both a name and a phone")
        );
    }

    #[test]
    fn ordinary_phone_formats_are_accepted() {
        for p in ["988", "911", "+1 (828) 555-0142", "828.555.0142 ext 3"] {
            assert!(validate::phone("phone", p).is_ok(), "{p}");
        }
    }
}
