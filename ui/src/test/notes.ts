import { session } from "./fixtures";
import type { Addendum } from "../lib/bindings/Addendum";
import type { Note } from "../lib/bindings/Note";
import type { NoteSignature } from "../lib/bindings/NoteSignature";
import type { SearchHit } from "../lib/bindings/SearchHit";

// Notes shaped like Rust's answers, for the note screens to render.

export const SOAP_SECTIONS = [
  { key: "subjective", title: "Subjective", text: "" },
  { key: "objective", title: "Objective", text: "" },
  { key: "assessment", title: "Assessment", text: "" },
  { key: "plan", title: "Plan", text: "" },
];

export const SOAP_PROMPTS = [
  { key: "subjective", hint: "What the client reports: mood, sleep, intentions." },
  { key: "plan", hint: "Next steps, homework, next session." },
];

export function signature(overrides: Partial<NoteSignature> = {}): NoteSignature {
  return {
    signedAt: "2026-11-25T23:04:00Z",
    signedLocal: "Wednesday 25 November 2026, 15:04",
    signedBy: "Dana Reyes, LMFT",
    sha256: "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea",
    ...overrides,
  };
}

export function addendum(overrides: Partial<Addendum> = {}): Addendum {
  return {
    id: "a-1",
    seq: 1,
    text: "Correction: the session ended at 12:10.",
    signedAt: "2026-11-26T17:00:00Z",
    signedLocal: "Thursday 26 November 2026, 09:00",
    signedBy: "Dana Reyes, LMFT",
    sha256: "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c",
    intact: true,
    ...overrides,
  };
}

export function note(overrides: Partial<Note> = {}): Note {
  return {
    session: session({ id: "s-1", kind: "preparation", status: "completed", label: "Preparation 2", date: "2026-11-25", time: "14:00" }),
    clientId: "c-1",
    clientName: "Jordan Alvarez (Jo)",
    clientIdentity: "Jordan Alvarez (Jo), born Saturday 12 April 1986",
    format: "soap",
    sections: SOAP_SECTIONS.map((section) => ({ ...section })),
    prompts: SOAP_PROMPTS,
    state: "none",
    signature: null,
    intact: true,
    integrityMessage: null,
    addenda: [],
    dosingSummary: [],
    hasPsychotherapyNote: false,
    updatedAt: null,
    ...overrides,
  };
}

export function signedNote(overrides: Partial<Note> = {}): Note {
  return note({
    state: "signed",
    signature: signature(),
    sections: [
      { key: "subjective", title: "Subjective", text: "Slept well.\nFeels ready." },
      { key: "objective", title: "Objective", text: "Calm, engaged." },
      { key: "assessment", title: "Assessment", text: "" },
      { key: "plan", title: "Plan", text: "Dosing 1 next week." },
    ],
    updatedAt: "2026-11-25T23:04:00Z",
    ...overrides,
  });
}

export function hit(overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    sessionId: "s-1",
    clientId: "c-1",
    clientName: "Jordan Alvarez",
    date: "2026-11-25",
    sessionLabel: "Preparation 2",
    source: "note",
    addendumSeq: null,
    snippet: [
      { text: "…slept well and felt ", hit: false },
      { text: "ready", hit: true },
      { text: " for the first dosing…", hit: false },
    ],
    ...overrides,
  };
}
