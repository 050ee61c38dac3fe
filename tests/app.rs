//! The real desktop app, driven through WebDriver: tauri-driver in front of
//! WebKitWebDriver, under Xvfb. `cargo xtask test` provides the display, the driver
//! and the built app; the tests are ignored in a plain `cargo test`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
#[path = "support.rs"]
mod support;

use support::Sandbox;

const PASS: &str = "willow creek morning light";

/// One tauri-driver per test, on its own ports, with the test's private environment
/// (vault path, HOME, XDG folders), which WebKitWebDriver passes on to the app.
struct Driver {
    child: Child,
    port: u16,
    app: PathBuf,
}

impl Driver {
    fn start(sandbox: &Sandbox) -> Driver {
        let app = PathBuf::from(env!("CARGO_BIN_EXE_kapdesk-desktop"));
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "these tests need a display: run them through `cargo xtask test`, which starts Xvfb"
        );
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new(tauri_driver());
        sandbox.apply(&mut cmd);
        cmd.env("KAPDESK_VAULT", sandbox.path("vault/kapdesk.vault"))
            // Fewer WebKit processes and no GPU paths under Xvfb.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let child = cmd.spawn().expect("tauri-driver starts");
        let driver = Driver { child, port, app };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return driver;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("tauri-driver did not start listening on port {port}");
    }

    /// Launches the app and returns a WebDriver session on its window.
    async fn launch(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app.display().to_string() }),
        );
        // Plain HTTP: tauri-driver listens on loopback only.
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session on the app")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tauri_driver() -> PathBuf {
    let home_bin =
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"));
    match home_bin {
        Some(p) if p.exists() => p,
        _ => PathBuf::from("tauri-driver"),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn find(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

async fn screen(c: &Client, name: &str) {
    find(c, &format!("[data-screen=\"{name}\"]")).await;
}

async fn type_into(c: &Client, css: &str, text: &str) {
    let el = find(c, css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    find(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn value(c: &Client, css: &str) -> String {
    find(c, css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Saves a screenshot when KAPDESK_SCREENSHOTS names a folder, for people to look at.
async fn snapshot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("KAPDESK_SCREENSHOTS") {
        let png = c.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "drives the real app under Xvfb: run through `cargo xtask test`"]
async fn first_run_lock_unlock_settings_and_relaunch() {
    let sandbox = Sandbox::new();
    let vault = sandbox.path("vault/kapdesk.vault");
    let driver = Driver::start(&sandbox);
    let c = driver.launch().await;

    // First run: nothing exists until the passphrase is chosen and the risk acknowledged.
    screen(&c, "first-run").await;
    snapshot(&c, "01-first-run").await;
    assert!(
        !vault.exists(),
        "the vault must not exist before the user chooses a passphrase"
    );
    type_into(&c, "#new-passphrase", PASS).await;
    type_into(&c, "#confirm-passphrase", PASS).await;
    let hint = find(&c, "#strength-hint").await.text().await.unwrap();
    assert!(!hint.is_empty(), "a strength hint is shown");
    assert!(!hint.contains(PASS));
    let create = find(&c, "#create-vault").await;
    assert!(
        !create.is_enabled().await.unwrap(),
        "create waits for the acknowledgement"
    );
    click(&c, "#ack-unrecoverable").await;
    click(&c, "#create-vault").await;

    // Then the practice settings, straight away.
    screen(&c, "practice-setup").await;
    assert!(
        vault.exists(),
        "the vault is created after the passphrase step"
    );
    snapshot(&c, "02-practice-setup").await;
    type_into(&c, "#settings-therapistName", "Dr. Maya Okafor").await;
    click(&c, "#save-settings").await;
    screen(&c, "dashboard").await;
    snapshot(&c, "03-dashboard").await;

    // Lock, then a wrong passphrase shows the core's sentence and keeps us out.
    click(&c, "#lock-button").await;
    screen(&c, "unlock").await;
    type_into(&c, "#unlock-passphrase", "definitely the wrong one").await;
    click(&c, "#unlock-button").await;
    let error = find(&c, "#unlock-error").await.text().await.unwrap();
    assert!(error.contains("does not open the vault"), "{error}");
    assert!(
        !error.contains("definitely"),
        "the passphrase must not be echoed"
    );
    snapshot(&c, "04-unlock-wrong").await;
    screen(&c, "unlock").await;

    // The right one opens it.
    type_into(&c, "#unlock-passphrase", PASS).await;
    click(&c, "#unlock-button").await;
    screen(&c, "dashboard").await;

    // Edit the practice settings, including an invalid email that is refused inline.
    click(&c, "#nav-settings").await;
    screen(&c, "settings").await;
    assert_eq!(
        value(&c, "#settings-therapistName").await,
        "Dr. Maya Okafor"
    );
    type_into(&c, "#settings-practiceName", "Blue Ridge Healing Arts").await;
    type_into(&c, "#settings-email", "maya at example").await;
    click(&c, "#save-settings").await;
    let field_error = find(&c, "[data-error-for=\"email\"]")
        .await
        .text()
        .await
        .unwrap();
    assert!(field_error.contains("email address"), "{field_error}");
    type_into(&c, "#settings-email", "maya@blueridge.example").await;
    click(&c, "#settings-paper-a4").await;
    click(&c, "#save-settings").await;
    let status = find(&c, "#settings-status").await.text().await.unwrap();
    assert!(status.to_lowercase().contains("saved"), "{status}");
    snapshot(&c, "05-settings").await;

    // Quit and relaunch: the vault is locked again and the settings are still there.
    c.close().await.unwrap();
    let c = driver.launch().await;
    screen(&c, "unlock").await;
    type_into(&c, "#unlock-passphrase", PASS).await;
    click(&c, "#unlock-button").await;
    screen(&c, "dashboard").await;
    click(&c, "#nav-settings").await;
    screen(&c, "settings").await;
    assert_eq!(
        value(&c, "#settings-practiceName").await,
        "Blue Ridge Healing Arts"
    );
    assert_eq!(value(&c, "#settings-email").await, "maya@blueridge.example");
    assert!(
        find(&c, "#settings-paper-a4")
            .await
            .is_selected()
            .await
            .unwrap()
    );
    c.close().await.unwrap();
}
