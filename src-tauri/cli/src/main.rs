//! `kapdesk`: the KAP Desk command line, for scripting, backups and tests.
//!
//! Exit codes are part of the interface: 0 ok, 2 usage, 3 wrong passphrase,
//! 4 damaged or not a vault, 1 anything else. Errors are one sentence on stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use clap::{Args, Parser, Subcommand};
use kapdesk_core::{Error, Passphrase, Vault, paths};
use zeroize::Zeroizing;

mod clinical;
mod records;

#[derive(Parser)]
#[command(
    name = "kapdesk",
    version,
    about = "KAP Desk: the encrypted practice vault, from the command line",
    after_help = "The passphrase comes from --passphrase-file, else KAPDESK_PASSPHRASE, else a prompt on the terminal."
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// The vault file [default: the platform data dir, e.g. ~/.local/share/kapdesk/kapdesk.vault]
    #[arg(long, global = true, env = paths::VAULT_ENV, value_name = "PATH")]
    vault: Option<PathBuf>,
    /// Read the passphrase from this file (first line) instead of prompting
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Create a new, empty vault (never overwrites an existing file)
    Init,
    /// Change the vault's passphrase (re-encrypts every page)
    Passwd {
        /// Read the new passphrase from this file instead of KAPDESK_NEW_PASSPHRASE or a prompt
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Show where the vault is, its format and what it holds
    Info {
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent encrypted copy of the vault (same passphrase)
    Backup {
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Check every page's authentication code and the database structure
    Verify {
        /// A backup to check instead of the vault
        file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Replace the vault with a backup; the current vault is kept beside it, renamed
    Restore {
        /// The backup file (it opens with the passphrase it was made with)
        file: PathBuf,
    },
    /// Add, list, show, archive and restore clients
    #[command(subcommand)]
    Client(ClientCmd),
    /// Book sessions and record what happened
    #[command(subcommand)]
    Session(SessionCmd),
    /// Record the medical clearance the partner team sent
    #[command(subcommand)]
    Clearance(ClearanceCmd),
    /// Record the prescription the partner team sent
    #[command(subcommand)]
    Prescription(PrescriptionCmd),
    /// Record the client's signed informed consent
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// A client's treatment timeline: phase, sessions, open gates, next step
    Timeline {
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// Today's and this week's sessions, and clients who need action
    Dashboard {
        #[arg(long)]
        json: bool,
    },
    /// Write scheduled sessions to an .ics calendar file (initials only by default)
    Calendar {
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Put clients' full names in the events (calendars often sync to the cloud)
        #[arg(long)]
        full_names: bool,
    },
    /// Show or change the practice settings printed on handouts and packets
    Settings {
        #[arg(long)]
        therapist: Option<String>,
        #[arg(long)]
        credentials: Option<String>,
        #[arg(long)]
        practice: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// The partner medical team, "NAME|PHONE"
        #[arg(long)]
        medical_team: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show or set the practice's time zone (an IANA name such as America/New_York)
    Timezone { zone: Option<String> },
    /// The dosing-day record: checks, medication, vitals, events, discharge
    #[command(subcommand)]
    Dosing(clinical::DosingCmd),
    /// Print the dosing-day handout for a client's dosing session
    Handout {
        client: String,
        #[arg(long)]
        session: String,
        #[arg(short, long, value_name = "FILE.pdf")]
        output: PathBuf,
    },
    /// Write, sign and amend a session's progress note
    #[command(subcommand)]
    Note(clinical::NoteCmd),
    /// Search and export notes
    #[command(subcommand)]
    Notes(clinical::NotesCmd),
    /// One PDF of everything a client may receive (never psychotherapy notes)
    RecordRequest {
        client: String,
        #[arg(short, long, value_name = "FILE.pdf")]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum ClientCmd {
    /// Add a client; prints the new client's id
    Add {
        #[arg(long, value_name = "LEGAL NAME")]
        name: String,
        #[arg(long)]
        preferred: Option<String>,
        #[arg(long)]
        pronouns: Option<String>,
        /// Date of birth, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        dob: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// "NAME|RELATION|PHONE"
        #[arg(long, value_name = "NAME|RELATION|PHONE")]
        emergency: Option<String>,
        /// The ride-home person after dosing: "NAME|PHONE"
        #[arg(long, value_name = "NAME|PHONE")]
        ride: Option<String>,
        /// inquiry, preparation, dosing, integration, completed or discharged
        #[arg(long, default_value = "inquiry")]
        status: String,
    },
    /// List clients (archived ones with --archived)
    List {
        #[arg(long, default_value = "")]
        search: String,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        archived: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show a client's record
    Show {
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// Archive a client (records are kept; nothing is deleted)
    Archive { client: String },
    /// Bring an archived client back
    Restore { client: String },
}

#[derive(Subcommand)]
pub(crate) enum SessionCmd {
    /// Book a session; prints the session id. A dosing with open gates is refused
    /// unless --override gives a written reason.
    Add {
        client: String,
        /// intake, preparation, dosing, integration, follow-up or other
        #[arg(long)]
        kind: String,
        /// Local date and time, "YYYY-MM-DD HH:MM"
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: String,
        /// Minutes (default: dosing 180, others 50)
        #[arg(long)]
        duration: Option<u32>,
        #[arg(long, default_value = "")]
        location: String,
        /// Book a dosing although gates are open; the reason is kept on the record
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// List a client's sessions in the current course
    List {
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark a session completed
    Complete { session: String },
    /// Mark a session cancelled
    Cancel { session: String },
    /// Mark a session as missed
    NoShow { session: String },
}

#[derive(Subcommand)]
pub(crate) enum ClearanceCmd {
    Set {
        client: String,
        #[arg(long)]
        clinician: String,
        #[arg(long, default_value = "")]
        org: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long, value_name = "YYYY-MM-DD", default_value = "")]
        valid_until: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum PrescriptionCmd {
    Set {
        client: String,
        #[arg(long)]
        medication: String,
        #[arg(long)]
        route: String,
        /// As prescribed by the partner team, in their words
        #[arg(long)]
        dose: String,
        #[arg(long)]
        prescriber: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum ConsentCmd {
    /// The consent checklist: which items are discussed and initialled, and the signature
    Status {
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark an item discussed (and initialled) today or on --date
    Discuss {
        client: String,
        /// The item's id (see `consent status`)
        item: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Discussed, but the client has not initialled it yet
        #[arg(long)]
        no_initials: bool,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Record the signature; refused until every item is discussed and initialled
    Sign {
        client: String,
        /// paper (wet signature on the printed packet) or screen
        #[arg(long)]
        method: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// The attesting therapist [default: the therapist in the practice settings]
        #[arg(long)]
        attested_by: Option<String>,
    },
    /// Record that the client withdrew consent (the signed record stays as it was)
    Withdraw {
        client: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Print the consent packet to a PDF: the record, or --blank to hand out
    Print {
        client: String,
        #[arg(long)]
        blank: bool,
        #[arg(short, long, value_name = "FILE.pdf")]
        output: PathBuf,
    },
}

/// Errors of the CLI itself, on top of the core's.
#[derive(Debug)]
pub(crate) enum Failure {
    Core(Error),
    /// Wrong use: exit code 2.
    Usage(String),
    Other(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Core(Error::WrongPassphrase) => 3,
            Failure::Core(Error::Damaged { .. } | Error::NewerVault { .. }) => 4,
            Failure::Core(_) | Failure::Other(_) => 1,
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Core(e) => e.to_string(),
            Failure::Usage(m) | Failure::Other(m) => m.clone(),
        }
    }
}

pub(crate) type Outcome = Result<(), Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("kapdesk: {}", f.message());
            ExitCode::from(f.exit_code())
        }
    }
}

fn run(cli: Cli) -> Outcome {
    let vault_path = paths::resolve_vault_path(cli.global.vault.clone())?;
    let g = &cli.global;
    match cli.command {
        Command::Init => init(&vault_path, g),
        Command::Passwd {
            new_passphrase_file,
        } => passwd(&vault_path, g, new_passphrase_file.as_deref()),
        Command::Info { json } => info(&vault_path, g, json),
        Command::Backup { output, force } => backup(&vault_path, g, &output, force),
        Command::Verify { file, json } => verify(file.as_deref().unwrap_or(&vault_path), g, json),
        Command::Restore { file } => restore(&vault_path, g, &file),
        other => records::run(&vault_path, &current_passphrase(g)?, other),
    }
}

fn init(path: &Path, g: &Global) -> Outcome {
    if path.exists() {
        return Err(Error::VaultExists { path: path.into() }.into());
    }
    let p = new_passphrase(
        g.passphrase_file.as_deref(),
        "KAPDESK_PASSPHRASE",
        "Choose a passphrase (at least 12 characters): ",
    )?;
    let vault = Vault::create(path, &p, Utc::now())?;
    vault.close()?;
    println!("Created an encrypted vault at {}.", path.display());
    println!("Keep the passphrase safe: if it is lost, nobody can recover the records.");
    Ok(())
}

fn passwd(path: &Path, g: &Global, new_file: Option<&Path>) -> Outcome {
    let mut vault = Vault::open(path, &current_passphrase(g)?, Utc::now())?;
    let new = new_passphrase(
        new_file,
        "KAPDESK_NEW_PASSPHRASE",
        "New passphrase (at least 12 characters): ",
    )?;
    vault.change_passphrase(&new, Utc::now())?;
    vault.close()?;
    println!(
        "The passphrase of {} was changed. Backups made before keep the old passphrase.",
        path.display()
    );
    Ok(())
}

fn info(path: &Path, g: &Global, json: bool) -> Outcome {
    let vault = Vault::open(path, &current_passphrase(g)?, Utc::now())?;
    let info = vault.info()?;
    vault.close()?;
    if json {
        print_json(&info)?;
    } else {
        println!("Vault:      {}", info.path);
        println!(
            "Format:     schema version {}, SQLCipher {}",
            info.schema_version, info.sqlcipher_version
        );
        println!("Size:       {} bytes", info.file_bytes);
        for t in &info.tables {
            println!("  {:<22}{:>8} rows", t.table, t.rows);
        }
    }
    Ok(())
}

fn backup(path: &Path, g: &Global, output: &Path, force: bool) -> Outcome {
    if output.exists() && !force {
        return Err(Failure::Other(format!(
            "{} already exists; use --force to replace it, or choose another name.",
            output.display()
        )));
    }
    let p = current_passphrase(g)?;
    let vault = Vault::open(path, &p, Utc::now())?;
    let outcome = vault.backup_to(output, &p, Utc::now())?;
    vault.close()?;
    println!(
        "Backed up to {} ({} bytes), encrypted with the current passphrase, and verified.",
        outcome.path, outcome.bytes
    );
    Ok(())
}

fn verify(path: &Path, g: &Global, json: bool) -> Outcome {
    let report = Vault::verify_file(path, &current_passphrase(g)?)?;
    if json {
        print_json(&report)?;
    } else {
        println!(
            "{} is intact: {} pages, schema version {}; every page's authentication code and the database structure check out.",
            report.path, report.pages, report.schema_version
        );
    }
    Ok(())
}

fn restore(path: &Path, g: &Global, backup: &Path) -> Outcome {
    let outcome = Vault::restore(path, backup, &current_passphrase(g)?, Utc::now())?;
    println!("Restored {} from {}.", outcome.restored, backup.display());
    if let Some(kept) = outcome.previous_kept_at {
        println!("The vault it replaced is kept at {kept}.");
    }
    println!("The vault now opens with the passphrase the backup was made with.");
    Ok(())
}

pub(crate) fn print_json(value: &impl serde::Serialize) -> Outcome {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Other(format!("Could not write JSON: {e}.")))?;
    println!("{text}");
    Ok(())
}

/// The passphrase of an existing vault: file, then environment, then a no-echo prompt.
fn current_passphrase(g: &Global) -> Result<Passphrase, Failure> {
    Ok(Passphrase::new(
        read_secret(
            g.passphrase_file.as_deref(),
            "KAPDESK_PASSPHRASE",
            "Vault passphrase: ",
        )?
        .to_string(),
    ))
}

/// A new passphrase. On a terminal it is typed twice; from a file or the environment
/// it is taken as given (a script has nothing to mistype).
fn new_passphrase(file: Option<&Path>, env: &str, prompt: &str) -> Result<Passphrase, Failure> {
    let first = read_secret(file, env, prompt)?;
    let second = if file.is_none() && std::env::var_os(env).is_none() {
        prompt_secret("Type it again: ")?
    } else {
        first.clone()
    };
    Ok(Passphrase::new_confirmed(
        first.to_string(),
        second.to_string(),
    )?)
}

fn read_secret(file: Option<&Path>, env: &str, prompt: &str) -> Result<Zeroizing<String>, Failure> {
    if let Some(file) = file {
        let text = Zeroizing::new(std::fs::read_to_string(file).map_err(|e| {
            Failure::Usage(format!(
                "Could not read the passphrase file {}: {e}.",
                file.display()
            ))
        })?);
        // The first line, without its line ending: editors add one.
        let line = text.lines().next().unwrap_or("");
        return Ok(Zeroizing::new(line.to_owned()));
    }
    if let Some(value) = std::env::var_os(env) {
        return value
            .into_string()
            .map(Zeroizing::new)
            .map_err(|_| Failure::Usage(format!("{env} is not valid UTF-8.")));
    }
    prompt_secret(prompt)
}

fn prompt_secret(prompt: &str) -> Result<Zeroizing<String>, Failure> {
    // Never wait on a pipe or in CI: prompt only when a person is at a terminal.
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "No passphrase was given. Set KAPDESK_PASSPHRASE, use --passphrase-file, or run kapdesk in a terminal."
                .into(),
        ));
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| {
            Failure::Other(format!(
                "Could not read the passphrase from the terminal: {e}."
            ))
        })
}
