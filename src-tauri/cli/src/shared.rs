//! Small helpers every command handler shares: the CLI's error type and its exit
//! codes, JSON printing, reading passphrases, and a few argument helpers.
//!
//! This module sits at the bottom of the CLI's dependency graph: `main.rs` and
//! `commands/*` use it, and it uses neither (nor the clap definitions in `cli.rs`),
//! so there is no import cycle.

use std::io::IsTerminal;
use std::path::Path;

use chrono::Utc;
use kapdesk_core::{Error, Passphrase, Vault};
use zeroize::Zeroizing;

/// Errors of the CLI itself, on top of the core's.
#[derive(Debug)]
pub(crate) enum Failure {
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
    /// Part of the interface: 2 usage, 3 wrong passphrase, 4 damaged or not a vault,
    /// 1 anything else.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Core(Error::WrongPassphrase) => 3,
            Failure::Core(Error::Damaged { .. } | Error::NewerVault { .. }) => 4,
            Failure::Core(_) | Failure::Other(_) => 1,
        }
    }

    /// The one sentence printed on stderr.
    pub(crate) fn message(&self) -> String {
        match self {
            Failure::Core(e) => e.to_string(),
            Failure::Usage(m) | Failure::Other(m) => m.clone(),
        }
    }
}

pub(crate) type Outcome = Result<(), Failure>;

pub(crate) fn print_json(value: &impl serde::Serialize) -> Outcome {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Other(format!("Could not write JSON: {e}.")))?;
    println!("{text}");
    Ok(())
}

/// The sentence after a file was written outside the vault.
pub(crate) fn print_wrote_private(output: &Path) {
    println!(
        "Wrote {} (readable only by you; not encrypted).",
        output.display()
    );
}

/// A new record id.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The practice's local time now, "HH:MM": the default for dosing-day times.
pub(crate) fn now_hhmm(v: &Vault) -> Result<String, Failure> {
    let tz = v.practice_time_zone()?;
    Ok(Utc::now().with_timezone(&tz).format("%H:%M").to_string())
}

/// `given`, or the practice's local time now.
pub(crate) fn at_or_now(v: &Vault, given: Option<String>) -> Result<String, Failure> {
    match given {
        Some(a) => Ok(a),
        None => now_hhmm(v),
    }
}

/// A text file the user names (a note draft, an addendum).
pub(crate) fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::Usage(format!(
            "Could not read {}: {e}. Give a UTF-8 text file.",
            path.display()
        ))
    })
}

/// "NAME|PHONE" or "NAME|RELATION|PHONE" into its parts.
pub(crate) fn parts<const N: usize>(flag: &str, value: &str) -> Result<[String; N], Failure> {
    let fields: Vec<String> = value.split('|').map(|p| p.trim().to_owned()).collect();
    fields.try_into().map_err(|_| {
        Failure::Usage(format!(
            "--{flag} takes {N} parts separated by |, for example {}.",
            if N == 2 {
                "\"Sam Rivera|828-555-0101\""
            } else {
                "\"Sam Rivera|partner|828-555-0101\""
            }
        ))
    })
}

/// The passphrase of an existing vault: `file`, then KAPDESK_PASSPHRASE, then a
/// no-echo prompt.
pub(crate) fn current_passphrase(file: Option<&Path>) -> Result<Passphrase, Failure> {
    Ok(Passphrase::new(
        read_secret(file, "KAPDESK_PASSPHRASE", "Vault passphrase: ")?.to_string(),
    ))
}

/// A new passphrase. On a terminal it is typed twice; from a file or the environment
/// it is taken as given (a script has nothing to mistype).
pub(crate) fn new_passphrase(
    file: Option<&Path>,
    env: &str,
    prompt: &str,
) -> Result<Passphrase, Failure> {
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

/// A word outside one of the CLI's fixed sets, as one sentence in the CLI's own
/// voice (e.g. "--method is paper or screen, not “bogus”."), instead of clap's
/// multi-line report. `None` for every other clap error: clap prints those itself.
pub(crate) fn invalid_choice_sentence(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::InvalidValue {
        return None;
    }
    let (
        Some(ContextValue::String(arg)),
        Some(ContextValue::String(value)),
        Some(ContextValue::Strings(valid)),
    ) = (
        e.get(ContextKind::InvalidArg),
        e.get(ContextKind::InvalidValue),
        e.get(ContextKind::ValidValue),
    )
    else {
        return None;
    };
    let choices = match valid.as_slice() {
        [] => return None,
        [only] => only.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    Some(if arg.starts_with('-') {
        // "--kind <KIND>": the flag as typed.
        let flag = arg.split(' ').next().unwrap_or(arg);
        format!("{flag} is {choices}, not \u{201c}{value}\u{201d}.")
    } else {
        // A positional "<KIND>": its name in words.
        let name = arg.trim_matches(['<', '>']).to_ascii_lowercase();
        format!("\u{201c}{value}\u{201d} is not a {name}: {choices}.")
    })
}
