//! `kapdesk consent`: the informed-consent checklist, its signature, a withdrawal,
//! and the printed packet.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::consent::{ConsentItemUpdate, SignConsent};

use crate::cli::ConsentCmd;
use crate::shared::{Outcome, new_id, print_json, print_wrote_private};

pub(crate) fn run(v: &mut Vault, cmd: ConsentCmd) -> Outcome {
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
            let attested_by = match attested_by {
                Some(a) => a,
                None => v.settings()?.therapist_name,
            };
            let sign = SignConsent {
                signed_on: date.unwrap_or(today),
                method: method.into(),
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
        ConsentCmd::Renew { client } => {
            let id = v.find_client(&client)?.id;
            let s = v.start_new_consent(&id, Utc::now())?;
            println!(
                "A new consent is started ({} items to go through); the withdrawn one is kept as it was.",
                s.total
            );
            Ok(())
        }
        ConsentCmd::Print {
            client,
            blank,
            output,
        } => {
            let id = v.find_client(&client)?.id;
            let pdf = v.consent_packet(&id, blank, Utc::now())?;
            kapdesk_core::print::files::write_private_file(&output, &pdf)?;
            print_wrote_private(&output);
            Ok(())
        }
    }
}
