//! A busy practice: 300 clients with 50 sessions each (15,000 sessions), every
//! client's gate records on file. Times one client's `timeline` and the `dashboard`,
//! the two queries the app runs on every screen change. Budget: p95 ≤ 20 ms.
//!
//! Run: `cargo bench -p kapdesk-core --bench timeline` (release build). Prints p50/p95
//! from 200 raw samples each, then criterion's estimates.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kapdesk_core::model::client::{EmergencyContact, ReleaseOfInformation, RideHome};
use kapdesk_core::model::consent::{ConsentItemUpdate, SignConsent};
use kapdesk_core::model::session::{Clearance, ConsentMethod, Prescription};
use kapdesk_core::{
    BookingRequest, ClientDetails, ClientStatus, Passphrase, SessionKind, SessionStatus, Vault,
};

const CLIENTS: usize = 300;
const SESSIONS_PER_CLIENT: usize = 50;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap()
}

/// Builds the practice in shared memory when there is one: 15,000 bookings each commit
/// with a full fsync, which measures the disk, not KAP Desk.
fn practice() -> (tempfile::TempDir, Vault, Vec<String>) {
    let dir = tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap();
    let mut v = Vault::create(
        &dir.path().join("bench.vault"),
        &Passphrase::new("benchmark practice 2026"),
        now(),
    )
    .unwrap();
    v.set_practice_time_zone("America/New_York").unwrap();
    let mut clients = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        let details = ClientDetails {
            legal_name: format!("Client {i:03} Example"),
            status: ClientStatus::Dosing,
            emergency_contact: EmergencyContact {
                name: "Contact".into(),
                relation: "partner".into(),
                phone: "828-555-0100".into(),
            },
            ride_home: RideHome {
                name: "Ride".into(),
                phone: "828-555-0101".into(),
            },
            ..Default::default()
        };
        let id = format!("client-{i}");
        v.add_client(details, &id, &format!("course-{i}"), now())
            .unwrap();
        let clearance = Clearance {
            clinician: "Dr. Lee".into(),
            organisation: "Partner team".into(),
            cleared_on: "2025-01-10".into(),
            valid_until: "2027-06-01".into(),
        };
        v.record_clearance(&id, clearance, &format!("cl-{i}"), now())
            .unwrap();
        let rx = Prescription {
            medication: "Ketamine".into(),
            route: "sublingual".into(),
            dose: "as prescribed".into(),
            prescriber: "Dr. Lee".into(),
            prescribed_on: "2025-01-12".into(),
            ..Default::default()
        };
        v.record_prescription(&id, rx, &format!("rx-{i}"), now())
            .unwrap();
        let release = ReleaseOfInformation {
            recipient: "Partner team".into(),
            may_share: "Screening, progress and safety".into(),
            signed_on: "2025-01-12".into(),
            valid_until: String::new(),
        };
        v.record_release_of_information(&id, release, &format!("roi-{i}"), now())
            .unwrap();
        for item in v.consent_checklist(&id, now()).unwrap().items {
            let update = ConsentItemUpdate {
                item_id: item.id,
                discussed_on: Some("2025-01-15".into()),
                session_id: None,
                initialled: true,
                note: String::new(),
            };
            v.update_consent_item(&id, update, now()).unwrap();
        }
        let sign = SignConsent {
            signed_on: "2025-01-15".into(),
            method: ConsentMethod::Paper,
            attested_by: "Dr. Lee".into(),
        };
        v.sign_consent(&id, sign, now()).unwrap();

        // Two years of care: preparation, six dosings each followed by integration,
        // then follow-ups, with the last few still to come.
        let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap()
            + chrono::Duration::days((i % 60) as i64);
        for n in 0..SESSIONS_PER_CLIENT {
            let kind = match n {
                0..=4 => SessionKind::Preparation,
                5..=16 if n % 2 == 1 => SessionKind::Dosing,
                5..=16 => SessionKind::Integration,
                _ => SessionKind::FollowUp,
            };
            let date = start + chrono::Duration::days(n as i64 * 14);
            let sid = format!("s-{i}-{n}");
            let req = BookingRequest {
                client_id: id.clone(),
                kind,
                date: date.to_string(),
                time: "10:00".into(),
                duration_min: None,
                location: "Office".into(),
                override_reason: None,
            };
            v.book_session(req, &sid, now()).unwrap();
            if date < now().date_naive() {
                // A dosing session ends with a reading before discharge and its checklist.
                if kind == SessionKind::Dosing {
                    let reading = kapdesk_core::model::dosing::VitalsInput {
                        at: "12:55".into(),
                        phase: kapdesk_core::model::dosing::VitalsPhase::Discharge,
                        blood_pressure: "122/80".into(),
                        heart_rate: 70,
                        spo2: None,
                    };
                    v.add_vitals(&sid, reading, &format!("v-{sid}"), now())
                        .unwrap();
                    v.discharge(&sid, "13:00", now()).unwrap();
                }
                v.set_session_status(&sid, SessionStatus::Completed, now())
                    .unwrap();
            }
        }
        clients.push(id);
    }
    (dir, v, clients)
}

fn percentiles(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{name}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} samples)",
        at(0.50).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn bench(c: &mut Criterion) {
    let started = Instant::now();
    let (_dir, vault, clients) = practice();
    println!(
        "generated {CLIENTS} clients, {} sessions in {:.1} s",
        CLIENTS * SESSIONS_PER_CLIENT,
        started.elapsed().as_secs_f64()
    );

    let mut timeline = Vec::new();
    for i in 0..200 {
        let id = &clients[(i * 37) % clients.len()];
        let t = Instant::now();
        std::hint::black_box(vault.timeline(id, None, now()).unwrap());
        timeline.push(t.elapsed());
    }
    percentiles("timeline (one client, 50 sessions)", timeline);
    let mut dashboard = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::hint::black_box(vault.dashboard(now()).unwrap());
        dashboard.push(t.elapsed());
    }
    percentiles("dashboard (300 active clients)", dashboard);

    let mut g = c.benchmark_group("practice of 300 clients, 15k sessions");
    g.sample_size(50);
    let mut i = 0;
    g.bench_function("timeline", |b| {
        b.iter(|| {
            i += 1;
            vault
                .timeline(&clients[(i * 37) % clients.len()], None, now())
                .unwrap()
        })
    });
    g.bench_function("dashboard", |b| b.iter(|| vault.dashboard(now()).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
