//! Where the vault lives by default.

use std::path::PathBuf;

use directories::ProjectDirs;

use crate::error::{Error, Result};

pub const VAULT_ENV: &str = "KAPDESK_VAULT";
pub const VAULT_FILE_NAME: &str = "kapdesk.vault";

/// The platform data dir (`~/.local/share/kapdesk/kapdesk.vault` on Linux, honouring
/// `XDG_DATA_HOME`).
pub fn default_vault_path() -> Result<PathBuf> {
    ProjectDirs::from("", "", "kapdesk")
        .map(|d| d.data_dir().join(VAULT_FILE_NAME))
        .ok_or_else(|| Error::invalid("vault", "No home folder was found, so the vault has no default place. Set KAPDESK_VAULT to a file path."))
}

/// An explicit path (`--vault`) wins, then `KAPDESK_VAULT`, then the default.
pub fn resolve_vault_path(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p);
    }
    match std::env::var_os(VAULT_ENV) {
        Some(p) if !p.is_empty() => Ok(PathBuf::from(p)),
        _ => default_vault_path(),
    }
}
