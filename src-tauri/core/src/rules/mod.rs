//! The KAP protocol as rules: the checks before a dosing, the integration window after
//! each dosing, the cadence warnings, the phase track and the one next step to show.
//!
//! Everything here is a pure function of the record, the practice's protocol settings
//! and `today`/`now`: no database, no clock. Every clinical number is a practice
//! setting with the seed's default; KAP Desk records and reminds, the prescriber decides.

pub mod audit;
pub mod backups;
pub mod cadence;
pub mod consent;
pub mod dashboard;
pub mod dosing;
pub mod facts;
#[cfg(test)]
mod fixtures;
pub mod gates;
pub mod integration;
pub mod measures;
pub mod next_step;
pub mod notes;
pub mod prescription;
pub mod templates;
pub mod track;
pub mod vitals_schedule;

pub use cadence::dosing_warnings;
pub use facts::{CourseFacts, SessionFact};
pub use gates::{gates, open_gates_for_dosing};
pub use integration::{STRONGLY_OVERDUE_DAYS, integration_checks};
pub use next_step::next_step;
pub use track::phase_and_track;
