//! Where a course stands: the phase in words and the track of steps the timeline
//! draws (preparation, then each dosing with its integration folded in).

use crate::model::protocol::{IntegrationCheck, IntegrationState, ProtocolSettings};
use crate::model::session::{SessionKind, SessionStatus};
use crate::model::timeline::{PhaseKind, StepState, TrackStep};
use crate::rules::facts::{CourseFacts, SessionFact};

pub fn phase_and_track(
    facts: &CourseFacts,
    settings: &ProtocolSettings,
    integration: &[IntegrationCheck],
) -> (String, Vec<TrackStep>) {
    let prep_done = facts.completed_preparation();
    let min = settings.min_preparation_sessions as usize;
    let dosings: Vec<&SessionFact> = facts
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Dosing && s.status.counts())
        .collect();
    let completed = dosings
        .iter()
        .filter(|s| s.status == SessionStatus::Completed)
        .count();
    let integrated = |n: usize| {
        // Integration n is done when a completed integration follows dosing n.
        integration
            .get(n - 1)
            .and_then(|c| c.integration_session_id.as_ref())
            .is_some_and(|id| {
                facts
                    .sessions
                    .iter()
                    .any(|s| &s.id == id && s.status == SessionStatus::Completed)
            })
    };
    let recommended = settings.recommended_dosings as usize;
    let total = recommended.max(dosings.len());

    // One step for preparation, then one per dosing with its integration folded in:
    // a track of 7 steps for a course of 6 fits the window without scrolling.
    let mut track = vec![TrackStep {
        phase: PhaseKind::Preparation,
        label: "Preparation".into(),
        state: if completed > 0 || prep_done >= min {
            StepState::Done
        } else {
            StepState::Current
        },
        detail: format!("{} of {min} completed", prep_done.min(99)),
    }];
    for n in 1..=total {
        let check = integration.get(n - 1);
        let (state, detail) = if n <= completed {
            match check.map(|c| c.state) {
                _ if integrated(n) => (StepState::Done, "Integration done".to_owned()),
                Some(IntegrationState::Overdue | IntegrationState::StronglyOverdue) => {
                    (StepState::Attention, "Integration overdue".to_owned())
                }
                Some(IntegrationState::NotBooked) => {
                    (StepState::Current, "Integration to book".to_owned())
                }
                Some(IntegrationState::BookedLate) => {
                    (StepState::Current, "Integration booked late".to_owned())
                }
                _ => (StepState::Current, "Integration booked".to_owned()),
            }
        } else if n <= dosings.len() {
            (StepState::Upcoming, "Booked".to_owned())
        } else if n == completed + 1
            && prep_done >= min
            && (completed == 0 || integrated(completed))
        {
            (StepState::Current, "Next".to_owned())
        } else {
            (StepState::Upcoming, String::new())
        };
        track.push(TrackStep {
            phase: PhaseKind::Dosing,
            label: format!("Dosing {n}"),
            state,
            detail,
        });
    }

    let label = if completed == 0 {
        format!("Preparation ({prep_done} of {min} sessions completed)")
    } else if !integrated(completed) {
        format!("Integration after dosing {completed} of {recommended}")
    } else if completed < recommended {
        format!("Dosing: {completed} of {recommended} completed")
    } else {
        "Follow-up: the recommended course is complete".to_owned()
    };
    (label, track)
}
