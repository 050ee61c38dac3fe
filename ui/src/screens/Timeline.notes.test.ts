import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import Timeline from "./Timeline.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { session, timeline } from "../test/fixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

const SESSIONS = [
  session({ id: "s-1", status: "completed", note: "signed", label: "Preparation 1" }),
  session({ id: "s-2", status: "completed", note: "draft", label: "Preparation 2" }),
  session({ id: "s-3", status: "scheduled", note: "none", label: "Preparation 3" }),
  session({ id: "s-4", status: "cancelled", note: "none", label: "Preparation 4", canWriteNote: false }),
  session({ id: "s-5", status: "no_show", note: "none", label: "Preparation 5" }),
];

async function renderTimeline(extra: Parameters<typeof fakeBackend>[0] = {}) {
  fakeBackend({ get_timeline: () => timeline({ sessions: SESSIONS }), ...extra });
  const onOpenNote = vi.fn();
  const view = render(Timeline, { clientId: "c-1", today: "2026-12-01", onEdit: vi.fn(), onOpenConsent: vi.fn(), onOpenNote });
  await screen.findByRole("heading", { level: 1, name: /Jordan Alvarez/ });
  return { ...view, onOpenNote };
}

describe("notes on the timeline", () => {
  it("offers a note wherever Rust allows one (a no-show too, never a cancelled session), saying where each stands", async () => {
    const user = userEvent.setup();
    const { container, onOpenNote } = await renderTimeline();
    const buttons = [...container.querySelectorAll<HTMLButtonElement>("button.open-note")];
    expect(buttons.map((b) => [b.id, b.textContent?.trim()])).toEqual([
      ["open-note-s-1", "Note (signed)"],
      ["open-note-s-2", "Note (draft)"],
      ["open-note-s-3", "Write note"],
      ["open-note-s-5", "Write note"],
    ]);
    const badges = [...container.querySelectorAll<HTMLElement>(".note-state")];
    expect(badges.map((b) => b.dataset.state)).toEqual(["signed", "draft", "none", "none"]);
    expect(q(container, '.session-row[data-session-id="s-4"]').querySelector(".open-note")).toBeNull();

    await user.click(q(container, "#open-note-s-2"));
    expect(onOpenNote).toHaveBeenCalledWith("s-2");
  });

  it("prints the client's record request from the header", async () => {
    const user = userEvent.setup();
    const { container } = await renderTimeline({
      export_record_request: () => ({ path: "/home/dana/Jordan record.pdf", bytes: 1000 }),
    });
    await user.click(q(container, "#record-request-timeline"));
    await vi.waitFor(() => expect(q(container, "#record-request-result")).toHaveTextContent("/home/dana/Jordan record.pdf"));
    expect(q(container, "#record-request-result")).toHaveTextContent("not encrypted");
    expect(invokeMock.mock.calls.filter(([c]) => c === "export_record_request").map(([, a]) => a)).toEqual([
      { clientId: "c-1" },
    ]);
  });

  it("says so when the record request is cancelled or refused", async () => {
    let refuse = false;
    const user = userEvent.setup();
    const { container } = await renderTimeline({
      export_record_request: () => {
        if (refuse) throw commandError("io", "The PDF could not be written.");
        return null;
      },
    });
    await user.click(q(container, "#record-request-timeline"));
    await vi.waitFor(() => expect(q(container, "#record-request-result")).toHaveTextContent("Printing cancelled"));
    refuse = true;
    await user.click(q(container, "#record-request-timeline"));
    expect(await vi.waitFor(() => q(container, "#record-request-error"))).toHaveTextContent("The PDF could not be written.");
  });
});
