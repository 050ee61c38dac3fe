import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import CalendarExport from "./CalendarExport.svelte";
import ProtocolForm from "./ProtocolForm.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import type { ProtocolSettings } from "../lib/bindings/ProtocolSettings";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const defaults: ProtocolSettings = {
  minPreparationSessions: 4,
  integrationMinDays: 2,
  integrationMaxDays: 3,
  recommendedDosings: 6,
  maxDosingsPerWeek: 2,
};

function q<T extends Element = HTMLElement>(container: HTMLElement, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

describe("protocol settings", () => {
  it("shows the practice's numbers, saves changes and confirms", async () => {
    fakeBackend({
      get_protocol_settings: () => defaults,
      save_protocol_settings: ({ settings }) => settings,
    });
    const user = userEvent.setup();
    const { container } = render(ProtocolForm, {});
    const prep = await vi.waitFor(() => q<HTMLInputElement>(container, "#protocol-minPreparationSessions"));
    expect(prep).toHaveValue(4);
    expect(q(container, "#protocol-integrationMinDays")).toHaveValue(2);
    expect(q(container, "#protocol-integrationMaxDays")).toHaveValue(3);
    expect(q(container, "#protocol-recommendedDosings")).toHaveValue(6);
    expect(q(container, "#protocol-maxDosingsPerWeek")).toHaveValue(2);
    expect(container).toHaveTextContent("belong to the prescriber");

    await user.clear(prep);
    await user.type(prep, "5");
    await user.click(q(container, "#save-protocol"));
    await vi.waitFor(() => expect(q(container, "#protocol-status")).toHaveTextContent("Saved"));
    expect(invokeMock).toHaveBeenCalledWith("save_protocol_settings", { settings: { ...defaults, minPreparationSessions: 5 } });
  });

  it("shows Rust's refusal under the number it is about", async () => {
    fakeBackend({
      get_protocol_settings: () => defaults,
      save_protocol_settings: () => {
        throw commandError("invalid_input", "Choose a number from 2 to 14.", "integrationMaxDays");
      },
    });
    const user = userEvent.setup();
    const { container } = render(ProtocolForm, {});
    await user.click(await vi.waitFor(() => q(container, "#save-protocol")));
    const error = await vi.waitFor(() => q(container, '[data-error-for="integrationMaxDays"]'));
    expect(error).toHaveTextContent("Choose a number from 2 to 14.");
    expect(q(container, "#protocol-integrationMaxDays")).toHaveFocus();
    expect(q(container, "#protocol-status")).toHaveTextContent("");
  });
});

describe("calendar export", () => {
  it("exports initials only unless full names are ticked, and says where the file went", async () => {
    fakeBackend({ export_calendar: () => ({ path: "/home/t/kap-sessions.ics", events: 7 }) });
    const user = userEvent.setup();
    const { container } = render(CalendarExport, {});
    const fullNames = q<HTMLInputElement>(container, "#calendar-full-names");
    expect(fullNames).not.toBeChecked();
    expect(fullNames).toHaveAccessibleDescription(/only the client's initials/);

    await user.click(q(container, "#export-calendar"));
    await vi.waitFor(() => expect(q(container, "#calendar-status")).toHaveTextContent("7 sessions written to /home/t/kap-sessions.ics."));
    expect(invokeMock).toHaveBeenLastCalledWith("export_calendar", { fullNames: false });

    await user.click(fullNames);
    await user.click(q(container, "#export-calendar"));
    await vi.waitFor(() => expect(invokeMock).toHaveBeenLastCalledWith("export_calendar", { fullNames: true }));
  });

  it("says nothing was written when the save dialog is cancelled", async () => {
    fakeBackend({ export_calendar: () => null });
    const user = userEvent.setup();
    const { container } = render(CalendarExport, {});
    await user.click(q(container, "#export-calendar"));
    await vi.waitFor(() => expect(q(container, "#calendar-status")).toHaveTextContent("Export cancelled. Nothing was written."));
  });

  it("shows Rust's message when the export fails", async () => {
    fakeBackend({
      export_calendar: () => {
        throw commandError("io", "KAP Desk cannot write to /media/usb.");
      },
    });
    const user = userEvent.setup();
    const { container } = render(CalendarExport, {});
    await user.click(q(container, "#export-calendar"));
    expect(await screen.findByRole("alert")).toHaveTextContent("KAP Desk cannot write to /media/usb.");
  });
});
