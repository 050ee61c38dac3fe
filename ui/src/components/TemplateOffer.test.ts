import { render } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import TemplateOffer from "./TemplateOffer.svelte";
import { fakeBackend, invokeMock } from "../test/backend";
import type { TemplateOffer as Offer } from "../lib/bindings/TemplateOffer";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

const OFFER: Offer = {
  document: "consent",
  message:
    "A newer default informed-consent template is available. Your practice edited its own, which stays in use until you compare the two and choose.",
  revision: 2,
  current: "Our practice's own words for the first item.",
  newerDefault: "17. If you want to leave early",
};

describe("a newer default template", () => {
  it("is offered to a practice that edited its own, compared side by side, and adopted", async () => {
    const onChanged = vi.fn();
    let offers = [OFFER];
    fakeBackend({
      get_template_offers: () => offers,
      adopt_default_template: () => {
        offers = [];
        return null;
      },
    });
    const user = userEvent.setup();
    const { container } = render(TemplateOffer, { kind: "consent", onChanged });
    await vi.waitFor(() => expect(q(container, "#consent-offer-message")).toHaveTextContent("A newer default"));
    await user.click(q(container, "#consent-offer-compare"));
    expect(q(container, "#consent-offer-current")).toHaveTextContent("Our practice's own words");
    expect(q(container, "#consent-offer-default")).toHaveTextContent("If you want to leave early");
    await user.click(q(container, "#consent-offer-adopt"));
    await vi.waitFor(() => expect(q(container, "#consent-offer-status")).toHaveTextContent("The newer default is now in use."));
    expect(invokeMock.mock.calls.filter(([c]) => c === "adopt_default_template")).toEqual([
      ["adopt_default_template", { document: "consent" }],
    ]);
    expect(onChanged).toHaveBeenCalledOnce();
    expect(container.querySelector("#consent-template-offer")).toBeNull();
  });

  it("shows nothing for a template with no newer default", async () => {
    fakeBackend({ get_template_offers: () => [OFFER] });
    const { container } = render(TemplateOffer, { kind: "handout", onChanged: () => {} });
    await vi.waitFor(() => expect(invokeMock).toHaveBeenCalledWith("get_template_offers", undefined));
    expect(container.querySelector("#handout-template-offer")).toBeNull();
  });
});
