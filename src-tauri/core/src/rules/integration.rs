//! Integration after each dosing: the window it is due in, and whether it is booked.

use chrono::{Duration, NaiveDate};

use crate::dates::long_date;
use crate::model::protocol::{IntegrationCheck, IntegrationState, ProtocolSettings};
use crate::model::session::{IntegrationOffer, SuggestedBooking};
use crate::model::session::{SessionKind, SessionStatus, SessionView};
use crate::rules::facts::CourseFacts;

/// Past this many days without integration after a dosing, the flag turns urgent.
pub const STRONGLY_OVERDUE_DAYS: i64 = 7;

/// For every completed dosing: is its integration session booked, and in the window?
/// The integration that belongs to a dosing is the first counting integration session
/// after it and before the next dosing.
pub fn integration_checks(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    today: NaiveDate,
) -> Vec<IntegrationCheck> {
    let mut out = Vec::new();
    let mut number = 0;
    for (i, s) in facts.sessions.iter().enumerate() {
        if s.kind != SessionKind::Dosing || !s.status.counts() {
            continue;
        }
        number += 1;
        if s.status != SessionStatus::Completed {
            continue;
        }
        let window_start = s.date + Duration::days(i64::from(settings.integration_min_days));
        let window_end = s.date + Duration::days(i64::from(settings.integration_max_days));
        let integration = facts.sessions[i + 1..]
            .iter()
            .take_while(|n| !(n.kind == SessionKind::Dosing && n.status.counts()))
            .find(|n| n.kind == SessionKind::Integration && n.status.counts());
        let days_since = (today - s.date).num_days();
        let state = match integration {
            Some(n) if n.date <= window_end => IntegrationState::Booked,
            Some(_) => IntegrationState::BookedLate,
            None if today <= window_end => IntegrationState::NotBooked,
            None if days_since > STRONGLY_OVERDUE_DAYS => IntegrationState::StronglyOverdue,
            None => IntegrationState::Overdue,
        };
        out.push(IntegrationCheck {
            dosing_session_id: s.id.clone(),
            dosing_number: number,
            dosing_date: s.date,
            window_start,
            window_end,
            state,
            integration_session_id: integration.map(|n| n.id.clone()),
            days_since_dosing: days_since,
        });
    }
    out
}

/// The integration a dosing just booked or moved should have: none when one is already
/// booked in its window (after it and before the next dosing), else the window's first
/// day at the dosing's time of day. `course` is sorted by start and holds `dosing`.
pub fn offer_after(
    course: &[SessionView],
    dosing: &SessionView,
    settings: &ProtocolSettings,
) -> Option<IntegrationOffer> {
    let day = dosing.local_date();
    let window_start = day + Duration::days(i64::from(settings.integration_min_days));
    let window_end = day + Duration::days(i64::from(settings.integration_max_days));
    let booked = crate::rules::dosing::next_integration(course, dosing);
    if booked.is_some_and(|n| n.local_date() <= window_end) {
        return None;
    }
    let late = booked
        .map(|n| {
            format!(
                " The integration booked for {} is after that window.",
                long_date(n.local_date())
            )
        })
        .unwrap_or_default();
    Some(IntegrationOffer {
        booking: SuggestedBooking {
            kind: SessionKind::Integration,
            date: window_start.to_string(),
            time: dosing.time.clone(),
        },
        sentence: format!(
            "Integration after {} is due from {} to {} ({} to {} days after).{late}",
            dosing.label,
            long_date(window_start),
            long_date(window_end),
            settings.integration_min_days,
            settings.integration_max_days,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::*;

    #[test]
    fn integration_window_crosses_month_and_year_ends() {
        let s = ProtocolSettings::default();
        let c = &integration_checks(&dosed_on(d(2026, 12, 30)), &s, d(2026, 12, 30))[0];
        assert_eq!(
            (c.window_start, c.window_end),
            (d(2027, 1, 1), d(2027, 1, 2))
        );
        let c = &integration_checks(&dosed_on(d(2027, 2, 27)), &s, d(2027, 2, 27))[0];
        assert_eq!(
            (c.window_start, c.window_end),
            (d(2027, 3, 1), d(2027, 3, 2)),
            "February 2027 has 28 days"
        );
        let c = &integration_checks(&dosed_on(d(2028, 2, 27)), &s, d(2028, 2, 27))[0];
        assert_eq!(
            (c.window_start, c.window_end),
            (d(2028, 2, 29), d(2028, 3, 1)),
            "2028 is a leap year"
        );
    }

    #[test]
    fn integration_becomes_overdue_after_the_window_and_urgent_after_a_week() {
        let s = ProtocolSettings::default();
        let f = dosed_on(d(2026, 12, 1));
        let state = |today| integration_checks(&f, &s, today)[0].state;
        assert_eq!(state(d(2026, 12, 1)), IntegrationState::NotBooked);
        assert_eq!(
            state(d(2026, 12, 4)),
            IntegrationState::NotBooked,
            "last day of the window"
        );
        assert_eq!(state(d(2026, 12, 5)), IntegrationState::Overdue);
        assert_eq!(
            state(d(2026, 12, 8)),
            IntegrationState::Overdue,
            "7 days: overdue"
        );
        assert_eq!(
            state(d(2026, 12, 9)),
            IntegrationState::StronglyOverdue,
            "8 days: strongly overdue"
        );
    }

    #[test]
    fn integration_booked_in_or_out_of_the_window() {
        let s = ProtocolSettings::default();
        let mut f = dosed_on(d(2026, 12, 1));
        f.sessions.push(session(
            "i1",
            SessionKind::Integration,
            SessionStatus::Scheduled,
            d(2026, 12, 3),
        ));
        let c = &integration_checks(&f, &s, d(2026, 12, 10))[0];
        assert_eq!(c.state, IntegrationState::Booked);
        assert_eq!(c.integration_session_id.as_deref(), Some("i1"));

        f.sessions.last_mut().unwrap().date = d(2026, 12, 6);
        assert_eq!(
            integration_checks(&f, &s, d(2026, 12, 2))[0].state,
            IntegrationState::BookedLate
        );

        // A cancelled integration does not count.
        f.sessions.last_mut().unwrap().status = SessionStatus::Cancelled;
        assert_eq!(
            integration_checks(&f, &s, d(2026, 12, 2))[0].state,
            IntegrationState::NotBooked
        );
    }

    #[test]
    fn an_integration_after_the_next_dosing_belongs_to_that_dosing() {
        let s = ProtocolSettings::default();
        let mut f = dosed_on(d(2026, 12, 1));
        f.sessions.push(session(
            "d2",
            SessionKind::Dosing,
            SessionStatus::Completed,
            d(2026, 12, 8),
        ));
        f.sessions.push(session(
            "i2",
            SessionKind::Integration,
            SessionStatus::Completed,
            d(2026, 12, 10),
        ));
        let checks = integration_checks(&f, &s, d(2026, 12, 11));
        assert_eq!(
            checks[0].state,
            IntegrationState::StronglyOverdue,
            "dosing 1 never had one, 10 days on"
        );
        assert_eq!(checks[1].state, IntegrationState::Booked);
        assert_eq!(checks[1].dosing_number, 2);
    }

    #[test]
    fn a_booked_dosing_is_offered_its_integration_two_days_later_unless_one_is_in_the_window() {
        use SessionKind::{Dosing, Integration};
        use SessionStatus::Scheduled;
        let s = ProtocolSettings::default();
        let dosing = view("d2", Dosing, Scheduled, d(2026, 12, 4), "Dosing 2");
        let offer = offer_after(std::slice::from_ref(&dosing), &dosing, &s).unwrap();
        assert_eq!(offer.booking.kind, Integration);
        assert_eq!(offer.booking.date, "2026-12-06");
        assert_eq!(offer.booking.time, "13:00");
        assert_eq!(
            offer.sentence,
            "Integration after Dosing 2 is due from Sunday 6 December 2026 to Monday 7 December 2026 (2 to 3 days after)."
        );

        // One already booked in the window: nothing to offer.
        let booked = view(
            "i2",
            Integration,
            Scheduled,
            d(2026, 12, 7),
            "Integration 2",
        );
        assert!(offer_after(&[dosing.clone(), booked], &dosing, &s).is_none());

        // One booked after the window: offered again, and the sentence says why.
        let late = view(
            "i2",
            Integration,
            Scheduled,
            d(2026, 12, 10),
            "Integration 2",
        );
        let offer = offer_after(&[dosing.clone(), late], &dosing, &s).unwrap();
        assert!(
            offer.sentence.contains(
                "The integration booked for Thursday 10 December 2026 is after that window."
            ),
            "{}",
            offer.sentence
        );
    }
}
