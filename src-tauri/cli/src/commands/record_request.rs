//! `kapdesk record-request`: one PDF of everything a client may receive (never
//! psychotherapy notes).

use chrono::Utc;
use kapdesk_core::Vault;

use crate::cli::RecordRequestArgs;
use crate::shared::Outcome;

pub(crate) fn run(v: &mut Vault, args: RecordRequestArgs) -> Outcome {
    let id = v.find_client(&args.client)?.id;
    let pdf = v.record_request(&id, Utc::now())?;
    kapdesk_core::print::files::write_private_file(&args.output, &pdf)?;
    println!(
        "Wrote {} (readable only by you; not encrypted). Psychotherapy notes are not included.",
        args.output.display()
    );
    Ok(())
}
