//! A client's treatment timeline: the course's sessions, the checks before a dosing,
//! the integration after each one, the phase track and the one next step.

use chrono::{DateTime, Utc};

use crate::dates::long_date;
use crate::error::{Error, Result};
use crate::model::client::ClientSummary;
use crate::model::session::{SessionKind, SessionKindInfo, SessionStatus};
use crate::model::timeline::{ConsentSummary, Timeline};
use crate::rules::gates::DosingSlot;
use crate::rules::measures::{due_measures, safety_flag};
use crate::rules::{self, next_step, phase_and_track};
use crate::store;
use crate::vault::Vault;

impl Vault {
    pub fn timeline(
        &self,
        client_id: &str,
        course_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Timeline> {
        let client = self.client(client_id)?;
        let courses = self.courses(client_id)?;
        let course = match course_id {
            Some(id) => courses
                .iter()
                .find(|c| c.id == id)
                .cloned()
                .ok_or_else(|| Error::NotFound {
                    what: "That treatment course".into(),
                })?,
            None => courses.last().cloned().ok_or_else(|| Error::NotFound {
                what: "That client's treatment course".into(),
            })?,
        };
        let settings = self.protocol_settings()?;
        let today = self.today(now)?;
        let sessions = store::sessions::of_course(self.conn(), &course.id)?;
        let facts = self.course_facts(&client, &course.id, &sessions)?;

        // Gates are judged for the next booked dosing, or for today if none is booked.
        let next_dosing = sessions.iter().find(|s| {
            s.kind == SessionKind::Dosing
                && s.status == SessionStatus::Scheduled
                && s.starts_utc >= now
        });
        let slot = match next_dosing {
            Some(d) => DosingSlot::booked(d.local_date(), &d.id),
            None => DosingSlot::new(today),
        };
        let gates = rules::gates(&facts, &settings, slot, today);
        let dosing_blocked = gates.iter().any(|g| g.open);
        let integration = rules::integration_checks(&facts, &settings, today);

        let mut warnings = Vec::new();
        for s in sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Dosing && s.status == SessionStatus::Scheduled)
        {
            for w in rules::dosing_warnings(&facts, &settings, s.local_date(), Some(&s.id)) {
                warnings.push(format!(
                    "{} on {}: {}",
                    s.label,
                    long_date(s.local_date()),
                    w
                ));
            }
        }
        // Every booked dosing still to come is checked again, so a withdrawal of consent
        // or a lapsed clearance shows on each one; a written reason never hides it.
        for d in sessions.iter().filter(|s| {
            s.kind == SessionKind::Dosing
                && s.status == SessionStatus::Scheduled
                && s.local_date() >= today
        }) {
            let open = rules::open_gates_for_dosing(
                &facts,
                &settings,
                DosingSlot::booked(d.local_date(), &d.id),
                today,
            );
            if !open.is_empty() {
                warnings.push(rules::gates::blocked_dosing_sentence(d, &open));
            }
        }

        let measures_due = if Some(&course.id) == courses.last().map(|c| &c.id) {
            due_measures(&self.measure_schedule()?, &facts, today)
        } else {
            Vec::new()
        };
        let safety_flags: Vec<_> = self
            .open_safety_flags(Some(&client.id))?
            .iter()
            .filter_map(|a| safety_flag(a, &client.display_name))
            .collect();
        for f in &safety_flags {
            warnings.insert(0, f.message.clone());
        }

        let summary = ClientSummary {
            id: client.id.clone(),
            display_name: client.display_name.clone(),
            legal_name: client.details.legal_name.clone(),
            preferred_name: client.details.preferred_name.clone(),
            status: client.details.status,
            archived: client.archived,
            next_session: sessions
                .iter()
                .find(|s| s.status == SessionStatus::Scheduled && s.starts_utc >= now)
                .cloned(),
            last_session_date: sessions
                .iter()
                .rev()
                .find(|s| s.status == SessionStatus::Completed)
                .map(|s| s.date.clone()),
        };
        let (phase_label, track) = phase_and_track(&facts, &settings, &integration);
        let next_step = next_step(
            &facts,
            &settings,
            &gates,
            &integration,
            &sessions,
            today,
            now,
        );
        Ok(Timeline {
            client: summary,
            clearance: store::clearances::latest(self.conn(), &course.id)?,
            release_of_information: store::releases::latest(self.conn(), client_id)?,
            prescription: store::prescriptions::latest(self.conn(), &course.id)?,
            consent: self
                .consent_status_for_course(&course.id)?
                .map(|c| ConsentSummary {
                    done: c.done,
                    total: c.total,
                    signed_on: c.signature.map(|s| s.signed_on),
                    withdrawn_on: c.withdrawal.map(|w| w.withdrawn_on),
                }),
            course,
            courses,
            phase_label,
            track,
            sessions,
            gates,
            dosing_blocked,
            integration,
            warnings,
            next_step,
            booking_kinds: SessionKindInfo::all(),
            measures_due,
            safety_flags,
        })
    }
}
