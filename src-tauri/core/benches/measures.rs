//! Outcome measures over a five-year client: the chart's data (`Vault::measures`, every
//! administration with its change from the baseline) and the progress letter to the
//! prescriber. Budget: each ≤ 30 ms.
//!
//! Run: `cargo bench -p kapdesk-core --bench measures` (release build). A quick look
//! in a debug build: `cargo test -p kapdesk-core --bench measures -- --nocapture`.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kapdesk_core::model::dosing::{Medication, Route, VitalsInput, VitalsPhase};
use kapdesk_core::model::measures::{FilledBy, MeasureSchedule, NewAdministration};
use kapdesk_core::{BookingRequest, ClientDetails, Passphrase, SessionKind, SessionStatus, Vault};

/// Five years of a client: 24 dosings with their records, and PHQ-9, GAD-7, PCL-5 and
/// WHO-5 every two weeks (520 administrations).
fn five_year_client() -> (tempfile::TempDir, Vault) {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut v = Vault::create(
        &dir.path().join("b.vault"),
        &Passphrase::new("benchmark passphrase 1"),
        now,
    )
    .unwrap();
    v.save_measure_schedule(
        MeasureSchedule {
            baseline_required: false,
            ..Default::default()
        },
        now,
    )
    .unwrap();
    let details = ClientDetails {
        legal_name: "Morgan Ashby-Whitfield".into(),
        ..Default::default()
    };
    v.add_client(details, "c", "k", now).unwrap();
    let start = NaiveDate::from_ymd_opt(2021, 12, 1).unwrap();
    for n in 0..24 {
        let date = start + Duration::days(n * 75);
        let id = format!("d{n}");
        v.book_session(
            BookingRequest {
                client_id: "c".into(),
                kind: SessionKind::Dosing,
                date: date.to_string(),
                time: "10:00".into(),
                duration_min: None,
                location: "Office".into(),
                override_reason: Some("benchmark".into()),
            },
            &id,
            now,
        )
        .unwrap();
        v.save_medication(
            &id,
            Medication {
                name: "Ketamine".into(),
                route: Some(Route::Sublingual),
                dose_per_unit_mg: Some(100.0),
                units: Some(2.0),
                taken_at: Some("10:12".into()),
                ..Default::default()
            },
            now,
        )
        .unwrap();
        for (i, (at, phase)) in [
            ("10:05", VitalsPhase::PreDose),
            ("12:50", VitalsPhase::Discharge),
        ]
        .into_iter()
        .enumerate()
        {
            let reading = VitalsInput {
                at: at.into(),
                phase,
                blood_pressure: "124/80".into(),
                heart_rate: 72,
                spo2: None,
            };
            v.add_vitals(&id, reading, &format!("v{n}-{i}"), now)
                .unwrap();
        }
        v.discharge(&id, "13:00", now).unwrap();
        v.set_session_status(&id, SessionStatus::Completed, now)
            .unwrap();
    }
    for week in 0..130 {
        let date = (start + Duration::days(week * 14)).to_string();
        for (instrument, items, top) in [
            ("phq9", 9, 3),
            ("gad7", 7, 3),
            ("pcl5", 20, 4),
            ("who5", 5, 5),
        ] {
            let answers = (0..items)
                .map(|i| Some(((week as u32 + i) % (top + 1)).min(if i == 8 { 0 } else { top })))
                .collect();
            v.record_measure(
                NewAdministration {
                    client_id: "c".into(),
                    instrument: instrument.into(),
                    date: date.clone(),
                    session_id: None,
                    filled_by: FilledBy::Client,
                    answers,
                },
                &format!("m{week}-{instrument}"),
                now,
            )
            .unwrap();
        }
    }
    (dir, v)
}

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap();
    let (_dir, mut v) = five_year_client();
    let summary = "Steady improvement across the course.";
    let pdf = v.progress_letter("c", summary, now).unwrap();
    println!("progress letter, five-year client: {} bytes", pdf.len());
    if let Some(dir) = std::env::var_os("KAPDESK_PDF_DIR") {
        std::fs::write(
            std::path::Path::new(&dir).join("letter-five-years.pdf"),
            &pdf,
        )
        .unwrap();
    }
    // One timed pass each, so a debug run shows the figures too.
    let t = std::time::Instant::now();
    let n = v.measures("c").unwrap().len();
    println!("chart data: {n} administrations in {:?}", t.elapsed());
    let t = std::time::Instant::now();
    v.progress_letter("c", summary, now).unwrap();
    println!("progress letter: {:?}", t.elapsed());

    let mut g = c.benchmark_group("measures, five-year client");
    g.sample_size(20);
    g.bench_function("chart data", |b| b.iter(|| v.measures("c").unwrap()));
    g.bench_function("progress letter", |b| {
        b.iter(|| v.progress_letter("c", summary, now).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
