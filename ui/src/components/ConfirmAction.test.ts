import { render } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import ConfirmAction from "./ConfirmAction.svelte";

function q<T extends Element = HTMLElement>(root: ParentNode, css: string): T {
  const el = root.querySelector<T>(css);
  if (!el) throw new Error(`${css} not found`);
  return el;
}

const props = (onConfirm: () => void) => ({
  id: "complete-s1",
  label: "Mark completed",
  question: "Mark Preparation 2 completed?",
  confirmLabel: "Yes, mark completed",
  onConfirm,
});

describe("a step that cannot be taken back", () => {
  it("asks in the page, with the cursor on the answer, and acts once on yes", async () => {
    const done = vi.fn();
    const user = userEvent.setup();
    const { container } = render(ConfirmAction, props(done));
    await user.click(q(container, "#complete-s1"));
    expect(q(container, "#complete-s1-question")).toHaveTextContent("Mark Preparation 2 completed?");
    expect(q(container, "#complete-s1-confirm")).toHaveFocus();
    expect(done).not.toHaveBeenCalled();
    await user.keyboard("{Enter}");
    expect(done).toHaveBeenCalledTimes(1);
    expect(container.querySelector("#complete-s1-question")).toBeNull();
  });

  it("keeps things as they are on Escape or 'Keep as it is', back on the first button", async () => {
    const done = vi.fn();
    const user = userEvent.setup();
    const { container } = render(ConfirmAction, props(done));
    await user.click(q(container, "#complete-s1"));
    await user.keyboard("{Escape}");
    expect(q(container, "#complete-s1")).toHaveFocus();
    await user.click(q(container, "#complete-s1"));
    await user.click(q(container, "#complete-s1-keep"));
    expect(q(container, "#complete-s1")).toHaveFocus();
    expect(done).not.toHaveBeenCalled();
  });
});
