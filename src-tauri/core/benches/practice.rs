//! The speed report over ten years of a busy practice: the demo practice (300 clients,
//! 10 years, seed 1, `kapdesk demo`), and every IPC command a screen calls on it, every
//! printed document and export, opening and backing up the vault, and what encryption
//! costs on the same query mix. Prints one Markdown table row per measure, with p50,
//! p95 and the budget; `cargo xtask bench` adds the release app's rows and prints the
//! whole table.
//!
//! Run: `cargo bench -p kapdesk-core --bench practice` (release build). The demo vault
//! is `KAPDESK_BENCH_VAULT` (its passphrase `KAPDESK_BENCH_PASSPHRASE`), written there
//! once if missing; without it, `target/bench-cache/demo-s1-c300-y10.kapdesk`. The
//! cached vault is never written to: everything runs on a copy in a temporary folder.
//!
//! A command is timed as the core call its Tauri command makes plus the serde_json
//! serialisation of the answer (the command itself is a thin shell over that call).
//!
//! For a quick look while working: `KAPDESK_BENCH_ONLY=timeline` (or `timeline|search`) measures only the
//! rows whose name contains that text; `KAPDESK_BENCH_QUICK=1` takes fewer samples.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use kapdesk_core::features::demo::{DemoOptions, write_demo_practice};
use kapdesk_core::model::dosing::DosingCheck;
use kapdesk_core::model::export::{ExportFormat, ExportRequest};
use kapdesk_core::model::measures::{FilledBy, NewAdministration};
use kapdesk_core::model::notes::NoteDraft;
use kapdesk_core::model::session::{NoteState, SessionView};
use kapdesk_core::{
    BookingRequest, ClientQuery, ClientSort, ClientStatus, Passphrase, SessionKind, SessionStatus,
    Vault,
};
use rusqlite::Connection;
use serde::Serialize;

/// The demo practice measured, unless `KAPDESK_BENCH_SEED`, `_CLIENTS`, `_YEARS` say.
const SEED: u64 = 1;
const CLIENTS: u32 = 300;
const YEARS: u32 = 10;
/// The demo vault's passphrase when `KAPDESK_BENCH_PASSPHRASE` does not say.
const DEFAULT_PASSPHRASE: &str = "kapdesk demo practice for the speed report";

/// Every command a screen calls: p95 at most this (issue 18).
const COMMAND_P95: Duration = Duration::from_millis(20);

fn main() {
    let started = Instant::now();
    let cfg = Config::from_env();
    let (vault_path, now) = demo_vault(&cfg);
    let mut report = Report::new(cfg.only.clone());
    report.header();

    // Never the cached file itself: unlocking writes the audit trail, and the writes
    // measured below change the practice.
    let work = tempfile::tempdir().expect("a temporary folder");
    let copy = work.path().join("practice.kapdesk");
    std::fs::copy(&vault_path, &copy).expect("a copy of the demo vault");
    let pass = Passphrase::new(cfg.passphrase.clone());
    let mut v = Vault::open(&copy, &pass, now).expect("the demo vault opens");
    let s = Survey::of(&v, now);
    eprintln!("{}", s.describe());

    commands(&mut report, &mut v, &s, now, &cfg);
    documents(&mut report, &mut v, &s, now, &cfg, work.path());
    let v = vault_rows(&mut report, v, &copy, &pass, now, &cfg, work.path());
    v.close().expect("the vault closes");
    encryption_ratio(&mut report, &copy, &cfg, &s, now, work.path());

    eprintln!(
        "\npractice bench: {} rows in {:.0} s{}",
        report.rows,
        started.elapsed().as_secs_f64(),
        match report.failed.len() {
            0 => String::new(),
            n => format!(", {n} over budget: {}", report.failed.join("; ")),
        }
    );
}

// --- Configuration and the demo vault -----------------------------------------------

struct Config {
    demo: DemoOptions,
    vault: PathBuf,
    passphrase: String,
    only: Option<String>,
    quick: bool,
}

impl Config {
    fn from_env() -> Config {
        fn number<T: std::str::FromStr>(name: &str, default: T) -> T {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        }
        let demo = DemoOptions {
            clients: number("KAPDESK_BENCH_CLIENTS", CLIENTS),
            years: number("KAPDESK_BENCH_YEARS", YEARS),
            seed: number("KAPDESK_BENCH_SEED", SEED),
        };
        let vault = std::env::var_os("KAPDESK_BENCH_VAULT")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                target_dir().join("bench-cache").join(format!(
                    "demo-s{}-c{}-y{}.kapdesk",
                    demo.seed, demo.clients, demo.years
                ))
            });
        Config {
            demo,
            vault,
            passphrase: std::env::var("KAPDESK_BENCH_PASSPHRASE")
                .unwrap_or_else(|_| DEFAULT_PASSPHRASE.to_owned()),
            only: std::env::var("KAPDESK_BENCH_ONLY")
                .ok()
                .filter(|s| !s.is_empty()),
            quick: std::env::var("KAPDESK_BENCH_QUICK").is_ok_and(|v| v != "0"),
        }
    }

    /// (at least, at most, or until this much time is spent) samples of one row.
    fn budget(&self, kind: Kind) -> (usize, usize, Duration) {
        let (min, max, secs) = match kind {
            Kind::Read => (20, 200, 2.0),
            Kind::Write => (20, 60, 3.0),
            Kind::Document => (5, 30, 5.0),
            Kind::Export => (1, 3, 20.0),
            Kind::Open => (5, 10, 5.0),
        };
        if self.quick {
            (min.min(5), max.min(10), Duration::from_secs_f64(secs / 4.0))
        } else {
            (min, max, Duration::from_secs_f64(secs))
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Read,
    Write,
    Document,
    Export,
    Open,
}

/// `target/` of this build: the bench runs as `target/<profile>/deps/practice-<hash>`.
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// The demo vault, written once if missing, and the moment it was written, which is
/// "now" for every measure: the practice's today, its next sessions and its overdue
/// notes are those of the day it was written, however old the cached file is.
fn demo_vault(cfg: &Config) -> (PathBuf, DateTime<Utc>) {
    let path = cfg.vault.clone();
    let stamp = stamp_path(&path);
    if !path.exists() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the bench cache folder");
        }
        let now = Utc::now();
        let o = &cfg.demo;
        eprintln!(
            "writing the demo practice ({} clients, {} years, seed {}) to {}",
            o.clients,
            o.years,
            o.seed,
            path.display()
        );
        let t = Instant::now();
        let summary = write_demo_practice(&path, &Passphrase::new(cfg.passphrase.clone()), o, now)
            .expect("the demo practice is written");
        eprintln!(
            "demo practice written in {:.1} s: {summary:?}",
            t.elapsed().as_secs_f64()
        );
        std::fs::write(&stamp, now.to_rfc3339()).expect("the demo's date is kept");
    }
    let now = std::env::var("KAPDESK_BENCH_NOW")
        .ok()
        .or_else(|| std::fs::read_to_string(&stamp).ok())
        .and_then(|s| DateTime::parse_from_rfc3339(s.trim()).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now);
    (path, now)
}

/// Beside the cached vault: when it was written (RFC 3339).
fn stamp_path(vault: &Path) -> PathBuf {
    let mut name = vault.file_name().unwrap_or_default().to_os_string();
    name.push(".written-at");
    vault.with_file_name(name)
}

// --- The report ---------------------------------------------------------------------

enum Budget {
    None,
    /// p95 at most.
    P95(Duration),
    /// The value at most (a ratio).
    Ratio(f64),
}

struct Report {
    only: Option<String>,
    rows: usize,
    failed: Vec<String>,
}

impl Report {
    fn new(only: Option<String>) -> Report {
        Report {
            only,
            rows: 0,
            failed: Vec::new(),
        }
    }

    fn header(&self) {
        println!("| What | n | p50 | p95 | Budget | Met |");
        println!("| --- | ---: | ---: | ---: | --- | :---: |");
        flush();
    }

    fn wants(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|o| o.split('|').any(|part| name.contains(part)))
    }

    fn section(&self, title: &str) {
        if self.only.is_none() {
            println!("| **{title}** | | | | | |");
            flush();
        }
    }

    /// Times `f` (after one untimed run) and prints the row.
    fn time<T>(
        &mut self,
        cfg: &Config,
        kind: Kind,
        name: &str,
        budget: Budget,
        f: impl FnMut(usize) -> kapdesk_core::Result<T>,
    ) {
        if !self.wants(name) {
            return;
        }
        let (min, max, time) = cfg.budget(kind);
        let warm = !matches!(kind, Kind::Export | Kind::Open);
        match sample(min, max, time, warm, f) {
            Ok(samples) => self.row(name, &samples, budget),
            Err(e) => self.failed_row(name, &e.to_string()),
        }
    }

    /// An IPC command: the core call and the JSON of its answer.
    fn command<T: Serialize>(
        &mut self,
        cfg: &Config,
        kind: Kind,
        name: &str,
        mut f: impl FnMut(usize) -> kapdesk_core::Result<T>,
    ) {
        self.time(cfg, kind, name, Budget::P95(COMMAND_P95), |i| {
            let answer = f(i)?;
            Ok(serde_json::to_vec(&answer).expect("the answer serialises"))
        });
    }

    fn row(&mut self, name: &str, samples: &[Duration], budget: Budget) {
        let mut sorted = samples.to_vec();
        sorted.sort();
        let p50 = percentile(&sorted, 0.50);
        let p95 = percentile(&sorted, 0.95);
        let (text, met) = match budget {
            Budget::None => ("—".to_owned(), None),
            Budget::P95(max) => (format!("p95 ≤ {}", fmt_duration(max)), Some(p95 <= max)),
            Budget::Ratio(_) => unreachable!("a ratio is a value row"),
        };
        self.print(
            name,
            &samples.len().to_string(),
            &fmt_duration(p50),
            &fmt_duration(p95),
            &text,
            met,
        );
    }

    fn ratio_row(&mut self, name: &str, n: usize, p50: f64, p95: f64, budget: Budget) {
        let (text, met) = match budget {
            Budget::Ratio(max) => (format!("≤ {max}"), Some(p50 <= max)),
            _ => ("—".to_owned(), None),
        };
        self.print(
            name,
            &n.to_string(),
            &format!("{p50:.2}×"),
            &format!("{p95:.2}×"),
            &text,
            met,
        );
    }

    fn failed_row(&mut self, name: &str, error: &str) {
        let name = format!("{name} — failed: {}", error.replace('|', "/"));
        self.print(&name, "0", "—", "—", "—", Some(false));
    }

    fn print(
        &mut self,
        name: &str,
        n: &str,
        p50: &str,
        p95: &str,
        budget: &str,
        met: Option<bool>,
    ) {
        let mark = match met {
            None => "",
            Some(true) => "✓",
            Some(false) => {
                self.failed.push(name.to_owned());
                "✗"
            }
        };
        println!("| {name} | {n} | {p50} | {p95} | {budget} | {mark} |");
        flush();
        self.rows += 1;
    }
}

fn flush() {
    let _ = std::io::stdout().flush();
}

fn sample<T>(
    min: usize,
    max: usize,
    time: Duration,
    warm: bool,
    mut f: impl FnMut(usize) -> kapdesk_core::Result<T>,
) -> kapdesk_core::Result<Vec<Duration>> {
    let mut i = 0;
    if warm {
        std::hint::black_box(f(i)?);
        i += 1;
    }
    let started = Instant::now();
    let mut samples = Vec::with_capacity(max);
    while samples.len() < min || (samples.len() < max && started.elapsed() < time) {
        let t = Instant::now();
        let out = f(i)?;
        samples.push(t.elapsed());
        drop(std::hint::black_box(out));
        i += 1;
    }
    Ok(samples)
}

/// Nearest rank on sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn fmt_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1e3)
    } else if ms >= 1_000.0 {
        format!("{:.2} s", ms / 1e3)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

// --- What the practice holds: the realistic arguments ------------------------------

struct Client {
    id: String,
    name: String,
    /// Every session of every course, oldest first, with its course.
    sessions: Vec<SessionView>,
    current_course: String,
    courses: usize,
}

struct Survey {
    clients: Vec<Client>,
    /// The most sessions over all courses.
    largest: usize,
    busiest_day: (NaiveDate, usize),
    /// Just before the first session of the busiest day.
    busiest_now: DateTime<Utc>,
    /// Per client, measures recorded.
    measures: HashMap<String, usize>,
    safety_plans: Vec<String>,
    total_sessions: usize,
}

impl Survey {
    fn of(v: &Vault, now: DateTime<Utc>) -> Survey {
        let t = Instant::now();
        let all = ClientQuery {
            include_archived: true,
            ..Default::default()
        };
        let mut clients = Vec::new();
        for c in v.list_clients(&all, now).expect("the client list") {
            let current = v.timeline(&c.id, None, now).expect("a timeline");
            let mut sessions = Vec::new();
            for course in &current.courses {
                let t = if course.id == current.course.id {
                    current.sessions.clone()
                } else {
                    v.timeline(&c.id, Some(&course.id), now)
                        .expect("a course's timeline")
                        .sessions
                };
                sessions.extend(t);
            }
            clients.push(Client {
                id: c.id.clone(),
                name: c.display_name.clone(),
                sessions,
                current_course: current.course.id.clone(),
                courses: current.courses.len(),
            });
        }
        let largest = (0..clients.len())
            .max_by_key(|&i| clients[i].sessions.len())
            .expect("the demo practice has clients");
        let mut days: BTreeMap<String, (usize, DateTime<Utc>)> = BTreeMap::new();
        for s in clients.iter().flat_map(|c| &c.sessions) {
            if matches!(
                s.status,
                SessionStatus::Scheduled | SessionStatus::Completed
            ) {
                let e = days.entry(s.date.clone()).or_insert((0, s.starts_utc));
                e.0 += 1;
                e.1 = e.1.min(s.starts_utc);
            }
        }
        let (day, (count, first)) = days
            .iter()
            .max_by_key(|(_, (n, _))| *n)
            .map(|(d, x)| (d.clone(), *x))
            .expect("the demo practice has sessions");
        let measures = clients
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    v.measures(&c.id).map(|m| m.len()).unwrap_or(0),
                )
            })
            .collect();
        let safety_plans = clients
            .iter()
            .filter(|c| v.safety_plan(&c.id).ok().flatten().is_some())
            .map(|c| c.id.clone())
            .collect();
        let total_sessions = clients.iter().map(|c| c.sessions.len()).sum();
        let s = Survey {
            clients,
            largest,
            busiest_day: (
                NaiveDate::parse_from_str(&day, "%Y-%m-%d").expect("a session date"),
                count,
            ),
            busiest_now: first - chrono::Duration::hours(1),
            measures,
            safety_plans,
            total_sessions,
        };
        eprintln!(
            "surveyed the practice in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        s
    }

    fn largest(&self) -> &Client {
        &self.clients[self.largest]
    }

    fn describe(&self) -> String {
        let l = self.largest();
        format!(
            "{} clients, {} sessions; largest client {} ({} sessions, {} courses); busiest day {} ({} sessions)",
            self.clients.len(),
            self.total_sessions,
            l.name,
            l.sessions.len(),
            l.courses,
            self.busiest_day.0,
            self.busiest_day.1
        )
    }

    /// The client with the most measures recorded.
    fn most_measured(&self) -> (&Client, usize) {
        self.clients
            .iter()
            .map(|c| (c, self.measures.get(&c.id).copied().unwrap_or(0)))
            .max_by_key(|(_, n)| *n)
            .expect("clients")
    }

    /// Sessions of `kind` among every client's, the largest client's first.
    fn sessions_where(&self, keep: impl Fn(&SessionView) -> bool) -> Vec<&SessionView> {
        let l = self.largest();
        let mut out: Vec<&SessionView> = l.sessions.iter().filter(|s| keep(s)).collect();
        for c in self.clients.iter().filter(|c| c.id != l.id) {
            out.extend(c.sessions.iter().filter(|s| keep(s)));
        }
        out
    }
}

// --- IPC commands ---------------------------------------------------------------------

fn commands(r: &mut Report, v: &mut Vault, s: &Survey, now: DateTime<Utc>, cfg: &Config) {
    let l = s.largest();
    let n_clients = s.clients.len();

    r.section("IPC commands: core call + JSON answer");
    r.command(cfg, Kind::Read, "get_dashboard — today", |_| {
        v.dashboard(now)
    });
    let (day, count) = s.busiest_day;
    r.command(
        cfg,
        Kind::Read,
        &format!("get_dashboard — the busiest day ({day}, {count} sessions)"),
        |_| v.dashboard(s.busiest_now),
    );
    r.command(
        cfg,
        Kind::Read,
        "backup_status (every screen's frame)",
        |_| v.backup_status(now, None),
    );

    let query = |search: &str, status: Option<ClientStatus>, sort: ClientSort| ClientQuery {
        search: search.to_owned(),
        status,
        include_archived: false,
        sort,
    };
    r.command(
        cfg,
        Kind::Read,
        &format!("list_clients — all by name ({n_clients} clients)"),
        |_| v.list_clients(&query("", None, ClientSort::Name), now),
    );
    r.command(
        cfg,
        Kind::Read,
        "list_clients — all, soonest next session first",
        |_| v.list_clients(&query("", None, ClientSort::NextSession), now),
    );
    // What the therapist types, a letter at a time.
    let typed: Vec<String> = {
        let name: Vec<char> = l.name.chars().collect();
        (1..=name.len().min(6))
            .map(|n| name[..n].iter().collect())
            .collect()
    };
    r.command(
        cfg,
        Kind::Read,
        "list_clients — search as typed (1–6 letters of a name)",
        |i| v.list_clients(&query(&typed[i % typed.len()], None, ClientSort::Name), now),
    );
    r.command(
        cfg,
        Kind::Read,
        "list_clients — filter by status, archived shown",
        |i| {
            let status = ClientStatus::ALL[i % ClientStatus::ALL.len()];
            let q = ClientQuery {
                include_archived: true,
                ..query("", Some(status), ClientSort::Name)
            };
            v.list_clients(&q, now)
        },
    );
    r.command(cfg, Kind::Read, "get_client — largest client", |_| {
        v.client(&l.id)
    });
    let current_len = l
        .sessions
        .iter()
        .filter(|x| x.course_id == l.current_course)
        .count();
    r.command(
        cfg,
        Kind::Read,
        &format!("get_timeline — largest client ({current_len} sessions in the current course)"),
        |_| v.timeline(&l.id, None, now),
    );
    if let Some((course, n)) = largest_course(l) {
        r.command(
            cfg,
            Kind::Read,
            &format!("get_timeline — largest client's longest course ({n} sessions)"),
            |_| v.timeline(&l.id, Some(&course), now),
        );
    }
    r.command(
        cfg,
        Kind::Read,
        "get_timeline — every client in turn",
        |i| v.timeline(&s.clients[i % n_clients].id, None, now),
    );
    r.command(cfg, Kind::Write, "get_consent — largest client", |_| {
        v.consent_checklist(&l.id, now)
    });
    r.command(
        cfg,
        Kind::Read,
        "list_safety_plans — largest client",
        |_| v.safety_plan_versions(&l.id),
    );

    // Dosing day.
    let dosings = s.sessions_where(|x| x.kind == SessionKind::Dosing);
    let largest_dosings: Vec<&SessionView> = dosings
        .iter()
        .copied()
        .filter(|x| l.sessions.iter().any(|y| y.id == x.id))
        .collect();
    let dosing_args = if largest_dosings.is_empty() {
        &dosings
    } else {
        &largest_dosings
    };
    if !dosing_args.is_empty() {
        r.command(
            cfg,
            Kind::Read,
            &format!(
                "get_dosing_record — largest client's dosings ({})",
                dosing_args.len()
            ),
            |i| v.dosing_record(&dosing_args[i % dosing_args.len()].id),
        );
    }
    let open_dosing = dosings
        .iter()
        .find(|x| x.status == SessionStatus::Scheduled)
        .map(|x| x.id.clone());
    match &open_dosing {
        Some(id) => {
            r.command(
                cfg,
                Kind::Read,
                "get_dosing_watch — a booked dosing",
                |_| v.dosing_watch(id, now),
            );
            r.command(
                cfg,
                Kind::Write,
                "set_dosing_check — tick and untick, a booked dosing",
                |i| {
                    let at = (i % 2 == 0).then_some("09:05");
                    v.set_dosing_check(id, DosingCheck::Fasting, at, now)
                },
            );
        }
        None => r.failed_row("set_dosing_check", "no booked dosing in the practice"),
    }

    // Notes.
    let signed: Vec<&SessionView> = l
        .sessions
        .iter()
        .filter(|x| x.note == NoteState::Signed)
        .collect();
    if !signed.is_empty() {
        r.command(
            cfg,
            Kind::Read,
            &format!(
                "get_note — largest client's signed notes ({})",
                signed.len()
            ),
            |i| v.note(&signed[i % signed.len()].id),
        );
    }
    let writable = s
        .sessions_where(|x| x.can_write_note && x.note != NoteState::Signed && x.starts_utc <= now);
    if let Some(first) = writable.first() {
        let id = first.id.clone();
        let mut draft = draft_of(v, &id);
        r.command(
            cfg,
            Kind::Write,
            "save_note_draft — a typed change (the save queue's call)",
            |i| {
                if let Some(section) = draft.sections.first_mut() {
                    section.text = format!("{} {i}", note_text(i));
                }
                v.save_note_draft(&id, draft.clone(), now)
            },
        );
    } else {
        r.failed_row("save_note_draft", "no session whose note may be written");
    }
    // Each signature needs its own note: drafts written beforehand, untimed.
    let to_sign: Vec<String> = writable
        .iter()
        .skip(1)
        .take(if cfg.quick { 8 } else { 40 })
        .map(|x| x.id.clone())
        .collect();
    if r.wants("sign_note") && !to_sign.is_empty() {
        for (i, id) in to_sign.iter().enumerate() {
            let mut d = draft_of(v, id);
            for section in &mut d.sections {
                section.text = note_text(i);
            }
            v.save_note_draft(id, d, now).expect("a draft to sign");
        }
        let mut samples = Vec::new();
        let mut failure = None;
        for id in &to_sign {
            let t = Instant::now();
            match v.sign_note(id, now) {
                Ok(note) => {
                    std::hint::black_box(serde_json::to_vec(&note).unwrap());
                    samples.push(t.elapsed());
                }
                Err(e) => failure = Some(e.to_string()),
            }
        }
        match failure {
            Some(e) if samples.is_empty() => r.failed_row("sign_note", &e),
            _ => r.row(
                "sign_note — one draft each",
                &samples,
                Budget::P95(COMMAND_P95),
            ),
        }
    }
    if !signed.is_empty() {
        r.command(
            cfg,
            Kind::Write,
            "add_addendum — largest client's signed notes",
            |i| {
                let id = &signed[i % signed.len()].id;
                v.add_addendum(id, &note_text(i), &format!("bench-addendum-{i}"), now)
            },
        );
        r.command(
            cfg,
            Kind::Write,
            "get_psychotherapy_note (its reading is audited)",
            |i| v.psychotherapy_note(&signed[i % signed.len()].id, now),
        );
    }
    let searches = [
        "sleep",
        "grief",
        "mother",
        "breath anxiety",
        "integration insight",
        "partner",
        "work stress",
        "fear",
        "walk music",
        "childhood memory",
        "relief",
        "journal",
    ];
    r.command(
        cfg,
        Kind::Read,
        "search_notes — 12 everyday words and pairs",
        |i| v.search_notes(searches[i % searches.len()]),
    );
    r.command(cfg, Kind::Read, "get_form_draft", |_| {
        v.form_draft("booking-form")
    });

    // Measures.
    let (measured, n_measures) = s.most_measured();
    r.command(
        cfg,
        Kind::Read,
        &format!("list_measures — the most measured client ({n_measures} scores)"),
        |_| v.measures(&measured.id),
    );
    r.command(
        cfg,
        Kind::Read,
        "measure_charts — the most measured client",
        |_| v.measure_charts(&measured.id),
    );
    r.command(cfg, Kind::Read, "measure_instruments", |_| {
        kapdesk_core::model::measures::instruments().map(<[_]>::to_vec)
    });
    let today = v.today(now).expect("today").to_string();
    r.command(
        cfg,
        Kind::Write,
        "record_measure — a GAD-7, largest client",
        |i| {
            v.record_measure(
                NewAdministration {
                    client_id: l.id.clone(),
                    instrument: "gad7".into(),
                    date: today.clone(),
                    session_id: None,
                    filled_by: FilledBy::Client,
                    answers: (0..7).map(|k| Some(((i + k) % 4) as u32)).collect(),
                },
                &format!("bench-measure-{i}"),
                now,
            )
        },
    );

    // Booking.
    r.command(
        cfg,
        Kind::Write,
        "book_session — a follow-up, largest client",
        |i| {
            let date = (now + chrono::Duration::days(60 + i as i64)).date_naive();
            v.book_session(
                BookingRequest {
                    client_id: l.id.clone(),
                    kind: SessionKind::FollowUp,
                    date: date.to_string(),
                    time: "15:00".into(),
                    duration_min: None,
                    location: "Office".into(),
                    override_reason: None,
                },
                &format!("bench-session-{i}"),
                now,
            )
        },
    );

    // The audit viewer (Settings) and the settings screen.
    let head = v.audit_anchor().map(|a| a.entries).unwrap_or(0);
    r.command(
        cfg,
        Kind::Read,
        &format!("audit_trail — newest page ({head} entries in the trail)"),
        |_| v.audit_page(None, None, 100),
    );
    r.command(
        cfg,
        Kind::Read,
        "audit_trail — a page halfway back",
        |_| v.audit_page(None, Some(head / 2), 100),
    );
    r.command(
        cfg,
        Kind::Read,
        "audit_trail — largest client's newest page",
        |_| v.audit_page(Some(&l.id), None, 100),
    );
    r.command(cfg, Kind::Read, "get_settings", |_| v.settings());
    r.command(cfg, Kind::Read, "get_protocol_settings", |_| {
        v.protocol_settings()
    });
    r.command(cfg, Kind::Read, "get_dosing_settings", |_| {
        v.dosing_settings()
    });
    r.command(cfg, Kind::Read, "get_guard_settings", |_| {
        v.guard_settings()
    });
    r.command(cfg, Kind::Read, "get_measure_schedule", |_| {
        v.measure_schedule()
    });
    r.command(cfg, Kind::Read, "get_consent_template", |_| {
        v.consent_template()
    });
    r.command(cfg, Kind::Read, "get_handout_template", |_| {
        v.handout_template()
    });
    r.command(cfg, Kind::Read, "get_template_offers", |_| {
        v.template_offers()
    });
    r.command(cfg, Kind::Read, "get_safety_plan_wording", |_| {
        v.safety_plan_wording()
    });
    r.command(cfg, Kind::Read, "vault_info (counts every table)", |_| {
        v.info()
    });
    // A folder as the rotation leaves it (7 daily, 4 weekly, 12 monthly), beside
    // files that are not backups; listing reads names, not contents.
    let folder = tempfile::tempdir().expect("a backup folder");
    for days in (0..7)
        .chain((1..5).map(|w| w * 7))
        .chain((1..13).map(|m| m * 30))
    {
        let name = kapdesk_core::model::safeguards::backup_file_name(
            now - chrono::Duration::days(days),
            None,
        );
        std::fs::write(folder.path().join(name), b"").expect("a backup file");
    }
    std::fs::write(folder.path().join("taxes-2025.pdf"), b"").expect("another file");
    r.command(
        cfg,
        Kind::Read,
        "list_backups (23 kept by the rotation)",
        |_| v.backups(Some(folder.path())),
    );
}

fn largest_course(c: &Client) -> Option<(String, usize)> {
    let mut per: HashMap<&str, usize> = HashMap::new();
    for s in &c.sessions {
        *per.entry(s.course_id.as_str()).or_default() += 1;
    }
    let (course, n) = per.into_iter().max_by_key(|(_, n)| *n)?;
    (course != c.current_course).then(|| (course.to_owned(), n))
}

fn draft_of(v: &Vault, session_id: &str) -> NoteDraft {
    let note = v.note(session_id).expect("the note of a session");
    NoteDraft {
        format: note.format,
        sections: note.sections,
    }
}

/// About 120 words, different for each `i`.
fn note_text(i: usize) -> String {
    const WORDS: &[&str] = &[
        "client",
        "reported",
        "sleep",
        "steadier",
        "since",
        "the",
        "last",
        "session",
        "breath",
        "practice",
        "helped",
        "with",
        "evening",
        "anxiety",
        "we",
        "explored",
        "grief",
        "about",
        "mother",
        "and",
        "the",
        "meaning",
        "of",
        "the",
        "lighthouse",
        "image",
        "integration",
        "plan",
        "journal",
        "walk",
        "daily",
    ];
    (0..120)
        .map(|k| WORDS[(i * 7 + k * 13 + k / 5) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

// --- Printed documents and exports ----------------------------------------------------

fn documents(
    r: &mut Report,
    v: &mut Vault,
    s: &Survey,
    now: DateTime<Utc>,
    cfg: &Config,
    work: &Path,
) {
    let l = s.largest();
    r.section("Printed documents and exports");
    let ms = Duration::from_millis;
    r.time(
        cfg,
        Kind::Document,
        "consent packet — largest client's record",
        Budget::P95(ms(50)),
        |_| v.consent_packet(&l.id, false, now),
    );
    r.time(
        cfg,
        Kind::Document,
        "consent packet — blank",
        Budget::P95(ms(50)),
        |_| v.consent_packet(&l.id, true, now),
    );
    let dosings = s.sessions_where(|x| x.kind == SessionKind::Dosing);
    let handout = dosings
        .iter()
        .find(|x| x.status == SessionStatus::Scheduled)
        .or(dosings.first())
        .map(|x| x.id.clone());
    if let Some(id) = handout {
        r.time(
            cfg,
            Kind::Document,
            "dosing-day handout",
            Budget::P95(ms(20)),
            |_| v.dosing_handout(&id, now),
        );
    }

    // A client's notes PDF of 50 notes: the client with the most signed notes, from the
    // date that takes in their last 50.
    let fifty = s
        .clients
        .iter()
        .max_by_key(|c| {
            c.sessions
                .iter()
                .filter(|x| x.note == NoteState::Signed)
                .count()
        })
        .and_then(|c| {
            let mut dates: Vec<&str> = c
                .sessions
                .iter()
                .filter(|x| x.note == NoteState::Signed)
                .map(|x| x.date.as_str())
                .collect();
            dates.sort();
            let from = dates.len().checked_sub(50).map(|k| dates[k])?;
            Some((c.id.clone(), from.to_owned()))
        });
    let out = |kind: &str, i: usize| -> PathBuf {
        let d = work.join(format!("{kind}-{i}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("an export folder");
        d
    };
    if let Some((client, from)) = fifty {
        let req = ExportRequest {
            client_id: Some(client),
            from: Some(from),
            to: None,
            format: ExportFormat::Pdf,
            include_psychotherapy_notes: false,
        };
        let notes = v
            .collect_notes(&req, now)
            .map(|n| n.clients.iter().map(|c| c.notes.len()).sum::<usize>())
            .unwrap_or(0);
        r.time(
            cfg,
            Kind::Document,
            &format!("a client's notes PDF ({notes} notes)"),
            Budget::P95(ms(300)),
            |i| v.export_notes(&req, &out("client-pdf", i), now, &mut |_| true),
        );
    }
    r.time(
        cfg,
        Kind::Document,
        "record request — largest client (everything, one PDF)",
        Budget::None,
        |_| v.record_request(&l.id, now),
    );
    let (measured, n) = s.most_measured();
    r.time(
        cfg,
        Kind::Document,
        &format!("progress letter — the most measured client ({n} scores)"),
        Budget::P95(ms(30)),
        |_| v.progress_letter(&measured.id, "Steady improvement across the course.", now),
    );
    if let Some(id) = s.safety_plans.first() {
        r.time(cfg, Kind::Document, "safety plan PDF", Budget::None, |_| {
            v.safety_plan_pdf(id, None, now)
        });
    }
    r.time(
        cfg,
        Kind::Document,
        "recovery sheet PDF",
        Budget::None,
        |_| v.recovery_sheet_pdf(now),
    );
    r.time(
        cfg,
        Kind::Document,
        "calendar export (.ics, every booked session)",
        Budget::None,
        |_| v.calendar(true, now),
    );
    r.time(
        cfg,
        Kind::Document,
        "measures CSV (every score of the practice)",
        Budget::None,
        |_| v.measures_csv(now),
    );

    let all = |format| ExportRequest {
        client_id: None,
        from: None,
        to: None,
        format,
        include_psychotherapy_notes: false,
    };
    let total = v
        .collect_notes(&all(ExportFormat::Markdown), now)
        .map(|n| n.clients.iter().map(|c| c.notes.len()).sum::<usize>())
        .unwrap_or(0);
    for (format, label, budget) in [
        (ExportFormat::Markdown, "Markdown", Budget::None),
        (ExportFormat::Json, "JSON", Budget::None),
        (
            ExportFormat::Pdf,
            "PDF",
            Budget::P95(Duration::from_secs(10)),
        ),
    ] {
        let req = all(format);
        r.time(
            cfg,
            Kind::Export,
            &format!("every note of the practice to {label} ({total} notes)"),
            budget,
            |i| {
                let d = out(label, i);
                let outcome = v.export_notes(&req, &d, now, &mut |_| true);
                let _ = std::fs::remove_dir_all(&d);
                outcome
            },
        );
    }
}

// --- The vault: open, back up, verify ---------------------------------------------------

fn vault_rows(
    r: &mut Report,
    v: Vault,
    path: &Path,
    pass: &Passphrase,
    now: DateTime<Utc>,
    cfg: &Config,
    work: &Path,
) -> Vault {
    r.section("The vault");
    let mb = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let v = if r.wants("open") {
        v.close().expect("the vault closes");
        r.time(
            cfg,
            Kind::Open,
            &format!("vault open: key derivation, checks, settings ({mb:.0} MB)"),
            Budget::None,
            |_| Vault::open(path, pass, now).and_then(Vault::close),
        );
        Vault::open(path, pass, now).expect("the vault opens again")
    } else {
        v
    };
    r.time(
        cfg,
        Kind::Open,
        "passphrase check alone (the key derivation)",
        Budget::None,
        |_| v.check_passphrase(pass),
    );
    let backups = work.join("backups");
    std::fs::create_dir_all(&backups).expect("a backup folder");
    r.time(
        cfg,
        Kind::Export,
        &format!("backup: copy, verify, fsync ({mb:.0} MB)"),
        Budget::None,
        |i| {
            let dest = backups.join(format!("b{i}.kapdesk"));
            let out = v.backup_to(&dest, pass, now);
            let _ = std::fs::remove_file(&dest);
            out
        },
    );
    r.time(
        cfg,
        Kind::Export,
        "verify: every page's HMAC and the structure",
        Budget::None,
        |_| v.verify(),
    );
    r.time(
        cfg,
        Kind::Export,
        "check_audit_trail: every seal of the chain",
        Budget::None,
        |_| v.check_audit(),
    );
    v
}

// --- Encrypted against plain: the same query mix ---------------------------------------

/// The statements the main screens run (copied from `store/`), with the practice's own
/// arguments: the client list, the largest client's course, the busiest day's agenda,
/// the dashboard's per-course load, signed notes, a search, the audit viewer, measures
/// and a dosing record.
fn query_mix(conn: &Connection, s: &Survey, now: DateTime<Utc>) -> rusqlite::Result<usize> {
    let l = s.largest();
    let mut rows = 0;
    let mut run = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut q = stmt.query(params)?;
        while let Some(row) = q.next()? {
            for i in 0..n {
                std::hint::black_box(row.get_ref(i)?);
            }
            rows += 1;
        }
        Ok(())
    };
    let now_s = now.to_rfc3339();
    run(
        "SELECT c.id, c.legal_name, c.preferred_name, c.status, c.archived_at IS NOT NULL,
                (SELECT s.id FROM sessions s JOIN courses k ON k.id = s.course_id
                  WHERE k.client_id = c.id AND s.status = 'scheduled' AND s.starts_utc >= ?1
                  ORDER BY s.starts_utc LIMIT 1),
                (SELECT max(substr(s.starts_local, 1, 10)) FROM sessions s JOIN courses k ON k.id = s.course_id
                  WHERE k.client_id = c.id AND s.status = 'completed')
         FROM clients c WHERE c.archived_at IS NULL ORDER BY c.legal_name COLLATE NOCASE",
        &[&now_s],
    )?;
    run(
        "SELECT s.*, (SELECT CASE WHEN n.signed_at IS NULL THEN 'draft' ELSE 'signed' END
                        FROM notes n WHERE n.session_id = s.id)
         FROM sessions s WHERE s.course_id = ?1 ORDER BY s.starts_utc, s.id",
        &[&l.current_course],
    )?;
    let day = s.busiest_day.0;
    let (from, to) = (
        day.and_hms_opt(0, 0, 0).unwrap().and_utc().to_rfc3339(),
        (day + chrono::Duration::days(1))
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc()
            .to_rfc3339(),
    );
    run(
        "SELECT s.*, c.id, c.legal_name FROM sessions s JOIN courses k ON k.id = s.course_id
         JOIN clients c ON c.id = k.client_id
         WHERE s.starts_utc >= ?1 AND s.starts_utc < ?2 AND c.archived_at IS NULL
         ORDER BY s.starts_utc",
        &[&from, &to],
    )?;
    run(
        "WITH current AS MATERIALIZED (
            SELECT k.id FROM clients c JOIN current_courses k ON k.client_id = c.id
            WHERE c.archived_at IS NULL AND c.status NOT IN ('completed', 'discharged'))
         SELECT s.* FROM current JOIN sessions s ON s.course_id = current.id
         WHERE s.kind IN ('preparation', 'dosing', 'integration')",
        &[],
    )?;
    for x in l
        .sessions
        .iter()
        .filter(|x| x.note == NoteState::Signed)
        .rev()
        .take(20)
    {
        run("SELECT * FROM notes WHERE session_id = ?1", &[&x.id])?;
        run(
            "SELECT * FROM note_addenda WHERE session_id = ?1 ORDER BY seq",
            &[&x.id],
        )?;
    }
    run(
        "SELECT rowid, snippet(note_search, 0, char(2), char(3), '…', 24), rank
         FROM note_search WHERE note_search MATCH ?1 ORDER BY rank LIMIT 50",
        &[&"\"grief\"*"],
    )?;
    run("SELECT * FROM audit_log ORDER BY id DESC LIMIT 100", &[])?;
    run(
        "SELECT * FROM measure_administrations WHERE client_id = ?1
         ORDER BY given_on, recorded_at, id",
        &[&l.id],
    )?;
    for x in l
        .sessions
        .iter()
        .filter(|x| x.kind == SessionKind::Dosing)
        .take(10)
    {
        run(
            "SELECT * FROM dosing_records WHERE session_id = ?1",
            &[&x.id],
        )?;
        run(
            "SELECT * FROM dosing_vitals WHERE session_id = ?1 ORDER BY taken_at, created_at",
            &[&x.id],
        )?;
        run(
            "SELECT * FROM dosing_checks WHERE session_id = ?1",
            &[&x.id],
        )?;
    }
    Ok(rows)
}

/// The vault's own connection settings (`vault/mod.rs`), so the two copies differ only
/// by the key.
fn raw_connection(path: &Path, key: Option<&str>) -> Connection {
    let conn = Connection::open(path).expect("a connection");
    conn.execute_batch("PRAGMA cipher_memory_security = ON")
        .expect("memory security");
    if let Some(key) = key {
        conn.pragma_update(None, "key", key).expect("the key");
    }
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;",
    )
    .expect("the settings");
    // The key derivation happens here, outside any timing.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .expect("the database opens");
    conn
}

fn encryption_ratio(
    r: &mut Report,
    vault: &Path,
    cfg: &Config,
    s: &Survey,
    now: DateTime<Utc>,
    work: &Path,
) {
    let name_warm = "encrypted ÷ plain — the query mix, warm (the app's case)";
    let name_cold = "encrypted ÷ plain — the query mix, cold (fresh connection)";
    if !r.wants("encrypted") {
        return;
    }
    r.section("What encryption costs");
    // A plaintext copy of the bench's own temporary copy, never of a real vault.
    let plain = work.join("plain.sqlite");
    {
        let enc = raw_connection(vault, Some(&cfg.passphrase));
        enc.execute(
            "ATTACH DATABASE ?1 AS plain KEY ''",
            [plain.to_str().expect("a UTF-8 path")],
        )
        .expect("attach the plain copy");
        enc.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
            .expect("sqlcipher_export");
        enc.execute_batch("DETACH DATABASE plain")
            .expect("detach the plain copy");
    }
    let (min, max, _) = cfg.budget(Kind::Read);
    let rounds = max.clamp(min, 60);

    // Warm: one connection each, the mix run once first; alternating, so the machine's
    // other load falls on both.
    let enc = raw_connection(vault, Some(&cfg.passphrase));
    let pln = raw_connection(&plain, None);
    let rows = query_mix(&enc, s, now).expect("the mix runs encrypted");
    assert_eq!(rows, query_mix(&pln, s, now).expect("the mix runs plain"));
    let (mut te, mut tp) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        query_mix(&enc, s, now).unwrap();
        te.push(t.elapsed());
        let t = Instant::now();
        query_mix(&pln, s, now).unwrap();
        tp.push(t.elapsed());
    }
    drop((enc, pln));
    let ratios = |te: &mut Vec<Duration>, tp: &mut Vec<Duration>| {
        te.sort();
        tp.sort();
        let at = |p| percentile(te, p).as_secs_f64() / percentile(tp, p).as_secs_f64().max(1e-9);
        (at(0.5), at(0.95))
    };
    let (p50, p95) = ratios(&mut te, &mut tp);
    eprintln!(
        "query mix ({rows} rows): encrypted p50 {}, plain p50 {}",
        fmt_duration(percentile(&te, 0.5)),
        fmt_duration(percentile(&tp, 0.5))
    );
    r.ratio_row(name_warm, rounds, p50, p95, Budget::Ratio(1.3));

    // Cold: a fresh connection (key derived outside the timing), so every page is read
    // and, encrypted, decrypted and authenticated once.
    let (mut te, mut tp) = (Vec::new(), Vec::new());
    for _ in 0..rounds.min(20) {
        let enc = raw_connection(vault, Some(&cfg.passphrase));
        let t = Instant::now();
        query_mix(&enc, s, now).unwrap();
        te.push(t.elapsed());
        let pln = raw_connection(&plain, None);
        let t = Instant::now();
        query_mix(&pln, s, now).unwrap();
        tp.push(t.elapsed());
    }
    let (p50, p95) = ratios(&mut te, &mut tp);
    r.ratio_row(name_cold, te.len(), p50, p95, Budget::None);
    let _ = std::fs::remove_file(&plain);
}
