import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import ConsentTemplateForm from "./ConsentTemplateForm.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { consentTemplate } from "../test/fixtures";
import type { ConsentTemplate } from "../lib/bindings/ConsentTemplate";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

function saved(): ConsentTemplate {
  const call = invokeMock.mock.calls.filter(([command]) => command === "save_consent_template").at(-1);
  return (call?.[1] as { template: ConsentTemplate }).template;
}

async function renderLoaded() {
  const view = render(ConsentTemplateForm, {});
  await screen.findByLabelText("Introduction");
  return view;
}

describe("the consent template in Settings", () => {
  it("shows the current version and every item to edit", async () => {
    fakeBackend({ get_consent_template: () => consentTemplate({ version: 3 }) });
    const { container } = await renderLoaded();
    expect(q(container, "#consent-template-version")).toHaveTextContent(
      "Informed Consent for Ketamine-Assisted Psychotherapy, version 3",
    );
    expect(q(container, "#template-introduction")).toHaveValue(
      "This document explains ketamine-assisted psychotherapy (KAP) as it is offered in this practice.",
    );
    const titles = [...container.querySelectorAll<HTMLInputElement>(".template-item-title")].map((i) => i.value);
    expect(titles).toEqual(["What ketamine-assisted psychotherapy is", "Who does what", "Risks and side effects"]);
    const initials = [...container.querySelectorAll<HTMLInputElement>(".template-item-initials")].map((i) => i.checked);
    expect(initials).toEqual([true, false, true]);
    expect(screen.getByLabelText("Text of item 3")).toHaveValue("Ketamine can raise blood pressure.");
    expect(screen.getByLabelText("Text of item 3")).toHaveClass("template-item-text");
  });

  it("saves the edits as a new version and says what that means for started checklists", async () => {
    fakeBackend({
      get_consent_template: () => consentTemplate({ version: 3 }),
      save_consent_template: ({ template }) => ({ ...(template as ConsentTemplate), version: 4 }),
    });
    const user = userEvent.setup();
    const { container } = await renderLoaded();
    const status = q(container, "#consent-template-status");
    expect(status).toHaveAttribute("role", "status");

    await user.type(q(container, "#template-introduction"), " Take your time.");
    const text = container.querySelectorAll<HTMLTextAreaElement>(".template-item-text")[1]!;
    await user.clear(text);
    await user.type(text, "KAP is a team effort: your therapist, your prescriber and you.");
    await user.click(container.querySelectorAll<HTMLInputElement>(".template-item-initials")[1]!);
    await user.click(q(container, "#save-consent-template"));

    await vi.waitFor(() =>
      expect(status).toHaveTextContent(
        "Saved as version 4. Consent checklists already started keep the version the client saw.",
      ),
    );
    expect(q(container, "#consent-template-version")).toHaveTextContent("version 4");
    const sent = saved();
    const expected = consentTemplate({
      version: 3,
      introduction:
        "This document explains ketamine-assisted psychotherapy (KAP) as it is offered in this practice. Take your time.",
    });
    expected.sections[0]!.items[1] = {
      id: "roles",
      title: "Who does what",
      text: "KAP is a team effort: your therapist, your prescriber and you.",
      initials: true,
    };
    expect(sent).toEqual(expected);

    // The confirmation does not outlive the next edit.
    await user.type(q(container, "#template-title"), "!");
    expect(status).toHaveTextContent("");
  });

  it("shows Rust's refusal inline", async () => {
    const message = "Every consent item needs an id, a title and its text.";
    fakeBackend({
      get_consent_template: () => consentTemplate(),
      save_consent_template: () => {
        throw commandError("invalid_input", message, "items");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderLoaded();
    await user.clear(container.querySelectorAll<HTMLInputElement>(".template-item-title")[0]!);
    await user.click(q(container, "#save-consent-template"));
    const error = await vi.waitFor(() => q(container, "#consent-template-error"));
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent(message);
    expect(q(container, "#consent-template-status")).toHaveTextContent("");
  });

  it("puts a title error under the title", async () => {
    fakeBackend({
      get_consent_template: () => consentTemplate(),
      save_consent_template: () => {
        throw commandError("invalid_input", "The consent document needs a title.", "title");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderLoaded();
    await user.clear(q(container, "#template-title"));
    await user.click(q(container, "#save-consent-template"));
    const error = await vi.waitFor(() => q(container, '[data-error-for="title"]'));
    expect(error).toHaveTextContent("The consent document needs a title.");
    expect(q(container, "#template-title")).toHaveFocus();
  });
});
