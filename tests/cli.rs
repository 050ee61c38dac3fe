//! The `kapdesk` CLI as a user runs it: exit codes, messages and what lands on disk.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

#[path = "support.rs"]
mod support;

use support::Sandbox;

const PASS: &str = "river stones and lanterns";

struct Cli {
    sandbox: Sandbox,
}

impl Cli {
    fn new() -> Self {
        Cli {
            sandbox: Sandbox::new(),
        }
    }

    fn vault(&self) -> String {
        self.sandbox
            .path("vault/kapdesk.vault")
            .display()
            .to_string()
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kapdesk"));
        self.sandbox.apply(&mut cmd);
        cmd.env("KAPDESK_VAULT", self.vault()).args(args);
        cmd
    }

    fn run(&self, pass: Option<&str>, args: &[&str]) -> Output {
        let mut cmd = self.cmd(args);
        if let Some(p) = pass {
            cmd.env("KAPDESK_PASSPHRASE", p);
        }
        cmd.output().expect("kapdesk runs")
    }

    fn init(&self) {
        let out = self.run(Some(PASS), &["init"]);
        assert_ok(&out);
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

/// One clear line on stderr, no Rust debug output, no panic text.
fn assert_one_clear_line(o: &Output) {
    let err = stderr(o);
    assert_eq!(
        err.lines().count(),
        1,
        "expected one line on stderr, got:\n{err}"
    );
    assert!(err.starts_with("kapdesk: "), "{err}");
    for noise in [
        "panicked",
        "Error {",
        "SqliteFailure",
        "RUST_BACKTRACE",
        "hmac check",
    ] {
        assert!(!err.contains(noise), "debug output leaked: {err}");
    }
}

#[test]
fn init_creates_an_encrypted_private_vault_and_refuses_to_overwrite_it() {
    let cli = Cli::new();
    let out = cli.run(Some(PASS), &["init"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("Created an encrypted vault"));
    let bytes = fs::read(cli.vault()).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert_eq!(
        fs::metadata(cli.vault()).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let again = cli.run(Some(PASS), &["init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));
    assert_one_clear_line(&again);
    assert_eq!(fs::read(cli.vault()).unwrap(), bytes);
}

#[test]
fn init_refuses_a_short_passphrase() {
    let cli = Cli::new();
    let out = cli.run(Some("short"), &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("at least 12 characters"));
    assert!(!std::path::Path::new(&cli.vault()).exists());
}

#[test]
fn info_reports_format_and_contents_as_text_and_json() {
    let cli = Cli::new();
    cli.init();
    let out = cli.run(Some(PASS), &["info", "--json"]);
    assert_ok(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["path"], cli.vault());
    let migrations = fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/migrations"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count();
    assert_eq!(
        v["schemaVersion"], migrations,
        "the vault is at the newest schema"
    );
    assert!(v["sqlcipherVersion"].as_str().unwrap().starts_with("4."));
    let tables = v["tables"].as_array().unwrap();
    assert!(
        tables
            .iter()
            .any(|t| t["table"] == "practice_settings" && t["rows"] == 1)
    );

    let text = cli.run(Some(PASS), &["info"]);
    assert_ok(&text);
    assert!(stdout(&text).contains("SQLCipher 4."));
}

#[test]
fn a_wrong_passphrase_exits_3_with_one_sentence_and_changes_nothing() {
    let cli = Cli::new();
    cli.init();
    let before = fs::read(cli.vault()).unwrap();
    let out = cli.run(Some("this is not it at all"), &["info"]);
    assert_eq!(out.status.code(), Some(3));
    assert_one_clear_line(&out);
    assert!(stderr(&out).contains("does not open the vault"));
    assert!(
        !stderr(&out).contains("this is not it"),
        "passphrase echoed"
    );
    assert_eq!(fs::read(cli.vault()).unwrap(), before);
}

#[test]
fn a_damaged_or_foreign_file_exits_4() {
    let cli = Cli::new();
    fs::create_dir_all(cli.sandbox.path("vault")).unwrap();
    fs::write(cli.vault(), b"not a vault, just some text").unwrap();
    let out = cli.run(Some(PASS), &["info"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_one_clear_line(&out);
    assert!(stderr(&out).contains("not a KAP Desk vault"));

    let out = cli.run(Some(PASS), &["verify"]);
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn verify_exits_4_when_a_page_was_flipped() {
    let cli = Cli::new();
    cli.init();
    let mut bytes = fs::read(cli.vault()).unwrap();
    let last = bytes.len() / 4096 - 1;
    bytes[last * 4096 + 64] ^= 0x20;
    fs::write(cli.vault(), &bytes).unwrap();
    let out = cli.run(Some(PASS), &["verify"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_one_clear_line(&out);
    assert!(stderr(&out).contains("damaged"));
}

#[test]
fn usage_errors_exit_2() {
    let cli = Cli::new();
    let out = cli.run(None, &["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cli.run(None, &["backup"]);
    assert_eq!(out.status.code(), Some(2), "missing -o");
}

#[test]
fn without_a_passphrase_or_terminal_it_says_how_to_give_one_instead_of_waiting() {
    let cli = Cli::new();
    cli.init();
    let out = cli.run(None, &["info"]);
    assert_eq!(out.status.code(), Some(2));
    assert_one_clear_line(&out);
    assert!(stderr(&out).contains("KAPDESK_PASSPHRASE"));
}

#[test]
fn passwd_changes_the_passphrase_and_a_passphrase_file_works() {
    let cli = Cli::new();
    cli.init();
    let new = "a different long passphrase";
    let mut cmd = cli.cmd(&["passwd"]);
    cmd.env("KAPDESK_PASSPHRASE", PASS)
        .env("KAPDESK_NEW_PASSPHRASE", new);
    assert_ok(&cmd.output().unwrap());

    assert_eq!(cli.run(Some(PASS), &["info"]).status.code(), Some(3));
    let file = cli.sandbox.path("pass.txt");
    fs::write(&file, format!("{new}\n")).unwrap();
    let out = cli.run(None, &["--passphrase-file", file.to_str().unwrap(), "info"]);
    assert_ok(&out);
}

#[test]
fn backup_verify_and_restore_round_trip_through_the_cli() {
    let cli = Cli::new();
    cli.init();
    let backup = cli.sandbox.path("backups/monday.vault");
    fs::create_dir_all(backup.parent().unwrap()).unwrap();
    let b = backup.to_str().unwrap();

    let out = cli.run(Some(PASS), &["backup", "-o", b]);
    assert_ok(&out);
    assert!(stdout(&out).contains("verified"));
    assert_eq!(
        fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Refuses to overwrite without --force.
    let again = cli.run(Some(PASS), &["backup", "-o", b]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("--force"));

    let out = cli.run(Some(PASS), &["verify", b, "--json"]);
    assert_ok(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["pages"].as_u64().unwrap() > 1);

    let out = cli.run(Some(PASS), &["restore", b]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(text.contains("is kept at"), "{text}");
    let kept = fs::read_dir(cli.sandbox.path("vault"))
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(kept, "the replaced vault must be kept");
    assert_ok(&cli.run(Some(PASS), &["verify"]));
}

#[test]
fn the_default_vault_lives_in_the_platform_data_dir() {
    let cli = Cli::new();
    let mut cmd = cli.cmd(&["init"]);
    cmd.env_remove("KAPDESK_VAULT")
        .env("KAPDESK_PASSPHRASE", PASS);
    let out = cmd.output().unwrap();
    assert_ok(&out);
    let expected = cli.sandbox.path("home/.local/share/kapdesk/kapdesk.vault");
    assert!(expected.exists(), "{}", stdout(&out));
    let dir_mode = fs::metadata(expected.parent().unwrap())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dir_mode, 0o700);
}

/// The walk: a client from inquiry to the integration after their first dosing,
/// entirely through the CLI.
#[test]
fn a_client_walks_from_preparation_to_integration_and_a_dosing_waits_for_the_gates() {
    let cli = Cli::new();
    cli.init();
    let run = |args: &[&str]| {
        let out = cli.run(Some(PASS), args);
        assert_ok(&out);
        stdout(&out).trim().to_owned()
    };
    // A refusal exits 1 with the sentence that says why.
    let refused = |args: &[&str], why: &str| {
        let out = cli.run(Some(PASS), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
    };
    assert_eq!(run(&["timezone", "America/New_York"]), "America/New_York");
    run(&[
        "settings",
        "--therapist",
        "Dr. Maya Okafor",
        "--phone",
        "828-555-0100",
        "--medical-team",
        "Watershed|828-555-0199",
    ]);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();

    let id = run(&[
        "client",
        "add",
        "--name",
        "Morgan Ashby-Whitfield",
        "--preferred",
        "Mo",
        "--dob",
        "1986-04-12",
        "--emergency",
        "Sam Ashby|partner|828-555-0101",
        "--ride",
        "Sam Ashby|828-555-0101",
        "--status",
        "preparation",
    ]);
    assert_eq!(id.len(), 36, "the id alone on stdout: {id}");

    for offset in [-30, -23, -16, -9] {
        let at = format!("{} 10:00", day(offset));
        let session = run(&[
            "session",
            "add",
            "Morgan",
            "--kind",
            "preparation",
            "--at",
            &at,
        ]);
        run(&["session", "complete", &session]);
    }

    // A completion made by mistake comes back with a reason, and is completed again.
    let prep = run(&[
        "session",
        "add",
        "Morgan",
        "--kind",
        "preparation",
        "--at",
        &format!("{} 15:00", day(-9)),
    ]);
    run(&["session", "complete", &prep]);
    let reopened = run(&[
        "session",
        "reopen",
        &prep,
        "--reason",
        "Marked on the wrong row",
    ]);
    assert!(reopened.contains("is booked again"), "{reopened}");
    run(&["session", "cancel", &prep]);

    // A follow-up booked for next week moves to the week after; the move is said plainly.
    let follow_up = run(&[
        "session",
        "add",
        "Morgan",
        "--kind",
        "follow-up",
        "--at",
        &format!("{} 11:00", day(7)),
    ]);
    let moved = run(&[
        "session",
        "move",
        &follow_up,
        "--at",
        &format!("{} 15:30", day(14)),
    ]);
    assert_eq!(
        moved.trim(),
        format!("Follow-up 1 moved to {} at 15:30.", day(14))
    );
    refused(
        &["session", "move", &follow_up, "--at", "2027-02-30 10:00"],
        "February 2027 has no day 30",
    );

    // All preparation done, but clearance, prescription and consent are missing.
    let at = format!("{} 09:00", day(-3));
    let first = cli.run(
        Some(PASS),
        &["session", "add", &id, "--kind", "dosing", "--at", &at],
    );
    assert_eq!(first.status.code(), Some(1));
    assert_one_clear_line(&first);
    let why = stderr(&first);
    for gate in [
        "Informed consent",
        "Medical clearance",
        "Release of information (no signed release of information to the partner medical team)",
        "Prescription",
        "Baseline measures (no baseline PHQ-9, GAD-7 and PCL-5 on file)",
    ] {
        assert!(why.contains(gate), "{gate} missing: {why}");
    }
    assert!(
        !why.contains("Preparation sessions ("),
        "preparation is done: {why}"
    );

    run(&[
        "clearance",
        "set",
        "Mo",
        "--clinician",
        "Dr. Lee",
        "--org",
        "Watershed",
        "--date",
        &day(-20),
        "--valid-until",
        &day(180),
    ]);
    run(&[
        "prescription",
        "set",
        "Mo",
        "--medication",
        "Ketamine",
        "--route",
        "sublingual",
        "--dose",
        "as prescribed",
        "--prescriber",
        "Dr. Lee",
        "--date",
        &day(-15),
        "--medication-instruction",
        "Skip your evening clonazepam the night before.",
    ]);
    run(&[
        "release",
        "set",
        "Mo",
        "--to",
        "Watershed Healing Collective",
        "--share",
        "Screening, progress, dosing records and safety concerns",
        "--date",
        &day(-14),
        "--valid-until",
        &day(350),
    ]);
    let status: serde_json::Value =
        serde_json::from_str(&run(&["consent", "status", "Mo", "--json"])).unwrap();
    let items: Vec<String> = status["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(items.len(), 29);
    refused(
        &["consent", "sign", "Mo", "--method", "paper"],
        "29 of 29 items are not yet discussed",
    );
    for item in &items {
        run(&["consent", "discuss", "Mo", item, "--date", &day(-9)]);
    }
    run(&[
        "consent",
        "sign",
        "Mo",
        "--method",
        "paper",
        "--date",
        &day(-9),
        "--attested-by",
        "Dr. Okafor",
    ]);
    let packet = cli.sandbox.path("consent.pdf");
    run(&["consent", "print", "Mo", "-o", packet.to_str().unwrap()]);
    assert!(fs::read(&packet).unwrap().starts_with(b"%PDF-"));
    assert_eq!(
        fs::metadata(&packet).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // The baseline measures, given in the last preparation session.
    for (instrument, answers) in [
        ("phq9", "2,2,2,1,2,1,2,1,0"),
        ("gad7", "2,2,1,2,1,1,1"),
        ("pcl5", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"),
    ] {
        run(&[
            "measure",
            "add",
            "Mo",
            "--instrument",
            instrument,
            "--answers",
            answers,
            "--at",
            &day(-9),
        ]);
    }

    let booked = cli.run(
        Some(PASS),
        &["session", "add", &id, "--kind", "dosing", "--at", &at],
    );
    assert!(booked.status.success(), "{}", stderr(&booked));
    let dosing = stdout(&booked).trim().to_owned();
    // Its integration is offered, with the command that books it.
    assert!(
        stderr(&booked).contains("Integration after Dosing 1 is due from")
            && stderr(&booked).contains("--kind integration --at"),
        "{}",
        stderr(&booked)
    );
    // The dosing day: vitals are validated, and completing waits for discharge.
    let bad = cli.run(
        Some(PASS),
        &["dosing", "vitals", &dosing, "--bp", "400/20", "--hr", "74"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert_one_clear_line(&bad);
    assert!(
        stderr(&bad).contains("400/20 is not a possible reading"),
        "{}",
        stderr(&bad)
    );
    run(&[
        "dosing", "vitals", &dosing, "--bp", "128/82", "--hr", "74", "--at", "09:05",
    ]);
    run(&["dosing", "check", &dosing, "fasting", "--at", "09:00"]);
    run(&[
        "dosing",
        "medication",
        &dosing,
        "--name",
        "Ketamine",
        "--route",
        "sublingual",
        "--dose-mg",
        "100",
        "--units",
        "2",
        "--at",
        "09:12",
    ]);
    run(&[
        "dosing",
        "plan",
        &dosing,
        "--intention",
        "To meet the grief with curiosity.",
    ]);
    refused(
        &["session", "complete", &dosing],
        "before the discharge checklist is done",
    );
    // A moderate adverse event says when the prescriber was told.
    refused(
        &[
            "dosing",
            "event",
            &dosing,
            "nausea",
            "--severity",
            "moderate",
            "--action",
            "Bowl within reach",
        ],
        "write the time they were informed",
    );
    run(&[
        "dosing",
        "event",
        &dosing,
        "nausea",
        "--severity",
        "moderate",
        "--action",
        "Bowl within reach",
        "--prescriber-informed",
        "10:05",
        "--at",
        "10:00",
    ]);
    // The vital-signs schedule, and discharge waits for its reading.
    let schedule = run(&["dosing", "show", &dosing]);
    assert!(
        schedule.contains("Before the dose: taken at 09:05")
            && schedule.contains("About 40 minutes after the dose (09:52)")
            && schedule.contains("Before discharge: needed before discharge"),
        "{schedule}"
    );
    refused(
        &["dosing", "discharge", &dosing, "--at", "12:10"],
        "cannot be discharged yet",
    );
    run(&[
        "dosing",
        "vitals",
        &dosing,
        "--bp",
        "122/80",
        "--hr",
        "70",
        "--at",
        "12:05",
        "--phase",
        "discharge",
    ]);
    let shown = run(&["dosing", "discharge", &dosing, "--at", "12:10"]);
    assert!(
        shown.contains("(moderate). Action: Bowl within reach. Prescriber informed at 10:05."),
        "{shown}"
    );
    assert!(
        shown.contains("BP 128/82, HR 74") && shown.contains("Ketamine 100 mg"),
        "{shown}"
    );
    let handout = cli.sandbox.path("handout.pdf");
    run(&[
        "handout",
        "Mo",
        "--session",
        &dosing,
        "-o",
        handout.to_str().unwrap(),
    ]);
    let text = pdf_extract::extract_text_from_mem(&fs::read(&handout).unwrap()).unwrap();
    assert!(
        text.contains("Sam Ashby") && text.contains("curiosity"),
        "{text}"
    );
    assert!(
        text.contains("Skip your evening clonazepam the night before."),
        "the prescriber's instruction from `prescription set`: {text}"
    );
    run(&["session", "complete", &dosing]);
    let record: serde_json::Value =
        serde_json::from_str(&run(&["dosing", "show", &dosing, "--json"])).unwrap();
    assert_eq!(record["locked"], true);
    assert_eq!(record["vitals"][0]["systolic"], 128);
    // A completed dosing is closed for good: cancelling it is refused with a sentence.
    refused(
        &["session", "cancel", &dosing],
        "completed and closed for good",
    );
    refused(
        &["session", "reopen", &dosing, "--reason", "wrong row"],
        "closed for good",
    );

    // The note: written from a file, signed, amended, found, exported.
    let draft = cli.sandbox.path("note.md");
    fs::write(
        &draft,
        "## Subjective\nArrived rested; named the lighthouse image.\n\n## Plan\nIntegration in two days.\n",
    )
    .unwrap();
    run(&["note", "write", &dosing, "--from", draft.to_str().unwrap()]);
    let signed = run(&["note", "sign", &dosing]);
    assert!(signed.contains("SHA-256"), "{signed}");
    refused(
        &["note", "write", &dosing, "--from", draft.to_str().unwrap()],
        "locked",
    );
    fs::write(&draft, "The image was a harbour light, not a lighthouse.").unwrap();
    run(&[
        "note",
        "addendum",
        &dosing,
        "--from",
        draft.to_str().unwrap(),
    ]);
    let found = run(&["notes", "search", "harbour"]);
    assert!(
        found.contains("(addendum 1)") && found.contains("[harbour]"),
        "{found}"
    );
    let out = cli.sandbox.path("export");
    let exported = run(&[
        "notes",
        "export",
        "--client",
        "Mo",
        "--format",
        "md",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(exported.contains("not encrypted"), "{exported}");
    let md_path = fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
    let md = fs::read_to_string(&md_path).unwrap();
    assert!(
        md.contains("lighthouse image") && md.contains("Addendum 1") && md.contains("BP 128/82"),
        "{md}"
    );
    assert_eq!(
        fs::metadata(&md_path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let t: serde_json::Value = serde_json::from_str(&run(&["timeline", &id, "--json"])).unwrap();
    assert_eq!(t["phaseLabel"], "Integration after dosing 1 of 6");
    assert_eq!(t["integration"][0]["state"], "not_booked");
    assert_eq!(t["integration"][0]["windowStart"], day(-1));
    assert_eq!(t["nextStep"]["suggestion"]["kind"], "integration");
    // Before dosing 2 every check is in place but the integration after dosing 1.
    let gates = t["gates"].as_array().unwrap();
    assert_eq!(gates.len(), 6, "every check is listed: {}", t["gates"]);
    let open: Vec<&serde_json::Value> = gates.iter().filter(|g| g["open"] == true).collect();
    assert_eq!(open.len(), 1, "{}", t["gates"]);
    assert_eq!(open[0]["kind"], "integration_after_previous");
    assert_eq!(open[0]["title"], "Integration after dosing 1");

    let human = run(&["timeline", "Mo"]);
    assert!(
        human.contains("Next step: Book the integration session for dosing 1"),
        "{human}"
    );

    // The calendar shows initials by default, and the file is private.
    run(&[
        "session",
        "add",
        &id,
        "--kind",
        "integration",
        "--at",
        &format!("{} 11:00", day(1)),
    ]);
    let ics = cli.sandbox.path("sessions.ics");
    let written = run(&["calendar", "-o", ics.to_str().unwrap()]);
    assert!(written.contains("not encrypted"), "{written}");
    let text = fs::read_to_string(&ics).unwrap();
    assert!(
        text.contains("BEGIN:VCALENDAR") && text.contains("Integration 1 \u{2014} M.A.W."),
        "{text}"
    );
    assert!(!text.contains("Morgan"), "full names only on request");
    assert_eq!(
        fs::metadata(&ics).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn an_impossible_date_or_an_ambiguous_name_gets_a_clear_sentence() {
    let cli = Cli::new();
    cli.init();
    let out = cli.run(
        Some(PASS),
        &[
            "client",
            "add",
            "--name",
            "Pat Jones",
            "--dob",
            "1990-02-30",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_one_clear_line(&out);
    assert!(
        stderr(&out).contains("February 1990 has no day 30."),
        "{}",
        stderr(&out)
    );

    for name in ["Pat Jones", "Pat Smith"] {
        assert_ok(&cli.run(Some(PASS), &["client", "add", "--name", name]));
    }
    let out = cli.run(Some(PASS), &["timeline", "Pat"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("matches 2 clients"),
        "{}",
        stderr(&out)
    );
}

/// Another SQLCipher client with the passphrase: drops the audit log's triggers and
/// runs `sql`, as someone who holds the passphrase could.
fn tamper_with_the_audit_log(vault: &str, sql: &str) {
    let raw = rusqlite::Connection::open(vault).unwrap();
    raw.pragma_update(None, "key", PASS).unwrap();
    raw.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_is_append_only_update;
         DROP TRIGGER IF EXISTS audit_log_is_append_only_delete;",
    )
    .unwrap();
    raw.execute_batch(sql).unwrap();
}

#[test]
fn audit_verify_names_the_first_bad_entry_and_checks_against_a_backup_or_an_export() {
    let cli = Cli::new();
    cli.init();
    for name in ["Morgan Ashby", "Casey Nguyen", "Jordan Lee"] {
        assert_ok(&cli.run(Some(PASS), &["client", "add", "--name", name]));
    }
    let out = cli.run(Some(PASS), &["audit", "verify"]);
    assert_ok(&out);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with(
            "The audit trail is intact: 4 entries, each sealed to the one before; head "
        ),
        "{text}"
    );

    // The list: every entry, or one client's.
    let out = cli.run(Some(PASS), &["audit", "list"]);
    assert_ok(&out);
    let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[0].starts_with("1  ") && lines[0].ends_with("  vault_created"));
    let out = cli.run(
        Some(PASS),
        &["audit", "list", "--client", "Casey", "--json"],
    );
    assert_ok(&out);
    let casey: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let casey = casey.as_array().unwrap();
    assert_eq!(casey.len(), 1, "{casey:?}");
    assert_eq!(casey[0]["number"], 3);
    assert_eq!(casey[0]["event"], "client_created");

    // Anchors that leave the machine: a backup, then a record request.
    let monday = cli.sandbox.path("monday.vault");
    let monday = monday.to_str().unwrap();
    assert_ok(&cli.run(Some(PASS), &["backup", "-o", monday]));
    let record = cli.sandbox.path("record.pdf");
    let record = record.to_str().unwrap();
    assert_ok(&cli.run(Some(PASS), &["record-request", "Morgan", "-o", record]));
    let out = cli.run(Some(PASS), &["audit", "verify", "--against", monday]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("and the 4 entries in"),
        "{}",
        stdout(&out)
    );
    let out = cli.run(Some(PASS), &["audit", "verify", "--against", record]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("and entry 5 still carries the seal"),
        "{}",
        stdout(&out)
    );

    // The tail is cut after entry 2: the chain alone cannot tell, the anchors can.
    tamper_with_the_audit_log(&cli.vault(), "DELETE FROM audit_log WHERE id > 2");
    assert_ok(&cli.run(Some(PASS), &["audit", "verify"]));
    let out = cli.run(Some(PASS), &["audit", "verify", "--against", monday]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_one_clear_line(&out);
    let err = stderr(&out);
    assert!(
        err.starts_with("kapdesk: The audit trail is broken at entry 3 (")
            && err.contains(", client_created, in the backup): ")
            && err
                .contains("holds 4 entries, and the vault now has 2; entries 3 to 4 were removed."),
        "{err}"
    );
    let out = cli.run(Some(PASS), &["audit", "verify", "--against", record]);
    assert_eq!(out.status.code(), Some(1));
    assert_one_clear_line(&out);
    assert!(
        stderr(&out).contains("recorded 5 entries when it was made, and the vault now has 2"),
        "{}",
        stderr(&out)
    );

    // An edited entry shows on its own, named by number, time and event.
    tamper_with_the_audit_log(
        &cli.vault(),
        "UPDATE audit_log SET detail = 'someone-else' WHERE id = 2",
    );
    let out = cli.run(Some(PASS), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert_one_clear_line(&out);
    let err = stderr(&out);
    assert!(
        err.starts_with("kapdesk: The audit trail is broken at entry 2 (")
            && err
                .trim_end()
                .ends_with(", client_created): it was changed after it was written."),
        "{err}"
    );

    // A file that is no anchor gets a sentence, not a verdict.
    let note = cli.sandbox.path("note.txt");
    fs::write(&note, "nothing to see\n").unwrap();
    let out = cli.run(
        Some(PASS),
        &["audit", "verify", "--against", note.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_one_clear_line(&out);
    assert!(stderr(&out).contains("holds no audit-trail anchor"));
}

#[test]
fn audit_verify_catches_a_deleted_entry_on_its_own() {
    let cli = Cli::new();
    cli.init();
    for name in ["Morgan Ashby", "Casey Nguyen", "Jordan Lee"] {
        assert_ok(&cli.run(Some(PASS), &["client", "add", "--name", name]));
    }
    tamper_with_the_audit_log(&cli.vault(), "DELETE FROM audit_log WHERE id = 2");
    let out = cli.run(Some(PASS), &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert_one_clear_line(&out);
    let err = stderr(&out);
    assert!(
        err.starts_with("kapdesk: The audit trail is broken at entry 2: entry 2 was removed (the trail goes from entry 1 (")
            && err.contains("vault_created) straight to entry 3 ("),
        "{err}"
    );
}

/// Measures from the command line: scored by the core, a refused answer in one line,
/// the PHQ-9 item 9 flag until the response, the list with the change from baseline,
/// and the CSV export readable only by its owner.
#[test]
fn measures_are_added_listed_answered_and_exported() {
    let cli = Cli::new();
    cli.init();
    let run = |args: &[&str]| {
        let out = cli.run(Some(PASS), args);
        assert_ok(&out);
        stdout(&out)
    };
    run(&[
        "client",
        "add",
        "--name",
        "Ada Okafor",
        "--status",
        "preparation",
    ]);
    // The baseline check before a first dosing is a practice setting, on by default.
    let settings = run(&["settings", "--baseline-measures", "off"]);
    assert!(
        settings.contains(
            "Baseline measures (PHQ-9, GAD-7, PCL-5) before a first dosing: not required"
        ),
        "{settings}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(&["settings", "--baseline-measures", "on", "--json"])).unwrap();
    assert_eq!(json["measures"]["baselineRequired"], true);

    let out = cli.run(
        Some(PASS),
        &[
            "measure",
            "add",
            "Ada",
            "--instrument",
            "phq9",
            "--answers",
            "1,4,0,1,1,0,2,1,0",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_one_clear_line(&out);
    assert!(
        stderr(&out).contains("Question 2 of the PHQ-9 was answered 4; its answers run from 0"),
        "{}",
        stderr(&out)
    );
    let out = cli.run(
        Some(PASS),
        &[
            "measure",
            "add",
            "Ada",
            "--instrument",
            "phq9",
            "--answers",
            "1,x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_one_clear_line(&out);
    let out = cli.run(
        Some(PASS),
        &[
            "measure",
            "add",
            "Ada",
            "--instrument",
            "bdi",
            "--answers",
            "1",
        ],
    );
    assert_one_clear_line(&out);
    assert!(stderr(&out).contains("PHQ-9, GAD-7, PCL-5, WHO-5"));

    // 2+2+2+1+2+1+2+1+1 = 14: moderate, and item 9 raises the flag.
    let added = run(&[
        "measure",
        "add",
        "Ada",
        "--instrument",
        "PHQ-9",
        "--answers",
        "2,2,2,1,2,1,2,1,1",
        "--at",
        "2026-11-02",
        "--read-aloud",
    ]);
    assert!(
        added.starts_with("PHQ-9 on Monday 2 November 2026: 14 of 27, Moderate; SAFETY FLAG open."),
        "{added}"
    );
    assert!(added.contains("Safety flag: PHQ-9 item 9"), "{added}");
    let id = added
        .lines()
        .find_map(|l| l.strip_prefix("Id: "))
        .unwrap()
        .to_owned();
    let dashboard = run(&["dashboard"]);
    assert!(
        dashboard.contains("Safety flag: PHQ-9 item 9"),
        "{dashboard}"
    );

    // WHO-5 is a percentage: (3+2+4+1+3) x 4 = 52.
    let who = run(&[
        "measure",
        "add",
        "Ada",
        "--instrument",
        "who5",
        "--answers",
        "3,2,4,1,3",
        "--at",
        "2026-11-02",
    ]);
    assert!(
        who.starts_with("WHO-5 on Monday 2 November 2026: 52 of 100, Not low."),
        "{who}"
    );
    let later = run(&[
        "measure",
        "add",
        "Ada",
        "--instrument",
        "phq9",
        "--answers",
        "1,1,1,0,1,0,1,0,0",
        "--at",
        "2026-11-20",
    ]);
    assert!(
        later.starts_with("PHQ-9 on Friday 20 November 2026: 5 of 27, Mild; 64% below the baseline of 14 (response)."),
        "{later}"
    );

    let refused = cli.run(
        Some(PASS),
        &["measure", "respond", &id, "--note", "  ", "--plan", "made"],
    );
    assert_one_clear_line(&refused);
    let done = run(&[
        "measure",
        "respond",
        &id,
        "--note",
        "Passive thoughts, no plan or intent.",
        "--plan",
        "made",
    ]);
    assert!(done.contains("the safety flag is closed"), "{done}");
    assert!(!run(&["dashboard"]).contains("Safety flag"));

    let list: serde_json::Value =
        serde_json::from_str(&run(&["measure", "list", "Ada", "--json"])).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["total"], 14);
    assert_eq!(list[0]["filledBy"], "therapist");
    assert_eq!(list[0]["safetyResponse"]["safetyPlan"], "made");
    assert_eq!(list[2]["progress"]["response"], true);
    let human = run(&["measure", "list", "Ada"]);
    assert!(
        human.contains("Safety flag answered: Safety plan made."),
        "{human}"
    );

    let csv = cli.sandbox.path("measures.csv");
    let out = run(&["measures", "export", "-o", csv.to_str().unwrap()]);
    assert!(out.contains("3 administrations exported."), "{out}");
    assert_eq!(
        fs::metadata(&csv).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows[1].contains(",Ada Okafor,PHQ-9,2026-11-02,therapist,,2,2,2,1,2,1,2,1,1,"),
        "{}",
        rows[1]
    );
    assert!(
        rows[1].contains(",14,27,Moderate,yes,Safety plan made on "),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains(",WHO-5,") && rows[2].contains(",52,100,Not low,no,"),
        "{}",
        rows[2]
    );

    // The letter to the prescriber: the summary is required; the file is private.
    let letter = cli.sandbox.path("letter.pdf");
    let out = cli.run(
        Some(PASS),
        &["letter", "Ada", "-o", letter.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[
        "letter",
        "Ada",
        "-o",
        letter.to_str().unwrap(),
        "--summary",
        "Ada is sleeping better and has returned to work part-time.",
    ]);
    assert!(out.contains("readable only by you"), "{out}");
    assert_eq!(
        fs::metadata(&letter).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&letter)
        .output()
        .unwrap();
    assert!(
        qpdf.status.success(),
        "{}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    let text = pdf_extract::extract_text_from_mem(&fs::read(&letter).unwrap()).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "2 Nov 2026 PHQ-9 14 / 27 Moderate Baseline",
        "20 Nov 2026 PHQ-9 5 / 27 Mild 64% lower than 14 (response)",
        "WHO-5 52 / 100",
        "No dosing session has been completed yet.",
        "Ada is sleeping better and has returned to work part-time.",
    ] {
        assert!(text.contains(words), "{words:?} missing from {text}");
    }
}

#[test]
fn demo_writes_a_new_marked_practice_and_never_replaces_a_real_vault() {
    let cli = Cli::new();
    cli.init();
    let demo = cli.sandbox.path("demo/practice.kapdesk");
    fs::create_dir_all(demo.parent().unwrap()).unwrap();
    let demo = demo.display().to_string();
    let out = cli.run(
        Some(PASS),
        &[
            "demo",
            "-o",
            &demo,
            "--clients",
            "6",
            "--years",
            "1",
            "--seed",
            "3",
            "--json",
        ],
    );
    assert_ok(&out);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["clients"], 6);
    assert!(s["sessions"].as_u64().unwrap() > 0, "{s}");
    let mode = fs::metadata(&demo).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the demo is as private as a vault");
    // Encrypted like any vault: no invented name is readable in the file.
    let bytes = fs::read(&demo).unwrap();
    assert!(!bytes.windows(15).any(|w| w == b"SQLite format 3"));

    // It opens as a vault of its own, says it is the demo, and lists its clients.
    let info = cli.run(Some(PASS), &["--vault", &demo, "info"]);
    assert_ok(&info);
    assert!(stdout(&info).contains("Demo:"), "{}", stdout(&info));
    let real_info = cli.run(Some(PASS), &["info"]);
    assert!(!stdout(&real_info).contains("Demo:"));
    let list = cli.run(
        Some(PASS),
        &["--vault", &demo, "client", "list", "--archived", "--json"],
    );
    assert_ok(&list);
    let clients: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(clients.as_array().unwrap().len(), 6, "{clients}");

    // Never written over an existing file, the real vault least of all.
    let before = fs::read(cli.vault()).unwrap();
    let again = cli.run(Some(PASS), &["demo", "-o", &cli.vault()]);
    assert_eq!(again.status.code(), Some(1));
    assert_one_clear_line(&again);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(fs::read(cli.vault()).unwrap(), before);

    // A backup of the demo is refused as a restore over the real vault.
    let backup = cli
        .sandbox
        .path("demo/demo-backup.kapdesk")
        .display()
        .to_string();
    assert_ok(&cli.run(Some(PASS), &["--vault", &demo, "backup", "-o", &backup]));
    let restore = cli.run(Some(PASS), &["restore", &backup]);
    assert!(!restore.status.success());
    assert_one_clear_line(&restore);
    assert!(
        stderr(&restore).contains("That backup is the demo practice"),
        "{}",
        stderr(&restore)
    );
    assert_eq!(fs::read(cli.vault()).unwrap(), before);
}

#[test]
fn a_command_before_init_says_there_is_no_vault_yet() {
    let cli = Cli::new();
    for args in [
        &["client", "list"][..],
        &["consent", "print", "Someone", "-o", "packet.pdf"][..],
    ] {
        let out = cli.run(Some(PASS), args);
        assert!(!out.status.success(), "{args:?}");
        assert_one_clear_line(&out);
        assert!(
            stderr(&out).contains("There is no vault at"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("lock file"), "{}", stderr(&out));
    }
    assert!(!cli.sandbox.path("vault").exists(), "nothing was created");
}
