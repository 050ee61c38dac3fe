//! Outcome measures as rules: scoring a form, comparing a score with the baseline, and
//! which measures the practice's schedule asks for now. No database, no clock.

use chrono::{Duration, Months, NaiveDate};

use crate::dates::long_date;
use crate::error::{Error, Result};
use crate::model::measures::{
    Administration, DueMeasures, DueReason, Instrument, MeasureSchedule, Progress, Score,
    ThresholdLine, instrument,
};
use crate::model::session::{SessionKind, SessionStatus};
use crate::model::timeline::SafetyFlag;
use crate::rules::facts::CourseFacts;

pub use crate::model::measures::MeasureFact;

/// A measure given this many days before a dosing still counts as "before" it.
pub const BEFORE_DOSING_DAYS: i64 = 3;
/// A measure at integration may be entered up to this many days after the session.
pub const INTEGRATION_GRACE_DAYS: i64 = 7;
/// Due measures show this many days before their day.
pub const DUE_AHEAD_DAYS: i64 = 7;
/// A follow-up measure counts from this many days before its day…
pub const FOLLOW_UP_EARLY_DAYS: i64 = 14;
/// …to this many after, and shows as overdue until then.
pub const FOLLOW_UP_LATE_DAYS: i64 = 30;

/// Scores one form: every question answered, each answer one of the instrument's
/// options. The refusal names the question and the answers it takes.
pub fn score(i: &Instrument, answers: &[Option<u32>]) -> Result<Score> {
    let n = i.items.len();
    if answers.len() != n {
        return Err(Error::invalid(
            "answers",
            format!(
                "The {} has {n} questions, but {} answers were given.",
                i.name,
                answers.len()
            ),
        ));
    }
    let missing: Vec<String> = answers
        .iter()
        .enumerate()
        .filter(|(_, a)| a.is_none())
        .map(|(q, _)| (q + 1).to_string())
        .collect();
    match missing.len() {
        0 => {}
        1 => {
            return Err(Error::invalid(
                "answers",
                format!(
                    "Question {} of the {} is not answered yet.",
                    missing[0], i.name
                ),
            ));
        }
        _ => {
            return Err(Error::invalid(
                "answers",
                format!(
                    "Questions {} of the {} are not answered yet.",
                    and_list(&missing),
                    i.name
                ),
            ));
        }
    }
    let max = i.max_answer();
    let mut raw = 0;
    for (q, a) in answers.iter().enumerate() {
        let a = a.unwrap_or_default();
        if a > max {
            let (low, high) = (&i.options[0], &i.options[max as usize]);
            return Err(Error::invalid(
                "answers",
                format!(
                    "Question {} of the {} was answered {a}; its answers run from {} ({}) to {} ({}).",
                    q + 1,
                    i.name,
                    low.value,
                    low.label,
                    high.value,
                    high.label
                ),
            ));
        }
        raw += a;
    }
    let total = raw * i.multiplier;
    Ok(Score {
        raw,
        total,
        max_total: i.max_total(),
        band: band(i, total).to_owned(),
        safety_flag: i
            .safety_item
            .and_then(|item| answers.get(item as usize - 1).copied().flatten())
            .is_some_and(|a| a > 0),
    })
}

/// The label of the band a total falls in.
pub fn band(i: &Instrument, total: u32) -> &str {
    i.bands
        .iter()
        .find(|b| (b.from..=b.to).contains(&total))
        .map(|b| b.label.as_str())
        .unwrap_or("")
}

/// A score against the baseline of the same instrument, by the instrument's published
/// definitions: response (a drop of at least N per cent, or for WHO-5 a rise of at
/// least N points) and remission (below a total).
pub fn progress(i: &Instrument, baseline: u32, total: u32) -> Progress {
    let (b, t) = (baseline as i64, total as i64);
    let percent_drop = (b > 0).then(|| (((b - t) * 100) as f64 / b as f64).round() as i32);
    let by_drop = i
        .thresholds
        .response_drop_percent
        .is_some_and(|p| b > 0 && (b - t) * 100 >= p as i64 * b);
    let by_rise = i
        .thresholds
        .response_rise_points
        .is_some_and(|p| t - b >= p as i64);
    Progress {
        baseline_total: baseline,
        percent_drop,
        response: by_drop || by_rise,
        remission: i.thresholds.remission_below.is_some_and(|r| total < r),
    }
}

/// The response line of a chart, from the instrument's definition and the baseline:
/// for a fall of N per cent, the highest total that is a response (PHQ-9, baseline 20,
/// 50%: 10 or lower); for a rise of N points, the lowest (WHO-5, baseline 32, 10
/// points: 42 or higher). None when no response is possible: a baseline of 0 cannot
/// fall, and a rise past the highest total cannot be reached. Agrees with `progress`.
pub fn response_line(i: &Instrument, baseline: u32) -> Option<ThresholdLine> {
    if let Some(p) = i.thresholds.response_drop_percent {
        if baseline == 0 {
            return None;
        }
        // (b - t) * 100 >= p * b  <=>  t <= b * (100 - p) / 100, rounded down.
        let total = baseline * 100u32.saturating_sub(p) / 100;
        return Some(ThresholdLine {
            total,
            at: total as f64 + 0.5,
            label: format!("Response: {p}% below the baseline of {baseline} ({total} or lower)"),
        });
    }
    let pts = i.thresholds.response_rise_points?;
    let total = baseline + pts;
    (total <= i.max_total()).then(|| ThresholdLine {
        total,
        at: total as f64 - 0.5,
        label: format!(
            "Response: {pts} points above the baseline of {baseline} ({total} or higher)"
        ),
    })
}

/// The remission line of a chart: a total below the instrument's figure (PHQ-9: below
/// 5, so 4 or lower). None when the instrument defines no remission.
pub fn remission_line(i: &Instrument) -> Option<ThresholdLine> {
    let below = i.thresholds.remission_below.filter(|r| *r > 0)?;
    Some(ThresholdLine {
        total: below - 1,
        at: below as f64 - 0.5,
        label: format!("Remission: a score below {below} ({} or lower)", below - 1),
    })
}

/// The course's baseline of each instrument: the last one on or before the first
/// dosing, or the first one on file when the course has no dosing yet. `measures` are
/// the course's, oldest first.
pub fn baseline_index(
    measures: &[(String, NaiveDate)],
    instrument: &str,
    first_dosing: Option<NaiveDate>,
) -> Option<usize> {
    let of = || {
        measures
            .iter()
            .enumerate()
            .filter(move |(_, (i, _))| i == instrument)
    };
    match first_dosing {
        Some(d) => of().rfind(|(_, (_, on))| *on <= d).map(|(n, _)| n),
        None => of().next().map(|(n, _)| n),
    }
    .or_else(|| of().next().map(|(n, _)| n))
}

/// The instruments of `wanted` with no measure dated within `from..=to`.
fn missing(facts: &CourseFacts, wanted: &[String], from: NaiveDate, to: NaiveDate) -> Vec<String> {
    wanted
        .iter()
        .filter(|id| {
            !facts
                .measures
                .iter()
                .any(|m| &m.instrument == *id && m.date >= from && m.date <= to)
        })
        .cloned()
        .collect()
}

/// The instruments' names in a list: "PHQ-9, GAD-7 and PCL-5".
pub fn names(ids: &[String]) -> String {
    let names: Vec<String> = ids
        .iter()
        .map(|id| instrument(id).map(|i| i.name.clone()).unwrap_or(id.clone()))
        .collect();
    and_list(&names)
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The measures due now or overdue in one course, oldest occasion first: the baseline
/// while the first dosing is still to come, the next dosing within a week, each
/// integration session within a week of it, and 1, 3 and 6 months (the practice's
/// choice) after the last dosing once none is booked. An occasion that has passed its
/// window is no longer listed: a measure missed then cannot be given then any more.
pub fn due_measures(
    schedule: &MeasureSchedule,
    facts: &CourseFacts,
    today: NaiveDate,
) -> Vec<DueMeasures> {
    let mut out = Vec::new();
    let mut push = |reason, ids: Vec<String>, due_on: Option<NaiveDate>, what: String| {
        if ids.is_empty() {
            return;
        }
        let overdue = due_on.is_some_and(|d| d < today);
        let verb = match (overdue, ids.len()) {
            (true, 1) => "was due",
            (true, _) => "were due",
            (false, 1) => "is due",
            (false, _) => "are due",
        };
        out.push(DueMeasures {
            message: format!("{} {verb} {what}.", names(&ids)),
            reason,
            instruments: ids,
            due_on,
            overdue,
        });
    };
    let dosings: Vec<_> = facts
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Dosing && s.status.counts())
        .collect();
    let near = |d: NaiveDate| today >= d - Duration::days(DUE_AHEAD_DAYS);

    // The baseline, while the first dosing is still to come.
    match dosings.first() {
        None => push(
            DueReason::Baseline,
            missing(facts, &schedule.baseline, NaiveDate::MIN, NaiveDate::MAX),
            None,
            "as a baseline before the first dosing".into(),
        ),
        Some(first) if first.status == SessionStatus::Scheduled => push(
            DueReason::Baseline,
            missing(facts, &schedule.baseline, NaiveDate::MIN, first.date),
            Some(first.date),
            format!(
                "as a baseline before the first dosing on {}",
                long_date(first.date)
            ),
        ),
        Some(_) => {}
    }
    // Before the next dosing after the first.
    if let Some((n, next)) = dosings
        .iter()
        .enumerate()
        .find(|(_, s)| s.status == SessionStatus::Scheduled)
        && n > 0
        && near(next.date)
    {
        push(
            DueReason::BeforeDosing,
            missing(
                facts,
                &schedule.before_each_dosing,
                next.date - Duration::days(BEFORE_DOSING_DAYS),
                next.date,
            ),
            Some(next.date),
            format!("before dosing {} on {}", n + 1, long_date(next.date)),
        );
    }
    // At each integration session near today.
    for s in facts.sessions.iter().filter(|s| {
        s.kind == SessionKind::Integration
            && s.status.counts()
            && near(s.date)
            && today <= s.date + Duration::days(INTEGRATION_GRACE_DAYS)
    }) {
        push(
            DueReason::Integration,
            missing(
                facts,
                &schedule.at_integration,
                s.date,
                s.date + Duration::days(INTEGRATION_GRACE_DAYS),
            ),
            Some(s.date),
            format!("at the integration session on {}", long_date(s.date)),
        );
    }
    // Follow-up after the last dosing, once no dosing is booked.
    if let Some(last) = dosings.last()
        && last.status == SessionStatus::Completed
    {
        for &m in &schedule.follow_up_months {
            let Some(d) = last.date.checked_add_months(Months::new(m)) else {
                continue;
            };
            if near(d) && today <= d + Duration::days(FOLLOW_UP_LATE_DAYS) {
                push(
                    DueReason::FollowUp,
                    missing(
                        facts,
                        &schedule.follow_up,
                        d - Duration::days(FOLLOW_UP_EARLY_DAYS),
                        d + Duration::days(FOLLOW_UP_LATE_DAYS),
                    ),
                    Some(d),
                    format!(
                        "{m} month{} after the last dosing, on {}",
                        if m == 1 { "" } else { "s" },
                        long_date(d)
                    ),
                );
            }
        }
    }
    out
}

/// The baseline check before the first dosing: each `facts.baseline_needed` instrument
/// given on or before the dosing's day. `None` when the practice does not ask for it.
/// Booking ahead, a missing baseline does not block (it is given in the last
/// preparation session); on the day it does.
pub fn baseline_check(
    facts: &CourseFacts,
    dosing_day: NaiveDate,
    ahead: bool,
) -> Option<(bool, String)> {
    if facts.baseline_needed.is_empty() {
        return None;
    }
    let absent = missing(facts, &facts.baseline_needed, NaiveDate::MIN, dosing_day);
    Some(if absent.is_empty() {
        (
            false,
            format!("Baseline on file: {}", names(&facts.baseline_needed)),
        )
    } else if ahead {
        (
            false,
            format!(
                "No baseline {} on file yet (give before the dosing; checked again on the day)",
                names(&absent)
            ),
        )
    } else {
        (true, format!("No baseline {} on file", names(&absent)))
    })
}

/// The flag an administration raised, in words, while no response is recorded.
pub fn safety_flag(a: &Administration, client_name: &str) -> Option<SafetyFlag> {
    if !a.flag_open() {
        return None;
    }
    let inst = instrument(&a.instrument).ok()?;
    let item = inst.safety_item?;
    let answer = a
        .answers
        .get(item as usize - 1)
        .copied()
        .unwrap_or_default();
    let label = inst
        .options
        .get(answer as usize)
        .map(|o| o.label.to_lowercase())
        .unwrap_or_default();
    let on = NaiveDate::parse_from_str(&a.date, "%Y-%m-%d")
        .map(long_date)
        .unwrap_or(a.date.clone());
    Some(SafetyFlag {
        administration_id: a.id.clone(),
        client_id: a.client_id.clone(),
        client_name: client_name.to_owned(),
        date: a.date.clone(),
        message: format!(
            "Safety flag: {} item {item} (thoughts of being better off dead or of self-harm) was answered {answer}, {label}, on {on}. Record your response: a brief risk note and whether a safety plan was made or reviewed.",
            inst.name
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::measures::instruments;
    use crate::rules::fixtures::*;

    fn phq9() -> &'static Instrument {
        instrument("phq9").unwrap()
    }

    fn all(v: &[u32]) -> Vec<Option<u32>> {
        v.iter().map(|a| Some(*a)).collect()
    }

    fn scored(id: &str, v: &[u32]) -> Score {
        score(instrument(id).unwrap(), &all(v)).unwrap()
    }

    #[test]
    fn phq9_is_the_sum_with_its_bands_at_each_edge() {
        // 1+2+0+1+1+0+2+1+0 = 8, by hand.
        let s = scored("phq9", &[1, 2, 0, 1, 1, 0, 2, 1, 0]);
        assert_eq!((s.raw, s.total, s.max_total), (8, 8, 27));
        assert_eq!(s.band, "Mild");
        assert!(!s.safety_flag);
        for (answers, total, band) in [
            ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "Minimal"),
            ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "Minimal"),
            ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "Mild"),
            ([1, 1, 1, 1, 1, 1, 1, 1, 1], 9, "Mild"),
            ([2, 1, 1, 1, 1, 1, 1, 1, 1], 10, "Moderate"),
            ([2, 2, 2, 2, 2, 1, 1, 1, 1], 14, "Moderate"),
            ([2, 2, 2, 2, 2, 2, 1, 1, 1], 15, "Moderately severe"),
            ([3, 3, 3, 2, 2, 2, 2, 1, 1], 19, "Moderately severe"),
            ([3, 3, 3, 3, 2, 2, 2, 1, 1], 20, "Severe"),
            ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "Severe"),
        ] {
            let s = scored("phq9", &answers);
            assert_eq!((s.total, s.band.as_str()), (total, band), "{answers:?}");
        }
    }

    #[test]
    fn phq9_item_9_above_zero_raises_the_safety_flag() {
        assert!(scored("phq9", &[0, 0, 0, 0, 0, 0, 0, 0, 1]).safety_flag);
        assert!(scored("phq9", &[0, 0, 0, 0, 0, 0, 0, 0, 3]).safety_flag);
        assert!(!scored("phq9", &[3, 3, 3, 3, 3, 3, 3, 3, 0]).safety_flag);
        // No other instrument has a safety item.
        assert!(!scored("gad7", &[3, 3, 3, 3, 3, 3, 3]).safety_flag);
    }

    #[test]
    fn an_open_flag_reads_as_a_sentence_and_a_response_closes_it() {
        use crate::model::measures::{FilledBy, SafetyPlanAction, SafetyResponse};
        let mut a = Administration {
            id: "m1".into(),
            client_id: "c1".into(),
            course_id: "k1".into(),
            instrument: "phq9".into(),
            date: "2026-11-23".into(),
            session_id: None,
            filled_by: FilledBy::Client,
            answers: vec![1, 1, 1, 1, 1, 1, 1, 1, 2],
            total: 10,
            band: "Moderate".into(),
            safety_flag: true,
            safety_response: None,
            recorded_at: String::new(),
        };
        let f = safety_flag(&a, "Ada").unwrap();
        assert!(
            f.message.starts_with(
                "Safety flag: PHQ-9 item 9 (thoughts of being better off dead or of self-harm) was answered 2, more than half the days, on Monday 23 November 2026."
            ),
            "{}",
            f.message
        );
        a.safety_response = Some(SafetyResponse {
            risk_note: "Passive thoughts, no plan.".into(),
            safety_plan: SafetyPlanAction::Reviewed,
            recorded_at: String::new(),
        });
        assert_eq!(safety_flag(&a, "Ada"), None);
    }

    #[test]
    fn gad7_bands_at_each_edge() {
        for (answers, total, band) in [
            ([0, 0, 0, 0, 0, 0, 0], 0, "Minimal"),
            ([1, 1, 1, 1, 0, 0, 0], 4, "Minimal"),
            ([1, 1, 1, 1, 1, 0, 0], 5, "Mild"),
            ([2, 2, 2, 1, 1, 1, 0], 9, "Mild"),
            ([2, 2, 2, 1, 1, 1, 1], 10, "Moderate"),
            ([2, 2, 2, 2, 2, 2, 2], 14, "Moderate"),
            ([3, 2, 2, 2, 2, 2, 2], 15, "Severe"),
            ([3, 3, 3, 3, 3, 3, 3], 21, "Severe"),
        ] {
            let s = scored("gad7", &answers);
            assert_eq!((s.total, s.band.as_str()), (total, band), "{answers:?}");
        }
    }

    #[test]
    fn pcl5_sums_twenty_items_with_the_provisional_cut_off() {
        let mut a = [0u32; 20];
        assert_eq!(scored("pcl5", &a).band, "Below the provisional cut-off");
        // 16 items at 2 and one at 0 = 32: just under the cut-off.
        a[..16].fill(2);
        let s = scored("pcl5", &a);
        assert_eq!(
            (s.total, s.band.as_str()),
            (32, "Below the provisional cut-off")
        );
        a[16] = 1; // 33
        let s = scored("pcl5", &a);
        assert_eq!(s.total, 33);
        assert!(s.band.starts_with("At or above"));
        let s = scored("pcl5", &[4; 20]);
        assert_eq!((s.total, s.max_total), (80, 80));
    }

    #[test]
    fn who5_is_the_raw_sum_times_four_as_a_percentage() {
        // 3+2+4+1+3 = 13 raw, 52 per cent.
        let s = scored("who5", &[3, 2, 4, 1, 3]);
        assert_eq!((s.raw, s.total, s.max_total), (13, 52, 100));
        assert_eq!(s.band, "Not low");
        for (answers, total, band) in [
            (
                [0, 0, 0, 0, 0],
                0,
                "Very low well-being (screen for depression)",
            ),
            (
                [2, 2, 1, 1, 1],
                28,
                "Very low well-being (screen for depression)",
            ),
            ([2, 2, 2, 1, 1], 32, "Low well-being"),
            ([3, 3, 2, 2, 2], 48, "Low well-being"),
            ([5, 5, 5, 5, 5], 100, "Not low"),
        ] {
            let s = scored("who5", &answers);
            assert_eq!((s.total, s.band.as_str()), (total, band), "{answers:?}");
        }
    }

    #[test]
    fn an_answer_out_of_range_is_refused_naming_the_question_and_the_range() {
        let e = score(phq9(), &all(&[1, 4, 0, 1, 1, 0, 2, 1, 0])).unwrap_err();
        assert_eq!(e.field(), Some("answers"));
        assert_eq!(
            e.to_string(),
            "Question 2 of the PHQ-9 was answered 4; its answers run from 0 (Not at all) to 3 (Nearly every day)."
        );
        let e = score(instrument("who5").unwrap(), &all(&[6, 0, 0, 0, 0])).unwrap_err();
        assert!(e.to_string().contains("to 5 (All of the time)"), "{e}");
    }

    #[test]
    fn a_missing_answer_or_a_wrong_count_is_refused_with_a_sentence() {
        let mut a = all(&[1, 2, 0, 1, 1, 0, 2, 1, 0]);
        a[3] = None;
        assert_eq!(
            score(phq9(), &a).unwrap_err().to_string(),
            "Question 4 of the PHQ-9 is not answered yet."
        );
        a[8] = None;
        a[6] = None;
        assert_eq!(
            score(phq9(), &a).unwrap_err().to_string(),
            "Questions 4, 7 and 9 of the PHQ-9 are not answered yet."
        );
        assert_eq!(
            score(phq9(), &all(&[1, 2, 0])).unwrap_err().to_string(),
            "The PHQ-9 has 9 questions, but 3 answers were given."
        );
    }

    #[test]
    fn response_is_a_half_drop_and_phq9_remission_is_below_five() {
        let p = progress(phq9(), 18, 9);
        assert_eq!(p.percent_drop, Some(50));
        assert!(p.response && !p.remission);
        let p = progress(phq9(), 18, 10);
        assert!(!p.response, "44% is not a response");
        let p = progress(phq9(), 18, 4);
        assert!(p.response && p.remission);
        let p = progress(phq9(), 18, 5);
        assert!(!p.remission, "5 is not below 5");
        let p = progress(phq9(), 0, 0);
        assert_eq!(p.percent_drop, None);
        assert!(!p.response);
        // Worse than the baseline: a negative drop.
        assert_eq!(progress(phq9(), 10, 15).percent_drop, Some(-50));
    }

    #[test]
    fn who5_response_is_a_rise_of_ten_points() {
        let who5 = instrument("who5").unwrap();
        assert!(progress(who5, 32, 42).response);
        assert!(!progress(who5, 32, 40).response);
        assert!(!progress(who5, 32, 20).remission);
    }

    #[test]
    fn the_response_line_of_a_fall_is_the_highest_total_that_is_a_response() {
        let l = response_line(phq9(), 20).unwrap();
        assert_eq!((l.total, l.at), (10, 10.5));
        assert_eq!(
            l.label,
            "Response: 50% below the baseline of 20 (10 or lower)"
        );
        // An odd baseline rounds down: 7.5 is not a total, 7 is.
        assert_eq!(response_line(phq9(), 15).unwrap().total, 7);
        assert_eq!(response_line(phq9(), 1).unwrap().total, 0);
        assert_eq!(
            response_line(phq9(), 0),
            None,
            "a baseline of 0 cannot fall"
        );
    }

    #[test]
    fn the_response_line_of_a_rise_is_the_lowest_total_that_is_a_response() {
        let who5 = instrument("who5").unwrap();
        let l = response_line(who5, 32).unwrap();
        assert_eq!((l.total, l.at), (42, 41.5));
        assert_eq!(
            l.label,
            "Response: 10 points above the baseline of 32 (42 or higher)"
        );
        assert_eq!(response_line(who5, 92), None, "102 cannot be reached");
        assert_eq!(response_line(who5, 90).unwrap().total, 100);
        assert_eq!(remission_line(who5), None);
    }

    #[test]
    fn the_remission_line_sits_half_a_point_above_the_last_total_in_remission() {
        let l = remission_line(phq9()).unwrap();
        assert_eq!((l.total, l.at), (4, 4.5));
        assert_eq!(l.label, "Remission: a score below 5 (4 or lower)");
    }

    #[test]
    fn the_lines_agree_with_progress_for_every_baseline_and_total() {
        for i in instruments().unwrap() {
            let remission = remission_line(i);
            for b in 0..=i.max_total() {
                let response = response_line(i, b);
                for t in 0..=i.max_total() {
                    let p = progress(i, b, t);
                    let meets = |l: &Option<ThresholdLine>, fall: bool| {
                        l.as_ref()
                            .is_some_and(|l| if fall { t <= l.total } else { t >= l.total })
                    };
                    let fall = i.thresholds.response_drop_percent.is_some();
                    assert_eq!(p.response, meets(&response, fall), "{} {b} {t}", i.id);
                    assert_eq!(p.remission, meets(&remission, true), "{} {b} {t}", i.id);
                    // No score sits on a line.
                    for l in response.iter().chain(&remission) {
                        assert_ne!(l.at, t as f64);
                    }
                }
            }
        }
    }

    fn m(id: &str, date: NaiveDate) -> MeasureFact {
        MeasureFact {
            instrument: id.into(),
            date,
        }
    }

    fn with_dosings(dosings: &[(NaiveDate, SessionStatus)]) -> CourseFacts {
        let mut f = ready();
        for (n, (date, status)) in dosings.iter().enumerate() {
            f.sessions.push(session(
                &format!("d{n}"),
                SessionKind::Dosing,
                *status,
                *date,
            ));
        }
        f
    }

    #[test]
    fn the_baseline_is_due_until_given_and_overdue_once_the_dosing_day_passed() {
        let s = MeasureSchedule::default();
        let mut f = with_dosings(&[]);
        let due = due_measures(&s, &f, d(2026, 11, 20));
        assert_eq!(due.len(), 1);
        assert_eq!(
            due[0].message,
            "PHQ-9, GAD-7 and PCL-5 are due as a baseline before the first dosing."
        );
        assert!(!due[0].overdue);
        f.measures = vec![m("phq9", d(2026, 11, 18)), m("gad7", d(2026, 11, 18))];
        let f = CourseFacts {
            sessions: with_dosings(&[(d(2026, 12, 1), SessionStatus::Scheduled)]).sessions,
            ..f
        };
        let due = due_measures(&s, &f, d(2026, 12, 2));
        assert_eq!(due[0].instruments, ["pcl5"]);
        assert!(due[0].overdue);
        assert!(due[0].message.starts_with("PCL-5 was due as a baseline"));
    }

    #[test]
    fn measures_are_due_before_the_next_dosing_and_at_integration() {
        let s = MeasureSchedule::default();
        let mut f = with_dosings(&[
            (d(2026, 11, 2), SessionStatus::Completed),
            (d(2026, 11, 16), SessionStatus::Scheduled),
        ]);
        f.sessions.push(session(
            "i1",
            SessionKind::Integration,
            SessionStatus::Completed,
            d(2026, 11, 4),
        ));
        f.sessions.sort_by_key(|s| s.date);
        // Four days after the integration: its measures are overdue; the dosing is
        // more than a week away.
        let due = due_measures(&s, &f, d(2026, 11, 8));
        assert_eq!(due.len(), 1);
        assert_eq!(
            (due[0].reason, due[0].overdue),
            (DueReason::Integration, true)
        );
        assert!(
            due[0]
                .message
                .starts_with("PHQ-9 and GAD-7 were due at the integration")
        );
        // The integration's window has passed; the dosing is within a week.
        let due = due_measures(&s, &f, d(2026, 11, 12));
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].reason, DueReason::BeforeDosing);
        assert!(
            due[0]
                .message
                .contains("before dosing 2 on Monday 16 November 2026")
        );
        // Given 2 days before: done. Given 5 days before: too early to count.
        f.measures = vec![m("phq9", d(2026, 11, 14)), m("gad7", d(2026, 11, 11))];
        let due = due_measures(&s, &f, d(2026, 11, 15));
        assert_eq!(due[0].instruments, ["gad7"]);
        // At integration, on the day.
        f.measures.clear();
        let due = due_measures(&s, &f, d(2026, 11, 4));
        assert_eq!(due[0].reason, DueReason::Integration);
        assert!(!due[0].overdue && due[0].instruments == ["phq9", "gad7"]);
    }

    #[test]
    fn follow_ups_come_one_three_and_six_months_after_the_last_dosing() {
        let s = MeasureSchedule::default();
        let f = with_dosings(&[(d(2026, 6, 1), SessionStatus::Completed)]);
        let due = due_measures(&s, &f, d(2026, 9, 3));
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].due_on, Some(d(2026, 9, 1)));
        assert!(due[0].overdue);
        assert!(due[0].message.contains("3 months after the last dosing"));
        assert!(due_measures(&s, &f, d(2026, 10, 15)).is_empty());
        let mut f = f;
        f.measures = ["phq9", "gad7", "pcl5"]
            .iter()
            .map(|i| m(i, d(2026, 8, 25)))
            .collect();
        assert!(due_measures(&s, &f, d(2026, 9, 3)).is_empty());
    }

    #[test]
    fn the_baseline_check_blocks_on_the_day_not_when_booking_ahead() {
        let mut f = ready();
        assert_eq!(baseline_check(&f, d(2026, 12, 1), false), None);
        f.baseline_needed = vec!["phq9".into(), "gad7".into()];
        let (open, detail) = baseline_check(&f, d(2026, 12, 1), false).unwrap();
        assert!(open);
        assert_eq!(detail, "No baseline PHQ-9 and GAD-7 on file");
        let (open, _) = baseline_check(&f, d(2026, 12, 1), true).unwrap();
        assert!(!open);
        f.measures = vec![m("phq9", d(2026, 11, 20)), m("gad7", d(2026, 12, 1))];
        let (open, detail) = baseline_check(&f, d(2026, 12, 1), false).unwrap();
        assert!(!open);
        assert_eq!(detail, "Baseline on file: PHQ-9 and GAD-7");
        // A measure given after the dosing is no baseline.
        f.measures[1].date = d(2026, 12, 2);
        assert!(baseline_check(&f, d(2026, 12, 1), false).unwrap().0);
    }
}
