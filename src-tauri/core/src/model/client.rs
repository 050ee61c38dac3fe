//! Client records: who the client is, who to call, who drives them home.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::session::SessionView;
use crate::validate;

/// How every screen and list names a client: "Jordan Alvarez (Jo)", the legal name with
/// the name they go by when they gave a different one. One rule, sent to the UI.
pub fn display_name(legal: &str, preferred: &str) -> String {
    let preferred = preferred.trim();
    if preferred.is_empty() || preferred == legal.trim() {
        legal.to_owned()
    } else {
        format!("{legal} ({preferred})")
    }
}

/// How a page written to the client addresses them: the preferred name, else the legal one.
pub fn addressed_name<'a>(legal: &'a str, preferred: &'a str) -> &'a str {
    if preferred.trim().is_empty() {
        legal
    } else {
        preferred
    }
}

/// The client's signed permission for the therapist and the partner medical team to
/// share information: one of the checks before a first dosing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseOfInformation {
    /// Who may receive and share information: the partner medical team, by name.
    pub recipient: String,
    /// What may be shared, as the signed form says.
    pub may_share: String,
    /// `YYYY-MM-DD`, the day the client signed it.
    pub signed_on: String,
    /// `YYYY-MM-DD` when the release ends; empty when it runs until revoked.
    #[serde(default)]
    pub valid_until: String,
}

impl ReleaseOfInformation {
    /// Trimmed and checked: who and what given, signed not after `today`, ending no
    /// earlier than it was signed.
    pub fn validated(mut self, today: NaiveDate) -> Result<Self> {
        validate::trimmed("recipient", &mut self.recipient, 200)?;
        validate::trimmed("mayShare", &mut self.may_share, 1000)?;
        if self.recipient.is_empty() {
            return Err(Error::invalid(
                "recipient",
                "Enter who the release allows you to share information with (the partner medical team).",
            ));
        }
        if self.may_share.is_empty() {
            return Err(Error::invalid(
                "mayShare",
                "Enter what the client allows you to share, as the signed form says.",
            ));
        }
        (self.signed_on, self.valid_until) = validate::dated_span(
            "signedOn",
            &self.signed_on,
            &self.valid_until,
            today,
            "The signature date is in the future.",
            "The release cannot end before the day it was signed.",
        )?;
        Ok(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    #[default]
    Inquiry,
    Preparation,
    Dosing,
    Integration,
    Completed,
    Discharged,
}

impl ClientStatus {
    pub const ALL: [ClientStatus; 6] = [
        ClientStatus::Inquiry,
        ClientStatus::Preparation,
        ClientStatus::Dosing,
        ClientStatus::Integration,
        ClientStatus::Completed,
        ClientStatus::Discharged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::Inquiry => "inquiry",
            ClientStatus::Preparation => "preparation",
            ClientStatus::Dosing => "dosing",
            ClientStatus::Integration => "integration",
            ClientStatus::Completed => "completed",
            ClientStatus::Discharged => "discharged",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                Error::invalid(
                    "status",
                    format!("\u{201c}{s}\u{201d} is not a client status."),
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyContact {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RideHome {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Prescriber {
    pub name: String,
    pub organisation: String,
    pub phone: String,
}

/// The editable part of a client record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientDetails {
    pub legal_name: String,
    pub preferred_name: String,
    pub pronouns: String,
    /// `YYYY-MM-DD`, or empty when unknown. A string, so an impossible date reaches the
    /// validation and gets a sentence instead of a deserialisation error.
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub emergency_contact: EmergencyContact,
    pub ride_home: RideHome,
    pub prescriber: Prescriber,
    pub referral_source: String,
    pub presenting_concerns: String,
    pub status: ClientStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Client {
    pub id: String,
    /// How every screen names the client (`display_name`).
    pub display_name: String,
    pub details: ClientDetails,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl Client {
    /// "Morgan Ashby-Whitfield (Mo), born Saturday 12 April 1986": two identifiers, as
    /// clinics use on every clinical screen and printed page, with the name they go by.
    pub fn identified(&self) -> String {
        match NaiveDate::parse_from_str(&self.details.date_of_birth, "%Y-%m-%d") {
            Ok(d) => format!("{}, born {}", self.display_name, crate::dates::long_date(d)),
            Err(_) => format!("{}, date of birth not recorded", self.display_name),
        }
    }

    /// The name to use with the client on what they read: preferred name if given.
    pub fn addressed_name(&self) -> &str {
        addressed_name(&self.details.legal_name, &self.details.preferred_name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    Name,
    NextSession,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientQuery {
    pub search: String,
    pub status: Option<ClientStatus>,
    pub include_archived: bool,
    pub sort: ClientSort,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClientSummary {
    pub id: String,
    /// How every screen names the client (`display_name`).
    pub display_name: String,
    pub legal_name: String,
    pub preferred_name: String,
    pub status: ClientStatus,
    pub archived: bool,
    pub next_session: Option<SessionView>,
    pub last_session_date: Option<String>,
}

impl ClientDetails {
    /// Trims, then checks every field; errors name the field. `today` bounds the birth date.
    pub fn validated(mut self, today: NaiveDate) -> Result<Self> {
        for (field, value, max) in [
            ("legalName", &mut self.legal_name, 200),
            ("preferredName", &mut self.preferred_name, 100),
            ("pronouns", &mut self.pronouns, 40),
            ("dateOfBirth", &mut self.date_of_birth, 10),
            ("phone", &mut self.phone, 40),
            ("email", &mut self.email, 254),
            ("address", &mut self.address, 400),
            ("emergencyContact", &mut self.emergency_contact.name, 120),
            ("emergencyContact", &mut self.emergency_contact.relation, 60),
            ("emergencyContact", &mut self.emergency_contact.phone, 40),
            ("rideHome", &mut self.ride_home.name, 120),
            ("rideHome", &mut self.ride_home.phone, 40),
            ("prescriber", &mut self.prescriber.name, 120),
            ("prescriber", &mut self.prescriber.organisation, 120),
            ("prescriber", &mut self.prescriber.phone, 40),
            ("referralSource", &mut self.referral_source, 200),
            ("presentingConcerns", &mut self.presenting_concerns, 4000),
        ] {
            validate::trimmed(field, value, max)?;
        }
        if self.legal_name.is_empty() {
            return Err(Error::invalid(
                "legalName",
                "Enter the client's legal name.",
            ));
        }
        if !self.date_of_birth.is_empty() {
            let dob = validate::date("dateOfBirth", &self.date_of_birth)?;
            if dob > today {
                return Err(Error::invalid(
                    "dateOfBirth",
                    "The date of birth is in the future.",
                ));
            }
            if dob < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
                return Err(Error::invalid(
                    "dateOfBirth",
                    "The date of birth is before 1900; check the year.",
                ));
            }
        }
        validate::phone("phone", &self.phone)?;
        validate::email("email", &self.email)?;
        let e = &self.emergency_contact;
        if !(e.name.is_empty() && e.phone.is_empty() && e.relation.is_empty())
            && (e.name.is_empty() || e.phone.is_empty())
        {
            return Err(Error::invalid(
                "emergencyContact",
                "An emergency contact needs both a name and a phone number.",
            ));
        }
        validate::phone("emergencyContact", &e.phone)?;
        let r = &self.ride_home;
        if (r.name.is_empty()) != (r.phone.is_empty()) {
            return Err(Error::invalid(
                "rideHome",
                "The ride-home person needs both a name and a phone number.",
            ));
        }
        validate::phone("rideHome", &r.phone)?;
        validate::phone("prescriber", &self.prescriber.phone)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_named_by_legal_name_with_the_name_they_go_by() {
        assert_eq!(display_name("Jordan Alvarez", "Jo"), "Jordan Alvarez (Jo)");
        assert_eq!(display_name("Jordan Alvarez", ""), "Jordan Alvarez");
        assert_eq!(
            display_name("Jordan Alvarez", " Jordan Alvarez "),
            "Jordan Alvarez"
        );
        assert_eq!(addressed_name("Jordan Alvarez", "Jo"), "Jo");
        assert_eq!(addressed_name("Jordan Alvarez", "  "), "Jordan Alvarez");
    }
}
