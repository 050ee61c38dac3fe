use kapdesk_core::{CommandError, ErrorCode};
use serde::{Serialize, Serializer};

/// Errors of the shell. Across IPC every one becomes `{code, message, field}`, with the
/// message written for the therapist (the core's sentence, verbatim).
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    #[error(transparent)]
    Core(#[from] kapdesk_core::Error),
    #[error("The vault is locked. Unlock it to continue.")]
    Locked,
    #[error("The vault is already unlocked.")]
    AlreadyUnlocked,
    #[error("The save dialog could not be shown: {0}")]
    Dialog(String),
    #[error(
        "The demo practice is open. Lock it to close the demo, then open your own vault to restore a backup into it."
    )]
    DemoOpen,
}

impl ShellError {
    pub fn to_command_error(&self) -> CommandError {
        match self {
            ShellError::Core(e) => e.to_command_error(),
            ShellError::Locked => plain(ErrorCode::Locked, self),
            ShellError::AlreadyUnlocked | ShellError::Dialog(_) => plain(ErrorCode::Internal, self),
            ShellError::DemoOpen => plain(ErrorCode::InvalidInput, self),
        }
    }
}

fn plain(code: ErrorCode, e: &ShellError) -> CommandError {
    CommandError {
        code,
        message: e.to_string(),
        field: None,
    }
}

impl Serialize for ShellError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_command_error().serialize(serializer)
    }
}
