//! Every command through Tauri's IPC on the mock runtime, with the real generated
//! context, so the capability file and the `{code, message, field}` mapping are what
//! the UI will actually get.

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::{InvokeRequest, WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, app_builder};

const PASS: &str = "orchard lanterns at dusk";

struct Harness {
    _dir: tempfile::TempDir,
    vault: std::path::PathBuf,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn harness_with_label(label: &str) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v/kapdesk.vault");
    let app = app_builder(mock_builder(), AppState::new(vault.clone()))
        .build(tauri::generate_context!())
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, label, Default::default())
        .build()
        .unwrap();
    Harness {
        _dir: dir,
        vault,
        _app: app,
        window,
    }
}

fn harness() -> Harness {
    harness_with_label("main")
}

impl Harness {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|b| b.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .err()
            .unwrap_or_else(|| panic!("{cmd} should have failed"))
    }

    fn create(&self) {
        self.ok(
            "create_vault",
            json!({"passphrase": PASS, "confirmation": PASS, "acknowledged": true}),
        );
    }
}

#[test]
fn first_run_creates_nothing_until_the_risk_is_acknowledged() {
    let h = harness();
    let status = h.ok("app_status", json!({}));
    assert_eq!(status["vaultExists"], false);
    assert_eq!(status["unlocked"], false);

    let e = h.err(
        "create_vault",
        json!({"passphrase": PASS, "confirmation": PASS, "acknowledged": false}),
    );
    assert_eq!(e["code"], "not_acknowledged");
    let e = h.err(
        "create_vault",
        json!({"passphrase": "short", "confirmation": "short", "acknowledged": true}),
    );
    assert_eq!(e["code"], "weak_passphrase");
    assert_eq!(e["field"], "passphrase");
    let e = h.err(
        "create_vault",
        json!({"passphrase": PASS, "confirmation": "other thing entirely", "acknowledged": true}),
    );
    assert_eq!(e["code"], "passphrase_mismatch");
    assert!(!h.vault.exists());

    h.create();
    assert!(h.vault.exists());
    let status = h.ok("app_status", json!({}));
    assert_eq!(status["unlocked"], true);
    assert_eq!(status["vaultPath"], h.vault.display().to_string());
}

#[test]
fn locking_closes_the_vault_and_a_wrong_passphrase_gets_the_core_sentence() {
    let h = harness();
    h.create();
    assert_eq!(h.ok("lock_vault", json!({}))["unlocked"], false);

    let e = h.err("get_settings", json!({}));
    assert_eq!(e["code"], "locked");
    assert!(e["message"].as_str().unwrap().contains("locked"));

    let e = h.err(
        "unlock_vault",
        json!({"passphrase": "not it, not even close"}),
    );
    assert_eq!(e["code"], "wrong_passphrase");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("does not open the vault")
    );
    assert!(!e.to_string().contains("not even close"));

    assert_eq!(
        h.ok("unlock_vault", json!({"passphrase": PASS}))["unlocked"],
        true
    );
}

#[test]
fn settings_are_validated_by_the_core_and_errors_name_the_field() {
    let h = harness();
    h.create();
    let mut s = h.ok("get_settings", json!({}));
    assert_eq!(s["crisisContacts"][0]["phone"], "988");
    assert_eq!(s["paperSize"], "letter");

    s["email"] = json!("nope");
    let e = h.err("save_settings", json!({"settings": s}));
    assert_eq!(e["code"], "invalid_input");
    assert_eq!(e["field"], "email");

    s["email"] = json!("maya@example.org");
    s["therapistName"] = json!("  Dr. Maya Okafor ");
    s["paperSize"] = json!("a4");
    let saved = h.ok("save_settings", json!({"settings": s}));
    assert_eq!(saved["therapistName"], "Dr. Maya Okafor");
    assert_eq!(h.ok("get_settings", json!({}))["paperSize"], "a4");

    let info = h.ok("vault_info", json!({}));
    assert_eq!(
        info["schemaVersion"],
        kapdesk_core::vault::migrations::latest_version()
    );
}

#[test]
fn changing_the_passphrase_requires_the_current_one() {
    let h = harness();
    h.create();
    let new = "a new and longer passphrase";
    let e = h.err(
        "change_passphrase",
        json!({"current": "wrong current passphrase", "passphrase": new, "confirmation": new}),
    );
    assert_eq!(e["code"], "wrong_passphrase");
    h.ok(
        "change_passphrase",
        json!({"current": PASS, "passphrase": new, "confirmation": new}),
    );
    h.ok("lock_vault", json!({}));
    assert_eq!(
        h.err("unlock_vault", json!({"passphrase": PASS}))["code"],
        "wrong_passphrase"
    );
    h.ok("unlock_vault", json!({"passphrase": new}));
}

#[test]
fn only_the_main_window_may_call_commands() {
    let h = harness_with_label("intruder");
    let e = h.call("app_status", json!({})).unwrap_err();
    assert!(e.to_string().contains("not allowed"), "{e}");
}

/// `capabilities/main.json` grants every command the handler knows (both come from
/// `commands.rs`, through build.rs): none is refused as "not allowed". Arguments are
/// left out, so most fail as locked or malformed, after the permission check.
#[test]
fn the_main_window_may_call_every_command() {
    let h = harness();
    // It would quit the test's app; its permission is checked by the bindings test.
    let skip = ["finish_close"];
    for cmd in crate::bindings::COMMANDS
        .iter()
        .filter(|c| !skip.contains(c))
    {
        if let Err(e) = h.call(cmd, json!({})) {
            let e = e.to_string();
            assert!(!e.contains("not allowed"), "{cmd}: {e}");
            assert!(!e.contains(&format!("Command {cmd} not found")), "{e}");
        }
    }
}

/// A dosing session booked with an override, through IPC; returns its id.
fn dosing_session(h: &Harness) -> String {
    let client = h.ok(
        "add_client",
        json!({"details": {
            "legalName": "Casey Nguyen", "preferredName": "", "pronouns": "",
            "dateOfBirth": "", "phone": "", "email": "", "address": "",
            "emergencyContact": {"name": "", "relation": "", "phone": ""},
            "rideHome": {"name": "Sam Rivera", "phone": "828-555-0101"},
            "prescriber": {"name": "", "organisation": "", "phone": ""},
            "referralSource": "", "presentingConcerns": "", "status": "preparation"
        }}),
    );
    let outcome = h.ok(
        "book_session",
        json!({"request": {
            "clientId": client["id"], "kind": "dosing", "date": "2026-01-05", "time": "10:00",
            "durationMin": null, "location": "Office", "overrideReason": "test"
        }}),
    );
    outcome["session"]["id"].as_str().unwrap().to_owned()
}

#[test]
fn the_dosing_record_and_the_discharge_rule_cross_ipc_as_sentences() {
    let h = harness();
    h.create();
    let s = dosing_session(&h);
    let e = h.err(
        "add_vitals",
        json!({"sessionId": s, "vitals": {"at": "10:05", "phase": "pre_dose",
               "bloodPressure": "400/20", "heartRate": 74, "spo2": null}}),
    );
    assert_eq!(e["code"], "invalid_input");
    assert_eq!(e["field"], "bloodPressure");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("400/20 is not a possible reading")
    );
    let r = h.ok(
        "add_vitals",
        json!({"sessionId": s, "vitals": {"at": "10:05", "phase": "pre_dose",
               "bloodPressure": "128/82", "heartRate": 74, "spo2": 98}}),
    );
    assert_eq!(r["vitals"][0]["systolic"], 128);
    let e = h.err(
        "set_session_status",
        json!({"sessionId": s, "status": "completed"}),
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("before the discharge checklist is done"),
        "{e}"
    );
    for check in ["effects_subsided", "steady_on_feet", "ride_present"] {
        h.ok(
            "set_dosing_check",
            json!({"sessionId": s, "check": check, "at": "12:55"}),
        );
    }
    let e = h.err("set_discharge_time", json!({"sessionId": s, "at": "13:00"}));
    assert_eq!(e["field"], "discharge");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("cannot be discharged yet"),
        "{e}"
    );
    h.ok(
        "add_vitals",
        json!({"sessionId": s, "vitals": {"at": "12:50", "phase": "discharge",
               "bloodPressure": "122/80", "heartRate": 70, "spo2": 98}}),
    );
    h.ok("set_discharge_time", json!({"sessionId": s, "at": "13:00"}));
    let watch = h.ok("get_dosing_watch", json!({"sessionId": s}));
    assert_eq!(watch["prompts"][2]["state"], "done", "{watch}");
    h.ok(
        "set_session_status",
        json!({"sessionId": s, "status": "completed"}),
    );
    assert_eq!(
        h.ok("get_dosing_record", json!({"sessionId": s}))["locked"],
        true
    );
}

#[test]
fn a_note_is_saved_signed_and_then_refused_through_ipc() {
    let h = harness();
    h.create();
    let s = dosing_session(&h);
    let note = h.ok("get_note", json!({"sessionId": s}));
    assert_eq!(note["state"], "none");
    let mut sections = note["sections"].clone();
    sections[0]["text"] = json!("Arrived calm.");
    let saved = h.ok(
        "save_note_draft",
        json!({"sessionId": s, "draft": {"format": note["format"], "sections": sections}}),
    );
    assert_eq!(saved["state"], "draft");
    let signed = h.ok("sign_note", json!({"sessionId": s}));
    assert_eq!(signed["state"], "signed");
    assert_eq!(signed["signature"]["sha256"].as_str().unwrap().len(), 64);
    let e = h.err(
        "save_note_draft",
        json!({"sessionId": s, "draft": {"format": "soap", "sections": sections}}),
    );
    assert!(e["message"].as_str().unwrap().contains("locked"), "{e}");
    let results = h.ok("search_notes", json!({"query": "calm"}));
    assert_eq!(results["more"], false);
    assert_eq!(results["hits"].as_array().unwrap().len(), 1);
    assert_eq!(results["hits"][0]["snippet"][1]["hit"], true);
}

/// Every lock says why, failed unlocks are counted at the next unlock, and the app
/// holds the vault: a restore from outside is refused while it is open.
#[test]
fn locks_and_unlocks_are_on_the_record_and_the_open_app_holds_the_vault() {
    use kapdesk_core::{Passphrase, Vault};
    let h = harness();
    h.create();
    let backup = h.vault.with_file_name("b.vault");
    h.ok("lock_vault", json!({}));
    let v = Vault::open(&h.vault, &Passphrase::new(PASS), chrono::Utc::now()).unwrap();
    v.backup_to(&backup, &Passphrase::new(PASS), chrono::Utc::now())
        .unwrap();
    v.close().unwrap();
    h.ok("unlock_vault", json!({"passphrase": PASS}));
    {
        // A second writer and a restore are refused while the app has the vault open;
        // a reader is not.
        let e = Vault::open(&h.vault, &Passphrase::new(PASS), chrono::Utc::now()).unwrap_err();
        assert!(matches!(e, kapdesk_core::Error::InUse { .. }), "{e:?}");
        let e = Vault::restore(
            &h.vault,
            &backup,
            &Passphrase::new(PASS),
            chrono::Utc::now(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("in use by"), "{e}");
        Vault::open_read_only(&h.vault, &Passphrase::new(PASS)).unwrap();
    }
    h.ok("lock_vault", json!({"reason": "idle"}));
    for _ in 0..2 {
        h.err(
            "unlock_vault",
            json!({"passphrase": "not the passphrase at all"}),
        );
    }
    h.ok("unlock_vault", json!({"passphrase": PASS}));
    let status = h.ok("lock_status", json!({}));
    assert!(status["locksInSeconds"].as_u64().unwrap() > 500, "{status}");
    assert_eq!(status["lockAfterMinutes"], 10);
    h.ok("lock_vault", json!({"reason": null}));

    let v = Vault::open_read_only(&h.vault, &Passphrase::new(PASS)).unwrap();
    let trail: Vec<(String, String)> = v
        .audit_entries(None)
        .unwrap()
        .into_iter()
        .map(|e| (e.event, e.detail))
        .filter(|(e, _)| e.contains("lock"))
        .collect();
    assert_eq!(
        trail[trail.len() - 4..],
        [
            ("locked".into(), "idle".into()),
            (
                "unlock_failed".into(),
                "2 wrong passphrase attempt(s) before this unlock".into()
            ),
            ("unlocked".into(), String::new()),
            ("locked".into(), "user".into()),
        ]
    );
}

/// While an export holds the vault (here: a thread holding it), the window still gets
/// answers: the app's status, Cancel, and the activity report that keeps it unlocked.
#[test]
fn a_busy_vault_does_not_hold_up_status_or_cancel() {
    use std::sync::mpsc;
    use std::time::Duration;
    use tauri::Manager;

    let h = harness();
    h.create();
    let handle = h._app.handle().clone();
    let (held_tx, held_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let state = handle.state::<AppState>();
        let _busy = state.slot();
        held_tx.send(()).unwrap();
        // Released when the window got its answers, or after a minute: the test then
        // fails below, since the answers only came once the vault was free.
        done_rx.recv_timeout(Duration::from_secs(60)).is_ok()
    });
    held_rx.recv().unwrap();
    let status = h.ok("app_status", json!({}));
    assert_eq!(status["unlocked"], true, "a busy vault counts as open");
    h.ok("cancel_export", json!({}));
    h.ok("report_activity", json!({}));
    h.ok("lock_status", json!({}));
    done_tx.send(()).unwrap();
    assert!(
        holder.join().unwrap(),
        "status and cancel waited for the vault"
    );
}

/// First run's "Explore a demo practice": the demo opens in a file of its own, the real
/// vault is never created, a restore is refused while the demo is open, and Lock brings
/// back the first-run screen. The second time, the same demo file is opened again.
#[test]
fn the_demo_practice_opens_beside_the_vault_and_never_becomes_it() {
    let h = harness();
    let status = h.ok("open_demo_practice", json!({}));
    assert_eq!(status["unlocked"], true, "{status}");
    assert_eq!(status["demo"], true, "{status}");
    assert_eq!(
        status["vaultExists"], false,
        "the real vault is not created"
    );
    assert!(h.vault.with_file_name("demo-practice.kapdesk").exists());
    let clients = h.ok(
        "list_clients",
        json!({"query": {"search": "", "status": null, "includeArchived": false, "sort": "name"}}),
    );
    assert!(
        clients.as_array().is_some_and(|c| c.len() >= 20),
        "a practice worth exploring: {clients}"
    );
    let refused = h.err(
        "restore_backup",
        json!({"path": "/nonexistent/backup.kapdesk"}),
    );
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("demo practice is open")),
        "{refused}"
    );
    h.ok("lock_vault", json!({}));
    let status = h.ok("app_status", json!({}));
    assert_eq!(status["demo"], false, "{status}");
    assert_eq!(status["unlocked"], false);
    assert_eq!(status["vaultExists"], false, "first run again");
    assert!(!h.vault.exists());

    let again = h.ok("open_demo_practice", json!({}));
    assert_eq!(again["demo"], true);
    h.ok("lock_vault", json!({}));
    // The real vault, once created, is no demo.
    h.create();
    assert_eq!(h.ok("app_status", json!({}))["demo"], false);
}

fn add_named_client(h: &Harness, name: &str) {
    h.ok(
        "add_client",
        json!({"details": {
            "legalName": name, "preferredName": "", "pronouns": "",
            "dateOfBirth": "", "phone": "", "email": "", "address": "",
            "emergencyContact": {"name": "", "relation": "", "phone": ""},
            "rideHome": {"name": "", "phone": ""},
            "prescriber": {"name": "", "organisation": "", "phone": ""},
            "referralSource": "", "presentingConcerns": "", "status": "inquiry"
        }}),
    );
}

fn client_names(h: &Harness) -> Vec<String> {
    let listed = h.ok(
        "list_clients",
        json!({"query": {"search": "", "status": null, "includeArchived": true, "sort": "name"}}),
    );
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["displayName"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_backup_is_shown_then_restored_in_the_app_with_the_current_vault_kept_aside() {
    let h = harness();
    h.create();
    add_named_client(&h, "Alma Reyes");
    let folder = h
        .vault
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("usb-drive");
    std::fs::create_dir_all(&folder).unwrap();
    let mut guard = h.ok("get_guard_settings", json!({}));
    guard["backupDir"] = json!(folder.display().to_string());
    h.ok("save_guard_settings", json!({"settings": guard}));
    h.ok("backup_now", json!({}));
    let backups = h.ok("list_backups", json!({}));
    let backup = backups[0]["path"].as_str().unwrap().to_owned();
    assert!(
        backup.starts_with(&folder.display().to_string()),
        "{backups}"
    );

    // Work done after the backup: a restore takes the vault back to before it.
    add_named_client(&h, "Bruno Vidal");
    assert_eq!(client_names(&h), ["Alma Reyes", "Bruno Vidal"]);
    let contents = h.ok("inspect_backup", json!({"path": backup}));
    assert_eq!(contents["clients"], 1, "{contents}");
    assert!(
        contents["integrity"]
            .as_str()
            .is_some_and(|i| i.contains("intact")),
        "{contents}"
    );

    let status = h.ok("restore_backup", json!({"path": backup}));
    assert_eq!(
        status["unlocked"], true,
        "the restored vault is open: {status}"
    );
    assert_eq!(client_names(&h), ["Alma Reyes"]);
    // The vault that was replaced is kept beside it, with Bruno in it.
    let kept: Vec<_> = std::fs::read_dir(h.vault.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    // A file that is not a backup changes nothing and says so.
    let e = h.err(
        "restore_backup",
        json!({"path": h.vault.with_file_name("nothing-here.kapdesk").display().to_string()}),
    );
    assert!(
        e["message"].as_str().is_some_and(|m| m.ends_with('.')),
        "{e}"
    );
    assert_eq!(h.ok("app_status", json!({}))["unlocked"], true);
    assert_eq!(client_names(&h), ["Alma Reyes"]);
}
