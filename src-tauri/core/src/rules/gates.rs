//! The checks before a dosing: what must be in place, judged on the dosing's date.

use chrono::NaiveDate;

use crate::dates::{long_date, lowercase_first};
use crate::error::Error;
use crate::model::protocol::{Gate, GateKind, ProtocolSettings};
use crate::model::session::{SessionKind, SessionStatus, SessionView};
use crate::rules::facts::{CourseFacts, SessionFact};

/// The dosing a check is for: its date and, once booked, its id (so the dosings before
/// it are known exactly; a new booking counts the dosings dated before it).
#[derive(Debug, Clone, Copy)]
pub struct DosingSlot<'a> {
    pub date: NaiveDate,
    pub id: Option<&'a str>,
}

impl<'a> DosingSlot<'a> {
    pub fn new(date: NaiveDate) -> Self {
        DosingSlot { date, id: None }
    }

    pub fn booked(date: NaiveDate, id: &'a str) -> Self {
        DosingSlot { date, id: Some(id) }
    }
}

/// Every check before the dosing in `slot`, open or closed, in checklist order, judged
/// on the dosing's date. Every dosing needs a standing consent (signed, not withdrawn),
/// a clearance valid on that date, a prescription, a ride home and an emergency
/// contact. The first dosing also needs the preparation sessions and a signed release of
/// information to the partner medical team (valid on that date), because the therapist
/// and the prescriber must talk before it; each later one, the integration after the
/// dosing before it.
///
/// Booking ahead, sessions already booked before the dosing count (preparation booked
/// for next week, the integration booked after the previous dosing); on the day itself
/// (`slot.date <= today`) only completed ones do, so the check runs again then.
pub fn gates(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    slot: DosingSlot<'_>,
    today: NaiveDate,
) -> Vec<Gate> {
    let ahead = slot.date > today;
    // The sessions before this dosing, in order.
    let before: &[SessionFact] = match slot.id.and_then(|id| facts.position(id)) {
        Some(p) => &facts.sessions[..p],
        None => {
            let n = facts
                .sessions
                .iter()
                .take_while(|s| s.date < slot.date)
                .count();
            &facts.sessions[..n]
        }
    };
    let earlier: Vec<(usize, &SessionFact)> = before
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == SessionKind::Dosing && s.status.counts())
        .collect();
    let number = earlier.len() + 1;

    let mut out = Vec::with_capacity(7);
    let gate = |kind, open: bool, title: &str, detail: String, how: &str| Gate {
        kind,
        open,
        title: title.to_owned(),
        detail,
        how_to_close: if open { how.to_owned() } else { String::new() },
    };

    if number == 1 {
        let min = settings.min_preparation_sessions as usize;
        let completed = facts.completed_preparation();
        let booked = if ahead {
            before
                .iter()
                .filter(|s| {
                    s.kind == SessionKind::Preparation && s.status == SessionStatus::Scheduled
                })
                .count()
        } else {
            0
        };
        out.push(gate(
            GateKind::PreparationSessions,
            completed + booked < min,
            "Preparation sessions",
            if booked > 0 {
                format!(
                    "{completed} of {min} preparation sessions completed and {booked} booked before the dosing (checked again on the day)"
                )
            } else {
                format!("{completed} of {min} preparation sessions completed")
            },
            "Complete the remaining preparation sessions (mark each one completed on the timeline).",
        ));
        if let Some((open, detail)) =
            crate::rules::measures::baseline_check(facts, slot.date, ahead)
        {
            out.push(gate(
                GateKind::BaselineMeasures,
                open,
                "Baseline measures",
                detail,
                "Give the client the missing questionnaires and record each one on the Measures tab. The practice's measure settings say which are needed.",
            ));
        }
    }
    out.push(match facts.consent_signed_on {
        Some(d) => gate(
            GateKind::Consent,
            false,
            "Informed consent",
            format!("Signed on {}", long_date(d)),
            "",
        ),
        None if facts.consent_withdrawn => gate(
            GateKind::Consent,
            true,
            "Informed consent",
            "Consent was withdrawn; no dosing until a new consent is signed".into(),
            "Talk with the client; if they wish to go on, go through the consent again and record the new signature.",
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
        Some((_, Some(until))) if until < slot.date => gate(
            GateKind::MedicalClearance,
            true,
            "Medical clearance",
            lapsed(until, slot.date, today),
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
    if number == 1 {
        let title = "Release of information";
        let how = "Have the client sign a release of information for the partner medical team, and record it (who, what may be shared, date signed, until when).";
        out.push(match facts.release {
            None => gate(
                GateKind::ReleaseOfInformation,
                true,
                title,
                "No signed release of information to the partner medical team".into(),
                how,
            ),
            Some((_, Some(until))) if until < slot.date => gate(
                GateKind::ReleaseOfInformation,
                true,
                title,
                lapsed(until, slot.date, today),
                "Ask the client to sign a new release of information, and record it.",
            ),
            Some((on, until)) => gate(
                GateKind::ReleaseOfInformation,
                false,
                title,
                match until {
                    Some(u) => format!("Signed {}, valid until {}", long_date(on), long_date(u)),
                    None => format!("Signed {}", long_date(on)),
                },
                "",
            ),
        });
    }
    out.push(match facts.prescription_until {
        Some(until) if facts.prescription_on_file && until < slot.date => gate(
            GateKind::Prescription,
            true,
            "Prescription on file",
            lapsed(until, slot.date, today),
            "Ask the partner medical team for a renewed prescription and record it.",
        ),
        _ => gate(
            GateKind::Prescription,
            !facts.prescription_on_file,
            "Prescription on file",
            match (facts.prescription_on_file, facts.prescription_until) {
                (true, Some(u)) => format!("Prescription recorded, valid until {}", long_date(u)),
                (true, None) => "Prescription recorded".into(),
                (false, _) => "No prescription on record".into(),
            },
            "Record the prescription from the partner medical team (medication, route, dose, prescriber).",
        ),
    });
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
    if let Some(&(p, previous)) = earlier.last() {
        let n = number - 1;
        let title = format!("Integration after dosing {n}");
        let integrations: Vec<&SessionFact> = before[p + 1..]
            .iter()
            .filter(|s| s.kind == SessionKind::Integration && s.status.counts())
            .collect();
        let done = integrations
            .iter()
            .find(|s| s.status == SessionStatus::Completed);
        let booked = integrations.first();
        let how = "Hold the integration session after the previous dosing and mark it completed. If it cannot happen first, book with a written reason: it is kept on the record and shown on the day.";
        out.push(match (done, booked) {
            (Some(i), _) => gate(
                GateKind::IntegrationAfterPrevious,
                false,
                &title,
                format!("Completed on {}", long_date(i.date)),
                "",
            ),
            (None, Some(i)) if ahead => gate(
                GateKind::IntegrationAfterPrevious,
                false,
                &title,
                format!(
                    "Booked for {} (checked again on the day)",
                    long_date(i.date)
                ),
                "",
            ),
            (None, Some(i)) => gate(
                GateKind::IntegrationAfterPrevious,
                true,
                &title,
                format!("Booked for {} but not completed", long_date(i.date)),
                how,
            ),
            (None, None) => gate(
                GateKind::IntegrationAfterPrevious,
                true,
                &title,
                format!(
                    "No integration session after dosing {n} on {}",
                    long_date(previous.date)
                ),
                how,
            ),
        });
    }
    out
}

/// The refusal of a dosing while something is still needed, naming each item and its
/// state: "Informed consent (consent was withdrawn; …)".
pub fn refusal(open: &[Gate]) -> Error {
    Error::GatesOpen {
        gates: open
            .iter()
            .map(|g| format!("{} ({})", g.title, lowercase_first(&g.detail)))
            .collect(),
    }
}

/// "informed consent, medical clearance": the open checks in a sentence.
pub fn still_needed(open: &[Gate]) -> String {
    open.iter()
        .map(|g| g.title.to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Dosing 2 on Thursday 3 December 2026 is booked, but still needed before dosing:
/// informed consent." With the written reason when it was booked over them.
pub fn blocked_dosing_sentence(d: &SessionView, open: &[Gate]) -> String {
    let mut s = format!(
        "{} on {} is booked, but still needed before dosing: {}.",
        d.label,
        long_date(d.local_date()),
        still_needed(open)
    );
    if let Some(reason) = &d.gate_override {
        s.push_str(&format!(" Booked with this reason: {reason}"));
    }
    s
}

/// A clearance or prescription whose last day `until` comes before the dosing's `day`:
/// expired already, or still valid today but not on that day.
fn lapsed(until: NaiveDate, day: NaiveDate, today: NaiveDate) -> String {
    if until < today {
        format!(
            "Expired on {} (before {})",
            long_date(until),
            long_date(day)
        )
    } else {
        format!(
            "Valid only until {}, before {}",
            long_date(until),
            long_date(day)
        )
    }
}

/// What is still needed before the dosing in `slot`: the open checks of `gates`.
pub fn open_gates_for_dosing(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    slot: DosingSlot<'_>,
    today: NaiveDate,
) -> Vec<Gate> {
    gates(facts, settings, slot, today)
        .into_iter()
        .filter(|g| g.open)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::*;

    #[test]
    fn a_fully_prepared_client_has_no_open_gates() {
        assert!(open_kinds(&ready(), d(2026, 12, 1)).is_empty());
        let on = d(2026, 12, 1);
        let all = gates(
            &ready(),
            &ProtocolSettings::default(),
            DosingSlot::new(on),
            on,
        );
        assert_eq!(all.len(), 7, "every check is listed, open or not");
        assert!(all.iter().all(|g| !g.open && g.how_to_close.is_empty()));
    }

    #[test]
    fn gate_baseline_measures_is_checked_before_the_first_dosing_only() {
        let on = d(2026, 12, 1);
        let mut f = ready();
        f.baseline_needed = vec!["phq9".into(), "gad7".into()];
        assert_eq!(open_kinds(&f, on), [GateKind::BaselineMeasures]);
        // Booked ahead it waits for the day.
        assert!(open_kinds_ahead(&f, on, d(2026, 11, 20)).is_empty());
        f.measures = ["phq9", "gad7"]
            .iter()
            .map(|i| crate::rules::measures::MeasureFact {
                instrument: (*i).into(),
                date: d(2026, 11, 25),
            })
            .collect();
        assert!(open_kinds(&f, on).is_empty());
        // Before a second dosing it is not asked again.
        f.measures.clear();
        f.sessions.push(session(
            "d1",
            SessionKind::Dosing,
            SessionStatus::Completed,
            d(2026, 11, 26),
        ));
        f.sessions.push(session(
            "i1",
            SessionKind::Integration,
            SessionStatus::Completed,
            d(2026, 11, 28),
        ));
        assert!(open_kinds(&f, on).is_empty());
    }

    #[test]
    fn gate_preparation_sessions_counts_only_completed_ones() {
        let mut f = ready();
        f.sessions[3].status = SessionStatus::Scheduled;
        f.sessions[2].status = SessionStatus::Cancelled;
        let on = d(2026, 12, 1);
        let open = open_gates_for_dosing(&f, &ProtocolSettings::default(), DosingSlot::new(on), on);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].kind, GateKind::PreparationSessions);
        assert_eq!(open[0].detail, "2 of 4 preparation sessions completed");
        // The minimum is a practice setting.
        let three = ProtocolSettings {
            min_preparation_sessions: 2,
            ..Default::default()
        };
        assert!(open_gates_for_dosing(&f, &three, DosingSlot::new(on), on).is_empty());
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
        let on = d(2026, 12, 16);
        let lapsed =
            open_gates_for_dosing(&f, &ProtocolSettings::default(), DosingSlot::new(on), on);
        assert_eq!(lapsed[0].kind, GateKind::MedicalClearance);
        assert!(
            lapsed[0]
                .detail
                .starts_with("Expired on Tuesday 15 December 2026"),
            "{}",
            lapsed[0].detail
        );
        // Booked ahead: valid today, but not on the day of the dosing.
        let ahead = open_gates_for_dosing(
            &f,
            &ProtocolSettings::default(),
            DosingSlot::new(on),
            d(2026, 12, 1),
        );
        assert_eq!(
            ahead[0].detail,
            "Valid only until Tuesday 15 December 2026, before Wednesday 16 December 2026"
        );

        // No end date given by the team: open-ended.
        f.clearance = Some((d(2026, 10, 1), None));
        assert!(open_kinds(&f, d(2027, 6, 1)).is_empty());
    }

    #[test]
    fn gate_release_of_information_before_the_first_dosing_only() {
        let mut f = ready();
        f.release = None;
        let on = d(2026, 12, 1);
        let open = open_gates_for_dosing(&f, &ProtocolSettings::default(), DosingSlot::new(on), on);
        assert_eq!(
            open.iter().map(|g| g.kind).collect::<Vec<_>>(),
            [GateKind::ReleaseOfInformation]
        );
        assert_eq!(open[0].title, "Release of information");
        assert_eq!(
            open[0].detail,
            "No signed release of information to the partner medical team"
        );
        assert!(open[0].how_to_close.contains("record it"));

        // Recorded and valid on the day: closed, and the checklist says since when.
        f.release = Some((d(2026, 11, 2), Some(d(2026, 12, 1))));
        assert!(open_kinds(&f, on).is_empty(), "valid through its last day");
        let all = gates(&f, &ProtocolSettings::default(), DosingSlot::new(on), on);
        let g = all
            .iter()
            .find(|g| g.kind == GateKind::ReleaseOfInformation)
            .unwrap();
        assert!(!g.open);
        assert_eq!(
            g.detail,
            "Signed Monday 2 November 2026, valid until Tuesday 1 December 2026"
        );
        // Ended before the dosing: open again.
        assert_eq!(
            open_kinds(&f, d(2026, 12, 2)),
            [GateKind::ReleaseOfInformation]
        );

        // Only the first dosing waits for it; the release is asked for before treatment.
        let mut later = dosed_on(d(2026, 11, 5));
        later.release = None;
        assert!(!open_kinds(&later, d(2026, 12, 1)).contains(&GateKind::ReleaseOfInformation));
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
            let on = d(2026, 12, 1);
            let open =
                open_gates_for_dosing(&f, &ProtocolSettings::default(), DosingSlot::new(on), on);
            assert_eq!(open.iter().map(|g| g.kind).collect::<Vec<_>>(), [kind]);
            assert!(
                !open[0].how_to_close.is_empty(),
                "every open gate says what closes it"
            );
        }
    }

    /// A course with dosing 1 completed on 5 November and its integration two days later.
    fn after_first_dosing() -> CourseFacts {
        let mut f = ready();
        f.sessions.push(session(
            "d1",
            SessionKind::Dosing,
            SessionStatus::Completed,
            d(2026, 11, 5),
        ));
        f.sessions.push(session(
            "i1",
            SessionKind::Integration,
            SessionStatus::Completed,
            d(2026, 11, 7),
        ));
        f
    }

    #[test]
    fn every_dosing_is_checked_not_only_the_first() {
        let f = after_first_dosing();
        let on = d(2026, 12, 1);
        let all = gates(&f, &ProtocolSettings::default(), DosingSlot::new(on), on);
        assert_eq!(
            all.iter().map(|g| g.kind).collect::<Vec<_>>(),
            [
                GateKind::Consent,
                GateKind::MedicalClearance,
                GateKind::Prescription,
                GateKind::RideHome,
                GateKind::EmergencyContact,
                GateKind::IntegrationAfterPrevious,
            ],
            "preparation is for the first dosing; integration for each later one"
        );
        assert!(all.iter().all(|g| !g.open), "{all:?}");
        assert_eq!(all[5].title, "Integration after dosing 1");
    }

    #[test]
    fn withdrawn_consent_blocks_every_later_dosing_until_a_new_one_is_signed() {
        let mut f = after_first_dosing();
        f.sessions.push(session(
            "d2",
            SessionKind::Dosing,
            SessionStatus::Completed,
            d(2026, 11, 12),
        ));
        f.sessions.push(session(
            "i2",
            SessionKind::Integration,
            SessionStatus::Completed,
            d(2026, 11, 14),
        ));
        f.consent_signed_on = None;
        f.consent_withdrawn = true;
        let on = d(2026, 11, 19);
        let open = open_gates_for_dosing(&f, &ProtocolSettings::default(), DosingSlot::new(on), on);
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(open[0].kind, GateKind::Consent);
        assert!(open[0].detail.contains("withdrawn"), "{}", open[0].detail);
        assert!(!open[0].how_to_close.is_empty());
        // Dosing 3 booked before the withdrawal is blocked as well.
        f.sessions.push(session(
            "d3",
            SessionKind::Dosing,
            SessionStatus::Scheduled,
            d(2026, 11, 26),
        ));
        let slot = DosingSlot::booked(d(2026, 11, 26), "d3");
        assert_eq!(
            open_gates_for_dosing(&f, &ProtocolSettings::default(), slot, on)[0].kind,
            GateKind::Consent
        );
        // A new consent signed: ready again.
        f.consent_signed_on = Some(d(2026, 11, 20));
        assert!(open_gates_for_dosing(&f, &ProtocolSettings::default(), slot, on).is_empty());
    }

    #[test]
    fn an_expired_clearance_blocks_dosing_2_but_not_one_dated_before_the_expiry() {
        let mut f = after_first_dosing();
        f.clearance = Some((d(2026, 10, 20), Some(d(2026, 11, 30))));
        assert!(
            open_kinds(&f, d(2026, 11, 30)).is_empty(),
            "valid on its last day"
        );
        assert_eq!(open_kinds(&f, d(2026, 12, 1)), [GateKind::MedicalClearance]);
    }

    #[test]
    fn a_missing_integration_blocks_the_next_dosing() {
        let mut f = after_first_dosing();
        f.sessions.pop();
        let open = {
            let on = d(2026, 11, 12);
            open_gates_for_dosing(&f, &ProtocolSettings::default(), DosingSlot::new(on), on)
        };
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].kind, GateKind::IntegrationAfterPrevious);
        assert_eq!(
            open[0].detail,
            "No integration session after dosing 1 on Thursday 5 November 2026"
        );
        // A cancelled integration does not count.
        f.sessions.push(session(
            "i1",
            SessionKind::Integration,
            SessionStatus::Cancelled,
            d(2026, 11, 7),
        ));
        assert_eq!(
            open_kinds(&f, d(2026, 11, 12)),
            [GateKind::IntegrationAfterPrevious]
        );
    }

    #[test]
    fn booked_sessions_count_ahead_and_the_check_runs_again_on_the_day() {
        // Preparation: 2 completed and 2 booked before a first dosing booked weeks ahead.
        let mut f = ready();
        f.sessions[2].status = SessionStatus::Scheduled;
        f.sessions[3].status = SessionStatus::Scheduled;
        let dosing = d(2026, 12, 10);
        assert!(open_kinds_ahead(&f, dosing, d(2026, 10, 8)).is_empty());
        assert_eq!(open_kinds(&f, dosing), [GateKind::PreparationSessions]);
        let g = &gates(
            &f,
            &ProtocolSettings::default(),
            DosingSlot::new(dosing),
            d(2026, 10, 8),
        )[0];
        assert!(
            g.detail.contains("2 booked before the dosing"),
            "{}",
            g.detail
        );

        // Integration: booked after dosing 1, dosing 2 booked ahead.
        let mut f = after_first_dosing();
        f.sessions.last_mut().unwrap().status = SessionStatus::Scheduled;
        assert!(open_kinds_ahead(&f, d(2026, 11, 12), d(2026, 11, 6)).is_empty());
        assert_eq!(
            open_kinds(&f, d(2026, 11, 12)),
            [GateKind::IntegrationAfterPrevious],
            "on the day, a booked integration that did not happen is still needed"
        );
    }

    #[test]
    fn a_booked_dosing_is_judged_against_the_dosings_before_it() {
        // Dosings 1 (completed) and 2 (booked); judging dosing 2 looks at dosing 1's
        // integration, judging dosing 1 (already done) looks at preparation.
        let mut f = after_first_dosing();
        f.sessions.push(session(
            "d2",
            SessionKind::Dosing,
            SessionStatus::Scheduled,
            d(2026, 11, 12),
        ));
        let today = d(2026, 11, 10);
        let second = gates(
            &f,
            &ProtocolSettings::default(),
            DosingSlot::booked(d(2026, 11, 12), "d2"),
            today,
        );
        assert_eq!(second.last().unwrap().title, "Integration after dosing 1");
        let first = gates(
            &f,
            &ProtocolSettings::default(),
            DosingSlot::booked(d(2026, 11, 5), "d1"),
            today,
        );
        assert_eq!(first[0].kind, GateKind::PreparationSessions);
    }

    #[test]
    fn a_prescription_that_ends_blocks_a_dosing_after_its_end_but_not_one_before() {
        let mut f = ready();
        f.prescription_until = Some(d(2026, 12, 15));
        assert!(
            open_kinds(&f, d(2026, 12, 15)).is_empty(),
            "valid through its last day"
        );
        let on = d(2026, 12, 16);
        let ended =
            open_gates_for_dosing(&f, &ProtocolSettings::default(), DosingSlot::new(on), on);
        assert_eq!(ended[0].kind, GateKind::Prescription);
        assert_eq!(
            ended[0].detail,
            "Expired on Tuesday 15 December 2026 (before Wednesday 16 December 2026)"
        );
        let ahead = open_gates_for_dosing(
            &f,
            &ProtocolSettings::default(),
            DosingSlot::new(on),
            d(2026, 12, 1),
        );
        assert_eq!(
            ahead[0].detail,
            "Valid only until Tuesday 15 December 2026, before Wednesday 16 December 2026"
        );
    }
}
