//! One error type for the core. Every variant is something a caller can act on, and
//! its `Display` is a sentence a therapist understands: the shell shows it verbatim.
//! Nothing here ever contains a passphrase.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLCipher cannot tell a wrong key from a damaged first page (both fail the HMAC
    /// of page 1), so the sentence names both possibilities.
    #[error(
        "This passphrase does not open the vault. Check it and try again; if you are sure it is right, the vault file may be damaged and you can restore a backup."
    )]
    WrongPassphrase,

    /// The reason is a short phrase ("a page failed its integrity check"); callers show
    /// the path separately where they know it.
    #[error(
        "The vault file is damaged or is not a KAP Desk vault: {reason}. Nothing was changed; restore a backup if you have one."
    )]
    Damaged { reason: String },

    #[error(
        "A vault already exists at {path}. KAP Desk never overwrites a vault; choose another place or unlock the existing one."
    )]
    VaultExists { path: PathBuf },

    #[error("There is no vault at {path}. Create one first, or point KAP Desk at the right file.")]
    VaultNotFound { path: PathBuf },

    #[error(
        "This vault was written by a newer version of KAP Desk (format {found}; this version understands up to {supported}). Update KAP Desk to open it; nothing was changed."
    )]
    NewerVault { found: u32, supported: u32 },

    #[error(
        "The passphrase must be at least {min} characters long; a short sentence you will remember works well."
    )]
    WeakPassphrase { min: usize },

    /// Long enough, but easy to guess (the strength estimate's verdict, as `hint`).
    #[error("{hint}")]
    GuessablePassphrase { hint: String },

    #[error("The two passphrases do not match. Type the same passphrase in both fields.")]
    PassphraseMismatch,

    #[error("Please confirm that you understand a lost passphrase cannot be recovered.")]
    NotAcknowledged,

    /// Input that fails validation. `field` names the form field so the UI can show the
    /// sentence beside it.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },

    /// Booking a dosing while something is still needed before it, without a written reason.
    #[error(
        "The dosing session cannot be booked yet. Still needed before dosing: {}. See to these first, or book anyway with a written reason that is kept on the record and shown on the day.",
        gates.join("; ")
    )]
    GatesOpen { gates: Vec<String> },

    #[error("{what} was not found.")]
    NotFound { what: String },

    /// Another program holds the vault for writing (see `vault::writer`).
    #[error(
        "The vault is in use by {holder}. Lock or close KAP Desk there first, then try again; commands that only read still work meanwhile."
    )]
    InUse { holder: String },

    #[error("Could not {action} {path}: {source}.")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The disk (or the user's quota) is full. SQLite rolled the transaction back.
    #[error(
        "The disk is full, so nothing was saved; the vault is as it was before. Free some space on this computer, then try again."
    )]
    DiskFull,

    /// A database failure that is not damage or a wrong key: a bug or a full disk. The
    /// transaction was rolled back, so nothing was half-written.
    #[error(
        "The vault could not complete the operation ({0}). Nothing was saved; try again, and restore a backup if it keeps happening."
    )]
    Database(#[source] rusqlite::Error),
}

/// Stable machine-readable codes. The UI switches on these; the message is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    WrongPassphrase,
    Damaged,
    VaultExists,
    VaultNotFound,
    NewerVault,
    WeakPassphrase,
    PassphraseMismatch,
    NotAcknowledged,
    InvalidInput,
    GatesOpen,
    /// Used by the shell when a command needs an unlocked vault.
    Locked,
    NotFound,
    /// Another program holds the vault for writing.
    InUse,
    Io,
    Database,
    /// Used by front ends for failures outside the core (IPC, a panic in a plugin).
    Internal,
}

/// What crosses a process boundary (IPC, `--json`): `{code, message, field}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::Damaged { .. } => ErrorCode::Damaged,
            Error::VaultExists { .. } => ErrorCode::VaultExists,
            Error::VaultNotFound { .. } => ErrorCode::VaultNotFound,
            Error::NewerVault { .. } => ErrorCode::NewerVault,
            Error::WeakPassphrase { .. } | Error::GuessablePassphrase { .. } => {
                ErrorCode::WeakPassphrase
            }
            Error::PassphraseMismatch => ErrorCode::PassphraseMismatch,
            Error::NotAcknowledged => ErrorCode::NotAcknowledged,
            Error::Invalid { .. } => ErrorCode::InvalidInput,
            Error::GatesOpen { .. } => ErrorCode::GatesOpen,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::InUse { .. } => ErrorCode::InUse,
            Error::Io { .. } | Error::DiskFull => ErrorCode::Io,
            Error::Database(_) => ErrorCode::Database,
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::WeakPassphrase { .. } | Error::PassphraseMismatch => Some("passphrase"),
            _ => None,
        }
    }

    pub fn to_command_error(&self) -> CommandError {
        CommandError {
            code: self.code(),
            message: self.to_string(),
            field: self.field().map(str::to_owned),
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn damaged(reason: impl Into<String>) -> Self {
        Error::Damaged {
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        e.to_command_error()
    }
}

/// SQLite reports damage as CORRUPT, or as NOTADB once the key was accepted (a page's
/// HMAC fails). Anything else is an operational failure. A wrong key is detected
/// earlier, in `Vault::open`, where NOTADB on the first read means exactly that.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DatabaseCorrupt) => Error::damaged("a page failed its integrity check"),
            Some(C::NotADatabase) => Error::damaged("a page could not be decrypted"),
            Some(C::DiskFull) => Error::DiskFull,
            _ => Error::Database(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_its_own_sentence_and_an_io_code() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let e = Error::from(full);
        assert!(matches!(e, Error::DiskFull), "{e:?}");
        assert_eq!(e.code(), ErrorCode::Io);
        assert!(
            e.to_string()
                .starts_with("The disk is full, so nothing was saved")
        );
    }
}
