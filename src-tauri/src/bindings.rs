//! The UI's command wrappers and the capability's permission list, generated from
//! `commands.rs` by `build.rs` (see its header for why this is not tauri-specta).
//!
//! Both are committed: `ui/src/lib/generated/commands.ts` and the `permissions` of
//! `capabilities/main.json`. The test below fails when either differs from what the
//! commands now say; run `KAPDESK_UPDATE_BINDINGS=1 cargo test -p kapdesk --lib bindings`
//! to refresh them (the same convention as the core's type bindings).

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Every command's name, in `commands.rs` order.
pub(crate) const COMMANDS: &[&str] = include!(concat!(env!("OUT_DIR"), "/command_names.rs"));

/// The wrappers build.rs generated for the commands now in `commands.rs`.
const COMMANDS_TS: &str = include_str!(concat!(env!("OUT_DIR"), "/commands.ts"));

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The permission tauri-build generates for a command (`allow-` and the name in kebab case).
pub(crate) fn allow_permission(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// An app command's own permission, as opposed to a plugin's (`core:event:allow-listen`).
fn is_command_permission(p: &Value) -> bool {
    p.as_str()
        .is_some_and(|s| s.starts_with("allow-") && !s.contains(':'))
}

/// `capabilities/main.json` with its `permissions` made `allow-*` for every command,
/// in command order, followed by the other permissions it already grants (plugins'),
/// as they were. Everything outside the list is left as written.
fn capability_with_commands(text: &str) -> Result<String, String> {
    let json: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let others: Vec<&Value> = json["permissions"]
        .as_array()
        .ok_or("no \"permissions\" array")?
        .iter()
        .filter(|p| !is_command_permission(p))
        .collect();
    let key = "\"permissions\": [";
    let start = text.find(key).ok_or("no `\"permissions\": [` line")? + key.len();
    let end =
        start + closing_bracket(&text[start..]).ok_or("the permissions array never closes")?;
    let mut entries: Vec<String> = COMMANDS
        .iter()
        .map(|c| Value::String(allow_permission(c)).to_string())
        .collect();
    entries.extend(others.iter().map(|p| p.to_string()));
    let list = entries
        .iter()
        .map(|e| format!("    {e}"))
        .collect::<Vec<_>>()
        .join(",\n");
    Ok(format!("{}\n{list}\n  {}", &text[..start], &text[end..]))
}

/// Where the array whose body starts `text` ends (its `]`), skipping strings.
fn closing_bracket(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text.char_indices() {
        match (in_string, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, '[' | '{') => depth += 1,
            (false, ']' | '}') if depth == 0 => return Some(i),
            (false, ']' | '}') => depth -= 1,
            (false, _) => {}
        }
    }
    None
}

/// Compares (or, when updating, rewrites) one committed file; names it when stale.
fn check(path: &Path, expected: &str, update: bool, stale: &mut Vec<String>) {
    if update {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, expected).unwrap();
    } else if std::fs::read_to_string(path).ok().as_deref() != Some(expected) {
        let shown = path.strip_prefix(repo()).unwrap_or(path);
        stale.push(shown.display().to_string());
    }
}

#[test]
fn committed_command_wrappers_and_permissions_match_commands_rs() {
    let update = std::env::var_os("KAPDESK_UPDATE_BINDINGS").is_some();
    let mut stale = Vec::new();
    check(
        &repo().join("ui/src/lib/generated/commands.ts"),
        COMMANDS_TS,
        update,
        &mut stale,
    );
    let capability = repo().join("capabilities/main.json");
    let text = std::fs::read_to_string(&capability).unwrap();
    let expected =
        capability_with_commands(&text).unwrap_or_else(|e| panic!("{}: {e}", capability.display()));
    check(&capability, &expected, update, &mut stale);
    assert!(
        stale.is_empty(),
        "Generated from src-tauri/src/commands.rs but stale: {stale:?}. Run \
         KAPDESK_UPDATE_BINDINGS=1 cargo test -p kapdesk --lib bindings and commit them."
    );
}

/// The wrappers import each type from its ts-rs file, which the core generates.
#[test]
fn every_type_the_wrappers_name_has_a_binding() {
    let bindings = repo().join("ui/src/lib/bindings");
    let missing: Vec<&str> = COMMANDS_TS
        .lines()
        .filter_map(|l| l.strip_prefix("import type { "))
        .filter_map(|l| l.split(' ').next())
        .filter(|t| !bindings.join(format!("{t}.ts")).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "Commands use types with no TypeScript binding: {missing:?}. Add them to \
         src-tauri/core/src/bindings.rs and run its KAPDESK_UPDATE_BINDINGS=1 test."
    );
}

#[test]
fn the_capability_splice_keeps_plugin_permissions_and_drops_gone_commands() {
    let text = "{\n  \"windows\": [\"main\"],\n  \"permissions\": [\n    \"allow-gone\",\n    \
                \"core:event:allow-listen\",\n    {\"identifier\": \"x:y\", \"allow\": [{\"path\": \"a]\"}]}\n  ],\n  \"z\": 1\n}\n";
    let out = capability_with_commands(text).unwrap();
    let json: Value = serde_json::from_str(&out).unwrap();
    let permissions = json["permissions"].as_array().unwrap();
    assert_eq!(permissions.len(), COMMANDS.len() + 2);
    assert_eq!(permissions[0], allow_permission(COMMANDS[0]).as_str());
    assert_eq!(permissions[COMMANDS.len()], "core:event:allow-listen");
    assert_eq!(permissions[COMMANDS.len() + 1]["allow"][0]["path"], "a]");
    assert_eq!(json["z"], 1);
    assert!(!out.contains("allow-gone"));
}
