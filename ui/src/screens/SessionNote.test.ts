import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import SessionNote from "./SessionNote.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { addendum, note, signature, signedNote } from "../test/notes";
import { flushEverything, flushUnsaved } from "../lib/unsaved";
import type { ExportRequest } from "../lib/bindings/ExportRequest";
import type { Note } from "../lib/bindings/Note";
import type { NoteDraft } from "../lib/bindings/NoteDraft";
import type { NoteFormat } from "../lib/bindings/NoteFormat";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

type Handlers = Parameters<typeof fakeBackend>[0];

const DAP_SECTIONS = [
  { key: "data", title: "Data", text: "" },
  { key: "assessment", title: "Assessment", text: "" },
  { key: "plan", title: "Plan", text: "" },
];

/** Enough of Rust's note rules to walk the screen: drafts save, signing locks, addenda append. */
function fakeNote(initial: Note, extra: Handlers = {}) {
  const state = { note: initial, pn: "Transference came up around the father.", drafts: new Map<string, string>() };
  fakeBackend({
    get_note: () => state.note,
    save_note_draft: ({ draft }) => {
      if (state.note.state === "signed") throw commandError("invalid_input", "This note is signed and cannot be changed.");
      const d = draft as NoteDraft;
      state.note = { ...state.note, state: "draft", format: d.format, sections: d.sections, updatedAt: "2026-11-25T22:00:00Z" };
      return state.note;
    },
    switch_note_format: ({ format }) => {
      const carried = state.note.sections.map((s) => s.text).filter((t) => t !== "").join("\n\n");
      const sections = DAP_SECTIONS.map((s, i) => ({ ...s, text: i === 0 ? carried : "" }));
      state.note = { ...state.note, state: "draft", format: format as NoteFormat, sections, prompts: [] };
      return state.note;
    },
    sign_note: () => {
      state.note = { ...state.note, state: "signed", signature: signature() };
      return state.note;
    },
    add_addendum: ({ text }) => {
      const seq = state.note.addenda.length + 1;
      state.note = {
        ...state.note,
        addenda: [...state.note.addenda, addendum({ id: `a-${seq}`, seq, text: text as string })],
      };
      return state.note;
    },
    get_psychotherapy_note: () => state.pn,
    save_psychotherapy_note: ({ text }) => {
      state.pn = text as string;
      return null;
    },
    get_form_draft: ({ key }) => state.drafts.get(key as string) ?? null,
    save_form_draft: ({ key, body }) => {
      state.drafts.set(key as string, body as string);
      return null;
    },
    clear_form_draft: ({ key }) => {
      state.drafts.delete(key as string);
      return null;
    },
    ...extra,
  });
  return state;
}

function calls(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, args]) => args as Record<string, unknown>);
}

function commands(): string[] {
  return invokeMock.mock.calls.map(([c]) => c);
}

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

async function renderNote(saveDelayMs = 40, addendumDelayMs = 10_000) {
  const view = render(SessionNote, { sessionId: "s-1", saveDelayMs, addendumDelayMs });
  await screen.findByRole("heading", { level: 1, name: /Jordan Alvarez/ });
  return view;
}

describe("the session note", () => {
  it("shows the client, the session and one field per section with Rust's hints", async () => {
    fakeNote(note());
    const { container } = await renderNote();
    expect(calls("get_note")).toEqual([{ sessionId: "s-1" }]);
    const title = q(container, "#note-title");
    expect(title).toHaveTextContent("Jordan Alvarez (Jo)");
    expect(title).toHaveTextContent("Preparation 2, Wed 25 Nov 2026, 14:00");
    expect(q(container, "#note-client-identity")).toHaveTextContent(
      "Jordan Alvarez (Jo), born Saturday 12 April 1986",
    );
    expect(q(container, "[data-screen]")).toHaveAttribute("data-screen", "note");
    expect(q<HTMLSelectElement>(container, "#note-format").value).toBe("soap");

    const subjective = screen.getByLabelText("Subjective");
    expect(subjective.id).toBe("note-section-subjective");
    // The prompt is shown once, above the box, and read out with it.
    expect(subjective).not.toHaveAttribute("placeholder");
    expect(q(container, "#note-section-subjective-hint")).toHaveTextContent(
      "What the client reports: mood, sleep, intentions.",
    );
    expect(subjective).toHaveAccessibleDescription("What the client reports: mood, sleep, intentions.");
    expect(screen.getByLabelText("Objective")).not.toHaveAttribute("placeholder", expect.stringMatching(/./));
    expect(container.querySelectorAll("textarea.note-section")).toHaveLength(4);
    // Nothing about psychotherapy notes is read until asked for.
    expect(calls("get_psychotherapy_note")).toEqual([]);
    expect(container.querySelector("#pn-text")).toBeNull();
    expect(container.querySelector("#note-integrity")).toBeNull();
  });

  it("autosaves the whole draft once typing pauses, and says when it was saved", async () => {
    fakeNote(note());
    const user = userEvent.setup();
    const { container } = await renderNote(60);
    await user.type(screen.getByLabelText("Subjective"), "Slept well.{Enter}Feels ready.");
    // Still typing: nothing sent yet.
    expect(calls("save_note_draft")).toEqual([]);

    await vi.waitFor(() => expect(calls("save_note_draft")).toHaveLength(1));
    const draft = calls("save_note_draft")[0]!.draft as NoteDraft;
    expect(calls("save_note_draft")[0]!.sessionId).toBe("s-1");
    expect(draft.format).toBe("soap");
    expect(draft.sections.map((s) => [s.key, s.text])).toEqual([
      ["subjective", "Slept well.\nFeels ready."],
      ["objective", ""],
      ["assessment", ""],
      ["plan", ""],
    ]);
    await vi.waitFor(() => expect(q(container, "#note-saved")).toHaveTextContent(/^Saved at \d\d:\d\d$/));
    expect(q(container, "#note-saved")).toHaveAttribute("role", "status");
    expect(q(container, "#note-state")).toHaveTextContent("Note draft");
  });

  it("saves at once on leaving the field, and what is typed survives Rust's answer", async () => {
    fakeNote(note());
    const user = userEvent.setup();
    await renderNote(10_000);
    await user.type(screen.getByLabelText("Plan"), "Book dosing 1");
    await user.click(screen.getByLabelText("Objective"));
    await vi.waitFor(() => expect(calls("save_note_draft")).toHaveLength(1));
    expect((calls("save_note_draft")[0]!.draft as NoteDraft).sections[3]!.text).toBe("Book dosing 1");
    expect(screen.getByLabelText("Plan")).toHaveValue("Book dosing 1");
  });

  it("shows Rust's sentence when a save fails", async () => {
    fakeNote(note(), {
      save_note_draft: () => {
        throw commandError("io", "The vault could not be written: the disk is full.");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderNote(20);
    await user.type(screen.getByLabelText("Plan"), "x");
    await vi.waitFor(() =>
      expect(q(container, "#note-saved")).toHaveTextContent("The vault could not be written: the disk is full."),
    );
  });

  it("saves what is still pending when the screen goes away", async () => {
    fakeNote(note());
    const user = userEvent.setup();
    const { unmount } = await renderNote(10_000);
    await user.type(screen.getByLabelText("Subjective"), "Mid-sente");
    expect(calls("save_note_draft")).toEqual([]);
    unmount();
    await vi.waitFor(() => expect(calls("save_note_draft")).toHaveLength(1));
    expect((calls("save_note_draft")[0]!.draft as NoteDraft).sections[0]!.text).toBe("Mid-sente");
  });

  it("closing the window waits for the last save of a note whose screen has already gone", async () => {
    let release: () => void = () => {};
    fakeNote(note(), {
      save_note_draft: async ({ draft }) => {
        await new Promise<void>((resolve) => (release = resolve));
        return { ...note(), state: "draft", sections: (draft as NoteDraft).sections };
      },
    });
    const user = userEvent.setup();
    const { unmount } = await renderNote(10_000);
    await user.type(screen.getByLabelText("Subjective"), "Mid-sente");
    unmount();
    await vi.waitFor(() => expect(calls("save_note_draft")).toHaveLength(1));
    let closed = false;
    const closing = flushEverything().then((saved) => {
      closed = true;
      return saved;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    release();
    expect(await closing).toBe(true);
    // Sent once: the close waited for that save rather than sending it again.
    expect(calls("save_note_draft")).toHaveLength(1);
  });

  it("saves before the frame leaves, and holds the therapist once when that fails", async () => {
    let fail = true;
    fakeNote(note(), {
      save_note_draft: ({ draft }) => {
        if (fail) throw commandError("locked", "The vault is locked.");
        return { ...note(), state: "draft", sections: (draft as NoteDraft).sections };
      },
    });
    const user = userEvent.setup();
    const { container } = await renderNote(10_000);
    await user.type(screen.getByLabelText("Subjective"), "Grief");
    // The frame asks before leaving: a failed save keeps the therapist here, saying why.
    expect(await flushUnsaved()).toBe(false);
    expect(q(container, "#note-unsaved")).toHaveTextContent("leave once more to discard it");
    expect(q(container, "#note-saved")).toHaveTextContent("The vault is locked.");
    // Asking again lets them go.
    expect(await flushUnsaved()).toBe(true);
    fail = false;
    await user.type(screen.getByLabelText("Subjective"), " work");
    expect(await flushUnsaved()).toBe(true);
    expect((calls("save_note_draft").at(-1)!.draft as NoteDraft).sections[0]!.text).toBe("Grief work");
  });

  it("switches the format after saving what is typed, showing Rust's carried-over text", async () => {
    fakeNote(note());
    const user = userEvent.setup();
    const { container } = await renderNote(10_000);
    // The formats by the names Rust prints them under.
    const options = [...q<HTMLSelectElement>(container, "#note-format").options].map((o) => o.textContent);
    expect(options).toEqual(["SOAP", "DAP", "BIRP", "Free-form"]);
    await user.type(screen.getByLabelText("Subjective"), "Anxious about the first dosing.");
    await user.selectOptions(q(container, "#note-format"), "DAP");
    await vi.waitFor(() => expect(calls("switch_note_format")).toEqual([{ sessionId: "s-1", format: "dap" }]));
    expect(commands().filter((c) => c !== "get_note")).toEqual(["save_note_draft", "switch_note_format"]);
    expect(await screen.findByLabelText("Data")).toHaveValue("Anxious about the first dosing.");
    expect(container.querySelector("#note-section-subjective")).toBeNull();
    expect(q<HTMLSelectElement>(container, "#note-format").value).toBe("dap");
  });

  it("signs only after an inline confirmation, saving first, then shows the locked note", async () => {
    fakeNote(note());
    const user = userEvent.setup();
    const { container } = await renderNote(10_000);
    await user.type(screen.getByLabelText("Subjective"), "Slept well.{Enter}Feels ready.");

    await user.click(q(container, "#note-sign"));
    expect(calls("sign_note")).toEqual([]);
    const confirmation = q(container, "#note-sign-confirmation");
    expect(confirmation).toHaveTextContent(
      "A signed note can never be changed; corrections are added as dated addenda.",
    );
    expect(q(container, "#note-sign-confirm")).toHaveFocus();

    await user.click(screen.getByRole("button", { name: "Not yet" }));
    expect(container.querySelector("#note-sign-confirmation")).toBeNull();
    expect(calls("sign_note")).toEqual([]);

    await user.click(q(container, "#note-sign"));
    await user.click(q(container, "#note-sign-confirm"));
    const banner = await vi.waitFor(() => q(container, "#note-signed"));
    // What was typed is saved before the note is signed.
    expect(commands().filter((c) => c !== "get_note")).toEqual(["save_note_draft", "sign_note"]);
    expect(calls("sign_note")).toEqual([{ sessionId: "s-1" }]);
    expect(banner).toHaveTextContent("Signed Wednesday 25 November 2026, 15:04 by Dana Reyes, LMFT");
    const hash = q(banner, "#note-sha256");
    expect(hash).toHaveTextContent("3f79bb7b435b…");
    expect(hash).toHaveAttribute("title", signature().sha256);
    expect(banner).toHaveFocus();

    // Locked: no fields, no format choice, the text read-only with its line breaks.
    expect(container.querySelector("textarea.note-section")).toBeNull();
    expect(container.querySelector("#note-format")).toBeNull();
    expect(container.querySelector("#note-sign")).toBeNull();
    const subjective = q(container, '.note-readonly[data-key="subjective"]');
    expect(q(subjective, "h2")).toHaveTextContent("Subjective");
    expect(q(subjective, ".note-text").textContent).toBe("Slept well.\nFeels ready.");
  });

  it("shows Rust's refusal to sign beside the button", async () => {
    fakeNote(note(), {
      sign_note: () => {
        throw commandError("invalid_input", "Write at least one section before signing.");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderNote();
    await user.click(q(container, "#note-sign"));
    await user.click(q(container, "#note-sign-confirm"));
    expect(await screen.findByRole("alert")).toHaveTextContent("Write at least one section before signing.");
    expect(container.querySelector("#note-signed")).toBeNull();
  });

  it("warns loudly when the signed note no longer matches its hash", async () => {
    const message = "This note was changed after it was signed: its SHA-256 no longer matches. Do not rely on it.";
    fakeNote(signedNote({ intact: false, integrityMessage: message }));
    const { container } = await renderNote();
    const alert = q(container, "#note-integrity");
    expect(alert).toHaveAttribute("role", "alert");
    expect(alert).toHaveTextContent(message);
  });

  it("lists addenda in order under the signed note and adds a new one at the end", async () => {
    fakeNote(signedNote({ addenda: [addendum()] }));
    const user = userEvent.setup();
    const { container } = await renderNote();
    expect(q(container, "#addenda-section")).toHaveTextContent("Addenda are dated, signed and cannot be changed.");

    await user.type(q(container, "#addendum-text"), "Client called: sleep was poor.{Enter}Follow up.");
    await user.click(q(container, "#addendum-add"));
    await vi.waitFor(() => expect(container.querySelectorAll(".addendum")).toHaveLength(2));
    expect(calls("add_addendum")).toEqual([{ sessionId: "s-1", text: "Client called: sleep was poor.\nFollow up." }]);

    const items = [...container.querySelectorAll<HTMLElement>("#addenda .addendum")];
    expect(items.map((item) => item.dataset.seq)).toEqual(["1", "2"]);
    expect(items[0]).toHaveTextContent("Addendum 1 · signed Thursday 26 November 2026, 09:00 by Dana Reyes, LMFT");
    expect(items[1]).toHaveTextContent("Addendum 2 · signed");
    expect(q(items[1]!, ".note-text").textContent).toBe("Client called: sleep was poor.\nFollow up.");
    expect(q(container, "#addendum-text")).toHaveValue("");
  });

  it("flags an addendum that no longer matches its hash and shows refusals inline", async () => {
    fakeNote(signedNote({ addenda: [addendum({ intact: false })] }), {
      add_addendum: () => {
        throw commandError("invalid_input", "An addendum needs some text.", "text");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderNote();
    expect(q(container, '.addendum[data-seq="1"] .addendum-integrity')).toHaveAttribute("role", "alert");
    await user.click(q(container, "#addendum-add"));
    expect(await vi.waitFor(() => q(container, "#addendum-error"))).toHaveTextContent("An addendum needs some text.");
  });

  it("loads psychotherapy notes only when shown, and autosaves them apart from the note", async () => {
    fakeNote(signedNote());
    const user = userEvent.setup();
    const { container } = await renderNote(30);
    expect(q(container, "#psychotherapy-notes")).toHaveTextContent("45 CFR 164.501");
    expect(calls("get_psychotherapy_note")).toEqual([]);
    const toggle = q(container, "#pn-toggle");
    expect(toggle).toHaveTextContent("Show psychotherapy notes");
    expect(toggle).toHaveAttribute("aria-expanded", "false");

    await user.click(toggle);
    expect(calls("get_psychotherapy_note")).toEqual([{ sessionId: "s-1" }]);
    const text = await vi.waitFor(() => q<HTMLTextAreaElement>(container, "#pn-text"));
    expect(text).toHaveValue("Transference came up around the father.");
    expect(toggle).toHaveAttribute("aria-expanded", "true");

    // Still editable though the progress note is signed.
    await user.type(text, " Explore next time.");
    await vi.waitFor(() => expect(calls("save_psychotherapy_note")).toHaveLength(1));
    expect(calls("save_psychotherapy_note")[0]).toEqual({
      sessionId: "s-1",
      text: "Transference came up around the father. Explore next time.",
    });
    await vi.waitFor(() => expect(q(container, "#pn-saved")).toHaveTextContent(/^Saved at/));
    expect(calls("save_note_draft")).toEqual([]);

    await user.click(toggle);
    expect(container.querySelector("#pn-text")).toBeNull();
  });

  it("shows the dosing record's lines read-only on a dosing session's note", async () => {
    fakeNote(
      note({
        dosingSummary: ["Ketamine 100 mg IM at 10:05", "BP 128/82 at 10:00, 142/90 at 10:30", "No adverse events"],
      }),
    );
    const { container } = await renderNote();
    const summary = q(container, "#note-dosing-summary");
    expect(summary).toHaveTextContent("From the dosing record");
    expect([...summary.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "Ketamine 100 mg IM at 10:05",
      "BP 128/82 at 10:00, 142/90 at 10:30",
      "No adverse events",
    ]);
    expect(summary.querySelector("textarea, input")).toBeNull();
  });

  it("exports this client's notes as PDF, without psychotherapy notes", async () => {
    fakeNote(signedNote(), {
      export_notes: () => ({
        folder: "/home/dana/Exports/KAP notes 2026-11-26",
        files: [{ path: "/home/dana/Exports/KAP notes 2026-11-26/Jordan Alvarez.pdf", bytes: 48213 }],
        notes: 3,
        clients: 1,
        cancelled: false,
        integrityFailures: 0,
      }),
    });
    const user = userEvent.setup();
    const { container } = await renderNote();
    await user.click(q(container, "#export-client-pdf"));
    await vi.waitFor(() =>
      expect(q(container, "#export-result")).toHaveTextContent(
        "Exported 3 notes to /home/dana/Exports/KAP notes 2026-11-26. Exported files are not encrypted; keep them safe.",
      ),
    );
    expect(calls("export_notes").map((args) => args.request as ExportRequest)).toEqual([
      { clientId: "c-1", from: null, to: null, format: "pdf", includePsychotherapyNotes: false },
    ]);
  });
  it("keeps a half-written addendum as a draft in the vault once typing pauses", async () => {
    const state = fakeNote(signedNote());
    const user = userEvent.setup();
    const { container } = await renderNote(40, 30);
    await user.type(q(container, "#addendum-text"), "Client called");
    await vi.waitFor(() => expect(calls("save_form_draft")).not.toHaveLength(0));
    expect(calls("save_form_draft").at(-1)).toEqual({ key: "addendum:s-1", body: JSON.stringify({ text: "Client called" }) });
    expect(JSON.parse(state.drafts.get("addendum:s-1")!)).toEqual({ text: "Client called" });
    expect(calls("add_addendum")).toEqual([]);
  });

  it("keeps the addendum at once when the frame leaves, locks or the window closes", async () => {
    const state = fakeNote(signedNote());
    const user = userEvent.setup();
    const { container } = await renderNote(40, 10_000);
    await user.type(q(container, "#addendum-text"), "Mid-sente");
    expect(calls("save_form_draft")).toEqual([]);
    expect(await flushUnsaved()).toBe(true);
    expect(calls("save_form_draft")).toEqual([{ key: "addendum:s-1", body: JSON.stringify({ text: "Mid-sente" }) }]);
    expect(state.drafts.has("addendum:s-1")).toBe(true);
  });

  it("puts back the addendum that was being written when the signed note loads", async () => {
    const state = fakeNote(signedNote());
    state.drafts.set("addendum:s-1", JSON.stringify({ text: "Client called: sleep was poor." }));
    const { container } = await renderNote();
    const box = q<HTMLTextAreaElement>(container, "#addendum-text");
    await vi.waitFor(() => expect(box).toHaveValue("Client called: sleep was poor."));
    expect(calls("get_form_draft")).toEqual([{ key: "addendum:s-1" }]);
    expect(q(container, "#addendum-status")).toHaveTextContent("The addendum you were writing was kept; it is not signed yet.");
    expect(calls("add_addendum")).toEqual([]);
  });

  it("ignores an unreadable or empty addendum draft, and asks for none on an unsigned note", async () => {
    const state = fakeNote(signedNote());
    state.drafts.set("addendum:s-1", "not json");
    const first = await renderNote();
    await vi.waitFor(() => expect(calls("get_form_draft")).toHaveLength(1));
    expect(q(first.container, "#addendum-text")).toHaveValue("");
    first.unmount();

    state.drafts.set("addendum:s-1", JSON.stringify({ text: "   " }));
    const second = await renderNote();
    await vi.waitFor(() => expect(calls("get_form_draft")).toHaveLength(2));
    expect(q(second.container, "#addendum-text")).toHaveValue("");
    second.unmount();

    invokeMock.mockClear();
    fakeNote(note());
    await renderNote();
    expect(calls("get_form_draft")).toEqual([]);
  });

  it("clears the addendum draft once the addendum is signed, and keeps it when Rust refuses", async () => {
    let refuse = true;
    const state = fakeNote(signedNote(), {
      add_addendum: ({ text }) => {
        if (refuse) throw commandError("io", "The vault could not be written: the disk is full.");
        state.note = { ...state.note, addenda: [addendum({ id: "a-1", seq: 1, text: text as string })] };
        return state.note;
      },
    });
    state.drafts.set("addendum:s-1", JSON.stringify({ text: "Client called." }));
    const user = userEvent.setup();
    const { container } = await renderNote();
    const box = q<HTMLTextAreaElement>(container, "#addendum-text");
    await vi.waitFor(() => expect(box).toHaveValue("Client called."));

    await user.click(q(container, "#addendum-add"));
    expect(await vi.waitFor(() => q(container, "#addendum-error"))).toHaveTextContent("the disk is full");
    expect(calls("clear_form_draft")).toEqual([]);
    expect(state.drafts.has("addendum:s-1")).toBe(true);
    expect(box).toHaveValue("Client called.");

    refuse = false;
    await user.type(box, " Sleep was poor.");
    await user.click(q(container, "#addendum-add"));
    await vi.waitFor(() => expect(container.querySelectorAll(".addendum")).toHaveLength(1));
    expect(calls("add_addendum").at(-1)).toEqual({ sessionId: "s-1", text: "Client called. Sleep was poor." });
    await vi.waitFor(() => expect(calls("clear_form_draft")).toEqual([{ key: "addendum:s-1" }]));
    expect(state.drafts.has("addendum:s-1")).toBe(false);
    expect(box).toHaveValue("");
    // Cleared after the addendum was signed, never before.
    const order = commands().filter((c) => c === "add_addendum" || c === "clear_form_draft");
    expect(order.at(-1)).toBe("clear_form_draft");
    expect(order.at(-2)).toBe("add_addendum");
  });

  it("saves pending psychotherapy notes at once when the frame leaves, locks or the window closes", async () => {
    const state = fakeNote(signedNote());
    const user = userEvent.setup();
    const { container } = await renderNote(10_000);
    await user.click(q(container, "#pn-toggle"));
    const text = await vi.waitFor(() => q<HTMLTextAreaElement>(container, "#pn-text"));
    await user.type(text, " Mid-sente");
    expect(calls("save_psychotherapy_note")).toEqual([]);
    expect(await flushUnsaved()).toBe(true);
    expect(calls("save_psychotherapy_note")).toEqual([
      { sessionId: "s-1", text: "Transference came up around the father. Mid-sente" },
    ]);
    expect(state.pn).toBe("Transference came up around the father. Mid-sente");
  });
});
