//! What the dashboard asks the therapist to do, per active client: a dosing booked
//! while checks are open, integration not booked or overdue, a clearance about to
//! expire, a client gone quiet, and notes left unwritten or unsigned.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::dates::long_date;
use crate::model::client::{Client, ClientStatus};
use crate::model::measures::DueMeasures;
use crate::model::notes::{NoteState, OpenNote};
use crate::model::protocol::{IntegrationState, ProtocolSettings};
use crate::model::session::{SessionKind, SessionStatus, SessionView};
use crate::model::timeline::{ActionItem, ActionKind, SafetyFlag};
use crate::rules::facts::CourseFacts;
use crate::rules::gates::{DosingSlot, blocked_dosing_sentence};
use crate::rules::measures::DUE_AHEAD_DAYS;
use crate::rules::{integration_checks, open_gates_for_dosing};

/// A clearance this close to expiry shows on the dashboard.
pub const CLEARANCE_WARNING_DAYS: i64 = 30;
/// A completed session's note still unsigned after this long shows on the dashboard.
pub const UNSIGNED_NOTE_DAYS: i64 = 3;
/// A protocol session of the current course with no note at all is flagged for this
/// long; after that the timeline still shows it without a note, but sessions from before
/// notes were kept here do not crowd the dashboard forever. Drafts are flagged at any age.
pub const MISSING_NOTE_DAYS: i64 = 90;
/// An active client without a session for this long shows on the dashboard.
pub const QUIET_DAYS: i64 = 30;

/// One active client's current course, as the dashboard sees it.
pub struct ActiveCourse<'a> {
    pub client: &'a Client,
    /// The course's protocol sessions, in order, labelled.
    pub sessions: &'a [SessionView],
    pub facts: &'a CourseFacts,
    /// The date of the last completed session of any kind.
    pub last_completed: Option<NaiveDate>,
    /// Whether any session is booked from now on.
    pub booked_ahead: bool,
}

/// The items one client needs, in the order the dashboard lists them.
pub fn client_actions(
    c: &ActiveCourse<'_>,
    settings: &ProtocolSettings,
    today: NaiveDate,
) -> Vec<ActionItem> {
    let mut out = Vec::new();
    let mut push = |kind, message: String| {
        out.push(ActionItem {
            client_id: c.client.id.clone(),
            client_name: c.client.display_name.clone(),
            kind,
            message,
            session_id: None,
            administration_id: None,
        })
    };
    // Every booked dosing from today on, each judged on its own date: a withdrawal or a
    // lapsed clearance blocks all of them, and a written reason keeps the item shown
    // (with the reason) until what is needed is in place.
    for d in c.sessions.iter().filter(|s| {
        s.kind == SessionKind::Dosing
            && s.status == SessionStatus::Scheduled
            && s.local_date() >= today
    }) {
        let open = open_gates_for_dosing(
            c.facts,
            settings,
            DosingSlot::booked(d.local_date(), &d.id),
            today,
        );
        if !open.is_empty() {
            push(
                ActionKind::GateOpenBeforeDosing,
                blocked_dosing_sentence(d, &open),
            );
        }
    }
    for check in integration_checks(c.facts, settings, today) {
        match check.state {
            IntegrationState::NotBooked => push(
                ActionKind::IntegrationNotBooked,
                format!(
                    "Integration after dosing {} is not booked (window {} to {}).",
                    check.dosing_number,
                    long_date(check.window_start),
                    long_date(check.window_end)
                ),
            ),
            IntegrationState::Overdue | IntegrationState::StronglyOverdue => push(
                ActionKind::IntegrationOverdue,
                format!(
                    "Integration after dosing {} is overdue: {} days since the dosing on {}.",
                    check.dosing_number,
                    check.days_since_dosing,
                    long_date(check.dosing_date)
                ),
            ),
            IntegrationState::Booked | IntegrationState::BookedLate => {}
        }
    }
    if let Some((_, Some(until))) = c.facts.clearance
        && until >= today
        && (until - today).num_days() <= CLEARANCE_WARNING_DAYS
    {
        push(
            ActionKind::ClearanceExpiring,
            format!("Medical clearance expires on {}.", long_date(until)),
        );
    }
    if !c.booked_ahead
        && c.client.details.status != ClientStatus::Inquiry
        && let Some(last) = c.last_completed
        && (today - last).num_days() > QUIET_DAYS
    {
        push(
            ActionKind::NoRecentSession,
            format!("No session since {} and none booked.", long_date(last)),
        );
    }
    out
}

/// Completed protocol sessions of the course with no note at all, from the last
/// `MISSING_NOTE_DAYS` but older than `UNSIGNED_NOTE_DAYS`.
pub fn missing_notes(c: &ActiveCourse<'_>, now: DateTime<Utc>) -> Vec<OpenNote> {
    c.sessions
        .iter()
        .filter(|s| {
            s.status == SessionStatus::Completed
                && s.note == NoteState::None
                && s.starts_utc < now - Duration::days(UNSIGNED_NOTE_DAYS)
                && s.starts_utc >= now - Duration::days(MISSING_NOTE_DAYS)
        })
        .map(|s| OpenNote {
            client_id: c.client.id.clone(),
            client_name: c.client.display_name.clone(),
            session_id: s.id.clone(),
            kind: s.kind,
            date: s.local_date(),
            starts_utc: s.starts_utc,
            draft: false,
        })
        .collect()
}

/// One line per client, naming the oldest open note (the one a click opens): a client
/// with many must not push everything else off the list.
pub fn open_note_actions(mut open_notes: Vec<OpenNote>) -> Vec<ActionItem> {
    open_notes.sort_by_key(|n| n.starts_utc);
    let mut per_client: Vec<(OpenNote, usize)> = Vec::new();
    for note in open_notes {
        match per_client
            .iter_mut()
            .find(|(n, _)| n.client_id == note.client_id)
        {
            Some((_, count)) => *count += 1,
            None => per_client.push((note, 1)),
        }
    }
    per_client
        .into_iter()
        .map(|(oldest, count)| {
            let what = format!(
                "the {} session on {}",
                oldest.kind.label().to_lowercase(),
                long_date(oldest.date)
            );
            ActionItem {
                client_id: oldest.client_id,
                client_name: oldest.client_name,
                kind: ActionKind::NoteUnsigned,
                message: match (count, oldest.draft) {
                    (1, true) => format!("The note for {what} is not signed."),
                    (1, false) => format!("The note for {what} is not written."),
                    (n, _) => format!(
                        "{n} session notes are not written or not signed; the oldest is for {what}."
                    ),
                },
                session_id: Some(oldest.session_id),
                administration_id: None,
            }
        })
        .collect()
}

/// A raised safety flag on the dashboard: always listed, whatever the client's status,
/// until the therapist records a response.
pub fn safety_flag_action(flag: &SafetyFlag) -> ActionItem {
    ActionItem {
        client_id: flag.client_id.clone(),
        client_name: flag.client_name.clone(),
        kind: ActionKind::SafetyFlag,
        message: flag.message.clone(),
        session_id: None,
        administration_id: Some(flag.administration_id.clone()),
    }
}

/// Measures due within a week, or overdue, for one client, one item per occasion. A
/// baseline with no dosing booked yet stays on the timeline only: every client in
/// preparation would otherwise be listed from their first session.
pub fn measure_actions(client: &Client, due: &[DueMeasures], today: NaiveDate) -> Vec<ActionItem> {
    due.iter()
        .filter(|d| {
            d.due_on
                .is_some_and(|on| today >= on - Duration::days(DUE_AHEAD_DAYS))
        })
        .map(|d| ActionItem {
            client_id: client.id.clone(),
            client_name: client.display_name.clone(),
            kind: if d.overdue {
                ActionKind::MeasuresOverdue
            } else {
                ActionKind::MeasuresDue
            },
            message: d.message.clone(),
            session_id: None,
            administration_id: None,
        })
        .collect()
}
