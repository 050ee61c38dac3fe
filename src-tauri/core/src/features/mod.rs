//! Features: what the app does, as methods on `Vault`. Each composes the store (the
//! only place with SQL) and the pure rules, and owns one area of the practice.

pub mod audit;
pub mod backups;
pub mod booking;
pub mod calendar;
pub mod clients;
pub mod consent;
pub mod dashboard;
pub mod demo;
pub mod dosing;
pub mod drafts;
pub mod handout;
pub mod measures;
pub mod notes;
pub mod record_export;
pub mod safety_plan;
pub mod settings;
pub mod templates;
pub mod timeline;
