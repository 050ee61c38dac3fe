//! Fuzz: every input that crosses IPC or the CLI as text, generated at random (any
//! Unicode, control characters, huge and empty strings, out-of-range numbers): nothing
//! panics, and every refusal is a sentence a therapist can read.
//!
//! CI runs proptest's default 256 cases per property. The long form (10 properties ×
//! 100,000 = 10⁶ cases): `PROPTEST_CASES=100000 cargo test -p kapdesk-core --release --test fuzz`.

use chrono::{NaiveDate, NaiveDateTime};
use kapdesk_core::model::dosing::{VitalsInput, VitalsPhase, parse_blood_pressure};
use kapdesk_core::model::notes::{NoteDraft, NoteFormat, NoteSection};
use kapdesk_core::model::safeguards::{GuardSettings, parse_backup_file_name};
use kapdesk_core::print::files::file_safe;
use kapdesk_core::print::handout::HandoutTemplate;
use kapdesk_core::{ClientDetails, ClientStatus, Error, PracticeSettings, SessionKind};
use proptest::prelude::*;

/// A refusal a person can read: a whole sentence, not a debug dump.
fn assert_sentence(e: &Error) {
    let s = e.to_string();
    let t = s.trim_end();
    assert!(!t.is_empty(), "an empty refusal for {e:?}");
    assert!(
        t.ends_with(['.', '?', '!']),
        "a refusal that is not a sentence: {s:?}"
    );
    let first = t.chars().next().unwrap_or(' ');
    assert!(
        !first.is_lowercase(),
        "a refusal that does not start a sentence: {s:?}"
    );
    for leak in ["panicked", "unwrap", "Some(", "Error {", "\\u{"] {
        assert!(!s.contains(leak), "{leak} in a refusal: {s:?}");
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[0-9/:.\\- ]{0,12}",
        "\\PC{0,400}",
        Just(String::new()),
        Just("x".repeat(5_000)),
    ]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default()
}

proptest! {
    #[test]
    fn client_details(legal in text(), preferred in text(), dob in text(), phone in text(), email in text(), address in text()) {
        let d = ClientDetails {
            legal_name: legal,
            preferred_name: preferred,
            date_of_birth: dob,
            phone,
            email,
            address,
            ..Default::default()
        };
        if let Err(e) = d.validated(today()) {
            assert_sentence(&e);
        }
    }

    #[test]
    fn words_for_kinds_and_statuses(word in text()) {
        if let Err(e) = SessionKind::parse(&word) {
            assert_sentence(&e);
        }
        if let Err(e) = ClientStatus::parse(&word) {
            assert_sentence(&e);
        }
    }

    #[test]
    fn note_drafts(sections in proptest::collection::vec((text(), text(), text()), 0..8)) {
        let draft = NoteDraft {
            format: NoteFormat::Free,
            sections: sections
                .into_iter()
                .map(|(key, title, text)| NoteSection { key, title, text })
                .collect(),
        };
        if let Err(e) = draft.validated() {
            assert_sentence(&e);
        }
    }

    #[test]
    fn vital_signs(at in text(), bp in text(), hr in any::<i64>(), spo2 in any::<Option<i64>>()) {
        if let Err(e) = parse_blood_pressure(&bp) {
            assert_sentence(&e);
        }
        let reading = VitalsInput { at, phase: VitalsPhase::During, blood_pressure: bp, heart_rate: hr, spo2 };
        if let Err(e) = reading.validated() {
            assert_sentence(&e);
        }
    }

    #[test]
    fn handout_templates(title in text(), intro in text(), heading in text(), body in text()) {
        let toml = format!(
            "title = {}\nintroduction = {}\n[[sections]]\nheading = {}\ntext = {}\n",
            toml_string(&title), toml_string(&intro), toml_string(&heading), toml_string(&body)
        );
        for candidate in [toml.as_str(), body.as_str()] {
            if let Err(e) = HandoutTemplate::parse(candidate) {
                assert_sentence(&e);
            }
        }
    }

    #[test]
    fn practice_settings(name in text(), therapist in text(), phone in text(), email in text(), address in text()) {
        let s = PracticeSettings {
            practice_name: name,
            therapist_name: therapist,
            phone,
            email,
            address,
            ..Default::default()
        };
        if let Err(e) = s.validated() {
            assert_sentence(&e);
        }
    }

    #[test]
    fn lock_and_backup_settings(minutes in any::<u32>(), dir in proptest::option::of(text()), d in any::<u32>(), w in any::<u32>(), m in any::<u32>(), warn in any::<u32>()) {
        let g = GuardSettings {
            lock_after_minutes: minutes,
            backup_dir: dir,
            keep_daily: d,
            keep_weekly: w,
            keep_monthly: m,
            warn_after_days: warn,
        };
        if let Err(e) = g.validated() {
            assert_sentence(&e);
        }
    }

    #[test]
    fn export_file_names(name in text()) {
        let safe = file_safe(&name);
        prop_assert!(safe.chars().count() <= 60);
        prop_assert!(safe.chars().all(|c| c == '-' || c.is_alphanumeric()), "{safe:?}");
        prop_assert!(!safe.starts_with('-') && !safe.ends_with('-') && !safe.contains("--"), "{safe:?}");
        prop_assert!(parse_backup_file_name(&name).is_none() || name.starts_with("kapdesk-"));
    }

    #[test]
    fn search_queries(haystack in text(), query in text()) {
        let folded = kapdesk_core::text::fold(&query);
        // Folding is stable: a folded query folds to itself.
        prop_assert_eq!(kapdesk_core::text::fold(&folded), folded.clone());
        let _ = kapdesk_core::text::contains_folded(&haystack, &folded);
    }

    #[test]
    fn wall_clock_times(secs in -200_000_000_000i64..200_000_000_000i64, zone in 0usize..4) {
        let tz: chrono_tz::Tz = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC"][zone]
            .parse()
            .unwrap_or(chrono_tz::UTC);
        if let Some(local) = chrono::DateTime::from_timestamp(secs, 0).map(|t| t.naive_utc()) {
            let local: NaiveDateTime = local;
            if let Err(e) = kapdesk_core::dates::resolve_local(tz, local) {
                assert_sentence(&e);
            }
        }
    }
}

/// A TOML basic string holding `s` exactly.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
