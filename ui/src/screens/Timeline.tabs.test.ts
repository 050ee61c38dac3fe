import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import Timeline from "./Timeline.svelte";
import { fakeBackend } from "../test/backend";
import { gate, integrationCheck, session, timeline } from "../test/fixtures";
import type { ChartTab } from "../lib/chart";
import type { Timeline as TimelineData } from "../lib/bindings/Timeline";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

async function renderChart(data: TimelineData, props: { tab?: ChartTab; withNotes?: boolean } = {}) {
  fakeBackend({ get_timeline: () => data });
  const onTab = vi.fn();
  const onEdit = vi.fn();
  const onOpenNote = vi.fn();
  const view = render(Timeline, {
    clientId: "c-1",
    today: "2026-12-01",
    onEdit,
    onOpenConsent: vi.fn(),
    onOpenNote: props.withNotes === false ? undefined : onOpenNote,
    tab: props.tab,
    onTab,
  });
  await screen.findByRole("heading", { level: 1, name: /Jordan Alvarez/ });
  return { ...view, onTab, onEdit, onOpenNote };
}

function shownPanel(): HTMLElement {
  const panels = screen.getAllByRole("tabpanel");
  expect(panels).toHaveLength(1);
  return panels[0] as HTMLElement;
}

describe("the client's chart in tabs", () => {
  it("keeps the next step and the checks before a dosing above the tabs, and shows one tab at a time", async () => {
    const { container } = await renderChart(timeline({ dosingBlocked: true, gates: [gate()] }));
    const tabs = screen.getAllByRole("tab");
    expect(tabs.map((tab) => tab.textContent)).toEqual(["Overview", "Sessions", "Consent", "Medical records", "Measures", "Notes"]);
    expect(screen.getByRole("tablist")).toHaveAccessibleName("The client's chart");
    // One tab stop for the row: the chosen tab.
    expect(tabs.map((tab) => tab.getAttribute("tabindex"))).toEqual(["0", "-1", "-1", "-1", "-1", "-1"]);
    expect(shownPanel()).toHaveAccessibleName("Overview");
    expect(within(shownPanel()).getByText(/Now:/)).toBeInTheDocument();

    for (const always of ["#next-step", "#gates", "#dosing-blocked"]) {
      const el = container.querySelector(always);
      expect(el, always).not.toBeNull();
      expect(el?.closest("[role=tabpanel]"), always).toBeNull();
    }
    // Everything else is in a panel, hidden until its tab is chosen.
    expect(container.querySelector("#booking")?.closest("[role=tabpanel]")).toHaveAttribute("hidden");
    expect(container.querySelector("#clearance-record")?.closest("[role=tabpanel]")).toHaveAttribute("hidden");
  });

  it("moves between tabs with the arrow keys, Home and End, showing each and telling the frame", async () => {
    const user = userEvent.setup();
    const { onTab } = await renderChart(timeline());
    screen.getByRole("tab", { name: "Overview" }).focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Sessions" })).toHaveFocus();
    expect(screen.getByRole("tab", { name: "Sessions" })).toHaveAttribute("aria-selected", "true");
    expect(shownPanel()).toContainElement(document.querySelector("#booking"));
    await user.keyboard("{End}");
    expect(screen.getByRole("tab", { name: "Notes" })).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Overview" })).toHaveFocus();
    await user.keyboard("{ArrowLeft}");
    expect(screen.getByRole("tab", { name: "Notes" })).toHaveFocus();
    await user.keyboard("{Home}");
    expect(screen.getByRole("tab", { name: "Overview" })).toHaveAttribute("aria-selected", "true");
    expect(onTab.mock.calls.map(([tab]) => tab)).toEqual(["sessions", "notes", "overview", "notes", "overview"]);
    // Tab leaves the row for the panel shown.
    await user.keyboard("{Tab}");
    expect(shownPanel()).toHaveFocus();
  });

  it("opens on the tab last chosen for this client", async () => {
    await renderChart(timeline(), { tab: "records" });
    expect(screen.getByRole("tab", { name: "Medical records" })).toHaveAttribute("aria-selected", "true");
    expect(shownPanel()).toContainElement(document.querySelector("#clearance-record"));
  });

  it("fills in the booking form on the Sessions tab from the next step and from an integration window", async () => {
    const user = userEvent.setup();
    await renderChart(
      timeline({
        nextStep: { title: "Book dosing 1", detail: "", suggestion: { kind: "dosing", date: "2026-12-10", time: "09:30" } },
        integration: [integrationCheck()],
      }),
    );
    await user.click(screen.getByRole("button", { name: "Book integration for dosing 1" }));
    expect(screen.getByRole("tab", { name: "Sessions" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByLabelText("Kind")).toHaveValue("integration");
    expect(screen.getByLabelText("Kind")).toHaveFocus();

    await user.click(screen.getByRole("tab", { name: "Overview" }));
    await user.click(screen.getByRole("button", { name: "Fill in the booking form" }));
    expect(screen.getByRole("tab", { name: "Sessions" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByLabelText("Kind")).toHaveValue("dosing");
    expect(screen.getByLabelText("Date")).toHaveValue("2026-12-10");
    expect(screen.getByLabelText("Kind")).toHaveFocus();
  });

  it("takes each check still needed to where it is put right", async () => {
    const user = userEvent.setup();
    const { onEdit } = await renderChart(
      timeline({
        dosingBlocked: true,
        gates: [
          gate({ kind: "medical_clearance", title: "Medical clearance", open: true }),
          gate({ kind: "ride_home", title: "Ride home", open: true }),
          gate({ kind: "consent", title: "Informed consent", open: false, howToClose: "" }),
        ],
      }),
    );
    // A check that is ready needs nowhere to go.
    expect(document.querySelector("#gate-go-consent")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Go to Medical records for Medical clearance" }));
    expect(screen.getByRole("tab", { name: "Medical records" })).toHaveAttribute("aria-selected", "true");
    expect(document.querySelector("#chart-panel-records")).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Edit client details for Ride home" }));
    expect(onEdit).toHaveBeenCalledWith("c-1");
  });

  it("lists the course's progress notes on the Notes tab and opens one", async () => {
    const user = userEvent.setup();
    const { onOpenNote } = await renderChart(
      timeline({
        sessions: [
          session({ id: "s-1", label: "Preparation 1", status: "completed", note: "signed" }),
          session({ id: "s-2", label: "Preparation 2", status: "cancelled", canWriteNote: false }),
          session({ id: "s-3", label: "Preparation 3", note: "draft" }),
        ],
      }),
    );
    await user.click(screen.getByRole("tab", { name: "Notes" }));
    const rows = [...shownPanel().querySelectorAll<HTMLElement>(".client-note")];
    expect(rows.map((row) => [row.dataset.sessionId, row.querySelector(".client-note-state")?.textContent])).toEqual([
      ["s-1", "Note signed"],
      ["s-3", "Note draft"],
    ]);
    await user.click(within(shownPanel()).getByRole("button", { name: "Note (draft): Preparation 3" }));
    expect(onOpenNote).toHaveBeenCalledWith("s-3");
  });

  it("has no Notes tab where notes cannot be opened", async () => {
    await renderChart(timeline(), { withNotes: false });
    expect(screen.queryByRole("tab", { name: "Notes" })).toBeNull();
  });
});
