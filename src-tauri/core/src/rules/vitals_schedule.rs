//! The vital-signs schedule of a dosing in progress: which readings the practice asks
//! for (before the dose, at minutes after it, before discharge), which are recorded,
//! which are due or late at a given moment, and the time since the dose.
//!
//! Pure functions of the settings, the recorded times and `now` (the session's local
//! wall-clock time, or `None` when the session is not today and nothing is live).

use chrono::{NaiveTime, Timelike};

use crate::model::dosing::{
    DosingSettings, DosingWatch, PromptState, Vitals, VitalsPhase, VitalsPrompt,
};

/// A reading taken up to this many minutes before its time answers it.
const EARLY_MIN: i64 = 10;
/// A prompt shows as due from this many minutes before its time...
const DUE_FROM_MIN: i64 = 5;
/// ...until this many after; then it is late.
const LATE_AFTER_MIN: i64 = 15;

fn minutes(t: &str) -> Option<i64> {
    let t = NaiveTime::parse_from_str(t, "%H:%M").ok()?;
    Some(i64::from(t.hour()) * 60 + i64::from(t.minute()))
}

fn hhmm(m: i64) -> String {
    let m = m.rem_euclid(24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn now_minutes(now: NaiveTime) -> i64 {
    i64::from(now.hour()) * 60 + i64::from(now.minute())
}

/// The prompts in the order of the session. `taken_at` is the dose's `HH:MM`.
pub fn prompts(
    settings: &DosingSettings,
    taken_at: Option<&str>,
    vitals: &[Vitals],
    now: Option<NaiveTime>,
) -> Vec<VitalsPrompt> {
    let mut out = Vec::new();
    let first_of = |phase: VitalsPhase| vitals.iter().find(|v| v.phase == phase);

    if settings.vitals_before_dose {
        let done = first_of(VitalsPhase::PreDose);
        out.push(VitalsPrompt {
            phase: VitalsPhase::PreDose,
            label: "Before the dose".into(),
            due_at: None,
            state: if done.is_some() {
                PromptState::Done
            } else if taken_at.is_some() {
                // The dose is taken and no reading came before it: it cannot be made up.
                PromptState::Late
            } else {
                PromptState::Due
            },
            done_at: done.map(|v| v.at.clone()),
        });
    }

    let dose = taken_at.and_then(minutes);
    let during: Vec<&Vitals> = vitals
        .iter()
        .filter(|v| v.phase == VitalsPhase::During)
        .collect();
    let offsets = &settings.vitals_after_dose_minutes;
    for (i, &offset) in offsets.iter().enumerate() {
        let Some(dose) = dose else {
            out.push(VitalsPrompt {
                phase: VitalsPhase::During,
                label: format!("About {offset} minutes after the dose"),
                due_at: None,
                state: PromptState::WaitingForDose,
                done_at: None,
            });
            continue;
        };
        let due = dose + offset;
        // A reading answers the prompt when it falls in its window: from a little before
        // its time until a little before the next prompt's.
        let until = offsets.get(i + 1).map(|next| dose + next - EARLY_MIN);
        let answer = during.iter().find(|v| {
            minutes(&v.at).is_some_and(|at| {
                let at = if at < dose { at + 24 * 60 } else { at };
                at >= due - EARLY_MIN && until.is_none_or(|u| at < u)
            })
        });
        let state = match (answer, now.map(now_minutes)) {
            (Some(_), _) => PromptState::Done,
            (None, None) => PromptState::Late,
            (None, Some(n)) => {
                let n = if n < dose { n + 24 * 60 } else { n };
                if n < due - DUE_FROM_MIN {
                    PromptState::Upcoming
                } else if n <= due + LATE_AFTER_MIN {
                    PromptState::Due
                } else {
                    PromptState::Late
                }
            }
        };
        out.push(VitalsPrompt {
            phase: VitalsPhase::During,
            label: format!("About {offset} minutes after the dose ({})", hhmm(due)),
            due_at: Some(hhmm(due)),
            state,
            done_at: answer.map(|v| v.at.clone()),
        });
    }

    let done = first_of(VitalsPhase::Discharge);
    out.push(VitalsPrompt {
        phase: VitalsPhase::Discharge,
        label: "Before discharge".into(),
        due_at: None,
        state: if done.is_some() {
            PromptState::Done
        } else {
            PromptState::BeforeDischarge
        },
        done_at: done.map(|v| v.at.clone()),
    });
    out
}

/// "42 minutes since the dose (taken at 13:10)"; "1 h 05 min since …" from an hour on.
pub fn since_dose(taken_at: &str, now: NaiveTime) -> Option<String> {
    let dose = minutes(taken_at)?;
    let n = now_minutes(now);
    let elapsed = if n < dose {
        n + 24 * 60 - dose
    } else {
        n - dose
    };
    // A dose recorded a few minutes ahead of the laptop's clock reads as just taken.
    if elapsed > 12 * 60 {
        return Some(format!("Dose recorded for {taken_at}, later than now"));
    }
    let span = match elapsed {
        1 => "1 minute".to_owned(),
        m if m < 60 => format!("{m} minutes"),
        m => format!("{} h {:02} min", m / 60, m % 60),
    };
    Some(format!("{span} since the dose (taken at {taken_at})"))
}

/// The live view: `now` is the session's local time when the session is today and
/// open, else `None` (a record filled in afterwards has nothing live).
pub fn watch(
    settings: &DosingSettings,
    taken_at: Option<&str>,
    vitals: &[Vitals],
    now: Option<NaiveTime>,
    discharged: bool,
) -> DosingWatch {
    let prompts = prompts(settings, taken_at, vitals, now);
    let live = now.is_some() && !discharged;
    let due_now = if live {
        prompts
            .iter()
            .filter(|p| p.phase != VitalsPhase::PreDose || taken_at.is_none())
            .filter_map(|p| match p.state {
                PromptState::Due => Some(format!("Vital signs are due now: {}.", lower(&p.label))),
                PromptState::Late => Some(format!(
                    "Vital signs are late: {}. Take a reading now.",
                    lower(&p.label)
                )),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    DosingWatch {
        live,
        since_dose: match (live, taken_at, now) {
            (true, Some(t), Some(n)) => since_dose(t, n),
            _ => None,
        },
        prompts,
        due_now,
    }
}

fn lower(s: &str) -> String {
    crate::dates::lowercase_first(s)
}

/// Whether discharge must wait for a reading before discharge.
pub fn discharge_reading_missing(settings: &DosingSettings, vitals: &[Vitals]) -> bool {
    settings.discharge_reading_required && !vitals.iter().any(|v| v.phase == VitalsPhase::Discharge)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(at: &str, phase: VitalsPhase) -> Vitals {
        Vitals {
            id: at.into(),
            at: at.into(),
            phase,
            systolic: 120,
            diastolic: 80,
            heart_rate: 70,
            spo2: None,
        }
    }

    fn t(s: &str) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(s, "%H:%M").ok()
    }

    fn states(p: &[VitalsPrompt]) -> Vec<PromptState> {
        p.iter().map(|p| p.state).collect()
    }

    #[test]
    fn the_default_schedule_is_before_forty_minutes_after_and_before_discharge() {
        let s = DosingSettings::default();
        let p = prompts(&s, None, &[], t("13:00"));
        assert_eq!(
            states(&p),
            [
                PromptState::Due,
                PromptState::WaitingForDose,
                PromptState::BeforeDischarge
            ]
        );
        assert_eq!(p[1].label, "About 40 minutes after the dose");
    }

    #[test]
    fn the_forty_minute_reading_is_upcoming_then_due_then_late() {
        let s = DosingSettings::default();
        let v = [reading("13:02", VitalsPhase::PreDose)];
        let at = |now| prompts(&s, Some("13:10"), &v, t(now))[1].state;
        assert_eq!(at("13:30"), PromptState::Upcoming);
        assert_eq!(at("13:45"), PromptState::Due);
        assert_eq!(at("13:50"), PromptState::Due);
        assert_eq!(at("14:05"), PromptState::Due);
        assert_eq!(at("14:06"), PromptState::Late);
        let p = prompts(&s, Some("13:10"), &v, t("13:50"));
        assert_eq!(p[1].label, "About 40 minutes after the dose (13:50)");
        assert_eq!(p[1].due_at.as_deref(), Some("13:50"));
        assert_eq!(p[0].state, PromptState::Done);
    }

    #[test]
    fn a_reading_in_its_window_answers_the_prompt_and_an_early_one_does_not() {
        let s = DosingSettings {
            vitals_after_dose_minutes: vec![40, 90],
            ..Default::default()
        };
        let early = [reading("13:20", VitalsPhase::During)];
        let p = prompts(&s, Some("13:10"), &early, t("13:52"));
        assert_eq!(
            p[1].state,
            PromptState::Due,
            "a reading 10 min after the dose"
        );
        let v = [
            reading("13:48", VitalsPhase::During),
            reading("14:35", VitalsPhase::During),
        ];
        let p = prompts(&s, Some("13:10"), &v, t("14:40"));
        assert_eq!(p[1].state, PromptState::Done);
        assert_eq!(p[1].done_at.as_deref(), Some("13:48"));
        assert_eq!(p[2].state, PromptState::Done);
        assert_eq!(p[2].done_at.as_deref(), Some("14:35"));
    }

    #[test]
    fn a_dose_near_midnight_is_timed_across_it() {
        let s = DosingSettings::default();
        let p = prompts(&s, Some("23:40"), &[], t("00:21"));
        assert_eq!(p[1].due_at.as_deref(), Some("00:20"));
        assert_eq!(p[1].state, PromptState::Due);
        assert_eq!(
            since_dose("23:40", t("00:21").unwrap()).unwrap(),
            "41 minutes since the dose (taken at 23:40)"
        );
    }

    #[test]
    fn time_since_the_dose_reads_plainly() {
        let n = t("14:15").unwrap();
        assert_eq!(
            since_dose("14:14", n).unwrap(),
            "1 minute since the dose (taken at 14:14)"
        );
        assert_eq!(
            since_dose("13:10", n).unwrap(),
            "1 h 05 min since the dose (taken at 13:10)"
        );
        assert_eq!(
            since_dose("14:20", n).unwrap(),
            "Dose recorded for 14:20, later than now"
        );
    }

    #[test]
    fn the_banner_names_what_is_due_only_while_the_session_is_live() {
        let s = DosingSettings::default();
        let v = [reading("13:02", VitalsPhase::PreDose)];
        let w = watch(&s, Some("13:10"), &v, t("13:50"), false);
        assert!(w.live);
        assert_eq!(
            w.due_now,
            ["Vital signs are due now: about 40 minutes after the dose (13:50)."]
        );
        assert_eq!(
            w.since_dose.as_deref(),
            Some("40 minutes since the dose (taken at 13:10)")
        );
        // Filled in the next day: nothing is live, the missing reading shows as missed.
        let w = watch(&s, Some("13:10"), &v, None, false);
        assert!(!w.live && w.due_now.is_empty() && w.since_dose.is_none());
        assert_eq!(w.prompts[1].state, PromptState::Late);
        // Discharged: the banner stops.
        assert!(
            watch(&s, Some("13:10"), &v, t("13:50"), true)
                .due_now
                .is_empty()
        );
    }

    #[test]
    fn a_missing_pre_dose_reading_is_late_once_the_dose_is_taken_but_no_banner_asks_for_it() {
        let s = DosingSettings::default();
        let w = watch(&s, Some("13:10"), &[], t("13:20"), false);
        assert_eq!(w.prompts[0].state, PromptState::Late);
        assert!(w.due_now.is_empty(), "{:?}", w.due_now);
        let w = watch(&s, None, &[], t("13:00"), false);
        assert_eq!(w.due_now, ["Vital signs are due now: before the dose."]);
    }

    #[test]
    fn the_schedule_follows_the_settings() {
        let s = DosingSettings {
            vitals_before_dose: false,
            vitals_after_dose_minutes: vec![],
            ..Default::default()
        };
        let p = prompts(&s, Some("13:10"), &[], t("13:50"));
        assert_eq!(states(&p), [PromptState::BeforeDischarge]);
    }

    #[test]
    fn discharge_waits_for_its_reading_unless_the_practice_relaxed_it() {
        let mut s = DosingSettings::default();
        assert!(discharge_reading_missing(&s, &[]));
        assert!(!discharge_reading_missing(
            &s,
            &[reading("16:00", VitalsPhase::Discharge)]
        ));
        s.discharge_reading_required = false;
        assert!(!discharge_reading_missing(&s, &[]));
    }
}
