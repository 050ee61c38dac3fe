//! The consent packet: render time and file size. Budget: ≤ 50 ms, ≤ 300 KB.
//! The dosing-day handout: budget ≤ 20 ms.
//!
//! The layout engine alone (`print::pdf::render`, no vault): an eight-page letter-shaped
//! document with a 24-item list, a score table and four charts of 130 points, as the
//! progress letter prints for a five-year client. Fonts are parsed once per process, so
//! the first render pays for it and the loop measures a warm renderer.
//!
//! Run: `cargo bench -p kapdesk-core --bench pdf` (release build).

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kapdesk_core::model::settings::PaperSize;
use kapdesk_core::print::pdf::{Block, Chart, Dash, Document, render};
use kapdesk_core::{ClientDetails, Passphrase, PracticeSettings, Vault};

/// A document shaped like the five-year progress letter, built without a vault.
fn letter_shaped() -> Document {
    let mut blocks = vec![
        Block::Title("Progress report".into()),
        Block::Fields(vec![
            ("To".into(), "Dr. Priya Raman, MD".into()),
            ("Client".into(), "Morgan Ashby-Whitfield".into()),
            ("Course".into(), "Course 1 of ketamine-assisted psychotherapy, started 1 December 2021".into()),
        ]),
        Block::Paragraph("Dear Dr. Raman,\n\nThis letter updates you on Morgan's ketamine-assisted psychotherapy: the sessions held so far, each dosing as recorded on the day, and the outcome measures given during the course.".into()),
        Block::Heading("Dosing sessions".into()),
    ];
    for n in 0..24 {
        blocks.push(Block::Item {
            title: format!("Dosing {}, Wednesday {} March 2024", n + 1, n + 1),
            text: "- Ketamine 200 mg sublingual (2 × 100 mg), taken at 10:12\n- Blood pressure 124/80 to 124/80, heart rate 72 to 72 (2 readings)\n- Discharged at 13:00 with the ride home named in the record\n- No adverse event recorded".into(),
            initials: false,
            meta: None,
        });
    }
    blocks.push(Block::Heading("Outcome measures".into()));
    blocks.push(Block::Table {
        header: ["Date", "Measure", "Score", "Band", "From baseline"]
            .map(str::to_owned)
            .to_vec(),
        widths: vec![0.2, 0.13, 0.12, 0.27, 0.28],
        rows: (0..24)
            .map(|i| {
                vec![
                    format!("{} Nov 2026", i + 1),
                    "PHQ-9".into(),
                    format!("{} / 27", i % 27),
                    "Moderately severe depression".into(),
                    "−6 (−40%) from the baseline of 15".into(),
                ]
            })
            .collect(),
    });
    for name in ["PHQ-9", "GAD-7", "PCL-5", "WHO-5"] {
        blocks.push(Block::Chart(Chart {
            title: format!("{name}: scores over the course"),
            y_max: 27.0,
            bands: vec![
                (0.0, 4.0, "Minimal".into()),
                (5.0, 9.0, "Mild".into()),
                (10.0, 14.0, "Moderate".into()),
                (15.0, 19.0, "Moderately severe".into()),
                (20.0, 27.0, "Severe".into()),
            ],
            x_from: 0,
            x_to: 1806,
            x_labels: (0..6)
                .map(|y| (y * 365, format!("Dec {}", 2021 + y)))
                .collect(),
            points: (0..130).map(|w| (w * 14, ((w * 7) % 27) as f32)).collect(),
            verticals: (0..24).map(|n| (n * 75, format!("D{}", n + 1))).collect(),
            lines: vec![
                (
                    10.0,
                    Dash::Dashed,
                    "Response: a fall of half the baseline".into(),
                ),
                (4.0, Dash::Dotted, "Remission: a score of 4 or less".into()),
            ],
            verticals_legend: "D1, D2…: dosing sessions".into(),
        }));
    }
    blocks.push(Block::Heading("Summary".into()));
    blocks.push(Block::Paragraph(
        "Steady improvement across the course. ".repeat(40),
    ));
    blocks.push(Block::Signatures {
        statement: "With kind regards,".into(),
        lines: vec!["Dr. Maya Okafor, LMFT".into()],
    });
    Document {
        paper: PaperSize::Letter,
        letterhead: vec![
            "Blue Ridge Healing Arts".into(),
            "12 Main Street, Asheville, NC 28801".into(),
        ],
        footer: "Progress report · Morgan Ashby-Whitfield · printed 25 November 2026".into(),
        blocks,
    }
}

fn bench(c: &mut Criterion) {
    let letter = letter_shaped();
    let t = std::time::Instant::now();
    let pdf = render(&letter, "Progress report").unwrap();
    println!(
        "layout engine, letter-shaped document: {} bytes, first render (fonts parsed) {:?}",
        pdf.len(),
        t.elapsed()
    );
    // A character the bundled font lacks: the first document searches the installed
    // fonts (once per process) and parses the one that has it; later ones reuse both.
    let mut japanese = letter_shaped();
    japanese.blocks.truncate(3);
    japanese
        .blocks
        .push(Block::Paragraph("Client wrote 日本語 and 王.".into()));
    for pass in ["first (fonts searched)", "second"] {
        let t = std::time::Instant::now();
        let pdf = render(&japanese, "Progress report").unwrap();
        println!(
            "a page with Japanese, {pass}: {:?}, {} bytes",
            t.elapsed(),
            pdf.len()
        );
    }
    c.bench_function("layout engine: letter-shaped document", |b| {
        b.iter(|| render(&letter, "Progress report").unwrap())
    });

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
