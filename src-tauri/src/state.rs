use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};

use kapdesk_core::{AppStatus, Passphrase, Vault, paths};

use crate::error::ShellError;

/// The open vault, or none while locked.
pub struct AppState {
    vault_path: PathBuf,
    open: Mutex<Option<Unlocked>>,
    /// Set by `cancel_export` without the vault lock, which the running export holds.
    pub(crate) cancel_export: AtomicBool,
    /// The window asked to close and the UI was told to save what it holds.
    pub(crate) close_pending: AtomicBool,
}

pub(crate) struct Unlocked {
    pub vault: Vault,
    /// Kept (in zeroize-on-drop memory) only while unlocked: writing an encrypted backup
    /// needs the key again, and SQLCipher never hands it back. Dropped on lock.
    pub passphrase: Passphrase,
}

impl AppState {
    pub fn new(vault_path: PathBuf) -> Self {
        AppState {
            vault_path,
            open: Mutex::new(None),
            cancel_export: AtomicBool::new(false),
            close_pending: AtomicBool::new(false),
        }
    }

    /// `KAPDESK_VAULT` if set, else the platform data dir.
    pub fn from_environment() -> Result<Self, kapdesk_core::Error> {
        Ok(Self::new(paths::resolve_vault_path(None)?))
    }

    pub fn vault_path(&self) -> &std::path::Path {
        &self.vault_path
    }

    pub(crate) fn slot(&self) -> MutexGuard<'_, Option<Unlocked>> {
        // A panic while holding the lock cannot leave the vault half-written (SQLite
        // rolls back), so recovering the guard is safe.
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether typing may be in flight, without waiting: the window's close handler runs
    /// on the main thread and must not block behind a long export holding the vault.
    /// A vault that is busy counts as open.
    pub(crate) fn may_be_open(&self) -> bool {
        match self.open.try_lock() {
            Ok(slot) => slot.is_some(),
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner().is_some(),
            Err(std::sync::TryLockError::WouldBlock) => true,
        }
    }

    /// Runs `f` on the open vault, or fails with `Locked`.
    pub(crate) fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Unlocked) -> Result<T, ShellError>,
    ) -> Result<T, ShellError> {
        match self.slot().as_mut() {
            Some(open) => f(open),
            None => Err(ShellError::Locked),
        }
    }

    pub fn status(&self) -> AppStatus {
        AppStatus {
            vault_path: self.vault_path.display().to_string(),
            vault_exists: self.vault_path.exists(),
            unlocked: self.slot().is_some(),
        }
    }

    /// Closes the vault and forgets the key.
    pub fn lock(&self) {
        if let Some(open) = self.slot().take() {
            // Closing checkpoints the WAL; if that fails the data is still safe in the
            // WAL and is recovered on the next open.
            let _ = open.vault.close();
        }
    }
}
