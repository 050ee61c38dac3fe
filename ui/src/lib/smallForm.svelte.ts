import { tick } from "svelte";
import { toCommandError } from "./api";
import { fieldFor, isCommandError } from "./fieldError";
import { focusById } from "./focus";
import { formDraft, type FormDraft } from "./formDraft";
import type { CommandError } from "./bindings/CommandError";

export interface SmallFormOptions<Form, Input, Field extends string> {
  /** Where the half-typed entry is kept in the vault, e.g. "vitals:<sessionId>". */
  draftKey: string;
  /** The form as it first appears. */
  blank: Form;
  /** Each field and the id of its input: an error about a field focuses that input. */
  inputs: Record<Field, string>;
  /** A kept draft laid over the blank form, or null when there is none to put back. */
  restore: (body: string | null, blank: Form) => Form | null;
  /** Said when a kept draft was put back. */
  restoredStatus: string;
  /** What the command is sent, or the error to show when the form cannot be read as it is. */
  toInput: (form: Form) => Input | CommandError;
  /** Sends the entry to Rust; rejects with what it was refused with. */
  add: (input: Input) => Promise<void>;
  /** The form ready for the next entry, given the one just added. */
  next: (added: Form) => Form;
  /** Said once the entry was added. */
  addedStatus: (input: Input) => string;
  /** How long typing must pause before the draft is kept, in ms (formDraft's default if left out). */
  draftDelayMs?: number;
}

/**
 * A small "add" form on the dosing-day record (a vitals reading, an adverse event)
 * whose half-typed entry is kept as a draft in the vault. The component owns the
 * fields and the markup and calls `restore()` on mount and `dispose()` on destroy;
 * this owns the rest: the draft, the add under way, the error and the status line.
 */
export class SmallForm<Form, Input, Field extends string> {
  form: Form;
  busy = $state(false);
  error = $state<CommandError | null>(null);
  status = $state("");
  /** The field the error is about, or null when it is about the whole form. */
  readonly errorField: Field | null;

  readonly #options: SmallFormOptions<Form, Input, Field>;
  readonly #draft: FormDraft;
  // Typed into since the draft was asked for: typing wins over a draft that arrives late.
  #touched = false;
  // The entry being added, if any: its draft is cleared once Rust has it.
  #adding: Promise<void> = Promise.resolve();

  constructor(options: SmallFormOptions<Form, Input, Field>) {
    this.#options = options;
    this.form = $state(options.blank);
    this.errorField = $derived(fieldFor(this.error, Object.keys(options.inputs)) as Field | null);
    this.#draft = formDraft(options.draftKey, () => this.#snapshot(), options.draftDelayMs);
  }

  #snapshot(): Form {
    return $state.snapshot(this.form) as Form;
  }

  /** Puts back the entry kept in the vault, unless typing has already started. */
  async restore(): Promise<void> {
    const body = await this.#draft.load();
    const restored = this.#options.restore(body, this.#snapshot());
    if (restored && !this.#touched) {
      this.form = restored;
      this.status = this.#options.restoredStatus;
    }
  }

  /** Call on every edit: the entry is kept once typing has paused. */
  edited(): void {
    this.#touched = true;
    this.#draft.schedule();
  }

  /**
   * Keeps the half-typed entry in the vault now rather than after the pause (on
   * leaving, locking and closing). An entry being added is let finish first, so a
   * draft of it is not left behind. False when it could not be kept.
   */
  async flush(): Promise<boolean> {
    await this.#adding;
    return this.#draft.flush();
  }

  /** The last flush, when the form goes away: the app's flush on closing stops asking it after this. */
  async dispose(): Promise<boolean> {
    await this.#adding;
    return this.#draft.dispose();
  }

  /**
   * Adds the entry as typed. Once Rust has it, its draft is cleared and the form is
   * made ready for the next one; when refused, what was typed stays (and stays kept
   * in the draft) and the field at fault is focused.
   */
  async submit(): Promise<void> {
    if (this.busy) return;
    this.status = "";
    const input = this.#options.toInput(this.#snapshot());
    if (isCommandError(input)) {
      this.error = input;
      await this.#focusError(input);
      return;
    }
    this.busy = true;
    this.error = null;
    this.#adding = this.#add(input);
    await this.#adding;
  }

  async #add(input: Input): Promise<void> {
    try {
      await this.#options.add(input);
      await this.#draft.clear();
      this.#touched = false;
      this.form = this.#options.next(this.#snapshot());
      this.status = this.#options.addedStatus(input);
    } catch (raw) {
      const error = toCommandError(raw);
      this.error = error;
      await this.#focusError(error);
    } finally {
      this.busy = false;
    }
  }

  async #focusError(error: CommandError): Promise<void> {
    await tick();
    const field = fieldFor(error, Object.keys(this.#options.inputs)) as Field | null;
    if (field) focusById(this.#options.inputs[field]);
  }
}
