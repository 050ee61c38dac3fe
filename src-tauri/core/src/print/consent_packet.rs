//! The informed-consent packet as a document: blank, to hand out before a session (with
//! empty initials boxes), or as the record of one course's checklist, with when each
//! item was discussed, its signature and any withdrawal.

use chrono::NaiveDate;

use crate::dates::long_date;
use crate::model::client::Client;
use crate::model::consent::{ConsentStatus, ConsentTemplate};
use crate::model::session::ConsentMethod;
use crate::model::settings::PracticeSettings;
use crate::print::pdf::{Block, Document, letterhead};

/// What one packet is made of.
pub struct PacketData<'a> {
    pub client: &'a Client,
    pub practice: &'a PracticeSettings,
    /// The text to print: the newest template when blank, else the checklist's own copy.
    pub template: &'a ConsentTemplate,
    /// None: the blank packet. Some: the record of this checklist.
    pub status: Option<&'a ConsentStatus>,
    /// The practice's date, for the footer.
    pub today: NaiveDate,
}

pub fn document(d: &PacketData<'_>) -> Document {
    let (client, settings, template) = (d.client, d.practice, d.template);
    let mut blocks = vec![
        Block::Title(template.title.clone()),
        Block::Fields({
            let mut f = vec![("Client".to_owned(), client.details.legal_name.clone())];
            if !client.details.date_of_birth.is_empty()
                && let Ok(dob) =
                    NaiveDate::parse_from_str(&client.details.date_of_birth, "%Y-%m-%d")
            {
                f.push(("Date of birth".into(), long_date(dob)));
            }
            if !settings.therapist_name.is_empty() {
                let who = if settings.credentials.is_empty() {
                    settings.therapist_name.clone()
                } else {
                    format!("{}, {}", settings.therapist_name, settings.credentials)
                };
                f.push(("Therapist".into(), who));
            }
            f
        }),
        Block::Space(8.0),
        Block::Paragraph(template.introduction.clone()),
    ];
    if let Some(s) = d.status {
        let state = match (&s.signature, &s.withdrawal) {
            (Some(sig), Some(w)) => format!(
                "Record: signed on {} ({}); consent withdrawn on {}.",
                long_date(parse_date(&sig.signed_on)),
                method_words(sig.method),
                long_date(parse_date(&w.withdrawn_on))
            ),
            (Some(sig), None) => format!(
                "Record: signed on {} ({}), attested by {}.",
                long_date(parse_date(&sig.signed_on)),
                method_words(sig.method),
                sig.attested_by
            ),
            _ => format!(
                "Record: {} of {} items discussed; not yet signed.",
                s.done, s.total
            ),
        };
        blocks.push(Block::Meta(state));
    }
    let mut n = 0;
    for section in &template.sections {
        blocks.push(Block::Heading(section.title.clone()));
        for item in &section.items {
            n += 1;
            let meta = d
                .status
                .and_then(|s| s.items.iter().find(|i| i.id == item.id))
                .map(|i| match &i.discussed_on {
                    Some(on) => {
                        let mut m = format!("Discussed {}", long_date(parse_date(on)));
                        if i.initials_required {
                            m.push_str(if i.initialled {
                                "; initialled."
                            } else {
                                "; not yet initialled."
                            });
                        }
                        if !i.note.is_empty() {
                            m.push_str(&format!(" Note: {}", i.note));
                        }
                        m
                    }
                    None => "Not yet discussed.".into(),
                });
            blocks.push(Block::Item {
                title: format!("{n}. {}", item.title),
                text: item.text.clone(),
                initials: item.initials,
                meta,
            });
        }
    }
    blocks.push(Block::Heading("Signatures".into()));
    blocks.push(Block::Signatures {
        statement: template.closing.clone(),
        lines: vec![
            format!("Client signature \u{2014} {}", client.details.legal_name),
            "Date".into(),
        ],
    });
    blocks.push(Block::Space(14.0));
    blocks.push(Block::Signatures {
        statement: template.attestation.clone(),
        lines: vec![
            format!(
                "Therapist signature \u{2014} {}",
                if settings.therapist_name.is_empty() {
                    "therapist"
                } else {
                    &settings.therapist_name
                }
            ),
            "Date".into(),
        ],
    });

    Document {
        paper: settings.paper_size,
        letterhead: letterhead(settings),
        footer: format!(
            "{} v{} \u{00b7} {} \u{00b7} printed {}",
            template.id,
            template.version,
            if d.status.is_none() {
                "blank"
            } else {
                "record"
            },
            long_date(d.today)
        ),
        blocks,
    }
}

fn parse_date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn method_words(m: ConsentMethod) -> &'static str {
    match m {
        ConsentMethod::Paper => "on the printed packet",
        ConsentMethod::Screen => "on screen",
    }
}
