//! The notes export as people read it: one client's progress notes as a PDF document
//! (`notes_document`) or a Markdown file (`notes_markdown`), and the blocks of those
//! notes that the record request prints too (`note_blocks`). Built from the export's
//! model values only; every integrity failure found on the way out is printed.

use chrono::NaiveDate;

use crate::dates::long_date;
use crate::model::export::{ExportClient, ExportNote, NotesExport};
use crate::model::notes::NoteFormat;
use crate::model::settings::PracticeSettings;
use crate::print::pdf::{Block, Document, letterhead};

/// A stored `YYYY-MM-DD` date; a damaged one prints as the epoch rather than failing.
pub(crate) fn parse_date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

/// The fields under a document's title: the client, their date of birth, when prepared.
pub(crate) fn client_fields(legal: &str, dob: &str, today: NaiveDate) -> Vec<(String, String)> {
    let mut f = vec![("Client".to_owned(), legal.to_owned())];
    if !dob.is_empty() {
        f.push(("Date of birth".into(), long_date(parse_date(dob))));
    }
    f.push(("Prepared".into(), long_date(today)));
    f
}

fn signature_line(n: &ExportNote) -> String {
    let format = NoteFormat::parse(&n.format)
        .map(|f| f.label())
        .unwrap_or("Free-form");
    match (&n.signed_local, &n.signed_by, &n.sha256) {
        (Some(at), Some(by), Some(h)) => {
            format!("{format} note \u{00b7} signed {at} by {by} \u{00b7} SHA-256 {h}")
        }
        _ => format!("{format} note \u{00b7} DRAFT, not signed"),
    }
}

/// The blocks of one client's notes: shared by the notes PDF and the record request.
pub fn note_blocks(client: &ExportClient, blocks: &mut Vec<Block>) {
    for n in &client.notes {
        blocks.push(Block::Heading(format!(
            "{} \u{00b7} {}, {}",
            n.session_label,
            long_date(parse_date(&n.date)),
            n.time
        )));
        blocks.push(Block::Meta(signature_line(n)));
        // Sets the signature line apart from the first section's title.
        blocks.push(Block::Space(8.0));
        if let Some(problem) = &n.integrity_message {
            blocks.push(Block::Paragraph(problem.clone()));
        }
        if !n.dosing_record.is_empty() {
            blocks.push(Block::Item {
                title: "From the dosing record".into(),
                text: n
                    .dosing_record
                    .iter()
                    .map(|l| format!("- {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                initials: false,
                meta: None,
            });
        }
        for s in &n.sections {
            if s.text.trim().is_empty() {
                continue;
            }
            blocks.push(Block::Item {
                title: s.title.clone(),
                text: s.text.clone(),
                initials: false,
                meta: None,
            });
        }
        for a in &n.addenda {
            blocks.push(Block::Item {
                title: format!("Addendum {}", a.seq),
                text: a.text.clone(),
                initials: false,
                meta: Some(format!(
                    "Signed {} by {} \u{00b7} SHA-256 {}{}",
                    a.signed_local,
                    a.signed_by,
                    a.sha256,
                    if a.intact {
                        ""
                    } else {
                        " \u{00b7} INTEGRITY CHECK FAILED"
                    }
                )),
            });
        }
        if let Some(pn) = &n.psychotherapy_note
            && !pn.trim().is_empty()
        {
            blocks.push(Block::Item {
                title: "Psychotherapy note (not part of the record)".into(),
                text: pn.clone(),
                initials: false,
                meta: None,
            });
        }
    }
}

/// One client's notes as a PDF document.
pub fn notes_document(
    client: &ExportClient,
    data: &NotesExport,
    settings: &PracticeSettings,
    today: NaiveDate,
) -> Document {
    let mut fields = client_fields(&client.legal_name, &client.date_of_birth, today);
    fields.push(("Notes".into(), range_words(data)));
    let mut blocks = vec![
        Block::Title("Progress notes".into()),
        Block::Fields(fields),
        Block::Space(4.0),
    ];
    if data.includes_psychotherapy_notes {
        blocks.push(Block::Paragraph(
            "This export includes psychotherapy notes at the therapist's explicit choice. They are not part of the client's record."
                .into(),
        ));
    }
    note_blocks(client, &mut blocks);
    if let Some(a) = &data.audit_trail {
        blocks.push(Block::Space(12.0));
        blocks.push(Block::Meta(a.line()));
    }
    Document {
        paper: settings.paper_size,
        letterhead: letterhead(settings),
        footer: format!("Progress notes \u{00b7} exported {}", long_date(today)),
        blocks,
    }
}

fn range_words(data: &NotesExport) -> String {
    match (&data.from, &data.to) {
        (None, None) => "all sessions".into(),
        (Some(f), None) => format!("sessions from {}", long_date(parse_date(f))),
        (None, Some(t)) => format!("sessions up to {}", long_date(parse_date(t))),
        (Some(f), Some(t)) => format!(
            "sessions from {} to {}",
            long_date(parse_date(f)),
            long_date(parse_date(t))
        ),
    }
}

/// One client's notes as a readable Markdown file.
pub fn notes_markdown(client: &ExportClient, data: &NotesExport, today: NaiveDate) -> String {
    let mut md = String::with_capacity(client.notes.len() * 2048);
    md.push_str(&format!(
        "# Progress notes: {}\n\n",
        escape_html(&client.legal_name)
    ));
    if !client.date_of_birth.is_empty() {
        md.push_str(&format!(
            "Date of birth: {}  \n",
            long_date(parse_date(&client.date_of_birth))
        ));
    }
    md.push_str(&format!(
        "Exported {} ({}).  \nThis file is not encrypted: keep it somewhere safe.\n",
        long_date(today),
        range_words(data)
    ));
    if data.includes_psychotherapy_notes {
        md.push_str("\n**This export includes psychotherapy notes at the therapist's explicit choice. They are not part of the client's record.**\n");
    }
    for n in &client.notes {
        md.push_str(&format!(
            "\n---\n\n## {} · {}, {}\n\n*{}*\n",
            escape_html(&n.session_label),
            long_date(parse_date(&n.date)),
            n.time,
            escape_html(&signature_line(n))
        ));
        if let Some(p) = &n.integrity_message {
            md.push_str(&format!("\n> **{}**\n", escape_html(p)));
        }
        if !n.dosing_record.is_empty() {
            md.push_str("\n### From the dosing record\n\n");
            for l in &n.dosing_record {
                md.push_str(&format!("- {}\n", escape_html(l)));
            }
        }
        for s in &n.sections {
            if s.text.trim().is_empty() {
                continue;
            }
            md.push_str(&format!(
                "\n### {}\n\n{}\n",
                escape_html(&s.title),
                escape_html(s.text.trim_end())
            ));
        }
        for a in &n.addenda {
            md.push_str(&format!(
                "\n### Addendum {}\n\n*Signed {} by {} · SHA-256 `{}`{}*\n\n{}\n",
                a.seq,
                a.signed_local,
                escape_html(&a.signed_by),
                a.sha256,
                if a.intact {
                    ""
                } else {
                    " · INTEGRITY CHECK FAILED"
                },
                escape_html(a.text.trim_end())
            ));
        }
        if let Some(pn) = &n.psychotherapy_note
            && !pn.trim().is_empty()
        {
            md.push_str(&format!(
                "\n### Psychotherapy note (not part of the record)\n\n{}\n",
                escape_html(pn.trim_end())
            ));
        }
    }
    if let Some(a) = &data.audit_trail {
        md.push_str(&format!("\n---\n\n{}\n", a.line()));
    }
    md
}

/// Markup typed into a note is shown, never run: a Markdown viewer renders HTML found in
/// the text, so `<`, `>` and `&` are written as entities (which read the same). The
/// JSON export keeps the text exact.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}
