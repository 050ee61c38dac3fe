//! Writing files the therapist exports. Exports are the only plaintext KAP Desk ever
//! puts on disk, so each is created readable by its owner alone (0600) and written
//! whole: to a temporary name beside the target, then renamed into place. Also the
//! names exports are given: `file_safe` names, and `free_path`, which never overwrites.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file name fit for any file system: lower-case letters (of any script), digits and
/// single dashes, at most 60 characters, never starting or ending with a dash.
pub fn file_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .flat_map(|c| {
            let keep = c.is_alphanumeric();
            c.to_lowercase()
                .map(move |l| if keep && l.is_alphanumeric() { l } else { '-' })
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    s.chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// A client's initials for a file name: the first letter of each part of the legal
/// name, upper-case ("Robin Park-Lee" gives "RPL"), at most six; "client" when the name
/// has no letter. Export names carry initials rather than the name, because a file name
/// travels further than the file: recent-files lists, thumbnails, backups of Downloads.
pub fn initials(legal_name: &str) -> String {
    let letters: String = legal_name
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|part| part.chars().next())
        .flat_map(char::to_uppercase)
        .take(6)
        .collect();
    if letters.is_empty() {
        "client".to_owned()
    } else {
        letters
    }
}

/// The name an export of one client's document is offered under: what it is, the
/// client's initials and the date (`YYYY-MM-DD`), as in `record-RP-2026-12-05`.
pub fn client_export_stem(kind: &str, legal_name: &str, date: &str) -> String {
    format!("{kind}-{}-{date}", initials(legal_name))
}

/// `dir/name.ext`, or `dir/name-2.ext` … when that exists: an export never overwrites.
pub fn free_path(dir: &Path, name: &str, ext: &str) -> PathBuf {
    let mut p = dir.join(format!("{name}.{ext}"));
    let mut n = 2;
    while p.exists() {
        p = dir.join(format!("{name}-{n}.{ext}"));
        n += 1;
    }
    p
}

pub fn write_private_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => ".".into(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        // An existing file keeps its mode on open: make sure.
        f.set_permissions(fs::Permissions::from_mode(0o600))?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io("write", path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_safe_names_keep_letters_and_digits_joined_by_single_dashes() {
        assert_eq!(file_safe("Jordan  Alvarez (Jo)"), "jordan-alvarez-jo");
        assert_eq!(file_safe("--O'Neil, 2nd--"), "o-neil-2nd");
        assert_eq!(file_safe(&"x".repeat(80)).len(), 60);
    }

    #[test]
    fn export_names_carry_initials_and_the_date_never_the_name() {
        assert_eq!(
            client_export_stem("record", "Robin Park", "2026-12-05"),
            "record-RP-2026-12-05"
        );
        assert_eq!(initials("Robin Park-Lee"), "RPL");
        assert_eq!(initials("Zoë  O'Neil"), "ZON");
        assert_eq!(initials("Ελένη Παπαδοπούλου"), "ΕΠ");
        assert_eq!(initials("王小明"), "王");
        assert_eq!(initials(" -- "), "client");
        assert_eq!(initials("a b c d e f g h"), "ABCDEF");
    }

    #[test]
    fn a_free_path_never_names_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = free_path(dir.path(), "notes", "pdf");
        assert_eq!(first, dir.path().join("notes.pdf"));
        fs::write(&first, "x").unwrap();
        let second = free_path(dir.path(), "notes", "pdf");
        assert_eq!(second, dir.path().join("notes-2.pdf"));
        fs::write(&second, "x").unwrap();
        assert_eq!(
            free_path(dir.path(), "notes", "pdf"),
            dir.path().join("notes-3.pdf")
        );
    }

    #[test]
    fn exported_files_are_private_even_when_replacing_a_readable_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sessions.ics");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        write_private_file(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
