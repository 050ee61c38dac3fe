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

const SESSIONS = [
  session({ id: "s-prep", kind: "preparation", label: "Preparation 4" }),
  session({ id: "s-dose", kind: "dosing", label: "Dosing 1 of 6", status: "completed" }),
];

describe("dosing sessions in the session list", () => {
  it("open the dosing record and print the handout, for any status", async () => {
    fakeBackend({ print_handout: () => ({ path: "/home/t/handout.pdf", bytes: 40_000 }) });
    const onOpenDosing = vi.fn();
    const user = userEvent.setup();
    const { container } = render(SessionList, { sessions: SESSIONS, onChanged: vi.fn(), onOpenDosing });
    expect(container.querySelector("#open-dosing-s-prep")).toBeNull();
    expect(container.querySelector("#print-handout-s-prep")).toBeNull();

    await user.click(q(container, "#open-dosing-s-dose"));
    expect(onOpenDosing).toHaveBeenCalledWith("s-dose");

    await user.click(q(container, "#print-handout-s-dose"));
    await vi.waitFor(() =>
      expect(q(container, "#handout-status-s-dose")).toHaveTextContent(
        "Handout saved to /home/t/handout.pdf. Exported files are not encrypted; keep them safe.",
      ),
    );
    expect(invokeMock).toHaveBeenCalledWith("print_handout", { sessionId: "s-dose" });
  });

  it("shows why a handout could not be printed", async () => {
    const message = "The handout needs a ride home: add one to the plan or to the client's details.";
    fakeBackend({
      print_handout: () => {
        throw commandError("invalid_input", message, "rideName");
      },
    });
    const user = userEvent.setup();
    const { container } = render(SessionList, { sessions: SESSIONS, onChanged: vi.fn(), onOpenDosing: vi.fn() });
    await user.click(q(container, "#print-handout-s-dose"));
    const error = await vi.waitFor(() => q(container, "#handout-status-s-dose [role=alert]"));
    expect(error).toHaveTextContent(message);
  });

  it("shows Rust's refusal to complete a dosing session before discharge", async () => {
    const message =
      "Dosing 1 of 6 cannot be marked completed before the discharge checklist is done. Still missing: steady on feet.";
    fakeBackend({
      set_session_status: () => {
        throw commandError("invalid_input", message, "status");
      },
    });
    const user = userEvent.setup();
    const { container } = render(SessionList, {
      sessions: [session({ id: "s-dose", kind: "dosing", label: "Dosing 1 of 6" })],
      onChanged: vi.fn(),
    });
    await user.click(q(container, ".complete-session"));
    await user.click(q(container, ".confirm-yes"));
    await vi.waitFor(() => expect(q(container, "#sessions-error")).toHaveTextContent(message));
  });
});
