import type { Addendum } from "./bindings/Addendum";
import type { ExportOutcome } from "./bindings/ExportOutcome";
import type { NoteSignature } from "./bindings/NoteSignature";
import type { SearchHit } from "./bindings/SearchHit";
import type { SectionPrompt } from "./bindings/SectionPrompt";
import type { SaveState } from "./save";

// Words for what Rust says about notes. Whether a note may be saved, signed or
// exported, and whether it is intact, is decided in Rust.

export const SIGN_WARNING = "A signed note can never be changed; corrections are added as dated addenda.";

export const ADDENDA_EXPLAINED = "Addenda are dated, signed and cannot be changed.";

export const PSYCHOTHERAPY_NOTES_EXPLAINED =
  "Psychotherapy (process) notes are kept apart from the record (45 CFR 164.501). They are not part of the " +
  "progress note, are never searched, and are left out of every export unless you choose to include them.";

export const PSYCHOTHERAPY_EXPORT_WARNING =
  "Psychotherapy notes are not part of the client's record and are excluded from a client's right of access. " +
  "Include them only when you are sure, e.g. a court order.";

export const EXPORT_NOT_ENCRYPTED =
  "Exported files are not encrypted. Keep them somewhere safe and delete them when no longer needed.";

export const EXPORT_CANCELLED = "Export cancelled; nothing was left behind.";

export const RECORD_REQUEST_EXPLAINED =
  "One PDF of everything the client is entitled to see: progress notes, consent, dosing records and the " +
  "timeline. Psychotherapy notes are never included.";

/** Shown when Rust finds a stored note changed but sends no sentence of its own. */
export const INTEGRITY_FALLBACK =
  "This note no longer matches the fingerprint taken when it was signed. It may have been altered.";

export const ADDENDUM_NOT_INTACT =
  "This addendum no longer matches the fingerprint taken when it was signed. It may have been altered.";

/** The time on this laptop's clock, "HH:MM", for "Saved at …". */
export function clockTime(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

export function savedAt(now: Date = new Date()): string {
  return `Saved at ${clockTime(now)}`;
}

/** A note's autosave line: "Saving…", "Saved at 14:05", or Rust's sentence when it was refused. */
export function noteSaveText(state: SaveState): string {
  if (state.kind === "saving") return "Saving…";
  if (state.kind === "saved") return savedAt(state.at);
  if (state.kind === "error") return state.error.message;
  return "";
}

/** Enough of a SHA-256 to compare by eye; the full hash goes in a title. */
export function shortHash(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}

export function signedSentence(signature: NoteSignature): string {
  return `Signed ${signature.signedLocal} by ${signature.signedBy}`;
}

export function addendumHeading(addendum: Addendum): string {
  return `Addendum ${addendum.seq} · signed ${addendum.signedLocal} by ${addendum.signedBy}`;
}

/** The guidance for one section, matched by key; "" when Rust sent none. */
export function hintFor(prompts: readonly SectionPrompt[], key: string): string {
  return prompts.find((prompt) => prompt.key === key)?.hint ?? "";
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function notesCount(n: number): string {
  return count(n, "note", "notes");
}

export function progressSentence(done: number, total: number): string {
  return `${done} of ${notesCount(total)}`;
}

/** "Exported 3 notes to /path." (cancelled exports are said with EXPORT_CANCELLED). */
export function exportedSentence(outcome: ExportOutcome): string {
  const clients = outcome.clients > 1 ? ` for ${count(outcome.clients, "client", "clients")}` : "";
  return `Exported ${notesCount(outcome.notes)}${clients} to ${outcome.folder}.`;
}

export function integrityFailuresSentence(failures: number): string {
  return failures === 1
    ? "1 note did not match the fingerprint taken when it was signed; it may have been altered."
    : `${failures} notes did not match the fingerprint taken when they were signed; they may have been altered.`;
}

export interface ClientHits {
  clientId: string;
  clientName: string;
  hits: SearchHit[];
}

/** Hits under their client's name, clients in the order Rust first mentions them. */
export function groupByClient(hits: readonly SearchHit[]): ClientHits[] {
  const groups = new Map<string, ClientHits>();
  for (const hit of hits) {
    let group = groups.get(hit.clientId);
    if (!group) {
      group = { clientId: hit.clientId, clientName: hit.clientName, hits: [] };
      groups.set(hit.clientId, group);
    }
    group.hits.push(hit);
  }
  return [...groups.values()];
}
