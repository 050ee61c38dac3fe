//! The practice's protocol settings and what the rules answer with: gates before a
//! dosing and the integration check after each one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Practice-wide protocol settings. Defaults come from the practice's own protocol
/// description (`kap-protocol-seed.txt`): 4-5 preparation sessions, integration 2-3
/// days after each dosing, 6 dosings recommended; at most 2 dosings a week is the
/// published ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolSettings {
    pub min_preparation_sessions: u32,
    pub integration_min_days: u32,
    pub integration_max_days: u32,
    pub recommended_dosings: u32,
    pub max_dosings_per_week: u32,
}

impl Default for ProtocolSettings {
    fn default() -> Self {
        ProtocolSettings {
            min_preparation_sessions: 4,
            integration_min_days: 2,
            integration_max_days: 3,
            recommended_dosings: 6,
            max_dosings_per_week: 2,
        }
    }
}

impl ProtocolSettings {
    pub fn validated(self) -> Result<Self> {
        let check = |field: &'static str, v: u32, lo: u32, hi: u32| {
            if v < lo || v > hi {
                Err(Error::invalid(
                    field,
                    format!("Choose a number from {lo} to {hi}."),
                ))
            } else {
                Ok(())
            }
        };
        check(
            "minPreparationSessions",
            self.min_preparation_sessions,
            0,
            20,
        )?;
        check("integrationMinDays", self.integration_min_days, 0, 14)?;
        check("integrationMaxDays", self.integration_max_days, 0, 21)?;
        check("recommendedDosings", self.recommended_dosings, 1, 24)?;
        check("maxDosingsPerWeek", self.max_dosings_per_week, 1, 7)?;
        if self.integration_max_days < self.integration_min_days {
            return Err(Error::invalid(
                "integrationMaxDays",
                "The integration window must end on or after the day it starts.",
            ));
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    PreparationSessions,
    Consent,
    MedicalClearance,
    /// Before the first dosing: the client's signed release of information to the
    /// partner medical team, valid on the day.
    ReleaseOfInformation,
    Prescription,
    RideHome,
    EmergencyContact,
    /// Before dosing N ≥ 2: the integration session after dosing N-1.
    IntegrationAfterPrevious,
    /// Before the first dosing, when the practice asks for it: baseline measures on file.
    BaselineMeasures,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Gate {
    pub kind: GateKind,
    pub open: bool,
    /// What the gate is, as the checklist shows it.
    pub title: String,
    /// Its state in a sentence ("3 of 4 preparation sessions completed").
    pub detail: String,
    /// What closes it; empty once closed.
    pub how_to_close: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IntegrationState {
    /// An integration session is completed or booked within the window.
    Booked,
    /// Booked, but outside the window.
    BookedLate,
    /// Not booked yet; the window is still open.
    NotBooked,
    /// Not booked and the window has passed.
    Overdue,
    /// Not booked, more than a week after the dosing.
    StronglyOverdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationCheck {
    pub dosing_session_id: String,
    /// 1-based number of the dosing in its course.
    pub dosing_number: u32,
    pub dosing_date: NaiveDate,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub state: IntegrationState,
    pub integration_session_id: Option<String>,
    pub days_since_dosing: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_settings_are_checked() {
        let bad = ProtocolSettings {
            integration_min_days: 3,
            integration_max_days: 2,
            ..Default::default()
        };
        assert_eq!(
            bad.validated().unwrap_err().field(),
            Some("integrationMaxDays")
        );
        assert!(ProtocolSettings::default().validated().is_ok());
    }
}
