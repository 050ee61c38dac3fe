import type { ClientSummary } from "../lib/bindings/ClientSummary";
import type { ConsentItemStatus } from "../lib/bindings/ConsentItemStatus";
import type { ConsentStatus } from "../lib/bindings/ConsentStatus";
import type { ConsentTemplate } from "../lib/bindings/ConsentTemplate";
import type { Dashboard } from "../lib/bindings/Dashboard";
import type { Gate } from "../lib/bindings/Gate";
import type { IntegrationCheck } from "../lib/bindings/IntegrationCheck";
import type { SessionKindInfo } from "../lib/bindings/SessionKindInfo";
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
    reopenReason: null,
    label: "Preparation 1",
    note: "none",
    canWriteNote: true,
    canReopen: false,
    ...overrides,
  };
}

export function summary(overrides: Partial<ClientSummary> = {}): ClientSummary {
  return {
    id: "c-1",
    displayName: "Jordan Alvarez",
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

/** The kinds Rust offers for booking, with its labels and default lengths. */
export const BOOKING_KINDS: SessionKindInfo[] = [
  { kind: "intake", label: "Intake", defaultDurationMin: 50 },
  { kind: "preparation", label: "Preparation", defaultDurationMin: 50 },
  { kind: "dosing", label: "Dosing", defaultDurationMin: 180 },
  { kind: "integration", label: "Integration", defaultDurationMin: 50 },
  { kind: "follow_up", label: "Follow-up", defaultDurationMin: 50 },
  { kind: "other", label: "Other", defaultDurationMin: 50 },
];

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
    releaseOfInformation: null,
    prescription: null,
    consent: null,
    bookingKinds: BOOKING_KINDS,
    measuresDue: [],
    safetyFlags: [],
    ...overrides,
  };
}

export function dashboard(overrides: Partial<Dashboard> = {}): Dashboard {
  return { today: [], week: [], needsAction: [], ...overrides };
}

export function consentItem(overrides: Partial<ConsentItemStatus> = {}): ConsentItemStatus {
  return {
    id: "nature-of-treatment",
    section: "About the treatment",
    title: "What ketamine-assisted psychotherapy is",
    text: "Ketamine-assisted psychotherapy, or KAP, combines talk therapy with a medicine called ketamine.\n\nThe FDA has approved ketamine as an anesthetic.",
    initialsRequired: true,
    discussedOn: null,
    sessionId: null,
    initialled: false,
    note: "",
    done: false,
    ...overrides,
  };
}

/** A checklist whose done/total/complete/locked follow its items and signature, as Rust's would. */
export function consentStatus(overrides: Partial<ConsentStatus> = {}): ConsentStatus {
  const items = overrides.items ?? [
    consentItem(),
    consentItem({ id: "roles", title: "Who does what", initialsRequired: false }),
    consentItem({ id: "risks", section: "Safety, risks and side effects", title: "Risks and side effects" }),
  ];
  const done = items.filter((item) => item.done).length;
  const signature = overrides.signature ?? null;
  return {
    checklistId: "course-1-consent",
    templateId: "kap-informed-consent",
    templateVersion: 1,
    title: "Informed Consent for Ketamine-Assisted Psychotherapy",
    items,
    done,
    total: items.length,
    complete: done === items.length,
    signature,
    withdrawal: null,
    locked: signature !== null,
    ...overrides,
  };
}

export function consentTemplate(overrides: Partial<ConsentTemplate> = {}): ConsentTemplate {
  return {
    id: "kap-informed-consent",
    version: 1,
    title: "Informed Consent for Ketamine-Assisted Psychotherapy",
    introduction: "This document explains ketamine-assisted psychotherapy (KAP) as it is offered in this practice.",
    closing: "By signing, I confirm that my therapist has discussed each item with me.",
    attestation: "I have discussed each item in this document with the client in plain language.",
    sections: [
      {
        title: "About the treatment",
        items: [
          { id: "nature-of-treatment", title: "What ketamine-assisted psychotherapy is", text: "KAP combines talk therapy with ketamine.", initials: true },
          { id: "roles", title: "Who does what", text: "KAP is a team effort.", initials: false },
        ],
      },
      {
        title: "Safety, risks and side effects",
        items: [{ id: "risks", title: "Risks and side effects", text: "Ketamine can raise blood pressure.", initials: true }],
      },
    ],
    ...overrides,
  };
}
