//! The desktop shell: a Tauri window hosting `ui/`, and commands that parse input,
//! call `kapdesk-core`, and map its errors to `{code, message, field}`. No SQL and no
//! business rules live here.

mod commands;
mod error;
mod state;

use tauri::{Manager, RunEvent, Runtime};

pub use error::ShellError;
pub use state::AppState;

/// Builds the app on any runtime, so tests can run every command on
/// `tauri::test::mock_builder()` without a window system.
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::assess_passphrase,
            commands::create_vault,
            commands::unlock_vault,
            commands::lock_vault,
            commands::get_settings,
            commands::save_settings,
            commands::vault_info,
            commands::change_passphrase,
            commands::backup_vault,
            commands::list_clients,
            commands::get_client,
            commands::add_client,
            commands::update_client,
            commands::archive_client,
            commands::restore_client,
            commands::delete_client_permanently,
            commands::get_timeline,
            commands::start_course,
            commands::book_session,
            commands::set_session_status,
            commands::record_clearance,
            commands::record_prescription,
            commands::record_consent,
            commands::get_dashboard,
            commands::get_protocol_settings,
            commands::save_protocol_settings,
            commands::export_calendar,
        ])
}

pub fn run() {
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
            handle.state::<AppState>().lock();
        }
    });
}

#[cfg(test)]
mod tests;
