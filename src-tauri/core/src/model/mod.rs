//! The model: plain data types that cross IPC, the CLI and every layer of the core,
//! with the validation that belongs to the value itself. No SQL and no rules here.

pub mod audit;
pub mod client;
pub mod consent;
pub mod demo;
pub mod dosing;
pub mod export;
pub mod measures;
pub mod notes;
pub mod protocol;
pub mod safeguards;
pub mod safety_plan;
pub mod session;
pub mod settings;
pub mod templates;
pub mod timeline;
