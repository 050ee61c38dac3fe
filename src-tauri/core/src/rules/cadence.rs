//! Cadence: warnings (never refusals) about how many dosings and how close together.

use chrono::{Duration, NaiveDate};

use crate::model::protocol::ProtocolSettings;
use crate::model::session::SessionKind;
use crate::rules::facts::{CourseFacts, SessionFact};

/// Warnings (not refusals) for booking a dosing on `date`: past the recommended count,
/// or more in one week than the practice allows.
pub fn dosing_warnings(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    date: NaiveDate,
    excluding: Option<&str>,
) -> Vec<String> {
    let dosings: Vec<&SessionFact> = facts
        .sessions
        .iter()
        .filter(|s| {
            s.kind == SessionKind::Dosing && s.status.counts() && Some(s.id.as_str()) != excluding
        })
        .collect();
    let mut warnings = Vec::new();
    let number = dosings.len() as u32 + 1;
    if number > settings.recommended_dosings {
        warnings.push(format!(
            "This is dosing session {number}; the protocol recommends {}.",
            settings.recommended_dosings
        ));
    }
    // Any 7-day span containing the new date: count dosings within 6 days either side
    // that share a window with it.
    let within_week = |d: NaiveDate| {
        (0..7).any(|offset| {
            let start = date - Duration::days(offset);
            let end = start + Duration::days(6);
            d >= start
                && d <= end
                && dosings
                    .iter()
                    .filter(|s| s.date >= start && s.date <= end)
                    .count() as u32
                    + 1
                    > settings.max_dosings_per_week
        })
    };
    if within_week(date) {
        warnings.push(format!(
            "That makes more than {} dosing sessions within 7 days.",
            settings.max_dosings_per_week
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::model::session::SessionStatus;
    use crate::rules::fixtures::*;

    #[test]
    fn weekly_cap_counts_any_seven_day_span() {
        let s = ProtocolSettings::default();
        let mut f = ready();
        f.sessions.push(session(
            "d1",
            SessionKind::Dosing,
            SessionStatus::Completed,
            d(2026, 11, 30),
        ));
        f.sessions.push(session(
            "d2",
            SessionKind::Dosing,
            SessionStatus::Scheduled,
            d(2026, 12, 3),
        ));
        let w = dosing_warnings(&f, &s, d(2026, 12, 5), None);
        assert!(
            w.iter()
                .any(|w| w.contains("more than 2 dosing sessions within 7 days")),
            "{w:?}"
        );
        // Eight days after the first: only the second shares a week with it.
        assert!(dosing_warnings(&f, &s, d(2026, 12, 8), None).is_empty());
        // A cancelled one does not count.
        f.sessions[5].status = SessionStatus::Cancelled;
        assert!(dosing_warnings(&f, &s, d(2026, 12, 5), None).is_empty());
    }

    #[test]
    fn past_the_recommended_count_warns() {
        let s = ProtocolSettings::default();
        let mut f = ready();
        for i in 0..6 {
            f.sessions.push(session(
                &format!("d{i}"),
                SessionKind::Dosing,
                SessionStatus::Completed,
                d(2026, 9, 1) + Duration::days(i * 10),
            ));
        }
        let w = dosing_warnings(&f, &s, d(2027, 1, 10), None);
        assert_eq!(w, ["This is dosing session 7; the protocol recommends 6."]);
    }
}
