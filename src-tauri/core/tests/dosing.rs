//! A dosing day through the vault: the start checks, the medication as prescribed,
//! vitals and their validation, adverse events, the discharge rule, and the handout.

use kapdesk_core::model::dosing::{
    AdverseEventInput, AdverseEventKind, DosingCheck, DosingPlan, DosingSettings, Medication,
    PromptState, Route, Severity, VitalsInput, VitalsPhase,
};
use kapdesk_core::model::session::Prescription;
use kapdesk_core::{Error, PracticeSettings, SessionKind, SessionStatus};

#[path = "support/pdf.rs"]
mod pdf;
#[path = "support/practice.rs"]
mod practice;
use pdf::{extracted_words, qpdf_check};
use practice::{Practice, now};

/// A client ready to dose, a dosing session on Monday 23 November 2026 at 10:00 and an
/// integration booked for Thursday 26th.
fn dosing_day(name: &str) -> (Practice, String, String) {
    let mut p = Practice::new();
    let settings = PracticeSettings {
        therapist_name: "Dr. Maya Okafor".into(),
        credentials: "LMFT".into(),
        practice_name: "Blue Ridge Healing Arts".into(),
        address: "12 Main Street\nAsheville, NC 28801".into(),
        phone: "828-555-0100".into(),
        medical_team_name: "Watershed Healing Collective".into(),
        medical_team_phone: "828-555-0199".into(),
        ..p.vault.settings().unwrap()
    };
    p.vault.save_settings(settings, now()).unwrap();
    let c = p.client(name, true);
    p.prepare_fully(&c);
    let d = p.book(&c, SessionKind::Dosing, "2026-11-23", None).unwrap();
    (p, c, d)
}

fn vitals(at: &str, phase: VitalsPhase, s: i64, d: i64, hr: i64) -> VitalsInput {
    VitalsInput {
        at: at.into(),
        phase,
        blood_pressure: format!("{s}/{d}"),
        heart_rate: hr,
        spo2: Some(98),
    }
}

#[test]
fn a_dosing_day_from_arrival_to_discharge() {
    let (mut p, _c, d) = dosing_day("Casey Nguyen");
    let v = &mut p.vault;
    let r = v.dosing_record(&d).unwrap();
    assert_eq!(r.ride_name, "Sam Rivera", "the client's usual ride home");
    assert_eq!(r.start_checks.len(), 6, "the six start checks are listed");
    assert!(r.start_checks.iter().all(|c| c.at.is_none()));
    assert_eq!(
        r.discharge_missing,
        [
            "a reading of vital signs before discharge",
            "effects have subsided",
            "steady on feet",
            "ride home is here",
            "the discharge time"
        ]
    );

    for c in DosingCheck::START {
        v.set_dosing_check(&d, c, Some("09:55"), now()).unwrap();
    }
    v.save_medication(
        &d,
        Medication {
            name: "Ketamine".into(),
            route: Some(Route::Sublingual),
            dose_per_unit_mg: Some(100.0),
            units: Some(2.0),
            taken_at: Some("10:12".into()),
            ..Default::default()
        },
        now(),
    )
    .unwrap();
    v.add_vitals(
        &d,
        vitals("10:05", VitalsPhase::PreDose, 128, 82, 74),
        "v1",
        now(),
    )
    .unwrap();
    v.add_vitals(
        &d,
        vitals("10:50", VitalsPhase::During, 138, 88, 80),
        "v2",
        now(),
    )
    .unwrap();
    v.add_adverse_event(
        &d,
        AdverseEventInput {
            at: "10:40".into(),
            kind: AdverseEventKind::Nausea,
            severity: Severity::Mild,
            description: String::new(),
            action: "Ginger tea and a bowl within reach; settled in 10 minutes.".into(),
            prescriber_informed_at: None,
        },
        "e1",
        now(),
    )
    .unwrap();

    // Completing before discharge is refused, and the message says what is missing.
    let err = v
        .set_session_status(&d, SessionStatus::Completed, now())
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("cannot be marked completed before the discharge checklist is done")
            && msg.contains("a reading of vital signs before discharge")
            && msg.contains("steady on feet")
            && msg.contains("the discharge time"),
        "{msg}"
    );

    v.add_vitals(
        &d,
        vitals("12:50", VitalsPhase::Discharge, 124, 80, 72),
        "v3",
        now(),
    )
    .unwrap();
    v.set_dosing_check(&d, DosingCheck::EffectsSubsided, Some("12:55"), now())
        .unwrap();
    v.set_dosing_check(&d, DosingCheck::SteadyOnFeet, Some("12:55"), now())
        .unwrap();
    v.set_dosing_check(&d, DosingCheck::RidePresent, Some("13:00"), now())
        .unwrap();
    assert!(
        v.set_session_status(&d, SessionStatus::Completed, now())
            .is_err(),
        "the time is still missing"
    );
    let r = v.set_discharge_time(&d, Some("13:02"), now()).unwrap();
    assert!(r.discharge_missing.is_empty());
    v.set_session_status(&d, SessionStatus::Completed, now())
        .unwrap();

    let r = v.dosing_record(&d).unwrap();
    assert!(r.locked);
    assert_eq!(
        r.vitals.iter().map(|v| v.at.as_str()).collect::<Vec<_>>(),
        ["10:05", "10:50", "12:50"],
        "a time series, in order"
    );
    assert_eq!(r.events[0].kind, AdverseEventKind::Nausea);
    assert_eq!(
        r.medication.summary().unwrap(),
        "Ketamine 100 mg \u{00d7} 2 (200 mg in all), sublingual (tablet or troche), taken at 10:12"
    );
    // A completed day's record is closed; corrections go in the note's addendum.
    let err = v
        .add_vitals(
            &d,
            vitals("13:10", VitalsPhase::During, 120, 80, 70),
            "v4",
            now(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("addendum"), "{err}");

    // Closed for good: the status never leaves completed, through the app or beside it.
    for to in [
        SessionStatus::Scheduled,
        SessionStatus::Cancelled,
        SessionStatus::NoShow,
    ] {
        let err = v.set_session_status(&d, to, now()).unwrap_err().to_string();
        assert!(err.contains("completed and closed for good"), "{err}");
    }
    assert_eq!(
        v.dosing_record(&d).unwrap().session.status,
        SessionStatus::Completed
    );
    // An independent SQLCipher connection with the passphrase, as another client would open it.
    let raw = rusqlite::Connection::open(v.path()).unwrap();
    raw.pragma_update(None, "key", practice::PASS).unwrap();
    for sql in [
        "UPDATE sessions SET status = 'scheduled' WHERE id = ?1",
        "UPDATE sessions SET starts_utc = '2026-11-24T15:00:00+00:00' WHERE id = ?1",
        "DELETE FROM sessions WHERE id = ?1",
        "UPDATE dosing_records SET dose_per_unit_mg = 500 WHERE session_id = ?1",
        "DELETE FROM dosing_vitals WHERE session_id = ?1",
        "DELETE FROM dosing_events WHERE session_id = ?1",
        "UPDATE dosing_checks SET checked_at = '09:00' WHERE session_id = ?1",
        "INSERT INTO dosing_vitals (id, session_id, taken_at, phase, systolic, diastolic, heart_rate)
         VALUES ('x', ?1, '13:30', 'during', 120, 80, 70)",
    ] {
        let err = raw.execute(sql, [&d]).unwrap_err().to_string();
        assert!(err.contains("closed") || err.contains("cannot be deleted"), "{sql}: {err}");
    }
    let r = v.dosing_record(&d).unwrap();
    assert_eq!(r.vitals.len(), 3, "nothing was removed");
    assert_eq!(r.events.len(), 1);
}

#[test]
fn impossible_vitals_are_refused_and_nothing_is_stored() {
    let (mut p, _c, d) = dosing_day("Casey Nguyen");
    let err = p
        .vault
        .add_vitals(
            &d,
            vitals("10:05", VitalsPhase::PreDose, 400, 20, 74),
            "v1",
            now(),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Invalid {
            field: "bloodPressure",
            ..
        }
    ));
    assert!(err.to_string().contains("400/20 is not a possible reading"));
    let err = p
        .vault
        .add_vitals(
            &d,
            vitals("25:00", VitalsPhase::PreDose, 120, 80, 74),
            "v1",
            now(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("is not a time"), "{err}");
    assert!(p.vault.dosing_record(&d).unwrap().vitals.is_empty());
}

#[test]
fn a_pre_dose_reading_above_the_practice_threshold_warns() {
    let (mut p, _c, d) = dosing_day("Casey Nguyen");
    p.vault
        .add_vitals(
            &d,
            vitals("10:05", VitalsPhase::PreDose, 146, 92, 80),
            "v1",
            now(),
        )
        .unwrap();
    // No threshold by default: no warning.
    assert!(p.vault.dosing_record(&d).unwrap().warnings.is_empty());
    p.vault
        .save_dosing_settings(
            DosingSettings {
                bp_systolic_max: Some(140),
                bp_diastolic_max: Some(90),
                ..DosingSettings::default()
            },
            now(),
        )
        .unwrap();
    let w = p.vault.dosing_record(&d).unwrap().warnings;
    assert_eq!(w.len(), 1);
    assert!(w[0].contains("146/92") && w[0].contains("140/90"), "{w:?}");
}

#[test]
fn only_dosing_sessions_have_a_dosing_record_and_other_sessions_complete_as_before() {
    let (mut p, c, _d) = dosing_day("Casey Nguyen");
    let i = p
        .book(&c, SessionKind::Integration, "2026-11-24", None)
        .unwrap();
    let err = p.vault.dosing_record(&i).unwrap_err();
    assert!(err.to_string().contains("not a dosing session"), "{err}");
    p.vault
        .set_session_status(&i, SessionStatus::Completed, now())
        .unwrap();
}

#[test]
fn the_handout_is_personal_and_names_the_day_the_ride_the_intention_and_the_integration() {
    let (mut p, c, d) = dosing_day("Casey Nguyen");
    // Addressed by the name they use; identified by legal name and date of birth.
    let mut details = p.vault.client(&c).unwrap().details;
    details.preferred_name = "Cass".into();
    details.date_of_birth = "1988-03-14".into();
    p.vault.update_client(&c, details, now()).unwrap();
    p.vault
        .save_dosing_plan(
            &d,
            DosingPlan {
                intentions: "To meet my grief with curiosity instead of fear.".into(),
                ride_name: "Jordan Nguyen".into(),
                ride_phone: "828-555-0142".into(),
            },
            now(),
        )
        .unwrap();
    // Before the integration is booked, the handout says when it will be.
    let text = extracted_words(&p.vault.dosing_handout(&d, now()).unwrap());
    assert!(
        text.contains("We will book your integration session for 2 to 3 days after"),
        "{text}"
    );
    p.book(&c, SessionKind::Integration, "2026-11-26", None)
        .unwrap();
    let pdf = p.vault.dosing_handout(&d, now()).unwrap();
    let text = extracted_words(&pdf);
    for expected in [
        "Dear Cass,",
        "Casey Nguyen (Cass), born Monday 14 March 1988",
        "Monday 23 November 2026",
        "10:00",
        "Jordan Nguyen will drive you home. Their phone: 828-555-0142.",
        "To meet my grief with curiosity instead of fear.",
        "Your integration session is on Thursday 26 November 2026 at 10:00.",
        "as instructed by your prescriber",
        "Do not drive, cycle or use machinery until after a full night's sleep.",
        "arrive 10 to 15 minutes early",
        "Dr. Maya Okafor, LMFT: 828-555-0100",
        "Watershed Healing Collective: 828-555-0199",
        "988",
        "911",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("{{"), "an unfilled placeholder: {text}");
    let (doc, _) = p.vault.dosing_handout_document(&d, now()).unwrap();
    let (pages, outside) = kapdesk_core::print::pdf::inspect(&doc).unwrap();
    assert!(pages <= 2, "{pages} pages");
    assert!(outside.is_empty(), "{outside:#?}");
    qpdf_check(p.dir.path(), "handout.pdf", &pdf);
}

/// The old default's blanket list, which contradicted the prescriber for a client on a
/// daily benzodiazepine or opioid.
const BLANKET_LIST: &str = "avoid alcohol, cannabis, benzodiazepines, opioids";

#[test]
fn the_handout_gives_the_prescriber_s_medication_instructions_or_says_to_change_nothing() {
    // No instructions recorded: the default sentence, never a list of drugs to avoid.
    let (mut p, c, d) = dosing_day("Rowan Ellis");
    let text = extracted_words(&p.vault.dosing_handout(&d, now()).unwrap());
    assert!(
        text.contains("Do not stop or change any medicine unless your prescriber has told you to."),
        "{text}"
    );
    assert!(!text.contains(BLANKET_LIST), "{text}");
    assert!(!text.to_lowercase().contains("benzodiazepine"), "{text}");
    for expected in [
        "Do not take your ketamine medicine before you arrive: bring it with you, and we take it together.",
        "Please do not eat for 4 hours before the session, and drink only clear liquids (water, clear tea) until 2 hours before, as instructed by your prescriber.",
        "until after a full night's sleep",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // 911 comes first, before the list of whom to call.
    let first = text
        .find("Chest pain, trouble breathing or fainting: call 911 first.")
        .expect("the 911 line");
    let therapist = text.find("Your therapist, Dr. Maya Okafor").unwrap();
    assert!(first < therapist, "{text}");

    // The prescriber's instructions for this client replace the default sentence.
    p.vault
        .record_prescription(
            &c,
            Prescription {
                medication: "Ketamine".into(),
                route: "sublingual troche".into(),
                dose: "as prescribed: 200 mg".into(),
                prescriber: "Dr. Lee".into(),
                prescribed_on: "2026-11-20".into(),
                medication_instructions: "Skip your evening clonazepam the night before.\nTake your sertraline as usual on the morning of the session.".into(),
                ..Default::default()
            },
            "rx-instructions",
            now(),
        )
        .unwrap();
    let pdf = p.vault.dosing_handout(&d, now()).unwrap();
    let text = extracted_words(&pdf);
    for expected in [
        "What your prescriber, Dr. Lee, asked you to do with your medicines:",
        "Skip your evening clonazepam the night before.",
        "Take your sertraline as usual on the morning of the session.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("Do not stop or change any medicine"),
        "{text}"
    );
    assert!(!text.contains(BLANKET_LIST), "{text}");
    let (doc, _) = p.vault.dosing_handout_document(&d, now()).unwrap();
    let (pages, outside) = kapdesk_core::print::pdf::inspect(&doc).unwrap();
    assert!(pages <= 2, "{pages} pages");
    assert!(outside.is_empty(), "{outside:#?}");
    qpdf_check(p.dir.path(), "handout-instructions.pdf", &pdf);
}

#[test]
fn a_sixty_character_name_and_a_long_intention_still_fit_on_two_pages_inside_the_margins() {
    let name = "Maximiliana Alexandrovna Wolfeschlegelsteinhausen-Bergerdorff";
    assert_eq!(name.chars().count(), 61);
    let name = &name[..60];
    let (mut p, _c, d) = dosing_day(name);
    let intention = "To let the part of me that has been holding everything together for so long rest for a while, and to listen, without judging, to what it has to say about the years after my father's illness, my move across the country, and the work I keep saying I will leave. ".repeat(3);
    p.vault
        .save_dosing_plan(
            &d,
            DosingPlan {
                intentions: intention.trim().into(),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    for paper in [kapdesk_core::PaperSize::Letter, kapdesk_core::PaperSize::A4] {
        let settings = PracticeSettings {
            paper_size: paper,
            ..p.vault.settings().unwrap()
        };
        p.vault.save_settings(settings, now()).unwrap();
        let (doc, _) = p.vault.dosing_handout_document(&d, now()).unwrap();
        let (pages, outside) = kapdesk_core::print::pdf::inspect(&doc).unwrap();
        assert!(pages <= 2, "{paper:?}: {pages} pages");
        assert!(outside.is_empty(), "{paper:?}: {outside:#?}");
        let pdf = p.vault.dosing_handout(&d, now()).unwrap();
        let text = extracted_words(&pdf);
        assert!(text.contains(name), "the full name prints");
        assert!(text.contains("what it has to say about the years"));
        qpdf_check(p.dir.path(), &format!("handout-long-{paper:?}.pdf"), &pdf);
    }
}

#[test]
fn without_a_ride_home_the_handout_is_refused_before_printing() {
    let mut p = Practice::new();
    let settings = PracticeSettings {
        phone: "828-555-0100".into(),
        ..p.vault.settings().unwrap()
    };
    p.vault.save_settings(settings, now()).unwrap();
    let c = p.client("Robin Park", true);
    p.prepare_fully(&c);
    let client = p.vault.client(&c).unwrap();
    let mut details = client.details.clone();
    details.ride_home = Default::default();
    p.vault.update_client(&c, details, now()).unwrap();
    let d = p
        .book(
            &c,
            SessionKind::Dosing,
            "2026-11-23",
            Some("ride arranged by phone"),
        )
        .unwrap();
    let err = p.vault.dosing_handout(&d, now()).unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot be printed yet: add the ride-home person"),
        "{err}"
    );
}

#[test]
fn a_template_with_an_unknown_placeholder_is_refused_and_the_default_comes_back() {
    let (mut p, _c, _d) = dosing_day("Casey Nguyen");
    let default = p.vault.handout_template().unwrap();
    let edited = default.replace("{{ride_phone}}", "{{ride_fone}}");
    let err = p
        .vault
        .save_handout_template(Some(&edited), now())
        .unwrap_err();
    assert!(err.to_string().contains("{{ride_fone}}"), "{err}");
    let edited = default.replace("Your dosing day", "Your session day");
    p.vault.save_handout_template(Some(&edited), now()).unwrap();
    assert!(
        p.vault
            .handout_template()
            .unwrap()
            .contains("Your session day")
    );
    p.vault.save_handout_template(None, now()).unwrap();
    assert_eq!(p.vault.handout_template().unwrap(), default);
}

#[test]
fn opening_the_dosing_day_checks_again_what_is_needed_now() {
    let (mut p, c, d) = dosing_day("Rosa Delgado");
    let r = p.vault.dosing_record(&d).unwrap();
    assert!(r.still_needed.is_empty(), "{:?}", r.still_needed);
    // The client withdraws consent after the booking: the day's screen says so.
    p.vault
        .withdraw_consent(&c, "2026-11-20", "Wants to pause.", "w-1", now())
        .unwrap();
    let r = p.vault.dosing_record(&d).unwrap();
    assert_eq!(
        r.still_needed
            .iter()
            .map(|g| g.title.as_str())
            .collect::<Vec<_>>(),
        ["Informed consent"]
    );
    assert!(r.still_needed[0].detail.contains("withdrawn"));
}

#[test]
fn a_reading_removed_before_completion_is_gone_and_the_trail_says_which() {
    let (mut p, _c, d) = dosing_day("Noa Levi");
    let v = &mut p.vault;
    v.add_vitals(
        &d,
        vitals("10:05", VitalsPhase::PreDose, 128, 82, 74),
        "v1",
        now(),
    )
    .unwrap();
    let r = v.remove_vitals(&d, "v1", now()).unwrap();
    assert!(r.vitals.is_empty());
    let raw = rusqlite::Connection::open(v.path()).unwrap();
    raw.pragma_update(None, "key", practice::PASS).unwrap();
    let detail: String = raw
        .query_row(
            "SELECT detail FROM audit_log WHERE event = 'dosing_vitals_removed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(detail, format!("{d} reading v1 at 10:05 (before the dose)"));
}

fn ketamine(per_unit: f64, units: f64, reason: &str) -> Medication {
    Medication {
        name: "Ketamine".into(),
        route: Some(Route::Sublingual),
        dose_per_unit_mg: Some(per_unit),
        units: Some(units),
        taken_at: Some("10:12".into()),
        difference_reason: reason.into(),
        ..Default::default()
    }
}

#[test]
fn a_dose_that_differs_from_the_prescription_needs_its_reason_before_completing() {
    let (mut p, _c, d) = dosing_day("Rae Lindqvist");
    let r = p.vault.dosing_record(&d).unwrap();
    let rx = r.prescribed.expect("the prescription on file is shown");
    assert_eq!(rx.dose, "as prescribed: 200 mg");
    assert!(
        r.prescription_differences.is_empty(),
        "nothing recorded yet"
    );

    // 150 mg x 2 = 300 mg against "200 mg": kept as typed (nothing typed is lost), with
    // the difference named and a standing warning.
    let r = p
        .vault
        .save_medication(&d, ketamine(150.0, 2.0, ""), now())
        .unwrap();
    assert_eq!(
        r.prescription_differences,
        ["Dose: prescribed \u{201c}as prescribed: 200 mg\u{201d}, recorded 300 mg in all."]
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("Write why under")),
        "{:?}",
        r.warnings
    );
    // Discharge is not held up by paperwork, but completing the session is.
    p.complete_discharge(&d);
    let err = p
        .vault
        .set_session_status(&d, SessionStatus::Completed, now())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("until the reason the medication differs from the prescription is written"),
        "{err}"
    );

    let v = &mut p.vault;
    let reason = "Prescriber raised it by phone at 09:40 (Dr. Lee).";
    let r = v
        .save_medication(&d, ketamine(150.0, 2.0, reason), now())
        .unwrap();
    assert_eq!(r.prescription_differences.len(), 1, "still shown");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let lines = r.summary_lines().join("\n");
    assert!(
        lines.contains("differs from the prescription on file; reason: Prescriber raised it"),
        "{lines}"
    );

    // As prescribed: no reason is asked, and none is kept.
    let r = v
        .save_medication(&d, ketamine(100.0, 2.0, "left over"), now())
        .unwrap();
    assert!(r.prescription_differences.is_empty());
    assert_eq!(r.medication.difference_reason, "");
    assert!(
        r.summary_lines()
            .join("\n")
            .contains("Medication (as prescribed)")
    );

    v.save_medication(&d, ketamine(150.0, 2.0, reason), now())
        .unwrap();
    v.set_session_status(&d, SessionStatus::Completed, now())
        .unwrap();
}

#[test]
fn a_moderate_adverse_event_names_when_the_prescriber_was_informed() {
    let (mut p, _c, d) = dosing_day("Ines Moreau");
    let v = &mut p.vault;
    let mut event = AdverseEventInput {
        at: "10:40".into(),
        kind: AdverseEventKind::RaisedBp,
        severity: Severity::Moderate,
        description: "168/104 at 40 minutes".into(),
        action: "Rested, re-measured at 10:50: 150/95".into(),
        prescriber_informed_at: None,
    };
    let err = v
        .add_adverse_event(&d, event.clone(), "e1", now())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("moderate adverse event is reported to the prescriber"),
        "{err}"
    );
    assert!(v.dosing_record(&d).unwrap().events.is_empty());
    event.prescriber_informed_at = Some("25:00".into());
    assert!(v.add_adverse_event(&d, event.clone(), "e1", now()).is_err());
    event.prescriber_informed_at = Some("10:45".into());
    let r = v.add_adverse_event(&d, event, "e1", now()).unwrap();
    assert_eq!(r.events[0].severity, Some(Severity::Moderate));
    let lines = r.summary_lines().join("\n");
    assert!(
        lines.contains("Raised blood pressure: 168/104 at 40 minutes (moderate)")
            && lines.contains("Prescriber informed at 10:45."),
        "{lines}"
    );
}

#[test]
fn discharge_waits_for_a_reading_before_discharge_unless_the_practice_relaxes_it() {
    let (mut p, _c, d) = dosing_day("Tomas Berg");
    let v = &mut p.vault;
    let err = v.discharge(&d, "13:00", now()).unwrap_err().to_string();
    assert!(err.contains("cannot be discharged yet"), "{err}");
    assert!(v.dosing_record(&d).unwrap().discharged_at.is_none());
    assert!(v.set_discharge_time(&d, Some("13:00"), now()).is_err());

    let relaxed = DosingSettings {
        discharge_reading_required: false,
        ..v.dosing_settings().unwrap()
    };
    v.save_dosing_settings(relaxed, now()).unwrap();
    let r = v.discharge(&d, "13:00", now()).unwrap();
    assert!(r.discharge_missing.is_empty(), "{:?}", r.discharge_missing);
}

#[test]
fn the_watch_times_the_dose_and_asks_for_the_forty_minute_reading() {
    let (mut p, _c, d) = dosing_day("Lena Kowalczyk");
    let v = &mut p.vault;
    // 23 November 2026 in New York (UTC-5).
    let at =
        |h, m| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, h, m, 0).unwrap();
    let w = v.dosing_watch(&d, at(15, 0)).unwrap();
    assert!(w.live);
    assert_eq!(w.due_now, ["Vital signs are due now: before the dose."]);

    v.add_vitals(
        &d,
        vitals("10:05", VitalsPhase::PreDose, 128, 82, 74),
        "v1",
        now(),
    )
    .unwrap();
    v.save_medication(&d, ketamine(100.0, 2.0, ""), now())
        .unwrap();
    let w = v.dosing_watch(&d, at(15, 30)).unwrap();
    assert_eq!(
        w.since_dose.as_deref(),
        Some("18 minutes since the dose (taken at 10:12)")
    );
    assert!(w.due_now.is_empty());
    assert_eq!(w.prompts[1].state, PromptState::Upcoming);

    let w = v.dosing_watch(&d, at(15, 52)).unwrap();
    assert_eq!(
        w.due_now,
        ["Vital signs are due now: about 40 minutes after the dose (10:52)."]
    );
    v.add_vitals(
        &d,
        vitals("10:53", VitalsPhase::During, 136, 86, 80),
        "v2",
        now(),
    )
    .unwrap();
    let w = v.dosing_watch(&d, at(15, 54)).unwrap();
    assert!(w.due_now.is_empty(), "{:?}", w.due_now);
    assert_eq!(w.prompts[1].done_at.as_deref(), Some("10:53"));

    // The next day nothing is live: the record is being completed afterwards.
    let w = v.dosing_watch(&d, now()).unwrap();
    assert!(!w.live && w.since_dose.is_none() && w.due_now.is_empty());
}
