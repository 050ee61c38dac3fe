import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { commandError, defaultSettings, fakeBackend } from "./test/backend";
import type { AppStatus } from "./lib/bindings/AppStatus";
import type { PracticeSettings } from "./lib/bindings/PracticeSettings";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const vaultPath = "/home/t/.local/share/kapdesk/vault.kapdesk";

/** A small in-memory stand-in for the Rust side, enough to walk through the app. */
function fakeVault(start: { exists: boolean; unlocked: boolean }) {
  const state = { ...start, settings: defaultSettings() };
  const status = (): AppStatus => ({ vaultPath, vaultExists: state.exists, unlocked: state.unlocked });
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
  });
  return state;
}

function currentScreen(container: HTMLElement) {
  return container.querySelector("[data-screen]")?.getAttribute("data-screen");
}

describe("KAP Desk", () => {
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

  it("tells the truth about what is not built yet", async () => {
    fakeVault({ exists: true, unlocked: true });
    const user = userEvent.setup();
    const { container } = render(App);
    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));

    await user.click(screen.getByRole("button", { name: "Clients" }));
    expect(currentScreen(container)).toBe("clients");
    expect(screen.getByText("No clients yet.")).toBeInTheDocument();
    expect(screen.getByText(/arrive in the next release/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Clients" })).toHaveAttribute("aria-current", "page");
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
    await vi.waitFor(() => expect(currentScreen(container)).toBe("dashboard"));
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

  it("shows why it cannot start, with a way to try again", async () => {
    let calls = 0;
    fakeBackend({
      app_status: () => {
        calls += 1;
        if (calls === 1) throw "KAP Desk could not find its data folder.";
        return { vaultPath, vaultExists: true, unlocked: false };
      },
    });
    const user = userEvent.setup();
    const { container } = render(App);
    expect(await screen.findByRole("alert")).toHaveTextContent("KAP Desk could not find its data folder.");
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await vi.waitFor(() => expect(currentScreen(container)).toBe("unlock"));
  });
});
