//! The dashboard: today's and the coming week's sessions, and what needs doing.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use crate::dates::resolve_local;
use crate::error::Result;
use crate::model::timeline::Dashboard;
use crate::rules::CourseFacts;
use crate::rules::dashboard::{
    ActiveCourse, UNSIGNED_NOTE_DAYS, client_actions, measure_actions, missing_notes,
    open_note_actions, safety_flag_action,
};
use crate::rules::measures::{due_measures, safety_flag};
use crate::store;
use crate::vault::Vault;

impl Vault {
    /// Today's and the coming week's sessions, and the clients who need something done.
    /// A fixed number of queries whatever the size of the practice.
    pub fn dashboard(&self, now: DateTime<Utc>) -> Result<Dashboard> {
        let tz = self.practice_time_zone()?;
        let today = now.with_timezone(&tz).date_naive();
        let day_start = |d: NaiveDate| resolve_local(tz, d.and_time(NaiveTime::MIN)).unwrap_or(now);
        let tomorrow = today + Duration::days(1);
        let today_items =
            store::sessions::agenda(self.conn(), day_start(today), day_start(tomorrow), false)?;
        let week = store::sessions::agenda(
            self.conn(),
            day_start(tomorrow),
            day_start(today + Duration::days(7)),
            true,
        )?;

        let settings = self.protocol_settings()?;
        let conn = self.conn();
        let mut clients: std::collections::HashMap<String, _> = store::clients::active(conn)?
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
        let mut sessions_by_course = store::sessions::protocol_sessions_of_active_courses(conn)?;
        let clearances = store::clearances::latest_per_course(conn)?;
        let prescribed = store::prescriptions::valid_until_per_course(conn)?;
        let consents = store::consent::standing_per_course(conn)?;
        let withdrawn = store::consent::courses_with_a_withdrawal(conn)?;
        let releases = store::releases::latest_per_client(conn)?;
        let activity = store::sessions::activity_of_active_courses(conn, now)?;
        let schedule = store::measures::schedule(conn)?;
        let mut measures = store::measures::facts_per_course(conn)?;

        let mut needs_action = Vec::new();
        // Notes are written while the session is fresh. Drafts left unsigned come from the
        // notes table (any client, any age, through a partial index); protocol sessions of
        // the current course without any note come from the sessions loaded here anyway,
        // so neither costs a scan of every session.
        let mut open_notes = self.draft_notes_before(now - Duration::days(UNSIGNED_NOTE_DAYS))?;
        for (client_id, course_id) in store::courses::current_of_active_clients(conn)? {
            let Some(client) = clients.remove(&client_id) else {
                continue;
            };
            let mut sessions = sessions_by_course.remove(&course_id).unwrap_or_default();
            // The order the timeline uses, ties included, so labels agree with it.
            sessions.sort_by(|a, b| {
                a.starts_utc
                    .cmp(&b.starts_utc)
                    .then_with(|| a.id.cmp(&b.id))
            });
            crate::model::session::number_sessions(&mut sessions);
            let facts = CourseFacts::new(
                &client,
                &sessions,
                clearances.get(&course_id),
                prescribed.get(&course_id).map(String::as_str),
                consents.get(&course_id).copied(),
                withdrawn.contains(&course_id),
            )
            .with_release(releases.get(&client_id))
            .with_measures(measures.remove(&course_id).unwrap_or_default(), &schedule);
            let (last_completed, booked_ahead) =
                activity.get(&course_id).cloned().unwrap_or_default();
            let course = ActiveCourse {
                client: &client,
                sessions: &sessions,
                facts: &facts,
                last_completed: last_completed
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                booked_ahead,
            };
            open_notes.extend(missing_notes(&course, now));
            needs_action.extend(client_actions(&course, &settings, today));
            needs_action.extend(measure_actions(
                &client,
                &due_measures(&schedule, &facts, today),
                today,
            ));
        }
        needs_action.extend(open_note_actions(open_notes));
        // Safety flags first, for every client whatever their status: a flag never
        // leaves the dashboard until a response is recorded.
        let mut flags = Vec::new();
        for a in store::measures::open_flags(conn)? {
            let name = self.client(&a.client_id)?.display_name;
            flags.extend(safety_flag(&a, &name).as_ref().map(safety_flag_action));
        }
        needs_action.splice(0..0, flags);
        Ok(Dashboard {
            today: today_items,
            week,
            needs_action,
        })
    }
}
