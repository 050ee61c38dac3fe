//! The recovery sheet: one page the therapist prints and keeps in a drawer, saying where
//! the vault and its backups are and how to bring them back on a new laptop, step by
//! step with the exact commands. It never holds the passphrase or a client.

use crate::dates::long_date;
use crate::model::safeguards::RecoverySheet;
use crate::model::settings::PracticeSettings;
use crate::print::pdf::{Block, Document, letterhead};

pub const TITLE: &str = "KAP Desk recovery sheet";

/// Shown on the sheet when no backup exists yet, so the commands still read whole.
const EXAMPLE_BACKUP: &str = "/media/backup-drive/kapdesk/kapdesk-2026-12-04T180210Z.vault";

pub fn document(sheet: &RecoverySheet, practice: &PracticeSettings) -> Document {
    let backup_file = sheet.newest_backup.as_deref().unwrap_or(EXAMPLE_BACKUP);
    let vault_flag = if sheet.vault_is_default {
        String::new()
    } else {
        format!(" --vault {}", quoted(&sheet.vault_path))
    };
    let package = format!("KAP Desk_{}_amd64.deb", sheet.app_version);
    let newest = match &sheet.newest_backup {
        Some(_) => "the newest backup (today it is the file named in the commands below)",
        None => {
            "the newest file named kapdesk-DATE.vault (the name below is an example: there is no backup yet)"
        }
    };

    let steps = [
        format!(
            "1. Install KAP Desk on the new laptop (Debian 12 or Ubuntu) from its package; this also installs the kapdesk command:\n    sudo apt install {}",
            quoted(&format!("./{package}"))
        ),
        format!(
            "2. Connect the backup drive and find {newest} in the backup folder. Check that it opens and is intact (it asks for the passphrase):\n    kapdesk{vault_flag} verify {}",
            quoted(backup_file)
        ),
        format!(
            "3. Restore it as this laptop's vault:\n    kapdesk{vault_flag} restore {}",
            quoted(backup_file)
        ),
        "4. Open KAP Desk and unlock it with the passphrase. In Settings, choose the backup folder again and print a new recovery sheet.".to_owned(),
        "5. If a laptop was lost or stolen: its vault is encrypted and useless without the passphrase. Note when and where it happened, and ask your compliance adviser whether anyone must be told.".to_owned(),
    ];

    let blocks = vec![
        Block::Title(TITLE.to_owned()),
        Block::Meta(format!(
            "Printed {}. Keep this page in a locked drawer, away from the laptop. It names no client and never holds the passphrase.",
            long_date(sheet.printed_on)
        )),
        Block::Heading("Where the records are".to_owned()),
        Block::Fields(vec![
            ("The vault".to_owned(), sheet.vault_path.clone()),
            (
                "Backup folder".to_owned(),
                sheet.backup_dir.clone().unwrap_or_else(|| {
                    "None chosen yet: choose one in Settings (an external drive is best)".to_owned()
                }),
            ),
            (
                "Last verified backup".to_owned(),
                sheet
                    .last_verified_backup
                    .clone()
                    .unwrap_or_else(|| "None yet".to_owned()),
            ),
            ("KAP Desk version".to_owned(), sheet.app_version.clone()),
        ]),
        Block::Heading("The passphrase".to_owned()),
        Block::Paragraph(
            "The vault and every backup open only with the practice's passphrase. Nobody can recover or reset it, not even KAP Desk's makers: without it, the records cannot be read. Backups use the passphrase the vault had when they were written.".to_owned(),
        ),
        Block::Signatures {
            statement: "Write by hand where the practice keeps the passphrase (a sealed envelope in a safe, a password manager), never the passphrase itself:".to_owned(),
            lines: vec!["Where the passphrase is kept".to_owned()],
        },
        Block::Heading("If this laptop is lost, stolen or broken".to_owned()),
        Block::Paragraph(steps.join("\n")),
        Block::Heading("If the vault will not open on this laptop".to_owned()),
        Block::Paragraph(format!(
            "Check it with kapdesk{vault_flag} verify. If it is damaged, open KAP Desk, go to Settings, Locking and backups, pick the newest backup, see what it holds and restore it: the damaged vault is kept beside it, renamed, never deleted."
        )),
    ];

    Document {
        paper: practice.paper_size,
        letterhead: letterhead(practice),
        footer: format!(
            "Recovery sheet \u{00b7} printed {}",
            long_date(sheet.printed_on)
        ),
        blocks,
    }
}

/// A path as the shell takes it: in double quotes when it has a space or a quote.
fn quoted(path: &str) -> String {
    if path
        .chars()
        .any(|c| c.is_whitespace() || "'\"$`\\".contains(c))
    {
        format!(
            "\"{}\"",
            path.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('$', "\\$")
                .replace('`', "\\`")
        )
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::pdf::inspect;

    fn sheet() -> RecoverySheet {
        RecoverySheet {
            vault_path: "/home/maya/.local/share/kapdesk/kapdesk.vault".into(),
            backup_dir: Some("/media/maya/Backup Drive/kapdesk".into()),
            last_verified_backup: Some("Friday 4 December 2026, 18:02".into()),
            newest_backup: Some(
                "/media/maya/Backup Drive/kapdesk/kapdesk-2026-12-04T180210Z.vault".into(),
            ),
            vault_is_default: true,
            printed_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default(),
            app_version: "0.1.0".into(),
        }
    }

    fn text(doc: &Document) -> String {
        doc.blocks
            .iter()
            .map(|b| format!("{b:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_sheet_fits_one_page_and_names_the_exact_restore_commands() {
        let doc = document(&sheet(), &PracticeSettings::default());
        let (pages, problems) = inspect(&doc).unwrap();
        assert_eq!(pages, 1, "a recovery sheet is one page");
        assert!(problems.is_empty(), "{problems:?}");
        let t = text(&doc);
        for expected in [
            "sudo apt install \\\"./KAP Desk_0.1.0_amd64.deb\\\"",
            "kapdesk restore \\\"/media/maya/Backup Drive/kapdesk/kapdesk-2026-12-04T180210Z.vault\\\"",
            "Friday 4 December 2026, 18:02",
            "Nobody can recover or reset it",
            "Where the passphrase is kept",
        ] {
            assert!(t.contains(expected), "missing {expected} in {t}");
        }
    }

    #[test]
    fn a_vault_in_another_place_is_named_in_every_command_and_a_missing_backup_is_said() {
        let s = RecoverySheet {
            vault_path: "/srv/practice/kap.vault".into(),
            vault_is_default: false,
            backup_dir: None,
            last_verified_backup: None,
            newest_backup: None,
            ..sheet()
        };
        let doc = document(&s, &PracticeSettings::default());
        assert_eq!(inspect(&doc).unwrap().0, 1);
        let t = text(&doc);
        assert!(
            t.contains("kapdesk --vault /srv/practice/kap.vault restore"),
            "{t}"
        );
        assert!(
            t.contains("kapdesk --vault /srv/practice/kap.vault verify"),
            "{t}"
        );
        assert!(t.contains("None chosen yet"), "{t}");
        assert!(t.contains("there is no backup yet"), "{t}");
    }

    #[test]
    fn paths_with_spaces_or_shell_characters_are_quoted() {
        assert_eq!(quoted("/a/b.vault"), "/a/b.vault");
        assert_eq!(quoted("/a b/c"), "\"/a b/c\"");
        assert_eq!(quoted("/a/$x"), "\"/a/\\$x\"");
    }
}
