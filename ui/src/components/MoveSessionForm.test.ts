import { fireEvent, render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import SessionList from "./SessionList.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { session } from "../test/fixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function movesSent(): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === "move_session").map(([, a]) => a as Record<string, unknown>);
}

describe("moving a booked session", () => {
  it("sends the new day and time, says where it went and reloads", async () => {
    fakeBackend({
      move_session: ({ date, time }) => ({
        session: session({ id: "s-1", date: date as string, time: time as string }),
        warnings: [],
      }),
    });
    const onChanged = vi.fn();
    const user = userEvent.setup();
    render(SessionList, { sessions: [session({ id: "s-1" })], onChanged });
    await user.click(screen.getByRole("button", { name: "Move: Preparation 1" }));
    const date = document.querySelector<HTMLInputElement>("#move-date-s-1")!;
    expect(document.activeElement).toBe(date);
    await fireEvent.input(date, { target: { value: "2026-12-10" } });
    await fireEvent.input(document.querySelector<HTMLInputElement>("#move-time-s-1")!, { target: { value: "15:30" } });
    await user.click(screen.getByRole("button", { name: "Move session" }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(movesSent()).toEqual([{ sessionId: "s-1", date: "2026-12-10", time: "15:30", overrideReason: null }]);
    expect(document.querySelector("#sessions-status")).toHaveTextContent("Preparation 1 moved to");
    expect(document.querySelector("#move-date-s-1")).toBeNull();
    // The form has gone; the cursor is back on the session's Move button, not lost on the page.
    expect(document.querySelector("#move-session-s-1")).toHaveFocus();
  });

  it("Keep as booked closes the form and puts the cursor back on Move", async () => {
    const user = userEvent.setup();
    render(SessionList, { sessions: [session({ id: "s-1" })], onChanged: vi.fn() });
    await user.click(screen.getByRole("button", { name: "Move: Preparation 1" }));
    await user.click(screen.getByRole("button", { name: "Keep as booked" }));
    expect(document.querySelector("#move-date-s-1")).toBeNull();
    expect(document.querySelector("#move-session-s-1")).toHaveFocus();
    expect(movesSent()).toEqual([]);
  });

  it("marking a session completed by keyboard leaves the cursor on the sentence saying so", async () => {
    const completed = session({ id: "s-1", status: "completed" });
    fakeBackend({ set_session_status: () => completed });
    const user = userEvent.setup();
    // As on the timeline: the list is reloaded with the session's new state before the action ends.
    const reload = { now: async () => {} };
    const view = render(SessionList, { sessions: [session({ id: "s-1" })], onChanged: () => reload.now() });
    reload.now = () => view.rerender({ sessions: [completed] });
    const complete = screen.getByRole("button", { name: "Mark completed: Preparation 1" });
    complete.focus();
    await user.keyboard("{Enter}");
    // It asks first, with the cursor on the answer; Enter again says yes.
    expect(document.querySelector("#complete-session-s-1-confirm")).toHaveFocus();
    await user.keyboard("{Enter}");
    await vi.waitFor(() => expect(document.querySelector("#sessions-status")).toHaveTextContent("Preparation 1 marked completed."));
    await vi.waitFor(() => expect(document.querySelector("#sessions-status")).toHaveFocus());
    expect(document.querySelector(".complete-session")).toBeNull();
  });

  it("when a dosing would be missing something on the new day, shows Rust's sentence and moves only with a reason", async () => {
    let calls = 0;
    fakeBackend({
      move_session: ({ overrideReason }) => {
        calls += 1;
        if (!overrideReason)
          throw commandError("gates_open", "The dosing session cannot be booked yet. Still needed before dosing: Medical clearance (expired on …).");
        return { session: session({ id: "d-2", kind: "dosing", label: "Dosing 2", gateOverride: overrideReason as string }), warnings: [] };
      },
    });
    const onChanged = vi.fn();
    const user = userEvent.setup();
    render(SessionList, { sessions: [session({ id: "d-2", kind: "dosing", label: "Dosing 2" })], onChanged });
    await user.click(screen.getByRole("button", { name: "Move: Dosing 2" }));
    await user.click(screen.getByRole("button", { name: "Move session" }));
    await screen.findByText(/Still needed before dosing: Medical clearance/);
    const submit = screen.getByRole("button", { name: "Move session" });
    expect(submit).toBeDisabled();
    await user.type(document.querySelector<HTMLTextAreaElement>("#move-reason-d-2")!, "Renewal arrives Monday.");
    await user.click(submit);
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls).toBe(2);
    expect(movesSent()[1]).toMatchObject({ overrideReason: "Renewal arrives Monday." });
  });
});
