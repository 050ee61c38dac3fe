//! Session notes through the vault: drafts, signing that locks (even against raw SQL),
//! hash checks, addenda, psychotherapy notes kept apart, search, and every export.

use kapdesk_core::model::export::{ExportFormat, ExportProgress, ExportRequest, NotesExport};
use kapdesk_core::model::notes::{NoteDraft, NoteFormat, NoteSection, NoteState, SearchSource};
use kapdesk_core::{Passphrase, PracticeSettings, SessionKind, SessionStatus};

#[path = "support/pdf.rs"]
mod pdf;
#[path = "support/practice.rs"]
mod practice;
use pdf::qpdf_check;
use practice::{PASS, Practice, now};

fn practice_with_settings() -> Practice {
    let mut p = Practice::new();
    let settings = PracticeSettings {
        therapist_name: "Dr. Maya Okafor".into(),
        credentials: "LMFT".into(),
        practice_name: "Blue Ridge Healing Arts".into(),
        phone: "828-555-0100".into(),
        ..p.vault.settings().unwrap()
    };
    p.vault.save_settings(settings, now()).unwrap();
    p
}

/// A completed preparation session on 18 November with a written draft.
fn session_with_draft(p: &mut Practice, client: &str, date: &str, text: &str) -> String {
    let s = p
        .book(client, SessionKind::Preparation, date, None)
        .unwrap();
    p.complete(&s);
    let mut note = p.vault.note(&s).unwrap();
    assert_eq!(note.state, NoteState::None);
    note.sections[0].text = text.into();
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
    s
}

fn request(client: Option<&str>, format: ExportFormat, pn: bool) -> ExportRequest {
    ExportRequest {
        client_id: client.map(str::to_owned),
        from: None,
        to: None,
        format,
        include_psychotherapy_notes: pn,
    }
}

fn export(p: &mut Practice, req: &ExportRequest) -> (tempfile::TempDir, Vec<String>) {
    let out = tempfile::tempdir().unwrap();
    let outcome = p
        .vault
        .export_notes(req, out.path(), now(), &mut |_| true)
        .unwrap();
    assert!(!outcome.cancelled);
    for f in &outcome.files {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&f.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{} is private", f.path);
    }
    let paths = outcome.files.iter().map(|f| f.path.clone()).collect();
    (out, paths)
}

fn pdf_words(path: &str) -> String {
    pdf_extract::extract_text_from_mem(&std::fs::read(path).unwrap())
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_draft_is_kept_as_typed_then_signed_and_locked_with_addenda_in_order() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    let s = session_with_draft(
        &mut p,
        &c,
        "2026-11-18",
        "Goals: sleep, grief.  \r\n\tTabbed.",
    );
    let note = p.vault.note(&s).unwrap();
    assert_eq!(note.state, NoteState::Draft);
    assert_eq!(note.sections[0].text, "Goals: sleep, grief.  \r\n\tTabbed.");
    assert_eq!(
        note.sections.last().unwrap().title,
        "Consent topics covered",
        "the preparation prompts"
    );
    assert_eq!(
        p.vault.timeline(&c, None, now()).unwrap().sessions[0].note,
        NoteState::Draft
    );

    let signed = p.vault.sign_note(&s, now()).unwrap();
    assert_eq!(signed.state, NoteState::Signed);
    let sig = signed.signature.clone().unwrap();
    assert_eq!(sig.signed_by, "Dr. Maya Okafor, LMFT");
    assert_eq!(sig.sha256.len(), 64);
    assert!(signed.intact);
    assert_eq!(sig.signed_local, "Wednesday 25 November 2026, 15:00");

    // Through the core: refused with a sentence that points to addenda.
    let mut changed = signed.sections.clone();
    changed[0].text = "rewritten".into();
    let err = p
        .vault
        .save_note_draft(
            &s,
            NoteDraft {
                format: NoteFormat::Soap,
                sections: changed,
            },
            now(),
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("is locked. Add an addendum"),
        "{err}"
    );
    assert!(p.vault.sign_note(&s, now()).is_err(), "signed twice");
    assert!(
        p.vault
            .switch_note_format(&s, NoteFormat::Dap, now())
            .is_err()
    );

    for (i, text) in [
        "First correction.",
        "Second: the date of the referral was 3 Nov.",
    ]
    .iter()
    .enumerate()
    {
        let n = p
            .vault
            .add_addendum(&s, text, &format!("add-{i}"), now())
            .unwrap();
        assert_eq!(n.addenda.len(), i + 1);
    }
    let n = p.vault.note(&s).unwrap();
    assert_eq!(
        n.addenda
            .iter()
            .map(|a| (a.seq, a.text.as_str()))
            .collect::<Vec<_>>(),
        [
            (1, "First correction."),
            (2, "Second: the date of the referral was 3 Nov.")
        ]
    );
    assert!(n.intact && n.addenda.iter().all(|a| a.intact));
    assert_eq!(n.sections[0].text, "Goals: sleep, grief.  \r\n\tTabbed.");
}

#[test]
fn a_signed_note_cannot_change_through_raw_sql_and_tampering_is_reported() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    let s = session_with_draft(&mut p, &c, "2026-11-18", "The original text.");
    p.vault.sign_note(&s, now()).unwrap();
    p.vault
        .add_addendum(&s, "An addendum.", "a1", now())
        .unwrap();
    let path = p.vault.path().to_path_buf();

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "key", PASS).unwrap();
    for sql in [
        "UPDATE notes SET sections = '[]'",
        "UPDATE notes SET signed_at = NULL, content_sha256 = NULL",
        "DELETE FROM notes",
        "UPDATE note_addenda SET text = 'tampered'",
        "DELETE FROM note_addenda",
    ] {
        let err = conn.execute(sql, []).unwrap_err().to_string();
        assert!(
            err.contains("cannot be changed") || err.contains("cannot be deleted"),
            "{sql}: {err}"
        );
    }
    let n = p.vault.note(&s).unwrap();
    assert!(n.intact);
    assert_eq!(n.sections[0].text, "The original text.");

    // Someone with the key drops the guard and edits the text: the core says so.
    conn.execute_batch(
        "DROP TRIGGER signed_note_is_locked;
         UPDATE notes SET sections = replace(sections, 'original', 'altered');",
    )
    .unwrap();
    drop(conn);
    let n = p.vault.note(&s).unwrap();
    assert!(!n.intact);
    let msg = n.integrity_message.unwrap();
    assert!(msg.starts_with("INTEGRITY CHECK FAILED"), "{msg}");
    // And so does every export.
    for format in [
        ExportFormat::Markdown,
        ExportFormat::Json,
        ExportFormat::Pdf,
    ] {
        let out = tempfile::tempdir().unwrap();
        let outcome = p
            .vault
            .export_notes(
                &request(Some(&c), format, false),
                out.path(),
                now(),
                &mut |_| true,
            )
            .unwrap();
        assert_eq!(outcome.integrity_failures, 1, "{format:?}");
        let path = &outcome.files[0].path;
        let text = if format == ExportFormat::Pdf {
            pdf_words(path)
        } else {
            std::fs::read_to_string(path).unwrap()
        };
        assert!(text.contains("INTEGRITY CHECK FAILED"), "{format:?}");
    }
}

#[test]
fn switching_format_keeps_every_word() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    let s = p
        .book(&c, SessionKind::Integration, "2026-11-18", None)
        .unwrap();
    let mut note = p.vault.note(&s).unwrap();
    for (i, sec) in note.sections.iter_mut().enumerate() {
        sec.text = format!("text {i} of {}", sec.key);
    }
    p.vault
        .save_note_draft(
            &s,
            NoteDraft {
                format: NoteFormat::Soap,
                sections: note.sections.clone(),
            },
            now(),
        )
        .unwrap();
    let dap = p
        .vault
        .switch_note_format(&s, NoteFormat::Dap, now())
        .unwrap();
    let all: String = dap
        .sections
        .iter()
        .map(|s| s.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    for sec in &note.sections {
        assert!(all.contains(&sec.text), "{} lost: {all}", sec.key);
    }
    assert_eq!(
        dap.sections.last().unwrap().key,
        "plan_of_action",
        "the integration plan of action stays its own section"
    );
}

#[test]
fn the_json_export_gives_back_every_note_byte_for_byte() {
    let mut p = practice_with_settings();
    let a = p.client("Casey Nguyen", true);
    let b = p.client("Zoë Ångström", true);
    let texts = [
        "Plain.",
        "Trailing spaces   \nand CRLF\r\nand a tab\t and emoji 🌿 and \"quotes\" and \\backslash",
        "Ελληνικά, 日本語, עברית\u{200f} and a zero-width joiner \u{200d}.",
    ];
    let mut ids = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let client = if i % 2 == 0 { &a } else { &b };
        ids.push(session_with_draft(
            &mut p,
            client,
            &format!("2026-11-1{}", i + 1),
            t,
        ));
    }
    p.vault.sign_note(&ids[0], now()).unwrap();
    p.vault
        .add_addendum(&ids[0], "Addendum with  two spaces.\n", "x", now())
        .unwrap();

    let (_out, files) = export(&mut p, &request(None, ExportFormat::Json, false));
    assert_eq!(files.len(), 1);
    let parsed: NotesExport = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    assert_eq!(parsed.schema, "kapdesk.notes-export");
    assert_eq!(parsed.version, 1);
    let mut seen = 0;
    for client in &parsed.clients {
        for n in &client.notes {
            let stored = p.vault.note(&n.session_id).unwrap();
            assert_eq!(n.sections, stored.sections, "{}", n.session_id);
            assert_eq!(n.format, stored.format.as_str());
            assert!(n.psychotherapy_note.is_none());
            seen += 1;
        }
    }
    assert_eq!(seen, texts.len());
    let first = parsed
        .clients
        .iter()
        .flat_map(|c| &c.notes)
        .find(|n| n.session_id == ids[0])
        .unwrap();
    assert_eq!(first.state, "signed");
    assert_eq!(first.addenda[0].text, "Addendum with  two spaces.\n");
    assert_eq!(
        first.sha256.as_deref(),
        p.vault
            .note(&ids[0])
            .unwrap()
            .signature
            .map(|s| s.sha256)
            .as_deref()
    );
}

#[test]
fn a_twenty_page_note_prints_every_word_across_pages() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    // ~9,000 words in paragraphs, each word numbered so a lost one is named.
    let text: String = (0..90)
        .map(|para| {
            (0..100)
                .map(|w| format!("w{}", para * 100 + w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let s = session_with_draft(&mut p, &c, "2026-11-18", &text);
    p.vault.sign_note(&s, now()).unwrap();
    let (_out, files) = export(&mut p, &request(Some(&c), ExportFormat::Pdf, false));
    let bytes = std::fs::read(&files[0]).unwrap();
    let printed = pdf_words(&files[0]);
    let pages = printed.matches("Page ").count();
    assert!(pages >= 15, "{pages} pages");
    let words: std::collections::HashSet<&str> = printed.split(' ').collect();
    for i in 0..9000 {
        assert!(words.contains(format!("w{i}").as_str()), "w{i} is missing");
    }
    qpdf_check(p.dir.path(), "notes-long.pdf", &bytes);
}

#[test]
fn a_signed_note_with_an_emoji_and_a_chinese_name_exports_and_prints_for_every_client() {
    let mut p = practice_with_settings();
    let wang = p.client("Wang Li", true);
    let other = p.client("Casey Nguyen", true);
    let s = session_with_draft(
        &mut p,
        &wang,
        "2026-11-18",
        "Client drew a butterfly \u{1F98B} for grandmother 王 and smiled \u{1F642}.",
    );
    p.vault.sign_note(&s, now()).unwrap();
    let t = session_with_draft(&mut p, &other, "2026-11-18", "Plain words.");
    p.vault.sign_note(&t, now()).unwrap();

    // The practice-wide PDF export writes both clients; the JSON keeps every byte.
    let (_out, files) = export(&mut p, &request(None, ExportFormat::Pdf, false));
    assert_eq!(files.len(), 2, "{files:?}");
    let wang_pdf = files.iter().find(|f| f.contains("notes-WL-")).unwrap();
    let printed = pdf_words(wang_pdf);
    // Each character is drawn (by an installed font that has it) or printed as its code
    // and named in the closing note; which depends on the fonts of the machine.
    pdf::drawn_or_coded(&printed, &['\u{1F98B}', '王', '\u{1F642}']);
    assert!(printed.contains("Client drew a butterfly"), "{printed}");
    qpdf_check(
        p.dir.path(),
        "notes-unicode.pdf",
        &std::fs::read(wang_pdf).unwrap(),
    );
    let (_out, json) = export(&mut p, &request(Some(&wang), ExportFormat::Json, false));
    let body = std::fs::read_to_string(&json[0]).unwrap();
    assert!(
        body.contains("butterfly \u{1F98B} for grandmother 王"),
        "the export keeps the text"
    );

    // The record request prints too: it is never blocked by a character.
    let record = p.vault.record_request(&wang, now()).unwrap();
    let words = pdf::extracted_words(&record);
    pdf::drawn_or_coded(&words, &['\u{1F98B}', '王', '\u{1F642}']);
}

#[test]
fn a_signed_note_in_several_scripts_prints_each_character_drawn_or_as_its_code() {
    let mut p = practice_with_settings();
    let c = p.client("Aiko Petrova", true);
    let text = "café — 日本語 — Ελληνικά — Русский — \u{1F600} — \u{E000}";
    let s = session_with_draft(&mut p, &c, "2026-11-18", text);
    p.vault.sign_note(&s, now()).unwrap();
    let (_out, files) = export(&mut p, &request(Some(&c), ExportFormat::Pdf, false));
    let bytes = std::fs::read(&files[0]).unwrap();
    qpdf_check(p.dir.path(), "notes-scripts.pdf", &bytes);
    let printed = pdf_words(&files[0]);
    // DejaVu draws the accents, Greek, Cyrillic and 😀; Japanese needs an installed font
    // (Debian's fonts-droid-fallback or fonts-noto-cjk), else it prints as codes.
    assert!(printed.contains("café — "), "{printed}");
    assert!(
        printed.contains(" — Ελληνικά — Русский — \u{1F600} — "),
        "{printed}"
    );
    pdf::drawn_or_coded(&printed, &['日', '本', '語', '\u{E000}']);
    let record = p.vault.record_request(&c, now()).unwrap();
    qpdf_check(p.dir.path(), "record-request-scripts.pdf", &record);
    pdf::drawn_or_coded(
        &pdf::extracted_words(&record),
        &['日', '本', '語', '\u{E000}'],
    );
}

#[test]
fn psychotherapy_notes_never_appear_in_a_default_export_of_any_format() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    let s = session_with_draft(&mut p, &c, "2026-11-18", "Progress note text.");
    p.vault.sign_note(&s, now()).unwrap();
    let secret = "PROCESSNOTE countertransference about my own father";
    p.vault.save_psychotherapy_note(&s, secret, now()).unwrap();
    assert!(p.vault.note(&s).unwrap().has_psychotherapy_note);
    assert_eq!(p.vault.psychotherapy_note(&s, now()).unwrap(), secret);
    let viewed = p.vault.audit_entries(None).unwrap();
    let last = viewed.last().unwrap();
    assert_eq!(
        (last.event.as_str(), last.detail.as_str()),
        ("psychotherapy_note_viewed", s.as_str()),
        "reading a psychotherapy note is audited, by session and never by text"
    );
    assert!(!viewed.iter().any(|e| e.detail.contains(secret)));
    // Apart from the signed note: it stays editable and the note stays intact.
    assert!(p.vault.note(&s).unwrap().intact);

    for format in [
        ExportFormat::Pdf,
        ExportFormat::Markdown,
        ExportFormat::Json,
    ] {
        for client in [Some(c.as_str()), None] {
            let (_out, files) = export(&mut p, &request(client, format, false));
            for f in &files {
                let text = if format == ExportFormat::Pdf {
                    pdf_words(f)
                } else {
                    std::fs::read_to_string(f).unwrap()
                };
                assert!(text.contains("Progress note text."), "{format:?}");
                assert!(!text.contains("PROCESSNOTE"), "{format:?} leaked it");
            }
        }
        let (_out, files) = export(&mut p, &request(Some(&c), format, true));
        let text = if format == ExportFormat::Pdf {
            pdf_words(&files[0])
        } else {
            std::fs::read_to_string(&files[0]).unwrap()
        };
        assert!(
            text.contains("PROCESSNOTE"),
            "{format:?}: included when asked"
        );
    }
    let record = p.vault.record_request(&c, now()).unwrap();
    let text = pdf_extract::extract_text_from_mem(&record).unwrap();
    assert!(text.contains("Progress note text."));
    assert!(!text.contains("PROCESSNOTE"));
    assert!(
        p.vault.search_notes("PROCESSNOTE").unwrap().hits.is_empty(),
        "never searched"
    );
}

#[test]
fn search_finds_words_in_notes_and_addenda_with_highlights() {
    let mut p = practice_with_settings();
    let a = p.client("Casey Nguyen", true);
    let b = p.client("Robin Park", true);
    let s1 = session_with_draft(&mut p, &a, "2026-11-16", "She spoke about the lighthouse.");
    session_with_draft(
        &mut p,
        &b,
        "2026-11-17",
        "Nothing about lights here. Café visit.",
    );
    p.vault.sign_note(&s1, now()).unwrap();
    p.vault
        .add_addendum(&s1, "Correction: the orchard, not the garden.", "a1", now())
        .unwrap();

    let hits = p.vault.search_notes("lighthouse").unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].client_name, "Casey Nguyen");
    assert_eq!(hits[0].date, "2026-11-16");
    assert_eq!(hits[0].session_label, "Preparation 1");
    assert!(
        hits[0]
            .snippet
            .iter()
            .any(|p| p.hit && p.text == "lighthouse")
    );

    let hits = p.vault.search_notes("orchard").unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].source, hits[0].addendum_seq),
        (SearchSource::Addendum, Some(1))
    );
    // Prefixes, accents and several words; odd characters are not a syntax error.
    assert_eq!(p.vault.search_notes("light").unwrap().hits.len(), 2);
    assert_eq!(p.vault.search_notes("cafe").unwrap().hits.len(), 1);
    assert_eq!(
        p.vault.search_notes("spoke lighthouse").unwrap().hits.len(),
        1
    );
    assert!(
        p.vault
            .search_notes("\"(AND* NEAR")
            .unwrap()
            .hits
            .is_empty()
    );
    assert!(p.vault.search_notes("   ").unwrap().hits.is_empty());
}

#[test]
fn a_cancelled_export_leaves_nothing_behind() {
    let mut p = practice_with_settings();
    for name in ["Ana One", "Ben Two", "Cy Three"] {
        let c = p.client(name, true);
        session_with_draft(&mut p, &c, "2026-11-18", "Text.");
    }
    let out = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    let outcome = p
        .vault
        .export_notes(
            &request(None, ExportFormat::Markdown, false),
            out.path(),
            now(),
            &mut |pr: ExportProgress| {
                seen.push(pr.done);
                pr.done < 2
            },
        )
        .unwrap();
    assert!(outcome.cancelled);
    assert_eq!(seen, [0, 1, 2]);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn exports_respect_the_date_range_and_refuse_an_impossible_one() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    session_with_draft(&mut p, &c, "2026-11-10", "Early.");
    session_with_draft(&mut p, &c, "2026-11-18", "Late.");
    let mut req = request(Some(&c), ExportFormat::Markdown, false);
    req.from = Some("2026-11-15".into());
    let (_out, files) = export(&mut p, &req);
    let md = std::fs::read_to_string(&files[0]).unwrap();
    assert!(md.contains("Late.") && !md.contains("Early."), "{md}");
    assert!(md.starts_with("# Progress notes: Casey Nguyen"));
    req.from = Some("2026-02-30".into());
    let err = p
        .vault
        .export_notes(&req, std::env::temp_dir().as_path(), now(), &mut |_| true)
        .unwrap_err();
    assert!(
        err.to_string().contains("February 2026 has no day 30"),
        "{err}"
    );
}

#[test]
fn a_dosing_note_links_the_dosing_record_and_the_record_request_has_it_all() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    p.prepare_fully(&c);
    let d = p.book(&c, SessionKind::Dosing, "2026-11-23", None).unwrap();
    p.vault
        .add_vitals(
            &d,
            kapdesk_core::model::dosing::VitalsInput {
                at: "10:05".into(),
                phase: kapdesk_core::model::dosing::VitalsPhase::PreDose,
                blood_pressure: "128/82".into(),
                heart_rate: 74,
                spo2: None,
            },
            "v1",
            now(),
        )
        .unwrap();
    p.vault
        .save_medication(
            &d,
            kapdesk_core::model::dosing::Medication {
                name: "Ketamine".into(),
                route: Some(kapdesk_core::model::dosing::Route::Sublingual),
                dose_per_unit_mg: Some(100.0),
                units: Some(2.0),
                taken_at: Some("10:12".into()),
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    p.complete(&d);
    let note = p.vault.note(&d).unwrap();
    assert!(
        note.dosing_summary
            .iter()
            .any(|l| l.contains("BP 128/82, HR 74")),
        "{:?}",
        note.dosing_summary
    );
    assert!(note.sections.iter().any(|s| s.key == "client_experience"));
    let mut sections = note.sections.clone();
    sections[0].text = "Arrived calm; intention stated.".into();
    p.vault
        .save_note_draft(
            &d,
            NoteDraft {
                format: note.format,
                sections,
            },
            now(),
        )
        .unwrap();
    p.vault.sign_note(&d, now()).unwrap();
    session_with_draft(&mut p, &c, "2026-11-19", "Last preparation before dosing.");

    // The JSON export carries the record as data another program can read, not only
    // as the printed lines.
    let (_out, files) = export(&mut p, &request(Some(&c), ExportFormat::Json, false));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    let notes = json["clients"][0]["notes"].as_array().unwrap();
    let dosing_note = notes.iter().find(|n| n["sessionId"] == d.as_str()).unwrap();
    let record = &dosing_note["dosing"];
    assert_eq!(record["medication"]["name"], "Ketamine");
    assert_eq!(record["medication"]["route"], "sublingual");
    assert_eq!(record["medication"]["dosePerUnitMg"], 100.0);
    assert_eq!(record["medication"]["takenAt"], "10:12");
    assert_eq!(
        (
            &record["vitals"][0]["systolic"],
            &record["vitals"][0]["diastolic"],
            &record["vitals"][0]["heartRate"],
            &record["vitals"][0]["phase"],
        ),
        (&128.into(), &82.into(), &74.into(), &"pre_dose".into())
    );
    assert_eq!(record["dischargedAt"], "13:30");
    let discharge_checks = record["dischargeChecks"].as_array().unwrap();
    assert_eq!(discharge_checks.len(), 3, "{record}");
    assert!(
        discharge_checks.iter().all(|c| c["at"].is_string()),
        "{record}"
    );
    let others: Vec<_> = notes
        .iter()
        .filter(|n| n["sessionId"] != d.as_str())
        .collect();
    assert_eq!(others.len(), 1, "the preparation note is exported too");
    assert!(
        others[0]["dosing"].is_null(),
        "only the dosing session has a record"
    );

    let pdf = p.vault.record_request(&c, now()).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Client record",
        "Treatment timeline",
        "Preparation 1",
        "Informed consent",
        "signed on",
        "Dosing-session records",
        "BP 128/82, HR 74",
        "Progress notes",
        "Arrived calm; intention stated.",
        "Psychotherapy notes are kept apart",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
    if let Some(out) = std::env::var_os("KAPDESK_PDF_DIR") {
        std::fs::write(std::path::Path::new(&out).join("record-request.pdf"), &pdf).unwrap();
    }
}

#[test]
fn a_note_cannot_be_signed_before_its_session_or_when_empty() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    let future = p
        .book(&c, SessionKind::Preparation, "2026-12-02", None)
        .unwrap();
    let n = p.vault.note(&future).unwrap();
    p.vault
        .save_note_draft(
            &future,
            NoteDraft {
                format: n.format,
                sections: vec![NoteSection {
                    key: "subjective".into(),
                    title: "Subjective".into(),
                    text: "Prepared ahead.".into(),
                }],
            },
            now(),
        )
        .unwrap();
    let err = p.vault.sign_note(&future, now()).unwrap_err();
    assert!(err.to_string().contains("has not happened yet"), "{err}");

    let past = p
        .book(&c, SessionKind::Preparation, "2026-11-18", None)
        .unwrap();
    p.vault
        .set_session_status(&past, SessionStatus::Completed, now())
        .unwrap();
    let err = p.vault.sign_note(&past, now()).unwrap_err();
    assert!(err.to_string().contains("write it first"), "{err}");
    let n = p.vault.note(&past).unwrap();
    p.vault
        .save_note_draft(
            &past,
            NoteDraft {
                format: n.format,
                sections: n.sections,
            },
            now(),
        )
        .unwrap();
    let err = p.vault.sign_note(&past, now()).unwrap_err();
    assert!(err.to_string().contains("The note is empty"), "{err}");
}

/// How many pages of the notes' search index hold `word`'s bytes, read with SQL from
/// the index's own storage (the words themselves, not what a search would find).
fn index_pages_holding(vault: &std::path::Path, word: &str) -> i64 {
    let raw = rusqlite::Connection::open(vault).unwrap();
    raw.pragma_update(None, "key", PASS).unwrap();
    raw.query_row(
        "SELECT count(*) FROM note_search_data WHERE instr(block, CAST(?1 AS BLOB)) > 0",
        [word],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn deleting_a_client_permanently_removes_their_signed_notes_drafts_and_indexed_words() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    let other = p.client("Jordan Lee", true);
    // An earlier version of the draft held another word, replaced before signing.
    let s = session_with_draft(&mut p, &c, "2026-11-18", "Text about qzearlierdraft.");
    let mut note = p.vault.note(&s).unwrap();
    note.sections[0].text = "Text about zqvortexline.".into();
    let draft = NoteDraft {
        format: note.format,
        sections: note.sections,
    };
    p.vault.save_note_draft(&s, draft, now()).unwrap();
    p.vault.sign_note(&s, now()).unwrap();
    p.vault
        .add_addendum(&s, "More about qzaddendumword.", "a", now())
        .unwrap();
    // Half-typed forms of this client, and one of another client that must stay.
    p.vault
        .save_form_draft(&format!("vitals:{s}"), "{\"heartRate\":\"72\"}", now())
        .unwrap();
    p.vault
        .save_form_draft(&format!("measure:{c}:phq9"), "[1,2]", now())
        .unwrap();
    p.vault
        .save_form_draft(&format!("measure:{other}:phq9"), "[0]", now())
        .unwrap();
    let path = p.vault.path().to_path_buf();
    // The replaced draft's word too: the index keeps it until a merge.
    for word in ["zqvortexline", "qzaddendumword", "qzearlierdraft"] {
        assert!(
            index_pages_holding(&path, word) > 0,
            "{word} is indexed first"
        );
    }

    p.vault
        .delete_client_permanently(&c, "Casey Nguyen", &Passphrase::new(PASS), now())
        .unwrap();
    assert!(
        p.vault
            .search_notes("zqvortexline")
            .unwrap()
            .hits
            .is_empty()
    );
    assert!(
        p.vault.note(&s).is_err(),
        "the session and its note are gone"
    );
    for word in ["zqvortexline", "qzaddendumword", "qzearlierdraft"] {
        assert_eq!(
            index_pages_holding(&path, word),
            0,
            "{word} is left in the search index's pages"
        );
    }
    assert_eq!(p.vault.form_draft(&format!("vitals:{s}")).unwrap(), None);
    assert_eq!(
        p.vault.form_draft(&format!("measure:{c}:phq9")).unwrap(),
        None
    );
    assert_eq!(
        p.vault
            .form_draft(&format!("measure:{other}:phq9"))
            .unwrap()
            .as_deref(),
        Some("[0]")
    );
    let last = p.vault.audit_entries(None).unwrap().pop().unwrap();
    assert_eq!(
        (last.event.as_str(), last.detail.as_str()),
        ("client_deleted", c.as_str())
    );
}

#[test]
fn an_exported_signature_can_be_checked_as_docs_notes_export_describes() {
    use sha2::{Digest, Sha256};
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    let s = session_with_draft(&mut p, &c, "2026-11-18", "Café, \"quoted\", line\nbreak 🌿");
    p.vault.sign_note(&s, now()).unwrap();
    p.vault.add_addendum(&s, "Later: ü.", "a1", now()).unwrap();
    let (_out, files) = export(&mut p, &request(Some(&c), ExportFormat::Json, false));
    let parsed: NotesExport = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    let n = &parsed.clients[0].notes[0];
    let q = |s: &str| serde_json::to_string(s).unwrap();
    let sections: Vec<String> = n
        .sections
        .iter()
        .map(|s| {
            format!(
                "{{\"key\":{},\"title\":{},\"text\":{}}}",
                q(&s.key),
                q(&s.title),
                q(&s.text)
            )
        })
        .collect();
    let canonical = format!(
        "{{\"schema\":\"kapdesk.note.v1\",\"sessionId\":{},\"format\":{},\"sections\":[{}],\"signedAt\":{},\"signedBy\":{}}}",
        q(&n.session_id),
        q(&n.format),
        sections.join(","),
        q(n.signed_at.as_deref().unwrap()),
        q(n.signed_by.as_deref().unwrap())
    );
    let hex = |b: &[u8]| -> String {
        Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect()
    };
    assert_eq!(Some(hex(canonical.as_bytes())), n.sha256);
    let a = &n.addenda[0];
    let canonical = format!(
        "{{\"schema\":\"kapdesk.addendum.v1\",\"sessionId\":{},\"seq\":{},\"text\":{},\"signedAt\":{},\"signedBy\":{},\"noteSha256\":{}}}",
        q(&n.session_id),
        a.seq,
        q(&a.text),
        q(&a.signed_at),
        q(&a.signed_by),
        q(n.sha256.as_deref().unwrap())
    );
    assert_eq!(hex(canonical.as_bytes()), a.sha256);
    assert_eq!(
        n.signed_local.as_deref(),
        Some("Wednesday 25 November 2026, 15:00")
    );
}

#[test]
fn a_search_matching_more_than_it_lists_says_so() {
    let mut p = practice_with_settings();
    let c = p.client("Casey Nguyen", true);
    let today = now().date_naive();
    for i in 0..205 {
        let date = (today - chrono::Duration::days(i + 1)).to_string();
        let text = if i == 7 {
            "grief and the orchard".to_owned()
        } else {
            format!("grief, session {i}")
        };
        session_with_draft(&mut p, &c, &date, &text);
    }
    let r = p.vault.search_notes("grief").unwrap();
    assert!(r.more);
    assert_eq!(r.hits.len(), 200);
    let r = p.vault.search_notes("grief orchard").unwrap();
    assert!(!r.more);
    assert_eq!(r.hits.len(), 1);
}

#[test]
fn the_dashboard_flags_drafts_at_any_age_and_missing_notes_for_ninety_days() {
    let mut p = practice_with_settings();
    let old_draft = p.client("Ana Old-Draft", true);
    session_with_draft(&mut p, &old_draft, "2026-05-04", "A draft from May.");
    let old_missing = p.client("Ben Old-Missing", true);
    let s = p
        .book(&old_missing, SessionKind::Preparation, "2026-05-05", None)
        .unwrap();
    p.complete(&s);
    let recent_missing = p.client("Cy Recent-Missing", true);
    let s = p
        .book(
            &recent_missing,
            SessionKind::Preparation,
            "2026-11-16",
            None,
        )
        .unwrap();
    p.complete(&s);

    let dash = p.vault.dashboard(now()).unwrap();
    let flagged: Vec<(&str, &str)> = dash
        .needs_action
        .iter()
        .filter(|a| format!("{:?}", a.kind) == "NoteUnsigned")
        .map(|a| (a.client_name.as_str(), a.message.as_str()))
        .collect();
    assert_eq!(
        flagged,
        [
            (
                "Ana Old-Draft",
                "The note for the preparation session on Monday 4 May 2026 is not signed."
            ),
            (
                "Cy Recent-Missing",
                "The note for the preparation session on Monday 16 November 2026 is not written."
            ),
        ]
    );
}

#[test]
fn search_and_the_dashboard_name_a_client_as_every_screen_does() {
    let mut p = practice_with_settings();
    let c = p.client("Jordan Alvarez", true);
    let mut details = p.vault.client(&c).unwrap().details;
    details.preferred_name = "Jo".into();
    p.vault.update_client(&c, details, now()).unwrap();
    session_with_draft(&mut p, &c, "2026-05-04", "The orchard again.");

    let hits = p.vault.search_notes("orchard").unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].client_name, "Jordan Alvarez (Jo)");

    let dash = p.vault.dashboard(now()).unwrap();
    let names: Vec<&str> = dash
        .needs_action
        .iter()
        .filter(|a| format!("{:?}", a.kind) == "NoteUnsigned")
        .map(|a| a.client_name.as_str())
        .collect();
    assert_eq!(names, ["Jordan Alvarez (Jo)"]);
}

#[test]
fn markup_typed_into_a_note_is_escaped_in_markdown_and_exact_in_json() {
    let mut p = practice_with_settings();
    let c = p.client("Ada <b>Lovelace</b>", true);
    let typed =
        "Client wrote <script>alert('x')</script> & <img src=x onerror=alert(1)> in her journal.";
    let s = session_with_draft(&mut p, &c, "2026-11-12", typed);
    p.vault.sign_note(&s, now()).unwrap();
    p.vault
        .add_addendum(&s, "Also <iframe src=\"x\"></iframe>.", "a1", now())
        .unwrap();

    let (_dir, files) = export(&mut p, &request(Some(&c), ExportFormat::Markdown, false));
    let md = std::fs::read_to_string(&files[0]).unwrap();
    for raw in ["<script>", "<img", "<iframe", "<b>"] {
        assert!(!md.contains(raw), "{raw} is left raw in:\n{md}");
    }
    assert!(
        md.contains("Client wrote &lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; in her journal."),
        "{md}"
    );
    assert!(
        md.contains("Also &lt;iframe src=\"x\"&gt;&lt;/iframe&gt;."),
        "{md}"
    );
    assert!(
        md.contains("# Progress notes: Ada &lt;b&gt;Lovelace&lt;/b&gt;"),
        "{md}"
    );

    let (_dir, files) = export(&mut p, &request(Some(&c), ExportFormat::Json, false));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(json["clients"][0]["notes"][0]["sections"][0]["text"], typed);
}
