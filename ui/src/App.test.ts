import { listen } from "@tauri-apps/api/event";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { takePlace } from "./lib/guard";
import { guardUnsaved } from "./lib/unsaved";
import { commandError, defaultSettings, fakeBackend, invokeMock } from "./test/backend";
import { consentStatus, dashboard, session, summary, timeline } from "./test/fixtures";
import { emptyDetails } from "./lib/clientForm";
import type { AppStatus } from "./lib/bindings/AppStatus";
import type { Client } from "./lib/bindings/Client";
import type { ClientDetails } from "./lib/bindings/ClientDetails";
import type { Dashboard } from "./lib/bindings/Dashboard";
import type { PracticeSettings } from "./lib/bindings/PracticeSettings";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const vaultPath = "/home/t/.local/share/kapdesk/vault.kapdesk";

/** A small in-memory stand-in for the Rust side, enough to walk through the app. */
function fakeVault(start: { exists: boolean; unlocked: boolean }) {
  const state = {
    ...start,
    settings: defaultSettings(),
    clients: [] as Client[],
    dashboard: dashboard() as Dashboard,
  };
  const status = (): AppStatus => ({ vaultPath, vaultExists: state.exists, unlocked: state.unlocked, lockedBecause: null, demo: false });
  const requireUnlocked = () => {
    if (!state.unlocked) throw commandError("locked", "The vault is locked. Unlock it to continue.");
  };
  fakeBackend({
    app_status: status,
    assess_passphrase: () => ({ strength: "strong", acceptable: true, hint: "Hard to guess." }),
    create_vault: () => {
      state.exists = true;
      state.unlocked = true;
      return status();
    },
    unlock_vault: ({ passphrase }) => {
      if (passphrase !== "river stones at dawn") throw commandError("wrong_passphrase", "Wrong passphrase.");
      state.unlocked = true;
      return status();
    },
    lock_vault: () => {
      state.unlocked = false;
      return status();
    },
    finish_close: () => {
      state.unlocked = false;
      return null;
    },
    get_settings: () => {
      requireUnlocked();
      return state.settings;
    },
    save_settings: ({ settings }) => {
      requireUnlocked();
      state.settings = settings as PracticeSettings;
      return state.settings;
    },
    vault_info: () => {
      requireUnlocked();
      return { path: vaultPath, schemaVersion: 1, sqlcipherVersion: "4.6.1 community", fileBytes: 98304, tables: [] };
    },
    get_protocol_settings: () => {
      requireUnlocked();
      return { minPreparationSessions: 4, integrationMinDays: 2, integrationMaxDays: 3, recommendedDosings: 6, maxDosingsPerWeek: 2 };
    },
    get_dashboard: () => {
      requireUnlocked();
      return state.dashboard;
    },
    list_clients: () => {
      requireUnlocked();
      return state.clients.map((c) =>
        summary({ id: c.id, displayName: c.displayName, legalName: c.details.legalName, preferredName: c.details.preferredName, status: c.details.status }),
      );
    },
    add_client: ({ details }) => {
      requireUnlocked();
      const d = details as ClientDetails;
      if (d.legalName.trim() === "") throw commandError("invalid_input", "Enter the client's legal name.", "legalName");
      // This fake names clients by their legal name only; the rule for adding a preferred name is Rust's.
      const client: Client = { id: `c-${state.clients.length + 1}`, displayName: d.legalName, details: d, archived: false, createdAt: "", updatedAt: "" };
      state.clients.push(client);
      return client;
    },
    get_timeline: ({ clientId }) => {
      requireUnlocked();
      const client = state.clients.find((c) => c.id === clientId);
      if (!client) throw commandError("not_found", "This client is not in the vault.");
      return timeline({
        client: summary({ id: client.id, displayName: client.displayName, legalName: client.details.legalName }),
        consent: { done: 0, total: 3, signedOn: null, withdrawnOn: null },
      });
    },
    get_client: ({ id }) => {
      requireUnlocked();
      const client = state.clients.find((c) => c.id === id);
      if (!client) throw commandError("not_found", "This client is not in the vault.");
      return client;
    },
    get_consent: () => {
      requireUnlocked();
      return consentStatus();
    },
  });
  return state;
}

function currentScreen(container: HTMLElement) {
  return container.querySelector("[data-screen]")?.getAttribute("data-screen");
}

describe("KAP Desk", () => {
  // The screen kept for after an unlock lives in memory for the app's life: each test starts fresh.
  beforeEach(() => void takePlace());

  it("walks a new therapist from vault creation through practice setup into the app", async () => {
    fakeVault({ exists: false, unlocked: false });
    const user = userEvent.setup();
    const { container } = render(App);

    await vi.waitFor(() => expect(currentScreen(container)).toBe("first-run"));
    await user.type(screen.getByLabelText("Passphrase"), "river stones at dawn");
    await user.type(screen.getByLabelText("Type the passphrase again"), "river stones at dawn");
    await user.click(screen.getByRole("checkbox"));
    await user.click(screen.getByRole("button", { name: "Create vault" }));

    await vi.waitFor(() => expect(currentScreen(container)).toBe("practice-setup"));
    expect(screen.getByText(/You can change these later in Settings/)).toBeInTheDocument();
    await user.type(await screen.findByLabelText("Your name"), "Dana Reyes");
    await user.click(screen.getByRole("button", { name: "Save and continue" }));

    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));
    await user.click(screen.getByRole("button", { name: "Settings" }));
    expect(currentScreen(container)).toBe("settings");
    expect(await screen.findByLabelText("Your name")).toHaveValue("Dana Reyes");
  });

  it("takes the therapist from an empty client list to a new client's timeline and back", async () => {
    fakeVault({ exists: true, unlocked: true });
    const user = userEvent.setup();
    const { container } = render(App);
    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));

    await user.click(screen.getByRole("button", { name: "Clients" }));
    expect(currentScreen(container)).toBe("clients");
    expect(await screen.findByText("No clients yet.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Clients" })).toHaveAttribute("aria-current", "page");

    await user.click(screen.getByRole("button", { name: "Add client" }));
    expect(currentScreen(container)).toBe("client-form");
    await user.click(container.querySelector<HTMLElement>("#save-client")!);
    expect(await screen.findByRole("alert")).toHaveTextContent("Enter the client's legal name.");
    await user.type(screen.getByLabelText("Legal name"), "Jordan Alvarez");
    await user.click(container.querySelector<HTMLElement>("#save-client")!);

    await vi.waitFor(() => expect(currentScreen(container)).toBe("timeline"));
    expect(await screen.findByRole("heading", { level: 1, name: "Jordan Alvarez" })).toBeInTheDocument();
    // The finished form is not a place to go back to.
    await user.click(screen.getByRole("button", { name: "Back to Clients" }));
    expect(currentScreen(container)).toBe("clients");
    expect(await screen.findByRole("button", { name: /Jordan Alvarez/ })).toHaveAttribute("data-client-id", "c-1");
  });

  it("opens a client's timeline from the dashboard and comes back to it", async () => {
    const vault = fakeVault({ exists: true, unlocked: true });
    vault.clients.push({
      id: "c-7",
      displayName: "Maya Chen",
      details: { ...emptyDetails(), legalName: "Maya Chen" },
      archived: false,
      createdAt: "",
      updatedAt: "",
    });
    vault.dashboard = dashboard({
      today: [{ clientId: "c-7", clientName: "Maya Chen", session: session({ id: "s-1", label: "Preparation 2" }) }],
    });
    const user = userEvent.setup();
    const { container } = render(App);
    await user.click(await screen.findByRole("button", { name: /Maya Chen/ }));
    await vi.waitFor(() => expect(currentScreen(container)).toBe("timeline"));
    expect(await screen.findByRole("heading", { level: 1, name: "Maya Chen" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
    await user.click(screen.getByRole("button", { name: "Back to Dashboard" }));
    expect(currentScreen(container)).toBe("dashboard");
  });

  it("opens the consent checklist from a client's timeline and goes back to the timeline", async () => {
    const vault = fakeVault({ exists: true, unlocked: true });
    vault.clients.push({
      id: "c-7",
      displayName: "Maya Chen",
      details: { ...emptyDetails(), legalName: "Maya Chen" },
      archived: false,
      createdAt: "",
      updatedAt: "",
    });
    const user = userEvent.setup();
    const { container } = render(App);
    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));
    await user.click(screen.getByRole("button", { name: "Clients" }));
    await user.click(await screen.findByRole("button", { name: /Maya Chen/ }));
    await vi.waitFor(() => expect(currentScreen(container)).toBe("timeline"));
    expect(await screen.findByText("Informed consent: 0 of 3 items discussed")).toBeInTheDocument();

    await user.click(screen.getByRole("tab", { name: "Consent" }));
    await user.click(screen.getByRole("button", { name: "Open the consent checklist" }));
    expect(currentScreen(container)).toBe("consent");
    expect(await screen.findByRole("heading", { level: 1, name: "Informed consent: Maya Chen" })).toHaveFocus();
    expect(container.querySelectorAll(".consent-item")).toHaveLength(3);
    expect(screen.getByRole("button", { name: "Clients" })).toHaveAttribute("aria-current", "page");

    await user.click(screen.getByRole("button", { name: "Back to the timeline" }));
    expect(currentScreen(container)).toBe("timeline");
    expect(await screen.findByRole("heading", { level: 1, name: "Maya Chen" })).toBeInTheDocument();
    // The chart comes back on the tab it was left on while the client is open...
    expect(screen.getByRole("tab", { name: "Consent" })).toHaveAttribute("aria-selected", "true");
    // ...and opens on its overview once the therapist has left through the nav.
    await user.click(screen.getByRole("button", { name: "Clients" }));
    await user.click(await screen.findByRole("button", { name: /Maya Chen/ }));
    expect(await screen.findByRole("heading", { level: 1, name: "Maya Chen" })).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Overview" })).toHaveAttribute("aria-selected", "true");
  });

  it("locks in one click and leaves nothing from the vault on screen", async () => {
    const vault = fakeVault({ exists: true, unlocked: true });
    vault.settings = { ...defaultSettings(), therapistName: "Dana Reyes" };
    const user = userEvent.setup();
    const { container } = render(App);
    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));
    await user.click(screen.getByRole("button", { name: "Settings" }));
    expect(await screen.findByLabelText("Your name")).toHaveValue("Dana Reyes");

    await user.click(screen.getByRole("button", { name: "Lock" }));

    await vi.waitFor(() => expect(currentScreen(container)).toBe("unlock"));
    expect(vault.unlocked).toBe(false);
    expect(container.innerHTML).not.toContain("Dana Reyes");
    expect(screen.queryByRole("navigation")).toBeNull();
    expect(screen.getByText(vaultPath)).toBeInTheDocument();

    await user.type(screen.getByLabelText("Passphrase"), "river stones at dawn{Enter}");
    // Back where the therapist was, read afresh from the vault.
    await vi.waitFor(() => expect(currentScreen(container)).toBe("settings"));
    expect(await screen.findByLabelText("Your name")).toHaveValue("Dana Reyes");
  });

  it("returns to Unlock when Rust reports the vault locked underneath the app", async () => {
    const vault = fakeVault({ exists: true, unlocked: true });
    const user = userEvent.setup();
    const { container } = render(App);
    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));

    vault.unlocked = false;
    await user.click(screen.getByRole("button", { name: "Settings" }));

    await vi.waitFor(() => expect(currentScreen(container)).toBe("unlock"));
  });

  it("saves and locks when Rust asks (idle), and unlocking brings the therapist back to the same screen", async () => {
    const vault = fakeVault({ exists: true, unlocked: true });
    let requestLock: () => void = () => {};
    vi.mocked(listen).mockImplementation(async (event, handler) => {
      if (event === "lock-requested")
        requestLock = () => handler({ event, id: 1, payload: { reason: "idle" } as never });
      return () => {};
    });
    const lockReasons: unknown[] = [];
    const user = userEvent.setup();
    const { container } = render(App);
    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));
    await user.click(screen.getByRole("button", { name: "Settings" }));
    await vi.waitFor(() => expect(currentScreen(container)).toBe("settings"));

    requestLock();
    await vi.waitFor(() => expect(currentScreen(container)).toBe("unlock"));
    expect(vault.unlocked).toBe(false);
    for (const [command, args] of invokeMock.mock.calls) if (command === "lock_vault") lockReasons.push(args);
    expect(lockReasons).toEqual([{ reason: "idle" }]);

    await user.type(screen.getByLabelText(/passphrase/i), "river stones at dawn");
    await user.click(screen.getByRole("button", { name: /unlock/i }));
    await vi.waitFor(() => expect(currentScreen(container)).toBe("settings"));
  });

  it("shows why it cannot start, with a way to try again", async () => {
    let calls = 0;
    fakeBackend({
      app_status: () => {
        calls += 1;
        if (calls === 1) throw "KAP Desk could not find its data folder.";
        return { vaultPath, vaultExists: true, unlocked: false, lockedBecause: null };
      },
    });
    const user = userEvent.setup();
    const { container } = render(App);
    expect(await screen.findByRole("alert")).toHaveTextContent("KAP Desk could not find its data folder.");
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await vi.waitFor(() => expect(currentScreen(container)).toBe("unlock"));
  });

  it("saves what is typed before letting Rust close the window, and stops listening when gone", async () => {
    fakeVault({ exists: true, unlocked: true });
    const unlisten = vi.fn();
    let requestClose: () => void = () => {};
    vi.mocked(listen).mockImplementation(async (event, handler) => {
      if (event === "close-requested") requestClose = () => handler({ event, id: 1, payload: undefined as never });
      return unlisten;
    });
    const { container, unmount } = render(App);
    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));
    expect(listen).toHaveBeenCalledWith("close-requested", expect.any(Function));

    const order: string[] = [];
    const release = guardUnsaved(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push("flushed");
      return true;
    });
    invokeMock.mockClear();
    requestClose();
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith("finish_close", undefined));
    expect(order).toEqual(["flushed"]);
    release();

    unmount();
    // Every event listened to (closing, locks, backups) is let go.
    expect(unlisten).toHaveBeenCalledTimes(vi.mocked(listen).mock.calls.length);
  });
});
