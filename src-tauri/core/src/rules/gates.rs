//! The checks before a dosing: what must be in place, judged on the dosing's date.

use chrono::NaiveDate;

use crate::dates::long_date;
use crate::model::protocol::{Gate, GateKind, ProtocolSettings};
use crate::model::session::{SessionKind, SessionStatus};
use crate::rules::facts::CourseFacts;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::*;

    #[test]
    fn a_fully_prepared_client_has_no_open_gates() {
        assert!(open_kinds(&ready(), d(2026, 12, 1)).is_empty());
        let all = gates(&ready(), &ProtocolSettings::default(), d(2026, 12, 1));
        assert_eq!(all.len(), 6, "every check is listed, open or not");
        assert!(all.iter().all(|g| !g.open && g.how_to_close.is_empty()));
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
}
