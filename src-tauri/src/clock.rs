//! The app's one clock: every command that needs "now" asks here.
//!
//! Debug builds only, for the WebDriver tests: `KAPDESK_TEST_CLOCK` (an RFC 3339
//! instant) starts the clock at that instant when the app first reads it, and it runs
//! on from there, so a test can stand 40 minutes into a dosing without waiting. The
//! branch is compiled out of release builds (`debug_assertions`), so the shipped app
//! always reads the system clock.

use std::time::Duration;

use chrono::{DateTime, Utc};

pub fn now() -> DateTime<Utc> {
    #[cfg(debug_assertions)]
    if let Some(now) = test_clock::now() {
        return now;
    }
    Utc::now()
}

/// The practice's minutes (the idle lock's timeout) as a duration. Debug builds only:
/// `KAPDESK_TEST_SECONDS_PER_MINUTE` shortens a minute for the WebDriver tests; the
/// branch is compiled out of release builds, which always count real minutes.
pub fn minutes(m: u32) -> Duration {
    #[cfg(debug_assertions)]
    if let Some(s) = std::env::var("KAPDESK_TEST_SECONDS_PER_MINUTE")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        return Duration::from_secs(u64::from(m) * s);
    }
    Duration::from_secs(u64::from(m) * 60)
}

#[cfg(debug_assertions)]
mod test_clock {
    use std::sync::OnceLock;
    use std::time::Instant;

    use chrono::{DateTime, Utc};

    static START: OnceLock<Option<(Instant, DateTime<Utc>)>> = OnceLock::new();

    pub fn now() -> Option<DateTime<Utc>> {
        let (started, at) = START
            .get_or_init(|| {
                let at = std::env::var("KAPDESK_TEST_CLOCK").ok()?;
                let at = DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc);
                Some((Instant::now(), at))
            })
            .as_ref()?;
        Some(*at + chrono::Duration::from_std(started.elapsed()).unwrap_or_default())
    }
}
