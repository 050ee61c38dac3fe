//! Dates and times as people read them, and the practice's wall clock.
//!
//! Pure helpers with no database and no clock: every function takes the instant or
//! the zone it needs.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};

/// "Thursday 3 December 2026": unambiguous for people in any locale. Written out by
/// hand: chrono's `format` parses its pattern on every call, and the checks before each
/// booked dosing on the dashboard call this thousands of times.
pub fn long_date(d: NaiveDate) -> String {
    const WEEKDAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!(
        "{} {} {} {}",
        WEEKDAYS[d.weekday().num_days_from_monday() as usize],
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// Monday of the week containing `d`.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The instant a local wall time names. A time skipped by a daylight-saving change is
/// refused with a sentence; a repeated one (clocks go back) means the first occurrence.
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(Error::invalid(
            "time",
            format!(
                "{} does not exist in {} on {}: the clocks go forward that night. Choose another time.",
                local.format("%H:%M"),
                tz.name(),
                long_date(local.date())
            ),
        )),
    }
}

/// A signing time for people, in the practice's zone: "Wednesday 25 November 2026, 15:04".
pub fn stamp_in(tz: Tz, rfc3339: &str) -> String {
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&tz)
            .format("%A %-d %B %Y, %H:%M")
            .to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// "Expired on …" → "expired on …", to continue a sentence.
pub fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A `YYYY-MM-DD` date read by hand: chrono's pattern parser costs microseconds a call,
/// and the dashboard reads thousands of dates.
pub fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_date_reads_the_same_as_chrono_writes_it() {
        let mut d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for _ in 0..800 {
            assert_eq!(long_date(d), d.format("%A %-d %B %Y").to_string());
            d += Duration::days(1);
        }
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()),
            "Thursday 3 December 2026"
        );
    }

    #[test]
    fn iso_dates_read_by_hand_agree_with_chrono_and_refuse_the_rest() {
        let mut day = NaiveDate::from_ymd_opt(2023, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(iso_date(&day.to_string()), Some(day));
            day = day.succ_opt().unwrap();
        }
        for bad in [
            "",
            "2026-2-01",
            "2026-02-30",
            "2026/02/01",
            "20260201xx",
            "2026-02-0x",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
    }
}
