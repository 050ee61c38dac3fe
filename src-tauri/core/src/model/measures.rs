//! Outcome measures as data: the instruments (PHQ-9, GAD-7, PCL-5, WHO-5) read from
//! `assets/measures/`, one administration of one of them, the safety flag PHQ-9 item 9
//! raises, and the practice's schedule of when measures are due.
//!
//! Adding an instrument is adding a TOML file beside the others and its line in
//! `SOURCES`; `instruments()` checks each file's shape once (answers numbered from 0,
//! bands covering every total), and a unit test makes a broken file fail the build's
//! tests rather than a session.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The instruments shipped with KAP Desk, in the order they are offered.
const SOURCES: &[(&str, &str)] = &[
    (
        "phq9.toml",
        include_str!("../../../../assets/measures/phq9.toml"),
    ),
    (
        "gad7.toml",
        include_str!("../../../../assets/measures/gad7.toml"),
    ),
    (
        "pcl5.toml",
        include_str!("../../../../assets/measures/pcl5.toml"),
    ),
    (
        "who5.toml",
        include_str!("../../../../assets/measures/who5.toml"),
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
// Files are snake_case (TOML), the UI camelCase.
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
#[ts(rename_all = "camelCase")]
pub struct AnswerOption {
    pub value: u32,
    pub label: String,
}

/// A severity band of the total, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
// Files are snake_case (TOML), the UI camelCase.
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
#[ts(rename_all = "camelCase")]
pub struct Band {
    pub from: u32,
    pub to: u32,
    pub label: String,
}

/// The published definitions of response and remission, as the instrument's file gives
/// them. Either response rule may be absent; WHO-5, where higher is better, has a rise.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
// Files are snake_case (TOML), the UI camelCase.
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
#[ts(rename_all = "camelCase")]
pub struct Thresholds {
    /// Response: the total at least this many per cent below the baseline's.
    #[serde(default)]
    pub response_drop_percent: Option<u32>,
    /// Response: the total at least this many points above the baseline's.
    #[serde(default)]
    pub response_rise_points: Option<u32>,
    /// Remission: a total below this.
    #[serde(default)]
    pub remission_below: Option<u32>,
    /// Where the definitions come from, printed with them.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
// Files are snake_case (TOML), the UI camelCase.
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
#[ts(rename_all = "camelCase")]
pub struct Instrument {
    /// Stable id, as stored: "phq9".
    pub id: String,
    /// Short name: "PHQ-9".
    pub name: String,
    pub title: String,
    /// What the client is asked before the items.
    pub prompt: String,
    /// What it measures, in a word or two ("Depression").
    pub measures: String,
    /// The total is the sum of the answers times this (WHO-5: 4, a percentage).
    pub multiplier: u32,
    pub higher_is_better: bool,
    pub licence: String,
    /// The 1-based item whose answer above 0 raises a safety flag (PHQ-9 item 9).
    #[serde(default)]
    pub safety_item: Option<u32>,
    pub items: Vec<String>,
    pub options: Vec<AnswerOption>,
    pub bands: Vec<Band>,
    pub thresholds: Thresholds,
}

impl Instrument {
    /// The highest answer an item takes.
    pub fn max_answer(&self) -> u32 {
        self.options.iter().map(|o| o.value).max().unwrap_or(0)
    }

    /// The highest total.
    pub fn max_total(&self) -> u32 {
        self.items.len() as u32 * self.max_answer() * self.multiplier
    }

    /// Answers numbered 0, 1, 2…; bands in order, each starting where the one before
    /// ended, from 0 to the highest total; the safety item one of the items.
    fn checked(self, file: &str) -> std::result::Result<Self, String> {
        let fail = |what: &str| Err(format!("{file}: {what}"));
        if self.items.is_empty() || self.options.is_empty() || self.multiplier == 0 {
            return fail("it needs items, answer options and a multiplier of at least 1");
        }
        if self
            .options
            .iter()
            .enumerate()
            .any(|(i, o)| o.value != i as u32)
        {
            return fail("answer options must be numbered 0, 1, 2… in order");
        }
        let mut next = 0;
        for b in &self.bands {
            if b.from != next || b.to < b.from {
                return fail("bands must follow each other from 0 without gaps");
            }
            next = b.to + 1;
        }
        if next != self.max_total() + 1 {
            return fail("bands must end at the highest total");
        }
        if let Some(i) = self.safety_item
            && (i == 0 || i as usize > self.items.len())
        {
            return fail("the safety item is not one of the items");
        }
        Ok(self)
    }
}

fn load() -> std::result::Result<Vec<Instrument>, String> {
    let mut out: Vec<Instrument> = Vec::with_capacity(SOURCES.len());
    for (file, text) in SOURCES {
        let i: Instrument = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
        let i = i.checked(file)?;
        if out.iter().any(|o| o.id == i.id) {
            return Err(format!("{file}: the id {} is used twice", i.id));
        }
        out.push(i);
    }
    Ok(out)
}

/// Every instrument KAP Desk offers, read once from the files built into it.
pub fn instruments() -> Result<&'static [Instrument]> {
    static ALL: OnceLock<std::result::Result<Vec<Instrument>, String>> = OnceLock::new();
    ALL.get_or_init(load).as_deref().map_err(|e| {
        Error::invalid(
            "instrument",
            format!(
                "The questionnaires built into KAP Desk are unreadable ({e}); please report this."
            ),
        )
    })
}

/// The instrument with this id ("phq9") or name ("PHQ-9"), ignoring case.
pub fn instrument(id: &str) -> Result<&'static Instrument> {
    let all = instruments()?;
    let wanted = id.trim().to_lowercase().replace('-', "");
    all.iter()
        .find(|i| i.id == wanted || i.name.to_lowercase().replace('-', "") == wanted)
        .ok_or_else(|| {
            Error::invalid(
                "instrument",
                format!(
                    "KAP Desk has no questionnaire called \"{}\"; choose one of {}.",
                    id.trim(),
                    all.iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// A measure on file, as the schedule and the checks see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureFact {
    pub instrument: String,
    pub date: chrono::NaiveDate,
}

/// Who filled in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FilledBy {
    /// The client, on the laptop or on paper.
    #[default]
    Client,
    /// The therapist, reading the items aloud.
    Therapist,
}

impl FilledBy {
    pub fn as_str(self) -> &'static str {
        match self {
            FilledBy::Client => "client",
            FilledBy::Therapist => "therapist",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "client" => Some(FilledBy::Client),
            "therapist" => Some(FilledBy::Therapist),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FilledBy::Client => "Filled in by the client",
            FilledBy::Therapist => "Read aloud by the therapist",
        }
    }
}

/// A score computed by `rules::measures::score`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    /// The sum of the answers.
    pub raw: u32,
    /// What is recorded and charted: the raw sum times the multiplier.
    pub total: u32,
    pub max_total: u32,
    pub band: String,
    /// The safety item was answered above 0.
    pub safety_flag: bool,
}

/// One administration as the form sends it. Answers in item order; `None` is a question
/// not answered yet (a draft may have gaps, a recorded form may not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewAdministration {
    pub client_id: String,
    pub instrument: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub filled_by: FilledBy,
    pub answers: Vec<Option<u32>>,
}

/// What was decided about a safety flag: the therapist's brief risk note and whether a
/// safety plan was made or reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SafetyPlanAction {
    Made,
    Reviewed,
    NotNeeded,
}

impl SafetyPlanAction {
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyPlanAction::Made => "made",
            SafetyPlanAction::Reviewed => "reviewed",
            SafetyPlanAction::NotNeeded => "not_needed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "made" => Some(SafetyPlanAction::Made),
            "reviewed" => Some(SafetyPlanAction::Reviewed),
            "not_needed" => Some(SafetyPlanAction::NotNeeded),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SafetyPlanAction::Made => "Safety plan made",
            SafetyPlanAction::Reviewed => "Safety plan reviewed",
            SafetyPlanAction::NotNeeded => "No safety plan needed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SafetyResponseInput {
    pub risk_note: String,
    pub safety_plan: SafetyPlanAction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SafetyResponse {
    pub risk_note: String,
    pub safety_plan: SafetyPlanAction,
    /// RFC 3339, when it was recorded.
    pub recorded_at: String,
}

/// One recorded administration, with its score as computed when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Administration {
    pub id: String,
    pub client_id: String,
    pub course_id: String,
    pub instrument: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub session_id: Option<String>,
    pub filled_by: FilledBy,
    pub answers: Vec<u32>,
    pub total: u32,
    pub band: String,
    /// Item 9 of a PHQ-9 was above 0.
    pub safety_flag: bool,
    /// The therapist's response to the flag; a flag without one is open.
    pub safety_response: Option<SafetyResponse>,
    pub recorded_at: String,
}

impl Administration {
    /// A raised flag nobody has responded to yet.
    pub fn flag_open(&self) -> bool {
        self.safety_flag && self.safety_response.is_none()
    }
}

/// An administration as the measures screen and the CLI list it: with the instrument's
/// name, the maximum, and the change against the course's baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdministrationView {
    #[serde(flatten)]
    pub administration: Administration,
    pub instrument_name: String,
    pub max_total: u32,
    /// The change from the baseline; `None` for the baseline itself and for a score
    /// given before it, which is never compared (no "response" before treatment).
    pub progress: Option<Progress>,
    /// Given before the baseline (the last score before the first dosing).
    pub before_baseline: bool,
}

/// How a score compares with the baseline of the same instrument in the same course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub baseline_total: u32,
    /// Positive when the score fell; whole per cent of the baseline (none when it was 0).
    pub percent_drop: Option<i32>,
    pub response: bool,
    pub remission: bool,
}

/// A line across a chart at a threshold (response or remission), computed by
/// `rules::measures::response_line` and `remission_line`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdLine {
    /// The last total that still meets it: the highest for a fall ("at or below 10"),
    /// the lowest for a rise ("at or above 42").
    pub total: u32,
    /// Where the line is drawn, half a point beyond `total`, so a score on the line's
    /// side of it meets the threshold and no score sits on the line.
    pub at: f64,
    /// "Response: 50% below the baseline of 20 (10 or lower)".
    pub label: String,
}

/// One score on a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartPoint {
    pub administration_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub total: u32,
    pub band: String,
    /// "12 · Moderate".
    pub label: String,
    /// This score is the course's baseline.
    pub baseline: bool,
    /// Given before the baseline, so never compared with it.
    pub before_baseline: bool,
}

/// A dosing session marked on a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartDosing {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// "Dosing 3".
    pub label: String,
    /// "D3", written at the line.
    pub short_label: String,
    /// Booked, not yet held.
    pub booked: bool,
}

/// One instrument's scores in the client's current course, with everything the screen
/// draws: the bands, the baseline, the response and remission lines, and each dosing.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeasureChart {
    pub instrument: String,
    /// "PHQ-9".
    pub name: String,
    /// "Depression".
    pub measures: String,
    pub max_total: u32,
    pub higher_is_better: bool,
    pub bands: Vec<Band>,
    /// Oldest first.
    pub points: Vec<ChartPoint>,
    pub baseline: Option<ChartPoint>,
    pub response: Option<ThresholdLine>,
    pub remission: Option<ThresholdLine>,
    /// The course's completed and booked dosings, in order.
    pub dosings: Vec<ChartDosing>,
    /// The first and last day the chart spans (`YYYY-MM-DD`): every score and dosing.
    pub from: String,
    pub to: String,
    /// "PHQ-9 (depression) in course 1: 3 scores from 18 Nov 2026 to 25 Nov 2026; lower is better."
    pub caption: String,
}

/// Which measures are due when. Each list holds instrument ids. Defaults follow the
/// practice's consent packet ("at baseline, during treatment and at 1, 3 and 6
/// months"): PHQ-9, GAD-7 and PCL-5 at baseline; PHQ-9 and GAD-7 before each dosing and
/// at each integration; all three 1, 3 and 6 months after the last dosing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeasureSchedule {
    /// A baseline of each `baseline` measure on file is a check before the first dosing.
    pub baseline_required: bool,
    pub baseline: Vec<String>,
    pub before_each_dosing: Vec<String>,
    pub at_integration: Vec<String>,
    pub follow_up: Vec<String>,
    /// Months after the last dosing.
    pub follow_up_months: Vec<u32>,
}

impl Default for MeasureSchedule {
    fn default() -> Self {
        let ids = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        MeasureSchedule {
            baseline_required: true,
            baseline: ids(&["phq9", "gad7", "pcl5"]),
            before_each_dosing: ids(&["phq9", "gad7"]),
            at_integration: ids(&["phq9", "gad7"]),
            follow_up: ids(&["phq9", "gad7", "pcl5"]),
            follow_up_months: vec![1, 3, 6],
        }
    }
}

impl MeasureSchedule {
    /// Every id names an instrument (stored by id, whatever the spelling given), months
    /// are 1-36 and increasing.
    pub fn validated(mut self) -> Result<Self> {
        for (field, list) in [
            ("baseline", &mut self.baseline),
            ("beforeEachDosing", &mut self.before_each_dosing),
            ("atIntegration", &mut self.at_integration),
            ("followUp", &mut self.follow_up),
        ] {
            let mut ids: Vec<String> = Vec::new();
            for name in list.iter() {
                let id = instrument(name)
                    .map_err(|e| Error::invalid(field, e.to_string()))?
                    .id
                    .clone();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            *list = ids;
        }
        if self.follow_up_months.iter().any(|m| !(1..=36).contains(m))
            || self.follow_up_months.windows(2).any(|w| w[0] >= w[1])
        {
            return Err(Error::invalid(
                "followUpMonths",
                "Follow-up months run from 1 to 36, each later than the one before (for example 1, 3, 6).",
            ));
        }
        Ok(self)
    }
}

/// Why a measure is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DueReason {
    Baseline,
    BeforeDosing,
    Integration,
    FollowUp,
}

/// Measures the schedule asks for at one occasion and that are not on file yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DueMeasures {
    pub reason: DueReason,
    /// Instrument ids, in the schedule's order.
    pub instruments: Vec<String>,
    /// The day they are due by; none for a baseline while no dosing is booked.
    pub due_on: Option<chrono::NaiveDate>,
    pub overdue: bool,
    /// "PHQ-9 and GAD-7 are due before dosing 2 on Tuesday 1 December 2026."
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_instrument_reads_and_is_well_formed() {
        let all = instruments().unwrap();
        let ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["phq9", "gad7", "pcl5", "who5"]);
        let shape: Vec<(usize, u32)> = all.iter().map(|i| (i.items.len(), i.max_total())).collect();
        assert_eq!(shape, [(9, 27), (7, 21), (20, 80), (5, 100)]);
        assert_eq!(instrument("phq9").unwrap().safety_item, Some(9));
        assert!(all.iter().all(|i| !i.licence.is_empty()));
    }

    #[test]
    fn instruments_are_found_by_id_or_name_and_an_unknown_one_is_a_sentence() {
        assert_eq!(instrument("PHQ-9").unwrap().id, "phq9");
        assert_eq!(instrument("gad7").unwrap().name, "GAD-7");
        let e = instrument("bdi2").unwrap_err().to_string();
        assert_eq!(
            e,
            "KAP Desk has no questionnaire called \"bdi2\"; choose one of PHQ-9, GAD-7, PCL-5, WHO-5."
        );
    }

    #[test]
    fn a_malformed_instrument_file_is_refused_naming_the_file() {
        let mut i = instrument("gad7").unwrap().clone();
        i.bands[1].from = 6;
        assert!(i.checked("x.toml").unwrap_err().contains("without gaps"));
        let mut i = instrument("gad7").unwrap().clone();
        i.bands.pop();
        assert!(i.checked("x.toml").unwrap_err().contains("highest total"));
    }

    #[test]
    fn the_schedule_is_checked_and_stored_by_id() {
        let s = MeasureSchedule {
            baseline: vec!["PHQ-9".into(), "phq9".into()],
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(s.baseline, ["phq9"]);
        let bad = MeasureSchedule {
            follow_up_months: vec![3, 1],
            ..Default::default()
        };
        assert_eq!(bad.validated().unwrap_err().field(), Some("followUpMonths"));
    }
}
