//! The KAP protocol as rules: the gates before a first dosing, the integration window
//! after each dosing, the cadence warnings, and the one next step to show.
//!
//! Everything here is a pure function of the record, the practice's protocol settings
//! and `today`/`now`: no database, no clock. Every clinical number is a practice
//! setting with the seed's default; KAP Desk records and reminds, the prescriber decides.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Practice-wide protocol settings. Defaults come from the practice's own protocol
/// description (`kap-protocol-seed.txt`): 4-5 preparation sessions, integration 2-3
/// days after each dosing, 6 dosings recommended; at most 2 dosings a week is the
/// published ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolSettings {
    pub min_preparation_sessions: u32,
    pub integration_min_days: u32,
    pub integration_max_days: u32,
    pub recommended_dosings: u32,
    pub max_dosings_per_week: u32,
}

impl Default for ProtocolSettings {
    fn default() -> Self {
        ProtocolSettings {
            min_preparation_sessions: 4,
            integration_min_days: 2,
            integration_max_days: 3,
            recommended_dosings: 6,
            max_dosings_per_week: 2,
        }
    }
}

/// Past this many days without integration after a dosing, the flag turns urgent.
pub const STRONGLY_OVERDUE_DAYS: i64 = 7;

impl ProtocolSettings {
    pub fn validated(self) -> Result<Self> {
        let check = |field: &'static str, v: u32, lo: u32, hi: u32| {
            if v < lo || v > hi {
                Err(Error::invalid(
                    field,
                    format!("Choose a number from {lo} to {hi}."),
                ))
            } else {
                Ok(())
            }
        };
        check(
            "minPreparationSessions",
            self.min_preparation_sessions,
            0,
            20,
        )?;
        check("integrationMinDays", self.integration_min_days, 0, 14)?;
        check("integrationMaxDays", self.integration_max_days, 0, 21)?;
        check("recommendedDosings", self.recommended_dosings, 1, 24)?;
        check("maxDosingsPerWeek", self.max_dosings_per_week, 1, 7)?;
        if self.integration_max_days < self.integration_min_days {
            return Err(Error::invalid(
                "integrationMaxDays",
                "The integration window must end on or after the day it starts.",
            ));
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Intake,
    Preparation,
    Dosing,
    Integration,
    FollowUp,
    Other,
}

impl SessionKind {
    pub const ALL: [SessionKind; 6] = [
        SessionKind::Intake,
        SessionKind::Preparation,
        SessionKind::Dosing,
        SessionKind::Integration,
        SessionKind::FollowUp,
        SessionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Intake => "intake",
            SessionKind::Preparation => "preparation",
            SessionKind::Dosing => "dosing",
            SessionKind::Integration => "integration",
            SessionKind::FollowUp => "follow_up",
            SessionKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|k| k.as_str() == norm).ok_or_else(|| {
            Error::invalid(
                "kind",
                format!("\u{201c}{s}\u{201d} is not a session kind; use intake, preparation, dosing, integration, follow-up or other."),
            )
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            SessionKind::Intake => "Intake",
            SessionKind::Preparation => "Preparation",
            SessionKind::Dosing => "Dosing",
            SessionKind::Integration => "Integration",
            SessionKind::FollowUp => "Follow-up",
            SessionKind::Other => "Other",
        }
    }

    /// Dosing sessions run about three hours; everything else is a therapy hour.
    pub fn default_duration_min(self) -> u32 {
        match self {
            SessionKind::Dosing => 180,
            _ => 50,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Scheduled,
    Completed,
    Cancelled,
    NoShow,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Completed => "completed",
            SessionStatus::Cancelled => "cancelled",
            SessionStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            SessionStatus::Scheduled,
            SessionStatus::Completed,
            SessionStatus::Cancelled,
            SessionStatus::NoShow,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Cancelled and missed sessions do not count towards anything.
    pub fn counts(self) -> bool {
        matches!(self, SessionStatus::Scheduled | SessionStatus::Completed)
    }
}

/// What the rules need to know about one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFact {
    pub id: String,
    pub kind: SessionKind,
    pub status: SessionStatus,
    /// The session's local calendar date in the practice's time zone.
    pub date: NaiveDate,
    /// For ordering sessions on the same date.
    pub starts_utc: chrono::DateTime<chrono::Utc>,
}

/// What the gates need to know about one treatment course.
#[derive(Debug, Clone, Default)]
pub struct CourseFacts {
    /// Sorted by start.
    pub sessions: Vec<SessionFact>,
    /// The latest clearance's validity, if any: (cleared on, valid until).
    pub clearance: Option<(NaiveDate, Option<NaiveDate>)>,
    pub prescription_on_file: bool,
    pub consent_signed_on: Option<NaiveDate>,
    pub has_ride_home: bool,
    pub has_emergency_contact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    PreparationSessions,
    Consent,
    MedicalClearance,
    Prescription,
    RideHome,
    EmergencyContact,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Gate {
    pub kind: GateKind,
    pub open: bool,
    /// What the gate is, as the checklist shows it.
    pub title: String,
    /// Its state in a sentence ("3 of 4 preparation sessions completed").
    pub detail: String,
    /// What closes it; empty once closed.
    pub how_to_close: String,
}

impl CourseFacts {
    fn count(&self, kind: SessionKind, pred: impl Fn(&SessionFact) -> bool) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.kind == kind && pred(s))
            .count()
    }

    pub fn completed_preparation(&self) -> usize {
        self.count(SessionKind::Preparation, |s| {
            s.status == SessionStatus::Completed
        })
    }
}

/// Every gate before a first dosing on `dosing_date`, open or closed, in checklist order.
/// Clearance is judged on the dosing's date: a clearance that lapses before then is no
/// clearance for that session.
pub fn gates(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    dosing_date: NaiveDate,
) -> Vec<Gate> {
    let done = facts.completed_preparation();
    let min = settings.min_preparation_sessions as usize;
    let mut out = Vec::with_capacity(6);
    let gate = |kind, open: bool, title: &str, detail: String, how: &str| Gate {
        kind,
        open,
        title: title.to_owned(),
        detail,
        how_to_close: if open { how.to_owned() } else { String::new() },
    };

    out.push(gate(
        GateKind::PreparationSessions,
        done < min,
        "Preparation sessions",
        format!("{done} of {min} preparation sessions completed"),
        "Complete the remaining preparation sessions (mark each one completed on the timeline).",
    ));
    out.push(match facts.consent_signed_on {
        Some(d) => gate(
            GateKind::Consent,
            false,
            "Informed consent",
            format!("Signed on {}", long_date(d)),
            "",
        ),
        None => gate(
            GateKind::Consent,
            true,
            "Informed consent",
            "No signed informed consent on record".into(),
            "Go through each consent item with the client, then record the signature on the consent checklist.",
        ),
    });
    out.push(match facts.clearance {
        None => gate(
            GateKind::MedicalClearance,
            true,
            "Medical clearance",
            "No medical clearance on record".into(),
            "Record the clearance the partner medical team sends (clinician, date, valid until).",
        ),
        Some((_, Some(until))) if until < dosing_date => gate(
            GateKind::MedicalClearance,
            true,
            "Medical clearance",
            format!(
                "Expired on {} (before {})",
                long_date(until),
                long_date(dosing_date)
            ),
            "Ask the partner medical team for a renewed clearance and record it.",
        ),
        Some((on, until)) => gate(
            GateKind::MedicalClearance,
            false,
            "Medical clearance",
            match until {
                Some(u) => format!("Cleared {}, valid until {}", long_date(on), long_date(u)),
                None => format!("Cleared {}", long_date(on)),
            },
            "",
        ),
    });
    out.push(gate(
        GateKind::Prescription,
        !facts.prescription_on_file,
        "Prescription on file",
        if facts.prescription_on_file {
            "Prescription recorded".into()
        } else {
            "No prescription on record".into()
        },
        "Record the prescription from the partner medical team (medication, route, dose, prescriber).",
    ));
    out.push(gate(
        GateKind::RideHome,
        !facts.has_ride_home,
        "Ride home",
        if facts.has_ride_home {
            "A ride-home person is named".into()
        } else {
            "No ride-home person named".into()
        },
        "Add the person who will drive the client home (name and phone) to the client's record.",
    ));
    out.push(gate(
        GateKind::EmergencyContact,
        !facts.has_emergency_contact,
        "Emergency contact",
        if facts.has_emergency_contact {
            "An emergency contact is named".into()
        } else {
            "No emergency contact named".into()
        },
        "Add an emergency contact (name, relation, phone) to the client's record.",
    ));
    out
}

/// The gates that block booking a first dosing on `dosing_date`. Only the first dosing
/// of a course is gated: later dosings follow the same clearance and consent.
pub fn open_gates_for_dosing(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    dosing_date: NaiveDate,
) -> Vec<Gate> {
    let already_dosed = facts
        .sessions
        .iter()
        .any(|s| s.kind == SessionKind::Dosing && s.status == SessionStatus::Completed);
    if already_dosed {
        return Vec::new();
    }
    gates(facts, settings, dosing_date)
        .into_iter()
        .filter(|g| g.open)
        .collect()
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IntegrationState {
    /// An integration session is completed or booked within the window.
    Booked,
    /// Booked, but outside the window.
    BookedLate,
    /// Not booked yet; the window is still open.
    NotBooked,
    /// Not booked and the window has passed.
    Overdue,
    /// Not booked, more than a week after the dosing.
    StronglyOverdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationCheck {
    pub dosing_session_id: String,
    /// 1-based number of the dosing in its course.
    pub dosing_number: u32,
    pub dosing_date: NaiveDate,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub state: IntegrationState,
    pub integration_session_id: Option<String>,
    pub days_since_dosing: i64,
}

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

/// "Thursday 3 December 2026": unambiguous for people in any locale.
pub fn long_date(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// Monday of the week containing `d`.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn session(id: &str, kind: SessionKind, status: SessionStatus, date: NaiveDate) -> SessionFact {
        SessionFact {
            id: id.into(),
            kind,
            status,
            date,
            starts_utc: Utc.from_utc_datetime(&date.and_hms_opt(15, 0, 0).unwrap()),
        }
    }

    /// A client with everything in place except what a test takes away.
    fn ready() -> CourseFacts {
        CourseFacts {
            sessions: (1..=4)
                .map(|i| {
                    session(
                        &format!("p{i}"),
                        SessionKind::Preparation,
                        SessionStatus::Completed,
                        d(2026, 10, i * 7),
                    )
                })
                .collect(),
            clearance: Some((d(2026, 10, 20), Some(d(2027, 4, 20)))),
            prescription_on_file: true,
            consent_signed_on: Some(d(2026, 11, 1)),
            has_ride_home: true,
            has_emergency_contact: true,
        }
    }

    fn open_kinds(f: &CourseFacts, on: NaiveDate) -> Vec<GateKind> {
        open_gates_for_dosing(f, &ProtocolSettings::default(), on)
            .iter()
            .map(|g| g.kind)
            .collect()
    }

    #[test]
    fn a_fully_prepared_client_has_no_open_gates() {
        assert!(open_kinds(&ready(), d(2026, 12, 1)).is_empty());
        assert!(
            gates(&ready(), &ProtocolSettings::default(), d(2026, 12, 1))
                .iter()
                .all(|g| g.how_to_close.is_empty())
        );
    }

    #[test]
    fn gate_preparation_sessions_counts_only_completed_ones() {
        let mut f = ready();
        f.sessions[3].status = SessionStatus::Scheduled;
        f.sessions[2].status = SessionStatus::Cancelled;
        let open = open_gates_for_dosing(&f, &ProtocolSettings::default(), d(2026, 12, 1));
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].kind, GateKind::PreparationSessions);
        assert_eq!(open[0].detail, "2 of 4 preparation sessions completed");
        // The minimum is a practice setting.
        let three = ProtocolSettings {
            min_preparation_sessions: 2,
            ..Default::default()
        };
        assert!(open_gates_for_dosing(&f, &three, d(2026, 12, 1)).is_empty());
    }

    #[test]
    fn gate_consent() {
        let mut f = ready();
        f.consent_signed_on = None;
        assert_eq!(open_kinds(&f, d(2026, 12, 1)), [GateKind::Consent]);
    }

    #[test]
    fn gate_medical_clearance_missing_or_lapsed_by_the_dosing_date() {
        let mut f = ready();
        f.clearance = None;
        assert_eq!(open_kinds(&f, d(2026, 12, 1)), [GateKind::MedicalClearance]);

        let mut f = ready();
        f.clearance = Some((d(2026, 10, 1), Some(d(2026, 12, 15))));
        assert!(
            open_kinds(&f, d(2026, 12, 15)).is_empty(),
            "valid through its last day"
        );
        let lapsed = open_gates_for_dosing(&f, &ProtocolSettings::default(), d(2026, 12, 16));
        assert_eq!(lapsed[0].kind, GateKind::MedicalClearance);
        assert!(
            lapsed[0]
                .detail
                .starts_with("Expired on Tuesday 15 December 2026"),
            "{}",
            lapsed[0].detail
        );

        // No end date given by the team: open-ended.
        f.clearance = Some((d(2026, 10, 1), None));
        assert!(open_kinds(&f, d(2027, 6, 1)).is_empty());
    }

    #[test]
    fn gate_prescription_ride_home_and_emergency_contact() {
        for (kind, change) in [
            (
                GateKind::Prescription,
                (|f: &mut CourseFacts| f.prescription_on_file = false) as fn(&mut CourseFacts),
            ),
            (GateKind::RideHome, |f| f.has_ride_home = false),
            (GateKind::EmergencyContact, |f| {
                f.has_emergency_contact = false
            }),
        ] {
            let mut f = ready();
            change(&mut f);
            let open = open_gates_for_dosing(&f, &ProtocolSettings::default(), d(2026, 12, 1));
            assert_eq!(open.iter().map(|g| g.kind).collect::<Vec<_>>(), [kind]);
            assert!(
                !open[0].how_to_close.is_empty(),
                "every open gate says what closes it"
            );
        }
    }

    #[test]
    fn only_the_first_dosing_is_gated() {
        let mut f = ready();
        f.sessions.push(session(
            "d1",
            SessionKind::Dosing,
            SessionStatus::Completed,
            d(2026, 11, 5),
        ));
        f.clearance = None;
        assert!(open_kinds(&f, d(2026, 12, 1)).is_empty());
    }

    fn dosed_on(date: NaiveDate) -> CourseFacts {
        let mut f = ready();
        f.sessions.push(session(
            "d1",
            SessionKind::Dosing,
            SessionStatus::Completed,
            date,
        ));
        f
    }

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

    #[test]
    fn protocol_settings_are_checked() {
        let bad = ProtocolSettings {
            integration_min_days: 3,
            integration_max_days: 2,
            ..Default::default()
        };
        assert_eq!(
            bad.validated().unwrap_err().field(),
            Some("integrationMaxDays")
        );
        assert!(ProtocolSettings::default().validated().is_ok());
    }
}
