import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import ConsentChecklist from "./ConsentChecklist.svelte";
import { commandError, defaultSettings, fakeBackend, invokeMock } from "../test/backend";
import { consentItem, consentStatus } from "../test/fixtures";
import { emptyDetails } from "../lib/clientForm";
import type { Client } from "../lib/bindings/Client";
import type { ConsentItemStatus } from "../lib/bindings/ConsentItemStatus";
import type { ConsentItemUpdate } from "../lib/bindings/ConsentItemUpdate";
import type { ConsentSignature } from "../lib/bindings/ConsentSignature";
import type { ConsentStatus } from "../lib/bindings/ConsentStatus";
import type { ConsentWithdrawal } from "../lib/bindings/ConsentWithdrawal";
import type { SignConsent } from "../lib/bindings/SignConsent";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const client: Client = {
  id: "c-1",
  displayName: "Jordan Alvarez (Jo)",
  details: { ...emptyDetails(), legalName: "Jordan Alvarez", preferredName: "Jo" },
  archived: false,
  createdAt: "",
  updatedAt: "",
};

type Handlers = Parameters<typeof fakeBackend>[0];

/**
 * Enough of Rust's consent rules to walk through the screen: an item is done when
 * discussed (and initialled where asked), and signing is refused until all are done.
 */
function fakeConsent(items: ConsentItemStatus[], extra: Handlers = {}) {
  const state = {
    items,
    signature: null as ConsentSignature | null,
    withdrawal: null as ConsentWithdrawal | null,
  };
  const status = (): ConsentStatus =>
    consentStatus({ items: state.items, signature: state.signature, withdrawal: state.withdrawal, locked: state.signature !== null });
  fakeBackend({
    get_client: () => client,
    get_settings: () => ({ ...defaultSettings(), therapistName: "Dana Reyes" }),
    get_consent: status,
    update_consent_item: ({ update }) => {
      const u = update as ConsentItemUpdate;
      state.items = state.items.map((item) => {
        if (item.id !== u.itemId) return item;
        const initialled = u.initialled && u.discussedOn !== null;
        const done = u.discussedOn !== null && (initialled || !item.initialsRequired);
        return { ...item, discussedOn: u.discussedOn, sessionId: u.sessionId, initialled, note: u.note.trim(), done };
      });
      return status();
    },
    sign_consent: ({ sign }) => {
      const missing = state.items.filter((item) => !item.done).map((item) => item.title);
      if (missing.length > 0) {
        throw commandError(
          "invalid_input",
          `${missing.length} of ${state.items.length} items are not yet discussed and initialled: ${missing.join("; ")}.`,
          "consent",
        );
      }
      const s = sign as SignConsent;
      state.signature = { signedOn: s.signedOn, method: s.method, attestedBy: s.attestedBy };
      return status();
    },
    withdraw_consent: ({ withdrawnOn, note }) => {
      state.withdrawal = { withdrawnOn: withdrawnOn as string, note: note as string };
      return status();
    },
    start_new_consent: () => {
      state.signature = null;
      state.withdrawal = null;
      state.items = state.items.map((item) => ({ ...item, discussedOn: null, initialled: false, done: false }));
      return status();
    },
    ...extra,
  });
  return state;
}

function calls(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, args]) => args as Record<string, unknown>);
}

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

function item(container: HTMLElement, id: string): HTMLElement {
  return q(container, `.consent-item[data-item-id="${id}"]`);
}

async function renderChecklist() {
  const view = render(ConsentChecklist, { clientId: "c-1" });
  await screen.findByRole("heading", { level: 1, name: /Jordan Alvarez/ });
  return view;
}

const done = (overrides: Partial<ConsentItemStatus> = {}) =>
  consentItem({ discussedOn: "2026-11-20", initialled: true, done: true, ...overrides });

const DISCUSSED = done({ id: "roles", title: "Who does what", initialsRequired: false, initialled: false });
const NOT_INITIALLED = consentItem({
  id: "benefits",
  title: "Possible benefits and honest limits",
  discussedOn: "2026-11-20",
  initialled: false,
  done: false,
});
const RISKS = consentItem({ id: "risks", section: "Safety, risks and side effects", title: "Risks and side effects" });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("the consent checklist", () => {
  it("shows the client, the document and where each item stands", async () => {
    fakeConsent([done(), DISCUSSED, NOT_INITIALLED, RISKS]);
    const { container } = await renderChecklist();
    expect(calls("get_consent")).toEqual([{ clientId: "c-1" }]);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Jordan Alvarez (Jo)");
    expect(container).toHaveTextContent("Informed Consent for Ketamine-Assisted Psychotherapy, version 1");
    expect(q(container, "#consent-progress")).toHaveTextContent("2 of 4 items done");
    expect(q<HTMLProgressElement>(container, "#consent-progress progress").value).toBe(2);

    const items = [...container.querySelectorAll<HTMLElement>(".consent-item")];
    expect(items.map((el) => [el.dataset.itemId, el.dataset.done, q(el, ".consent-item-state").textContent])).toEqual([
      ["nature-of-treatment", "true", "Done"],
      ["roles", "true", "Done"],
      ["benefits", "false", "Discussed, not initialled"],
      ["risks", "false", "Not yet discussed"],
    ]);

    // Grouped under the section headings Rust sent.
    const sections = [...container.querySelectorAll<HTMLElement>(".consent-section")];
    expect(sections.map((s) => s.querySelector("h2")?.textContent)).toEqual(["About the treatment", "Safety, risks and side effects"]);
    expect(sections[1]!.querySelectorAll(".consent-item")).toHaveLength(1);

    // The full text is there to read, folded away until asked for.
    const details = q<HTMLDetailsElement>(item(container, "risks"), "details");
    expect(details.open).toBe(false);
    expect(q(details, "summary")).toHaveTextContent("Read the full text");
    expect(details).toHaveTextContent("combines talk therapy with a medicine called ketamine");

    // Initials are asked for only where the item requires them.
    expect(item(container, "roles").querySelector(".consent-initialled")).toBeNull();
    expect(item(container, "risks").querySelector(".consent-initialled")).not.toBeNull();
    expect(q(item(container, "benefits"), ".consent-discussed-on")).toHaveValue("2026-11-20");
    expect(q(item(container, "benefits"), ".consent-initialled")).not.toBeChecked();
  });

  it("marks an item discussed today on the laptop's calendar, not UTC's, keeping the note", async () => {
    vi.stubEnv("TZ", "America/Los_Angeles");
    fakeConsent([RISKS, DISCUSSED]);
    const user = userEvent.setup();
    const { container } = await renderChecklist();
    // 23:30 on 3 Dec in Portland is already 4 Dec in UTC.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(2026, 11, 3, 23, 30));
    expect(new Date().toISOString().slice(0, 10)).toBe("2026-12-04");

    const risks = item(container, "risks");
    await user.type(q(risks, ".consent-note"), "Asked about blood pressure");
    await user.click(within(risks).getByRole("button", { name: "Discussed today, initialled" }));

    await vi.waitFor(() => expect(calls("update_consent_item")).toHaveLength(1));
    expect(calls("update_consent_item")[0]).toEqual({
      clientId: "c-1",
      update: { itemId: "risks", discussedOn: "2026-12-03", sessionId: null, initialled: true, note: "Asked about blood pressure" },
    });

    // Re-rendered from what Rust returned.
    await vi.waitFor(() => expect(item(container, "risks")).toHaveAttribute("data-done", "true"));
    expect(q(item(container, "risks"), ".consent-item-state")).toHaveTextContent("Done");
    expect(q(item(container, "risks"), ".consent-discussed-on")).toHaveValue("2026-12-03");
    expect(q(item(container, "risks"), ".consent-initialled")).toBeChecked();
    expect(q(container, "#consent-progress")).toHaveTextContent("2 of 2 items done");
  });

  it("saves the fields as edited, and keeps unsaved edits in other items", async () => {
    fakeConsent([RISKS, NOT_INITIALLED]);
    const user = userEvent.setup();
    const { container } = await renderChecklist();
    // Half-typed note on one item...
    await user.type(q(item(container, "risks"), ".consent-note"), "To finish next time");
    // ...while another is saved.
    const benefits = item(container, "benefits");
    await user.click(q(benefits, ".consent-initialled"));
    await user.click(q(benefits, ".consent-save-item"));

    await vi.waitFor(() => expect(item(container, "benefits")).toHaveAttribute("data-done", "true"));
    expect(calls("update_consent_item")).toEqual([
      {
        clientId: "c-1",
        update: { itemId: "benefits", discussedOn: "2026-11-20", sessionId: null, initialled: true, note: "" },
      },
    ]);
    expect(q(item(container, "benefits"), ".consent-item-state")).toHaveTextContent("Done");
    expect(q(item(container, "benefits"), ".consent-item-status")).toHaveTextContent("Saved.");
    expect(q(item(container, "risks"), ".consent-note")).toHaveValue("To finish next time");
  });

  it("sends an emptied date as not discussed, and shows Rust's refusal under the date", async () => {
    fakeConsent([NOT_INITIALLED], {
      update_consent_item: ({ update }) => {
        if ((update as ConsentItemUpdate).discussedOn === null) return consentStatus({ items: [{ ...NOT_INITIALLED, discussedOn: null }] });
        throw commandError("invalid_input", "That date is in the future.", "discussedOn");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderChecklist();
    const date = q<HTMLInputElement>(item(container, "benefits"), ".consent-discussed-on");
    await user.clear(date);
    await user.click(q(item(container, "benefits"), ".consent-save-item"));
    await vi.waitFor(() => expect(calls("update_consent_item")).toHaveLength(1));
    expect((calls("update_consent_item")[0]!.update as ConsentItemUpdate).discussedOn).toBeNull();
    await vi.waitFor(() => expect(q(item(container, "benefits"), ".consent-item-state")).toHaveTextContent("Not yet discussed"));

    await user.type(q(item(container, "benefits"), ".consent-discussed-on"), "2027-01-05");
    await user.click(q(item(container, "benefits"), ".consent-save-item"));
    const error = await vi.waitFor(() => q(item(container, "benefits"), '[data-error-for="discussedOn"]'));
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent("That date is in the future.");
    expect(q(item(container, "benefits"), ".consent-discussed-on")).toHaveFocus();
  });

  it("shows Rust's refusal to sign an incomplete checklist, then locks the record once signed", async () => {
    const state = fakeConsent([done(), RISKS]);
    const user = userEvent.setup();
    const { container } = await renderChecklist();
    const sign = q(container, "#consent-sign");
    expect(q(sign, "#consent-attestedBy")).toHaveValue("Dana Reyes");
    expect(q(sign, "#consent-method-paper")).toHaveAccessibleName("Wet signature on the printed packet");
    expect(q(sign, "#consent-method-screen")).toHaveAccessibleName("Signed on screen");
    expect(q(sign, "#consent-attestedBy")).toHaveAccessibleDescription(/you attest that you discussed each item/);

    await user.clear(q(sign, "#consent-signedOn"));
    await user.type(q(sign, "#consent-signedOn"), "2026-12-03");
    await user.click(q(sign, "#consent-sign-submit"));
    // Signing cannot be taken back: it asks first.
    expect(q(sign, "#consent-sign-submit-question")).toHaveTextContent("Once signed it cannot be corrected");
    expect(calls("sign_consent")).toEqual([]);
    await user.click(q(sign, "#consent-sign-submit-confirm"));
    const error = await vi.waitFor(() => q(container, "#consent-error"));
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent("1 of 2 items are not yet discussed and initialled: Risks and side effects.");
    expect(container.querySelector("#consent-locked")).toBeNull();

    state.items = [done(), done({ id: "risks", section: "Safety, risks and side effects", title: "Risks and side effects" })];
    await user.click(q(sign, "#consent-method-screen"));
    await user.click(q(sign, "#consent-sign-submit"));
    await user.click(q(sign, "#consent-sign-submit-confirm"));

    const locked = await vi.waitFor(() => q(container, "#consent-locked"));
    expect(calls("sign_consent").at(-1)).toEqual({
      clientId: "c-1",
      sign: { signedOn: "2026-12-03", method: "screen", attestedBy: "Dana Reyes" },
    });
    expect(locked).toHaveTextContent(
      "Signed on Thu 3 Dec 2026 (signed on screen), attested by Dana Reyes. This record is locked; corrections are not possible — a withdrawal is recorded as a dated event.",
    );
    expect(locked).toHaveFocus();
    expect(container.querySelector("#consent-sign")).toBeNull();
    expect(container.querySelector("#consent-error")).toBeNull();
    // Read-only: no way to change an item of a signed record.
    const items = q(container, "#consent-items");
    expect(items.querySelectorAll("input, textarea, select, button")).toHaveLength(0);
    expect(item(container, "risks")).toHaveTextContent("Discussed on Fri 20 Nov 2026; initialled.");
  });

  it("puts a signing error under the field Rust names", async () => {
    fakeConsent([done()], {
      get_settings: () => defaultSettings(),
      sign_consent: () => {
        throw commandError("invalid_input", "Enter the therapist's name for the attestation.", "attestedBy");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderChecklist();
    await user.click(q(container, "#consent-sign-submit"));
    await user.click(q(container, "#consent-sign-submit-confirm"));
    const error = await vi.waitFor(() => q(container, '[data-error-for="attestedBy"]'));
    expect(error).toHaveTextContent("Enter the therapist's name for the attestation.");
    expect(q(container, "#consent-attestedBy")).toHaveFocus();
  });

  it("records a withdrawal beside the signed record", async () => {
    const state = fakeConsent([done()]);
    state.signature = { signedOn: "2026-12-03", method: "paper", attestedBy: "Dana Reyes" };
    const user = userEvent.setup();
    const { container } = await renderChecklist();
    expect(q(container, "#consent-locked")).toHaveTextContent("(wet signature on the printed packet)");
    expect(container.querySelector("#consent-sign")).toBeNull();

    await user.clear(q(container, "#consent-withdrawnOn"));
    await user.type(q(container, "#consent-withdrawnOn"), "2026-12-20");
    await user.type(q(container, "#consent-withdraw-note"), "Told me by phone.");
    await user.click(q(container, "#consent-withdraw-submit"));
    expect(q(container, "#consent-withdraw-submit-question")).toHaveTextContent("cannot be undone");
    await user.click(q(container, "#consent-withdraw-submit-confirm"));

    await vi.waitFor(() => expect(q(container, "#consent-withdrawal")).toHaveTextContent("Consent withdrawn on Sun 20 Dec 2026. Note: Told me by phone."));
    expect(calls("withdraw_consent")).toEqual([{ clientId: "c-1", withdrawnOn: "2026-12-20", note: "Told me by phone." }]);
    expect(container.querySelector("#consent-withdraw")).toBeNull();
    expect(q(container, "#consent-locked")).toBeInTheDocument();

    // The client wishes to go on: a new consent to go through again.
    await user.click(q(container, "#consent-renew-submit"));
    await vi.waitFor(() => expect(q(container, "#consent-sign")).toBeInTheDocument());
    expect(calls("start_new_consent")).toEqual([{ clientId: "c-1" }]);
    expect(container.querySelector("#consent-locked")).toBeNull();
  });

  it("says where the packet was saved and that the PDF is not encrypted", async () => {
    fakeConsent([RISKS], {
      print_consent_packet: ({ blank }) =>
        blank ? { path: "/home/dana/Documents/consent-jordan-alvarez-blank.pdf", bytes: 48213 } : null,
    });
    const user = userEvent.setup();
    const { container } = await renderChecklist();
    const status = q(container, "#print-status");
    expect(status).toHaveAttribute("role", "status");

    await user.click(q(container, "#print-consent-blank"));
    await vi.waitFor(() => expect(status).toHaveTextContent("/home/dana/Documents/consent-jordan-alvarez-blank.pdf"));
    expect(status).toHaveTextContent("The blank packet was saved to");
    expect(status).toHaveTextContent("This PDF is not encrypted: keep it somewhere safe.");
    expect(calls("print_consent_packet")).toEqual([{ clientId: "c-1", blank: true }]);

    await user.click(q(container, "#print-consent-record"));
    await vi.waitFor(() => expect(status).toHaveTextContent("Printing cancelled. Nothing was saved."));
    expect(calls("print_consent_packet").at(-1)).toEqual({ clientId: "c-1", blank: false });
  });

  it("shows why the packet could not be printed", async () => {
    fakeConsent([RISKS], {
      print_consent_packet: () => {
        throw commandError("io", "The file could not be written: the folder is read-only.");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderChecklist();
    await user.click(q(container, "#print-consent-record"));
    expect(await screen.findByRole("alert")).toHaveTextContent("The file could not be written: the folder is read-only.");
  });

  it("offers a retry when the checklist cannot be read", async () => {
    let attempts = 0;
    fakeConsent([RISKS], {
      get_consent: () => {
        attempts += 1;
        if (attempts === 1) throw commandError("database", "The vault could not be read.");
        return consentStatus({ items: [RISKS] });
      },
    });
    const user = userEvent.setup();
    render(ConsentChecklist, { clientId: "c-1" });
    expect(await screen.findByRole("alert")).toHaveTextContent("The vault could not be read.");
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { level: 1, name: /Jordan Alvarez/ })).toHaveFocus();
  });
});
