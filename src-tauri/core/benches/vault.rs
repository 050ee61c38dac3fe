//! What encryption costs, measured: opening (key derivation), 10k inserts in one
//! transaction, 10k point reads, encrypted against plain SQLite in the same run; and
//! the figures behind the vault's settings (page cache size, journal mode, verify).
//!
//! Run: `cargo bench -p kapdesk-core --bench vault` (release build).
//!
//! The vault turns on SQLCipher's memory security (freed memory zeroed), which is
//! process-wide and cannot be turned off again, so its cost is two runs of the raw
//! groups: `cargo bench -p kapdesk-core --bench vault -- 'insert|point'` and the same with
//! `KAPDESK_BENCH_MEMORY_SECURITY=off` (which skips the groups that open a real vault).

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kapdesk_core::{Passphrase, Vault};
use rusqlite::Connection;

const PASS: &str = "benchmark passphrase 2026";
const ROWS: i64 = 10_000;

/// The vault's own settings, applied to a raw connection so encrypted and plain
/// differ only by the key.
fn connect(path: &Path, encrypted: bool, cache_kib: Option<i64>, journal: &str) -> Connection {
    let conn = Connection::open(path).unwrap();
    if !memory_security_off() {
        conn.execute_batch("PRAGMA cipher_memory_security = ON")
            .unwrap();
    }
    if encrypted {
        conn.pragma_update(None, "key", PASS).unwrap();
    }
    conn.execute_batch(&format!(
        "PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON;
         PRAGMA journal_mode = {journal};"
    ))
    .unwrap();
    if let Some(kib) = cache_kib {
        conn.execute_batch(&format!("PRAGMA cache_size = -{kib}"))
            .unwrap();
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, client TEXT NOT NULL, body TEXT NOT NULL)",
    )
    .unwrap();
    conn
}

/// `KAPDESK_BENCH_MEMORY_SECURITY=off`: measure without it (see the header).
fn memory_security_off() -> bool {
    std::env::var("KAPDESK_BENCH_MEMORY_SECURITY").is_ok_and(|v| v == "off")
}

fn body(i: i64) -> String {
    format!(
        "Session note {i}: client reported steady sleep, intention reviewed, vitals stable. {}",
        "x".repeat(200)
    )
}

fn insert_rows(conn: &mut Connection) {
    let tx = conn.transaction().unwrap();
    {
        let mut stmt = tx
            .prepare("INSERT INTO bench_rows (client, body) VALUES (?1, ?2)")
            .unwrap();
        for i in 0..ROWS {
            stmt.execute((format!("client-{}", i % 300), body(i)))
                .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn point_reads(conn: &Connection) {
    let mut stmt = conn
        .prepare_cached("SELECT body FROM bench_rows WHERE id = ?1")
        .unwrap();
    // A fixed pseudo-random walk, so every run reads the same rows.
    let mut id: i64 = 1;
    for _ in 0..ROWS {
        id = (id * 7919 + 13) % ROWS + 1;
        let b: String = stmt.query_row([id], |r| r.get(0)).unwrap();
        std::hint::black_box(b);
    }
}

fn open(c: &mut Criterion) {
    if memory_security_off() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.vault");
    Vault::create(&path, &Passphrase::new(PASS), Utc::now())
        .unwrap()
        .close()
        .unwrap();

    let mut g = c.benchmark_group("open");
    g.sample_size(10);
    g.bench_function("right passphrase", |b| {
        b.iter(|| Vault::open(&path, &Passphrase::new(PASS), Utc::now()).unwrap())
    });
    // Must cost the same as the right one: no fast-fail timing oracle.
    g.bench_function("wrong passphrase", |b| {
        b.iter(|| {
            Vault::open(
                &path,
                &Passphrase::new("not the right passphrase"),
                Utc::now(),
            )
            .unwrap_err()
        })
    });
    g.finish();
}

fn inserts(c: &mut Criterion) {
    let mut g = c.benchmark_group("insert 10k rows, one transaction");
    g.sample_size(10);
    for (name, encrypted) in [("plain", false), ("encrypted", true)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().unwrap();
                    let conn = connect(&dir.path().join("db"), encrypted, Some(64 * 1024), "WAL");
                    // Force key derivation in setup, not in the timed part.
                    conn.query_row("SELECT count(*) FROM bench_rows", [], |r| {
                        r.get::<_, i64>(0)
                    })
                    .unwrap();
                    (dir, conn)
                },
                |(dir, mut conn)| {
                    insert_rows(&mut conn);
                    (dir, conn)
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn reads(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("10k point reads");
    g.sample_size(20);
    for (name, encrypted, cache) in [
        ("plain, default cache", false, None),
        ("encrypted, default cache (2 MiB)", true, None),
        ("encrypted, vault cache (64 MiB)", true, Some(64 * 1024)),
    ] {
        let path = dir.path().join(name.replace([' ', ',', '(', ')'], "_"));
        let mut conn = connect(&path, encrypted, cache, "WAL");
        insert_rows(&mut conn);
        g.bench_function(name, |b| b.iter(|| point_reads(&conn)));
    }
    g.finish();
}

fn commits(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("single-row commit, encrypted");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    for journal in ["WAL", "DELETE"] {
        let conn = connect(&dir.path().join(journal), true, Some(64 * 1024), journal);
        let mut i = 0;
        g.bench_function(journal, |b| {
            b.iter(|| {
                i += 1;
                conn.execute(
                    "INSERT INTO bench_rows (client, body) VALUES ('c', ?1)",
                    [body(i)],
                )
                .unwrap();
            })
        });
    }
    g.finish();
}

fn verify(c: &mut Criterion) {
    if memory_security_off() {
        return;
    }
    // About 30 MB: a busy solo practice after several years.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.vault");
    let vault = Vault::create(&path, &Passphrase::new(PASS), Utc::now()).unwrap();
    vault.close().unwrap();
    {
        let mut conn = connect(&path, true, None, "WAL");
        for _ in 0..10 {
            insert_rows(&mut conn);
        }
    }
    let vault = Vault::open(&path, &Passphrase::new(PASS), Utc::now()).unwrap();
    let mb = std::fs::metadata(&path).unwrap().len() / 1_000_000;
    let mut g = c.benchmark_group("verify");
    g.sample_size(10);
    g.bench_function(format!("cipher + integrity check, {mb} MB vault"), |b| {
        b.iter(|| vault.verify().unwrap())
    });
    g.finish();

    // What an automatic backup costs the therapist on unlock and quit: the online
    // backup, its page-by-page verification, and the fsyncs, of the same vault.
    let mut g = c.benchmark_group("backup");
    g.sample_size(10);
    let out = dir.path().join("backups");
    std::fs::create_dir(&out).unwrap();
    let mut n = 0;
    g.bench_function(format!("copy, verify and fsync a {mb} MB vault"), |b| {
        b.iter(|| {
            n += 1;
            let dest = out.join(format!("b{n}.vault"));
            vault
                .backup_to(&dest, &Passphrase::new(PASS), Utc::now())
                .unwrap();
            std::fs::remove_file(dest).unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, open, inserts, reads, commits, verify);
criterion_main!(benches);
