//! The demo practice (`kapdesk demo`): written through the same methods a therapist's
//! actions call, the same every time for a seed, with clients in every phase, a sealed
//! audit trail, and marked as the demo inside, so that it never replaces real records.

use std::fs;
use std::path::Path;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use kapdesk_core::features::demo::{DemoOptions, DemoSummary, PHASES, write_demo_practice};
use kapdesk_core::model::client::ClientQuery;
use kapdesk_core::{Passphrase, SessionKind, SessionStatus, Vault};

const PASS: &str = "demo practice lanterns and river stones";

/// Friday 4 December 2026, 17:00 in Asheville.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 22, 0, 0).unwrap()
}

fn write(path: &Path, clients: u32, years: u32, seed: u64) -> DemoSummary {
    write_demo_practice(
        path,
        &Passphrase::new(PASS),
        &DemoOptions {
            clients,
            years,
            seed,
        },
        now(),
    )
    .unwrap()
}

fn names(path: &Path) -> Vec<String> {
    let v = Vault::open_read_only(path, &Passphrase::new(PASS)).unwrap();
    v.list_clients(
        &ClientQuery {
            include_archived: true,
            ..Default::default()
        },
        now(),
    )
    .unwrap()
    .into_iter()
    .map(|c| c.display_name)
    .collect()
}

/// What the same seed must give again: every count, not the time it took or the path.
fn counts(s: &DemoSummary) -> serde_json::Value {
    let mut v = serde_json::to_value(s).unwrap();
    let o = v.as_object_mut().unwrap();
    for k in ["seconds", "path", "fileBytes"] {
        o.remove(k);
    }
    v
}

#[test]
fn the_same_seed_writes_the_same_practice_and_another_seed_another() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a.vault"),
        dir.path().join("b.vault"),
        dir.path().join("c.vault"),
    );
    let (sa, sb, sc) = (
        write(&a, 14, 2, 7),
        write(&b, 14, 2, 7),
        write(&c, 14, 2, 8),
    );
    assert_eq!(counts(&sa), counts(&sb));
    assert_eq!(names(&a), names(&b));
    assert_ne!(names(&a), names(&c));
    assert_eq!(sa.clients, 14);
    assert!(sc.clients == 14 && sc.sessions > 0);
}

#[test]
fn a_moderate_practice_has_every_phase_a_sealed_trail_and_is_marked_as_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.vault");
    let s = write(&path, 60, 4, 3);
    println!("{}", serde_json::to_string_pretty(&s).unwrap());
    for phase in PHASES {
        let n = s.phases.iter().find(|p| p.phase == phase).unwrap().clients;
        // Discharged clients are a matter of chance; every other phase is placed.
        if phase != "discharged" {
            assert!(n > 0, "no client in {phase}: {:?}", s.phases);
        }
    }
    assert_eq!(s.phases.iter().map(|p| p.clients).sum::<u32>(), 60);
    for (what, n) in [
        ("dosings", s.dosings),
        ("signed notes", s.signed_notes),
        ("draft notes", s.draft_notes),
        ("measures", s.measures),
        ("consents", s.consents_signed),
        ("clearances", s.clearances),
        ("prescriptions", s.prescriptions),
        ("cancellations", s.cancelled_sessions),
        ("adverse events", s.adverse_events),
    ] {
        assert!(n > 0, "no {what}");
    }

    let v = Vault::open(&path, &Passphrase::new(PASS), now()).unwrap();
    assert!(v.is_demo().unwrap());
    assert!(v.info().unwrap().demo);
    let audit = v.check_audit().unwrap();
    assert!(audit.problem.is_none(), "{:?}", audit.problem);
    assert!(audit.anchor.entries as u64 >= s.audit_entries);
    // Names in other scripts and with accents, as a practice has them.
    let all = names(&path);
    assert!(all.iter().any(|n| !n.is_ascii()), "{all:?}");
    // The dashboard of a full practice answers.
    let dash = v.dashboard(now()).unwrap();
    assert!(!dash.needs_action.is_empty());
    // One therapist: no two sessions that took place or are booked overlap, and no
    // dosing falls on a weekend.
    let mut held = Vec::new();
    let everyone = ClientQuery {
        include_archived: true,
        ..Default::default()
    };
    for c in v.list_clients(&everyone, now()).unwrap() {
        let t = v.timeline(&c.id, None, now()).unwrap();
        for course in &t.courses {
            for s in v.timeline(&c.id, Some(&course.id), now()).unwrap().sessions {
                if matches!(s.status, SessionStatus::Cancelled) {
                    continue;
                }
                let end = s.starts_utc + chrono::Duration::minutes(s.duration_min.into());
                held.push((s.starts_utc, end, s.kind, s.date.clone(), s.time.clone()));
            }
        }
    }
    held.sort_by_key(|h| (h.0, h.1));
    for pair in held.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "two sessions at once: {pair:?}");
    }
    for (start, _, kind, date, time) in &held {
        if *kind == SessionKind::Dosing {
            let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            assert!(
                !matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun),
                "a dosing on a weekend: {date} {time} ({start})"
            );
        }
    }
    v.close().unwrap();
}

#[test]
fn a_new_vault_is_not_the_demo_and_an_existing_file_is_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.vault");
    let v = Vault::create(&real, &Passphrase::new(PASS), now()).unwrap();
    assert!(!v.is_demo().unwrap());
    assert!(!v.info().unwrap().demo);
    v.close().unwrap();

    let before = fs::read(&real).unwrap();
    let e = write_demo_practice(
        &real,
        &Passphrase::new(PASS),
        &DemoOptions {
            clients: 3,
            years: 1,
            seed: 1,
        },
        now(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(fs::read(&real).unwrap(), before);

    // Any file at all, vault or not, stays as it was.
    let other = dir.path().join("notes.txt");
    fs::write(&other, "not a vault").unwrap();
    let e = write_demo_practice(
        &other,
        &Passphrase::new(PASS),
        &DemoOptions::default(),
        now(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(fs::read_to_string(&other).unwrap(), "not a vault");
    assert!(!dir.path().join("notes.txt.lock").exists());
}

#[test]
fn impossible_sizes_are_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    for (clients, years) in [(0, 1), (10, 0), (100_000, 1), (10, 99)] {
        let e = write_demo_practice(
            &dir.path().join(format!("{clients}-{years}.vault")),
            &Passphrase::new(PASS),
            &DemoOptions {
                clients,
                years,
                seed: 1,
            },
            now(),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("A demo practice"), "{e}");
        assert!(!dir.path().join(format!("{clients}-{years}.vault")).exists());
    }
}

#[test]
fn a_backup_of_the_demo_is_never_restored_over_a_real_vault() {
    let dir = tempfile::tempdir().unwrap();
    let pass = Passphrase::new(PASS);
    let demo = dir.path().join("demo.vault");
    write(&demo, 4, 1, 5);
    let demo_backup = dir.path().join("demo-backup.vault");
    let v = Vault::open(&demo, &pass, now()).unwrap();
    v.backup_to(&demo_backup, &pass, now()).unwrap();
    v.close().unwrap();

    let refused =
        "That backup is the demo practice, not your practice's records. Nothing was restored.";
    // Over a real vault: refused, and the real vault is untouched.
    let real = dir.path().join("practice").join("kapdesk.vault");
    Vault::create(&real, &pass, now()).unwrap().close().unwrap();
    let before = fs::read(&real).unwrap();
    let e = Vault::restore(&real, &demo_backup, &pass, now()).unwrap_err();
    assert_eq!(e.to_string(), refused);
    assert_eq!(fs::read(&real).unwrap(), before);
    let leftovers: Vec<_> = fs::read_dir(real.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-restore") || n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Where the practice's vault belongs but none is yet: refused too.
    let empty = dir.path().join("new-laptop").join("kapdesk.vault");
    let e = Vault::restore(&empty, &demo_backup, &pass, now()).unwrap_err();
    assert_eq!(e.to_string(), refused);
    assert!(!empty.exists());
    // In the app, choosing it among the backups says so before anything happens.
    let v = Vault::open(&real, &pass, now()).unwrap();
    let e = v.inspect_backup(&demo_backup, &pass).unwrap_err();
    assert_eq!(e.to_string(), refused);
    // A real backup is still restored over the real vault.
    let real_backup = dir.path().join("real-backup.vault");
    v.backup_to(&real_backup, &pass, now()).unwrap();
    v.inspect_backup(&real_backup, &pass).unwrap();
    v.close().unwrap();
    Vault::restore(&real, &real_backup, &pass, now()).unwrap();

    // Over the demo itself, a demo backup goes back in place.
    Vault::restore(&demo, &demo_backup, &pass, now()).unwrap();
    let v = Vault::open(&demo, &pass, now()).unwrap();
    assert!(v.is_demo().unwrap());
    v.close().unwrap();
}
