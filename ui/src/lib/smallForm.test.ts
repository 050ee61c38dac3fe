import { afterEach, describe, expect, it, vi } from "vitest";
import { SmallForm } from "./smallForm.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import type { CommandError } from "./bindings/CommandError";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

interface NoteForm {
  at: string;
  text: string;
}

const KEY = "note:s-1";

function commands(): string[] {
  return invokeMock.mock.calls.map(([c]) => c);
}

/** A promise settled from outside, to hold a command or an add half-way. */
function gate<T = void>() {
  let open: (value: T) => void = () => {};
  let fail: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** A vault that keeps the drafts as Rust would. */
function vault(initial: Record<string, string> = {}) {
  const drafts = new Map(Object.entries(initial));
  fakeBackend({
    get_form_draft: ({ key }) => drafts.get(key as string) ?? null,
    save_form_draft: ({ key, body }) => void drafts.set(key as string, body as string),
    clear_form_draft: ({ key }) => void drafts.delete(key as string),
  });
  return drafts;
}

function noteForm(add: (input: NoteForm) => Promise<void>) {
  return new SmallForm({
    draftKey: KEY,
    blank: { at: "09:00", text: "" },
    inputs: { at: "note-at", text: "note-text" },
    restore: (body: string | null, blank: NoteForm): NoteForm | null =>
      body === null ? null : { ...blank, ...(JSON.parse(body) as Partial<NoteForm>) },
    restoredStatus: "The note you were typing was kept.",
    toInput: (form: NoteForm): NoteForm | CommandError =>
      form.text.trim() === "" ? commandError("invalid_input", "Write the note first.", "text") : form,
    add,
    next: (added) => ({ at: added.at, text: "" }),
    addedStatus: (input) => `Note at ${input.at} added.`,
    draftDelayMs: 10_000,
  });
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("a small add form backed by a vault draft", () => {
  it("puts the kept draft back, with a word about it", async () => {
    vault({ [KEY]: JSON.stringify({ text: "Half a thought" }) });
    const entry = noteForm(async () => {});
    await entry.restore();
    expect(entry.form).toEqual({ at: "09:00", text: "Half a thought" });
    expect(entry.status).toBe("The note you were typing was kept.");
  });

  it("leaves the form alone when typing started before the draft arrived", async () => {
    const load = gate<string | null>();
    fakeBackend({ get_form_draft: () => load.promise, save_form_draft: () => null });
    const entry = noteForm(async () => {});
    const restoring = entry.restore();
    entry.form.text = "Typed first";
    entry.edited();
    load.open(JSON.stringify({ text: "An older draft" }));
    await restoring;
    expect(entry.form).toEqual({ at: "09:00", text: "Typed first" });
    expect(entry.status).toBe("");
  });

  it("lets an add under way finish before flushing, so no draft of it is left behind", async () => {
    const drafts = vault();
    const adding = gate();
    const entry = noteForm(() => adding.promise);
    entry.form.text = "Felt calm";
    entry.edited();
    const submitted = entry.submit();
    expect(entry.busy).toBe(true);

    let flushed: boolean | undefined;
    const flushing = entry.flush().then((ok) => (flushed = ok));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(flushed).toBeUndefined();
    expect(commands()).toEqual([]);

    adding.open();
    await Promise.all([submitted, flushing]);
    expect(flushed).toBe(true);
    // The draft was cleared once the note was added, and the flush had nothing left to keep.
    expect(commands()).toEqual(["clear_form_draft"]);
    expect(drafts.has(KEY)).toBe(false);
  });

  it("clears the draft and readies the form once the entry is added", async () => {
    const drafts = vault();
    const added: NoteForm[] = [];
    const entry = noteForm(async (input) => void added.push(input));
    entry.form = { at: "10:15", text: "Felt calm" };
    entry.edited();
    expect(await entry.flush()).toBe(true);
    expect(drafts.get(KEY)).toBe(JSON.stringify({ at: "10:15", text: "Felt calm" }));

    await entry.submit();
    expect(added).toEqual([{ at: "10:15", text: "Felt calm" }]);
    expect(drafts.has(KEY)).toBe(false);
    expect(entry.form).toEqual({ at: "10:15", text: "" });
    expect(entry.status).toBe("Note at 10:15 added.");
    expect(entry.error).toBeNull();
    expect(entry.busy).toBe(false);
    // Nothing typed since: nothing to keep on leaving.
    expect(await entry.flush()).toBe(true);
    expect(commands()).toEqual(["save_form_draft", "clear_form_draft"]);
  });

  it("keeps what was typed, and its draft, when the add is refused", async () => {
    const drafts = vault();
    document.body.innerHTML = '<input id="note-at" /><textarea id="note-text"></textarea>';
    const entry = noteForm(async () => {
      throw commandError("invalid_input", "The note is too long.", "text");
    });
    entry.form.text = "Felt calm";
    entry.edited();

    await entry.submit();
    expect(entry.error).toMatchObject({ message: "The note is too long.", field: "text" });
    expect(entry.errorField).toBe("text");
    expect(document.activeElement?.id).toBe("note-text");
    expect(entry.form).toEqual({ at: "09:00", text: "Felt calm" });
    expect(entry.busy).toBe(false);
    expect(commands()).not.toContain("clear_form_draft");
    expect(await entry.flush()).toBe(true);
    expect(drafts.get(KEY)).toBe(JSON.stringify({ at: "09:00", text: "Felt calm" }));
  });

  it("shows an error the form itself finds without sending anything", async () => {
    vault();
    document.body.innerHTML = '<input id="note-at" /><textarea id="note-text"></textarea>';
    const add = vi.fn(async () => {});
    const entry = noteForm(add);
    await entry.submit();
    expect(add).not.toHaveBeenCalled();
    expect(entry.error?.message).toBe("Write the note first.");
    expect(document.activeElement?.id).toBe("note-text");
    expect(entry.busy).toBe(false);
  });
});
