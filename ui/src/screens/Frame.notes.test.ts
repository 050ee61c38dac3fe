import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import Frame from "./Frame.svelte";
import { fakeBackend, invokeMock } from "../test/backend";
import { dashboard } from "../test/fixtures";
import { hit, note } from "../test/notes";
import type { Note } from "../lib/bindings/Note";
import type { NoteDraft } from "../lib/bindings/NoteDraft";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

function q<T extends Element = HTMLElement>(selector: string): T {
  const el = document.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

function commands(): string[] {
  return invokeMock.mock.calls.map(([c]) => c);
}

describe("notes inside the app frame", () => {
  it("finds a note from the Notes section, and saves what was typed before going back", async () => {
    let stored: Note = note();
    fakeBackend({
      get_dashboard: () => dashboard(),
      list_clients: () => [],
      search_notes: () => ({ hits: [hit()], more: false }),
      get_note: () => stored,
      save_note_draft: ({ draft }) => {
        stored = { ...stored, state: "draft", sections: (draft as NoteDraft).sections };
        return stored;
      },
      lock_vault: () => ({ vaultPath: "/v", vaultExists: true, unlocked: false, lockedBecause: null }),
    });
    const user = userEvent.setup();
    const onLocked = vi.fn();
    render(Frame, { onLocked });
    await user.click(q("#nav-notes"));
    expect(q("#nav-notes")).toHaveAttribute("aria-current", "page");
    await user.type(await vi.waitFor(() => q("#notes-search")), "ready");
    await user.click(await vi.waitFor(() => q(".search-hit")));

    await vi.waitFor(() => expect(q("[data-screen]")).toHaveAttribute("data-screen", "note"));
    expect(q("#nav-notes")).toHaveAttribute("aria-current", "page");
    await user.type(screen.getByLabelText("Subjective"), "Typed just before leaving");
    expect(commands()).not.toContain("save_note_draft");

    await user.click(screen.getByRole("button", { name: "Back to Notes" }));
    await vi.waitFor(() => expect(q("[data-screen]")).toHaveAttribute("data-screen", "notes"));
    expect(stored.sections[0]!.text).toBe("Typed just before leaving");

    // Locking also saves first.
    await user.click(q("#nav-notes"));
    await user.type(await vi.waitFor(() => q("#notes-search")), "ready");
    await user.click(await vi.waitFor(() => q(".search-hit")));
    await user.type(await screen.findByLabelText("Plan"), "Dosing next week");
    await user.click(q("#lock-button"));
    await vi.waitFor(() => expect(onLocked).toHaveBeenCalled());
    const order = commands();
    expect(order.lastIndexOf("save_note_draft")).toBeLessThan(order.indexOf("lock_vault"));
    expect(stored.sections[3]!.text).toBe("Dosing next week");
  });
});
