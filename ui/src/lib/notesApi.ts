import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ExportProgress } from "./bindings/ExportProgress";

// Progress notes, psychotherapy notes, search and export. Rust decides what may be
// saved, signed or exported; these only carry the therapist's words across.
//
// The wrappers (getNote, exportNotes, ...) are generated from src-tauri/src/commands.rs;
// this module stays so existing imports keep working, and adds the export's progress event.
export * from "./generated/commands";

export const EXPORT_PROGRESS_EVENT = "export-progress";

/** Follows a running export; call the returned function to stop listening. */
export function onExportProgress(handler: (progress: ExportProgress) => void): Promise<UnlistenFn> {
  return listen<ExportProgress>(EXPORT_PROGRESS_EVENT, (event) => handler(event.payload));
}
