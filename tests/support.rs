//! Shared helpers for the end-to-end tests (included by each with `#[path]`): each test gets its own home, data and
//! vault folders, so nothing touches the real user's data and tests run in parallel.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A sandbox for one test: a private HOME and XDG folders under a temp dir.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Environment for a process that must not see the real user's files.
    pub fn apply(&self, cmd: &mut Command) {
        let home = self.path("home");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("LANG", "C.UTF-8");
        if let Some(d) = std::env::var_os("DISPLAY") {
            cmd.env("DISPLAY", d);
        }
    }
}

/// The text of a PDF, words separated by single spaces (poppler's pdftotext).
#[allow(dead_code)] // not every test file prints a PDF
pub fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed by `cargo xtask test` (poppler-utils)");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
