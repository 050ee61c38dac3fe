//! The audit trail against someone who holds the passphrase: they open the vault with
//! an ordinary SQLCipher connection, drop the append-only triggers and edit, delete,
//! truncate or rewrite entries. Verification catches an edit or a removal on its own,
//! and a truncation or a consistent rewrite against a backup or an export made before.

#[path = "support/practice.rs"]
mod practice;

use std::path::{Path, PathBuf};

use kapdesk_core::model::audit::{AuditReport, seal};
use kapdesk_core::model::export::{ExportFormat, ExportRequest};
use kapdesk_core::model::notes::NoteDraft;
use kapdesk_core::print::anchor::find_anchor;
use kapdesk_core::{Passphrase, SessionKind, Vault};
use practice::{Practice, now};

fn pass() -> Passphrase {
    Passphrase::new(practice::PASS)
}

/// A practice with a few clients and sessions: a trail of nine entries.
fn busy_practice() -> (Practice, String) {
    let mut p = Practice::new();
    let settings = p.vault.settings().unwrap();
    p.vault.save_settings(settings, now()).unwrap();
    let morgan = p.client("Morgan Ashby", true);
    p.client("Casey Nguyen", true);
    p.client("Jordan Lee", false);
    for date in ["2026-11-04", "2026-11-11", "2026-11-18"] {
        let s = p
            .book(&morgan, SessionKind::Preparation, date, None)
            .unwrap();
        p.complete(&s);
    }
    p.client("Sam Rivera", false);
    assert_eq!(p.vault.audit_anchor().unwrap().entries, 9);
    (p, morgan)
}

/// Another SQLCipher client with the passphrase, the triggers dropped, then `sql`.
fn tamper(vault: &Path, sql: &str) {
    let raw = rusqlite::Connection::open(vault).unwrap();
    raw.pragma_update(None, "key", practice::PASS).unwrap();
    raw.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_is_append_only_update;
         DROP TRIGGER IF EXISTS audit_log_is_append_only_delete;
         DROP TRIGGER IF EXISTS audit_log_entries_are_sealed;",
    )
    .unwrap();
    raw.execute_batch(sql).unwrap();
}

/// Re-seals every entry from `from` on with the published scheme, as someone who read
/// the README would after editing: the chain is consistent again.
fn reseal_from(vault: &Path, from: i64) {
    let raw = rusqlite::Connection::open(vault).unwrap();
    raw.pragma_update(None, "key", practice::PASS).unwrap();
    let rows: Vec<(i64, String, String, String)> = raw
        .prepare("SELECT id, at, event, detail FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev: String = if from == 1 {
        kapdesk_core::model::audit::GENESIS.into()
    } else {
        raw.query_row(
            "SELECT hash FROM audit_log WHERE id = ?1",
            [from - 1],
            |r| r.get(0),
        )
        .unwrap()
    };
    for (id, at, event, detail) in rows.into_iter().filter(|r| r.0 >= from) {
        let h = seal(&prev, id, &at, &event, &detail);
        raw.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            (id, &prev, &h),
        )
        .unwrap();
        prev = h;
    }
}

fn reopen(p: &Practice) -> Vault {
    // A second look at the same file while the practice keeps it open: read-only.
    Vault::open_read_only(p.vault.path(), &pass()).unwrap()
}

fn verify(v: &Vault, against: Option<&Path>) -> AuditReport {
    v.verify_audit(against, &pass()).unwrap()
}

fn backup(p: &Practice, name: &str) -> PathBuf {
    let path = p.dir.path().join(name);
    p.vault.backup_to(&path, &pass(), now()).unwrap();
    path
}

#[test]
fn every_write_is_sealed_and_an_untouched_trail_verifies() {
    let (p, _) = busy_practice();
    let anchor = p.vault.audit_anchor().unwrap();
    let entries = p.vault.audit_entries(None).unwrap();
    assert_eq!(entries.len(), 9, "{entries:?}");
    assert_eq!(anchor.entries, entries.len() as i64);
    assert_eq!(entries[0].event, "vault_created");
    assert_eq!(
        entries[0].at_local, "2026-11-25 15:00",
        "the practice's wall clock"
    );
    assert_eq!(
        entries.last().unwrap().hash.as_deref(),
        Some(anchor.head.as_str())
    );

    let report = verify(&p.vault, None);
    assert_eq!(report.problem, None);
    assert_eq!(
        report.summary,
        format!(
            "The audit trail is intact: {} entries, each sealed to the one before; head {}.",
            anchor.entries, anchor.head
        )
    );
}

#[test]
fn an_edited_entry_is_caught_without_any_reference() {
    let (p, _) = busy_practice();
    let before = verify(&p.vault, None);
    assert_eq!(before.problem, None);
    tamper(
        p.vault.path(),
        "UPDATE audit_log SET event = 'settings_saved' WHERE id = 3",
    );
    let v = reopen(&p);
    let problem = verify(&v, None).problem.expect("the edit is caught");
    assert_eq!(problem.entry, 3);
    assert_eq!(
        problem.message,
        "The audit trail is broken at entry 3 (Wednesday 25 November 2026, 15:00, settings_saved): it was changed after it was written."
    );
}

#[test]
fn an_edit_sealed_again_names_the_edited_entry() {
    let (p, _) = busy_practice();
    // Edit entry 4 and give it a fresh seal, but leave the entries after it alone.
    let raw = rusqlite::Connection::open(p.vault.path()).unwrap();
    raw.pragma_update(None, "key", practice::PASS).unwrap();
    let (at, prev): (String, String) = raw
        .query_row(
            "SELECT at, prev_hash FROM audit_log WHERE id = 4",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(raw);
    let forged = seal(&prev, 4, &at, "client_updated", "someone-else");
    tamper(
        p.vault.path(),
        &format!(
            "UPDATE audit_log SET event = 'client_updated', detail = 'someone-else', hash = '{forged}' WHERE id = 4"
        ),
    );
    let problem = verify(&reopen(&p), None).problem.unwrap();
    assert_eq!(problem.entry, 4);
    assert!(
        problem.message.contains("entry 4 (Wednesday 25 November 2026, 15:00, client_updated): it was changed and sealed again"),
        "{}",
        problem.message
    );
}

#[test]
fn a_deleted_entry_is_caught_without_any_reference() {
    let (p, _) = busy_practice();
    tamper(p.vault.path(), "DELETE FROM audit_log WHERE id = 5");
    let problem = verify(&reopen(&p), None)
        .problem
        .expect("the gap is caught");
    assert_eq!(problem.entry, 5);
    assert!(
        problem.message.starts_with(
            "The audit trail is broken at entry 5: entry 5 was removed (the trail goes from entry 4 (Wednesday 25 November 2026, 15:00, "
        ),
        "{}",
        problem.message
    );
}

#[test]
fn a_truncated_tail_passes_alone_but_not_against_an_earlier_backup_or_export() {
    let (mut p, morgan) = busy_practice();
    let at_backup = p.vault.audit_anchor().unwrap();
    let monday = backup(&p, "monday.vault");
    // An export after the backup: its anchor covers the backup's own entry too.
    let out = tempfile::tempdir().unwrap();
    let exported = p
        .vault
        .export_notes(
            &ExportRequest {
                client_id: Some(morgan.clone()),
                from: None,
                to: None,
                format: ExportFormat::Json,
                include_psychotherapy_notes: false,
            },
            out.path(),
            now(),
            &mut |_| true,
        )
        .unwrap();
    let json = PathBuf::from(&exported.files[0].path);
    let anchor = find_anchor(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(anchor.entries, at_backup.entries + 1);
    p.client("Riley Park", true);
    let total = p.vault.audit_anchor().unwrap().entries;

    // Everything after the sixth entry is cut away.
    tamper(p.vault.path(), "DELETE FROM audit_log WHERE id > 6");
    let v = reopen(&p);
    assert_eq!(v.audit_anchor().unwrap().entries, 6);
    assert_eq!(
        verify(&v, None).problem,
        None,
        "a chain on its own cannot show its end was cut"
    );

    let problem = verify(&v, Some(&monday))
        .problem
        .expect("the backup shows it");
    assert_eq!(problem.entry, 7);
    assert!(
        problem.message.contains(&format!(
            "holds {} entries, and the vault now has 6; entries 7 to {} were removed",
            at_backup.entries, at_backup.entries
        )),
        "{}",
        problem.message
    );
    let problem = verify(&v, Some(&json))
        .problem
        .expect("the export shows it");
    assert_eq!(problem.entry, 7);
    assert!(
        problem.message.contains(&format!(
            "recorded {} entries when it was made, and the vault now has 6",
            anchor.entries
        )),
        "{}",
        problem.message
    );
    assert!(total > anchor.entries);
}

#[test]
fn a_rewritten_chain_passes_alone_but_not_against_an_earlier_backup_or_export() {
    let (mut p, morgan) = busy_practice();
    let monday = backup(&p, "monday.vault");
    let record = p.dir.path().join("record.pdf");
    std::fs::write(&record, p.vault.record_request(&morgan, now()).unwrap()).unwrap();
    let printed = find_anchor(&std::fs::read(&record).unwrap()).unwrap();
    p.client("Riley Park", true);

    // Someone with the passphrase edits entry 2 and re-seals everything after it.
    tamper(
        p.vault.path(),
        "UPDATE audit_log SET detail = 'client-9999' WHERE id = 2",
    );
    reseal_from(p.vault.path(), 2);
    let v = reopen(&p);
    assert_eq!(verify(&v, None).problem, None, "a consistent rewrite");

    // The backup holds the entries themselves: it names the entry that was changed.
    let problem = verify(&v, Some(&monday)).problem.unwrap();
    assert_eq!(problem.entry, 2);
    assert!(
        problem
            .message
            .contains("it differs from the same entry in"),
        "{}",
        problem.message
    );
    // The printed record holds the head: the seal there no longer matches.
    let problem = verify(&v, Some(&record)).problem.unwrap();
    assert_eq!(problem.entry, printed.entries);
    assert!(
        problem
            .message
            .contains("the trail up to that entry was rewritten after"),
        "{}",
        problem.message
    );
}

#[test]
fn later_entries_do_not_upset_an_earlier_backup_or_export() {
    let (mut p, morgan) = busy_practice();
    let monday = backup(&p, "monday.vault");
    let record = p.dir.path().join("record.pdf");
    std::fs::write(&record, p.vault.record_request(&morgan, now()).unwrap()).unwrap();
    p.client("Riley Park", true);
    p.book(&morgan, SessionKind::Preparation, "2026-11-18", None)
        .unwrap();

    let report = verify(&p.vault, Some(&monday));
    assert_eq!(report.problem, None);
    assert!(
        report.summary.contains("entries in")
            && report
                .summary
                .contains("monday.vault are all still there, unchanged"),
        "{}",
        report.summary
    );
    let report = verify(&p.vault, Some(&record));
    assert_eq!(report.problem, None);
    assert!(
        report.summary.contains("still carries the seal"),
        "{}",
        report.summary
    );
}

#[test]
fn every_export_carries_the_head_and_it_reads_back() {
    let (mut p, morgan) = busy_practice();
    // A completed session with a draft note, so every export format writes a file.
    let s = p
        .book(&morgan, SessionKind::Preparation, "2026-11-18", None)
        .unwrap();
    p.complete(&s);
    let mut note = p.vault.note(&s).unwrap();
    note.sections[0].text = "Talked about the lighthouse.".into();
    p.vault
        .save_note_draft(
            &s,
            NoteDraft {
                format: note.format,
                sections: note.sections,
            },
            now(),
        )
        .unwrap();

    // The record request: printed on the last page, and in the PDF's keywords.
    let head = p.vault.audit_anchor().unwrap();
    assert!(
        head.line().starts_with(&format!(
            "Audit trail: {} entries, head {} (check: kapdesk audit verify",
            head.entries, head.head
        )),
        "{}",
        head.line()
    );
    let pdf = p.vault.record_request(&morgan, now()).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!("Audit trail: {} entries, head", head.entries)),
        "{flat}"
    );
    assert!(flat.contains(&head.head), "the whole seal is printed");
    assert_eq!(find_anchor(&pdf), Some(head));

    // The notes export in each format.
    for format in [
        ExportFormat::Pdf,
        ExportFormat::Markdown,
        ExportFormat::Json,
    ] {
        let head = p.vault.audit_anchor().unwrap();
        let out = tempfile::tempdir().unwrap();
        let outcome = p
            .vault
            .export_notes(
                &ExportRequest {
                    client_id: None,
                    from: None,
                    to: None,
                    format,
                    include_psychotherapy_notes: false,
                },
                out.path(),
                now(),
                &mut |_| true,
            )
            .unwrap();
        assert_eq!(outcome.files.len(), 1, "{format:?}");
        let bytes = std::fs::read(&outcome.files[0].path).unwrap();
        assert_eq!(find_anchor(&bytes), Some(head.clone()), "{format:?}");
        match format {
            ExportFormat::Json => {
                let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(v["auditTrail"]["entries"], head.entries);
                assert_eq!(v["auditTrail"]["head"], head.head.as_str());
            }
            ExportFormat::Markdown => {
                let md = String::from_utf8(bytes).unwrap();
                assert!(md.trim_end().ends_with(&head.line()), "{md}");
            }
            ExportFormat::Pdf => {
                let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
                assert!(text.contains(&head.head), "printed on the page too");
            }
        }
        // The export's own entry comes after the head it printed.
        assert_eq!(p.vault.audit_anchor().unwrap().entries, head.entries + 1);
    }
}

#[test]
fn a_client_s_entries_are_listed_apart() {
    let (mut p, morgan) = busy_practice();
    let casey = p.client("Casey Park", true);
    let mine = p.vault.audit_entries(Some("Morgan Ashby")).unwrap();
    let events: Vec<&str> = mine.iter().map(|e| e.event.as_str()).collect();
    assert!(events.contains(&"client_created"), "{events:?}");
    assert!(events.contains(&"session_status_changed"), "{events:?}");
    assert!(mine.iter().all(|e| !e.detail.contains(&casey)));
    assert!(mine.iter().any(|e| e.detail.contains(&morgan)));
    let all = p.vault.audit_entries(None).unwrap();
    assert!(all.len() > mine.len());
    assert!(!events.contains(&"vault_created"));
}

#[test]
fn a_reference_that_is_not_one_gets_a_sentence() {
    let (p, _) = busy_practice();
    let note = p.dir.path().join("note.md");
    std::fs::write(&note, "# Just a note\n").unwrap();
    let err = p.vault.verify_audit(Some(&note), &pass()).unwrap_err();
    assert!(
        err.to_string().ends_with("holds no audit-trail anchor. Give a backup of the vault, or a PDF, Markdown or JSON file KAP Desk exported."),
        "{err}"
    );

    let monday = backup(&p, "monday.vault");
    let err = p
        .vault
        .verify_audit(Some(&monday), &Passphrase::new("another long passphrase"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("does not open with the vault's passphrase"),
        "{err}"
    );
    let err = p
        .vault
        .verify_audit(Some(p.vault.path()), &pass())
        .unwrap_err();
    assert!(
        err.to_string().contains("That file is the vault itself"),
        "{err}"
    );
}

#[test]
fn the_viewer_pages_the_trail_newest_first_in_words_and_one_client_at_a_time() {
    let (p, morgan) = busy_practice();
    let first = p.vault.audit_page(None, None, 4).unwrap();
    assert_eq!(first.matching, 9);
    assert!(first.older);
    let numbers: Vec<i64> = first.entries.iter().map(|e| e.number).collect();
    assert_eq!(numbers, [9, 8, 7, 6]);
    assert_eq!(first.entries[0].event, "client_created");
    assert_eq!(first.entries[0].label, "Client created");

    let second = p.vault.audit_page(None, Some(6), 4).unwrap();
    let numbers: Vec<i64> = second.entries.iter().map(|e| e.number).collect();
    assert_eq!(numbers, [5, 4, 3, 2]);
    assert!(second.older);
    let last = p.vault.audit_page(None, Some(2), 4).unwrap();
    assert_eq!(last.entries.len(), 1);
    assert!(!last.older, "entry 1 is the oldest");

    // Morgan's own entries: created, and three sessions completed.
    let theirs = p.vault.audit_page(Some(&morgan), None, 100).unwrap();
    assert!(theirs.matching >= 4 && theirs.matching < 9, "{theirs:?}");
    assert!(
        theirs
            .entries
            .iter()
            .all(|e| e.number != 1 && !e.detail.is_empty())
    );

    let report = p.vault.check_audit().unwrap();
    assert!(report.problem.is_none(), "{report:?}");
    assert!(report.summary.contains("9 entries"), "{}", report.summary);
}
