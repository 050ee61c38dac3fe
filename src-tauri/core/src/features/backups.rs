//! Automatic encrypted backups and the idle-lock setting: the backup folder, its
//! rotation, what the frame and dashboard say, and what a backup holds before a restore.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::safeguards::{
    AutoBackupOutcome, BackupContents, BackupFile, BackupStatus, GuardSettings, LockReason,
    RecoverySheet, backup_file_name, parse_backup_file_name,
};
use crate::passphrase::Passphrase;
use crate::rules::backups::{Keep, due, stale_warning, to_keep};
use crate::store;
use crate::vault::Vault;

impl Vault {
    pub fn guard_settings(&self) -> Result<GuardSettings> {
        store::guard::settings(self.conn())
    }

    pub fn save_guard_settings(
        &mut self,
        settings: GuardSettings,
        now: DateTime<Utc>,
    ) -> Result<GuardSettings> {
        let s = settings.validated()?;
        let tx = self.conn_mut().transaction()?;
        store::guard::save(&tx, &s, now)?;
        store::audit::record(
            &tx,
            now,
            "guard_settings_saved",
            &format!(
                "lock after {} min; backups {}",
                s.lock_after_minutes,
                s.backup_dir.as_deref().unwrap_or("off")
            ),
        )?;
        tx.commit()?;
        Ok(s)
    }

    /// The automatic backups in `dir` (default: the practice's folder), newest first.
    /// Files not named by KAP Desk are not listed and never removed.
    pub fn backups(&self, dir: Option<&Path>) -> Result<Vec<BackupFile>> {
        let dir = self.backup_folder(dir)?;
        list_backups(&dir)
    }

    /// Whether the app should write an automatic backup now: a folder is set and the
    /// newest verified backup of this vault is more than a day old.
    pub fn auto_backup_due(&self, now: DateTime<Utc>) -> Result<bool> {
        if self.guard_settings()?.backup_dir.is_none() {
            return Ok(false);
        }
        Ok(due(self.last_verified_backup()?, now))
    }

    /// One verified backup into the folder, then the rotation. A missing or unwritable
    /// folder fails with a sentence and changes nothing, in the vault or the folder.
    pub fn backup_auto(
        &self,
        dir: Option<&Path>,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<AutoBackupOutcome> {
        let dir = self.backup_folder(dir)?;
        let dest = dir.join(backup_file_name(now, None));
        self.backup_to(&dest, passphrase, now)
            .map_err(|e| read_only_folder(e, &dir))?;
        let written = backup_file(&dest).ok_or_else(|| {
            Error::io(
                "read back",
                &dest,
                std::io::Error::other("the new backup is missing"),
            )
        })?;

        let g = self.guard_settings()?;
        let all = list_backups(&dir)?;
        let times: Vec<DateTime<Utc>> = all.iter().map(taken).collect();
        let keep = to_keep(
            &times,
            Keep {
                daily: g.keep_daily,
                weekly: g.keep_weekly,
                monthly: g.keep_monthly,
            },
        );
        let mut removed = Vec::new();
        for (i, b) in all.iter().enumerate() {
            // Copies taken before an upgrade are the way back from it: never rotated.
            if keep.contains(&i) || b.path == written.path || b.before_upgrade_to.is_some() {
                continue;
            }
            if fs::remove_file(&b.path).is_ok() {
                removed.push(b.file_name.clone());
            }
        }
        if !removed.is_empty() {
            self.audit(now, "backups_rotated", &removed.join(", "))?;
        }
        Ok(AutoBackupOutcome { written, removed })
    }

    /// What the frame ("Last backup: … (verified)") and the dashboard show.
    /// `last_failure` is the sentence of an automatic backup that failed since unlock.
    pub fn backup_status(
        &self,
        now: DateTime<Utc>,
        last_failure: Option<&str>,
    ) -> Result<BackupStatus> {
        let g = self.guard_settings()?;
        let tz = self.practice_time_zone()?;
        let newest = self.last_verified_backup()?;
        let summary = match newest {
            Some(t) => format!(
                "Last backup: {} (verified)",
                crate::dates::stamp_in(tz, &t.to_rfc3339())
            ),
            None => "No backup yet".to_owned(),
        };
        let (last, folder_problem) = match &g.backup_dir {
            None => (None, None),
            Some(d) => match list_backups(Path::new(d)) {
                Ok(list) => (list.into_iter().next(), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
        let warning = last_failure
            .map(str::to_owned)
            .or(folder_problem)
            .or_else(|| stale_warning(newest, now, g.warn_after_days))
            .or_else(|| {
                g.backup_dir.is_none().then(|| {
                    "Automatic backups are off: choose a backup folder in Settings (an external drive is best).".to_owned()
                })
            });
        Ok(BackupStatus {
            folder: g.backup_dir,
            summary,
            last,
            warning,
        })
    }

    /// Opens a backup read-only with `passphrase`, checks every page, and counts what it
    /// holds, so the therapist sees what a restore would bring back. A backup of the
    /// demo practice is refused here unless this vault is the demo practice too.
    pub fn inspect_backup(&self, path: &Path, passphrase: &Passphrase) -> Result<BackupContents> {
        let report = match Vault::verify_file(path, passphrase) {
            Err(Error::WrongPassphrase) => {
                return Err(Error::invalid(
                    "path",
                    "This backup does not open with the current passphrase: it was probably made before the passphrase was changed. Restore it with `kapdesk restore`, which asks for the passphrase it was made under.",
                ));
            }
            other => other?,
        };
        let copy = Vault::open_read_only_any_version(path, passphrase)?;
        // The demo practice is never offered as this practice's records.
        if store::guard::is_demo_any_version(copy.conn())?
            && !store::guard::is_demo_any_version(self.conn())?
        {
            return Err(crate::vault::demo_backup_refused());
        }
        let counts = store::guard::counts(copy.conn())?;
        let taken_at = path
            .file_name()
            .and_then(|n| parse_backup_file_name(&n.to_string_lossy()))
            .map(|(t, _)| t.to_rfc3339());
        Ok(BackupContents {
            path: path.display().to_string(),
            taken_at,
            schema_version: report.schema_version,
            clients: counts.clients,
            sessions: counts.sessions,
            signed_notes: counts.signed_notes,
            integrity: format!("Every page checked ({}): intact.", report.pages),
        })
    }

    /// Records an unlock, with the failed attempts since the last one (never the
    /// passphrases tried).
    pub fn record_unlock(&self, now: DateTime<Utc>, failed_attempts: u32) -> Result<()> {
        if failed_attempts > 0 {
            self.audit(
                now,
                "unlock_failed",
                &format!("{failed_attempts} wrong passphrase attempt(s) before this unlock"),
            )?;
        }
        self.audit(now, "unlocked", "")
    }

    /// Records a lock and why, just before the connection closes.
    pub fn record_lock(&self, now: DateTime<Utc>, reason: LockReason) -> Result<()> {
        self.audit(now, "locked", reason.as_str())
    }

    fn backup_folder(&self, given: Option<&Path>) -> Result<PathBuf> {
        let dir = match given {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from(self.guard_settings()?.backup_dir.ok_or_else(|| {
                Error::invalid(
                    "backupDir",
                    "No backup folder is set. Choose one in Settings (or give --dir).",
                )
            })?),
        };
        folder_ready(&dir)?;
        Ok(dir)
    }

    /// The newest backup this vault's own trail records as written and verified.
    /// What the recovery sheet says: where this vault and its backups are, and the newest
    /// verified backup. A backup folder that cannot be read is left out of the sheet's
    /// commands (the sheet still prints), since the frame already warns about it.
    pub fn recovery_sheet(&self, now: DateTime<Utc>) -> Result<RecoverySheet> {
        let g = self.guard_settings()?;
        let tz = self.practice_time_zone()?;
        let newest_backup = g
            .backup_dir
            .as_deref()
            .and_then(|d| list_backups(Path::new(d)).ok())
            .and_then(|list| list.into_iter().next())
            .map(|b| b.path);
        let vault_is_default = crate::paths::default_vault_path()
            .map(|d| d == self.path())
            .unwrap_or(false);
        Ok(RecoverySheet {
            vault_path: self.path().display().to_string(),
            backup_dir: g.backup_dir,
            last_verified_backup: self
                .last_verified_backup()?
                .map(|t| crate::dates::stamp_in(tz, &t.to_rfc3339())),
            newest_backup,
            vault_is_default,
            printed_on: now.with_timezone(&tz).date_naive(),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        })
    }

    /// The recovery sheet as a one-page PDF.
    pub fn recovery_sheet_pdf(&self, now: DateTime<Utc>) -> Result<Vec<u8>> {
        let sheet = self.recovery_sheet(now)?;
        let doc = crate::print::recovery_sheet::document(&sheet, &self.settings()?);
        crate::print::pdf::render(&doc, crate::print::recovery_sheet::TITLE)
    }

    fn last_verified_backup(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(store::audit::last_at(self.conn(), "backup_written")?
            .and_then(|at| DateTime::parse_from_rfc3339(&at).ok())
            .map(|t| t.with_timezone(&Utc)))
    }
}

fn taken(b: &BackupFile) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&b.taken_at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// The folder exists and is a folder. It is never created here: a missing external
/// drive's mount point must not silently become a folder on the laptop's own disk.
/// A folder that exists but takes no new file (a read-only drive, a folder of another
/// user) gets a sentence that says so and what to do, rather than the file's error.
fn read_only_folder(e: Error, dir: &Path) -> Error {
    use std::io::ErrorKind;
    match &e {
        Error::Io { source, .. }
            if matches!(
                source.kind(),
                ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            Error::invalid(
                "backupDir",
                format!(
                    "The backup folder {} cannot be written to: it is read-only, or it belongs to someone else. Choose another folder in Settings, or check the drive; nothing was lost, and the vault is unchanged.",
                    dir.display()
                ),
            )
        }
        _ => e,
    }
}

fn folder_ready(dir: &Path) -> Result<()> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::invalid(
            "backupDir",
            format!(
                "The backup folder {} is a file, not a folder. Choose a folder in Settings.",
                dir.display()
            ),
        )),
        Err(_) => Err(Error::invalid(
            "backupDir",
            format!(
                "The backup folder {} is not available. If it is on an external drive, connect the drive; nothing was lost, and the vault is unchanged.",
                dir.display()
            ),
        )),
    }
}

fn list_backups(dir: &Path) -> Result<Vec<BackupFile>> {
    folder_ready(dir)?;
    let entries = fs::read_dir(dir).map_err(|e| Error::io("read the backup folder", dir, e))?;
    let mut list: Vec<BackupFile> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| backup_file(&e.path()))
        .collect();
    list.sort_by(|a, b| b.taken_at.cmp(&a.taken_at));
    Ok(list)
}

fn backup_file(path: &Path) -> Option<BackupFile> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let (t, before_upgrade_to) = parse_backup_file_name(&name)?;
    let meta = fs::metadata(path).ok()?;
    meta.is_file().then(|| BackupFile {
        path: path.display().to_string(),
        file_name: name,
        taken_at: t.to_rfc3339(),
        bytes: meta.len(),
        before_upgrade_to,
    })
}
