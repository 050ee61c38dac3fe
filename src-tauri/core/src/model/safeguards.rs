//! How the vault guards itself: the idle lock and the automatic encrypted backups.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The practice's choices for locking and backing up. Saved in the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GuardSettings {
    /// The app locks after this many minutes without a key press or a click (1-60).
    pub lock_after_minutes: u32,
    /// Where automatic backups go (an external drive is typical). `None`: off.
    pub backup_dir: Option<String>,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
    /// The dashboard warns when the newest verified backup is older than this.
    pub warn_after_days: u32,
}

impl Default for GuardSettings {
    fn default() -> Self {
        GuardSettings {
            lock_after_minutes: 10,
            backup_dir: None,
            keep_daily: 7,
            keep_weekly: 4,
            keep_monthly: 12,
            warn_after_days: 7,
        }
    }
}

impl GuardSettings {
    pub fn validated(mut self) -> Result<Self> {
        let range = |field: &'static str, v: u32, lo: u32, hi: u32, what: &str| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(Error::invalid(
                    field,
                    format!("{what} must be between {lo} and {hi}."),
                ))
            }
        };
        range(
            "lockAfterMinutes",
            self.lock_after_minutes,
            1,
            60,
            "The time before the app locks itself (in minutes)",
        )?;
        range(
            "keepDaily",
            self.keep_daily,
            1,
            60,
            "The number of daily backups kept",
        )?;
        range(
            "keepWeekly",
            self.keep_weekly,
            0,
            52,
            "The number of weekly backups kept",
        )?;
        range(
            "keepMonthly",
            self.keep_monthly,
            0,
            120,
            "The number of monthly backups kept",
        )?;
        range(
            "warnAfterDays",
            self.warn_after_days,
            1,
            90,
            "The age of backup that raises a warning (in days)",
        )?;
        self.backup_dir = match self.backup_dir.map(|d| d.trim().to_owned()) {
            Some(d) if d.is_empty() => None,
            Some(d) if !d.starts_with('/') => {
                return Err(Error::invalid(
                    "backupDir",
                    "Choose the backup folder by its full path (starting with /).",
                ));
            }
            other => other,
        };
        Ok(self)
    }
}

/// One automatic backup file in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    pub path: String,
    pub file_name: String,
    /// When it was written (RFC 3339, UTC), read from its name.
    pub taken_at: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Written just before the vault's format was upgraded to this version.
    pub before_upgrade_to: Option<u32>,
}

/// Automatic backups are named by when they were taken (UTC), so the folder sorts by
/// age and the rotation can read each one's date without opening it:
/// `kapdesk-2026-12-04T180210Z.vault`, or `…Z-before-v13.vault` for the copy taken just
/// before an upgrade of the vault's format.
pub fn backup_file_name(
    taken: chrono::DateTime<chrono::Utc>,
    before_upgrade_to: Option<u32>,
) -> String {
    let stamp = taken.format("%Y-%m-%dT%H%M%SZ");
    match before_upgrade_to {
        Some(v) => format!("kapdesk-{stamp}-before-v{v}.vault"),
        None => format!("kapdesk-{stamp}.vault"),
    }
}

/// The time and upgrade mark of a name `backup_file_name` wrote; `None` for any other
/// file, which the rotation never touches.
pub fn parse_backup_file_name(name: &str) -> Option<(chrono::DateTime<chrono::Utc>, Option<u32>)> {
    let rest = name.strip_prefix("kapdesk-")?.strip_suffix(".vault")?;
    let (stamp, upgrade) = match rest.split_once("-before-v") {
        Some((stamp, v)) => (stamp, Some(v.parse().ok()?)),
        None => (rest, None),
    };
    let t = chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%dT%H%M%SZ").ok()?;
    Some((t.and_utc(), upgrade))
}

/// What the frame and the dashboard say about backups. Every sentence is Rust's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    pub folder: Option<String>,
    /// "Last backup: 4 Dec 2026, 18:02 (verified)" or "No backup yet".
    pub summary: String,
    pub last: Option<BackupFile>,
    /// A problem the therapist must see: no folder chosen, the folder missing or not
    /// writable, the newest backup too old, the last automatic backup failed.
    pub warning: Option<String>,
}

/// What a backup holds, shown before restoring it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupContents {
    pub path: String,
    pub taken_at: Option<String>,
    pub schema_version: u32,
    #[ts(type = "number")]
    pub clients: u64,
    #[ts(type = "number")]
    pub sessions: u64,
    #[ts(type = "number")]
    pub signed_notes: u64,
    /// "Every page checked: intact." Only intact backups are offered for restore.
    pub integrity: String,
}

/// One automatic backup written and the folder tidied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AutoBackupOutcome {
    pub written: BackupFile,
    /// Older backups removed by the rotation.
    pub removed: Vec<String>,
}

/// The idle lock as the frame shows it ("Locks in 2 min" during a dosing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LockStatus {
    /// Seconds until the idle lock; `None` while locked.
    #[ts(type = "number | null")]
    pub locks_in_seconds: Option<u64>,
    pub lock_after_minutes: u32,
    /// Whether sleep and screen locking also lock the app on this machine, as a sentence.
    pub what_applies: String,
}

/// Why the vault was locked, as the audit trail records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    /// The therapist clicked Lock.
    User,
    /// No key press or click for the practice's idle time.
    Idle,
    /// The computer went to sleep.
    Suspend,
    /// The desktop session's screen was locked.
    ScreenLocked,
    /// The app was closed.
    Quit,
}

impl LockReason {
    /// What the unlock screen says about a lock the therapist did not ask for, so a
    /// locked screen mid-session is explained rather than alarming. `None` for a lock
    /// they chose (the Lock button, closing the app).
    pub fn unlock_note(self, lock_after_minutes: u32) -> Option<String> {
        let why = match self {
            LockReason::Idle => format!(
                "KAP Desk locked itself after {lock_after_minutes} minute{} without a key press or click.",
                if lock_after_minutes == 1 { "" } else { "s" }
            ),
            LockReason::Suspend => "KAP Desk locked when the computer went to sleep.".to_owned(),
            LockReason::ScreenLocked => "KAP Desk locked when the screen was locked.".to_owned(),
            LockReason::User | LockReason::Quit => return None,
        };
        Some(format!(
            "{why} What you had typed was saved; unlock to carry on where you were."
        ))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LockReason::User => "user",
            LockReason::Idle => "idle",
            LockReason::Suspend => "suspend",
            LockReason::ScreenLocked => "screen_locked",
            LockReason::Quit => "quit",
        }
    }
}

/// What the printed recovery sheet says about this practice's vault and backups.
/// Never the passphrase, never a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoverySheet {
    pub vault_path: String,
    pub backup_dir: Option<String>,
    /// "4 December 2026, 18:02", in the practice's time zone.
    pub last_verified_backup: Option<String>,
    /// The newest backup file in the folder, the one a restore would start from.
    pub newest_backup: Option<String>,
    /// Whether the vault is where KAP Desk looks by default; if not, every command on
    /// the sheet names it with `--vault`.
    pub vault_is_default: bool,
    pub printed_on: chrono::NaiveDate,
    pub app_version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_names_round_trip_and_other_files_are_not_backups() {
        use chrono::TimeZone;
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 12, 4, 18, 2, 10)
            .unwrap();
        assert_eq!(
            backup_file_name(t, None),
            "kapdesk-2026-12-04T180210Z.vault"
        );
        assert_eq!(
            parse_backup_file_name(&backup_file_name(t, Some(13))),
            Some((t, Some(13)))
        );
        for other in [
            "notes.pdf",
            "kapdesk-yesterday.vault",
            "kapdesk-2026-12-04T180210Z.vault.partial",
        ] {
            assert_eq!(parse_backup_file_name(other), None, "{other}");
        }
    }

    #[test]
    fn a_lock_the_therapist_did_not_ask_for_is_explained_on_the_unlock_screen() {
        assert_eq!(
            LockReason::Idle.unlock_note(10).as_deref(),
            Some(
                "KAP Desk locked itself after 10 minutes without a key press or click. What you had typed was saved; unlock to carry on where you were."
            )
        );
        assert!(
            LockReason::Idle
                .unlock_note(1)
                .unwrap()
                .contains("after 1 minute without")
        );
        assert!(
            LockReason::Suspend
                .unlock_note(10)
                .unwrap()
                .contains("went to sleep")
        );
        assert!(
            LockReason::ScreenLocked
                .unlock_note(10)
                .unwrap()
                .contains("screen was locked")
        );
        assert_eq!(LockReason::User.unlock_note(10), None);
        assert_eq!(LockReason::Quit.unlock_note(10), None);
    }

    #[test]
    fn settings_out_of_range_name_the_field_and_the_range() {
        let e = GuardSettings {
            lock_after_minutes: 0,
            ..Default::default()
        }
        .validated()
        .unwrap_err();
        assert!(e.to_string().contains("between 1 and 60"), "{e}");
        let e = GuardSettings {
            backup_dir: Some("backups".into()),
            ..Default::default()
        }
        .validated()
        .unwrap_err();
        assert!(e.to_string().contains("full path"), "{e}");
        let ok = GuardSettings {
            backup_dir: Some("  ".into()),
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!(ok.backup_dir, None);
    }
}
