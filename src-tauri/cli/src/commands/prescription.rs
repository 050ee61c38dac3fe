//! `kapdesk prescription`: the prescription the partner team sent, one of the gates
//! before a first dosing.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::session::Prescription;

use crate::cli::PrescriptionCmd;
use crate::shared::{Outcome, new_id};

pub(crate) fn run(v: &mut Vault, cmd: PrescriptionCmd) -> Outcome {
    match cmd {
        PrescriptionCmd::Set {
            client,
            medication,
            route,
            dose,
            prescriber,
            date,
            valid_until,
            medication_instructions,
        } => {
            let id = v.find_client(&client)?.id;
            let p = Prescription {
                medication,
                route,
                dose,
                prescriber,
                prescribed_on: date,
                valid_until,
                medication_instructions: medication_instructions.join("\n"),
            };
            v.record_prescription(&id, p, &new_id(), Utc::now())?;
            println!("Prescription recorded.");
            Ok(())
        }
    }
}
