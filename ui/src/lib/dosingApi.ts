// The dosing day. Every write answers with the whole record as Rust now has it, so
// the screen always shows what is stored (including warnings and what discharge still needs).
//
// Half-typed forms are kept inside the encrypted vault, never in the webview's storage
// (localStorage and the like are plaintext on disk).
//
// The wrappers (getDosingRecord, saveFormDraft, ...) are generated from
// src-tauri/src/commands.rs; this module stays so existing imports keep working.
export * from "./generated/commands";
