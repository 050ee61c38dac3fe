import { tick } from "svelte";
import { toCommandError } from "./api";
import { focusById } from "./focus";
import { exportRecordRequest } from "./notesApi";
import type { CommandError } from "./bindings/CommandError";
import type { SavedFile } from "./bindings/SavedFile";

/**
 * One "Print a record request…" button and what it last did, shared by the button
 * (RecordRequestButton) and the sentence under it (RecordRequestResult), which a
 * screen may place apart.
 */
export class RecordRequest {
  busy = $state(false);
  // undefined: nothing printed yet; null: the therapist closed the save dialog.
  saved = $state<SavedFile | null | undefined>(undefined);
  error = $state<CommandError | null>(null);

  /**
   * Prints the client's record. `chooser` is the id of the client select to focus
   * when no client is chosen yet (clientId "").
   */
  async print(clientId: string, chooser?: string): Promise<void> {
    if (this.busy) return;
    this.error = null;
    this.saved = undefined;
    if (clientId === "") {
      this.error = { code: "invalid_input", message: "Choose the client whose record to print.", field: "clientId" };
      await tick();
      if (chooser) focusById(chooser);
      return;
    }
    this.busy = true;
    try {
      this.saved = await exportRecordRequest(clientId);
    } catch (raw) {
      this.error = toCommandError(raw);
    } finally {
      this.busy = false;
    }
  }
}
