//! `kapdesk settings`: the practice details printed on handouts and packets.

use chrono::Utc;
use kapdesk_core::Vault;

use crate::cli::SettingsArgs;
use crate::shared::{Outcome, parts, print_json};

pub(crate) fn run(v: &mut Vault, args: SettingsArgs) -> Outcome {
    let SettingsArgs {
        therapist,
        credentials,
        practice,
        phone,
        email,
        medical_team,
        json,
    } = args;
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
