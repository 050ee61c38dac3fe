//! Informed consent as the therapist and the record depend on it.

#[path = "support/pdf.rs"]
mod pdf;
use chrono::{DateTime, TimeZone, Utc};
use kapdesk_core::model::client::{EmergencyContact, RideHome};
use kapdesk_core::model::consent::{
    ConsentItemTemplate, ConsentItemUpdate, ConsentSection, ConsentTemplate, SignConsent,
};
use kapdesk_core::model::protocol::GateKind;
use kapdesk_core::model::session::ConsentMethod;
use kapdesk_core::model::templates::TemplateDocument;
use kapdesk_core::{ClientDetails, Error, Passphrase, PracticeSettings, Vault};
use pdf::{drawn_or_coded, extracted_words, qpdf_check};

const PASS: &str = "consent test passphrase";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap()
}

fn practice() -> (tempfile::TempDir, Vault, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.vault");
    let mut v = Vault::create(&path, &Passphrase::new(PASS), now()).unwrap();
    v.set_practice_time_zone("America/New_York").unwrap();
    let settings = PracticeSettings {
        therapist_name: "Dr. Maya Okafor".into(),
        credentials: "LMFT".into(),
        practice_name: "Blue Ridge Healing Arts".into(),
        address: "12 Main Street\nAsheville, NC 28801".into(),
        phone: "828-555-0100".into(),
        ..v.settings().unwrap()
    };
    v.save_settings(settings, now()).unwrap();
    let details = ClientDetails {
        legal_name: "Zoë Ångström-Παπαδοπούλου".into(),
        date_of_birth: "1986-04-12".into(),
        emergency_contact: EmergencyContact {
            name: "Sam".into(),
            relation: "partner".into(),
            phone: "828-555-0101".into(),
        },
        ride_home: RideHome {
            name: "Sam".into(),
            phone: "828-555-0101".into(),
        },
        ..Default::default()
    };
    v.add_client(details, "client-1", "course-1", now())
        .unwrap();
    (dir, v, "client-1".into())
}

fn discuss(v: &mut Vault, client: &str, item: &str) {
    let update = ConsentItemUpdate {
        item_id: item.into(),
        discussed_on: Some("2026-11-18".into()),
        session_id: None,
        initialled: true,
        note: String::new(),
    };
    v.update_consent_item(client, update, now()).unwrap();
}

fn sign(v: &mut Vault, client: &str) -> Result<kapdesk_core::model::consent::ConsentStatus, Error> {
    v.sign_consent(
        client,
        SignConsent {
            signed_on: "2026-11-18".into(),
            method: ConsentMethod::Paper,
            attested_by: "Dr. Maya Okafor".into(),
        },
        now(),
    )
}

fn consent_gate_open(v: &Vault, client: &str) -> bool {
    let t = v.timeline(client, None, now()).unwrap();
    t.gates
        .iter()
        .find(|g| g.kind == GateKind::Consent)
        .unwrap()
        .open
}

#[test]
fn the_default_template_covers_the_published_topics_and_the_review_s_additions() {
    let t = ConsentTemplate::default_template().unwrap();
    assert_eq!(t.items().count(), 29);
    let (_dir, mut v, client) = practice();
    let status = v.consent_checklist(&client, now()).unwrap();
    assert_eq!((status.done, status.total, status.complete), (0, 29, false));
    assert_eq!(status.template_version, 2, "revision 2 of the default");
}

#[test]
fn signing_waits_for_every_item_and_then_closes_the_gate() {
    let (_dir, mut v, client) = practice();
    let items: Vec<String> = v
        .consent_checklist(&client, now())
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.id)
        .collect();
    let (last, rest) = items.split_last().unwrap();
    for id in rest {
        discuss(&mut v, &client, id);
    }
    let err = sign(&mut v, &client).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("1 of 29 items are not yet discussed"),
        "{err}"
    );
    assert!(consent_gate_open(&v, &client));

    discuss(&mut v, &client, last);
    let status = sign(&mut v, &client).unwrap();
    assert!(status.locked && status.complete);
    assert!(
        !consent_gate_open(&v, &client),
        "a signed complete checklist closes the gate"
    );
    let summary = v.timeline(&client, None, now()).unwrap().consent.unwrap();
    assert_eq!(
        (summary.done, summary.total, summary.signed_on.as_deref()),
        (29, 29, Some("2026-11-18"))
    );
}

#[test]
fn an_item_needing_initials_is_not_done_until_initialled() {
    let (_dir, mut v, client) = practice();
    let status = v.consent_checklist(&client, now()).unwrap();
    let item = status
        .items
        .iter()
        .find(|i| i.initials_required)
        .unwrap()
        .id
        .clone();
    let update = ConsentItemUpdate {
        item_id: item.clone(),
        discussed_on: Some("2026-11-18".into()),
        session_id: None,
        initialled: false,
        note: "Client asked about nausea; will bring ginger tea.".into(),
    };
    let status = v.update_consent_item(&client, update, now()).unwrap();
    let i = status.items.iter().find(|i| i.id == item).unwrap();
    assert!(!i.done);
    assert_eq!(i.note, "Client asked about nausea; will bring ginger tea.");
    assert_eq!(status.done, 0);
}

#[test]
fn a_signed_consent_never_changes_through_the_core_or_raw_sql() {
    let dir;
    let path;
    {
        let (d, mut v, client) = practice();
        for item in v.consent_checklist(&client, now()).unwrap().items {
            discuss(&mut v, &client, &item.id);
        }
        sign(&mut v, &client).unwrap();
        let err = v
            .update_consent_item(
                &client,
                ConsentItemUpdate {
                    item_id: "risks".into(),
                    discussed_on: None,
                    session_id: None,
                    initialled: false,
                    note: "changed".into(),
                },
                now(),
            )
            .unwrap_err();
        assert!(err.to_string().contains("signed and locked"), "{err}");
        assert!(sign(&mut v, &client).is_err(), "signed twice");
        path = v.path().to_path_buf();
        v.close().unwrap();
        dir = d;
    }
    // Even a program with the key and raw SQL cannot alter it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "key", PASS).unwrap();
    for sql in [
        "UPDATE consent_items SET note = 'tampered'",
        "UPDATE consent_checklists SET signed_on = '2020-01-01'",
        "UPDATE consent_templates SET body = '{}'",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(
            err.to_string().contains("cannot be changed")
                || err.to_string().contains("never changes"),
            "{sql}: {err}"
        );
    }
    drop(dir);
}

#[test]
fn a_template_edit_is_a_new_version_and_leaves_started_checklists_as_they_were() {
    let (_dir, mut v, client) = practice();
    let before = v.consent_checklist(&client, now()).unwrap();
    let mut t = v.consent_template().unwrap();
    t.sections[0].items[0].text = "Rewritten text of the first item.".into();
    let saved = v.save_consent_template(t, now()).unwrap();
    assert_eq!(saved.version, 3);
    let after = v.consent_checklist(&client, now()).unwrap();
    assert_eq!(
        after.template_version, 2,
        "the client's checklist keeps the version they saw"
    );
    assert_eq!(after.items[0].text, before.items[0].text);

    // A new course starts on the new version.
    v.start_course(&client, "course-2", now()).unwrap();
    let next = v.consent_checklist(&client, now()).unwrap();
    assert_eq!(next.template_version, 3);
    assert_eq!(next.items[0].text, "Rewritten text of the first item.");
}

#[test]
fn items_and_sections_can_be_added_removed_and_reordered_and_a_started_checklist_keeps_its_own() {
    let (_dir, mut v, client) = practice();
    let before = v.consent_checklist(&client, now()).unwrap();
    let before_ids: Vec<String> = before.items.iter().map(|i| i.id.clone()).collect();

    let mut t = v.consent_template().unwrap();
    // The practice moves the safety section first, drops the recording item, and adds
    // a section of its own with a new initialled item.
    let safety = t.sections.remove(1);
    t.sections.insert(0, safety);
    for section in &mut t.sections {
        section.items.retain(|i| i.id != "recording");
    }
    t.sections.push(ConsentSection {
        title: "Our office".into(),
        items: vec![ConsentItemTemplate {
            id: String::new(),
            title: "The reclining chair and blankets".into(),
            text: "You will rest in a reclining chair with blankets and an eye mask.".into(),
            initials: true,
        }],
    });
    let saved = v.save_consent_template(t, now()).unwrap();
    let first_section = saved.sections[0].title.clone();
    let last = saved.sections.last().unwrap();
    assert_eq!(last.items[0].id, "the-reclining-chair-and-blankets");

    // The client's started checklist is exactly as it was.
    let after = v.consent_checklist(&client, now()).unwrap();
    let after_ids: Vec<String> = after.items.iter().map(|i| i.id.clone()).collect();
    assert_eq!(after_ids, before_ids);

    // A new course follows the new structure, and its packet prints it.
    v.start_course(&client, "course-2", now()).unwrap();
    let next = v.consent_checklist(&client, now()).unwrap();
    assert_eq!(next.template_version, saved.version);
    assert_eq!(next.items[0].section, first_section);
    assert!(!next.items.iter().any(|i| i.id == "recording"));
    let chair = next.items.last().unwrap();
    assert_eq!(chair.id, "the-reclining-chair-and-blankets");
    assert!(chair.initials_required);
    let text = extracted_words(&v.consent_packet(&client, true, now()).unwrap());
    assert!(text.contains("The reclining chair and blankets"), "{text}");
    assert!(!text.contains("No audio or video recording without your written consent"));

    // An empty section is refused with a sentence naming it; nothing is saved.
    let mut empty = v.consent_template().unwrap();
    empty.sections.push(ConsentSection {
        title: "Aftercare".into(),
        items: vec![],
    });
    let e = v
        .save_consent_template(empty, now())
        .unwrap_err()
        .to_string();
    assert!(e.contains("\u{201c}Aftercare\u{201d} has no items"), "{e}");
    assert_eq!(v.consent_template().unwrap().version, saved.version);
}

#[test]
fn withdrawal_is_a_dated_event_that_reopens_the_gate() {
    let (_dir, mut v, client) = practice();
    for item in v.consent_checklist(&client, now()).unwrap().items {
        discuss(&mut v, &client, &item.id);
    }
    sign(&mut v, &client).unwrap();
    assert!(!consent_gate_open(&v, &client));
    let status = v
        .withdraw_consent(&client, "2026-11-20", "Client chose to stop.", "w-1", now())
        .unwrap();
    assert_eq!(status.withdrawal.unwrap().withdrawn_on, "2026-11-20");
    assert_eq!(
        status.signature.unwrap().signed_on,
        "2026-11-18",
        "the signed record stays as it was"
    );
    assert!(consent_gate_open(&v, &client));

    // The client wishes to go on: a new consent, gone through again and signed.
    let fresh = v.start_new_consent(&client, now()).unwrap();
    assert!(!fresh.locked && fresh.withdrawal.is_none() && fresh.done == 0);
    assert_ne!(fresh.checklist_id, status.checklist_id);
    assert_eq!(
        v.consent_checklist(&client, now()).unwrap().checklist_id,
        fresh.checklist_id,
        "the new one is the course's consent now"
    );
    assert!(consent_gate_open(&v, &client), "until it is signed");
    let again = v.start_new_consent(&client, now()).unwrap_err().to_string();
    assert!(
        again.contains("continue the checklist that is open"),
        "{again}"
    );
    for item in fresh.items {
        discuss(&mut v, &client, &item.id);
    }
    sign(&mut v, &client).unwrap();
    assert!(!consent_gate_open(&v, &client), "dosing may go on");
    // The record a client or a board receives keeps both: the withdrawn consent, then the new one.
    let record = extracted_words(&v.record_request(&client, now()).unwrap());
    let withdrawn = record
        .find("Consent withdrawn on Friday 20 November 2026")
        .expect("the withdrawn consent is in the record");
    let renewed = record
        .rfind("signed on Wednesday 18 November 2026, attested by")
        .unwrap();
    assert!(
        record
            .matches("signed on Wednesday 18 November 2026")
            .count()
            == 2
            && renewed > withdrawn
            && record.contains("Consent 1 of 2")
            && record.contains("Consent 2 of 2"),
        "{record}"
    );
    let standing = v.start_new_consent(&client, now()).unwrap_err().to_string();
    assert!(standing.contains("The signed consent stands"), "{standing}");
}

/// The template text as it prints: list markers become bullets, lines wrap.
fn words(s: &str) -> String {
    s.lines()
        .map(|l| l.trim().strip_prefix("- ").unwrap_or(l.trim()))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_packet_prints_every_item_in_full_for_the_client_and_passes_qpdf() {
    let (dir, mut v, client) = practice();
    // As the client reads it: the practice's cancellation terms filled in.
    let values = v.dosing_settings().unwrap().consent_values();
    let template = v.consent_template().unwrap().filled(&values);
    discuss(&mut v, &client, "nature-of-treatment");
    for (blank, name) in [(true, "blank.pdf"), (false, "record.pdf")] {
        let pdf = v.consent_packet(&client, blank, now()).unwrap();
        assert!(pdf.len() <= 300 * 1024, "{name} is {} bytes", pdf.len());
        let text = extracted_words(&pdf);
        let pages = text.matches("Page ").count();
        assert!(
            text.contains(&format!("Page {pages} of {pages}")),
            "{name}: page x of y"
        );
        // An item may continue on the next page: take the running footer out between.
        let footer = format!(
            "{} v{} \u{00b7} {} \u{00b7} printed Wednesday 25 November 2026",
            template.id,
            template.version,
            if blank { "blank" } else { "record" }
        );
        let mut body = text.replace(&footer, " ");
        for p in 1..=pages {
            body = body.replace(&format!("Page {p} of {pages}"), " ");
        }
        let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("Zoë Ångström-Παπαδοπούλου"),
            "client name missing from {name}"
        );
        assert!(text.contains("Blue Ridge Healing Arts"));
        for (_, item) in template.items() {
            let expected = words(&item.text);
            assert!(
                body.contains(&expected),
                "{name}: the text of {} is not printed in full.\nexpected: {expected}\nprinted: {}",
                item.id,
                body.find(&expected[..30])
                    .map_or("", |i| &body[i..(i + expected.len() + 100).min(body.len())])
            );
        }
        if !blank {
            assert!(
                text.contains("Not yet discussed."),
                "the record shows each item's state"
            );
        }
        qpdf_check(dir.path(), &format!("consent-{name}"), &pdf);
    }
}

#[test]
fn a_name_the_font_cannot_draw_still_prints_drawn_by_an_installed_font_or_as_visible_codes() {
    let (dir, mut v, _) = practice();
    let details = ClientDetails {
        legal_name: "李小龍 🦋 \u{10FFFD}".into(),
        ..Default::default()
    };
    v.add_client(details, "client-2", "course-x", now())
        .unwrap();
    let pdf = v.consent_packet("client-2", true, now()).unwrap();
    qpdf_check(dir.path(), "consent-cjk-name.pdf", &pdf);
    let text = extracted_words(&pdf);
    // A character from the last private-use plane: no font has it, on any machine.
    let coded = drawn_or_coded(&text, &['李', '小', '龍', '\u{1F98B}', '\u{10FFFD}']);
    assert!(coded.contains(&'\u{10FFFD}'), "{text}");
}

#[test]
fn the_blank_packet_prints_every_new_item_and_the_practice_s_own_cancellation_terms() {
    let (dir, mut v, client) = practice();
    let mut dosing = v.dosing_settings().unwrap();
    dosing.cancellation_notice_hours = 72;
    dosing.cancellation_fee = "$175".into();
    v.save_dosing_settings(dosing, now()).unwrap();

    let pdf = v.consent_packet(&client, true, now()).unwrap();
    let text = extracted_words(&pdf);
    for title in [
        "Sleepiness and, rarely, slower breathing",
        "Mood after sessions, and what to do if it dips",
        "Medicine for nausea",
        "Feeling open to suggestion, and the limits I keep",
        "A possible positive drug test",
        "If you want to leave early",
        "No audio or video recording without your written consent",
        "I do not make audio or video recordings of our sessions",
        "Sharing information with the partner medical team",
        "Questions people often ask",
        "Will I lose control, or be asleep?",
    ] {
        assert!(
            text.contains(title),
            "the blank packet lacks \u{201c}{title}\u{201d}"
        );
    }
    for words in [
        "call or text 988",
        "ask your prescriber about medicine to prevent nausea",
        "You may not leave alone, and you may not drive.",
        "tell me at least 72 hours (3 days) before it starts",
        "you will be charged $175.",
    ] {
        assert!(
            text.contains(words),
            "the blank packet lacks \u{201c}{words}\u{201d}"
        );
    }
    assert!(!text.contains("{{"), "a placeholder was left unfilled");
    // Treatment length now carries initials: one box per initialled item.
    let t = v.consent_template().unwrap();
    assert!(
        t.items()
            .any(|(_, i)| i.id == "treatment-length" && i.initials)
    );
    qpdf_check(dir.path(), "consent-blank-new-items.pdf", &pdf);
}

#[test]
fn a_checklist_keeps_the_cancellation_terms_the_client_saw() {
    let (_dir, mut v, client) = practice();
    let mut dosing = v.dosing_settings().unwrap();
    dosing.cancellation_fee = "$150".into();
    v.save_dosing_settings(dosing.clone(), now()).unwrap();
    let text_of = |v: &mut Vault| {
        v.consent_checklist(&client, now())
            .unwrap()
            .items
            .into_iter()
            .find(|i| i.id == "cost-and-cancellation")
            .unwrap()
            .text
    };
    assert!(text_of(&mut v).contains("you will be charged $150."));
    dosing.cancellation_fee = "$200".into();
    v.save_dosing_settings(dosing, now()).unwrap();
    assert!(
        text_of(&mut v).contains("you will be charged $150."),
        "a started checklist keeps the terms it was started with"
    );
}

/// Makes the vault look as migration 0014 leaves a vault made before revision 2 of the
/// default consent: its newest version saved (or seeded) when revision 1 was newest.
fn as_if_saved_under_revision_1(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "key", PASS).unwrap();
    conn.execute_batch(
        "UPDATE consent_template_origins SET based_on_revision = 1,
             default_revision = CASE WHEN default_revision IS NULL THEN NULL ELSE 1 END;
         UPDATE document_templates SET based_on_revision = 1;",
    )
    .unwrap();
}

#[test]
fn an_untouched_consent_follows_the_newer_default_and_an_edited_one_is_offered_it() {
    // Untouched: the newer default becomes the newest version when the vault opens.
    let (dir, v, _client) = practice();
    let path = v.path().to_path_buf();
    v.close().unwrap();
    as_if_saved_under_revision_1(&path);
    let v = Vault::open(&path, &Passphrase::new(PASS), now()).unwrap();
    assert_eq!(v.consent_template().unwrap().version, 3);
    assert_eq!(
        v.consent_template().unwrap().sections,
        ConsentTemplate::default_template().unwrap().sections
    );
    assert!(v.template_offers().unwrap().is_empty());
    v.close().unwrap();
    drop(dir);

    // Edited: the practice's text stays in use and the newer default is offered.
    let (dir, mut v, client) = practice();
    let mut t = v.consent_template().unwrap();
    t.sections[0].items[0].text = "Our practice's own words for the first item.".into();
    v.save_consent_template(t, now()).unwrap();
    v.save_handout_template(
        Some(
            &kapdesk_core::print::handout::DEFAULT_TEMPLATE
                .replace("Your dosing day", "Your ketamine session day"),
        ),
        now(),
    )
    .unwrap();
    let path = v.path().to_path_buf();
    v.close().unwrap();
    as_if_saved_under_revision_1(&path);
    let mut v = Vault::open(&path, &Passphrase::new(PASS), now()).unwrap();
    let kept = v.consent_template().unwrap();
    assert_eq!(kept.version, 3, "no new version over the practice's edit");
    assert_eq!(
        kept.sections[0].items[0].text,
        "Our practice's own words for the first item."
    );
    assert!(
        v.handout_template()
            .unwrap()
            .contains("Your ketamine session day")
    );
    let offers = v.template_offers().unwrap();
    assert_eq!(
        offers.iter().map(|o| o.document).collect::<Vec<_>>(),
        [TemplateDocument::Consent, TemplateDocument::Handout]
    );
    assert!(
        offers[0]
            .message
            .starts_with("A newer default informed-consent template is available."),
        "{}",
        offers[0].message
    );
    assert!(offers[0].current.contains("Our practice's own words"));
    assert!(
        offers[0]
            .newer_default
            .contains("If you want to leave early")
    );

    // Adopting the consent makes it the newest version; keeping the handout ends the offer.
    v.adopt_default_template(TemplateDocument::Consent, now())
        .unwrap();
    v.keep_own_template(TemplateDocument::Handout, now())
        .unwrap();
    assert!(v.template_offers().unwrap().is_empty());
    assert_eq!(v.consent_template().unwrap().version, 4);
    assert!(
        v.handout_template()
            .unwrap()
            .contains("Your ketamine session day")
    );
    // The client's checklist started on the adopted default.
    let status = v.consent_checklist(&client, now()).unwrap();
    assert_eq!(status.template_version, 4);
    assert!(status.items.iter().any(|i| i.id == "leaving-early"));
    drop(dir);
}
