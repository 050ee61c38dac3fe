import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import FirstRun from "./FirstRun.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import type { PassphraseAssessment } from "../lib/bindings/PassphraseAssessment";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const created = { vaultPath: "/v/vault.kapdesk", vaultExists: true, unlocked: true, lockedBecause: null, demo: false };

function backend(overrides: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  fakeBackend({
    assess_passphrase: ({ passphrase }): PassphraseAssessment =>
      String(passphrase).length < 12
        ? { strength: "too_short", acceptable: false, hint: "Use at least 12 characters." }
        : { strength: "strong", acceptable: true, hint: "A long phrase like this is hard to guess." },
    create_vault: () => created,
    ...overrides,
  });
}

function createButton() {
  return screen.getByRole("button", { name: "Create vault" });
}

describe("first run", () => {
  it("creates nothing until both fields are filled and the warning is acknowledged", async () => {
    backend();
    const user = userEvent.setup();
    render(FirstRun, { onCreated: vi.fn(), onDemo: vi.fn() });

    expect(createButton()).toBeDisabled();
    await user.type(screen.getByLabelText("Passphrase"), "river stones at dawn");
    expect(createButton()).toBeDisabled();
    await user.type(screen.getByLabelText("Type the passphrase again"), "river stones at dawn");
    expect(createButton()).toBeDisabled();
    await user.keyboard("{Enter}");

    expect(invokeMock).not.toHaveBeenCalledWith("create_vault", expect.anything());
    await user.click(screen.getByLabelText(/nobody can recover my records — not even KAP Desk/));
    expect(createButton()).toBeEnabled();
  });

  it("can be completed from the keyboard in a sensible order", async () => {
    backend();
    const onCreated = vi.fn();
    const user = userEvent.setup();
    render(FirstRun, { onCreated, onDemo: vi.fn() });

    expect(screen.getByLabelText("Passphrase")).toHaveFocus();
    await user.keyboard("river stones at dawn");
    await user.tab();
    // The strength meter sits between the fields but must not take a tab stop.
    expect(screen.getByLabelText("Type the passphrase again")).toHaveFocus();
    await user.keyboard("river stones at dawn");
    await user.tab();
    expect(screen.getByRole("checkbox")).toHaveFocus();
    await user.keyboard(" ");
    expect(screen.getByRole("checkbox")).toBeChecked();
    await user.tab({ shift: true });
    await user.keyboard("{Enter}");

    expect(invokeMock).toHaveBeenCalledWith("create_vault", {
      passphrase: "river stones at dawn",
      confirmation: "river stones at dawn",
      acknowledged: true,
    });
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
  });

  it("shows Rust's strength hint and a labelled strength as the therapist types", async () => {
    backend();
    const user = userEvent.setup();
    const { container } = render(FirstRun, { onCreated: vi.fn(), onDemo: vi.fn() });

    await user.type(screen.getByLabelText("Passphrase"), "short");
    await vi.waitFor(() => expect(container.querySelector("#strength-hint")).toHaveTextContent("Use at least 12 characters."));
    expect(screen.getByText(/Strength: Too short/)).toBeInTheDocument();

    await user.type(screen.getByLabelText("Passphrase"), " and now much longer");
    await vi.waitFor(() =>
      expect(container.querySelector("#strength-hint")).toHaveTextContent("A long phrase like this is hard to guess."),
    );
    expect(screen.getByText(/Strength: Strong/)).toBeInTheDocument();
  });

  it("shows Rust's refusal next to the field it is about, in its own words", async () => {
    const message = "The two passphrases are different. Type the same passphrase twice.";
    backend({
      create_vault: () => {
        throw commandError("passphrase_mismatch", message, "confirmation");
      },
    });
    const onCreated = vi.fn();
    const user = userEvent.setup();
    const { container } = render(FirstRun, { onCreated, onDemo: vi.fn() });

    await user.type(screen.getByLabelText("Passphrase"), "river stones at dawn");
    await user.type(screen.getByLabelText("Type the passphrase again"), "river stones at dusk");
    await user.click(screen.getByRole("checkbox"));
    await user.click(createButton());

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(message);
    expect(alert).toBe(container.querySelector('[data-error-for="confirmation"]'));
    expect(screen.getByLabelText("Type the passphrase again")).toHaveFocus();
    expect(screen.getByLabelText("Type the passphrase again")).toHaveAttribute("aria-invalid", "true");
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("shows an error with no field above the Create button", async () => {
    backend({
      create_vault: () => {
        throw commandError("io", "KAP Desk cannot write to /home/t/.local/share/kapdesk.");
      },
    });
    const user = userEvent.setup();
    const { container } = render(FirstRun, { onCreated: vi.fn(), onDemo: vi.fn() });

    await user.type(screen.getByLabelText("Passphrase"), "river stones at dawn");
    await user.type(screen.getByLabelText("Type the passphrase again"), "river stones at dawn");
    await user.click(screen.getByRole("checkbox"));
    await user.click(createButton());

    expect(await screen.findByRole("alert")).toHaveTextContent("KAP Desk cannot write to /home/t/.local/share/kapdesk.");
    expect(container.querySelector("#create-error")).toBeInTheDocument();
  });

  it("opens the demo practice without creating the vault, and says why it could not", async () => {
    const demo = { vaultPath: "/v/vault.kapdesk", vaultExists: false, unlocked: true, lockedBecause: null, demo: true };
    backend({ open_demo_practice: () => demo });
    const user = userEvent.setup();
    const onDemo = vi.fn();
    const onCreated = vi.fn();
    render(FirstRun, { onCreated, onDemo });
    await user.click(screen.getByRole("button", { name: "Explore a demo practice" }));
    await vi.waitFor(() => expect(onDemo).toHaveBeenCalledWith(demo));
    expect(onCreated).not.toHaveBeenCalled();
    expect(invokeMock).not.toHaveBeenCalledWith("create_vault", expect.anything());
  });

  it("shows Rust's sentence when the demo cannot be written", async () => {
    backend({
      open_demo_practice: () => {
        throw commandError("io", "The demo practice could not be written: the disk is full.");
      },
    });
    const user = userEvent.setup();
    render(FirstRun, { onCreated: vi.fn(), onDemo: vi.fn() });
    await user.click(screen.getByRole("button", { name: "Explore a demo practice" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("the disk is full");
    expect(screen.getByRole("button", { name: "Explore a demo practice" })).toBeEnabled();
  });
});
