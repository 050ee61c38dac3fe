//! `kapdesk init | passwd | info | backup | verify | restore`: the vault file itself.
//!
//! Unlike the other handlers these get the vault's path, not an open vault: `init`
//! creates it, `verify` and `restore` work on files that may not open, and `passwd`
//! and `backup` need the passphrase as well as the vault.

use std::path::Path;

use chrono::Utc;
use kapdesk_core::{Error, Vault};

use crate::cli::{BackupArgs, BackupsCmd, InfoArgs, PasswdArgs, RestoreArgs, VerifyArgs};
use crate::shared::{Failure, Outcome, current_passphrase, new_passphrase, print_json};

pub(crate) fn init(path: &Path, passphrase_file: Option<&Path>) -> Outcome {
    if path.exists() {
        return Err(Error::VaultExists { path: path.into() }.into());
    }
    let p = new_passphrase(
        passphrase_file,
        "KAPDESK_PASSPHRASE",
        "Choose a passphrase (at least 12 characters): ",
    )?;
    let vault = Vault::create(path, &p, Utc::now())?;
    vault.close()?;
    println!("Created an encrypted vault at {}.", path.display());
    println!("Keep the passphrase safe: if it is lost, nobody can recover the records.");
    Ok(())
}

pub(crate) fn passwd(path: &Path, passphrase_file: Option<&Path>, args: PasswdArgs) -> Outcome {
    let mut vault = Vault::open(path, &current_passphrase(passphrase_file)?, Utc::now())?;
    let new = new_passphrase(
        args.new_passphrase_file.as_deref(),
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

pub(crate) fn info(path: &Path, passphrase_file: Option<&Path>, args: InfoArgs) -> Outcome {
    let vault = Vault::open(path, &current_passphrase(passphrase_file)?, Utc::now())?;
    let info = vault.info()?;
    vault.close()?;
    if args.json {
        print_json(&info)?;
    } else {
        println!("Vault:      {}", info.path);
        println!(
            "Format:     schema version {}, SQLCipher {}",
            info.schema_version, info.sqlcipher_version
        );
        println!("Size:       {} bytes", info.file_bytes);
        if info.demo {
            println!("Demo:       the demo practice (`kapdesk demo`): invented clients only");
        }
        for t in &info.tables {
            println!("  {:<22}{:>8} rows", t.table, t.rows);
        }
    }
    Ok(())
}

pub(crate) fn backup(path: &Path, passphrase_file: Option<&Path>, args: BackupArgs) -> Outcome {
    let p = current_passphrase(passphrase_file)?;
    let Some(output) = args.output else {
        return backup_auto(path, &p, args.dir.as_deref());
    };
    if output.exists() && !args.force {
        return Err(Failure::Other(format!(
            "{} already exists; use --force to replace it, or choose another name.",
            output.display()
        )));
    }
    let vault = Vault::open(path, &p, Utc::now())?;
    let outcome = vault.backup_to(&output, &p, Utc::now())?;
    vault.close()?;
    println!(
        "Backed up to {} ({} bytes), encrypted with the current passphrase, and verified.",
        outcome.path, outcome.bytes
    );
    Ok(())
}

/// `backup --auto`: for a timer. While the app holds the vault it backs itself up, so
/// this says so and succeeds instead of failing the timer every evening.
fn backup_auto(path: &Path, p: &kapdesk_core::Passphrase, dir: Option<&Path>) -> Outcome {
    let vault = match Vault::open(path, p, Utc::now()) {
        Err(Error::InUse { holder }) => {
            println!(
                "Skipped: the vault is open in {holder}, which makes its own automatic backups."
            );
            return Ok(());
        }
        other => other?,
    };
    let outcome = vault.backup_auto(dir, p, Utc::now());
    vault.close()?;
    let outcome = outcome?;
    println!(
        "Backed up to {} ({} bytes), encrypted with the current passphrase, and verified.",
        outcome.written.path, outcome.written.bytes
    );
    if !outcome.removed.is_empty() {
        println!(
            "Removed {} older backup{} by the rotation: {}.",
            outcome.removed.len(),
            if outcome.removed.len() == 1 { "" } else { "s" },
            outcome.removed.join(", ")
        );
    }
    Ok(())
}

/// `backups list`: reads only, so it works while the app holds the vault.
pub(crate) fn backups(path: &Path, passphrase_file: Option<&Path>, cmd: BackupsCmd) -> Outcome {
    let BackupsCmd::List { dir, json } = cmd;
    let vault = Vault::open_read_only(path, &current_passphrase(passphrase_file)?)?;
    let list = vault.backups(dir.as_deref())?;
    let status = vault.backup_status(Utc::now(), None)?;
    if json {
        return print_json(&serde_json::json!({ "backups": list, "status": status }));
    }
    println!("{}", status.summary);
    if let Some(w) = &status.warning {
        println!("Warning: {w}");
    }
    if list.is_empty() {
        println!("No automatic backups in the folder.");
    }
    for b in &list {
        let mark = b
            .before_upgrade_to
            .map(|v| format!("  (taken before the upgrade to format {v})"))
            .unwrap_or_default();
        println!("{}  {:>12} bytes  {}{mark}", b.taken_at, b.bytes, b.path);
    }
    Ok(())
}

/// Checks `args.file`, or else the vault at `path`.
pub(crate) fn verify(path: &Path, passphrase_file: Option<&Path>, args: VerifyArgs) -> Outcome {
    let file = args.file.as_deref().unwrap_or(path);
    let report = Vault::verify_file(file, &current_passphrase(passphrase_file)?)?;
    if args.json {
        print_json(&report)?;
    } else {
        println!(
            "{} is intact: {} pages, schema version {}; every page's authentication code and the database structure check out.",
            report.path, report.pages, report.schema_version
        );
    }
    Ok(())
}

pub(crate) fn restore(path: &Path, passphrase_file: Option<&Path>, args: RestoreArgs) -> Outcome {
    let backup = &args.file;
    let outcome = Vault::restore(
        path,
        backup,
        &current_passphrase(passphrase_file)?,
        Utc::now(),
    )?;
    println!("Restored {} from {}.", outcome.restored, backup.display());
    if let Some(kept) = outcome.previous_kept_at {
        println!("The vault it replaced is kept at {kept}.");
    }
    println!("The vault now opens with the passphrase the backup was made with.");
    Ok(())
}
