//! `kapdesk recovery-sheet -o FILE.pdf`: the page to print and keep in a drawer. It only
//! reads the vault, so it works while the app has it open.

use chrono::Utc;
use kapdesk_core::Vault;

use crate::cli::RecoverySheetArgs;
use crate::shared::{Outcome, print_wrote_private};

pub(crate) fn run(v: &mut Vault, args: RecoverySheetArgs) -> Outcome {
    let pdf = v.recovery_sheet_pdf(Utc::now())?;
    kapdesk_core::print::files::write_private_file(&args.output, &pdf)?;
    print_wrote_private(&args.output);
    println!(
        "Print it and keep it in a locked drawer; write by hand where the passphrase is kept."
    );
    Ok(())
}
