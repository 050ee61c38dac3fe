//! `kapdesk clearance`: the medical clearance the partner team sent, one of the
//! gates before a first dosing.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::session::Clearance;

use crate::cli::ClearanceCmd;
use crate::shared::{Outcome, new_id};

pub(crate) fn run(v: &mut Vault, cmd: ClearanceCmd) -> Outcome {
    match cmd {
        ClearanceCmd::Set {
            client,
            clinician,
            org,
            date,
            valid_until,
        } => {
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
    }
}
