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
    "list_clients",
    "get_client",
    "add_client",
    "update_client",
    "archive_client",
    "restore_client",
    "delete_client_permanently",
    "get_timeline",
    "start_course",
    "book_session",
    "set_session_status",
    "record_clearance",
    "record_prescription",
    "get_dashboard",
    "get_protocol_settings",
    "save_protocol_settings",
    "export_calendar",
    "get_consent",
    "update_consent_item",
    "sign_consent",
    "withdraw_consent",
    "get_consent_template",
    "save_consent_template",
    "print_consent_packet",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build configuration is valid");
}
