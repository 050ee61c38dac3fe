//! One writer at a time: an exclusive advisory lock (`flock`) on a small file beside
//! the vault (`vault.db.lock`), held for as long as a writing `Vault` is open.
//!
//! SQLite alone would let the app and a `kapdesk` write interleave safely at the page
//! level, but not at the level a therapist cares about: the app holds screens, drafts
//! and a live dosing view built on what it read, and a restore underneath it would
//! leave it writing into a file set aside. So a second writer is refused with a
//! sentence naming the holder; reading commands open without the lock.
//!
//! `flock` belongs to the open file: the kernel releases it when the holder closes the
//! file or dies (a crash never leaves the vault locked for good), and a second `open`
//! of the same file conflicts even inside one process. The lock file lives beside the
//! vault and is never renamed, so it also guards a restore that swaps the vault file.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Error, Result};

static OPENER: OnceLock<String> = OnceLock::new();

/// How this program names itself to another one that finds the vault held, e.g. "the
/// KAP Desk app" or "the kapdesk command". Set once at start; unset reads "another
/// KAP Desk program".
pub fn identify_as(name: &str) {
    let _ = OPENER.set(name.to_owned());
}

fn opener() -> &'static str {
    OPENER
        .get()
        .map(String::as_str)
        .unwrap_or("another KAP Desk program")
}

/// Held while a vault is open for writing; dropping it releases the lock.
#[derive(Debug)]
pub struct WriterLock {
    file: File,
}

pub fn lock_path(vault: &Path) -> PathBuf {
    let mut s = vault.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

impl WriterLock {
    /// Takes the lock or says who holds it. Never waits.
    pub fn acquire(vault: &Path) -> Result<WriterLock> {
        let path = lock_path(vault);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(|e| Error::io("open the lock file", &path, e))?;
        // SAFETY: a valid descriptor owned by `file` for the duration of the call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
                let mut who = String::new();
                let _ = file.read_to_string(&mut who);
                return Err(Error::InUse {
                    holder: describe_holder(&who),
                });
            }
            return Err(Error::io("lock", &path, err));
        }
        // Who holds it, for the sentence another program shows. Best effort: the lock
        // itself is the flock, not this text.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{} {}", std::process::id(), opener());
        let _ = file.sync_data();
        Ok(WriterLock { file })
    }

    /// Whether some program holds the lock right now (a probe that takes and drops it).
    pub fn is_held(vault: &Path) -> bool {
        matches!(Self::acquire(vault), Err(Error::InUse { .. }))
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        // Closing the descriptor releases the flock; clearing the text first keeps a
        // stale name from being shown by a later, unrelated refusal.
        let _ = self.file.set_len(0);
    }
}

/// "12345 the KAP Desk app" → "the KAP Desk app (process 12345)".
fn describe_holder(text: &str) -> String {
    let text = text.trim();
    match text.split_once(' ') {
        Some((pid, name)) if pid.chars().all(|c| c.is_ascii_digit()) && !name.is_empty() => {
            format!("{name} (process {pid})")
        }
        _ => "another program".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_holder_named_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault.db");
        let first = WriterLock::acquire(&vault).unwrap();
        let refused = WriterLock::acquire(&vault).unwrap_err();
        let Error::InUse { holder } = &refused else {
            panic!("expected InUse, got {refused:?}");
        };
        assert!(
            holder.contains(&format!("(process {})", std::process::id())),
            "{holder}"
        );
        assert!(WriterLock::is_held(&vault));
        drop(first);
        assert!(!WriterLock::is_held(&vault));
        let _again = WriterLock::acquire(&vault).unwrap();
    }

    #[test]
    fn the_holder_text_is_read_defensively() {
        assert_eq!(
            describe_holder("42 the kapdesk command"),
            "the kapdesk command (process 42)"
        );
        assert_eq!(describe_holder(""), "another program");
        assert_eq!(describe_holder("garbage"), "another program");
    }
}
