//! The record request (45 CFR 164.524): one document with everything a client is
//! entitled to receive (the timeline, consent, dosing records and progress notes),
//! never psychotherapy notes. Built from model values the feature gathers.

use chrono::NaiveDate;

use crate::dates::long_date;
use crate::model::audit::AuditAnchor;
use crate::model::client::Client;
use crate::model::consent::ConsentStatus;
use crate::model::export::{ExportClient, ExportMeasure};
use crate::model::safety_plan::{SafetyPlan, SafetyPlanPart, SafetyPlanWording};
use crate::model::session::{SessionKind, SessionStatus, SessionView};
use crate::model::settings::PracticeSettings;
use crate::print::notes::{client_fields, note_blocks, parse_date};
use crate::print::pdf::{Block, Document, letterhead};

/// What the record request prints.
pub struct RecordRequest<'a> {
    pub client: &'a Client,
    pub settings: &'a PracticeSettings,
    pub today: NaiveDate,
    /// Every session of the client, any course, oldest first.
    pub sessions: &'a [SessionView],
    /// Every consent of the client, oldest first.
    pub consents: &'a [ConsentStatus],
    /// Each dosing session's record in words (`DosingRecord::summary_lines`), in order;
    /// a session with no lines is left out.
    pub dosing: &'a [(SessionView, Vec<String>)],
    /// The client's progress notes, checked, without psychotherapy notes.
    pub notes: Option<&'a ExportClient>,
    /// The client's outcome measures, oldest first.
    pub measures: &'a [ExportMeasure],
    /// Every version of the client's safety plan, oldest first, and the headings it
    /// prints under.
    pub safety_plans: &'a [SafetyPlan],
    pub safety_plan_wording: &'a SafetyPlanWording,
    /// The vault's audit trail as the record was prepared, printed at the end.
    pub audit_trail: &'a AuditAnchor,
}

fn status_words(s: SessionStatus) -> &'static str {
    match s {
        SessionStatus::Scheduled => "scheduled",
        SessionStatus::Completed => "completed",
        SessionStatus::Cancelled => "cancelled",
        SessionStatus::NoShow => "missed",
    }
}

/// The record request as a document, for `print::pdf::render`.
pub fn document(r: &RecordRequest<'_>) -> Document {
    let mut blocks = vec![
        Block::Title("Client record".into()),
        Block::Fields(client_fields(
            &r.client.details.legal_name,
            &r.client.details.date_of_birth,
            r.today,
        )),
        Block::Space(6.0),
        Block::Paragraph(
            "This record is provided in response to a request for records. It contains the treatment timeline, informed-consent records, dosing-session records, outcome measures, safety plans and progress notes. Psychotherapy notes are kept apart from the record and are not included (45 CFR 164.501, 164.524)."
                .into(),
        ),
        Block::Heading("Treatment timeline".into()),
    ];
    if r.sessions.is_empty() {
        blocks.push(Block::Paragraph("No sessions are recorded.".into()));
    } else {
        let lines: Vec<String> = r
            .sessions
            .iter()
            .map(|s| {
                format!(
                    "- {}, {}: {} ({}){}",
                    long_date(parse_date(&s.date)),
                    s.time,
                    s.label,
                    status_words(s.status),
                    if s.location.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", s.location)
                    }
                )
            })
            .collect();
        blocks.push(Block::Paragraph(lines.join("\n")));
    }

    blocks.push(Block::Heading("Informed consent".into()));
    if r.consents.is_empty() {
        blocks.push(Block::Paragraph("No consent record.".into()));
    }
    match r.consents {
        [one] => blocks.push(Block::Paragraph(consent_words(one))),
        // After a withdrawal and a new consent, each stands under its own title.
        many => {
            for (i, c) in many.iter().enumerate() {
                blocks.push(Block::Item {
                    title: format!("Consent {} of {}", i + 1, many.len()),
                    text: consent_words(c),
                    initials: false,
                    meta: None,
                });
            }
        }
    }

    blocks.push(Block::Heading("Dosing-session records".into()));
    let mut any_dosing = false;
    for (s, lines) in r.dosing {
        if s.kind != SessionKind::Dosing || lines.is_empty() {
            continue;
        }
        any_dosing = true;
        blocks.push(Block::Item {
            title: format!("{}, {} {}", s.label, long_date(parse_date(&s.date)), s.time),
            text: lines
                .iter()
                .map(|l| format!("- {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
            initials: false,
            meta: None,
        });
    }
    if !any_dosing {
        blocks.push(Block::Paragraph("No dosing sessions are recorded.".into()));
    }

    blocks.push(Block::Heading("Outcome measures".into()));
    if r.measures.is_empty() {
        blocks.push(Block::Paragraph("No outcome measures are recorded.".into()));
    } else {
        blocks.push(Block::Paragraph(
            r.measures
                .iter()
                .map(measure_line)
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }

    blocks.push(Block::Heading("Safety plan".into()));
    if r.safety_plans.is_empty() {
        blocks.push(Block::Paragraph("No safety plan is recorded.".into()));
    }
    for plan in r.safety_plans {
        blocks.push(Block::Item {
            title: format!(
                "Version {} of {}, written on {}",
                plan.version,
                r.safety_plans.len(),
                long_date(parse_date(&plan.written_on))
            ),
            text: safety_plan_words(plan, r.safety_plan_wording),
            initials: false,
            meta: None,
        });
    }

    blocks.push(Block::Heading("Progress notes".into()));
    match r.notes {
        Some(c) => note_blocks(c, &mut blocks),
        None => blocks.push(Block::Paragraph("No progress notes are recorded.".into())),
    }
    blocks.push(Block::Space(12.0));
    blocks.push(Block::Meta(r.audit_trail.line()));

    Document {
        paper: r.settings.paper_size,
        letterhead: letterhead(r.settings),
        footer: format!(
            "Client record \u{00b7} prepared {} \u{00b7} confidential",
            long_date(r.today)
        ),
        blocks,
    }
}

/// A safety plan's parts in words: each heading, then its lines; an empty part is
/// left out.
fn safety_plan_words(plan: &SafetyPlan, wording: &SafetyPlanWording) -> String {
    SafetyPlanPart::ALL
        .iter()
        .filter(|part| !plan.sections.lines(**part).is_empty())
        .map(|part| {
            let heading = wording.part(*part).map_or("", |w| w.heading.as_str());
            let lines: Vec<String> = plan
                .sections
                .lines(*part)
                .iter()
                .map(|l| format!("- {l}"))
                .collect();
            format!("{heading}\n{}", lines.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The consent record in words: signed or not, withdrawn, and each item discussed.
fn consent_words(c: &ConsentStatus) -> String {
    let mut text = match (&c.signature, &c.withdrawal) {
        (Some(sig), w) => {
            let mut t = format!(
                "{} (version {}): signed on {}, attested by {}.",
                c.title,
                c.template_version,
                long_date(parse_date(&sig.signed_on)),
                sig.attested_by
            );
            if let Some(w) = w {
                t.push_str(&format!(
                    " Consent withdrawn on {}.",
                    long_date(parse_date(&w.withdrawn_on))
                ));
            }
            t
        }
        (None, _) => format!(
            "{} (version {}): not signed; {} of {} items discussed.",
            c.title, c.template_version, c.done, c.total
        ),
    };
    let discussed: Vec<String> = c
        .items
        .iter()
        .filter_map(|i| {
            i.discussed_on.as_ref().map(|d| {
                format!(
                    "- {}: discussed {}{}",
                    i.title,
                    long_date(parse_date(d)),
                    if i.initialled { ", initialled" } else { "" }
                )
            })
        })
        .collect();
    if !discussed.is_empty() {
        text.push_str("\n\n");
        text.push_str(&discussed.join("\n"));
    }
    text
}

/// "- Monday 2 November 2026: PHQ-9 14 of 27 (Moderate), read aloud by the therapist;
/// item 9 above 0: safety plan made on 2026-11-02 (risk note: …)".
fn measure_line(m: &ExportMeasure) -> String {
    let mut line = format!(
        "- {}: {} {} of {} ({}), {}",
        long_date(parse_date(&m.date)),
        m.instrument_name,
        m.total,
        m.max_total,
        m.band,
        if m.filled_by == "therapist" {
            "read aloud by the therapist"
        } else {
            "filled in by the client"
        }
    );
    if m.safety_flag {
        line.push_str("; safety item above 0: ");
        match &m.safety_response {
            Some(r) => line.push_str(&format!(
                "{} on {} (risk note: {})",
                r.safety_plan.label().to_lowercase(),
                long_date(parse_date(
                    r.recorded_at.get(..10).unwrap_or(&r.recorded_at)
                )),
                r.risk_note
            )),
            None => line.push_str("no response recorded yet"),
        }
    }
    line
}
