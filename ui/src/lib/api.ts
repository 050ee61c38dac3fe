import type { AppStatus } from "./bindings/AppStatus";
import type { BackupOutcome } from "./bindings/BackupOutcome";
import type { BookingOutcome } from "./bindings/BookingOutcome";
import type { BookingRequest } from "./bindings/BookingRequest";
import type { CalendarOutcome } from "./bindings/CalendarOutcome";
import type { Clearance } from "./bindings/Clearance";
import type { Client } from "./bindings/Client";
import type { ClientDetails } from "./bindings/ClientDetails";
import type { ClientQuery } from "./bindings/ClientQuery";
import type { ClientSummary } from "./bindings/ClientSummary";
import type { ConsentItemUpdate } from "./bindings/ConsentItemUpdate";
import type { ConsentStatus } from "./bindings/ConsentStatus";
import type { ConsentTemplate } from "./bindings/ConsentTemplate";
import type { CourseInfo } from "./bindings/CourseInfo";
import type { Dashboard } from "./bindings/Dashboard";
import type { PassphraseAssessment } from "./bindings/PassphraseAssessment";
import type { PracticeSettings } from "./bindings/PracticeSettings";
import type { Prescription } from "./bindings/Prescription";
import type { ProtocolSettings } from "./bindings/ProtocolSettings";
import type { SavedFile } from "./bindings/SavedFile";
import type { SessionStatus } from "./bindings/SessionStatus";
import type { SessionView } from "./bindings/SessionView";
import type { SignConsent } from "./bindings/SignConsent";
import type { Timeline } from "./bindings/Timeline";
import type { VaultInfo } from "./bindings/VaultInfo";

import { call } from "./ipc";

export { call, onLocked, toCommandError } from "./ipc";

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

export function lockVault(): Promise<AppStatus> {
  return call("lock_vault");
}

/**
 * Answers Rust's "close-requested" once what is typed has been saved: Rust then locks
 * the vault and exits. Rust closes on its own if this never comes.
 */
export function finishClose(): Promise<void> {
  return call("finish_close");
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

/** Resolves to null when the therapist cancels the save dialog. */
export function backupVault(): Promise<BackupOutcome | null> {
  return call("backup_vault");
}

// ---------- Clients ----------

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

/** Rust refuses unless `confirmName` is exactly the client's legal name. */
export function deleteClientPermanently(id: string, confirmName: string): Promise<void> {
  return call("delete_client_permanently", { id, confirmName });
}

// ---------- Timeline, courses and sessions ----------

/** `courseId` null asks for the client's current course. */
export function getTimeline(clientId: string, courseId: string | null = null): Promise<Timeline> {
  return call("get_timeline", { clientId, courseId });
}

export function startCourse(clientId: string): Promise<CourseInfo> {
  return call("start_course", { clientId });
}

/** Rejects with code "gates_open" when a dosing is booked over open gates without an override reason. */
export function bookSession(request: BookingRequest): Promise<BookingOutcome> {
  return call("book_session", { request });
}

export function setSessionStatus(sessionId: string, status: SessionStatus): Promise<SessionView> {
  return call("set_session_status", { sessionId, status });
}

export function recordClearance(clientId: string, clearance: Clearance): Promise<void> {
  return call("record_clearance", { clientId, clearance });
}

export function recordPrescription(clientId: string, prescription: Prescription): Promise<void> {
  return call("record_prescription", { clientId, prescription });
}

// ---------- Informed consent ----------

/** The consent checklist of the client's current course; Rust starts it on first call. */
export function getConsent(clientId: string): Promise<ConsentStatus> {
  return call("get_consent", { clientId });
}

/** Refused once the consent is signed. */
export function updateConsentItem(clientId: string, update: ConsentItemUpdate): Promise<ConsentStatus> {
  return call("update_consent_item", { clientId, update });
}

/** Refused (field "consent", with the missing items named) until every item is done. */
export function signConsent(clientId: string, sign: SignConsent): Promise<ConsentStatus> {
  return call("sign_consent", { clientId, sign });
}

/** A dated event beside the signed record, which itself never changes. */
export function withdrawConsent(clientId: string, withdrawnOn: string, note: string): Promise<ConsentStatus> {
  return call("withdraw_consent", { clientId, withdrawnOn, note });
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
 * Rust renders the packet (blank, or the client's record), asks where to save it and
 * opens it in the PDF viewer. Resolves to null when the therapist cancels the dialog.
 */
export function printConsentPacket(clientId: string, blank: boolean): Promise<SavedFile | null> {
  return call("print_consent_packet", { clientId, blank });
}

// ---------- Dashboard and practice-wide settings ----------

export function getDashboard(): Promise<Dashboard> {
  return call("get_dashboard");
}

export function getProtocolSettings(): Promise<ProtocolSettings> {
  return call("get_protocol_settings");
}

export function saveProtocolSettings(settings: ProtocolSettings): Promise<ProtocolSettings> {
  return call("save_protocol_settings", { settings });
}

/** Rust opens the save dialog; resolves to null when the therapist cancels it. */
export function exportCalendar(fullNames: boolean): Promise<CalendarOutcome | null> {
  return call("export_calendar", { fullNames });
}
