//! `kapdesk client`: add, list, show, archive and restore clients.

use chrono::Utc;
use kapdesk_core::model::client::{EmergencyContact, RideHome};
use kapdesk_core::{ClientDetails, ClientQuery, ClientStatus, Vault};

use crate::cli::ClientCmd;
use crate::shared::{Outcome, new_id, parts, print_json};

pub(crate) fn run(v: &mut Vault, cmd: ClientCmd) -> Outcome {
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
                status: status.into(),
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
                status: status.map(ClientStatus::from),
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
