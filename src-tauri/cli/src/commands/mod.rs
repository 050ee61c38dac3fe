//! The handlers, one file per top-level noun of `kapdesk` (the file is named after
//! the noun; `vault.rs` holds the verbs on the vault file itself: init, passwd,
//! info, backup, verify, restore); `measure.rs` holds `measures` too.
//!
//! A handler takes the parsed arguments from `crate::cli`, calls the core, and
//! prints. Handlers that work inside the vault are given it open; `main.rs` opens
//! and closes it. `audit` opens it itself, like `vault.rs`: checking against a backup
//! needs the passphrase too. Handlers depend on `crate::cli` and `crate::shared` only, never on
//! each other.

pub(crate) mod audit;
pub(crate) mod calendar;
pub(crate) mod clearance;
pub(crate) mod client;
pub(crate) mod consent;
pub(crate) mod dashboard;
pub(crate) mod demo;
pub(crate) mod dosing;
pub(crate) mod handout;
pub(crate) mod measure;
pub(crate) mod note;
pub(crate) mod notes;
pub(crate) mod prescription;
pub(crate) mod record_request;
pub(crate) mod recovery_sheet;
pub(crate) mod release;
pub(crate) mod safety_plan;
pub(crate) mod session;
pub(crate) mod settings;
pub(crate) mod templates;
pub(crate) mod timeline;
pub(crate) mod timezone;
pub(crate) mod vault;
