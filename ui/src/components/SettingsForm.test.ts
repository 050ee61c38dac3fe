import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import SettingsForm from "./SettingsForm.svelte";
import { commandError, defaultSettings, fakeBackend, invokeMock } from "../test/backend";
import type { PracticeSettings } from "../lib/bindings/PracticeSettings";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function backend(save: (settings: PracticeSettings) => PracticeSettings = (s) => s) {
  fakeBackend({
    get_settings: () => defaultSettings(),
    save_settings: ({ settings }) => save(settings as PracticeSettings),
  });
}

function lastSaved(): PracticeSettings {
  const call = invokeMock.mock.calls.filter(([command]) => command === "save_settings").at(-1);
  return (call?.[1] as { settings: PracticeSettings }).settings;
}

async function renderLoaded() {
  const view = render(SettingsForm, {});
  await screen.findByLabelText("Your name");
  return view;
}

function crisisRows(container: HTMLElement) {
  return [...container.querySelectorAll<HTMLElement>(".crisis-contact")].map((row) => ({
    label: (row.querySelector(".crisis-label") as HTMLInputElement).value,
    phone: (row.querySelector(".crisis-phone") as HTMLInputElement).value,
  }));
}

describe("practice settings", () => {
  it("opens saved PDFs unless the therapist turns it off, and says how saved files are kept", async () => {
    backend();
    const user = userEvent.setup();
    await renderLoaded();
    const open = screen.getByLabelText("Open a PDF after saving it");
    expect(open).toBeChecked();
    expect(open).toHaveAccessibleDescription(/readable only by you and named with the client's initials/);

    await user.click(open);
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await vi.waitFor(() => expect(lastSaved().openAfterSaving).toBe(false));
  });

  it("shows the crisis contacts Rust provides by default", async () => {
    backend();
    const { container } = await renderLoaded();
    expect(crisisRows(container)).toEqual(defaultSettings().crisisContacts);
    expect(screen.getByLabelText("US Letter")).toBeChecked();
  });

  it("saves what was typed, confirms with “Saved”, and drops the confirmation on the next edit", async () => {
    backend();
    const user = userEvent.setup();
    const { container } = await renderLoaded();
    const status = container.querySelector("#settings-status")!;
    expect(status).toHaveAttribute("role", "status");
    expect(status).toHaveTextContent("");

    await user.type(screen.getByLabelText("Your name"), "Dana Reyes");
    await user.type(screen.getByLabelText("Credentials"), "LMFT");
    await user.type(screen.getByLabelText("Address"), "12 Elm St{Enter}Portland, OR");
    await user.click(screen.getByLabelText("A4"));
    await user.click(screen.getByRole("button", { name: "Save settings" }));

    await vi.waitFor(() => expect(status).toHaveTextContent("Saved"));
    expect(lastSaved()).toEqual({
      ...defaultSettings(),
      therapistName: "Dana Reyes",
      credentials: "LMFT",
      address: "12 Elm St\nPortland, OR",
      paperSize: "a4",
    });

    await user.type(screen.getByLabelText("Practice name"), "Elm Street Therapy");
    expect(status).toHaveTextContent("");
  });

  it("saves with Enter from a text field", async () => {
    backend();
    const user = userEvent.setup();
    const { container } = await renderLoaded();
    await user.type(screen.getByLabelText("Email"), "dana@example.org{Enter}");
    await vi.waitFor(() => expect(container.querySelector("#settings-status")).toHaveTextContent("Saved"));
    expect(lastSaved().email).toBe("dana@example.org");
  });

  it("shows what Rust stored, not what was typed", async () => {
    backend((s) => ({ ...s, phone: "(503) 555-0100" }));
    const user = userEvent.setup();
    await renderLoaded();
    await user.type(screen.getByLabelText("Phone", { selector: "#settings-phone" }), "5035550100{Enter}");
    await vi.waitFor(() => expect(screen.getByLabelText("Phone", { selector: "#settings-phone" })).toHaveValue("(503) 555-0100"));
  });

  it("puts Rust's message under the field it names and moves the cursor there", async () => {
    const message = "Enter an email address like name@example.com, or leave it empty.";
    backend(() => {
      throw commandError("invalid_input", message, "email");
    });
    const user = userEvent.setup();
    const { container } = await renderLoaded();

    await user.type(screen.getByLabelText("Email"), "dana at example{Enter}");

    const error = await vi.waitFor(() => {
      const el = container.querySelector('[data-error-for="email"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent(message);
    expect(screen.getByLabelText("Email")).toHaveFocus();
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(message);
    expect(container.querySelector("#settings-status")).toHaveTextContent("");
  });

  it("adds and removes crisis contacts, keeping the other rows as they were", async () => {
    backend();
    const user = userEvent.setup();
    const { container } = await renderLoaded();

    await user.click(screen.getByRole("button", { name: "Add crisis contact" }));
    // The new row's first field takes the cursor so the therapist can type straight away.
    expect(container.querySelectorAll(".crisis-label")[2]).toHaveFocus();
    await user.keyboard("Dr Rivera (on call)");
    await user.type(container.querySelectorAll<HTMLElement>(".crisis-phone")[2]!, "555-0100");

    const first = container.querySelectorAll<HTMLElement>(".crisis-contact")[0]!;
    await user.click(within(first).getByRole("button", { name: /Remove/ }));

    expect(crisisRows(container)).toEqual([
      { label: "Emergency services", phone: "911" },
      { label: "Dr Rivera (on call)", phone: "555-0100" },
    ]);
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await vi.waitFor(() => expect(container.querySelector("#settings-status")).toHaveTextContent("Saved"));
    expect(lastSaved().crisisContacts).toEqual([
      { label: "Emergency services", phone: "911" },
      { label: "Dr Rivera (on call)", phone: "555-0100" },
    ]);
  });

  it("shows an error about one crisis contact under the list", async () => {
    const message = "Each crisis contact needs a phone number.";
    backend(() => {
      throw commandError("invalid_input", message, "crisisContacts[1].phone");
    });
    const user = userEvent.setup();
    const { container } = await renderLoaded();
    await user.click(screen.getByRole("button", { name: "Save settings" }));
    await vi.waitFor(() =>
      expect(container.querySelector('[data-error-for="crisisContacts"]')).toHaveTextContent(message),
    );
  });

  it("offers a retry when the settings cannot be read", async () => {
    let attempts = 0;
    fakeBackend({
      get_settings: () => {
        attempts += 1;
        if (attempts === 1) throw commandError("database", "The vault could not be read.");
        return defaultSettings();
      },
    });
    const user = userEvent.setup();
    render(SettingsForm, {});
    expect(await screen.findByRole("alert")).toHaveTextContent("The vault could not be read.");
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByLabelText("Your name")).toBeInTheDocument();
  });
});
