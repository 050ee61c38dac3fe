import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import Unlock from "./Unlock.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const vaultPath = "/home/t/.local/share/kapdesk/vault.kapdesk";
const WRONG = "That passphrase does not open this vault. Check Caps Lock and try again.";

describe("unlock", () => {
  it("shows where the vault is and no error before the first attempt", () => {
    const { container } = render(Unlock, { vaultPath, onUnlocked: vi.fn() });
    expect(screen.getByText(vaultPath)).toBeInTheDocument();
    expect(container.querySelector("#unlock-error")).toBeNull();
    expect(screen.getByLabelText("Passphrase")).toHaveFocus();
  });

  it("says why the vault locked by itself, in Rust's sentence, and nothing after a chosen lock", () => {
    const why = "KAP Desk locked itself after 10 minutes without a key press or click. What you had typed was saved; unlock to carry on where you were.";
    const { container, unmount } = render(Unlock, { vaultPath, lockedBecause: why, onUnlocked: vi.fn() });
    expect(container.querySelector("#locked-because")).toHaveTextContent(why);
    unmount();
    const chosen = render(Unlock, { vaultPath, lockedBecause: null, onUnlocked: vi.fn() });
    expect(chosen.container.querySelector("#locked-because")).toBeNull();
  });

  it("after a wrong passphrase shows Rust's message, clears the field and puts the cursor back", async () => {
    fakeBackend({
      unlock_vault: () => {
        throw commandError("wrong_passphrase", WRONG);
      },
    });
    const onUnlocked = vi.fn();
    const user = userEvent.setup();
    const { container } = render(Unlock, { vaultPath, onUnlocked });

    await user.type(screen.getByLabelText("Passphrase"), "not my passphrase{Enter}");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(WRONG);
    expect(alert).toBe(container.querySelector("#unlock-error"));
    expect(screen.getByLabelText("Passphrase")).toHaveValue("");
    expect(screen.getByLabelText("Passphrase")).toHaveFocus();
    expect(container.textContent).not.toContain("not my passphrase");
    expect(onUnlocked).not.toHaveBeenCalled();
  });

  it("unlocks with the passphrase typed", async () => {
    const status = { vaultPath, vaultExists: true, unlocked: true, lockedBecause: null, demo: false };
    fakeBackend({ unlock_vault: () => status });
    const onUnlocked = vi.fn();
    const user = userEvent.setup();
    render(Unlock, { vaultPath, onUnlocked });

    await user.type(screen.getByLabelText("Passphrase"), "river stones at dawn");
    await user.click(screen.getByRole("button", { name: "Unlock" }));

    expect(invokeMock).toHaveBeenCalledWith("unlock_vault", { passphrase: "river stones at dawn" });
    await vi.waitFor(() => expect(onUnlocked).toHaveBeenCalledWith(status));
  });
});
