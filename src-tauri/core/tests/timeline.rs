//! A client's path from inquiry to the integration after the first dosing, through the
//! vault: booking, the gates that refuse a dosing, overrides, time zones, the timeline
//! and the dashboard.

use chrono::Duration;
use kapdesk_core::model::protocol::{GateKind, IntegrationState};
use kapdesk_core::{
    BookingRequest, ClientDetails, ClientQuery, ClientSort, ClientStatus, Error, Passphrase,
    SessionKind, SessionStatus, Vault,
};

#[path = "support/practice.rs"]
mod practice;
use practice::{Practice, now};

#[test]
fn a_dosing_is_refused_with_every_open_gate_named_until_they_are_closed() {
    let mut p = Practice::new();
    let c = p.client("Jordan Ellis", false);
    let err = p
        .book(&c, SessionKind::Dosing, "2026-12-01", None)
        .unwrap_err();
    let Error::GatesOpen { gates } = &err else {
        panic!("expected GatesOpen, got {err:?}");
    };
    assert_eq!(gates.len(), 7, "{gates:?}");
    let msg = err.to_string();
    for words in [
        "Preparation sessions (0 of 4",
        "Informed consent",
        "Medical clearance",
        "Release of information (no signed release of information to the partner medical team)",
        "Prescription",
        "Ride home",
        "Emergency contact",
    ] {
        assert!(msg.contains(words), "{words} missing from: {msg}");
    }
    assert!(
        p.vault
            .timeline(&c, None, now())
            .unwrap()
            .sessions
            .is_empty(),
        "nothing was booked"
    );

    // Closing every gate makes the same booking go through.
    let c = p.client("Alex Moreno", true);
    p.prepare_fully(&c);
    let t = p.vault.timeline(&c, None, now()).unwrap();
    assert!(!t.dosing_blocked, "{:?}", t.gates);
    assert_eq!(t.next_step.title, "Ready for the first dosing");
    let dosing = p.book(&c, SessionKind::Dosing, "2026-12-01", None).unwrap();
    let t = p.vault.timeline(&c, None, now()).unwrap();
    let s = t.sessions.iter().find(|s| s.id == dosing).unwrap();
    assert_eq!(s.duration_min, 180, "dosing sessions default to 3 hours");
    assert_eq!(s.label, "Dosing 1");
    assert!(
        t.next_step
            .title
            .starts_with("Dosing 1 on Tuesday 1 December 2026"),
        "{}",
        t.next_step.title
    );
}

#[test]
fn the_release_of_information_is_a_check_before_the_first_dosing_and_closes_when_recorded() {
    use kapdesk_core::model::client::ReleaseOfInformation;
    let mut p = Practice::new();
    let c = p.client("Sky Okonkwo", true);
    p.prepare_fully(&c);
    // Everything else in place: only the release stands between the client and dosing 1.
    let mut rows = p.vault.timeline(&c, None, now()).unwrap();
    assert!(!rows.dosing_blocked);
    let recorded = rows.release_of_information.take().unwrap();
    assert_eq!(recorded.recipient, "Watershed Healing Collective (Dr. Lee)");

    let c = p.client("Noor Haddad", true);
    // prepare_fully without the release: the same steps, done by hand.
    for date in ["2026-10-28", "2026-11-04", "2026-11-11", "2026-11-18"] {
        let s = p.book(&c, SessionKind::Preparation, date, None).unwrap();
        p.complete(&s);
    }
    p.vault
        .record_clearance(
            &c,
            kapdesk_core::model::session::Clearance {
                clinician: "Dr. Lee".into(),
                organisation: "Watershed Healing Collective".into(),
                cleared_on: "2026-11-10".into(),
                valid_until: "2027-05-10".into(),
            },
            "clearance-noor",
            now(),
        )
        .unwrap();
    p.vault
        .record_prescription(
            &c,
            kapdesk_core::model::session::Prescription {
                medication: "Ketamine".into(),
                route: "sublingual troche".into(),
                dose: "as prescribed".into(),
                prescriber: "Dr. Lee".into(),
                prescribed_on: "2026-11-12".into(),
                ..Default::default()
            },
            "rx-noor",
            now(),
        )
        .unwrap();
    p.sign_consent(&c, "2026-11-18");
    p.give_baseline(&c, "2026-11-18");
    let t = p.vault.timeline(&c, None, now()).unwrap();
    let open: Vec<&str> = t
        .gates
        .iter()
        .filter(|g| g.open)
        .map(|g| g.title.as_str())
        .collect();
    assert_eq!(open, ["Release of information"]);
    let err = p
        .book(&c, SessionKind::Dosing, "2026-12-01", None)
        .unwrap_err();
    assert!(err.to_string().contains("Release of information"), "{err}");

    // A release that ends before it was signed, or signed in the future, is refused.
    let release = |signed_on: &str, valid_until: &str| ReleaseOfInformation {
        recipient: "Watershed Healing Collective".into(),
        may_share: "Screening, progress, dosing records and safety concerns".into(),
        signed_on: signed_on.into(),
        valid_until: valid_until.into(),
    };
    let e = p
        .vault
        .record_release_of_information(&c, release("2026-11-20", "2026-11-01"), "r0", now())
        .unwrap_err();
    assert!(e.to_string().contains("cannot end before"), "{e}");
    let e = p
        .vault
        .record_release_of_information(&c, release("2026-12-20", ""), "r0", now())
        .unwrap_err();
    assert!(e.to_string().contains("in the future"), "{e}");

    // Recorded, but ending before the dosing: still open, and it says why.
    p.vault
        .record_release_of_information(&c, release("2026-11-20", "2026-11-30"), "r1", now())
        .unwrap();
    let err = p
        .book(&c, SessionKind::Dosing, "2026-12-01", None)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Release of information (valid only until Monday 30 November 2026"),
        "{err}"
    );

    // A release valid on the day closes the check, and the booking goes through.
    p.vault
        .record_release_of_information(&c, release("2026-11-21", ""), "r2", now())
        .unwrap();
    let t = p.vault.timeline(&c, None, now()).unwrap();
    let gate = t
        .gates
        .iter()
        .find(|g| g.kind == GateKind::ReleaseOfInformation)
        .unwrap();
    assert!(!gate.open);
    assert_eq!(gate.detail, "Signed Saturday 21 November 2026");
    assert!(!t.dosing_blocked);
    p.book(&c, SessionKind::Dosing, "2026-12-01", None).unwrap();
}

#[test]
fn an_override_needs_a_written_reason_which_is_kept_and_shown() {
    let mut p = Practice::new();
    let c = p.client("Robin Park", true);
    assert!(matches!(
        p.book(&c, SessionKind::Dosing, "2026-12-01", Some("   ")),
        Err(Error::GatesOpen { .. })
    ));
    let s = p
        .book(
            &c,
            SessionKind::Dosing,
            "2026-12-01",
            Some("Prescriber confirmed clearance by phone; letter follows."),
        )
        .unwrap();
    let t = p.vault.timeline(&c, None, now()).unwrap();
    let booked = t.sessions.iter().find(|x| x.id == s).unwrap();
    assert_eq!(
        booked.gate_override.as_deref(),
        Some("Prescriber confirmed clearance by phone; letter follows.")
    );
    let audit = p
        .vault
        .info()
        .unwrap()
        .tables
        .into_iter()
        .find(|t| t.table == "audit_log")
        .unwrap();
    assert!(audit.rows >= 2, "the override is in the audit trail");
}

#[test]
fn the_timeline_walks_from_preparation_to_the_integration_after_the_first_dosing() {
    let mut p = Practice::new();
    let c = p.client("Casey Nguyen", true);
    let t = p.vault.timeline(&c, None, now()).unwrap();
    assert_eq!(t.next_step.title, "Book preparation session 1");
    assert_eq!(
        (t.track[0].label.as_str(), t.track[0].detail.as_str()),
        ("Preparation", "0 of 4 completed")
    );
    assert_eq!(t.track.len(), 7, "preparation and six dosings");
    assert!(
        t.gates
            .iter()
            .any(|g| g.kind == GateKind::PreparationSessions && g.open)
    );

    p.prepare_fully(&c);
    // Dosing on Monday 23 November, completed; today is Wednesday 25th.
    let d = p.book(&c, SessionKind::Dosing, "2026-11-23", None).unwrap();
    p.complete(&d);
    let t = p.vault.timeline(&c, None, now()).unwrap();
    assert_eq!(t.phase_label, "Integration after dosing 1 of 6");
    let step = &t.track[1];
    assert_eq!(
        (step.state, step.detail.as_str()),
        (
            kapdesk_core::model::timeline::StepState::Current,
            "Integration to book"
        )
    );
    let check = &t.integration[0];
    assert_eq!(check.state, IntegrationState::NotBooked);
    assert_eq!(
        (check.window_start.to_string(), check.window_end.to_string()),
        ("2026-11-25".into(), "2026-11-26".into())
    );
    assert_eq!(
        t.next_step.title,
        "Book the integration session for dosing 1"
    );
    let suggestion = t.next_step.suggestion.as_ref().unwrap();
    assert_eq!(
        (suggestion.kind, suggestion.date.as_str()),
        (SessionKind::Integration, "2026-11-25")
    );

    // Booking it inside the window clears the flag.
    p.book(&c, SessionKind::Integration, "2026-11-26", None)
        .unwrap();
    let t = p.vault.timeline(&c, None, now()).unwrap();
    assert_eq!(t.integration[0].state, IntegrationState::Booked);
    let step = t.track.iter().find(|s| s.label == "Dosing 1").unwrap();
    assert_eq!(step.detail, "Integration booked");
}

#[test]
fn a_session_still_to_come_cannot_be_marked_completed() {
    let mut p = Practice::new();
    let c = p.client("Drew Kim", true);
    let s = p
        .book(&c, SessionKind::Preparation, "2026-12-02", None)
        .unwrap();
    let err = p
        .vault
        .set_session_status(&s, SessionStatus::Completed, now())
        .unwrap_err();
    assert!(err.to_string().contains("still to come"), "{err}");
    // Cancelling is fine.
    p.vault
        .set_session_status(&s, SessionStatus::Cancelled, now())
        .unwrap();
}

#[test]
fn times_are_booked_in_the_practice_zone_across_daylight_saving_changes() {
    let mut p = Practice::new();
    let c = p.client("Eden Walsh", true);
    // 14 March 2027, 02:30 does not exist in New York (clocks jump 02:00 → 03:00).
    let id = p.id("session");
    let err = p
        .vault
        .book_session(
            BookingRequest {
                client_id: c.clone(),
                kind: SessionKind::Preparation,
                date: "2027-03-14".into(),
                time: "02:30".into(),
                duration_min: None,
                location: String::new(),
                override_reason: None,
            },
            &id,
            now(),
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("time"));
    assert!(err.to_string().contains("clocks go forward"), "{err}");

    // Across the change the wall time stays what was booked, and ordering follows
    // real time: 10:00 EST on 13 March is before 10:00 EDT on 14 March.
    let before = p
        .book(&c, SessionKind::Preparation, "2027-03-13", None)
        .unwrap();
    let after = p
        .book(&c, SessionKind::Preparation, "2027-03-14", None)
        .unwrap();
    let t = p.vault.timeline(&c, None, now()).unwrap();
    let ids: Vec<&str> = t.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, [before.as_str(), after.as_str()]);
    assert!(
        t.sessions
            .iter()
            .all(|s| s.time == "10:00" && s.time_zone == "America/New_York")
    );
}

#[test]
fn impossible_or_future_dates_are_refused_with_the_field_named() {
    let mut p = Practice::new();
    let bad = ClientDetails {
        legal_name: "Frankie Obi".into(),
        date_of_birth: "1990-02-30".into(),
        ..Default::default()
    };
    let err = p.vault.add_client(bad, "c1", "k1", now()).unwrap_err();
    assert_eq!(err.field(), Some("dateOfBirth"));
    assert_eq!(err.to_string(), "February 1990 has no day 30.");

    let future = ClientDetails {
        legal_name: "Frankie Obi".into(),
        date_of_birth: "2027-01-01".into(),
        ..Default::default()
    };
    assert!(
        p.vault
            .add_client(future, "c1", "k1", now())
            .unwrap_err()
            .to_string()
            .contains("future")
    );

    let empty = ClientDetails::default();
    assert_eq!(
        p.vault
            .add_client(empty, "c1", "k1", now())
            .unwrap_err()
            .field(),
        Some("legalName")
    );

    let c = p.client("Gray Hale", true);
    let err = p
        .book(&c, SessionKind::Preparation, "2026-11-31", None)
        .unwrap_err();
    assert_eq!(
        (err.field(), err.to_string().as_str()),
        (Some("date"), "November 2026 has no day 31.")
    );
}

#[test]
fn the_dashboard_shows_today_this_week_and_who_needs_action() {
    let mut p = Practice::new();
    // Today's session and one later this week.
    let a = p.client("Harper Quinn", true);
    p.book(&a, SessionKind::Preparation, "2026-11-25", None)
        .unwrap();
    p.book(&a, SessionKind::Preparation, "2026-11-28", None)
        .unwrap();
    // A dosing booked with gates open (override) is not flagged; one booked then left
    // with a gate open is.
    let b = p.client("Indigo Shaw", true);
    p.prepare_fully(&b);
    let d = p.book(&b, SessionKind::Dosing, "2026-11-20", None).unwrap();
    p.complete(&d);
    // A week old dosing with no integration: strongly overdue.
    let c = p.client("Jules Tran", true);
    p.prepare_fully(&c);
    let d = p.book(&c, SessionKind::Dosing, "2026-11-23", None).unwrap();
    p.complete(&d);

    // Last seen 40 days ago with nothing booked; a follow-up 10 days ago keeps
    // another client off the list.
    let quiet = p.client("Kit Lowe", true);
    let s = p
        .book(&quiet, SessionKind::Preparation, "2026-10-16", None)
        .unwrap();
    p.complete(&s);
    let seen = p.client("Lane Ortiz", true);
    let s = p
        .book(&seen, SessionKind::FollowUp, "2026-11-15", None)
        .unwrap();
    p.complete(&s);
    // Lane's follow-up note was started and never signed.
    let mut draft = p.vault.note(&s).unwrap();
    draft.sections[0].text = "Check-in; sleeping better.".into();
    p.vault
        .save_note_draft(
            &s,
            kapdesk_core::model::notes::NoteDraft {
                format: draft.format,
                sections: draft.sections,
            },
            now(),
        )
        .unwrap();

    let dash = p.vault.dashboard(now()).unwrap();
    assert_eq!(dash.today.len(), 1);
    assert_eq!(dash.today[0].client_name, "Harper Quinn");
    assert_eq!(dash.week.len(), 1);
    assert_eq!(dash.week[0].session.date, "2026-11-28");
    let kinds: Vec<(String, String)> = dash
        .needs_action
        .iter()
        .map(|a| (a.client_name.clone(), format!("{:?}", a.kind)))
        .collect();
    assert!(
        kinds.contains(&("Indigo Shaw".into(), "IntegrationOverdue".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("Jules Tran".into(), "IntegrationNotBooked".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("Kit Lowe".into(), "NoRecentSession".into())),
        "{kinds:?}"
    );
    assert!(
        !kinds
            .iter()
            .any(|(n, k)| n == "Lane Ortiz" && k != "NoteUnsigned"),
        "{kinds:?}"
    );
    // Lane's follow-up ten days ago has a draft note: it is flagged, with the session.
    let unsigned = dash
        .needs_action
        .iter()
        .find(|a| a.client_name == "Lane Ortiz")
        .unwrap();
    assert_eq!(format!("{:?}", unsigned.kind), "NoteUnsigned");
    assert!(unsigned.session_id.is_some());
    assert!(
        unsigned
            .message
            .contains("follow-up session on Sunday 15 November 2026 is not signed"),
        "{}",
        unsigned.message
    );
    // Indigo has several completed sessions without a signed note: one line, the oldest.
    let indigo: Vec<_> = dash
        .needs_action
        .iter()
        .filter(|a| a.client_name == "Indigo Shaw" && format!("{:?}", a.kind) == "NoteUnsigned")
        .collect();
    assert_eq!(indigo.len(), 1, "{indigo:?}");
    assert!(
        indigo[0].message.contains(
            "session notes are not written or not signed; the oldest is for the preparation session on"
        ),
        "{}",
        indigo[0].message
    );
}

#[test]
fn clients_are_searched_filtered_sorted_archived_and_only_deleted_deliberately() {
    let mut p = Practice::new();
    let a = p.client("Zoë Ångström", true);
    let b = p.client("Ana Núñez", true);
    p.book(&a, SessionKind::Preparation, "2026-11-27", None)
        .unwrap();
    p.book(&b, SessionKind::Preparation, "2026-12-05", None)
        .unwrap();

    fn names_in(v: &Vault, q: &ClientQuery) -> Vec<String> {
        v.list_clients(q, now())
            .unwrap()
            .into_iter()
            .map(|c| c.legal_name)
            .collect()
    }
    macro_rules! names {
        ($q:expr) => {
            names_in(&p.vault, $q)
        };
    }
    assert_eq!(
        names!(&ClientQuery::default()),
        ["Ana Núñez", "Zoë Ångström"]
    );
    let by_next = ClientQuery {
        sort: ClientSort::NextSession,
        ..Default::default()
    };
    assert_eq!(names!(&by_next), ["Zoë Ångström", "Ana Núñez"]);
    let search = ClientQuery {
        search: "núñ".into(),
        ..Default::default()
    };
    assert_eq!(names!(&search), ["Ana Núñez"]);
    let inquiry = ClientQuery {
        status: Some(ClientStatus::Inquiry),
        ..Default::default()
    };
    assert!(names!(&inquiry).is_empty());

    p.vault.set_client_archived(&a, true, now()).unwrap();
    assert_eq!(names!(&ClientQuery::default()), ["Ana Núñez"]);
    let all = ClientQuery {
        include_archived: true,
        ..Default::default()
    };
    assert_eq!(names!(&all).len(), 2);
    assert!(
        p.book(&a, SessionKind::Preparation, "2026-12-01", None)
            .is_err(),
        "no booking for archived clients"
    );

    let pass = Passphrase::new(practice::PASS);
    let err = p
        .vault
        .delete_client_permanently(&b, "ana nunez", &pass, now())
        .unwrap_err();
    assert_eq!(err.field(), Some("confirmName"));
    let err = p
        .vault
        .delete_client_permanently(&b, "Ana Núñez", &Passphrase::new("a guess"), now())
        .unwrap_err();
    assert_eq!(err.field(), Some("passphrase"));
    assert!(err.to_string().contains("Nothing was deleted"), "{err}");
    assert!(p.vault.client(&b).is_ok());
    p.vault
        .delete_client_permanently(&b, "Ana Núñez", &pass, now())
        .unwrap();
    assert!(p.vault.client(&b).is_err());
    assert_eq!(p.vault.find_client("zoë").unwrap().id, a);
}

#[test]
fn a_new_course_starts_with_its_gates_open_again() {
    let mut p = Practice::new();
    let c = p.client("Kai Lund", true);
    p.prepare_fully(&c);
    assert!(!p.vault.timeline(&c, None, now()).unwrap().dosing_blocked);
    let course = p.id("course");
    let second = p
        .vault
        .start_course(&c, &course, now() + Duration::days(200))
        .unwrap();
    assert_eq!(second.number, 2);
    let t = p.vault.timeline(&c, None, now()).unwrap();
    assert_eq!(t.courses.len(), 2);
    assert!(t.dosing_blocked);
    assert!(t.sessions.is_empty());
}

#[test]
fn the_dashboard_names_the_next_dosing_whatever_order_they_were_booked_in() {
    let mut p = Practice::new();
    let c = p.client("Noor Haddad", true);
    p.prepare_fully(&c);
    // The later one first: the dashboard must not take booking order for date order.
    p.book(&c, SessionKind::Dosing, "2026-12-10", None).unwrap();
    p.book(&c, SessionKind::Dosing, "2026-12-03", None).unwrap();
    p.vault
        .withdraw_consent(&c, "2026-11-24", "Client asked to pause.", "w-1", now())
        .unwrap();

    let dash = p.vault.dashboard(now()).unwrap();
    let gate = dash
        .needs_action
        .iter()
        .find(|a| {
            a.client_name == "Noor Haddad" && format!("{:?}", a.kind) == "GateOpenBeforeDosing"
        })
        .unwrap_or_else(|| panic!("{:?}", dash.needs_action));
    assert_eq!(
        gate.message,
        "Dosing 1 on Thursday 3 December 2026 is booked, but still needed before dosing: informed consent."
    );
    // The withdrawal blocks the later dosing already booked too, on the dashboard and
    // on the timeline.
    let later: Vec<&str> = dash
        .needs_action
        .iter()
        .filter(|a| a.client_name == "Noor Haddad" && a.message.starts_with("Dosing 2 on"))
        .map(|a| a.message.as_str())
        .collect();
    assert_eq!(later.len(), 1, "{:?}", dash.needs_action);
    assert!(later[0].contains("informed consent"), "{}", later[0]);
    let t = p.vault.timeline(&c, None, now()).unwrap();
    assert!(t.dosing_blocked);
    assert_eq!(
        t.warnings
            .iter()
            .filter(|w| w.contains("still needed before dosing: informed consent"))
            .count(),
        2,
        "{:?}",
        t.warnings
    );
}

#[test]
fn a_booked_session_moves_to_another_day_the_move_is_kept_and_a_dosing_is_checked_again() {
    let mut p = Practice::new();
    let c = p.client("Ines Moreau", true);
    p.prepare_fully(&c);
    let prep = p
        .book(&c, SessionKind::Preparation, "2026-12-02", None)
        .unwrap();
    let moved = p
        .vault
        .move_session(&prep, "2026-12-04", "14:30", None, now())
        .unwrap();
    assert_eq!(
        (moved.session.date.as_str(), moved.session.time.as_str()),
        ("2026-12-04", "14:30")
    );
    assert_eq!(
        p.vault.session_moves(&prep).unwrap(),
        ["from Wednesday 2 December 2026 at 10:00 to Friday 4 December 2026 at 14:30"]
    );

    // An impossible date is a sentence, and nothing moves.
    let err = p
        .vault
        .move_session(&prep, "2026-02-30", "10:00", None, now())
        .unwrap_err();
    assert_eq!(err.field(), Some("date"));
    assert_eq!(p.vault.session_moves(&prep).unwrap().len(), 1);

    // A completed session stays where it happened.
    let done = p
        .book(&c, SessionKind::Preparation, "2026-11-20", None)
        .unwrap();
    p.complete(&done);
    let err = p
        .vault
        .move_session(&done, "2026-11-21", "10:00", None, now())
        .unwrap_err();
    assert!(
        err.to_string().contains("only a session still to come"),
        "{err}"
    );

    // A dosing moved past the clearance's end is refused with what is needed; with a
    // written reason it moves, and the reason stays on the record.
    let d = p.book(&c, SessionKind::Dosing, "2026-12-01", None).unwrap();
    let late = "2027-09-01";
    let err = p
        .vault
        .move_session(&d, late, "10:00", None, now())
        .unwrap_err();
    let Error::GatesOpen { gates } = &err else {
        panic!("expected GatesOpen, got {err:?}");
    };
    assert!(
        gates[0]
            == "Medical clearance (valid only until Monday 10 May 2027, before Wednesday 1 September 2027)",
        "{gates:?}"
    );
    let ok = p
        .vault
        .move_session(
            &d,
            late,
            "10:00",
            Some("Renewal requested; arrives before the day.".into()),
            now(),
        )
        .unwrap();
    assert_eq!(
        ok.session.gate_override.as_deref(),
        Some("Renewal requested; arrives before the day.")
    );
    assert!(
        ok.warnings[0].contains("medical clearance"),
        "{:?}",
        ok.warnings
    );
}

#[test]
fn a_completion_made_by_mistake_is_undone_with_its_reason_and_the_trail_keeps_it() {
    let mut p = Practice::new();
    let c = p.client("Noor Haddad", true);
    let prep = p
        .book(&c, SessionKind::Preparation, "2026-11-20", None)
        .unwrap();
    p.complete(&prep);
    let offered = |p: &Practice| {
        p.vault
            .timeline(&c, None, now())
            .unwrap()
            .sessions
            .into_iter()
            .find(|x| x.id == prep)
            .unwrap()
            .can_reopen
    };
    assert!(offered(&p), "the timeline offers to undo it");

    // Straight back to booked is refused: the way back asks why.
    let err = p
        .vault
        .set_session_status(&prep, SessionStatus::Scheduled, now())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("undo the completion with a written reason"),
        "{err}"
    );
    let err = p.vault.reopen_session(&prep, " ", now()).unwrap_err();
    assert!(
        err.to_string()
            .contains("Write why the completion is undone")
    );

    let s = p
        .vault
        .reopen_session(
            &prep,
            "Marked on the wrong row; she comes next week.",
            now(),
        )
        .unwrap();
    assert_eq!(s.status, SessionStatus::Scheduled);
    assert_eq!(
        s.reopen_reason.as_deref(),
        Some("Marked on the wrong row; she comes next week.")
    );
    let timeline = p.vault.timeline(&c, None, now()).unwrap();
    let shown = timeline.sessions.iter().find(|x| x.id == prep).unwrap();
    assert_eq!(
        shown.status,
        SessionStatus::Scheduled,
        "the timeline shows it booked"
    );
    assert!(shown.reopen_reason.is_some(), "and why");
    assert!(!offered(&p), "nothing to undo once booked again");
    let raw = rusqlite::Connection::open(p.vault.path()).unwrap();
    raw.pragma_update(None, "key", practice::PASS).unwrap();
    let audited: String = raw
        .query_row(
            "SELECT detail FROM audit_log WHERE event = 'session_reopened'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, prep);
}

#[test]
fn booking_a_dosing_offers_its_integration_in_the_window_until_one_is_booked() {
    let mut p = Practice::new();
    let c = p.client("Ilse Brandt", true);
    p.prepare_fully(&c);
    let req = |kind, date: &str| BookingRequest {
        client_id: c.clone(),
        kind,
        date: date.into(),
        time: "13:00".into(),
        duration_min: None,
        location: String::new(),
        override_reason: None,
    };
    let booked = p
        .vault
        .book_session(req(SessionKind::Dosing, "2026-12-01"), "d1", now())
        .unwrap();
    let offer = booked
        .integration_offer
        .expect("its integration is offered");
    assert_eq!(offer.booking.kind, SessionKind::Integration);
    assert_eq!(offer.booking.date, "2026-12-03");
    assert_eq!(offer.booking.time, "13:00");
    assert!(
        offer
            .sentence
            .starts_with("Integration after Dosing 1 is due from Thursday 3 December 2026"),
        "{}",
        offer.sentence
    );

    let integration = p
        .vault
        .book_session(
            req(SessionKind::Integration, &offer.booking.date),
            "i1",
            now(),
        )
        .unwrap();
    assert!(
        integration.integration_offer.is_none(),
        "only a dosing offers one"
    );
    // Moved a day later, the dosing's integration is still in its window: nothing offered.
    let moved = p
        .vault
        .move_session("d1", "2026-12-02", "13:00", None, now())
        .unwrap();
    assert!(moved.integration_offer.is_none());
    // Moved past it, the window moves too and the integration is offered again.
    let moved = p
        .vault
        .move_session("d1", "2026-12-04", "13:00", None, now())
        .unwrap();
    assert_eq!(moved.integration_offer.unwrap().booking.date, "2026-12-06");
}

#[test]
fn a_prescription_that_ends_blocks_a_dosing_after_its_last_day() {
    use kapdesk_core::model::session::Prescription;
    let mut p = Practice::new();
    let c = p.client("Wren Abara", true);
    p.prepare_fully(&c);
    let rx = Prescription {
        medication: "Ketamine".into(),
        route: "sublingual troche".into(),
        dose: "200 mg".into(),
        prescriber: "Dr. Lee".into(),
        prescribed_on: "2026-11-20".into(),
        valid_until: "2026-12-10".into(),
        ..Default::default()
    };
    p.vault
        .record_prescription(&c, rx.clone(), "rx-2", now())
        .unwrap();
    let t = p.vault.timeline(&c, None, now()).unwrap();
    assert_eq!(t.prescription.unwrap().valid_until, "2026-12-10");
    assert!(
        p.book(&c, SessionKind::Dosing, "2026-12-10", None).is_ok(),
        "its last day"
    );
    let err = p
        .book(&c, SessionKind::Dosing, "2026-12-14", None)
        .unwrap_err();
    let Error::GatesOpen { gates } = &err else {
        panic!("expected GatesOpen, got {err:?}");
    };
    assert_eq!(
        gates[0],
        "Prescription on file (valid only until Thursday 10 December 2026, before Monday 14 December 2026)"
    );
    let bad = Prescription {
        valid_until: "2026-11-01".into(),
        ..rx
    };
    let err = p
        .vault
        .record_prescription(&c, bad, "rx-3", now())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot end before the day it was written"),
        "{err}"
    );
}
