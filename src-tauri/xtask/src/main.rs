//! Project automation behind the README's two commands:
//!
//! - `cargo xtask app`  installs what is missing, builds, and launches KAP Desk.
//! - `cargo xtask test` installs what is missing and runs every test and check.
//! - `cargo xtask bench` prints the speed report over the demo practice (not part of CI).
//!
//! Both are idempotent and quick when nothing is missing. Std only, so this compiles
//! in seconds on a fresh machine. Nothing here waits for input: CI has no terminal.

use std::env;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

/// Debian packages the desktop app needs to build and run (Tauri 2 on WebKitGTK 4.1).
const APP_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "file",
];

/// Extra packages for the tests: a virtual display, WebKit's WebDriver, PDF tools, and
/// a Chinese/Japanese font, so the tests print CJK through an installed font, as on a
/// therapist's computer that has one, and not only as `[U+XXXX]` codes.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "poppler-utils",
    "qpdf",
    "fonts-droid-fallback",
];

const TAURI_DRIVER_VERSION: &str = "^2";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("app") => app(args.iter().any(|a| a == "--release")),
        Some("test") => test(),
        Some("setup") => setup(true),
        Some("bench-app") => bench_app(),
        Some("bench") => BenchOptions::parse(&args[1..]).and_then(bench),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  app [--release]  install what is missing, build and launch KAP Desk\n  test             install what is missing and run every test\n  setup            only install what is missing\n  bench            the speed report: every command, document and export over the demo\n                   practice, and the release app; one Markdown table with the budgets\n                   [--seed N] [--clients N] [--years N] [--no-app]\n  bench-app        build the release app and measure its budgets (launch, unlock, size, memory)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    // src-tauri/xtask → the repository root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn app(release: bool) -> Result {
    setup(false)?;
    build_ui()?;
    let profile = if release { "release" } else { "debug" };
    let mut build = cargo(&["build", "-p", "kapdesk", "--bin", "kapdesk-desktop"]);
    if release {
        // Without the CLI, this feature is what makes a build serve the embedded UI.
        build.args(["--release", "--features", "custom-protocol"]);
    }
    run_step("build the desktop app", &mut build)?;

    let bin = target_dir().join(profile).join("kapdesk-desktop");
    if env::var_os("DISPLAY").is_none() && env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err(format!(
            "there is no display to open a window on. On a headless machine run:\n  xvfb-run -a cargo xtask app\n(the app is built at {})",
            bin.display()
        ));
    }
    println!(
        "\nLaunching KAP Desk. On first run it asks for a passphrase, then creates the vault."
    );
    let status = Command::new(&bin)
        .status()
        .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("KAP Desk exited with {status}"))
    }
}

fn test() -> Result {
    let started = Instant::now();
    setup(true)?;
    run_step(
        "check formatting",
        &mut cargo(&["fmt", "--all", "--", "--check"]),
    )?;
    run_step("type-check the UI", &mut npm(&["run", "check"]))?;
    run_step("test the UI logic (Vitest)", &mut npm(&["test"]))?;
    build_ui()?;
    run_step(
        "lint (clippy, warnings are errors)",
        &mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // Builds every binary the end-to-end tests run (they are integration tests of
    // their binary's package) and runs all tests but the WebDriver ones.
    run_step(
        "Rust tests (core, bindings, shell commands, CLI end to end)",
        &mut cargo(&["test", "--workspace"]),
    )?;

    // The real app through WebDriver, under a private virtual display. The same
    // package selection (`--workspace`) as the step before, so features unify the same
    // way and nothing is rebuilt (`-p kapdesk` rebuilt about 4 minutes of crates).
    let display = VirtualDisplay::start()?;
    let mut webdriver = cargo(&[
        "test",
        "--workspace",
        "--test",
        "app",
        "--",
        "--ignored",
        "--test-threads=1",
    ]);
    webdriver.env("DISPLAY", &display.name);
    run_step(
        "the desktop app end to end (WebDriver, Xvfb)",
        &mut webdriver,
    )?;
    drop(display);

    println!(
        "\nEverything passed in {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The release app's budgets, measured under Xvfb through WebDriver. Figures, not
/// pass/fail: timings on a shared machine belong in a report, not in a test.
fn bench_app() -> Result {
    setup(true)?;
    build_ui()?;
    build_release_app()?;
    let display = VirtualDisplay::start()?;
    run_step(
        "measure the release app",
        &mut measure_release_app(&display),
    )
}

fn build_release_app() -> Result {
    run_step(
        "build the release app",
        &mut cargo(&[
            "build",
            "--release",
            "-p",
            "kapdesk",
            "--bin",
            "kapdesk-desktop",
            "--features",
            "custom-protocol",
        ]),
    )
}

/// `tests/budgets.rs` against the release app on `display`.
fn measure_release_app(display: &VirtualDisplay) -> Command {
    let mut measure = cargo(&[
        "test",
        "-p",
        "kapdesk",
        "--test",
        "budgets",
        "--",
        "--ignored",
        "--nocapture",
    ]);
    measure.env("DISPLAY", &display.name).env(
        "KAPDESK_APP_BIN",
        target_dir().join("release").join("kapdesk-desktop"),
    );
    measure
}

/// The demo practice the speed report measures: `kapdesk demo --seed --clients --years`.
struct BenchOptions {
    seed: u64,
    clients: u32,
    years: u32,
    app: bool,
}

/// The demo vault's passphrase: it holds made-up people only.
const BENCH_PASSPHRASE: &str = "kapdesk demo practice for the speed report";

impl BenchOptions {
    fn parse(args: &[String]) -> Result<Self> {
        let mut o = BenchOptions {
            seed: 1,
            clients: 300,
            years: 10,
            app: true,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut number = |name: &str| -> Result<u64> {
                it.next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("{name} needs a number"))
            };
            match arg.as_str() {
                "--seed" => o.seed = number("--seed")?,
                "--clients" => o.clients = number("--clients")? as u32,
                "--years" => o.years = number("--years")? as u32,
                "--no-app" => o.app = false,
                other => return Err(format!("unknown option for bench: {other}")),
            }
        }
        Ok(o)
    }

    /// Cached by seed and size under the target folder; written only when missing.
    fn vault(&self) -> PathBuf {
        target_dir().join("bench-cache").join(format!(
            "demo-s{}-c{}-y{}.kapdesk",
            self.seed, self.clients, self.years
        ))
    }
}

/// The speed report (issue 18): builds the release app, writes the demo practice once,
/// runs the core bench (`benches/practice.rs`) and the release app's measures
/// (`tests/budgets.rs`) on it, and prints their rows as one Markdown table. Figures,
/// not pass/fail: a budget not met is marked ✗ and the run still succeeds.
fn bench(o: BenchOptions) -> Result {
    let started = Instant::now();
    if o.app {
        setup(true)?;
    }
    let vault = o.vault();
    let with_demo = |c: &mut Command| {
        c.env("KAPDESK_BENCH_VAULT", &vault)
            .env("KAPDESK_BENCH_PASSPHRASE", BENCH_PASSPHRASE)
            .env("KAPDESK_BENCH_SEED", o.seed.to_string())
            .env("KAPDESK_BENCH_CLIENTS", o.clients.to_string())
            .env("KAPDESK_BENCH_YEARS", o.years.to_string());
    };
    if vault.exists() {
        println!("\nThe demo practice is cached at {}", vault.display());
    }
    let mut core = cargo(&["bench", "-p", "kapdesk-core", "--bench", "practice"]);
    with_demo(&mut core);
    let mut rows = run_collecting_rows(
        "measure commands, documents and the vault on the demo practice (release)",
        &mut core,
    )?;

    if o.app {
        build_ui()?;
        build_release_app()?;
        let display = VirtualDisplay::start()?;
        let mut measure = measure_release_app(&display);
        with_demo(&mut measure);
        rows.extend(run_collecting_rows(
            "measure the release app on the demo practice (WebDriver, Xvfb)",
            &mut measure,
        )?);
        drop(display);
    }

    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let system = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| "Linux".into());
    let judged = rows
        .iter()
        .filter(|r| r.ends_with("✓ |") || r.ends_with("✗ |"))
        .count();
    let over: Vec<&String> = rows.iter().filter(|r| r.ends_with("✗ |")).collect();
    println!(
        "\n## Speed report, {date}, {cores}-core {system} machine\n\nThe demo practice: {} clients, {} years, seed {} (`kapdesk demo`). Commands are the core call plus the JSON of its answer.\n",
        o.clients, o.years, o.seed
    );
    println!("| What | n | p50 | p95 | Budget | Met |");
    println!("| --- | ---: | ---: | ---: | --- | :---: |");
    for r in &rows {
        println!("{r}");
    }
    println!(
        "\n{} of {judged} budgets met. The whole report took {:.0} s.",
        judged - over.len(),
        started.elapsed().as_secs_f64()
    );
    if !over.is_empty() {
        println!("Over budget:");
        for r in over {
            println!("  {r}");
        }
    }
    Ok(())
}

/// Runs a step whose standard output carries Markdown table rows, echoing everything,
/// and returns the rows (not the header).
fn run_collecting_rows(title: &str, cmd: &mut Command) -> Result<Vec<String>> {
    use std::io::BufRead;
    println!("\n==> {title}");
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run {}: {e}", cmd.get_program().to_string_lossy()))?;
    let mut rows = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines().map_while(|l| l.ok()) {
            println!("{line}");
            let t = line.trim();
            if t.starts_with("| ") && !t.starts_with("| What |") && !t.starts_with("| ---") {
                rows.push(t.to_owned());
            }
        }
    }
    let status = child.wait().map_err(|e| format!("{title}: {e}"))?;
    if !status.success() {
        return Err(format!("{title}: failed ({status})"));
    }
    println!(
        "<== {title}: ok in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(rows)
}

/// Installs what is missing. Each check is cheap, so a second run takes a moment.
fn setup(for_tests: bool) -> Result {
    let mut wanted: Vec<&str> = APP_PACKAGES.to_vec();
    if for_tests {
        wanted.extend_from_slice(TEST_PACKAGES);
    }
    ensure_debian_packages(&wanted)?;
    ensure_node()?;
    ensure_ui_dependencies()?;
    if for_tests {
        ensure_tauri_driver()?;
    }
    Ok(())
}

fn ensure_debian_packages(wanted: &[&str]) -> Result {
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| !debian_package_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("Installing Debian packages: {}", missing.join(" "));
    let sudo = !is_root();
    let mut update = privileged(sudo, "apt-get", &["update", "-qq"]);
    run_step("apt-get update", &mut update)?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend(&missing);
    let mut install = privileged(sudo, "apt-get", &args);
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run_step("apt-get install", &mut install)
}

fn debian_package_installed(name: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", name])
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn privileged(sudo: bool, program: &str, args: &[&str]) -> Command {
    if sudo {
        let mut c = Command::new("sudo");
        // -n: fail instead of prompting when there is no terminal (CI).
        c.arg("-n").arg(program).args(args);
        c
    } else {
        let mut c = Command::new(program);
        c.args(args);
        c
    }
}

fn ensure_node() -> Result {
    let version = Command::new("node").arg("--version").output();
    let Ok(out) = version else {
        return Err("Node.js 20.19 or newer is needed to build the UI and was not found. Install Node.js 20+ (the Debian 12 package is too old), then run this again.".into());
    };
    let v = String::from_utf8_lossy(&out.stdout);
    let major: u32 = v
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return Err(format!(
            "Node.js {} is too old to build the UI; install Node.js 20.19 or newer.",
            v.trim()
        ));
    }
    Ok(())
}

/// `npm ci` when `node_modules` is missing or older than the lock file.
fn ensure_ui_dependencies() -> Result {
    let ui = root().join("ui");
    let marker = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (modified(&marker), modified(&lock)) {
        (Some(m), Some(l)) => m >= l,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run_step(
        "install the UI's npm packages (npm ci)",
        &mut npm(&["ci", "--no-audit", "--no-fund"]),
    )
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    p.metadata().and_then(|m| m.modified()).ok()
}

fn ensure_tauri_driver() -> Result {
    if find_tauri_driver().is_some() {
        return Ok(());
    }
    run_step(
        "install tauri-driver (the WebDriver bridge for Tauri apps)",
        Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args([
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
        ]),
    )
}

fn find_tauri_driver() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = env::var_os("PATH")
        .map(|p| env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("tauri-driver"))
        .find(|p| p.is_file())
}

fn build_ui() -> Result {
    run_step("build the UI (Vite)", &mut npm(&["run", "build"]))
}

fn cargo(args: &[&str]) -> Command {
    let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root()).args(args);
    c
}

fn npm(args: &[&str]) -> Command {
    let mut c = Command::new("npm");
    c.current_dir(root().join("ui")).args(args);
    c
}

fn run_step(title: &str, cmd: &mut Command) -> Result {
    println!("\n==> {title}");
    let started = Instant::now();
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("could not run {}: {e}", cmd.get_program().to_string_lossy()))?;
    if !status.success() {
        return Err(format!("{title}: failed ({status})"));
    }
    println!(
        "<== {title}: ok in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// An Xvfb server on a free display number, stopped when dropped.
struct VirtualDisplay {
    name: String,
    child: Child,
}

impl VirtualDisplay {
    fn start() -> Result<Self> {
        for n in 90..130 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                || Path::new(&format!("/tmp/.X{n}-lock")).exists()
            {
                continue;
            }
            let name = format!(":{n}");
            let child = Command::new("Xvfb")
                .args([
                    OsStr::new(&name),
                    OsStr::new("-screen"),
                    OsStr::new("0"),
                    OsStr::new("1400x1000x24"),
                    OsStr::new("-nolisten"),
                    OsStr::new("tcp"),
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("could not start Xvfb: {e}"))?;
            let mut display = VirtualDisplay { name, child };
            // Xvfb is ready when its socket exists.
            for _ in 0..100 {
                if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                    return Ok(display);
                }
                if let Ok(Some(_)) = display.child.try_wait() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            let _ = display.child.kill();
        }
        Err("could not start a virtual display (Xvfb)".into())
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
