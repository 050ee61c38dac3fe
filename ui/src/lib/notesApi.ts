import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { call } from "./api";
import type { ExportOutcome } from "./bindings/ExportOutcome";
import type { ExportProgress } from "./bindings/ExportProgress";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { Note } from "./bindings/Note";
import type { NoteDraft } from "./bindings/NoteDraft";
import type { NoteFormat } from "./bindings/NoteFormat";
import type { SavedFile } from "./bindings/SavedFile";
import type { SearchResults } from "./bindings/SearchResults";

// Progress notes, psychotherapy notes, search and export. Rust decides what may be
// saved, signed or exported; these only carry the therapist's words across.

/** State "none" when nothing is written yet: the sections of the practice's default format, empty. */
export function getNote(sessionId: string): Promise<Note> {
  return call("get_note", { sessionId });
}

/** Refused once the note is signed. */
export function saveNoteDraft(sessionId: string, draft: NoteDraft): Promise<Note> {
  return call("save_note_draft", { sessionId, draft });
}

/** Rust carries the saved text over into the new format's sections; nothing is lost. */
export function switchNoteFormat(sessionId: string, format: NoteFormat): Promise<Note> {
  return call("switch_note_format", { sessionId, format });
}

export function signNote(sessionId: string): Promise<Note> {
  return call("sign_note", { sessionId });
}

export function addAddendum(sessionId: string, text: string): Promise<Note> {
  return call("add_addendum", { sessionId, text });
}

/** Kept apart from the progress note; never searched, never exported unless asked for. */
export function getPsychotherapyNote(sessionId: string): Promise<string> {
  return call("get_psychotherapy_note", { sessionId });
}

export function savePsychotherapyNote(sessionId: string, text: string): Promise<void> {
  return call("save_psychotherapy_note", { sessionId, text });
}

export function searchNotes(query: string): Promise<SearchResults> {
  return call("search_notes", { query });
}

/**
 * Rust asks for a folder, then writes the files, emitting "export-progress" as it goes.
 * Resolves to null when the therapist closes the folder picker.
 */
export function exportNotes(request: ExportRequest): Promise<ExportOutcome | null> {
  return call("export_notes", { request });
}

/** The running export stops, removes what it wrote, and resolves with `cancelled: true`. */
export function cancelExport(): Promise<void> {
  return call("cancel_export");
}

/**
 * One PDF of everything the client is entitled to (never psychotherapy notes).
 * Resolves to null when the therapist cancels the save dialog.
 */
export function exportRecordRequest(clientId: string): Promise<SavedFile | null> {
  return call("export_record_request", { clientId });
}

export const EXPORT_PROGRESS_EVENT = "export-progress";

/** Follows a running export; call the returned function to stop listening. */
export function onExportProgress(handler: (progress: ExportProgress) => void): Promise<UnlistenFn> {
  return listen<ExportProgress>(EXPORT_PROGRESS_EVENT, (event) => handler(event.payload));
}
