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
    audit, calendar, clearance, client, consent, dashboard, demo, dosing, handout, measure, note,
    notes, prescription, record_request, recovery_sheet, release, safety_plan, session, settings,
    templates, timeline, timezone, vault,
};
use shared::{Outcome, current_passphrase, invalid_choice_sentence};

fn main() -> ExitCode {
    // A crash must not leave the passphrase or decrypted pages in a core file.
    if let Err(e) = kapdesk_core::hardening::forbid_core_dumps() {
        eprintln!(
            "kapdesk: core dumps could not be turned off ({e}); stopping to keep the vault's contents off the disk."
        );
        return ExitCode::from(1);
    }
    // Named in the sentence another program shows when it finds the vault held.
    kapdesk_core::vault::writer::identify_as("the kapdesk command");
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
    let mode = if reads_only(&cli.command) {
        Mode::Read
    } else {
        Mode::Write
    };
    match cli.command {
        // The vault file itself: these open (or create) it their own way.
        Command::Init => vault::init(p, pass),
        Command::Passwd(a) => vault::passwd(p, pass, a),
        Command::Info(a) => vault::info(p, pass, a),
        Command::Backup(a) => vault::backup(p, pass, a),
        Command::Backups(c) => vault::backups(p, pass, c),
        Command::Verify(a) => vault::verify(p, pass, a),
        Command::Restore(a) => vault::restore(p, pass, a),
        // A new vault of its own, at the path it is given.
        Command::Demo(a) => demo::run(pass, a),
        // Verifying against a backup needs the passphrase as well as the open vault.
        Command::Audit(c) => audit::run(p, pass, c),
        // Everything else works inside the open vault; commands that only look open it
        // without the writer lock, so they work while the app holds it.
        Command::Client(c) => in_vault(p, pass, mode, |v| client::run(v, c)),
        Command::Session(c) => in_vault(p, pass, mode, |v| session::run(v, c)),
        Command::Clearance(c) => in_vault(p, pass, mode, |v| clearance::run(v, c)),
        Command::Prescription(c) => in_vault(p, pass, mode, |v| prescription::run(v, c)),
        Command::Release(c) => in_vault(p, pass, mode, |v| release::run(v, c)),
        Command::Templates(c) => in_vault(p, pass, mode, |v| templates::run(v, c)),
        Command::Consent(c) => in_vault(p, pass, mode, |v| consent::run(v, c)),
        Command::Timeline(a) => in_vault(p, pass, mode, |v| timeline::run(v, a)),
        Command::Dashboard(a) => in_vault(p, pass, mode, |v| dashboard::run(v, a)),
        Command::Calendar(a) => in_vault(p, pass, mode, |v| calendar::run(v, a)),
        Command::Settings(a) => in_vault(p, pass, mode, |v| settings::run(v, a)),
        Command::Timezone(a) => in_vault(p, pass, mode, |v| timezone::run(v, a)),
        Command::Dosing(c) => in_vault(p, pass, mode, |v| dosing::run(v, c)),
        Command::Measure(c) => in_vault(p, pass, mode, |v| measure::run(v, c)),
        Command::Measures(c) => in_vault(p, pass, mode, |v| measure::export(v, c)),
        Command::Letter(a) => in_vault(p, pass, mode, |v| measure::letter(v, a)),
        Command::Handout(a) => in_vault(p, pass, mode, |v| handout::run(v, a)),
        Command::Note(c) => in_vault(p, pass, mode, |v| note::run(v, c)),
        Command::Notes(c) => in_vault(p, pass, mode, |v| notes::run(v, c)),
        Command::RecordRequest(a) => in_vault(p, pass, mode, |v| record_request::run(v, a)),
        Command::RecoverySheet(a) => in_vault(p, pass, mode, |v| recovery_sheet::run(v, a)),
        Command::SafetyPlan(c) => in_vault(p, pass, mode, |v| safety_plan::run(v, c)),
    }
}

#[derive(Clone, Copy)]
enum Mode {
    Read,
    Write,
}

/// Commands that only look at the vault. Everything else writes (exports and prints
/// too: each leaves an audit entry).
fn reads_only(c: &Command) -> bool {
    use cli::{
        AuditCmd, ClientCmd, DosingCmd, MeasureCmd, NoteCmd, NotesCmd, SafetyPlanCmd, SessionCmd,
        TemplatesCmd,
    };
    matches!(
        c,
        Command::Timeline(_)
            | Command::Dashboard(_)
            | Command::Backups(_)
            | Command::RecoverySheet(_)
            | Command::Audit(AuditCmd::List { .. } | AuditCmd::Verify { .. })
            | Command::Client(ClientCmd::List { .. } | ClientCmd::Show { .. })
            | Command::Session(SessionCmd::List { .. })
            | Command::Dosing(DosingCmd::Show { .. })
            | Command::Measure(MeasureCmd::List { .. })
            | Command::Note(NoteCmd::Show { .. })
            | Command::Notes(NotesCmd::Search { .. })
            | Command::Templates(TemplatesCmd::List | TemplatesCmd::Compare { .. })
            | Command::SafetyPlan(SafetyPlanCmd::Show { .. })
    )
}

/// Opens the vault, runs `handler` in it, and closes it again whatever the handler's
/// outcome (a failure to close wins: the vault's state is then in doubt).
fn in_vault(
    path: &Path,
    passphrase_file: Option<&Path>,
    mode: Mode,
    handler: impl FnOnce(&mut Vault) -> Outcome,
) -> Outcome {
    let passphrase = current_passphrase(passphrase_file)?;
    let mut vault = match mode {
        Mode::Read => Vault::open_read_only(path, &passphrase)?,
        Mode::Write => Vault::open(path, &passphrase, Utc::now())?,
    };
    let outcome = handler(&mut vault);
    vault.close()?;
    outcome
}
