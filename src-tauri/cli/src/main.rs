//! `kapdesk`: the KAP Desk command line, for scripting, backups and tests.
//!
//! This file only parses the command line, opens the vault for the commands that
//! work inside it, dispatches, and turns the outcome into an exit code. The command
//! tree is in `cli.rs`, the handlers in `commands/` (one file per noun), and what
//! they share in `shared.rs`.
//!
//! Exit codes are part of the interface: 0 ok, 2 usage, 3 wrong passphrase,
//! 4 damaged or not a vault, 1 anything else. Errors are one sentence on stderr.

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;
use clap::Parser;
use kapdesk_core::{Vault, paths};

mod cli;
mod commands;
mod shared;

use cli::{Cli, Command};
use commands::{
    audit, calendar, clearance, client, consent, dashboard, dosing, handout, note, notes,
    prescription, record_request, session, settings, timeline, timezone, vault,
};
use shared::{Outcome, current_passphrase, invalid_choice_sentence};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A wrong fixed word gets one sentence; other usage errors (exit code 2),
            // --help and --version are clap's own.
            if let Some(sentence) = invalid_choice_sentence(&e) {
                eprintln!("kapdesk: {sentence}");
                return ExitCode::from(2);
            }
            e.exit()
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("kapdesk: {}", f.message());
            ExitCode::from(f.exit_code())
        }
    }
}

fn run(cli: Cli) -> Outcome {
    let path = paths::resolve_vault_path(cli.global.vault)?;
    let pass = cli.global.passphrase_file.as_deref();
    let p = path.as_path();
    match cli.command {
        // The vault file itself: these open (or create) it their own way.
        Command::Init => vault::init(p, pass),
        Command::Passwd(a) => vault::passwd(p, pass, a),
        Command::Info(a) => vault::info(p, pass, a),
        Command::Backup(a) => vault::backup(p, pass, a),
        Command::Verify(a) => vault::verify(p, pass, a),
        Command::Restore(a) => vault::restore(p, pass, a),
        // Verifying against a backup needs the passphrase as well as the open vault.
        Command::Audit(c) => audit::run(p, pass, c),
        // Everything else works inside the open vault.
        Command::Client(c) => in_vault(p, pass, |v| client::run(v, c)),
        Command::Session(c) => in_vault(p, pass, |v| session::run(v, c)),
        Command::Clearance(c) => in_vault(p, pass, |v| clearance::run(v, c)),
        Command::Prescription(c) => in_vault(p, pass, |v| prescription::run(v, c)),
        Command::Consent(c) => in_vault(p, pass, |v| consent::run(v, c)),
        Command::Timeline(a) => in_vault(p, pass, |v| timeline::run(v, a)),
        Command::Dashboard(a) => in_vault(p, pass, |v| dashboard::run(v, a)),
        Command::Calendar(a) => in_vault(p, pass, |v| calendar::run(v, a)),
        Command::Settings(a) => in_vault(p, pass, |v| settings::run(v, a)),
        Command::Timezone(a) => in_vault(p, pass, |v| timezone::run(v, a)),
        Command::Dosing(c) => in_vault(p, pass, |v| dosing::run(v, c)),
        Command::Handout(a) => in_vault(p, pass, |v| handout::run(v, a)),
        Command::Note(c) => in_vault(p, pass, |v| note::run(v, c)),
        Command::Notes(c) => in_vault(p, pass, |v| notes::run(v, c)),
        Command::RecordRequest(a) => in_vault(p, pass, |v| record_request::run(v, a)),
    }
}

/// Opens the vault, runs `handler` in it, and closes it again whatever the handler's
/// outcome (a failure to close wins: the vault's state is then in doubt).
fn in_vault(
    path: &Path,
    passphrase_file: Option<&Path>,
    handler: impl FnOnce(&mut Vault) -> Outcome,
) -> Outcome {
    let mut vault = Vault::open(path, &current_passphrase(passphrase_file)?, Utc::now())?;
    let outcome = handler(&mut vault);
    vault.close()?;
    outcome
}
