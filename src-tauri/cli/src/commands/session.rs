//! `kapdesk session`: book sessions, list them, and record how they went.

use chrono::Utc;
use kapdesk_core::{BookingOutcome, BookingRequest, SessionStatus, Vault};

use crate::cli::SessionCmd;
use crate::shared::{Failure, Outcome, new_id, print_json};

pub(crate) fn run(v: &mut Vault, cmd: SessionCmd) -> Outcome {
    match cmd {
        SessionCmd::Add {
            client,
            kind,
            at,
            duration,
            location,
            override_reason,
        } => {
            let client_id = v.find_client(&client)?.id;
            let (date, time) = date_and_time(&at)?;
            let req = BookingRequest {
                client_id,
                kind: kind.into(),
                date: date.into(),
                time: time.into(),
                duration_min: duration,
                location,
                override_reason,
            };
            let outcome = v.book_session(req, &new_id(), Utc::now())?;
            for w in &outcome.warnings {
                eprintln!("kapdesk: note: {w}");
            }
            offer_integration(&outcome, &client);
            println!("{}", outcome.session.id);
            Ok(())
        }
        SessionCmd::List { client, json } => {
            let id = v.find_client(&client)?.id;
            let t = v.timeline(&id, None, Utc::now())?;
            if json {
                return print_json(&t.sessions);
            }
            for s in t.sessions {
                println!(
                    "{}  {} {}  {:<14} {:>3} min  {}",
                    s.id,
                    s.date,
                    s.time,
                    s.label,
                    s.duration_min,
                    s.status.as_str()
                );
            }
            Ok(())
        }
        SessionCmd::Move {
            session,
            at,
            override_reason,
        } => {
            let (date, time) = date_and_time(&at)?;
            let outcome = v.move_session(&session, date, time, override_reason, Utc::now())?;
            for w in &outcome.warnings {
                eprintln!("kapdesk: note: {w}");
            }
            let client = v.client_of(&outcome.session)?.display_name;
            offer_integration(&outcome, &client);
            let s = outcome.session;
            println!("{} moved to {} at {}.", s.label, s.date, s.time);
            Ok(())
        }
        SessionCmd::Complete { session } => set_status(v, &session, SessionStatus::Completed),
        SessionCmd::Cancel { session } => set_status(v, &session, SessionStatus::Cancelled),
        SessionCmd::NoShow { session } => set_status(v, &session, SessionStatus::NoShow),
        SessionCmd::Reopen { session, reason } => {
            let s = v.reopen_session(&session, &reason, Utc::now())?;
            println!(
                "{} on {} at {} is booked again; the reason is kept with it.",
                s.label, s.date, s.time
            );
            Ok(())
        }
    }
}

/// After a dosing is booked or moved: its integration, and the command that books it.
fn offer_integration(outcome: &BookingOutcome, client: &str) {
    if let Some(offer) = &outcome.integration_offer {
        eprintln!(
            "kapdesk: note: {} Book it with: kapdesk session add \"{client}\" --kind integration --at \"{} {}\"",
            offer.sentence, offer.booking.date, offer.booking.time
        );
    }
}

fn set_status(v: &mut Vault, id: &str, status: SessionStatus) -> Outcome {
    let s = v.set_session_status(id, status, Utc::now())?;
    println!(
        "{} on {} at {}: {}.",
        s.label,
        s.date,
        s.time,
        status.as_str().replace('_', "-")
    );
    Ok(())
}

/// "YYYY-MM-DD HH:MM" (or with a T) → ("YYYY-MM-DD", "HH:MM"); the core checks both.
fn date_and_time(at: &str) -> Result<(&str, &str), Failure> {
    at.trim()
        .split_once([' ', 'T'])
        .map(|(d, t)| (d, t.trim()))
        .ok_or_else(|| {
            Failure::Usage("--at takes a local date and time: \"YYYY-MM-DD HH:MM\".".into())
        })
}
