//! Session notes on a generated practice: 200 clients × 50 signed notes (10,000 notes,
//! each about 250 words, with an addendum on every tenth).
//! Budgets: one client's 50-note PDF ≤ 300 ms; 10,000 notes to Markdown ≤ 3 s;
//! search p95 ≤ 50 ms.
//!
//! Run: `cargo bench -p kapdesk-core --bench notes` (release build).

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kapdesk_core::model::export::{ExportFormat, ExportRequest};
use kapdesk_core::model::notes::NoteDraft;
use kapdesk_core::{
    BookingRequest, ClientDetails, Passphrase, PracticeSettings, SessionKind, Vault,
};

const WORDS: &[&str] = &[
    "client",
    "reported",
    "sleep",
    "grief",
    "anxiety",
    "breath",
    "mother",
    "work",
    "lighthouse",
    "integration",
    "insight",
    "body",
    "tension",
    "relief",
    "fear",
    "curiosity",
    "journal",
    "partner",
    "walk",
    "music",
    "memory",
    "childhood",
    "anger",
    "calm",
    "plan",
    "values",
];

fn paragraph(seed: usize, words: usize) -> String {
    (0..words)
        .map(|i| WORDS[(seed * 31 + i * 7 + i / 3) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut v = Vault::create(
        &dir.path().join("b.vault"),
        &Passphrase::new("benchmark passphrase 1"),
        now,
    )
    .unwrap();
    v.set_practice_time_zone("America/New_York").unwrap();
    let settings = PracticeSettings {
        therapist_name: "Dr. Maya Okafor".into(),
        practice_name: "Blue Ridge Healing Arts".into(),
        ..v.settings().unwrap()
    };
    v.save_settings(settings, now).unwrap();
    let started = Instant::now();
    let mut first_client = String::new();
    for ci in 0..200 {
        let cid = format!("client-{ci:03}");
        v.add_client(
            ClientDetails {
                legal_name: format!("Client {ci:03} Example"),
                ..Default::default()
            },
            &cid,
            &format!("course-{ci:03}"),
            now,
        )
        .unwrap();
        if ci == 0 {
            first_client = cid.clone();
        }
        for si in 0..50 {
            let date = (now.date_naive() - chrono::Duration::days(400 - si * 7)).to_string();
            let sid = format!("s-{ci:03}-{si:02}");
            v.book_session(
                BookingRequest {
                    client_id: cid.clone(),
                    kind: if si % 2 == 0 {
                        SessionKind::Preparation
                    } else {
                        SessionKind::FollowUp
                    },
                    date,
                    time: "10:00".into(),
                    duration_min: None,
                    location: String::new(),
                    override_reason: None,
                },
                &sid,
                now,
            )
            .unwrap();
            let mut note = v.note(&sid).unwrap();
            for (k, s) in note.sections.iter_mut().enumerate() {
                s.text = paragraph(ci * 50 + si as usize + k, 60);
            }
            v.save_note_draft(
                &sid,
                NoteDraft {
                    format: note.format,
                    sections: note.sections,
                },
                now,
            )
            .unwrap();
            v.sign_note(&sid, now).unwrap();
            if si % 10 == 0 {
                v.add_addendum(&sid, &paragraph(si as usize, 30), &format!("a-{sid}"), now)
                    .unwrap();
            }
        }
    }
    println!(
        "generated 10,000 signed notes in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let out = tempfile::tempdir().unwrap();
    let one_pdf = ExportRequest {
        client_id: Some(first_client.clone()),
        from: None,
        to: None,
        format: ExportFormat::Pdf,
        include_psychotherapy_notes: false,
    };
    let all_md = ExportRequest {
        client_id: None,
        format: ExportFormat::Markdown,
        ..one_pdf.clone()
    };
    let mut g = c.benchmark_group("notes export");
    g.sample_size(10);
    g.bench_function("one client's 50-note PDF", |b| {
        b.iter(|| {
            let d = tempfile::tempdir_in(out.path()).unwrap();
            v.export_notes(&one_pdf, d.path(), now, &mut |_| true)
                .unwrap()
        })
    });
    g.measurement_time(Duration::from_secs(30));
    g.bench_function("10,000 notes to Markdown", |b| {
        b.iter(|| {
            let d = tempfile::tempdir_in(out.path()).unwrap();
            v.export_notes(&all_md, d.path(), now, &mut |_| true)
                .unwrap()
        })
    });
    g.finish();

    // Search: p50 and p95 over varied queries, measured directly.
    let queries = [
        "lighthouse",
        "grief",
        "sleep anxiety",
        "moth",
        "curiosity journal",
        "partner walk",
        "insight",
        "relief",
        "values plan",
        "childhood memory",
    ];
    let mut times = Vec::new();
    let mut found = 0;
    for round in 0..20 {
        for q in queries {
            let t = Instant::now();
            found += v.search_notes(q).unwrap().hits.len();
            times.push(t.elapsed());
            let _ = round;
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "search over 10,000 notes: p50 {:.2} ms, p95 {:.2} ms ({} hits in all)",
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        found
    );
    c.bench_function("search (one query)", |b| {
        b.iter(|| v.search_notes("grief lighthouse").unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
