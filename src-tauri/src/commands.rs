//! One function per UI action: parse, call the core, map the error. Commands are async
//! so the key derivation (~200 ms) and disk work never run on the UI thread.

use std::path::PathBuf;

use crate::clock;
use kapdesk_core::features::demo;
use kapdesk_core::model::audit::{AuditPage, AuditReport};
use kapdesk_core::model::client::ReleaseOfInformation;
use kapdesk_core::model::consent::{
    ConsentItemUpdate, ConsentStatus, ConsentTemplate, SignConsent,
};
use kapdesk_core::model::dosing::{
    AdverseEventInput, DosingCheck, DosingPlan, DosingRecord, DosingSettings, DosingWatch,
    Medication, VitalsInput,
};
use kapdesk_core::model::export::CalendarOutcome;
use kapdesk_core::model::export::SavedFile;
use kapdesk_core::model::measures::{
    AdministrationView, Instrument, MeasureChart, MeasureSchedule, NewAdministration,
    SafetyResponseInput, Score,
};
use kapdesk_core::model::notes::{Note, NoteDraft, NoteFormat, SearchResults};
use kapdesk_core::model::safety_plan::{SafetyPlan, SafetyPlanInput, SafetyPlanWording};
use kapdesk_core::model::session::{Clearance, CourseInfo, Prescription, SessionView};
use kapdesk_core::model::templates::{TemplateDocument, TemplateOffer};
use kapdesk_core::{
    AppStatus, BackupOutcome, BookingOutcome, BookingRequest, Client, ClientDetails, ClientQuery,
    ClientSummary, Dashboard, Passphrase, PassphraseAssessment, PracticeSettings, ProtocolSettings,
    SessionStatus, Timeline, Vault, VaultInfo, assess_passphrase as assess,
};
use kapdesk_core::{
    model::export::{ExportOutcome, ExportProgress, ExportRequest},
    print::files::client_export_stem,
};
use std::sync::atomic::Ordering;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::error::ShellError;
use crate::state::{AppState, Unlocked, blocking};
use kapdesk_core::model::safeguards::{
    AutoBackupOutcome, BackupContents, BackupFile, BackupStatus, GuardSettings, LockReason,
    LockStatus,
};

type Result<T> = std::result::Result<T, ShellError>;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus> {
    Ok(state.status())
}

#[tauri::command]
pub async fn assess_passphrase(passphrase: String) -> Result<PassphraseAssessment> {
    Ok(assess(&zeroize::Zeroizing::new(passphrase)))
}

#[tauri::command]
pub async fn create_vault(
    state: State<'_, AppState>,
    passphrase: String,
    confirmation: String,
    acknowledged: bool,
) -> Result<AppStatus> {
    if !acknowledged {
        return Err(kapdesk_core::Error::NotAcknowledged.into());
    }
    let passphrase = Passphrase::new_confirmed(passphrase, confirmation)?;
    blocking(|| {
        let mut slot = state.slot();
        if slot.is_some() {
            return Err(ShellError::AlreadyUnlocked);
        }
        let vault = Vault::create(state.vault_path(), &passphrase, clock::now())?;
        state.fill(&mut slot, Unlocked { vault, passphrase })?;
        Ok(())
    })?;
    state.guard.touch();
    Ok(state.status())
}

#[tauri::command]
pub async fn unlock_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<AppStatus> {
    let passphrase = Passphrase::new(passphrase);
    blocking(|| {
        let mut slot = state.slot();
        if slot.is_some() {
            return Ok(());
        }
        let now = clock::now();
        let vault = match Vault::open(state.vault_path(), &passphrase, now) {
            Ok(v) => v,
            Err(e) => {
                if matches!(e, kapdesk_core::Error::WrongPassphrase) {
                    state.guard.failed_unlocks.fetch_add(1, Ordering::SeqCst);
                }
                return Err(ShellError::from(e));
            }
        };
        let failed = state.guard.failed_unlocks.swap(0, Ordering::SeqCst);
        vault.record_unlock(now, failed)?;
        state.fill(&mut slot, Unlocked { vault, passphrase })?;
        Ok(())
    })?;
    state.guard.touch();
    state.guard.set_backup_problem(None);
    *state
        .guard
        .locked_because
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = None;
    spawn_backup_if_due(app);
    Ok(state.status())
}

const DEMO_PASSPHRASE: &str = "kap desk demo practice with invented clients only";

/// First run: opens the demo practice, written once into a file of its own beside where
/// the vault will be. The real vault is neither created nor touched; Lock closes the
/// demo and the first-run screen comes back.
#[tauri::command]
pub async fn open_demo_practice(state: State<'_, AppState>) -> Result<AppStatus> {
    blocking(|| {
        let mut slot = state.slot();
        if slot.is_some() {
            return Err(ShellError::AlreadyUnlocked);
        }
        let path = state.demo_path();
        // Not a secret: nothing real is in the demo. Encrypted all the same, so the demo
        // is the same kind of file as a vault and opens through the same code.
        let passphrase = Passphrase::new(DEMO_PASSPHRASE.to_owned());
        let now = clock::now();
        if !path.exists() {
            // A few busy years: big enough to look real, written in seconds.
            let options = demo::DemoOptions {
                clients: 60,
                years: 4,
                seed: 1,
            };
            demo::write_demo_practice(&path, &passphrase, &options, now)?;
        }
        let vault = Vault::open(&path, &passphrase, now)?;
        if !vault.is_demo()? {
            return Err(kapdesk_core::Error::VaultExists { path }.into());
        }
        vault.record_unlock(now, 0)?;
        state.fill(&mut slot, Unlocked { vault, passphrase })?;
        Ok(())
    })?;
    state.guard.touch();
    Ok(state.status())
}

/// After an unlock, an automatic backup when the newest is over a day old, on a thread
/// of its own so the dashboard does not wait for it.
fn spawn_backup_if_due<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || {
        let state = app.state::<AppState>();
        let outcome = state.with_vault(|o| {
            let now = clock::now();
            if o.vault.auto_backup_due(now)? {
                o.vault.backup_auto(None, &o.passphrase, now)?;
            }
            Ok(())
        });
        if let Err(e) = outcome
            && !matches!(e, ShellError::Locked)
        {
            state.guard.set_backup_problem(Some(e.to_string()));
        }
        let _ = app.emit("backup-status-changed", ());
    });
}

/// The UI has saved what it held after "close-requested": lock and quit. The app quits
/// on its own a few seconds after "close-requested" if this never comes.
#[tauri::command]
pub async fn finish_close<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    crate::finish_close(&app);
    Ok(())
}

/// Locks now. `reason` is what asked: the therapist (null), or the idle timer, sleep or
/// screen lock after the UI saved its drafts.
#[tauri::command]
pub async fn lock_vault(
    state: State<'_, AppState>,
    reason: Option<LockReason>,
) -> Result<AppStatus> {
    state.lock(reason.unwrap_or(LockReason::User));
    Ok(state.status())
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Result<PracticeSettings> {
    state.with_vault(|o| Ok(o.vault.settings()?))
}

#[tauri::command]
pub async fn save_settings(
    state: State<'_, AppState>,
    settings: PracticeSettings,
) -> Result<PracticeSettings> {
    state.with_vault(|o| Ok(o.vault.save_settings(settings, clock::now())?))
}

#[tauri::command]
pub async fn vault_info(state: State<'_, AppState>) -> Result<VaultInfo> {
    state.with_vault(|o| Ok(o.vault.info()?))
}

#[tauri::command]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    passphrase: String,
    confirmation: String,
) -> Result<()> {
    let new = Passphrase::new_confirmed(passphrase, confirmation)?;
    state.with_vault(|o| {
        // Asking for the current passphrase again stops someone at an unlocked, unattended
        // laptop from taking the vault over.
        o.vault.check_passphrase(&Passphrase::new(current))?;
        o.vault.change_passphrase(&new, clock::now())?;
        o.passphrase = new;
        Ok(())
    })
}

/// Asks where to save (a native dialog, opened from Rust so the UI never names paths),
/// then writes a verified encrypted backup. `None` (null) when the user cancels.
#[tauri::command]
pub async fn backup_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<BackupOutcome>> {
    if !state.may_be_open() {
        return Err(ShellError::Locked);
    }
    let suggested = format!("kapdesk-backup-{}.vault", clock::now().format("%Y-%m-%d"));
    let Some(dest) = save_dialog(&app, "Save an encrypted backup of the vault", &suggested).await?
    else {
        return Ok(None);
    };
    state.with_vault(|o| {
        Ok(Some(o.vault.backup_to(
            &dest,
            &o.passphrase,
            clock::now(),
        )?))
    })
}

// --- Clients, timeline, dashboard -------------------------------------------------

/// Fresh ids come from the edge: the core takes ids as arguments so its rules and
/// tests stay deterministic.
/// Today's date as export names carry it.
fn today_stamp() -> String {
    clock::now().format("%Y-%m-%d").to_string()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tauri::command]
pub async fn list_clients(
    state: State<'_, AppState>,
    query: ClientQuery,
) -> Result<Vec<ClientSummary>> {
    state.with_vault(|o| Ok(o.vault.list_clients(&query, clock::now())?))
}

#[tauri::command]
pub async fn get_client(state: State<'_, AppState>, id: String) -> Result<Client> {
    state.with_vault(|o| Ok(o.vault.client(&id)?))
}

#[tauri::command]
pub async fn add_client(state: State<'_, AppState>, details: ClientDetails) -> Result<Client> {
    state.with_vault(|o| {
        Ok(o.vault
            .add_client(details, &new_id(), &new_id(), clock::now())?)
    })
}

#[tauri::command]
pub async fn update_client(
    state: State<'_, AppState>,
    id: String,
    details: ClientDetails,
) -> Result<Client> {
    state.with_vault(|o| Ok(o.vault.update_client(&id, details, clock::now())?))
}

#[tauri::command]
pub async fn archive_client(state: State<'_, AppState>, id: String) -> Result<Client> {
    state.with_vault(|o| Ok(o.vault.set_client_archived(&id, true, clock::now())?))
}

#[tauri::command]
pub async fn restore_client(state: State<'_, AppState>, id: String) -> Result<Client> {
    state.with_vault(|o| Ok(o.vault.set_client_archived(&id, false, clock::now())?))
}

/// Refused unless `confirm_name` is exactly the client's legal name and `passphrase`
/// opens the vault.
#[tauri::command]
pub async fn delete_client_permanently(
    state: State<'_, AppState>,
    id: String,
    confirm_name: String,
    passphrase: String,
) -> Result<()> {
    let passphrase = Passphrase::new(passphrase);
    state.with_vault(|o| {
        Ok(o.vault
            .delete_client_permanently(&id, &confirm_name, &passphrase, clock::now())?)
    })
}

/// No `course_id` (null) asks for the client's current course.
#[tauri::command]
pub async fn get_timeline(
    state: State<'_, AppState>,
    client_id: String,
    course_id: Option<String>,
) -> Result<Timeline> {
    state.with_vault(|o| {
        Ok(o.vault
            .timeline(&client_id, course_id.as_deref(), clock::now())?)
    })
}

#[tauri::command]
pub async fn start_course(state: State<'_, AppState>, client_id: String) -> Result<CourseInfo> {
    state.with_vault(|o| Ok(o.vault.start_course(&client_id, &new_id(), clock::now())?))
}

/// Refused with code `gates_open` when a dosing is booked over open gates without an
/// override reason.
#[tauri::command]
pub async fn book_session(
    state: State<'_, AppState>,
    request: BookingRequest,
) -> Result<BookingOutcome> {
    state.with_vault(|o| Ok(o.vault.book_session(request, &new_id(), clock::now())?))
}

/// Moves a booked session to another day or time (practice time). A dosing is checked
/// again on its new date: refused with code `gates_open` when something is still needed
/// by then and no written reason is given or on record.
#[tauri::command]
pub async fn move_session(
    state: State<'_, AppState>,
    session_id: String,
    date: String,
    time: String,
    override_reason: Option<String>,
) -> Result<BookingOutcome> {
    state.with_vault(|o| {
        Ok(o.vault
            .move_session(&session_id, &date, &time, override_reason, clock::now())?)
    })
}

/// Puts a session marked completed by mistake back to booked, with the reason (not a
/// dosing, and not once its note is signed).
#[tauri::command]
pub async fn reopen_session(
    state: State<'_, AppState>,
    session_id: String,
    reason: String,
) -> Result<SessionView> {
    state.with_vault(|o| Ok(o.vault.reopen_session(&session_id, &reason, clock::now())?))
}

/// Marks a session completed, cancelled or missed. A completed session comes back only
/// through `reopen_session`, with a reason.
#[tauri::command]
pub async fn set_session_status(
    state: State<'_, AppState>,
    session_id: String,
    status: SessionStatus,
) -> Result<SessionView> {
    state.with_vault(|o| {
        Ok(o.vault
            .set_session_status(&session_id, status, clock::now())?)
    })
}

#[tauri::command]
pub async fn record_clearance(
    state: State<'_, AppState>,
    client_id: String,
    clearance: Clearance,
) -> Result<()> {
    state.with_vault(|o| {
        Ok(o.vault
            .record_clearance(&client_id, clearance, &new_id(), clock::now())?)
    })
}

#[tauri::command]
pub async fn record_prescription(
    state: State<'_, AppState>,
    client_id: String,
    prescription: Prescription,
) -> Result<()> {
    state.with_vault(|o| {
        Ok(o.vault
            .record_prescription(&client_id, prescription, &new_id(), clock::now())?)
    })
}

/// Records the client's signed release of information to the partner medical team, one
/// of the checks before a first dosing.
#[tauri::command]
pub async fn record_release_of_information(
    state: State<'_, AppState>,
    client_id: String,
    release: ReleaseOfInformation,
) -> Result<()> {
    state.with_vault(|o| {
        Ok(o.vault
            .record_release_of_information(&client_id, release, &new_id(), clock::now())?)
    })
}

// --- The audit trail ------------------------------------------------------------------

/// How many entries the audit viewer shows at a time.
const AUDIT_PAGE: usize = 100;

/// One page of the audit trail, newest first: older than entry `before` when given, and
/// only one client's with `client_id`. Reading the trail is not itself audited.
#[tauri::command]
pub async fn audit_trail(
    state: State<'_, AppState>,
    client_id: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage> {
    state.with_vault(|o| {
        Ok(o.vault
            .audit_page(client_id.as_deref(), before, AUDIT_PAGE)?)
    })
}

/// Checks every seal of the audit trail: whole, or the first entry found wrong.
#[tauri::command]
pub async fn check_audit_trail(state: State<'_, AppState>) -> Result<AuditReport> {
    state.with_vault(|o| Ok(o.vault.check_audit()?))
}

// --- The client's safety plan -------------------------------------------------------

/// The plan's headings and prompts, as the form shows them and the page prints them.
#[tauri::command]
pub async fn get_safety_plan_wording(state: State<'_, AppState>) -> Result<SafetyPlanWording> {
    state.with_vault(|o| Ok(o.vault.safety_plan_wording()?))
}

/// Every version of the client's safety plan, newest first (empty before the first).
#[tauri::command]
pub async fn list_safety_plans(
    state: State<'_, AppState>,
    client_id: String,
) -> Result<Vec<SafetyPlan>> {
    state.with_vault(|o| Ok(o.vault.safety_plan_versions(&client_id)?))
}

/// Saves the plan as the client's next version; earlier versions are kept unchanged.
#[tauri::command]
pub async fn save_safety_plan(
    state: State<'_, AppState>,
    client_id: String,
    plan: SafetyPlanInput,
) -> Result<SafetyPlan> {
    state.with_vault(|o| {
        Ok(o.vault
            .save_safety_plan(&client_id, plan, &new_id(), clock::now())?)
    })
}

/// The client's copy of the plan (the current version, or `version`) as a PDF: asks
/// where to save it and opens it when the practice's setting says so. `None` (null)
/// when the user cancels.
#[tauri::command]
pub async fn print_safety_plan<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    client_id: String,
    version: Option<u32>,
) -> Result<Option<SavedFile>> {
    let (pdf, name) = state.with_vault(|o| {
        let name = o.vault.client(&client_id)?.details.legal_name;
        Ok((
            o.vault.safety_plan_pdf(&client_id, version, clock::now())?,
            name,
        ))
    })?;
    let suggested = format!(
        "{}.pdf",
        client_export_stem("safety-plan", &name, &today_stamp())
    );
    save_and_open(&app, "Save the safety plan to print", &suggested, &pdf).await
}

/// "A newer default template is available", for each template the practice edited.
#[tauri::command]
pub async fn get_template_offers(state: State<'_, AppState>) -> Result<Vec<TemplateOffer>> {
    state.with_vault(|o| Ok(o.vault.template_offers()?))
}

/// Uses the newer default template instead of the practice's edit.
#[tauri::command]
pub async fn adopt_default_template(
    state: State<'_, AppState>,
    document: TemplateDocument,
) -> Result<()> {
    state.with_vault(|o| Ok(o.vault.adopt_default_template(document, clock::now())?))
}

/// Keeps the practice's edit; the newer default is not offered again.
#[tauri::command]
pub async fn keep_own_template(
    state: State<'_, AppState>,
    document: TemplateDocument,
) -> Result<()> {
    state.with_vault(|o| Ok(o.vault.keep_own_template(document, clock::now())?))
}

#[tauri::command]
pub async fn get_dashboard(state: State<'_, AppState>) -> Result<Dashboard> {
    state.with_vault(|o| Ok(o.vault.dashboard(clock::now())?))
}

#[tauri::command]
pub async fn get_protocol_settings(state: State<'_, AppState>) -> Result<ProtocolSettings> {
    state.with_vault(|o| Ok(o.vault.protocol_settings()?))
}

#[tauri::command]
pub async fn save_protocol_settings(
    state: State<'_, AppState>,
    settings: ProtocolSettings,
) -> Result<ProtocolSettings> {
    state.with_vault(|o| Ok(o.vault.save_protocol_settings(settings, clock::now())?))
}

/// Asks where to save, then writes the `.ics` (0600). `None` (null) when the user cancels.
#[tauri::command]
pub async fn export_calendar<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    full_names: bool,
) -> Result<Option<CalendarOutcome>> {
    let export = state.with_vault(|o| Ok(o.vault.calendar(full_names, clock::now())?))?;
    let Some(dest) = save_dialog(
        &app,
        "Export sessions to a calendar file",
        "kapdesk-sessions.ics",
    )
    .await?
    else {
        return Ok(None);
    };
    kapdesk_core::print::files::write_private_file(&dest, export.ics.as_bytes())?;
    Ok(Some(CalendarOutcome {
        path: dest.display().to_string(),
        events: export.events as u32,
    }))
}

/// A native save dialog, opened from Rust so the UI never names paths. Asynchronous:
/// a blocking one can hang on Linux (plugins-workspace #956).
async fn save_dialog<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    file_name: &str,
) -> Result<Option<PathBuf>> {
    // The end-to-end tests cannot reach a native dialog through WebDriver; they name a
    // folder instead, and the file is written there exactly as the dialog would have.
    if let Some(dir) = automated_save_dir() {
        return Ok(Some(dir.join(file_name)));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let chosen = tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .map_err(|e| ShellError::Dialog(e.to_string()))?;
    chosen
        .map(|p| p.into_path().map_err(|e| ShellError::Dialog(e.to_string())))
        .transpose()
}

/// `KAPDESK_SAVE_DIR`, set only by the WebDriver tests: save there without a dialog
/// (and without the overwrite question). Debug builds only, like the test clock: in a
/// release build nothing in the environment can make the app write a file the
/// therapist did not choose.
#[cfg(debug_assertions)]
fn automated_save_dir() -> Option<PathBuf> {
    std::env::var_os("KAPDESK_SAVE_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
}

#[cfg(not(debug_assertions))]
fn automated_save_dir() -> Option<PathBuf> {
    None
}

// --- Consent ------------------------------------------------------------------------

/// The consent checklist of the client's current course; started on first call.
#[tauri::command]
pub async fn get_consent(state: State<'_, AppState>, client_id: String) -> Result<ConsentStatus> {
    state.with_vault(|o| Ok(o.vault.consent_checklist(&client_id, clock::now())?))
}

/// Refused once the consent is signed.
#[tauri::command]
pub async fn update_consent_item(
    state: State<'_, AppState>,
    client_id: String,
    update: ConsentItemUpdate,
) -> Result<ConsentStatus> {
    state.with_vault(|o| {
        Ok(o.vault
            .update_consent_item(&client_id, update, clock::now())?)
    })
}

/// Refused (field `consent`, with the missing items named) until every item is done.
#[tauri::command]
pub async fn sign_consent(
    state: State<'_, AppState>,
    client_id: String,
    sign: SignConsent,
) -> Result<ConsentStatus> {
    state.with_vault(|o| Ok(o.vault.sign_consent(&client_id, sign, clock::now())?))
}

/// A dated event beside the signed record, which itself never changes.
#[tauri::command]
pub async fn withdraw_consent(
    state: State<'_, AppState>,
    client_id: String,
    withdrawn_on: String,
    note: String,
) -> Result<ConsentStatus> {
    state.with_vault(|o| {
        Ok(o.vault
            .withdraw_consent(&client_id, &withdrawn_on, &note, &new_id(), clock::now())?)
    })
}

/// After a withdrawal, a new consent checklist for the course; the withdrawn one stays.
#[tauri::command]
pub async fn start_new_consent(
    state: State<'_, AppState>,
    client_id: String,
) -> Result<ConsentStatus> {
    state.with_vault(|o| Ok(o.vault.start_new_consent(&client_id, clock::now())?))
}

/// The newest version of the practice's consent template.
#[tauri::command]
pub async fn get_consent_template(state: State<'_, AppState>) -> Result<ConsentTemplate> {
    state.with_vault(|o| Ok(o.vault.consent_template()?))
}

/// Saves the edit as a new version; checklists already started keep theirs.
#[tauri::command]
pub async fn save_consent_template(
    state: State<'_, AppState>,
    template: ConsentTemplate,
) -> Result<ConsentTemplate> {
    state.with_vault(|o| Ok(o.vault.save_consent_template(template, clock::now())?))
}

/// Renders the consent packet (blank, or the client's record), asks where to save it,
/// writes it (0600) and opens it in the system's PDF viewer when the practice's
/// "open after saving" setting is on. `None` (null) when the user cancels.
#[tauri::command]
pub async fn print_consent_packet<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    client_id: String,
    blank: bool,
) -> Result<Option<SavedFile>> {
    let (pdf, name) = state.with_vault(|o| {
        let name = o.vault.client(&client_id)?.details.legal_name;
        Ok((
            o.vault.consent_packet(&client_id, blank, clock::now())?,
            name,
        ))
    })?;
    let kind = if blank { "consent-blank" } else { "consent" };
    let suggested = format!("{}.pdf", client_export_stem(kind, &name, &today_stamp()));
    save_and_open(&app, "Save the consent packet", &suggested, &pdf).await
}

// --- Dosing day -----------------------------------------------------------------------

#[tauri::command]
pub async fn get_dosing_record(
    state: State<'_, AppState>,
    session_id: String,
) -> Result<DosingRecord> {
    state.with_vault(|o| Ok(o.vault.dosing_record(&session_id)?))
}

/// The live view of a dosing in progress: time since the dose and the vital-signs
/// prompts at this moment. The dosing-day screen asks again every few seconds.
#[tauri::command]
pub async fn get_dosing_watch(
    state: State<'_, AppState>,
    session_id: String,
) -> Result<DosingWatch> {
    state.with_vault(|o| Ok(o.vault.dosing_watch(&session_id, clock::now())?))
}

/// `at` is "HH:MM" to tick the check at that time, `None` (null) to untick it.
#[tauri::command]
pub async fn set_dosing_check(
    state: State<'_, AppState>,
    session_id: String,
    check: DosingCheck,
    at: Option<String>,
) -> Result<DosingRecord> {
    state.with_vault(|o| {
        Ok(o.vault
            .set_dosing_check(&session_id, check, at.as_deref(), clock::now())?)
    })
}

#[tauri::command]
pub async fn save_dosing_plan(
    state: State<'_, AppState>,
    session_id: String,
    plan: DosingPlan,
) -> Result<DosingRecord> {
    state.with_vault(|o| Ok(o.vault.save_dosing_plan(&session_id, plan, clock::now())?))
}

/// As prescribed by the partner medical team; KAP Desk records and never suggests a dose.
#[tauri::command]
pub async fn save_medication(
    state: State<'_, AppState>,
    session_id: String,
    medication: Medication,
) -> Result<DosingRecord> {
    state.with_vault(|o| {
        Ok(o.vault
            .save_medication(&session_id, medication, clock::now())?)
    })
}

/// `vitals.bloodPressure` comes as typed ("128/82"); the core parses and checks it.
#[tauri::command]
pub async fn add_vitals(
    state: State<'_, AppState>,
    session_id: String,
    vitals: VitalsInput,
) -> Result<DosingRecord> {
    state.with_vault(|o| {
        Ok(o.vault
            .add_vitals(&session_id, vitals, &new_id(), clock::now())?)
    })
}

#[tauri::command]
pub async fn remove_vitals(
    state: State<'_, AppState>,
    session_id: String,
    id: String,
) -> Result<DosingRecord> {
    state.with_vault(|o| Ok(o.vault.remove_vitals(&session_id, &id, clock::now())?))
}

#[tauri::command]
pub async fn add_adverse_event(
    state: State<'_, AppState>,
    session_id: String,
    event: AdverseEventInput,
) -> Result<DosingRecord> {
    state.with_vault(|o| {
        Ok(o.vault
            .add_adverse_event(&session_id, event, &new_id(), clock::now())?)
    })
}

#[tauri::command]
pub async fn remove_adverse_event(
    state: State<'_, AppState>,
    session_id: String,
    id: String,
) -> Result<DosingRecord> {
    state.with_vault(|o| {
        Ok(o.vault
            .remove_adverse_event(&session_id, &id, clock::now())?)
    })
}

/// `at` is "HH:MM", or `None` (null) to clear the discharge time.
#[tauri::command]
pub async fn set_discharge_time(
    state: State<'_, AppState>,
    session_id: String,
    at: Option<String>,
) -> Result<DosingRecord> {
    state.with_vault(|o| {
        Ok(o.vault
            .set_discharge_time(&session_id, at.as_deref(), clock::now())?)
    })
}

#[tauri::command]
pub async fn get_dosing_settings(state: State<'_, AppState>) -> Result<DosingSettings> {
    state.with_vault(|o| Ok(o.vault.dosing_settings()?))
}

#[tauri::command]
pub async fn save_dosing_settings(
    state: State<'_, AppState>,
    settings: DosingSettings,
) -> Result<DosingSettings> {
    state.with_vault(|o| Ok(o.vault.save_dosing_settings(settings, clock::now())?))
}

/// The handout template (TOML) now in use: the practice's own, else the default.
#[tauri::command]
pub async fn get_handout_template(state: State<'_, AppState>) -> Result<String> {
    state.with_vault(|o| Ok(o.vault.handout_template()?))
}

/// `None` (null) goes back to the template shipped with KAP Desk. Answers with the
/// template now in use.
#[tauri::command]
pub async fn save_handout_template(
    state: State<'_, AppState>,
    body: Option<String>,
) -> Result<String> {
    state.with_vault(|o| {
        o.vault
            .save_handout_template(body.as_deref(), clock::now())?;
        Ok(o.vault.handout_template()?)
    })
}

/// Renders the dosing-day handout, asks where to save it, writes it (0600) and opens
/// it when "open after saving" is on. `None` (null) when the user cancels.
#[tauri::command]
pub async fn print_handout<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session_id: String,
) -> Result<Option<SavedFile>> {
    let (pdf, suggested) = state.with_vault(|o| {
        let pdf = o.vault.dosing_handout(&session_id, clock::now())?;
        let r = o.vault.dosing_record(&session_id)?;
        Ok((
            pdf,
            format!(
                "{}.pdf",
                client_export_stem("handout", &r.client_name, &r.session.date)
            ),
        ))
    })?;
    save_and_open(&app, "Save the dosing-day handout", &suggested, &pdf).await
}

#[tauri::command]
pub async fn get_form_draft(state: State<'_, AppState>, key: String) -> Result<Option<String>> {
    state.with_vault(|o| Ok(o.vault.form_draft(&key)?))
}

#[tauri::command]
pub async fn save_form_draft(state: State<'_, AppState>, key: String, body: String) -> Result<()> {
    state.with_vault(|o| Ok(o.vault.save_form_draft(&key, &body, clock::now())?))
}

#[tauri::command]
pub async fn clear_form_draft(state: State<'_, AppState>, key: String) -> Result<()> {
    state.with_vault(|o| Ok(o.vault.clear_form_draft(&key)?))
}

// --- Outcome measures -----------------------------------------------------------------

/// The questionnaires KAP Desk offers, as data: items, answers, bands, thresholds.
#[tauri::command]
pub async fn measure_instruments() -> Result<Vec<Instrument>> {
    Ok(kapdesk_core::model::measures::instruments()?.to_vec())
}

/// Which measures are due when, for every client of the practice.
#[tauri::command]
pub async fn get_measure_schedule(state: State<'_, AppState>) -> Result<MeasureSchedule> {
    state.with_vault(|o| Ok(o.vault.measure_schedule()?))
}

/// Saves the practice's measure schedule; returns it as stored (ids, months in order).
#[tauri::command]
pub async fn save_measure_schedule(
    state: State<'_, AppState>,
    schedule: MeasureSchedule,
) -> Result<MeasureSchedule> {
    state.with_vault(|o| Ok(o.vault.save_measure_schedule(schedule, clock::now())?))
}

/// The total and band of a form as it is filled in; refused while a question is
/// unanswered or an answer is out of range. The UI never scores.
#[tauri::command]
pub async fn score_measure(
    state: State<'_, AppState>,
    instrument: String,
    answers: Vec<Option<u32>>,
) -> Result<Score> {
    state.with_vault(|o| Ok(o.vault.score_measure(&instrument, &answers)?))
}

#[tauri::command]
pub async fn record_measure(
    state: State<'_, AppState>,
    administration: NewAdministration,
) -> Result<AdministrationView> {
    state.with_vault(|o| {
        Ok(o.vault
            .record_measure(administration, &new_id(), clock::now())?)
    })
}

#[tauri::command]
pub async fn list_measures(
    state: State<'_, AppState>,
    client_id: String,
) -> Result<Vec<AdministrationView>> {
    state.with_vault(|o| Ok(o.vault.measures(&client_id)?))
}

/// A chart per instrument with scores in the client's current course.
#[tauri::command]
pub async fn measure_charts(
    state: State<'_, AppState>,
    client_id: String,
) -> Result<Vec<MeasureChart>> {
    state.with_vault(|o| Ok(o.vault.measure_charts(&client_id)?))
}

/// Closes a PHQ-9 item 9 safety flag with the therapist's risk note; once only.
#[tauri::command]
pub async fn record_safety_response(
    state: State<'_, AppState>,
    administration_id: String,
    response: SafetyResponseInput,
) -> Result<AdministrationView> {
    state.with_vault(|o| {
        Ok(o.vault
            .record_safety_response(&administration_id, response, clock::now())?)
    })
}

// --- Session notes --------------------------------------------------------------------

/// State `none` when nothing is written yet: the sections of the practice's default
/// format, empty.
#[tauri::command]
pub async fn get_note(state: State<'_, AppState>, session_id: String) -> Result<Note> {
    state.with_vault(|o| Ok(o.vault.note(&session_id)?))
}

/// Refused once the note is signed.
#[tauri::command]
pub async fn save_note_draft(
    state: State<'_, AppState>,
    session_id: String,
    draft: NoteDraft,
) -> Result<Note> {
    state.with_vault(|o| Ok(o.vault.save_note_draft(&session_id, draft, clock::now())?))
}

/// Carries the saved text over into the new format's sections; nothing is lost.
#[tauri::command]
pub async fn switch_note_format(
    state: State<'_, AppState>,
    session_id: String,
    format: NoteFormat,
) -> Result<Note> {
    state.with_vault(|o| {
        Ok(o.vault
            .switch_note_format(&session_id, format, clock::now())?)
    })
}

#[tauri::command]
pub async fn sign_note(state: State<'_, AppState>, session_id: String) -> Result<Note> {
    state.with_vault(|o| Ok(o.vault.sign_note(&session_id, clock::now())?))
}

#[tauri::command]
pub async fn add_addendum(
    state: State<'_, AppState>,
    session_id: String,
    text: String,
) -> Result<Note> {
    state.with_vault(|o| {
        Ok(o.vault
            .add_addendum(&session_id, &text, &new_id(), clock::now())?)
    })
}

/// Kept apart from the progress note; never searched, never exported unless asked for.
#[tauri::command]
pub async fn get_psychotherapy_note(
    state: State<'_, AppState>,
    session_id: String,
) -> Result<String> {
    state.with_vault(|o| Ok(o.vault.psychotherapy_note(&session_id, clock::now())?))
}

#[tauri::command]
pub async fn save_psychotherapy_note(
    state: State<'_, AppState>,
    session_id: String,
    text: String,
) -> Result<()> {
    state.with_vault(|o| {
        Ok(o.vault
            .save_psychotherapy_note(&session_id, &text, clock::now())?)
    })
}

#[tauri::command]
pub async fn search_notes(state: State<'_, AppState>, query: String) -> Result<SearchResults> {
    state.with_vault(|o| Ok(o.vault.search_notes(&query)?))
}

/// Asks for a folder, then exports there, emitting `export-progress` as it goes. Runs
/// off the async runtime so a 10,000-note export never stalls the window. `None` (null)
/// when the user closes the folder picker.
#[tauri::command]
pub async fn export_notes<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: ExportRequest,
) -> Result<Option<ExportOutcome>> {
    if !state.may_be_open() {
        return Err(ShellError::Locked);
    }
    let Some(dir) = folder_dialog(&app, "Choose a folder for the exported notes").await? else {
        return Ok(None);
    };
    state.cancel_export.store(false, Ordering::SeqCst);
    let worker = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = worker.state::<AppState>();
        state.with_vault(|o| {
            Ok(Some(o.vault.export_notes(
                &request,
                &dir,
                clock::now(),
                &mut |progress: ExportProgress| {
                    let _ = worker.emit("export-progress", progress);
                    !state.cancel_export.load(Ordering::SeqCst)
                },
            )?))
        })
    })
    .await
    .map_err(|e| ShellError::Dialog(e.to_string()))?
}

/// The running export stops, removes what it wrote, and answers with `cancelled: true`.
#[tauri::command]
pub async fn cancel_export(state: State<'_, AppState>) -> Result<()> {
    state.cancel_export.store(true, Ordering::SeqCst);
    Ok(())
}

/// Everything the client is entitled to receive, as one PDF (never psychotherapy notes).
/// `None` (null) when the user cancels the save dialog.
#[tauri::command]
pub async fn export_record_request<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    client_id: String,
) -> Result<Option<SavedFile>> {
    let (pdf, name) = state.with_vault(|o| {
        let name = o.vault.client(&client_id)?.details.legal_name;
        Ok((o.vault.record_request(&client_id, clock::now())?, name))
    })?;
    let suggested = format!(
        "{}.pdf",
        client_export_stem("record", &name, &today_stamp())
    );
    save_and_open(&app, "Save the client's record", &suggested, &pdf).await
}

async fn folder_dialog<R: Runtime>(app: &AppHandle<R>, title: &str) -> Result<Option<PathBuf>> {
    if let Some(dir) = automated_save_dir() {
        return Ok(Some(dir));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    app.dialog()
        .file()
        .set_title(title)
        .pick_folder(move |path| {
            let _ = tx.send(path);
        });
    let chosen = tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .map_err(|e| ShellError::Dialog(e.to_string()))?;
    chosen
        .map(|p| p.into_path().map_err(|e| ShellError::Dialog(e.to_string())))
        .transpose()
}

async fn save_and_open<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    suggested: &str,
    bytes: &[u8],
) -> Result<Option<SavedFile>> {
    let Some(dest) = save_dialog(app, title, suggested).await? else {
        return Ok(None);
    };
    kapdesk_core::print::files::write_private_file(&dest, bytes)?;
    // Opening is a convenience the practice may turn off (an opened file joins the
    // desktop's recent-files list); the file is saved either way.
    let open = app
        .state::<AppState>()
        .with_vault(|o| Ok(o.vault.settings()?.open_after_saving))
        .unwrap_or(true);
    if open && automated_save_dir().is_none() {
        let _ = app.opener().open_path(dest.to_string_lossy(), None::<&str>);
    }
    Ok(Some(SavedFile {
        path: dest.display().to_string(),
        bytes: bytes.len() as u64,
    }))
}

// --- The vault guards itself: idle lock, automatic backups, restore -----------------

/// A key press, click or scroll: the idle lock counts from the last one.
#[tauri::command]
pub async fn report_activity(state: State<'_, AppState>) -> Result<()> {
    state.guard.touch();
    Ok(())
}

#[tauri::command]
pub async fn lock_status(state: State<'_, AppState>) -> Result<LockStatus> {
    let unlocked = state.may_be_open();
    let after = state.guard.lock_after();
    let left = crate::idle::remaining(state.guard.idle_for(), after);
    #[cfg(target_os = "linux")]
    let what_applies = crate::sleep::what_applies();
    #[cfg(not(target_os = "linux"))]
    let what_applies = "Only the idle lock applies on this system.".to_owned();
    Ok(LockStatus {
        locks_in_seconds: unlocked.then_some(left.as_secs()),
        // The figure read at unlock and on save: the vault may be busy with an export.
        lock_after_minutes: state.guard.lock_after_minutes(),
        what_applies,
    })
}

#[tauri::command]
pub async fn get_guard_settings(state: State<'_, AppState>) -> Result<GuardSettings> {
    state.with_vault(|o| Ok(o.vault.guard_settings()?))
}

#[tauri::command]
pub async fn save_guard_settings(
    state: State<'_, AppState>,
    settings: GuardSettings,
) -> Result<GuardSettings> {
    let saved = state.with_vault(|o| Ok(o.vault.save_guard_settings(settings, clock::now())?))?;
    state.guard.set_lock_after(saved.lock_after_minutes);
    Ok(saved)
}

/// A folder picker for the backup folder. `None` when the therapist cancels.
#[tauri::command]
pub async fn choose_backup_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<String>> {
    if !state.may_be_open() {
        return Err(ShellError::Locked);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    app.dialog()
        .file()
        .set_title("Choose the folder for automatic backups (an external drive is best)")
        .pick_folder(move |path| {
            let _ = tx.send(path);
        });
    let chosen = tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .map_err(|e| ShellError::Dialog(e.to_string()))?;
    chosen
        .map(|p| {
            p.into_path()
                .map(|p| p.display().to_string())
                .map_err(|e| ShellError::Dialog(e.to_string()))
        })
        .transpose()
}

/// "Last backup: … (verified)" and any warning, for the frame and the dashboard.
#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Result<BackupStatus> {
    let problem = state.guard.backup_problem();
    state.with_vault(|o| Ok(o.vault.backup_status(clock::now(), problem.as_deref())?))
}

/// One automatic backup into the backup folder now, with the rotation.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Result<AutoBackupOutcome> {
    let outcome =
        state.with_vault(|o| Ok(o.vault.backup_auto(None, &o.passphrase, clock::now())?));
    state
        .guard
        .set_backup_problem(outcome.as_ref().err().map(ToString::to_string));
    outcome
}

/// The recovery sheet (where the vault and backups are, how to restore on a new laptop):
/// asks where to save it, writes it (0600) and opens it to print when "open after
/// saving" is on. `None` when cancelled.
#[tauri::command]
pub async fn print_recovery_sheet<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<SavedFile>> {
    let now = clock::now();
    let pdf = state.with_vault(|o| Ok(o.vault.recovery_sheet_pdf(now)?))?;
    let suggested = format!("kapdesk-recovery-sheet-{}.pdf", now.format("%Y-%m-%d"));
    save_and_open(&app, "Save the recovery sheet to print", &suggested, &pdf).await
}

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupFile>> {
    state.with_vault(|o| Ok(o.vault.backups(None)?))
}

/// What a backup holds (counts and a full integrity check), before restoring it.
#[tauri::command]
pub async fn inspect_backup(state: State<'_, AppState>, path: String) -> Result<BackupContents> {
    state.with_vault(|o| {
        Ok(o.vault
            .inspect_backup(std::path::Path::new(&path), &o.passphrase)?)
    })
}

/// Replaces the vault with a backup made under the current passphrase, keeping the
/// current vault beside it, and opens the restored one. If the restore fails, the vault
/// that was open is opened again, unchanged, and the sentence says why.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, path: String) -> Result<AppStatus> {
    blocking(|| restore_backup_now(&state, &path))
}

fn restore_backup_now(state: &AppState, path: &str) -> Result<AppStatus> {
    if state.demo_open() {
        return Err(ShellError::DemoOpen);
    }
    let mut slot = state.slot();
    let Some(open) = slot.take() else {
        return Err(ShellError::Locked);
    };
    let Unlocked { vault, passphrase } = open;
    let now = clock::now();
    let _ = vault.record_lock(now, LockReason::User);
    vault.close()?;
    let restored = Vault::restore(
        state.vault_path(),
        std::path::Path::new(&path),
        &passphrase,
        now,
    );
    let reopened = Vault::open(state.vault_path(), &passphrase, clock::now());
    match (restored, reopened) {
        (Ok(_), Ok(vault)) => {
            vault.record_unlock(clock::now(), 0)?;
            state.fill(&mut slot, Unlocked { vault, passphrase })?;
            drop(slot);
            Ok(state.status())
        }
        (Err(e), Ok(vault)) => {
            state.fill(&mut slot, Unlocked { vault, passphrase })?;
            Err(e.into())
        }
        (_, Err(e)) => Err(e.into()),
    }
}
