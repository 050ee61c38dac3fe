//! `kapdesk init | passwd | info | backup | verify | restore`: the vault file itself.
//!
//! Unlike the other handlers these get the vault's path, not an open vault: `init`
//! creates it, `verify` and `restore` work on files that may not open, and `passwd`
//! and `backup` need the passphrase as well as the vault.

use std::path::Path;

use chrono::Utc;
use kapdesk_core::{Error, Vault};

use crate::cli::{BackupArgs, InfoArgs, PasswdArgs, RestoreArgs, VerifyArgs};
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
        for t in &info.tables {
            println!("  {:<22}{:>8} rows", t.table, t.rows);
        }
    }
    Ok(())
}

pub(crate) fn backup(path: &Path, passphrase_file: Option<&Path>, args: BackupArgs) -> Outcome {
    let output = &args.output;
    if output.exists() && !args.force {
        return Err(Failure::Other(format!(
            "{} already exists; use --force to replace it, or choose another name.",
            output.display()
        )));
    }
    let p = current_passphrase(passphrase_file)?;
    let vault = Vault::open(path, &p, Utc::now())?;
    let outcome = vault.backup_to(output, &p, Utc::now())?;
    vault.close()?;
    println!(
        "Backed up to {} ({} bytes), encrypted with the current passphrase, and verified.",
        outcome.path, outcome.bytes
    );
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
