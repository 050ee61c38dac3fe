// Every app command must be listed here: tauri-build turns the list into `allow-*`
// permissions, and only the ones granted in `capabilities/` are callable from the UI.
const COMMANDS: &[&str] = &[
    "app_status",
    "assess_passphrase",
    "create_vault",
    "unlock_vault",
    "lock_vault",
    "get_settings",
    "save_settings",
    "vault_info",
    "change_passphrase",
    "backup_vault",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build configuration is valid");
}
