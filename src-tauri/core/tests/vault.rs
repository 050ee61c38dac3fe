//! The vault as its users depend on it: encrypted on disk, refusing wrong keys and
//! damaged files without writing, re-keyable, and recoverable from backups.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use kapdesk_core::{CrisisContact, Error, Passphrase, PracticeSettings, Vault};

const PASS: &str = "correct horse battery staple";
const MARKER: &str = "Zebrafinch-Marker-7731";

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 14, 30, 0).unwrap()
}

fn pass(s: &str) -> Passphrase {
    Passphrase::new(s)
}

fn settings_with(name: &str) -> PracticeSettings {
    PracticeSettings {
        therapist_name: name.into(),
        practice_name: "Blue Ridge KAP".into(),
        crisis_contacts: vec![CrisisContact {
            label: "988 Suicide & Crisis Lifeline".into(),
            phone: "988".into(),
        }],
        ..Default::default()
    }
}

/// A vault in its own folder (created by the vault, so it gets 0700).
fn new_vault(dir: &tempfile::TempDir) -> (PathBuf, Vault) {
    let path = dir.path().join("practice").join("kapdesk.vault");
    let vault = Vault::create(&path, &pass(PASS), now()).unwrap();
    (path, vault)
}

fn bytes_of_every_file(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            out.push((p.clone(), fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn stored_records_never_appear_in_plaintext_in_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    vault.save_settings(settings_with(MARKER), now()).unwrap();
    let folder = path.parent().unwrap();

    // While open, WAL and shared-memory files exist beside the vault: check them too.
    let open_files = bytes_of_every_file(folder);
    assert!(
        open_files
            .iter()
            .any(|(p, _)| p.to_string_lossy().ends_with("-wal"))
    );
    for (p, bytes) in &open_files {
        assert!(
            !contains(bytes, MARKER.as_bytes()),
            "marker in plaintext in {}",
            p.display()
        );
        assert!(
            !contains(bytes, "Blue Ridge".as_bytes()),
            "practice name in {}",
            p.display()
        );
    }
    vault.close().unwrap();

    for (p, bytes) in bytes_of_every_file(folder) {
        assert!(
            !contains(&bytes, MARKER.as_bytes()),
            "marker in plaintext in {}",
            p.display()
        );
        assert!(
            !bytes.starts_with(b"SQLite format 3"),
            "{} is a plain SQLite file",
            p.display()
        );
    }
    // And the record really is in there: reopening reads it back.
    let vault = Vault::open(&path, &pass(PASS), now()).unwrap();
    assert_eq!(vault.settings().unwrap().therapist_name, MARKER);
}

#[test]
fn vault_file_is_private_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    vault.save_settings(settings_with("A"), now()).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert_eq!(mode(&wal), 0o600, "the WAL holds the newest pages");
}

#[test]
fn a_wrong_passphrase_is_refused_and_leaves_every_byte_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    vault.save_settings(settings_with(MARKER), now()).unwrap();
    vault.close().unwrap();
    let folder = path.parent().unwrap();
    let before = bytes_of_every_file(folder);

    let err = Vault::open(&path, &pass("not the passphrase at all"), now())
        .err()
        .unwrap();
    assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("does not open the vault"), "{msg}");
    assert!(
        !msg.contains("not the passphrase"),
        "the error must not echo the passphrase"
    );

    assert_eq!(
        bytes_of_every_file(folder),
        before,
        "a failed unlock wrote to disk"
    );
    // The right one still works afterwards.
    Vault::open(&path, &pass(PASS), now()).unwrap();
}

#[test]
fn a_damaged_page_is_reported_as_damage_never_a_panic_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    vault.save_settings(settings_with(MARKER), now()).unwrap();
    vault.close().unwrap();

    let mut bytes = fs::read(&path).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages >= 3, "expected a multi-page vault, got {pages}");
    // Flip bytes in the middle of every page after the first (page 1 damage is
    // indistinguishable from a wrong key, see the WrongPassphrase message).
    for page in 1..pages {
        bytes[page * 4096 + 2000] ^= 0xFF;
    }
    fs::write(&path, &bytes).unwrap();

    let outcome = Vault::open(&path, &pass(PASS), now()).and_then(|v| {
        v.settings()?;
        v.verify()?;
        Ok(())
    });
    let err = outcome.expect_err("a damaged vault must not read cleanly");
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert_eq!(
        fs::read(&path).unwrap(),
        bytes,
        "a damaged vault was written to"
    );
}

#[test]
fn verify_finds_a_flipped_byte_that_ordinary_reads_have_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    vault.save_settings(settings_with(MARKER), now()).unwrap();
    assert_eq!(
        vault.verify().unwrap().schema_version,
        kapdesk_core::vault::migrations::latest_version()
    );
    vault.close().unwrap();

    let mut bytes = fs::read(&path).unwrap();
    let last = bytes.len() / 4096 - 1;
    bytes[last * 4096 + 100] ^= 0x01;
    fs::write(&path, &bytes).unwrap();
    let err = Vault::verify_file(&path, &pass(PASS)).unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
}

#[test]
fn files_that_are_not_vaults_get_a_clear_damaged_error() {
    let dir = tempfile::tempdir().unwrap();
    let check = |name: &str, bytes: &[u8], expect: &str| {
        let p = dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        let err = Vault::open(&p, &pass(PASS), now()).unwrap_err();
        assert!(matches!(err, Error::Damaged { .. }), "{name}: {err:?}");
        assert!(err.to_string().contains(expect), "{name}: {err}");
        assert_eq!(fs::read(&p).unwrap(), bytes, "{name} was modified");
    };
    check("empty.vault", b"", "empty");
    check("notes.txt", b"Dear diary, today I...", "not a vault");

    // A plain SQLite database.
    let plain = dir.path().join("plain.db");
    rusqlite::Connection::open(&plain)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = Vault::open(&plain, &pass(PASS), now()).unwrap_err();
    assert!(
        err.to_string().contains("unencrypted SQLite database"),
        "{err}"
    );

    // Another program's SQLCipher database that happens to share the passphrase.
    let other = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.pragma_update(None, "key", PASS).unwrap();
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let err = Vault::open(&other, &pass(PASS), now()).unwrap_err();
    assert!(
        err.to_string().contains("not one made by KAP Desk"),
        "{err}"
    );

    let missing = Vault::open(&dir.path().join("nope.vault"), &pass(PASS), now())
        .err()
        .unwrap();
    assert!(matches!(missing, Error::VaultNotFound { .. }));
}

#[test]
fn create_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kapdesk.vault");
    fs::write(&path, b"precious").unwrap();
    let err = Vault::create(&path, &pass(PASS), now()).unwrap_err();
    assert!(matches!(err, Error::VaultExists { .. }), "{err:?}");
    assert_eq!(fs::read(&path).unwrap(), b"precious");
}

#[test]
fn changing_the_passphrase_locks_out_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    vault.save_settings(settings_with(MARKER), now()).unwrap();
    let new =
        Passphrase::new_confirmed("a brand new passphrase", "a brand new passphrase").unwrap();
    vault.change_passphrase(&new, now()).unwrap();
    // Still usable in this session after the re-key.
    assert_eq!(vault.settings().unwrap().therapist_name, MARKER);
    vault.close().unwrap();

    assert!(matches!(
        Vault::open(&path, &pass(PASS), now()),
        Err(Error::WrongPassphrase)
    ));
    let vault = Vault::open(&path, &new, now()).unwrap();
    assert_eq!(vault.settings().unwrap().therapist_name, MARKER);
    vault.verify().unwrap();
}

#[test]
fn backup_then_restore_brings_back_every_row_and_keeps_the_replaced_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    vault
        .save_settings(settings_with("Before the backup"), now())
        .unwrap();
    let backup = dir.path().join("backups").join("monday.vault");
    fs::create_dir_all(backup.parent().unwrap()).unwrap();

    // Counted before: the "backup written" audit entry is recorded after the copy.
    let rows_at_backup = vault.info().unwrap().tables;
    let outcome = vault.backup_to(&backup, &pass(PASS), now()).unwrap();
    assert!(outcome.bytes > 0);
    assert_eq!(
        fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
        0o600
    );

    vault
        .save_settings(settings_with("After the backup"), now())
        .unwrap();
    vault.close().unwrap();

    // The backup is itself an encrypted vault that verifies on its own.
    assert!(!fs::read(&backup).unwrap().starts_with(b"SQLite format 3"));
    Vault::verify_file(&backup, &pass(PASS)).unwrap();

    let restored = Vault::restore(&path, &backup, &pass(PASS), now()).unwrap();
    let vault = Vault::open(&path, &pass(PASS), now()).unwrap();
    assert_eq!(
        vault.settings().unwrap().therapist_name,
        "Before the backup"
    );
    // Every table has the rows it had at backup time, plus the restore's own audit entry.
    for t in vault.info().unwrap().tables {
        let then = rows_at_backup.iter().find(|x| x.table == t.table).unwrap();
        let expected = then.rows + u64::from(t.table == "audit_log");
        assert_eq!(t.rows, expected, "table {}", t.table);
    }
    // The vault that was replaced was kept, whole, and still opens.
    let kept = PathBuf::from(
        restored
            .previous_kept_at
            .expect("the replaced vault is kept"),
    );
    let old = Vault::open(&kept, &pass(PASS), now()).unwrap();
    assert_eq!(old.settings().unwrap().therapist_name, "After the backup");
}

#[test]
fn restore_refuses_a_backup_that_does_not_verify_and_leaves_the_live_vault_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(&dir);
    let backup = dir.path().join("b.vault");
    vault.backup_to(&backup, &pass(PASS), now()).unwrap();
    vault.close().unwrap();
    let live_before = fs::read(&path).unwrap();

    let err = Vault::restore(&path, &backup, &pass("wrong wrong wrong"), now()).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase));

    let mut bytes = fs::read(&backup).unwrap();
    let last = bytes.len() / 4096 - 1;
    bytes[last * 4096 + 10] ^= 0x55;
    fs::write(&backup, &bytes).unwrap();
    let err = Vault::restore(&path, &backup, &pass(PASS), now()).unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");

    assert_eq!(fs::read(&path).unwrap(), live_before);
    let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.contains("before-restore") || n.contains("partial")),
        "{leftovers:?}"
    );
}

#[test]
fn a_backup_is_never_written_over_the_vault_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(&dir);
    let err = vault.backup_to(&path, &pass(PASS), now()).unwrap_err();
    assert_eq!(err.field(), Some("path"));
}

#[test]
fn any_standard_sqlcipher_4_client_opens_the_vault_with_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    vault.save_settings(settings_with(MARKER), now()).unwrap();
    vault.close().unwrap();
    // Only `PRAGMA key`, no cipher settings: what DB Browser for SQLite does by default.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "key", PASS).unwrap();
    let name: String = conn
        .query_row("SELECT therapist_name FROM practice_settings", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, MARKER);
    let version: String = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .unwrap();
    assert!(version.starts_with("4."), "{version}");
}

#[test]
fn a_vault_from_a_newer_version_is_refused_without_being_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(&dir);
    vault.close().unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "key", PASS).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let before = fs::read(&path).unwrap();
    let err = Vault::open(&path, &pass(PASS), now()).unwrap_err();
    assert!(
        matches!(err, Error::NewerVault { found: 999, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("Update KAP Desk"));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn settings_survive_closing_and_reopening_and_invalid_ones_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    let defaults = vault.settings().unwrap();
    assert_eq!(defaults.crisis_contacts.len(), 2, "988 and 911 by default");
    assert_eq!(defaults.crisis_contacts[1].phone, "911");

    let mut s = settings_with("Dr. Zoë Ångström-Παπαδοπούλου");
    s.paper_size = kapdesk_core::PaperSize::A4;
    vault.save_settings(s.clone(), now()).unwrap();
    let mut bad = s.clone();
    bad.email = "not-an-email".into();
    assert_eq!(
        vault.save_settings(bad, now()).unwrap_err().field(),
        Some("email")
    );
    vault.close().unwrap();

    let vault = Vault::open(&path, &pass(PASS), now()).unwrap();
    assert_eq!(vault.settings().unwrap(), s);
}

#[test]
fn the_audit_trail_records_what_happened_to_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut vault) = new_vault(&dir);
    vault.save_settings(settings_with("A"), now()).unwrap();
    vault
        .backup_to(&dir.path().join("b.vault"), &pass(PASS), now())
        .unwrap();
    let info = vault.info().unwrap();
    let audit = info.tables.iter().find(|t| t.table == "audit_log").unwrap();
    assert_eq!(audit.rows, 3, "created, settings saved, backup written");
    assert!(info.sqlcipher_version.starts_with("4."));
}

#[test]
fn saved_pdfs_open_by_default_and_a_practice_can_turn_that_off_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(&dir);
    assert!(
        vault.settings().unwrap().open_after_saving,
        "a new vault opens saved PDFs"
    );

    let mut s = settings_with("Dr. Ana Núñez");
    s.open_after_saving = false;
    vault.save_settings(s, now()).unwrap();
    drop(vault);

    let vault = Vault::open(&path, &pass(PASS), now()).unwrap();
    assert!(!vault.settings().unwrap().open_after_saving);
}
