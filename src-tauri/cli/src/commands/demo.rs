//! `kapdesk demo -o FILE`: a demo practice of invented clients in a new vault.
//!
//! The passphrase is chosen as for `init` (the same strength check, typed twice on a
//! terminal): the demo is an ordinary encrypted vault on disk, and the same rule for
//! every vault is simpler to trust than an exception.

use std::path::Path;

use chrono::Utc;
use kapdesk_core::features::demo::{DemoOptions, write_demo_practice};

use crate::cli::DemoArgs;
use crate::shared::{Failure, Outcome, new_passphrase, print_json};

pub(crate) fn run(passphrase_file: Option<&Path>, args: DemoArgs) -> Outcome {
    if args.output.exists() {
        return Err(Failure::Other(format!(
            "{} already exists. A demo practice is always written to a new file, and nothing was changed: choose another name.",
            args.output.display()
        )));
    }
    let opts = DemoOptions {
        clients: args.clients,
        years: args.years,
        seed: args.seed,
    }
    .validated()?;
    let p = new_passphrase(
        passphrase_file,
        "KAPDESK_PASSPHRASE",
        "Choose a passphrase for the demo vault (at least 12 characters): ",
    )?;
    let s = write_demo_practice(&args.output, &p, &opts, Utc::now())?;
    if args.json {
        return print_json(&s);
    }
    println!(
        "Wrote a demo practice to {} in {:.1} seconds: {} clients over {} years (seed {}).",
        s.path, s.seconds, s.clients, opts.years, opts.seed
    );
    println!(
        "  {} courses, {} sessions ({} completed, {} cancelled, {} missed, {} moved)",
        s.courses,
        s.sessions,
        s.completed_sessions,
        s.cancelled_sessions,
        s.no_shows,
        s.moved_sessions
    );
    println!(
        "  {} dosings with their records, {} adverse events, {} booked with a written reason",
        s.dosings, s.adverse_events, s.overrides
    );
    println!(
        "  {} consents signed ({} withdrawn), {} clearances, {} prescriptions",
        s.consents_signed, s.consents_withdrawn, s.clearances, s.prescriptions
    );
    println!(
        "  {} signed notes, {} drafts, {} addenda, {} psychotherapy notes",
        s.signed_notes, s.draft_notes, s.addenda, s.psychotherapy_notes
    );
    println!(
        "  {} measures ({} safety flags), {} safety plans, {} audit entries",
        s.measures, s.safety_flags, s.safety_plans, s.audit_entries
    );
    let phases: Vec<String> = s
        .phases
        .iter()
        .map(|p| format!("{} {}", p.clients, p.phase.replace('_', "-")))
        .collect();
    println!("  Where the clients stand: {}.", phases.join(", "));
    println!(
        "  {} bytes. The vault is marked as the demo practice: it is not for real clients, and it is never restored over a real vault.",
        s.file_bytes
    );
    Ok(())
}
