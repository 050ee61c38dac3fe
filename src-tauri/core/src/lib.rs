//! KAP Desk core: the encrypted vault, the practice's records and the protocol rules.
//!
//! This crate has no GUI dependency on purpose: it builds and tests in seconds, backs
//! the `kapdesk` CLI, and the desktop shell is a thin layer of commands over it.
//! Functions that depend on the time take `now` as an argument, so rules are testable.
//!
//! Layers (see `docs/architecture.md`); dependencies run one way:
//! - `model`: plain data types (no SQL, no rules);
//! - `rules`: pure clinical and protocol rules over model facts (no database, no clock);
//! - `store`: every SQL statement, rows read by column name, the audit helper;
//! - `features`: `impl Vault` blocks composing store and rules, one area each;
//! - `print`: PDF layout and documents, exports; model types only;
//! - `vault`: the encrypted connection: create, open, migrate, back up, restore.

pub mod bindings;
pub mod dates;
pub mod error;
pub mod features;
pub mod hardening;
pub mod model;
pub mod passphrase;
pub mod paths;
pub mod print;
pub mod rules;
pub(crate) mod store;
pub mod text;
mod validate;
pub mod vault;

pub use error::{CommandError, Error, ErrorCode, Result};
pub use model::client::{
    Client, ClientDetails, ClientQuery, ClientSort, ClientStatus, ClientSummary,
};
pub use model::protocol::ProtocolSettings;
pub use model::session::{BookingOutcome, BookingRequest, SessionKind, SessionStatus};
pub use model::settings::{CrisisContact, PaperSize, PracticeSettings};
pub use model::timeline::{Dashboard, Timeline};
pub use passphrase::{
    Passphrase, PassphraseAssessment, PassphraseStrength, assess as assess_passphrase,
};
pub use vault::{
    AppStatus, BackupOutcome, RestoreOutcome, TableCount, Vault, VaultInfo, VerifyReport,
};
