//! Outcome measures: recording a questionnaire (scored here, never in the UI), listing a
//! client's scores against their baseline, the safety flag a PHQ-9 item 9 raises and
//! the therapist's response to it, the practice's measure schedule, and the CSV export.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Result};
use crate::model::measures::{
    Administration, AdministrationView, ChartDosing, ChartPoint, Instrument, MeasureChart,
    MeasureSchedule, NewAdministration, SafetyResponse, SafetyResponseInput, Score, instrument,
    instruments,
};
use crate::model::session::{SessionKind, SessionStatus};
use crate::print;
use crate::rules::measures::{baseline_index, progress, remission_line, response_line, score};
use crate::store;
use crate::validate;
use crate::vault::Vault;

/// A risk note is brief: the full account belongs in the session's note.
const RISK_NOTE_MAX: usize = 2000;

impl Vault {
    pub fn measure_schedule(&self) -> Result<MeasureSchedule> {
        store::measures::schedule(self.conn())
    }

    pub fn save_measure_schedule(
        &mut self,
        s: MeasureSchedule,
        now: DateTime<Utc>,
    ) -> Result<MeasureSchedule> {
        let s = s.validated()?;
        let tx = self.conn_mut().transaction()?;
        store::measures::save_schedule(&tx, &s, now)?;
        store::audit::record(&tx, now, "measure_schedule_saved", "")?;
        tx.commit()?;
        Ok(s)
    }

    /// Scores a form as it is being filled in, for the entry screen's total and band.
    /// Refuses a form with a question unanswered or an answer out of range.
    pub fn score_measure(&self, instrument_id: &str, answers: &[Option<u32>]) -> Result<Score> {
        score(instrument(instrument_id)?, answers)
    }

    /// Records one administration in the client's current course, scored here. A PHQ-9
    /// with item 9 above 0 raises a safety flag that stays until a response is recorded.
    pub fn record_measure(
        &mut self,
        a: NewAdministration,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<AdministrationView> {
        let client = self.client(&a.client_id)?;
        if client.archived {
            return Err(Error::invalid(
                "client",
                "This client is archived; restore the record before adding a measure.",
            ));
        }
        let inst = instrument(&a.instrument)?;
        let date = validate::date("date", &a.date)?;
        if date > self.today(now)? {
            return Err(Error::invalid(
                "date",
                "A measure cannot be dated in the future; use the day it was given.",
            ));
        }
        let course = self.current_course(&client.id)?;
        let session_id = match a.session_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(sid) => {
                let session = store::sessions::get(self.conn(), sid)?;
                if self.client_of(&session)?.id != client.id {
                    return Err(Error::invalid(
                        "sessionId",
                        "That session belongs to another client.",
                    ));
                }
                Some(session.id)
            }
        };
        let s = score(inst, &a.answers)?;
        let record = Administration {
            id: id.to_owned(),
            client_id: client.id.clone(),
            course_id: course.id,
            instrument: inst.id.clone(),
            date: date.format("%Y-%m-%d").to_string(),
            session_id,
            filled_by: a.filled_by,
            answers: a.answers.iter().map(|x| x.unwrap_or_default()).collect(),
            total: s.total,
            band: s.band,
            safety_flag: s.safety_flag,
            safety_response: None,
            recorded_at: now.to_rfc3339(),
        };
        let tx = self.conn_mut().transaction()?;
        store::measures::insert(&tx, &record)?;
        store::audit::record(&tx, now, "measure_recorded", id)?;
        tx.commit()?;
        self.measure_view(&client.id, id)
    }

    /// A client's measures, oldest first, each with its change against the baseline of
    /// the same instrument in the same course (the last one given on or before the
    /// course's first dosing).
    pub fn measures(&self, client_id: &str) -> Result<Vec<AdministrationView>> {
        self.client(client_id)?;
        let all = store::measures::of_client(self.conn(), client_id)?;
        let mut first_dosing: HashMap<String, NaiveDate> = HashMap::new();
        for s in store::sessions::of_client(self.conn(), client_id)?
            .iter()
            .filter(|s| s.kind == SessionKind::Dosing && s.status.counts())
        {
            first_dosing
                .entry(s.course_id.clone())
                .or_insert_with(|| s.local_date());
        }
        let dated: Vec<(String, NaiveDate)> = all
            .iter()
            .map(|a| {
                (
                    format!("{}/{}", a.course_id, a.instrument),
                    NaiveDate::parse_from_str(&a.date, "%Y-%m-%d").unwrap_or(NaiveDate::MIN),
                )
            })
            .collect();
        // Each course's baseline of each instrument, found once.
        let mut baselines: HashMap<&str, Option<usize>> = HashMap::new();
        for (a, (key, _)) in all.iter().zip(&dated) {
            baselines.entry(key.as_str()).or_insert_with(|| {
                baseline_index(&dated, key, first_dosing.get(&a.course_id).copied())
            });
        }
        all.iter()
            .zip(&dated)
            .map(|(a, (key, _))| {
                let inst = instrument(&a.instrument)?;
                let base = baselines
                    .get(key.as_str())
                    .copied()
                    .flatten()
                    .map(|i| &all[i]);
                // Dates are YYYY-MM-DD, so they compare as text.
                let before_baseline = base.is_some_and(|b| a.date < b.date);
                Ok(AdministrationView {
                    progress: base
                        .filter(|b| b.id != a.id && !before_baseline)
                        .map(|b| progress(inst, b.total, a.total)),
                    before_baseline,
                    instrument_name: inst.name.clone(),
                    max_total: inst.max_total(),
                    administration: a.clone(),
                })
            })
            .collect()
    }

    /// A chart per instrument the client has scores for in the current course, in the
    /// order instruments are offered: the scores, the bands, the baseline, the response
    /// and remission lines, and the course's completed and booked dosings. Empty when no
    /// score is on file in the course.
    pub fn measure_charts(&self, client_id: &str) -> Result<Vec<MeasureChart>> {
        let client = self.client(client_id)?;
        let course = self.current_course(&client.id)?;
        let measures: Vec<AdministrationView> = self
            .measures(&client.id)?
            .into_iter()
            .filter(|m| m.administration.course_id == course.id)
            .collect();
        if measures.is_empty() {
            return Ok(Vec::new());
        }
        let dosings: Vec<ChartDosing> = store::sessions::of_course(self.conn(), &course.id)?
            .iter()
            .filter(|s| s.kind == SessionKind::Dosing && s.status.counts())
            .enumerate()
            .map(|(n, s)| ChartDosing {
                date: s.date.clone(),
                label: s.label.clone(),
                short_label: format!("D{}", n + 1),
                booked: s.status == SessionStatus::Scheduled,
            })
            .collect();
        let short = |d: &str| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(|d| d.format("%-d %b %Y").to_string())
                .unwrap_or(d.to_owned())
        };
        let mut charts = Vec::new();
        for inst in instruments()? {
            let points: Vec<ChartPoint> = measures
                .iter()
                .filter(|m| m.administration.instrument == inst.id)
                .map(|m| {
                    let a = &m.administration;
                    ChartPoint {
                        administration_id: a.id.clone(),
                        date: a.date.clone(),
                        total: a.total,
                        band: a.band.clone(),
                        label: format!("{} \u{00b7} {}", a.total, a.band),
                        baseline: m.progress.is_none() && !m.before_baseline,
                        before_baseline: m.before_baseline,
                    }
                })
                .collect();
            let (Some(first), Some(last)) = (points.first(), points.last()) else {
                continue;
            };
            let baseline = points.iter().find(|p| p.baseline).cloned();
            // Dates are YYYY-MM-DD, so they compare as text.
            let dates = || {
                points
                    .iter()
                    .map(|p| p.date.as_str())
                    .chain(dosings.iter().map(|d| d.date.as_str()))
            };
            let from = dates().min().unwrap_or(&first.date).to_owned();
            let to = dates().max().unwrap_or(&last.date).to_owned();
            let span = if first.date == last.date {
                format!("on {}", short(&first.date))
            } else {
                format!("from {} to {}", short(&first.date), short(&last.date))
            };
            let caption = format!(
                "{} ({}) in course {}: {} score{} {span}; {} is better.",
                inst.name,
                inst.measures.to_lowercase(),
                course.number,
                points.len(),
                if points.len() == 1 { "" } else { "s" },
                if inst.higher_is_better {
                    "higher"
                } else {
                    "lower"
                },
            );
            charts.push(MeasureChart {
                instrument: inst.id.clone(),
                name: inst.name.clone(),
                measures: inst.measures.clone(),
                max_total: inst.max_total(),
                higher_is_better: inst.higher_is_better,
                bands: inst.bands.clone(),
                response: baseline.as_ref().and_then(|b| response_line(inst, b.total)),
                remission: remission_line(inst),
                baseline,
                points,
                dosings: dosings.clone(),
                from,
                to,
                caption,
            });
        }
        Ok(charts)
    }

    /// One administration as `measures` shows it, with its change from the baseline.
    fn measure_view(&self, client_id: &str, id: &str) -> Result<AdministrationView> {
        self.measures(client_id)?
            .into_iter()
            .find(|m| m.administration.id == id)
            .ok_or_else(|| Error::NotFound {
                what: "That measure".into(),
            })
    }

    /// Raised safety flags with no response yet: one client's, or every client's.
    pub fn open_safety_flags(&self, client_id: Option<&str>) -> Result<Vec<Administration>> {
        Ok(store::measures::open_flags(self.conn())?
            .into_iter()
            .filter(|a| client_id.is_none_or(|c| a.client_id == c))
            .collect())
    }

    /// The therapist's response to a raised flag: a brief risk note and whether a safety
    /// plan was made or reviewed. Recorded once and never changed; only then does the
    /// flag stop showing.
    pub fn record_safety_response(
        &mut self,
        administration_id: &str,
        input: SafetyResponseInput,
        now: DateTime<Utc>,
    ) -> Result<AdministrationView> {
        let a = store::measures::get(self.conn(), administration_id)?.ok_or_else(|| {
            Error::NotFound {
                what: "That measure".into(),
            }
        })?;
        if !a.safety_flag {
            return Err(Error::invalid(
                "administration",
                "This measure raised no safety flag, so there is nothing to respond to.",
            ));
        }
        if let Some(r) = &a.safety_response {
            return Err(Error::invalid(
                "administration",
                format!(
                    "A response to this safety flag is already on record (recorded {}); it is kept as written. Add anything further to the session note.",
                    r.recorded_at.get(..10).unwrap_or(&r.recorded_at)
                ),
            ));
        }
        let mut note = input.risk_note;
        validate::trimmed("riskNote", &mut note, RISK_NOTE_MAX)?;
        if note.is_empty() {
            return Err(Error::invalid(
                "riskNote",
                "Write a brief risk note: what you asked, what the client said, and what you agreed.",
            ));
        }
        let response = SafetyResponse {
            risk_note: note,
            safety_plan: input.safety_plan,
            recorded_at: now.to_rfc3339(),
        };
        let tx = self.conn_mut().transaction()?;
        store::measures::insert_response(&tx, administration_id, &response)?;
        store::audit::record(&tx, now, "safety_response_recorded", administration_id)?;
        tx.commit()?;
        self.measure_view(&a.client_id, administration_id)
    }

    /// The progress letter to the prescriber for the client's current course, as PDF:
    /// the course so far, each dosing as recorded, the scores as a table and charts,
    /// and `summary`, the therapist's own words (required).
    pub fn progress_letter(
        &mut self,
        client_id: &str,
        summary: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>> {
        let summary = summary.trim();
        if summary.is_empty() {
            return Err(Error::invalid(
                "summary",
                "Write a summary for the prescriber: how the client is doing, in your words.",
            ));
        }
        if summary.chars().count() > 10_000 {
            return Err(Error::invalid(
                "summary",
                "The summary is longer than 10,000 characters; please shorten it.",
            ));
        }
        let client = self.client(client_id)?;
        let settings = self.settings()?;
        let today = self.today(now)?;
        let course = self.current_course(&client.id)?;
        let sessions = store::sessions::of_course(self.conn(), &course.id)?;
        let dosings = sessions
            .iter()
            .filter(|s| {
                s.kind == SessionKind::Dosing
                    && s.status == crate::model::session::SessionStatus::Completed
            })
            .map(|s| self.dosing_record(&s.id))
            .collect::<Result<Vec<_>>>()?;
        let measures: Vec<(AdministrationView, &Instrument)> = self
            .measures(&client.id)?
            .into_iter()
            .filter(|m| m.administration.course_id == course.id)
            .map(|m| Ok((instrument(&m.administration.instrument)?, m)))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .map(|(i, m)| (m, i))
            .collect();
        let prescriber = match store::prescriptions::latest(self.conn(), &course.id)? {
            Some(p) if !p.prescriber.is_empty() => p.prescriber,
            _ => client.details.prescriber.name.clone(),
        };
        let doc = print::progress_letter::document(&print::progress_letter::ProgressLetter {
            client: &client,
            settings: &settings,
            today,
            course: &course,
            sessions: &sessions,
            dosings: &dosings,
            measures: &measures,
            prescriber: &prescriber,
            summary,
        });
        let pdf = print::pdf::render(&doc, "Progress report")?;
        self.audit(now, "progress_letter_printed", &client.id)?;
        Ok(pdf)
    }

    /// Every administration of the practice as CSV (one row per administration: client,
    /// instrument, date, each item, total, band, safety flag). The caller writes the file
    /// (0600); the export is on the record.
    pub fn measures_csv(&mut self, now: DateTime<Utc>) -> Result<(String, usize)> {
        let all = store::measures::all(self.conn())?;
        let mut names: HashMap<String, String> = HashMap::new();
        for a in &all {
            if !names.contains_key(&a.client_id) {
                let c = self.client(&a.client_id)?;
                names.insert(c.id, c.details.legal_name);
            }
        }
        let csv = print::measures::csv(&all, &names)?;
        self.audit(
            now,
            "measures_exported",
            &format!("{} administrations", all.len()),
        )?;
        Ok((csv, all.len()))
    }
}
