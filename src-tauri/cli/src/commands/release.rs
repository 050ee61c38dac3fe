//! `kapdesk release`: the client's signed release of information to the partner
//! medical team, one of the gates before a first dosing.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::client::ReleaseOfInformation;

use crate::cli::ReleaseCmd;
use crate::shared::{Outcome, new_id};

pub(crate) fn run(v: &mut Vault, cmd: ReleaseCmd) -> Outcome {
    match cmd {
        ReleaseCmd::Set {
            client,
            to,
            share,
            date,
            valid_until,
        } => {
            let id = v.find_client(&client)?.id;
            let r = ReleaseOfInformation {
                recipient: to,
                may_share: share,
                signed_on: date,
                valid_until,
            };
            v.record_release_of_information(&id, r, &new_id(), Utc::now())?;
            println!("Release of information recorded.");
            Ok(())
        }
    }
}
