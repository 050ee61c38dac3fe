//! The calendar file (RFC 5545 `.ics`) of scheduled sessions.
//!
//! Calendars sync to cloud services, so by default an event names the client only by
//! initials and the session kind; full names only when the therapist asks for them.

use chrono::Duration;
use icalendar::{Calendar, Component, Event, EventLike};

use crate::model::session::SessionView;

/// "Mary-Jane van der Berg" → "M.J.V.D.B."; "Zoë Ångström" → "Z.Å."
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect()
}

/// Calendar text without control characters: a stray tab, bell or escape typed into a
/// name or a location never reaches another program's parser (icalendar escapes
/// commas, semicolons and line breaks; it passes other controls through).
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One event per session, each given with its client's name: the name itself when
/// `full_names`, else its initials.
pub fn ics(sessions: &[(SessionView, String)], full_names: bool) -> String {
    let mut cal = Calendar::new();
    cal.name("KAP Desk sessions");
    for (s, name) in sessions {
        let who = if full_names {
            name.clone()
        } else {
            initials(name)
        };
        let mut event = Event::new();
        event
            .uid(&format!("{}@kapdesk", s.id))
            .summary(&plain(&format!("{} \u{2014} {who}", s.label)))
            .starts(s.starts_utc)
            .ends(s.starts_utc + Duration::minutes(i64::from(s.duration_min)));
        if !s.location.is_empty() {
            event.location(&plain(&s.location));
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::{ics, initials};
    use crate::model::notes::NoteState;
    use crate::model::session::{SessionKind, SessionStatus, SessionView};

    fn dosing(location: &str) -> SessionView {
        SessionView {
            id: "s-1".into(),
            course_id: "k-1".into(),
            kind: SessionKind::Dosing,
            status: SessionStatus::Scheduled,
            date: "2026-12-01".into(),
            time: "09:00".into(),
            time_zone: "America/New_York".into(),
            duration_min: 180,
            location: location.into(),
            gate_override: None,
            reopen_reason: None,
            label: "Dosing 1".into(),
            note: NoteState::None,
            can_write_note: false,
            can_reopen: false,
            starts_utc: Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
        }
    }

    #[test]
    fn an_event_names_the_client_by_initials_unless_asked() {
        let sessions = [(dosing("Room 2"), "Jordan Alvarez".to_owned())];
        let text = ics(&sessions, false);
        assert!(text.contains("SUMMARY:Dosing 1 \u{2014} J.A."), "{text}");
        assert!(!text.contains("Jordan"));
        assert!(text.contains("UID:s-1@kapdesk"));
        assert!(text.contains("DTSTART:20261201T140000Z"), "{text}");
        assert!(text.contains("DTEND:20261201T170000Z"), "{text}");
        assert!(text.contains("LOCATION:Room 2"));
        let text = ics(&[(dosing(""), "Jordan Alvarez".to_owned())], true);
        assert!(text.contains("SUMMARY:Dosing 1 \u{2014} Jordan Alvarez"));
        assert!(!text.contains("LOCATION"));
    }

    #[test]
    fn control_characters_never_reach_the_calendar_file() {
        let text = ics(
            &[(
                dosing("Room\u{7} 2\r\nBEGIN:VEVENT\u{1b}[31m"),
                "Jordan\tAlvarez\u{0}".to_owned(),
            )],
            true,
        );
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\r' && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.contains("SUMMARY:Dosing 1 \u{2014} Jordan Alvarez\r\n"),
            "{text}"
        );
        // The injected line is text inside LOCATION, never an event of its own.
        let events = text.lines().filter(|l| l.starts_with("BEGIN:VEVENT"));
        assert_eq!(events.count(), 1, "{text}");
        assert!(text.contains("LOCATION:Room 2 BEGIN:VEVENT"), "{text}");
    }

    #[test]
    fn initials_handle_hyphens_particles_and_accents() {
        assert_eq!(initials("Mary-Jane van der Berg"), "M.J.V.D.B.");
        assert_eq!(initials("Zoë Ångström"), "Z.Å.");
        assert_eq!(initials("  o'Neil  "), "O.");
    }
}
