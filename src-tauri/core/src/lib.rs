//! KAP Desk core: the encrypted vault, the practice's records and the protocol rules.
//!
//! This crate has no GUI dependency on purpose: it builds and tests in seconds, backs
//! the `kapdesk` CLI, and the desktop shell is a thin layer of commands over it.
//! Functions that depend on the time take `now` as an argument, so rules are testable.

pub mod bindings;
pub mod calendar;
pub mod clients;
pub mod consent;
pub mod dosing;
pub mod error;
pub mod export;
pub mod handout;
pub mod migrations;
pub mod notes;
pub mod passphrase;
pub mod paths;
pub mod pdf;
pub mod protocol;
pub mod record_export;
pub mod settings;
pub mod timeline;
mod validate;
pub mod vault;

pub use clients::{Client, ClientDetails, ClientQuery, ClientSort, ClientStatus, ClientSummary};
pub use error::{CommandError, Error, ErrorCode, Result};
pub use passphrase::{
    Passphrase, PassphraseAssessment, PassphraseStrength, assess as assess_passphrase,
};
pub use protocol::{ProtocolSettings, SessionKind, SessionStatus};
pub use settings::{CrisisContact, PaperSize, PracticeSettings};
pub use timeline::{BookingOutcome, BookingRequest, Dashboard, Timeline};
pub use vault::{
    AppStatus, BackupOutcome, RestoreOutcome, TableCount, Vault, VaultInfo, VerifyReport,
};
