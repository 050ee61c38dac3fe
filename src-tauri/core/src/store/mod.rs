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
pub mod guard;
pub mod measures;
pub mod notes;
pub mod prescriptions;
pub mod releases;
pub mod safety_plans;
pub mod sessions;
pub mod settings;
pub mod templates;

use std::collections::HashMap;

use rusqlite::types::FromSql;
use rusqlite::{Row, Statement};

/// A statement's column positions, found by name once. Reading every value by name
/// costs an FFI call and a string scan per column, which over the dashboard's hundreds of
/// rows was milliseconds; rows are still read by name, through this.
pub(crate) struct Columns(HashMap<String, usize>);

impl Columns {
    pub(crate) fn of(stmt: &Statement<'_>) -> Columns {
        Columns(
            (0..stmt.column_count())
                .filter_map(|i| stmt.column_name(i).ok().map(|n| (n.to_owned(), i)))
                .collect(),
        )
    }

    pub(crate) fn get<T: FromSql>(&self, r: &Row<'_>, name: &str) -> rusqlite::Result<T> {
        match self.0.get(name) {
            Some(&i) => r.get(i),
            None => Err(rusqlite::Error::InvalidColumnName(name.to_owned())),
        }
    }
}
