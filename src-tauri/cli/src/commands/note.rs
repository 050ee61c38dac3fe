//! `kapdesk note`: write a session's note from a text file, sign it, amend it with
//! addenda, show it. Every command prints the note as it now is, and fails (after
//! printing it) if the note does not pass its integrity check.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::notes::{Note, NoteDraft, NoteFormat, NoteState};

use crate::cli::NoteCmd;
use crate::shared::{Failure, Outcome, new_id, print_json, read_text};
use kapdesk_core::model::notes::fill_sections;

pub(crate) fn run(v: &mut Vault, cmd: NoteCmd) -> Outcome {
    let now = Utc::now();
    let n = match cmd {
        NoteCmd::Show { session, json } => {
            let n = v.note(&session)?;
            if json {
                return print_json(&n);
            }
            n
        }
        NoteCmd::Write {
            session,
            format,
            from,
        } => {
            let text = read_text(&from)?;
            let mut n = v.note(&session)?;
            if let Some(f) = format.map(NoteFormat::from)
                && f != n.format
            {
                n = v.switch_note_format(&session, f, now)?;
            }
            let sections =
                fill_sections(&n.sections, &text).map_err(|e| Failure::Usage(e.to_string()))?;
            v.save_note_draft(
                &session,
                NoteDraft {
                    format: n.format,
                    sections,
                },
                now,
            )?
        }
        NoteCmd::Sign { session } => v.sign_note(&session, now)?,
        NoteCmd::Addendum { session, from } => {
            let text = read_text(&from)?;
            v.add_addendum(&session, &text, &new_id(), now)?
        }
    };
    print_note(&n);
    if !n.intact {
        return Err(Failure::Other(
            "This note failed its integrity check (see above).".into(),
        ));
    }
    Ok(())
}

fn print_note(n: &Note) {
    println!(
        "{} \u{00b7} {} {} \u{00b7} {} \u{00b7} {} note",
        n.session.label,
        n.session.date,
        n.session.time,
        n.client_name,
        n.format.label()
    );
    if let Some(p) = &n.integrity_message {
        eprintln!("kapdesk: {p}");
    }
    match (&n.state, &n.signature) {
        (NoteState::Signed, Some(s)) => println!(
            "Signed {} by {} \u{00b7} SHA-256 {}",
            s.signed_local, s.signed_by, s.sha256
        ),
        (NoteState::None, _) => println!("No note written yet."),
        _ => println!("Draft, not signed."),
    }
    for s in &n.sections {
        if !s.text.is_empty() {
            println!("\n## {}\n{}", s.title, s.text);
        }
    }
    for a in &n.addenda {
        println!(
            "\n## Addendum {} \u{00b7} signed {} by {}{}\n{}",
            a.seq,
            a.signed_local,
            a.signed_by,
            if a.intact {
                ""
            } else {
                " \u{00b7} INTEGRITY CHECK FAILED"
            },
            a.text
        );
    }
}
