import { tick } from "svelte";
import { toCommandError } from "./api";
import { fieldFor, withinRecord } from "./fieldError";
import { focusById } from "./focus";
import type { CommandError } from "./bindings/CommandError";

/** What a small record form shows while and after saving. Pass a `$state` object. */
export interface RecordFormState {
  busy: boolean;
  error: CommandError | null;
  status: string;
}

export interface RecordSubmit {
  /** The record's name in Rust's field paths ("clearance" for "clearance.clearedOn"). */
  record: string;
  /** The form's field names, and the id prefix of their inputs ("rx" → "#rx-dose"). */
  fields: readonly string[];
  idPrefix: string;
  save: () => Promise<unknown>;
  savedMessage: string;
  onSaved: () => Promise<void> | void;
}

/**
 * The submit handler the gate-record cards share: one save at a time, the saved
 * message on success, and on failure Rust's sentence with focus on the field it names.
 */
export function recordSubmit(form: RecordFormState, options: RecordSubmit): (event: SubmitEvent) => Promise<void> {
  return async (event) => {
    event.preventDefault();
    if (form.busy) return;
    form.busy = true;
    form.error = null;
    form.status = "";
    try {
      await options.save();
      form.status = options.savedMessage;
      await options.onSaved();
    } catch (raw) {
      form.error = withinRecord(toCommandError(raw), options.record);
      await tick();
      const field = fieldFor(form.error, options.fields);
      if (field) focusById(`${options.idPrefix}-${field}`);
    } finally {
      form.busy = false;
    }
  };
}
