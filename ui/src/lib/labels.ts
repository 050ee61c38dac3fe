import type { ActionKind } from "./bindings/ActionKind";
import type { ClientStatus } from "./bindings/ClientStatus";
import type { ConsentMethod } from "./bindings/ConsentMethod";
import type { NoteFormat } from "./bindings/NoteFormat";
import type { NoteState } from "./bindings/NoteState";
import type { SessionStatus } from "./bindings/SessionStatus";
import type { TrackStep } from "./bindings/TrackStep";

// Words for the codes Rust sends. Labels only: what a state means is decided in Rust.

export const CLIENT_STATUS_LABELS: Record<ClientStatus, string> = {
  inquiry: "Inquiry",
  preparation: "Preparation",
  dosing: "Dosing",
  integration: "Integration",
  completed: "Completed",
  discharged: "Discharged",
};

export const CLIENT_STATUSES = Object.keys(CLIENT_STATUS_LABELS) as ClientStatus[];

export const SESSION_STATUS_LABELS: Record<SessionStatus, string> = {
  scheduled: "Scheduled",
  completed: "Completed",
  cancelled: "Cancelled",
  no_show: "No-show",
};

export const TRACK_STATE_LABELS: Record<TrackStep["state"], string> = {
  done: "Done",
  current: "Now",
  upcoming: "Upcoming",
  attention: "Needs attention",
};

/** How the client signed, as the choice is offered on the signing form. */
export const CONSENT_METHOD_LABELS: Record<ConsentMethod, string> = {
  paper: "Wet signature on the printed packet",
  screen: "Signed on screen",
};

export const CONSENT_METHODS = Object.keys(CONSENT_METHOD_LABELS) as ConsentMethod[];

/** What each "needs your attention" item is about, as a short kicker above Rust's sentence. */
export const ACTION_KIND_LABELS: Record<ActionKind, string> = {
  gate_open_before_dosing: "Still needed before dosing",
  integration_not_booked: "Integration not booked",
  integration_overdue: "Integration overdue",
  clearance_expiring: "Clearance expiring",
  safety_flag: "Safety flag",
  measures_due: "Measures due",
  measures_overdue: "Measures overdue",
  no_recent_session: "No recent session",
  note_unsigned: "Unsigned note",
};

export const NOTE_FORMAT_LABELS: Record<NoteFormat, string> = {
  soap: "SOAP",
  dap: "DAP",
  birp: "BIRP",
  free: "Free-form",
};

export const NOTE_FORMATS = Object.keys(NOTE_FORMAT_LABELS) as NoteFormat[];

/** A session's progress note, in the badge beside it. */
export const NOTE_STATE_LABELS: Record<NoteState, string> = {
  none: "No note",
  draft: "Note draft",
  signed: "Note signed",
};

/** The button that opens a session's note. */
export const NOTE_BUTTON_LABELS: Record<NoteState, string> = {
  none: "Write note",
  draft: "Note (draft)",
  signed: "Note (signed)",
};
