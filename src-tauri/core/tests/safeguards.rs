//! The vault guards itself: one writer at a time, automatic backups that rotate and
//! warn instead of failing silently, and a restore that shows what a backup holds.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use kapdesk_core::model::safeguards::{GuardSettings, backup_file_name};
use kapdesk_core::{Error, Passphrase, Vault};

#[path = "support/pdf.rs"]
mod pdf;

const PASS: &str = "correct horse battery staple";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 14, 30, 0).unwrap()
}

fn pass() -> Passphrase {
    Passphrase::new(PASS)
}

fn new_vault(dir: &Path) -> (PathBuf, Vault) {
    let path = dir.join("practice").join("kapdesk.vault");
    let vault = Vault::create(&path, &pass(), now()).unwrap();
    (path, vault)
}

fn with_folder(vault: &mut Vault, folder: &Path, keep: (u32, u32, u32)) {
    vault
        .save_guard_settings(
            GuardSettings {
                backup_dir: Some(folder.display().to_string()),
                keep_daily: keep.0,
                keep_weekly: keep.1,
                keep_monthly: keep.2,
                ..Default::default()
            },
            now(),
        )
        .unwrap();
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_writer_and_a_restore_are_refused_while_the_vault_is_open_and_readers_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(dir.path());
    let backup = dir.path().join("b.vault");
    vault.backup_to(&backup, &pass(), now()).unwrap();
    let before = fs::read(&path).unwrap();

    let second = Vault::open(&path, &pass(), now()).unwrap_err();
    assert!(matches!(second, Error::InUse { .. }), "{second:?}");
    assert!(second.to_string().contains("in use by"), "{second}");

    let restore = Vault::restore(&path, &backup, &pass(), now()).unwrap_err();
    assert!(matches!(restore, Error::InUse { .. }), "{restore:?}");
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "the refused restore wrote nothing"
    );
    assert!(
        !fs::read_dir(path.parent().unwrap()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("before-restore")),
        "nothing was set aside"
    );

    // A reader needs no lock.
    let reader = Vault::open_read_only(&path, &pass()).unwrap();
    assert_eq!(reader.settings().unwrap(), vault.settings().unwrap());
    drop(reader);

    // Once the holder closes, the restore goes ahead.
    vault.close().unwrap();
    Vault::restore(&path, &backup, &pass(), now()).unwrap();
    Vault::open(&path, &pass(), now()).unwrap();
}

#[test]
fn an_automatic_backup_to_a_missing_folder_warns_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let drive = dir.path().join("unplugged-drive").join("KAP backups");
    with_folder(&mut vault, &drive, (7, 4, 12));
    let entries = vault.info().unwrap();

    let e = vault.backup_auto(None, &pass(), now()).unwrap_err();
    assert!(e.to_string().contains("is not available"), "{e}");
    assert!(e.to_string().contains("connect the drive"), "{e}");
    assert!(!drive.exists(), "the missing folder is never created");
    assert_eq!(vault.info().unwrap(), entries, "the vault is unchanged");

    let status = vault.backup_status(now(), None).unwrap();
    assert_eq!(status.summary, "No backup yet");
    assert!(
        status
            .warning
            .as_deref()
            .unwrap()
            .contains("is not available"),
        "{status:?}"
    );
    drop(vault);
    assert!(path.exists());
}

/// A folder that exists but takes no new file: a folder without write permission, or,
/// for root (whom permissions do not stop), the kernel's read-only `/sys`.
fn unwritable_folder(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let locked = dir.join("read-only drive");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o500)).unwrap();
    let takes = |d: &std::path::Path| {
        let probe = d.join(".kapdesk-probe");
        let ok = fs::write(&probe, b"x").is_ok();
        let _ = fs::remove_file(&probe);
        ok
    };
    [locked, std::path::PathBuf::from("/sys")]
        .into_iter()
        .find(|d| d.is_dir() && !takes(d))
}

#[test]
fn an_automatic_backup_to_a_read_only_folder_warns_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let Some(folder) = unwritable_folder(dir.path()) else {
        println!("every folder here takes new files: nothing read-only to try");
        return;
    };
    with_folder(&mut vault, &folder, (7, 4, 12));
    let before = vault.info().unwrap();
    let listed = fs::read_dir(&folder).unwrap().count();

    let e = vault.backup_auto(None, &pass(), now()).unwrap_err();
    let said = e.to_string();
    assert!(said.contains("cannot be written to"), "{said}");
    assert!(said.contains("Choose another folder in Settings"), "{said}");
    assert_eq!(e.field(), Some("backupDir"));
    assert_eq!(
        fs::read_dir(&folder).unwrap().count(),
        listed,
        "nothing left behind"
    );
    assert_eq!(vault.info().unwrap(), before, "the vault is unchanged");
    let status = vault.backup_status(now(), Some(&said)).unwrap();
    assert!(
        status
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("cannot be written to")),
        "{status:?}"
    );
    drop(vault);
    assert!(path.exists());
}

#[test]
fn automatic_backups_rotate_and_never_touch_other_files_or_pre_upgrade_copies() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut vault) = new_vault(dir.path());
    let folder = dir.path().join("backups");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("taxes-2025.pdf"), b"not ours").unwrap();
    let upgrade = backup_file_name(now() - Duration::days(30), Some(12));
    fs::write(folder.join(&upgrade), b"a pre-upgrade copy").unwrap();
    with_folder(&mut vault, &folder, (2, 0, 0));

    let mut removed = Vec::new();
    for day in 0..5 {
        let at = now() + Duration::days(day);
        let outcome = vault.backup_auto(None, &pass(), at).unwrap();
        assert_eq!(outcome.written.file_name, backup_file_name(at, None));
        removed.extend(outcome.removed);
    }
    let expected = vec![
        backup_file_name(now() + Duration::days(3), None),
        backup_file_name(now() + Duration::days(4), None),
        upgrade.clone(),
        "taxes-2025.pdf".to_owned(),
    ];
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(names_in(&folder), expected_sorted);
    assert_eq!(removed.len(), 3);
    // Every kept backup is a whole vault that verifies.
    for b in vault.backups(None).unwrap() {
        if b.before_upgrade_to.is_none() {
            Vault::verify_file(Path::new(&b.path), &pass()).unwrap();
        }
    }
    // The rotation is on the record.
    let trail = vault.audit_entries(None).unwrap();
    assert!(trail.iter().any(|e| e.event == "backups_rotated"));
}

#[test]
fn the_status_says_when_the_last_verified_backup_was_and_warns_when_it_is_too_old() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut vault) = new_vault(dir.path());
    let none = vault.backup_status(now(), None).unwrap();
    assert!(none.warning.unwrap().contains("no verified backup"));

    let folder = dir.path().join("backups");
    fs::create_dir(&folder).unwrap();
    with_folder(&mut vault, &folder, (7, 4, 12));
    assert!(vault.auto_backup_due(now()).unwrap());
    vault.backup_auto(None, &pass(), now()).unwrap();
    assert!(!vault.auto_backup_due(now() + Duration::hours(23)).unwrap());
    assert!(vault.auto_backup_due(now() + Duration::hours(24)).unwrap());

    let fresh = vault.backup_status(now(), None).unwrap();
    assert!(
        fresh.summary.starts_with("Last backup: "),
        "{}",
        fresh.summary
    );
    assert!(fresh.summary.ends_with("(verified)"), "{}", fresh.summary);
    assert_eq!(fresh.warning, None);
    assert!(fresh.last.is_some());

    let old = vault
        .backup_status(now() + Duration::days(8), None)
        .unwrap();
    assert!(old.warning.unwrap().contains("8 days old"));

    // A failed automatic backup is shown before anything else.
    let failed = vault
        .backup_status(now(), Some("Could not write the backup."))
        .unwrap();
    assert_eq!(
        failed.warning.as_deref(),
        Some("Could not write the backup.")
    );
}

#[test]
fn a_backup_shows_what_it_holds_before_it_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut vault) = new_vault(dir.path());
    let folder = dir.path().join("backups");
    fs::create_dir(&folder).unwrap();
    with_folder(&mut vault, &folder, (7, 4, 12));
    let written = vault.backup_auto(None, &pass(), now()).unwrap().written;

    let contents = vault
        .inspect_backup(Path::new(&written.path), &pass())
        .unwrap();
    assert_eq!(contents.clients, 0);
    assert_eq!(
        contents.taken_at.as_deref(),
        Some(now().to_rfc3339().as_str())
    );
    assert!(contents.integrity.contains("intact"));

    let e = vault
        .inspect_backup(
            Path::new(&written.path),
            &Passphrase::new("another passphrase entirely"),
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("does not open with the current passphrase"),
        "{e}"
    );
}

#[test]
fn the_recovery_sheet_names_the_vault_the_backup_folder_and_the_last_verified_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let before = pdf::extracted_words(&vault.recovery_sheet_pdf(now()).unwrap());
    assert!(before.contains("None chosen yet"), "{before}");
    assert!(before.contains("None yet"), "{before}");

    let folder = dir.path().join("backups");
    fs::create_dir(&folder).unwrap();
    with_folder(&mut vault, &folder, (7, 4, 12));
    let written = vault.backup_auto(None, &pass(), now()).unwrap().written;
    let pdf = vault.recovery_sheet_pdf(now()).unwrap();
    pdf::qpdf_check(dir.path(), "recovery-sheet.pdf", &pdf);
    let text = pdf::extracted_words(&pdf);
    for expected in [
        path.display().to_string(),
        folder.display().to_string(),
        // The test vault is not in the default place, so the commands name it.
        format!(
            "kapdesk --vault {} restore {}",
            path.display(),
            written.path
        ),
        "Wednesday 25 November 2026, 14:30".to_owned(),
        "Page 1 of 1".to_owned(),
    ] {
        assert!(text.contains(&expected), "missing {expected} in {text}");
    }
    assert!(!text.contains(PASS), "the passphrase is never printed");
}
