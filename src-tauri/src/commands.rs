//! One function per UI action: parse, call the core, map the error. Commands are async
//! so the key derivation (~200 ms) and disk work never run on the UI thread.

use chrono::Utc;
use kapdesk_core::{
    AppStatus, BackupOutcome, Passphrase, PassphraseAssessment, PracticeSettings, Vault, VaultInfo,
    assess_passphrase as assess,
};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::ShellError;
use crate::state::{AppState, Unlocked};

type Result<T> = std::result::Result<T, ShellError>;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus> {
    Ok(state.status())
}

#[tauri::command]
pub async fn assess_passphrase(passphrase: String) -> Result<PassphraseAssessment> {
    Ok(assess(&zeroize::Zeroizing::new(passphrase)))
}

#[tauri::command]
pub async fn create_vault(
    state: State<'_, AppState>,
    passphrase: String,
    confirmation: String,
    acknowledged: bool,
) -> Result<AppStatus> {
    if !acknowledged {
        return Err(kapdesk_core::Error::NotAcknowledged.into());
    }
    let passphrase = Passphrase::new_confirmed(passphrase, confirmation)?;
    let mut slot = state.slot();
    if slot.is_some() {
        return Err(ShellError::AlreadyUnlocked);
    }
    let vault = Vault::create(state.vault_path(), &passphrase, Utc::now())?;
    *slot = Some(Unlocked { vault, passphrase });
    drop(slot);
    Ok(state.status())
}

#[tauri::command]
pub async fn unlock_vault(state: State<'_, AppState>, passphrase: String) -> Result<AppStatus> {
    let passphrase = Passphrase::new(passphrase);
    let mut slot = state.slot();
    if slot.is_none() {
        let vault = Vault::open(state.vault_path(), &passphrase, Utc::now())?;
        *slot = Some(Unlocked { vault, passphrase });
    }
    drop(slot);
    Ok(state.status())
}

#[tauri::command]
pub async fn lock_vault(state: State<'_, AppState>) -> Result<AppStatus> {
    state.lock();
    Ok(state.status())
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Result<PracticeSettings> {
    state.with_vault(|o| Ok(o.vault.settings()?))
}

#[tauri::command]
pub async fn save_settings(
    state: State<'_, AppState>,
    settings: PracticeSettings,
) -> Result<PracticeSettings> {
    state.with_vault(|o| Ok(o.vault.save_settings(settings, Utc::now())?))
}

#[tauri::command]
pub async fn vault_info(state: State<'_, AppState>) -> Result<VaultInfo> {
    state.with_vault(|o| Ok(o.vault.info()?))
}

#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    passphrase: String,
    confirmation: String,
) -> Result<()> {
    let new = Passphrase::new_confirmed(passphrase, confirmation)?;
    state.with_vault(|o| {
        // Asking for the current passphrase again stops someone at an unlocked, unattended
        // laptop from taking the vault over.
        o.vault.check_passphrase(&Passphrase::new(current))?;
        o.vault.change_passphrase(&new, Utc::now())?;
        o.passphrase = new;
        Ok(())
    })
}

/// Asks where to save (a native dialog, opened from Rust so the UI never names paths),
/// then writes a verified encrypted backup. `None` when the user cancels.
#[tauri::command]
pub async fn backup_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<BackupOutcome>> {
    if state.slot().is_none() {
        return Err(ShellError::Locked);
    }
    let suggested = format!("kapdesk-backup-{}.vault", Utc::now().format("%Y-%m-%d"));
    let (tx, rx) = std::sync::mpsc::channel();
    // Asynchronous dialog: a blocking one can hang on Linux (plugins-workspace #956).
    app.dialog()
        .file()
        .set_title("Save an encrypted backup of the vault")
        .set_file_name(&suggested)
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let chosen = tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .map_err(|e| ShellError::Dialog(e.to_string()))?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let dest = chosen
        .into_path()
        .map_err(|e| ShellError::Dialog(e.to_string()))?;
    state.with_vault(|o| Ok(Some(o.vault.backup_to(&dest, &o.passphrase, Utc::now())?)))
}
