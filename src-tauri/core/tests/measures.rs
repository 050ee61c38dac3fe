//! Outcome measures through the vault: scoring on the way in, the PHQ-9 item 9 safety
//! flag that stays until answered, the baseline check before the first dosing, due
//! measures on the timeline and dashboard, and the CSV export.

use kapdesk_core::model::measures::{
    FilledBy, MeasureSchedule, NewAdministration, SafetyPlanAction, SafetyResponseInput,
};
use kapdesk_core::model::protocol::GateKind;
use kapdesk_core::model::timeline::ActionKind;
use kapdesk_core::{Error, SessionKind};

#[path = "support/practice.rs"]
mod practice;
use practice::{Practice, now};
#[path = "support/pdf.rs"]
mod pdf;

fn form(client: &str, instrument: &str, date: &str, answers: &[u32]) -> NewAdministration {
    NewAdministration {
        client_id: client.into(),
        instrument: instrument.into(),
        date: date.into(),
        session_id: None,
        filled_by: FilledBy::Therapist,
        answers: answers.iter().map(|a| Some(*a)).collect(),
    }
}

#[test]
fn a_phq9_with_item_9_above_zero_raises_a_flag_that_stays_until_the_response() {
    let mut p = Practice::new();
    let c = p.client("Ada Okafor", true);
    let id = p.id("measure");
    let m = p
        .vault
        .record_measure(
            form(&c, "phq9", "2026-11-24", &[2, 2, 1, 1, 1, 1, 1, 1, 1]),
            &id,
            now(),
        )
        .unwrap();
    // 2+2+1+1+1+1+1+1+1 = 11, scored in Rust.
    assert_eq!(m.administration.total, 11);
    assert_eq!(m.administration.band, "Moderate");
    assert!(m.administration.flag_open());

    // On the dashboard, first, and on the timeline, each time they are read.
    for _ in 0..2 {
        let d = p.vault.dashboard(now()).unwrap();
        let first = &d.needs_action[0];
        assert_eq!(first.kind, ActionKind::SafetyFlag);
        assert_eq!(first.administration_id.as_deref(), Some(id.as_str()));
        assert!(first.message.contains("item 9"), "{}", first.message);
        let t = p.vault.timeline(&c, None, now()).unwrap();
        assert_eq!(t.safety_flags.len(), 1);
        assert!(t.warnings[0].starts_with("Safety flag: PHQ-9 item 9"));
    }
    // A later PHQ-9 with item 9 at 0 does not clear it.
    let later = p.id("measure");
    p.vault
        .record_measure(
            form(&c, "phq9", "2026-11-25", &[1, 1, 1, 1, 1, 1, 1, 1, 0]),
            &later,
            now(),
        )
        .unwrap();
    assert_eq!(p.vault.open_safety_flags(Some(&c)).unwrap().len(), 1);

    // An empty note is refused; the response closes the flag, once.
    let empty = p.vault.record_safety_response(
        &id,
        SafetyResponseInput {
            risk_note: "  ".into(),
            safety_plan: SafetyPlanAction::Made,
        },
        now(),
    );
    assert_eq!(empty.unwrap_err().field(), Some("riskNote"));
    let note = "Passive thoughts most days, no plan or intent; reviewed reasons to live.";
    let answered = p
        .vault
        .record_safety_response(
            &id,
            SafetyResponseInput {
                risk_note: note.into(),
                safety_plan: SafetyPlanAction::Made,
            },
            now(),
        )
        .unwrap();
    assert!(!answered.administration.flag_open());
    assert!(p.vault.open_safety_flags(None).unwrap().is_empty());
    let d = p.vault.dashboard(now()).unwrap();
    assert!(
        d.needs_action
            .iter()
            .all(|a| a.kind != ActionKind::SafetyFlag)
    );
    let again = p.vault.record_safety_response(
        &id,
        SafetyResponseInput {
            risk_note: "changed my mind".into(),
            safety_plan: SafetyPlanAction::NotNeeded,
        },
        now(),
    );
    assert!(
        again
            .unwrap_err()
            .to_string()
            .starts_with("A response to this safety flag is already on record")
    );

    // The audit trail names the measure, never its content.
    let audit = p.vault.audit_entries(None).unwrap();
    let events: Vec<&str> = audit.iter().map(|e| e.event.as_str()).collect();
    assert!(events.contains(&"measure_recorded"));
    assert!(events.contains(&"safety_response_recorded"));
    assert!(audit.iter().all(|e| !e.detail.contains("Passive")));
}

#[test]
fn a_form_out_of_range_incomplete_or_in_the_future_is_refused_with_a_sentence() {
    let mut p = Practice::new();
    let c = p.client("Ada Okafor", true);
    let id = p.id("measure");
    let err = p
        .vault
        .record_measure(
            form(&c, "gad7", "2026-11-24", &[0, 1, 2, 3, 4, 0, 0]),
            &id,
            now(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Question 5 of the GAD-7 was answered 4; its answers run from 0 (Not at all) to 3 (Nearly every day)."
    );
    let mut half = form(&c, "gad7", "2026-11-24", &[0, 1, 2, 3, 0, 0, 0]);
    half.answers[6] = None;
    assert_eq!(
        p.vault
            .record_measure(half, &id, now())
            .unwrap_err()
            .to_string(),
        "Question 7 of the GAD-7 is not answered yet."
    );
    let err = p
        .vault
        .record_measure(form(&c, "gad7", "2026-12-24", &[0; 7]), &id, now())
        .unwrap_err();
    assert_eq!(err.field(), Some("date"));
    assert!(
        p.vault.measures(&c).unwrap().is_empty(),
        "nothing was stored"
    );
}

#[test]
fn a_baseline_on_file_is_a_check_before_the_first_dosing_unless_the_practice_turns_it_off() {
    let mut p = Practice::new();
    let c = p.client("Ada Okafor", true);
    p.prepare_fully(&c);
    let c2 = p.client("Bo Lindqvist", true);
    for date in ["2026-10-28", "2026-11-04", "2026-11-11", "2026-11-18"] {
        let s = p.book(&c2, SessionKind::Preparation, date, None).unwrap();
        p.complete(&s);
    }
    // prepare_fully gave Ada a baseline; Bo has everything else but no measures.
    p.sign_consent(&c2, "2026-11-18");
    let ada = p.vault.timeline(&c, None, now()).unwrap();
    let gate = ada
        .gates
        .iter()
        .find(|g| g.kind == GateKind::BaselineMeasures)
        .unwrap();
    assert!(!gate.open);
    assert_eq!(gate.detail, "Baseline on file: PHQ-9, GAD-7 and PCL-5");

    // A dosing today needs the baseline; the refusal names what is missing.
    let err = p
        .book(&c2, SessionKind::Dosing, "2026-11-25", None)
        .unwrap_err();
    let Error::GatesOpen { gates } = &err else {
        panic!("{err:?}");
    };
    assert!(
        gates
            .contains(&"Baseline measures (no baseline PHQ-9, GAD-7 and PCL-5 on file)".to_owned()),
        "{gates:?}"
    );
    let t = p.vault.timeline(&c2, None, now()).unwrap();
    assert_eq!(t.measures_due.len(), 1);
    assert_eq!(
        t.measures_due[0].message,
        "PHQ-9, GAD-7 and PCL-5 are due as a baseline before the first dosing."
    );
    // The dashboard lists a baseline once the first dosing is booked within a week.
    let due = |p: &Practice| {
        p.vault
            .dashboard(now())
            .unwrap()
            .needs_action
            .iter()
            .filter(|a| a.kind == ActionKind::MeasuresDue && a.client_id == c2)
            .count()
    };
    assert_eq!(due(&p), 0);
    p.book(
        &c2,
        SessionKind::Dosing,
        "2026-11-30",
        Some("testing the dashboard"),
    )
    .unwrap();
    assert_eq!(due(&p), 1);

    // The practice may turn the check off; the measures stay due on the timeline.
    p.vault
        .save_measure_schedule(
            MeasureSchedule {
                baseline_required: false,
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    let open: Vec<String> = match p.book(&c2, SessionKind::Dosing, "2026-11-25", None) {
        Err(Error::GatesOpen { gates }) => gates,
        other => panic!("{other:?}"),
    };
    assert!(
        open.iter().all(|g| !g.starts_with("Baseline")),
        "only the clearance and prescription remain: {open:?}"
    );
    assert!(!p.vault.measure_schedule().unwrap().baseline_required);
}

#[test]
fn scores_are_compared_with_the_baseline_and_exported_as_csv() {
    let mut p = Practice::new();
    let c = p.client("Ada Okafor", true);
    p.prepare_fully(&c);
    let id = p.id("measure");
    // Baseline PHQ-9 of prepare_fully: eight items at 1 = 8. Now 3: a 63% drop.
    let m = p
        .vault
        .record_measure(
            form(&c, "phq9", "2026-11-25", &[1, 1, 1, 0, 0, 0, 0, 0, 0]),
            &id,
            now(),
        )
        .unwrap();
    let progress = m.progress.unwrap();
    assert_eq!(progress.baseline_total, 8);
    assert_eq!(progress.percent_drop, Some(63));
    assert!(progress.response && progress.remission);
    let list = p.vault.measures(&c).unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0].instrument_name, "PHQ-9");
    assert!(
        list[0].progress.is_none(),
        "the baseline has nothing to compare with"
    );

    let (csv, rows) = p.vault.measures_csv(now()).unwrap();
    assert_eq!(rows, 4);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(
        lines[4].contains("PHQ-9,2026-11-25,therapist,,1,1,1,0,0,0,0,0,0,"),
        "{}",
        lines[4]
    );
    assert!(lines[4].ends_with(",3,27,Minimal,no,"), "{}", lines[4]);
}

#[test]
fn measures_travel_in_the_json_export_and_the_record_request() {
    use kapdesk_core::model::export::{ExportFormat, ExportRequest};
    let mut p = Practice::new();
    let c = p.client("Ada Okafor", true);
    // A client with measures and no notes still appears in the export.
    p.give_baseline(&c, "2026-11-18");
    let flagged = p.id("measure");
    p.vault
        .record_measure(
            form(&c, "phq9", "2026-11-20", &[2, 2, 2, 1, 2, 1, 2, 1, 1]),
            &flagged,
            now(),
        )
        .unwrap();
    p.vault
        .record_safety_response(
            &flagged,
            SafetyResponseInput {
                risk_note: "Passive thoughts, no plan.".into(),
                safety_plan: SafetyPlanAction::Reviewed,
            },
            now(),
        )
        .unwrap();
    let req = |from: Option<&str>| ExportRequest {
        client_id: None,
        from: from.map(str::to_owned),
        to: None,
        format: ExportFormat::Json,
        include_psychotherapy_notes: false,
    };
    let data = p.vault.collect_notes(&req(None), now()).unwrap();
    assert_eq!(data.clients.len(), 1);
    let measures = &data.clients[0].measures;
    assert_eq!(measures.len(), 4);
    assert_eq!(measures[3].instrument_name, "PHQ-9");
    assert_eq!(measures[3].total, 14);
    assert_eq!(measures[3].answers, [2, 2, 2, 1, 2, 1, 2, 1, 1]);
    assert!(measures[3].safety_response.is_some());
    let json = serde_json::to_value(&data).unwrap();
    assert_eq!(json["clients"][0]["measures"][3]["maxTotal"], 27);
    assert_eq!(json["clients"][0]["measures"][3]["filledBy"], "therapist");
    // The date range applies to measures too.
    let later = p
        .vault
        .collect_notes(&req(Some("2026-11-19")), now())
        .unwrap();
    assert_eq!(later.clients[0].measures.len(), 1);

    let pdf = p.vault.record_request(&c, now()).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "Outcome measures",
        "Friday 20 November 2026: PHQ-9 14 of 27 (Moderate), read aloud by the therapist",
        "safety plan reviewed on",
        "risk note: Passive thoughts, no plan.",
        "Wednesday 18 November 2026: PCL-5 20 of 80",
        "No progress notes are recorded.",
    ] {
        assert!(flat.contains(words), "{words} missing from: {flat}");
    }
}

/// A course with two dosings and falling scores, as the prescriber's letter shows it.
fn course_with_two_dosings(p: &mut Practice) -> String {
    use kapdesk_core::model::dosing::{
        AdverseEventInput, AdverseEventKind, Medication, Route, Severity, VitalsInput, VitalsPhase,
    };
    let c = p.client("Morgan Ashby-Whitfield", true);
    p.prepare_all_but_the_baseline(&c);
    p.vault
        .save_settings(
            kapdesk_core::PracticeSettings {
                therapist_name: "Dr. Maya Okafor".into(),
                credentials: "PhD, LPC".into(),
                practice_name: "Blue Ridge Healing Arts".into(),
                address: "12 Main St, Asheville NC 28801".into(),
                phone: "828-555-0100".into(),
                medical_team_name: "Watershed Healing Collective".into(),
                ..p.vault.settings().unwrap()
            },
            now(),
        )
        .unwrap();
    let give = |p: &mut Practice, id: &str, on: &str, answers: &[u32]| {
        let m = p.id("measure");
        p.vault
            .record_measure(form(&c, id, on, answers), &m, now())
            .unwrap();
    };
    // The baseline: the last one before the first dosing.
    give(p, "phq9", "2026-11-18", &[2, 2, 2, 2, 2, 2, 2, 2, 0]); // 16
    give(p, "gad7", "2026-11-18", &[2, 2, 2, 2, 2, 1, 1]); // 12
    give(p, "pcl5", "2026-11-18", &[2; 20]); // 40
    let dose = |p: &mut Practice, date: &str, bp: (i64, i64, i64), event: bool| {
        let d = p.book(&c, SessionKind::Dosing, date, None).unwrap();
        p.vault
            .save_medication(
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
        let v = p.id("vitals");
        p.vault
            .add_vitals(
                &d,
                VitalsInput {
                    at: "10:05".into(),
                    phase: VitalsPhase::PreDose,
                    blood_pressure: format!("{}/{}", bp.0, bp.1),
                    heart_rate: bp.2,
                    spo2: None,
                },
                &v,
                now(),
            )
            .unwrap();
        if event {
            let e = p.id("event");
            p.vault
                .add_adverse_event(
                    &d,
                    AdverseEventInput {
                        at: "10:40".into(),
                        kind: AdverseEventKind::Nausea,
                        severity: Severity::Mild,
                        description: String::new(),
                        action: "Ginger tea; settled in 10 minutes.".into(),
                        prescriber_informed_at: None,
                    },
                    &e,
                    now(),
                )
                .unwrap();
        }
        p.complete(&d);
    };
    dose(p, "2026-11-19", (128, 82, 74), false);
    let i = p
        .book(&c, SessionKind::Integration, "2026-11-21", None)
        .unwrap();
    p.complete(&i);
    give(p, "phq9", "2026-11-21", &[1, 1, 1, 1, 2, 1, 1, 2, 0]); // 10
    give(p, "gad7", "2026-11-21", &[1, 1, 1, 1, 2, 1, 1]); // 8
    dose(p, "2026-11-23", (134, 86, 80), true);
    give(p, "phq9", "2026-11-25", &[1, 0, 1, 1, 1, 0, 1, 0, 0]); // 5
    give(p, "gad7", "2026-11-25", &[1, 0, 1, 1, 1, 0, 0]); // 4
    c
}

#[test]
fn the_progress_letter_holds_the_course_the_scores_and_a_chart_and_passes_qpdf() {
    let mut p = Practice::new();
    let c = course_with_two_dosings(&mut p);
    let refused = p.vault.progress_letter(&c, "  ", now());
    assert_eq!(refused.unwrap_err().field(), Some("summary"));
    let summary = "Morgan has engaged fully in preparation and integration. Mood and sleep have improved since the second dosing.";
    let letter = p.vault.progress_letter(&c, summary, now()).unwrap();
    let started = std::time::Instant::now();
    p.vault.progress_letter(&c, summary, now()).unwrap();
    eprintln!("progress letter: {:?} (debug build)", started.elapsed());
    pdf::qpdf_check(p.dir.path(), "progress-letter.pdf", &letter);
    let text = pdf::extracted_words(&letter);
    for words in [
        "Progress report",
        "Dear Dr. Lee,",
        "Preparation: 4 completed",
        "Dosing: 2 completed (19 Nov 2026 to 23 Nov 2026)",
        "Dosing 1, Thursday 19 November 2026",
        "Dosing 2, Monday 23 November 2026",
        "Ketamine",
        "Ketamine 100 mg × 2 (200 mg in all), sublingual",
        "blood pressure 122-128/80-82 mmHg, heart rate 70-74 per minute",
        "Adverse event 10:40 Nausea (mild)",
        "Adverse event",
        "18 Nov 2026 PHQ-9 16 / 27 Moderately severe Baseline",
        "21 Nov 2026 PHQ-9 10 / 27 Moderate 38% lower than 16",
        "25 Nov 2026 PHQ-9 5 / 27 Mild 69% lower than 16 (response)",
        "25 Nov 2026 GAD-7 4 / 21 Minimal 67% lower than 12 (response, remission)",
        "PHQ-9 (depression), 0-27; lower is better",
        "GAD-7 (anxiety), 0-21; lower is better",
        "Remission: a score below 5",
        "Response: 50% below the baseline of 16 (at or below 8.0)",
        summary,
        "Dr. Maya Okafor, PhD, LPC",
        "Blue Ridge Healing Arts",
        "Watershed Healing Collective",
    ] {
        assert!(text.contains(words), "{words:?} missing from: {text}");
    }
    let audit = p.vault.audit_entries(None).unwrap();
    assert_eq!(audit.last().unwrap().event, "progress_letter_printed");
}

#[test]
fn a_long_course_lists_the_baselines_and_the_latest_scores_and_charts_them_all() {
    let mut p = Practice::new();
    let c = course_with_two_dosings(&mut p);
    // 30 weekly PHQ-9s in the months before the course (a client monitored while waiting).
    for week in 0..30i64 {
        let on = (chrono::NaiveDate::from_ymd_opt(2026, 4, 28).unwrap()
            + chrono::Duration::weeks(week))
        .to_string();
        let item = if week == 29 { 0 } else { 1 };
        let m = p.id("measure");
        p.vault
            .record_measure(
                form(&c, "phq9", &on, &[item, item, item, item, 1, 1, 1, 1, 0]),
                &m,
                now(),
            )
            .unwrap_or_else(|e| panic!("{on}: {e}"));
    }
    let letter = p
        .vault
        .progress_letter(&c, "A long course.", now())
        .unwrap();
    let text = pdf::extracted_words(&letter);
    assert!(
        text.contains("The table shows each measure's baseline and the 20 most recent of the"),
        "{text}"
    );
    // Every baseline is still in the table, and a score from before the baseline is
    // never called a response.
    for baseline in [
        "18 Nov 2026 PHQ-9 16 / 27 Moderately severe Baseline",
        "GAD-7 12 / 21 Moderate Baseline",
        "PCL-5 40 / 80",
        "17 Nov 2026 PHQ-9 4 / 27 Minimal Before the baseline; not compared",
    ] {
        assert!(text.contains(baseline), "{baseline} missing: {text}");
    }
    let listed = p.vault.measures(&c).unwrap();
    let early = listed
        .iter()
        .find(|m| m.administration.date == "2026-04-28")
        .unwrap();
    assert!(early.before_baseline && early.progress.is_none());
    pdf::qpdf_check(p.dir.path(), "progress-letter-long.pdf", &letter);
}

#[test]
fn the_charts_hold_each_instruments_scores_bands_lines_and_dosings() {
    let mut p = Practice::new();
    let c = course_with_two_dosings(&mut p);
    let booked = p
        .book(
            &c,
            SessionKind::Dosing,
            "2026-12-03",
            Some("the third dosing"),
        )
        .unwrap();
    let charts = p.vault.measure_charts(&c).unwrap();
    let names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["PHQ-9", "GAD-7", "PCL-5"]);
    let phq9 = &charts[0];
    assert_eq!((phq9.max_total, phq9.higher_is_better), (27, false));
    assert_eq!(phq9.bands.len(), 5);
    let points: Vec<(&str, &str)> = phq9
        .points
        .iter()
        .map(|p| (p.date.as_str(), p.label.as_str()))
        .collect();
    assert_eq!(
        points,
        [
            ("2026-11-18", "16 · Moderately severe"),
            ("2026-11-21", "10 · Moderate"),
            ("2026-11-25", "5 · Mild"),
        ]
    );
    let baseline = phq9.baseline.as_ref().unwrap();
    assert_eq!((baseline.date.as_str(), baseline.total), ("2026-11-18", 16));
    assert!(phq9.points[0].baseline && !phq9.points[1].baseline);
    let response = phq9.response.as_ref().unwrap();
    assert_eq!(response.total, 8);
    assert_eq!(
        response.label,
        "Response: 50% below the baseline of 16 (8 or lower)"
    );
    assert_eq!(phq9.remission.as_ref().unwrap().total, 4);
    let dosings: Vec<(&str, &str, bool)> = phq9
        .dosings
        .iter()
        .map(|d| (d.label.as_str(), d.short_label.as_str(), d.booked))
        .collect();
    assert_eq!(
        dosings,
        [
            ("Dosing 1", "D1", false),
            ("Dosing 2", "D2", false),
            ("Dosing 3", "D3", true)
        ]
    );
    assert_eq!(
        (phq9.from.as_str(), phq9.to.as_str()),
        ("2026-11-18", "2026-12-03")
    );
    assert_eq!(
        phq9.caption,
        "PHQ-9 (depression) in course 1: 3 scores from 18 Nov 2026 to 25 Nov 2026; lower is better."
    );
    // PCL-5 has one score, its baseline.
    let pcl5 = &charts[2];
    assert_eq!(pcl5.points.len(), 1);
    assert!(
        pcl5.caption.contains("1 score on 18 Nov 2026"),
        "{}",
        pcl5.caption
    );
    // A cancelled dosing leaves the charts.
    p.vault
        .set_session_status(&booked, kapdesk_core::SessionStatus::Cancelled, now())
        .unwrap();
    assert_eq!(p.vault.measure_charts(&c).unwrap()[0].dosings.len(), 2);

    // A client with no scores has no chart; an unknown client is a sentence.
    let bo = p.client("Bo Lindqvist", true);
    assert!(p.vault.measure_charts(&bo).unwrap().is_empty());
    assert!(p.vault.measure_charts("nobody").is_err());
}
