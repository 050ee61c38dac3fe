//! Facts for the rules' unit tests: a client with everything in place, and dates.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::model::client::ClientStatus;
use crate::model::protocol::{GateKind, ProtocolSettings};
use crate::model::session::{SessionKind, SessionStatus};
use crate::rules::facts::{CourseFacts, SessionFact};
use crate::rules::gates::{DosingSlot, open_gates_for_dosing};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn session(id: &str, kind: SessionKind, status: SessionStatus, date: NaiveDate) -> SessionFact {
    SessionFact {
        id: id.into(),
        kind,
        status,
        date,
        starts_utc: Utc.from_utc_datetime(&date.and_hms_opt(15, 0, 0).unwrap()),
    }
}

/// A booked or held session as the store reads it, at 13:00 on `date`.
pub fn view(
    id: &str,
    kind: SessionKind,
    status: SessionStatus,
    date: NaiveDate,
    label: &str,
) -> crate::model::session::SessionView {
    crate::model::session::SessionView {
        id: id.into(),
        course_id: "k1".into(),
        kind,
        status,
        date: date.to_string(),
        time: "13:00".into(),
        time_zone: "UTC".into(),
        duration_min: 180,
        location: String::new(),
        gate_override: None,
        reopen_reason: None,
        label: label.into(),
        note: crate::model::notes::NoteState::None,
        can_write_note: true,
        can_reopen: false,
        starts_utc: Utc.from_utc_datetime(&date.and_hms_opt(13, 0, 0).unwrap()),
    }
}

/// A client with everything in place except what a test takes away.
pub fn ready() -> CourseFacts {
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
        release: Some((d(2026, 10, 21), Some(d(2027, 10, 21)))),
        prescription_on_file: true,
        prescription_until: None,
        consent_signed_on: Some(d(2026, 11, 1)),
        consent_withdrawn: false,
        has_ride_home: true,
        has_emergency_contact: true,
        measures: Vec::new(),
        baseline_needed: Vec::new(),
        client_status: ClientStatus::Preparation,
    }
}

/// What is still needed before a new dosing on `on`, judged on that day.
pub fn open_kinds(f: &CourseFacts, on: NaiveDate) -> Vec<GateKind> {
    open_kinds_ahead(f, on, on)
}

/// The same, booked ahead on `today`.
pub fn open_kinds_ahead(f: &CourseFacts, on: NaiveDate, today: NaiveDate) -> Vec<GateKind> {
    open_gates_for_dosing(f, &ProtocolSettings::default(), DosingSlot::new(on), today)
        .iter()
        .map(|g| g.kind)
        .collect()
}

pub fn dosed_on(date: NaiveDate) -> CourseFacts {
    let mut f = ready();
    f.sessions.push(session(
        "d1",
        SessionKind::Dosing,
        SessionStatus::Completed,
        date,
    ));
    f
}
