import type { ClientSummary } from "../lib/bindings/ClientSummary";
import type { Dashboard } from "../lib/bindings/Dashboard";
import type { Gate } from "../lib/bindings/Gate";
import type { IntegrationCheck } from "../lib/bindings/IntegrationCheck";
import type { SessionView } from "../lib/bindings/SessionView";
import type { Timeline } from "../lib/bindings/Timeline";

// Answers shaped like Rust's, for screens to render. Each builder takes overrides.

export function session(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: "s-1",
    courseId: "course-1",
    kind: "preparation",
    status: "scheduled",
    date: "2026-12-03",
    time: "10:00",
    timeZone: "America/Los_Angeles",
    durationMin: 50,
    location: "",
    gateOverride: null,
    label: "Preparation 1",
    ...overrides,
  };
}

export function summary(overrides: Partial<ClientSummary> = {}): ClientSummary {
  return {
    id: "c-1",
    legalName: "Jordan Alvarez",
    preferredName: "",
    status: "preparation",
    archived: false,
    nextSession: null,
    lastSessionDate: null,
    ...overrides,
  };
}

export function gate(overrides: Partial<Gate> = {}): Gate {
  return {
    kind: "consent",
    open: true,
    title: "Informed consent",
    detail: "No signed consent on record.",
    howToClose: "Record the signed consent below.",
    ...overrides,
  };
}

export function integrationCheck(overrides: Partial<IntegrationCheck> = {}): IntegrationCheck {
  return {
    dosingSessionId: "s-dose-1",
    dosingNumber: 1,
    dosingDate: "2026-12-03",
    windowStart: "2026-12-05",
    windowEnd: "2026-12-06",
    state: "not_booked",
    integrationSessionId: null,
    daysSinceDosing: 1,
    ...overrides,
  };
}

export function timeline(overrides: Partial<Timeline> = {}): Timeline {
  const course = { id: "course-1", number: 1, startedOn: "2026-11-02" };
  return {
    client: summary(),
    course,
    courses: [course],
    phaseLabel: "Preparation",
    track: [
      { phase: "preparation", label: "Preparation", state: "current", detail: "2 of 4 completed" },
      { phase: "dosing", label: "Dosing 1", state: "upcoming", detail: "" },
    ],
    sessions: [],
    gates: [],
    dosingBlocked: false,
    integration: [],
    warnings: [],
    nextStep: { title: "Book preparation session 2", detail: "Two more before dosing can start.", suggestion: null },
    clearance: null,
    prescription: null,
    consent: null,
    ...overrides,
  };
}

export function dashboard(overrides: Partial<Dashboard> = {}): Dashboard {
  return { today: [], week: [], needsAction: [], ...overrides };
}
