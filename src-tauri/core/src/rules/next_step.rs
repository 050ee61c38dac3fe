//! The one next step the timeline shows, with a suggested booking when there is one.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::dates::long_date;
use crate::model::client::ClientStatus;
use crate::model::protocol::{Gate, IntegrationCheck, IntegrationState, ProtocolSettings};
use crate::model::session::SuggestedBooking;
use crate::model::session::{SessionKind, SessionStatus, SessionView};
use crate::model::timeline::NextStep;
use crate::rules::facts::CourseFacts;

pub fn next_step(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    gates: &[Gate],
    integration: &[IntegrationCheck],
    sessions: &[SessionView],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> NextStep {
    let suggest = |kind, date: NaiveDate| {
        Some(SuggestedBooking {
            kind,
            date: date.to_string(),
            time: "10:00".into(),
        })
    };
    let step = |title: String, detail: String, suggestion| NextStep {
        title,
        detail,
        suggestion,
    };
    let upcoming = |kind: SessionKind| {
        sessions
            .iter()
            .find(|s| s.kind == kind && s.status == SessionStatus::Scheduled && s.starts_utc >= now)
    };

    if let Some(c) = integration.iter().find(|c| {
        matches!(
            c.state,
            IntegrationState::Overdue | IntegrationState::StronglyOverdue
        )
    }) {
        return step(
            format!(
                "Book the integration session for dosing {}",
                c.dosing_number
            ),
            format!(
                "It was due by {}; {} days have passed since the dosing.",
                long_date(c.window_end),
                c.days_since_dosing
            ),
            suggest(SessionKind::Integration, today),
        );
    }
    if let Some(c) = integration
        .iter()
        .find(|c| c.state == IntegrationState::NotBooked)
    {
        return step(
            format!(
                "Book the integration session for dosing {}",
                c.dosing_number
            ),
            format!(
                "Within the window: {} to {}.",
                long_date(c.window_start),
                long_date(c.window_end)
            ),
            suggest(SessionKind::Integration, c.window_start.max(today)),
        );
    }
    let completed_dosings = facts
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Dosing && s.status == SessionStatus::Completed)
        .count() as u32;
    // A dosing that has begun (or was due) and is still open comes before anything new.
    if let Some(d) = sessions.iter().find(|s| {
        s.kind == SessionKind::Dosing && s.status == SessionStatus::Scheduled && s.starts_utc < now
    }) {
        return step(
            format!(
                "{} on {} at {} is still open",
                d.label,
                long_date(d.local_date()),
                d.time
            ),
            "Complete its dosing record and mark it completed, or mark it cancelled or missed."
                .into(),
            None,
        );
    }
    if let Some(d) = upcoming(SessionKind::Dosing) {
        return step(
            format!("{} on {} at {}", d.label, long_date(d.local_date()), d.time),
            if gates.iter().any(|g| g.open) {
                format!(
                    "Still needed before dosing: {}.",
                    crate::rules::gates::still_needed(
                        &gates.iter().filter(|g| g.open).cloned().collect::<Vec<_>>()
                    )
                )
            } else {
                "Print the dosing-day handout and confirm the ride home.".into()
            },
            None,
        );
    }
    // A finished course suggests no new dosing: what is still missing before one no
    // longer applies. A later course starts from the timeline when the client returns.
    let status = facts.client_status;
    if matches!(status, ClientStatus::Completed | ClientStatus::Discharged) {
        return step(
            if status == ClientStatus::Completed {
                "Treatment completed".into()
            } else {
                "Discharged".into()
            },
            format!(
                "{completed_dosings} dosing {} completed in this course. Nothing more is planned; follow-up sessions can still be booked, and a new course can be started if the client returns.",
                if completed_dosings == 1 {
                    "session"
                } else {
                    "sessions"
                }
            ),
            None,
        );
    }
    if completed_dosings == 0 {
        let prep_done = facts.completed_preparation() as u32;
        if prep_done < settings.min_preparation_sessions {
            return match upcoming(SessionKind::Preparation) {
                Some(p) => step(
                    format!("{} on {} at {}", p.label, long_date(p.local_date()), p.time),
                    format!(
                        "{prep_done} of {} preparation sessions completed.",
                        settings.min_preparation_sessions
                    ),
                    None,
                ),
                None => step(
                    format!("Book preparation session {}", prep_done + 1),
                    format!(
                        "{prep_done} of {} preparation sessions completed.",
                        settings.min_preparation_sessions
                    ),
                    suggest(SessionKind::Preparation, today),
                ),
            };
        }
        let open: Vec<&Gate> = gates.iter().filter(|g| g.open).collect();
        if !open.is_empty() {
            return step(
                "Still needed before the first dosing".into(),
                open.iter()
                    .map(|g| g.title.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                None,
            );
        }
        return step(
            "Ready for the first dosing".into(),
            "Everything needed is in place. Book the first dosing session (about 3 hours).".into(),
            suggest(SessionKind::Dosing, today + Duration::days(1)),
        );
    }
    let open: Vec<Gate> = gates.iter().filter(|g| g.open).cloned().collect();
    if completed_dosings < settings.recommended_dosings && !open.is_empty() {
        return step(
            format!("Still needed before dosing {}", completed_dosings + 1),
            open.iter()
                .map(|g| format!("{}: {}", g.title, crate::dates::lowercase_first(&g.detail)))
                .collect::<Vec<_>>()
                .join("; "),
            None,
        );
    }
    if completed_dosings < settings.recommended_dosings {
        return step(
            format!("Book dosing {}", completed_dosings + 1),
            format!(
                "{completed_dosings} of {} dosing sessions completed; at most {} a week.",
                settings.recommended_dosings, settings.max_dosings_per_week
            ),
            suggest(SessionKind::Dosing, today + Duration::days(7)),
        );
    }
    step(
        "Plan follow-up".into(),
        format!(
            "The recommended {} dosing sessions are complete.",
            settings.recommended_dosings
        ),
        suggest(SessionKind::FollowUp, today + Duration::days(30)),
    )
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::rules::fixtures::*;

    #[test]
    fn a_dosing_that_began_and_is_still_open_is_the_next_step_not_booking_another() {
        use SessionKind::Dosing;
        use SessionStatus::{Completed, Scheduled};
        let facts = ready();
        let settings = ProtocolSettings::default();
        let sessions = [
            view("d1", Dosing, Completed, d(2026, 11, 4), "Dosing 1"),
            view("d2", Dosing, Scheduled, d(2026, 12, 4), "Dosing 2"),
        ];
        // 18:00 on the day: the 13:00 dosing began and nobody has closed it.
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 18, 0, 0).unwrap();
        let s = next_step(&facts, &settings, &[], &[], &sessions, d(2026, 12, 4), now);
        assert_eq!(
            s.title,
            "Dosing 2 on Friday 4 December 2026 at 13:00 is still open"
        );
        assert!(s.suggestion.is_none());
        // That morning it is simply the next dosing.
        let morning = Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).unwrap();
        let s = next_step(
            &facts,
            &settings,
            &[],
            &[],
            &sessions,
            d(2026, 12, 4),
            morning,
        );
        assert_eq!(s.title, "Dosing 2 on Friday 4 December 2026 at 13:00");
    }

    #[test]
    fn a_completed_course_suggests_no_new_dosing_even_with_a_check_missing() {
        use SessionKind::Dosing;
        use SessionStatus::Completed;
        let mut facts = ready();
        facts
            .sessions
            .push(session("d1", Dosing, Completed, d(2026, 11, 4)));
        facts
            .sessions
            .push(session("d2", Dosing, Completed, d(2026, 11, 11)));
        let settings = ProtocolSettings::default();
        let sessions = [
            view("d1", Dosing, Completed, d(2026, 11, 4), "Dosing 1"),
            view("d2", Dosing, Completed, d(2026, 11, 11), "Dosing 2"),
        ];
        let lapsed = Gate {
            kind: crate::model::protocol::GateKind::MedicalClearance,
            open: true,
            title: "Medical clearance".into(),
            detail: "Expired on Tuesday 8 July 2025".into(),
            how_to_close: "Ask the partner medical team for a renewed clearance.".into(),
        };
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
        for (status, title) in [
            (ClientStatus::Completed, "Treatment completed"),
            (ClientStatus::Discharged, "Discharged"),
        ] {
            let facts = CourseFacts {
                client_status: status,
                ..facts.clone()
            };
            let s = next_step(
                &facts,
                &settings,
                std::slice::from_ref(&lapsed),
                &[],
                &sessions,
                d(2026, 12, 4),
                now,
            );
            assert_eq!(s.title, title);
            assert!(s.suggestion.is_none(), "{s:?}");
            assert!(
                s.detail
                    .starts_with("2 dosing sessions completed in this course."),
                "{s:?}"
            );
        }
        // The same course, still in treatment, is told what is missing.
        let facts = CourseFacts {
            client_status: ClientStatus::Dosing,
            ..facts
        };
        let s = next_step(
            &facts,
            &settings,
            std::slice::from_ref(&lapsed),
            &[],
            &sessions,
            d(2026, 12, 4),
            now,
        );
        assert_eq!(s.title, "Still needed before dosing 3", "{s:?}");
    }
}
