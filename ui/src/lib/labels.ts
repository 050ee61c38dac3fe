import type { ClientStatus } from "./bindings/ClientStatus";
import type { ConsentMethod } from "./bindings/ConsentMethod";
import type { SessionKind } from "./bindings/SessionKind";
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

export const SESSION_KIND_LABELS: Record<SessionKind, string> = {
  intake: "Intake",
  preparation: "Preparation",
  dosing: "Dosing",
  integration: "Integration",
  follow_up: "Follow-up",
  other: "Other",
};

export const SESSION_KINDS = Object.keys(SESSION_KIND_LABELS) as SessionKind[];

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

/** "Jordan Alvarez (Jo)": the legal name, with the name they go by when they gave one. */
export function displayName(legalName: string, preferredName: string): string {
  const preferred = preferredName.trim();
  return preferred === "" || preferred === legalName.trim() ? legalName : `${legalName} (${preferred})`;
}
