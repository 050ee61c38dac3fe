//! The demo practice: how big a practice `kapdesk demo` (or the app's "Explore a demo
//! practice") writes, and what it wrote. The generator is `features::demo`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// How big a practice to invent, over how many years, and from which seed: the same
/// options always give the same practice (names, sessions, notes and scores).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoOptions {
    pub clients: u32,
    pub years: u32,
    #[ts(type = "number")]
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            clients: 300,
            years: 10,
            seed: 1,
        }
    }
}

/// The most clients and years a demo practice holds: a busy solo practice over a
/// career is far below this.
pub const MAX_DEMO_CLIENTS: u32 = 5000;
pub const MAX_DEMO_YEARS: u32 = 30;

impl DemoOptions {
    pub fn validated(self) -> Result<Self> {
        if !(1..=MAX_DEMO_CLIENTS).contains(&self.clients) {
            return Err(Error::invalid(
                "clients",
                format!("A demo practice has from 1 to {MAX_DEMO_CLIENTS} clients."),
            ));
        }
        if !(1..=MAX_DEMO_YEARS).contains(&self.years) {
            return Err(Error::invalid(
                "years",
                format!("A demo practice covers from 1 to {MAX_DEMO_YEARS} years."),
            ));
        }
        Ok(self)
    }
}

/// How many clients stand in one phase when the demo practice is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhaseCount {
    /// inquiry, preparation, dosing, integration, follow_up, completed, discharged or
    /// archived.
    pub phase: String,
    pub clients: u32,
}

/// What the demo practice holds, counted as it was written, and how long it took.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoSummary {
    pub path: String,
    pub clients: u32,
    pub archived_clients: u32,
    pub courses: u32,
    /// Every session booked, whatever became of it.
    pub sessions: u32,
    pub completed_sessions: u32,
    pub cancelled_sessions: u32,
    pub no_shows: u32,
    pub moved_sessions: u32,
    /// Completed dosing sessions, each with its record (checks, medication, vitals,
    /// discharge).
    pub dosings: u32,
    pub adverse_events: u32,
    /// Dosings booked while a check was still open, with the written reason kept.
    pub overrides: u32,
    pub consents_signed: u32,
    pub consents_withdrawn: u32,
    pub clearances: u32,
    pub prescriptions: u32,
    pub signed_notes: u32,
    /// Notes left as drafts when the practice was written.
    pub draft_notes: u32,
    pub addenda: u32,
    pub psychotherapy_notes: u32,
    pub measures: u32,
    pub safety_flags: u32,
    pub safety_plans: u32,
    #[ts(type = "number")]
    pub audit_entries: u64,
    /// Where the clients stand at the end, every phase named even when empty.
    pub phases: Vec<PhaseCount>,
    #[ts(type = "number")]
    pub file_bytes: u64,
    /// Wall-clock time to write, check and close the vault.
    pub seconds: f64,
}
