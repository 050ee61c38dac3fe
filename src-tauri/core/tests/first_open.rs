//! Vaults opened on several threads at once, as the first SQLite work of the process.
//!
//! SQLite marks itself initialised before SQLCipher's own set-up (its private heap and
//! random source) has finished, so a second thread's first `sqlite3_key` could arrive
//! while that set-up ran and be refused with SQLITE_ERROR ("the key could not be set").
//! CI saw it once at the start of a test binary. This file holds one test so that its
//! threads are the first to touch SQLite in this process; the race is narrow, so
//! `for i in $(seq 200); do target/debug/deps/first_open-* || break; done` is the long
//! form that showed it before `vault::connect` waited for SQLCipher to be ready.

use chrono::{TimeZone, Utc};
use kapdesk_core::{Passphrase, Vault};
use std::sync::{Arc, Barrier};

#[test]
fn vaults_created_on_many_threads_at_once_all_take_their_key() {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let threads = 8;
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let path = dir.path().join(format!("v{t}.vault"));
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                Vault::create(&path, &Passphrase::new("correct horse battery staple"), now)
                    .map(|_| ())
                    .map_err(|e| format!("thread {t}: {e}"))
            })
        })
        .collect();
    let failures: Vec<String> = handles
        .into_iter()
        .filter_map(|h| h.join().expect("thread").err())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}
