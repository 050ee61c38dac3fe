//! The desktop shell: a Tauri window hosting `ui/`, and commands that parse input,
//! call `kapdesk-core`, and map its errors to `{code, message, field}`. No SQL and no
//! business rules live here.

#[cfg(test)]
mod bindings;
mod clock;
mod commands;
mod error;
mod idle;
#[cfg(target_os = "linux")]
mod sleep;
mod state;

use std::sync::atomic::Ordering;
use std::time::Duration;

use kapdesk_core::model::safeguards::LockReason;
use tauri::{AppHandle, Emitter, Manager, RunEvent, Runtime, WindowEvent};

pub use error::ShellError;
pub use state::AppState;

/// How long the UI has to save what it holds when the window is closed.
const CLOSE_GRACE: Duration = Duration::from_secs(4);

/// Backs up (when a backup folder is set), locks the vault (checkpoint, key wiped) and
/// quits. A backup that fails does not keep the app open: the sentence is in the trail
/// of the next unlock's status, and the dashboard warns when backups grow old.
pub(crate) fn finish_close<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let _ = state.with_vault(|o| {
        if o.vault.guard_settings()?.backup_dir.is_some() {
            o.vault.backup_auto(None, &o.passphrase, clock::now())?;
        }
        Ok(())
    });
    state.lock(LockReason::Quit);
    app.exit(0);
}

/// Builds the app on any runtime, so tests can run every command on
/// `tauri::test::mock_builder()` without a window system.
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                // One local page and no browsing: WebKit's smallest cache model keeps no
                // back/forward page cache and a minimal memory cache.
                let _ = window.with_webview(|webview| {
                    use webkit2gtk::{WebContextExt, WebViewExt};
                    if let Some(context) = webview.inner().context() {
                        context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
                    }
                });
            }
            // WebKit keeps its data folder (caches, storage salts) under the user's data
            // dir. The UI stores nothing there (drafts go to the vault), and the folder is
            // made private all the same: 0700, so nobody else can list or read it.
            #[cfg(unix)]
            if let Ok(dir) = app.path().app_local_data_dir() {
                use std::os::unix::fs::PermissionsExt;
                if std::fs::create_dir_all(&dir).is_ok() {
                    let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
                }
            }
            idle::watch(app.handle().clone());
            #[cfg(target_os = "linux")]
            sleep::watch(app.handle().clone());
            Ok(())
        })
        // Closing the window mid-sentence must lose nothing: the UI is asked to save
        // what it holds first, and calls `finish_close`; if it does not answer within
        // a few seconds the app closes anyway (the last autosave is in the vault).
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                let state = window.state::<AppState>();
                if !state.may_be_open() {
                    return;
                }
                api.prevent_close();
                if !state.close_pending.swap(true, Ordering::SeqCst) {
                    // A running export stops (removing what it wrote) so the vault
                    // can be locked.
                    state.cancel_export.store(true, Ordering::SeqCst);
                    let _ = window.emit("close-requested", ());
                    let app = window.app_handle().clone();
                    std::thread::spawn(move || {
                        std::thread::sleep(CLOSE_GRACE);
                        finish_close(&app);
                    });
                }
            }
        })
        // Every `#[tauri::command]` in commands.rs, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
}

pub fn run() {
    // First of all: a crash must not leave the passphrase or decrypted pages in a core
    // file. Inherited by WebKit's processes, which hold what is on screen.
    if let Err(e) = kapdesk_core::hardening::forbid_core_dumps() {
        eprintln!("KAP Desk cannot start: core dumps could not be turned off ({e}).");
        std::process::exit(1);
    }
    // A forms app gains nothing from GPU compositing or WebKitGTK's DMA-BUF renderer.
    // Either can show a blank window on some Linux GPU drivers (NVIDIA, some Wayland
    // compositors, virtual machines, Xvfb), and both cost memory: the renderer alone is
    // about 5 MB of the app's idle footprint. A value the user set is left alone.
    #[cfg(target_os = "linux")]
    for flag in [
        "WEBKIT_DISABLE_COMPOSITING_MODE",
        "WEBKIT_DISABLE_DMABUF_RENDERER",
    ] {
        if std::env::var_os(flag).is_none() {
            // SAFETY: first thing in main, before GTK or any other thread starts.
            unsafe { std::env::set_var(flag, "1") };
        }
    }
    kapdesk_core::vault::writer::identify_as("the KAP Desk app");
    let state = match AppState::from_environment() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("KAP Desk cannot start: {e}");
            std::process::exit(1);
        }
    };
    let app = match app_builder(tauri::Builder::default(), state).build(tauri::generate_context!())
    {
        Ok(app) => app,
        Err(e) => {
            eprintln!("KAP Desk cannot start its window: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        // Close the vault cleanly on quit: the WAL is checkpointed and the key is
        // wiped from memory rather than left to process teardown.
        if let RunEvent::Exit = event {
            handle.state::<AppState>().lock(LockReason::Quit);
        }
    });
}

#[cfg(test)]
mod tests;
