import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import Dashboard from "./Dashboard.svelte";
import { commandError, fakeBackend } from "../test/backend";
import { dashboard, session } from "../test/fixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function q(container: HTMLElement, selector: string): HTMLElement {
  const el = container.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

describe("the dashboard", () => {
  it("lists today's and this week's sessions and what needs attention, each opening the client", async () => {
    fakeBackend({
      get_dashboard: () =>
        dashboard({
          today: [
            {
              clientId: "c-1",
              clientName: "Jordan Alvarez",
              session: session({ id: "s-1", kind: "dosing", label: "Dosing 2 of 6", time: "09:00" }),
            },
          ],
          week: [
            {
              clientId: "c-2",
              clientName: "Maya Chen",
              session: session({ id: "s-2", label: "Preparation 3", date: "2026-12-04", time: "14:00" }),
            },
          ],
          needsAction: [
            {
              clientId: "c-3",
              clientName: "Sam Ortiz",
              kind: "integration_overdue",
              message: "Integration after dosing 1 is overdue: book it now.",
              sessionId: null,
              administrationId: null,
            },
          ],
        }),
    });
    const onOpenClient = vi.fn();
    const user = userEvent.setup();
    const { container } = render(Dashboard, { onOpenClient, onOpenClients: vi.fn() });

    const today = await vi.waitFor(() => q(container, "#today .agenda-item"));
    expect(today).toHaveTextContent("09:00");
    expect(today).toHaveTextContent("Jordan Alvarez");
    expect(today).toHaveTextContent("Dosing 2 of 6");
    const week = q(container, "#this-week .agenda-item");
    expect(week).toHaveTextContent("Fri 4 Dec, 14:00");
    expect(week).toHaveTextContent("Maya Chen");
    const action = q(container, "#needs-action .action-item");
    expect(action).toHaveAttribute("data-kind", "integration_overdue");
    expect(action).toHaveTextContent("Integration after dosing 1 is overdue: book it now.");

    await user.click(today);
    await user.click(week);
    await user.click(action);
    expect(onOpenClient.mock.calls).toEqual([["c-1"], ["c-2"], ["c-3"]]);
  });

  it("opens today's booked dosing on its dosing-day screen", async () => {
    fakeBackend({
      get_dashboard: () =>
        dashboard({
          today: [
            {
              clientId: "c-1",
              clientName: "Jordan Alvarez",
              session: session({ id: "s-1", kind: "dosing", label: "Dosing 2", time: "09:00" }),
            },
            {
              clientId: "c-2",
              clientName: "Maya Chen",
              session: session({ id: "s-2", kind: "integration", label: "Integration 1", time: "14:00" }),
            },
          ],
        }),
    });
    const onOpenClient = vi.fn();
    const onOpenDosing = vi.fn();
    const user = userEvent.setup();
    const { container } = render(Dashboard, { onOpenClient, onOpenClients: vi.fn(), onOpenDosing });
    const items = await vi.waitFor(() => {
      const all = container.querySelectorAll<HTMLElement>("#today .agenda-item");
      if (all.length !== 2) throw new Error("not yet");
      return all;
    });
    await user.click(items[0]!);
    await user.click(items[1]!);
    expect(onOpenDosing.mock.calls).toEqual([["c-1", "s-1"]]);
    expect(onOpenClient.mock.calls).toEqual([["c-2"]]);
  });

  it("says what to do when nothing is booked", async () => {
    fakeBackend({ get_dashboard: () => dashboard() });
    const onOpenClients = vi.fn();
    const user = userEvent.setup();
    const { container } = render(Dashboard, { onOpenClient: vi.fn(), onOpenClients });
    await vi.waitFor(() => expect(q(container, "#today")).toHaveTextContent("No sessions today."));
    expect(q(container, "#this-week")).toHaveTextContent("Nothing else booked this week.");
    expect(q(container, "#needs-action")).toHaveTextContent("Nothing needs your attention.");
    await user.click(screen.getByRole("button", { name: "open the client list" }));
    expect(onOpenClients).toHaveBeenCalled();
  });

  it("shows Rust's message when the dashboard cannot be read", async () => {
    fakeBackend({
      get_dashboard: () => {
        throw commandError("database", "The vault could not be read.");
      },
    });
    render(Dashboard, { onOpenClient: vi.fn(), onOpenClients: vi.fn() });
    expect(await screen.findByRole("alert")).toHaveTextContent("The vault could not be read.");
  });
});

describe("unsigned notes on the dashboard", () => {
  it("opens the note itself, and still opens the client for other items", async () => {
    fakeBackend({
      get_dashboard: () =>
        dashboard({
          needsAction: [
            {
              clientId: "c-1",
              clientName: "Jordan Alvarez",
              kind: "note_unsigned",
              message: "The note for Preparation 2 on Wed 25 Nov is not signed.",
              sessionId: "s-7",
              administrationId: null,
            },
            {
              clientId: "c-3",
              clientName: "Sam Ortiz",
              kind: "clearance_expiring",
              message: "The medical clearance expires on Fri 11 Dec 2026.",
              sessionId: null,
              administrationId: null,
            },
          ],
        }),
    });
    const onOpenClient = vi.fn();
    const onOpenNote = vi.fn();
    const user = userEvent.setup();
    const { container } = render(Dashboard, { onOpenClient, onOpenClients: vi.fn(), onOpenNote });
    const note = await vi.waitFor(() => q(container, '#needs-action .action-item[data-kind="note_unsigned"]'));
    expect(note).toHaveTextContent("Unsigned note");
    expect(note).toHaveTextContent("The note for Preparation 2 on Wed 25 Nov is not signed.");
    await user.click(note);
    expect(onOpenNote).toHaveBeenCalledWith("c-1", "s-7");
    await user.click(q(container, '#needs-action .action-item[data-kind="clearance_expiring"]'));
    expect(onOpenClient).toHaveBeenCalledWith("c-3");
    expect(onOpenNote).toHaveBeenCalledTimes(1);
  });
});
