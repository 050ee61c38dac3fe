// Generated from src-tauri/src/commands.rs by src-tauri/build.rs: do not edit.
// Refresh with `KAPDESK_UPDATE_BINDINGS=1 cargo test -p kapdesk --lib bindings`.

import type { AdministrationView } from "../bindings/AdministrationView";
import type { AdverseEventInput } from "../bindings/AdverseEventInput";
import type { AppStatus } from "../bindings/AppStatus";
import type { AuditPage } from "../bindings/AuditPage";
import type { AuditReport } from "../bindings/AuditReport";
import type { AutoBackupOutcome } from "../bindings/AutoBackupOutcome";
import type { BackupContents } from "../bindings/BackupContents";
import type { BackupFile } from "../bindings/BackupFile";
import type { BackupOutcome } from "../bindings/BackupOutcome";
import type { BackupStatus } from "../bindings/BackupStatus";
import type { BookingOutcome } from "../bindings/BookingOutcome";
import type { BookingRequest } from "../bindings/BookingRequest";
import type { CalendarOutcome } from "../bindings/CalendarOutcome";
import type { Clearance } from "../bindings/Clearance";
import type { Client } from "../bindings/Client";
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ClientQuery } from "../bindings/ClientQuery";
import type { ClientSummary } from "../bindings/ClientSummary";
import type { ConsentItemUpdate } from "../bindings/ConsentItemUpdate";
import type { ConsentStatus } from "../bindings/ConsentStatus";
import type { ConsentTemplate } from "../bindings/ConsentTemplate";
import type { CourseInfo } from "../bindings/CourseInfo";
import type { Dashboard } from "../bindings/Dashboard";
import type { DosingCheck } from "../bindings/DosingCheck";
import type { DosingPlan } from "../bindings/DosingPlan";
import type { DosingRecord } from "../bindings/DosingRecord";
import type { DosingSettings } from "../bindings/DosingSettings";
import type { DosingWatch } from "../bindings/DosingWatch";
import type { ExportOutcome } from "../bindings/ExportOutcome";
import type { ExportRequest } from "../bindings/ExportRequest";
import type { GuardSettings } from "../bindings/GuardSettings";
import type { Instrument } from "../bindings/Instrument";
import type { LockReason } from "../bindings/LockReason";
import type { LockStatus } from "../bindings/LockStatus";
import type { MeasureChart } from "../bindings/MeasureChart";
import type { MeasureSchedule } from "../bindings/MeasureSchedule";
import type { Medication } from "../bindings/Medication";
import type { NewAdministration } from "../bindings/NewAdministration";
import type { Note } from "../bindings/Note";
import type { NoteDraft } from "../bindings/NoteDraft";
import type { NoteFormat } from "../bindings/NoteFormat";
import type { PassphraseAssessment } from "../bindings/PassphraseAssessment";
import type { PracticeSettings } from "../bindings/PracticeSettings";
import type { Prescription } from "../bindings/Prescription";
import type { ProtocolSettings } from "../bindings/ProtocolSettings";
import type { ReleaseOfInformation } from "../bindings/ReleaseOfInformation";
import type { SafetyPlan } from "../bindings/SafetyPlan";
import type { SafetyPlanInput } from "../bindings/SafetyPlanInput";
import type { SafetyPlanWording } from "../bindings/SafetyPlanWording";
import type { SafetyResponseInput } from "../bindings/SafetyResponseInput";
import type { SavedFile } from "../bindings/SavedFile";
import type { Score } from "../bindings/Score";
import type { SearchResults } from "../bindings/SearchResults";
import type { SessionStatus } from "../bindings/SessionStatus";
import type { SessionView } from "../bindings/SessionView";
import type { SignConsent } from "../bindings/SignConsent";
import type { TemplateDocument } from "../bindings/TemplateDocument";
import type { TemplateOffer } from "../bindings/TemplateOffer";
import type { Timeline } from "../bindings/Timeline";
import type { VaultInfo } from "../bindings/VaultInfo";
import type { VitalsInput } from "../bindings/VitalsInput";
import { call } from "../ipc";

export function appStatus(): Promise<AppStatus> {
  return call("app_status");
}

export function assessPassphrase(passphrase: string): Promise<PassphraseAssessment> {
  return call("assess_passphrase", { passphrase });
}

export function createVault(passphrase: string, confirmation: string, acknowledged: boolean): Promise<AppStatus> {
  return call("create_vault", { passphrase, confirmation, acknowledged });
}

export function unlockVault(passphrase: string): Promise<AppStatus> {
  return call("unlock_vault", { passphrase });
}

/**
 * First run: opens the demo practice, written once into a file of its own beside where
 * the vault will be. The real vault is neither created nor touched; Lock closes the
 * demo and the first-run screen comes back.
 */
export function openDemoPractice(): Promise<AppStatus> {
  return call("open_demo_practice");
}

/**
 * The UI has saved what it held after "close-requested": lock and quit. The app quits
 * on its own a few seconds after "close-requested" if this never comes.
 */
export function finishClose(): Promise<void> {
  return call("finish_close");
}

/**
 * Locks now. `reason` is what asked: the therapist (null), or the idle timer, sleep or
 * screen lock after the UI saved its drafts.
 */
export function lockVault(reason: LockReason | null): Promise<AppStatus> {
  return call("lock_vault", { reason });
}

export function getSettings(): Promise<PracticeSettings> {
  return call("get_settings");
}

export function saveSettings(settings: PracticeSettings): Promise<PracticeSettings> {
  return call("save_settings", { settings });
}

export function vaultInfo(): Promise<VaultInfo> {
  return call("vault_info");
}

export function changePassphrase(current: string, passphrase: string, confirmation: string): Promise<void> {
  return call("change_passphrase", { current, passphrase, confirmation });
}

/**
 * Asks where to save (a native dialog, opened from Rust so the UI never names paths),
 * then writes a verified encrypted backup. `None` (null) when the user cancels.
 */
export function backupVault(): Promise<BackupOutcome | null> {
  return call("backup_vault");
}

export function listClients(query: ClientQuery): Promise<ClientSummary[]> {
  return call("list_clients", { query });
}

export function getClient(id: string): Promise<Client> {
  return call("get_client", { id });
}

export function addClient(details: ClientDetails): Promise<Client> {
  return call("add_client", { details });
}

export function updateClient(id: string, details: ClientDetails): Promise<Client> {
  return call("update_client", { id, details });
}

export function archiveClient(id: string): Promise<Client> {
  return call("archive_client", { id });
}

export function restoreClient(id: string): Promise<Client> {
  return call("restore_client", { id });
}

/**
 * Refused unless `confirm_name` is exactly the client's legal name and `passphrase`
 * opens the vault.
 */
export function deleteClientPermanently(id: string, confirmName: string, passphrase: string): Promise<void> {
  return call("delete_client_permanently", { id, confirmName, passphrase });
}

/** No `course_id` (null) asks for the client's current course. */
export function getTimeline(clientId: string, courseId: string | null): Promise<Timeline> {
  return call("get_timeline", { clientId, courseId });
}

export function startCourse(clientId: string): Promise<CourseInfo> {
  return call("start_course", { clientId });
}

/**
 * Refused with code `gates_open` when a dosing is booked over open gates without an
 * override reason.
 */
export function bookSession(request: BookingRequest): Promise<BookingOutcome> {
  return call("book_session", { request });
}

/**
 * Moves a booked session to another day or time (practice time). A dosing is checked
 * again on its new date: refused with code `gates_open` when something is still needed
 * by then and no written reason is given or on record.
 */
export function moveSession(sessionId: string, date: string, time: string, overrideReason: string | null): Promise<BookingOutcome> {
  return call("move_session", { sessionId, date, time, overrideReason });
}

/**
 * Puts a session marked completed by mistake back to booked, with the reason (not a
 * dosing, and not once its note is signed).
 */
export function reopenSession(sessionId: string, reason: string): Promise<SessionView> {
  return call("reopen_session", { sessionId, reason });
}

/**
 * Marks a session completed, cancelled or missed. A completed session comes back only
 * through `reopen_session`, with a reason.
 */
export function setSessionStatus(sessionId: string, status: SessionStatus): Promise<SessionView> {
  return call("set_session_status", { sessionId, status });
}

export function recordClearance(clientId: string, clearance: Clearance): Promise<void> {
  return call("record_clearance", { clientId, clearance });
}

export function recordPrescription(clientId: string, prescription: Prescription): Promise<void> {
  return call("record_prescription", { clientId, prescription });
}

/**
 * Records the client's signed release of information to the partner medical team, one
 * of the checks before a first dosing.
 */
export function recordReleaseOfInformation(clientId: string, release: ReleaseOfInformation): Promise<void> {
  return call("record_release_of_information", { clientId, release });
}

/**
 * One page of the audit trail, newest first: older than entry `before` when given, and
 * only one client's with `client_id`. Reading the trail is not itself audited.
 */
export function auditTrail(clientId: string | null, before: number | null): Promise<AuditPage> {
  return call("audit_trail", { clientId, before });
}

/** Checks every seal of the audit trail: whole, or the first entry found wrong. */
export function checkAuditTrail(): Promise<AuditReport> {
  return call("check_audit_trail");
}

/** The plan's headings and prompts, as the form shows them and the page prints them. */
export function getSafetyPlanWording(): Promise<SafetyPlanWording> {
  return call("get_safety_plan_wording");
}

/** Every version of the client's safety plan, newest first (empty before the first). */
export function listSafetyPlans(clientId: string): Promise<SafetyPlan[]> {
  return call("list_safety_plans", { clientId });
}

/** Saves the plan as the client's next version; earlier versions are kept unchanged. */
export function saveSafetyPlan(clientId: string, plan: SafetyPlanInput): Promise<SafetyPlan> {
  return call("save_safety_plan", { clientId, plan });
}

/**
 * The client's copy of the plan (the current version, or `version`) as a PDF: asks
 * where to save it and opens it when the practice's setting says so. `None` (null)
 * when the user cancels.
 */
export function printSafetyPlan(clientId: string, version: number | null): Promise<SavedFile | null> {
  return call("print_safety_plan", { clientId, version });
}

/** "A newer default template is available", for each template the practice edited. */
export function getTemplateOffers(): Promise<TemplateOffer[]> {
  return call("get_template_offers");
}

/** Uses the newer default template instead of the practice's edit. */
export function adoptDefaultTemplate(document: TemplateDocument): Promise<void> {
  return call("adopt_default_template", { document });
}

/** Keeps the practice's edit; the newer default is not offered again. */
export function keepOwnTemplate(document: TemplateDocument): Promise<void> {
  return call("keep_own_template", { document });
}

export function getDashboard(): Promise<Dashboard> {
  return call("get_dashboard");
}

export function getProtocolSettings(): Promise<ProtocolSettings> {
  return call("get_protocol_settings");
}

export function saveProtocolSettings(settings: ProtocolSettings): Promise<ProtocolSettings> {
  return call("save_protocol_settings", { settings });
}

/** Asks where to save, then writes the `.ics` (0600). `None` (null) when the user cancels. */
export function exportCalendar(fullNames: boolean): Promise<CalendarOutcome | null> {
  return call("export_calendar", { fullNames });
}

/** The consent checklist of the client's current course; started on first call. */
export function getConsent(clientId: string): Promise<ConsentStatus> {
  return call("get_consent", { clientId });
}

/** Refused once the consent is signed. */
export function updateConsentItem(clientId: string, update: ConsentItemUpdate): Promise<ConsentStatus> {
  return call("update_consent_item", { clientId, update });
}

/** Refused (field `consent`, with the missing items named) until every item is done. */
export function signConsent(clientId: string, sign: SignConsent): Promise<ConsentStatus> {
  return call("sign_consent", { clientId, sign });
}

/** A dated event beside the signed record, which itself never changes. */
export function withdrawConsent(clientId: string, withdrawnOn: string, note: string): Promise<ConsentStatus> {
  return call("withdraw_consent", { clientId, withdrawnOn, note });
}

/** After a withdrawal, a new consent checklist for the course; the withdrawn one stays. */
export function startNewConsent(clientId: string): Promise<ConsentStatus> {
  return call("start_new_consent", { clientId });
}

/** The newest version of the practice's consent template. */
export function getConsentTemplate(): Promise<ConsentTemplate> {
  return call("get_consent_template");
}

/** Saves the edit as a new version; checklists already started keep theirs. */
export function saveConsentTemplate(template: ConsentTemplate): Promise<ConsentTemplate> {
  return call("save_consent_template", { template });
}

/**
 * Renders the consent packet (blank, or the client's record), asks where to save it,
 * writes it (0600) and opens it in the system's PDF viewer when the practice's
 * "open after saving" setting is on. `None` (null) when the user cancels.
 */
export function printConsentPacket(clientId: string, blank: boolean): Promise<SavedFile | null> {
  return call("print_consent_packet", { clientId, blank });
}

export function getDosingRecord(sessionId: string): Promise<DosingRecord> {
  return call("get_dosing_record", { sessionId });
}

/**
 * The live view of a dosing in progress: time since the dose and the vital-signs
 * prompts at this moment. The dosing-day screen asks again every few seconds.
 */
export function getDosingWatch(sessionId: string): Promise<DosingWatch> {
  return call("get_dosing_watch", { sessionId });
}

/** `at` is "HH:MM" to tick the check at that time, `None` (null) to untick it. */
export function setDosingCheck(sessionId: string, check: DosingCheck, at: string | null): Promise<DosingRecord> {
  return call("set_dosing_check", { sessionId, check, at });
}

export function saveDosingPlan(sessionId: string, plan: DosingPlan): Promise<DosingRecord> {
  return call("save_dosing_plan", { sessionId, plan });
}

/** As prescribed by the partner medical team; KAP Desk records and never suggests a dose. */
export function saveMedication(sessionId: string, medication: Medication): Promise<DosingRecord> {
  return call("save_medication", { sessionId, medication });
}

/** `vitals.bloodPressure` comes as typed ("128/82"); the core parses and checks it. */
export function addVitals(sessionId: string, vitals: VitalsInput): Promise<DosingRecord> {
  return call("add_vitals", { sessionId, vitals });
}

export function removeVitals(sessionId: string, id: string): Promise<DosingRecord> {
  return call("remove_vitals", { sessionId, id });
}

export function addAdverseEvent(sessionId: string, event: AdverseEventInput): Promise<DosingRecord> {
  return call("add_adverse_event", { sessionId, event });
}

export function removeAdverseEvent(sessionId: string, id: string): Promise<DosingRecord> {
  return call("remove_adverse_event", { sessionId, id });
}

/** `at` is "HH:MM", or `None` (null) to clear the discharge time. */
export function setDischargeTime(sessionId: string, at: string | null): Promise<DosingRecord> {
  return call("set_discharge_time", { sessionId, at });
}

export function getDosingSettings(): Promise<DosingSettings> {
  return call("get_dosing_settings");
}

export function saveDosingSettings(settings: DosingSettings): Promise<DosingSettings> {
  return call("save_dosing_settings", { settings });
}

/** The handout template (TOML) now in use: the practice's own, else the default. */
export function getHandoutTemplate(): Promise<string> {
  return call("get_handout_template");
}

/**
 * `None` (null) goes back to the template shipped with KAP Desk. Answers with the
 * template now in use.
 */
export function saveHandoutTemplate(body: string | null): Promise<string> {
  return call("save_handout_template", { body });
}

/**
 * Renders the dosing-day handout, asks where to save it, writes it (0600) and opens
 * it when "open after saving" is on. `None` (null) when the user cancels.
 */
export function printHandout(sessionId: string): Promise<SavedFile | null> {
  return call("print_handout", { sessionId });
}

export function getFormDraft(key: string): Promise<string | null> {
  return call("get_form_draft", { key });
}

export function saveFormDraft(key: string, body: string): Promise<void> {
  return call("save_form_draft", { key, body });
}

export function clearFormDraft(key: string): Promise<void> {
  return call("clear_form_draft", { key });
}

/** The questionnaires KAP Desk offers, as data: items, answers, bands, thresholds. */
export function measureInstruments(): Promise<Instrument[]> {
  return call("measure_instruments");
}

/** Which measures are due when, for every client of the practice. */
export function getMeasureSchedule(): Promise<MeasureSchedule> {
  return call("get_measure_schedule");
}

/** Saves the practice's measure schedule; returns it as stored (ids, months in order). */
export function saveMeasureSchedule(schedule: MeasureSchedule): Promise<MeasureSchedule> {
  return call("save_measure_schedule", { schedule });
}

/**
 * The total and band of a form as it is filled in; refused while a question is
 * unanswered or an answer is out of range. The UI never scores.
 */
export function scoreMeasure(instrument: string, answers: (number | null)[]): Promise<Score> {
  return call("score_measure", { instrument, answers });
}

export function recordMeasure(administration: NewAdministration): Promise<AdministrationView> {
  return call("record_measure", { administration });
}

export function listMeasures(clientId: string): Promise<AdministrationView[]> {
  return call("list_measures", { clientId });
}

/** A chart per instrument with scores in the client's current course. */
export function measureCharts(clientId: string): Promise<MeasureChart[]> {
  return call("measure_charts", { clientId });
}

/** Closes a PHQ-9 item 9 safety flag with the therapist's risk note; once only. */
export function recordSafetyResponse(administrationId: string, response: SafetyResponseInput): Promise<AdministrationView> {
  return call("record_safety_response", { administrationId, response });
}

/**
 * State `none` when nothing is written yet: the sections of the practice's default
 * format, empty.
 */
export function getNote(sessionId: string): Promise<Note> {
  return call("get_note", { sessionId });
}

/** Refused once the note is signed. */
export function saveNoteDraft(sessionId: string, draft: NoteDraft): Promise<Note> {
  return call("save_note_draft", { sessionId, draft });
}

/** Carries the saved text over into the new format's sections; nothing is lost. */
export function switchNoteFormat(sessionId: string, format: NoteFormat): Promise<Note> {
  return call("switch_note_format", { sessionId, format });
}

export function signNote(sessionId: string): Promise<Note> {
  return call("sign_note", { sessionId });
}

export function addAddendum(sessionId: string, text: string): Promise<Note> {
  return call("add_addendum", { sessionId, text });
}

/** Kept apart from the progress note; never searched, never exported unless asked for. */
export function getPsychotherapyNote(sessionId: string): Promise<string> {
  return call("get_psychotherapy_note", { sessionId });
}

export function savePsychotherapyNote(sessionId: string, text: string): Promise<void> {
  return call("save_psychotherapy_note", { sessionId, text });
}

export function searchNotes(query: string): Promise<SearchResults> {
  return call("search_notes", { query });
}

/**
 * Asks for a folder, then exports there, emitting `export-progress` as it goes. Runs
 * off the async runtime so a 10,000-note export never stalls the window. `None` (null)
 * when the user closes the folder picker.
 */
export function exportNotes(request: ExportRequest): Promise<ExportOutcome | null> {
  return call("export_notes", { request });
}

/** The running export stops, removes what it wrote, and answers with `cancelled: true`. */
export function cancelExport(): Promise<void> {
  return call("cancel_export");
}

/**
 * Everything the client is entitled to receive, as one PDF (never psychotherapy notes).
 * `None` (null) when the user cancels the save dialog.
 */
export function exportRecordRequest(clientId: string): Promise<SavedFile | null> {
  return call("export_record_request", { clientId });
}

/** A key press, click or scroll: the idle lock counts from the last one. */
export function reportActivity(): Promise<void> {
  return call("report_activity");
}

export function lockStatus(): Promise<LockStatus> {
  return call("lock_status");
}

export function getGuardSettings(): Promise<GuardSettings> {
  return call("get_guard_settings");
}

export function saveGuardSettings(settings: GuardSettings): Promise<GuardSettings> {
  return call("save_guard_settings", { settings });
}

/** A folder picker for the backup folder. `None` when the therapist cancels. */
export function chooseBackupFolder(): Promise<string | null> {
  return call("choose_backup_folder");
}

/** "Last backup: … (verified)" and any warning, for the frame and the dashboard. */
export function backupStatus(): Promise<BackupStatus> {
  return call("backup_status");
}

/** One automatic backup into the backup folder now, with the rotation. */
export function backupNow(): Promise<AutoBackupOutcome> {
  return call("backup_now");
}

/**
 * The recovery sheet (where the vault and backups are, how to restore on a new laptop):
 * asks where to save it, writes it (0600) and opens it to print when "open after
 * saving" is on. `None` when cancelled.
 */
export function printRecoverySheet(): Promise<SavedFile | null> {
  return call("print_recovery_sheet");
}

export function listBackups(): Promise<BackupFile[]> {
  return call("list_backups");
}

/** What a backup holds (counts and a full integrity check), before restoring it. */
export function inspectBackup(path: string): Promise<BackupContents> {
  return call("inspect_backup", { path });
}

/**
 * Replaces the vault with a backup made under the current passphrase, keeping the
 * current vault beside it, and opens the restored one. If the restore fails, the vault
 * that was open is opened again, unchanged, and the sentence says why.
 */
export function restoreBackup(path: string): Promise<AppStatus> {
  return call("restore_backup", { path });
}
