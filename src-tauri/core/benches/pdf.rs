//! The consent packet: render time and file size. Budget: ≤ 50 ms, ≤ 300 KB.
//! The dosing-day handout: budget ≤ 20 ms.
//!
//! Run: `cargo bench -p kapdesk-core --bench pdf` (release build).

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kapdesk_core::{ClientDetails, Passphrase, PracticeSettings, Vault};

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut v = Vault::create(
        &dir.path().join("b.vault"),
        &Passphrase::new("benchmark passphrase 1"),
        now,
    )
    .unwrap();
    let settings = PracticeSettings {
        therapist_name: "Dr. Maya Okafor".into(),
        practice_name: "Blue Ridge Healing Arts".into(),
        address: "12 Main Street\nAsheville, NC 28801".into(),
        ..v.settings().unwrap()
    };
    v.save_settings(settings, now).unwrap();
    let details = ClientDetails {
        legal_name: "Zoë Ångström-Παπαδοπούλου".into(),
        date_of_birth: "1986-04-12".into(),
        ..Default::default()
    };
    v.add_client(details, "c", "k", now).unwrap();
    for blank in [true, false] {
        let pdf = v.consent_packet("c", blank, now).unwrap();
        println!(
            "consent packet ({}): {} bytes",
            if blank { "blank" } else { "record" },
            pdf.len()
        );
    }
    let mut g = c.benchmark_group("consent packet");
    g.sample_size(30);
    g.bench_function("blank", |b| {
        b.iter(|| v.consent_packet("c", true, now).unwrap())
    });
    g.bench_function("record", |b| {
        b.iter(|| v.consent_packet("c", false, now).unwrap())
    });
    g.finish();

    // A dosing session booked with an override (the gates are not the point here).
    let settings = PracticeSettings {
        phone: "828-555-0100".into(),
        ..v.settings().unwrap()
    };
    v.save_settings(settings, now).unwrap();
    let mut details = v.client("c").unwrap().details;
    details.ride_home = kapdesk_core::model::client::RideHome {
        name: "Sam Rivera".into(),
        phone: "828-555-0101".into(),
    };
    v.update_client("c", details, now).unwrap();
    v.book_session(
        kapdesk_core::BookingRequest {
            client_id: "c".into(),
            kind: kapdesk_core::SessionKind::Dosing,
            date: "2026-11-30".into(),
            time: "10:00".into(),
            duration_min: None,
            location: "Office".into(),
            override_reason: Some("benchmark".into()),
        },
        "d",
        now,
    )
    .unwrap();
    let pdf = v.dosing_handout("d", now).unwrap();
    println!("dosing-day handout: {} bytes", pdf.len());
    c.bench_function("dosing-day handout", |b| {
        b.iter(|| v.dosing_handout("d", now).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
