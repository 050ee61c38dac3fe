//! Locks when the computer goes to sleep and when the desktop's screen locks, by
//! listening to logind over D-Bus (`PrepareForSleep` on the manager, `Lock` on this
//! session), through zbus, which the app already carries for the opener plugin.
//!
//! Before sleep the app holds a *delay* inhibitor, so logind waits (up to its
//! `InhibitDelayMaxSec`, 5 s by default) while the UI saves its drafts and the vault
//! locks; the inhibitor is released as soon as it is locked and taken again on wake.
//! Where there is no system bus or no logind (some containers, other init systems),
//! nothing is heard and the settings screen says so: the idle lock still applies.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use kapdesk_core::model::safeguards::LockReason;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{OwnedFd, OwnedObjectPath};

use crate::state::AppState;

const LOGIND: &str = "org.freedesktop.login1";

/// What the settings screen says applies on this machine, set once the watchers start.
static WHAT_APPLIES: Mutex<Option<String>> = Mutex::new(None);

pub fn what_applies() -> String {
    WHAT_APPLIES
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .unwrap_or_else(|| {
            "Checking whether this computer reports sleep and screen locking…".into()
        })
}

fn set_what_applies(text: String) {
    *WHAT_APPLIES.lock().unwrap_or_else(|p| p.into_inner()) = Some(text);
}

pub fn watch<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || {
        let conn = match Connection::system() {
            Ok(c) => c,
            Err(_) => {
                set_what_applies(
                    "This computer does not report sleep or screen locking to KAP Desk (no system message bus), so only the idle lock applies. Lock KAP Desk before closing the lid."
                        .into(),
                );
                return;
            }
        };
        let sleep = watch_sleep(&app, conn.clone());
        let screen = watch_screen_lock(&app, conn);
        set_what_applies(
            match (sleep, screen) {
                (true, true) => "KAP Desk also locks when the computer goes to sleep and when the screen locks.",
                (true, false) => "KAP Desk also locks when the computer goes to sleep. This desktop does not report screen locking, so lock KAP Desk yourself when you step away.",
                (false, true) => "KAP Desk also locks when the screen locks. This computer does not report sleep, so lock KAP Desk before closing the lid.",
                (false, false) => "This computer does not report sleep or screen locking to KAP Desk, so only the idle lock applies. Lock KAP Desk before closing the lid.",
            }
            .into(),
        );
    });
}

fn manager(conn: &Connection) -> zbus::Result<Proxy<'static>> {
    Proxy::new(
        conn,
        LOGIND,
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
    )
}

fn inhibit(manager: &Proxy<'_>) -> Option<OwnedFd> {
    manager
        .call(
            "Inhibit",
            &(
                "sleep",
                "KAP Desk",
                "Saving drafts and locking the vault",
                "delay",
            ),
        )
        .ok()
}

/// `true` when the sleep signal is being listened to.
fn watch_sleep<R: Runtime>(app: &AppHandle<R>, conn: Connection) -> bool {
    let Ok(manager) = manager(&conn) else {
        return false;
    };
    let Ok(signals) = manager.receive_signal("PrepareForSleep") else {
        return false;
    };
    let app = app.clone();
    std::thread::spawn(move || {
        let mut inhibitor = inhibit(&manager);
        for message in signals {
            let Ok(going_to_sleep) = message.body().deserialize::<bool>() else {
                continue;
            };
            if going_to_sleep {
                lock_now(&app, LockReason::Suspend);
                // Releasing the delay lets the computer sleep.
                drop(inhibitor.take());
            } else {
                inhibitor = inhibit(&manager);
            }
        }
    });
    true
}

/// `true` when this session's `Lock` signal is being listened to.
fn watch_screen_lock<R: Runtime>(app: &AppHandle<R>, conn: Connection) -> bool {
    let Ok(manager) = manager(&conn) else {
        return false;
    };
    let Ok(path) = manager.call::<_, _, OwnedObjectPath>("GetSessionByPID", &(std::process::id()))
    else {
        return false;
    };
    let Ok(session) = Proxy::new(&conn, LOGIND, path, "org.freedesktop.login1.Session") else {
        return false;
    };
    let Ok(signals) = session.receive_signal("Lock") else {
        return false;
    };
    let app = app.clone();
    std::thread::spawn(move || {
        for _ in signals {
            lock_now(&app, LockReason::ScreenLocked);
        }
    });
    true
}

/// Asks the UI to save and lock, waits a moment for it, then locks regardless.
fn lock_now<R: Runtime>(app: &AppHandle<R>, reason: LockReason) {
    crate::idle::request_lock(app, reason);
    let state = app.state::<AppState>();
    let started = Instant::now();
    while state.may_be_open() && started.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(50));
    }
    if state.may_be_open() {
        state.lock(reason);
        let _ = app.emit("vault-locked", ());
    }
}
