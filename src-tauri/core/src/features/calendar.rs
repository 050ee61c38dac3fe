//! Calendar export (RFC 5545 `.ics`) of scheduled sessions: the sessions from the store,
//! the file from `print::calendar` (initials only unless full names are asked for).

use chrono::{DateTime, Duration, Utc};

use crate::error::Result;
use crate::model::export::CalendarExport;
use crate::print;
use crate::store;
use crate::vault::Vault;

impl Vault {
    /// Every scheduled session from today on, for active (not archived) clients.
    pub fn calendar(&self, full_names: bool, now: DateTime<Utc>) -> Result<CalendarExport> {
        let since = now - Duration::hours(24);
        let sessions = store::exports::scheduled_since(self.conn(), since)?;
        Ok(CalendarExport {
            ics: print::calendar::ics(&sessions, full_names),
            events: sessions.len(),
        })
    }
}
