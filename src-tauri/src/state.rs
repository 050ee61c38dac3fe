use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use kapdesk_core::model::safeguards::LockReason;
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
    pub(crate) guard: Guard,
    /// The open vault is a demo practice (set as the slot is filled, cleared on lock),
    /// read without waiting for the vault.
    demo_open: AtomicBool,
}

/// What the shell needs to lock by itself and to report on backups.
pub(crate) struct Guard {
    /// The last key press, click or scroll the UI reported.
    last_activity: Mutex<Instant>,
    /// The practice's idle time, read from the vault at unlock and on save.
    lock_after: AtomicU64,
    /// The same setting as the therapist wrote it (tests shorten the minute).
    lock_after_minutes: AtomicU32,
    /// The UI was asked to save and lock (idle, suspend, screen lock).
    pub(crate) lock_pending: AtomicBool,
    /// Wrong passphrases since the last unlock: written to the trail at the next one.
    pub(crate) failed_unlocks: AtomicU32,
    /// The sentence of the last automatic backup that failed since unlock.
    pub(crate) backup_problem: Mutex<Option<String>>,
    /// Why the vault last locked by itself, for the unlock screen; cleared on unlock.
    pub(crate) locked_because: Mutex<Option<String>>,
}

impl Guard {
    fn new() -> Self {
        let default_minutes =
            kapdesk_core::model::safeguards::GuardSettings::default().lock_after_minutes;
        Guard {
            last_activity: Mutex::new(Instant::now()),
            // Until the vault is unlocked and its own setting read: the default, 10 minutes.
            lock_after: AtomicU64::new(u64::from(default_minutes) * 60),
            lock_after_minutes: AtomicU32::new(default_minutes),
            lock_pending: AtomicBool::new(false),
            failed_unlocks: AtomicU32::new(0),
            backup_problem: Mutex::new(None),
            locked_because: Mutex::new(None),
        }
    }

    pub(crate) fn touch(&self) {
        *self.last_activity.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    pub(crate) fn idle_for(&self) -> Duration {
        self.last_activity
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .elapsed()
    }

    /// The practice's setting, in minutes, as read from the vault.
    pub(crate) fn set_lock_after(&self, minutes: u32) {
        self.lock_after_minutes.store(minutes, Ordering::SeqCst);
        self.lock_after
            .store(crate::clock::minutes(minutes).as_secs(), Ordering::SeqCst);
    }

    pub(crate) fn lock_after_minutes(&self) -> u32 {
        self.lock_after_minutes.load(Ordering::SeqCst)
    }

    pub(crate) fn lock_after(&self) -> Duration {
        Duration::from_secs(self.lock_after.load(Ordering::SeqCst))
    }

    pub(crate) fn set_backup_problem(&self, problem: Option<String>) {
        *self
            .backup_problem
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = problem;
    }

    pub(crate) fn backup_problem(&self) -> Option<String> {
        self.backup_problem
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
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
            guard: Guard::new(),
            demo_open: AtomicBool::new(false),
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

    /// Puts an opened vault in the slot: the idle lock takes that vault's own timeout
    /// (a restored backup may carry another), and the frame notes a demo practice.
    pub(crate) fn fill(
        &self,
        slot: &mut Option<Unlocked>,
        open: Unlocked,
    ) -> kapdesk_core::Result<()> {
        self.guard
            .set_lock_after(open.vault.guard_settings()?.lock_after_minutes);
        let demo = open.vault.is_demo().unwrap_or(false);
        self.demo_open.store(demo, Ordering::SeqCst);
        *slot = Some(open);
        Ok(())
    }

    pub(crate) fn demo_open(&self) -> bool {
        self.demo_open.load(Ordering::SeqCst)
    }

    /// Where the demo practice is kept: beside the vault, never in place of it.
    pub fn demo_path(&self) -> PathBuf {
        self.vault_path.with_file_name("demo-practice.kapdesk")
    }

    /// Runs `f` on the open vault, or fails with `Locked`. Off the async runtime's
    /// workers (see [`blocking`]): waiting here for an export never stalls other commands.
    pub(crate) fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Unlocked) -> Result<T, ShellError>,
    ) -> Result<T, ShellError> {
        blocking(|| match self.slot().as_mut() {
            Some(open) => f(open),
            None => Err(ShellError::Locked),
        })
    }

    pub fn status(&self) -> AppStatus {
        AppStatus {
            vault_path: self.vault_path.display().to_string(),
            vault_exists: self.vault_path.exists(),
            // Without waiting: the UI asks while an export holds the vault.
            unlocked: self.may_be_open(),
            demo: self.demo_open(),
            locked_because: self
                .guard
                .locked_because
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        }
    }

    /// Closes the vault and forgets the key, recording why in the audit trail. A running
    /// export is stopped first (it removes what it wrote): locking cannot wait for it.
    pub fn lock(&self, reason: LockReason) {
        self.guard.lock_pending.store(false, Ordering::SeqCst);
        self.cancel_export.store(true, Ordering::SeqCst);
        let taken = blocking(|| self.slot().take());
        self.demo_open.store(false, Ordering::SeqCst);
        if let Some(open) = taken {
            let minutes = open
                .vault
                .guard_settings()
                .map(|g| g.lock_after_minutes)
                .unwrap_or_default();
            *self
                .guard
                .locked_because
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = reason.unlock_note(minutes);
            // The entry is best effort: a vault that cannot write must still lock.
            let _ = open.vault.record_lock(crate::clock::now(), reason);
            // Closing checkpoints the WAL; if that fails the data is still safe in the
            // WAL and is recovered on the next open.
            let _ = open.vault.close();
        }
    }
}

/// Runs blocking vault work (SQLCipher, the disk, a PDF, the key derivation) without
/// holding up the async runtime. Tauri runs commands on a worker pool as large as the
/// machine has cores: on a 2-core laptop, two commands waiting for the vault behind an
/// export would stall every other command, Cancel and Lock included.
/// `block_in_place` first hands the worker's other tasks to another thread. Outside a
/// multi-threaded runtime (a plain thread, a test) it simply runs `f`.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}
