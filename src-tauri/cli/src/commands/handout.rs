//! `kapdesk handout`: the dosing-day handout PDF for a client's dosing session.

use chrono::Utc;
use kapdesk_core::Vault;

use crate::cli::HandoutArgs;
use crate::shared::{Failure, Outcome, print_wrote_private};

pub(crate) fn run(v: &mut Vault, args: HandoutArgs) -> Outcome {
    let HandoutArgs {
        client,
        session,
        output,
    } = args;
    let client_id = v.find_client(&client)?.id;
    let r = v.dosing_record(&session)?;
    if r.client_id != client_id {
        return Err(Failure::Usage(format!(
            "Session {session} belongs to {}, not to {client}.",
            r.client_name
        )));
    }
    let pdf = v.dosing_handout(&session, Utc::now())?;
    kapdesk_core::print::files::write_private_file(&output, &pdf)?;
    print_wrote_private(&output);
    Ok(())
}
