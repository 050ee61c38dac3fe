//! The vault guards itself, through the `kapdesk` command as a user (or a timer) runs
//! it: one writer at a time, automatic backups, and a restore that survives being
//! killed at any step.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

#[path = "support.rs"]
mod support;

use support::Sandbox;

const PASS: &str = "river stones and lanterns";

const ADA: &[&str] = &[
    "client",
    "add",
    "--name",
    "Ada Quill",
    "--dob",
    "1980-02-03",
    "--emergency",
    "Sam Quill|partner|828-555-0101",
    "--ride",
    "Sam Quill|828-555-0101",
];
const BEN: &[&str] = &[
    "client",
    "add",
    "--name",
    "Ben Tern",
    "--dob",
    "1975-06-07",
    "--emergency",
    "Kim Tern|sister|828-555-0102",
    "--ride",
    "Kim Tern|828-555-0102",
];

struct Cli {
    sandbox: Sandbox,
}

impl Cli {
    fn new() -> Self {
        let cli = Cli {
            sandbox: Sandbox::new(),
        };
        cli.ok(&["init"]);
        cli
    }

    fn vault(&self) -> PathBuf {
        self.sandbox.path("vault/kapdesk.vault")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kapdesk"));
        self.sandbox.apply(&mut cmd);
        cmd.env("KAPDESK_VAULT", self.vault())
            .env("KAPDESK_PASSPHRASE", PASS)
            .stdin(Stdio::null())
            .args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("kapdesk runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "kapdesk {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn refused(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "kapdesk {args:?} should have been refused"
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn client_names(&self) -> String {
        self.ok(&["client", "list"])
    }
}

/// Another process holding the vault's writer lock, as the open app does.
struct Holder(Child);

impl Holder {
    fn hold(vault: &Path) -> Holder {
        let mut lock = vault.as_os_str().to_owned();
        lock.push(".lock");
        fs::write(&lock, "").unwrap();
        // Blocking (the probes below may hold the lock for an instant). --close:
        // `flock` itself holds the lock while `sleep` runs, so killing it
        // releases the lock (as a closed app does).
        let mut child = Command::new("flock")
            .args(["--exclusive", "--close"])
            .arg(&lock)
            .args(["sleep", "60"])
            .stderr(Stdio::piped())
            .spawn()
            .expect("util-linux flock");
        // Wait until the lock is really taken.
        for _ in 0..100 {
            let probe = Command::new("flock")
                .args(["--exclusive", "--nonblock"])
                .arg(&lock)
                .arg("true")
                .status()
                .unwrap();
            if !probe.success() {
                return Holder(child);
            }
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
                panic!("the holder stopped: {status}: {err}");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("the holder never took the lock");
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn while_another_program_holds_the_vault_writes_and_restores_are_refused_and_reads_work() {
    let cli = Cli::new();
    cli.ok(ADA);
    let backup = cli.sandbox.path("monday.vault");
    cli.ok(&["backup", "-o", backup.to_str().unwrap()]);
    let before = fs::read(cli.vault()).unwrap();

    let holder = Holder::hold(&cli.vault());
    let why = cli.refused(BEN);
    assert!(why.contains("in use by another program"), "{why}");
    assert!(why.contains("commands that only read still work"), "{why}");
    let why = cli.refused(&["restore", backup.to_str().unwrap()]);
    assert!(why.contains("in use by"), "{why}");
    assert_eq!(
        fs::read(cli.vault()).unwrap(),
        before,
        "nothing was written"
    );

    // Reading commands still work.
    assert!(cli.client_names().contains("Ada Quill"));
    cli.ok(&["dashboard"]);
    cli.ok(&["audit", "verify"]);
    // A timer's backup steps aside politely instead of failing every night.
    let skipped = cli.ok(&[
        "backup",
        "--auto",
        "--dir",
        cli.sandbox.path("").to_str().unwrap(),
    ]);
    assert!(skipped.contains("Skipped: the vault is open"), "{skipped}");

    drop(holder);
    cli.ok(BEN);
}

#[test]
fn automatic_backups_go_to_the_folder_and_a_missing_folder_is_a_sentence() {
    let cli = Cli::new();
    let drive = cli.sandbox.path("drive");
    let why = cli.refused(&["backup", "--auto"]);
    assert!(why.contains("No backup folder is set"), "{why}");

    cli.ok(&[
        "settings",
        "--backup-dir",
        drive.to_str().unwrap(),
        "--lock-after",
        "5",
    ]);
    let shown = cli.ok(&["settings"]);
    assert!(shown.contains("Locks after 5 idle minutes"), "{shown}");
    let why = cli.refused(&["backup", "--auto"]);
    assert!(why.contains("is not available"), "{why}");
    assert!(!drive.exists());

    fs::create_dir(&drive).unwrap();
    let wrote = cli.ok(&["backup", "--auto"]);
    assert!(wrote.contains("and verified"), "{wrote}");
    let listed = cli.ok(&["backups", "list", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let backups = json["backups"].as_array().unwrap();
    assert_eq!(backups.len(), 1);
    let path = backups[0]["path"].as_str().unwrap();
    assert!(path.starts_with(drive.to_str().unwrap()));
    assert!(
        json["status"]["summary"]
            .as_str()
            .unwrap()
            .ends_with("(verified)")
    );
    cli.ok(&["verify", path]);

    // The recovery sheet names that backup in the restore command it prints; it only
    // reads, so it is written while the app holds the vault too.
    let sheet = cli.sandbox.path("recovery-sheet.pdf");
    let wrote = cli.ok(&["recovery-sheet", "-o", sheet.to_str().unwrap()]);
    assert!(wrote.contains("readable only by you"), "{wrote}");
    let pdf = fs::read(&sheet).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(&sheet).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = support::pdf_text(&sheet);
    assert!(text.contains(&format!("restore {path}")), "{text}");
    assert!(!text.contains(PASS), "the passphrase is never printed");
}

#[test]
fn a_restore_killed_at_any_step_leaves_a_vault_that_opens() {
    for step in ["staged", "exchanged", "synced", "kept"] {
        let cli = Cli::new();
        cli.ok(ADA);
        let backup = cli.sandbox.path("monday.vault");
        cli.ok(&["backup", "-o", backup.to_str().unwrap()]);
        cli.ok(BEN);

        let out = cli
            .cmd(&["restore", backup.to_str().unwrap()])
            .env("KAPDESK_TEST_CRASH_AT", format!("restore:{step}"))
            .output()
            .unwrap();
        assert!(!out.status.success(), "the restore was killed at {step}");

        // Whatever the moment, the vault opens, whole: either the one from before (both
        // clients) or the backup (Ada only), and it verifies.
        cli.ok(&["verify"]);
        let names = cli.client_names();
        assert!(names.contains("Ada Quill"), "after {step}: {names}");
        let restored = !names.contains("Ben Tern");
        assert_eq!(
            restored,
            step != "staged",
            "after {step} the vault is the {}",
            if restored { "backup" } else { "old one" }
        );
        // Once swapped, the old vault is never lost: it is under some name beside it.
        if restored {
            let dir = cli.vault().parent().unwrap().to_path_buf();
            let old = fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| {
                    let n = p.file_name().unwrap().to_string_lossy().into_owned();
                    (n.contains("before-restore") || n.contains(".partial-"))
                        && !n.ends_with("-shm")
                })
                .unwrap_or_else(|| panic!("after {step} the old vault is kept"));
            let kept = cli
                .cmd(&["client", "list"])
                .env("KAPDESK_VAULT", &old)
                .output()
                .unwrap();
            assert!(
                String::from_utf8_lossy(&kept.stdout).contains("Ben Tern"),
                "after {step}"
            );
        }
        // And a second, uninterrupted restore finishes the job.
        cli.ok(&["restore", backup.to_str().unwrap()]);
        assert!(!cli.client_names().contains("Ben Tern"));
    }
}
