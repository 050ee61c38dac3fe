//! `kapdesk calendar`: scheduled sessions to an .ics file outside the vault
//! (initials only unless asked for full names).

use chrono::Utc;
use kapdesk_core::Vault;

use crate::cli::CalendarArgs;
use crate::shared::Outcome;

pub(crate) fn run(v: &mut Vault, args: CalendarArgs) -> Outcome {
    let export = v.calendar(args.full_names, Utc::now())?;
    kapdesk_core::print::files::write_private_file(&args.output, export.ics.as_bytes())?;
    println!(
        "Wrote {} scheduled session{} to {} (readable only by you; not encrypted).",
        export.events,
        if export.events == 1 { "" } else { "s" },
        args.output.display()
    );
    Ok(())
}
