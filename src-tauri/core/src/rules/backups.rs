//! Which automatic backups to keep, when the next is due, and when to warn. Pure: the
//! caller lists the folder and passes the clock.
//!
//! Rotation is grandfather-father-son: the newest backup of each of the last
//! `daily` days that have one, of each of the last `weekly` ISO weeks, and of each of
//! the last `monthly` months. Days, weeks and months are counted in UTC, the zone of
//! the file names, so a change of the practice's time zone never reshuffles them.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Utc};

/// How many of each to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    pub daily: u32,
    pub weekly: u32,
    pub monthly: u32,
}

/// The positions in `taken` (any order) of the backups to keep. Everything else may
/// be removed. The newest backup is always kept.
pub fn to_keep(taken: &[DateTime<Utc>], keep: Keep) -> BTreeSet<usize> {
    let mut newest_first: Vec<usize> = (0..taken.len()).collect();
    newest_first.sort_by(|&a, &b| taken[b].cmp(&taken[a]));
    let mut kept = BTreeSet::new();
    if let Some(&newest) = newest_first.first() {
        kept.insert(newest);
    }
    let mut pick = |count: u32, bucket: &dyn Fn(DateTime<Utc>) -> (i32, u32)| {
        let mut seen = BTreeSet::new();
        for &i in &newest_first {
            if seen.len() as u32 >= count {
                break;
            }
            if seen.insert(bucket(taken[i])) {
                kept.insert(i);
            }
        }
    };
    pick(keep.daily, &|t| (t.year(), t.ordinal()));
    pick(keep.weekly, &|t| {
        let w = t.iso_week();
        (w.year(), w.week())
    });
    pick(keep.monthly, &|t| (t.year(), t.month()));
    kept
}

/// The app writes a backup on unlock when the newest is older than this.
pub const DUE_AFTER_HOURS: i64 = 24;

/// Whether an automatic backup is due now (none yet, or the newest over a day old).
pub fn due(newest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match newest {
        None => true,
        Some(t) => now - t >= chrono::Duration::hours(DUE_AFTER_HOURS),
    }
}

/// The dashboard's sentence when the newest verified backup is older than the
/// practice's limit, or there is none.
pub fn stale_warning(
    newest: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    warn_after_days: u32,
) -> Option<String> {
    match newest {
        None => Some(
            "There is no verified backup of this vault yet. Choose a backup folder in Settings (an external drive is best) and KAP Desk will keep backups there by itself."
                .to_owned(),
        ),
        Some(t) => {
            let days = (now - t).num_days();
            (days >= i64::from(warn_after_days)).then(|| {
                format!(
                    "The newest verified backup is {days} days old. Connect the backup drive, or back up now from Settings: a lost laptop would cost every record since."
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate, TimeZone, Weekday};

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    const POLICY: Keep = Keep {
        daily: 7,
        weekly: 4,
        monthly: 12,
    };

    /// A year of evenings, rotated after every backup as the app does, keeps exactly
    /// the last 7 days, the last of each of the 4 latest weeks and the last of each of
    /// the 12 latest months. The expected set is worked out from the calendar here,
    /// independently of the rule.
    #[test]
    fn a_simulated_year_keeps_exactly_the_configured_set() {
        let first = at(2025, 12, 5, 18);
        let last = at(2026, 12, 4, 18); // a Friday
        let mut folder: Vec<DateTime<Utc>> = Vec::new();
        let mut t = first;
        while t <= last {
            folder.push(t);
            let keep = to_keep(&folder, POLICY);
            folder = keep.into_iter().map(|i| folder[i]).collect();
            t += Duration::days(1);
        }
        let kept: BTreeSet<NaiveDate> = folder.iter().map(|t| t.date_naive()).collect();

        let today = last.date_naive();
        let mut expected = BTreeSet::new();
        for d in 0..7 {
            expected.insert(today - Duration::days(d)); // 28 Nov … 4 Dec
        }
        // This week's newest is today; the 3 weeks before end on their Sundays.
        expected.insert(today);
        let mut sunday = today;
        while sunday.weekday() != Weekday::Sun {
            sunday -= Duration::days(1);
        }
        for w in 0..3 {
            expected.insert(sunday - Duration::weeks(w)); // 29 Nov, 22 Nov, 15 Nov
        }
        // This month's newest is today; the 11 months before end on their last day.
        let mut month_end = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() - Duration::days(1);
        for _ in 0..11 {
            expected.insert(month_end); // 30 Nov 2026 … 31 Jan 2026
            month_end = month_end.with_day(1).unwrap() - Duration::days(1);
        }
        assert_eq!(kept, expected);
        // 7 days + 2 Sundays outside them + 10 month ends outside them.
        assert_eq!(kept.len(), 19);
    }

    #[test]
    fn several_backups_in_a_day_keep_the_newest_and_zero_counts_keep_only_dailies() {
        let taken = [at(2026, 3, 2, 9), at(2026, 3, 2, 18), at(2026, 3, 1, 9)];
        let kept = to_keep(
            &taken,
            Keep {
                daily: 1,
                weekly: 0,
                monthly: 0,
            },
        );
        assert_eq!(kept, BTreeSet::from([1]));
        assert!(to_keep(&[], POLICY).is_empty());
    }

    #[test]
    fn a_backup_is_due_after_a_day_and_a_warning_after_the_practice_limit() {
        let now = at(2026, 12, 4, 12);
        assert!(due(None, now));
        assert!(!due(Some(now - Duration::hours(23)), now));
        assert!(due(Some(now - Duration::hours(24)), now));

        assert!(
            stale_warning(None, now, 7)
                .unwrap()
                .contains("no verified backup")
        );
        assert_eq!(stale_warning(Some(now - Duration::days(6)), now, 7), None);
        let w = stale_warning(Some(now - Duration::days(7)), now, 7).unwrap();
        assert!(w.contains("7 days old"), "{w}");
    }
}
