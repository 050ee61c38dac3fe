import type { AppStatus } from "./bindings/AppStatus";

export type Screen = "loading" | "first-run" | "practice-setup" | "unlock" | "app";

/**
 * Which top-level screen the vault state calls for. `setupPending` is true only in
 * the same sitting as create_vault, so practice setup is offered once, straight
 * after the vault is made, and never blocks a later unlock.
 */
export function screenFor(status: AppStatus | null, setupPending: boolean): Screen {
  if (status === null) return "loading";
  // Before the real vault exists, the demo practice can be open.
  if (status.unlocked) return setupPending ? "practice-setup" : "app";
  return status.vaultExists ? "unlock" : "first-run";
}

export type Section = "dashboard" | "clients" | "notes" | "settings";

/** One screen inside the app frame. Sub-screens carry the client they are about. */
export type View =
  | { screen: Section }
  | { screen: "client-form"; clientId: string | null }
  | { screen: "timeline"; clientId: string }
  | { screen: "consent"; clientId: string }
  | { screen: "note"; clientId: string; sessionId: string }
  | { screen: "dosing"; clientId: string; sessionId: string };

/**
 * Where the therapist has been since they last picked a section in the nav: the
 * section first, the screen on show last. Never empty, so Back always has a place
 * to go and the nav always has a section to mark.
 */
export type History = readonly [View, ...View[]];

export function openSection(section: Section): History {
  return [{ screen: section }];
}

export function current(history: History): View {
  return history[history.length - 1] ?? history[0];
}

export function sectionOf(history: History): Section {
  const first = history[0];
  return first.screen === "client-form" || first.screen === "timeline" || first.screen === "consent" || first.screen === "note" ||
    first.screen === "dosing"
    ? "clients"
    : first.screen;
}

export function push(history: History, view: View): History {
  return [...history, view] as unknown as History;
}

/** Replaces the screen on show, e.g. a new client's form by that client's timeline once saved. */
export function replace(history: History, view: View): History {
  return history.length === 1 ? [view] : ([...history.slice(0, -1), view] as unknown as History);
}

export function back(history: History): History {
  return history.length === 1 ? history : (history.slice(0, -1) as unknown as History);
}

const BACK_LABELS: Record<View["screen"], string> = {
  dashboard: "Back to Dashboard",
  clients: "Back to Clients",
  notes: "Back to Notes",
  settings: "Back to Settings",
  "client-form": "Back to the client's details",
  timeline: "Back to the timeline",
  consent: "Back to the consent checklist",
  note: "Back to the note",
  dosing: "Back to the dosing record",
};

/**
 * What is remembered per client (the chart's chosen tab) for the clients still open
 * somewhere in `history`; a client left through the nav is forgotten.
 */
export function forClientsOpen<T>(remembered: Readonly<Record<string, T>>, history: History): Record<string, T> {
  const open = new Set(history.map((view) => ("clientId" in view ? view.clientId : null)));
  return Object.fromEntries(Object.entries(remembered).filter(([clientId]) => open.has(clientId)));
}

/** What the Back link says (where it goes), or null on a top-level screen. */
export function backLabel(history: History): string | null {
  const previous = history[history.length - 2];
  return previous ? BACK_LABELS[previous.screen] : null;
}
