//! `kapdesk timezone`: show or set the practice's time zone, which every local date
//! and time in the vault is read in.

use kapdesk_core::Vault;

use crate::cli::TimezoneArgs;
use crate::shared::Outcome;

pub(crate) fn run(v: &mut Vault, args: TimezoneArgs) -> Outcome {
    if let Some(z) = args.zone {
        v.set_practice_time_zone(&z)?;
    }
    println!("{}", v.practice_time_zone()?.name());
    Ok(())
}
