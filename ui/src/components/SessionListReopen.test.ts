import { render } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import SessionList from "./SessionList.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { session } from "../test/fixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

function calls(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, args]) => args as Record<string, unknown>);
}

describe("undoing a completion made by mistake", () => {
  it("is offered where Rust allows it, asks why, and shows the reason afterwards", async () => {
    const done = session({ id: "s-1", label: "Preparation 2", status: "completed", canReopen: true });
    const closed = session({ id: "s-2", kind: "dosing", label: "Dosing 1 of 6", status: "completed" });
    const refusal = "Write why the completion is undone (for example, marked on the wrong row); the reason is kept with the session.";
    fakeBackend({
      reopen_session: ({ reason }) => {
        if (String(reason).trim() === "") throw commandError("invalid_input", refusal, "reason");
        return session({ id: "s-1", label: "Preparation 2", reopenReason: String(reason) });
      },
    });
    const user = userEvent.setup();
    const reload = { now: async () => {} };
    const view = render(SessionList, { sessions: [done, closed], onChanged: () => reload.now() });
    const { container } = view;
    expect(container.querySelector("#reopen-session-s-2")).toBeNull();

    await user.click(q(container, "#reopen-session-s-1"));
    expect(q(container, "#reopen-reason-s-1")).toHaveFocus();
    await user.click(q(container, "#reopen-submit-s-1"));
    await vi.waitFor(() => expect(q(container, "#reopen-error-s-1")).toHaveTextContent(refusal));

    reload.now = () =>
      view.rerender({ sessions: [session({ id: "s-1", label: "Preparation 2", reopenReason: "Marked on the wrong row" }), closed] });
    await user.type(q(container, "#reopen-reason-s-1"), "Marked on the wrong row");
    await user.click(q(container, "#reopen-submit-s-1"));
    await vi.waitFor(() => expect(q(container, "#sessions-status")).toHaveTextContent("Preparation 2 is booked again"));
    expect(calls("reopen_session").at(-1)).toEqual({ sessionId: "s-1", reason: "Marked on the wrong row" });
    expect(q(container, '.session-row[data-session-id="s-1"]')).toHaveTextContent("Completion undone: Marked on the wrong row");
  });
});
