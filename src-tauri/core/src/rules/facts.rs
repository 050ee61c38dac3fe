//! The facts rules read: a plain summary of one course, built by the features from
//! the store, so every rule is a pure function testable without a vault.

use chrono::NaiveDate;

use crate::model::client::{Client, ClientStatus, ReleaseOfInformation};
use crate::model::measures::{MeasureFact, MeasureSchedule};
use crate::model::session::{Clearance, SessionKind, SessionStatus, SessionView};

/// What the rules need to know about one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFact {
    pub id: String,
    pub kind: SessionKind,
    pub status: SessionStatus,
    /// The session's local calendar date in the practice's time zone.
    pub date: NaiveDate,
    /// For ordering sessions on the same date.
    pub starts_utc: chrono::DateTime<chrono::Utc>,
}

impl From<&SessionView> for SessionFact {
    fn from(s: &SessionView) -> Self {
        SessionFact {
            id: s.id.clone(),
            kind: s.kind,
            status: s.status,
            date: s.local_date(),
            starts_utc: s.starts_utc,
        }
    }
}

/// What the gates need to know about one treatment course.
#[derive(Debug, Clone, Default)]
pub struct CourseFacts {
    /// Sorted by start.
    pub sessions: Vec<SessionFact>,
    /// The latest clearance's validity, if any: (cleared on, valid until).
    pub clearance: Option<(NaiveDate, Option<NaiveDate>)>,
    /// The client's newest release of information, if any: (signed on, valid until).
    pub release: Option<(NaiveDate, Option<NaiveDate>)>,
    pub prescription_on_file: bool,
    /// The day the newest prescription ends, when it says.
    pub prescription_until: Option<NaiveDate>,
    /// The date of the standing consent: signed and not withdrawn.
    pub consent_signed_on: Option<NaiveDate>,
    /// A consent of this course was withdrawn (and none signed since).
    pub consent_withdrawn: bool,
    pub has_ride_home: bool,
    pub has_emergency_contact: bool,
    /// The measures on file in this course (`with_measures`).
    pub measures: Vec<MeasureFact>,
    /// The instruments a baseline must be on file for before the first dosing; empty
    /// when the practice does not ask for it.
    pub baseline_needed: Vec<String>,
    /// Where the client stands: a completed or discharged course plans no new dosing.
    pub client_status: ClientStatus,
}

impl CourseFacts {
    /// The facts of one course from its records: `sessions` sorted by start, the latest
    /// clearance, the newest prescription's end date (`Some("")` on file without one,
    /// `None` when none is on file), and the date of a standing consent. The client's
    /// release of information is added with `with_release`.
    pub fn new(
        client: &Client,
        sessions: &[SessionView],
        clearance: Option<&Clearance>,
        prescription_until: Option<&str>,
        consent_signed_on: Option<NaiveDate>,
        consent_withdrawn: bool,
    ) -> CourseFacts {
        let named = |name: &str, phone: &str| !name.is_empty() && !phone.is_empty();
        CourseFacts {
            sessions: sessions.iter().map(SessionFact::from).collect(),
            clearance: clearance.and_then(clearance_dates),
            release: None,
            prescription_on_file: prescription_until.is_some(),
            prescription_until: prescription_until
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            consent_signed_on,
            consent_withdrawn: consent_withdrawn && consent_signed_on.is_none(),
            has_ride_home: named(
                &client.details.ride_home.name,
                &client.details.ride_home.phone,
            ),
            has_emergency_contact: named(
                &client.details.emergency_contact.name,
                &client.details.emergency_contact.phone,
            ),
            measures: Vec::new(),
            baseline_needed: Vec::new(),
            client_status: client.details.status,
        }
    }

    /// The client's newest release of information (None when none is on file).
    pub fn with_release(mut self, release: Option<&ReleaseOfInformation>) -> CourseFacts {
        self.release = release.and_then(|r| {
            let on = NaiveDate::parse_from_str(&r.signed_on, "%Y-%m-%d").ok()?;
            let until = NaiveDate::parse_from_str(&r.valid_until, "%Y-%m-%d").ok();
            Some((on, until))
        });
        self
    }

    /// The same facts with the course's measures and the practice's baseline rule.
    pub fn with_measures(mut self, measures: Vec<MeasureFact>, schedule: &MeasureSchedule) -> Self {
        self.measures = measures;
        self.baseline_needed = if schedule.baseline_required {
            schedule.baseline.clone()
        } else {
            Vec::new()
        };
        self
    }

    fn count(&self, kind: SessionKind, pred: impl Fn(&SessionFact) -> bool) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.kind == kind && pred(s))
            .count()
    }

    /// Where the session with this id stands in `sessions`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.sessions.iter().position(|s| s.id == id)
    }

    pub fn completed_preparation(&self) -> usize {
        self.count(SessionKind::Preparation, |s| {
            s.status == SessionStatus::Completed
        })
    }
}

/// A clearance's dates: (cleared on, valid until). None when the record's date is unreadable.
fn clearance_dates(c: &Clearance) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let on = NaiveDate::parse_from_str(&c.cleared_on, "%Y-%m-%d").ok()?;
    let until = NaiveDate::parse_from_str(&c.valid_until, "%Y-%m-%d").ok();
    Some((on, until))
}
