//! Field checks shared by every form. Each error names the field it is about.

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// Trims in place and enforces a length in characters.
pub(crate) fn trimmed(field: &'static str, value: &mut String, max: usize) -> Result<()> {
    let t = value.trim();
    if t.len() != value.len() {
        *value = t.to_owned();
    }
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("This is longer than {max} characters; please shorten it."),
        ));
    }
    Ok(())
}

pub(crate) fn phone(field: &'static str, phone: &str) -> Result<()> {
    if phone.is_empty() {
        return Ok(());
    }
    let allowed = |c: char| c.is_ascii_digit() || " +-().,/".contains(c) || c.is_ascii_alphabetic();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.chars().all(allowed) || digits < 3 {
        return Err(Error::invalid(
            field,
            format!(
                "\u{201c}{phone}\u{201d} does not look like a phone number (digits, spaces, + - ( ) allowed)."
            ),
        ));
    }
    Ok(())
}

pub(crate) fn email(field: &'static str, s: &str) -> Result<()> {
    if s.is_empty() {
        return Ok(());
    }
    let ok = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.starts_with('.')
                && domain.contains('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            "This does not look like an email address (name@example.org).",
        ))
    }
}

/// A calendar date as `YYYY-MM-DD`. An impossible date (30 February) gets a sentence
/// that says so, not a parse error.
/// A record's two dates: the day it was given (`on`, not after `today`) and the last
/// day it covers (`until`, empty for none, not before `on`), both back as `YYYY-MM-DD`.
/// The sentences name the record: `in_future` ("The clearance date is in the future.")
/// and `ends_before` ("The clearance cannot end before the day it was given.").
pub(crate) fn dated_span(
    on_field: &'static str,
    on: &str,
    until: &str,
    today: NaiveDate,
    in_future: &str,
    ends_before: &str,
) -> Result<(String, String)> {
    let on_day = date(on_field, on)?;
    if on_day > today {
        return Err(Error::invalid(on_field, in_future));
    }
    let until = if until.trim().is_empty() {
        String::new()
    } else {
        let u = date("validUntil", until)?;
        if u < on_day {
            return Err(Error::invalid("validUntil", ends_before));
        }
        u.to_string()
    };
    Ok((on_day.to_string(), until))
}

pub(crate) fn date(field: &'static str, s: &str) -> Result<NaiveDate> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let nums: Option<(i32, u32, u32)> = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) => {
            match (y.parse(), m.parse(), d.parse()) {
                (Ok(y), Ok(m), Ok(d)) => Some((y, m, d)),
                _ => None,
            }
        }
        _ => None,
    };
    let Some((y, m, d)) = nums else {
        return Err(Error::invalid(
            field,
            format!("\u{201c}{s}\u{201d} is not a date; write it as YYYY-MM-DD."),
        ));
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        let month = chrono::Month::try_from(m as u8).map(|m| m.name()).ok();
        match month {
            Some(name) => Error::invalid(field, format!("{name} {y} has no day {d}.")),
            None => Error::invalid(field, format!("There is no month {m}.")),
        }
    })
}

/// A wall-clock time as `HH:MM` (24-hour).
pub(crate) fn time(field: &'static str, s: &str) -> Result<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
        Error::invalid(
            field,
            format!(
                "\u{201c}{}\u{201d} is not a time; write it as HH:MM, e.g. 09:30.",
                s.trim()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_named_in_a_sentence() {
        let e = date("date", "2026-02-30").unwrap_err();
        assert_eq!(e.to_string(), "February 2026 has no day 30.");
        assert!(date("date", "2028-02-29").is_ok(), "leap year");
        assert_eq!(
            date("date", "2027-02-29").unwrap_err().to_string(),
            "February 2027 has no day 29."
        );
        assert_eq!(
            date("date", "2026-13-01").unwrap_err().to_string(),
            "There is no month 13."
        );
        assert!(
            date("date", "next tuesday")
                .unwrap_err()
                .to_string()
                .contains("YYYY-MM-DD")
        );
        assert_eq!(
            date("date", "2026-12-31").unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
    }

    #[test]
    fn times_are_24_hour() {
        assert!(time("time", "09:30").is_ok());
        assert!(time("time", "25:00").is_err());
        assert!(
            time("time", "9am")
                .unwrap_err()
                .to_string()
                .contains("HH:MM")
        );
    }
}
