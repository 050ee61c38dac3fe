import { call } from "./api";
import type { AdverseEventInput } from "./bindings/AdverseEventInput";
import type { DosingCheck } from "./bindings/DosingCheck";
import type { DosingPlan } from "./bindings/DosingPlan";
import type { DosingRecord } from "./bindings/DosingRecord";
import type { DosingSettings } from "./bindings/DosingSettings";
import type { Medication } from "./bindings/Medication";
import type { SavedFile } from "./bindings/SavedFile";
import type { VitalsInput } from "./bindings/VitalsInput";

// The dosing day. Every write answers with the whole record as Rust now has it, so
// the screen always shows what is stored (including warnings and what discharge still needs).

export function getDosingRecord(sessionId: string): Promise<DosingRecord> {
  return call("get_dosing_record", { sessionId });
}

/** `at` is "HH:MM" to tick the check at that time, null to untick it. */
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

/** `vitals.bloodPressure` goes as typed ("128/82"); Rust parses and checks it. */
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

/** `at` is "HH:MM", or null to clear the discharge time. */
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

/** `body` null restores the default. Resolves to the template now in use. */
export function saveHandoutTemplate(body: string | null): Promise<string> {
  return call("save_handout_template", { body });
}

/**
 * Rust renders the handout, asks where to save it, writes it and opens it.
 * Resolves to null when the therapist cancels the save dialog.
 */
export function printHandout(sessionId: string): Promise<SavedFile | null> {
  return call("print_handout", { sessionId });
}

// Half-typed forms are kept inside the encrypted vault, never in the webview's storage
// (localStorage and the like are plaintext on disk).

export function getFormDraft(key: string): Promise<string | null> {
  return call("get_form_draft", { key });
}

export function saveFormDraft(key: string, body: string): Promise<void> {
  return call("save_form_draft", { key, body });
}

export function clearFormDraft(key: string): Promise<void> {
  return call("clear_form_draft", { key });
}
