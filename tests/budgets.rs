//! The desktop app's budgets, measured on the release build (`cargo xtask bench-app`):
//! launch to unlock screen, unlock, binary size, and idle memory (PSS of the app and
//! its WebKit processes). It prints figures; it does not judge them, because timings
//! on a shared 2-core machine are measurements, not test results.

use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "support.rs"]
mod support;
#[path = "webdriver.rs"]
mod webdriver;

use support::Sandbox;
use webdriver::{Driver, click, find, screen, type_into};

const PASS: &str = "budget measurement passphrase";

/// Sum of `Pss:` over a process and all its descendants, in kB.
fn pss_tree_kb(root: u32) -> (u64, Vec<(String, u64)>) {
    let mut pids = vec![root];
    let mut i = 0;
    while i < pids.len() {
        let children = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", pids[i]))
            .unwrap_or_default();
        pids.extend(
            children
                .split_whitespace()
                .filter_map(|p| p.parse::<u32>().ok()),
        );
        i += 1;
    }
    let mut parts = Vec::new();
    for pid in pids {
        let rollup =
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let pss = rollup
            .lines()
            .find(|l| l.starts_with("Pss:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .unwrap_or_default()
            .trim()
            .to_owned();
        parts.push((name, pss));
    }
    (parts.iter().map(|(_, p)| p).sum(), parts)
}

fn app_pid(app: &std::path::Path) -> u32 {
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>()
            && std::fs::read_link(format!("/proc/{pid}/exe"))
                .ok()
                .as_deref()
                == Some(app)
        {
            return pid;
        }
    }
    panic!("the app is not running");
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "measures the release build: run `cargo xtask bench-app`"]
async fn release_budgets() {
    let app = PathBuf::from(
        std::env::var("KAPDESK_APP_BIN").expect("KAPDESK_APP_BIN: the release binary"),
    );
    let sandbox = Sandbox::new();
    let driver = Driver::start_with(&sandbox, &app);

    // A vault to unlock, created through the app itself.
    let c = driver.launch().await;
    webdriver::create_vault(&c, PASS).await;
    c.close().await.unwrap();

    let mut launch = Vec::new();
    let mut unlock = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let c = driver.launch().await;
        screen(&c, "unlock").await;
        launch.push(t.elapsed());
        type_into(&c, "#unlock-passphrase", PASS).await;
        let t = Instant::now();
        click(&c, "#unlock-button").await;
        screen(&c, "dashboard").await;
        unlock.push(t.elapsed());
        c.close().await.unwrap();
    }

    let c = driver.launch().await;
    screen(&c, "unlock").await;
    type_into(&c, "#unlock-passphrase", PASS).await;
    click(&c, "#unlock-button").await;
    find(&c, "[data-screen=\"dashboard\"]").await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (pss, parts) = pss_tree_kb(app_pid(&std::fs::canonicalize(&app).unwrap()));
    c.close().await.unwrap();

    let ms = |v: &Vec<Duration>| {
        let mut v: Vec<f64> = v.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        v.sort_by(f64::total_cmp);
        format!(
            "median {:.0} ms (min {:.0}, max {:.0})",
            v[v.len() / 2],
            v[0],
            v[v.len() - 1]
        )
    };
    println!("\n== KAP Desk release budgets ==");
    println!(
        "launch to unlock screen (WebDriver session included): {}",
        ms(&launch)
    );
    println!(
        "unlock click to dashboard (includes key derivation):   {}",
        ms(&unlock)
    );
    println!(
        "release binary: {:.1} MB",
        std::fs::metadata(&app).unwrap().len() as f64 / 1e6
    );
    println!("idle PSS after unlock: {:.0} MB", pss as f64 / 1024.0);
    for (name, kb) in parts {
        println!("  {name:<24}{:>7.1} MB", kb as f64 / 1024.0);
    }
}
