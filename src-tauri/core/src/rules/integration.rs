//! Integration after each dosing: the window it is due in, and whether it is booked.

use chrono::{Duration, NaiveDate};

use crate::model::protocol::{IntegrationCheck, IntegrationState, ProtocolSettings};
use crate::model::session::{SessionKind, SessionStatus};
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
}
