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

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, ffi};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
pub mod migrations;
use crate::passphrase::Passphrase;

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
        ensure_private_dir(path)?;
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
            let conn = connect(path, passphrase, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            let mut vault = Vault {
                conn,
                path: path.to_path_buf(),
            };
            vault.configure()?;
            migrations::migrate(&mut vault.conn, now)?;
            crate::store::consent::seed_default_template(&vault.conn, now)?;
            vault.audit(now, "vault_created", "")?;
            Ok(vault)
        };
        build().inspect_err(|_| {
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
    pub fn open(path: &Path, passphrase: &Passphrase, now: DateTime<Utc>) -> Result<Vault> {
        let mut vault = Self::open_checked(path, passphrase, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        vault.configure()?;
        let applied = migrations::migrate(&mut vault.conn, now)?;
        if !applied.is_empty() {
            vault.audit(
                now,
                "schema_upgraded",
                &format!("to version {}", migrations::latest_version()),
            )?;
        }
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
        let bytes = result.inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })?;
        self.audit(now, "backup_written", &dest.display().to_string())?;
        Ok(BackupOutcome {
            path: dest.display().to_string(),
            bytes,
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
    /// The caller must have closed the live vault.
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
        Self::verify_file(backup, passphrase)?;
        ensure_private_dir(live)?;

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
            dst.sync_all().map_err(|e| Error::io("write", &tmp, e))
        })();
        staged.inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })?;

        let mut kept = None;
        if live.exists() {
            let stamp = now.format("%Y%m%dT%H%M%SZ");
            let keep = sidecar(live, &format!(".before-restore-{stamp}"));
            // The WAL belongs to its main file: move them together so the kept copy
            // stays whole even if the app had crashed with un-checkpointed pages.
            for suffix in ["-wal", "-shm", "-journal"] {
                let from = sidecar(live, suffix);
                if from.exists() {
                    let to = sidecar(&keep, suffix);
                    fs::rename(&from, &to).map_err(|e| Error::io("keep", &from, e))?;
                }
            }
            fs::rename(live, &keep)
                .map_err(|e| Error::io("keep the current vault as", &keep, e))?;
            kept = Some(keep.display().to_string());
        }
        fs::rename(&tmp, live).map_err(|e| Error::io("put the backup in place at", live, e))?;
        sync_parent(live)?;

        // Record the restore in the restored vault's own trail.
        let restored = Self::open(live, passphrase, now)?;
        restored.audit(now, "restored_from_backup", &backup.display().to_string())?;
        restored.close()?;
        Ok(RestoreOutcome {
            restored: live.display().to_string(),
            previous_kept_at: kept,
        })
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
        })
    }
}

/// Opens a connection and installs the key. Does not read anything yet.
///
/// `sqlite3_key` was seen to fail now and then (SQLITE_ERROR, about once in a few
/// thousand) while many threads opened vaults at once in the test suite; a fresh
/// connection then takes the key. So it is tried up to three times before the error,
/// with SQLCipher's own message, is returned.
fn connect(path: &Path, passphrase: &Passphrase, flags: OpenFlags) -> Result<Connection> {
    let mut last = None;
    for _ in 0..3 {
        match connect_once(path, passphrase, flags) {
            Ok(conn) => return Ok(conn),
            Err(KeyError::Open(e)) => return Err(e),
            Err(KeyError::Key(e)) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        Error::Database(rusqlite::Error::SqliteFailure(
            ffi::Error::new(ffi::SQLITE_ERROR),
            Some("the key could not be set".into()),
        ))
    }))
}

enum KeyError {
    /// Opening the file failed: trying again would not help.
    Open(Error),
    /// `sqlite3_key` refused: a fresh connection may take it.
    Key(Error),
}

fn connect_once(
    path: &Path,
    passphrase: &Passphrase,
    flags: OpenFlags,
) -> std::result::Result<Connection, KeyError> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| KeyError::Open(e.into()))?;
    // A wrong key makes SQLCipher print "hmac check failed" lines on stderr; the user
    // gets one clear sentence from us instead.
    conn.execute_batch("PRAGMA cipher_log_level = NONE")
        .map_err(|e| KeyError::Open(e.into()))?;
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
        return Err(KeyError::Key(Error::Database(
            rusqlite::Error::SqliteFailure(
                ffi::Error::new(rc),
                Some(format!("the key could not be set ({message})")),
            ),
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

/// `vault.db` + `-wal` → `vault.db-wal`: SQLite's own naming for companion files.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
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
