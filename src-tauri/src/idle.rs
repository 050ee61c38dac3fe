//! The app locks by itself: after the practice's idle time with no key press, click or
//! scroll (HIPAA's automatic logoff), and when the computer goes to sleep or the screen
//! locks (`sleep.rs`). The UI only reports activity; the decision is made here.
//!
//! Locking goes through the UI first, as closing the window does: Rust emits
//! `lock-requested`, the UI saves every draft and calls `lock_vault`. Should the UI not
//! answer within a few seconds, Rust locks anyway (the last autosave is in the vault)
//! and emits `vault-locked`.

use std::sync::atomic::Ordering;
use std::time::Duration;

use kapdesk_core::model::safeguards::LockReason;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::AppState;

/// How long the UI has to save its drafts before Rust locks regardless.
const SAVE_GRACE: Duration = Duration::from_secs(4);

/// How often the watcher looks. Lock latency is at most this past the idle time.
const TICK: Duration = Duration::from_millis(500);

/// Time left before the idle lock; zero once it is due.
pub fn remaining(idle: Duration, lock_after: Duration) -> Duration {
    lock_after.saturating_sub(idle)
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct LockRequest {
    reason: LockReason,
}

/// Asks the UI to save and lock, and locks anyway after the grace period.
pub fn request_lock<R: Runtime>(app: &AppHandle<R>, reason: LockReason) {
    let state = app.state::<AppState>();
    if !state.may_be_open() || state.guard.lock_pending.swap(true, Ordering::SeqCst) {
        return;
    }
    let _ = app.emit("lock-requested", LockRequest { reason });
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(SAVE_GRACE);
        let state = app.state::<AppState>();
        if state.guard.lock_pending.load(Ordering::SeqCst) {
            state.lock(reason);
            let _ = app.emit("vault-locked", ());
        }
    });
}

/// Starts the watcher thread for the life of the app.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(TICK);
            let state = app.state::<AppState>();
            if !state.may_be_open() {
                continue;
            }
            if remaining(state.guard.idle_for(), state.guard.lock_after()).is_zero() {
                request_lock(&app, LockReason::Idle);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_due_exactly_when_the_idle_time_is_reached() {
        let after = Duration::from_secs(600);
        assert_eq!(
            remaining(Duration::from_secs(480), after),
            Duration::from_secs(120)
        );
        assert!(!remaining(Duration::from_secs(599), after).is_zero());
        assert!(remaining(Duration::from_secs(600), after).is_zero());
        assert!(remaining(Duration::from_secs(9_999), after).is_zero());
    }
}
