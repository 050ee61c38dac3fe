//! Calendar export (RFC 5545 `.ics`) of scheduled sessions.
//!
//! Calendars sync to cloud services, so by default an event names the client only by
//! initials and the session kind; full names only when the therapist asks for them.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use rusqlite::params;

use crate::error::Result;
use crate::model::export::CalendarExport;
use crate::store::sessions::{COLUMNS as SESSION_COLUMNS, from_row as session_from_row};
use crate::vault::Vault;

/// "Mary-Jane van der Berg" → "M.J.V.D.B."; "Zoë Ångström" → "Z.Å."
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect()
}

impl Vault {
    /// Every scheduled session from today on, for active (not archived) clients.
    pub fn calendar(&self, full_names: bool, now: DateTime<Utc>) -> Result<CalendarExport> {
        let since = now - Duration::hours(24);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS}, c.legal_name FROM sessions s
             JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
             WHERE s.status = 'scheduled' AND s.starts_utc >= ?1 AND c.archived_at IS NULL
             ORDER BY s.starts_utc"
        ))?;
        let rows = stmt
            .query_map(params![since.to_rfc3339()], |r| {
                Ok((session_from_row(r)?, r.get::<_, String>(12)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut cal = Calendar::new();
        cal.name("KAP Desk sessions");
        for (s, name) in &rows {
            let who = if full_names {
                name.clone()
            } else {
                initials(name)
            };
            let mut event = Event::new();
            event
                .uid(&format!("{}@kapdesk", s.id))
                .summary(&format!("{} \u{2014} {who}", s.label))
                .starts(s.starts_utc)
                .ends(s.starts_utc + Duration::minutes(i64::from(s.duration_min)));
            if !s.location.is_empty() {
                event.location(&s.location);
            }
            cal.push(event.done());
        }
        Ok(CalendarExport {
            ics: cal.done().to_string(),
            events: rows.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_handle_hyphens_particles_and_accents() {
        assert_eq!(initials("Mary-Jane van der Berg"), "M.J.V.D.B.");
        assert_eq!(initials("Zoë Ångström"), "Z.Å.");
        assert_eq!(initials("  o'Neil  "), "O.");
    }
}
