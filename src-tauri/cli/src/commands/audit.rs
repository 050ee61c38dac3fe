//! `kapdesk audit verify | list`: the audit trail's sealed chain, checked alone or
//! against an earlier backup or export, and its entries.

use std::path::{Path, PathBuf};

use kapdesk_core::Vault;

use crate::cli::AuditCmd;
use crate::shared::{Failure, Outcome, current_passphrase, print_json};

pub(crate) fn run(path: &Path, passphrase_file: Option<&Path>, cmd: AuditCmd) -> Outcome {
    let passphrase = current_passphrase(passphrase_file)?;
    // Reading only: works while the app holds the vault.
    let vault = Vault::open_read_only(path, &passphrase)?;
    let outcome = match cmd {
        AuditCmd::Verify { against } => verify(&vault, against, &passphrase),
        AuditCmd::List { client, json } => list(&vault, client.as_deref(), json),
    };
    vault.close()?;
    outcome
}

/// One line: the summary (exit 0), or the first bad entry on stderr (exit 1).
fn verify(v: &Vault, against: Option<PathBuf>, passphrase: &kapdesk_core::Passphrase) -> Outcome {
    let report = v.verify_audit(against.as_deref(), passphrase)?;
    match report.problem {
        Some(p) => Err(Failure::Other(p.message)),
        None => {
            println!("{}", report.summary);
            Ok(())
        }
    }
}

fn list(v: &Vault, client: Option<&str>, json: bool) -> Outcome {
    let entries = v.audit_entries(client)?;
    if json {
        return print_json(&entries);
    }
    if entries.is_empty() {
        if let Some(c) = client {
            println!("No audit entry concerns \u{201c}{c}\u{201d}.");
        }
        return Ok(());
    }
    let width = entries.last().map_or(1, |e| e.number.to_string().len());
    for e in &entries {
        let line = format!(
            "{:>width$}  {}  {}  {}",
            e.number, e.at_local, e.event, e.detail
        );
        println!("{}", line.trim_end());
    }
    Ok(())
}
