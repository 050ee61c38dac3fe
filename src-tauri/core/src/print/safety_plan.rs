//! The safety plan the client keeps: one page (two at most for a long plan), with the
//! client's name, the day it was written and its version, the seven parts in the
//! client's words, ruled lines to write on where a part is empty, and the practice's
//! crisis contacts under the professionals. The headings and prompts are data
//! (`model::safety_plan::wording`).

use chrono::NaiveDate;

use crate::dates::long_date;
use crate::error::Result;
use crate::model::client::Client;
use crate::model::safety_plan::{SafetyPlan, SafetyPlanPart, SafetyPlanWording};
use crate::model::settings::PracticeSettings;
use crate::print::pdf::{Block, Document, inspect, letterhead};

/// The PDF's title.
pub const TITLE: &str = "Safety plan";

/// What one printed plan is made of.
pub struct SafetyPlanPrint<'a> {
    pub plan: &'a SafetyPlan,
    pub wording: &'a SafetyPlanWording,
    pub client: &'a Client,
    pub practice: &'a PracticeSettings,
    /// The practice's date, for the footer.
    pub today: NaiveDate,
}

/// How much room the plan gets, roomiest first: the space above each part, the ruled
/// lines under an empty part, and those under the professionals when the client wrote
/// none there. The text itself never shrinks (11 pt).
const SPACINGS: [(f32, u32, u32); 3] = [(9.0, 3, 1), (5.0, 2, 1), (3.0, 1, 0)];

/// The plan laid out with one of `SPACINGS`.
pub fn document_with(d: &SafetyPlanPrint<'_>, spacing: usize) -> Document {
    let (gap, blank, blank_professionals) = SPACINGS[spacing.min(SPACINGS.len() - 1)];
    let (plan, w, practice) = (d.plan, d.wording, d.practice);
    let written = NaiveDate::parse_from_str(&plan.written_on, "%Y-%m-%d")
        .map(long_date)
        .unwrap_or_else(|_| plan.written_on.clone());
    let mut blocks = vec![
        Block::Title(w.title.trim().to_owned()),
        Block::Fields(vec![
            ("Name".to_owned(), d.client.display_name.clone()),
            (
                "Written".to_owned(),
                format!("{written} \u{00b7} version {}", plan.version),
            ),
        ]),
        Block::Space(4.0),
        Block::Strong(w.danger.trim().to_owned()),
        Block::Space(2.0),
        Block::Paragraph(w.introduction.trim().to_owned()),
    ];
    for part in SafetyPlanPart::ALL {
        let Some(words) = w.part(part) else { continue };
        let mut lines: Vec<String> = plan.sections.lines(part).to_vec();
        let written_here = !lines.is_empty();
        let mut rows_blank = if written_here { 0 } else { blank };
        let mut prompt = (!written_here).then(|| words.prompt.trim().to_owned());
        if part == SafetyPlanPart::Professionals {
            lines.extend(therapist_line(w, practice));
            lines.extend(
                practice
                    .crisis_contacts
                    .iter()
                    .map(|c| format!("{}: {}", c.label, c.phone)),
            );
            if !written_here {
                // The practice's contacts fill the part; a line or so to add a doctor.
                prompt = None;
                rows_blank = blank_professionals;
            }
        }
        blocks.push(Block::FormPart {
            heading: words.heading.trim().to_owned(),
            lines,
            prompt,
            blank: rows_blank,
            gap,
        });
    }
    Document {
        paper: practice.paper_size,
        letterhead: letterhead(practice),
        footer: format!(
            "Safety plan, version {} \u{00b7} printed {}",
            plan.version,
            long_date(d.today)
        ),
        blocks,
    }
}

/// "My therapist, Dr. Rivera: 828-555-0142", when the practice has a phone.
fn therapist_line(w: &SafetyPlanWording, practice: &PracticeSettings) -> Option<String> {
    let name = if practice.therapist_name.trim().is_empty() {
        practice.practice_name.trim()
    } else {
        practice.therapist_name.trim()
    };
    if practice.phone.trim().is_empty() || name.is_empty() {
        return None;
    }
    Some(
        w.therapist
            .replace("{{therapist}}", name)
            .replace("{{phone}}", practice.phone.trim()),
    )
}

/// The plan with the most room that still fits on one page; a plan too long for that
/// gets the tightest spacing and flows onto a second page (never clipped). Also says
/// how many pages it takes.
pub fn document(d: &SafetyPlanPrint<'_>) -> Result<(Document, usize)> {
    let last = SPACINGS.len() - 1;
    for spacing in 0..last {
        let doc = document_with(d, spacing);
        let (pages, _) = inspect(&doc)?;
        if pages == 1 {
            return Ok((doc, 1));
        }
    }
    let doc = document_with(d, last);
    let (pages, _) = inspect(&doc)?;
    Ok((doc, pages))
}
