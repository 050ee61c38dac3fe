//! Printed documents and files handed to people: the PDF layout engine and writing
//! private files. Depends on the model types only, never on the store.

pub mod anchor;
pub mod calendar;
pub mod consent_packet;
pub mod files;
pub mod fonts;
pub mod handout;
pub mod measures;
pub mod notes;
pub mod pdf;
pub mod progress_letter;
pub mod record_request;
pub mod recovery_sheet;
pub mod safety_plan;
