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
enum Command {
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
}

/// Errors of the CLI itself, on top of the core's.
#[derive(Debug)]
enum Failure {
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

type Outcome = Result<(), Failure>;

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

fn print_json(value: &impl serde::Serialize) -> Outcome {
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
