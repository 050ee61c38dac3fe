//! The dosing day's rules: which sessions have a dosing record and when it closes, what
//! discharge still needs before the session can be completed, the pre-dose blood
//! pressure warning, whose ride home applies, and when the dosing-day handout may print.
//!
//! Pure functions of the record and the practice's settings; the refusal sentences here
//! are the ones the UI and the tests read, word for word.

use crate::error::{Error, Result};
use crate::model::client::RideHome;
use crate::model::dosing::{
    CheckState, DosingPlan, DosingRecord, DosingSettings, Vitals, VitalsPhase, join_words,
};
use crate::model::session::{SessionKind, SessionStatus, SessionView};

/// Only dosing sessions have a dosing record.
pub fn check_is_dosing(s: &SessionView) -> Result<()> {
    if s.kind != SessionKind::Dosing {
        return Err(Error::invalid(
            "session",
            format!(
                "{} is not a dosing session; only dosing sessions have a dosing record.",
                s.label
            ),
        ));
    }
    Ok(())
}

/// A dosing session's record may be written until the session is completed; then it is
/// closed and corrections go in a note addendum.
pub fn check_record_open(s: &SessionView) -> Result<()> {
    check_is_dosing(s)?;
    if s.status == SessionStatus::Completed {
        return Err(Error::invalid(
            "session",
            format!(
                "{} is completed, so its dosing record is closed. Add a correction as an addendum to the session note.",
                s.label
            ),
        ));
    }
    Ok(())
}

/// A completed dosing session is closed for good: its status never leaves
/// "completed" (the database refuses it too). Other sessions may change status.
pub fn check_status_change(s: &SessionView, to: SessionStatus) -> Result<()> {
    if s.kind == SessionKind::Dosing && s.status == SessionStatus::Completed && to != s.status {
        return Err(closed_for_good(s));
    }
    if s.status == SessionStatus::Completed && to != s.status {
        return Err(Error::invalid(
            "status",
            format!(
                "{} is completed. If it was marked completed by mistake, undo the completion with a written reason (\u{201c}Undo completion\u{201d} on the timeline).",
                s.label
            ),
        ));
    }
    Ok(())
}

fn closed_for_good(s: &SessionView) -> Error {
    Error::invalid(
        "status",
        format!(
            "{} on {} is completed and closed for good; its status cannot change. Add a correction as an addendum to the session note.",
            s.label,
            crate::dates::long_date(s.local_date())
        ),
    )
}

/// A session other than a dosing marked completed by mistake goes back to booked, with
/// a written reason; not once its note is signed (the note says it was held), and never
/// a dosing.
pub fn check_reopen(s: &SessionView, reason: &str) -> Result<()> {
    if s.status != SessionStatus::Completed {
        return Err(Error::invalid(
            "status",
            format!(
                "{} is not marked completed; there is nothing to undo.",
                s.label
            ),
        ));
    }
    if s.kind == SessionKind::Dosing {
        return Err(closed_for_good(s));
    }
    if s.note == crate::model::notes::NoteState::Signed {
        return Err(Error::invalid(
            "status",
            format!(
                "{} has a signed note, which records it as held; its completion cannot be undone. Add a correction as an addendum to the note.",
                s.label
            ),
        ));
    }
    if reason.trim().is_empty() {
        return Err(Error::invalid(
            "reason",
            "Write why the completion is undone (for example, marked on the wrong row); the reason is kept with the session.",
        ));
    }
    Ok(())
}

/// What discharge still needs, in words: the reading before discharge when the
/// practice requires one, each unticked discharge check, then the discharge time.
pub fn discharge_missing(
    discharge_checks: &[CheckState],
    discharged_at: Option<&str>,
    reading_missing: bool,
) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    if reading_missing {
        missing.push(READING_BEFORE_DISCHARGE.into());
    }
    missing.extend(
        discharge_checks
            .iter()
            .filter(|c| c.at.is_none())
            .map(|c| c.label.to_lowercase()),
    );
    if discharged_at.is_none() {
        missing.push("the discharge time".into());
    }
    missing
}

const READING_BEFORE_DISCHARGE: &str = "a reading of vital signs before discharge";

/// Discharge itself waits for the reading before discharge when the practice requires
/// one (Settings can relax this).
pub fn check_discharge_allowed(session: &SessionView, reading_missing: bool) -> Result<()> {
    if !reading_missing {
        return Ok(());
    }
    Err(Error::invalid(
        "discharge",
        format!(
            "{} cannot be discharged yet: record {READING_BEFORE_DISCHARGE} (blood pressure and heart rate, phase \u{201c}before discharge\u{201d}) first. The practice's dosing settings can relax this.",
            session.label
        ),
    ))
}

/// The client must leave safely: a dosing session is completed only after discharge,
/// and only once any difference from the prescription has its reason on the record.
pub fn check_discharged(record: &DosingRecord) -> Result<()> {
    if !record.discharge_missing.is_empty() {
        return Err(Error::invalid(
            "status",
            format!(
                "{} cannot be marked completed before the discharge checklist is done. Still missing: {}.",
                record.session.label,
                join_words(&record.discharge_missing)
            ),
        ));
    }
    if crate::rules::prescription::reason_missing(
        &record.prescription_differences,
        &record.medication.difference_reason,
    ) {
        return Err(Error::invalid(
            "differenceReason",
            format!(
                "{} cannot be marked completed until the reason the medication differs from the prescription is written under Medication.",
                record.session.label
            ),
        ));
    }
    Ok(())
}

/// One warning per pre-dose reading above the practice's threshold (none is set by
/// default); the prescriber decides.
pub fn pre_dose_bp_warnings(vitals: &[Vitals], settings: &DosingSettings) -> Vec<String> {
    let limit = |m: Option<i64>| m.map_or("\u{2013}".into(), |m| m.to_string());
    vitals
        .iter()
        .filter(|v| v.phase == VitalsPhase::PreDose)
        .filter(|v| {
            settings.bp_systolic_max.is_some_and(|m| v.systolic > m)
                || settings.bp_diastolic_max.is_some_and(|m| v.diastolic > m)
        })
        .map(|v| {
            format!(
                "The pre-dose blood pressure at {} ({}/{}) is above the practice threshold of {}/{}. Check with the prescriber before dosing.",
                v.at,
                v.systolic,
                v.diastolic,
                limit(settings.bp_systolic_max),
                limit(settings.bp_diastolic_max),
            )
        })
        .collect()
}

/// The ride home that applies, (name, phone): this day's, else the client's usual person.
pub fn ride_home(plan: &DosingPlan, usual: &RideHome) -> (String, String) {
    if plan.ride_name.is_empty() {
        (usual.name.clone(), usual.phone.clone())
    } else {
        (plan.ride_name.clone(), plan.ride_phone.clone())
    }
}

/// The integration session booked after this dosing and before any later dosing, if
/// any: the one the handout names. `course` is the dosing's course, in order of start.
pub fn next_integration<'a>(
    course: &'a [SessionView],
    dosing: &SessionView,
) -> Option<&'a SessionView> {
    let after = |s: &&SessionView| s.starts_utc > dosing.starts_utc;
    let integration = course
        .iter()
        .filter(after)
        .filter(|s| s.kind == SessionKind::Integration && s.status == SessionStatus::Scheduled)
        .min_by_key(|s| s.starts_utc)?;
    let dosing_between = course.iter().filter(after).any(|d| {
        d.kind == SessionKind::Dosing
            && matches!(
                d.status,
                SessionStatus::Scheduled | SessionStatus::Completed
            )
            && d.starts_utc < integration.starts_utc
    });
    (!dosing_between).then_some(integration)
}

/// The handout prints only for a dosing day that happens, and only with the ride home
/// and the practice's phone on it: a blank on paper is worse than no handout.
pub fn check_handout_printable(record: &DosingRecord, practice_phone: &str) -> Result<()> {
    let session = &record.session;
    if matches!(
        session.status,
        SessionStatus::Cancelled | SessionStatus::NoShow
    ) {
        return Err(Error::invalid(
            "session",
            format!(
                "{} is {}; there is no dosing day to print a handout for.",
                session.label,
                if session.status == SessionStatus::Cancelled {
                    "cancelled"
                } else {
                    "marked missed"
                }
            ),
        ));
    }
    let mut missing = Vec::new();
    if record.ride_name.is_empty() || record.ride_phone.is_empty() {
        missing.push(
            "the ride-home person's name and phone (on the client's record or this dosing day)",
        );
    }
    if practice_phone.is_empty() {
        missing.push("the practice's phone number (in Settings)");
    }
    if !missing.is_empty() {
        return Err(Error::invalid(
            "handout",
            format!(
                "The handout cannot be printed yet: add {} first. It tells the client how they get home and who to call.",
                missing.join(" and ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::dosing::{DosingCheck, Medication};
    use crate::model::notes::NoteState;

    fn session(id: &str, kind: SessionKind, status: SessionStatus, day: u32) -> SessionView {
        SessionView {
            id: id.into(),
            course_id: "k1".into(),
            kind,
            status,
            date: format!("2026-11-{day:02}"),
            time: "13:00".into(),
            time_zone: "America/Los_Angeles".into(),
            duration_min: 180,
            location: String::new(),
            gate_override: None,
            reopen_reason: None,
            label: SessionView::label_for(kind, status, 1),
            note: NoteState::None,
            can_write_note: true,
            can_reopen: false,
            starts_utc: Utc.with_ymd_and_hms(2026, 11, day, 21, 0, 0).unwrap(),
        }
    }

    fn dosing(status: SessionStatus) -> SessionView {
        session("d1", SessionKind::Dosing, status, 10)
    }

    #[test]
    fn a_completed_dosing_never_leaves_completed() {
        for to in [
            SessionStatus::Scheduled,
            SessionStatus::Cancelled,
            SessionStatus::NoShow,
        ] {
            let e = check_status_change(&dosing(SessionStatus::Completed), to)
                .unwrap_err()
                .to_string();
            assert!(e.contains("completed and closed for good"), "{e}");
            assert!(e.contains("addendum"), "{e}");
        }
        assert!(
            check_status_change(&dosing(SessionStatus::Completed), SessionStatus::Completed)
                .is_ok()
        );
        assert!(
            check_status_change(&dosing(SessionStatus::Scheduled), SessionStatus::Cancelled)
                .is_ok()
        );
        // Other sessions are put right only with a reason, through "undo completion".
        let prep = session("p1", SessionKind::Preparation, SessionStatus::Completed, 3);
        let e = check_status_change(&prep, SessionStatus::Scheduled)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("undo the completion with a written reason"),
            "{e}"
        );
    }

    #[test]
    fn undoing_a_completion_needs_a_reason_and_never_reopens_a_dosing_or_a_signed_note() {
        let mut prep = session("p1", SessionKind::Preparation, SessionStatus::Completed, 3);
        assert!(check_reopen(&prep, "Marked on the wrong row").is_ok());
        let e = check_reopen(&prep, "  ").unwrap_err().to_string();
        assert!(e.contains("Write why the completion is undone"), "{e}");
        prep.note = NoteState::Signed;
        let e = check_reopen(&prep, "wrong row").unwrap_err().to_string();
        assert!(e.contains("has a signed note"), "{e}");
        let e = check_reopen(&dosing(SessionStatus::Completed), "wrong row")
            .unwrap_err()
            .to_string();
        assert!(e.contains("closed for good"), "{e}");
        let booked = session("p2", SessionKind::Preparation, SessionStatus::Scheduled, 4);
        assert!(check_reopen(&booked, "x").is_err());
    }

    fn checks(ticked: &[DosingCheck]) -> Vec<CheckState> {
        DosingCheck::DISCHARGE
            .iter()
            .map(|c| CheckState {
                check: *c,
                label: c.label().into(),
                at: ticked.contains(c).then(|| "16:00".to_owned()),
            })
            .collect()
    }

    fn record(status: SessionStatus, ticked: &[DosingCheck], at: Option<&str>) -> DosingRecord {
        let discharge_checks = checks(ticked);
        DosingRecord {
            session: dosing(status),
            client_id: "c1".into(),
            client_name: "Ada".into(),
            client_identity: "Ada, born Monday 1 January 1990".into(),
            plan: DosingPlan::default(),
            ride_name: "Sam".into(),
            ride_phone: "555 0100".into(),
            start_checks: Vec::new(),
            medication: Medication::default(),
            vitals: Vec::new(),
            events: Vec::new(),
            prescribed: None,
            prescription_differences: Vec::new(),
            discharge_missing: discharge_missing(&discharge_checks, at, false),
            discharge_checks,
            discharged_at: at.map(str::to_owned),
            warnings: Vec::new(),
            locked: status == SessionStatus::Completed,
            still_needed: Vec::new(),
        }
    }

    fn reading(phase: VitalsPhase, systolic: i64, diastolic: i64) -> Vitals {
        Vitals {
            id: "v".into(),
            at: "13:05".into(),
            phase,
            systolic,
            diastolic,
            heart_rate: 70,
            spo2: None,
        }
    }

    #[test]
    fn only_an_uncompleted_dosing_session_takes_writes() {
        assert!(check_record_open(&dosing(SessionStatus::Scheduled)).is_ok());
        let e = check_record_open(&dosing(SessionStatus::Completed))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("is completed, so its dosing record is closed. Add a correction as an addendum to the session note."),
            "{e}"
        );
        let prep = session("p1", SessionKind::Preparation, SessionStatus::Scheduled, 3);
        let e = check_is_dosing(&prep).unwrap_err().to_string();
        assert!(
            e.contains("is not a dosing session; only dosing sessions have a dosing record."),
            "{e}"
        );
        assert!(check_record_open(&prep).is_err());
    }

    #[test]
    fn discharge_needs_every_check_and_the_time() {
        let none = checks(&[]);
        assert_eq!(
            discharge_missing(&none, None, true),
            [
                "a reading of vital signs before discharge",
                "effects have subsided",
                "steady on feet",
                "ride home is here",
                "the discharge time"
            ]
        );
        assert!(
            discharge_missing(&checks(&DosingCheck::DISCHARGE), Some("16:05"), false).is_empty()
        );
        assert_eq!(
            discharge_missing(&checks(&DosingCheck::DISCHARGE), None, false),
            ["the discharge time"]
        );
    }

    #[test]
    fn discharge_waits_for_the_reading_before_discharge_when_required() {
        let e = check_discharge_allowed(&dosing(SessionStatus::Scheduled), true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot be discharged yet"), "{e}");
        assert!(e.contains("before discharge"), "{e}");
        assert!(check_discharge_allowed(&dosing(SessionStatus::Scheduled), false).is_ok());
    }

    #[test]
    fn completing_waits_for_discharge_and_names_what_is_missing() {
        let r = record(
            SessionStatus::Scheduled,
            &[DosingCheck::EffectsSubsided],
            None,
        );
        let e = check_discharged(&r).unwrap_err().to_string();
        assert!(
            e.contains(
                "cannot be marked completed before the discharge checklist is done. Still missing: steady on feet, ride home is here and the discharge time."
            ),
            "{e}"
        );
        let done = record(
            SessionStatus::Scheduled,
            &DosingCheck::DISCHARGE,
            Some("16:05"),
        );
        assert!(check_discharged(&done).is_ok());
    }

    #[test]
    fn a_pre_dose_reading_above_either_threshold_warns() {
        let mut s = DosingSettings::default();
        let vitals = [
            reading(VitalsPhase::PreDose, 150, 85),
            reading(VitalsPhase::During, 170, 100),
        ];
        assert!(
            pre_dose_bp_warnings(&vitals, &s).is_empty(),
            "no threshold by default"
        );
        s.bp_systolic_max = Some(140);
        let w = pre_dose_bp_warnings(&vitals, &s);
        assert_eq!(
            w,
            [
                "The pre-dose blood pressure at 13:05 (150/85) is above the practice threshold of 140/\u{2013}. Check with the prescriber before dosing."
            ]
        );
        s.bp_systolic_max = Some(160);
        s.bp_diastolic_max = Some(80);
        assert_eq!(pre_dose_bp_warnings(&vitals, &s).len(), 1);
        s.bp_diastolic_max = Some(90);
        assert!(pre_dose_bp_warnings(&vitals, &s).is_empty());
    }

    #[test]
    fn the_days_ride_overrides_the_usual_one() {
        let usual = RideHome {
            name: "Sam".into(),
            phone: "555 0100".into(),
        };
        let mut plan = DosingPlan::default();
        assert_eq!(ride_home(&plan, &usual), ("Sam".into(), "555 0100".into()));
        plan.ride_name = "Kim".into();
        plan.ride_phone = "555 0199".into();
        assert_eq!(ride_home(&plan, &usual), ("Kim".into(), "555 0199".into()));
    }

    #[test]
    fn the_integration_named_is_the_next_one_before_any_later_dosing() {
        use SessionKind::{Dosing, Integration};
        use SessionStatus::{Cancelled, Scheduled};
        let d = dosing(Scheduled);
        let i1 = session("i1", Integration, Scheduled, 12);
        let gone = session("i0", Integration, Cancelled, 11);
        let before = session("i-", Integration, Scheduled, 9);
        let course = vec![before.clone(), d.clone(), gone.clone(), i1.clone()];
        assert_eq!(
            next_integration(&course, &d).map(|s| s.id.as_str()),
            Some("i1")
        );

        let d2 = session("d2", Dosing, Scheduled, 11);
        let course = vec![d.clone(), d2, i1.clone()];
        assert!(
            next_integration(&course, &d).is_none(),
            "it belongs to the later dosing"
        );

        let d2 = session("d2", Dosing, Cancelled, 11);
        let course = vec![d.clone(), d2, i1];
        assert!(
            next_integration(&course, &d).is_some(),
            "a cancelled dosing does not count"
        );
        assert!(next_integration(&[before, d.clone()], &d).is_none());
    }

    #[test]
    fn the_handout_needs_a_day_a_ride_and_a_phone() {
        let r = record(SessionStatus::Scheduled, &[], None);
        assert!(check_handout_printable(&r, "555 0000").is_ok());
        let e = check_handout_printable(&r, "").unwrap_err().to_string();
        assert!(
            e.contains("The handout cannot be printed yet: add the practice's phone number (in Settings) first."),
            "{e}"
        );
        let mut no_ride = r.clone();
        no_ride.ride_phone.clear();
        let e = check_handout_printable(&no_ride, "")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("add the ride-home person's name and phone (on the client's record or this dosing day) and the practice's phone number (in Settings) first. It tells the client how they get home and who to call."),
            "{e}"
        );
        let cancelled = record(SessionStatus::Cancelled, &[], None);
        let e = check_handout_printable(&cancelled, "555 0000")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("is cancelled; there is no dosing day to print a handout for."),
            "{e}"
        );
        let missed = record(SessionStatus::NoShow, &[], None);
        let e = check_handout_printable(&missed, "555 0000")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is marked missed;"), "{e}");
    }
}
