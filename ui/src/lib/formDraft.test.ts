import { afterEach, describe, expect, it, vi } from "vitest";
import { formDraft } from "./formDraft";
import { commandError, fakeBackend, invokeMock } from "../test/backend";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function commands(): string[] {
  return invokeMock.mock.calls.map(([c]) => c);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a half-typed form kept in the vault", () => {
  it("is kept once typing pauses, and at once on flush", async () => {
    vi.useFakeTimers();
    const drafts = new Map<string, string>();
    fakeBackend({
      save_form_draft: ({ key, body }) => void drafts.set(key as string, body as string),
    });
    let text = "Half";
    const draft = formDraft("addendum:s-1", () => ({ text }), 600);
    draft.schedule();
    await vi.advanceTimersByTimeAsync(599);
    expect(commands()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(drafts.get("addendum:s-1")).toBe(JSON.stringify({ text: "Half" }));

    text = "Half a thought";
    draft.schedule();
    expect(await draft.flush()).toBe(true);
    expect(drafts.get("addendum:s-1")).toBe(JSON.stringify({ text: "Half a thought" }));
    // The pending pause-save was replaced by the flush, not added to.
    await vi.advanceTimersByTimeAsync(1000);
    expect(commands()).toEqual(["save_form_draft", "save_form_draft"]);
    // Nothing changed since: nothing to send.
    expect(await draft.flush()).toBe(true);
    expect(commands()).toHaveLength(2);
  });

  it("says when it could not be kept, and tries again on the next flush", async () => {
    let fail = true;
    fakeBackend({
      save_form_draft: () => {
        if (fail) throw commandError("io", "The disk is full.");
        return null;
      },
    });
    const draft = formDraft("vitals:s-1", () => ({ bloodPressure: "132/84" }), 10_000);
    draft.schedule();
    expect(await draft.flush()).toBe(false);
    fail = false;
    expect(await draft.flush()).toBe(true);
    expect(commands()).toEqual(["save_form_draft", "save_form_draft"]);
  });

  it("clears only after a save under way has landed, so the draft cannot come back", async () => {
    let release: () => void = () => {};
    const order: string[] = [];
    fakeBackend({
      save_form_draft: async () => {
        await new Promise<void>((resolve) => (release = resolve));
        order.push("saved");
        return null;
      },
      clear_form_draft: () => {
        order.push("cleared");
        return null;
      },
    });
    const draft = formDraft("event:s-1", () => ({ action: "Ginger tea" }), 10_000);
    draft.schedule();
    const flushed = draft.flush();
    await vi.waitFor(() => expect(commands()).toEqual(["save_form_draft"]));
    // The reading is added for real while its draft is still being written.
    const cleared = draft.clear();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(commands()).toEqual(["save_form_draft"]);
    release();
    await Promise.all([flushed, cleared]);
    expect(order).toEqual(["saved", "cleared"]);
  });

  it("drops a save not yet sent when the draft is cleared", async () => {
    fakeBackend({ save_form_draft: () => null, clear_form_draft: () => null });
    const draft = formDraft("event:s-1", () => ({ action: "Ginger tea" }), 10_000);
    draft.schedule();
    await draft.clear();
    expect(await draft.flush()).toBe(true);
    expect(commands()).toEqual(["clear_form_draft"]);
  });

  it("reads as null when the vault cannot give it back", async () => {
    fakeBackend({
      get_form_draft: () => {
        throw commandError("locked", "The vault is locked.");
      },
    });
    expect(await formDraft("addendum:s-1", () => ({})).load()).toBeNull();
  });
});
