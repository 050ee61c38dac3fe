import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import ClientForm from "./ClientForm.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { emptyDetails } from "../lib/clientForm";
import type { Client } from "../lib/bindings/Client";
import type { ClientDetails } from "../lib/bindings/ClientDetails";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function stored(details: Partial<ClientDetails> = {}, archived = false): Client {
  return {
    id: "c-1",
    // Rust's name for the client as stored; the form's heading uses it.
    displayName: "Jordan Alvarez (Jo)",
    details: { ...emptyDetails(), legalName: "Jordan Alvarez", preferredName: "Jo", status: "preparation", ...details },
    archived,
    createdAt: "2026-11-02T17:00:00Z",
    updatedAt: "2026-11-02T17:00:00Z",
  };
}

function calls(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, args]) => args as Record<string, unknown>);
}

function q<T extends Element = HTMLElement>(container: HTMLElement, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

describe("adding a client", () => {
  it("groups the fields and saves everything typed, then hands over the saved client", async () => {
    const saved = stored();
    fakeBackend({ add_client: () => saved });
    const onSaved = vi.fn();
    const user = userEvent.setup();
    const { container } = render(ClientForm, { clientId: null, onSaved, onDeleted: vi.fn() });

    expect(q(container, '[data-screen="client-form"]')).toBeInTheDocument();
    const legends = [...container.querySelectorAll("legend")].map((l) => l.textContent);
    expect(legends).toEqual([
      "Identity",
      "Contact",
      "Emergency contact",
      "Ride home after dosing",
      "Partner medical team",
      "Referral & concerns",
    ]);
    expect(container.querySelector("#archive-client")).toBeNull();
    expect(container.querySelector("#delete-client")).toBeNull();

    await user.type(q(container, "#client-legalName"), "Jordan Alvarez");
    await user.type(q(container, "#client-preferredName"), "Jo");
    await user.type(q(container, "#client-pronouns"), "they/them");
    await user.type(q(container, "#client-dateOfBirth"), "1988-04-12");
    await user.type(q(container, "#client-phone"), "503-555-0142");
    await user.type(q(container, "#client-email"), "jo@example.org");
    await user.type(q(container, "#client-address"), "12 Elm St{Enter}Portland, OR");
    await user.type(q(container, "#client-emergency-name"), "Ana Alvarez");
    await user.type(q(container, "#client-emergency-relation"), "Sister");
    await user.type(q(container, "#client-emergency-phone"), "503-555-0199");
    await user.type(q(container, "#client-ride-name"), "Sam Ortiz");
    await user.type(q(container, "#client-ride-phone"), "503-555-0177");
    await user.type(q(container, "#client-prescriber-name"), "Dr. Priya Nair");
    await user.type(q(container, "#client-prescriber-organisation"), "Cascade Psychiatry");
    await user.type(q(container, "#client-prescriber-phone"), "503-555-0100");
    await user.type(q(container, "#client-referralSource"), "Dr. Nair");
    await user.type(q(container, "#client-presentingConcerns"), "Treatment-resistant depression");
    await user.selectOptions(q(container, "#client-status"), "Preparation");
    await user.click(q(container, "#save-client"));

    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
    expect(calls("add_client")).toEqual([
      {
        details: {
          legalName: "Jordan Alvarez",
          preferredName: "Jo",
          pronouns: "they/them",
          dateOfBirth: "1988-04-12",
          phone: "503-555-0142",
          email: "jo@example.org",
          address: "12 Elm St\nPortland, OR",
          emergencyContact: { name: "Ana Alvarez", relation: "Sister", phone: "503-555-0199" },
          rideHome: { name: "Sam Ortiz", phone: "503-555-0177" },
          prescriber: { name: "Dr. Priya Nair", organisation: "Cascade Psychiatry", phone: "503-555-0100" },
          referralSource: "Dr. Nair",
          presentingConcerns: "Treatment-resistant depression",
          status: "preparation",
        },
      },
    ]);
  });

  it("shows Rust's refusal under the field it names and puts the cursor there", async () => {
    fakeBackend({
      add_client: () => {
        throw commandError("invalid_input", "February 2026 has no day 30.", "dateOfBirth");
      },
    });
    const onSaved = vi.fn();
    const user = userEvent.setup();
    const { container } = render(ClientForm, { clientId: null, onSaved, onDeleted: vi.fn() });
    await user.type(q(container, "#client-legalName"), "Jordan Alvarez");
    await user.click(q(container, "#save-client"));

    const error = await vi.waitFor(() => q(container, '[data-error-for="dateOfBirth"]'));
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent("February 2026 has no day 30.");
    expect(q(container, "#client-dateOfBirth")).toHaveFocus();
    expect(q(container, "#client-dateOfBirth")).toHaveAccessibleDescription("February 2026 has no day 30.");
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("shows an error about a group under that group", async () => {
    const message = "The ride-home person needs both a name and a phone number.";
    fakeBackend({
      add_client: () => {
        throw commandError("invalid_input", message, "rideHome");
      },
    });
    const user = userEvent.setup();
    const { container } = render(ClientForm, { clientId: null, onSaved: vi.fn(), onDeleted: vi.fn() });
    await user.type(q(container, "#client-legalName"), "Jordan Alvarez");
    await user.type(q(container, "#client-ride-name"), "Sam Ortiz");
    await user.click(q(container, "#save-client"));
    const error = await vi.waitFor(() => q(container, '[data-error-for="rideHome"]'));
    expect(error).toHaveTextContent(message);
    expect(error.closest("fieldset")).toHaveTextContent("Ride home after dosing");
    expect(q(container, "#client-ride-name")).toHaveFocus();
  });
});

describe("editing a client", () => {
  it("loads the stored record and saves changes to it", async () => {
    fakeBackend({
      get_client: () => stored({ email: "jo@example.org" }),
      update_client: ({ details }) => ({ ...stored(), details: details as ClientDetails }),
    });
    const onSaved = vi.fn();
    const user = userEvent.setup();
    const { container } = render(ClientForm, { clientId: "c-1", onSaved, onDeleted: vi.fn() });
    expect(await screen.findByRole("heading", { name: "Edit Jordan Alvarez (Jo)" })).toBeInTheDocument();
    expect(q(container, "#client-email")).toHaveValue("jo@example.org");

    await user.clear(q(container, "#client-email"));
    await user.type(q(container, "#client-email"), "jordan@example.org");
    await user.click(q(container, "#save-client"));

    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls("get_client")).toEqual([{ id: "c-1" }]);
    const sent = calls("update_client")[0] as { id: string; details: ClientDetails };
    expect(sent.id).toBe("c-1");
    expect(sent.details.email).toBe("jordan@example.org");
    expect(sent.details.legalName).toBe("Jordan Alvarez");
  });

  it("archives and restores, saying what archiving means", async () => {
    fakeBackend({
      get_client: () => stored(),
      archive_client: () => stored({}, true),
      restore_client: () => stored({}, false),
    });
    const user = userEvent.setup();
    const { container } = render(ClientForm, { clientId: "c-1", onSaved: vi.fn(), onDeleted: vi.fn() });
    await user.click(await vi.waitFor(() => q(container, "#archive-client")));
    await vi.waitFor(() => expect(q(container, "#client-archive-status")).toHaveTextContent("Archived."));
    expect(calls("archive_client")).toEqual([{ id: "c-1" }]);
    expect(q(container, "#client-archived-notice")).toBeInTheDocument();
    expect(q(container, "#restore-client")).toHaveFocus();

    await user.click(q(container, "#restore-client"));
    await vi.waitFor(() => expect(q(container, "#client-archive-status")).toHaveTextContent("Restored."));
    expect(calls("restore_client")).toEqual([{ id: "c-1" }]);
    expect(container.querySelector("#client-archived-notice")).toBeNull();
  });

  it("deletes permanently only after the legal name and the passphrase, and explains records are normally kept", async () => {
    fakeBackend({
      get_client: () => stored(),
      delete_client_permanently: ({ confirmName, passphrase }) => {
        if (confirmName !== "Jordan Alvarez") {
          throw commandError("invalid_input", "Type the legal name exactly as recorded: Jordan Alvarez.", "confirmName");
        }
        if (passphrase !== "correct horse battery") {
          throw commandError("invalid_input", "That is not the vault's passphrase. Nothing was deleted.", "passphrase");
        }
        return null;
      },
    });
    const onDeleted = vi.fn();
    const user = userEvent.setup();
    const { container } = render(ClientForm, { clientId: "c-1", onSaved: vi.fn(), onDeleted });
    const open = await vi.waitFor(() => q(container, "#delete-client"));
    expect(container).toHaveTextContent("Clinical records must normally be kept for years");
    expect(container.querySelector("#delete-confirm")).toBeNull();

    await user.click(open);
    expect(open).toHaveAttribute("aria-expanded", "true");
    expect(q(container, "#delete-confirm-name")).toHaveFocus();
    expect(q(container, "#delete-confirm")).toBeDisabled();

    await user.type(q(container, "#delete-confirm-name"), "jordan alvarez");
    expect(q(container, "#delete-confirm"), "the passphrase is needed too").toBeDisabled();
    await user.type(q(container, "#delete-passphrase"), "correct horse battery");
    await user.click(q(container, "#delete-confirm"));
    const error = await vi.waitFor(() => q(container, '[data-error-for="confirmName"]'));
    expect(error).toHaveTextContent("Type the legal name exactly as recorded: Jordan Alvarez.");
    expect(onDeleted).not.toHaveBeenCalled();

    // A wrong passphrase is said under the passphrase, which is emptied and focused.
    await user.clear(q(container, "#delete-confirm-name"));
    await user.type(q(container, "#delete-confirm-name"), "Jordan Alvarez");
    await user.type(q(container, "#delete-passphrase"), "a guess");
    await user.click(q(container, "#delete-confirm"));
    const wrong = await vi.waitFor(() => q(container, '[data-error-for="passphrase"]'));
    expect(wrong).toHaveTextContent("That is not the vault's passphrase. Nothing was deleted.");
    expect(q(container, "#delete-passphrase")).toHaveValue("");
    expect(q(container, "#delete-passphrase")).toHaveFocus();
    expect(onDeleted).not.toHaveBeenCalled();

    await user.type(q(container, "#delete-passphrase"), "correct horse battery");
    await user.click(q(container, "#delete-confirm"));
    await vi.waitFor(() => expect(onDeleted).toHaveBeenCalledWith("Jordan Alvarez"));
    expect(calls("delete_client_permanently").at(-1)).toEqual({
      id: "c-1",
      confirmName: "Jordan Alvarez",
      passphrase: "correct horse battery",
    });
  });
});
