//! The whole `kapdesk` command tree, as clap definitions and nothing else.
//!
//! Every noun's subcommands and arguments live here, so the interface can be read
//! (and reviewed) in one place; the handlers are in `commands/`, one file per noun.
//! Every fixed word the CLI accepts is a `clap::ValueEnum`, so clap rejects a wrong
//! one with the list of right ones (exit code 2) before any vault is opened. The
//! core does not depend on clap, so each choice is a CLI enum here with a `From`
//! into the core type it stands for.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kapdesk_core::model::dosing::{AdverseEventKind, DosingCheck, Route, Severity, VitalsPhase};
use kapdesk_core::model::export::ExportFormat;
use kapdesk_core::model::measures::SafetyPlanAction;
use kapdesk_core::model::notes::NoteFormat;
use kapdesk_core::model::session::ConsentMethod;
use kapdesk_core::model::templates::TemplateDocument;
use kapdesk_core::paths;
use kapdesk_core::{ClientStatus, SessionKind};

#[derive(Parser)]
#[command(
    name = "kapdesk",
    version,
    about = "KAP Desk: the encrypted practice vault, from the command line",
    after_help = "The passphrase comes from --passphrase-file, else KAPDESK_PASSPHRASE, else a prompt on the terminal."
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args)]
pub(crate) struct Global {
    /// The vault file [default: the platform data dir, e.g. ~/.local/share/kapdesk/kapdesk.vault]
    #[arg(long, global = true, env = paths::VAULT_ENV, value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Read the passphrase from this file (first line) instead of prompting
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Create a new, empty vault (never overwrites an existing file)
    Init,
    /// Change the vault's passphrase (re-encrypts every page)
    Passwd(PasswdArgs),
    /// Show where the vault is, its format and what it holds
    Info(InfoArgs),
    /// Write a consistent encrypted copy of the vault (same passphrase)
    Backup(BackupArgs),
    /// The automatic backups in the backup folder
    #[command(subcommand)]
    Backups(BackupsCmd),
    /// Check every page's authentication code and the database structure
    Verify(VerifyArgs),
    /// Replace the vault with a backup; the current vault is kept beside it, renamed
    Restore(RestoreArgs),
    /// Write a demo practice of invented clients to a new vault file, to explore
    Demo(DemoArgs),
    /// Add, list, show, archive and restore clients
    #[command(subcommand)]
    Client(ClientCmd),
    /// Book sessions and record what happened
    #[command(subcommand)]
    Session(SessionCmd),
    /// Record the medical clearance the partner team sent
    #[command(subcommand)]
    Clearance(ClearanceCmd),
    /// Record the prescription the partner team sent
    #[command(subcommand)]
    Prescription(PrescriptionCmd),
    /// Record the client's signed release of information to the partner medical team
    #[command(subcommand)]
    Release(ReleaseCmd),
    /// Newer default templates (consent, handout): list, compare, adopt or keep your own
    #[command(subcommand)]
    Templates(TemplatesCmd),
    /// Record the client's signed informed consent
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// A client's treatment timeline: phase, sessions, open gates, next step
    Timeline(TimelineArgs),
    /// Today's and this week's sessions, and clients who need action
    Dashboard(DashboardArgs),
    /// Write scheduled sessions to an .ics calendar file (initials only by default)
    Calendar(CalendarArgs),
    /// Show or change the practice settings printed on handouts and packets
    Settings(SettingsArgs),
    /// Show or set the practice's time zone (an IANA name such as America/New_York)
    Timezone(TimezoneArgs),
    /// The dosing-day record: checks, medication, vitals, events, discharge
    #[command(subcommand)]
    Dosing(DosingCmd),
    /// Outcome measures (PHQ-9, GAD-7, PCL-5, WHO-5): record, list, respond to a safety flag
    #[command(subcommand)]
    Measure(MeasureCmd),
    /// Every measure of the practice, as a CSV file
    #[command(subcommand)]
    Measures(MeasuresCmd),
    /// A progress letter to the prescriber (PDF): the course, dosings, scores and charts
    Letter(LetterArgs),
    /// Print the dosing-day handout for a client's dosing session
    Handout(HandoutArgs),
    /// Write, sign and amend a session's progress note
    #[command(subcommand)]
    Note(NoteCmd),
    /// Search and export notes
    #[command(subcommand)]
    Notes(NotesCmd),
    /// One PDF of everything a client may receive (never psychotherapy notes)
    RecordRequest(RecordRequestArgs),
    /// The audit trail: list it, and verify its sealed chain
    #[command(subcommand)]
    Audit(AuditCmd),
    /// A one-page PDF to keep in a drawer: where the vault and backups are, and how to restore
    RecoverySheet(RecoverySheetArgs),
    /// The client's safety plan: show it, save a new version, print the client's copy
    #[command(subcommand)]
    SafetyPlan(SafetyPlanCmd),
}

#[derive(Subcommand)]
pub(crate) enum SafetyPlanCmd {
    /// The current plan (or one version), and how many versions there are
    Show {
        client: String,
        /// An earlier version's number [default: the current one]
        #[arg(long)]
        version: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Save a new version from a TOML file (written_on, and each part as a list of lines)
    #[command(
        after_help = "The file: written_on = \"2026-12-05\", then any of warning_signs, coping_strategies, distractions, people_to_ask, professionals, safe_environment, reasons_to_live, each a list such as [\"Walk the dog\", \"Call Dana\"]. Earlier versions are kept unchanged."
    )]
    Save {
        client: String,
        #[arg(long, value_name = "FILE.toml")]
        from: PathBuf,
    },
    /// The client's copy as a PDF (one page for a typical plan)
    Print {
        client: String,
        #[arg(short, long, value_name = "FILE.pdf")]
        output: PathBuf,
        /// An earlier version's number [default: the current one]
        #[arg(long)]
        version: Option<u32>,
    },
}

// ---- The vault itself -------------------------------------------------------------

#[derive(Args)]
pub(crate) struct PasswdArgs {
    /// Read the new passphrase from this file instead of KAPDESK_NEW_PASSPHRASE or a prompt
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct InfoArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub(crate) struct BackupArgs {
    #[arg(
        short,
        long,
        value_name = "FILE",
        required_unless_present = "auto",
        conflicts_with = "auto"
    )]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
    /// One dated, verified backup into the backup folder, then keep the last 7 daily,
    /// 4 weekly and 12 monthly (the practice's settings): for a cron job or systemd timer
    #[arg(long)]
    pub auto: bool,
    /// The folder for --auto, instead of the one in the settings
    #[arg(long, value_name = "DIR", requires = "auto")]
    pub dir: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum BackupsCmd {
    /// The automatic backups in the backup folder, newest first
    List {
        /// Another folder than the one in the settings
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// A backup to check instead of the vault
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub(crate) struct RecoverySheetArgs {
    #[arg(short, long, value_name = "FILE.pdf")]
    pub output: PathBuf,
}

#[derive(Args)]
#[command(
    after_help = "The demo is a new encrypted vault (never written over an existing file), marked as the demo inside: the app shows a banner while it is open, and a backup of it is never restored over a real vault. Its passphrase is chosen like init's. The same options always write the same practice."
)]
pub(crate) struct DemoArgs {
    /// The new vault file to write
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// How many clients, over the years
    #[arg(long, default_value_t = 300)]
    pub clients: u32,
    /// How many years the practice has run, up to today
    #[arg(long, default_value_t = 10)]
    pub years: u32,
    /// Another seed writes another practice of the same size
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The summary as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub(crate) struct RestoreArgs {
    /// The backup file (it opens with the passphrase it was made with)
    pub file: PathBuf,
}

#[derive(Subcommand)]
pub(crate) enum AuditCmd {
    /// Check every entry is sealed to the one before; exits 1 naming the first bad entry
    #[command(
        after_help = "On its own this shows an entry changed or removed anywhere but at the end. With --against an earlier backup (it must open with the vault's passphrase) or a PDF, Markdown or JSON file KAP Desk exported, it also shows the latest entries cut away or the whole trail rewritten since that file was made."
    )]
    Verify {
        /// An earlier backup of the vault, or an exported file carrying the audit trail's head
        #[arg(long, value_name = "FILE")]
        against: Option<PathBuf>,
    },
    /// List the entries, oldest first: number, time, event, detail
    List {
        /// Only the entries about this client (id or name)
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

// ---- Clients and sessions ---------------------------------------------------------

#[derive(Subcommand)]
pub(crate) enum ClientCmd {
    /// Add a client; prints the new client's id
    Add {
        #[arg(long, value_name = "LEGAL NAME")]
        name: String,
        #[arg(long)]
        preferred: Option<String>,
        #[arg(long)]
        pronouns: Option<String>,
        /// Date of birth, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        dob: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// "NAME|RELATION|PHONE"
        #[arg(long, value_name = "NAME|RELATION|PHONE")]
        emergency: Option<String>,
        /// The ride-home person after dosing: "NAME|PHONE"
        #[arg(long, value_name = "NAME|PHONE")]
        ride: Option<String>,
        /// Where the client is in their treatment
        #[arg(long, value_enum, ignore_case = true, default_value = "inquiry")]
        status: ClientStatusArg,
    },
    /// List clients (archived ones with --archived)
    List {
        #[arg(long, default_value = "")]
        search: String,
        #[arg(long, value_enum, ignore_case = true)]
        status: Option<ClientStatusArg>,
        #[arg(long)]
        archived: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show a client's record
    Show {
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// Archive a client (records are kept; nothing is deleted)
    Archive { client: String },
    /// Bring an archived client back
    Restore { client: String },
}

#[derive(Subcommand)]
pub(crate) enum SessionCmd {
    /// Book a session; prints the session id. A dosing with open gates is refused
    /// unless --override gives a written reason.
    Add {
        client: String,
        /// What the session is for
        #[arg(long, value_enum, ignore_case = true)]
        kind: SessionKindArg,
        /// Local date and time, "YYYY-MM-DD HH:MM"
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: String,
        /// Minutes (default: dosing 180, others 50)
        #[arg(long)]
        duration: Option<u32>,
        #[arg(long, default_value = "")]
        location: String,
        /// Book a dosing although gates are open; the reason is kept on the record
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// List a client's sessions in the current course
    List {
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a booked session to another day or time; a dosing is checked again on its
    /// new date. Every move is kept with the session.
    Move {
        session: String,
        /// The new local date and time, "YYYY-MM-DD HH:MM"
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: String,
        /// Move a dosing although something is still needed by then; the reason is kept
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// Mark a session completed
    Complete { session: String },
    /// Mark a session cancelled
    Cancel { session: String },
    /// Mark a session as missed
    NoShow { session: String },
    /// Undo a completion made by mistake (not a dosing, not once the note is signed);
    /// the reason is kept with the session
    Reopen {
        session: String,
        #[arg(long)]
        reason: String,
    },
}

// ---- The gates before a first dosing ---------------------------------------------

#[derive(Subcommand)]
pub(crate) enum ClearanceCmd {
    Set {
        client: String,
        #[arg(long)]
        clinician: String,
        #[arg(long, default_value = "")]
        org: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        #[arg(long, value_name = "YYYY-MM-DD", default_value = "")]
        valid_until: String,
    },
}

#[derive(Subcommand)]
pub(crate) enum PrescriptionCmd {
    Set {
        client: String,
        #[arg(long)]
        medication: String,
        #[arg(long)]
        route: String,
        /// As prescribed by the partner team, in their words
        #[arg(long)]
        dose: String,
        #[arg(long)]
        prescriber: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// The last day the prescription covers, when it says
        #[arg(long, value_name = "YYYY-MM-DD", default_value = "")]
        valid_until: String,
        /// What the prescriber told the client to hold or take, and when, in their words;
        /// printed on the dosing-day handout. Repeat for each instruction
        #[arg(long = "medication-instruction", value_name = "TEXT")]
        medication_instructions: Vec<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReleaseCmd {
    /// Record a signed release (one of the checks before a first dosing)
    Set {
        client: String,
        /// Who information may be shared with: the partner medical team, by name
        #[arg(long, value_name = "WHO")]
        to: String,
        /// What may be shared, as the signed form says
        #[arg(long, value_name = "WHAT")]
        share: String,
        /// The day the client signed it
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// The last day the release covers, when it says
        #[arg(long, value_name = "YYYY-MM-DD", default_value = "")]
        valid_until: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum TemplateArg {
    Consent,
    Handout,
}

impl From<TemplateArg> for TemplateDocument {
    fn from(t: TemplateArg) -> Self {
        match t {
            TemplateArg::Consent => TemplateDocument::Consent,
            TemplateArg::Handout => TemplateDocument::Handout,
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum TemplatesCmd {
    /// Which of your edited templates have a newer default
    List,
    /// Print your template and the newer default, one after the other
    Compare { template: TemplateArg },
    /// Use the newer default instead of your edit
    Adopt { template: TemplateArg },
    /// Keep your edit; the newer default is not offered again
    Keep { template: TemplateArg },
}

#[derive(Subcommand)]
pub(crate) enum ConsentCmd {
    /// The consent checklist: which items are discussed and initialled, and the signature
    Status {
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark an item discussed (and initialled) today or on --date
    Discuss {
        client: String,
        /// The item's id (see `consent status`)
        item: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Discussed, but the client has not initialled it yet
        #[arg(long)]
        no_initials: bool,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Record the signature; refused until every item is discussed and initialled
    Sign {
        client: String,
        /// How the client signed
        #[arg(long, value_enum)]
        method: ConsentMethodArg,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// The attesting therapist [default: the therapist in the practice settings]
        #[arg(long)]
        attested_by: Option<String>,
    },
    /// Record that the client withdrew consent (the signed record stays as it was)
    Withdraw {
        client: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// After a withdrawal, start a new consent to go through again (the withdrawn one
    /// stays as it was); dosing waits for its signature
    Renew { client: String },
    /// Print the consent packet to a PDF: the record, or --blank to hand out
    Print {
        client: String,
        #[arg(long)]
        blank: bool,
        #[arg(short, long, value_name = "FILE.pdf")]
        output: PathBuf,
    },
}

// ---- Overviews and the practice -------------------------------------------------

#[derive(Args)]
pub(crate) struct TimelineArgs {
    pub client: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub(crate) struct DashboardArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub(crate) struct CalendarArgs {
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Put clients' full names in the events (calendars often sync to the cloud)
    #[arg(long)]
    pub full_names: bool,
}

#[derive(Args)]
pub(crate) struct SettingsArgs {
    #[arg(long)]
    pub therapist: Option<String>,
    #[arg(long)]
    pub credentials: Option<String>,
    #[arg(long)]
    pub practice: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// The partner medical team, "NAME|PHONE"
    #[arg(long)]
    pub medical_team: Option<String>,
    /// Lock the app after this many idle minutes (1-60)
    #[arg(long, value_name = "MINUTES")]
    pub lock_after: Option<u32>,
    /// The folder for automatic backups (an external drive is best); "" turns them off
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<String>,
    /// How many daily, weekly and monthly automatic backups to keep, e.g. 7,4,12
    #[arg(long, value_name = "D,W,M")]
    pub keep: Option<String>,
    /// The notice a client must give to move or cancel a dosing session (in the consent)
    #[arg(long, value_name = "HOURS")]
    pub cancellation_notice: Option<i64>,
    /// The late-cancellation fee for a dosing session, as the consent should say it
    /// (e.g. "$150"); "" points to the fee schedule
    #[arg(long, value_name = "FEE")]
    pub cancellation_fee: Option<String>,
    /// Whether a baseline of the practice's baseline measures (PHQ-9, GAD-7, PCL-5 by
    /// default) must be on file before a first dosing
    #[arg(long, value_enum, value_name = "ON|OFF")]
    pub baseline_measures: Option<OnOff>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub(crate) struct TimezoneArgs {
    pub zone: Option<String>,
}

// ---- The dosing day ---------------------------------------------------------------

#[derive(Subcommand)]
pub(crate) enum DosingCmd {
    /// The dosing record: checks, medication, vitals, events, discharge
    Show {
        session: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a vitals reading, e.g. --bp 128/82 --hr 74
    Vitals {
        session: String,
        #[arg(long, value_name = "SYS/DIA")]
        bp: String,
        #[arg(long)]
        hr: i64,
        #[arg(long)]
        spo2: Option<i64>,
        /// HH:MM [default: now]
        #[arg(long)]
        at: Option<String>,
        /// When in the day [default: pre-dose for the first reading, else during]
        #[arg(long, value_enum)]
        phase: Option<VitalsPhaseArg>,
    },
    /// Tick a start or discharge check
    Check {
        session: String,
        #[arg(value_enum)]
        check: DosingCheckArg,
        #[arg(long)]
        at: Option<String>,
        /// Untick it
        #[arg(long)]
        undo: bool,
    },
    /// Record the medication taken, as prescribed by the medical team
    Medication {
        session: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        route: RouteArg,
        #[arg(long)]
        dose_mg: f64,
        #[arg(long, default_value_t = 1.0)]
        units: f64,
        #[arg(long)]
        at: Option<String>,
        /// Why it differs from the prescription on file (required when it does)
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Record an adverse event and the action taken
    Event {
        session: String,
        #[arg(value_enum)]
        kind: AdverseEventKindArg,
        #[arg(long, value_enum)]
        severity: SeverityArg,
        #[arg(long)]
        action: String,
        /// HH:MM the prescriber was informed (required when moderate or severe)
        #[arg(long, value_name = "HH:MM")]
        prescriber_informed: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        at: Option<String>,
    },
    /// The intention and the ride home for the day (printed on the handout)
    Plan {
        session: String,
        #[arg(long, default_value = "")]
        intention: String,
        /// "NAME|PHONE"; empty means the client's usual ride home
        #[arg(long)]
        ride: Option<String>,
    },
    /// Discharge: effects subsided, steady on feet, ride present, at --at (default now)
    Discharge {
        session: String,
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Args)]
pub(crate) struct HandoutArgs {
    pub client: String,
    #[arg(long)]
    pub session: String,
    #[arg(short, long, value_name = "FILE.pdf")]
    pub output: PathBuf,
}

// ---- Notes and what leaves the vault ----------------------------------------------

#[derive(Subcommand)]
pub(crate) enum NoteCmd {
    /// Show a session's note, its signature, addenda and integrity
    Show {
        session: String,
        #[arg(long)]
        json: bool,
    },
    /// Write the draft from a text file; "## Section title" lines start sections
    Write {
        session: String,
        /// The note format [default: the practice's]
        #[arg(long, value_enum, ignore_case = true)]
        format: Option<NoteFormatArg>,
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Sign and lock the note
    Sign { session: String },
    /// Add a signed addendum from a text file
    Addendum {
        session: String,
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum NotesCmd {
    /// Full-text search over notes and addenda
    Search {
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Export notes to a folder (files readable only by you; not encrypted)
    Export {
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        client: Option<String>,
        #[arg(long)]
        all: bool,
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// The folder to write into
        #[arg(short, long, value_name = "FOLDER")]
        output: PathBuf,
        /// Psychotherapy notes are not part of the record; include them only deliberately
        #[arg(long)]
        include_psychotherapy_notes: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum MeasureCmd {
    /// Record a questionnaire's answers; KAP Desk scores it
    Add {
        client: String,
        /// phq9, gad7, pcl5 or who5 (or the name, e.g. PHQ-9)
        #[arg(long)]
        instrument: String,
        /// Each item's answer in order, separated by commas
        #[arg(long, value_name = "0,1,2,...")]
        answers: String,
        /// The day it was given [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        at: Option<String>,
        /// The session it was given in
        #[arg(long, value_name = "SESSION")]
        session: Option<String>,
        /// You read the items aloud and entered the answers [default: the client filled it in]
        #[arg(long)]
        read_aloud: bool,
    },
    /// A client's measures, oldest first, with the change from the baseline
    List {
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// Record your response to a safety flag: a brief risk note and the safety plan
    Respond {
        /// The measure's id (from `measure add` or `measure list`)
        measure: String,
        #[arg(long)]
        note: String,
        #[arg(long, value_enum)]
        plan: SafetyPlanArg,
    },
}

#[derive(Subcommand)]
pub(crate) enum MeasuresCmd {
    /// One row per administration: client, instrument, date, each item, total
    Export {
        #[arg(short, long, value_name = "FILE.csv")]
        output: PathBuf,
    },
}

#[derive(Args)]
pub(crate) struct LetterArgs {
    pub client: String,
    #[arg(short, long, value_name = "FILE.pdf")]
    pub output: PathBuf,
    /// Your summary for the prescriber, in your words
    #[arg(
        long,
        conflicts_with = "summary_file",
        required_unless_present = "summary_file"
    )]
    pub summary: Option<String>,
    /// Read the summary from a UTF-8 text file
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct RecordRequestArgs {
    pub client: String,
    #[arg(short, long, value_name = "FILE.pdf")]
    pub output: PathBuf,
}

// ---- The fixed words, and the core types they stand for ---------------------------
//
// The spellings are the ones the CLI has always accepted; the older alternatives
// (`follow_up`, `im`, `md`/`markdown`, snake_case check names …) are hidden aliases.

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ClientStatusArg {
    Inquiry,
    Preparation,
    Dosing,
    Integration,
    Completed,
    Discharged,
}

impl From<ClientStatusArg> for ClientStatus {
    fn from(s: ClientStatusArg) -> Self {
        match s {
            ClientStatusArg::Inquiry => ClientStatus::Inquiry,
            ClientStatusArg::Preparation => ClientStatus::Preparation,
            ClientStatusArg::Dosing => ClientStatus::Dosing,
            ClientStatusArg::Integration => ClientStatus::Integration,
            ClientStatusArg::Completed => ClientStatus::Completed,
            ClientStatusArg::Discharged => ClientStatus::Discharged,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SessionKindArg {
    Intake,
    Preparation,
    Dosing,
    Integration,
    #[value(alias = "follow_up", alias = "follow up")]
    FollowUp,
    Other,
}

impl From<SessionKindArg> for SessionKind {
    fn from(k: SessionKindArg) -> Self {
        match k {
            SessionKindArg::Intake => SessionKind::Intake,
            SessionKindArg::Preparation => SessionKind::Preparation,
            SessionKindArg::Dosing => SessionKind::Dosing,
            SessionKindArg::Integration => SessionKind::Integration,
            SessionKindArg::FollowUp => SessionKind::FollowUp,
            SessionKindArg::Other => SessionKind::Other,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ConsentMethodArg {
    /// Wet signature on the printed packet
    Paper,
    /// Signed on the screen
    Screen,
}

impl From<ConsentMethodArg> for ConsentMethod {
    fn from(m: ConsentMethodArg) -> Self {
        match m {
            ConsentMethodArg::Paper => ConsentMethod::Paper,
            ConsentMethodArg::Screen => ConsentMethod::Screen,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum VitalsPhaseArg {
    #[value(alias = "pre_dose", alias = "pre")]
    PreDose,
    During,
    Discharge,
}

impl From<VitalsPhaseArg> for VitalsPhase {
    fn from(p: VitalsPhaseArg) -> Self {
        match p {
            VitalsPhaseArg::PreDose => VitalsPhase::PreDose,
            VitalsPhaseArg::During => VitalsPhase::During,
            VitalsPhaseArg::Discharge => VitalsPhase::Discharge,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DosingCheckArg {
    /// Start: fasted as instructed
    Fasting,
    /// Start: substances held as instructed
    #[value(alias = "substances_held")]
    SubstancesHeld,
    /// Start: medication brought
    #[value(alias = "medication_brought")]
    MedicationBrought,
    /// Start: ride home confirmed
    #[value(alias = "ride_confirmed")]
    RideConfirmed,
    /// Start: consent to touch reviewed
    #[value(alias = "touch_reviewed")]
    TouchReviewed,
    /// Start: intention stated
    #[value(alias = "intention_stated")]
    IntentionStated,
    /// Discharge: effects have subsided
    #[value(alias = "effects_subsided")]
    EffectsSubsided,
    /// Discharge: steady on feet
    #[value(alias = "steady_on_feet")]
    SteadyOnFeet,
    /// Discharge: the ride home is here
    #[value(alias = "ride_present")]
    RidePresent,
}

impl From<DosingCheckArg> for DosingCheck {
    fn from(c: DosingCheckArg) -> Self {
        match c {
            DosingCheckArg::Fasting => DosingCheck::Fasting,
            DosingCheckArg::SubstancesHeld => DosingCheck::SubstancesHeld,
            DosingCheckArg::MedicationBrought => DosingCheck::MedicationBrought,
            DosingCheckArg::RideConfirmed => DosingCheck::RideConfirmed,
            DosingCheckArg::TouchReviewed => DosingCheck::TouchReviewed,
            DosingCheckArg::IntentionStated => DosingCheck::IntentionStated,
            DosingCheckArg::EffectsSubsided => DosingCheck::EffectsSubsided,
            DosingCheckArg::SteadyOnFeet => DosingCheck::SteadyOnFeet,
            DosingCheckArg::RidePresent => DosingCheck::RidePresent,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum RouteArg {
    Sublingual,
    Oral,
    #[value(alias = "im")]
    Intramuscular,
    Other,
}

impl From<RouteArg> for Route {
    fn from(r: RouteArg) -> Self {
        match r {
            RouteArg::Sublingual => Route::Sublingual,
            RouteArg::Oral => Route::Oral,
            RouteArg::Intramuscular => Route::Intramuscular,
            RouteArg::Other => Route::Other,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum AdverseEventKindArg {
    Nausea,
    Vomiting,
    Anxiety,
    /// Raised blood pressure
    #[value(alias = "raised_bp")]
    RaisedBp,
    Other,
}

impl From<AdverseEventKindArg> for AdverseEventKind {
    fn from(k: AdverseEventKindArg) -> Self {
        match k {
            AdverseEventKindArg::Nausea => AdverseEventKind::Nausea,
            AdverseEventKindArg::Vomiting => AdverseEventKind::Vomiting,
            AdverseEventKindArg::Anxiety => AdverseEventKind::Anxiety,
            AdverseEventKindArg::RaisedBp => AdverseEventKind::RaisedBp,
            AdverseEventKindArg::Other => AdverseEventKind::Other,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SafetyPlanArg {
    Made,
    Reviewed,
    NotNeeded,
}

impl From<SafetyPlanArg> for SafetyPlanAction {
    fn from(s: SafetyPlanArg) -> Self {
        match s {
            SafetyPlanArg::Made => SafetyPlanAction::Made,
            SafetyPlanArg::Reviewed => SafetyPlanAction::Reviewed,
            SafetyPlanArg::NotNeeded => SafetyPlanAction::NotNeeded,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SeverityArg {
    Mild,
    Moderate,
    Severe,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Mild => Severity::Mild,
            SeverityArg::Moderate => Severity::Moderate,
            SeverityArg::Severe => Severity::Severe,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum NoteFormatArg {
    Soap,
    Dap,
    Birp,
    Free,
}

impl From<NoteFormatArg> for NoteFormat {
    fn from(f: NoteFormatArg) -> Self {
        match f {
            NoteFormatArg::Soap => NoteFormat::Soap,
            NoteFormatArg::Dap => NoteFormat::Dap,
            NoteFormatArg::Birp => NoteFormat::Birp,
            NoteFormatArg::Free => NoteFormat::Free,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormatArg {
    Pdf,
    /// Markdown
    #[value(alias = "markdown")]
    Md,
    Json,
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(f: ExportFormatArg) -> Self {
        match f {
            ExportFormatArg::Pdf => ExportFormat::Pdf,
            ExportFormatArg::Md => ExportFormat::Markdown,
            ExportFormatArg::Json => ExportFormat::Json,
        }
    }
}
