//! The consent packet: render time and file size. Budget: ≤ 50 ms, ≤ 300 KB.
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
