//! The client's safety plan (the Stanley-Brown structure): seven parts written with the
//! client, each a few short lines, saved as versions that never change. The headings and
//! prompts the client reads are data in `assets/templates/safety-plan/safety-plan.toml`,
//! shown in the form and printed on the client's copy.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::validate;

/// The wording shipped with KAP Desk.
pub const WORDING: &str = include_str!("../../../../assets/templates/safety-plan/safety-plan.toml");

/// A line is short: a sign, a step, a name and a phone number.
pub const LINE_MAX: usize = 200;
/// A part holds a few lines; the plan is read in a hard moment.
pub const LINES_MAX: usize = 10;

/// The seven parts, in the order they are written and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SafetyPlanPart {
    WarningSigns,
    CopingStrategies,
    Distractions,
    PeopleToAsk,
    Professionals,
    SafeEnvironment,
    ReasonsToLive,
}

impl SafetyPlanPart {
    pub const ALL: [SafetyPlanPart; 7] = [
        SafetyPlanPart::WarningSigns,
        SafetyPlanPart::CopingStrategies,
        SafetyPlanPart::Distractions,
        SafetyPlanPart::PeopleToAsk,
        SafetyPlanPart::Professionals,
        SafetyPlanPart::SafeEnvironment,
        SafetyPlanPart::ReasonsToLive,
    ];

    /// The field a form error names (the UI's camelCase).
    pub fn field(self) -> &'static str {
        match self {
            SafetyPlanPart::WarningSigns => "warningSigns",
            SafetyPlanPart::CopingStrategies => "copingStrategies",
            SafetyPlanPart::Distractions => "distractions",
            SafetyPlanPart::PeopleToAsk => "peopleToAsk",
            SafetyPlanPart::Professionals => "professionals",
            SafetyPlanPart::SafeEnvironment => "safeEnvironment",
            SafetyPlanPart::ReasonsToLive => "reasonsToLive",
        }
    }

    /// How a sentence names the part ("the warning signs").
    fn named(self) -> &'static str {
        match self {
            SafetyPlanPart::WarningSigns => "Warning signs",
            SafetyPlanPart::CopingStrategies => "Things to do on my own",
            SafetyPlanPart::Distractions => "People and places for distraction",
            SafetyPlanPart::PeopleToAsk => "People to ask for help",
            SafetyPlanPart::Professionals => "Professionals and crisis lines",
            SafetyPlanPart::SafeEnvironment => "Making the space safer",
            SafetyPlanPart::ReasonsToLive => "Reasons to keep going",
        }
    }
}

/// What is written in each part: one entry per line.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SafetyPlanSections {
    #[serde(default)]
    pub warning_signs: Vec<String>,
    #[serde(default)]
    pub coping_strategies: Vec<String>,
    #[serde(default)]
    pub distractions: Vec<String>,
    #[serde(default)]
    pub people_to_ask: Vec<String>,
    #[serde(default)]
    pub professionals: Vec<String>,
    #[serde(default)]
    pub safe_environment: Vec<String>,
    #[serde(default)]
    pub reasons_to_live: Vec<String>,
}

impl SafetyPlanSections {
    pub fn lines(&self, part: SafetyPlanPart) -> &[String] {
        match part {
            SafetyPlanPart::WarningSigns => &self.warning_signs,
            SafetyPlanPart::CopingStrategies => &self.coping_strategies,
            SafetyPlanPart::Distractions => &self.distractions,
            SafetyPlanPart::PeopleToAsk => &self.people_to_ask,
            SafetyPlanPart::Professionals => &self.professionals,
            SafetyPlanPart::SafeEnvironment => &self.safe_environment,
            SafetyPlanPart::ReasonsToLive => &self.reasons_to_live,
        }
    }

    fn lines_mut(&mut self, part: SafetyPlanPart) -> &mut Vec<String> {
        match part {
            SafetyPlanPart::WarningSigns => &mut self.warning_signs,
            SafetyPlanPart::CopingStrategies => &mut self.coping_strategies,
            SafetyPlanPart::Distractions => &mut self.distractions,
            SafetyPlanPart::PeopleToAsk => &mut self.people_to_ask,
            SafetyPlanPart::Professionals => &mut self.professionals,
            SafetyPlanPart::SafeEnvironment => &mut self.safe_environment,
            SafetyPlanPart::ReasonsToLive => &mut self.reasons_to_live,
        }
    }

    /// Every part empty.
    pub fn is_empty(&self) -> bool {
        SafetyPlanPart::ALL
            .iter()
            .all(|p| self.lines(*p).is_empty())
    }
}

/// A plan as the form sends it, to be saved as the client's next version.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SafetyPlanInput {
    /// `YYYY-MM-DD`, the day it was written (or reviewed) with the client.
    pub written_on: String,
    pub sections: SafetyPlanSections,
}

impl SafetyPlanInput {
    /// A plan written as a TOML file (for `kapdesk safety-plan save --from`):
    /// `written_on = "YYYY-MM-DD"` and each part as a list of lines, e.g.
    /// `warning_signs = ["Staying in bed", "Not eating"]`.
    pub fn from_toml(text: &str) -> Result<Self> {
        #[derive(Deserialize)]
        struct File {
            written_on: String,
            #[serde(default)]
            warning_signs: Vec<String>,
            #[serde(default)]
            coping_strategies: Vec<String>,
            #[serde(default)]
            distractions: Vec<String>,
            #[serde(default)]
            people_to_ask: Vec<String>,
            #[serde(default)]
            professionals: Vec<String>,
            #[serde(default)]
            safe_environment: Vec<String>,
            #[serde(default)]
            reasons_to_live: Vec<String>,
        }
        let f: File = toml::from_str(text).map_err(|e| {
            Error::invalid(
                "file",
                format!(
                    "The safety plan file could not be read ({}). It needs written_on = \"YYYY-MM-DD\" and each part as a list of lines, such as warning_signs = [\"Staying in bed\"].",
                    e.message().trim_end_matches('.')
                ),
            )
        })?;
        Ok(SafetyPlanInput {
            written_on: f.written_on,
            sections: SafetyPlanSections {
                warning_signs: f.warning_signs,
                coping_strategies: f.coping_strategies,
                distractions: f.distractions,
                people_to_ask: f.people_to_ask,
                professionals: f.professionals,
                safe_environment: f.safe_environment,
                reasons_to_live: f.reasons_to_live,
            },
        })
    }

    /// Each line trimmed, a leading list mark ("- ", "• ") dropped, a line with breaks
    /// split in several, empty lines dropped; then checked: at least one part filled,
    /// lines short, parts short, written not after `today`. Errors name the part.
    pub fn validated(mut self, today: NaiveDate) -> Result<Self> {
        for part in SafetyPlanPart::ALL {
            let lines = self.sections.lines_mut(part);
            let cleaned: Vec<String> = lines
                .iter()
                .flat_map(|l| l.lines())
                .map(|l| {
                    let l = l.trim();
                    ["- ", "* ", "\u{2022} ", "\u{2022}"]
                        .iter()
                        .find_map(|mark| l.strip_prefix(mark))
                        .unwrap_or(l)
                        .trim()
                        .to_owned()
                })
                .filter(|l| !l.is_empty())
                .collect();
            if cleaned.len() > LINES_MAX {
                return Err(Error::invalid(
                    part.field(),
                    format!(
                        "{} has {} lines; keep it to {LINES_MAX} or fewer, so the plan stays easy to use in a hard moment.",
                        part.named(),
                        cleaned.len()
                    ),
                ));
            }
            if let Some(long) = cleaned.iter().find(|l| l.chars().count() > LINE_MAX) {
                let start: String = long.chars().take(30).collect();
                return Err(Error::invalid(
                    part.field(),
                    format!(
                        "A line in {} (\u{201c}{start}\u{2026}\u{201d}) is longer than {LINE_MAX} characters; split it or make it shorter.",
                        part.named()
                    ),
                ));
            }
            *lines = cleaned;
        }
        if self.sections.is_empty() {
            return Err(Error::invalid(
                "sections",
                "The plan is empty: write at least one line in one of its seven parts before saving.",
            ));
        }
        if self.written_on.trim().is_empty() {
            return Err(Error::invalid(
                "writtenOn",
                "Enter the day you wrote this plan with the client.",
            ));
        }
        let day = validate::date("writtenOn", &self.written_on)?;
        if day > today {
            return Err(Error::invalid(
                "writtenOn",
                "The plan cannot be dated in the future; use the day you wrote it with the client.",
            ));
        }
        self.written_on = day.to_string();
        Ok(self)
    }
}

/// One saved version of a client's plan. Never changed: a new save is a new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SafetyPlan {
    pub id: String,
    pub client_id: String,
    /// 1 for the first plan, then 2, 3 … per client.
    pub version: u32,
    /// `YYYY-MM-DD`.
    pub written_on: String,
    pub sections: SafetyPlanSections,
    /// RFC 3339, when this version was saved.
    pub created_at: String,
}

/// The heading and prompt of one part, as the form shows them and the plan prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SafetyPlanPartWording {
    pub id: SafetyPlanPart,
    pub heading: String,
    pub prompt: String,
}

/// The words of the plan the client keeps (`assets/templates/safety-plan/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SafetyPlanWording {
    pub revision: u32,
    pub title: String,
    pub introduction: String,
    /// "If you are in danger now, call 911."
    pub danger: String,
    /// The therapist's line under the professionals: `{{therapist}}` and `{{phone}}`.
    pub therapist: String,
    /// All seven parts, in `SafetyPlanPart::ALL` order.
    pub sections: Vec<SafetyPlanPartWording>,
}

impl SafetyPlanWording {
    /// Parses and checks a wording: all seven parts, in order, each with a heading.
    pub fn parse(body: &str) -> std::result::Result<Self, String> {
        let w: SafetyPlanWording = toml::from_str(body).map_err(|e| e.message().to_owned())?;
        let ids: Vec<SafetyPlanPart> = w.sections.iter().map(|s| s.id).collect();
        if ids != SafetyPlanPart::ALL {
            return Err("the seven parts must each appear once, in order".into());
        }
        if w.title.trim().is_empty()
            || w.danger.trim().is_empty()
            || w.sections.iter().any(|s| s.heading.trim().is_empty())
        {
            return Err("the title, the danger line and every heading need words".into());
        }
        Ok(w)
    }

    pub fn part(&self, part: SafetyPlanPart) -> Option<&SafetyPlanPartWording> {
        self.sections.iter().find(|s| s.id == part)
    }
}

/// The shipped wording, checked once. A broken file fails the unit test below, so a
/// build that ships never gets here with one.
pub fn wording() -> Result<&'static SafetyPlanWording> {
    static PARSED: OnceLock<std::result::Result<SafetyPlanWording, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| SafetyPlanWording::parse(WORDING))
        .as_ref()
        .map_err(|e| {
            Error::invalid(
                "template",
                format!("The safety plan's wording could not be read ({e})."),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    #[test]
    fn the_shipped_wording_names_all_seven_parts_in_order() {
        let w = wording().unwrap();
        assert_eq!(w.sections.len(), 7);
        assert!(w.danger.contains("911"));
        assert!(w.therapist.contains("{{therapist}}") && w.therapist.contains("{{phone}}"));
        assert!(
            SafetyPlanWording::parse(&WORDING.replace("reasons_to_live", "coping_strategies"))
                .is_err()
        );
    }

    #[test]
    fn lines_are_trimmed_split_and_stripped_of_list_marks() {
        let input = SafetyPlanInput {
            written_on: "2026-12-05".into(),
            sections: SafetyPlanSections {
                warning_signs: vec![
                    "  - Staying in bed  ".into(),
                    "".into(),
                    "• Not eating\nNo calls".into(),
                ],
                ..Default::default()
            },
        };
        let v = input.validated(today()).unwrap();
        assert_eq!(
            v.sections.warning_signs,
            ["Staying in bed", "Not eating", "No calls"]
        );
    }

    #[test]
    fn an_empty_plan_a_long_line_too_many_lines_or_a_future_date_is_refused_naming_the_field() {
        let empty = SafetyPlanInput {
            written_on: "2026-12-05".into(),
            sections: SafetyPlanSections {
                coping_strategies: vec!["  ".into()],
                ..Default::default()
            },
        };
        let e = empty.validated(today()).unwrap_err();
        assert!(e.to_string().contains("The plan is empty"), "{e}");

        let mut long = SafetyPlanInput {
            written_on: "2026-12-05".into(),
            ..Default::default()
        };
        long.sections.people_to_ask = vec!["x".repeat(LINE_MAX + 1)];
        let e = long.validated(today()).unwrap_err();
        assert_eq!(e.field(), Some("peopleToAsk"));
        assert!(e.to_string().contains("longer than 200 characters"), "{e}");

        let mut many = SafetyPlanInput {
            written_on: "2026-12-05".into(),
            ..Default::default()
        };
        many.sections.reasons_to_live = (0..11).map(|i| format!("reason {i}")).collect();
        let e = many.validated(today()).unwrap_err();
        assert_eq!(e.field(), Some("reasonsToLive"));

        let mut future = SafetyPlanInput {
            written_on: "2026-12-06".into(),
            ..Default::default()
        };
        future.sections.reasons_to_live = vec!["My daughter".into()];
        assert_eq!(
            future.clone().validated(today()).unwrap_err().field(),
            Some("writtenOn")
        );
        future.written_on = "2026-02-30".into();
        assert_eq!(
            future.validated(today()).unwrap_err().to_string(),
            "February 2026 has no day 30."
        );
    }
}
