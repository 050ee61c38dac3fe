//! The demo practice: a whole invented practice, written into a new vault so that a
//! therapist can explore KAP Desk full before typing in a real client, and so that the
//! speed report has ten busy years to measure.
//!
//! Everything goes through the same `Vault` methods the app and the CLI call (adding a
//! client, booking with the checks before a dosing, the dosing record, consent, notes,
//! measures, safety plans), each with its own moment in the past as `now`, so the
//! practice obeys the protocol's rules exactly as a real one typed in by hand would.
//! Nothing is written around them.
//!
//! Deterministic: a small PRNG (splitmix64) seeded from `DemoOptions::seed` draws
//! every name, date, score and sentence, so the same options give the same practice.
//! The words are data in `assets/demo/practice.toml`; every person there is invented.
//!
//! How it works: first each client's whole story is planned as a list of steps at local
//! times (the practice's calendar keeps one therapist from being in two rooms); a few
//! clients are placed so that the practice ends with someone in every phase. Then all
//! steps are sorted by time and run in order up to `now`: whatever lies after `now`
//! simply has not happened yet (booked sessions, notes still drafts). The vault is
//! written without a flush at every commit (`Vault::set_bulk_load`), then flushed,
//! verified page by page, its audit chain checked, and closed.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use chrono::Weekday;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::Deserialize;

use crate::dates::resolve_local;
use crate::error::{Error, Result};
use crate::features::notes::blank_sections;
use crate::model::client::{
    ClientDetails, ClientQuery, ClientStatus, EmergencyContact, Prescriber, ReleaseOfInformation,
    RideHome,
};
use crate::model::consent::{ConsentItemUpdate, ConsentTemplate, SignConsent};
pub use crate::model::demo::{DemoOptions, DemoSummary, PhaseCount};
use crate::model::dosing::{
    AdverseEventInput, AdverseEventKind, DosingCheck, DosingPlan, DosingSettings, Medication,
    Route, Severity, VitalsInput, VitalsPhase, join_words,
};
use crate::model::measures::{FilledBy, NewAdministration, SafetyPlanAction, SafetyResponseInput};
use crate::model::notes::{NoteDraft, NoteFormat, NoteSection};
use crate::model::safety_plan::{SafetyPlanInput, SafetyPlanSections};
use crate::model::session::{
    BookingRequest, Clearance, ConsentMethod, Prescription, SessionKind, SessionStatus,
};
use crate::model::settings::{CrisisContact, PracticeSettings};
use crate::passphrase::Passphrase;
use crate::store;
use crate::vault::{Vault, sidecar};

const WORDS: &str = include_str!("../../../../assets/demo/practice.toml");

/// The demo practice's wall clock: Asheville, where the protocol it follows comes from.
const TIME_ZONE: &str = "America/New_York";

impl Vault {
    /// Whether this vault is the demo practice (`kapdesk demo`): the app shows a banner,
    /// and a backup of it is never restored over a practice's own vault.
    pub fn is_demo(&self) -> Result<bool> {
        store::guard::is_demo_any_version(self.conn())
    }

    fn mark_demo(&mut self, now: DateTime<Utc>) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        store::guard::mark_demo(&tx, now)?;
        store::audit::record(&tx, now, "demo_practice_marked", "")?;
        tx.commit()?;
        Ok(())
    }
}

/// Writes a new vault at `path` holding an invented practice of `opts.clients` clients
/// over `opts.years` years ending at `now`, marked as the demo practice inside. Refuses
/// a path that already exists (nothing is ever written into an existing vault); a
/// failure part way leaves no file behind. The passphrase is taken as given.
pub fn write_demo_practice(
    path: &Path,
    passphrase: &Passphrase,
    opts: &DemoOptions,
    now: DateTime<Utc>,
) -> Result<DemoSummary> {
    let opts = opts.validated()?;
    let started = Instant::now();
    let companions = [
        path.to_path_buf(),
        sidecar(path, "-wal"),
        sidecar(path, "-journal"),
    ];
    if companions.iter().any(|p| p.exists()) {
        return Err(Error::invalid(
            "output",
            format!(
                "{} already exists. A demo practice is always written to a new file, and nothing was changed: choose another name.",
                path.display()
            ),
        ));
    }
    let lock_existed = crate::vault::writer::lock_path(path).exists();
    let tz: chrono_tz::Tz = TIME_ZONE
        .parse()
        .map_err(|_| Error::invalid("timeZone", "The demo practice's time zone is unknown."))?;
    let words = words()?;
    let plan = plan_practice(&opts, now, tz, words)?;

    let mut vault = Vault::create_for_demo(path, passphrase, plan.opened_at)?;
    let written = (|| -> Result<DemoSummary> {
        vault.mark_demo(plan.opened_at)?;
        vault.set_bulk_load(true)?;
        let mut run = Run {
            counts: DemoSummary::empty(path),
            drafts: HashSet::new(),
        };
        for step in &plan.steps {
            if step.at > now {
                break;
            }
            run.step(&mut vault, &plan, step).map_err(|e| {
                Error::invalid(
                    "demo",
                    format!(
                        "The demo practice could not be written: {} (step {} of client {} at {}).",
                        e,
                        step.act.name(),
                        step.who,
                        step.at.to_rfc3339()
                    ),
                )
            })?;
        }
        vault.set_bulk_load(false)?;
        vault.verify()?;
        let audit = vault.check_audit()?;
        if let Some(problem) = audit.problem {
            return Err(Error::damaged(format!(
                "the demo practice's audit trail did not check out: {}",
                problem.message
            )));
        }
        let mut summary = run.counts;
        summary.draft_notes = run.drafts.len() as u32;
        summary.audit_entries = audit.anchor.entries.max(0) as u64;
        summary.phases = phases(&vault, now)?;
        Ok(summary)
    })();
    match written {
        Ok(mut summary) => {
            vault.close()?;
            summary.file_bytes = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            summary.seconds = started.elapsed().as_secs_f64();
            Ok(summary)
        }
        Err(e) => {
            drop(vault);
            for p in [
                path.to_path_buf(),
                sidecar(path, "-wal"),
                sidecar(path, "-shm"),
            ] {
                let _ = fs::remove_file(p);
            }
            if !lock_existed {
                let _ = fs::remove_file(crate::vault::writer::lock_path(path));
            }
            Err(e)
        }
    }
}

impl DemoSummary {
    fn empty(path: &Path) -> Self {
        DemoSummary {
            path: path.display().to_string(),
            ..Default::default()
        }
    }
}

/// Where each client stands at `now`, read back from the vault as the app shows it:
/// the client's status, and for a client in a course the phase of the timeline.
pub const PHASES: [&str; 8] = [
    "inquiry",
    "preparation",
    "dosing",
    "integration",
    "follow_up",
    "completed",
    "discharged",
    "archived",
];

fn phases(v: &Vault, now: DateTime<Utc>) -> Result<Vec<PhaseCount>> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    let all = v.list_clients(
        &ClientQuery {
            include_archived: true,
            ..Default::default()
        },
        now,
    )?;
    for c in all {
        let phase = if c.archived {
            "archived"
        } else {
            match c.status {
                ClientStatus::Inquiry => "inquiry",
                ClientStatus::Completed => "completed",
                ClientStatus::Discharged => "discharged",
                _ => {
                    let label = v.timeline(&c.id, None, now)?.phase_label;
                    if label.starts_with("Integration") {
                        "integration"
                    } else if label.starts_with("Dosing") {
                        "dosing"
                    } else if label.starts_with("Follow-up") {
                        "follow_up"
                    } else {
                        "preparation"
                    }
                }
            }
        };
        *counts.entry(phase).or_default() += 1;
    }
    Ok(PHASES
        .iter()
        .map(|p| PhaseCount {
            phase: (*p).to_owned(),
            clients: counts.get(p).copied().unwrap_or(0),
        })
        .collect())
}

// --- The words -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Words {
    practice: PracticeWords,
    team: Vec<TeamMember>,
    names: Vec<NameGroup>,
    nicknames: HashMap<String, Vec<String>>,
    people: PeopleWords,
    dosing: DosingWords,
    notes: HashMap<String, HashMap<String, Vec<String>>>,
    texts: Texts,
    events: EventWords,
    safety_plan: PlanWords,
}

#[derive(Debug, Deserialize)]
struct PracticeWords {
    therapist_name: String,
    credentials: String,
    practice_name: String,
    address: String,
    phone: String,
    email: String,
    medical_team_name: String,
    medical_team_phone: String,
}

#[derive(Debug, Deserialize)]
struct TeamMember {
    name: String,
    organisation: String,
    phone: String,
}

#[derive(Debug, Deserialize)]
struct NameGroup {
    weight: u32,
    she: Vec<String>,
    he: Vec<String>,
    they: Vec<String>,
    family: Vec<String>,
    #[serde(default)]
    family_she: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct PeopleWords {
    relations: Vec<String>,
    streets: Vec<String>,
    towns: Vec<String>,
    referrals: Vec<String>,
    concerns: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct DosingWords {
    intentions: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Texts {
    addenda: Vec<String>,
    psychotherapy: Vec<String>,
    risk_made: Vec<String>,
    risk_reviewed: Vec<String>,
    override_prescription: Vec<String>,
    override_clearance: Vec<String>,
    withdrawal: Vec<String>,
    difference: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct EventWords {
    nausea: Vec<String>,
    vomiting: Vec<String>,
    anxiety: Vec<String>,
    raised_bp: Vec<String>,
    other: Vec<String>,
    severe: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct PlanWords {
    warning_signs: Vec<String>,
    coping_strategies: Vec<String>,
    distractions: Vec<String>,
    people_to_ask: Vec<String>,
    professionals: Vec<String>,
    safe_environment: Vec<String>,
    reasons_to_live: Vec<String>,
}

fn words() -> Result<&'static Words> {
    static PARSED: OnceLock<std::result::Result<Words, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| toml::from_str(WORDS).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| {
            Error::invalid(
                "demo",
                format!("The demo practice's words in assets/demo are unreadable: {e}"),
            )
        })
}

// --- A small deterministic random source -------------------------------------------------

/// splitmix64: tiny, fast, and the same sequence on every machine for a seed.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An independent stream for one client, so one client's story does not depend on
    /// how many random numbers another's took.
    fn fork(&mut self) -> Rng {
        Rng::new(self.next())
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo + 1) as u64) as i64
        }
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// Up to `k` different items, in a random order.
    fn some<'a, T>(&mut self, xs: &'a [T], k: usize) -> Vec<&'a T> {
        let mut idx: Vec<usize> = (0..xs.len()).collect();
        let k = k.min(xs.len());
        for i in 0..k {
            let j = i + self.below((xs.len() - i) as u64) as usize;
            idx.swap(i, j);
        }
        idx[..k].iter().map(|&i| &xs[i]).collect()
    }

    /// A version-4-shaped id, like the ones the app makes, drawn from the seed.
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

// --- The plan: every client's story as steps ----------------------------------------------

/// One thing done in the practice, with its moment.
struct Step {
    at: DateTime<Utc>,
    /// The client's index, or `PRACTICE`.
    who: u32,
    act: Act,
}

const PRACTICE: u32 = u32::MAX;

#[allow(clippy::large_enum_variant)]
enum Act {
    Settings(PracticeSettings),
    DosingSettings(DosingSettings),
    AddClient {
        details: ClientDetails,
        course: String,
    },
    Update(ClientDetails),
    StartCourse(String),
    Release(ReleaseOfInformation, String),
    Clearance(Clearance, String),
    Prescription(Prescription, String),
    Book {
        id: String,
        kind: SessionKind,
        start: NaiveDateTime,
        minutes: u32,
        reason: Option<String>,
    },
    Move {
        id: String,
        to: NaiveDateTime,
    },
    Status {
        id: String,
        kind: SessionKind,
        status: SessionStatus,
    },
    ConsentItems {
        items: Vec<usize>,
        on: NaiveDate,
        session: String,
    },
    SignConsent {
        on: NaiveDate,
        method: ConsentMethod,
    },
    Withdraw {
        on: NaiveDate,
        note: String,
        id: String,
    },
    Plan(String, DosingPlan),
    Checks(String, String),
    Vitals(String, VitalsInput, String),
    Medication(String, Medication),
    Event(String, AdverseEventInput, String),
    Discharge(String, String),
    Note(String, NoteDraft),
    Sign(String),
    Addendum(String, String, String),
    Psychotherapy(String, String),
    Measure(NewAdministration, String),
    SafetyResponse(String, SafetyResponseInput),
    SafetyPlan(SafetyPlanInput, String),
    Archive,
}

impl Act {
    fn name(&self) -> &'static str {
        match self {
            Act::Settings(_) => "settings",
            Act::DosingSettings(_) => "dosing settings",
            Act::AddClient { .. } => "add client",
            Act::Update(_) => "update client",
            Act::StartCourse(_) => "start course",
            Act::Release(..) => "release of information",
            Act::Clearance(..) => "clearance",
            Act::Prescription(..) => "prescription",
            Act::Book { .. } => "book",
            Act::Move { .. } => "move",
            Act::Status { .. } => "status",
            Act::ConsentItems { .. } => "consent items",
            Act::SignConsent { .. } => "sign consent",
            Act::Withdraw { .. } => "withdraw consent",
            Act::Plan(..) => "dosing plan",
            Act::Checks(..) => "start checks",
            Act::Vitals(..) => "vitals",
            Act::Medication(..) => "medication",
            Act::Event(..) => "adverse event",
            Act::Discharge(..) => "discharge",
            Act::Note(..) => "note draft",
            Act::Sign(_) => "sign note",
            Act::Addendum(..) => "addendum",
            Act::Psychotherapy(..) => "psychotherapy note",
            Act::Measure(..) => "measure",
            Act::SafetyResponse(..) => "safety response",
            Act::SafetyPlan(..) => "safety plan",
            Act::Archive => "archive",
        }
    }
}

struct PracticePlan {
    /// When the vault was made: the practice's first day.
    opened_at: DateTime<Utc>,
    /// Every step in time order (ties: by client, then as planned).
    steps: Vec<Step>,
    client_ids: Vec<String>,
}

/// Where a client placed on purpose stands when the practice ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Inquiry,
    Preparation,
    Dosing,
    Integration,
    FollowUp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Intake held, then not a fit for KAP now.
    NotAFit,
    /// Stops during preparation.
    PrepDropout,
    /// Stops after this many dosings.
    DosingDropout(u32),
    /// The course to its end (`dosings` of them).
    Full,
}

#[derive(Debug, Clone)]
struct ClientPlan {
    fate: Fate,
    dosings: u32,
    follow_ups: u32,
    second_course: bool,
    archive: bool,
    /// The first dosing is booked before the prescription's paper arrives.
    override_rx: bool,
    /// Moves, cancellations and missed sessions may happen.
    trouble: bool,
    /// Days from the end of the work to archiving, when archived.
    archive_after: (i64, i64),
}

fn plan_practice(
    opts: &DemoOptions,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    w: &Words,
) -> Result<PracticePlan> {
    let mut rng = Rng::new(opts.seed ^ 0x4B41_5044_454D_4F31);
    let end = now.with_timezone(&tz).naive_local();
    let first_day = end.date() - Duration::days(365 * opts.years as i64 + (opts.years / 4) as i64);
    let opened_local = first_day.and_time(NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default());
    let notes = NoteTemplates::load()?;
    let consent_items: Vec<String> = ConsentTemplate::default_template()?
        .items()
        .map(|(_, item)| item.title.clone())
        .collect();

    let mut steps: Vec<(NaiveDateTime, u32, u32, Act)> = Vec::new();
    // The practice's own set-up on its first morning.
    let settings = PracticeSettings {
        therapist_name: w.practice.therapist_name.clone(),
        credentials: w.practice.credentials.clone(),
        practice_name: w.practice.practice_name.clone(),
        address: w.practice.address.clone(),
        phone: w.practice.phone.clone(),
        email: w.practice.email.clone(),
        medical_team_name: w.practice.medical_team_name.clone(),
        medical_team_phone: w.practice.medical_team_phone.clone(),
        crisis_contacts: vec![CrisisContact {
            label: "988 Suicide & Crisis Lifeline".into(),
            phone: "988".into(),
        }],
        ..Default::default()
    };
    steps.push((
        opened_local + Duration::minutes(2),
        PRACTICE,
        0,
        Act::Settings(settings),
    ));
    steps.push((
        opened_local + Duration::minutes(3),
        PRACTICE,
        1,
        Act::DosingSettings(DosingSettings {
            bp_systolic_max: Some(160),
            bp_diastolic_max: Some(100),
            cancellation_fee: "$150".into(),
            ..Default::default()
        }),
    ));

    // Who is placed where: a few clients in each phase at the end, the rest anywhere
    // in the practice's years (more in later years, as a practice grows). The caps keep
    // the caseload at the end one therapist can hold: five clients dosing weekly is
    // fifteen hours of dosing sessions, beside everyone else's sessions.
    let n = opts.clients as usize;
    let share = |p: f64, cap: usize| ((n as f64 * p).round() as usize).clamp(1, cap);
    let mut targets: Vec<Option<Target>> = Vec::with_capacity(n);
    for (t, s) in [
        (Target::Inquiry, share(0.03, 4)),
        (Target::Preparation, share(0.06, 6)),
        (Target::Dosing, share(0.07, 5)),
        (Target::Integration, share(0.04, 4)),
        (Target::FollowUp, share(0.06, 8)),
    ] {
        for _ in 0..s {
            if targets.len() < n {
                targets.push(Some(t));
            }
        }
    }
    while targets.len() < n {
        targets.push(None);
    }
    // Interleave so that ids and names do not cluster by phase.
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }

    let mut calendar = Calendar::default();
    let mut names = HashSet::new();
    let mut client_ids = Vec::with_capacity(n);
    let mut naturals = 0;
    for (idx, &slot) in order.iter().enumerate() {
        let target = targets[slot];
        let mut crng = rng.fork();
        let person = Person::invent(&mut crng, w, &mut names);
        let client_id = crng.uuid();
        client_ids.push(client_id.clone());
        let mut plan = ClientPlan::draw(&mut crng, target);
        let start = match target {
            None => {
                naturals += 1;
                let span = (end.date() - first_day).num_days() - 40;
                if naturals <= 2 {
                    // The practice's first clients: one finished long ago and archived,
                    // one finished and still on file.
                    plan = ClientPlan::full(naturals == 1);
                    first_day + Duration::days(2 + crng.range(0, 20))
                } else {
                    // sqrt: more clients in later years, as a practice grows.
                    first_day + Duration::days(2 + (span.max(1) as f64 * crng.unit().sqrt()) as i64)
                }
            }
            Some(t) => {
                // Plan once without the calendar to find the moment to place at `end`.
                let mut dry = Builder::new(
                    crng.clone(),
                    w,
                    &notes,
                    &consent_items,
                    None,
                    person.clone(),
                    client_id.clone(),
                );
                let day0 = end.date() - Duration::days(400);
                dry.client(day0, &plan);
                let (anchor, after_days) = dry.anchor(t, &mut crng.clone());
                match anchor {
                    Some(a) => end.date() - Duration::days(after_days) - (a.date() - day0),
                    None => end.date() - Duration::days(2),
                }
            }
        };
        let mut b = Builder::new(
            crng,
            w,
            &notes,
            &consent_items,
            Some(&mut calendar),
            person,
            client_id,
        );
        b.client(start.max(first_day + Duration::days(1)), &plan);
        let mut own = std::mem::take(&mut b.steps);
        own.sort_by_key(|(at, _)| *at);
        // Strictly increasing moments, so the global sort keeps this client's order.
        let mut last = opened_local + Duration::minutes(5);
        for (seq, (at, act)) in own.into_iter().enumerate() {
            let at = if at <= last {
                last + Duration::seconds(1)
            } else {
                at
            };
            last = at;
            steps.push((at, idx as u32, seq as u32, act));
        }
    }

    let mut timed = Vec::with_capacity(steps.len());
    for (local, who, seq, act) in steps {
        // A moment skipped when the clocks go forward happens an hour later.
        let at =
            resolve_local(tz, local).or_else(|_| resolve_local(tz, local + Duration::hours(1)))?;
        timed.push((at, who, seq, act));
    }
    timed.sort_by_key(|t| (t.0, t.1, t.2));
    Ok(PracticePlan {
        opened_at: resolve_local(tz, opened_local)?,
        steps: timed
            .into_iter()
            .map(|(at, who, _, act)| Step { at, who, act })
            .collect(),
        client_ids,
    })
}

impl ClientPlan {
    fn draw(rng: &mut Rng, target: Option<Target>) -> ClientPlan {
        let follow_ups = match rng.below(100) {
            0..=59 => 3,
            60..=79 => 2,
            80..=91 => 1,
            _ => 0,
        };
        let override_rx = rng.chance(0.08);
        if target.is_some() {
            // Placed clients go the whole way, without surprises, so they land where
            // they were placed.
            return ClientPlan {
                fate: Fate::Full,
                dosings: 6,
                follow_ups: 3,
                second_course: false,
                archive: false,
                override_rx,
                trouble: false,
                archive_after: (60, 900),
            };
        }
        let fate = match rng.below(100) {
            0..=5 => Fate::NotAFit,
            6..=9 => Fate::PrepDropout,
            10..=27 => Fate::DosingDropout(match rng.below(100) {
                0..=34 => 1,
                35..=59 => 2,
                60..=79 => 3,
                80..=91 => 4,
                _ => 5,
            }),
            _ => Fate::Full,
        };
        let dosings = match fate {
            Fate::DosingDropout(k) => k,
            Fate::Full if rng.chance(0.12) => rng.range(4, 5) as u32,
            _ => 6,
        };
        ClientPlan {
            fate,
            dosings,
            follow_ups,
            second_course: fate == Fate::Full && rng.chance(0.10),
            archive: rng.chance(0.55),
            override_rx,
            trouble: true,
            archive_after: (60, 900),
        }
    }

    fn full(archive: bool) -> ClientPlan {
        ClientPlan {
            fate: Fate::Full,
            dosings: 6,
            follow_ups: 3,
            second_course: false,
            archive,
            override_rx: false,
            trouble: true,
            archive_after: (30, 90),
        }
    }
}

/// The one therapist's diary while planning: no two sessions overlap.
#[derive(Default)]
struct Calendar {
    days: HashMap<NaiveDate, Vec<(u32, u32)>>,
}

const DOSING_STARTS: [u32; 4] = [9 * 60, 9 * 60 + 30, 13 * 60, 14 * 60];
/// The usual hours first; 8:00, noon and 18:00 only fill up in a busy stretch, as a
/// therapist squeezes a session in rather than send a client a month away.
const HOUR_STARTS: [u32; 11] = [
    9 * 60,
    10 * 60,
    11 * 60,
    13 * 60,
    14 * 60,
    15 * 60,
    16 * 60,
    17 * 60,
    8 * 60,
    12 * 60,
    18 * 60,
];
const USUAL_HOURS: usize = 8;
const SATURDAY_STARTS: [u32; 4] = [9 * 60, 10 * 60, 11 * 60, 12 * 60];

impl Calendar {
    /// A free start on `day` or the days after (never Sunday; dosing days not on
    /// Saturday either), chosen with `r`. Without a calendar (`None`, the dry run)
    /// every start is free.
    fn allocate(
        cal: Option<&mut Calendar>,
        day: NaiveDate,
        kind: SessionKind,
        minutes: u32,
        r: u64,
    ) -> NaiveDateTime {
        let starts_on = |d: NaiveDate| -> &'static [u32] {
            match d.weekday() {
                Weekday::Sun => &[],
                Weekday::Sat if kind == SessionKind::Dosing => &[],
                Weekday::Sat => &SATURDAY_STARTS,
                _ if kind == SessionKind::Dosing => &DOSING_STARTS,
                _ => &HOUR_STARTS,
            }
        };
        let at = |d: NaiveDate, start: u32| {
            d.and_time(NaiveTime::from_hms_opt(start / 60, start % 60, 0).unwrap_or_default())
        };
        let Some(cal) = cal else {
            // The dry run: the usual hours, nothing taken.
            let d = (0..7)
                .map(|o| day + Duration::days(o))
                .find(|d| !starts_on(*d).is_empty())
                .unwrap_or(day);
            let usual = &starts_on(d)[..starts_on(d).len().min(USUAL_HOURS)];
            return at(
                d,
                usual
                    .get((r % usual.len().max(1) as u64) as usize)
                    .copied()
                    .unwrap_or(9 * 60),
            );
        };
        // The usual hours within three weeks, else any hour within two months. Pushed
        // further, a dosing would outlive its clearance and the story its course.
        for (horizon, usual_only) in [(21, true), (60, false)] {
            for offset in 0..horizon {
                let d = day + Duration::days(offset);
                let all = starts_on(d);
                let starts = if usual_only && kind != SessionKind::Dosing {
                    &all[..all.len().min(USUAL_HOURS)]
                } else {
                    all
                };
                let taken = cal.days.get(&d).map(Vec::as_slice).unwrap_or(&[]);
                let free: Vec<u32> = starts
                    .iter()
                    .copied()
                    .filter(|&s| {
                        taken
                            .iter()
                            .all(|&(a, b)| s + minutes + 10 <= a || s >= b + 10)
                    })
                    .collect();
                if free.is_empty() {
                    continue;
                }
                let start = free[(r % free.len() as u64) as usize];
                cal.days
                    .entry(d)
                    .or_default()
                    .push((start, start + minutes));
                return at(d, start);
            }
        }
        // A diary full for two months (the busiest end of a large demo): the first
        // working day's first start, double-booked, rather than a session on a Sunday.
        let d = (0..7)
            .map(|o| day + Duration::days(o))
            .find(|d| !starts_on(*d).is_empty())
            .unwrap_or(day);
        at(d, starts_on(d).first().copied().unwrap_or(9 * 60))
    }
}

/// The sections each note format starts with, per kind of session, read once.
struct NoteTemplates(HashMap<(NoteFormat, SessionKind), Vec<NoteSection>>);

impl NoteTemplates {
    fn load() -> Result<Self> {
        let mut m = HashMap::new();
        for f in NoteFormat::ALL {
            for k in SessionKind::ALL {
                m.insert((f, k), blank_sections(f, k)?.0);
            }
        }
        Ok(NoteTemplates(m))
    }
}

// --- People --------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pronouns {
    She,
    He,
    They,
}

#[derive(Debug, Clone)]
struct Person {
    legal: String,
    given: String,
    preferred: String,
    pronouns: Pronouns,
}

impl Person {
    fn invent(rng: &mut Rng, w: &Words, taken: &mut HashSet<String>) -> Person {
        for _ in 0..50 {
            let p = Self::draw(rng, w);
            if taken.insert(p.legal.clone()) {
                return p;
            }
        }
        // A practice of thousands runs out of pairs: number the rest, as a last resort.
        let mut p = Self::draw(rng, w);
        p.legal = format!("{} {}", p.legal, taken.len());
        taken.insert(p.legal.clone());
        p
    }

    fn draw(rng: &mut Rng, w: &Words) -> Person {
        let total: u32 = w.names.iter().map(|g| g.weight).sum();
        let mut r = rng.below(total as u64) as u32;
        let mut group = &w.names[0];
        let mut latin = true;
        for (i, g) in w.names.iter().enumerate() {
            if r < g.weight {
                group = g;
                latin = i == 0;
                break;
            }
            r -= g.weight;
        }
        let mut pronouns = match rng.below(100) {
            0..=46 => Pronouns::She,
            47..=89 => Pronouns::He,
            _ => Pronouns::They,
        };
        if pronouns == Pronouns::They && group.they.is_empty() {
            pronouns = Pronouns::She;
        }
        let list = match pronouns {
            Pronouns::She => &group.she,
            Pronouns::He => &group.he,
            Pronouns::They => &group.they,
        };
        let given = rng.pick(list).clone();
        let fi = rng.below(group.family.len() as u64) as usize;
        let mut family = match pronouns {
            Pronouns::She if !group.family_she.is_empty() => group.family_she[fi].clone(),
            _ => group.family[fi].clone(),
        };
        let mut first = given.clone();
        if latin && rng.chance(0.18) {
            let middle = rng.pick(list);
            if *middle != given {
                first = format!("{given} {middle}");
            }
        }
        if latin && rng.chance(0.10) {
            let other = rng.pick(&w.names[0].family);
            if *other != family {
                family = format!("{family}-{other}");
                if rng.chance(0.2) {
                    let third = rng.pick(&w.names[0].family);
                    if !family.contains(third.as_str()) {
                        family = format!("{family}-{third}");
                    }
                }
            }
        }
        let preferred = match w.nicknames.get(&given) {
            Some(nicks) if rng.chance(0.45) => rng.pick(nicks).clone(),
            _ => String::new(),
        };
        Person {
            legal: format!("{first} {family}"),
            given,
            preferred,
            pronouns,
        }
    }

    /// How notes name the client.
    fn called(&self) -> &str {
        if self.preferred.is_empty() {
            &self.given
        } else {
            &self.preferred
        }
    }

    fn pronouns_text(&self) -> &'static str {
        match self.pronouns {
            Pronouns::She => "she/her",
            Pronouns::He => "he/him",
            Pronouns::They => "they/them",
        }
    }

    fn their(&self) -> &'static str {
        match self.pronouns {
            Pronouns::She => "her",
            Pronouns::He => "his",
            Pronouns::They => "their",
        }
    }

    fn them(&self) -> &'static str {
        match self.pronouns {
            Pronouns::She => "her",
            Pronouns::He => "him",
            Pronouns::They => "them",
        }
    }
}

/// A name in ASCII for an email address: accents dropped, other scripts left out.
fn ascii_word(s: &str) -> String {
    crate::text::fold(s)
        .chars()
        .flat_map(|c| match c {
            'ø' => "o".chars().collect::<Vec<_>>(),
            'æ' => "ae".chars().collect(),
            'ł' => "l".chars().collect(),
            'ß' => "ss".chars().collect(),
            c if c.is_ascii_alphanumeric() => vec![c],
            _ => Vec::new(),
        })
        .collect()
}

// --- Building one client's story ------------------------------------------------------------

/// A session as planned.
#[derive(Debug, Clone)]
struct Sess {
    id: String,
    kind: SessionKind,
    start: NaiveDateTime,
    minutes: u32,
}

impl Sess {
    fn end(&self) -> NaiveDateTime {
        self.start + Duration::minutes(self.minutes as i64)
    }

    fn date(&self) -> NaiveDate {
        self.start.date()
    }
}

/// The moments a placed client is aligned on.
#[derive(Default)]
struct Milestones {
    contact: Option<NaiveDateTime>,
    preparation: Vec<NaiveDateTime>,
    dosings: Vec<NaiveDateTime>,
    integrations: Vec<NaiveDateTime>,
}

/// How the client's scores move: where they start and how much of it the course lifts.
struct Scores {
    phq9: f64,
    gad7: f64,
    pcl5: f64,
    who5: f64,
    /// The share of the symptoms left at the end of a course (0.3 a strong response).
    left: f64,
    who5_given: bool,
    /// PHQ-9 item 9 is sometimes answered above 0.
    risk: bool,
    relapse: bool,
}

struct Builder<'a> {
    rng: Rng,
    w: &'a Words,
    notes: &'a NoteTemplates,
    consent_items: &'a [String],
    cal: Option<&'a mut Calendar>,
    person: Person,
    client_id: String,
    details: ClientDetails,
    steps: Vec<(NaiveDateTime, Act)>,
    miles: Milestones,
    course: u32,
    prescriber: usize,
    clearance_until: Option<NaiveDate>,
    rx: Option<Dose>,
    release_until: Option<NaiveDate>,
    scores: Scores,
    safety_plan_made: bool,
    safety_plans: u32,
    status_dosing: bool,
    /// The consent topics of the next preparation session, for its note.
    next_topics: String,
    /// The intake ends with "not a fit for now".
    declined: bool,
}

#[derive(Debug, Clone, Copy)]
struct Dose {
    per_unit: f64,
    units: f64,
    booster: f64,
    oral: bool,
    until: Option<NaiveDate>,
}

impl<'a> Builder<'a> {
    fn new(
        mut rng: Rng,
        w: &'a Words,
        notes: &'a NoteTemplates,
        consent_items: &'a [String],
        cal: Option<&'a mut Calendar>,
        person: Person,
        client_id: String,
    ) -> Self {
        let left = match rng.below(100) {
            0..=34 => 0.3,
            35..=69 => 0.5,
            70..=89 => 0.8,
            _ => 1.0,
        };
        let scores = Scores {
            phq9: rng.range(10, 23) as f64,
            gad7: rng.range(8, 18) as f64,
            pcl5: rng.range(18, 60) as f64,
            who5: rng.range(3, 11) as f64,
            left,
            who5_given: rng.chance(0.4),
            risk: rng.chance(0.15),
            relapse: rng.chance(0.2),
        };
        let prescriber = rng.below(w.team.len() as u64) as usize;
        Builder {
            rng,
            w,
            notes,
            consent_items,
            cal,
            person,
            client_id,
            details: ClientDetails::default(),
            steps: Vec::new(),
            miles: Milestones::default(),
            course: 1,
            prescriber,
            clearance_until: None,
            rx: None,
            release_until: None,
            scores,
            safety_plan_made: false,
            safety_plans: 0,
            status_dosing: false,
            next_topics: String::new(),
            declined: false,
        }
    }

    fn push(&mut self, at: NaiveDateTime, act: Act) {
        self.steps.push((at, act));
    }

    fn at_time(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
        day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default())
    }

    fn hhmm(t: NaiveDateTime) -> String {
        format!("{:02}:{:02}", t.hour(), t.minute())
    }

    fn fill(&self, s: &str, n: u32, topics: &str) -> String {
        s.replace("{name}", self.person.called())
            .replace("{their}", self.person.their())
            .replace("{them}", self.person.them())
            .replace("{n}", &n.to_string())
            .replace("{prescriber}", &self.w.team[self.prescriber].name)
            .replace("{topics}", topics)
    }

    fn line(&mut self, pool: &[String]) -> String {
        let s = self.rng.pick(pool).clone();
        self.fill(&s, 0, "")
    }

    /// The moment to place at the practice's end for `target`, and how many days
    /// before the end it falls.
    fn anchor(&self, target: Target, rng: &mut Rng) -> (Option<NaiveDateTime>, i64) {
        let m = &self.miles;
        match target {
            Target::Inquiry => (m.contact, 1),
            Target::Preparation => (m.preparation.get(1).copied(), rng.range(1, 3)),
            Target::Dosing => {
                let k = rng.range(0, 3) as usize;
                (m.integrations.get(k).copied(), 1)
            }
            Target::Integration => {
                let k = rng.range(0, 4) as usize;
                (m.dosings.get(k).copied(), 1)
            }
            Target::FollowUp => (m.integrations.last().copied(), rng.range(10, 45)),
        }
    }

    // --- The client's story ---

    fn client(&mut self, day: NaiveDate, plan: &ClientPlan) {
        let contact = Self::at_time(
            day,
            self.rng.range(8, 18) as u32,
            self.rng.range(0, 59) as u32,
        );
        self.miles.contact = Some(contact);
        self.details = self.first_details(day);
        let course = self.rng.uuid();
        self.push(
            contact,
            Act::AddClient {
                details: self.details.clone(),
                course,
            },
        );
        // Intake, a few days after the first call.
        let intake_day = day + Duration::days(self.rng.range(3, 9));
        let booked = contact + Duration::minutes(10);
        self.declined = plan.fate == Fate::NotAFit;
        let intake = self.book(booked, SessionKind::Intake, intake_day, None);
        let intake = self.hold(intake, booked, plan.trouble, "intake");
        self.baseline(&intake);
        if plan.fate == Fate::NotAFit {
            self.set_status(
                intake.end() + Duration::minutes(40),
                ClientStatus::Discharged,
            );
            self.maybe_archive(plan, intake.end() + Duration::days(1));
            return;
        }
        // Going ahead: who to call, who drives, who prescribes.
        let d = self.details.clone();
        self.details = self.contacts(d);
        self.set_status(
            intake.end() + Duration::minutes(40),
            ClientStatus::Preparation,
        );
        let signed = intake.date() + Duration::days(self.rng.range(1, 4));
        let minute = self.rng.range(0, 50) as u32;
        self.release(Self::at_time(signed, 10, minute));

        let Some(last) = self.course(plan, intake.end(), false) else {
            return;
        };
        let mut last = last;
        if plan.second_course {
            let back = (last + Duration::days(self.rng.range(150, 500)))
                .date()
                .and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default());
            self.course += 1;
            let id = self.rng.uuid();
            self.push(back, Act::StartCourse(id));
            self.status_dosing = false;
            self.clearance_until = None;
            self.rx = None;
            self.set_status(back + Duration::minutes(1), ClientStatus::Preparation);
            self.release(back + Duration::minutes(2));
            let second = ClientPlan {
                dosings: self.rng.range(2, 3) as u32,
                follow_ups: 1,
                ..plan.clone()
            };
            if let Some(l) = self.course(&second, back + Duration::minutes(5), true) {
                last = l;
            }
        }
        self.maybe_archive(plan, last);
    }

    /// One treatment course from preparation on; returns when it ended, or `None` when
    /// the client stopped.
    fn course(
        &mut self,
        plan: &ClientPlan,
        from: NaiveDateTime,
        again: bool,
    ) -> Option<NaiveDateTime> {
        let preps = if self.rng.chance(0.7) { 4 } else { 5 };
        let items = self.consent_items.len();
        let per = items.div_ceil(preps);
        let mut booked_at = from + Duration::minutes(5);
        let mut day = from.date() + Duration::days(self.rng.range(5, 9));
        let mut last = None;
        for i in 0..preps {
            let block: Vec<usize> = (i * per..((i + 1) * per).min(items)).collect();
            self.next_topics = self.topics(&block);
            let s = self.book(booked_at, SessionKind::Preparation, day, None);
            let s = self.hold(s, booked_at, plan.trouble, "preparation");
            if again && i == 0 {
                self.baseline(&s);
            }
            if !block.is_empty() {
                self.push(
                    s.end() + Duration::minutes(3),
                    Act::ConsentItems {
                        items: block,
                        on: s.date(),
                        session: s.id.clone(),
                    },
                );
            }
            if i == 0 && !self.safety_plan_made && self.rng.chance(0.08) {
                self.safety_plan(s.end() + Duration::minutes(6), s.date());
            }
            if i == 1 {
                let cleared = s.date() + Duration::days(self.rng.range(1, 3));
                let at = Self::at_time(cleared, 11, self.rng.range(0, 59) as u32);
                self.clearance(at, cleared);
                if !plan.override_rx || again {
                    let on = cleared + Duration::days(self.rng.range(1, 5));
                    self.prescription(Self::at_time(on, 16, 10), on, None);
                }
                if plan.fate == Fate::PrepDropout {
                    let at = s.end() + Duration::days(self.rng.range(8, 21));
                    self.set_status(at, ClientStatus::Discharged);
                    return None;
                }
            }
            if i == preps - 1 {
                let method = if self.rng.chance(0.8) {
                    ConsentMethod::Paper
                } else {
                    ConsentMethod::Screen
                };
                self.push(
                    s.end() + Duration::minutes(4),
                    Act::SignConsent {
                        on: s.date(),
                        method,
                    },
                );
            }
            booked_at = s.end() + Duration::minutes(2);
            day = s.date() + Duration::days(self.rng.range(6, 8));
            last = Some(s);
            self.miles.preparation.push(booked_at);
        }
        let last_prep = last?;

        // Dosings, each followed by its integration.
        let mut booked_at = last_prep.end() + Duration::minutes(6);
        let mut day = last_prep.date() + Duration::days(self.rng.range(5, 10));
        let mut last_dosing = None;
        let mut end = booked_at;
        for n in 1..=plan.dosings {
            let rx_override = n == 1 && plan.override_rx && !again;
            if n == 3 && self.rng.chance(0.35) {
                // The prescriber raises the dose after the first two.
                if let Some(mut d) = self.rx {
                    if d.units < 3.0 {
                        d.units += 1.0;
                    } else {
                        d.per_unit += 50.0;
                    }
                    self.rx = Some(d);
                    self.prescription(booked_at - Duration::minutes(3), booked_at.date(), Some(d));
                }
            }
            let s = self.dosing(booked_at, day, n, rx_override, plan.trouble);
            self.miles.dosings.push(s.end());
            // The integration, booked at discharge for two or three days later.
            let at = s.end() - Duration::minutes(8);
            let lag = if self.rng.chance(0.9) {
                self.rng.range(2, 3)
            } else {
                4
            };
            let integ = self.book(
                at,
                SessionKind::Integration,
                s.date() + Duration::days(lag),
                None,
            );
            let integ = self.hold(integ, at, plan.trouble, "integration");
            self.measures(
                &integ,
                &["phq9", "gad7"],
                n as f64 / plan.dosings.max(1) as f64,
            );
            self.miles.integrations.push(integ.end());
            end = integ.end();
            if let Fate::DosingDropout(k) = plan.fate
                && n == k
                && !again
            {
                let at = integ.end() + Duration::days(self.rng.range(10, 30));
                if self.rng.chance(0.4) {
                    let note = {
                        let w = self.w;
                        self.line(&w.texts.withdrawal)
                    };
                    let id = self.rng.uuid();
                    self.push(
                        at - Duration::minutes(1),
                        Act::Withdraw {
                            on: at.date(),
                            note,
                            id,
                        },
                    );
                }
                self.set_status(at, ClientStatus::Discharged);
                return None;
            }
            booked_at = integ.end() + Duration::minutes(4);
            let gap = self.rng.range(7, 14);
            day = (s.date() + Duration::days(gap)).max(integ.date() + Duration::days(2));
            last_dosing = Some(s);
        }
        let last_dosing = last_dosing?;
        self.set_status(end + Duration::minutes(10), ClientStatus::Integration);

        // Follow-up at about one, three and six months.
        let mut booked_at = end + Duration::minutes(3);
        for (f, months) in [30, 91, 182]
            .iter()
            .enumerate()
            .take(plan.follow_ups as usize)
        {
            let day = last_dosing.date() + Duration::days(*months + self.rng.range(-4, 6));
            let s = self.book(booked_at, SessionKind::FollowUp, day, None);
            let s = self.hold(s, booked_at, plan.trouble, "follow_up");
            let drift = if self.scores.relapse {
                0.8 - 0.1 * f as f64
            } else {
                1.0
            };
            self.measures(&s, &["phq9", "gad7", "pcl5", "who5"], drift);
            end = s.end();
            booked_at = s.end() + Duration::minutes(3);
        }
        let done = end + Duration::minutes(60);
        self.set_status(done, ClientStatus::Completed);
        Some(done)
    }

    fn maybe_archive(&mut self, plan: &ClientPlan, last: NaiveDateTime) {
        if plan.archive {
            let days = self.rng.range(plan.archive_after.0, plan.archive_after.1);
            let at = Self::at_time((last + Duration::days(days)).date(), 17, 30);
            self.push(at, Act::Archive);
        }
    }

    fn first_details(&mut self, day: NaiveDate) -> ClientDetails {
        let age = self.rng.range(23, 68);
        let dob = day - Duration::days(age * 365 + self.rng.range(0, 364));
        let email = format!(
            "{}.{}{}@mail.example",
            ascii_word(&self.person.given)
                .chars()
                .take(12)
                .collect::<String>(),
            ascii_word(self.person.legal.rsplit(' ').next().unwrap_or("client"))
                .chars()
                .take(14)
                .collect::<String>(),
            self.rng.range(1, 99)
        );
        let email = if email.starts_with('.') {
            format!("client{email}")
        } else {
            email
        };
        ClientDetails {
            legal_name: self.person.legal.clone(),
            preferred_name: self.person.preferred.clone(),
            pronouns: self.person.pronouns_text().into(),
            date_of_birth: dob.format("%Y-%m-%d").to_string(),
            phone: format!("828-555-01{:02}", self.rng.range(0, 99)),
            email,
            address: format!(
                "{} {}, {}",
                self.rng.range(3, 480),
                self.rng.pick(&self.w.people.streets),
                self.rng.pick(&self.w.people.towns)
            ),
            referral_source: self.rng.pick(&self.w.people.referrals).clone(),
            presenting_concerns: self.rng.pick(&self.w.people.concerns).clone(),
            status: ClientStatus::Inquiry,
            ..Default::default()
        }
    }

    fn contacts(&mut self, mut d: ClientDetails) -> ClientDetails {
        let w = self.w;
        let group = &w.names[0];
        let list = if self.rng.chance(0.5) {
            &group.she
        } else {
            &group.he
        };
        let given = self.rng.pick(list).clone();
        let family = if self.rng.chance(0.6) {
            self.person
                .legal
                .rsplit(' ')
                .next()
                .unwrap_or_default()
                .to_owned()
        } else {
            self.rng.pick(&group.family).clone()
        };
        let name = format!("{given} {family}");
        let phone = format!("828-555-01{:02}", self.rng.range(0, 99));
        d.emergency_contact = EmergencyContact {
            name: name.clone(),
            relation: self.rng.pick(&self.w.people.relations).clone(),
            phone: phone.clone(),
        };
        d.ride_home = if self.rng.chance(0.7) {
            RideHome { name, phone }
        } else {
            let friend = format!(
                "{} {}",
                self.rng.pick(&group.they),
                self.rng.pick(&group.family)
            );
            RideHome {
                name: friend,
                phone: format!("828-555-01{:02}", self.rng.range(0, 99)),
            }
        };
        let t = &w.team[self.prescriber];
        d.prescriber = Prescriber {
            name: t.name.clone(),
            organisation: t.organisation.clone(),
            phone: t.phone.clone(),
        };
        d
    }

    fn set_status(&mut self, at: NaiveDateTime, status: ClientStatus) {
        self.details.status = status;
        self.push(at, Act::Update(self.details.clone()));
    }

    fn release(&mut self, at: NaiveDateTime) {
        let signed = at.date();
        let until = signed + Duration::days(365);
        self.release_until = Some(until);
        let t = &self.w.team[self.prescriber];
        let r = ReleaseOfInformation {
            recipient: format!("{} ({})", t.organisation, t.name),
            may_share:
                "Screening, treatment progress, dosing records, side effects and safety concerns"
                    .into(),
            signed_on: signed.to_string(),
            valid_until: until.to_string(),
        };
        let id = self.rng.uuid();
        self.push(at, Act::Release(r, id));
    }

    fn clearance(&mut self, at: NaiveDateTime, on: NaiveDate) {
        let days = if self.rng.chance(0.5) { 182 } else { 365 };
        let until = on + Duration::days(days);
        self.clearance_until = Some(until);
        let t = &self.w.team[self.rng.below(self.w.team.len() as u64) as usize];
        let c = Clearance {
            clinician: t.name.clone(),
            organisation: t.organisation.clone(),
            cleared_on: on.to_string(),
            valid_until: until.to_string(),
        };
        let id = self.rng.uuid();
        self.push(at, Act::Clearance(c, id));
    }

    fn prescription(&mut self, at: NaiveDateTime, on: NaiveDate, dose: Option<Dose>) {
        let mut d = dose.unwrap_or_else(|| Dose {
            per_unit: if self.rng.chance(0.7) { 100.0 } else { 150.0 },
            units: self.rng.range(1, 2) as f64,
            booster: 50.0,
            oral: self.rng.chance(0.15),
            until: None,
        });
        d.until = self.rng.chance(0.3).then(|| on + Duration::days(365));
        self.rx = Some(d);
        let total = d.per_unit * d.units;
        let form = if d.oral { "tablet" } else { "troche" };
        let dose_text = if d.units == 1.0 {
            format!(
                "{total:.0} mg (one {form}); booster {:.0} mg if needed",
                d.booster
            )
        } else {
            format!(
                "{total:.0} mg ({:.0} \u{00d7} {:.0} mg {form}s); booster {:.0} mg if needed",
                d.units, d.per_unit, d.booster
            )
        };
        let instructions = if self.rng.chance(0.25) {
            "Hold lamotrigine the evening before and the morning of each session.\nTake the usual morning levothyroxine with a sip of water.".to_owned()
        } else {
            String::new()
        };
        let p = Prescription {
            medication: "Ketamine HCl".into(),
            route: if d.oral {
                "oral rapid-dissolve tablet".into()
            } else {
                "sublingual troche".into()
            },
            dose: dose_text,
            prescriber: self.w.team[self.prescriber].name.clone(),
            prescribed_on: on.to_string(),
            valid_until: d.until.map(|u| u.to_string()).unwrap_or_default(),
            medication_instructions: instructions,
        };
        let id = self.rng.uuid();
        self.push(at, Act::Prescription(p, id));
    }

    fn safety_plan(&mut self, at: NaiveDateTime, on: NaiveDate) {
        let p = &self.w.safety_plan;
        let take = |rng: &mut Rng, xs: &[String], lo: usize, hi: usize| -> Vec<String> {
            let k = lo + rng.below((hi - lo + 1) as u64) as usize;
            rng.some(xs, k).into_iter().cloned().collect()
        };
        let sections = SafetyPlanSections {
            warning_signs: take(&mut self.rng, &p.warning_signs, 2, 4),
            coping_strategies: take(&mut self.rng, &p.coping_strategies, 2, 4),
            distractions: take(&mut self.rng, &p.distractions, 1, 3),
            people_to_ask: take(&mut self.rng, &p.people_to_ask, 1, 3),
            professionals: p.professionals.clone(),
            safe_environment: take(&mut self.rng, &p.safe_environment, 1, 2),
            reasons_to_live: take(&mut self.rng, &p.reasons_to_live, 1, 3),
        };
        let id = self.rng.uuid();
        self.safety_plan_made = true;
        self.safety_plans += 1;
        self.push(
            at,
            Act::SafetyPlan(
                SafetyPlanInput {
                    written_on: on.to_string(),
                    sections,
                },
                id,
            ),
        );
    }

    // --- Sessions ---

    fn book(
        &mut self,
        at: NaiveDateTime,
        kind: SessionKind,
        day: NaiveDate,
        reason: Option<String>,
    ) -> Sess {
        let minutes = kind.default_duration_min();
        let day = day.max(at.date() + Duration::days(1));
        let r = self.rng.next();
        let start = Calendar::allocate(self.cal.as_deref_mut(), day, kind, minutes, r);
        let id = self.rng.uuid();
        self.push(
            at,
            Act::Book {
                id: id.clone(),
                kind,
                start,
                minutes,
                reason,
            },
        );
        Sess {
            id,
            kind,
            start,
            minutes,
        }
    }

    /// The session happens: perhaps moved first, or cancelled or missed and booked
    /// again; then completed, with its note.
    fn hold(&mut self, mut s: Sess, booked_at: NaiveDateTime, trouble: bool, phase: &str) -> Sess {
        let lead = (s.start - booked_at).num_days();
        let roll = self.rng.below(1000);
        if trouble && roll < 40 && lead >= 3 && s.kind != SessionKind::Integration {
            // Moved a day or two later, a few days ahead.
            let at = booked_at + Duration::days(self.rng.range(1, lead - 2)) + Duration::hours(1);
            let r = self.rng.next();
            let to = Calendar::allocate(
                self.cal.as_deref_mut(),
                s.date() + Duration::days(self.rng.range(1, 2)),
                s.kind,
                s.minutes,
                r,
            );
            self.push(
                at,
                Act::Move {
                    id: s.id.clone(),
                    to,
                },
            );
            s.start = to;
        } else if trouble && (40..85).contains(&roll) && lead >= 2 {
            // Cancelled by the client, and booked again.
            let at = s.start - Duration::days(self.rng.range(1, lead - 1)) - Duration::hours(2);
            let at = at.max(booked_at + Duration::hours(1));
            self.push(
                at,
                Act::Status {
                    id: s.id.clone(),
                    kind: s.kind,
                    status: SessionStatus::Cancelled,
                },
            );
            let day = s.date() + Duration::days(self.rng.range(2, 6));
            let again = self.book(at + Duration::minutes(2), s.kind, day, None);
            return self.hold(again, at + Duration::minutes(2), false, phase);
        } else if trouble && (85..105).contains(&roll) {
            // Missed: a note saying so, and a new time.
            let at = s.start + Duration::minutes(20);
            self.push(
                at,
                Act::Status {
                    id: s.id.clone(),
                    kind: s.kind,
                    status: SessionStatus::NoShow,
                },
            );
            self.note(&s, at + Duration::minutes(15), "no_show", 0, "");
            let day = s.date() + Duration::days(self.rng.range(2, 7));
            let again = self.book(at + Duration::minutes(5), s.kind, day, None);
            return self.hold(again, at + Duration::minutes(5), false, phase);
        }
        self.push(
            s.end(),
            Act::Status {
                id: s.id.clone(),
                kind: s.kind,
                status: SessionStatus::Completed,
            },
        );
        let topics = if s.kind == SessionKind::Preparation {
            std::mem::take(&mut self.next_topics)
        } else {
            String::new()
        };
        let when = s.end() + Duration::minutes(self.rng.range(10, 150));
        self.note(&s, when, phase, 0, &topics);
        s
    }

    /// The consent items `items` as the preparation note names them.
    fn topics(&self, items: &[usize]) -> String {
        let titles: Vec<String> = items
            .iter()
            .filter_map(|&i| self.consent_items.get(i))
            .map(|t| crate::dates::lowercase_first(t))
            .collect();
        if titles.is_empty() {
            "questions about the consent and the dosing day".into()
        } else {
            join_words(&titles)
        }
    }

    /// Books dosing `n` at `at` for `day` with what must be in place renewed first (or,
    /// now and then, booked with a written reason and renewed before the day), then the
    /// day itself.
    fn dosing(
        &mut self,
        at: NaiveDateTime,
        day: NaiveDate,
        n: u32,
        rx_override: bool,
        trouble: bool,
    ) -> Sess {
        let s = self.book_dosing(at, day, n, rx_override);
        let lead = (s.start - at).num_days();
        let mut planned_at = at + Duration::minutes(3);
        let s = if trouble && !rx_override && lead >= 3 && self.rng.chance(0.03) {
            // Cancelled (the client is unwell) and booked again the week after.
            let c = s.start - Duration::days(self.rng.range(1, lead - 1)) - Duration::hours(3);
            let c = c.max(at + Duration::hours(1));
            self.push(
                c,
                Act::Status {
                    id: s.id.clone(),
                    kind: s.kind,
                    status: SessionStatus::Cancelled,
                },
            );
            planned_at = c + Duration::minutes(3);
            let day = s.date() + Duration::days(self.rng.range(5, 8));
            self.book_dosing(c + Duration::minutes(2), day, n, false)
        } else {
            s
        };
        if n == 1 && !self.status_dosing {
            self.status_dosing = true;
            self.set_status(at + Duration::minutes(1), ClientStatus::Dosing);
        }
        let intention = self.rng.pick(&self.w.dosing.intentions).clone();
        self.push(
            planned_at,
            Act::Plan(
                s.id.clone(),
                DosingPlan {
                    intentions: intention,
                    ..Default::default()
                },
            ),
        );
        self.dosing_day(&s, n);
        s
    }

    fn book_dosing(
        &mut self,
        at: NaiveDateTime,
        day: NaiveDate,
        n: u32,
        rx_override: bool,
    ) -> Sess {
        let day = day.max(at.date() + Duration::days(3));
        // The dosing lands on the first free morning from `day`: judge what must be in
        // place on the latest day it could fall on.
        let by = day + Duration::days(14);
        let mut reasons = Vec::new();
        if self.clearance_until.is_none_or(|u| u < by) {
            // Lapsed by the day itself: the gate is open, so now and then it is booked
            // with the reason and the renewal recorded before the day.
            if self.clearance_until.is_some_and(|u| u < day) && self.rng.chance(0.25) {
                // Renewal confirmed by phone; the paper comes before the day.
                let reason = {
                    let w = self.w;
                    self.line(&w.texts.override_clearance)
                };
                reasons.push(reason);
                let renew = Self::at_time(at.date() + Duration::days(1), 9, 15);
                self.clearance(renew, renew.date());
            } else {
                let on = at.date();
                self.clearance(at - Duration::minutes(20), on);
            }
        }
        if self.rx.is_some_and(|d| d.until.is_some_and(|u| u < by)) {
            let d = self.rx;
            self.prescription(at - Duration::minutes(15), at.date(), d);
        }
        if n == 1 && self.release_until.is_none_or(|u| u < by) {
            self.release(at - Duration::minutes(10));
        }
        if rx_override && self.rx.is_none() {
            let reason = {
                let w = self.w;
                self.line(&w.texts.override_prescription)
            };
            reasons.push(reason);
            let on = at.date() + Duration::days(1);
            self.prescription(Self::at_time(on, 8, 45), on, None);
        } else if self.rx.is_none() {
            self.prescription(at - Duration::minutes(12), at.date(), None);
        }
        let reason = (!reasons.is_empty()).then(|| reasons.join(" "));
        self.book(at, SessionKind::Dosing, day, reason)
    }

    /// The dosing day as the record is kept: measures on arrival, start checks, vitals,
    /// the medication as prescribed, perhaps an adverse event, discharge, completion,
    /// and the note.
    fn dosing_day(&mut self, s: &Sess, n: u32) {
        let t0 = s.start;
        let x = (n - 1) as f64 / 6.0;
        let arrival = Sess {
            start: t0 - Duration::minutes(12),
            ..s.clone()
        };
        self.measures_at(&arrival, t0 - Duration::minutes(12), &["phq9", "gad7"], x);
        let checks = t0 + Duration::minutes(5);
        self.push(checks, Act::Checks(s.id.clone(), Self::hhmm(checks)));
        let (sys, dia, hr) = (
            self.rng.range(108, 136),
            self.rng.range(68, 86),
            self.rng.range(60, 84),
        );
        let spo2 = self.rng.chance(0.5);
        let vitals = |b: &mut Self, at: NaiveDateTime, phase, ds: i64, dd: i64, dh: i64| {
            let id = b.rng.uuid();
            let input = VitalsInput {
                at: Self::hhmm(at),
                phase,
                blood_pressure: format!("{}/{}", sys + ds, dia + dd),
                heart_rate: hr + dh,
                spo2: spo2.then(|| b.rng.range(95, 99)),
            };
            b.push(at, Act::Vitals(s.id.clone(), input, id));
        };
        let pre = t0 + Duration::minutes(10);
        let d = self.rng.range(-4, 4);
        vitals(self, pre, VitalsPhase::PreDose, d, d / 2, 0);
        let taken = t0 + Duration::minutes(15);
        let dose = self.rx.unwrap_or(Dose {
            per_unit: 100.0,
            units: 2.0,
            booster: 50.0,
            oral: false,
            until: None,
        });
        let mut m = Medication {
            name: "Ketamine".into(),
            route: Some(if dose.oral {
                Route::Oral
            } else {
                Route::Sublingual
            }),
            dose_per_unit_mg: Some(dose.per_unit),
            units: Some(dose.units),
            taken_at: Some(Self::hhmm(taken)),
            ..Default::default()
        };
        if self.rng.chance(0.03) {
            // The prescriber lowered it that morning: a difference, with its reason.
            m.dose_per_unit_mg = Some(dose.per_unit * 0.75);
            m.difference_reason = {
                let w = self.w;
                self.line(&w.texts.difference)
            };
        } else if self.rng.chance(0.12) {
            m.booster_mg = Some(dose.booster);
            m.booster_at = Some(Self::hhmm(taken + Duration::minutes(45)));
        }
        self.push(
            taken + Duration::minutes(1),
            Act::Medication(s.id.clone(), m),
        );
        let during = taken + Duration::minutes(40);
        let (up, hr_up) = (self.rng.range(6, 24), self.rng.range(4, 14));
        vitals(self, during, VitalsPhase::During, up, up / 2, hr_up);
        if self.rng.chance(0.12) {
            let when = t0 + Duration::minutes(self.rng.range(30, 100));
            self.adverse_event(s, when);
        }
        let before_discharge = t0 + Duration::minutes(self.rng.range(148, 160));
        let d = self.rng.range(-3, 6);
        vitals(self, before_discharge, VitalsPhase::Discharge, d, d / 2, 2);
        let discharged = before_discharge + Duration::minutes(self.rng.range(6, 12));
        self.push(
            discharged,
            Act::Discharge(s.id.clone(), Self::hhmm(discharged)),
        );
        self.push(
            s.end().max(discharged + Duration::minutes(2)),
            Act::Status {
                id: s.id.clone(),
                kind: SessionKind::Dosing,
                status: SessionStatus::Completed,
            },
        );
        let when = s.end() + Duration::minutes(self.rng.range(20, 180));
        self.note(s, when, "dosing", n, "");
    }

    fn adverse_event(&mut self, s: &Sess, at: NaiveDateTime) {
        let w = self.w;
        let e = &w.events;
        let roll = self.rng.below(100);
        let (kind, severity, pool, description) = match roll {
            0..=39 => (
                AdverseEventKind::Nausea,
                if self.rng.chance(0.8) {
                    Severity::Mild
                } else {
                    Severity::Moderate
                },
                &e.nausea,
                String::new(),
            ),
            40..=64 => (
                AdverseEventKind::Anxiety,
                if self.rng.chance(0.7) {
                    Severity::Mild
                } else {
                    Severity::Moderate
                },
                &e.anxiety,
                String::new(),
            ),
            65..=79 => (
                AdverseEventKind::RaisedBp,
                Severity::Moderate,
                &e.raised_bp,
                format!(
                    "{}/{} at its highest",
                    self.rng.range(150, 168),
                    self.rng.range(92, 104)
                ),
            ),
            80..=87 => (
                AdverseEventKind::Vomiting,
                Severity::Moderate,
                &e.vomiting,
                String::new(),
            ),
            88..=97 => {
                let d = self.rng.pick(&e.other).clone();
                (AdverseEventKind::Other, Severity::Mild, &e.other, d)
            }
            _ => {
                let d = self.rng.pick(&e.severe).clone();
                (AdverseEventKind::Other, Severity::Severe, &e.severe, d)
            }
        };
        let action = if kind == AdverseEventKind::Other {
            "Stayed with the client and monitored until settled; noted for the integration session."
                .to_owned()
        } else {
            self.rng.pick(pool).clone()
        };
        let informed = severity
            .prescriber_informed()
            .then(|| Self::hhmm(at + Duration::minutes(self.rng.range(5, 15))));
        let id = self.rng.uuid();
        self.push(
            at,
            Act::Event(
                s.id.clone(),
                AdverseEventInput {
                    at: Self::hhmm(at),
                    kind,
                    severity,
                    description,
                    action,
                    prescriber_informed_at: informed,
                },
                id,
            ),
        );
    }

    // --- Measures ---

    fn baseline(&mut self, s: &Sess) {
        self.measures(s, &["phq9", "gad7", "pcl5", "who5"], 0.0);
    }

    fn measures(&mut self, s: &Sess, which: &[&str], x: f64) {
        let at = s.end() + Duration::minutes(1);
        self.measures_at(s, at, which, x);
    }

    /// Each of `which` as the client fills it in, `x` of the way through the course
    /// (0 the baseline, 1 its end), linked to the session.
    fn measures_at(&mut self, s: &Sess, at: NaiveDateTime, which: &[&str], x: f64) {
        for (i, instrument) in which.iter().enumerate() {
            if *instrument == "who5" && !self.scores.who5_given {
                continue;
            }
            let noise = self.rng.range(-2, 2) as f64;
            let lift = 1.0 - (1.0 - self.scores.left) * x.min(1.0);
            let (items, max, target, item9) = match *instrument {
                "phq9" => {
                    let early = x < 0.5;
                    let item9 = if self.scores.risk && (x == 0.0 || (early && self.rng.chance(0.2)))
                    {
                        if x == 0.0 && self.rng.chance(0.25) {
                            2
                        } else {
                            1
                        }
                    } else if self.rng.chance(0.01) {
                        1
                    } else {
                        0
                    };
                    (9, 3, self.scores.phq9 * lift + noise, Some(item9))
                }
                "gad7" => (7, 3, self.scores.gad7 * lift + noise, None),
                "pcl5" => (20, 4, self.scores.pcl5 * lift + noise * 2.0, None),
                _ => {
                    let w = self.scores.who5 + (25.0 - self.scores.who5) * (1.0 - lift) * 0.8;
                    (5, 5, w + noise, None)
                }
            };
            let answers = answers(&mut self.rng, items, max, target, item9);
            let flag = item9.is_some_and(|v| v > 0);
            let id = self.rng.uuid();
            let when = at + Duration::minutes(i as i64);
            let filled_by = if self.rng.chance(0.9) {
                FilledBy::Client
            } else {
                FilledBy::Therapist
            };
            self.push(
                when,
                Act::Measure(
                    NewAdministration {
                        client_id: self.client_id.clone(),
                        instrument: (*instrument).into(),
                        date: s.date().to_string(),
                        session_id: Some(s.id.clone()),
                        filled_by,
                        answers,
                    },
                    id.clone(),
                ),
            );
            if flag {
                let respond = when + Duration::minutes(self.rng.range(5, 25));
                let w = self.w;
                let (made, pool) = if self.safety_plan_made {
                    (SafetyPlanAction::Reviewed, &w.texts.risk_reviewed)
                } else {
                    (SafetyPlanAction::Made, &w.texts.risk_made)
                };
                let note = self.line(pool);
                self.push(
                    respond,
                    Act::SafetyResponse(
                        id,
                        SafetyResponseInput {
                            risk_note: note,
                            safety_plan: made,
                        },
                    ),
                );
                if made == SafetyPlanAction::Made || self.rng.chance(0.3) {
                    self.safety_plan(respond + Duration::minutes(1), s.date());
                }
            }
        }
    }

    // --- Notes ---

    /// The session's note drafted at `at`, usually signed soon after, now and then
    /// with an addendum later; a few stay drafts.
    fn note(&mut self, s: &Sess, at: NaiveDateTime, phase: &str, n: u32, topics: &str) {
        let format = match self.rng.below(100) {
            0..=74 => NoteFormat::Soap,
            75..=84 => NoteFormat::Dap,
            85..=92 => NoteFormat::Birp,
            _ => NoteFormat::Free,
        };
        let mut sections = self
            .notes
            .0
            .get(&(format, s.kind))
            .cloned()
            .unwrap_or_default();
        let w = self.w;
        let pools = w.notes.get(phase);
        let no_show = phase == "no_show";
        for (i, section) in sections.iter_mut().enumerate() {
            section.text = if no_show {
                match (i, section.key.as_str()) {
                    (0, _) => self.sentences(pools, &["note"], 1, 1, n, topics),
                    (_, "risk_check") => "Not assessed: the client did not attend.".into(),
                    _ => String::new(),
                }
            } else {
                let key = match section.key.as_str() {
                    "fit_decision" if self.declined => "fit_declined".to_owned(),
                    "referral" if self.declined => "referral_declined".to_owned(),
                    k => k.to_owned(),
                };
                match key.as_str() {
                    "data" | "behavior" => {
                        self.sentences(pools, &["subjective", "objective"], 1, 2, n, topics)
                    }
                    "note" => self.sentences(
                        pools,
                        &["subjective", "objective", "assessment", "plan"],
                        1,
                        2,
                        n,
                        topics,
                    ),
                    "subjective" | "objective" | "assessment" | "plan" | "intervention"
                    | "response" => self.sentences(pools, &[key.as_str()], 2, 3, n, topics),
                    other => self.sentences(pools, &[other], 1, 2, n, topics),
                }
            };
        }
        if sections.is_empty() {
            return;
        }
        self.push(at, Act::Note(s.id.clone(), NoteDraft { format, sections }));
        if self.rng.chance(0.03) {
            let text = {
                let w = self.w;
                self.line(&w.texts.psychotherapy)
            };
            self.push(
                at + Duration::minutes(1),
                Act::Psychotherapy(s.id.clone(), text),
            );
        }
        if self.rng.chance(0.003) {
            // Forgotten: a draft the dashboard will keep showing.
            return;
        }
        // Signed the same hour, the next morning, or within a few days.
        let signed = match self.rng.below(100) {
            0..=59 => at + Duration::minutes(self.rng.range(3, 60)),
            60..=89 => {
                let h = self.rng.range(8, 9) as u32;
                Self::at_time(
                    at.date() + Duration::days(1),
                    h,
                    self.rng.range(0, 59) as u32,
                )
            }
            _ => {
                let d = at.date() + Duration::days(self.rng.range(2, 4));
                Self::at_time(
                    d,
                    self.rng.range(9, 17) as u32,
                    self.rng.range(0, 59) as u32,
                )
            }
        };
        self.push(signed, Act::Sign(s.id.clone()));
        if self.rng.chance(0.04) {
            let day = signed.date() + Duration::days(self.rng.range(1, 10));
            let later = Self::at_time(
                day,
                self.rng.range(9, 17) as u32,
                self.rng.range(0, 59) as u32,
            );
            let text = {
                let w = self.w;
                self.line(&w.texts.addenda)
            };
            let id = self.rng.uuid();
            self.push(later, Act::Addendum(s.id.clone(), text, id));
        }
    }

    /// A paragraph or two: `lo..=hi` sentences from each of the pools named by `keys`.
    fn sentences(
        &mut self,
        pools: Option<&HashMap<String, Vec<String>>>,
        keys: &[&str],
        lo: usize,
        hi: usize,
        n: u32,
        topics: &str,
    ) -> String {
        let Some(pools) = pools else {
            return String::new();
        };
        let mut paragraphs = Vec::new();
        for key in keys {
            let Some(pool) = pools.get(*key) else {
                continue;
            };
            let k = lo + self.rng.below((hi - lo + 1) as u64) as usize;
            let picked: Vec<String> = self
                .rng
                .some(pool, k)
                .into_iter()
                .map(|s| self.fill(s, n, topics))
                .collect();
            if picked.is_empty() {
                continue;
            }
            // Now and then a longer section in two paragraphs.
            if picked.len() >= 3 && self.rng.chance(0.4) {
                paragraphs.push(picked[..2].join(" "));
                paragraphs.push(picked[2..].join(" "));
            } else {
                paragraphs.push(picked.join(" "));
            }
        }
        paragraphs.join("\n\n")
    }
}

/// Answers to one form whose (unscaled) total is about `target`: each item 0..=`max`,
/// PHQ-9's item 9 as given.
fn answers(
    rng: &mut Rng,
    items: usize,
    max: u32,
    target: f64,
    item9: Option<u32>,
) -> Vec<Option<u32>> {
    let mut a = vec![0u32; items];
    let mut free: Vec<usize> = (0..items).collect();
    let mut left = target.round().max(0.0) as u32;
    if let Some(v) = item9 {
        a[8] = v;
        free.retain(|&i| i != 8);
        left = left.saturating_sub(v);
    }
    let room = free.len() as u32 * max;
    left = left.min(room);
    while left > 0 {
        let i = free[rng.below(free.len() as u64) as usize];
        if a[i] < max {
            a[i] += 1;
            left -= 1;
        }
    }
    a.into_iter().map(Some).collect()
}

// --- Running the plan -------------------------------------------------------------------------

struct Run {
    counts: DemoSummary,
    /// Sessions whose note is drafted and not (yet) signed.
    drafts: HashSet<String>,
}

impl Run {
    fn step(&mut self, v: &mut Vault, plan: &PracticePlan, step: &Step) -> Result<()> {
        let now = step.at;
        let client = plan
            .client_ids
            .get(step.who as usize)
            .map(String::as_str)
            .unwrap_or_default();
        let c = &mut self.counts;
        match &step.act {
            Act::Settings(s) => {
                v.set_practice_time_zone(TIME_ZONE)?;
                v.save_settings(s.clone(), now)?;
            }
            Act::DosingSettings(s) => {
                v.save_dosing_settings(s.clone(), now)?;
            }
            Act::AddClient { details, course } => {
                v.add_client(details.clone(), client, course, now)?;
                c.clients += 1;
                c.courses += 1;
            }
            Act::Update(details) => {
                v.update_client(client, details.clone(), now)?;
            }
            Act::StartCourse(course) => {
                v.start_course(client, course, now)?;
                c.courses += 1;
            }
            Act::Release(r, id) => {
                v.record_release_of_information(client, r.clone(), id, now)?;
            }
            Act::Clearance(x, id) => {
                v.record_clearance(client, x.clone(), id, now)?;
                c.clearances += 1;
            }
            Act::Prescription(p, id) => {
                v.record_prescription(client, p.clone(), id, now)?;
                c.prescriptions += 1;
            }
            Act::Book {
                id,
                kind,
                start,
                minutes,
                reason,
            } => {
                let req = BookingRequest {
                    client_id: client.to_owned(),
                    kind: *kind,
                    date: start.date().to_string(),
                    time: format!("{:02}:{:02}", start.hour(), start.minute()),
                    duration_min: Some(*minutes),
                    location: if *kind == SessionKind::Dosing {
                        "Dosing room".into()
                    } else {
                        "Office".into()
                    },
                    override_reason: reason.clone(),
                };
                v.book_session(req, id, now)?;
                c.sessions += 1;
                if reason.is_some() {
                    c.overrides += 1;
                }
            }
            Act::Move { id, to } => {
                v.move_session(
                    id,
                    &to.date().to_string(),
                    &format!("{:02}:{:02}", to.hour(), to.minute()),
                    None,
                    now,
                )?;
                c.moved_sessions += 1;
            }
            Act::Status { id, kind, status } => {
                v.set_session_status(id, *status, now)?;
                match status {
                    SessionStatus::Completed => {
                        c.completed_sessions += 1;
                        if *kind == SessionKind::Dosing {
                            c.dosings += 1;
                        }
                    }
                    SessionStatus::Cancelled => c.cancelled_sessions += 1,
                    SessionStatus::NoShow => c.no_shows += 1,
                    SessionStatus::Scheduled => {}
                }
            }
            Act::ConsentItems { items, on, session } => {
                let status = v.consent_checklist(client, now)?;
                let ids: Vec<String> = items
                    .iter()
                    .filter_map(|i| status.items.get(*i).map(|x| x.id.clone()))
                    .collect();
                for item_id in ids {
                    v.update_consent_item(
                        client,
                        ConsentItemUpdate {
                            item_id,
                            discussed_on: Some(on.to_string()),
                            session_id: Some(session.clone()),
                            initialled: true,
                            note: String::new(),
                        },
                        now,
                    )?;
                }
            }
            Act::SignConsent { on, method } => {
                let attested_by = v.settings()?.therapist_name;
                v.sign_consent(
                    client,
                    SignConsent {
                        signed_on: on.to_string(),
                        method: *method,
                        attested_by,
                    },
                    now,
                )?;
                c.consents_signed += 1;
            }
            Act::Withdraw { on, note, id } => {
                v.withdraw_consent(client, &on.to_string(), note, id, now)?;
                c.consents_withdrawn += 1;
            }
            Act::Plan(session, p) => {
                v.save_dosing_plan(session, p.clone(), now)?;
            }
            Act::Checks(session, at) => {
                for check in DosingCheck::START {
                    v.set_dosing_check(session, check, Some(at), now)?;
                }
            }
            Act::Vitals(session, input, id) => {
                v.add_vitals(session, input.clone(), id, now)?;
            }
            Act::Medication(session, m) => {
                v.save_medication(session, m.clone(), now)?;
            }
            Act::Event(session, e, id) => {
                v.add_adverse_event(session, e.clone(), id, now)?;
                c.adverse_events += 1;
            }
            Act::Discharge(session, at) => {
                v.discharge(session, at, now)?;
            }
            Act::Note(session, draft) => {
                v.save_note_draft(session, draft.clone(), now)?;
                self.drafts.insert(session.clone());
            }
            Act::Sign(session) => {
                v.sign_note(session, now)?;
                self.drafts.remove(session);
                c.signed_notes += 1;
            }
            Act::Addendum(session, text, id) => {
                v.add_addendum(session, text, id, now)?;
                c.addenda += 1;
            }
            Act::Psychotherapy(session, text) => {
                v.save_psychotherapy_note(session, text, now)?;
                c.psychotherapy_notes += 1;
            }
            Act::Measure(a, id) => {
                let view = v.record_measure(a.clone(), id, now)?;
                c.measures += 1;
                if view.administration.safety_flag {
                    c.safety_flags += 1;
                }
            }
            Act::SafetyResponse(id, input) => {
                v.record_safety_response(id, input.clone(), now)?;
            }
            Act::SafetyPlan(input, id) => {
                v.save_safety_plan(client, input.clone(), id, now)?;
                c.safety_plans += 1;
            }
            Act::Archive => {
                v.set_client_archived(client, true, now)?;
                c.archived_clients += 1;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A busy stretch pushes a session later; it never lands on top of another.
    #[test]
    fn a_full_diary_books_the_next_free_start_not_an_overlap() {
        let mut cal = Calendar::default();
        let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        // Thirty days with every start taken from 08:00 to 19:00.
        for offset in 0..30 {
            let d = monday + Duration::days(offset);
            cal.days.insert(d, vec![(8 * 60, 19 * 60)]);
        }
        for (kind, r) in [(SessionKind::Dosing, 7), (SessionKind::Integration, 3)] {
            let minutes = kind.default_duration_min();
            let start = Calendar::allocate(Some(&mut cal), monday, kind, minutes, r);
            assert!(start.date() >= monday + Duration::days(30), "{start}");
            assert_ne!(start.date().weekday(), Weekday::Sun, "{start}");
            if kind == SessionKind::Dosing {
                assert_ne!(start.date().weekday(), Weekday::Sat, "{start}");
            }
        }
        // The two just booked do not overlap each other either.
        let mut all: Vec<(NaiveDate, u32, u32)> = cal
            .days
            .iter()
            .flat_map(|(d, v)| v.iter().map(|&(a, b)| (*d, a, b)))
            .collect();
        all.sort();
        for w in all.windows(2) {
            assert!(w[0].0 != w[1].0 || w[0].2 <= w[1].1, "{w:?}");
        }
    }

    /// Every word list the generator draws from has words in it (drawing from an empty
    /// one would panic on the first-run screen), and the feminine family names, where
    /// a language has them, pair one to one with the family names.
    #[test]
    fn every_word_list_of_the_demo_has_words() {
        fn walk(at: &str, v: &toml::Value) {
            match v {
                toml::Value::Array(a) => {
                    // A language without neutral names (they) or feminine family names
                    // (family_she) leaves them empty; the generator checks for that.
                    let may_be_empty = at.ends_with(".they") || at.ends_with(".family_she");
                    assert!(!a.is_empty() || may_be_empty, "{at} is empty");
                    for (i, x) in a.iter().enumerate() {
                        walk(&format!("{at}[{i}]"), x);
                    }
                }
                toml::Value::Table(t) => {
                    if let (Some(she), Some(family)) = (t.get("family_she"), t.get("family")) {
                        let (she, family) = (she.as_array().unwrap(), family.as_array().unwrap());
                        assert!(
                            she.is_empty() || she.len() == family.len(),
                            "{at}: family_she pairs with family"
                        );
                    }
                    for (k, x) in t {
                        walk(&format!("{at}.{k}"), x);
                    }
                }
                _ => {}
            }
        }
        walk("practice", &toml::from_str::<toml::Value>(WORDS).unwrap());
        // Friends giving a ride home are drawn from the first group's neutral names.
        assert!(!words().unwrap().names[0].they.is_empty());
    }
}
