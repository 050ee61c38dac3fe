//! Driving the real app through WebDriver: tauri-driver in front of WebKitWebDriver,
//! under the Xvfb display that `cargo xtask` provides. Shared by the end-to-end tests
//! and the release budget measurement, each of which uses a subset.
#![allow(dead_code)]

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::Sandbox;

/// One tauri-driver per test, on its own ports, with the test's private environment
/// (vault path, HOME, XDG folders), which WebKitWebDriver passes on to the app.
pub struct Driver {
    child: Child,
    port: u16,
    app: PathBuf,
}

impl Driver {
    /// A driver for the app this package builds.
    pub fn start(sandbox: &Sandbox) -> Driver {
        Self::start_with(sandbox, Path::new(env!("CARGO_BIN_EXE_kapdesk-desktop")))
    }

    pub fn start_with(sandbox: &Sandbox, app: &Path) -> Driver {
        Self::spawn(sandbox, app, &[])
    }

    /// A driver whose app's clock starts at `instant` (RFC 3339) and runs on from there:
    /// the debug build's test-only seam (`KAPDESK_TEST_CLOCK`, see src-tauri/src/clock.rs).
    pub fn start_at(sandbox: &Sandbox, instant: &str) -> Driver {
        Self::start_env(sandbox, &[("KAPDESK_TEST_CLOCK", instant)])
    }

    /// A driver whose app gets these debug-only test seams in its environment.
    pub fn start_env(sandbox: &Sandbox, env: &[(&str, &str)]) -> Driver {
        Self::spawn(
            sandbox,
            Path::new(env!("CARGO_BIN_EXE_kapdesk-desktop")),
            env,
        )
    }

    fn spawn(sandbox: &Sandbox, app: &Path, env: &[(&str, &str)]) -> Driver {
        let app = app.to_path_buf();
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "these tests need a display: run them through `cargo xtask test`, which starts Xvfb"
        );
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new(tauri_driver());
        sandbox.apply(&mut cmd);
        // Save dialogs are native GTK windows WebDriver cannot reach: the app writes
        // exports into this folder instead, exactly as the dialog would have.
        let exports = sandbox.path("exports");
        std::fs::create_dir_all(&exports).expect("the exports folder");
        cmd.envs(env.iter().copied());
        cmd.env("KAPDESK_VAULT", sandbox.path("vault/kapdesk.vault"))
            .env("KAPDESK_SAVE_DIR", &exports)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own process group, so WebKitWebDriver and the app it launches can be
            // stopped with it and never leak into the next test.
            .process_group(0);
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
    pub async fn launch(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app.display().to_string() }),
        );
        // Plain HTTP: tauri-driver listens on loopback only.
        // tauri-driver accepts connections a moment before it can launch WebKitWebDriver.
        let mut last = None;
        for _ in 0..5 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(client) => return client,
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        panic!("no WebDriver session on the app: {last:?}");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
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

pub async fn find(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(el) => el,
        Err(e) => panic!("{css} did not appear: {e}\n{}", on_screen(c).await),
    }
}

/// What the window shows, for a failure message: CI keeps no screenshots, and "did
/// not appear" alone does not say whether the app showed an error, a spinner or nothing.
pub async fn on_screen(c: &Client) -> String {
    let script = "const s = [...document.querySelectorAll('[data-screen]')]\
                  .map(e => e.dataset.screen).join(' > ');\
                  return 'screen: ' + (s || '(none)') + '\\n' + \
                  (document.body ? document.body.innerText : '').slice(0, 1500);";
    match c.execute(script, vec![]).await {
        Ok(v) => v.as_str().unwrap_or_default().to_owned(),
        Err(e) => format!("(the page could not be read: {e})"),
    }
}

pub async fn screen(c: &Client, name: &str) {
    find(c, &format!("[data-screen=\"{name}\"]")).await;
}

pub async fn type_into(c: &Client, css: &str, text: &str) {
    let el = find(c, css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// The element's text once it has some: hints and statuses arrive after an IPC round trip.
pub async fn wait_text(c: &Client, css: &str) -> String {
    for _ in 0..100 {
        let text = find(c, css).await.text().await.unwrap_or_default();
        if !text.trim().is_empty() {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} stayed empty");
}

/// The element's text once it contains `needle`: a status that a second save rewrites.
pub async fn wait_text_contains(c: &Client, css: &str, needle: &str) -> String {
    let mut text = String::new();
    for _ in 0..100 {
        text = find(c, css).await.text().await.unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{css} never said {needle:?}; it says {text:?}\n{}",
        on_screen(c).await
    );
}

/// Ticks a checkbox (or picks a radio button) and waits until it shows as chosen, so
/// that a click lost to a moving layout fails here, by name, rather than as a later
/// screen that never comes.
pub async fn tick(c: &Client, css: &str) {
    click(c, css).await;
    for _ in 0..50 {
        if find(c, css).await.is_selected().await.unwrap_or(false) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} did not become ticked\n{}", on_screen(c).await);
}

pub async fn click(c: &Client, css: &str) {
    find(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

pub async fn value(c: &Client, css: &str) -> String {
    find(c, css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Saves a screenshot of the virtual display when KAPDESK_SCREENSHOTS names a folder,
/// for people to look at. Taken at the X level (ImageMagick's `import`): WebKit's own
/// WebDriver screenshot was seen to hang under Xvfb.
pub async fn snapshot(c: &Client, name: &str) {
    if std::env::var_os("KAPDESK_SCREENSHOTS").is_none() {
        return;
    }
    // Show the top of the screen, then let it paint.
    c.execute(
        "document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; });
         window.scrollTo(0, 0);
         return await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));",
        vec![],
    )
    .await
    .ok();
    capture(name);
}

/// A screenshot with `css` scrolled into view, for the lower parts of long screens.
pub async fn snapshot_at(c: &Client, css: &str, name: &str) {
    if std::env::var_os("KAPDESK_SCREENSHOTS").is_none() {
        return;
    }
    // Scrolls the content pane that holds the element, as the therapist would.
    c.execute(
        "const el = document.querySelector(arguments[0]);
         let pane = el?.parentElement;
         while (pane && !(pane.scrollHeight > pane.clientHeight
                && getComputedStyle(pane).overflowY === 'auto')) pane = pane.parentElement;
         if (el && pane) pane.scrollTop += el.getBoundingClientRect().top
                                          - pane.getBoundingClientRect().top - 24;
         return await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));",
        vec![css.into()],
    )
    .await
    .ok();
    capture(name);
}

fn capture(name: &str) {
    let Some(dir) = std::env::var_os("KAPDESK_SCREENSHOTS") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    let file = Path::new(&dir).join(format!("{name}.png"));
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&file)
        .status()
        .expect("ImageMagick's import takes the screenshots");
    assert!(status.success(), "screenshot {name} failed");
}

/// Sets a form control's value the way typing would (an `input` and a `change` event),
/// for date, time and select controls whose native widgets WebDriver cannot type into.
pub async fn set_value(c: &Client, css: &str, value: &str) {
    find(c, css).await;
    c.execute(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1];
         el.dispatchEvent(new Event('input', {bubbles: true}));
         el.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![css.into(), value.into()],
    )
    .await
    .unwrap();
}

/// Whether the element is on screen (present and not hidden); waits for it to exist.
pub async fn shown(c: &Client, css: &str) -> bool {
    find(c, css).await.is_displayed().await.unwrap()
}

/// A step that cannot be taken back asks in the page first: its button, then "Yes".
pub async fn confirm(c: &Client, button: &str) {
    click(c, button).await;
    click(c, &format!("{button}-confirm")).await;
}

/// Shows one of the client chart's tabs (`overview`, `sessions`, `consent`,
/// `records`, `notes`) and waits until its panel is on screen.
pub async fn open_tab(c: &Client, tab: &str) {
    click(c, &format!("#chart-tab-{tab}")).await;
    let panel = format!("#chart-panel-{tab}");
    for _ in 0..50 {
        if find(c, &panel).await.is_displayed().await.unwrap_or(false) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the {tab} tab did not show\n{}", on_screen(c).await);
}

/// Where the keyboard's focus is: the focused element's id, else its tag name (`BODY`
/// when focus has fallen to the page).
pub async fn focused(c: &Client) -> String {
    let found = c
        .execute(
            "const el = document.activeElement;
             return el ? (el.id || el.tagName) : 'none';",
            vec![],
        )
        .await
        .unwrap();
    found.as_str().unwrap_or_default().to_owned()
}

/// Presses a key (`fantoccini::key::Key`, or a character) where the focus is, as a
/// keyboard does. Through WebDriver's actions, not Element Send Keys, which focuses its
/// element again first (and so never lets Tab leave the parts of a date field).
pub async fn press(c: &Client, key: impl Into<char>) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let value: char = key.into();
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value })
        .then(KeyAction::Up { value });
    c.perform_actions(keys)
        .await
        .unwrap_or_else(|e| panic!("pressing {value:?}: {e}"));
}

/// Presses Tab until the element matching `css` has the focus; a date field takes
/// several presses (one per part of the date).
pub async fn tab_to(c: &Client, css: &str) {
    for _ in 0..60 {
        let there = c
            .execute(
                "return document.activeElement?.matches(arguments[0]) ?? false;",
                vec![css.into()],
            )
            .await
            .unwrap();
        if there.as_bool() == Some(true) {
            return;
        }
        press(c, fantoccini::key::Key::Tab).await;
    }
    panic!(
        "Tab never reached {css}; focus is on {}\n{}",
        focused(c).await,
        on_screen(c).await
    );
}

/// Makes one command take `ms` longer to answer, as on a laptop whose disk takes a
/// moment to flush the vault: a busy state then lasts past the next frame, when WebKit
/// moves focus off a control that has become disabled. Here the IPC is a `fetch` of
/// `ipc://localhost/<command>`, which the page's own code can wrap.
pub async fn slow_command(c: &Client, command: &str, ms: u64) {
    c.execute(
        "const [command, ms] = arguments;
         const fetch = window.fetch;
         window.fetch = (url, options) => String(url).endsWith('/' + command)
           ? new Promise((r) => setTimeout(r, ms)).then(() => fetch(url, options))
           : fetch(url, options);",
        vec![command.into(), ms.into()],
    )
    .await
    .unwrap();
}

/// Books a session from the chart's Sessions tab.
pub async fn book(c: &Client, kind: &str, date: &str) {
    open_tab(c, "sessions").await;
    set_value(c, "#book-kind", kind).await;
    set_value(c, "#book-date", date).await;
    set_value(c, "#book-time", "10:00").await;
    click(c, "#book-submit").await;
}

/// A new client in preparation with one preparation session yesterday, completed, so a
/// note can be written for it; returns the session's id. Leaves the timeline open.
pub async fn client_with_a_session_yesterday(c: &Client, name: &str) -> String {
    let yesterday = (chrono::Local::now().date_naive() - chrono::Duration::days(1)).to_string();
    click(c, "#nav-clients").await;
    click(c, "#add-client").await;
    screen(c, "client-form").await;
    type_into(c, "#client-legalName", name).await;
    set_value(c, "#client-status", "preparation").await;
    click(c, "#save-client").await;
    screen(c, "timeline").await;
    book(c, "preparation", &yesterday).await;
    wait_count(c, ".session-row", 1).await;
    click(c, ".session-row .complete-session").await;
    click(c, ".confirm-yes").await;
    wait_count(c, ".session-row[data-status=\"completed\"]", 1).await;
    find(c, ".session-row")
        .await
        .attr("data-session-id")
        .await
        .unwrap()
        .unwrap()
}

pub async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.unwrap().len()
}

/// Waits until `count(css) == n`: the timeline reloads after each action.
pub async fn wait_count(c: &Client, css: &str, n: usize) {
    for _ in 0..100 {
        if count(c, css).await == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("expected {n} × {css}, found {}", count(c, css).await);
}

pub async fn create_vault(c: &Client, passphrase: &str) {
    screen(c, "first-run").await;
    type_into(c, "#new-passphrase", passphrase).await;
    type_into(c, "#confirm-passphrase", passphrase).await;
    // The strength hint arrives after a pause in typing; let it land before ticking
    // the box below it.
    wait_text(c, "#strength-hint").await;
    tick(c, "#ack-unrecoverable").await;
    // The button enables itself once the box is ticked: wait for it, do not race it.
    let mut enabled = false;
    for _ in 0..50 {
        enabled = find(c, "#create-vault")
            .await
            .is_enabled()
            .await
            .unwrap_or(false);
        if enabled {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        enabled,
        "Create vault stayed disabled\n{}",
        on_screen(c).await
    );
    click(c, "#create-vault").await;
    screen(c, "practice-setup").await;
    type_into(c, "#settings-therapistName", "Dr. Maya Okafor").await;
    type_into(c, "#settings-practiceName", "Blue Ridge Healing Arts").await;
    // Handouts tell the client who to call: the practice's phone is needed to print one.
    type_into(c, "#settings-phone", "828-555-0100").await;
    click(c, "#save-settings").await;
    screen(c, "dashboard").await;
}

/// From a client's timeline: walks the whole consent checklist (each item discussed
/// today and initialled), signs it on paper, and returns to the timeline.
pub async fn sign_consent_in_app(c: &Client) {
    open_tab(c, "consent").await;
    click(c, "#open-consent").await;
    screen(c, "consent").await;
    // The checklist loads after the screen mounts: counting `.consent-item` at once
    // can see none (a CI run did, then signed an empty walk and was refused). The
    // progress line appears with the items and names their number.
    let progress = find(c, "#consent-progress-text")
        .await
        .text()
        .await
        .unwrap();
    let total: usize = progress
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected progress line {progress:?}"));
    wait_count(c, ".consent-item", total).await;
    for i in 1..=total {
        click(c, ".consent-item[data-done=\"false\"] .consent-mark-today").await;
        wait_count(c, ".consent-item[data-done=\"true\"]", i).await;
    }
    assert_eq!(
        find(c, "#consent-progress-text")
            .await
            .text()
            .await
            .unwrap(),
        format!("{total} of {total} items done")
    );
    tick(c, "#consent-method-paper").await;
    confirm(c, "#consent-sign-submit").await;
    find(c, "#consent-locked").await;
    click(c, "#back").await;
    screen(c, "timeline").await;
}

/// The one file in the sandbox's exports folder whose name starts with `prefix`, once
/// it is there; checks that only its owner can read it.
pub async fn exported(sandbox: &crate::support::Sandbox, prefix: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    for _ in 0..100 {
        let found = std::fs::read_dir(sandbox.path("exports"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            });
        if let Some(p) = found {
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{} is private", p.display());
            return p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no exported file starting with {prefix}");
}

/// Asks every top-level window titled `title` to close, as a window manager does when
/// the user clicks the close button (a WM_DELETE_WINDOW message). Returns how many
/// windows were asked.
pub fn close_like_a_user(title: &str) -> usize {
    use std::ffi::{CStr, CString};
    use x11_dl::xlib;
    let x = xlib::Xlib::open().expect("libX11 is installed with WebKitGTK");
    // SAFETY: plain Xlib calls on a display we open and close here; every pointer Xlib
    // returns is checked for null and freed with XFree.
    unsafe {
        let dpy = (x.XOpenDisplay)(std::ptr::null());
        assert!(!dpy.is_null(), "no X display");
        let mut stack = vec![(x.XDefaultRootWindow)(dpy)];
        let mut found = Vec::new();
        while let Some(w) = stack.pop() {
            let mut name: *mut std::os::raw::c_char = std::ptr::null_mut();
            if (x.XFetchName)(dpy, w, &mut name) != 0 && !name.is_null() {
                if CStr::from_ptr(name).to_string_lossy() == title {
                    found.push(w);
                }
                (x.XFree)(name.cast());
            }
            let (mut root, mut parent) = (0, 0);
            let mut children: *mut xlib::Window = std::ptr::null_mut();
            let mut n = 0;
            if (x.XQueryTree)(dpy, w, &mut root, &mut parent, &mut children, &mut n) != 0
                && !children.is_null()
            {
                stack.extend(std::slice::from_raw_parts(children, n as usize));
                (x.XFree)(children.cast());
            }
        }
        let protocols = CString::new("WM_PROTOCOLS").unwrap();
        let delete = CString::new("WM_DELETE_WINDOW").unwrap();
        let wm_protocols = (x.XInternAtom)(dpy, protocols.as_ptr(), 0);
        let wm_delete = (x.XInternAtom)(dpy, delete.as_ptr(), 0);
        for &w in &found {
            let mut ev: xlib::XEvent = std::mem::zeroed();
            ev.client_message.type_ = xlib::ClientMessage;
            ev.client_message.window = w;
            ev.client_message.message_type = wm_protocols;
            ev.client_message.format = 32;
            ev.client_message
                .data
                .set_long(0, wm_delete as std::os::raw::c_long);
            ev.client_message
                .data
                .set_long(1, xlib::CurrentTime as std::os::raw::c_long);
            (x.XSendEvent)(dpy, w, 0, xlib::NoEventMask, &mut ev);
        }
        (x.XFlush)(dpy);
        (x.XCloseDisplay)(dpy);
        found.len()
    }
}
