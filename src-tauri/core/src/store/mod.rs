//! The store: every SQL statement of the core lives in this folder (the vault's own
//! open, backup and migration code aside), one file per table or aggregate.
//!
//! Functions take a `&Connection` (a `Transaction` derefs to one, so a feature can
//! run several writes and the audit entry in one transaction), read rows by column
//! name, and return model types. Nothing here decides a clinical rule.

pub mod audit;
pub mod clearances;
pub mod clients;
pub mod consent;
pub mod courses;
pub mod dosing;
pub mod drafts;
pub mod exports;
pub mod notes;
pub mod prescriptions;
pub mod sessions;
pub mod settings;
pub mod templates;
