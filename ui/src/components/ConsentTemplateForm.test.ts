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
    const message = "Every consent item needs a title and its text; one in \u201cAbout the treatment\u201d is missing its title.";
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

  function titles(container: Element): string[] {
    return [...container.querySelectorAll<HTMLInputElement>(".template-item-title")].map((i) => i.value);
  }

  it("moves an item across a section's end, keeps the focus on it and saves the new order", async () => {
    fakeBackend({
      get_consent_template: () => consentTemplate({ version: 3 }),
      save_consent_template: ({ template }) => ({ ...(template as ConsentTemplate), version: 4 }),
    });
    const user = userEvent.setup();
    const { container } = await renderLoaded();

    // The very first item cannot go higher: nothing moves.
    const firstUp = screen.getByRole("button", { name: "Move item 1 up" });
    expect(firstUp).toHaveAttribute("aria-disabled", "true");
    await user.click(firstUp);
    expect(titles(container)).toEqual(["What ketamine-assisted psychotherapy is", "Who does what", "Risks and side effects"]);

    // "Who does what" is last in its section: down takes it to the top of the next.
    await user.click(screen.getByRole("button", { name: "Move item 2 down" }));
    expect(titles(container)).toEqual(["What ketamine-assisted psychotherapy is", "Who does what", "Risks and side effects"]);
    expect(titles(q(container, '[data-section="1"]'))).toEqual(["Who does what", "Risks and side effects"]);
    expect(screen.getByRole("button", { name: "Move item 2 down" })).toHaveFocus();
    expect(q(container, "#consent-template-status")).toHaveTextContent(
      "Moved \u201cWho does what\u201d down: now item 2 in \u201cSafety, risks and side effects\u201d. Save to keep the new order.",
    );
    // Once more: it passes the risks item and, last in the document, the focus moves to its "up".
    await user.keyboard("{Enter}");
    expect(titles(container)).toEqual(["What ketamine-assisted psychotherapy is", "Risks and side effects", "Who does what"]);
    expect(screen.getByRole("button", { name: "Move item 3 down" })).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByRole("button", { name: "Move item 3 up" })).toHaveFocus();

    await user.click(q(container, "#save-consent-template"));
    await vi.waitFor(() => expect(q(container, "#consent-template-version")).toHaveTextContent("version 4"));
    const sent = saved();
    expect(sent.sections.map((x) => x.items.map((i) => i.id))).toEqual([["nature-of-treatment"], ["risks", "roles"]]);
  });

  it("adds an item and a section, removes others, and sends new items without an id for Rust to name", async () => {
    fakeBackend({
      get_consent_template: () => consentTemplate({ version: 3 }),
      save_consent_template: ({ template }) => ({ ...(template as ConsentTemplate), version: 4 }),
    });
    const user = userEvent.setup();
    const { container } = await renderLoaded();

    await user.click(screen.getByRole("button", { name: "Add an item to Safety, risks and side effects" }));
    const newTitle = screen.getByLabelText("Title of item 4");
    expect(newTitle).toHaveFocus();
    await user.type(newTitle, "Sleepiness and breathing");
    await user.type(screen.getByLabelText("Text of item 4"), "You may feel very sleepy.");
    await user.click(screen.getByLabelText("The client initials item 4"));

    // Removing an item puts the focus on the one now in its place.
    await user.click(screen.getByRole("button", { name: "Remove item 2" }));
    expect(titles(container)).toEqual(["What ketamine-assisted psychotherapy is", "Risks and side effects", "Sleepiness and breathing"]);
    expect(screen.getByLabelText("Title of item 2")).toHaveFocus();

    await user.click(q(container, "#template-add-section"));
    const sectionTitle = screen.getByLabelText("Section 3 title");
    expect(sectionTitle).toHaveFocus();
    await user.type(sectionTitle, "Our office");
    await user.type(screen.getByLabelText("Title of item 4"), "The reclining chair");
    await user.type(screen.getByLabelText("Text of item 4"), "You rest in a reclining chair.");

    // Moving a section up; then removing the first asks before it goes.
    await user.click(screen.getByRole("button", { name: "Move section 3 up" }));
    expect(screen.getByLabelText("Section 2 title")).toHaveValue("Our office");
    expect(screen.getByRole("button", { name: "Move section 2 up" })).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Remove section 1" }));
    expect(screen.getByText(/Remove the section .About the treatment. and its item from the template\?/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Yes, remove the section" }));
    expect(screen.getByLabelText("Section 1 title")).toHaveValue("Our office");

    await user.click(q(container, "#save-consent-template"));
    await vi.waitFor(() => expect(q(container, "#consent-template-version")).toHaveTextContent("version 4"));
    const sent = saved();
    expect(sent.sections).toEqual([
      { title: "Our office", items: [{ id: "", title: "The reclining chair", text: "You rest in a reclining chair.", initials: false }] },
      {
        title: "Safety, risks and side effects",
        items: [
          { id: "risks", title: "Risks and side effects", text: "Ketamine can raise blood pressure.", initials: true },
          { id: "", title: "Sleepiness and breathing", text: "You may feel very sleepy.", initials: true },
        ],
      },
    ]);
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
