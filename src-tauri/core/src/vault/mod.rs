//! The vault: one SQLCipher 4 database file holding everything KAP Desk knows.
//!
//! It uses SQLCipher's default settings (PBKDF2-HMAC-SHA512 with 256,000 rounds, 4 KiB
//! pages, HMAC per page), so any standard SQLCipher 4 client opens it with the
//! passphrase: the therapist is never locked in.

use std::ffi::c_int;
use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, ffi};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
pub mod migrations;
pub mod writer;
use crate::passphrase::Passphrase;
use writer::WriterLock;

/// `PRAGMA application_id`: "KAPD". Tells a KAP Desk vault from any other SQLCipher
/// database that happens to open with the same passphrase.
pub const APPLICATION_ID: i32 = 0x4B41_5044;

/// SQLCipher 4's default page size. Every vault is a whole number of these.
const PAGE_SIZE: u64 = 4096;

/// Page cache in KiB (negative `cache_size` means KiB). With SQLCipher every cache miss
/// decrypts and authenticates a page; measured here, a point read cost 15-20 µs with
/// the default 2 MiB cache against ~3 µs once the working set fits, the same as plain
/// SQLite. 64 MiB holds a large solo practice's vault whole and is only used as filled.
const CACHE_KIB: i64 = 64 * 1024;

pub struct Vault {
    conn: Connection,
    path: PathBuf,
    /// Held by a vault open for writing, released after the connection closes. `None`
    /// for read-only and copy connections.
    writer: Option<WriterLock>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// What a front end needs to choose its first screen: create, unlock, or the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub vault_path: String,
    pub vault_exists: bool,
    pub unlocked: bool,
    /// Why the vault locked by itself (idle, sleep, screen lock), for the unlock screen;
    /// `None` when the therapist locked it or it has not been opened yet.
    pub locked_because: Option<String>,
    /// The open vault is a demo practice: the app shows "Demo vault — not for real
    /// clients" on every screen while it is open.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TableCount {
    pub table: String,
    #[ts(type = "number")]
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VaultInfo {
    pub path: String,
    pub schema_version: u32,
    pub sqlcipher_version: String,
    #[ts(type = "number")]
    pub file_bytes: u64,
    pub tables: Vec<TableCount>,
    /// The vault is the demo practice (`kapdesk demo`): invented clients, not records.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupOutcome {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    pub path: String,
    pub schema_version: u32,
    pub pages: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcome {
    pub restored: String,
    /// Where the vault that was live before the restore was kept, if there was one.
    pub previous_kept_at: Option<String>,
}

impl Vault {
    /// Creates a new, empty vault. Refuses to touch an existing file.
    pub fn create(path: &Path, passphrase: &Passphrase, now: DateTime<Utc>) -> Result<Vault> {
        Self::create_with(path, passphrase, now, true)
    }

    /// `create` for the demo practice (`features::demo`): invented clients under a demo
    /// passphrase, so this connection does not ask for SQLCipher's memory security. It
    /// locks and wipes every allocation (two system calls each, measured at over a
    /// minute for a ten-year practice). It is process-wide and stays on once any vault
    /// asked for it: the app writes the demo from the first-run screen, before any real
    /// vault is opened, and every vault opened afterwards still gets it.
    pub(crate) fn create_for_demo(
        path: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<Vault> {
        Self::create_with(path, passphrase, now, false)
    }

    fn create_with(
        path: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
        memory_security: bool,
    ) -> Result<Vault> {
        ensure_private_dir(path)?;
        let writer = WriterLock::acquire(path)?;
        for companion in [
            path.to_path_buf(),
            sidecar(path, "-wal"),
            sidecar(path, "-journal"),
        ] {
            if companion.exists() {
                return Err(Error::VaultExists {
                    path: path.to_path_buf(),
                });
            }
        }
        // create_new claims the name atomically (no race with another process) and sets
        // 0600 from the first byte; SQLite then treats the empty file as a new database
        // and gives its -wal/-shm files the same mode.
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::VaultExists {
                    path: path.to_path_buf(),
                },
                _ => Error::io("create the vault file", path, e),
            })?;

        let build = || -> Result<Vault> {
            let conn = connect_with(
                path,
                passphrase,
                OpenFlags::SQLITE_OPEN_READ_WRITE,
                memory_security,
            )?;
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            let mut vault = Vault {
                conn,
                path: path.to_path_buf(),
                writer: None,
            };
            vault.configure()?;
            migrations::migrate(&mut vault.conn, now)?;
            crate::store::consent::seed_default_template(&vault.conn, now)?;
            vault.audit(now, "vault_created", "")?;
            Ok(vault)
        };
        build()
            .map(|mut vault| {
                vault.writer = Some(writer);
                vault
            })
            .inspect_err(|_| {
                // Leave no half-made vault behind, so the user can simply try again.
                for p in [
                    path.to_path_buf(),
                    sidecar(path, "-wal"),
                    sidecar(path, "-shm"),
                ] {
                    let _ = fs::remove_file(p);
                }
            })
    }

    /// Opens an existing vault and brings its schema up to date.
    ///
    /// A wrong passphrase costs the same key derivation as a right one (SQLCipher derives
    /// the key before it can check page 1's HMAC), so timing does not tell them apart.
    /// Nothing is written unless the vault opened and passed every check.
    ///
    /// Takes the one-writer lock first: while another program (the app, a `kapdesk`
    /// write, a restore) holds the vault this fails at once with `InUse`.
    pub fn open(path: &Path, passphrase: &Passphrase, now: DateTime<Utc>) -> Result<Vault> {
        // Said before the lock is taken: a missing vault's folder has no lock file either,
        // and "there is no vault" is the sentence that helps.
        if !path.exists() {
            return Err(Error::VaultNotFound {
                path: path.to_path_buf(),
            });
        }
        Self::open_locked(path, passphrase, now, WriterLock::acquire(path)?)
    }

    fn open_locked(
        path: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
        writer: WriterLock,
    ) -> Result<Vault> {
        let mut vault = Self::open_checked(path, passphrase, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        vault.writer = Some(writer);
        vault.configure()?;
        let kept = vault.backup_before_upgrade(passphrase, now)?;
        let applied = migrations::migrate(&mut vault.conn, now)?;
        if !applied.is_empty() {
            if let Some(kept) = kept {
                vault.audit(now, "upgrade_backup_written", &kept.display().to_string())?;
            }
            vault.audit(
                now,
                "schema_upgraded",
                &format!("to version {}", migrations::latest_version()),
            )?;
        }
        vault.follow_default_templates(now)?;
        Ok(vault)
    }

    /// Opens read-only and runs every check that does not need to write: the file looks
    /// like a vault, the key is right, it is a KAP Desk vault, and not from the future.
    fn open_checked(path: &Path, passphrase: &Passphrase, flags: OpenFlags) -> Result<Vault> {
        precheck_file(path)?;
        let conn = connect(path, passphrase, flags)?;
        // The first read derives the key and checks page 1. NOTADB here means the key
        // is wrong (or page 1 is damaged: SQLCipher cannot tell, see WrongPassphrase).
        match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(_) => {}
            Err(e) if e.sqlite_error_code() == Some(ffi::ErrorCode::NotADatabase) => {
                return Err(Error::WrongPassphrase);
            }
            Err(e) => return Err(e.into()),
        }
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            return Err(Error::damaged(
                "it is an encrypted database, but not one made by KAP Desk",
            ));
        }
        migrations::check_compatible(&conn)?;
        Ok(Vault {
            conn,
            path: path.to_path_buf(),
            writer: None,
        })
    }

    /// Settings that protect the data. Applied on every open: most are per-connection.
    fn configure(&self) -> Result<()> {
        self.conn.execute_batch(&format!(
            // foreign_keys: a session must never outlive its client.
            // synchronous=FULL: a clinical record reported saved must survive power loss.
            // temp_store=MEMORY: SQLCipher does not encrypt temporary files, so sorts and
            //   temporary indices must never reach the disk.
            // secure_delete: deleted rows are overwritten, not left in free pages.
            // cache_size: see CACHE_KIB.
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = FULL;
             PRAGMA temp_store = MEMORY;
             PRAGMA secure_delete = ON;
             PRAGMA cache_size = -{CACHE_KIB};"
        ))?;
        // WAL: measured against DELETE, single-row commits were ~2x faster (one fsync
        // instead of three), and readers never block the writer. The -wal file holds
        // encrypted pages only; the -shm index holds no content.
        let mode: String = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::damaged(format!(
                "the journal could not be set up (mode {mode})"
            )));
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Before a format upgrade, a verified copy of the vault as it was, so an upgrade can
    /// always be undone: into the practice's backup folder when one is set and there,
    /// else beside the vault (same folder, `0600`, encrypted). A drive that is not
    /// connected never stops the vault from opening. Written before the upgrade and
    /// recorded in the audit trail after it, since an older trail has an older shape.
    fn backup_before_upgrade(
        &self,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<Option<PathBuf>> {
        let target = migrations::latest_version();
        if migrations::user_version(&self.conn)? >= target {
            return Ok(None);
        }
        let folder = crate::store::guard::backup_dir_any_version(&self.conn)?
            .map(PathBuf::from)
            .filter(|d| d.is_dir());
        let dir = match folder {
            Some(d) => d,
            None => self
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
        };
        let dest = dir.join(crate::model::safeguards::backup_file_name(
            now,
            Some(target),
        ));
        self.copy_to(&dest, passphrase)?;
        Ok(Some(dest))
    }

    /// The connection, for the domain modules of this crate. Never leaves the crate:
    /// the shell and the CLI go through typed functions.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Appends to the audit trail. Never records clinical content or secrets.
    pub(crate) fn audit(&self, now: DateTime<Utc>, event: &str, detail: &str) -> Result<()> {
        crate::store::audit::record(&self.conn, now, event, detail)
    }

    /// Re-encrypts every page under a new passphrase, in place.
    pub fn change_passphrase(&mut self, new: &Passphrase, now: DateTime<Utc>) -> Result<()> {
        // SQLCipher re-keys through the rollback journal: leave WAL for the duration,
        // which also checkpoints every page into the main file first.
        self.conn
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))?;
        let bytes = new.expose().as_bytes();
        // SAFETY: the handle is valid for the life of `self.conn`; SQLCipher copies the
        // key material before returning and does not keep the pointer.
        let rc = unsafe {
            ffi::sqlite3_rekey(
                self.conn.handle(),
                bytes.as_ptr().cast(),
                bytes.len() as c_int,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(Error::Database(rusqlite::Error::SqliteFailure(
                ffi::Error::new(rc),
                Some("the passphrase could not be changed".into()),
            )));
        }
        self.configure()?;
        self.audit(now, "passphrase_changed", "")
    }

    /// Closes the vault, checkpointing the WAL into the main file.
    pub fn close(self) -> Result<()> {
        self.conn.close().map_err(|(_, e)| Error::from(e))
    }

    /// Writes a consistent encrypted copy (same passphrase) while the vault stays open,
    /// through SQLite's online backup API: never a raw copy of a live WAL database.
    /// The copy is written beside `dest` and renamed into place only once complete and
    /// verified, so a failed backup never leaves a half-written file under that name.
    pub fn backup_to(
        &self,
        dest: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<BackupOutcome> {
        let bytes = self.copy_to(dest, passphrase)?;
        self.audit(now, "backup_written", &dest.display().to_string())?;
        Ok(BackupOutcome {
            path: dest.display().to_string(),
            bytes,
        })
    }

    /// `backup_to` without the audit entry: the copy, verified, flushed and renamed
    /// into place. Returns its size in bytes.
    fn copy_to(&self, dest: &Path, passphrase: &Passphrase) -> Result<u64> {
        if same_file(dest, &self.path) {
            return Err(Error::invalid(
                "path",
                "A backup cannot be written over the vault itself. Choose another file.",
            ));
        }
        let tmp = temp_beside(dest)?;
        let result = (|| -> Result<u64> {
            {
                let mut dst = connect(&tmp, passphrase, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
                backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
                drop(backup);
                // The copy inherits the vault's WAL mode; a backup is one file on its
                // own, so it goes back to a rollback journal (restoring sets WAL again).
                // Otherwise every open of it, even to verify, leaves -wal/-shm files.
                dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| {
                    r.get::<_, String>(0)
                })?;
                dst.close().map_err(|(_, e)| Error::from(e))?;
            }
            Self::verify_file(&tmp, passphrase)?;
            sync_file(&tmp)?;
            fs::rename(&tmp, dest).map_err(|e| Error::io("write the backup to", dest, e))?;
            sync_parent(dest)?;
            let bytes = fs::metadata(dest)
                .map_err(|e| Error::io("read", dest, e))?
                .len();
            Ok(bytes)
        })();
        result.inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })
    }

    /// Whether `candidate` opens this vault, checked on a separate read-only connection
    /// (full key derivation, so it is as slow to guess as unlocking).
    pub fn check_passphrase(&self, candidate: &Passphrase) -> Result<()> {
        Self::open_checked(&self.path, candidate, OpenFlags::SQLITE_OPEN_READ_ONLY).map(drop)
    }

    /// The audit entries of another vault file (a backup), read without writing to it.
    /// It must open with `passphrase` and be a KAP Desk vault of this version or older.
    pub(crate) fn audit_entries_of_copy(
        &self,
        path: &Path,
        passphrase: &Passphrase,
    ) -> Result<Vec<crate::model::audit::StoredEntry>> {
        if same_file(path, &self.path) {
            return Err(Error::invalid(
                "against",
                "That file is the vault itself. Give an earlier backup, or a file KAP Desk exported.",
            ));
        }
        let copy = Self::open_checked(path, passphrase, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        crate::store::audit::entries(&copy.conn)
    }

    /// Checks every page's HMAC (`cipher_integrity_check`) and SQLite's own structure
    /// (`integrity_check`). Any problem is reported as `Damaged`.
    pub fn verify(&self) -> Result<VerifyReport> {
        verify_conn(&self.conn, &self.path)
    }

    /// Verifies a vault or backup file without writing to it.
    pub fn verify_file(path: &Path, passphrase: &Passphrase) -> Result<VerifyReport> {
        let vault = Self::open_checked(path, passphrase, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        verify_conn(&vault.conn, path)
    }

    /// Replaces the vault at `live` with the backup at `backup` (which opens with
    /// `passphrase`, the passphrase the backup was made under). The backup is verified
    /// first; the vault that was live is kept beside it, renamed, never deleted.
    ///
    /// Refused while any program holds the vault (the app, a `kapdesk` write): the lock
    /// is taken first and held to the end. The swap itself is one atomic exchange of
    /// directory entries (`renameat2(RENAME_EXCHANGE)`), so a crash at any instant
    /// leaves either the old or the restored vault under `live`, never neither; the
    /// steps are named in `RestoreStep` and the tests kill the process at each.
    ///
    /// A backup of the demo practice is refused unless the vault it would replace is
    /// the demo practice too: invented clients never take the place of real records.
    pub fn restore(
        live: &Path,
        backup: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<RestoreOutcome> {
        if same_file(live, backup) {
            return Err(Error::invalid(
                "path",
                "That file is the vault itself, not a backup.",
            ));
        }
        // On a new laptop the vault's folder may not exist yet: its lock file lives there.
        ensure_private_dir(live)?;
        let writer = WriterLock::acquire(live)?;
        Self::verify_file(backup, passphrase)?;
        // A write-ahead log beside the live vault holds pages not yet in its main file
        // (the app was killed). It belongs to that file alone: swapping the main file
        // under it would replay old pages into the restored one. Opening the vault once
        // folds it in; until then, nothing is touched.
        if fs::metadata(sidecar(live, "-wal")).is_ok_and(|m| m.len() > 0) {
            return Err(Error::invalid(
                "path",
                "The current vault was not closed cleanly and still holds its last writes in a side file. Open it once in KAP Desk (or run `kapdesk info`) so they are folded in, then restore.",
            ));
        }
        refuse_demo_over_real(live, backup, passphrase)?;

        let tmp = temp_beside(live)?;
        let staged = (|| -> Result<()> {
            let mut src =
                File::open(backup).map_err(|e| Error::io("read the backup", backup, e))?;
            let mut dst = OpenOptions::new()
                .write(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)
                .map_err(|e| Error::io("write", &tmp, e))?;
            std::io::copy(&mut src, &mut dst)
                .map_err(|e| Error::io("copy the backup to", &tmp, e))?;
            dst.sync_all().map_err(|e| Error::io("write", &tmp, e))?;
            sync_parent(&tmp)
        })();
        staged.inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })?;
        crash_point(RestoreStep::Staged);

        let mut kept = None;
        if live.exists() {
            // The stale index of the old log describes the old file: drop it (SQLite
            // rebuilds it) so it can never be read against the restored one.
            let _ = fs::remove_file(sidecar(live, "-shm"));
            let stamp = now.format("%Y%m%dT%H%M%SZ");
            let keep = sidecar(live, &format!(".before-restore-{stamp}"));
            match exchange(&tmp, live) {
                Ok(()) => {
                    crash_point(RestoreStep::Exchanged);
                    sync_parent(live)?;
                    crash_point(RestoreStep::Synced);
                    // `tmp` now holds the old vault: give it its lasting name.
                    fs::rename(&tmp, &keep)
                        .map_err(|e| Error::io("keep the current vault as", &keep, e))?;
                }
                Err(ExchangeError::Unsupported) => {
                    // A file system without the exchange: keep a second name (or a
                    // copy) of the old vault first, then replace `live` in one rename,
                    // which POSIX makes atomic. `live` names a whole vault throughout.
                    if fs::hard_link(live, &keep).is_err() {
                        fs::copy(live, &keep)
                            .and_then(|_| File::open(&keep)?.sync_all())
                            .map_err(|e| Error::io("keep the current vault as", &keep, e))?;
                    }
                    sync_parent(&keep)?;
                    fs::rename(&tmp, live)
                        .map_err(|e| Error::io("put the backup in place at", live, e))?;
                }
                Err(ExchangeError::Failed(e)) => {
                    let _ = fs::remove_file(&tmp);
                    return Err(e);
                }
            }
            sync_parent(&keep)?;
            crash_point(RestoreStep::Kept);
            kept = Some(keep.display().to_string());
        } else {
            fs::rename(&tmp, live).map_err(|e| Error::io("put the backup in place at", live, e))?;
            sync_parent(live)?;
            crash_point(RestoreStep::Exchanged);
        }

        // Record the restore in the restored vault's own trail.
        let restored = Self::open_locked(live, passphrase, now, writer)?;
        restored.audit(now, "restored_from_backup", &backup.display().to_string())?;
        restored.close()?;
        Ok(RestoreOutcome {
            restored: live.display().to_string(),
            previous_kept_at: kept,
        })
    }

    /// Opens for reading only, without the writer lock: for commands that only look
    /// (a timeline, a list) while the app holds the vault. Never migrates: a vault that
    /// needs upgrading is refused with a sentence saying how.
    pub fn open_read_only(path: &Path, passphrase: &Passphrase) -> Result<Vault> {
        let vault = Self::open_read_only_any_version(path, passphrase)?;
        if migrations::user_version(&vault.conn)? < migrations::latest_version() {
            return Err(Error::invalid(
                "path",
                "This vault was made by an older version of KAP Desk and needs a moment's upgrade first. Open it in KAP Desk (or run any command that writes), then try again.",
            ));
        }
        Ok(vault)
    }

    /// Read-only, at whatever schema version the file has (a backup from before an
    /// upgrade): for counting what it holds, never for the features.
    pub(crate) fn open_read_only_any_version(
        path: &Path,
        passphrase: &Passphrase,
    ) -> Result<Vault> {
        let vault = Self::open_checked(path, passphrase, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        vault.conn.execute_batch(&format!(
            "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{CACHE_KIB};"
        ))?;
        Ok(vault)
    }

    pub fn info(&self) -> Result<VaultInfo> {
        let sqlcipher_version: String = self
            .conn
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
        let names: Vec<String> = {
            let mut stmt = self.conn.prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        let mut tables = Vec::with_capacity(names.len());
        for table in names {
            // Table names come from sqlite_schema, not from a user; quoted regardless.
            let rows: i64 = self.conn.query_row(
                &format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\"")),
                [],
                |r| r.get(0),
            )?;
            tables.push(TableCount {
                table,
                rows: rows as u64,
            });
        }
        let file_bytes = fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
        Ok(VaultInfo {
            path: self.path.display().to_string(),
            schema_version: migrations::user_version(&self.conn)?,
            sqlcipher_version,
            file_bytes,
            tables,
            demo: crate::store::guard::is_demo_any_version(&self.conn)?,
        })
    }

    /// Writing a brand-new vault in bulk (the demo practice): `true` stops the flush to
    /// disk at every commit, `false` puts `synchronous = FULL` back and folds the
    /// write-ahead log into the main file. Only for a file nobody else has seen yet: a
    /// power cut while it is on can lose the file, which is then simply written again.
    pub(crate) fn set_bulk_load(&self, on: bool) -> Result<()> {
        if on {
            self.conn.execute_batch("PRAGMA synchronous = OFF")?;
        } else {
            self.conn.execute_batch("PRAGMA synchronous = FULL")?;
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }
}

/// The sentence when a backup of the demo practice would replace a practice's vault.
pub(crate) fn demo_backup_refused() -> Error {
    Error::invalid(
        "path",
        "That backup is the demo practice, not your practice's records. Nothing was restored.",
    )
}

/// Whether the vault file at `path` is the demo practice, read without writing to it.
fn file_is_demo(path: &Path, passphrase: &Passphrase) -> Result<bool> {
    let vault = Vault::open_read_only_any_version(path, passphrase)?;
    crate::store::guard::is_demo_any_version(&vault.conn)
}

/// A backup of the demo practice only ever replaces the demo practice: not a real
/// vault, nor an empty place where the practice's vault belongs, nor a vault that does
/// not open with the backup's passphrase (it cannot be shown to be a demo).
fn refuse_demo_over_real(live: &Path, backup: &Path, passphrase: &Passphrase) -> Result<()> {
    if !file_is_demo(backup, passphrase)? {
        return Ok(());
    }
    let live_is_demo = live.exists() && file_is_demo(live, passphrase).unwrap_or(false);
    if live_is_demo {
        Ok(())
    } else {
        Err(demo_backup_refused())
    }
}

/// Opens a connection and installs the key. Does not read anything yet.
fn connect(path: &Path, passphrase: &Passphrase, flags: OpenFlags) -> Result<Connection> {
    connect_with(path, passphrase, flags, true)
}

fn connect_with(
    path: &Path,
    passphrase: &Passphrase,
    flags: OpenFlags,
    memory_security: bool,
) -> Result<Connection> {
    sqlcipher_ready()?;
    open_and_key(path, passphrase, flags, memory_security)
}

/// Finishes SQLite's and SQLCipher's process-wide set-up before the first connection.
///
/// `sqlite3_initialize` marks SQLite initialised and only then runs SQLCipher's own
/// set-up (its private heap and random source). A second thread that opens a
/// connection in that window finds SQLite "ready", and its `sqlite3_key` is refused
/// with SQLITE_ERROR and no message because SQLCipher is not. This happened in CI
/// when test threads opened their first vaults at the same moment
/// (`tests/first_open.rs`). Running the set-up once here, with every other caller
/// waiting for it, closes the window.
fn sqlcipher_ready() -> Result<()> {
    static READY: OnceLock<c_int> = OnceLock::new();
    // SAFETY: sqlite3_initialize takes no arguments and is safe to call at any time.
    let rc = *READY.get_or_init(|| unsafe { ffi::sqlite3_initialize() });
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(Error::Database(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            Some("the encryption library could not start".into()),
        )))
    }
}

fn open_and_key(
    path: &Path,
    passphrase: &Passphrase,
    flags: OpenFlags,
    memory_security: bool,
) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    // A wrong key makes SQLCipher print "hmac check failed" lines on stderr; the user
    // gets one clear sentence from us instead.
    conn.execute_batch("PRAGMA cipher_log_level = NONE")?;
    // Memory security: SQLCipher zeroes (and locks) every allocation it frees, so the
    // key and decrypted pages do not linger in freed memory after a lock. It is
    // process-wide and cannot be turned off again once on; set before the key so the
    // key's own buffers are covered. Its cost is measured in `benches/vault.rs`.
    // Off only for the demo practice (`Vault::create_for_demo`).
    if memory_security {
        conn.execute_batch("PRAGMA cipher_memory_security = ON")?;
    }
    let bytes = passphrase.expose().as_bytes();
    // The key goes through sqlite3_key rather than `PRAGMA key = '...'` so the
    // passphrase never becomes part of an SQL string that could be traced or logged.
    // SAFETY: the handle is valid while `conn` lives; SQLCipher copies the key.
    let rc =
        unsafe { ffi::sqlite3_key(conn.handle(), bytes.as_ptr().cast(), bytes.len() as c_int) };
    if rc != ffi::SQLITE_OK {
        // SAFETY: as above; the message is copied before the connection is dropped.
        let message = unsafe { std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(conn.handle())) }
            .to_string_lossy()
            .into_owned();
        return Err(Error::Database(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            Some(format!("the key could not be set ({message})")),
        )));
    }
    Ok(conn)
}

/// Cheap checks on the raw file before SQLCipher sees it, so that an empty file, a
/// truncated one, or a plain SQLite database get an honest "not a vault" instead of
/// being mistaken for a wrong passphrase.
fn precheck_file(path: &Path) -> Result<()> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::VaultNotFound {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(Error::io("read", path, e)),
    };
    if !meta.is_file() {
        return Err(Error::damaged("it is not a file"));
    }
    let len = meta.len();
    if len == 0 {
        return Err(Error::damaged("the file is empty"));
    }
    if len % PAGE_SIZE != 0 {
        return Err(Error::damaged(
            "the file is truncated or not a vault (its size is not a whole number of pages)",
        ));
    }
    let mut head = [0u8; 16];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(|e| Error::io("read", path, e))?;
    if &head == b"SQLite format 3\0" {
        return Err(Error::damaged(
            "it is an unencrypted SQLite database, not an encrypted vault",
        ));
    }
    Ok(())
}

fn verify_conn(conn: &Connection, path: &Path) -> Result<VerifyReport> {
    let mut problems: Vec<String> = {
        let mut stmt = conn.prepare("PRAGMA cipher_integrity_check")?;
        stmt.query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?
    };
    if problems.is_empty() {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        problems.extend(rows.into_iter().filter(|r| r != "ok"));
    }
    if let Some(first) = problems.first() {
        return Err(Error::damaged(format!(
            "{} problem{} found, the first: {first}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        )));
    }
    let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
    Ok(VerifyReport {
        path: path.display().to_string(),
        schema_version: migrations::user_version(conn)?,
        pages: pages as u64,
    })
}

/// The moments of a restore at which the tests kill the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreStep {
    /// The backup's copy is written and flushed beside the vault.
    Staged,
    /// The copy and the vault have traded names.
    Exchanged,
    /// The folder is flushed.
    Synced,
    /// The old vault has its lasting `.before-restore-…` name.
    Kept,
}

impl RestoreStep {
    pub const ALL: [RestoreStep; 4] = [
        RestoreStep::Staged,
        RestoreStep::Exchanged,
        RestoreStep::Synced,
        RestoreStep::Kept,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RestoreStep::Staged => "staged",
            RestoreStep::Exchanged => "exchanged",
            RestoreStep::Synced => "synced",
            RestoreStep::Kept => "kept",
        }
    }
}

/// Debug builds only: `KAPDESK_TEST_CRASH_AT=restore:<step>` aborts the process there,
/// as a power cut would. Compiled out of release builds.
fn crash_point(step: RestoreStep) {
    #[cfg(debug_assertions)]
    if std::env::var("KAPDESK_TEST_CRASH_AT").ok().as_deref()
        == Some(&format!("restore:{}", step.as_str()))
    {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}

enum ExchangeError {
    /// The file system has no atomic exchange (some network and FUSE mounts).
    Unsupported,
    Failed(Error),
}

/// Swaps two directory entries in one step: both names exist before and after, and no
/// moment exists at which either is missing.
fn exchange(a: &Path, b: &Path) -> std::result::Result<(), ExchangeError> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes()).map_err(|_| {
            ExchangeError::Failed(Error::invalid(
                "path",
                "A file name contains a NUL character.",
            ))
        })
    };
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Err(ExchangeError::Unsupported),
        _ => Err(ExchangeError::Failed(Error::io(
            "swap the backup into place at",
            b,
            err,
        ))),
    }
}

/// `vault.db` + `-wal` → `vault.db-wal`: SQLite's own naming for companion files.
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn temp_beside(dest: &Path) -> Result<PathBuf> {
    let parent = parent_dir(dest);
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vault".into());
    // Created exclusively with 0600 so nobody else can read the copy as it is written.
    for attempt in 0..100u32 {
        let tmp = parent.join(format!(".{name}.partial-{}-{attempt}", std::process::id()));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
        {
            Ok(_) => return Ok(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io("write a file in", parent, e)),
        }
    }
    Err(Error::invalid(
        "path",
        "Could not find a free temporary file name beside the destination.",
    ))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates the vault's folder 0700 if it does not exist. An existing folder is left as
/// the user set it: tightening `/tmp` or a home folder behind their back would be wrong.
fn ensure_private_dir(path: &Path) -> Result<()> {
    let dir = parent_dir(path);
    if dir.exists() {
        return Ok(());
    }
    fs::create_dir_all(&dir).map_err(|e| Error::io("create the folder", &dir, e))?;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| Error::io("protect the folder", &dir, e))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn sync_file(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io("flush", path, e))
}

/// A rename is only durable once the directory entry is on disk.
fn sync_parent(path: &Path) -> Result<()> {
    let dir = parent_dir(path);
    File::open(&dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io("flush the folder", &dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A vault file as an older KAP Desk left it: keyed, marked, migrated to `version`.
    fn older_vault(path: &Path, pass: &Passphrase, version: u32) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut conn = connect(
            path,
            pass,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
        .unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        migrations::migrate_to(&mut conn, Utc::now(), version).unwrap();
        // As `create` left it: the default consent template seeded as version 1.
        let mut seeded = crate::model::consent::ConsentTemplate::default_template().unwrap();
        seeded.version = 1;
        conn.execute(
            "INSERT INTO consent_templates (template_id, version, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            (
                &seeded.id,
                1,
                serde_json::to_string(&seeded).unwrap(),
                Utc::now().to_rfc3339(),
            ),
        )
        .unwrap();
        conn.close().unwrap();
    }

    #[test]
    fn an_upgrade_puts_its_copy_in_the_backup_folder_when_it_is_there_and_beside_the_vault_when_not()
     {
        let dir = tempfile::tempdir().unwrap();
        let pass = Passphrase::new("correct horse battery staple");
        let old = migrations::latest_version() - 1;
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 8, 0, 0).unwrap();
        let name = crate::model::safeguards::backup_file_name(now, Some(old + 1));
        for connected in [true, false] {
            let path = dir
                .path()
                .join(format!("v-{connected}"))
                .join("kapdesk.vault");
            let drive = dir.path().join(format!("drive-{connected}"));
            older_vault(&path, &pass, old);
            {
                let conn = connect(&path, &pass, OpenFlags::SQLITE_OPEN_READ_WRITE).unwrap();
                conn.execute(
                    "UPDATE vault_guard SET backup_dir = ?1",
                    [drive.display().to_string()],
                )
                .unwrap();
            }
            if connected {
                fs::create_dir_all(&drive).unwrap();
            }
            // A drive that is not connected never stops the vault from opening.
            Vault::open(&path, &pass, now).unwrap().close().unwrap();
            let (there, beside) = (drive.join(&name), path.parent().unwrap().join(&name));
            assert_eq!(there.exists(), connected, "{connected}");
            assert_eq!(beside.exists(), !connected, "{connected}");
            let copy = if connected { there } else { beside };
            assert_eq!(
                Vault::verify_file(&copy, &pass).unwrap().schema_version,
                old
            );
        }
    }

    #[test]
    fn an_upgrade_keeps_a_verified_copy_of_the_old_vault_even_without_a_backup_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("practice").join("kapdesk.vault");
        let pass = Passphrase::new("correct horse battery staple");
        let old = migrations::latest_version() - 1;
        older_vault(&path, &pass, old);
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 8, 0, 0).unwrap();

        let vault = Vault::open(&path, &pass, now).unwrap();
        let name = crate::model::safeguards::backup_file_name(now, Some(old + 1));
        let copy = path.parent().unwrap().join(&name);
        // The copy is the vault as it was, and opens on its own.
        let report = Vault::verify_file(&copy, &pass).unwrap();
        assert_eq!(report.schema_version, old);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // The trail says where it went, after the upgrade.
        let at = crate::store::audit::last_at(vault.conn(), "upgrade_backup_written").unwrap();
        assert!(at.is_some());
        vault.close().unwrap();

        // Opening again upgrades nothing and copies nothing.
        let later = now + chrono::Duration::hours(1);
        Vault::open(&path, &pass, later).unwrap().close().unwrap();
        let copies = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("-before-v")
            })
            .count();
        assert_eq!(copies, 1);
    }
}
