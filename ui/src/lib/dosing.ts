import { FILES_NOT_ENCRYPTED, formatBytes } from "./format";
import type { AdverseEventInput } from "./bindings/AdverseEventInput";
import type { AdverseEventKind } from "./bindings/AdverseEventKind";
import type { CommandError } from "./bindings/CommandError";
import type { DosingSettings } from "./bindings/DosingSettings";
import type { PromptState } from "./bindings/PromptState";
import type { Route } from "./bindings/Route";
import type { Severity } from "./bindings/Severity";
import type { SavedFile } from "./bindings/SavedFile";
import type { VitalsInput } from "./bindings/VitalsInput";
import type { VitalsPhase } from "./bindings/VitalsPhase";

// Words and plumbing for the dosing-day screen. What a reading, a dose or a discharge
// must be is decided in Rust; the UI only makes sure a request is well formed (a number
// box that must hold a whole number does) and shows Rust's sentences.

export const ROUTE_LABELS: Record<Route, string> = {
  sublingual: "Sublingual tablet or troche",
  oral: "Oral",
  intramuscular: "Intramuscular",
  other: "Other",
};

export const ROUTES = Object.keys(ROUTE_LABELS) as Route[];

export const PHASE_LABELS: Record<VitalsPhase, string> = {
  pre_dose: "Before the dose",
  during: "During",
  discharge: "Before discharge",
};

export const PHASES = Object.keys(PHASE_LABELS) as VitalsPhase[];

export const EVENT_KIND_LABELS: Record<AdverseEventKind, string> = {
  nausea: "Nausea",
  vomiting: "Vomiting",
  anxiety: "Anxiety",
  raised_bp: "Raised blood pressure",
  other: "Other",
};

export const EVENT_KINDS = Object.keys(EVENT_KIND_LABELS) as AdverseEventKind[];

export const SEVERITY_LABELS: Record<Severity, string> = {
  mild: "Mild",
  moderate: "Moderate",
  severe: "Severe",
};

export const SEVERITIES = Object.keys(SEVERITY_LABELS) as Severity[];

/** How each vital-signs prompt reads in the schedule. */
export const PROMPT_STATE_LABELS: Record<PromptState, string> = {
  done: "Taken",
  due: "Due now",
  late: "Missing",
  upcoming: "Later",
  waiting_for_dose: "After the dose is recorded",
  before_discharge: "Needed before discharge",
};

/** "Saved to /home/t/handout.pdf (42 KB). Exported files are not encrypted; keep them safe." */
export function handoutSavedSentence(file: SavedFile): string {
  return `Saved to ${file.path} (${formatBytes(file.bytes)}). ${FILES_NOT_ENCRYPTED}`;
}

/** The shorter sentence for the session list: "Handout saved to <path>. Exported files …". */
export function handoutListSentence(file: SavedFile): string {
  return `Handout saved to ${file.path}. ${FILES_NOT_ENCRYPTED}`;
}

export const HANDOUT_CANCELLED = "Printing cancelled. Nothing was saved.";


// ---------- Small forms: vitals and adverse events ----------

/** The vitals form as typed; number boxes read null when empty. */
export interface VitalsForm {
  at: string;
  phase: VitalsPhase;
  bloodPressure: string;
  heartRate: number | null;
  spo2: number | null;
}

export interface EventForm {
  at: string;
  kind: AdverseEventKind;
  /** "" until chosen: how severe an event was is never assumed. */
  severity: Severity | "";
  description: string;
  action: string;
  /** "HH:MM", or "" when the prescriber was not (yet) told. */
  prescriberInformedAt: string;
}

/** Before the first reading, the next one is taken before the dose; after it, during. */
export function defaultPhase(readings: number): VitalsPhase {
  return readings === 0 ? "pre_dose" : "during";
}

export function blankVitals(at: string, readings: number): VitalsForm {
  return { at, phase: defaultPhase(readings), bloodPressure: "", heartRate: null, spo2: null };
}

export function blankEvent(at: string): EventForm {
  return { at, kind: "nausea", severity: "", description: "", action: "", prescriberInformedAt: "" };
}

function shapeError(field: string, message: string): CommandError {
  return { code: "invalid_input", message, field };
}

function isWhole(value: number | null): boolean {
  return value === null || Number.isInteger(value);
}

/**
 * The request add_vitals takes, or why it cannot be sent. Only the shape is checked
 * (Rust takes whole numbers); whether a reading is possible is Rust's to say.
 */
export function toVitalsInput(form: VitalsForm): VitalsInput | CommandError {
  if (form.heartRate === null || !isWhole(form.heartRate)) {
    return shapeError("heartRate", "Write the heart rate as a whole number of beats a minute.");
  }
  if (!isWhole(form.spo2)) {
    return shapeError("spo2", "Write the oxygen saturation as a whole number, or leave it empty.");
  }
  return {
    at: form.at,
    phase: form.phase,
    bloodPressure: form.bloodPressure,
    heartRate: form.heartRate,
    spo2: form.spo2,
  };
}

/** The request add_adverse_event takes, or why it cannot be sent (no severity chosen). */
export function toEventInput(form: EventForm): AdverseEventInput | CommandError {
  if (form.severity === "") {
    return shapeError("severity", "Choose how severe the event was: mild, moderate or severe.");
  }
  return {
    at: form.at,
    kind: form.kind,
    severity: form.severity,
    description: form.description,
    action: form.action,
    prescriberInformedAt: form.prescriberInformedAt === "" ? null : form.prescriberInformedAt,
  };
}

function record(body: string | null): Record<string, unknown> | null {
  if (body === null) return null;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function text(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

function numberOrNull(value: unknown, fallback: number | null): number | null {
  if (value === null) return null;
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function oneOf<T extends string>(value: unknown, choices: readonly T[], fallback: T): T {
  return typeof value === "string" && (choices as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A saved vitals draft laid over the blank form; anything unreadable keeps the blank value. */
export function restoreVitals(body: string | null, blank: VitalsForm): VitalsForm | null {
  const saved = record(body);
  if (!saved) return null;
  return {
    at: text(saved.at, blank.at),
    phase: oneOf(saved.phase, PHASES, blank.phase),
    bloodPressure: text(saved.bloodPressure, blank.bloodPressure),
    heartRate: numberOrNull(saved.heartRate, blank.heartRate),
    spo2: numberOrNull(saved.spo2, blank.spo2),
  };
}

export function restoreEvent(body: string | null, blank: EventForm): EventForm | null {
  const saved = record(body);
  if (!saved) return null;
  return {
    at: text(saved.at, blank.at),
    kind: oneOf(saved.kind, EVENT_KINDS, blank.kind),
    severity: oneOf(saved.severity, [...SEVERITIES, ""] as const, blank.severity),
    description: text(saved.description, blank.description),
    action: text(saved.action, blank.action),
    prescriberInformedAt: text(saved.prescriberInformedAt, blank.prescriberInformedAt),
  };
}

// ---------- Settings ----------

/** The dosing settings as typed; number boxes read null when empty. */
export interface DosingSettingsForm {
  bpSystolicMax: number | null;
  bpDiastolicMax: number | null;
  fastingFoodHours: number | null;
  fastingLiquidHours: number | null;
  vitalsBeforeDose: boolean;
  /** As typed: "40, 90". */
  vitalsAfterDoseMinutes: string;
  dischargeReadingRequired: boolean;
  cancellationNoticeHours: number | null;
  cancellationFee: string;
}

/** The settings as the form shows them. */
export function toDosingSettingsForm(s: DosingSettings): DosingSettingsForm {
  return {
    bpSystolicMax: s.bpSystolicMax,
    bpDiastolicMax: s.bpDiastolicMax,
    fastingFoodHours: s.fastingFoodHours,
    fastingLiquidHours: s.fastingLiquidHours,
    vitalsBeforeDose: s.vitalsBeforeDose,
    vitalsAfterDoseMinutes: s.vitalsAfterDoseMinutes.join(", "),
    dischargeReadingRequired: s.dischargeReadingRequired,
    cancellationNoticeHours: s.cancellationNoticeHours,
    cancellationFee: s.cancellationFee,
  };
}

/** The settings to send, or why they cannot be sent (Rust takes whole numbers). */
export function toDosingSettings(form: DosingSettingsForm): DosingSettings | CommandError {
  if (!isWhole(form.bpSystolicMax)) {
    return shapeError("bpSystolicMax", "Write the systolic threshold as a whole number of mmHg, or leave it empty.");
  }
  if (!isWhole(form.bpDiastolicMax)) {
    return shapeError("bpDiastolicMax", "Write the diastolic threshold as a whole number of mmHg, or leave it empty.");
  }
  if (form.fastingFoodHours === null || !isWhole(form.fastingFoodHours)) {
    return shapeError("fastingFoodHours", "Write the fasting window for food as a whole number of hours; 0 means none.");
  }
  if (!isWhole(form.fastingLiquidHours)) {
    return shapeError("fastingLiquidHours", "Write the window for clear liquids as a whole number of hours, or leave it empty.");
  }
  if (form.cancellationNoticeHours === null || !isWhole(form.cancellationNoticeHours)) {
    return shapeError("cancellationNoticeHours", "Write the notice for cancelling a dosing session as a whole number of hours.");
  }
  // Whole minutes, separated by commas or spaces; whether they make a schedule is Rust's to say.
  const parts = form.vitalsAfterDoseMinutes.split(/[\s,]+/).filter((p) => p !== "");
  if (parts.some((p) => !/^\d+$/.test(p))) {
    return shapeError(
      "vitalsAfterDoseMinutes",
      "Write the readings after the dose as whole minutes separated by commas, for example 40, 90; or leave it empty.",
    );
  }
  return {
    bpSystolicMax: form.bpSystolicMax,
    bpDiastolicMax: form.bpDiastolicMax,
    fastingFoodHours: form.fastingFoodHours,
    fastingLiquidHours: form.fastingLiquidHours,
    vitalsBeforeDose: form.vitalsBeforeDose,
    vitalsAfterDoseMinutes: parts.map(Number),
    dischargeReadingRequired: form.dischargeReadingRequired,
    cancellationNoticeHours: form.cancellationNoticeHours,
    cancellationFee: form.cancellationFee,
  };
}
