//! The client's safety plan through the vault: versions kept unchanged, refusals with
//! sentences, the audit entry, and the printed page the client keeps.

use kapdesk_core::model::safety_plan::{SafetyPlanInput, SafetyPlanSections};

#[path = "support/practice.rs"]
mod practice;
use practice::{Practice, now};
#[path = "support/pdf.rs"]
mod pdf;

fn typical() -> SafetyPlanInput {
    let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    SafetyPlanInput {
        written_on: "2026-11-24".into(),
        sections: SafetyPlanSections {
            warning_signs: v(&[
                "Staying in bed past noon",
                "Not answering my sister's texts",
                "Thinking nobody would notice if I was gone",
            ]),
            coping_strategies: v(&[
                "Walk the dog around the lake",
                "Cold water on my face, slow breaths",
                "Play guitar for ten minutes",
            ]),
            distractions: v(&[
                "Coffee with Marcus at the corner café",
                "The public library reading room",
            ]),
            people_to_ask: v(&["My sister Dana: 828-555-0133", "Marcus: 828-555-0177"]),
            professionals: v(&["Dr. Lee, psychiatrist: 828-555-0190"]),
            safe_environment: v(&[
                "Dana keeps my extra pills at her place",
                "Lock the medicine cabinet",
            ]),
            reasons_to_live: v(&["My daughter Maya", "Seeing the mountains in spring"]),
        },
    }
}

#[test]
fn each_save_is_a_new_version_and_earlier_versions_never_change() {
    let mut p = Practice::new();
    let c = p.client("Jordan Alvarez", true);
    assert!(p.vault.safety_plan(&c).unwrap().is_none());
    let first_id = p.id("plan");
    let first = p
        .vault
        .save_safety_plan(&c, typical(), &first_id, now())
        .unwrap();
    assert_eq!(first.version, 1);

    let mut edit = typical();
    edit.written_on = "2026-11-25".into();
    edit.sections
        .reasons_to_live
        .push("Finishing my degree".into());
    let second_id = p.id("plan");
    let second = p
        .vault
        .save_safety_plan(&c, edit, &second_id, now())
        .unwrap();
    assert_eq!(second.version, 2);

    assert_eq!(p.vault.safety_plan(&c).unwrap().unwrap(), second);
    let versions = p.vault.safety_plan_versions(&c).unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0], second);
    assert_eq!(versions[1], first, "version 1 reads as it was saved");
    assert_eq!(versions[1].sections.reasons_to_live.len(), 2);

    // Another client's plans are numbered on their own.
    let other = p.client("Robin Park", true);
    let id = p.id("plan");
    assert_eq!(
        p.vault
            .save_safety_plan(&other, typical(), &id, now())
            .unwrap()
            .version,
        1
    );
}

#[test]
fn an_empty_or_overlong_plan_is_refused_with_a_sentence_naming_the_field() {
    let mut p = Practice::new();
    let c = p.client("Jordan Alvarez", true);
    let empty = SafetyPlanInput {
        written_on: "2026-11-24".into(),
        sections: SafetyPlanSections {
            warning_signs: vec!["   ".into()],
            ..Default::default()
        },
    };
    let id = p.id("plan");
    let e = p.vault.save_safety_plan(&c, empty, &id, now()).unwrap_err();
    assert_eq!(e.field(), Some("sections"));
    assert!(e.to_string().starts_with("The plan is empty"), "{e}");

    let mut long = typical();
    long.sections.coping_strategies = vec!["word ".repeat(50)];
    let e = p.vault.save_safety_plan(&c, long, &id, now()).unwrap_err();
    assert_eq!(e.field(), Some("copingStrategies"));

    let mut future = typical();
    future.written_on = "2026-12-24".into();
    let e = p
        .vault
        .save_safety_plan(&c, future, &id, now())
        .unwrap_err();
    assert_eq!(e.field(), Some("writtenOn"));
    assert!(
        p.vault.safety_plan_versions(&c).unwrap().is_empty(),
        "nothing saved"
    );

    // Ten long lines in every part would not fit on two pages.
    let line = "A long line that goes on and on about one more thing to remember when it gets hard, so it wraps.";
    let lines: Vec<String> = (0..10).map(|i| format!("{i}. {line}")).collect();
    let huge = SafetyPlanInput {
        written_on: "2026-11-24".into(),
        sections: SafetyPlanSections {
            warning_signs: lines.clone(),
            coping_strategies: lines.clone(),
            distractions: lines.clone(),
            people_to_ask: lines.clone(),
            professionals: lines.clone(),
            safe_environment: lines.clone(),
            reasons_to_live: lines,
        },
    };
    let e = p.vault.save_safety_plan(&c, huge, &id, now()).unwrap_err();
    assert_eq!(e.field(), Some("sections"));
    assert!(e.to_string().contains("printed pages"), "{e}");
}

#[test]
fn saving_and_printing_leave_audit_entries_without_the_plans_words() {
    let mut p = Practice::new();
    let c = p.client("Jordan Alvarez", true);
    let id = p.id("plan");
    p.vault.save_safety_plan(&c, typical(), &id, now()).unwrap();
    p.vault.safety_plan_pdf(&c, None, now()).unwrap();
    let audit = p.vault.audit_entries(None).unwrap();
    let saved = audit
        .iter()
        .find(|e| e.event == "safety_plan_saved")
        .unwrap();
    assert!(
        saved.detail.contains(&id) && saved.detail.contains("version 1"),
        "{}",
        saved.detail
    );
    assert!(audit.iter().any(|e| e.event == "safety_plan_printed"));
    assert!(
        audit
            .iter()
            .all(|e| !e.detail.contains("Dana") && !e.detail.contains("Maya"))
    );
}

#[test]
fn the_printed_plan_is_one_page_with_every_part_and_the_crisis_contacts() {
    let mut p = Practice::new();
    let c = p.client("Jordan Alvarez", true);
    let id = p.id("plan");
    p.vault.save_safety_plan(&c, typical(), &id, now()).unwrap();
    let pdf_bytes = p.vault.safety_plan_pdf(&c, None, now()).unwrap();
    pdf::qpdf_check(p.dir.path(), "safety-plan-typical.pdf", &pdf_bytes);
    let text = pdf::extracted_words(&pdf_bytes);
    for words in [
        "My safety plan",
        "Jordan Alvarez",
        "Tuesday 24 November 2026 · version 1",
        "If you are in danger now, call 911.",
        "1. Signs that a hard time may be starting",
        "Staying in bed past noon",
        "2. Things I can do on my own to feel calmer",
        "3. People and places that help take my mind off things",
        "4. People I can ask for help",
        "My sister Dana: 828-555-0133",
        "5. Professionals and crisis lines I can call",
        "Dr. Lee, psychiatrist: 828-555-0190",
        "988 Suicide & Crisis Lifeline: 988",
        "Emergency services: 911",
        "6. Making my space safer",
        "7. My reasons to keep going",
        "My daughter Maya",
        "Page 1 of 1",
    ] {
        assert!(text.contains(words), "{words:?} missing from: {text}");
    }

    // A plan with empty parts prints their prompts and room to write, still on one page.
    let sparse = SafetyPlanInput {
        written_on: "2026-11-24".into(),
        sections: SafetyPlanSections {
            reasons_to_live: vec!["My daughter Maya".into()],
            ..Default::default()
        },
    };
    let id = p.id("plan");
    p.vault.save_safety_plan(&c, sparse, &id, now()).unwrap();
    let pdf_bytes = p.vault.safety_plan_pdf(&c, None, now()).unwrap();
    pdf::qpdf_check(p.dir.path(), "safety-plan-sparse.pdf", &pdf_bytes);
    let text = pdf::extracted_words(&pdf_bytes);
    assert!(
        text.contains("version 2") && text.contains("Page 1 of 1"),
        "{text}"
    );
    assert!(
        text.contains("Thoughts, feelings, moods or things I do"),
        "{text}"
    );

    // Version 1 still prints as written.
    let old = pdf::extracted_words(&p.vault.safety_plan_pdf(&c, Some(1), now()).unwrap());
    assert!(old.contains("Staying in bed past noon") && old.contains("version 1"));
    let e = p.vault.safety_plan_pdf(&c, Some(9), now()).unwrap_err();
    assert!(e.to_string().contains("no version 9"), "{e}");
}

#[test]
fn a_full_plan_flows_onto_two_pages_inside_the_margins() {
    let mut p = Practice::new();
    let c = p.client("Jordan Alvarez", true);
    let line = "Something that helps, written out in the client's own words";
    let lines: Vec<String> = (0..7).map(|i| format!("{line} ({i})")).collect();
    let full = SafetyPlanInput {
        written_on: "2026-11-24".into(),
        sections: SafetyPlanSections {
            warning_signs: lines.clone(),
            coping_strategies: lines.clone(),
            distractions: lines.clone(),
            people_to_ask: lines.clone(),
            professionals: lines.clone(),
            safe_environment: lines.clone(),
            reasons_to_live: lines,
        },
    };
    let id = p.id("plan");
    p.vault.save_safety_plan(&c, full, &id, now()).unwrap();
    let pdf_bytes = p.vault.safety_plan_pdf(&c, None, now()).unwrap();
    pdf::qpdf_check(p.dir.path(), "safety-plan-full.pdf", &pdf_bytes);
    let text = pdf::extracted_words(&pdf_bytes);
    assert!(text.contains("Page 2 of 2"), "{text}");
    assert_eq!(
        text.matches("in the client's own words (6)").count(),
        7,
        "nothing clipped"
    );
}

#[test]
fn on_a4_with_a_letterhead_the_therapist_and_crisis_lines_print_on_one_page() {
    use kapdesk_core::model::settings::PaperSize;
    let mut p = Practice::new();
    let mut settings = p.vault.settings().unwrap();
    settings.therapist_name = "Dr. Alex Rivera".into();
    settings.practice_name = "Blue Ridge KAP Therapy".into();
    settings.address = "12 Main Street\nAsheville, NC 28801".into();
    settings.phone = "828-555-0142".into();
    settings.paper_size = PaperSize::A4;
    p.vault.save_settings(settings, now()).unwrap();
    let c = p.client("Jordan Alvarez", true);
    let id = p.id("plan");
    p.vault.save_safety_plan(&c, typical(), &id, now()).unwrap();
    let pdf_bytes = p.vault.safety_plan_pdf(&c, None, now()).unwrap();
    pdf::qpdf_check(p.dir.path(), "safety-plan-a4.pdf", &pdf_bytes);
    let text = pdf::extracted_words(&pdf_bytes);
    for words in [
        "Blue Ridge KAP Therapy",
        "My therapist, Dr. Alex Rivera: 828-555-0142",
        "988 Suicide & Crisis Lifeline: 988",
        "Page 1 of 1",
    ] {
        assert!(text.contains(words), "{words:?} missing from: {text}");
    }
}

#[test]
fn the_record_request_holds_every_version_of_the_plan() {
    let mut p = Practice::new();
    let c = p.client("Jordan Alvarez", true);
    let before = pdf::extracted_words(&p.vault.record_request(&c, now()).unwrap());
    assert!(before.contains("No safety plan is recorded."), "{before}");

    let id = p.id("plan");
    p.vault.save_safety_plan(&c, typical(), &id, now()).unwrap();
    let mut edit = typical();
    edit.written_on = "2026-11-25".into();
    edit.sections.reasons_to_live = vec!["Finishing my degree".into()];
    let id = p.id("plan");
    p.vault.save_safety_plan(&c, edit, &id, now()).unwrap();

    let pdf = p.vault.record_request(&c, now()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    pdf::qpdf_check(dir.path(), "record-with-plan.pdf", &pdf);
    let text = pdf::extracted_words(&pdf);
    let first = text.find("Version 1 of 2, written on").expect(&text);
    let second = text.find("Version 2 of 2, written on").expect(&text);
    assert!(first < second, "oldest first");
    assert!(text.contains("My reasons to keep going"), "{text}");
    assert!(text[first..second].contains("My daughter Maya"));
    assert!(text[second..].contains("Finishing my degree"));
    assert!(!text.contains("No safety plan is recorded."));
}
