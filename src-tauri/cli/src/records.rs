//! The record-keeping subcommands: clients, sessions, gate records, timeline,
//! dashboard, calendar. Each opens the vault, calls the core, and prints.

use std::path::Path;

use chrono::Utc;
use kapdesk_core::clients::{EmergencyContact, RideHome};
use kapdesk_core::consent::{ConsentItemUpdate, SignConsent};
use kapdesk_core::protocol::long_date;
use kapdesk_core::timeline::{Clearance, ConsentMethod, Prescription};
use kapdesk_core::{
    BookingRequest, ClientDetails, ClientQuery, ClientStatus, Passphrase, SessionKind,
    SessionStatus, Vault,
};

use crate::{
    ClearanceCmd, ClientCmd, Command, ConsentCmd, Failure, Outcome, PrescriptionCmd, SessionCmd,
    print_json,
};

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(crate) fn run(path: &Path, passphrase: &Passphrase, command: Command) -> Outcome {
    let mut vault = Vault::open(path, passphrase, Utc::now())?;
    let v = &mut vault;
    let outcome = match command {
        Command::Client(c) => client(v, c),
        Command::Session(c) => session(v, c),
        Command::Clearance(ClearanceCmd::Set {
            client,
            clinician,
            org,
            date,
            valid_until,
        }) => {
            let id = v.find_client(&client)?.id;
            let c = Clearance {
                clinician,
                organisation: org,
                cleared_on: date,
                valid_until,
            };
            v.record_clearance(&id, c, &new_id(), Utc::now())?;
            println!("Medical clearance recorded.");
            Ok(())
        }
        Command::Prescription(PrescriptionCmd::Set {
            client,
            medication,
            route,
            dose,
            prescriber,
            date,
        }) => {
            let id = v.find_client(&client)?.id;
            let p = Prescription {
                medication,
                route,
                dose,
                prescriber,
                prescribed_on: date,
            };
            v.record_prescription(&id, p, &new_id(), Utc::now())?;
            println!("Prescription recorded.");
            Ok(())
        }
        Command::Consent(cmd) => consent(v, cmd),
        Command::Timeline { client, json } => timeline(v, &client, json),
        Command::Dashboard { json } => dashboard(v, json),
        Command::Calendar { output, full_names } => {
            let export = v.calendar(full_names, Utc::now())?;
            kapdesk_core::export::write_private_file(&output, export.ics.as_bytes())?;
            println!(
                "Wrote {} scheduled session{} to {} (readable only by you; not encrypted).",
                export.events,
                if export.events == 1 { "" } else { "s" },
                output.display()
            );
            Ok(())
        }
        Command::Settings {
            therapist,
            credentials,
            practice,
            phone,
            email,
            medical_team,
            json,
        } => {
            let mut s = v.settings()?;
            let changed = therapist.is_some()
                || credentials.is_some()
                || practice.is_some()
                || phone.is_some()
                || email.is_some()
                || medical_team.is_some();
            if let Some(x) = therapist {
                s.therapist_name = x;
            }
            if let Some(x) = credentials {
                s.credentials = x;
            }
            if let Some(x) = practice {
                s.practice_name = x;
            }
            if let Some(x) = phone {
                s.phone = x;
            }
            if let Some(x) = email {
                s.email = x;
            }
            if let Some(x) = medical_team {
                let [n, p] = parts::<2>("medical-team", &x)?;
                s.medical_team_name = n;
                s.medical_team_phone = p;
            }
            if changed {
                s = v.save_settings(s, Utc::now())?;
            }
            if json {
                return print_json(&s);
            }
            println!(
                "{} \u{00b7} {} {} \u{00b7} phone {} \u{00b7} medical team {} {}",
                s.practice_name,
                s.therapist_name,
                s.credentials,
                s.phone,
                s.medical_team_name,
                s.medical_team_phone
            );
            Ok(())
        }
        Command::Dosing(c) => crate::clinical::dosing(v, c),
        Command::Handout {
            client,
            session,
            output,
        } => crate::clinical::handout(v, &client, &session, &output),
        Command::Note(c) => crate::clinical::note(v, c),
        Command::Notes(c) => crate::clinical::notes(v, c),
        Command::RecordRequest { client, output } => {
            crate::clinical::record_request(v, &client, &output)
        }
        Command::Timezone { zone } => {
            if let Some(z) = zone {
                v.set_practice_time_zone(&z)?;
            }
            println!("{}", v.practice_time_zone()?.name());
            Ok(())
        }
        Command::Init
        | Command::Passwd { .. }
        | Command::Info { .. }
        | Command::Backup { .. }
        | Command::Verify { .. }
        | Command::Restore { .. } => {
            Err(Failure::Other("This command is handled elsewhere.".into()))
        }
    };
    vault.close()?;
    outcome
}

/// "NAME|PHONE" or "NAME|RELATION|PHONE" into its parts.
pub(crate) fn parts<const N: usize>(flag: &str, value: &str) -> Result<[String; N], Failure> {
    let fields: Vec<String> = value.split('|').map(|p| p.trim().to_owned()).collect();
    fields.try_into().map_err(|_| {
        Failure::Usage(format!(
            "--{flag} takes {N} parts separated by |, for example {}.",
            if N == 2 {
                "\"Sam Rivera|828-555-0101\""
            } else {
                "\"Sam Rivera|partner|828-555-0101\""
            }
        ))
    })
}

fn client(v: &mut Vault, cmd: ClientCmd) -> Outcome {
    match cmd {
        ClientCmd::Add {
            name,
            preferred,
            pronouns,
            dob,
            phone,
            email,
            emergency,
            ride,
            status,
        } => {
            let mut details = ClientDetails {
                legal_name: name,
                preferred_name: preferred.unwrap_or_default(),
                pronouns: pronouns.unwrap_or_default(),
                date_of_birth: dob.unwrap_or_default(),
                phone: phone.unwrap_or_default(),
                email: email.unwrap_or_default(),
                status: ClientStatus::parse(&status)?,
                ..Default::default()
            };
            if let Some(e) = emergency {
                let [name, relation, phone] = parts::<3>("emergency", &e)?;
                details.emergency_contact = EmergencyContact {
                    name,
                    relation,
                    phone,
                };
            }
            if let Some(r) = ride {
                let [name, phone] = parts::<2>("ride", &r)?;
                details.ride_home = RideHome { name, phone };
            }
            let c = v.add_client(details, &new_id(), &new_id(), Utc::now())?;
            println!("{}", c.id);
            Ok(())
        }
        ClientCmd::List {
            search,
            status,
            archived,
            json,
        } => {
            let q = ClientQuery {
                search,
                status: status.as_deref().map(ClientStatus::parse).transpose()?,
                include_archived: archived,
                ..Default::default()
            };
            let list = v.list_clients(&q, Utc::now())?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("No clients match.");
            }
            for c in list {
                let next = c
                    .next_session
                    .map(|s| format!("next: {} {} {}", s.label, s.date, s.time))
                    .unwrap_or_else(|| "nothing booked".into());
                println!(
                    "{}  {:<32} {:<12} {}{}",
                    c.id,
                    c.legal_name,
                    c.status.as_str(),
                    next,
                    if c.archived { "  (archived)" } else { "" }
                );
            }
            Ok(())
        }
        ClientCmd::Show { client, json } => {
            let c = v.find_client(&client)?;
            if json {
                return print_json(&c);
            }
            let d = &c.details;
            println!("{} ({})", d.legal_name, c.id);
            for (label, value) in [
                ("Preferred name", d.preferred_name.as_str()),
                ("Pronouns", &d.pronouns),
                ("Date of birth", &d.date_of_birth),
                ("Phone", &d.phone),
                ("Email", &d.email),
                ("Status", d.status.as_str()),
            ] {
                if !value.is_empty() {
                    println!("  {label:<16}{value}");
                }
            }
            if !d.emergency_contact.name.is_empty() {
                let e = &d.emergency_contact;
                println!(
                    "  {:<16}{} ({}), {}",
                    "Emergency", e.name, e.relation, e.phone
                );
            }
            if !d.ride_home.name.is_empty() {
                println!(
                    "  {:<16}{}, {}",
                    "Ride home", d.ride_home.name, d.ride_home.phone
                );
            }
            if c.archived {
                println!("  Archived.");
            }
            Ok(())
        }
        ClientCmd::Archive { client } => {
            let id = v.find_client(&client)?.id;
            v.set_client_archived(&id, true, Utc::now())?;
            println!("Archived. The record is kept; `kapdesk client restore` brings it back.");
            Ok(())
        }
        ClientCmd::Restore { client } => {
            let id = v.find_client(&client)?.id;
            v.set_client_archived(&id, false, Utc::now())?;
            println!("Restored.");
            Ok(())
        }
    }
}

fn session(v: &mut Vault, cmd: SessionCmd) -> Outcome {
    let status_change = |v: &mut Vault, id: &str, status| -> Outcome {
        let s = v.set_session_status(id, status, Utc::now())?;
        println!(
            "{} on {} at {}: {}.",
            s.label,
            s.date,
            s.time,
            status.as_str().replace('_', "-")
        );
        Ok(())
    };
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
            let (date, time) = at.trim().split_once([' ', 'T']).ok_or_else(|| {
                Failure::Usage("--at takes a local date and time: \"YYYY-MM-DD HH:MM\".".into())
            })?;
            let req = BookingRequest {
                client_id,
                kind: SessionKind::parse(&kind)?,
                date: date.into(),
                time: time.trim().into(),
                duration_min: duration,
                location,
                override_reason,
            };
            let outcome = v.book_session(req, &new_id(), Utc::now())?;
            for w in &outcome.warnings {
                eprintln!("kapdesk: note: {w}");
            }
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
        SessionCmd::Complete { session } => status_change(v, &session, SessionStatus::Completed),
        SessionCmd::Cancel { session } => status_change(v, &session, SessionStatus::Cancelled),
        SessionCmd::NoShow { session } => status_change(v, &session, SessionStatus::NoShow),
    }
}

fn timeline(v: &Vault, client: &str, json: bool) -> Outcome {
    let id = v.find_client(client)?.id;
    let t = v.timeline(&id, None, Utc::now())?;
    if json {
        return print_json(&t);
    }
    println!(
        "{} \u{2014} course {}: {}",
        t.client.legal_name, t.course.number, t.phase_label
    );
    println!("Next step: {}. {}", t.next_step.title, t.next_step.detail);
    println!("\nGates before the first dosing:");
    for g in &t.gates {
        let mark = if g.open { "open  " } else { "closed" };
        println!("  [{mark}] {}: {}", g.title, g.detail);
        if g.open {
            println!("           \u{2192} {}", g.how_to_close);
        }
    }
    println!("\nSessions:");
    if t.sessions.is_empty() {
        println!("  none yet");
    }
    for s in &t.sessions {
        println!(
            "  {} {}  {:<14} {}",
            s.date,
            s.time,
            s.label,
            s.status.as_str()
        );
        if let Some(r) = &s.gate_override {
            println!("             booked with open gates: {r}");
        }
    }
    if !t.integration.is_empty() {
        println!("\nIntegration:");
        for c in &t.integration {
            println!(
                "  after dosing {} ({}): window {} to {}, {:?}",
                c.dosing_number,
                long_date(c.dosing_date),
                c.window_start,
                c.window_end,
                c.state
            );
        }
    }
    for w in &t.warnings {
        println!("Warning: {w}");
    }
    Ok(())
}

fn dashboard(v: &Vault, json: bool) -> Outcome {
    let d = v.dashboard(Utc::now())?;
    if json {
        return print_json(&d);
    }
    println!("Today:");
    if d.today.is_empty() {
        println!("  no sessions");
    }
    for a in &d.today {
        println!(
            "  {} {:<14} {}",
            a.session.time, a.session.label, a.client_name
        );
    }
    println!("This week:");
    if d.week.is_empty() {
        println!("  no sessions");
    }
    for a in &d.week {
        println!(
            "  {} {} {:<14} {}",
            a.session.date, a.session.time, a.session.label, a.client_name
        );
    }
    println!("Needs your attention:");
    if d.needs_action.is_empty() {
        println!("  nothing");
    }
    for a in &d.needs_action {
        println!("  {}: {}", a.client_name, a.message);
    }
    Ok(())
}

fn consent(v: &mut Vault, cmd: ConsentCmd) -> Outcome {
    let today = v.today(Utc::now())?.to_string();
    match cmd {
        ConsentCmd::Status { client, json } => {
            let id = v.find_client(&client)?.id;
            let s = v.consent_checklist(&id, Utc::now())?;
            if json {
                return print_json(&s);
            }
            println!(
                "{} (version {}): {} of {} items done",
                s.title, s.template_version, s.done, s.total
            );
            for i in &s.items {
                let mark = if i.done { "x" } else { " " };
                let when = i
                    .discussed_on
                    .as_deref()
                    .map(|d| format!(" discussed {d}"))
                    .unwrap_or_default();
                let initials = if i.initials_required && !i.initialled && i.discussed_on.is_some() {
                    ", not initialled"
                } else {
                    ""
                };
                println!("  [{mark}] {:<28} {}{when}{initials}", i.id, i.title);
            }
            match (&s.signature, &s.withdrawal) {
                (Some(sig), None) => println!(
                    "Signed on {} ({:?}), attested by {}.",
                    sig.signed_on, sig.method, sig.attested_by
                ),
                (Some(sig), Some(w)) => println!(
                    "Signed on {}; withdrawn on {}.",
                    sig.signed_on, w.withdrawn_on
                ),
                _ => println!("Not signed."),
            }
            Ok(())
        }
        ConsentCmd::Discuss {
            client,
            item,
            date,
            no_initials,
            note,
        } => {
            let id = v.find_client(&client)?.id;
            let update = ConsentItemUpdate {
                item_id: item,
                discussed_on: Some(date.unwrap_or(today)),
                session_id: None,
                initialled: !no_initials,
                note,
            };
            let s = v.update_consent_item(&id, update, Utc::now())?;
            println!("{} of {} items done.", s.done, s.total);
            Ok(())
        }
        ConsentCmd::Sign {
            client,
            method,
            date,
            attested_by,
        } => {
            let id = v.find_client(&client)?.id;
            let method = match method.as_str() {
                "paper" => ConsentMethod::Paper,
                "screen" => ConsentMethod::Screen,
                other => {
                    return Err(Failure::Usage(format!(
                        "--method is paper or screen, not \u{201c}{other}\u{201d}."
                    )));
                }
            };
            let attested_by = match attested_by {
                Some(a) => a,
                None => v.settings()?.therapist_name,
            };
            let sign = SignConsent {
                signed_on: date.unwrap_or(today),
                method,
                attested_by,
            };
            v.sign_consent(&id, sign, Utc::now())?;
            println!("Consent signed and locked.");
            Ok(())
        }
        ConsentCmd::Withdraw { client, date, note } => {
            let id = v.find_client(&client)?.id;
            v.withdraw_consent(&id, &date.unwrap_or(today), &note, &new_id(), Utc::now())?;
            println!("Withdrawal recorded; the signed record is kept as it was.");
            Ok(())
        }
        ConsentCmd::Print {
            client,
            blank,
            output,
        } => {
            let id = v.find_client(&client)?.id;
            let pdf = v.consent_packet(&id, blank, Utc::now())?;
            kapdesk_core::export::write_private_file(&output, &pdf)?;
            println!(
                "Wrote {} (readable only by you; not encrypted).",
                output.display()
            );
            Ok(())
        }
    }
}
